/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The events an operator must hear about, as one log line each, found by
 * looking at the state a few times a second from the control loop (so
 * nothing on the packet path logs, and nothing that traffic triggers can
 * flood the log):
 *
 *   port up/down           a port's link status changed (rte_eth_link_get_nowait)
 *   neighbour failed       a next hop or neighbour got no answer to its probes
 *   punt rate limit hit    ARP/ND/ICMP to the switch dropped over the rate limit
 *   FDB limit hit          a MAC not learned: the FDB or a link's maxaddress is full
 *   learn ring overflow    learn requests lost to a full ring
 *
 * A counter that grows logs once, then at most once per SURGE_GAP_SEC with
 * how many more; neighbour failures at most NEIGH_LINES per SURGE_GAP_SEC,
 * with a count of the ones not named. Links added and deleted are logged
 * by the commands that do it (cli/cmd_link.c).
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "daemon.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

#define WATCH_PERIOD_MS 100
#define PORT_PERIOD_MS	1000
#define SURGE_GAP_SEC	10
#define NEIGH_LINES	10

enum surge_kind { SURGE_DROP, SURGE_EVENT };

/* A counter whose growth is an event. */
static const struct {
	enum surge_kind kind;
	unsigned int idx;
	const char *what;
} surge_def[] = {
	{SURGE_DROP, VX_DROP_PUNT_RATE,
	 "punt rate limit hit: ARP/ND/ICMP packets to the switch dropped"},
	{SURGE_EVENT, VX_EV_LEARN_LIMIT,
	 "FDB limit hit: MACs not learned, the FDB or a link's maxaddress is full"},
	{SURGE_EVENT, VX_EV_LEARN_RING_FULL, "learn ring overflow: learn requests lost"},
};

static struct {
	uint64_t next_tsc, next_port_tsc;
	bool port_seen[VX_MAX_PORTS];
	bool port_up[VX_MAX_PORTS];
	struct {
		uint32_t id;
		uint8_t state;
		uint64_t updated_ms;
	} nb[VX_NEIGH_MAX];
	bool nb_seen;
	uint64_t nb_window;   /* TSC of the start of the current window */
	unsigned int nb_said; /* lines in it */
	unsigned int nb_quiet;
	struct {
		uint64_t logged; /* value at the last line */
		uint64_t at_tsc; /* when */
	} surge[RTE_DIM(surge_def)];
} w;

static uint64_t
counter_sum(const struct vx_ctl *c, enum surge_kind kind, unsigned int idx)
{
	uint64_t v = 0;

	for (unsigned int b = 0; b <= VX_MAX_WORKERS; b++)
		v += kind == SURGE_DROP ? c->dp->stats[b].drop[idx] : c->dp->stats[b].event[idx];
	return v;
}

static void
watch_ports(struct vx_ctl *c)
{
	struct rte_eth_link lk;
	char txt[RTE_ETH_LINK_MAX_STR_LEN];

	for (unsigned int p = 0; p < VX_MAX_PORTS; p++) {
		bool up;

		if (!c->port[p].present)
			continue;
		if (rte_eth_link_get_nowait(c->port[p].port_id, &lk) < 0)
			continue;
		up = lk.link_status == RTE_ETH_LINK_UP;
		if (w.port_seen[p] && w.port_up[p] == up)
			continue;
		rte_eth_link_to_str(txt, sizeof(txt), &lk);
		if (up)
			VX_LOG(NOTICE, "port %s: up (%s)", c->port[p].name, txt);
		else if (w.port_seen[p])
			VX_LOG(WARNING, "port %s: down", c->port[p].name);
		else
			VX_LOG(NOTICE, "port %s: down at start", c->port[p].name);
		w.port_seen[p] = true;
		w.port_up[p] = up;
	}
}

static void
neigh_failed(struct vx_ctl *c, const struct vx_neigh *n, uint64_t now)
{
	char ip[INET6_ADDRSTRLEN];

	if (now - w.nb_window >= SURGE_GAP_SEC * c->tsc_hz) {
		if (w.nb_quiet > 0)
			VX_LOG(WARNING, "%u more neighbours failed in the last %d s", w.nb_quiet,
			       SURGE_GAP_SEC);
		w.nb_window = now;
		w.nb_said = w.nb_quiet = 0;
	}
	if (w.nb_said == NEIGH_LINES) {
		w.nb_quiet++;
		return;
	}
	w.nb_said++;
	VX_LOG(WARNING, "neighbour %s dev %s failed: no answer to %d probes%s",
	       vx_fmt_ip(&n->ip, ip, sizeof(ip)), vx_port_name(c, n->port), VX_NEIGH_PROBES,
	       n->refs > 0 ? " (a VTEP's next hop)" : "");
}

/*
 * FAILED lasts until the next frame for the neighbour starts it again
 * (INCOMPLETE), which may come before we look: an entry seen resolving
 * (INCOMPLETE or PROBE) and then seen INCOMPLETE after another state
 * change has failed in between.
 */
static void
watch_neigh(struct vx_ctl *c, uint64_t now)
{
	for (uint32_t i = 0; c->ul != NULL && i < VX_NEIGH_MAX; i++) {
		const struct vx_neigh *n = &c->ul->nt.n[i];
		uint8_t was = w.nb[i].state;
		bool failed;

		if (n->id == 0) {
			w.nb[i].state = VX_NUD_NONE;
			continue;
		}
		if (n->id != w.nb[i].id) /* another entry in the slot: nothing seen of it yet */
			was = VX_NUD_NONE;
		failed = n->state == VX_NUD_FAILED &&
			 (was != VX_NUD_FAILED || w.nb[i].updated_ms != n->updated_ms);
		failed |= n->state == VX_NUD_INCOMPLETE &&
			  (was == VX_NUD_INCOMPLETE || was == VX_NUD_PROBE) &&
			  w.nb[i].updated_ms != n->updated_ms;
		if (failed && w.nb_seen)
			neigh_failed(c, n, now);
		w.nb[i].id = n->id;
		w.nb[i].state = n->state;
		w.nb[i].updated_ms = n->updated_ms;
	}
	w.nb_seen = true;
}

static void
watch_surges(struct vx_ctl *c, uint64_t now)
{
	for (size_t i = 0; i < RTE_DIM(surge_def); i++) {
		uint64_t v = counter_sum(c, surge_def[i].kind, surge_def[i].idx);

		if (v <= w.surge[i].logged)
			continue;
		if (w.surge[i].at_tsc != 0 && now - w.surge[i].at_tsc < SURGE_GAP_SEC * c->tsc_hz)
			continue;
		/* A first line, or one after a quiet minute, starts a new story. */
		if (w.surge[i].at_tsc == 0 ||
		    now - w.surge[i].at_tsc >= 6 * SURGE_GAP_SEC * c->tsc_hz)
			VX_LOG(WARNING, "%s: %" PRIu64, surge_def[i].what, v - w.surge[i].logged);
		else
			VX_LOG(WARNING, "%s: %" PRIu64 " more in %.0f s", surge_def[i].what,
			       v - w.surge[i].logged,
			       (double)(now - w.surge[i].at_tsc) / (double)c->tsc_hz);
		w.surge[i].logged = v;
		w.surge[i].at_tsc = now;
	}
}

void
vx_watch_init(struct vx_ctl *c)
{
	memset(&w, 0, sizeof(w));
	/* What counted before the start (nothing, in a daemon) is not news. */
	for (size_t i = 0; i < RTE_DIM(surge_def); i++)
		w.surge[i].logged = counter_sum(c, surge_def[i].kind, surge_def[i].idx);
	w.nb_window = rte_rdtsc();
}

void
vx_watch_poll(struct vx_ctl *c)
{
	uint64_t now = rte_rdtsc();

	if (now < w.next_tsc)
		return;
	w.next_tsc = now + c->tsc_hz * WATCH_PERIOD_MS / 1000;
	if (now >= w.next_port_tsc) {
		w.next_port_tsc = now + c->tsc_hz * PORT_PERIOD_MS / 1000;
		watch_ports(c);
	}
	watch_neigh(c, now);
	watch_surges(c, now);
}
