/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weak stand-ins for the core's functions that the underlay calls, so the
 * underlay builds and its tests link before (or without) the core's
 * implementation. Any strong definition (out.c, cmd.c, vtep.c) replaces
 * these at link time. Delete this file once the core has landed all of
 * vx_out_printf, vx_ctl_port_find, vx_core_vtep_rebuild and
 * vx_core_port_publish.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "ctl.h"

__attribute__((weak)) void
vx_out_printf(struct vx_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = o->cap - o->len;

		va_start(ap, fmt);
		n = vsnprintf(o->buf != NULL ? o->buf + o->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			o->len += n;
			return;
		}
		size_t cap = o->cap * 2 + n + 64;
		char *b = realloc(o->buf, cap);

		if (b == NULL)
			return;
		o->buf = b;
		o->cap = cap;
	}
}

__attribute__((weak)) void
vx_out_reset(struct vx_out *o)
{
	o->len = 0;
	if (o->buf != NULL)
		o->buf[0] = '\0';
}

__attribute__((weak)) void
vx_out_free(struct vx_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

__attribute__((weak)) struct vx_ctl_port *
vx_ctl_port_find(struct vx_ctl *c, const char *name)
{
	for (uint16_t i = 0; i < VX_MAX_PORTS; i++) {
		struct vx_ctl_port *p = &c->port[i];

		if (p->present && (strcmp(p->name, name) == 0 || strcmp(p->dev_name, name) == 0))
			return p;
	}
	return NULL;
}

__attribute__((weak)) void
vx_core_vtep_rebuild(struct vx_ctl *c, uint32_t neigh)
{
}

/* Republish dp->port[port] with the underlay role; keeps everything else. */
__attribute__((weak)) void
vx_core_port_publish(struct vx_ctl *c, uint16_t port)
{
	struct vx_port *old, *np;

	if (c->dp == NULL || port >= VX_MAX_PORTS)
		return;
	old = c->dp->port[port];
	np = rte_zmalloc("vx_port", sizeof(*np), 0);
	if (np == NULL)
		return;
	if (old != NULL) {
		memcpy(np, old, sizeof(*np));
	} else {
		np->port_id = port;
		np->mtu = c->port[port].mtu != 0 ? c->port[port].mtu : 1500;
		np->mac = c->port[port].mac;
		np->tx_offload_capa = c->port[port].tx_offload_capa;
		memcpy(np->name, c->port[port].name, sizeof(np->name));
	}
	vx_ul_port_role(c, port, &np->flags, &np->underlay_vlan);
	vx_publish(c->dp->port[port], np);
	vx_retire(c->dp, old);
}
