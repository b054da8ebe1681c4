/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ageing: dynamic FDB entries idle longer than their link's `ageing`
 * (0 = never) are deleted. Workers refresh an entry's last-seen second
 * (vx_fdb_seen(), dp->fdb.last_seen[pos]) as they forward; the control thread walks the
 * whole table once per second (vx_core_age_poll), in slices of at least
 * age_budget positions and at most VX_AGE_POLLS polls per pass, and
 * deletes every expired entry it meets, with its VTEP reference, counted
 * (VX_EV_AGED) and announced on the "fdb" monitor stream. As the control
 * loop polls at least every 5 ms, an entry is gone at most one second
 * after it expired, whatever the table's size. Entries of a deleted link
 * age at once.
 */

#include "core/core.h"

/* Polls a pass over the table may take (the control loop polls 200 times a second or more). */
#define VX_AGE_POLLS 50

struct age_ctx {
	struct vx_ctl *c;
	uint32_t now;
	uint32_t n;
};

/* One entry of the walk: deleted here when it expired (the walk allows it). */
static void
age_fn(struct vx_fdb *f, uint64_t key, uint64_t e, uint32_t pos, void *arg)
{
	struct age_ctx *a = arg;
	struct vx_link *l;

	if (e & VX_FDB_STATIC)
		return;
	l = vx_link_by_bd(a->c, vx_fdb_key_bd(key));
	if (l != NULL && l->opt.ageing == 0)
		return;
	/* An entry of a deleted link ages at once. */
	if (l != NULL && a->now - vx_fdb_seen(f, pos) <= l->opt.ageing)
		return;
	vx_core_fdb_remove(a->c, key, e, true);
	vx_ctl_count_event(a->c, VX_EV_AGED);
	a->n++;
}

uint32_t
vx_core_age(struct vx_ctl *c, uint32_t budget)
{
	struct age_ctx a = {.c = c, .now = c->dp->now};

	vx_fdb_walk(&c->dp->fdb, &c->core->age_cursor, budget, age_fn, &a);
	if (c->core->age_cursor == 0)
		vx_fdb_reclaim(&c->dp->fdb, false);
	return a.n;
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
	/* A whole pass within VX_AGE_POLLS polls, whatever the table's size. */
	b = RTE_MAX(k->age_budget, (c->dp->fdb.nslots + VX_AGE_POLLS - 1) / VX_AGE_POLLS);
	b = RTE_MIN(k->age_left, b);
	k->age_left -= b;
	k->age_walked += b;
	vx_core_age(c, b);
}
