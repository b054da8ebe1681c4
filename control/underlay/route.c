/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Underlay routes.
 *
 * The model is ul->rt[] (one entry per prefix, as `ip route` without
 * metrics); rte_lpm (IPv4) and rte_lpm6 (IPv6) map an address to the
 * index of its longest matching entry. Both are control-thread only: the
 * workers never route, they use each VTEP's template, which
 * vx_ul_vtep_resolve() (nexthop.c) fills from the route, the source
 * address and the next hop's MAC. Connected routes come from addresses
 * (addr.c). Any change asks the core to resolve every VTEP again.
 *
 * A route via a gateway needs the gateway on a connected network of the
 * route's port, and not one of our addresses, when it is added (as the
 * kernel without onlink) and for as long as it exists: an address change
 * that takes that away takes the route away (vx_route_prune()), so the
 * table never holds a route that `route add` would refuse, and a saved
 * configuration always replays.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <rte_lpm.h>
#include <rte_lpm6.h>

#include "lib/inet.h"
#include "underlay/underlay.h"

static uint32_t lpm_serial;

int
vx_route_init(struct vx_ctl *c)
{
	struct rte_lpm_config cfg4 = {.max_rules = VX_RT_MAX, .number_tbl8s = 256};
	struct rte_lpm6_config cfg6 = {.max_rules = VX_RT_MAX, .number_tbl8s = 1024};
	char name[RTE_LPM_NAMESIZE];
	uint32_t serial = __atomic_fetch_add(&lpm_serial, 1, __ATOMIC_RELAXED);

	snprintf(name, sizeof(name), "vx_rt4_%u", serial);
	c->ul->lpm = rte_lpm_create(name, SOCKET_ID_ANY, &cfg4);
	if (c->ul->lpm == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "vx_rt6_%u", serial);
	c->ul->lpm6 = rte_lpm6_create(name, SOCKET_ID_ANY, &cfg6);
	if (c->ul->lpm6 == NULL) {
		rte_lpm_free(c->ul->lpm);
		c->ul->lpm = NULL;
		return -ENOMEM;
	}
	return 0;
}

void
vx_route_fini(struct vx_ctl *c)
{
	rte_lpm_free(c->ul->lpm);
	rte_lpm6_free(c->ul->lpm6);
	c->ul->lpm = NULL;
	c->ul->lpm6 = NULL;
}

static int
route_find(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen)
{
	for (int i = 0; i < VX_RT_MAX; i++) {
		const struct vx_route *r = &c->ul->rt[i];

		if (r->used && r->plen == plen && vx_ip_eq(&r->dst, dst))
			return i;
	}
	return -1;
}

const struct vx_route *
vx_route_find(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen)
{
	int i = route_find(c, dst, plen);

	return i >= 0 ? &c->ul->rt[i] : NULL;
}

static void
routes_changed(struct vx_ctl *c)
{
	if (c->ul->hooks.nexthop_changed != NULL)
		c->ul->hooks.nexthop_changed(c, UINT32_MAX);
}

int
vx_route_add(struct vx_ctl *c, const struct vx_route *r, bool replace)
{
	int i = route_find(c, &r->dst, r->plen), ret;

	if (i >= 0 && !replace)
		return -EEXIST;
	if (i < 0) {
		for (i = 0; i < VX_RT_MAX && c->ul->rt[i].used; i++)
			;
		if (i == VX_RT_MAX)
			return -ENOSPC;
	}
	/* rte_lpm/lpm6 take depths from 1: default routes are found by route_default(). */
	if (r->plen == 0)
		ret = 0;
	else if (r->dst.family == AF_INET)
		ret = rte_lpm_add(c->ul->lpm, ntohl(r->dst.v4.s_addr), r->plen, i);
	else
		ret = rte_lpm6_add(c->ul->lpm6, r->dst.bytes, r->plen, i);
	if (ret < 0)
		return ret;
	c->ul->rt[i] = *r;
	c->ul->rt[i].used = true;
	routes_changed(c);
	return 0;
}

int
vx_route_del(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen, const struct vx_ip *gw)
{
	int i = route_find(c, dst, plen);

	if (i < 0)
		return -ESRCH;
	if (gw != NULL && gw->family != 0 && !vx_ip_eq(gw, &c->ul->rt[i].gw))
		return -ESRCH;
	if (plen == 0)
		;
	else if (dst->family == AF_INET)
		rte_lpm_delete(c->ul->lpm, ntohl(dst->v4.s_addr), plen);
	else
		rte_lpm6_delete(c->ul->lpm6, dst->bytes, plen);
	memset(&c->ul->rt[i], 0, sizeof(c->ul->rt[i]));
	routes_changed(c);
	return 0;
}

const struct vx_route *
vx_route_connected(struct vx_ctl *c, const struct vx_ip *ip, int port)
{
	const struct vx_route *best = NULL;

	for (int i = 0; i < VX_RT_MAX; i++) {
		const struct vx_route *r = &c->ul->rt[i];
		struct vx_ip net = *ip;

		if (!r->used || !r->connected || r->dst.family != ip->family ||
		    (port >= 0 && r->port != port) || (best != NULL && best->plen >= r->plen))
			continue;
		vx_prefix_mask(&net, r->plen);
		if (vx_ip_eq(&net, &r->dst))
			best = r;
	}
	return best;
}

void
vx_route_prune(struct vx_ctl *c)
{
	for (int i = 0; i < VX_RT_MAX; i++) {
		struct vx_route *r = &c->ul->rt[i];

		if (!r->used || r->connected || r->gw.family == 0)
			continue;
		if (vx_route_connected(c, &r->gw, r->port) != NULL && !vx_ul_is_local(c, &r->gw))
			continue;
		vx_route_del(c, &r->dst, r->plen, NULL);
	}
}

const struct vx_route *
vx_route_lookup(struct vx_ctl *c, const struct vx_ip *ip)
{
	uint32_t nh;
	int ret;

	if (ip->family == AF_INET)
		ret = rte_lpm_lookup(c->ul->lpm, ntohl(ip->v4.s_addr), &nh);
	else if (ip->family == AF_INET6)
		ret = rte_lpm6_lookup(c->ul->lpm6, ip->bytes, &nh);
	else
		return NULL;
	if (ret != 0 || nh >= VX_RT_MAX || !c->ul->rt[nh].used) {
		struct vx_ip any = {.family = ip->family};
		int i = route_find(c, &any, 0);

		return i >= 0 ? &c->ul->rt[i] : NULL;
	}
	return &c->ul->rt[nh];
}
