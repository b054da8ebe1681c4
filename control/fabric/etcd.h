/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_ETCD_H
#define FAB_ETCD_H

/*
 * A small etcd v3 client over etcd's JSON gateway (grpc-gateway: POST of a
 * JSON body to /v3/<service>/<method>; keys and values base64, 64-bit
 * numbers as decimal strings), with libcurl and jansson.
 *
 * Unary calls (range, txn, lease grant/keepalive/revoke) are blocking and
 * bounded (connect 1 s, the whole call timeout_ms). A call that cannot
 * reach its endpoint, or that the member answers "unavailable" (no leader,
 * stopping), is tried on the next endpoint, each at most once; the
 * endpoint that answered stays the current one.
 *
 * The watch is one long POST to /v3/watch on a curl multi handle that the
 * caller drives from its own poll loop (fab_etcd_wait), then drains with
 * fab_etcd_watch_next: the gateway streams one JSON object per line. The
 * watch ends when its connection breaks or etcd cancels it (compacted
 * start revision): the caller then reads the whole range again.
 *
 * Not thread-safe: one owner (the agent's single thread).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <jansson.h>

#define FAB_ETCD_MAX_EP 16

struct fab_buf {
	char *p; /* NUL-terminated */
	size_t len, cap;
};

struct fab_kv {
	char *key; /* decoded, NUL-terminated */
	size_t klen;
	char *val; /* decoded, NUL-terminated */
	size_t vlen;
	int64_t create_rev, mod_rev;
	int64_t lease; /* 0: none */
};

struct fab_kvs {
	struct fab_kv *kv;
	size_t n;
	int64_t rev; /* the store's revision the read saw */
};

/* One watch event. */
struct fab_wev {
	bool del; /* DELETE (else PUT) */
	struct fab_kv kv;
};

struct fab_etcd {
	char *ep[FAB_ETCD_MAX_EP]; /* "http://host:port" */
	int n_ep;
	int cur;	 /* endpoint of the unary calls */
	long timeout_ms; /* bound of one unary call */
	CURL *h;	 /* unary calls (keeps its connection) */
	CURLM *m;	 /* the watch's multi handle */
	struct curl_slist *hdr;
	struct fab_buf rbuf; /* answer of the unary call */
	char err[256];

	/* The watch. */
	CURL *wh;
	int wep;	     /* its endpoint */
	struct fab_buf wbuf; /* bytes of the stream not yet parsed */
	int wstatus;	     /* 0, or negative once the transfer ended */
	char werr[256];
	json_t *wmsg; /* message being drained */
	size_t wnext; /* next event of wmsg */
};

/* endpoints: "http://A:2379,http://B:2379". 0 or -EINVAL/-ENOMEM. */
int fab_etcd_init(struct fab_etcd *e, const char *endpoints, long timeout_ms);
void fab_etcd_fini(struct fab_etcd *e);
const char *fab_etcd_endpoint(const struct fab_etcd *e);

/* POST req to path, on the current endpoint then the others: 0 and *resp, or -errno. */
int fab_etcd_call(struct fab_etcd *e, const char *path, json_t *req, json_t **resp);

void fab_kv_free(struct fab_kv *kv);
void fab_kvs_free(struct fab_kvs *k);

/* Every key that starts with prefix. */
int fab_etcd_range(struct fab_etcd *e, const char *prefix, struct fab_kvs *out);
/* One key: 0, -ENOENT, or an error. */
int fab_etcd_get(struct fab_etcd *e, const char *key, struct fab_kv *out);

/*
 * Put key=val (attached to lease unless 0) if the key's mod_revision is
 * still mod_rev (0: the key does not exist): one txn. 0 and *rev (the
 * revision written), -EEXIST when the compare failed, or an error.
 */
int fab_etcd_put_if(struct fab_etcd *e, const char *key, const char *val, int64_t lease,
		    int64_t mod_rev, int64_t *rev);
/* Delete key if its mod_revision is still mod_rev. */
int fab_etcd_del_if(struct fab_etcd *e, const char *key, int64_t mod_rev);

int fab_etcd_grant(struct fab_etcd *e, int64_t ttl, int64_t *id);
/* *ttl: seconds left after the renewal; -ENOENT when the lease is gone. */
int fab_etcd_keepalive(struct fab_etcd *e, int64_t id, int64_t *ttl);
int fab_etcd_revoke(struct fab_etcd *e, int64_t id);

/* Watch every key under prefix from revision rev on. */
int fab_etcd_watch_start(struct fab_etcd *e, const char *prefix, int64_t rev);
void fab_etcd_watch_stop(struct fab_etcd *e);
bool fab_etcd_watching(const struct fab_etcd *e);

/* Wait up to timeout_ms for the watch or fds[] (their revents set), run the transfer. */
int fab_etcd_wait(struct fab_etcd *e, struct curl_waitfd *fds, unsigned int nfds, int timeout_ms);

/*
 * The next event received: 1 and *ev (free ev->kv with fab_kv_free), 0
 * when none is pending, or a negative status once the watch has ended
 * (e->werr says why; -ECANCELED: etcd cancelled it, e.g. compaction).
 */
int fab_etcd_watch_next(struct fab_etcd *e, struct fab_wev *ev);

#endif /* FAB_ETCD_H */
