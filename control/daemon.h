/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_DAEMON_H
#define VX_DAEMON_H

/*
 * The daemon's own pieces, shared by main.c (options, start-up order, the
 * control loop), ports.c (DPDK ports and packet pools), service.c (logs,
 * systemd), ops.c (what operations use, started and polled from main.c),
 * counters.c, telemetry.c, metrics.c and openmetrics.c (what the daemon
 * shows to monitoring) and watch.c (events turned into logs).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#include "lib/ctl.h"
#include "lib/log.h"
#include "lib/out.h"
#include "vx_stats.h"

/* Per-port queue layout, decided before the mempool is sized. */
struct vx_port_plan {
	uint16_t nrxq, ntxq;
	uint16_t rxd, txd;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
};

/* The layout of port pid for n_workers workers with rxd/txd descriptors per queue. */
int vx_port_plan(uint16_t pid, uint16_t n_workers, uint16_t rxd, uint16_t txd,
		 struct vx_port_plan *pp);
/* The packet pools of c->dp: nmb packet mbufs (0: sized from the plans) and the header pool. */
int vx_pools_create(struct vx_ctl *c, uint16_t n_workers, const struct vx_port_plan *plan,
		    uint32_t nmb);
void vx_pools_free(struct vx_ctl *c);
/* Configure, start and publish port pid; fills c->port[pid]. */
int vx_port_start(struct vx_ctl *c, uint16_t pid, struct vx_port_plan *pp);
/* Stop and close every started port. */
void vx_ports_stop(struct vx_ctl *c);

/* ---- service.c: logs and systemd ---- */
/* Before rte_eal_init(): every log line to stderr, with journal priorities under systemd. */
int vx_service_log_init(void);
/* sd_notify(fmt...) when systemd waits for it ("READY=1", "STOPPING=1", "STATUS=..."). */
void vx_service_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- counters.c: the daemon's own counters and sums of everybody's ---- */

/*
 * The control loop's busy time per iteration (from the end of its wait to
 * the start of the next): how long a request, a learn batch, a punted
 * frame or a scrape may wait for the control thread. A histogram with
 * these upper bounds (seconds), plus +Inf.
 */
#define VX_LAG_BUCKETS 7
extern const double vx_lag_bounds[VX_LAG_BUCKETS];

struct vx_loop_stats {
	uint64_t iterations;
	uint64_t bucket[VX_LAG_BUCKETS + 1]; /* per bucket (not cumulative); the last is +Inf */
	uint64_t busy_tsc;		     /* sum over every iteration */
	uint64_t max_tsc;		     /* the longest iteration */
};

/* What the daemon shows beside the model and the counters. */
struct vx_daemon_info {
	uint16_t n_workers;
	uint64_t start_time; /* CLOCK_REALTIME seconds */
	struct vx_loop_stats loop;
};

/* Count one iteration of the control loop that was busy for busy_tsc cycles. */
void vx_loop_account(struct vx_loop_stats *ls, uint64_t tsc_hz, uint64_t busy_tsc);
/*
 * Every worker's and the control thread's counters summed (vx_stats_sum)
 * into a buffer of the control thread's, valid until the next call.
 */
const struct vx_lcore_stats *vx_counters(struct vx_ctl *c);
/* FDB totals: entries, capacity, static and permanent entries of every link. */
struct vx_fdb_totals {
	uint64_t entries, capacity, statics;
};
void vx_fdb_totals(struct vx_ctl *c, struct vx_fdb_totals *t);

/* ---- telemetry.c: /vxswitch/... commands of rte_telemetry ---- */
/* Register the commands; their answers are made on the control thread (after vx_server_open). */
int vx_telemetry_init(struct vx_ctl *c, const struct vx_daemon_info *di);
void vx_telemetry_fini(struct vx_ctl *c);

/* ---- openmetrics.c: the text of /metrics ---- */
/* Every metric; om: OpenMetrics 1.0 text, else Prometheus text 0.0.4. */
void vx_openmetrics(struct vx_ctl *c, const struct vx_daemon_info *di, bool om, struct vx_out *o);

/* ---- metrics.c: the HTTP server of /metrics (libmicrohttpd) ---- */
/* Serve http://addr/metrics from the control loop (after vx_server_open); err holds why not. */
int vx_metrics_start(struct vx_ctl *c, const struct vx_daemon_info *di, const char *addr, char *err,
		     size_t errlen);
/* Timeouts of the HTTP connections; from the control loop. */
void vx_metrics_poll(struct vx_ctl *c);
void vx_metrics_stop(struct vx_ctl *c);

/* ---- ops.c: operations, started once the socket serves ---- */
/* Capture, telemetry, --metrics (NULL: none), the watch; -errno when --metrics cannot start. */
int vx_ops_start(struct vx_ctl *c, struct vx_daemon_info *di, const char *metrics);
/* Once per control loop iteration, busy since woke_tsc; reload: a SIGHUP came. */
void vx_ops_poll(struct vx_ctl *c, struct vx_daemon_info *di, bool reload, uint64_t woke_tsc);
void vx_ops_stop(struct vx_ctl *c);

/* ---- watch.c: events that matter, as one log line each ---- */
void vx_watch_init(struct vx_ctl *c);
/* From the control loop: looks at the ports and counters a few times a second. */
void vx_watch_poll(struct vx_ctl *c);

#endif /* VX_DAEMON_H */
