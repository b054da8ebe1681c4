/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Links and ports published to the dataplane, copy-then-publish: a new
 * struct vx_bd or struct vx_port built from the model, stored with a
 * release store, the old one freed after a grace period (vx_retire).
 * Also the list of UDP ports the links listen on, which the underlay
 * publishes with its addresses in dp->local.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <bsd/string.h>

#include "core/core.h"
#include "underlay/underlay.h"

/*
 * Storm control's GCRA parameters (dataplane/flood.c): the link's rate is
 * split evenly over the workers, so each lets through one BUM frame per
 * n_workers / rate seconds, with a burst of up to VX_BUM_BURST frames (at
 * most one second's worth of its share).
 */
static void
bum_params(const struct vx_dp *dp, uint32_t rate, struct vx_bd *nb)
{
	uint64_t nw = dp->n_workers != 0 ? dp->n_workers : 1, burst;

	if (rate == 0)
		return;
	nb->bum_interval = RTE_MAX(rte_get_tsc_hz() * nw / rate, (uint64_t)1);
	burst = RTE_MIN(RTE_MAX(rate / nw, (uint64_t)1), (uint64_t)VX_BUM_BURST);
	nb->bum_tau = (burst - 1) * nb->bum_interval;
}

int
vx_core_bd_publish_as(struct vx_ctl *c, const struct vx_link *l, const struct vx_link_opt *opt,
		      const struct vx_flood_ent *flood, uint16_t n_flood)
{
	struct vx_bd *nb, *old;
	unsigned int n = 0;

	if (c->dp == NULL)
		return 0;
	if (c->core->fail_bd_publish > 0) {
		c->core->fail_bd_publish--;
		return -ENOMEM;
	}
	nb = rte_zmalloc("vx_bd", sizeof(*nb) + n_flood * sizeof(uint32_t), RTE_CACHE_LINE_SIZE);
	if (nb == NULL)
		return -ENOMEM;
	nb->bd = l->bd;
	nb->flags = opt->flags;
	nb->vni = opt->vni;
	nb->dstport = opt->dstport;
	nb->srcport_min = opt->srcport_min;
	nb->srcport_max = opt->srcport_max;
	nb->epoch = l->epoch;
	nb->ageing = opt->ageing;
	nb->maxaddress = opt->maxaddress;
	bum_params(c->dp, opt->bum_rate, nb);
	nb->mac = l->mac;
	if (l->n_addr != 0)
		nb->flags |= VX_BD_OVL_ADDR;
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			if (c->core->access[p][v] == l->bd && n < RTE_DIM(nb->members)) {
				nb->members[n].port = p;
				nb->members[n].vlan = v;
				n++;
			}
	nb->n_members = n;
	for (unsigned int i = 0; i < n_flood; i++)
		nb->flood[i] = flood[i].vtep;
	nb->n_flood = n_flood;
	old = c->dp->bd[l->bd];
	vx_publish(c->dp->bd[l->bd], nb);
	vx_retire(c->dp, old);
	return 0;
}

int
vx_core_bd_publish(struct vx_ctl *c, struct vx_link *l)
{
	return vx_core_bd_publish_as(c, l, &l->opt, l->flood, l->n_flood);
}

void
vx_core_port_publish(struct vx_ctl *c, uint16_t port)
{
	struct vx_ctl_port *cp = &c->port[port];
	struct vx_port *np, *old;
	uint16_t fl = 0, vlan = 0;

	if (c->dp == NULL || port >= VX_MAX_PORTS || !cp->present)
		return;
	np = rte_zmalloc("vx_port", sizeof(*np), RTE_CACHE_LINE_SIZE);
	if (np == NULL)
		return;
	vx_ul_port_role(c, port, &fl, &vlan);
	np->port_id = cp->port_id;
	np->flags = fl;
	np->underlay_vlan = vlan;
	np->mtu = cp->mtu ? cp->mtu : RTE_ETHER_MTU;
	np->mac = cp->mac;
	strlcpy(np->name, cp->name, sizeof(np->name));
	memcpy(np->vlan_bd, c->core->access[port], sizeof(np->vlan_bd));
	if (vx_core_port_is_access(c, port))
		np->flags |= VX_PORT_ACCESS;
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL && c->core->link[b]->opt.dev == port)
			np->flags |= VX_PORT_UNDERLAY;
	old = c->dp->port[port];
	vx_publish(c->dp->port[port], np);
	vx_retire(c->dp, old);
}

void
vx_core_dstports(struct vx_ctl *c)
{
	uint16_t ports[VX_MAX_DSTPORTS * 2];
	uint16_t n = vx_core_dstports_of(c, ports, NULL);

	if (c->dp != NULL)
		vx_ul_set_dstports(c, ports, RTE_MIN(n, VX_MAX_DSTPORTS));
}

int
vx_core_link_new_epoch(struct vx_ctl *c, struct vx_link *l)
{
	uint32_t old = l->epoch;
	int ret;

	l->epoch = ++c->core->epoch;
	ret = vx_core_bd_publish(c, l);
	if (ret < 0)
		l->epoch = old;
	return ret;
}
