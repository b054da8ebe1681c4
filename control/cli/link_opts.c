/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options of `link add` and `link set`: iproute2's vxlan words (id,
 * dstport, local, remote, group, dev, ttl, tos, df, srcport, ageing,
 * maxaddress and the on/off words such as learning/nolearning, rsc/norsc),
 * the link's own `address` (its MAC, as `ip link ... address` sets it)
 * and vxswitch's storm control `bum-rate`, parsed into a struct
 * vx_link_opt whose `set` says which were given. `proxy learn`
 * (vxswitch's own) is `proxy` with neighbour learning: `proxy` alone turns
 * the learning off, `noproxy` both. Pure: no model access.
 */

#include <errno.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/inet.h"

/* The on/off words: `learning`/`nolearning` and so on. */
static const struct {
	const char *word;
	uint16_t flag;
	uint32_t opt;
} flag_words[] = {
	{"learning", VX_BD_LEARNING, VX_OPT_LEARNING},
	/* `proxy [learn]`: the option covers both bits (opt_flag sets PROXY only). */
	{"proxy", VX_BD_PROXY | VX_BD_PROXY_LEARN, VX_OPT_PROXY},
	{"rsc", VX_BD_RSC, VX_OPT_RSC},
	{"udpcsum", VX_BD_UDPCSUM, VX_OPT_UDPCSUM},
	{"udp6zerocsumtx", VX_BD_UDP6ZCSUM_TX, VX_OPT_ZCSUMTX},
	{"udp6zerocsumrx", VX_BD_UDP6ZCSUM_RX, VX_OPT_ZCSUMRX},
	{"l2miss", VX_BD_L2MISS, VX_OPT_L2MISS},
	{"l3miss", VX_BD_L3MISS, VX_OPT_L3MISS},
};

/* 1 when w is an on/off word (applied to o), 0 otherwise. */
static int
opt_flag(const char *w, struct vx_link_opt *o)
{
	bool no = strncmp(w, "no", 2) == 0;

	for (size_t k = 0; k < RTE_DIM(flag_words); k++) {
		if (strcmp(no ? w + 2 : w, flag_words[k].word) != 0)
			continue;
		if (no)
			o->flags &= ~flag_words[k].flag;
		else if (flag_words[k].flag & VX_BD_PROXY)
			o->flags = (o->flags & ~VX_BD_PROXY_LEARN) | VX_BD_PROXY;
		else
			o->flags |= flag_words[k].flag;
		o->set |= flag_words[k].opt;
		return 1;
	}
	return 0;
}

static int
opt_addr(struct vx_link_opt *o, const char *w, const char *v, struct vx_out *out)
{
	struct vx_ip ip;

	if (vx_parse_ip(v, &ip) < 0)
		return vx_err(out, -EINVAL, "%s \"%s\": not an IPv4 or IPv6 address", w, v);
	if (w[0] == 'l') {
		if (vx_ip_is_multicast(&ip))
			return vx_err(out, -EINVAL, "local %s: multicast address", v);
		o->local = ip;
		o->set |= VX_OPT_LOCAL;
	} else if (w[0] == 'r') {
		if (vx_ip_is_multicast(&ip))
			return vx_err(out, -EINVAL, "remote %s: multicast address (use group)", v);
		o->remote = ip;
		o->set |= VX_OPT_REMOTE;
	} else {
		if (!vx_ip_is_multicast(&ip))
			return vx_err(out, -EINVAL, "group %s: not a multicast address", v);
		o->group = ip;
		o->set |= VX_OPT_GROUP;
	}
	return 0;
}

static int
opt_ttl(struct vx_link_opt *o, const char *v, struct vx_out *out)
{
	uint32_t n;

	if (strcmp(v, "inherit") == 0 || strcmp(v, "auto") == 0)
		o->ttl = VX_TTL_INHERIT;
	else if (vx_parse_u32(v, 0, 255, &n) < 0)
		return vx_err(out, -EINVAL, "ttl \"%s\": must be 0..255 or inherit", v);
	else
		o->ttl = n;
	o->set |= VX_OPT_TTL;
	return 0;
}

static int
opt_tos(struct vx_link_opt *o, const char *v, struct vx_out *out)
{
	uint32_t n;

	if (strcmp(v, "inherit") == 0)
		o->tos = VX_TOS_INHERIT;
	else if (vx_parse_u32_hex(v, 0, 255, &n) < 0)
		return vx_err(out, -EINVAL, "tos \"%s\": must be 0..255 or inherit", v);
	else
		o->tos = n;
	o->set |= VX_OPT_TOS;
	return 0;
}

static int
opt_df(struct vx_link_opt *o, const char *v, struct vx_out *out)
{
	if (strcmp(v, "set") == 0)
		o->df = VX_DF_SET;
	else if (strcmp(v, "unset") == 0)
		o->df = VX_DF_UNSET;
	else if (strcmp(v, "inherit") == 0)
		o->df = VX_DF_INHERIT;
	else
		return vx_err(out, -EINVAL, "df \"%s\": must be set, unset or inherit", v);
	o->set |= VX_OPT_DF;
	return 0;
}

/* srcport MIN MAX: the kernel's words, 0..65535; MIN >= MAX means the default range. */
static int
opt_srcport(struct vx_link_opt *o, const char *a, const char *b, struct vx_out *out)
{
	uint32_t v, v2;

	if (vx_parse_u32(a, 0, 65535, &v) < 0)
		return vx_err(out, -EINVAL, "srcport \"%s\": must be 0..65535", a);
	if (vx_parse_u32(b, 0, 65535, &v2) < 0)
		return vx_err(out, -EINVAL, "srcport \"%s\": must be 0..65535", b);
	if (v2 < v)
		return vx_err(out, -EINVAL, "srcport %u %u: MAX below MIN", v, v2);
	o->srcport_min = v;
	o->srcport_max = v2;
	o->set |= VX_OPT_SRCPORT;
	return 0;
}

/* One option with one value (v = argv[i + 1]); 0 parsed, 1 not such an option, -errno. */
static int
opt_value(struct vx_link_opt *o, const char **dev, const char *w, const char *v, struct vx_out *out)
{
	uint32_t n;

	if (strcmp(w, "id") == 0 || strcmp(w, "vni") == 0) {
		if (vx_parse_vni(v, &o->vni) < 0)
			return vx_err(out, -EINVAL, "id \"%s\": VNI must be 0..16777215", v);
		o->set |= VX_OPT_ID;
	} else if (strcmp(w, "dstport") == 0) {
		if (vx_parse_u32(v, 1, 65535, &n) < 0)
			return vx_err(out, -EINVAL, "dstport \"%s\": must be 1..65535", v);
		o->dstport = n;
		o->set |= VX_OPT_DSTPORT;
	} else if (strcmp(w, "local") == 0 || strcmp(w, "remote") == 0 || strcmp(w, "group") == 0) {
		return opt_addr(o, w, v, out);
	} else if (strcmp(w, "dev") == 0) {
		*dev = v;
		o->set |= VX_OPT_DEV;
	} else if (strcmp(w, "ttl") == 0 || strcmp(w, "hoplimit") == 0) {
		return opt_ttl(o, v, out);
	} else if (strcmp(w, "tos") == 0 || strcmp(w, "dsfield") == 0) {
		return opt_tos(o, v, out);
	} else if (strcmp(w, "df") == 0) {
		return opt_df(o, v, out);
	} else if (strcmp(w, "ageing") == 0 || strcmp(w, "aging") == 0) {
		if (vx_parse_u32(v, 0, UINT32_MAX / 2, &n) < 0)
			return vx_err(out, -EINVAL, "ageing \"%s\": not a number of seconds", v);
		o->ageing = n;
		o->set |= VX_OPT_AGEING;
	} else if (strcmp(w, "address") == 0 || strcmp(w, "lladdr") == 0) {
		if (vx_parse_mac(v, &o->address) < 0)
			return vx_err(out, -EINVAL, "address \"%s\": not a MAC address", v);
		if (rte_is_multicast_ether_addr(&o->address) || rte_is_zero_ether_addr(&o->address))
			return vx_err(out, -EINVAL, "address %s: not a unicast MAC", v);
		o->set |= VX_OPT_ADDRESS;
	} else if (strcmp(w, "maxaddress") == 0) {
		if (vx_parse_u32(v, 0, VX_FDB_MAX_CAPACITY, &n) < 0)
			return vx_err(out, -EINVAL, "maxaddress \"%s\": must be 0..%u", v,
				      VX_FDB_MAX_CAPACITY);
		o->maxaddress = n;
		o->set |= VX_OPT_MAXADDR;
	} else if (strcmp(w, "bum-rate") == 0) {
		if (vx_parse_u32(v, 0, VX_BUM_RATE_MAX, &n) < 0)
			return vx_err(out, -EINVAL,
				      "bum-rate \"%s\": must be 0..%u frames a second (0 = off)", v,
				      VX_BUM_RATE_MAX);
		o->bum_rate = n;
		o->set |= VX_OPT_BUMRATE;
	} else {
		return 1;
	}
	return 0;
}

static bool
takes_value(const char *w)
{
	static const char *const words[] = {
		"id",	  "vni",   "dstport",	 "local",   "remote",  "group",
		"dev",	  "ttl",   "hoplimit",	 "tos",	    "dsfield", "df",
		"ageing", "aging", "maxaddress", "address", "lladdr",  "bum-rate"};

	for (size_t k = 0; k < RTE_DIM(words); k++)
		if (strcmp(w, words[k]) == 0)
			return true;
	return false;
}

int
vx_cli_link_opts(int argc, char **argv, int i, bool add, struct vx_link_opt *o, const char **dev,
		 struct vx_out *out)
{
	for (; i < argc; i++) {
		const char *w = argv[i];
		int ret;

		if (takes_value(w)) {
			if (i + 1 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"%s\"", w);
			ret = opt_value(o, dev, w, argv[++i], out);
			if (ret < 0)
				return ret;
		} else if (strcmp(w, "srcport") == 0 || strcmp(w, "port") == 0) {
			if (i + 2 >= argc)
				return vx_err(out, -EINVAL, "missing value after \"%s\" (MIN MAX)",
					      w);
			ret = opt_srcport(o, argv[i + 1], argv[i + 2], out);
			if (ret < 0)
				return ret;
			i += 2;
		} else if (opt_flag(w, o)) {
			/* `proxy learn`: proxy with neighbour learning. */
			if (strcmp(w, "proxy") == 0 && i + 1 < argc &&
			    strcmp(argv[i + 1], "learn") == 0) {
				o->flags |= VX_BD_PROXY_LEARN;
				i++;
			}
			continue;
		} else if (strcmp(w, "up") == 0 || strcmp(w, "down") == 0) {
			/* Accepted as in `ip link add ... up`; links are always up. */
		} else if (!add && strcmp(w, "type") == 0 && i + 1 < argc &&
			   strcmp(argv[i + 1], "vxlan") == 0) {
			i++; /* `ip link set NAME type vxlan OPTIONS` */
		} else {
			return vx_err(out, -EINVAL, "unknown option \"%s\" for link %s", w,
				      add ? "add" : "set");
		}
	}
	return 0;
}

void
vx_cli_link_opts_merge(const struct vx_link_opt *cur, const struct vx_link_opt *req,
		       struct vx_link_opt *o)
{
	uint32_t s = req->set;

	*o = *cur;
	if (s & VX_OPT_LOCAL)
		o->local = req->local;
	if (s & VX_OPT_REMOTE)
		o->remote = req->remote;
	if (s & VX_OPT_DEV)
		o->dev = req->dev;
	if (s & VX_OPT_TTL)
		o->ttl = req->ttl;
	if (s & VX_OPT_TOS)
		o->tos = req->tos;
	if (s & VX_OPT_DF)
		o->df = req->df;
	if (s & VX_OPT_AGEING)
		o->ageing = req->ageing;
	if (s & VX_OPT_MAXADDR)
		o->maxaddress = req->maxaddress;
	if (s & VX_OPT_BUMRATE)
		o->bum_rate = req->bum_rate;
	if (s & VX_OPT_ADDRESS)
		o->address = req->address;
	if (s & VX_OPT_SRCPORT) {
		o->srcport_min = req->srcport_min;
		o->srcport_max = req->srcport_max;
	}
	for (size_t k = 0; k < RTE_DIM(flag_words); k++)
		if (s & flag_words[k].opt)
			o->flags = (o->flags & ~flag_words[k].flag) |
				   (req->flags & flag_words[k].flag);
}
