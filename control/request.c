/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One request line of the socket protocol (client/proto.h) -> its reply:
 * the version word, the flags, the batch state of the connection, the
 * `monitor` subscription, and everything else run through the command
 * layer (vx_cli_exec). No socket here: session.c frames and sends what
 * this returns.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "server.h"

#define TOO_MANY  "too many words (max 256)"
#define EMPTY	  "empty command"
#define MON_BATCH "monitor is not allowed in a batch"

/* `monitor [fdb|all]`: the connection becomes an event stream (with -j, of JSON objects). */
static int
monitor(struct vx_srv_session *s, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "all") == 0))
		s->monitor = VX_MON_ALL;
	else if (argc == 2 && strcmp(argv[1], "fdb") == 0)
		s->monitor = VX_MON_FDB;
	else
		return vx_err(out, -EINVAL, "monitor: unknown stream \"%.64s\" (fdb, all)",
			      argv[argc == 2 ? 1 : 2]);
	if (flags & VX_CMD_JSON)
		s->monitor |= VX_MON_JSON;
	return 0;
}

/* The words of the request: -errno with the error in out, or what the command returned. */
static int
run(struct vx_ctl *c, struct vx_srv_session *s, char *words, unsigned int flags, bool batch,
    struct vx_out *out)
{
	char *argv[VX_CLI_MAX_WORDS + 1];
	int argc, ret;

	argc = vx_cli_split(words, argv, VX_CLI_MAX_WORDS);
	if (argc < 0)
		return vx_err(out, -E2BIG, TOO_MANY);
	if (argc == 0)
		return vx_err(out, -EINVAL, EMPTY);
	if (strcmp(argv[0], "monitor") == 0) {
		/* In a batch, later requests would be read as nothing: refuse instead. */
		if (batch)
			return vx_err(out, -EINVAL, MON_BATCH);
		return monitor(s, argc, argv, flags, out);
	}
	ret = vx_cli_exec(c, argc, argv, flags, out);
	if (ret < 0 && (out->len < 7 || strncmp(out->buf, "error: ", 7) != 0))
		/* The command left no message: say at least what failed. */
		vx_err(out, ret, "%s: %s", argv[0], strerror(-ret));
	return ret;
}

enum vx_srv_reply
vx_srv_request(struct vx_ctl *c, struct vx_srv_session *s, char *line, struct vx_out *out)
{
	const size_t ml = sizeof(VX_PROTO_MAGIC) - 1;
	unsigned long flags;
	bool batch;
	char *end;

	if (strncmp(line, VX_PROTO_MAGIC, ml) != 0 || (line[ml] != ' ' && line[ml] != '\0')) {
		char got[16];
		size_t i;

		for (i = 0; i < sizeof(got) - 1 && line[i] != '\0' && line[i] != ' '; i++)
			got[i] = (line[i] >= 0x20 && line[i] < 0x7f) ? line[i] : '?';
		got[i] = '\0';
		vx_err(out, -EPROTO,
		       "protocol version mismatch: server speaks %s, client sent \"%s\" (use the "
		       "vxctl of this vxswitch)",
		       VX_PROTO_MAGIC, got);
		return VX_SRV_ERROR_CLOSE;
	}
	line += ml;
	errno = 0;
	flags = strtoul(line, &end, 10);
	if (end == line || errno != 0 || (*end != ' ' && *end != '\0' && *end != '\t')) {
		vx_err(out, -EPROTO, "malformed request: flags expected after %s", VX_PROTO_MAGIC);
		return VX_SRV_ERROR_CLOSE;
	}
	batch = (flags & VX_PROTO_F_BATCH) != 0;
	flags &= ~(unsigned long)VX_PROTO_F_BATCH;
	if (batch && strspn(end, " \t\r") == strlen(end)) {
		/* Start of a batch (and the client's check that we know the flag). */
		s->batch_failed = false;
		return VX_SRV_OK;
	}
	if (batch && s->batch_failed) {
		vx_out_printf(out, "%s", VX_PROTO_SKIPPED);
		return VX_SRV_ERROR;
	}
	if (run(c, s, end, (unsigned int)flags, batch, out) == 0)
		return VX_SRV_OK;
	/* An error fails the batch when the request was part of one. */
	if (batch)
		s->batch_failed = true;
	return VX_SRV_ERROR;
}
