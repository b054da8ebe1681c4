/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link's neighbour entries (`vxctl neigh add IP lladdr MAC dev LINK
 * [nud permanent|noarp]`), for ARP/ND suppression: on a `proxy` link an
 * ARP request or NS from an access port is never flooded into the
 * overlay; answer.c answers it from these entries, or it is dropped
 * (proxy-miss; an l3miss event with `l3miss`), as the kernel's vxlan
 * arp_reduce()/neigh_reduce() do.
 *
 * With `proxy learn`, ARP replies and NAs that come from the overlay
 * (copied to the control thread by the workers) add or refresh learned
 * entries (STALE), which age after the link's `ageing` seconds without a
 * refresh (vx_proxy_age); a static entry is never replaced by a learned
 * one. Learned entries are neither saved nor kept by `neigh flush`.
 *
 * The entries live in a neighbour table of their own (core->proxy, the
 * state machine of underlay/neigh.c with nothing to send and no timers
 * run), keyed by the link's bridge domain in the port field. So they take
 * nothing from the underlay's table and no flood of underlay ARP can push
 * them out (a full table evicts learned entries, never static ones), and
 * a link's entries follow its name. Links with `rsc` or `proxy learn` get
 * them in their published neighbour map (include/vx_nbr.h): every change
 * republishes the link.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

/* Nothing is ever probed, queued or used as a next hop in the proxy table. */
static void
no_solicit(void *ctx, struct vx_neigh *n, bool unicast)
{
}

static void
no_xmit(void *ctx, struct vx_neigh *n, void *pkt)
{
}

static void
no_changed(void *ctx, struct vx_neigh *n)
{
}

static const struct vx_neigh_ops proxy_ops = {
	.solicit = no_solicit,
	.xmit = no_xmit,
	.drop = no_xmit,
	.changed = no_changed,
};

int
vx_proxy_init(struct vx_ctl *c)
{
	c->core->proxy = malloc(sizeof(*c->core->proxy));
	if (c->core->proxy == NULL)
		return -ENOMEM;
	vx_neigh_tbl_init(c->core->proxy, &proxy_ops, c);
	return 0;
}

struct vx_neigh *
vx_proxy_next(struct vx_ctl *c, const struct vx_link *l, uint32_t *pos)
{
	return vx_neigh_next(c->core->proxy, l->bd, pos);
}

struct vx_neigh *
vx_proxy_find(struct vx_ctl *c, const struct vx_link *l, const struct vx_ip *ip)
{
	return vx_neigh_find(c->core->proxy, l->bd, ip);
}

/* l's entries changed: the workers' map follows, when the link has one. */
static void
changed(struct vx_ctl *c, struct vx_link *l)
{
	if (l->opt.flags & (VX_BD_RSC | VX_BD_PROXY_LEARN))
		vx_core_bd_publish(c, l);
}

static bool
is_static(const struct vx_neigh *n)
{
	return n->state == VX_NUD_PERMANENT || n->state == VX_NUD_NOARP;
}

int
vx_proxy_set(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip,
	     const struct rte_ether_addr *mac, uint8_t state, bool replace)
{
	struct vx_neigh *n = vx_proxy_find(c, l, ip);
	int ret;

	/* A learned entry is no obstacle to adding a static one. */
	ret = vx_neigh_set(c->core->proxy, l->bd, ip, mac, state, replace || (n && !is_static(n)),
			   0);
	if (ret == 0)
		changed(c, l);
	return ret;
}

void
vx_proxy_del(struct vx_ctl *c, struct vx_link *l, struct vx_neigh *n)
{
	vx_neigh_del(c->core->proxy, n);
	changed(c, l);
}

unsigned int
vx_proxy_flush(struct vx_ctl *c, struct vx_link *l)
{
	unsigned int n = 0;
	uint32_t pos = 0;
	struct vx_neigh *e;

	while ((e = vx_proxy_next(c, l, &pos)) != NULL) {
		vx_neigh_del(c->core->proxy, e);
		n++;
	}
	return n;
}

void
vx_proxy_flush_learned(struct vx_ctl *c, struct vx_link *l)
{
	vx_neigh_flush(c->core->proxy, l->bd);
	changed(c, l);
}

void
vx_proxy_learn(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip,
	       const struct rte_ether_addr *mac)
{
	struct vx_neigh *n = vx_proxy_find(c, l, ip);
	uint64_t now = vx_ul_now(c);
	bool moved;

	if (!(l->opt.flags & VX_BD_PROXY_LEARN) || vx_ip_martian(ip, false) ||
	    vx_mac_martian(mac) || rte_is_same_ether_addr(mac, &l->mac) ||
	    vx_host_addr_find(l, ip) >= 0)
		return;
	if (n != NULL && is_static(n)) {
		vx_ctl_count_event(c, VX_EV_NEIGH_STATIC);
		return;
	}
	moved = n == NULL || !rte_is_same_ether_addr(&n->mac, mac);
	if (vx_neigh_set(c->core->proxy, l->bd, ip, mac, VX_NUD_STALE, true, now) < 0)
		return;
	n = vx_proxy_find(c, l, ip);
	/* Aged by vx_proxy_age, after the link's ageing (0: never). */
	n->timer_ms = l->opt.ageing != 0 ? now + (uint64_t)l->opt.ageing * 1000 : 0;
	if (moved) {
		vx_ctl_count_event(c, VX_EV_NEIGH_LEARNED);
		changed(c, l);
	}
}

void
vx_proxy_age(struct vx_ctl *c)
{
	uint64_t now = vx_ul_now(c);

	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &c->core->proxy->n[i];
		struct vx_link *l;

		if (n->id == 0 || is_static(n) || n->timer_ms == 0 || n->timer_ms > now)
			continue;
		l = vx_link_by_bd(c, n->port);
		vx_neigh_del(c->core->proxy, n);
		vx_ctl_count_event(c, VX_EV_NEIGH_AGED);
		if (l != NULL)
			changed(c, l);
	}
}

const struct rte_ether_addr *
vx_proxy_answer(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip)
{
	const struct vx_neigh *n = vx_proxy_find(c, l, ip);
	uint64_t e;

	if (n == NULL) {
		vx_core_miss(c, l, NULL, ip); /* l3miss */
		return NULL;
	}
	/* A host on one of our own ports answers for itself (it got the request). */
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &n->mac), NULL);
	if (e != 0 && !(e & VX_FDB_REMOTE))
		return NULL;
	return &n->mac;
}
