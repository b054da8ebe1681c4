/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration diff of a reload (cli/diff.c, cli/cfgline.c,
 * cli/cfgent.c) on plain texts, no EAL: the same configuration spelt two
 * ways gives nothing; removals come before additions, children before
 * parents, and an entry that goes with its link is neither removed nor
 * kept but added again; changes in place where a command does them; port
 * renames; bad lines refused with their line number.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"

/* The running side, as vx_cli_config writes it. */
static const char running[] =
	"link set dev net_af_packet2 name uplink\n"
	"addr add 198.51.100.1/24 dev uplink\n"
	"route add default via 198.51.100.254 dev uplink\n"
	"neigh add 198.51.100.7 lladdr 02:00:00:00:07:07 dev uplink nud permanent\n"
	"link add vxlan10 type vxlan id 10 local 198.51.100.1 dev uplink nolearning\n"
	"link add vxlan20 type vxlan id 20 local 198.51.100.1 dev uplink\n"
	"link set dev net_af_packet0 master vxlan10\n"
	"link set dev net_af_packet1 master vxlan20\n"
	"link set dev net_af_packet1 master vxlan10 vlan 100\n"
	"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2 self permanent\n"
	"fdb append 00:00:00:00:00:00 dev vxlan20 dst 198.51.100.3 self permanent\n"
	"fdb add 02:00:00:00:00:0a dev net_af_packet0 master permanent\n"
	"fdb add 02:00:00:00:00:0c dev net_af_packet1 master vlan 100 static\n"
	"fdb add 02:00:00:00:00:0b dev vxlan10 dst 198.51.100.2 self permanent\n"
	"fdb add 02:00:00:00:00:2b dev vxlan20 dst 198.51.100.3 self permanent\n"
	"addr add 203.0.113.254/24 dev vxlan20\n"
	"neigh add 203.0.113.9 lladdr 02:00:00:00:09:09 dev vxlan20 nud noarp\n";

static struct vx_cfg_diff
diff_ok(const char *target)
{
	struct vx_out err = {0};
	struct vx_cfg_diff d;
	int ret = vx_cfg_diff(running, target, "t.conf", &d, &err);

	if (ret < 0)
		fail_msg("diff failed: %s", err.buf ? err.buf : "?");
	vx_out_free(&err);
	return d;
}

/* The commands, one per line, for comparisons that show the whole list. */
static char *
cmds(const struct vx_cfg_diff *d)
{
	struct vx_out o = {0};

	vx_out_printf(&o, "%s", "");
	for (unsigned int i = 0; i < d->n; i++)
		vx_out_printf(&o, "%s\n", d->ch[i].cmd);
	return o.buf != NULL ? o.buf : strdup("");
}

static void
assert_cmds(const char *target, const char *want)
{
	struct vx_cfg_diff d = diff_ok(target);
	char *got = cmds(&d);

	if (strcmp(got, want) != 0)
		fail_msg("commands:\n%s\nwanted:\n%s", got, want);
	free(got);
	vx_cfg_diff_free(&d);
}

static void
test_same(void **state)
{
	(void)state;
	assert_cmds(running, "");
}

/* The same configuration in other words: nothing to do. */
static void
test_same_other_words(void **state)
{
	static const char t[] =
		"# written by hand\n"
		"vxctl link set dev net_af_packet2 name uplink\n"
		"addr add 198.51.100.1/24 dev uplink\n"
		"route add 0.0.0.0/0 via 198.51.100.254\n"
		"neigh add 198.51.100.7 lladdr 02:00:00:00:07:07 dev uplink\n"
		"link add vxlan10 type vxlan id 10 dstport 4789 nolearning local 198.51.100.1 \\\n"
		"    dev uplink ageing 300\n"
		"link add vxlan20 type vxlan id 20 local 198.51.100.1 dev uplink learning\n"
		"link set dev net_af_packet0 master vxlan10\n"
		"link set net_af_packet1 master vxlan20\n"
		"link set dev net_af_packet1 master vxlan10 vlan 100\n"
		"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2\n"
		"fdb append 00:00:00:00:00:00 dev vxlan20 dst 198.51.100.3 self\n"
		"fdb add 02:00:00:00:00:0A dev net_af_packet0 master\n"
		"fdb add 02:00:00:00:00:0c dev net_af_packet1 vlan 100 static\n"
		"fdb add 02:00:00:00:00:0b dev vxlan10 dst 198.51.100.2 port 4789 vni 10\n"
		"fdb replace 02:00:00:00:00:2b dev vxlan20 dst 198.51.100.3 self permanent\n"
		"addr add 203.0.113.254/24 dev vxlan20\n"
		"neigh add 203.0.113.9 lladdr 02:00:00:00:09:09 dev vxlan20 nud noarp\n";

	(void)state;
	assert_cmds(t, "");
}

/* Everything gone: children before parents, and what a link takes along is not named. */
static void
test_remove_all(void **state)
{
	struct vx_cfg_diff d = diff_ok("");
	char *got = cmds(&d);

	(void)state;
	assert_string_equal(got, "link set dev uplink name net_af_packet2\n"
				 "link del vxlan20\n"
				 "link del vxlan10\n"
				 "neigh del 198.51.100.7 dev net_af_packet2\n"
				 "route del default via 198.51.100.254 dev net_af_packet2\n"
				 "addr del 198.51.100.1/24 dev net_af_packet2\n");
	free(got);
	assert_int_equal(d.n_rename, 1);
	assert_int_equal(d.n_add, 0);
	/* The undo of a link's removal restores the link, then what went with it. */
	assert_string_equal(
		d.ch[1].undo,
		"link add vxlan20 type vxlan id 20 local 198.51.100.1 dev net_af_packet2\n"
		"link set dev net_af_packet1 master vxlan20\n"
		"fdb append 00:00:00:00:00:00 dev vxlan20 dst 198.51.100.3 self permanent\n"
		"fdb add 02:00:00:00:00:2b dev vxlan20 dst 198.51.100.3 self permanent\n"
		"addr add 203.0.113.254/24 dev vxlan20\n"
		"neigh add 203.0.113.9 lladdr 02:00:00:00:09:09 dev vxlan20 nud noarp\n");
	assert_string_equal(
		d.ch[2].undo,
		"link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2 "
		"nolearning\n"
		"link set dev net_af_packet0 master vxlan10\n"
		"link set dev net_af_packet1 master vxlan10 vlan 100\n"
		"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2 self permanent\n"
		"fdb add 02:00:00:00:00:0b dev vxlan10 dst 198.51.100.2 self permanent\n"
		"fdb add 02:00:00:00:00:0a dev net_af_packet0 master permanent\n"
		"fdb add 02:00:00:00:00:0c dev net_af_packet1 master vlan 100 static\n");
	vx_cfg_diff_free(&d);
}

/* A target that only adds: its new lines in its order, each undone by its removal. */
static void
test_add_link(void **state)
{
	struct vx_out t = {0};
	struct vx_cfg_diff d;

	(void)state;
	vx_out_printf(&t, "%s", running);
	vx_out_printf(&t, "link add vxlan30 type vxlan id 30 local 198.51.100.1 dev uplink\n"
			  "link set dev net_af_packet0 master vxlan30 vlan 7\n"
			  "fdb append 00:00:00:00:00:00 dev vxlan30 dst 198.51.100.4\n"
			  "fdb add 02:00:00:00:00:3b dev vxlan30 dst 198.51.100.4\n");
	d = diff_ok(t.buf);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.n_add, 4);
	assert_string_equal(d.ch[0].cmd,
			    "link add vxlan30 type vxlan id 30 local 198.51.100.1 dev uplink");
	assert_int_equal(d.ch[0].lineno, 18);
	assert_string_equal(d.ch[0].undo, "link del vxlan30\n");
	assert_string_equal(d.ch[1].cmd, "link set dev net_af_packet0 master vxlan30 vlan 7");
	assert_string_equal(d.ch[1].undo, "link set dev net_af_packet0 nomaster vlan 7\n");
	assert_string_equal(
		d.ch[2].cmd,
		"fdb append 00:00:00:00:00:00 dev vxlan30 dst 198.51.100.4 self permanent");
	/* A unicast entry is replaced into place: a learned one may hold the MAC. */
	assert_string_equal(
		d.ch[3].cmd,
		"fdb replace 02:00:00:00:00:3b dev vxlan30 dst 198.51.100.4 self permanent");
	assert_string_equal(d.ch[3].undo, "fdb del 02:00:00:00:00:3b dev vxlan30\n");
	vx_cfg_diff_free(&d);
	vx_out_free(&t);
}

/* Replace line n (1-based) of running by repl (NULL: remove it). */
static char *
edit(int n, const char *repl)
{
	struct vx_out o = {0};
	const char *p = running;

	vx_out_printf(&o, "%s", "");
	for (int i = 1; *p != '\0'; i++) {
		const char *nl = strchr(p, '\n');

		if (i != n)
			vx_out_printf(&o, "%.*s\n", (int)(nl - p), p);
		else if (repl != NULL)
			vx_out_printf(&o, "%s\n", repl);
		p = nl + 1;
	}
	return o.buf;
}

/* An option `link set` can change: in place, the link's entries untouched. */
static void
test_link_set(void **state)
{
	char *t = edit(5, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev uplink "
			  "nolearning ageing 600 maxaddress 100 bum-rate 2000");
	struct vx_cfg_diff d = diff_ok(t);

	(void)state;
	assert_int_equal(d.n, 1);
	assert_int_equal(d.n_set, 1);
	assert_string_equal(
		d.ch[0].cmd,
		"link set dev vxlan10 type vxlan local 198.51.100.1 dev uplink ttl 64 "
		"tos 0 df unset srcport 32768 60999 ageing 600 maxaddress 100 bum-rate 2000 "
		"nolearning noproxy noudpcsum noudp6zerocsumtx noudp6zerocsumrx nol2miss "
		"nol3miss");
	assert_non_null(strstr(d.ch[0].undo, " ageing 300 maxaddress 0 bum-rate 0 "));
	assert_int_equal(d.ch[0].lineno, 5);
	vx_cfg_diff_free(&d);
	free(t);
}

/* A link's MAC: compared when the target gives one, changed in place. */
static void
test_link_address(void **state)
{
	char *t1 = edit(5, "link add vxlan10 address 02:00:00:00:99:01 type vxlan id 10 local "
			   "198.51.100.1 dev uplink nolearning");
	struct vx_cfg_diff d = diff_ok(t1);
	struct vx_out err = {0};
	struct vx_cfg_diff d2;
	char *r2;

	(void)state;
	assert_int_equal(d.n, 1);
	assert_int_equal(d.n_set, 1);
	assert_non_null(strstr(d.ch[0].cmd, "link set dev vxlan10 type vxlan address "
					    "02:00:00:00:99:01 local 198.51.100.1 dev uplink "));
	vx_cfg_diff_free(&d);
	/* The running side always names its MAC; a target that does not is the same link. */
	r2 = strdup(t1);
	assert_int_equal(vx_cfg_diff(r2, running, "t.conf", &d2, &err), 0);
	assert_int_equal(d2.n, 0);
	vx_cfg_diff_free(&d2);
	vx_out_free(&err);
	free(r2);
	free(t1);
}

/* A new VNI: the link goes (with its entries) and comes back with them. */
static void
test_link_vni(void **state)
{
	char *t = edit(5, "link add vxlan10 type vxlan id 11 local 198.51.100.1 dev uplink "
			  "nolearning");

	(void)state;
	assert_cmds(t,
		    "link del vxlan10\n"
		    "link add vxlan10 type vxlan id 11 local 198.51.100.1 dev uplink nolearning\n"
		    "link set dev net_af_packet0 master vxlan10\n"
		    "link set dev net_af_packet1 master vxlan10 vlan 100\n"
		    "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2 self permanent\n"
		    "fdb replace 02:00:00:00:00:0a dev net_af_packet0 master permanent\n"
		    "fdb replace 02:00:00:00:00:0c dev net_af_packet1 master vlan 100 static\n"
		    "fdb replace 02:00:00:00:00:0b dev vxlan10 dst 198.51.100.2 self "
		    "permanent\n");
	free(t);
}

/* Entries changed in place: replace. */
static void
test_replace(void **state)
{
	char *t1 = edit(12, "fdb add 02:00:00:00:00:0a dev net_af_packet0 master static");
	char *t2 = edit(3, "route add default via 198.51.100.253");
	char *t3 = edit(4, "neigh add 198.51.100.7 lladdr 02:00:00:00:07:08 dev uplink");

	(void)state;
	assert_cmds(t1, "fdb replace 02:00:00:00:00:0a dev net_af_packet0 master static\n");
	assert_cmds(t2, "route replace default via 198.51.100.253\n");
	assert_cmds(t3, "neigh replace 198.51.100.7 lladdr 02:00:00:00:07:08 dev uplink nud "
			"permanent\n");
	free(t1);
	free(t2);
	free(t3);
}

/* The untagged attachment's removal (nomaster) takes the port's tagged ones along. */
static void
test_untagged_nomaster(void **state)
{
	char *t = edit(8, NULL);

	(void)state;
	assert_cmds(t, "link set dev net_af_packet1 nomaster\n"
		       "link set dev net_af_packet1 master vxlan10 vlan 100\n"
		       "fdb replace 02:00:00:00:00:0c dev net_af_packet1 master vlan 100 static\n");
	free(t);
}

/* A port renamed: one rename, the lines naming it are the same lines. */
static void
test_rename(void **state)
{
	struct vx_out t = {0};
	const char *p = strchr(running, '\n') + 1;

	(void)state;
	vx_out_printf(&t, "link set dev net_af_packet2 name wan\n");
	for (; *p != '\0'; p++)
		if (strncmp(p, "uplink", 6) == 0) {
			vx_out_printf(&t, "wan");
			p += 5;
		} else {
			vx_out_printf(&t, "%c", *p);
		}
	assert_cmds(t.buf, "link set dev uplink name wan\n");
	vx_out_free(&t);
}

static void
assert_refused(const char *target, const char *what)
{
	struct vx_out err = {0};
	struct vx_cfg_diff d;

	assert_true(vx_cfg_diff(running, target, "t.conf", &d, &err) < 0);
	assert_int_equal(d.n, 0);
	if (err.buf == NULL || strstr(err.buf, what) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err.buf ? err.buf : "", what);
	vx_out_free(&err);
}

static void
test_refused(void **state)
{
	(void)state;
	assert_refused("link add a type vxlan id 1\nfdb show\n",
		       "t.conf:2: fdb show: only fdb add");
	assert_refused("link add a type vxlan id 1\n\nlink add a type vxlan id 2\n",
		       "t.conf:3: link a is added twice");
	assert_refused("link set dev p0 master nolink\n", "t.conf:1: master nolink: no such link");
	assert_refused("addr add 10.0.0.1/24 dev p0\naddr add 10.0.0.1/24 dev p0\n",
		       "t.conf:2: configures again what line 1 does");
	assert_refused("link add a type vxlan id 1 bogus\n", "t.conf:1: unknown option \"bogus\"");
	assert_refused("link add a type vxlan\n", "missing \"id VNI\"");
	assert_refused("fdb add 02:00:00:00:00:01 dev p0 dst 10.0.0.1\n", "no link");
	assert_refused("vxctl -j link show\n", "option -j has no place");
	assert_refused("save\n", "t.conf:1: \"save\" is not a configuration line");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),	     cmocka_unit_test(test_same_other_words),
		cmocka_unit_test(test_remove_all),   cmocka_unit_test(test_add_link),
		cmocka_unit_test(test_link_set),     cmocka_unit_test(test_link_vni),
		cmocka_unit_test(test_replace),	     cmocka_unit_test(test_untagged_nomaster),
		cmocka_unit_test(test_rename),	     cmocka_unit_test(test_refused),
		cmocka_unit_test(test_link_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
