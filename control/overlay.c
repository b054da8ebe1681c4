/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch inside the overlay: overlay addresses and proxy neighbour
 * entries of links.
 *
 *   `addr add|del IP/LEN dev LINK`, `addr show dev LINK`: the switch is an
 *   IP host of the link (bridge domain) with the link's MAC. It answers ARP
 *   requests and NS for the address and ICMP/ICMPv6 echo requests to it,
 *   from access ports and from remote VTEPs alike.
 *
 *   `neigh add|replace|change|del IP lladdr MAC dev LINK [nud permanent|noarp]`,
 *   `neigh show|flush dev LINK`: the link's neighbour table. On a `proxy` link
 *   an ARP request or NS from an access port is never flooded: it is answered
 *   from this table, or dropped (proxy-miss; an l3miss event with `l3miss`),
 *   as the kernel's vxlan arp_reduce()/neigh_reduce() do.
 *
 * The entries live in the underlay's neighbour table (neigh.c) as
 * VX_NEIGH_F_PROXY entries keyed by the link's name, on port
 * VX_OVL_NEIGH_PORT (no real port), so the underlay never resolves or
 * probes them; the addresses live in struct vx_link.
 *
 * Replies leave the way a frame from the link's MAC would: back out of the
 * access port and VLAN the request came from, or for a request from the
 * overlay, to where the FDB says the requester is (a local port, or
 * encapsulated with that VTEP's template), and by the flood list when the
 * FDB does not know it yet. Everything goes out through vx_ctl_tx().
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "core.h"
#include "underlay.h"

#define VX_OVL_NEIGH_PORT UINT16_MAX
#define ND_NA_S		  0x40
#define ND_NA_O		  0x20

void
vx_ovl_link_mac(struct vx_ctl *c, struct vx_link *l)
{
	uint32_t h = rte_hash_crc_4byte(l->opt.vni, 0x5678);

	/* Stable across restarts: the first port's MAC and the VNI, locally administered. */
	for (uint16_t p = 0; p < VX_MAX_PORTS; p++)
		if (c->port[p].present) {
			h = rte_hash_crc(c->port[p].mac.addr_bytes, RTE_ETHER_ADDR_LEN, h);
			break;
		}
	l->mac.addr_bytes[0] = 0x02;
	l->mac.addr_bytes[1] = 0x76;
	memcpy(&l->mac.addr_bytes[2], &h, 4);
}

struct vx_link *
vx_ovl_dev_link(struct vx_ctl *c, int argc, char **argv)
{
	if (c->core == NULL)
		return NULL;
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], "dev") == 0)
			return vx_link_find(c, argv[i + 1]);
	return NULL;
}

static bool
is_proxy_of(const struct vx_neigh *n, const struct vx_link *l)
{
	return n->id != 0 && (n->flags & VX_NEIGH_F_PROXY) && strcmp(n->dev, l->name) == 0;
}

static struct vx_neigh *
proxy_find(struct vx_ctl *c, const struct vx_link *l, const struct vx_ip *ip)
{
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &c->ul->nt.n[i];

		if (is_proxy_of(n, l) && vx_ul_ip_eq(&n->ip, ip))
			return n;
	}
	return NULL;
}

static int
oaddr_find(const struct vx_link *l, const struct vx_ip *ip)
{
	for (int i = 0; i < l->n_oaddr; i++)
		if (vx_ul_ip_eq(&l->oaddr[i].ip, ip))
			return i;
	return -1;
}

/* ---- commands ---- */

static const char *
dev_word(int argc, char **argv, int i)
{
	return i + 1 < argc ? argv[i + 1] : "";
}

int
vx_ovl_cmd_addr(struct vx_ctl *c, struct vx_link *l, int argc, char **argv, unsigned int flags,
		struct vx_out *out)
{
	const char *verb = argv[1], *pfx = NULL;
	struct vx_ovl_addr a = {0};
	bool add;
	int i, at;

	if (vx_addr_verb_show(verb)) {
		bool first = true, json = flags & VX_CMD_JSON;

		for (i = 2; i < argc; i++)
			if (strcmp(argv[i], "dev") != 0 ||
			    strcmp(dev_word(argc, argv, i++), l->name))
				return vx_err(out, -EINVAL, "addr show: unexpected \"%s\"",
					      argv[i]);
		if (json)
			vx_out_printf(out, "[");
		vx_ovl_addr_show(c, l, json, &first, out);
		if (json)
			vx_out_printf(out, "]\n");
		return 0;
	}
	if (strcmp(verb, "add") == 0)
		add = true;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		add = false;
	else
		return vx_err(out, -EINVAL, "addr: unknown command \"%s\" (add, del, show)", verb);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "dev") == 0) {
			i++; /* the link, found by the caller */
		} else if (strcmp(argv[i], "local") == 0 && i + 1 < argc && pfx == NULL) {
			pfx = argv[++i];
		} else if (pfx == NULL) {
			pfx = argv[i];
		} else {
			return vx_err(out, -EINVAL, "addr %s dev %s: unexpected \"%s\"", verb,
				      l->name, argv[i]);
		}
	}
	if (pfx == NULL)
		return vx_err(out, -EINVAL, "addr %s: missing IP/LEN", verb);
	if (vx_ul_parse_prefix(pfx, &a.ip, &a.plen) < 0)
		return vx_err(out, -EINVAL, "\"%s\": not an IP address or prefix", pfx);
	at = oaddr_find(l, &a.ip);
	if (!add) {
		if (at < 0 || (strchr(pfx, '/') != NULL && l->oaddr[at].plen != a.plen))
			return vx_err(out, -EADDRNOTAVAIL, "%s: no such address on %s", pfx,
				      l->name);
		memmove(&l->oaddr[at], &l->oaddr[at + 1],
			(l->n_oaddr - at - 1) * sizeof(l->oaddr[0]));
		l->n_oaddr--;
		return vx_core_bd_publish(c, l);
	}
	if (vx_ip_is_multicast(&a.ip) || vx_ip_is_any(&a.ip))
		return vx_err(out, -EINVAL, "%s: not a unicast address", pfx);
	if (at >= 0)
		return vx_err(out, -EEXIST, "%s: address already assigned to %s", pfx, l->name);
	if (vx_ul_is_local(c, &a.ip))
		return vx_err(out, -EEXIST, "%s: address already assigned to the underlay", pfx);
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *o = c->core->link[b];

		if (o != NULL && o != l && oaddr_find(o, &a.ip) >= 0)
			return vx_err(out, -EEXIST, "%s: address already assigned to %s", pfx,
				      o->name);
	}
	if (l->n_oaddr == VX_OVL_ADDR_MAX)
		return vx_err(out, -ENOSPC, "%s: at most %d addresses per link", l->name,
			      VX_OVL_ADDR_MAX);
	l->oaddr[l->n_oaddr++] = a;
	if (vx_core_bd_publish(c, l) < 0) {
		l->n_oaddr--;
		return vx_err(out, -ENOMEM, "out of memory");
	}
	return 0;
}

int
vx_ovl_cmd_neigh(struct vx_ctl *c, struct vx_link *l, int argc, char **argv, unsigned int flags,
		 struct vx_out *out)
{
	const char *verb = argv[1], *ips = NULL;
	struct vx_ip ip = {0};
	struct rte_ether_addr mac;
	uint8_t state = VX_NUD_PERMANENT;
	bool have_mac = false, show, flush;
	struct vx_neigh *n;
	int i, ret;

	show = strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0;
	flush = strcmp(verb, "flush") == 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "dev") == 0) {
			i++;
		} else if (strcmp(argv[i], "lladdr") == 0 && !show && !flush && i + 1 < argc) {
			if (rte_ether_unformat_addr(argv[++i], &mac) < 0)
				return vx_err(out, -EINVAL, "lladdr \"%s\": not a MAC address",
					      argv[i]);
			have_mac = true;
		} else if (strcmp(argv[i], "nud") == 0 && !show && !flush && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "permanent") == 0)
				state = VX_NUD_PERMANENT;
			else if (strcmp(argv[i], "noarp") == 0)
				state = VX_NUD_NOARP;
			else
				return vx_err(out, -EINVAL,
					      "nud \"%s\": a link's entries are permanent or noarp",
					      argv[i]);
		} else if (ips == NULL && !flush) {
			ips = argv[i];
			if (strcmp(ips, "to") == 0 && i + 1 < argc)
				ips = argv[++i];
			if (vx_ul_parse_ip(ips, &ip) < 0)
				return vx_err(out, -EINVAL, "\"%s\": not an IP address", ips);
		} else {
			return vx_err(out, -EINVAL, "neigh %s: unexpected \"%s\"", verb, argv[i]);
		}
	}
	if (show) {
		bool first = true, json = flags & VX_CMD_JSON;

		if (json)
			vx_out_printf(out, "[");
		vx_ovl_neigh_show(c, l, ips != NULL ? &ip : NULL, json, &first, out);
		if (json)
			vx_out_printf(out, "]\n");
		return 0;
	}
	if (flush) {
		/* A link has only static entries: `flush` (dynamic ones) leaves them, as ip does. */
		return 0;
	}
	if (ips == NULL)
		return vx_err(out, -EINVAL, "neigh %s: missing IP", verb);
	n = proxy_find(c, l, &ip);
	if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0) {
		if (n == NULL)
			return vx_err(out, -ENOENT, "neigh %s dev %s: no such entry", ips, l->name);
		vx_neigh_del(&c->ul->nt, n);
		return 0;
	}
	if (!have_mac)
		return vx_err(out, -EINVAL, "neigh %s: missing lladdr MAC", verb);
	if (rte_is_multicast_ether_addr(&mac) || rte_is_zero_ether_addr(&mac))
		return vx_err(out, -EINVAL, "lladdr: multicast or zero MAC");
	if (vx_ip_is_multicast(&ip) || vx_ip_is_any(&ip))
		return vx_err(out, -EINVAL, "%s: not a unicast address", ips);
	if (strcmp(verb, "change") == 0 && n == NULL)
		return vx_err(out, -ENOENT, "neigh change %s dev %s: no such entry", ips, l->name);
	ret = vx_neigh_set(&c->ul->nt, VX_OVL_NEIGH_PORT, &ip, &mac, state,
			   strcmp(verb, "add") != 0, true, l->name, vx_ul_now(c));
	if (ret == -EEXIST)
		return vx_err(out, ret, "neigh %s dev %s: exists (use replace)", ips, l->name);
	if (ret < 0)
		return vx_err(out, ret, "neigh %s: %s", ips, strerror(-ret));
	return 0;
}

void
vx_ovl_addr_show(struct vx_ctl *c, struct vx_link *only, bool json, bool *first, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN];

	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];

		if (l == NULL || (only != NULL && l != only) || (only == NULL && l->n_oaddr == 0))
			continue;
		vx_addr_show_dev(o, json, *first, VX_MAX_PORTS + l->bd, l->name, vx_link_mtu(c, l),
				 &l->mac);
		if (json)
			vx_out_printf(o, ",\"addr_info\":[");
		*first = false;
		for (int i = 0; i < l->n_oaddr; i++) {
			const struct vx_ovl_addr *a = &l->oaddr[i];
			bool v4 = a->ip.family == AF_INET;

			vx_ul_ip_str(&a->ip, ip, sizeof(ip));
			if (json)
				vx_out_printf(o,
					      "%s{\"family\":\"%s\",\"local\":\"%s\","
					      "\"prefixlen\":%u,\"scope\":\"global\"%s%s%s,"
					      "\"valid_life_time\":4294967295,"
					      "\"preferred_life_time\":4294967295}",
					      i == 0 ? "" : ",", v4 ? "inet" : "inet6", ip, a->plen,
					      v4 ? ",\"label\":\"" : "", v4 ? l->name : "",
					      v4 ? "\"" : "");
			else
				vx_out_printf(o,
					      "    %s %s/%u scope global%s%s\n"
					      "       valid_lft forever preferred_lft forever\n",
					      v4 ? "inet" : "inet6", ip, a->plen, v4 ? " " : "",
					      v4 ? l->name : "");
		}
		if (json)
			vx_out_printf(o, "]}");
	}
}

void
vx_ovl_neigh_show(struct vx_ctl *c, struct vx_link *only, const struct vx_ip *ip, bool json,
		  bool *first, struct vx_out *o)
{
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];

		if (l == NULL || (only != NULL && l != only))
			continue;
		for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
			const struct vx_neigh *n = &c->ul->nt.n[i];

			if (!is_proxy_of(n, l) || (ip != NULL && !vx_ul_ip_eq(&n->ip, ip)))
				continue;
			vx_neigh_line(n, l->name, json, *first, o);
			*first = false;
		}
	}
}

void
vx_ovl_link_del(struct vx_ctl *c, struct vx_link *l, struct vx_out *out)
{
	unsigned int n = 0;

	if (c->ul != NULL)
		for (uint32_t i = 0; i < VX_NEIGH_MAX; i++)
			if (is_proxy_of(&c->ul->nt.n[i], l)) {
				vx_neigh_del(&c->ul->nt, &c->ul->nt.n[i]);
				n++;
			}
	if (n != 0 || l->n_oaddr != 0)
		vx_out_printf(out, "removed %u overlay addresses and %u neighbour entries\n",
			      l->n_oaddr, n);
	l->n_oaddr = 0;
}

void
vx_ovl_save(struct vx_ctl *c, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];

	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];

		if (l == NULL)
			continue;
		for (int i = 0; i < l->n_oaddr; i++)
			vx_out_printf(o, "addr add %s/%u dev %s\n",
				      vx_ul_ip_str(&l->oaddr[i].ip, ip, sizeof(ip)),
				      l->oaddr[i].plen, l->name);
		if (c->ul == NULL)
			continue;
		for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
			const struct vx_neigh *n = &c->ul->nt.n[i];

			if (!is_proxy_of(n, l))
				continue;
			vx_out_printf(o, "neigh add %s lladdr %s dev %s nud %s\n",
				      vx_ul_ip_str(&n->ip, ip, sizeof(ip)),
				      vx_ul_mac_str(&n->mac, mac, sizeof(mac)), l->name,
				      n->state == VX_NUD_NOARP ? "noarp" : "permanent");
		}
	}
}

/* ---- punted frames ---- */

/* A frame of len bytes (+ VLAN tag vid) in a fresh mbuf, padded to the Ethernet minimum. */
static struct rte_mbuf *
frame_mbuf(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t vid, uint16_t port)
{
	const uint16_t min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	struct rte_mbuf *m = rte_pktmbuf_alloc(c->dp->pool);
	uint8_t *p;

	if (m == NULL) {
		vx_ul_count_drop(c, VX_DROP_NO_MBUF, port);
		return NULL;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, RTE_MAX(len, min));
	if (p == NULL)
		goto err;
	memcpy(p, f, len);
	if (len < min)
		memset(p + len, 0, min - len);
	m->port = port;
	if (vid != 0) {
		m->vlan_tci = vid;
		if (rte_vlan_insert(&m) != 0)
			goto err;
	}
	return m;
err:
	vx_ul_count_drop(c, VX_DROP_NO_MBUF, port);
	rte_pktmbuf_free(m);
	return NULL;
}

/* The frame encapsulated with vt's template, as encap.c does it, on the control path. */
static void
ovl_encap(struct vx_ctl *c, const struct vx_vtep *vt, const uint8_t *f, uint16_t len)
{
	struct rte_mbuf *m;
	struct rte_udp_hdr *uh;
	uint8_t *hdr, *ip;
	uint32_t ip_len, l3_len, range;

	if (vt == NULL)
		return;
	m = frame_mbuf(c, f, len, 0, vt->port);
	if (m == NULL)
		return;
	ip_len = rte_pktmbuf_pkt_len(m) + vt->len - vt->l3_off;
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, vt->len);
	if (hdr == NULL || (vt->mtu != 0 && ip_len > vt->mtu)) {
		vx_ul_count_drop(c, hdr == NULL ? VX_DROP_NO_MBUF : VX_DROP_MTU, vt->port);
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(hdr, vt->hdr, vt->len);
	ip = hdr + vt->l3_off;
	if (!(vt->flags & VX_VTEP_IPV6)) {
		struct rte_ipv4_hdr *ih = (struct rte_ipv4_hdr *)ip;

		ih->total_length = rte_cpu_to_be_16(ip_len);
		ih->hdr_checksum = 0;
		ih->hdr_checksum = rte_ipv4_cksum(ih);
		l3_len = rte_ipv4_hdr_len(ih);
	} else {
		l3_len = sizeof(struct rte_ipv6_hdr);
		((struct rte_ipv6_hdr *)ip)->payload_len = rte_cpu_to_be_16(ip_len - l3_len);
	}
	uh = (struct rte_udp_hdr *)(ip + l3_len);
	range = vt->srcport_max > vt->srcport_min ? vt->srcport_max - vt->srcport_min : 1;
	uh->src_port = rte_cpu_to_be_16(
		vt->srcport_min + rte_hash_crc(f, RTE_MIN(len, 2 * RTE_ETHER_ADDR_LEN), 0) % range);
	uh->dgram_len = rte_cpu_to_be_16(ip_len - l3_len);
	uh->dgram_cksum = 0;
	if (vt->flags & VX_VTEP_UDPCSUM)
		uh->dgram_cksum = (vt->flags & VX_VTEP_IPV6)
					  ? rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)ip, uh)
					  : rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)ip, uh);
	if (c->dp->stats != NULL) {
		c->dp->stats[VX_STATS_CONTROL].bd[vt->bd].encap_pkts++;
		c->dp->stats[VX_STATS_CONTROL].bd[vt->bd].encap_bytes += len;
	}
	if (vt->flags & VX_VTEP_RESOLVED)
		vx_ul_tx_mbuf(c, vt->port, m);
	else
		vx_ul_queue_unresolved(c, vt, m); /* as the workers' unresolved frames */
}

/*
 * Send f (an untagged frame from the link's side) back towards its
 * destination: the access port/VLAN of the request (lo has
 * VX_PUNT_OVL_ACCESS), else where the FDB puts the destination MAC, else
 * every VTEP of the flood list.
 */
static void
ovl_send(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
	 uint16_t in_port)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	struct rte_mbuf *m;
	uint64_t e;

	if (lo & VX_PUNT_OVL_ACCESS) {
		m = frame_mbuf(c, f, len, VX_PUNT_OVL_VID(lo), in_port);
		if (m != NULL)
			vx_ul_tx_mbuf(c, in_port, m);
		return;
	}
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &eh->dst_addr), NULL);
	if (e != 0 && (e & VX_FDB_REMOTE)) {
		uint32_t idx = vx_fdb_index(e);

		ovl_encap(c, idx < VX_MAX_VTEP ? vx_deref(c->dp->vtep[idx]) : NULL, f, len);
	} else if (e != 0) {
		m = frame_mbuf(c, f, len, vx_fdb_vlan(e), vx_fdb_index(e));
		if (m != NULL)
			vx_ul_tx_mbuf(c, vx_fdb_index(e), m);
	} else {
		for (unsigned int i = 0; i < l->n_flood; i++) {
			uint32_t idx = l->flood[i].vtep;

			ovl_encap(c, idx < VX_MAX_VTEP ? vx_deref(c->dp->vtep[idx]) : NULL, f, len);
		}
	}
}

static void
l3miss(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip)
{
	char a[INET6_ADDRSTRLEN];

	if ((l->opt.flags & VX_BD_L3MISS) && vx_ctl_event_wanted(c, "fdb"))
		vx_ctl_event(c, "fdb", "miss %s dev %s\n", vx_ul_ip_str(ip, a, sizeof(a)), l->name);
}

/*
 * Who answers for ip on l: the link itself (its MAC) for an overlay
 * address, the neighbour entry on a proxy link when the request came from
 * an access port, unless the FDB has its MAC on a local port (that host
 * answers itself, as the kernel's arp_reduce leaves a bridge-local
 * neighbour). NULL: nobody (an l3miss event when the proxy lookup failed).
 */
static const struct rte_ether_addr *
answer_mac(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *ip, uint32_t lo)
{
	const struct vx_neigh *n;
	uint64_t e;

	if (oaddr_find(l, ip) >= 0)
		return &l->mac;
	if (!(l->opt.flags & VX_BD_PROXY) || !(lo & VX_PUNT_OVL_ACCESS))
		return NULL;
	n = proxy_find(c, l, ip);
	if (n == NULL) {
		l3miss(c, l, ip);
		return NULL;
	}
	/* A host on one of our own ports answers for itself (it got the request). */
	e = vx_fdb_get(&c->dp->fdb, vx_fdb_key(l->bd, &n->mac), NULL);
	if (e != 0 && !(e & VX_FDB_REMOTE))
		return NULL;
	return &n->mac;
}

/* 1 answered, 0 not a request we answer (*miss when a proxy lookup failed), -1 not ARP. */
static int
ovl_arp(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
	uint16_t port)
{
	struct vx_ip tip = {.family = AF_INET};
	const struct rte_ether_addr *mac;
	struct vx_arp a;
	uint8_t buf[64];

	if (vx_arp_parse(f, len, &a) != 0)
		return -1;
	if (a.op != RTE_ARP_OP_REQUEST || a.spa.s_addr == a.tpa.s_addr)
		return 0;
	tip.v4 = a.tpa;
	mac = answer_mac(c, l, &tip, lo);
	if (mac == NULL)
		return 0;
	len = vx_arp_build(buf, RTE_ARP_OP_REPLY, 0, &a.sha, mac, a.tpa, &a.sha, a.spa);
	ovl_send(c, l, buf, len, lo, port);
	return 1;
}

static int
ovl_nd(struct vx_ctl *c, struct vx_link *l, const uint8_t *f, uint16_t len, uint32_t lo,
       uint16_t port)
{
	const struct in6_addr all_nodes = {.s6_addr = {0xff, 0x02, [15] = 0x01}};
	const struct rte_ether_addr all_nodes_mac = {.addr_bytes = {0x33, 0x33, 0, 0, 0, 1}};
	struct vx_ip tgt = {.family = AF_INET6};
	const struct rte_ether_addr *mac;
	struct vx_nd nd;
	uint8_t buf[128];
	bool dad;

	if (vx_nd_parse(f, len, &nd) != 0)
		return -1;
	if (nd.type != 135)
		return 0;
	tgt.v6 = nd.target;
	mac = answer_mac(c, l, &tgt, lo);
	if (mac == NULL)
		return 0;
	dad = IN6_IS_ADDR_UNSPECIFIED(&nd.src);
	if (dad)
		len = vx_nd_build_na(buf, 0, mac, &all_nodes_mac, &nd.target, &all_nodes, ND_NA_O);
	else
		len = vx_nd_build_na(buf, 0, mac, nd.has_lla ? &nd.lla : &nd.eth_src, &nd.target,
				     &nd.src, ND_NA_S | ND_NA_O);
	ovl_send(c, l, buf, len, lo, port);
	return 1;
}

/* An echo request to one of l's addresses, turned into its reply in place. */
static bool
ovl_echo(struct vx_link *l, uint8_t *f, uint16_t len)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	struct vx_ip dst = {0};

	if (len < sizeof(*eh) + sizeof(struct rte_ipv4_hdr))
		return false;
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		dst.family = AF_INET;
		memcpy(&dst.v4, &((const struct rte_ipv4_hdr *)(eh + 1))->dst_addr, 4);
	} else if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
		   len >= sizeof(*eh) + sizeof(struct rte_ipv6_hdr)) {
		dst.family = AF_INET6;
		memcpy(&dst.v6, ((const struct rte_ipv6_hdr *)(eh + 1))->dst_addr, 16);
	} else {
		return false;
	}
	if (oaddr_find(l, &dst) < 0 || vx_icmp_echo_reply(f, len) != 0)
		return false;
	/* The link's MAC as the source, whatever the request was sent to. */
	rte_ether_addr_copy(&l->mac, &((struct rte_ether_hdr *)f)->src_addr);
	return true;
}

void
vx_ovl_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint32_t lo = m->hash.fdir.lo;
	uint16_t port = m->port, len;
	struct vx_link *l = c->core != NULL ? vx_link_by_bd(c, VX_PUNT_OVL_BD(lo)) : NULL;
	const struct rte_ether_hdr *eh;
	bool to_us;
	uint8_t *f;
	int r;

	if (l == NULL || rte_pktmbuf_linearize(m) != 0) {
		vx_ul_count_drop(c, VX_DROP_OVL_NOT_OURS, port);
		goto out;
	}
	f = rte_pktmbuf_mtod(m, uint8_t *);
	len = rte_pktmbuf_data_len(m);
	eh = (const struct rte_ether_hdr *)f;
	to_us = rte_is_same_ether_addr(&eh->dst_addr, &l->mac);
	r = ovl_arp(c, l, f, len, lo, port);
	if (r < 0)
		r = ovl_nd(c, l, f, len, lo, port);
	if (r < 0 && to_us && ovl_echo(l, f, len)) {
		ovl_send(c, l, f, len, lo, port);
		r = 1;
	}
	/*
	 * A copy that nobody answers goes silently (the frame itself went on);
	 * a frame the worker handed over whole and nobody answered is a
	 * counted drop: an ARP/NS of a proxy link's access port is a proxy
	 * miss, anything else to the link's MAC is not ours.
	 */
	if (r <= 0 && !(lo & VX_PUNT_OVL_COPY))
		vx_ul_count_drop(c,
				 r == 0 && !to_us && (lo & VX_PUNT_OVL_ACCESS)
					 ? VX_DROP_PROXY_MISS
					 : VX_DROP_OVL_NOT_OURS,
				 port);
out:
	rte_pktmbuf_free(m);
}
