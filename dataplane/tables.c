/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Creation and teardown of the dataplane state (struct vx_dp), retirement
 * of published objects and counter sums. Control thread only.
 *
 * QSBR: the variable has one thread id per worker (id = worker index).
 * Workers register themselves: vx_worker_main() calls
 * rte_rcu_qsbr_thread_register(dp->qsbr, id) and
 * rte_rcu_qsbr_thread_online(dp->qsbr, id) before its loop, reports
 * rte_rcu_qsbr_quiescent() once per iteration, and goes offline and
 * unregisters when it leaves. The control thread is never a reader.
 *
 * Every object published into dp->bd[], dp->vtep[], dp->port[] and
 * dp->local must come from rte_zmalloc(): vx_retire() and vx_dp_fini()
 * free them with rte_free().
 */

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "vx_rcu.h"
#include "vx_tables.h"

/* rte_ring_*_elem element sizes must be multiples of 4 bytes. */
static_assert(sizeof(struct vx_learn_req) % 4 == 0, "learn request not a ring element size");

/* vx_stats_sum() adds blocks as arrays of uint64_t: they must hold nothing else. */
static_assert(sizeof(struct vx_port_stats) == 5 * sizeof(uint64_t), "vx_port_stats");
static_assert(sizeof(struct vx_bd_stats) == 7 * sizeof(uint64_t), "vx_bd_stats");
static_assert(offsetof(struct vx_lcore_stats, drop) == 0, "vx_lcore_stats");
static_assert(offsetof(struct vx_lcore_stats, event) ==
		      offsetof(struct vx_lcore_stats, drop) + sizeof(uint64_t) * VX_DROP_MAX,
	      "vx_lcore_stats");
static_assert(offsetof(struct vx_lcore_stats, port) ==
		      offsetof(struct vx_lcore_stats, event) + sizeof(uint64_t) * VX_EV_MAX,
	      "vx_lcore_stats");
static_assert(offsetof(struct vx_lcore_stats, loops) ==
		      offsetof(struct vx_lcore_stats, port) +
			      sizeof(struct vx_port_stats) * VX_MAX_PORTS,
	      "vx_lcore_stats");
static_assert(offsetof(struct vx_lcore_stats, busy_tsc) ==
		      offsetof(struct vx_lcore_stats, loops) + sizeof(uint64_t),
	      "vx_lcore_stats");
static_assert(offsetof(struct vx_lcore_stats, busy_pkts) ==
		      offsetof(struct vx_lcore_stats, busy_tsc) + sizeof(uint64_t),
	      "vx_lcore_stats");
static_assert(offsetof(struct vx_lcore_stats, bd) ==
		      offsetof(struct vx_lcore_stats, busy_pkts) + sizeof(uint64_t),
	      "vx_lcore_stats");
/* Trailing padding (cache alignment) is zero in every block and summed as zero. */
static_assert(sizeof(struct vx_lcore_stats) % sizeof(uint64_t) == 0, "vx_lcore_stats");

#define VNI_BD_BYTES ((size_t)(VX_VNI_MAX + 1) * sizeof(uint16_t))

static uint32_t dp_serial; /* unique ring names when a process has several dp */

int
vx_dp_init(struct vx_dp *dp, uint16_t n_workers, uint32_t fdb_capacity, int socket_id)
{
	char name[RTE_RING_NAMESIZE];
	uint32_t serial;
	size_t sz;
	void *p;
	int ret;

	memset(dp, 0, sizeof(*dp));
	if (n_workers > VX_MAX_WORKERS)
		return -EINVAL;
	if (fdb_capacity == 0)
		fdb_capacity = VX_FDB_DEFAULT_CAPACITY;
	serial = __atomic_fetch_add(&dp_serial, 1, __ATOMIC_RELAXED);
	dp->n_workers = n_workers;

	/* At least one thread slot: a QSBR variable of zero threads is refused. */
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX(n_workers, 1));
	dp->qsbr = rte_zmalloc_socket("vx_qsbr", sz, RTE_CACHE_LINE_SIZE, socket_id);
	if (dp->qsbr == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	if (rte_rcu_qsbr_init(dp->qsbr, RTE_MAX(n_workers, 1)) != 0) {
		ret = -rte_errno;
		goto err;
	}

	ret = vx_fdb_init(&dp->fdb, fdb_capacity, dp->qsbr, socket_id);
	if (ret < 0)
		goto err;

	/* 32 MB of virtual space; only the pages of configured VNIs get touched. */
	p = mmap(NULL, VNI_BD_BYTES, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		goto err;
	}
	dp->vni_bd = p;

	dp->stats =
		rte_zmalloc_socket("vx_stats", sizeof(struct vx_lcore_stats) * (VX_MAX_WORKERS + 1),
				   RTE_CACHE_LINE_SIZE, socket_id);
	if (dp->stats == NULL) {
		ret = -ENOMEM;
		goto err;
	}

	for (uint16_t w = 0; w < n_workers; w++) {
		snprintf(name, sizeof(name), "vxlearn%u_%u", serial, w);
		dp->learn_ring[w] =
			rte_ring_create_elem(name, sizeof(struct vx_learn_req), VX_LEARN_RING_SIZE,
					     socket_id, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (dp->learn_ring[w] == NULL) {
			ret = -rte_errno;
			goto err;
		}
		snprintf(name, sizeof(name), "vxpunt%u_%u", serial, w);
		dp->punt_ring[w] = rte_ring_create(name, VX_PUNT_RING_SIZE, socket_id,
						   RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (dp->punt_ring[w] == NULL) {
			ret = -rte_errno;
			goto err;
		}
	}

	for (unsigned int i = 0; i < VX_MAX_PORTS; i++) {
		snprintf(name, sizeof(name), "vxctx%u_%u", serial, i);
		dp->ctl_tx_ring[i] = rte_ring_create(name, VX_PUNT_RING_SIZE, socket_id,
						     RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (dp->ctl_tx_ring[i] == NULL) {
			ret = -rte_errno;
			goto err;
		}
	}

	dp->local =
		rte_zmalloc_socket("vx_local", sizeof(*dp->local), RTE_CACHE_LINE_SIZE, socket_id);
	if (dp->local == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	return 0;

err:
	vx_dp_fini(dp);
	return ret < 0 ? ret : -ENOMEM;
}

void
vx_dp_fini(struct vx_dp *dp)
{
	struct rte_mbuf *m;
	unsigned int i;

	for (i = 0; i < VX_MAX_WORKERS; i++) {
		if (dp->punt_ring[i] != NULL) {
			while (rte_ring_sc_dequeue(dp->punt_ring[i], (void **)&m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(dp->punt_ring[i]);
			dp->punt_ring[i] = NULL;
		}
		rte_ring_free(dp->learn_ring[i]);
		dp->learn_ring[i] = NULL;
	}
	for (i = 0; i < VX_MAX_PORTS; i++) {
		if (dp->ctl_tx_ring[i] == NULL)
			continue;
		while (rte_ring_sc_dequeue(dp->ctl_tx_ring[i], (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(dp->ctl_tx_ring[i]);
		dp->ctl_tx_ring[i] = NULL;
	}
	for (i = 0; i < VX_MAX_BD; i++) {
		rte_free(dp->bd[i]);
		dp->bd[i] = NULL;
	}
	for (i = 0; i < VX_MAX_VTEP; i++) {
		rte_free(dp->vtep[i]);
		dp->vtep[i] = NULL;
	}
	for (i = 0; i < VX_MAX_PORTS; i++) {
		rte_free(dp->port[i]);
		dp->port[i] = NULL;
	}
	rte_free(dp->local);
	dp->local = NULL;
	if (dp->fdb.bkt != NULL)
		vx_fdb_fini(&dp->fdb);
	if (dp->vni_bd != NULL) {
		munmap(dp->vni_bd, VNI_BD_BYTES);
		dp->vni_bd = NULL;
	}
	rte_free(dp->stats);
	dp->stats = NULL;
	rte_free(dp->qsbr);
	dp->qsbr = NULL;
}

void
vx_retire(struct vx_dp *dp, void *old)
{
	/* Also a plain grace-period barrier when old is NULL. */
	vx_rcu_wait(dp->qsbr);
	rte_free(old);
}

void
vx_stats_sum(const struct vx_dp *dp, struct vx_lcore_stats *out)
{
	const size_t nw = sizeof(struct vx_lcore_stats) / sizeof(uint64_t);
	uint64_t *o = (uint64_t *)out;

	memset(out, 0, sizeof(*out));
	if (dp->stats == NULL)
		return;
	for (unsigned int b = 0; b <= VX_MAX_WORKERS; b++) {
		const volatile uint64_t *s = (const volatile uint64_t *)&dp->stats[b];

		for (size_t i = 0; i < nw; i++)
			o[i] += s[i];
	}
}

uint16_t
vx_ctl_tx(struct vx_dp *dp, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k;

	if (port >= VX_MAX_PORTS || dp->ctl_tx_ring[port] == NULL)
		return 0;
	k = rte_ring_sp_enqueue_burst(dp->ctl_tx_ring[port], (void **)pkts, n, NULL);
	if (k != 0)
		__atomic_fetch_or(&dp->ctl_tx_pending, 1u << port, __ATOMIC_RELEASE);
	return k;
}
