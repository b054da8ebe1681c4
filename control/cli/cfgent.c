/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One configuration line of the fdb, addr, route and neigh families as an
 * entry (cfg.h), spelt as vx_cli_config spells it:
 *
 *   fdb append 00:00:00:00:00:00 dev LINK dst IP [port N] [vni N] self STATE   flood list
 *   fdb add MAC dev LINK dst IP [port N] [vni N] self [router] STATE           remote
 *   fdb add MAC dev PORT master [vlan VID] [router] STATE                       local
 *   addr add IP/LEN dev PORT|LINK [vlan VID]
 *   route add PREFIX|default [via GW] [dev PORT]
 *   neigh add IP lladdr MAC dev PORT|LINK nud STATE
 *
 * Whether `dev` names a link or a port is the configuration's own say (its
 * `link add` lines). A remote entry's `port` and `vni` equal to its link's
 * are left out, as save leaves them out.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <bsd/string.h>
#include <rte_ether.h>

#include "cli/cfg.h"
#include "cli/cli.h"
#include "lib/inet.h"

/* ---- the entries of one side: errors, links, entries (the readers below and cfgline.c use them) ---- */

int
vx_cfg_err(const struct vx_cfg_side *s, int lineno, struct vx_out *err, int ret, const char *fmt,
	   ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vx_err(err, ret, "%s:%d: %s", s->fname, lineno, msg);
}

int
vx_cfg_link_index(const struct vx_cfg_side *s, const char *name)
{
	for (unsigned int i = 0; i < s->n_links; i++)
		if (strcmp(s->links[i].name, name) == 0)
			return i;
	return -1;
}

int
vx_cfg_push(struct vx_cfg_side *s, int lineno, const struct vx_cfg_spec *sp, struct vx_out *err)
{
	const char *str[7] = {sp->line,
			      sp->key,
			      sp->body ? sp->body : "",
			      sp->weak ? sp->weak : "",
			      sp->del,
			      sp->parent ? sp->parent : "",
			      sp->parent2 ? sp->parent2 : ""};
	struct vx_cfg_ent *e;
	size_t len[7], tot = 0;
	char **dst[7], *m;

	if (s->n == s->cap) {
		unsigned int cap = s->cap ? s->cap * 2 : 1024;
		struct vx_cfg_ent *ne = realloc(s->e, cap * sizeof(*ne));

		if (ne == NULL)
			return vx_cfg_err(s, lineno, err, -ENOMEM, "out of memory");
		s->e = ne;
		s->cap = cap;
	}
	for (int i = 0; i < 7; i++)
		tot += len[i] = strlen(str[i]) + 1;
	e = &s->e[s->n];
	memset(e, 0, sizeof(*e));
	m = e->mem = malloc(tot);
	if (sp->link != NULL)
		e->link = malloc(sizeof(*e->link));
	if (m == NULL || (sp->link != NULL && e->link == NULL)) {
		free(e->mem);
		free(e->link);
		return vx_cfg_err(s, lineno, err, -ENOMEM, "out of memory");
	}
	if (sp->link != NULL)
		*e->link = *sp->link;
	dst[0] = &e->line, dst[1] = &e->key, dst[2] = &e->body, dst[3] = &e->weak;
	dst[4] = &e->del, dst[5] = &e->parent, dst[6] = &e->parent2;
	for (int i = 0; i < 7; i++) {
		memcpy(m, str[i], len[i]);
		*dst[i] = m;
		m += len[i];
	}
	e->kind = sp->kind;
	e->lineno = lineno;
	e->other = e->cause = -1;
	s->n++;
	return 0;
}

/*
 * The strings after len (up to a NULL) joined into buf, cut at len: the
 * FDB lines of a configuration may be a million, snprintf is what their
 * reading costs most.
 */
static void
cat(char *buf, size_t len, ...)
{
	char *p = buf, *end = buf + len - 1;
	const char *w;
	va_list ap;

	va_start(ap, len);
	while ((w = va_arg(ap, const char *)) != NULL)
		while (*w != '\0' && p < end)
			*p++ = *w++;
	va_end(ap);
	*p = '\0';
}

/* ---- fdb ---- */

struct fdb_words {
	struct rte_ether_addr mac;
	const char *dev;
	struct vx_ip dst;
	bool has_dst, has_port, has_vni;
	uint32_t port, vni, vlan;
	const char *state;
	const char *router; /* " router" (the entry of a router: rsc) or "" */
};

/* The word at argv[*i] (and its value) into f. */
static int
fdb_word(struct vx_cfg_side *s, int lineno, int argc, char **argv, int *i, struct fdb_words *f,
	 struct vx_out *err)
{
	const char *w = argv[*i], *v;

	if (strcmp(w, "self") == 0 || strcmp(w, "master") == 0)
		return 0; /* port or link: the dev says */
	if (strcmp(w, "router") == 0) {
		f->router = " router";
		return 0;
	}
	if (strcmp(w, "permanent") == 0 || strcmp(w, "static") == 0 || strcmp(w, "dynamic") == 0 ||
	    strcmp(w, "temp") == 0) {
		f->state = strcmp(w, "temp") == 0 ? "static" : w;
		return 0;
	}
	if (*i + 1 >= argc)
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb: \"%s\" needs a value", w);
	v = argv[++*i];
	if (strcmp(w, "dev") == 0)
		f->dev = v;
	else if (strcmp(w, "dst") == 0)
		f->has_dst = vx_parse_ip(v, &f->dst) == 0;
	else if (strcmp(w, "port") == 0)
		f->has_port = vx_parse_u32(v, 1, 65535, &f->port) == 0;
	else if (strcmp(w, "vni") == 0)
		f->has_vni = vx_parse_vni(v, &f->vni) == 0;
	else if (strcmp(w, "vlan") == 0 && vx_parse_u32(v, 1, 4094, &f->vlan) < 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb: vlan \"%s\": must be 1..4094", v);
	else if (strcmp(w, "vlan") != 0 && strcmp(w, "dev") != 0 && strcmp(w, "dst") != 0 &&
		 strcmp(w, "port") != 0 && strcmp(w, "vni") != 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb: unknown option \"%s\"", w);
	if ((strcmp(w, "dst") == 0 && !f->has_dst) || (strcmp(w, "port") == 0 && !f->has_port) ||
	    (strcmp(w, "vni") == 0 && !f->has_vni))
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb: %s \"%s\": bad value", w, v);
	return 0;
}

static int
fdb_parse(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct fdb_words *f,
	  struct vx_out *err)
{
	const char *verb = argv[1];

	memset(f, 0, sizeof(*f));
	f->state = "permanent";
	f->router = "";
	if (strcmp(verb, "add") != 0 && strcmp(verb, "append") != 0 && strcmp(verb, "replace") != 0)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "fdb %s: only fdb add, append and replace belong in a "
				  "configuration",
				  verb);
	if (argc < 3 || vx_parse_mac(argv[2], &f->mac) < 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb %s: want a MAC address", verb);
	for (int i = 3; i < argc; i++)
		if (fdb_word(s, lineno, argc, argv, &i, f, err) < 0)
			return -EINVAL;
	if (f->dev == NULL)
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb %s: missing \"dev\"", verb);
	return 0;
}

/* A flood-list entry or a remote one: dev is link l of the configuration. */
static int
fdb_remote(struct vx_cfg_side *s, int lineno, struct fdb_words *f, int l, struct vx_out *err)
{
	char mac[24], ip[INET6_ADDRSTRLEN], opt[48] = "", kopt[48];
	char line[VX_CFG_TXT], key[VX_CFG_TXT], body[VX_CFG_TXT], del[VX_CFG_TXT], par[VX_CFG_TXT];
	bool flood = rte_is_zero_ether_addr(&f->mac);
	size_t n;

	if (!f->has_dst)
		return vx_cfg_err(s, lineno, err, -EINVAL, "fdb dev %s: missing \"dst IP\"",
				  f->dev);
	if (!flood && f->has_port && f->port == s->links[l].dstport)
		f->has_port = false;
	if (!flood && f->has_vni && f->vni == s->links[l].vni)
		f->has_vni = false;
	if (f->has_port)
		snprintf(opt, sizeof(opt), " port %u", f->port);
	n = strlen(opt);
	if (f->has_vni)
		snprintf(opt + n, sizeof(opt) - n, " vni %u", f->vni);
	snprintf(kopt, sizeof(kopt), "%ld %ld", f->has_port ? (long)f->port : -1L,
		 f->has_vni ? (long)f->vni : -1L);
	vx_fmt_mac(&f->mac, mac, sizeof(mac));
	vx_fmt_ip(&f->dst, ip, sizeof(ip));
	cat(line, sizeof(line), "fdb ", flood ? "append " : "add ", mac, " dev ", f->dev, " dst ",
	    ip, opt, " self", f->router, " ", f->state, NULL);
	if (flood)
		cat(key, sizeof(key), "f ", f->dev, " ", ip, " ", kopt, NULL);
	else
		cat(key, sizeof(key), "u ", mac, " ", f->dev, NULL);
	if (flood)
		cat(body, sizeof(body), f->state, NULL);
	else
		cat(body, sizeof(body), ip, opt, f->router, " ", f->state, NULL);
	if (flood)
		cat(del, sizeof(del), "fdb del ", mac, " dev ", f->dev, " dst ", ip, opt, NULL);
	else
		cat(del, sizeof(del), "fdb del ", mac, " dev ", f->dev, NULL);
	cat(par, sizeof(par), "l ", f->dev, NULL);
	return vx_cfg_push(s, lineno,
			   &(struct vx_cfg_spec){.kind = flood ? CFG_FLOOD : CFG_FDB_REMOTE,
						 .line = line,
						 .key = key,
						 .body = body,
						 .del = del,
						 .parent = par},
			   err);
}

/* An entry on a port: dev is no link of the configuration. */
static int
fdb_local(struct vx_cfg_side *s, int lineno, const struct fdb_words *f, struct vx_out *err)
{
	char mac[24], vl[24] = "", vn[16];
	char line[VX_CFG_TXT], key[VX_CFG_TXT], del[VX_CFG_TXT], par[VX_CFG_TXT], body[64];

	if (f->has_dst)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "fdb dev %s dst: %s is no link of this configuration", f->dev,
				  f->dev);
	if (rte_is_zero_ether_addr(&f->mac))
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "00:00:00:00:00:00 on port %s: not a host address", f->dev);
	snprintf(vn, sizeof(vn), "%u", f->vlan);
	if (f->vlan != 0)
		cat(vl, sizeof(vl), " vlan ", vn, NULL);
	vx_fmt_mac(&f->mac, mac, sizeof(mac));
	cat(line, sizeof(line), "fdb add ", mac, " dev ", f->dev, " master", vl, f->router, " ",
	    f->state, NULL);
	/* The MAC first: keys are sorted and compared, and MACs differ early. */
	cat(key, sizeof(key), "d ", mac, " ", f->dev, " ", vn, NULL);
	cat(del, sizeof(del), "fdb del ", mac, " dev ", f->dev, " master", vl, NULL);
	cat(par, sizeof(par), "m ", f->dev, " ", vn, NULL);
	cat(body, sizeof(body), f->state, f->router, NULL);
	return vx_cfg_push(s, lineno,
			   &(struct vx_cfg_spec){.kind = CFG_FDB_LOCAL,
						 .line = line,
						 .key = key,
						 .body = body,
						 .del = del,
						 .parent = par},
			   err);
}

int
vx_cfg_read_fdb(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	struct fdb_words f;
	int l;

	if (fdb_parse(s, lineno, argc, argv, &f, err) < 0)
		return -EINVAL;
	l = vx_cfg_link_index(s, f.dev);
	if (l >= 0)
		return fdb_remote(s, lineno, &f, l, err);
	return fdb_local(s, lineno, &f, err);
}

/* ---- addr ---- */

/* IP[/LEN] of an address (host bits kept) into "IP/LEN". */
static int
addr_prefix(const char *w, char *out, size_t len)
{
	char buf[INET6_ADDRSTRLEN + 8], ip[INET6_ADDRSTRLEN];
	struct vx_ip a;
	uint32_t plen;
	char *slash;

	if (strlcpy(buf, w, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (vx_parse_ip(buf, &a) < 0)
		return -EINVAL;
	plen = a.family == AF_INET ? 32 : 128;
	if (slash != NULL && vx_parse_u32(slash, 0, plen, &plen) < 0)
		return -EINVAL;
	snprintf(out, len, "%s/%u", vx_fmt_ip(&a, ip, sizeof(ip)), plen);
	return 0;
}

int
vx_cfg_read_addr(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	char pfx[INET6_ADDRSTRLEN + 8] = "", vl[24] = "";
	char line[VX_CFG_TXT], key[VX_CFG_TXT], del[VX_CFG_TXT], par[VX_CFG_TXT];
	const char *dev = NULL;
	bool link;
	uint32_t v;

	if (strcmp(argv[1], "add") != 0)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "addr %s: only addr add belongs in a configuration", argv[1]);
	for (int i = 2; i < argc; i++) {
		const char *w = argv[i];

		if ((strcmp(w, "dev") == 0 || strcmp(w, "vlan") == 0) && i + 1 < argc) {
			if (w[0] == 'd')
				dev = argv[++i];
			else if (vx_parse_u32(argv[++i], 1, 4094, &v) < 0)
				return vx_cfg_err(s, lineno, err, -EINVAL,
						  "vlan \"%s\": must be 1..4094", argv[i]);
			else
				snprintf(vl, sizeof(vl), " vlan %u", v);
		} else if (pfx[0] == '\0' && strcmp(w, "local") != 0) {
			if (addr_prefix(w, pfx, sizeof(pfx)) < 0)
				return vx_cfg_err(s, lineno, err, -EINVAL,
						  "addr add \"%s\": not an IP/LEN", w);
		} else if (strcmp(w, "local") != 0) {
			return vx_cfg_err(s, lineno, err, -EINVAL, "addr add: unexpected \"%s\"",
					  w);
		}
	}
	if (pfx[0] == '\0' || dev == NULL)
		return vx_cfg_err(s, lineno, err, -EINVAL, "addr add: want IP/LEN dev NAME");
	link = vx_cfg_link_index(s, dev) >= 0;
	snprintf(line, sizeof(line), "addr add %s dev %s%s", pfx, dev, vl);
	snprintf(key, sizeof(key), "a %s %s", pfx, dev);
	snprintf(del, sizeof(del), "addr del %s dev %s%s", pfx, dev, vl);
	snprintf(par, sizeof(par), "l %s", dev);
	return vx_cfg_push(s, lineno,
			   &(struct vx_cfg_spec){.kind = link ? CFG_LINK_ADDR : CFG_UL_ADDR,
						 .line = line,
						 .key = key,
						 .body = vl,
						 .del = del,
						 .parent = link ? par : NULL},
			   err);
}

/* ---- route ---- */

/* PREFIX or default into dst ("default" or "IP/LEN", host bits cleared) and its key. */
static int
route_dst(const char *w, const struct vx_ip *gw, char *dst, size_t dlen, char *key, size_t klen)
{
	char ip[INET6_ADDRSTRLEN];
	struct vx_ip a;
	uint8_t plen;

	if (strcmp(w, "default") == 0) {
		snprintf(dst, dlen, "default");
		snprintf(key, klen, "r default%s",
			 gw->family == AF_INET	  ? "4"
			 : gw->family == AF_INET6 ? "6"
						  : "");
		return 0;
	}
	if (vx_parse_prefix(w, &a, &plen) < 0)
		return -EINVAL;
	vx_prefix_mask(&a, plen);
	vx_fmt_ip(&a, ip, sizeof(ip));
	if (plen == 0)
		snprintf(dst, dlen, "default");
	else
		snprintf(dst, dlen, "%s/%u", ip, plen);
	if (plen == 0)
		snprintf(key, klen, "r default%s", a.family == AF_INET ? "4" : "6");
	else
		snprintf(key, klen, "r %s", dst);
	return 0;
}

int
vx_cfg_read_route(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	char dst[INET6_ADDRSTRLEN + 8], gws[INET6_ADDRSTRLEN + 8] = "", devw[VX_CFG_TXT] = "";
	char line[VX_CFG_TXT], key[VX_CFG_TXT], del[VX_CFG_TXT];
	const char *pfx = NULL, *dev = NULL;
	struct vx_ip gw = {0};

	if (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "replace") != 0)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "route %s: only route add belongs in a configuration", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "via") == 0 && i + 1 < argc) {
			if (vx_parse_ip(argv[++i], &gw) < 0)
				return vx_cfg_err(s, lineno, err, -EINVAL,
						  "via \"%s\": not an IP address", argv[i]);
			vx_fmt_ip(&gw, gws, sizeof(gws));
		} else if (strcmp(argv[i], "dev") == 0 && i + 1 < argc) {
			dev = argv[++i];
		} else if (pfx == NULL) {
			pfx = argv[i];
		} else {
			return vx_cfg_err(s, lineno, err, -EINVAL, "route add: unexpected \"%s\"",
					  argv[i]);
		}
	}
	if (pfx == NULL || route_dst(pfx, &gw, dst, sizeof(dst), key, sizeof(key)) < 0)
		return vx_cfg_err(s, lineno, err, -EINVAL, "route add: want PREFIX or default");
	if (dev != NULL)
		snprintf(devw, sizeof(devw), " dev %s", dev);
	snprintf(line, sizeof(line), "route add %s%s%s%s", dst, gws[0] ? " via " : "", gws, devw);
	snprintf(del, sizeof(del), "route del %s%s%s%s", dst, gws[0] ? " via " : "", gws, devw);
	return vx_cfg_push(s, lineno,
			   &(struct vx_cfg_spec){.kind = CFG_ROUTE,
						 .line = line,
						 .key = key,
						 .body = gws,
						 .weak = dev,
						 .del = del},
			   err);
}

/* ---- neigh ---- */

int
vx_cfg_read_neigh(struct vx_cfg_side *s, int lineno, int argc, char **argv, struct vx_out *err)
{
	static const char *const nuds[] = {"permanent", "noarp", "reachable", "stale"};
	char ip[INET6_ADDRSTRLEN], mac[24] = "", par[VX_CFG_TXT];
	char line[VX_CFG_TXT], key[VX_CFG_TXT], body[VX_CFG_TXT], del[VX_CFG_TXT];
	const char *dev = NULL, *nud = "permanent";
	struct rte_ether_addr m;
	struct vx_ip a = {0};
	bool link, nud_ok = false;

	if (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "replace") != 0)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "neigh %s: only neigh add belongs in a configuration", argv[1]);
	for (int i = 2; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "dev") == 0 && i + 1 < argc)
			dev = argv[++i];
		else if (strcmp(w, "nud") == 0 && i + 1 < argc)
			nud = argv[++i];
		else if (strcmp(w, "lladdr") == 0 && i + 1 < argc &&
			 vx_parse_mac(argv[++i], &m) == 0)
			vx_fmt_mac(&m, mac, sizeof(mac));
		else if (a.family == 0 && vx_parse_ip(w, &a) == 0)
			continue;
		else
			return vx_cfg_err(s, lineno, err, -EINVAL, "neigh add: unexpected \"%s\"",
					  w);
	}
	for (size_t k = 0; k < RTE_DIM(nuds); k++)
		nud_ok |= strcmp(nud, nuds[k]) == 0;
	if (a.family == 0 || mac[0] == '\0' || dev == NULL || !nud_ok)
		return vx_cfg_err(s, lineno, err, -EINVAL,
				  "neigh add: want IP lladdr MAC dev NAME [nud permanent|noarp]");
	link = vx_cfg_link_index(s, dev) >= 0;
	vx_fmt_ip(&a, ip, sizeof(ip));
	snprintf(line, sizeof(line), "neigh add %s lladdr %s dev %s nud %s", ip, mac, dev, nud);
	snprintf(key, sizeof(key), "n %s %s", ip, dev);
	snprintf(body, sizeof(body), "%s %s", mac, nud);
	snprintf(del, sizeof(del), "neigh del %s dev %s", ip, dev);
	snprintf(par, sizeof(par), "l %s", dev);
	return vx_cfg_push(s, lineno,
			   &(struct vx_cfg_spec){.kind = link ? CFG_LINK_NEIGH : CFG_UL_NEIGH,
						 .line = line,
						 .key = key,
						 .body = body,
						 .del = del,
						 .parent = link ? par : NULL},
			   err);
}
