/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_AGENT_H
#define FAB_AGENT_H

/*
 * The agent: one node's state and the steps that converge it.
 *
 *   etcd  ──range + watch──► view (every node's lease) ──► want (3 sets)
 *                                                          │ diff against
 *   owned (state file: what we programmed) ────────────────┤ have:
 *                                   vxswitch FDB (socket) ◄┤  FDB
 *                     kernel neighbours, routes (netlink) ◄┘  NEIGH, ROUTE
 *
 * A step is due when its condition holds and its timer has passed:
 * config read, vxswitch connection and link setup, the TAP found in the
 * kernel, the lease taken and kept alive, the local address/MTU/subnet
 * file, the range read and watch, and the reconciles. A step that fails
 * is retried a second later; nothing is ever flushed because etcd or
 * vxswitch is unreachable. One thread, one loop (main.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include "fabric/diff.h"
#include "fabric/etcd.h"
#include "fabric/lease.h"
#include "fabric/nl.h"
#include "fabric/subnet.h"
#include "fabric/view.h"
#include "fabric/vxsw.h"

struct fab_opts {
	const char *endpoints, *prefix, *sock, *link, *iface, *subnet_file, *state_file;
	uint32_t public_ip;
	int64_t ttl;
	long etcd_timeout_ms;
};

/* A step's timer: due at `at` (ms, monotonic); `down` says its last try failed (log once). */
struct fab_timer {
	uint64_t at;
	bool down;
};

struct fab_agent {
	struct fab_opts o;
	struct fab_etcd etcd;
	struct fab_nl nl;
	struct fab_nl mon; /* the kernel's notifications */
	struct fab_vxsw sw;
	struct fab_net net;
	bool have_net;
	bool sw_ready;	       /* connected, link and port set up */
	struct fab_ifinfo ifi; /* the TAP in the kernel (ifindex 0: not found) */
	struct fab_held held;
	bool have_lease;
	uint32_t addr_subnet; /* the subnet whose .0/32 is on the TAP (0: none) */
	int addr_ifindex;
	bool local_ok; /* address, MTU, subnet file match held and ifi */
	char env[256]; /* the subnet file as last written */
	struct fab_view view;
	bool synced;  /* view read whole and watched */
	bool changed; /* view changed since the last reconcile */
	bool sw_full, k_full;
	struct fab_set want[FAB_KINDS];
	struct fab_set owned[FAB_KINDS];
	struct fab_timer t_net, t_sw, t_if, t_lease, t_keep, t_local, t_sync, t_full;
};

uint64_t fab_now_ms(void);

int fab_agent_init(struct fab_agent *a, const struct fab_opts *o);
void fab_agent_fini(struct fab_agent *a);

/* Run every step that is due; returns the time (ms) the next one falls due. */
uint64_t fab_agent_step(struct fab_agent *a);

/* Apply the watch's pending events; a broken watch schedules a resync. */
void fab_agent_events(struct fab_agent *a);

/* The kernel's notifications (fab_nl_fd(&a->mon) readable): the TAP, or entries, went. */
void fab_agent_kernel_events(struct fab_agent *a);

/* The vxswitch socket spoke while idle: it closed (vxswitch stopped or restarts). */
void fab_agent_sw_hup(struct fab_agent *a);

/* reconcile.c: which targets a pass converges and how (in), their results (out). */
struct fab_rc {
	bool sw, sw_full;  /* vxswitch's FDB; read back first */
	bool k, k_full;	   /* the kernel's neighbours and routes; read back first */
	int sw_ret, k_ret; /* 0, or -errno: that target wants a full pass again */
};

/* Converge vxswitch's FDB and the kernel's neighbours and routes to the want sets. */
void fab_reconcile(struct fab_agent *a, struct fab_rc *rc);
/* The want sets from the view (own lease left out). */
int fab_reconcile_want(struct fab_agent *a);
/* Write the state file (owned). */
void fab_reconcile_save(struct fab_agent *a);

#endif /* FAB_AGENT_H */
