/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * link add/del/set/show: VXLAN links (bridge domains), port attachments,
 * port names and MTUs. Words, defaults and meanings of `ip link ... type
 * vxlan`, except dstport, whose default is the IANA port 4789 (RFC 7348)
 * where the kernel uses 8472 when none is given.
 *
 * Each command: parse (words -> struct link_req, no model access),
 * validate (against the model), then the core's operation (core/link.c,
 * core/port.c). `link show` is cmd_link_show.c.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "lib/log.h"
#include "underlay/underlay.h"

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

/* ---- parse: the verbs ---- */

/* The options of one link add must agree with each other. */
static int
check_add_opts(const struct vx_link_opt *o, const char *name, struct vx_out *out)
{
	if (!(o->set & VX_OPT_ID))
		return vx_err(out, -EINVAL, "link add %s: missing \"id VNI\"", name);
	if ((o->set & VX_OPT_LOCAL) && (o->set & VX_OPT_REMOTE) &&
	    o->local.family != o->remote.family)
		return vx_err(out, -EINVAL, "remote %s does not match local %s",
			      vx_family_name(o->remote.family), vx_family_name(o->local.family));
	if ((o->set & VX_OPT_REMOTE) && (o->set & VX_OPT_GROUP))
		return vx_err(out, -EINVAL, "remote and group are exclusive");
	if ((o->set & VX_OPT_LOCAL) && (o->set & VX_OPT_GROUP) &&
	    o->local.family != o->group.family)
		return vx_err(out, -EINVAL, "group %s does not match local %s",
			      vx_family_name(o->group.family), vx_family_name(o->local.family));
	/* As iproute2: the port that joins the group must be named. */
	if ((o->set & VX_OPT_GROUP) && !(o->set & VX_OPT_DEV))
		return vx_err(out, -EINVAL, "group requires dev (the port that joins it)");
	return 0;
}

static int
parse_add(int argc, char **argv, struct link_req *r, struct vx_out *out)
{
	int i = 2;

	r->op = LK_ADD;
	if (i < argc && strcmp(argv[i], "name") == 0)
		i++;
	if (i >= argc)
		return vx_err(out, -EINVAL, "link add: missing NAME");
	r->name = argv[i++];
	if (vx_parse_name(r->name) < 0)
		return vx_err(out, -EINVAL,
			      "link add: bad name \"%s\" (1..%d of A-Z a-z 0-9 _ - . :)", r->name,
			      VX_NAME_LEN - 1);
	/* iproute2's words of any link before `type`: address MAC, up. */
	while (i < argc && (strcmp(argv[i], "address") == 0 || strcmp(argv[i], "up") == 0)) {
		int n = argv[i][0] == 'a' ? 2 : 1;

		if (vx_cli_link_opts(RTE_MIN(argc, i + n), argv, i, true, &r->opt, &r->dev, out) <
		    0)
			return -EINVAL;
		i += n;
	}
	if (i >= argc || strcmp(argv[i], "type") != 0)
		return vx_err(out, -EINVAL, "link add %s: missing \"type vxlan\"", r->name);
	if (i + 1 >= argc)
		return vx_err(out, -EINVAL, "missing value after \"type\"");
	if (strcmp(argv[i + 1], "vxlan") != 0)
		return vx_err(out, -EINVAL, "type \"%s\": only vxlan links exist", argv[i + 1]);
	if (vx_cli_link_opts(argc, argv, i + 2, true, &r->opt, &r->dev, out) < 0)
		return -EINVAL;
	return check_add_opts(&r->opt, r->name, out);
}

static int
parse_del(int argc, char **argv, struct link_req *r, struct vx_out *out)
{
	int i = 2;

	r->op = LK_DEL;
	if (i < argc && strcmp(argv[i], "dev") == 0)
		i++;
	if (i >= argc)
		return vx_err(out, -EINVAL, "link del: missing NAME");
	r->name = argv[i++];
	if (i + 1 < argc && strcmp(argv[i], "type") == 0 && strcmp(argv[i + 1], "vxlan") == 0)
		i += 2;
	if (i < argc)
		return vx_err(out, -EINVAL, "link del: unexpected \"%s\"", argv[i]);
	return 0;
}

static int
parse_show(int argc, char **argv, struct link_req *r, struct vx_out *out)
{
	int i = 2;

	r->op = LK_SHOW;
	if (i + 1 < argc && strcmp(argv[i], "type") == 0 && strcmp(argv[i + 1], "vxlan") == 0) {
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

/* master LINK / nomaster, then [vlan VID]: rest[j..] are the words after them. */
static int
parse_set_vlan(int nrest, char **rest, int j, struct link_req *r, struct vx_out *out)
{
	uint32_t vid;

	if (j < nrest) {
		if (strcmp(rest[j], "vlan") != 0)
			return vx_err(out, -EINVAL, "unexpected \"%s\" (vlan VID?)", rest[j]);
		if (j + 1 >= nrest)
			return vx_err(out, -EINVAL, "missing value after \"vlan\"");
		if (vx_parse_u32(rest[j + 1], 1, 4094, &vid) < 0)
			return vx_err(out, -EINVAL, "vlan \"%s\": must be 1..4094", rest[j + 1]);
		r->vlan = vid;
		j += 2;
	}
	if (j < nrest)
		return vx_err(out, -EINVAL, "unexpected \"%s\"", rest[j]);
	return 0;
}

/* What `link set dev NAME` does, from the words after the object (rest[0..nrest)). */
static int
parse_set_rest(int nrest, char **rest, struct link_req *r, struct vx_out *out)
{
	if (nrest == 0)
		return 0; /* up/down only */
	if (strcmp(rest[0], "master") == 0) {
		r->op = LK_PORT_MASTER;
		if (nrest < 2)
			return vx_err(out, -EINVAL, "missing value after \"master\"");
		r->master = rest[1];
		return parse_set_vlan(nrest, rest, 2, r, out);
	}
	if (strcmp(rest[0], "nomaster") == 0) {
		r->op = LK_PORT_NOMASTER;
		return parse_set_vlan(nrest, rest, 1, r, out);
	}
	if (strcmp(rest[0], "name") == 0) {
		r->op = LK_RENAME;
		if (nrest != 2)
			return vx_err(out, -EINVAL,
				      nrest < 2 ? "missing value after \"name\""
						: "link set name: one NEWNAME");
		r->newname = rest[1];
		if (vx_parse_name(r->newname) < 0)
			return vx_err(out, -EINVAL, "name \"%s\": bad name", r->newname);
		return 0;
	}
	if (strcmp(rest[0], "mtu") == 0) {
		r->op = LK_MTU;
		if (nrest != 2)
			return vx_err(out, -EINVAL, "missing value after \"mtu\"");
		if (vx_parse_u32(rest[1], RTE_ETHER_MIN_MTU, 9600, &r->mtu) < 0)
			return vx_err(out, -EINVAL, "mtu \"%s\": must be %u..9600", rest[1],
				      RTE_ETHER_MIN_MTU);
		return 0;
	}
	r->op = LK_SET;
	return vx_cli_link_opts(nrest, rest, 0, false, &r->opt, &r->dev, out) < 0 ? -EINVAL : 0;
}

/* link set: the object after "dev", else the first word that is not up/down. */
static int
parse_set(int argc, char **argv, struct link_req *r, struct vx_out *out)
{
	char *rest[VX_CLI_MAX_WORDS];
	int obj = -1, nrest = 0;

	r->op = LK_NOP;
	for (int j = 2; j < argc && nrest < (int)RTE_DIM(rest); j++) {
		if (obj < 0 && strcmp(argv[j], "dev") == 0 && j + 1 < argc) {
			obj = ++j;
			continue;
		}
		if (strcmp(argv[j], "up") == 0 || strcmp(argv[j], "down") == 0)
			continue;
		if (obj < 0)
			obj = j;
		else
			rest[nrest++] = argv[j];
	}
	if (obj < 0)
		return vx_err(out, -EINVAL, "link set: missing dev NAME");
	r->name = argv[obj];
	return parse_set_rest(nrest, rest, r, out);
}

/* Parse `link ...` into r. Pure: no model access. */
static int
link_parse(int argc, char **argv, struct link_req *r, struct vx_out *out)
{
	const char *verb;

	memset(r, 0, sizeof(*r));
	r->vlan = -1;
	vx_link_opt_default(&r->opt);
	if (argc < 2) {
		r->op = LK_SHOW;
		return 0;
	}
	verb = argv[1];
	if (strcmp(verb, "add") == 0)
		return parse_add(argc, argv, r, out);
	if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		return parse_del(argc, argv, r, out);
	if (strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0 || strcmp(verb, "ls") == 0)
		return parse_show(argc, argv, r, out);
	if (strcmp(verb, "set") == 0 || strcmp(verb, "change") == 0)
		return parse_set(argc, argv, r, out);
	return vx_err(out, -EINVAL, "link: unknown command \"%s\" (add, del, set, show)", verb);
}

/* ---- validate and apply ---- */

static int
link_add(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	uint16_t ports[VX_MAX_DSTPORTS * 2];
	struct vx_link *l;
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
		if (vx_core_port_is_access(c, r->opt.dev))
			return vx_err(out, -EBUSY, "dev %s: is an access port (attached to a link)",
				      r->dev);
	}
	if (vx_core_dstports_of(c, ports, &r->opt) > VX_MAX_DSTPORTS)
		return vx_err(out, -ENOSPC, "dstport %u: at most %d distinct destination ports",
			      r->opt.dstport, VX_MAX_DSTPORTS);
	if (r->opt.set & VX_OPT_GROUP) {
		if (!vx_ul_group_room(c, r->opt.dev, &r->opt.group))
			return vx_err(out, -ENOSPC, "group: at most %d groups joined",
				      VX_MAX_GROUPS);
		/* The kernel's default: `ttl auto`, which sends TTL 1 to a group. */
		if (!(r->opt.set & VX_OPT_TTL))
			r->opt.ttl = VX_TTL_INHERIT;
	}
	ret = vx_core_link_add(c, r->name, &r->opt, out);
	if (ret == 0)
		VX_LOG(NOTICE, "link %s added (vni %u)", r->name, r->opt.vni);
	return ret;
}

static int
link_del(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	struct vx_link *l = vx_link_find(c, r->name);

	if (l == NULL) {
		if (vx_port_index(c, r->name) >= 0)
			return vx_err(out, -EINVAL, "%s is a port; only links can be deleted",
				      r->name);
		return vx_err(out, -ENODEV, "link %s: no such link", r->name);
	}
	VX_LOG(NOTICE, "link %s deleted (vni %u)", l->name, l->opt.vni);
	vx_core_link_del(c, l, out);
	return 0;
}

/* A new local or remote must not change the family of a link that has entries of its own. */
static int
check_set_family(const struct vx_link *l, const struct vx_link_opt *o, uint32_t s,
		 struct vx_out *out)
{
	const struct vx_ip *ip = (s & VX_OPT_LOCAL) ? &o->local : &o->remote;
	bool other_flood = false;

	if (!l->family || !(s & (VX_OPT_LOCAL | VX_OPT_REMOTE)))
		return 0;
	for (unsigned int i = 0; i < l->n_flood; i++)
		other_flood |= !l->flood[i].is_remote;
	if (ip->family != l->family && (other_flood || l->n_static))
		return vx_err(out, -EINVAL, "%s is %s but link %s has %s entries",
			      (s & VX_OPT_LOCAL) ? "local" : "remote", vx_family_name(ip->family),
			      l->name, vx_family_name(l->family));
	return 0;
}

/* o = l's options with those of r that were given; refuses what cannot change. */
static int
merge_opts(struct vx_ctl *c, const struct vx_link *l, struct link_req *r, struct vx_link_opt *o,
	   struct vx_out *out)
{
	uint32_t s = r->opt.set;

	if ((s & VX_OPT_ID) && r->opt.vni != l->opt.vni)
		return vx_err(out, -EOPNOTSUPP, "id: cannot change the VNI of a link");
	if ((s & VX_OPT_DSTPORT) && r->opt.dstport != l->opt.dstport)
		return vx_err(out, -EOPNOTSUPP, "dstport: cannot change the port of a link");
	if ((s & VX_OPT_GROUP) && !vx_ip_eq(&r->opt.group, &l->opt.group))
		return vx_err(out, -EOPNOTSUPP, "group: cannot change the group of a link");
	if (s & VX_OPT_DEV) {
		r->opt.dev = vx_port_index(c, r->dev);
		if (r->opt.dev < 0)
			return vx_err(out, -ENODEV, "dev %s: no such port", r->dev);
		if (vx_core_port_is_access(c, r->opt.dev))
			return vx_err(out, -EBUSY, "dev %s: is an access port", r->dev);
	}
	vx_cli_link_opts_merge(&l->opt, &r->opt, o);
	return 0;
}

static int
link_set(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	struct vx_link *l = vx_link_find(c, r->name);
	uint32_t s = r->opt.set;
	struct vx_link_opt o;
	int ret;

	if (l == NULL)
		return vx_err(out, -ENODEV, "link %s: no such link", r->name);
	ret = merge_opts(c, l, r, &o, out);
	if (ret < 0)
		return ret;
	ret = check_set_family(l, &o, s, out);
	if (ret < 0)
		return ret;
	if ((s & VX_OPT_LOCAL) && o.remote.family && o.local.family != o.remote.family)
		return vx_err(out, -EINVAL, "local %s does not match remote %s",
			      vx_family_name(o.local.family), vx_family_name(o.remote.family));
	if ((s & VX_OPT_REMOTE) && o.local.family && o.local.family != o.remote.family)
		return vx_err(out, -EINVAL, "remote %s does not match local %s",
			      vx_family_name(o.remote.family), vx_family_name(o.local.family));
	if ((s & VX_OPT_REMOTE) && o.group.family)
		return vx_err(out, -EINVAL, "remote and group are exclusive");
	if ((s & VX_OPT_LOCAL) && o.group.family && o.local.family != o.group.family)
		return vx_err(out, -EINVAL, "local %s does not match group %s",
			      vx_family_name(o.local.family), vx_family_name(o.group.family));
	if ((s & VX_OPT_DEV) && o.group.family && o.dev != l->opt.dev &&
	    !vx_ul_group_room(c, o.dev, &o.group))
		return vx_err(out, -ENOSPC, "group: at most %d groups joined", VX_MAX_GROUPS);
	return vx_core_link_set(c, l, &o, s, out);
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
	/*
	 * A port may carry both roles on different VLANs: the workers take a
	 * frame on the port's underlay VLAN for the underlay unless that VLAN
	 * is attached to a link. Only that VLAN is refused here, as `addr add`
	 * refuses a VLAN attached to a link, whichever comes first.
	 */
	if (vx_core_port_is_underlay(c, p)) {
		uint16_t fl = 0, uvlan = 0;

		vx_ul_port_role(c, p, &fl, &uvlan);
		if (uvlan == vid)
			return vx_err(out, -EBUSY, "dev %s%s%.0u: is the port's underlay", r->name,
				      vid ? " vlan " : "", vid);
	}
	cur = c->core->access[p][vid];
	if (cur == l->bd)
		return 0;
	if (cur != 0)
		return vx_err(out, -EBUSY, "dev %s%s%.0u is attached to %s; nomaster first",
			      r->name, vid ? " vlan " : "", vid, c->core->link[cur]->name);
	if (vx_core_bd_members(c, l->bd) >= VX_MAX_PORTS * 4)
		return vx_err(out, -ENOSPC, "master %s: at most %d members", l->name,
			      VX_MAX_PORTS * 4);
	vx_core_port_attach(c, p, vid, l);
	return 0;
}

static int
port_nomaster(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);

	if (p < 0)
		return vx_err(out, -ENODEV, "dev %s: no such port", r->name);
	if (r->vlan >= 0 && c->core->access[p][r->vlan] == 0)
		return vx_err(out, -ENOENT, "dev %s vlan %d: not attached", r->name, r->vlan);
	vx_core_port_detach(c, p, r->vlan, out);
	return 0;
}

static int
port_rename(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);
	struct vx_link *l;

	if (strcmp(r->name, r->newname) == 0)
		return 0;
	/* Renaming a port back to its own DPDK device name is allowed. */
	if (vx_core_name_taken(c, r->newname) &&
	    !(p >= 0 && strcmp(c->port[p].dev_name, r->newname) == 0 &&
	      vx_port_index(c, r->newname) == p))
		return vx_err(out, -EEXIST, "name %s: already used", r->newname);
	if (p >= 0) {
		vx_core_port_rename(c, p, r->newname);
		return 0;
	}
	l = vx_link_find(c, r->name);
	if (l == NULL)
		return vx_err(out, -ENODEV, "dev %s: no such port or link", r->name);
	vx_core_link_rename(c, l, r->newname);
	return 0;
}

static int
port_mtu(struct vx_ctl *c, struct link_req *r, struct vx_out *out)
{
	int p = vx_port_index(c, r->name);

	if (p < 0) {
		if (vx_link_find(c, r->name) != NULL)
			return vx_err(out, -EOPNOTSUPP,
				      "mtu of link %s follows its underlay port; set the port's",
				      r->name);
		return vx_err(out, -ENODEV, "dev %s: no such port", r->name);
	}
	return vx_core_port_mtu(c, p, r->mtu, out);
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
		return vx_cli_link_show(c, r.name, r.links_only, flags, out);
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
