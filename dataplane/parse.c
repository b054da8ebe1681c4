/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Underlay frame parser: Ethernet (one optional 802.1Q tag), IPv4 (options
 * allowed, header checksum verified, fragments refused) or IPv6 (fixed
 * header; an extension header is "not UDP"), UDP (length and checksum),
 * VXLAN (I flag required, reserved bits ignored as RFC 7348 says), inner
 * Ethernet. ARP and ICMP/ICMPv6 for us, and IGMP or MLD (IPv6 hop-by-hop)
 * to a multicast address, are classified as punts. VXLAN to a group one of
 * our ports joined is taken as to one of our addresses (p->to_group).
 *
 * Validation follows the wire order and stops at the first failure, as
 * Linux's vxlan_rcv does. No EAL, no mbuf: see include/vx_parse.h.
 */

#include <string.h>
#include <netinet/in.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "vx_parse.h"
#include "vx_wire.h"

#define ARP_LEN 28 /* Ethernet/IPv4 ARP payload */

static inline uint16_t
rd16(const uint8_t *b)
{
	return ((uint16_t)b[0] << 8) | b[1];
}

static inline uint32_t
rd32(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static inline bool
local_has_addr(const struct vx_local *local, const struct vx_ip *ip)
{
	unsigned int i;

	if (ip->family == AF_INET) {
		for (i = 0; i < local->n_addr; i++)
			if (local->addr[i].ip.v4.s_addr == ip->v4.s_addr &&
			    local->addr[i].ip.family == AF_INET)
				return true;
	} else {
		for (i = 0; i < local->n_addr; i++)
			if (local->addr[i].ip.family == AF_INET6 &&
			    memcmp(local->addr[i].ip.bytes, ip->bytes, 16) == 0)
				return true;
	}
	return false;
}

bool
vx_local_has_addr(const struct vx_local *local, const struct vx_ip *ip)
{
	return local_has_addr(local, ip);
}

/* Is ip a multicast group one of our ports joined (a link's `group`)? */
static inline bool
local_has_group(const struct vx_local *local, const struct vx_ip *ip)
{
	for (unsigned int i = 0; i < local->n_group; i++)
		if (vx_ip_eq(&local->group[i].ip, ip))
			return true;
	return false;
}

/* Ours: one of our addresses, or (p->to_group set) a joined group. Always with local NULL. */
static inline bool
dst_ours(const struct vx_local *local, struct vx_parsed *p)
{
	if (local == NULL || local_has_addr(local, &p->dst))
		return true;
	p->to_group = local->n_group != 0 && local_has_group(local, &p->dst);
	return p->to_group;
}

static inline bool
dstport_ok(const struct vx_local *local, uint16_t port)
{
	unsigned int i;

	if (local == NULL)
		return port == VX_DEFAULT_DSTPORT;
	for (i = 0; i < local->n_dstport; i++)
		if (local->dstport[i] == port)
			return true;
	return false;
}

/*
 * One pass over the pseudo-header's addresses and the datagram, which
 * follow each other in the frame (IPv6; IPv4 without options), plus the
 * pseudo-header's protocol and length words.
 */
static inline bool
udp_csum_ok(const uint8_t *buf, const struct vx_parsed *p)
{
	uint32_t l4_len = p->ip_len - (uint32_t)(p->l4_off - p->l3_off);
	const uint8_t *ip = buf + p->l3_off, *l4 = buf + p->l4_off;
	uint64_t sum = vx_cksum_be16(IPPROTO_UDP) + vx_cksum_be16((uint16_t)l4_len);

	if (p->family == AF_INET6)
		sum = vx_cksum_add(ip + 8, 32 + l4_len, sum);
	else if (l4 == ip + VX_IP4_HLEN)
		sum = vx_cksum_add(ip + 12, 8 + l4_len, sum);
	else
		sum = vx_cksum_add(l4, l4_len, vx_cksum_add(ip + 12, 8, sum));
	return vx_cksum_fold(sum) == 0xffff;
}

bool
vx_parse_udp_csum_ok(const uint8_t *buf, const struct vx_parsed *p)
{
	return udp_csum_ok(buf, p);
}

static inline int
drop(struct vx_parsed *p, enum vx_drop why)
{
	p->drop = why;
	return VX_PARSE_DROP;
}

static inline int
punt(struct vx_parsed *p, enum vx_punt_reason why, enum vx_punt_class cls)
{
	p->punt = why;
	p->punt_class = cls;
	return VX_PARSE_PUNT;
}

/* ICMPv6 types the control thread answers or needs. */
static inline int
icmp6_punt(uint8_t type)
{
	if (type >= 133 && type <= 137) /* RS, RA, NS, NA, redirect */
		return VX_PUNT_ND;
	if (type == 128 || type == 129 || (type >= 1 && type <= 4)) /* echo, errors */
		return VX_PUNT_ICMP;
	return 0;
}

/*
 * An underlay ARP frame at off (ARP_LEN bytes there): for the control
 * thread when it is about one of our addresses (the target of a request
 * or a reply) or announces its sender's (gratuitous: sender = target);
 * any other is dropped here, so a broadcast ARP storm on the segment
 * costs the control thread nothing. Replies to us have a budget of their
 * own (the switch's next hops depend on them); gratuitous ones, which
 * answer nobody, share the requests' budget, so a flood of them cannot
 * take the replies'. Frames that are not Ethernet/IPv4 ARP go to the
 * control thread, which counts them.
 */
static __rte_always_inline int
parse_arp(const uint8_t *buf, uint32_t off, const struct vx_local *local, struct vx_parsed *p)
{
	const uint8_t *a = buf + off;
	enum vx_punt_class cls = rd16(a + 6) == RTE_ARP_OP_REPLY && memcmp(a + 14, a + 24, 4) != 0
					 ? VX_PCLASS_NEIGH_REPLY
					 : VX_PCLASS_NEIGH_REQ;
	struct vx_ip tpa = {.family = AF_INET};

	if (local != NULL && rd16(a + 2) == RTE_ETHER_TYPE_IPV4 && a[4] == 6 && a[5] == 4 &&
	    memcmp(a + 14, a + 24, 4) != 0) {
		memcpy(&tpa.v4, a + 24, 4);
		if (!local_has_addr(local, &tpa))
			return drop(p, VX_DROP_UL_NEIGH_NOT_OURS);
	}
	return punt(p, VX_PUNT_ARP, cls);
}

/*
 * An ICMPv6 message at p->l4_off (at least 8 bytes there) of an IPv6
 * frame whose destination is checked: its punt class (the replies' only
 * for an NA to one of our addresses), or the drop of a
 * neighbour solicitation for an address that is not ours (the NS twin of
 * parse_arp()'s check; DAD probes for our addresses pass).
 */
static __rte_always_inline int
parse_icmp6(const uint8_t *buf, uint32_t len, uint32_t l4_len, const struct vx_local *local,
	    struct vx_parsed *p, int why)
{
	uint8_t type = buf[p->l4_off];
	struct vx_ip tgt = {.family = AF_INET6};

	if (why == VX_PUNT_ICMP)
		return punt(p, why, VX_PCLASS_ICMP);
	/* A solicited NA comes to our address; an unsolicited one to a group shares the requests'. */
	if (type == 136 && p->dst.bytes[0] != 0xff)
		return punt(p, why, VX_PCLASS_NEIGH_REPLY);
	if (type == 135 && local != NULL && l4_len >= 24 && len >= p->l4_off + 24u) {
		memcpy(tgt.bytes, buf + p->l4_off + 8, 16);
		if (!local_has_addr(local, &tgt))
			return drop(p, VX_DROP_UL_NEIGH_NOT_OURS);
	}
	return punt(p, why, VX_PCLASS_NEIGH_REQ);
}

/*
 * A source no VTEP can have, as Linux's routing input refuses it (a
 * martian): IPv4 0/8, 127/8, multicast, 240/4 and broadcast; IPv6
 * unspecified, loopback, multicast; or one of our own addresses.
 */
static __rte_always_inline bool
src_martian(const struct vx_local *local, const struct vx_parsed *p)
{
	if (p->family == AF_INET) {
		uint8_t a = ((const uint8_t *)&p->src.v4)[0];

		if (a == 0 || a == 127 || a >= 224)
			return true;
	} else {
		static const uint8_t zero[15];

		if (p->src.bytes[0] == 0xff ||
		    (memcmp(p->src.bytes, zero, 15) == 0 && p->src.bytes[15] <= 1))
			return true;
	}
	return local != NULL && local_has_addr(local, &p->src);
}

/*
 * Ethernet, at most one 802.1Q tag; an ARP frame is punted here. Sets *et
 * to the EtherType after the tag and *off to the offset of what follows.
 */
static __rte_always_inline int
parse_eth(const uint8_t *buf, uint32_t len, const struct vx_local *local, struct vx_parsed *p,
	  uint16_t *et_out, uint32_t *off_out)
{
	uint32_t off = VX_ETH_HLEN;
	uint16_t et;

	if (len < VX_ETH_HLEN)
		return drop(p, VX_DROP_RUNT);
	et = rd16(buf + 12);
	if (et == RTE_ETHER_TYPE_VLAN) {
		if (len < VX_ETH_HLEN + VX_VLAN_HLEN)
			return drop(p, VX_DROP_RUNT);
		p->vlan = rd16(buf + 14) & 0xfff;
		et = rd16(buf + 16);
		off += VX_VLAN_HLEN;
	}
	p->ethertype = et;
	p->l3_off = off;
	*et_out = et;
	*off_out = off;
	if (et == RTE_ETHER_TYPE_ARP) {
		if (len < off + ARP_LEN)
			return drop(p, VX_DROP_RUNT);
		return parse_arp(buf, off, local, p);
	}
	return VX_PARSE_OK;
}

/*
 * IPv4 at off, l3_avail bytes to the frame's end: header, length,
 * checksum, no fragment, TTL, one of our addresses or a joined group;
 * ICMP and IGMP are punted. Sets
 * *l4_len.
 */
static __rte_always_inline int
parse_ipv4(const uint8_t *buf, uint32_t len, uint32_t off, uint32_t l3_avail,
	   const struct vx_local *local, uint32_t flags, struct vx_parsed *p, uint32_t *l4_len)
{
	uint32_t ihl;
	const uint8_t *ip = buf + off;

	if (len < off + VX_IP4_HLEN)
		return drop(p, VX_DROP_RUNT);
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	if ((ip[0] >> 4) != 4 || ihl < VX_IP4_HLEN)
		return drop(p, VX_DROP_IP_HDR);
	if (len < off + ihl)
		return drop(p, VX_DROP_RUNT);
	p->ip_len = rd16(ip + 2);
	if (p->ip_len < ihl)
		return drop(p, VX_DROP_IP_HDR);
	if (p->ip_len > l3_avail)
		return drop(p, VX_DROP_RUNT);
	if (!(flags & VX_PARSE_IP_CSUM_OK) && vx_cksum_fold(vx_cksum_add(ip, ihl, 0)) != 0xffff)
		return drop(p, VX_DROP_IP_CSUM);
	/* MF set or a non-zero offset: a fragment. */
	if (rd16(ip + 6) & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return drop(p, VX_DROP_IP_FRAG);
	if (ip[8] == 0)
		return drop(p, VX_DROP_IP_TTL);
	p->family = AF_INET;
	p->proto = ip[9];
	p->src.family = AF_INET;
	p->dst.family = AF_INET;
	memcpy(&p->src.v4, ip + 12, 4);
	memcpy(&p->dst.v4, ip + 16, 4);
	p->l4_off = off + ihl;
	*l4_len = p->ip_len - ihl;
	if (!dst_ours(local, p)) {
		/* IGMP to a multicast address: queries for the groups links listen to. */
		if (p->proto == IPPROTO_IGMP && ip[16] >= 224 && ip[16] <= 239)
			return punt(p, VX_PUNT_MCAST, VX_PCLASS_MCAST);
		return drop(p, VX_DROP_UL_NOT_FOR_US);
	}
	if (p->proto == IPPROTO_ICMP) {
		if (*l4_len < 8 || len < p->l4_off + 8u)
			return drop(p, VX_DROP_RUNT);
		return punt(p, VX_PUNT_ICMP, VX_PCLASS_ICMP);
	}
	if (p->proto == IPPROTO_IGMP) /* a group-specific query, to a joined group */
		return punt(p, VX_PUNT_MCAST, VX_PCLASS_MCAST);
	return VX_PARSE_OK;
}

/*
 * IPv6 at off, l3_avail bytes to the frame's end: fixed header, payload
 * length, hop limit, one of our addresses or a joined group; ICMPv6 that
 * the control thread needs is punted (to ff02::/16 too), and MLD to a
 * multicast address. Sets *l4_len.
 */
static __rte_always_inline int
parse_ipv6(const uint8_t *buf, uint32_t len, uint32_t off, uint32_t l3_avail,
	   const struct vx_local *local, struct vx_parsed *p, uint32_t *l4_len)
{
	const uint8_t *ip = buf + off;

	if (len < off + VX_IP6_HLEN)
		return drop(p, VX_DROP_RUNT);
	if ((ip[0] >> 4) != 6)
		return drop(p, VX_DROP_IP_HDR);
	*l4_len = rd16(ip + 4);
	if (*l4_len == 0) /* jumbogram: no Hop-by-Hop support */
		return drop(p, VX_DROP_IP_HDR);
	if (*l4_len + VX_IP6_HLEN > l3_avail)
		return drop(p, VX_DROP_RUNT);
	if (ip[7] == 0)
		return drop(p, VX_DROP_IP_TTL);
	p->ip_len = *l4_len + VX_IP6_HLEN;
	p->family = AF_INET6;
	p->proto = ip[6];
	p->src.family = AF_INET6;
	p->dst.family = AF_INET6;
	memcpy(p->src.bytes, ip + 8, 16);
	memcpy(p->dst.bytes, ip + 24, 16);
	p->l4_off = off + VX_IP6_HLEN;
	if (p->proto == IPPROTO_ICMPV6) {
		int why;

		if (*l4_len < 8 || len < p->l4_off + 8u)
			return drop(p, VX_DROP_RUNT);
		why = icmp6_punt(buf[p->l4_off]);
		if (why == 0)
			return drop(p, VX_DROP_NOT_UDP);
		/* ff02::/16 (all-nodes, solicited-node ...) or one of ours. */
		if (!(p->dst.bytes[0] == 0xff && p->dst.bytes[1] == 0x02) && local != NULL &&
		    !local_has_addr(local, &p->dst))
			return drop(p, VX_DROP_UL_NOT_FOR_US);
		return parse_icmp6(buf, len, *l4_len, local, p, why);
	}
	/* Hop-by-hop options to a multicast address: MLD (queries) for the control thread. */
	if (p->proto == 0 && p->dst.bytes[0] == 0xff)
		return punt(p, VX_PUNT_MCAST, VX_PCLASS_MCAST);
	if (!dst_ours(local, p))
		return drop(p, VX_DROP_UL_NOT_FOR_US);
	return VX_PARSE_OK;
}

/*
 * UDP at p->l4_off, l4_len bytes: length, a VXLAN destination port, the
 * checksum (zero only where allowed; left to the caller when the datagram
 * is not all in buf).
 */
static __rte_always_inline int
parse_udp(const uint8_t *buf, uint32_t len, uint32_t pkt_len, const struct vx_local *local,
	  uint32_t flags, struct vx_parsed *p, uint32_t l4_len)
{
	const uint8_t *uh = buf + p->l4_off;

	if (p->proto != IPPROTO_UDP)
		return drop(p, VX_DROP_NOT_UDP);
	if (len < p->l4_off + (uint32_t)VX_UDP_HLEN)
		return drop(p, VX_DROP_RUNT);
	if (rd16(uh + 4) != l4_len || l4_len < VX_UDP_HLEN)
		return drop(p, VX_DROP_UDP_LEN);
	p->sport = rd16(uh);
	p->dport = rd16(uh + 2);
	p->udp_csum = rd16(uh + 6);
	if (!dstport_ok(local, p->dport))
		return drop(p, VX_DROP_UDP_PORT);
	if (p->udp_csum == 0) {
		if (p->family == AF_INET6 && !(flags & VX_PARSE_UDP6_ZCSUM))
			return drop(p, VX_DROP_UDP6_ZERO_CSUM);
	} else if (!(flags & VX_PARSE_L4_CSUM_OK)) {
		if (pkt_len > len)
			p->l4_csum_todo = 1;
		else if (!udp_csum_ok(buf, p))
			return drop(p, VX_DROP_UDP_CSUM);
	}
	return VX_PARSE_OK;
}

/* VXLAN after the UDP header (I flag, VNI), then the inner Ethernet header. */
static __rte_always_inline int
parse_vxlan(const uint8_t *buf, uint32_t len, struct vx_parsed *p, uint32_t l4_len)
{
	const uint8_t *vx = buf + p->l4_off + VX_UDP_HLEN;
	uint16_t et;

	if (l4_len < VX_UDP_HLEN + VX_VXLAN_HLEN + VX_ETH_HLEN ||
	    len < p->l4_off + (uint32_t)VX_UDP_HLEN + VX_VXLAN_HLEN + VX_ETH_HLEN)
		return drop(p, VX_DROP_RUNT);
	p->vxlan_flags = vx[0];
	if (!(vx[0] & VX_VXLAN_FLAG_I))
		return drop(p, VX_DROP_VXLAN_FLAGS);
	p->vni = rd32(vx + 4) >> 8;
	p->inner_off = p->l4_off + VX_UDP_HLEN + VX_VXLAN_HLEN;
	p->inner_len = l4_len - VX_UDP_HLEN - VX_VXLAN_HLEN;
	et = rd16(buf + p->inner_off + 12);
	p->inner_tagged = et == RTE_ETHER_TYPE_VLAN || et == RTE_ETHER_TYPE_QINQ;
	return VX_PARSE_OK;
}

int
vx_parse_underlay(const uint8_t *buf, uint32_t len, uint32_t pkt_len, const struct vx_local *local,
		  uint32_t flags, struct vx_parsed *p)
{
	uint32_t l4_len = 0, off = 0;
	uint16_t et = 0;
	int rc;

	p->vlan = 0;
	p->punt = 0;
	p->punt_class = 0;
	p->drop = 0;
	p->inner_tagged = 0;
	p->l4_csum_todo = 0;
	p->to_group = 0;
	p->family = 0;
	if (pkt_len < len)
		pkt_len = len;

	rc = parse_eth(buf, len, local, p, &et, &off);
	if (rc != VX_PARSE_OK)
		return rc;
	if (et == RTE_ETHER_TYPE_IPV4)
		rc = parse_ipv4(buf, len, off, pkt_len - off, local, flags, p, &l4_len);
	else if (et == RTE_ETHER_TYPE_IPV6)
		rc = parse_ipv6(buf, len, off, pkt_len - off, local, p, &l4_len);
	else
		rc = drop(p, VX_DROP_UL_ETHERTYPE);
	if (rc != VX_PARSE_OK)
		return rc;
	if (unlikely(src_martian(local, p)))
		return drop(p, VX_DROP_UL_MARTIAN);
	rc = parse_udp(buf, len, pkt_len, local, flags, p, l4_len);
	if (rc != VX_PARSE_OK)
		return rc;
	return parse_vxlan(buf, len, p, l4_len);
}
