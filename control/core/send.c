/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames the control thread sends into a link (answers to ARP, NS and
 * echo requests of the link's hosts), the way a frame from the link's
 * MAC would go: back out of the access port and VLAN the request came
 * from; for a request from the overlay, where the FDB says the requester
 * is (a local port, or encapsulated with that VTEP's outer header), and
 * nowhere when the FDB does not know it (an answer is never flooded: that
 * would amplify one request into a copy per VTEP). Everything leaves
 * through the control thread's transmit path (underlay/tx.c); a frame for
 * a VTEP whose next hop is unresolved waits on that neighbour as the
 * workers' frames do.
 */

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "core/core.h"
#include "underlay/underlay.h"
#include "vx_encap.h"

/*
 * The frame encapsulated for vt by the workers' header code (vx_encap_frame):
 * same outer header and UDP source port as a worker gives the same inner
 * frame, the IPv4 identification from this thread's own counter.
 */
static void
link_encap(struct vx_ctl *c, const struct vx_vtep *vt, const uint8_t *f, uint16_t len)
{
	struct rte_mbuf *m;
	enum vx_drop why;

	if (vt == NULL)
		return;
	m = vx_ul_frame_mbuf(c, f, len, 0, vt->port);
	if (m == NULL)
		return;
	m = vx_encap_frame(vt, m, vx_flow_hash_mbuf(m), c->core->ip_id++, c->dp->hdr_pool, &why);
	if (m == NULL) {
		vx_ctl_count_drop(c, why, vt->port);
		return;
	}
	if (c->dp->stats != NULL) {
		c->dp->stats[VX_STATS_CONTROL].bd[vt->bd].encap_pkts++;
		c->dp->stats[VX_STATS_CONTROL].bd[vt->bd].encap_bytes += len;
	}
	if (vt->flags & VX_VTEP_RESOLVED)
		vx_ul_tx_mbuf(c, vt->port, m);
	else
		vx_ul_queue_unresolved(c, vt, m); /* as the workers' unresolved frames */
}

void
vx_link_send(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
	     uint16_t in_port)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	struct rte_mbuf *m;
	uint64_t e;

	if (lo & VX_PUNT_OVL_ACCESS) {
		m = vx_ul_frame_mbuf(c, f, len, VX_PUNT_OVL_VID(lo), in_port);
		if (m != NULL)
			vx_ul_tx_mbuf(c, in_port, m);
		return;
	}
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &eh->dst_addr), NULL);
	if (e != 0 && (e & VX_FDB_REMOTE)) {
		uint32_t idx = vx_fdb_index(e);

		link_encap(c, idx < VX_MAX_VTEP ? vx_deref(c->dp->vtep[idx]) : NULL, f, len);
	} else if (e != 0) {
		m = vx_ul_frame_mbuf(c, f, len, vx_fdb_vlan(e), vx_fdb_index(e));
		if (m != NULL)
			vx_ul_tx_mbuf(c, vx_fdb_index(e), m);
	} else {
		/*
		 * Never flooded: one small request must not become a copy of the
		 * answer per VTEP of the flood list. The workers learn a
		 * requester before they hand its frame over, so this is a host
		 * the link does not learn (nolearning) or that aged out since.
		 */
		vx_ctl_count_drop(c, VX_DROP_REPLY_UNKNOWN, in_port);
	}
}
