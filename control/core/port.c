/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports as bridge ports of links (`link set dev PORT master LINK [vlan
 * VID]`, `nomaster`), their names and their MTUs. An attachment maps
 * (port, VID) to a link's bridge domain in the port's access map
 * (dp->port[]->vlan_bd[]); detaching one removes the port's local FDB
 * entries on that link, as a kernel bridge flushes a port that leaves.
 */

#include <errno.h>
#include <string.h>

#include <bsd/string.h>
#include <rte_ethdev.h>

#include "core/core.h"

void
vx_core_port_attach(struct vx_ctl *c, uint16_t port, uint16_t vid, struct vx_link *l)
{
	c->core->access[port][vid] = l->bd;
	vx_core_bd_publish(c, l);
	vx_core_port_publish(c, port);
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

void
vx_core_port_detach(struct vx_ctl *c, uint16_t port, int vlan, struct vx_out *out)
{
	bool bds[VX_MAX_BD] = {false};
	uint32_t n_static = 0;

	for (unsigned int v = 0; v < VX_MAX_VLAN; v++) {
		uint16_t bd = c->core->access[port][v];

		if (bd == 0 || (vlan >= 0 && (int)v != vlan))
			continue;
		c->core->access[port][v] = 0;
		bds[bd] = true;
		if (c->dp != NULL) {
			struct port_match m = {.port = port, .bd = bd, .vlan = v};

			vx_core_fdb_flush(c, match_port, &m, &n_static);
		}
	}
	vx_core_port_publish(c, port);
	/* A new epoch: requests in flight would re-learn what the detach flushed. */
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (bds[b] && c->core->link[b] != NULL)
			vx_core_link_new_epoch(c, c->core->link[b]);
	if (n_static)
		vx_out_printf(out, "removed %u static fdb entries\n", n_static);
}

void
vx_core_port_rename(struct vx_ctl *c, uint16_t port, const char *name)
{
	strlcpy(c->port[port].name, name, sizeof(c->port[port].name));
	vx_core_port_publish(c, port);
}

void
vx_core_link_rename(struct vx_ctl *c, struct vx_link *l, const char *name)
{
	strlcpy(l->name, name, sizeof(l->name));
}

int
vx_core_port_mtu(struct vx_ctl *c, uint16_t port, uint16_t mtu, struct vx_out *out)
{
	int ret;

	if (c->dp != NULL && rte_eth_dev_is_valid_port(c->port[port].port_id)) {
		ret = rte_eth_dev_set_mtu(c->port[port].port_id, mtu);
		if (ret < 0 && ret != -ENOTSUP)
			return vx_err(out, ret, "mtu %u: port %s refused it (%s)", mtu,
				      c->port[port].name, strerror(-ret));
	}
	c->port[port].mtu = mtu;
	vx_core_port_publish(c, port);
	if (c->dp != NULL)
		vx_vtep_rebuild_nexthop(c, UINT32_MAX);
	return 0;
}
