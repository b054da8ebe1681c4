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
 * What the kernel holds on ifindex, into have (sorted): FAB_NEIGH the
 * permanent IPv4 neighbours, FAB_ROUTE the IPv4 routes of the main table
 * through a gateway.
 */
int fab_nl_dump(struct fab_nl *n, int ifindex, enum fab_kind kind, struct fab_set *have);

#endif /* FAB_NL_H */
