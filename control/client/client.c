/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client side of the vxctl protocol: see client.h and proto.h.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bsd/string.h>

#include "client/client.h"

const char *
vx_conn_default_path(void)
{
	const char *p = getenv(VX_SOCKET_ENV);

	return p != NULL && p[0] != '\0' ? p : VX_SOCKET_DEFAULT;
}

int
vx_conn_open(struct vx_conn *c, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int e;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (path == NULL)
		path = vx_conn_default_path();
	if (strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) >= sizeof(sa.sun_path)) {
		snprintf(c->err, sizeof(c->err), "socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd >= 0 && connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 0;
	e = errno;
	snprintf(c->err, sizeof(c->err), "cannot connect to %s: %s%s", path, strerror(e),
		 (e == ENOENT || e == ECONNREFUSED)
			 ? " (is vxswitch running? see --socket or $" VX_SOCKET_ENV ")"
		 : e == EACCES ? " (the socket is mode 0660: root or its group only)"
			       : "");
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	return -e;
}

void
vx_conn_close(struct vx_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->off = c->len = 0;
}

char *
vx_conn_format(struct vx_conn *c, unsigned int flags, int argc, char *const *argv)
{
	size_t n = 32;
	char *line, *p;

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '\0' || strpbrk(argv[i], " \t\r\n") != NULL) {
			snprintf(c->err, sizeof(c->err),
				 "word %d (\"%s\") is empty or holds white space", i + 1, argv[i]);
			return NULL;
		}
		n += strlen(argv[i]) + 1;
	}
	if (n >= VX_PROTO_MAX_LINE) {
		snprintf(c->err, sizeof(c->err), "command longer than %u bytes",
			 VX_PROTO_MAX_LINE - 1);
		return NULL;
	}
	line = malloc(n);
	if (line == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return NULL;
	}
	p = line + snprintf(line, n, VX_PROTO_MAGIC " %u", flags);
	for (int i = 0; i < argc; i++)
		p += snprintf(p, n - (p - line), " %s", argv[i]);
	*p++ = '\n';
	*p = '\0';
	return line;
}

int
vx_conn_send(struct vx_conn *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			snprintf(c->err, sizeof(c->err), "send: %s", strerror(errno));
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* Exactly n bytes, buffered. */
static int
conn_read_n(struct vx_conn *c, char *dst, size_t n)
{
	while (n > 0) {
		size_t k;

		if (c->off == c->len) {
			ssize_t r = read(c->fd, c->buf, sizeof(c->buf));

			if (r < 0 && errno == EINTR && (c->stop == NULL || !*c->stop))
				continue;
			if (r <= 0) {
				snprintf(c->err, sizeof(c->err),
					 "the daemon closed the connection");
				return -EPIPE;
			}
			c->off = 0;
			c->len = r;
		}
		k = c->len - c->off;
		if (k > n)
			k = n;
		memcpy(dst, c->buf + c->off, k);
		c->off += k;
		dst += k;
		n -= k;
	}
	return 0;
}

int
vx_conn_read(struct vx_conn *c, struct vx_reply *r)
{
	char hdr[VX_PROTO_MAX_HDR], magic[16];
	unsigned long long len;
	size_t i = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	for (;;) {
		if (i == sizeof(hdr) - 1) {
			hdr[i] = '\0';
			goto garbled;
		}
		ret = conn_read_n(c, &hdr[i], 1);
		if (ret < 0)
			return ret;
		if (hdr[i] == '\n')
			break;
		i++;
	}
	hdr[i] = '\0';
	if (sscanf(hdr, "%15s %15s %llu", magic, r->status, &len) != 3 ||
	    strcmp(magic, VX_PROTO_MAGIC) != 0 || len > (1ull << 34))
		goto garbled;
	r->body = malloc(len + 1);
	if (r->body == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory for a reply of %llu bytes", len);
		return -ENOMEM;
	}
	ret = conn_read_n(c, r->body, len);
	if (ret < 0) {
		vx_reply_free(r);
		return ret;
	}
	r->body[len] = '\0';
	r->len = len;
	return 0;

garbled:
	snprintf(c->err, sizeof(c->err),
		 "protocol error: unexpected reply \"%.40s\" (this client speaks " VX_PROTO_MAGIC
		 ")",
		 hdr);
	return -EPROTO;
}

int
vx_conn_call(struct vx_conn *c, unsigned int flags, int argc, char *const *argv, struct vx_reply *r)
{
	char *req = vx_conn_format(c, flags, argc, argv);
	int ret;

	memset(r, 0, sizeof(*r));
	if (req == NULL)
		return -EINVAL;
	ret = vx_conn_send(c, req, strlen(req));
	free(req);
	/*
	 * A daemon that refuses a connection (permissions, too many clients)
	 * says why and closes it: its frame may be there though our send failed.
	 */
	if (ret < 0 && vx_conn_read(c, r) == 0)
		return 0;
	if (ret < 0)
		return ret;
	return vx_conn_read(c, r);
}

int
vx_conn_callf(struct vx_conn *c, unsigned int flags, struct vx_reply *r, const char *fmt, ...)
{
	char *line, *argv[VX_PROTO_MAX_WORDS], *save = NULL;
	int argc = 0, ret;
	va_list ap;

	memset(r, 0, sizeof(*r));
	va_start(ap, fmt);
	ret = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return -ENOMEM;
	}
	for (char *w = strtok_r(line, " \t\r\n", &save); w != NULL;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == VX_PROTO_MAX_WORDS) {
			snprintf(c->err, sizeof(c->err), "more than %d words", VX_PROTO_MAX_WORDS);
			free(line);
			return -E2BIG;
		}
		argv[argc++] = w;
	}
	ret = vx_conn_call(c, flags, argc, argv, r);
	free(line);
	return ret;
}

int
vx_conn_batch_begin(struct vx_conn *c, bool *pipelined)
{
	char req[32];
	struct vx_reply r;
	int n = snprintf(req, sizeof(req), VX_PROTO_MAGIC " %u\n", VX_PROTO_F_BATCH);
	int ret;

	ret = vx_conn_send(c, req, n);
	if (ret < 0)
		return ret;
	ret = vx_conn_read(c, &r);
	if (ret < 0)
		return ret;
	*pipelined = strcmp(r.status, "ok") == 0;
	/* An older daemon answers the empty batch request "error: empty command". */
	if (!*pipelined && strcmp(r.body, "error: empty command\n") != 0) {
		size_t l;

		strlcpy(c->err, r.body, sizeof(c->err));
		l = strlen(c->err);
		while (l > 0 && c->err[l - 1] == '\n')
			c->err[--l] = '\0';
		vx_reply_free(&r);
		return -EBADMSG;
	}
	vx_reply_free(&r);
	return 0;
}

void
vx_reply_free(struct vx_reply *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}
