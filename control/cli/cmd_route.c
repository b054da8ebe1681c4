/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `route add|del|replace PREFIX|default [via GW] [dev PORT]`,
 * `route show [-4|-6]`, `route get IP`: the underlay's static routes
 * (underlay/route.c), as `ip route`.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

static const char *
prefix_str(const struct vx_route *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int host = r->dst.family == AF_INET ? 32 : 128;

	if (r->plen == 0)
		snprintf(buf, len, "default");
	else if (r->plen == host)
		snprintf(buf, len, "%s", vx_fmt_ip(&r->dst, a, sizeof(a)));
	else
		snprintf(buf, len, "%s/%u", vx_fmt_ip(&r->dst, a, sizeof(a)), r->plen);
	return buf;
}

static void
route_show(struct vx_ctl *c, int family, unsigned int flags, struct vx_out *o)
{
	bool json = flags & VX_CMD_JSON, first = true;

	if (json)
		vx_out_printf(o, "[");
	for (int fam = 0; fam < 2; fam++) {
		int want = fam == 0 ? AF_INET : AF_INET6;

		if (family != 0 && family != want)
			continue;
		for (int i = 0; i < VX_RT_MAX; i++) {
			const struct vx_route *r = &c->ul->rt[i];
			char p[INET6_ADDRSTRLEN + 8], gw[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
			const char *dev;

			if (!r->used || r->dst.family != want)
				continue;
			prefix_str(r, p, sizeof(p));
			dev = c->port[r->port].name;
			if (json) {
				vx_out_printf(o, "%s{\"dst\":\"%s\"", first ? "" : ",", p);
				if (r->gw.family != 0)
					vx_out_printf(o, ",\"gateway\":\"%s\"",
						      vx_fmt_ip(&r->gw, gw, sizeof(gw)));
				vx_out_printf(o, ",\"dev\":\"%s\"", dev);
				if (r->connected)
					vx_out_printf(o, ",\"protocol\":\"kernel\"");
				if (r->connected && want == AF_INET)
					vx_out_printf(o, ",\"scope\":\"link\",\"prefsrc\":\"%s\"",
						      vx_fmt_ip(&r->src, src, sizeof(src)));
				if (want == AF_INET6)
					vx_out_printf(o, ",\"metric\":%u,\"pref\":\"medium\"",
						      r->connected ? 256 : 1024);
				vx_out_printf(o, ",\"flags\":[]}");
				first = false;
				continue;
			}
			vx_out_printf(o, "%s", p);
			if (r->gw.family != 0)
				vx_out_printf(o, " via %s", vx_fmt_ip(&r->gw, gw, sizeof(gw)));
			vx_out_printf(o, " dev %s", dev);
			if (r->connected)
				vx_out_printf(o, " proto kernel");
			if (want == AF_INET) {
				if (r->connected)
					vx_out_printf(o, " scope link src %s",
						      vx_fmt_ip(&r->src, src, sizeof(src)));
			} else {
				vx_out_printf(o, " metric %u pref medium",
					      r->connected ? 256 : 1024);
			}
			vx_out_printf(o, "\n");
		}
	}
	if (json)
		vx_out_printf(o, "]\n");
}

struct route_req {
	const char *verb;
	const char *pfx, *gws; /* the words, for messages */
	struct vx_route r;
	int port; /* dev PORT, -1 = none */
};

static int
route_get(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	char a[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN], sa[INET6_ADDRSTRLEN];
	const struct vx_ul_addr *src;
	const struct vx_route *g;
	const char *dev;
	struct vx_ip dst;

	if (argc != 3 || vx_parse_ip(argv[2], &dst) < 0)
		return vx_err(out, -EINVAL, "route get: needs one IP address");
	g = vx_route_lookup(c, &dst);
	if (g == NULL)
		return vx_err(out, -ENETUNREACH, "%s: network unreachable", argv[2]);
	src = vx_route_src(c, g, dst.family);
	vx_fmt_ip(&dst, a, sizeof(a));
	vx_fmt_ip(&g->gw, gw, sizeof(gw));
	if (src != NULL)
		vx_fmt_ip(&src->ip, sa, sizeof(sa));
	dev = c->port[g->port].name;
	if (flags & VX_CMD_JSON) {
		vx_out_printf(out, "[{\"dst\":\"%s\"", a);
		if (g->gw.family != 0)
			vx_out_printf(out, ",\"gateway\":\"%s\"", gw);
		vx_out_printf(out, ",\"dev\":\"%s\"", dev);
		if (src != NULL)
			vx_out_printf(out, ",\"prefsrc\":\"%s\"", sa);
		vx_out_printf(out, ",\"flags\":[]}]\n");
		return 0;
	}
	vx_out_printf(out, "%s", a);
	if (g->gw.family != 0)
		vx_out_printf(out, " via %s", gw);
	vx_out_printf(out, " dev %s", dev);
	if (src != NULL)
		vx_out_printf(out, " src %s", sa);
	vx_out_printf(out, "\n");
	return 0;
}

static int
route_show_cmd(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	int family = 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-4") == 0)
			family = AF_INET;
		else if (strcmp(argv[i], "-6") == 0)
			family = AF_INET6;
		else
			return vx_err(out, -EINVAL, "route show: unexpected \"%s\"", argv[i]);
	}
	route_show(c, family, flags, out);
	return 0;
}

/* route add|del|replace PREFIX|default [via GW] [dev PORT] into q. */
static int
route_parse(struct vx_ctl *c, int argc, char **argv, struct route_req *q, struct vx_out *out)
{
	struct vx_route *r = &q->r;

	for (int i = 2; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "via") == 0 || strcmp(w, "dev") == 0) {
			if (++i == argc)
				return vx_err(out, -EINVAL, "\"%s\" needs a value", w);
			if (w[0] == 'd') {
				q->port = vx_port_index(c, argv[i]);
				if (q->port < 0)
					return vx_err(out, -ENODEV, "dev \"%s\": no such port",
						      argv[i]);
			} else {
				q->gws = argv[i];
				if (vx_parse_ip(argv[i], &r->gw) < 0)
					return vx_err(out, -EINVAL, "via \"%s\": not an IP address",
						      argv[i]);
			}
		} else if (q->pfx == NULL) {
			q->pfx = w;
		} else {
			return vx_err(out, -EINVAL, "route %s: unexpected \"%s\"", q->verb, w);
		}
	}
	if (q->pfx == NULL)
		return vx_err(out, -EINVAL, "route %s: missing PREFIX", q->verb);
	if (strcmp(q->pfx, "default") == 0) {
		r->dst.family = r->gw.family != 0 ? r->gw.family : AF_INET;
		r->plen = 0;
	} else if (vx_parse_prefix(q->pfx, &r->dst, &r->plen) < 0) {
		return vx_err(out, -EINVAL, "\"%s\": not a prefix", q->pfx);
	}
	vx_prefix_mask(&r->dst, r->plen);
	if (r->gw.family != 0 && r->gw.family != r->dst.family)
		return vx_err(out, -EINVAL, "via %s: address family differs from %s", q->gws,
			      q->pfx);
	return 0;
}

static int
route_del(struct vx_ctl *c, const struct route_req *q, struct vx_out *out)
{
	const struct vx_route *e = vx_route_find(c, &q->r.dst, q->r.plen);

	if (e == NULL || (q->port >= 0 && e->port != q->port) ||
	    (q->r.gw.family != 0 && !vx_ip_eq(&q->r.gw, &e->gw)))
		return vx_err(out, -ESRCH, "route %s: no such route", q->pfx);
	if (e->connected)
		return vx_err(out, -EPERM, "route %s: connected route (delete the address)",
			      q->pfx);
	return vx_route_del(c, &q->r.dst, q->r.plen, NULL);
}

/*
 * A gateway must be on a connected network (as the kernel requires
 * without onlink: the longest connected route that holds it, whatever
 * other routes cover it), and gives the route its port; with dev alone
 * the route is on-link and the next hop is the destination.
 */
static int
route_add(struct vx_ctl *c, struct route_req *q, bool replace, struct vx_out *out)
{
	struct vx_route *r = &q->r;
	int ret;

	if (r->gw.family != 0) {
		const struct vx_route *g = vx_route_connected(c, &r->gw, q->port);

		if (g == NULL)
			return vx_err(out, -ENETUNREACH,
				      "via %s: gateway not on a connected network%s%s", q->gws,
				      q->port >= 0 ? " of " : "",
				      q->port >= 0 ? c->port[q->port].name : "");
		if (vx_ul_is_local(c, &r->gw))
			return vx_err(out, -EINVAL, "via %s: gateway is a local address", q->gws);
		r->port = g->port;
	} else if (q->port >= 0) {
		r->port = q->port;
	} else {
		return vx_err(out, -EINVAL, "route %s: needs via GW or dev PORT", q->verb);
	}
	ret = vx_route_add(c, r, replace);
	if (ret == -EEXIST)
		return vx_err(out, ret, "route %s: exists (use replace)", q->pfx);
	if (ret < 0)
		return vx_err(out, ret, "route %s: %s", q->pfx, strerror(-ret));
	return 0;
}

int
vx_cmd_route(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct route_req q = {.verb = argc > 1 ? argv[1] : "show", .port = -1};
	bool del;

	if (c->ul == NULL)
		return vx_err(out, -ENOTSUP, "route: the underlay is not initialised");
	if (strcmp(q.verb, "show") == 0 || strcmp(q.verb, "list") == 0)
		return route_show_cmd(c, argc, argv, flags, out);
	if (strcmp(q.verb, "get") == 0)
		return route_get(c, argc, argv, flags, out);
	del = strcmp(q.verb, "del") == 0 || strcmp(q.verb, "delete") == 0;
	if (!del && strcmp(q.verb, "add") != 0 && strcmp(q.verb, "replace") != 0)
		return vx_err(out, -EINVAL,
			      "route: unknown command \"%s\" (add, del, replace, show, get)",
			      q.verb);
	if (route_parse(c, argc, argv, &q, out) < 0)
		return -EINVAL;
	if (del)
		return route_del(c, &q, out);
	return route_add(c, &q, strcmp(q.verb, "replace") == 0, out);
}
