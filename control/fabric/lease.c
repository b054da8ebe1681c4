/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * This node's subnet lease: see lease.h.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "fabric/lease.h"
#include "fabric/registry.h"

#define MAX_TRIES 16

/* What one range read says about the subnets. */
struct scan {
	uint32_t *taken; /* every subnet with a key, good value or not */
	size_t n_taken;
	const struct fab_kv *own; /* the first valid lease with our PublicIP */
	uint32_t own_subnet;
};

static int
scan(const struct fab_lease_req *r, const struct fab_kvs *kvs, struct scan *s)
{
	char err[128];

	memset(s, 0, sizeof(*s));
	s->taken = reallocarray(NULL, kvs->n + 1, sizeof(*s->taken));
	if (s->taken == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < kvs->n; i++) {
		const struct fab_kv *kv = &kvs->kv[i];
		struct fab_lease l;

		if (fab_key_parse(kv->key, kv->klen, r->prefix, &l.subnet, &l.plen) < 0)
			continue;
		s->taken[s->n_taken++] = l.subnet;
		if (s->own == NULL && fab_subnet_valid(r->net, l.subnet, l.plen) &&
		    fab_lease_parse(kv->val, kv->vlen, r->net, &l, err, sizeof(err)) == 0 &&
		    l.public_ip == r->public_ip) {
			s->own = kv;
			s->own_subnet = l.subnet;
		}
	}
	return 0;
}

static bool
is_taken(const struct scan *s, uint32_t subnet)
{
	for (size_t i = 0; i < s->n_taken; i++)
		if (s->taken[i] == subnet)
			return true;
	return false;
}

/* Write our value at subnet with lease id if the key is still at mod_rev. */
static int
write_lease(struct fab_etcd *e, const struct fab_lease_req *r, uint32_t subnet, int64_t id,
	    int64_t mod_rev, struct fab_held *h)
{
	char key[256], *val;
	int ret;

	h->l.subnet = subnet;
	h->l.plen = r->net->subnet_len;
	h->l.public_ip = r->public_ip;
	memcpy(h->l.mac, r->mac, 6);
	h->lease_id = id;
	val = fab_lease_fmt(&h->l, r->net->vni);
	if (val == NULL)
		return -ENOMEM;
	fab_key_fmt(r->prefix, subnet, h->l.plen, key, sizeof(key));
	ret = fab_etcd_put_if(e, key, val, id, mod_rev, &h->mod_rev);
	free(val);
	return ret;
}

/* One read and one write: 0 done, -EEXIST lost a race (try again), -errno. */
static int
try_once(struct fab_etcd *e, const struct fab_lease_req *r, uint32_t rnd, int64_t *id,
	 struct fab_held *h, char *err, size_t errlen)
{
	char prefix[256];
	struct fab_kvs kvs;
	struct scan s;
	uint32_t subnet;
	int ret;

	snprintf(prefix, sizeof(prefix), "%s" FAB_SUBNETS, r->prefix);
	ret = fab_etcd_range(e, prefix, &kvs);
	if (ret < 0) {
		snprintf(err, errlen, "%s", e->err);
		return ret;
	}
	ret = scan(r, &kvs, &s);
	if (ret < 0)
		goto out;
	if (s.own != NULL && s.own->lease == 0) {
		/* A reservation: ours for good, no TTL. */
		ret = write_lease(e, r, s.own_subnet, 0, s.own->mod_rev, h);
		goto out;
	}
	if (*id == 0) {
		ret = fab_etcd_grant(e, r->ttl, id);
		if (ret < 0) {
			snprintf(err, errlen, "%s", e->err);
			goto out;
		}
	}
	if (s.own != NULL) {
		ret = write_lease(e, r, s.own_subnet, *id, s.own->mod_rev, h);
		goto out;
	}
	if (r->prev_plen != 0 && fab_subnet_valid(r->net, r->prev_subnet, r->prev_plen) &&
	    !is_taken(&s, r->prev_subnet)) {
		ret = write_lease(e, r, r->prev_subnet, *id, 0, h);
		goto out;
	}
	ret = fab_subnet_pick(r->net, s.taken, s.n_taken, rnd, &subnet);
	if (ret == -ENOSPC)
		snprintf(err, errlen, "no free subnet: all %u are leased",
			 fab_subnet_count(r->net));
	else if (ret == 0)
		ret = write_lease(e, r, subnet, *id, 0, h);
out:
	if (ret < 0 && ret != -ENOSPC && ret != -EEXIST && err[0] == '\0')
		snprintf(err, errlen, "%s", e->err);
	free(s.taken);
	fab_kvs_free(&kvs);
	return ret;
}

int
fab_lease_acquire(struct fab_etcd *e, const struct fab_lease_req *r, struct fab_held *h, char *err,
		  size_t errlen)
{
	int64_t id = 0;
	int ret = -EAGAIN;

	memset(h, 0, sizeof(*h));
	err[0] = '\0';
	for (int t = 0; t < MAX_TRIES; t++) {
		ret = try_once(e, r, r->rnd + t * 7919u, &id, h, err, errlen);
		if (ret != -EEXIST)
			break;
		ret = -EAGAIN;
	}
	if (ret == -EAGAIN)
		snprintf(err, errlen, "lost the race for a subnet %d times in a row", MAX_TRIES);
	/* A granted lease we did not use (a reservation, a failure) would only expire. */
	if (id != 0 && (ret < 0 || h->lease_id != id))
		fab_etcd_revoke(e, id);
	return ret;
}

int
fab_lease_rewrite(struct fab_etcd *e, const char *prefix, const struct fab_net *net,
		  struct fab_held *h)
{
	char key[256], *val = fab_lease_fmt(&h->l, net->vni);
	int ret;

	if (val == NULL)
		return -ENOMEM;
	fab_key_fmt(prefix, h->l.subnet, h->l.plen, key, sizeof(key));
	ret = fab_etcd_put_if(e, key, val, h->lease_id, h->mod_rev, &h->mod_rev);
	free(val);
	return ret;
}
