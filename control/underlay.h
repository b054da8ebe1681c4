/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_UNDERLAY_H
#define VX_UNDERLAY_H

/*
 * The underlay stack of the control thread: the switch's own addresses,
 * routes (rte_lpm / rte_lpm6), the neighbour table (ARP / ND), the punt
 * path and the VTEP outer-header templates.
 *
 * Written and read by the control thread only. What the workers see of it
 * is published through vx_tables.h: dp->local (addresses and listening UDP
 * ports), the underlay role and VLAN of each port (via the core's port
 * publication, vx_ul_port_role()) and each VTEP's template (through the
 * core's vx_core_vtep_rebuild(), which calls vx_ul_vtep_resolve()).
 *
 * The pieces that do not need EAL (template.c, the neighbour state machine
 * in neigh.c, the packet builders of arp.c, nd.c and icmp.c) work on plain
 * buffers and take the time as an argument, so unit tests drive them with
 * a fake clock and check bytes.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "ctl.h"
#include "vx_tables.h"

struct rte_mbuf;
struct rte_lpm;
struct rte_lpm6;

/* ---- template.c ---- */

/*
 * Build vt->hdr, len, l3_off, ip_csum_base and the IPV6/UDPCSUM flags
 * from vt->local, vt->remote, vt->dstport, vt->vni, the Ethernet source
 * and destination (dst may be all-zero while unresolved), the underlay
 * VLAN (0 = untagged) and the link options. Leaves VX_VTEP_RESOLVED alone.
 * Returns 0, or -EINVAL when local and remote are not of one family.
 */
int vx_template_build(struct vx_vtep *vt, const struct rte_ether_addr *src,
		      const struct rte_ether_addr *dst, uint16_t vlan,
		      const struct vx_encap_opt *opt);

/* Rewrite the outer Ethernet addresses of a frame built from vt's template. */
void vx_template_set_eth(uint8_t *frame, const struct rte_ether_addr *src,
			 const struct rte_ether_addr *dst);

/* ---- neigh.c: the neighbour table ---- */

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

#define VX_NEIGH_F_NEXTHOP (1u << 0) /* a VTEP's next hop: kept fresh by probes */
#define VX_NEIGH_F_PROXY   (1u << 1) /* proxy entry on a VXLAN link (issue 8) */

struct vx_neigh {
	uint32_t id; /* index + 1; 0 = free slot */
	uint16_t port;
	uint8_t state; /* enum vx_nud */
	uint8_t flags; /* VX_NEIGH_F_* */
	uint8_t probes;
	uint8_t qlen;
	struct vx_ip ip;
	struct rte_ether_addr mac;
	char dev[VX_NAME_LEN];	/* proxy entries: the link name */
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
};

void vx_neigh_tbl_init(struct vx_neigh_tbl *t, const struct vx_neigh_ops *ops, void *ctx);
struct vx_neigh *vx_neigh_get(struct vx_neigh_tbl *t, uint32_t id);
struct vx_neigh *vx_neigh_find(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip);
/* Does n have a MAC that may be used to transmit? */
bool vx_neigh_valid(const struct vx_neigh *n);
/*
 * Next-hop use: find or create the entry and start resolution if it has
 * no MAC (INCOMPLETE, first probe now). Marks it VX_NEIGH_F_NEXTHOP.
 * NULL when the table is full.
 */
struct vx_neigh *vx_neigh_resolve(struct vx_neigh_tbl *t, uint16_t port, const struct vx_ip *ip,
				  uint64_t now);
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
		 const struct rte_ether_addr *mac, uint8_t state, bool replace, bool proxy,
		 const char *dev, uint64_t now);
void vx_neigh_del(struct vx_neigh_tbl *t, struct vx_neigh *n);
/* Run timers due at now. */
void vx_neigh_timer(struct vx_neigh_tbl *t, uint64_t now);
const char *vx_nud_name(uint8_t state);

/* ---- arp.c, nd.c, icmp.c: packet builders and parsers on plain buffers ---- */

struct vx_arp {
	uint16_t op; /* host order */
	uint16_t vlan;
	struct rte_ether_addr eth_src, sha, tha;
	struct in_addr spa, tpa;
};
/* Parse an Ethernet [+802.1Q] ARP frame for IPv4 over Ethernet. 0 or -EINVAL. */
int vx_arp_parse(const uint8_t *frame, uint16_t len, struct vx_arp *a);
/* Write an ARP frame; returns its length (42 or 46 with a VLAN tag, before padding). */
uint16_t vx_arp_build(uint8_t *buf, uint16_t op, uint16_t vlan,
		      const struct rte_ether_addr *eth_dst, const struct rte_ether_addr *sha,
		      struct in_addr spa, const struct rte_ether_addr *tha, struct in_addr tpa);

struct vx_nd {
	uint8_t type;	  /* 135 NS, 136 NA */
	uint8_t na_flags; /* NA: R 0x80, S 0x40, O 0x20 */
	uint16_t vlan;
	struct rte_ether_addr eth_src;
	struct in6_addr src, dst, target;
	bool has_lla;
	struct rte_ether_addr lla; /* source (NS) or target (NA) link-layer address option */
};
/* Parse an Ethernet [+802.1Q] IPv6 NS or NA; checks hop limit 255 and the checksum. */
int vx_nd_parse(const uint8_t *frame, uint16_t len, struct vx_nd *nd);
/* Build an NS (type 135) or NA (136); returns the frame length. */
uint16_t vx_nd_build_ns(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
			const struct in6_addr *src, const struct in6_addr *target,
			const struct rte_ether_addr *dst_mac /* NULL = solicited-node */);
uint16_t vx_nd_build_na(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
			const struct rte_ether_addr *dst_mac, const struct in6_addr *target,
			const struct in6_addr *dst, uint8_t na_flags);
void vx_nd_solicited_node(const struct in6_addr *ip, struct in6_addr *snm);

/*
 * Turn an Ethernet [+802.1Q] IPv4 ICMP or IPv6 ICMPv6 echo request in
 * place into its reply (addresses swapped, TTL/hop limit 64, checksums
 * recomputed). 0, or -EINVAL when it is not a well-formed echo request.
 */
int vx_icmp_echo_reply(uint8_t *frame, uint16_t len);

/* ---- the underlay state (struct vx_ctl.ul) ---- */

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

struct vx_bucket {
	uint64_t tokens_milli; /* tokens * 1000 */
	uint64_t last_ms;
};

#define VX_PUNT_RATE_PPS 1000 /* per port, ARP + ND + ICMP together */
#define VX_PUNT_BURST	 200
#define VX_PUNT_POLL_MAX 64 /* punted mbufs taken per worker ring per poll */

struct vx_ctl_underlay {
	struct vx_ul_addr addr[VX_MAX_LOCAL_ADDR];
	uint16_t port_vlan[VX_MAX_PORTS]; /* underlay VLAN per port */
	uint16_t dstport[VX_MAX_DSTPORTS];
	uint16_t n_dstport;
	struct vx_route rt[VX_RT_MAX];
	struct rte_lpm *lpm;
	struct rte_lpm6 *lpm6;
	struct vx_neigh_tbl nt;
	struct vx_bucket bucket[VX_MAX_PORTS];
	/* Seams, replaceable by tests. */
	uint64_t (*now_ms)(void);
	void (*rebuild)(struct vx_ctl *c, uint32_t neigh);
	uint16_t (*tx)(struct vx_ctl *c, uint16_t port, struct rte_mbuf **m, uint16_t n);
	void (*port_publish)(struct vx_ctl *c, uint16_t port);
};

/* route.c */
int vx_route_init(struct vx_ctl *c);
void vx_route_fini(struct vx_ctl *c);
int vx_route_add(struct vx_ctl *c, const struct vx_route *r, bool replace);
int vx_route_del(struct vx_ctl *c, const struct vx_ip *dst, uint8_t plen, const struct vx_ip *gw);
const struct vx_route *vx_route_lookup(struct vx_ctl *c, const struct vx_ip *ip);
void vx_route_show(struct vx_ctl *c, int family, unsigned int flags, struct vx_out *o);
void vx_prefix_mask(struct vx_ip *ip, uint8_t plen);

/* cmd_addr.c */
const struct vx_ul_addr *vx_ul_addr_on_port(struct vx_ctl *c, uint16_t port, int family);
const struct vx_ul_addr *vx_ul_addr_find(struct vx_ctl *c, const struct vx_ip *ip);
int vx_ul_local_publish(struct vx_ctl *c);

/* arp.c / nd.c / icmp.c / punt.c: the glue with mbufs */
void vx_arp_input(struct vx_ctl *c, struct rte_mbuf *m);
void vx_nd_input(struct vx_ctl *c, struct rte_mbuf *m);
void vx_icmp_input(struct vx_ctl *c, struct rte_mbuf *m);
int vx_arp_send_request(struct vx_ctl *c, uint16_t port, struct in_addr tpa,
			const struct rte_ether_addr *unicast);
int vx_arp_send_gratuitous(struct vx_ctl *c, uint16_t port, struct in_addr ip);
int vx_nd_send_ns(struct vx_ctl *c, uint16_t port, const struct in6_addr *target,
		  const struct rte_ether_addr *unicast);
int vx_nd_send_unsolicited_na(struct vx_ctl *c, uint16_t port, const struct in6_addr *ip);
/* Send one frame from buf on port (control tx queue); 0 or -errno. */
int vx_ul_send(struct vx_ctl *c, uint16_t port, const uint8_t *buf, uint16_t len);
void vx_ul_tx_mbuf(struct vx_ctl *c, uint16_t port, struct rte_mbuf *m);
void vx_ul_count_drop(struct vx_ctl *c, enum vx_drop why, uint16_t port);
/* An encapsulated frame for vt, whose next hop is unresolved: queue it on the neighbour. */
void vx_ul_queue_unresolved(struct vx_ctl *c, const struct vx_vtep *vt, struct rte_mbuf *m);
uint64_t vx_ul_now(struct vx_ctl *c);
bool vx_punt_allow(struct vx_bucket *b, uint64_t now_ms);
void vx_punt_poll(struct vx_ctl *c);

/* Is verb `ip addr`'s show (show, sh, list, ls...)? */
bool vx_addr_verb_show(const char *verb);
/* The head of one device of `ip addr show` (JSON: the object, left open). */
void vx_addr_show_dev(struct vx_out *o, bool json, bool first, unsigned int ifindex,
		      const char *name, unsigned int mtu, const struct rte_ether_addr *mac);
/* One `ip neigh` line (or JSON object) of n on device dev (cmd_neigh.c). */
void vx_neigh_line(const struct vx_neigh *n, const char *dev, bool json, bool first,
		   struct vx_out *o);

/* Small helpers shared by the command files. */
int vx_ul_parse_ip(const char *s, struct vx_ip *ip);
int vx_ul_parse_prefix(const char *s, struct vx_ip *ip, uint8_t *plen);
const char *vx_ul_ip_str(const struct vx_ip *ip, char *buf, size_t len);
bool vx_ul_ip_eq(const struct vx_ip *a, const struct vx_ip *b);
/* Lower-case aa:bb:cc:dd:ee:ff, as iproute2 prints MACs. */
const char *vx_ul_mac_str(const struct rte_ether_addr *mac, char *buf, size_t len);

#endif /* VX_UNDERLAY_H */
