/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxfabric: the fabric agent of a vxswitch node. It registers the node in
 * flannel's registry in etcd and programs, for every other node's lease,
 * one FDB entry in vxswitch and one neighbour and one route in the
 * kernel (agent.h has the picture; docs/fabric.md the whole story).
 *
 *   vxfabric --public-ip IP [--etcd-endpoints URL,...] [--prefix KEY]
 *            [--socket PATH] [--link NAME] [--iface NAME]
 *            [--subnet-file PATH] [--state-file PATH] [--lease-ttl SECONDS]
 *
 * One thread: the loop runs the agent's due steps, then waits (at most a
 * second) on the etcd watch's connection, the kernel's notifications and
 * the vxswitch socket.
 * SIGINT/SIGTERM end it with status 0, leaving the lease, vxswitch and
 * the kernel as they are (a restart takes everything back).
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "vx_version.h"
#include "fabric/agent.h"

#define DEFAULT_ENDPOINTS   "http://127.0.0.1:2379"
#define DEFAULT_PREFIX	    "/coreos.com/network"
#define DEFAULT_SUBNET_FILE "/run/flannel/subnet.env"
#define DEFAULT_STATE_FILE  "/run/vxfabric/state.json"
#define DEFAULT_TTL	    86400 /* flannel's subnet lease: 24 h */
#define ETCD_TIMEOUT_MS	    3000

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	quit = sig;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: vxfabric --public-ip IP [--etcd-endpoints URL,...] [--prefix KEY]\n"
		"                [--socket PATH] [--link NAME] [--iface NAME]\n"
		"                [--subnet-file PATH] [--state-file PATH] [--lease-ttl SECONDS]\n"
		"       vxfabric --version\n"
		"  --public-ip IP        this node's underlay address (vxswitch's; the VTEP)\n"
		"  --etcd-endpoints L    etcd client URLs, comma-separated "
		"(default " DEFAULT_ENDPOINTS ")\n"
		"  --prefix KEY          flannel's registry prefix (default " DEFAULT_PREFIX ")\n"
		"  --socket PATH         vxswitch's socket (default $VXSWITCH_SOCKET or its "
		"default)\n"
		"  --link NAME           vxswitch's fabric link (default vxlan1)\n"
		"  --iface NAME          the kernel's side of vxswitch's TAP (default vxfab0)\n"
		"  --subnet-file PATH    flannel's subnet file (default " DEFAULT_SUBNET_FILE
		"; \"\" = none)\n"
		"  --state-file PATH     what the agent programmed (default " DEFAULT_STATE_FILE
		")\n"
		"  --lease-ttl SECONDS   the subnet lease's TTL in etcd (default %d)\n",
		DEFAULT_TTL);
}

static int
parse_opts(int argc, char **argv, struct fab_opts *o)
{
	static const struct option lo[] = {
		{"etcd-endpoints", required_argument, NULL, 'e'},
		{"prefix", required_argument, NULL, 'p'},
		{"socket", required_argument, NULL, 's'},
		{"link", required_argument, NULL, 'l'},
		{"iface", required_argument, NULL, 'i'},
		{"public-ip", required_argument, NULL, 'P'},
		{"subnet-file", required_argument, NULL, 'f'},
		{"state-file", required_argument, NULL, 'S'},
		{"lease-ttl", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *pip = NULL, *errstr;
	size_t l;
	int ch;

	*o = (struct fab_opts){
		.endpoints = DEFAULT_ENDPOINTS,
		.prefix = DEFAULT_PREFIX,
		.sock = vx_conn_default_path(),
		.link = "vxlan1",
		.iface = "vxfab0",
		.subnet_file = DEFAULT_SUBNET_FILE,
		.state_file = DEFAULT_STATE_FILE,
		.ttl = DEFAULT_TTL,
		.etcd_timeout_ms = ETCD_TIMEOUT_MS,
	};
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o->endpoints = optarg;
			break;
		case 'p':
			o->prefix = optarg;
			break;
		case 's':
			o->sock = optarg;
			break;
		case 'l':
			o->link = optarg;
			break;
		case 'i':
			o->iface = optarg;
			break;
		case 'P':
			pip = optarg;
			break;
		case 'f':
			o->subnet_file = optarg;
			break;
		case 'S':
			o->state_file = optarg;
			break;
		case 't':
			o->ttl = strtonum(optarg, 5, 1ll << 31, &errstr);
			if (errstr != NULL) {
				fprintf(stderr, "vxfabric: --lease-ttl %s: %s (5..2^31)\n", optarg,
					errstr);
				return -EINVAL;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("vxfabric %s\n", VX_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vxfabric: unexpected argument: %s\n", argv[optind]);
		return -EINVAL;
	}
	if (pip == NULL || fab_ip_parse(pip, &o->public_ip) < 0 || !fab_ip_unicast(o->public_ip)) {
		fprintf(stderr, "vxfabric: --public-ip: give this node's unicast IPv4 underlay "
				"address\n");
		return -EINVAL;
	}
	/* The registry's keys are PREFIX/config and PREFIX/subnets/...: no trailing '/'. */
	l = strlen(o->prefix);
	if (l < 2 || o->prefix[0] != '/' || o->prefix[l - 1] == '/') {
		fprintf(stderr, "vxfabric: --prefix %s: /KEY without a trailing /\n", o->prefix);
		return -EINVAL;
	}
	return 0;
}

static void
run(struct fab_agent *a)
{
	struct curl_waitfd fd[2];

	while (!quit) {
		uint64_t next = fab_agent_step(a), now = fab_now_ms();
		unsigned int nfd = 1;

		fd[0] = (struct curl_waitfd){.fd = fab_nl_fd(&a->mon), .events = CURL_WAIT_POLLIN};
		if (a->sw.up)
			fd[nfd++] =
				(struct curl_waitfd){.fd = a->sw.c.fd, .events = CURL_WAIT_POLLIN};
		fab_etcd_wait(&a->etcd, fd, nfd, next > now ? (int)(next - now) : 0);
		if (fd[0].revents != 0)
			fab_agent_kernel_events(a);
		if (nfd == 2 && fd[1].revents != 0)
			fab_agent_sw_hup(a);
		fab_agent_events(a);
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: the wait returns */
	static struct fab_agent a;
	struct fab_opts o;
	char ip[16];

	setvbuf(stderr, NULL, _IOLBF, 0);
	if (parse_opts(argc, argv, &o) < 0)
		return 1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "vxfabric: libcurl init failed\n");
		return 1;
	}
	if (fab_agent_init(&a, &o) < 0)
		return 1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "vxfabric: node %s, etcd %s, prefix %s, vxswitch %s link %s, iface %s\n",
		fab_ip_fmt(o.public_ip, ip, sizeof(ip)), o.endpoints, o.prefix, o.sock, o.link,
		o.iface);
	run(&a);
	fprintf(stderr,
		"vxfabric: signal %d: exiting (lease, vxswitch and kernel left as they are)\n",
		(int)quit);
	fab_agent_fini(&a);
	curl_global_cleanup();
	return 0;
}
