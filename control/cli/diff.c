/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The difference between two configurations as the commands that turn one
 * into the other (a reload: cli/reload.c runs them). Pure: it reads two
 * texts (cfgline.c makes entries of their lines) and writes commands.
 *
 * Entries with one key on both sides are the same thing: unchanged when
 * their bodies are equal, else changed in place where a command does it
 * (fdb/neigh/route replace, `link set` for a link's options other than
 * id, dstport, group and the removal of local, remote or dev) or removed
 * and added again. An entry whose parent is removed (a link, a port's
 * attachment) goes with it: its own removal command would fail, and the
 * target's copy of it is added again after. The order:
 *
 *   1. port renames (the running side's lines are read with the new names);
 *   2. removals, children before parents (reverse rank), each undone by
 *      the lines that made it and the children it took along;
 *   3. the target's lines that are new or changed, in the file's order
 *      (an order that replays from nothing, so it works on what is left).
 *
 * Keys are found through a hash index of each side: a million FDB lines
 * on each side cost two passes, no sort.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include <rte_common.h>

#include "cli/cfg.h"
#include "cli/cli.h"
#include "lib/inet.h"

/* ---- the output ---- */

static int
add_change(struct vx_cfg_diff *d, const char *cmd, char *undo, int lineno)
{
	struct vx_cfg_change *c;

	if (d->n == d->cap) {
		unsigned int cap = d->cap ? d->cap * 2 : 64;
		struct vx_cfg_change *nc = realloc(d->ch, cap * sizeof(*nc));

		if (nc == NULL)
			return -ENOMEM;
		d->ch = nc;
		d->cap = cap;
	}
	c = &d->ch[d->n];
	c->cmd = strdup(cmd);
	c->undo = undo;
	c->lineno = lineno;
	if (c->cmd == NULL || c->undo == NULL) {
		free(c->cmd);
		free(c->undo);
		return -ENOMEM;
	}
	d->n++;
	return 0;
}

/* A command and its undo (one line, '\n' added). */
static int
add_pair(struct vx_cfg_diff *d, const char *cmd, const char *undo, int lineno)
{
	char *u;

	if (asprintf(&u, "%s\n", undo) < 0)
		return -ENOMEM;
	return add_change(d, cmd, u, lineno);
}

void
vx_cfg_diff_free(struct vx_cfg_diff *d)
{
	for (unsigned int i = 0; i < d->n; i++) {
		free(d->ch[i].cmd);
		free(d->ch[i].undo);
	}
	free(d->ch);
	memset(d, 0, sizeof(*d));
}

/* ---- renames ---- */

static const char *
ren_name(const struct vx_cfg_side *s, const char *dev)
{
	for (unsigned int i = 0; i < s->n_ren; i++)
		if (strcmp(s->ren[i].dev, dev) == 0)
			return s->ren[i].name;
	return dev;
}

/* Port names of r that t changes: the rename commands, and map (current name -> new one). */
static int
renames(const struct vx_cfg_side *r, const struct vx_cfg_side *t, struct vx_cfg_diff *d,
	struct vx_cfg_rename *map, unsigned int *n_map)
{
	const struct vx_cfg_side *sd[2] = {r, t};
	char cmd[VX_CFG_TXT], undo[VX_CFG_TXT];

	*n_map = 0;
	for (int k = 0; k < 2; k++)
		for (unsigned int i = 0; i < sd[k]->n_ren; i++) {
			const char *dev = sd[k]->ren[i].dev;
			const char *cur = ren_name(r, dev), *tgt = ren_name(t, dev);

			if (strcmp(cur, tgt) == 0 || (k == 1 && ren_name(r, dev) != dev))
				continue; /* the same, or done from r's side */
			snprintf(cmd, sizeof(cmd), "link set dev %s name %s", cur, tgt);
			snprintf(undo, sizeof(undo), "link set dev %s name %s", tgt, cur);
			if (add_pair(d, cmd, undo, 0) < 0)
				return -ENOMEM;
			d->n_rename++;
			strlcpy(map[*n_map].dev, cur, VX_NAME_LEN);
			strlcpy(map[*n_map].name, tgt, VX_NAME_LEN);
			(*n_map)++;
		}
	return 0;
}

/* ---- keys ---- */

/* A side's entries by key: open addressing, FNV-1a, a power of two of slots, half empty. */
struct key_index {
	int *slot; /* entry index + 1; 0 = empty */
	uint32_t mask;
};

static uint32_t
key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *k != '\0'; k++) {
		h ^= (uint8_t)*k;
		h *= 0x100000001b3ull;
	}
	return (uint32_t)(h ^ (h >> 32));
}

/*
 * Index s's entries; *dup is the first entry whose key an earlier one
 * has (that one in *dup_of), -1 when none. 0 or -ENOMEM.
 */
static int
key_index(struct key_index *ki, const struct vx_cfg_side *s, int *dup, int *dup_of)
{
	uint32_t n = 16;

	while (n < 2 * s->n)
		n <<= 1;
	ki->slot = calloc(n, sizeof(*ki->slot));
	if (ki->slot == NULL)
		return -ENOMEM;
	ki->mask = n - 1;
	*dup = *dup_of = -1;
	for (unsigned int i = 0; i < s->n; i++) {
		uint32_t h = key_hash(s->e[i].key) & ki->mask;

		while (ki->slot[h] != 0 && strcmp(s->e[ki->slot[h] - 1].key, s->e[i].key) != 0)
			h = (h + 1) & ki->mask;
		if (ki->slot[h] == 0) {
			ki->slot[h] = i + 1;
		} else if (*dup < 0) {
			*dup = i;
			*dup_of = ki->slot[h] - 1;
		}
	}
	return 0;
}

/* The entry of s with key, or -1. */
static int
find_key(const struct vx_cfg_side *s, const struct key_index *ki, const char *key)
{
	uint32_t h;

	if (key[0] == '\0')
		return -1;
	for (h = key_hash(key) & ki->mask; ki->slot[h] != 0; h = (h + 1) & ki->mask)
		if (strcmp(s->e[ki->slot[h] - 1].key, key) == 0)
			return ki->slot[h] - 1;
	return -1;
}

/* Two lines of the target for one thing are refused; then each entry's counterpart. */
static int
pair(struct vx_cfg_side *r, const struct key_index *rix, struct vx_cfg_side *t,
     const struct key_index *tix, int tdup, int tdup_of, struct vx_out *err)
{
	if (tdup >= 0)
		return vx_err(err, -EEXIST, "%s:%d: configures again what line %d does", t->fname,
			      t->e[tdup].lineno, t->e[tdup_of].lineno);
	for (unsigned int i = 0; i < r->n; i++) {
		int o = find_key(t, tix, r->e[i].key);

		if (o >= 0 && t->e[o].other < 0 && find_key(r, rix, r->e[i].key) == (int)i) {
			r->e[i].other = o;
			t->e[o].other = i;
		}
	}
	return 0;
}

/* ---- states ---- */

static bool
gone(uint8_t state)
{
	return state == CFG_DEL || state == CFG_IMPLICIT;
}

static bool
same(const struct vx_cfg_ent *re, const struct vx_cfg_ent *te)
{
	return strcmp(re->body, te->body) == 0 &&
	       (te->weak[0] == '\0' || strcmp(re->weak, te->weak) == 0);
}

/* Can `link set` take link a to b? Not for id, dstport, group, nor to drop local, remote or dev. */
static bool
link_settable(const struct vx_cfg_link *a, const struct vx_cfg_link *b)
{
	return a->opt.vni == b->opt.vni && a->opt.dstport == b->opt.dstport &&
	       vx_ip_eq(&a->opt.group, &b->opt.group) &&
	       (a->opt.local.family == 0 || b->opt.local.family != 0) &&
	       (a->opt.remote.family == 0 || b->opt.remote.family != 0) &&
	       (a->dev[0] == '\0' || b->dev[0] != '\0');
}

static bool
settable(const struct vx_cfg_ent *re, const struct vx_cfg_ent *te)
{
	switch (re->kind) {
	case CFG_ROUTE:
	case CFG_UL_NEIGH:
	case CFG_LINK_NEIGH:
	case CFG_FDB_REMOTE:
	case CFG_FDB_LOCAL:
		return true;
	case CFG_LINK:
		return link_settable(re->link, te->link);
	default:
		return false;
	}
}

/* Indexes of s's entries by rank (kind), in file order within a rank. */
static int *
rank_order(const struct vx_cfg_side *s)
{
	unsigned int start[CFG_KIND_MAX + 1] = {0};
	int *o = malloc((s->n + 1) * sizeof(*o));

	if (o == NULL)
		return NULL;
	for (unsigned int i = 0; i < s->n; i++)
		start[vx_cfg_rank(s->e[i].kind) + 1]++;
	for (unsigned int k = 1; k <= CFG_KIND_MAX; k++)
		start[k] += start[k - 1];
	for (unsigned int i = 0; i < s->n; i++)
		o[start[vx_cfg_rank(s->e[i].kind)]++] = i;
	return o;
}

/* find_key of the same parent as the entry before (a port's FDB entries come in a row). */
static int
find_parent(const struct vx_cfg_side *s, const struct key_index *ki, const char *key,
	    const char **last, int *last_i)
{
	if (*last == NULL || strcmp(key, *last) != 0) {
		*last = key;
		*last_i = find_key(s, ki, key);
	}
	return *last_i;
}

/* What becomes of each running entry, parents first. */
static void
mark_running(struct vx_cfg_side *r, const struct key_index *rix, const struct vx_cfg_side *t,
	     const int *order)
{
	const char *last = NULL;
	int last_i = -1;

	for (unsigned int k = 0; k < r->n; k++) {
		int i = order[k], p, p2;
		struct vx_cfg_ent *e = &r->e[i];

		p = find_parent(r, rix, e->parent, &last, &last_i);
		p2 = find_key(r, rix, e->parent2);
		if (p >= 0 && gone(r->e[p].state)) {
			e->state = CFG_IMPLICIT;
			e->cause = r->e[p].cause;
		} else if (p2 >= 0 && gone(r->e[p2].state)) {
			e->state = CFG_IMPLICIT;
			e->cause = r->e[p2].cause;
		} else if (e->other < 0 ||
			   (!same(e, &t->e[e->other]) && !settable(e, &t->e[e->other]))) {
			e->state = CFG_DEL;
			e->cause = i;
		} else {
			e->state = same(e, &t->e[e->other]) ? CFG_KEEP : CFG_SET;
		}
	}
}

static void
mark_target(const struct vx_cfg_side *r, struct vx_cfg_side *t)
{
	for (unsigned int i = 0; i < t->n; i++) {
		struct vx_cfg_ent *e = &t->e[i];

		if (e->other < 0 || gone(r->e[e->other].state))
			e->state = CFG_ADD;
		else
			e->state = r->e[e->other].state; /* CFG_KEEP or CFG_SET */
	}
}

/* ---- commands ---- */

/* The full option words of `link set`, so that the link ends up as lk says. */
static void
link_set_line(struct vx_out *o, const char *name, const struct vx_cfg_link *lk)
{
	static const struct {
		uint16_t flag;
		const char *word;
	} fl[] = {{VX_BD_LEARNING, "learning"},
		  {VX_BD_PROXY, "proxy"},
		  {VX_BD_UDPCSUM, "udpcsum"},
		  {VX_BD_UDP6ZCSUM_TX, "udp6zerocsumtx"},
		  {VX_BD_UDP6ZCSUM_RX, "udp6zerocsumrx"},
		  {VX_BD_L2MISS, "l2miss"},
		  {VX_BD_L3MISS, "l3miss"}};
	const struct vx_link_opt *p = &lk->opt;
	char a[INET6_ADDRSTRLEN];

	vx_out_printf(o, "link set dev %s type vxlan", name);
	if (p->set & VX_OPT_ADDRESS)
		vx_out_printf(o, " address %s", vx_fmt_mac(&p->address, a, sizeof(a)));
	if (p->local.family)
		vx_out_printf(o, " local %s", vx_fmt_ip(&p->local, a, sizeof(a)));
	if (p->remote.family)
		vx_out_printf(o, " remote %s", vx_fmt_ip(&p->remote, a, sizeof(a)));
	if (lk->dev[0] != '\0')
		vx_out_printf(o, " dev %s", lk->dev);
	if (p->ttl == VX_TTL_INHERIT)
		vx_out_printf(o, " ttl inherit");
	else
		vx_out_printf(o, " ttl %u", p->ttl);
	if (p->tos == VX_TOS_INHERIT)
		vx_out_printf(o, " tos inherit");
	else
		vx_out_printf(o, " tos %u", p->tos);
	vx_out_printf(o, " df %s",
		      p->df == VX_DF_SET       ? "set"
		      : p->df == VX_DF_INHERIT ? "inherit"
					       : "unset");
	vx_out_printf(o, " srcport %u %u ageing %u maxaddress %u bum-rate %u", p->srcport_min,
		      p->srcport_max, p->ageing, p->maxaddress, p->bum_rate);
	for (size_t k = 0; k < RTE_DIM(fl); k++)
		vx_out_printf(o, " %s%s", (p->flags & fl[k].flag) ? "" : "no", fl[k].word);
}

/* line with its "add"/"append" verb (the second word) replaced by "replace". */
static void
replace_line(struct vx_out *o, const char *line)
{
	const char *sp = strchr(line, ' '), *rest = sp != NULL ? strchr(sp + 1, ' ') : NULL;

	if (rest == NULL)
		vx_out_printf(o, "%s", line);
	else
		vx_out_printf(o, "%.*s replace%s", (int)(sp - line), line, rest);
}

/* The command that changes an entry in place into e (e's own side's spelling). */
static void
set_cmd(struct vx_out *o, const struct vx_cfg_ent *e, const char *name)
{
	if (e->kind == CFG_LINK)
		link_set_line(o, name, e->link);
	else
		replace_line(o, e->line);
}

/*
 * The command that adds e: its line, except that an FDB entry or a
 * neighbour is replaced into place (a learned entry for the same MAC or
 * address may be there).
 */
static void
add_cmd(struct vx_out *o, const struct vx_cfg_ent *e)
{
	if (e->kind == CFG_FDB_REMOTE || e->kind == CFG_FDB_LOCAL || e->kind == CFG_UL_NEIGH ||
	    e->kind == CFG_LINK_NEIGH)
		replace_line(o, e->line);
	else
		vx_out_printf(o, "%s", e->line);
}

/* Removals, children first; each undone by its line and the lines of what it took along. */
static int
emit_removals(struct vx_cfg_side *r, const int *order, struct vx_cfg_diff *d)
{
	struct vx_out *undo = calloc(r->n + 1, sizeof(*undo));
	int ret = 0;

	if (undo == NULL)
		return -ENOMEM;
	for (unsigned int k = 0; k < r->n; k++) {
		const struct vx_cfg_ent *e = &r->e[order[k]];

		if (gone(e->state))
			vx_out_printf(&undo[e->cause], "%s\n", e->line);
	}
	for (unsigned int k = r->n; k-- > 0 && ret == 0;) {
		int i = order[k];

		if (r->e[i].state != CFG_DEL)
			continue;
		ret = undo[i].buf == NULL ? -ENOMEM : add_change(d, r->e[i].del, undo[i].buf, 0);
		undo[i].buf = NULL;
		d->n_del++;
	}
	for (unsigned int i = 0; i < r->n; i++)
		vx_out_free(&undo[i]);
	free(undo);
	return ret;
}

/* The target's new and changed lines, in its order. */
static int
emit_target(const struct vx_cfg_side *r, const struct vx_cfg_side *t, struct vx_cfg_diff *d)
{
	int ret = 0;

	for (unsigned int i = 0; i < t->n && ret == 0; i++) {
		const struct vx_cfg_ent *e = &t->e[i];
		struct vx_out cmd = {0}, undo = {0};
		const char *name = e->key + 2; /* links: "l NAME" */

		if (e->state == CFG_ADD) {
			add_cmd(&cmd, e);
			vx_out_printf(&undo, "%s", e->del);
			d->n_add++;
		} else if (e->state == CFG_SET) {
			set_cmd(&cmd, e, name);
			set_cmd(&undo, &r->e[e->other], name);
			d->n_set++;
		} else {
			continue;
		}
		ret = cmd.buf == NULL || undo.buf == NULL
			      ? -ENOMEM
			      : add_pair(d, cmd.buf, undo.buf, e->lineno);
		vx_out_free(&cmd);
		vx_out_free(&undo);
	}
	return ret;
}

/* The changes, once both sides are read. */
static int
diff_sides(struct vx_cfg_side *r, struct vx_cfg_side *t, struct vx_cfg_diff *d, struct vx_out *err)
{
	struct key_index rix = {0}, tix = {0};
	int *order = rank_order(r), dup, dup_of, rdup, rdup_of;
	int ret = -ENOMEM;

	if (order != NULL && key_index(&rix, r, &rdup, &rdup_of) == 0 &&
	    key_index(&tix, t, &dup, &dup_of) == 0)
		ret = pair(r, &rix, t, &tix, dup, dup_of, err);
	if (ret == 0) {
		mark_running(r, &rix, t, order);
		mark_target(r, t);
		ret = emit_removals(r, order, d);
	}
	if (ret == 0)
		ret = emit_target(r, t, d);
	free(rix.slot);
	free(tix.slot);
	free(order);
	return ret;
}

int
vx_cfg_diff(const char *running, const char *target, const char *name, struct vx_cfg_diff *d,
	    struct vx_out *err)
{
	struct vx_cfg_side r = {.fname = "the running configuration"}, t = {.fname = name};
	struct vx_cfg_rename map[2 * VX_MAX_PORTS];
	unsigned int n_map = 0;
	int ret;

	memset(d, 0, sizeof(*d));
	vx_out_reset(err);
	ret = vx_cfg_scan(&t, target, err);
	if (ret == 0)
		ret = vx_cfg_scan(&r, running, err);
	if (ret == 0)
		ret = renames(&r, &t, d, map, &n_map);
	if (ret == 0)
		ret = vx_cfg_read(&t, target, NULL, 0, err);
	if (ret == 0)
		ret = vx_cfg_read(&r, running, map, n_map, err);
	if (ret == 0)
		ret = diff_sides(&r, &t, d, err);
	if (ret < 0 && err->len == 0)
		vx_err(err, ret, "%s: %s", name, strerror(-ret));
	if (ret < 0)
		vx_cfg_diff_free(d);
	vx_cfg_side_free(&r);
	vx_cfg_side_free(&t);
	return ret;
}
