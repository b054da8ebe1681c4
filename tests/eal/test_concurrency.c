/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB and a published table under concurrent readers: what a worker
 * may rely on (include/vx_fdb.h, include/vx_tables.h), checked by two
 * reader threads while the control thread (the test's main thread)
 * changes the tables. tests/eal/test_concurrency_ctl.c does the same for
 * learning, ageing and VTEP references.
 *
 * Readers are registered on the QSBR variable as workers are. Reader 0 is
 * always online; reader 1 goes offline every few dozen iterations (an
 * idle worker) until the control thread has tried a grace period (at most
 * IDLE_MAX_US), and comes back. Each iteration looks up a
 * burst of keys, checks every word it gets, touches last_seen, reads the
 * flood list of bd 1 and, before its quiescent state, checks again what it
 * holds: the key at each position it got is still its key or no key (a
 * freed position goes to no other key before a grace period), the word
 * there is 0 or its key's, and the flood list it read is unchanged.
 *
 * What the words carry: the VLAN field holds 12 bits of a hash of the key,
 * the index field a per-key generation that only grows, VX_FDB_REMOTE its
 * parity. Stable keys, six per home bucket in eight buckets (so two of
 * every six are stored past their home bucket), are moved all the time and
 * never deleted: a lookup of one must never miss.
 *
 * Stall phases make the rare cases happen every time: reader 0 holds a
 * large burst and waits. In an FDB phase the control thread first deletes
 * and adds until the defer queue is full (no grace period can end while
 * reader 0 waits), then deletes the keys reader 0 holds, through the
 * full-queue fallback, and adds keys of the same home buckets, which take
 * the freed slots if anything frees them early. In a flood phase it swaps
 * the flood list twice (vx_publish + vx_retire). Reader 0 keeps checking
 * what it holds for a while after the control thread starts (a correct
 * control thread is blocked meanwhile, waiting for reader 0).
 *
 * No timing is asserted: operations are counted, waits are bounded.
 */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_common.h>
#include <rte_hash_crc.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "cli/cli.h"
#include "conc.h"
#include "core/core.h"
#include "underlay/underlay.h"

#include "ctl_harness.h"
#include "vx_tables.h"

#define CAPACITY      1000 /* entries: 1668 slots, a defer queue of >= 1001 */
#define STABLE_BKT    8
#define STABLE_PER    6
#define NSTABLE	      (STABLE_BKT * STABLE_PER)
#define NCHURN	      2400
#define NKEYS	      (NSTABLE + NCHURN)
#define CHURN_TARGET  420 /* churn keys present between phases */
#define PHASES	      8
#define PHASE_OPS     1500
#define N_FLOOD	      16
#define STALL_KEYS    256
#define MAX_HOLD      (STALL_KEYS + NSTABLE)
#define WINDOW_MS     30   /* reader 0 checks this long after the control thread starts */
#define WAIT_MS	      2000 /* bound of every wait for the other side */
#define STALL_MAX_MS  5000
#define IDLE_EVERY    48 /* reader 1: iterations between idle periods */
#define IDLE_STEP_US  500
#define IDLE_MAX_US   200000
#define READER_MAX_NS (120ULL * 1000000000ULL)

static struct vx_dp dp;
static uint64_t keys[NKEYS];
static uint32_t home_of[NKEYS];
static uint32_t dq_cap; /* what the defer queue holds (DPDK rounds its ring up) */

struct hold {
	uint32_t id, pos, gen;
};

struct reader {
	unsigned int id;
	pthread_t thr;
	uint64_t seed;
	uint32_t *last_gen;
	struct hold hold[MAX_HOLD];
	unsigned int n_hold;
	const struct vx_bd *bd;
	uint32_t bd_gen;
	/* results */
	uint64_t iters, lookups, hits, stable_hits, past_home_hits, flood_reads, stalls, idles;
	uint64_t missed, bad_word, bad_gen, bad_pos, reused, bad_flood;
};

static struct reader rd[2];
static bool started[2];
static uint32_t stop;
/* Stall handshake (reader 0): the control thread asks, reader 0 holds and acks. */
static uint32_t stall_req, stall_ack, stall_go, stall_done;
static uint32_t held_ids[MAX_HOLD], n_held;
/* Reader 1: odd while offline; r1_release ends its idle period. */
static uint32_t r1_state, r1_release;

static uint32_t
check12(uint64_t key)
{
	return rte_hash_crc_8byte(key, 0x5eed) & 0xfff;
}

static uint64_t
word_of(uint32_t id, uint32_t gen)
{
	return VX_FDB_VALID | ((gen & 1) ? VX_FDB_REMOTE : 0) |
	       ((uint64_t)check12(keys[id]) << VX_FDB_VLAN_SHIFT) | (gen & VX_FDB_INDEX_MASK);
}

/* The word is one of key id's. */
static bool
word_ok(uint32_t id, uint64_t w)
{
	return (w & VX_FDB_VALID) && vx_fdb_vlan(w) == check12(keys[id]) &&
	       !!(w & VX_FDB_REMOTE) == (vx_fdb_index(w) & 1);
}

static uint32_t
flood_sum(const struct vx_bd *bd)
{
	uint32_t x = 0;

	for (unsigned int j = 0; j < bd->n_flood && j < N_FLOOD; j++)
		x ^= bd->flood[j];
	return x;
}

static struct vx_bd *
flood_new(uint32_t gen, uint64_t *seed)
{
	struct vx_bd *bd;
	uint32_t x = 0;

	bd = rte_zmalloc(NULL, sizeof(*bd) + N_FLOOD * sizeof(bd->flood[0]), RTE_CACHE_LINE_SIZE);
	assert_non_null(bd);
	bd->bd = 1;
	bd->vni = gen;
	bd->n_flood = N_FLOOD;
	for (unsigned int j = 0; j + 1 < N_FLOOD; j++) {
		bd->flood[j] = (uint32_t)conc_rand(seed);
		x ^= bd->flood[j];
	}
	bd->flood[N_FLOOD - 1] = x ^ gen;
	return bd;
}

static bool
flood_ok(const struct vx_bd *bd, uint32_t gen)
{
	return bd->bd == 1 && bd->n_flood == N_FLOOD && bd->vni == gen && flood_sum(bd) == gen;
}

/* ---- readers ---- */

/* One looked-up key: check the word, hold the position. */
static void
reader_hit(struct reader *r, uint32_t id, uint64_t e, int32_t pos)
{
	uint32_t gen;

	r->lookups++;
	if (e == 0) {
		if (pos != -1)
			r->bad_pos++;
		if (id < NSTABLE)
			r->missed++;
		return;
	}
	r->hits++;
	if (pos < 0 || (uint32_t)pos >= dp.fdb.nslots) {
		r->bad_pos++;
		return;
	}
	if (!word_ok(id, e)) {
		r->bad_word++;
		return;
	}
	gen = vx_fdb_index(e);
	if (gen < r->last_gen[id])
		r->bad_gen++;
	r->last_gen[id] = gen;
	if (id < NSTABLE) {
		r->stable_hits++;
		if ((uint32_t)pos / VX_FDB_SLOTS != home_of[id])
			r->past_home_hits++;
	}
	vx_fdb_touch(&dp.fdb, pos, vx_dp_now(&dp));
	if (r->n_hold < MAX_HOLD)
		r->hold[r->n_hold++] = (struct hold){.id = id, .pos = (uint32_t)pos, .gen = gen};
}

static void
reader_lookup(struct reader *r, const uint32_t *ids, unsigned int n)
{
	uint64_t k[VX_BURST], e[VX_BURST];
	int32_t pos[VX_BURST];

	for (unsigned int i = 0; i < n; i += VX_BURST) {
		unsigned int m = RTE_MIN(n - i, (unsigned int)VX_BURST);

		for (unsigned int j = 0; j < m; j++)
			k[j] = keys[ids[i + j]];
		vx_fdb_lookup_bulk(&dp.fdb, k, m, e, pos);
		for (unsigned int j = 0; j < m; j++)
			reader_hit(r, ids[i + j], e[j], pos[j]);
	}
}

/* What the reader holds is still what it was. */
static void
reader_recheck(struct reader *r)
{
	for (unsigned int i = 0; i < r->n_hold; i++) {
		const struct hold *h = &r->hold[i];
		const struct vx_fdb_bkt *b = &dp.fdb.bkt[h->pos / VX_FDB_SLOTS];
		uint64_t k = __atomic_load_n(&b->key[h->pos % VX_FDB_SLOTS], __ATOMIC_ACQUIRE);
		uint64_t w = vx_fdb_at(&dp.fdb, h->pos);

		if (k != keys[h->id] && k != VX_FDB_KEY_NONE)
			r->reused++;
		else if (w != 0 && !word_ok(h->id, w))
			r->reused++;
		else if (w != 0 && vx_fdb_index(w) < h->gen)
			r->bad_gen++;
	}
	if (r->bd != NULL && !flood_ok(r->bd, r->bd_gen))
		r->bad_flood++;
}

static void
reader_flood(struct reader *r)
{
	r->bd = vx_deref(dp.bd[1]);
	if (r->bd == NULL)
		return;
	r->flood_reads++;
	r->bd_gen = r->bd->vni;
	if (!flood_ok(r->bd, r->bd_gen))
		r->bad_flood++;
}

/* Reader 0 asked to stall: hold a large burst and check it until released. */
static void
reader_stall(struct reader *r, uint32_t seq)
{
	uint32_t ids[STALL_KEYS + NSTABLE];
	uint64_t t_ack, t_go = 0, now;

	for (unsigned int i = 0; i < NSTABLE; i++)
		ids[i] = i;
	for (unsigned int i = NSTABLE; i < RTE_DIM(ids); i++)
		ids[i] = NSTABLE + conc_rand(&r->seed) % NCHURN;
	r->n_hold = 0;
	reader_lookup(r, ids, RTE_DIM(ids));
	reader_flood(r);
	for (unsigned int i = 0; i < r->n_hold; i++)
		held_ids[i] = r->hold[i].id;
	__atomic_store_n(&n_held, r->n_hold, __ATOMIC_RELAXED);
	__atomic_store_n(&stall_ack, seq, __ATOMIC_RELEASE);
	r->stalls++;
	t_ack = conc_ns();
	for (;;) {
		reader_recheck(r);
		if (__atomic_load_n(&stall_done, __ATOMIC_ACQUIRE) == seq)
			break;
		now = conc_ns();
		if (t_go == 0 && __atomic_load_n(&stall_go, __ATOMIC_ACQUIRE) == seq)
			t_go = now;
		if (t_go != 0 && now - t_go > WINDOW_MS * 1000000ULL)
			break;
		if (now - t_ack > STALL_MAX_MS * 1000000ULL)
			break;
	}
	reader_recheck(r);
}

static void
reader_iter(struct reader *r)
{
	uint32_t ids[VX_BURST], seq;

	seq = __atomic_load_n(&stall_req, __ATOMIC_ACQUIRE);
	if (r->id == 0 && seq != __atomic_load_n(&stall_ack, __ATOMIC_RELAXED)) {
		reader_stall(r, seq);
		return;
	}
	for (unsigned int i = 0; i < VX_BURST; i++)
		ids[i] = i < 8 ? conc_rand(&r->seed) % NSTABLE
			       : NSTABLE + conc_rand(&r->seed) % NCHURN;
	r->n_hold = 0;
	reader_lookup(r, ids, VX_BURST);
	reader_flood(r);
	for (unsigned int i = conc_rand(&r->seed) % 256; i > 0; i--)
		rte_pause();
	reader_recheck(r);
}

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	uint64_t end = conc_ns() + READER_MAX_NS;

	rte_rcu_qsbr_thread_register(dp.qsbr, r->id);
	rte_rcu_qsbr_thread_online(dp.qsbr, r->id);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE) && conc_ns() < end) {
		reader_iter(r);
		r->iters++;
		rte_rcu_qsbr_quiescent(dp.qsbr, r->id);
		if (r->id == 1 && r->iters % IDLE_EVERY == 0) {
			/* Idle: offline first, then say so; say so before coming back. */
			uint32_t s;

			rte_rcu_qsbr_thread_offline(dp.qsbr, r->id);
			s = __atomic_add_fetch(&r1_state, 1, __ATOMIC_RELEASE);
			/* Until the control thread has tried a grace period, or IDLE_MAX_US. */
			for (unsigned int t = 0; t < IDLE_MAX_US / IDLE_STEP_US; t++) {
				if (__atomic_load_n(&r1_release, __ATOMIC_ACQUIRE) == s)
					break;
				conc_sleep_us(IDLE_STEP_US);
			}
			__atomic_fetch_add(&r1_state, 1, __ATOMIC_RELEASE);
			rte_rcu_qsbr_thread_online(dp.qsbr, r->id);
			r->idles++;
		}
	}
	rte_rcu_qsbr_thread_offline(dp.qsbr, r->id);
	rte_rcu_qsbr_thread_unregister(dp.qsbr, r->id);
	return NULL;
}

/* ---- the control thread ---- */

struct writer {
	uint64_t seed;
	uint8_t present[NKEYS];
	uint32_t gen[NKEYS];
	uint32_t n_churn, flood_gen;
	uint32_t max_pending, full_phases, fdb_phases, flood_phases, idle_graces, skipped;
	uint64_t moves, adds, dels, bulk, swaps, refused;
};

static void
w_check(struct writer *w, uint32_t id)
{
	assert_int_equal(vx_fdb_get(&dp.fdb, keys[id], NULL),
			 w->present[id] ? word_of(id, w->gen[id]) : 0);
}

static void
w_pending(struct writer *w)
{
	w->max_pending = RTE_MAX(w->max_pending, dp.fdb.used - dp.fdb.count);
}

static bool
w_set(struct writer *w, uint32_t id)
{
	int ret;

	w->gen[id]++;
	ret = vx_fdb_set(&dp.fdb, keys[id], word_of(id, w->gen[id]));
	if (ret == 0) {
		if (w->present[id])
			w->moves++;
		else
			w->adds++, w->n_churn += id >= NSTABLE;
		w->present[id] = 1;
	} else {
		assert_int_equal(ret, -ENOSPC);
		assert_false(w->present[id]);
		w->refused++;
	}
	w_check(w, id);
	return ret == 0;
}

static void
w_del(struct writer *w, uint32_t id)
{
	assert_int_equal(vx_fdb_del(&dp.fdb, keys[id]), w->present[id] ? 0 : -ENOENT);
	if (w->present[id]) {
		w->dels++;
		w->n_churn--;
	}
	w->present[id] = 0;
	w_pending(w);
	w_check(w, id);
}

static uint32_t
w_churn_id(struct writer *w, bool present, const uint8_t *avoid)
{
	for (unsigned int tries = 0; tries < 100000; tries++) {
		uint32_t id = NSTABLE + conc_rand(&w->seed) % NCHURN;

		if (w->present[id] == present && (avoid == NULL || !avoid[id]))
			return id;
	}
	return UINT32_MAX;
}

static void
w_flood_swap(struct writer *w)
{
	struct vx_bd *old = dp.bd[1];

	w->flood_gen++;
	vx_publish(dp.bd[1], flood_new(w->flood_gen, &w->seed));
	vx_retire(&dp, old);
	w->swaps++;
}

static void
w_bulk(struct writer *w)
{
	uint64_t k[8], e[8];
	uint32_t id[8];
	int32_t ret[8];

	for (unsigned int j = 0; j < 8; j++) {
		id[j] = j == 7 ? id[0] : NSTABLE + conc_rand(&w->seed) % NCHURN;
		w->gen[id[j]]++;
		k[j] = keys[id[j]];
		e[j] = word_of(id[j], w->gen[id[j]]);
	}
	vx_fdb_set_bulk(&dp.fdb, k, e, 8, ret);
	for (unsigned int j = 0; j < 8; j++) {
		if (ret[j] >= 0) {
			vx_fdb_set_seen(&dp.fdb, ret[j], vx_dp_now(&dp));
			w->n_churn += !w->present[id[j]];
			w->present[id[j]] = 1;
		} else {
			assert_int_equal(ret[j], -ENOSPC);
		}
	}
	for (unsigned int j = 0; j < 8; j++)
		w_check(w, id[j]);
	w->bulk++;
}

static void
w_churn(struct writer *w, unsigned int ops)
{
	for (unsigned int op = 0; op < ops; op++) {
		uint32_t r = conc_rand(&w->seed) % 100, id;

		if (r < 35) {
			assert_true(w_set(w, conc_rand(&w->seed) % NSTABLE));
		} else if (r < 85) {
			bool add = w->n_churn < CHURN_TARGET ? r < 70 : r < 50;

			id = w_churn_id(w, !add, NULL);
			if (id == UINT32_MAX)
				continue;
			if (add)
				w_set(w, id);
			else
				w_del(w, id);
		} else if (r < 90) {
			w_bulk(w);
		} else if (r < 91) {
			w_flood_swap(w);
		} else {
			vx_dp_set_now(&dp, vx_dp_now(&dp) + 1);
		}
	}
}

/* A grace period that ends while reader 1 is offline (it does not wait for reader 1). */
static void
w_idle_grace(struct writer *w)
{
	for (unsigned int tries = 0; tries < 5 && w->idle_graces < 4; tries++) {
		uint32_t s0, s1;

		s0 = __atomic_load_n(&r1_state, __ATOMIC_ACQUIRE);
		if (!(s0 & 1)) {
			if (!conc_wait_eq(&r1_state, s0 + 1, WAIT_MS))
				return;
			s0++;
		}
		vx_retire(&dp, NULL);
		s1 = __atomic_load_n(&r1_state, __ATOMIC_ACQUIRE);
		__atomic_store_n(&r1_release, s0, __ATOMIC_RELEASE);
		if (s1 == s0) {
			w->idle_graces++;
			return;
		}
	}
}

/* Add keys of home bucket h until it has no free slot (at most 4). */
static void
w_fill_home(struct writer *w, uint32_t h, const uint8_t *avoid)
{
	unsigned int added = 0;

	for (uint32_t id = NSTABLE; id < NKEYS && added < VX_FDB_SLOTS; id++)
		if (home_of[id] == h && !w->present[id] && !avoid[id] && w->n_churn < CAPACITY)
			added += w_set(w, id);
}

static void
w_stall(struct writer *w, uint32_t seq, bool fdb_phase)
{
	uint8_t held[NKEYS] = {0};
	uint32_t n, id;

	__atomic_store_n(&stall_req, seq, __ATOMIC_RELEASE);
	if (!conc_wait_eq(&stall_ack, seq, WAIT_MS)) {
		w->skipped++;
		goto done;
	}
	n = __atomic_load_n(&n_held, __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < n; i++)
		held[held_ids[i]] = 1;
	if (!fdb_phase) {
		__atomic_store_n(&stall_go, seq, __ATOMIC_RELEASE);
		w_flood_swap(w);
		w_flood_swap(w);
		w->flood_phases++;
		goto done;
	}
	/* Fill the defer queue: reader 0 holds its burst, so no grace period ends. */
	for (unsigned int i = 0; i < 4 * CAPACITY && dp.fdb.used - dp.fdb.count < dq_cap; i++) {
		id = w_churn_id(w, true, held);
		if (id != UINT32_MAX)
			w_del(w, id);
		id = w_churn_id(w, false, held);
		if (id != UINT32_MAX)
			w_set(w, id);
	}
	w_pending(w);
	if (dp.fdb.used - dp.fdb.count >= dq_cap)
		w->full_phases++;
	__atomic_store_n(&stall_go, seq, __ATOMIC_RELEASE);
	/* The held keys go (the queue is full), and new keys of their buckets come. */
	for (uint32_t i = 0; i < n; i++) {
		id = held_ids[i];
		if (id < NSTABLE || !w->present[id])
			continue;
		w_del(w, id);
		w_fill_home(w, home_of[id], held);
	}
	w->fdb_phases++;
done:
	__atomic_store_n(&stall_done, seq, __ATOMIC_RELEASE);
}

/* Stable keys: STABLE_PER keys homed in each of STABLE_BKT buckets far apart; then churn keys. */
static void
pick_keys(void)
{
	unsigned int per[STABLE_BKT] = {0}, ns = 0, nc = 0;
	uint32_t step = dp.fdb.nbuckets / STABLE_BKT;

	for (uint64_t c = 0; c < 100000000 && (ns < NSTABLE || nc < NCHURN); c++) {
		uint64_t k = (1ULL << 48) | 0x020000000000ULL | (c * 2654435761u & 0xffffffffffULL);
		uint32_t h = vx_fdb_home(&dp.fdb, k), j = h / step;

		if (h % step == 0 && j < STABLE_BKT && per[j] < STABLE_PER) {
			per[j]++;
			home_of[ns] = h;
			keys[ns++] = k;
		} else if (nc < NCHURN) {
			home_of[NSTABLE + nc] = h;
			keys[NSTABLE + nc++] = k;
		}
	}
	assert_int_equal(ns, NSTABLE);
	assert_int_equal(nc, NCHURN);
}

/* What each side did; nothing inconsistent was seen, and each reader did real work. */
static void
report(const struct writer *w)
{
	printf("control: %" PRIu64 " moves, %" PRIu64 " adds, %" PRIu64 " deletes, %" PRIu64
	       " bulk, %" PRIu64 " refused, %" PRIu64
	       " flood swaps; defer queue %u, max pending %u; "
	       "stall phases: %u fdb (%u with the queue full), %u flood, %u skipped; %u grace "
	       "periods while reader 1 was offline\n",
	       w->moves, w->adds, w->dels, w->bulk, w->refused, w->swaps, dq_cap, w->max_pending,
	       w->fdb_phases, w->full_phases, w->flood_phases, w->skipped, w->idle_graces);
	for (unsigned int i = 0; i < 2; i++) {
		struct reader *r = &rd[i];

		printf("reader %u: %" PRIu64 " iterations, %" PRIu64 " lookups, %" PRIu64
		       " hits (%" PRIu64 " stable, %" PRIu64 " past home), %" PRIu64
		       " flood reads, %" PRIu64 " stalls, %" PRIu64 " idle periods; missed %" PRIu64
		       ", bad word %" PRIu64 ", bad gen %" PRIu64 ", bad pos %" PRIu64
		       ", reused %" PRIu64 ", bad flood %" PRIu64 "\n",
		       i, r->iters, r->lookups, r->hits, r->stable_hits, r->past_home_hits,
		       r->flood_reads, r->stalls, r->idles, r->missed, r->bad_word, r->bad_gen,
		       r->bad_pos, r->reused, r->bad_flood);
		/* Nothing inconsistent was ever seen. */
		assert_int_equal(r->missed, 0);
		assert_int_equal(r->bad_word, 0);
		assert_int_equal(r->bad_gen, 0);
		assert_int_equal(r->bad_pos, 0);
		assert_int_equal(r->reused, 0);
		assert_int_equal(r->bad_flood, 0);
		/* And each reader did real work, past-home keys included. */
		assert_true(r->iters > 0 && r->stable_hits > 0 && r->past_home_hits > 0);
		assert_true(r->flood_reads > 0);
		free(r->last_gen);
	}
}

static void
test_fdb_readers(void **state)
{
	static struct writer w;
	uint64_t seed = 0x243f6a8885a308d3ull;
	unsigned int past_home = 0;
	int32_t pos;

	memset(&w, 0, sizeof(w));
	w.seed = seed;
	assert_int_equal(vx_dp_init(&dp, 2, CAPACITY, SOCKET_ID_ANY), 0);
	/* rte_rcu_qsbr_dq_create: a ring of the next power of two above size + 1, less one. */
	dq_cap = rte_align32pow2(CAPACITY + 2) - 1;
	pick_keys();
	for (uint32_t id = 0; id < NSTABLE; id++) {
		assert_true(w_set(&w, id));
		assert_int_not_equal(vx_fdb_get(&dp.fdb, keys[id], &pos), 0);
		past_home += (uint32_t)pos / VX_FDB_SLOTS != home_of[id];
	}
	/* Two of every six stable keys are past their home bucket. */
	assert_int_equal(past_home, STABLE_BKT * (STABLE_PER - VX_FDB_SLOTS));
	w.n_churn = 0;
	w.flood_gen = 1;
	vx_publish(dp.bd[1], flood_new(w.flood_gen, &w.seed));

	for (unsigned int i = 0; i < 2; i++) {
		rd[i].id = i;
		rd[i].seed = seed ^ (0x9e3779b97f4a7c15ull * (i + 1));
		rd[i].last_gen = calloc(NKEYS, sizeof(uint32_t));
		assert_non_null(rd[i].last_gen);
		assert_int_equal(pthread_create(&rd[i].thr, NULL, reader_main, &rd[i]), 0);
		started[i] = true;
	}
	for (uint32_t ph = 1; ph <= PHASES; ph++) {
		w_churn(&w, PHASE_OPS);
		w_idle_grace(&w);
		w_stall(&w, ph, ph % 2 == 1);
	}
	w_churn(&w, PHASE_OPS);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(rd[i].thr, NULL), 0);
		started[i] = false;
	}

	report(&w);
	/* The cases the test is for happened. */
	assert_true(rd[1].idles > 0);
	assert_true(w.idle_graces > 0);
	assert_true(w.fdb_phases > 0 && w.full_phases > 0 && w.flood_phases > 0);
	assert_true(w.max_pending >= dq_cap);
	assert_true(w.moves > 1000 && w.adds > 1000 && w.dels > 1000 && w.swaps > 50);

	/* Everything back: every slot free after a grace period, the table takes CAPACITY. */
	for (uint32_t id = 0; id < NKEYS; id++)
		if (w.present[id])
			assert_int_equal(vx_fdb_del(&dp.fdb, keys[id]), 0);
	assert_int_equal(dp.fdb.count, 0);
	assert_int_equal(vx_fdb_reclaim(&dp.fdb, true), 0);
	assert_int_equal(dp.fdb.used, 0);
	for (uint32_t id = 0; id < CAPACITY; id++)
		assert_int_equal(vx_fdb_set(&dp.fdb, keys[id], word_of(id, 1)), 0);
	vx_dp_fini(&dp);
}

/* The full-queue fallback is what the test wants: not an error to log each time. */
static int
quiet_rcu(void)
{
	rte_log_set_level_pattern("lib.rcu", RTE_LOG_CRIT);
	return 0;
}

/* Also after a failed assertion: never leave a reader running. */
static int
stop_readers(void **state)
{
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&stall_done, UINT32_MAX, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < 2; i++)
		if (started[i])
			pthread_join(rd[i].thr, NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fdb_readers, stop_readers),
	};

	(void)argc;
	return run_eal_tests(argv[0], "conc", tests, RTE_DIM(tests), quiet_rcu, NULL);
}
