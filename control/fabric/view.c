/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The registry view: see view.h.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "fabric/registry.h"
#include "fabric/view.h"

/* Index of the first lease whose subnet is not below subnet. */
static size_t
lower_bound(const struct fab_view *v, uint32_t subnet)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->l[mid].subnet < subnet)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct fab_lease *
fab_view_find(const struct fab_view *v, uint32_t subnet)
{
	size_t i = lower_bound(v, subnet);

	return i < v->n && v->l[i].subnet == subnet ? &v->l[i] : NULL;
}

int
fab_view_put(struct fab_view *v, const struct fab_lease *l)
{
	size_t i = lower_bound(v, l->subnet);

	if (i < v->n && v->l[i].subnet == l->subnet) {
		v->l[i] = *l;
		return 0;
	}
	if (v->n == v->cap) {
		size_t cap = v->cap == 0 ? 64 : v->cap * 2;
		struct fab_lease *n = reallocarray(v->l, cap, sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		v->l = n;
		v->cap = cap;
	}
	memmove(&v->l[i + 1], &v->l[i], (v->n - i) * sizeof(*v->l));
	v->l[i] = *l;
	v->n++;
	return 0;
}

bool
fab_view_del(struct fab_view *v, uint32_t subnet)
{
	size_t i = lower_bound(v, subnet);

	if (i == v->n || v->l[i].subnet != subnet)
		return false;
	memmove(&v->l[i], &v->l[i + 1], (v->n - i - 1) * sizeof(*v->l));
	v->n--;
	return true;
}

void
fab_view_free(struct fab_view *v)
{
	free(v->l);
	memset(v, 0, sizeof(*v));
}

int
fab_view_apply(struct fab_view *v, const struct fab_view *prev, const struct fab_net *net,
	       const char *prefix, const char *key, size_t klen, const char *val, size_t vlen,
	       bool del, char *err, size_t errlen)
{
	struct fab_lease l = {0};
	const struct fab_lease *old;
	int ret;

	if (fab_key_parse(key, klen, prefix, &l.subnet, &l.plen) < 0 ||
	    !fab_subnet_valid(net, l.subnet, l.plen)) {
		snprintf(err, errlen, "not a subnet of the network");
		return -ENOENT;
	}
	if (del)
		return fab_view_del(v, l.subnet) ? 1 : 0;
	if (fab_lease_parse(val, vlen, net, &l, err, errlen) < 0) {
		/* Keep the last good lease of the subnet, if any. */
		old = prev != NULL ? fab_view_find(prev, l.subnet) : NULL;
		if (old != NULL && fab_view_put(v, old) < 0)
			return -ENOMEM;
		return -EINVAL;
	}
	old = fab_view_find(v, l.subnet);
	if (old != NULL && fab_lease_eq(old, &l))
		return 0;
	ret = fab_view_put(v, &l);
	return ret < 0 ? ret : 1;
}
