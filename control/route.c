/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Underlay routes and next-hop resolution for VTEPs.
 *
 * The model is ul->rt[] (one entry per prefix, as `ip route` without
 * metrics); rte_lpm (IPv4) and rte_lpm6 (IPv6) map an address to the
 * index of its longest matching entry. Both are control-thread only: the
 * workers never route, they use each VTEP's template, which
 * vx_ul_vtep_resolve() fills from the route, the source address and the
 * next hop's MAC. Connected routes come from addresses (cmd_addr.c).
 * Any change calls the core's rebuild for every VTEP.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <rte_ethdev.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>

#include "underlay.h"

static uint32_t lpm_serial;

void
vx_prefix_mask(struct vx_ip *ip, uint8_t plen)
{
	unsigned int bits = ip->family == AF_INET ? 32 : 128;

	for (unsigned int b = plen; b < bits; b++)
		ip->bytes[b / 8] &= ~(0x80 >> (b % 8));
}

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

		if (r->used && r->plen == plen && vx_ul_ip_eq(&r->dst, dst))
			return i;
	}
	return -1;
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
	c->ul->rebuild(c, UINT32_MAX);
	return 0;
}

int
vx_route_del(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen, const struct vx_ip *gw)
{
	int i = route_find(c, dst, plen);

	if (i < 0)
		return -ESRCH;
	if (gw != NULL && gw->family != 0 && !vx_ul_ip_eq(gw, &c->ul->rt[i].gw))
		return -ESRCH;
	if (plen == 0)
		;
	else if (dst->family == AF_INET)
		rte_lpm_delete(c->ul->lpm, ntohl(dst->v4.s_addr), plen);
	else
		rte_lpm6_delete(c->ul->lpm6, dst->bytes, plen);
	memset(&c->ul->rt[i], 0, sizeof(c->ul->rt[i]));
	c->ul->rebuild(c, UINT32_MAX);
	return 0;
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

static const char *
prefix_str(const struct vx_route *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int host = r->dst.family == AF_INET ? 32 : 128;

	if (r->plen == 0)
		snprintf(buf, len, "default");
	else if (r->plen == host)
		snprintf(buf, len, "%s", vx_ul_ip_str(&r->dst, a, sizeof(a)));
	else
		snprintf(buf, len, "%s/%u", vx_ul_ip_str(&r->dst, a, sizeof(a)), r->plen);
	return buf;
}

void
vx_route_show(struct vx_ctl *c, int family, unsigned int flags, struct vx_out *o)
{
	bool json = flags & VX_CMD_JSON, first = true;

	if (json)
		vx_out_printf(o, "[");
	for (int fam = 0; fam < 2; fam++) {
		int want = fam == 0 ? AF_INET : AF_INET6;

		if (family != 0 && family != want)
			continue;
		for (int i = 0; i < VX_RT_MAX; i++) {
			const struct vx_route *r = &c->ul->rt[i];
			char p[INET6_ADDRSTRLEN + 8], gw[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
			const char *dev;

			if (!r->used || r->dst.family != want)
				continue;
			prefix_str(r, p, sizeof(p));
			dev = c->port[r->port].name;
			if (json) {
				vx_out_printf(o, "%s{\"dst\":\"%s\"", first ? "" : ",", p);
				if (r->gw.family != 0)
					vx_out_printf(o, ",\"gateway\":\"%s\"",
						      vx_ul_ip_str(&r->gw, gw, sizeof(gw)));
				vx_out_printf(o, ",\"dev\":\"%s\"", dev);
				if (r->connected)
					vx_out_printf(o, ",\"protocol\":\"kernel\"");
				if (r->connected && want == AF_INET)
					vx_out_printf(o, ",\"scope\":\"link\",\"prefsrc\":\"%s\"",
						      vx_ul_ip_str(&r->src, src, sizeof(src)));
				if (want == AF_INET6)
					vx_out_printf(o, ",\"metric\":%u,\"pref\":\"medium\"",
						      r->connected ? 256 : 1024);
				vx_out_printf(o, ",\"flags\":[]}");
				first = false;
				continue;
			}
			vx_out_printf(o, "%s", p);
			if (r->gw.family != 0)
				vx_out_printf(o, " via %s", vx_ul_ip_str(&r->gw, gw, sizeof(gw)));
			vx_out_printf(o, " dev %s", dev);
			if (r->connected)
				vx_out_printf(o, " proto kernel");
			if (want == AF_INET) {
				if (r->connected)
					vx_out_printf(o, " scope link src %s",
						      vx_ul_ip_str(&r->src, src, sizeof(src)));
			} else {
				vx_out_printf(o, " metric %u pref medium",
					      r->connected ? 256 : 1024);
			}
			vx_out_printf(o, "\n");
		}
	}
	if (json)
		vx_out_printf(o, "]\n");
}

int
vx_ul_vtep_resolve(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_encap_opt *opt)
{
	static const struct rte_ether_addr zero;
	const struct vx_route *r;
	const struct vx_ul_addr *src;
	struct vx_neigh *n;
	struct vx_ip nh;
	uint16_t port;
	int ret;

	vt->flags &= ~VX_VTEP_RESOLVED;
	vt->neigh = 0;
	if (c->ul == NULL)
		return -ENETUNREACH; /* underlay not initialised (core-only tests) */
	r = vx_route_lookup(c, &vt->remote);
	if (r == NULL)
		return -ENETUNREACH;
	port = r->port;

	/* Source: the link's `local`, which must be ours; else the route's (as the kernel). */
	if (vt->local.family != 0) {
		src = vx_ul_addr_find(c, &vt->local);
		if (src == NULL)
			return -EADDRNOTAVAIL;
	} else {
		src = r->connected ? vx_ul_addr_find(c, &r->src) : NULL;
		if (src == NULL)
			src = vx_ul_addr_on_port(c, port, vt->remote.family);
		if (src == NULL)
			return -EADDRNOTAVAIL;
		vt->local = src->ip;
	}
	if (vt->local.family != vt->remote.family)
		return -EAFNOSUPPORT;

	nh = r->gw.family != 0 ? r->gw : vt->remote;
	vt->port = port;
	vt->mtu = c->port[port].mtu != 0 ? c->port[port].mtu : 1500;
	n = vx_neigh_resolve(&c->ul->nt, port, &nh, vx_ul_now(c));
	if (n == NULL)
		return -ENOSPC;
	vt->neigh = n->id;
	ret = vx_template_build(vt, &c->port[port].mac, vx_neigh_valid(n) ? &n->mac : &zero,
				c->ul->port_vlan[port], opt);
	if (ret < 0)
		return ret;
	/* Known once per resolution, so the worker need not look at the port per frame. */
	vt->flags &= ~VX_VTEP_TX_CSUM;
	if (c->port[port].tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
		vt->flags |= VX_VTEP_TX_CSUM;
	if (vx_neigh_valid(n))
		vt->flags |= VX_VTEP_RESOLVED;
	return 0;
}
