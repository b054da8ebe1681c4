/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The core's state (struct vx_ctl_core) and life cycle: created empty
 * (and the ports the daemon started published with empty access maps),
 * registered with the underlay for what it must hear from it (next hops
 * and port roles that change, the links' punted inner frames), polled by
 * the control loop (learning, ageing, VTEPs retired after a grace
 * period), freed at exit.
 */

#include <errno.h>
#include <stdlib.h>

#include "core/core.h"
#include "underlay/underlay.h"

int
vx_core_init(struct vx_ctl *c)
{
	struct vx_ctl_core *k;

	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->age_budget = 16384;
	k->learn_budget = VX_LEARN_RING_SIZE; /* a whole ring per poll: >= 2 M/s at 5 ms */
	c->core = k;
	if (vx_proxy_init(c) < 0) {
		free(k);
		c->core = NULL;
		return -ENOMEM;
	}
	if (c->ul != NULL) {
		c->ul->hooks.nexthop_changed = vx_vtep_rebuild_nexthop;
		c->ul->hooks.port_changed = vx_core_port_publish;
		c->ul->hooks.overlay_input = vx_core_overlay_input;
		c->ul->hooks.vtep_wanted = vx_vtep_wanted;
	}
	for (uint16_t i = 0; i < VX_MAX_PORTS; i++)
		if (c->port[i].present)
			vx_core_port_publish(c, i);
	return 0;
}

void
vx_core_fini(struct vx_ctl *c)
{
	struct vx_ctl_core *k = c->core;

	if (k == NULL)
		return;
	if (c->ul != NULL)
		c->ul->hooks = (struct vx_ul_hooks){0};
	free(k->proxy);
	free(k->static_bits);
	for (unsigned int i = 0; i < VX_MAX_BD; i++)
		free(k->link[i]);
	free(k->learn_batch);
	free(k);
	c->core = NULL;
}

void
vx_core_poll(struct vx_ctl *c)
{
	if (c->core == NULL || c->dp == NULL)
		return;
	vx_core_learn_poll(c);
	vx_core_age_poll(c);
	if (c->dp->now != c->core->proxy_age_now) {
		c->core->proxy_age_now = c->dp->now;
		vx_proxy_age(c); /* learned neighbour entries: a look once a second */
	}
	vx_vtep_flush_retired(c);
}
