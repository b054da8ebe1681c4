/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CTL_H
#define VX_CTL_H

/*
 * The control thread's root object and what every room of control/ shares.
 *
 * struct vx_ctl holds the dataplane (struct vx_dp, include/vx_tables.h),
 * the ports the daemon started, and one pointer per room's state: the
 * core (control/core: links, FDB model, VTEPs), the underlay
 * (control/underlay: addresses, routes, neighbours) and the daemon's
 * socket server. Only the control thread touches any of it: no locks.
 *
 * Rooms and who calls whom (never the other way, never in a circle):
 *
 *   main.c, server.c (daemon)          -> cli/ -> core/ -> underlay/ -> lib/
 *   cli/  grammar, commands, output        |        |          |
 *   core/ links, FDB, VTEPs, learning      +--------+----------+--> include/, dataplane tables
 *   underlay/ the switch as an IP host
 *   lib/  this file, out.h, inet.h
 *
 * A lower room tells a higher one about a change only through a function
 * pointer the higher one registered (the underlay's hooks in
 * underlay/underlay.h; the monitor sink below).
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "vx_drop.h"
#include "vx_limits.h"
#include "vx_tables.h"

/* A DPDK port as the control thread knows it (c->port[i] is DPDK port id i). */
struct vx_ctl_port {
	bool present;
	uint16_t port_id;
	char name[VX_NAME_LEN];	    /* DPDK device name unless renamed */
	char dev_name[VX_NAME_LEN]; /* DPDK device name, never changes */
	struct rte_ether_addr mac;
	uint16_t mtu;
	uint64_t tx_offload_capa;
};

/*
 * Where monitor events go (`vxctl monitor`): set by the daemon's server.
 * wanted() tells whether anyone takes a stream, so that callers skip the
 * formatting when nobody listens; send() takes one line. A stream "NAME"
 * has its JSON rendering in stream "NAME.json" (one object per line, for
 * `vxctl -j monitor`): an event is sent to both, each formatted only when
 * wanted.
 */
struct vx_ctl_events {
	bool (*wanted)(void *ctx, const char *stream);
	void (*send)(void *ctx, const char *stream, const char *line);
	void *ctx;
};

struct vx_ctl_core;
struct vx_ctl_underlay;
struct vx_server;

struct vx_ctl {
	struct vx_dp *dp;
	struct vx_ctl_port port[VX_MAX_PORTS];
	uint16_t n_ports;
	struct vx_ctl_core *core;   /* core/core.c */
	struct vx_ctl_underlay *ul; /* underlay/underlay.c */
	struct vx_server *srv;	    /* server.c */
	struct vx_ctl_events events;
	uint64_t tsc_hz;
	bool replaying; /* a --config replay is running */
	const char *
		config_path; /* --config FILE (absolute): `save`'s default; NULL = VX_DEFAULT_CONFIG */
};

#define VX_DEFAULT_CONFIG "/etc/vxswitch/vxswitch.conf"

/* Index in c->port[] of the port named name (its name or DPDK device name), or -1. */
int vx_port_index(const struct vx_ctl *c, const char *name);
/* The port's name, "?" for none. */
const char *vx_port_name(const struct vx_ctl *c, uint16_t idx);

/* Send one line to the monitor clients of stream ("fdb"); a newline is added if missing. */
void vx_ctl_event(struct vx_ctl *c, const char *stream, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool vx_ctl_event_wanted(const struct vx_ctl *c, const char *stream);

/* Count a drop or an event on the control thread's counter block. */
void vx_ctl_count_drop(struct vx_ctl *c, enum vx_drop why, uint16_t port);
void vx_ctl_count_event(struct vx_ctl *c, enum vx_event ev);

#endif /* VX_CTL_H */
