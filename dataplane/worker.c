/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's poll loop: for each rx queue it owns, one rx burst, split
 * by the role of each frame (underlay or access), the stages run over
 * each part, then every tx buffer is flushed and a quiescent state is
 * reported to the QSBR variable, which lets the control thread free the
 * table objects it replaced.
 *
 * A port can be both: a frame is underlay when the port has
 * VX_PORT_UNDERLAY, its VLAN (0 if untagged) is the port's underlay VLAN
 * and that VLAN is not mapped to a link; otherwise it is access.
 *
 * No malloc, log, lock or syscall; the clock is rte_rdtsc() only. The one
 * exception is the idle back-off (--idle-sleep, for cores shared by several
 * daemons), off by default: after VX_IDLE_POLLS polls in a row found
 * nothing, the worker sleeps up to idle_sleep_us between polls until a
 * frame comes. It goes offline for the QSBR variable around the sleep, so
 * the control thread's rte_rcu_qsbr_synchronize never waits for a sleeping
 * worker.
 */

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "stages.h"

#define VX_IDLE_POLLS 256 /* empty polls in a row before the idle back-off sleeps */

static inline uint16_t
frame_vid(const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED)
		return m->vlan_tci & 0xfff;
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
	    rte_pktmbuf_data_len(m) >= RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
		return rte_be_to_cpu_16(((const struct rte_vlan_hdr *)(eh + 1))->vlan_tci) & 0xfff;
	return 0;
}

static void
rx_one(struct vx_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vx_port *pt = vx_deref(w->dp->port[port]);
	struct rte_mbuf *ul[VX_BURST], *ac[VX_BURST];
	uint16_t nul = 0, nac = 0, i;

	if (unlikely(pt == NULL)) {
		for (i = 0; i < n; i++)
			vx_drop_pkt(w, pkts[i], VX_DROP_PORT_DOWN, port);
		return;
	}
	switch (pt->flags & (VX_PORT_ACCESS | VX_PORT_UNDERLAY)) {
	case VX_PORT_UNDERLAY:
		vx_decap_burst(w, port, pkts, n);
		return;
	case VX_PORT_ACCESS:
		vx_access_burst(w, port, pkts, n);
		return;
	case 0:
		for (i = 0; i < n; i++)
			vx_drop_pkt(w, pkts[i], VX_DROP_PORT_DOWN, port);
		return;
	}
	for (i = 0; i < n; i++) {
		uint16_t vid = frame_vid(pkts[i]);

		if (vid == pt->underlay_vlan && pt->vlan_bd[vid] == 0)
			ul[nul++] = pkts[i];
		else
			ac[nac++] = pkts[i];
	}
	if (nul != 0)
		vx_decap_burst(w, port, ul, nul);
	if (nac != 0)
		vx_access_burst(w, port, ac, nac);
}

/* Worker 0 sends what the control thread queued (vx_ctl_tx). */
static void
ctl_tx_drain(struct vx_worker *w)
{
	struct vx_dp *dp = w->dp;
	struct rte_mbuf *pkts[VX_BURST];
	uint32_t pending = __atomic_exchange_n(&dp->ctl_tx_pending, 0, __ATOMIC_ACQUIRE);
	unsigned int n, i;

	while (pending != 0) {
		uint16_t port = __builtin_ctz(pending);

		pending &= pending - 1;
		n = rte_ring_sc_dequeue_burst(dp->ctl_tx_ring[port], (void **)pkts, VX_BURST, NULL);
		for (i = 0; i < n; i++)
			vx_tx_enqueue(w, port, pkts[i]);
		if (!rte_ring_empty(dp->ctl_tx_ring[port]))
			__atomic_fetch_or(&dp->ctl_tx_pending, 1u << port, __ATOMIC_RELAXED);
	}
}

uint16_t
vx_worker_poll(struct vx_worker *w)
{
	struct rte_mbuf *pkts[VX_BURST];
	uint16_t total = 0, n;

	for (uint16_t q = 0; q < w->n_rxq; q++) {
		const struct vx_rxq *rq = &w->rxq[q];

		n = rte_eth_rx_burst(rq->port, rq->queue, pkts, VX_BURST);
		if (n == 0)
			continue;
		total += n;
		rx_one(w, rq->port, pkts, n);
	}
	if (w->id == 0 && __atomic_load_n(&w->dp->ctl_tx_pending, __ATOMIC_RELAXED) != 0)
		ctl_tx_drain(w);
	vx_tx_flush(w);
	return total;
}

int
vx_worker_main(void *arg)
{
	struct vx_worker *w = arg;
	struct vx_dp *dp = w->dp;
	struct vx_lcore_stats *st = w->st;
	uint64_t t0, t1;
	uint32_t idle = 0;
	uint16_t n;

	rte_rcu_qsbr_thread_register(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_online(dp->qsbr, w->id);
	/*
	 * One rdtsc per iteration: an iteration starts where the previous one
	 * ended, so busy_tsc of an iteration that got packets also holds the
	 * loop's own bookkeeping (counters, quiescent state), which it costs.
	 */
	t0 = rte_rdtsc();
	while (!__atomic_load_n(&dp->stop, __ATOMIC_RELAXED)) {
		n = vx_worker_poll(w);
		rte_rcu_qsbr_quiescent(dp->qsbr, w->id);
		st->loops++;
		t1 = rte_rdtsc();
		if (n != 0) {
			st->busy_tsc += t1 - t0;
			st->busy_pkts += n;
			idle = 0;
		} else if (unlikely(w->idle_sleep_us != 0) && ++idle >= VX_IDLE_POLLS) {
			rte_rcu_qsbr_thread_offline(dp->qsbr, w->id);
			rte_delay_us_sleep(w->idle_sleep_us);
			rte_rcu_qsbr_thread_online(dp->qsbr, w->id);
			idle = VX_IDLE_POLLS;
			t1 = rte_rdtsc();
		}
		t0 = t1;
	}
	rte_rcu_qsbr_thread_offline(dp->qsbr, w->id);
	rte_rcu_qsbr_thread_unregister(dp->qsbr, w->id);
	return 0;
}
