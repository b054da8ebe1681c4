/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multicast groups the underlay ports listen to (links with `group`), as a
 * host does with IGMPv3 (RFC 3376) and MLDv2 (RFC 3810), so that a
 * snooping underlay delivers the group's VXLAN traffic to the port:
 *
 *   - a join (the first link of a (port, group)) puts the group in
 *     dp->local (the workers then take VXLAN sent to it) and sends a
 *     state-change report CHANGE_TO_EXCLUDE {} at once and again
 *     VX_MC_REPORT_MS later (the robustness variable is 2);
 *   - a leave (the last link gone) takes it out of dp->local and sends
 *     CHANGE_TO_INCLUDE {} twice the same way; the entry is freed once the
 *     second report went;
 *   - a query (punted by the workers, VX_PUNT_MCAST) is answered after a
 *     random delay within its Max Resp Time, as RFC 3376 5.2 says: a
 *     general query with one MODE_IS_EXCLUDE report of every group of the
 *     port and family, a group-specific one with that group's. Queries of
 *     every version are answered with v3/v2 reports (no compatibility
 *     mode for IGMPv1/v2 or MLDv1 queriers).
 *
 * Reports leave from the port's IPv4 address (0.0.0.0 when it has none,
 * as RFC 3376 4.2.13 allows) or its link-local IPv6 address (the port's
 * MAC as modified EUI-64), in the port's underlay VLAN.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_mbuf.h>
#include <rte_random.h>

#include "lib/inet.h"
#include "underlay/underlay.h"

#define VX_MC_REPORT_MS	 1000 /* unsolicited report interval (IGMPv3 and MLDv2 default) */
#define VX_MC_ROBUSTNESS 2    /* state-change reports sent per join or leave */

static struct vx_ul_group *
group_find(struct vx_ctl *c, uint16_t port, const struct vx_ip *ip)
{
	for (unsigned int i = 0; i < VX_MAX_GROUPS; i++) {
		struct vx_ul_group *g = &c->ul->group[i];

		if (g->used && g->port == port && vx_ip_eq(&g->ip, ip))
			return g;
	}
	return NULL;
}

static struct vx_ul_group *
group_free_slot(struct vx_ctl *c)
{
	for (unsigned int i = 0; i < VX_MAX_GROUPS; i++)
		if (!c->ul->group[i].used)
			return &c->ul->group[i];
	return NULL;
}

bool
vx_ul_group_room(struct vx_ctl *c, int port, const struct vx_ip *ip)
{
	if (c->ul == NULL || port < 0)
		return true;
	return group_find(c, port, ip) != NULL || group_free_slot(c) != NULL;
}

/* One report from port of rec_type for groups[0..n) of family (all of it or nothing). */
static void
send_report(struct vx_ctl *c, uint16_t port, uint8_t family, uint8_t rec_type,
	    const struct vx_ip *groups, unsigned int n)
{
	const struct rte_ether_addr *mac = &c->port[port].mac;
	uint16_t vlan = c->ul->port_vlan[port], len;
	uint8_t buf[RTE_ETHER_MAX_LEN];

	if (n == 0 || n > VX_MC_MAX_RECORDS)
		return;
	if (family == AF_INET) {
		const struct vx_ul_addr *a = vx_ul_addr_on_port(c, port, AF_INET);
		struct in_addr src = {0}, g[VX_MC_MAX_RECORDS];

		for (unsigned int i = 0; i < n; i++)
			g[i] = groups[i].v4;
		if (a != NULL)
			src = a->ip.v4;
		len = vx_igmp3_report(buf, vlan, mac, src, rec_type, g, n);
	} else {
		struct in6_addr src, g[VX_MC_MAX_RECORDS];

		for (unsigned int i = 0; i < n; i++)
			g[i] = groups[i].v6;
		vx_ip6_link_local(mac, &src);
		len = vx_mld2_report(buf, vlan, mac, &src, rec_type, g, n);
	}
	vx_ul_send(c, port, buf, len);
	vx_ctl_count_event(c, VX_EV_MC_REPORTS);
}

static void
send_one(struct vx_ctl *c, const struct vx_ul_group *g, uint8_t rec_type)
{
	send_report(c, g->port, g->ip.family, rec_type, &g->ip, 1);
}

int
vx_ul_group_join(struct vx_ctl *c, uint16_t port, const struct vx_ip *ip)
{
	struct vx_ul_group *g;

	if (c->ul == NULL)
		return 0; /* a core without an underlay (grammar tests) */
	g = group_find(c, port, ip);
	if (g != NULL && g->refs++ > 0)
		return 0;
	if (g == NULL) {
		g = group_free_slot(c);
		if (g == NULL)
			return -ENOSPC;
		memset(g, 0, sizeof(*g));
		g->used = true;
		g->port = port;
		g->ip = *ip;
		g->refs = 1;
	}
	/* New, or leaving: a join, reported VX_MC_ROBUSTNESS times. */
	vx_ul_local_publish(c);
	send_one(c, g, VX_MC_TO_EXCLUDE);
	g->retx = VX_MC_ROBUSTNESS - 1;
	g->retx_ms = vx_ul_now(c) + VX_MC_REPORT_MS;
	g->resp_ms = 0;
	return 0;
}

void
vx_ul_group_leave(struct vx_ctl *c, uint16_t port, const struct vx_ip *ip)
{
	struct vx_ul_group *g = c->ul != NULL ? group_find(c, port, ip) : NULL;

	if (g == NULL || g->refs == 0 || --g->refs > 0)
		return;
	vx_ul_local_publish(c);
	send_one(c, g, VX_MC_TO_INCLUDE);
	g->retx = VX_MC_ROBUSTNESS - 1;
	g->retx_ms = vx_ul_now(c) + VX_MC_REPORT_MS;
	g->resp_ms = 0;
}

/* A response is due within max_ms: at a random time in [0, max_ms), unless one is due sooner. */
static void
schedule(uint64_t *at, uint64_t now, uint32_t max_ms)
{
	uint64_t t = now + (max_ms > 1 ? rte_rand() % max_ms : 0);

	if (*at == 0 || t < *at)
		*at = t;
}

void
vx_ul_mc_input(struct vx_ctl *c, struct rte_mbuf *m)
{
	uint16_t port = m->port;
	uint64_t now = vx_ul_now(c);
	struct vx_mc_query q;

	if (port >= VX_MAX_PORTS || !c->port[port].present || !rte_pktmbuf_is_contiguous(m) ||
	    vx_mc_query_parse(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_data_len(m), &q) != 0 ||
	    q.vlan != c->ul->port_vlan[port])
		goto out;
	vx_ctl_count_event(c, VX_EV_MC_QUERIES);
	if (vx_ip_is_any(&q.group)) {
		schedule(&c->ul->mc_resp_ms[port][q.family == AF_INET6], now, q.max_resp_ms);
		goto out;
	}
	for (unsigned int i = 0; i < VX_MAX_GROUPS; i++) {
		struct vx_ul_group *g = &c->ul->group[i];

		if (g->used && g->refs > 0 && g->port == port && vx_ip_eq(&g->ip, &q.group))
			schedule(&g->resp_ms, now, q.max_resp_ms);
	}
out:
	rte_pktmbuf_free(m);
}

/* The answer to a general query: every group of the port and family in one report. */
static void
answer_general(struct vx_ctl *c, uint16_t port, uint8_t family)
{
	struct vx_ip groups[VX_MC_MAX_RECORDS];
	unsigned int n = 0;

	for (unsigned int i = 0; i < VX_MAX_GROUPS && n < RTE_DIM(groups); i++) {
		const struct vx_ul_group *g = &c->ul->group[i];

		if (g->used && g->refs > 0 && g->port == port && g->ip.family == family)
			groups[n++] = g->ip;
	}
	send_report(c, port, family, VX_MC_IS_EXCLUDE, groups, n);
}

void
vx_ul_group_poll(struct vx_ctl *c)
{
	uint64_t now = vx_ul_now(c);

	for (uint16_t p = 0; p < VX_MAX_PORTS; p++)
		for (unsigned int f = 0; f < 2; f++) {
			uint64_t *at = &c->ul->mc_resp_ms[p][f];

			if (*at != 0 && *at <= now) {
				*at = 0;
				answer_general(c, p, f ? AF_INET6 : AF_INET);
			}
		}
	for (unsigned int i = 0; i < VX_MAX_GROUPS; i++) {
		struct vx_ul_group *g = &c->ul->group[i];

		if (!g->used)
			continue;
		if (g->retx > 0 && g->retx_ms <= now) {
			send_one(c, g, g->refs > 0 ? VX_MC_TO_EXCLUDE : VX_MC_TO_INCLUDE);
			if (--g->retx > 0)
				g->retx_ms = now + VX_MC_REPORT_MS;
		}
		if (g->refs > 0 && g->resp_ms != 0 && g->resp_ms <= now) {
			g->resp_ms = 0;
			send_one(c, g, VX_MC_IS_EXCLUDE);
		}
		if (g->refs == 0 && g->retx == 0)
			memset(g, 0, sizeof(*g)); /* left, and said so */
	}
}
