/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decap: VXLAN frames from an underlay port into their link.
 *
 *   parse outer Ethernet/IP/UDP/VXLAN (parse.c), checked in wire order,
 *   to one of our addresses or a multicast group a link listens to;
 *   ARP, ND, ICMP, IGMP and MLD for us go to the control thread (punt ring);
 *   VNI -> link; the link's UDP port; inner 802.1Q only if allowed;
 *   outer headers stripped;
 *   learn the inner source MAC -> (link, outer source IP) when learning;
 *   inner destination MAC: local port (re-tag, send) or BUM/unknown
 *   (flood to local members only). A destination behind another VTEP is
 *   dropped: the overlay never sends back into the overlay.
 *
 * UDP checksums: the NIC's verdict when it gives one (RTE_MBUF_F_RX_L4_
 * CKSUM_GOOD; BAD is checked again in software), software otherwise.
 */

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "fwd.h"
#include "link_punt.h"

#define PREFETCH_AHEAD 4

/*
 * Consecutive frames of one VNI: one vni_bd/bd lookup and one counter
 * update per run.
 */
struct decap_run {
	uint32_t vni; /* UINT32_MAX before the first frame */
	uint16_t b;   /* its bd index, 0 = none */
	const struct vx_bd *bd;
	uint16_t pkts;
	uint64_t bytes;
};

static __rte_always_inline void
run_count(struct vx_lcore_stats *st, struct decap_run *r)
{
	if (r->pkts != 0) {
		st->bd[r->b].decap_pkts += r->pkts;
		st->bd[r->b].decap_bytes += r->bytes;
		r->pkts = 0;
		r->bytes = 0;
	}
}

/* The link of vni, from the run when it is the run's VNI. */
static __rte_always_inline const struct vx_bd *
run_link(struct vx_worker *w, struct decap_run *r, uint32_t vni)
{
	if (vni != r->vni) {
		run_count(w->st, r);
		r->vni = vni;
		r->b = vx_vni_bd(w->dp, vni);
		r->bd = r->b != 0 ? vx_deref(w->dp->bd[r->b]) : NULL;
	}
	return r->bd;
}

/* The UDP checksum of a chained frame, which the parser could not verify in one segment. */
static inline bool
decap_csum_bad(struct rte_mbuf *m, const uint8_t *buf, const struct vx_parsed *p)
{
	const void *iph = buf + p->l3_off;

	return p->family == AF_INET ? rte_ipv4_udptcp_cksum_mbuf_verify(m, iph, p->l4_off)
				    : rte_ipv6_udptcp_cksum_mbuf_verify(m, iph, p->l4_off);
}

/*
 * The NIC's checksum verdicts on the outer headers, as vx_parse_underlay()
 * flags. When the NIC parsed the tunnel (a tunnel packet type), the
 * RX_IP/L4_CKSUM flags describe the inner headers and only the RX_OUTER_*
 * ones are about ours; DPDK has no "good" flag for an outer IPv4 header,
 * so that one is always checked in software then.
 */
static __rte_always_inline uint32_t
decap_hw_csum(const struct rte_mbuf *m)
{
	uint32_t flags = 0;

	if (unlikely(m->packet_type & RTE_PTYPE_TUNNEL_MASK)) {
		if ((m->ol_flags & RTE_MBUF_F_RX_OUTER_L4_CKSUM_MASK) ==
		    RTE_MBUF_F_RX_OUTER_L4_CKSUM_GOOD)
			flags |= VX_PARSE_L4_CSUM_OK;
		return flags;
	}
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		flags |= VX_PARSE_IP_CSUM_OK;
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		flags |= VX_PARSE_L4_CSUM_OK;
	return flags;
}

/*
 * The outer headers of m (its data at buf), from an underlay port: our
 * MAC (or a broadcast or multicast one for what is punted), parsed in wire
 * order (parse.c), the port's underlay VLAN, the UDP checksum the parser
 * left to us. ARP, ND, ICMP, IGMP and MLD for us go to the control thread. Returns
 * true when m is a VXLAN frame for us (*p filled), false when it was
 * dropped or punted.
 */
static __rte_always_inline bool
decap_outer(struct vx_worker *w, const struct vx_port *pt, const struct vx_local *loc,
	    uint16_t port, struct rte_mbuf *m, const uint8_t *buf, struct vx_parsed *p)
{
	const struct rte_ether_addr *da = (const struct rte_ether_addr *)buf;
	uint32_t flags = VX_PARSE_UDP6_ZCSUM;
	bool ours;
	int rc;

	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)) {
		vx_drop_pkt(w, m, VX_DROP_RUNT, port);
		return false;
	}
	ours = rte_is_same_ether_addr(da, &pt->mac);
	if (unlikely(!ours && !rte_is_multicast_ether_addr(da))) {
		vx_drop_pkt(w, m, VX_DROP_UL_NOT_FOR_US, port);
		return false;
	}
	flags |= decap_hw_csum(m);
	rc = vx_parse_underlay(buf, rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m), loc, flags, p);
	if (unlikely(rc == VX_PARSE_DROP)) {
		vx_drop_pkt(w, m, p->drop, port);
		return false;
	}
	if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) /* the NIC took the tag off */
		p->vlan = m->vlan_tci & 0xfff;
	/* Broadcast and multicast only for punts and VXLAN to a joined group. */
	if (unlikely(!ours && rc != VX_PARSE_PUNT && !p->to_group)) {
		vx_drop_pkt(w, m, VX_DROP_UL_NOT_FOR_US, port);
		return false;
	}
	if (unlikely(p->vlan != pt->underlay_vlan)) {
		vx_drop_pkt(w, m, VX_DROP_UL_VLAN, port);
		return false;
	}
	if (unlikely(rc == VX_PARSE_PUNT)) {
		m->port = port;
		vx_punt(w, m, p->punt, p->punt_class, 0, port);
		return false;
	}
	if (unlikely(p->l4_csum_todo) && decap_csum_bad(m, buf, p)) {
		vx_drop_pkt(w, m, VX_DROP_UDP_CSUM, port);
		return false;
	}
	return true;
}

/*
 * What the link of a VXLAN frame asks of it, in wire order: its underlay
 * family and local address (a frame to a joined group: the family only),
 * its UDP port, a non-zero IPv6 UDP checksum
 * unless udp6zerocsumrx, no inner tag unless allowed, an inner source MAC
 * (ih) that may be learned and is not the link's own. 0 when the frame passes, else the drop reason.
 */
static __rte_always_inline enum vx_drop
decap_link_check(const struct vx_bd *bd, const struct vx_parsed *p, const struct rte_ether_hdr *ih)
{
	if (bd->local.family != 0 && !p->to_group) {
		if (unlikely(!vx_ip_eq(&bd->local, &p->dst)))
			return VX_DROP_VNI_UNDERLAY;
	} else if (unlikely(bd->family != 0 && bd->family != p->family)) {
		return VX_DROP_VNI_UNDERLAY;
	}
	if (unlikely(bd->dstport != p->dport))
		return VX_DROP_VNI_PORT;
	if (unlikely(p->udp_csum == 0 && p->family == AF_INET6 &&
		     !(bd->flags & VX_BD_UDP6ZCSUM_RX)))
		return VX_DROP_UDP6_ZERO_CSUM;
	if (unlikely(p->inner_tagged && !(bd->flags & VX_BD_INNER_VLAN)))
		return VX_DROP_INNER_VLAN;
	if (unlikely(!vx_mac_src_ok(ih->src_addr.addr_bytes)))
		return VX_DROP_SRC_MAC;
	if (unlikely(rte_is_same_ether_addr(&ih->src_addr, &bd->mac)))
		return VX_DROP_INNER_SRC_LINK;
	return 0;
}

/*
 * Frames of one burst kept for forwarding (b) and what learning needs of
 * them: the outer source address and UDP port of the frames whose inner
 * source is looked up, and the counts.
 */
struct decap_burst {
	struct vx_fwd_burst b;
	struct vx_ip osrc[VX_BURST]; /* outer source address of kept frame i */
	uint16_t osport[VX_BURST];   /* its outer UDP source port */
	uint8_t sidx[VX_BURST];	     /* kept frame of source key j */
};

/*
 * Keep m, a VXLAN frame of bd (index bi) whose outer headers are p: its
 * source key when the link learns, its destination key when unicast, the
 * outer headers and any Ethernet padding stripped. Kept frame k of a
 * burst of n; ns sources and nd destinations so far.
 */
static __rte_always_inline void
decap_keep(struct decap_burst *db, struct rte_mbuf *m, const struct vx_bd *bd, uint16_t bi,
	   const struct vx_parsed *p, const struct rte_ether_hdr *ih, unsigned int n,
	   unsigned int k, unsigned int *ns, unsigned int *nd)
{
	struct vx_fwd_burst *b = &db->b;

	if (bd->flags & VX_BD_LEARNING) {
		b->key[*ns] = vx_fdb_key_hdr(bi, ih->src_addr.addr_bytes);
		db->osrc[k] = p->src;
		db->osport[k] = p->sport;
		db->sidx[(*ns)++] = k;
	}
	if (!vx_mac_is_mcast(ih->dst_addr.addr_bytes)) {
		b->key[n + *nd] = vx_fdb_key_hdr(bi, ih->dst_addr.addr_bytes);
		b->didx[(*nd)++] = k;
	}
	rte_pktmbuf_adj(m, p->inner_off);
	vx_mbuf_cut(m, p->inner_len); /* Ethernet padding, in any segment */
	m->ol_flags = 0;
	b->m[k] = m;
	b->bd[k] = bd;
}

/*
 * Learning of one inner source, key, whose entry is e at pos: refreshed
 * when the entry names a VTEP of the link bd with the frame's outer source
 * address osrc, else a learn request into lb, unless the entry is static.
 */
static __rte_always_inline void
decap_learn_one(struct vx_worker *w, struct vx_learn_batch *lb, const struct vx_bd *bd,
		uint64_t key, uint64_t e, int32_t pos, const struct vx_ip *osrc, uint16_t osport,
		uint32_t now)
{
	struct vx_learn_req *r;

	if (e & VX_FDB_REMOTE) {
		uint32_t idx = vx_fdb_index(e);
		const struct vx_vtep *vt = idx < VX_MAX_VTEP ? vx_deref(w->dp->vtep[idx]) : NULL;

		if (vt != NULL && vt->bd == bd->bd && vx_ip_eq(&vt->remote, osrc)) {
			vx_fdb_touch(&w->dp->fdb, pos, now);
			return;
		}
	}
	if (e & VX_FDB_STATIC) {
		w->st->event[VX_EV_LEARN_STATIC]++;
		return;
	}
	r = vx_learn_add(lb, key);
	if (r != NULL) {
		r->entry = 0;
		r->remote = *osrc;
		r->udp_sport = osport;
		r->worker = w->id;
		r->epoch = bd->epoch;
	}
}

/* Learning: inner source -> (link, outer source address), for the ns sources of a burst. */
static __rte_always_inline void
decap_learn(struct vx_worker *w, const struct decap_burst *db, unsigned int ns)
{
	struct vx_learn_batch lb;
	uint32_t now = vx_dp_now(w->dp);

	vx_learn_init(&lb);
	for (unsigned int j = 0; j < ns; j++) {
		unsigned int i = db->sidx[j];

		decap_learn_one(w, &lb, db->b.bd[i], db->b.key[j], db->b.ent[j], db->b.pos[j],
				&db->osrc[i], db->osport[i], now);
	}
	vx_learn_flush(w, &lb);
}

/*
 * A frame to the link's own MAC (its overlay address), which the control
 * thread takes and answers: its source is learned first, on its own, so
 * that the answer finds the requester in the FDB (an answer is never
 * flooded).
 */
static __rte_noinline void
decap_learn_now(struct vx_worker *w, const struct vx_bd *bd, uint16_t bi, const struct vx_parsed *p,
		const struct rte_ether_hdr *ih)
{
	struct vx_learn_batch lb;
	uint64_t key = vx_fdb_key_hdr(bi, ih->src_addr.addr_bytes), e;
	int32_t pos;

	vx_fdb_lookup_bulk_seen(&w->dp->fdb, &key, 1, 1, &e, &pos);
	vx_learn_init(&lb);
	decap_learn_one(w, &lb, bd, key, e, pos, &p->src, p->sport, vx_dp_now(w->dp));
	vx_learn_flush(w, &lb);
}

static void
decap_chunk(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vx_port *pt = vx_deref(w->dp->port[port]);
	const struct vx_local *loc = vx_deref(w->dp->local);
	struct decap_run run = {UINT32_MAX, 0, NULL, 0, 0};
	unsigned int i, k = 0, ns = 0, nd = 0;
	struct decap_burst db;
	uint64_t bytes = 0;

	for (i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	w->st->port[port].rx_pkts += n;
	w->st->port[port].rx_bytes += bytes;
	if (unlikely(pt == NULL || loc == NULL || !(pt->flags & VX_PORT_UNDERLAY))) {
		for (i = 0; i < n; i++)
			vx_drop_pkt(w, pkts[i], VX_DROP_PORT_DOWN, port);
		return;
	}
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *buf = rte_pktmbuf_mtod(m, const uint8_t *);
		const struct rte_ether_hdr *ih;
		const struct vx_bd *bd;
		struct vx_parsed p;
		enum vx_drop why;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		if (!decap_outer(w, pt, loc, port, m, buf, &p))
			continue;
		bd = run_link(w, &run, p.vni);
		if (unlikely(bd == NULL)) {
			vx_drop_pkt(w, m, VX_DROP_VNI_UNKNOWN, port);
			continue;
		}
		ih = (const struct rte_ether_hdr *)(buf + p.inner_off);
		why = decap_link_check(bd, &p, ih);
		if (unlikely(why != 0)) {
			vx_drop_bd(w, m, why, port, run.b);
			continue;
		}
		if (unlikely(bd->flags & VX_BD_PUNT_MASK)) {
			if ((bd->flags & (VX_BD_LEARNING | VX_BD_OVL_ADDR)) ==
				    (VX_BD_LEARNING | VX_BD_OVL_ADDR) &&
			    rte_is_same_ether_addr(&ih->dst_addr, &bd->mac))
				decap_learn_now(w, bd, run.b, &p, ih);
			if (vx_link_punt(w, bd, m, p.inner_off, p.inner_len, port, UINT16_MAX))
				continue;
		}
		decap_keep(&db, m, bd, run.b, &p, ih, n, k++, &ns, &nd);
		run.pkts++;
		run.bytes += p.inner_len;
	}
	run_count(w->st, &run);
	if (k == 0)
		return;
	vx_fwd_lookup(w->dp, &db.b, n, ns, nd);
	vx_fwd_burst(w, &db.b, k, ns, nd, port, false);
	if (ns != 0)
		decap_learn(w, &db, ns);
}

uint16_t
vx_decap_burst(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i += VX_BURST)
		decap_chunk(w, port, pkts + i, RTE_MIN(n - i, VX_BURST));
	return n;
}
