/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports by name, monitor events and the control thread's counters (ctl.h). */

#include <stdio.h>
#include <string.h>

#include "lib/ctl.h"

int
vx_port_index(const struct vx_ctl *c, const char *name)
{
	for (unsigned int i = 0; i < VX_MAX_PORTS; i++) {
		const struct vx_ctl_port *p = &c->port[i];

		if (p->present && (strcmp(p->name, name) == 0 || strcmp(p->dev_name, name) == 0))
			return i;
	}
	return -1;
}

const char *
vx_port_name(const struct vx_ctl *c, uint16_t idx)
{
	if (idx < VX_MAX_PORTS && c->port[idx].present)
		return c->port[idx].name;
	return "?";
}

bool
vx_ctl_event_wanted(const struct vx_ctl *c, const char *stream)
{
	return c->events.wanted != NULL && c->events.wanted(c->events.ctx, stream);
}

void
vx_ctl_event(struct vx_ctl *c, const char *stream, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (c->events.send == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	line[n] = '\0';
	c->events.send(c->events.ctx, stream, line);
}

void
vx_ctl_count_drop(struct vx_ctl *c, enum vx_drop why, uint16_t port)
{
	if (c->dp != NULL && c->dp->stats != NULL)
		vx_count_drop(&c->dp->stats[VX_STATS_CONTROL], why, port);
}

void
vx_ctl_count_event(struct vx_ctl *c, enum vx_event ev)
{
	if (c->dp != NULL && c->dp->stats != NULL)
		c->dp->stats[VX_STATS_CONTROL].event[ev]++;
}
