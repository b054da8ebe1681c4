/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_SESSION_H
#define VX_SESSION_H

/*
 * The insides of the CLI socket server, shared by its three files:
 * server.c (the socket, the wait, accepting, expiry, the scheduling of
 * clients), session.c (one client's connection: buffers, line framing,
 * replies, backpressure) and events.c (the monitor event sink). Calls go
 * server.c -> events.c -> session.c, and server.c -> session.c.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>

#include "client/proto.h"
#include "server.h"

#define VX_SRV_OUT_HIGH	 (1u << 20) /* stop reading / drop events above this backlog */
#define VX_SRV_IDLE_SEC	 60	    /* a partial request line older than this is dropped */
#define VX_SRV_DRAIN_SEC 2	    /* a closing client's input is discarded this long at most */
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

static inline time_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static inline uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- session.c: one client's connection ---- */

/* Take cl out of its slot, close its socket and free it. */
void client_free(struct vx_server *s, struct vx_client *cl);
/* Arm EPOLLIN/EPOLLOUT for what cl waits for (reads stop above VX_SRV_OUT_HIGH). */
void client_arm(struct vx_server *s, struct vx_client *cl);
/* Queue one frame (VX_PROTO_MAGIC status len, then msg). 0 or -ENOMEM. */
int client_frame(struct vx_client *cl, const char *status, const char *msg, size_t len);
/* Write what the socket takes now. Returns -1 when the client is gone (freed). */
int client_flush(struct vx_server *s, struct vx_client *cl);
/* Discard a closing client's input. Returns -1 when it is gone (freed). */
int client_drain(struct vx_server *s, struct vx_client *cl);
/* Queue an error frame of fmt and close the client once it is sent. */
void client_error_close(struct vx_client *cl, const char *fmt, ...);
/*
 * Run cl's complete request lines until the clock passes deadline (one at
 * least; with cheap_only, only while the next one is cheap).
 */
void client_run(struct vx_ctl *c, struct vx_client *cl, uint64_t deadline, bool cheap_only);
/* Take what the socket holds into cl->in; client_run runs its lines. */
void client_read(struct vx_client *cl);
/* A client has request lines to run and room for their replies. */
bool client_runnable(const struct vx_client *cl);

/* ---- events.c: the monitor event sink (struct vx_ctl_events of the server) ---- */

/* Does a monitor client take stream? ctx is the struct vx_ctl. */
bool event_wanted(void *ctx, const char *stream);
/* One event line (with its '\n') to every client that takes stream. */
void event_send(void *ctx, const char *stream, const char *line);

#endif /* VX_SESSION_H */
