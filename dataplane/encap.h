/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encapsulation, inline (encap.c describes the stage). vx_encap_build() is
 * the one copy of the header code: the access stage's unicast loop inlines
 * it through vx_encap_inline() (it runs once per frame there), flood.c
 * calls vx_encap_one(), and the control thread calls vx_encap_frame()
 * (include/vx_encap.h).
 */
#ifndef VX_DP_ENCAP_H
#define VX_DP_ENCAP_H

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "stages.h"
#include "vx_encap.h"

/*
 * Room for vt's header in front of m: m's own headroom when m is direct,
 * unshared and has enough, else a header mbuf from hdr_pool chained in
 * front of m. Sets *hdr to the room; returns the frame's first mbuf, or
 * NULL (no mbuf) with m as it was.
 */
static __rte_always_inline struct rte_mbuf *
encap_room(const struct vx_vtep *vt, struct rte_mbuf *m, struct rte_mempool *hdr_pool,
	   uint8_t **hdr)
{
	struct rte_mbuf *h;

	if (likely(RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 &&
		   rte_pktmbuf_headroom(m) >= vt->len)) {
		*hdr = (uint8_t *)rte_pktmbuf_prepend(m, vt->len);
		return m;
	}
	h = rte_pktmbuf_alloc(hdr_pool);
	if (unlikely(h == NULL))
		return NULL;
	*hdr = (uint8_t *)rte_pktmbuf_append(h, vt->len);
	if (unlikely(*hdr == NULL || rte_pktmbuf_chain(h, m) != 0)) {
		rte_pktmbuf_free_seg(h);
		return NULL;
	}
	h->port = m->port;
	return h;
}

/* vt's template into hdr: constant-size copies for the four sizes (VLAN or not, v4 or v6). */
static __rte_always_inline void
encap_copy(const struct vx_vtep *vt, uint8_t *hdr)
{
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
}

/*
 * The outer IP header's lengths, and for IPv4 its identification (DF
 * clear) and checksum, incrementally from vt->ip_csum_base. Returns the IP
 * header's length.
 */
static __rte_always_inline uint32_t
encap_patch_ip(const struct vx_vtep *vt, uint8_t *ip, uint32_t ip_len, uint16_t *ip_id)
{
	if (!(vt->flags & VX_VTEP_IPV6)) {
		/* Constant fields read from the template, not from the fresh copy. */
		const struct rte_ipv4_hdr *th = (const struct rte_ipv4_hdr *)(vt->hdr + vt->l3_off);
		struct rte_ipv4_hdr *ih = (struct rte_ipv4_hdr *)ip;
		uint16_t tl = rte_cpu_to_be_16((uint16_t)ip_len);
		uint32_t sum = vt->ip_csum_base + tl;

		if (!(th->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))) {
			/* May be fragmented on the way: a fresh identification. */
			uint16_t id = rte_cpu_to_be_16((*ip_id)++);

			sum += (uint16_t)~th->packet_id + id;
			ih->packet_id = id;
		}
		ih->total_length = tl;
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ih->hdr_checksum = (uint16_t)~sum;
		return (th->version_ihl & 0xf) * 4u;
	}
	((struct rte_ipv6_hdr *)ip)->payload_len =
		rte_cpu_to_be_16((uint16_t)(ip_len - VX_IP6_HLEN));
	return VX_IP6_HLEN;
}

/*
 * The UDP checksum of a VTEP with VX_VTEP_UDPCSUM: left to the port
 * (VX_VTEP_TX_CSUM: the pseudo-header sum and the offload flags), else in
 * software. h is the frame's first mbuf; the inner frame is inner[0..
 * inner_len) when it is one segment (one_seg); ip is the outer IP header
 * of l3_len bytes and ip_len in all, uh its UDP header; sport is in
 * network order.
 */
static __rte_always_inline void
encap_udp_csum(const struct vx_vtep *vt, struct rte_mbuf *h, bool one_seg, const uint8_t *inner,
	       uint32_t inner_len, uint8_t *ip, uint32_t ip_len, uint32_t l3_len,
	       struct rte_udp_hdr *uh, uint16_t sport)
{
	int v6 = vt->flags & VX_VTEP_IPV6;

	if (vt->flags & VX_VTEP_TX_CSUM) {
		h->l2_len = vt->l3_off;
		h->l3_len = l3_len;
		h->ol_flags |=
			(v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) | RTE_MBUF_F_TX_UDP_CKSUM;
		uh->dgram_cksum = v6 ? rte_ipv6_phdr_cksum((struct rte_ipv6_hdr *)ip, h->ol_flags)
				     : rte_ipv4_phdr_cksum((struct rte_ipv4_hdr *)ip, h->ol_flags);
	} else if (likely(one_seg)) {
		/*
		 * The template's constant words (vt->udp_csum_base), the UDP
		 * length (twice) and the inner frame in one pass, then the
		 * source port: last, so that the pass does not wait for the
		 * flow hash. Nothing is read back from the header just written.
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

/*
 * Put vt's outer header in front of m and patch what varies per frame (see
 * encap.c). Returns the frame to send: m itself with the header in its
 * headroom, or a header mbuf from hdr_pool chained in front of m. Returns
 * NULL with *why set when the frame does not fit vt->mtu or no header mbuf
 * could be had; m is then left as it was, for the caller to free and count.
 * *ip_id is the outer IPv4 identification when the template's DF is clear,
 * and is incremented then; it is not read otherwise.
 */
static __rte_always_inline struct rte_mbuf *
vx_encap_build(const struct vx_vtep *vt, struct rte_mbuf *m, uint32_t flow_hash, uint16_t *ip_id,
	       struct rte_mempool *hdr_pool, enum vx_drop *why)
{
	uint32_t inner_len = rte_pktmbuf_pkt_len(m);
	const uint8_t *inner = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t ip_len = inner_len + vt->len - vt->l3_off;
	struct rte_udp_hdr *uh;
	struct rte_mbuf *h;
	uint8_t *hdr, *ip;
	uint32_t l3_len;
	uint16_t sport;

	if (unlikely(vt->mtu != 0 && ip_len > vt->mtu)) {
		*why = VX_DROP_MTU;
		return NULL;
	}
	h = encap_room(vt, m, hdr_pool, &hdr);
	if (unlikely(h == NULL)) {
		*why = VX_DROP_NO_MBUF;
		return NULL;
	}
	encap_copy(vt, hdr);
	h->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	ip = hdr + vt->l3_off;
	l3_len = encap_patch_ip(vt, ip, ip_len, ip_id);
	uh = (struct rte_udp_hdr *)(ip + l3_len);
	sport = rte_cpu_to_be_16(vx_srcport(flow_hash, vt->srcport_min, vt->srcport_max));
	uh->src_port = sport;
	uh->dgram_len = rte_cpu_to_be_16((uint16_t)(ip_len - l3_len));
	/* uh->dgram_cksum is 0 in the template (control/underlay/template.c). */
	if (vt->flags & VX_VTEP_UDPCSUM)
		encap_udp_csum(vt, h, m->nb_segs == 1, inner, inner_len, ip, ip_len, l3_len, uh,
			       sport);
	return h;
}

/*
 * The worker's encapsulation: vx_encap_build() with the worker's IPv4
 * identification counter and header pool, then the frame queued on
 * vt->port, or punted to the control thread to wait for the next hop when
 * vt is not resolved. Returns true when m went on, false when it was
 * dropped (counted). The caller counts encap_pkts/encap_bytes of vt->bd:
 * per run of frames in the access stage, per frame in vx_encap_one().
 */
static __rte_always_inline bool
vx_encap_inline(struct vx_worker *w, const struct vx_vtep *vt, struct rte_mbuf *m,
		uint32_t flow_hash)
{
	enum vx_drop why;
	struct rte_mbuf *h = vx_encap_build(vt, m, flow_hash, &w->ip_id, w->dp->hdr_pool, &why);

	if (unlikely(h == NULL)) {
		vx_drop_bd(w, m, why, vt->port, vt->bd);
		return false;
	}
	if (likely(vt->flags & VX_VTEP_RESOLVED))
		vx_tx_enqueue(w, vt->port, h);
	else
		vx_punt(w, h, VX_PUNT_UNRESOLVED, VX_PCLASS_NONE, vt->idx, vt->port);
	return true;
}

#endif /* VX_DP_ENCAP_H */
