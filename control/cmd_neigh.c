/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `neigh add|replace|change IP lladdr MAC dev PORT [nud permanent|reachable|stale|noarp]`,
 * `neigh del IP dev PORT`, `neigh show [dev PORT]`, `neigh flush dev PORT`:
 * the underlay neighbour table, as `ip neigh`. `add` without nud makes a
 * PERMANENT entry (the kernel's default for `ip neigh add`); `flush` removes
 * the dynamic entries and leaves PERMANENT/NOARP ones, as the kernel does.
 * With `dev LINK` (a VXLAN link) the same words manage the link's proxy
 * neighbour table (overlay.c); `show` without dev lists both.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core.h"
#include "underlay.h"

void
vx_neigh_line(const struct vx_neigh *n, const char *dev, bool json, bool first, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	bool lla = n->state != VX_NUD_INCOMPLETE && n->state != VX_NUD_FAILED;

	vx_ul_ip_str(&n->ip, ip, sizeof(ip));
	vx_ul_mac_str(&n->mac, mac, sizeof(mac));
	if (json) {
		vx_out_printf(o, "%s{\"dst\":\"%s\",\"dev\":\"%s\"", first ? "" : ",", ip, dev);
		if (lla)
			vx_out_printf(o, ",\"lladdr\":\"%s\"", mac);
		vx_out_printf(o, ",\"state\":[\"%s\"]}", vx_nud_name(n->state));
		return;
	}
	if (lla)
		vx_out_printf(o, "%s dev %s lladdr %s %s\n", ip, dev, mac, vx_nud_name(n->state));
	else
		vx_out_printf(o, "%s dev %s %s\n", ip, dev, vx_nud_name(n->state));
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

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*state = t[i].state;
			return 0;
		}
	return -EINVAL;
}

int
vx_cmd_neigh(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	const char *verb = argc > 1 ? argv[1] : "show";
	struct vx_ctl_port *port = NULL;
	struct vx_link *link;
	struct rte_ether_addr mac;
	struct vx_ip ip = {0};
	uint8_t state = VX_NUD_PERMANENT;
	bool have_mac = false, show, flush;
	const char *ips = NULL;
	int i, ret;

	if (c->ul == NULL) {
		vx_out_printf(out, "error: neigh: the underlay is not initialised\n");
		return -ENOTSUP;
	}
	/* `dev LINK`: the link's proxy entries (overlay.c). */
	if (argc > 1 && (link = vx_ovl_dev_link(c, argc, argv)) != NULL)
		return vx_ovl_cmd_neigh(c, link, argc, argv, flags, out);
	show = strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0;
	flush = strcmp(verb, "flush") == 0;
	if (!show && !flush && strcmp(verb, "add") != 0 && strcmp(verb, "del") != 0 &&
	    strcmp(verb, "delete") != 0 && strcmp(verb, "replace") != 0 &&
	    strcmp(verb, "change") != 0) {
		vx_out_printf(
			out,
			"error: neigh: unknown command \"%s\" (add, del, replace, show, flush)\n",
			verb);
		return -EINVAL;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "dev") == 0) {
			if (++i == argc)
				goto err_missing;
			port = vx_ctl_port_find(c, argv[i]);
			if (port == NULL) {
				vx_out_printf(out, "error: dev \"%s\": no such port or link\n",
					      argv[i]);
				return -ENODEV;
			}
		} else if (strcmp(argv[i], "lladdr") == 0 && !show && !flush) {
			if (++i == argc)
				goto err_missing;
			if (rte_ether_unformat_addr(argv[i], &mac) < 0) {
				vx_out_printf(out, "error: lladdr \"%s\": not a MAC address\n",
					      argv[i]);
				return -EINVAL;
			}
			have_mac = true;
		} else if (strcmp(argv[i], "nud") == 0 && !show && !flush) {
			if (++i == argc)
				goto err_missing;
			if (nud_arg(argv[i], &state) < 0) {
				vx_out_printf(
					out,
					"error: nud \"%s\": permanent, reachable, stale or noarp\n",
					argv[i]);
				return -EINVAL;
			}
		} else if (ips == NULL && !flush) {
			ips = argv[i];
			if (strcmp(ips, "to") == 0 && i + 1 < argc)
				ips = argv[++i];
			if (vx_ul_parse_ip(ips, &ip) < 0) {
				vx_out_printf(out, "error: \"%s\": not an IP address\n", ips);
				return -EINVAL;
			}
		} else {
			vx_out_printf(out, "error: neigh %s: unexpected \"%s\"\n", verb, argv[i]);
			return -EINVAL;
		}
	}

	if (show) {
		bool json = flags & VX_CMD_JSON, first = true;

		if (json)
			vx_out_printf(out, "[");
		for (uint32_t k = 0; k < VX_NEIGH_MAX; k++) {
			const struct vx_neigh *n = &c->ul->nt.n[k];

			if (n->id == 0 || n->state == VX_NUD_NONE || n->port >= VX_MAX_PORTS ||
			    (n->flags & VX_NEIGH_F_PROXY) ||
			    (port != NULL && n->port != port->port_id) ||
			    (ips != NULL && !vx_ul_ip_eq(&n->ip, &ip)))
				continue;
			vx_neigh_line(n, c->port[n->port].name, json, first, out);
			first = false;
		}
		/* Then the links' (proxy) entries, as `ip neigh` lists every device. */
		if (port == NULL && c->core != NULL)
			vx_ovl_neigh_show(c, NULL, ips != NULL ? &ip : NULL, json, &first, out);
		if (json)
			vx_out_printf(out, "]\n");
		return 0;
	}
	if (port == NULL) {
		vx_out_printf(out, "error: neigh %s: missing dev PORT\n", verb);
		return -EINVAL;
	}
	if (flush) {
		for (uint32_t k = 0; k < VX_NEIGH_MAX; k++) {
			struct vx_neigh *n = &c->ul->nt.n[k];

			if (n->id != 0 && n->port == port->port_id &&
			    n->state != VX_NUD_PERMANENT && n->state != VX_NUD_NOARP)
				vx_neigh_del(&c->ul->nt, n);
		}
		return 0;
	}
	if (ips == NULL) {
		vx_out_printf(out, "error: neigh %s: missing IP\n", verb);
		return -EINVAL;
	}
	if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0) {
		struct vx_neigh *n = vx_neigh_find(&c->ul->nt, port->port_id, &ip);

		if (n == NULL) {
			vx_out_printf(out, "error: neigh %s dev %s: no such entry\n", ips,
				      port->name);
			return -ENOENT;
		}
		vx_neigh_del(&c->ul->nt, n);
		return 0;
	}
	if (!have_mac) {
		vx_out_printf(out, "error: neigh %s: missing lladdr MAC\n", verb);
		return -EINVAL;
	}
	if (rte_is_multicast_ether_addr(&mac) || rte_is_zero_ether_addr(&mac)) {
		vx_out_printf(out, "error: lladdr: multicast or zero MAC\n");
		return -EINVAL;
	}
	if (strcmp(verb, "change") == 0 && vx_neigh_find(&c->ul->nt, port->port_id, &ip) == NULL) {
		vx_out_printf(out, "error: neigh change %s dev %s: no such entry\n", ips,
			      port->name);
		return -ENOENT;
	}
	ret = vx_neigh_set(&c->ul->nt, port->port_id, &ip, &mac, state, strcmp(verb, "add") != 0,
			   false, NULL, vx_ul_now(c));
	if (ret == -EEXIST)
		vx_out_printf(out, "error: neigh %s dev %s: exists (use replace)\n", ips,
			      port->name);
	else if (ret < 0)
		vx_out_printf(out, "error: neigh %s: %s\n", ips, strerror(-ret));
	return ret;

err_missing:
	vx_out_printf(out, "error: \"%s\" needs a value\n", argv[argc - 1]);
	return -EINVAL;
}
