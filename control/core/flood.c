/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flood lists: a link's all-zero-MAC FDB entries (`bridge fdb append
 * 00:00:00:00:00:00 dev vxlan10 dst IP`), the VTEPs every BUM frame from
 * an access port is copied to. The link's `remote` or `group` option is its
 * first entry, as the kernel's default destination: a group is one VTEP
 * object like any other (its header goes to the group's MAC, see the
 * underlay's vx_ul_vtep_resolve), so one copy per BUM frame reaches every
 * listener, and the link's dev joins the group (vx_core_group_sync). Each
 * entry holds a VTEP reference.
 *
 * A change is made on a copy of the list (struct vx_flood_edit): new
 * entries take their VTEP references first, the link is published with
 * the copy, and only when that succeeded does the copy become the model
 * and the removed entries give their references back. A published link
 * therefore never names a VTEP whose index may be reused, and a failed
 * change leaves everything as it was.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

int
vx_flood_vtep(struct vx_ctl *c, struct vx_link *l, struct vx_flood_ent *f)
{
	int idx;

	if (c->dp == NULL) {
		f->vtep = 0;
		return 0;
	}
	idx = vx_vtep_get(c, l->bd, &f->dst, f->port ? f->port : l->opt.dstport,
			  f->vni != UINT32_MAX ? f->vni : l->opt.vni, false);
	if (idx < 0)
		return idx;
	f->vtep = idx;
	return 0;
}

int
vx_flood_find(const struct vx_link *l, const struct vx_ip *dst, uint16_t port, uint32_t vni)
{
	int found = -1;

	for (unsigned int i = 0; i < l->n_flood; i++) {
		const struct vx_flood_ent *f = &l->flood[i];

		if (vx_ip_eq(&f->dst, dst) && f->port == port && f->vni == vni)
			found = i;
	}
	return found;
}

/* ---- a change to a flood list ---- */

struct vx_flood_edit *
vx_flood_edit_begin(const struct vx_link *l)
{
	struct vx_flood_edit *e = malloc(sizeof(*e));

	if (e == NULL)
		return NULL;
	memcpy(e->ent, l->flood, l->n_flood * sizeof(l->flood[0]));
	e->n = l->n_flood;
	e->n_put = 0;
	e->got = 0;
	e->remote_gone = false;
	e->group_gone = false;
	return e;
}

/* Entry f of the copy goes: so does the option it came from. */
static void
edit_gone(struct vx_flood_edit *e, const struct vx_flood_ent *f)
{
	if (f->is_remote)
		e->remote_gone = true;
	if (f->is_group)
		e->group_gone = true;
}

/* Entry i of the copy goes; its reference is given back once the change is kept. */
static void
edit_remove(struct vx_flood_edit *e, unsigned int i)
{
	edit_gone(e, &e->ent[i]);
	e->put[e->n_put++] = e->ent[i].vtep;
	memmove(&e->ent[i], &e->ent[i + 1], (e->n - i - 1) * sizeof(e->ent[0]));
	e->n--;
}

/* nf (its reference taken) at position at of the copy; replace: in place of the entry there. */
static void
edit_put_at(struct vx_flood_edit *e, unsigned int at, const struct vx_flood_ent *nf, bool replace)
{
	if (replace) {
		edit_gone(e, &e->ent[at]);
		e->put[e->n_put++] = e->ent[at].vtep;
	} else {
		memmove(&e->ent[at + 1], &e->ent[at], (e->n - at) * sizeof(e->ent[0]));
		e->n++;
	}
	e->ent[at] = *nf;
	if (nf->is_remote)
		e->remote_gone = false;
	if (nf->is_group)
		e->group_gone = false;
	e->got = nf->vtep;
}

void
vx_flood_edit_abort(struct vx_ctl *c, struct vx_flood_edit *e)
{
	if (c->dp != NULL && e->got != 0)
		vx_vtep_put(c, e->got);
	free(e);
}

int
vx_flood_edit_commit(struct vx_ctl *c, struct vx_link *l, struct vx_flood_edit *e,
		     const struct vx_link_opt *opt, struct vx_out *out)
{
	struct vx_link_opt o = opt != NULL ? *opt : l->opt, old = l->opt;
	int ret;

	if (e->remote_gone) {
		memset(&o.remote, 0, sizeof(o.remote));
		o.set &= ~VX_OPT_REMOTE;
	}
	if (e->group_gone) {
		memset(&o.group, 0, sizeof(o.group));
		o.set &= ~VX_OPT_GROUP;
	}
	ret = vx_core_bd_publish_as(c, l, &o, e->ent, e->n);
	if (ret < 0) {
		vx_flood_edit_abort(c, e);
		return vx_err(out, ret, "link %s: %s", l->name, strerror(-ret));
	}
	memcpy(l->flood, e->ent, e->n * sizeof(e->ent[0]));
	l->n_flood = e->n;
	l->opt = o;
	vx_core_group_sync(c, &old, &o, out);
	for (unsigned int i = 0; i < e->n_put && c->dp != NULL; i++)
		vx_vtep_put(c, e->put[i]);
	free(e);
	return 0;
}

/* ---- the operations ---- */

int
vx_core_flood_del(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *dst, uint16_t port,
		  uint32_t vni, struct vx_out *out)
{
	struct vx_flood_edit *e = vx_flood_edit_begin(l);
	unsigned int n = 0;

	if (e == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	for (unsigned int i = 0; i < e->n;) {
		const struct vx_flood_ent *f = &e->ent[i];

		if (dst != NULL && !(vx_ip_eq(&f->dst, dst) && (port == 0 || f->port == port) &&
				     (vni == UINT32_MAX || f->vni == vni))) {
			i++;
			continue;
		}
		edit_remove(e, i);
		n++;
	}
	if (n == 0) {
		vx_flood_edit_abort(c, e);
		return vx_err(out, -ENOENT, "00:00:00:00:00:00 dev %s%s: no such entry", l->name,
			      dst != NULL ? " dst (given)" : "");
	}
	return vx_flood_edit_commit(c, l, e, NULL, out);
}

static void
flood_announce(struct vx_ctl *c, const struct vx_link *l, const struct vx_flood_ent *f)
{
	static const char *const streams[] = {"fdb", "fdb.json"};

	for (unsigned int i = 0; i < RTE_DIM(streams); i++) {
		struct vx_out o = {0};
		bool first = true;

		if (!vx_ctl_event_wanted(c, streams[i]))
			continue;
		vx_core_flood_format(c, &o, l, f, i == 1, &first);
		if (o.buf != NULL)
			vx_ctl_event(c, streams[i], "%s", o.buf);
		vx_out_free(&o);
	}
}

int
vx_core_flood_add(struct vx_ctl *c, struct vx_link *l, const struct vx_flood_ent *ent, bool replace,
		  struct vx_out *out)
{
	struct vx_flood_ent nf = *ent;
	int found = vx_flood_find(l, &nf.dst, nf.port, nf.vni), ret;
	struct vx_flood_edit *e;
	char a[INET6_ADDRSTRLEN];

	if (found >= 0) {
		if (replace) {
			l->flood[found].state = nf.state;
			return 0;
		}
		return vx_err(out, -EEXIST, "00:00:00:00:00:00 dev %s dst %s: exists", l->name,
			      vx_fmt_ip(&nf.dst, a, sizeof(a)));
	}
	if (!replace && l->n_flood >= VX_MAX_FLOOD)
		return vx_err(out, -ENOSPC, "dev %s: flood list full (%d)", l->name, VX_MAX_FLOOD);
	e = vx_flood_edit_begin(l);
	if (e == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	ret = vx_flood_vtep(c, l, &nf);
	if (ret < 0) {
		vx_flood_edit_abort(c, e);
		return vx_err(out, ret, "no VTEP slot (%s)", strerror(-ret));
	}
	/* As the kernel: replace changes the first destination. */
	edit_put_at(e, replace && e->n > 0 ? 0 : e->n, &nf, replace && e->n > 0);
	ret = vx_flood_edit_commit(c, l, e, NULL, out);
	if (ret < 0)
		return ret;
	if (!l->family)
		l->family = nf.dst.family;
	flood_announce(c, l, &nf);
	return 0;
}

int
vx_flood_edit_remote(struct vx_ctl *c, struct vx_link *l, struct vx_flood_edit *e,
		     const struct vx_ip *remote, bool group, struct vx_out *out)
{
	struct vx_flood_ent nf = {.dst = *remote,
				  .vni = UINT32_MAX,
				  .state = VX_ST_PERMANENT,
				  .is_remote = !group,
				  .is_group = group};
	const char *what = group ? "group" : "remote";
	int idx = -1, ret;

	for (unsigned int i = 0; i < e->n; i++)
		if (group ? e->ent[i].is_group : e->ent[i].is_remote)
			idx = i;
	if (idx < 0 && e->n >= VX_MAX_FLOOD)
		return vx_err(out, -ENOSPC, "%s: flood list full", what);
	ret = vx_flood_vtep(c, l, &nf);
	if (ret < 0)
		return vx_err(out, ret, "%s: no VTEP slot (%s)", what, strerror(-ret));
	edit_put_at(e, idx >= 0 ? idx : 0, &nf, idx >= 0);
	return 0;
}

/* The (port, group) the options listen to, when they name both. */
static bool
opt_listens(const struct vx_link_opt *o)
{
	return o != NULL && (o->set & VX_OPT_GROUP) && o->group.family != 0 && o->dev >= 0;
}

void
vx_core_group_sync(struct vx_ctl *c, const struct vx_link_opt *old, const struct vx_link_opt *new,
		   struct vx_out *out)
{
	bool was = opt_listens(old), is = opt_listens(new);
	char a[INET6_ADDRSTRLEN];

	if (was && is && old->dev == new->dev &&vx_ip_eq(&old->group, &new->group))
		return;
	/* Join first: another link's group on the same port then never leaves for a moment. */
	if (is && vx_ul_group_join(c, new->dev, &new->group) < 0)
		vx_out_printf(out, "warning: group %s not joined: %d groups joined already\n",
			      vx_fmt_ip(&new->group, a, sizeof(a)), VX_MAX_GROUPS);
	if (was)
		vx_ul_group_leave(c, old->dev, &old->group);
}

void
vx_core_flood_release(struct vx_ctl *c, struct vx_link *l)
{
	if (c->dp == NULL)
		return;
	for (unsigned int i = 0; i < l->n_flood; i++)
		vx_vtep_put(c, l->flood[i].vtep);
}
