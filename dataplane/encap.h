/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encapsulation, inline: the body of vx_encap_one() (encap.c, where the
 * whole stage is described), for the access stage's unicast loop, where the
 * call itself cost more than the A/B noise; flood.c and the control paths
 * call vx_encap_one().
 */
#ifndef VX_ENCAP_H
#define VX_ENCAP_H

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "stages.h"

/*
 * Returns true when m went on encapsulated (queued for tx or punted to wait
 * for the next hop), false when it was dropped (counted). The caller counts
 * encap_pkts/encap_bytes of vt->bd: per run of frames in the access stage,
 * per frame in vx_encap_one().
 */
static __rte_always_inline bool
vx_encap_inline(struct vx_worker *w, const struct vx_vtep *vt, struct rte_mbuf *m,
		uint32_t flow_hash)
{
	struct vx_dp *dp = w->dp;
	uint32_t inner_len = rte_pktmbuf_pkt_len(m);
	const uint8_t *inner = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t ip_len = inner_len + vt->len - vt->l3_off;
	struct rte_udp_hdr *uh;
	struct rte_mbuf *h;
	uint32_t l3_len;
	uint8_t *hdr, *ip;
	uint16_t sport;

	if (unlikely(vt->mtu != 0 && ip_len > vt->mtu)) {
		vx_drop_bd(w, m, VX_DROP_MTU, vt->port, vt->bd);
		return false;
	}

	if (likely(RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 &&
		   rte_pktmbuf_headroom(m) >= vt->len)) {
		h = m;
		hdr = (uint8_t *)rte_pktmbuf_prepend(m, vt->len);
	} else {
		h = rte_pktmbuf_alloc(dp->hdr_pool);
		if (unlikely(h == NULL)) {
			vx_drop_bd(w, m, VX_DROP_NO_MBUF, vt->port, vt->bd);
			return false;
		}
		hdr = (uint8_t *)rte_pktmbuf_append(h, vt->len);
		if (unlikely(hdr == NULL || rte_pktmbuf_chain(h, m) != 0)) {
			rte_pktmbuf_free_seg(h);
			vx_drop_bd(w, m, VX_DROP_NO_MBUF, vt->port, vt->bd);
			return false;
		}
		h->port = m->port;
	}
	/* Constant-size copies for the four template sizes (VLAN or not, v4 or v6). */
	switch (vt->len) {
	case VX_ENCAP4_LEN:
		memcpy(hdr, vt->hdr, VX_ENCAP4_LEN);
		break;
	case VX_ENCAP4_LEN + VX_VLAN_HLEN:
		memcpy(hdr, vt->hdr, VX_ENCAP4_LEN + VX_VLAN_HLEN);
		break;
	case VX_ENCAP6_LEN:
		memcpy(hdr, vt->hdr, VX_ENCAP6_LEN);
		break;
	case VX_ENCAP6_LEN + VX_VLAN_HLEN:
		memcpy(hdr, vt->hdr, VX_ENCAP6_LEN + VX_VLAN_HLEN);
		break;
	default:
		rte_memcpy(hdr, vt->hdr, vt->len);
		break;
	}
	h->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	ip = hdr + vt->l3_off;

	if (!(vt->flags & VX_VTEP_IPV6)) {
		/* Constant fields read from the template, not from the fresh copy. */
		const struct rte_ipv4_hdr *th = (const struct rte_ipv4_hdr *)(vt->hdr + vt->l3_off);
		struct rte_ipv4_hdr *ih = (struct rte_ipv4_hdr *)ip;
		uint16_t tl = rte_cpu_to_be_16((uint16_t)ip_len);
		uint32_t sum = vt->ip_csum_base + tl;

		if (!(th->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))) {
			/* May be fragmented on the way: a fresh identification. */
			uint16_t id = rte_cpu_to_be_16(w->ip_id++);

			sum += (uint16_t)~th->packet_id + id;
			ih->packet_id = id;
		}
		ih->total_length = tl;
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ih->hdr_checksum = (uint16_t)~sum;
		l3_len = (th->version_ihl & 0xf) * 4u;
	} else {
		struct rte_ipv6_hdr *ih = (struct rte_ipv6_hdr *)ip;

		l3_len = VX_IP6_HLEN;
		ih->payload_len = rte_cpu_to_be_16((uint16_t)(ip_len - VX_IP6_HLEN));
	}
	uh = (struct rte_udp_hdr *)(ip + l3_len);
	sport = rte_cpu_to_be_16(vx_srcport(flow_hash, vt->srcport_min, vt->srcport_max));
	uh->src_port = sport;
	uh->dgram_len = rte_cpu_to_be_16((uint16_t)(ip_len - l3_len));
	/* uh->dgram_cksum is 0 from the template (control/template.c). */
	if (vt->flags & VX_VTEP_UDPCSUM) {
		int v6 = vt->flags & VX_VTEP_IPV6;

		if (vt->flags & VX_VTEP_TX_CSUM) {
			h->l2_len = vt->l3_off;
			h->l3_len = l3_len;
			h->ol_flags |= (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
				       RTE_MBUF_F_TX_UDP_CKSUM;
			uh->dgram_cksum =
				v6 ? rte_ipv6_phdr_cksum((struct rte_ipv6_hdr *)ip, h->ol_flags)
				   : rte_ipv4_phdr_cksum((struct rte_ipv4_hdr *)ip, h->ol_flags);
		} else if (likely(m->nb_segs == 1)) {
			/*
			 * The template's constant words (vt->udp_csum_base), the
			 * UDP length (twice) and the inner frame in one pass, then
			 * the source port: last, so that the pass does not wait
			 * for the flow hash. Nothing is read back from the header
			 * just written.
			 */
			uint16_t ul = (uint16_t)(ip_len - l3_len);
			uint64_t sum;
			uint16_t c;

			sum = (uint64_t)vt->udp_csum_base + 2 * vx_cksum_be16(ul);
			sum = vx_cksum_add(inner, inner_len, sum);
			c = (uint16_t)~vx_cksum_fold(vx_cksum_add64(sum, sport));
			uh->dgram_cksum = c == 0 ? 0xffff : c;
		} else if (v6) {
			uh->dgram_cksum = rte_ipv6_udptcp_cksum_mbuf(h, (struct rte_ipv6_hdr *)ip,
								     vt->l3_off + l3_len);
		} else {
			uh->dgram_cksum = rte_ipv4_udptcp_cksum_mbuf(h, (struct rte_ipv4_hdr *)ip,
								     vt->l3_off + l3_len);
		}
	}

	if (likely(vt->flags & VX_VTEP_RESOLVED))
		vx_tx_enqueue(w, vt->port, h);
	else
		vx_punt(w, h, VX_PUNT_UNRESOLVED, vt->idx, vt->port);
	return true;
}

#endif /* VX_ENCAP_H */
