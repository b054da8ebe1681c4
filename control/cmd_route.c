/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `route add|del|replace PREFIX|default [via GW] [dev PORT]`,
 * `route show [-4|-6]`, `route get IP`: static underlay routes, as `ip route`. A gateway
 * must be on a connected network (as the kernel requires without onlink);
 * with dev alone the route is on-link and the next hop is the destination.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "underlay.h"

int
vx_cmd_route(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	const char *verb = argc > 1 ? argv[1] : "show";
	struct vx_route r = {0};
	struct vx_ctl_port *port = NULL;
	const char *pfx = NULL, *gws = NULL;
	bool have_dst = false;
	int i, ret;

	if (c->ul == NULL) {
		vx_out_printf(out, "error: route: the underlay is not initialised\n");
		return -ENOTSUP;
	}
	if (strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0) {
		int family = 0;

		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "-4") == 0)
				family = AF_INET;
			else if (strcmp(argv[i], "-6") == 0)
				family = AF_INET6;
			else {
				vx_out_printf(out, "error: route show: unexpected \"%s\"\n",
					      argv[i]);
				return -EINVAL;
			}
		}
		vx_route_show(c, family, flags, out);
		return 0;
	}
	if (strcmp(verb, "get") == 0) {
		const struct vx_route *g;
		const struct vx_ul_addr *src;
		char a[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN], sa[INET6_ADDRSTRLEN];
		struct vx_ip dst;

		if (argc != 3 || vx_ul_parse_ip(argv[2], &dst) < 0) {
			vx_out_printf(out, "error: route get: needs one IP address\n");
			return -EINVAL;
		}
		g = vx_route_lookup(c, &dst);
		if (g == NULL) {
			vx_out_printf(out, "error: %s: network unreachable\n", argv[2]);
			return -ENETUNREACH;
		}
		src = g->connected ? vx_ul_addr_find(c, &g->src) : NULL;
		if (src == NULL)
			src = vx_ul_addr_on_port(c, g->port, dst.family);
		vx_ul_ip_str(&dst, a, sizeof(a));
		vx_ul_ip_str(&g->gw, gw, sizeof(gw));
		if (src != NULL)
			vx_ul_ip_str(&src->ip, sa, sizeof(sa));
		if (flags & VX_CMD_JSON) {
			vx_out_printf(out, "[{\"dst\":\"%s\"", a);
			if (g->gw.family != 0)
				vx_out_printf(out, ",\"gateway\":\"%s\"", gw);
			vx_out_printf(out, ",\"dev\":\"%s\"", c->port[g->port].name);
			if (src != NULL)
				vx_out_printf(out, ",\"prefsrc\":\"%s\"", sa);
			vx_out_printf(out, ",\"flags\":[]}]\n");
			return 0;
		}
		vx_out_printf(out, "%s", a);
		if (g->gw.family != 0)
			vx_out_printf(out, " via %s", gw);
		vx_out_printf(out, " dev %s", c->port[g->port].name);
		if (src != NULL)
			vx_out_printf(out, " src %s", sa);
		vx_out_printf(out, "\n");
		return 0;
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "del") != 0 && strcmp(verb, "delete") != 0 &&
	    strcmp(verb, "replace") != 0) {
		vx_out_printf(
			out,
			"error: route: unknown command \"%s\" (add, del, replace, show, get)\n",
			verb);
		return -EINVAL;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "via") == 0) {
			if (++i == argc)
				goto err_missing;
			gws = argv[i];
			if (vx_ul_parse_ip(argv[i], &r.gw) < 0) {
				vx_out_printf(out, "error: via \"%s\": not an IP address\n",
					      argv[i]);
				return -EINVAL;
			}
		} else if (strcmp(argv[i], "dev") == 0) {
			if (++i == argc)
				goto err_missing;
			port = vx_ctl_port_find(c, argv[i]);
			if (port == NULL) {
				vx_out_printf(out, "error: dev \"%s\": no such port\n", argv[i]);
				return -ENODEV;
			}
		} else if (!have_dst) {
			pfx = argv[i];
			have_dst = true;
		} else {
			vx_out_printf(out, "error: route %s: unexpected \"%s\"\n", verb, argv[i]);
			return -EINVAL;
		}
	}
	if (!have_dst) {
		vx_out_printf(out, "error: route %s: missing PREFIX\n", verb);
		return -EINVAL;
	}
	if (strcmp(pfx, "default") == 0) {
		r.dst.family = r.gw.family != 0 ? r.gw.family : AF_INET;
		r.plen = 0;
	} else if (vx_ul_parse_prefix(pfx, &r.dst, &r.plen) < 0) {
		vx_out_printf(out, "error: \"%s\": not a prefix\n", pfx);
		return -EINVAL;
	}
	vx_prefix_mask(&r.dst, r.plen);
	if (r.gw.family != 0 && r.gw.family != r.dst.family) {
		vx_out_printf(out, "error: via %s: address family differs from %s\n", gws, pfx);
		return -EINVAL;
	}

	if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0) {
		for (i = 0; i < VX_RT_MAX; i++) {
			const struct vx_route *e = &c->ul->rt[i];

			if (e->used && e->plen == r.plen && vx_ul_ip_eq(&e->dst, &r.dst))
				break;
		}
		if (i == VX_RT_MAX || (port != NULL && c->ul->rt[i].port != port->port_id) ||
		    (r.gw.family != 0 && !vx_ul_ip_eq(&r.gw, &c->ul->rt[i].gw))) {
			vx_out_printf(out, "error: route %s: no such route\n", pfx);
			return -ESRCH;
		}
		if (c->ul->rt[i].connected) {
			vx_out_printf(out,
				      "error: route %s: connected route (delete the address)\n",
				      pfx);
			return -EPERM;
		}
		return vx_route_del(c, &r.dst, r.plen, NULL);
	}

	if (r.gw.family != 0) {
		const struct vx_route *g = vx_route_lookup(c, &r.gw);

		if (g == NULL || !g->connected || (port != NULL && g->port != port->port_id)) {
			vx_out_printf(out,
				      "error: via %s: gateway not on a connected network%s%s\n",
				      gws, port ? " of " : "", port ? port->name : "");
			return -ENETUNREACH;
		}
		if (vx_ul_is_local(c, &r.gw)) {
			vx_out_printf(out, "error: via %s: gateway is a local address\n", gws);
			return -EINVAL;
		}
		r.port = g->port;
	} else if (port != NULL) {
		r.port = port->port_id;
	} else {
		vx_out_printf(out, "error: route %s: needs via GW or dev PORT\n", verb);
		return -EINVAL;
	}
	ret = vx_route_add(c, &r, strcmp(verb, "replace") == 0);
	if (ret == -EEXIST)
		vx_out_printf(out, "error: route %s: exists (use replace)\n", pfx);
	else if (ret < 0)
		vx_out_printf(out, "error: route %s: %s\n", pfx, strerror(-ret));
	return ret;

err_missing:
	vx_out_printf(out, "error: \"%s\" needs a value\n", argv[argc - 1]);
	return -EINVAL;
}
