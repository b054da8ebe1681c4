/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CLI_H
#define VX_CLI_H

/*
 * The command layer: one grammar for the socket, the startup file and
 * vxctl, the words of iproute2 (`ip link ... type vxlan`, `bridge fdb`,
 * `ip addr|route|neigh`).
 *
 * cli.c splits a line into words and hands it to its family (cmd_*.c,
 * one file each). A family parses the words into a request, validates it
 * whole against the model (core/, underlay/ lookups), and only then calls
 * the model's operations: a bad command changes nothing and leaves
 * "error: <what was wrong>" in out (vx_err, lib/out.h). Output is the
 * family's too: text as iproute2 prints it, JSON with -j. save.c writes
 * the running configuration as lines of this grammar and replays them.
 *
 * Parsing words (words.c) needs no EAL: unit tests and fuzzers call it on
 * plain strings.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "client/proto.h"
#include "core/core.h"
#include "lib/ctl.h"
#include "lib/out.h"
#include "vx_tables.h"

#define VX_CLI_MAX_WORDS VX_PROTO_MAX_WORDS

/* ---- cli.c ---- */
/*
 * Run one command line, already split into words (leading iproute2
 * options -j -s -f -d -4 -6 allowed). 0, or -errno with "error: ..." in out.
 */
int vx_cli_exec(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
/* A function that runs one command as vx_cli_exec() does (what reload.c applies lines with). */
typedef int (*vx_cli_exec_fn)(struct vx_ctl *c, int argc, char **argv, unsigned int flags,
			      struct vx_out *out);

/* ---- save.c ---- */
/* Write the running static configuration (path NULL: --config's, else the default). */
int vx_cli_save(struct vx_ctl *c, const char *path, struct vx_out *err);
/* Run a file of vxctl lines; stops at the first error (*lineno: its line). */
int vx_cli_replay(struct vx_ctl *c, const char *path, int *lineno, struct vx_out *err);
/* The configuration as lines, in the order they replay. */
void vx_cli_config(struct vx_ctl *c, struct vx_out *o);
/*
 * The `link add` line of link name with options opt, underlay port dev and
 * MAC address mac (NULL: none, for either).
 */
void vx_cli_link_line(struct vx_out *o, const char *name, const struct vx_link_opt *opt,
		      const char *dev, const struct rte_ether_addr *mac);

/* ---- diff.c: what changes turn one configuration into another (no model access) ---- */
struct vx_cfg_change {
	char *cmd;  /* the vxctl line that makes the change */
	char *undo; /* the lines that revert it, each ending in '\n' */
	int lineno; /* its line in the target, 0 for a removal or a rename */
};

struct vx_cfg_diff {
	struct vx_cfg_change *ch; /* renames, then removals, then additions and changes */
	unsigned int n, cap;
	unsigned int n_del, n_add, n_set, n_rename;
};

/*
 * The changes that turn the configuration running (vx_cli_config's lines)
 * into target (a configuration file's text; name for messages): port
 * renames; then removals, in the reverse of the order the lines replay
 * (an entry that its link's or attachment's removal takes with it is not
 * removed on its own, and is added again if the target has it); then the
 * target's new and changed lines in its own order, a changed line as one
 * in-place command (replace, link set) where one exists. Lines equal in
 * both (after canonical spelling: word order, defaults, MAC and IP
 * forms) give nothing: what they configure is never touched. 0, or
 * -errno with "error: NAME:LINE: ..." in err and d empty.
 */
int vx_cfg_diff(const char *running, const char *target, const char *name, struct vx_cfg_diff *d,
		struct vx_out *err);
void vx_cfg_diff_free(struct vx_cfg_diff *d);

/* ---- reload.c ---- */
/*
 * Make the running configuration that of the file path (NULL: --config's):
 * vx_cfg_diff's changes, run in order; at the first failure the changes
 * made are undone in reverse order and the error names the line. 0 with
 * a summary in out, or -errno with "error: ..." in out. Logged either way.
 * reload.c's vx_cfg_reload() runs the lines with exec; cli.c's
 * vx_cli_reload() gives it vx_cli_exec.
 */
int vx_cfg_reload(struct vx_ctl *c, const char *path, struct vx_out *out, vx_cli_exec_fn exec);
int vx_cli_reload(struct vx_ctl *c, const char *path, struct vx_out *out);

/* ---- words.c: words -> values; 0 or -EINVAL (-ERANGE), output untouched on error ---- */
/*
 * Split line into words in place (blanks separate; a '#' word starts a
 * comment). argv gets at most max words and a NULL after the last.
 * Returns argc, or -E2BIG when there are more than max.
 */
int vx_cli_split(char *line, char **argv, int max);
int vx_parse_mac(const char *s, struct rte_ether_addr *mac);
int vx_parse_ip(const char *s, struct vx_ip *ip);
int vx_parse_prefix(const char *s, struct vx_ip *ip, uint8_t *len);
int vx_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
/* As vx_parse_u32, also 0x-prefixed hex (tos, as iproute2 prints it). */
int vx_parse_u32_hex(const char *s, uint32_t min, uint32_t max, uint32_t *v);
int vx_parse_vni(const char *s, uint32_t *vni);
/* A link or port name: 1..VX_NAME_LEN-1 chars of [A-Za-z0-9_.:-], not a keyword. */
int vx_parse_name(const char *s);
/* `ip addr`'s show verbs: any prefix of show or list, and ls. */
bool vx_cli_verb_show(const char *verb);

/* ---- link_opts.c: the options of link add / link set ---- */
/*
 * Options from argv[i..argc) into o (o->set: which were given); the port
 * of `dev` is left as its name in *dev. add: `link add` (else `link set`,
 * which also takes `type vxlan`).
 */
int vx_cli_link_opts(int argc, char **argv, int i, bool add, struct vx_link_opt *o,
		     const char **dev, struct vx_out *out);
/* o = cur with the options req names (req->set) taken from req. */
void vx_cli_link_opts_merge(const struct vx_link_opt *cur, const struct vx_link_opt *req,
			    struct vx_link_opt *o);

/* ---- the families (argv[0] is the family's word) ---- */
int vx_cmd_link(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_fdb(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_addr(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_route(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_neigh(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_stats(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_show(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_save(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);
int vx_cmd_reload(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out);

/* ---- shared output (cmd_link_show.c) ---- */
/* `link show` of every port and link, or of one (name NULL: all). */
int vx_cli_link_show(struct vx_ctl *c, const char *name, bool links_only, unsigned int flags,
		     struct vx_out *out);
/* The head of one device of `ip addr show`/`ip link show` (JSON: the object, left open). */
void vx_cli_dev_head(struct vx_out *o, bool json, bool first, unsigned int ifindex,
		     const char *name, unsigned int mtu, const struct rte_ether_addr *mac);

#endif /* VX_CLI_H */
