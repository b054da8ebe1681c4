/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Learning: the control thread applies what the workers saw.
 *
 * Workers push a struct vx_learn_req for every source MAC that is missing
 * or points elsewhere (and for misses, handed to miss.c);
 * vx_core_learn_poll drains every ring (a bounded number of requests per
 * call) and applies the rules:
 *   - never learn a multicast, broadcast or all-zero MAC, the link's own
 *     MAC, or a remote MAC behind an outer source no VTEP can have
 *     (multicast, broadcast, loopback, unspecified, ours): counted
 *     learn-martian;
 *   - drop requests of a link deleted, re-added or flushed since the
 *     worker made them (another epoch): counted learn-stale;
 *   - nolearning links learn no remote MAC (local ones still, as a bridge);
 *   - never overwrite a static entry (counted as LEARN_STATIC);
 *   - a local request becomes the local word it carries, a remote one a
 *     reference to the VTEP (bd, outer source, link dstport, link VNI);
 *   - a dynamic entry that points elsewhere is re-pointed (MOVED);
 *   - a new entry over the link's maxaddress or the FDB capacity is not
 *     learned (LEARN_LIMIT); forwarding is unaffected.
 * Counters go to the control thread's block, events to the "fdb" monitor
 * stream in `bridge monitor fdb` format.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

/* A learned or moved entry on the "fdb" monitor stream, when someone listens this poll. */
static void
announce(struct vx_ctl *c, uint64_t key, uint64_t e)
{
	if (c->core->announce)
		vx_core_fdb_announce(c, key, e, VX_ST_DYNAMIC, NULL);
}

/* n new entries were just applied: count them in the learning window. */
static void
learned(struct vx_ctl *c, uint32_t n)
{
	struct vx_ctl_core *k = c->core;
	struct timespec ts;

	if (n == 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	k->learn_last_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (k->learn_n == 0)
		k->learn_first_ns = k->learn_last_ns;
	k->learn_n += n;
}

static void
touch(struct vx_ctl *c, uint64_t key)
{
	int32_t pos;

	if (vx_fdb_get(&c->dp->fdb, key, &pos))
		vx_fdb_set_seen(&c->dp->fdb, pos, c->dp->now);
}

/*
 * New entries of a drained batch of requests, added with one
 * vx_fdb_set_bulk(). A new entry is counted in its link's n_fdb (so
 * maxaddress holds) and holds its VTEP reference from the moment it
 * joins the batch; a failed add gives both back. A key already in the
 * batch flushes it first (seen[]: a small open-addressing set), so every
 * request sees the table as if the earlier ones had been applied.
 */
#define LEARN_BATCH 256
#define LEARN_AHEAD 8	 /* requests whose FDB bucket is prefetched ahead */
#define LEARN_SEEN  1024 /* power of two, > 2 * LEARN_BATCH */

#define LEARN_CHUNK 256

struct learn_ring {
	struct rte_ring *r;
	uint32_t budget;
	unsigned int n, i;
	struct vx_learn_req req[LEARN_CHUNK];
};

struct learn_batch {
	struct learn_ring rings[VX_MAX_WORKERS]; /* vx_core_learn_poll's buffers, one per ring */
	uint32_t n;
	uint64_t key[LEARN_BATCH], entry[LEARN_BATCH];
	int32_t ret[LEARN_BATCH];
	uint64_t seen[LEARN_SEEN]; /* key + 1, 0 = empty */
};

static uint32_t
seen_slot(uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 40) & (LEARN_SEEN - 1);
}

static bool
seen_has(const struct learn_batch *b, uint64_t key)
{
	for (uint32_t h = seen_slot(key);; h = (h + 1) & (LEARN_SEEN - 1)) {
		if (b->seen[h] == 0)
			return false;
		if (b->seen[h] == key + 1)
			return true;
	}
}

static void
seen_add(struct learn_batch *b, uint64_t key)
{
	uint32_t h = seen_slot(key);

	while (b->seen[h] != 0)
		h = (h + 1) & (LEARN_SEEN - 1);
	b->seen[h] = key + 1;
}

static void
learn_flush(struct vx_ctl *c, struct learn_batch *b)
{
	struct vx_fdb *f = &c->dp->fdb;
	uint32_t added;

	if (b->n == 0)
		return;
	added = vx_fdb_set_bulk(f, b->key, b->entry, b->n, b->ret);
	learned(c, added);
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->ret[i] >= 0) {
			vx_fdb_set_seen(f, b->ret[i], c->dp->now);
			vx_ctl_count_event(c, VX_EV_LEARNED);
			announce(c, b->key[i], b->entry[i]);
		} else {
			struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(b->key[i]));

			if (l != NULL && l->n_fdb > 0)
				l->n_fdb--;
			if (b->entry[i] & VX_FDB_REMOTE)
				vx_vtep_put(c, vx_fdb_index(b->entry[i]));
			vx_ctl_count_event(c, VX_EV_LEARN_LIMIT);
		}
	}
	memset(b->seen, 0, sizeof(b->seen));
	b->n = 0;
}

/*
 * May req be learned on l? Not when the link went or changed epoch, for
 * a remote source on a `nolearning` link, for a MAC that is no station's
 * or is the link's own, or for an outer source that no VTEP can have
 * (multicast, broadcast, loopback, unspecified, or one of our addresses).
 */
static bool
learn_ok(struct vx_ctl *c, const struct vx_learn_req *req, const struct vx_link *l)
{
	struct rte_ether_addr mac;

	if (l == NULL || req->epoch != l->epoch) {
		vx_ctl_count_event(c, VX_EV_LEARN_STALE);
		return false;
	}
	/*
	 * `nolearning` is the vxlan device's option: it stops remote learning
	 * only. Local MACs are learned as the kernel bridge does on its ports.
	 */
	if (req->entry == 0 && !(l->opt.flags & VX_BD_LEARNING))
		return false;
	vx_fdb_key_mac(req->key, &mac);
	if (vx_mac_martian(&mac) || rte_is_same_ether_addr(&mac, &l->mac) ||
	    (req->entry == 0 &&
	     (vx_ip_martian(&req->remote, false) || vx_ul_is_local(c, &req->remote)))) {
		vx_ctl_count_event(c, VX_EV_LEARN_MARTIAN);
		return false;
	}
	return true;
}

/*
 * The entry word req asks for (0: none), with the VTEP reference it holds
 * in *idx (-1: none).
 */
static uint64_t
learn_entry(struct vx_ctl *c, const struct vx_learn_req *req, struct vx_link *l, int *idx)
{
	uint16_t bd = l->bd;
	uint64_t e;

	*idx = -1;
	if (req->entry != 0) {
		if (req->entry & VX_FDB_REMOTE)
			return 0;
		e = vx_fdb_local(vx_fdb_index(req->entry), vx_fdb_vlan(req->entry), 0);
		/* The port/VLAN must still be attached to this link (a detach may have raced). */
		if (vx_fdb_index(e) >= VX_MAX_PORTS || !c->port[vx_fdb_index(e)].present ||
		    c->core->access[vx_fdb_index(e)][vx_fdb_vlan(e)] != bd)
			return 0;
		return e;
	}
	if (req->remote.family != AF_INET && req->remote.family != AF_INET6)
		return 0;
	if (l->family && req->remote.family != l->family)
		return 0;
	*idx = vx_vtep_get(c, bd, &req->remote, l->opt.dstport, l->opt.vni, true);
	if (*idx < 0) {
		vx_ctl_count_event(c, VX_EV_LEARN_LIMIT);
		return 0;
	}
	return vx_fdb_remote(*idx, 0);
}

/* A dynamic entry that points elsewhere is re-pointed. */
static void
learn_move(struct vx_ctl *c, uint64_t key, uint64_t old, uint64_t e, int idx)
{
	if (vx_fdb_set(&c->dp->fdb, key, e) < 0) {
		if (idx >= 0)
			vx_vtep_put(c, idx);
		return;
	}
	if (old & VX_FDB_REMOTE)
		vx_vtep_put(c, vx_fdb_index(old));
	touch(c, key);
	vx_ctl_count_event(c, VX_EV_MOVED);
	announce(c, key, e);
}

/* A new entry, within the link's maxaddress: into the batch, or at once without one. */
static void
learn_new(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t e, int idx,
	  struct learn_batch *b)
{
	bool full = l->opt.maxaddress && l->n_fdb >= l->opt.maxaddress;

	if (b != NULL && !full) {
		l->n_fdb++;
		b->key[b->n] = key;
		b->entry[b->n] = e;
		seen_add(b, key);
		if (++b->n == LEARN_BATCH)
			learn_flush(c, b);
		return;
	}
	if (full || vx_fdb_set(&c->dp->fdb, key, e) < 0) {
		if (idx >= 0)
			vx_vtep_put(c, idx);
		vx_ctl_count_event(c, VX_EV_LEARN_LIMIT);
		return;
	}
	l->n_fdb++;
	touch(c, key);
	learned(c, 1);
	vx_ctl_count_event(c, VX_EV_LEARNED);
	announce(c, key, e);
}

/* Apply one learn request; with b, a new entry joins the batch. */
static void
learn_one(struct vx_ctl *c, const struct vx_learn_req *req, struct learn_batch *b)
{
	struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(req->key));
	uint64_t old, e;
	int idx;

	if (b != NULL && b->n > 0 && seen_has(b, req->key))
		learn_flush(c, b);
	if (req->kind != VX_LEARN_SRC) {
		vx_core_miss_req(c, req);
		return;
	}
	if (!learn_ok(c, req, l))
		return;
	old = vx_fdb_get(&c->dp->fdb, req->key, NULL);
	if (old & VX_FDB_STATIC) {
		vx_ctl_count_event(c, VX_EV_LEARN_STATIC);
		return;
	}
	e = learn_entry(c, req, l, &idx);
	if (e == 0)
		return;
	if (old == e) {
		/* Already there (a second request raced the first): refresh only. */
		if (idx >= 0)
			vx_vtep_put(c, idx);
		touch(c, req->key);
		return;
	}
	if (old != 0)
		learn_move(c, req->key, old, e, idx);
	else
		learn_new(c, l, req->key, e, idx, b);
}

/* Apply one learn request. Exposed for tests through vx_core_learn(). */
void
vx_core_learn(struct vx_ctl *c, const struct vx_learn_req *req)
{
	learn_one(c, req, NULL);
}

bool
vx_core_learn_pending(struct vx_ctl *c)
{
	if (c->core == NULL || c->dp == NULL)
		return false;
	/*
	 * The last poll dequeued requests: more are on their way (the poll just
	 * emptied the rings, they refill while it applies). The main lcore is
	 * the control thread's own core (never a worker's), so not sleeping
	 * while requests keep coming costs no forwarding; batches still grow
	 * by themselves, since the rings fill while a batch is applied.
	 */
	if (c->core->learn_last_poll != 0)
		return true;
	for (uint16_t w = 0; w < VX_MAX_WORKERS; w++) {
		struct rte_ring *r = c->dp->learn_ring[w];

		if (r != NULL && rte_ring_count(r) != 0)
			return true;
	}
	return false;
}

/*
 * The requests of every ring, applied in the order the workers saw them
 * (their tsc): each ring is in time order already, so a merge of the
 * rings' heads. A ring is refilled (at most learn_budget requests per ring
 * and poll) when its buffer runs out.
 */
static bool
ring_fill(struct vx_ctl *c, struct learn_ring *lr)
{
	if (lr->i < lr->n)
		return true;
	lr->i = lr->n = 0;
	if (lr->r == NULL || lr->budget == 0)
		return false;
	lr->n = rte_ring_dequeue_burst_elem(lr->r, lr->req, sizeof(lr->req[0]),
					    RTE_MIN(lr->budget, (uint32_t)LEARN_CHUNK), NULL);
	lr->budget -= lr->n;
	c->core->learn_last_poll += lr->n;
	/* At 1M MACs each request's bucket is a cache miss: keep a few in flight. */
	for (unsigned int i = 0; i < lr->n && i < LEARN_AHEAD; i++)
		vx_fdb_prefetch(&c->dp->fdb, lr->req[i].key);
	return lr->n != 0;
}

/* The ring whose next request is the oldest, or NULL when every ring is drained. */
static struct learn_ring *
ring_oldest(struct vx_ctl *c, struct learn_ring *rings, unsigned int nr)
{
	struct learn_ring *best = NULL;

	for (unsigned int w = 0; w < nr; w++) {
		struct learn_ring *lr = &rings[w];

		if (!ring_fill(c, lr))
			continue;
		if (best == NULL || lr->req[lr->i].tsc < best->req[best->i].tsc)
			best = lr;
	}
	return best;
}

void
vx_core_learn_poll(struct vx_ctl *c)
{
	struct learn_batch *b;
	struct learn_ring *rings, *lr;
	unsigned int nr = 0;

	if (c->core == NULL || c->dp == NULL)
		return;
	b = c->core->learn_batch;
	if (b == NULL) {
		b = c->core->learn_batch = calloc(1, sizeof(*b));
		if (b == NULL)
			return; /* retried next poll; the rings keep the requests */
	}
	rings = b->rings;
	for (uint16_t w = 0; w < VX_MAX_WORKERS; w++)
		if (c->dp->learn_ring[w] != NULL)
			rings[nr++] = (struct learn_ring){.r = c->dp->learn_ring[w],
							  .budget = c->core->learn_budget};
	c->core->announce = vx_ctl_event_wanted(c, "fdb") || vx_ctl_event_wanted(c, "fdb.json");
	c->core->learn_last_poll = 0;
	while ((lr = ring_oldest(c, rings, nr)) != NULL) {
		if (lr->i + LEARN_AHEAD < lr->n)
			vx_fdb_prefetch(&c->dp->fdb, lr->req[lr->i + LEARN_AHEAD].key);
		learn_one(c, &lr->req[lr->i++], b);
	}
	learn_flush(c, b);
	c->core->announce = false;
}
