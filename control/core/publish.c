/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Links and ports published to the dataplane, copy-then-publish: a new
 * struct vx_bd or struct vx_port built from the model, stored with a
 * release store, the old one freed after a grace period (vx_retire). A
 * link's bd carries its flood list and, for `rsc` and `proxy learn`, the
 * map of its neighbour entries (include/vx_nbr.h) in the same allocation.
 * Also the list of UDP ports the links listen on, which the underlay
 * publishes with its addresses in dp->local.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <bsd/string.h>

#include "core/core.h"
#include "underlay/underlay.h"

/* The link's neighbour entries that have a MAC, for its map; none unless rsc or proxy learn. */
static uint32_t
nbr_count(struct vx_ctl *c, uint16_t bd, uint16_t flags)
{
	const struct vx_neigh *e;
	uint32_t pos = 0, n = 0;

	if (!(flags & (VX_BD_RSC | VX_BD_PROXY_LEARN)) || c->core->proxy == NULL)
		return 0;
	while ((e = vx_neigh_next(c->core->proxy, bd, &pos)) != NULL)
		n += vx_neigh_valid(e);
	return n;
}

/* The map of n entries at m (slots zeroed by rte_zmalloc). */
static void
nbr_build(struct vx_ctl *c, uint16_t bd, struct vx_nbr_map *m, uint32_t n)
{
	const struct vx_neigh *e;
	uint32_t pos = 0;

	m->mask = vx_nbr_slots(n) - 1;
	m->seed = (uint32_t)rte_rand();
	while ((e = vx_neigh_next(c->core->proxy, bd, &pos)) != NULL)
		if (vx_neigh_valid(e))
			vx_nbr_insert(m, e->ip.family, e->ip.bytes, &e->mac);
}

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
	size_t sz = RTE_ALIGN_CEIL(sizeof(struct vx_bd) + n_flood * sizeof(uint32_t), 8), msz = 0;
	uint32_t n_nbr;
	struct vx_bd *nb, *old;
	unsigned int n = 0;

	if (c->dp == NULL)
		return 0;
	if (c->core->fail_bd_publish > 0) {
		c->core->fail_bd_publish--;
		return -ENOMEM;
	}
	n_nbr = nbr_count(c, l->bd, opt->flags);
	if (n_nbr != 0)
		msz = sizeof(struct vx_nbr_map) + vx_nbr_slots(n_nbr) * sizeof(struct vx_nbr);
	nb = rte_zmalloc("vx_bd", sz + msz, RTE_CACHE_LINE_SIZE);
	if (nb == NULL)
		return -ENOMEM;
	if (n_nbr != 0) {
		nbr_build(c, l->bd, (struct vx_nbr_map *)((uint8_t *)nb + sz), n_nbr);
		nb->nbr = (const struct vx_nbr_map *)((uint8_t *)nb + sz);
	}
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
	/* The underlay a VXLAN frame of this link must arrive over (decap's vni-underlay). */
	nb->family = l->family;
	if (opt->set & VX_OPT_LOCAL)
		nb->local = opt->local;
	if (l->n_addr != 0)
		nb->flags |= VX_BD_OVL_ADDR;
	if (l->n_mcast != 0)
		nb->flags |= VX_BD_MCAST_FDB;
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
