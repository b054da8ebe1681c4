/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_DIFF_H
#define FAB_DIFF_H

/*
 * The reconcile diff. Each other node's lease asks for three objects:
 *
 *   FDB      VtepMAC -> PublicIP        in vxswitch (fdb ... dev LINK dst IP)
 *   NEIGH    SUBNET.0 -> VtepMAC        in the kernel, on the fabric interface
 *   ROUTE    SUBNET/LEN -> via SUBNET.0 in the kernel, on the fabric interface
 *
 * Each kind is a set of (key, value) pairs sorted by key, one value per
 * key. A reconcile compares three sets of a kind:
 *
 *   want   what the leases in etcd ask for now
 *   have   what the dataplane holds (read back from it, or the agent's own
 *          record of what it programmed when nothing was lost)
 *   owned  what the agent programmed earlier (its record, kept on disk)
 *
 * and gives the changes: set = every wanted pair that have lacks or holds
 * with another value; del = every key of have that the agent owns and no
 * lease wants. A key the agent never programmed is never deleted, so
 * entries added by hand stay. Pure functions: no I/O.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fabric/subnet.h"

enum fab_kind {
	FAB_FDB,
	FAB_NEIGH,
	FAB_ROUTE,
	FAB_KINDS,
};

struct fab_ent {
	uint64_t key; /* FDB: MAC; NEIGH: IPv4; ROUTE: IPv4 << 8 | plen */
	uint64_t val; /* FDB: IPv4; NEIGH: MAC; ROUTE: gateway IPv4 */
};

struct fab_set {
	struct fab_ent *e;
	size_t n, cap;
};

struct fab_diff {
	struct fab_set set; /* to add or replace */
	struct fab_set del; /* to delete (val: the value found) */
};

static inline uint64_t
fab_mac_u64(const uint8_t mac[6])
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | mac[i];
	return v;
}

static inline void
fab_u64_mac(uint64_t v, uint8_t mac[6])
{
	for (int i = 5; i >= 0; i--, v >>= 8)
		mac[i] = v & 0xff;
}

/* Append one pair (no order kept): 0 or -ENOMEM. */
int fab_set_add(struct fab_set *s, uint64_t key, uint64_t val);
/*
 * Sort by key; of pairs with one key keep the first added (two leases
 * claiming one MAC: the first lease in key order wins). Returns how many
 * pairs were dropped as duplicates.
 */
size_t fab_set_sort(struct fab_set *s);
/* The pair with key, or NULL. The set must be sorted. */
const struct fab_ent *fab_set_find(const struct fab_set *s, uint64_t key);
void fab_set_clear(struct fab_set *s);
void fab_set_free(struct fab_set *s);
/* dst = src (dst's memory reused). 0 or -ENOMEM. */
int fab_set_copy(struct fab_set *dst, const struct fab_set *src);

/* The three objects of each lease into out[FAB_KINDS] (sorted). 0 or -ENOMEM. */
int fab_want(const struct fab_lease *l, size_t n, struct fab_set out[FAB_KINDS]);

/* The changes that turn have into want without touching what owned lacks. */
int fab_diff(const struct fab_set *want, const struct fab_set *have, const struct fab_set *owned,
	     struct fab_diff *d);
void fab_diff_free(struct fab_diff *d);

#endif /* FAB_DIFF_H */
