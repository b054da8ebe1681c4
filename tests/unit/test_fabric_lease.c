/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxfabric's subnet lease against an in-memory etcd with etcd's
 * transaction rule (put only if the key's mod_revision is what the
 * writer read): two agents racing for one free subnet, exactly one wins;
 * a restarted agent takes back its subnet (its PublicIP's lease, or the
 * subnet file's); a reservation is kept without a TTL.
 *
 * The fake replaces etcd.c's functions at link time.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fabric/lease.h"
#include "fabric/registry.h"

#define PFX "/coreos.com/network"

/* ------------------------------------------------------------ the fake etcd */

struct item {
	char key[128], val[512];
	int64_t lease, create_rev, mod_rev;
};

static struct {
	struct item it[512];
	size_t n;
	int64_t rev, next_lease;
	/* Run once before the next range of `who` returns: an interleaving. */
	struct fab_etcd *who;
	void (*before_return)(void);
	/* Run at every range (after the read): agents read one after another. */
	void (*chain)(struct fab_etcd *e);
	unsigned int puts, conflicts;
} db;

static struct item *
db_find(const char *key)
{
	for (size_t i = 0; i < db.n; i++)
		if (strcmp(db.it[i].key, key) == 0)
			return &db.it[i];
	return NULL;
}

/* Does key exist and hold needle in its value? */
static bool
val_has(const char *key, const char *needle)
{
	const struct item *it = db_find(key);

	return it != NULL && strstr(it->val, needle) != NULL;
}

static void
db_put(const char *key, const char *val, int64_t lease)
{
	struct item *it = db_find(key);

	if (it == NULL) {
		it = &db.it[db.n++];
		snprintf(it->key, sizeof(it->key), "%s", key);
		it->create_rev = db.rev + 1;
	}
	snprintf(it->val, sizeof(it->val), "%s", val);
	it->lease = lease;
	it->mod_rev = ++db.rev;
}

int
fab_etcd_range(struct fab_etcd *e, const char *prefix, struct fab_kvs *out)
{
	memset(out, 0, sizeof(*out));
	out->kv = calloc(db.n + 1, sizeof(*out->kv));
	assert_non_null(out->kv);
	for (size_t i = 0; i < db.n; i++) {
		struct fab_kv *kv = &out->kv[out->n];

		if (strncmp(db.it[i].key, prefix, strlen(prefix)) != 0)
			continue;
		kv->key = strdup(db.it[i].key);
		kv->val = strdup(db.it[i].val);
		kv->klen = strlen(kv->key);
		kv->vlen = strlen(kv->val);
		kv->lease = db.it[i].lease;
		kv->create_rev = db.it[i].create_rev;
		kv->mod_rev = db.it[i].mod_rev;
		out->n++;
	}
	out->rev = db.rev;
	if (db.chain != NULL)
		db.chain(e);
	if (db.before_return != NULL && e == db.who) {
		void (*f)(void) = db.before_return;

		db.before_return = NULL;
		f();
	}
	return 0;
}

int
fab_etcd_put_if(struct fab_etcd *e, const char *key, const char *val, int64_t lease,
		int64_t mod_rev, int64_t *rev)
{
	struct item *it = db_find(key);

	if ((it == NULL ? 0 : it->mod_rev) != mod_rev) {
		db.conflicts++;
		return -EEXIST;
	}
	db_put(key, val, lease);
	db.puts++;
	if (rev != NULL)
		*rev = db.rev;
	return 0;
}

int
fab_etcd_grant(struct fab_etcd *e, int64_t ttl, int64_t *id)
{
	*id = ++db.next_lease;
	return 0;
}

int
fab_etcd_revoke(struct fab_etcd *e, int64_t id)
{
	return 0;
}

void
fab_kvs_free(struct fab_kvs *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->kv[i].key);
		free(k->kv[i].val);
	}
	free(k->kv);
	memset(k, 0, sizeof(*k));
}

/* ------------------------------------------------------------ the agents */

static struct fab_net net;
static struct fab_etcd ea, eb; /* only their addresses tell the agents apart */
static struct fab_held ha, hb;
static int ra, rb;

static void
reset(const char *cfg)
{
	char err[128];

	memset(&db, 0, sizeof(db));
	assert_int_equal(fab_net_parse(cfg, strlen(cfg), &net, err, sizeof(err)), 0);
}

static struct fab_lease_req
req(uint32_t public_ip, uint8_t last, uint32_t rnd)
{
	return (struct fab_lease_req){
		.net = &net,
		.prefix = PFX,
		.public_ip = public_ip,
		.mac = {2, 0xfa, 0xb0, 0, 0, last},
		.ttl = 10,
		.rnd = rnd,
	};
}

static void
lease_at(const char *subnet, const char *pip, int64_t lease)
{
	char key[128], val[256];
	uint32_t s;

	fab_ip_parse(subnet, &s);
	fab_key_fmt(PFX, s, 24, key, sizeof(key));
	snprintf(val, sizeof(val),
		 "{\"PublicIP\":\"%s\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,"
		 "\"VtepMAC\":\"02:00:00:00:00:99\"}}",
		 pip);
	db_put(key, val, lease);
}

static uint32_t
ip(const char *s)
{
	uint32_t v;

	fab_ip_parse(s, &v);
	return v;
}

static void
acquire_a(void)
{
	struct fab_lease_req r = req(ip("198.51.100.1"), 1, 11);
	char err[128];

	ra = fab_lease_acquire(&ea, &r, &ha, err, sizeof(err));
}

static void
acquire_b(void)
{
	struct fab_lease_req r = req(ip("198.51.100.2"), 2, 22);
	char err[128];

	rb = fab_lease_acquire(&eb, &r, &hb, err, sizeof(err));
}

/* A network with exactly one subnet to hand out. */
static const char *const one_free = "{\"Network\":\"10.5.0.0/16\",\"SubnetMin\":\"10.5.7.0\","
				    "\"SubnetMax\":\"10.5.7.0\",\"Backend\":{\"Type\":\"vxlan\"}}";

static void
test_race_one_free(void **state)
{
	for (int order = 0; order < 2; order++) {
		const char *winner = order == 0 ? "198.51.100.1" : "198.51.100.2";

		reset(one_free);
		ra = rb = 1;
		/* One agent reads the registry; before it writes, the other reads, writes, wins. */
		db.who = order == 0 ? &eb : &ea;
		db.before_return = order == 0 ? acquire_a : acquire_b;
		if (order == 0)
			acquire_b();
		else
			acquire_a();
		assert_true((ra == 0) != (rb == 0)); /* exactly one wins */
		assert_int_equal(order == 0 ? rb : ra, -ENOSPC);
		assert_int_equal(db.n, 1);
		assert_true(val_has(PFX "/subnets/10.5.7.0-24", winner));
		assert_int_equal(db.puts, 1);
		assert_int_equal(db.conflicts, 1); /* the loser's compare failed */
	}
}

/* Agents that all read the registry before any of them writes. */
#define N_AGENTS 9
static struct fab_etcd chain_e[N_AGENTS];
static struct fab_held chain_h[N_AGENTS];
static int chain_ret[N_AGENTS];
static bool chain_started[N_AGENTS];

static void
chain_run(int i)
{
	/* The same random word for all: every first choice collides. */
	struct fab_lease_req r = req(ip("198.51.100.10") + i, i, 5);
	char err[128];

	chain_started[i] = true;
	chain_ret[i] = fab_lease_acquire(&chain_e[i], &r, &chain_h[i], err, sizeof(err));
}

static void
chain_hook(struct fab_etcd *e)
{
	int i = e - chain_e;

	if (i >= 0 && i + 1 < N_AGENTS && !chain_started[i + 1])
		chain_run(i + 1);
}

static void
test_race_many(void **state)
{
	/* 8 subnets for 9 agents: 8 distinct winners, one -ENOSPC, every conflict retried. */
	static const char *const cfg =
		"{\"Network\":\"10.5.0.0/16\",\"SubnetMin\":\"10.5.1.0\","
		"\"SubnetMax\":\"10.5.8.0\",\"Backend\":{\"Type\":\"vxlan\"}}";
	int won = 0, full = 0;

	reset(cfg);
	memset(chain_started, 0, sizeof(chain_started));
	db.chain = chain_hook;
	chain_run(0);
	db.chain = NULL;
	for (int i = 0; i < N_AGENTS; i++) {
		won += chain_ret[i] == 0;
		full += chain_ret[i] == -ENOSPC;
		for (int j = 0; j < i; j++)
			if (chain_ret[i] == 0 && chain_ret[j] == 0)
				assert_int_not_equal(chain_h[i].l.subnet, chain_h[j].l.subnet);
	}
	assert_int_equal(won, 8);
	assert_int_equal(full, 1);
	assert_int_equal(db.n, 8);
	assert_true(db.conflicts > 0);
}

static void
test_restart_takes_back(void **state)
{
	struct fab_lease_req r = req(ip("198.51.100.1"), 1, 3);
	static const char *const cfg =
		"{\"Network\":\"10.5.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
	struct fab_held h;
	char err[128];
	struct item *it;

	/* The lease of our PublicIP (a restart before it expired), with a new VtepMAC. */
	reset(cfg);
	lease_at("10.5.20.0", "198.51.100.2", 1);
	lease_at("10.5.33.0", "198.51.100.1", 2);
	assert_int_equal(fab_lease_acquire(&ea, &r, &h, err, sizeof(err)), 0);
	assert_int_equal(h.l.subnet, ip("10.5.33.0"));
	assert_int_not_equal(h.lease_id, 0);
	assert_true(val_has(PFX "/subnets/10.5.33.0-24", "02:fa:b0:00:00:01"));
	it = db_find(PFX "/subnets/10.5.33.0-24");
	assert_int_equal(it->lease, h.lease_id);
	assert_int_equal(it->mod_rev, h.mod_rev);

	/* The subnet file's subnet, when nobody holds it. */
	reset(cfg);
	lease_at("10.5.20.0", "198.51.100.2", 1);
	r.prev_subnet = ip("10.5.44.0");
	r.prev_plen = 24;
	assert_int_equal(fab_lease_acquire(&ea, &r, &h, err, sizeof(err)), 0);
	assert_int_equal(h.l.subnet, ip("10.5.44.0"));
	/* ... but not when another node holds it now, nor when the config no longer has it. */
	reset(cfg);
	lease_at("10.5.44.0", "198.51.100.2", 1);
	assert_int_equal(fab_lease_acquire(&ea, &r, &h, err, sizeof(err)), 0);
	assert_int_not_equal(h.l.subnet, ip("10.5.44.0"));
	reset(cfg);
	r.prev_subnet = ip("10.5.0.0");
	assert_int_equal(fab_lease_acquire(&ea, &r, &h, err, sizeof(err)), 0);
	assert_int_not_equal(h.l.subnet, ip("10.5.0.0"));
}

static void
test_reservation(void **state)
{
	struct fab_lease_req r = req(ip("198.51.100.1"), 1, 3);
	static const char *const cfg =
		"{\"Network\":\"10.5.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
	struct fab_held h;
	char err[128];

	reset(cfg);
	lease_at("10.5.50.0", "198.51.100.1", 0); /* no etcd lease: a reservation */
	assert_int_equal(fab_lease_acquire(&ea, &r, &h, err, sizeof(err)), 0);
	assert_int_equal(h.l.subnet, ip("10.5.50.0"));
	assert_int_equal(h.lease_id, 0);
	assert_int_equal(db_find(PFX "/subnets/10.5.50.0-24")->lease, 0);
	assert_true(val_has(PFX "/subnets/10.5.50.0-24", "02:fa:b0:00:00:01"));
}

static void
test_malformed_taken(void **state)
{
	/* A malformed value still holds its subnet: never handed out again. */
	struct fab_lease_req r = req(ip("198.51.100.1"), 1, 0);
	struct fab_held h;
	char err[128];

	reset(one_free);
	db_put(PFX "/subnets/10.5.7.0-24", "{garbage", 5);
	assert_int_equal(fab_lease_acquire(&ea, &r, &h, err, sizeof(err)), -ENOSPC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_race_one_free),	   cmocka_unit_test(test_race_many),
		cmocka_unit_test(test_restart_takes_back), cmocka_unit_test(test_reservation),
		cmocka_unit_test(test_malformed_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
