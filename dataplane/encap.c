/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encapsulation: put a VTEP's prebuilt outer header (vx_vtep.hdr, built
 * by the control thread) in front of an inner frame and patch what varies
 * per packet, VPP's vxlan_rewrite way:
 *   - IPv4 total length, identification (when DF is not set, as the kernel
 *     does) and header checksum, incrementally from vt->ip_csum_base;
 *     IPv6 payload length;
 *   - UDP length, source port (flow hash mapped into [srcport_min,
 *     srcport_max), vx_srcport()) and checksum: zero for IPv4 unless VX_VTEP_UDPCSUM,
 *     otherwise by the port's tx offload when it has one, else in software:
 *     the sum of the template's constant words (vt->udp_csum_base, built
 *     with the template) plus one pass over a single-segment inner frame
 *     (vx_cksum_add), or rte_*_udptcp_cksum_mbuf over every segment of a
 *     chained one.
 * The VNI, addresses, ports, TTL/TOS/DF and MACs come from the template.
 *
 * The header goes into the frame's headroom when the frame is a direct,
 * unshared mbuf with room; otherwise (flood clones, shared or full
 * headroom) into a small mbuf from dp->hdr_pool chained in front, so the
 * payload is never copied. flood.c calls vx_encap_one() for each VTEP of
 * a flood list with an indirect clone of the frame.
 *
 * vt->ip_csum_base convention: the 16-bit one's complement sum, unfolded,
 * of the IPv4 header as it sits in hdr (words loaded in memory order, as
 * rte_raw_cksum does: __rte_raw_cksum(ip, ihl, 0)) with total_length and
 * hdr_checksum zero.
 *
 * Never fragments: an outer IP packet longer than vt->mtu is dropped (MTU).
 * A VTEP whose next hop is not resolved gets the finished frame punted to
 * the control thread (VX_PUNT_UNRESOLVED, VTEP index in hash.fdir.lo),
 * which fills the Ethernet addresses and sends it once it knows them.
 *
 * The control thread's own frames into a link go through the same header
 * code (vx_encap_build() in encap.h) by vx_encap_frame(), with the flow
 * hash of vx_flow_hash_mbuf()/vx_flow_hash_frame(): the same inner frame
 * gets the same outer header and source port from either side. The caller
 * keeps its own IPv4 identification counter, sends and counts the frame.
 */

#include <rte_mbuf.h>

#include "encap.h"
#include "vx_encap.h"

/*
 * Flattened: the flood path calls this once per VTEP copy, and without it
 * the compiler leaves DPDK's inline mbuf helpers out of line here.
 */
__attribute__((flatten)) void
vx_encap_one(struct vx_worker *w, const struct vx_vtep *vt, struct rte_mbuf *m, uint32_t flow_hash)
{
	uint32_t inner_len = rte_pktmbuf_pkt_len(m);

	if (vx_encap_inline(w, vt, m, flow_hash)) {
		w->st->bd[vt->bd].encap_pkts++;
		w->st->bd[vt->bd].encap_bytes += inner_len;
	}
}

struct rte_mbuf *
vx_encap_frame(const struct vx_vtep *vt, struct rte_mbuf *m, uint32_t flow_hash, uint16_t ip_id,
	       struct rte_mempool *hdr_pool, enum vx_drop *why)
{
	struct rte_mbuf *h = vx_encap_build(vt, m, flow_hash, &ip_id, hdr_pool, why);

	if (h == NULL)
		rte_pktmbuf_free(m);
	return h;
}

uint32_t
vx_flow_hash_mbuf(const struct rte_mbuf *m)
{
	return vx_flow_hash(m);
}

uint32_t
vx_flow_hash_frame(const uint8_t *f, uint32_t len)
{
	return vx_flow_hash_sw(f, len);
}
