/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Next hops of the VTEPs: which port, source address and neighbour a
 * remote VTEP is reached through (vx_ul_vtep_resolve, from the routes; a
 * multicast group goes out of the link's port to the group's MAC),
 * and the neighbour table's work outside itself (struct vx_neigh_ops):
 * ARP requests and NS to resolve a next hop, frames queued while it
 * resolves sent or dropped, and the core told when a next hop's MAC
 * appears, changes or goes (hooks.nexthop_changed), so that it rebuilds
 * the VTEPs' outer headers.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "lib/inet.h"
#include "underlay/underlay.h"
#include "vx_wire.h"

static int
send_arp_request(struct vx_ctl *c, uint16_t port, struct in_addr tpa,
		 const struct rte_ether_addr *unicast)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	const struct vx_ul_addr *src = vx_ul_addr_on_port(c, port, AF_INET);
	uint8_t buf[64];
	uint16_t len;

	if (src == NULL)
		return -EADDRNOTAVAIL;
	len = vx_arp_build(buf, RTE_ARP_OP_REQUEST, c->ul->port_vlan[port],
			   unicast != NULL ? unicast : &bcast, &c->port[port].mac, src->ip.v4,
			   &zero, tpa);
	return vx_ul_send(c, port, buf, len);
}

static int
send_ns(struct vx_ctl *c, uint16_t port, const struct in6_addr *target,
	const struct rte_ether_addr *unicast)
{
	const struct vx_ul_addr *src = vx_ul_addr_on_port(c, port, AF_INET6);
	uint8_t buf[128];
	uint16_t len;

	if (src == NULL)
		return -EADDRNOTAVAIL;
	len = vx_nd_build_ns(buf, c->ul->port_vlan[port], &c->port[port].mac, &src->ip.v6, target,
			     unicast);
	return vx_ul_send(c, port, buf, len);
}

/* ---- the neighbour table's operations ---- */

static void
ops_solicit(void *ctx, struct vx_neigh *n, bool unicast)
{
	struct vx_ctl *c = ctx;

	if (n->ip.family == AF_INET)
		send_arp_request(c, n->port, n->ip.v4, unicast ? &n->mac : NULL);
	else
		send_ns(c, n->port, &n->ip.v6, unicast ? &n->mac : NULL);
}

static void
ops_xmit(void *ctx, struct vx_neigh *n, void *pkt)
{
	struct vx_ctl *c = ctx;
	struct rte_mbuf *m = pkt;

	vx_template_set_eth(rte_pktmbuf_mtod(m, uint8_t *), &c->port[n->port].mac, &n->mac);
	vx_ul_tx_mbuf(c, n->port, m);
}

static void
ops_drop(void *ctx, struct vx_neigh *n, void *pkt)
{
	vx_ctl_count_drop(ctx, VX_DROP_NEIGH_QUEUE, n->port);
	rte_pktmbuf_free(pkt);
}

static void
ops_changed(void *ctx, struct vx_neigh *n)
{
	struct vx_ctl *c = ctx;

	if (c->ul->hooks.nexthop_changed != NULL)
		c->ul->hooks.nexthop_changed(c, n->id);
}

const struct vx_neigh_ops vx_ul_neigh_ops = {
	.solicit = ops_solicit,
	.xmit = ops_xmit,
	.drop = ops_drop,
	.changed = ops_changed,
};

/* ---- VTEPs ---- */

const struct vx_ul_addr *
vx_route_src(struct vx_ctl *c, const struct vx_route *r, int family)
{
	const struct vx_ul_addr *src = r->connected ? vx_ul_addr_find(c, &r->src) : NULL;

	return src != NULL ? src : vx_ul_addr_on_port(c, r->port, family);
}

/* The source address of vt: the link's `local`, which must be ours, else the route's. */
static const struct vx_ul_addr *
vtep_src(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_route *r)
{
	if (vt->local.family != 0)
		return vx_ul_addr_find(c, &vt->local);
	return vx_route_src(c, r, vt->remote.family);
}

/* Known once per resolution, so the worker need not look at the port per frame. */
static void
vtep_tx_csum(struct vx_ctl *c, struct vx_vtep *vt)
{
	vt->flags &= ~VX_VTEP_TX_CSUM;
	if (c->port[vt->port].tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
		vt->flags |= VX_VTEP_TX_CSUM;
}

/*
 * A multicast group (a link's `group`): out of vt->port (the link's dev),
 * from the link's `local` or the port's address, to the group's Ethernet
 * address. No route, no next hop: resolved at once.
 */
static int
vtep_resolve_group(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_encap_opt *opt)
{
	const struct vx_ul_addr *src;
	struct rte_ether_addr dst;
	int ret;

	if (vt->port >= VX_MAX_PORTS || !c->port[vt->port].present)
		return -ENETUNREACH;
	src = vt->local.family != 0 ? vx_ul_addr_find(c, &vt->local)
				    : vx_ul_addr_on_port(c, vt->port, vt->remote.family);
	if (src == NULL)
		return -EADDRNOTAVAIL;
	vt->local = src->ip;
	if (vt->remote.family == AF_INET)
		vx_ip4_mcast_mac(vt->remote.v4, &dst);
	else
		vx_nd_mcast_mac(&vt->remote.v6, &dst);
	vt->mtu = c->port[vt->port].mtu != 0 ? c->port[vt->port].mtu : RTE_ETHER_MTU;
	ret = vx_template_build(vt, &c->port[vt->port].mac, &dst, c->ul->port_vlan[vt->port], opt);
	if (ret < 0)
		return ret;
	vtep_tx_csum(c, vt);
	vt->flags |= VX_VTEP_RESOLVED;
	return 0;
}

int
vx_ul_vtep_resolve(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_encap_opt *opt, bool lazy)
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
		return -ENETUNREACH; /* a core without an underlay (grammar tests) */
	if (vx_ip_is_multicast(&vt->remote))
		return vtep_resolve_group(c, vt, opt);
	r = vx_route_lookup(c, &vt->remote);
	if (r == NULL)
		return -ENETUNREACH;
	port = r->port;
	src = vtep_src(c, vt, r);
	if (src == NULL)
		return -EADDRNOTAVAIL;
	vt->local = src->ip;
	if (vt->local.family != vt->remote.family)
		return -EAFNOSUPPORT;

	nh = r->gw.family != 0 ? r->gw : vt->remote;
	vt->port = port;
	vt->mtu = c->port[port].mtu != 0 ? c->port[port].mtu : RTE_ETHER_MTU;
	if (lazy) {
		/* A next hop that exists is used; none is created (nor probed) before traffic. */
		n = vx_neigh_find(&c->ul->nt, port, &nh);
		if (n != NULL)
			vx_neigh_hold(n);
	} else {
		n = vx_neigh_resolve(&c->ul->nt, port, &nh, vx_ul_now(c));
		if (n == NULL)
			return -ENOSPC;
	}
	vt->neigh = n != NULL ? n->id : 0;
	ret = vx_template_build(vt, &c->port[port].mac,
				n != NULL && vx_neigh_valid(n) ? &n->mac : &zero,
				c->ul->port_vlan[port], opt);
	if (ret < 0)
		return ret;
	vtep_tx_csum(c, vt);
	if (n != NULL && vx_neigh_valid(n))
		vt->flags |= VX_VTEP_RESOLVED;
	return 0;
}

void
vx_ul_vtep_release(struct vx_ctl *c, const struct vx_vtep *vt)
{
	if (c->ul != NULL && vt != NULL && vt->neigh != 0)
		vx_neigh_release(&c->ul->nt, vt->neigh, vx_ul_now(c));
}

/* vt has no next hop yet (resolved lazily): its route's, created and resolved now. */
static struct vx_neigh *
nexthop_now(struct vx_ctl *c, const struct vx_vtep *vt)
{
	const struct vx_route *r = vx_route_lookup(c, &vt->remote);
	struct vx_ip nh;

	if (r == NULL || r->port != vt->port)
		return NULL;
	nh = r->gw.family != 0 ? r->gw : vt->remote;
	return vx_neigh_resolve(&c->ul->nt, r->port, &nh, vx_ul_now(c));
}

void
vx_ul_queue_unresolved(struct vx_ctl *c, const struct vx_vtep *vt, struct rte_mbuf *m)
{
	struct vx_neigh *n = vx_neigh_get(&c->ul->nt, vt->neigh);
	uint32_t temp = 0;

	if (n == NULL && vt->neigh == 0) {
		/* The first frame for a VTEP resolved lazily: resolve its next hop now. */
		n = nexthop_now(c, vt);
		temp = n != NULL ? n->id : 0;
	}
	if (n == NULL || n->port != vt->port) {
		vx_ctl_count_drop(c, VX_DROP_NO_ROUTE, vt->port);
		rte_pktmbuf_free(m);
		return;
	}
	vx_ctl_count_event(c, VX_EV_UNRESOLVED);
	vx_neigh_enqueue(&c->ul->nt, n, m, vx_ul_now(c));
	if (temp != 0) {
		/* The VTEP takes its own reference on the next hop; ours goes. */
		if (c->ul->hooks.vtep_wanted != NULL)
			c->ul->hooks.vtep_wanted(c, vt->idx);
		vx_neigh_release(&c->ul->nt, temp, vx_ul_now(c));
	}
}

bool
vx_ul_frame_of_vtep(const struct vx_vtep *vt, struct rte_mbuf *m)
{
	const uint8_t *f;
	const uint8_t *want;
	uint16_t dst_off, alen;

	if (rte_pktmbuf_data_len(m) < vt->len)
		return false;
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	if (vt->flags & VX_VTEP_IPV6) {
		dst_off = vt->l3_off + offsetof(struct rte_ipv6_hdr, dst_addr);
		alen = 16;
	} else {
		dst_off = vt->l3_off + offsetof(struct rte_ipv4_hdr, dst_addr);
		alen = 4;
	}
	want = vt->hdr;
	/* The outer destination address, the UDP destination port and the VNI of vt's header. */
	return memcmp(f + dst_off, want + dst_off, alen) == 0 &&
	       memcmp(f + vt->len - VX_VXLAN_HLEN - VX_UDP_HLEN + 2,
		      want + vt->len - VX_VXLAN_HLEN - VX_UDP_HLEN + 2, 2) == 0 &&
	       memcmp(f + vt->len - 4, want + vt->len - 4, 3) == 0;
}
