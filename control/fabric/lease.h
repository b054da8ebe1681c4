/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_LEASE_H
#define FAB_LEASE_H

/*
 * This node's subnet lease, taken the way flannel takes it:
 *
 * 1. a key under PREFIX/subnets/ whose PublicIP is ours (a restart, or a
 *    reservation: a key with no etcd lease, which is never given a TTL);
 * 2. else the subnet of the subnet file (FLANNEL_SUBNET), when the config
 *    still hands it out and nobody holds it;
 * 3. else a free subnet, chosen at random among the free ones.
 *
 * Every write is one etcd transaction that compares the key's
 * mod_revision with what the read saw (0: the key must not exist), so two
 * nodes never end up with one subnet: the loser's compare fails, it reads
 * again and chooses again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fabric/etcd.h"
#include "fabric/subnet.h"

struct fab_lease_req {
	const struct fab_net *net;
	const char *prefix;
	uint32_t public_ip;
	uint8_t mac[6];
	uint32_t prev_subnet; /* from the subnet file; plen 0 = none */
	uint8_t prev_plen;
	int64_t ttl; /* seconds */
	uint32_t rnd;
};

struct fab_held {
	struct fab_lease l;
	int64_t lease_id; /* the etcd lease kept alive; 0 for a reservation */
	int64_t mod_rev;  /* of our key after our write */
};

/*
 * Take a subnet for r. 0 and *h, or -errno with err set: -ENOSPC no free
 * subnet, -EAGAIN too many lost races in a row, etcd's errors.
 */
int fab_lease_acquire(struct fab_etcd *e, const struct fab_lease_req *r, struct fab_held *h,
		      char *err, size_t errlen);

/*
 * Write our lease's value again (a new VtepMAC, or a lease ID after the
 * old one expired) if the key is still ours at h->mod_rev. 0, -EEXIST when
 * the key changed under us, -errno.
 */
int fab_lease_rewrite(struct fab_etcd *e, const char *prefix, const struct fab_net *net,
		      struct fab_held *h);

#endif /* FAB_LEASE_H */
