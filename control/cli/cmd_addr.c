/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `addr add|del IP/LEN dev PORT [vlan VID]`, `addr show [dev PORT|LINK]`:
 * the switch's underlay addresses, as `ip addr` (underlay/addr.c). A port
 * is named PORT, or PORT.VID as iproute2 names a VLAN device. With
 * `dev LINK` (a VXLAN link) the same words manage the switch's own
 * addresses inside that link (core/host.c).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

struct addr_req {
	const char *verb;
	bool show, add;
	const char *pfx; /* the IP/LEN word */
	struct vx_ip ip;
	uint8_t plen;
	const char *dev;
	struct vx_link *link; /* dev LINK */
	int port;	      /* dev PORT, -1 = none */
	uint16_t vlan;	      /* vlan VID or PORT.VID */
	bool has_vlan;
};

/* ---- show ---- */

static void
show_addr_info(struct vx_out *o, bool json, bool first, const struct vx_ip *ip, uint8_t plen,
	       const char *label, uint16_t vlan)
{
	bool v4 = ip->family == AF_INET;
	char a[INET6_ADDRSTRLEN];

	vx_fmt_ip(ip, a, sizeof(a));
	if (json) {
		vx_out_printf(o,
			      "%s{\"family\":\"%s\",\"local\":\"%s\",\"prefixlen\":%u,"
			      "\"scope\":\"global\"",
			      first ? "" : ",", v4 ? "inet" : "inet6", a, plen);
		if (v4)
			vx_out_printf(o, ",\"label\":\"%s\"", label);
		vx_out_printf(o, ",\"valid_life_time\":4294967295,"
				 "\"preferred_life_time\":4294967295}");
		return;
	}
	vx_out_printf(o, "    %s %s/%u scope global", v4 ? "inet" : "inet6", a, plen);
	if (v4)
		vx_out_printf(o, " %s", label);
	if (vlan != 0)
		vx_out_printf(o, " vlan %u", vlan);
	vx_out_printf(o, "\n       valid_lft forever preferred_lft forever\n");
}

static void
show_port(struct vx_ctl *c, uint16_t p, bool json, bool *first, struct vx_out *o)
{
	const struct vx_ctl_port *cp = &c->port[p];
	uint16_t vlan = c->ul->port_vlan[p];
	bool afirst = true;

	vx_cli_dev_head(o, json, *first, p + 1, cp->name, cp->mtu ? cp->mtu : 1500, &cp->mac);
	*first = false;
	if (json) {
		if (vx_ul_port_has_addr(c, p) && vlan != 0)
			vx_out_printf(o, ",\"vlan\":%u", vlan);
		vx_out_printf(o, ",\"addr_info\":[");
	}
	for (int fam = 0; fam < 2; fam++) {
		int want = fam == 0 ? AF_INET : AF_INET6;

		for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
			const struct vx_ul_addr *a = &c->ul->addr[i];

			if (!a->used || a->port != p || a->ip.family != want)
				continue;
			show_addr_info(o, json, afirst, &a->ip, a->plen, cp->name, vlan);
			afirst = false;
		}
	}
	if (json)
		vx_out_printf(o, "]}");
}

static void
show_link(struct vx_ctl *c, const struct vx_link *l, bool json, bool *first, struct vx_out *o)
{
	vx_cli_dev_head(o, json, *first, VX_MAX_PORTS + l->bd, l->name, vx_link_mtu(c, l), &l->mac);
	*first = false;
	if (json)
		vx_out_printf(o, ",\"addr_info\":[");
	for (int i = 0; i < l->n_addr; i++)
		show_addr_info(o, json, i == 0, &l->addr[i].ip, l->addr[i].plen, l->name, 0);
	if (json)
		vx_out_printf(o, "]}");
}

/* Every port (or only port), then the links with addresses (or only link). */
static int
addr_show(struct vx_ctl *c, const struct addr_req *r, unsigned int flags, struct vx_out *o)
{
	bool json = flags & VX_CMD_JSON, first = true;

	if (json)
		vx_out_printf(o, "[");
	for (uint16_t p = 0; p < VX_MAX_PORTS && r->link == NULL; p++)
		if (c->port[p].present && (r->port < 0 || r->port == p))
			show_port(c, p, json, &first, o);
	for (unsigned int b = 1; c->core != NULL && b < VX_MAX_BD && r->port < 0; b++) {
		const struct vx_link *l = c->core->link[b];

		if (l != NULL && (r->link == l || (r->link == NULL && l->n_addr != 0)))
			show_link(c, l, json, &first, o);
	}
	if (json)
		vx_out_printf(o, "]\n");
	return 0;
}

/* ---- parse ---- */

/* dev NAME: a link, a port, or PORT.VID. */
static int
parse_dev(struct vx_ctl *c, struct addr_req *r, const char *name, struct vx_out *out)
{
	char buf[VX_NAME_LEN], *dot;
	const char *err = NULL;
	long long v;

	r->dev = name;
	r->link = vx_link_find(c, name);
	if (r->link != NULL)
		return 0;
	r->port = vx_port_index(c, name);
	if (r->port >= 0)
		return 0;
	if (strlcpy(buf, name, sizeof(buf)) < sizeof(buf) && (dot = strrchr(buf, '.')) != NULL) {
		*dot = '\0';
		r->port = vx_port_index(c, buf);
		v = strtonum(dot + 1, 1, 4094, &err);
		if (r->port >= 0 && err == NULL) {
			r->vlan = v;
			r->has_vlan = true;
			return 0;
		}
		r->port = -1;
	}
	return vx_err(out, -ENODEV, "dev \"%s\": no such port or link", name);
}

static int
parse_word(struct vx_ctl *c, int argc, char **argv, int *i, struct addr_req *r, struct vx_out *out)
{
	const char *w = argv[*i], *err = NULL;

	if (strcmp(w, "dev") == 0 || (strcmp(w, "vlan") == 0 && !r->show)) {
		if (++*i == argc)
			return vx_err(out, -EINVAL, "\"%s\" needs a value", w);
		if (w[0] == 'd')
			return parse_dev(c, r, argv[*i], out);
		r->vlan = strtonum(argv[*i], 1, 4094, &err);
		if (err != NULL)
			return vx_err(out, -EINVAL, "vlan \"%s\": must be 1..4094", argv[*i]);
		r->has_vlan = true;
		return 0;
	}
	if (!r->show && r->pfx == NULL) {
		if (strcmp(w, "local") == 0 && *i + 1 < argc)
			++*i;
		r->pfx = argv[*i];
		return 0;
	}
	return vx_err(out, -EINVAL, "addr %s: unexpected \"%s\"", r->verb, w);
}

static int
addr_parse(struct vx_ctl *c, int argc, char **argv, struct addr_req *r, struct vx_out *out)
{
	memset(r, 0, sizeof(*r));
	r->port = -1;
	r->verb = argc > 1 ? argv[1] : "show";
	r->show = vx_cli_verb_show(r->verb);
	if (!r->show && strcmp(r->verb, "add") != 0 && strcmp(r->verb, "del") != 0 &&
	    strcmp(r->verb, "delete") != 0)
		return vx_err(out, -EINVAL, "addr: unknown command \"%s\" (add, del, show)",
			      r->verb);
	r->add = strcmp(r->verb, "add") == 0;
	for (int i = 2; i < argc; i++)
		if (parse_word(c, argc, argv, &i, r, out) < 0)
			return -EINVAL;
	if (r->show)
		return 0;
	if (r->pfx == NULL)
		return vx_err(out, -EINVAL, "addr %s: missing IP/LEN", r->verb);
	if (vx_parse_prefix(r->pfx, &r->ip, &r->plen) < 0)
		return vx_err(out, -EINVAL, "\"%s\": not an IP address or prefix", r->pfx);
	if (r->dev == NULL)
		return vx_err(out, -EINVAL, "addr %s: missing dev PORT", r->verb);
	if (r->link != NULL && r->has_vlan)
		return vx_err(out, -EINVAL, "addr %s dev %s: vlan is a port's", r->verb, r->dev);
	return 0;
}

/* ---- validate and apply ---- */

/* IP/LEN matches address (ip, plen): the same address, and the length when one was given. */
static bool
same_prefix(const struct addr_req *r, uint8_t plen)
{
	return strchr(r->pfx, '/') == NULL || plen == r->plen;
}

static int
link_addr(struct vx_ctl *c, const struct addr_req *r, struct vx_out *out)
{
	struct vx_host_addr a = {.ip = r->ip, .plen = r->plen};
	struct vx_link *l = r->link, *o;
	int at = vx_host_addr_find(l, &r->ip);

	if (!r->add) {
		if (at < 0 || !same_prefix(r, l->addr[at].plen))
			return vx_err(out, -EADDRNOTAVAIL, "%s: no such address on %s", r->pfx,
				      l->name);
		vx_host_addr_del(c, l, at);
		return 0;
	}
	if (vx_ip_is_multicast(&r->ip) || vx_ip_is_any(&r->ip))
		return vx_err(out, -EINVAL, "%s: not a unicast address", r->pfx);
	if (vx_ul_is_local(c, &r->ip))
		return vx_err(out, -EEXIST, "%s: address already assigned to the underlay", r->pfx);
	o = vx_host_addr_owner(c, &r->ip);
	if (o != NULL)
		return vx_err(out, -EEXIST, "%s: address already assigned to %s", r->pfx, o->name);
	return vx_host_addr_add(c, l, &a, out);
}

static int
port_addr(struct vx_ctl *c, const struct addr_req *r, struct vx_out *out)
{
	const struct vx_ul_addr *a = vx_ul_addr_find(c, &r->ip);
	struct vx_ul_addr na = {.plen = r->plen, .port = r->port, .ip = r->ip};
	uint16_t vlan = r->has_vlan ? r->vlan : 0;

	if (!r->add) {
		if (a == NULL || a->port != r->port || !same_prefix(r, a->plen))
			return vx_err(out, -EADDRNOTAVAIL, "%s: no such address on %s", r->pfx,
				      c->port[r->port].name);
		vx_ul_addr_del(c, a);
		return 0;
	}
	if (r->ip.family == AF_INET6 && vx_ip_is_multicast(&r->ip))
		return vx_err(out, -EINVAL, "%s: multicast address", r->pfx);
	if (a != NULL)
		return vx_err(out, -EEXIST, "%s: address already assigned", r->pfx);
	if (vx_ul_port_has_addr(c, r->port) && c->ul->port_vlan[r->port] != vlan)
		return vx_err(out, -EINVAL, "%s already has underlay addresses on vlan %u",
			      c->port[r->port].name, c->ul->port_vlan[r->port]);
	if (c->core != NULL && c->core->access[r->port][vlan] != 0)
		return vx_err(out, -EBUSY, "%s%s%.0u is attached to %s; nomaster first",
			      c->port[r->port].name, vlan ? " vlan " : "", vlan,
			      c->core->link[c->core->access[r->port][vlan]]->name);
	if (vx_ul_addr_add(c, &na, vlan) < 0)
		return vx_err(out, -ENOSPC, "no room for more than %u addresses",
			      VX_MAX_LOCAL_ADDR);
	return 0;
}

int
vx_cmd_addr(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct addr_req r;

	if (c->ul == NULL)
		return vx_err(out, -ENOTSUP, "addr: the underlay is not initialised");
	if (addr_parse(c, argc, argv, &r, out) < 0)
		return -EINVAL;
	if (r.show)
		return addr_show(c, &r, flags, out);
	if (r.link != NULL)
		return link_addr(c, &r, out);
	return port_addr(c, &r, out);
}
