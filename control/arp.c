/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (RFC 826) on the underlay ports: answer requests for our addresses,
 * learn the requester (as Linux's arp_process does), resolve next hops,
 * gratuitous ARP when an address is added. The parser and builder work on
 * plain buffers (unit tests, future fuzz harness); vx_arp_input() is the
 * glue with mbufs, called by punt.c for VX_PUNT_ARP frames.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "underlay.h"

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

int
vx_arp_send_request(struct vx_ctl *c, uint16_t port, struct in_addr tpa,
		    const struct rte_ether_addr *unicast)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	const struct vx_ul_addr *src = vx_ul_addr_on_port(c, port, AF_INET);
	uint8_t buf[64];
	uint16_t len;

	if (src == NULL)
		return -EADDRNOTAVAIL;
	len = vx_arp_build(buf, RTE_ARP_OP_REQUEST, c->ul->port_vlan[port],
			   unicast != NULL ? unicast : &bcast, &c->port[port].mac, src->ip.v4,
			   &zero, tpa);
	return vx_ul_send(c, port, buf, len);
}

int
vx_arp_send_gratuitous(struct vx_ctl *c, uint16_t port, struct in_addr ip)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	uint8_t buf[64];
	uint16_t len;

	/* A request with spa == tpa (RFC 5227 announcement), as `arping -U` sends. */
	len = vx_arp_build(buf, RTE_ARP_OP_REQUEST, c->ul->port_vlan[port], &bcast,
			   &c->port[port].mac, ip, &zero, ip);
	return vx_ul_send(c, port, buf, len);
}

void
vx_arp_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint16_t port = m->port;
	struct vx_arp a;
	struct vx_ip sip = {.family = AF_INET}, tip = {.family = AF_INET};
	const struct vx_ul_addr *ours;
	uint64_t now = vx_ul_now(c);

	if (port >= VX_MAX_PORTS || !c->port[port].present || !rte_pktmbuf_is_contiguous(m) ||
	    vx_arp_parse(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m), &a) != 0 ||
	    a.vlan != c->ul->port_vlan[port]) {
		vx_ul_count_drop(c, VX_DROP_UL_ETHERTYPE, port);
		rte_pktmbuf_free(m);
		return;
	}
	sip.v4 = a.spa;
	tip.v4 = a.tpa;
	ours = vx_ul_addr_find(c, &tip);
	if (ours != NULL && ours->port != port)
		ours = NULL;

	if (a.spa.s_addr != 0 && !rte_is_multicast_ether_addr(&a.sha) &&
	    vx_ul_addr_find(c, &sip) == NULL) {
		/*
		 * A reply to us confirms (REACHABLE); a request for our address
		 * creates or updates a STALE entry; anything else (gratuitous
		 * ARP, requests for others) only updates an entry we have.
		 */
		bool reply = a.op == RTE_ARP_OP_REPLY && ours != NULL;

		vx_neigh_input(&c->ul->nt, port, &sip, &a.sha, reply, ours != NULL, now);
	}

	if (a.op == RTE_ARP_OP_REQUEST && ours != NULL && a.spa.s_addr != a.tpa.s_addr) {
		uint16_t len =
			vx_arp_build(rte_pktmbuf_mtod(m, uint8_t *), RTE_ARP_OP_REPLY, a.vlan,
				     &a.sha, &c->port[port].mac, a.tpa, &a.sha, a.spa);

		const uint16_t min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;

		if (rte_pktmbuf_data_len(m) < min &&
		    rte_pktmbuf_append(m, min - rte_pktmbuf_data_len(m)) == NULL) {
			rte_pktmbuf_free(m);
			return;
		}
		if (len < min) {
			memset(rte_pktmbuf_mtod_offset(m, uint8_t *, len), 0, min - len);
			len = min;
		}
		rte_pktmbuf_trim(m, rte_pktmbuf_data_len(m) - len);
		vx_ul_tx_mbuf(c, port, m);
		return;
	}
	rte_pktmbuf_free(m);
}
