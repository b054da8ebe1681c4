/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a link's inner frames ask of the switch (VX_PUNT_OVERLAY frames,
 * chosen by the workers' dataplane/ stage for links with an address or
 * `proxy`): ARP requests and NS answered for the link's own addresses
 * (host.c) with the link's MAC, or on a proxy link for an access port's
 * request from the link's neighbour entries (proxy.c); echo requests to
 * the link's addresses answered. Answers leave by send.c. On a `proxy
 * learn` link, ARP replies and NAs from the overlay teach the link's
 * neighbour entries (proxy.c).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "core/core.h"
#include "underlay/underlay.h"

/*
 * Who answers for ip on l: the link itself (its MAC) for an overlay
 * address, the neighbour entry on a proxy link when the request came from
 * an access port, unless the FDB has its MAC on a local port (that host
 * answers itself, as the kernel's arp_reduce leaves a bridge-local
 * neighbour). NULL: nobody (an l3miss event when the proxy lookup failed).
 */
static const struct rte_ether_addr *
answer_mac(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip, uint32_t lo)
{
	if (vx_host_addr_find(l, ip) >= 0)
		return &l->mac;
	if (!(l->opt.flags & VX_BD_PROXY) || !(lo & VX_PUNT_OVL_ACCESS))
		return NULL;
	return vx_proxy_answer(c, l, ip);
}

/* 1 answered, 0 not a request we answer (*miss when a proxy lookup failed), -1 not ARP. */
static int
answer_arp(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
	   uint16_t port)
{
	struct vx_ip tip = {.family = AF_INET};
	const struct rte_ether_addr *mac;
	struct vx_arp a;
	uint8_t buf[64];

	if (vx_arp_parse(f, len, &a) != 0)
		return -1;
	if (a.op != RTE_ARP_OP_REQUEST || a.spa.s_addr == a.tpa.s_addr)
		return 0;
	tip.v4 = a.tpa;
	mac = answer_mac(c, l, &tip, lo);
	if (mac == NULL)
		return 0;
	len = vx_arp_build(buf, RTE_ARP_OP_REPLY, 0, &a.sha, mac, a.tpa, &a.sha, a.spa);
	vx_link_send(c, l, buf, len, lo, port);
	return 1;
}

static int
answer_nd(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
	  uint16_t port)
{
	struct rte_ether_addr all_nodes_mac;
	struct vx_ip tgt = {.family = AF_INET6};
	const struct rte_ether_addr *mac;
	struct vx_nd nd;
	uint8_t buf[128];
	bool dad;

	if (vx_nd_parse(f, len, &nd) != 0)
		return -1;
	if (nd.type != VX_ND_NS)
		return 0;
	tgt.v6 = nd.target;
	mac = answer_mac(c, l, &tgt, lo);
	if (mac == NULL)
		return 0;
	dad = IN6_IS_ADDR_UNSPECIFIED(&nd.src);
	if (dad) {
		vx_nd_mcast_mac(&vx_in6_all_nodes, &all_nodes_mac);
		len = vx_nd_build_na(buf, 0, mac, &all_nodes_mac, &nd.target, &vx_in6_all_nodes,
				     VX_ND_NA_O);
	} else {
		len = vx_nd_build_na(buf, 0, mac, nd.has_lla ? &nd.lla : &nd.eth_src, &nd.target,
				     &nd.src, VX_ND_NA_S | VX_ND_NA_O);
	}
	vx_link_send(c, l, buf, len, lo, port);
	return 1;
}

/*
 * `proxy learn`: an ARP reply or NA from the overlay (a copy: the frame
 * itself went on) tells where its sender's address is.
 */
static void
learn_advert(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len)
{
	struct vx_ip ip = {0};
	struct vx_arp a;
	struct vx_nd nd;

	if (vx_arp_parse(f, len, &a) == 0) {
		if (a.op != RTE_ARP_OP_REPLY)
			return;
		ip.family = AF_INET;
		ip.v4 = a.spa;
		vx_proxy_learn(c, l, &ip, &a.sha);
	} else if (vx_nd_parse(f, len, &nd) == 0 && nd.type == VX_ND_NA) {
		ip.family = AF_INET6;
		ip.v6 = nd.target;
		vx_proxy_learn(c, l, &ip, nd.has_lla ? &nd.lla : &nd.eth_src);
	}
}

void
vx_core_overlay_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint32_t lo = m->hash.fdir.lo;
	uint16_t port = m->port, len;
	struct vx_link *l = c->core != NULL ? vx_link_by_bd(c, VX_PUNT_OVL_BD(lo)) : NULL;
	const struct rte_ether_hdr *eh;
	bool to_us;
	uint8_t *f;
	int r;

	if (l == NULL || rte_pktmbuf_linearize(m) != 0) {
		vx_ctl_count_drop(c, VX_DROP_OVL_NOT_OURS, port);
		goto out;
	}
	f = rte_pktmbuf_mtod(m, uint8_t *);
	len = rte_pktmbuf_data_len(m);
	eh = (const struct rte_ether_hdr *)f;
	to_us = rte_is_same_ether_addr(&eh->dst_addr, &l->mac);
	if ((l->opt.flags & VX_BD_PROXY_LEARN) && !(lo & VX_PUNT_OVL_ACCESS))
		learn_advert(c, l, f, len);
	r = answer_arp(c, l, f, len, lo, port);
	if (r < 0)
		r = answer_nd(c, l, f, len, lo, port);
	if (r < 0 && to_us && vx_host_echo(l, f, len)) {
		vx_link_send(c, l, f, len, lo, port);
		r = 1;
	}
	/*
	 * A copy that nobody answers goes silently (the frame itself went on);
	 * a frame the worker handed over whole and nobody answered is a
	 * counted drop: an ARP/NS of a proxy link's access port is a proxy
	 * miss, anything else to the link's MAC is not ours.
	 */
	if (r <= 0 && !(lo & VX_PUNT_OVL_COPY))
		vx_ctl_count_drop(c,
				  r == 0 && !to_us && (lo & VX_PUNT_OVL_ACCESS)
					  ? VX_DROP_PROXY_MISS
					  : VX_DROP_OVL_NOT_OURS,
				  port);
out:
	rte_pktmbuf_free(m);
}
