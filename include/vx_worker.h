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

/* Misses a worker pushed lately (dataplane/miss.c). */
#define VX_MISS_CACHE	   16	/* keys remembered, direct mapped */
#define VX_MISS_WORKER_PPS 1000 /* miss requests a worker pushes a second at most */

struct vx_miss_memory {
	uint64_t key[VX_MISS_CACHE];
	uint32_t sec[VX_MISS_CACHE]; /* dp->now when key was pushed */
	uint32_t now;		     /* the second left counts */
	uint32_t left;		     /* requests still allowed this second */
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
	struct vx_miss_memory miss;
	struct vx_txbuf tx[VX_MAX_PORTS];
	/* Storm control: per link, when the next BUM frame is due (TSC; flood.c). */
	uint64_t bum_tat[VX_MAX_BD];
	/*
	 * Punt budgets (vx_punt()): per input port and class, when the next
	 * frame is due (TSC); the interval between two frames of this worker
	 * and the burst tolerance, set on the first punt.
	 */
	uint64_t punt_tat[VX_MAX_PORTS][VX_PCLASS_N];
	uint64_t punt_interval, punt_tau;
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

/* Where vx_flood_one() sends a BUM frame. */
enum vx_flood_to {
	/* The link's other local members only: frames from the overlay (split horizon). */
	VX_FLOOD_LOCAL_ONLY,
	/* The other local members and every VTEP of the link's flood list. */
	VX_FLOOD_LOCAL_AND_VTEPS,
};
/*
 * dataplane/flood.c: replicate a BUM frame of bd to its local members but
 * (in_port, in_vlan) and, with VX_FLOOD_LOCAL_AND_VTEPS, to the VTEPs of
 * its flood list, encapsulated with flow_hash. Consumes m.
 */
void vx_flood_one(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint16_t in_port,
		  uint16_t in_vlan, enum vx_flood_to to, uint32_t flow_hash);
/* The same for a frame from an access port, with the single VTEP vtep instead of the flood list. */
void vx_flood_one_vtep(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m,
		       uint16_t in_port, uint16_t in_vlan, uint32_t vtep, uint32_t flow_hash);
/*
 * dataplane/miss.c: report a miss to the control thread (kind VX_LEARN_MISS_MAC
 * with key = vx_fdb_key(bd, MAC), or VX_LEARN_MISS_IP with ip), at most once a
 * second per key and VX_MISS_WORKER_PPS a second in all.
 */
void vx_miss_push(struct vx_worker *w, const struct vx_bd *bd, uint8_t kind, uint64_t key,
		  const struct vx_ip *ip);
/*
 * An unknown destination of a frame from an access port on a link with no
 * catch-all (flood) entry: a unicast one goes nowhere in the overlay (the
 * local members still get it), counted, and reported with `l2miss`, as
 * the kernel's vxlan does. Leaves m to the caller.
 */
void vx_miss_no_catch_all(struct vx_worker *w, const struct vx_bd *bd, const struct rte_mbuf *m);
/*
 * dataplane/rsc.c: route short-circuit of m (from an access port of an rsc
 * link, to the router entry e): the entry word to send it to (m rewritten
 * to the neighbour: 0 when the FDB lacks its MAC), or e unchanged.
 */
uint64_t vx_rsc(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint64_t e);
/*
 * The same on a plain buffer: an untagged Ethernet frame of len bytes is
 * IPv4/IPv6 whose TTL/hop limit allows one more hop: 0 and its destination
 * (family, address in the frame), else -1. Then vx_rsc_rewrite() makes it
 * the router's frame to host: MACs, TTL/hop limit - 1, IPv4 checksum.
 */
int vx_rsc_dst(const uint8_t *f, uint32_t len, uint8_t *family, const uint8_t **dst);
void vx_rsc_rewrite(uint8_t *f, const struct rte_ether_addr *host);
/* dataplane/tx.c */
void vx_tx_flush(struct vx_worker *w);
/* Send what tx[port] holds now (vx_tx_enqueue does when the buffer fills). */
void vx_tx_flush_port(struct vx_worker *w, uint16_t port);
/* dataplane/drop.c: free m, counted under why on the worker's block (and port's, if any). */
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
