/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * etcd v3 over its JSON gateway: see etcd.h.
 */

#include <errno.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "fabric/etcd.h"

/* gRPC status codes that etcd's gateway puts in "code". */
#define GRPC_NOT_FOUND	       5
#define GRPC_DEADLINE_EXCEEDED 4
#define GRPC_UNAVAILABLE       14

#define CONNECT_TIMEOUT_MS 1000

static size_t
buf_write(char *p, size_t size, size_t n, void *arg)
{
	struct fab_buf *b = arg;
	size_t len = size * n;

	if (b->cap - b->len < len + 1) {
		size_t cap = b->cap == 0 ? 4096 : b->cap;
		char *q;

		while (cap - b->len < len + 1)
			cap *= 2;
		q = realloc(b->p, cap);
		if (q == NULL)
			return 0; /* curl fails the transfer */
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

static void
buf_free(struct fab_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* base64 of n bytes (malloc'd). */
static char *
b64(const void *p, size_t n)
{
	size_t l = (n + 2) / 3 * 4 + 1;
	char *s = malloc(l);

	if (s != NULL && b64_ntop(p, n, s, l) < 0) {
		free(s);
		s = NULL;
	}
	return s;
}

/* Decode base64 s into a malloc'd NUL-terminated buffer. */
static char *
unb64(const char *s, size_t *n)
{
	size_t l = strlen(s) / 4 * 3 + 4;
	char *d = malloc(l);
	int r;

	if (d == NULL)
		return NULL;
	r = b64_pton(s, (unsigned char *)d, l);
	if (r < 0) {
		free(d);
		return NULL;
	}
	d[r] = '\0';
	*n = r;
	return d;
}

/* A 64-bit number as the gateway sends it: a decimal string (or a number); 0 when absent. */
static int64_t
jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	if (json_is_integer(v))
		return json_integer_value(v);
	return 0;
}

static json_t *
jint_str(int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	return json_string(s);
}

int
fab_etcd_init(struct fab_etcd *e, const char *endpoints, long timeout_ms)
{
	char *list, *save = NULL;

	memset(e, 0, sizeof(*e));
	e->timeout_ms = timeout_ms;
	list = strdup(endpoints);
	if (list == NULL)
		return -ENOMEM;
	for (char *t = strtok_r(list, ", ", &save); t != NULL; t = strtok_r(NULL, ", ", &save)) {
		size_t l = strlen(t);

		if (e->n_ep == FAB_ETCD_MAX_EP)
			break;
		while (l > 0 && t[l - 1] == '/')
			t[--l] = '\0';
		if (strncmp(t, "http://", 7) != 0 && strncmp(t, "https://", 8) != 0)
			goto err;
		e->ep[e->n_ep] = strdup(t);
		if (e->ep[e->n_ep] == NULL)
			goto err;
		e->n_ep++;
	}
	free(list);
	if (e->n_ep == 0)
		return -EINVAL;
	e->h = curl_easy_init();
	e->m = curl_multi_init();
	e->hdr = curl_slist_append(NULL, "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip before a large body. */
	e->hdr = curl_slist_append(e->hdr, "Expect:");
	if (e->h == NULL || e->m == NULL || e->hdr == NULL) {
		fab_etcd_fini(e);
		return -ENOMEM;
	}
	return 0;
err:
	free(list);
	fab_etcd_fini(e);
	return -EINVAL;
}

void
fab_etcd_fini(struct fab_etcd *e)
{
	fab_etcd_watch_stop(e);
	if (e->m != NULL)
		curl_multi_cleanup(e->m);
	if (e->h != NULL)
		curl_easy_cleanup(e->h);
	curl_slist_free_all(e->hdr);
	buf_free(&e->rbuf);
	for (int i = 0; i < e->n_ep; i++)
		free(e->ep[i]);
	memset(e, 0, sizeof(*e));
}

const char *
fab_etcd_endpoint(const struct fab_etcd *e)
{
	return e->ep[e->cur];
}

/* The options every request to etcd gets. */
static void
set_common(struct fab_etcd *e, CURL *h, const char *url, const char *body, struct fab_buf *out)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, e->hdr);
	curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	/* etcd is reached directly, whatever http_proxy says. */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 5L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 2L);
}

/* One attempt on endpoint i: 0, -EAGAIN (try the next endpoint) or -errno. */
static int
call_one(struct fab_etcd *e, int i, const char *path, const char *body, json_t **resp)
{
	char url[512];
	json_error_t je;
	json_t *j;
	long code = 0;
	CURLcode rc;

	snprintf(url, sizeof(url), "%s%s", e->ep[i], path);
	e->rbuf.len = 0;
	set_common(e, e->h, url, body, &e->rbuf);
	curl_easy_setopt(e->h, CURLOPT_TIMEOUT_MS, e->timeout_ms);
	rc = curl_easy_perform(e->h);
	if (rc != CURLE_OK) {
		snprintf(e->err, sizeof(e->err), "%s: %s", e->ep[i], curl_easy_strerror(rc));
		return -EAGAIN;
	}
	curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, &code);
	j = e->rbuf.len > 0 ? json_loadb(e->rbuf.p, e->rbuf.len, 0, &je) : NULL;
	if (j == NULL || !json_is_object(j)) {
		snprintf(e->err, sizeof(e->err), "%s%s: HTTP %ld, not a JSON answer", e->ep[i],
			 path, code);
		json_decref(j);
		return code >= 500 ? -EAGAIN : -EPROTO;
	}
	if (json_object_get(j, "error") != NULL || code != 200) {
		json_t *msg = json_object_get(j, "message");
		int64_t g = jint(j, "code");

		snprintf(e->err, sizeof(e->err), "%s%s: %s", e->ep[i], path,
			 json_is_string(msg) ? json_string_value(msg) : "error");
		json_decref(j);
		if (g == GRPC_UNAVAILABLE || g == GRPC_DEADLINE_EXCEEDED || code >= 500)
			return -EAGAIN;
		return g == GRPC_NOT_FOUND ? -ENOENT : -EPROTO;
	}
	*resp = j;
	return 0;
}

int
fab_etcd_call(struct fab_etcd *e, const char *path, json_t *req, json_t **resp)
{
	char *body = json_dumps(req, JSON_COMPACT);
	int ret = -EHOSTUNREACH;

	*resp = NULL;
	if (body == NULL) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -ENOMEM;
	}
	for (int t = 0; t < e->n_ep; t++) {
		ret = call_one(e, e->cur, path, body, resp);
		if (ret != -EAGAIN)
			break;
		e->cur = (e->cur + 1) % e->n_ep;
		ret = -EHOSTUNREACH;
	}
	free(body);
	return ret;
}

static int
kv_parse(json_t *o, struct fab_kv *kv)
{
	json_t *k = json_object_get(o, "key"), *v = json_object_get(o, "value");

	memset(kv, 0, sizeof(*kv));
	if (!json_is_string(k))
		return -EPROTO;
	kv->key = unb64(json_string_value(k), &kv->klen);
	kv->val = unb64(json_is_string(v) ? json_string_value(v) : "", &kv->vlen);
	if (kv->key == NULL || kv->val == NULL) {
		fab_kv_free(kv);
		return -EPROTO;
	}
	kv->lease = jint(o, "lease");
	kv->create_rev = jint(o, "create_revision");
	kv->mod_rev = jint(o, "mod_revision");
	return 0;
}

void
fab_kv_free(struct fab_kv *kv)
{
	free(kv->key);
	free(kv->val);
	memset(kv, 0, sizeof(*kv));
}

void
fab_kvs_free(struct fab_kvs *k)
{
	for (size_t i = 0; i < k->n; i++)
		fab_kv_free(&k->kv[i]);
	free(k->kv);
	memset(k, 0, sizeof(*k));
}

/* The end of the range of every key that starts with prefix. */
static char *
prefix_end(const char *prefix)
{
	char *end = strdup(prefix);
	size_t l = strlen(prefix);

	if (end != NULL && l > 0)
		end[l - 1]++;
	return end;
}

static int
range(struct fab_etcd *e, const char *key, const char *end, struct fab_kvs *out)
{
	char *k = b64(key, strlen(key)), *r = end != NULL ? b64(end, strlen(end)) : NULL;
	json_t *req = NULL, *resp = NULL, *kvs, *it;
	size_t i;
	int ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (k == NULL || (end != NULL && r == NULL))
		goto out;
	req = json_pack("{s:s}", "key", k);
	if (req == NULL || (r != NULL && json_object_set_new(req, "range_end", json_string(r)) < 0))
		goto out;
	ret = fab_etcd_call(e, "/v3/kv/range", req, &resp);
	if (ret < 0)
		goto out;
	out->rev = jint(json_object_get(resp, "header"), "revision");
	kvs = json_object_get(resp, "kvs");
	out->kv = calloc(json_array_size(kvs) + 1, sizeof(*out->kv));
	if (out->kv == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	json_array_foreach(kvs, i, it)
	{
		ret = kv_parse(it, &out->kv[out->n]);
		if (ret < 0) {
			snprintf(e->err, sizeof(e->err), "range: garbled key or value");
			fab_kvs_free(out);
			goto out;
		}
		out->n++;
	}
	ret = 0;
out:
	json_decref(req);
	json_decref(resp);
	free(k);
	free(r);
	return ret;
}

int
fab_etcd_range(struct fab_etcd *e, const char *prefix, struct fab_kvs *out)
{
	char *end = prefix_end(prefix);
	int ret;

	if (end == NULL)
		return -ENOMEM;
	ret = range(e, prefix, end, out);
	free(end);
	return ret;
}

int
fab_etcd_get(struct fab_etcd *e, const char *key, struct fab_kv *out)
{
	struct fab_kvs k;
	int ret = range(e, key, NULL, &k);

	memset(out, 0, sizeof(*out));
	if (ret < 0)
		return ret;
	if (k.n == 0) {
		fab_kvs_free(&k);
		return -ENOENT;
	}
	*out = k.kv[0];
	memset(&k.kv[0], 0, sizeof(k.kv[0]));
	fab_kvs_free(&k);
	return 0;
}

/* A transaction of one compare (key's mod_revision == mod_rev) and one request. */
static int
txn(struct fab_etcd *e, const char *key, int64_t mod_rev, json_t *op, int64_t *rev)
{
	char *k = b64(key, strlen(key));
	json_t *req, *resp = NULL;
	int ret = -ENOMEM;

	if (k == NULL || op == NULL) {
		json_decref(op);
		free(k);
		return -ENOMEM;
	}
	/* A key that does not exist has mod_revision 0. */
	req = json_pack("{s:[{s:s, s:s, s:s, s:o}], s:[o]}", "compare", "key", k, "target", "MOD",
			"result", "EQUAL", "mod_revision", jint_str(mod_rev), "success", op);
	if (req == NULL)
		goto out;
	ret = fab_etcd_call(e, "/v3/kv/txn", req, &resp);
	if (ret == 0 && !json_is_true(json_object_get(resp, "succeeded"))) {
		snprintf(e->err, sizeof(e->err), "%s: changed meanwhile", key);
		ret = -EEXIST;
	}
	if (ret == 0 && rev != NULL)
		*rev = jint(json_object_get(resp, "header"), "revision");
out:
	json_decref(req);
	json_decref(resp);
	free(k);
	return ret;
}

int
fab_etcd_put_if(struct fab_etcd *e, const char *key, const char *val, int64_t lease,
		int64_t mod_rev, int64_t *rev)
{
	char *k = b64(key, strlen(key)), *v = b64(val, strlen(val));
	json_t *op = NULL;
	int ret;

	if (k != NULL && v != NULL)
		op = json_pack("{s:{s:s, s:s, s:o}}", "request_put", "key", k, "value", v, "lease",
			       jint_str(lease));
	ret = txn(e, key, mod_rev, op, rev);
	free(k);
	free(v);
	return ret;
}

int
fab_etcd_del_if(struct fab_etcd *e, const char *key, int64_t mod_rev)
{
	char *k = b64(key, strlen(key));
	json_t *op = k != NULL ? json_pack("{s:{s:s}}", "request_delete_range", "key", k) : NULL;
	int ret = txn(e, key, mod_rev, op, NULL);

	free(k);
	return ret;
}

int
fab_etcd_grant(struct fab_etcd *e, int64_t ttl, int64_t *id)
{
	json_t *req = json_pack("{s:o}", "TTL", jint_str(ttl)), *resp = NULL;
	int ret;

	if (req == NULL)
		return -ENOMEM;
	ret = fab_etcd_call(e, "/v3/lease/grant", req, &resp);
	json_decref(req);
	if (ret == 0) {
		*id = jint(resp, "ID");
		if (*id == 0) {
			snprintf(e->err, sizeof(e->err), "lease grant: no ID in the answer");
			ret = -EPROTO;
		}
	}
	json_decref(resp);
	return ret;
}

int
fab_etcd_keepalive(struct fab_etcd *e, int64_t id, int64_t *ttl)
{
	json_t *req = json_pack("{s:o}", "ID", jint_str(id)), *resp = NULL;
	int ret;

	if (req == NULL)
		return -ENOMEM;
	ret = fab_etcd_call(e, "/v3/lease/keepalive", req, &resp);
	json_decref(req);
	if (ret == 0) {
		/* A lease that expired answers with no TTL (0). */
		*ttl = jint(json_object_get(resp, "result"), "TTL");
		if (*ttl <= 0) {
			snprintf(e->err, sizeof(e->err), "lease %llx expired", (long long)id);
			ret = -ENOENT;
		}
	}
	json_decref(resp);
	return ret;
}

int
fab_etcd_revoke(struct fab_etcd *e, int64_t id)
{
	json_t *req = json_pack("{s:o}", "ID", jint_str(id)), *resp = NULL;
	int ret;

	if (req == NULL)
		return -ENOMEM;
	ret = fab_etcd_call(e, "/v3/lease/revoke", req, &resp);
	json_decref(req);
	json_decref(resp);
	return ret;
}

/* ------------------------------------------------------------------ watch */

int
fab_etcd_watch_start(struct fab_etcd *e, const char *prefix, int64_t rev)
{
	char *k = b64(prefix, strlen(prefix)), *end = prefix_end(prefix), *r = NULL, *body = NULL;
	char url[512];
	json_t *req = NULL;
	int ret = -ENOMEM;

	fab_etcd_watch_stop(e);
	if (k == NULL || end == NULL || (r = b64(end, strlen(end))) == NULL)
		goto out;
	req = json_pack("{s:{s:s, s:s, s:o}}", "create_request", "key", k, "range_end", r,
			"start_revision", jint_str(rev));
	body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	e->wh = curl_easy_init();
	if (body == NULL || e->wh == NULL)
		goto out;
	e->wep = e->cur;
	snprintf(url, sizeof(url), "%s/v3/watch", e->ep[e->wep]);
	set_common(e, e->wh, url, body, &e->wbuf);
	e->wbuf.len = 0;
	e->wstatus = 0;
	e->werr[0] = '\0';
	if (curl_multi_add_handle(e->m, e->wh) != CURLM_OK)
		goto out;
	ret = 0;
out:
	if (ret < 0 && e->wh != NULL) {
		curl_easy_cleanup(e->wh);
		e->wh = NULL;
	}
	json_decref(req);
	free(body);
	free(k);
	free(end);
	free(r);
	return ret;
}

void
fab_etcd_watch_stop(struct fab_etcd *e)
{
	if (e->wh != NULL) {
		curl_multi_remove_handle(e->m, e->wh);
		curl_easy_cleanup(e->wh);
		e->wh = NULL;
	}
	json_decref(e->wmsg);
	e->wmsg = NULL;
	e->wnext = 0;
	buf_free(&e->wbuf);
}

bool
fab_etcd_watching(const struct fab_etcd *e)
{
	return e->wh != NULL;
}

int
fab_etcd_wait(struct fab_etcd *e, struct curl_waitfd *fds, unsigned int nfds, int timeout_ms)
{
	int running, left;
	CURLMsg *msg;

	if (curl_multi_poll(e->m, fds, nfds, timeout_ms, NULL) != CURLM_OK)
		return -EIO;
	curl_multi_perform(e->m, &running);
	while ((msg = curl_multi_info_read(e->m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE || msg->easy_handle != e->wh || e->wstatus != 0)
			continue;
		/* The stream ended: the member went away or the connection broke. */
		e->wstatus = -EPIPE;
		snprintf(e->werr, sizeof(e->werr), "watch on %s ended: %s", e->ep[e->wep],
			 msg->data.result == CURLE_OK ? "closed by the server"
						      : curl_easy_strerror(msg->data.result));
	}
	return 0;
}

/* The next complete message (one JSON object a line) of the stream, or NULL. */
static json_t *
next_msg(struct fab_etcd *e)
{
	char *nl;
	json_t *j;
	size_t l;

	while ((nl = memchr(e->wbuf.p, '\n', e->wbuf.len)) != NULL) {
		l = nl - e->wbuf.p;
		j = l > 0 ? json_loadb(e->wbuf.p, l, 0, NULL) : NULL;
		memmove(e->wbuf.p, nl + 1, e->wbuf.len - l - 1);
		e->wbuf.len -= l + 1;
		if (j != NULL)
			return j;
	}
	return NULL;
}

/* Check a new message: 0 (use its events), or a negative status that ends the watch. */
static int
msg_check(struct fab_etcd *e, json_t *j)
{
	json_t *res = json_object_get(j, "result"), *err = json_object_get(j, "error");

	if (err != NULL || !json_is_object(res)) {
		json_t *m = json_is_object(err) ? json_object_get(err, "message") : NULL;

		snprintf(e->werr, sizeof(e->werr), "watch on %s: %s", e->ep[e->wep],
			 json_is_string(m) ? json_string_value(m) : "error message");
		return -EPIPE;
	}
	if (json_is_true(json_object_get(res, "canceled"))) {
		json_t *why = json_object_get(res, "cancel_reason");

		snprintf(e->werr, sizeof(e->werr),
			 "watch cancelled by etcd: %s (compacted at %lld)",
			 json_is_string(why) ? json_string_value(why) : "no reason given",
			 (long long)jint(res, "compact_revision"));
		return -ECANCELED;
	}
	return 0;
}

int
fab_etcd_watch_next(struct fab_etcd *e, struct fab_wev *ev)
{
	int ret;

	if (e->wh == NULL)
		return -EPIPE;
	for (;;) {
		json_t *evs = e->wmsg != NULL ? json_object_get(json_object_get(e->wmsg, "result"),
								"events")
					      : NULL;

		if (e->wnext < json_array_size(evs)) {
			json_t *it = json_array_get(evs, e->wnext++);
			json_t *type = json_object_get(it, "type");

			memset(ev, 0, sizeof(*ev));
			ev->del = json_is_string(type) &&
				  strcmp(json_string_value(type), "DELETE") == 0;
			if (kv_parse(json_object_get(it, "kv"), &ev->kv) < 0)
				continue;
			return 1;
		}
		json_decref(e->wmsg);
		e->wnext = 0;
		e->wmsg = next_msg(e);
		if (e->wmsg == NULL)
			break;
		ret = msg_check(e, e->wmsg);
		if (ret < 0) {
			fab_etcd_watch_stop(e);
			return ret;
		}
	}
	if (e->wstatus < 0) {
		ret = e->wstatus;
		fab_etcd_watch_stop(e);
		return ret;
	}
	return 0;
}
