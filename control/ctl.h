/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CTL_H
#define VX_CTL_H

/*
 * The control thread's state and the seams between its files.
 *
 * struct vx_ctl is the authoritative model of the configuration (links,
 * ports, static FDB entries, addresses, routes, neighbours). Commands
 * change the model and then publish to the dataplane tables (vx_tables.h);
 * `save` writes the model back as vxctl lines. Only the control thread
 * touches any of it: no locks.
 *
 * Files:
 *   main.c        EAL, ports, worker launch, the control loop     (daemon)
 *   server.c      UNIX socket, clients, monitor streams            (daemon)
 *   vxctl.c       the client                                       (daemon)
 *   out.c         struct vx_out                                    (core)
 *   cmd.c         dispatcher: words -> family; help                (core)
 *   parse.c       words -> values (MAC, IP, numbers), no DPDK      (core)
 *   cmd_link.c    link add/del/set/show                            (core)
 *   cmd_fdb.c     fdb add/append/replace/del/show/flush            (core)
 *   cmd_stats.c   stats, show drops                                (core)
 *   save.c        save / config replay                             (core)
 *   vtep.c        VTEP objects: find-or-create, refcount, publish  (core)
 *   learn.c       learn rings -> FDB; ageing                       (core)
 *   cmd_addr.c cmd_route.c cmd_neigh.c                             (underlay)
 *   neigh.c arp.c nd.c icmp.c route.c template.c punt.c            (underlay)
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/proto.h"
#include "vx_limits.h"
#include "vx_tables.h"

/* Growable text output of a command. */
struct vx_out {
	char *buf;
	size_t len, cap;
};
void vx_out_printf(struct vx_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vx_out_reset(struct vx_out *o);
void vx_out_free(struct vx_out *o);


/* Control-side view of a port. */
struct vx_ctl_port {
	bool present;
	uint16_t port_id;
	char name[VX_NAME_LEN];	    /* DPDK device name unless renamed */
	char dev_name[VX_NAME_LEN]; /* DPDK device name, never changes */
	struct rte_ether_addr mac;
	uint16_t mtu;
	uint64_t tx_offload_capa;
};

struct vx_ctl_core;	/* links, FDB model, VTEPs (core files) */
struct vx_ctl_underlay; /* addresses, routes, neighbours (underlay files) */
struct vx_server;	/* sockets and clients (server.c) */

struct vx_ctl {
	struct vx_dp *dp;
	struct vx_ctl_port port[VX_MAX_PORTS];
	uint16_t n_ports;
	struct vx_ctl_core *core;
	struct vx_ctl_underlay *ul;
	struct vx_server *srv;
	uint64_t tsc_hz;
	bool replaying; /* --config replay in progress */
	const char *
		config_path; /* --config FILE (absolute): default of `save` (NULL: VX_DEFAULT_CONFIG) */
};

#define VX_DEFAULT_CONFIG "/etc/vxswitch/vxswitch.conf"

/*
 * Families of the underlay part (cmd_addr.c, cmd_route.c, cmd_neigh.c),
 * called by vx_cmd_exec with argv[0] = "addr" / "route" / "neigh".
 */
int vx_cmd_addr(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_route(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_neigh(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);

/*
 * Ports: c->port[i] describes DPDK port id i. dp->port[i] is published by
 * the core (vx_core_port_publish) from its access maps and the underlay's
 * view of the port (vx_ul_port_role: VX_PORT_UNDERLAY and the underlay
 * VLAN); the underlay calls vx_core_port_publish(c, i) when that changes.
 * The core also marks VX_PORT_UNDERLAY on a port that a link names with
 * `dev PORT`.
 */
void vx_core_port_publish(struct vx_ctl *c, uint16_t port);
/* Is the port attached to a link (as an access port, any VLAN)? For `addr add` checks. */
bool vx_core_port_is_access(struct vx_ctl *c, uint16_t port);
void vx_ul_port_role(struct vx_ctl *c, uint16_t port, uint16_t *flags, uint16_t *underlay_vlan);

/* cmd.c: run one command line, already split into words. 0 or -errno; on
 * error out holds "error: ..." naming the offending word. */
int vx_cmd_exec(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
/* Split a line into words (quotes not needed by the grammar); returns argc. */
int vx_cmd_split(char *line, char **argv, int max);

/* Lifecycle of each part; called by main.c in this order. */
int vx_core_init(struct vx_ctl *c);
void vx_core_fini(struct vx_ctl *c);
int vx_ul_init(struct vx_ctl *c);
void vx_ul_fini(struct vx_ctl *c);

/* Periodic work, called from the control loop at least every 10 ms. */
void vx_core_poll(struct vx_ctl *c); /* learn rings, ageing */
void vx_ul_poll(struct vx_ctl *c);   /* punt rings, neighbour timers */
/*
 * Learn requests are arriving: the last vx_core_poll dequeued some, or a
 * learn ring holds some (checking the rings alone is not enough: the poll
 * just emptied them, and they refill during a sleep). vx_server_poll()
 * then does not sleep, so the control loop applies ring after ring
 * instead of one ring per POLL_TIMEOUT_MS (which capped learning near
 * ring size / 5 ms).
 */
bool vx_core_learn_pending(struct vx_ctl *c);

/* Port lookup by name ("net_pcap0", a rename, or "0000:03:00.0"). */
struct vx_ctl_port *vx_ctl_port_find(struct vx_ctl *c, const char *name);

/*
 * Seams between core and underlay.
 *
 * vx_ul_vtep_resolve: given vt with bd, remote, local, dstport, vni and
 * the link's ttl/tos/df in *opt filled, choose the egress port and next hop
 * (routes), build vt->hdr (template.c) and set VX_VTEP_RESOLVED when the
 * next hop's MAC is known; otherwise start resolution and set vt->neigh.
 * Returns 0, or -ENETUNREACH when no route (the VTEP then drops NO_ROUTE).
 *
 * vx_core_vtep_rebuild: the underlay calls it when a neighbour or route
 * changed; the core re-resolves every VTEP using neigh (or all when
 * neigh == UINT32_MAX) and republishes the changed ones.
 */
struct vx_encap_opt {
	uint8_t ttl; /* 0 = inherit -> 64, as the kernel's default */
	uint8_t tos;
	bool df;
	bool udpcsum;
	bool udp6zerocsumtx;
};
int vx_ul_vtep_resolve(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_encap_opt *opt);
void vx_core_vtep_rebuild(struct vx_ctl *c, uint32_t neigh);
/* Underlay: is ip one of our addresses (for `local` validation and show). */
bool vx_ul_is_local(struct vx_ctl *c, const struct vx_ip *ip);
/*
 * dp->local is owned by the underlay (addresses); the core tells it which
 * UDP destination ports the links use, and it republishes dp->local.
 */
void vx_ul_set_dstports(struct vx_ctl *c, const uint16_t *ports, uint16_t n);

/*
 * Ports are published by the core (vx_core_port_publish builds a new
 * struct vx_port: the access map from the core, the underlay role and
 * VLAN from vx_ul_port_role()). The underlay calls vx_core_port_publish()
 * when a port gains its first or loses its last address.
 */
void vx_core_port_publish(struct vx_ctl *c, uint16_t port);
/* Sets or clears VX_PORT_UNDERLAY in *flags and sets *underlay_vlan (0 = untagged). */
void vx_ul_port_role(struct vx_ctl *c, uint16_t port, uint16_t *flags, uint16_t *underlay_vlan);
/*
 * vx_ul_vtep_resolve() returns -EADDRNOTAVAIL when vt->local is set but
 * is not (yet) one of our addresses: the VTEP stays unresolved and the
 * link is shown as waiting for its local address; the underlay calls
 * vx_core_vtep_rebuild(c, UINT32_MAX) when addresses or routes change.
 */

/* Underlay command families (argv[0] is "addr", "route" or "neigh"). */
int vx_cmd_addr(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_route(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_neigh(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);

/* server.c: send an event line to every `monitor` client ("fdb" stream). */
void vx_ctl_event(struct vx_ctl *c, const char *stream, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* server.c: true when some `monitor` client takes that stream (skip formatting otherwise). */
bool vx_ctl_event_wanted(struct vx_ctl *c, const char *stream);

/* save.c: write the running static configuration as vxctl lines. */
int vx_save(struct vx_ctl *c, const char *path, struct vx_out *err);
/* Replay a file of vxctl lines; on error *lineno is the failing line. */
int vx_replay(struct vx_ctl *c, const char *path, int *lineno, struct vx_out *err);
/* Each part appends its own lines to a save (links before fdb, addr before route). */
void vx_core_save(struct vx_ctl *c, struct vx_out *o);
void vx_ul_save(struct vx_ctl *c, struct vx_out *o);

#endif /* VX_CTL_H */
