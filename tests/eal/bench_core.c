/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Benchmark (not a test): the control thread's learn rate (learn requests
 * through the learn ring and vx_core_poll) and static `fdb add` rate.
 * Usage: bench_core [N]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct vx_ctl *
new_ctl(uint32_t cap)
{
	struct vx_ctl *c = calloc(1, sizeof(*c));

	c->dp = calloc(1, sizeof(*c->dp));
	if (vx_dp_init(c->dp, 1, cap, SOCKET_ID_ANY) < 0 || vx_ul_init(c) < 0 ||
	    vx_core_init(c) < 0)
		exit(1);
	return c;
}

static void
free_ctl(struct vx_ctl *c)
{
	vx_core_fini(c);
	vx_ul_fini(c);
	vx_dp_fini(c->dp);
	free(c->dp);
	free(c);
}

static void
run(struct vx_ctl *c, const char *line)
{
	char buf[256], *argv[32];
	struct vx_out out = {0};
	int argc;

	strlcpy(buf, line, sizeof(buf));
	argc = vx_cli_split(buf, argv, 32);
	if (vx_cli_exec(c, argc, argv, 0, &out) < 0) {
		fprintf(stderr, "%s: %s\n", line, out.buf);
		exit(1);
	}
	vx_out_free(&out);
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = {argv[0], "--no-huge", "-m",
		       "1024",	"--no-pci",  prefix,
		       "-l",	"0",	     "--log-level=lib.eal:error"};
	uint32_t n = argc > 1 ? atoi(argv[1]) : 262144;
	struct vx_ctl *c;
	struct vx_learn_req r;
	double t0, t;
	uint32_t i, q, polls = 0;

	snprintf(prefix, sizeof(prefix), "--file-prefix=vxt_bench_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal), eal) < 0)
		return 1;

	/* Learning: fill the ring, poll, repeat (as the daemon's loop). */
	c = new_ctl(n + 1024);
	run(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	memset(&r, 0, sizeof(r));
	r.epoch = vx_link_find(c, "vxlan10")->epoch;
	vx_parse_ip("198.51.100.2", &r.remote);
	t0 = now_s();
	for (i = 0; i < n;) {
		for (q = 0; q < VX_LEARN_RING_SIZE - 1 && i < n; q++, i++) {
			r.key = ((uint64_t)vx_link_find(c, "vxlan10")->bd << 48) |
				0x020000000000ULL | i;
			r.remote.bytes[3] = 2 + (i & 7);
			if (rte_ring_enqueue_elem(c->dp->learn_ring[0], &r, sizeof(r)) != 0)
				break;
		}
		while (rte_ring_count(c->dp->learn_ring[0]) > 0)
			vx_core_poll(c), polls++;
	}
	t = now_s() - t0;
	printf("learn: %u MACs in %.3f s = %.3f M/s (fdb count %u), %u vx_core_poll calls "
	       "(daemon: >= 1 per 5 ms -> <= %.0f MACs/s)\n",
	       n, t, n / t / 1e6, c->dp->fdb.count, polls, (double)n / polls * 200);
	free_ctl(c);

	/* Static fdb add. */
	c = new_ctl(n + 1024);
	run(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		char line[128];

		snprintf(line, sizeof(line),
			 "fdb add 02:00:00:%02x:%02x:%02x dev vxlan10 dst 198.51.100.%u",
			 (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 2 + (i & 7));
		run(c, line);
		vx_core_poll(c); /* the daemon's loop polls after every command round trip */
		if ((i + 1) % (n / 4) == 0)
			printf("static: %u lines at %.3f s\n", i + 1, now_s() - t0);
	}
	t = now_s() - t0;
	printf("static: %u lines in %.3f s = %.3f k/s\n", n, t, n / t / 1e3);
	free_ctl(c);
	rte_eal_cleanup();
	return 0;
}
