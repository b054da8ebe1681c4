/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The forwarding database: an open-addressing table of one-cache-line
 * buckets (four 8-byte keys, then their four entry words), lock-free
 * readers, one writer. See include/vx_fdb.h for the contract.
 *
 * Why not rte_hash: with 8-byte keys, rte_hash's bulk lookup costs a
 * signature compare, an indirect key-compare call and a second line (the
 * key store) per key, and an add costs a cuckoo search; profiled on the
 * encap4-256 bench, the two lookups per frame (source, destination) were
 * 27 % of the worker, and adds were 60-68 % of the control thread during a
 * learn storm. Here a hit in the home bucket is one prefetched line and
 * four integer compares, an add is one store of the key and one of the
 * word, and keys never move (no cuckoo displacement), so positions stay
 * stable for last_seen[] and the control thread's per-position bits.
 *
 * Reclamation. A deleted slot keeps its bit in taken[] until a grace period
 * on the dataplane's QSBR variable is over (our own rte_rcu_qsbr_dq; when
 * it is full we reclaim, and if workers are slow we wait for a grace
 * period, control thread only, rather than leak a slot).
 */

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "vx_crc.h"
#include "vx_fdb.h"
#include "vx_limits.h"
#include "vx_rcu.h"

static_assert(sizeof(struct vx_fdb_bkt) == RTE_CACHE_LINE_SIZE, "a bucket is one cache line");
static_assert(VX_FDB_SLOTS <= 8, "taken[] has a bit per slot");
static_assert(VX_FDB_MAX_DIST <= UINT8_MAX, "dist[] is a byte");

/* Defer queue: at most this many deleted positions wait for a grace period. */
#define FDB_DQ_MAX	     65535
#define FDB_DQ_TRIGGER	     32 /* reclaim on enqueue above this many pending */
#define FDB_DQ_RECLAIM_BATCH 64
#define FDB_LOOKUP_MAX	     (2 * VX_BURST) /* keys hashed and prefetched in one pass */
#define FDB_SLOT_MASK	     ((1u << VX_FDB_SLOTS) - 1)

static uint32_t fdb_serial; /* unique names for the defer queues */

static inline uint32_t
fdb_next(const struct vx_fdb *f, uint32_t b)
{
	return ++b == f->nbuckets ? 0 : b;
}

/*
 * Position of key from bucket `home` on, -1 when absent. Workers and the
 * writer alike: the key load is acquire so that a word read after a key
 * match is never older than the key (the writer stores key, then word).
 * A branch per slot: tried with two SSE4.1 16-byte compares and a movemask
 * instead, encap4-256 lost about 2.5 cycles per packet (interleaved A/B
 * runs of scripts/bench.sh), as most keys sit in slot 0 of their bucket.
 */
static inline int32_t
fdb_in_bucket(const struct vx_fdb *f, uint32_t b, uint64_t key)
{
	for (unsigned int s = 0; s < VX_FDB_SLOTS; s++)
		if (__atomic_load_n(&f->bkt[b].key[s], __ATOMIC_ACQUIRE) == key)
			return (int32_t)(b * VX_FDB_SLOTS + s);
	return -1;
}

/* The buckets after home that an insert may have used (dist[home]). */
static inline int32_t
fdb_find_past_home(const struct vx_fdb *f, uint64_t key, uint32_t home)
{
	uint32_t b = home, n = __atomic_load_n(&f->dist[home], __ATOMIC_ACQUIRE);
	int32_t pos = -1;

	for (uint32_t d = 1; d <= n && pos < 0; d++) {
		b = fdb_next(f, b);
		pos = fdb_in_bucket(f, b, key);
	}
	return pos;
}

static inline int32_t
fdb_find(const struct vx_fdb *f, uint64_t key, uint32_t home)
{
	int32_t pos = fdb_in_bucket(f, home, key);

	/* dist[home] only when the key is not at home: one line for most lookups. */
	return likely(pos >= 0) ? pos : fdb_find_past_home(f, key, home);
}

static inline uint64_t *
fdb_ent(const struct vx_fdb *f, uint32_t pos)
{
	return &f->bkt[pos / VX_FDB_SLOTS].ent[pos % VX_FDB_SLOTS];
}

/* A free slot is back: no reader can still hold its old key. */
static void
fdb_release(struct vx_fdb *f, uint32_t pos)
{
	vx_fdb_set_seen(f, pos, 0);
	f->taken[pos / VX_FDB_SLOTS] &= ~(1u << (pos % VX_FDB_SLOTS));
	f->used--;
}

/* Defer queue callback: the grace period of a deleted position is over. */
static void
fdb_free_pos(void *p, void *e, unsigned int n)
{
	uint32_t pos;

	RTE_SET_USED(n); /* rte_rcu_qsbr_dq_reclaim frees one element per call */
	memcpy(&pos, e, sizeof(pos));
	fdb_release(p, pos);
}

int
vx_fdb_init(struct vx_fdb *f, uint32_t capacity, struct rte_rcu_qsbr *qs, int socket_id)
{
	struct rte_rcu_qsbr_dq_parameters dqp = {0};
	char dqname[RTE_RCU_QSBR_DQ_NAMESIZE];
	uint64_t slots;
	uint32_t serial;
	int ret;

	memset(f, 0, sizeof(*f));
	if (capacity == 0 || capacity > VX_FDB_MAX_CAPACITY)
		return -EINVAL;
	serial = __atomic_fetch_add(&fdb_serial, 1, __ATOMIC_RELAXED);

	/* At most VX_FDB_LOAD_PCT % of the slots in use at capacity; two buckets at least. */
	slots = ((uint64_t)capacity * 100 + VX_FDB_LOAD_PCT - 1) / VX_FDB_LOAD_PCT;
	f->nbuckets = RTE_MAX((uint32_t)((slots + VX_FDB_SLOTS - 1) / VX_FDB_SLOTS), 2u);
	f->nslots = f->nbuckets * VX_FDB_SLOTS;
	/* A random seed: which MACs share a bucket cannot be chosen from outside. */
	f->seed = (uint32_t)rte_rand();
	f->bkt = rte_malloc_socket("vx_fdb_bkt", sizeof(*f->bkt) * f->nbuckets, RTE_CACHE_LINE_SIZE,
				   socket_id);
	f->dist = rte_zmalloc_socket("vx_fdb_dist", f->nbuckets, RTE_CACHE_LINE_SIZE, socket_id);
	f->taken = rte_zmalloc_socket("vx_fdb_taken", f->nbuckets, RTE_CACHE_LINE_SIZE, socket_id);
	f->last_seen = rte_zmalloc_socket("vx_fdb_seen", sizeof(*f->last_seen) * f->nslots,
					  RTE_CACHE_LINE_SIZE, socket_id);
	if (f->bkt == NULL || f->dist == NULL || f->taken == NULL || f->last_seen == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	for (uint32_t b = 0; b < f->nbuckets; b++) {
		for (unsigned int s = 0; s < VX_FDB_SLOTS; s++) {
			f->bkt[b].key[s] = VX_FDB_KEY_NONE;
			f->bkt[b].ent[s] = 0;
		}
	}

	f->qs = qs;
	if (qs != NULL) {
		snprintf(dqname, sizeof(dqname), "vxfdq%u", serial);
		dqp.name = dqname;
		dqp.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE; /* one writer */
		dqp.size = RTE_MIN(capacity + 1, (uint32_t)FDB_DQ_MAX);
		dqp.esize = sizeof(uint32_t);
		dqp.trigger_reclaim_limit = FDB_DQ_TRIGGER;
		dqp.max_reclaim_size = FDB_DQ_RECLAIM_BATCH;
		dqp.free_fn = fdb_free_pos;
		dqp.p = f;
		dqp.v = qs;
		f->dq = rte_rcu_qsbr_dq_create(&dqp);
		if (f->dq == NULL) {
			ret = rte_errno ? -rte_errno : -ENOMEM;
			goto err;
		}
	}
	f->capacity = capacity;
	return 0;

err:
	vx_fdb_fini(f);
	return ret;
}

void
vx_fdb_fini(struct vx_fdb *f)
{
	if (f->dq != NULL) {
		/* Workers are stopped (or offline) by now: frees every pending slot. */
		rte_rcu_qsbr_dq_delete(f->dq);
		f->dq = NULL;
	}
	rte_free(f->bkt);
	rte_free(f->dist);
	rte_free(f->taken);
	rte_free(f->last_seen);
	memset(f, 0, sizeof(*f));
}

unsigned int
vx_fdb_reclaim(struct vx_fdb *f, bool wait)
{
	unsigned int pending = 0;

	if (f->dq == NULL)
		return 0;
	if (wait)
		vx_rcu_wait(f->qs);
	rte_rcu_qsbr_dq_reclaim(f->dq, UINT32_MAX, NULL, &pending, NULL);
	return pending;
}

/* Hand a deleted position to the defer queue; never loses it. */
static void
fdb_defer_free(struct vx_fdb *f, uint32_t pos)
{
	if (f->dq == NULL) {
		/* No readers to wait for. */
		fdb_release(f, pos);
		return;
	}
	if (rte_rcu_qsbr_dq_enqueue(f->dq, &pos) == 0)
		return;
	/* Queue full: free what is due, and if nothing is, wait for a grace period. */
	vx_fdb_reclaim(f, false);
	if (rte_rcu_qsbr_dq_enqueue(f->dq, &pos) == 0)
		return;
	vx_fdb_reclaim(f, true);
	if (rte_rcu_qsbr_dq_enqueue(f->dq, &pos) == 0)
		return;
	vx_rcu_wait(f->qs);
	fdb_free_pos(f, &pos, 1);
}

/* First free slot from home on, within VX_FDB_MAX_DIST buckets; -1 if none. */
static int32_t
fdb_free_slot(const struct vx_fdb *f, uint32_t home, uint32_t *dist)
{
	uint32_t b = home;

	for (uint32_t d = 0; d <= VX_FDB_MAX_DIST; d++, b = fdb_next(f, b)) {
		unsigned int t = f->taken[b];

		if (t != FDB_SLOT_MASK) {
			*dist = d;
			return (int32_t)(b * VX_FDB_SLOTS + __builtin_ctz(~t & FDB_SLOT_MASK));
		}
	}
	return -1;
}

/* Add a key known to be absent; its position or -ENOSPC. */
static int32_t
fdb_insert(struct vx_fdb *f, uint64_t key, uint32_t home, uint64_t entry)
{
	uint32_t d = 0, b;
	int32_t pos;

	if (f->count >= f->capacity)
		return -ENOSPC;
	pos = fdb_free_slot(f, home, &d);
	if (pos < 0 && f->dq != NULL) {
		/* Freed slots may have been waiting for their grace period. */
		vx_fdb_reclaim(f, false);
		pos = fdb_free_slot(f, home, &d);
	}
	if (pos < 0)
		return -ENOSPC;
	b = (uint32_t)pos / VX_FDB_SLOTS;
	f->taken[b] |= 1u << (pos % VX_FDB_SLOTS);
	f->used++;
	f->count++;
	/* The key's run must be visible before the key is, and the key before its word. */
	if (d > f->dist[home])
		__atomic_store_n(&f->dist[home], (uint8_t)d, __ATOMIC_RELEASE);
	__atomic_store_n(&f->bkt[b].key[pos % VX_FDB_SLOTS], key, __ATOMIC_RELEASE);
	__atomic_store_n(&f->bkt[b].ent[pos % VX_FDB_SLOTS], entry, __ATOMIC_RELEASE);
	return pos;
}

static inline bool
fdb_word_ok(uint64_t key, uint64_t entry)
{
	return (entry & VX_FDB_VALID) && !(entry & VX_FDB_RSVD_MASK) && key != VX_FDB_KEY_NONE;
}

/* vx_fdb_set() with the home bucket known; the position or -errno. */
static int32_t
fdb_set(struct vx_fdb *f, uint64_t key, uint32_t home, uint64_t entry)
{
	int32_t pos;

	if (!fdb_word_ok(key, entry))
		return -EINVAL;
	pos = fdb_find(f, key, home);
	if (pos >= 0) {
		/* Replace or move: readers see the old word or the new one. */
		__atomic_store_n(fdb_ent(f, pos), entry, __ATOMIC_RELEASE);
		return pos;
	}
	return fdb_insert(f, key, home, entry);
}

int
vx_fdb_set(struct vx_fdb *f, uint64_t key, uint64_t entry)
{
	int32_t pos = fdb_set(f, key, vx_fdb_home(f, key), entry);

	return pos < 0 ? pos : 0;
}

unsigned int
vx_fdb_set_bulk(struct vx_fdb *f, const uint64_t *keys, const uint64_t *entries, unsigned int n,
		int32_t *ret)
{
	uint32_t home[VX_BURST];
	unsigned int i, done = 0;
	int32_t r;

	while (unlikely(n > VX_BURST)) {
		done += vx_fdb_set_bulk(f, keys, entries, VX_BURST, ret);
		keys += VX_BURST;
		entries += VX_BURST;
		if (ret != NULL)
			ret += VX_BURST;
		n -= VX_BURST;
	}
	/* Fetch every home bucket of the batch first, then work on warm lines. */
	for (i = 0; i < n; i++) {
		home[i] = vx_fdb_home(f, keys[i]);
		rte_prefetch0(&f->bkt[home[i]]);
		rte_prefetch0(&f->taken[home[i]]);
	}
	for (i = 0; i < n; i++) {
		/* A key twice in one batch: the second finds the first (same thread). */
		r = fdb_set(f, keys[i], home[i], entries[i]);
		if (r >= 0)
			done++;
		if (ret != NULL)
			ret[i] = r;
	}
	return done;
}

int
vx_fdb_del(struct vx_fdb *f, uint64_t key)
{
	int32_t pos;
	uint32_t b;

	if (key == VX_FDB_KEY_NONE)
		return -ENOENT;
	pos = fdb_find(f, key, vx_fdb_home(f, key));
	if (pos < 0)
		return -ENOENT;
	b = (uint32_t)pos / VX_FDB_SLOTS;
	/* Readers that still match the key from now on read a miss; then nobody matches it. */
	__atomic_store_n(&f->bkt[b].ent[pos % VX_FDB_SLOTS], 0, __ATOMIC_RELEASE);
	__atomic_store_n(&f->bkt[b].key[pos % VX_FDB_SLOTS], VX_FDB_KEY_NONE, __ATOMIC_RELEASE);
	f->count--;
	fdb_defer_free(f, (uint32_t)pos);
	return 0;
}

void
vx_fdb_prefetch(const struct vx_fdb *f, uint64_t key)
{
	rte_prefetch0(&f->bkt[vx_fdb_home(f, key)]);
}

uint64_t
vx_fdb_get(const struct vx_fdb *f, uint64_t key, int32_t *pos)
{
	int32_t p;
	uint64_t e;

	if (key == VX_FDB_KEY_NONE)
		return 0;
	p = fdb_find(f, key, vx_fdb_home(f, key));
	if (p < 0)
		return 0;
	e = __atomic_load_n(fdb_ent(f, p), __ATOMIC_ACQUIRE);
	if (!(e & VX_FDB_VALID))
		return 0;
	if (pos != NULL)
		*pos = p;
	return e;
}

uint32_t
vx_fdb_walk(struct vx_fdb *f, uint32_t *cursor, uint32_t budget, vx_fdb_walk_fn fn, void *arg)
{
	uint32_t pos, end, seen = 0;
	uint64_t e, key;

	pos = *cursor;
	if (pos >= f->nslots)
		pos = 0;
	end = budget > f->nslots - pos ? f->nslots : pos + budget;
	for (; pos < end; pos++) {
		e = __atomic_load_n(fdb_ent(f, pos), __ATOMIC_RELAXED);
		if (!(e & VX_FDB_VALID))
			continue;
		key = f->bkt[pos / VX_FDB_SLOTS].key[pos % VX_FDB_SLOTS];
		seen++;
		if (fn != NULL)
			fn(f, key, e, pos, arg); /* may delete this key */
	}
	*cursor = end >= f->nslots ? 0 : end;
	return seen;
}

/* One key of a bulk lookup, its home bucket fetched: the entry word, 0 on a miss. */
static __rte_always_inline uint64_t
fdb_lookup_one(const struct vx_fdb *f, const struct vx_fdb_bkt *bkt, uint64_t key, uint32_t home,
	       int32_t *pos)
{
	const struct vx_fdb_bkt *b = &bkt[home];
	unsigned int s;
	uint64_t e;
	int32_t p;

	/* The home bucket from its own pointer (fdb_find() without the reloads). */
	for (s = 0; s < VX_FDB_SLOTS; s++)
		if (__atomic_load_n(&b->key[s], __ATOMIC_ACQUIRE) == key)
			break;
	if (likely(s < VX_FDB_SLOTS)) {
		p = (int32_t)(home * VX_FDB_SLOTS + s);
		e = __atomic_load_n(&b->ent[s], __ATOMIC_ACQUIRE);
	} else {
		p = fdb_find_past_home(f, key, home);
		e = p >= 0 ? __atomic_load_n(fdb_ent(f, p), __ATOMIC_ACQUIRE) : 0;
	}
	if (!(e & VX_FDB_VALID)) {
		e = 0;
		p = -1;
	}
	*pos = p;
	return e;
}

void
vx_fdb_lookup_bulk_seen(const struct vx_fdb *f, const uint64_t *keys, unsigned int n,
			unsigned int nseen, uint64_t *entries, int32_t *pos)
{
	/*
	 * The arrays in locals: each acquire load would otherwise make the
	 * compiler load f->bkt again for the next key.
	 */
	const struct vx_fdb_bkt *bkt = f->bkt;
	const uint32_t *seen = f->last_seen;
	uint32_t home[FDB_LOOKUP_MAX];
	unsigned int i;

	while (unlikely(n > FDB_LOOKUP_MAX)) {
		unsigned int ns = RTE_MIN(nseen, (unsigned int)FDB_LOOKUP_MAX);

		vx_fdb_lookup_bulk_seen(f, keys, FDB_LOOKUP_MAX, ns, entries, pos);
		keys += FDB_LOOKUP_MAX;
		entries += FDB_LOOKUP_MAX;
		pos += FDB_LOOKUP_MAX;
		n -= FDB_LOOKUP_MAX;
		nseen -= ns;
	}
	nseen = RTE_MIN(nseen, n);
	/* Every home line of the burst in flight before any is read. */
	for (i = 0; i < n; i++) {
		home[i] = vx_fdb_home(f, keys[i]);
		rte_prefetch0(&bkt[home[i]]);
	}
	/* The first nseen: their last_seen lines as soon as the position is known. */
	for (i = 0; i < nseen; i++) {
		entries[i] = fdb_lookup_one(f, bkt, keys[i], home[i], &pos[i]);
		if (pos[i] >= 0)
			rte_prefetch0(&seen[pos[i]]);
	}
	for (; i < n; i++)
		entries[i] = fdb_lookup_one(f, bkt, keys[i], home[i], &pos[i]);
}
