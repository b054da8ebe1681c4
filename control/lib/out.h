/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_OUT_H
#define VX_OUT_H

/*
 * The text a command writes: its reply (text or JSON) and, on failure,
 * one "error: ..." line. Control thread only.
 *
 * The one error idiom of the control plane: a function that refuses a
 * request returns vx_err(out, -errno, "what was wrong"), which replaces
 * whatever out held with "error: what was wrong\n" and returns -errno.
 * Callers pass the -errno on and print out as it is.
 */

#include <stdarg.h>
#include <stddef.h>

struct vx_out {
	char *buf; /* NUL-terminated once anything was written */
	size_t len, cap;
};

void vx_out_printf(struct vx_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vx_out_reset(struct vx_out *o);
void vx_out_free(struct vx_out *o);
/* A JSON string, quoted and escaped. */
void vx_out_json_str(struct vx_out *o, const char *s);
/* "error: ..." into out (its earlier text dropped); returns err. */
int vx_err(struct vx_out *out, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* VX_OUT_H */
