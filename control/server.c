/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI socket server: accepts vxctl clients on a UNIX stream socket,
 * reads request lines, answers each through request.c and sends framed
 * replies (protocol in client/proto.h). Clients subscribed with `monitor`
 * get event frames of the lines vx_ctl_event() sends (the server is the
 * control thread's event sink, struct vx_ctl_events).
 *
 * Nothing here blocks the control loop: sockets are non-blocking; a client
 * that sends half a line only holds its own input buffer (bounded by
 * VX_PROTO_MAX_LINE, and dropped after VX_SRV_IDLE_SEC of silence); a
 * client that does not read its replies stops being read from once
 * VX_SRV_OUT_HIGH bytes are pending (so it cannot make the server buffer
 * more), and loses events (counted, reported in the stream) instead of
 * growing its buffer.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include <rte_cycles.h>

#include "client/proto.h"
#include "core/core.h"
#include "server.h"

#define VX_SRV_OUT_HIGH	  (1u << 20) /* stop reading / drop events above this backlog */
#define VX_SRV_IDLE_SEC	  60	     /* a partial request line older than this is dropped */
#define VX_SRV_ACCEPT_MAX 64	     /* accepts per poll */
#define VX_SRV_DRAIN_SEC  2	     /* a closing client's input is discarded this long at most */
/*
 * Scheduling of requests (server_run). Each poll runs, first, the light
 * clients (less than VX_SRV_HEAVY_NS spent running requests in about the
 * last second), up to VX_SRV_LIGHT_NS each, and only requests whose command
 * is cheap by its recent cost (below VX_SRV_CHEAP_NS: `link show` is, a
 * `fdb show` of a big table is not); then every client with work left, in
 * turn, within one shared VX_SRV_SLICE_NS. So a quick command is never
 * queued behind dumps or bulk loads of other clients. A request is never
 * cut: a slice ends after the request that crosses it.
 */
#define VX_SRV_HEAVY_NS (10 * 1000 * 1000ull)
#define VX_SRV_LIGHT_NS (2 * 1000 * 1000ull)
#define VX_SRV_CHEAP_NS (1000 * 1000ull)
#define VX_SRV_SLICE_NS (20 * 1000 * 1000ull)
#define VX_SRV_COSTS	64 /* commands whose cost is remembered */

/* The recent cost of a command (its first two words). */
struct vx_srv_cost {
	char cmd[32];
	uint64_t ns;
};

struct vx_client {
	int fd;
	bool closing;	  /* close once the output is flushed */
	bool reading;	  /* EPOLLIN armed */
	bool writing;	  /* EPOLLOUT armed */
	bool eof;	  /* the peer shut its side */
	bool draining;	  /* reply sent after an error: discarding input until EOF */
	bool pending;	  /* new input or complete request lines wait in in[] (client_run) */
	uint64_t busy_ns; /* time spent running its requests, halved every second */
	struct vx_srv_session sess;
	time_t drain_since;
	time_t closing_since; /* when closing was decided (bounds an unread last reply) */
	uint64_t lost;	      /* events dropped since the last one sent */
	time_t partial_since; /* when the pending partial line started, 0 = none */
	size_t in_len;
	char *in; /* VX_PROTO_MAX_LINE bytes */
	char *out;
	size_t out_off, out_len, out_cap;
};

/* Another file descriptor of the control loop (vx_server_watch). */
struct vx_srv_watch {
	int fd; /* -1 = free */
	vx_srv_watch_fn fn;
	void *arg;
};

#define VX_SRV_WATCH_MAX 8

struct vx_server {
	unsigned int next_turn; /* slot where the shared slice starts */
	struct vx_srv_cost cost[VX_SRV_COSTS];
	int lfd;
	int epfd;
	gid_t gid; /* the socket's group: its members may connect, and root */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned int n_clients;
	struct vx_client *cl[VX_PROTO_MAX_CLIENTS];
	struct vx_srv_watch watch[VX_SRV_WATCH_MAX];
	uint64_t woke_tsc; /* when the last wait returned */
};

static bool event_wanted(void *ctx, const char *stream);
static void event_send(void *ctx, const char *stream, const char *line);

/* epoll user data: the listening socket is tagged with this, clients with their pointer. */
#define LISTEN_TAG ((uint64_t)1)

static time_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int
vx_server_open(struct vx_ctl *c, const char *path, const char *group, char *err, size_t errlen)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = LISTEN_TAG};
	struct vx_server *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->epfd = -1;
	for (unsigned int i = 0; i < VX_SRV_WATCH_MAX; i++)
		s->watch[i].fd = -1;
	strlcpy(s->path, path, sizeof(s->path));
	s->lfd = vx_listen_unix(path, group, &s->gid, err, errlen);
	if (s->lfd < 0) {
		ret = s->lfd;
		goto err_free;
	}
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0 || epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lfd, &ev) < 0) {
		ret = -errno;
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		goto err_close;
	}
	c->srv = s;
	c->events = (struct vx_ctl_events){.wanted = event_wanted, .send = event_send, .ctx = c};
	return 0;

err_close:
	if (s->epfd >= 0)
		close(s->epfd);
	close(s->lfd);
	unlink(path);
err_free:
	free(s);
	return ret;
}

static void
client_free(struct vx_server *s, struct vx_client *cl)
{
	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++) {
		if (s->cl[i] == cl) {
			s->cl[i] = NULL;
			s->n_clients--;
			break;
		}
	}
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, cl->fd, NULL);
	close(cl->fd);
	free(cl->in);
	free(cl->out);
	free(cl);
}

static void
client_arm(struct vx_server *s, struct vx_client *cl)
{
	bool want_out = cl->out_len > cl->out_off;
	bool want_in =
		cl->draining || (!cl->closing && cl->out_len - cl->out_off < VX_SRV_OUT_HIGH);
	struct epoll_event ev = {.data.ptr = cl};

	if (cl->closing && cl->closing_since == 0)
		cl->closing_since = mono_now();
	if (want_out == cl->writing && want_in == cl->reading)
		return;
	ev.events = (want_in ? EPOLLIN : 0) | (want_out ? EPOLLOUT : 0);
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, cl->fd, &ev);
	cl->writing = want_out;
	cl->reading = want_in;
}

/* Append raw bytes to the client's output. Returns -ENOMEM on failure. */
static int
client_put(struct vx_client *cl, const char *p, size_t n)
{
	if (cl->out_off > 0 && cl->out_off == cl->out_len)
		cl->out_off = cl->out_len = 0;
	if (cl->out_len + n > cl->out_cap) {
		size_t cap = cl->out_cap ? cl->out_cap : 4096;
		char *nb;

		/* Compact before growing. */
		if (cl->out_off > 0) {
			memmove(cl->out, cl->out + cl->out_off, cl->out_len - cl->out_off);
			cl->out_len -= cl->out_off;
			cl->out_off = 0;
		}
		while (cap < cl->out_len + n)
			cap *= 2;
		if (cap != cl->out_cap) {
			nb = realloc(cl->out, cap);
			if (nb == NULL)
				return -ENOMEM;
			cl->out = nb;
			cl->out_cap = cap;
		}
	}
	memcpy(cl->out + cl->out_len, p, n);
	cl->out_len += n;
	return 0;
}

static int
client_frame(struct vx_client *cl, const char *status, const char *msg, size_t len)
{
	char hdr[VX_PROTO_MAX_HDR];
	int n;

	n = snprintf(hdr, sizeof(hdr), VX_PROTO_MAGIC " %s %zu\n", status, len);
	if (client_put(cl, hdr, n) < 0 || client_put(cl, msg, len) < 0)
		return -ENOMEM;
	return 0;
}

/* Write what the socket takes now. Returns -1 when the client is gone. */
static int
client_flush(struct vx_server *s, struct vx_client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			client_free(s, cl);
			return -1;
		}
		cl->out_off += n;
	}
	if (cl->out_off == cl->out_len) {
		cl->out_off = cl->out_len = 0;
		/* Give back a large buffer once a big reply (fdb show) went out. */
		if (cl->out_cap > VX_SRV_OUT_HIGH) {
			free(cl->out);
			cl->out = NULL;
			cl->out_cap = 0;
		}
		if (cl->closing && (cl->eof || cl->draining)) {
			client_free(s, cl);
			return -1;
		}
		if (cl->closing) {
			/*
			 * Closing a socket that still holds unread input resets the
			 * connection, and the peer may lose the error we just sent:
			 * shut our side and discard its input until it closes (or
			 * VX_SRV_DRAIN_SEC pass).
			 */
			shutdown(cl->fd, SHUT_WR);
			cl->draining = true;
			cl->drain_since = mono_now();
			cl->in_len = 0;
			cl->partial_since = 0;
		}
	}
	client_arm(s, cl);
	return 0;
}

/* Discard a closing client's input. Returns -1 when it is gone. */
static int
client_drain(struct vx_server *s, struct vx_client *cl)
{
	char scratch[4096];

	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(cl->fd, scratch, sizeof(scratch), MSG_DONTWAIT);

		if (n > 0)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	client_free(s, cl);
	return -1;
}

static void
client_error_close(struct vx_client *cl, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	client_frame(cl, "error", msg, n);
	cl->closing = true;
}

/* One request line: run it (request.c) and queue its reply frame. */
static void
client_request(struct vx_ctl *c, struct vx_client *cl, char *line)
{
	struct vx_out out = {0};

	switch (vx_srv_request(c, &cl->sess, line, &out)) {
	case VX_SRV_OK:
		client_frame(cl, "ok", out.buf ? out.buf : "", out.len);
		break;
	case VX_SRV_ERROR_CLOSE:
		cl->closing = true;
		/* fall through */
	case VX_SRV_ERROR:
		client_frame(cl, "error", out.buf ? out.buf : "", out.len);
		break;
	}
	vx_out_free(&out);
}

static size_t
client_backlog(const struct vx_client *cl)
{
	return cl->out_len - cl->out_off;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The command of a request line (its first two words after the flags), hashed into s->cost. */
static struct vx_srv_cost *
line_cost(struct vx_server *s, const char *line, char *cmd, size_t len)
{
	const char *p = strchr(line, ' ');
	uint32_t h = 2166136261u;
	size_t n = 0;
	int words = 0;

	p = p != NULL ? strchr(p + 1, ' ') : NULL; /* past the flags */
	for (p = p != NULL ? p + 1 : ""; *p != '\0' && *p != '\n' && n + 1 < len; p++) {
		if (*p == ' ' && ++words == 2)
			break;
		cmd[n++] = *p;
		h = (h ^ (uint8_t)*p) * 16777619u;
	}
	cmd[n] = '\0';
	return &s->cost[h % VX_SRV_COSTS];
}

/* What a request of cmd cost lately (0: nothing known). */
static uint64_t
cost_of(const struct vx_srv_cost *k, const char *cmd)
{
	return strcmp(k->cmd, cmd) == 0 ? k->ns : 0;
}

/* A request of cmd took ns: remember it (up at once, down slowly). */
static void
cost_note(struct vx_srv_cost *k, const char *cmd, uint64_t ns)
{
	if (strcmp(k->cmd, cmd) != 0) {
		strlcpy(k->cmd, cmd, sizeof(k->cmd));
		k->ns = ns;
	} else {
		k->ns = ns > k->ns ? ns : (7 * k->ns + ns) / 8;
	}
}

/*
 * Run the complete request lines waiting in cl->in until the clock passes
 * deadline (one at least; with cheap_only, only while the next one is
 * cheap) and while the client's unsent output stays under VX_SRV_OUT_HIGH,
 * so that memory stays bounded. Lines left over run in later polls
 * (cl->pending). A client whose peer shut its side is closed once every
 * complete line has been answered.
 */
static void
client_run(struct vx_ctl *c, struct vx_client *cl, uint64_t deadline, bool cheap_only)
{
	struct vx_server *s = c->srv;
	uint64_t t0 = now_ns(), t = t0;
	size_t start = 0;
	char *nl;

	while (!cl->closing && client_backlog(cl) < VX_SRV_OUT_HIGH &&
	       (start == 0 || t < deadline) &&
	       (nl = memchr(cl->in + start, '\n', cl->in_len - start)) != NULL) {
		char cmd[sizeof(s->cost[0].cmd)];
		/* Before the request runs: it splits the line in place. */
		struct vx_srv_cost *k = line_cost(s, cl->in + start, cmd, sizeof(cmd));
		uint64_t t1;

		if (cheap_only && cost_of(k, cmd) >= VX_SRV_CHEAP_NS)
			break;
		*nl = '\0';
		if (cl->sess.monitor == 0)
			client_request(c, cl, cl->in + start);
		t1 = now_ns();
		cost_note(k, cmd, t1 - t);
		t = t1;
		start = nl - cl->in + 1;
	}
	cl->busy_ns += t - t0;
	if (start > 0) {
		memmove(cl->in, cl->in + start, cl->in_len - start);
		cl->in_len -= start;
	}
	cl->pending = !cl->closing && memchr(cl->in, '\n', cl->in_len) != NULL;
	if (cl->pending)
		return;
	if (cl->eof) {
		cl->closing = true; /* answered what was complete: go */
		return;
	}
	cl->partial_since =
		cl->in_len > 0 ? (cl->partial_since ? cl->partial_since : mono_now()) : 0;
	if (cl->in_len == VX_PROTO_MAX_LINE)
		client_error_close(cl, "error: request line longer than %u bytes\n",
				   VX_PROTO_MAX_LINE - 1);
}

/* Take what the socket holds into cl->in; client_run runs its lines. */
static void
client_read(struct vx_client *cl)
{
	for (int rounds = 0; rounds < 16 && !cl->closing && !cl->eof; rounds++) {
		size_t room = VX_PROTO_MAX_LINE - cl->in_len;
		ssize_t n;

		/* Backpressure: it reads its replies first. A full buffer: run its lines first. */
		if (client_backlog(cl) >= VX_SRV_OUT_HIGH || room == 0)
			break;
		n = recv(cl->fd, cl->in + cl->in_len, room, MSG_DONTWAIT);
		if (n == 0) {
			cl->eof = true;
			break;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				cl->closing = true;
				cl->eof = true;
				cl->out_off = cl->out_len = 0;
			}
			break;
		}
		cl->in_len += n;
		cl->pending = true;
	}
	if (cl->eof)
		cl->pending = true;
}

/* An error frame to a connection we do not take, then close it. */
static void
refuse(int fd, const char *body)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), VX_PROTO_MAGIC " error %zu\n%s", strlen(body), body);

	/* A fresh socket buffer takes it whole; if not, the close says enough. */
	if (send(fd, msg, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		(void)0;
	close(fd);
}

/*
 * With every slot taken, before refusing a newcomer: read every client now,
 * and answer and free those whose peer has shut its side, so that a flood
 * of short connections does not hold the slots until their turn comes.
 */
static void
server_reap(struct vx_ctl *c)
{
	struct vx_server *s = c->srv;

	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++) {
		struct vx_client *cl = s->cl[i];

		if (cl == NULL)
			continue;
		if (cl->draining) {
			client_drain(s, cl);
			continue;
		}
		client_read(cl);
		if (!cl->eof)
			continue;
		client_run(c, cl, now_ns() + VX_SRV_LIGHT_NS, false);
		client_flush(s, cl);
	}
}

static void
server_accept(struct vx_ctl *c)
{
	struct vx_server *s = c->srv;

	for (int i = 0; i < VX_SRV_ACCEPT_MAX; i++) {
		struct epoll_event ev = {.events = EPOLLIN};
		struct vx_client *cl;
		unsigned int slot;
		int fd;

		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (!vx_listen_peer_ok(fd, s->gid)) {
			refuse(fd, "error: permission denied: root or the socket's group only\n");
			continue;
		}
		if (s->n_clients >= VX_PROTO_MAX_CLIENTS)
			server_reap(c);
		if (s->n_clients >= VX_PROTO_MAX_CLIENTS) {
			char body[64];

			snprintf(body, sizeof(body), "error: too many clients (%u)\n",
				 VX_PROTO_MAX_CLIENTS);
			refuse(fd, body);
			continue;
		}
		cl = calloc(1, sizeof(*cl));
		if (cl != NULL)
			cl->in = malloc(VX_PROTO_MAX_LINE);
		if (cl == NULL || cl->in == NULL) {
			free(cl);
			close(fd);
			continue;
		}
		cl->fd = fd;
		cl->reading = true;
		ev.data.ptr = cl;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			free(cl->in);
			free(cl);
			close(fd);
			continue;
		}
		for (slot = 0; slot < RTE_DIM(s->cl); slot++)
			if (s->cl[slot] == NULL)
				break;
		s->cl[slot] = cl;
		s->n_clients++;
	}
}

static void
server_expire(struct vx_server *s)
{
	time_t now = mono_now();

	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++) {
		struct vx_client *cl = s->cl[i];

		if (cl != NULL)
			cl->busy_ns /= 2;
		if (cl != NULL && cl->draining && now - cl->drain_since >= VX_SRV_DRAIN_SEC) {
			client_free(s, cl);
			continue;
		}
		/* A closing client that never reads its last reply. */
		if (cl != NULL && cl->closing && cl->closing_since != 0 &&
		    now - cl->closing_since >= VX_SRV_IDLE_SEC) {
			client_free(s, cl);
			continue;
		}
		if (cl == NULL || cl->partial_since == 0 || cl->closing)
			continue;
		if (now - cl->partial_since < VX_SRV_IDLE_SEC)
			continue;
		cl->in_len = 0;
		cl->partial_since = 0;
		client_error_close(cl, "error: incomplete request line for %d s, closing\n",
				   VX_SRV_IDLE_SEC);
		client_flush(s, cl);
	}
}

static bool
is_watch(const struct vx_server *s, const void *p)
{
	return p >= (const void *)&s->watch[0] && p < (const void *)&s->watch[VX_SRV_WATCH_MAX];
}

int
vx_server_watch(struct vx_ctl *c, int fd, vx_srv_watch_fn fn, void *arg)
{
	struct vx_server *s = c->srv;
	struct epoll_event ev = {.events = EPOLLIN};

	if (s == NULL)
		return -ENOTCONN;
	for (unsigned int i = 0; i < VX_SRV_WATCH_MAX; i++) {
		struct vx_srv_watch *w = &s->watch[i];

		if (w->fd >= 0)
			continue;
		ev.data.ptr = w;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			return -errno;
		*w = (struct vx_srv_watch){.fd = fd, .fn = fn, .arg = arg};
		return 0;
	}
	return -ENOSPC;
}

void
vx_server_unwatch(struct vx_ctl *c, int fd)
{
	struct vx_server *s = c->srv;

	for (unsigned int i = 0; s != NULL && i < VX_SRV_WATCH_MAX; i++) {
		if (s->watch[i].fd != fd)
			continue;
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
		s->watch[i].fd = -1;
	}
}

/* A client has request lines to run and room for their replies. */
static bool
client_runnable(const struct vx_client *cl)
{
	return cl != NULL && cl->pending && !cl->draining && client_backlog(cl) < VX_SRV_OUT_HIGH;
}

static bool
server_pending(const struct vx_server *s)
{
	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++)
		if (client_runnable(s->cl[i]))
			return true;
	return false;
}

/*
 * Run the clients with new input or lines left over by earlier polls: the
 * light ones' cheap requests first, then everyone in turn within one shared
 * slice (see VX_SRV_HEAVY_NS).
 */
static void
server_run(struct vx_ctl *c)
{
	struct vx_server *s = c->srv;
	const unsigned int nslots = RTE_DIM(s->cl);
	uint64_t end;

	for (unsigned int i = 0; i < nslots; i++) {
		struct vx_client *cl = s->cl[i];

		if (!client_runnable(cl) || cl->busy_ns >= VX_SRV_HEAVY_NS)
			continue;
		client_run(c, cl, now_ns() + VX_SRV_LIGHT_NS, true);
		client_flush(s, cl);
	}
	end = now_ns() + VX_SRV_SLICE_NS;
	for (unsigned int k = 0; k < nslots; k++) {
		unsigned int i = (s->next_turn + k) % nslots;
		struct vx_client *cl = s->cl[i];

		if (!client_runnable(cl))
			continue;
		if (now_ns() >= end) {
			s->next_turn = i; /* its turn comes first in the next poll */
			return;
		}
		client_run(c, cl, end, false);
		client_flush(s, cl);
	}
}

int
vx_server_poll(struct vx_ctl *c, int timeout_ms)
{
	struct vx_server *s = c->srv;
	struct epoll_event evs[32];
	static time_t last_expire;
	bool accept_ready = false;
	int n;

	if (s == NULL)
		return 0;
	/* Learn requests waiting: look at the sockets, but do not sleep. */
	if (timeout_ms > 0 && (vx_core_learn_pending(c) || server_pending(s)))
		timeout_ms = 0;
	n = epoll_wait(s->epfd, evs, RTE_DIM(evs), timeout_ms);
	s->woke_tsc = rte_rdtsc();
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct vx_client *cl;

		if (evs[i].data.u64 == LISTEN_TAG) {
			/* After this batch: accepting may free clients (server_reap). */
			accept_ready = true;
			continue;
		}
		if (is_watch(s, evs[i].data.ptr)) {
			struct vx_srv_watch *w = evs[i].data.ptr;

			if (w->fd >= 0)
				w->fn(c, w->arg);
			continue;
		}
		cl = evs[i].data.ptr;
		/* A client freed earlier in this batch cannot appear: one event per fd. */
		if (evs[i].events & (EPOLLERR)) {
			client_free(s, cl);
			continue;
		}
		if (cl->draining) {
			client_drain(s, cl);
			continue;
		}
		if (evs[i].events & (EPOLLIN | EPOLLHUP))
			client_read(cl);
		client_flush(s, cl);
	}
	server_run(c);
	if (accept_ready)
		server_accept(c);
	if (mono_now() != last_expire) {
		last_expire = mono_now();
		server_expire(s);
	}
	return n;
}

/*
 * Does a client subscribed to mon (VX_MON_*) take stream? "NAME.json" is
 * the JSON rendering of stream NAME: only for clients that asked with -j,
 * who get no text.
 */
static bool
takes(unsigned int mon, const char *stream)
{
	size_t n = strlen(stream);
	bool json = n > 5 && strcmp(stream + n - 5, ".json") == 0;
	unsigned int bit = (1u << 31);

	if (json)
		n -= 5;
	if (n == 3 && strncmp(stream, "fdb", 3) == 0)
		bit = VX_MON_FDB;
	return (mon & bit) != 0 && json == ((mon & VX_MON_JSON) != 0);
}

static bool
event_wanted(void *ctx, const char *stream)
{
	struct vx_server *s = ((struct vx_ctl *)ctx)->srv;

	if (s == NULL)
		return false;
	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++) {
		const struct vx_client *cl = s->cl[i];

		if (cl != NULL && !cl->closing && takes(cl->sess.monitor, stream))
			return true;
	}
	return false;
}

/* One event line (with its '\n') to every client that takes stream. */
static void
event_send(void *ctx, const char *stream, const char *line)
{
	struct vx_server *s = ((struct vx_ctl *)ctx)->srv;
	size_t n = strlen(line);

	if (s == NULL)
		return;
	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++) {
		struct vx_client *cl = s->cl[i];

		if (cl == NULL || cl->closing || !takes(cl->sess.monitor, stream))
			continue;
		if (cl->out_len - cl->out_off >= VX_SRV_OUT_HIGH) {
			cl->lost++;
			continue;
		}
		if (cl->lost > 0) {
			char lost[64];
			int m = snprintf(lost, sizeof(lost),
					 (cl->sess.monitor & VX_MON_JSON)
						 ? "{\"lost\":%" PRIu64 "}\n"
						 : "lost %" PRIu64 " events\n",
					 cl->lost);

			client_frame(cl, "event", lost, m);
			cl->lost = 0;
		}
		client_frame(cl, "event", line, n);
		/*
		 * No write here: this may run inside another client's command, in
		 * the middle of an epoll batch that can still name cl, so cl must
		 * not be freed now. EPOLLOUT sends it on the next poll.
		 */
		client_arm(s, cl);
	}
}

uint64_t
vx_server_woke_tsc(const struct vx_ctl *c)
{
	return c->srv != NULL ? c->srv->woke_tsc : 0;
}

void
vx_server_close(struct vx_ctl *c)
{
	struct vx_server *s = c->srv;

	if (s == NULL)
		return;
	for (unsigned int i = 0; i < RTE_DIM(s->cl); i++)
		if (s->cl[i] != NULL)
			client_free(s, s->cl[i]);
	close(s->epfd);
	close(s->lfd);
	unlink(s->path);
	free(s);
	c->srv = NULL;
	c->events = (struct vx_ctl_events){0};
}
