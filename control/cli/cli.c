/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command dispatcher: a line split into words, iproute2's leading
 * options, and the words handed to their family (link, fdb, addr, route,
 * neigh, stats, show, save, reload) or answered here (help).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/string.h>

#include <rte_common.h>

#include "cli/cli.h"
#include "core/core.h"

/* ---- splitting and dispatch ---- */

static const struct {
	const char *word;
	const char *usage;
} help_text[] = {
	{"link",
	 "link add NAME [address MAC] type vxlan id VNI [dstport PORT] [local IP] [remote IP]\n"
	 "         [group IP] [dev PORT] [ttl N|inherit] [tos N|inherit] [df set|unset|inherit]\n"
	 "         [srcport MIN MAX] [learning|nolearning] [proxy|noproxy] [ageing SECONDS]\n"
	 "         [maxaddress N] [udpcsum|noudpcsum] [udp6zerocsumtx|noudp6zerocsumtx]\n"
	 "         [udp6zerocsumrx|noudp6zerocsumrx] [l2miss|nol2miss] [l3miss|nol3miss]\n"
	 "         [bum-rate PPS]\n"
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
	{"reload", "reload [FILE]   apply what differs between FILE (default: the --config file)\n"
		   "    and the running configuration; all or nothing\n"},
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
vx_cli_exec(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
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
	else if (strcmp(argv[0], "reload") == 0)
		ret = vx_cmd_reload(c, argc, argv, flags, out);
	else if (strcmp(argv[0], "help") == 0)
		ret = cmd_help(c, argc, argv, out);
	else
		ret = vx_err(out, -EINVAL, "unknown command \"%s\" (try help)", argv[0]);
	if (c->dp != NULL)
		vx_vtep_flush_retired(c);
	return ret;
}

/*
 * reload: the diff is applied through the dispatcher above, which reload.c
 * gets as a function, so that it never calls back into this file.
 */
int
vx_cli_reload(struct vx_ctl *c, const char *path, struct vx_out *out)
{
	return vx_cfg_reload(c, path, out, vx_cli_exec);
}

int
vx_cmd_reload(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	(void)flags;
	if (argc > 2)
		return vx_err(out, -EINVAL, "reload: unexpected \"%s\" (reload [FILE])", argv[2]);
	return vx_cli_reload(c, argc == 2 ? argv[1] : NULL, out);
}
