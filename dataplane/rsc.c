/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Route short-circuit (`rsc`, the kernel's vxlan route_shortcircuit()):
 * on a link with rsc, a frame from an access port to an FDB entry marked
 * `router` whose inner destination IP is in the link's neighbour map
 * (`vxctl neigh add IP lladdr MAC dev LINK`) is switched straight to that
 * host instead of to the router, as the router would have forwarded it:
 *
 *   destination MAC  the neighbour's; source MAC  the router's (the frame's
 *   old destination, as the kernel rewrites it); IPv4 TTL or IPv6 hop
 *   limit decremented (the IPv4 header checksum updated incrementally,
 *   RFC 1624), which the kernel does not do.
 *
 * The frame then goes wherever the FDB has the neighbour's MAC (a VTEP or
 * a local port); unknown there, it is flooded like any unknown unicast.
 * A frame whose TTL would expire, that is not IPv4/IPv6, or whose
 * destination has no neighbour entry goes to the router unchanged (with
 * `l3miss`, the last one is reported, as the kernel does).
 *
 * The rewrite itself works on a plain buffer (vx_rsc_dst, vx_rsc_rewrite)
 * for the unit tests.
 */

#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "stages.h"

#define IP4_TTL_OFF  8
#define IP4_CSUM_OFF 10
#define IP4_DST_OFF  16
#define IP6_HLIM_OFF 7
#define IP6_DST_OFF  24

int
vx_rsc_dst(const uint8_t *f, uint32_t len, uint8_t *family, const uint8_t **dst)
{
	const uint8_t *ip = f + RTE_ETHER_HDR_LEN;
	uint16_t et;

	if (len < RTE_ETHER_HDR_LEN + 20)
		return -1;
	et = vx_rd16(f + 12);
	if (et == RTE_ETHER_TYPE_IPV4 && (ip[0] >> 4) == 4 && ip[IP4_TTL_OFF] > 1) {
		*family = AF_INET;
		*dst = ip + IP4_DST_OFF;
		return 0;
	}
	if (et == RTE_ETHER_TYPE_IPV6 && len >= RTE_ETHER_HDR_LEN + 40 && (ip[0] >> 4) == 6 &&
	    ip[IP6_HLIM_OFF] > 1) {
		*family = AF_INET6;
		*dst = ip + IP6_DST_OFF;
		return 0;
	}
	return -1;
}

void
vx_rsc_rewrite(uint8_t *f, const struct rte_ether_addr *host)
{
	uint8_t *ip = f + RTE_ETHER_HDR_LEN;

	memmove(f + RTE_ETHER_ADDR_LEN, f, RTE_ETHER_ADDR_LEN); /* the router's MAC as source */
	memcpy(f, host->addr_bytes, RTE_ETHER_ADDR_LEN);
	if (vx_rd16(f + 12) == RTE_ETHER_TYPE_IPV4) {
		/*
		 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'): the word holding the TTL
		 * goes from m = TTL << 8 | proto to m' = m - 0x100.
		 */
		uint32_t m = vx_rd16(ip + IP4_TTL_OFF), hc = vx_rd16(ip + IP4_CSUM_OFF);
		uint32_t sum = (~hc & 0xffff) + (~m & 0xffff) + (m - 0x100);

		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ip[IP4_TTL_OFF]--;
		ip[IP4_CSUM_OFF] = (uint8_t)(~sum >> 8);
		ip[IP4_CSUM_OFF + 1] = (uint8_t)~sum;
	} else {
		ip[IP6_HLIM_OFF]--;
	}
}

uint64_t
vx_rsc(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint64_t e)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	const struct vx_nbr *n;
	const uint8_t *dst;
	uint8_t family;
	uint64_t key;
	int32_t pos;

	if (vx_rsc_dst(f, rte_pktmbuf_data_len(m), &family, &dst) != 0 || !RTE_MBUF_DIRECT(m) ||
	    rte_mbuf_refcnt_read(m) != 1)
		return e;
	n = vx_nbr_lookup(bd->nbr, family, dst);
	if (n == NULL) {
		if (bd->flags & VX_BD_L3MISS) {
			struct vx_ip ip = {.family = family};

			memcpy(ip.bytes, dst, family == AF_INET ? 4 : 16);
			vx_miss_push(w, bd, VX_LEARN_MISS_IP, (uint64_t)bd->bd << 48, &ip);
		}
		return e;
	}
	vx_rsc_rewrite(f, &n->mac);
	w->st->event[VX_EV_RSC]++;
	key = vx_fdb_key(bd->bd, &n->mac);
	vx_fdb_lookup_bulk(&w->dp->fdb, &key, 1, &e, &pos);
	return e;
}
