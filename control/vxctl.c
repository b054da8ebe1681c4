/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxctl: the client of vxswitch's CLI socket (protocol in proto.h).
 *
 *   vxctl [-j] [-s] [-f|--force] [--socket PATH] WORDS...
 *   vxctl [-j] [-s] [-f|--force] [--socket PATH] -b FILE|-
 *
 * Exit status: 0 ok, 1 the command failed (its "error: ..." is on
 * stderr), 2 no daemon to talk to (or a protocol failure).
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "proto.h"

/* The VX_CMD_* bits of ctl.h (kept here so that vxctl needs no DPDK header). */
#define F_JSON	1u
#define F_STATS 2u
#define F_FORCE 4u

#define EXIT_OK	     0
#define EXIT_CMD     1
#define EXIT_CONNECT 2

static const char *sock_path;
static volatile sig_atomic_t stop;

struct conn {
	int fd;
	char buf[8192];
	size_t off, len;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: vxctl [-j] [-s] [-f|--force] [--socket PATH] WORDS...\n"
		"       vxctl [-j] [-s] [-f|--force] [--socket PATH] -b FILE|-\n"
		"  -j           JSON output for show commands\n"
		"  -s           add statistics\n"
		"  -f, --force  allow a command that removes static data\n"
		"  --socket P   vxswitch socket (default $" VX_SOCKET_ENV " or " VX_SOCKET_DEFAULT
		")\n"
		"  -b FILE      run the commands of FILE (- = stdin), stop at the first error\n"
		"  -4, -6, -d   accepted as iproute2's, ignored (the addresses give the family)\n"
		"Try: vxctl help\n");
}

static int
conn_open(struct conn *c)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	if (strlcpy(sa.sun_path, sock_path, sizeof(sa.sun_path)) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vxctl: socket path too long: %s\n", sock_path);
		return -1;
	}
	c->off = c->len = 0;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		fprintf(stderr, "vxctl: cannot connect to %s: %s%s\n", sock_path, strerror(e),
			(e == ENOENT || e == ECONNREFUSED)
				? " (is vxswitch running? see --socket or $" VX_SOCKET_ENV ")"
			: e == EACCES ? " (the socket is mode 0660: root or its group only)"
				      : "");
		if (c->fd >= 0)
			close(c->fd);
		return -1;
	}
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* Read exactly n bytes (buffered). 0 ok, -1 error or EOF. */
static int
conn_read(struct conn *c, char *dst, size_t n)
{
	while (n > 0) {
		size_t k;

		if (c->off == c->len) {
			ssize_t r = read(c->fd, c->buf, sizeof(c->buf));

			if (r < 0 && errno == EINTR && !stop)
				continue;
			if (r <= 0)
				return -1;
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

/*
 * Read one frame; status into st (ok/error/event), body into *body
 * (malloc'd, NUL-terminated). 0 ok, -1 connection closed or garbled.
 */
static int
read_frame(struct conn *c, char *st, size_t stlen, char **body, size_t *blen)
{
	char hdr[VX_PROTO_MAX_HDR], magic[16], status[16];
	unsigned long long len;
	size_t i = 0;

	for (;;) {
		if (i == sizeof(hdr) - 1 || conn_read(c, &hdr[i], 1) < 0)
			return -1;
		if (hdr[i] == '\n')
			break;
		i++;
	}
	hdr[i] = '\0';
	if (sscanf(hdr, "%15s %15s %llu", magic, status, &len) != 3 ||
	    strcmp(magic, VX_PROTO_MAGIC) != 0 || len > (1ull << 34)) {
		fprintf(stderr,
			"vxctl: protocol error: unexpected reply \"%.40s\" (this vxctl "
			"speaks " VX_PROTO_MAGIC ")\n",
			hdr);
		return -1;
	}
	*body = malloc(len + 1);
	if (*body == NULL)
		return -1;
	if (conn_read(c, *body, len) < 0) {
		free(*body);
		return -1;
	}
	(*body)[len] = '\0';
	*blen = len;
	strlcpy(st, status, stlen);
	return 0;
}

/* Build the request line from words. Returns malloc'd line, or NULL. */
static char *
make_request(unsigned int flags, int argc, char **argv)
{
	size_t n = 32;
	char *line, *p;

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '\0' || strpbrk(argv[i], " \t\r\n") != NULL) {
			fprintf(stderr,
				"vxctl: error: word %d (\"%s\") is empty or holds white "
				"space\n",
				i + 1, argv[i]);
			return NULL;
		}
		n += strlen(argv[i]) + 1;
	}
	if (n >= VX_PROTO_MAX_LINE) {
		fprintf(stderr, "vxctl: error: command longer than %u bytes\n",
			VX_PROTO_MAX_LINE - 1);
		return NULL;
	}
	line = malloc(n);
	if (line == NULL)
		return NULL;
	p = line + snprintf(line, n, VX_PROTO_MAGIC " %u", flags);
	for (int i = 0; i < argc; i++)
		p += snprintf(p, n - (p - line), " %s", argv[i]);
	*p++ = '\n';
	*p = '\0';
	return line;
}

/*
 * `save FILE`: the daemon resolves paths in its own directory, so give it
 * an absolute one.
 */
static char *save_abs;

static void
fix_save_path(int argc, char **argv)
{
	char cwd[PATH_MAX];

	if (argc != 2 || strcmp(argv[0], "save") != 0 || argv[1][0] == '/')
		return;
	if (getcwd(cwd, sizeof(cwd)) == NULL || asprintf(&save_abs, "%s/%s", cwd, argv[1]) < 0)
		return;
	argv[1] = save_abs;
}

/* Send one command and print its reply. Returns an exit code. */
static int
run_one(struct conn *c, unsigned int flags, int argc, char **argv, bool *monitor)
{
	char st[16], *body = NULL, *req;
	size_t blen;
	int rc;

	fix_save_path(argc, argv);
	req = make_request(flags, argc, argv);
	if (req == NULL)
		return EXIT_CMD;
	if (write_all(c->fd, req, strlen(req)) < 0) {
		fprintf(stderr, "vxctl: send to %s: %s\n", sock_path, strerror(errno));
		free(req);
		return EXIT_CONNECT;
	}
	free(req);
	if (read_frame(c, st, sizeof(st), &body, &blen) < 0) {
		fprintf(stderr, "vxctl: %s closed the connection\n", sock_path);
		return EXIT_CONNECT;
	}
	if (strcmp(st, "ok") == 0) {
		fwrite(body, 1, blen, stdout);
		rc = EXIT_OK;
		*monitor = strcmp(argv[0], "monitor") == 0;
	} else {
		fwrite(body, 1, blen, stderr);
		if (blen > 0 && body[blen - 1] != '\n')
			fputc('\n', stderr);
		rc = EXIT_CMD;
	}
	free(body);
	fflush(stdout);
	return rc;
}

static void
on_signal(int sig)
{
	stop = sig;
}

static int
run_monitor(struct conn *c)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: read returns */
	char st[16], *body;
	size_t blen;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!stop) {
		if (read_frame(c, st, sizeof(st), &body, &blen) < 0)
			return stop ? EXIT_OK : EXIT_CONNECT;
		fwrite(body, 1, blen, stdout);
		fflush(stdout);
		free(body);
	}
	return EXIT_OK;
}

static int
run_batch(struct conn *c, unsigned int flags, const char *file)
{
	char *line = NULL, *argv[VX_PROTO_MAX_WORDS];
	size_t cap = 0;
	int lineno = 0, rc = EXIT_OK;
	FILE *f;

	f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (f == NULL) {
		fprintf(stderr, "vxctl: %s: %s\n", file, strerror(errno));
		return EXIT_CMD;
	}
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL, *w;
		bool mon = false;
		int argc = 0;

		lineno++;
		for (w = strtok_r(line, " \t\r\n", &save);
		     w != NULL && argc < (int)(sizeof(argv) / sizeof(argv[0]));
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			if (w[0] == '#')
				break;
			argv[argc++] = w;
		}
		/* Lines may be written as full commands: "vxctl link add ...". */
		if (argc > 0 && strcmp(argv[0], "vxctl") == 0)
			memmove(argv, argv + 1, --argc * sizeof(argv[0]));
		if (argc == 0)
			continue;
		if (strcmp(argv[0], "monitor") == 0) {
			fprintf(stderr, "vxctl: %s:%d: monitor is not allowed in a batch\n", file,
				lineno);
			rc = EXIT_CMD;
			break;
		}
		rc = run_one(c, flags, argc, argv, &mon);
		if (rc != EXIT_OK) {
			fprintf(stderr, "vxctl: command failed %s:%d\n", file, lineno);
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"json", no_argument, NULL, 'j'},
		{"stats", no_argument, NULL, 's'},
		{"force", no_argument, NULL, 'f'},
		{"socket", required_argument, NULL, 'S'},
		{"batch", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *batch = NULL;
	unsigned int flags = 0;
	struct conn c;
	bool mon = false;
	int ch, rc;

	sock_path = getenv(VX_SOCKET_ENV);
	if (sock_path == NULL || sock_path[0] == '\0')
		sock_path = VX_SOCKET_DEFAULT;
	/* '+': options only before the words (the words have their own "-" forms). */
	while ((ch = getopt_long(argc, argv, "+jsfb:h46d", lo, NULL)) != -1) {
		switch (ch) {
		case '4':
		case '6':
		case 'd':
			/* iproute2's -4/-6/-d (`ip -6 neigh add ...`): the family follows from
			 * the addresses and every show is detailed. */
			break;
		case 'j':
			flags |= F_JSON;
			break;
		case 's':
			flags |= F_STATS;
			break;
		case 'f':
			flags |= F_FORCE;
			break;
		case 'S':
			sock_path = optarg;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_CMD;
		}
	}
	argc -= optind;
	argv += optind;
	if (batch == NULL && argc == 0) {
		usage(stderr);
		return EXIT_CMD;
	}
	if (batch != NULL && argc != 0) {
		fprintf(stderr, "vxctl: -b takes no other words\n");
		return EXIT_CMD;
	}
	if (conn_open(&c) < 0)
		return EXIT_CONNECT;
	if (batch != NULL) {
		rc = run_batch(&c, flags, batch);
	} else {
		rc = run_one(&c, flags, argc, argv, &mon);
		if (rc == EXIT_OK && mon)
			rc = run_monitor(&c);
	}
	close(c.fd);
	free(save_abs);
	return rc;
}
