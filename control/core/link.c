/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN links (bridge domains) added, deleted and changed, as `ip link
 * add|del|set NAME type vxlan ...` does: the model first, then the
 * dataplane (dp->bd[], vni_bd[], the ports a link names as `dev`, the
 * listening UDP ports). The command layer has validated the request
 * against the model (cli/cmd_link.c); what can still fail here is memory
 * and table slots.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bsd/string.h>
#include <rte_hash_crc.h>

#include "core/core.h"

/* Stable across restarts: the first port's MAC and the VNI, locally administered. */
static void
link_mac(struct vx_ctl *c, struct vx_link *l)
{
	uint32_t h = rte_hash_crc_4byte(l->opt.vni, 0x5678);

	for (uint16_t p = 0; p < VX_MAX_PORTS; p++)
		if (c->port[p].present) {
			h = rte_hash_crc(c->port[p].mac.addr_bytes, RTE_ETHER_ADDR_LEN, h);
			break;
		}
	l->mac.addr_bytes[0] = 0x02;
	l->mac.addr_bytes[1] = 0x76;
	memcpy(&l->mac.addr_bytes[2], &h, 4);
}

static void
vni_publish(struct vx_ctl *c, uint32_t vni, uint16_t bd)
{
	if (c->dp != NULL)
		vx_vni_bd_set(c->dp, vni, bd);
}

/* Sum of one bd's counters over every counter block. */
static void
bd_counters(const struct vx_dp *dp, uint16_t bd, struct vx_bd_stats *out)
{
	const size_t nw = sizeof(*out) / sizeof(uint64_t);
	uint64_t *o = (uint64_t *)out;

	memset(out, 0, sizeof(*out));
	if (dp == NULL || dp->stats == NULL)
		return;
	for (unsigned int w = 0; w <= VX_MAX_WORKERS; w++) {
		const volatile uint64_t *s = (const volatile uint64_t *)&dp->stats[w].bd[bd];

		for (size_t i = 0; i < nw; i++)
			o[i] += s[i];
	}
}

void
vx_core_stats_sum(struct vx_ctl *c, struct vx_lcore_stats *st)
{
	const size_t nw = sizeof(struct vx_bd_stats) / sizeof(uint64_t);

	vx_stats_sum(c->dp, st);
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		uint64_t *o = (uint64_t *)&st->bd[b];
		const uint64_t *base = (const uint64_t *)&c->core->bd_base[b];

		for (size_t i = 0; i < nw; i++)
			o[i] -= base[i];
	}
}

int
vx_core_link_add(struct vx_ctl *c, const char *name, const struct vx_link_opt *opt,
		 struct vx_out *out)
{
	struct vx_ctl_core *k = c->core;
	struct vx_flood_edit *e;
	struct vx_link *l;
	int bd, ret;

	bd = vx_core_free_bd(c);
	if (bd < 0)
		return vx_err(out, -ENOSPC, "link add %s: at most %d links", name, VX_MAX_BD - 1);
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	strlcpy(l->name, name, sizeof(l->name));
	l->bd = bd;
	l->epoch = ++k->epoch;
	l->opt = *opt;
	l->family = vx_link_opt_family(opt);
	if (opt->set & VX_OPT_ADDRESS)
		l->mac = opt->address;
	else
		link_mac(c, l);
	k->link[bd] = l;
	/* Before it is published: nothing counts on this bd until then. */
	bd_counters(c->dp, bd, &k->bd_base[bd]);
	e = vx_flood_edit_begin(l);
	if (e == NULL) {
		ret = vx_err(out, -ENOMEM, "out of memory");
		goto err_free;
	}
	if (opt->set & VX_OPT_REMOTE) {
		ret = vx_flood_edit_remote(c, l, e, &opt->remote, out);
		if (ret < 0) {
			vx_flood_edit_abort(c, e);
			goto err_free;
		}
	}
	ret = vx_flood_edit_commit(c, l, e, NULL, out);
	if (ret < 0)
		goto err_free;
	vni_publish(c, l->opt.vni, bd);
	vx_core_dstports(c);
	if (l->opt.dev >= 0)
		vx_core_port_publish(c, l->opt.dev);
	if (opt->set & VX_OPT_GROUP)
		vx_out_printf(out,
			      "warning: group stored but not used: no multicast underlay yet; "
			      "BUM frames go to the flood list (fdb append 00:00:00:00:00:00)\n");
	return 0;

err_free:
	k->link[bd] = NULL;
	free(l);
	return ret;
}

static bool
match_bd(struct vx_ctl *c, uint64_t key, uint64_t entry, void *arg)
{
	return vx_fdb_key_bd(key) == *(uint16_t *)arg;
}

/* Detach every port/VLAN of bd; returns how many attachments went. */
static uint32_t
detach_all(struct vx_ctl *c, uint16_t bd)
{
	bool ports[VX_MAX_PORTS] = {false};
	uint32_t n = 0;

	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int v = 0; v < VX_MAX_VLAN; v++)
			if (c->core->access[p][v] == bd) {
				c->core->access[p][v] = 0;
				ports[p] = true;
				n++;
			}
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		if (ports[p])
			vx_core_port_publish(c, p);
	return n;
}

void
vx_core_link_del(struct vx_ctl *c, struct vx_link *l, struct vx_out *out)
{
	uint32_t n = 0, n_static = 0, detached, n_proxy;
	uint16_t bd = l->bd;
	int dev = l->opt.dev;

	vni_publish(c, l->opt.vni, 0);
	detached = detach_all(c, bd);
	if (c->dp != NULL) {
		struct vx_bd *old = c->dp->bd[bd];

		n = vx_core_fdb_flush(c, match_bd, &bd, &n_static);
		vx_publish(c->dp->bd[bd], NULL);
		vx_retire(c->dp, old);
		vx_core_flood_release(c, l);
	}
	if (n_static || l->n_flood)
		vx_out_printf(out, "removed %u static fdb entries and %u flood entries\n", n_static,
			      l->n_flood);
	if (n > n_static)
		vx_out_printf(out, "removed %u learned fdb entries\n", n - n_static);
	if (detached)
		vx_out_printf(out, "detached %u port/VLAN attachments\n", detached);
	n_proxy = vx_proxy_flush(c, l);
	if (n_proxy != 0 || l->n_addr != 0)
		vx_out_printf(out, "removed %u overlay addresses and %u neighbour entries\n",
			      l->n_addr, n_proxy);
	c->core->link[bd] = NULL;
	free(l);
	vx_core_dstports(c);
	if (dev >= 0)
		vx_core_port_publish(c, dev);
}

int
vx_core_link_set(struct vx_ctl *c, struct vx_link *l, const struct vx_link_opt *o, uint32_t given,
		 struct vx_out *out)
{
	struct vx_flood_edit *e = vx_flood_edit_begin(l);
	int old_dev = l->opt.dev, ret;
	struct rte_ether_addr old_mac;

	if (e == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	/* The `remote` flood entry follows the option. */
	if (given & VX_OPT_REMOTE) {
		ret = vx_flood_edit_remote(c, l, e, &o->remote, out);
		if (ret < 0) {
			vx_flood_edit_abort(c, e);
			return ret;
		}
	}
	old_mac = l->mac;
	if (given & VX_OPT_ADDRESS)
		l->mac = o->address;
	ret = vx_flood_edit_commit(c, l, e, o, out);
	if (ret < 0) {
		l->mac = old_mac;
		return ret;
	}
	l->opt.set |= given & ~(VX_OPT_ID | VX_OPT_DSTPORT | VX_OPT_GROUP);
	if (vx_link_opt_family(&l->opt))
		l->family = vx_link_opt_family(&l->opt);
	if (c->dp != NULL)
		vx_vtep_rebuild_bd(c, l->bd);
	if (old_dev != l->opt.dev) {
		if (old_dev >= 0)
			vx_core_port_publish(c, old_dev);
		if (l->opt.dev >= 0)
			vx_core_port_publish(c, l->opt.dev);
	}
	return 0;
}
