/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The punt path.
 *
 * Workers never answer ARP, ND or ICMP themselves: they put such frames
 * (and encapsulated frames for a VTEP whose next hop is not resolved yet)
 * on their punt ring (dp->punt_ring[w], reason in m->hash.fdir.hi, VTEP
 * index in m->hash.fdir.lo). vx_ul_poll(), on the control thread, drains
 * at most VX_PUNT_POLL_MAX mbufs per worker ring per call and dispatches
 * them by reason: ARP, ND and ICMP to input.c, IGMP and MLD queries to
 * group.c, unresolved frames to their next hop's queue (nexthop.c), inner
 * frames of a link to the core (hooks.overlay_input). The workers limit
 * what they punt before they enqueue it, per input port and class
 * (vx_punt(), include/vx_tables.h: ARP replies and NAs, requests, ICMP,
 * IGMP/MLD and a link's frames each have a budget of their own), so a
 * flood at the switch costs the control thread a bounded amount of work,
 * never starves the answers its next hops need, and never touches the
 * VXLAN path.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "underlay/underlay.h"

static void
punt_unresolved(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint32_t idx = m->hash.fdir.lo;
	const struct vx_vtep *vt = idx < VX_MAX_VTEP ? vx_deref(c->dp->vtep[idx]) : NULL;

	if (vt == NULL || !vx_ul_frame_of_vtep(vt, m)) {
		vx_ctl_count_drop(c, VX_DROP_VTEP_GONE, m->port);
		rte_pktmbuf_free(m);
		return;
	}
	vx_ul_queue_unresolved(c, vt, m);
}

void
vx_punt_poll(struct vx_ctl *c)
{
	struct vx_dp *dp = c->dp;

	if (dp == NULL)
		return;
	for (uint16_t w = 0; w < dp->n_workers && w < VX_MAX_WORKERS; w++) {
		struct rte_mbuf *pkts[VX_PUNT_POLL_MAX];
		unsigned int n;

		if (dp->punt_ring[w] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(dp->punt_ring[w], (void **)pkts, VX_PUNT_POLL_MAX,
					      NULL);
		for (unsigned int i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			uint32_t why = m->hash.fdir.hi;

			/* A tag the NIC stripped goes back in: parsers check the VLAN inline. */
			if ((m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) &&
			    why != VX_PUNT_UNRESOLVED) {
				if (rte_vlan_insert(&m) != 0) {
					rte_pktmbuf_free(m);
					continue;
				}
				m->ol_flags &= ~(RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
			}
			if (why == VX_PUNT_UNRESOLVED) {
				punt_unresolved(c, m);
				continue;
			}
			switch (why) {
			case VX_PUNT_ARP:
				vx_arp_input(c, m);
				break;
			case VX_PUNT_ND:
				vx_nd_input(c, m);
				break;
			case VX_PUNT_ICMP:
				/* ICMPv6 ND may arrive under either reason. */
				if (vx_nd_parse(rte_pktmbuf_mtod(m, uint8_t *),
						rte_pktmbuf_data_len(m), &(struct vx_nd){0}) == 0)
					vx_nd_input(c, m);
				else
					vx_icmp_input(c, m);
				break;
			case VX_PUNT_MCAST:
				vx_ul_mc_input(c, m);
				break;
			case VX_PUNT_OVERLAY:
				if (c->ul->hooks.overlay_input != NULL)
					c->ul->hooks.overlay_input(c, m);
				else
					rte_pktmbuf_free(m);
				break;
			default:
				rte_pktmbuf_free(m);
				break;
			}
		}
	}
}
