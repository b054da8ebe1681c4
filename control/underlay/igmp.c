/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multicast listener messages on plain buffers (wire.h): IGMPv3 membership
 * reports (RFC 3376 4.2) and MLDv2 listener reports (RFC 3810 5.2) built,
 * IGMP (v1, v2, v3) and MLD (v1, v2) queries parsed. What the underlay
 * does with them (joins, leaves, answers to queries): group.c.
 *
 * A report carries records without sources only: a VTEP listens to the
 * whole group (EXCLUDE {}), so a join is CHANGE_TO_EXCLUDE {}, a leave
 * CHANGE_TO_INCLUDE {}, and the answer to a query MODE_IS_EXCLUDE {}.
 *
 * IGMPv3 report, as Linux sends it (igmpv3_newpack):
 *
 *   Ethernet  01:00:5e:00:00:16, type 0x0800 (after an 802.1Q tag if any)
 *   IPv4      IHL 6, TOS 0xc0, DF, TTL 1, protocol 2, dst 224.0.0.22,
 *             option Router Alert (94 04 00 00)
 *   IGMP      type 0x22, reserved, checksum, reserved, number of records,
 *             records of 8 bytes: type, aux 0, sources 0, group
 *
 * MLDv2 report (mld_newpack):
 *
 *   Ethernet  33:33:00:00:00:16, type 0x86dd
 *   IPv6      next header 0 (hop-by-hop), hop limit 1, src = the port's
 *             link-local address (RFC 3810 5.2.13), dst ff02::16
 *   Hop-by-hop  next header 58, length 0, Router Alert (05 02 00 00), PadN (01 00)
 *   ICMPv6    type 143, code 0, checksum, reserved, number of records,
 *             records of 20 bytes: type, aux 0, sources 0, group
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "underlay/wire.h"

#define IGMP_QUERY	  0x11
#define IGMP_V3_REPORT	  0x22
#define IGMP_REC_LEN	  8
#define IGMP_V3_QUERY_LEN 12
#define IP4_RA_HLEN	  24 /* IPv4 header with the Router Alert option */
#define MLD_QUERY	  130
#define MLD_V2_REPORT	  143
#define MLD_REC_LEN	  20
#define MLD_V1_LEN	  24
#define MLD_V2_QUERY_LEN  28
#define HBH_LEN		  8

static const struct in_addr igmp_v3_routers = {.s_addr = RTE_BE32(0xe0000016)}; /* 224.0.0.22 */
static const struct in6_addr mld_v2_routers = {.s6_addr = {0xff, 0x02, [15] = 0x16}}; /* ff02::16 */

void
vx_ip4_mcast_mac(struct in_addr ip, struct rte_ether_addr *mac)
{
	const uint8_t *a = (const uint8_t *)&ip.s_addr;

	mac->addr_bytes[0] = 0x01;
	mac->addr_bytes[1] = 0x00;
	mac->addr_bytes[2] = 0x5e;
	mac->addr_bytes[3] = a[1] & 0x7f;
	mac->addr_bytes[4] = a[2];
	mac->addr_bytes[5] = a[3];
}

void
vx_ip6_link_local(const struct rte_ether_addr *mac, struct in6_addr *ll)
{
	memset(ll, 0, sizeof(*ll));
	ll->s6_addr[0] = 0xfe;
	ll->s6_addr[1] = 0x80;
	/* Modified EUI-64 (RFC 4291 appendix A): the U/L bit flipped, ff:fe in the middle. */
	ll->s6_addr[8] = mac->addr_bytes[0] ^ 0x02;
	ll->s6_addr[9] = mac->addr_bytes[1];
	ll->s6_addr[10] = mac->addr_bytes[2];
	ll->s6_addr[11] = 0xff;
	ll->s6_addr[12] = 0xfe;
	ll->s6_addr[13] = mac->addr_bytes[3];
	ll->s6_addr[14] = mac->addr_bytes[4];
	ll->s6_addr[15] = mac->addr_bytes[5];
}

/* Ethernet header [+ 802.1Q]; returns its length. */
static uint16_t
eth_build(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *dst,
	  const struct rte_ether_addr *src, uint16_t type)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(src, &eth->src_addr);
	if (vlan == 0) {
		eth->ether_type = rte_cpu_to_be_16(type);
		return sizeof(*eth);
	}
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	((struct rte_vlan_hdr *)(eth + 1))->vlan_tci = rte_cpu_to_be_16(vlan & 0xfff);
	((struct rte_vlan_hdr *)(eth + 1))->eth_proto = rte_cpu_to_be_16(type);
	return sizeof(*eth) + sizeof(struct rte_vlan_hdr);
}

static uint16_t
csum_fold(uint32_t sum)
{
	return (uint16_t)~__rte_raw_cksum_reduce(sum);
}

uint16_t
vx_igmp3_report(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
		struct in_addr src, uint8_t rec_type, const struct in_addr *groups, unsigned int n)
{
	struct rte_ether_addr dst_mac;
	struct rte_ipv4_hdr *ip;
	uint16_t off, igmp_len = 8 + IGMP_REC_LEN * n;
	uint8_t *igmp, *opt;
	uint16_t ck;

	vx_ip4_mcast_mac(igmp_v3_routers, &dst_mac);
	off = eth_build(buf, vlan, &dst_mac, src_mac, RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(buf + off);
	memset(ip, 0, IP4_RA_HLEN);
	ip->version_ihl = 0x40 | (IP4_RA_HLEN / 4);
	ip->type_of_service = 0xc0;
	ip->total_length = rte_cpu_to_be_16(IP4_RA_HLEN + igmp_len);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 1;
	ip->next_proto_id = IPPROTO_IGMP;
	ip->src_addr = src.s_addr;
	ip->dst_addr = igmp_v3_routers.s_addr;
	opt = (uint8_t *)(ip + 1);
	opt[0] = 0x94; /* Router Alert (RFC 2113), copied on fragmentation */
	opt[1] = 4;
	ip->hdr_checksum = csum_fold(__rte_raw_cksum(ip, IP4_RA_HLEN, 0));
	off += IP4_RA_HLEN;

	igmp = buf + off;
	memset(igmp, 0, igmp_len);
	igmp[0] = IGMP_V3_REPORT;
	igmp[6] = n >> 8;
	igmp[7] = n & 0xff;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *r = igmp + 8 + IGMP_REC_LEN * i;

		r[0] = rec_type;
		memcpy(r + 4, &groups[i].s_addr, 4);
	}
	ck = csum_fold(__rte_raw_cksum(igmp, igmp_len, 0));
	memcpy(igmp + 2, &ck, 2);
	return off + igmp_len;
}

/* The sum of the ICMPv6 pseudo-header (RFC 8200 8.1) and the message. */
static uint32_t
icmp6_sum(const struct in6_addr *src, const struct in6_addr *dst, const uint8_t *msg, uint32_t len)
{
	uint32_t w[2] = {rte_cpu_to_be_32(len), rte_cpu_to_be_32(IPPROTO_ICMPV6)};
	uint32_t sum;

	sum = __rte_raw_cksum(src, 16, 0);
	sum = __rte_raw_cksum(dst, 16, sum);
	sum = __rte_raw_cksum(w, sizeof(w), sum);
	return __rte_raw_cksum(msg, len, sum);
}

uint16_t
vx_mld2_report(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
	       const struct in6_addr *src, uint8_t rec_type, const struct in6_addr *groups,
	       unsigned int n)
{
	struct rte_ether_addr dst_mac;
	struct rte_ipv6_hdr *ip6;
	uint16_t off, mld_len = 8 + MLD_REC_LEN * n;
	uint8_t *hbh, *mld;
	uint16_t ck;

	vx_nd_mcast_mac(&mld_v2_routers, &dst_mac);
	off = eth_build(buf, vlan, &dst_mac, src_mac, RTE_ETHER_TYPE_IPV6);
	ip6 = (struct rte_ipv6_hdr *)(buf + off);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(HBH_LEN + mld_len);
	ip6->proto = 0; /* hop-by-hop options */
	ip6->hop_limits = 1;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, &mld_v2_routers, 16);
	off += sizeof(*ip6);

	hbh = buf + off;
	hbh[0] = IPPROTO_ICMPV6;
	hbh[1] = 0;
	hbh[2] = 0x05; /* Router Alert (RFC 2711), value 0: MLD */
	hbh[3] = 2;
	hbh[4] = 0;
	hbh[5] = 0;
	hbh[6] = 0x01; /* PadN of two bytes */
	hbh[7] = 0;
	off += HBH_LEN;

	mld = buf + off;
	memset(mld, 0, mld_len);
	mld[0] = MLD_V2_REPORT;
	mld[6] = n >> 8;
	mld[7] = n & 0xff;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *r = mld + 8 + MLD_REC_LEN * i;

		r[0] = rec_type;
		memcpy(r + 4, &groups[i], 16);
	}
	ck = csum_fold(icmp6_sum(src, &mld_v2_routers, mld, mld_len));
	memcpy(mld + 2, &ck, 2);
	return off + mld_len;
}

/* Max Resp Code of IGMPv3 (RFC 3376 4.1.1) in ms; IGMPv2 codes are below 128, the same. */
static uint32_t
igmp_resp_ms(uint8_t code)
{
	if (code < 128)
		return code * 100u;
	return (((code & 0x0fu) | 0x10u) << (((code >> 4) & 0x07u) + 3)) * 100u;
}

/* Maximum Response Code of MLDv2 (RFC 3810 5.1.3) in ms; MLDv1's is the value itself. */
static uint32_t
mld_resp_ms(uint16_t code)
{
	if (code < 32768)
		return code;
	return ((code & 0x0fffu) | 0x1000u) << (((code >> 12) & 0x07u) + 3);
}

static int
igmp_query_parse(const uint8_t *ip, uint32_t len, struct vx_mc_query *q)
{
	uint32_t ihl = (ip[0] & 0x0f) * 4u, tot;
	const uint8_t *igmp;
	uint32_t ilen;

	if (len < RTE_IPV4_MIN_IHL * 4u || (ip[0] >> 4) != 4 || ihl < 20 || len < ihl)
		return -EINVAL;
	tot = ((uint32_t)ip[2] << 8) | ip[3];
	if (tot < ihl || tot > len || ip[9] != IPPROTO_IGMP)
		return -EINVAL;
	if (csum_fold(__rte_raw_cksum(ip, ihl, 0)) != 0)
		return -EINVAL;
	igmp = ip + ihl;
	ilen = tot - ihl;
	if (ilen < 8 || igmp[0] != IGMP_QUERY || csum_fold(__rte_raw_cksum(igmp, ilen, 0)) != 0)
		return -EINVAL;
	q->family = AF_INET;
	memcpy(&q->group.v4, igmp + 4, 4);
	q->group.family = AF_INET;
	if (ilen >= IGMP_V3_QUERY_LEN) {
		q->version = 3;
		q->max_resp_ms = igmp_resp_ms(igmp[1]);
	} else if (igmp[1] != 0) {
		q->version = 2;
		q->max_resp_ms = igmp[1] * 100u;
	} else {
		q->version = 1;
		q->max_resp_ms = 10000; /* RFC 2236 4: a v1 query means 10 s */
	}
	return 0;
}

static int
mld_query_parse(const uint8_t *ip, uint32_t len, struct vx_mc_query *q)
{
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)ip;
	uint32_t plen, off = sizeof(*ip6), mlen;
	uint8_t next = ip6->proto;
	const uint8_t *mld;

	if (len < sizeof(*ip6) || (ip[0] >> 4) != 6)
		return -EINVAL;
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (sizeof(*ip6) + plen > len)
		return -EINVAL;
	len = sizeof(*ip6) + plen;
	/* MLD comes after a hop-by-hop header with the Router Alert option. */
	if (next == 0) {
		if (off + 2 > len)
			return -EINVAL;
		next = ip[off];
		off += (ip[off + 1] + 1u) * 8;
	}
	if (next != IPPROTO_ICMPV6 || off + MLD_V1_LEN > len)
		return -EINVAL;
	mld = ip + off;
	mlen = len - off;
	if (mld[0] != MLD_QUERY || mld[1] != 0)
		return -EINVAL;
	if (csum_fold(icmp6_sum((const struct in6_addr *)ip6->src_addr,
				(const struct in6_addr *)ip6->dst_addr, mld, mlen)) != 0)
		return -EINVAL;
	q->family = AF_INET6;
	q->group.family = AF_INET6;
	memcpy(&q->group.v6, mld + 8, 16);
	q->version = mlen >= MLD_V2_QUERY_LEN ? 2 : 1;
	q->max_resp_ms = mld_resp_ms(((uint16_t)mld[4] << 8) | mld[5]);
	return 0;
}

int
vx_mc_query_parse(const uint8_t *frame, uint16_t len, struct vx_mc_query *q)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	uint16_t type, off = sizeof(*eth);

	if (len < sizeof(*eth))
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	type = rte_be_to_cpu_16(eth->ether_type);
	if (type == RTE_ETHER_TYPE_VLAN) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(frame + off);

		if (len < off + sizeof(*vh))
			return -EINVAL;
		q->vlan = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		type = rte_be_to_cpu_16(vh->eth_proto);
		off += sizeof(*vh);
	}
	if (type == RTE_ETHER_TYPE_IPV4)
		return igmp_query_parse(frame + off, len - off, q);
	if (type == RTE_ETHER_TYPE_IPV6)
		return mld_query_parse(frame + off, len - off, q);
	return -EINVAL;
}
