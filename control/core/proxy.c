/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link's neighbour entries (`vxctl neigh add IP lladdr MAC dev LINK
 * [nud permanent|noarp]`), for ARP/ND suppression: on a `proxy` link an
 * ARP request or NS from an access port is never flooded into the
 * overlay; answer.c answers it from these entries, or it is dropped
 * (proxy-miss; an l3miss event with `l3miss`), as the kernel's vxlan
 * arp_reduce()/neigh_reduce() do.
 *
 * The entries live in a neighbour table of their own (core->proxy, the
 * state machine of underlay/neigh.c with nothing to send: every entry is
 * PERMANENT or NOARP), keyed by the link's bridge domain in the port
 * field. So they take nothing from the underlay's table and no flood of
 * underlay ARP can push them out, and a link's entries follow its name.
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

int
vx_proxy_set(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip,
	     const struct rte_ether_addr *mac, uint8_t state, bool replace)
{
	return vx_neigh_set(c->core->proxy, l->bd, ip, mac, state, replace, 0);
}

void
vx_proxy_del(struct vx_ctl *c, struct vx_neigh *n)
{
	vx_neigh_del(c->core->proxy, n);
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

static void
l3miss(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip)
{
	char a[INET6_ADDRSTRLEN];

	if ((l->opt.flags & VX_BD_L3MISS) && vx_ctl_event_wanted(c, "fdb"))
		vx_ctl_event(c, "fdb", "miss %s dev %s\n", vx_fmt_ip(ip, a, sizeof(a)), l->name);
}

const struct rte_ether_addr *
vx_proxy_answer(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip)
{
	const struct vx_neigh *n = vx_proxy_find(c, l, ip);
	uint64_t e;

	if (n == NULL) {
		l3miss(c, l, ip);
		return NULL;
	}
	/* A host on one of our own ports answers for itself (it got the request). */
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &n->mac), NULL);
	if (e != 0 && !(e & VX_FDB_REMOTE))
		return NULL;
	return &n->mac;
}
