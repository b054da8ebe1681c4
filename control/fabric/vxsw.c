/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxswitch over its CLI socket: see vxsw.h.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>
#include <jansson.h>

#include "fabric/vxsw.h"

#define WINDOW 128 /* requests in flight on the socket */

int
fab_vxsw_connect(struct fab_vxsw *s)
{
	int ret = vx_conn_open(&s->c, s->sock);

	if (ret < 0) {
		strlcpy(s->err, s->c.err, sizeof(s->err));
		return ret;
	}
	s->up = true;
	return 0;
}

void
fab_vxsw_close(struct fab_vxsw *s)
{
	vx_conn_close(&s->c);
	s->up = false;
}

static int
lost(struct fab_vxsw *s)
{
	strlcpy(s->err, s->c.err, sizeof(s->err));
	fab_vxsw_close(s);
	return -EPIPE;
}

/* The reply's message without "error: " and the newline, into s->err. */
static void
reply_err(struct fab_vxsw *s, const struct vx_reply *r)
{
	const char *m = strncmp(r->body, "error: ", 7) == 0 ? r->body + 7 : r->body;
	size_t l;

	strlcpy(s->err, m, sizeof(s->err));
	l = strlen(s->err);
	while (l > 0 && s->err[l - 1] == '\n')
		s->err[--l] = '\0';
}

/* Run one command: 0, -EINVAL (refused: s->err), -EPIPE. *json: its -j answer when asked. */
static int __attribute__((format(printf, 3, 4)))
run(struct fab_vxsw *s, json_t **json, const char *fmt, ...)
{
	char line[512];
	struct vx_reply r;
	va_list ap;
	int ret;

	if (!s->up) {
		snprintf(s->err, sizeof(s->err), "not connected");
		return -EPIPE;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ret = vx_conn_callf(&s->c, json != NULL ? VX_CMD_JSON : 0, &r, "%s", line);
	if (ret == -EINVAL || ret == -E2BIG) {
		strlcpy(s->err, s->c.err, sizeof(s->err));
		return -EINVAL;
	}
	if (ret < 0)
		return lost(s);
	if (strcmp(r.status, "ok") != 0) {
		reply_err(s, &r);
		vx_reply_free(&r);
		return -EINVAL;
	}
	if (json != NULL) {
		*json = json_loadb(r.body, r.len, 0, NULL);
		if (*json == NULL) {
			snprintf(s->err, sizeof(s->err), "%.200s: the answer is not JSON", line);
			ret = -EPROTO;
		}
	}
	vx_reply_free(&r);
	return ret;
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* The object of arr whose "ifname" is name, or NULL. */
static json_t *
by_name(json_t *arr, const char *name)
{
	size_t i;
	json_t *it;

	json_array_foreach(arr, i, it)
	{
		if (strcmp(jstr(it, "ifname"), name) == 0)
			return it;
	}
	return NULL;
}

/* The vxswitch port that holds ip (the link's underlay device), or "". */
static int
underlay_port(struct fab_vxsw *s, uint32_t ip, char *port, size_t len)
{
	char a[16];
	json_t *addrs = NULL, *it, *ai;
	size_t i, j;
	int ret = run(s, &addrs, "addr show");

	port[0] = '\0';
	if (ret < 0)
		return ret;
	fab_ip_fmt(ip, a, sizeof(a));
	json_array_foreach(addrs, i, it)
	{
		json_array_foreach(json_object_get(it, "addr_info"), j, ai)
		{
			if (strcmp(jstr(ai, "local"), a) == 0)
				strlcpy(port, jstr(it, "ifname"), len);
		}
	}
	json_decref(addrs);
	return 0;
}

/* Check the existing link (or create it); s->mtu from it. */
static int
setup_link(struct fab_vxsw *s, json_t *links, const struct fab_net *net, uint32_t public_ip)
{
	json_t *l = by_name(links, s->link), *info;
	char dev[40], ip[16];
	int ret;

	if (l == NULL) {
		ret = underlay_port(s, public_ip, dev, sizeof(dev));
		if (ret < 0)
			return ret;
		return run(s, NULL,
			   "link add %s type vxlan id %u dstport %u local %s%s%s nolearning",
			   s->link, net->vni, net->port, fab_ip_fmt(public_ip, ip, sizeof(ip)),
			   dev[0] != '\0' ? " dev " : "", dev);
	}
	info = json_object_get(json_object_get(l, "linkinfo"), "info_data");
	if (strcmp(jstr(json_object_get(l, "linkinfo"), "info_kind"), "vxlan") != 0) {
		snprintf(s->err, sizeof(s->err), "%s exists and is not a vxlan link", s->link);
		return -EEXIST;
	}
	if (json_integer_value(json_object_get(info, "id")) != net->vni ||
	    json_integer_value(json_object_get(info, "port")) != net->port) {
		snprintf(s->err, sizeof(s->err),
			 "link %s has id %lld dstport %lld; the network config says id %u dstport "
			 "%u",
			 s->link, (long long)json_integer_value(json_object_get(info, "id")),
			 (long long)json_integer_value(json_object_get(info, "port")), net->vni,
			 net->port);
		return -EEXIST;
	}
	s->mtu = json_integer_value(json_object_get(l, "mtu"));
	return 0;
}

/* Attach the port with the TAP's MAC to the link, unless it is already. */
static int
setup_port(struct fab_vxsw *s, json_t *links, const uint8_t mac[6])
{
	char m[18];
	json_t *it, *mem;
	size_t i, j;

	fab_mac_fmt(mac, m, sizeof(m));
	json_array_foreach(links, i, it)
	{
		if (json_object_get(it, "linkinfo") != NULL ||
		    strcasecmp(jstr(it, "address"), m) != 0)
			continue;
		strlcpy(s->port, jstr(it, "ifname"), sizeof(s->port));
		json_array_foreach(json_object_get(it, "members"), j, mem)
		{
			if (strcmp(jstr(mem, "master"), s->link) == 0 &&
			    json_integer_value(json_object_get(mem, "vlan")) == 0)
				return 0;
			snprintf(s->err, sizeof(s->err), "port %s (MAC %s) is attached to %s",
				 s->port, m, jstr(mem, "master"));
			return -EEXIST;
		}
		return run(s, NULL, "link set dev %s master %s", s->port, s->link);
	}
	snprintf(s->err, sizeof(s->err), "no vxswitch port has MAC %s (is it the TAP's?)", m);
	return -ENODEV;
}

int
fab_vxsw_setup(struct fab_vxsw *s, const struct fab_net *net, uint32_t public_ip,
	       const uint8_t mac[6])
{
	json_t *links = NULL;
	int ret;

	ret = run(s, &links, "link show");
	if (ret == 0 && by_name(links, s->link) == NULL) {
		ret = setup_link(s, links, net, public_ip);
		json_decref(links);
		links = NULL;
		if (ret == 0)
			ret = run(s, &links, "link show");
	}
	if (ret == 0)
		ret = setup_link(s, links, net, public_ip);
	if (ret == 0)
		ret = setup_port(s, links, mac);
	json_decref(links);
	return ret;
}

int
fab_vxsw_fdb(struct fab_vxsw *s, struct fab_set *have)
{
	json_t *fdb = NULL, *it;
	size_t i;
	int ret;

	fab_set_clear(have);
	ret = run(s, &fdb, "fdb show dev %s", s->link);
	if (ret < 0)
		return ret;
	json_array_foreach(fdb, i, it)
	{
		uint8_t mac[6];
		uint32_t ip;

		if (fab_mac_parse(jstr(it, "mac"), mac) < 0 || !fab_mac_unicast(mac) ||
		    fab_ip_parse(jstr(it, "dst"), &ip) < 0)
			continue;
		if (fab_set_add(have, fab_mac_u64(mac), ip) < 0) {
			ret = -ENOMEM;
			break;
		}
	}
	json_decref(fdb);
	fab_set_sort(have);
	return ret;
}

/* The command line of op i of d (set entries first, then deletions). */
static void
op_line(const struct fab_vxsw *s, const struct fab_diff *d, const struct fab_set *have, size_t i,
	bool replace, char *line, size_t len)
{
	const struct fab_ent *e = i < d->set.n ? &d->set.e[i] : &d->del.e[i - d->set.n];
	char mac[18], ip[16];
	uint8_t m[6];

	fab_u64_mac(e->key, m);
	fab_mac_fmt(m, mac, sizeof(mac));
	if (i >= d->set.n) {
		snprintf(line, len, "fdb del %s dev %s", mac, s->link);
		return;
	}
	if (fab_set_find(have, e->key) != NULL)
		replace = true;
	snprintf(line, len, "fdb %s %s dev %s dst %s self permanent", replace ? "replace" : "add",
		 mac, s->link, fab_ip_fmt((uint32_t)e->val, ip, sizeof(ip)));
}

static int
send_line(struct fab_vxsw *s, char *line)
{
	char *argv[16], *save = NULL, *req;
	int argc = 0, ret;

	for (char *w = strtok_r(line, " ", &save); w != NULL && argc < 16;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	req = vx_conn_format(&s->c, 0, argc, argv);
	if (req == NULL)
		return -EINVAL;
	ret = vx_conn_send(&s->c, req, strlen(req));
	free(req);
	return ret;
}

/* Read the reply of op i; 1 ok, 0 refused (logged unless harmless), -EPIPE. */
static int
read_one(struct fab_vxsw *s, const struct fab_diff *d, size_t i, bool *retry_replace)
{
	struct vx_reply r;
	int ok;

	if (vx_conn_read(&s->c, &r) < 0)
		return lost(s);
	ok = strcmp(r.status, "ok") == 0;
	if (!ok) {
		reply_err(s, &r);
		/* Gone already counts as deleted; an add that meets an entry becomes a replace. */
		if (i >= d->set.n && strstr(s->err, "no such entry") != NULL)
			ok = 1;
		else if (i < d->set.n && strstr(s->err, "exists") != NULL)
			*retry_replace = true;
		else
			fprintf(stderr, "vxfabric: vxswitch refused an fdb change: %s\n", s->err);
	}
	vx_reply_free(&r);
	return ok;
}

int
fab_vxsw_apply(struct fab_vxsw *s, const struct fab_diff *d, const struct fab_set *have, bool *done,
	       unsigned int *n_fail)
{
	size_t total = d->set.n + d->del.n, sent = 0, got = 0;
	bool *again;
	char line[256];
	int ret = 0;

	*n_fail = 0;
	if (!s->up)
		return -EPIPE;
	again = calloc(total + 1, sizeof(*again));
	if (again == NULL)
		return -ENOMEM;
	while (got < total) {
		for (; sent < total && sent - got < WINDOW; sent++) {
			op_line(s, d, have, sent, false, line, sizeof(line));
			if (send_line(s, line) < 0) {
				ret = lost(s);
				goto out;
			}
		}
		for (; got < sent; got++) {
			ret = read_one(s, d, got, &again[got]);
			if (ret < 0)
				goto out;
			done[got] = ret == 1;
		}
	}
	/* The adds that met an entry, once the pipeline is empty: replace, one at a time. */
	for (size_t i = 0; i < total; i++) {
		if (!again[i])
			continue;
		op_line(s, d, have, i, true, line, sizeof(line));
		ret = run(s, NULL, "%s", line);
		if (ret == -EPIPE)
			goto out;
		if (ret < 0)
			fprintf(stderr, "vxfabric: vxswitch refused an fdb change: %s\n", s->err);
		done[i] = ret == 0;
	}
	ret = 0;
	for (size_t i = 0; i < total; i++)
		*n_fail += !done[i];
out:
	free(again);
	return ret;
}
