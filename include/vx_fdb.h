/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_FDB_H
#define VX_FDB_H

/*
 * The forwarding database.
 *
 * Maps (bridge domain, MAC) to where the MAC lives: a local access port
 * and VLAN, or a remote VTEP object (vx_tables.h) that carries the outer
 * address, UDP port and VNI.
 *
 * Key: one 64-bit word, bridge domain in the top 16 bits and the MAC in the
 * low 48 (vx_fdb_key()). Bridge domains, not VNIs, key the table so that
 * the key fits a machine word; vni_bd[] in vx_tables.h maps VNI to bridge
 * domain.
 *
 * Storage: an open-addressing table of 64-byte buckets (one cache line:
 * four keys, then their four entry words), linear probing over buckets.
 * A key's home bucket comes from a CRC32C of the key with a per-table random
 * seed; dist[home] says how many buckets past home the keys homed there may
 * have gone (it only grows), so a lookup reads the home line and, only when
 * the key is not in it, the next dist[home] lines. pos = bucket * 4 + slot;
 * keys never move, so a position is stable for the life of the entry. Sized
 * for a load of at most VX_FDB_LOAD_PCT % at `capacity` entries, so a free
 * slot is nearly always in the home bucket or the next one; an insert that
 * finds none within VX_FDB_MAX_DIST buckets fails with -ENOSPC (counted by
 * the caller), which random hashes make vanishingly rare.
 *
 * An entry is one 64-bit word (VX_FDB_* below) so that an update or a MAC
 * move is a single atomic store, never a torn read. Publishing a new key:
 * key, then the word (release). Deleting: word 0, then key VX_FDB_KEY_NONE;
 * the slot is handed out again only after a grace period on the
 * dataplane's QSBR variable (rte_rcu_qsbr_dq_*), so a reader that matched
 * the old key can never read a new key's word. last_seen[pos] holds the
 * second a dynamic entry was last used as a source; workers write it only
 * when the value differs, to keep the cache line clean.
 *
 * Writer: the control thread only (static config, learn requests from the
 * per-worker rings, ageing, flush). Readers: the workers, with bulk lookups
 * over a whole burst, lock-free.
 *
 * Freeing: vx_fdb_del() clears the word (readers then see a miss) and the
 * key; the slot becomes free again after a grace period (reclaimed on later
 * deletes and adds, or by vx_fdb_reclaim()), and its last_seen is reset to
 * 0 then.
 *
 * last_seen of a new entry: vx_fdb_set() does not know the time. After
 * adding a dynamic entry the control thread sets it with
 * vx_fdb_set_seen(f, pos, now), pos from vx_fdb_get().
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_common.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "vx_crc.h"

/* Entry word layout. A zero word is "no entry". */
#define VX_FDB_VALID	  (1ULL << 63)
#define VX_FDB_REMOTE	  (1ULL << 62) /* index is a VTEP index, else a port id */
#define VX_FDB_STATIC	  (1ULL << 61) /* never overwritten by learning, never aged */
#define VX_FDB_ROUTER	  (1ULL << 60) /* "router" flag of bridge fdb (route short-circuit) */
#define VX_FDB_VLAN_SHIFT 24
#define VX_FDB_VLAN_MASK  0xfffULL    /* local entries: VLAN to tag with, 0 = untagged */
#define VX_FDB_INDEX_MASK 0xffffffULL /* port id or VTEP index */
/*
 * Bits 36..59 are reserved: always 0 in a word given to or returned by the
 * FDB (permanent vs static is the control thread's, see core/model.h).
 */
#define VX_FDB_RSVD_MASK    (((1ULL << 24) - 1) << 36)
#define VX_FDB_MAX_CAPACITY ((1u << 23) - 2)
/* A key no entry can have (bridge domain 0xffff is never used): a free slot. */
#define VX_FDB_KEY_NONE UINT64_MAX
#define VX_FDB_SLOTS	4   /* per bucket */
#define VX_FDB_LOAD_PCT 60  /* most slots in use at `capacity` entries, percent */
#define VX_FDB_MAX_DIST 255 /* farthest bucket past home an insert may use */

static inline uint64_t
vx_fdb_key(uint16_t bd, const struct rte_ether_addr *mac)
{
	const uint8_t *a = mac->addr_bytes;

	return ((uint64_t)bd << 48) | ((uint64_t)a[0] << 40) | ((uint64_t)a[1] << 32) |
	       ((uint64_t)a[2] << 24) | ((uint64_t)a[3] << 16) | ((uint64_t)a[4] << 8) | a[5];
}

static inline uint16_t
vx_fdb_key_bd(uint64_t key)
{
	return key >> 48;
}

static inline void
vx_fdb_key_mac(uint64_t key, struct rte_ether_addr *mac)
{
	for (int i = 5; i >= 0; i--) {
		mac->addr_bytes[i] = key & 0xff;
		key >>= 8;
	}
}

static inline uint64_t
vx_fdb_local(uint16_t port, uint16_t vlan, uint64_t flags)
{
	return VX_FDB_VALID | flags | ((uint64_t)(vlan & VX_FDB_VLAN_MASK) << VX_FDB_VLAN_SHIFT) |
	       port;
}

static inline uint64_t
vx_fdb_remote(uint32_t vtep, uint64_t flags)
{
	return VX_FDB_VALID | VX_FDB_REMOTE | flags | (vtep & VX_FDB_INDEX_MASK);
}

static inline uint32_t
vx_fdb_index(uint64_t e)
{
	return e & VX_FDB_INDEX_MASK;
}

static inline uint16_t
vx_fdb_vlan(uint64_t e)
{
	return (e >> VX_FDB_VLAN_SHIFT) & VX_FDB_VLAN_MASK;
}

/* One cache line: the keys first (compared), then their entry words. */
struct vx_fdb_bkt {
	uint64_t key[VX_FDB_SLOTS]; /* VX_FDB_KEY_NONE when free */
	uint64_t ent[VX_FDB_SLOTS]; /* 0 when free or deleted */
} __rte_cache_aligned;

struct vx_fdb {
	struct vx_fdb_bkt *bkt; /* [nbuckets] */
	uint8_t *dist;		/* [nbuckets], see above */
	uint8_t *taken;		/* [nbuckets], writer only: slots not free (bit per slot) */
	uint32_t *last_seen;	/* [nslots], seconds (vx_dp.now) */
	uint32_t nbuckets;
	uint32_t nslots;	    /* nbuckets * VX_FDB_SLOTS */
	uint32_t seed;		    /* of the bucket hash */
	uint32_t capacity;	    /* global limit on entries */
	uint32_t count;		    /* entries now (writer only) */
	uint32_t used;		    /* slots taken: count + those waiting for a grace period */
	struct rte_rcu_qsbr *qs;    /* readers' QSBR variable; NULL = no concurrent readers */
	struct rte_rcu_qsbr_dq *dq; /* deleted positions waiting for a grace period */
};

/*
 * The key's home bucket: CRC32C of the key with the table's seed, mapped
 * onto [0, nbuckets) by multiply-shift.
 */
static inline uint32_t
vx_fdb_home(const struct vx_fdb *f, uint64_t key)
{
	uint32_t h = vx_crc_8byte(key, f->seed);

	return (uint32_t)(((uint64_t)h * f->nbuckets) >> 32);
}

/* The entry word at a position (0 when free). */
static inline uint64_t
vx_fdb_at(const struct vx_fdb *f, uint32_t pos)
{
	return __atomic_load_n(&f->bkt[pos / VX_FDB_SLOTS].ent[pos % VX_FDB_SLOTS],
			       __ATOMIC_ACQUIRE);
}

/* Control thread side. Return 0 or -errno. */
int vx_fdb_init(struct vx_fdb *f, uint32_t capacity, struct rte_rcu_qsbr *qs, int socket_id);
void vx_fdb_fini(struct vx_fdb *f);
/*
 * Give back the slots whose grace period is over (with wait: wait for one
 * first, vx_rcu_wait). Returns slots still pending. Optional:
 * deletes and adds reclaim by themselves; ageing may call it once a pass.
 */
unsigned int vx_fdb_reclaim(struct vx_fdb *f, bool wait);
/*
 * Add or replace (one atomic store for a replace); -ENOSPC when `capacity`
 * entries exist (or when no slot is free within VX_FDB_MAX_DIST buckets of
 * the key's home), -EINVAL when entry lacks VX_FDB_VALID or uses reserved
 * bits, or key is VX_FDB_KEY_NONE.
 */
int vx_fdb_set(struct vx_fdb *f, uint64_t key, uint64_t entry);
/*
 * vx_fdb_set() over a batch (a drained learn ring), key by key in order,
 * but the buckets of the whole batch are fetched at once. ret[i] (when ret
 * is non-NULL): the entry's position when set (so the caller can set
 * last_seen[ret[i]] = now), else what vx_fdb_set() would have returned.
 * Returns how many were set.
 */
unsigned int vx_fdb_set_bulk(struct vx_fdb *f, const uint64_t *keys, const uint64_t *entries,
			     unsigned int n, int32_t *ret);
int vx_fdb_del(struct vx_fdb *f, uint64_t key);
/* Start fetching the home bucket of key (a drained learn ring, ahead of vx_fdb_get). */
void vx_fdb_prefetch(const struct vx_fdb *f, uint64_t key);
/* Entry word for key, 0 when absent; *pos set when non-NULL and present. */
uint64_t vx_fdb_get(const struct vx_fdb *f, uint64_t key, int32_t *pos);
/*
 * Walk positions [*cursor, *cursor + budget) and call fn for each valid
 * entry; *cursor wraps to 0 at the end. Used by ageing, show and flush,
 * so no walk ever holds the control thread for long. Returns entries seen.
 */
typedef void (*vx_fdb_walk_fn)(struct vx_fdb *f, uint64_t key, uint64_t entry, uint32_t pos,
			       void *arg);
uint32_t vx_fdb_walk(struct vx_fdb *f, uint32_t *cursor, uint32_t budget, vx_fdb_walk_fn fn,
		     void *arg);

/*
 * Worker side: look up n keys; entries[i] is 0 on a miss (pos[i] = -1)
 * and pos[i] is the position on a hit. Prefetches the buckets of the whole
 * burst before reading any of them. Any n; a burst's source and
 * destination keys go in one call, the sources first: for the first nseen
 * keys, last_seen[pos] is prefetched too as soon as the position is known.
 * Positions are random in the table, so at 1M entries each is a cache
 * miss, which comes in while the destinations are served; the stages
 * vx_fdb_touch() the sources after that.
 */
void vx_fdb_lookup_bulk_seen(const struct vx_fdb *f, const uint64_t *keys, unsigned int n,
			     unsigned int nseen, uint64_t *entries, int32_t *pos);

static inline void
vx_fdb_lookup_bulk(const struct vx_fdb *f, const uint64_t *keys, unsigned int n, uint64_t *entries,
		   int32_t *pos)
{
	vx_fdb_lookup_bulk_seen(f, keys, n, 0, entries, pos);
}

/*
 * last_seen[pos]: workers store it while the control thread reads it (ageing,
 * show) and stores it (a new entry, a freed slot). Relaxed atomics: it is a
 * hint read on its own, nothing else is published through it, and a store
 * lost to a concurrent one costs at most one second of an entry's age.
 */
static inline uint32_t
vx_fdb_seen(const struct vx_fdb *f, uint32_t pos)
{
	return __atomic_load_n(&f->last_seen[pos], __ATOMIC_RELAXED);
}

static inline void
vx_fdb_set_seen(const struct vx_fdb *f, uint32_t pos, uint32_t now)
{
	__atomic_store_n(&f->last_seen[pos], now, __ATOMIC_RELAXED);
}

/* Worker side: refresh last_seen only when it changed. */
static inline void
vx_fdb_touch(const struct vx_fdb *f, int32_t pos, uint32_t now)
{
	if (vx_fdb_seen(f, pos) != now)
		vx_fdb_set_seen(f, pos, now);
}

#endif /* VX_FDB_H */
