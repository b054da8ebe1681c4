/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_PARSE_H
#define VX_PARSE_H

/*
 * Parsers of the underlay side: a frame received on an underlay port is
 * checked in wire order (Ethernet, optional 802.1Q tag, IPv4 or IPv6, UDP,
 * VXLAN, inner Ethernet) and classified as
 *   VX_PARSE_OK    a VXLAN frame to one of our addresses (or a group our
 *                  ports joined: p->to_group) and ports;
 *   VX_PARSE_PUNT  ARP, ICMP/ICMPv6, or IGMP/MLD for the control thread (p->punt);
 *   VX_PARSE_DROP  anything else, with a reason from vx_drop.h (p->drop).
 *
 * They work on a plain buffer (pointer and length), touch no mbuf and need
 * no EAL, so unit tests and fuzzers call them directly. What only the
 * caller knows is left to the caller: the destination MAC (the port's),
 * the VNI -> link mapping and the per-link udp6zerocsumrx flag (parse with
 * VX_PARSE_UDP6_ZCSUM and check p->udp_csum == 0 once the link is known).
 *
 * buf[0..len) must hold at least every header (outer ones and the inner
 * Ethernet header); pkt_len >= len is the length of the whole frame, which
 * is larger than len when the rest lives in further mbuf segments. The
 * software UDP checksum needs the whole datagram: when pkt_len > len it is
 * not verified here and p->l4_csum_todo is set for the caller.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include "vx_drop.h"
#include "vx_tables.h"

enum vx_parse_rc {
	VX_PARSE_OK = 0,
	VX_PARSE_PUNT,
	VX_PARSE_DROP,
};

/* Flags of vx_parse_underlay(). */
#define VX_PARSE_IP_CSUM_OK (1u << 0) /* IPv4 header checksum already verified (hardware) */
#define VX_PARSE_L4_CSUM_OK (1u << 1) /* UDP checksum already verified (hardware) */
#define VX_PARSE_UDP6_ZCSUM (1u << 2) /* accept IPv6 UDP with a zero checksum */

struct vx_parsed {
	uint16_t vlan;	       /* outer 802.1Q VID, 0 = untagged */
	uint16_t ethertype;    /* after the tag, host order */
	uint16_t l3_off;       /* outer IP header (or ARP) */
	uint16_t l4_off;       /* UDP or ICMP header */
	uint32_t ip_len;       /* outer IP packet, header included (frame may be padded) */
	uint16_t inner_off;    /* inner Ethernet frame: l4_off + UDP + VXLAN */
	uint32_t inner_len;    /* bytes of inner frame */
	uint16_t sport, dport; /* UDP ports, host order */
	uint16_t udp_csum;     /* as on the wire; 0 = none */
	uint8_t family;	       /* AF_INET or AF_INET6 (0 for ARP) */
	uint8_t proto;	       /* outer IP protocol / next header */
	uint8_t punt;	       /* enum vx_punt_reason, when VX_PARSE_PUNT */
	uint8_t punt_class;    /* enum vx_punt_class, when VX_PARSE_PUNT */
	uint8_t drop;	       /* enum vx_drop, when VX_PARSE_DROP */
	uint8_t vxlan_flags;   /* first byte of the VXLAN header */
	uint8_t inner_tagged;  /* inner ethertype is 802.1Q or 802.1ad */
	uint8_t l4_csum_todo;  /* non-zero UDP checksum left to the caller (pkt_len > len) */
	uint8_t to_group;      /* the destination is a group of local->group[], not an address */
	uint32_t vni;
	struct vx_ip src, dst; /* outer addresses */
};

/*
 * Parse one underlay frame. local gives our addresses and VXLAN UDP ports;
 * NULL accepts any destination address and UDP port VX_DEFAULT_DSTPORT.
 * Returns enum vx_parse_rc; on VX_PARSE_DROP p->drop says why.
 */
int vx_parse_underlay(const uint8_t *buf, uint32_t len, uint32_t pkt_len,
		      const struct vx_local *local, uint32_t flags, struct vx_parsed *p);

/* Is ip one of local's addresses? */
bool vx_local_has_addr(const struct vx_local *local, const struct vx_ip *ip);

/*
 * Software UDP checksum of a parsed frame held whole in buf (IPv4 or IPv6,
 * checksum field non-zero). True when it is correct.
 */
bool vx_parse_udp_csum_ok(const uint8_t *buf, const struct vx_parsed *p);

/*
 * Internet checksum helpers for the hot path (header-only, no EAL).
 *
 * vx_cksum_add() adds buf[0..len) to an unfolded 64-bit one's complement
 * sum and returns it, for another vx_cksum_add() or vx_cksum_fold(); a
 * term added otherwise goes into the start sum (it may be near 2^64).
 * Words are taken in memory order as rte_raw_cksum does: the folded
 * result equals rte_raw_cksum(buf, len) for a sum started at 0.
 * It adds 8 bytes per step with an end-around carry (2^64 = 1 modulo
 * 2^16 - 1, so a 64-bit one's complement sum folds to the 16-bit one), in
 * two independent chains; DPDK 22.11's rte_raw_cksum goes 2 bytes per
 * step. On x86-64 the 16- and 32-byte blocks are one add-with-carry
 * chain each (inline asm: one adc per 8 bytes, the carry folded back once
 * per block), as the kernel's csum_partial does; C has no way to say
 * "add with the carry of the previous add", and add + adc $0 per word is
 * twice the instructions. Elsewhere vx_cksum_add_c(), the portable loop,
 * which the unit tests check on every machine as well.
 * The last 1..7 bytes of a buffer of 8 bytes or more come from one
 * load of its last 8 bytes, shifted so that the bytes already added drop
 * out and the rest keep their offsets (nothing is read outside buf).
 * buf must start at an even offset of the checksummed data.
 */
static inline uint64_t
vx_cksum_add64(uint64_t sum, uint64_t v)
{
	sum += v;
	return sum + (sum < v); /* add, then adc 0 */
}

/* Buffers under 8 bytes (pseudo-header pieces, constant sizes once inlined). */
static inline uint64_t
vx_cksum_add_short(const uint8_t *p, uint32_t len, uint64_t sum)
{
	uint64_t v = 0;
	uint32_t w;
	uint16_t h;

	if (len >= 4) {
		memcpy(&w, p, 4);
		v = w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		v += h;
		p += 2;
		len -= 2;
	}
	if (len != 0) {
		/* The last odd byte is the first byte of a 16-bit word in memory order. */
		h = 0;
		memcpy(&h, p, 1);
		v += h;
	}
	return vx_cksum_add64(sum, v);
}

/* The last len < 16 bytes at p into sum, s2 joined: the end of a pass. */
static inline uint64_t
vx_cksum_add_end(const uint8_t *p, uint32_t len, uint64_t sum, uint64_t s2)
{
	uint64_t v;

	if (len >= 8) {
		memcpy(&v, p, 8);
		s2 = vx_cksum_add64(s2, v);
		p += 8;
		len -= 8;
	}
	if (len != 0) {
		/* p[0..len) are the top len bytes of the buffer's last 8. */
		memcpy(&v, p + len - 8, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		v >>= 8 * (8 - len);
#else
		v <<= 8 * (8 - len);
#endif
		sum = vx_cksum_add64(sum, v);
	}
	return vx_cksum_add64(sum, s2);
}

/* Portable: two chains of add + carry test, 16 bytes per step. */
static inline uint64_t
vx_cksum_add_c(const void *buf, uint32_t len, uint64_t sum)
{
	const uint8_t *p = (const uint8_t *)buf;
	uint64_t v, s2 = 0;

	if (len < 8)
		return vx_cksum_add_short(p, len, sum);
	for (; len >= 16; len -= 16, p += 16) {
		memcpy(&v, p, 8);
		sum = vx_cksum_add64(sum, v);
		memcpy(&v, p + 8, 8);
		s2 = vx_cksum_add64(s2, v);
	}
	return vx_cksum_add_end(p, len, sum, s2);
}

#if defined(__x86_64__) && defined(__GNUC__)
/* sum + the 16 (or 32) bytes at p: add, adc per word, adc $0 for the last carry. */
static inline uint64_t
vx_cksum_adc16(uint64_t sum, const uint8_t *p)
{
	__asm__("addq 0(%[p]), %[s]\n\t"
		"adcq 8(%[p]), %[s]\n\t"
		"adcq $0, %[s]"
		: [s] "+r"(sum)
		: [p] "r"(p), "m"(*(const uint8_t(*)[16])p)
		: "cc");
	return sum;
}

static inline uint64_t
vx_cksum_adc32(uint64_t sum, const uint8_t *p)
{
	__asm__("addq 0(%[p]), %[s]\n\t"
		"adcq 8(%[p]), %[s]\n\t"
		"adcq 16(%[p]), %[s]\n\t"
		"adcq 24(%[p]), %[s]\n\t"
		"adcq $0, %[s]"
		: [s] "+r"(sum)
		: [p] "r"(p), "m"(*(const uint8_t(*)[32])p)
		: "cc");
	return sum;
}

/* Blocks of 64 bytes as two independent chains (the flags are renamed). */
static inline uint64_t
vx_cksum_add(const void *buf, uint32_t len, uint64_t sum)
{
	const uint8_t *p = (const uint8_t *)buf;
	uint64_t s2 = 0;

	if (len < 8)
		return vx_cksum_add_short(p, len, sum);
	for (; len >= 64; len -= 64, p += 64) {
		sum = vx_cksum_adc32(sum, p);
		s2 = vx_cksum_adc32(s2, p + 32);
	}
	if (len >= 32) {
		sum = vx_cksum_adc32(sum, p);
		p += 32;
		len -= 32;
	}
	if (len >= 16) {
		s2 = vx_cksum_adc16(s2, p);
		p += 16;
		len -= 16;
	}
	return vx_cksum_add_end(p, len, sum, s2);
}
#else
#define vx_cksum_add vx_cksum_add_c
#endif

/*
 * Fold an unfolded sum to 16 bits (not complemented): 64 to 32 bits with
 * an end-around carry, then the high half of x + (x rotated by 16), whose
 * carry out of the low half is the end-around carry of the 16-bit sum.
 * Zero only for a zero sum, as with folding 16 bits at a time.
 */
static inline uint16_t
vx_cksum_fold(uint64_t sum)
{
	uint32_t hi = (uint32_t)(sum >> 32), x = (uint32_t)sum + hi;

	x += x < hi;
	x += (x >> 16) | (x << 16);
	return (uint16_t)(x >> 16);
}

/* A 16-bit value in network order, as a term of a sum in memory-order words. */
static inline uint64_t
vx_cksum_be16(uint16_t host_value)
{
	const uint8_t b[2] = {(uint8_t)(host_value >> 8), (uint8_t)host_value};
	uint16_t h;

	memcpy(&h, b, 2);
	return h;
}

/*
 * The words of an encapsulated frame's UDP checksum that do not change from
 * one frame to the next, folded: the pseudo-header's addresses and protocol,
 * the UDP destination port and the VXLAN header. l3 is the outer IP header
 * of a template (IPv4 with its IHL, or IPv6 without extension headers),
 * followed by UDP and VXLAN. The encap stage adds the UDP length (twice:
 * pseudo-header and header), the source port and the inner frame.
 */
static inline uint32_t
vx_cksum_encap_base(const uint8_t *l3, bool v6)
{
	uint32_t l3_len = v6 ? 40 : (l3[0] & 0xfu) * 4;
	uint64_t sum = vx_cksum_be16(IPPROTO_UDP);

	sum = v6 ? vx_cksum_add(l3 + 8, 32, sum) : vx_cksum_add(l3 + 12, 8, sum);
	sum = vx_cksum_add(l3 + l3_len + 2, 2, sum);
	sum = vx_cksum_add(l3 + l3_len + 8, 8, sum);
	return vx_cksum_fold(sum);
}

/* MAC classes, for learning and flooding. */
static inline bool
vx_mac_is_mcast(const uint8_t *mac)
{
	return mac[0] & 1; /* broadcast included */
}

static inline bool
vx_mac_is_zero(const uint8_t *mac)
{
	return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
}

/* A source MAC that may be learned: not multicast, broadcast or zero. */
static inline bool
vx_mac_src_ok(const uint8_t *mac)
{
	return !vx_mac_is_mcast(mac) && !vx_mac_is_zero(mac);
}

#endif /* VX_PARSE_H */
