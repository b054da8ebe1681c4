/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The punt path and the underlay's life cycle.
 *
 * Workers never answer ARP, ND or ICMP themselves: they put such frames
 * (and encapsulated frames for a VTEP whose next hop is not resolved yet)
 * on their punt ring (dp->punt_ring[w], reason in m->hash.fdir.hi, VTEP
 * index in m->hash.fdir.lo). vx_ul_poll(), on the control thread, drains
 * at most VX_PUNT_POLL_MAX mbufs per worker ring per call and dispatches
 * them by reason. ARP, ND and ICMP share one token bucket per input port:
 * VX_PUNT_RATE_PPS packets per second with bursts of VX_PUNT_BURST; the
 * excess is dropped and counted (VX_DROP_PUNT_RATE, control stats block),
 * so a flood at the switch costs the control thread a bounded amount of
 * work and never touches the VXLAN path. Everything the control thread
 * sends goes out through vx_ctl_tx() (worker 0 transmits it).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "core.h"
#include "underlay.h"

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t
vx_ul_now(struct vx_ctl *c)
{
	return c->ul->now_ms();
}

void
vx_ul_count_drop(struct vx_ctl *c, enum vx_drop why, uint16_t port)
{
	if (c->dp != NULL && c->dp->stats != NULL)
		vx_count_drop(&c->dp->stats[VX_STATS_CONTROL], why, port);
}

static uint16_t
eth_tx(struct vx_ctl *c, uint16_t port, struct rte_mbuf **m, uint16_t n)
{
	return vx_ctl_tx(c->dp, port, m, n);
}

void
vx_ul_tx_mbuf(struct vx_ctl *c, uint16_t port, struct rte_mbuf *m)
{
	/* Worker 0 counts what it sends; m may be gone once queued. */
	if (c->ul->tx(c, port, &m, 1) != 1) {
		vx_ul_count_drop(c, VX_DROP_TX_FULL, port);
		rte_pktmbuf_free(m);
	}
}

int
vx_ul_send(struct vx_ctl *c, uint16_t port, const uint8_t *buf, uint16_t len)
{
	const uint16_t min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	struct rte_mbuf *m;
	uint8_t *p;

	if (c->dp == NULL || c->dp->pool == NULL)
		return -ENODEV;
	m = rte_pktmbuf_alloc(c->dp->pool);
	if (m == NULL) {
		vx_ul_count_drop(c, VX_DROP_NO_MBUF, port);
		return -ENOMEM;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, RTE_MAX(len, min));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return -ENOMEM;
	}
	memcpy(p, buf, len);
	if (len < min)
		memset(p + len, 0, min - len);
	m->port = port;
	vx_ul_tx_mbuf(c, port, m);
	return 0;
}

bool
vx_punt_allow(struct vx_bucket *b, uint64_t now_ms)
{
	const uint64_t cap = (uint64_t)VX_PUNT_BURST * 1000;

	if (now_ms > b->last_ms) {
		b->tokens_milli += (now_ms - b->last_ms) * VX_PUNT_RATE_PPS;
		if (b->tokens_milli > cap)
			b->tokens_milli = cap;
	}
	b->last_ms = now_ms;
	if (b->tokens_milli < 1000)
		return false;
	b->tokens_milli -= 1000;
	return true;
}

/* ---- neighbour table glue ---- */

static void
ops_solicit(void *ctx, struct vx_neigh *n, bool unicast)
{
	struct vx_ctl *c = ctx;

	if (n->ip.family == AF_INET)
		vx_arp_send_request(c, n->port, n->ip.v4, unicast ? &n->mac : NULL);
	else
		vx_nd_send_ns(c, n->port, &n->ip.v6, unicast ? &n->mac : NULL);
}

static void
ops_xmit(void *ctx, struct vx_neigh *n, void *pkt)
{
	struct vx_ctl *c = ctx;
	struct rte_mbuf *m = pkt;

	vx_template_set_eth(rte_pktmbuf_mtod(m, uint8_t *), &c->port[n->port].mac, &n->mac);
	vx_ul_tx_mbuf(c, n->port, m);
}

static void
ops_drop(void *ctx, struct vx_neigh *n, void *pkt)
{
	vx_ul_count_drop(ctx, VX_DROP_NEIGH_QUEUE, n->port);
	rte_pktmbuf_free(pkt);
}

static void
ops_changed(void *ctx, struct vx_neigh *n)
{
	struct vx_ctl *c = ctx;

	c->ul->rebuild(c, n->id);
}

static const struct vx_neigh_ops neigh_ops = {
	.solicit = ops_solicit,
	.xmit = ops_xmit,
	.drop = ops_drop,
	.changed = ops_changed,
};

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
	ul->rebuild = vx_core_vtep_rebuild;
	ul->tx = eth_tx;
	ul->port_publish = vx_core_port_publish;
	vx_neigh_tbl_init(&ul->nt, &neigh_ops, c);
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
vx_ul_queue_unresolved(struct vx_ctl *c, const struct vx_vtep *vt, struct rte_mbuf *m)
{
	struct vx_neigh *n;

	n = vx_neigh_get(&c->ul->nt, vt->neigh);
	if (n == NULL || n->port != vt->port) {
		vx_ul_count_drop(c, VX_DROP_NO_ROUTE, vt->port);
		rte_pktmbuf_free(m);
		return;
	}
	if (c->dp->stats != NULL)
		c->dp->stats[VX_STATS_CONTROL].event[VX_EV_UNRESOLVED]++;
	vx_neigh_enqueue(&c->ul->nt, n, m, vx_ul_now(c));
}

static void
punt_unresolved(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint32_t idx = m->hash.fdir.lo;
	const struct vx_vtep *vt = idx < VX_MAX_VTEP ? vx_deref(c->dp->vtep[idx]) : NULL;

	if (vt == NULL) {
		vx_ul_count_drop(c, VX_DROP_VTEP_GONE, m->port);
		rte_pktmbuf_free(m);
		return;
	}
	vx_ul_queue_unresolved(c, vt, m);
}

void
vx_punt_poll(struct vx_ctl *c)
{
	struct vx_dp *dp = c->dp;
	uint64_t now = vx_ul_now(c);

	if (dp == NULL)
		return;
	for (uint16_t w = 0; w < dp->n_workers && w < VX_MAX_WORKERS; w++) {
		struct rte_mbuf *pkts[VX_PUNT_POLL_MAX];
		unsigned int n;

		if (dp->punt_ring[w] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(dp->punt_ring[w], (void **)pkts, VX_PUNT_POLL_MAX,
					      NULL);
		for (unsigned int i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			uint32_t why = m->hash.fdir.hi;

			/* A tag the NIC stripped goes back in: parsers check the VLAN inline. */
			if ((m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) &&
			    why != VX_PUNT_UNRESOLVED) {
				if (rte_vlan_insert(&m) != 0) {
					rte_pktmbuf_free(m);
					continue;
				}
				m->ol_flags &= ~(RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
			}
			if (why == VX_PUNT_UNRESOLVED) {
				punt_unresolved(c, m);
				continue;
			}
			if (m->port >= VX_MAX_PORTS ||
			    !vx_punt_allow(&c->ul->bucket[m->port], now)) {
				vx_ul_count_drop(c, VX_DROP_PUNT_RATE, m->port);
				rte_pktmbuf_free(m);
				continue;
			}
			switch (why) {
			case VX_PUNT_ARP:
				vx_arp_input(c, m);
				break;
			case VX_PUNT_ND:
				vx_nd_input(c, m);
				break;
			case VX_PUNT_ICMP:
				/* ICMPv6 ND may arrive under either reason. */
				if (vx_nd_parse(rte_pktmbuf_mtod(m, uint8_t *),
						rte_pktmbuf_data_len(m), &(struct vx_nd){0}) == 0)
					vx_nd_input(c, m);
				else
					vx_icmp_input(c, m);
				break;
			case VX_PUNT_OVERLAY:
				vx_ovl_input(c, m);
				break;
			default:
				rte_pktmbuf_free(m);
				break;
			}
		}
	}
}

void
vx_ul_poll(struct vx_ctl *c)
{
	if (c->ul == NULL)
		return;
	vx_punt_poll(c);
	vx_neigh_timer(&c->ul->nt, vx_ul_now(c));
}
