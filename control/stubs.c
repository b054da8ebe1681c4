/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weak stand-ins for the control functions that server.c and main.c call
 * and that other files of the control library define (core: cmd.c, out.c,
 * save.c, learn.c; underlay: punt.c, neigh.c). They let the daemon and
 * every test that links the library build while those files are still
 * skeletons; any real definition overrides them (the library is linked
 * whole, so the strong symbol always wins). Delete this file once every
 * part has landed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

__attribute__((weak)) void
vx_out_printf(struct vx_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *b = realloc(o->buf, cap);

		if (b == NULL)
			return;
		o->buf = b;
		o->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, n + 1, fmt, ap);
	va_end(ap);
	o->len += n;
}

__attribute__((weak)) void
vx_out_reset(struct vx_out *o)
{
	o->len = 0;
}

__attribute__((weak)) void
vx_out_free(struct vx_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

__attribute__((weak)) int
vx_cmd_exec(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	vx_out_printf(out, "error: \"%s\": commands are not built in this vxswitch yet\n",
		      argv[0]);
	return -ENOSYS;
}

__attribute__((weak)) int
vx_replay(struct vx_ctl *c, const char *path, int *lineno, struct vx_out *err)
{
	*lineno = 0;
	vx_out_printf(err, "error: config replay is not built in this vxswitch yet\n");
	return -ENOSYS;
}

__attribute__((weak)) int
vx_core_init(struct vx_ctl *c)
{
	return 0;
}

__attribute__((weak)) void
vx_core_fini(struct vx_ctl *c)
{
}

__attribute__((weak)) void
vx_core_poll(struct vx_ctl *c)
{
}

__attribute__((weak)) int
vx_ul_init(struct vx_ctl *c)
{
	return 0;
}

__attribute__((weak)) void
vx_ul_fini(struct vx_ctl *c)
{
}

__attribute__((weak)) void
vx_ul_poll(struct vx_ctl *c)
{
}

/* dataplane/worker.c (stages): the daemon starts but forwards nothing. */
#include "vx_worker.h"

__attribute__((weak)) int
vx_worker_main(void *arg)
{
	return -ENOSYS;
}
