/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fz_fix_frame() (fuzz_env.h): the lengths and checksums of a mutated frame
 * made right again, so that it gets past the checksum tests to the code
 * behind them. Plain C on a buffer, bounds-checked at every step (the
 * frame is the fuzzer's); sums in network order.
 */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include <rte_ether.h>

#include "fuzz_env.h"

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* One's complement sum of p[0..len) in network order, added to sum (not folded). */
static uint32_t
be_sum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += rd16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Internet checksum of the pseudo-header (family's) and l4[0..len), csum field at csum_off. */
static void
l4_csum(const uint8_t *ip, bool v6, uint8_t proto, uint8_t *l4, uint32_t len, uint32_t csum_off)
{
	uint32_t sum = 0;
	uint16_t ck;

	if (csum_off + 2 > len)
		return;
	wr16(l4 + csum_off, 0);
	if (proto != IPPROTO_ICMP) {
		sum = be_sum(v6 ? ip + 8 : ip + 12, v6 ? 32 : 8, 0);
		sum += proto + (len & 0xffff) + (len >> 16);
	}
	ck = (uint16_t)~fold(be_sum(l4, len, sum));
	if (ck == 0 && proto == IPPROTO_UDP)
		ck = 0xffff;
	wr16(l4 + csum_off, ck);
}

static void fix_frame(uint8_t *f, uint32_t len, int depth);

static void
fix_l4(const uint8_t *ip, bool v6, uint8_t proto, uint8_t *l4, uint32_t len, int depth)
{
	if (proto == IPPROTO_UDP && len >= 8) {
		wr16(l4 + 4, (uint16_t)len);
		/* A VXLAN payload: the inner frame first, then the outer checksum over it. */
		if (depth == 0 && len >= 8 + 8 + RTE_ETHER_HDR_LEN)
			fix_frame(l4 + 16, len - 16, depth + 1);
		if (v6 || rd16(l4 + 6) != 0)
			l4_csum(ip, v6, proto, l4, len, 6);
	} else if (proto == IPPROTO_ICMP) {
		l4_csum(ip, v6, proto, l4, len, 2);
	} else if (proto == IPPROTO_ICMPV6) {
		l4_csum(ip, v6, proto, l4, len, 2);
	}
}

static void
fix_frame(uint8_t *f, uint32_t len, int depth)
{
	uint32_t off = RTE_ETHER_HDR_LEN;
	uint16_t et;

	if (len < off)
		return;
	et = rd16(f + 12);
	if ((et == RTE_ETHER_TYPE_VLAN || et == RTE_ETHER_TYPE_QINQ) && len >= off + 4) {
		et = rd16(f + 16);
		off += 4;
	}
	if (et == RTE_ETHER_TYPE_IPV4 && len >= off + 20) {
		uint8_t *ip = f + off;
		uint32_t hl = (ip[0] & 0xf) * 4u, tl = len - off;

		if (hl < 20 || hl > tl || tl > 0xffff)
			return;
		wr16(ip + 2, (uint16_t)tl);
		if (!(rd16(ip + 6) & 0x3fff)) /* not a fragment */
			fix_l4(ip, false, ip[9], ip + hl, tl - hl, depth);
		wr16(ip + 10, 0);
		wr16(ip + 10, (uint16_t)~fold(be_sum(ip, hl, 0)));
	} else if (et == RTE_ETHER_TYPE_IPV6 && len >= off + 40) {
		uint8_t *ip = f + off;
		uint32_t pl = len - off - 40;

		if (pl > 0xffff)
			return;
		wr16(ip + 4, (uint16_t)pl);
		fix_l4(ip, true, ip[6], ip + 40, pl, depth);
	}
}

void
fz_fix_frame(uint8_t *f, uint32_t len)
{
	fix_frame(f, len, 0);
}
