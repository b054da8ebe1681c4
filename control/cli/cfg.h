/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CLI_CFG_H
#define VX_CLI_CFG_H

/*
 * A configuration (a file of vxctl lines, or vx_cli_config's text) as
 * entries for diff.c: cfgline.c reads every line, spells it the way
 * `vxctl save` does (canonical words, defaults made explicit or left out
 * as save does, MACs and IPs in one form), and gives it a key (two lines
 * with one key configure the same thing), a body (what the thing is set
 * to), the command that removes it and the entries it depends on (a
 * link's entries on the link, a port's FDB entries on its attachment).
 * Pure: no model, no EAL.
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"
#include "lib/out.h"

/* Kinds, in the order vx_cli_config writes them (their rank: parents first). */
enum vx_cfg_kind {
	CFG_UL_ADDR,
	CFG_ROUTE,
	CFG_UL_NEIGH,
	CFG_LINK,
	CFG_ATTACH, /* untagged; tagged ones rank after all untagged */
	CFG_ATTACH_VLAN,
	CFG_FLOOD,
	CFG_FDB_REMOTE,
	CFG_FDB_LOCAL,
	CFG_LINK_ADDR,
	CFG_LINK_NEIGH,
	CFG_KIND_MAX
};

enum vx_cfg_state {
	CFG_KEEP,     /* the same on both sides */
	CFG_DEL,      /* running only, or changed and not changeable in place: removed */
	CFG_IMPLICIT, /* goes with a removed parent (link, attachment) */
	CFG_SET,      /* changed in place (replace, link set) */
	CFG_ADD,      /* target: to be added */
};

/* A link's options, for `link set` (changes in place). */
struct vx_cfg_link {
	struct vx_link_opt opt;
	char dev[VX_NAME_LEN]; /* "" = none */
};

struct vx_cfg_ent {
	uint8_t kind;
	uint8_t state;
	int lineno;
	int other;     /* index of the entry with the same key on the other side, -1 */
	int cause;     /* running: the removed entry that takes this one, -1 */
	char *line;    /* canonical, no '\n' */
	char *key;     /* identity */
	char *body;    /* must be equal for "unchanged" */
	char *weak;    /* route's dev, link's MAC: compared only when the target names one */
	char *del;     /* the removal command */
	char *parent;  /* key of the entry this one needs, "" none */
	char *parent2; /* a second one (tagged attachments: the port's untagged one) */
	struct vx_cfg_link *link; /* CFG_LINK only */
	char *mem;		  /* the strings above, one allocation */
};

/* A port rename line: `link set dev DEV name NAME`. */
struct vx_cfg_rename {
	char dev[VX_NAME_LEN], name[VX_NAME_LEN];
};

struct vx_cfg_side {
	const char *fname; /* for messages */
	struct vx_cfg_ent *e;
	unsigned int n, cap;
	struct vx_cfg_rename ren[VX_MAX_PORTS];
	unsigned int n_ren;
	/* Links of this side (pass one): names and what their entries default to. */
	struct {
		char name[VX_NAME_LEN];
		uint16_t dstport;
		uint32_t vni;
	} * links;
	unsigned int n_links;
};

/*
 * Pass one over text: its port renames and its links (s->ren, s->links).
 * 0 or -errno with "error: FNAME:LINE: ..." in err.
 */
int vx_cfg_scan(struct vx_cfg_side *s, const char *text, struct vx_out *err);
/*
 * Pass two: every other line as an entry of s. map (may be NULL) renames
 * ports on the way: a word after "dev" equal to map[i].dev becomes
 * map[i].name (the running side, spelt with the target's port names).
 * 0 or -errno with "error: FNAME:LINE: ..." in err.
 */
int vx_cfg_read(struct vx_cfg_side *s, const char *text, const struct vx_cfg_rename *map,
		unsigned int n_map, struct vx_out *err);
void vx_cfg_side_free(struct vx_cfg_side *s);
/* ---- cfgline.c, for the readers of each family (cfgent.c) ---- */

#define VX_CFG_TXT 1024 /* room for one canonical line, key or command */

/* What an entry is made of (NULL strings are ""). */
struct vx_cfg_spec {
	uint8_t kind;
	const char *line, *key, *body, *weak, *del, *parent, *parent2;
	const struct vx_cfg_link *link;
};

/* A new entry of s from line lineno. */
int vx_cfg_push(struct vx_cfg_side *s, int lineno, const struct vx_cfg_spec *sp,
		struct vx_out *err);
/* "error: FNAME:LINE: what" into err; returns ret. */
int vx_cfg_err(const struct vx_cfg_side *s, int lineno, struct vx_out *err, int ret,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Index of link name among s's links, -1 when it has none of that name. */
int vx_cfg_link_index(const struct vx_cfg_side *s, const char *name);

/* ---- cfgent.c: one line of a family (words argv[0..argc)) into an entry of s ---- */
int vx_cfg_read_fdb(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err);
int vx_cfg_read_addr(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err);
int vx_cfg_read_route(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err);
int vx_cfg_read_neigh(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err);

/* The rank of a kind: parents rank before their children. */
static inline unsigned int
vx_cfg_rank(uint8_t kind)
{
	return kind;
}

#endif /* VX_CLI_CFG_H */
