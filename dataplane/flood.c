/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flooding of BUM frames (broadcast, unknown unicast, multicast) within a
 * link: one copy to each local member (access port and VLAN) but the one
 * the frame came in on, and, with VX_FLOOD_LOCAL_AND_VTEPS (frames from an
 * access port), one copy to each VTEP of the link's flood list (the
 * all-zero MAC entries, a link's multicast group among them) that belongs
 * to the link; for a multicast MAC with an FDB entry of its own, one copy
 * to that entry's VTEP instead (vx_flood_one_vtep(), as the kernel sends it).
 * Frames from the overlay never go back into it (split horizon:
 * VX_FLOOD_LOCAL_ONLY), nor do the ARP/NS requests a proxy link answers
 * itself (link_punt.c).
 *
 * VTEP copies share the payload: each is an indirect clone of the frame
 * (rte_pktmbuf_clone, an mbuf from dp->hdr_pool) behind a header mbuf
 * that vx_encap_one() chains in front, never a full copy. Local copies
 * are real copies (rte_pktmbuf_copy) because each may need its own VLAN
 * tag; the last local member gets the frame itself when that is safe.
 *
 * Storm control: a link with a `bum-rate` lets each worker flood at most
 * its share of that rate, checked before any copy is made, so a storm
 * costs one TSC read and a compare per frame instead of a fan-out.
 */

#include <rte_mbuf.h>

#include "stages.h"

static inline void
send_local(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m,
	   const struct vx_member *mb)
{
	if (unlikely(vx_vlan_push(&m, mb->vlan) != 0)) {
		vx_drop_bd(w, m, VX_DROP_NO_MBUF, mb->port, bd->bd);
		return;
	}
	vx_tx_enqueue(w, mb->port, m);
}

/* Storm control: may one more BUM frame of bd be flooded (GCRA, vx_gcra_admit())? */
static inline bool
bum_admit(struct vx_worker *w, const struct vx_bd *bd)
{
	if (likely(bd->bum_interval == 0))
		return true;
	return vx_gcra_admit(&w->bum_tat[bd->bd], bd->bum_interval, bd->bum_tau, rte_rdtsc());
}

/* m to the local members but (in_port, in_vlan) and to the VTEPs vteps[0 .. n_flood). */
static __rte_always_inline void
flood(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint16_t in_port,
      uint16_t in_vlan, const uint32_t *vteps, unsigned int n_flood, uint32_t flow_hash)
{
	struct vx_dp *dp = w->dp;
	struct vx_lcore_stats *st = w->st;
	const struct vx_member *last = NULL;
	unsigned int i, copies = 0;
	bool cloned = false;
	struct rte_mbuf *c;

	if (unlikely(!bum_admit(w, bd))) {
		vx_drop_bd(w, m, VX_DROP_BUM_RATE, in_port, bd->bd);
		return;
	}
	for (i = 0; i < n_flood; i++) {
		const struct vx_vtep *vt = vx_deref(dp->vtep[vteps[i]]);

		/* Gone, or its index reused by another link: that copy is dropped. */
		if (unlikely(vt == NULL || vt->bd != bd->bd)) {
			vx_count_drop(st, VX_DROP_VTEP_GONE, in_port);
			st->bd[bd->bd].drops++;
			continue;
		}
		c = rte_pktmbuf_clone(m, dp->hdr_pool);
		if (unlikely(c == NULL)) {
			vx_count_drop(st, VX_DROP_NO_MBUF, vt->port);
			st->bd[bd->bd].drops++;
			continue;
		}
		cloned = true;
		copies++;
		vx_encap_one(w, vt, c, flow_hash);
	}

	for (i = 0; i < bd->n_members; i++) {
		const struct vx_member *mb = &bd->members[i];

		if (mb->port == in_port && mb->vlan == in_vlan)
			continue;
		if (last != NULL) {
			c = rte_pktmbuf_copy(m, dp->pool, 0, UINT32_MAX);
			if (unlikely(c == NULL)) {
				vx_count_drop(st, VX_DROP_NO_MBUF, last->port);
				st->bd[bd->bd].drops++;
			} else {
				copies++;
				send_local(w, bd, c, last);
			}
		}
		last = mb;
	}

	if (copies == 0 && last == NULL) {
		vx_drop_bd(w, m, VX_DROP_NO_FLOOD, in_port, bd->bd);
		return;
	}
	st->bd[bd->bd].flood_pkts++;
	if (last != NULL) {
		/* The frame itself, unless clones share its data and it needs a tag. */
		if (!cloned || last->vlan == 0) {
			copies++;
			send_local(w, bd, m, last);
			m = NULL;
		} else {
			c = rte_pktmbuf_copy(m, dp->pool, 0, UINT32_MAX);
			if (unlikely(c == NULL)) {
				vx_count_drop(st, VX_DROP_NO_MBUF, last->port);
				st->bd[bd->bd].drops++;
			} else {
				copies++;
				send_local(w, bd, c, last);
			}
		}
	}
	st->event[VX_EV_FLOOD_COPIES] += copies;
	if (m != NULL)
		rte_pktmbuf_free(m);
}

void
vx_flood_one(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint16_t in_port,
	     uint16_t in_vlan, enum vx_flood_to to, uint32_t flow_hash)
{
	flood(w, bd, m, in_port, in_vlan, bd->flood,
	      to == VX_FLOOD_LOCAL_AND_VTEPS ? bd->n_flood : 0, flow_hash);
}

void
vx_flood_one_vtep(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint16_t in_port,
		  uint16_t in_vlan, uint32_t vtep, uint32_t flow_hash)
{
	flood(w, bd, m, in_port, in_vlan, &vtep, 1, flow_hash);
}
