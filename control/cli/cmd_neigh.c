/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `neigh add|replace|change IP lladdr MAC dev PORT [nud permanent|reachable|stale|noarp]`,
 * `neigh del IP dev PORT`, `neigh show [dev PORT] [IP]`, `neigh flush dev PORT`:
 * the underlay neighbour table, as `ip neigh` (underlay/neigh.c). `add`
 * without nud makes a PERMANENT entry (the kernel's default for `ip neigh
 * add`); `flush` removes the dynamic entries and leaves PERMANENT/NOARP
 * ones, as the kernel does. With `dev LINK` (a VXLAN link) the same words
 * manage the link's proxy entries (core/proxy.c: permanent or noarp
 * only); `show` without dev lists both.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

struct neigh_req {
	const char *verb;
	const char *nud; /* the nud word, NULL = none */
	bool show, flush, del;
	const char *ips; /* the IP word, NULL = none */
	struct vx_ip ip;
	struct rte_ether_addr mac;
	bool has_mac;
	uint8_t state;
	const char *dev;
	struct vx_link *link; /* dev LINK */
	int port;	      /* dev PORT, -1 = none */
};

static void
neigh_line(const struct vx_neigh *n, const char *dev, bool json, bool *first, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	bool lla = n->state != VX_NUD_INCOMPLETE && n->state != VX_NUD_FAILED;

	vx_fmt_ip(&n->ip, ip, sizeof(ip));
	vx_fmt_mac(&n->mac, mac, sizeof(mac));
	if (json) {
		vx_out_printf(o, "%s{\"dst\":\"%s\",\"dev\":\"%s\"", *first ? "" : ",", ip, dev);
		if (lla)
			vx_out_printf(o, ",\"lladdr\":\"%s\"", mac);
		vx_out_printf(o, ",\"state\":[\"%s\"]}", vx_nud_name(n->state));
	} else if (lla) {
		vx_out_printf(o, "%s dev %s lladdr %s %s\n", ip, dev, mac, vx_nud_name(n->state));
	} else {
		vx_out_printf(o, "%s dev %s %s\n", ip, dev, vx_nud_name(n->state));
	}
	*first = false;
}

/* The port's entries (or every port's), then the links' (or only one link's). */
static int
neigh_show(struct vx_ctl *c, const struct neigh_req *r, unsigned int flags, struct vx_out *out)
{
	bool json = flags & VX_CMD_JSON, first = true;
	const struct vx_ip *ip = r->ips != NULL ? &r->ip : NULL;

	if (json)
		vx_out_printf(out, "[");
	for (uint32_t k = 0; k < VX_NEIGH_MAX && r->link == NULL; k++) {
		const struct vx_neigh *n = &c->ul->nt.n[k];

		if (n->id == 0 || n->state == VX_NUD_NONE || n->port >= VX_MAX_PORTS ||
		    (r->port >= 0 && n->port != r->port) || (ip != NULL && !vx_ip_eq(&n->ip, ip)))
			continue;
		neigh_line(n, c->port[n->port].name, json, &first, out);
	}
	for (unsigned int b = 1; c->core != NULL && b < VX_MAX_BD && r->port < 0; b++) {
		const struct vx_link *l = c->core->link[b];
		const struct vx_neigh *n;
		uint32_t pos = 0;

		if (l == NULL || (r->link != NULL && l != r->link))
			continue;
		while ((n = vx_proxy_next(c, l, &pos)) != NULL)
			if (ip == NULL || vx_ip_eq(&n->ip, ip))
				neigh_line(n, l->name, json, &first, out);
	}
	if (json)
		vx_out_printf(out, "]\n");
	return 0;
}

static int
nud_arg(const char *s, uint8_t *state)
{
	static const struct {
		const char *name;
		uint8_t state;
	} t[] = {
		{"permanent", VX_NUD_PERMANENT},
		{"reachable", VX_NUD_REACHABLE},
		{"stale", VX_NUD_STALE},
		{"noarp", VX_NUD_NOARP},
	};

	for (size_t i = 0; i < RTE_DIM(t); i++)
		if (strcmp(s, t[i].name) == 0) {
			*state = t[i].state;
			return 0;
		}
	return -EINVAL;
}

/* A word with a value: dev, lladdr, nud. */
static int
parse_value(struct vx_ctl *c, struct neigh_req *r, const char *w, const char *v, struct vx_out *out)
{
	if (strcmp(w, "dev") == 0) {
		r->dev = v;
		r->link = vx_link_find(c, v);
		r->port = r->link != NULL ? -1 : vx_port_index(c, v);
		if (r->link == NULL && r->port < 0)
			return vx_err(out, -ENODEV, "dev \"%s\": no such port or link", v);
	} else if (strcmp(w, "lladdr") == 0) {
		if (vx_parse_mac(v, &r->mac) < 0)
			return vx_err(out, -EINVAL, "lladdr \"%s\": not a MAC address", v);
		r->has_mac = true;
	} else {
		r->nud = v;
		if (nud_arg(v, &r->state) < 0)
			return vx_err(out, -EINVAL,
				      "nud \"%s\": permanent, reachable, stale or noarp", v);
	}
	return 0;
}

static int
neigh_parse(struct vx_ctl *c, int argc, char **argv, struct neigh_req *r, struct vx_out *out)
{
	bool change;

	memset(r, 0, sizeof(*r));
	r->port = -1;
	r->state = VX_NUD_PERMANENT;
	r->verb = argc > 1 ? argv[1] : "show";
	r->show = strcmp(r->verb, "show") == 0 || strcmp(r->verb, "list") == 0;
	r->flush = strcmp(r->verb, "flush") == 0;
	r->del = strcmp(r->verb, "del") == 0 || strcmp(r->verb, "delete") == 0;
	change = strcmp(r->verb, "add") == 0 || strcmp(r->verb, "replace") == 0 ||
		 strcmp(r->verb, "change") == 0;
	if (!r->show && !r->flush && !r->del && !change)
		return vx_err(out, -EINVAL,
			      "neigh: unknown command \"%s\" (add, del, replace, show, flush)",
			      r->verb);
	for (int i = 2; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "dev") == 0 ||
		    (change && (strcmp(w, "lladdr") == 0 || strcmp(w, "nud") == 0))) {
			if (++i == argc)
				return vx_err(out, -EINVAL, "\"%s\" needs a value", w);
			if (parse_value(c, r, w, argv[i], out) < 0)
				return -EINVAL;
		} else if (r->ips == NULL && !r->flush) {
			if (strcmp(w, "to") == 0 && i + 1 < argc)
				w = argv[++i];
			r->ips = w;
			if (vx_parse_ip(w, &r->ip) < 0)
				return vx_err(out, -EINVAL, "\"%s\": not an IP address", w);
		} else {
			return vx_err(out, -EINVAL, "neigh %s: unexpected \"%s\"", r->verb, w);
		}
	}
	return 0;
}

/* neigh ... dev LINK: the link's proxy entries. */
static int
link_neigh(struct vx_ctl *c, const struct neigh_req *r, struct vx_out *out)
{
	struct vx_link *l = r->link;
	struct vx_neigh *n;
	int ret;

	if (r->flush) {
		/* The learned entries (`proxy learn`); static ones stay, as with ip neigh flush. */
		vx_proxy_flush_learned(c, l);
		return 0;
	}
	if (r->ips == NULL)
		return vx_err(out, -EINVAL, "neigh %s: missing IP", r->verb);
	n = vx_proxy_find(c, l, &r->ip);
	if (r->del) {
		if (n == NULL)
			return vx_err(out, -ENOENT, "neigh %s dev %s: no such entry", r->ips,
				      l->name);
		vx_proxy_del(c, l, n);
		return 0;
	}
	if (r->state != VX_NUD_PERMANENT && r->state != VX_NUD_NOARP)
		return vx_err(out, -EINVAL, "nud \"%s\": a link's entries are permanent or noarp",
			      r->nud);
	if (!r->has_mac)
		return vx_err(out, -EINVAL, "neigh %s: missing lladdr MAC", r->verb);
	if (rte_is_multicast_ether_addr(&r->mac) || rte_is_zero_ether_addr(&r->mac))
		return vx_err(out, -EINVAL, "lladdr: multicast or zero MAC");
	if (vx_ip_is_multicast(&r->ip) || vx_ip_is_any(&r->ip))
		return vx_err(out, -EINVAL, "%s: not a unicast address", r->ips);
	if (strcmp(r->verb, "change") == 0 && n == NULL)
		return vx_err(out, -ENOENT, "neigh change %s dev %s: no such entry", r->ips,
			      l->name);
	ret = vx_proxy_set(c, l, &r->ip, &r->mac, r->state, strcmp(r->verb, "add") != 0);
	if (ret == -EEXIST)
		return vx_err(out, ret, "neigh %s dev %s: exists (use replace)", r->ips, l->name);
	if (ret < 0)
		return vx_err(out, ret, "neigh %s: %s", r->ips, strerror(-ret));
	return 0;
}

/* neigh ... dev PORT: the underlay's entries. */
static int
port_neigh(struct vx_ctl *c, const struct neigh_req *r, struct vx_out *out)
{
	const char *dev = c->port[r->port].name;
	struct vx_neigh *n;
	int ret;

	if (r->flush) {
		vx_neigh_flush(&c->ul->nt, r->port);
		return 0;
	}
	if (r->ips == NULL)
		return vx_err(out, -EINVAL, "neigh %s: missing IP", r->verb);
	n = vx_neigh_find(&c->ul->nt, r->port, &r->ip);
	if (r->del) {
		if (n == NULL)
			return vx_err(out, -ENOENT, "neigh %s dev %s: no such entry", r->ips, dev);
		vx_neigh_del(&c->ul->nt, n);
		return 0;
	}
	if (!r->has_mac)
		return vx_err(out, -EINVAL, "neigh %s: missing lladdr MAC", r->verb);
	if (rte_is_multicast_ether_addr(&r->mac) || rte_is_zero_ether_addr(&r->mac))
		return vx_err(out, -EINVAL, "lladdr: multicast or zero MAC");
	if (strcmp(r->verb, "change") == 0 && n == NULL)
		return vx_err(out, -ENOENT, "neigh change %s dev %s: no such entry", r->ips, dev);
	ret = vx_neigh_set(&c->ul->nt, r->port, &r->ip, &r->mac, r->state,
			   strcmp(r->verb, "add") != 0, vx_ul_now(c));
	if (ret == -EEXIST)
		return vx_err(out, ret, "neigh %s dev %s: exists (use replace)", r->ips, dev);
	if (ret < 0)
		return vx_err(out, ret, "neigh %s: %s", r->ips, strerror(-ret));
	return 0;
}

int
vx_cmd_neigh(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct neigh_req r;

	if (c->ul == NULL)
		return vx_err(out, -ENOTSUP, "neigh: the underlay is not initialised");
	if (neigh_parse(c, argc, argv, &r, out) < 0)
		return -EINVAL;
	if (r.show)
		return neigh_show(c, &r, flags, out);
	if (r.link != NULL)
		return link_neigh(c, &r, out);
	if (r.port < 0)
		return vx_err(out, -EINVAL, "neigh %s: missing dev PORT", r.verb);
	return port_neigh(c, &r, out);
}
