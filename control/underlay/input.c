/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Punted ARP, ND and ICMP frames of the underlay ports (punt.c hands them
 * over; each handler consumes its mbuf):
 *   - ARP (RFC 826): requests for our addresses answered; the requester
 *     learned, replies to our requests taken, as Linux's arp_process();
 *   - ND (RFC 4861): NS for our addresses answered (solicited or DAD),
 *     the solicitor learned from its link-layer option; NAs taken for
 *     entries we have (without O, an NA does not override a MAC);
 *   - ICMP/ICMPv6 echo requests to our addresses answered in place.
 * A frame on a port/VLAN that is not the port's underlay VLAN (ul-vlan),
 * an ARP, NS or NA that does not parse (arp-nd-bad), ICMP the switch does
 * not act on (icmp-other) and martian ARP/ND/ICMP (martian) are counted
 * drops.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "lib/inet.h"
#include "underlay/underlay.h"

/* An ARP frame nobody may send: martian addresses, or a sender claiming one of ours. */
static bool
arp_martian(struct vx_ctl *c, const struct vx_arp *a, const struct vx_ip *sip,
	    const struct vx_ip *tip)
{
	return vx_mac_martian(&a->sha) || vx_mac_martian(&a->eth_src) || vx_ip_martian(sip, true) ||
	       vx_ip_martian(tip, false) ||
	       (sip->v4.s_addr != 0 && vx_ul_addr_find(c, sip) != NULL);
}

/* Turn the request in m into our reply and send it back where it came from. */
static void
arp_reply(struct vx_ctl *c, struct rte_mbuf *m, const struct vx_arp *a, uint16_t port)
{
	const uint16_t min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	uint16_t len = vx_arp_build(rte_pktmbuf_mtod(m, uint8_t *), RTE_ARP_OP_REPLY, a->vlan,
				    &a->sha, &c->port[port].mac, a->tpa, &a->sha, a->spa);

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
}

void
vx_arp_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint16_t port = m->port;
	struct vx_arp a;
	struct vx_ip sip = {.family = AF_INET}, tip = {.family = AF_INET};
	const struct vx_ul_addr *ours;
	bool request;

	if (port >= VX_MAX_PORTS || !c->port[port].present || !rte_pktmbuf_is_contiguous(m) ||
	    vx_arp_parse(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m), &a) != 0) {
		vx_ctl_count_drop(c, VX_DROP_ARP_ND_BAD, port);
		goto out;
	}
	if (a.vlan != c->ul->port_vlan[port]) {
		vx_ctl_count_drop(c, VX_DROP_UL_VLAN, port);
		goto out;
	}
	sip.v4 = a.spa;
	tip.v4 = a.tpa;
	if (arp_martian(c, &a, &sip, &tip)) {
		vx_ctl_count_drop(c, VX_DROP_MARTIAN, port);
		goto out;
	}
	ours = vx_ul_addr_find(c, &tip);
	if (ours != NULL && ours->port != port)
		ours = NULL;
	request = a.op == RTE_ARP_OP_REQUEST;
	/*
	 * A reply to us confirms (REACHABLE) an entry we have; a request for
	 * our address creates or updates a STALE entry, as Linux's arp_process
	 * does; anything else (gratuitous ARP, requests for others, replies we
	 * did not ask for) only updates an entry we have: none is created.
	 */
	if (a.spa.s_addr != 0)
		vx_neigh_input(&c->ul->nt, port, &sip, &a.sha, !request && ours != NULL,
			       request && ours != NULL, vx_ul_now(c));
	if (request && ours != NULL && a.spa.s_addr != a.tpa.s_addr) {
		arp_reply(c, m, &a, port);
		return;
	}
out:
	rte_pktmbuf_free(m);
}

/*
 * ND nobody may send (RFC 4861 7.1): a multicast target, a multicast or
 * zero link-layer address (Ethernet or option), a multicast source, an
 * unspecified one except for DAD (an NS), or one of our own addresses.
 */
static bool
nd_martian(struct vx_ctl *c, const struct vx_nd *nd, const struct vx_ip *src,
	   const struct vx_ip *target)
{
	return vx_mac_martian(&nd->eth_src) || (nd->has_lla && vx_mac_martian(&nd->lla)) ||
	       vx_ip_is_multicast(target) || vx_ip_martian(src, nd->type == VX_ND_NS) ||
	       vx_ul_addr_find(c, src) != NULL;
}

void
vx_nd_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint16_t port = m->port;
	struct vx_nd nd;
	struct vx_ip target = {.family = AF_INET6}, peer = {.family = AF_INET6};
	const struct vx_ul_addr *ours;
	uint64_t now = vx_ul_now(c);
	int ret;

	if (port >= VX_MAX_PORTS || !c->port[port].present || !rte_pktmbuf_is_contiguous(m))
		ret = -EINVAL;
	else
		ret = vx_nd_parse(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m), &nd);
	if (ret != 0 || nd.vlan != c->ul->port_vlan[port]) {
		vx_ctl_count_drop(c,
				  ret == -EOPNOTSUPP ? VX_DROP_ICMP_OTHER
				  : ret != 0	     ? VX_DROP_ARP_ND_BAD
						     : VX_DROP_UL_VLAN,
				  port);
		rte_pktmbuf_free(m);
		return;
	}
	target.v6 = nd.target;
	peer.v6 = nd.src;
	if (nd_martian(c, &nd, &peer, &target)) {
		vx_ctl_count_drop(c, VX_DROP_MARTIAN, port);
		goto out;
	}
	ours = vx_ul_addr_find(c, &target);
	if (ours != NULL && ours->port != port)
		ours = NULL;

	if (nd.type == VX_ND_NS) {
		bool dad = IN6_IS_ADDR_UNSPECIFIED(&nd.src);
		struct rte_ether_addr dmac;
		uint8_t buf[128];
		uint16_t len;

		if (ours == NULL)
			goto out;
		if (!dad && nd.has_lla)
			vx_neigh_input(&c->ul->nt, port, &peer, &nd.lla, false, true, now);
		if (dad) {
			vx_nd_mcast_mac(&vx_in6_all_nodes, &dmac);
			len = vx_nd_build_na(buf, nd.vlan, &c->port[port].mac, &dmac, &nd.target,
					     &vx_in6_all_nodes, VX_ND_NA_O);
		} else {
			len = vx_nd_build_na(buf, nd.vlan, &c->port[port].mac,
					     nd.has_lla ? &nd.lla : &nd.eth_src, &nd.target,
					     &nd.src, VX_ND_NA_S | VX_ND_NA_O);
		}
		vx_ul_send(c, port, buf, len);
	} else {
		const struct rte_ether_addr *mac = nd.has_lla ? &nd.lla : &nd.eth_src;
		struct vx_neigh *n;

		if (ours != NULL)
			goto out; /* someone claims our address: not handled (no DAD) */
		n = vx_neigh_find(&c->ul->nt, port, &target);
		if (n == NULL)
			goto out;
		/* Without O, an NA does not override a MAC we have (RFC 4861 7.2.5). */
		if (!(nd.na_flags & VX_ND_NA_O) && vx_neigh_valid(n) &&
		    !rte_is_same_ether_addr(&n->mac, mac))
			goto out;
		vx_neigh_input(&c->ul->nt, port, &target, mac, (nd.na_flags & VX_ND_NA_S) != 0,
			       false, now);
	}
out:
	rte_pktmbuf_free(m);
}

void
vx_icmp_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint16_t port = m->port;
	const struct vx_ul_addr *a6;
	int ret = -EINVAL;

	if (port < VX_MAX_PORTS && c->port[port].present && rte_pktmbuf_is_contiguous(m)) {
		a6 = vx_ul_addr_on_port(c, port, AF_INET6);
		ret = vx_icmp_echo_reply(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m),
					 a6 != NULL ? &a6->ip : NULL);
	}
	if (ret < 0) {
		/* Martian echo, and ICMP that is no echo request we answer (errors too). */
		vx_ctl_count_drop(c, ret == -EPERM ? VX_DROP_MARTIAN : VX_DROP_ICMP_OTHER, port);
		rte_pktmbuf_free(m);
		return;
	}
	/* Our MAC as the source, whatever the request was sent to (multicast ping6). */
	rte_ether_addr_copy(&c->port[port].mac,
			    &rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr);
	vx_ul_tx_mbuf(c, port, m);
}
