/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lookups over the core's model: links by name, VNI and bridge domain,
 * the defaults of a link's options, what role a port plays. They read the
 * model only; every other file of the core and the command layer use them.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core/model.h"
#include "lib/out.h"
#include "underlay/underlay.h"
#include "vx_wire.h"

void
vx_link_opt_default(struct vx_link_opt *o)
{
	memset(o, 0, sizeof(*o));
	o->dstport = VX_DEFAULT_DSTPORT;
	o->srcport_min = VX_SRCPORT_MIN;
	o->srcport_max = VX_SRCPORT_MAX;
	o->dev = -1;
	o->ttl = VX_DEFAULT_TTL;
	o->tos = 0;
	o->df = VX_DF_UNSET;
	o->flags = VX_BD_LEARNING;
	o->ageing = VX_DEFAULT_AGEING;
	o->maxaddress = 0;
}

struct vx_link *
vx_link_find(struct vx_ctl *c, const char *name)
{
	if (c->core == NULL)
		return NULL;
	for (unsigned int i = 1; i < VX_MAX_BD; i++) {
		struct vx_link *l = c->core->link[i];

		if (l != NULL && strcmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

struct vx_link *
vx_link_by_vni(struct vx_ctl *c, uint32_t vni)
{
	for (unsigned int i = 1; i < VX_MAX_BD; i++) {
		struct vx_link *l = c->core->link[i];

		if (l != NULL && l->opt.vni == vni)
			return l;
	}
	return NULL;
}

bool
vx_core_name_taken(struct vx_ctl *c, const char *name)
{
	return vx_link_find(c, name) != NULL || vx_port_index(c, name) >= 0;
}

uint8_t
vx_link_opt_family(const struct vx_link_opt *o)
{
	if (o->local.family)
		return o->local.family;
	if (o->remote.family)
		return o->remote.family;
	return o->group.family;
}

unsigned int
vx_link_mtu(struct vx_ctl *c, const struct vx_link *l)
{
	unsigned int m = RTE_ETHER_MTU;

	if (l->opt.dev >= 0 && c->port[l->opt.dev].mtu)
		m = c->port[l->opt.dev].mtu;
	return m - (l->family == AF_INET6 ? VX_ENCAP6_LEN : VX_ENCAP4_LEN);
}

int
vx_core_free_bd(struct vx_ctl *c)
{
	for (unsigned int bd = 1; bd < VX_MAX_BD; bd++)
		if (c->core->link[bd] == NULL)
			return bd;
	return -ENOSPC;
}

bool
vx_core_port_is_access(struct vx_ctl *c, uint16_t port)
{
	if (c->core == NULL || port >= VX_MAX_PORTS)
		return false;
	for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
		if (c->core->access[port][v] != 0)
			return true;
	return false;
}

bool
vx_core_port_is_underlay(struct vx_ctl *c, uint16_t port)
{
	uint16_t fl = 0, vlan = 0;

	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];

		if (l != NULL && l->opt.dev == port)
			return true;
	}
	vx_ul_port_role(c, port, &fl, &vlan);
	return (fl & VX_PORT_UNDERLAY) != 0;
}

unsigned int
vx_core_bd_members(struct vx_ctl *c, uint16_t bd)
{
	unsigned int n = 0;

	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			n += c->core->access[p][v] == bd;
	return n;
}

uint16_t
vx_core_dstports_of(struct vx_ctl *c, uint16_t *ports, const struct vx_link_opt *extra)
{
	uint16_t n = 0;

	for (unsigned int b = 1; b <= VX_MAX_BD; b++) {
		const struct vx_link_opt *o;
		uint16_t i;

		if (b == VX_MAX_BD)
			o = extra;
		else
			o = c->core->link[b] ? &c->core->link[b]->opt : NULL;
		if (o == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (ports[i] == o->dstport)
				break;
		if (i == n && n < VX_MAX_DSTPORTS * 2)
			ports[n++] = o->dstport;
	}
	return n;
}
