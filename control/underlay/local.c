/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch's own underlay addresses as the rest of the underlay asks
 * about them (which address, on which port, is an address ours), the role
 * they give a port, and dp->local: the workers' view of our addresses, the
 * multicast groups our ports joined and the UDP ports the links listen on.
 * It reads ul->addr[] and ul->group[]; addr.c and group.c change them and
 * publish again through here.
 *
 * A port with an address is an underlay port: its role and VLAN are what
 * vx_ul_port_role() tells the core's port publication.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_malloc.h>

#include "lib/inet.h"
#include "underlay/underlay.h"

const struct vx_ul_addr *
vx_ul_addr_find(struct vx_ctl *c, const struct vx_ip *ip)
{
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++)
		if (c->ul->addr[i].used && vx_ip_eq(&c->ul->addr[i].ip, ip))
			return &c->ul->addr[i];
	return NULL;
}

const struct vx_ul_addr *
vx_ul_addr_on_port(struct vx_ctl *c, uint16_t port, int family)
{
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		const struct vx_ul_addr *a = &c->ul->addr[i];

		if (a->used && a->port == port && a->ip.family == family)
			return a;
	}
	return NULL;
}

bool
vx_ul_port_has_addr(struct vx_ctl *c, uint16_t port)
{
	return vx_ul_addr_on_port(c, port, AF_INET) != NULL ||
	       vx_ul_addr_on_port(c, port, AF_INET6) != NULL;
}

bool
vx_ul_is_local(struct vx_ctl *c, const struct vx_ip *ip)
{
	return c->ul != NULL && vx_ul_addr_find(c, ip) != NULL;
}

void
vx_ul_port_role(struct vx_ctl *c, uint16_t port, uint16_t *flags, uint16_t *underlay_vlan)
{
	if (c->ul != NULL && port < VX_MAX_PORTS && vx_ul_port_has_addr(c, port)) {
		*flags |= VX_PORT_UNDERLAY;
		*underlay_vlan = c->ul->port_vlan[port];
	} else {
		*flags &= ~VX_PORT_UNDERLAY;
		*underlay_vlan = 0;
	}
}

int
vx_ul_local_publish(struct vx_ctl *c)
{
	struct vx_local *nl, *old;

	if (c->dp == NULL)
		return 0;
	nl = rte_zmalloc("vx_local", sizeof(*nl), 0);
	if (nl == NULL)
		return -ENOMEM;
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		if (!c->ul->addr[i].used)
			continue;
		nl->addr[nl->n_addr].ip = c->ul->addr[i].ip;
		nl->addr[nl->n_addr].port = c->ul->addr[i].port;
		nl->n_addr++;
	}
	for (int i = 0; i < VX_MAX_GROUPS; i++) {
		const struct vx_ul_group *g = &c->ul->group[i];

		if (!g->used || g->refs == 0)
			continue;
		nl->group[nl->n_group].ip = g->ip;
		nl->group[nl->n_group].port = g->port;
		nl->n_group++;
	}
	nl->n_dstport = c->ul->n_dstport;
	memcpy(nl->dstport, c->ul->dstport, sizeof(nl->dstport));
	old = c->dp->local;
	vx_publish(c->dp->local, nl);
	if (old != NULL)
		vx_retire(c->dp, old);
	return 0;
}

void
vx_ul_set_dstports(struct vx_ctl *c, const uint16_t *ports, uint16_t n)
{
	if (c->ul == NULL)
		return;
	if (n > VX_MAX_DSTPORTS)
		n = VX_MAX_DSTPORTS;
	memset(c->ul->dstport, 0, sizeof(c->ul->dstport));
	memcpy(c->ul->dstport, ports, n * sizeof(ports[0]));
	c->ul->n_dstport = n;
	vx_ul_local_publish(c);
}
