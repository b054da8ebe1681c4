/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Adding and removing the switch's own underlay addresses (`vxctl addr
 * add IP/LEN dev PORT [vlan VID]`, as `ip addr`): the entry in ul->addr[],
 * a connected route per prefix (route.c), a gratuitous ARP or unsolicited
 * NA when an address comes up (and for IPv6 its solicited-node group
 * joined, group.c), and dp->local published again (local.c).
 *
 * When a port gains its first or loses its last address the core is told
 * (hooks.port_changed), and any change of addresses asks it to resolve the
 * VTEPs again.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_malloc.h>

#include "lib/inet.h"
#include "underlay/underlay.h"

/* Connected route for a, unless one exists for its prefix. */
static void
connected_add(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	struct vx_route r = {.connected = true, .plen = a->plen, .port = a->port};
	unsigned int host = a->ip.family == AF_INET ? 32 : 128;

	if (a->plen == host)
		return;
	r.dst = a->ip;
	vx_prefix_mask(&r.dst, a->plen);
	r.src = a->ip;
	if (vx_route_find(c, &r.dst, r.plen) != NULL)
		return;
	vx_route_add(c, &r, false);
}

/* After deleting a: drop its connected route, or hand it to another address. */
static void
connected_del(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	struct vx_ip dst = a->ip;

	vx_prefix_mask(&dst, a->plen);
	for (int i = 0; i < VX_RT_MAX; i++) {
		struct vx_route *r = &c->ul->rt[i];

		if (!r->used || !r->connected || !vx_ip_eq(&r->src, &a->ip))
			continue;
		vx_route_del(c, &r->dst, r->plen, NULL);
	}
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		const struct vx_ul_addr *o = &c->ul->addr[i];
		struct vx_ip od;

		if (!o->used || o->ip.family != a->ip.family || o->plen != a->plen)
			continue;
		od = o->ip;
		vx_prefix_mask(&od, o->plen);
		if (vx_ip_eq(&od, &dst)) {
			connected_add(c, o);
			break;
		}
	}
}

/* A gratuitous ARP (RFC 5227 announcement, as `arping -U`) or an unsolicited NA to ff02::1. */
static void
announce(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	uint16_t vlan = c->ul->port_vlan[a->port];
	const struct rte_ether_addr *mac = &c->port[a->port].mac;
	struct rte_ether_addr all_nodes;
	uint8_t buf[128];
	uint16_t len;

	if (a->ip.family == AF_INET) {
		len = vx_arp_build(buf, RTE_ARP_OP_REQUEST, vlan, &bcast, mac, a->ip.v4, &zero,
				   a->ip.v4);
	} else {
		vx_nd_mcast_mac(&vx_in6_all_nodes, &all_nodes);
		len = vx_nd_build_na(buf, vlan, mac, &all_nodes, &a->ip.v6, &vx_in6_all_nodes,
				     VX_ND_NA_O);
	}
	vx_ul_send(c, a->port, buf, len);
}

/*
 * An IPv6 address's solicited-node group (RFC 4861 7.2.1), joined or left
 * with MLDv2 as a host does: a snooping underlay forwards the NS for the
 * address (sent to that group) only to the ports that reported it.
 */
static void
solicited_node(struct vx_ctl *c, const struct vx_ul_addr *a, bool join)
{
	struct vx_ip snm = {.family = AF_INET6};

	if (a->ip.family != AF_INET6)
		return;
	vx_nd_solicited_node(&a->ip.v6, &snm.v6);
	if (join)
		vx_ul_group_join(c, a->port, &snm);
	else
		vx_ul_group_leave(c, a->port, &snm);
}

static void
addresses_changed(struct vx_ctl *c, uint16_t port, bool port_role_changed)
{
	if (port_role_changed && c->ul->hooks.port_changed != NULL)
		c->ul->hooks.port_changed(c, port);
	vx_ul_local_publish(c);
}

int
vx_ul_addr_add(struct vx_ctl *c, const struct vx_ul_addr *na, uint16_t vlan)
{
	bool first_on_port = !vx_ul_port_has_addr(c, na->port);
	struct vx_ul_addr *a = NULL;

	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++)
		if (!c->ul->addr[i].used) {
			a = &c->ul->addr[i];
			break;
		}
	if (a == NULL)
		return -ENOSPC;
	*a = *na;
	a->used = true;
	c->ul->port_vlan[a->port] = vlan;
	connected_add(c, a);
	vx_route_prune(c); /* a route via this address, now ours, goes */
	addresses_changed(c, a->port, first_on_port);
	solicited_node(c, a, true);
	announce(c, a);
	if (c->ul->hooks.nexthop_changed != NULL)
		c->ul->hooks.nexthop_changed(c, UINT32_MAX);
	return 0;
}

void
vx_ul_addr_del(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	struct vx_ul_addr old = *a;
	bool last_on_port;

	memset((void *)a, 0, sizeof(*a));
	solicited_node(c, &old, false);
	connected_del(c, &old);
	vx_route_prune(c);
	last_on_port = !vx_ul_port_has_addr(c, old.port);
	if (last_on_port)
		c->ul->port_vlan[old.port] = 0;
	addresses_changed(c, old.port, last_on_port);
	if (c->ul->hooks.nexthop_changed != NULL)
		c->ul->hooks.nexthop_changed(c, UINT32_MAX);
}
