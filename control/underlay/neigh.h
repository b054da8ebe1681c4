/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_UL_NEIGH_H
#define VX_UL_NEIGH_H

/*
 * The neighbour table: (port, IP) -> MAC with the kernel's NUD states and
 * timers (neigh.c, where the state machine is described). Pure: no EAL,
 * times passed in by the caller, packets opaque (void *), everything it
 * must do outside (send a request, transmit or drop a queued frame, tell
 * that a MAC changed) asked through struct vx_neigh_ops. The underlay
 * owns one table for its next hops and neighbours (underlay.c), the core
 * one for the links' proxy entries (core/proxy.c: port = the link's bridge
 * domain); unit tests drive one with a fake clock.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "vx_limits.h"
#include "vx_tables.h"

enum vx_nud {
	VX_NUD_NONE = 0,
	VX_NUD_INCOMPLETE, /* resolving: multicast/broadcast probes */
	VX_NUD_REACHABLE,  /* confirmed within reachable_time */
	VX_NUD_STALE,	   /* MAC known, not confirmed recently */
	VX_NUD_PROBE,	   /* STALE and in use: unicast probes */
	VX_NUD_FAILED,	   /* no answer to probes */
	VX_NUD_PERMANENT,  /* static, never changes by itself */
	VX_NUD_NOARP,	   /* static proxy entry (shown, not probed) */
};

/* Kernel defaults (net.ipv4.neigh.default.*), fixed here. */
#define VX_NEIGH_PROBES	      3	    /* mcast_solicit = ucast_solicit = 3 */
#define VX_NEIGH_RETRANS_MS   1000  /* retrans_time_ms */
#define VX_NEIGH_REACHABLE_MS 30000 /* base_reachable_time_ms (not randomised) */
#define VX_NEIGH_GC_STALE_MS  60000 /* gc_stale_time: unused STALE entries go */
#define VX_NEIGH_QLEN	      8	    /* frames held per unresolved neighbour */
#define VX_NEIGH_MAX	      1024

#define VX_NEIGH_ID_BITS 11 /* id & VX_NEIGH_ID_MASK = index + 1 */
#define VX_NEIGH_ID_MASK ((1u << VX_NEIGH_ID_BITS) - 1)

struct vx_neigh {
	/*
	 * Index + 1 in the low VX_NEIGH_ID_BITS, a generation above: an id
	 * names one entry for its whole life and never a later one in the
	 * same slot. 0 = free slot.
	 */
	uint32_t id;
	uint16_t port;
	uint8_t state; /* enum vx_nud */
	uint8_t probes;
	uint8_t qlen;
	uint16_t refs; /* VTEPs using it as their next hop (kept fresh by probes) */
	struct vx_ip ip;
	struct rte_ether_addr mac;
	uint64_t confirmed_ms;	/* last confirmation */
	uint64_t updated_ms;	/* last state change */
	uint64_t timer_ms;	/* next timer event, 0 = none */
	void *q[VX_NEIGH_QLEN]; /* queued frames, oldest first */
};

struct vx_neigh_tbl;

/* What the state machine asks of its owner (the daemon, or a test). */
struct vx_neigh_ops {
	/* Send a request: broadcast/multicast, or unicast to n->mac when unicast. */
	void (*solicit)(void *ctx, struct vx_neigh *n, bool unicast);
	/* n resolved: transmit a queued frame to n->mac (consumes pkt). */
	void (*xmit)(void *ctx, struct vx_neigh *n, void *pkt);
	/* Drop a queued frame (queue full or resolution failed); count it. */
	void (*drop)(void *ctx, struct vx_neigh *n, void *pkt);
	/* n's usable MAC appeared, changed or went away: rebuild templates. */
	void (*changed)(void *ctx, struct vx_neigh *n);
};

struct vx_neigh_tbl {
	struct vx_neigh n[VX_NEIGH_MAX];
	const struct vx_neigh_ops *ops;
	void *ctx;
	uint32_t gen;	  /* generation of the next id */
	uint64_t evicted; /* entries evicted for room (a full table) */
};

void vx_neigh_tbl_init(struct vx_neigh_tbl *t, const struct vx_neigh_ops *ops, void *ctx);
struct vx_neigh *vx_neigh_get(struct vx_neigh_tbl *t, uint32_t id);
struct vx_neigh *vx_neigh_find(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip);
/* Does n have a MAC that may be used to transmit? */
bool vx_neigh_valid(const struct vx_neigh *n);
/*
 * Next-hop use: find or create the entry, take a reference (a VTEP's),
 * and start resolution if it has no MAC (INCOMPLETE, first probe now).
 * NULL when the table is full of entries that may not be evicted.
 */
struct vx_neigh *vx_neigh_resolve(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip,
				  uint64_t now);
/* A reference on an existing entry, without starting its resolution. */
void vx_neigh_hold(struct vx_neigh *n);
/*
 * Give back a reference taken by vx_neigh_resolve or vx_neigh_hold (id
 * may name an entry that is gone: then nothing). An entry nobody uses
 * any more is removed when it has no MAC, and goes stale otherwise.
 */
void vx_neigh_release(struct vx_neigh_tbl *t, uint32_t id, uint64_t now);
/*
 * Queue a frame for n (n without a valid MAC). A FAILED entry restarts
 * resolution, as a packet does in the kernel. When the queue is full the
 * oldest frame is dropped (as the kernel's arp_queue). If n is valid the
 * frame is sent at once.
 */
void vx_neigh_enqueue(struct vx_neigh_tbl *t, struct vx_neigh *n, void *pkt, uint64_t now);
/*
 * Input from the wire. solicited: an ARP reply / NA with S set for an
 * entry we asked about -> REACHABLE; otherwise (requests we answer,
 * gratuitous ARP, unsolicited NA) the entry becomes STALE if it is new or
 * its MAC changes. create: create a missing entry (learning from a
 * request for our address, as Linux does); otherwise only update.
 */
struct vx_neigh *vx_neigh_input(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip,
				const struct rte_ether_addr *mac, bool solicited, bool create,
				uint64_t now);
/* Static entries (vxctl neigh add/replace). state is PERMANENT, REACHABLE, STALE or NOARP. */
int vx_neigh_set(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip,
		 const struct rte_ether_addr *mac, uint8_t state, bool replace, uint64_t now);
void vx_neigh_del(struct vx_neigh_tbl *t, struct vx_neigh *n);
/* Run timers due at now. */
void vx_neigh_timer(struct vx_neigh_tbl *t, uint64_t now);
const char *vx_nud_name(uint8_t state);
/* Remove every entry of port that is not PERMANENT or NOARP (`neigh flush dev PORT`). */
void vx_neigh_flush(struct vx_neigh_tbl *t, uint16_t port);
/* Every entry of port in table order: *pos = 0 first; NULL at the end. */
struct vx_neigh *vx_neigh_next(struct vx_neigh_tbl *t, uint16_t port, uint32_t *pos);

#endif /* VX_UL_NEIGH_H */
