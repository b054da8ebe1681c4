/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxswitch: the daemon. EAL, ports, mempools, worker launch, and the
 * control loop.
 *
 *   vxswitch [EAL options] -- [--socket PATH] [--group NAME] [--config FILE]
 *            [--fdb-size N] [--mbufs N] [--rxd N] [--txd N] [--daemon] [--foreground]
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

#include "ctl.h"
#include "client/proto.h"
#include "server.h"
#include "vx_worker.h"

#define VX_LOG(lvl, fmt, ...) RTE_LOG(lvl, USER1, "vxswitch: " fmt "\n", ##__VA_ARGS__)

#define DEFAULT_RXD	1024
#define DEFAULT_TXD	1024
#define MBUF_CACHE	256
#define MBUF_HEADROOM_N 8192 /* flood copies, queued frames, learn/punt in flight */
#define HDR_POOL_N	16383
#define HDR_DATA_ROOM	(128 + RTE_PKTMBUF_HEADROOM)
#define POLL_TIMEOUT_MS 5

struct opts {
	const char *socket;
	const char *group;
	const char *config;
	uint32_t fdb_size;
	uint32_t mbufs;
	uint16_t rxd, txd;
	bool daemon;
};

static volatile sig_atomic_t quit_signal;

static void
on_signal(int sig)
{
	quit_signal = sig;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL options] -- [--socket PATH] [--group NAME] [--config FILE]\n"
		"          [--fdb-size N] [--mbufs N] [--rxd N] [--txd N] [--daemon]\n"
		"  --socket PATH   CLI socket (default $" VX_SOCKET_ENV " or " VX_SOCKET_DEFAULT
		")\n"
		"  --group NAME    group owning the socket, mode 0660 (default root)\n"
		"  --config FILE   replay FILE (vxctl lines) at start; `vxctl save` writes it\n"
		"  --fdb-size N    FDB capacity in entries (default %u)\n"
		"  --mbufs N       packet mbufs (default: sized from ports, queues, descriptors)\n"
		"  --rxd N --txd N rx/tx descriptors per queue (default %u/%u)\n"
		"  --daemon        fork; return once the socket serves (exit status: the start's)\n"
		"  --foreground    stay in the foreground (the default)\n",
		prog, VX_FDB_DEFAULT_CAPACITY, DEFAULT_RXD, DEFAULT_TXD);
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
		{"foreground", no_argument, NULL, 'f'},
		{"daemon", no_argument, NULL, 'd'},
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
		case 'f':
			o->daemon = false;
			break;
		case 'd':
			o->daemon = true;
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

/* Per-port queue layout decided before the mempool is sized. */
struct port_plan {
	uint16_t nrxq, ntxq;
	uint16_t rxd, txd;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
};

static int
plan_port(uint16_t pid, uint16_t n_workers, const struct opts *o, struct port_plan *pp)
{
	struct rte_eth_dev_info *di = &pp->info;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint64_t rss, off;
	int ret;

	memset(pp, 0, sizeof(*pp));
	ret = rte_eth_dev_info_get(pid, di);
	if (ret < 0)
		return ret;
	rte_eth_dev_get_name_by_port(pid, name);
	pp->nrxq = RTE_MIN(n_workers, di->max_rx_queues);
	/*
	 * net_af_packet opens one socket per queue pair (qpairs=N) in one
	 * PACKET_FANOUT group, configured or not: each of them receives its
	 * share of the flows, so every one must be polled.
	 */
	if (strcmp(di->driver_name, "net_af_packet") == 0)
		pp->nrxq = di->max_rx_queues;
	if (pp->nrxq == 0) {
		VX_LOG(ERR, "port %s: no rx queue", name);
		return -ENOTSUP;
	}
	/* One tx queue per worker; the control thread sends through worker 0. */
	pp->ntxq = n_workers;
	if (di->max_tx_queues < pp->ntxq) {
		VX_LOG(ERR,
		       "port %s: needs %u tx queues (one per worker), the device offers %u "
		       "(net_pcap: give tx_pcap= once per queue; net_af_packet: qpairs=)",
		       name, pp->ntxq, di->max_tx_queues);
		return -ENOTSUP;
	}
	rss = di->flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	if (pp->nrxq > 1 && rss != 0) {
		pp->conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		pp->conf.rx_adv_conf.rss_conf.rss_hf = rss;
	} else if (rss != 0) {
		/* One queue: RSS still gives the hash the encap source port uses. */
		pp->conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		pp->conf.rx_adv_conf.rss_conf.rss_hf = rss;
	}
	off = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
	      RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_OUTER_UDP_CKSUM |
	      RTE_ETH_RX_OFFLOAD_RSS_HASH;
	pp->conf.rxmode.offloads = di->rx_offload_capa & off;
	if (pp->conf.rxmode.mq_mode != RTE_ETH_MQ_RX_RSS)
		pp->conf.rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_RSS_HASH;
	off = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
	      RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM |
	      RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
	pp->conf.txmode.offloads = di->tx_offload_capa & off;
	pp->rxd = o->rxd;
	pp->txd = o->txd;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &pp->rxd, &pp->txd);
	if (ret < 0 && ret != -ENOTSUP)
		return ret;
	return 0;
}

static int
start_port(struct vx_ctl *c, uint16_t pid, struct port_plan *pp)
{
	struct vx_ctl_port *cp = &c->port[pid];
	struct vx_dp *dp = c->dp;
	struct rte_eth_rxconf rxc;
	struct rte_eth_txconf txc;
	struct vx_port *vp;
	uint16_t mtu = 1500;
	int sock = rte_eth_dev_socket_id(pid);
	int ret;

	if (sock < 0)
		sock = (int)rte_socket_id();
	ret = rte_eth_dev_configure(pid, pp->nrxq, pp->ntxq, &pp->conf);
	if (ret < 0)
		return ret;
	rxc = pp->info.default_rxconf;
	rxc.offloads = pp->conf.rxmode.offloads;
	for (uint16_t q = 0; q < pp->nrxq; q++) {
		ret = rte_eth_rx_queue_setup(pid, q, pp->rxd, sock, &rxc, dp->pool);
		if (ret < 0)
			return ret;
	}
	txc = pp->info.default_txconf;
	txc.offloads = pp->conf.txmode.offloads;
	for (uint16_t q = 0; q < pp->ntxq; q++) {
		ret = rte_eth_tx_queue_setup(pid, q, pp->txd, sock, &txc);
		if (ret < 0)
			return ret;
	}
	ret = rte_eth_dev_start(pid);
	if (ret < 0)
		return ret;
	rte_eth_promiscuous_enable(pid); /* not every PMD has it; the error is harmless */

	cp->present = true;
	cp->port_id = pid;
	rte_eth_dev_get_name_by_port(pid, cp->dev_name);
	strlcpy(cp->name, cp->dev_name, sizeof(cp->name));
	rte_eth_macaddr_get(pid, &cp->mac);
	if (rte_eth_dev_get_mtu(pid, &mtu) < 0 || mtu == 0)
		mtu = 1500;
	cp->mtu = mtu;
	cp->tx_offload_capa = pp->conf.txmode.offloads;

	vp = rte_zmalloc("vx_port", sizeof(*vp), RTE_CACHE_LINE_SIZE);
	if (vp == NULL)
		return -ENOMEM;
	vp->port_id = pid;
	vp->mtu = mtu;
	vp->mac = cp->mac;
	strlcpy(vp->name, cp->name, sizeof(vp->name));
	vx_publish(dp->port[pid], vp);
	return 0;
}

static void
stop_ports(struct vx_ctl *c)
{
	for (uint16_t pid = 0; pid < VX_MAX_PORTS; pid++) {
		if (!c->port[pid].present)
			continue;
		rte_eth_dev_stop(pid);
		rte_eth_dev_close(pid);
		c->port[pid].present = false;
	}
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

int
main(int argc, char **argv)
{
	static struct vx_dp dp;
	static struct vx_ctl ctl;
	struct port_plan plan[VX_MAX_PORTS];
	struct vx_worker *workers = NULL;
	unsigned int wl[VX_MAX_WORKERS];
	struct vx_ctl *c = &ctl;
	struct opts o = {0};
	char err[256], ports_txt[512] = "";
	uint64_t start_tsc, nmb;
	uint16_t n_workers = 0, n_ports, pid;
	unsigned int lcore, k;
	int ret, rc = 1;
	struct sigaction sa = {.sa_handler = on_signal};

	if (want_daemon(argc, argv))
		daemonize();

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "vxswitch: EAL init failed (%s); see the EAL messages above\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"vxswitch";
	if (parse_opts(argc, argv, &o) < 0)
		goto out_eal;

	RTE_LCORE_FOREACH_WORKER(lcore)
	{
		if (n_workers == VX_MAX_WORKERS) {
			fprintf(stderr, "vxswitch: more than %u worker lcores\n", VX_MAX_WORKERS);
			goto out_eal;
		}
		wl[n_workers++] = lcore;
	}
	if (n_workers == 0) {
		fprintf(stderr, "vxswitch: no worker lcore: give at least two lcores "
				"(e.g. -l 0,1; the main lcore runs the control thread)\n");
		goto out_eal;
	}
	n_ports = rte_eth_dev_count_avail();
	if (n_ports == 0)
		VX_LOG(WARNING, "no port probed (use --vdev or bind a NIC)");
	if (n_ports > VX_MAX_PORTS) {
		fprintf(stderr, "vxswitch: %u ports, at most %u\n", n_ports, VX_MAX_PORTS);
		goto out_eal;
	}

	ret = vx_dp_init(&dp, n_workers, o.fdb_size, (int)rte_socket_id());
	if (ret < 0) {
		fprintf(stderr, "vxswitch: dataplane init: %s\n", strerror(-ret));
		goto out_eal;
	}
	c->dp = &dp;
	c->tsc_hz = rte_get_tsc_hz();

	/* Size the packet pool from every queue's descriptors, unless --mbufs. */
	nmb = MBUF_HEADROOM_N + (uint64_t)n_workers * VX_PUNT_RING_SIZE +
	      (uint64_t)(n_workers + 1) * MBUF_CACHE * 2;
	RTE_ETH_FOREACH_DEV(pid)
	{
		if (pid >= VX_MAX_PORTS)
			continue;
		ret = plan_port(pid, n_workers, &o, &plan[pid]);
		if (ret < 0) {
			fprintf(stderr, "vxswitch: port %u: %s\n", pid, strerror(-ret));
			goto out_dp;
		}
		nmb += (uint64_t)plan[pid].nrxq * plan[pid].rxd +
		       (uint64_t)plan[pid].ntxq * plan[pid].txd +
		       (uint64_t)n_workers * VX_BURST * 2;
	}
	if (o.mbufs != 0)
		nmb = o.mbufs;
	dp.pool = rte_pktmbuf_pool_create("vx_pool", (unsigned int)nmb, MBUF_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (dp.pool == NULL) {
		fprintf(stderr, "vxswitch: mbuf pool of %" PRIu64 " mbufs: %s (try --mbufs)\n", nmb,
			rte_strerror(rte_errno));
		goto out_dp;
	}
	dp.hdr_pool = rte_pktmbuf_pool_create("vx_hdr_pool", HDR_POOL_N, MBUF_CACHE, 0,
					      HDR_DATA_ROOM, (int)rte_socket_id());
	if (dp.hdr_pool == NULL) {
		fprintf(stderr, "vxswitch: header mbuf pool: %s\n", rte_strerror(rte_errno));
		goto out_pools;
	}

	RTE_ETH_FOREACH_DEV(pid)
	{
		if (pid >= VX_MAX_PORTS)
			continue;
		ret = start_port(c, pid, &plan[pid]);
		if (ret < 0) {
			fprintf(stderr, "vxswitch: port %u: start: %s\n", pid, strerror(-ret));
			goto out_ports;
		}
		c->n_ports++;
	}

	/* Every (port, rx queue) to exactly one worker, round-robin. */
	workers = rte_zmalloc("vx_workers", sizeof(*workers) * n_workers, RTE_CACHE_LINE_SIZE);
	if (workers == NULL) {
		fprintf(stderr, "vxswitch: out of memory for workers\n");
		goto out_ports;
	}
	for (uint16_t w = 0; w < n_workers; w++) {
		workers[w].dp = &dp;
		workers[w].id = w;
		workers[w].st = &dp.stats[w];
		rte_rcu_qsbr_thread_register(dp.qsbr, w);
	}
	k = 0;
	for (pid = 0; pid < VX_MAX_PORTS; pid++) {
		if (!c->port[pid].present)
			continue;
		for (uint16_t q = 0; q < plan[pid].nrxq; q++, k++) {
			struct vx_worker *w = &workers[k % n_workers];

			if (w->n_rxq == RTE_DIM(w->rxq))
				continue;
			w->rxq[w->n_rxq].port = pid;
			w->rxq[w->n_rxq].queue = q;
			w->n_rxq++;
		}
	}

	if (o.config != NULL) {
		c->config_path = abs_path(o.config);
		if (c->config_path == NULL) {
			fprintf(stderr, "vxswitch: --config %s: %s\n", o.config, strerror(errno));
			goto out_workers;
		}
	}

	ret = vx_core_init(c);
	if (ret < 0) {
		fprintf(stderr, "vxswitch: core init: %s\n", strerror(-ret));
		goto out_workers;
	}
	ret = vx_ul_init(c);
	if (ret < 0) {
		fprintf(stderr, "vxswitch: underlay init: %s\n", strerror(-ret));
		goto out_core;
	}

	if (c->config_path != NULL) {
		if (access(c->config_path, F_OK) < 0 && errno == ENOENT) {
			VX_LOG(NOTICE, "config %s does not exist yet: starting empty", o.config);
		} else {
			struct vx_out eo = {0};
			int lineno = 0;
			const char *msg;

			c->replaying = true;
			ret = vx_replay(c, c->config_path, &lineno, &eo);
			c->replaying = false;
			if (ret < 0) {
				msg = config_msg(eo.len > 0 ? eo.buf : strerror(-ret),
						 c->config_path, lineno);
				if (lineno > 0)
					fprintf(stderr, "config %s:%d: error: %s\n", o.config,
						lineno, msg);
				else
					fprintf(stderr, "config %s: error: %s\n", o.config, msg);
				vx_out_free(&eo);
				goto out_ul;
			}
			vx_out_free(&eo);
		}
	}

	ret = vx_server_open(c, o.socket, o.group, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "vxswitch: socket: %s\n", err);
		goto out_ul;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (uint16_t w = 0; w < n_workers; w++) {
		ret = rte_eal_remote_launch(vx_worker_main, &workers[w], wl[w]);
		if (ret < 0) {
			fprintf(stderr, "vxswitch: launch worker %u on lcore %u: %s\n", w, wl[w],
				strerror(-ret));
			dp.stop = 1;
			rte_eal_mp_wait_lcore();
			goto out_srv;
		}
	}

	for (pid = 0; pid < VX_MAX_PORTS; pid++) {
		size_t l = strlen(ports_txt);

		if (c->port[pid].present)
			snprintf(ports_txt + l, sizeof(ports_txt) - l, "%s%s(%u rxq)", l ? " " : "",
				 c->port[pid].name, plan[pid].nrxq);
	}
	printf("vxswitch: %u ports [%s], %u workers, socket %s%s%s\n", c->n_ports, ports_txt,
	       n_workers, o.socket, c->config_path ? ", config " : "",
	       c->config_path ? c->config_path : "");
	fflush(stdout);
	signal_ready();

	/* The control loop. */
	start_tsc = rte_rdtsc();
	while (quit_signal == 0) {
		ret = vx_server_poll(c, POLL_TIMEOUT_MS);
		if (ret < 0) {
			VX_LOG(ERR, "socket poll: %s", strerror(-ret));
			break;
		}
		dp.now = (uint32_t)((rte_rdtsc() - start_tsc) / c->tsc_hz);
		vx_core_poll(c);
		vx_ul_poll(c);
	}
	if (quit_signal != 0)
		VX_LOG(NOTICE, "signal %d: shutting down", (int)quit_signal);
	rc = ret < 0 ? 1 : 0;

	dp.stop = 1;
	rte_eal_mp_wait_lcore();
out_srv:
	vx_server_close(c);
out_ul:
	vx_ul_fini(c);
out_core:
	vx_core_fini(c);
out_workers:
	rte_free(workers);
out_ports:
	stop_ports(c);
out_pools:
	/* Ports are closed and workers gone: nothing holds an mbuf but the rings. */
out_dp:
	vx_dp_fini(&dp);
	rte_mempool_free(dp.hdr_pool);
	rte_mempool_free(dp.pool);
	free((void *)(uintptr_t)c->config_path);
out_eal:
	rte_eal_cleanup();
	return rc;
}
