/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which inner frames of a link go to the control thread: ARP requests and
 * IPv6 neighbour solicitations that a proxy link answers itself (ARP/ND
 * suppression, as the kernel's vxlan arp_reduce()/neigh_reduce() with
 * `proxy`), and, on a link with an overlay address (`vxctl addr add IP dev
 * LINK`), those requests and every frame to the link's own MAC.
 *
 * Called by access.c and decap.c only for a link with VX_BD_PROXY or
 * VX_BD_OVL_ADDR, and it looks further only at broadcast/multicast frames
 * and frames to the link's MAC, so other links and unicast traffic pay one
 * flag test. Decisions:
 *   - ARP request or IPv6 NS, from an access port of a proxy link: never
 *     sent into the overlay. Control gets it (VX_PUNT_OVERLAY) and answers
 *     from the link's neighbour table or drops it (proxy-miss); the other
 *     local members of the link still get it (flooded locally only, as a
 *     kernel bridge would deliver it to its other ports);
 *   - ARP request or NS on a link with an overlay address: a copy goes to
 *     control and the frame goes on (flooded: other hosts may own the
 *     address asked for);
 *   - any frame to the link's MAC on a link with an overlay address:
 *     consumed and punted (echo requests, unicast ARP/NS).
 */

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "stages.h"

#define ND_NS 135

/* ARP request or IPv6 NS (ICMPv6 type 135 right after the fixed header)? */
static bool
is_solicit(const uint8_t *f, uint32_t len)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;

	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		const struct rte_arp_hdr *a = (const struct rte_arp_hdr *)(eh + 1);

		return len >= sizeof(*eh) + sizeof(*a) &&
		       a->arp_opcode == RTE_BE16(RTE_ARP_OP_REQUEST);
	}
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eh + 1);

		return len >= sizeof(*eh) + sizeof(*ip6) + 1 && ip6->proto == IPPROTO_ICMPV6 &&
		       ((const uint8_t *)(ip6 + 1))[0] == ND_NS;
	}
	return false;
}

/* Has the link a local member other than (port, vid)? */
static bool
other_member(const struct vx_bd *bd, uint16_t port, uint16_t vid)
{
	for (unsigned int i = 0; i < bd->n_members; i++)
		if (bd->members[i].port != port || bd->members[i].vlan != vid)
			return true;
	return false;
}

static void
punt_frame(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint32_t off,
	   uint32_t len, uint16_t port, uint16_t vid, uint32_t copy)
{
	uint32_t lo = bd->bd | (uint32_t)(vid == UINT16_MAX ? 0 : vid) << 16 | copy;

	if (vid != UINT16_MAX)
		lo |= VX_PUNT_OVL_ACCESS;
	if (off != 0)
		rte_pktmbuf_adj(m, off);
	if (rte_pktmbuf_pkt_len(m) > len)
		rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - len);
	m->ol_flags = 0;
	m->port = port;
	vx_punt(w, m, VX_PUNT_OVERLAY, lo, port);
}

bool
vx_link_punt(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint32_t off,
	     uint32_t len, uint16_t port, uint16_t vid)
{
	const uint8_t *f = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
	const struct rte_ether_addr *da = (const struct rte_ether_addr *)f;
	uint32_t seg = rte_pktmbuf_data_len(m) - off;
	struct rte_mbuf *copy;

	if (len < RTE_ETHER_HDR_LEN || seg < RTE_ETHER_HDR_LEN)
		return false;
	if (rte_is_same_ether_addr(da, &bd->mac)) {
		if (!(bd->flags & VX_BD_OVL_ADDR))
			return false;
		punt_frame(w, bd, m, off, len, port, vid, 0);
		return true;
	}
	if (!rte_is_multicast_ether_addr(da) || !is_solicit(f, RTE_MIN(seg, len)))
		return false;
	if ((bd->flags & VX_BD_PROXY) && vid != UINT16_MAX) {
		/*
		 * Suppressed towards the overlay only: as with a kernel bridge,
		 * the other local members still get the request.
		 */
		if (!other_member(bd, port, vid)) {
			punt_frame(w, bd, m, off, len, port, vid, 0);
			return true;
		}
		copy = rte_pktmbuf_copy(m, w->dp->pool, off, len);
		if (copy != NULL)
			punt_frame(w, bd, copy, 0, len, port, vid, VX_PUNT_OVL_COPY);
		else
			vx_count_drop(w->st, VX_DROP_NO_MBUF, port);
		vx_flood_one(w, bd, m, port, vid, VX_FLOOD_LOCAL_ONLY, 0);
		return true;
	}
	if (!(bd->flags & VX_BD_OVL_ADDR))
		return false;
	copy = rte_pktmbuf_copy(m, w->dp->pool, off, len);
	if (copy == NULL) {
		vx_count_drop(w->st, VX_DROP_NO_MBUF, port);
		return false;
	}
	punt_frame(w, bd, copy, 0, len, port, vid, VX_PUNT_OVL_COPY);
	return false;
}
