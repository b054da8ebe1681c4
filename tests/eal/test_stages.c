/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pipeline stages (decap, access, encap, flood, tx, worker) on a real
 * EAL with hand-built mbufs. Ports are ethdevs made from rings
 * (rte_eth_from_rings): what a stage transmits lands in the port's tx
 * ring, where the test reads it back byte by byte. Tables are set up by
 * hand for each test (vx_dp_init, rte_zmalloc'd objects published into
 * dp), and every test ends with both mempools back to zero mbufs in use.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_udp.h>

#include "vx_encap.h"
#include "vx_fdb.h"
#include "vx_parse.h"
#include "vx_tables.h"
#include "vx_wire.h"
#include "vx_worker.h"

#ifndef VX_TEST_DATA
#define VX_TEST_DATA "tests/data"
#endif

/* Ports: one underlay, two access, one carrying both roles. */
enum { P_UL, P_A1, P_A2, P_MIX, N_PORTS };
static uint16_t pid[N_PORTS];
static struct rte_ring *rxr[N_PORTS], *txr[N_PORTS];
static struct rte_mempool *pool, *hdr_pool;

static struct vx_dp dp;
static struct vx_worker w;
/* mbufs in use when a test starts (a failed test's leftovers stay out of the next one) */
static unsigned int base_pool, base_hdr;

static const uint8_t ul_mac[6] = {0x02, 0, 0, 0, 0, 0x10}; /* underlay port */
static const uint8_t nh_mac[6] = {0x02, 0, 0, 0, 0, 0x20}; /* next hop / peer VTEP */
static const uint8_t mix_mac[6] = {0x02, 0, 0, 0, 0, 0x13};
static const uint8_t h1[6] = {0x02, 0, 0, 0, 1, 1}; /* hosts */
static const uint8_t h2[6] = {0x02, 0, 0, 0, 1, 2};
static const uint8_t h3[6] = {0x02, 0, 0, 0, 1, 3};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

#define VNI1 100
#define VNI2 0xabcdef
#define VNI3 300
#define VNI4 400

/* ---- building blocks ---- */

static void
wr16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

static uint16_t
rd16(const uint8_t *b)
{
	return ((uint16_t)b[0] << 8) | b[1];
}

static struct vx_ip
ip_of(const char *s)
{
	struct vx_ip ip;

	memset(&ip, 0, sizeof(ip));
	if (strchr(s, ':') != NULL) {
		ip.family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, s, &ip.v6), 1);
	} else {
		ip.family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, s, &ip.v4), 1);
	}
	return ip;
}

static uint64_t
key(uint16_t bd, const uint8_t *mac)
{
	struct rte_ether_addr a;

	memcpy(a.addr_bytes, mac, 6);
	return vx_fdb_key(bd, &a);
}

static uint64_t
drops(enum vx_drop why)
{
	return dp.stats[0].drop[why];
}

static uint64_t
events(enum vx_event ev)
{
	return dp.stats[0].event[ev];
}

/* Inner Ethernet/IPv4/UDP frame; flow varies the IP source and UDP ports. */
static size_t
inner_frame(uint8_t *b, const uint8_t *dst, const uint8_t *src, uint16_t vlan, uint32_t flow,
	    size_t payload)
{
	size_t off = 12, l3;

	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	if (vlan != 0) {
		wr16(b + 12, 0x8100);
		wr16(b + 14, vlan);
		off += 4;
	}
	wr16(b + off, 0x0800);
	off += 2;
	l3 = off;
	memset(b + l3, 0, 28);
	b[l3] = 0x45;
	wr16(b + l3 + 2, 28 + payload);
	b[l3 + 8] = 64;
	b[l3 + 9] = IPPROTO_UDP;
	b[l3 + 12] = 203;
	b[l3 + 13] = 0;
	b[l3 + 14] = 113;
	b[l3 + 15] = 1 + (flow & 0x3f);
	b[l3 + 16] = 203;
	b[l3 + 17] = 0;
	b[l3 + 18] = 113;
	b[l3 + 19] = 100;
	((struct rte_ipv4_hdr *)(b + l3))->hdr_checksum = rte_ipv4_cksum((void *)(b + l3));
	wr16(b + l3 + 20, 1000 + flow);
	wr16(b + l3 + 22, 5000 + (flow >> 6));
	wr16(b + l3 + 24, 8 + payload);
	for (size_t i = 0; i < payload; i++)
		b[l3 + 28 + i] = (uint8_t)(i ^ flow);
	return l3 + 28 + payload;
}

/* An underlay VXLAN frame to us. */
struct uopt {
	int v6;
	const uint8_t *dmac; /* default ul_mac */
	const char *src;     /* default 198.51.100.2 / 2001:db8:1::2 */
	const char *dst;     /* default ours */
	uint16_t vlan;
	uint16_t dport; /* default 4789 */
	uint16_t sport; /* default 40000 */
	uint32_t vni;
	int udpcsum;
	uint8_t vxflags; /* default 0x08 */
};

static size_t
vxlan_frame(uint8_t *b, const struct uopt *o, const uint8_t *inner, size_t inner_len)
{
	size_t off = 12, l3, l4, l4len = 16 + inner_len;
	struct vx_ip s = ip_of(o->src ? o->src : (o->v6 ? "2001:db8:1::2" : "198.51.100.2"));
	struct vx_ip d = ip_of(o->dst ? o->dst : (o->v6 ? "2001:db8:1::1" : "198.51.100.1"));

	memcpy(b, o->dmac ? o->dmac : ul_mac, 6);
	memcpy(b + 6, nh_mac, 6);
	if (o->vlan) {
		wr16(b + 12, 0x8100);
		wr16(b + 14, o->vlan);
		off += 4;
	}
	wr16(b + off, o->v6 ? 0x86dd : 0x0800);
	l3 = off + 2;
	if (!o->v6) {
		memset(b + l3, 0, 20);
		b[l3] = 0x45;
		wr16(b + l3 + 2, 20 + l4len);
		b[l3 + 8] = 64;
		b[l3 + 9] = IPPROTO_UDP;
		memcpy(b + l3 + 12, &s.v4, 4);
		memcpy(b + l3 + 16, &d.v4, 4);
		((struct rte_ipv4_hdr *)(b + l3))->hdr_checksum = rte_ipv4_cksum((void *)(b + l3));
		l4 = l3 + 20;
	} else {
		memset(b + l3, 0, 40);
		b[l3] = 0x60;
		wr16(b + l3 + 4, l4len);
		b[l3 + 6] = IPPROTO_UDP;
		b[l3 + 7] = 64;
		memcpy(b + l3 + 8, s.bytes, 16);
		memcpy(b + l3 + 24, d.bytes, 16);
		l4 = l3 + 40;
	}
	wr16(b + l4, o->sport ? o->sport : 40000);
	wr16(b + l4 + 2, o->dport ? o->dport : 4789);
	wr16(b + l4 + 4, l4len);
	wr16(b + l4 + 6, 0);
	memset(b + l4 + 8, 0, 8);
	b[l4 + 8] = o->vxflags ? o->vxflags : 0x08;
	b[l4 + 12] = o->vni >> 16;
	b[l4 + 13] = o->vni >> 8;
	b[l4 + 14] = o->vni;
	memcpy(b + l4 + 16, inner, inner_len);
	if (o->udpcsum) {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(b + l4);

		uh->dgram_cksum = o->v6 ? rte_ipv6_udptcp_cksum((void *)(b + l3), uh)
					: rte_ipv4_udptcp_cksum((void *)(b + l3), uh);
	}
	return l4 + l4len;
}

static struct rte_mbuf *
mk(const uint8_t *data, size_t len, uint16_t port)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, len));
	memcpy(rte_pktmbuf_mtod(m, void *), data, len);
	m->port = port;
	return m;
}

/* The same bytes as a chain of segments of at most seg bytes. */
static struct rte_mbuf *
mk_chain(const uint8_t *data, size_t len, size_t seg, uint16_t port)
{
	struct rte_mbuf *head = NULL;

	for (size_t off = 0; off < len; off += seg) {
		size_t n = RTE_MIN(seg, len - off);
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

		assert_non_null(m);
		assert_non_null(rte_pktmbuf_append(m, n));
		memcpy(rte_pktmbuf_mtod(m, void *), data + off, n);
		if (head == NULL)
			head = m;
		else
			assert_int_equal(rte_pktmbuf_chain(head, m), 0);
	}
	head->port = port;
	return head;
}

/* Whole packet bytes into out (up to cap); returns the length. */
static size_t
bytes_of(const struct rte_mbuf *m, uint8_t *out, size_t cap)
{
	size_t len = rte_pktmbuf_pkt_len(m);
	const void *p;

	assert_true(len <= cap);
	p = rte_pktmbuf_read(m, 0, len, out);
	assert_non_null(p);
	if (p != out)
		memcpy(out, p, len);
	return len;
}

/* Frames the stages sent on port p (after a flush). */
static unsigned int
sent(int p, struct rte_mbuf **out, unsigned int max)
{
	vx_tx_flush(&w);
	return rte_ring_dequeue_burst(txr[p], (void **)out, max, NULL);
}

static void
free_all(struct rte_mbuf **m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

static unsigned int
nothing_sent(void)
{
	struct rte_mbuf *m[64];
	unsigned int total = 0, n;

	for (int p = 0; p < N_PORTS; p++) {
		n = sent(p, m, RTE_DIM(m));
		free_all(m, n);
		total += n;
	}
	return total == 0;
}

/* ---- tables ---- */

static struct vx_port *
port_make(int p, uint16_t flags, const uint8_t *mac)
{
	struct vx_port *pt = rte_zmalloc(NULL, sizeof(*pt), 0);

	assert_non_null(pt);
	pt->port_id = pid[p];
	pt->flags = flags;
	pt->mtu = 1500;
	if (mac != NULL)
		memcpy(pt->mac.addr_bytes, mac, 6);
	snprintf(pt->name, sizeof(pt->name), "ring%d", p);
	vx_publish(dp.port[pid[p]], pt);
	return pt;
}

static struct vx_bd *
bd_make(uint16_t b, uint32_t vni, uint16_t flags, uint16_t dstport, const struct vx_member *mb,
	unsigned int n_mb, const uint32_t *flood, unsigned int n_flood)
{
	struct vx_bd *bd = rte_zmalloc(NULL, sizeof(*bd) + n_flood * sizeof(uint32_t), 0);

	assert_non_null(bd);
	bd->bd = b;
	bd->vni = vni;
	bd->flags = flags;
	bd->dstport = dstport;
	bd->srcport_min = 32768;
	bd->srcport_max = 60999;
	bd->ageing = 300;
	bd->n_members = n_mb;
	if (n_mb != 0)
		memcpy(bd->members, mb, n_mb * sizeof(*mb));
	bd->n_flood = n_flood;
	if (n_flood != 0)
		memcpy(bd->flood, flood, n_flood * sizeof(uint32_t));
	vx_publish(dp.bd[b], bd);
	__atomic_store_n(&dp.vni_bd[vni], b, __ATOMIC_RELEASE);
	return bd;
}

/*
 * A VTEP with its outer header built the way the control thread's
 * template builder must: Ethernet (next hop <- underlay port), IP (TTL 64,
 * TOS 0, DF as given, identification 0), UDP to 4789 with zero length,
 * source port and checksum, VXLAN with only I set. ip_csum_base is the
 * unfolded raw sum of the IPv4 header with total length and checksum 0.
 */
static struct vx_vtep *
vtep_make(uint32_t idx, uint16_t bd, uint32_t vni, const char *remote, uint16_t flags,
	  uint16_t smin, uint16_t smax, int df)
{
	struct vx_vtep *vt = rte_zmalloc(NULL, sizeof(*vt), 16);
	uint8_t *h;
	size_t l4;

	assert_non_null(vt);
	vt->idx = idx;
	vt->bd = bd;
	vt->port = pid[P_UL];
	vt->remote = ip_of(remote);
	vt->flags = flags | (vt->remote.family == AF_INET6 ? VX_VTEP_IPV6 : 0);
	vt->local = ip_of(vt->remote.family == AF_INET6 ? "2001:db8:1::1" : "198.51.100.1");
	vt->mtu = 1500;
	vt->srcport_min = smin;
	vt->srcport_max = smax;
	vt->dstport = 4789;
	vt->vni = vni;
	vt->l3_off = 14;
	h = vt->hdr;
	memcpy(h, nh_mac, 6);
	memcpy(h + 6, ul_mac, 6);
	if (vt->remote.family == AF_INET) {
		wr16(h + 12, 0x0800);
		h[14] = 0x45;
		wr16(h + 14 + 6, df ? 0x4000 : 0);
		h[14 + 8] = 64;
		h[14 + 9] = IPPROTO_UDP;
		memcpy(h + 14 + 12, &vt->local.v4, 4);
		memcpy(h + 14 + 16, &vt->remote.v4, 4);
		vt->ip_csum_base = __rte_raw_cksum(h + 14, 20, 0);
		l4 = 34;
	} else {
		wr16(h + 12, 0x86dd);
		h[14] = 0x60;
		h[14 + 6] = IPPROTO_UDP;
		h[14 + 7] = 64;
		memcpy(h + 14 + 8, vt->local.bytes, 16);
		memcpy(h + 14 + 24, vt->remote.bytes, 16);
		l4 = 54;
	}
	wr16(h + l4 + 2, 4789);
	h[l4 + 8] = 0x08;
	h[l4 + 12] = vni >> 16;
	h[l4 + 13] = vni >> 8;
	h[l4 + 14] = vni;
	vt->len = l4 + 16;
	vt->udp_csum_base = vx_cksum_encap_base(h + 14, vt->remote.family == AF_INET6);
	vx_publish(dp.vtep[idx], vt);
	return vt;
}

/*
 * The world of every test:
 *   link 1 (VNI 100, learning): P_A1 untagged, P_A2 VLAN 30, P_MIX VLAN 40;
 *          flood list VTEPs 1, 2, 3
 *   link 2 (VNI 0xabcdef, learning): P_A1 VLAN 10; flood list VTEP 4 (IPv6)
 *   link 3 (VNI 300, UDP 8472, nothing attached)
 *   link 4 (VNI 400, inner VLANs and udp6zerocsumrx allowed, no learning): P_A2 untagged
 *   VTEP 1 198.51.100.2 (udpcsum, DF, source port range [49152, 49153): fixed
 *          49152, the IPv4 vector)
 *   VTEP 2 198.51.100.3, VTEP 3 198.51.100.4 (defaults: no checksum, no DF)
 *   VTEP 4 2001:db8:1::2 (source port fixed 49152 the same way: the IPv6 vector)
 *   VTEP 5 198.51.100.5, next hop unresolved
 */
static int
setup(void **state)
{
	struct vx_member m1[] = {{pid[P_A1], 0}, {pid[P_A2], 30}, {pid[P_MIX], 40}};
	struct vx_member m2[] = {{pid[P_A1], 10}};
	struct vx_member m4[] = {{pid[P_A2], 0}};
	uint32_t f1[] = {1, 2, 3}, f2[] = {4};
	struct vx_port *pt;
	struct vx_local *loc;

	base_pool = rte_mempool_in_use_count(pool);
	base_hdr = rte_mempool_in_use_count(hdr_pool);
	assert_int_equal(vx_dp_init(&dp, 1, 4096, rte_socket_id()), 0);
	dp.pool = pool;
	dp.hdr_pool = hdr_pool;
	dp.now = 1000;
	memset(&w, 0, sizeof(w));
	w.dp = &dp;
	w.id = 0;
	w.st = &dp.stats[0];

	port_make(P_UL, VX_PORT_UNDERLAY, ul_mac);
	pt = port_make(P_A1, VX_PORT_ACCESS, NULL);
	pt->vlan_bd[0] = 1;
	pt->vlan_bd[10] = 2;
	pt = port_make(P_A2, VX_PORT_ACCESS, NULL);
	pt->vlan_bd[30] = 1;
	pt->vlan_bd[0] = 4;
	pt = port_make(P_MIX, VX_PORT_ACCESS | VX_PORT_UNDERLAY, mix_mac);
	pt->vlan_bd[40] = 1;

	loc = dp.local;
	loc->n_addr = 2;
	loc->addr[0].ip = ip_of("198.51.100.1");
	loc->addr[0].port = pid[P_UL];
	loc->addr[1].ip = ip_of("2001:db8:1::1");
	loc->addr[1].port = pid[P_UL];
	loc->n_dstport = 2;
	loc->dstport[0] = 4789;
	loc->dstport[1] = 8472;

	bd_make(1, VNI1, VX_BD_LEARNING, 4789, m1, 3, f1, 3);
	bd_make(2, VNI2, VX_BD_LEARNING, 4789, m2, 1, f2, 1);
	bd_make(3, VNI3, 0, 8472, NULL, 0, NULL, 0);
	bd_make(4, VNI4, VX_BD_INNER_VLAN | VX_BD_UDP6ZCSUM_RX, 4789, m4, 1, NULL, 0);
	vtep_make(1, 1, VNI1, "198.51.100.2", VX_VTEP_RESOLVED | VX_VTEP_UDPCSUM, 49152, 49153, 1);
	vtep_make(2, 1, VNI1, "198.51.100.3", VX_VTEP_RESOLVED, 32768, 60999, 0);
	vtep_make(3, 1, VNI1, "198.51.100.4", VX_VTEP_RESOLVED, 32768, 60999, 0);
	vtep_make(4, 2, VNI2, "2001:db8:1::2", VX_VTEP_RESOLVED | VX_VTEP_UDPCSUM, 49152, 49153, 0);
	vtep_make(5, 1, VNI1, "198.51.100.5", 0, 32768, 60999, 0);
	return 0;
}

static int
teardown(void **state)
{
	struct vx_learn_req req[64];
	struct rte_mbuf *m[64];
	unsigned int n;

	vx_tx_flush(&w);
	for (int p = 0; p < N_PORTS; p++) {
		while ((n = rte_ring_dequeue_burst(txr[p], (void **)m, 64, NULL)) != 0)
			free_all(m, n);
		while ((n = rte_ring_dequeue_burst(rxr[p], (void **)m, 64, NULL)) != 0)
			free_all(m, n);
	}
	while (rte_ring_dequeue_burst_elem(dp.learn_ring[0], req, sizeof(req[0]), 64, NULL) != 0)
		;
	vx_dp_fini(&dp); /* frees what is left in the punt rings */
	/* No mbuf leaked by any stage. */
	assert_int_equal(rte_mempool_in_use_count(pool), base_pool);
	assert_int_equal(rte_mempool_in_use_count(hdr_pool), base_hdr);
	return 0;
}

static unsigned int
learn_reqs(struct vx_learn_req *req, unsigned int max)
{
	return rte_ring_dequeue_burst_elem(dp.learn_ring[0], req, sizeof(req[0]), max, NULL);
}

/* ---- decap ---- */

static void
check_inner(struct rte_mbuf *m, const uint8_t *inner, size_t len, uint16_t vlan)
{
	uint8_t out[10000];
	size_t n = bytes_of(m, out, sizeof(out));

	if (vlan == 0) {
		assert_int_equal(n, len);
		assert_memory_equal(out, inner, len);
		return;
	}
	assert_int_equal(n, len + 4);
	assert_memory_equal(out, inner, 12);
	assert_int_equal(rd16(out + 12), 0x8100);
	assert_int_equal(rd16(out + 14) & 0xfff, vlan);
	assert_memory_equal(out + 16, inner + 12, len - 12);
}

static void
test_decap_ipv4_local(void **state)
{
	uint8_t inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	size_t il = inner_frame(inner, h1, h3, 0, 1, 40);
	size_t fl = vxlan_frame(frame, &o, inner, il);
	struct rte_mbuf *pkts[4], *out[8];

	/* h1 lives on P_A1 untagged, then on P_A2 VLAN 30. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	pkts[1] = mk(frame, fl + 6, pid[P_UL]); /* Ethernet padding after the IP packet */
	assert_int_equal(vx_decap_burst(&w, pid[P_UL], pkts, 2), 2);
	assert_int_equal(sent(P_A1, out, 8), 2);
	check_inner(out[0], inner, il, 0);
	check_inner(out[1], inner, il, 0);
	free_all(out, 2);
	assert_int_equal(dp.stats[0].bd[1].decap_pkts, 2);
	assert_int_equal(dp.stats[0].bd[1].decap_bytes, 2 * il);
	assert_int_equal(dp.stats[0].port[pid[P_UL]].rx_pkts, 2);
	assert_int_equal(dp.stats[0].port[pid[P_A1]].tx_pkts, 2);
	assert_int_equal(dp.stats[0].port[pid[P_A1]].tx_bytes, 2 * il);

	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A2], 30, 0)), 0);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 1);
	assert_int_equal(sent(P_A2, out, 8), 1);
	check_inner(out[0], inner, il, 30);
	free_all(out, 1);
	assert_true(nothing_sent());
}

static void
test_decap_ipv6(void **state)
{
	uint8_t inner[256], frame[512];
	struct uopt o = {.v6 = 1, .vni = VNI2, .udpcsum = 1};
	size_t il = inner_frame(inner, h1, h3, 0, 2, 100);
	size_t fl = vxlan_frame(frame, &o, inner, il);
	struct rte_mbuf *pkts[4], *out[8];
	uint64_t zc = drops(VX_DROP_UDP6_ZERO_CSUM);

	assert_int_equal(vx_fdb_set(&dp.fdb, key(2, h1), vx_fdb_local(pid[P_A1], 10, 0)), 0);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	/* The same with the frame split over three segments: software checksum over all. */
	pkts[1] = mk_chain(frame, fl, 90, pid[P_UL]);
	assert_int_equal(pkts[1]->nb_segs, 3);
	vx_decap_burst(&w, pid[P_UL], pkts, 2);
	assert_int_equal(sent(P_A1, out, 8), 2);
	check_inner(out[0], inner, il, 10);
	check_inner(out[1], inner, il, 10);
	free_all(out, 2);
	assert_int_equal(dp.stats[0].bd[2].decap_pkts, 2);

	/* Zero checksum: dropped on link 2, accepted on link 4 (udp6zerocsumrx). */
	o.udpcsum = 0;
	fl = vxlan_frame(frame, &o, inner, il);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	o.vni = VNI4;
	fl = vxlan_frame(frame, &o, inner, il);
	pkts[1] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 2);
	assert_int_equal(drops(VX_DROP_UDP6_ZERO_CSUM), zc + 1);
	assert_int_equal(sent(P_A2, out, 8), 1); /* link 4: unknown destination, flooded */
	check_inner(out[0], inner, il, 0);
	free_all(out, 1);
	assert_true(nothing_sent());
}

/* One frame through decap must be dropped for why, and nothing sent. */
static void
decap_drops(const uint8_t *frame, size_t len, enum vx_drop why, uint64_t ol_flags)
{
	struct rte_mbuf *m = mk(frame, len, pid[P_UL]);
	uint64_t before = drops(why), all = dp.stats[0].port[pid[P_UL]].drops;

	m->ol_flags = ol_flags;
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	if (drops(why) != before + 1)
		fail_msg("expected a %s drop", vx_drop_names[why]);
	assert_int_equal(dp.stats[0].port[pid[P_UL]].drops, all + 1);
	assert_true(nothing_sent());
}

static void
test_decap_drops(void **state)
{
	uint8_t inner[256], frame[512], f2[512];
	struct uopt o = {.vni = VNI1};
	size_t il = inner_frame(inner, h1, h3, 0, 3, 40), fl;
	struct rte_mbuf *m;

	/* Parser reasons, through the stage. */
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, 20, VX_DROP_RUNT, 0);
	memcpy(f2, frame, fl);
	f2[14 + 10] ^= 1;
	decap_drops(f2, fl, VX_DROP_IP_CSUM, 0);
	memcpy(f2, frame, fl);
	f2[14 + 6] = 0x20; /* MF, checksum left wrong: the hardware said it was good */
	decap_drops(f2, fl, VX_DROP_IP_FRAG, RTE_MBUF_F_RX_IP_CKSUM_GOOD);
	o.dst = "198.51.100.77";
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_UL_NOT_FOR_US, 0);
	o.dst = NULL;
	o.dmac = h2; /* another unicast MAC */
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_UL_NOT_FOR_US, 0);
	o.dmac = bcast; /* broadcast VXLAN */
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_UL_NOT_FOR_US, 0);
	o.dmac = NULL;
	o.vlan = 7;
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_UL_VLAN, 0);
	o.vlan = 0;
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]); /* the NIC stripped a tag 7 */
	m->ol_flags = RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
	m->vlan_tci = 7;
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_UL_VLAN), 2);
	o.dport = 4790;
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_UDP_PORT, 0);
	o.dport = 8472; /* listened on, but link 1 uses 4789 */
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_VNI_PORT, 0);
	o.dport = 0;
	o.vni = 4242;
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_VNI_UNKNOWN, 0);
	o.vni = VNI1;
	o.vxflags = 0x04;
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_VXLAN_FLAGS, 0);
	o.vxflags = 0;

	/* UDP checksum: software, hardware BAD (checked again), hardware GOOD (trusted). */
	o.udpcsum = 1;
	fl = vxlan_frame(frame, &o, inner, il);
	frame[fl - 1] ^= 0x55;
	decap_drops(frame, fl, VX_DROP_UDP_CSUM, 0);
	decap_drops(frame, fl, VX_DROP_UDP_CSUM, RTE_MBUF_F_RX_L4_CKSUM_BAD);
	m = mk(frame, fl, pid[P_UL]);
	m->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	vx_decap_burst(&w, pid[P_UL], &m, 1); /* h1 unknown: flooded to 3 local members */
	assert_false(nothing_sent());
	m = mk_chain(frame, fl, 64, pid[P_UL]); /* multi-segment, software */
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_UDP_CSUM), 3);
	assert_true(nothing_sent());
	o.udpcsum = 0;

	/* Inner frame checks. */
	il = inner_frame(inner, h1, h3, 5, 3, 40); /* tagged inner frame */
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_INNER_VLAN, 0);
	o.vni = VNI4; /* allowed on link 4 */
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_false(nothing_sent());
	o.vni = VNI1;
	il = inner_frame(inner, h1, bcast, 0, 3, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_SRC_MAC, 0);
	memset(inner + 6, 0, 6);
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_SRC_MAC, 0);

	/* Nowhere to flood: link 3 has no member. */
	o.vni = VNI3;
	o.dport = 8472;
	il = inner_frame(inner, bcast, h3, 0, 3, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_NO_FLOOD, 0);
	assert_int_equal(dp.stats[0].bd[3].drops, 1);

	/* Not on an underlay port at all. */
	m = mk(frame, fl, pid[P_A1]);
	vx_decap_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_PORT_DOWN), 1);
}

static void
test_decap_punt(void **state)
{
	uint8_t frame[512], inner[128];
	struct uopt o = {0};
	struct rte_mbuf *m, *p = NULL;
	size_t fl;

	/* ARP request, broadcast. */
	memset(frame, 0, sizeof(frame));
	memcpy(frame, bcast, 6);
	memcpy(frame + 6, nh_mac, 6);
	wr16(frame + 12, 0x0806);
	m = mk(frame, 60, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(rte_ring_dequeue(dp.punt_ring[0], (void **)&p), 0);
	assert_ptr_equal(p, m);
	assert_int_equal(p->hash.fdir.hi, VX_PUNT_ARP);
	assert_int_equal(p->port, pid[P_UL]);
	assert_int_equal(rte_pktmbuf_pkt_len(p), 60); /* untouched */
	rte_pktmbuf_free(p);

	/* ICMP echo to our address: the frame builder with protocol 1. */
	fl = vxlan_frame(frame, &o, inner, inner_frame(inner, h1, h3, 0, 1, 10));
	frame[14 + 9] = IPPROTO_ICMP;
	frame[14 + 10] = frame[14 + 11] = 0;
	((struct rte_ipv4_hdr *)(frame + 14))->hdr_checksum = rte_ipv4_cksum((void *)(frame + 14));
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(rte_ring_dequeue(dp.punt_ring[0], (void **)&p), 0);
	assert_int_equal(p->hash.fdir.hi, VX_PUNT_ICMP);
	rte_pktmbuf_free(p);
	assert_int_equal(events(VX_EV_PUNTED), 2);
	assert_true(nothing_sent());
}

/* ---- learning ---- */

static void
test_learning_decap(void **state)
{
	uint8_t inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	struct vx_learn_req req[8];
	struct rte_mbuf *pkts[4];
	struct vx_ip a = ip_of("198.51.100.2");
	size_t il, fl;
	int32_t pos;

	/* New source h3 from 198.51.100.2: one request (a burst of 3 frames). */
	il = inner_frame(inner, bcast, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	for (int i = 0; i < 3; i++)
		pkts[i] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 3);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(req[0].key, key(1, h3));
	assert_int_equal(req[0].entry, 0);
	assert_true(req[0].remote.family == AF_INET && req[0].remote.v4.s_addr == a.v4.s_addr);
	assert_int_equal(req[0].udp_sport, 40000);
	assert_int_equal(events(VX_EV_LEARN_REQ), 1);
	assert_false(nothing_sent()); /* the BUM frames went to the local members */

	/* Known at VTEP 1 (= 198.51.100.2): no request, last_seen refreshed. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(1, 0)), 0);
	vx_fdb_get(&dp.fdb, key(1, h3), &pos);
	dp.fdb.last_seen[pos] = 5;
	pkts[0] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 1);
	assert_int_equal(learn_reqs(req, 8), 0);
	assert_int_equal(dp.fdb.last_seen[pos], 1000);

	/* Moved: same MAC now behind 198.51.100.3 -> a request. */
	o.src = "198.51.100.3";
	fl = vxlan_frame(frame, &o, inner, il);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 1);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(req[0].remote.v4.s_addr, ip_of("198.51.100.3").v4.s_addr);

	/* Moved from a local port: a request too. Static elsewhere: counted, no request. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 1);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(1, VX_FDB_STATIC)), 0);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 1);
	assert_int_equal(learn_reqs(req, 8), 0);
	assert_int_equal(events(VX_EV_LEARN_STATIC), 1);
	assert_int_equal(vx_fdb_get(&dp.fdb, key(1, h3), NULL), vx_fdb_remote(1, VX_FDB_STATIC));

	/* No learning on link 4. */
	o.vni = VNI4;
	o.src = NULL;
	fl = vxlan_frame(frame, &o, inner, il);
	pkts[0] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 1);
	assert_int_equal(learn_reqs(req, 8), 0);
	nothing_sent();
}

static void
test_learning_access(void **state)
{
	uint8_t f[256];
	struct vx_learn_req req[8], junk[64];
	struct rte_mbuf *m;
	size_t len = inner_frame(f, bcast, h2, 30, 1, 40);
	int32_t pos;

	m = mk(f, len, pid[P_A2]);
	vx_access_burst(&w, pid[P_A2], &m, 1);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(req[0].key, key(1, h2));
	assert_int_equal(req[0].entry, vx_fdb_local(pid[P_A2], 30, 0));
	nothing_sent();

	/* Already there: touched only. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_local(pid[P_A2], 30, 0)), 0);
	vx_fdb_get(&dp.fdb, key(1, h2), &pos);
	dp.fdb.last_seen[pos] = 1;
	m = mk(f, len, pid[P_A2]);
	vx_access_burst(&w, pid[P_A2], &m, 1);
	assert_int_equal(learn_reqs(req, 8), 0);
	assert_int_equal(dp.fdb.last_seen[pos], 1000);
	nothing_sent();

	/* Moved to P_A1 untagged (still link 1). */
	len = inner_frame(f, bcast, h2, 0, 1, 40);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(req[0].entry, vx_fdb_local(pid[P_A1], 0, 0));
	nothing_sent();

	/* Static elsewhere: never overwritten. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_remote(2, VX_FDB_STATIC)), 0);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(learn_reqs(req, 8), 0);
	assert_int_equal(events(VX_EV_LEARN_STATIC), 1);
	nothing_sent();

	/* nolearning (link 4) stops remote learning only: local MACs are learned. */
	len = inner_frame(f, bcast, h3, 0, 1, 40);
	m = mk(f, len, pid[P_A2]);
	vx_access_burst(&w, pid[P_A2], &m, 1);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(req[0].key, key(4, h3));
	assert_int_equal(req[0].entry, vx_fdb_local(pid[P_A2], 0, 0));
	nothing_sent();

	/* Multicast and zero sources: dropped, never learned. */
	len = inner_frame(f, bcast, bcast, 0, 1, 40);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	memset(f + 6, 0, 6);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_SRC_MAC), 2);
	assert_int_equal(learn_reqs(req, 8), 0);

	/* A full ring loses the request, not the frame. */
	memset(junk, 0, sizeof(junk));
	while (rte_ring_enqueue_burst_elem(dp.learn_ring[0], junk, sizeof(junk[0]), 64, NULL) != 0)
		;
	len = inner_frame(f, bcast, h1, 0, 1, 40);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(events(VX_EV_LEARN_RING_FULL), 1);
	assert_false(nothing_sent());
}

/* ---- access ---- */

static void
test_access_local(void **state)
{
	uint8_t f[256];
	struct rte_mbuf *m, *out[8];
	size_t len = inner_frame(f, h1, h2, 30, 1, 40);
	uint8_t plain[256];
	size_t plen = inner_frame(plain, h1, h2, 0, 1, 40);

	/* h1 on P_A1 untagged: P_A2 VLAN 30 -> P_A1, tag removed. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	m = mk(f, len, pid[P_A2]);
	vx_access_burst(&w, pid[P_A2], &m, 1);
	assert_int_equal(sent(P_A1, out, 8), 1);
	check_inner(out[0], plain, plen, 0);
	free_all(out, 1);
	assert_int_equal(dp.stats[0].bd[1].local_pkts, 1);

	/* Back the other way: tagged 30 on P_A2. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_local(pid[P_A2], 30, 0)), 0);
	plen = inner_frame(plain, h2, h1, 0, 1, 40);
	m = mk(plain, plen, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_A2, out, 8), 1);
	check_inner(out[0], plain, plen, 30);
	free_all(out, 1);

	/* Destination on the very port and VLAN it came from. */
	m = mk(plain, plen, pid[P_A1]);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_SAME_PORT), 1);

	/* Unmapped VLAN, and a VTEP that went away. */
	len = inner_frame(f, h1, h2, 99, 1, 40);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_ACCESS_UNMAPPED), 1);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(77, 0)), 0);
	plen = inner_frame(plain, h3, h1, 0, 1, 40);
	m = mk(plain, plen, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_VTEP_GONE), 1);
	assert_true(nothing_sent());
}

/*
 * A burst whose first frame is dropped: the kept frames' source keys are
 * then fewer than the burst, and their destinations still find their
 * entries (the stages put destination keys after the burst's n and move
 * them down to the sources' end). Then a broadcast frame before a unicast
 * one: each frame must get its own destination (the stages read the
 * looked-up entries in order, didx naming the frame). Access and decap.
 */
static void
test_burst_drop_first(void **state)
{
	uint8_t bad[256], f[256], inner[256], frame[512], frame_bad[512];
	struct uopt o = {.vni = VNI1};
	struct rte_mbuf *pkts[3], *out[8];
	size_t bl = inner_frame(bad, h2, h1, 99, 1, 40); /* VLAN 99: unmapped */
	size_t len = inner_frame(f, h2, h1, 0, 1, 40);
	size_t il = inner_frame(inner, h1, h3, 0, 1, 40), fl, fbl;

	RTE_SET_USED(state);
	/* Access: P_A1 untagged to h2 on P_A2 VLAN 30, after an unmapped frame. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_local(pid[P_A2], 30, 0)), 0);
	pkts[0] = mk(bad, bl, pid[P_A1]);
	pkts[1] = mk(f, len, pid[P_A1]);
	pkts[2] = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], pkts, 3);
	assert_int_equal(drops(VX_DROP_ACCESS_UNMAPPED), 1);
	assert_int_equal(sent(P_A2, out, 8), 2);
	free_all(out, 2);
	assert_int_equal(dp.stats[0].bd[1].local_pkts, 2);
	assert_int_equal(dp.stats[0].bd[1].flood_pkts, 0);
	assert_true(nothing_sent());

	/* Decap: to h1 on P_A1, after a frame of an unknown VNI. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	fl = vxlan_frame(frame, &o, inner, il);
	o.vni = 4242;
	fbl = vxlan_frame(frame_bad, &o, inner, il);
	pkts[0] = mk(frame_bad, fbl, pid[P_UL]);
	pkts[1] = mk(frame, fl, pid[P_UL]);
	pkts[2] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 3);
	assert_int_equal(drops(VX_DROP_VNI_UNKNOWN), 1);
	assert_int_equal(sent(P_A1, out, 8), 2);
	free_all(out, 2);
	assert_int_equal(dp.stats[0].bd[1].flood_pkts, 0);
	assert_true(nothing_sent());

	/* A broadcast frame before a unicast one: only the broadcast floods (P_MIX sees it). */
	len = inner_frame(f, bcast, h1, 0, 1, 40);
	pkts[0] = mk(f, len, pid[P_A1]);
	len = inner_frame(f, h2, h1, 0, 1, 40);
	pkts[1] = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], pkts, 2);
	assert_int_equal(sent(P_MIX, out, 8), 1);
	assert_memory_equal(rte_pktmbuf_mtod(out[0], uint8_t *), bcast, 6);
	free_all(out, 1);
	assert_false(nothing_sent()); /* the flood's other copies, freed */
	il = inner_frame(inner, bcast, h3, 0, 1, 40);
	o.vni = VNI1;
	fbl = vxlan_frame(frame_bad, &o, inner, il);
	pkts[0] = mk(frame_bad, fbl, pid[P_UL]);
	pkts[1] = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], pkts, 2);
	assert_int_equal(sent(P_MIX, out, 8), 1);
	assert_memory_equal(rte_pktmbuf_mtod(out[0], uint8_t *), bcast, 6);
	free_all(out, 1);
	assert_false(nothing_sent()); /* the flood's other copies, freed */
}

/* ---- encap ---- */

static size_t
read_hex(const char *file, const char *tag, uint8_t *out, size_t cap)
{
	char path[512], line[8192];
	size_t n = 0, tl = strlen(tag);
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", VX_TEST_DATA, file);
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, tag, tl) != 0 || line[tl] != ' ')
			continue;
		for (char *p = line + tl + 1; p[0] != '\0' && p[1] != '\0' && p[0] != '\n';
		     p += 2) {
			unsigned int v;

			assert_true(n < cap);
			assert_int_equal(sscanf(p, "%2x", &v), 1);
			out[n++] = v;
		}
	}
	fclose(fp);
	assert_true(n > 0);
	return n;
}

static void
check_vector(const char *file, uint16_t vid, int in_port)
{
	uint8_t inner[512], outer[512], tagged[512], got[512];
	size_t il = read_hex(file, "inner", inner, sizeof(inner));
	size_t ol = read_hex(file, "outer", outer, sizeof(outer));
	struct rte_mbuf *m, *out[4];

	/* The host sends the inner frame tagged with the access VLAN. */
	memcpy(tagged, inner, 12);
	wr16(tagged + 12, 0x8100);
	wr16(tagged + 14, vid);
	memcpy(tagged + 16, inner + 12, il - 12);
	m = mk(vid ? tagged : inner, vid ? il + 4 : il, pid[in_port]);
	vx_access_burst(&w, pid[in_port], &m, 1);
	assert_int_equal(sent(P_UL, out, 4), 1);
	assert_int_equal(bytes_of(out[0], got, sizeof(got)), ol);
	for (size_t i = 0; i < ol; i++)
		if (got[i] != outer[i])
			fail_msg("%s: byte %zu is %02x, expected %02x", file, i, got[i], outer[i]);
	free_all(out, 1);
}

static void
test_encap_vectors(void **state)
{
	/* inner dst 02:00:00:00:01:02 is h2: behind VTEP 1 on link 1, VTEP 4 on link 2. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_remote(1, 0)), 0);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(2, h2), vx_fdb_remote(4, 0)), 0);
	check_vector("encap4.hex", 0, P_A1);
	check_vector("encap6.hex", 10, P_A1);
	assert_int_equal(dp.stats[0].bd[1].encap_pkts, 1);
	assert_int_equal(dp.stats[0].bd[2].encap_pkts, 1);
	assert_true(nothing_sent());
}

/* Outer checksums of an IPv4 VXLAN frame in m are right (UDP one when non-zero). */
static void
check_outer4(struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	const struct rte_udp_hdr *uh = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);

	assert_int_equal(rte_raw_cksum(ip, 20), 0xffff);
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), rte_pktmbuf_pkt_len(m) - 14);
	assert_int_equal(rte_be_to_cpu_16(uh->dgram_len), rte_pktmbuf_pkt_len(m) - 34);
	if (uh->dgram_cksum != 0)
		assert_int_equal(rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, 34), 0);
}

static void
test_encap_srcport_spread(void **state)
{
	uint8_t f[256], seen[65536 / 8] = {0};
	struct rte_mbuf *m, *out[64];
	unsigned int distinct = 0, n;
	uint16_t ids[2] = {0, 0};

	/* h3 behind VTEP 2: range [32768, 60999), no DF (fresh IP identifications). */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(2, 0)), 0);
	for (uint32_t flow = 0; flow < 256; flow++) {
		size_t len = inner_frame(f, h3, h1, 0, flow, 40);

		m = mk(f, len, pid[P_A1]);
		vx_access_burst(&w, pid[P_A1], &m, 1);
		n = sent(P_UL, out, 64);
		assert_int_equal(n, 1);
		uint16_t sp = rd16(rte_pktmbuf_mtod(out[0], uint8_t *) + 34);

		assert_in_range(sp, 32768, 60998);
		if (!(seen[sp / 8] & (1 << (sp % 8)))) {
			seen[sp / 8] |= 1 << (sp % 8);
			distinct++;
		}
		check_outer4(out[0]);
		ids[flow & 1] = rd16(rte_pktmbuf_mtod(out[0], uint8_t *) + 18);
		free_all(out, 1);
	}
	assert_true(distinct >= 50);
	assert_int_not_equal(ids[0], ids[1]);

	/* Same flow, same port; the RSS hash, when the NIC gives one, decides. */
	{
		size_t len = inner_frame(f, h3, h1, 0, 7, 40);
		uint16_t sp[4];

		for (int i = 0; i < 4; i++) {
			if (i >= 2)
				f[40] ^= (uint8_t)i; /* another flow (UDP source port) ... */
			m = mk(f, len, pid[P_A1]);
			if (i >= 2) {
				m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
				m->hash.rss = 0x12345678; /* ... with the same RSS hash */
			}
			vx_access_burst(&w, pid[P_A1], &m, 1);
			assert_int_equal(sent(P_UL, out, 4), 1);
			sp[i] = rd16(rte_pktmbuf_mtod(out[0], uint8_t *) + 34);
			free_all(out, 1);
		}
		assert_int_equal(sp[0], sp[1]);
		assert_int_equal(sp[2], sp[3]);
	}
}

/* Source port of the frame f[0..len) sent from P_A1 to VTEP 2 (range [32768, 60999)). */
static uint16_t
encap_sport(const uint8_t *f, size_t len)
{
	struct rte_mbuf *m = mk(f, len, pid[P_A1]), *out[4];
	uint16_t sp;

	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_UL, out, 4), 1);
	sp = rd16(rte_pktmbuf_mtod(out[0], uint8_t *) + 34);
	free_all(out, 1);
	return sp;
}

/* The range is [MIN, MAX) as the kernel's udp_flow_src_port maps it: MAX never goes out. */
static void
test_encap_srcport_range(void **state)
{
	struct vx_vtep *old = dp.vtep[2];
	unsigned int seen[3] = {0, 0, 0};
	uint8_t f[256];

	vtep_make(2, 1, VNI1, "198.51.100.3", VX_VTEP_RESOLVED, 1000, 1002, 0);
	rte_free(old);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(2, 0)), 0);
	for (uint32_t flow = 0; flow < 256; flow++) {
		uint16_t sp = encap_sport(f, inner_frame(f, h3, h1, 0, flow, 40));

		assert_in_range(sp, 1000, 1002);
		seen[sp - 1000]++;
	}
	assert_true(seen[0] > 50 && seen[1] > 50);
	assert_int_equal(seen[2], 0);
}

/*
 * The flow hash has a fast path (IPv4, no options, not a fragment, TCP, UDP
 * or SCTP) and a general one: both hash addresses, protocol and ports only,
 * so a flow keeps its source port whatever else the header says, and an
 * IPv4 header with options (general path) hashes like one without.
 */
static void
test_encap_flow_hash_paths(void **state)
{
	uint8_t f[256], g[256];
	uint16_t base, other = 0;
	size_t len;
	int differ = 0;

	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(2, 0)), 0);
	for (uint32_t flow = 0; flow < 16; flow++) {
		len = inner_frame(f, h3, h1, 0, flow * 5, 40);
		base = encap_sport(f, len);

		/* Same flow: another IP id, TTL and TOS, a longer payload. */
		len = inner_frame(g, h3, h1, 0, flow * 5, 100);
		g[14 + 1] = 0x10;
		g[14 + 4] = 0x12;
		g[14 + 8] = 3;
		assert_int_equal(encap_sport(g, len), base);

		/* Same flow with 4 bytes of IPv4 options (IHL 6): the general path. */
		len = inner_frame(f, h3, h1, 0, flow * 5, 40);
		memcpy(g, f, 34);
		memset(g + 34, 1, 4); /* NOP options */
		memcpy(g + 38, f + 34, len - 34);
		g[14] = 0x46;
		g[14 + 3] += 4;
		assert_int_equal(encap_sport(g, len + 4), base);

		/* TCP instead of UDP (same ports): still the fast path, another hash. */
		f[14 + 9] = IPPROTO_TCP;
		other = encap_sport(f, len);
		differ += other != base;
	}
	assert_true(differ >= 14);
}

/*
 * The frame the access stage sends to vtep for the inner frame f[0..len),
 * which comes in on P_A1 with vlan (0: untagged), into out; returns its
 * length.
 */
static size_t
encap_by_worker(uint32_t vtep, uint16_t bd, const uint8_t *f, size_t len, uint16_t vlan,
		uint8_t *out, size_t cap)
{
	uint8_t tagged[512];
	struct rte_mbuf *m, *o[4];
	size_t n;

	assert_int_equal(vx_fdb_set(&dp.fdb, key(bd, f), vx_fdb_remote(vtep, 0)), 0);
	memcpy(tagged, f, 12);
	wr16(tagged + 12, 0x8100);
	wr16(tagged + 14, vlan);
	memcpy(tagged + 16, f + 12, len - 12);
	m = vlan != 0 ? mk(tagged, len + 4, pid[P_A1]) : mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_UL, o, 4), 1);
	n = bytes_of(o[0], out, cap);
	free_all(o, 1);
	return n;
}

/* The same through vx_encap_frame(), as the control thread calls it; headroom 0: chained. */
static size_t
encap_by_api(uint32_t vtep, const uint8_t *f, size_t len, uint16_t ip_id, int headroom,
	     uint8_t *out, size_t cap)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *h;
	enum vx_drop why = VX_DROP_MAX;
	size_t n;

	assert_non_null(m);
	if (!headroom)
		m->data_off = 0;
	assert_non_null(rte_pktmbuf_append(m, len));
	memcpy(rte_pktmbuf_mtod(m, void *), f, len);
	assert_int_equal(vx_flow_hash_mbuf(m), vx_flow_hash_frame(f, len));
	h = vx_encap_frame(dp.vtep[vtep], m, vx_flow_hash_frame(f, len), ip_id, hdr_pool, &why);
	assert_non_null(h);
	assert_int_equal(why, VX_DROP_MAX);
	assert_int_equal(h->nb_segs, headroom ? 1 : 2);
	n = bytes_of(h, out, cap);
	rte_pktmbuf_free(h);
	return n;
}

/*
 * A frame the control thread encapsulates gets what the access stage gives
 * the same inner frame: the same outer UDP source port and the same bytes
 * but the IPv4 identification (and the header checksum that covers it);
 * given the identification the worker used, every byte is the same. IPv4
 * without DF (VTEP 2), IPv4 with DF and UDP checksum (VTEP 1), IPv6 with
 * UDP checksum (VTEP 4, link 2 on P_A1 VLAN 10); header in the headroom or
 * in a chained mbuf.
 */
static void
test_encap_frame_api(void **state)
{
	static const struct {
		uint32_t vtep;
		uint16_t bd, vlan;
		int v6;
	} c[] = {{2, 1, 0, 0}, {1, 1, 0, 0}, {4, 2, 10, 1}};
	uint8_t f[256], wk[512], ct[512];
	struct rte_mbuf *m;
	enum vx_drop why;

	for (unsigned int i = 0; i < RTE_DIM(c); i++) {
		for (uint32_t flow = 0; flow < 8; flow++) {
			size_t len = inner_frame(f, h3, h1, 0, flow * 3 + i, 60);
			size_t wl = encap_by_worker(c[i].vtep, c[i].bd, f, len, c[i].vlan, wk,
						    sizeof(wk));
			size_t l4 = c[i].v6 ? 54 : 34;
			uint16_t id = rd16(wk + 18);
			size_t cl =
				encap_by_api(c[i].vtep, f, len, id + 1, flow & 1, ct, sizeof(ct));

			assert_int_equal(cl, wl);
			assert_int_equal(rd16(ct + l4), rd16(wk + l4)); /* source port */
			if (c[i].v6 || c[i].vtep == 1) {
				/* IPv6, or DF set: no identification to differ. */
				assert_memory_equal(ct, wk, wl);
				continue;
			}
			assert_int_equal(rd16(ct + 18), (uint16_t)(id + 1));
			assert_memory_equal(ct, wk, 18);
			assert_memory_equal(ct + 20, wk + 20, 4);
			assert_memory_equal(ct + 26, wk + 26, wl - 26);
			assert_int_equal(rte_raw_cksum(ct + 14, 20), 0xffff);
			cl = encap_by_api(c[i].vtep, f, len, id, flow & 1, ct, sizeof(ct));
			assert_memory_equal(ct, wk, wl);
		}
	}

	/* Too large for the VTEP's MTU: NULL, MTU, the frame freed (teardown counts mbufs). */
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, 1480));
	memset(rte_pktmbuf_mtod(m, void *), 0, 1480);
	why = VX_DROP_MAX;
	assert_null(vx_encap_frame(dp.vtep[2], m, 0, 0, hdr_pool, &why));
	assert_int_equal(why, VX_DROP_MTU);
	assert_int_equal(drops(VX_DROP_MTU), 0); /* no worker counter touched */
	assert_true(nothing_sent());
}

static void
test_encap_mtu_jumbo(void **state)
{
	static uint8_t f[9100];
	struct rte_mbuf *m, *out[4];
	struct vx_vtep *vt;
	size_t len;

	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_remote(1, 0)), 0);
	/* 1500-byte IP MTU: an inner frame of 1464 fits (1500 outer), 1465 does not. */
	len = inner_frame(f, h2, h1, 0, 1, 1464 - 42);
	assert_int_equal(len, 1464);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_UL, out, 4), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(out[0]), 1464 + 50);
	free_all(out, 1);
	len = inner_frame(f, h2, h1, 0, 1, 1465 - 42);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_MTU), 1);
	assert_true(nothing_sent());

	/* Jumbo: 9000-byte inner frame in 5 segments, MTU 9100, UDP checksum over all. */
	vt = dp.vtep[1]; /* no worker runs: changed in place */
	vt->mtu = 9100;
	len = inner_frame(f, h2, h1, 0, 1, 9000 - 42);
	m = mk_chain(f, len, 2000, pid[P_A1]);
	assert_int_equal(m->nb_segs, 5);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_UL, out, 4), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(out[0]), 9000 + 50);
	assert_int_equal(out[0]->nb_segs, 5);
	check_outer4(out[0]);
	assert_int_not_equal(rte_pktmbuf_mtod_offset(out[0], struct rte_udp_hdr *, 34)->dgram_cksum,
			     0);
	{
		static uint8_t got[9100];

		bytes_of(out[0], got, sizeof(got));
		assert_memory_equal(got + 50, f, len);
	}
	free_all(out, 1);
}

static void
test_encap_offload_unresolved(void **state)
{
	uint8_t f[256];
	struct rte_mbuf *m, *out[4], *p = NULL;
	size_t len = inner_frame(f, h2, h1, 0, 1, 40);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;

	/*
	 * A VTEP behind a port with UDP checksum offload (the control thread
	 * sets VX_VTEP_TX_CSUM from the port's offloads when it resolves the
	 * VTEP): flags, lengths and the pseudo-header sum.
	 */
	dp.vtep[1]->flags |= VX_VTEP_TX_CSUM;
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_remote(1, 0)), 0);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_UL, out, 4), 1);
	m = out[0];
	assert_int_equal(m->ol_flags & RTE_MBUF_F_TX_L4_MASK, RTE_MBUF_F_TX_UDP_CKSUM);
	assert_true(m->ol_flags & RTE_MBUF_F_TX_IPV4);
	assert_int_equal(m->l2_len, 14);
	assert_int_equal(m->l3_len, 20);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	uh = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);
	assert_int_equal(uh->dgram_cksum, rte_ipv4_phdr_cksum(ip, m->ol_flags));
	assert_int_equal(rte_raw_cksum(ip, 20), 0xffff);
	free_all(out, 1);
	dp.vtep[1]->flags &= ~VX_VTEP_TX_CSUM;

	/* Next hop unresolved: the finished frame goes to the control thread. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_remote(5, 0)), 0);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(rte_ring_dequeue(dp.punt_ring[0], (void **)&p), 0);
	assert_int_equal(p->hash.fdir.hi, VX_PUNT_UNRESOLVED);
	assert_int_equal(p->hash.fdir.lo, 5);
	assert_int_equal(rte_pktmbuf_pkt_len(p), len + 50);
	check_outer4(p);
	rte_pktmbuf_free(p);
	assert_int_equal(events(VX_EV_PUNTED), 1); /* UNRESOLVED: when control queues it */
	assert_int_equal(events(VX_EV_UNRESOLVED), 0);
	assert_true(nothing_sent());
}

/* An underlay on VLAN 100: tagged template (l3_off 18) out, tagged VXLAN in. */
static void
test_underlay_vlan(void **state)
{
	uint8_t f[256], got[512], inner[256], frame[512];
	struct vx_vtep *vt = dp.vtep[2]; /* no worker runs: changed in place */
	struct uopt o = {.vni = VNI1, .vlan = 100, .udpcsum = 1};
	struct rte_mbuf *m, *out[4];
	size_t len = inner_frame(f, h3, h1, 0, 1, 40), il, fl;

	memmove(vt->hdr + 16, vt->hdr + 12, vt->len - 12);
	wr16(vt->hdr + 12, 0x8100);
	wr16(vt->hdr + 14, 100);
	vt->len += 4;
	vt->l3_off = 18;
	vt->flags |= VX_VTEP_UDPCSUM;
	dp.port[pid[P_UL]]->underlay_vlan = 100;
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(2, 0)), 0);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_UL, out, 4), 1);
	assert_int_equal(bytes_of(out[0], got, sizeof(got)), len + 54);
	assert_int_equal(rd16(got + 12), 0x8100);
	assert_int_equal(rd16(got + 14), 100);
	assert_int_equal(rd16(got + 16), 0x0800);
	assert_int_equal(rte_raw_cksum(got + 18, 20), 0xffff);
	assert_int_equal(rd16(got + 18 + 2), len + 36);
	assert_int_equal(rd16(got + 38 + 4), len + 16);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify((void *)(got + 18), got + 38), 0);
	assert_memory_equal(got + 54, f, len);
	free_all(out, 1);

	/* Tagged VXLAN in on VLAN 100 is ours; untagged is not any more. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	il = inner_frame(inner, h1, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(sent(P_A1, out, 4), 1);
	check_inner(out[0], inner, il, 0);
	free_all(out, 1);
	o.vlan = 0;
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_UL_VLAN), 1);
	assert_true(nothing_sent());
}

/* ---- flood ---- */

static void
test_flood_access(void **state)
{
	uint8_t f[256], got[512];
	struct rte_mbuf *m, *out[16];
	size_t len = inner_frame(f, bcast, h1, 0, 9, 100);
	uint32_t remotes = 0;
	unsigned int n;

	/* From P_A1 untagged on link 1: 3 VTEPs + P_A2/30 + P_MIX/40, not P_A1. */
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	n = sent(P_UL, out, 16);
	assert_int_equal(n, 3);
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *o = rte_pktmbuf_mtod(out[i], uint8_t *);

		/* A header mbuf chained to an indirect clone: the payload is shared. */
		assert_true(out[i]->nb_segs >= 2);
		assert_int_equal(rte_pktmbuf_data_len(out[i]), 50);
		assert_true(RTE_MBUF_CLONED(out[i]->next));
		assert_ptr_equal(rte_mbuf_from_indirect(out[i]->next),
				 rte_mbuf_from_indirect(out[0]->next));
		remotes |= 1u << (o[33] - 1); /* last byte of the outer destination */
		check_outer4(out[i]);
		assert_int_equal(bytes_of(out[i], got, sizeof(got)), len + 50);
		assert_memory_equal(got + 50, f, len);
		assert_int_equal(rd16(got + 36), 4789);
	}
	assert_int_equal(remotes, (1u << 1) | (1u << 2) | (1u << 3)); /* .2 .3 .4 */
	free_all(out, n);
	n = sent(P_A2, out, 16);
	assert_int_equal(n, 1);
	check_inner(out[0], f, len, 30);
	free_all(out, n);
	n = sent(P_MIX, out, 16);
	assert_int_equal(n, 1);
	check_inner(out[0], f, len, 40);
	free_all(out, n);
	assert_int_equal(events(VX_EV_FLOOD_COPIES), 5);
	assert_int_equal(dp.stats[0].bd[1].flood_pkts, 1);
	assert_true(nothing_sent());

	/* Unknown unicast floods the same way; from P_A2/30 it skips P_A2/30 only. */
	len = inner_frame(f, h3, h2, 30, 9, 100);
	m = mk(f, len, pid[P_A2]);
	vx_access_burst(&w, pid[P_A2], &m, 1);
	n = sent(P_UL, out, 16);
	assert_int_equal(n, 3);
	free_all(out, n);
	assert_int_equal(sent(P_A1, out, 16), 1);
	free_all(out, 1);
	assert_int_equal(sent(P_MIX, out, 16), 1);
	free_all(out, 1);
	assert_int_equal(sent(P_A2, out, 16), 0);
}

static void
test_split_horizon(void **state)
{
	uint8_t inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	struct rte_mbuf *m, *out[16];
	size_t il = inner_frame(inner, bcast, h3, 0, 1, 40);
	size_t fl = vxlan_frame(frame, &o, inner, il);

	/* BUM from the overlay: local members only, never a VTEP of the flood list. */
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(sent(P_UL, out, 16), 0);
	assert_int_equal(sent(P_A1, out, 16), 1);
	check_inner(out[0], inner, il, 0);
	free_all(out, 1);
	assert_int_equal(sent(P_A2, out, 16), 1);
	check_inner(out[0], inner, il, 30);
	free_all(out, 1);
	assert_int_equal(sent(P_MIX, out, 16), 1);
	free_all(out, 1);
	assert_int_equal(events(VX_EV_FLOOD_COPIES), 3);

	/* Unicast to a MAC behind another VTEP: dropped, not sent back. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_remote(2, 0)), 0);
	il = inner_frame(inner, h1, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_SPLIT_HORIZON), 1);
	assert_true(nothing_sent());
}

/* ---- links and their VTEPs, links and their underlay ---- */

/*
 * A VTEP index that names another link's VTEP (an FDB entry or a flood
 * list that outlived its VTEP, the index reused by another link) is never
 * used: its header carries the other link's VNI. Access drops the frame,
 * the flood skips that copy, both under vtep-gone; decap learning does not
 * take it for the source's VTEP.
 */
static void
test_vtep_of_another_link(void **state)
{
	uint8_t f[256], inner[256], frame[512];
	struct uopt o = {.v6 = 1, .vni = VNI1, .udpcsum = 1};
	struct rte_mbuf *m, *out[16];
	struct vx_learn_req req[8];
	struct vx_member m1[] = {{pid[P_A1], 0}, {pid[P_A2], 30}, {pid[P_MIX], 40}};
	uint32_t f1[] = {1, 4, 2}; /* VTEP 4 is link 2's (IPv6, VNI2) */
	struct vx_bd *old = dp.bd[1];
	size_t len, il, fl;
	unsigned int n;

	/* Unicast from link 1 to a MAC whose entry names VTEP 4. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_remote(4, 0)), 0);
	len = inner_frame(f, h2, h1, 0, 1, 40);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(drops(VX_DROP_VTEP_GONE), 1);
	assert_int_equal(dp.stats[0].bd[1].drops, 1);
	assert_int_equal(dp.stats[0].bd[1].encap_pkts + dp.stats[0].bd[2].encap_pkts, 0);
	assert_true(nothing_sent());

	/* A flood list of link 1 naming VTEP 4: copies to VTEPs 1 and 2 only. */
	bd_make(1, VNI1, VX_BD_LEARNING, 4789, m1, 3, f1, 3);
	vx_retire(&dp, old);
	len = inner_frame(f, bcast, h1, 0, 2, 40);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	n = sent(P_UL, out, 16);
	assert_int_equal(n, 2);
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *b = rte_pktmbuf_mtod(out[i], uint8_t *);

		assert_int_equal(rd16(b + 12), 0x0800); /* IPv4: never VTEP 4's header */
		assert_int_equal(b[34 + 8 + 6], VNI1 & 0xff);
	}
	free_all(out, n);
	assert_int_equal(drops(VX_DROP_VTEP_GONE), 2);
	assert_int_equal(sent(P_A2, out, 16), 1); /* local members still get theirs */
	free_all(out, 1);
	assert_int_equal(sent(P_MIX, out, 16), 1);
	free_all(out, 1);
	assert_true(nothing_sent());

	/*
	 * Decap on link 1 from 2001:db8:1::2 (VTEP 4's address) of a source
	 * whose entry names VTEP 4: not VTEP 4's frame, so a learn request.
	 */
	while (learn_reqs(req, 8) != 0)
		;
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h3), vx_fdb_remote(4, 0)), 0);
	il = inner_frame(inner, bcast, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(learn_reqs(req, 8), 1);
	assert_int_equal(req[0].key, key(1, h3));
	assert_int_equal(req[0].remote.family, AF_INET6);
	assert_false(nothing_sent());
}

/*
 * A VNI is accepted only over its link's underlay family and, when the
 * link has a local address, only to it; the rest is dropped (vni-underlay)
 * before anything is learned.
 */
static void
test_vni_underlay(void **state)
{
	uint8_t inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	struct vx_learn_req req[8];
	struct rte_mbuf *m, *out[8];
	struct vx_bd *bd = dp.bd[1]; /* no worker runs: changed in place */
	uint64_t reqs = events(VX_EV_LEARN_REQ);
	size_t il = inner_frame(inner, h1, h3, 0, 1, 40), fl;

	/* Link 1 is an IPv4 link (family only): IPv6 to one of ours is dropped. */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	bd->family = AF_INET;
	o.v6 = 1;
	o.udpcsum = 1;
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_VNI_UNDERLAY, 0);
	assert_int_equal(dp.stats[0].bd[1].drops, 1);
	assert_int_equal(learn_reqs(req, 8), 0);
	assert_int_equal(events(VX_EV_LEARN_REQ), reqs);
	assert_int_equal(dp.stats[0].bd[1].decap_pkts, 0);

	/* Over IPv4 it is delivered (and its source learned). */
	o.v6 = 0;
	o.udpcsum = 0;
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(sent(P_A1, out, 8), 1);
	check_inner(out[0], inner, il, 0);
	free_all(out, 1);
	assert_int_equal(learn_reqs(req, 8), 1);

	/*
	 * With a local address: to it, delivered; to another of the switch's
	 * addresses, dropped; over IPv6, dropped.
	 */
	bd->local = ip_of("198.51.100.1");
	dp.local->addr[2].ip = ip_of("198.51.100.9");
	dp.local->addr[2].port = pid[P_UL];
	dp.local->n_addr = 3;
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(sent(P_A1, out, 8), 1);
	free_all(out, 1);
	o.dst = "198.51.100.9";
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_VNI_UNDERLAY, 0);
	o.dst = NULL;
	o.v6 = 1;
	o.udpcsum = 1;
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_VNI_UNDERLAY, 0);
	assert_int_equal(dp.stats[0].bd[1].decap_pkts, 2);

	/* Family 0 and no local address: either family (link 2 takes IPv4 and IPv6). */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(2, h1), vx_fdb_local(pid[P_A1], 10, 0)), 0);
	o.vni = VNI2;
	for (int v6 = 0; v6 < 2; v6++) {
		o.v6 = v6;
		fl = vxlan_frame(frame, &o, inner, il);
		m = mk(frame, fl, pid[P_UL]);
		vx_decap_burst(&w, pid[P_UL], &m, 1);
		assert_int_equal(sent(P_A1, out, 8), 1);
		free_all(out, 1);
	}
	assert_int_equal(drops(VX_DROP_VNI_UNDERLAY), 3);
	assert_true(nothing_sent());
}

/* ---- storm control ---- */

/* Link 1 republished with storm control: one BUM frame per interval, bursts of burst. */
static struct vx_bd *
bd1_bum(uint64_t interval, uint64_t burst)
{
	const struct vx_bd *cur = dp.bd[1];
	size_t sz = sizeof(*cur) + cur->n_flood * sizeof(uint32_t);
	struct vx_bd *bd = rte_zmalloc(NULL, sz, 0), *old = dp.bd[1];

	assert_non_null(bd);
	memcpy(bd, cur, sz);
	bd->bum_interval = interval;
	bd->bum_tau = interval * (burst - 1);
	vx_publish(dp.bd[1], bd);
	rte_free(old);
	return bd;
}

/* n copies of frame f from P_A1 in one burst; returns how many were flooded. */
static unsigned int
flood_n(const uint8_t *f, size_t len, unsigned int n)
{
	struct rte_mbuf *m[VX_BURST], *out[64];
	uint64_t before = dp.stats[0].bd[1].flood_pkts;
	unsigned int k;

	assert_true(n <= VX_BURST);
	for (unsigned int i = 0; i < n; i++)
		m[i] = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], m, n);
	for (int p = 0; p < N_PORTS; p++)
		while ((k = sent(p, out, RTE_DIM(out))) != 0)
			free_all(out, k);
	return dp.stats[0].bd[1].flood_pkts - before;
}

/*
 * bum-rate: a worker floods a burst of frames, then one per interval; the
 * rest are dropped before any copy is made, counted `bum-rate` on the link
 * and the port. Frames from the overlay share the link's budget; unicast to
 * a known MAC is never limited; a rate changed (the state far ahead of what
 * the new one allows) starts afresh; no limit when the interval is 0.
 */
static void
test_flood_bum_rate(void **state)
{
	uint8_t f[256], inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	size_t len = inner_frame(f, bcast, h1, 0, 9, 100);
	struct rte_mbuf *m, *out[16];
	uint64_t hz = rte_get_tsc_hz();
	const struct vx_bd *bd;
	size_t il, fl;

	/* One frame a second, bursts of 4: the first 4 of 10 go, 6 are dropped. */
	bd = bd1_bum(hz, 4);
	assert_int_equal(flood_n(f, len, 10), 4);
	assert_int_equal(drops(VX_DROP_BUM_RATE), 6);
	assert_int_equal(dp.stats[0].bd[1].drops, 6);
	assert_int_equal(dp.stats[0].port[pid[P_A1]].drops, 6);
	assert_int_equal(events(VX_EV_FLOOD_COPIES), 4 * 5);

	/* Unknown unicast is limited too; unicast to a known MAC is not. */
	len = inner_frame(f, h3, h1, 0, 9, 100);
	assert_int_equal(flood_n(f, len, 3), 0);
	assert_int_equal(drops(VX_DROP_BUM_RATE), 9);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_local(pid[P_A2], 30, 0)), 0);
	len = inner_frame(f, h2, h1, 0, 9, 100);
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	assert_int_equal(sent(P_A2, out, 16), 1);
	free_all(out, 1);

	/* From the overlay: the same budget, so dropped while it is spent. */
	il = inner_frame(inner, bcast, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_BUM_RATE), 10);
	assert_int_equal(dp.stats[0].port[pid[P_UL]].drops, 1);
	assert_true(nothing_sent());

	/* Two intervals later (the state moved back by two): two more frames. */
	w.bum_tat[1] -= 2 * bd->bum_interval;
	len = inner_frame(f, bcast, h1, 0, 9, 100);
	assert_int_equal(flood_n(f, len, 5), 2);
	assert_int_equal(drops(VX_DROP_BUM_RATE), 13);

	/*
	 * A thousand frames a second with bursts of 32: the state left by the
	 * slow rate is seconds ahead, more than the new rate allows, and is
	 * reset, so the burst goes at once.
	 */
	bd1_bum(hz / 1000, 32);
	assert_int_equal(flood_n(f, len, 32), 32);

	/* Off: everything floods, nothing more is counted. */
	bd1_bum(0, 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(flood_n(f, len, VX_BURST), VX_BURST);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	for (int p = P_A1; p <= P_MIX; p++) {
		assert_int_equal(sent(p, out, 16), 1);
		free_all(out, 1);
	}
	assert_true(nothing_sent());
	assert_int_equal(drops(VX_DROP_BUM_RATE), 13);
}

/* ---- the punt path under attack ---- */

/* An underlay Ethernet/IPv4 ARP frame (60 bytes, padded) from the next hop. */
static struct rte_mbuf *
ul_arp(uint16_t op, const char *spa, const char *tpa, uint16_t port)
{
	uint8_t f[60] = {0};
	struct vx_ip s = ip_of(spa), t = ip_of(tpa);

	memcpy(f, op == 1 ? bcast : ul_mac, 6);
	memcpy(f + 6, nh_mac, 6);
	wr16(f + 12, 0x0806);
	wr16(f + 14, 1);
	wr16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	wr16(f + 20, op);
	memcpy(f + 22, nh_mac, 6);
	memcpy(f + 28, &s.v4, 4);
	memcpy(f + 38, &t.v4, 4);
	return mk(f, sizeof(f), port);
}

/* An ICMP echo request to our IPv4 address on the underlay. */
static struct rte_mbuf *
ul_echo(uint16_t port)
{
	uint8_t frame[512], inner[128];
	struct uopt o = {0};
	size_t fl = vxlan_frame(frame, &o, inner, inner_frame(inner, h1, h3, 0, 1, 10));

	frame[14 + 9] = IPPROTO_ICMP;
	frame[14 + 10] = frame[14 + 11] = 0;
	((struct rte_ipv4_hdr *)(frame + 14))->hdr_checksum = rte_ipv4_cksum((void *)(frame + 14));
	frame[34] = 8; /* echo request */
	return mk(frame, fl, port);
}

/* Punted frames of reason why on the punt ring, all taken off it and freed. */
static unsigned int
punted(uint32_t why, unsigned int *other)
{
	struct rte_mbuf *p;
	unsigned int n = 0;

	*other = 0;
	while (rte_ring_dequeue(dp.punt_ring[0], (void **)&p) == 0) {
		if (p->hash.fdir.hi == why)
			n++;
		else
			(*other)++;
		rte_pktmbuf_free(p);
	}
	return n;
}

/*
 * Budgets per class, limited before enqueue: an echo flood and a broadcast
 * ARP flood at the switch take their own budgets only; the ARP replies
 * that keep its next hops resolved all go through. ARP for other
 * addresses never reaches the punt path at all.
 */
static void
test_punt_budgets(void **state)
{
	struct rte_mbuf *m;
	unsigned int n_echo = 0, n_reply = 0, other, i, refill;
	uint64_t t0 = rte_rdtsc();

	for (i = 0; i < 1000; i++) {
		m = ul_echo(pid[P_UL]);
		vx_decap_burst(&w, pid[P_UL], &m, 1);
		m = ul_arp(1, "198.51.100.77", "198.51.100.99", pid[P_UL]); /* not ours */
		vx_decap_burst(&w, pid[P_UL], &m, 1);
		if (i % 10 == 0) {
			m = ul_arp(2, "198.51.100.2", "198.51.100.1", pid[P_UL]);
			vx_decap_burst(&w, pid[P_UL], &m, 1);
		}
		n_echo += punted(VX_PUNT_ICMP, &other);
		n_reply += other;
	}
	/*
	 * One worker: the echo class's burst, plus what its rate refilled while
	 * the loop ran (a sanitizer build is slow), and no more.
	 */
	refill = (unsigned int)((rte_rdtsc() - t0) * VX_PUNT_PPS / rte_get_tsc_hz()) + 1;
	assert_in_range(n_echo, VX_PUNT_BURST, VX_PUNT_BURST + refill);
	assert_true(n_echo < 1000); /* a limit was shown */
	assert_int_equal(n_reply, 100);
	assert_int_equal(drops(VX_DROP_PUNT_RATE), 1000 - n_echo);
	assert_int_equal(drops(VX_DROP_UL_NEIGH_NOT_OURS), 1000);
	assert_int_equal(drops(VX_DROP_PUNT_FULL), 0);

	/* Another port has budgets of its own. */
	m = ul_echo(pid[P_MIX]);
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), mix_mac, 6);
	vx_decap_burst(&w, pid[P_MIX], &m, 1);
	assert_int_equal(punted(VX_PUNT_ICMP, &other), 1);
	assert_true(nothing_sent());
}

/* The ring's last slots are kept for ARP replies and NAs. */
static void
test_punt_ring_reserve(void **state)
{
	struct rte_ring *r = dp.punt_ring[0];
	struct rte_mbuf *m, *fill[VX_PUNT_RING_SIZE];
	unsigned int n = 0, other;

	while (rte_ring_free_count(r) > VX_PUNT_RING_RESERVE) {
		fill[n] = mk(bcast, 6, pid[P_UL]);
		fill[n]->hash.fdir.hi = 0;
		assert_int_equal(rte_ring_sp_enqueue(r, fill[n]), 0);
		n++;
	}
	m = ul_echo(pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_PUNT_FULL), 1);
	m = ul_arp(1, "198.51.100.2", "198.51.100.1", pid[P_UL]); /* a request: not reserved */
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_PUNT_FULL), 2);
	m = ul_arp(2, "198.51.100.2", "198.51.100.1", pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_PUNT_FULL), 2);
	assert_int_equal(punted(VX_PUNT_ARP, &other), 1);
	assert_int_equal(other, n);
}

/*
 * A frame to a link's own MAC (its overlay address) is taken by the
 * control thread: its source is learned before that, so the answer finds
 * the requester. An inner source equal to the link's MAC is refused.
 */
static void
test_decap_learn_before_punt(void **state)
{
	static const uint8_t link_mac[6] = {0x02, 0, 0, 0, 0x0a, 0x01};
	uint8_t inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	struct vx_member m1[] = {{pid[P_A1], 0}, {pid[P_A2], 30}, {pid[P_MIX], 40}};
	uint32_t f1[] = {1, 2, 3};
	struct vx_bd *old = dp.bd[1], *bd;
	struct vx_learn_req req[4];
	struct rte_mbuf *m, *p = NULL;
	size_t il, fl;

	bd = bd_make(1, VNI1, VX_BD_LEARNING | VX_BD_OVL_ADDR, 4789, m1, 3, f1, 3);
	memcpy(&bd->mac, link_mac, 6);
	vx_retire(&dp, old);
	il = inner_frame(inner, link_mac, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	m = mk(frame, fl, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(rte_ring_dequeue(dp.punt_ring[0], (void **)&p), 0);
	assert_int_equal(p->hash.fdir.hi, VX_PUNT_OVERLAY);
	rte_pktmbuf_free(p);
	assert_int_equal(learn_reqs(req, 4), 1);
	assert_int_equal(req[0].key, key(1, h3));
	assert_int_equal(req[0].remote.family, AF_INET);
	assert_true(nothing_sent());

	/* From the link's own MAC: dropped, nothing learned, nothing punted. */
	il = inner_frame(inner, bcast, link_mac, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	decap_drops(frame, fl, VX_DROP_INNER_SRC_LINK, 0);
	assert_int_equal(learn_reqs(req, 4), 0);
	assert_int_equal(rte_ring_count(dp.punt_ring[0]), 0);
}

/*
 * Ethernet padding past the outer IP length is cut from a chained frame
 * whatever segment holds it (the last segment alone is not enough).
 */
static void
test_decap_chain_padding(void **state)
{
	uint8_t inner[256], frame[1024], got[1024];
	struct uopt o = {.vni = VNI1};
	struct rte_mbuf *m, *out[4];
	size_t il, fl;

	il = inner_frame(inner, h1, h3, 0, 1, 100);
	fl = vxlan_frame(frame, &o, inner, il);
	memset(frame + fl, 0xee, 300); /* 300 bytes of padding: two 128-byte segments and more */
	m = mk_chain(frame, fl + 300, 128, pid[P_UL]);
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(sent(P_A1, out, 4), 1);
	assert_int_equal(rte_pktmbuf_pkt_len(out[0]), il);
	assert_int_equal(bytes_of(out[0], got, sizeof(got)), il);
	assert_memory_equal(got, inner, il);
	free_all(out, 1);
}

/*
 * With a tunnel packet type the NIC's RX_IP/L4_CKSUM flags are about the
 * inner headers: a bad outer IPv4 checksum is still caught.
 */
static void
test_decap_outer_csum_flags(void **state)
{
	uint8_t inner[256], frame[512];
	struct uopt o = {.vni = VNI1};
	struct rte_mbuf *m, *out[4];
	size_t il, fl;

	il = inner_frame(inner, h1, h3, 0, 1, 40);
	fl = vxlan_frame(frame, &o, inner, il);
	frame[14 + 10] ^= 0x55; /* outer IPv4 header checksum broken */
	m = mk(frame, fl, pid[P_UL]);
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_TUNNEL_VXLAN;
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(drops(VX_DROP_IP_CSUM), 1);
	assert_true(nothing_sent());
	/* Without a tunnel type the flags are about the outer headers: trusted. */
	m = mk(frame, fl, pid[P_UL]);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	vx_decap_burst(&w, pid[P_UL], &m, 1);
	assert_int_equal(sent(P_A1, out, 4), 1);
	free_all(out, 1);
}

/* A frame still tagged once its access tag is off (QinQ) stays out of the overlay. */
static void
test_access_qinq(void **state)
{
	uint8_t f[256];
	struct rte_mbuf *m;
	size_t len = inner_frame(f, h2, h1, 30, 1, 40);

	/* Another 802.1Q tag, then an 802.1ad one, inside the access VLAN 30. */
	for (int i = 0; i < 2; i++) {
		uint8_t q[300];

		memcpy(q, f, 16);
		wr16(q + 16, i == 0 ? 0x8100 : 0x88a8);
		wr16(q + 18, 7);
		memcpy(q + 20, f + 16, len - 16);
		m = mk(q, len + 4, pid[P_A2]);
		vx_access_burst(&w, pid[P_A2], &m, 1);
		assert_int_equal(drops(VX_DROP_INNER_VLAN), i + 1);
	}
	assert_int_equal(dp.stats[0].bd[1].drops, 2);
	assert_true(nothing_sent());
}

/* ---- tx and the worker loop ---- */

static void
test_tx_full(void **state)
{
	uint8_t f[128];
	size_t len = inner_frame(f, h1, h2, 0, 1, 20);
	struct rte_mbuf *m;
	unsigned int free_slots = rte_ring_free_count(txr[P_A1]), i;
	struct rte_mbuf **fill = calloc(free_slots, sizeof(*fill));

	/* Fill the port's queue, then send 3 more: counted and freed. */
	for (i = 0; i < free_slots; i++)
		fill[i] = mk(f, len, 0);
	assert_int_equal(rte_ring_enqueue_burst(txr[P_A1], (void **)fill, free_slots, NULL),
			 free_slots);
	for (i = 0; i < 3; i++) {
		m = mk(f, len, 0);
		vx_tx_enqueue(&w, pid[P_A1], m);
	}
	vx_tx_flush(&w);
	assert_int_equal(drops(VX_DROP_TX_FULL), 3);
	assert_int_equal(dp.stats[0].port[pid[P_A1]].tx_pkts, 0);
	free(fill); /* the mbufs themselves are drained by teardown */
}

static void
test_worker_poll(void **state)
{
	uint8_t inner[256], frame[512], f[256];
	struct uopt o = {.vni = VNI1, .dmac = mix_mac};
	struct rte_mbuf *m[3], *out[8];
	size_t il = inner_frame(inner, h1, h3, 0, 1, 40);
	size_t fl = vxlan_frame(frame, &o, inner, il);
	size_t len = inner_frame(f, h1, h2, 40, 2, 40);
	struct vx_rxq rq = {.port = pid[P_MIX], .queue = 0};

	/*
	 * P_MIX is both: untagged VXLAN to its MAC is underlay, VLAN 40 is
	 * access (link 1). h1 lives on P_A1.
	 */
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h1), vx_fdb_local(pid[P_A1], 0, 0)), 0);
	w.n_rxq = 1;
	w.rxq[0] = rq;
	m[0] = mk(frame, fl, pid[P_MIX]);
	m[1] = mk(f, len, pid[P_MIX]);
	m[2] = mk(frame, fl, pid[P_MIX]);
	assert_int_equal(rte_ring_enqueue_burst(rxr[P_MIX], (void **)m, 3, NULL), 3);
	assert_int_equal(vx_worker_poll(&w), 3);
	/* vx_worker_poll flushed already. */
	assert_int_equal(rte_ring_dequeue_burst(txr[P_A1], (void **)out, 8, NULL), 3);
	free_all(out, 3);
	assert_int_equal(dp.stats[0].bd[1].decap_pkts, 2);
	assert_int_equal(dp.stats[0].bd[1].local_pkts, 1);
	assert_int_equal(dp.stats[0].port[pid[P_MIX]].rx_pkts, 3);
	assert_int_equal(vx_worker_poll(&w), 0);
	assert_true(nothing_sent());
}

/* The control thread's packets go out through worker 0 (vx_ctl_tx), on the next poll. */
static void
test_ctl_tx(void **state)
{
	uint8_t f[256];
	size_t len = inner_frame(f, h1, h2, 0, 3, 40);
	struct rte_mbuf *m[2], *out[4];

	m[0] = mk(f, len, pid[P_A1]);
	m[1] = mk(f, len, pid[P_A1]);
	assert_int_equal(vx_ctl_tx(&dp, pid[P_A2], m, 2), 2);
	assert_int_not_equal(dp.ctl_tx_pending, 0);
	w.n_rxq = 0;
	assert_int_equal(vx_worker_poll(&w), 0);
	assert_int_equal(dp.ctl_tx_pending, 0);
	assert_int_equal(rte_ring_dequeue_burst(txr[P_A2], (void **)out, 4, NULL), 2);
	assert_memory_equal(rte_pktmbuf_mtod(out[0], void *), f, len);
	free_all(out, 2);
	assert_int_equal(dp.stats[0].port[pid[P_A2]].tx_pkts, 2);
	/* Another worker never drains the control thread's rings. */
	m[0] = mk(f, len, pid[P_A1]);
	assert_int_equal(vx_ctl_tx(&dp, pid[P_A2], m, 1), 1);
	w.id = 1;
	vx_worker_poll(&w);
	w.id = 0;
	assert_true(nothing_sent());
	vx_worker_poll(&w);
	assert_int_equal(rte_ring_dequeue_burst(txr[P_A2], (void **)out, 4, NULL), 1);
	free_all(out, 1);
}

/* ---- exhaustion ---- */

/* Take every mbuf mp has left but keep; returns how many (give them back with free_all). */
static unsigned int
drain_pool(struct rte_mempool *mp, struct rte_mbuf ***held, unsigned int keep)
{
	unsigned int avail = rte_mempool_avail_count(mp), n = 0;

	*held = calloc(avail + 1, sizeof(**held));
	assert_non_null(*held);
	while (avail > keep && ((*held)[n] = rte_pktmbuf_alloc(mp)) != NULL) {
		n++;
		avail--;
	}
	assert_int_equal(rte_mempool_avail_count(mp), keep);
	return n;
}

/*
 * Header mbufs run out during a flood fan-out (3 VTEPs, 2 local members):
 * with none left, every VTEP copy is dropped and counted; with one left, the
 * clone succeeds and the header it needs does not, and the clone goes back.
 * The local copies still go out; teardown checks that nothing leaked.
 */
static void
test_flood_no_mbuf(void **state)
{
	uint8_t f[256];
	size_t len = inner_frame(f, bcast, h1, 0, 9, 100);
	struct rte_mbuf **held, *m, *out[16];
	unsigned int n_held, n;

	for (unsigned int keep = 0; keep <= 1; keep++) {
		uint64_t before = drops(VX_DROP_NO_MBUF);

		n_held = drain_pool(hdr_pool, &held, keep);
		m = mk(f, len, pid[P_A1]);
		vx_access_burst(&w, pid[P_A1], &m, 1);
		assert_int_equal(drops(VX_DROP_NO_MBUF) - before, 3);
		assert_int_equal(sent(P_UL, out, 16), 0);
		n = sent(P_A2, out, 16);
		assert_int_equal(n, 1);
		free_all(out, n);
		n = sent(P_MIX, out, 16);
		assert_int_equal(n, 1);
		free_all(out, n);
		assert_int_equal(rte_mempool_avail_count(hdr_pool), keep);
		free_all(held, n_held);
		free(held);
	}
	/* Pool back: the next flood reaches the three VTEPs again. */
	m = mk(f, len, pid[P_A1]);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	n = sent(P_UL, out, 16);
	assert_int_equal(n, 3);
	free_all(out, n);
}

/* Packet mbufs run out: local flood copies are counted, the frame itself still goes out. */
static void
test_flood_no_pkt_mbuf(void **state)
{
	uint8_t f[256];
	size_t len = inner_frame(f, bcast, h1, 0, 9, 100);
	struct rte_mbuf **held, *m, *out[16];
	unsigned int n_held, n, local = 0;
	uint64_t before = drops(VX_DROP_NO_MBUF);

	m = mk(f, len, pid[P_A1]);
	n_held = drain_pool(pool, &held, 0);
	vx_access_burst(&w, pid[P_A1], &m, 1);
	/* The VTEP clones need no packet mbuf; one of the two local members gets the frame. */
	n = sent(P_UL, out, 16);
	assert_int_equal(n, 3);
	free_all(out, n);
	for (int p = P_A2; p <= P_MIX; p++) {
		n = sent(p, out, 16);
		local += n;
		free_all(out, n);
	}
	assert_int_equal(local + (drops(VX_DROP_NO_MBUF) - before), 2);
	assert_true(drops(VX_DROP_NO_MBUF) - before >= 1);
	free_all(held, n_held);
	free(held);
}

/* A full learn ring: the requests are counted as lost, the frames still forwarded. */
static void
test_learn_ring_full(void **state)
{
	struct vx_learn_req junk = {0};
	uint8_t f[256], src[6] = {0x02, 0, 0, 0, 9, 0};
	struct rte_mbuf *m, *out[16];
	unsigned int n, filled = 0;

	while (rte_ring_enqueue_elem(dp.learn_ring[0], &junk, sizeof(junk)) == 0)
		filled++;
	assert_true(filled > 0);
	assert_int_equal(vx_fdb_set(&dp.fdb, key(1, h2), vx_fdb_local(pid[P_A2], 30, 0)), 0);
	for (unsigned int i = 0; i < 4; i++) {
		size_t len;

		src[5] = i;
		len = inner_frame(f, h2, src, 0, i, 40);
		m = mk(f, len, pid[P_A1]);
		vx_access_burst(&w, pid[P_A1], &m, 1);
	}
	assert_int_equal(events(VX_EV_LEARN_RING_FULL), 4);
	n = sent(P_A2, out, 16);
	assert_int_equal(n, 4);
	free_all(out, n);
	assert_true(nothing_sent());
}

/* ---- main ---- */

static void
make_ports(void)
{
	struct rte_eth_conf conf;
	char name[32];

	memset(&conf, 0, sizeof(conf));
	for (int p = 0; p < N_PORTS; p++) {
		snprintf(name, sizeof(name), "vxt_rx%d", p);
		rxr[p] =
			rte_ring_create(name, 1024, rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "vxt_tx%d", p);
		txr[p] =
			rte_ring_create(name, 1024, rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (rxr[p] == NULL || txr[p] == NULL)
			rte_exit(1, "rings\n");
		snprintf(name, sizeof(name), "vxt_port%d", p);
		int id = rte_eth_from_rings(name, &rxr[p], 1, &txr[p], 1, rte_socket_id());

		if (id < 0 || rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
		    rte_eth_rx_queue_setup(id, 0, 1024, rte_socket_id(), NULL, pool) != 0 ||
		    rte_eth_tx_queue_setup(id, 0, 1024, rte_socket_id(), NULL) != 0 ||
		    rte_eth_dev_start(id) != 0)
			rte_exit(1, "port %d\n", p);
		pid[p] = id;
	}
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal_args[] = {argv[0], "--no-huge", "-m",
			    "512",   "--no-pci",  prefix,
			    "-l",    "0",	  "--log-level=lib.eal:error"};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_decap_ipv4_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decap_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decap_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decap_punt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learning_decap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learning_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_drop_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_srcport_spread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_srcport_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_flow_hash_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_frame_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_mtu_jumbo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encap_offload_unresolved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_underlay_vlan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_horizon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vtep_of_another_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vni_underlay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_bum_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_punt_budgets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_punt_ring_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decap_learn_before_punt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decap_chain_padding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decap_outer_csum_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_qinq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_no_mbuf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_no_pkt_mbuf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learn_ring_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_tx, setup, teardown),
	};
	int ret;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "--file-prefix=vxt_stages_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal_args), eal_args) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("vxt_pool", 8191, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	hdr_pool = rte_pktmbuf_pool_create("vxt_hdr", 2047, 0, 0, RTE_PKTMBUF_HEADROOM + 128,
					   rte_socket_id());
	if (pool == NULL || hdr_pool == NULL)
		rte_exit(1, "pools\n");
	make_ports();
	ret = cmocka_run_group_tests_name("stages", tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
