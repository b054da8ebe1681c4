/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB lookup and forwarding that the access and decap stages share.
 *
 * A stage first keeps the frames of a burst that go on (struct
 * vx_fwd_burst: the frame, its link, its access VLAN) and collects their
 * FDB keys: the source MACs it wants refreshed or learned, then the
 * unicast destination MACs, each with the index of its frame (didx). One
 * bulk lookup serves both (vx_fwd_lookup()). vx_fwd_burst() then sends
 * every kept frame where its destination entry says:
 *   no entry (BUM, or unknown unicast): flooded, to the link's local
 *     members and, from an access port, to the VTEPs of its flood list
 *     (an unknown unicast on a link without one is an l2miss, miss.c);
 *   a VTEP: encapsulated, from an access port (a multicast MAC's entry:
 *     flooded to that VTEP instead of the flood list); dropped (split
 *     horizon) from the overlay, which never sends back into it;
 *   a `router` entry on an `rsc` link, from an access port: first given to
 *     route short-circuit (rsc.c), which may turn it into the host's;
 *   a local port and VLAN: tagged and queued; from an access port, not
 *     back to the port and VLAN it came from.
 * The stage learns from the sources' entries afterwards, in its own way.
 *
 * Everything is inlined with from_access a constant, so each stage gets
 * its own copy without the other's tests.
 */
#ifndef VX_DP_FWD_H
#define VX_DP_FWD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "encap.h"
#include "stages.h"

/*
 * Frames of one burst kept for forwarding, and their lookups. key[] holds
 * the sources from 0 and the destinations from n (the burst's size) while
 * the stage collects them; vx_fwd_lookup() moves the destinations down to
 * follow the sources, so that ent[ns + j] is destination j's entry.
 */
struct vx_fwd_burst {
	struct rte_mbuf *m[VX_BURST];
	const struct vx_bd *bd[VX_BURST];
	uint16_t vid[VX_BURST];	    /* access VLAN (0 untagged); not set by decap */
	uint8_t didx[VX_BURST];	    /* frame (index in m[]) of destination j */
	uint64_t key[2 * VX_BURST]; /* vx_fdb_key()s: sources, then destinations */
	uint64_t ent[2 * VX_BURST]; /* their entry words, 0 = none */
	int32_t pos[2 * VX_BURST];  /* their FDB positions, -1 = none */
};

/* One bulk lookup for ns sources and nd destinations collected from a burst of n. */
static __rte_always_inline void
vx_fwd_lookup(const struct vx_dp *dp, struct vx_fwd_burst *b, unsigned int n, unsigned int ns,
	      unsigned int nd)
{
	if (ns != n && nd != 0)
		memmove(b->key + ns, b->key + n, nd * sizeof(b->key[0]));
	vx_fdb_lookup_bulk_seen(&dp->fdb, b->key, ns + nd, ns, b->ent, b->pos);
}

/* Encapsulated frames of one link in a row: counted once per run, not per frame. */
struct vx_encap_run {
	uint16_t bd; /* 0 (never used) before the first */
	uint64_t pkts, bytes;
};

static __rte_always_inline void
fwd_run_count(struct vx_lcore_stats *st, struct vx_encap_run *r)
{
	st->bd[r->bd].encap_pkts += r->pkts;
	st->bd[r->bd].encap_bytes += r->bytes;
}

/*
 * m to the VTEP of entry e (access only). A VTEP that is gone, or that
 * belongs to another link (its index reused since the entry was written),
 * is never used: its header would carry another VNI.
 */
static __rte_always_inline void
fwd_remote(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint64_t e,
	   uint16_t port, struct vx_encap_run *run)
{
	uint32_t idx = vx_fdb_index(e), len;
	const struct vx_vtep *vt = idx < VX_MAX_VTEP ? vx_deref(w->dp->vtep[idx]) : NULL;

	if (unlikely(vt == NULL || vt->bd != bd->bd)) {
		vx_drop_bd(w, m, VX_DROP_VTEP_GONE, port, bd->bd);
		return;
	}
	len = rte_pktmbuf_pkt_len(m);
	if (likely(vx_encap_inline(w, vt, m, vx_flow_hash(m)))) {
		if (unlikely(vt->bd != run->bd)) {
			fwd_run_count(w->st, run);
			run->bd = vt->bd;
			run->pkts = run->bytes = 0;
		}
		run->pkts++;
		run->bytes += len;
	}
}

/* m to the local port and VLAN of entry e; from access, never back where it came from. */
static __rte_always_inline void
fwd_local(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint64_t e,
	  uint16_t port, uint16_t vid, bool from_access)
{
	uint16_t op = vx_fdb_index(e), ov = vx_fdb_vlan(e);

	if (from_access && unlikely(op == port && ov == vid)) {
		vx_drop_bd(w, m, VX_DROP_SAME_PORT, port, bd->bd);
		return;
	}
	if (unlikely(vx_vlan_push(&m, ov) != 0)) {
		vx_drop_bd(w, m, VX_DROP_NO_MBUF, op, bd->bd);
		return;
	}
	if (from_access)
		w->st->bd[bd->bd].local_pkts++;
	vx_tx_enqueue(w, op, m);
}

/*
 * Forward the k kept frames of b from port after vx_fwd_lookup() with ns
 * sources and nd destinations. Frame i's entry is the next destination's
 * when didx names it (unicast), else none (BUM, flooded without a lookup).
 */
static __rte_always_inline void
vx_fwd_burst(struct vx_worker *w, const struct vx_fwd_burst *b, unsigned int k, unsigned int ns,
	     unsigned int nd, uint16_t port, bool from_access)
{
	struct vx_encap_run run = {0, 0, 0};
	unsigned int i, j;

	for (i = 0, j = 0; i < k; i++) {
		struct rte_mbuf *m = b->m[i];
		const struct vx_bd *bd = b->bd[i];
		uint16_t vid = from_access ? b->vid[i] : UINT16_MAX;
		uint64_t e = 0;

		if (likely(j < nd && b->didx[j] == i))
			e = b->ent[ns + j++];
		if (from_access && unlikely(e & VX_FDB_ROUTER) && (bd->flags & VX_BD_RSC))
			e = vx_rsc(w, bd, m, e);

		if (e == 0) {
			if (from_access) {
				if (unlikely(bd->n_flood == 0))
					vx_miss_no_catch_all(w, bd, m);
				vx_flood_one(w, bd, m, port, vid, VX_FLOOD_LOCAL_AND_VTEPS,
					     vx_flow_hash(m));
			} else {
				vx_flood_one(w, bd, m, port, vid, VX_FLOOD_LOCAL_ONLY, 0);
			}
		} else if (e & VX_FDB_REMOTE) {
			if (!from_access)
				vx_drop_bd(w, m, VX_DROP_SPLIT_HORIZON, port, bd->bd);
			else if (unlikely(bd->flags & VX_BD_MCAST_FDB) &&
				 vx_mac_is_mcast(rte_pktmbuf_mtod(m, const uint8_t *)))
				/* A multicast MAC's entry: its VTEP instead of the flood list. */
				vx_flood_one_vtep(w, bd, m, port, vid, vx_fdb_index(e),
						  vx_flow_hash(m));
			else
				fwd_remote(w, bd, m, e, port, &run);
		} else {
			fwd_local(w, bd, m, e, port, vid, from_access);
		}
	}
	if (from_access)
		fwd_run_count(w->st, &run); /* bd 0 (never used) gets 0 when nothing ran */
}

#endif /* VX_DP_FWD_H */
