/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay parser (dataplane/parse.c) on hand-built frames, no EAL:
 * IPv4 and IPv6 VXLAN frames parsed field by field, every drop reason the
 * parser produces, the punt classes, and the edge cases the RFC names
 * (reserved bits ignored, zero IPv4 checksum accepted).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include <rte_ip.h>

#include "vx_parse.h"

/* A frame recipe; build() turns it into bytes with correct lengths and checksums. */
struct fopt {
	int v6;
	int vlan;	  /* outer VID, 0 = untagged */
	int ip_opt_words; /* IPv4 options, 32-bit words */
	uint16_t dport;
	int udpcsum; /* compute a UDP checksum (IPv6: else zero) */
	uint32_t vni;
	uint8_t vxflags;
	int inner_len;	 /* inner frame length */
	int inner_tag;	 /* inner frame carries an 802.1Q tag */
	uint8_t proto;	 /* 0 = UDP */
	const char *dst; /* outer destination, default our address */
	const char *src; /* outer source, default the peer's */
};

static const uint8_t port_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static struct vx_local local;

static void
setup_local(void)
{
	memset(&local, 0, sizeof(local));
	local.n_addr = 2;
	local.addr[0].ip.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.1", &local.addr[0].ip.v4);
	local.addr[1].ip.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:1::1", &local.addr[1].ip.v6);
	local.n_dstport = 2;
	local.dstport[0] = 4789;
	local.dstport[1] = 8472;
}

static void
wr16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

/* Layout of the last built frame. */
static unsigned int g_l3, g_l4, g_ihl;

static void
fix_ip4_csum(uint8_t *b)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(b + g_l3);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

static void
fix_udp_csum(uint8_t *b, int v6)
{
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(b + g_l4);

	uh->dgram_cksum = 0;
	if (v6)
		uh->dgram_cksum = rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)(b + g_l3), uh);
	else
		uh->dgram_cksum = rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)(b + g_l3), uh);
}

static size_t
build(uint8_t *b, const struct fopt *o)
{
	unsigned int off = 12, l4len, inner_len = o->inner_len ? o->inner_len : 64;
	uint8_t proto = o->proto ? o->proto : IPPROTO_UDP;
	uint8_t *in;

	memset(b, 0, 2048);
	memcpy(b, port_mac, 6);
	memcpy(b + 6, peer_mac, 6);
	if (o->vlan) {
		wr16(b + 12, 0x8100);
		wr16(b + 14, o->vlan);
		off += 4;
	}
	wr16(b + off, o->v6 ? 0x86dd : 0x0800);
	off += 2;
	g_l3 = off;
	l4len = 8 + 8 + inner_len;
	if (!o->v6) {
		g_ihl = 20 + 4 * o->ip_opt_words;
		b[off] = 0x40 | (g_ihl / 4);
		wr16(b + off + 2, g_ihl + l4len);
		wr16(b + off + 4, 0x1234);
		b[off + 8] = 64;
		b[off + 9] = proto;
		inet_pton(AF_INET, o->src ? o->src : "198.51.100.2", b + off + 12);
		inet_pton(AF_INET, o->dst ? o->dst : "198.51.100.1", b + off + 16);
		for (int i = 20; i < (int)g_ihl; i++)
			b[off + i] = 1; /* NOP options */
		off += g_ihl;
	} else {
		b[off] = 0x60;
		wr16(b + off + 4, l4len);
		b[off + 6] = proto;
		b[off + 7] = 64;
		inet_pton(AF_INET6, o->src ? o->src : "2001:db8:1::2", b + off + 8);
		inet_pton(AF_INET6, o->dst ? o->dst : "2001:db8:1::1", b + off + 24);
		off += 40;
	}
	g_l4 = off;
	wr16(b + off, 54321);
	wr16(b + off + 2, o->dport ? o->dport : 4789);
	wr16(b + off + 4, l4len);
	b[off + 8] = o->vxflags ? o->vxflags : 0x08;
	b[off + 12] = (o->vni >> 16) & 0xff;
	b[off + 13] = (o->vni >> 8) & 0xff;
	b[off + 14] = o->vni & 0xff;
	in = b + off + 16;
	for (unsigned int i = 0; i < inner_len; i++)
		in[i] = (uint8_t)(i * 7 + 3);
	in[0] = 0x02; /* unicast inner destination */
	in[6] = 0x02;
	wr16(in + 12, o->inner_tag ? 0x8100 : 0x0800);
	if (!o->v6)
		fix_ip4_csum(b);
	if (o->udpcsum)
		fix_udp_csum(b, o->v6);
	return off + l4len;
}

static int
parse(const uint8_t *b, size_t len, uint32_t flags, struct vx_parsed *p)
{
	return vx_parse_underlay(b, len, len, &local, flags, p);
}

static void
expect_drop(const uint8_t *b, size_t len, enum vx_drop why)
{
	struct vx_parsed p;

	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_DROP);
	assert_string_equal(vx_drop_names[p.drop], vx_drop_names[why]);
}

static void
test_ipv4_ok(void **state)
{
	struct fopt o = {.vni = 0x123456, .inner_len = 98};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);
	struct in_addr a;

	assert_int_equal(len, 14 + 20 + 8 + 8 + 98);
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.vlan, 0);
	assert_int_equal(p.ethertype, 0x0800);
	assert_int_equal(p.l3_off, 14);
	assert_int_equal(p.l4_off, 34);
	assert_int_equal(p.inner_off, 50);
	assert_int_equal(p.inner_len, 98);
	assert_int_equal(p.ip_len, 20 + 8 + 8 + 98);
	assert_int_equal(p.sport, 54321);
	assert_int_equal(p.dport, 4789);
	assert_int_equal(p.udp_csum, 0);
	assert_int_equal(p.vni, 0x123456);
	assert_int_equal(p.inner_tagged, 0);
	assert_int_equal(p.l4_csum_todo, 0);
	inet_pton(AF_INET, "198.51.100.2", &a);
	assert_int_equal(p.src.v4.s_addr, a.s_addr);
	inet_pton(AF_INET, "198.51.100.1", &a);
	assert_int_equal(p.dst.v4.s_addr, a.s_addr);

	/* Trailing Ethernet padding is not part of the IP packet. */
	assert_int_equal(parse(b, len + 6, 0, &p), VX_PARSE_OK);
	assert_int_equal(p.inner_len, 98);
}

static void
test_ipv4_vlan_options_csum(void **state)
{
	struct fopt o = {.vlan = 100, .ip_opt_words = 2, .udpcsum = 1, .vni = 10, .dport = 8472};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
	assert_int_equal(p.vlan, 100);
	assert_int_equal(p.l3_off, 18);
	assert_int_equal(p.l4_off, 18 + 28);
	assert_int_equal(p.inner_off, 18 + 28 + 16);
	assert_int_equal(p.dport, 8472);
	assert_int_not_equal(p.udp_csum, 0);
	assert_int_equal(p.vni, 10);
	assert_true(vx_parse_udp_csum_ok(b, &p));
}

static void
test_ipv6_ok(void **state)
{
	struct fopt o = {.v6 = 1, .udpcsum = 1, .vni = 0xffffff, .inner_len = 60, .inner_tag = 1};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);
	uint8_t a[16];

	assert_int_equal(len, 14 + 40 + 16 + 60);
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.l4_off, 54);
	assert_int_equal(p.inner_off, 70);
	assert_int_equal(p.inner_len, 60);
	assert_int_equal(p.ip_len, 40 + 16 + 60);
	assert_int_equal(p.vni, 0xffffff);
	assert_int_equal(p.inner_tagged, 1);
	inet_pton(AF_INET6, "2001:db8:1::2", a);
	assert_memory_equal(p.src.bytes, a, 16);
	inet_pton(AF_INET6, "2001:db8:1::1", a);
	assert_memory_equal(p.dst.bytes, a, 16);
}

static void
test_runt(void **state)
{
	struct fopt o4 = {0}, o6 = {.v6 = 1, .udpcsum = 1};
	uint8_t b[2048];
	size_t len = build(b, &o4);
	struct vx_parsed p;

	expect_drop(b, 10, VX_DROP_RUNT);      /* no Ethernet header */
	expect_drop(b, 30, VX_DROP_RUNT);      /* IPv4 header cut */
	expect_drop(b, len - 1, VX_DROP_RUNT); /* IP total length beyond the frame */
	/* Inner frame shorter than an Ethernet header. */
	o4.inner_len = 10;
	len = build(b, &o4);
	expect_drop(b, len, VX_DROP_RUNT);
	len = build(b, &o6);
	expect_drop(b, 60, VX_DROP_RUNT);
	expect_drop(b, len - 1, VX_DROP_RUNT);
	/* Headers complete in the first segment, the rest elsewhere: fine. */
	assert_int_equal(vx_parse_underlay(b, 14 + 40 + 16 + 14, len, &local, 0, &p), VX_PARSE_OK);
	assert_int_equal(p.l4_csum_todo, 1);
}

static void
test_ip_hdr(void **state)
{
	struct fopt o = {0};
	uint8_t b[2048];
	size_t len = build(b, &o);

	b[14] = 0x55; /* version 5 */
	fix_ip4_csum(b);
	expect_drop(b, len, VX_DROP_IP_HDR);
	len = build(b, &o);
	b[14] = 0x44; /* IHL 16 bytes */
	expect_drop(b, len, VX_DROP_IP_HDR);
	len = build(b, &o);
	wr16(b + 16, 12); /* total length < header */
	fix_ip4_csum(b);
	expect_drop(b, len, VX_DROP_IP_HDR);
	o.v6 = 1;
	o.udpcsum = 1;
	len = build(b, &o);
	b[14] = 0x40;
	expect_drop(b, len, VX_DROP_IP_HDR);
}

static void
test_ip_csum(void **state)
{
	struct fopt o = {0};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	b[14 + 10] ^= 0x01;
	expect_drop(b, len, VX_DROP_IP_CSUM);
	/* Hardware said good: not checked again. */
	assert_int_equal(parse(b, len, VX_PARSE_IP_CSUM_OK, &p), VX_PARSE_OK);
}

static void
test_ip_frag(void **state)
{
	struct fopt o = {0};
	uint8_t b[2048];
	size_t len = build(b, &o);
	struct vx_parsed p;

	wr16(b + 14 + 6, 0x2000); /* MF */
	fix_ip4_csum(b);
	expect_drop(b, len, VX_DROP_IP_FRAG);
	wr16(b + 14 + 6, 0x0010); /* offset 128 */
	fix_ip4_csum(b);
	expect_drop(b, len, VX_DROP_IP_FRAG);
	wr16(b + 14 + 6, 0x4000); /* DF alone is fine */
	fix_ip4_csum(b);
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
}

static void
test_ip_ttl(void **state)
{
	struct fopt o = {0};
	uint8_t b[2048];
	size_t len = build(b, &o);

	b[14 + 8] = 0;
	fix_ip4_csum(b);
	expect_drop(b, len, VX_DROP_IP_TTL);
	o.v6 = 1;
	o.udpcsum = 1;
	len = build(b, &o);
	b[14 + 7] = 0;
	expect_drop(b, len, VX_DROP_IP_TTL);
}

static void
test_not_udp(void **state)
{
	struct fopt o = {.proto = IPPROTO_TCP};
	uint8_t b[2048];
	size_t len = build(b, &o);

	expect_drop(b, len, VX_DROP_NOT_UDP);
	o.v6 = 1;
	o.proto = 0; /* Hop-by-Hop options: extension headers are not parsed */
	len = build(b, &o);
	b[14 + 6] = 0;
	expect_drop(b, len, VX_DROP_NOT_UDP);
	/* MLD report to ff02::16: ICMPv6, but not for the control thread. */
	o.proto = IPPROTO_ICMPV6;
	o.dst = "ff02::16";
	len = build(b, &o);
	b[54] = 143;
	expect_drop(b, len, VX_DROP_NOT_UDP);
}

static void
test_udp_len(void **state)
{
	struct fopt o = {0};
	uint8_t b[2048];
	size_t len = build(b, &o);

	wr16(b + 34 + 4, 8 + 8 + 60); /* shorter than the IP payload */
	expect_drop(b, len, VX_DROP_UDP_LEN);
	wr16(b + 34 + 4, 4);
	expect_drop(b, len, VX_DROP_UDP_LEN);
}

static void
test_udp_csum(void **state)
{
	struct fopt o = {.udpcsum = 1};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	b[len - 1] ^= 0x40; /* payload changed after the checksum */
	expect_drop(b, len, VX_DROP_UDP_CSUM);
	assert_int_equal(parse(b, len, VX_PARSE_L4_CSUM_OK, &p), VX_PARSE_OK);
	o.v6 = 1;
	len = build(b, &o);
	b[len - 1] ^= 0x40;
	expect_drop(b, len, VX_DROP_UDP_CSUM);
	/* IPv4 zero checksum means none. */
	o.v6 = 0;
	o.udpcsum = 0;
	len = build(b, &o);
	b[len - 1] ^= 0x40;
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
}

static void
test_udp6_zero_csum(void **state)
{
	struct fopt o = {.v6 = 1};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	expect_drop(b, len, VX_DROP_UDP6_ZERO_CSUM);
	assert_int_equal(parse(b, len, VX_PARSE_UDP6_ZCSUM, &p), VX_PARSE_OK);
	assert_int_equal(p.udp_csum, 0);
}

static void
test_udp_port(void **state)
{
	struct fopt o = {.dport = 4790};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	expect_drop(b, len, VX_DROP_UDP_PORT);
	/* Without a local table the default port only. */
	assert_int_equal(vx_parse_underlay(b, len, len, NULL, 0, &p), VX_PARSE_DROP);
	o.dport = 4789;
	len = build(b, &o);
	assert_int_equal(vx_parse_underlay(b, len, len, NULL, 0, &p), VX_PARSE_OK);
}

static void
test_not_for_us(void **state)
{
	struct fopt o = {.dst = "198.51.100.9"};
	uint8_t b[2048];
	size_t len = build(b, &o);

	expect_drop(b, len, VX_DROP_UL_NOT_FOR_US);
	o.v6 = 1;
	o.udpcsum = 1;
	o.dst = "2001:db8:1::9";
	len = build(b, &o);
	expect_drop(b, len, VX_DROP_UL_NOT_FOR_US);
}

static void
test_ethertype(void **state)
{
	struct fopt o = {0};
	uint8_t b[2048];
	size_t len = build(b, &o);

	wr16(b + 12, 0x88cc); /* LLDP */
	expect_drop(b, len, VX_DROP_UL_ETHERTYPE);
}

static void
test_vxlan_flags(void **state)
{
	struct fopt o = {.vxflags = 0x04, .vni = 77};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	expect_drop(b, len, VX_DROP_VXLAN_FLAGS);
	/* Reserved bits are ignored (RFC 7348 section 5). */
	o.vxflags = 0xff;
	len = build(b, &o);
	b[42 + 1] = 0xaa;
	b[42 + 2] = 0xbb;
	b[42 + 3] = 0xcc;
	b[42 + 7] = 0xdd;
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
	assert_int_equal(p.vni, 77);
	assert_int_equal(p.vxlan_flags, 0xff);
}

static void
test_punts(void **state)
{
	struct fopt o = {.proto = IPPROTO_ICMP};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len = build(b, &o);

	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ICMP);
	o.dst = "198.51.100.7";
	len = build(b, &o);
	expect_drop(b, len, VX_DROP_UL_NOT_FOR_US);

	/* ARP, tagged or not (not Ethernet/IPv4 ARP: the control thread judges it). */
	memset(b, 0, sizeof(b));
	memset(b, 0xff, 6);
	wr16(b + 12, 0x0806);
	assert_int_equal(parse(b, 42, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ARP);
	assert_int_equal(p.l3_off, 14);
	expect_drop(b, 30, VX_DROP_RUNT);
	wr16(b + 12, 0x8100);
	wr16(b + 14, 5);
	wr16(b + 16, 0x0806);
	assert_int_equal(parse(b, 46, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.vlan, 5);
	assert_int_equal(p.l3_off, 18);

	/* ICMPv6: NS to a solicited-node group, echo to us, echo elsewhere. */
	o.v6 = 1;
	o.proto = IPPROTO_ICMPV6;
	o.dst = "ff02::1:ff00:1";
	len = build(b, &o);
	b[54] = 135;
	inet_pton(AF_INET6, "2001:db8:1::1", b + 62); /* its target: ours */
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ND);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REQ);
	o.dst = NULL;
	len = build(b, &o);
	b[54] = 128;
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ICMP);
	assert_int_equal(p.punt_class, VX_PCLASS_ICMP);
	b[54] = 136; /* NA to us */
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ND);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REPLY);
	o.dst = "2001:db8:1::99";
	len = build(b, &o);
	b[54] = 128;
	expect_drop(b, len, VX_DROP_UL_NOT_FOR_US);
}

/* An Ethernet/IPv4 ARP frame: op, sender and target addresses. */
static size_t
arp(uint8_t *b, uint16_t op, const char *spa, const char *tpa)
{
	memset(b, 0, 64);
	memset(b, 0xff, 6);
	memcpy(b + 6, peer_mac, 6);
	wr16(b + 12, 0x0806);
	wr16(b + 14, 1);
	wr16(b + 16, 0x0800);
	b[18] = 6;
	b[19] = 4;
	wr16(b + 20, op);
	memcpy(b + 22, peer_mac, 6);
	inet_pton(AF_INET, spa, b + 28);
	inet_pton(AF_INET, tpa, b + 38);
	return 42;
}

/*
 * ARP and NS about addresses that are not ours are dropped by the parser,
 * so a broadcast ARP storm on the segment never reaches the control
 * thread; what is punted carries its budget class (replies apart).
 */
static void
test_neigh_not_ours(void **state)
{
	struct fopt o = {.v6 = 1, .proto = IPPROTO_ICMPV6, .dst = "ff02::1:ff00:9"};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len;

	len = arp(b, 1, "198.51.100.2", "198.51.100.1"); /* request for ours */
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REQ);
	len = arp(b, 2, "198.51.100.2", "198.51.100.1"); /* reply to us */
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REPLY);
	len = arp(b, 1, "198.51.100.2", "198.51.100.9"); /* request for another */
	expect_drop(b, len, VX_DROP_UL_NEIGH_NOT_OURS);
	len = arp(b, 2, "198.51.100.2", "198.51.100.9"); /* reply to another */
	expect_drop(b, len, VX_DROP_UL_NEIGH_NOT_OURS);
	len = arp(b, 1, "198.51.100.2", "198.51.100.2"); /* gratuitous: punted */
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ARP);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REQ);
	len = arp(b, 2, "198.51.100.2",
		  "198.51.100.2"); /* a gratuitous reply: not a reply's budget */
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REQ);

	/* An unsolicited NA to all nodes: the requests' budget, not the replies'. */
	o.dst = "ff02::1";
	len = build(b, &o);
	b[54] = 136;
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ND);
	assert_int_equal(p.punt_class, VX_PCLASS_NEIGH_REQ);
	o.dst = "ff02::1:ff00:9";

	/* NS for another address; for ours (from :: too, DAD). */
	len = build(b, &o);
	b[54] = 135;
	inet_pton(AF_INET6, "2001:db8:1::9", b + 62);
	expect_drop(b, len, VX_DROP_UL_NEIGH_NOT_OURS);
	inet_pton(AF_INET6, "2001:db8:1::1", b + 62);
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	o.src = "::";
	len = build(b, &o);
	b[54] = 135;
	inet_pton(AF_INET6, "2001:db8:1::1", b + 62);
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_PUNT);
	assert_int_equal(p.punt, VX_PUNT_ND);
}

/* VXLAN from a source no VTEP can have is dropped before anything learns it. */
static void
test_martian_src(void **state)
{
	static const char *const bad4[] = {"0.0.0.0",	      "0.1.2.3",     "127.0.0.1",
					   "224.0.0.1",	      "239.1.1.10",  "240.0.0.1",
					   "255.255.255.255", "198.51.100.1"};
	static const char *const bad6[] = {"::", "::1", "ff02::1", "ff05::100", "2001:db8:1::1"};
	struct fopt o = {.vni = 10};
	uint8_t b[2048];
	struct vx_parsed p;
	size_t len;

	for (unsigned int i = 0; i < RTE_DIM(bad4); i++) {
		o.src = bad4[i];
		len = build(b, &o);
		expect_drop(b, len, VX_DROP_UL_MARTIAN);
	}
	o.v6 = 1;
	o.udpcsum = 1;
	for (unsigned int i = 0; i < RTE_DIM(bad6); i++) {
		o.src = bad6[i];
		len = build(b, &o);
		expect_drop(b, len, VX_DROP_UL_MARTIAN);
	}
	o.src = "2001:db8:1::2";
	len = build(b, &o);
	assert_int_equal(parse(b, len, 0, &p), VX_PARSE_OK);
	/* Without a local table (tests, fuzzers) only the address classes count. */
	o.src = "2001:db8:1::1";
	len = build(b, &o);
	assert_int_equal(vx_parse_underlay(b, len, len, NULL, 0, &p), VX_PARSE_OK);
}

/*
 * Random frames: valid ones with bytes flipped and tails cut, each in a
 * heap buffer of exactly its length (so that a sanitizer build sees any
 * read past it). Whatever the verdict, the offsets must stay in the frame.
 */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void
test_random_frames(void **state)
{
	unsigned int verdicts[3] = {0, 0, 0};
	uint8_t b[2048];

	for (int i = 0; i < 200000; i++) {
		struct fopt o = {.v6 = rnd() & 1,
				 .vlan = rnd() % 3 == 0 ? 5 : 0,
				 .udpcsum = rnd() & 1,
				 .vni = rnd() & 0xffffff,
				 .inner_len = 14 + rnd() % 200};
		size_t len, n;
		struct vx_parsed p;
		uint8_t *copy;
		int rc;

		if (!o.v6)
			o.ip_opt_words = rnd() % 3;
		if (rnd() % 8 == 0)
			o.proto = rnd() % 4 == 0 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
		len = build(b, &o);
		for (n = rnd() % 4; n > 0; n--)
			b[rnd() % len] ^= 1u << (rnd() % 8);
		if (rnd() % 4 == 0)
			len = rnd() % (len + 1);
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, b, len);
		rc = vx_parse_underlay(copy, len, len, rnd() % 4 ? &local : NULL, rnd() & 7, &p);
		switch (rc) {
		case VX_PARSE_OK:
			assert_true(p.inner_off + 14u <= len);
			assert_true(p.inner_off + (size_t)p.inner_len <= len);
			assert_true(p.l3_off < p.l4_off && p.l4_off < p.inner_off);
			assert_true(p.vni <= 0xffffff);
			break;
		case VX_PARSE_PUNT:
			assert_true(p.punt >= VX_PUNT_ARP && p.punt <= VX_PUNT_ICMP);
			assert_true(p.l3_off < len);
			break;
		case VX_PARSE_DROP:
			assert_true(p.drop < VX_DROP_MAX);
			break;
		default:
			fail_msg("verdict %d", rc);
		}
		verdicts[rc]++;
		free(copy);
	}
	/* The mix reached every verdict. */
	assert_true(verdicts[VX_PARSE_OK] > 1000);
	assert_true(verdicts[VX_PARSE_PUNT] > 100);
	assert_true(verdicts[VX_PARSE_DROP] > 1000);
}

/*
 * One sum function (vx_cksum_add, the x86-64 asm blocks there, or the
 * portable vx_cksum_add_c) against DPDK's rte_raw_cksum: every length up
 * to 512, alignment and split, all-0xff runs (carries in every word) and
 * start sums near 2^64.
 */
static void
check_cksum_add(uint64_t (*add)(const void *, uint32_t, uint64_t))
{
	uint8_t b[512 + 8];
	unsigned int len, off, k;

	srand(7);
	for (k = 0; k < sizeof(b); k++)
		b[k] = (uint8_t)rand();
	memset(b + 100, 0xff, 200); /* long runs of 0xffff words: carries */
	for (len = 0; len <= 512; len++) {
		for (off = 0; off < 8; off++) {
			uint16_t want = rte_raw_cksum(b + off, len);

			assert_int_equal(vx_cksum_fold(add(b + off, len, 0)), want);
			k = (len / 3) & ~1u; /* two parts, the split at an even offset */
			assert_int_equal(
				vx_cksum_fold(add(b + off + k, len - k, add(b + off, k, 0))), want);
		}
	}
	/* Zero only for all-zero data (the sum folds to 0xffff, never 0, otherwise). */
	{
		uint8_t z[256] = {0};

		assert_int_equal(vx_cksum_fold(add(z, sizeof(z), 0)), 0);
		z[63] = 1;
		assert_int_not_equal(vx_cksum_fold(add(z, sizeof(z), 0)), 0);
		memset(z, 0xff, sizeof(z));
		for (len = 2; len <= sizeof(z); len += 2) /* whole 0xffff words */
			assert_int_equal(vx_cksum_fold(add(z, len, 0)), 0xffff);
	}
	/* A start sum near 2^64: the end-around carry keeps it modulo 0xffff. */
	for (len = 0; len <= 300; len++) {
		for (off = 0; off < 2; off++) {
			uint64_t start = UINT64_MAX - len;
			uint32_t want = vx_cksum_fold(start) + rte_raw_cksum(b + 98 * off, len);

			want = (want & 0xffff) + (want >> 16);
			assert_int_equal(vx_cksum_fold(add(b + 98 * off, len, start)) % 0xffff,
					 want % 0xffff);
		}
	}
}

static uint64_t
cksum_add_fn(const void *buf, uint32_t len, uint64_t sum)
{
	return vx_cksum_add(buf, len, sum);
}

static uint64_t
cksum_add_c_fn(const void *buf, uint32_t len, uint64_t sum)
{
	return vx_cksum_add_c(buf, len, sum);
}

static void
test_cksum_add(void **state)
{
	check_cksum_add(cksum_add_fn);
	check_cksum_add(cksum_add_c_fn);
	RTE_SET_USED(state);
	/* The fold against folding 16 bits at a time, on edges and random sums. */
	{
		static const uint64_t edge[] = {0,
						1,
						0xffff,
						0x10000,
						0x1fffe,
						0xffffffff,
						0x100000000,
						0xffff0000,
						0x0000ffff00000000ULL,
						UINT64_MAX,
						UINT64_MAX - 1};
		unsigned int k;
		uint64_t x;

		for (k = 0; k < RTE_DIM(edge) + 100000; k++) {
			uint64_t r = x = k < RTE_DIM(edge)
						 ? edge[k]
						 : ((uint64_t)rand() << 33) ^
							   ((uint64_t)rand() << 11) ^ rand();

			while (r >> 16)
				r = (r & 0xffff) + (r >> 16);
			assert_int_equal(vx_cksum_fold(x), r);
		}
	}
	/* A 16-bit host value as a network-order word of the sum. */
	{
		uint16_t be = htons(0x1234);

		assert_int_equal(vx_cksum_fold(vx_cksum_be16(0x1234)), rte_raw_cksum(&be, 2));
	}
}

/*
 * vx_ip_eq: equal when the families are and, for AF_INET and AF_INET6,
 * the address bytes are (an IPv4 address is its 4 bytes only); two
 * family-0 addresses are equal whatever their bytes.
 */
static void
test_ip_eq(void **state)
{
	struct vx_ip a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_true(vx_ip_eq(&a, &b));
	memset(b.bytes, 0xaa, 16);
	assert_true(vx_ip_eq(&a, &b)); /* family 0: bytes not compared */
	a.family = AF_INET;
	assert_false(vx_ip_eq(&a, &b));
	assert_false(vx_ip_eq(&b, &a));
	b.family = AF_INET;
	memcpy(a.bytes, b.bytes, 4);
	assert_true(vx_ip_eq(&a, &b)); /* bytes 4..15 differ, not compared */
	a.bytes[3] ^= 1;
	assert_false(vx_ip_eq(&a, &b));
	a.family = b.family = AF_INET6;
	memcpy(a.bytes, b.bytes, 16);
	assert_true(vx_ip_eq(&a, &b));
	a.bytes[15] ^= 1;
	assert_false(vx_ip_eq(&a, &b));
	a.bytes[15] ^= 1;
	b.family = AF_INET;
	assert_false(vx_ip_eq(&a, &b)); /* same bytes, another family */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_ok),
		cmocka_unit_test(test_ipv4_vlan_options_csum),
		cmocka_unit_test(test_ipv6_ok),
		cmocka_unit_test(test_runt),
		cmocka_unit_test(test_ip_hdr),
		cmocka_unit_test(test_ip_csum),
		cmocka_unit_test(test_ip_frag),
		cmocka_unit_test(test_ip_ttl),
		cmocka_unit_test(test_not_udp),
		cmocka_unit_test(test_udp_len),
		cmocka_unit_test(test_udp_csum),
		cmocka_unit_test(test_udp6_zero_csum),
		cmocka_unit_test(test_udp_port),
		cmocka_unit_test(test_not_for_us),
		cmocka_unit_test(test_ethertype),
		cmocka_unit_test(test_vxlan_flags),
		cmocka_unit_test(test_cksum_add),
		cmocka_unit_test(test_punts),
		cmocka_unit_test(test_random_frames),
		cmocka_unit_test(test_ip_eq),
		cmocka_unit_test(test_neigh_not_ours),
		cmocka_unit_test(test_martian_src),
	};

	setup_local();
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
