/* SPDX-License-Identifier: BSD-3-Clause */
/* The neighbour state machine with a fake clock and fake ops. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "underlay/underlay.h"

struct rec {
	int solicit_mcast, solicit_ucast, xmit, drop, changed;
	void *sent[32];
	void *dropped[32];
};

static void
f_solicit(void *ctx, struct vx_neigh *n, bool unicast)
{
	struct rec *r = ctx;

	if (unicast)
		r->solicit_ucast++;
	else
		r->solicit_mcast++;
}

static void
f_xmit(void *ctx, struct vx_neigh *n, void *pkt)
{
	struct rec *r = ctx;

	r->sent[r->xmit++] = pkt;
}

static void
f_drop(void *ctx, struct vx_neigh *n, void *pkt)
{
	struct rec *r = ctx;

	r->dropped[r->drop++] = pkt;
}

static void
f_changed(void *ctx, struct vx_neigh *n)
{
	((struct rec *)ctx)->changed++;
}

static const struct vx_neigh_ops ops = {f_solicit, f_xmit, f_drop, f_changed};
static struct vx_neigh_tbl tbl;
static const struct rte_ether_addr mac1 = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x11}};
static const struct rte_ether_addr mac2 = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x22}};

static struct vx_ip
ip4(const char *s)
{
	struct vx_ip ip = {.family = AF_INET};

	inet_pton(AF_INET, s, &ip.v4);
	return ip;
}

/* Advance the fake clock in 100 ms steps, running timers as the control loop does. */
static uint64_t
run(uint64_t now, uint64_t until)
{
	for (; now < until; now += 100)
		vx_neigh_timer(&tbl, now);
	vx_neigh_timer(&tbl, until);
	return until;
}

static void
test_incomplete_fails(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("198.51.100.2");
	struct vx_neigh *n;
	int pkts[5];
	uint64_t now = 1000;

	vx_neigh_tbl_init(&tbl, &ops, &r);
	n = vx_neigh_resolve(&tbl, 0, &ip, now);
	assert_non_null(n);
	assert_int_equal(n->state, VX_NUD_INCOMPLETE);
	assert_int_equal(r.solicit_mcast, 1);
	for (int i = 0; i < 5; i++)
		vx_neigh_enqueue(&tbl, n, &pkts[i], now);
	assert_int_equal(n->qlen, 5);
	now = run(now, now + 999);
	assert_int_equal(r.solicit_mcast, 1); /* retrans_time not yet over */
	now = run(now, now + 1);
	assert_int_equal(r.solicit_mcast, 2);
	now = run(now, now + 1000);
	assert_int_equal(r.solicit_mcast, 3);
	assert_int_equal(n->state, VX_NUD_INCOMPLETE);
	now = run(now, now + 1000);
	/* Three probes, no answer: FAILED, queued frames dropped and counted. */
	assert_int_equal(r.solicit_mcast, 3);
	assert_int_equal(n->state, VX_NUD_FAILED);
	assert_int_equal(r.drop, 5);
	assert_ptr_equal(r.dropped[0], &pkts[0]);
	assert_int_equal(r.xmit, 0);
	assert_int_equal(r.changed, 0); /* it never had a MAC */

	/* A new frame restarts resolution, as in the kernel. */
	vx_neigh_enqueue(&tbl, n, &pkts[0], now);
	assert_int_equal(n->state, VX_NUD_INCOMPLETE);
	assert_int_equal(r.solicit_mcast, 4);
}

static void
test_resolve_flushes_queue(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("198.51.100.2");
	struct vx_neigh *n;
	int pkts[VX_NEIGH_QLEN + 2];

	vx_neigh_tbl_init(&tbl, &ops, &r);
	n = vx_neigh_resolve(&tbl, 0, &ip, 0);
	for (int i = 0; i < VX_NEIGH_QLEN + 2; i++)
		vx_neigh_enqueue(&tbl, n, &pkts[i], 0);
	/* Bounded: the two oldest went. */
	assert_int_equal(n->qlen, VX_NEIGH_QLEN);
	assert_int_equal(r.drop, 2);
	assert_ptr_equal(r.dropped[0], &pkts[0]);
	assert_ptr_equal(r.dropped[1], &pkts[1]);

	/* The reply: REACHABLE, queue sent in order, templates rebuilt. */
	assert_ptr_equal(vx_neigh_input(&tbl, 0, &ip, &mac1, true, false, 500), n);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	assert_memory_equal(&n->mac, &mac1, 6);
	assert_int_equal(r.xmit, VX_NEIGH_QLEN);
	assert_ptr_equal(r.sent[0], &pkts[2]);
	assert_ptr_equal(r.sent[VX_NEIGH_QLEN - 1], &pkts[VX_NEIGH_QLEN + 1]);
	assert_int_equal(n->qlen, 0);
	assert_int_equal(r.changed, 1);

	/* Once valid, frames go straight out. */
	vx_neigh_enqueue(&tbl, n, &pkts[0], 600);
	assert_int_equal(r.xmit, VX_NEIGH_QLEN + 1);
}

static void
test_reachable_stale_probe(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("198.51.100.2");
	struct vx_neigh *n;
	uint64_t now = 0;

	vx_neigh_tbl_init(&tbl, &ops, &r);
	n = vx_neigh_resolve(&tbl, 0, &ip, now);
	vx_neigh_input(&tbl, 0, &ip, &mac1, true, false, now);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	r.changed = 0;

	now = run(now, VX_NEIGH_REACHABLE_MS - 100);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	now = run(now, VX_NEIGH_REACHABLE_MS);
	assert_int_equal(n->state, VX_NUD_STALE);
	assert_true(vx_neigh_valid(n)); /* still usable */
	/* A next hop in use is probed (unicast) after the first-probe delay. */
	now = run(now, now + 5000);
	assert_int_equal(n->state, VX_NUD_PROBE);
	assert_int_equal(r.solicit_ucast, 1);
	assert_int_equal(r.changed, 0);
	/* The answer confirms it. */
	vx_neigh_input(&tbl, 0, &ip, &mac1, true, false, now);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	assert_int_equal(r.changed, 0); /* same MAC: no rebuild */

	/* Next time nobody answers: PROBE x3, then FAILED and the template goes. */
	now = run(now, now + VX_NEIGH_REACHABLE_MS + 5000);
	assert_int_equal(n->state, VX_NUD_PROBE);
	now = run(now, now + 3000);
	assert_int_equal(r.solicit_ucast, 4);
	assert_int_equal(n->state, VX_NUD_FAILED);
	assert_int_equal(r.changed, 1);
}

static void
test_learn_and_mac_change(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("198.51.100.7"), other = ip4("198.51.100.8");
	struct vx_neigh *n;

	vx_neigh_tbl_init(&tbl, &ops, &r);
	/* Without create, input about an unknown address is ignored. */
	assert_null(vx_neigh_input(&tbl, 0, &other, &mac1, false, false, 0));
	/* A request for our address creates a STALE entry (Linux's arp_process). */
	n = vx_neigh_input(&tbl, 0, &ip, &mac1, false, true, 0);
	assert_non_null(n);
	assert_int_equal(n->state, VX_NUD_STALE);
	assert_int_equal(r.changed, 0); /* not a next hop */
	/* It becomes a next hop: usable at once, no request sent. */
	assert_ptr_equal(vx_neigh_resolve(&tbl, 0, &ip, 10), n);
	assert_int_equal(r.solicit_mcast, 0);
	/* Gratuitous ARP with a new MAC: updated, STALE, templates rebuilt. */
	vx_neigh_input(&tbl, 0, &ip, &mac2, false, false, 20);
	assert_memory_equal(&n->mac, &mac2, 6);
	assert_int_equal(n->state, VX_NUD_STALE);
	assert_int_equal(r.changed, 1);
	/* Same MAC again changes nothing. */
	vx_neigh_input(&tbl, 0, &ip, &mac2, false, false, 30);
	assert_int_equal(r.changed, 1);

	/* An unused learnt entry is collected after gc_stale_time. */
	{
		struct vx_neigh *o = vx_neigh_input(&tbl, 0, &other, &mac1, false, true, 0);
		uint32_t id = o->id;

		run(0, VX_NEIGH_GC_STALE_MS + 100);
		assert_null(vx_neigh_get(&tbl, id));
	}
}

static void
test_static(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("198.51.100.9");
	struct vx_neigh *n;
	int pkt;

	vx_neigh_tbl_init(&tbl, &ops, &r);
	n = vx_neigh_resolve(&tbl, 0, &ip, 0);
	vx_neigh_enqueue(&tbl, n, &pkt, 0);
	/* neigh add on an INCOMPLETE entry resolves it and sends the queue. */
	assert_int_equal(vx_neigh_set(&tbl, 0, &ip, &mac1, VX_NUD_PERMANENT, false, 5), 0);
	assert_int_equal(n->state, VX_NUD_PERMANENT);
	assert_int_equal(r.xmit, 1);
	assert_int_equal(r.changed, 1);
	/* Duplicate add refused, replace accepted. */
	assert_int_equal(vx_neigh_set(&tbl, 0, &ip, &mac2, VX_NUD_PERMANENT, false, 6), -EEXIST);
	assert_int_equal(vx_neigh_set(&tbl, 0, &ip, &mac2, VX_NUD_PERMANENT, true, 6), 0);
	assert_int_equal(r.changed, 2);
	/* The wire never overrides a permanent entry, and timers never expire it. */
	vx_neigh_input(&tbl, 0, &ip, &mac1, false, false, 7);
	assert_memory_equal(&n->mac, &mac2, 6);
	run(0, 200000);
	assert_int_equal(n->state, VX_NUD_PERMANENT);
	/* Delete of a next hop: dropped and the templates rebuilt (re-resolve). */
	vx_neigh_del(&tbl, n);
	assert_null(vx_neigh_find(&tbl, 0, &ip));
	assert_int_equal(r.changed, 3);
}

/* Next hops are counted: the last VTEP to let go of one takes it with it. */
static void
test_refs(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("198.51.100.20"), ip2 = ip4("198.51.100.21");
	struct vx_neigh *n;
	uint32_t id;

	vx_neigh_tbl_init(&tbl, &ops, &r);
	n = vx_neigh_resolve(&tbl, 0, &ip, 0);
	id = n->id;
	assert_ptr_equal(vx_neigh_resolve(&tbl, 0, &ip, 0), n);
	assert_int_equal(n->refs, 2);
	run(0, 5000); /* no answer: FAILED, kept while used */
	assert_int_equal(n->state, VX_NUD_FAILED);
	assert_non_null(vx_neigh_get(&tbl, id));
	vx_neigh_release(&tbl, id, 5000);
	assert_non_null(vx_neigh_get(&tbl, id));
	vx_neigh_release(&tbl, id, 5000);
	assert_null(vx_neigh_get(&tbl, id)); /* no MAC and no user: gone */
	/* A released id names nothing, even once its slot holds another entry. */
	n = vx_neigh_resolve(&tbl, 0, &ip2, 6000);
	assert_int_equal(n - tbl.n, (id & VX_NEIGH_ID_MASK) - 1);
	assert_int_not_equal(n->id, id);
	vx_neigh_release(&tbl, id, 6000);
	assert_int_equal(n->refs, 1);
	/* A next hop with a MAC goes stale when its last user goes, then is collected. */
	vx_neigh_input(&tbl, 0, &ip2, &mac1, true, false, 6100);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	id = n->id;
	vx_neigh_release(&tbl, id, 6200);
	run(6200, 6200 + VX_NEIGH_REACHABLE_MS + VX_NEIGH_GC_STALE_MS + 1000);
	assert_null(vx_neigh_get(&tbl, id));
}

/*
 * A full table makes room as the kernel's forced gc does: the oldest entry
 * nobody uses goes (failed before stale before reachable); static entries
 * and next hops in use never do.
 */
static void
test_evict(void **state)
{
	struct rec r = {0};
	struct vx_ip ip = ip4("10.5.0.0"), used = ip4("198.51.100.30"), perm = ip4("198.51.100.31");
	struct vx_neigh *n, *nh, *pn;

	vx_neigh_tbl_init(&tbl, &ops, &r);
	nh = vx_neigh_resolve(&tbl, 0, &used, 0);
	vx_neigh_input(&tbl, 0, &used, &mac1, true, false, 1);
	assert_int_equal(vx_neigh_set(&tbl, 0, &perm, &mac2, VX_NUD_PERMANENT, false, 1), 0);
	pn = vx_neigh_find(&tbl, 0, &perm);
	/* Spoofed requests for our address fill the rest, and keep coming. */
	for (uint32_t i = 0; i < 3 * VX_NEIGH_MAX; i++) {
		ip.v4.s_addr = htonl(ntohl(ip4("10.5.0.0").v4.s_addr) + i);
		n = vx_neigh_input(&tbl, 0, &ip, &mac1, false, true, 100 + i);
		assert_non_null(n);
	}
	assert_true(tbl.evicted >= 2 * VX_NEIGH_MAX);
	/* The next hop and the static entry are still there, unchanged. */
	assert_ptr_equal(vx_neigh_find(&tbl, 0, &used), nh);
	assert_int_equal(nh->state, VX_NUD_REACHABLE);
	assert_ptr_equal(vx_neigh_find(&tbl, 0, &perm), pn);
	assert_int_equal(pn->state, VX_NUD_PERMANENT);
	/* The newest learnt entries are the ones kept. */
	assert_non_null(vx_neigh_find(&tbl, 0, &ip));
	ip.v4.s_addr = htonl(ntohl(ip4("10.5.0.0").v4.s_addr));
	assert_null(vx_neigh_find(&tbl, 0, &ip));
	/* A table of static entries only has no room, and says so. */
	vx_neigh_tbl_init(&tbl, &ops, &r);
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		ip.v4.s_addr = htonl(ntohl(ip4("10.5.0.0").v4.s_addr) + i);
		assert_int_equal(vx_neigh_set(&tbl, 0, &ip, &mac1, VX_NUD_PERMANENT, false, 0), 0);
	}
	assert_null(vx_neigh_input(&tbl, 0, &used, &mac1, false, true, 1));
	assert_int_equal(vx_neigh_set(&tbl, 0, &used, &mac1, VX_NUD_PERMANENT, false, 0), -ENOSPC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incomplete_fails),
		cmocka_unit_test(test_resolve_flushes_queue),
		cmocka_unit_test(test_reachable_stale_probe),
		cmocka_unit_test(test_learn_and_mac_change),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_evict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
