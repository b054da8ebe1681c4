/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VXT_CTL_HARNESS_H
#define VXT_CTL_HARNESS_H

/*
 * A control thread for EAL tests: a real struct vx_dp (one worker slot,
 * no worker running), the core and the underlay, three present ports
 * net_af_packet0..2 with MACs 02:00:00:00:00:01..03; commands run through
 * vx_cmd_exec as the socket would. Include after <cmocka.h> and core.h.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <sys/stat.h>

#include <rte_eal.h>

/* A control thread over a dataplane of n_workers workers whose FDB holds fdb_size entries. */
static inline struct vx_ctl *
new_ctl_workers(uint16_t n_workers, uint32_t fdb_size)
{
	struct vx_ctl *c = calloc(1, sizeof(*c));
	const char *names[] = {"net_af_packet0", "net_af_packet1", "net_af_packet2"};

	assert_non_null(c);
	c->dp = calloc(1, sizeof(*c->dp));
	assert_non_null(c->dp);
	assert_int_equal(vx_dp_init(c->dp, n_workers, fdb_size, SOCKET_ID_ANY), 0);
	for (int i = 0; i < 3; i++) {
		c->port[i].present = true;
		c->port[i].port_id = i;
		strcpy(c->port[i].name, names[i]);
		strcpy(c->port[i].dev_name, names[i]);
		c->port[i].mtu = 1500;
		c->port[i].mac.addr_bytes[0] = 2;
		c->port[i].mac.addr_bytes[5] = i + 1;
	}
	c->n_ports = 3;
	assert_int_equal(vx_ul_init(c), 0);
	assert_int_equal(vx_core_init(c), 0);
	for (int i = 0; i < 3; i++)
		vx_core_port_publish(c, i);
	return c;
}

static inline struct vx_ctl *
new_ctl_sized(uint32_t fdb_size)
{
	return new_ctl_workers(1, fdb_size);
}

static inline struct vx_ctl *
new_ctl(void)
{
	return new_ctl_sized(1024);
}

static inline void
free_ctl(struct vx_ctl *c)
{
	vx_core_fini(c);
	vx_ul_fini(c);
	vx_dp_fini(c->dp);
	free(c->dp);
	free(c);
}

static inline int
runf(struct vx_ctl *c, unsigned int flags, struct vx_out *out, const char *line)
{
	char buf[1024], *argv[64];
	int argc;

	strcpy(buf, line);
	argc = vx_cli_split(buf, argv, 64);
	vx_out_reset(out);
	return vx_cli_exec(c, argc, argv, flags, out);
}

static inline void
ok(struct vx_ctl *c, const char *line)
{
	struct vx_out out = {0};
	int ret = runf(c, 0, &out, line);

	if (ret < 0)
		fail_msg("\"%s\": %d %s", line, ret, out.buf ? out.buf : "");
	vx_out_free(&out);
}

/* The command fails with "error: ..." (naming word, when given); returns its -errno. */
static inline int
bad_word(struct vx_ctl *c, const char *line, const char *word)
{
	struct vx_out out = {0};
	int ret = runf(c, 0, &out, line);

	if (ret >= 0)
		fail_msg("\"%s\" succeeded", line);
	assert_non_null(strstr(out.buf, "error: "));
	if (word != NULL && strstr(out.buf, word) == NULL)
		fail_msg("\"%s\": \"%s\" does not name \"%s\"", line, out.buf, word);
	vx_out_free(&out);
	return ret;
}

static inline int
bad(struct vx_ctl *c, const char *line)
{
	return bad_word(c, line, NULL);
}

/* The text parses as JSON (jq, as scripts/test.sh uses). */
static inline void
assert_json(const char *text)
{
	FILE *p = popen("jq -e . >/dev/null 2>&1", "w");

	assert_non_null(p);
	fputs(text, p);
	if (pclose(p) != 0)
		fail_msg("not JSON: %s", text);
}

static inline int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path); /* best effort */
	return 0;
}

/*
 * EAL (no hugepages, file prefix vxt_NAME_PID: other worktrees may run the
 * same suite at once), the tests, then EAL's runtime directory removed.
 * setup runs after EAL init (may be NULL).
 */
static inline int
run_eal_tests(const char *argv0, const char *name, const struct CMUnitTest *tests, size_t n,
	      int (*setup)(void), void (*teardown)(void))
{
	char prefix[96], arg0[256];
	char *eal[] = {arg0,  "--no-huge", "-m",
		       "512", "--no-pci",  prefix,
		       "-l",  "0",	   "--log-level=lib.eal:error"};
	int ret;

	snprintf(arg0, sizeof(arg0), "%s", argv0);
	snprintf(prefix, sizeof(prefix), "--file-prefix=vxt_%s_%d", name, (int)getpid());
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	ret = setup != NULL ? setup() : 0;
	if (ret == 0)
		ret = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	if (teardown != NULL)
		teardown();
	rte_eal_cleanup();
	snprintf(prefix, sizeof(prefix), "/var/run/dpdk/vxt_%s_%d", name, (int)getpid());
	nftw(prefix, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return ret;
}

#endif /* VXT_CTL_HARNESS_H */
