/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_SUBNET_H
#define FAB_SUBNET_H

/*
 * The fabric's address plan, as flannel's network config gives it: one
 * IPv4 network cut into equal subnets, one per node. Addresses are kept in
 * host byte order (plain arithmetic); the printers and parsers convert.
 * Pure functions, no I/O: the unit tests call them on plain values.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The network config at PREFIX/config (registry.c parses it). */
struct fab_net {
	uint32_t network;    /* "Network", host order, host bits clear */
	uint8_t plen;	     /* its prefix length */
	uint8_t subnet_len;  /* "SubnetLen" */
	uint32_t subnet_min; /* "SubnetMin": first subnet a node may lease */
	uint32_t subnet_max; /* "SubnetMax": last one */
	uint32_t vni;	     /* "Backend"."VNI" (flannel's default 1) */
	uint16_t port;	     /* "Backend"."Port" (flannel's default 8472) */
};

/* One node's lease: its subnet and its VTEP, as PREFIX/subnets/... says. */
struct fab_lease {
	uint32_t subnet; /* host order */
	uint8_t plen;
	uint32_t public_ip; /* host order */
	uint8_t mac[6];	    /* VtepMAC */
};

static inline bool
fab_lease_eq(const struct fab_lease *a, const struct fab_lease *b)
{
	return a->subnet == b->subnet && a->plen == b->plen && a->public_ip == b->public_ip &&
	       memcmp(a->mac, b->mac, 6) == 0;
}

/* Netmask of a prefix length (0..32), host order. */
static inline uint32_t
fab_mask(uint8_t plen)
{
	return plen == 0 ? 0 : ~0u << (32 - plen);
}

/* "10.5.10.0" <-> host order. Parse: 0 or -EINVAL. */
int fab_ip_parse(const char *s, uint32_t *ip);
const char *fab_ip_fmt(uint32_t ip, char *buf, size_t len);
/* "10.5.0.0/16": 0 or -EINVAL (host bits must be clear unless loose). */
int fab_prefix_parse(const char *s, bool loose, uint32_t *ip, uint8_t *plen);
/* "aa:bb:cc:dd:ee:ff" (lower case) <-> 6 bytes. Parse: 0 or -EINVAL. */
int fab_mac_parse(const char *s, uint8_t mac[6]);
const char *fab_mac_fmt(const uint8_t mac[6], char *buf, size_t len);
/* A station's MAC: not multicast/broadcast, not all-zero. */
bool fab_mac_unicast(const uint8_t mac[6]);
/* A unicast host address a VTEP may have (not 0/8, loopback, multicast, broadcast). */
bool fab_ip_unicast(uint32_t ip);

/*
 * Fill the defaults flannel applies to a config that gave only Network
 * (and maybe SubnetLen, SubnetMin, SubnetMax), then check it: 0 or
 * -EINVAL with the reason in err.
 */
int fab_net_finish(struct fab_net *net, bool have_len, bool have_min, bool have_max, char *err,
		   size_t errlen);

/* Is subnet/plen one that the network config hands out? */
bool fab_subnet_valid(const struct fab_net *net, uint32_t subnet, uint8_t plen);

/* How many subnets lie in [subnet_min, subnet_max]. */
uint32_t fab_subnet_count(const struct fab_net *net);

/*
 * Choose a free subnet: taken[] (any order) are the subnets other leases
 * hold; rnd picks among the free ones (so that nodes starting together
 * rarely try the same one). 0 and *out, or -ENOSPC when every subnet is
 * taken.
 */
int fab_subnet_pick(const struct fab_net *net, const uint32_t *taken, size_t n_taken, uint32_t rnd,
		    uint32_t *out);

#endif /* FAB_SUBNET_H */
