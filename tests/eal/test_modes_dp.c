/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The modes end to end on one worker: the control thread configured with
 * vxctl words (the harness), frames fed to the worker's stages
 * (vx_access_burst, vx_decap_burst), what they send read back from ring
 * ethdevs (ports 0..2 are net_af_packet0..2 of the harness):
 *
 *   port 0  access (vxlan10), hosts H1 ...
 *   port 1  underlay, 198.51.100.1; VTEPs .2 and .3 with static neighbours
 *   port 2  a second access port when a test needs local members
 *
 * Multicast group (VXLAN taken from the group, BUM frames sent once to
 * it), IGMP/MLD punted, FDB entries for multicast MACs, l2miss without a
 * catch-all, route short-circuit, proxy learn.
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
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"
#include "vx_worker.h"

#define N_PORTS 3
#define MAX_CAP 64

static struct rte_mempool *pool;
static struct rte_ring *rxr[N_PORTS], *txr[N_PORTS];
static uint8_t cap[MAX_CAP][1600];
static uint16_t cap_len[MAX_CAP];
static int n_cap;
static char ev_text[8192];

/* What the control thread sends (answers, reports). */
static uint16_t
fake_tx(struct vx_ctl *ctl, uint16_t port, struct rte_mbuf **m, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		if (n_cap < MAX_CAP) {
			cap_len[n_cap] = RTE_MIN(rte_pktmbuf_pkt_len(m[i]), sizeof(cap[0]));
			memcpy(cap[n_cap], rte_pktmbuf_mtod(m[i], void *), cap_len[n_cap]);
			n_cap++;
		}
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

static bool
ev_wanted(void *ctx, const char *stream)
{
	return strcmp(stream, "fdb") == 0;
}

static void
ev_send(void *ctx, const char *stream, const char *line)
{
	strncat(ev_text, line, sizeof(ev_text) - strlen(ev_text) - 1);
}

#include "ctl_harness.h"

static const uint8_t h1[6] = {0x02, 0xaa, 0, 0, 0, 0x01};  /* behind port 0 */
static const uint8_t h2[6] = {0x02, 0xaa, 0, 0, 0, 0x02};  /* behind a VTEP */
static const uint8_t h4[6] = {0x02, 0xaa, 0, 0, 0, 0x04};  /* rsc: the host behind .3 */
static const uint8_t rtr[6] = {0x02, 0xaa, 0, 0, 0, 0xfe}; /* rsc: the absent router */
static const uint8_t vtep2_mac[6] = {0x02, 0xbb, 0, 0, 0, 0x02};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct vx_ctl *c;
static struct vx_worker w;

static const char *
show_of(const char *line)
{
	static struct vx_out o;

	if (runf(c, 0, &o, line) < 0)
		fail_msg("%s: %s", line, o.buf ? o.buf : "");
	return o.buf != NULL ? o.buf : "";
}

static const char *
show_fdb(void)
{
	return show_of("fdb show");
}

static const char *
show_neigh(void)
{
	return show_of("neigh show dev vxlan10");
}

static void
free_all_mbufs(struct rte_mbuf **m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

static void
wr16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

/* Ethernet/IPv4/UDP to dip with TTL ttl, or IPv6 (dip has a ':') with hop limit ttl. */
static size_t
ip_frame(uint8_t *b, const uint8_t *dst, const uint8_t *src, const char *dip, uint8_t ttl)
{
	bool v6 = strchr(dip, ':') != NULL;
	uint8_t *ip = b + 14;

	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	memset(ip, 0, 40 + 8 + 32);
	if (!v6) {
		wr16(b + 12, 0x0800);
		ip[0] = 0x45;
		wr16(ip + 2, 20 + 8 + 32);
		ip[8] = ttl;
		ip[9] = IPPROTO_UDP;
		inet_pton(AF_INET, "203.0.113.10", ip + 12);
		inet_pton(AF_INET, dip, ip + 16);
		((struct rte_ipv4_hdr *)ip)->hdr_checksum = rte_ipv4_cksum((void *)ip);
		wr16(ip + 20 + 4, 8 + 32);
		return 14 + 20 + 8 + 32;
	}
	wr16(b + 12, 0x86dd);
	ip[0] = 0x60;
	wr16(ip + 4, 8 + 32);
	ip[6] = IPPROTO_UDP;
	ip[7] = ttl;
	inet_pton(AF_INET6, "2001:db8:ff::10", ip + 8);
	inet_pton(AF_INET6, dip, ip + 24);
	wr16(ip + 40 + 4, 8 + 32);
	return 14 + 40 + 8 + 32;
}

/* An ARP request (op 1) for tip or reply (op 2) from spa at sha to tha. */
static size_t
arp_frame(uint8_t *b, uint16_t op, const uint8_t *dst, const uint8_t *sha, const char *spa,
	  const char *tpa)
{
	struct in_addr s, t;
	struct rte_ether_addr d, sh, th = {0};

	inet_pton(AF_INET, spa, &s);
	inet_pton(AF_INET, tpa, &t);
	memcpy(d.addr_bytes, dst, 6);
	memcpy(sh.addr_bytes, sha, 6);
	if (op == RTE_ARP_OP_REPLY)
		th = d;
	return vx_arp_build(b, op, 0, &d, &sh, s, &th, t);
}

/* VXLAN over IPv4 from src to dst (dmac its MAC), VNI 10, around inner. */
static size_t
vxlan_frame(uint8_t *b, const uint8_t *dmac, const char *src, const char *dst, const uint8_t *inner,
	    size_t len)
{
	uint8_t *ip = b + 14, *uh = ip + 20;

	memcpy(b, dmac, 6);
	memcpy(b + 6, vtep2_mac, 6);
	wr16(b + 12, 0x0800);
	memset(ip, 0, 20 + 16);
	ip[0] = 0x45;
	wr16(ip + 2, 20 + 16 + len);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	((struct rte_ipv4_hdr *)ip)->hdr_checksum = rte_ipv4_cksum((void *)ip);
	wr16(uh, 40000);
	wr16(uh + 2, 4789);
	wr16(uh + 4, 16 + len);
	uh[8] = 0x08;
	uh[14] = 10;
	memcpy(uh + 16, inner, len);
	return 14 + 20 + 16 + len;
}

static void
feed(uint16_t port, const uint8_t *f, size_t len, bool underlay)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, len), f, len);
	m->port = port;
	if (underlay)
		vx_decap_burst(&w, port, &m, 1);
	else
		vx_access_burst(&w, port, &m, 1);
	vx_tx_flush(&w);
}

/* Frames sent on port p since the last call, copied into out[] (at most max); how many. */
static unsigned int
sent(int p, uint8_t (*out)[1600], uint16_t *len, unsigned int max)
{
	struct rte_mbuf *m[64];
	unsigned int n = rte_ring_dequeue_burst(txr[p], (void **)m, RTE_DIM(m), NULL);

	for (unsigned int i = 0; i < n; i++) {
		if (i < max) {
			const void *d;

			len[i] = rte_pktmbuf_pkt_len(m[i]);
			d = rte_pktmbuf_read(m[i], 0, len[i], out[i]);
			assert_non_null(d);
			if (d != out[i])
				memcpy(out[i], d, len[i]);
		}
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

static unsigned int
n_sent(int p)
{
	static uint8_t scratch[1][1600];
	uint16_t l[1];

	return sent(p, scratch, l, 0);
}

static uint64_t
wev(enum vx_event e)
{
	return c->dp->stats[0].event[e];
}

static int
setup_test(void **state)
{
	c = new_ctl();
	c->dp->pool = pool;
	c->dp->hdr_pool = pool;
	c->dp->now = 100;
	c->ul->tx = fake_tx;
	c->events = (struct vx_ctl_events){.wanted = ev_wanted, .send = ev_send};
	ev_text[0] = '\0';
	n_cap = 0;
	memset(&w, 0, sizeof(w));
	w.dp = c->dp;
	w.id = 0;
	w.st = &c->dp->stats[0];
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet1");
	ok(c, "neigh add 198.51.100.2 lladdr 02:bb:00:00:00:02 dev net_af_packet1");
	ok(c, "neigh add 198.51.100.3 lladdr 02:bb:00:00:00:03 dev net_af_packet1");
	n_cap = 0;
	for (int p = 0; p < N_PORTS; p++)
		n_sent(p);
	return 0;
}

static int
teardown_test(void **state)
{
	struct rte_mbuf *m;

	free_ctl(c);
	for (int p = 0; p < N_PORTS; p++)
		while (rte_ring_dequeue(txr[p], (void **)&m) == 0)
			rte_pktmbuf_free(m);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	return 0;
}

/* The outer IPv4 destination of a VXLAN frame, as text. */
static const char *
outer_dst(const uint8_t *f)
{
	static char a[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, f + 14 + 16, a, sizeof(a));
}

static void
test_group_tx_rx(void **state)
{
	uint8_t f[256], vx[512], out[4][1600];
	uint16_t len[4];
	size_t n, vn;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 group 239.1.1.10 "
	      "dev net_af_packet1");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	/* A broadcast leaves once, to the group: its MAC, TTL 1. */
	n = arp_frame(f, RTE_ARP_OP_REQUEST, bcast, h1, "203.0.113.1", "203.0.113.2");
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_memory_equal(out[0], ((uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x01, 0x0a}), 6);
	assert_string_equal(outer_dst(out[0]), "239.1.1.10");
	assert_int_equal(out[0][14 + 8], 1);
	assert_memory_equal(out[0] + 50, f, n);
	/* With a flood entry beside the group: one copy each. */
	ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3");
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 2);
	assert_string_equal(outer_dst(out[0]), "239.1.1.10");
	assert_string_equal(outer_dst(out[1]), "198.51.100.3");

	/* VXLAN sent to the group is taken (and its sender learned), to another group not. */
	n = arp_frame(f, RTE_ARP_OP_REPLY, h1, h2, "203.0.113.2", "203.0.113.1");
	vn = vxlan_frame(vx, (uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x01, 0x0a}, "198.51.100.2",
			 "239.1.1.10", f, n);
	feed(1, vx, vn, true);
	assert_int_equal(sent(0, out, len, 4), 1);
	assert_memory_equal(out[0], f, n);
	vx_core_poll(c);
	assert_non_null(strstr(show_fdb(), "02:aa:00:00:00:02 dev vxlan10 dst 198.51.100.2 self"));
	vn = vxlan_frame(vx, (uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x01, 0x0b}, "198.51.100.2",
			 "239.1.1.11", f, n);
	feed(1, vx, vn, true);
	assert_int_equal(n_sent(0), 0);
	assert_int_equal(c->dp->stats[0].drop[VX_DROP_UL_NOT_FOR_US], 1);
	/* Unicast to our address still works; after link del the group is not ours any more. */
	vn = vxlan_frame(vx, (uint8_t[]){0x02, 0, 0, 0, 0, 0x02}, "198.51.100.2", "198.51.100.1", f,
			 n);
	feed(1, vx, vn, true);
	assert_int_equal(n_sent(0), 1);
	ok(c, "link del vxlan10");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet1");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	vn = vxlan_frame(vx, (uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x01, 0x0a}, "198.51.100.2",
			 "239.1.1.10", f, n);
	feed(1, vx, vn, true);
	assert_int_equal(n_sent(0), 0);
	assert_int_equal(c->dp->stats[0].drop[VX_DROP_UL_NOT_FOR_US], 2);
}

/* IGMP and MLD (hop-by-hop) to multicast addresses go to the control thread. */
static void
test_mcast_punt(void **state)
{
	/* The general IGMPv2 query and MLDv2 query of tests/data/mcast.hex. */
	static const uint8_t igmp[] = {
		0x01, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x99, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0xaf, 0xa1, 0xc6, 0x33,
		0x64, 0x09, 0xe0, 0x00, 0x00, 0x01, 0x11, 0x0a, 0xee, 0xf5, 0x00, 0x00, 0x00, 0x00};
	static const char *mld_hex =
		"33330000000102000000009986dd6000000000240001fe8000000000000000"
		"00000000000099ff0200000000000000000000000000013a000502000001"
		"0082007ba303e800000000000000000000000000000000000000000000";
	uint8_t mld[128];
	size_t ml = strlen(mld_hex) / 2;
	struct rte_mbuf *m[4] = {NULL};
	unsigned int n;

	for (size_t i = 0; i < ml; i++)
		sscanf(mld_hex + 2 * i, "%2hhx", &mld[i]);
	ok(c, "link add vxlan10 type vxlan id 10 group 239.1.1.10 dev net_af_packet1");
	feed(1, igmp, sizeof(igmp), true);
	feed(1, mld, ml, true);
	n = rte_ring_dequeue_burst(c->dp->punt_ring[0], (void **)m, RTE_DIM(m), NULL);
	assert_int_equal(n, 2);
	assert_int_equal(m[0]->hash.fdir.hi, VX_PUNT_MCAST);
	assert_int_equal(m[1]->hash.fdir.hi, VX_PUNT_MCAST);
	free_all_mbufs(m, n);
}

static void
test_mcast_fdb(void **state)
{
	uint8_t f[256], out[4][1600];
	uint16_t len[4];
	size_t n;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
	      "dev net_af_packet1");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "link set dev net_af_packet2 master vxlan10");
	ok(c, "fdb add 01:00:5e:00:00:fb dev vxlan10 dst 198.51.100.3");
	/* To that entry's VTEP only, not the flood list; the local member still gets it. */
	n = ip_frame(f, (uint8_t[]){0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}, h1, "224.0.0.251", 1);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.3");
	assert_int_equal(n_sent(2), 1);
	/* Another group MAC (no entry) and broadcast: the flood list. */
	n = ip_frame(f, (uint8_t[]){0x01, 0x00, 0x5e, 0x00, 0x00, 0xfc}, h1, "224.0.0.252", 1);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.2");
	assert_int_equal(n_sent(2), 1);
	n = ip_frame(f, bcast, h1, "203.0.113.255", 1);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.2");
	assert_int_equal(n_sent(2), 1);
}

static void
test_l2miss(void **state)
{
	uint8_t f[256];
	struct rte_mbuf *m[8] = {NULL};
	size_t n;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet1 "
	      "nolearning l2miss");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	/* No catch-all: an unknown unicast goes nowhere, once reported, counted. */
	n = ip_frame(f, h2, h1, "203.0.113.2", 64);
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 8; k++) {
			m[k] = rte_pktmbuf_alloc(pool);
			memcpy(rte_pktmbuf_append(m[k], n), f, n);
		}
		vx_access_burst(&w, 0, m, 8);
		vx_tx_flush(&w);
	}
	assert_int_equal(n_sent(1), 0);
	assert_int_equal(wev(VX_EV_L2MISS), 24);
	assert_int_equal(c->dp->stats[0].drop[VX_DROP_NO_FLOOD], 24);
	assert_int_equal(wev(VX_EV_MISS_SUPPRESSED), 0);
	vx_core_poll(c);
	assert_non_null(strstr(ev_text, "miss 02:aa:00:00:00:02 dev vxlan10\n"));
	assert_null(strstr(strstr(ev_text, "miss ") + 1, "miss "));
	/* Once a second per worker for one MAC: the next second it is pushed again. */
	c->dp->now++;
	feed(0, f, n, false);
	assert_int_equal(rte_ring_count(c->dp->learn_ring[0]), 1);
	/* A local member still gets it; broadcast is no miss. */
	ok(c, "link set dev net_af_packet2 master vxlan10");
	feed(0, f, n, false);
	assert_int_equal(n_sent(2), 1);
	n = ip_frame(f, bcast, h1, "203.0.113.255", 64);
	feed(0, f, n, false);
	assert_int_equal(wev(VX_EV_L2MISS), 26);
	vx_core_poll(c);
	/* A catch-all: flooded, no miss. */
	ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2");
	n = ip_frame(f, (uint8_t[]){0x02, 0xaa, 0, 0, 0, 0x77}, h1, "203.0.113.7", 64);
	feed(0, f, n, false);
	assert_int_equal(n_sent(1), 1);
	assert_int_equal(wev(VX_EV_L2MISS), 26);
	/* A scan: at most VX_MISS_WORKER_PPS requests a second leave the worker. */
	ok(c, "fdb del 00:00:00:00:00:00 dev vxlan10");
	c->dp->now++;
	for (unsigned int i = 0; i < VX_MISS_WORKER_PPS + 50; i++) {
		uint8_t d[6] = {0x02, 0xcc, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};

		n = ip_frame(f, d, h1, "203.0.113.7", 64);
		feed(0, f, n, false);
		if (rte_ring_count(c->dp->learn_ring[0]) > 512)
			vx_core_learn_poll(c);
	}
	assert_int_equal(wev(VX_EV_MISS_SUPPRESSED), 50);
}

/* Seed 002: H1 reaches H4 through the router's entry, the router absent. */
static void
test_rsc(void **state)
{
	uint8_t f[256], out[4][1600];
	uint16_t len[4];
	const uint8_t *in;
	size_t n;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet1 rsc "
	      "l3miss");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "fdb add 02:aa:00:00:00:fe dev vxlan10 dst 198.51.100.2 router");
	ok(c, "fdb add 02:aa:00:00:00:04 dev vxlan10 dst 198.51.100.3");
	ok(c, "neigh add 203.0.113.130 lladdr 02:aa:00:00:00:04 dev vxlan10");
	ok(c, "neigh add 2001:db8:ff::8000:0:0:13 lladdr 02:aa:00:00:00:04 dev vxlan10");
	n = ip_frame(f, rtr, h1, "203.0.113.130", 64);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.3");
	in = out[0] + 50;
	assert_memory_equal(in, h4, 6);
	assert_memory_equal(in + 6, rtr, 6);
	assert_int_equal(in[14 + 8], 63);
	/* The header with its checksum sums to 0xffff: the incremental update is right. */
	assert_int_equal(rte_ipv4_cksum((const void *)(in + 14)), 0);
	assert_int_equal(wev(VX_EV_RSC), 1);
	/* IPv6: hop limit. */
	n = ip_frame(f, rtr, h1, "2001:db8:ff::8000:0:0:13", 64);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.3");
	assert_int_equal(out[0][50 + 14 + 7], 63);
	/* No neighbour: to the router as is, an l3miss; TTL 1: to the router. */
	n = ip_frame(f, rtr, h1, "203.0.113.131", 64);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.2");
	assert_memory_equal(out[0] + 50, f, n);
	vx_core_poll(c);
	assert_non_null(strstr(ev_text, "miss 203.0.113.131 dev vxlan10\n"));
	n = ip_frame(f, rtr, h1, "203.0.113.130", 1);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.2");
	/* Without rsc on the link, or to an entry not marked router: switched as addressed. */
	ok(c, "link set vxlan10 norsc");
	n = ip_frame(f, rtr, h1, "203.0.113.130", 64);
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_string_equal(outer_dst(out[0]), "198.51.100.2");
	assert_int_equal(wev(VX_EV_RSC), 2);
}

static void
test_proxy_learn(void **state)
{
	uint8_t f[256], vx[512], out[4][1600];
	uint16_t len[4];
	size_t n, vn;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
	      "dev net_af_packet1 proxy learn");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	/* Unknown: H1's request crosses the tunnel. */
	n = arp_frame(f, RTE_ARP_OP_REQUEST, bcast, h1, "203.0.113.1", "203.0.113.2");
	feed(0, f, n, false);
	assert_int_equal(sent(1, out, len, 4), 1);
	assert_memory_equal(out[0] + 50, f, n);
	/* H2's reply comes back: delivered, and a copy teaches the switch. */
	n = arp_frame(f, RTE_ARP_OP_REPLY, h1, h2, "203.0.113.2", "203.0.113.1");
	vn = vxlan_frame(vx, (uint8_t[]){0x02, 0, 0, 0, 0, 0x02}, "198.51.100.2", "198.51.100.1", f,
			 n);
	feed(1, vx, vn, true);
	assert_int_equal(n_sent(0), 1);
	vx_ul_poll(c);
	assert_non_null(
		strstr(show_neigh(), "203.0.113.2 dev vxlan10 lladdr 02:aa:00:00:00:02 STALE"));
	/* The next request is answered by the switch: nothing crosses. */
	n_cap = 0;
	n = arp_frame(f, RTE_ARP_OP_REQUEST, bcast, h1, "203.0.113.1", "203.0.113.2");
	feed(0, f, n, false);
	assert_int_equal(n_sent(1), 0);
	vx_ul_poll(c);
	assert_int_equal(n_cap, 1);
	assert_memory_equal(cap[0], h1, 6);
	assert_memory_equal(cap[0] + 22, h2, 6); /* sender hardware address: H2 */
}

static int
setup(void)
{
	struct rte_eth_conf conf = {0};
	char name[32];

	pool = rte_pktmbuf_pool_create("modes_dp", 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	for (int p = 0; p < N_PORTS; p++) {
		int id;

		snprintf(name, sizeof(name), "mrx%d", p);
		rxr[p] = rte_ring_create(name, 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "mtx%d", p);
		txr[p] = rte_ring_create(name, 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "net_ring_modes%d", p);
		id = rte_eth_from_rings(name, &rxr[p], 1, &txr[p], 1, SOCKET_ID_ANY);
		/* The harness's ports are 0..2: these must be the only ethdevs. */
		if (id != p || rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
		    rte_eth_rx_queue_setup(id, 0, 1024, SOCKET_ID_ANY, NULL, pool) != 0 ||
		    rte_eth_tx_queue_setup(id, 0, 1024, SOCKET_ID_ANY, NULL) != 0 ||
		    rte_eth_dev_start(id) != 0)
			return -1;
	}
	return 0;
}

static void
teardown(void)
{
	for (int p = 0; p < N_PORTS; p++) {
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
	rte_mempool_free(pool);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_tx_rx, setup_test, teardown_test),
		cmocka_unit_test_setup_teardown(test_mcast_punt, setup_test, teardown_test),
		cmocka_unit_test_setup_teardown(test_mcast_fdb, setup_test, teardown_test),
		cmocka_unit_test_setup_teardown(test_l2miss, setup_test, teardown_test),
		cmocka_unit_test_setup_teardown(test_rsc, setup_test, teardown_test),
		cmocka_unit_test_setup_teardown(test_proxy_learn, setup_test, teardown_test),
	};

	return run_eal_tests(argv[0], "modes_dp", tests, RTE_DIM(tests), setup, teardown);
}
