/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_PROTO_H
#define VX_PROTO_H

/*
 * The vxctl wire protocol over the UNIX stream socket (no DPDK here: the
 * client includes this file too).
 *
 * Request, one line, at most VX_PROTO_MAX_LINE bytes including the '\n':
 *
 *     VXCTL1 <flags> <word> <word> ...\n
 *
 * flags is a decimal number: bits 0-7 are the command's VX_CMD_* bits
 * (1 = -j, 2 = -s, 4 = --force), bits 8 and up the protocol's own
 * (VX_PROTO_F_*, taken off before the command runs). Words are separated
 * by single spaces or tabs; the grammar never needs quoting, so a word
 * never holds white space. A client may
 * send several requests on one connection; each gets exactly one reply,
 * in order.
 *
 * Reply, one frame per request:
 *
 *     VXCTL1 <status> <length>\n<length bytes of message>
 *
 * status is "ok" or "error" (the message then starts with "error: "),
 * length is decimal. A `monitor [fdb|all]` request is answered with an
 * "ok" frame and turns the connection into a stream: every event is then
 * an "event" frame holding one line ("VXCTL1 event <length>\n<line>\n").
 * When the server had to drop events for a slow reader, the next event
 * frame is preceded by an event line "lost <N> events\n".
 *
 * Batches (VX_PROTO_F_BATCH, 256): a client may pipeline the lines of a
 * batch (send many before reading the replies) and still stop at the
 * first failure. Once a request carrying the bit got an "error" reply,
 * every later request carrying it on that connection is not run and is
 * answered "error: skipped: an earlier command of the batch failed\n".
 * A request with the bit and no word starts a batch: it clears that state
 * and is answered "ok" with an empty message. A server older than the bit
 * answers it "error: empty command", which tells the client to send one
 * request at a time instead. Requests without the bit neither see nor
 * change the state; `monitor` with the bit is refused.
 *
 * A request that does not start with "VXCTL1 " gets an error frame naming
 * both versions, and the server closes the connection. So do an
 * over-long line and a connection beyond VX_PROTO_MAX_CLIENTS.
 */

/* Command flags, from vxctl's options. */
#define VX_CMD_JSON  (1u << 0) /* -j */
#define VX_CMD_STATS (1u << 1) /* -s */
#define VX_CMD_FORCE (1u << 2) /* allow a command that removes static data */

#define VX_PROTO_MAGIC	     "VXCTL1"
#define VX_PROTO_MAX_LINE    65536 /* request line, '\n' included */
#define VX_PROTO_MAX_HDR     64	   /* reply frame header line */
#define VX_PROTO_MAX_CLIENTS 64
#define VX_PROTO_MAX_WORDS   256
#define VX_PROTO_F_BATCH     (1u << 8) /* part of a batch: see above */
#define VX_PROTO_SKIPPED     "error: skipped: an earlier command of the batch failed\n"
#define VX_SOCKET_DEFAULT    "/run/vxswitch/vxswitch.sock"
#define VX_SOCKET_ENV	     "VXSWITCH_SOCKET"

#endif /* VX_PROTO_H */
