/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's own counters (the control loop's busy time) and the sums
 * that telemetry and /metrics read: every worker's counter block and the
 * control thread's, and the FDB's totals. Control thread only.
 */

#include <stdlib.h>

#include <rte_common.h>

#include "core/core.h"
#include "daemon.h"

const double vx_lag_bounds[VX_LAG_BUCKETS] = {0.0001, 0.001, 0.005, 0.01, 0.1, 1.0, 10.0};

void
vx_loop_account(struct vx_loop_stats *ls, uint64_t tsc_hz, uint64_t busy_tsc)
{
	double sec = tsc_hz != 0 ? (double)busy_tsc / (double)tsc_hz : 0.0;
	unsigned int b = 0;

	while (b < VX_LAG_BUCKETS && sec > vx_lag_bounds[b])
		b++;
	ls->bucket[b]++;
	ls->iterations++;
	ls->busy_tsc += busy_tsc;
	if (busy_tsc > ls->max_tsc)
		ls->max_tsc = busy_tsc;
}

const struct vx_lcore_stats *
vx_counters(struct vx_ctl *c)
{
	static struct vx_lcore_stats *sum;

	/* About 240 kB: once, on the heap, never on the control thread's stack. */
	if (sum == NULL)
		sum = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*sum));
	if (sum == NULL)
		return NULL;
	vx_core_stats_sum(c, sum);
	return sum;
}

void
vx_fdb_totals(struct vx_ctl *c, struct vx_fdb_totals *t)
{
	t->entries = c->dp->fdb.count;
	t->capacity = c->dp->fdb.capacity;
	t->statics = 0;
	for (unsigned int b = 1; c->core != NULL && b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL)
			t->statics += c->core->link[b]->n_static;
}
