/* SPDX-License-Identifier: BSD-3-Clause */
/* ARP, ND and ICMP echo builders and parsers on plain buffers. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "underlay/underlay.h"

static const struct rte_ether_addr us = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x01}};
static const struct rte_ether_addr peer = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x02}};

/* Independent one's-complement sum over big-endian words (RFC 1071). */
static uint32_t
be_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* ICMPv6 checksum check of the IPv6 packet at ip (no extension headers). */
static bool
icmp6_ok(const uint8_t *ip)
{
	uint16_t plen = (ip[4] << 8) | ip[5];
	uint32_t sum = be_sum(ip + 8, 32, 0) + plen + 58;

	return fold(be_sum(ip + 40, plen, sum)) == 0xffff;
}

static void
test_arp_request_reply(void **state)
{
	static const struct rte_ether_addr zero,
		bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	static const uint8_t want_reply[42] = {
		0x02, 0,    0,	  0,	0,    0x02, 0x02, 0,	0,    0,    0,	 0x01, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x02, 0,    0,	 0,    0,    0x01,
		198,  51,   100,  1,	0x02, 0,    0,	  0,	0,    0x02, 198, 51,   100,  2,
	};
	struct in_addr a1, a2;
	uint8_t buf[64];
	struct vx_arp a;
	uint16_t len;

	inet_pton(AF_INET, "198.51.100.1", &a1);
	inet_pton(AF_INET, "198.51.100.2", &a2);
	/* The peer asks who has .1 */
	len = vx_arp_build(buf, 1, 0, &bcast, &peer, a2, &zero, a1);
	assert_int_equal(len, 42);
	assert_int_equal(vx_arp_parse(buf, len, &a), 0);
	assert_int_equal(a.op, 1);
	assert_int_equal(a.vlan, 0);
	assert_memory_equal(&a.sha, &peer, 6);
	assert_int_equal(a.spa.s_addr, a2.s_addr);
	assert_int_equal(a.tpa.s_addr, a1.s_addr);
	/* Our answer, as vx_arp_input builds it. */
	len = vx_arp_build(buf, 2, a.vlan, &a.sha, &us, a.tpa, &a.sha, a.spa);
	assert_int_equal(len, 42);
	assert_memory_equal(buf, want_reply, sizeof(want_reply));

	/* VLAN-tagged: tag carried, payload shifted by 4. */
	len = vx_arp_build(buf, 1, 100, &bcast, &peer, a2, &zero, a1);
	assert_int_equal(len, 46);
	assert_int_equal(buf[12], 0x81);
	assert_int_equal(buf[15], 100);
	assert_int_equal(buf[16], 0x08);
	assert_int_equal(buf[17], 0x06);
	assert_int_equal(vx_arp_parse(buf, len, &a), 0);
	assert_int_equal(a.vlan, 100);

	/* Malformed: truncated, wrong hardware type, unknown opcode. */
	len = vx_arp_build(buf, 1, 0, &bcast, &peer, a2, &zero, a1);
	assert_int_equal(vx_arp_parse(buf, 41, &a), -EINVAL);
	buf[15] = 6;
	assert_int_equal(vx_arp_parse(buf, len, &a), -EINVAL);
	buf[15] = 1;
	buf[21] = 9;
	assert_int_equal(vx_arp_parse(buf, len, &a), -EINVAL);
}

static void
test_ns_na(void **state)
{
	struct in6_addr mine, theirs, snm;
	uint8_t buf[128];
	struct vx_nd nd;
	uint16_t len;

	inet_pton(AF_INET6, "2001:db8:1::1", &mine);
	inet_pton(AF_INET6, "2001:db8:1::2", &theirs);

	/* The peer's NS for our address, to our solicited-node group. */
	len = vx_nd_build_ns(buf, 0, &peer, &theirs, &mine, NULL);
	assert_int_equal(len, 14 + 40 + 32);
	assert_int_equal(buf[0], 0x33);
	assert_int_equal(buf[1], 0x33);
	assert_int_equal(buf[2], 0xff);
	assert_int_equal(buf[5], 0x01);
	vx_nd_solicited_node(&mine, &snm);
	assert_memory_equal(buf + 14 + 24, &snm, 16);
	assert_int_equal(buf[14 + 7], 255); /* hop limit */
	assert_true(icmp6_ok(buf + 14));
	assert_int_equal(vx_nd_parse(buf, len, &nd), 0);
	assert_int_equal(nd.type, 135);
	assert_true(nd.has_lla);
	assert_memory_equal(&nd.lla, &peer, 6);
	assert_memory_equal(&nd.target, &mine, 16);
	assert_memory_equal(&nd.src, &theirs, 16);

	/* Our NA: S and O, to the solicitor, target link-layer option. */
	len = vx_nd_build_na(buf, 0, &us, &nd.lla, &nd.target, &nd.src, 0x60);
	assert_int_equal(len, 86);
	assert_memory_equal(buf, &peer, 6);
	assert_memory_equal(buf + 6, &us, 6);
	assert_memory_equal(buf + 14 + 8, &mine, 16);	 /* source = target */
	assert_memory_equal(buf + 14 + 24, &theirs, 16); /* destination */
	assert_int_equal(buf[54], 136);
	assert_int_equal(buf[54 + 4], 0x60);
	assert_memory_equal(buf + 54 + 8, &mine, 16);
	assert_int_equal(buf[54 + 24], 2); /* TLLA */
	assert_int_equal(buf[54 + 25], 1);
	assert_memory_equal(buf + 54 + 26, &us, 6);
	assert_true(icmp6_ok(buf + 14));
	assert_int_equal(vx_nd_parse(buf, len, &nd), 0);
	assert_int_equal(nd.type, 136);
	assert_int_equal(nd.na_flags, 0x60);

	/* Unicast NS (probe) goes to the address and MAC given. */
	len = vx_nd_build_ns(buf, 7, &us, &mine, &theirs, &peer);
	assert_int_equal(len, 90);
	assert_memory_equal(buf, &peer, 6);
	assert_memory_equal(buf + 18 + 24, &theirs, 16);
	assert_true(icmp6_ok(buf + 18));
	assert_int_equal(vx_nd_parse(buf, len, &nd), 0);
	assert_int_equal(nd.vlan, 7);

	/* Rejected: bad checksum, hop limit not 255. */
	len = vx_nd_build_ns(buf, 0, &peer, &theirs, &mine, NULL);
	buf[len - 1] ^= 1;
	assert_int_equal(vx_nd_parse(buf, len, &nd), -EINVAL);
	len = vx_nd_build_ns(buf, 0, &peer, &theirs, &mine, NULL);
	buf[14 + 7] = 64;
	assert_int_equal(vx_nd_parse(buf, len, &nd), -EINVAL);
	/* Another ICMPv6 type (a router solicitation): not ND the switch acts on. */
	len = vx_nd_build_ns(buf, 0, &peer, &theirs, &mine, NULL);
	buf[14 + 40] = 133;
	assert_int_equal(vx_nd_parse(buf, len, &nd), -EOPNOTSUPP);
}

static void
test_echo4(void **state)
{
	uint8_t f[14 + 20 + 8 + 5] = {
		0x02, 0,  0,	0,    0,    0x01, 0x02, 0,    0, 0, 0,	 0x02, 0x08, 0x00, 0x45, 0,
		0,    33, 0x12, 0x34, 0x40, 0,	  63,	1,    0, 0, 198, 51,   100,  2,	   198,	 51,
		100,  1,  8,	0,    0,    0,	  0xbe, 0xef, 0, 1, 'h', 'e',  'l',  'l',  'o',
	};
	uint16_t ck;

	ck = ~fold(be_sum(f + 14, 20, 0));
	f[24] = ck >> 8;
	f[25] = ck & 0xff;
	ck = ~fold(be_sum(f + 34, 13, 0));
	f[36] = ck >> 8;
	f[37] = ck & 0xff;

	assert_int_equal(vx_icmp_echo_reply(f, sizeof(f), NULL), 0);
	assert_memory_equal(f, &peer, 6);
	assert_memory_equal(f + 6, &us, 6);
	assert_int_equal(f[22], 64); /* TTL */
	assert_int_equal(f[26], 198);
	assert_int_equal(f[29], 1); /* src = us */
	assert_int_equal(f[33], 2); /* dst = the pinger */
	assert_int_equal(fold(be_sum(f + 14, 20, 0)), 0xffff);
	assert_int_equal(f[34], 0);    /* echo reply */
	assert_int_equal(f[38], 0xbe); /* id, seq, data unchanged */
	assert_memory_equal(f + 42, "hello", 5);
	assert_int_equal(fold(be_sum(f + 34, 13, 0)), 0xffff);
	/* A reply is not a request. */
	assert_int_equal(vx_icmp_echo_reply(f, sizeof(f), NULL), -EINVAL);
}

static void
test_echo6(void **state)
{
	uint8_t f[14 + 40 + 8 + 4] = {
		0x02, 0, 0,  0,	  0,	0x01, 0x02, 0,	  0,	0, 0, 0x02, 0x86, 0xdd, 0x60, 0, 0,
		0,    0, 12, 58,  64,	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0,    0,	  0,	0,    0, 0,
		0,    0, 0,  2,	  0x20, 0x01, 0x0d, 0xb8, 0,	1, 0, 0,    0,	  0,	0,    0, 0,
		0,    0, 1,  128, 0,	0,    0,    0,	  7,	0, 1, 'p',  'i',  'n',	'g',
	};
	uint32_t sum = be_sum(f + 22, 32, 0) + 12 + 58;
	uint16_t ck = ~fold(be_sum(f + 54, 12, sum));

	f[56] = ck >> 8;
	f[57] = ck & 0xff;
	assert_true(icmp6_ok(f + 14));
	assert_int_equal(vx_icmp_echo_reply(f, sizeof(f), NULL), 0);
	assert_int_equal(f[54], 129);
	assert_int_equal(f[37], 1); /* src = us */
	assert_int_equal(f[53], 2);
	assert_memory_equal(f, &peer, 6);
	assert_true(icmp6_ok(f + 14));
	assert_memory_equal(f + 62, "ping", 4);
	/* Corrupted request is refused. */
	f[54] = 128;
	assert_int_equal(vx_icmp_echo_reply(f, sizeof(f), NULL), -EINVAL);
}

/* An IPv4 echo request from 198.51.100.2 to dst (its checksums made). */
static void
echo4_to(uint8_t *f, uint8_t d0, uint8_t d3, uint8_t s0, uint8_t s3)
{
	static const uint8_t t[14 + 20 + 8] = {
		0x02, 0, 0,   0,  0,	0x01, 0x02, 0, 0,  0, 0, 0x02, 0x08, 0x00,
		0x45, 0, 0,   28, 0x12, 0x34, 0x40, 0, 63, 1, 0, 0,    198,  51,
		100,  2, 198, 51, 100,	1,    8,    0, 0,  0, 0, 1,    0,    1,
	};
	uint16_t ck;

	memcpy(f, t, sizeof(t));
	f[26] = s0;
	f[29] = s3;
	f[30] = d0;
	f[33] = d3;
	ck = ~fold(be_sum(f + 14, 20, 0));
	f[24] = ck >> 8;
	f[25] = ck & 0xff;
	ck = ~fold(be_sum(f + 34, 8, 0));
	f[36] = ck >> 8;
	f[37] = ck & 0xff;
}

/*
 * Echo the switch must not answer: from a broadcast, multicast or
 * loopback source, from a multicast Ethernet source, to an IPv4 broadcast
 * or group; a bad IPv4 header checksum. An IPv6 echo to a group is
 * answered from the address given, never from the group.
 */
static void
test_echo_martian(void **state)
{
	uint8_t f[64];
	struct vx_ip ours = {.family = AF_INET6};

	echo4_to(f, 198, 1, 198, 2);
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), 0);
	echo4_to(f, 198, 1, 255, 255);
	f[27] = f[28] = 255;
	{
		uint16_t ck;

		f[24] = f[25] = 0;
		ck = ~fold(be_sum(f + 14, 20, 0));
		f[24] = ck >> 8;
		f[25] = ck & 0xff;
	}
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), -EPERM); /* from 255.255.255.255 */
	echo4_to(f, 198, 1, 224, 2);
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), -EPERM); /* from a group */
	echo4_to(f, 198, 1, 127, 2);
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), -EPERM); /* from loopback */
	echo4_to(f, 224, 1, 198, 2);
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), -EPERM); /* to a group */
	echo4_to(f, 198, 1, 198, 2);
	f[6] = 0x01; /* multicast Ethernet source */
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), -EPERM);
	echo4_to(f, 198, 1, 198, 2);
	f[25] ^= 1; /* IPv4 header checksum */
	assert_int_equal(vx_icmp_echo_reply(f, 42, NULL), -EINVAL);

	/* IPv6 to ff02::1: from our address when one is given, refused otherwise. */
	{
		uint8_t g[14 + 40 + 8] = {
			0x02, 0,    0,	 0, 0, 0x01, 0x02, 0,  0,   0,	  0,	0x02, 0x86,
			0xdd, 0x60, 0,	 0, 0, 0,    8,	   58, 255, 0x20, 0x01, 0x0d, 0xb8,
			0,    1,    0,	 0, 0, 0,    0,	   0,  0,   0,	  0,	2,    0xff,
			2,    0,    0,	 0, 0, 0,    0,	   0,  0,   0,	  0,	0,    0,
			0,    1,    128, 0, 0, 0,    0,	   7,  0,   1,
		};
		uint8_t h[sizeof(g)];
		uint32_t sum = be_sum(g + 22, 32, 0) + 8 + 58;
		uint16_t ck = ~fold(be_sum(g + 54, 8, sum));

		g[56] = ck >> 8;
		g[57] = ck & 0xff;
		memcpy(h, g, sizeof(g));
		assert_int_equal(vx_icmp_echo_reply(h, sizeof(h), NULL), -EPERM);
		inet_pton(AF_INET6, "2001:db8:1::1", &ours.v6);
		assert_int_equal(vx_icmp_echo_reply(g, sizeof(g), &ours), 0);
		assert_memory_equal(g + 22, &ours.v6, 16); /* src = ours */
		assert_int_equal(g[53], 2);		   /* dst = the pinger */
		assert_true(icmp6_ok(g + 14));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_reply),
		cmocka_unit_test(test_ns_na),
		cmocka_unit_test(test_echo4),
		cmocka_unit_test(test_echo6),
		cmocka_unit_test(test_echo_martian),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
