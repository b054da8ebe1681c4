/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command grammar without EAL: the word parsers, and vx_cmd_exec on a
 * control model with no dataplane (c->dp == NULL), where every command is
 * parsed and validated; errors must name the offending word and change
 * nothing.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"

/* ---- parse.c ---- */

static void
test_parse_mac(void **state)
{
	struct rte_ether_addr m;

	assert_int_equal(vx_parse_mac("aa:bb:cc:dd:ee:ff", &m), 0);
	assert_int_equal(m.addr_bytes[0], 0xaa);
	assert_int_equal(m.addr_bytes[5], 0xff);
	assert_int_equal(vx_parse_mac("0:1:2:3:4:5", &m), 0);
	assert_int_equal(m.addr_bytes[5], 5);
	assert_int_equal(vx_parse_mac("AA-BB-CC-DD-EE-0F", &m), 0);
	assert_int_equal(m.addr_bytes[5], 0x0f);
	assert_int_equal(vx_parse_mac("aa:bb:cc:dd:ee", &m), -EINVAL);
	assert_int_equal(vx_parse_mac("aa:bb:cc:dd:ee:ff:00", &m), -EINVAL);
	assert_int_equal(vx_parse_mac("aa:bb:cc:dd:ee:fg", &m), -EINVAL);
	assert_int_equal(vx_parse_mac("aaa:bb:cc:dd:ee:ff", &m), -EINVAL);
	assert_int_equal(vx_parse_mac("", &m), -EINVAL);
	assert_int_equal(vx_parse_mac("aa::cc:dd:ee:ff", &m), -EINVAL);
}

static void
test_parse_ip(void **state)
{
	struct vx_ip ip;
	uint8_t len;
	char buf[64];

	assert_int_equal(vx_parse_ip("198.51.100.2", &ip), 0);
	assert_int_equal(ip.family, AF_INET);
	assert_string_equal(vx_fmt_ip(&ip, buf, sizeof(buf)), "198.51.100.2");
	assert_int_equal(vx_parse_ip("2001:db8:1::2", &ip), 0);
	assert_int_equal(ip.family, AF_INET6);
	assert_string_equal(vx_fmt_ip(&ip, buf, sizeof(buf)), "2001:db8:1::2");
	assert_int_equal(vx_parse_ip("198.51.100.256", &ip), -EINVAL);
	assert_int_equal(vx_parse_ip("198.51.100", &ip), -EINVAL);
	assert_int_equal(vx_parse_ip("2001:db8:::1", &ip), -EINVAL);
	assert_int_equal(vx_parse_ip("vxlan10", &ip), -EINVAL);
	assert_true(vx_parse_ip("239.1.1.1", &ip) == 0 && vx_ip_is_multicast(&ip));
	assert_true(vx_parse_ip("ff05::100", &ip) == 0 && vx_ip_is_multicast(&ip));
	assert_int_equal(vx_parse_prefix("198.51.100.0/24", &ip, &len), 0);
	assert_int_equal(len, 24);
	assert_int_equal(vx_parse_prefix("2001:db8:1::/64", &ip, &len), 0);
	assert_int_equal(len, 64);
	assert_int_equal(vx_parse_prefix("198.51.100.0/33", &ip, &len), -EINVAL);
	assert_int_equal(vx_parse_prefix("2001:db8::/129", &ip, &len), -EINVAL);
}

static void
test_parse_numbers(void **state)
{
	uint32_t v = 7;

	assert_int_equal(vx_parse_vni("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vx_parse_vni("16777215", &v), 0);
	assert_int_equal(v, 16777215);
	assert_true(vx_parse_vni("16777216", &v) < 0);
	assert_int_equal(v, 16777215); /* untouched on error */
	assert_true(vx_parse_vni("-1", &v) < 0);
	assert_true(vx_parse_vni("10x", &v) < 0);
	assert_true(vx_parse_vni("", &v) < 0);
	assert_int_equal(vx_parse_u32("65535", 1, 65535, &v), 0);
	assert_true(vx_parse_u32("0", 1, 65535, &v) < 0);
	assert_int_equal(vx_parse_u32_hex("0x10", 0, 255, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(vx_parse_u32_hex("16", 0, 255, &v), 0);
	assert_int_equal(v, 16);
	assert_true(vx_parse_u32_hex("0x100", 0, 255, &v) < 0);
	assert_true(vx_parse_u32_hex("0x", 0, 255, &v) < 0);
	assert_true(vx_parse_u32_hex("0xg", 0, 255, &v) < 0);
	assert_int_equal(vx_parse_name("vxlan10"), 0);
	assert_int_equal(vx_parse_name("net_af_packet0"), 0);
	assert_int_equal(vx_parse_name("0000:03:00.0"), 0);
	assert_true(vx_parse_name("") < 0);
	assert_true(vx_parse_name("a b") < 0);
	assert_true(vx_parse_name("dev") < 0);
	assert_true(vx_parse_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") < 0);
}

static void
test_split(void **state)
{
	char line[] = "  fdb append 00:00:00:00:00:00 \\\n dev vxlan10\tdst 198.51.100.2 # c\n";
	char *argv[16];

	assert_int_equal(vx_cli_split(line, argv, 16), 7);
	assert_string_equal(argv[0], "fdb");
	assert_string_equal(argv[4], "vxlan10");
	assert_string_equal(argv[6], "198.51.100.2");
	char l2[] = "a b c";
	assert_int_equal(vx_cli_split(l2, argv, 2), -E2BIG);
}

/* ---- vx_cmd_exec on a model without dataplane ---- */

static struct vx_ctl *
new_ctl(void)
{
	struct vx_ctl *c = calloc(1, sizeof(*c));
	const char *names[] = {"net_af_packet0", "net_af_packet1", "eth1"};

	assert_non_null(c);
	for (int i = 0; i < 3; i++) {
		c->port[i].present = true;
		c->port[i].port_id = i;
		strcpy(c->port[i].name, names[i]);
		strcpy(c->port[i].dev_name, names[i]);
		c->port[i].mtu = 1500;
		c->port[i].mac.addr_bytes[5] = i + 1;
	}
	c->n_ports = 3;
	assert_int_equal(vx_core_init(c), 0);
	return c;
}

static void
free_ctl(struct vx_ctl *c)
{
	vx_core_fini(c);
	free(c);
}

/* Run a line; returns the status, output in *out (caller frees). */
static int
run(struct vx_ctl *c, const char *line, struct vx_out *out)
{
	char buf[1024], *argv[64];
	int argc;

	strcpy(buf, line);
	argc = vx_cli_split(buf, argv, 64);
	vx_out_reset(out);
	return vx_cli_exec(c, argc, argv, 0, out);
}

static int
run_j(struct vx_ctl *c, const char *line, struct vx_out *out)
{
	char buf[1024], *argv[64];
	int argc;

	strcpy(buf, line);
	argc = vx_cli_split(buf, argv, 64);
	vx_out_reset(out);
	return vx_cli_exec(c, argc, argv, VX_CMD_JSON, out);
}

/* The command fails, with "error: " and the word in the message, and the save is unchanged. */
static void
expect_err(struct vx_ctl *c, const char *line, const char *word)
{
	struct vx_out before = {0}, after = {0}, out = {0};
	int ret;

	vx_cli_config(c, &before);
	ret = run(c, line, &out);
	if (ret >= 0 || out.buf == NULL || strncmp(out.buf, "error: ", 7) != 0 ||
	    strstr(out.buf, word) == NULL)
		fail_msg("\"%s\": ret %d, out \"%s\" (want error naming \"%s\")", line, ret,
			 out.buf ? out.buf : "", word);
	vx_cli_config(c, &after);
	assert_int_equal(before.len, after.len);
	if (before.len)
		assert_memory_equal(before.buf, after.buf, before.len);
	vx_out_free(&before);
	vx_out_free(&after);
	vx_out_free(&out);
}

static void
expect_ok(struct vx_ctl *c, const char *line)
{
	struct vx_out out = {0};
	int ret = run(c, line, &out);

	if (ret < 0)
		fail_msg("\"%s\": ret %d, out \"%s\"", line, ret, out.buf ? out.buf : "");
	vx_out_free(&out);
}

static void
test_dispatch_errors(void **state)
{
	struct vx_ctl *c = new_ctl();

	expect_err(c, "frobnicate", "frobnicate");
	expect_err(c, "link frob", "frob");
	expect_err(c, "fdb frob", "frob");
	expect_err(c, "show frob", "frob");
	expect_err(c, "-x link show", "-x");
	expect_err(c, "help frob", "frob");
	expect_ok(c, "help");
	expect_ok(c, "help link");
	free_ctl(c);
}

static void
test_link_add_errors(void **state)
{
	struct vx_ctl *c = new_ctl();

	expect_err(c, "link add", "NAME");
	expect_err(c, "link add vxlan10", "type vxlan");
	expect_err(c, "link add vxlan10 type", "type");
	expect_err(c, "link add vxlan10 type bridge", "bridge");
	expect_err(c, "link add vxlan10 type vxlan", "id");
	expect_err(c, "link add vxlan10 type vxlan id", "id");
	expect_err(c, "link add vxlan10 type vxlan id 16777216", "16777216");
	expect_err(c, "link add vxlan10 type vxlan id ten", "ten");
	expect_err(c, "link add vxlan10 type vxlan id 10 dstport 0", "dstport");
	expect_err(c, "link add vxlan10 type vxlan id 10 dstport 65536", "65536");
	expect_err(c, "link add vxlan10 type vxlan id 10 local 198.51.100.300", "198.51.100.300");
	expect_err(c, "link add vxlan10 type vxlan id 10 remote", "remote");
	expect_err(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 2001:db8:1::2",
		   "remote");
	expect_err(c, "link add vxlan10 type vxlan id 10 local 2001:db8:1::1 remote 198.51.100.2",
		   "local");
	expect_err(c, "link add vxlan10 type vxlan id 10 remote 239.1.1.1", "239.1.1.1");
	expect_err(c, "link add vxlan10 type vxlan id 10 group 198.51.100.9", "group");
	expect_err(c, "link add vxlan10 type vxlan id 10 dev nosuch", "nosuch");
	expect_err(c, "link add vxlan10 type vxlan id 10 ttl 256", "256");
	expect_err(c, "link add vxlan10 type vxlan id 10 tos x", "tos");
	expect_err(c, "link add vxlan10 type vxlan id 10 df maybe", "maybe");
	expect_err(c, "link add vxlan10 type vxlan id 10 srcport 100", "srcport");
	expect_err(c, "link add vxlan10 type vxlan id 10 srcport 200 100", "srcport");
	expect_err(c, "link add vxlan10 type vxlan id 10 ageing -1", "ageing");
	expect_err(c, "link add vxlan10 type vxlan id 10 bogus", "bogus");
	expect_err(c, "link add bad/name type vxlan id 10", "bad/name");
	expect_err(c, "link add net_af_packet0 type vxlan id 10", "net_af_packet0");

	expect_ok(c, "link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 "
		     "remote 198.51.100.2 dev eth1");
	expect_err(c, "link add vxlan10 type vxlan id 11", "vxlan10");
	expect_err(c, "link add vxlan11 type vxlan id 10", "10");
	/* The underlay port cannot become an access port. */
	expect_err(c, "link set dev eth1 master vxlan10", "eth1");
	free_ctl(c);
}

static void
test_link_model(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};
	struct vx_link *l;

	/* Every seed line, ip/bridge replaced by vxctl words. */
	expect_ok(c, "link add vxlan10 type vxlan id 10 dstport 4789 local 42.42.42.1 "
		     "remote 42.42.42.2 dev eth1");
	expect_ok(c, "-6 link add vxlan100 type vxlan id 100 dstport 4789 local 2001:db8:1::1 "
		     "nolearning proxy");
	expect_ok(c, "-6 link add vxlan101 type vxlan id 101 dstport 4789 local 2001:db8:1::1 "
		     "group ff05::100 dev eth1 ttl 5");
	expect_ok(c, "fdb append 00:00:00:00:00:00 dev vxlan100 dst 2001:db8:2::1");
	expect_ok(c, "fdb append 00:00:00:00:00:00 dev vxlan100 dst 2001:db8:3::1");
	expect_ok(c, "link add vxlan-demo type vxlan id 5001 remote 172.16.24.5 local 172.16.24.4 "
		     "dev eth1 dstport 4789");
	expect_ok(c, "link set up dev vxlan-demo");

	l = vx_link_find(c, "vxlan10");
	assert_non_null(l);
	assert_int_equal(l->opt.vni, 10);
	assert_int_equal(l->opt.dstport, 4789);
	assert_int_equal(l->opt.ttl, 64);
	assert_int_equal(l->opt.ageing, 300);
	assert_int_equal(l->opt.srcport_min, 32768);
	assert_int_equal(l->opt.srcport_max, 60999);
	assert_true(l->opt.flags & VX_BD_LEARNING);
	assert_false(l->opt.flags & VX_BD_UDPCSUM);
	assert_int_equal(l->n_flood, 1); /* remote = first flood entry */
	assert_true(l->flood[0].is_remote);

	l = vx_link_find(c, "vxlan100");
	assert_false(l->opt.flags & VX_BD_LEARNING);
	assert_true(l->opt.flags & VX_BD_PROXY);
	assert_int_equal(l->n_flood, 2);

	/* Family of the flood list follows local. */
	expect_err(c, "fdb append 00:00:00:00:00:00 dev vxlan100 dst 198.51.100.2", "IPv4");
	expect_err(c, "fdb append 00:00:00:00:00:00 dev vxlan100 dst 2001:db8:2::1", "exists");
	expect_ok(c, "fdb del 00:00:00:00:00:00 dev vxlan100 dst 2001:db8:2::1");
	assert_int_equal(vx_link_find(c, "vxlan100")->n_flood, 1);
	expect_err(c, "fdb del 00:00:00:00:00:00 dev vxlan100 dst 2001:db8:2::1", "no such");

	/* link show, text and JSON. */
	assert_int_equal(run(c, "link show vxlan10", &out), 0);
	assert_non_null(strstr(out.buf, "vxlan id 10 remote 42.42.42.2 local 42.42.42.1 dev eth1 "
					"srcport 32768 60999 dstport 4789 ttl 64 ageing 300"));
	assert_int_equal(run_j(c, "link show vxlan10", &out), 0);
	assert_non_null(strstr(out.buf, "\"info_kind\":\"vxlan\""));
	assert_non_null(strstr(out.buf, "\"id\":10"));
	assert_non_null(strstr(out.buf, "\"remote\":\"42.42.42.2\""));
	assert_int_equal(run(c, "link show", &out), 0);
	assert_non_null(strstr(out.buf, "net_af_packet0: port mtu 1500 role none"));
	assert_non_null(strstr(out.buf, "eth1: port mtu 1500 role underlay"));

	/* link set: options that may change, and those that may not. */
	expect_ok(c, "link set vxlan10 ttl 10 ageing 0 udpcsum nolearning");
	l = vx_link_find(c, "vxlan10");
	assert_int_equal(l->opt.ttl, 10);
	assert_int_equal(l->opt.ageing, 0);
	assert_true(l->opt.flags & VX_BD_UDPCSUM);
	assert_false(l->opt.flags & VX_BD_LEARNING);
	expect_err(c, "link set vxlan10 id 11", "id");
	expect_err(c, "link set vxlan10 dstport 8472", "dstport");
	expect_err(c, "link set vxlan10 remote 2001:db8::2", "remote");
	expect_err(c, "link set nosuch ttl 3", "nosuch");

	/* Ports: attach, rename, mtu, detach. */
	expect_ok(c, "link set dev net_af_packet0 master vxlan10");
	expect_ok(c, "link set dev net_af_packet1 master vxlan10 vlan 20");
	expect_ok(c, "link set dev net_af_packet1 master vxlan100 vlan 30");
	assert_int_equal(c->core->access[0][0], vx_link_find(c, "vxlan10")->bd);
	assert_int_equal(c->core->access[1][20], vx_link_find(c, "vxlan10")->bd);
	expect_err(c, "link set dev net_af_packet0 master vxlan100", "vxlan10");
	expect_err(c, "link set dev net_af_packet0 master nosuch", "nosuch");
	expect_err(c, "link set dev nosuch master vxlan10", "nosuch");
	expect_err(c, "link set dev net_af_packet1 master vxlan10 vlan 4095", "4095");
	expect_err(c, "link set dev net_af_packet1 master vxlan10 vlan", "vlan");
	expect_err(c, "link add vxlan12 type vxlan id 12 dev net_af_packet0", "net_af_packet0");
	expect_ok(c, "link set dev net_af_packet0 name acc0");
	assert_int_equal(vx_port_index(c, "acc0"), 0);
	expect_err(c, "link set dev acc0 name net_af_packet1", "net_af_packet1");
	expect_err(c, "link set dev acc0 name vxlan10", "vxlan10");
	expect_ok(c, "link set dev acc0 mtu 9000");
	assert_int_equal(c->port[0].mtu, 9000);
	expect_err(c, "link set dev acc0 mtu 10", "10");
	expect_ok(c, "link set dev net_af_packet1 nomaster vlan 20");
	assert_int_equal(c->core->access[1][20], 0);
	assert_int_equal(c->core->access[1][30], vx_link_find(c, "vxlan100")->bd);
	expect_err(c, "link set dev net_af_packet1 nomaster vlan 20", "20");
	expect_ok(c, "link set dev net_af_packet1 nomaster");
	assert_int_equal(c->core->access[1][30], 0);

	/* link del: the attachment goes with the link, and the output says so. */
	assert_int_equal(run(c, "link del vxlan10", &out), 0);
	assert_non_null(strstr(out.buf, "detached 1"));
	assert_null(vx_link_find(c, "vxlan10"));
	assert_int_equal(c->core->access[0][0], 0);
	expect_err(c, "link del vxlan10", "vxlan10");
	expect_err(c, "link del acc0", "acc0");
	expect_ok(c, "link add vxlan10 type vxlan id 10"); /* VNI and name free again */
	vx_out_free(&out);
	free_ctl(c);
}

static void
test_fdb_errors(void **state)
{
	struct vx_ctl *c = new_ctl();

	expect_ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev eth1");
	expect_ok(c, "link set dev net_af_packet0 master vxlan10");
	expect_err(c, "fdb add", "MAC");
	expect_err(c, "fdb add zz:bb:cc:dd:ee:ff dev vxlan10 dst 198.51.100.2",
		   "zz:bb:cc:dd:ee:ff");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dst 198.51.100.2", "dev");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev", "dev");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev nosuch dst 198.51.100.2", "nosuch");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 dst 198.51.100", "198.51.100");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 dst 2001:db8:1::2", "IPv6");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 dst", "dst");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10", "dst");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 dst 198.51.100.2 vni 16777216",
		   "16777216");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 dst 198.51.100.2 port 0", "port");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 dst 198.51.100.2 bogus", "bogus");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev vxlan10 master", "master");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev net_af_packet0", "master");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev net_af_packet1 master", "net_af_packet1");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev net_af_packet0 master vlan 7", "vlan");
	expect_err(c, "fdb add aa:bb:cc:dd:ee:ff dev net_af_packet0 master dst 198.51.100.2",
		   "dst");
	expect_err(c, "fdb append 00:00:00:00:00:00 dev vxlan10", "dst");
	expect_err(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 239.1.1.1", "239.1.1.1");
	expect_err(c, "fdb show dev nosuch", "nosuch");
	expect_err(c, "fdb flush", "dev");
	expect_err(c, "fdb flush dev nosuch", "nosuch");
	expect_err(c, "stats dev nosuch", "nosuch");
	free_ctl(c);
}

static void
test_fdb_show_flood(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};

	expect_ok(c, "link add vxlan10 type vxlan id 10 remote 198.51.100.2 dev eth1");
	expect_ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3");
	expect_ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.4 port 8472 vni 7");
	assert_int_equal(run(c, "fdb show", &out), 0);
	assert_string_equal(out.buf,
			    "00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2 self permanent\n"
			    "00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3 self permanent\n"
			    "00:00:00:00:00:00 dev vxlan10 dst 198.51.100.4 port 8472 vni 7 self "
			    "permanent\n");
	assert_int_equal(run_j(c, "fdb show dev vxlan10", &out), 0);
	assert_non_null(strstr(out.buf, "{\"mac\":\"00:00:00:00:00:00\",\"ifname\":\"vxlan10\","
					"\"dst\":\"198.51.100.2\",\"flags\":[\"self\"],"
					"\"state\":\"permanent\"}"));
	/* Deleting the `remote` entry clears the option. */
	expect_ok(c, "fdb del 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2");
	assert_int_equal(vx_link_find(c, "vxlan10")->opt.remote.family, 0);
	expect_ok(c, "fdb del 00:00:00:00:00:00 dev vxlan10");
	assert_int_equal(vx_link_find(c, "vxlan10")->n_flood, 0);
	vx_out_free(&out);
	free_ctl(c);
}

/*
 * Random word soup from the grammar's own vocabulary: every line either
 * succeeds or fails with "error: "; nothing crashes, and the model stays
 * consistent (every link's bd maps back to it).
 */
static void
test_word_soup(void **state)
{
	static const char *const words[] = {
		"link",
		"fdb",
		"add",
		"del",
		"set",
		"show",
		"append",
		"replace",
		"flush",
		"dev",
		"vxlan10",
		"vxlan11",
		"net_af_packet0",
		"net_af_packet1",
		"eth1",
		"type",
		"vxlan",
		"id",
		"10",
		"11",
		"0",
		"16777216",
		"dstport",
		"4789",
		"local",
		"remote",
		"group",
		"198.51.100.1",
		"198.51.100.2",
		"2001:db8:1::2",
		"ff05::100",
		"239.1.1.1",
		"ttl",
		"inherit",
		"tos",
		"0x10",
		"df",
		"set",
		"unset",
		"srcport",
		"1000",
		"2000",
		"learning",
		"nolearning",
		"proxy",
		"ageing",
		"maxaddress",
		"bum-rate",
		"udpcsum",
		"udp6zerocsumrx",
		"master",
		"nomaster",
		"vlan",
		"20",
		"4095",
		"name",
		"mtu",
		"9000",
		"00:00:00:00:00:00",
		"aa:bb:cc:dd:ee:ff",
		"dst",
		"port",
		"vni",
		"self",
		"static",
		"dynamic",
		"permanent",
		"stats",
		"drops",
		"save",
		"help",
		"up",
		"-j",
		"-s",
		"",
	};
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};
	unsigned int seed = 12345;

	for (int iter = 0; iter < 50000; iter++) {
		char *argv[12];
		int argc = 1 + rand_r(&seed) % 11, ret;

		for (int i = 0; i < argc; i++)
			argv[i] = (char *)(uintptr_t)words[rand_r(&seed) % RTE_DIM(words)];
		if (rand_r(&seed) % 3 == 0)
			argv[0] = (char *)"link";
		else if (rand_r(&seed) % 2 == 0)
			argv[0] = (char *)"fdb";
		argv[argc] = NULL;
		{
			int w = 0;

			while (w < argc && argv[w][0] == '-')
				w++;
			/* save (after any options) would write a file named by the next word. */
			if (w < argc && strcmp(argv[w], "save") == 0)
				continue;
		}
		vx_out_reset(&out);
		ret = vx_cli_exec(c, argc, argv, 0, &out);
		if (ret < 0)
			assert_true(out.buf != NULL && strncmp(out.buf, "error: ", 7) == 0);
	}
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL)
			assert_int_equal(c->core->link[b]->bd, b);
	vx_out_free(&out);
	free_ctl(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_mac),	cmocka_unit_test(test_parse_ip),
		cmocka_unit_test(test_parse_numbers),	cmocka_unit_test(test_split),
		cmocka_unit_test(test_dispatch_errors), cmocka_unit_test(test_link_add_errors),
		cmocka_unit_test(test_link_model),	cmocka_unit_test(test_fdb_errors),
		cmocka_unit_test(test_fdb_show_flood),	cmocka_unit_test(test_word_soup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
