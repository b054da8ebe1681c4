/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VTEP outer-header templates (VPP's vxlan_rewrite): the control thread
 * builds, once per VTEP and next-hop change, the exact bytes the worker
 * puts in front of every frame it encapsulates to that VTEP. Pure code, no
 * EAL: unit tests check the bytes.
 *
 * Layout of vt->hdr[0 .. vt->len):
 *
 *   Ethernet   dst = next-hop MAC (zero while unresolved), src = port MAC
 *   [802.1Q]   TPID 0x8100, TCI = underlay VLAN (priority 0) when the port's
 *              underlay is on a VLAN; then the type 0x0800 / 0x86dd
 *   IPv4       at vt->l3_off: version 4, IHL 5, TOS, total length 0, id 0,
 *              DF per the link's `df`, TTL (64 when `ttl` is 0/inherit),
 *              protocol 17, checksum 0, src = local, dst = remote
 *   or IPv6    at vt->l3_off: version 6, traffic class = tos, flow label 0,
 *              payload length 0, next header 17, hop limit = ttl, src, dst
 *   UDP        source port 0, destination port = vt->dstport, length 0,
 *              checksum 0
 *   VXLAN      flags 0x08 (I), reserved 0, VNI, reserved 0
 *
 * The worker's patching contract (l3_len = bytes from the IP header to the
 * end of the frame, udp_len = l3_len - IP header length):
 *
 *   - copy hdr[0 .. len) in front of the inner frame;
 *   - IPv4: ip->total_length = htons(l3_len); then
 *         sum = vt->ip_csum_base + ip->total_length
 *     where ip->total_length is read as a native 16-bit load of the
 *     network-order field (the same way rte_raw_cksum() reads memory);
 *     fold twice (sum = (sum & 0xffff) + (sum >> 16)) and store
 *     ip->hdr_checksum = (uint16_t)~sum as is. This equals rte_ipv4_cksum()
 *     of the finished header. Or use the NIC's IPv4 checksum offload.
 *   - IPv6: ip6->payload_len = htons(udp_len);
 *   - UDP: src_port = htons(port from the flow hash in
 *     [srcport_min, srcport_max]), dgram_len = htons(udp_len);
 *     dgram_cksum = 0 unless VX_VTEP_UDPCSUM, then the full UDP checksum
 *     (rte_ipv4/ipv6_udptcp_cksum, 0 sent as 0xffff) or the NIC offload;
 *     vt->udp_csum_base holds the sum of its constant words;
 *   - never touch the VNI, the addresses or the Ethernet header: when
 *     VX_VTEP_RESOLVED is clear the frame is punted (VX_PUNT_UNRESOLVED)
 *     and the control thread fills in the Ethernet addresses
 *     (vx_template_set_eth) when the next hop resolves.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "underlay/wire.h"
#include "vx_parse.h"
#include "vx_wire.h"

static uint32_t
raw_sum(const void *buf, size_t len)
{
	const uint16_t *p = buf;
	uint32_t sum = 0;

	for (size_t i = 0; i < len / 2; i++) {
		uint16_t w;

		memcpy(&w, &p[i], sizeof(w));
		sum += w;
	}
	return sum;
}

void
vx_template_set_eth(uint8_t *frame, const struct rte_ether_addr *src,
		    const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(src, &eth->src_addr);
}

int
vx_template_build(struct vx_vtep *vt, const struct rte_ether_addr *src,
		  const struct rte_ether_addr *dst, uint16_t vlan, const struct vx_encap_opt *opt)
{
	static const struct rte_ether_addr zero;
	bool v6 = vt->remote.family == AF_INET6;
	uint8_t ttl = opt->ttl != 0 ? opt->ttl : VX_DEFAULT_TTL;
	uint8_t *h = vt->hdr;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)h;
	struct rte_udp_hdr *udp;
	struct rte_vxlan_hdr *vx;
	uint16_t off;

	if (vt->remote.family != AF_INET && vt->remote.family != AF_INET6)
		return -EINVAL;
	if (vt->local.family != vt->remote.family)
		return -EINVAL;

	memset(vt->hdr, 0, sizeof(vt->hdr));
	vx_template_set_eth(h, src, dst != NULL ? dst : &zero);
	off = sizeof(*eth);
	if (vlan != 0) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(h + off);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(vlan & 0xfff);
		vh->eth_proto = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
		off += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	}
	vt->l3_off = off;
	vt->flags &= ~(VX_VTEP_IPV6 | VX_VTEP_UDPCSUM);

	if (!v6) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(h + off);

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = opt->tos;
		ip->total_length = 0;
		ip->packet_id = 0;
		ip->fragment_offset = opt->df ? rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG) : 0;
		ip->time_to_live = ttl;
		ip->next_proto_id = IPPROTO_UDP;
		ip->hdr_checksum = 0;
		ip->src_addr = vt->local.v4.s_addr;
		ip->dst_addr = vt->remote.v4.s_addr;
		vt->ip_csum_base = raw_sum(ip, sizeof(*ip));
		off += sizeof(*ip);
		if (opt->udpcsum)
			vt->flags |= VX_VTEP_UDPCSUM;
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(h + off);

		ip6->vtc_flow = rte_cpu_to_be_32((6u << 28) | ((uint32_t)opt->tos << 20));
		ip6->payload_len = 0;
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = ttl;
		memcpy(ip6->src_addr, &vt->local.v6, 16);
		memcpy(ip6->dst_addr, &vt->remote.v6, 16);
		vt->ip_csum_base = 0;
		off += sizeof(*ip6);
		vt->flags |= VX_VTEP_IPV6;
		if (!opt->udp6zerocsumtx)
			vt->flags |= VX_VTEP_UDPCSUM;
	}

	udp = (struct rte_udp_hdr *)(h + off);
	udp->src_port = 0;
	udp->dst_port = rte_cpu_to_be_16(vt->dstport);
	udp->dgram_len = 0;
	udp->dgram_cksum = 0;
	off += sizeof(*udp);

	vx = (struct rte_vxlan_hdr *)(h + off);
	vx->vx_flags = vx_vxlan_flags_word();
	vx->vx_vni = vx_vxlan_vni_word(vt->vni);
	off += sizeof(*vx);

	vt->len = off;
	vt->udp_csum_base = vx_cksum_encap_base(h + vt->l3_off, v6);
	return 0;
}
