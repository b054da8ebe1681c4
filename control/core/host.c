/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch as an IP host inside a link (`vxctl addr add IP/LEN dev
 * LINK`): up to VX_HOST_ADDR_MAX addresses per link, answered with the
 * link's own MAC. With an address the link is published with
 * VX_BD_OVL_ADDR, so the workers punt ARP requests and NS of the link to
 * the control thread (a copy: other hosts may own the address asked for)
 * and hand over every frame to the link's MAC (echo requests, unicast
 * ARP/NS). answer.c answers them, from access ports and remote VTEPs
 * alike.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_ip.h>

#include "core/core.h"
#include "lib/inet.h"

int
vx_host_addr_find(const struct vx_link *l, const struct vx_ip *ip)
{
	for (int i = 0; i < l->n_addr; i++)
		if (vx_ip_eq(&l->addr[i].ip, ip))
			return i;
	return -1;
}

struct vx_link *
vx_host_addr_owner(struct vx_ctl *c, const struct vx_ip *ip)
{
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];

		if (l != NULL && vx_host_addr_find(l, ip) >= 0)
			return l;
	}
	return NULL;
}

int
vx_host_addr_add(struct vx_ctl *c, struct vx_link *l, const struct vx_host_addr *a,
		 struct vx_out *out)
{
	if (l->n_addr == VX_HOST_ADDR_MAX)
		return vx_err(out, -ENOSPC, "%s: at most %d addresses per link", l->name,
			      VX_HOST_ADDR_MAX);
	l->addr[l->n_addr++] = *a;
	if (vx_core_bd_publish(c, l) < 0) {
		l->n_addr--;
		return vx_err(out, -ENOMEM, "out of memory");
	}
	return 0;
}

void
vx_host_addr_del(struct vx_ctl *c, struct vx_link *l, int idx)
{
	memmove(&l->addr[idx], &l->addr[idx + 1], (l->n_addr - idx - 1) * sizeof(l->addr[0]));
	l->n_addr--;
	vx_core_bd_publish(c, l);
}

bool
vx_host_echo(const struct vx_link *l, uint8_t *f, uint16_t len)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	struct vx_ip dst = {0};

	if (len < sizeof(*eh) + sizeof(struct rte_ipv4_hdr))
		return false;
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		dst.family = AF_INET;
		memcpy(&dst.v4, &((const struct rte_ipv4_hdr *)(eh + 1))->dst_addr, 4);
	} else if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
		   len >= sizeof(*eh) + sizeof(struct rte_ipv6_hdr)) {
		dst.family = AF_INET6;
		memcpy(&dst.v6, ((const struct rte_ipv6_hdr *)(eh + 1))->dst_addr, 16);
	} else {
		return false;
	}
	if (vx_host_addr_find(l, &dst) < 0 || vx_icmp_echo_reply(f, len, NULL) != 0)
		return false;
	/* The link's MAC as the source, whatever the request was sent to. */
	rte_ether_addr_copy(&l->mac, &((struct rte_ether_hdr *)f)->src_addr);
	return true;
}
