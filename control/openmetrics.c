/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The text of /metrics: every counter of vxswitch as Prometheus metrics,
 * in the OpenMetrics 1.0 text format (or Prometheus' text format 0.0.4
 * for a scraper that does not ask for OpenMetrics; they differ only in
 * the TYPE line of counters, UNIT lines and the final "# EOF").
 *
 * Names follow Prometheus' conventions: vxswitch_ prefix, base units
 * (bytes, seconds), counters end in _total, one family per meaning with
 * labels for the instances (port, link, reason, worker). docs/operations.md
 * lists them all. Built on the control thread from the same sums as
 * `vxctl stats` (vx_stats_sum) and the core's model.
 */

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include <rte_ethdev.h>
#include <rte_version.h>

#include "core/core.h"
#include "daemon.h"
#include "vx_version.h"

struct om {
	struct vx_out *o;
	bool om; /* OpenMetrics (else Prometheus text 0.0.4) */
};

/* A label value, quoted and escaped (\\, \", \n). */
static void
label(struct vx_out *o, const char *name, const char *v)
{
	if (strpbrk(v, "\\\"\n") == NULL) {
		vx_out_printf(o, "%s=\"%s\"", name, v);
		return;
	}
	vx_out_printf(o, "%s=\"", name);
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			vx_out_printf(o, "\\%c", *v);
		else if (*v == '\n')
			vx_out_printf(o, "\\n");
		else
			vx_out_printf(o, "%c", *v);
	}
	vx_out_printf(o, "\"");
}

/* The head of a family: name without _total; unit only when name ends with it. */
static void
family(struct om *m, const char *name, const char *type, const char *unit, const char *help)
{
	bool counter = strcmp(type, "counter") == 0;
	const char *sfx = counter && !m->om ? "_total" : "";

	vx_out_printf(m->o, "# TYPE %s%s %s\n", name, sfx, type);
	if (m->om && unit != NULL)
		vx_out_printf(m->o, "# UNIT %s %s\n", name, unit);
	vx_out_printf(m->o, "# HELP %s%s %s\n", name, sfx, help);
}

/* One sample: name + suffix, {lname="lval"} when lname is given, the value. */
static void
sample(struct om *m, const char *name, const char *sfx, const char *lname, const char *lval,
       uint64_t v)
{
	vx_out_printf(m->o, "%s%s", name, sfx);
	if (lname != NULL) {
		vx_out_printf(m->o, "{");
		label(m->o, lname, lval);
		vx_out_printf(m->o, "}");
	}
	vx_out_printf(m->o, " %" PRIu64 "\n", v);
}

/*
 * An info family (a sample of value 1 whose labels say something): type
 * info in OpenMetrics (family base, sample base_info), a gauge named
 * base_info in Prometheus text.
 */
static void
info_family(struct om *m, const char *base, const char *help)
{
	if (m->om)
		vx_out_printf(m->o, "# TYPE %s info\n# HELP %s %s\n", base, base, help);
	else
		vx_out_printf(m->o, "# TYPE %s_info gauge\n# HELP %s_info %s\n", base, base, help);
}

/* A counter of one value. */
static void
counter1(struct om *m, const char *name, const char *help, uint64_t v)
{
	family(m, name, "counter", NULL, help);
	sample(m, name, "_total", NULL, NULL, v);
}

static void
gauge1(struct om *m, const char *name, const char *unit, const char *help, uint64_t v)
{
	family(m, name, "gauge", unit, help);
	sample(m, name, "", NULL, NULL, v);
}

/* ---- ports ---- */

static const struct {
	const char *name, *unit, *help;
	size_t off;
} port_ctr[] = {
	{"vxswitch_port_rx_packets", NULL, "Packets the workers received on the port",
	 offsetof(struct vx_port_stats, rx_pkts)},
	{"vxswitch_port_rx_bytes", "bytes", "Bytes the workers received on the port",
	 offsetof(struct vx_port_stats, rx_bytes)},
	{"vxswitch_port_tx_packets", NULL, "Packets sent on the port",
	 offsetof(struct vx_port_stats, tx_pkts)},
	{"vxswitch_port_tx_bytes", "bytes", "Bytes sent on the port",
	 offsetof(struct vx_port_stats, tx_bytes)},
	{"vxswitch_port_drops", NULL, "Packets dropped that came from or went to the port",
	 offsetof(struct vx_port_stats, drops)},
};

static const struct {
	const char *name, *help;
	size_t off;
} eth_ctr[] = {
	{"vxswitch_port_rx_missed",
	 "Packets the device dropped for want of a free receive descriptor (ethdev imissed)",
	 offsetof(struct rte_eth_stats, imissed)},
	{"vxswitch_port_rx_errors", "Erroneous packets the device received (ethdev ierrors)",
	 offsetof(struct rte_eth_stats, ierrors)},
	{"vxswitch_port_tx_errors", "Packets the device failed to send (ethdev oerrors)",
	 offsetof(struct rte_eth_stats, oerrors)},
};

static void
om_ports(struct om *m, struct vx_ctl *c, const struct vx_lcore_stats *st)
{
	struct rte_eth_stats es[VX_MAX_PORTS];
	struct rte_eth_link lk;

	for (size_t i = 0; i < RTE_DIM(port_ctr); i++) {
		family(m, port_ctr[i].name, "counter", port_ctr[i].unit, port_ctr[i].help);
		for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
			if (c->port[p].present)
				sample(m, port_ctr[i].name, "_total", "port", c->port[p].name,
				       *(const uint64_t *)((const char *)&st->port[p] +
							   port_ctr[i].off));
	}
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
		if (!c->port[p].present || rte_eth_stats_get(c->port[p].port_id, &es[p]) < 0)
			memset(&es[p], 0, sizeof(es[p]));
	for (size_t i = 0; i < RTE_DIM(eth_ctr); i++) {
		family(m, eth_ctr[i].name, "counter", NULL, eth_ctr[i].help);
		for (unsigned int p = 0; p < VX_MAX_PORTS; p++)
			if (c->port[p].present)
				sample(m, eth_ctr[i].name, "_total", "port", c->port[p].name,
				       *(const uint64_t *)((const char *)&es[p] + eth_ctr[i].off));
	}
	family(m, "vxswitch_port_up", "gauge", NULL, "1 when the port's link is up");
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++) {
		if (!c->port[p].present)
			continue;
		if (rte_eth_link_get_nowait(c->port[p].port_id, &lk) < 0)
			lk.link_status = RTE_ETH_LINK_DOWN;
		sample(m, "vxswitch_port_up", "", "port", c->port[p].name, lk.link_status);
	}
}

/* ---- links ---- */

static const struct {
	const char *name, *unit, *help;
	size_t off;
} link_ctr[] = {
	{"vxswitch_link_rx_packets", NULL,
	 "Frames decapsulated from the overlay into the link (kernel vxlan's rx)",
	 offsetof(struct vx_bd_stats, decap_pkts)},
	{"vxswitch_link_rx_bytes", "bytes", "Bytes of the inner frames decapsulated into the link",
	 offsetof(struct vx_bd_stats, decap_bytes)},
	{"vxswitch_link_tx_packets", NULL,
	 "Frames encapsulated from the link into the overlay (kernel vxlan's tx)",
	 offsetof(struct vx_bd_stats, encap_pkts)},
	{"vxswitch_link_tx_bytes", "bytes", "Bytes of the inner frames encapsulated from the link",
	 offsetof(struct vx_bd_stats, encap_bytes)},
	{"vxswitch_link_local_packets", NULL,
	 "Frames switched between two access ports of the link",
	 offsetof(struct vx_bd_stats, local_pkts)},
	{"vxswitch_link_flood_packets", NULL,
	 "Broadcast, unknown unicast and multicast frames flooded (before replication)",
	 offsetof(struct vx_bd_stats, flood_pkts)},
	{"vxswitch_link_drops", NULL, "Frames of the link dropped, any reason",
	 offsetof(struct vx_bd_stats, drops)},
};

static void
om_link_gauges(struct om *m, struct vx_ctl *c)
{
	char vni[16];

	info_family(m, "vxswitch_link", "Every VXLAN link, with its VNI");
	for (unsigned int b = 1; b < VX_MAX_BD; b++) {
		const struct vx_link *l = c->core->link[b];

		if (l == NULL)
			continue;
		snprintf(vni, sizeof(vni), "%u", l->opt.vni);
		vx_out_printf(m->o, "vxswitch_link_info{");
		label(m->o, "link", l->name);
		vx_out_printf(m->o, ",");
		label(m->o, "vni", vni);
		vx_out_printf(m->o, "} 1\n");
	}
	family(m, "vxswitch_link_fdb_entries", "gauge", NULL,
	       "FDB entries of the link, learned and static");
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL)
			sample(m, "vxswitch_link_fdb_entries", "", "link", c->core->link[b]->name,
			       c->core->link[b]->n_fdb);
	family(m, "vxswitch_link_fdb_static_entries", "gauge", NULL,
	       "Static and permanent FDB entries of the link");
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL)
			sample(m, "vxswitch_link_fdb_static_entries", "", "link",
			       c->core->link[b]->name, c->core->link[b]->n_static);
	family(m, "vxswitch_link_fdb_max_entries", "gauge", NULL,
	       "The link's maxaddress: most FDB entries it may learn (0: no limit)");
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		if (c->core->link[b] != NULL)
			sample(m, "vxswitch_link_fdb_max_entries", "", "link",
			       c->core->link[b]->name, c->core->link[b]->opt.maxaddress);
}

static void
om_links(struct om *m, struct vx_ctl *c, const struct vx_lcore_stats *st)
{
	om_link_gauges(m, c);
	for (size_t i = 0; i < RTE_DIM(link_ctr); i++) {
		family(m, link_ctr[i].name, "counter", link_ctr[i].unit, link_ctr[i].help);
		for (unsigned int b = 1; b < VX_MAX_BD; b++) {
			const struct vx_link *l = c->core->link[b];

			if (l != NULL)
				sample(m, link_ctr[i].name, "_total", "link", l->name,
				       *(const uint64_t *)((const char *)&st->bd[b] +
							   link_ctr[i].off));
		}
	}
}

/* ---- events, drops, FDB ---- */

/* The events with a metric of their own; the others go to vxswitch_events_total. */
static const char *const event_metric[VX_EV_MAX] = {
	[VX_EV_LEARN_REQ] = "vxswitch_learn_requests",
	[VX_EV_LEARN_RING_FULL] = "vxswitch_learn_ring_overflows",
	[VX_EV_LEARN_STATIC] = "vxswitch_learn_static_conflicts",
	[VX_EV_LEARN_LIMIT] = "vxswitch_fdb_limit_hits",
	[VX_EV_LEARN_STALE] = "vxswitch_learn_stale",
	[VX_EV_LEARNED] = "vxswitch_fdb_learned",
	[VX_EV_MOVED] = "vxswitch_fdb_moved",
	[VX_EV_AGED] = "vxswitch_fdb_aged",
	[VX_EV_FLOOD_COPIES] = "vxswitch_flood_copies",
	[VX_EV_PUNTED] = "vxswitch_punted_packets",
	[VX_EV_UNRESOLVED] = "vxswitch_unresolved_packets",
};

static void
om_events(struct om *m, const struct vx_lcore_stats *st)
{
	bool others = false;

	for (unsigned int e = 0; e < VX_EV_MAX; e++) {
		if (event_metric[e] == NULL) {
			others = true;
			continue;
		}
		counter1(m, event_metric[e], vx_event_texts[e], st->event[e]);
	}
	if (!others)
		return;
	family(m, "vxswitch_events", "counter", NULL, "Other events of the dataplane, by name");
	for (unsigned int e = 0; e < VX_EV_MAX; e++)
		if (event_metric[e] == NULL)
			sample(m, "vxswitch_events", "_total", "event", vx_event_names[e],
			       st->event[e]);
}

static void
om_drops(struct om *m, const struct vx_lcore_stats *st)
{
	family(m, "vxswitch_drops", "counter", NULL,
	       "Packets dropped, by reason (`vxctl show drops` explains each)");
	for (unsigned int r = 0; r < VX_DROP_MAX; r++)
		sample(m, "vxswitch_drops", "_total", "reason", vx_drop_names[r], st->drop[r]);
}

static void
om_fdb(struct om *m, struct vx_ctl *c)
{
	struct vx_fdb_totals ft;

	vx_fdb_totals(c, &ft);
	gauge1(m, "vxswitch_fdb_entries", NULL, "FDB entries, learned and static, of every link",
	       ft.entries);
	gauge1(m, "vxswitch_fdb_static_entries", NULL,
	       "Static and permanent FDB entries of every link", ft.statics);
	gauge1(m, "vxswitch_fdb_capacity", NULL, "Most FDB entries the table holds (--fdb-size)",
	       ft.capacity);
}

/* ---- the daemon ---- */

/* A float as OpenMetrics wants a bucket bound: 1.0, not 1. */
static void
fmt_le(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%g", v);
	if (strpbrk(buf, ".e") == NULL)
		strlcat(buf, ".0", len);
}

static void
om_lag(struct om *m, struct vx_ctl *c, const struct vx_daemon_info *di)
{
	const struct vx_loop_stats *ls = &di->loop;
	const char *n = "vxswitch_control_lag_seconds";
	double hz = c->tsc_hz != 0 ? (double)c->tsc_hz : 1.0;
	uint64_t cum = 0;
	char le[32];

	family(m, n, "histogram", "seconds",
	       "Busy time of each control loop iteration: how long a command, a learn request "
	       "or a scrape may wait for the control thread");
	for (unsigned int b = 0; b <= VX_LAG_BUCKETS; b++) {
		cum += ls->bucket[b];
		if (b < VX_LAG_BUCKETS)
			fmt_le(le, sizeof(le), vx_lag_bounds[b]);
		else
			strlcpy(le, "+Inf", sizeof(le));
		vx_out_printf(m->o, "%s_bucket{le=\"%s\"} %" PRIu64 "\n", n, le, cum);
	}
	vx_out_printf(m->o, "%s_sum %.9f\n%s_count %" PRIu64 "\n", n, (double)ls->busy_tsc / hz, n,
		      ls->iterations);
	family(m, "vxswitch_control_lag_max_seconds", "gauge", "seconds",
	       "The longest control loop iteration since the start");
	vx_out_printf(m->o, "vxswitch_control_lag_max_seconds %.9f\n", (double)ls->max_tsc / hz);
}

static void
om_daemon(struct om *m, struct vx_ctl *c, const struct vx_daemon_info *di)
{
	double hz = c->tsc_hz != 0 ? (double)c->tsc_hz : 1.0;
	char w[8];

	info_family(m, "vxswitch_build", "The versions of vxswitch and DPDK running");
	vx_out_printf(m->o, "vxswitch_build_info{");
	label(m->o, "version", VX_VERSION);
	vx_out_printf(m->o, ",");
	label(m->o, "dpdk", rte_version());
	vx_out_printf(m->o, "} 1\n");
	gauge1(m, "vxswitch_start_time_seconds", "seconds",
	       "Start of the daemon, seconds since the Unix epoch", di->start_time);
	gauge1(m, "vxswitch_workers", NULL, "Worker lcores", di->n_workers);
	family(m, "vxswitch_worker_busy_seconds", "counter", "seconds",
	       "Time each worker spent on iterations that received packets");
	for (unsigned int i = 0; i < di->n_workers && i < VX_MAX_WORKERS; i++) {
		snprintf(w, sizeof(w), "%u", i);
		vx_out_printf(m->o, "vxswitch_worker_busy_seconds_total{");
		label(m->o, "worker", w);
		vx_out_printf(m->o, "} %.9f\n", (double)c->dp->stats[i].busy_tsc / hz);
	}
	om_lag(m, c, di);
}

void
vx_openmetrics(struct vx_ctl *c, const struct vx_daemon_info *di, bool om, struct vx_out *o)
{
	const struct vx_lcore_stats *st = vx_counters(c);
	struct om m = {.o = o, .om = om};

	om_daemon(&m, c, di);
	if (st != NULL && c->core != NULL) {
		om_ports(&m, c, st);
		om_links(&m, c, st);
		om_events(&m, st);
		om_drops(&m, st);
		om_fdb(&m, c);
	}
	if (om)
		vx_out_printf(o, "# EOF\n");
}
