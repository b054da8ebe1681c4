/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Access rx: frames from hosts on an access port.
 *
 *   (port, VLAN or untagged) -> link, through port->vlan_bd[]; tag removed
 *   learn the source MAC -> (port, VLAN), through the learn ring
 *   destination MAC: local port (re-tag, send), remote VTEP (encap),
 *                    BUM or unknown (flood: other local members + VTEPs)
 *
 * One FDB bulk lookup for the sources and the destinations of the
 * burst together. Source MACs are learned on every link: `nolearning` stops
 * remote learning only (decap), as with a kernel vxlan device under a
 * bridge whose ports learn. Unknown destinations of a nolearning/proxy
 * link are flooded by the flood list as the kernel does; with no flood
 * list (no catch-all) an unknown unicast reaches the local members only,
 * and is reported with `l2miss` (miss.c). As in the kernel, a multicast
 * MAC with an FDB entry (only then are BUM destinations looked up) goes to
 * that entry's VTEP instead of the flood list, and a frame to a `router`
 * entry on an `rsc` link may be switched straight to its host (rsc.c).
 */

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "fwd.h"
#include "link_punt.h"

#define PREFETCH_AHEAD 4

/* VID of the frame (0 untagged) and the tag removed. */
static inline uint16_t
untag(struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint16_t vid = 0;

	if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) {
		vid = m->vlan_tci & 0xfff;
	} else if (rte_pktmbuf_data_len(m) >= RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN &&
		   eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(eh + 1);

		vid = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		rte_vlan_strip(m);
	}
	/* A store only when there is something to clear (the mbuf line stays clean). */
	if (unlikely(m->ol_flags & (RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED)))
		m->ol_flags &= ~(RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
	return vid;
}

/* Every frame of a burst from a port that is down or not an access port. */
static void
access_refuse(struct vx_worker *w, const struct vx_port *pt, uint16_t port, struct rte_mbuf **pkts,
	      uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		w->st->port[port].rx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
		vx_drop_pkt(w, pkts[i], pt == NULL ? VX_DROP_PORT_DOWN : VX_DROP_ACCESS_UNMAPPED,
			    port);
	}
}

/*
 * One frame of a burst of n: its link, checks, the frames the control
 * thread takes (link_punt.c); a frame that goes on is kept as b->m[*k]
 * with its source key (every kept frame has its source looked up: local
 * MACs are learned whatever `learning` says, which is about remote ones)
 * and, when unicast, its destination key.
 */
static __rte_always_inline void
access_classify(struct vx_worker *w, const struct vx_port *pt, uint16_t port, struct rte_mbuf *m,
		struct vx_fwd_burst *b, unsigned int n, unsigned int *k, unsigned int *nd)
{
	const struct rte_ether_hdr *eh;
	const struct vx_bd *bd;
	uint64_t sk, dk;
	uint16_t v, bdi;

	v = untag(m);
	bdi = pt->vlan_bd[v];
	bd = bdi != 0 ? vx_deref(w->dp->bd[bdi]) : NULL;
	if (unlikely(bd == NULL)) {
		vx_drop_pkt(w, m, VX_DROP_ACCESS_UNMAPPED, port);
		return;
	}
	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)) {
		vx_drop_bd(w, m, VX_DROP_RUNT, port, bdi);
		return;
	}
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	/* Still tagged after its access tag went (QinQ): refused as decap refuses it. */
	if (unlikely(eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
		     eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_QINQ)) &&
	    !(bd->flags & VX_BD_INNER_VLAN)) {
		vx_drop_bd(w, m, VX_DROP_INNER_VLAN, port, bdi);
		return;
	}
	sk = vx_fdb_key_hdr(bdi, eh->src_addr.addr_bytes);
	if (unlikely(!vx_fdb_key_src_ok(sk))) {
		vx_drop_bd(w, m, VX_DROP_SRC_MAC, port, bdi);
		return;
	}
	if (unlikely(bd->flags & VX_BD_PUNT_MASK) &&
	    vx_link_punt(w, bd, m, 0, rte_pktmbuf_pkt_len(m), port, v))
		return;
	b->m[*k] = m;
	b->bd[*k] = bd;
	b->vid[*k] = v;
	b->key[*k] = sk;
	dk = vx_fdb_key_hdr(bdi, eh->dst_addr.addr_bytes);
	/* BUM destinations are looked up only on a link with multicast MAC entries. */
	if (!vx_fdb_key_mcast(dk) || unlikely(bd->flags & VX_BD_MCAST_FDB)) {
		b->key[n + *nd] = dk;
		b->didx[(*nd)++] = *k;
	}
	(*k)++;
}

/*
 * Learning from the k kept frames' sources: refreshed when the entry says
 * this port and VLAN, else a learn request (missing, moved), unless the
 * entry is static.
 */
static __rte_always_inline void
access_learn(struct vx_worker *w, uint16_t port, const struct vx_fwd_burst *b, unsigned int k)
{
	struct vx_dp *dp = w->dp;
	struct vx_learn_batch lb;
	uint32_t now = vx_dp_now(dp);

	vx_learn_init(&lb);
	for (unsigned int i = 0; i < k; i++) {
		uint64_t e = b->ent[i];
		struct vx_learn_req *r;

		if (e != 0 && !(e & VX_FDB_REMOTE) && vx_fdb_index(e) == port &&
		    vx_fdb_vlan(e) == b->vid[i]) {
			vx_fdb_touch(&dp->fdb, b->pos[i], now);
			continue;
		}
		if (e & VX_FDB_STATIC) {
			w->st->event[VX_EV_LEARN_STATIC]++;
			continue;
		}
		r = vx_learn_add(&lb, b->key[i]);
		if (r != NULL) {
			r->entry = vx_fdb_local(port, b->vid[i], 0);
			r->worker = w->id;
			r->epoch = b->bd[i]->epoch;
		}
	}
	vx_learn_flush(w, &lb);
}

static void
access_chunk(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vx_port *pt = vx_deref(w->dp->port[port]);
	struct vx_fwd_burst b;
	unsigned int i, k = 0, nd = 0;
	uint64_t bytes = 0;

	w->st->port[port].rx_pkts += n;
	if (unlikely(pt == NULL || !(pt->flags & VX_PORT_ACCESS))) {
		access_refuse(w, pt, port, pkts, n);
		return;
	}
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		bytes += rte_pktmbuf_pkt_len(pkts[i]); /* as received, tag included */
		access_classify(w, pt, port, pkts[i], &b, n, &k, &nd);
	}
	w->st->port[port].rx_bytes += bytes;
	if (k == 0)
		return;
	/* Every kept frame's source is looked up: ns == k, key[i] is frame i's source. */
	vx_fwd_lookup(w->dp, &b, n, k, nd);
	vx_fwd_burst(w, &b, k, k, nd, port, true);
	access_learn(w, port, &b, k);
}

uint16_t
vx_access_burst(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i += VX_BURST)
		access_chunk(w, port, pkts + i, RTE_MIN(n - i, VX_BURST));
	return n;
}
