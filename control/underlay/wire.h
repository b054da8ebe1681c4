/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_UL_WIRE_H
#define VX_UL_WIRE_H

/*
 * The frames the underlay builds and parses, on plain buffers: ARP
 * (arp.c), IPv6 neighbour discovery (nd.c), IGMPv3/MLDv2 reports and
 * queries (igmp.c), ICMP/ICMPv6 echo (icmp.c) and the VTEP outer-header
 * templates (template.c). No EAL, no state: unit
 * tests and fuzzers call them directly.
 */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include <rte_ether.h>

#include "vx_tables.h"

/* ---- arp.c ---- */

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

/* ---- nd.c ---- */

#define VX_ND_NS   135
#define VX_ND_NA   136
#define VX_ND_NA_R 0x80
#define VX_ND_NA_S 0x40
#define VX_ND_NA_O 0x20

struct vx_nd {
	uint8_t type;	  /* VX_ND_NS or VX_ND_NA */
	uint8_t na_flags; /* NA: VX_ND_NA_R, _S, _O */
	uint16_t vlan;
	struct rte_ether_addr eth_src;
	struct in6_addr src, dst, target;
	bool has_lla;
	struct rte_ether_addr lla; /* source (NS) or target (NA) link-layer address option */
};
/*
 * Parse an Ethernet [+802.1Q] IPv6 NS or NA; checks hop limit 255 and the
 * checksum. 0, -EOPNOTSUPP for another well-framed ICMPv6 type (RS, RA,
 * redirect), -EINVAL for anything else.
 */
int vx_nd_parse(const uint8_t *frame, uint16_t len, struct vx_nd *nd);
/* Build an NS or an NA; returns the frame length. */
uint16_t vx_nd_build_ns(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
			const struct in6_addr *src, const struct in6_addr *target,
			const struct rte_ether_addr *dst_mac /* NULL = solicited-node */);
uint16_t vx_nd_build_na(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
			const struct rte_ether_addr *dst_mac, const struct in6_addr *target,
			const struct in6_addr *dst, uint8_t na_flags);
void vx_nd_solicited_node(const struct in6_addr *ip, struct in6_addr *snm);
/* The Ethernet multicast address of an IPv6 multicast address (33:33:...). */
void vx_nd_mcast_mac(const struct in6_addr *ip, struct rte_ether_addr *mac);
/* ff02::1 and its MAC. */
extern const struct in6_addr vx_in6_all_nodes;

/* ---- igmp.c: IGMPv3 and MLDv2 ---- */

/* Group record types (RFC 3376 4.2.12, RFC 3810 5.2.12); records carry no sources. */
#define VX_MC_IS_EXCLUDE 2 /* current state: listening to the whole group */
#define VX_MC_TO_INCLUDE 3 /* state change: leave */
#define VX_MC_TO_EXCLUDE 4 /* state change: join */

/* At most this many records in one report (fits a 1500-byte frame in both families). */
#define VX_MC_MAX_RECORDS 64

/*
 * An IGMPv3 membership report (to 224.0.0.22) or an MLDv2 listener report
 * (to ff02::16) from src with one record of rec_type per group (n at most
 * VX_MC_MAX_RECORDS); returns the frame's length. buf: 1514 bytes.
 */
uint16_t vx_igmp3_report(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
			 struct in_addr src, uint8_t rec_type, const struct in_addr *groups,
			 unsigned int n);
uint16_t vx_mld2_report(uint8_t *buf, uint16_t vlan, const struct rte_ether_addr *src_mac,
			const struct in6_addr *src, uint8_t rec_type, const struct in6_addr *groups,
			unsigned int n);

/* A membership query: IGMPv1/2/3 or MLDv1/2. */
struct vx_mc_query {
	uint8_t family; /* AF_INET (IGMP) or AF_INET6 (MLD) */
	uint8_t version;
	uint16_t vlan;
	struct vx_ip group; /* unspecified: a general query */
	uint32_t max_resp_ms;
};
/* Parse an Ethernet [+802.1Q] IGMP or MLD query (checksums verified). 0 or -EINVAL. */
int vx_mc_query_parse(const uint8_t *frame, uint16_t len, struct vx_mc_query *q);
/* The Ethernet address of an IPv4 multicast group (01:00:5e + its low 23 bits). */
void vx_ip4_mcast_mac(struct in_addr ip, struct rte_ether_addr *mac);
/* The link-local address fe80::/64 + modified EUI-64 of mac (RFC 4291). */
void vx_ip6_link_local(const struct rte_ether_addr *mac, struct in6_addr *ll);

/* ---- icmp.c ---- */

/*
 * Turn an Ethernet [+802.1Q] IPv4 ICMP or IPv6 ICMPv6 echo request in
 * place into its reply (addresses swapped, TTL/hop limit 64, checksums
 * recomputed). An IPv6 request to a multicast group is answered from
 * mcast_src (NULL: refused). 0; -EINVAL when it is not a well-formed echo
 * request (IPv4 header checksum included); -EPERM when it comes from a
 * martian source or goes to an IPv4 broadcast or multicast address.
 */
int vx_icmp_echo_reply(uint8_t *frame, uint16_t len, const struct vx_ip *mcast_src);

/* ---- template.c ---- */

/* The link options that shape a VTEP's outer header. */
struct vx_encap_opt {
	uint8_t ttl; /* 0 = inherit -> 64, as the kernel's default */
	uint8_t tos;
	bool df;
	bool udpcsum;
	bool udp6zerocsumtx;
};

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

#endif /* VX_UL_WIRE_H */
