/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch inside the overlay (control/core, dataplane/link_punt.c):
 * proxy neighbour entries on a link answer ARP/NS from access ports and
 * miss with a counter; overlay addresses answer ARP and echo from access
 * ports and, encapsulated, from remote VTEPs; the dataplane helper punts,
 * copies or lets frames go; show, save and link del. Real EAL, mbufs and
 * rings; the port transmit is a test double that keeps the frames.
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
#include <cmocka.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"
#include "../../dataplane/link_punt.h"

#define MAX_CAP 64

static struct rte_mempool *pool;
static uint8_t cap[MAX_CAP][256];
static uint16_t cap_len[MAX_CAP], cap_port[MAX_CAP];
static int n_cap;

static const struct rte_ether_addr host_mac = {.addr_bytes = {0x02, 0xbb, 0, 0, 0, 0x01}};
static const struct rte_ether_addr bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
static const struct rte_ether_addr zero_mac;

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

#include "ctl_harness.h"

/* The harness's control thread with a packet pool and the capturing transmit. */
static struct vx_ctl *
ovl_ctl(void)
{
	struct vx_ctl *c = new_ctl();

	c->dp->pool = pool;
	c->dp->hdr_pool = pool;
	c->ul->tx = fake_tx;
	n_cap = 0;
	return c;
}

/* Output of a command, in a static buffer. */
static const char *
show(struct vx_ctl *c, unsigned int flags, const char *line)
{
	static char text[8192];
	struct vx_out out = {0};

	assert_int_equal(runf(c, flags, &out, line), 0);
	snprintf(text, sizeof(text), "%s", out.buf != NULL ? out.buf : "");
	vx_out_free(&out);
	return text;
}

static struct in_addr
v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr
v6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct rte_mbuf *
mbuf_of(const uint8_t *data, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, len), data, len);
	return m;
}

/* Hand a frame to the control thread as the worker would, and let it poll. */
static void
punt(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t port, uint32_t lo)
{
	struct rte_mbuf *m = mbuf_of(f, len);

	m->port = port;
	m->hash.fdir.hi = VX_PUNT_OVERLAY;
	m->hash.fdir.lo = lo;
	assert_int_equal(rte_ring_sp_enqueue(c->dp->punt_ring[0], m), 0);
	vx_ul_poll(c);
}

static uint64_t
drops(struct vx_ctl *c, enum vx_drop why)
{
	return c->dp->stats[VX_STATS_CONTROL].drop[why];
}

static uint16_t
arp_request(uint8_t *buf, const char *spa, const char *tpa)
{
	return vx_arp_build(buf, RTE_ARP_OP_REQUEST, 0, &bcast, &host_mac, v4(spa), &zero_mac,
			    v4(tpa));
}

/* Frames the last dp_input() queued on the worker's tx buffers; copies it punted. */
static unsigned int local_sent, punted_copies;

/* The dataplane helper on a frame, as access.c (vid) or decap.c (UINT16_MAX) calls it. */
static bool
dp_input(struct vx_ctl *c, uint16_t bd, const uint8_t *f, uint16_t len, uint16_t vid,
	 unsigned int *punted)
{
	struct vx_worker *w = calloc(1, sizeof(*w));
	struct rte_mbuf *m = mbuf_of(f, len), *got;
	bool taken;

	assert_non_null(w);
	w->dp = c->dp;
	w->st = &c->dp->stats[0];
	taken = vx_link_punt(w, vx_deref(c->dp->bd[bd]), m, 0, len, 0, vid);
	if (!taken)
		rte_pktmbuf_free(m);
	/* What the worker sent (local flooding) is counted and freed. */
	local_sent = 0;
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++) {
		for (unsigned int i = 0; i < w->tx[p].n; i++)
			rte_pktmbuf_free(w->tx[p].pkts[i]);
		local_sent += w->tx[p].n;
	}
	*punted = 0;
	punted_copies = 0;
	while (rte_ring_sc_dequeue(c->dp->punt_ring[0], (void **)&got) == 0) {
		assert_int_equal(got->hash.fdir.hi, VX_PUNT_OVERLAY);
		assert_int_equal(VX_PUNT_OVL_BD(got->hash.fdir.lo), bd);
		if (vid != UINT16_MAX) {
			assert_true(got->hash.fdir.lo & VX_PUNT_OVL_ACCESS);
			assert_int_equal(VX_PUNT_OVL_VID(got->hash.fdir.lo), vid);
		}
		punted_copies += !!(got->hash.fdir.lo & VX_PUNT_OVL_COPY);
		rte_pktmbuf_free(got);
		(*punted)++;
	}
	free(w);
	return taken;
}

static void
test_proxy(void **state)
{
	struct vx_ctl *c = ovl_ctl();
	struct vx_link *l;
	struct vx_arp a;
	struct vx_nd nd;
	struct vx_out out = {0};
	struct rte_ether_addr want;
	struct in6_addr src6 = v6("2001:db8:ff::20"), tgt6 = v6("2001:db8:ff::11");
	uint8_t f[128];
	uint16_t len, bd;
	unsigned int np;
	const char *s;

	(void)state;
	ok(c, "link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 nolearning proxy");
	ok(c, "link set dev net_af_packet0 master vxlan10 vlan 5");
	ok(c, "neigh add 203.0.113.11 lladdr 78:56:43:00:00:01 dev vxlan10");
	ok(c, "neigh add 2001:db8:ff::11 lladdr 78:56:43:00:00:01 dev vxlan10");
	bad_word(c, "neigh add 203.0.113.11 lladdr 78:56:43:00:00:02 dev vxlan10", "exists");
	bad_word(c, "neigh add 203.0.113.12 lladdr 78:56:43:00:00:02 dev vxlan10 nud reachable",
		 "reachable");
	bad_word(c, "neigh add 203.0.113.12 dev vxlan10", "lladdr");
	bad_word(c, "neigh add 203.0.113.12 lladdr 01:00:5e:00:00:01 dev vxlan10", "multicast");
	bad_word(c, "neigh add 203.0.113.12 lladdr 78:56:43:00:00:02 dev vxlan99", "vxlan99");
	bad_word(c, "neigh del 203.0.113.99 dev vxlan10", "no such entry");
	assert_string_equal(show(c, 0, "neigh show dev vxlan10"),
			    "203.0.113.11 dev vxlan10 lladdr 78:56:43:00:00:01 PERMANENT\n"
			    "2001:db8:ff::11 dev vxlan10 lladdr 78:56:43:00:00:01 PERMANENT\n");
	assert_non_null(strstr(show(c, 0, "neigh show"),
			       "2001:db8:ff::11 dev vxlan10 lladdr 78:56:43:00:00:01 PERMANENT\n"));
	s = show(c, VX_CMD_JSON, "neigh show");
	assert_json(s);
	assert_non_null(strstr(s, "{\"dst\":\"203.0.113.11\",\"dev\":\"vxlan10\","
				  "\"lladdr\":\"78:56:43:00:00:01\",\"state\":[\"PERMANENT\"]}"));
	l = vx_link_find(c, "vxlan10");
	bd = l->bd;

	/* Dataplane: a broadcast ARP request from an access port is taken, not flooded. */
	len = arp_request(f, "203.0.113.20", "203.0.113.11");
	assert_true(dp_input(c, bd, f, len, 5, &np));
	assert_int_equal(np, 1);
	assert_int_equal(punted_copies, 0);
	assert_int_equal(local_sent, 0);
	/* With another local member it still gets the request, the overlay does not. */
	ok(c, "link set dev net_af_packet1 master vxlan10");
	assert_true(dp_input(c, bd, f, len, 5, &np));
	assert_int_equal(np, 1);
	assert_int_equal(punted_copies, 1);
	assert_int_equal(local_sent, 1);
	/* ... and a neighbour the FDB has on a local port answers for itself. */
	ok(c, "fdb add 78:56:43:00:00:01 dev net_af_packet1 master");
	n_cap = 0;
	punt(c, f, len, 0, bd | 5u << 16 | VX_PUNT_OVL_ACCESS | VX_PUNT_OVL_COPY);
	assert_int_equal(n_cap, 0);
	assert_int_equal(drops(c, VX_DROP_PROXY_MISS), 0);
	ok(c, "fdb del 78:56:43:00:00:01 dev net_af_packet1 master");
	ok(c, "link set dev net_af_packet1 nomaster");
	/* From the overlay it goes on (the kernel proxies only what it sends). */
	assert_false(dp_input(c, bd, f, len, UINT16_MAX, &np));
	assert_int_equal(np, 0);
	/* A unicast frame is none of its business. */
	memcpy(f, &host_mac, 6);
	assert_false(dp_input(c, bd, f, len, 5, &np));
	assert_int_equal(np, 0);

	/* Control: the answer from the table, out of the port and VLAN it came from. */
	len = arp_request(f, "203.0.113.20", "203.0.113.11");
	n_cap = 0;
	punt(c, f, len, 0, bd | 5u << 16 | VX_PUNT_OVL_ACCESS);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap_port[0], 0);
	assert_int_equal(vx_arp_parse(cap[0], cap_len[0], &a), 0);
	assert_int_equal(a.op, RTE_ARP_OP_REPLY);
	assert_int_equal(a.vlan, 5);
	rte_ether_unformat_addr("78:56:43:00:00:01", &want);
	assert_true(rte_is_same_ether_addr(&a.sha, &want));
	assert_true(rte_is_same_ether_addr(&a.eth_src, &want));
	assert_true(rte_is_same_ether_addr(&a.tha, &host_mac));
	assert_int_equal(a.spa.s_addr, v4("203.0.113.11").s_addr);
	assert_int_equal(a.tpa.s_addr, v4("203.0.113.20").s_addr);
	assert_true(cap_len[0] >= 60);

	/* No entry: dropped and counted, nothing sent. */
	n_cap = 0;
	len = arp_request(f, "203.0.113.20", "203.0.113.99");
	punt(c, f, len, 0, bd | 5u << 16 | VX_PUNT_OVL_ACCESS);
	assert_int_equal(n_cap, 0);
	assert_int_equal(drops(c, VX_DROP_PROXY_MISS), 1);

	/* IPv6: an NS gets an NA with S and O, the entry's MAC as target link-layer address. */
	n_cap = 0;
	len = vx_nd_build_ns(f, 0, &host_mac, &src6, &tgt6, NULL);
	assert_true(dp_input(c, bd, f, len, 5, &np));
	punt(c, f, len, 0, bd | 5u << 16 | VX_PUNT_OVL_ACCESS);
	assert_int_equal(n_cap, 1);
	assert_int_equal(vx_nd_parse(cap[0], cap_len[0], &nd), 0);
	assert_int_equal(nd.type, 136);
	assert_int_equal(nd.vlan, 5);
	assert_int_equal(nd.na_flags, 0x60);
	assert_true(nd.has_lla);
	assert_true(rte_is_same_ether_addr(&nd.lla, &want));
	assert_memory_equal(&nd.target, &tgt6, 16);
	assert_memory_equal(&nd.dst, &src6, 16);

	ok(c, "neigh del 203.0.113.11 dev vxlan10");
	assert_string_equal(show(c, 0, "neigh show dev vxlan10"),
			    "2001:db8:ff::11 dev vxlan10 lladdr 78:56:43:00:00:01 PERMANENT\n");
	assert_int_equal(runf(c, 0, &out, "link del vxlan10"), 0);
	assert_non_null(strstr(out.buf, "removed 0 overlay addresses and 1 neighbour entries"));
	assert_string_equal(show(c, 0, "neigh show"), "");
	vx_out_free(&out);
	free_ctl(c);
}

/* An IPv4 echo request from host_mac/203.0.113.20 to dst (MAC, IP). */
static uint16_t
echo_request(uint8_t *buf, const struct rte_ether_addr *dmac, const char *dst, uint8_t proto)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);
	uint16_t plen = sizeof(*ic) + 16;

	memset(buf, 0, 128);
	rte_ether_addr_copy(dmac, &eh->dst_addr);
	rte_ether_addr_copy(&host_mac, &eh->src_addr);
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + plen);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = v4("203.0.113.20").s_addr;
	ip->dst_addr = v4(dst).s_addr;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	ic->icmp_ident = rte_cpu_to_be_16(7);
	ic->icmp_seq_nb = rte_cpu_to_be_16(1);
	memset(ic + 1, 0xab, 16);
	ic->icmp_cksum = ~rte_raw_cksum(ic, plen);
	return sizeof(*eh) + sizeof(*ip) + plen;
}

static void
test_overlay_addr(void **state)
{
	struct vx_ctl *c = ovl_ctl();
	struct vx_link *l;
	const struct vx_bd *b;
	struct vx_arp a;
	struct vx_out out = {0};
	uint8_t f[128];
	uint16_t len, bd;
	unsigned int np;
	const char *s;
	char path[] = "/tmp/vxt_ovl_XXXXXX", *text;
	FILE *fp;
	long sz;
	int fd;

	(void)state;
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet2");
	ok(c, "neigh add 198.51.100.2 lladdr 02:aa:00:00:00:02 dev net_af_packet2");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
	      "dev net_af_packet2");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "addr add 203.0.113.1/24 dev vxlan10");
	ok(c, "addr add 2001:db8:ff::1/64 dev vxlan10");
	bad_word(c, "addr add 203.0.113.1/24 dev vxlan10", "already assigned");
	bad_word(c, "addr add 198.51.100.1/24 dev vxlan10", "underlay");
	bad_word(c, "addr add 224.0.0.1/24 dev vxlan10", "unicast");
	bad_word(c, "addr del 203.0.113.2/24 dev vxlan10", "no such address");
	/*
	 * A word missing at the end of a line is reported, never read past:
	 * argv[argc] once pointed into an earlier client's freed buffer.
	 */
	bad_word(c, "addr show dev vxlan10 dev", "needs a value");
	bad_word(c, "neigh show dev vxlan10 dev", "needs a value");
	bad_word(c, "route add 10.5.0.0/16 via", "needs a value");
	l = vx_link_find(c, "vxlan10");
	bd = l->bd;
	b = vx_deref(c->dp->bd[bd]);
	assert_true(b->flags & VX_BD_OVL_ADDR);
	assert_true(rte_is_same_ether_addr(&b->mac, &l->mac));
	assert_int_equal(l->mac.addr_bytes[0], 0x02);
	s = show(c, 0, "addr show dev vxlan10");
	assert_non_null(strstr(s, "    inet 203.0.113.1/24 scope global vxlan10\n"));
	assert_non_null(strstr(s, "    inet6 2001:db8:ff::1/64 scope global\n"));
	assert_non_null(
		strstr(show(c, 0, "addr show"), "inet 203.0.113.1/24 scope global vxlan10"));
	s = show(c, VX_CMD_JSON, "addr show");
	assert_json(s);
	assert_non_null(strstr(s, "\"ifname\":\"vxlan10\""));
	/* Seed 004's `ip add` / `ip add sh`, as ip abbreviates. */
	assert_non_null(strstr(show(c, 0, "add sh"), "inet 203.0.113.1/24 scope global vxlan10"));
	assert_non_null(strstr(show(c, 0, "add"), "inet 203.0.113.1/24 scope global vxlan10"));

	/* Dataplane: a broadcast request is flooded and a copy goes to control. */
	len = arp_request(f, "203.0.113.20", "203.0.113.1");
	assert_false(dp_input(c, bd, f, len, 0, &np));
	assert_int_equal(np, 1);
	assert_int_equal(punted_copies, 1);
	assert_false(dp_input(c, bd, f, len, UINT16_MAX, &np));
	assert_int_equal(np, 1);
	/* A frame to the link's MAC is taken. */
	len = echo_request(f, &l->mac, "203.0.113.1", IPPROTO_ICMP);
	assert_true(dp_input(c, bd, f, len, UINT16_MAX, &np));
	assert_int_equal(np, 1);

	/*
	 * From a remote VTEP, requester unknown to the FDB: no reply (never
	 * flooded to the flood list: one request, one answer at most).
	 */
	len = arp_request(f, "203.0.113.20", "203.0.113.1");
	n_cap = 0;
	{
		uint64_t unk = drops(c, VX_DROP_REPLY_UNKNOWN);

		punt(c, f, len, 2, bd);
		assert_int_equal(n_cap, 0);
		assert_int_equal(drops(c, VX_DROP_REPLY_UNKNOWN) - unk, 1);
	}
	/* Once the FDB has it behind 198.51.100.2: encapsulated there (VNI 10). */
	ok(c, "fdb add 02:bb:00:00:00:01 dev vxlan10 dst 198.51.100.2 dynamic");
	punt(c, f, len, 2, bd);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap_port[0], 2);
	{
		const uint8_t *o = cap[0];
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(o + 14);
		const struct rte_udp_hdr *uh = (const struct rte_udp_hdr *)(ip + 1);
		const uint8_t *vx = (const uint8_t *)(uh + 1);

		assert_int_equal(o[12] << 8 | o[13], RTE_ETHER_TYPE_IPV4);
		assert_int_equal(ip->dst_addr, v4("198.51.100.2").s_addr);
		assert_int_equal(ip->src_addr, v4("198.51.100.1").s_addr);
		assert_int_equal(rte_raw_cksum(ip, sizeof(*ip)), 0xffff);
		assert_int_equal(rte_be_to_cpu_16(uh->dst_port), 4789);
		assert_int_equal(rte_be_to_cpu_16(uh->dgram_len),
				 rte_be_to_cpu_16(ip->total_length) - 20);
		assert_int_equal(vx[0], 0x08);
		assert_int_equal(vx[4] << 16 | vx[5] << 8 | vx[6], 10);
		assert_int_equal(vx_arp_parse(vx + 8, cap_len[0] - 50, &a), 0);
		assert_int_equal(a.op, RTE_ARP_OP_REPLY);
		assert_true(rte_is_same_ether_addr(&a.sha, &l->mac));
		assert_true(rte_is_same_ether_addr(&a.tha, &host_mac));
		assert_int_equal(a.spa.s_addr, v4("203.0.113.1").s_addr);
	}

	/* Known in the FDB on a local port: straight there. */
	ok(c, "fdb replace 02:bb:00:00:00:01 dev net_af_packet0 master");
	n_cap = 0;
	punt(c, f, len, 2, bd);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap_port[0], 0);
	assert_int_equal(vx_arp_parse(cap[0], cap_len[0], &a), 0);
	assert_int_equal(a.op, RTE_ARP_OP_REPLY);

	/* A request for another host's address: nobody answers, nothing counted. */
	n_cap = 0;
	len = arp_request(f, "203.0.113.20", "203.0.113.7");
	punt(c, f, len, 0, bd | VX_PUNT_OVL_ACCESS | VX_PUNT_OVL_COPY);
	assert_int_equal(n_cap, 0);
	assert_int_equal(drops(c, VX_DROP_PROXY_MISS), 0);
	assert_int_equal(drops(c, VX_DROP_OVL_NOT_OURS), 0);

	/* Echo request from the access port: the reply from the link's MAC and address. */
	n_cap = 0;
	len = echo_request(f, &l->mac, "203.0.113.1", IPPROTO_ICMP);
	punt(c, f, len, 0, bd | VX_PUNT_OVL_ACCESS);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap_port[0], 0);
	{
		const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)cap[0];
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);
		const struct rte_icmp_hdr *ic = (const struct rte_icmp_hdr *)(ip + 1);

		assert_true(rte_is_same_ether_addr(&eh->src_addr, &l->mac));
		assert_true(rte_is_same_ether_addr(&eh->dst_addr, &host_mac));
		assert_int_equal(ip->src_addr, v4("203.0.113.1").s_addr);
		assert_int_equal(ip->dst_addr, v4("203.0.113.20").s_addr);
		assert_int_equal(ic->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
		assert_int_equal(rte_raw_cksum(ic, sizeof(*ic) + 16), 0xffff);
	}

	/* To the link's MAC but neither ARP, NS nor an echo for us: counted drop. */
	n_cap = 0;
	len = echo_request(f, &l->mac, "203.0.113.1", IPPROTO_UDP);
	punt(c, f, len, 0, bd | VX_PUNT_OVL_ACCESS);
	assert_int_equal(n_cap, 0);
	assert_int_equal(drops(c, VX_DROP_OVL_NOT_OURS), 1);

	/* save: the link's addresses after the link; replay gives the same show. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vx_cli_save(c, path, &out), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	rewind(fp);
	text = calloc(1, sz + 1);
	assert_int_equal(fread(text, 1, sz, fp), (size_t)sz);
	fclose(fp);
	assert_non_null(strstr(text, "addr add 203.0.113.1/24 dev vxlan10\n"));
	assert_non_null(strstr(text, "addr add 2001:db8:ff::1/64 dev vxlan10\n"));
	assert_true(strstr(text, "addr add 203.0.113.1/24 dev vxlan10") >
		    strstr(text, "link add vxlan10"));
	free(text);
	{
		char before[8192];
		struct vx_ctl *c2 = ovl_ctl();
		int line;

		snprintf(before, sizeof(before), "%s", show(c, VX_CMD_JSON, "addr show"));
		assert_int_equal(vx_cli_replay(c2, path, &line, &out), 0);
		assert_string_equal(show(c2, VX_CMD_JSON, "addr show"), before);
		free_ctl(c2);
	}
	unlink(path);

	ok(c, "addr del 2001:db8:ff::1/64 dev vxlan10");
	assert_int_equal(runf(c, 0, &out, "link del vxlan10"), 0);
	assert_non_null(strstr(out.buf, "removed 1 overlay addresses and 0 neighbour entries"));
	vx_out_free(&out);
	free_ctl(c);
}

/* Is captured frame i a VXLAN datagram (IPv4, UDP 4789)? */
static bool
cap_is_vxlan(int i)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(cap[i] + 14);
	const struct rte_udp_hdr *uh = (const struct rte_udp_hdr *)(ip + 1);

	return cap_len[i] > 50 && cap[i][12] == 0x08 && cap[i][13] == 0 &&
	       ip->next_proto_id == IPPROTO_UDP && uh->dst_port == RTE_BE16(4789);
}

/* A reply for a VTEP whose next hop is not resolved waits for it, as workers' frames do. */
static void
test_unresolved_vtep(void **state)
{
	struct vx_ctl *c = ovl_ctl();
	const struct rte_ether_addr gw = {.addr_bytes = {0x02, 0xaa, 0, 0, 0, 0x03}};
	uint8_t f[128];
	uint16_t len, bd;

	(void)state;
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet2");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.3 "
	      "dev net_af_packet2");
	ok(c, "addr add 203.0.113.1/24 dev vxlan10");
	bd = vx_link_find(c, "vxlan10")->bd;
	ok(c, "fdb add 02:bb:00:00:00:01 dev vxlan10 dst 198.51.100.3");
	n_cap = 0;
	len = arp_request(f, "203.0.113.20", "203.0.113.1");
	punt(c, f, len, 2, bd);
	for (int i = 0; i < n_cap; i++)
		assert_false(cap_is_vxlan(i));
	n_cap = 0;
	ok(c, "neigh add 198.51.100.3 lladdr 02:aa:00:00:00:03 dev net_af_packet2");
	assert_int_equal(n_cap, 1);
	assert_true(cap_is_vxlan(0));
	assert_memory_equal(cap[0], &gw, 6);
	free_ctl(c);
}

/*
 * A VTEP learned from traffic has no next hop until a frame goes to it:
 * then the frame waits on a next hop created for it (one ARP request),
 * the VTEP is resolved again holding that next hop, and the frame leaves
 * when the answer comes.
 */
static void
test_lazy_vtep(void **state)
{
	struct vx_ctl *c = ovl_ctl();
	const struct rte_ether_addr gw = {.addr_bytes = {0x02, 0xcc, 0, 0, 0, 0x50}};
	struct vx_learn_req r = {0};
	const struct vx_vtep *vt;
	struct vx_neigh *n;
	struct rte_mbuf *m;
	struct vx_ip ip;
	uint8_t f[128];
	uint32_t idx;
	uint16_t len;

	(void)state;
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet2");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2");
	n_cap = 0;
	r.key = vx_fdb_key(vx_link_find(c, "vxlan10")->bd, &host_mac);
	r.epoch = vx_link_find(c, "vxlan10")->epoch;
	assert_int_equal(vx_parse_ip("198.51.100.50", &r.remote), 0);
	ip = r.remote;
	assert_int_equal(rte_ring_enqueue_elem(c->dp->learn_ring[0], &r, sizeof(r)), 0);
	vx_core_poll(c);
	idx = vx_fdb_index(vx_fdb_get(&c->dp->fdb, r.key, NULL));
	vt = c->dp->vtep[idx];
	assert_non_null(vt);
	assert_false(vt->flags & VX_VTEP_RESOLVED);
	assert_int_equal(vt->neigh, 0);
	assert_null(vx_neigh_find(&c->ul->nt, 2, &ip));
	assert_int_equal(n_cap, 0); /* no ARP for it */

	/* A worker sends a frame to it: punted with the VTEP's index. */
	memcpy(f, vt->hdr, vt->len);
	memset(f + vt->len, 0x5a, 60);
	m = mbuf_of(f, vt->len + 60);
	m->port = 0;
	m->hash.fdir.hi = VX_PUNT_UNRESOLVED;
	m->hash.fdir.lo = idx;
	assert_int_equal(rte_ring_sp_enqueue(c->dp->punt_ring[0], m), 0);
	vx_ul_poll(c);
	n = vx_neigh_find(&c->ul->nt, 2, &ip);
	assert_non_null(n);
	assert_int_equal(n->state, VX_NUD_INCOMPLETE);
	assert_int_equal(n->qlen, 1);
	assert_int_equal(n->refs, 1); /* the VTEP's, resolved again */
	assert_int_equal(c->dp->vtep[idx]->neigh, n->id);
	assert_int_equal(n_cap, 1); /* the ARP request */
	assert_int_equal(cap[0][41], 50);

	/* The answer: the frame leaves, the VTEP is complete. */
	n_cap = 0;
	len = vx_arp_build(f, 2, 0, &c->port[2].mac, &gw, ip.v4, &c->port[2].mac,
			   c->ul->addr[0].ip.v4);
	m = mbuf_of(f, len);
	m->port = 2;
	m->hash.fdir.hi = VX_PUNT_ARP;
	assert_int_equal(rte_ring_sp_enqueue(c->dp->punt_ring[0], m), 0);
	vx_ul_poll(c);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	assert_int_equal(n_cap, 1);
	assert_memory_equal(cap[0], &gw, 6);
	assert_true(c->dp->vtep[idx]->flags & VX_VTEP_RESOLVED);
	free_ctl(c);
}

/* A renamed link keeps its proxy entries: they are shown and saved under its new name. */
static void
test_proxy_rename(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};

	(void)state;
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 proxy");
	ok(c, "neigh add 203.0.113.11 lladdr 78:56:43:00:00:01 dev vxlan10");
	ok(c, "link set dev vxlan10 name ovl10");
	assert_string_equal(show(c, 0, "neigh show dev ovl10"),
			    "203.0.113.11 dev ovl10 lladdr 78:56:43:00:00:01 PERMANENT\n");
	vx_cli_config(c, &out);
	assert_non_null(strstr(out.buf,
			       "neigh add 203.0.113.11 lladdr 78:56:43:00:00:01 dev ovl10 nud "
			       "permanent\n"));
	ok(c, "neigh del 203.0.113.11 dev ovl10");
	assert_string_equal(show(c, 0, "neigh show dev ovl10"), "");
	vx_out_free(&out);
	free_ctl(c);
}

static int
make_pool(void)
{
	pool = rte_pktmbuf_pool_create("ovl_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
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
		cmocka_unit_test(test_proxy),		cmocka_unit_test(test_overlay_addr),
		cmocka_unit_test(test_unresolved_vtep), cmocka_unit_test(test_proxy_rename),
		cmocka_unit_test(test_lazy_vtep),
	};

	(void)argc;
	return run_eal_tests(argv[0], "ovl", tests, RTE_DIM(tests), make_pool, free_pool);
}
