/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration lines as entries (cfg.h), for the diff of a reload.
 *
 * A configuration is what `vxctl save` writes and what --config replays:
 * lines of `link add`, `link set dev PORT master LINK [vlan VID]`,
 * `link set dev PORT name NAME`, `addr add`, `route add`, `neigh add` and
 * `fdb add|append|replace`, with `#` comments, continuation backslashes
 * and an optional leading "vxctl" as the replay takes them. Each is
 * spelt again the way vx_cli_config spells it, so that a saved file and
 * the running configuration compare line by line, and a hand-written
 * line that means the same (other word order, a default written out,
 * upper-case MAC, `dst` of a remote entry equal to the link's port) is
 * the same entry. Any other command has no place in a configuration and
 * is refused with its line number.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "cli/cfg.h"
#include "cli/cli.h"
#include "lib/inet.h"

/* ---- lines and words ---- */

struct iter {
	const char *p;	 /* next byte of the text */
	int next_lineno; /* its line number */
	char *buf;	 /* the logical line */
	size_t cap;
	bool oom;
};

/* The next logical line (backslash continuations joined) into it->buf; false at the end. */
static bool
iter_next(struct iter *it, int *lineno)
{
	size_t len = 0;

	if (*it->p == '\0')
		return false;
	*lineno = it->next_lineno;
	for (;;) {
		const char *nl = strchr(it->p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - it->p) : strlen(it->p);

		if (len + n + 2 > it->cap) {
			size_t cap = (len + n + 2) * 2;
			char *b = realloc(it->buf, cap);

			if (b == NULL) {
				it->oom = true;
				return false;
			}
			it->buf = b;
			it->cap = cap;
		}
		memcpy(it->buf + len, it->p, n);
		len += n;
		it->p += n + (nl != NULL);
		it->next_lineno++;
		while (len > 0 && it->buf[len - 1] == '\r')
			len--;
		if (nl == NULL || len == 0 || it->buf[len - 1] != '\\')
			break;
		it->buf[len - 1] = ' ';
	}
	it->buf[len] = '\0';
	return true;
}

/* A command layer error ("error: what\n") as cfg_err's. */
static int
cfg_err_out(const struct vx_cfg_side *s, int lineno, struct vx_out *err, int ret,
	    const struct vx_out *e)
{
	const char *m = e->buf != NULL ? e->buf : "bad line";
	size_t l;

	if (strncmp(m, "error: ", 7) == 0)
		m += 7;
	l = strlen(m);
	while (l > 0 && m[l - 1] == '\n')
		l--;
	return vx_cfg_err(s, lineno, err, ret, "%.*s", (int)l, m);
}

/* The words of a line: "vxctl" and iproute2's leading options left out. */
static int
line_words(const struct vx_cfg_side *s, int lineno, char *buf, char **argv, int *argc,
	   struct vx_out *err)
{
	static const char *const opts[] = {"-4", "-6", "-d", "-details", "-f", "-force"};
	int n = vx_cli_split(buf, argv, VX_CLI_MAX_WORDS);
	int i = 0;

	if (n < 0)
		return vx_cfg_err(s, lineno, err, -E2BIG, "too many words");
	if (n > 0 && strcmp(argv[0], "vxctl") == 0)
		i++;
	for (; i < n && argv[i][0] == '-'; i++) {
		size_t k;

		for (k = 0; k < RTE_DIM(opts) && strcmp(argv[i], opts[k]) != 0; k++)
			;
		if (k == RTE_DIM(opts))
			return vx_cfg_err(s, lineno, err, -EINVAL,
					  "option %s has no place in a configuration", argv[i]);
	}
	memmove(argv, argv + i, (n - i + 1) * sizeof(argv[0]));
	*argc = n - i;
	return 0;
}

static bool
is_addr_word(const char *w)
{
	return strncmp(w, "address", strlen(w)) == 0;
}

static bool
is_neigh_word(const char *w)
{
	return strcmp(w, "neigh") == 0 || strcmp(w, "neighbor") == 0 || strcmp(w, "neighbour") == 0;
}

/* ---- links of a side ---- */

/* `link add [name] NAME type vxlan OPTIONS` into name and lk. */
static int
parse_link_add(const struct vx_cfg_side *s, int lineno, int argc, char **argv, const char **name,
	       struct vx_cfg_link *lk, struct vx_out *err)
{
	struct vx_out e = {0};
	const char *dev = NULL;
	int i = 2, t, ret;

	if (i < argc && strcmp(argv[i], "name") == 0)
		i++;
	/* iproute2's words of any link before `type`: address MAC, up. */
	for (t = i + 1; t < argc && strcmp(argv[t], "type") != 0; t++)
		;
	if (i >= argc || t + 1 >= argc || strcmp(argv[t + 1], "vxlan") != 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "link add: want NAME type vxlan ...");
	*name = argv[i];
	if (vx_parse_name(*name) < 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "link add: bad name \"%s\"", *name);
	memset(lk, 0, sizeof(*lk));
	vx_link_opt_default(&lk->opt);
	ret = vx_cli_link_opts(t, argv, i + 1, true, &lk->opt, &dev, &e);
	if (ret == 0)
		ret = vx_cli_link_opts(argc, argv, t + 2, true, &lk->opt, &dev, &e);
	if (ret < 0) {
		ret = cfg_err_out(s, lineno, err, ret, &e);
		vx_out_free(&e);
		return ret;
	}
	if (!(lk->opt.set & VX_OPT_ID))
		return vx_cfg_err(s, lineno, err, -EINVAL, "link add %s: missing \"id VNI\"",
				  *name);
	strlcpy(lk->dev, dev != NULL ? dev : "", sizeof(lk->dev));
	return 0;
}

static int
scan_link(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	struct vx_cfg_link lk;
	const char *name;
	int ret = parse_link_add(s, lineno, argc, argv, &name, &lk, err);

	if (ret < 0)
		return ret;
	if (vx_cfg_link_index(s, name) >= 0)
		return vx_cfg_err(s, lineno, err, -EEXIST, "link %s is added twice", name);
	if (s->n_links % 64 == 0) {
		void *nl = realloc(s->links, (s->n_links + 64) * sizeof(*s->links));

		if (nl == NULL)
			return vx_cfg_err(s, lineno, err, -ENOMEM, "out of memory");
		s->links = nl;
	}
	strlcpy(s->links[s->n_links].name, name, VX_NAME_LEN);
	s->links[s->n_links].dstport = lk.opt.dstport;
	s->links[s->n_links].vni = lk.opt.vni;
	s->n_links++;
	return 0;
}

/* `link set [dev] DEV name NAME`: a port rename. */
static int
scan_rename(struct vx_cfg_side *s, int lineno, const char *dev, const char *name,
	    struct vx_out *err)
{
	if (vx_parse_name(name) < 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "name \"%s\": bad name", name);
	for (unsigned int i = 0; i < s->n_ren; i++)
		if (strcmp(s->ren[i].dev, dev) == 0)
			return vx_cfg_err(s, lineno, err, -EEXIST, "port %s is renamed twice", dev);
	if (s->n_ren == RTE_DIM(s->ren))
		return vx_cfg_err(s, lineno, err, -E2BIG, "more port renames than ports");
	strlcpy(s->ren[s->n_ren].dev, dev, VX_NAME_LEN);
	strlcpy(s->ren[s->n_ren].name, name, VX_NAME_LEN);
	s->n_ren++;
	return 0;
}

/* The port of `link set [dev] PORT ...`: index of the word after it. */
static int
set_dev(int argc, char **argv)
{
	int i = 2;

	if (i < argc && strcmp(argv[i], "dev") == 0)
		i++;
	return i < argc ? i : -1;
}

int
vx_cfg_scan(struct vx_cfg_side *s, const char *text, struct vx_out *err)
{
	struct iter it = {.p = text, .next_lineno = 1};
	char *argv[VX_CLI_MAX_WORDS + 1];
	int lineno, argc, ret = 0, d;

	while (ret == 0 && iter_next(&it, &lineno)) {
		ret = line_words(s, lineno, it.buf, argv, &argc, err);
		if (ret < 0 || argc < 2 || strcmp(argv[0], "link") != 0)
			continue;
		if (strcmp(argv[1], "add") == 0) {
			ret = scan_link(s, lineno, argc, argv, err);
			continue;
		}
		d = set_dev(argc, argv);
		if (strcmp(argv[1], "set") == 0 && d > 0 && d + 3 == argc &&
		    strcmp(argv[d + 1], "name") == 0)
			ret = scan_rename(s, lineno, argv[d], argv[d + 2], err);
	}
	if (ret == 0 && it.oom)
		ret = vx_err(err, -ENOMEM, "%s: out of memory", s->fname);
	free(it.buf);
	for (unsigned int i = 0; ret == 0 && i < s->n_ren; i++)
		if (vx_cfg_link_index(s, s->ren[i].dev) >= 0)
			ret = vx_err(err, -EINVAL, "%s: renaming link %s: only ports are renamed",
				     s->fname, s->ren[i].dev);
	return ret;
}

/* ---- entries ---- */

static int
read_link(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	char key[VX_CFG_TXT], del[VX_CFG_TXT], mac[RTE_ETHER_ADDR_FMT_SIZE] = "";
	struct vx_out o = {0}, body = {0};
	struct vx_cfg_link lk;
	const char *name, *dev;
	bool has_mac;
	int ret = parse_link_add(s, lineno, argc, argv, &name, &lk, err);

	if (ret < 0)
		return ret;
	/*
	 * The link's own MAC (save always writes it) is compared only when the
	 * target gives one, as a route's dev: a line without `address` means
	 * "whatever MAC the link has".
	 */
	has_mac = (lk.opt.set & VX_OPT_ADDRESS) != 0;
	if (has_mac)
		vx_fmt_mac(&lk.opt.address, mac, sizeof(mac));
	dev = lk.dev[0] != '\0' ? lk.dev : NULL;
	vx_cli_link_line(&o, name, &lk.opt, dev, has_mac ? &lk.opt.address : NULL);
	vx_cli_link_line(&body, name, &lk.opt, dev, NULL);
	if (o.buf == NULL || body.buf == NULL) {
		ret = vx_cfg_err(s, lineno, err, -ENOMEM, "out of memory");
		goto out;
	}
	o.buf[strcspn(o.buf, "\n")] = '\0';
	body.buf[strcspn(body.buf, "\n")] = '\0';
	snprintf(key, sizeof(key), "l %s", name);
	snprintf(del, sizeof(del), "link del %s", name);
	ret = vx_cfg_push(s, lineno,
			  &(struct vx_cfg_spec){.kind = CFG_LINK,
						.line = o.buf,
						.key = key,
						.body = body.buf,
						.weak = mac,
						.del = del,
						.link = &lk},
			  err);
out:
	vx_out_free(&o);
	vx_out_free(&body);
	return ret;
}

/* `link set dev PORT master LINK [vlan VID]` (argv[d] is PORT). */
static int
read_attach(struct vx_cfg_side *s, int lineno, int argc, char **argv, int d, struct vx_out *err)
{
	char line[VX_CFG_TXT], key[VX_CFG_TXT], body[VX_CFG_TXT], del[VX_CFG_TXT], par[VX_CFG_TXT],
		par2[VX_CFG_TXT];
	char vl[24] = "";
	const char *p = argv[d], *l = argv[d + 2];
	uint32_t v = 0;

	if (d + 5 == argc && strcmp(argv[d + 3], "vlan") == 0) {
		if (vx_parse_u32(argv[d + 4], 1, 4094, &v) < 0)
			return vx_cfg_err(s, lineno, err, -EINVAL, "vlan \"%s\": must be 1..4094",
					  argv[d + 4]);
		snprintf(vl, sizeof(vl), " vlan %u", v);
	} else if (d + 3 != argc) {
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "link set dev %s master: unexpected \"%s\"", p, argv[d + 3]);
	}
	if (vx_cfg_link_index(s, l) < 0)
		return vx_cfg_err(s, lineno, err, -ENODEV, "master %s: no such link in %s", l,
				  s->fname);
	snprintf(line, sizeof(line), "link set dev %s master %s%s", p, l, vl);
	snprintf(key, sizeof(key), "m %s %u", p, v);
	snprintf(body, sizeof(body), "%s", l);
	snprintf(del, sizeof(del), "link set dev %s nomaster%s", p, vl);
	snprintf(par, sizeof(par), "l %s", l);
	snprintf(par2, sizeof(par2), "m %s 0", p);
	return vx_cfg_push(s, lineno,
			   &(struct vx_cfg_spec){.kind = v ? CFG_ATTACH_VLAN : CFG_ATTACH,
						 .line = line,
						 .key = key,
						 .body = body,
						 .del = del,
						 .parent = par,
						 .parent2 = v ? par2 : NULL},
			   err);
}

static int
read_link_line(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	int d;

	if (strcmp(argv[1], "add") == 0)
		return read_link(s, lineno, argc, argv, err);
	d = set_dev(argc, argv);
	if (strcmp(argv[1], "set") != 0 || d < 0)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "link %s: only link add and link set belong in a configuration",
				  argv[1]);
	if (d + 3 == argc && strcmp(argv[d + 1], "name") == 0)
		return 0; /* a rename: pass one's */
	if (d + 2 == argc && (strcmp(argv[d + 1], "up") == 0 || strcmp(argv[d + 1], "down") == 0))
		return 0; /* accepted by the command layer, no effect */
	if (d + 3 <= argc && strcmp(argv[d + 1], "master") == 0)
		return read_attach(s, lineno, argc, argv, d, err);
	return vx_cfg_err(
		s, lineno, err, -EINVAL,
		"link set dev %s: only \"master LINK [vlan VID]\" and \"name NAME\" belong "
		"in a configuration",
		argv[d]);
}

/* One line of pass two. */
static int
read_line(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	if (argc == 0)
		return 0;
	if (argc >= 2 && strcmp(argv[0], "link") == 0)
		return read_link_line(s, lineno, argc, argv, err);
	if (argc >= 2 && strcmp(argv[0], "fdb") == 0)
		return vx_cfg_read_fdb(s, lineno, argc, argv, err);
	if (argc >= 2 && is_addr_word(argv[0]))
		return vx_cfg_read_addr(s, lineno, argc, argv, err);
	if (argc >= 2 && strcmp(argv[0], "route") == 0)
		return vx_cfg_read_route(s, lineno, argc, argv, err);
	if (argc >= 2 && is_neigh_word(argv[0]))
		return vx_cfg_read_neigh(s, lineno, argc, argv, err);
	return vx_cfg_err(s, lineno, err, -EINVAL,
			  "\"%s%s%s\" is not a configuration line (a configuration holds link "
			  "add, link set dev PORT master|name, addr add, route add, neigh add, "
			  "fdb add|append)",
			  argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
}

/* The words after "dev" spelt with the renamed ports' new names. */
static void
map_devs(int argc, char **argv, const struct vx_cfg_rename *map, unsigned int n_map)
{
	for (int i = 0; i + 1 < argc; i++) {
		if (strcmp(argv[i], "dev") != 0)
			continue;
		for (unsigned int k = 0; k < n_map; k++)
			if (strcmp(argv[i + 1], map[k].dev) == 0) {
				argv[i + 1] = (char *)(uintptr_t)map[k].name;
				break;
			}
	}
}

int
vx_cfg_read(struct vx_cfg_side *s, const char *text, const struct vx_cfg_rename *map,
	    unsigned int n_map, struct vx_out *err)
{
	struct iter it = {.p = text, .next_lineno = 1};
	char *argv[VX_CLI_MAX_WORDS + 1];
	int lineno, argc, ret = 0;

	while (ret == 0 && iter_next(&it, &lineno)) {
		ret = line_words(s, lineno, it.buf, argv, &argc, err);
		if (ret < 0)
			break;
		if (map != NULL)
			map_devs(argc, argv, map, n_map);
		ret = read_line(s, lineno, argc, argv, err);
	}
	if (ret == 0 && it.oom)
		ret = vx_err(err, -ENOMEM, "%s: out of memory", s->fname);
	free(it.buf);
	return ret;
}

void
vx_cfg_side_free(struct vx_cfg_side *s)
{
	for (unsigned int i = 0; i < s->n; i++) {
		free(s->e[i].mem);
		free(s->e[i].link);
	}
	free(s->e);
	free(s->links);
	s->e = NULL;
	s->links = NULL;
	s->n = s->cap = s->n_links = s->n_ren = 0;
}
