/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `stats [dev NAME]` and `show drops`: counters summed over every worker
 * and the control thread (vx_stats_sum).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mempool.h>

#include "cli/cli.h"
#include "core/core.h"

struct stats_ctx {
	const struct vx_lcore_stats *st;
	const struct vx_link *only_l; /* dev LINK */
	int only_p;		      /* dev PORT, -1 = none */
	bool j, first;
	struct vx_out *out;
};

static void
stats_ports(struct vx_ctl *c, struct stats_ctx *x)
{
	for (unsigned int p = 0; p < VX_MAX_PORTS && x->only_l == NULL; p++) {
		const struct vx_port_stats *s = &x->st->port[p];

		if (!c->port[p].present || (x->only_p >= 0 && (int)p != x->only_p))
			continue;
		if (x->j) {
			vx_out_printf(x->out, "%s{\"ifname\":", x->first ? "" : ",");
			vx_out_json_str(x->out, c->port[p].name);
			vx_out_printf(x->out,
				      ",\"kind\":\"port\",\"rx_packets\":%" PRIu64
				      ",\"rx_bytes\":%" PRIu64 ",\"tx_packets\":%" PRIu64
				      ",\"tx_bytes\":%" PRIu64 ",\"drops\":%" PRIu64 "}",
				      s->rx_pkts, s->rx_bytes, s->tx_pkts, s->tx_bytes, s->drops);
		} else {
			vx_out_printf(x->out,
				      "port %s: rx %" PRIu64 " pkts %" PRIu64 " bytes, tx %" PRIu64
				      " pkts %" PRIu64 " bytes, drops %" PRIu64 "\n",
				      c->port[p].name, s->rx_pkts, s->rx_bytes, s->tx_pkts,
				      s->tx_bytes, s->drops);
		}
		x->first = false;
	}
}

static void
stats_links(struct vx_ctl *c, struct stats_ctx *x)
{
	for (unsigned int b = 1; b < VX_MAX_BD && x->only_p < 0; b++) {
		const struct vx_link *l = c->core->link[b];
		const struct vx_bd_stats *s = &x->st->bd[b];

		if (l == NULL || (x->only_l != NULL && x->only_l != l))
			continue;
		if (x->j) {
			vx_out_printf(x->out, "%s{\"ifname\":", x->first ? "" : ",");
			vx_out_json_str(x->out, l->name);
			vx_out_printf(x->out,
				      ",\"kind\":\"vxlan\",\"id\":%u,\"decap_packets\":%" PRIu64
				      ",\"decap_bytes\":%" PRIu64 ",\"encap_packets\":%" PRIu64
				      ",\"encap_bytes\":%" PRIu64 ",\"local_packets\":%" PRIu64
				      ",\"flood_packets\":%" PRIu64 ",\"drops\":%" PRIu64
				      ",\"fdb_entries\":%u,\"fdb_static\":%u}",
				      l->opt.vni, s->decap_pkts, s->decap_bytes, s->encap_pkts,
				      s->encap_bytes, s->local_pkts, s->flood_pkts, s->drops,
				      l->n_fdb, l->n_static);
		} else {
			vx_out_printf(x->out,
				      "link %s id %u: decap %" PRIu64 " pkts %" PRIu64
				      " bytes, encap %" PRIu64 " pkts %" PRIu64
				      " bytes, local %" PRIu64 ", flood %" PRIu64 ", drops %" PRIu64
				      ", fdb %u (%u static)\n",
				      l->name, l->opt.vni, s->decap_pkts, s->decap_bytes,
				      s->encap_pkts, s->encap_bytes, s->local_pkts, s->flood_pkts,
				      s->drops, l->n_fdb, l->n_static);
		}
		x->first = false;
	}
}

/* Per-worker busy counters (the benchmark's cycles/packet). */
static void
stats_workers(struct vx_ctl *c, struct stats_ctx *x)
{
	for (unsigned int w = 0; w < c->dp->n_workers && w < VX_MAX_WORKERS; w++) {
		const struct vx_lcore_stats *s = &c->dp->stats[w];

		if (x->j)
			vx_out_printf(x->out,
				      "%s{\"kind\":\"worker\",\"id\":%u,\"loops\":%" PRIu64
				      ",\"busy_tsc\":%" PRIu64 ",\"busy_pkts\":%" PRIu64 "}",
				      x->first ? "" : ",", w, s->loops, s->busy_tsc, s->busy_pkts);
		else
			vx_out_printf(x->out,
				      "worker %u: loops %" PRIu64 ", busy %" PRIu64
				      " cycles %" PRIu64 " pkts, %.1f cycles/pkt\n",
				      w, s->loops, s->busy_tsc, s->busy_pkts,
				      s->busy_pkts ? (double)s->busy_tsc / s->busy_pkts : 0.0);
		x->first = false;
	}
}

/* Learning since the last `fdb flush`: the rate the control thread sustained; the clock. */
static void
stats_learn(struct vx_ctl *c, struct stats_ctx *x)
{
	const struct vx_ctl_core *k = c->core;

	if (x->j) {
		vx_out_printf(x->out,
			      "%s{\"kind\":\"learn\",\"learned\":%" PRIu64 ",\"first_ns\":%" PRIu64
			      ",\"last_ns\":%" PRIu64 "},{\"kind\":\"clock\",\"tsc_hz\":%" PRIu64
			      "}",
			      x->first ? "" : ",", k->learn_n, k->learn_first_ns, k->learn_last_ns,
			      rte_get_tsc_hz());
		x->first = false;
		return;
	}
	if (k->learn_n > 1 && k->learn_last_ns > k->learn_first_ns)
		vx_out_printf(x->out, "learn: %" PRIu64 " entries since the last flush, %.0f/s\n",
			      k->learn_n,
			      (double)(k->learn_n - 1) * 1e9 /
				      (double)(k->learn_last_ns - k->learn_first_ns));
	else
		vx_out_printf(x->out, "learn: %" PRIu64 " entries since the last flush\n",
			      k->learn_n);
	vx_out_printf(x->out, "tsc %" PRIu64 " Hz\n", rte_get_tsc_hz());
}

/*
 * The mbuf pools: size and mbufs in use (in rings, queues, per-lcore caches
 * and in flight). With no traffic, in use returns to what the rx queues and
 * caches hold: a count that keeps growing is a leak.
 */
static void
stats_pools(struct vx_ctl *c, struct stats_ctx *x)
{
	const struct rte_mempool *mp[] = {c->dp->pool, c->dp->hdr_pool};

	for (unsigned int i = 0; i < RTE_DIM(mp); i++) {
		if (mp[i] == NULL)
			continue;
		if (x->j)
			vx_out_printf(
				x->out,
				"%s{\"kind\":\"pool\",\"name\":\"%s\",\"size\":%u,\"in_use\":%u}",
				x->first ? "" : ",", mp[i]->name, mp[i]->size,
				rte_mempool_in_use_count(mp[i]));
		else
			vx_out_printf(x->out, "pool %s: %u of %u mbufs in use\n", mp[i]->name,
				      rte_mempool_in_use_count(mp[i]), mp[i]->size);
		x->first = false;
	}
}

int
vx_cmd_stats(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct stats_ctx x = {.only_p = -1, .j = flags & VX_CMD_JSON, .first = true, .out = out};
	struct vx_lcore_stats *st;
	int i = 1;

	if (i < argc && strcmp(argv[i], "show") == 0)
		i++;
	if (i < argc && strcmp(argv[i], "dev") == 0) {
		if (i + 1 >= argc)
			return vx_err(out, -EINVAL, "missing value after \"dev\"");
		x.only_l = vx_link_find(c, argv[i + 1]);
		if (x.only_l == NULL) {
			x.only_p = vx_port_index(c, argv[i + 1]);
			if (x.only_p < 0)
				return vx_err(out, -ENODEV, "dev %s: no such link or port",
					      argv[i + 1]);
		}
		i += 2;
	}
	if (i < argc)
		return vx_err(out, -EINVAL, "stats: unexpected \"%s\"", argv[i]);
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	if (c->dp != NULL)
		vx_core_stats_sum(c, st);
	x.st = st;
	if (x.j)
		vx_out_printf(out, "[");
	stats_ports(c, &x);
	stats_links(c, &x);
	/* The whole switch's view only. */
	if (c->dp != NULL && x.only_l == NULL && x.only_p < 0) {
		stats_workers(c, &x);
		stats_learn(c, &x);
		stats_pools(c, &x);
	}
	if (x.j)
		vx_out_printf(out, "]\n");
	free(st);
	return 0;
}

static void
json_counter(struct vx_out *o, bool comma, const char *name, uint64_t n, const char *text)
{
	vx_out_printf(o, "%s{\"name\":\"%s\",\"count\":%" PRIu64 ",\"text\":", comma ? "," : "",
		      name, n);
	vx_out_json_str(o, text);
	vx_out_printf(o, "}");
}

int
vx_cmd_show(struct vx_ctl *c, int argc, char **argv, unsigned int flags, struct vx_out *out)
{
	struct vx_lcore_stats *st;
	bool j = flags & VX_CMD_JSON;

	if (argc < 2)
		return vx_err(out, -EINVAL, "show: missing what (drops)");
	if (strcmp(argv[1], "drops") != 0)
		return vx_err(out, -EINVAL, "show: unknown \"%s\" (drops)", argv[1]);
	if (argc > 2)
		return vx_err(out, -EINVAL, "show drops: unexpected \"%s\"", argv[2]);
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return vx_err(out, -ENOMEM, "out of memory");
	if (c->dp != NULL)
		vx_core_stats_sum(c, st);
	if (j) {
		vx_out_printf(out, "{\"drops\":[");
		for (unsigned int i = 0; i < VX_DROP_MAX; i++)
			json_counter(out, i > 0, vx_drop_names[i], st->drop[i], vx_drop_texts[i]);
		vx_out_printf(out, "],\"events\":[");
		for (unsigned int i = 0; i < VX_EV_MAX; i++)
			json_counter(out, i > 0, vx_event_names[i], st->event[i],
				     vx_event_texts[i]);
		vx_out_printf(out, "]}\n");
	} else {
		vx_out_printf(out, "drops:\n");
		for (unsigned int i = 0; i < VX_DROP_MAX; i++)
			vx_out_printf(out, "  %-16s %12" PRIu64 "  %s\n", vx_drop_names[i],
				      st->drop[i], vx_drop_texts[i]);
		vx_out_printf(out, "events:\n");
		for (unsigned int i = 0; i < VX_EV_MAX; i++)
			vx_out_printf(out, "  %-16s %12" PRIu64 "  %s\n", vx_event_names[i],
				      st->event[i], vx_event_texts[i]);
	}
	free(st);
	return 0;
}
