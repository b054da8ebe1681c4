/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * struct vx_out: the growable text a command writes its reply into, and
 * the error idiom (out.h). An allocation failure truncates the output
 * (the command still ran); the buffer is always NUL-terminated once
 * written.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/out.h"

/* Room for need more bytes (and a NUL); false when memory ran out. */
static bool
out_room(struct vx_out *o, size_t need)
{
	size_t cap;
	char *nb;

	if (o->len + need + 1 <= o->cap)
		return true;
	cap = o->cap ? o->cap : 256;
	while (cap < o->len + need + 1)
		cap *= 2;
	nb = realloc(o->buf, cap);
	if (nb == NULL)
		return false;
	o->buf = nb;
	o->cap = cap;
	return true;
}

void
vx_out_printf(struct vx_out *o, const char *fmt, ...)
{
	size_t room = o->cap - o->len;
	va_list ap;
	int n;

	/* Formatted once where it fits (the usual case), twice when the buffer must grow. */
	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n >= room) {
		if (!out_room(o, (size_t)n)) {
			if (o->buf != NULL)
				o->buf[o->len] = '\0';
			return;
		}
		va_start(ap, fmt);
		vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
	}
	o->len += (size_t)n;
}

void
vx_out_reset(struct vx_out *o)
{
	o->len = 0;
	if (o->buf != NULL)
		o->buf[0] = '\0';
}

void
vx_out_free(struct vx_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

void
vx_out_json_str(struct vx_out *o, const char *s)
{
	vx_out_printf(o, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			vx_out_printf(o, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			vx_out_printf(o, "\\u%04x", (unsigned char)*s);
		else
			vx_out_printf(o, "%c", *s);
	}
	vx_out_printf(o, "\"");
}

int
vx_err(struct vx_out *out, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vx_out_reset(out);
	vx_out_printf(out, "error: %s\n", msg);
	return err;
}
