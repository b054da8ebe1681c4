/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Learning, ageing and VTEP references under concurrent workers: a real
 * control plane (tests/eal/ctl_harness.h, two worker slots) whose learn
 * rings two threads fill as workers do (a request carries the epoch of the
 * link the worker read, and its tsc), while the test's main thread is the
 * control thread: it polls (vx_core_poll), runs commands and checks the
 * tables after every poll. The worker threads are registered on the QSBR
 * variable and report a quiescent state once per iteration.
 *
 *  - Link swap: the workers learn remote MACs whose address carries the
 *    VNI of the link they read; the control thread deletes the link and
 *    adds one with a new VNI (it takes the same bridge domain) while
 *    requests of the old one wait in both rings. No entry of the link may
 *    ever carry another VNI's MAC or point to a VTEP of another VNI, and
 *    stale requests are counted; a VNI that maps to the bridge domain
 *    finds its own link there, never the next one. In VTEP phases worker 0
 *    holds the VTEPs of the entries it found while the control thread
 *    flushes the link and frees the VTEPs it retired: what worker 0 holds
 *    must stay intact.
 *  - MAC move: hosts move between a port worker 1 serves and one worker 0
 *    serves, in turns; when both requests of a round wait in the rings,
 *    the poll must apply them in time order: the host ends where it went
 *    last. Workers look the hosts up meanwhile and never miss one.
 *  - Ageing of a large table: 300000 entries, a live eighth touched by the
 *    workers every simulated second; each pass takes at most VX_AGE_POLLS
 *    polls, nothing ages before `ageing` seconds, and every idle entry is
 *    gone after the pass of second `ageing` + 1.
 * No timing is asserted: work is counted, waits are bounded.
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
#include <arpa/inet.h>

#include <cmocka.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "cli/cli.h"
#include "conc.h"
#include "core/core.h"
#include "underlay/underlay.h"

#include "ctl_harness.h"

#define LINK_BD	      1
#define SWAPS	      24
#define POLLS	      6	   /* per swap, with the workers pushing */
#define MACS	      4096 /* per VNI */
#define REMOTES	      64   /* outer sources: VTEPs per link */
#define RING_FILL     2048 /* a worker pushes while its ring holds fewer */
#define HOLD_KEYS     512
#define WINDOW_MS     30
#define WAIT_MS	      2000
#define STALL_MAX_MS  5000
#define MOVE_HOSTS    16
#define MOVE_ROUNDS   200
#define AGE_CAPACITY  (1u << 19)
#define AGE_ENTRIES   300000
#define AGE_LIVE      8 /* one key in AGE_LIVE is live */
#define AGE_SECONDS   10
#define AGE_POLLS_MAX 50 /* control/core/age.c: VX_AGE_POLLS */
#define MAX_NS	      (120ULL * 1000000000ULL)

enum mode { MODE_SWAP, MODE_MOVE, MODE_AGE };

struct held {
	uint64_t key;
	uint32_t idx;
	const struct vx_vtep *vt;
};

struct worker {
	unsigned int id;
	pthread_t thr;
	uint64_t seed;
	struct held held[HOLD_KEYS];
	unsigned int n_held;
	uint64_t iters, pushed, full, lookups, hits, vtep_reads, stalls, sweeps;
	uint64_t vni_reads, bad_vtep, bad_vni, missed, no_link;
};

static struct vx_ctl *ctl;
static enum mode mode;
static struct worker wk[2];
static bool started[2];
static uint32_t stop;
static uint32_t stall_req, stall_ack, stall_go, stall_done;
static uint32_t turn, turn_limit, hosts_in; /* MAC move */
static uint32_t sweep_now[2];		    /* ageing: dp->now at the start of a full sweep */
static uint64_t age_keys[AGE_ENTRIES];

static uint64_t
mac_key(uint32_t vni, uint32_t i)
{
	return ((uint64_t)LINK_BD << 48) | (0x02ULL << 40) | ((uint64_t)(vni & 0xffffff) << 16) |
	       (i & 0xffff);
}

static uint32_t
key_vni(uint64_t key)
{
	return (key >> 16) & 0xffffff;
}

static void
remote_of(uint32_t i, struct vx_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET;
	ip->v4.s_addr = htonl(0xc6336400u + 10 + i % REMOTES); /* 198.51.100.10 + i % REMOTES */
}

/* The VTEP a worker holds is the one its entry named, intact. */
static bool
vtep_ok(const struct vx_vtep *vt, uint64_t key, uint32_t idx)
{
	struct vx_ip ip;

	remote_of(key & 0xffff, &ip);
	return vt->idx == idx && vt->bd == LINK_BD && vt->vni == key_vni(key) &&
	       vx_ip_eq(&vt->remote, &ip);
}

static void
push(struct worker *w, struct vx_learn_req *r, unsigned int n)
{
	unsigned int k;

	k = rte_ring_enqueue_burst_elem(ctl->dp->learn_ring[w->id], r, sizeof(*r), n, NULL);
	w->pushed += k;
	w->full += n - k;
}

/* ---- the workers ---- */

/* Look up n keys; hold the VTEP of every remote hit. */
static void
hold_vteps(struct worker *w, const uint64_t *keys, unsigned int n)
{
	uint64_t e[VX_BURST];
	int32_t pos[VX_BURST];

	for (unsigned int i = 0; i < n; i += VX_BURST) {
		unsigned int m = RTE_MIN(n - i, (unsigned int)VX_BURST);

		vx_fdb_lookup_bulk(&ctl->dp->fdb, keys + i, m, e, pos);
		w->lookups += m;
		for (unsigned int j = 0; j < m; j++) {
			const struct vx_vtep *vt;
			uint32_t idx;

			if (!(e[j] & VX_FDB_REMOTE))
				continue;
			w->hits++;
			idx = vx_fdb_index(e[j]);
			vt = idx < VX_MAX_VTEP ? vx_deref(ctl->dp->vtep[idx]) : NULL;
			if (vt == NULL || w->n_held == HOLD_KEYS)
				continue;
			w->vtep_reads++;
			w->held[w->n_held++] =
				(struct held){.key = keys[i + j], .idx = idx, .vt = vt};
		}
	}
}

static void
recheck(struct worker *w)
{
	for (unsigned int i = 0; i < w->n_held; i++)
		if (!vtep_ok(w->held[i].vt, w->held[i].key, w->held[i].idx))
			w->bad_vtep++;
}

static void
swap_stall(struct worker *w, uint32_t seq, uint32_t vni)
{
	uint64_t keys[HOLD_KEYS], t_ack, t_go = 0, now;

	for (unsigned int i = 0; i < HOLD_KEYS; i++)
		keys[i] = mac_key(vni, conc_rand(&w->seed) % MACS);
	w->n_held = 0;
	hold_vteps(w, keys, HOLD_KEYS);
	recheck(w);
	__atomic_store_n(&stall_ack, seq, __ATOMIC_RELEASE);
	w->stalls++;
	t_ack = conc_ns();
	for (;;) {
		recheck(w);
		if (__atomic_load_n(&stall_done, __ATOMIC_ACQUIRE) == seq)
			break;
		now = conc_ns();
		if (t_go == 0 && __atomic_load_n(&stall_go, __ATOMIC_ACQUIRE) == seq)
			t_go = now;
		if ((t_go != 0 && now - t_go > WINDOW_MS * 1000000ULL) ||
		    now - t_ack > STALL_MAX_MS * 1000000ULL)
			break;
	}
	recheck(w);
}

/*
 * As decap maps a VNI: within one iteration, a VNI that maps to the link's
 * bridge domain finds that link (or none, while it is being deleted), never
 * the link that took the bridge domain after it.
 */
static void
vni_check(struct worker *w, uint32_t vni)
{
	const struct vx_bd *bd;
	uint16_t b = vx_vni_bd(ctl->dp, vni);

	if (b == 0)
		return;
	w->vni_reads++;
	for (unsigned int i = conc_rand(&w->seed) % 256; i > 0; i--)
		rte_pause();
	bd = vx_deref(ctl->dp->bd[b]);
	if (bd != NULL && bd->vni != vni)
		w->bad_vni++;
}

static void
swap_iter(struct worker *w)
{
	const struct vx_bd *bd = vx_deref(ctl->dp->bd[LINK_BD]);
	struct vx_learn_req r[16];
	uint64_t keys[16], tsc;
	uint32_t seq;

	if (bd == NULL) {
		w->no_link++;
		return;
	}
	seq = __atomic_load_n(&stall_req, __ATOMIC_ACQUIRE);
	if (w->id == 0 && seq != __atomic_load_n(&stall_ack, __ATOMIC_RELAXED)) {
		swap_stall(w, seq, bd->vni);
		return;
	}
	if (rte_ring_count(ctl->dp->learn_ring[w->id]) < RING_FILL) {
		tsc = rte_rdtsc();
		for (unsigned int i = 0; i < RTE_DIM(r); i++) {
			uint32_t m = conc_rand(&w->seed) % MACS;

			memset(&r[i], 0, sizeof(r[i]));
			r[i].key = mac_key(bd->vni, m);
			remote_of(m, &r[i].remote);
			r[i].worker = w->id;
			r[i].epoch = bd->epoch;
			r[i].tsc = tsc;
		}
		push(w, r, RTE_DIM(r));
	}
	for (unsigned int i = 0; i < RTE_DIM(keys); i++)
		keys[i] = mac_key(bd->vni, conc_rand(&w->seed) % MACS);
	w->n_held = 0;
	hold_vteps(w, keys, RTE_DIM(keys));
	for (unsigned int i = conc_rand(&w->seed) % 512; i > 0; i--)
		rte_pause();
	recheck(w);
	vni_check(w, bd->vni - conc_rand(&w->seed) % 2);
}

/* Hosts 0..MOVE_HOSTS-1 of VNI 10, seen by this worker on port w (untagged). */
static void
move_iter(struct worker *w)
{
	const struct vx_bd *bd = vx_deref(ctl->dp->bd[LINK_BD]);
	uint32_t t = __atomic_load_n(&turn, __ATOMIC_ACQUIRE);
	uint64_t keys[MOVE_HOSTS], e[MOVE_HOSTS];
	struct vx_learn_req r[MOVE_HOSTS];
	int32_t pos[MOVE_HOSTS];

	if (bd == NULL)
		return;
	for (unsigned int i = 0; i < MOVE_HOSTS; i++)
		keys[i] = mac_key(10, i);
	if (__atomic_load_n(&hosts_in, __ATOMIC_ACQUIRE)) {
		vx_fdb_lookup_bulk(&ctl->dp->fdb, keys, MOVE_HOSTS, e, pos);
		w->lookups += MOVE_HOSTS;
		for (unsigned int i = 0; i < MOVE_HOSTS; i++)
			if (e[i] == 0)
				w->missed++;
	}
	/* Turn t is worker (t + 1) % 2's: worker 1 first in a round, worker 0 last. */
	if (t >= __atomic_load_n(&turn_limit, __ATOMIC_ACQUIRE) || (t + 1) % 2 != w->id)
		return;
	for (unsigned int i = 0; i < MOVE_HOSTS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].key = keys[i];
		r[i].entry = vx_fdb_local(w->id, 0, 0);
		r[i].worker = w->id;
		r[i].epoch = bd->epoch;
		r[i].tsc = rte_rdtsc();
	}
	push(w, r, MOVE_HOSTS);
	__atomic_store_n(&turn, t + 1, __ATOMIC_RELEASE);
}

/* Touch this worker's half of the live keys, one burst an iteration. */
static void
age_iter(struct worker *w, uint32_t *cursor, uint32_t *start_now)
{
	uint64_t keys[VX_BURST], e[VX_BURST];
	int32_t pos[VX_BURST];
	uint32_t now = vx_dp_now(ctl->dp), n = 0;

	if (*cursor == 0)
		*start_now = now;
	while (n < VX_BURST && *cursor < AGE_ENTRIES) {
		uint32_t i = *cursor;

		*cursor += AGE_LIVE;
		if ((i / AGE_LIVE) % 2 == w->id)
			keys[n++] = age_keys[i];
	}
	vx_fdb_lookup_bulk(&ctl->dp->fdb, keys, n, e, pos);
	w->lookups += n;
	for (unsigned int i = 0; i < n; i++) {
		if (e[i] == 0) {
			w->missed++;
			continue;
		}
		w->hits++;
		vx_fdb_touch(&ctl->dp->fdb, pos[i], now);
	}
	if (*cursor >= AGE_ENTRIES) {
		*cursor = 0;
		w->sweeps++;
		__atomic_store_n(&sweep_now[w->id], *start_now, __ATOMIC_RELEASE);
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rte_rcu_qsbr *qs = ctl->dp->qsbr;
	uint64_t end = conc_ns() + MAX_NS;
	uint32_t cursor = 0, start_now = 0;

	rte_rcu_qsbr_thread_register(qs, w->id);
	rte_rcu_qsbr_thread_online(qs, w->id);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE) && conc_ns() < end) {
		if (mode == MODE_SWAP)
			swap_iter(w);
		else if (mode == MODE_MOVE)
			move_iter(w);
		else
			age_iter(w, &cursor, &start_now);
		w->iters++;
		rte_rcu_qsbr_quiescent(qs, w->id);
	}
	rte_rcu_qsbr_thread_offline(qs, w->id);
	rte_rcu_qsbr_thread_unregister(qs, w->id);
	return NULL;
}

static void
start_workers(enum mode m)
{
	mode = m;
	__atomic_store_n(&stop, 0, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < 2; i++) {
		memset(&wk[i], 0, sizeof(wk[i]));
		wk[i].id = i;
		wk[i].seed = 0x9e3779b97f4a7c15ull * (i + 1) + m;
		assert_int_equal(pthread_create(&wk[i].thr, NULL, worker_main, &wk[i]), 0);
		started[i] = true;
	}
}

static void
stop_workers(void)
{
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&stall_done, UINT32_MAX, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < 2; i++)
		if (started[i]) {
			pthread_join(wk[i].thr, NULL);
			started[i] = false;
		}
	__atomic_store_n(&stall_done, 0, __ATOMIC_RELEASE);
	stall_req = stall_ack = stall_go = 0;
}

static int
teardown(void **state)
{
	stop_workers();
	if (ctl != NULL)
		free_ctl(ctl);
	ctl = NULL;
	return 0;
}

static uint64_t
ev(uint32_t e)
{
	struct vx_lcore_stats st;

	vx_stats_sum(ctl->dp, &st);
	return st.event[e];
}

/* ---- link swap ---- */

struct swap_check {
	uint32_t vni;
	uint32_t n, bad_mac, bad_vtep;
};

static void
swap_check_fn(struct vx_fdb *f, uint64_t key, uint64_t e, uint32_t pos, void *arg)
{
	struct swap_check *s = arg;
	const struct vx_vtep_ctl *v;

	if (vx_fdb_key_bd(key) != LINK_BD)
		return;
	s->n++;
	if (key_vni(key) != s->vni)
		s->bad_mac++;
	if (!(e & VX_FDB_REMOTE))
		return;
	v = &ctl->core->vtep[vx_fdb_index(e)];
	if (!v->used || v->bd != LINK_BD || v->vni != s->vni)
		s->bad_vtep++;
}

/* Poll once, then every entry of the link is of its VNI and points to a VTEP of it. */
static uint32_t
poll_check(uint32_t vni)
{
	struct swap_check s = {.vni = vni};
	uint32_t cursor = 0;

	vx_core_poll(ctl);
	vx_fdb_walk(&ctl->dp->fdb, &cursor, ctl->dp->fdb.nslots, swap_check_fn, &s);
	if (s.bad_mac || s.bad_vtep)
		fail_msg("link of VNI %u: %u of %u entries of another VNI, %u with another "
			 "VNI's VTEP",
			 vni, s.bad_mac, s.n, s.bad_vtep);
	return s.n;
}

static bool
match_link(struct vx_ctl *c, uint64_t key, uint64_t entry, void *arg)
{
	return vx_fdb_key_bd(key) == LINK_BD;
}

/* Worker 0 holds VTEPs while the control thread flushes the link and frees what it retired. */
static bool
vtep_phase(uint32_t seq)
{
	uint32_t n_static;
	bool acked;

	__atomic_store_n(&stall_req, seq, __ATOMIC_RELEASE);
	acked = conc_wait_eq(&stall_ack, seq, WAIT_MS);
	if (acked) {
		__atomic_store_n(&stall_go, seq, __ATOMIC_RELEASE);
		vx_core_fdb_flush(ctl, match_link, NULL, &n_static);
		vx_vtep_flush_retired(ctl);
	}
	__atomic_store_n(&stall_done, seq, __ATOMIC_RELEASE);
	return acked;
}

static void
test_learn_link_swap(void **state)
{
	uint32_t vni = 100, seq = 0, phases = 0, learned = 0;
	char cmd[160];

	ctl = new_ctl_workers(2, 16384);
	snprintf(cmd, sizeof(cmd), "link add vx%u type vxlan id %u local 198.51.100.1", vni, vni);
	ok(ctl, cmd);
	assert_int_equal(vx_link_find(ctl, "vx100")->bd, LINK_BD);
	start_workers(MODE_SWAP);
	for (unsigned int s = 0; s < SWAPS; s++) {
		for (unsigned int p = 0; p < POLLS; p++) {
			learned += poll_check(vni) != 0;
			conc_sleep_us(200);
		}
		if (s % 3 == 2) {
			phases += vtep_phase(++seq);
			poll_check(vni);
		}
		/* Requests of this link wait in both rings: then it goes, another comes. */
		for (unsigned int t = 0; t < 2000; t++) {
			if (rte_ring_count(ctl->dp->learn_ring[0]) != 0 &&
			    rte_ring_count(ctl->dp->learn_ring[1]) != 0)
				break;
			conc_sleep_us(500);
		}
		snprintf(cmd, sizeof(cmd), "link del vx%u", vni);
		ok(ctl, cmd);
		vni++;
		snprintf(cmd, sizeof(cmd), "link add vx%u type vxlan id %u local 198.51.100.1", vni,
			 vni);
		ok(ctl, cmd);
		snprintf(cmd, sizeof(cmd), "vx%u", vni);
		assert_int_equal(vx_link_find(ctl, cmd)->bd, LINK_BD);
		poll_check(vni);
	}
	stop_workers();
	poll_check(vni);
	printf("%u swaps, %u VTEP phases, %u polls found entries; learned %" PRIu64
	       ", stale %" PRIu64 ", VTEPs %u\n",
	       SWAPS, phases, learned, ev(VX_EV_LEARNED), ev(VX_EV_LEARN_STALE), ctl->core->n_vtep);
	for (unsigned int i = 0; i < 2; i++)
		printf("worker %u: %" PRIu64 " iterations, %" PRIu64 " pushed, %" PRIu64
		       " ring full, %" PRIu64 " lookups, %" PRIu64 " hits, %" PRIu64
		       " VTEPs held, %" PRIu64 " stalls, %" PRIu64 " without the link, %" PRIu64
		       " VNI reads; bad VTEP %" PRIu64 ", bad VNI %" PRIu64 "\n",
		       i, wk[i].iters, wk[i].pushed, wk[i].full, wk[i].lookups, wk[i].hits,
		       wk[i].vtep_reads, wk[i].stalls, wk[i].no_link, wk[i].vni_reads,
		       wk[i].bad_vtep, wk[i].bad_vni);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(wk[i].bad_vtep, 0);
		assert_int_equal(wk[i].bad_vni, 0);
		assert_true(wk[i].pushed > 0 && wk[i].vtep_reads > 0 && wk[i].vni_reads > 0);
	}
	/* The races happened: stale requests were dropped, VTEPs held through a flush. */
	assert_true(ev(VX_EV_LEARN_STALE) > 0);
	assert_true(ev(VX_EV_LEARNED) > 0 && learned > 0);
	assert_true(phases > 0 && wk[0].stalls > 0);
	free_ctl(ctl);
	ctl = NULL;
}

/* ---- MAC move ---- */

static void
test_learn_move(void **state)
{
	unsigned int wrong = 0, concurrent = 0;

	ctl = new_ctl_workers(2, 1024);
	ok(ctl, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	ok(ctl, "link set dev net_af_packet0 master vxlan10");
	ok(ctl, "link set dev net_af_packet1 master vxlan10");
	assert_int_equal(vx_link_find(ctl, "vxlan10")->bd, LINK_BD);
	start_workers(MODE_MOVE);
	for (uint32_t r = 0; r < MOVE_ROUNDS; r++) {
		uint32_t limit = 2 * (r + 1);

		__atomic_store_n(&turn_limit, limit, __ATOMIC_RELEASE);
		/* Odd rounds: polls race the workers; even rounds: both requests wait. */
		for (unsigned int t = 0;
		     t < 20000 && __atomic_load_n(&turn, __ATOMIC_ACQUIRE) < limit; t++) {
			if (r % 2 == 1) {
				vx_core_poll(ctl);
				concurrent++;
			}
			conc_sleep_us(50);
		}
		assert_int_equal(__atomic_load_n(&turn, __ATOMIC_ACQUIRE), limit);
		vx_core_poll(ctl);
		/* Worker 0 pushed last: every host is on port 0. */
		for (unsigned int i = 0; i < MOVE_HOSTS; i++)
			if (vx_fdb_get(&ctl->dp->fdb, mac_key(10, i), NULL) !=
			    vx_fdb_local(0, 0, 0))
				wrong++;
		if (wrong != 0)
			fail_msg("round %u: %u hosts not where they went last", r, wrong);
		__atomic_store_n(&hosts_in, 1, __ATOMIC_RELEASE);
	}
	stop_workers();
	printf("%u rounds (%u polls racing the workers); moved %" PRIu64 ", learned %" PRIu64
	       "; worker lookups %" PRIu64 " + %" PRIu64 ", missed %" PRIu64 " + %" PRIu64 "\n",
	       MOVE_ROUNDS, concurrent, ev(VX_EV_MOVED), ev(VX_EV_LEARNED), wk[0].lookups,
	       wk[1].lookups, wk[0].missed, wk[1].missed);
	assert_int_equal(wk[0].missed + wk[1].missed, 0);
	assert_true(wk[0].lookups > 0 && wk[1].lookups > 0);
	assert_int_equal(ev(VX_EV_LEARNED), MOVE_HOSTS);
	assert_true(ev(VX_EV_MOVED) >= (MOVE_ROUNDS - 1) * MOVE_HOSTS);
	free_ctl(ctl);
	ctl = NULL;
}

/* ---- ageing ---- */

static void
test_age_large(void **state)
{
	struct vx_learn_req r = {0};
	struct vx_link *l;
	uint32_t live = 0, polls, max_polls = 0, t0 = 100;
	uint64_t aged;

	ctl = new_ctl_workers(2, AGE_CAPACITY);
	ok(ctl, "link add vxlan10 type vxlan id 10 local 198.51.100.1 ageing 10");
	ok(ctl, "link set dev net_af_packet0 master vxlan10");
	l = vx_link_find(ctl, "vxlan10");
	vx_dp_set_now(ctl->dp, t0);
	r.entry = vx_fdb_local(0, 0, 0);
	r.epoch = l->epoch;
	for (uint32_t i = 0; i < AGE_ENTRIES; i++) {
		age_keys[i] = ((uint64_t)l->bd << 48) | (0x02ULL << 40) |
			      (i * 2654435761ULL & 0xffffffffff);
		r.key = age_keys[i];
		vx_core_learn(ctl, &r);
		live += i % AGE_LIVE == 0;
	}
	assert_int_equal(l->n_fdb, AGE_ENTRIES);
	sweep_now[0] = sweep_now[1] = 0;
	start_workers(MODE_AGE);
	for (uint32_t s = 1; s <= AGE_SECONDS + 1; s++) {
		uint32_t now = t0 + s;

		vx_dp_set_now(ctl->dp, now);
		/* Both workers touched every live key at `now` (their sweep began after it). */
		for (unsigned int i = 0; i < 2; i++)
			if (!conc_wait_eq(&sweep_now[i], now, WAIT_MS * 5))
				fail_msg("worker %u: no sweep at second %u", i, now);
		vx_core_age_poll(ctl);
		for (polls = 1; ctl->core->age_left != 0 && polls < 100000; polls++)
			vx_core_age_poll(ctl);
		max_polls = RTE_MAX(max_polls, polls);
		aged = ev(VX_EV_AGED);
		if (s <= AGE_SECONDS)
			assert_int_equal(aged, 0);
	}
	stop_workers();
	printf("%u entries, %u live, %u slots; a pass took at most %u polls; aged %" PRIu64
	       "; worker lookups %" PRIu64 " + %" PRIu64 ", sweeps %" PRIu64 " + %" PRIu64
	       ", missed %" PRIu64 " + %" PRIu64 "\n",
	       AGE_ENTRIES, live, ctl->dp->fdb.nslots, max_polls, ev(VX_EV_AGED), wk[0].lookups,
	       wk[1].lookups, wk[0].sweeps, wk[1].sweeps, wk[0].missed, wk[1].missed);
	assert_true(max_polls <= AGE_POLLS_MAX);
	/* Every idle entry went in the pass of second ageing + 1; no live one did. */
	assert_int_equal(ev(VX_EV_AGED), AGE_ENTRIES - live);
	assert_int_equal(l->n_fdb, live);
	assert_int_equal(ctl->dp->fdb.count, live);
	for (uint32_t i = 0; i < AGE_ENTRIES; i++)
		assert_int_equal(vx_fdb_get(&ctl->dp->fdb, age_keys[i], NULL) != 0,
				 i % AGE_LIVE == 0);
	assert_int_equal(wk[0].missed + wk[1].missed, 0);
	free_ctl(ctl);
	ctl = NULL;
}

static int
quiet_rcu(void)
{
	rte_log_set_level_pattern("lib.rcu", RTE_LOG_CRIT);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_learn_link_swap, teardown),
		cmocka_unit_test_teardown(test_learn_move, teardown),
		cmocka_unit_test_teardown(test_age_large, teardown),
	};

	(void)argc;
	return run_eal_tests(argv[0], "concctl", tests, RTE_DIM(tests), quiet_rcu, NULL);
}
