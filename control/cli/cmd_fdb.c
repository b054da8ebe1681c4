/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fdb add/append/replace/del/show/flush, as `bridge fdb` on a vxlan device
 * (dev LINK: remote entries and, with the all-zero MAC, the flood list) or
 * on a bridge port (dev PORT master: local entries). The entries
 * themselves are the core's (core/fdb.c, core/flood.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"

enum fdb_op { FDB_ADD, FDB_APPEND, FDB_REPLACE, FDB_DEL, FDB_SHOW, FDB_FLUSH };

struct fdb_req {
	enum fdb_op op;
	struct rte_ether_addr mac;
	const char *dev;
	struct vx_ip dst;
	bool has_dst;
	uint32_t port; /* 0 = link's */
	uint32_t vni;  /* UINT32_MAX = link's */
	int vlan;      /* -1 = none */
	bool master, self;
	uint8_t state;
	int flush_kind; /* 0 all, 1 dynamic, 2 static */
};

/* One word of the options (and its value); 0, or -errno with the error in out. */
static int
parse_word(int argc, char **argv, int *i, struct fdb_req *r, const char *verb, struct vx_out *out)
{
	const char *w = argv[*i];
	bool entry = r->op <= FDB_DEL; /* add, append, replace, del */
	uint32_t v;

	if (strcmp(w, "self") == 0) {
		r->self = true;
		return 0;
	}
	if (strcmp(w, "master") == 0) {
		r->master = true;
		return 0;
	}
	if (strcmp(w, "permanent") == 0) {
		if (r->op == FDB_FLUSH)
			r->flush_kind = 2;
		else
			r->state = VX_ST_PERMANENT;
		return 0;
	}
	if (strcmp(w, "static") == 0 || strcmp(w, "temp") == 0) {
		r->state = VX_ST_STATIC;
		r->flush_kind = 2;
		return 0;
	}
	if (strcmp(w, "dynamic") == 0) {
		r->state = VX_ST_DYNAMIC;
		r->flush_kind = 1;
		return 0;
	}
	if (!(strcmp(w, "dev") == 0 || strcmp(w, "br") == 0 || strcmp(w, "brport") == 0 ||
	      strcmp(w, "vni") == 0 ||
	      (entry &&
	       (strcmp(w, "dst") == 0 || strcmp(w, "port") == 0 || strcmp(w, "vlan") == 0))))
		return vx_err(out, -EINVAL, "unknown option \"%s\" for fdb %s", w, verb);
	if (*i + 1 >= argc)
		return vx_err(out, -EINVAL, "missing value after \"%s\"", w);
	(*i)++;
	if (strcmp(w, "dst") == 0) {
		if (vx_parse_ip(argv[*i], &r->dst) < 0)
			return vx_err(out, -EINVAL, "dst \"%s\": not an IPv4 or IPv6 address",
				      argv[*i]);
		if (vx_ip_is_any(&r->dst) || vx_ip_is_multicast(&r->dst))
			return vx_err(
				out, -EINVAL,
				"dst %s: must be a unicast address (no multicast underlay yet)",
				argv[*i]);
		r->has_dst = true;
	} else if (strcmp(w, "port") == 0) {
		if (vx_parse_u32(argv[*i], 1, 65535, &v) < 0)
			return vx_err(out, -EINVAL, "port \"%s\": must be 1..65535", argv[*i]);
		r->port = v;
	} else if (strcmp(w, "vni") == 0) {
		if (vx_parse_vni(argv[*i], &v) < 0)
			return vx_err(out, -EINVAL, "vni \"%s\": VNI must be 0..16777215",
				      argv[*i]);
		r->vni = v;
	} else if (strcmp(w, "vlan") == 0) {
		if (vx_parse_u32(argv[*i], 1, 4094, &v) < 0)
			return vx_err(out, -EINVAL, "vlan \"%s\": must be 1..4094", argv[*i]);
		r->vlan = v;
	} else {
		r->dev = argv[*i];
	}
	return 0;
}

static const struct {
	const char *word;
	enum fdb_op op;
} verbs[] = {
	{"add", FDB_ADD},   {"append", FDB_APPEND}, {"replace", FDB_REPLACE},
	{"del", FDB_DEL},   {"delete", FDB_DEL},    {"show", FDB_SHOW},
	{"list", FDB_SHOW}, {"ls", FDB_SHOW},	    {"flush", FDB_FLUSH},
};

static int
fdb_parse(int argc, char **argv, struct fdb_req *r, struct vx_out *out)
{
	const char *verb;
	size_t k;
	int i = 2;

	memset(r, 0, sizeof(*r));
	r->vlan = -1;
	r->vni = UINT32_MAX;
	r->state = VX_ST_PERMANENT;
	r->op = FDB_SHOW;
	if (argc < 2)
		return 0;
	verb = argv[1];
	for (k = 0; k < RTE_DIM(verbs) && strcmp(verb, verbs[k].word) != 0; k++)
		;
	if (k == RTE_DIM(verbs))
		return vx_err(
			out, -EINVAL,
			"fdb: unknown command \"%s\" (add, append, replace, del, show, flush)",
			verb);
	r->op = verbs[k].op;
	if (r->op <= FDB_DEL) {
		if (i >= argc)
			return vx_err(out, -EINVAL, "fdb %s: missing MAC", verb);
		if (strcmp(argv[i], "lladdr") == 0)
			i++;
		if (i >= argc)
			return vx_err(out, -EINVAL, "missing value after \"lladdr\"");
		if (vx_parse_mac(argv[i], &r->mac) < 0)
			return vx_err(out, -EINVAL, "\"%s\": not a MAC address", argv[i]);
		i++;
	}
	for (; i < argc; i++)
		if (parse_word(argc, argv, &i, r, verb, out) < 0)
			return -EINVAL;
	if ((r->op <= FDB_DEL || r->op == FDB_FLUSH) && r->dev == NULL)
		return vx_err(out, -EINVAL, "fdb %s: missing \"dev NAME\"", verb);
	if (r->op <= FDB_DEL && r->master && (r->has_dst || r->port || r->vni != UINT32_MAX))
		return vx_err(out, -EINVAL,
			      "fdb %s ... master: dst, port and vni belong to a link's entries",
			      verb);
	return 0;
}

/* ---- validate and apply ---- */

static const char *
verb_word(enum fdb_op op)
{
	return op == FDB_ADD	   ? "add"
	       : op == FDB_APPEND  ? "append"
	       : op == FDB_REPLACE ? "replace"
				   : "del";
}

/*
 * The link of the request: dev LINK, or the link dev PORT master [vlan
 * VID] is attached to (*port: its index, else -1). NULL with the error in
 * out.
 */
static struct vx_link *
request_link(struct vx_ctl *c, const struct fdb_req *r, int *port, struct vx_out *out)
{
	/* Ports and links never share a name: a port's needs no search among the links. */
	int p = vx_port_index(c, r->dev);
	struct vx_link *l = p < 0 ? vx_link_find(c, r->dev) : NULL;
	uint16_t bd;

	*port = -1;
	if (l != NULL) {
		if (r->master)
			vx_err(out, -EINVAL, "master: dev %s is a link, not a port", r->dev);
		else if (r->vlan >= 0)
			vx_err(out, -EINVAL, "vlan: only with dev PORT master");
		return r->master || r->vlan >= 0 ? NULL : l;
	}
	*port = p;
	if (*port < 0) {
		vx_err(out, -ENODEV, "dev %s: no such link or port", r->dev);
		return NULL;
	}
	if (!r->master) {
		vx_err(out, -EINVAL, "dev %s is a port: add \"master\" for an entry of its link",
		       r->dev);
		return NULL;
	}
	if (r->has_dst) {
		vx_err(out, -EINVAL, "dst: a port's entries are local");
		return NULL;
	}
	bd = c->core->access[*port][r->vlan < 0 ? 0 : r->vlan];
	if (bd == 0) {
		vx_err(out, -EINVAL,
		       "dev %s%s: not attached to a link (link set dev %s master LINK)", r->dev,
		       r->vlan > 0 ? " vlan" : "", r->dev);
		return NULL;
	}
	return c->core->link[bd];
}

/* The destination must be of the link's underlay family. */
static int
check_dst(const struct vx_link *l, const struct fdb_req *r, struct vx_out *out)
{
	char a[INET6_ADDRSTRLEN];

	if (!r->has_dst)
		return 0;
	if (l->family && r->dst.family != l->family)
		return vx_err(out, -EINVAL, "dst %s is %s but link %s is %s",
			      vx_fmt_ip(&r->dst, a, sizeof(a)), vx_family_name(r->dst.family),
			      l->name, vx_family_name(l->family));
	if (l->opt.local.family && r->dst.family != l->opt.local.family)
		return vx_err(out, -EINVAL, "dst is %s but local is %s",
			      vx_family_name(r->dst.family), vx_family_name(l->opt.local.family));
	return 0;
}

/* fdb ... 00:00:00:00:00:00 dev LINK: the flood list. */
static int
flood_modify(struct vx_ctl *c, struct vx_link *l, const struct fdb_req *r, struct vx_out *out)
{
	struct vx_flood_ent nf = {.dst = r->dst, .port = r->port, .vni = r->vni, .state = r->state};

	if (r->op == FDB_DEL)
		return vx_core_flood_del(c, l, r->has_dst ? &r->dst : NULL, r->port, r->vni, out);
	if (!r->has_dst)
		return vx_err(out, -EINVAL, "fdb %s 00:00:00:00:00:00: missing \"dst IP\"",
			      verb_word(r->op));
	if (r->state == VX_ST_DYNAMIC)
		return vx_err(out, -EINVAL, "dynamic: flood entries are static");
	return vx_core_flood_add(c, l, &nf, r->op == FDB_REPLACE, out);
}

static int
fdb_del(struct vx_ctl *c, const struct fdb_req *r, int p, uint64_t key, uint64_t old,
	const char *mac, struct vx_out *out)
{
	if (old == 0)
		return vx_err(out, -ENOENT, "%s dev %s: no such entry", mac, r->dev);
	if (p >= 0 && ((old & VX_FDB_REMOTE) || vx_fdb_index(old) != (uint32_t)p ||
		       vx_fdb_vlan(old) != (r->vlan < 0 ? 0 : r->vlan)))
		return vx_err(out, -ENOENT, "%s dev %s: no such entry (it is elsewhere)", mac,
			      r->dev);
	if (p < 0 && !(old & VX_FDB_REMOTE))
		return vx_err(out, -ENOENT, "%s dev %s: no such entry (it is local on %s)", mac,
			      r->dev, vx_port_name(c, vx_fdb_index(old)));
	if (p < 0 && r->has_dst && !vx_ip_eq(&c->core->vtep[vx_fdb_index(old)].remote, &r->dst))
		return vx_err(out, -ENOENT, "%s dev %s: no such entry with that dst", mac, r->dev);
	vx_core_fdb_remove(c, key, old, true);
	return 0;
}

static int
fdb_set(struct vx_ctl *c, struct vx_link *l, const struct fdb_req *r, int p, uint64_t key,
	uint64_t old, const char *mac, struct vx_out *out)
{
	if (old != 0 && r->op == FDB_ADD)
		return vx_err(out, -EEXIST, "%s dev %s: exists", mac, r->dev);
	if (old != 0 && r->op == FDB_APPEND) {
		if ((old & VX_FDB_REMOTE) && p < 0 &&
		    vx_ip_eq(&c->core->vtep[vx_fdb_index(old)].remote, &r->dst))
			return vx_err(out, -EEXIST, "%s dev %s: exists", mac, r->dev);
		return vx_err(out, -EOPNOTSUPP,
			      "%s dev %s: exists; one destination per MAC (use replace)", mac,
			      r->dev);
	}
	if (p >= 0)
		return vx_core_fdb_add_local(c, l, key, old, p, r->vlan < 0 ? 0 : r->vlan, r->state,
					     out);
	return vx_core_fdb_add_remote(c, l, key, old, &r->dst, r->port, r->vni, r->state, out);
}

static int
fdb_modify(struct vx_ctl *c, struct fdb_req *r, struct vx_out *out)
{
	bool is_zero = rte_is_zero_ether_addr(&r->mac);
	struct vx_link *l;
	uint64_t key, old;
	char mac[24];
	int p, ret;

	l = request_link(c, r, &p, out);
	if (l == NULL)
		return -EINVAL;
	vx_fmt_mac(&r->mac, mac, sizeof(mac));
	if (rte_is_multicast_ether_addr(&r->mac) && p >= 0)
		return vx_err(out, -EINVAL, "%s: multicast MAC on a port entry", mac);
	if (p < 0) {
		ret = check_dst(l, r, out);
		if (ret < 0)
			return ret;
	}
	if (p < 0 && is_zero)
		return flood_modify(c, l, r, out);
	if (is_zero)
		return vx_err(out, -EINVAL, "00:00:00:00:00:00 on a port: not a host address");
	if (p < 0 && r->op != FDB_DEL && !r->has_dst)
		return vx_err(out, -EINVAL, "fdb %s %s dev %s: missing \"dst IP\"",
			      verb_word(r->op), mac, l->name);
	if (c->dp == NULL)
		return vx_err(out, -ENODEV, "no dataplane");
	key = vx_fdb_key(l->bd, &r->mac);
	old = vx_fdb_get(&c->dp->fdb, key, NULL);
	if (r->op == FDB_DEL)
		return fdb_del(c, r, p, key, old, mac, out);
	return fdb_set(c, l, r, p, key, old, mac, out);
}

/* ---- flush ---- */

struct flush_arg {
	uint16_t bd; /* 0: any */
	int port;    /* -1: any */
	int kind;    /* 0 all but permanent, 1 dynamic, 2 static */
};

static bool
match_flush(struct vx_ctl *c, uint64_t key, uint64_t e, void *arg)
{
	struct flush_arg *a = arg;

	if (a->bd && vx_fdb_key_bd(key) != a->bd)
		return false;
	if (a->port >= 0 && ((e & VX_FDB_REMOTE) || vx_fdb_index(e) != (uint32_t)a->port))
		return false;
	if (a->bd && !(e & VX_FDB_REMOTE) && a->port < 0)
		return false; /* dev LINK: the link's own (remote) entries */
	if (a->kind == 1)
		return !(e & VX_FDB_STATIC);
	if (a->kind == 2)
		return (e & VX_FDB_STATIC) != 0;
	return !(e & VX_FDB_STATIC) || vx_core_fdb_state(c, key, e) != VX_ST_PERMANENT;
}

static int
fdb_flush(struct vx_ctl *c, struct fdb_req *r, struct vx_out *out)
{
	struct flush_arg a = {.port = -1, .kind = r->flush_kind};
	struct vx_link *l = vx_link_find(c, r->dev);
	uint32_t n_static = 0;

	if (l != NULL) {
		a.bd = l->bd;
	} else {
		a.port = vx_port_index(c, r->dev);
		if (a.port < 0)
			return vx_err(out, -ENODEV, "dev %s: no such link or port", r->dev);
	}
	vx_core_fdb_flush(c, match_flush, &a, &n_static);
	vx_core_fdb_flushed(c, l != NULL ? l->bd : 0, a.port);
	if (n_static)
		vx_out_printf(out, "removed %u static fdb entries\n", n_static);
	return 0;
}

/* ---- show ---- */

static int
cmp_item(const void *a, const void *b)
{
	uint64_t x = ((const struct vx_fdb_item *)a)->key, y = ((const struct vx_fdb_item *)b)->key;

	return x < y ? -1 : x > y;
}

/* Every entry, sorted by key: output independent of table positions. */
static int
sorted_items(struct vx_ctl *c, struct vx_fdb_item **items, uint32_t *n)
{
	int ret;

	*items = NULL;
	*n = 0;
	if (c->dp == NULL || c->dp->fdb.bkt == NULL)
		return 0;
	ret = vx_core_fdb_collect(c, NULL, NULL, items, n);
	if (ret == 0 && *n > 0)
		qsort(*items, *n, sizeof(**items), cmp_item);
	return ret;
}

struct show_filter {
	const struct vx_link *only; /* dev LINK */
	int port;		    /* dev PORT, -1 = any */
	uint32_t vni;		    /* UINT32_MAX = any */
	unsigned int flags;
};

static void
show_entry(struct vx_ctl *c, const struct show_filter *f, const struct vx_fdb_item *it, bool *first,
	   struct vx_out *out)
{
	uint64_t key = it->key, e = it->entry;
	uint16_t b = vx_fdb_key_bd(key);
	const struct vx_link *l = c->core->link[b];
	int64_t used = -1;

	if (f->only != NULL && (f->only->bd != b || !(e & VX_FDB_REMOTE)))
		return;
	if (f->port >= 0 && ((e & VX_FDB_REMOTE) || vx_fdb_index(e) != (uint32_t)f->port))
		return;
	/* With vni N: the entries of the link with VNI N, and entries that carry vni N. */
	if (f->vni != UINT32_MAX && l->opt.vni != f->vni &&
	    !((e & VX_FDB_REMOTE) && c->core->vtep[vx_fdb_index(e)].vni == f->vni))
		return;
	if ((f->flags & VX_CMD_STATS) && !(e & VX_FDB_STATIC))
		used = (int64_t)c->dp->now - vx_fdb_seen(&c->dp->fdb, it->pos);
	vx_core_fdb_format(c, out, key, e, it->state, used, f->flags & VX_CMD_JSON, NULL, first);
}

static int
fdb_show(struct vx_ctl *c, struct fdb_req *r, unsigned int flags, struct vx_out *out)
{
	struct show_filter f = {.port = -1, .vni = r->vni, .flags = flags};
	bool first = true, json = flags & VX_CMD_JSON;
	struct vx_fdb_item *items;
	uint32_t n, j = 0;

	if (r->dev != NULL) {
		f.only = vx_link_find(c, r->dev);
		if (f.only == NULL) {
			f.port = vx_port_index(c, r->dev);
			if (f.port < 0)
				return vx_err(out, -ENODEV, "dev %s: no such link or port", r->dev);
		}
	}
	if (sorted_items(c, &items, &n) < 0)
		return vx_err(out, -ENOMEM, "out of memory");
	if (json)
		vx_out_printf(out, "[");
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		const struct vx_link *l = c->core->link[b];

		if (l == NULL)
			continue;
		if ((f.only == NULL || f.only == l) && f.port < 0 &&
		    (r->vni == UINT32_MAX || l->opt.vni == r->vni))
			for (unsigned int i = 0; i < l->n_flood; i++)
				vx_core_flood_format(out, l, &l->flood[i], json, &first);
		for (; j < n && vx_fdb_key_bd(items[j].key) <= b; j++)
			if (vx_fdb_key_bd(items[j].key) == b)
				show_entry(c, &f, &items[j], &first, out);
	}
	if (json)
		vx_out_printf(out, "]\n");
	free(items);
	return 0;
}

int
vx_cmd_fdb(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct fdb_req r;

	if (fdb_parse(argc, argv, &r, out) < 0)
		return -EINVAL;
	switch (r.op) {
	case FDB_SHOW:
		return fdb_show(c, &r, flags, out);
	case FDB_FLUSH:
		return fdb_flush(c, &r, out);
	default:
		return fdb_modify(c, &r, out);
	}
}
