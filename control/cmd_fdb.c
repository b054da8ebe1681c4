/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fdb add/append/replace/del/show/flush, as `bridge fdb` on a vxlan device
 * (dev LINK: remote entries and, with the all-zero MAC, the flood list) or
 * on a bridge port (dev PORT master: local entries).
 *
 * States as iproute2 sets them: no word = permanent, `static`, `dynamic`.
 * permanent and static entries carry VX_FDB_STATIC in the dataplane word
 * (never aged, never overwritten by learning); one bit per FDB position
 * (core->static_bits) tells static from permanent for show and save;
 * dynamic ones age like learned entries.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_malloc.h>

#include "core.h"

static int32_t
static_pos(struct vx_ctl *c, uint64_t key)
{
	int32_t pos = -1;

	if (c->dp == NULL || c->dp->fdb.bkt == NULL || vx_fdb_get(&c->dp->fdb, key, &pos) == 0)
		return -1;
	return pos;
}

int
vx_static_set(struct vx_ctl *c, uint64_t key, uint8_t state)
{
	struct vx_ctl_core *k = c->core;
	int32_t pos = static_pos(c, key);

	if (pos < 0)
		return 0; /* no FDB (parse tests) or not stored: nothing to remember */
	if (k->static_bits == NULL && state == VX_ST_STATIC) {
		uint32_t n = c->dp->fdb.nslots;

		k->static_bits = calloc((n + 63) / 64, sizeof(uint64_t));
		if (k->static_bits == NULL)
			return -ENOMEM;
		k->static_nbits = n;
	}
	if ((uint32_t)pos >= k->static_nbits)
		return 0;
	if (state == VX_ST_STATIC)
		k->static_bits[pos / 64] |= 1ULL << (pos % 64);
	else
		k->static_bits[pos / 64] &= ~(1ULL << (pos % 64));
	return 0;
}

void
vx_static_del(struct vx_ctl *c, uint64_t key)
{
	vx_static_set(c, key, VX_ST_PERMANENT); /* clears the bit */
}

static const char *const state_names[] = {
	[VX_ST_DYNAMIC] = "", [VX_ST_STATIC] = "static", [VX_ST_PERMANENT] = "permanent"};

uint8_t
vx_static_state(struct vx_ctl *c, uint64_t key, uint64_t e)
{
	struct vx_ctl_core *k = c->core;
	int32_t pos;

	if (!(e & VX_FDB_STATIC))
		return VX_ST_DYNAMIC;
	if (k->static_bits == NULL)
		return VX_ST_PERMANENT;
	pos = static_pos(c, key);
	if (pos >= 0 && (uint32_t)pos < k->static_nbits &&
	    (k->static_bits[pos / 64] & (1ULL << (pos % 64))))
		return VX_ST_STATIC;
	return VX_ST_PERMANENT;
}

/* ---- formatting ---- */

struct fdb_view {
	char mac[24];
	const char *dev;
	const char *master;
	char dst[INET6_ADDRSTRLEN];
	int vlan;    /* -1 none */
	int port;    /* -1 none */
	int64_t vni; /* -1 none */
	bool self;
	uint8_t state;
	int64_t used; /* -1 none */
};

static void
view_entry(struct vx_ctl *c, uint64_t key, uint64_t e, uint8_t state, struct fdb_view *v)
{
	struct rte_ether_addr mac;
	struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(key));

	memset(v, 0, sizeof(*v));
	vx_fdb_key_mac(key, &mac);
	vx_fmt_mac(&mac, v->mac, sizeof(v->mac));
	v->vlan = v->port = -1;
	v->vni = -1;
	v->used = -1;
	v->state = state;
	if (e & VX_FDB_REMOTE) {
		struct vx_vtep_ctl *vt = &c->core->vtep[vx_fdb_index(e) % VX_MAX_VTEP];

		v->dev = l != NULL ? l->name : "?";
		v->self = true;
		vx_fmt_ip(&vt->remote, v->dst, sizeof(v->dst));
		if (l != NULL && vt->dstport != l->opt.dstport)
			v->port = vt->dstport;
		if (l != NULL && vt->vni != l->opt.vni)
			v->vni = vt->vni;
	} else {
		v->dev = vx_port_name(c, vx_fdb_index(e));
		v->master = l != NULL ? l->name : "?";
		if (vx_fdb_vlan(e))
			v->vlan = vx_fdb_vlan(e);
	}
}

static void
view_flood(struct vx_ctl *c, struct vx_link *l, const struct vx_flood_ent *f, struct fdb_view *v)
{
	memset(v, 0, sizeof(*v));
	strcpy(v->mac, "00:00:00:00:00:00");
	v->dev = l->name;
	v->vlan = -1;
	v->port = f->port ? f->port : -1;
	v->vni = f->vni != UINT32_MAX ? (int64_t)f->vni : -1;
	v->used = -1;
	v->self = true;
	v->state = f->state;
	vx_fmt_ip(&f->dst, v->dst, sizeof(v->dst));
}

static void
print_view(struct vx_out *o, const struct fdb_view *v, unsigned int flags, const char *prefix,
	   bool *first)
{
	if (flags & VX_CMD_JSON) {
		vx_out_printf(o, "%s{\"mac\":\"%s\",\"ifname\":", *first ? "" : ",", v->mac);
		vx_out_json_str(o, v->dev);
		if (v->vlan >= 0)
			vx_out_printf(o, ",\"vlan\":%d", v->vlan);
		if (v->dst[0])
			vx_out_printf(o, ",\"dst\":\"%s\"", v->dst);
		if (v->port >= 0)
			vx_out_printf(o, ",\"port\":%d", v->port);
		if (v->vni >= 0)
			vx_out_printf(o, ",\"vni\":%" PRId64, v->vni);
		if (v->used >= 0)
			vx_out_printf(o, ",\"used\":%" PRId64 ",\"updated\":%" PRId64, v->used,
				      v->used);
		vx_out_printf(o, ",\"flags\":[%s]", v->self ? "\"self\"" : "");
		if (v->master != NULL) {
			vx_out_printf(o, ",\"master\":");
			vx_out_json_str(o, v->master);
		}
		vx_out_printf(o, ",\"state\":\"%s\"}", state_names[v->state]);
	} else {
		vx_out_printf(o, "%s%s dev %s", prefix ? prefix : "", v->mac, v->dev);
		if (v->vlan >= 0)
			vx_out_printf(o, " vlan %d", v->vlan);
		if (v->dst[0])
			vx_out_printf(o, " dst %s", v->dst);
		if (v->port >= 0)
			vx_out_printf(o, " port %d", v->port);
		if (v->vni >= 0)
			vx_out_printf(o, " vni %" PRId64, v->vni);
		if (v->used >= 0)
			vx_out_printf(o, " used %" PRId64 "/%" PRId64, v->used, v->used);
		if (v->self)
			vx_out_printf(o, " self");
		if (v->master != NULL)
			vx_out_printf(o, " master %s", v->master);
		if (v->state != VX_ST_DYNAMIC)
			vx_out_printf(o, " %s", state_names[v->state]);
		vx_out_printf(o, "\n");
	}
	*first = false;
}

void
vx_fdb_format(struct vx_ctl *c, struct vx_out *o, uint64_t key, uint64_t entry, uint8_t state,
	      const char *prefix)
{
	struct fdb_view v;
	bool first = true;

	view_entry(c, key, entry, state, &v);
	print_view(o, &v, 0, prefix, &first);
}

static void
announce(struct vx_ctl *c, uint64_t key, uint64_t e, uint8_t state, const char *prefix)
{
	struct vx_out o = {0};

	if (!vx_ctl_event_wanted(c, "fdb"))
		return; /* nobody listens: skip the formatting (a flush or a big load) */
	vx_fdb_format(c, &o, key, e, state, prefix);
	if (o.len > 0 && o.buf[o.len - 1] == '\n')
		o.buf[--o.len] = '\0';
	if (o.buf != NULL)
		vx_ctl_event(c, "fdb", "%s", o.buf);
	vx_out_free(&o);
}

/* ---- removal ---- */

void
vx_fdb_remove(struct vx_ctl *c, uint64_t key, uint64_t entry, bool ann)
{
	struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(key));
	uint8_t state = vx_static_state(c, key, entry);

	if (c->dp == NULL)
		return;
	if (entry & VX_FDB_STATIC)
		vx_static_del(c, key); /* by position: before the key goes */
	if (vx_fdb_del(&c->dp->fdb, key) < 0)
		return;
	if (ann)
		announce(c, key, entry, state, "Deleted ");
	if (entry & VX_FDB_REMOTE)
		vx_vtep_put(c, vx_fdb_index(entry));
	if (l != NULL) {
		if (l->n_fdb)
			l->n_fdb--;
		if ((entry & VX_FDB_STATIC) && l->n_static)
			l->n_static--;
	}
}

struct collect {
	struct vx_ctl *c;
	vx_fdb_match_fn match;
	void *arg;
	uint64_t *keys, *entries;
	uint32_t n, cap;
	bool oom;
};

static void
collect_fn(struct vx_fdb *f, uint64_t key, uint64_t e, uint32_t pos, void *arg)
{
	struct collect *k = arg;

	if (k->match != NULL && !k->match(k->c, key, e, k->arg))
		return;
	if (k->n == k->cap) {
		uint32_t cap = k->cap ? k->cap * 2 : 256;
		uint64_t *nk = realloc(k->keys, cap * sizeof(*nk));
		uint64_t *ne;

		if (nk == NULL) {
			k->oom = true;
			return;
		}
		k->keys = nk;
		ne = realloc(k->entries, cap * sizeof(*ne));
		if (ne == NULL) {
			k->oom = true;
			return;
		}
		k->entries = ne;
		k->cap = cap;
	}
	k->keys[k->n] = key;
	k->entries[k->n] = e;
	k->n++;
}

static void
collect_all(struct vx_ctl *c, struct collect *k)
{
	uint32_t cursor = 0;

	if (c->dp == NULL || c->dp->fdb.bkt == NULL)
		return;
	vx_fdb_walk(&c->dp->fdb, &cursor, c->dp->fdb.nslots, collect_fn, k);
}

uint32_t
vx_fdb_flush_match(struct vx_ctl *c, vx_fdb_match_fn match, void *arg, uint32_t *n_static)
{
	struct collect k = {.c = c, .match = match, .arg = arg};

	collect_all(c, &k);
	for (uint32_t i = 0; i < k.n; i++) {
		if ((k.entries[i] & VX_FDB_STATIC) && n_static != NULL)
			(*n_static)++;
		vx_fdb_remove(c, k.keys[i], k.entries[i], true);
	}
	free(k.keys);
	free(k.entries);
	return k.n;
}

/* ---- parse ---- */

enum fdb_op { FDB_ADD, FDB_APPEND, FDB_REPLACE, FDB_DEL, FDB_SHOW, FDB_FLUSH };

struct fdb_req {
	enum fdb_op op;
	struct rte_ether_addr mac;
	bool has_mac;
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

static int
fdb_parse(int argc, char **argv, struct fdb_req *r, struct vx_out *out)
{
	const char *verb;
	uint32_t v;
	int i = 2;

	memset(r, 0, sizeof(*r));
	r->vlan = -1;
	r->vni = UINT32_MAX;
	r->state = VX_ST_PERMANENT;
	if (argc < 2) {
		r->op = FDB_SHOW;
		return 0;
	}
	verb = argv[1];
	if (strcmp(verb, "add") == 0)
		r->op = FDB_ADD;
	else if (strcmp(verb, "append") == 0)
		r->op = FDB_APPEND;
	else if (strcmp(verb, "replace") == 0)
		r->op = FDB_REPLACE;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		r->op = FDB_DEL;
	else if (strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0 || strcmp(verb, "ls") == 0)
		r->op = FDB_SHOW;
	else if (strcmp(verb, "flush") == 0)
		r->op = FDB_FLUSH;
	else
		return vx_err(
			out, -EINVAL,
			"fdb: unknown command \"%s\" (add, append, replace, del, show, flush)",
			verb);

	if (r->op <= FDB_DEL) {
		if (i >= argc)
			return vx_err(out, -EINVAL, "fdb %s: missing MAC", verb);
		if (strcmp(argv[i], "lladdr") == 0)
			i++;
		if (i >= argc)
			return vx_err(out, -EINVAL, "missing value after \"lladdr\"");
		if (vx_parse_mac(argv[i], &r->mac) < 0)
			return vx_err(out, -EINVAL, "\"%s\": not a MAC address", argv[i]);
		r->has_mac = true;
		i++;
	}
	for (; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "dev") == 0 || strcmp(w, "br") == 0 || strcmp(w, "brport") == 0) {
			if (i + 1 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"%s\"", w);
			r->dev = argv[++i];
		} else if (strcmp(w, "dst") == 0 && r->op <= FDB_DEL) {
			if (i + 1 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"dst\"");
			if (vx_parse_ip(argv[++i], &r->dst) < 0)
				return vx_err(out, -EINVAL,
					      "dst \"%s\": not an IPv4 or IPv6 address", argv[i]);
			if (vx_ip_is_any(&r->dst) || vx_ip_is_multicast(&r->dst))
				return vx_err(out, -EINVAL,
					      "dst %s: must be a unicast address (no multicast "
					      "underlay yet)",
					      argv[i]);
			r->has_dst = true;
		} else if (strcmp(w, "port") == 0 && r->op <= FDB_DEL) {
			if (i + 1 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"port\"");
			if (vx_parse_u32(argv[++i], 1, 65535, &v) < 0)
				return vx_err(out, -EINVAL, "port \"%s\": must be 1..65535",
					      argv[i]);
			r->port = v;
		} else if (strcmp(w, "vni") == 0) {
			if (i + 1 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"vni\"");
			if (vx_parse_vni(argv[++i], &v) < 0)
				return vx_err(out, -EINVAL, "vni \"%s\": VNI must be 0..16777215",
					      argv[i]);
			r->vni = v;
		} else if (strcmp(w, "vlan") == 0 && r->op <= FDB_DEL) {
			if (i + 1 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"vlan\"");
			if (vx_parse_u32(argv[++i], 1, 4094, &v) < 0)
				return vx_err(out, -EINVAL, "vlan \"%s\": must be 1..4094",
					      argv[i]);
			r->vlan = v;
		} else if (strcmp(w, "self") == 0) {
			r->self = true;
		} else if (strcmp(w, "master") == 0) {
			r->master = true;
		} else if (strcmp(w, "permanent") == 0 && r->op != FDB_FLUSH) {
			r->state = VX_ST_PERMANENT;
		} else if (strcmp(w, "static") == 0 || strcmp(w, "temp") == 0) {
			r->state = VX_ST_STATIC;
			r->flush_kind = 2;
		} else if (strcmp(w, "dynamic") == 0) {
			r->state = VX_ST_DYNAMIC;
			r->flush_kind = 1;
		} else if (r->op == FDB_FLUSH && strcmp(w, "permanent") == 0) {
			r->flush_kind = 2;
		} else {
			return vx_err(out, -EINVAL, "unknown option \"%s\" for fdb %s", w, verb);
		}
	}
	if (r->op <= FDB_DEL || r->op == FDB_FLUSH) {
		if (r->dev == NULL)
			return vx_err(out, -EINVAL, "fdb %s: missing \"dev NAME\"", verb);
	}
	if (r->op <= FDB_DEL && r->master && (r->has_dst || r->port || r->vni != UINT32_MAX))
		return vx_err(out, -EINVAL,
			      "fdb %s ... master: dst, port and vni belong to a link's entries",
			      verb);
	return 0;
}

/* ---- apply ---- */

/* Counts of the link when an entry word changes from old to new (0 = none). */
static void
account(struct vx_ctl *c, struct vx_link *l, uint64_t old, uint64_t new)
{
	if (!old && new)
		l->n_fdb++;
	if (old && !new && l->n_fdb)
		l->n_fdb--;
	if (!(old & VX_FDB_STATIC) && (new &VX_FDB_STATIC))
		l->n_static++;
	if ((old & VX_FDB_STATIC) && !(new &VX_FDB_STATIC) && l->n_static)
		l->n_static--;
}

static int
fdb_write(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old, uint64_t e,
	  uint8_t state, struct vx_out *out)
{
	int32_t pos;
	int ret;

	ret = vx_fdb_set(&c->dp->fdb, key, e);
	if (ret < 0)
		return vx_err(out, ret, "fdb full (%s)", strerror(-ret));
	if (old & VX_FDB_REMOTE)
		vx_vtep_put(c, vx_fdb_index(old));
	account(c, l, old, e);
	if (e & VX_FDB_STATIC) {
		if (vx_static_set(c, key, state) < 0)
			return vx_err(out, -ENOMEM, "out of memory");
	} else {
		vx_static_del(c, key);
		if (vx_fdb_get(&c->dp->fdb, key, &pos))
			c->dp->fdb.last_seen[pos] = c->dp->now;
	}
	announce(c, key, e, state, NULL);
	return 0;
}

static int
flood_apply(struct vx_ctl *c, struct vx_link *l, struct fdb_req *r, struct vx_out *out)
{
	struct vx_flood_ent nf = {.dst = r->dst, .port = r->port, .vni = r->vni, .state = r->state};
	int found = -1, ret;

	for (unsigned int i = 0; i < l->n_flood; i++) {
		struct vx_flood_ent *f = &l->flood[i];

		if (vx_ip_eq(&f->dst, &r->dst) && f->port == r->port && f->vni == r->vni)
			found = i;
	}
	if (r->op == FDB_DEL) {
		unsigned int n = 0;

		for (unsigned int i = 0; i < l->n_flood;) {
			struct vx_flood_ent *f = &l->flood[i];

			if (r->has_dst &&
			    !(vx_ip_eq(&f->dst, &r->dst) && (r->port == 0 || f->port == r->port) &&
			      (r->vni == UINT32_MAX || f->vni == r->vni))) {
				i++;
				continue;
			}
			if (f->is_remote) {
				memset(&l->opt.remote, 0, sizeof(l->opt.remote));
				l->opt.set &= ~VX_OPT_REMOTE;
			}
			if (c->dp != NULL)
				vx_vtep_put(c, f->vtep);
			memmove(f, f + 1, (l->n_flood - i - 1) * sizeof(*f));
			l->n_flood--;
			n++;
		}
		if (n == 0)
			return vx_err(out, -ENOENT, "00:00:00:00:00:00 dev %s%s%s: no such entry",
				      l->name, r->has_dst ? " dst " : "",
				      r->has_dst ? "(given)" : "");
		return vx_core_bd_publish(c, l);
	}
	if (found >= 0) {
		if (r->op == FDB_REPLACE) {
			l->flood[found].state = r->state;
			return 0;
		}
		return vx_err(out, -EEXIST, "00:00:00:00:00:00 dev %s dst %s: exists", l->name,
			      vx_fmt_ip(&r->dst, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN));
	}
	if (r->op != FDB_REPLACE && l->n_flood >= VX_MAX_FLOOD)
		return vx_err(out, -ENOSPC, "dev %s: flood list full (%d)", l->name, VX_MAX_FLOOD);
	ret = vx_flood_vtep(c, l, &nf);
	if (ret < 0)
		return vx_err(out, ret, "no VTEP slot (%s)", strerror(-ret));
	if (r->op == FDB_REPLACE && l->n_flood > 0) {
		/* As the kernel: replace changes the first destination. */
		if (l->flood[0].is_remote) {
			memset(&l->opt.remote, 0, sizeof(l->opt.remote));
			l->opt.set &= ~VX_OPT_REMOTE;
		}
		if (c->dp != NULL)
			vx_vtep_put(c, l->flood[0].vtep);
		l->flood[0] = nf;
	} else {
		l->flood[l->n_flood++] = nf;
	}
	if (!l->family)
		l->family = r->dst.family;
	{
		struct vx_out o = {0};
		struct fdb_view v;
		bool first = true;

		view_flood(c, l, &nf, &v);
		print_view(&o, &v, 0, NULL, &first);
		if (o.len > 0)
			o.buf[--o.len] = '\0';
		if (o.buf != NULL)
			vx_ctl_event(c, "fdb", "%s", o.buf);
		vx_out_free(&o);
	}
	return vx_core_bd_publish(c, l);
}

static int
fdb_modify(struct vx_ctl *c, struct fdb_req *r, struct vx_out *out)
{
	static const struct rte_ether_addr zero;
	const char *verb = r->op == FDB_ADD	  ? "add"
			   : r->op == FDB_APPEND  ? "append"
			   : r->op == FDB_REPLACE ? "replace"
						  : "del";
	struct vx_link *l = vx_link_find(c, r->dev);
	bool is_zero = rte_is_same_ether_addr(&r->mac, &zero);
	uint64_t key, old, e;
	char mac[24];
	int p = -1;

	vx_fmt_mac(&r->mac, mac, sizeof(mac));
	if (l == NULL) {
		p = vx_port_index(c, r->dev);
		if (p < 0)
			return vx_err(out, -ENODEV, "dev %s: no such link or port", r->dev);
		if (!r->master)
			return vx_err(out, -EINVAL,
				      "dev %s is a port: add \"master\" for an entry of its link",
				      r->dev);
		if (r->has_dst)
			return vx_err(out, -EINVAL, "dst: a port's entries are local");
		{
			uint16_t bd = c->core->access[p][r->vlan < 0 ? 0 : r->vlan];

			if (bd == 0)
				return vx_err(out, -EINVAL,
					      "dev %s%s: not attached to a link (link set dev %s "
					      "master LINK)",
					      r->dev, r->vlan > 0 ? " vlan" : "", r->dev);
			l = c->core->link[bd];
		}
	} else if (r->master) {
		return vx_err(out, -EINVAL, "master: dev %s is a link, not a port", r->dev);
	} else if (r->vlan >= 0) {
		return vx_err(out, -EINVAL, "vlan: only with dev PORT master");
	}

	if (rte_is_multicast_ether_addr(&r->mac) && p >= 0)
		return vx_err(out, -EINVAL, "%s: multicast MAC on a port entry", mac);
	if (p < 0 && r->has_dst && l->family && r->dst.family != l->family)
		return vx_err(out, -EINVAL, "dst %s is %s but link %s is %s",
			      vx_fmt_ip(&r->dst, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN),
			      vx_family_name(r->dst.family), l->name, vx_family_name(l->family));
	if (p < 0 && r->has_dst && l->opt.local.family && r->dst.family != l->opt.local.family)
		return vx_err(out, -EINVAL, "dst is %s but local is %s",
			      vx_family_name(r->dst.family), vx_family_name(l->opt.local.family));

	if (p < 0 && is_zero) {
		if (r->op != FDB_DEL && !r->has_dst)
			return vx_err(out, -EINVAL, "fdb %s 00:00:00:00:00:00: missing \"dst IP\"",
				      verb);
		if (r->op != FDB_DEL && r->state == VX_ST_DYNAMIC)
			return vx_err(out, -EINVAL, "dynamic: flood entries are static");
		return flood_apply(c, l, r, out);
	}
	if (is_zero)
		return vx_err(out, -EINVAL, "00:00:00:00:00:00 on a port: not a host address");
	if (p < 0 && r->op != FDB_DEL && !r->has_dst)
		return vx_err(out, -EINVAL, "fdb %s %s dev %s: missing \"dst IP\"", verb, mac,
			      l->name);
	if (c->dp == NULL)
		return vx_err(out, -ENODEV, "no dataplane");

	key = vx_fdb_key(l->bd, &r->mac);
	old = vx_fdb_get(&c->dp->fdb, key, NULL);
	if (r->op == FDB_DEL) {
		if (old == 0)
			return vx_err(out, -ENOENT, "%s dev %s: no such entry", mac, r->dev);
		if (p >= 0 && ((old & VX_FDB_REMOTE) || vx_fdb_index(old) != (uint32_t)p ||
			       vx_fdb_vlan(old) != (r->vlan < 0 ? 0 : r->vlan)))
			return vx_err(out, -ENOENT, "%s dev %s: no such entry (it is elsewhere)",
				      mac, r->dev);
		if (p < 0 && !(old & VX_FDB_REMOTE))
			return vx_err(out, -ENOENT, "%s dev %s: no such entry (it is local on %s)",
				      mac, r->dev, vx_port_name(c, vx_fdb_index(old)));
		if (p < 0 && r->has_dst &&
		    !vx_ip_eq(&c->core->vtep[vx_fdb_index(old)].remote, &r->dst))
			return vx_err(out, -ENOENT, "%s dev %s: no such entry with that dst", mac,
				      r->dev);
		vx_fdb_remove(c, key, old, true);
		return 0;
	}
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
	{
		uint64_t fl = r->state == VX_ST_DYNAMIC ? 0 : VX_FDB_STATIC;
		int ret;

		if (p >= 0) {
			e = vx_fdb_local(p, r->vlan < 0 ? 0 : r->vlan, fl);
		} else {
			int idx = vx_vtep_get(c, l->bd, &r->dst, r->port ? r->port : l->opt.dstport,
					      r->vni != UINT32_MAX ? r->vni : l->opt.vni);

			if (idx < 0)
				return vx_err(out, idx, "no VTEP slot (%s)", strerror(-idx));
			e = vx_fdb_remote(idx, fl);
		}
		ret = fdb_write(c, l, key, old, e, r->state, out);
		if (ret < 0) {
			if (e & VX_FDB_REMOTE)
				vx_vtep_put(c, vx_fdb_index(e));
			return ret;
		}
		if (p < 0 && !l->family)
			l->family = r->dst.family;
	}
	return 0;
}

struct flush_arg {
	uint16_t bd; /* 0: any */
	int port;    /* -1: any */
	int kind;    /* 0 all but permanent, 1 dynamic, 2 static */
	struct vx_ctl *c;
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
	return !(e & VX_FDB_STATIC) || vx_static_state(c, key, e) != VX_ST_PERMANENT;
}

static int
fdb_flush(struct vx_ctl *c, struct fdb_req *r, struct vx_out *out)
{
	struct flush_arg a = {.port = -1, .kind = r->flush_kind, .c = c};
	struct vx_link *l = vx_link_find(c, r->dev);
	uint32_t n, n_static = 0;

	if (l != NULL) {
		a.bd = l->bd;
	} else {
		a.port = vx_port_index(c, r->dev);
		if (a.port < 0)
			return vx_err(out, -ENODEV, "dev %s: no such link or port", r->dev);
	}
	n = vx_fdb_flush_match(c, match_flush, &a, &n_static);
	vx_core_learn_reset(c); /* the learning window restarts with the flush */
	if (n_static)
		vx_out_printf(out, "removed %u static fdb entries\n", n_static);
	(void)n;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
fdb_show(struct vx_ctl *c, struct fdb_req *r, unsigned int flags, struct vx_out *out)
{
	struct collect k = {.c = c};
	struct vx_link *only = NULL;
	int port = -1;
	uint64_t *pairs = NULL;
	bool first = true;
	uint32_t j = 0;

	if (r->dev != NULL) {
		only = vx_link_find(c, r->dev);
		if (only == NULL) {
			port = vx_port_index(c, r->dev);
			if (port < 0)
				return vx_err(out, -ENODEV, "dev %s: no such link or port", r->dev);
		}
	}
	collect_all(c, &k);
	/* Sort (key, entry) pairs by key: output independent of table positions. */
	if (k.n) {
		pairs = malloc(k.n * 2 * sizeof(uint64_t));
		if (pairs == NULL) {
			free(k.keys);
			free(k.entries);
			return vx_err(out, -ENOMEM, "out of memory");
		}
		for (uint32_t i = 0; i < k.n; i++) {
			pairs[2 * i] = k.keys[i];
			pairs[2 * i + 1] = k.entries[i];
		}
		qsort(pairs, k.n, 2 * sizeof(uint64_t), cmp_u64);
	}
	if (flags & VX_CMD_JSON)
		vx_out_printf(out, "[");
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];
		struct fdb_view v;

		if (l == NULL)
			continue;
		if (r->vni != UINT32_MAX && l->opt.vni != r->vni)
			l = NULL; /* entries may still carry vni N */
		if (l != NULL && (only == NULL || only == l) && port < 0)
			for (unsigned int i = 0; i < l->n_flood; i++) {
				view_flood(c, l, &l->flood[i], &v);
				print_view(out, &v, flags, NULL, &first);
			}
		for (; j < k.n && vx_fdb_key_bd(pairs[2 * j]) <= b; j++) {
			uint64_t key = pairs[2 * j], e = pairs[2 * j + 1];
			int32_t pos;

			if (vx_fdb_key_bd(key) != b)
				continue;
			if (only != NULL && (only->bd != b || !(e & VX_FDB_REMOTE)))
				continue;
			if (port >= 0 && ((e & VX_FDB_REMOTE) || vx_fdb_index(e) != (uint32_t)port))
				continue;
			view_entry(c, key, e, vx_static_state(c, key, e), &v);
			if (r->vni != UINT32_MAX && c->core->link[b]->opt.vni != r->vni &&
			    v.vni != (int64_t)r->vni)
				continue;
			if ((flags & VX_CMD_STATS) && !(e & VX_FDB_STATIC) &&
			    vx_fdb_get(&c->dp->fdb, key, &pos))
				v.used = (int64_t)c->dp->now - c->dp->fdb.last_seen[pos];
			print_view(out, &v, flags, NULL, &first);
		}
	}
	if (flags & VX_CMD_JSON)
		vx_out_printf(out, "]\n");
	free(pairs);
	free(k.keys);
	free(k.entries);
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
