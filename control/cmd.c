/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command dispatcher: one line of words -> its family (link, fdb,
 * addr, route, neigh, stats, show, save, help), the core's lifecycle and
 * poll entry, and weak stand-ins for seams that other files provide (so a
 * test binary links without them).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/string.h>

#include <rte_malloc.h>

#include "core.h"

/* ---- weak defaults for seams owned by other files ---- */

__attribute__((weak)) int
vx_cmd_addr(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	return vx_err(out, -ENOTSUP, "addr: the underlay commands are not built in");
}

__attribute__((weak)) int
vx_cmd_route(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	return vx_err(out, -ENOTSUP, "route: the underlay commands are not built in");
}

__attribute__((weak)) int
vx_cmd_neigh(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	return vx_err(out, -ENOTSUP, "neigh: the underlay commands are not built in");
}

__attribute__((weak)) int
vx_ul_vtep_resolve(struct vx_ctl *c, struct vx_vtep *vt, const struct vx_encap_opt *opt)
{
	/* No underlay: the VTEP stays unresolved (the dataplane drops NO_ROUTE / queues). */
	return -ENETUNREACH;
}

__attribute__((weak)) bool
vx_ul_is_local(struct vx_ctl *c, const struct vx_ip *ip)
{
	return false;
}

__attribute__((weak)) void
vx_ul_set_dstports(struct vx_ctl *c, const uint16_t *ports, uint16_t n)
{
	/* Without the underlay part, publish the list into dp->local ourselves. */
	struct vx_local *nl, *old;

	if (c->dp == NULL || c->dp->local == NULL)
		return;
	old = c->dp->local;
	nl = rte_zmalloc("vx_local", sizeof(*nl), RTE_CACHE_LINE_SIZE);
	if (nl == NULL)
		return;
	*nl = *old;
	nl->n_dstport = n;
	memcpy(nl->dstport, ports, n * sizeof(ports[0]));
	vx_publish(c->dp->local, nl);
	vx_retire(c->dp, old);
}

__attribute__((weak)) void
vx_ul_save(struct vx_ctl *c, struct vx_out *o)
{
}

__attribute__((weak)) void
vx_ul_port_role(struct vx_ctl *c, uint16_t port, uint16_t *flags, uint16_t *underlay_vlan)
{
	*flags = 0;
	*underlay_vlan = 0;
}

__attribute__((weak)) void
vx_ctl_event(struct vx_ctl *c, const char *stream, const char *fmt, ...)
{
}

__attribute__((weak)) struct vx_ctl_port *
vx_ctl_port_find(struct vx_ctl *c, const char *name)
{
	for (unsigned int i = 0; i < VX_MAX_PORTS; i++) {
		struct vx_ctl_port *p = &c->port[i];

		if (p->present && (strcmp(p->name, name) == 0 || strcmp(p->dev_name, name) == 0))
			return p;
	}
	return NULL;
}

/* ---- splitting and dispatch ---- */

int
vx_cmd_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return argc;
}

static const struct {
	const char *word;
	const char *usage;
} help_text[] = {
	{"link",
	 "link add NAME type vxlan id VNI [dstport PORT] [local IP] [remote IP] [group IP]\n"
	 "         [dev PORT] [ttl N|inherit] [tos N|inherit] [df set|unset|inherit]\n"
	 "         [srcport MIN MAX] [learning|nolearning] [proxy|noproxy] [ageing SECONDS]\n"
	 "         [maxaddress N] [udpcsum|noudpcsum] [udp6zerocsumtx|noudp6zerocsumtx]\n"
	 "         [udp6zerocsumrx|noudp6zerocsumrx] [l2miss|nol2miss] [l3miss|nol3miss]\n"
	 "link del [dev] NAME\n"
	 "link set [dev] NAME OPTIONS (as link add, except id, dstport, group)\n"
	 "link set dev PORT master NAME [vlan VID]\n"
	 "link set dev PORT nomaster [vlan VID]\n"
	 "link set dev PORT name NEWNAME\n"
	 "link set dev PORT mtu N\n"
	 "link set dev NAME up|down (accepted, no effect)\n"
	 "link show [[dev] NAME]\n"},
	{"fdb", "fdb add|append|replace MAC dev LINK dst IP [port N] [vni VNI] [self]\n"
		"    [static|dynamic|permanent]\n"
		"fdb add|replace MAC dev PORT master [vlan VID] [static|dynamic|permanent]\n"
		"fdb del MAC dev LINK [dst IP] | fdb del MAC dev PORT master [vlan VID]\n"
		"fdb show [dev NAME] [vni VNI]\n"
		"fdb flush dev NAME [dynamic|static]\n"
		"  MAC 00:00:00:00:00:00 with append: a flood-list entry (several allowed)\n"},
	{"addr", "addr add|del PREFIX dev PORT [vlan VID]; addr add|del PREFIX dev LINK "
		 "(overlay address); addr show [dev PORT|LINK]\n"},
	{"route", "route add|del PREFIX via GW [dev PORT]; route show\n"},
	{"neigh", "neigh add|del IP lladdr MAC dev PORT|LINK (LINK: proxy entry); "
		  "neigh show [dev PORT|LINK]\n"},
	{"stats", "stats [dev NAME]   per port and per link counters\n"},
	{"show", "show drops   every drop reason and event with its count\n"},
	{"save", "save [FILE]   write the running configuration (default: the --config file)\n"},
	{"help", "help [WORD]\n"},
};

static int
cmd_help(struct vx_ctl *c, int argc, char **argv, struct vx_out *out)
{
	size_t i;

	if (argc > 1) {
		for (i = 0; i < RTE_DIM(help_text); i++)
			if (strcmp(argv[1], help_text[i].word) == 0) {
				vx_out_printf(out, "%s", help_text[i].usage);
				return 0;
			}
		return vx_err(out, -EINVAL, "help: unknown word \"%s\"", argv[1]);
	}
	vx_out_printf(out, "options: -j (JSON) -s (statistics)\n");
	for (i = 0; i < RTE_DIM(help_text); i++)
		vx_out_printf(out, "%s", help_text[i].usage);
	return 0;
}

int
vx_cmd_exec(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	int ret;

	/* iproute2's leading options: -j, -s, -d, -4, -6 (family follows from the addresses). */
	while (argc > 0 && argv[0][0] == '-') {
		if (strcmp(argv[0], "-j") == 0 || strcmp(argv[0], "-json") == 0)
			flags |= VX_CMD_JSON;
		else if (strcmp(argv[0], "-s") == 0 || strcmp(argv[0], "-stats") == 0)
			flags |= VX_CMD_STATS;
		else if (strcmp(argv[0], "-f") == 0 || strcmp(argv[0], "-force") == 0)
			flags |= VX_CMD_FORCE;
		else if (strcmp(argv[0], "-d") != 0 && strcmp(argv[0], "-details") != 0 &&
			 strcmp(argv[0], "-4") != 0 && strcmp(argv[0], "-6") != 0)
			return vx_err(out, -EINVAL, "unknown option \"%s\"", argv[0]);
		argc--;
		argv++;
	}
	if (argc == 0)
		return vx_err(out, -EINVAL, "empty command (try help)");
	if (c->core == NULL)
		return vx_err(out, -ENODEV, "core not initialised");

	if (strcmp(argv[0], "link") == 0)
		ret = vx_cmd_link(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "fdb") == 0)
		ret = vx_cmd_fdb(c, argc, argv, flags, out);
	else if (strncmp(argv[0], "address", strlen(argv[0])) == 0) /* ip's a, add, addr, ... */
		ret = vx_cmd_addr(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "route") == 0)
		ret = vx_cmd_route(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "neigh") == 0 || strcmp(argv[0], "neighbor") == 0 ||
		 strcmp(argv[0], "neighbour") == 0)
		ret = vx_cmd_neigh(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "stats") == 0)
		ret = vx_cmd_stats(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "show") == 0)
		ret = vx_cmd_show(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "save") == 0)
		ret = vx_cmd_save(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "help") == 0)
		ret = cmd_help(c, argc, argv, out);
	else
		ret = vx_err(out, -EINVAL, "unknown command \"%s\" (try help)", argv[0]);
	if (c->dp != NULL)
		vx_vtep_flush_retired(c);
	return ret;
}

/* ---- lifecycle ---- */

int
vx_core_init(struct vx_ctl *c)
{
	struct vx_ctl_core *k;

	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->n_vtep = 0;
	k->age_budget = 16384;
	k->learn_budget = VX_LEARN_RING_SIZE; /* a whole ring per poll: >= 2 M/s at 5 ms */
	c->core = k;
	/* Ports the daemon filled in before: publish their (empty) access maps. */
	for (uint16_t i = 0; i < VX_MAX_PORTS; i++)
		if (c->port[i].present)
			vx_core_port_publish(c, i);
	return 0;
}

void
vx_core_fini(struct vx_ctl *c)
{
	struct vx_ctl_core *k = c->core;

	if (k == NULL)
		return;
	free(k->static_bits);
	for (unsigned int i = 0; i < VX_MAX_BD; i++)
		free(k->link[i]);
	free(k->learn_batch);
	free(k);
	c->core = NULL;
}

/* ---- model lookups shared by the families ---- */

struct vx_link *
vx_link_find(struct vx_ctl *c, const char *name)
{
	for (unsigned int i = 1; i < VX_MAX_BD; i++) {
		struct vx_link *l = c->core->link[i];

		if (l != NULL && strcmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

struct vx_link *
vx_link_by_vni(struct vx_ctl *c, uint32_t vni)
{
	for (unsigned int i = 1; i < VX_MAX_BD; i++) {
		struct vx_link *l = c->core->link[i];

		if (l != NULL && l->opt.vni == vni)
			return l;
	}
	return NULL;
}

int
vx_port_index(struct vx_ctl *c, const char *name)
{
	for (unsigned int i = 0; i < VX_MAX_PORTS; i++) {
		struct vx_ctl_port *p = &c->port[i];

		if (p->present && (strcmp(p->name, name) == 0 || strcmp(p->dev_name, name) == 0))
			return i;
	}
	return -1;
}

const char *
vx_port_name(struct vx_ctl *c, uint16_t idx)
{
	if (idx < VX_MAX_PORTS && c->port[idx].present)
		return c->port[idx].name;
	return "?";
}
