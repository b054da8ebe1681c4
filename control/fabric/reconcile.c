/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reconcile: turn what vxswitch and the kernel hold into what the leases
 * want (diff.h), touching only entries the agent owns.
 *
 * One pass computes the diff of every kind of the targets that take part,
 * records every entry about to be set as owned and writes the state file
 * once, then applies: vxswitch's FDB first (the dataplane's own table),
 * then the kernel's neighbours and routes. The record of owned entries
 * grows before an add reaches the dataplane and shrinks only after a
 * delete did, so a crash in between never leaves an entry of ours that a
 * restarted agent would take for a hand-made one.
 *
 * A full reconcile reads the target back (start, resync, vxswitch or the
 * TAP came back, the periodic check); an incremental one (a watch event)
 * takes the record as the target's state.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/agent.h"
#include "fabric/files.h"

static const char *const kind_name[FAB_KINDS] = {"vxswitch fdb", "neighbour", "route"};

int
fab_reconcile_want(struct fab_agent *a)
{
	struct fab_lease *l = calloc(a->view.n + 1, sizeof(*l));
	size_t n = 0;
	int ret;

	if (l == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < a->view.n; i++) {
		const struct fab_lease *v = &a->view.l[i];

		/* Our own lease, and stale ones of our PublicIP, ask for nothing here. */
		if ((a->have_lease && v->subnet == a->held.l.subnet) ||
		    v->public_ip == a->o.public_ip)
			continue;
		l[n++] = *v;
	}
	ret = fab_want(l, n, a->want);
	free(l);
	return ret;
}

void
fab_reconcile_save(struct fab_agent *a)
{
	char *s = fab_state_fmt(a->owned);
	int ret;

	if (s == NULL) {
		fprintf(stderr, "vxfabric: state file: out of memory\n");
		return;
	}
	ret = fab_file_write(a->o.state_file, s, strlen(s), false);
	if (ret < 0)
		fprintf(stderr, "vxfabric: cannot write %s: %s\n", a->o.state_file, strerror(-ret));
	free(s);
}

/* owned[k] gains (or updates) the pairs of set. */
static int
record(struct fab_agent *a, enum fab_kind k, const struct fab_set *set)
{
	struct fab_set n = {0};
	size_t i;

	if (set->n == 0)
		return 0;
	/* set first: of two pairs with one key, fab_set_sort keeps the first. */
	for (i = 0; i < set->n; i++)
		if (fab_set_add(&n, set->e[i].key, set->e[i].val) < 0)
			goto err;
	for (i = 0; i < a->owned[k].n; i++)
		if (fab_set_add(&n, a->owned[k].e[i].key, a->owned[k].e[i].val) < 0)
			goto err;
	fab_set_sort(&n);
	fab_set_free(&a->owned[k]);
	a->owned[k] = n;
	return 0;
err:
	fab_set_free(&n);
	return -ENOMEM;
}

/* owned[k] loses the keys of del whose deletion took effect (done[i]); how many. */
static size_t
forget(struct fab_agent *a, enum fab_kind k, const struct fab_set *del, const bool *done)
{
	struct fab_set *o = &a->owned[k];
	size_t j = 0, gone = 0;

	for (size_t i = 0; i < o->n; i++) {
		const struct fab_ent *d = fab_set_find(del, o->e[i].key);

		if (d != NULL && done[d - del->e]) {
			gone++;
			continue;
		}
		o->e[j++] = o->e[i];
	}
	o->n = j;
	return gone;
}

struct plan {
	bool on[FAB_KINDS]; /* the kind takes part */
	struct fab_set have[FAB_KINDS];
	struct fab_diff d[FAB_KINDS];
	bool *done[FAB_KINDS]; /* per entry of d.set then d.del: it took effect */
	unsigned int fail[FAB_KINDS];
};

/* What the target holds (read back when full), and the diff; a kind that cannot be read is off. */
static int
plan_kind(struct fab_agent *a, struct plan *p, enum fab_kind k, bool full)
{
	int ret;

	if (!full)
		ret = fab_set_copy(&p->have[k], &a->owned[k]);
	else if (k == FAB_FDB)
		ret = fab_vxsw_fdb(&a->sw, &p->have[k]);
	else
		ret = fab_nl_dump(&a->nl, a->ifi.ifindex, k, &p->have[k]);
	if (ret == 0)
		ret = fab_diff(&a->want[k], &p->have[k], &a->owned[k], &p->d[k]);
	if (ret == 0) {
		p->done[k] = calloc(p->d[k].set.n + p->d[k].del.n + 1, sizeof(bool));
		ret = p->done[k] == NULL ? -ENOMEM : 0;
	}
	p->on[k] = ret == 0;
	return ret;
}

/* The kernel's side of one kind: sets, then deletions. -ENODEV when the TAP went. */
static int
apply_kernel(struct fab_agent *a, struct plan *p, enum fab_kind k)
{
	const struct fab_diff *d = &p->d[k];
	bool *done = p->done[k];
	int ifx = a->ifi.ifindex, ret;
	size_t i;

	for (i = 0; i < d->set.n; i++) {
		ret = fab_nl_set(&a->nl, ifx, k, &d->set.e[i]);
		if (ret == -ENODEV)
			return ret;
		if (ret < 0)
			fprintf(stderr, "vxfabric: the kernel refused a %s: %s\n", kind_name[k],
				strerror(-ret));
		done[i] = ret == 0;
	}
	for (i = 0; i < d->del.n; i++) {
		ret = fab_nl_del(&a->nl, ifx, k, &d->del.e[i]);
		if (ret == -ENODEV)
			return ret;
		done[d->set.n + i] = ret == 0 || ret == -ENOENT || ret == -ESRCH;
	}
	return 0;
}

static void
plan_free(struct plan *p)
{
	for (int k = 0; k < FAB_KINDS; k++) {
		fab_set_free(&p->have[k]);
		fab_diff_free(&p->d[k]);
		free(p->done[k]);
	}
}

/* Apply the plan; forget what went; log what changed. */
static void
apply(struct fab_agent *a, struct plan *p, struct fab_rc *rc)
{
	size_t gone = 0;
	int k, ret;

	if (p->on[FAB_FDB]) {
		ret = fab_vxsw_apply(&a->sw, &p->d[FAB_FDB], &p->have[FAB_FDB], p->done[FAB_FDB],
				     &p->fail[FAB_FDB]);
		if (ret < 0) {
			rc->sw_ret = ret;
			p->on[FAB_FDB] = false;
		}
	}
	for (k = FAB_NEIGH; k <= FAB_ROUTE && rc->k_ret == 0; k++) {
		if (p->on[k] && apply_kernel(a, p, k) == -ENODEV) {
			rc->k_ret = -ENODEV;
			p->on[FAB_NEIGH] = p->on[FAB_ROUTE] = false;
		}
	}
	for (k = 0; k < FAB_KINDS; k++) {
		const struct fab_diff *d = &p->d[k];

		if (!p->on[k])
			continue;
		gone += forget(a, k, &d->del, p->done[k] + d->set.n);
		p->fail[k] = 0;
		for (size_t i = 0; i < d->set.n + d->del.n; i++)
			p->fail[k] += !p->done[k][i];
		if (d->set.n + d->del.n != 0)
			fprintf(stderr,
				"vxfabric: %s: %zu set, %zu removed, %u failed; %zu wanted\n",
				kind_name[k], d->set.n, d->del.n, p->fail[k], a->want[k].n);
		if (p->fail[k] != 0 && k == FAB_FDB)
			rc->sw_ret = -EAGAIN;
		else if (p->fail[k] != 0)
			rc->k_ret = -EAGAIN;
	}
	if (gone != 0)
		fab_reconcile_save(a);
}

void
fab_reconcile(struct fab_agent *a, struct fab_rc *rc)
{
	struct plan p = {0};
	bool sets = false;
	int k, ret;

	rc->sw_ret = rc->k_ret = 0;
	if (rc->sw) {
		ret = plan_kind(a, &p, FAB_FDB, rc->sw_full);
		rc->sw_ret = ret;
	}
	for (k = FAB_NEIGH; rc->k && k <= FAB_ROUTE; k++) {
		ret = plan_kind(a, &p, k, rc->k_full);
		if (ret < 0)
			rc->k_ret = ret;
	}
	for (k = 0; k < FAB_KINDS; k++) {
		if (p.on[k] && record(a, k, &p.d[k].set) < 0)
			p.on[k] = false;
		sets |= p.on[k] && p.d[k].set.n != 0;
	}
	/* One write of the record before any add reaches a dataplane. */
	if (sets)
		fab_reconcile_save(a);
	apply(a, &p, rc);
	if (rc->sw_ret == -EPIPE)
		a->sw_ready = false;
	if (rc->k_ret == -ENODEV)
		a->ifi.ifindex = 0;
	plan_free(&p);
}
