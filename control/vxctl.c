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
#include <sys/stat.h>
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
 * failure takes effect, that line's number reported) without a round trip
 * per line. The socket is polled for both directions: we never block
 * writing while the daemon waits for us to read its replies. A daemon that
 * does not know the flag gets one request at a time.
 *
 * On a terminal, a line on stderr shows the progress once a second: lines
 * done, their rate, and for a regular file the share read and the time
 * left at that rate.
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
	int done_line;	   /* line of the latest reply */
	uint64_t size;	   /* of a regular file, 0 = unknown */
	uint64_t consumed; /* input bytes taken as lines */
	struct timespec start, last_progress;
};

static double
since(const struct timespec *t0, const struct timespec *t1)
{
	return (double)(t1->tv_sec - t0->tv_sec) + (double)(t1->tv_nsec - t0->tv_nsec) / 1e9;
}

static void
progress_clear(struct batch *b)
{
	if (b->progress_shown)
		fputs("\r\033[K", stderr);
}

/* "N lines, R lines/s[, P%, T s left]" on one terminal line, once a second. */
static void
progress_tick(struct batch *b)
{
	struct timespec now;
	double el, rate;
	char left[64] = "";

	if (!b->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&b->last_progress, &now) < 1.0)
		return;
	b->last_progress = now;
	el = since(&b->start, &now);
	rate = el > 0 ? b->done_line / el : 0;
	if (b->size > 0 && b->consumed > 0 && b->consumed <= b->size)
		snprintf(left, sizeof(left), ", %.0f%%, %.0f s left",
			 100.0 * (double)b->consumed / (double)b->size,
			 el * (double)(b->size - b->consumed) / (double)b->consumed);
	fprintf(stderr, "\rvxctl: %s: %d lines, %.0f lines/s%s\033[K", b->file, b->done_line, rate,
		left);
	b->progress_shown = true;
}

/* After a batch that showed its progress: how long it took, on its own line. */
static void
progress_done(struct batch *b)
{
	struct timespec now;
	double el;

	if (!b->progress_shown)
		return;
	progress_clear(b);
	clock_gettime(CLOCK_MONOTONIC, &now);
	el = since(&b->start, &now);
	fprintf(stderr, "vxctl: %s: %d lines in %.1f s (%.0f lines/s)\n", b->file, b->done_line, el,
		el > 0 ? b->done_line / el : 0);
	b->progress_shown = false;
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
 * The next complete line of the input: its length (with its '\n', if it
 * has one) in *len. 1: a line; 0: more input is needed; -1: the end (a
 * line cut short by a read error is not run).
 */
static int
next_line(struct batch *b, size_t *len)
{
	const char *line = b->in + b->in_off;
	size_t n = b->in_len - b->in_off;
	const char *nl = n > 0 ? memchr(line, '\n', n) : NULL;

	if (nl == NULL && !b->in_eof) {
		b->need_in = true;
		return 0;
	}
	if (nl == NULL && (n == 0 || b->in_err))
		return -1;
	*len = nl != NULL ? (size_t)(nl - line + 1) : n;
	return 1;
}

/* The words of a line (copied into scratch): '#' starts a comment, "vxctl" is left out. */
static int
line_words(char *scratch, char **argv, int max)
{
	char *save = NULL, *w;
	int argc = 0;

	for (w = strtok_r(scratch, " \t\r\n", &save); w != NULL && argc < max;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (w[0] == '#')
			break;
		argv[argc++] = w;
	}
	/* Lines may be written as full commands: "vxctl link add ...". */
	if (argc > 0 && strcmp(argv[0], "vxctl") == 0)
		memmove(argv, argv + 1, --argc * sizeof(argv[0]));
	return argc;
}

/* A line refused before it was sent: the batch stops there. */
static void
line_refused(struct batch *b, const char *word)
{
	progress_clear(b);
	if (strcmp(word, "monitor") == 0) {
		fprintf(stderr, "vxctl: %s:%d: monitor is not allowed in a batch\n", b->file,
			b->lineno);
	} else {
		fprintf(stderr, "vxctl: error: %s\n", b->conn->err);
		fprintf(stderr, "vxctl: command failed %s:%d\n", b->file, b->lineno);
	}
	b->rc = EXIT_CMD;
}

/* Take the line of len bytes: queue its request (req, NULL for a line of no words). */
static int
take_line(struct batch *b, size_t len, const char *req)
{
	b->in_off += len;
	b->consumed += len;
	b->lineno++;
	if (req == NULL)
		return 0;
	if (out_put(b, req, strlen(req)) < 0) {
		b->rc = EXIT_CMD;
		return -1;
	}
	b->fl[(b->fl_head + b->fl_n) % BATCH_WINDOW] = b->lineno;
	b->fl_n++;
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
	static char scratch[VX_PROTO_MAX_LINE + 1];
	char *argv[VX_PROTO_MAX_WORDS], *req;
	int argc, got = 1;
	size_t len, n;

	b->need_in = false;
	while (b->rc == EXIT_OK && b->fl_n < b->window && b->out_len - b->out_off < BATCH_OUT_MAX) {
		got = next_line(b, &len);
		if (got <= 0)
			break;
		/* A longer line cannot be a request: let the formatting refuse it. */
		n = len < sizeof(scratch) ? len : sizeof(scratch) - 1;
		memcpy(scratch, b->in + b->in_off, n);
		scratch[n] = '\0';
		argc = line_words(scratch, argv, VX_PROTO_MAX_WORDS);
		if (argc == 0) {
			take_line(b, len, NULL);
			continue;
		}
		fix_save_path(argc, argv);
		req = len < sizeof(scratch) ? vx_conn_format(b->conn, b->flags, argc, argv) : NULL;
		if (len >= sizeof(scratch))
			snprintf(b->conn->err, sizeof(b->conn->err), "line longer than %u bytes",
				 VX_PROTO_MAX_LINE - 1);
		if (req == NULL || strcmp(argv[0], "monitor") == 0) {
			free(req);
			if (b->fl_n > 0)
				break; /* its turn comes once the replies before it are in */
			take_line(b, len, NULL);
			line_refused(b, argv[0]);
			break;
		}
		take_line(b, len, req);
		free(req);
	}
	return got >= 0 && b->rc == EXIT_OK;
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

/* Send what the socket takes of the queued requests. -1: connection lost. */
static int
batch_send(struct batch *b)
{
	ssize_t w = send(b->conn->fd, b->out + b->out_off, b->out_len - b->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (w < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
		progress_clear(b);
		fprintf(stderr, "vxctl: send to %s: %s\n", sock_path, strerror(errno));
		return -1;
	}
	if (w > 0)
		b->out_off += w;
	return 0;
}

/*
 * One wait of the batch: replies already read need none; else poll the
 * socket (and the input when a line is missing) and do what is ready.
 * Returns EXIT_OK to go on, or the exit code of a broken connection.
 */
static int
batch_step(struct batch *b, bool reading)
{
	struct pollfd pfd[2] = {{.fd = b->conn->fd}, {.fd = b->fd, .events = POLLIN}};
	bool want_in = reading && b->need_in;
	int n;

	if (b->fl_n > 0 && vx_conn_buffered(b->conn))
		return batch_reply(b, b->conn) < 0 ? EXIT_CONNECT : EXIT_OK;
	pfd[0].events = (b->out_off < b->out_len ? POLLOUT : 0) | (b->fl_n > 0 ? POLLIN : 0);
	n = poll(pfd, want_in ? 2 : 1, b->progress ? 1000 : -1);
	if (n < 0 && errno != EINTR) {
		fprintf(stderr, "vxctl: poll: %s\n", strerror(errno));
		return EXIT_CONNECT;
	}
	if (n <= 0)
		return EXIT_OK;
	if ((pfd[0].revents & POLLOUT) && batch_send(b) < 0)
		return EXIT_CONNECT;
	/* A reply started: read it whole (the daemon sends a frame at once). */
	if ((pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) && b->fl_n > 0)
		return batch_reply(b, b->conn) < 0 ? EXIT_CONNECT : EXIT_OK;
	if ((pfd[0].revents & (POLLHUP | POLLERR)) && b->fl_n == 0) {
		progress_clear(b);
		fprintf(stderr, "vxctl: %s closed the connection\n", sock_path);
		return EXIT_CONNECT;
	}
	if (want_in && pfd[1].revents != 0)
		in_fill(b);
	return EXIT_OK;
}

/* The input of -b FILE: its descriptor and, for a regular file, its size. */
static int
batch_open(struct batch *b, const char *file)
{
	struct stat st;

	b->fd = strcmp(file, "-") == 0 ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC);
	if (b->fd < 0) {
		fprintf(stderr, "vxctl: %s: %s\n", file, strerror(errno));
		return -1;
	}
	if (fstat(b->fd, &st) == 0 && S_ISREG(st.st_mode))
		b->size = st.st_size;
	b->progress = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &b->start);
	b->last_progress = b->start;
	return 0;
}

static int
run_batch(struct vx_conn *c, unsigned int flags, const char *file)
{
	struct batch b = {.conn = c, .file = file, .rc = EXIT_OK};
	bool pipelined, reading = true;
	int rc = EXIT_OK, ret;

	if (batch_open(&b, file) < 0)
		return EXIT_CMD;
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
	while (rc == EXIT_OK) {
		progress_tick(&b);
		if (reading)
			reading = batch_fill(&b);
		if (!reading && b.fl_n == 0 && b.out_off == b.out_len)
			break;
		rc = batch_step(&b, reading);
	}
	if (rc == EXIT_OK)
		rc = b.in_err && b.rc == EXIT_OK ? EXIT_CMD : b.rc;
	if (rc == EXIT_OK)
		progress_done(&b);
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
