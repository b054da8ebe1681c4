/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CORE_H
#define VX_CORE_H

/*
 * The core's model: VXLAN links (bridge domains), access maps, static FDB
 * entries, flood lists and VTEP objects, plus the word parsers.
 *
 * Writer and reader: the control thread only. The model is the truth; the
 * dataplane tables are published from it (vx_tables.h). Every command is
 * parse(words) -> request, validate(model, request) -> 0 or -errno with a
 * message, apply(ctl, request); parse and validate touch no DPDK object,
 * so they are testable without EAL (c->dp may be NULL for them).
 */

#include <stdbool.h>
#include <stdint.h>
#include <bsd/sys/tree.h>

#include <rte_ether.h>

#include "ctl.h"

struct rte_mbuf;

/* ---- parse.c: words -> values. 0 or -EINVAL, never a DPDK call. ---- */
int vx_parse_mac(const char *s, struct rte_ether_addr *mac);
int vx_parse_ip(const char *s, struct vx_ip *ip);
int vx_parse_prefix(const char *s, struct vx_ip *ip, uint8_t *len);
int vx_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
/* As vx_parse_u32, also 0x-prefixed hex (tos, as iproute2 prints it). */
int vx_parse_u32_hex(const char *s, uint32_t min, uint32_t max, uint32_t *v);
int vx_parse_vni(const char *s, uint32_t *vni);
/* A link or port name: 1..VX_NAME_LEN-1 chars of [A-Za-z0-9_.:-], not a keyword. */
int vx_parse_name(const char *s);
const char *vx_fmt_ip(const struct vx_ip *ip, char *buf, size_t len);
const char *vx_fmt_mac(const struct rte_ether_addr *mac, char *buf, size_t len);
bool vx_ip_eq(const struct vx_ip *a, const struct vx_ip *b);
bool vx_ip_is_any(const struct vx_ip *ip);
bool vx_ip_is_multicast(const struct vx_ip *ip);
const char *vx_family_name(uint8_t family);

/* Error helper: "error: ..." into out, returns err. */
int vx_err(struct vx_out *out, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- links ---- */
#define VX_DF_UNSET   0
#define VX_DF_SET     1
#define VX_DF_INHERIT 2

#define VX_TTL_INHERIT 0 /* ttl 0 / inherit: the kernel sends 64 */
#define VX_TOS_INHERIT 0x100

/* Which options a `link add`/`link set` named (save writes only those that differ). */
#define VX_OPT_DSTPORT	(1u << 0)
#define VX_OPT_LOCAL	(1u << 1)
#define VX_OPT_REMOTE	(1u << 2)
#define VX_OPT_GROUP	(1u << 3)
#define VX_OPT_DEV	(1u << 4)
#define VX_OPT_TTL	(1u << 5)
#define VX_OPT_TOS	(1u << 6)
#define VX_OPT_DF	(1u << 7)
#define VX_OPT_SRCPORT	(1u << 8)
#define VX_OPT_LEARNING (1u << 9)
#define VX_OPT_PROXY	(1u << 10)
#define VX_OPT_AGEING	(1u << 11)
#define VX_OPT_MAXADDR	(1u << 12)
#define VX_OPT_UDPCSUM	(1u << 13)
#define VX_OPT_ZCSUMTX	(1u << 14)
#define VX_OPT_ZCSUMRX	(1u << 15)
#define VX_OPT_L2MISS	(1u << 16)
#define VX_OPT_L3MISS	(1u << 17)
#define VX_OPT_ID	(1u << 18)

struct vx_link_opt {
	uint32_t set; /* VX_OPT_* given on the command line */
	uint32_t vni;
	uint16_t dstport;
	uint16_t srcport_min, srcport_max;
	struct vx_ip local, remote, group;
	int dev;	/* underlay port index in c->port[], -1 = none */
	uint8_t ttl;	/* 0 = inherit */
	uint16_t tos;	/* 0..255 or VX_TOS_INHERIT */
	uint8_t df;	/* VX_DF_* */
	uint16_t flags; /* VX_BD_* */
	uint32_t ageing;
	uint32_t maxaddress;
};

#define VX_SRCPORT_MIN 32768 /* the kernel's default: net.ipv4.ip_local_port_range */
#define VX_SRCPORT_MAX 60999

void vx_link_opt_default(struct vx_link_opt *o);

/* A flood-list entry (all-zero MAC) of a link. */
struct vx_flood_ent {
	struct vx_ip dst;
	uint16_t port; /* 0 = link's dstport */
	uint32_t vni;  /* UINT32_MAX = link's vni */
	uint32_t vtep;
	uint8_t state;	/* VX_ST_* */
	bool is_remote; /* came from the link's `remote` option */
};

#define VX_MAX_FLOOD 1024

/* An overlay address of a link: the switch as an IP host inside the overlay (overlay.c). */
#define VX_OVL_ADDR_MAX 8
struct vx_ovl_addr {
	struct vx_ip ip;
	uint8_t plen;
};

struct vx_link {
	bool used;
	char name[VX_NAME_LEN];
	uint16_t bd;
	struct rte_ether_addr mac; /* the link's own MAC (vx_ovl_link_mac) */
	uint8_t n_oaddr;
	struct vx_ovl_addr oaddr[VX_OVL_ADDR_MAX];
	struct vx_link_opt opt;
	uint8_t family;	   /* underlay family: from local/remote or the first dst; 0 = not yet */
	uint32_t n_fdb;	   /* FDB entries of this bd (static and dynamic) */
	uint32_t n_static; /* static ones */
	uint16_t n_flood;
	struct vx_flood_ent flood[VX_MAX_FLOOD];
};

/* FDB entry states, as bridge fdb shows them. */
#define VX_ST_DYNAMIC	0
#define VX_ST_STATIC	1
#define VX_ST_PERMANENT 2

/* Control-side VTEP object (the published one is dp->vtep[idx]). */
struct vx_vtep_ctl {
	bool used;
	uint32_t refs;
	uint32_t next; /* hash chain, 0 = end */
	uint16_t bd;
	uint16_t dstport;
	uint32_t vni;
	struct vx_ip remote;
	uint32_t neigh;
};

#define VX_VTEP_HASH 16384

struct vx_ctl_core {
	struct vx_link *link[VX_MAX_BD];	    /* by bd; NULL = free */
	uint16_t access[VX_MAX_PORTS][VX_MAX_VLAN]; /* port, VID -> bd */
	/*
	 * Static FDB entries of the model: VX_FDB_STATIC in the entry word says
	 * "static or permanent"; bit pos of static_bits says "static" for the
	 * entry at FDB position pos (clear: permanent, the default of `fdb
	 * add`). One bit per FDB slot, allocated with the first static entry,
	 * instead of a tree node per entry (64 bytes of heap each at 1M). Set
	 * exactly while a `static` entry lives at pos (vx_static_set/_del).
	 */
	uint64_t *static_bits;
	uint32_t static_nbits;
	struct vx_vtep_ctl vtep[VX_MAX_VTEP];
	uint32_t vtep_head[VX_VTEP_HASH];
	uint32_t n_vtep;
	uint32_t vtep_hint;   /* where the search for a free index starts */
	uint32_t retire[256]; /* VTEP indexes waiting for a grace period */
	struct vx_vtep *retire_vt[256];
	uint32_t n_retire;
	uint32_t age_cursor;
	uint32_t age_budget; /* at most this many FDB positions examined per vx_core_poll */
	/*
	 * Ageing is paced by dp->now, not by the number of polls: one pass over
	 * the table (nslots positions) at most per second, so a burst of
	 * commands or learn requests (one poll each) does no ageing work.
	 */
	uint32_t age_now;		 /* dp->now when the current second's pass began */
	uint32_t age_left;		 /* positions still to examine in this second */
	uint64_t age_walked;		 /* positions examined in total (tests count work) */
	uint32_t learn_budget;		 /* learn requests applied per ring per vx_core_poll */
	bool announce;			 /* a monitor client takes the "fdb" stream (this poll) */
	struct learn_batch *learn_batch; /* learn.c's bulk-add scratch, allocated on first poll */
	/*
	 * Learning since the last `fdb flush` (or start): entries added, and
	 * the wall-clock time (CLOCK_REALTIME, ns) of the first and latest batch
	 * applied, so `stats` can give the rate the control thread sustained
	 * (learned / (last - first)) however coarsely a client samples it.
	 */
	uint64_t learn_n;
	uint64_t learn_first_ns, learn_last_ns;
	/* Requests the last vx_core_poll dequeued (vx_core_learn_pending). */
	uint32_t learn_last_poll;
};

struct vx_link *vx_link_find(struct vx_ctl *c, const char *name);
struct vx_link *vx_link_by_vni(struct vx_ctl *c, uint32_t vni);
static inline struct vx_link *
vx_link_by_bd(struct vx_ctl *c, uint16_t bd)
{
	return bd < VX_MAX_BD ? c->core->link[bd] : NULL;
}
int vx_port_index(struct vx_ctl *c, const char *name); /* index in c->port[] or -1 */
const char *vx_port_name(struct vx_ctl *c, uint16_t idx);
bool vx_port_is_underlay(struct vx_ctl *c, uint16_t idx);

/* Publish dp->bd[bd] (members from the access maps, flood list), and vni_bd. */
int vx_core_bd_publish(struct vx_ctl *c, struct vx_link *l);
void vx_core_port_publish(struct vx_ctl *c, uint16_t port);
void vx_core_dstports(struct vx_ctl *c);

/* The link's MTU as `link show` prints it (underlay MTU minus the encapsulation). */
unsigned int vx_link_mtu(struct vx_ctl *c, struct vx_link *l);

/* Flood entry -> VTEP reference (cmd_link.c). */
int vx_flood_vtep(struct vx_ctl *c, struct vx_link *l, struct vx_flood_ent *f);

/* vtep.c */
/* Find or create the VTEP (bd, remote, dstport, vni); takes a reference. idx or -errno. */
int vx_vtep_get(struct vx_ctl *c, uint16_t bd, const struct vx_ip *remote, uint16_t dstport,
		uint32_t vni);
void vx_vtep_put(struct vx_ctl *c, uint32_t idx);
/* Re-resolve and republish every VTEP of bd (options changed). */
void vx_vtep_rebuild_bd(struct vx_ctl *c, uint16_t bd);
/* Free retired VTEPs after one grace period. */
void vx_vtep_flush_retired(struct vx_ctl *c);

/* learn.c: one learn request; one ageing step over budget positions (entries aged). */
void vx_core_learn(struct vx_ctl *c, const struct vx_learn_req *req);
uint32_t vx_core_age(struct vx_ctl *c, uint32_t budget);
/* Start a new learning window (learn_n, learn_first_ns, learn_last_ns): `fdb flush`. */
void vx_core_learn_reset(struct vx_ctl *c);

/* FDB model helpers (cmd_fdb.c). */
/* VX_ST_* of an entry (key, word e as the FDB returned it). */
uint8_t vx_static_state(struct vx_ctl *c, uint64_t key, uint64_t e);
/* Record the state of a static entry just written to the FDB (key present). */
int vx_static_set(struct vx_ctl *c, uint64_t key, uint8_t state);
/* Forget it; call while the key is still in the FDB. */
void vx_static_del(struct vx_ctl *c, uint64_t key);
/* Delete one FDB entry: word, VTEP ref, counts, static model; event when announce. */
void vx_fdb_remove(struct vx_ctl *c, uint64_t key, uint64_t entry, bool announce);
/* Delete every entry for which match() is true; returns how many (statics in *n_static). */
typedef bool (*vx_fdb_match_fn)(struct vx_ctl *c, uint64_t key, uint64_t entry, void *arg);
uint32_t vx_fdb_flush_match(struct vx_ctl *c, vx_fdb_match_fn match, void *arg, uint32_t *n_static);
/* One line of `bridge fdb show`/`monitor` for an entry (no newline). */
void vx_fdb_format(struct vx_ctl *c, struct vx_out *o, uint64_t key, uint64_t entry, uint8_t state,
		   const char *prefix);

/* Families (cmd_*.c). */
int vx_cmd_link(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_fdb(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_stats(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_show(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_save(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);

/*
 * overlay.c: overlay addresses and proxy neighbour entries of links
 * (`addr ... dev LINK`, `neigh ... dev LINK`) and the replies to
 * VX_PUNT_OVERLAY frames.
 */
void vx_ovl_link_mac(struct vx_ctl *c, struct vx_link *l);
/* Does argv name a link after "dev"? (addr/neigh hand such commands to overlay.c) */
struct vx_link *vx_ovl_dev_link(struct vx_ctl *c, int argc, char **argv);
int vx_ovl_cmd_addr(struct vx_ctl *c, struct vx_link *l, int argc, char **argv, unsigned int flags,
		    struct vx_out *out);
int vx_ovl_cmd_neigh(struct vx_ctl *c, struct vx_link *l, int argc, char **argv, unsigned int flags,
		     struct vx_out *out);
/* `addr show` / `neigh show` of links (only: NULL = every link), appended to a port listing. */
void vx_ovl_addr_show(struct vx_ctl *c, struct vx_link *only, bool json, bool *first,
		      struct vx_out *o);
void vx_ovl_neigh_show(struct vx_ctl *c, struct vx_link *only, const struct vx_ip *ip, bool json,
		       bool *first, struct vx_out *o);
/* Link deletion: drop its proxy entries and addresses, say what went. */
void vx_ovl_link_del(struct vx_ctl *c, struct vx_link *l, struct vx_out *out);
/* save: addresses and neighbour entries of links (after the links). */
void vx_ovl_save(struct vx_ctl *c, struct vx_out *o);
/* punt.c: one VX_PUNT_OVERLAY frame (consumed). */
void vx_ovl_input(struct vx_ctl *c, struct rte_mbuf *m);

/* JSON string output (names are [A-Za-z0-9_.:-], but escape anyway). */
void vx_out_json_str(struct vx_out *o, const char *s);

#endif /* VX_CORE_H */
