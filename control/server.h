/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_SERVER_H
#define VX_SERVER_H

/*
 * The CLI socket (server.c; one client's connection in session.c, the
 * monitor event sink in events.c, their insides in session.h): a UNIX
 * stream socket speaking the protocol of client/proto.h; each request line
 * is answered by request.c. Everything runs on the control thread; no call
 * here ever blocks: sockets are non-blocking, each client has its own
 * bounded input and output buffers, and vx_server_poll() waits at most
 * timeout_ms.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "lib/ctl.h"
#include "lib/out.h"

/* Create the socket at path (its directory too), mode 0660, group group
 * (a name or a number; NULL = root). 0 or -errno; err holds the reason. */
int vx_server_open(struct vx_ctl *c, const char *path, const char *group, char *err, size_t errlen);
/* Wait up to timeout_ms for socket activity and serve it. Returns the
 * number of events handled, or -errno (EINTR is reported as 0). */
int vx_server_poll(struct vx_ctl *c, int timeout_ms);
/*
 * Another file descriptor served by the same wait: when fd is readable,
 * fn(c, arg) runs on the control thread from vx_server_poll(). fn must not
 * block. At most a few (the metrics server, the telemetry mailbox).
 */
typedef void (*vx_srv_watch_fn)(struct vx_ctl *c, void *arg);
int vx_server_watch(struct vx_ctl *c, int fd, vx_srv_watch_fn fn, void *arg);
void vx_server_unwatch(struct vx_ctl *c, int fd);
/* The TSC when the last wait of vx_server_poll() returned (the loop's work starts there). */
uint64_t vx_server_woke_tsc(const struct vx_ctl *c);
/* Close every client and the listening socket, and remove the socket file. */
void vx_server_close(struct vx_ctl *c);

/* ---- listen.c ---- */
/*
 * The listening socket at path (see listen.c): its fd and the group's id
 * in *gid, or -errno with the reason in err.
 */
int vx_listen_unix(const char *path, const char *group, gid_t *gid, char *err, size_t errlen);
/* May the peer of connection fd use the socket: root, or a member of group gid (not 0)? */
bool vx_listen_peer_ok(int fd, gid_t gid);

/* ---- request.c ---- */

#define VX_MON_FDB (1u << 0)
/* `-j monitor`: the JSON rendering of each stream ("fdb.json" for "fdb"), not its text. */
#define VX_MON_JSON (1u << 30)
#define VX_MON_ALL  (~VX_MON_JSON)

/* What a connection keeps between its requests. */
struct vx_srv_session {
	bool batch_failed;    /* a VX_PROTO_F_BATCH request failed: skip the later ones */
	unsigned int monitor; /* VX_MON_* streams subscribed (`monitor`) */
};

enum vx_srv_reply {
	VX_SRV_OK,	    /* "ok" frame with out's text */
	VX_SRV_ERROR,	    /* "error" frame with out's "error: ..." */
	VX_SRV_ERROR_CLOSE, /* "error" frame, then close the connection */
};

/* Answer one request line (without its '\n'); the reply's text goes to out. */
enum vx_srv_reply vx_srv_request(struct vx_ctl *c, struct vx_srv_session *s, char *line,
				 struct vx_out *out);

#endif /* VX_SERVER_H */
