/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `link show [[dev] NAME]`: ports and links as `ip -d link show` prints
 * them (ifindex, name, MTU, MAC, the vxlan options), with -s their
 * counters, with -j as `ip -j` does. Ports are numbered by their DPDK
 * port id, links after them (VX_MAX_PORTS + bd).
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"

static const char *
port_role(struct vx_ctl *c, uint16_t p)
{
	bool a = vx_core_port_is_access(c, p), u = vx_core_port_is_underlay(c, p);

	return a && u ? "access,underlay" : a ? "access" : u ? "underlay" : "none";
}

static void
show_port(struct vx_ctl *c, uint16_t p, unsigned int flags, struct vx_out *o, bool *first)
{
	struct vx_ctl_port *cp = &c->port[p];
	struct vx_lcore_stats *st = NULL;
	char mac[32];

	vx_fmt_mac(&cp->mac, mac, sizeof(mac));
	if ((flags & VX_CMD_STATS) && c->dp != NULL && c->dp->stats != NULL) {
		st = malloc(sizeof(*st));
		if (st != NULL)
			vx_stats_sum(c->dp, st);
	}
	if (flags & VX_CMD_JSON) {
		vx_out_printf(o, "%s{\"ifindex\":%u,\"ifname\":", *first ? "" : ",", cp->port_id);
		vx_out_json_str(o, cp->name);
		vx_out_printf(o, ",\"dev_name\":");
		vx_out_json_str(o, cp->dev_name);
		vx_out_printf(
			o, ",\"mtu\":%u,\"link_type\":\"ether\",\"address\":\"%s\",\"role\":\"%s\"",
			cp->mtu, mac, port_role(c, p));
		vx_out_printf(o, ",\"members\":[");
		for (unsigned int v = 0, n = 0; v < VX_MAX_VLAN; v++)
			if (c->core->access[p][v]) {
				vx_out_printf(o, "%s{\"vlan\":%u,\"master\":", n++ ? "," : "", v);
				vx_out_json_str(o, c->core->link[c->core->access[p][v]]->name);
				vx_out_printf(o, "}");
			}
		vx_out_printf(o, "]");
		if (st != NULL) {
			struct vx_port_stats *ps = &st->port[p];

			vx_out_printf(o,
				      ",\"stats64\":{\"rx\":{\"bytes\":%" PRIu64
				      ",\"packets\":%" PRIu64 "},\"tx\":{\"bytes\":%" PRIu64
				      ",\"packets\":%" PRIu64 "},\"drops\":%" PRIu64 "}",
				      ps->rx_bytes, ps->rx_pkts, ps->tx_bytes, ps->tx_pkts,
				      ps->drops);
		}
		vx_out_printf(o, "}");
	} else {
		vx_out_printf(o, "%u: %s: port mtu %u role %s", cp->port_id, cp->name, cp->mtu,
			      port_role(c, p));
		if (strcmp(cp->name, cp->dev_name) != 0)
			vx_out_printf(o, " dev_name %s", cp->dev_name);
		vx_out_printf(o, "\n    link/ether %s\n", mac);
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			if (c->core->access[p][v]) {
				if (v)
					vx_out_printf(o, "    vlan %u master %s\n", v,
						      c->core->link[c->core->access[p][v]]->name);
				else
					vx_out_printf(o, "    master %s\n",
						      c->core->link[c->core->access[p][v]]->name);
			}
		if (st != NULL) {
			struct vx_port_stats *ps = &st->port[p];

			vx_out_printf(o,
				      "    RX: bytes %" PRIu64 " packets %" PRIu64 "\n"
				      "    TX: bytes %" PRIu64 " packets %" PRIu64 "\n"
				      "    dropped %" PRIu64 "\n",
				      ps->rx_bytes, ps->rx_pkts, ps->tx_bytes, ps->tx_pkts,
				      ps->drops);
		}
	}
	free(st);
	*first = false;
}

static void
show_link(struct vx_ctl *c, struct vx_link *l, unsigned int flags, struct vx_out *o, bool *first)
{
	const struct vx_link_opt *p = &l->opt;
	char a[INET6_ADDRSTRLEN];
	bool j = flags & VX_CMD_JSON;
	struct vx_lcore_stats *st = NULL;

	if ((flags & VX_CMD_STATS) && c->dp != NULL && c->dp->stats != NULL) {
		st = malloc(sizeof(*st));
		if (st != NULL)
			vx_stats_sum(c->dp, st);
	}
	if (j) {
		vx_out_printf(o, "%s{\"ifindex\":%u,\"ifname\":", *first ? "" : ",",
			      VX_MAX_PORTS + l->bd);
		vx_out_json_str(o, l->name);
		vx_out_printf(o,
			      ",\"mtu\":%u,\"link_type\":\"ether\",\"address\":\"%s\","
			      "\"broadcast\":\"ff:ff:ff:ff:ff:ff\","
			      "\"linkinfo\":{\"info_kind\":\"vxlan\",\"info_data\":{",
			      vx_link_mtu(c, l), vx_fmt_mac(&l->mac, a, sizeof(a)));
		vx_out_printf(o, "\"id\":%u", p->vni);
		if (p->remote.family)
			vx_out_printf(o, ",\"remote\":\"%s\"", vx_fmt_ip(&p->remote, a, sizeof(a)));
		if (p->group.family)
			vx_out_printf(o, ",\"group\":\"%s\"", vx_fmt_ip(&p->group, a, sizeof(a)));
		if (p->local.family)
			vx_out_printf(o, ",\"local\":\"%s\"", vx_fmt_ip(&p->local, a, sizeof(a)));
		if (p->dev >= 0) {
			vx_out_printf(o, ",\"link\":");
			vx_out_json_str(o, vx_port_name(c, p->dev));
		}
		vx_out_printf(o, ",\"port_range\":{\"low\":%u,\"high\":%u},\"port\":%u",
			      p->srcport_min, p->srcport_max, p->dstport);
		if (p->tos == VX_TOS_INHERIT)
			vx_out_printf(o, ",\"tos\":\"inherit\"");
		else
			vx_out_printf(o, ",\"tos\":%u", p->tos);
		if (p->ttl == VX_TTL_INHERIT)
			vx_out_printf(o, ",\"ttl\":\"auto\"");
		else
			vx_out_printf(o, ",\"ttl\":%u", p->ttl);
		vx_out_printf(o, ",\"df\":\"%s\"",
			      p->df == VX_DF_SET       ? "set"
			      : p->df == VX_DF_INHERIT ? "inherit"
						       : "unset");
		vx_out_printf(o,
			      ",\"learning\":%s,\"proxy\":%s,\"l2miss\":%s,\"l3miss\":%s,"
			      "\"ageing\":%u,\"limit\":%u,\"udp_csum\":%s,\"udp_zero_csum6_tx\":%s,"
			      "\"udp_zero_csum6_rx\":%s}}",
			      (p->flags & VX_BD_LEARNING) ? "true" : "false",
			      (p->flags & VX_BD_PROXY) ? "true" : "false",
			      (p->flags & VX_BD_L2MISS) ? "true" : "false",
			      (p->flags & VX_BD_L3MISS) ? "true" : "false", p->ageing,
			      p->maxaddress, (p->flags & VX_BD_UDPCSUM) ? "true" : "false",
			      (p->flags & VX_BD_UDP6ZCSUM_TX) ? "true" : "false",
			      (p->flags & VX_BD_UDP6ZCSUM_RX) ? "true" : "false");
		if (st != NULL) {
			struct vx_bd_stats *b = &st->bd[l->bd];

			vx_out_printf(o,
				      ",\"stats64\":{\"rx\":{\"bytes\":%" PRIu64
				      ",\"packets\":%" PRIu64 "},\"tx\":{\"bytes\":%" PRIu64
				      ",\"packets\":%" PRIu64 "},\"local\":%" PRIu64
				      ",\"flood\":%" PRIu64 ",\"drops\":%" PRIu64 "}",
				      b->decap_bytes, b->decap_pkts, b->encap_bytes, b->encap_pkts,
				      b->local_pkts, b->flood_pkts, b->drops);
		}
		vx_out_printf(o, "}");
	} else {
		vx_out_printf(o,
			      "%u: %s: vxlan mtu %u\n    link/ether %s brd ff:ff:ff:ff:ff:ff\n"
			      "    vxlan id %u",
			      VX_MAX_PORTS + l->bd, l->name, vx_link_mtu(c, l),
			      vx_fmt_mac(&l->mac, a, sizeof(a)), p->vni);
		if (p->remote.family)
			vx_out_printf(o, " remote %s", vx_fmt_ip(&p->remote, a, sizeof(a)));
		if (p->group.family)
			vx_out_printf(o, " group %s", vx_fmt_ip(&p->group, a, sizeof(a)));
		if (p->local.family)
			vx_out_printf(o, " local %s", vx_fmt_ip(&p->local, a, sizeof(a)));
		if (p->dev >= 0)
			vx_out_printf(o, " dev %s", vx_port_name(c, p->dev));
		vx_out_printf(o, " srcport %u %u dstport %u", p->srcport_min, p->srcport_max,
			      p->dstport);
		if (p->tos == VX_TOS_INHERIT)
			vx_out_printf(o, " tos inherit");
		else if (p->tos)
			vx_out_printf(o, " tos 0x%x", p->tos);
		if (p->ttl == VX_TTL_INHERIT)
			vx_out_printf(o, " ttl auto");
		else
			vx_out_printf(o, " ttl %u", p->ttl);
		if (p->df == VX_DF_SET)
			vx_out_printf(o, " df set");
		else if (p->df == VX_DF_INHERIT)
			vx_out_printf(o, " df inherit");
		vx_out_printf(o, " ageing %u", p->ageing);
		if (!(p->flags & VX_BD_LEARNING))
			vx_out_printf(o, " nolearning");
		if (p->flags & VX_BD_PROXY)
			vx_out_printf(o, " proxy");
		if (p->flags & VX_BD_L2MISS)
			vx_out_printf(o, " l2miss");
		if (p->flags & VX_BD_L3MISS)
			vx_out_printf(o, " l3miss");
		if (p->maxaddress)
			vx_out_printf(o, " maxaddress %u", p->maxaddress);
		vx_out_printf(o, " %sudpcsum %sudp6zerocsumtx %sudp6zerocsumrx\n",
			      (p->flags & VX_BD_UDPCSUM) ? "" : "no",
			      (p->flags & VX_BD_UDP6ZCSUM_TX) ? "" : "no",
			      (p->flags & VX_BD_UDP6ZCSUM_RX) ? "" : "no");
		if (st != NULL) {
			struct vx_bd_stats *b = &st->bd[l->bd];

			vx_out_printf(o,
				      "    RX: bytes %" PRIu64 " packets %" PRIu64 " (decap)\n"
				      "    TX: bytes %" PRIu64 " packets %" PRIu64 " (encap)\n"
				      "    local %" PRIu64 " flood %" PRIu64 " dropped %" PRIu64
				      "\n",
				      b->decap_bytes, b->decap_pkts, b->encap_bytes, b->encap_pkts,
				      b->local_pkts, b->flood_pkts, b->drops);
		}
	}
	free(st);
	*first = false;
}

int
vx_cli_link_show(struct vx_ctl *c, const char *name, bool links_only, unsigned int flags,
		 struct vx_out *out)
{
	bool first = true;
	int p = -1;
	struct vx_link *l = NULL;

	if (name != NULL) {
		p = vx_port_index(c, name);
		l = vx_link_find(c, name);
		if (p < 0 && l == NULL)
			return vx_err(out, -ENODEV, "dev %s: no such port or link", name);
	}
	if (flags & VX_CMD_JSON)
		vx_out_printf(out, "[");
	if (name == NULL) {
		for (unsigned int i = 0; i < VX_MAX_PORTS && !links_only; i++)
			if (c->port[i].present)
				show_port(c, i, flags, out, &first);
		for (unsigned int b = 1; b < VX_MAX_BD; b++)
			if (c->core->link[b] != NULL)
				show_link(c, c->core->link[b], flags, out, &first);
	} else if (p >= 0) {
		show_port(c, p, flags, out, &first);
	} else {
		show_link(c, l, flags, out, &first);
	}
	if (flags & VX_CMD_JSON)
		vx_out_printf(out, "]\n");
	return 0;
}

void
vx_cli_dev_head(struct vx_out *o, bool json, bool first, unsigned int ifindex, const char *name,
		unsigned int mtu, const struct rte_ether_addr *ea)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	vx_fmt_mac(ea, mac, sizeof(mac));
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
