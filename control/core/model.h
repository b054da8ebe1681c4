/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CORE_MODEL_H
#define VX_CORE_MODEL_H

/*
 * The core's model: what a link is (options, flood list, addresses), the
 * state of the whole core (struct vx_ctl_core: links by bridge domain,
 * access maps, static FDB state, VTEP objects, learning and ageing
 * cursors), and the lookups over it (model.c). core/core.h gives the
 * operations on it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "lib/ctl.h"
#include "vx_tables.h"

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
#define VX_OPT_ADDRESS	(1u << 19)
#define VX_OPT_RSC	(1u << 20)
#define VX_OPT_BUMRATE	(1u << 21)

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
	uint32_t bum_rate;	       /* storm control: BUM frames a second, 0 = no limit */
	struct rte_ether_addr address; /* the link's MAC, when VX_OPT_ADDRESS is set */
};

#define VX_SRCPORT_MIN 32768 /* the kernel's default: net.ipv4.ip_local_port_range */
#define VX_SRCPORT_MAX 60999

/* A flood-list entry (all-zero MAC) of a link. */
struct vx_flood_ent {
	struct vx_ip dst;
	uint16_t port; /* 0 = link's dstport */
	uint32_t vni;  /* UINT32_MAX = link's vni */
	uint32_t vtep;
	uint8_t state;	/* VX_ST_* */
	bool is_remote; /* came from the link's `remote` option */
	bool is_group;	/* the link's `group` (a multicast dst): joined on the link's dev */
};

#define VX_MAX_FLOOD 1024

/* Miss events of a link (miss.c): recent addresses and a rate limit. */
#define VX_MISS_RECENT	64   /* addresses remembered per link */
#define VX_MISS_HOLD_MS 3000 /* the same address again within this is the same miss */
#define VX_MISS_RATE	100  /* events per second per link, and the burst */

/* The address of a miss: a MAC (l2miss) or an IP (l3miss), the other zero. */
struct vx_miss_addr {
	struct rte_ether_addr mac;
	struct vx_ip ip;
};

struct vx_miss {
	uint64_t tokens_milli; /* tokens * 1000 */
	uint64_t last_ms;      /* 0: never used (a full bucket) */
	struct {
		struct vx_miss_addr a;
		uint64_t at_ms; /* when announced, 0 = empty */
	} recent[VX_MISS_RECENT];
};

/* An address of the switch inside a link (host.c). */
#define VX_HOST_ADDR_MAX 8
struct vx_host_addr {
	struct vx_ip ip;
	uint8_t plen;
};

struct vx_link {
	char name[VX_NAME_LEN];
	uint16_t bd;
	uint32_t epoch; /* published in struct vx_bd; learn requests of another epoch are stale */
	struct rte_ether_addr mac; /* the link's own MAC: its addresses, proxy answers */
	uint8_t n_addr;
	struct vx_host_addr addr[VX_HOST_ADDR_MAX];
	struct vx_link_opt opt;
	uint8_t family;	   /* underlay family: from local/remote or the first dst; 0 = not yet */
	uint32_t n_fdb;	   /* FDB entries of this bd (static and dynamic) */
	uint32_t n_static; /* static ones */
	uint32_t n_mcast;  /* entries for multicast MACs (VX_BD_MCAST_FDB while not 0) */
	struct vx_miss miss;
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
	uint32_t neigh; /* next hop (its id) of the published header */
	bool lazy;	/* learned: no next hop created before traffic goes to it */
};

#define VX_VTEP_HASH 16384

struct learn_batch;
struct vx_neigh_tbl;

struct vx_ctl_core {
	struct vx_link *link[VX_MAX_BD]; /* by bd; NULL = free */
	/*
	 * The bridge-domain counters when its link was added: the workers'
	 * counter blocks are theirs to write, so a link that reuses a bd is
	 * counted from this base instead of from zero (vx_core_stats_sum).
	 */
	struct vx_bd_stats bd_base[VX_MAX_BD];
	uint16_t access[VX_MAX_PORTS][VX_MAX_VLAN]; /* port, VID -> bd */
	/*
	 * Static FDB entries of the model: VX_FDB_STATIC in the entry word says
	 * "static or permanent"; bit pos of static_bits says "static" for the
	 * entry at FDB position pos (clear: permanent, the default of `fdb
	 * add`). One bit per FDB slot, allocated with the first static entry,
	 * instead of a tree node per entry (64 bytes of heap each at 1M). Set
	 * exactly while a `static` entry lives at pos (fdb.c).
	 */
	uint64_t *static_bits;
	uint32_t static_nbits;
	struct vx_neigh_tbl *proxy; /* the links' proxy neighbour entries (proxy.c) */
	uint32_t proxy_age_now;	    /* dp->now of the last look for aged learned entries */
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
	/* The last link epoch given out (never reused while the daemon runs). */
	uint32_t epoch;
	/* Outer IPv4 identification of the next frame this thread encapsulates (send.c). */
	uint16_t ip_id;
	/* Fault injection for tests: the next fail_bd_publish link publications fail (-ENOMEM). */
	uint32_t fail_bd_publish;
};

/* ---- model.c: lookups ---- */
void vx_link_opt_default(struct vx_link_opt *o);
struct vx_link *vx_link_find(struct vx_ctl *c, const char *name);
struct vx_link *vx_link_by_vni(struct vx_ctl *c, uint32_t vni);
static inline struct vx_link *
vx_link_by_bd(struct vx_ctl *c, uint16_t bd)
{
	return bd < VX_MAX_BD ? c->core->link[bd] : NULL;
}
/* A name used by a link or a port. */
bool vx_core_name_taken(struct vx_ctl *c, const char *name);
/* The underlay family the options name (local, else remote, else group), or 0. */
uint8_t vx_link_opt_family(const struct vx_link_opt *o);
/* The link's MTU as `link show` prints it (underlay MTU minus the encapsulation). */
unsigned int vx_link_mtu(struct vx_ctl *c, const struct vx_link *l);
/* The first free bridge-domain number, or -ENOSPC. */
int vx_core_free_bd(struct vx_ctl *c);
/* Is the port attached to a link (any VLAN)? Is it a link's `dev` or an addressed port? */
bool vx_core_port_is_access(struct vx_ctl *c, uint16_t port);
bool vx_core_port_is_underlay(struct vx_ctl *c, uint16_t port);
/* Port/VLAN attachments of bd. */
unsigned int vx_core_bd_members(struct vx_ctl *c, uint16_t bd);
/* The distinct dstports of every link (and of extra, when not NULL); returns how many. */
uint16_t vx_core_dstports_of(struct vx_ctl *c, uint16_t *ports, const struct vx_link_opt *extra);

#endif /* VX_CORE_MODEL_H */
