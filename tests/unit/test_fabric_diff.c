/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxfabric's pure logic beside the registry: subnet choice and the
 * reconcile diff (what to set, what to remove, what never to touch).
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fabric/diff.h"
#include "fabric/subnet.h"

static struct fab_net
net(const char *network, uint8_t len)
{
	struct fab_net n = {0};
	char err[128];

	assert_int_equal(fab_prefix_parse(network, false, &n.network, &n.plen), 0);
	n.subnet_len = len;
	assert_int_equal(fab_net_finish(&n, true, false, false, err, sizeof(err)), 0);
	return n;
}

static uint32_t
ip(const char *s)
{
	uint32_t v;

	assert_int_equal(fab_ip_parse(s, &v), 0);
	return v;
}

static void
test_subnet_pick(void **state)
{
	struct fab_net n = net("10.5.0.0/16", 24);
	uint32_t taken[300], out, seen[256] = {0};
	size_t nt = 0;

	/* Every choice is valid and free; the random word spreads them over every subnet. */
	for (uint32_t r = 0; r < 255 * 4; r++) {
		assert_int_equal(fab_subnet_pick(&n, NULL, 0, r, &out), 0);
		assert_true(fab_subnet_valid(&n, out, 24));
		seen[(out >> 8) & 0xff]++;
	}
	assert_int_equal(seen[0], 0); /* the network's first subnet is never handed out */
	for (int i = 1; i < 256; i++)
		assert_int_equal(seen[i], 4);

	/* Taken subnets (duplicates, foreign ones and all) are never chosen. */
	for (int i = 1; i < 255; i++)
		taken[nt++] = n.network + (i << 8);
	taken[nt++] = ip("10.5.3.0");
	taken[nt++] = ip("10.6.0.0");
	for (uint32_t r = 0; r < 50; r++) {
		assert_int_equal(fab_subnet_pick(&n, taken, nt, r * 2654435761u, &out), 0);
		assert_int_equal(out, ip("10.5.255.0"));
	}
	taken[nt++] = ip("10.5.255.0");
	assert_int_equal(fab_subnet_pick(&n, taken, nt, 7, &out), -ENOSPC);

	/* SubnetMin/SubnetMax bound the choice. */
	n.subnet_min = ip("10.5.8.0");
	n.subnet_max = ip("10.5.9.0");
	for (uint32_t r = 0; r < 20; r++) {
		assert_int_equal(fab_subnet_pick(&n, NULL, 0, r, &out), 0);
		assert_true(out == ip("10.5.8.0") || out == ip("10.5.9.0"));
	}
	assert_false(fab_subnet_valid(&n, ip("10.5.10.0"), 24));
	assert_false(fab_subnet_valid(&n, ip("10.5.8.0"), 25));
	assert_false(fab_subnet_valid(&n, ip("10.5.8.1"), 24));
}

static void
test_mac_ip(void **state)
{
	uint8_t m[6], m2[6];
	char buf[24];

	assert_int_equal(fab_mac_parse("02:Fa:b0:00:00:0a", m), 0);
	assert_string_equal(fab_mac_fmt(m, buf, sizeof(buf)), "02:fa:b0:00:00:0a");
	fab_u64_mac(fab_mac_u64(m), m2);
	assert_memory_equal(m, m2, 6);
	assert_int_equal(fab_mac_parse("02:fa:b0:00:00:0", m), -EINVAL);
	assert_int_equal(fab_mac_parse("02:fa:b0:00:00:0g", m), -EINVAL);
	assert_int_equal(fab_mac_parse("02:fa:b0:00:00:0a:", m), -EINVAL);
	assert_int_equal(fab_mac_parse("+2:fa:b0:00:00:0a", m), -EINVAL);
	assert_true(fab_ip_unicast(ip("198.51.100.1")));
	assert_false(fab_ip_unicast(ip("127.0.0.1")));
	assert_false(fab_ip_unicast(ip("239.1.1.1")));
	assert_false(fab_ip_unicast(ip("255.255.255.255")));
}

static struct fab_set
set(const uint64_t (*kv)[2], size_t n)
{
	struct fab_set s = {0};

	for (size_t i = 0; i < n; i++)
		assert_int_equal(fab_set_add(&s, kv[i][0], kv[i][1]), 0);
	fab_set_sort(&s);
	return s;
}

#define SET(...)                                                \
	({                                                      \
		static const uint64_t kv_[][2] = {__VA_ARGS__}; \
		set(kv_, sizeof(kv_) / sizeof(kv_[0]));         \
	})

static bool
has(const struct fab_set *s, uint64_t key, uint64_t val)
{
	const struct fab_ent *e = fab_set_find(s, key);

	return e != NULL && e->val == val;
}

static void
test_diff(void **state)
{
	/* want 1..4; the dataplane has 2 (same), 3 (other value), 5 (ours), 6 (by hand). */
	struct fab_set want = SET({1, 10}, {2, 20}, {3, 30}, {4, 40});
	struct fab_set have = SET({2, 20}, {3, 33}, {5, 50}, {6, 60});
	struct fab_set owned = SET({2, 20}, {3, 33}, {5, 50}, {7, 70});
	struct fab_diff d = {0};

	assert_int_equal(fab_diff(&want, &have, &owned, &d), 0);
	assert_int_equal(d.set.n, 3);
	assert_true(has(&d.set, 1, 10));
	assert_true(has(&d.set, 3, 30));
	assert_true(has(&d.set, 4, 40));
	/* Only the owned key that is no longer wanted goes; 6 (by hand) and 7 (absent) stay. */
	assert_int_equal(d.del.n, 1);
	assert_true(has(&d.del, 5, 50));

	/* Nothing wanted and nothing owned: nothing happens, whatever the dataplane holds. */
	struct fab_set none = {0};

	assert_int_equal(fab_diff(&none, &have, &none, &d), 0);
	assert_int_equal(d.set.n + d.del.n, 0);
	/* Converged: an empty diff. */
	assert_int_equal(fab_diff(&want, &want, &want, &d), 0);
	assert_int_equal(d.set.n + d.del.n, 0);
	/* Everything lost (vxswitch restarted): everything set again, nothing removed. */
	assert_int_equal(fab_diff(&want, &none, &owned, &d), 0);
	assert_int_equal(d.set.n, 4);
	assert_int_equal(d.del.n, 0);

	fab_diff_free(&d);
	fab_set_free(&want);
	fab_set_free(&have);
	fab_set_free(&owned);
}

static void
test_want(void **state)
{
	struct fab_lease l[3] = {
		{.subnet = ip("10.5.20.0"),
		 .plen = 24,
		 .public_ip = ip("198.51.100.2"),
		 .mac = {2, 0, 0, 0, 0, 2}},
		{.subnet = ip("10.5.30.0"),
		 .plen = 24,
		 .public_ip = ip("198.51.100.3"),
		 .mac = {2, 0, 0, 0, 0, 3}},
		/* A second lease claiming 10.5.20.0's MAC: the first in key order wins the FDB. */
		{.subnet = ip("10.5.40.0"),
		 .plen = 24,
		 .public_ip = ip("198.51.100.4"),
		 .mac = {2, 0, 0, 0, 0, 2}},
	};
	struct fab_set w[FAB_KINDS] = {0};

	assert_int_equal(fab_want(l, 3, w), 0);
	assert_int_equal(w[FAB_FDB].n, 2);
	assert_true(has(&w[FAB_FDB], 0x020000000002ull, ip("198.51.100.2")));
	assert_true(has(&w[FAB_FDB], 0x020000000003ull, ip("198.51.100.3")));
	assert_int_equal(w[FAB_NEIGH].n, 3);
	assert_true(has(&w[FAB_NEIGH], ip("10.5.40.0"), 0x020000000002ull));
	assert_int_equal(w[FAB_ROUTE].n, 3);
	assert_true(has(&w[FAB_ROUTE], (uint64_t)ip("10.5.30.0") << 8 | 24, ip("10.5.30.0")));
	for (int k = 0; k < FAB_KINDS; k++)
		fab_set_free(&w[k]);
}

static void
test_diff_large(void **state)
{
	struct fab_set want = {0}, have = {0}, owned = {0};
	struct fab_diff d = {0};

	/* 1000 wanted; the dataplane holds the even ones and 500 stale ones of ours. */
	for (uint64_t i = 0; i < 1000; i++) {
		fab_set_add(&want, i * 3, i);
		if (i % 2 == 0)
			fab_set_add(&have, i * 3, i);
		fab_set_add(&have, i * 3 + 1, i);
		if (i % 2 == 0)
			fab_set_add(&owned, i * 3 + 1, i);
	}
	fab_set_sort(&want);
	fab_set_sort(&have);
	fab_set_sort(&owned);
	assert_int_equal(fab_diff(&want, &have, &owned, &d), 0);
	assert_int_equal(d.set.n, 500);
	assert_int_equal(d.del.n, 500);
	for (size_t i = 0; i < d.del.n; i++)
		assert_int_equal(d.del.e[i].key % 3, 1);
	fab_diff_free(&d);
	fab_set_free(&want);
	fab_set_free(&have);
	fab_set_free(&owned);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subnet_pick), cmocka_unit_test(test_mac_ip),
		cmocka_unit_test(test_diff),	    cmocka_unit_test(test_want),
		cmocka_unit_test(test_diff_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
