/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * link add/del/set/show: VXLAN links (bridge domains), port attachments,
 * port names and MTUs. Words, defaults and meanings of `ip link ... type
 * vxlan`, except dstport, whose default is the IANA port 4789 (RFC 7348)
 * where the kernel uses 8472 when none is given.
 *
 * Each command: parse (words -> struct link_req), validate (model),
 * apply (model, then publish to the dataplane).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <bsd/string.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "core.h"

static bool port_is_access(struct vx_ctl *c, uint16_t idx);

void
vx_link_opt_default(struct vx_link_opt *o)
{
	memset(o, 0, sizeof(*o));
	o->dstport = VX_DEFAULT_DSTPORT;
	o->srcport_min = VX_SRCPORT_MIN;
	o->srcport_max = VX_SRCPORT_MAX;
	o->dev = -1;
	o->ttl = VX_DEFAULT_TTL;
	o->tos = 0;
	o->df = VX_DF_UNSET;
	o->flags = VX_BD_LEARNING | VX_BD_UDP6ZCSUM_RX * 0;
	o->ageing = VX_DEFAULT_AGEING;
	o->maxaddress = 0;
}

enum link_op {
	LK_ADD,
	LK_DEL,
	LK_SET,
	LK_SHOW,
	LK_PORT_MASTER,
	LK_PORT_NOMASTER,
	LK_RENAME,
	LK_MTU,
	LK_NOP
};

struct link_req {
	enum link_op op;
	const char *name; /* link or port */
	const char *dev;  /* `dev PORT` option */
	const char *master;
	const char *newname;
	int vlan; /* -1 = none given */
	uint32_t mtu;
	bool links_only; /* link show type vxlan */
	struct vx_link_opt opt;
};

#define NEED_ARG(i, what)                                                                  \
	do {                                                                               \
		if ((i) + 1 >= argc)                                                       \
			return vx_err(out, -EINVAL, "missing value after \"%s\"", (what)); \
	} while (0)

/* Options of link add / link set into r->opt; r->opt.set says which were given. */
static int
parse_link_opts(int argc, char **argv, int i, struct link_req *r, bool add, struct vx_out *out)
{
	struct vx_link_opt *o = &r->opt;
	uint32_t v, v2;

	for (; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "id") == 0 || strcmp(w, "vni") == 0) {
			NEED_ARG(i, w);
			if (vx_parse_vni(argv[++i], &o->vni) < 0)
				return vx_err(out, -EINVAL, "id \"%s\": VNI must be 0..16777215",
					      argv[i]);
			o->set |= VX_OPT_ID;
		} else if (strcmp(w, "dstport") == 0) {
			NEED_ARG(i, w);
			if (vx_parse_u32(argv[++i], 1, 65535, &v) < 0)
				return vx_err(out, -EINVAL, "dstport \"%s\": must be 1..65535",
					      argv[i]);
			o->dstport = v;
			o->set |= VX_OPT_DSTPORT;
		} else if (strcmp(w, "local") == 0 || strcmp(w, "remote") == 0 ||
			   strcmp(w, "group") == 0) {
			struct vx_ip ip;

			NEED_ARG(i, w);
			if (vx_parse_ip(argv[++i], &ip) < 0)
				return vx_err(out, -EINVAL,
					      "%s \"%s\": not an IPv4 or IPv6 address", w, argv[i]);
			if (w[0] == 'l') {
				if (vx_ip_is_multicast(&ip))
					return vx_err(out, -EINVAL, "local %s: multicast address",
						      argv[i]);
				o->local = ip;
				o->set |= VX_OPT_LOCAL;
			} else if (w[0] == 'r') {
				if (vx_ip_is_multicast(&ip))
					return vx_err(out, -EINVAL,
						      "remote %s: multicast address (use group)",
						      argv[i]);
				o->remote = ip;
				o->set |= VX_OPT_REMOTE;
			} else {
				if (!vx_ip_is_multicast(&ip))
					return vx_err(out, -EINVAL,
						      "group %s: not a multicast address", argv[i]);
				o->group = ip;
				o->set |= VX_OPT_GROUP;
			}
		} else if (strcmp(w, "dev") == 0) {
			NEED_ARG(i, w);
			r->dev = argv[++i];
			o->set |= VX_OPT_DEV;
		} else if (strcmp(w, "ttl") == 0 || strcmp(w, "hoplimit") == 0) {
			NEED_ARG(i, w);
			i++;
			if (strcmp(argv[i], "inherit") == 0 || strcmp(argv[i], "auto") == 0)
				o->ttl = VX_TTL_INHERIT;
			else if (vx_parse_u32(argv[i], 0, 255, &v) < 0)
				return vx_err(out, -EINVAL, "ttl \"%s\": must be 0..255 or inherit",
					      argv[i]);
			else
				o->ttl = v;
			o->set |= VX_OPT_TTL;
		} else if (strcmp(w, "tos") == 0 || strcmp(w, "dsfield") == 0) {
			NEED_ARG(i, w);
			i++;
			if (strcmp(argv[i], "inherit") == 0)
				o->tos = VX_TOS_INHERIT;
			else if (vx_parse_u32_hex(argv[i], 0, 255, &v) < 0)
				return vx_err(out, -EINVAL, "tos \"%s\": must be 0..255 or inherit",
					      argv[i]);
			else
				o->tos = v;
			o->set |= VX_OPT_TOS;
		} else if (strcmp(w, "df") == 0) {
			NEED_ARG(i, w);
			i++;
			if (strcmp(argv[i], "set") == 0)
				o->df = VX_DF_SET;
			else if (strcmp(argv[i], "unset") == 0)
				o->df = VX_DF_UNSET;
			else if (strcmp(argv[i], "inherit") == 0)
				o->df = VX_DF_INHERIT;
			else
				return vx_err(out, -EINVAL,
					      "df \"%s\": must be set, unset or inherit", argv[i]);
			o->set |= VX_OPT_DF;
		} else if (strcmp(w, "srcport") == 0 || strcmp(w, "port") == 0) {
			if (i + 2 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"%s\" (MIN MAX)",
					      w);
			/* The kernel's words: 0..65535; MIN >= MAX means the default range. */
			if (vx_parse_u32(argv[i + 1], 0, 65535, &v) < 0)
				return vx_err(out, -EINVAL, "srcport \"%s\": must be 0..65535",
					      argv[i + 1]);
			if (vx_parse_u32(argv[i + 2], 0, 65535, &v2) < 0)
				return vx_err(out, -EINVAL, "srcport \"%s\": must be 0..65535",
					      argv[i + 2]);
			if (v2 < v)
				return vx_err(out, -EINVAL, "srcport %u %u: MAX below MIN", v, v2);
			i += 2;
			o->srcport_min = v;
			o->srcport_max = v2;
			o->set |= VX_OPT_SRCPORT;
		} else if (strcmp(w, "learning") == 0 || strcmp(w, "nolearning") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_LEARNING;
			else
				o->flags |= VX_BD_LEARNING;
			o->set |= VX_OPT_LEARNING;
		} else if (strcmp(w, "proxy") == 0 || strcmp(w, "noproxy") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_PROXY;
			else
				o->flags |= VX_BD_PROXY;
			o->set |= VX_OPT_PROXY;
		} else if (strcmp(w, "ageing") == 0 || strcmp(w, "aging") == 0) {
			NEED_ARG(i, w);
			if (vx_parse_u32(argv[++i], 0, UINT32_MAX / 2, &v) < 0)
				return vx_err(out, -EINVAL,
					      "ageing \"%s\": not a number of seconds", argv[i]);
			o->ageing = v;
			o->set |= VX_OPT_AGEING;
		} else if (strcmp(w, "maxaddress") == 0) {
			NEED_ARG(i, w);
			if (vx_parse_u32(argv[++i], 0, VX_FDB_MAX_CAPACITY, &v) < 0)
				return vx_err(out, -EINVAL, "maxaddress \"%s\": must be 0..%u",
					      argv[i], VX_FDB_MAX_CAPACITY);
			o->maxaddress = v;
			o->set |= VX_OPT_MAXADDR;
		} else if (strcmp(w, "udpcsum") == 0 || strcmp(w, "noudpcsum") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_UDPCSUM;
			else
				o->flags |= VX_BD_UDPCSUM;
			o->set |= VX_OPT_UDPCSUM;
		} else if (strcmp(w, "udp6zerocsumtx") == 0 || strcmp(w, "noudp6zerocsumtx") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_UDP6ZCSUM_TX;
			else
				o->flags |= VX_BD_UDP6ZCSUM_TX;
			o->set |= VX_OPT_ZCSUMTX;
		} else if (strcmp(w, "udp6zerocsumrx") == 0 || strcmp(w, "noudp6zerocsumrx") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_UDP6ZCSUM_RX;
			else
				o->flags |= VX_BD_UDP6ZCSUM_RX;
			o->set |= VX_OPT_ZCSUMRX;
		} else if (strcmp(w, "l2miss") == 0 || strcmp(w, "nol2miss") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_L2MISS;
			else
				o->flags |= VX_BD_L2MISS;
			o->set |= VX_OPT_L2MISS;
		} else if (strcmp(w, "l3miss") == 0 || strcmp(w, "nol3miss") == 0) {
			if (w[0] == 'n')
				o->flags &= ~VX_BD_L3MISS;
			else
				o->flags |= VX_BD_L3MISS;
			o->set |= VX_OPT_L3MISS;
		} else if (strcmp(w, "up") == 0 || strcmp(w, "down") == 0) {
			/* Accepted as in `ip link add ... up`; links are always up. */
		} else if (!add && strcmp(w, "type") == 0 && i + 1 < argc &&
			   strcmp(argv[i + 1], "vxlan") == 0) {
			i++; /* `ip link set NAME type vxlan OPTIONS` */
		} else {
			return vx_err(out, -EINVAL, "unknown option \"%s\" for link %s", w,
				      add ? "add" : "set");
		}
	}
	return 0;
}

/* Parse `link ...` into r. Pure: no model access. */
static int
link_parse(int argc, char **argv, struct link_req *r, struct vx_out *out)
{
	const char *verb;
	int i;

	memset(r, 0, sizeof(*r));
	r->vlan = -1;
	vx_link_opt_default(&r->opt);
	if (argc < 2) {
		r->op = LK_SHOW;
		return 0;
	}
	verb = argv[1];
	if (strcmp(verb, "add") == 0) {
		r->op = LK_ADD;
		i = 2;
		if (i < argc && strcmp(argv[i], "name") == 0)
			i++;
		if (i >= argc)
			return vx_err(out, -EINVAL, "link add: missing NAME");
		r->name = argv[i++];
		if (vx_parse_name(r->name) < 0)
			return vx_err(out, -EINVAL,
				      "link add: bad name \"%s\" (1..%d of A-Z a-z 0-9 _ - . :)",
				      r->name, VX_NAME_LEN - 1);
		if (i >= argc || strcmp(argv[i], "type") != 0)
			return vx_err(out, -EINVAL, "link add %s: missing \"type vxlan\"", r->name);
		if (i + 1 >= argc)
			return vx_err(out, -EINVAL, "missing value after \"type\"");
		if (strcmp(argv[i + 1], "vxlan") != 0)
			return vx_err(out, -EINVAL, "type \"%s\": only vxlan links exist",
				      argv[i + 1]);
		i += 2;
		if (parse_link_opts(argc, argv, i, r, true, out) < 0)
			return -EINVAL;
		if (!(r->opt.set & VX_OPT_ID))
			return vx_err(out, -EINVAL, "link add %s: missing \"id VNI\"", r->name);
		if ((r->opt.set & VX_OPT_LOCAL) && (r->opt.set & VX_OPT_REMOTE) &&
		    r->opt.local.family != r->opt.remote.family)
			return vx_err(out, -EINVAL, "remote %s does not match local %s",
				      vx_family_name(r->opt.remote.family),
				      vx_family_name(r->opt.local.family));
		if ((r->opt.set & VX_OPT_REMOTE) && (r->opt.set & VX_OPT_GROUP))
			return vx_err(out, -EINVAL, "remote and group are exclusive");
		if ((r->opt.set & VX_OPT_LOCAL) && (r->opt.set & VX_OPT_GROUP) &&
		    r->opt.local.family != r->opt.group.family)
			return vx_err(out, -EINVAL, "group %s does not match local %s",
				      vx_family_name(r->opt.group.family),
				      vx_family_name(r->opt.local.family));
		return 0;
	}
	if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0) {
		r->op = LK_DEL;
		i = 2;
		if (i < argc && strcmp(argv[i], "dev") == 0)
			i++;
		if (i >= argc)
			return vx_err(out, -EINVAL, "link del: missing NAME");
		r->name = argv[i++];
		if (i < argc && strcmp(argv[i], "type") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "vxlan") == 0)
			i += 2;
		if (i < argc)
			return vx_err(out, -EINVAL, "link del: unexpected \"%s\"", argv[i]);
		return 0;
	}
	if (strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0 || strcmp(verb, "ls") == 0) {
		r->op = LK_SHOW;
		i = 2;
		if (i + 1 < argc && strcmp(argv[i], "type") == 0 &&
		    strcmp(argv[i + 1], "vxlan") == 0) {
			r->links_only = true;
			i += 2;
		}
		if (i < argc && strcmp(argv[i], "dev") == 0)
			i++;
		if (i < argc)
			r->name = argv[i++];
		if (i < argc)
			return vx_err(out, -EINVAL, "link show: unexpected \"%s\"", argv[i]);
		return 0;
	}
	if (strcmp(verb, "set") == 0 || strcmp(verb, "change") == 0) {
		/* The object: after "dev", else the first word that is not up/down. */
		int obj = -1, j;
		char **rest;
		int nrest = 0;

		r->op = LK_NOP;
		rest = calloc(argc, sizeof(*rest));
		if (rest == NULL)
			return vx_err(out, -ENOMEM, "out of memory");
		for (j = 2; j < argc; j++) {
			if (obj < 0 && strcmp(argv[j], "dev") == 0 && j + 1 < argc) {
				obj = ++j;
				continue;
			}
			if (strcmp(argv[j], "up") == 0 || strcmp(argv[j], "down") == 0)
				continue;
			if (obj < 0) {
				obj = j;
				continue;
			}
			rest[nrest++] = argv[j];
		}
		if (obj < 0) {
			free(rest);
			return vx_err(out, -EINVAL, "link set: missing dev NAME");
		}
		r->name = argv[obj];
		if (nrest == 0) {
			free(rest);
			return 0; /* up/down only */
		}
		if (strcmp(rest[0], "master") == 0) {
			r->op = LK_PORT_MASTER;
			if (nrest < 2) {
				free(rest);
				return vx_err(out, -EINVAL, "missing value after \"master\"");
			}
			r->master = rest[1];
			j = 2;
		} else if (strcmp(rest[0], "nomaster") == 0) {
			r->op = LK_PORT_NOMASTER;
			j = 1;
		} else if (strcmp(rest[0], "name") == 0) {
			r->op = LK_RENAME;
			if (nrest != 2) {
				free(rest);
				return vx_err(out, -EINVAL,
					      nrest < 2 ? "missing value after \"name\""
							: "link set name: one NEWNAME");
			}
			r->newname = rest[1];
			free(rest);
			if (vx_parse_name(r->newname) < 0)
				return vx_err(out, -EINVAL, "name \"%s\": bad name", r->newname);
			return 0;
		} else if (strcmp(rest[0], "mtu") == 0) {
			r->op = LK_MTU;
			if (nrest != 2) {
				free(rest);
				return vx_err(out, -EINVAL, "missing value after \"mtu\"");
			}
			if (vx_parse_u32(rest[1], RTE_ETHER_MIN_MTU, 9600, &r->mtu) < 0) {
				const char *bad = rest[1];

				free(rest);
				return vx_err(out, -EINVAL, "mtu \"%s\": must be %u..9600", bad,
					      RTE_ETHER_MIN_MTU);
			}
			free(rest);
			return 0;
		} else {
			int ret;

			r->op = LK_SET;
			ret = parse_link_opts(nrest, rest, 0, r, false, out);
			free(rest);
			return ret < 0 ? -EINVAL : 0;
		}
		/* master / nomaster: [vlan VID] */
		if (j < nrest) {
			uint32_t vid;

			if (strcmp(rest[j], "vlan") != 0) {
				const char *bad = rest[j];

				free(rest);
				return vx_err(out, -EINVAL, "unexpected \"%s\" (vlan VID?)", bad);
			}
			if (j + 1 >= nrest) {
				free(rest);
				return vx_err(out, -EINVAL, "missing value after \"vlan\"");
			}
			if (vx_parse_u32(rest[j + 1], 1, 4094, &vid) < 0) {
				const char *bad = rest[j + 1];

				free(rest);
				return vx_err(out, -EINVAL, "vlan \"%s\": must be 1..4094", bad);
			}
			r->vlan = vid;
			j += 2;
		}
		if (j < nrest) {
			const char *bad = rest[j];

			free(rest);
			return vx_err(out, -EINVAL, "unexpected \"%s\"", bad);
		}
		free(rest);
		return 0;
	}
	return vx_err(out, -EINVAL, "link: unknown command \"%s\" (add, del, set, show)", verb);
}

/* ---- helpers over the model ---- */

static bool
name_taken(struct vx_ctl *c, const char *name)
{
	return vx_link_find(c, name) != NULL || vx_port_index(c, name) >= 0;
}

bool
vx_port_is_underlay(struct vx_ctl *c, uint16_t idx)
{
	uint16_t fl = 0, vlan = 0;

	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];

		if (l != NULL && l->opt.dev == idx)
			return true;
	}
	vx_ul_port_role(c, idx, &fl, &vlan);
	return (fl & VX_PORT_UNDERLAY) != 0;
}

bool
vx_core_port_is_access(struct vx_ctl *c, uint16_t idx)
{
	return c->core != NULL && idx < VX_MAX_PORTS && port_is_access(c, idx);
}

static bool
port_is_access(struct vx_ctl *c, uint16_t idx)
{
	for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
		if (c->core->access[idx][v] != 0)
			return true;
	return false;
}

static unsigned int
bd_members(struct vx_ctl *c, uint16_t bd)
{
	unsigned int n = 0;

	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			n += c->core->access[p][v] == bd;
	return n;
}

static uint8_t
link_family(const struct vx_link_opt *o)
{
	if (o->local.family)
		return o->local.family;
	if (o->remote.family)
		return o->remote.family;
	return o->group.family;
}

static uint16_t
collect_dstports(struct vx_ctl *c, uint16_t *ports, const struct vx_link_opt *extra)
{
	uint16_t n = 0;

	for (unsigned int b = 1; b <= VX_MAX_BD; b++) {
		const struct vx_link_opt *o;
		uint16_t i;

		if (b == VX_MAX_BD)
			o = extra;
		else
			o = c->core->link[b] ? &c->core->link[b]->opt : NULL;
		if (o == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (ports[i] == o->dstport)
				break;
		if (i == n && n < VX_MAX_DSTPORTS * 2)
			ports[n++] = o->dstport;
	}
	return n;
}

void
vx_core_dstports(struct vx_ctl *c)
{
	uint16_t ports[VX_MAX_DSTPORTS * 2];
	uint16_t n = collect_dstports(c, ports, NULL);

	if (c->dp != NULL)
		vx_ul_set_dstports(c, ports, RTE_MIN(n, VX_MAX_DSTPORTS));
}

int
vx_core_bd_publish(struct vx_ctl *c, struct vx_link *l)
{
	struct vx_bd *nb, *old;
	unsigned int n = 0;

	if (c->dp == NULL)
		return 0;
	nb = rte_zmalloc("vx_bd", sizeof(*nb) + l->n_flood * sizeof(uint32_t), RTE_CACHE_LINE_SIZE);
	if (nb == NULL)
		return -ENOMEM;
	nb->bd = l->bd;
	nb->flags = l->opt.flags;
	nb->vni = l->opt.vni;
	nb->dstport = l->opt.dstport;
	nb->srcport_min = l->opt.srcport_min;
	nb->srcport_max = l->opt.srcport_max;
	nb->ageing = l->opt.ageing;
	nb->maxaddress = l->opt.maxaddress;
	nb->mac = l->mac;
	if (l->n_oaddr != 0)
		nb->flags |= VX_BD_OVL_ADDR;
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			if (c->core->access[p][v] == l->bd && n < RTE_DIM(nb->members)) {
				nb->members[n].port = p;
				nb->members[n].vlan = v;
				n++;
			}
	nb->n_members = n;
	for (unsigned int i = 0; i < l->n_flood; i++)
		nb->flood[i] = l->flood[i].vtep;
	nb->n_flood = l->n_flood;
	old = c->dp->bd[l->bd];
	vx_publish(c->dp->bd[l->bd], nb);
	vx_retire(c->dp, old);
	return 0;
}

void
vx_core_port_publish(struct vx_ctl *c, uint16_t port)
{
	struct vx_ctl_port *cp = &c->port[port];
	struct vx_port *np, *old;
	uint16_t fl = 0, vlan = 0;

	if (c->dp == NULL || port >= VX_MAX_PORTS || !cp->present)
		return;
	np = rte_zmalloc("vx_port", sizeof(*np), RTE_CACHE_LINE_SIZE);
	if (np == NULL)
		return;
	vx_ul_port_role(c, port, &fl, &vlan);
	np->port_id = cp->port_id;
	np->flags = fl;
	np->underlay_vlan = vlan;
	np->mtu = cp->mtu ? cp->mtu : RTE_ETHER_MTU;
	np->mac = cp->mac;
	strlcpy(np->name, cp->name, sizeof(np->name));
	memcpy(np->vlan_bd, c->core->access[port], sizeof(np->vlan_bd));
	if (port_is_access(c, port))
		np->flags |= VX_PORT_ACCESS;
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL && c->core->link[b]->opt.dev == port)
			np->flags |= VX_PORT_UNDERLAY;
	old = c->dp->port[port];
	vx_publish(c->dp->port[port], np);
	vx_retire(c->dp, old);
}

/* Flood entry -> VTEP (takes a reference). */
int
vx_flood_vtep(struct vx_ctl *c, struct vx_link *l, struct vx_flood_ent *f)
{
	int idx;

	if (c->dp == NULL) {
		f->vtep = 0;
		return 0;
	}
	idx = vx_vtep_get(c, l->bd, &f->dst, f->port ? f->port : l->opt.dstport,
			  f->vni != UINT32_MAX ? f->vni : l->opt.vni);
	if (idx < 0)
		return idx;
	f->vtep = idx;
	return 0;
}

/* ---- validate + apply ---- */

static int
link_add(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	struct vx_ctl_core *k = c->core;
	uint16_t ports[VX_MAX_DSTPORTS * 2];
	struct vx_link *l;
	unsigned int bd;
	int ret;

	if (vx_link_find(c, r->name) != NULL)
		return vx_err(out, -EEXIST, "link %s exists", r->name);
	if (vx_port_index(c, r->name) >= 0)
		return vx_err(out, -EEXIST, "%s is the name of a port", r->name);
	l = vx_link_by_vni(c, r->opt.vni);
	if (l != NULL)
		return vx_err(out, -EEXIST, "id %u: VNI already used by link %s", r->opt.vni,
			      l->name);
	if (r->dev != NULL) {
		r->opt.dev = vx_port_index(c, r->dev);
		if (r->opt.dev < 0)
			return vx_err(out, -ENODEV, "dev %s: no such port", r->dev);
		if (port_is_access(c, r->opt.dev))
			return vx_err(out, -EBUSY, "dev %s: is an access port (attached to a link)",
				      r->dev);
	}
	if (collect_dstports(c, ports, &r->opt) > VX_MAX_DSTPORTS)
		return vx_err(out, -ENOSPC, "dstport %u: at most %d distinct destination ports",
			      r->opt.dstport, VX_MAX_DSTPORTS);
	for (bd = 1; bd < VX_MAX_BD; bd++)
		if (k->link[bd] == NULL)
			break;
	if (bd == VX_MAX_BD)
		return vx_err(out, -ENOSPC, "link add %s: at most %d links", r->name,
			      VX_MAX_BD - 1);

	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	l->used = true;
	strlcpy(l->name, r->name, sizeof(l->name));
	l->bd = bd;
	l->opt = r->opt;
	l->family = link_family(&r->opt);
	vx_ovl_link_mac(c, l);
	if (r->opt.set & VX_OPT_REMOTE) {
		struct vx_flood_ent *f = &l->flood[0];

		f->dst = r->opt.remote;
		f->port = 0;
		f->vni = UINT32_MAX;
		f->state = VX_ST_PERMANENT;
		f->is_remote = true;
		k->link[bd] = l;
		ret = vx_flood_vtep(c, l, f);
		if (ret < 0) {
			k->link[bd] = NULL;
			free(l);
			return vx_err(out, ret, "remote: no VTEP slot (%s)", strerror(-ret));
		}
		l->n_flood = 1;
	}
	k->link[bd] = l;
	ret = vx_core_bd_publish(c, l);
	if (ret < 0) {
		if (l->n_flood)
			vx_vtep_put(c, l->flood[0].vtep);
		k->link[bd] = NULL;
		free(l);
		return vx_err(out, ret, "out of memory");
	}
	if (c->dp != NULL)
		__atomic_store_n(&c->dp->vni_bd[l->opt.vni], (uint16_t)bd, __ATOMIC_RELEASE);
	vx_core_dstports(c);
	if (l->opt.dev >= 0)
		vx_core_port_publish(c, l->opt.dev);
	if (r->opt.set & VX_OPT_GROUP)
		vx_out_printf(out,
			      "warning: group stored but not used: no multicast underlay yet; "
			      "BUM frames go to the flood list (fdb append 00:00:00:00:00:00)\n");
	return 0;
}

static bool
match_bd(struct vx_ctl *c, uint64_t key, uint64_t entry, void *arg)
{
	return vx_fdb_key_bd(key) == *(uint16_t *)arg;
}

static int
link_del(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	struct vx_ctl_core *k = c->core;
	struct vx_link *l = vx_link_find(c, r->name);
	uint32_t n, n_static = 0, detached = 0;
	uint16_t bd;
	bool ports[VX_MAX_PORTS] = {false};
	int dev;

	if (l == NULL) {
		if (vx_port_index(c, r->name) >= 0)
			return vx_err(out, -EINVAL, "%s is a port; only links can be deleted",
				      r->name);
		return vx_err(out, -ENODEV, "link %s: no such link", r->name);
	}
	bd = l->bd;
	dev = l->opt.dev;
	if (c->dp != NULL)
		__atomic_store_n(&c->dp->vni_bd[l->opt.vni], (uint16_t)0, __ATOMIC_RELEASE);
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			if (k->access[p][v] == bd) {
				k->access[p][v] = 0;
				ports[p] = true;
				detached++;
			}
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		if (ports[p])
			vx_core_port_publish(c, p);
	n = c->dp != NULL ? vx_fdb_flush_match(c, match_bd, &bd, &n_static) : 0;
	if (c->dp != NULL) {
		struct vx_bd *old = c->dp->bd[bd];

		vx_publish(c->dp->bd[bd], NULL);
		vx_retire(c->dp, old);
		for (unsigned int i = 0; i < l->n_flood; i++)
			vx_vtep_put(c, l->flood[i].vtep);
	}
	if (n_static || l->n_flood)
		vx_out_printf(out, "removed %u static fdb entries and %u flood entries\n", n_static,
			      l->n_flood);
	if (n > n_static)
		vx_out_printf(out, "removed %u learned fdb entries\n", n - n_static);
	if (detached)
		vx_out_printf(out, "detached %u port/VLAN attachments\n", detached);
	vx_ovl_link_del(c, l, out);
	k->link[bd] = NULL;
	free(l);
	vx_core_dstports(c);
	if (dev >= 0)
		vx_core_port_publish(c, dev);
	return 0;
}

static int
link_set(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	struct vx_link *l = vx_link_find(c, r->name);
	struct vx_link_opt o;
	uint32_t s = r->opt.set;
	int old_dev;

	if (l == NULL)
		return vx_err(out, -ENODEV, "link %s: no such link", r->name);
	o = l->opt;
	if ((s & VX_OPT_ID) && r->opt.vni != o.vni)
		return vx_err(out, -EOPNOTSUPP, "id: cannot change the VNI of a link");
	if ((s & VX_OPT_DSTPORT) && r->opt.dstport != o.dstport)
		return vx_err(out, -EOPNOTSUPP, "dstport: cannot change the port of a link");
	if ((s & VX_OPT_GROUP) && !vx_ip_eq(&r->opt.group, &o.group))
		return vx_err(out, -EOPNOTSUPP, "group: cannot change the group of a link");
	if (s & VX_OPT_LOCAL)
		o.local = r->opt.local;
	if (s & VX_OPT_REMOTE)
		o.remote = r->opt.remote;
	if (l->family && (s & (VX_OPT_LOCAL | VX_OPT_REMOTE))) {
		const struct vx_ip *ip = (s & VX_OPT_LOCAL) ? &o.local : &o.remote;
		bool other_flood = false;

		for (unsigned int i = 0; i < l->n_flood; i++)
			other_flood |= !l->flood[i].is_remote;
		if (ip->family != l->family && (other_flood || l->n_static))
			return vx_err(out, -EINVAL, "%s is %s but link %s has %s entries",
				      (s & VX_OPT_LOCAL) ? "local" : "remote",
				      vx_family_name(ip->family), l->name,
				      vx_family_name(l->family));
	}
	if ((s & VX_OPT_LOCAL) && o.remote.family && o.local.family != o.remote.family)
		return vx_err(out, -EINVAL, "local %s does not match remote %s",
			      vx_family_name(o.local.family), vx_family_name(o.remote.family));
	if ((s & VX_OPT_REMOTE) && o.local.family && o.local.family != o.remote.family)
		return vx_err(out, -EINVAL, "remote %s does not match local %s",
			      vx_family_name(o.remote.family), vx_family_name(o.local.family));
	if (s & VX_OPT_DEV) {
		int d = vx_port_index(c, r->dev);

		if (d < 0)
			return vx_err(out, -ENODEV, "dev %s: no such port", r->dev);
		if (port_is_access(c, d))
			return vx_err(out, -EBUSY, "dev %s: is an access port", r->dev);
		o.dev = d;
	}
#define TAKE(bit, field) \
	if (s & (bit))   \
		o.field = r->opt.field;
	TAKE(VX_OPT_TTL, ttl);
	TAKE(VX_OPT_TOS, tos);
	TAKE(VX_OPT_DF, df);
	TAKE(VX_OPT_AGEING, ageing);
	TAKE(VX_OPT_MAXADDR, maxaddress);
	if (s & VX_OPT_SRCPORT) {
		o.srcport_min = r->opt.srcport_min;
		o.srcport_max = r->opt.srcport_max;
	}
#undef TAKE
	{
		static const struct {
			uint32_t opt;
			uint16_t flag;
		} fl[] = {
			{VX_OPT_LEARNING, VX_BD_LEARNING},    {VX_OPT_PROXY, VX_BD_PROXY},
			{VX_OPT_UDPCSUM, VX_BD_UDPCSUM},      {VX_OPT_ZCSUMTX, VX_BD_UDP6ZCSUM_TX},
			{VX_OPT_ZCSUMRX, VX_BD_UDP6ZCSUM_RX}, {VX_OPT_L2MISS, VX_BD_L2MISS},
			{VX_OPT_L3MISS, VX_BD_L3MISS}};

		for (unsigned int i = 0; i < RTE_DIM(fl); i++)
			if (s & fl[i].opt)
				o.flags = (o.flags & ~fl[i].flag) | (r->opt.flags & fl[i].flag);
	}
	/* Apply. The `remote` flood entry follows the option. */
	if (s & VX_OPT_REMOTE) {
		struct vx_flood_ent nf = {.dst = o.remote,
					  .vni = UINT32_MAX,
					  .state = VX_ST_PERMANENT,
					  .is_remote = true};
		int idx = -1, ret;

		for (unsigned int i = 0; i < l->n_flood; i++)
			if (l->flood[i].is_remote)
				idx = i;
		if (idx < 0 && l->n_flood >= VX_MAX_FLOOD)
			return vx_err(out, -ENOSPC, "remote: flood list full");
		ret = vx_flood_vtep(c, l, &nf);
		if (ret < 0)
			return vx_err(out, ret, "remote: no VTEP slot");
		if (idx >= 0) {
			if (c->dp != NULL)
				vx_vtep_put(c, l->flood[idx].vtep);
			l->flood[idx] = nf;
		} else {
			memmove(&l->flood[1], &l->flood[0], l->n_flood * sizeof(l->flood[0]));
			l->flood[0] = nf;
			l->n_flood++;
		}
	}
	old_dev = l->opt.dev;
	o.set |= s & ~(VX_OPT_ID | VX_OPT_DSTPORT | VX_OPT_GROUP);
	l->opt = o;
	if (!l->family)
		l->family = link_family(&o);
	if (link_family(&o))
		l->family = link_family(&o);
	vx_core_bd_publish(c, l);
	if (c->dp != NULL)
		vx_vtep_rebuild_bd(c, l->bd);
	if (old_dev != o.dev) {
		if (old_dev >= 0)
			vx_core_port_publish(c, old_dev);
		if (o.dev >= 0)
			vx_core_port_publish(c, o.dev);
	}
	return 0;
}

struct port_match {
	uint16_t port;
	uint16_t bd;
	int vlan; /* -1 = any */
};

static bool
match_port(struct vx_ctl *c, uint64_t key, uint64_t e, void *arg)
{
	struct port_match *m = arg;

	if (e & VX_FDB_REMOTE)
		return false;
	if (vx_fdb_index(e) != m->port)
		return false;
	if (m->bd && vx_fdb_key_bd(key) != m->bd)
		return false;
	return m->vlan < 0 || vx_fdb_vlan(e) == m->vlan;
}

static int
port_master(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);
	uint16_t vid = r->vlan < 0 ? 0 : r->vlan;
	struct vx_link *l;
	uint16_t cur;

	if (p < 0) {
		if (vx_link_find(c, r->name) != NULL)
			return vx_err(out, -EINVAL, "dev %s is a link; master takes a port",
				      r->name);
		return vx_err(out, -ENODEV, "dev %s: no such port", r->name);
	}
	l = vx_link_find(c, r->master);
	if (l == NULL)
		return vx_err(out, -ENODEV, "master %s: no such link", r->master);
	if (vx_port_is_underlay(c, p))
		return vx_err(out, -EBUSY, "dev %s: is an underlay port", r->name);
	cur = c->core->access[p][vid];
	if (cur == l->bd)
		return 0;
	if (cur != 0)
		return vx_err(out, -EBUSY, "dev %s%s%.0u is attached to %s; nomaster first",
			      r->name, vid ? " vlan " : "", vid, c->core->link[cur]->name);
	if (bd_members(c, l->bd) >= VX_MAX_PORTS * 4)
		return vx_err(out, -ENOSPC, "master %s: at most %d members", l->name,
			      VX_MAX_PORTS * 4);
	c->core->access[p][vid] = l->bd;
	vx_core_bd_publish(c, l);
	vx_core_port_publish(c, p);
	return 0;
}

static int
port_nomaster(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);
	bool bds[VX_MAX_BD] = {false};
	uint32_t n = 0, n_static = 0, total = 0;

	if (p < 0)
		return vx_err(out, -ENODEV, "dev %s: no such port", r->name);
	if (r->vlan >= 0 && c->core->access[p][r->vlan] == 0)
		return vx_err(out, -ENOENT, "dev %s vlan %d: not attached", r->name, r->vlan);
	for (unsigned int v = 0; v < VX_MAX_VLAN; v++) {
		uint16_t bd = c->core->access[p][v];

		if (bd == 0 || (r->vlan >= 0 && (int)v != r->vlan))
			continue;
		c->core->access[p][v] = 0;
		bds[bd] = true;
		if (c->dp != NULL) {
			struct port_match m = {.port = p, .bd = bd, .vlan = v};

			n = vx_fdb_flush_match(c, match_port, &m, &n_static);
			total += n;
		}
	}
	vx_core_port_publish(c, p);
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (bds[b] && c->core->link[b] != NULL)
			vx_core_bd_publish(c, c->core->link[b]);
	if (n_static)
		vx_out_printf(out, "removed %u static fdb entries\n", n_static);
	return 0;
}

static int
port_rename(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);
	struct vx_link *l;

	if (strcmp(r->name, r->newname) == 0)
		return 0;
	if (name_taken(c, r->newname)) {
		/* Renaming a port back to its own DPDK device name is allowed. */
		if (!(p >= 0 && strcmp(c->port[p].dev_name, r->newname) == 0 &&
		      vx_port_index(c, r->newname) == p))
			return vx_err(out, -EEXIST, "name %s: already used", r->newname);
	}
	if (p >= 0) {
		strlcpy(c->port[p].name, r->newname, sizeof(c->port[p].name));
		vx_core_port_publish(c, p);
		return 0;
	}
	l = vx_link_find(c, r->name);
	if (l == NULL)
		return vx_err(out, -ENODEV, "dev %s: no such port or link", r->name);
	strlcpy(l->name, r->newname, sizeof(l->name));
	return 0;
}

static int
port_mtu(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);
	int ret;

	if (p < 0) {
		if (vx_link_find(c, r->name) != NULL)
			return vx_err(out, -EOPNOTSUPP,
				      "mtu of link %s follows its underlay port; set the port's",
				      r->name);
		return vx_err(out, -ENODEV, "dev %s: no such port", r->name);
	}
	if (c->dp != NULL && rte_eth_dev_is_valid_port(c->port[p].port_id)) {
		ret = rte_eth_dev_set_mtu(c->port[p].port_id, r->mtu);
		if (ret < 0 && ret != -ENOTSUP)
			return vx_err(out, ret, "mtu %u: port %s refused it (%s)", r->mtu, r->name,
				      strerror(-ret));
	}
	c->port[p].mtu = r->mtu;
	vx_core_port_publish(c, p);
	if (c->dp != NULL)
		vx_core_vtep_rebuild(c, UINT32_MAX);
	return 0;
}

/* ---- show ---- */

static const char *
port_role(struct vx_ctl *c, uint16_t p)
{
	bool a = port_is_access(c, p), u = vx_port_is_underlay(c, p);

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

unsigned int
vx_link_mtu(struct vx_ctl *c, struct vx_link *l)
{
	unsigned int m = RTE_ETHER_MTU;

	if (l->opt.dev >= 0 && c->port[l->opt.dev].mtu)
		m = c->port[l->opt.dev].mtu;
	return m - (l->family == AF_INET6 ? VX_ENCAP6_LEN : VX_ENCAP4_LEN);
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

static int
link_show(struct vx_ctl *c, struct link_req *r, unsigned int flags, struct vx_out *out)
{
	bool first = true;
	int p = -1;
	struct vx_link *l = NULL;

	if (r->name != NULL) {
		p = vx_port_index(c, r->name);
		l = vx_link_find(c, r->name);
		if (p < 0 && l == NULL)
			return vx_err(out, -ENODEV, "dev %s: no such port or link", r->name);
	}
	if (flags & VX_CMD_JSON)
		vx_out_printf(out, "[");
	if (r->name == NULL) {
		for (unsigned int i = 0; i < VX_MAX_PORTS && !r->links_only; i++)
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

int
vx_cmd_link(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct link_req r;

	if (link_parse(argc, argv, &r, out) < 0)
		return -EINVAL;
	switch (r.op) {
	case LK_ADD:
		return link_add(c, &r, out);
	case LK_DEL:
		return link_del(c, &r, out);
	case LK_SET:
		return link_set(c, &r, out);
	case LK_SHOW:
		return link_show(c, &r, flags, out);
	case LK_PORT_MASTER:
		return port_master(c, &r, out);
	case LK_PORT_NOMASTER:
		return port_nomaster(c, &r, out);
	case LK_RENAME:
		return port_rename(c, &r, out);
	case LK_MTU:
		return port_mtu(c, &r, out);
	case LK_NOP:
		if (vx_port_index(c, r.name) < 0 && vx_link_find(c, r.name) == NULL)
			return vx_err(out, -ENODEV, "dev %s: no such port or link", r.name);
		return 0;
	}
	return -EINVAL;
}
