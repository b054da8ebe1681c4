/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * struct vx_out: the growable text a command writes its reply into, and
 * the error idiom (out.h). An allocation failure truncates the output
 * (the command still ran); the buffer is always NUL-terminated once
 * written.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/out.h"

void
vx_out_printf(struct vx_out *o, const char *fmt, ...)
{
	va_list ap;
	size_t need, cap;
	char *nb;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	need = o->len + (size_t)n + 1;
	if (need > o->cap) {
		cap = o->cap ? o->cap : 256;
		while (cap < need)
			cap *= 2;
		nb = realloc(o->buf, cap);
		if (nb == NULL)
			return;
		o->buf = nb;
		o->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
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
