/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_WORKER_H
#define VX_WORKER_H

/*
 * A worker lcore and the pipeline stages it runs. Every stage is a
 * function over a whole burst that returns how many packets it handled;
 * each packet leaves a stage forwarded (into a tx buffer), handed to the
 * next stage, punted, or dropped with a named reason (vx_drop.h).
 *
 * Workers own their rx queues, one tx queue on every port (txq = worker
 * index) and their counter block. They never lock, allocate, log or make
 * a syscall.
 */

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "vx_tables.h"

struct vx_rxq {
	uint16_t port;
	uint16_t queue;
};

/* Per-port transmit buffer of one worker. */
struct vx_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[VX_BURST * 2];
};

struct vx_worker {
	struct vx_dp *dp;
	uint16_t id; /* 0..n_workers-1; also its tx queue index and QSBR thread id */
	uint16_t n_rxq;
	struct vx_rxq rxq[VX_MAX_PORTS * 4];
	struct vx_lcore_stats *st; /* == &dp->stats[id] */
	uint32_t tx_dirty;	   /* bit p: tx[p] holds packets (tx.c) */
	uint16_t ip_id;		   /* next outer IPv4 identification (encap, DF clear) */
	uint32_t idle_sleep_us; /* --idle-sleep: sleep bound after a run of empty polls; 0 = spin */
	struct vx_txbuf tx[VX_MAX_PORTS];
	/* Storm control: per link, when the next BUM frame is due (TSC; flood.c). */
	uint64_t bum_tat[VX_MAX_BD];
} __rte_cache_aligned;

/* dataplane/worker.c: the poll loop (rte_eal_remote_launch target). */
int vx_worker_main(void *arg);
/* One iteration over every rx queue; returns packets received. For tests. */
uint16_t vx_worker_poll(struct vx_worker *w);

/* dataplane/decap.c: underlay rx -> overlay; n packets from one underlay port. */
uint16_t vx_decap_burst(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n);
/* dataplane/access.c: access rx -> local switch, encap or flood. */
uint16_t vx_access_burst(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n);
/* dataplane/encap.c: prepend vt's header to m and queue it on vt->port. */
void vx_encap_one(struct vx_worker *w, const struct vx_vtep *vt, struct rte_mbuf *m,
		  uint32_t flow_hash);
/* dataplane/flood.c: replicate a BUM frame to local members (not in_port/vlan) and,
 * when from_access, to every VTEP of the flood list. Consumes m. */
void vx_flood_one(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint16_t in_port,
		  uint16_t in_vlan, int from_access, uint32_t flow_hash);
/* dataplane/tx.c */
void vx_tx_flush(struct vx_worker *w);
/* Send what tx[port] holds now (vx_tx_enqueue does when the buffer fills). */
void vx_tx_flush_port(struct vx_worker *w, uint16_t port);
/* Drop m with a reason, counted on the worker's block. */
void vx_drop_pkt(struct vx_worker *w, struct rte_mbuf *m, enum vx_drop why, uint16_t port);

/* Queue m for port on the worker's tx buffer (inline: once per packet). */
static inline void
vx_tx_enqueue(struct vx_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct vx_txbuf *b;

	if (unlikely(port >= VX_MAX_PORTS)) {
		vx_drop_pkt(w, m, VX_DROP_PORT_DOWN, UINT16_MAX);
		return;
	}
	b = &w->tx[port];
	b->pkts[b->n++] = m;
	w->tx_dirty |= 1u << port;
	if (unlikely(b->n == RTE_DIM(b->pkts)))
		vx_tx_flush_port(w, port);
}

#endif /* VX_WORKER_H */
