/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One client connection of the CLI socket server (session.h): its input
 * buffer and the framing of request lines in it, running its complete
 * lines (request.c) up to a deadline while noting what each command costs
 * (the server's cost table, read by the scheduling of server.c), its reply
 * frames (protocol in client/proto.h) and writing them out.
 *
 * Nothing here blocks the control loop: sockets are non-blocking; a client
 * that sends half a line only holds its own input buffer (bounded by
 * VX_PROTO_MAX_LINE, and dropped after VX_SRV_IDLE_SEC of silence, by
 * server.c); a client that does not read its replies stops being read from
 * once VX_SRV_OUT_HIGH bytes are pending (so it cannot make the server
 * buffer more).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bsd/string.h>

#include <rte_common.h>

#include "session.h"

void
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

void
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

int
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
int
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
int
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

void
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
void
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
void
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

/* A client has request lines to run and room for their replies. */
bool
client_runnable(const struct vx_client *cl)
{
	return cl != NULL && cl->pending && !cl->draining && client_backlog(cl) < VX_SRV_OUT_HIGH;
}
