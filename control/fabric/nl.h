/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_NL_H
#define FAB_NL_H

/*
 * The kernel's side of the fabric interface (the TAP that vxswitch
 * serves), through rtnetlink with libmnl: its address and MTU, and per
 * other node a permanent neighbour (SUBNET.0 lladdr VTEPMAC) and an onlink
 * route (SUBNET via SUBNET.0). Every call waits for the kernel's answer
 * and returns 0 or its -errno.
 */

#include <stdbool.h>
#include <stdint.h>

#include "fabric/diff.h"

struct mnl_socket;

struct fab_nl {
	struct mnl_socket *nl;
	uint32_t portid, seq;
};

struct fab_ifinfo {
	int ifindex;
	uint8_t mac[6];
	unsigned int mtu;
};

int fab_nl_open(struct fab_nl *n);
void fab_nl_close(struct fab_nl *n);

/* The interface called name: 0, -ENODEV when there is none. */
int fab_nl_link(struct fab_nl *n, const char *name, struct fab_ifinfo *info);
int fab_nl_set_mtu(struct fab_nl *n, int ifindex, unsigned int mtu);
/* Add (or keep) or delete address ip/plen on ifindex. */
int fab_nl_addr(struct fab_nl *n, int ifindex, uint32_t ip, uint8_t plen, bool add);

/* Set (create or replace) or delete one entry of kind FAB_NEIGH or FAB_ROUTE. */
int fab_nl_set(struct fab_nl *n, int ifindex, enum fab_kind kind, const struct fab_ent *e);
int fab_nl_del(struct fab_nl *n, int ifindex, enum fab_kind kind, const struct fab_ent *e);

/*
 * The monitor: a second socket in the groups of links, IPv4 addresses,
 * routes and neighbours, so that the agent learns at once when the kernel
 * dropped entries behind its back (the TAP went down or away, its last
 * address went, someone deleted a route) instead of at its next full
 * reconcile. Non-blocking; n->nl's fd is what the loop waits on.
 */
int fab_nl_monitor_open(struct fab_nl *n);
int fab_nl_fd(const struct fab_nl *n);

#define FAB_NL_LINK    1u /* a link called name changed, came or went */
#define FAB_NL_REMOVED 2u /* a route, neighbour or address of ifindex went (or events were lost) */

/* Read every pending notification: the FAB_NL_* bits of what concerned ifindex or name. */
unsigned int fab_nl_monitor_read(struct fab_nl *n, int ifindex, const char *name);

/*
 * What the kernel holds on ifindex, into have (sorted): FAB_NEIGH the
 * permanent IPv4 neighbours, FAB_ROUTE the IPv4 routes of the main table
 * through a gateway.
 */
int fab_nl_dump(struct fab_nl *n, int ifindex, enum fab_kind kind, struct fab_set *have);

#endif /* FAB_NL_H */
