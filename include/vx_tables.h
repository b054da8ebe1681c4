/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_TABLES_H
#define VX_TABLES_H

/*
 * The tables the workers read, and the one object (struct vx_dp) that
 * holds them. What each maps:
 *   bd[]      link index -> struct vx_bd (VNI, flags, members, flood list)
 *   vni_bd[]  VNI -> link index (0 = no link)
 *   vtep[]    VTEP index -> struct vx_vtep (a remote VTEP of one link and
 *             its prebuilt outer header); FDB entries and flood lists name
 *             VTEPs by index
 *   port[]    port id -> struct vx_port (roles, MAC, VLAN -> link map)
 *   local     the switch's underlay addresses and VXLAN UDP ports
 *   fdb       (link, MAC) -> local port and VLAN, or VTEP index (vx_fdb.h)
 *
 * Writer: the control thread only. Every object above but the FDB and
 * vni_bd[] is immutable once published: to change one, the control thread
 * builds a new copy, stores its pointer with a release store
 * (vx_publish()), waits for a grace period (vx_rcu_wait(), vx_rcu.h) and
 * frees the old one with rte_free (vx_retire()). vni_bd[] is changed in
 * place with atomic 16-bit stores; the FDB has its own rules (vx_fdb.h).
 * Workers load pointers with acquire loads (vx_deref()) and report a
 * quiescent state once per poll loop, so an object they hold stays valid
 * for the whole iteration.
 *
 * Readers: the workers, lock-free, and the control thread itself.
 *
 * Freeing: a replaced object after its grace period (vx_retire()); what
 * is published when the dataplane goes away, with the arrays and rings
 * themselves, by vx_dp_fini().
 *
 * Rings, each with one producer and one consumer: learn_ring[w] (worker w
 * -> control thread, struct vx_learn_req), punt_ring[w] (worker w ->
 * control thread, mbufs the control thread then owns), ctl_tx_ring[p]
 * (control thread -> worker 0, mbufs to send on port p).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "vx_fdb.h"
#include "vx_limits.h"
#include "vx_nbr.h"
#include "vx_stats.h"
#include "vx_wire.h"

/* An underlay address, IPv4 or IPv6. */
struct vx_ip {
	uint8_t family; /* AF_INET, AF_INET6, or 0 = none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

/*
 * Two addresses are equal when their families are and, for AF_INET and
 * AF_INET6, their address bytes are; two family-0 ("none") addresses are
 * equal.
 */
static inline bool
vx_ip_eq(const struct vx_ip *a, const struct vx_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(a->bytes, b->bytes, 16) == 0;
	return true;
}

/* Link (bridge domain) flags: the `ip link ... type vxlan` options. */
#define VX_BD_LEARNING	   (1u << 0)
#define VX_BD_PROXY	   (1u << 1)
#define VX_BD_UDPCSUM	   (1u << 2) /* IPv4: compute UDP checksum on tx */
#define VX_BD_UDP6ZCSUM_TX (1u << 3) /* IPv6: send zero UDP checksum */
#define VX_BD_UDP6ZCSUM_RX (1u << 4) /* IPv6: accept zero UDP checksum */
#define VX_BD_INNER_VLAN   (1u << 5) /* accept 802.1Q-tagged inner frames on decap */
#define VX_BD_L2MISS	   (1u << 6)
#define VX_BD_L3MISS	   (1u << 7)
/*
 * Set by control when the link has an overlay address (`addr add IP dev
 * LINK`): broadcast/multicast ARP and NS of the link are copied to the
 * control thread, frames to the link's MAC are punted (VX_PUNT_OVERLAY).
 */
#define VX_BD_OVL_ADDR (1u << 8)
/*
 * Route short-circuit (`rsc`): a frame to an FDB entry marked router whose
 * inner destination IP is in the link's neighbour map goes straight to
 * that neighbour (dataplane/rsc.c).
 */
#define VX_BD_RSC (1u << 9)
/*
 * `proxy learn`: ARP replies and NAs from the overlay fill the link's
 * neighbour table; an access ARP request or NS for an address the
 * neighbour map lacks is flooded instead of answered.
 */
#define VX_BD_PROXY_LEARN (1u << 10)
/* Set by control when the link has FDB entries for multicast MACs: BUM frames are looked up. */
#define VX_BD_MCAST_FDB (1u << 11)

struct vx_member {
	uint16_t port;
	uint16_t vlan; /* 0 = untagged */
};

/*
 * A VXLAN link, i.e. a bridge domain. Immutable once published.
 *
 * Decap accepts a VNI only as the link's underlay says: over its family
 * (0: not known yet, either) and, when local has a family, only to that
 * address; otherwise to any of the switch's addresses (dp->local). The
 * rest is dropped (VX_DROP_VNI_UNDERLAY) before anything is learned.
 */
struct vx_bd {
	uint16_t bd; /* index in vx_dp.bd[], 1..VX_MAX_BD-1 */
	uint16_t flags;
	uint32_t vni;
	uint16_t dstport;		   /* host order */
	uint16_t srcport_min, srcport_max; /* host order: [min, max) as vx_srcport() maps */
	uint8_t family;			   /* underlay: AF_INET, AF_INET6, 0 = either */
	uint32_t epoch;			   /* learn requests of another epoch are stale */
	uint32_t ageing;		   /* seconds, 0 = never */
	uint32_t maxaddress;		   /* 0 = no per-link limit */
	uint64_t bum_interval;		   /* bum-rate: TSC per BUM frame per worker, 0 = off */
	uint64_t bum_tau;		   /* bum-rate: burst tolerance in TSC (flood.c) */
	uint16_t n_members;		   /* local access ports/VLANs */
	uint16_t n_flood;		   /* remote VTEPs for BUM (all-zero MAC entries) */
	struct rte_ether_addr mac; /* the link's own MAC (overlay addresses, proxy replies) */
	struct vx_ip local;	   /* the link's `local` address; family 0 = any of ours */
	/*
	 * The link's neighbour entries (vx_nbr.h), for `rsc` and `proxy learn`
	 * links (NULL otherwise, or without entries): in the bd's allocation,
	 * after flood[].
	 */
	const struct vx_nbr_map *nbr;
	struct vx_member members[VX_MAX_PORTS * 4];
	uint32_t flood[]; /* n_flood VTEP indexes */
};

/*
 * A remote VTEP as seen from one link: outer addresses, UDP port, VNI and
 * the prebuilt outer header (VPP's rewrite). The worker copies hdr[0..len),
 * then patches the IP total/payload length, the IPv4 header checksum (from
 * ip_csum_base), the UDP length, source port and checksum.
 */
#define VX_VTEP_RESOLVED (1u << 0) /* next hop MAC known: hdr is complete */
#define VX_VTEP_UDPCSUM	 (1u << 1) /* compute UDP checksum (IPv6 always unless zcsum tx) */
#define VX_VTEP_IPV6	 (1u << 2)
#define VX_VTEP_TX_CSUM	 (1u << 3) /* the egress port computes it (UDP checksum tx offload) */

struct vx_vtep {
	uint32_t idx;	/* index in vx_dp.vtep[] */
	uint16_t bd;	/* the link this VTEP belongs to */
	uint16_t port;	/* underlay egress port */
	uint16_t flags; /* VX_VTEP_* */
	uint16_t mtu;	/* underlay IP MTU of the egress port */
	uint8_t len;	/* bytes of outer header in hdr */
	uint8_t l3_off; /* offset of the outer IP header in hdr */
	uint16_t srcport_min, srcport_max;
	uint32_t ip_csum_base;	/* IPv4: unfolded sum of the header with total length 0 */
	uint32_t udp_csum_base; /* vx_cksum_encap_base() of hdr, for VX_VTEP_UDPCSUM */
	uint32_t neigh;		/* next-hop neighbour id (control side), for the unresolved queue */
	uint16_t dstport;	/* host order */
	uint32_t vni;
	struct vx_ip remote, local;
	uint8_t hdr[VX_ENCAP_MAX_LEN] __rte_aligned(16);
};

/* Port roles and layout. Immutable once published. */
#define VX_PORT_ACCESS	 (1u << 0)
#define VX_PORT_UNDERLAY (1u << 1)

struct vx_port {
	uint16_t port_id;
	uint16_t flags;		/* VX_PORT_* */
	uint16_t mtu;		/* L3 MTU of the port, 1500 by default */
	uint16_t underlay_vlan; /* 0 = untagged underlay */
	struct rte_ether_addr mac;
	char name[VX_NAME_LEN];
	/* Access map: VID -> bd (0 = not a member). vlan_bd[0] is untagged. */
	uint16_t vlan_bd[VX_MAX_VLAN];
};

/*
 * The switch's own underlay addresses, the multicast groups its ports
 * joined (links with `group`: VXLAN to a group is taken as to an address
 * of ours) and the listening UDP ports.
 */
struct vx_local {
	uint16_t n_addr;
	struct {
		struct vx_ip ip;
		uint16_t port; /* the port the address is on */
	} addr[VX_MAX_LOCAL_ADDR];
	uint16_t n_dstport;
	uint16_t dstport[VX_MAX_DSTPORTS]; /* host order */
	uint16_t n_group;
	struct {
		struct vx_ip ip;
		uint16_t port; /* the port that joined it */
	} group[VX_MAX_GROUPS];
};

/*
 * Learn request: a worker saw a source MAC that is missing or points
 * elsewhere. Fixed-size ring element (rte_ring_*_elem, 56 bytes).
 *
 * epoch is the epoch of the link (struct vx_bd) the worker saw the frame
 * on: the control thread drops a request whose link has been deleted,
 * replaced or flushed since. tsc is when the worker pushed it (rte_rdtsc,
 * one value per burst): the control thread applies the requests of all
 * rings in time order, so the newest position of a moving MAC wins.
 */
struct vx_learn_req {
	uint64_t key;	     /* vx_fdb_key(bd, src mac) */
	uint64_t entry;	     /* wanted word for local; 0 for remote (see remote) */
	struct vx_ip remote; /* outer source address, for remote learning */
	uint16_t udp_sport;  /* outer UDP source port (host order), informational */
	uint16_t worker;
	uint32_t epoch;
	uint8_t kind; /* VX_LEARN_*: a source to learn, or a miss to announce */
	uint64_t tsc;
};

/*
 * Kinds of learn requests. A miss travels the same ring (in time order with
 * the sources, no mbuf): key = vx_fdb_key(bd, destination MAC) for a MAC
 * the FDB does not know on a link with l2miss and no catch-all; for an IP
 * route short-circuit could not resolve, key = vx_fdb_key(bd, 0) and the
 * IP in remote. The control thread announces them (control/core/miss.c).
 */
#define VX_LEARN_SRC	  0
#define VX_LEARN_MISS_MAC 1
#define VX_LEARN_MISS_IP  2

/*
 * Punted packets: mbufs a worker hands to the control thread. The reason
 * travels in m->hash.fdir.hi (VX_PUNT_*), the VTEP index of an unresolved
 * frame in m->hash.fdir.lo, the input port in m->port.
 */
enum vx_punt_reason {
	VX_PUNT_ARP = 1,    /* ARP on an underlay port */
	VX_PUNT_ND,	    /* ICMPv6 ND to us */
	VX_PUNT_ICMP,	    /* ICMP/ICMPv6 echo and errors to our address */
	VX_PUNT_UNRESOLVED, /* encapsulated frame whose VTEP's next hop is unresolved */
	VX_PUNT_OVERLAY,    /* inner frame for the link's proxy or overlay address: see below */
	VX_PUNT_MCAST, /* IGMP, or IPv6 with hop-by-hop options (MLD), to a multicast address */
};

/*
 * Punt budgets. What a worker hands to the control thread is limited
 * before it is enqueued, per input port and per class, each class with a
 * budget of its own (VX_PUNT_PPS a second, bursts of VX_PUNT_BURST, split
 * evenly over the workers), so that a flood of one kind never starves
 * another: above all, the ARP replies and NAs that keep the switch's own
 * next hops resolved never wait behind echo requests or ARP broadcasts.
 * Those replies may also use the last VX_PUNT_RING_RESERVE slots of a
 * punt ring, which the other classes leave free. Unresolved frames
 * (VX_PUNT_UNRESOLVED: the switch's own traffic) have no budget: their
 * next hop's queue bounds them.
 */
enum vx_punt_class {
	VX_PCLASS_NONE = 0,    /* not budgeted (VX_PUNT_UNRESOLVED) */
	VX_PCLASS_NEIGH_REPLY, /* ARP replies and NAs (to us) */
	VX_PCLASS_NEIGH_REQ,   /* ARP requests and NS for our addresses, RS, RA, redirects */
	VX_PCLASS_ICMP,	       /* ICMP/ICMPv6 echo and errors to us */
	VX_PCLASS_MCAST,       /* IGMP and MLD */
	VX_PCLASS_OVERLAY,     /* a link's frames (VX_PUNT_OVERLAY) */
	VX_PCLASS_N
};

/*
 * VX_PUNT_OVERLAY: m holds the inner frame (untagged; the access VLAN in
 * hash.fdir.lo), m->port the input port. hash.fdir.lo = bd | VID << 16,
 * plus VX_PUNT_OVL_ACCESS when it came from an access port (else it was
 * decapsulated from a remote VTEP) and VX_PUNT_OVL_COPY when m is a copy
 * (the frame itself was forwarded: nothing is lost if nobody answers).
 * dataplane/link_punt.c decides what goes.
 */
#define VX_PUNT_OVL_ACCESS  (1u << 31)
#define VX_PUNT_OVL_COPY    (1u << 30)
#define VX_PUNT_OVL_BD(lo)  ((uint16_t)((lo)&0xffff))
#define VX_PUNT_OVL_VID(lo) ((uint16_t)(((lo) >> 16) & 0xfff))

/* The whole dataplane state. One instance, created by the control thread. */
struct vx_dp {
	struct rte_rcu_qsbr *qsbr;
	struct vx_fdb fdb;
	uint16_t *vni_bd; /* [1 << 24]: VNI -> bd, 0 = unknown; vx_vni_bd(), vx_vni_bd_set() */
	struct vx_bd *bd[VX_MAX_BD];
	struct vx_vtep *vtep[VX_MAX_VTEP];
	struct vx_port *port[VX_MAX_PORTS];
	struct vx_local *local;
	struct rte_ring *learn_ring[VX_MAX_WORKERS]; /* SP/SC, struct vx_learn_req */
	struct rte_ring *punt_ring[VX_MAX_WORKERS];  /* SP/SC, mbufs */
	struct rte_mempool *pool;		     /* packet mbufs */
	struct rte_mempool *hdr_pool;		     /* small mbufs for flood headers */
	uint16_t n_workers;
	/*
	 * Control-thread transmit: the control thread never owns a tx queue
	 * (a port may have only one per worker: net_af_packet, net_pcap).
	 * It enqueues into ctl_tx_ring[port] (SP/SC) and sets the port's bit
	 * in ctl_tx_pending; worker 0 drains the ring into its own tx buffer
	 * for that port on its next loop (vx_ctl_tx()).
	 */
	struct rte_ring *ctl_tx_ring[VX_MAX_PORTS];
	uint32_t ctl_tx_pending;      /* bit p: ctl_tx_ring[p] may hold packets */
	volatile uint32_t now;	      /* seconds since start (control thread): vx_dp_now() */
	volatile int stop;	      /* workers leave their loop when set */
	struct vx_lcore_stats *stats; /* [VX_MAX_WORKERS + 1], cache aligned */
};

/* Publication helpers (control thread). */
#define vx_publish(slot, obj) __atomic_store_n(&(slot), (obj), __ATOMIC_RELEASE)
#define vx_deref(slot)	      __atomic_load_n(&(slot), __ATOMIC_ACQUIRE)

/*
 * VNI -> bridge domain. The control thread publishes a link's dp->bd[] first
 * and then its VNI (release); a worker's acquire load pairs with it, so a
 * worker that finds the VNI also finds the link. A link's deletion clears
 * the VNI first and unpublishes the link after.
 */
static inline uint16_t
vx_vni_bd(const struct vx_dp *dp, uint32_t vni)
{
	return __atomic_load_n(&dp->vni_bd[vni], __ATOMIC_ACQUIRE);
}

static inline void
vx_vni_bd_set(struct vx_dp *dp, uint32_t vni, uint16_t bd)
{
	__atomic_store_n(&dp->vni_bd[vni], bd, __ATOMIC_RELEASE);
}

/*
 * The control thread's clock (dp->now), read by the workers for last_seen:
 * relaxed, a value read on its own.
 */
static inline uint32_t
vx_dp_now(const struct vx_dp *dp)
{
	return __atomic_load_n(&dp->now, __ATOMIC_RELAXED);
}

static inline void
vx_dp_set_now(struct vx_dp *dp, uint32_t now)
{
	__atomic_store_n(&dp->now, now, __ATOMIC_RELAXED);
}

/*
 * dataplane/tables.c
 *
 * vx_dp_init zeroes *dp, then creates the QSBR variable (one thread id per
 * worker: id = worker index), the FDB (fdb_capacity 0 = default), vni_bd,
 * the counter blocks, the per-worker learn and punt rings and an empty
 * published dp->local and one control tx ring per port. It creates no mempool: set
 * dp->pool and dp->hdr_pool after it. Workers register themselves at the
 * start of vx_worker_main (rte_rcu_qsbr_thread_register + _online), report
 * rte_rcu_qsbr_quiescent once per loop, and go offline and unregister when
 * they leave.
 *
 * vx_dp_fini (workers stopped; safe on a partly initialised dp) frees the
 * FDB, rings (and the mbufs left in punt rings), vni_bd, counters, QSBR
 * variable and every object still published in bd/vtep/port/local with
 * rte_free: publish only rte_zmalloc'd objects. Mempools stay the caller's.
 */
int vx_dp_init(struct vx_dp *dp, uint16_t n_workers, uint32_t fdb_capacity, int socket_id);
void vx_dp_fini(struct vx_dp *dp);
/* Wait for every worker to pass a quiescent state, then free old (may be NULL). */
void vx_retire(struct vx_dp *dp, void *old);
/*
 * Control thread: queue packets for transmission on port by worker 0.
 * Returns how many were queued; the caller frees the rest.
 */
uint16_t vx_ctl_tx(struct vx_dp *dp, uint16_t port, struct rte_mbuf **pkts, uint16_t n);
/* Sum one counter block over every worker and the control thread. */
void vx_stats_sum(const struct vx_dp *dp, struct vx_lcore_stats *out);

#endif /* VX_TABLES_H */
