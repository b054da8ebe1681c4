/* SPDX-License-Identifier: BSD-3-Clause */
/* VTEP outer-header templates, byte by byte, and the worker's checksum contract. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "underlay/underlay.h"
#include "vx_parse.h"

static const struct rte_ether_addr src_mac = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x01}};
static const struct rte_ether_addr dst_mac = {.addr_bytes = {0x02, 0, 0, 0, 0, 0x02}};

static void
vtep4(struct vx_vtep *vt)
{
	memset(vt, 0, sizeof(*vt));
	vt->local.family = vt->remote.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.1", &vt->local.v4);
	inet_pton(AF_INET, "198.51.100.2", &vt->remote.v4);
	vt->dstport = 4789;
	vt->vni = 10;
}

/* What the worker does (template.c's contract), on a copy of the header. */
static uint16_t
worker_csum(const struct vx_vtep *vt, uint8_t *hdr, uint16_t l3_len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(hdr + vt->l3_off);
	uint32_t sum;

	ip->total_length = htons(l3_len);
	sum = vt->ip_csum_base + ip->total_length;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->hdr_checksum = (uint16_t)~sum;
	return ntohs(ip->hdr_checksum);
}

static void
test_ipv4(void **state)
{
	struct vx_vtep vt;
	struct vx_encap_opt opt = {.df = true}; /* ttl 0 = inherit -> 64 */
	static const uint8_t want[50] = {
		/* Ethernet */
		0x02,
		0,
		0,
		0,
		0,
		0x02,
		0x02,
		0,
		0,
		0,
		0,
		0x01,
		0x08,
		0x00,
		/* IPv4: 45 00 len=0 id=0 DF ttl=64 udp csum=0 src dst */
		0x45,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x40,
		0x00,
		0x40,
		0x11,
		0x00,
		0x00,
		198,
		51,
		100,
		1,
		198,
		51,
		100,
		2,
		/* UDP: sport 0, dport 4789, len 0, csum 0 */
		0x00,
		0x00,
		0x12,
		0xb5,
		0x00,
		0x00,
		0x00,
		0x00,
		/* VXLAN: I flag, VNI 10 */
		0x08,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x0a,
		0x00,
	};
	uint8_t hdr[VX_ENCAP_MAX_LEN];
	struct rte_ipv4_hdr *ip;

	vtep4(&vt);
	vt.flags = VX_VTEP_RESOLVED;
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 0, &opt), 0);
	assert_int_equal(vt.len, 50);
	assert_int_equal(vt.l3_off, 14);
	assert_memory_equal(vt.hdr, want, sizeof(want));
	assert_true(vt.flags & VX_VTEP_RESOLVED); /* left alone */
	assert_false(vt.flags & VX_VTEP_IPV6);
	assert_false(vt.flags & VX_VTEP_UDPCSUM); /* IPv4: zero UDP checksum by default */

	/* 64-byte inner frame: l3_len = 20 + 8 + 8 + 64 = 100; checksum computed by hand. */
	memcpy(hdr, vt.hdr, vt.len);
	assert_int_equal(worker_csum(&vt, hdr, 100), 0xe61e);
	ip = (struct rte_ipv4_hdr *)(hdr + vt.l3_off);
	{
		uint16_t got = ip->hdr_checksum;

		ip->hdr_checksum = 0;
		assert_int_equal(got, rte_ipv4_cksum(ip));
	}
	/* And for a range of lengths, against DPDK's own checksum. */
	for (uint32_t len = 36; len < 65535; len += 997) {
		uint16_t got;

		memcpy(hdr, vt.hdr, vt.len);
		worker_csum(&vt, hdr, len);
		got = ip->hdr_checksum;
		ip->hdr_checksum = 0;
		assert_int_equal(got, rte_ipv4_cksum(ip));
	}
}

static void
test_ipv4_options(void **state)
{
	struct vx_vtep vt;
	struct vx_encap_opt opt = {.ttl = 17, .tos = 0xb8, .udpcsum = true};
	struct rte_ipv4_hdr *ip;

	vtep4(&vt);
	vt.vni = 0xabcdef;
	vt.dstport = 8472;
	assert_int_equal(vx_template_build(&vt, &src_mac, NULL, 0, &opt), 0);
	ip = (struct rte_ipv4_hdr *)(vt.hdr + 14);
	assert_int_equal(ip->time_to_live, 17);
	assert_int_equal(ip->type_of_service, 0xb8);
	assert_int_equal(ip->fragment_offset, 0); /* df unset: kernel default */
	assert_true(rte_is_zero_ether_addr((struct rte_ether_addr *)vt.hdr)); /* unresolved */
	assert_true(vt.flags & VX_VTEP_UDPCSUM);
	assert_int_equal(vt.hdr[36], 8472 >> 8);
	assert_int_equal(vt.hdr[37], 8472 & 0xff);
	assert_int_equal(vt.hdr[46], 0xab);
	assert_int_equal(vt.hdr[47], 0xcd);
	assert_int_equal(vt.hdr[48], 0xef);
	assert_int_equal(vt.hdr[49], 0);
}

static void
test_ipv6_vlan(void **state)
{
	struct vx_vtep vt = {0};
	struct vx_encap_opt opt = {.tos = 0xb8};
	static const uint8_t want[74] = {
		0x02, 0,    0,	  0,	0,    0x02, 0x02, 0,	0,    0,    0,	  0x01,
		0x81, 0x00, 0x00, 0x64, 0x86, 0xdd,		/* 802.1Q VID 100, IPv6 */
		0x6b, 0x80, 0x00, 0x00, 0x00, 0x00, 0x11, 0x40, /* tc 0xb8, plen 0, UDP, hop 64 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0,	  0,	0,    0,    0,	  0,
		0,    0,    0,	  0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0,	  0,
		0,    0,    0,	  0,	0,    0,    0,	  0x02, 0x00, 0x00, 0x12, 0xb5,
		0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
	};

	vt.local.family = vt.remote.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:1::1", &vt.local.v6);
	inet_pton(AF_INET6, "2001:db8:1::2", &vt.remote.v6);
	vt.dstport = 4789;
	vt.vni = 10;
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 100, &opt), 0);
	assert_int_equal(vt.len, 74);
	assert_int_equal(vt.l3_off, 18);
	assert_memory_equal(vt.hdr, want, sizeof(want));
	assert_true(vt.flags & VX_VTEP_IPV6);
	assert_true(vt.flags & VX_VTEP_UDPCSUM); /* IPv6: always, unless udp6zerocsumtx */

	opt.udp6zerocsumtx = true;
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 0, &opt), 0);
	assert_int_equal(vt.len, 70);
	assert_int_equal(vt.l3_off, 14);
	assert_false(vt.flags & VX_VTEP_UDPCSUM);
}

static void
test_family_mismatch(void **state)
{
	struct vx_vtep vt;
	struct vx_encap_opt opt = {0};

	vtep4(&vt);
	vt.local.family = AF_INET6;
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 0, &opt), -EINVAL);
}

static void
test_set_eth(void **state)
{
	struct vx_vtep vt;
	struct vx_encap_opt opt = {0};
	uint8_t frame[128];

	vtep4(&vt);
	assert_int_equal(vx_template_build(&vt, &src_mac, NULL, 0, &opt), 0);
	memcpy(frame, vt.hdr, vt.len);
	vx_template_set_eth(frame, &src_mac, &dst_mac);
	assert_memory_equal(frame, dst_mac.addr_bytes, 6);
	assert_memory_equal(frame + 6, src_mac.addr_bytes, 6);
	assert_memory_equal(frame + 12, vt.hdr + 12, vt.len - 12);
}

/*
 * The UDP checksum contract: udp_csum_base plus the UDP length twice, the
 * source port and the inner frame equals DPDK's checksum of the finished
 * frame, for IPv4 (udpcsum, with and without options-free VLAN) and IPv6.
 */
static void
udp_csum_check(struct vx_vtep *vt)
{
	uint8_t frame[VX_ENCAP_MAX_LEN + 200];
	unsigned int inner_len, k;

	for (inner_len = 14; inner_len <= 200; inner_len += 31) {
		uint8_t *ip = frame + vt->l3_off;
		bool v6 = vt->flags & VX_VTEP_IPV6;
		uint32_t l3_len = v6 ? 40 : 20;
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(ip + l3_len);
		uint16_t ul = (uint16_t)(16 + inner_len);
		uint16_t sport = htons(49152 + inner_len), want, c;
		uint64_t sum;

		memcpy(frame, vt->hdr, vt->len);
		for (k = 0; k < inner_len; k++)
			frame[vt->len + k] = (uint8_t)(k * 37 + inner_len);
		if (v6) {
			((struct rte_ipv6_hdr *)ip)->payload_len = htons(ul);
		} else {
			((struct rte_ipv4_hdr *)ip)->total_length = htons(20 + ul);
		}
		uh->src_port = sport;
		uh->dgram_len = htons(ul);
		uh->dgram_cksum = 0;
		want = v6 ? rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)ip, uh)
			  : rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)ip, uh);
		sum = (uint64_t)vt->udp_csum_base + 2 * vx_cksum_be16(ul) + sport;
		sum = vx_cksum_add(frame + vt->len, inner_len, sum);
		c = (uint16_t)~vx_cksum_fold(sum);
		assert_int_equal(c == 0 ? 0xffff : c, want);
	}
}

static void
test_udp_csum_base(void **state)
{
	struct vx_vtep vt;
	struct vx_encap_opt opt = {.udpcsum = true, .tos = 0x10};

	vtep4(&vt);
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 0, &opt), 0);
	udp_csum_check(&vt);
	vt.vni = 0xabcdef;
	vt.dstport = 8472;
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 30, &opt), 0);
	udp_csum_check(&vt);

	memset(&vt, 0, sizeof(vt));
	vt.local.family = vt.remote.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:1::1", &vt.local.v6);
	inet_pton(AF_INET6, "2001:db8:1::ffff:2", &vt.remote.v6);
	vt.dstport = 4789;
	vt.vni = 0x123456;
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 0, &opt), 0);
	udp_csum_check(&vt);
	assert_int_equal(vx_template_build(&vt, &src_mac, &dst_mac, 100, &opt), 0);
	udp_csum_check(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),	  cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv6_vlan), cmocka_unit_test(test_family_mismatch),
		cmocka_unit_test(test_set_eth),	  cmocka_unit_test(test_udp_csum_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
