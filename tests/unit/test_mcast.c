/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IGMPv3 and MLDv2 on plain buffers (control/underlay/igmp.c), no EAL:
 * the reports vxswitch sends are compared byte for byte with the frames
 * scapy builds in tests/data/mcast.hex (lengths and checksums computed by
 * scapy, and checked by tshark when the vectors were made), and the
 * queries there are parsed: version, group, maximum response time. A
 * query with a bad checksum or a truncated one is refused. The underlay
 * parser takes VXLAN to a joined group and punts IGMP and MLD.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <rte_ip.h>

#include "underlay/wire.h"
#include "vx_parse.h"

#ifndef VX_TEST_DATA
#define VX_TEST_DATA "tests/data"
#endif

static const struct rte_ether_addr mac = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x01}};

/* The vector called name in mcast.hex, into out; its length. */
static size_t
vector(const char *name, uint8_t *out, size_t cap)
{
	char path[512], line[4096];
	size_t n = 0, nl = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/mcast.hex", VX_TEST_DATA);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *h = line + nl + 1;

		if (strncmp(line, name, nl) != 0 || line[nl] != ' ')
			continue;
		while (n < cap && sscanf(h + 2 * n, "%2hhx", &out[n]) == 1)
			n++;
		break;
	}
	fclose(f);
	if (n == 0)
		fail_msg("no vector %s in %s", name, path);
	return n;
}

static void
assert_bytes(const uint8_t *got, size_t glen, const char *name)
{
	uint8_t want[1600];
	size_t wlen = vector(name, want, sizeof(want));

	assert_int_equal(glen, wlen);
	for (size_t i = 0; i < wlen; i++)
		if (got[i] != want[i])
			fail_msg("%s: byte %zu is %02x, scapy's %02x", name, i, got[i], want[i]);
}

static struct in_addr
v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr
v6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void
test_igmp3_reports(void **state)
{
	struct in_addr g[2] = {v4("239.1.1.10"), v4("239.255.0.1")};
	uint8_t buf[1600];
	uint16_t len;

	len = vx_igmp3_report(buf, 0, &mac, v4("198.51.100.1"), VX_MC_TO_EXCLUDE, g, 1);
	assert_bytes(buf, len, "igmp3_join");
	len = vx_igmp3_report(buf, 0, &mac, v4("0.0.0.0"), VX_MC_TO_INCLUDE, g, 1);
	assert_bytes(buf, len, "igmp3_leave_nosrc");
	len = vx_igmp3_report(buf, 100, &mac, v4("198.51.100.1"), VX_MC_IS_EXCLUDE, g, 2);
	assert_bytes(buf, len, "igmp3_state_vlan");
}

static void
test_mld2_reports(void **state)
{
	struct in6_addr g[2] = {v6("ff05::100"), v6("ff0e::1:2")}, ll, want = v6("fe80::ff:fe00:1");
	uint8_t buf[1600];
	uint16_t len;

	vx_ip6_link_local(&mac, &ll);
	assert_memory_equal(&ll, &want, 16);
	len = vx_mld2_report(buf, 0, &mac, &ll, VX_MC_TO_EXCLUDE, g, 1);
	assert_bytes(buf, len, "mld2_join");
	len = vx_mld2_report(buf, 100, &mac, &ll, VX_MC_IS_EXCLUDE, g, 2);
	assert_bytes(buf, len, "mld2_state_vlan");
}

/* The most records a report may carry fit a 1514-byte frame with a VLAN tag. */
static void
test_report_size(void **state)
{
	struct in_addr g4[VX_MC_MAX_RECORDS];
	struct in6_addr g6[VX_MC_MAX_RECORDS], ll;
	uint8_t buf[1600];

	for (unsigned int i = 0; i < VX_MC_MAX_RECORDS; i++) {
		g4[i] = v4("239.1.1.1");
		g6[i] = v6("ff05::1");
	}
	vx_ip6_link_local(&mac, &ll);
	assert_true(vx_igmp3_report(buf, 4094, &mac, v4("198.51.100.1"), VX_MC_IS_EXCLUDE, g4,
				    VX_MC_MAX_RECORDS) <= RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN);
	assert_true(vx_mld2_report(buf, 4094, &mac, &ll, VX_MC_IS_EXCLUDE, g6, VX_MC_MAX_RECORDS) <=
		    RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN);
}

static void
parse(const char *name, int version, const char *group, uint32_t max_ms)
{
	uint8_t f[256];
	size_t n = vector(name, f, sizeof(f));
	struct vx_mc_query q;
	char a[INET6_ADDRSTRLEN];

	if (vx_mc_query_parse(f, n, &q) != 0)
		fail_msg("%s: not parsed", name);
	assert_int_equal(q.version, version);
	assert_int_equal(q.max_resp_ms, max_ms);
	assert_int_equal(q.family, strchr(group, ':') != NULL ? AF_INET6 : AF_INET);
	inet_ntop(q.family, q.group.bytes, a, sizeof(a));
	assert_string_equal(a, group);
	assert_int_equal(q.vlan, 0);
}

static void
test_queries(void **state)
{
	parse("q_igmp3_general", 3, "0.0.0.0", 10000);
	parse("q_igmp3_group", 3, "239.1.1.10", 20800);
	parse("q_igmp2_general", 2, "0.0.0.0", 1000);
	parse("q_mld2_general", 2, "::", 1000);
	parse("q_mld2_group", 2, "ff05::100", 0x1001 << 3);
	parse("q_mld1_general", 1, "::", 10000);
}

/* Every single-bit error in a query's IGMP/ICMPv6 part, and every truncation, is refused. */
static void
test_query_refused(void **state)
{
	static const char *const names[] = {"q_igmp3_general", "q_mld2_group"};
	struct vx_mc_query q;
	uint8_t f[256];

	for (size_t k = 0; k < RTE_DIM(names); k++) {
		size_t n = vector(names[k], f, sizeof(f));
		/* IGMP after Ethernet + IPv4 with options; ICMPv6 after IPv6 + hop-by-hop. */
		size_t l4 = k == 0 ? 14 + 24 : 14 + 40 + 8;

		for (size_t i = l4; i < n; i++)
			for (int b = 0; b < 8; b++) {
				f[i] ^= 1u << b;
				if (vx_mc_query_parse(f, n, &q) == 0)
					fail_msg("%s: bit %d of byte %zu flipped, still parsed",
						 names[k], b, i);
				f[i] ^= 1u << b;
			}
		for (size_t len = 0; len < n; len++)
			assert_int_not_equal(vx_mc_query_parse(f, len, &q), 0);
		assert_int_equal(vx_mc_query_parse(f, n, &q), 0);
	}
	/* A report is no query. */
	assert_int_not_equal(vx_mc_query_parse(f, vector("igmp3_join", f, sizeof(f)), &q), 0);
	assert_int_not_equal(vx_mc_query_parse(f, vector("mld2_join", f, sizeof(f)), &q), 0);
}

static void
test_mcast_mac(void **state)
{
	struct rte_ether_addr m;
	struct in6_addr g = v6("ff05::100");

	vx_ip4_mcast_mac(v4("239.129.1.10"), &m); /* the top bit of the second octet goes */
	assert_memory_equal(m.addr_bytes, ((uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x01, 0x0a}), 6);
	vx_nd_mcast_mac(&g, &m);
	assert_memory_equal(m.addr_bytes, ((uint8_t[]){0x33, 0x33, 0x00, 0x00, 0x01, 0x00}), 6);
}

/* VXLAN/IPv4 to dst from 198.51.100.2, UDP 4789, VNI 10, with a minimal inner frame. */
static size_t
vxlan4(uint8_t *b, const char *dst)
{
	uint8_t *ip = b + 14, *uh = ip + 20;
	struct in_addr s = v4("198.51.100.2"), d = v4(dst);

	memset(b, 0, 14 + 20 + 16 + 14);
	vx_ip4_mcast_mac(v4(dst), (struct rte_ether_addr *)b);
	b[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 20 + 16 + 14;
	ip[8] = 1;
	ip[9] = 17;
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &d, 4);
	((struct rte_ipv4_hdr *)ip)->hdr_checksum = rte_ipv4_cksum((void *)ip);
	uh[2] = 4789 >> 8;
	uh[3] = 4789 & 0xff;
	uh[5] = 16 + 14;
	uh[8] = 0x08;
	uh[14] = 10;
	return 14 + 20 + 16 + 14;
}

/* The underlay parser: VXLAN to a joined group is ours (to_group), IGMP and MLD are punted. */
static void
test_parse_group(void **state)
{
	struct vx_local loc = {0};
	struct vx_parsed p;
	uint8_t f[256];
	size_t n;

	loc.n_addr = 1;
	loc.addr[0].ip.family = AF_INET;
	loc.addr[0].ip.v4 = v4("198.51.100.1");
	loc.n_dstport = 1;
	loc.dstport[0] = 4789;
	n = vxlan4(f, "239.1.1.10");
	assert_int_equal(vx_parse_underlay(f, n, n, &loc, 0, &p), VX_PARSE_DROP);
	assert_int_equal(p.drop, VX_DROP_UL_NOT_FOR_US);
	loc.n_group = 2;
	loc.group[0].ip.family = AF_INET6;
	loc.group[1].ip.family = AF_INET;
	loc.group[1].ip.v4 = v4("239.1.1.10");
	assert_int_equal(vx_parse_underlay(f, n, n, &loc, 0, &p), VX_PARSE_OK);
	assert_true(p.to_group);
	assert_int_equal(p.vni, 10);
	n = vxlan4(f, "198.51.100.1");
	assert_int_equal(vx_parse_underlay(f, n, n, &loc, 0, &p), VX_PARSE_OK);
	assert_false(p.to_group);
	n = vxlan4(f, "239.1.1.11");
	assert_int_equal(vx_parse_underlay(f, n, n, &loc, 0, &p), VX_PARSE_DROP);
	assert_int_equal(p.drop, VX_DROP_UL_NOT_FOR_US);
	/* Queries and reports of every kind go to the control thread. */
	{
		static const char *const q[] = {"q_igmp3_general", "q_igmp2_general",
						"q_mld2_group", "igmp3_join", "mld2_join"};

		for (size_t i = 0; i < RTE_DIM(q); i++) {
			n = vector(q[i], f, sizeof(f));
			assert_int_equal(vx_parse_underlay(f, n, n, &loc, 0, &p), VX_PARSE_PUNT);
			assert_int_equal(p.punt, VX_PUNT_MCAST);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_igmp3_reports), cmocka_unit_test(test_mld2_reports),
		cmocka_unit_test(test_report_size),   cmocka_unit_test(test_queries),
		cmocka_unit_test(test_query_refused), cmocka_unit_test(test_mcast_mac),
		cmocka_unit_test(test_parse_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
