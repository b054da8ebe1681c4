/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --metrics ADDR:PORT: an HTTP server of /metrics (openmetrics.c makes the
 * text) for Prometheus, with libmicrohttpd.
 *
 * The server runs on the control thread, in libmicrohttpd's external
 * event loop mode: its sockets sit in its own epoll set, whose descriptor
 * the control loop waits on with the CLI socket (vx_server_watch); when
 * it is readable, or when a connection timer is due, MHD_run() does the
 * work there is and returns without blocking. A scrape is answered from
 * the model and the counters as they are, with no snapshot and no lock
 * (the control thread is their only writer). The alternative, an HTTP
 * thread reading a snapshot the control thread publishes, would copy
 * every counter block at a rate of its own and put a lock or a grace
 * period between the two threads for no gain: a scrape costs the control
 * loop the time to print the text (vxswitch_control_lag_seconds shows it).
 * Slow or idle clients cost nothing: sockets are non-blocking, at most
 * METRICS_CONN_MAX connections, idle ones closed after METRICS_IDLE_SEC.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include <rte_cycles.h>

#include "daemon.h"
#include "server.h"

#ifdef VX_HAVE_MICROHTTPD
#include <microhttpd.h>

#define METRICS_CONN_MAX 16
#define METRICS_IDLE_SEC 10

#define CT_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define CT_PROMETHEUS  "text/plain; version=0.0.4; charset=utf-8"

static struct {
	struct MHD_Daemon *d;
	int fd; /* the daemon's epoll descriptor */
	struct vx_ctl *c;
	const struct vx_daemon_info *di;
	uint64_t next_run; /* TSC of the next housekeeping run */
} ms = {.fd = -1};

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned int status, const char *ctype, char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload, size_t *upload_len, void **con_cls)
{
	struct vx_out o = {0};
	const char *accept;
	bool om;

	RTE_SET_USED(cls);
	RTE_SET_USED(version);
	RTE_SET_USED(upload);
	RTE_SET_USED(upload_len);
	RTE_SET_USED(con_cls);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		vx_out_printf(&o, "only GET\n");
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", o.buf, o.len);
	}
	if (strcmp(url, "/metrics") != 0) {
		vx_out_printf(&o, "vxswitch: the metrics are at /metrics\n");
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", o.buf, o.len);
	}
	/* OpenMetrics when the scraper asks for it (Prometheus does), else text 0.0.4. */
	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accept != NULL && strstr(accept, "application/openmetrics-text") != NULL;
	vx_openmetrics(ms.c, ms.di, om, &o);
	if (o.buf == NULL)
		return MHD_NO;
	return reply(conn, MHD_HTTP_OK, om ? CT_OPENMETRICS : CT_PROMETHEUS, o.buf, o.len);
}

static void
on_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	RTE_SET_USED(cls);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	VX_LOG(WARNING, "metrics: %s", msg);
}

static void
on_ready(struct vx_ctl *c, void *arg)
{
	RTE_SET_USED(c);
	RTE_SET_USED(arg);
	MHD_run(ms.d);
}

/* ADDR:PORT, [ADDR6]:PORT or :PORT (every address) into ss. */
static int
parse_addr(const char *spec, struct sockaddr_storage *ss, bool *v6, char *err, size_t errlen)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 2] = "";
	const char *colon = strrchr(spec, ':'), *errstr;
	long long port;
	size_t hl;

	if (colon == NULL)
		goto err;
	port = strtonum(colon + 1, 0, 65535, &errstr);
	hl = colon - spec;
	if (errstr != NULL || hl >= sizeof(host))
		goto err;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		*v6 = true;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1)
			return 0;
		goto err;
	}
	*v6 = false;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (host[0] == '\0' || inet_pton(AF_INET, host, &s4->sin_addr) == 1)
		return 0;
err:
	snprintf(err, errlen, "--metrics %s: want ADDR:PORT, [ADDR6]:PORT or :PORT", spec);
	return -EINVAL;
}

int
vx_metrics_start(struct vx_ctl *c, const struct vx_daemon_info *di, const char *addr, char *err,
		 size_t errlen)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *inf;
	bool v6;
	int ret;

	ret = parse_addr(addr, &ss, &v6, err, errlen);
	if (ret < 0)
		return ret;
	ms.c = c;
	ms.di = di;
	ms.d = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)METRICS_CONN_MAX,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)METRICS_IDLE_SEC, MHD_OPTION_END);
	if (ms.d == NULL) {
		snprintf(err, errlen, "--metrics %s: cannot listen there (in use? see above)",
			 addr);
		return -EADDRNOTAVAIL;
	}
	inf = MHD_get_daemon_info(ms.d, MHD_DAEMON_INFO_EPOLL_FD);
	ms.fd = inf != NULL ? inf->epoll_fd : -1;
	ret = ms.fd >= 0 ? vx_server_watch(c, ms.fd, on_ready, NULL) : -EINVAL;
	if (ret < 0) {
		snprintf(err, errlen, "--metrics: cannot watch the server: %s", strerror(-ret));
		MHD_stop_daemon(ms.d);
		ms.d = NULL;
		ms.fd = -1;
		return ret;
	}
	inf = MHD_get_daemon_info(ms.d, MHD_DAEMON_INFO_BIND_PORT);
	VX_LOG(NOTICE, "metrics: http://%.*s:%u/metrics", (int)(strrchr(addr, ':') - addr), addr,
	       inf != NULL ? inf->port : 0);
	return 0;
}

void
vx_metrics_poll(struct vx_ctl *c)
{
	MHD_UNSIGNED_LONG_LONG t;
	uint64_t now;

	if (ms.d == NULL)
		return;
	/* Work MHD has not signalled on its descriptor (timeout 0), and its timers. */
	now = rte_rdtsc();
	if ((MHD_get_timeout(ms.d, &t) == MHD_YES && t == 0) || now >= ms.next_run) {
		ms.next_run = now + c->tsc_hz / 2;
		MHD_run(ms.d);
	}
}

void
vx_metrics_stop(struct vx_ctl *c)
{
	if (ms.d == NULL)
		return;
	vx_server_unwatch(c, ms.fd);
	MHD_stop_daemon(ms.d);
	ms.d = NULL;
	ms.fd = -1;
}

#else /* !VX_HAVE_MICROHTTPD */

int
vx_metrics_start(struct vx_ctl *c, const struct vx_daemon_info *di, const char *addr, char *err,
		 size_t errlen)
{
	RTE_SET_USED(c);
	RTE_SET_USED(di);
	snprintf(err, errlen, "--metrics %s: this vxswitch was built without libmicrohttpd", addr);
	return -ENOTSUP;
}

void
vx_metrics_poll(struct vx_ctl *c)
{
	RTE_SET_USED(c);
}

void
vx_metrics_stop(struct vx_ctl *c)
{
	RTE_SET_USED(c);
}

#endif
