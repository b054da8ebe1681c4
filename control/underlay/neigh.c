/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay neighbour table (ARP for IPv4, ND for IPv6), a small copy
 * of the kernel's neighbour state machine (net/core/neighbour.c).
 *
 * Maps (port, IP) to a MAC and a NUD state. Written and read by the
 * control thread only; workers never see it: what they see is each
 * VTEP's template, rebuilt through ops->changed() whenever the usable MAC
 * of a next hop appears, changes or goes away.
 *
 * States and timers (all times come from the caller, in ms, so tests use
 * a fake clock):
 *   INCOMPLETE  created by a next-hop lookup: a broadcast ARP request or a
 *               multicast NS now, then every VX_NEIGH_RETRANS_MS, up to
 *               VX_NEIGH_PROBES in all; no answer -> FAILED, queued
 *               frames dropped (counted by ops->drop).
 *   REACHABLE   an answer to our request (ARP reply, NA with S). After
 *               VX_NEIGH_REACHABLE_MS without confirmation -> STALE.
 *   STALE       MAC known but not confirmed (also: entries learnt from a
 *               request for our address, or an unsolicited change of MAC,
 *               as Linux does). A next hop stays usable and, after
 *               VX_NEIGH_DELAY_MS (the kernel's delay_first_probe_time),
 *               goes to PROBE; any other STALE entry is removed after
 *               VX_NEIGH_GC_STALE_MS.
 *   PROBE       unicast requests to the known MAC, up to VX_NEIGH_PROBES,
 *               VX_NEIGH_RETRANS_MS apart; MAC still used meanwhile. An
 *               answer -> REACHABLE, none -> FAILED (template unresolved).
 *   FAILED      the next frame for it (vx_neigh_enqueue) or a new next-hop
 *               lookup starts INCOMPLETE again.
 *   PERMANENT / NOARP: static (vxctl neigh add), never timed out.
 *
 * Next hops: a VTEP that sends through an entry holds a reference on it
 * (refs). An entry in use is probed to stay fresh (STALE -> PROBE instead
 * of going), and is never evicted; when its last user lets go
 * (vx_neigh_release) an entry without a MAC goes at once and one with a
 * MAC goes stale and is collected after VX_NEIGH_GC_STALE_MS.
 *
 * A full table makes room as the kernel's forced garbage collection does:
 * the oldest entry that is neither static nor in use and has no frame
 * queued goes, FAILED and INCOMPLETE ones first, then STALE, then
 * REACHABLE. Static entries and next hops in use are never evicted, so a
 * flood of requests from spoofed senders cannot push them out.
 *
 * Queue: up to VX_NEIGH_QLEN frames per entry wait for resolution (the
 * kernel's unres_qlen is larger but counts bytes; 8 frames keep the first
 * packets of a few flows without letting one dead next hop pin many
 * mbufs). When full the oldest is dropped, as the kernel's arp_queue does.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "underlay/neigh.h"

#define VX_NEIGH_DELAY_MS 5000 /* delay_first_probe_time */

const char *
vx_nud_name(uint8_t state)
{
	switch (state) {
	case VX_NUD_INCOMPLETE:
		return "INCOMPLETE";
	case VX_NUD_REACHABLE:
		return "REACHABLE";
	case VX_NUD_STALE:
		return "STALE";
	case VX_NUD_PROBE:
		return "PROBE";
	case VX_NUD_FAILED:
		return "FAILED";
	case VX_NUD_PERMANENT:
		return "PERMANENT";
	case VX_NUD_NOARP:
		return "NOARP";
	default:
		return "NONE";
	}
}

void
vx_neigh_tbl_init(struct vx_neigh_tbl *t, const struct vx_neigh_ops *ops, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->ctx = ctx;
}

struct vx_neigh *
vx_neigh_get(struct vx_neigh_tbl *t, uint32_t id)
{
	uint32_t idx = id & VX_NEIGH_ID_MASK;

	if (id == 0 || idx == 0 || idx > VX_NEIGH_MAX || t->n[idx - 1].id != id)
		return NULL;
	return &t->n[idx - 1];
}

struct vx_neigh *
vx_neigh_find(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip)
{
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &t->n[i];

		if (n->id != 0 && n->port == port && vx_ip_eq(&n->ip, ip))
			return n;
	}
	return NULL;
}

struct vx_neigh *
vx_neigh_next(struct vx_neigh_tbl *t, uint16_t port, uint32_t *pos)
{
	for (; *pos < VX_NEIGH_MAX; (*pos)++) {
		struct vx_neigh *n = &t->n[*pos];

		if (n->id != 0 && n->port == port) {
			(*pos)++;
			return n;
		}
	}
	return NULL;
}

bool
vx_neigh_valid(const struct vx_neigh *n)
{
	switch (n->state) {
	case VX_NUD_REACHABLE:
	case VX_NUD_STALE:
	case VX_NUD_PROBE:
	case VX_NUD_PERMANENT:
	case VX_NUD_NOARP:
		return true;
	default:
		return false;
	}
}

/* Eviction order: lower first. -1: never (static, in use, frames queued). */
static int
evict_rank(const struct vx_neigh *n)
{
	if (n->refs != 0 || n->qlen != 0)
		return -1;
	switch (n->state) {
	case VX_NUD_NONE:
	case VX_NUD_FAILED:
	case VX_NUD_INCOMPLETE:
		return 0;
	case VX_NUD_STALE:
		return 1;
	case VX_NUD_REACHABLE:
	case VX_NUD_PROBE:
		return 2;
	default:
		return -1;
	}
}

/* The entry to evict for room: lowest rank, then least recently updated; NULL if none. */
static struct vx_neigh *
evict_victim(struct vx_neigh_tbl *t)
{
	struct vx_neigh *best = NULL;
	int best_rank = 3;

	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &t->n[i];
		int r = evict_rank(n);

		if (r < 0 || r > best_rank)
			continue;
		if (best == NULL || r < best_rank || n->updated_ms < best->updated_ms) {
			best = n;
			best_rank = r;
		}
	}
	return best;
}

static struct vx_neigh *
neigh_alloc(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip)
{
	struct vx_neigh *n = NULL;

	for (uint32_t i = 0; i < VX_NEIGH_MAX && n == NULL; i++)
		if (t->n[i].id == 0)
			n = &t->n[i];
	if (n == NULL) {
		n = evict_victim(t);
		if (n == NULL)
			return NULL;
		vx_neigh_del(t, n);
		t->evicted++;
	}
	memset(n, 0, sizeof(*n));
	t->gen++;
	n->id = (t->gen << VX_NEIGH_ID_BITS) | (uint32_t)(n - t->n + 1);
	n->port = port;
	n->ip = *ip;
	return n;
}

static void
queue_drop_all(struct vx_neigh_tbl *t, struct vx_neigh *n)
{
	for (uint8_t i = 0; i < n->qlen; i++)
		t->ops->drop(t->ctx, n, n->q[i]);
	n->qlen = 0;
}

static void
queue_flush(struct vx_neigh_tbl *t, struct vx_neigh *n)
{
	uint8_t qlen = n->qlen;

	n->qlen = 0;
	for (uint8_t i = 0; i < qlen; i++)
		t->ops->xmit(t->ctx, n, n->q[i]);
}

static void
start_incomplete(struct vx_neigh_tbl *t, struct vx_neigh *n, uint64_t now)
{
	n->state = VX_NUD_INCOMPLETE;
	n->updated_ms = now;
	n->probes = 1;
	n->timer_ms = now + VX_NEIGH_RETRANS_MS;
	t->ops->solicit(t->ctx, n, false);
}

static void
enter_stale(struct vx_neigh *n, uint64_t now)
{
	n->state = VX_NUD_STALE;
	n->updated_ms = now;
	n->probes = 0;
	n->timer_ms = now + (n->refs != 0 ? VX_NEIGH_DELAY_MS : VX_NEIGH_GC_STALE_MS);
}

static void
enter_reachable(struct vx_neigh *n, uint64_t now)
{
	n->state = VX_NUD_REACHABLE;
	n->updated_ms = now;
	n->confirmed_ms = now;
	n->probes = 0;
	n->timer_ms = now + VX_NEIGH_REACHABLE_MS;
}

void
vx_neigh_hold(struct vx_neigh *n)
{
	n->refs++;
}

struct vx_neigh *
vx_neigh_resolve(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip, uint64_t now)
{
	struct vx_neigh *n = vx_neigh_find(t, port, ip);

	if (n == NULL) {
		n = neigh_alloc(t, port, ip);
		if (n == NULL)
			return NULL;
	}
	if (n->refs++ == 0 && n->state == VX_NUD_STALE)
		enter_stale(n, now); /* re-arm as a next hop: delay, then probe */
	if (n->state == VX_NUD_NONE || n->state == VX_NUD_FAILED)
		start_incomplete(t, n, now);
	return n;
}

void
vx_neigh_release(struct vx_neigh_tbl *t, uint32_t id, uint64_t now)
{
	struct vx_neigh *n = vx_neigh_get(t, id);

	if (n == NULL || n->refs == 0 || --n->refs != 0)
		return;
	switch (n->state) {
	case VX_NUD_NONE:
	case VX_NUD_INCOMPLETE:
	case VX_NUD_FAILED:
		if (n->qlen == 0)
			vx_neigh_del(t, n);
		break;
	case VX_NUD_STALE:
	case VX_NUD_PROBE:
		enter_stale(n, now); /* no more probes: collected after gc_stale_time */
		break;
	default:
		break;
	}
}

void
vx_neigh_enqueue(struct vx_neigh_tbl *t, struct vx_neigh *n, void *pkt, uint64_t now)
{
	if (vx_neigh_valid(n)) {
		t->ops->xmit(t->ctx, n, pkt);
		return;
	}
	if (n->state == VX_NUD_NONE || n->state == VX_NUD_FAILED)
		start_incomplete(t, n, now);
	if (n->qlen == VX_NEIGH_QLEN) {
		t->ops->drop(t->ctx, n, n->q[0]);
		memmove(&n->q[0], &n->q[1], sizeof(n->q[0]) * (VX_NEIGH_QLEN - 1));
		n->qlen--;
	}
	n->q[n->qlen++] = pkt;
}

struct vx_neigh *
vx_neigh_input(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip,
	       const struct rte_ether_addr *mac, bool solicited, bool create, uint64_t now)
{
	struct vx_neigh *n = vx_neigh_find(t, port, ip);
	bool was_valid, mac_changed;

	if (n == NULL) {
		if (!create)
			return NULL;
		n = neigh_alloc(t, port, ip);
		if (n == NULL)
			return NULL;
	}
	if (n->state == VX_NUD_PERMANENT || n->state == VX_NUD_NOARP)
		return n;

	was_valid = vx_neigh_valid(n);
	mac_changed = !was_valid || !rte_is_same_ether_addr(&n->mac, mac);
	if (solicited && n->state != VX_NUD_NONE) {
		rte_ether_addr_copy(mac, &n->mac);
		enter_reachable(n, now);
	} else if (mac_changed) {
		rte_ether_addr_copy(mac, &n->mac);
		enter_stale(n, now);
	} else {
		return n; /* same MAC, nothing learnt */
	}
	if (!was_valid)
		queue_flush(t, n);
	if (mac_changed && n->refs != 0)
		t->ops->changed(t->ctx, n);
	return n;
}

int
vx_neigh_set(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip,
	     const struct rte_ether_addr *mac, uint8_t state, bool replace, uint64_t now)
{
	struct vx_neigh *n = vx_neigh_find(t, port, ip);
	bool was_valid, mac_changed;

	if (n != NULL && !replace && (n->state != VX_NUD_INCOMPLETE && n->state != VX_NUD_FAILED))
		return -EEXIST;
	if (n == NULL) {
		n = neigh_alloc(t, port, ip);
		if (n == NULL)
			return -ENOSPC;
	}
	was_valid = vx_neigh_valid(n);
	mac_changed = !was_valid || !rte_is_same_ether_addr(&n->mac, mac);
	rte_ether_addr_copy(mac, &n->mac);
	switch (state) {
	case VX_NUD_REACHABLE:
		enter_reachable(n, now);
		break;
	case VX_NUD_STALE:
		enter_stale(n, now);
		break;
	default:
		n->state = state;
		n->updated_ms = now;
		n->timer_ms = 0;
		break;
	}
	if (!was_valid)
		queue_flush(t, n);
	if (mac_changed && n->refs != 0)
		t->ops->changed(t->ctx, n);
	return 0;
}

void
vx_neigh_del(struct vx_neigh_tbl *t, struct vx_neigh *n)
{
	struct vx_neigh old = *n;

	queue_drop_all(t, n);
	memset(n, 0, sizeof(*n));
	/* Next hops re-resolve (a new entry) when the core rebuilds their VTEPs. */
	if (old.refs != 0) {
		old.qlen = 0;
		t->ops->changed(t->ctx, &old);
	}
}

static void
neigh_fail(struct vx_neigh_tbl *t, struct vx_neigh *n, uint64_t now)
{
	bool was_valid = vx_neigh_valid(n);

	n->state = VX_NUD_FAILED;
	n->updated_ms = now;
	n->probes = 0;
	/*
	 * A FAILED next hop stays while a VTEP uses it (the next frame for it
	 * starts resolution again, as in the kernel); it goes with its last
	 * user (vx_neigh_release). Others go after gc_stale_time.
	 */
	n->timer_ms = n->refs != 0 ? 0 : now + VX_NEIGH_GC_STALE_MS;
	queue_drop_all(t, n);
	if (was_valid && n->refs != 0)
		t->ops->changed(t->ctx, n);
}

static void
neigh_timer_one(struct vx_neigh_tbl *t, struct vx_neigh *n, uint64_t now)
{
	switch (n->state) {
	case VX_NUD_INCOMPLETE:
		if (n->probes >= VX_NEIGH_PROBES) {
			neigh_fail(t, n, now);
			return;
		}
		n->probes++;
		n->timer_ms = now + VX_NEIGH_RETRANS_MS;
		t->ops->solicit(t->ctx, n, false);
		break;
	case VX_NUD_REACHABLE:
		enter_stale(n, now);
		break;
	case VX_NUD_STALE:
		if (n->refs == 0) {
			vx_neigh_del(t, n);
			return;
		}
		n->state = VX_NUD_PROBE;
		n->updated_ms = now;
		n->probes = 1;
		n->timer_ms = now + VX_NEIGH_RETRANS_MS;
		t->ops->solicit(t->ctx, n, true);
		break;
	case VX_NUD_PROBE:
		if (n->probes >= VX_NEIGH_PROBES) {
			neigh_fail(t, n, now);
			return;
		}
		n->probes++;
		n->timer_ms = now + VX_NEIGH_RETRANS_MS;
		t->ops->solicit(t->ctx, n, true);
		break;
	case VX_NUD_FAILED:
		vx_neigh_del(t, n);
		break;
	default:
		n->timer_ms = 0;
		break;
	}
}

void
vx_neigh_timer(struct vx_neigh_tbl *t, uint64_t now)
{
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &t->n[i];

		if (n->id != 0 && n->timer_ms != 0 && n->timer_ms <= now)
			neigh_timer_one(t, n, now);
	}
}

void
vx_neigh_flush(struct vx_neigh_tbl *t, uint16_t port)
{
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &t->n[i];

		if (n->id != 0 && n->port == port && n->state != VX_NUD_PERMANENT &&
		    n->state != VX_NUD_NOARP)
			vx_neigh_del(t, n);
	}
}
