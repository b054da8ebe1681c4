/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reconcile diff: see diff.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "fabric/diff.h"

int
fab_set_add(struct fab_set *s, uint64_t key, uint64_t val)
{
	if (s->n == s->cap) {
		size_t cap = s->cap == 0 ? 64 : s->cap * 2;
		struct fab_ent *e = reallocarray(s->e, cap, sizeof(*e));

		if (e == NULL)
			return -ENOMEM;
		s->e = e;
		s->cap = cap;
	}
	s->e[s->n].key = key;
	s->e[s->n].val = val;
	s->n++;
	return 0;
}

static int
cmp_ent(const void *a, const void *b)
{
	const struct fab_ent *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

size_t
fab_set_sort(struct fab_set *s)
{
	size_t k = 0, dropped;

	/* mergesort is stable: of equal keys the first added stays first. */
	if (s->n > 1 && mergesort(s->e, s->n, sizeof(*s->e), cmp_ent) < 0)
		qsort(s->e, s->n, sizeof(*s->e), cmp_ent);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->e[k - 1].key != s->e[i].key)
			s->e[k++] = s->e[i];
	dropped = s->n - k;
	s->n = k;
	return dropped;
}

const struct fab_ent *
fab_set_find(const struct fab_set *s, uint64_t key)
{
	struct fab_ent k = {.key = key};

	if (s->n == 0)
		return NULL;
	return bsearch(&k, s->e, s->n, sizeof(*s->e), cmp_ent);
}

void
fab_set_clear(struct fab_set *s)
{
	s->n = 0;
}

void
fab_set_free(struct fab_set *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

int
fab_set_copy(struct fab_set *dst, const struct fab_set *src)
{
	fab_set_clear(dst);
	for (size_t i = 0; i < src->n; i++)
		if (fab_set_add(dst, src->e[i].key, src->e[i].val) < 0)
			return -ENOMEM;
	return 0;
}

int
fab_want(const struct fab_lease *l, size_t n, struct fab_set out[FAB_KINDS])
{
	for (int k = 0; k < FAB_KINDS; k++)
		fab_set_clear(&out[k]);
	for (size_t i = 0; i < n; i++) {
		uint64_t mac = fab_mac_u64(l[i].mac);

		if (fab_set_add(&out[FAB_FDB], mac, l[i].public_ip) < 0 ||
		    fab_set_add(&out[FAB_NEIGH], l[i].subnet, mac) < 0 ||
		    fab_set_add(&out[FAB_ROUTE], (uint64_t)l[i].subnet << 8 | l[i].plen,
				l[i].subnet) < 0)
			return -ENOMEM;
	}
	for (int k = 0; k < FAB_KINDS; k++)
		fab_set_sort(&out[k]);
	return 0;
}

int
fab_diff(const struct fab_set *want, const struct fab_set *have, const struct fab_set *owned,
	 struct fab_diff *d)
{
	size_t i = 0, j = 0;

	fab_set_clear(&d->set);
	fab_set_clear(&d->del);
	/* One merge walk over the two sorted sets. */
	while (i < want->n || j < have->n) {
		const struct fab_ent *w = i < want->n ? &want->e[i] : NULL;
		const struct fab_ent *h = j < have->n ? &have->e[j] : NULL;
		int ret = 0;

		if (h == NULL || (w != NULL && w->key < h->key)) {
			ret = fab_set_add(&d->set, w->key, w->val);
			i++;
		} else if (w == NULL || h->key < w->key) {
			if (fab_set_find(owned, h->key) != NULL)
				ret = fab_set_add(&d->del, h->key, h->val);
			j++;
		} else {
			if (w->val != h->val)
				ret = fab_set_add(&d->set, w->key, w->val);
			i++;
			j++;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
fab_diff_free(struct fab_diff *d)
{
	fab_set_free(&d->set);
	fab_set_free(&d->del);
}
