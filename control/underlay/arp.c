/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (RFC 826) frames for IPv4 over Ethernet, parsed and built on plain
 * buffers (wire.h). What the underlay does with them: input.c (answers,
 * learning), nexthop.c (requests), addr.c (announcements).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "underlay/wire.h"

int
vx_arp_parse(const uint8_t *frame, uint16_t len, struct vx_arp *a)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_arp_hdr *arp;
	uint16_t type, off = sizeof(*eth);

	if (len < sizeof(*eth))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	type = rte_be_to_cpu_16(eth->ether_type);
	if (type == RTE_ETHER_TYPE_VLAN) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(frame + off);

		if (len < off + sizeof(*vh))
			return -EINVAL;
		a->vlan = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		type = rte_be_to_cpu_16(vh->eth_proto);
		off += sizeof(*vh);
	}
	if (type != RTE_ETHER_TYPE_ARP || len < off + sizeof(*arp))
		return -EINVAL;
	arp = (const struct rte_arp_hdr *)(frame + off);
	if (arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return -EINVAL;
	a->op = rte_be_to_cpu_16(arp->arp_opcode);
	if (a->op != RTE_ARP_OP_REQUEST && a->op != RTE_ARP_OP_REPLY)
		return -EINVAL;
	rte_ether_addr_copy(&eth->src_addr, &a->eth_src);
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &a->sha);
	rte_ether_addr_copy(&arp->arp_data.arp_tha, &a->tha);
	memcpy(&a->spa, &arp->arp_data.arp_sip, 4);
	memcpy(&a->tpa, &arp->arp_data.arp_tip, 4);
	return 0;
}

uint16_t
vx_arp_build(uint8_t *buf, uint16_t op, uint16_t vlan, const struct rte_ether_addr *eth_dst,
	     const struct rte_ether_addr *sha, struct in_addr spa, const struct rte_ether_addr *tha,
	     struct in_addr tpa)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_arp_hdr *arp;
	uint16_t off = sizeof(*eth);

	rte_ether_addr_copy(eth_dst, &eth->dst_addr);
	rte_ether_addr_copy(sha, &eth->src_addr);
	if (vlan != 0) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(buf + off);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(vlan & 0xfff);
		vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
		off += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	}
	arp = (struct rte_arp_hdr *)(buf + off);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	rte_ether_addr_copy(sha, &arp->arp_data.arp_sha);
	memcpy(&arp->arp_data.arp_sip, &spa, 4);
	rte_ether_addr_copy(tha, &arp->arp_data.arp_tha);
	memcpy(&arp->arp_data.arp_tip, &tpa, 4);
	return off + sizeof(*arp);
}
