/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI socket server: the listening socket and the control loop's wait
 * on it (vx_server_poll), the other descriptors served by that wait
 * (vx_server_watch), accepting and refusing clients, expiring those that
 * stall, and the scheduling of clients' requests (server_run, see
 * session.h). One client's connection (buffers, line framing, replies,
 * backpressure) is session.c; the monitor event sink the server registers
 * (struct vx_ctl_events) is events.c.
 *
 * Nothing here blocks the control loop: sockets are non-blocking, and each
 * client holds only its own bounded buffers (session.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bsd/string.h>

#include <rte_cycles.h>

#include "core/core.h"
#include "session.h"

#define VX_SRV_ACCEPT_MAX 64 /* accepts per poll */

/* epoll user data: the listening socket is tagged with this, clients with their pointer. */
#define LISTEN_TAG ((uint64_t)1)

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
