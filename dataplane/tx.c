/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transmit: per-worker, per-port buffers flushed with one rte_eth_tx_burst
 * on the worker's own queue (txq = worker index) when full and at the end
 * of every poll loop iteration. What the queue does not take is freed and
 * counted as TX_FULL: a worker never waits for a queue.
 */

#include <rte_common.h>
#include <assert.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "vx_worker.h"

static_assert(VX_MAX_PORTS <= 32, "vx_worker.tx_dirty is a 32-bit mask");

void
vx_tx_flush_port(struct vx_worker *w, uint16_t port)
{
	struct vx_txbuf *b = &w->tx[port];
	struct vx_port_stats *ps = &w->st->port[port];
	uint64_t bytes = 0, unsent_bytes = 0;
	uint16_t sent, i;

	/* Bytes first: once the queue took an mbuf it is no longer ours to read. */
	for (i = 0; i < b->n; i++)
		bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
	sent = rte_eth_tx_burst(port, w->id, b->pkts, b->n);
	for (i = sent; i < b->n; i++) {
		unsent_bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
		vx_drop_pkt(w, b->pkts[i], VX_DROP_TX_FULL, port);
	}
	ps->tx_pkts += sent;
	ps->tx_bytes += bytes - unsent_bytes;
	b->n = 0;
}

void
vx_tx_flush(struct vx_worker *w)
{
	uint32_t dirty = w->tx_dirty;

	/* Only the ports that got packets in this iteration. */
	while (dirty != 0) {
		uint16_t port = rte_bsf32(dirty);

		dirty &= dirty - 1;
		if (w->tx[port].n != 0)
			vx_tx_flush_port(w, port);
	}
	w->tx_dirty = 0;
}
