/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay's state (struct vx_ctl_underlay) and life cycle: created
 * empty with its route tables and neighbour table, polled by the control
 * loop (punted frames, neighbour timers, multicast reports), freed with
 * the frames still queued on unresolved neighbours.
 */

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <rte_mbuf.h>

#include "underlay/underlay.h"

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint16_t
eth_tx(struct vx_ctl *c, uint16_t port, struct rte_mbuf **m, uint16_t n)
{
	return vx_ctl_tx(c->dp, port, m, n);
}

int
vx_ul_init(struct vx_ctl *c)
{
	struct vx_ctl_underlay *ul;
	int ret;

	ul = calloc(1, sizeof(*ul));
	if (ul == NULL)
		return -ENOMEM;
	c->ul = ul;
	ul->now_ms = mono_ms;
	ul->tx = eth_tx;
	vx_neigh_tbl_init(&ul->nt, &vx_ul_neigh_ops, c);
	ret = vx_route_init(c);
	if (ret < 0)
		goto err_free;
	ret = vx_ul_local_publish(c);
	if (ret < 0)
		goto err_route;
	return 0;

err_route:
	vx_route_fini(c);
err_free:
	free(ul);
	c->ul = NULL;
	return ret;
}

void
vx_ul_fini(struct vx_ctl *c)
{
	struct vx_ctl_underlay *ul = c->ul;

	if (ul == NULL)
		return;
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &ul->nt.n[i];

		for (uint8_t q = 0; q < n->qlen; q++)
			rte_pktmbuf_free(n->q[q]);
		n->qlen = 0;
	}
	vx_route_fini(c);
	free(ul);
	c->ul = NULL;
}

void
vx_ul_poll(struct vx_ctl *c)
{
	if (c->ul == NULL)
		return;
	vx_punt_poll(c);
	vx_neigh_timer(&c->ul->nt, vx_ul_now(c));
	vx_ul_group_poll(c);
}
