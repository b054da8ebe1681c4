/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP and ICMPv6 echo replies, made in place from the request on a plain
 * buffer (wire.h): Ethernet and IP addresses swapped, so the reply goes
 * back through the router the request came from without a route lookup.
 * Requests from martian sources (multicast, broadcast, loopback,
 * unspecified; a multicast or zero Ethernet source) and IPv4 broadcast or
 * multicast echo are refused (-EPERM); an IPv6 echo to a group is
 * answered from the address the caller gives.
 * Used for the switch's underlay addresses (input.c) and its addresses
 * inside a link (core/host.c).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "lib/inet.h"
#include "underlay/wire.h"

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY   129

static int
echo4(struct rte_ipv4_hdr *ip, uint16_t room, const struct vx_ip *mcast_src)
{
	struct vx_ip src = {.family = AF_INET}, dst = {.family = AF_INET};
	struct rte_icmp_hdr *ic;
	uint16_t hl, tl;

	if (room < sizeof(*ip))
		return -EINVAL;
	hl = rte_ipv4_hdr_len(ip);
	tl = rte_be_to_cpu_16(ip->total_length);
	if ((ip->version_ihl >> 4) != 4 || hl < sizeof(*ip) || ip->next_proto_id != IPPROTO_ICMP ||
	    tl < hl + sizeof(*ic) || room < tl ||
	    (rte_be_to_cpu_16(ip->fragment_offset) &
	     (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) ||
	    rte_raw_cksum(ip, hl) != 0xffff)
		return -EINVAL;
	ic = (struct rte_icmp_hdr *)((uint8_t *)ip + hl);
	if (ic->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || ic->icmp_code != 0 ||
	    rte_raw_cksum(ic, tl - hl) != 0xffff)
		return -EINVAL;
	memcpy(&src.v4, &ip->src_addr, 4);
	memcpy(&dst.v4, &ip->dst_addr, 4);
	/* Broadcast and multicast echo is ignored, as Linux's icmp_echo_ignore_broadcasts. */
	if (vx_ip_martian(&src, false) || vx_ip_martian(&dst, false))
		return -EPERM;
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = ~rte_raw_cksum(ic, tl - hl);
	ip->src_addr = ip->dst_addr;
	memcpy(&ip->dst_addr, &src.v4, 4);
	ip->time_to_live = VX_DEFAULT_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	(void)mcast_src;
	return 0;
}

static int
echo6(struct rte_ipv6_hdr *ip6, uint16_t room, const struct vx_ip *mcast_src)
{
	struct vx_ip src = {.family = AF_INET6}, dst = {.family = AF_INET6};
	uint16_t pl, ck;
	uint8_t *ic;

	if (room < sizeof(*ip6))
		return -EINVAL;
	pl = rte_be_to_cpu_16(ip6->payload_len);
	if ((rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6 || ip6->proto != IPPROTO_ICMPV6 ||
	    pl < 8 || room < sizeof(*ip6) + pl)
		return -EINVAL;
	ic = (uint8_t *)(ip6 + 1);
	if (ic[0] != ICMP6_ECHO_REQUEST || ic[1] != 0 || __rte_ipv6_udptcp_cksum(ip6, ic) != 0xffff)
		return -EINVAL;
	memcpy(&src.v6, ip6->src_addr, 16);
	memcpy(&dst.v6, ip6->dst_addr, 16);
	if (vx_ip_martian(&src, false))
		return -EPERM;
	/* To a multicast group (ping6 ff02::1): answered from our own address. */
	if (vx_ip_is_multicast(&dst)) {
		if (mcast_src == NULL || mcast_src->family != AF_INET6)
			return -EPERM;
		dst = *mcast_src;
	}
	memcpy(ip6->src_addr, &dst.v6, 16);
	memcpy(ip6->dst_addr, &src.v6, 16);
	ip6->hop_limits = VX_DEFAULT_TTL;
	ic[0] = ICMP6_ECHO_REPLY;
	ic[2] = ic[3] = 0;
	ck = rte_ipv6_udptcp_cksum(ip6, ic);
	memcpy(&ic[2], &ck, 2);
	return 0;
}

int
vx_icmp_echo_reply(uint8_t *frame, uint16_t len, const struct vx_ip *mcast_src)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ether_addr tmp;
	uint16_t type, off = sizeof(*eth);
	int ret;

	if (len < sizeof(*eth))
		return -EINVAL;
	if (vx_mac_martian(&eth->src_addr))
		return -EPERM;
	type = rte_be_to_cpu_16(eth->ether_type);
	if (type == RTE_ETHER_TYPE_VLAN) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(frame + off);

		if (len < off + sizeof(*vh))
			return -EINVAL;
		type = rte_be_to_cpu_16(vh->eth_proto);
		off += sizeof(*vh);
	}
	if (type == RTE_ETHER_TYPE_IPV4)
		ret = echo4((struct rte_ipv4_hdr *)(frame + off), len - off, mcast_src);
	else if (type == RTE_ETHER_TYPE_IPV6)
		ret = echo6((struct rte_ipv6_hdr *)(frame + off), len - off, mcast_src);
	else
		ret = -EINVAL;
	if (ret < 0)
		return ret;
	rte_ether_addr_copy(&eth->dst_addr, &tmp);
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&tmp, &eth->src_addr);
	return 0;
}
