/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link's neighbour entries (`vxctl neigh add IP lladdr MAC dev LINK
 * [nud permanent|noarp]`), for ARP/ND suppression: on a `proxy` link an
 * ARP request or NS from an access port is never flooded into the
 * overlay; answer.c answers it from these entries, or it is dropped
 * (proxy-miss; an l3miss event with `l3miss`), as the kernel's vxlan
 * arp_reduce()/neigh_reduce() do.
 *
 * The entries live in the underlay's neighbour table as VX_NEIGH_F_PROXY
 * entries named by the link (n->dev), on port VX_PROXY_PORT (no real
 * port), so the underlay never resolves or probes them.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

#define VX_PROXY_PORT UINT16_MAX

static bool
is_proxy_of(const struct vx_neigh *n, const struct vx_link *l)
{
	return n->id != 0 && (n->flags & VX_NEIGH_F_PROXY) && strcmp(n->dev, l->name) == 0;
}

struct vx_neigh *
vx_proxy_next(struct vx_ctl *c, const struct vx_link *l, uint32_t *pos)
{
	if (c->ul == NULL)
		return NULL;
	for (; *pos < VX_NEIGH_MAX; (*pos)++) {
		struct vx_neigh *n = &c->ul->nt.n[*pos];

		if (is_proxy_of(n, l)) {
			(*pos)++;
			return n;
		}
	}
	return NULL;
}

struct vx_neigh *
vx_proxy_find(struct vx_ctl *c, const struct vx_link *l, const struct vx_ip *ip)
{
	uint32_t pos = 0;
	struct vx_neigh *n;

	while ((n = vx_proxy_next(c, l, &pos)) != NULL)
		if (vx_ip_eq(&n->ip, ip))
			return n;
	return NULL;
}

int
vx_proxy_set(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip,
	     const struct rte_ether_addr *mac, uint8_t state, bool replace)
{
	return vx_neigh_set(&c->ul->nt, VX_PROXY_PORT, ip, mac, state, replace, true, l->name,
			    vx_ul_now(c));
}

void
vx_proxy_del(struct vx_ctl *c, struct vx_neigh *n)
{
	vx_neigh_del(&c->ul->nt, n);
}

unsigned int
vx_proxy_flush(struct vx_ctl *c, struct vx_link *l)
{
	unsigned int n = 0;
	uint32_t pos = 0;
	struct vx_neigh *e;

	while ((e = vx_proxy_next(c, l, &pos)) != NULL) {
		vx_neigh_del(&c->ul->nt, e);
		n++;
	}
	return n;
}

void
vx_proxy_rename(struct vx_ctl *c, struct vx_link *l, const char *name)
{
	uint32_t pos = 0;
	struct vx_neigh *e;

	while ((e = vx_proxy_next(c, l, &pos)) != NULL)
		strlcpy(e->dev, name, sizeof(e->dev));
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
