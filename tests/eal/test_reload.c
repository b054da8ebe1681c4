/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `reload` against a real model (EAL, no workers): the running
 * configuration becomes the file's; a link the file does not change is
 * the same object afterwards, with its learned entries; a change that
 * fails undoes what the reload did before it; a bad file changes nothing.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <rte_eal.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

#include "ctl_harness.h"

/* The starting configuration, as vx_cli_config writes it. */
static const char conf_a[] =
	"addr add 198.51.100.1/24 dev net_af_packet2\n"
	"link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 dev "
	"net_af_packet2\n"
	"link add vxlan20 type vxlan id 20 local 198.51.100.1 dev net_af_packet2 nolearning\n"
	"link set dev net_af_packet0 master vxlan10\n"
	"link set dev net_af_packet1 master vxlan20\n"
	"fdb append 00:00:00:00:00:00 dev vxlan20 dst 198.51.100.3 self permanent\n"
	"fdb add 02:00:00:00:00:0a dev net_af_packet0 master static\n"
	"fdb add 02:00:00:00:00:2b dev vxlan20 dst 198.51.100.3 self permanent\n";

/* vxlan10 untouched, vxlan20 gone, vxlan30 new on its port. */
static const char conf_b[] =
	"addr add 198.51.100.1/24 dev net_af_packet2\n"
	"link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 dev "
	"net_af_packet2\n"
	"link add vxlan30 type vxlan id 30 local 198.51.100.1 dev net_af_packet2\n"
	"link set dev net_af_packet0 master vxlan10\n"
	"link set dev net_af_packet1 master vxlan30\n"
	"fdb append 00:00:00:00:00:00 dev vxlan30 dst 198.51.100.4 self permanent\n"
	"fdb add 02:00:00:00:00:0a dev net_af_packet0 master static\n";

static char path[] = "/tmp/vxt_reload_XXXXXX";

static void
write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct vx_ctl *
ctl_a(void)
{
	struct vx_ctl *c = new_ctl();
	char *copy = strdup(conf_a), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save))
		ok(c, l);
	free(copy);
	return c;
}

/* text without its links' " address MAC" (save writes each link's own, derived here). */
static char *
no_link_mac(const char *text)
{
	char *t = strdup(text), *p;

	assert_non_null(t);
	while ((p = strstr(t, " address ")) != NULL && strlen(p) >= 26)
		memmove(p, p + 26, strlen(p + 26) + 1);
	return t;
}

static void
assert_config(struct vx_ctl *c, const char *want)
{
	struct vx_out o = {0};
	char *got;

	vx_cli_config(c, &o);
	got = no_link_mac(o.buf != NULL ? o.buf : "");
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "running configuration:\n%s\nwanted:\n%s", got, want);
		fail_msg("running configuration differs");
	}
	free(got);
	vx_out_free(&o);
}

/* Learn a remote MAC on link as a worker would. */
static uint64_t
learn(struct vx_ctl *c, const char *link, const char *mac, const char *remote)
{
	struct vx_link *l = vx_link_find(c, link);
	struct vx_learn_req r = {.epoch = l->epoch};
	struct rte_ether_addr m;

	assert_int_equal(vx_parse_mac(mac, &m), 0);
	r.key = vx_fdb_key(l->bd, &m);
	assert_int_equal(vx_parse_ip(remote, &r.remote), 0);
	assert_int_equal(rte_ring_enqueue_elem(c->dp->learn_ring[0], &r, sizeof(r)), 0);
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, r.key, NULL), 0);
	return r.key;
}

static void
test_reload_diff_only(void **state)
{
	struct vx_ctl *c = ctl_a();
	struct vx_out out = {0};
	struct vx_link *l10 = vx_link_find(c, "vxlan10");
	uint32_t epoch = l10->epoch;
	uint64_t k = learn(c, "vxlan10", "02:00:00:00:00:0b", "198.51.100.2");
	char cmd[128];

	(void)state;
	assert_config(c, conf_a);
	write_file(conf_b);
	assert_int_equal(vx_cli_reload(c, path, &out), 0);
	assert_non_null(strstr(out.buf, "1 removed, 3 added, 0 changed"));
	assert_config(c, conf_b);
	/* vxlan10 is the same link, in the same epoch, with what it learned. */
	assert_ptr_equal(vx_link_find(c, "vxlan10"), l10);
	assert_int_equal(l10->epoch, epoch);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k, NULL), 0);
	assert_null(vx_link_find(c, "vxlan20"));

	/* Nothing differs: nothing done. */
	assert_int_equal(vx_cli_reload(c, path, &out), 0);
	assert_non_null(strstr(out.buf, "0 removed, 0 added, 0 changed"));

	/* An option changed in place: the same link, its entries kept; through the command. */
	write_file("addr add 198.51.100.1/24 dev net_af_packet2\n"
		   "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 \\\n"
		   "  dev net_af_packet2 ageing 600\n"
		   "link set dev net_af_packet0 master vxlan10\n"
		   "fdb add 02:00:00:00:00:0a dev net_af_packet0 master\n");
	snprintf(cmd, sizeof(cmd), "reload %s", path);
	ok(c, cmd);
	assert_ptr_equal(vx_link_find(c, "vxlan10"), l10);
	assert_int_equal(l10->opt.ageing, 600);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k, NULL), 0);
	assert_null(vx_link_find(c, "vxlan30"));
	assert_config(c, "addr add 198.51.100.1/24 dev net_af_packet2\n"
			 "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote "
			 "198.51.100.2 dev net_af_packet2 ageing 600\n"
			 "link set dev net_af_packet0 master vxlan10\n"
			 "fdb add 02:00:00:00:00:0a dev net_af_packet0 master permanent\n");
	vx_out_free(&out);
	free_ctl(c);
}

/* A change the command layer refuses: the reload stops and undoes what it did. */
static void
test_reload_undo(void **state)
{
	struct vx_ctl *c = ctl_a();
	struct vx_out out = {0}, t = {0};

	(void)state;
	vx_out_printf(&t, "%s", conf_b);
	/* Parses, but vxlan10's underlay is IPv4. */
	vx_out_printf(&t, "fdb add 02:00:00:00:00:0c dev vxlan10 dst 2001:db8:1::5\n");
	write_file(t.buf);
	assert_true(vx_cli_reload(c, path, &out) < 0);
	assert_non_null(strstr(out.buf, ":8: "));
	assert_non_null(strstr(out.buf, "were undone"));
	assert_config(c, conf_a);

	/* A line that is no configuration: refused before anything changes. */
	write_file("link add vxlan40 type vxlan id 40\nfdb flush dev vxlan10\n");
	assert_true(vx_cli_reload(c, path, &out) < 0);
	assert_non_null(strstr(out.buf, ":2: fdb flush: only"));
	assert_config(c, conf_a);

	/* No such file. */
	assert_int_equal(vx_cli_reload(c, "/nonexistent/vx.conf", &out), -ENOENT);
	assert_config(c, conf_a);
	vx_out_free(&t);
	vx_out_free(&out);
	free_ctl(c);
}

/* Port renames: applied first, and the lines that name the port are unchanged lines. */
static void
test_reload_rename(void **state)
{
	struct vx_ctl *c = ctl_a();
	struct vx_out out = {0}, t = {0};
	struct vx_link *l20 = vx_link_find(c, "vxlan20");

	(void)state;
	vx_out_printf(&t, "link set dev net_af_packet1 name access1\n");
	for (const char *p = conf_a; *p != '\0'; p++)
		if (strncmp(p, "net_af_packet1", 14) == 0) {
			vx_out_printf(&t, "access1");
			p += 13;
		} else {
			vx_out_printf(&t, "%c", *p);
		}
	write_file(t.buf);
	assert_int_equal(vx_cli_reload(c, path, &out), 0);
	assert_non_null(strstr(out.buf, "0 removed, 0 added, 0 changed in place, 1 ports renamed"));
	assert_ptr_equal(vx_link_find(c, "vxlan20"), l20);
	assert_config(c, t.buf);
	vx_out_free(&t);
	vx_out_free(&out);
	free_ctl(c);
}

static int
setup(void)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static void
teardown(void)
{
	unlink(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_diff_only),
		cmocka_unit_test(test_reload_undo),
		cmocka_unit_test(test_reload_rename),
	};

	(void)argc;
	return run_eal_tests(argv[0], "reload", tests, RTE_DIM(tests), setup, teardown);
}
