/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_SERVER_H
#define VX_SERVER_H

/*
 * The CLI socket (server.c): a UNIX stream socket speaking the protocol of
 * proto.h. Everything runs on the control thread; no call here ever
 * blocks: sockets are non-blocking, each client has its own bounded input
 * and output buffers, and vx_server_poll() waits at most timeout_ms.
 */

#include "ctl.h"

/* Create the socket at path (its directory too), mode 0660, group group
 * (a name or a number; NULL = root). 0 or -errno; err holds the reason. */
int vx_server_open(struct vx_ctl *c, const char *path, const char *group, char *err, size_t errlen);
/* Wait up to timeout_ms for socket activity and serve it. Returns the
 * number of events handled, or -errno (EINTR is reported as 0). */
int vx_server_poll(struct vx_ctl *c, int timeout_ms);
/* Close every client and the listening socket, and remove the socket file. */
void vx_server_close(struct vx_ctl *c);

#endif /* VX_SERVER_H */
