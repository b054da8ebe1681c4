/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The monitor event sink of the CLI socket server (struct vx_ctl_events,
 * registered by vx_server_open): clients subscribed with `monitor` get
 * event frames of the lines vx_ctl_event() sends. A client that does not
 * read them loses events (counted, and reported in the stream before the
 * next one it gets) once VX_SRV_OUT_HIGH bytes are pending, instead of
 * growing its buffer.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "session.h"

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

bool
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
void
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
