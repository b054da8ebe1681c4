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
	char s[18];

	/* By hand: `fdb show` and `save` format every entry of a big table. */
	for (unsigned int i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		s[3 * i] = hex[a[i] >> 4];
		s[3 * i + 1] = hex[a[i] & 15];
		s[3 * i + 2] = i + 1 < RTE_ETHER_ADDR_LEN ? ':' : '\0';
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

bool
vx_ip_martian(const struct vx_ip *ip, bool any_ok)
{
	static const uint8_t loop6[16] = {[15] = 1};

	if (ip->family == AF_INET) {
		if (ip->v4.s_addr == 0)
			return !any_ok;
		return ip->bytes[0] == 127 || vx_ip_is_multicast(ip) ||
		       ip->v4.s_addr == 0xffffffffu;
	}
	if (ip->family == AF_INET6) {
		if (vx_ip_is_any(ip))
			return !any_ok;
		return vx_ip_is_multicast(ip) || memcmp(ip->bytes, loop6, 16) == 0;
	}
	return true;
}

bool
vx_mac_martian(const struct rte_ether_addr *mac)
{
	return rte_is_multicast_ether_addr(mac) || rte_is_zero_ether_addr(mac);
}
