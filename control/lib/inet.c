/* SPDX-License-Identifier: BSD-3-Clause */
/* IP and MAC addresses as text, and the address predicates (inet.h). */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <bsd/string.h>

#include "lib/inet.h"

const char *
vx_fmt_ip(const struct vx_ip *ip, char *buf, size_t len)
{
	if (ip->family == AF_INET || ip->family == AF_INET6) {
		if (inet_ntop(ip->family, ip->bytes, buf, len) != NULL)
			return buf;
	}
	strlcpy(buf, "none", len);
	return buf;
}

const char *
vx_fmt_mac(const struct rte_ether_addr *mac, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *a = mac->addr_bytes;
	char s[RTE_ETHER_ADDR_FMT_SIZE];

	/* By hand: `fdb show` and save print a million of these. */
	for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		s[i * 3] = hex[a[i] >> 4];
		s[i * 3 + 1] = hex[a[i] & 0xf];
		s[i * 3 + 2] = i + 1 < RTE_ETHER_ADDR_LEN ? ':' : '\0';
	}
	strlcpy(buf, s, len);
	return buf;
}

bool
vx_ip_is_any(const struct vx_ip *ip)
{
	static const uint8_t zero[16];

	if (ip->family == AF_INET)
		return ip->v4.s_addr == 0;
	if (ip->family == AF_INET6)
		return memcmp(ip->bytes, zero, 16) == 0;
	return true;
}

bool
vx_ip_is_multicast(const struct vx_ip *ip)
{
	if (ip->family == AF_INET)
		return (ip->bytes[0] & 0xf0) == 0xe0;
	if (ip->family == AF_INET6)
		return ip->bytes[0] == 0xff;
	return false;
}

const char *
vx_family_name(uint8_t family)
{
	return family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "none";
}

void
vx_prefix_mask(struct vx_ip *ip, uint8_t plen)
{
	unsigned int bits = ip->family == AF_INET ? 32 : 128;

	for (unsigned int b = plen; b < bits; b++)
		ip->bytes[b / 8] &= ~(0x80 >> (b % 8));
}
