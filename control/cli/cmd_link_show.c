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

struct show_ctx {
	bool json;
	bool first;
	const struct vx_lcore_stats *st; /* with -s: the counters summed, else NULL */
	struct vx_out *o;
};

static const char *
port_role(struct vx_ctl *c, uint16_t p)
{
	bool a = vx_core_port_is_access(c, p), u = vx_core_port_is_underlay(c, p);

	return a && u ? "access,underlay" : a ? "access" : u ? "underlay" : "none";
}

static const char *
tf(bool v)
{
	return v ? "true" : "false";
}

static void
show_port_json(struct vx_ctl *c, uint16_t p, struct show_ctx *x)
{
	const struct vx_ctl_port *cp = &c->port[p];
	struct vx_out *o = x->o;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int n = 0;

	vx_out_printf(o, "%s{\"ifindex\":%u,\"ifname\":", x->first ? "" : ",", cp->port_id);
	vx_out_json_str(o, cp->name);
	vx_out_printf(o, ",\"dev_name\":");
	vx_out_json_str(o, cp->dev_name);
	vx_out_printf(o, ",\"mtu\":%u,\"link_type\":\"ether\",\"address\":\"%s\",\"role\":\"%s\"",
		      cp->mtu, vx_fmt_mac(&cp->mac, mac, sizeof(mac)), port_role(c, p));
	vx_out_printf(o, ",\"members\":[");
	for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
		if (c->core->access[p][v]) {
			vx_out_printf(o, "%s{\"vlan\":%u,\"master\":", n++ ? "," : "", v);
			vx_out_json_str(o, c->core->link[c->core->access[p][v]]->name);
			vx_out_printf(o, "}");
		}
	vx_out_printf(o, "]");
	if (x->st != NULL) {
		const struct vx_port_stats *ps = &x->st->port[p];

		vx_out_printf(o,
			      ",\"stats64\":{\"rx\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
			      "},\"tx\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
			      "},\"drops\":%" PRIu64 "}",
			      ps->rx_bytes, ps->rx_pkts, ps->tx_bytes, ps->tx_pkts, ps->drops);
	}
	vx_out_printf(o, "}");
}

static void
show_port_text(struct vx_ctl *c, uint16_t p, struct show_ctx *x)
{
	const struct vx_ctl_port *cp = &c->port[p];
	struct vx_out *o = x->o;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	vx_out_printf(o, "%u: %s: port mtu %u role %s", cp->port_id, cp->name, cp->mtu,
		      port_role(c, p));
	if (strcmp(cp->name, cp->dev_name) != 0)
		vx_out_printf(o, " dev_name %s", cp->dev_name);
	vx_out_printf(o, "\n    link/ether %s\n", vx_fmt_mac(&cp->mac, mac, sizeof(mac)));
	for (unsigned int v = 0; v < VX_MAX_VLAN; v++) {
		const struct vx_link *l = c->core->link[c->core->access[p][v]];

		if (c->core->access[p][v] == 0)
			continue;
		if (v)
			vx_out_printf(o, "    vlan %u master %s\n", v, l->name);
		else
			vx_out_printf(o, "    master %s\n", l->name);
	}
	if (x->st != NULL) {
		const struct vx_port_stats *ps = &x->st->port[p];

		vx_out_printf(o,
			      "    RX: bytes %" PRIu64 " packets %" PRIu64 "\n"
			      "    TX: bytes %" PRIu64 " packets %" PRIu64 "\n"
			      "    dropped %" PRIu64 "\n",
			      ps->rx_bytes, ps->rx_pkts, ps->tx_bytes, ps->tx_pkts, ps->drops);
	}
}

/* `ip -j -d link show`'s info_data of a vxlan device. */
static void
show_link_info_json(struct vx_ctl *c, const struct vx_link_opt *p, struct vx_out *o)
{
	char a[INET6_ADDRSTRLEN];

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
	vx_out_printf(o, ",\"port_range\":{\"low\":%u,\"high\":%u},\"port\":%u", p->srcport_min,
		      p->srcport_max, p->dstport);
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
		      ",\"learning\":%s,\"proxy\":%s,\"proxy_learn\":%s,\"rsc\":%s,"
		      "\"l2miss\":%s,\"l3miss\":%s,\"ageing\":%u,"
		      "\"limit\":%u,\"udp_csum\":%s,\"udp_zero_csum6_tx\":%s,"
		      "\"udp_zero_csum6_rx\":%s",
		      tf(p->flags & VX_BD_LEARNING), tf(p->flags & VX_BD_PROXY),
		      tf(p->flags & VX_BD_PROXY_LEARN), tf(p->flags & VX_BD_RSC),
		      tf(p->flags & VX_BD_L2MISS), tf(p->flags & VX_BD_L3MISS), p->ageing,
		      p->maxaddress, tf(p->flags & VX_BD_UDPCSUM),
		      tf(p->flags & VX_BD_UDP6ZCSUM_TX), tf(p->flags & VX_BD_UDP6ZCSUM_RX));
	vx_out_printf(o, ",\"bum_rate\":%u", p->bum_rate);
}

static void
show_link_json(struct vx_ctl *c, const struct vx_link *l, struct show_ctx *x)
{
	struct vx_out *o = x->o;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	vx_out_printf(o, "%s{\"ifindex\":%u,\"ifname\":", x->first ? "" : ",",
		      VX_MAX_PORTS + l->bd);
	vx_out_json_str(o, l->name);
	vx_out_printf(o,
		      ",\"mtu\":%u,\"link_type\":\"ether\",\"address\":\"%s\","
		      "\"broadcast\":\"ff:ff:ff:ff:ff:ff\","
		      "\"linkinfo\":{\"info_kind\":\"vxlan\",\"info_data\":{",
		      vx_link_mtu(c, l), vx_fmt_mac(&l->mac, mac, sizeof(mac)));
	show_link_info_json(c, &l->opt, o);
	vx_out_printf(o, "}}");
	if (x->st != NULL) {
		const struct vx_bd_stats *b = &x->st->bd[l->bd];

		vx_out_printf(o,
			      ",\"stats64\":{\"rx\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
			      "},\"tx\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
			      "},\"local\":%" PRIu64 ",\"flood\":%" PRIu64 ",\"drops\":%" PRIu64
			      "}",
			      b->decap_bytes, b->decap_pkts, b->encap_bytes, b->encap_pkts,
			      b->local_pkts, b->flood_pkts, b->drops);
	}
	vx_out_printf(o, "}");
}

/* `ip -d link show`'s vxlan line: the options after "vxlan id N". */
static void
show_link_info_text(struct vx_ctl *c, const struct vx_link_opt *p, struct vx_out *o)
{
	char a[INET6_ADDRSTRLEN];

	if (p->remote.family)
		vx_out_printf(o, " remote %s", vx_fmt_ip(&p->remote, a, sizeof(a)));
	if (p->group.family)
		vx_out_printf(o, " group %s", vx_fmt_ip(&p->group, a, sizeof(a)));
	if (p->local.family)
		vx_out_printf(o, " local %s", vx_fmt_ip(&p->local, a, sizeof(a)));
	if (p->dev >= 0)
		vx_out_printf(o, " dev %s", vx_port_name(c, p->dev));
	vx_out_printf(o, " srcport %u %u dstport %u", p->srcport_min, p->srcport_max, p->dstport);
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
		vx_out_printf(o, " proxy%s", (p->flags & VX_BD_PROXY_LEARN) ? " learn" : "");
	if (p->flags & VX_BD_RSC)
		vx_out_printf(o, " rsc");
	if (p->flags & VX_BD_L2MISS)
		vx_out_printf(o, " l2miss");
	if (p->flags & VX_BD_L3MISS)
		vx_out_printf(o, " l3miss");
	if (p->maxaddress)
		vx_out_printf(o, " maxaddress %u", p->maxaddress);
	if (p->bum_rate)
		vx_out_printf(o, " bum-rate %u", p->bum_rate);
	vx_out_printf(o, " %sudpcsum %sudp6zerocsumtx %sudp6zerocsumrx\n",
		      (p->flags & VX_BD_UDPCSUM) ? "" : "no",
		      (p->flags & VX_BD_UDP6ZCSUM_TX) ? "" : "no",
		      (p->flags & VX_BD_UDP6ZCSUM_RX) ? "" : "no");
}

static void
show_link_text(struct vx_ctl *c, const struct vx_link *l, struct show_ctx *x)
{
	struct vx_out *o = x->o;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	vx_out_printf(o,
		      "%u: %s: vxlan mtu %u\n    link/ether %s brd ff:ff:ff:ff:ff:ff\n"
		      "    vxlan id %u",
		      VX_MAX_PORTS + l->bd, l->name, vx_link_mtu(c, l),
		      vx_fmt_mac(&l->mac, mac, sizeof(mac)), l->opt.vni);
	show_link_info_text(c, &l->opt, o);
	if (x->st != NULL) {
		const struct vx_bd_stats *b = &x->st->bd[l->bd];

		vx_out_printf(o,
			      "    RX: bytes %" PRIu64 " packets %" PRIu64 " (decap)\n"
			      "    TX: bytes %" PRIu64 " packets %" PRIu64 " (encap)\n"
			      "    local %" PRIu64 " flood %" PRIu64 " dropped %" PRIu64 "\n",
			      b->decap_bytes, b->decap_pkts, b->encap_bytes, b->encap_pkts,
			      b->local_pkts, b->flood_pkts, b->drops);
	}
}

static void
show_port(struct vx_ctl *c, uint16_t p, struct show_ctx *x)
{
	if (x->json)
		show_port_json(c, p, x);
	else
		show_port_text(c, p, x);
	x->first = false;
}

static void
show_link(struct vx_ctl *c, const struct vx_link *l, struct show_ctx *x)
{
	if (x->json)
		show_link_json(c, l, x);
	else
		show_link_text(c, l, x);
	x->first = false;
}

int
vx_cli_link_show(struct vx_ctl *c, const char *name, bool links_only, unsigned int flags,
		 struct vx_out *out)
{
	struct show_ctx x = {.json = flags & VX_CMD_JSON, .first = true, .o = out};
	struct vx_lcore_stats *st = NULL;
	const struct vx_link *l = NULL;
	int p = -1;

	if (name != NULL) {
		p = vx_port_index(c, name);
		l = vx_link_find(c, name);
		if (p < 0 && l == NULL)
			return vx_err(out, -ENODEV, "dev %s: no such port or link", name);
	}
	if ((flags & VX_CMD_STATS) && c->dp != NULL && c->dp->stats != NULL) {
		st = malloc(sizeof(*st));
		if (st != NULL)
			vx_core_stats_sum(c, st);
		x.st = st;
	}
	if (x.json)
		vx_out_printf(out, "[");
	if (p >= 0) {
		show_port(c, p, &x);
	} else if (l != NULL) {
		show_link(c, l, &x);
	} else {
		for (unsigned int i = 0; i < VX_MAX_PORTS && !links_only; i++)
			if (c->port[i].present)
				show_port(c, i, &x);
		for (unsigned int b = 1; b < VX_MAX_BD; b++)
			if (c->core->link[b] != NULL)
				show_link(c, c->core->link[b], &x);
	}
	if (x.json)
		vx_out_printf(out, "]\n");
	free(st);
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
