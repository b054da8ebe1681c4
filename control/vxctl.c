/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxctl: the client of vxswitch's CLI socket (client/client.h, client/proto.h).
 *
 *   vxctl [-j] [-s] [-f|--force] [--socket PATH] WORDS...
 *   vxctl [-j] [-s] [-f|--force] [--socket PATH] -b FILE|-
 *
 * Exit status: 0 ok, 1 the command failed (its "error: ..." is on
 * stderr), 2 no daemon to talk to (or a protocol failure).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "client/client.h"
#include "vx_version.h"

#define EXIT_OK	     0
#define EXIT_CMD     1
#define EXIT_CONNECT 2

static const char *sock_path;
static volatile sig_atomic_t stop;

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

/* Print the body of a reply to f, ending it with a newline if it has none. */
static void
put_body(FILE *f, const struct vx_reply *r)
{
	fwrite(r->body, 1, r->len, f);
	if (f == stderr && r->len > 0 && r->body[r->len - 1] != '\n')
		fputc('\n', f);
}

/*
 * `save FILE`, `reload FILE`: the daemon resolves paths in its own
 * directory, so give it an absolute one.
 */
static char *save_abs;

static void
fix_save_path(int argc, char **argv)
{
	char cwd[PATH_MAX];

	if (argc != 2 || (strcmp(argv[0], "save") != 0 && strcmp(argv[0], "reload") != 0) ||
	    argv[1][0] == '/')
		return;
	free(save_abs); /* a batch's earlier one is already in its request */
	save_abs = NULL;
	if (getcwd(cwd, sizeof(cwd)) == NULL || asprintf(&save_abs, "%s/%s", cwd, argv[1]) < 0) {
		save_abs = NULL;
		return;
	}
	argv[1] = save_abs;
}

/* Send one command and print its reply. Returns an exit code. */
static int
run_one(struct vx_conn *c, unsigned int flags, int argc, char **argv, bool *monitor)
{
	struct vx_reply r;
	int rc, ret;

	fix_save_path(argc, argv);
	ret = vx_conn_call(c, flags, argc, argv, &r);
	if (ret == -EINVAL) {
		fprintf(stderr, "vxctl: error: %s\n", c->err);
		return EXIT_CMD;
	}
	if (ret < 0) {
		fprintf(stderr, "vxctl: %s: %s\n", sock_path, c->err);
		return EXIT_CONNECT;
	}
	if (strcmp(r.status, "ok") == 0) {
		put_body(stdout, &r);
		rc = EXIT_OK;
		*monitor = strcmp(argv[0], "monitor") == 0;
	} else {
		put_body(stderr, &r);
		rc = EXIT_CMD;
	}
	vx_reply_free(&r);
	fflush(stdout);
	return rc;
}

static void
on_signal(int sig)
{
	stop = sig;
}

static int
run_monitor(struct vx_conn *c)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: read returns */
	struct vx_reply r;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	c->stop = &stop;
	while (!stop) {
		if (vx_conn_read(c, &r) < 0)
			return stop ? EXIT_OK : EXIT_CONNECT;
		put_body(stdout, &r);
		fflush(stdout);
		vx_reply_free(&r);
	}
	return EXIT_OK;
}

/*
 * -b: the lines are pipelined. Up to BATCH_WINDOW requests are in flight,
 * each marked VX_PROTO_F_BATCH, so that once one fails the daemon runs
 * none of the later ones (it answers them "skipped"): the batch keeps the
 * semantics of one request at a time (file order, nothing after the first
 * failure takes effect) without a round trip per line. The socket is
 * polled for both directions: we never block writing while the daemon
 * waits for us to read its replies. A daemon that does not know the flag
 * gets one request at a time, as before.
 */
#define BATCH_WINDOW   256	    /* requests in flight */
#define BATCH_OUT_MAX  (256u << 10) /* request bytes queued, not yet sent */
#define BATCH_IN_CHUNK 65536

struct batch {
	struct vx_conn *conn;
	const char *file;
	int fd; /* the input */
	bool in_eof, in_err;
	bool need_in; /* no complete line buffered: read the input */
	char *in;
	size_t in_off, in_len, in_cap;
	int lineno; /* lines consumed */
	char *out;  /* requests not yet sent */
	size_t out_off, out_len, out_cap;
	int fl[BATCH_WINDOW]; /* line numbers in flight, oldest at fl_head */
	unsigned int fl_head, fl_n, window;
	unsigned int flags;
	int rc;	       /* first failure, EXIT_OK while none */
	bool progress; /* stderr is a terminal */
	bool progress_shown;
	int done_line; /* line of the latest reply */
	struct timespec last_progress;
};

static void
progress_clear(struct batch *b)
{
	if (b->progress_shown) {
		fputs("\r\033[K", stderr);
		b->progress_shown = false;
	}
}

static void
progress_tick(struct batch *b)
{
	struct timespec now;

	if (!b->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - b->last_progress.tv_sec < 1 ||
	    (now.tv_sec - b->last_progress.tv_sec == 1 && now.tv_nsec < b->last_progress.tv_nsec))
		return;
	b->last_progress = now;
	fprintf(stderr, "\rvxctl: %s: %d lines\033[K", b->file, b->done_line);
	b->progress_shown = true;
}

static int
out_put(struct batch *b, const char *p, size_t n)
{
	if (b->out_off > 0) {
		memmove(b->out, b->out + b->out_off, b->out_len - b->out_off);
		b->out_len -= b->out_off;
		b->out_off = 0;
	}
	if (b->out_len + n > b->out_cap) {
		size_t cap = b->out_cap ? b->out_cap : 65536;
		char *nb;

		while (cap < b->out_len + n)
			cap *= 2;
		nb = realloc(b->out, cap);
		if (nb == NULL)
			return -1;
		b->out = nb;
		b->out_cap = cap;
	}
	memcpy(b->out + b->out_len, p, n);
	b->out_len += n;
	return 0;
}

/* Read what the input has now. -1 on a read error (reported). */
static int
in_fill(struct batch *b)
{
	ssize_t r;

	if (b->in_off > 0) {
		memmove(b->in, b->in + b->in_off, b->in_len - b->in_off);
		b->in_len -= b->in_off;
		b->in_off = 0;
	}
	if (b->in_cap - b->in_len < BATCH_IN_CHUNK) {
		char *nb = realloc(b->in, b->in_cap + BATCH_IN_CHUNK + 1);

		if (nb == NULL)
			return -1;
		b->in = nb;
		b->in_cap += BATCH_IN_CHUNK;
	}
	r = read(b->fd, b->in + b->in_len, b->in_cap - b->in_len);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r < 0) {
		progress_clear(b);
		fprintf(stderr, "vxctl: %s: %s\n", b->file, strerror(errno));
		b->in_err = true;
		b->in_eof = true;
		return -1;
	}
	if (r == 0)
		b->in_eof = true;
	b->in_len += r;
	return 0;
}

/*
 * Queue the next lines as requests while the window has room. A line
 * that fails here (monitor, too long) is only taken once nothing is in
 * flight, so that its error comes after the replies of the lines before
 * it, as without pipelining. Returns false when the batch must stop
 * reading (failure or end of input).
 */
static bool
batch_fill(struct batch *b)
{
	char *argv[VX_PROTO_MAX_WORDS], *scratch = NULL;
	size_t scap = 0;
	bool more = true;

	b->need_in = false;
	while (b->rc == EXIT_OK && b->fl_n < b->window && b->out_len - b->out_off < BATCH_OUT_MAX) {
		char *line = b->in + b->in_off, *nl, *save = NULL, *w, *req;
		size_t len = b->in_len - b->in_off;
		int argc = 0;

		nl = len > 0 ? memchr(line, '\n', len) : NULL;
		if (nl == NULL && !b->in_eof) {
			b->need_in = true;
			break;
		}
		if (nl == NULL && (len == 0 || b->in_err)) {
			more = false; /* end of input (a line cut by a read error is not run) */
			break;
		}
		if (nl != NULL)
			len = nl - line + 1;
		if (len + 1 > scap) {
			free(scratch);
			scap = len + 1;
			scratch = malloc(scap);
			if (scratch == NULL) {
				b->rc = EXIT_CMD;
				more = false;
				break;
			}
		}
		memcpy(scratch, line, len);
		scratch[len] = '\0';
		for (w = strtok_r(scratch, " \t\r\n", &save);
		     w != NULL && argc < (int)(sizeof(argv) / sizeof(argv[0]));
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			if (w[0] == '#')
				break;
			argv[argc++] = w;
		}
		/* Lines may be written as full commands: "vxctl link add ...". */
		if (argc > 0 && strcmp(argv[0], "vxctl") == 0)
			memmove(argv, argv + 1, --argc * sizeof(argv[0]));
		if (argc == 0) {
			b->in_off += len;
			b->lineno++;
			continue;
		}
		fix_save_path(argc, argv);
		req = vx_conn_format(b->conn, b->flags, argc, argv);
		if (strcmp(argv[0], "monitor") == 0 || req == NULL) {
			free(req);
			if (b->fl_n > 0)
				break; /* its turn comes once the replies before it are in */
			b->in_off += len;
			b->lineno++;
			progress_clear(b);
			if (strcmp(argv[0], "monitor") == 0) {
				fprintf(stderr, "vxctl: %s:%d: monitor is not allowed in a batch\n",
					b->file, b->lineno);
			} else {
				fprintf(stderr, "vxctl: error: %s\n", b->conn->err);
				fprintf(stderr, "vxctl: command failed %s:%d\n", b->file,
					b->lineno);
			}
			b->rc = EXIT_CMD;
			more = false;
			break;
		}
		b->in_off += len;
		b->lineno++;
		if (out_put(b, req, strlen(req)) < 0) {
			free(req);
			b->rc = EXIT_CMD;
			more = false;
			break;
		}
		free(req);
		b->fl[(b->fl_head + b->fl_n) % BATCH_WINDOW] = b->lineno;
		b->fl_n++;
	}
	free(scratch);
	return more && b->rc == EXIT_OK;
}

/* Handle the reply of the oldest request in flight. -1: connection lost. */
static int
batch_reply(struct batch *b, struct vx_conn *c)
{
	struct vx_reply r;
	int line;

	if (vx_conn_read(c, &r) < 0) {
		progress_clear(b);
		fprintf(stderr, "vxctl: %s: %s\n", sock_path, c->err);
		return -1;
	}
	line = b->fl[b->fl_head];
	b->fl_head = (b->fl_head + 1) % BATCH_WINDOW;
	b->fl_n--;
	b->done_line = line;
	if (b->rc != EXIT_OK) {
		/* After the failure: the daemon skipped these. */
	} else if (strcmp(r.status, "ok") == 0) {
		if (r.len > 0) {
			progress_clear(b);
			put_body(stdout, &r);
			fflush(stdout);
		}
	} else {
		progress_clear(b);
		fflush(stdout);
		put_body(stderr, &r);
		fprintf(stderr, "vxctl: command failed %s:%d\n", b->file, line);
		b->rc = EXIT_CMD;
	}
	vx_reply_free(&r);
	return 0;
}

static int
run_batch(struct vx_conn *c, unsigned int flags, const char *file)
{
	struct batch b = {.conn = c, .file = file, .rc = EXIT_OK};
	bool pipelined, reading = true;
	int rc = EXIT_OK, ret;

	b.fd = strcmp(file, "-") == 0 ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC);
	if (b.fd < 0) {
		fprintf(stderr, "vxctl: %s: %s\n", file, strerror(errno));
		return EXIT_CMD;
	}
	ret = vx_conn_batch_begin(c, &pipelined);
	if (ret < 0) {
		if (ret == -EBADMSG)
			fprintf(stderr, "%s\n", c->err);
		else
			fprintf(stderr, "vxctl: %s: %s\n", sock_path, c->err);
		rc = ret == -EBADMSG ? EXIT_CMD : EXIT_CONNECT;
		goto out;
	}
	b.window = pipelined ? BATCH_WINDOW : 1;
	b.flags = flags | (pipelined ? VX_PROTO_F_BATCH : 0);
	b.progress = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &b.last_progress);

	for (;;) {
		struct pollfd pfd[2] = {{.fd = c->fd}, {.fd = b.fd, .events = POLLIN}};
		bool want_in;
		int n;

		progress_tick(&b);
		if (reading)
			reading = batch_fill(&b);
		if (!reading && b.fl_n == 0 && b.out_off == b.out_len)
			break;
		/* Input only when a complete line is missing and the window has room. */
		want_in = reading && b.need_in;
		pfd[0].events = (b.out_off < b.out_len ? POLLOUT : 0) | (b.fl_n > 0 ? POLLIN : 0);
		/* Replies already buffered need no poll. */
		if (b.fl_n > 0 && vx_conn_buffered(c)) {
			if (batch_reply(&b, c) < 0) {
				rc = EXIT_CONNECT;
				goto out;
			}
			continue;
		}
		n = poll(pfd, want_in ? 2 : 1, b.progress ? 1000 : -1);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "vxctl: poll: %s\n", strerror(errno));
			rc = EXIT_CONNECT;
			goto out;
		}
		if (n > 0 && (pfd[0].revents & POLLOUT)) {
			ssize_t w = send(c->fd, b.out + b.out_off, b.out_len - b.out_off,
					 MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
				progress_clear(&b);
				fprintf(stderr, "vxctl: send to %s: %s\n", sock_path,
					strerror(errno));
				rc = EXIT_CONNECT;
				goto out;
			}
			if (w > 0)
				b.out_off += w;
		}
		/* A reply started: read it whole (the daemon sends a frame at once). */
		if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) && b.fl_n > 0) {
			if (batch_reply(&b, c) < 0) {
				rc = EXIT_CONNECT;
				goto out;
			}
		}
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR)) && b.fl_n == 0) {
			progress_clear(&b);
			fprintf(stderr, "vxctl: %s closed the connection\n", sock_path);
			rc = EXIT_CONNECT;
			goto out;
		}
		if (want_in && n > 0 && pfd[1].revents != 0)
			in_fill(&b);
	}
	rc = b.in_err && b.rc == EXIT_OK ? EXIT_CMD : b.rc;
out:
	progress_clear(&b);
	free(b.in);
	free(b.out);
	if (b.fd != STDIN_FILENO)
		close(b.fd);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"json", no_argument, NULL, 'j'},	 {"stats", no_argument, NULL, 's'},
		{"force", no_argument, NULL, 'f'},	 {"socket", required_argument, NULL, 'S'},
		{"batch", required_argument, NULL, 'b'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},	 {NULL, 0, NULL, 0},
	};
	const char *batch = NULL;
	unsigned int flags = 0;
	struct vx_conn c;
	bool mon = false;
	int ch, rc;

	sock_path = vx_conn_default_path();
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
			flags |= VX_CMD_JSON;
			break;
		case 's':
			flags |= VX_CMD_STATS;
			break;
		case 'f':
			flags |= VX_CMD_FORCE;
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
		case 'V':
			printf("vxctl %s\n", VX_VERSION);
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
	if (vx_conn_open(&c, sock_path) < 0) {
		fprintf(stderr, "vxctl: %s\n", c.err);
		return EXIT_CONNECT;
	}
	if (batch != NULL) {
		rc = run_batch(&c, flags, batch);
	} else {
		rc = run_one(&c, flags, argc, argv, &mon);
		if (rc == EXIT_OK && mon)
			rc = run_monitor(&c);
	}
	vx_conn_close(&c);
	free(save_abs);
	return rc;
}
