/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Miss events: what the kernel's vxlan sends as netlink l2miss and l3miss
 * notifications, here lines on the "fdb" monitor stream for a controller
 * to act on (scripts/vxlan-controller):
 *
 *   miss 02:00:00:00:00:0b dev vxlan10    (l2miss: a frame to a MAC the FDB
 *                                          does not know, no catch-all entry)
 *   miss 203.0.113.2 dev vxlan10          (l3miss: an ARP request or NS the
 *                                          proxy cannot answer; an address
 *                                          route short-circuit does not know)
 *
 * and with `vxctl -j monitor` {"miss":true,"mac":...,"ifname":...} or
 * {"miss":true,"dst":...,"ifname":...}.
 *
 * A scan must not flood the monitor, so each link keeps (struct vx_miss):
 *   - the addresses it announced in the last VX_MISS_HOLD_MS: the same
 *     address again within that time is the same miss, not announced
 *     (a host retries its ARP every second until someone answers);
 *   - a token bucket of VX_MISS_RATE events a second (bursts of as many):
 *     beyond it a miss is counted (miss-limited) and not announced.
 * Workers rate-limit what they push on their side too (dataplane/miss.c).
 */

#include <string.h>
#include <sys/socket.h>

#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

/* Where the address is in recent[], or -1. */
static int
recent_find(const struct vx_miss *m, const struct vx_miss_addr *a)
{
	for (int i = 0; i < VX_MISS_RECENT; i++)
		if (m->recent[i].at_ms != 0 && memcmp(&m->recent[i].a, a, sizeof(*a)) == 0)
			return i;
	return -1;
}

/* The slot to reuse: an empty one, else the oldest. */
static int
recent_slot(const struct vx_miss *m)
{
	int best = 0;

	for (int i = 0; i < VX_MISS_RECENT; i++) {
		if (m->recent[i].at_ms == 0)
			return i;
		if (m->recent[i].at_ms < m->recent[best].at_ms)
			best = i;
	}
	return best;
}

int
vx_miss_admit(struct vx_miss *m, const struct vx_miss_addr *a, uint64_t now_ms)
{
	const uint64_t cap = (uint64_t)VX_MISS_RATE * 1000;
	int i = recent_find(m, a);

	if (i >= 0 && now_ms < m->recent[i].at_ms + VX_MISS_HOLD_MS)
		return 0;
	if (m->last_ms == 0)
		m->tokens_milli = cap;
	else if (now_ms > m->last_ms)
		m->tokens_milli =
			RTE_MIN(cap, m->tokens_milli + (now_ms - m->last_ms) * VX_MISS_RATE);
	m->last_ms = now_ms;
	if (m->tokens_milli < 1000)
		return -1;
	m->tokens_milli -= 1000;
	if (i < 0)
		i = recent_slot(m);
	m->recent[i].a = *a;
	m->recent[i].at_ms = now_ms != 0 ? now_ms : 1;
	return 1;
}

void
vx_core_miss(struct vx_ctl *c, struct vx_link *l, const struct rte_ether_addr *mac,
	     const struct vx_ip *ip)
{
	struct vx_miss_addr a;
	bool text, json;
	char s[INET6_ADDRSTRLEN];
	int r;

	if (!(l->opt.flags & (mac != NULL ? VX_BD_L2MISS : VX_BD_L3MISS)))
		return;
	text = vx_ctl_event_wanted(c, "fdb");
	json = vx_ctl_event_wanted(c, "fdb.json");
	if (!text && !json)
		return; /* nobody listens: nothing to say, nothing to hold back */
	memset(&a, 0, sizeof(a));
	if (mac != NULL) {
		a.mac = *mac;
		vx_fmt_mac(mac, s, sizeof(s));
	} else {
		a.ip = *ip;
		vx_fmt_ip(ip, s, sizeof(s));
	}
	r = vx_miss_admit(&l->miss, &a, vx_ul_now(c));
	if (r < 0)
		vx_ctl_count_event(c, VX_EV_MISS_LIMITED);
	if (r <= 0)
		return;
	vx_ctl_count_event(c, VX_EV_MISSES);
	if (text)
		vx_ctl_event(c, "fdb", "miss %s dev %s", s, l->name);
	if (json) {
		struct vx_out o = {0};

		vx_out_printf(&o, "{\"miss\":true,\"%s\":\"%s\",\"ifname\":", mac ? "mac" : "dst",
			      s);
		vx_out_json_str(&o, l->name);
		vx_out_printf(&o, "}");
		if (o.buf != NULL)
			vx_ctl_event(c, "fdb.json", "%s", o.buf);
		vx_out_free(&o);
	}
}

void
vx_core_miss_req(struct vx_ctl *c, const struct vx_learn_req *req)
{
	struct vx_link *l = vx_link_by_bd(c, vx_fdb_key_bd(req->key));
	struct rte_ether_addr mac;

	if (l == NULL || req->epoch != l->epoch)
		return;
	if (req->kind == VX_LEARN_MISS_MAC) {
		vx_fdb_key_mac(req->key, &mac);
		/* Known by now (a controller was quick, or another worker's request): no miss. */
		if (vx_fdb_get(&c->dp->fdb, req->key, NULL) != 0)
			return;
		vx_core_miss(c, l, &mac, NULL);
	} else if (req->kind == VX_LEARN_MISS_IP &&
		   (req->remote.family == AF_INET || req->remote.family == AF_INET6)) {
		if (vx_neigh_find(c->core->proxy, l->bd, &req->remote) != NULL)
			return;
		vx_core_miss(c, l, NULL, &req->remote);
	}
}
