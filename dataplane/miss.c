/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Misses the workers report: a unicast frame to a MAC the FDB does not
 * know on a link with `l2miss` and no catch-all (flood) entry, an inner
 * destination route short-circuit finds no neighbour for on a link with
 * `l3miss`. A worker only pushes a request (struct vx_learn_req of kind
 * VX_LEARN_MISS_*) into its learn ring; the control thread deduplicates,
 * rate-limits and announces (control/core/miss.c).
 *
 * The learn ring is what learning needs, so a flow or a scan of unknown
 * destinations must not fill it: a worker pushes a key at most once per
 * second (a small direct-mapped memory of the keys it pushed, struct
 * vx_worker.miss) and at most VX_MISS_WORKER_PPS requests a second in all;
 * the rest is counted (miss-suppressed) and dropped here.
 */

#include <rte_cycles.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "stages.h"

/* A 32-bit digest of an address (all 16 bytes: the caller zeroes an IPv4 one's tail). */
static uint32_t
ip_digest(const struct vx_ip *ip)
{
	uint64_t a, b;

	memcpy(&a, ip->bytes, 8);
	memcpy(&b, ip->bytes + 8, 8);
	return vx_crc_8byte(b, vx_crc_8byte(a, ip->family));
}

void
vx_miss_push(struct vx_worker *w, const struct vx_bd *bd, uint8_t kind, uint64_t key,
	     const struct vx_ip *ip)
{
	uint32_t now = vx_dp_now(w->dp), h;
	struct vx_learn_req r;
	struct rte_ring *ring;
	/* The memory's key: the request's key, with the address's digest for an IP miss. */
	uint64_t mkey = ip != NULL ? key ^ ((uint64_t)ip_digest(ip) << 8) : key;

	h = vx_crc_8byte(mkey, 0) % VX_MISS_CACHE;
	if (w->miss.key[h] == mkey && w->miss.sec[h] == now)
		return; /* pushed this second already */
	if (w->miss.now != now) {
		w->miss.now = now;
		w->miss.left = VX_MISS_WORKER_PPS;
	}
	if (w->miss.left == 0) {
		w->st->event[VX_EV_MISS_SUPPRESSED]++;
		return;
	}
	w->miss.left--;
	w->miss.key[h] = mkey;
	w->miss.sec[h] = now;
	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.key = key;
	if (ip != NULL)
		r.remote = *ip;
	r.worker = w->id;
	r.epoch = bd->epoch;
	r.tsc = rte_rdtsc();
	ring = w->dp->learn_ring[w->id];
	if (ring == NULL || rte_ring_sp_enqueue_elem(ring, &r, sizeof(r)) != 0)
		w->st->event[VX_EV_LEARN_RING_FULL]++;
}

void
vx_miss_no_catch_all(struct vx_worker *w, const struct vx_bd *bd, const struct rte_mbuf *m)
{
	const uint8_t *dst = rte_pktmbuf_mtod(m, const uint8_t *);

	if (vx_mac_is_mcast(dst))
		return;
	w->st->event[VX_EV_L2MISS]++;
	if (bd->flags & VX_BD_L2MISS)
		vx_miss_push(w, bd, VX_LEARN_MISS_MAC, vx_fdb_key_hdr(bd->bd, dst), NULL);
}
