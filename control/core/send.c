/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames the control thread sends into a link (answers to ARP, NS and
 * echo requests of the link's hosts), the way a frame from the link's
 * MAC would go: back out of the access port and VLAN the request came
 * from; for a request from the overlay, where the FDB says the requester
 * is (a local port, or encapsulated with that VTEP's outer header), and
 * nowhere when the FDB does not know it (an answer is never flooded: that
 * would amplify one request into a copy per VTEP). Everything leaves
 * through the control thread's transmit path (underlay/tx.c); a frame for
 * a VTEP whose next hop is unresolved waits on that neighbour as the
 * workers' frames do.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "core/core.h"
#include "underlay/underlay.h"

/* The frame encapsulated with vt's template, as encap.c does it, on the control path. */
static void
link_encap(struct vx_ctl *c, const struct vx_vtep *vt, const uint8_t *f, uint16_t len)
{
	struct rte_mbuf *m;
	struct rte_udp_hdr *uh;
	uint8_t *hdr, *ip;
	uint32_t ip_len, l3_len, range;

	if (vt == NULL)
		return;
	m = vx_ul_frame_mbuf(c, f, len, 0, vt->port);
	if (m == NULL)
		return;
	ip_len = rte_pktmbuf_pkt_len(m) + vt->len - vt->l3_off;
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, vt->len);
	if (hdr == NULL || (vt->mtu != 0 && ip_len > vt->mtu)) {
		vx_ctl_count_drop(c, hdr == NULL ? VX_DROP_NO_MBUF : VX_DROP_MTU, vt->port);
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(hdr, vt->hdr, vt->len);
	ip = hdr + vt->l3_off;
	if (!(vt->flags & VX_VTEP_IPV6)) {
		struct rte_ipv4_hdr *ih = (struct rte_ipv4_hdr *)ip;

		ih->total_length = rte_cpu_to_be_16(ip_len);
		ih->hdr_checksum = 0;
		ih->hdr_checksum = rte_ipv4_cksum(ih);
		l3_len = rte_ipv4_hdr_len(ih);
	} else {
		l3_len = sizeof(struct rte_ipv6_hdr);
		((struct rte_ipv6_hdr *)ip)->payload_len = rte_cpu_to_be_16(ip_len - l3_len);
	}
	uh = (struct rte_udp_hdr *)(ip + l3_len);
	range = vt->srcport_max > vt->srcport_min ? vt->srcport_max - vt->srcport_min : 1;
	uh->src_port = rte_cpu_to_be_16(
		vt->srcport_min + rte_hash_crc(f, RTE_MIN(len, 2 * RTE_ETHER_ADDR_LEN), 0) % range);
	uh->dgram_len = rte_cpu_to_be_16(ip_len - l3_len);
	uh->dgram_cksum = 0;
	if (vt->flags & VX_VTEP_UDPCSUM)
		uh->dgram_cksum = (vt->flags & VX_VTEP_IPV6)
					  ? rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)ip, uh)
					  : rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)ip, uh);
	if (c->dp->stats != NULL) {
		c->dp->stats[VX_STATS_CONTROL].bd[vt->bd].encap_pkts++;
		c->dp->stats[VX_STATS_CONTROL].bd[vt->bd].encap_bytes += len;
	}
	if (vt->flags & VX_VTEP_RESOLVED)
		vx_ul_tx_mbuf(c, vt->port, m);
	else
		vx_ul_queue_unresolved(c, vt, m); /* as the workers' unresolved frames */
}

void
vx_link_send(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
	     uint16_t in_port)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	struct rte_mbuf *m;
	uint64_t e;

	if (lo & VX_PUNT_OVL_ACCESS) {
		m = vx_ul_frame_mbuf(c, f, len, VX_PUNT_OVL_VID(lo), in_port);
		if (m != NULL)
			vx_ul_tx_mbuf(c, in_port, m);
		return;
	}
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &eh->dst_addr), NULL);
	if (e != 0 && (e & VX_FDB_REMOTE)) {
		uint32_t idx = vx_fdb_index(e);

		link_encap(c, idx < VX_MAX_VTEP ? vx_deref(c->dp->vtep[idx]) : NULL, f, len);
	} else if (e != 0) {
		m = vx_ul_frame_mbuf(c, f, len, vx_fdb_vlan(e), vx_fdb_index(e));
		if (m != NULL)
			vx_ul_tx_mbuf(c, vx_fdb_index(e), m);
	} else {
		/*
		 * Never flooded: one small request must not become a copy of the
		 * answer per VTEP of the flood list. The workers learn a
		 * requester before they hand its frame over, so this is a host
		 * the link does not learn (nolearning) or that aged out since.
		 */
		vx_ctl_count_drop(c, VX_DROP_REPLY_UNKNOWN, in_port);
	}
}
