/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxswitch: the daemon. EAL, ports, mempools, worker launch, and the
 * control loop.
 *
 *   vxswitch [EAL options] -- [--socket PATH] [--group NAME] [--config FILE]
 *            [--fdb-size N] [--mbufs N] [--rxd N] [--txd N] [--idle-sleep US]
 *            [--metrics ADDR:PORT] [--daemon] [--foreground]
 *   vxswitch --version
 *
 * Threads: every worker lcore runs vx_worker_main(); the main lcore runs
 * the control loop itself. DESIGN.md names rte_ctrl_thread_create for the
 * control thread; we keep its role (single writer, never on a worker
 * lcore) but run it on the main lcore instead, because the main lcore is
 * reserved for it anyway (it is never a worker), so a second thread would
 * only leave the main lcore idle in a wait; and because an EAL lcore has an
 * lcore id, so the control thread gets per-lcore mempool caches and every
 * lcore-aware DPDK API (rte_hash, mempools, rings) works without special
 * cases. Signals are handled on the same thread, with no cross-thread
 * shutdown protocol.
 *
 * The daemon stays in the foreground by default (systemd, test labs and
 * `vxswitch ... &` all want that; --foreground is accepted and changes
 * nothing). With --daemon it forks before rte_eal_init(); the parent waits
 * until the child serves its socket (or failed) and exits with that status,
 * so `vxswitch ... -- --daemon && vxctl ...` works in scripts.
 *
 * Operations (ops.c): rte_pdump for dpdk-dumpcap, the /vxswitch telemetry
 * commands, the --metrics HTTP server and the watch that logs events all
 * run on the control thread, from this loop; systemd hears READY=1 once
 * the ports are up and the socket listens (service.c). SIGHUP reloads the
 * --config file (vx_cli_reload), as `vxctl reload` does.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_version.h>

#include "cli/cli.h"
#include "client/proto.h"
#include "core/core.h"
#include "daemon.h"
#include "server.h"
#include "underlay/underlay.h"
#include "vx_version.h"
#include "vx_worker.h"

#define DEFAULT_RXD	1024
#define DEFAULT_TXD	1024
#define POLL_TIMEOUT_MS 5

struct opts {
	const char *socket;
	const char *group;
	const char *config;
	uint32_t fdb_size;
	uint32_t mbufs;
	uint16_t rxd, txd;
	uint32_t idle_sleep_us;
	bool daemon;
	const char *metrics; /* --metrics ADDR:PORT */
};

static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t reload_signal;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_signal = 1;
	else
		quit_signal = sig;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL options] -- [--socket PATH] [--group NAME] [--config FILE]\n"
		"          [--fdb-size N] [--mbufs N] [--rxd N] [--txd N] [--idle-sleep US]\n"
		"          [--metrics ADDR:PORT] [--daemon]\n"
		"       %s --version\n"
		"  --socket PATH   CLI socket (default $" VX_SOCKET_ENV " or " VX_SOCKET_DEFAULT
		")\n"
		"  --group NAME    group owning the socket, mode 0660 (default root)\n"
		"  --config FILE   replay FILE (vxctl lines) at start; `vxctl save` writes it\n"
		"  --fdb-size N    FDB capacity in entries (default %u)\n"
		"  --mbufs N       packet mbufs (default: sized from ports, queues, descriptors)\n"
		"  --rxd N --txd N rx/tx descriptors per queue (default %u/%u)\n"
		"  --idle-sleep US once idle, workers sleep up to US us per poll (default 0)\n"
		"  --metrics ADDR:PORT  serve Prometheus metrics at http://ADDR:PORT/metrics\n"
		"                  (127.0.0.1:9417, [::1]:9417, :9417 for every IPv4 address)\n"
		"  --daemon        fork; return once the socket serves (exit status: the start's)\n"
		"  --foreground    stay in the foreground (the default)\n",
		prog, prog, VX_FDB_DEFAULT_CAPACITY, DEFAULT_RXD, DEFAULT_TXD);
}

static int
num_opt(const char *name, const char *arg, long long min, long long max, long long *v)
{
	const char *errstr;

	*v = strtonum(arg, min, max, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "vxswitch: --%s %s: %s (%lld..%lld)\n", name, arg, errstr, min,
			max);
		return -EINVAL;
	}
	return 0;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"socket", required_argument, NULL, 's'},
		{"group", required_argument, NULL, 'g'},
		{"config", required_argument, NULL, 'c'},
		{"fdb-size", required_argument, NULL, 'F'},
		{"mbufs", required_argument, NULL, 'm'},
		{"rxd", required_argument, NULL, 'r'},
		{"txd", required_argument, NULL, 't'},
		{"idle-sleep", required_argument, NULL, 'i'},
		{"foreground", no_argument, NULL, 'f'},
		{"daemon", no_argument, NULL, 'd'},
		{"metrics", required_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long long v;
	int ch;

	o->socket = getenv(VX_SOCKET_ENV);
	if (o->socket == NULL || o->socket[0] == '\0')
		o->socket = VX_SOCKET_DEFAULT;
	o->rxd = DEFAULT_RXD;
	o->txd = DEFAULT_TXD;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			o->socket = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'F':
			if (num_opt("fdb-size", optarg, 64, 1ll << 28, &v) < 0)
				return -EINVAL;
			o->fdb_size = v;
			break;
		case 'm':
			if (num_opt("mbufs", optarg, 1024, 1ll << 26, &v) < 0)
				return -EINVAL;
			o->mbufs = v;
			break;
		case 'r':
			if (num_opt("rxd", optarg, 32, 32768, &v) < 0)
				return -EINVAL;
			o->rxd = v;
			break;
		case 't':
			if (num_opt("txd", optarg, 32, 32768, &v) < 0)
				return -EINVAL;
			o->txd = v;
			break;
		case 'i':
			if (num_opt("idle-sleep", optarg, 0, 100000, &v) < 0)
				return -EINVAL;
			o->idle_sleep_us = v;
			break;
		case 'f':
			o->daemon = false;
			break;
		case 'd':
			o->daemon = true;
			break;
		case 'M':
			o->metrics = optarg;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			usage(argv[0]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vxswitch: unexpected argument: %s\n", argv[optind]);
		usage(argv[0]);
		return -EINVAL;
	}
	return 0;
}

static char *
abs_path(const char *path)
{
	char cwd[PATH_MAX];
	char *p;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	if (asprintf(&p, "%s/%s", cwd, path) < 0)
		return NULL;
	return p;
}

/*
 * The bare reason of a replay error: vx_replay() may already have put
 * "error: PATH:LINE: " in front of the command's own "error: ...".
 */
static const char *
config_msg(char *msg, const char *path, int lineno)
{
	char pfx[PATH_MAX + 16];
	size_t l;

	if (strncmp(msg, "error: ", 7) == 0)
		msg += 7;
	snprintf(pfx, sizeof(pfx), "%s:%d: ", path, lineno);
	if (strncmp(msg, pfx, strlen(pfx)) == 0)
		msg += strlen(pfx);
	if (strncmp(msg, "error: ", 7) == 0)
		msg += 7;
	l = strlen(msg);
	while (l > 0 && msg[l - 1] == '\n')
		msg[--l] = '\0';
	return msg;
}

/* --daemon: fork; the parent exits with the child's start status. */
static int ready_fd = -1;

static void
daemonize(void)
{
	int pfd[2];
	pid_t pid;
	char st;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		perror("vxswitch: pipe");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("vxswitch: fork");
		exit(1);
	}
	if (pid > 0) {
		int status;

		close(pfd[1]);
		if (read(pfd[0], &st, 1) == 1 && st == 0)
			exit(0);
		/* The child failed before serving: report its exit status. */
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
		exit(1);
	}
	close(pfd[0]);
	ready_fd = pfd[1];
	setsid();
}

static void
signal_ready(void)
{
	char st = 0;
	int fd;

	if (ready_fd < 0)
		return;
	if (write(ready_fd, &st, 1) < 0)
		VX_LOG(WARNING, "cannot notify the parent: %s", strerror(errno));
	close(ready_fd);
	ready_fd = -1;
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

/* Scanned before rte_eal_init(), which must run in the child. */
static bool
want_daemon(int argc, char **argv)
{
	bool after = false, d = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			after = true;
		else if (after && strcmp(argv[i], "--daemon") == 0)
			d = true;
		else if (after && strcmp(argv[i], "--foreground") == 0)
			d = false;
	}
	return d;
}

/* `vxswitch --version` (anywhere on the line): the version, without starting anything. */
static bool
want_version(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--version") == 0)
			return true;
	return false;
}

/* SIGINT, SIGTERM: stop; SIGHUP: reload; SIGPIPE: ignored (a client gone). */
static void
catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Before rte_eal_init(): --version (and nothing else), the log stream, --daemon's fork. */
static void
before_eal(int argc, char **argv)
{
	if (want_version(argc, argv)) {
		printf("vxswitch %s (%s)\n", VX_VERSION, rte_version());
		exit(0);
	}
	if (vx_service_log_init() < 0)
		fprintf(stderr, "vxswitch: cannot open the log stream: %s\n", strerror(errno));
	if (want_daemon(argc, argv))
		daemonize();
}

/* Everything main() sets up, torn down in reverse order. */
struct daemon {
	struct vx_dp dp;
	struct vx_ctl ctl;
	struct vx_daemon_info info;
	struct opts o;
	struct vx_port_plan plan[VX_MAX_PORTS];
	struct vx_worker *workers;
	unsigned int lcore[VX_MAX_WORKERS];
	uint16_t n_workers;
};

/* The worker lcores: every EAL lcore but the main one, which runs the control thread. */
static int
find_workers(struct daemon *d)
{
	unsigned int lcore;

	RTE_LCORE_FOREACH_WORKER(lcore)
	{
		if (d->n_workers == VX_MAX_WORKERS) {
			fprintf(stderr, "vxswitch: more than %u worker lcores\n", VX_MAX_WORKERS);
			return -E2BIG;
		}
		d->lcore[d->n_workers++] = lcore;
	}
	if (d->n_workers == 0) {
		fprintf(stderr, "vxswitch: no worker lcore: give at least two lcores "
				"(e.g. -l 0,1; the main lcore runs the control thread)\n");
		return -EINVAL;
	}
	if (rte_eth_dev_count_avail() == 0)
		VX_LOG(WARNING, "no port probed (use --vdev or bind a NIC)");
	if (rte_eth_dev_count_avail() > VX_MAX_PORTS) {
		fprintf(stderr, "vxswitch: %u ports, at most %u\n", rte_eth_dev_count_avail(),
			VX_MAX_PORTS);
		return -E2BIG;
	}
	return 0;
}

/* Plan every port, size the pools, start the ports. */
static int
start_ports(struct daemon *d)
{
	struct vx_ctl *c = &d->ctl;
	uint16_t pid;
	int ret;

	RTE_ETH_FOREACH_DEV(pid)
	{
		if (pid >= VX_MAX_PORTS)
			continue;
		ret = vx_port_plan(pid, d->n_workers, d->o.rxd, d->o.txd, &d->plan[pid]);
		if (ret < 0) {
			fprintf(stderr, "vxswitch: port %u: %s\n", pid, strerror(-ret));
			return ret;
		}
	}
	ret = vx_pools_create(c, d->n_workers, d->plan, d->o.mbufs);
	if (ret < 0)
		return ret;
	RTE_ETH_FOREACH_DEV(pid)
	{
		if (pid >= VX_MAX_PORTS)
			continue;
		ret = vx_port_start(c, pid, &d->plan[pid]);
		if (ret < 0) {
			fprintf(stderr, "vxswitch: port %u: start: %s\n", pid, strerror(-ret));
			return ret;
		}
		c->n_ports++;
	}
	return 0;
}

/* The workers' state; every (port, rx queue) to exactly one worker, round-robin. */
static int
setup_workers(struct daemon *d)
{
	unsigned int k = 0;

	d->workers =
		rte_zmalloc("vx_workers", sizeof(*d->workers) * d->n_workers, RTE_CACHE_LINE_SIZE);
	if (d->workers == NULL) {
		fprintf(stderr, "vxswitch: out of memory for workers\n");
		return -ENOMEM;
	}
	for (uint16_t w = 0; w < d->n_workers; w++) {
		d->workers[w].dp = &d->dp;
		d->workers[w].id = w;
		d->workers[w].st = &d->dp.stats[w];
		d->workers[w].idle_sleep_us = d->o.idle_sleep_us;
		rte_rcu_qsbr_thread_register(d->dp.qsbr, w);
	}
	for (uint16_t pid = 0; pid < VX_MAX_PORTS; pid++) {
		if (!d->ctl.port[pid].present)
			continue;
		for (uint16_t q = 0; q < d->plan[pid].nrxq; q++, k++) {
			struct vx_worker *w = &d->workers[k % d->n_workers];

			if (w->n_rxq == RTE_DIM(w->rxq))
				continue;
			w->rxq[w->n_rxq].port = pid;
			w->rxq[w->n_rxq].queue = q;
			w->n_rxq++;
		}
	}
	return 0;
}

/* --config FILE: replayed when it exists (a missing file starts empty). */
static int
load_config(struct daemon *d)
{
	struct vx_ctl *c = &d->ctl;
	struct vx_out eo = {0};
	const char *msg;
	int lineno = 0, ret;

	if (c->config_path == NULL)
		return 0;
	if (access(c->config_path, F_OK) < 0 && errno == ENOENT) {
		VX_LOG(NOTICE, "config %s does not exist yet: starting empty", d->o.config);
		return 0;
	}
	c->replaying = true;
	ret = vx_cli_replay(c, c->config_path, &lineno, &eo);
	c->replaying = false;
	if (ret < 0) {
		msg = config_msg(eo.len > 0 ? eo.buf : strerror(-ret), c->config_path, lineno);
		if (lineno > 0)
			fprintf(stderr, "config %s:%d: error: %s\n", d->o.config, lineno, msg);
		else
			fprintf(stderr, "config %s: error: %s\n", d->o.config, msg);
	}
	vx_out_free(&eo);
	return ret;
}

static int
launch_workers(struct daemon *d)
{
	for (uint16_t w = 0; w < d->n_workers; w++) {
		int ret = rte_eal_remote_launch(vx_worker_main, &d->workers[w], d->lcore[w]);

		if (ret < 0) {
			fprintf(stderr, "vxswitch: launch worker %u on lcore %u: %s\n", w,
				d->lcore[w], strerror(-ret));
			__atomic_store_n(&d->dp.stop, 1, __ATOMIC_RELAXED);
			rte_eal_mp_wait_lcore();
			return ret;
		}
	}
	return 0;
}

/* The line scripts and people wait for: the daemon serves its socket now. */
static void
say_ready(struct daemon *d)
{
	struct vx_ctl *c = &d->ctl;
	char ports_txt[512] = "";

	for (uint16_t pid = 0; pid < VX_MAX_PORTS; pid++) {
		size_t l = strlen(ports_txt);

		if (c->port[pid].present)
			snprintf(ports_txt + l, sizeof(ports_txt) - l, "%s%s(%u rxq)", l ? " " : "",
				 c->port[pid].name, d->plan[pid].nrxq);
	}
	printf("vxswitch: %u ports [%s], %u workers, socket %s%s%s\n", c->n_ports, ports_txt,
	       d->n_workers, d->o.socket, c->config_path ? ", config " : "",
	       c->config_path ? c->config_path : "");
	fflush(stdout);
	signal_ready();
	vx_service_notify("READY=1\nSTATUS=%u ports, %u workers, socket %s", c->n_ports,
			  d->n_workers, d->o.socket);
}

/* Once per control loop iteration: a SIGHUP's reload, and the operations' own work. */
static void
ops_poll(struct daemon *d)
{
	bool reload = reload_signal != 0;

	reload_signal = 0;
	vx_ops_poll(&d->ctl, &d->info, reload, vx_server_woke_tsc(&d->ctl));
}

/* The control loop: the socket, the clock, the core and the underlay, until a signal. */
static int
control_loop(struct daemon *d)
{
	struct vx_ctl *c = &d->ctl;
	uint64_t start_tsc = rte_rdtsc();
	int ret = 0;

	while (quit_signal == 0) {
		ret = vx_server_poll(c, POLL_TIMEOUT_MS);
		if (ret < 0) {
			VX_LOG(ERR, "socket poll: %s", strerror(-ret));
			return ret;
		}
		vx_dp_set_now(&d->dp, (uint32_t)((rte_rdtsc() - start_tsc) / c->tsc_hz));
		vx_core_poll(c);
		vx_ul_poll(c);
		ops_poll(d);
	}
	VX_LOG(NOTICE, "signal %d: shutting down", (int)quit_signal);
	vx_service_notify("STOPPING=1");
	return 0;
}

int
main(int argc, char **argv)
{
	static struct daemon d;
	struct vx_ctl *c = &d.ctl;
	char err[256];
	int ret, rc = 1;

	before_eal(argc, argv);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "vxswitch: EAL init failed (%s); see the EAL messages above\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"vxswitch";
	if (parse_opts(argc, argv, &d.o) < 0 || find_workers(&d) < 0)
		goto out_eal;
	ret = vx_dp_init(&d.dp, d.n_workers, d.o.fdb_size, (int)rte_socket_id());
	if (ret < 0) {
		fprintf(stderr, "vxswitch: dataplane init: %s\n", strerror(-ret));
		goto out_eal;
	}
	c->dp = &d.dp;
	c->tsc_hz = rte_get_tsc_hz();
	if (start_ports(&d) < 0 || setup_workers(&d) < 0)
		goto out_ports;
	if (d.o.config != NULL) {
		c->config_path = abs_path(d.o.config);
		if (c->config_path == NULL) {
			fprintf(stderr, "vxswitch: --config %s: %s\n", d.o.config, strerror(errno));
			goto out_ports;
		}
	}
	ret = vx_ul_init(c);
	if (ret < 0) {
		fprintf(stderr, "vxswitch: underlay init: %s\n", strerror(-ret));
		goto out_ports;
	}
	ret = vx_core_init(c);
	if (ret < 0) {
		fprintf(stderr, "vxswitch: core init: %s\n", strerror(-ret));
		goto out_ul;
	}
	if (load_config(&d) < 0)
		goto out_core;
	ret = vx_server_open(c, d.o.socket, d.o.group, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "vxswitch: socket: %s\n", err);
		goto out_core;
	}
	catch_signals();
	d.info.n_workers = d.n_workers;
	if (vx_ops_start(c, &d.info, d.o.metrics) < 0)
		goto out_ops;
	if (launch_workers(&d) < 0)
		goto out_ops;
	say_ready(&d);
	rc = control_loop(&d) < 0 ? 1 : 0;
	__atomic_store_n(&d.dp.stop, 1, __ATOMIC_RELAXED);
	rte_eal_mp_wait_lcore();
out_ops:
	vx_ops_stop(c);
	vx_server_close(c);
out_core:
	vx_core_fini(c);
out_ul:
	vx_ul_fini(c);
out_ports:
	rte_free(d.workers);
	/* Ports closed and workers gone: nothing holds an mbuf but the rings. */
	vx_ports_stop(c);
	vx_dp_fini(&d.dp);
	vx_pools_free(c);
	free((void *)(uintptr_t)c->config_path);
out_eal:
	rte_eal_cleanup();
	return rc;
}
