/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Drop reasons and events: their names and explanations, from the X-macro
 * lists of vx_drop.h, and the one way a worker drops a packet.
 */

#include <rte_mbuf.h>

#include "vx_drop.h"
#include "vx_worker.h"

const char *const vx_drop_names[VX_DROP_MAX] = {
#define X(e, name, text) [VX_DROP_##e] = name,
	VX_DROP_REASONS(X)
#undef X
};

const char *const vx_drop_texts[VX_DROP_MAX] = {
#define X(e, name, text) [VX_DROP_##e] = text,
	VX_DROP_REASONS(X)
#undef X
};

const char *const vx_event_names[VX_EV_MAX] = {
#define X(e, name, text) [VX_EV_##e] = name,
	VX_EVENTS(X)
#undef X
};

const char *const vx_event_texts[VX_EV_MAX] = {
#define X(e, name, text) [VX_EV_##e] = text,
	VX_EVENTS(X)
#undef X
};

void
vx_drop_pkt(struct vx_worker *w, struct rte_mbuf *m, enum vx_drop why, uint16_t port)
{
	vx_count_drop(w->st, why, port);
	rte_pktmbuf_free(m);
}
