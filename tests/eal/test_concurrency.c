/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Issue 3's concurrency test. lcore 1 is a worker: registered to the QSBR
 * variable, it looks up bursts of random keys and reads the published flood
 * list of bridge domain 1 as fast as it can, checking everything it sees.
 * The main lcore is the control thread: a fixed number of operations that
 * add, move (replace), age (walk + delete) and delete FDB entries and swap
 * the flood list (vx_publish + vx_retire).
 *
 * What a reader can check by itself:
 *  - an entry word carries the low 24 bits of a hash of its own key as its
 *    index, so a word of another key (or a torn one) is caught;
 *  - its VLAN field is a per-key generation the writer only increases, and
 *    VX_FDB_REMOTE is that generation's parity: the reader never sees a
 *    generation go back for a key, nor a mismatched parity;
 *  - a flood list holds its generation in vni, and the XOR of flood[] is
 *    that generation again; n_flood is within its bounds.
 * No timing is asserted: the writer runs a fixed count of operations.
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
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "vx_tables.h"

#define NKEYS		 8192 /* key universe: twice the capacity, so the table fills */
#define CAPACITY	 4096
#define WRITER_OPS	 300000
#define MAX_FLOOD	 64
#define MAX_GEN		 4095	      /* VLAN field */
#define READER_MAX_LOOPS 200000000ull /* bound even if the stop flag were missed */

static struct vx_dp dp;
static struct rte_mempool *pool;

struct reader_result {
	uint64_t loops, lookups, hits, flood_reads, clones;
	uint64_t bad_word, bad_gen, bad_pos, bad_flood, clone_fail;
};
static struct reader_result rres;

static uint64_t
key_of(uint32_t i)
{
	return (1ULL << 48) | 0x020000000000ULL | i;
}

static uint32_t
check_of(uint64_t key)
{
	return rte_hash_crc_8byte(key, 0x5eed) & VX_FDB_INDEX_MASK;
}

static uint64_t
word_of(uint32_t i, uint16_t gen)
{
	uint64_t key = key_of(i);

	return VX_FDB_VALID | ((gen & 1) ? VX_FDB_REMOTE : 0) |
	       ((uint64_t)gen << VX_FDB_VLAN_SHIFT) | check_of(key);
}

static inline uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static uint32_t
flood_sum(const struct vx_bd *bd)
{
	uint32_t x = 0;

	for (unsigned int j = 0; j < bd->n_flood; j++)
		x ^= bd->flood[j];
	return x;
}

static int
reader_main(void *arg)
{
	struct reader_result *r = arg;
	uint16_t *last_gen = calloc(NKEYS, sizeof(*last_gen)); /* not a worker path: a test */
	uint64_t keys[VX_BURST], ent[VX_BURST], seed = 0x9e3779b97f4a7c15ull;
	uint32_t idx[VX_BURST];
	int32_t pos[VX_BURST];
	struct rte_mbuf *m0, *c;

	m0 = rte_pktmbuf_alloc(pool);
	if (last_gen == NULL || m0 == NULL) {
		r->clone_fail++;
		free(last_gen);
		rte_pktmbuf_free(m0);
		return -1;
	}
	rte_rcu_qsbr_thread_register(dp.qsbr, 0);
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);

	while (!__atomic_load_n(&dp.stop, __ATOMIC_ACQUIRE) && r->loops < READER_MAX_LOOPS) {
		const struct vx_bd *bd;

		r->loops++;
		for (unsigned int i = 0; i < VX_BURST; i++) {
			idx[i] = xorshift(&seed) % NKEYS;
			keys[i] = key_of(idx[i]);
		}
		vx_fdb_lookup_bulk(&dp.fdb, keys, VX_BURST, ent, pos);
		r->lookups += VX_BURST;
		for (unsigned int i = 0; i < VX_BURST; i++) {
			uint16_t gen;

			if (ent[i] == 0) {
				if (pos[i] != -1)
					r->bad_pos++;
				continue;
			}
			r->hits++;
			gen = vx_fdb_vlan(ent[i]);
			if (!(ent[i] & VX_FDB_VALID) || vx_fdb_index(ent[i]) != check_of(keys[i]) ||
			    !!(ent[i] & VX_FDB_REMOTE) != (gen & 1))
				r->bad_word++;
			if (gen < last_gen[idx[i]])
				r->bad_gen++;
			last_gen[idx[i]] = gen;
			if (pos[i] < 0 || (uint32_t)pos[i] >= dp.fdb.nslots)
				r->bad_pos++;
			else
				vx_fdb_touch(&dp.fdb, pos[i], dp.now);
		}

		bd = vx_deref(dp.bd[1]);
		if (bd != NULL) {
			r->flood_reads++;
			if (bd->bd != 1 || bd->n_flood == 0 || bd->n_flood > MAX_FLOOD ||
			    flood_sum(bd) != bd->vni)
				r->bad_flood++;
			/* A flood copy: clone, (would transmit), free. */
			c = rte_pktmbuf_clone(m0, pool);
			if (c == NULL) {
				r->clone_fail++;
			} else {
				r->clones++;
				rte_pktmbuf_free(c);
			}
		}
		rte_rcu_qsbr_quiescent(dp.qsbr, 0);
	}

	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	rte_rcu_qsbr_thread_unregister(dp.qsbr, 0);
	rte_pktmbuf_free(m0);
	free(last_gen);
	return 0;
}

static struct vx_bd *
flood_new(uint32_t gen, uint64_t *seed)
{
	uint16_t n = 1 + xorshift(seed) % MAX_FLOOD;
	struct vx_bd *bd;
	uint32_t x = 0;

	bd = rte_zmalloc(NULL, sizeof(*bd) + n * sizeof(bd->flood[0]), RTE_CACHE_LINE_SIZE);
	assert_non_null(bd);
	bd->bd = 1;
	bd->vni = gen;
	bd->n_flood = n;
	for (unsigned int j = 0; j + 1 < n; j++) {
		bd->flood[j] = (uint32_t)xorshift(seed);
		x ^= bd->flood[j];
	}
	bd->flood[n - 1] = x ^ gen;
	return bd;
}

struct age_ctx {
	uint8_t *present;
	uint32_t pass;
	uint32_t aged;
};

static void
age_cb(struct vx_fdb *f, uint64_t key, uint64_t entry, uint32_t pos, void *arg)
{
	struct age_ctx *a = arg;
	uint32_t i = key & 0xffffff;

	assert_true(i < NKEYS);
	assert_true(a->present[i]);
	assert_int_equal(vx_fdb_index(entry), check_of(key));
	if (((i ^ a->pass) & 63) == 0) {
		assert_int_equal(vx_fdb_del(f, key), 0);
		a->present[i] = 0;
		a->aged++;
	}
}

static void
test_concurrent_readers(void **state)
{
	uint8_t *present = calloc(NKEYS, 1);
	uint16_t *gen = calloc(NKEYS, sizeof(*gen));
	struct age_ctx age = {.present = present};
	uint64_t seed = 0x243f6a8885a308d3ull;
	uint32_t cursor = 0, flood_gen = 1, i, n;
	unsigned int base_inuse, reader_lcore;
	unsigned int adds = 0, moves = 0, dels = 0, full = 0, swaps = 0, checks = 0;
	struct vx_bd *old;
	int32_t base_count;

	assert_non_null(present);
	assert_non_null(gen);
	assert_int_equal(vx_dp_init(&dp, 1, CAPACITY, rte_socket_id()), 0);
	pool = rte_pktmbuf_pool_create("vxt_conc_pool", 511, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	assert_non_null(pool);
	dp.pool = pool;
	base_inuse = rte_mempool_in_use_count(pool);
	base_count = dp.fdb.used;
	assert_int_equal(base_count, 0);
	vx_publish(dp.bd[1], flood_new(flood_gen, &seed));

	reader_lcore = rte_get_next_lcore(-1, 1, 0);
	assert_true(reader_lcore < RTE_MAX_LCORE);
	assert_int_equal(rte_eal_remote_launch(reader_main, &rres, reader_lcore), 0);

	for (unsigned int op = 0; op < WRITER_OPS; op++) {
		uint32_t r = xorshift(&seed) % 100;
		int ret;

		i = xorshift(&seed) % NKEYS;
		if (op % 1024 == 0)
			dp.now++;
		if (r < 50) {
			/* Learn a new entry or move an existing one: a newer generation. */
			if (gen[i] < MAX_GEN)
				gen[i]++;
			ret = vx_fdb_set(&dp.fdb, key_of(i), word_of(i, gen[i]));
			if (ret == 0) {
				if (present[i])
					moves++;
				else
					adds++;
				present[i] = 1;
			} else {
				assert_int_equal(ret, -ENOSPC);
				assert_false(present[i]);
				full++;
			}
		} else if (r < 55) {
			/* A drained learn ring: a batch, maybe with a key twice. */
			uint64_t bk[8], be[8];
			uint32_t bi[8];
			int32_t bret[8];

			for (unsigned int j = 0; j < 8; j++) {
				bi[j] = j == 7 ? bi[0] : xorshift(&seed) % NKEYS;
				if (gen[bi[j]] < MAX_GEN)
					gen[bi[j]]++;
				bk[j] = key_of(bi[j]);
				be[j] = word_of(bi[j], gen[bi[j]]);
			}
			vx_fdb_set_bulk(&dp.fdb, bk, be, 8, bret);
			for (unsigned int j = 0; j < 8; j++) {
				if (bret[j] >= 0) {
					dp.fdb.last_seen[bret[j]] = dp.now; /* as control does */
					if (present[bi[j]])
						moves++;
					else
						adds++;
					present[bi[j]] = 1;
				} else {
					assert_int_equal(bret[j], -ENOSPC);
					assert_false(present[bi[j]]);
					full++;
				}
			}
			/* The last word given for a key is the one stored. */
			for (unsigned int j = 0; j < 8; j++)
				if (present[bi[j]])
					assert_int_equal(vx_fdb_get(&dp.fdb, bk[j], NULL),
							 word_of(bi[j], gen[bi[j]]));
		} else if (r < 68) {
			ret = vx_fdb_del(&dp.fdb, key_of(i));
			assert_int_equal(ret, present[i] ? 0 : -ENOENT);
			dels += present[i];
			present[i] = 0;
		} else if (r < 70) {
			/* An ageing step. */
			n = vx_fdb_walk(&dp.fdb, &cursor, 64, age_cb, &age);
			if (cursor == 0)
				age.pass++;
			(void)n;
		} else if (r < 72) {
			/* Swap the flood list: publish the new copy, retire the old. */
			flood_gen = (flood_gen + 1) & VX_VNI_MAX;
			old = dp.bd[1];
			vx_publish(dp.bd[1], flood_new(flood_gen, &seed));
			vx_retire(&dp, old);
			swaps++;
		}
		/* The writer's own view always matches its model. */
		assert_int_equal(vx_fdb_get(&dp.fdb, key_of(i), NULL),
				 present[i] ? word_of(i, gen[i]) : 0);
		checks++;
	}
	__atomic_store_n(&dp.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(rte_eal_wait_lcore(reader_lcore), 0);

	n = 0;
	for (i = 0; i < NKEYS; i++)
		n += present[i];
	assert_int_equal(dp.fdb.count, n);
	printf("writer: %u adds, %u moves, %u deletes, %u aged, %u refused (full), %u flood "
	       "swaps\n",
	       adds, moves, dels, age.aged, full, swaps);
	printf("reader: %" PRIu64 " loops, %" PRIu64 " lookups, %" PRIu64 " hits, %" PRIu64
	       " flood reads, %" PRIu64 " clones\n",
	       rres.loops, rres.lookups, rres.hits, rres.flood_reads, rres.clones);

	/* Nothing inconsistent was ever observed. */
	assert_int_equal(rres.bad_word, 0);
	assert_int_equal(rres.bad_gen, 0);
	assert_int_equal(rres.bad_pos, 0);
	assert_int_equal(rres.bad_flood, 0);
	assert_int_equal(rres.clone_fail, 0);
	/* The reader did real work while the writer ran. */
	assert_true(rres.lookups >= 10000);
	assert_true(rres.hits > 0);
	assert_true(rres.flood_reads > 0);
	assert_int_equal(rres.clones, rres.flood_reads);
	assert_true(adds > 1000 && moves > 1000 && dels > 1000 && age.aged > 100);
	assert_true(full > 0 && swaps > 1000);

	/* Flush: every slot comes back, no mbuf is left behind. */
	for (i = 0; i < NKEYS; i++)
		if (present[i])
			assert_int_equal(vx_fdb_del(&dp.fdb, key_of(i)), 0);
	assert_int_equal(dp.fdb.count, 0);
	assert_int_equal(vx_fdb_reclaim(&dp.fdb, true), 0);
	assert_int_equal(dp.fdb.used, base_count);
	assert_int_equal(rte_mempool_in_use_count(pool), base_inuse);
	/* And the table still takes `capacity` new entries. */
	for (i = 0; i < CAPACITY; i++)
		assert_int_equal(vx_fdb_set(&dp.fdb, key_of(i), word_of(i, 1)), 0);
	assert_int_equal(vx_fdb_set(&dp.fdb, key_of(CAPACITY), word_of(CAPACITY, 1)), -ENOSPC);

	vx_dp_fini(&dp); /* frees dp.bd[1] too */
	rte_mempool_free(pool);
	free(present);
	free(gen);
}

/* Also after a failed assertion: never leave the reader spinning. */
static int
stop_reader(void **state)
{
	unsigned int lcore;

	__atomic_store_n(&dp.stop, 1, __ATOMIC_RELEASE);
	RTE_LCORE_FOREACH_WORKER(lcore)
	rte_eal_wait_lcore(lcore);
	return 0;
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal_args[] = {argv[0], "--no-huge", "-m",
			    "1024",  "--no-pci",  prefix,
			    "-l",    "0,1",	  "--log-level=lib.eal:error"};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_concurrent_readers, stop_reader),
	};
	int ret;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "--file-prefix=vxt_conc_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal_args), eal_args) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
