/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FDB (dataplane/fdb.c) on a real EAL: add/get/replace/delete, capacity,
 * walks, bulk lookups, slot reuse only after a grace period, and one
 * million entries within 64 bytes each.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "vx_fdb.h"
#include "vx_limits.h"
#include "vx_tables.h"

/* A distinct key per i: bd 1..7, locally administered unicast MAC. */
static uint64_t
key_of(uint32_t i)
{
	return ((uint64_t)(1 + i % 7) << 48) | 0x020000000000ULL | ((uint64_t)i * 2654435761u);
}

static uint64_t
word_of(uint32_t i)
{
	if (i & 1)
		return vx_fdb_remote(i & VX_FDB_INDEX_MASK, 0);
	return vx_fdb_local(i % VX_MAX_PORTS, i % 4095, 0);
}

static struct rte_rcu_qsbr *
qsbr_new(uint32_t threads)
{
	struct rte_rcu_qsbr *qs;

	qs = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(threads), RTE_CACHE_LINE_SIZE);
	assert_non_null(qs);
	assert_int_equal(rte_rcu_qsbr_init(qs, threads), 0);
	return qs;
}

static void
test_add_get_replace_del(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	struct rte_ether_addr mac = {{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}}, back;
	struct vx_fdb f;
	uint64_t k = vx_fdb_key(10, &mac), w1, w2;
	int32_t pos = -1, pos2 = -1;

	assert_int_equal(vx_fdb_key_bd(k), 10);
	vx_fdb_key_mac(k, &back);
	assert_memory_equal(&back, &mac, sizeof(mac));

	assert_int_equal(vx_fdb_init(&f, 0, qs, rte_socket_id()), -EINVAL);
	assert_int_equal(vx_fdb_init(&f, VX_FDB_MAX_CAPACITY + 1, qs, rte_socket_id()), -EINVAL);
	assert_int_equal(vx_fdb_init(&f, 1024, qs, rte_socket_id()), 0);
	/* Sized for at most VX_FDB_LOAD_PCT % of the slots in use at capacity. */
	assert_true((uint64_t)f.nslots * VX_FDB_LOAD_PCT >= 1024ull * 100);
	assert_int_equal(f.nslots, f.nbuckets * VX_FDB_SLOTS);
	/* The free-slot key is never a key. */
	assert_int_equal(vx_fdb_set(&f, VX_FDB_KEY_NONE, vx_fdb_local(1, 0, 0)), -EINVAL);
	assert_int_equal(vx_fdb_get(&f, VX_FDB_KEY_NONE, NULL), 0);
	assert_int_equal(vx_fdb_del(&f, VX_FDB_KEY_NONE), -ENOENT);
	assert_int_equal(vx_fdb_get(&f, k, &pos), 0);

	w1 = vx_fdb_local(3, 100, 0);
	assert_int_equal(vx_fdb_set(&f, k, w1), 0);
	assert_int_equal(f.count, 1);
	assert_int_equal(vx_fdb_get(&f, k, &pos), w1);
	assert_true(pos >= 0 && (uint32_t)pos < f.nslots);
	assert_int_equal(vx_fdb_index(w1), 3);
	assert_int_equal(vx_fdb_vlan(w1), 100);

	/* Replace (a MAC move): same position, new word, still one entry. */
	w2 = vx_fdb_remote(4242, VX_FDB_STATIC);
	assert_int_equal(vx_fdb_set(&f, k, w2), 0);
	assert_int_equal(vx_fdb_get(&f, k, &pos2), w2);
	assert_int_equal(pos2, pos);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.used, 1);

	/* A word without VX_FDB_VALID is refused. */
	assert_int_equal(vx_fdb_set(&f, k, 0), -EINVAL);
	assert_int_equal(vx_fdb_set(&f, key_of(1), 5), -EINVAL);
	/* Nor one using the reserved bits (the FDB keeps the position there). */
	assert_int_equal(vx_fdb_set(&f, key_of(1), w1 | (1ULL << 40)), -EINVAL);
	assert_int_equal(vx_fdb_set(&f, k, w2 | (1ULL << 58)), -EINVAL);
	assert_int_equal(vx_fdb_get(&f, k, NULL), w2);
	assert_int_equal(f.count, 1);

	assert_int_equal(vx_fdb_del(&f, k), 0);
	assert_int_equal(vx_fdb_get(&f, k, NULL), 0);
	assert_int_equal(vx_fdb_at(&f, pos), 0);
	assert_int_equal(vx_fdb_del(&f, k), -ENOENT);
	assert_int_equal(f.count, 0);
	/* No reader registered: the slot is back at once. */
	assert_int_equal(vx_fdb_reclaim(&f, false), 0);
	assert_int_equal(f.used, 0);

	vx_fdb_fini(&f);
	rte_free(qs);
}

static void
test_capacity(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	const uint32_t cap = 1000; /* not a power of two on purpose */
	uint64_t keys[VX_BURST], ent[VX_BURST];
	int32_t pos[VX_BURST];
	struct vx_fdb f;
	uint32_t i, j;

	assert_int_equal(vx_fdb_init(&f, cap, qs, rte_socket_id()), 0);
	for (i = 0; i < cap; i++)
		assert_int_equal(vx_fdb_set(&f, key_of(i), word_of(i)), 0);
	assert_int_equal(f.count, cap);
	assert_int_equal(vx_fdb_set(&f, key_of(cap), word_of(cap)), -ENOSPC);
	assert_int_equal(vx_fdb_set(&f, key_of(cap + 1), word_of(cap)), -ENOSPC);
	assert_int_equal(f.count, cap);
	/* Replacing an existing entry still works when full. */
	assert_int_equal(vx_fdb_set(&f, key_of(7), word_of(8)), 0);
	assert_int_equal(vx_fdb_get(&f, key_of(7), NULL), word_of(8));
	assert_int_equal(vx_fdb_set(&f, key_of(7), word_of(7)), 0);

	/* Lookups still work, every key found with its word. */
	for (i = 0; i < cap; i += VX_BURST) {
		uint32_t n = RTE_MIN(cap - i, (uint32_t)VX_BURST);

		for (j = 0; j < n; j++)
			keys[j] = key_of(i + j);
		vx_fdb_lookup_bulk(&f, keys, n, ent, pos);
		for (j = 0; j < n; j++) {
			assert_int_equal(ent[j], word_of(i + j));
			assert_true(pos[j] >= 0);
		}
	}
	assert_int_equal(vx_fdb_get(&f, key_of(cap), NULL), 0);

	/* One delete makes room for exactly one more. */
	assert_int_equal(vx_fdb_del(&f, key_of(0)), 0);
	assert_int_equal(vx_fdb_set(&f, key_of(cap), word_of(cap)), 0);
	assert_int_equal(vx_fdb_set(&f, key_of(cap + 1), word_of(cap + 1)), -ENOSPC);
	assert_int_equal(f.count, cap);

	vx_fdb_fini(&f);
	rte_free(qs);
}

static void
test_set_bulk(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	uint64_t keys[40], ent[40];
	int32_t ret[40], p0;
	struct vx_fdb f;
	int32_t p1, p2;
	uint32_t i;

	assert_int_equal(vx_fdb_init(&f, 20, qs, rte_socket_id()), 0);
	assert_int_equal(vx_fdb_set(&f, key_of(3), word_of(3)), 0);

	/* Replace, add, a duplicate in the same batch, an invalid word. */
	keys[0] = key_of(3), ent[0] = word_of(4);		    /* replace */
	keys[1] = key_of(10), ent[1] = word_of(10);		    /* add */
	keys[2] = key_of(10), ent[2] = word_of(12);		    /* same key again: replace */
	keys[3] = key_of(11), ent[3] = word_of(11) & ~VX_FDB_VALID; /* invalid */
	keys[4] = key_of(12), ent[4] = word_of(12) | (1ULL << 50);  /* reserved bits */
	keys[5] = key_of(13), ent[5] = word_of(13);		    /* add */
	assert_int_equal(vx_fdb_get(&f, key_of(3), &p0), word_of(3));
	assert_int_equal(vx_fdb_set_bulk(&f, keys, ent, 6, ret), 4);
	assert_int_equal(ret[0], p0); /* results are positions */
	assert_true(ret[1] >= 0 && ret[1] != p0);
	assert_int_equal(ret[2], ret[1]);
	assert_int_equal(ret[3], -EINVAL);
	assert_int_equal(ret[4], -EINVAL);
	assert_true(ret[5] >= 0 && ret[5] != ret[1] && ret[5] != p0);
	assert_int_equal(f.count, 3);
	assert_int_equal(f.used, 3);
	assert_int_equal(vx_fdb_get(&f, key_of(3), NULL), word_of(4));
	assert_int_equal(vx_fdb_get(&f, key_of(10), &p1), word_of(12));
	assert_int_equal(p1, ret[1]);
	assert_int_equal(vx_fdb_get(&f, key_of(11), NULL), 0);
	assert_int_equal(vx_fdb_get(&f, key_of(12), NULL), 0);
	/* Workers see the same words and positions. */
	vx_fdb_lookup_bulk(&f, &keys[1], 1, ent, &p2);
	assert_int_equal(ent[0], word_of(12));
	assert_int_equal(p2, p1);

	/* A batch longer than a burst that runs into the capacity (20). */
	for (i = 0; i < 40; i++) {
		keys[i] = key_of(100 + i);
		ent[i] = word_of(100 + i);
	}
	assert_int_equal(vx_fdb_set_bulk(&f, keys, ent, 40, ret), 17);
	for (i = 0; i < 40; i++) {
		if (i < 17) {
			assert_int_equal(vx_fdb_get(&f, keys[i], &p1), ent[i]);
			assert_int_equal(ret[i], p1);
		} else {
			assert_int_equal(ret[i], -ENOSPC);
			assert_int_equal(vx_fdb_get(&f, keys[i], NULL), 0);
		}
	}
	assert_int_equal(f.count, 20);
	assert_int_equal(vx_fdb_set_bulk(&f, keys, ent, 0, ret), 0);
	assert_int_equal(vx_fdb_set_bulk(&f, keys, ent, 1, NULL), 1); /* replace when full */

	vx_fdb_fini(&f);
	rte_free(qs);
}

struct walk_ctx {
	uint8_t *seen;
	uint32_t n;
	uint32_t calls;
	int del_odd;
};

static void
walk_cb(struct vx_fdb *f, uint64_t key, uint64_t entry, uint32_t pos, void *arg)
{
	struct walk_ctx *c = arg;
	int32_t p = -1;
	uint32_t i;

	c->calls++;
	/* Recover i from the key and check the callback's arguments. */
	for (i = 0; i < c->n; i++)
		if (key_of(i) == key)
			break;
	assert_true(i < c->n);
	assert_int_equal(entry, word_of(i));
	assert_int_equal(vx_fdb_get(f, key, &p), entry);
	assert_int_equal((uint32_t)p, pos);
	c->seen[i]++;
	if (c->del_odd && (i & 1))
		assert_int_equal(vx_fdb_del(f, key), 0); /* ageing deletes from inside a walk */
}

static void
test_walk(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	const uint32_t n = 3000;
	struct walk_ctx c = {.n = n};
	uint32_t cursor = 0, total = 0, steps = 0, i;
	struct vx_fdb f;

	c.seen = calloc(n, 1);
	assert_non_null(c.seen);
	assert_int_equal(vx_fdb_init(&f, 5000, qs, rte_socket_id()), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(vx_fdb_set(&f, key_of(i), word_of(i)), 0);

	/* A full pass in budget-sized steps visits each entry exactly once. */
	do {
		uint32_t before = cursor;

		total += vx_fdb_walk(&f, &cursor, 97, walk_cb, &c);
		assert_true(cursor == 0 || cursor == before + 97);
		assert_true(++steps < 1000);
	} while (cursor != 0);
	assert_int_equal(total, n);
	assert_int_equal(c.calls, n);
	for (i = 0; i < n; i++)
		assert_int_equal(c.seen[i], 1);

	/* A pass that deletes every odd entry as it goes (ageing). */
	memset(c.seen, 0, n);
	c.del_odd = 1;
	c.calls = 0;
	total = 0;
	do {
		total += vx_fdb_walk(&f, &cursor, 1000, walk_cb, &c);
	} while (cursor != 0);
	assert_int_equal(total, n);
	assert_int_equal(f.count, n / 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(c.seen[i], 1);
		assert_int_equal(vx_fdb_get(&f, key_of(i), NULL), (i & 1) ? 0 : word_of(i));
	}

	/* Next pass sees only what is left; a zero budget visits nothing. */
	memset(c.seen, 0, n);
	c.del_odd = 0;
	assert_int_equal(vx_fdb_walk(&f, &cursor, 0, walk_cb, &c), 0);
	assert_int_equal(vx_fdb_walk(&f, &cursor, UINT32_MAX, walk_cb, &c), n / 2);
	assert_int_equal(cursor, 0);

	vx_fdb_fini(&f);
	rte_free(qs);
	free(c.seen);
}

static void
test_bulk_mixed(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	uint64_t keys[VX_BURST], ent[VX_BURST];
	int32_t pos[VX_BURST], p;
	struct vx_fdb f;
	uint32_t i, round, hits = 0, misses = 0;

	assert_int_equal(vx_fdb_init(&f, 4096, qs, rte_socket_id()), 0);
	for (i = 0; i < 2048; i += 2) /* even keys present, odd ones absent */
		assert_int_equal(vx_fdb_set(&f, key_of(i), word_of(i)), 0);

	for (round = 0; round < 64; round++) {
		unsigned int n = round % VX_BURST + 1;

		for (i = 0; i < n; i++)
			keys[i] = key_of((round * 37 + i * 13) % 2048);
		memset(ent, 0xa5, sizeof(ent));
		vx_fdb_lookup_bulk(&f, keys, n, ent, pos);
		for (i = 0; i < n; i++) {
			uint32_t k = (round * 37 + i * 13) % 2048;

			if (k & 1) {
				assert_int_equal(ent[i], 0);
				assert_int_equal(pos[i], -1);
				misses++;
			} else {
				assert_int_equal(ent[i], word_of(k));
				assert_int_equal(vx_fdb_get(&f, keys[i], &p), word_of(k));
				assert_int_equal(pos[i], p);
				hits++;
			}
		}
		/* Untouched beyond n. */
		for (i = n; i < VX_BURST; i++)
			assert_int_equal(ent[i], 0xa5a5a5a5a5a5a5a5ULL);
	}
	assert_true(hits > 100 && misses > 100);

	/* More than a burst in one call (not the contract, but never an overflow). */
	{
		uint64_t k100[100], e100[100];
		int32_t p100[100];

		for (i = 0; i < 100; i++)
			k100[i] = key_of(i);
		vx_fdb_lookup_bulk(&f, k100, 100, e100, p100);
		for (i = 0; i < 100; i++)
			assert_int_equal(e100[i], (i & 1) ? 0 : word_of(i));
		/* The same answers with last_seen prefetched for 0, some, all keys. */
		for (unsigned int ns = 0; ns <= 100; ns += 35) {
			uint64_t e2[100];
			int32_t p2[100];

			vx_fdb_lookup_bulk_seen(&f, k100, 100, ns, e2, p2);
			assert_memory_equal(e2, e100, sizeof(e2));
			assert_memory_equal(p2, p100, sizeof(p2));
		}
	}

	/* A deleted key turns into a miss in the next burst. */
	keys[0] = key_of(0);
	keys[1] = key_of(2);
	assert_int_equal(vx_fdb_del(&f, key_of(0)), 0);
	vx_fdb_lookup_bulk(&f, keys, 2, ent, pos);
	assert_int_equal(ent[0], 0);
	assert_int_equal(pos[0], -1);
	assert_int_equal(ent[1], word_of(2));

	vx_fdb_fini(&f);
	rte_free(qs);
}

/*
 * This thread plays a worker that is in the middle of a burst: registered
 * and online, no quiescent state reported. A deleted key's slot must not be
 * handed out again until it reports one.
 */
static void
test_grace_period(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	const uint32_t cap = 64;
	int32_t pa = -1, p;
	struct vx_fdb f;
	uint32_t i;

	assert_int_equal(vx_fdb_init(&f, cap, qs, rte_socket_id()), 0);
	assert_int_equal(rte_rcu_qsbr_thread_register(qs, 0), 0);
	rte_rcu_qsbr_thread_online(qs, 0);

	assert_int_equal(vx_fdb_set(&f, key_of(1000), word_of(1000)), 0);
	assert_int_equal(vx_fdb_get(&f, key_of(1000), &pa), word_of(1000));
	f.last_seen[pa] = 77;
	assert_int_equal(vx_fdb_del(&f, key_of(1000)), 0);
	assert_int_equal(f.count, 0);
	/* The reader may still hold pa: the entry word already reads as a miss. */
	assert_int_equal(vx_fdb_at(&f, pa), 0);

	/* The same key again, and every other key: never pa while it waits. */
	assert_int_equal(vx_fdb_set(&f, key_of(1000), word_of(1000)), 0);
	assert_int_equal(vx_fdb_get(&f, key_of(1000), &p), word_of(1000));
	assert_int_not_equal(p, pa);
	for (i = 0; i < cap - 1; i++) {
		assert_int_equal(vx_fdb_set(&f, key_of(i), word_of(i)), 0);
		assert_int_equal(vx_fdb_get(&f, key_of(i), &p), word_of(i));
		assert_int_not_equal(p, pa);
	}
	assert_int_equal(f.count, cap);
	assert_int_equal(f.used, cap + 1); /* pa is still taken */
	assert_int_equal(vx_fdb_set(&f, key_of(cap), word_of(cap)), -ENOSPC);
	assert_int_equal(vx_fdb_reclaim(&f, false), 1);
	assert_int_equal(f.last_seen[pa], 77);

	/* The reader passes a quiescent state: pa is free again, last_seen cleared. */
	rte_rcu_qsbr_quiescent(qs, 0);
	assert_int_equal(vx_fdb_reclaim(&f, false), 0);
	assert_int_equal(f.used, cap);
	assert_int_equal(f.last_seen[pa], 0);
	/* key_of(1000) is homed where pa is (its first home): deleted and added, it gets pa. */
	assert_int_equal(vx_fdb_del(&f, key_of(1000)), 0);
	rte_rcu_qsbr_quiescent(qs, 0);
	assert_int_equal(vx_fdb_reclaim(&f, false), 0);
	assert_int_equal(vx_fdb_set(&f, key_of(1000), word_of(1000)), 0);
	assert_int_equal(vx_fdb_get(&f, key_of(1000), &p), word_of(1000));
	assert_int_equal(p, pa);
	assert_int_equal(f.count, cap);
	assert_int_equal(f.used, cap);

	rte_rcu_qsbr_thread_offline(qs, 0);
	rte_rcu_qsbr_thread_unregister(qs, 0);
	vx_fdb_fini(&f);
	rte_free(qs);
}

/* The home bucket the table gives key (what dataplane/fdb.c computes). */
static uint32_t
home_of(const struct vx_fdb *f, uint64_t key)
{
	return (uint32_t)(((uint64_t)rte_hash_crc_8byte(key, f->seed) * f->nbuckets) >> 32);
}

/*
 * Keys sharing one home bucket: the first four fill it, the rest go to the
 * next buckets (dist grows), every one is found, deleting the ones at home
 * loses none of the others, and a key added then takes the freed home slot.
 */
static void
test_collisions(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(1);
	const unsigned int nk = 3 * VX_FDB_SLOTS + 1;
	uint64_t keys[32], ent[32], extra = 0;
	int32_t pos[32], p;
	struct vx_fdb f;
	unsigned int i, n = 0;
	uint32_t home, cand;

	assert_int_equal(vx_fdb_init(&f, 4096, qs, rte_socket_id()), 0);
	home = home_of(&f, key_of(0));
	for (cand = 0; n < nk + 1 && cand < 50000000; cand++) {
		if (home_of(&f, key_of(cand)) != home)
			continue;
		if (n < nk)
			keys[n] = key_of(cand);
		else
			extra = key_of(cand);
		n++;
	}
	assert_int_equal(n, nk + 1);
	for (i = 0; i < nk; i++) {
		assert_int_equal(vx_fdb_set(&f, keys[i], word_of(i)), 0);
		assert_int_equal(vx_fdb_get(&f, keys[i], &p), word_of(i));
		/* In order: home first, then the next buckets (wrapping at the end). */
		assert_int_equal((uint32_t)p / VX_FDB_SLOTS,
				 (home + i / VX_FDB_SLOTS) % f.nbuckets);
	}
	assert_int_equal(f.dist[home], (nk - 1) / VX_FDB_SLOTS);
	vx_fdb_lookup_bulk(&f, keys, nk, ent, pos);
	for (i = 0; i < nk; i++) {
		assert_int_equal(ent[i], word_of(i));
		assert_int_equal((uint32_t)pos[i] / VX_FDB_SLOTS,
				 (home + i / VX_FDB_SLOTS) % f.nbuckets);
	}
	/* A key of the same home that is absent: every bucket of the run read, a miss. */
	vx_fdb_lookup_bulk(&f, &extra, 1, ent, pos);
	assert_int_equal(ent[0], 0);
	assert_int_equal(pos[0], -1);

	for (i = 0; i < VX_FDB_SLOTS; i++)
		assert_int_equal(vx_fdb_del(&f, keys[i]), 0);
	vx_fdb_lookup_bulk(&f, keys, nk, ent, pos);
	for (i = 0; i < nk; i++)
		assert_int_equal(ent[i], i < VX_FDB_SLOTS ? 0 : word_of(i));
	assert_int_equal(vx_fdb_reclaim(&f, false), 0); /* no reader registered */
	assert_int_equal(vx_fdb_set(&f, extra, word_of(99)), 0);
	assert_int_equal(vx_fdb_get(&f, extra, &p), word_of(99));
	assert_int_equal((uint32_t)p, home * VX_FDB_SLOTS);
	assert_int_equal(f.dist[home], (nk - 1) / VX_FDB_SLOTS); /* never shrinks */
	assert_int_equal(f.count, nk - VX_FDB_SLOTS + 1);

	vx_fdb_fini(&f);
	rte_free(qs);
}

static uint64_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;
	uint64_t sum = 0;

	for (unsigned int s = 0; s < rte_socket_count(); s++) {
		assert_int_equal(rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st), 0);
		sum += st.heap_allocsz_bytes;
	}
	return sum;
}

/* <= 64 bytes per entry at 1M entries, hash + keys + entry + last_seen. */
static void
test_million(void **state)
{
	struct rte_rcu_qsbr *qs = qsbr_new(2);
	const uint32_t cap = 1u << 20;
	uint64_t before, after, keys[VX_BURST], ent[VX_BURST];
	int32_t pos[VX_BURST];
	struct vx_fdb f;
	double per_entry;
	uint32_t i, j;

	before = heap_used();
	assert_int_equal(vx_fdb_init(&f, cap, qs, rte_socket_id()), 0);
	after = heap_used();
	per_entry = (double)(after - before) / cap;
	printf("fdb: %u entries take %" PRIu64 " bytes of rte_malloc heap: %.2f bytes per entry\n",
	       cap, after - before, per_entry);
	assert_true(after - before <= 64ull * cap);

	for (i = 0; i < cap; i++)
		assert_int_equal(vx_fdb_set(&f, key_of(i), word_of(i)), 0);
	assert_int_equal(f.count, cap);
	assert_int_equal(f.used, cap);
	assert_int_equal(vx_fdb_set(&f, key_of(cap), word_of(cap)), -ENOSPC);
	/* Storing the entries allocated nothing more. */
	assert_int_equal(heap_used(), after);

	for (i = 0; i < cap; i += 4099 * VX_BURST) {
		for (j = 0; j < VX_BURST; j++)
			keys[j] = key_of(i + j * 4099);
		vx_fdb_lookup_bulk(&f, keys, VX_BURST, ent, pos);
		for (j = 0; j < VX_BURST; j++)
			assert_int_equal(ent[j], word_of(i + j * 4099));
	}

	/* Flush everything; with no reader the slots all come back. */
	for (i = 0; i < cap; i++)
		assert_int_equal(vx_fdb_del(&f, key_of(i)), 0);
	assert_int_equal(f.count, 0);
	assert_int_equal(vx_fdb_reclaim(&f, true), 0);
	assert_int_equal(f.used, 0);

	vx_fdb_fini(&f);
	assert_int_equal(heap_used(), before);
	rte_free(qs);
}

/* dataplane/tables.c: what vx_dp_init builds, what vx_dp_fini frees. */
static void
test_dp_tables(void **state)
{
	struct vx_learn_req rq = {.key = key_of(5), .entry = word_of(4), .worker = 1}, back;
	struct rte_mempool *mp;
	struct rte_mbuf *m;
	struct vx_lcore_stats *sum;
	struct vx_dp dp, dp2;
	struct vx_bd *bd;
	uint64_t heap0;
	unsigned int w;

	mp = rte_pktmbuf_pool_create("vxt_fdb_pool", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     rte_socket_id());
	assert_non_null(mp);
	heap0 = heap_used();

	assert_int_equal(vx_dp_init(&dp, VX_MAX_WORKERS + 1, 100, rte_socket_id()), -EINVAL);
	assert_int_equal(heap_used(), heap0);

	assert_int_equal(vx_dp_init(&dp, 2, 1000, rte_socket_id()), 0);
	/* A second instance in the same process: distinct object names. */
	assert_int_equal(vx_dp_init(&dp2, 1, 0, rte_socket_id()), 0);
	assert_int_equal(dp2.fdb.capacity, VX_FDB_DEFAULT_CAPACITY);
	vx_dp_fini(&dp2);

	assert_non_null(dp.qsbr);
	assert_int_equal(dp.n_workers, 2);
	for (unsigned int i = 0; i < VX_MAX_PORTS; i++)
		assert_non_null(dp.ctl_tx_ring[i]);
	assert_int_equal(dp.fdb.capacity, 1000);
	assert_int_equal(dp.fdb.qs, dp.qsbr);
	assert_non_null(dp.local);
	assert_int_equal(dp.local->n_addr, 0);
	assert_null(dp.pool);
	assert_null(dp.hdr_pool);
	for (w = 0; w < VX_MAX_WORKERS; w++) {
		assert_true((dp.learn_ring[w] != NULL) == (w < 2));
		assert_true((dp.punt_ring[w] != NULL) == (w < 2));
	}
	assert_int_equal(rte_ring_get_capacity(dp.learn_ring[1]), VX_LEARN_RING_SIZE - 1);
	assert_int_equal(rte_ring_get_capacity(dp.punt_ring[1]), VX_PUNT_RING_SIZE - 1);
	assert_int_equal(rte_ring_enqueue_elem(dp.learn_ring[1], &rq, sizeof(rq)), 0);
	assert_int_equal(rte_ring_dequeue_elem(dp.learn_ring[1], &back, sizeof(back)), 0);
	assert_memory_equal(&back, &rq, sizeof(rq));

	/* vni_bd covers every VNI and starts at 0 ("unknown"). */
	assert_int_equal(dp.vni_bd[0], 0);
	assert_int_equal(dp.vni_bd[VX_VNI_MAX], 0);
	__atomic_store_n(&dp.vni_bd[VX_VNI_MAX], 7, __ATOMIC_RELAXED);
	assert_int_equal(dp.vni_bd[VX_VNI_MAX], 7);

	/* Counters: per-worker and control blocks, cache aligned, summed field by field. */
	assert_int_equal((uintptr_t)&dp.stats[1] % RTE_CACHE_LINE_SIZE, 0);
	dp.stats[0].drop[VX_DROP_MTU] = 3;
	dp.stats[1].drop[VX_DROP_MTU] = 4;
	dp.stats[VX_STATS_CONTROL].drop[VX_DROP_MTU] = 5;
	dp.stats[1].event[VX_EV_LEARNED] = 9;
	dp.stats[0].port[31].tx_bytes = 1000;
	dp.stats[VX_STATS_CONTROL].port[31].tx_bytes = 24;
	dp.stats[1].bd[VX_MAX_BD - 1].flood_pkts = 11;
	dp.stats[0].busy_pkts = 1;
	sum = calloc(1, sizeof(*sum));
	assert_non_null(sum);
	memset(sum, 0xff, sizeof(*sum));
	vx_stats_sum(&dp, sum);
	assert_int_equal(sum->drop[VX_DROP_MTU], 12);
	assert_int_equal(sum->drop[VX_DROP_RUNT], 0);
	assert_int_equal(sum->event[VX_EV_LEARNED], 9);
	assert_int_equal(sum->port[31].tx_bytes, 1024);
	assert_int_equal(sum->port[31].rx_bytes, 0);
	assert_int_equal(sum->bd[VX_MAX_BD - 1].flood_pkts, 11);
	assert_int_equal(sum->busy_pkts, 1);
	free(sum);

	/* Publish and retire (no worker registered: no wait). */
	bd = rte_zmalloc(NULL, sizeof(*bd), 0);
	assert_non_null(bd);
	vx_publish(dp.bd[3], bd);
	assert_ptr_equal(vx_deref(dp.bd[3]), bd);
	vx_publish(dp.bd[3], NULL);
	vx_retire(&dp, bd);
	vx_retire(&dp, NULL);

	/* Whatever is still published or queued is freed by vx_dp_fini. */
	vx_publish(dp.bd[5], rte_zmalloc(NULL, sizeof(struct vx_bd), 0));
	vx_publish(dp.vtep[9], rte_zmalloc(NULL, sizeof(struct vx_vtep), 0));
	vx_publish(dp.port[0], rte_zmalloc(NULL, sizeof(struct vx_port), 0));
	assert_int_equal(vx_fdb_set(&dp.fdb, key_of(1), word_of(1)), 0);
	m = rte_pktmbuf_alloc(mp);
	assert_non_null(m);
	assert_int_equal(rte_ring_enqueue(dp.punt_ring[0], m), 0);
	assert_int_equal(rte_mempool_in_use_count(mp), 1);
	vx_dp_fini(&dp);
	assert_int_equal(rte_mempool_in_use_count(mp), 0);
	assert_null(dp.qsbr);
	assert_int_equal(heap_used(), heap0);
	vx_dp_fini(&dp); /* twice is harmless */
	rte_mempool_free(mp);
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal_args[] = {argv[0], "--no-huge", "-m",
			    "1024",  "--no-pci",  prefix,
			    "-l",    "0",	  "--log-level=lib.eal:error"};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get_replace_del),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_set_bulk),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_bulk_mixed),
		cmocka_unit_test(test_grace_period),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_million),
		cmocka_unit_test(test_dp_tables),
	};
	int ret;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "--file-prefix=vxt_fdb_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal_args), eal_args) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
