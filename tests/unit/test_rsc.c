/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Route short-circuit's rewrite on plain buffers (dataplane/rsc.c), no
 * EAL: which frames qualify (IPv4/IPv6 with a hop to spare), and the frame
 * it makes: the neighbour's MAC as destination, the router's as source,
 * TTL/hop limit one less, and an IPv4 header checksum updated
 * incrementally that equals a full recomputation, over 100 000 random
 * headers.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <rte_ip.h>

#include "vx_worker.h"

static const struct rte_ether_addr host = {.addr_bytes = {0x02, 0xaa, 0, 0, 0, 0x04}};
static const uint8_t router[6] = {0x02, 0xaa, 0, 0, 0, 0xfe};
static const uint8_t h1[6] = {0x02, 0xaa, 0, 0, 0, 0x01};

static void
frame4(uint8_t *f, uint8_t ttl)
{
	memset(f, 0, 64);
	memcpy(f, router, 6);
	memcpy(f + 6, h1, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[14 + 3] = 40;
	f[14 + 8] = ttl;
	f[14 + 9] = 17;
	f[14 + 16] = 203;
	f[14 + 19] = 130;
	((struct rte_ipv4_hdr *)(f + 14))->hdr_checksum = rte_ipv4_cksum((void *)(f + 14));
}

static void
test_which(void **state)
{
	uint8_t f[128];
	uint8_t family = 0;
	const uint8_t *dst = NULL;

	frame4(f, 64);
	assert_int_equal(vx_rsc_dst(f, 54, &family, &dst), 0);
	assert_int_equal(family, AF_INET);
	assert_ptr_equal(dst, f + 14 + 16);
	assert_int_equal(vx_rsc_dst(f, 33, &family, &dst), -1); /* too short */
	frame4(f, 1);
	assert_int_equal(vx_rsc_dst(f, 54, &family, &dst), -1); /* would expire */
	frame4(f, 2);
	assert_int_equal(vx_rsc_dst(f, 54, &family, &dst), 0);
	f[12] = 0x08;
	f[13] = 0x06; /* ARP */
	assert_int_equal(vx_rsc_dst(f, 54, &family, &dst), -1);
	memset(f, 0, sizeof(f));
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 7] = 64;
	assert_int_equal(vx_rsc_dst(f, 14 + 40, &family, &dst), 0);
	assert_int_equal(family, AF_INET6);
	assert_ptr_equal(dst, f + 14 + 24);
	assert_int_equal(vx_rsc_dst(f, 14 + 39, &family, &dst), -1);
	f[14 + 7] = 1;
	assert_int_equal(vx_rsc_dst(f, 14 + 40, &family, &dst), -1);
}

static void
test_rewrite4(void **state)
{
	uint8_t f[64], g[64];

	srand(7);
	for (int i = 0; i < 100000; i++) {
		uint16_t want;

		frame4(f, 2 + rand() % 254);
		for (int k = 0; k < 20; k++)
			if (k != 0 && k != 8 && k != 10 && k != 11)
				f[14 + k] = rand();
		((struct rte_ipv4_hdr *)(f + 14))->hdr_checksum = 0;
		((struct rte_ipv4_hdr *)(f + 14))->hdr_checksum = rte_ipv4_cksum((void *)(f + 14));
		memcpy(g, f, sizeof(f));
		vx_rsc_rewrite(f, &host);
		assert_memory_equal(f, host.addr_bytes, 6);
		assert_memory_equal(f + 6, router, 6);
		assert_int_equal(f[14 + 8], g[14 + 8] - 1);
		/* Everything else of the header as it was. */
		assert_memory_equal(f + 12, g + 12, 2 + 8);
		assert_memory_equal(f + 14 + 12, g + 14 + 12, 8);
		g[14 + 8]--;
		((struct rte_ipv4_hdr *)(g + 14))->hdr_checksum = 0;
		want = rte_ipv4_cksum((void *)(g + 14));
		if (((struct rte_ipv4_hdr *)(f + 14))->hdr_checksum != want)
			fail_msg("header %d: checksum %04x, recomputed %04x", i,
				 ((struct rte_ipv4_hdr *)(f + 14))->hdr_checksum, want);
	}
}

static void
test_rewrite6(void **state)
{
	uint8_t f[128] = {0}, g[128];

	memcpy(f, router, 6);
	memcpy(f + 6, h1, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 6] = 17;
	f[14 + 7] = 64;
	for (int k = 8; k < 40; k++)
		f[14 + k] = k;
	memcpy(g, f, sizeof(f));
	vx_rsc_rewrite(f, &host);
	assert_memory_equal(f, host.addr_bytes, 6);
	assert_memory_equal(f + 6, router, 6);
	assert_int_equal(f[14 + 7], 63);
	f[14 + 7] = 64;
	assert_memory_equal(f + 12, g + 12, 2 + 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_which),
		cmocka_unit_test(test_rewrite4),
		cmocka_unit_test(test_rewrite6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
