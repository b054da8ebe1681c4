/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VTEP objects: one per (bd, remote address, UDP destination port, VNI),
 * shared by every FDB entry and flood-list entry that sends there, counted
 * by references. The control side (struct vx_vtep_ctl) is the key and the
 * count; the published side (dp->vtep[idx]) is the encap template that the
 * underlay fills (vx_ul_vtep_resolve), built again when the link's
 * options change (vx_vtep_rebuild_bd) or its next hop does
 * (vx_vtep_rebuild_nexthop, the underlay's hook).
 *
 * A VTEP whose last reference goes is unpublished at once, but its index
 * is reused and its memory freed only after a grace period
 * (vx_vtep_flush_retired, one grace period for a batch).
 *
 * A published header holds a reference on its next hop in the underlay's
 * neighbour table (given back when the header is replaced or unpublished),
 * so next hops go with their VTEPs. A VTEP learned from traffic is
 * resolved lazily: anyone can write an outer source address, so no
 * neighbour entry is created or probed for it until a frame is sent to it
 * (the underlay then calls vx_vtep_wanted).
 */

#include <errno.h>
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "core/core.h"
#include "underlay/underlay.h"

static uint32_t
vtep_hash(uint16_t bd, const struct vx_ip *ip, uint16_t dstport, uint32_t vni)
{
	uint64_t a[2] = {0, 0}; /* aligned copy: rte_hash_crc reads 8 bytes at a time */
	uint32_t h;

	memcpy(a, ip->bytes, ip->family == AF_INET ? 4 : 16);
	h = rte_hash_crc(a, ip->family == AF_INET ? 4 : 16, bd);

	h = rte_hash_crc_4byte(vni, h);
	h = rte_hash_crc_4byte(dstport, h);
	return h % VX_VTEP_HASH;
}

static void
fill_opt(struct vx_ctl *c, const struct vx_link *l, struct vx_encap_opt *eo)
{
	memset(eo, 0, sizeof(*eo));
	eo->ttl = l->opt.ttl == VX_TTL_INHERIT ? VX_DEFAULT_TTL : l->opt.ttl;
	eo->tos = l->opt.tos == VX_TOS_INHERIT ? 0 : l->opt.tos;
	eo->df = l->opt.df == VX_DF_SET;
	eo->udpcsum = (l->opt.flags & VX_BD_UDPCSUM) != 0;
	eo->udp6zerocsumtx = (l->opt.flags & VX_BD_UDP6ZCSUM_TX) != 0;
}

/* Build and publish dp->vtep[idx] from the model; the old object goes to *oldp. */
static int
vtep_publish(struct vx_ctl *c, uint32_t idx, struct vx_vtep **oldp)
{
	struct vx_vtep_ctl *v = &c->core->vtep[idx];
	struct vx_link *l = vx_link_by_bd(c, v->bd);
	struct vx_encap_opt eo;
	struct vx_vtep *vt, *old;

	if (l == NULL)
		return -ENODEV;
	vt = rte_zmalloc("vx_vtep", sizeof(*vt), RTE_CACHE_LINE_SIZE);
	if (vt == NULL)
		return -ENOMEM;
	vt->idx = idx;
	vt->bd = v->bd;
	vt->dstport = v->dstport;
	vt->vni = v->vni;
	vt->remote = v->remote;
	vt->local = l->opt.local;
	vt->srcport_min = l->opt.srcport_min;
	vt->srcport_max = l->opt.srcport_max;
	if (vt->srcport_min >= vt->srcport_max) {
		/* The kernel's udp_flow_src_port: MIN >= MAX (`srcport 0 0`) is the default range. */
		vt->srcport_min = VX_SRCPORT_MIN;
		vt->srcport_max = VX_SRCPORT_MAX;
	}
	vt->port = l->opt.dev >= 0 ? l->opt.dev : UINT16_MAX;
	vt->mtu = l->opt.dev >= 0 && c->port[l->opt.dev].mtu ? c->port[l->opt.dev].mtu
							     : RTE_ETHER_MTU;
	vt->neigh = UINT32_MAX;
	if (v->remote.family == AF_INET6)
		vt->flags |= VX_VTEP_IPV6;
	fill_opt(c, l, &eo);
	/* -ENETUNREACH leaves the VTEP unresolved: the dataplane counts NO_ROUTE. */
	vx_ul_vtep_resolve(c, vt, &eo, v->lazy);
	v->neigh = vt->neigh;
	old = c->dp->vtep[idx];
	vx_publish(c->dp->vtep[idx], vt);
	/* The new header holds its next hop: the old one's reference goes. */
	vx_ul_vtep_release(c, old);
	*oldp = old;
	return 0;
}

/* Republish a set of VTEPs with one grace period for all the old objects. */
static void
vtep_republish(struct vx_ctl *c, bool (*want)(struct vx_ctl *, uint32_t, uintptr_t), uintptr_t arg)
{
	struct vx_vtep *old[256];
	unsigned int n = 0;

	for (uint32_t i = 1; i < VX_MAX_VTEP; i++) {
		if (!c->core->vtep[i].used || !want(c, i, arg))
			continue;
		if (vtep_publish(c, i, &old[n]) == 0 && old[n] != NULL)
			n++;
		if (n == RTE_DIM(old)) {
			vx_retire(c->dp, NULL);
			for (unsigned int j = 0; j < n; j++)
				rte_free(old[j]);
			n = 0;
		}
	}
	if (n == 0)
		return;
	vx_retire(c->dp, NULL);
	for (unsigned int j = 0; j < n; j++)
		rte_free(old[j]);
}

int
vx_vtep_get(struct vx_ctl *c, uint16_t bd, const struct vx_ip *remote, uint16_t dstport,
	    uint32_t vni, bool learned)
{
	struct vx_ctl_core *k = c->core;
	uint32_t h = vtep_hash(bd, remote, dstport, vni), idx;
	struct vx_vtep_ctl *v;
	int ret;

	for (idx = k->vtep_head[h]; idx != 0; idx = k->vtep[idx].next) {
		v = &k->vtep[idx];
		if (v->bd == bd && v->dstport == dstport && v->vni == vni &&
		    vx_ip_eq(&v->remote, remote)) {
			v->refs++;
			return idx;
		}
	}
	/* Free slot: not used and not waiting for a grace period (refs == 0, used == false). */
	for (uint32_t n = 1; n < VX_MAX_VTEP; n++) {
		idx = (k->vtep_hint + n - 1) % (VX_MAX_VTEP - 1) + 1;
		if (!k->vtep[idx].used && k->vtep[idx].refs == 0)
			break;
		idx = VX_MAX_VTEP;
	}
	if (idx == VX_MAX_VTEP)
		return -ENOSPC;
	k->vtep_hint = idx;
	v = &k->vtep[idx];
	memset(v, 0, sizeof(*v));
	v->used = true;
	v->refs = 1;
	v->bd = bd;
	v->dstport = dstport;
	v->vni = vni;
	v->remote = *remote;
	v->lazy = learned;
	if (c->dp != NULL) {
		struct vx_vtep *old = NULL;

		ret = vtep_publish(c, idx, &old);
		if (old != NULL)
			vx_retire(c->dp, old);
		if (ret < 0) {
			v->used = false;
			v->refs = 0;
			return ret;
		}
	}
	v->next = k->vtep_head[h];
	k->vtep_head[h] = idx;
	k->n_vtep++;
	return idx;
}

void
vx_vtep_put(struct vx_ctl *c, uint32_t idx)
{
	struct vx_ctl_core *k = c->core;
	struct vx_vtep_ctl *v;
	uint32_t h, *pp;

	if (idx == 0 || idx >= VX_MAX_VTEP || !k->vtep[idx].used)
		return;
	v = &k->vtep[idx];
	if (--v->refs > 0)
		return;
	h = vtep_hash(v->bd, &v->remote, v->dstport, v->vni);
	for (pp = &k->vtep_head[h]; *pp != 0; pp = &k->vtep[*pp].next)
		if (*pp == idx) {
			*pp = v->next;
			break;
		}
	v->used = false;
	k->n_vtep--;
	if (c->dp == NULL)
		return;
	/* Unpublish now; free and reuse the index after a grace period. */
	if (k->n_retire == RTE_DIM(k->retire))
		vx_vtep_flush_retired(c);
	v->refs = 1; /* reserved until flushed */
	k->retire_vt[k->n_retire] = c->dp->vtep[idx];
	k->retire[k->n_retire++] = idx;
	__atomic_store_n(&c->dp->vtep[idx], NULL, __ATOMIC_RELEASE);
	vx_ul_vtep_release(c, k->retire_vt[k->n_retire - 1]);
}

void
vx_vtep_flush_retired(struct vx_ctl *c)
{
	struct vx_ctl_core *k = c->core;
	uint32_t n = k->n_retire;

	if (n == 0 || c->dp == NULL)
		return;
	vx_retire(c->dp, NULL);
	for (uint32_t i = 0; i < n; i++) {
		k->vtep[k->retire[i]].refs = 0;
		rte_free(k->retire_vt[i]);
		k->retire_vt[i] = NULL;
	}
	k->n_retire = 0;
}

static bool
want_bd(struct vx_ctl *c, uint32_t i, uintptr_t bd)
{
	return c->core->vtep[i].bd == bd;
}

void
vx_vtep_rebuild_bd(struct vx_ctl *c, uint16_t bd)
{
	if (c->dp != NULL)
		vtep_republish(c, want_bd, bd);
}

/*
 * The VTEPs of that neighbour; with UINT32_MAX (routes or addresses
 * changed: any VTEP may be served differently), all of them.
 */
static bool
want_neigh(struct vx_ctl *c, uint32_t i, uintptr_t neigh)
{
	return neigh == UINT32_MAX || c->core->vtep[i].neigh == neigh || c->dp->vtep[i] == NULL;
}

void
vx_vtep_rebuild_nexthop(struct vx_ctl *c, uint32_t neigh)
{
	if (c->core == NULL || c->dp == NULL)
		return;
	vtep_republish(c, want_neigh, neigh);
}

void
vx_vtep_wanted(struct vx_ctl *c, uint32_t idx)
{
	struct vx_vtep *old = NULL;

	if (c->core == NULL || c->dp == NULL || idx == 0 || idx >= VX_MAX_VTEP ||
	    !c->core->vtep[idx].used)
		return;
	c->core->vtep[idx].lazy = false;
	if (vtep_publish(c, idx, &old) == 0 && old != NULL)
		vx_retire(c->dp, old);
}
