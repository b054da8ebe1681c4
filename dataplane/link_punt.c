/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which inner frames of a link go to the control thread: ARP requests and
 * IPv6 neighbour solicitations that a proxy link answers itself (ARP/ND
 * suppression, as the kernel's vxlan arp_reduce()/neigh_reduce() with
 * `proxy`), and, on a link with an overlay address (`vxctl addr add IP dev
 * LINK`), those requests and every frame to the link's own MAC.
 *
 * Called by access.c and decap.c only for a link with VX_BD_PROXY or
 * VX_BD_OVL_ADDR, and it looks further only at broadcast/multicast frames,
 * frames to the link's MAC and, on a `proxy learn` link, ARP replies and
 * NAs from the overlay, so other links and unicast traffic pay one flag
 * test. Decisions:
 *   - ARP request or IPv6 NS, from an access port of a proxy link: never
 *     sent into the overlay. Control gets it (VX_PUNT_OVERLAY) and answers
 *     from the link's neighbour table or drops it (proxy-miss); the other
 *     local members of the link still get it (flooded locally only, as a
 *     kernel bridge would deliver it to its other ports). With `proxy
 *     learn`, one for an address the link's neighbour map lacks goes on as
 *     on any link (flooded into the overlay: someone there answers);
 *   - ARP reply or NA decapsulated on a `proxy learn` link: a copy goes to
 *     control (which learns the sender's address), the frame goes on;
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
#define ND_NA 136

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

/* The address an ARP request or NS asks for (family in *family), or NULL when it is too short. */
static const uint8_t *
solicit_target(const uint8_t *f, uint32_t len, uint8_t *family)
{
	if (f[12] == 0x08 && f[13] == 0x06) {
		*family = AF_INET;
		return len >= RTE_ETHER_HDR_LEN + sizeof(struct rte_arp_hdr) ? f + 38 : NULL;
	}
	*family = AF_INET6;
	return len >= RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr) + 24 ? f + 62 : NULL;
}

/* ARP reply or IPv6 NA (ICMPv6 type 136 right after the fixed header)? */
static bool
is_advert(const uint8_t *f, uint32_t len)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;

	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		const struct rte_arp_hdr *a = (const struct rte_arp_hdr *)(eh + 1);

		return len >= sizeof(*eh) + sizeof(*a) &&
		       a->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY);
	}
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eh + 1);

		return len >= sizeof(*eh) + sizeof(*ip6) + 1 && ip6->proto == IPPROTO_ICMPV6 &&
		       ((const uint8_t *)(ip6 + 1))[0] == ND_NA;
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
	vx_mbuf_cut(m, len);
	m->ol_flags = 0;
	m->port = port;
	vx_punt(w, m, VX_PUNT_OVERLAY, VX_PCLASS_OVERLAY, lo, port);
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
	if (unlikely(bd->flags & VX_BD_PROXY_LEARN) && vid == UINT16_MAX &&
	    is_advert(f, RTE_MIN(seg, len))) {
		/* proxy learn: the answer goes on, a copy teaches the control thread. */
		copy = rte_pktmbuf_copy(m, w->dp->pool, off, len);
		if (copy != NULL)
			punt_frame(w, bd, copy, 0, len, port, vid, VX_PUNT_OVL_COPY);
		else
			vx_count_drop(w->st, VX_DROP_NO_MBUF, port);
		return false;
	}
	if (!rte_is_multicast_ether_addr(da) || !is_solicit(f, RTE_MIN(seg, len)))
		return false;
	if ((bd->flags & VX_BD_PROXY) && vid != UINT16_MAX) {
		uint8_t family;
		const uint8_t *ip = solicit_target(f, RTE_MIN(seg, len), &family);

		/* proxy learn: an address nobody taught the switch is asked of the overlay. */
		if ((bd->flags & VX_BD_PROXY_LEARN) &&
		    (ip == NULL || vx_nbr_lookup(bd->nbr, family, ip) == NULL))
			return false;
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
