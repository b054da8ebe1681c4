/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `addr add|del IP/LEN dev PORT [vlan VID]`, `addr show [dev PORT]`: the
 * switch's own underlay addresses, as `ip addr`. An address makes its port
 * an underlay port (on its VLAN, one per port), adds the connected route,
 * announces itself (gratuitous ARP / unsolicited NA) and is published in
 * dp->local, where the workers look for "to us" (with the VXLAN UDP ports
 * the core hands over through vx_ul_set_dstports()).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <rte_malloc.h>

#include "core.h"
#include "underlay.h"

int
vx_ul_parse_ip(const char *s, struct vx_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->v4) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		ip->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

int
vx_ul_parse_prefix(const char *s, struct vx_ip *ip, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	const char *err = NULL;
	long long v;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (vx_ul_parse_ip(buf, ip) < 0)
		return -EINVAL;
	if (slash == NULL) {
		*plen = ip->family == AF_INET ? 32 : 128;
		return 0;
	}
	v = strtonum(slash, 0, ip->family == AF_INET ? 32 : 128, &err);
	if (err != NULL)
		return -ERANGE;
	*plen = v;
	return 0;
}

const char *
vx_ul_ip_str(const struct vx_ip *ip, char *buf, size_t len)
{
	if (ip->family == 0 || inet_ntop(ip->family, ip->bytes, buf, len) == NULL)
		snprintf(buf, len, "none");
	return buf;
}

const char *
vx_ul_mac_str(const struct rte_ether_addr *mac, char *buf, size_t len)
{
	const uint8_t *a = mac->addr_bytes;

	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
	return buf;
}

const struct vx_ul_addr *
vx_ul_addr_find(struct vx_ctl *c, const struct vx_ip *ip)
{
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++)
		if (c->ul->addr[i].used && vx_ul_ip_eq(&c->ul->addr[i].ip, ip))
			return &c->ul->addr[i];
	return NULL;
}

const struct vx_ul_addr *
vx_ul_addr_on_port(struct vx_ctl *c, uint16_t port, int family)
{
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		const struct vx_ul_addr *a = &c->ul->addr[i];

		if (a->used && a->port == port && a->ip.family == family)
			return a;
	}
	return NULL;
}

static bool
port_has_addr(struct vx_ctl *c, uint16_t port)
{
	return vx_ul_addr_on_port(c, port, AF_INET) != NULL ||
	       vx_ul_addr_on_port(c, port, AF_INET6) != NULL;
}

bool
vx_ul_is_local(struct vx_ctl *c, const struct vx_ip *ip)
{
	return c->ul != NULL && vx_ul_addr_find(c, ip) != NULL;
}

void
vx_ul_port_role(struct vx_ctl *c, uint16_t port, uint16_t *flags, uint16_t *underlay_vlan)
{
	if (c->ul != NULL && port < VX_MAX_PORTS && port_has_addr(c, port)) {
		*flags |= VX_PORT_UNDERLAY;
		*underlay_vlan = c->ul->port_vlan[port];
	} else {
		*flags &= ~VX_PORT_UNDERLAY;
		*underlay_vlan = 0;
	}
}

/* Copy-then-publish dp->local from the model. */
int
vx_ul_local_publish(struct vx_ctl *c)
{
	struct vx_local *nl, *old;

	if (c->dp == NULL)
		return 0;
	nl = rte_zmalloc("vx_local", sizeof(*nl), 0);
	if (nl == NULL)
		return -ENOMEM;
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		if (!c->ul->addr[i].used)
			continue;
		nl->addr[nl->n_addr].ip = c->ul->addr[i].ip;
		nl->addr[nl->n_addr].port = c->ul->addr[i].port;
		nl->n_addr++;
	}
	nl->n_dstport = c->ul->n_dstport;
	memcpy(nl->dstport, c->ul->dstport, sizeof(nl->dstport));
	old = c->dp->local;
	vx_publish(c->dp->local, nl);
	if (old != NULL)
		vx_retire(c->dp, old);
	return 0;
}

void
vx_ul_set_dstports(struct vx_ctl *c, const uint16_t *ports, uint16_t n)
{
	if (n > VX_MAX_DSTPORTS)
		n = VX_MAX_DSTPORTS;
	if (c->ul == NULL) {
		/* Underlay not initialised: keep dp->local's addresses, set the ports. */
		struct vx_local *nl, *old;

		if (c->dp == NULL)
			return;
		nl = rte_zmalloc("vx_local", sizeof(*nl), 0);
		if (nl == NULL)
			return;
		old = c->dp->local;
		if (old != NULL)
			*nl = *old;
		nl->n_dstport = n;
		memset(nl->dstport, 0, sizeof(nl->dstport));
		memcpy(nl->dstport, ports, n * sizeof(ports[0]));
		vx_publish(c->dp->local, nl);
		if (old != NULL)
			vx_retire(c->dp, old);
		return;
	}
	memset(c->ul->dstport, 0, sizeof(c->ul->dstport));
	memcpy(c->ul->dstport, ports, n * sizeof(ports[0]));
	c->ul->n_dstport = n;
	vx_ul_local_publish(c);
}

/* Connected route for a, unless one exists for its prefix. */
static void
connected_add(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	struct vx_route r = {.connected = true, .plen = a->plen, .port = a->port};
	unsigned int host = a->ip.family == AF_INET ? 32 : 128;

	if (a->plen == host)
		return;
	r.dst = a->ip;
	vx_prefix_mask(&r.dst, a->plen);
	r.src = a->ip;
	if (vx_route_lookup(c, &r.dst) != NULL) {
		const struct vx_route *e = vx_route_lookup(c, &r.dst);

		if (e->plen == r.plen && vx_ul_ip_eq(&e->dst, &r.dst))
			return;
	}
	vx_route_add(c, &r, false);
}

/* After deleting a: drop its connected route, or hand it to another address. */
static void
connected_del(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	struct vx_ip dst = a->ip;

	vx_prefix_mask(&dst, a->plen);
	for (int i = 0; i < VX_RT_MAX; i++) {
		struct vx_route *r = &c->ul->rt[i];

		if (!r->used || !r->connected || !vx_ul_ip_eq(&r->src, &a->ip))
			continue;
		vx_route_del(c, &r->dst, r->plen, NULL);
	}
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		const struct vx_ul_addr *o = &c->ul->addr[i];
		struct vx_ip od;

		if (!o->used || o->ip.family != a->ip.family || o->plen != a->plen)
			continue;
		od = o->ip;
		vx_prefix_mask(&od, o->plen);
		if (vx_ul_ip_eq(&od, &dst)) {
			connected_add(c, o);
			break;
		}
	}
}

static void
announce(struct vx_ctl *c, const struct vx_ul_addr *a)
{
	if (a->ip.family == AF_INET)
		vx_arp_send_gratuitous(c, a->port, a->ip.v4);
	else
		vx_nd_send_unsolicited_na(c, a->port, &a->ip.v6);
}

bool
vx_addr_verb_show(const char *verb)
{
	size_t n = strlen(verb);

	/* As ip: any prefix of show or list (`ip add sh`), and ls. */
	return n != 0 && (strncmp(verb, "show", n) == 0 || strncmp(verb, "list", n) == 0 ||
			  strcmp(verb, "ls") == 0);
}

void
vx_addr_show_dev(struct vx_out *o, bool json, bool first, unsigned int ifindex, const char *name,
		 unsigned int mtu, const struct rte_ether_addr *ea)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	vx_ul_mac_str(ea, mac, sizeof(mac));
	if (json) {
		vx_out_printf(o,
			      "%s{\"ifindex\":%u,\"ifname\":\"%s\",\"mtu\":%u,"
			      "\"link_type\":\"ether\",\"address\":\"%s\","
			      "\"broadcast\":\"ff:ff:ff:ff:ff:ff\"",
			      first ? "" : ",", ifindex, name, mtu, mac);
		return;
	}
	vx_out_printf(o, "%u: %s: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu %u\n", ifindex, name, mtu);
	vx_out_printf(o, "    link/ether %s brd ff:ff:ff:ff:ff:ff\n", mac);
}

static int
addr_show(struct vx_ctl *c, struct vx_ctl_port *only, unsigned int flags, struct vx_out *o)
{
	bool json = flags & VX_CMD_JSON;
	bool first = true;

	if (json)
		vx_out_printf(o, "[");
	for (uint16_t p = 0; p < VX_MAX_PORTS; p++) {
		const struct vx_ctl_port *cp = &c->port[p];
		char ip[INET6_ADDRSTRLEN];
		bool afirst = true;
		uint16_t vlan = c->ul->port_vlan[p];

		if (!cp->present || (only != NULL && only != cp))
			continue;
		vx_addr_show_dev(o, json, first, p + 1, cp->name, cp->mtu ? cp->mtu : 1500,
				 &cp->mac);
		if (json) {
			if (port_has_addr(c, p) && vlan != 0)
				vx_out_printf(o, ",\"vlan\":%u", vlan);
			vx_out_printf(o, ",\"addr_info\":[");
		}
		first = false;
		for (int fam = 0; fam < 2; fam++) {
			int want = fam == 0 ? AF_INET : AF_INET6;

			for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
				const struct vx_ul_addr *a = &c->ul->addr[i];

				if (!a->used || a->port != p || a->ip.family != want)
					continue;
				vx_ul_ip_str(&a->ip, ip, sizeof(ip));
				if (json) {
					vx_out_printf(o,
						      "%s{\"family\":\"%s\",\"local\":\"%s\","
						      "\"prefixlen\":%u,\"scope\":\"global\"",
						      afirst ? "" : ",",
						      want == AF_INET ? "inet" : "inet6", ip,
						      a->plen);
					if (want == AF_INET)
						vx_out_printf(o, ",\"label\":\"%s\"", cp->name);
					vx_out_printf(o, ",\"valid_life_time\":4294967295,"
							 "\"preferred_life_time\":4294967295}");
					afirst = false;
					continue;
				}
				if (want == AF_INET)
					vx_out_printf(o, "    inet %s/%u scope global %s", ip,
						      a->plen, cp->name);
				else
					vx_out_printf(o, "    inet6 %s/%u scope global", ip,
						      a->plen);
				if (vlan != 0)
					vx_out_printf(o, " vlan %u", vlan);
				vx_out_printf(o,
					      "\n       valid_lft forever preferred_lft forever\n");
			}
		}
		if (json)
			vx_out_printf(o, "]}");
	}
	/* Then the links that have overlay addresses, as `ip addr` lists every device. */
	if (only == NULL && c->core != NULL)
		vx_ovl_addr_show(c, NULL, json, &first, o);
	if (json)
		vx_out_printf(o, "]\n");
	return 0;
}

static struct vx_ctl_port *
port_arg(struct vx_ctl *c, const char *name, uint16_t *vlan, struct vx_out *o)
{
	struct vx_ctl_port *p = vx_ctl_port_find(c, name);
	char buf[VX_NAME_LEN];
	char *dot;
	const char *err = NULL;

	if (p != NULL)
		return p;
	/* Sub-port name "PORT.VID" = dev PORT vlan VID. */
	if (strlcpy(buf, name, sizeof(buf)) < sizeof(buf) && (dot = strrchr(buf, '.')) != NULL) {
		*dot = '\0';
		p = vx_ctl_port_find(c, buf);
		if (p != NULL) {
			long long v = strtonum(dot + 1, 1, 4094, &err);

			if (err == NULL) {
				*vlan = v;
				return p;
			}
		}
	}
	vx_out_printf(o, "error: dev \"%s\": no such port\n", name);
	return NULL;
}

int
vx_cmd_addr(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	const char *verb = argc > 1 ? argv[1] : "show";
	struct vx_ctl_port *port = NULL;
	struct vx_ul_addr na = {0};
	struct vx_link *link;
	const char *pfx = NULL;
	uint16_t vlan = 0;
	bool add, have_vlan = false;
	int i, slot = -1;

	if (c->ul == NULL) {
		vx_out_printf(out, "error: addr: the underlay is not initialised\n");
		return -ENOTSUP;
	}
	/* `dev LINK`: an overlay address of a VXLAN link (overlay.c). */
	if (argc > 1 && (link = vx_ovl_dev_link(c, argc, argv)) != NULL)
		return vx_ovl_cmd_addr(c, link, argc, argv, flags, out);
	if (vx_addr_verb_show(verb)) {
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "dev") == 0 && i + 1 < argc) {
				port = port_arg(c, argv[++i], &vlan, out);
				if (port == NULL)
					return -ENODEV;
			} else {
				vx_out_printf(out, "error: addr show: unexpected \"%s\"\n",
					      argv[i]);
				return -EINVAL;
			}
		}
		return addr_show(c, port, flags, out);
	}
	if (strcmp(verb, "add") == 0)
		add = true;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		add = false;
	else {
		vx_out_printf(out, "error: addr: unknown command \"%s\" (add, del, show)\n", verb);
		return -EINVAL;
	}

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "dev") == 0) {
			if (++i == argc)
				goto err_missing;
			port = port_arg(c, argv[i], &vlan, out);
			if (port == NULL)
				return -ENODEV;
			have_vlan = have_vlan || vlan != 0;
		} else if (strcmp(argv[i], "vlan") == 0) {
			const char *err = NULL;

			if (++i == argc)
				goto err_missing;
			vlan = strtonum(argv[i], 1, 4094, &err);
			if (err != NULL) {
				vx_out_printf(out, "error: vlan \"%s\": must be 1..4094\n",
					      argv[i]);
				return -EINVAL;
			}
			have_vlan = true;
		} else if (strcmp(argv[i], "local") == 0 && i + 1 < argc && pfx == NULL) {
			pfx = argv[++i];
		} else if (pfx == NULL) {
			pfx = argv[i];
		} else {
			vx_out_printf(out, "error: addr %s: unexpected \"%s\"\n", verb, argv[i]);
			return -EINVAL;
		}
	}
	if (pfx == NULL) {
		vx_out_printf(out, "error: addr %s: missing IP/LEN\n", verb);
		return -EINVAL;
	}
	if (vx_ul_parse_prefix(pfx, &na.ip, &na.plen) < 0) {
		vx_out_printf(out, "error: \"%s\": not an IP address or prefix\n", pfx);
		return -EINVAL;
	}
	if (port == NULL) {
		vx_out_printf(out, "error: addr %s: missing dev PORT\n", verb);
		return -EINVAL;
	}
	na.port = port->port_id;
	na.used = true;

	if (!add) {
		const struct vx_ul_addr *a = vx_ul_addr_find(c, &na.ip);
		struct vx_ul_addr old;

		if (a == NULL || a->port != na.port || (strchr(pfx, '/') && a->plen != na.plen)) {
			vx_out_printf(out, "error: %s: no such address on %s\n", pfx, port->name);
			return -EADDRNOTAVAIL;
		}
		old = *a;
		memset((void *)a, 0, sizeof(*a));
		connected_del(c, &old);
		if (!port_has_addr(c, old.port)) {
			c->ul->port_vlan[old.port] = 0;
			c->ul->port_publish(c, old.port);
		}
		vx_ul_local_publish(c);
		c->ul->rebuild(c, UINT32_MAX);
		return 0;
	}

	if (IN6_IS_ADDR_MULTICAST(&na.ip.v6) && na.ip.family == AF_INET6) {
		vx_out_printf(out, "error: %s: multicast address\n", pfx);
		return -EINVAL;
	}
	if (vx_ul_addr_find(c, &na.ip) != NULL) {
		vx_out_printf(out, "error: %s: address already assigned\n", pfx);
		return -EEXIST;
	}
	if (port_has_addr(c, na.port) && c->ul->port_vlan[na.port] != (have_vlan ? vlan : 0)) {
		vx_out_printf(out, "error: %s already has underlay addresses on vlan %u\n",
			      port->name, c->ul->port_vlan[na.port]);
		return -EINVAL;
	}
	for (i = 0; i < VX_MAX_LOCAL_ADDR; i++)
		if (!c->ul->addr[i].used) {
			slot = i;
			break;
		}
	if (slot < 0) {
		vx_out_printf(out, "error: no room for more than %u addresses\n",
			      VX_MAX_LOCAL_ADDR);
		return -ENOSPC;
	}

	{
		bool first_on_port = !port_has_addr(c, na.port);

		c->ul->addr[slot] = na;
		c->ul->port_vlan[na.port] = have_vlan ? vlan : 0;
		connected_add(c, &c->ul->addr[slot]);
		if (first_on_port)
			c->ul->port_publish(c, na.port);
		vx_ul_local_publish(c);
		announce(c, &c->ul->addr[slot]);
		c->ul->rebuild(c, UINT32_MAX);
	}
	return 0;

err_missing:
	vx_out_printf(out, "error: \"%s\" needs a value\n", argv[argc - 1]);
	return -EINVAL;
}

void
vx_ul_save(struct vx_ctl *c, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];

	if (c->ul == NULL)
		return;
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		const struct vx_ul_addr *a = &c->ul->addr[i];

		if (!a->used)
			continue;
		vx_out_printf(o, "addr add %s/%u dev %s", vx_ul_ip_str(&a->ip, ip, sizeof(ip)),
			      a->plen, c->port[a->port].name);
		if (c->ul->port_vlan[a->port] != 0)
			vx_out_printf(o, " vlan %u", c->ul->port_vlan[a->port]);
		vx_out_printf(o, "\n");
	}
	for (int i = 0; i < VX_RT_MAX; i++) {
		const struct vx_route *r = &c->ul->rt[i];

		if (!r->used || r->connected)
			continue;
		if (r->plen == 0)
			vx_out_printf(o, "route add default");
		else
			vx_out_printf(o, "route add %s/%u", vx_ul_ip_str(&r->dst, ip, sizeof(ip)),
				      r->plen);
		if (r->gw.family != 0)
			vx_out_printf(o, " via %s", vx_ul_ip_str(&r->gw, gw, sizeof(gw)));
		vx_out_printf(o, " dev %s\n", c->port[r->port].name);
	}
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		const struct vx_neigh *n = &c->ul->nt.n[i];
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		if (n->id == 0 || (n->state != VX_NUD_PERMANENT && n->state != VX_NUD_NOARP) ||
		    (n->flags & VX_NEIGH_F_PROXY) || n->port >= VX_MAX_PORTS)
			continue; /* a link's entries are saved with the links (vx_ovl_save) */
		vx_ul_mac_str(&n->mac, mac, sizeof(mac));
		vx_out_printf(o, "neigh add %s lladdr %s dev %s nud %s\n",
			      vx_ul_ip_str(&n->ip, ip, sizeof(ip)), mac, c->port[n->port].name,
			      n->state == VX_NUD_NOARP ? "noarp" : "permanent");
	}
}
