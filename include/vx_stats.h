/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_STATS_H
#define VX_STATS_H

/*
 * Counters. Each worker owns one struct vx_lcore_stats and is its only
 * writer: plain increments, no atomics, one cache-aligned block per lcore.
 * Readers (the control thread, `vxctl stats`) sum the blocks; a sum may be
 * a few packets behind, never torn on 64-bit loads.
 *
 * The control thread has its own block (index VX_MAX_WORKERS) for what it
 * drops or sends itself (punt handling, next-hop queues).
 */

#include <stdint.h>
#include <rte_common.h>

#include "vx_drop.h"
#include "vx_limits.h"

struct vx_port_stats {
	uint64_t rx_pkts, rx_bytes;
	uint64_t tx_pkts, tx_bytes;
	uint64_t drops; /* drops attributed to this port, any reason */
};

struct vx_bd_stats {
	uint64_t decap_pkts, decap_bytes; /* from the overlay into this link */
	uint64_t encap_pkts, encap_bytes; /* into the overlay from this link */
	uint64_t local_pkts;		  /* switched access to access */
	uint64_t flood_pkts;		  /* BUM frames (before replication) */
	uint64_t drops;
};

struct vx_lcore_stats {
	uint64_t drop[VX_DROP_MAX];
	uint64_t event[VX_EV_MAX];
	struct vx_port_stats port[VX_MAX_PORTS];
	uint64_t loops;	    /* iterations of the poll loop */
	uint64_t busy_tsc;  /* TSC cycles spent in iterations that got packets */
	uint64_t busy_pkts; /* packets received in those iterations */
	struct vx_bd_stats bd[VX_MAX_BD];
} __rte_cache_aligned;

#define VX_STATS_CONTROL VX_MAX_WORKERS /* index of the control thread's block */

/* Worker-side helpers: plain increments on the caller's own block. */
static inline void
vx_count_drop(struct vx_lcore_stats *s, enum vx_drop why, uint16_t port)
{
	s->drop[why]++;
	if (port < VX_MAX_PORTS)
		s->port[port].drops++;
}

#endif /* VX_STATS_H */
