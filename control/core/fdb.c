/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FDB entries as the model sees them. The FDB is the dataplane's table
 * (dp->fdb, include/vx_fdb.h); the core is its only writer: static
 * entries (cli's fdb commands through vx_core_fdb_write), learning
 * (learn.c), ageing (age.c) and removal here, which keeps the links'
 * counts, the VTEP references and the static state in step with it.
 *
 * States as iproute2 sets them: no word = permanent, `static`, `dynamic`.
 * permanent and static entries carry VX_FDB_STATIC in the dataplane word
 * (never aged, never overwritten by learning); one bit per FDB position
 * (core->static_bits) tells static from permanent for show and save;
 * dynamic ones age like learned entries.
 *
 * An entry's text is `bridge fdb show`'s, for show and for the "fdb"
 * monitor stream alike.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/core.h"
#include "lib/inet.h"

static int32_t
static_pos(struct vx_ctl *c, uint64_t key)
{
	int32_t pos = -1;

	if (c->dp == NULL || c->dp->fdb.bkt == NULL || vx_fdb_get(&c->dp->fdb, key, &pos) == 0)
		return -1;
	return pos;
}

static int
static_mark(struct vx_ctl *c, uint64_t key, uint8_t state)
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

static void
static_unmark(struct vx_ctl *c, uint64_t key)
{
	static_mark(c, key, VX_ST_PERMANENT); /* clears the bit */
}

static const char *const state_names[] = {
	[VX_ST_DYNAMIC] = "", [VX_ST_STATIC] = "static", [VX_ST_PERMANENT] = "permanent"};

/* VX_ST_* of entry e stored at slot pos. */
static uint8_t
state_at(const struct vx_ctl_core *k, uint64_t e, int32_t pos)
{
	if (!(e & VX_FDB_STATIC))
		return VX_ST_DYNAMIC;
	if (k->static_bits != NULL && pos >= 0 && (uint32_t)pos < k->static_nbits &&
	    (k->static_bits[pos / 64] & (1ULL << (pos % 64))))
		return VX_ST_STATIC;
	return VX_ST_PERMANENT;
}

uint8_t
vx_core_fdb_state(struct vx_ctl *c, uint64_t key, uint64_t e)
{
	if (!(e & VX_FDB_STATIC) || c->core->static_bits == NULL)
		return state_at(c->core, e, -1);
	return state_at(c->core, e, static_pos(c, key));
}

/* ---- text ---- */

struct fdb_view {
	char mac[24];
	const char *dev;
	const char *master;
	char dst[INET6_ADDRSTRLEN];
	const char *via; /* a group's port, NULL none */
	int vlan;	 /* -1 none */
	int port;	 /* -1 none */
	int64_t vni;	 /* -1 none */
	bool self;
	bool router;
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
	v->router = (e & VX_FDB_ROUTER) != 0;
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
view_flood(struct vx_ctl *c, const struct vx_link *l, const struct vx_flood_ent *f,
	   struct fdb_view *v)
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
	if (f->is_group && l->opt.dev >= 0)
		v->via = vx_port_name(c, l->opt.dev);
}

static void
print_view(struct vx_out *o, const struct fdb_view *v, bool json, const char *prefix, bool *first)
{
	if (json) {
		/* A monitor event's prefix ("Deleted ") is iproute2's "deleted" key. */
		vx_out_printf(o, "%s{%s\"mac\":\"%s\",\"ifname\":", *first ? "" : ",",
			      prefix != NULL ? "\"deleted\":true," : "", v->mac);
		vx_out_json_str(o, v->dev);
		if (v->vlan >= 0)
			vx_out_printf(o, ",\"vlan\":%d", v->vlan);
		if (v->dst[0])
			vx_out_printf(o, ",\"dst\":\"%s\"", v->dst);
		if (v->via != NULL) {
			vx_out_printf(o, ",\"via\":");
			vx_out_json_str(o, v->via);
		}
		if (v->port >= 0)
			vx_out_printf(o, ",\"port\":%d", v->port);
		if (v->vni >= 0)
			vx_out_printf(o, ",\"vni\":%" PRId64, v->vni);
		if (v->used >= 0)
			vx_out_printf(o, ",\"used\":%" PRId64 ",\"updated\":%" PRId64, v->used,
				      v->used);
		vx_out_printf(o, ",\"flags\":[%s%s%s]", v->self ? "\"self\"" : "",
			      v->self && v->router ? "," : "", v->router ? "\"router\"" : "");
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
		if (v->via != NULL)
			vx_out_printf(o, " via %s", v->via);
		if (v->port >= 0)
			vx_out_printf(o, " port %d", v->port);
		if (v->vni >= 0)
			vx_out_printf(o, " vni %" PRId64, v->vni);
		if (v->used >= 0)
			vx_out_printf(o, " used %" PRId64 "/%" PRId64, v->used, v->used);
		if (v->self)
			vx_out_printf(o, " self");
		if (v->router)
			vx_out_printf(o, " router");
		if (v->master != NULL)
			vx_out_printf(o, " master %s", v->master);
		if (v->state != VX_ST_DYNAMIC)
			vx_out_printf(o, " %s", state_names[v->state]);
		vx_out_printf(o, "\n");
	}
	*first = false;
}

void
vx_core_fdb_format(struct vx_ctl *c, struct vx_out *o, uint64_t key, uint64_t entry, uint8_t state,
		   int64_t used, bool json, const char *prefix, bool *first)
{
	struct fdb_view v;

	view_entry(c, key, entry, state, &v);
	v.used = used;
	print_view(o, &v, json, prefix, first);
}

void
vx_core_flood_format(struct vx_ctl *c, struct vx_out *o, const struct vx_link *l,
		     const struct vx_flood_ent *f, bool json, bool *first)
{
	struct fdb_view v;

	view_flood(c, l, f, &v);
	print_view(o, &v, json, NULL, first);
}

void
vx_core_fdb_announce(struct vx_ctl *c, uint64_t key, uint64_t e, uint8_t state, const char *prefix)
{
	static const char *const streams[] = {"fdb", "fdb.json"};

	for (unsigned int i = 0; i < RTE_DIM(streams); i++) {
		struct vx_out o = {0};
		bool first = true;

		/* Nobody listens: skip the formatting (a flush or a big load). */
		if (!vx_ctl_event_wanted(c, streams[i]))
			continue;
		vx_core_fdb_format(c, &o, key, e, state, -1, i == 1, prefix, &first);
		if (o.buf != NULL)
			vx_ctl_event(c, streams[i], "%s", o.buf);
		vx_out_free(&o);
	}
}

/*
 * An entry for a multicast MAC came (add) or went: the link's count, and
 * VX_BD_MCAST_FDB published when the count leaves or reaches 0 (the
 * workers then look BUM destinations up, or stop doing it).
 */
static void
mcast_count(struct vx_ctl *c, struct vx_link *l, uint64_t key, bool add)
{
	struct rte_ether_addr mac;

	vx_fdb_key_mac(key, &mac);
	if (l == NULL || !rte_is_multicast_ether_addr(&mac))
		return;
	if (add ? l->n_mcast++ == 0 : (l->n_mcast > 0 && --l->n_mcast == 0))
		vx_core_bd_publish(c, l);
}

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

int
vx_core_fdb_write(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old, uint64_t e,
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
	if (old == 0)
		mcast_count(c, l, key, true);
	if (e & VX_FDB_STATIC) {
		if (static_mark(c, key, state) < 0)
			return vx_err(out, -ENOMEM, "out of memory");
	} else {
		static_unmark(c, key);
		if (vx_fdb_get(&c->dp->fdb, key, &pos))
			vx_fdb_set_seen(&c->dp->fdb, pos, c->dp->now);
	}
	vx_core_fdb_announce(c, key, e, state, NULL);
	return 0;
}

/* ---- changes ---- */

void
vx_core_fdb_remove(struct vx_ctl *c, uint64_t key, uint64_t entry, bool ann)
{
	struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(key));
	uint8_t state = vx_core_fdb_state(c, key, entry);

	if (c->dp == NULL)
		return;
	if (entry & VX_FDB_STATIC)
		static_unmark(c, key); /* by position: before the key goes */
	if (vx_fdb_del(&c->dp->fdb, key) < 0)
		return;
	if (ann)
		vx_core_fdb_announce(c, key, entry, state, "Deleted ");
	if (entry & VX_FDB_REMOTE)
		vx_vtep_put(c, vx_fdb_index(entry));
	if (l != NULL) {
		if (l->n_fdb)
			l->n_fdb--;
		if ((entry & VX_FDB_STATIC) && l->n_static)
			l->n_static--;
		mcast_count(c, l, key, false);
	}
}

struct collect {
	struct vx_ctl *c;
	vx_fdb_match_fn match;
	void *arg;
	struct vx_fdb_item *it;
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
		struct vx_fdb_item *ni = realloc(k->it, cap * sizeof(*ni));

		if (ni == NULL) {
			k->oom = true;
			return;
		}
		k->it = ni;
		k->cap = cap;
	}
	k->it[k->n++] = (struct vx_fdb_item){
		.key = key, .entry = e, .pos = pos, .state = state_at(k->c->core, e, pos)};
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
vx_core_fdb_flush(struct vx_ctl *c, vx_fdb_match_fn match, void *arg, uint32_t *n_static)
{
	struct collect k = {.c = c, .match = match, .arg = arg};

	collect_all(c, &k);
	for (uint32_t i = 0; i < k.n; i++) {
		if ((k.it[i].entry & VX_FDB_STATIC) && n_static != NULL)
			(*n_static)++;
		vx_core_fdb_remove(c, k.it[i].key, k.it[i].entry, true);
	}
	free(k.it);
	return k.n;
}

int
vx_core_fdb_collect(struct vx_ctl *c, vx_fdb_match_fn match, void *arg, struct vx_fdb_item **items,
		    uint32_t *n)
{
	struct collect k = {.c = c, .match = match, .arg = arg};

	collect_all(c, &k);
	if (k.oom) {
		free(k.it);
		return -ENOMEM;
	}
	*items = k.it;
	*n = k.n;
	return 0;
}

int
vx_core_fdb_add_remote(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old,
		       const struct vx_ip *dst, uint16_t port, uint32_t vni, uint8_t state,
		       uint64_t flags, struct vx_out *out)
{
	uint64_t fl = (state == VX_ST_DYNAMIC ? 0 : VX_FDB_STATIC) | (flags & VX_FDB_ROUTER);
	int idx, ret;

	idx = vx_vtep_get(c, l->bd, dst, port ? port : l->opt.dstport,
			  vni != UINT32_MAX ? vni : l->opt.vni, false);
	if (idx < 0)
		return vx_err(out, idx, "no VTEP slot (%s)", strerror(-idx));
	ret = vx_core_fdb_write(c, l, key, old, vx_fdb_remote(idx, fl), state, out);
	if (ret < 0) {
		vx_vtep_put(c, idx);
		return ret;
	}
	if (!l->family)
		l->family = dst->family;
	return 0;
}

int
vx_core_fdb_add_local(struct vx_ctl *c, struct vx_link *l, uint64_t key, uint64_t old,
		      uint16_t port, uint16_t vlan, uint8_t state, uint64_t flags,
		      struct vx_out *out)
{
	uint64_t fl = (state == VX_ST_DYNAMIC ? 0 : VX_FDB_STATIC) | (flags & VX_FDB_ROUTER);

	return vx_core_fdb_write(c, l, key, old, vx_fdb_local(port, vlan, fl), state, out);
}

void
vx_core_fdb_flushed(struct vx_ctl *c, uint16_t bd, int port)
{
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		struct vx_link *l = c->core->link[b];
		bool hit = false;

		if (l == NULL || (bd != 0 && b != bd))
			continue;
		for (unsigned int v = 0; v < VX_MAX_VLAN && port >= 0 && !hit; v++)
			hit = c->core->access[port][v] == b;
		if (bd != 0 || hit)
			vx_core_link_new_epoch(c, l);
	}
	/* The learning window (the rate `stats` shows) restarts with the flush. */
	c->core->learn_n = 0;
	c->core->learn_first_ns = c->core->learn_last_ns = 0;
}
