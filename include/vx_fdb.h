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
 * Storage: an rte_hash created with RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF
 * (and EXT_TABLE, so `capacity` keys always fit), whose deleted key slots
 * go through a QSBR defer queue on the dataplane's QSBR variable
 * (rte_rcu_qsbr_dq_*, owned by the FDB rather than rte_hash_rcu_qsbr_add's,
 * see dataplane/fdb.c for why), so a deleted key's slot is reused only
 * after every worker has gone through a quiescent state. pos is the key's
 * position returned by rte_hash. An entry is one 64-bit word (VX_FDB_*
 * below) so that an update or a MAC move is a single atomic store, never
 * a torn read. It is kept twice: in entry[pos] for the control thread
 * (vx_fdb_get, vx_fdb_walk) and in the hash's data slot of the key, with
 * pos in the reserved bits, for the workers (vx_fdb_lookup_bulk reads it
 * from the cache line it compared the key in). last_seen[pos] holds the
 * second a dynamic entry was last used as a source; workers write it only
 * when the value differs, to keep the cache line clean.
 *
 * Writer: the control thread only (static config, learn requests from the
 * per-worker rings, ageing, flush). Readers: the workers, with bulk lookups
 * over a whole burst, lock-free.
 *
 * Freeing: vx_fdb_del() clears the word (readers then see a miss) before
 * deleting the key; the slot returns to the free list after a grace period
 * (reclaimed on later deletes and adds, or by vx_fdb_reclaim()), and its
 * last_seen is reset to 0 then.
 *
 * last_seen of a new entry: vx_fdb_set() does not know the time. After
 * adding a dynamic entry the control thread sets f->last_seen[pos] = now,
 * pos from vx_fdb_get().
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

/* Entry word layout. A zero word is "no entry". */
#define VX_FDB_VALID	  (1ULL << 63)
#define VX_FDB_REMOTE	  (1ULL << 62) /* index is a VTEP index, else a port id */
#define VX_FDB_STATIC	  (1ULL << 61) /* never overwritten by learning, never aged */
#define VX_FDB_ROUTER	  (1ULL << 60) /* "router" flag of bridge fdb (route short-circuit) */
#define VX_FDB_PERMANENT  (1ULL << 59) /* "permanent": local address of the switch itself */
#define VX_FDB_VLAN_SHIFT 24
#define VX_FDB_VLAN_MASK  0xfffULL    /* local entries: VLAN to tag with, 0 = untagged */
#define VX_FDB_INDEX_MASK 0xffffffULL /* port id or VTEP index */
/* Bits 36..58 are reserved: always 0 in a word given to or returned by the FDB. */
#define VX_FDB_RSVD_MASK    (((1ULL << 23) - 1) << 36)
#define VX_FDB_MAX_CAPACITY ((1u << 23) - 2) /* positions must fit the reserved bits */

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

struct vx_fdb {
	struct rte_hash *h;
	uint64_t *entry;	    /* [nslots], by key position */
	uint32_t *last_seen;	    /* [nslots], seconds (vx_dp.now) */
	uint32_t nslots;	    /* rte_hash_max_key_id() + 1 */
	uint32_t capacity;	    /* global limit on entries */
	uint32_t count;		    /* entries now (writer only) */
	struct rte_rcu_qsbr *qs;    /* readers' QSBR variable; NULL = no concurrent readers */
	struct rte_rcu_qsbr_dq *dq; /* deleted positions waiting for a grace period */
};

/* Control thread side. Return 0 or -errno. */
int vx_fdb_init(struct vx_fdb *f, uint32_t capacity, struct rte_rcu_qsbr *qs, int socket_id);
void vx_fdb_fini(struct vx_fdb *f);
/*
 * Give back the slots whose grace period is over (with wait: wait for one
 * first, rte_rcu_qsbr_synchronize). Returns slots still pending. Optional:
 * deletes and adds reclaim by themselves; ageing may call it once a pass.
 */
unsigned int vx_fdb_reclaim(struct vx_fdb *f, bool wait);
/*
 * Add or replace (one atomic store for a replace); -ENOSPC when `capacity`
 * entries exist (or, just below it, when freed slots still wait for their
 * grace period), -EINVAL when entry lacks VX_FDB_VALID.
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
 * burst before reading any of them. Up to 2 * VX_BURST keys go in one pass
 * (e.g. a burst's source and destination keys together: about 7% cheaper
 * per key at 1M entries than two calls); any larger n is split.
 */
void vx_fdb_lookup_bulk(const struct vx_fdb *f, const uint64_t *keys, unsigned int n,
			uint64_t *entries, int32_t *pos);

/* Worker side: refresh last_seen only when it changed. */
static inline void
vx_fdb_touch(const struct vx_fdb *f, int32_t pos, uint32_t now)
{
	if (f->last_seen[pos] != now)
		f->last_seen[pos] = now;
}

#endif /* VX_FDB_H */
