/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CORE_H
#define VX_CORE_H

/*
 * The core: the VTEP model and its publication to the dataplane.
 *
 * What it holds (struct vx_ctl_core, owned by core.c): the VXLAN links
 * (bridge domains) with their options, flood lists and overlay addresses;
 * which port and VLAN is attached to which link; the state of static FDB
 * entries; the VTEP objects that FDB and flood entries share. The model is
 * the truth; the dataplane tables (include/vx_tables.h) are published from
 * it, copy-then-publish, by publish.c and vtep.c. The FDB itself is the
 * dataplane's (dp->fdb): the core is its single writer (static entries,
 * learning, ageing, removal).
 *
 * Writer and reader: the control thread only.
 *
 * Files, each calling only the ones above it in this list:
 *   model.c    the model's types (model.h) and lookups over it
 *   vtep.c     VTEP objects: find-or-create, references, publication
 *   publish.c  links and ports to the dataplane (dp->bd[], dp->port[])
 *   fdb.c      FDB entries: static state, removal, flush, their bridge fdb text
 *   miss.c     miss events (l2miss, l3miss), deduplicated and rate-limited
 *   flood.c    flood lists (all-zero MAC entries)
 *   learn.c    learn requests from the workers applied to the FDB
 *   age.c      ageing of dynamic entries
 *   host.c     the switch's own addresses inside a link
 *   proxy.c    a link's neighbour entries, for ARP/ND suppression
 *   send.c     frames the control thread sends into a link
 *   answer.c   ARP/ND/echo a link's inner frames ask of the switch
 *   link.c     link add, del and set
 *   port.c     attaching ports to links, port names and MTUs
 *   core.c     the state's life cycle and the control loop's poll
 *
 * The command layer (cli/) parses and validates a command against the
 * model with the lookups here, then calls one of the operations; an
 * operation fails only on resources (memory, table slots), with
 * vx_err() into out.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "core/model.h"
#include "lib/ctl.h"
#include "lib/out.h"
#include "underlay/wire.h"
#include "vx_tables.h"

struct rte_mbuf;

/* ---- vtep.c ---- */
/*
 * Find or create the VTEP (bd, remote, dstport, vni); takes a reference.
 * learned: a new one is resolved lazily (vtep.c). idx or -errno.
 */
int vx_vtep_get(struct vx_ctl *c, uint16_t bd, const struct vx_ip *remote, uint16_t dstport,
		uint32_t vni, bool learned);
/* Traffic goes to a lazily resolved VTEP: resolve it now (the underlay's hook). */
void vx_vtep_wanted(struct vx_ctl *c, uint32_t idx);
void vx_vtep_put(struct vx_ctl *c, uint32_t idx);
/* Re-resolve and republish every VTEP of bd (its link's options changed). */
void vx_vtep_rebuild_bd(struct vx_ctl *c, uint16_t bd);
/* Re-resolve the VTEPs using next hop neigh (UINT32_MAX: all); the underlay's hook. */
void vx_vtep_rebuild_nexthop(struct vx_ctl *c, uint32_t neigh);
/* Free retired VTEPs after one grace period. */
void vx_vtep_flush_retired(struct vx_ctl *c);

/* ---- publish.c ---- */
/* Publish dp->bd[l->bd] (members from the access maps, flood list) from the model. */
int vx_core_bd_publish(struct vx_ctl *c, struct vx_link *l);
/*
 * The same from options and a flood list that are not (yet) the link's:
 * a change is published first and kept in the model only once that
 * succeeded, so that a failure leaves the published link and the model
 * as they were.
 */
int vx_core_bd_publish_as(struct vx_ctl *c, const struct vx_link *l, const struct vx_link_opt *opt,
			  const struct vx_flood_ent *flood, uint16_t n_flood);
/*
 * A new epoch for l, published: the learn requests the workers made
 * before (of its FDB entries as they were) are dropped as stale. For a
 * flush, whose requests in flight would re-add what it removed.
 */
int vx_core_link_new_epoch(struct vx_ctl *c, struct vx_link *l);
/* Publish dp->port[port]: access map, underlay role and VLAN. */
void vx_core_port_publish(struct vx_ctl *c, uint16_t port);
/* Tell the underlay which UDP ports the links listen on. */
void vx_core_dstports(struct vx_ctl *c);

/*
 * Every worker's and the control thread's counters summed (vx_stats_sum),
 * each link's own counters from the moment it was added.
 */
void vx_core_stats_sum(struct vx_ctl *c, struct vx_lcore_stats *st);

/* ---- fdb.c ---- */
/* VX_ST_* of an entry (key, word e as the FDB returned it). */
uint8_t vx_core_fdb_state(struct vx_ctl *c, uint64_t key, uint64_t e);
/*
 * Write entry e for key (old: the word it replaces, 0 = new) with state:
 * link counts, static state, a fresh last-seen for a dynamic entry, the
 * old entry's VTEP reference released, a monitor event. e holds its own
 * VTEP reference, which the caller releases when this fails.
 */
int vx_core_fdb_write(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old, uint64_t e,
		      uint8_t state, struct vx_out *out);
/*
 * The entry for key (old: the word it replaces, 0 = new) of link l: to
 * the VTEP (dst, port 0 = the link's dstport, vni UINT32_MAX = the
 * link's VNI), or local on port/vlan; state VX_ST_*; flags 0 or
 * VX_FDB_ROUTER (`router`: the entry of a router, for route
 * short-circuit).
 */
int vx_core_fdb_add_remote(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old,
			   const struct vx_ip *dst, uint16_t port, uint32_t vni, uint8_t state,
			   uint64_t flags, struct vx_out *out);
int vx_core_fdb_add_local(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old,
			  uint16_t port, uint16_t vlan, uint8_t state, uint64_t flags,
			  struct vx_out *out);
/* Delete one entry: word, VTEP reference, counts, static state; event when announce. */
void vx_core_fdb_remove(struct vx_ctl *c, uint64_t key, uint64_t entry, bool announce);
typedef bool (*vx_fdb_match_fn)(struct vx_ctl *c, uint64_t key, uint64_t entry, void *arg);
/* One FDB entry as vx_core_fdb_collect gathers it. */
struct vx_fdb_item {
	uint64_t key;
	uint64_t entry;
	uint32_t pos;  /* its slot (dp->fdb.last_seen[pos]) */
	uint8_t state; /* VX_ST_* */
};
/* The entries for which match() is true (NULL: all), in table order; a malloc'd array. */
int vx_core_fdb_collect(struct vx_ctl *c, vx_fdb_match_fn match, void *arg,
			struct vx_fdb_item **items, uint32_t *n);
/*
 * After `fdb flush dev LINK` (bd) or `dev PORT` (port, bd 0): a new epoch
 * for the links it touched, so that learn requests in flight do not put
 * back what it removed; the learning window restarts.
 */
void vx_core_fdb_flushed(struct vx_ctl *c, uint16_t bd, int port);
/* Delete every entry for which match() is true; returns how many (statics in *n_static). */
uint32_t vx_core_fdb_flush(struct vx_ctl *c, vx_fdb_match_fn match, void *arg, uint32_t *n_static);
/*
 * One `bridge fdb show` line, or JSON object (json), of an entry or a
 * flood entry. used: seconds since the entry was last seen, -1 = not
 * shown. *first: no comma before this JSON object; cleared.
 */
void vx_core_fdb_format(struct vx_ctl *c, struct vx_out *o, uint64_t key, uint64_t entry,
			uint8_t state, int64_t used, bool json, const char *prefix, bool *first);
void vx_core_flood_format(struct vx_ctl *c, struct vx_out *o, const struct vx_link *l,
			  const struct vx_flood_ent *f, bool json, bool *first);
/* The entry's line on the "fdb" monitor stream (prefix "Deleted " or NULL). */
void vx_core_fdb_announce(struct vx_ctl *c, uint64_t key, uint64_t e, uint8_t state,
			  const char *prefix);

/* ---- miss.c ---- */
/*
 * May a miss of address a be announced at now_ms? 1 yes (and it is
 * remembered), 0 no: the same address was announced within
 * VX_MISS_HOLD_MS, -1 no: over VX_MISS_RATE. Pure: the tests drive it.
 */
int vx_miss_admit(struct vx_miss *m, const struct vx_miss_addr *a, uint64_t now_ms);
/*
 * A miss on l of mac (l2miss) or, mac NULL, of ip (l3miss): a `miss ADDR
 * dev LINK` line (and its JSON) on the "fdb" monitor stream when the link
 * has the option, someone listens, and vx_miss_admit agrees.
 */
void vx_core_miss(struct vx_ctl *c, struct vx_link *l, const struct rte_ether_addr *mac,
		  const struct vx_ip *ip);
/* A worker's miss request (struct vx_learn_req of kind VX_LEARN_MISS_*). */
void vx_core_miss_req(struct vx_ctl *c, const struct vx_learn_req *req);

/* ---- flood.c ---- */
/* Flood entry -> VTEP reference (f->vtep). */
int vx_flood_vtep(struct vx_ctl *c, struct vx_link *l, struct vx_flood_ent *f);
/* Index of the entry (dst, port, vni) in l->flood[], or -1. */
int vx_flood_find(const struct vx_link *l, const struct vx_ip *dst, uint16_t port, uint32_t vni);
/*
 * Add nf (fdb add/append), or with replace put it in place of the first
 * entry as the kernel does; republishes the link.
 */
int vx_core_flood_add(struct vx_ctl *c, struct vx_link *l, const struct vx_flood_ent *nf,
		      bool replace, struct vx_out *out);
/* Delete the entries matching dst (NULL: all), port (0: any), vni (UINT32_MAX: any). */
int vx_core_flood_del(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *dst, uint16_t port,
		      uint32_t vni, struct vx_out *out);
/* Release every flood entry's VTEP (a link that is no longer published). */
void vx_core_flood_release(struct vx_ctl *c, struct vx_link *l);
/*
 * The link's group membership from old options to new ones (NULL: none):
 * the group of new is joined on its dev, then old's left, unless they are
 * the same (a warning in out when the join finds no room).
 */
void vx_core_group_sync(struct vx_ctl *c, const struct vx_link_opt *old,
			const struct vx_link_opt *new, struct vx_out *out);

/* A flood list being changed: see flood.c. */
struct vx_flood_edit {
	struct vx_flood_ent ent[VX_MAX_FLOOD];
	uint16_t n;
	uint32_t put[VX_MAX_FLOOD + 1]; /* references to give back once the change is kept */
	uint16_t n_put;
	uint32_t got;	  /* reference taken for the entry added, 0 = none */
	bool remote_gone; /* the `remote` entry went: the option goes too */
	bool group_gone;  /* the `group` entry went: the option goes too */
};
struct vx_flood_edit *vx_flood_edit_begin(const struct vx_link *l);
/*
 * The link's `remote` (group false) or `group` option as the first entry of
 * the copy, replacing the earlier one.
 */
int vx_flood_edit_remote(struct vx_ctl *c, struct vx_link *l, struct vx_flood_edit *e,
			 const struct vx_ip *remote, bool group, struct vx_out *out);
/*
 * Publish l with the copy (and options opt, NULL = l's), then keep both
 * and give the removed entries' references back; on failure nothing
 * changes. Frees e either way. When the options' (dev, group) changed, the
 * new group is joined and the old one left.
 */
int vx_flood_edit_commit(struct vx_ctl *c, struct vx_link *l, struct vx_flood_edit *e,
			 const struct vx_link_opt *opt, struct vx_out *out);
void vx_flood_edit_abort(struct vx_ctl *c, struct vx_flood_edit *e);

/* ---- learn.c, age.c ---- */
/* Apply one learn request (tests; the control loop drains the rings in vx_core_poll). */
void vx_core_learn(struct vx_ctl *c, const struct vx_learn_req *req);
/* Drain the learn rings (a whole ring per worker at most) and apply the requests. */
void vx_core_learn_poll(struct vx_ctl *c);
/* One ageing step over budget FDB positions; returns entries aged. */
uint32_t vx_core_age(struct vx_ctl *c, uint32_t budget);
/* Ageing paced by the clock: at most one pass over the table per second. */
void vx_core_age_poll(struct vx_ctl *c);

/* ---- host.c ---- */
int vx_host_addr_find(const struct vx_link *l, const struct vx_ip *ip);
/* Link with the address ip other than l, or NULL. */
struct vx_link *vx_host_addr_owner(struct vx_ctl *c, const struct vx_ip *ip);
int vx_host_addr_add(struct vx_ctl *c, struct vx_link *l, const struct vx_host_addr *a,
		     struct vx_out *out);
void vx_host_addr_del(struct vx_ctl *c, struct vx_link *l, int idx);
/* An echo request to one of l's addresses, turned into its reply in place. */
bool vx_host_echo(const struct vx_link *l, uint8_t *f, uint16_t len);

/* ---- proxy.c ---- */
struct vx_neigh;
/* The proxy entries' table (core->proxy), at core init. */
int vx_proxy_init(struct vx_ctl *c);
struct vx_neigh *vx_proxy_find(struct vx_ctl *c, const struct vx_link *l, const struct vx_ip *ip);
/* Every proxy entry of l in table order: *pos = 0 first; NULL at the end. */
struct vx_neigh *vx_proxy_next(struct vx_ctl *c, const struct vx_link *l, uint32_t *pos);
/* A static entry (state PERMANENT or NOARP), over a learned one if any. */
int vx_proxy_set(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip,
		 const struct rte_ether_addr *mac, uint8_t state, bool replace);
void vx_proxy_del(struct vx_ctl *c, struct vx_link *l, struct vx_neigh *n);
/* Remove every proxy entry of l; returns how many. */
unsigned int vx_proxy_flush(struct vx_ctl *c, struct vx_link *l);
/* Remove l's learned entries (`neigh flush dev LINK`). */
void vx_proxy_flush_learned(struct vx_ctl *c, struct vx_link *l);
/*
 * `proxy learn`: ip is at mac, as an ARP reply or NA from the overlay says.
 * Added or refreshed as a learned entry, unless a static one is there.
 */
void vx_proxy_learn(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip,
		    const struct rte_ether_addr *mac);
/* Learned entries not refreshed for their link's ageing go. */
void vx_proxy_age(struct vx_ctl *c);

/*
 * The MAC that answers for ip on l (an access-port request on a proxy
 * link): the entry's, unless the host is on one of our ports (it answers
 * itself); NULL when nobody does (an l3miss event when no entry).
 */
const struct rte_ether_addr *vx_proxy_answer(struct vx_ctl *c, struct vx_link *l,
					     const struct vx_ip *ip);

/* ---- send.c ---- */
/*
 * Send f (an untagged frame from the link's side) towards its destination:
 * back to the access port/VLAN of the request (lo has VX_PUNT_OVL_ACCESS),
 * else where the FDB puts the destination MAC (a port, or encapsulated to
 * a VTEP); never flooded (counted reply-unknown).
 */
void vx_link_send(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
		  uint16_t in_port);

/* ---- answer.c ---- */
/* A VX_PUNT_OVERLAY frame (consumed): the underlay's overlay_input hook. */
void vx_core_overlay_input(struct vx_ctl *c, struct rte_mbuf *m);

/* ---- link.c ---- */
/* A new link from validated options (name free, VNI free, dev usable, room for its dstport). */
int vx_core_link_add(struct vx_ctl *c, const char *name, const struct vx_link_opt *opt,
		     struct vx_out *out);
/* Delete l with its FDB entries, attachments, addresses and proxy entries; says what went. */
void vx_core_link_del(struct vx_ctl *c, struct vx_link *l, struct vx_out *out);
/* Apply validated options o (the whole new option set; given: the VX_OPT_* named) to l. */
int vx_core_link_set(struct vx_ctl *c, struct vx_link *l, const struct vx_link_opt *o,
		     uint32_t given, struct vx_out *out);

/* ---- port.c ---- */
/* Attach port/VID (0 = untagged) to l (validated: not attached, not underlay). */
void vx_core_port_attach(struct vx_ctl *c, uint16_t port, uint16_t vid, struct vx_link *l);
/* Detach port from its links (vlan -1: every VLAN); its local FDB entries go. */
void vx_core_port_detach(struct vx_ctl *c, uint16_t port, int vlan, struct vx_out *out);
void vx_core_port_rename(struct vx_ctl *c, uint16_t port, const char *name);
void vx_core_link_rename(struct vx_ctl *c, struct vx_link *l, const char *name);
int vx_core_port_mtu(struct vx_ctl *c, uint16_t port, uint16_t mtu, struct vx_out *out);

/* ---- core.c ---- */
int vx_core_init(struct vx_ctl *c);
void vx_core_fini(struct vx_ctl *c);
/* Learn rings, ageing, retired VTEPs; from the control loop at least every 10 ms. */
void vx_core_poll(struct vx_ctl *c);
/*
 * Learn requests are arriving: the last vx_core_poll dequeued some, or a
 * learn ring holds some (checking the rings alone is not enough: the poll
 * just emptied them, and they refill during a sleep). The control loop
 * then does not sleep, so it applies ring after ring instead of one ring
 * per poll timeout (which would cap learning near ring size / 5 ms).
 */
bool vx_core_learn_pending(struct vx_ctl *c);

#endif /* VX_CORE_H */
