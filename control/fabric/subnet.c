/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fabric's address plan: see subnet.h.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "fabric/subnet.h"

int
fab_ip_parse(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

const char *
fab_ip_fmt(uint32_t ip, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

int
fab_prefix_parse(const char *s, bool loose, uint32_t *ip, uint8_t *plen)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/'), *errstr;
	long long len;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	len = strtonum(slash + 1, 0, 32, &errstr);
	if (errstr != NULL || fab_ip_parse(addr, ip) < 0)
		return -EINVAL;
	if (!loose && (*ip & ~fab_mask(len)) != 0)
		return -EINVAL;
	*ip &= fab_mask(len);
	*plen = len;
	return 0;
}

int
fab_mac_parse(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = strtoul(s + i * 3, NULL, 16);
	return 0;
}

const char *
fab_mac_fmt(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}

bool
fab_mac_unicast(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return (mac[0] & 1) == 0 && memcmp(mac, zero, 6) != 0;
}

bool
fab_ip_unicast(uint32_t ip)
{
	uint8_t a = ip >> 24;

	return a != 0 && a != 127 && a < 224;
}

int
fab_net_finish(struct fab_net *net, bool have_len, bool have_min, bool have_max, char *err,
	       size_t errlen)
{
	uint32_t size, net_end;

	if (net->plen > 28) {
		snprintf(err, errlen, "Network /%u is too small (at most /28)", net->plen);
		return -EINVAL;
	}
	if (!have_len)
		net->subnet_len = net->plen <= 22 ? 24 : net->plen + 2;
	if (net->subnet_len <= net->plen || net->subnet_len > 30) {
		snprintf(err, errlen,
			 "SubnetLen %u: must be longer than the Network's /%u, at most 30",
			 net->subnet_len, net->plen);
		return -EINVAL;
	}
	size = 1u << (32 - net->subnet_len);
	net_end = net->network | ~fab_mask(net->plen);
	/* flannel never hands out the network's first subnet (its .0 is the network's). */
	if (!have_min)
		net->subnet_min = net->network + size;
	if (!have_max)
		net->subnet_max = net_end - size + 1;
	if ((net->subnet_min & fab_mask(net->plen)) != net->network ||
	    (net->subnet_max & fab_mask(net->plen)) != net->network) {
		snprintf(err, errlen, "SubnetMin/SubnetMax outside the Network");
		return -EINVAL;
	}
	if ((net->subnet_min & (size - 1)) != 0 || (net->subnet_max & (size - 1)) != 0) {
		snprintf(err, errlen, "SubnetMin/SubnetMax not on a /%u boundary", net->subnet_len);
		return -EINVAL;
	}
	if (net->subnet_min > net->subnet_max) {
		snprintf(err, errlen, "SubnetMin is above SubnetMax");
		return -EINVAL;
	}
	return 0;
}

bool
fab_subnet_valid(const struct fab_net *net, uint32_t subnet, uint8_t plen)
{
	return plen == net->subnet_len && (subnet & ~fab_mask(plen)) == 0 &&
	       subnet >= net->subnet_min && subnet <= net->subnet_max;
}

uint32_t
fab_subnet_count(const struct fab_net *net)
{
	return ((net->subnet_max - net->subnet_min) >> (32 - net->subnet_len)) + 1;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
fab_subnet_pick(const struct fab_net *net, const uint32_t *taken, size_t n_taken, uint32_t rnd,
		uint32_t *out)
{
	uint32_t total = fab_subnet_count(net), size = 1u << (32 - net->subnet_len);
	uint32_t n_in = 0, n_free, want, *t;
	size_t i, k = 0;

	t = reallocarray(NULL, n_taken == 0 ? 1 : n_taken, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	/* The distinct taken subnets that the config hands out, sorted. */
	for (i = 0; i < n_taken; i++)
		if (fab_subnet_valid(net, taken[i], net->subnet_len))
			t[n_in++] = taken[i];
	qsort(t, n_in, sizeof(*t), cmp_u32);
	for (i = 0, k = 0; i < n_in; i++)
		if (k == 0 || t[k - 1] != t[i])
			t[k++] = t[i];
	n_free = total - k;
	if (n_free == 0) {
		free(t);
		return -ENOSPC;
	}
	/* The want-th free subnet: walk the sorted taken list beside the range. */
	want = rnd % n_free;
	*out = net->subnet_min + want * size;
	for (i = 0; i < k && t[i] <= *out; i++)
		*out += size;
	free(t);
	return 0;
}
