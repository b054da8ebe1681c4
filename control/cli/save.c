/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * save: the running static configuration as vxctl lines.
 *
 * vx_cli_config writes, in this order: port renames; the underlay's lines
 * (addresses, routes, neighbours); the core's (links with their
 * non-default options, port attachments, flood lists, static FDB
 * entries); then the links' own addresses and proxy neighbour entries,
 * which need their links. vx_cli_save writes that next to its final path,
 * fsyncs it and renames it over the file, so a crash leaves the old file
 * or the new one. replay.c reads such a file back.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bsd/string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

void
vx_cli_link_line(struct vx_out *o, const char *name, const struct vx_link_opt *p, const char *dev,
		 const struct rte_ether_addr *mac)
{
	struct vx_link_opt d;
	char a[INET6_ADDRSTRLEN];

	vx_link_opt_default(&d);
	/* A link's MAC always: a derived one would change with the ports' MACs at the next start. */
	if (mac != NULL)
		vx_out_printf(o, "link add %s address %s type vxlan id %u", name,
			      vx_fmt_mac(mac, a, sizeof(a)), p->vni);
	else
		vx_out_printf(o, "link add %s type vxlan id %u", name, p->vni);
	if (p->dstport != d.dstport)
		vx_out_printf(o, " dstport %u", p->dstport);
	if (p->local.family)
		vx_out_printf(o, " local %s", vx_fmt_ip(&p->local, a, sizeof(a)));
	if (p->remote.family)
		vx_out_printf(o, " remote %s", vx_fmt_ip(&p->remote, a, sizeof(a)));
	if (p->group.family)
		vx_out_printf(o, " group %s", vx_fmt_ip(&p->group, a, sizeof(a)));
	if (dev != NULL)
		vx_out_printf(o, " dev %s", dev);
	/* A group link's default is `ttl auto` (0), as the kernel's. */
	if (p->ttl != (p->group.family ? VX_TTL_INHERIT : d.ttl)) {
		if (p->ttl == VX_TTL_INHERIT)
			vx_out_printf(o, " ttl inherit");
		else
			vx_out_printf(o, " ttl %u", p->ttl);
	}
	if (p->tos != d.tos) {
		if (p->tos == VX_TOS_INHERIT)
			vx_out_printf(o, " tos inherit");
		else
			vx_out_printf(o, " tos %u", p->tos);
	}
	if (p->df != d.df)
		vx_out_printf(o, " df %s", p->df == VX_DF_SET ? "set" : "inherit");
	if (p->srcport_min != d.srcport_min || p->srcport_max != d.srcport_max)
		vx_out_printf(o, " srcport %u %u", p->srcport_min, p->srcport_max);
	if (!(p->flags & VX_BD_LEARNING))
		vx_out_printf(o, " nolearning");
	if (p->flags & VX_BD_PROXY)
		vx_out_printf(o, " proxy%s", (p->flags & VX_BD_PROXY_LEARN) ? " learn" : "");
	if (p->flags & VX_BD_RSC)
		vx_out_printf(o, " rsc");
	if (p->ageing != d.ageing)
		vx_out_printf(o, " ageing %u", p->ageing);
	if (p->maxaddress != d.maxaddress)
		vx_out_printf(o, " maxaddress %u", p->maxaddress);
	if (p->bum_rate != d.bum_rate)
		vx_out_printf(o, " bum-rate %u", p->bum_rate);
	if (p->flags & VX_BD_UDPCSUM)
		vx_out_printf(o, " udpcsum");
	if (p->flags & VX_BD_UDP6ZCSUM_TX)
		vx_out_printf(o, " udp6zerocsumtx");
	if (p->flags & VX_BD_UDP6ZCSUM_RX)
		vx_out_printf(o, " udp6zerocsumrx");
	if (p->flags & VX_BD_L2MISS)
		vx_out_printf(o, " l2miss");
	if (p->flags & VX_BD_L3MISS)
		vx_out_printf(o, " l3miss");
	vx_out_printf(o, "\n");
}

static void
save_link(struct vx_ctl *c, struct vx_link *l, struct vx_out *o)
{
	vx_cli_link_line(o, l->name, &l->opt, l->opt.dev >= 0 ? vx_port_name(c, l->opt.dev) : NULL,
			 &l->mac);
}

static const char *const st_word[] = {"dynamic", "static", "permanent"};

/* The static and permanent FDB entries, gathered by a walk, saved in key order. */
struct static_ent {
	uint64_t key, e;
};

struct static_keys {
	struct static_ent *key;
	uint32_t n, cap;
	bool oom;
};

static void
static_key_fn(struct vx_fdb *f, uint64_t key, uint64_t e, uint32_t pos, void *arg)
{
	struct static_keys *k = arg;

	RTE_SET_USED(f);
	RTE_SET_USED(pos);
	if (!(e & VX_FDB_STATIC) || k->oom)
		return;
	if (k->n == k->cap) {
		uint32_t cap = k->cap ? k->cap * 2 : 1024;
		struct static_ent *nk = realloc(k->key, cap * sizeof(*nk));

		if (nk == NULL) {
			k->oom = true;
			return;
		}
		k->key = nk;
		k->cap = cap;
	}
	k->key[k->n++] = (struct static_ent){.key = key, .e = e};
}

static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct static_ent *)a)->key, y = ((const struct static_ent *)b)->key;

	return x < y ? -1 : x > y;
}

/* One `fdb add` line for a static or permanent entry. */
static void
save_static(struct vx_ctl *c, struct vx_out *o, uint64_t key, uint64_t e)
{
	struct vx_ctl_core *k = c->core;
	struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(key));
	char a[INET6_ADDRSTRLEN], mac[24];
	struct rte_ether_addr m;
	uint8_t state;

	if (!(e & VX_FDB_STATIC) || l == NULL)
		return;
	state = vx_core_fdb_state(c, key, e);
	vx_fdb_key_mac(key, &m);
	vx_fmt_mac(&m, mac, sizeof(mac));
	if (e & VX_FDB_REMOTE) {
		struct vx_vtep_ctl *vt = &k->vtep[vx_fdb_index(e)];

		vx_out_printf(o, "fdb add %s dev %s dst %s", mac, l->name,
			      vx_fmt_ip(&vt->remote, a, sizeof(a)));
		if (vt->dstport != l->opt.dstport)
			vx_out_printf(o, " port %u", vt->dstport);
		if (vt->vni != l->opt.vni)
			vx_out_printf(o, " vni %u", vt->vni);
		vx_out_printf(o, " self%s %s\n", (e & VX_FDB_ROUTER) ? " router" : "",
			      st_word[state]);
	} else {
		vx_out_printf(o, "fdb add %s dev %s master", mac, vx_port_name(c, vx_fdb_index(e)));
		if (vx_fdb_vlan(e))
			vx_out_printf(o, " vlan %u", vx_fdb_vlan(e));
		vx_out_printf(o, "%s %s\n", (e & VX_FDB_ROUTER) ? " router" : "", st_word[state]);
	}
}

struct save_arg {
	struct vx_ctl *c;
	struct vx_out *o;
};

static void
save_static_fn(struct vx_fdb *f, uint64_t key, uint64_t e, uint32_t pos, void *arg)
{
	struct save_arg *sa = arg;

	RTE_SET_USED(f);
	RTE_SET_USED(pos);
	save_static(sa->c, sa->o, key, e);
}

static void
save_core(struct vx_ctl *c, struct vx_out *o)
{
	struct vx_ctl_core *k = c->core;
	struct static_keys sk = {0};
	struct save_arg sa = {.c = c, .o = o};
	uint32_t cursor = 0;
	char a[INET6_ADDRSTRLEN];

	if (k == NULL)
		return;
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (k->link[b] != NULL)
			save_link(c, k->link[b], o);
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++) {
			uint16_t bd = k->access[p][v];

			if (bd == 0 || k->link[bd] == NULL)
				continue;
			vx_out_printf(o, "link set dev %s master %s", vx_port_name(c, p),
				      k->link[bd]->name);
			if (v)
				vx_out_printf(o, " vlan %u", v);
			vx_out_printf(o, "\n");
		}
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = k->link[b];

		if (l == NULL)
			continue;
		for (unsigned int i = 0; i < l->n_flood; i++) {
			struct vx_flood_ent *f = &l->flood[i];

			if (f->is_remote || f->is_group)
				continue; /* the link's remote or group option */
			vx_out_printf(o, "fdb append 00:00:00:00:00:00 dev %s dst %s", l->name,
				      vx_fmt_ip(&f->dst, a, sizeof(a)));
			if (f->port)
				vx_out_printf(o, " port %u", f->port);
			if (f->vni != UINT32_MAX)
				vx_out_printf(o, " vni %u", f->vni);
			vx_out_printf(o, " self %s\n", st_word[f->state]);
		}
	}
	if (c->dp == NULL || c->dp->fdb.bkt == NULL)
		return;
	/* Key order, so that saves of the same table are the same file. */
	vx_fdb_walk(&c->dp->fdb, &cursor, c->dp->fdb.nslots, static_key_fn, &sk);
	if (sk.oom) {
		/* No memory to sort: save them in table order rather than lose any. */
		free(sk.key);
		cursor = 0;
		vx_fdb_walk(&c->dp->fdb, &cursor, c->dp->fdb.nslots, save_static_fn, &sa);
		return;
	}
	if (sk.n > 1)
		qsort(sk.key, sk.n, sizeof(*sk.key), key_cmp);
	for (uint32_t i = 0; i < sk.n; i++)
		save_static(c, o, sk.key[i].key, sk.key[i].e);
	free(sk.key);
}

/* The underlay's addresses, static routes and static neighbours. */
static void
save_underlay(struct vx_ctl *c, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];

	if (c->ul == NULL)
		return;
	for (int i = 0; i < VX_MAX_LOCAL_ADDR; i++) {
		const struct vx_ul_addr *a = &c->ul->addr[i];

		if (!a->used)
			continue;
		vx_out_printf(o, "addr add %s/%u dev %s", vx_fmt_ip(&a->ip, ip, sizeof(ip)),
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
			vx_out_printf(o, "route add %s/%u", vx_fmt_ip(&r->dst, ip, sizeof(ip)),
				      r->plen);
		if (r->gw.family != 0)
			vx_out_printf(o, " via %s", vx_fmt_ip(&r->gw, gw, sizeof(gw)));
		vx_out_printf(o, " dev %s\n", c->port[r->port].name);
	}
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		const struct vx_neigh *n = &c->ul->nt.n[i];

		if (n->id == 0 || (n->state != VX_NUD_PERMANENT && n->state != VX_NUD_NOARP) ||
		    n->port >= VX_MAX_PORTS)
			continue;
		vx_out_printf(o, "neigh add %s lladdr %s dev %s nud %s\n",
			      vx_fmt_ip(&n->ip, ip, sizeof(ip)),
			      vx_fmt_mac(&n->mac, mac, sizeof(mac)), c->port[n->port].name,
			      n->state == VX_NUD_NOARP ? "noarp" : "permanent");
	}
}

/* The links' own addresses and proxy neighbour entries (after the links). */
static void
save_links_l3(struct vx_ctl *c, struct vx_out *o)
{
	char ip[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];

	for (unsigned int b = 1; c->core != NULL && b < VX_MAX_BD; b++) {
		const struct vx_link *l = c->core->link[b];
		const struct vx_neigh *n;
		uint32_t pos = 0;

		if (l == NULL)
			continue;
		for (int i = 0; i < l->n_addr; i++)
			vx_out_printf(o, "addr add %s/%u dev %s\n",
				      vx_fmt_ip(&l->addr[i].ip, ip, sizeof(ip)), l->addr[i].plen,
				      l->name);
		while ((n = vx_proxy_next(c, l, &pos)) != NULL)
			if (n->state == VX_NUD_PERMANENT || n->state == VX_NUD_NOARP)
				vx_out_printf(o, "neigh add %s lladdr %s dev %s nud %s\n",
					      vx_fmt_ip(&n->ip, ip, sizeof(ip)),
					      vx_fmt_mac(&n->mac, mac, sizeof(mac)), l->name,
					      n->state == VX_NUD_NOARP ? "noarp" : "permanent");
	}
}

void
vx_cli_config(struct vx_ctl *c, struct vx_out *o)
{
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		if (c->port[p].present && strcmp(c->port[p].name, c->port[p].dev_name) != 0)
			vx_out_printf(o, "link set dev %s name %s\n", c->port[p].dev_name,
				      c->port[p].name);
	save_underlay(c, o);
	save_core(c, o);
	save_links_l3(c, o); /* a link's addresses and neighbours need the link */
}

int
vx_cli_save(struct vx_ctl *c, const char *path, struct vx_out *err)
{
	struct vx_out o = {0};
	char tmp[4096], dir[4096];
	int fd = -1, ret;
	size_t off = 0;

	if (path == NULL)
		path = c->config_path != NULL ? c->config_path : VX_DEFAULT_CONFIG;
	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp))
		return vx_err(err, -ENAMETOOLONG, "save %s: path too long", path);
	vx_out_printf(&o, "# vxswitch configuration, written by `vxctl save`\n");
	vx_cli_config(c, &o);

	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		vx_err(err, ret, "save %s: %s", tmp, strerror(errno));
		goto err_out;
	}
	while (off < o.len) {
		ssize_t n = write(fd, o.buf + off, o.len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			vx_err(err, ret, "save %s: write: %s", tmp, strerror(errno));
			goto err_unlink;
		}
		off += n;
	}
	if (fchmod(fd, 0640) < 0 || fsync(fd) < 0) {
		ret = -errno;
		vx_err(err, ret, "save %s: %s", tmp, strerror(errno));
		goto err_unlink;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path) < 0) {
		ret = -errno;
		vx_err(err, ret, "save %s: rename: %s", path, strerror(errno));
		goto err_unlink;
	}
	/* Make the rename durable too. */
	strlcpy(dir, path, sizeof(dir));
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	vx_out_free(&o);
	return 0;

err_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
err_out:
	vx_out_free(&o);
	return ret;
}

int
vx_cmd_save(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	const char *path = NULL;

	if (argc > 2)
		return vx_err(out, -EINVAL, "save: unexpected \"%s\"", argv[2]);
	if (argc == 2)
		path = argv[1];
	return vx_cli_save(c, path, out);
}
