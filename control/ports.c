/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's DPDK ports and packet pools: the queue layout of each port
 * (one rx queue per worker as the device allows, one tx queue per worker),
 * the offloads asked for, the mempools sized from every queue's
 * descriptors, the ports started and published, and closed at exit.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "daemon.h"

int
vx_port_plan(uint16_t pid, uint16_t n_workers, uint16_t rxd, uint16_t txd, struct vx_port_plan *pp)
{
	struct rte_eth_dev_info *di = &pp->info;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint64_t rss, off;
	int ret;

	memset(pp, 0, sizeof(*pp));
	ret = rte_eth_dev_info_get(pid, di);
	if (ret < 0)
		return ret;
	rte_eth_dev_get_name_by_port(pid, name);
	pp->nrxq = RTE_MIN(n_workers, di->max_rx_queues);
	/*
	 * net_af_packet opens one socket per queue pair (qpairs=N) in one
	 * PACKET_FANOUT group, configured or not: each of them receives its
	 * share of the flows, so every one must be polled.
	 */
	if (strcmp(di->driver_name, "net_af_packet") == 0)
		pp->nrxq = di->max_rx_queues;
	if (pp->nrxq == 0) {
		VX_LOG(ERR, "port %s: no rx queue", name);
		return -ENOTSUP;
	}
	/* One tx queue per worker; the control thread sends through worker 0. */
	pp->ntxq = n_workers;
	if (di->max_tx_queues < pp->ntxq) {
		VX_LOG(ERR,
		       "port %s: needs %u tx queues (one per worker), the device offers %u "
		       "(net_pcap: give tx_pcap= once per queue; net_af_packet: qpairs=)",
		       name, pp->ntxq, di->max_tx_queues);
		return -ENOTSUP;
	}
	rss = di->flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	if (pp->nrxq > 1 && rss != 0) {
		pp->conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		pp->conf.rx_adv_conf.rss_conf.rss_hf = rss;
	} else if (rss != 0) {
		/* One queue: RSS still gives the hash the encap source port uses. */
		pp->conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		pp->conf.rx_adv_conf.rss_conf.rss_hf = rss;
	}
	off = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
	      RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_OUTER_UDP_CKSUM |
	      RTE_ETH_RX_OFFLOAD_RSS_HASH;
	pp->conf.rxmode.offloads = di->rx_offload_capa & off;
	if (pp->conf.rxmode.mq_mode != RTE_ETH_MQ_RX_RSS)
		pp->conf.rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_RSS_HASH;
	off = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
	      RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM |
	      RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
	pp->conf.txmode.offloads = di->tx_offload_capa & off;
	pp->rxd = rxd;
	pp->txd = txd;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &pp->rxd, &pp->txd);
	if (ret < 0 && ret != -ENOTSUP)
		return ret;
	return 0;
}

int
vx_port_start(struct vx_ctl *c, uint16_t pid, struct vx_port_plan *pp)
{
	struct vx_ctl_port *cp = &c->port[pid];
	struct vx_dp *dp = c->dp;
	struct rte_eth_rxconf rxc;
	struct rte_eth_txconf txc;
	struct vx_port *vp;
	uint16_t mtu = 1500;
	int sock = rte_eth_dev_socket_id(pid);
	int ret;

	if (sock < 0)
		sock = (int)rte_socket_id();
	ret = rte_eth_dev_configure(pid, pp->nrxq, pp->ntxq, &pp->conf);
	if (ret < 0)
		return ret;
	rxc = pp->info.default_rxconf;
	rxc.offloads = pp->conf.rxmode.offloads;
	for (uint16_t q = 0; q < pp->nrxq; q++) {
		ret = rte_eth_rx_queue_setup(pid, q, pp->rxd, sock, &rxc, dp->pool);
		if (ret < 0)
			return ret;
	}
	txc = pp->info.default_txconf;
	txc.offloads = pp->conf.txmode.offloads;
	for (uint16_t q = 0; q < pp->ntxq; q++) {
		ret = rte_eth_tx_queue_setup(pid, q, pp->txd, sock, &txc);
		if (ret < 0)
			return ret;
	}
	ret = rte_eth_dev_start(pid);
	if (ret < 0)
		return ret;
	rte_eth_promiscuous_enable(pid); /* not every PMD has it; the error is harmless */

	cp->present = true;
	cp->port_id = pid;
	rte_eth_dev_get_name_by_port(pid, cp->dev_name);
	strlcpy(cp->name, cp->dev_name, sizeof(cp->name));
	rte_eth_macaddr_get(pid, &cp->mac);
	if (rte_eth_dev_get_mtu(pid, &mtu) < 0 || mtu == 0)
		mtu = 1500;
	cp->mtu = mtu;
	cp->tx_offload_capa = pp->conf.txmode.offloads;

	vp = rte_zmalloc("vx_port", sizeof(*vp), RTE_CACHE_LINE_SIZE);
	if (vp == NULL)
		return -ENOMEM;
	vp->port_id = pid;
	vp->mtu = mtu;
	vp->mac = cp->mac;
	strlcpy(vp->name, cp->name, sizeof(vp->name));
	vx_publish(dp->port[pid], vp);
	return 0;
}

void
vx_ports_stop(struct vx_ctl *c)
{
	for (uint16_t pid = 0; pid < VX_MAX_PORTS; pid++) {
		if (!c->port[pid].present)
			continue;
		rte_eth_dev_stop(pid);
		rte_eth_dev_close(pid);
		c->port[pid].present = false;
	}
}

#define MBUF_CACHE	256
#define MBUF_HEADROOM_N 8192 /* flood copies, queued frames, learn/punt in flight */
#define HDR_POOL_N	16383
#define HDR_DATA_ROOM	(128 + RTE_PKTMBUF_HEADROOM)

int
vx_pools_create(struct vx_ctl *c, uint16_t n_workers, const struct vx_port_plan *plan, uint32_t nmb)
{
	struct vx_dp *dp = c->dp;
	uint64_t n;
	uint16_t pid;

	/* Every queue's descriptors, the punt rings, the caches, unless --mbufs. */
	n = MBUF_HEADROOM_N + (uint64_t)n_workers * VX_PUNT_RING_SIZE +
	    (uint64_t)(n_workers + 1) * MBUF_CACHE * 2;
	RTE_ETH_FOREACH_DEV(pid)
	{
		if (pid < VX_MAX_PORTS)
			n += (uint64_t)plan[pid].nrxq * plan[pid].rxd +
			     (uint64_t)plan[pid].ntxq * plan[pid].txd +
			     (uint64_t)n_workers * VX_BURST * 2;
	}
	if (nmb != 0)
		n = nmb;
	dp->pool = rte_pktmbuf_pool_create("vx_pool", (unsigned int)n, MBUF_CACHE, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (dp->pool == NULL) {
		fprintf(stderr, "vxswitch: mbuf pool of %" PRIu64 " mbufs: %s (try --mbufs)\n", n,
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	dp->hdr_pool = rte_pktmbuf_pool_create("vx_hdr_pool", HDR_POOL_N, MBUF_CACHE, 0,
					       HDR_DATA_ROOM, (int)rte_socket_id());
	if (dp->hdr_pool == NULL) {
		fprintf(stderr, "vxswitch: header mbuf pool: %s\n", rte_strerror(rte_errno));
		rte_mempool_free(dp->pool);
		dp->pool = NULL;
		return -ENOMEM;
	}
	return 0;
}

void
vx_pools_free(struct vx_ctl *c)
{
	rte_mempool_free(c->dp->hdr_pool);
	rte_mempool_free(c->dp->pool);
	c->dp->hdr_pool = c->dp->pool = NULL;
}
