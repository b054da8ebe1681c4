/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encapsulation: put a VTEP's prebuilt outer header (vx_vtep.hdr, built
 * by the control thread) in front of an inner frame and patch what varies
 * per packet, VPP's vxlan_rewrite way:
 *   - IPv4 total length, identification (when DF is not set, as the kernel
 *     does) and header checksum, incrementally from vt->ip_csum_base;
 *     IPv6 payload length;
 *   - UDP length, source port (flow hash mapped into [srcport_min,
 *     srcport_max]) and checksum: zero for IPv4 unless VX_VTEP_UDPCSUM,
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
 */

#include <rte_mbuf.h>

#include "encap.h"

void
vx_encap_one(struct vx_worker *w, const struct vx_vtep *vt, struct rte_mbuf *m, uint32_t flow_hash)
{
	uint32_t inner_len = rte_pktmbuf_pkt_len(m);

	if (vx_encap_inline(w, vt, m, flow_hash)) {
		w->st->bd[vt->bd].encap_pkts++;
		w->st->bd[vt->bd].encap_bytes += inner_len;
	}
}
