/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ageing: dynamic FDB entries idle longer than their link's `ageing`
 * (0 = never) are deleted. Workers refresh an entry's last-seen second
 * (dp->fdb.last_seen[pos]) as they forward; the control thread walks the
 * table a bounded slice per call, paced by the clock to one pass per
 * second (vx_core_age_poll), and removes the expired entries with their
 * VTEP references, counted (VX_EV_AGED) and announced on the "fdb"
 * monitor stream. Entries of a deleted link age at once.
 */

#include <stdlib.h>

#include "core/core.h"

#define AGE_BATCH 512

struct age_ctx {
	struct vx_ctl *c;
	uint32_t now;
	uint32_t n;
	uint64_t key[AGE_BATCH], entry[AGE_BATCH];
};

static void
age_fn(struct vx_fdb *f, uint64_t key, uint64_t e, uint32_t pos, void *arg)
{
	struct age_ctx *a = arg;
	struct vx_link *l;

	if ((e & VX_FDB_STATIC) || a->n == AGE_BATCH)
		return;
	l = vx_link_by_bd(a->c, vx_fdb_key_bd(key));
	if (l != NULL && l->opt.ageing == 0)
		return;
	/* An entry of a deleted link ages at once. */
	if (l != NULL && a->now - f->last_seen[pos] <= l->opt.ageing)
		return;
	a->key[a->n] = key;
	a->entry[a->n] = e;
	a->n++;
}

/* One ageing step over `budget` FDB positions. Returns entries aged. */
uint32_t
vx_core_age(struct vx_ctl *c, uint32_t budget)
{
	struct age_ctx *a;
	uint32_t n;

	a = malloc(sizeof(*a));
	if (a == NULL)
		return 0;
	a->c = c;
	a->now = c->dp->now;
	a->n = 0;
	vx_fdb_walk(&c->dp->fdb, &c->core->age_cursor, budget, age_fn, a);
	for (uint32_t i = 0; i < a->n; i++) {
		vx_core_fdb_remove(c, a->key[i], a->entry[i], true);
		vx_ctl_count_event(c, VX_EV_AGED);
	}
	n = a->n;
	free(a);
	if (c->core->age_cursor == 0)
		vx_fdb_reclaim(&c->dp->fdb, false);
	return n;
}

void
vx_core_age_poll(struct vx_ctl *c)
{
	struct vx_ctl_core *k = c->core;
	uint32_t b;

	if (k->age_now != c->dp->now) {
		k->age_now = c->dp->now;
		k->age_left = c->dp->fdb.nslots;
	}
	if (k->age_left == 0)
		return;
	b = RTE_MIN(k->age_left, k->age_budget);
	k->age_left -= b;
	k->age_walked += b;
	vx_core_age(c, b);
}
