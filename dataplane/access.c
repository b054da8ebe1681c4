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
 * link are flooded by the flood list as the kernel does.
 */

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "overlay.h"
#include "encap.h"

#define PREFETCH_AHEAD 4

/* VID of the frame (0 untagged) and the tag removed. */
static inline uint16_t
untag(struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint16_t vid = 0;

	if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) {
		vid = m->vlan_tci & 0xfff;
	} else if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
		   rte_pktmbuf_data_len(m) >= RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(eh + 1);

		vid = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		rte_vlan_strip(m);
	}
	/* A store only when there is something to clear (the mbuf line stays clean). */
	if (unlikely(m->ol_flags & (RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED)))
		m->ol_flags &= ~(RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
	return vid;
}

static void
access_chunk(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	struct vx_dp *dp = w->dp;
	struct vx_lcore_stats *st = w->st;
	const struct vx_port *pt = vx_deref(dp->port[port]);
	struct rte_mbuf *ok[VX_BURST];
	const struct vx_bd *obd[VX_BURST];
	uint16_t vid[VX_BURST];
	uint64_t skey[2 * VX_BURST], sent[2 * VX_BURST];
	int32_t spos[2 * VX_BURST];
	uint8_t didx[VX_BURST];
	unsigned int i, k = 0, nd = 0, j;
	struct vx_learn_batch lb;
	uint32_t now = vx_dp_now(dp);
	uint64_t bytes = 0, enc_pkts = 0, enc_bytes = 0;
	uint16_t enc_bd = 0;

	st->port[port].rx_pkts += n;
	if (unlikely(pt == NULL || !(pt->flags & VX_PORT_ACCESS))) {
		for (i = 0; i < n; i++) {
			st->port[port].rx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
			vx_drop_pkt(w, pkts[i],
				    pt == NULL ? VX_DROP_PORT_DOWN : VX_DROP_ACCESS_UNMAPPED, port);
		}
		return;
	}

	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct rte_ether_hdr *eh;
		const struct vx_bd *bd;
		uint64_t sk, dk;
		uint16_t v, b;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		bytes += rte_pktmbuf_pkt_len(m); /* as received, tag included */
		v = untag(m);
		b = pt->vlan_bd[v];
		bd = b != 0 ? vx_deref(dp->bd[b]) : NULL;
		if (unlikely(bd == NULL)) {
			vx_drop_pkt(w, m, VX_DROP_ACCESS_UNMAPPED, port);
			continue;
		}
		if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)) {
			vx_drop_bd(w, m, VX_DROP_RUNT, port, b);
			continue;
		}
		eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		sk = vx_fdb_key_hdr(b, eh->src_addr.addr_bytes);
		if (unlikely(!vx_fdb_key_src_ok(sk))) {
			vx_drop_bd(w, m, VX_DROP_SRC_MAC, port, b);
			continue;
		}
		if (unlikely(bd->flags & VX_BD_OVL_MASK) &&
		    vx_overlay_input(w, bd, m, 0, rte_pktmbuf_pkt_len(m), port, v))
			continue;
		ok[k] = m;
		obd[k] = bd;
		vid[k] = v;
		/*
		 * Local MACs are learned whatever `learning` says (it is about
		 * remote ones): every frame kept has its source looked up, so
		 * skey[i] is the source of ok[i].
		 */
		skey[k] = sk;
		dk = vx_fdb_key_hdr(b, eh->dst_addr.addr_bytes);
		if (!vx_fdb_key_mcast(dk)) {
			skey[n + nd] = dk;
			didx[nd++] = k;
		}
		k++;
	}
	st->port[port].rx_bytes += bytes;
	if (k == 0)
		return;

	/*
	 * One bulk lookup for the k sources and the destinations of the burst.
	 * The destinations' keys went in after the first n; they move down
	 * only when a frame was dropped.
	 */
	if (k != n && nd != 0)
		memmove(skey + k, skey + n, nd * sizeof(skey[0]));
	vx_fdb_lookup_bulk_seen(&dp->fdb, skey, k + nd, k, sent, spos);

	/*
	 * Destinations: frame i's entry is the next looked-up one when didx
	 * names it (unicast), else 0 (BUM, flooded without a lookup).
	 */
	for (i = 0, j = 0; i < k; i++) {
		struct rte_mbuf *m = ok[i];
		const struct vx_bd *bd = obd[i];
		uint64_t e = 0;
		uint32_t len;

		if (likely(j < nd && didx[j] == i))
			e = sent[k + j++];

		if (e == 0) {
			vx_flood_one(w, bd, m, port, vid[i], 1, vx_flow_hash(m));
		} else if (e & VX_FDB_REMOTE) {
			uint32_t idx = vx_fdb_index(e);
			const struct vx_vtep *vt =
				idx < VX_MAX_VTEP ? vx_deref(dp->vtep[idx]) : NULL;

			if (unlikely(vt == NULL)) {
				vx_drop_bd(w, m, VX_DROP_VTEP_GONE, port, bd->bd);
				continue;
			}
			len = rte_pktmbuf_pkt_len(m);
			if (likely(vx_encap_inline(w, vt, m, vx_flow_hash(m)))) {
				/* Counted per run of one link, not per frame. */
				if (unlikely(vt->bd != enc_bd)) {
					st->bd[enc_bd].encap_pkts += enc_pkts;
					st->bd[enc_bd].encap_bytes += enc_bytes;
					enc_bd = vt->bd;
					enc_pkts = enc_bytes = 0;
				}
				enc_pkts++;
				enc_bytes += len;
			}
		} else {
			uint16_t op = vx_fdb_index(e), ov = vx_fdb_vlan(e);

			if (unlikely(op == port && ov == vid[i])) {
				vx_drop_bd(w, m, VX_DROP_SAME_PORT, port, bd->bd);
				continue;
			}
			if (unlikely(vx_vlan_push(&m, ov) != 0)) {
				vx_drop_bd(w, m, VX_DROP_NO_MBUF, op, bd->bd);
				continue;
			}
			st->bd[bd->bd].local_pkts++;
			vx_tx_enqueue(w, op, m);
		}
	}

	st->bd[enc_bd].encap_pkts += enc_pkts; /* bd 0 (never used) gets 0 */
	st->bd[enc_bd].encap_bytes += enc_bytes;

	/* Learning: sources missing, moved, or on a static entry elsewhere. */
	vx_learn_init(&lb);
	for (i = 0; i < k; i++) {
		uint64_t e = sent[i];
		struct vx_learn_req *r;

		if (e != 0 && !(e & VX_FDB_REMOTE) && vx_fdb_index(e) == port &&
		    vx_fdb_vlan(e) == vid[i]) {
			vx_fdb_touch(&dp->fdb, spos[i], now);
			continue;
		}
		if (e & VX_FDB_STATIC) {
			st->event[VX_EV_LEARN_STATIC]++;
			continue;
		}
		r = vx_learn_add(&lb, skey[i]);
		if (r != NULL) {
			r->entry = vx_fdb_local(port, vid[i], 0);
			r->worker = w->id;
			r->epoch = obd[i]->epoch;
		}
	}
	vx_learn_flush(w, &lb);
}

uint16_t
vx_access_burst(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i += VX_BURST)
		access_chunk(w, port, pkts + i, RTE_MIN(n - i, VX_BURST));
	return n;
}
