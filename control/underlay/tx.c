/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the control thread sends. It owns no tx queue (a port may have only
 * one per worker: net_af_packet, net_pcap): every frame goes through
 * vx_ctl_tx() (include/vx_tables.h), which worker 0 drains into its own tx
 * buffer for the port. The clock of the underlay's timers is here too.
 */

#include <errno.h>
#include <string.h>
#include <time.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "underlay/underlay.h"

uint64_t
vx_ul_now(struct vx_ctl *c)
{
	return c->ul->now_ms();
}

void
vx_ul_tx_mbuf(struct vx_ctl *c, uint16_t port, struct rte_mbuf *m)
{
	/* Worker 0 counts what it sends; m may be gone once queued. */
	if (c->ul->tx(c, port, &m, 1) != 1) {
		vx_ctl_count_drop(c, VX_DROP_TX_FULL, port);
		rte_pktmbuf_free(m);
	}
}

struct rte_mbuf *
vx_ul_frame_mbuf(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t vid, uint16_t port)
{
	const uint16_t min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	struct rte_mbuf *m;
	uint8_t *p;

	if (c->dp == NULL || c->dp->pool == NULL)
		return NULL;
	m = rte_pktmbuf_alloc(c->dp->pool);
	if (m == NULL)
		goto err_count;
	p = (uint8_t *)rte_pktmbuf_append(m, RTE_MAX(len, min));
	if (p == NULL)
		goto err_free;
	memcpy(p, f, len);
	if (len < min)
		memset(p + len, 0, min - len);
	m->port = port;
	if (vid != 0) {
		m->vlan_tci = vid;
		if (rte_vlan_insert(&m) != 0)
			goto err_free;
	}
	return m;

err_free:
	rte_pktmbuf_free(m);
err_count:
	vx_ctl_count_drop(c, VX_DROP_NO_MBUF, port);
	return NULL;
}

int
vx_ul_send(struct vx_ctl *c, uint16_t port, const uint8_t *buf, uint16_t len)
{
	struct rte_mbuf *m;

	if (c->dp == NULL || c->dp->pool == NULL)
		return -ENODEV;
	m = vx_ul_frame_mbuf(c, buf, len, 0, port);
	if (m == NULL)
		return -ENOMEM;
	vx_ul_tx_mbuf(c, port, m);
	return 0;
}
