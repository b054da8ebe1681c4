/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames the control thread encapsulates into a link (control/core/send.c)
 * against the workers' encapsulation of the same inner frame: the answers
 * of an overlay address to a host behind a remote VTEP, over an IPv4 and an
 * IPv6 underlay, carry byte for byte the outer header (UDP source port
 * included) that the access stage gives the same inner frame. Real EAL,
 * mbufs and rings; the port transmit is a test double that keeps the
 * frames, the worker is driven by hand.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "cli/cli.h"
#include "core/core.h"
#include "underlay/underlay.h"
#include "vx_worker.h"

#define MAX_CAP 8

static struct rte_mempool *pool;
static uint8_t cap[MAX_CAP][256];
static uint16_t cap_len[MAX_CAP], cap_port[MAX_CAP];
static int n_cap;

static const struct rte_ether_addr host_mac = {.addr_bytes = {0x02, 0xbb, 0, 0, 0, 0x01}};

/* Copy frame m (at most sizeof(cap[0]) bytes) into the next capture slot. */
static void
capture(struct rte_mbuf *m, uint16_t port)
{
	uint16_t len = RTE_MIN(rte_pktmbuf_pkt_len(m), sizeof(cap[0]));
	const void *d;

	assert_true(n_cap < MAX_CAP);
	d = rte_pktmbuf_read(m, 0, len, cap[n_cap]);
	assert_non_null(d);
	if (d != cap[n_cap])
		memcpy(cap[n_cap], d, len);
	cap_len[n_cap] = len;
	cap_port[n_cap] = port;
	n_cap++;
}

static uint16_t
fake_tx(struct vx_ctl *ctl, uint16_t port, struct rte_mbuf **m, uint16_t n)
{
	(void)ctl;
	for (uint16_t i = 0; i < n; i++) {
		capture(m[i], port);
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

#include "ctl_harness.h"

static struct rte_mbuf *
mbuf_of(const uint8_t *data, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, len), data, len);
	return m;
}

/* An ARP request from host_mac/203.0.113.20 for 203.0.113.1. */
static uint16_t
arp_request(uint8_t *buf)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eh + 1);

	memset(buf, 0, 60);
	memset(&eh->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	rte_ether_addr_copy(&host_mac, &eh->src_addr);
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = RTE_ETHER_ADDR_LEN;
	a->arp_plen = 4;
	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&host_mac, &a->arp_data.arp_sha);
	inet_pton(AF_INET, "203.0.113.20", &a->arp_data.arp_sip);
	inet_pton(AF_INET, "203.0.113.1", &a->arp_data.arp_tip);
	return 60;
}

/* An echo request from host_mac/203.0.113.20 to the link's MAC and 203.0.113.1. */
static uint16_t
echo_request(uint8_t *buf, const struct rte_ether_addr *dmac)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);
	uint16_t plen = sizeof(*ic) + 32;

	memset(buf, 0, 128);
	rte_ether_addr_copy(dmac, &eh->dst_addr);
	rte_ether_addr_copy(&host_mac, &eh->src_addr);
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + plen);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	inet_pton(AF_INET, "203.0.113.20", &ip->src_addr);
	inet_pton(AF_INET, "203.0.113.1", &ip->dst_addr);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	ic->icmp_ident = rte_cpu_to_be_16(7);
	ic->icmp_seq_nb = rte_cpu_to_be_16(1);
	memset(ic + 1, 0xab, 32);
	ic->icmp_cksum = ~rte_raw_cksum(ic, plen);
	return sizeof(*eh) + sizeof(*ip) + plen;
}

/* A frame of the remote VTEP for the control thread, as decap hands it over. */
static void
punt_overlay(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t port, uint16_t bd)
{
	struct rte_mbuf *m = mbuf_of(f, len);

	m->port = port;
	m->hash.fdir.hi = VX_PUNT_OVERLAY;
	m->hash.fdir.lo = bd;
	assert_int_equal(rte_ring_sp_enqueue(c->dp->punt_ring[0], m), 0);
	vx_ul_poll(c);
}

/*
 * The inner frame through the access stage of a worker, from access port
 * port, its IPv4 identification counter at ip_id; the frame it queued on
 * the underlay port ul goes into the next capture slot.
 */
static void
worker_encap(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t port, uint16_t ul,
	     uint16_t ip_id)
{
	struct vx_worker *w = calloc(1, sizeof(*w));
	struct rte_mbuf *m = mbuf_of(f, len);

	assert_non_null(w);
	w->dp = c->dp;
	w->st = &c->dp->stats[0];
	w->ip_id = ip_id;
	m->port = port;
	assert_int_equal(vx_access_burst(w, port, &m, 1), 1);
	assert_int_equal(w->tx[ul].n, 1);
	capture(w->tx[ul].pkts[0], ul);
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int i = 0; i < w->tx[p].n; i++)
			rte_pktmbuf_free(w->tx[p].pkts[i]);
	free(w);
}

struct send_case {
	const char *cmds[3]; /* underlay address, next hop, link; the access port follows */
	const char *fdb;     /* the requester behind the remote VTEP */
	uint16_t outer_len;  /* Ethernet + IP + UDP + VXLAN */
	bool v6;
};

/*
 * An ARP reply and an echo reply of the link's overlay address to a host
 * behind the remote VTEP: each as the control thread sent it, then its
 * inner frame through a worker with the same IPv4 identification. The two
 * frames are the same bytes; the header is the link's (VNI, UDP port).
 */
static void
check_case(const struct send_case *sc)
{
	struct vx_ctl *c = new_ctl();
	uint8_t f[128];
	uint16_t len, bd;
	struct vx_link *l;

	c->dp->pool = pool;
	c->dp->hdr_pool = pool;
	c->ul->tx = fake_tx;
	for (int i = 0; i < 3; i++)
		ok(c, sc->cmds[i]);
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "addr add 203.0.113.1/24 dev vxlan10");
	l = vx_link_find(c, "vxlan10");
	bd = l->bd;
	for (int k = 0; k < 2; k++) {
		uint16_t id;

		len = k == 0 ? arp_request(f) : echo_request(f, &l->mac);
		/* The requester is known behind the remote VTEP: the answer goes there. */
		if (k == 0)
			ok(c, sc->fdb);
		n_cap = 0;
		id = c->core->ip_id;
		punt_overlay(c, f, len, 2, bd);
		assert_int_equal(n_cap, 1);
		assert_int_equal(cap_port[0], 2);
		assert_true(cap_len[0] > sc->outer_len + RTE_ETHER_HDR_LEN);
		worker_encap(c, cap[0] + sc->outer_len, cap_len[0] - sc->outer_len, 0, 2, id);
		assert_int_equal(cap_len[1], cap_len[0]);
		assert_memory_equal(cap[1], cap[0], cap_len[0]);
		/* The link's header: VNI 10 to 4789, from the link's source port range. */
		assert_int_equal(cap[0][sc->outer_len - 8] & 0x08, 0x08);
		assert_int_equal(cap[0][sc->outer_len - 4] << 16 | cap[0][sc->outer_len - 3] << 8 |
					 cap[0][sc->outer_len - 2],
				 10);
		assert_int_equal(cap[0][sc->outer_len - 14] << 8 | cap[0][sc->outer_len - 13],
				 4789);
		if (!sc->v6)
			assert_int_equal(rte_raw_cksum(cap[0] + 14, 20), 0xffff);
	}
	free_ctl(c);
}

static void
test_control_encap_as_worker(void **state)
{
	static const struct send_case cases[] = {
		{{"addr add 198.51.100.1/24 dev net_af_packet2",
		  "neigh add 198.51.100.2 lladdr 02:aa:00:00:00:02 dev net_af_packet2",
		  "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
		  "dev net_af_packet2 udpcsum"},
		 "fdb add 02:bb:00:00:00:01 dev vxlan10 dst 198.51.100.2 dynamic",
		 50,
		 false},
		{{"addr add 2001:db8:1::1/64 dev net_af_packet2",
		  "neigh add 2001:db8:1::2 lladdr 02:aa:00:00:00:02 dev net_af_packet2",
		  "link add vxlan10 type vxlan id 10 local 2001:db8:1::1 remote 2001:db8:1::2 "
		  "dev net_af_packet2"},
		 "fdb add 02:bb:00:00:00:01 dev vxlan10 dst 2001:db8:1::2 dynamic",
		 70,
		 true},
	};

	(void)state;
	for (size_t i = 0; i < RTE_DIM(cases); i++)
		check_case(&cases[i]);
}

static int
make_pool(void)
{
	pool = rte_pktmbuf_pool_create("send_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static void
free_pool(void)
{
	rte_mempool_free(pool);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_encap_as_worker),
	};

	(void)argc;
	return run_eal_tests(argv[0], "send", tests, RTE_DIM(tests), make_pool, free_pool);
}
