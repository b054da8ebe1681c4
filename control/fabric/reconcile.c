/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reconcile: turn what vxswitch and the kernel hold into what the leases
 * want (diff.h), touching only entries the agent owns. The record of
 * owned entries grows before an add reaches the dataplane and shrinks
 * only after a delete did, so a crash between the two never leaves an
 * entry of ours that a restarted agent would take for a hand-made one.
 *
 * A full reconcile reads the dataplane back (start, resync, vxswitch or
 * the TAP came back, periodic check); an incremental one (a watch event)
 * takes the record as the dataplane's state.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/agent.h"
#include "fabric/files.h"

static const char *const kind_name[FAB_KINDS] = {"fdb", "neighbour", "route"};

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
	ret = fab_file_write(a->o.state_file, s, strlen(s));
	if (ret < 0)
		fprintf(stderr, "vxfabric: cannot write %s: %s\n", a->o.state_file, strerror(-ret));
	free(s);
}

/* owned gains (or updates) the pairs of set; saved when it changed. */
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
	fab_reconcile_save(a);
	return 0;
err:
	fab_set_free(&n);
	return -ENOMEM;
}

/* owned loses the keys of del whose deletion took effect (done[i]). */
static void
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
	if (gone != 0)
		fab_reconcile_save(a);
}

static void
report(const char *what, bool full, const struct fab_diff *d, unsigned int fail, size_t n)
{
	if (d->set.n + d->del.n == 0 && fail == 0)
		return;
	fprintf(stderr, "vxfabric: %s%s: %zu set, %zu removed, %u failed; %zu wanted\n", what,
		full ? " (full reconcile)" : "", d->set.n, d->del.n, fail, n);
}

int
fab_reconcile_sw(struct fab_agent *a, bool full)
{
	struct fab_set have = {0};
	struct fab_diff d = {0};
	unsigned int fail = 0;
	bool *done = NULL;
	int ret;

	if (!a->sw_ready)
		return -EPIPE;
	ret = full ? fab_vxsw_fdb(&a->sw, &have) : fab_set_copy(&have, &a->owned[FAB_FDB]);
	if (ret == 0)
		ret = fab_diff(&a->want[FAB_FDB], &have, &a->owned[FAB_FDB], &d);
	if (ret < 0 || d.set.n + d.del.n == 0)
		goto out;
	done = calloc(d.set.n + d.del.n, sizeof(*done));
	ret = done == NULL ? -ENOMEM : record(a, FAB_FDB, &d.set);
	if (ret == 0)
		ret = fab_vxsw_apply(&a->sw, &d, &have, done, &fail);
	if (ret == 0)
		forget(a, FAB_FDB, &d.del, done + d.set.n);
	report("vxswitch fdb", full, &d, fail, a->want[FAB_FDB].n);
	if (ret == 0 && fail != 0)
		ret = -EAGAIN;
out:
	if (ret == -EPIPE)
		a->sw_ready = false;
	free(done);
	fab_diff_free(&d);
	fab_set_free(&have);
	return ret;
}

/* One kind of the kernel's entries on the TAP. */
static int
kernel_kind(struct fab_agent *a, enum fab_kind k, bool full, unsigned int *fail)
{
	int ifx = a->ifi.ifindex, ret;
	struct fab_set have = {0};
	struct fab_diff d = {0};
	bool *done = NULL;
	size_t i;

	ret = full ? fab_nl_dump(&a->nl, ifx, k, &have) : fab_set_copy(&have, &a->owned[k]);
	if (ret == 0)
		ret = fab_diff(&a->want[k], &have, &a->owned[k], &d);
	if (ret < 0 || d.set.n + d.del.n == 0)
		goto out;
	done = calloc(d.del.n + 1, sizeof(*done));
	ret = done == NULL ? -ENOMEM : record(a, k, &d.set);
	for (i = 0; ret == 0 && i < d.set.n; i++) {
		ret = fab_nl_set(&a->nl, ifx, k, &d.set.e[i]);
		if (ret < 0 && ret != -ENODEV) {
			fprintf(stderr, "vxfabric: kernel refused a %s: %s\n", kind_name[k],
				strerror(-ret));
			(*fail)++;
			ret = 0;
		}
	}
	for (i = 0; ret == 0 && i < d.del.n; i++) {
		ret = fab_nl_del(&a->nl, ifx, k, &d.del.e[i]);
		done[i] = ret == 0 || ret == -ENOENT || ret == -ESRCH;
		*fail += !done[i];
		ret = ret == -ENODEV ? ret : 0;
	}
	if (ret == 0)
		forget(a, k, &d.del, done);
	report(kind_name[k], full, &d, *fail, a->want[k].n);
out:
	free(done);
	fab_diff_free(&d);
	fab_set_free(&have);
	return ret;
}

int
fab_reconcile_kernel(struct fab_agent *a, bool full)
{
	unsigned int fail = 0;
	int ret;

	if (a->ifi.ifindex == 0)
		return -ENODEV;
	ret = kernel_kind(a, FAB_NEIGH, full, &fail);
	if (ret == 0)
		ret = kernel_kind(a, FAB_ROUTE, full, &fail);
	if (ret == -ENODEV)
		a->ifi.ifindex = 0;
	return ret == 0 && fail != 0 ? -EAGAIN : ret;
}
