/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VTEP modes beyond static flooding and learning, on the control
 * thread against a real struct vx_dp (EAL, no workers): a link's multicast
 * group (one flood entry whose header goes to the group's MAC, with TTL 1,
 * the group joined and left with IGMPv3/MLDv2 reports, queries answered),
 * FDB entries for multicast MACs and `router` entries, the options rsc and
 * `proxy learn`, shown, saved and replayed. The port transmit is a test
 * double that keeps the frames.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

#define MAX_CAP 64

static struct rte_mempool *pool;
static uint8_t cap[MAX_CAP][1600];
static uint16_t cap_len[MAX_CAP], cap_port[MAX_CAP];
static int n_cap;
static uint64_t fake_ms;

static uint16_t
fake_tx(struct vx_ctl *ctl, uint16_t port, struct rte_mbuf **m, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		if (n_cap < MAX_CAP) {
			uint16_t len = RTE_MIN(rte_pktmbuf_pkt_len(m[i]), sizeof(cap[0]));
			const void *d = rte_pktmbuf_read(m[i], 0, len, cap[n_cap]);

			if (d != cap[n_cap])
				memcpy(cap[n_cap], d, len);
			cap_len[n_cap] = len;
			cap_port[n_cap] = port;
			n_cap++;
		}
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

static uint64_t
fake_now(void)
{
	return fake_ms;
}

#include "ctl_harness.h"

/* The harness's control thread with a packet pool, the capturing transmit and a fake clock. */
static struct vx_ctl *
modes_ctl(void)
{
	struct vx_ctl *c = new_ctl();

	c->dp->pool = pool;
	c->dp->hdr_pool = pool;
	c->ul->tx = fake_tx;
	c->ul->now_ms = fake_now;
	fake_ms = 1000000;
	n_cap = 0;
	return c;
}

/* Output of a command, in a static buffer. */
static const char *
show(struct vx_ctl *c, unsigned int flags, const char *line)
{
	static struct vx_out o;

	if (runf(c, flags, &o, line) < 0)
		fail_msg("%s: %s", line, o.buf ? o.buf : "");
	return o.buf != NULL ? o.buf : "";
}

/* Captured frames that are IGMPv3 reports (IPv4 protocol 2 to 224.0.0.22) with record type rt. */
static int
n_igmp_reports(uint8_t rt, const char *group)
{
	struct in_addr g;
	int n = 0;

	inet_pton(AF_INET, group, &g);
	for (int i = 0; i < n_cap; i++) {
		const uint8_t *f = cap[i];

		if (cap_len[i] < 14 + 24 + 16 || f[12] != 0x08 || f[13] != 0x00 || f[14 + 9] != 2)
			continue;
		if (f[14 + 24] == 0x22 && f[14 + 24 + 8] == rt &&
		    memcmp(&f[14 + 24 + 12], &g, 4) == 0)
			n++;
	}
	return n;
}

/* Captured MLDv2 reports with record type rt for group. */
static int
n_mld_reports(uint8_t rt, const char *group)
{
	struct in6_addr g;
	int n = 0;

	inet_pton(AF_INET6, group, &g);
	for (int i = 0; i < n_cap; i++) {
		const uint8_t *f = cap[i];
		const uint8_t *m = f + 14 + 40 + 8;

		if (cap_len[i] < 14 + 40 + 8 + 28 || f[12] != 0x86 || f[13] != 0xdd || f[20] != 0)
			continue;
		if (m[0] == 143 && m[8] == rt && memcmp(&m[12], &g, 16) == 0)
			n++;
	}
	return n;
}

static bool
local_has_group(struct vx_ctl *c, const char *group, uint16_t port)
{
	struct vx_ip g;

	vx_parse_ip(group, &g);
	for (unsigned int i = 0; i < c->dp->local->n_group; i++)
		if (vx_ip_eq(&c->dp->local->group[i].ip, &g) && c->dp->local->group[i].port == port)
			return true;
	return false;
}

/* Run the control thread's polls at fake time +ms. */
static void
advance(struct vx_ctl *c, uint64_t ms)
{
	fake_ms += ms;
	vx_ul_poll(c);
}

static void
test_group_link(void **state)
{
	struct vx_ctl *c = modes_ctl();
	const struct vx_bd *bd;
	const struct vx_vtep *vt;
	const struct rte_ipv4_hdr *ip;

	ok(c, "addr add 198.51.100.1/24 dev net_af_packet1");
	n_cap = 0;
	/* As iproute2: a group needs the port that joins it; remote and group exclude each other. */
	bad_word(c, "link add vxlan10 type vxlan id 10 group 239.1.1.10", "dev");
	bad_word(c, "link add vxlan10 type vxlan id 10 group 198.51.100.9 dev net_af_packet1",
		 "multicast");
	bad_word(c,
		 "link add vxlan10 type vxlan id 10 group 239.1.1.10 remote 198.51.100.2 "
		 "dev net_af_packet1",
		 "exclusive");
	ok(c, "link add vxlan10 type vxlan id 10 group 239.1.1.10 dev net_af_packet1 "
	      "local 198.51.100.1");
	/* The group is the first flood entry, its header to 01:00:5e:01:01:0a with TTL 1. */
	bd = c->dp->bd[vx_link_find(c, "vxlan10")->bd];
	assert_int_equal(bd->n_flood, 1);
	vt = c->dp->vtep[bd->flood[0]];
	assert_non_null(vt);
	assert_true(vt->flags & VX_VTEP_RESOLVED);
	assert_int_equal(vt->port, 1);
	assert_memory_equal(vt->hdr, ((uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x01, 0x0a}), 6);
	ip = (const struct rte_ipv4_hdr *)(vt->hdr + vt->l3_off);
	assert_int_equal(ip->time_to_live, 1);
	assert_int_equal(ip->dst_addr, inet_addr("239.1.1.10"));
	assert_int_equal(ip->src_addr, inet_addr("198.51.100.1"));
	assert_non_null(strstr(show(c, 0, "link show vxlan10"), " group 239.1.1.10 "));
	assert_non_null(strstr(show(c, 0, "link show vxlan10"), " ttl auto "));
	assert_non_null(strstr(show(c, 0, "fdb show dev vxlan10"),
			       "00:00:00:00:00:00 dev vxlan10 dst 239.1.1.10 via net_af_packet1 "
			       "self permanent\n"));
	/* Joined: taken by the workers, reported now and once more a second later. */
	assert_true(local_has_group(c, "239.1.1.10", 1));
	assert_int_equal(n_igmp_reports(VX_MC_TO_EXCLUDE, "239.1.1.10"), 1);
	advance(c, 999);
	assert_int_equal(n_igmp_reports(VX_MC_TO_EXCLUDE, "239.1.1.10"), 1);
	advance(c, 1);
	assert_int_equal(n_igmp_reports(VX_MC_TO_EXCLUDE, "239.1.1.10"), 2);
	advance(c, 5000);
	assert_int_equal(n_igmp_reports(VX_MC_TO_EXCLUDE, "239.1.1.10"), 2);
	assert_int_equal(cap_port[0], 1);
	/* An explicit ttl goes to the group as is; a unicast flood entry beside it. */
	ok(c, "link set vxlan10 ttl 5");
	vt = c->dp->vtep[c->dp->bd[vx_link_find(c, "vxlan10")->bd]->flood[0]];
	assert_int_equal(((const struct rte_ipv4_hdr *)(vt->hdr + vt->l3_off))->time_to_live, 5);
	ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3");
	assert_int_equal(c->dp->bd[vx_link_find(c, "vxlan10")->bd]->n_flood, 2);
	bad_word(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 239.1.1.11", "unicast");

	/* A second link on the same group: no second join; the group stays until both left. */
	ok(c, "link add vxlan11 type vxlan id 11 group 239.1.1.10 dev net_af_packet1");
	assert_int_equal(n_igmp_reports(VX_MC_TO_EXCLUDE, "239.1.1.10"), 2);
	ok(c, "link del vxlan10");
	assert_true(local_has_group(c, "239.1.1.10", 1));
	assert_int_equal(n_igmp_reports(VX_MC_TO_INCLUDE, "239.1.1.10"), 0);
	/* Deleting the group entry removes the option and leaves, twice. */
	ok(c, "fdb del 00:00:00:00:00:00 dev vxlan11 dst 239.1.1.10");
	assert_int_equal(vx_link_find(c, "vxlan11")->opt.group.family, 0);
	assert_false(local_has_group(c, "239.1.1.10", 1));
	assert_int_equal(n_igmp_reports(VX_MC_TO_INCLUDE, "239.1.1.10"), 1);
	advance(c, 1000);
	assert_int_equal(n_igmp_reports(VX_MC_TO_INCLUDE, "239.1.1.10"), 2);
	advance(c, 5000);
	assert_int_equal(n_igmp_reports(VX_MC_TO_INCLUDE, "239.1.1.10"), 2);
	assert_null(strstr(show(c, 0, "link show vxlan11"), "group"));
	free_ctl(c);
}

static void
test_group_link_v6(void **state)
{
	struct vx_ctl *c = modes_ctl();
	const struct vx_vtep *vt;
	const struct rte_ipv6_hdr *ip6;

	ok(c, "addr add 2001:db8:1::1/64 dev net_af_packet1");
	/* A host's duty on a snooping segment: the address's solicited-node group joined. */
	assert_int_equal(n_mld_reports(VX_MC_TO_EXCLUDE, "ff02::1:ff00:1"), 1);
	n_cap = 0;
	/* Seed 001's first line. */
	ok(c, "-6 link add vxlan10 type vxlan id 10 dstport 4789 local 2001:db8:1::1 "
	      "group ff05::100 dev net_af_packet1 ttl 5");
	vt = c->dp->vtep[c->dp->bd[vx_link_find(c, "vxlan10")->bd]->flood[0]];
	assert_true(vt->flags & VX_VTEP_RESOLVED);
	assert_memory_equal(vt->hdr, ((uint8_t[]){0x33, 0x33, 0x00, 0x00, 0x01, 0x00}), 6);
	ip6 = (const struct rte_ipv6_hdr *)(vt->hdr + vt->l3_off);
	assert_int_equal(ip6->hop_limits, 5);
	assert_true(local_has_group(c, "ff05::100", 1));
	assert_int_equal(n_mld_reports(VX_MC_TO_EXCLUDE, "ff05::100"), 1);
	/* From the port's link-local address, hop limit 1. */
	assert_int_equal(cap[0][14 + 7], 1);
	assert_int_equal(cap[0][14 + 8], 0xfe);
	assert_int_equal(cap[0][14 + 9], 0x80);
	ok(c, "link del vxlan10");
	assert_false(local_has_group(c, "ff05::100", 1));
	assert_int_equal(n_mld_reports(VX_MC_TO_INCLUDE, "ff05::100"), 1);
	ok(c, "addr del 2001:db8:1::1/64 dev net_af_packet1");
	assert_int_equal(n_mld_reports(VX_MC_TO_INCLUDE, "ff02::1:ff00:1"), 1);
	free_ctl(c);
}

/* An IGMP or MLD query, as the workers punt it. */
static void
punt_query(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t port)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, len), f, len);
	m->port = port;
	vx_ul_mc_input(c, m);
}

/* A general IGMPv2 query (Max Resp Time 1 s) and an MLDv2 one, from tests/data/mcast.hex. */
static const uint8_t q_igmp2[] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,
				  0x99, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
				  0x01, 0x02, 0xaf, 0xa1, 0xc6, 0x33, 0x64, 0x09, 0xe0, 0x00, 0x00,
				  0x01, 0x11, 0x0a, 0xee, 0xf5, 0x00, 0x00, 0x00, 0x00};

static void
test_group_query(void **state)
{
	struct vx_ctl *c = modes_ctl();
	int before;

	ok(c, "addr add 198.51.100.1/24 dev net_af_packet1");
	ok(c, "link add vxlan10 type vxlan id 10 group 239.1.1.10 dev net_af_packet1");
	ok(c, "link add vxlan11 type vxlan id 11 group 239.1.1.11 dev net_af_packet1");
	advance(c, 2000);
	n_cap = 0;
	/* A query on another port is not ours to answer. */
	punt_query(c, q_igmp2, sizeof(q_igmp2), 0);
	advance(c, 1000);
	assert_int_equal(n_cap, 0);
	/* Answered within its 1 s, in one report naming both groups. */
	punt_query(c, q_igmp2, sizeof(q_igmp2), 1);
	before = n_cap;
	advance(c, 1000);
	assert_int_equal(n_cap, before + 1);
	assert_int_equal(n_igmp_reports(VX_MC_IS_EXCLUDE, "239.1.1.10"), 1);
	assert_int_equal(cap[0][14 + 24 + 7], 2); /* two records */
	assert_int_equal(c->dp->stats[VX_STATS_CONTROL].event[VX_EV_MC_QUERIES], 2);
	/* Once only. */
	advance(c, 5000);
	assert_int_equal(n_cap, before + 1);
	free_ctl(c);
}

static void
test_router_and_mcast_fdb(void **state)
{
	struct vx_ctl *c = modes_ctl();
	struct vx_link *l;
	uint64_t e;
	struct rte_ether_addr m;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	l = vx_link_find(c, "vxlan10");
	ok(c, "fdb add 02:00:00:00:00:fe dev vxlan10 dst 198.51.100.2 router");
	vx_parse_mac("02:00:00:00:00:fe", &m);
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &m), NULL);
	assert_true(e & VX_FDB_ROUTER);
	assert_true(e & VX_FDB_STATIC);
	assert_non_null(
		strstr(show(c, 0, "fdb show dev vxlan10"),
		       "02:00:00:00:00:fe dev vxlan10 dst 198.51.100.2 self router permanent"));
	assert_non_null(strstr(show(c, VX_CMD_JSON, "fdb show dev vxlan10"),
			       "\"flags\":[\"self\",\"router\"]"));
	ok(c, "fdb add 02:00:00:00:00:fd dev net_af_packet0 master router static");
	assert_non_null(
		strstr(show(c, 0, "fdb show dev net_af_packet0"),
		       "02:00:00:00:00:fd dev net_af_packet0 router master vxlan10 static"));
	bad_word(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2 router", "router");
	/* A replace without the word drops the flag, as the kernel's. */
	ok(c, "fdb replace 02:00:00:00:00:fe dev vxlan10 dst 198.51.100.2");
	assert_false(vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &m), NULL) & VX_FDB_ROUTER);

	/* Multicast MACs: the link says so to the workers while it has any. */
	assert_false(c->dp->bd[l->bd]->flags & VX_BD_MCAST_FDB);
	ok(c, "fdb add 01:00:5e:00:00:01 dev vxlan10 dst 198.51.100.3");
	ok(c, "fdb add 33:33:00:00:00:01 dev vxlan10 dst 198.51.100.3");
	assert_true(c->dp->bd[l->bd]->flags & VX_BD_MCAST_FDB);
	assert_int_equal(l->n_mcast, 2);
	ok(c, "fdb del 01:00:5e:00:00:01 dev vxlan10");
	assert_true(c->dp->bd[l->bd]->flags & VX_BD_MCAST_FDB);
	ok(c, "fdb del 33:33:00:00:00:01 dev vxlan10");
	assert_false(c->dp->bd[l->bd]->flags & VX_BD_MCAST_FDB);
	ok(c, "fdb add ff:ff:ff:ff:ff:ff dev vxlan10 dst 198.51.100.3");
	assert_true(c->dp->bd[l->bd]->flags & VX_BD_MCAST_FDB);
	ok(c, "fdb flush dev vxlan10 static");
	assert_false(c->dp->bd[l->bd]->flags & VX_BD_MCAST_FDB);
	free_ctl(c);
}

static void
test_options_save_replay(void **state)
{
	struct vx_ctl *c = modes_ctl(), *d;
	struct vx_out a = {0}, b = {0}, err = {0};
	char path[] = "/tmp/vxt_modes_saveXXXXXX", cmd[128];
	int fd, line;
	const char *cfg[] = {
		"addr add 198.51.100.1/24 dev net_af_packet2",
		"link add vxlan10 type vxlan id 10 local 198.51.100.1 group 239.1.1.10 "
		"dev net_af_packet2 rsc l2miss l3miss proxy learn nolearning",
		"link add vxlan11 type vxlan id 11 group 239.1.1.11 dev net_af_packet2 ttl 64",
		"link add vxlan12 type vxlan id 12 remote 198.51.100.4 proxy",
		"link set dev net_af_packet0 master vxlan10",
		"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3",
		"fdb add 02:00:00:00:00:fe dev vxlan10 dst 198.51.100.2 router",
		"fdb add 02:00:00:00:00:fd dev net_af_packet0 master router static",
		"fdb add 01:00:5e:00:00:fb dev vxlan10 dst 198.51.100.3",
	};
	const char *text;

	for (unsigned int i = 0; i < RTE_DIM(cfg); i++)
		ok(c, cfg[i]);
	text = show(c, 0, "link show vxlan10");
	assert_non_null(strstr(text, " proxy learn rsc l2miss l3miss"));
	assert_non_null(strstr(show(c, VX_CMD_JSON, "link show vxlan10"),
			       "\"proxy\":true,\"proxy_learn\":true,\"rsc\":true"));
	assert_non_null(strstr(show(c, 0, "link show vxlan11"), " ttl 64 "));
	/* `proxy` alone turns the learning off; noproxy both; norsc. */
	ok(c, "link set vxlan10 proxy");
	assert_null(strstr(show(c, 0, "link show vxlan10"), "proxy learn"));
	ok(c, "link set vxlan10 noproxy norsc");
	assert_false(vx_link_find(c, "vxlan10")->opt.flags & (VX_BD_PROXY | VX_BD_PROXY_LEARN));
	assert_null(strstr(show(c, 0, "link show vxlan10"), "rsc"));
	ok(c, "link set vxlan10 proxy learn rsc");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "save %s", path);
	ok(c, cmd);
	d = modes_ctl();
	if (vx_cli_replay(d, path, &line, &err) != 0)
		fail_msg("replay: %s", err.buf);
	for (unsigned int i = 0; i < 3; i++) {
		const char *what[] = {"link show", "fdb show", "neigh show"};

		assert_int_equal(runf(c, VX_CMD_JSON, &a, what[i]), 0);
		assert_int_equal(runf(d, VX_CMD_JSON, &b, what[i]), 0);
		assert_string_equal(a.buf, b.buf);
		assert_int_equal(runf(c, 0, &a, what[i]), 0);
		assert_int_equal(runf(d, 0, &b, what[i]), 0);
		assert_string_equal(a.buf, b.buf);
	}
	/* reload of the same file: the running configuration already is the file's. */
	assert_int_equal(runf(c, 0, &a, "fdb show"), 0);
	snprintf(cmd, sizeof(cmd), "reload %s", path);
	ok(c, cmd);
	assert_int_equal(runf(c, 0, &b, "fdb show"), 0);
	assert_string_equal(a.buf, b.buf);
	/* A router flag dropped in the file is dropped by a reload. */
	{
		char sed[512];

		snprintf(sed, sizeof(sed), "sed -i 's/ self router / self /' %s", path);
		assert_int_equal(system(sed), 0);
	}
	ok(c, cmd);
	assert_null(strstr(show(c, 0, "fdb show dev vxlan10"), "02:00:00:00:00:fe dev vxlan10 dst "
							       "198.51.100.2 self router"));
	assert_non_null(strstr(show(c, 0, "fdb show dev vxlan10"),
			       "02:00:00:00:00:fe dev vxlan10 dst 198.51.100.2 self permanent"));
	/* The saved file has no line for the group's flood entry, and no ttl for vxlan10. */
	{
		FILE *f = fopen(path, "r");
		char l[1024];

		assert_non_null(f);
		while (fgets(l, sizeof(l), f) != NULL) {
			assert_null(strstr(l, "dst 239.1.1.1"));
			if (strstr(l, "link add vxlan10") != NULL)
				assert_null(strstr(l, "ttl"));
		}
		fclose(f);
	}
	unlink(path);
	vx_out_free(&a);
	vx_out_free(&b);
	vx_out_free(&err);
	free_ctl(d);
	free_ctl(c);
}

/* ---- miss events ---- */

static char ev_text[8192], ev_json[8192];
static bool ev_listen = true;

static bool
ev_wanted(void *ctx, const char *stream)
{
	return ev_listen;
}

static void
ev_send(void *ctx, const char *stream, const char *line)
{
	char *buf = strcmp(stream, "fdb.json") == 0 ? ev_json : ev_text;

	strncat(buf, line, sizeof(ev_text) - strlen(buf) - 1);
}

static void
ev_reset(void)
{
	ev_text[0] = ev_json[0] = '\0';
}

static int
count_lines(const char *text, const char *line)
{
	int n = 0;

	for (const char *p = strstr(text, line); p != NULL; p = strstr(p + 1, line))
		n++;
	return n;
}

/* A worker's miss request for mac (VX_LEARN_MISS_MAC) or ip (VX_LEARN_MISS_IP) on link. */
static void
push_miss(struct vx_ctl *c, const char *link, const char *addr)
{
	struct vx_link *l = vx_link_find(c, link);
	struct vx_learn_req r;
	struct rte_ether_addr m = {0};

	memset(&r, 0, sizeof(r));
	if (vx_parse_mac(addr, &m) == 0) {
		r.kind = VX_LEARN_MISS_MAC;
	} else {
		r.kind = VX_LEARN_MISS_IP;
		assert_int_equal(vx_parse_ip(addr, &r.remote), 0);
	}
	r.key = vx_fdb_key(l->bd, &m);
	r.epoch = l->epoch;
	assert_int_equal(rte_ring_enqueue_elem(c->dp->learn_ring[0], &r, sizeof(r)), 0);
}

/* The limiter alone: the same address held for VX_MISS_HOLD_MS, VX_MISS_RATE a second. */
static void
test_miss_admit(void **state)
{
	struct vx_miss m;
	struct vx_miss_addr a = {0}, b = {0};
	uint64_t t = 5000;
	int n = 0;

	memset(&m, 0, sizeof(m));
	a.mac.addr_bytes[5] = 1;
	b.ip.family = AF_INET;
	b.ip.v4.s_addr = htonl(0xcb007102);
	assert_int_equal(vx_miss_admit(&m, &a, t), 1);
	assert_int_equal(vx_miss_admit(&m, &a, t + 1), 0);
	assert_int_equal(vx_miss_admit(&m, &a, t + VX_MISS_HOLD_MS - 1), 0);
	assert_int_equal(vx_miss_admit(&m, &b, t + 10), 1); /* another address */
	assert_int_equal(vx_miss_admit(&m, &a, t + VX_MISS_HOLD_MS), 1);
	/* A scan: the bucket (refilled since, less the one above) lets VX_MISS_RATE - 1 pass. */
	t += VX_MISS_HOLD_MS;
	for (uint32_t i = 0; i < 1000; i++) {
		struct vx_miss_addr s = {0};

		s.mac.addr_bytes[0] = 2;
		memcpy(&s.mac.addr_bytes[2], &i, 4);
		n += vx_miss_admit(&m, &s, t) == 1;
	}
	assert_int_equal(n, VX_MISS_RATE - 1);
	/* Refilled at VX_MISS_RATE a second: 10 ms later, one more. */
	{
		struct vx_miss_addr s = {0};

		s.mac.addr_bytes[5] = 0x77;
		assert_int_equal(vx_miss_admit(&m, &s, t + 1), -1);
		assert_int_equal(vx_miss_admit(&m, &s, t + 1000 / VX_MISS_RATE), 1);
	}
}

static void
test_miss_events(void **state)
{
	struct vx_ctl *c = modes_ctl();

	c->events = (struct vx_ctl_events){.wanted = ev_wanted, .send = ev_send};
	ev_reset();
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2 "
	      "nolearning l2miss l3miss");
	ok(c, "link add vxlan11 type vxlan id 11 local 198.51.100.1 dev net_af_packet2");
	push_miss(c, "vxlan10", "02:00:00:00:00:0b");
	push_miss(c, "vxlan10", "02:00:00:00:00:0b"); /* another worker, or the next second */
	push_miss(c, "vxlan10", "203.0.113.2");
	push_miss(c, "vxlan10", "2001:db8:ff::2");
	push_miss(c, "vxlan11", "02:00:00:00:00:0c"); /* no l2miss on that link */
	vx_core_poll(c);
	assert_int_equal(count_lines(ev_text, "miss 02:00:00:00:00:0b dev vxlan10\n"), 1);
	assert_int_equal(count_lines(ev_text, "miss 203.0.113.2 dev vxlan10\n"), 1);
	assert_int_equal(count_lines(ev_text, "miss 2001:db8:ff::2 dev vxlan10\n"), 1);
	assert_null(strstr(ev_text, "02:00:00:00:00:0c"));
	assert_int_equal(
		count_lines(
			ev_json,
			"{\"miss\":true,\"mac\":\"02:00:00:00:00:0b\",\"ifname\":\"vxlan10\"}\n"),
		1);
	assert_int_equal(
		count_lines(ev_json,
			    "{\"miss\":true,\"dst\":\"203.0.113.2\",\"ifname\":\"vxlan10\"}\n"),
		1);
	assert_int_equal(c->dp->stats[VX_STATS_CONTROL].event[VX_EV_MISSES], 3);
	/* Held for VX_MISS_HOLD_MS, then announced again while still unknown. */
	fake_ms += VX_MISS_HOLD_MS - 1;
	push_miss(c, "vxlan10", "02:00:00:00:00:0b");
	vx_core_poll(c);
	assert_int_equal(count_lines(ev_text, "miss 02:00:00:00:00:0b"), 1);
	fake_ms += 1;
	push_miss(c, "vxlan10", "02:00:00:00:00:0b");
	vx_core_poll(c);
	assert_int_equal(count_lines(ev_text, "miss 02:00:00:00:00:0b"), 2);
	/* Known by the time the request is read (a controller added it): no miss. */
	fake_ms += VX_MISS_HOLD_MS;
	ok(c, "fdb add 02:00:00:00:00:0b dev vxlan10 dst 198.51.100.2");
	ok(c, "neigh add 203.0.113.2 lladdr 02:00:00:00:00:0b dev vxlan10");
	push_miss(c, "vxlan10", "02:00:00:00:00:0b");
	push_miss(c, "vxlan10", "203.0.113.2");
	vx_core_poll(c);
	assert_int_equal(count_lines(ev_text, "miss 02:00:00:00:00:0b"), 2);
	assert_int_equal(count_lines(ev_text, "miss 203.0.113.2"), 1);
	/* A scan of 1000 MACs: VX_MISS_RATE lines, the rest counted. */
	ev_reset();
	for (unsigned int i = 0; i < 1000; i++) {
		char mac[32];

		snprintf(mac, sizeof(mac), "02:aa:00:00:%02x:%02x", i >> 8, i & 0xff);
		push_miss(c, "vxlan10", mac);
	}
	vx_core_poll(c);
	assert_int_equal(count_lines(ev_text, "miss 02:aa:"), VX_MISS_RATE);
	assert_int_equal(c->dp->stats[VX_STATS_CONTROL].event[VX_EV_MISS_LIMITED],
			 1000 - VX_MISS_RATE);
	/* A miss of a link deleted or re-added since (another epoch) says nothing. */
	ev_reset();
	push_miss(c, "vxlan10", "02:00:00:00:00:99");
	ok(c, "link del vxlan10");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 l2miss");
	vx_core_poll(c);
	assert_null(strstr(ev_text, "02:00:00:00:00:99"));
	/* Nobody listening: nothing formatted, nothing held back. */
	ev_listen = false;
	push_miss(c, "vxlan10", "02:00:00:00:00:98");
	vx_core_poll(c);
	ev_listen = true;
	push_miss(c, "vxlan10", "02:00:00:00:00:98");
	vx_core_poll(c);
	assert_int_equal(count_lines(ev_text, "miss 02:00:00:00:00:98"), 1);
	c->events = (struct vx_ctl_events){0};
	free_ctl(c);
}

/* ---- proxy learn and the neighbour map ---- */

/* An inner frame of vxlan's link as the workers punt it (VX_PUNT_OVERLAY). */
static void
punt_inner(struct vx_ctl *c, const char *link, const uint8_t *f, uint16_t len, bool access)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint32_t lo = vx_link_find(c, link)->bd | VX_PUNT_OVL_COPY;

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, len), f, len);
	m->port = access ? 0 : 2;
	m->hash.fdir.lo = lo | (access ? VX_PUNT_OVL_ACCESS : 0);
	m->hash.fdir.hi = VX_PUNT_OVERLAY;
	vx_core_overlay_input(c, m);
}

static const struct rte_ether_addr mac_b = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x0b}};
static const struct rte_ether_addr mac_a = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x0a}};

/* B's ARP reply to A (spa 203.0.113.2). */
static uint16_t
arp_reply(uint8_t *buf, const struct rte_ether_addr *sha, const char *spa)
{
	struct in_addr s, t;

	inet_pton(AF_INET, spa, &s);
	inet_pton(AF_INET, "203.0.113.1", &t);
	return vx_arp_build(buf, RTE_ARP_OP_REPLY, 0, &mac_a, sha, s, &mac_a, t);
}

static const struct vx_nbr *
map_lookup(struct vx_ctl *c, const char *link, const char *ip)
{
	const struct vx_bd *bd = c->dp->bd[vx_link_find(c, link)->bd];
	struct vx_ip a;

	vx_parse_ip(ip, &a);
	return vx_nbr_lookup(bd->nbr, a.family, a.bytes);
}

static void
test_proxy_learn(void **state)
{
	struct vx_ctl *c = modes_ctl();
	struct in6_addr tgt, dst;
	uint8_t f[128];
	uint16_t len;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2 "
	      "proxy learn ageing 30");
	ok(c, "link add vxlan11 type vxlan id 11 local 198.51.100.1 dev net_af_packet2 proxy");
	/* An ARP reply and an NA from the overlay are learned. */
	len = arp_reply(f, &mac_b, "203.0.113.2");
	punt_inner(c, "vxlan10", f, len, false);
	punt_inner(c, "vxlan11", f, len, false); /* not a learning link */
	inet_pton(AF_INET6, "2001:db8:ff::2", &tgt);
	inet_pton(AF_INET6, "2001:db8:ff::1", &dst);
	len = vx_nd_build_na(f, 0, &mac_b, &mac_a, &tgt, &dst, VX_ND_NA_S | VX_ND_NA_O);
	punt_inner(c, "vxlan10", f, len, false);
	assert_non_null(strstr(show(c, 0, "neigh show dev vxlan10"),
			       "203.0.113.2 dev vxlan10 lladdr 02:00:00:00:00:0b STALE\n"));
	assert_non_null(strstr(show(c, 0, "neigh show dev vxlan10"),
			       "2001:db8:ff::2 dev vxlan10 lladdr 02:00:00:00:00:0b STALE\n"));
	assert_string_equal(show(c, 0, "neigh show dev vxlan11"), "");
	/* In the link's published map; not in a plain proxy link's (it has none). */
	assert_non_null(map_lookup(c, "vxlan10", "203.0.113.2"));
	assert_memory_equal(&map_lookup(c, "vxlan10", "2001:db8:ff::2")->mac, &mac_b, 6);
	assert_null(map_lookup(c, "vxlan10", "203.0.113.3"));
	assert_null(c->dp->bd[vx_link_find(c, "vxlan11")->bd]->nbr);
	/* The next access request is answered from it. */
	{
		struct in_addr s, t;
		static const struct rte_ether_addr bc = {
			.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
		struct vx_arp a;

		inet_pton(AF_INET, "203.0.113.1", &s);
		inet_pton(AF_INET, "203.0.113.2", &t);
		len = vx_arp_build(f, RTE_ARP_OP_REQUEST, 0, &bc, &mac_a, s,
				   &(struct rte_ether_addr){0}, t);
		n_cap = 0;
		punt_inner(c, "vxlan10", f, len, true);
		assert_int_equal(n_cap, 1);
		assert_int_equal(vx_arp_parse(cap[0], cap_len[0], &a), 0);
		assert_int_equal(a.op, RTE_ARP_OP_REPLY);
		assert_memory_equal(&a.sha, &mac_b, 6);
	}
	/* Requests and access frames teach nothing; neither does a static entry's address. */
	len = arp_reply(f, &(struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x0c}}, "203.0.113.3");
	punt_inner(c, "vxlan10", f, len, true);
	assert_null(strstr(show(c, 0, "neigh show dev vxlan10"), "203.0.113.3"));
	ok(c, "neigh add 203.0.113.4 lladdr 02:00:00:00:00:0d dev vxlan10");
	len = arp_reply(f, &(struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x0e}}, "203.0.113.4");
	punt_inner(c, "vxlan10", f, len, false);
	assert_non_null(strstr(show(c, 0, "neigh show dev vxlan10"),
			       "203.0.113.4 dev vxlan10 lladdr 02:00:00:00:00:0d PERMANENT"));
	assert_int_equal(c->dp->stats[VX_STATS_CONTROL].event[VX_EV_NEIGH_STATIC], 1);
	/* A static entry replaces a learned one; learned ones are not saved. */
	ok(c, "neigh add 2001:db8:ff::2 lladdr 02:00:00:00:00:0f dev vxlan10");
	assert_non_null(strstr(show(c, 0, "neigh show dev vxlan10"),
			       "2001:db8:ff::2 dev vxlan10 lladdr 02:00:00:00:00:0f PERMANENT"));
	assert_null(strstr(show(c, 0, "neigh show dev vxlan10"), "02:00:00:00:00:0f STALE"));
	/* Refreshed by the next reply; aged ageing seconds after the last. */
	fake_ms += 20000;
	c->dp->now += 20;
	vx_core_poll(c);
	len = arp_reply(f, &mac_b, "203.0.113.2");
	punt_inner(c, "vxlan10", f, len, false);
	fake_ms += 20000;
	c->dp->now += 20;
	vx_core_poll(c);
	assert_non_null(map_lookup(c, "vxlan10", "203.0.113.2"));
	fake_ms += 10000;
	c->dp->now += 10;
	vx_core_poll(c);
	assert_null(strstr(show(c, 0, "neigh show dev vxlan10"), "203.0.113.2 "));
	assert_null(map_lookup(c, "vxlan10", "203.0.113.2"));
	assert_non_null(map_lookup(c, "vxlan10", "203.0.113.4"));
	assert_int_equal(c->dp->stats[VX_STATS_CONTROL].event[VX_EV_NEIGH_AGED], 1);
	/* neigh flush takes learned entries only. */
	len = arp_reply(f, &mac_b, "203.0.113.2");
	punt_inner(c, "vxlan10", f, len, false);
	ok(c, "neigh flush dev vxlan10");
	assert_null(strstr(show(c, 0, "neigh show dev vxlan10"), "203.0.113.2 "));
	assert_non_null(strstr(show(c, 0, "neigh show dev vxlan10"), "203.0.113.4 "));
	free_ctl(c);
}

/* An rsc link's map holds its static entries; changes republish it. */
static void
test_rsc_map(void **state)
{
	struct vx_ctl *c = modes_ctl();

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2");
	ok(c, "neigh add 203.0.113.130 lladdr 02:00:00:00:00:0b dev vxlan10");
	assert_null(c->dp->bd[vx_link_find(c, "vxlan10")->bd]->nbr);
	ok(c, "link set vxlan10 rsc");
	assert_non_null(map_lookup(c, "vxlan10", "203.0.113.130"));
	ok(c, "-6 neigh add 2001:db8:ff::8000:0:0:13 lladdr 02:00:00:00:00:0c dev vxlan10");
	assert_memory_equal(&map_lookup(c, "vxlan10", "2001:db8:ff::8000:0:0:13")->mac,
			    ((uint8_t[]){2, 0, 0, 0, 0, 0x0c}), 6);
	ok(c, "neigh del 203.0.113.130 dev vxlan10");
	assert_null(map_lookup(c, "vxlan10", "203.0.113.130"));
	/* Many entries: every one found, none invented. */
	for (unsigned int i = 0; i < 200; i++) {
		char line[128];

		snprintf(line, sizeof(line),
			 "neigh add 203.0.113.%u lladdr 02:00:00:00:01:%02x dev vxlan10", i, i);
		ok(c, line);
	}
	for (unsigned int i = 0; i < 256; i++) {
		char ip[32];
		const struct vx_nbr *e;

		snprintf(ip, sizeof(ip), "203.0.113.%u", i);
		e = map_lookup(c, "vxlan10", ip);
		if (i < 200) {
			assert_non_null(e);
			assert_int_equal(e->mac.addr_bytes[5], i);
		} else {
			assert_null(e);
		}
	}
	free_ctl(c);
}

static int
setup(void)
{
	pool = rte_pktmbuf_pool_create("modes", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static void
teardown(void)
{
	rte_mempool_free(pool);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_link),
		cmocka_unit_test(test_group_link_v6),
		cmocka_unit_test(test_group_query),
		cmocka_unit_test(test_router_and_mcast_fdb),
		cmocka_unit_test(test_options_save_replay),
		cmocka_unit_test(test_miss_admit),
		cmocka_unit_test(test_miss_events),
		cmocka_unit_test(test_proxy_learn),
		cmocka_unit_test(test_rsc_map),
	};

	return run_eal_tests(argv[0], "modes", tests, RTE_DIM(tests), setup, teardown);
}
