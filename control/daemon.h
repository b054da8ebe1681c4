/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_DAEMON_H
#define VX_DAEMON_H

/*
 * The daemon's own pieces, shared by main.c (options, start-up order, the
 * control loop) and ports.c (DPDK ports and packet pools).
 */

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#include "lib/ctl.h"
#include "lib/log.h"

/* Per-port queue layout, decided before the mempool is sized. */
struct vx_port_plan {
	uint16_t nrxq, ntxq;
	uint16_t rxd, txd;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
};

/* The layout of port pid for n_workers workers with rxd/txd descriptors per queue. */
int vx_port_plan(uint16_t pid, uint16_t n_workers, uint16_t rxd, uint16_t txd,
		 struct vx_port_plan *pp);
/* The packet pools of c->dp: nmb packet mbufs (0: sized from the plans) and the header pool. */
int vx_pools_create(struct vx_ctl *c, uint16_t n_workers, const struct vx_port_plan *plan,
		    uint32_t nmb);
void vx_pools_free(struct vx_ctl *c);
/* Configure, start and publish port pid; fills c->port[pid]. */
int vx_port_start(struct vx_ctl *c, uint16_t pid, struct vx_port_plan *pp);
/* Stop and close every started port. */
void vx_ports_stop(struct vx_ctl *c);

#endif /* VX_DAEMON_H */
