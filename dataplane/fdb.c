/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The forwarding database: an rte_hash of 8-byte keys (lock-free readers,
 * one writer) plus two arrays indexed by the key's position, entry[] and
 * last_seen[]. See include/vx_fdb.h for the contract.
 *
 * Reclamation. rte_hash with RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF does not
 * free a key slot on delete (a reader may still be comparing that key). We
 * keep the deleted positions in our own QSBR defer queue
 * (rte_rcu_qsbr_dq_*, on the dataplane's QSBR variable) and give a slot
 * back with rte_hash_free_key_with_position() once every worker has gone
 * through a quiescent state. We do not use rte_hash_rcu_qsbr_add()'s
 * internal queue because, in DPDK 22.11:
 *  - nothing can drain it on demand (no rte_hash_rcu_qsbr_dq_reclaim yet),
 *    so slots stay "in use" for rte_hash_count() until some later add;
 *  - when it is full, rte_hash_del_key() logs and loses the slot for good;
 *  - its default size (one element per entry, 12 bytes, rounded up to a
 *    power of two) alone costs 24 bytes per entry at 1M entries.
 * Our queue is small; when it is full we reclaim, and if workers are slow
 * we wait for a grace period (control thread only) rather than leak.
 */

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "vx_fdb.h"
#include "vx_limits.h"

/*
 * The workers read an entry from the hash's own data slot of the key (the
 * 8 bytes next to the key in rte_hash's key store): the key compare has
 * just loaded that cache line, so a lookup costs two dependent memory
 * accesses (bucket, key) rather than three (bucket, key, entry[]). The
 * bulk-with-data lookup returns no positions, so that copy of the word also
 * carries pos + 1 in bits the entry layout leaves free (VX_FDB_RSVD_MASK);
 * 0 there means "not published yet" and reads as a miss. entry[] keeps the
 * plain word for the control thread (get, walk).
 */
#define FDB_POS_SHIFT 36
#define FDB_POS_MAX   ((VX_FDB_RSVD_MASK >> FDB_POS_SHIFT) - 1) /* largest position */
static_assert((VX_FDB_RSVD_MASK >> FDB_POS_SHIFT) << FDB_POS_SHIFT == VX_FDB_RSVD_MASK,
	      "reserved bits start at FDB_POS_SHIFT");
static_assert(!(VX_FDB_RSVD_MASK &
		(VX_FDB_VALID | VX_FDB_REMOTE | VX_FDB_STATIC | VX_FDB_ROUTER | VX_FDB_PERMANENT |
		 (VX_FDB_VLAN_MASK << VX_FDB_VLAN_SHIFT) | VX_FDB_INDEX_MASK)),
	      "reserved bits overlap the entry layout");

/* Defer queue: at most this many deleted positions wait for a grace period. */
#define FDB_DQ_MAX	     65535
#define FDB_DQ_TRIGGER	     32 /* reclaim on enqueue above this many pending */
#define FDB_DQ_RECLAIM_BATCH 64
#define FDB_LOOKUP_MAX	     (2 * VX_BURST) /* one lookup pass; <= RTE_HASH_LOOKUP_BULK_MAX */
#define FDB_MIN_ENTRIES	     8		    /* rte_hash refuses fewer than one bucket */

static_assert(FDB_LOOKUP_MAX <= RTE_HASH_LOOKUP_BULK_MAX, "bulk lookup size");

static uint32_t fdb_serial; /* unique names for rte_hash/rte_ring objects */

/*
 * The table hashes with rte_hash_crc and this seed; for one 8-byte key that
 * is exactly rte_hash_crc_8byte(key, seed), which the bulk paths compute
 * inline (no indirect call per key) and pass to the _with_hash calls.
 */
#define FDB_HASH_SEED 0

static inline hash_sig_t
fdb_hash(uint64_t key)
{
	return rte_hash_crc_8byte(key, FDB_HASH_SEED);
}

static int
fdb_key_cmp(const void *a, const void *b, size_t len)
{
	uint64_t x, y;

	RTE_SET_USED(len);
	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return x != y;
}

/* Defer queue callback: the grace period of a deleted position is over. */
static void
fdb_free_pos(void *p, void *e, unsigned int n)
{
	struct vx_fdb *f = p;
	uint32_t pos;

	RTE_SET_USED(n); /* rte_rcu_qsbr_dq_reclaim frees one element per call */
	memcpy(&pos, e, sizeof(pos));
	f->last_seen[pos] = 0;
	rte_hash_free_key_with_position(f->h, pos);
}

int
vx_fdb_init(struct vx_fdb *f, uint32_t capacity, struct rte_rcu_qsbr *qs, int socket_id)
{
	struct rte_hash_parameters hp = {0};
	struct rte_rcu_qsbr_dq_parameters dqp = {0};
	char name[RTE_HASH_NAMESIZE], dqname[RTE_RCU_QSBR_DQ_NAMESIZE];
	uint32_t serial, entries;
	int32_t max_id;
	int ret;

	memset(f, 0, sizeof(*f));
	if (capacity == 0 || capacity > VX_FDB_MAX_CAPACITY)
		return -EINVAL;
	serial = __atomic_fetch_add(&fdb_serial, 1, __ATOMIC_RELAXED);
	snprintf(name, sizeof(name), "vxfdb%u", serial);

	/*
	 * Cuckoo buckets alone fill up before 100% load; the extendable
	 * buckets (as many as the main ones) make every one of `entries`
	 * keys fit, so only the key store bounds the table.
	 */
	entries = RTE_MAX(capacity, (uint32_t)FDB_MIN_ENTRIES);
	hp.name = name;
	hp.entries = entries;
	hp.key_len = sizeof(uint64_t);
	hp.hash_func = rte_hash_crc;
	hp.hash_func_init_val = FDB_HASH_SEED;
	hp.socket_id = socket_id;
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	f->h = rte_hash_create(&hp);
	if (f->h == NULL) {
		ret = rte_errno ? -rte_errno : -ENOMEM;
		goto err;
	}
	rte_hash_set_cmp_func(f->h, fdb_key_cmp);

	max_id = rte_hash_max_key_id(f->h);
	if (max_id < 0) {
		ret = -EINVAL;
		goto err;
	}
	f->nslots = (uint32_t)max_id + 1;
	f->entry = rte_zmalloc_socket("vx_fdb_entry", sizeof(*f->entry) * f->nslots,
				      RTE_CACHE_LINE_SIZE, socket_id);
	f->last_seen = rte_zmalloc_socket("vx_fdb_seen", sizeof(*f->last_seen) * f->nslots,
					  RTE_CACHE_LINE_SIZE, socket_id);
	if (f->entry == NULL || f->last_seen == NULL) {
		ret = -ENOMEM;
		goto err;
	}

	f->qs = qs;
	if (qs != NULL) {
		snprintf(dqname, sizeof(dqname), "vxfdq%u", serial);
		dqp.name = dqname;
		dqp.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE; /* one writer */
		dqp.size = RTE_MIN(entries + 1, (uint32_t)FDB_DQ_MAX);
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
	f->count = 0;
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
	rte_hash_free(f->h);
	rte_free(f->entry);
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
		rte_rcu_qsbr_synchronize(f->qs, RTE_QSBR_THRID_INVALID);
	rte_rcu_qsbr_dq_reclaim(f->dq, UINT32_MAX, NULL, &pending, NULL);
	return pending;
}

/* Hand a deleted position to the defer queue; never loses it. */
static void
fdb_defer_free(struct vx_fdb *f, uint32_t pos)
{
	if (f->dq == NULL) {
		/* No readers to wait for. */
		f->last_seen[pos] = 0;
		rte_hash_free_key_with_position(f->h, pos);
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
	rte_rcu_qsbr_synchronize(f->qs, RTE_QSBR_THRID_INVALID);
	fdb_free_pos(f, &pos, 1);
}

/* The workers' copy of the word: one release store into the key's data slot. */
static inline void
fdb_publish(struct vx_fdb *f, uint64_t key, int32_t pos, uint64_t entry)
{
	uint64_t w = entry ? entry | ((uint64_t)(pos + 1) << FDB_POS_SHIFT) : 0;

	/* On a present key, rte_hash_add_key_data only stores the data (release); returns 0. */
	rte_hash_add_key_data(f->h, &key, (void *)(uintptr_t)w);
	__atomic_store_n(&f->entry[pos], entry, __ATOMIC_RELEASE);
}

int
vx_fdb_set(struct vx_fdb *f, uint64_t key, uint64_t entry)
{
	int32_t pos;

	if (!(entry & VX_FDB_VALID) || (entry & VX_FDB_RSVD_MASK))
		return -EINVAL;
	pos = rte_hash_lookup(f->h, &key);
	if (pos >= 0) {
		/* Replace or move: readers see the old word or the new one. */
		fdb_publish(f, key, pos, entry);
		return 0;
	}
	if (f->count >= f->capacity)
		return -ENOSPC;
	/*
	 * rte_hash_add_key gives the position (the _data variants do not) and
	 * stores NULL data: readers that find the key before the word is
	 * published see a miss.
	 */
	pos = rte_hash_add_key(f->h, &key);
	if (pos == -ENOSPC && f->dq != NULL) {
		/* Free slots may be waiting for their grace period. */
		vx_fdb_reclaim(f, false);
		pos = rte_hash_add_key(f->h, &key);
	}
	if (pos < 0)
		return pos;
	RTE_ASSERT((uint32_t)pos <= FDB_POS_MAX);
	fdb_publish(f, key, pos, entry);
	f->count++;
	return 0;
}

/* Does keys[i] appear in keys[0..i)? */
static inline bool
fdb_dup_before(const uint64_t *keys, unsigned int i)
{
	for (unsigned int j = 0; j < i; j++)
		if (keys[j] == keys[i])
			return true;
	return false;
}

unsigned int
vx_fdb_set_bulk(struct vx_fdb *f, const uint64_t *keys, const uint64_t *entries, unsigned int n,
		int32_t *ret)
{
	const void *kp[VX_BURST];
	hash_sig_t sig[VX_BURST];
	int32_t pos[VX_BURST];
	unsigned int i, done = 0;
	int32_t r;

	while (unlikely(n > VX_BURST)) {
		done += vx_fdb_set_bulk(f, keys, entries, VX_BURST, ret);
		keys += VX_BURST;
		entries += VX_BURST;
		ret += VX_BURST;
		n -= VX_BURST;
	}
	if (n == 0)
		return done;
	/*
	 * One bulk lookup first: it fetches the buckets of every key in
	 * parallel and tells which keys exist, so the adds and replaces
	 * below work on warm cache lines.
	 */
	for (i = 0; i < n; i++) {
		kp[i] = &keys[i];
		sig[i] = fdb_hash(keys[i]);
	}
	rte_hash_lookup_with_hash_bulk(f->h, kp, sig, n, pos);
	for (i = 0; i < n; i++) {
		if (pos[i] >= 0)
			rte_prefetch0(&f->entry[pos[i]]);
	}
	for (i = 0; i < n; i++) {
		uint64_t key = keys[i], entry = entries[i], w;
		int32_t p = pos[i];

		if (!(entry & VX_FDB_VALID) || (entry & VX_FDB_RSVD_MASK)) {
			r = -EINVAL;
			goto next;
		}
		/*
		 * A key may appear twice in a batch: the first one added it. Look
		 * again only then (a scan of at most VX_BURST words is cheaper
		 * than a hash lookup for every new key of a learn storm).
		 */
		if (p < 0 && fdb_dup_before(keys, i))
			p = rte_hash_lookup_with_hash(f->h, &key, sig[i]);
		if (p < 0) {
			if (f->count >= f->capacity) {
				r = -ENOSPC;
				goto next;
			}
			p = rte_hash_add_key_with_hash(f->h, &key, sig[i]);
			if (p == -ENOSPC && f->dq != NULL) {
				vx_fdb_reclaim(f, false);
				p = rte_hash_add_key_with_hash(f->h, &key, sig[i]);
			}
			if (p < 0) {
				r = p;
				goto next;
			}
			f->count++;
		}
		w = entry | ((uint64_t)(p + 1) << FDB_POS_SHIFT);
		rte_hash_add_key_with_hash_data(f->h, &key, sig[i], (void *)(uintptr_t)w);
		__atomic_store_n(&f->entry[p], entry, __ATOMIC_RELEASE);
		r = p;
		done++;
next:
		if (ret != NULL)
			ret[i] = r;
	}
	return done;
}

int
vx_fdb_del(struct vx_fdb *f, uint64_t key)
{
	int32_t pos;

	pos = rte_hash_lookup(f->h, &key);
	if (pos < 0)
		return pos == -ENOENT ? -ENOENT : pos;
	/* Readers that still find the key from now on see a miss. */
	fdb_publish(f, key, pos, 0);
	pos = rte_hash_del_key(f->h, &key);
	if (pos < 0)
		return pos;
	f->count--;
	fdb_defer_free(f, pos);
	return 0;
}

uint64_t
vx_fdb_get(const struct vx_fdb *f, uint64_t key, int32_t *pos)
{
	int32_t p;
	uint64_t e;

	p = rte_hash_lookup(f->h, &key);
	if (p < 0)
		return 0;
	e = __atomic_load_n(&f->entry[p], __ATOMIC_ACQUIRE);
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
	void *kp;

	pos = *cursor;
	if (pos >= f->nslots)
		pos = 0;
	end = budget > f->nslots - pos ? f->nslots : pos + budget;
	for (; pos < end; pos++) {
		e = __atomic_load_n(&f->entry[pos], __ATOMIC_RELAXED);
		if (!(e & VX_FDB_VALID))
			continue;
		if (rte_hash_get_key_with_position(f->h, pos, &kp) != 0)
			continue;
		memcpy(&key, kp, sizeof(key));
		seen++;
		if (fn != NULL)
			fn(f, key, e, pos, arg);
	}
	*cursor = end >= f->nslots ? 0 : end;
	return seen;
}

void
vx_fdb_lookup_bulk(const struct vx_fdb *f, const uint64_t *keys, unsigned int n, uint64_t *entries,
		   int32_t *pos)
{
	const void *kp[FDB_LOOKUP_MAX];
	hash_sig_t sig[FDB_LOOKUP_MAX];
	void *data[FDB_LOOKUP_MAX];
	uint64_t hits = 0, e;
	unsigned int i;

	/* Up to FDB_LOOKUP_MAX keys in one pass; more is split, never overflows. */
	while (unlikely(n > FDB_LOOKUP_MAX)) {
		vx_fdb_lookup_bulk(f, keys, FDB_LOOKUP_MAX, entries, pos);
		keys += FDB_LOOKUP_MAX;
		entries += FDB_LOOKUP_MAX;
		pos += FDB_LOOKUP_MAX;
		n -= FDB_LOOKUP_MAX;
	}
	if (unlikely(n == 0))
		return;
	/*
	 * Hash inline (the table's function is rte_hash_crc, which for one
	 * 8-byte word is rte_hash_crc_8byte): no indirect call per key.
	 * rte_hash_lookup_with_hash_bulk_data then prefetches every primary
	 * and secondary bucket of the burst before comparing any signature,
	 * prefetches the matching key slots, and returns each key's data slot
	 * (loaded with acquire semantics) from the line it compared the key in.
	 */
	for (i = 0; i < n; i++) {
		kp[i] = &keys[i];
		sig[i] = fdb_hash(keys[i]);
	}
	rte_hash_lookup_with_hash_bulk_data(f->h, kp, sig, n, &hits, data);
	for (i = 0; i < n; i++) {
		e = (uintptr_t)data[i];
		if (!(hits & (1ULL << i)) || !(e & VX_FDB_VALID)) {
			entries[i] = 0;
			pos[i] = -1;
			continue;
		}
		entries[i] = e & ~VX_FDB_RSVD_MASK;
		pos[i] = (int32_t)((e & VX_FDB_RSVD_MASK) >> FDB_POS_SHIFT) - 1;
	}
}
