/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_DROP_H
#define VX_DROP_H

/*
 * Every packet the dataplane does not forward leaves through exactly one
 * of these reasons, and every reason is a counter (per worker, summed when
 * read: see vx_stats.h). One list makes the enum, the short names that
 * `vxctl show drops` prints and the one-line explanations.
 *
 * Add a reason here, never a bare "drop" in a stage.
 */
#define VX_DROP_REASONS(_)                                                                       \
	_(RUNT, "runt", "frame shorter than the headers it claims")                              \
	_(UL_NOT_FOR_US, "ul-not-for-us", "underlay frame to another MAC or address")            \
	_(UL_ETHERTYPE, "ul-ethertype", "underlay frame neither IPv4, IPv6 nor ARP")             \
	_(UL_VLAN, "ul-vlan", "underlay frame on a VLAN the port does not use")                  \
	_(UL_NEIGH_NOT_OURS, "ul-neigh-not-ours",                                                \
	  "underlay ARP or neighbour solicitation about an address that is not ours")            \
	_(UL_MARTIAN, "ul-martian",                                                              \
	  "outer source multicast, broadcast, unspecified, loopback or one of our addresses")    \
	_(IP_HDR, "ip-hdr", "bad outer IP version, header length or total length")               \
	_(IP_CSUM, "ip-csum", "bad outer IPv4 header checksum")                                  \
	_(IP_FRAG, "ip-frag", "outer IPv4 fragment (VXLAN is never fragmented)")                 \
	_(IP_TTL, "ip-ttl", "outer TTL or hop limit zero")                                       \
	_(NOT_UDP, "not-udp", "outer IP payload is neither UDP nor punted ICMP")                 \
	_(UDP_PORT, "udp-port", "UDP to a port that is not a VXLAN destination port")            \
	_(UDP_LEN, "udp-len", "UDP length disagrees with the IP length")                         \
	_(UDP_CSUM, "udp-csum", "bad outer UDP checksum")                                        \
	_(UDP6_ZERO_CSUM, "udp6-zero-csum", "IPv6 UDP with zero checksum and no udp6zerocsumrx") \
	_(VXLAN_FLAGS, "vxlan-flags", "VXLAN header without the I flag")                         \
	_(VNI_UNKNOWN, "vni-unknown", "VNI with no VXLAN link")                                  \
	_(VNI_PORT, "vni-port", "VNI arrived on another UDP port than its link's dstport")       \
	_(VNI_UNDERLAY, "vni-underlay",                                                          \
	  "VNI arrived over another underlay family or to another local address than its "       \
	  "link's")                                                                              \
	_(INNER_VLAN, "inner-vlan", "inner frame carries an 802.1Q tag")                         \
	_(INNER_SRC_LINK, "inner-src-link", "inner source MAC is the link's own MAC")            \
	_(ACCESS_UNMAPPED, "access-unmapped", "access frame on a port/VLAN attached to no link") \
	_(SRC_MAC, "src-mac", "multicast, broadcast or all-zero source MAC")                     \
	_(SAME_PORT, "same-port", "destination is the port the frame came from")                 \
	_(SPLIT_HORIZON, "split-horizon",                                                        \
	  "overlay frame to a MAC behind a VTEP (never back into the overlay)")                  \
	_(NO_FLOOD, "no-flood", "BUM frame with no other member and no flood entry")             \
	_(VTEP_GONE, "vtep-gone",                                                                \
	  "FDB entry or flood list names a VTEP that is gone or belongs to another link")        \
	_(MTU, "mtu", "encapsulated frame larger than the underlay MTU")                         \
	_(NO_MBUF, "no-mbuf", "no mbuf for a header or a flood copy")                            \
	_(BUM_RATE, "bum-rate", "BUM frame over its link's bum-rate (storm control)")            \
	_(PUNT_FULL, "punt-full", "punt ring to the control thread full")                        \
	_(PUNT_RATE, "punt-rate",                                                                \
	  "ARP, ND, ICMP, IGMP/MLD or a link's frames over their punt budget")                   \
	_(NEIGH_QUEUE, "neigh-queue",                                                            \
	  "next hop unresolved and its queue full, or resolution failed")                        \
	_(NO_ROUTE, "no-route", "no underlay route to the remote VTEP")                          \
	_(PROXY_MISS, "proxy-miss",                                                              \
	  "proxy link: ARP/NS from an access port for an address with no neighbour entry")       \
	_(OVL_NOT_OURS, "overlay-not-ours",                                                      \
	  "frame to a link's MAC that is no ARP/NS/echo for its overlay address")                \
	_(REPLY_UNKNOWN, "reply-unknown",                                                        \
	  "answer of the switch to a host the FDB does not know (answers are never flooded)")    \
	_(MARTIAN, "martian",                                                                    \
	  "ARP, ND or ICMP from a multicast, broadcast, zero or own address, or to a multicast " \
	  "or broadcast one the switch does not answer")                                         \
	_(ARP_ND_BAD, "arp-nd-bad",                                                              \
	  "ARP or NS/NA to the switch that does not parse (hardware or protocol type, lengths, " \
	  "opcode, hop limit, checksum, options)")                                               \
	_(ICMP_OTHER, "icmp-other",                                                              \
	  "ICMP or ICMPv6 to the switch that it does not act on: errors, other types, echo "     \
	  "requests that do not parse")                                                          \
	_(TX_FULL, "tx-full", "transmit queue full")                                             \
	_(PORT_DOWN, "port-down", "port is stopped or not attached")

enum vx_drop {
#define VX_DROP_ENUM(e, name, text) VX_DROP_##e,
	VX_DROP_REASONS(VX_DROP_ENUM)
#undef VX_DROP_ENUM
		VX_DROP_MAX
};

/*
 * Events that are counted but lose no packet: the learning path and the
 * FDB limits. Same X-macro shape as the drop reasons.
 */
#define VX_EVENTS(_)                                                                     \
	_(LEARN_REQ, "learn-req", "learn or move requests pushed to the control thread") \
	_(LEARN_RING_FULL, "learn-ring-full",                                            \
	  "learn requests lost to a full ring (forwarding went on)")                     \
	_(LEARN_STATIC, "learn-static",                                                  \
	  "source MAC matches a static entry elsewhere; not learned")                    \
	_(LEARN_LIMIT, "learn-limit", "not learned: FDB or link maxaddress full")        \
	_(LEARN_MARTIAN, "learn-martian",                                                \
	  "not learned: the link's own MAC, or an outer source no VTEP can have")        \
	_(LEARN_STALE, "learn-stale",                                                    \
	  "learn requests of a link deleted, re-added or flushed since; not applied")    \
	_(LEARNED, "learned", "entries learned")                                         \
	_(MOVED, "moved", "dynamic entries moved to a new port or VTEP")                 \
	_(AGED, "aged", "dynamic entries aged out")                                      \
	_(FLOOD_COPIES, "flood-copies", "copies made for BUM flooding")                  \
	_(PUNTED, "punted", "packets punted to the control thread")                      \
	_(UNRESOLVED, "unresolved", "packets queued for an unresolved next hop")         \
	_(MC_REPORTS, "mc-reports", "IGMPv3/MLDv2 reports sent for the links' groups")   \
	_(MC_QUERIES, "mc-queries", "IGMP/MLD queries received on underlay ports")       \
	_(MISSES, "misses", "miss events (l2miss, l3miss) sent to vxctl monitor")        \
	_(MISS_LIMITED, "miss-limited",                                                  \
	  "miss events not sent: over the link's rate (100 a second)")                   \
	_(MISS_SUPPRESSED, "miss-suppressed",                                            \
	  "misses a worker did not report: the same key this second, "                   \
	  "or over 1000 a second")                                                       \
	_(L2MISS, "l2miss",                                                              \
	  "unicast frames to a MAC the FDB does not know on a link with no "             \
	  "catch-all (flood) entry: not sent into the overlay")                          \
	_(RSC, "rsc", "frames switched straight to a host by route short-circuit")       \
	_(NEIGH_LEARNED, "neigh-learned",                                                \
	  "proxy learn: neighbour entries learned or moved from ARP replies, NAs")       \
	_(NEIGH_STATIC, "neigh-static",                                                  \
	  "proxy learn: an ARP reply or NA for a static entry's address; ignored")       \
	_(NEIGH_AGED, "neigh-aged", "proxy learn: learned neighbour entries aged out")

enum vx_event {
#define VX_EVENT_ENUM(e, name, text) VX_EV_##e,
	VX_EVENTS(VX_EVENT_ENUM)
#undef VX_EVENT_ENUM
		VX_EV_MAX
};

extern const char *const vx_drop_names[VX_DROP_MAX];
extern const char *const vx_drop_texts[VX_DROP_MAX];
extern const char *const vx_event_names[VX_EV_MAX];
extern const char *const vx_event_texts[VX_EV_MAX];

#endif /* VX_DROP_H */
