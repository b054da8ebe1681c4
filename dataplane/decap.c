/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decap: VXLAN frames from an underlay port into their link.
 *
 *   parse outer Ethernet/IP/UDP/VXLAN (parse.c), checked in wire order;
 *   ARP, ND and ICMP for us go to the control thread (punt ring);
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

#include "overlay.h"
#include "stages.h"

#define PREFETCH_AHEAD 4

static void
decap_chunk(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	struct vx_dp *dp = w->dp;
	struct vx_lcore_stats *st = w->st;
	const struct vx_port *pt = vx_deref(dp->port[port]);
	const struct vx_local *loc = vx_deref(dp->local);
	struct rte_mbuf *ok[VX_BURST];
	const struct vx_bd *obd[VX_BURST];
	struct vx_ip osrc[VX_BURST];
	uint16_t osport[VX_BURST];
	uint64_t skey[2 * VX_BURST], res[2 * VX_BURST];
	int32_t pos[2 * VX_BURST];
	uint8_t sidx[VX_BURST], didx[VX_BURST];
	unsigned int i, k = 0, ns = 0, nd = 0, j;
	struct vx_learn_batch lb;
	uint32_t now = vx_dp_now(dp);
	uint64_t bytes = 0, bd_bytes = 0;
	/* Consecutive frames of one VNI: one vni_bd/bd lookup, one counter update. */
	uint32_t last_vni = UINT32_MAX;
	const struct vx_bd *bd = NULL;
	uint16_t b = 0, bd_pkts = 0;

	for (i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	st->port[port].rx_pkts += n;
	st->port[port].rx_bytes += bytes;
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
		const struct rte_ether_addr *da = (const struct rte_ether_addr *)buf;
		uint32_t flags = VX_PARSE_UDP6_ZCSUM;
		const struct rte_ether_hdr *ih;
		struct vx_parsed p;
		bool ours;
		int rc;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)) {
			vx_drop_pkt(w, m, VX_DROP_RUNT, port);
			continue;
		}
		ours = rte_is_same_ether_addr(da, &pt->mac);
		if (unlikely(!ours && !rte_is_multicast_ether_addr(da))) {
			vx_drop_pkt(w, m, VX_DROP_UL_NOT_FOR_US, port);
			continue;
		}
		if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
			flags |= VX_PARSE_IP_CSUM_OK;
		if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
			flags |= VX_PARSE_L4_CSUM_OK;
		rc = vx_parse_underlay(buf, rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m), loc,
				       flags, &p);
		if (unlikely(rc == VX_PARSE_DROP)) {
			vx_drop_pkt(w, m, p.drop, port);
			continue;
		}
		if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) /* the NIC took the tag off */
			p.vlan = m->vlan_tci & 0xfff;
		/* Broadcast and multicast only for ARP, ND and ICMPv6 to ff02::/16. */
		if (unlikely(!ours && rc != VX_PARSE_PUNT)) {
			vx_drop_pkt(w, m, VX_DROP_UL_NOT_FOR_US, port);
			continue;
		}
		if (unlikely(p.vlan != pt->underlay_vlan)) {
			vx_drop_pkt(w, m, VX_DROP_UL_VLAN, port);
			continue;
		}
		if (unlikely(rc == VX_PARSE_PUNT)) {
			m->port = port;
			vx_punt(w, m, p.punt, 0, port);
			continue;
		}
		if (unlikely(p.l4_csum_todo)) {
			const void *iph = buf + p.l3_off;
			int bad = p.family == AF_INET
					  ? rte_ipv4_udptcp_cksum_mbuf_verify(m, iph, p.l4_off)
					  : rte_ipv6_udptcp_cksum_mbuf_verify(m, iph, p.l4_off);

			if (bad) {
				vx_drop_pkt(w, m, VX_DROP_UDP_CSUM, port);
				continue;
			}
		}
		if (p.vni != last_vni) {
			if (bd_pkts != 0) {
				st->bd[b].decap_pkts += bd_pkts;
				st->bd[b].decap_bytes += bd_bytes;
				bd_pkts = 0;
				bd_bytes = 0;
			}
			last_vni = p.vni;
			b = vx_vni_bd(dp, p.vni);
			bd = b != 0 ? vx_deref(dp->bd[b]) : NULL;
		}
		if (unlikely(bd == NULL)) {
			vx_drop_pkt(w, m, VX_DROP_VNI_UNKNOWN, port);
			continue;
		}
		if (unlikely(bd->dstport != p.dport)) {
			vx_drop_bd(w, m, VX_DROP_VNI_PORT, port, b);
			continue;
		}
		if (unlikely(p.udp_csum == 0 && p.family == AF_INET6 &&
			     !(bd->flags & VX_BD_UDP6ZCSUM_RX))) {
			vx_drop_bd(w, m, VX_DROP_UDP6_ZERO_CSUM, port, b);
			continue;
		}
		if (unlikely(p.inner_tagged && !(bd->flags & VX_BD_INNER_VLAN))) {
			vx_drop_bd(w, m, VX_DROP_INNER_VLAN, port, b);
			continue;
		}
		ih = (const struct rte_ether_hdr *)(buf + p.inner_off);
		if (unlikely(!vx_mac_src_ok(ih->src_addr.addr_bytes))) {
			vx_drop_bd(w, m, VX_DROP_SRC_MAC, port, b);
			continue;
		}
		if (unlikely(bd->flags & VX_BD_OVL_MASK) &&
		    vx_overlay_input(w, bd, m, p.inner_off, p.inner_len, port, UINT16_MAX))
			continue;
		if (bd->flags & VX_BD_LEARNING) {
			skey[ns] = vx_fdb_key_hdr(b, ih->src_addr.addr_bytes);
			osrc[k] = p.src;
			osport[k] = p.sport;
			sidx[ns++] = k;
		}
		if (!vx_mac_is_mcast(ih->dst_addr.addr_bytes)) {
			skey[n + nd] = vx_fdb_key_hdr(b, ih->dst_addr.addr_bytes);
			didx[nd++] = k;
		}

		/* Strip the outer headers and any Ethernet padding after the IP packet. */
		rte_pktmbuf_adj(m, p.inner_off);
		if (rte_pktmbuf_pkt_len(m) > p.inner_len)
			rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - p.inner_len);
		m->ol_flags = 0;
		bd_pkts++;
		bd_bytes += p.inner_len;
		ok[k] = m;
		obd[k] = bd;
		k++;
	}
	if (bd_pkts != 0) {
		st->bd[b].decap_pkts += bd_pkts;
		st->bd[b].decap_bytes += bd_bytes;
	}
	if (k == 0)
		return;

	/*
	 * One bulk lookup for the sources and the destinations of the burst.
	 * The destinations' keys went in after the first n; they move down
	 * only when fewer than n sources came before them.
	 */
	if (ns + nd != 0) {
		if (ns != n && nd != 0)
			memmove(skey + ns, skey + n, nd * sizeof(skey[0]));
		vx_fdb_lookup_bulk_seen(&dp->fdb, skey, ns + nd, ns, res, pos);
	}

	/*
	 * Destinations: local ports only; BUM and unknown to local members.
	 * Frame i's entry is the next looked-up one when didx names it.
	 */
	for (i = 0, j = 0; i < k; i++) {
		struct rte_mbuf *m = ok[i];
		const struct vx_bd *bd = obd[i];
		uint64_t e = 0;
		uint16_t op;

		if (likely(j < nd && didx[j] == i))
			e = res[ns + j++];

		if (e == 0) {
			vx_flood_one(w, bd, m, port, UINT16_MAX, 0, 0);
			continue;
		}
		if (unlikely(e & VX_FDB_REMOTE)) {
			vx_drop_bd(w, m, VX_DROP_SPLIT_HORIZON, port, bd->bd);
			continue;
		}
		op = vx_fdb_index(e);
		if (unlikely(vx_vlan_push(&m, vx_fdb_vlan(e)) != 0)) {
			vx_drop_bd(w, m, VX_DROP_NO_MBUF, op, bd->bd);
			continue;
		}
		vx_tx_enqueue(w, op, m);
	}

	/* Learning: inner source -> (link, outer source address). */
	if (ns != 0) {
		vx_learn_init(&lb);
		for (j = 0; j < ns; j++) {
			const struct vx_ip *src = &osrc[sidx[j]];
			uint64_t e = res[j];
			struct vx_learn_req *r;

			if (e & VX_FDB_REMOTE) {
				uint32_t idx = vx_fdb_index(e);
				const struct vx_vtep *vt =
					idx < VX_MAX_VTEP ? vx_deref(dp->vtep[idx]) : NULL;

				if (vt != NULL && vx_ip_eq(&vt->remote, src)) {
					vx_fdb_touch(&dp->fdb, pos[j], now);
					continue;
				}
			}
			if (e & VX_FDB_STATIC) {
				st->event[VX_EV_LEARN_STATIC]++;
				continue;
			}
			r = vx_learn_add(&lb, skey[j]);
			if (r != NULL) {
				r->entry = 0;
				r->remote = *src;
				r->udp_sport = osport[sidx[j]];
				r->worker = w->id;
				r->epoch = obd[sidx[j]]->epoch;
			}
		}
		vx_learn_flush(w, &lb);
	}
}

uint16_t
vx_decap_burst(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i += VX_BURST)
		decap_chunk(w, port, pkts + i, RTE_MIN(n - i, VX_BURST));
	return n;
}
