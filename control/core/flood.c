/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flood lists: a link's all-zero-MAC FDB entries (`bridge fdb append
 * 00:00:00:00:00:00 dev vxlan10 dst IP`), the VTEPs every BUM frame from
 * an access port is copied to. The link's `remote` option is its first
 * entry. Each entry holds a VTEP reference; every change republishes the
 * link (dp->bd[]->flood[]).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/core.h"
#include "lib/inet.h"

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

/* Entry f goes: its VTEP reference, and the link's `remote` option when it was that. */
static void
flood_release(struct vx_ctl *c, struct vx_link *l, const struct vx_flood_ent *f)
{
	if (f->is_remote) {
		memset(&l->opt.remote, 0, sizeof(l->opt.remote));
		l->opt.set &= ~VX_OPT_REMOTE;
	}
	if (c->dp != NULL)
		vx_vtep_put(c, f->vtep);
}

static void
flood_remove(struct vx_ctl *c, struct vx_link *l, unsigned int i)
{
	struct vx_flood_ent *f = &l->flood[i];

	flood_release(c, l, f);
	memmove(f, f + 1, (l->n_flood - i - 1) * sizeof(*f));
	l->n_flood--;
}

int
vx_core_flood_del(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *dst, uint16_t port,
		  uint32_t vni, struct vx_out *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < l->n_flood;) {
		const struct vx_flood_ent *f = &l->flood[i];

		if (dst != NULL && !(vx_ip_eq(&f->dst, dst) && (port == 0 || f->port == port) &&
				     (vni == UINT32_MAX || f->vni == vni))) {
			i++;
			continue;
		}
		flood_remove(c, l, i);
		n++;
	}
	if (n == 0)
		return vx_err(out, -ENOENT, "00:00:00:00:00:00 dev %s%s: no such entry", l->name,
			      dst != NULL ? " dst (given)" : "");
	return vx_core_bd_publish(c, l);
}

static void
flood_announce(struct vx_ctl *c, const struct vx_link *l, const struct vx_flood_ent *f)
{
	struct vx_out o = {0};
	bool first = true;

	if (!vx_ctl_event_wanted(c, "fdb"))
		return;
	vx_core_flood_format(&o, l, f, false, &first);
	if (o.buf != NULL)
		vx_ctl_event(c, "fdb", "%s", o.buf);
	vx_out_free(&o);
}

int
vx_core_flood_add(struct vx_ctl *c, struct vx_link *l, const struct vx_flood_ent *ent, bool replace,
		  struct vx_out *out)
{
	struct vx_flood_ent nf = *ent;
	int found = vx_flood_find(l, &nf.dst, nf.port, nf.vni), ret;
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
	ret = vx_flood_vtep(c, l, &nf);
	if (ret < 0)
		return vx_err(out, ret, "no VTEP slot (%s)", strerror(-ret));
	if (replace && l->n_flood > 0) {
		/* As the kernel: replace changes the first destination. */
		flood_release(c, l, &l->flood[0]);
		l->flood[0] = nf;
	} else {
		l->flood[l->n_flood++] = nf;
	}
	if (!l->family)
		l->family = nf.dst.family;
	flood_announce(c, l, &nf);
	return vx_core_bd_publish(c, l);
}

int
vx_core_flood_set_remote(struct vx_ctl *c, struct vx_link *l, const struct vx_ip *remote,
			 struct vx_out *out)
{
	struct vx_flood_ent nf = {
		.dst = *remote, .vni = UINT32_MAX, .state = VX_ST_PERMANENT, .is_remote = true};
	int idx = -1, ret;

	for (unsigned int i = 0; i < l->n_flood; i++)
		if (l->flood[i].is_remote)
			idx = i;
	if (idx < 0 && l->n_flood >= VX_MAX_FLOOD)
		return vx_err(out, -ENOSPC, "remote: flood list full");
	ret = vx_flood_vtep(c, l, &nf);
	if (ret < 0)
		return vx_err(out, ret, "remote: no VTEP slot (%s)", strerror(-ret));
	if (idx >= 0) {
		if (c->dp != NULL)
			vx_vtep_put(c, l->flood[idx].vtep);
		l->flood[idx] = nf;
	} else {
		memmove(&l->flood[1], &l->flood[0], l->n_flood * sizeof(l->flood[0]));
		l->flood[0] = nf;
		l->n_flood++;
	}
	return 0;
}

void
vx_core_flood_release(struct vx_ctl *c, struct vx_link *l)
{
	if (c->dp == NULL)
		return;
	for (unsigned int i = 0; i < l->n_flood; i++)
		vx_vtep_put(c, l->flood[i].vtep);
}
