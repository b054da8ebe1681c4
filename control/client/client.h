/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CLIENT_H
#define VX_CLIENT_H

/*
 * The client side of the vxctl protocol (client/proto.h): connect to the
 * daemon's socket, send requests, read framed replies, pipeline batches.
 * vxctl and the fabric agent link it; it needs no DPDK header and keeps
 * no global state (one struct vx_conn per connection).
 *
 * Every function returns 0 or a negative errno, and on failure leaves a
 * one-line reason in conn->err (for the caller to print with its own
 * prefix).
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/proto.h"

struct vx_conn {
	int fd;
	/*
	 * When set and *stop becomes non-zero, a read interrupted by a signal
	 * gives up instead of retrying (vxctl's Ctrl-C under `monitor`).
	 */
	volatile sig_atomic_t *stop;
	char err[256];
	char buf[65536]; /* bytes read ahead of the frame being parsed */
	size_t off, len;
};

/* One reply frame. body is malloc'd and NUL-terminated; free it with vx_reply_free. */
struct vx_reply {
	char status[16]; /* "ok", "error" or "event" */
	char *body;
	size_t len;
};

/* The socket path: $VXSWITCH_SOCKET, else the default. */
const char *vx_conn_default_path(void);

/* Connect to path (NULL = vx_conn_default_path()). */
int vx_conn_open(struct vx_conn *c, const char *path);
void vx_conn_close(struct vx_conn *c);

/*
 * The request line for words argv (flags: VX_CMD_* and VX_PROTO_F_* bits),
 * malloc'd and '\n'-terminated. NULL with c->err set when a word is empty,
 * holds white space or the line is too long.
 */
char *vx_conn_format(struct vx_conn *c, unsigned int flags, int argc, char *const *argv);

/* Send n bytes, all of them. */
int vx_conn_send(struct vx_conn *c, const char *p, size_t n);

/* Read the next frame (blocking). -EPROTO on a garbled header, -EPIPE on EOF. */
int vx_conn_read(struct vx_conn *c, struct vx_reply *r);

/* Does the connection hold bytes of a reply already read (no poll needed)? */
static inline bool
vx_conn_buffered(const struct vx_conn *c)
{
	return c->off < c->len;
}

/*
 * Send one request and read its reply: 0 with r filled (r->status says
 * whether the command succeeded), or -errno when the exchange failed.
 */
int vx_conn_call(struct vx_conn *c, unsigned int flags, int argc, char *const *argv,
		 struct vx_reply *r);

/*
 * vx_conn_call for one line of words separated by blanks ("fdb add ...").
 * The line is copied; at most VX_PROTO_MAX_WORDS words.
 */
int vx_conn_callf(struct vx_conn *c, unsigned int flags, struct vx_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Start a pipelined batch (VX_PROTO_F_BATCH): 0 and *pipelined true when
 * the daemon takes it, *pipelined false when it is older and answers one
 * request at a time; -EBADMSG when it refused us (c->err holds its reply).
 */
int vx_conn_batch_begin(struct vx_conn *c, bool *pipelined);

void vx_reply_free(struct vx_reply *r);

#endif /* VX_CLIENT_H */
