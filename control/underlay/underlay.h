/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_UNDERLAY_H
#define VX_UNDERLAY_H

/*
 * The underlay: the switch as an IP host on its underlay ports. Its own
 * addresses (addr.c), routes (route.c, rte_lpm/rte_lpm6), the neighbour
 * table and next-hop resolution for VTEPs (neigh.c, nexthop.c), the
 * multicast groups its ports listen to (group.c, IGMPv3/MLDv2), ARP, ND
 * and ICMP echo answered to its addresses (input.c), the punt path that
 * brings those frames from the workers (punt.c) and the control thread's
 * transmit path (tx.c). underlay.c owns the state and its life cycle.
 *
 * Written and read by the control thread only. What the workers see of
 * it is published: dp->local (addresses, joined groups and listening UDP
 * ports, addr.c),
 * each port's underlay role and VLAN (through the core's port
 * publication, which asks vx_ul_port_role()) and each VTEP's outer
 * header (the core's VTEP publication, which asks vx_ul_vtep_resolve()).
 *
 * The underlay knows nothing of links or VTEP objects: when something it
 * owns changes in a way the core must see, it calls the hooks the core
 * registered (struct vx_ul_hooks).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "lib/ctl.h"
#include "underlay/neigh.h"
#include "underlay/wire.h"
#include "vx_tables.h"

struct rte_mbuf;
struct rte_lpm;
struct rte_lpm6;

/* An address of the switch on an underlay port. */
struct vx_ul_addr {
	bool used;
	uint8_t plen;
	uint16_t port;
	struct vx_ip ip;
};

#define VX_RT_MAX 1024

struct vx_route {
	bool used;
	bool connected; /* proto kernel scope link, from an address */
	uint8_t plen;
	uint16_t port;
	struct vx_ip dst; /* prefix, host bits zero */
	struct vx_ip gw;  /* family 0 when connected */
	struct vx_ip src; /* connected: the address */
};

#define VX_PUNT_POLL_MAX 64 /* punted mbufs taken per worker ring per poll */

/* A multicast group a port listens to (group.c). */
struct vx_ul_group {
	bool used;
	uint16_t port;
	uint16_t refs; /* links that joined it; 0 = left, leave reports still to send */
	struct vx_ip ip;
	uint8_t retx;	  /* state-change reports still to send */
	uint64_t retx_ms; /* when the next one goes */
	uint64_t resp_ms; /* answer to a group-specific query due, 0 = none */
};

/* What the underlay tells the room above it (set by the core at its init). */
struct vx_ul_hooks {
	/*
	 * Next hops changed: neigh is the id of a neighbour whose usable MAC
	 * appeared, changed or went away, or UINT32_MAX when routes or
	 * addresses changed. The VTEPs that use it must be resolved again.
	 */
	void (*nexthop_changed)(struct vx_ctl *c, uint32_t neigh);
	/* The port gained its first or lost its last address: republish it. */
	void (*port_changed)(struct vx_ctl *c, uint16_t port);
	/* A VX_PUNT_OVERLAY frame (an inner frame of a link); consumes m. */
	void (*overlay_input)(struct vx_ctl *c, struct rte_mbuf *m);
	/*
	 * Traffic goes to VTEP idx, resolved lazily: its next hop now exists
	 * (and is being resolved); resolve the VTEP again, holding it.
	 */
	void (*vtep_wanted)(struct vx_ctl *c, uint32_t idx);
};

struct vx_ctl_underlay {
	struct vx_ul_addr addr[VX_MAX_LOCAL_ADDR];
	uint16_t port_vlan[VX_MAX_PORTS]; /* underlay VLAN per port (0 = untagged) */
	uint16_t dstport[VX_MAX_DSTPORTS];
	uint16_t n_dstport;
	struct vx_route rt[VX_RT_MAX];
	struct rte_lpm *lpm;
	struct rte_lpm6 *lpm6;
	struct vx_neigh_tbl nt;
	struct vx_ul_group group[VX_MAX_GROUPS];
	uint64_t mc_resp_ms[VX_MAX_PORTS][2]; /* answer to a general query due: [port][IPv6] */
	struct vx_ul_hooks hooks;
	/* Seams, replaceable by tests. */
	uint64_t (*now_ms)(void);
	uint16_t (*tx)(struct vx_ctl *c, uint16_t port, struct rte_mbuf **m, uint16_t n);
};

/* ---- underlay.c: life cycle ---- */
int vx_ul_init(struct vx_ctl *c);
void vx_ul_fini(struct vx_ctl *c);
/* Punted frames and neighbour timers; from the control loop at least every 10 ms. */
void vx_ul_poll(struct vx_ctl *c);

/* ---- addr.c: the switch's addresses ---- */
const struct vx_ul_addr *vx_ul_addr_find(struct vx_ctl *c, const struct vx_ip *ip);
const struct vx_ul_addr *vx_ul_addr_on_port(struct vx_ctl *c, uint16_t port, int family);
bool vx_ul_is_local(struct vx_ctl *c, const struct vx_ip *ip);
bool vx_ul_port_has_addr(struct vx_ctl *c, uint16_t port);
/*
 * Add a (validated: not ours yet, the port's VLAN agrees) on its port with
 * the port's underlay VLAN vlan: connected route, dp->local, announcement
 * (gratuitous ARP or unsolicited NA), hooks. -ENOSPC when the table is full.
 */
int vx_ul_addr_add(struct vx_ctl *c, const struct vx_ul_addr *a, uint16_t vlan);
/* Remove one of our addresses (a points into the table). */
void vx_ul_addr_del(struct vx_ctl *c, const struct vx_ul_addr *a);
/* Set VX_PORT_UNDERLAY in *flags and *underlay_vlan when the port has an address. */
void vx_ul_port_role(struct vx_ctl *c, uint16_t port, uint16_t *flags, uint16_t *underlay_vlan);
/* The UDP destination ports the links listen on, into dp->local. */
void vx_ul_set_dstports(struct vx_ctl *c, const uint16_t *ports, uint16_t n);
/* Copy-then-publish dp->local from the model. */
int vx_ul_local_publish(struct vx_ctl *c);

/* ---- route.c: routes ---- */
int vx_route_init(struct vx_ctl *c);
void vx_route_fini(struct vx_ctl *c);
/* Add (or replace) a validated route; -EEXIST, -ENOSPC or rte_lpm's error. */
int vx_route_add(struct vx_ctl *c, const struct vx_route *r, bool replace);
/* -ESRCH when there is no such route (or it has another gateway than gw, when given). */
int vx_route_del(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen, const struct vx_ip *gw);
/* The entry of exactly dst/plen, or NULL. */
const struct vx_route *vx_route_find(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen);
/*
 * The longest connected route (an address's network) that holds ip, on
 * port (-1: any port); NULL when none does. What a gateway must be on.
 */
const struct vx_route *vx_route_connected(struct vx_ctl *c, const struct vx_ip *ip, int port);
/* Delete the routes whose gateway is no longer on a connected network of their port, or ours. */
void vx_route_prune(struct vx_ctl *c);
/* Longest match, then the default route of ip's family; NULL: unreachable. */
const struct vx_route *vx_route_lookup(struct vx_ctl *c, const struct vx_ip *ip);
/* ---- nexthop.c: VTEP next hops ---- */
extern const struct vx_neigh_ops vx_ul_neigh_ops;
/* The source address of traffic along r (as the kernel picks it), or NULL. */
const struct vx_ul_addr *vx_route_src(struct vx_ctl *c, const struct vx_route *r, int family);
/*
 * Given vt with remote, local, dstport and vni set and the link's options
 * in *opt, choose the egress port and next hop (routes), build vt->hdr
 * (template.c) and set VX_VTEP_RESOLVED when the next hop's MAC is known;
 * otherwise start resolution. vt->neigh names the next hop, on which vt
 * holds a reference (vx_ul_vtep_release gives it back). lazy (a VTEP
 * learned from traffic, whose outer source anyone can write): use the
 * next hop if it exists, but create and probe none before a frame is sent
 * to the VTEP (vx_ul_queue_unresolved). A multicast remote (a link's
 * group) needs no route and no next hop: it leaves vt->port (set by the
 * caller: the link's dev) to the group's Ethernet address, resolved at
 * once. Returns 0, -ENETUNREACH without a route (or port), -EADDRNOTAVAIL
 * when vt->local is set but not (yet) ours, -ENOSPC when the neighbour
 * table is full.
 */
int vx_ul_vtep_resolve(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_encap_opt *opt,
		       bool lazy);
/* vt is no longer published: its reference on its next hop goes. */
void vx_ul_vtep_release(struct vx_ctl *c, const struct vx_vtep *vt);
/*
 * Was m (an encapsulated frame punted with vt's index) built from vt's
 * header: the same outer destination, UDP port and VNI? A VTEP's index is
 * reused after a grace period, and a punted frame may wait longer.
 */
bool vx_ul_frame_of_vtep(const struct vx_vtep *vt, struct rte_mbuf *m);
/* An encapsulated frame for vt, whose next hop is unresolved: queue it on the neighbour. */
void vx_ul_queue_unresolved(struct vx_ctl *c, const struct vx_vtep *vt, struct rte_mbuf *m);

/* ---- group.c: multicast groups the ports listen to (IGMPv3, MLDv2) ---- */
/* Can port join ip (joined already, or a free slot)? port < 0: no port, true. */
bool vx_ul_group_room(struct vx_ctl *c, int port, const struct vx_ip *ip);
/*
 * A link listens to ip on port: the first one joins (dp->local, reports);
 * -ENOSPC when VX_MAX_GROUPS are joined.
 */
int vx_ul_group_join(struct vx_ctl *c, uint16_t port, const struct vx_ip *ip);
/* A link stops listening: the last one leaves (dp->local, reports). */
void vx_ul_group_leave(struct vx_ctl *c, uint16_t port, const struct vx_ip *ip);
/* A punted IGMP or MLD frame (VX_PUNT_MCAST): queries are answered. Consumes m. */
void vx_ul_mc_input(struct vx_ctl *c, struct rte_mbuf *m);
/* Reports due: repeated joins and leaves, answers to queries. */
void vx_ul_group_poll(struct vx_ctl *c);

/* ---- input.c: ARP, ND and ICMP to our addresses (consume m) ---- */
void vx_arp_input(struct vx_ctl *c, struct rte_mbuf *m);
void vx_nd_input(struct vx_ctl *c, struct rte_mbuf *m);
void vx_icmp_input(struct vx_ctl *c, struct rte_mbuf *m);

/* ---- punt.c ---- */
void vx_punt_poll(struct vx_ctl *c);

/* ---- tx.c: what the control thread sends ---- */
uint64_t vx_ul_now(struct vx_ctl *c);
/* A frame of len bytes (+ an 802.1Q tag vid when not 0) in a fresh mbuf, padded to 60 bytes. */
struct rte_mbuf *vx_ul_frame_mbuf(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t vid,
				  uint16_t port);
/* Send one frame from buf on port (through worker 0); 0 or -errno. */
int vx_ul_send(struct vx_ctl *c, uint16_t port, const uint8_t *buf, uint16_t len);
/* Send m on port (consumed; counted TX_FULL when the control tx ring is full). */
void vx_ul_tx_mbuf(struct vx_ctl *c, uint16_t port, struct rte_mbuf *m);

#endif /* VX_UNDERLAY_H */
