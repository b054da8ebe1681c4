/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 neighbour discovery (RFC 4861) messages, NS and NA with one
 * link-layer address option, parsed and built on plain buffers (wire.h).
 * What the underlay does with them: input.c (answers, learning),
 * nexthop.c (solicitations), addr.c (unsolicited NA when an address is
 * added).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "underlay/wire.h"

#define ND_OPT_SLLA    1
#define ND_OPT_TLLA    2
#define ND_MSG_LEN     24 /* type, code, checksum, reserved/flags, target */
#define ND_OPT_LLA_LEN 8

void
vx_nd_solicited_node(const struct in6_addr *ip, struct in6_addr *snm)
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};

	memcpy(snm->s6_addr, pfx, sizeof(pfx));
	memcpy(&snm->s6_addr[13], &ip->s6_addr[13], 3);
}

const struct in6_addr vx_in6_all_nodes = {.s6_addr = {0xff, 0x02, [15] = 0x01}};

void
vx_nd_mcast_mac(const struct in6_addr *ip, struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], &ip->s6_addr[12], 4);
}

/* Ethernet [+ VLAN] + IPv6 + ND message with one link-layer option. */
static uint16_t
nd_build(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
	 const struct rte_ether_addr *dst_mac, const struct in6_addr *src,
	 const struct in6_addr *dst, uint8_t type, uint8_t flags, const struct in6_addr *target,
	 uint8_t opt_type)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv6_hdr *ip6;
	uint8_t *icmp;
	uint16_t off = sizeof(*eth), ck;

	rte_ether_addr_copy(dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(src_mac, &eth->src_addr);
	if (vlan != 0) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(buf + off);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(vlan & 0xfff);
		vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		off += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	}
	ip6 = (struct rte_ipv6_hdr *)(buf + off);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(ND_MSG_LEN + ND_OPT_LLA_LEN);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 255;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, dst, 16);
	off += sizeof(*ip6);

	icmp = buf + off;
	memset(icmp, 0, ND_MSG_LEN + ND_OPT_LLA_LEN);
	icmp[0] = type;
	icmp[4] = flags;
	memcpy(&icmp[8], target, 16);
	icmp[24] = opt_type;
	icmp[25] = 1; /* in units of 8 bytes */
	memcpy(&icmp[26], src_mac, RTE_ETHER_ADDR_LEN);
	ck = rte_ipv6_udptcp_cksum(ip6, icmp);
	memcpy(&icmp[2], &ck, 2);
	return off + ND_MSG_LEN + ND_OPT_LLA_LEN;
}

uint16_t
vx_nd_build_ns(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
	       const struct in6_addr *src, const struct in6_addr *target,
	       const struct rte_ether_addr *dst_mac)
{
	struct rte_ether_addr mac;
	struct in6_addr dst;

	if (dst_mac == NULL) {
		vx_nd_solicited_node(target, &dst);
		vx_nd_mcast_mac(&dst, &mac);
		dst_mac = &mac;
	} else {
		dst = *target;
	}
	return nd_build(buf, vlan, src_mac, dst_mac, src, &dst, VX_ND_NS, 0, target, ND_OPT_SLLA);
}

uint16_t
vx_nd_build_na(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
	       const struct rte_ether_addr *dst_mac, const struct in6_addr *target,
	       const struct in6_addr *dst, uint8_t na_flags)
{
	return nd_build(buf, vlan, src_mac, dst_mac, target, dst, VX_ND_NA, na_flags, target,
			ND_OPT_TLLA);
}

int
vx_nd_parse(const uint8_t *frame, uint16_t len, struct vx_nd *nd)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_ipv6_hdr *ip6;
	const uint8_t *icmp;
	uint16_t type, off = sizeof(*eth), plen;

	if (len < sizeof(*eth))
		return -EINVAL;
	memset(nd, 0, sizeof(*nd));
	type = rte_be_to_cpu_16(eth->ether_type);
	if (type == RTE_ETHER_TYPE_VLAN) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(frame + off);

		if (len < off + sizeof(*vh))
			return -EINVAL;
		nd->vlan = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		type = rte_be_to_cpu_16(vh->eth_proto);
		off += sizeof(*vh);
	}
	if (type != RTE_ETHER_TYPE_IPV6 || len < off + sizeof(*ip6))
		return -EINVAL;
	ip6 = (const struct rte_ipv6_hdr *)(frame + off);
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if ((rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6 || ip6->proto != IPPROTO_ICMPV6 ||
	    ip6->hop_limits != 255 || plen < ND_MSG_LEN || len < off + sizeof(*ip6) + plen)
		return -EINVAL;
	icmp = frame + off + sizeof(*ip6);
	if (icmp[0] != VX_ND_NS && icmp[0] != VX_ND_NA)
		return -EOPNOTSUPP;
	if (icmp[1] != 0)
		return -EINVAL;
	/* The sum over the message with its checksum is 0xffff when valid. */
	if (__rte_ipv6_udptcp_cksum(ip6, icmp) != 0xffff)
		return -EINVAL;
	nd->type = icmp[0];
	nd->na_flags = icmp[4] & (VX_ND_NA_R | VX_ND_NA_S | VX_ND_NA_O);
	rte_ether_addr_copy(&eth->src_addr, &nd->eth_src);
	memcpy(&nd->src, ip6->src_addr, 16);
	memcpy(&nd->dst, ip6->dst_addr, 16);
	memcpy(&nd->target, &icmp[8], 16);
	if (IN6_IS_ADDR_MULTICAST(&nd->target))
		return -EINVAL;
	for (uint16_t o = ND_MSG_LEN; o + 2 <= plen;) {
		uint16_t olen = icmp[o + 1] * 8;

		if (olen == 0 || o + olen > plen)
			return -EINVAL;
		if (olen >= ND_OPT_LLA_LEN &&
		    icmp[o] == (nd->type == VX_ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA)) {
			memcpy(&nd->lla, &icmp[o + 2], RTE_ETHER_ADDR_LEN);
			nd->has_lla = true;
		}
		o += olen;
	}
	return 0;
}
