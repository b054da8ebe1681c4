/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_VIEW_H
#define FAB_VIEW_H

/*
 * The agent's view of the registry: every good lease under
 * PREFIX/subnets/, sorted by subnet. It is built from a range read and
 * kept current by watch events. A malformed value never removes a good
 * lease: the subnet keeps the last good value the agent saw (none if it
 * never saw one), and the reason goes to the log. Pure, no I/O.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fabric/subnet.h"

struct fab_view {
	struct fab_lease *l;
	size_t n, cap;
};

/* The lease of subnet, or NULL. */
const struct fab_lease *fab_view_find(const struct fab_view *v, uint32_t subnet);
/* Insert or replace by subnet: 0 or -ENOMEM. */
int fab_view_put(struct fab_view *v, const struct fab_lease *l);
/* Remove subnet's lease: true when there was one. */
bool fab_view_del(struct fab_view *v, uint32_t subnet);
void fab_view_free(struct fab_view *v);

/*
 * Apply one registry entry: key (klen bytes) under prefix, its value (vlen
 * bytes, ignored when del). prev, when not NULL, is the view this one
 * replaces (a resync): a malformed value then keeps prev's lease for the
 * subnet. Returns 1 when v changed, 0 when not, -ENOENT for a key that is
 * not a lease of this network (left alone), -EINVAL for a malformed value
 * (err says why), -ENOMEM.
 */
int fab_view_apply(struct fab_view *v, const struct fab_view *prev, const struct fab_net *net,
		   const char *prefix, const char *key, size_t klen, const char *val, size_t vlen,
		   bool del, char *err, size_t errlen);

#endif /* FAB_VIEW_H */
