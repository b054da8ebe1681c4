/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What operations use, started once the socket serves and run from the
 * control loop: packet capture by dpdk-dumpcap (rte_pdump: a secondary
 * process of the same --file-prefix attaches), the /vxswitch telemetry
 * commands, the --metrics HTTP server, the watch that logs events, the
 * control loop's own busy time, and SIGHUP's reload of the --config file.
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_pdump.h>

#include "cli/cli.h"
#include "daemon.h"

int
vx_ops_start(struct vx_ctl *c, struct vx_daemon_info *di, const char *metrics)
{
	char err[256];
	int ret;

	di->start_time = (uint64_t)time(NULL);
	ret = rte_pdump_init();
	if (ret < 0)
		VX_LOG(WARNING, "pdump: %s: no capture with dpdk-dumpcap", rte_strerror(rte_errno));
	ret = vx_telemetry_init(c, di);
	if (ret < 0)
		VX_LOG(WARNING, "telemetry: %s: no /vxswitch commands", strerror(-ret));
	if (metrics != NULL) {
		ret = vx_metrics_start(c, di, metrics, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "vxswitch: %s\n", err);
			return ret;
		}
	}
	vx_watch_init(c);
	return 0;
}

/* SIGHUP: the --config file's differences from the running configuration (logged there). */
static void
ops_reload(struct vx_ctl *c)
{
	struct vx_out out = {0};

	if (c->config_path == NULL) {
		VX_LOG(WARNING, "SIGHUP: no --config file to reload");
		return;
	}
	VX_LOG(NOTICE, "SIGHUP: reloading %s", c->config_path);
	vx_cli_reload(c, NULL, &out);
	vx_out_free(&out);
}

void
vx_ops_poll(struct vx_ctl *c, struct vx_daemon_info *di, bool reload, uint64_t woke_tsc)
{
	if (reload)
		ops_reload(c);
	vx_metrics_poll(c);
	vx_watch_poll(c);
	vx_loop_account(&di->loop, c->tsc_hz, rte_rdtsc() - woke_tsc);
}

void
vx_ops_stop(struct vx_ctl *c)
{
	vx_metrics_stop(c);
	vx_telemetry_fini(c);
	rte_pdump_uninit();
}
