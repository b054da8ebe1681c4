/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The agent's steps: see agent.h.
 */

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "fabric/agent.h"
#include "fabric/files.h"
#include "fabric/registry.h"

#define RETRY_MS    1000
#define SW_RETRY_MS 200	  /* vxswitch restarting: look for its socket often */
#define IF_CHECK_MS 1000  /* is the TAP still the one we set up? */
#define FULL_MS	    60000 /* read the dataplane back, whatever happened */
#define MAX_WAIT_MS 1000

uint64_t
fab_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
due(const struct fab_timer *t, uint64_t now)
{
	return now >= t->at;
}

/* A step failed: say so once per outage, try again in ms. */
static void __attribute__((format(printf, 4, 5)))
failed(struct fab_timer *t, uint64_t now, uint64_t ms, const char *fmt, ...)
{
	va_list ap;

	if (!t->down) {
		fputs("vxfabric: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputs(" (retrying)\n", stderr);
	}
	t->down = true;
	t->at = now + ms;
}

static void
succeeded(struct fab_timer *t, const char *what)
{
	if (t->down)
		fprintf(stderr, "vxfabric: %s: ok again\n", what);
	t->down = false;
}

static int
mkdir_of(const char *path)
{
	char d[4096];

	strlcpy(d, path, sizeof(d));
	if (mkdir(dirname(d), 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
fab_agent_init(struct fab_agent *a, const struct fab_opts *o)
{
	char *text;
	size_t len;
	int ret;

	memset(a, 0, sizeof(*a));
	a->o = *o;
	a->sw.sock = o->sock;
	a->sw.link = o->link;
	ret = fab_etcd_init(&a->etcd, o->endpoints, o->etcd_timeout_ms);
	if (ret < 0) {
		fprintf(stderr, "vxfabric: --etcd-endpoints %s: a list of http://HOST:PORT\n",
			o->endpoints);
		return ret;
	}
	ret = fab_nl_open(&a->nl);
	if (ret == 0)
		ret = fab_nl_monitor_open(&a->mon);
	if (ret < 0) {
		fprintf(stderr, "vxfabric: netlink: %s\n", strerror(-ret));
		return ret;
	}
	if (mkdir_of(o->state_file) < 0 ||
	    (o->subnet_file[0] != '\0' && mkdir_of(o->subnet_file) < 0))
		fprintf(stderr, "vxfabric: cannot create the directory of %s or %s\n",
			o->state_file, o->subnet_file);
	if (fab_file_read(o->state_file, &text, &len) == 0) {
		if (fab_state_parse(text, len, a->owned) < 0)
			fprintf(stderr,
				"vxfabric: %s is not a state file: starting with no record "
				"(nothing will be removed that is not wanted)\n",
				o->state_file);
		free(text);
	}
	a->t_full.at = fab_now_ms() + FULL_MS;
	return 0;
}

void
fab_agent_fini(struct fab_agent *a)
{
	fab_vxsw_close(&a->sw);
	fab_nl_close(&a->nl);
	fab_nl_close(&a->mon);
	fab_etcd_fini(&a->etcd);
	fab_view_free(&a->view);
	for (int k = 0; k < FAB_KINDS; k++) {
		fab_set_free(&a->want[k]);
		fab_set_free(&a->owned[k]);
	}
}

/* PREFIX/config, once (flannel reads it once too: a new config needs a restart). */
static void
step_net(struct fab_agent *a, uint64_t now)
{
	char key[256], err[256];
	struct fab_kv kv;
	int ret;

	if (a->have_net || !due(&a->t_net, now))
		return;
	snprintf(key, sizeof(key), "%s/config", a->o.prefix);
	ret = fab_etcd_get(&a->etcd, key, &kv);
	if (ret == -ENOENT) {
		failed(&a->t_net, now, RETRY_MS, "no network config at %s", key);
		return;
	}
	if (ret < 0) {
		failed(&a->t_net, now, RETRY_MS, "etcd: %s", a->etcd.err);
		return;
	}
	ret = fab_net_parse(kv.val, kv.vlen, &a->net, err, sizeof(err));
	fab_kv_free(&kv);
	if (ret < 0) {
		failed(&a->t_net, now, 5 * RETRY_MS, "%s: %s", key, err);
		return;
	}
	succeeded(&a->t_net, "network config");
	a->have_net = true;
	fprintf(stderr, "vxfabric: network %s: /%u subnets, vxlan VNI %u port %u\n", key,
		a->net.subnet_len, a->net.vni, a->net.port);
}

/* The TAP in the kernel: found, the same as before? */
static void
step_if(struct fab_agent *a, uint64_t now)
{
	struct fab_ifinfo ifi;
	int ret;

	if (!due(&a->t_if, now))
		return;
	a->t_if.at = now + IF_CHECK_MS;
	ret = fab_nl_link(&a->nl, a->o.iface, &ifi);
	if (ret < 0) {
		if (a->ifi.ifindex != 0)
			fprintf(stderr, "vxfabric: %s is gone\n", a->o.iface);
		a->ifi.ifindex = 0;
		failed(&a->t_if, now, IF_CHECK_MS, "%s: %s (vxswitch serves it: is it running?)",
		       a->o.iface, strerror(-ret));
		return;
	}
	succeeded(&a->t_if, a->o.iface);
	if (ifi.ifindex != a->ifi.ifindex || memcmp(ifi.mac, a->ifi.mac, 6) != 0) {
		char m[18];

		fprintf(stderr, "vxfabric: %s: ifindex %d, MAC %s\n", a->o.iface, ifi.ifindex,
			fab_mac_fmt(ifi.mac, m, sizeof(m)));
		a->k_full = true;
		a->local_ok = false;
		/* The port to attach is the one with this MAC; a new MAC goes into the lease. */
		a->sw_ready = false;
		a->t_keep.at = 0;
	}
	a->ifi = ifi;
}

/* vxswitch: connected, the link and the TAP's port set up. */
static void
step_sw(struct fab_agent *a, uint64_t now)
{
	int ret;

	if (a->sw_ready || !due(&a->t_sw, now))
		return;
	if (!a->sw.up) {
		if (fab_vxsw_connect(&a->sw) < 0) {
			failed(&a->t_sw, now, SW_RETRY_MS, "vxswitch: %s", a->sw.err);
			return;
		}
		/* A (re)started vxswitch has a new TAP: look at it now. */
		a->t_if.at = 0;
		step_if(a, now);
	}
	if (!a->have_net || a->ifi.ifindex == 0)
		return;
	ret = fab_vxsw_setup(&a->sw, &a->net, a->o.public_ip, a->ifi.mac);
	if (ret < 0) {
		failed(&a->t_sw, now, ret == -EPIPE ? SW_RETRY_MS : RETRY_MS, "vxswitch: %s",
		       a->sw.err);
		return;
	}
	succeeded(&a->t_sw, "vxswitch");
	fprintf(stderr, "vxfabric: vxswitch: link %s (mtu %u), port %s attached\n", a->o.link,
		a->sw.mtu, a->sw.port);
	a->sw_ready = true;
	a->sw_full = true;
	a->local_ok = false;
}

/* How often the etcd lease is kept alive: a third of its TTL, 0.5 to 60 s. */
static uint64_t
keep_every(const struct fab_agent *a)
{
	uint64_t ms = a->o.ttl * 1000 / 3;

	return ms < 500 ? 500 : ms > 60000 ? 60000 : ms;
}

/* The subnet the last run held, from the subnet file. */
static void
prev_subnet(struct fab_agent *a, struct fab_lease_req *r)
{
	char *text;
	size_t len;

	if (a->held.l.plen != 0) {
		r->prev_subnet = a->held.l.subnet;
		r->prev_plen = a->held.l.plen;
		return;
	}
	if (a->o.subnet_file[0] == '\0' || fab_file_read(a->o.subnet_file, &text, &len) < 0)
		return;
	if (fab_env_subnet(text, &r->prev_subnet, &r->prev_plen) < 0)
		r->prev_plen = 0;
	free(text);
}

static void
step_lease(struct fab_agent *a, uint64_t now)
{
	struct fab_lease_req r = {.net = &a->net, .prefix = a->o.prefix};
	char err[256], s[16], m[18];
	int ret;

	/* The TAP's MAC is the VtepMAC once vxswitch has a port with it (net_tap sets it late). */
	if (a->have_lease || !a->have_net || !a->sw_ready || !due(&a->t_lease, now))
		return;
	r.public_ip = a->o.public_ip;
	memcpy(r.mac, a->ifi.mac, 6);
	r.ttl = a->o.ttl;
	r.rnd = arc4random();
	prev_subnet(a, &r);
	ret = fab_lease_acquire(&a->etcd, &r, &a->held, err, sizeof(err));
	if (ret < 0) {
		failed(&a->t_lease, now, RETRY_MS, "subnet lease: %s", err);
		return;
	}
	succeeded(&a->t_lease, "subnet lease");
	fprintf(stderr, "vxfabric: leased %s/%u (VtepMAC %s, %s)\n",
		fab_ip_fmt(a->held.l.subnet, s, sizeof(s)), a->held.l.plen,
		fab_mac_fmt(a->held.l.mac, m, sizeof(m)),
		a->held.lease_id != 0 ? "kept alive" : "a reservation");
	a->have_lease = true;
	a->local_ok = false;
	a->changed = true;
	a->t_keep.at = now + keep_every(a);
	a->t_keep.down = false;
}

/* The TAP's MAC changed (vxswitch restarted without a fixed mac=): write the lease again. */
static int
rewrite_mac(struct fab_agent *a, uint64_t now)
{
	uint8_t old[6];
	char m[18];
	int ret;

	memcpy(old, a->held.l.mac, 6);
	memcpy(a->held.l.mac, a->ifi.mac, 6);
	ret = fab_lease_rewrite(&a->etcd, a->o.prefix, &a->net, &a->held);
	if (ret == 0) {
		fprintf(stderr, "vxfabric: lease written again with VtepMAC %s\n",
			fab_mac_fmt(a->held.l.mac, m, sizeof(m)));
		return 0;
	}
	memcpy(a->held.l.mac, old, 6);
	if (ret == -EEXIST) {
		/* The key is not ours any more: take a subnet again. */
		a->have_lease = false;
		a->local_ok = false;
		a->t_lease.at = now;
	} else {
		failed(&a->t_keep, now, RETRY_MS, "lease update: %s", a->etcd.err);
	}
	return ret;
}

/* Keep the etcd lease alive. */
static void
step_keep(struct fab_agent *a, uint64_t now)
{
	int64_t ttl;
	int ret;

	if (!a->have_lease || !due(&a->t_keep, now))
		return;
	if (a->sw_ready && memcmp(a->ifi.mac, a->held.l.mac, 6) != 0 && rewrite_mac(a, now) < 0)
		return;
	if (a->held.lease_id == 0) {
		a->t_keep.at = now + keep_every(a);
		return;
	}
	ret = fab_etcd_keepalive(&a->etcd, a->held.lease_id, &ttl);
	if (ret == -ENOENT) {
		fprintf(stderr, "vxfabric: our etcd lease expired: taking the subnet again\n");
		a->have_lease = false;
		a->t_lease.at = now;
		return;
	}
	if (ret < 0) {
		failed(&a->t_keep, now, RETRY_MS, "lease keepalive: %s", a->etcd.err);
		return;
	}
	succeeded(&a->t_keep, "lease keepalive");
	a->t_keep.at = now + keep_every(a);
}

/* The TAP's address (SUBNET.0/32) and MTU, and the subnet file. */
static void
step_local(struct fab_agent *a, uint64_t now)
{
	uint32_t sub = a->held.l.subnet;
	int ifx = a->ifi.ifindex, ret = 0;
	char buf[sizeof(a->env)];

	if (a->local_ok || !a->have_lease || ifx == 0 || !a->sw_ready || !due(&a->t_local, now))
		return;
	/*
	 * The new address before the old one goes: the kernel flushes every
	 * IPv4 route through a device that loses its last address.
	 */
	ret = fab_nl_addr(&a->nl, ifx, sub, 32, true);
	if (ret == 0 && a->addr_subnet != 0 && a->addr_ifindex == ifx && a->addr_subnet != sub) {
		fab_nl_addr(&a->nl, ifx, a->addr_subnet, 32, false);
		a->k_full = true;
	}
	if (ret == 0 && a->sw.mtu != 0 && a->ifi.mtu != a->sw.mtu) {
		ret = fab_nl_set_mtu(&a->nl, ifx, a->sw.mtu);
		a->ifi.mtu = ret == 0 ? a->sw.mtu : a->ifi.mtu;
	}
	fab_env_fmt(buf, sizeof(buf), &a->net, sub, a->held.l.plen, a->sw.mtu);
	if (ret == 0 && a->o.subnet_file[0] != '\0' && strcmp(buf, a->env) != 0) {
		ret = fab_file_write(a->o.subnet_file, buf, strlen(buf), true);
		if (ret == 0)
			strlcpy(a->env, buf, sizeof(a->env));
	}
	if (ret < 0) {
		failed(&a->t_local, now, RETRY_MS, "%s: address, MTU or %s: %s", a->o.iface,
		       a->o.subnet_file, strerror(-ret));
		return;
	}
	succeeded(&a->t_local, a->o.iface);
	a->addr_subnet = sub;
	a->addr_ifindex = ifx;
	a->local_ok = true;
}

/* A full range read into a new view; then watch from the revision after it. */
static void
step_sync(struct fab_agent *a, uint64_t now)
{
	struct fab_view nv = {0};
	struct fab_kvs kvs;
	char prefix[256], err[256];
	int ret;

	if (a->synced || !a->have_lease || !due(&a->t_sync, now))
		return;
	snprintf(prefix, sizeof(prefix), "%s" FAB_SUBNETS, a->o.prefix);
	ret = fab_etcd_range(&a->etcd, prefix, &kvs);
	if (ret < 0) {
		failed(&a->t_sync, now, RETRY_MS, "etcd: %s", a->etcd.err);
		return;
	}
	for (size_t i = 0; i < kvs.n; i++) {
		const struct fab_kv *kv = &kvs.kv[i];

		ret = fab_view_apply(&nv, &a->view, &a->net, a->o.prefix, kv->key, kv->klen,
				     kv->val, kv->vlen, false, err, sizeof(err));
		if (ret == -EINVAL)
			fprintf(stderr, "vxfabric: %s: malformed lease, skipped: %s\n", kv->key,
				err);
	}
	ret = fab_etcd_watch_start(&a->etcd, prefix, kvs.rev + 1);
	fab_kvs_free(&kvs);
	if (ret < 0) {
		fab_view_free(&nv);
		failed(&a->t_sync, now, RETRY_MS, "etcd watch: %s", strerror(-ret));
		return;
	}
	succeeded(&a->t_sync, "etcd");
	fab_view_free(&a->view);
	a->view = nv;
	a->synced = true;
	a->changed = a->sw_full = a->k_full = true;
	fprintf(stderr, "vxfabric: %zu leases read from %s; watching\n", a->view.n,
		fab_etcd_endpoint(&a->etcd));
}

static void
step_reconcile(struct fab_agent *a, uint64_t now)
{
	struct fab_rc rc = {0};

	if (!a->synced)
		return;
	if (due(&a->t_full, now)) {
		a->sw_full = a->k_full = true;
		a->t_full.at = now + FULL_MS;
	}
	if (a->changed && fab_reconcile_want(a) < 0)
		return;
	rc.sw = a->sw_ready && (a->sw_full || a->changed);
	rc.sw_full = a->sw_full;
	rc.k = a->ifi.ifindex != 0 && a->local_ok && (a->k_full || a->changed);
	rc.k_full = a->k_full;
	if (rc.sw || rc.k)
		fab_reconcile(a, &rc);
	/* A target left out, or that failed, gets a full pass when it can. */
	a->sw_full = rc.sw ? rc.sw_ret < 0 : a->sw_full || a->changed;
	a->k_full = rc.k ? rc.k_ret < 0 : a->k_full || a->changed;
	a->changed = false;
}

uint64_t
fab_agent_step(struct fab_agent *a)
{
	uint64_t now = fab_now_ms(), next = now + MAX_WAIT_MS;
	const struct fab_timer *t[] = {&a->t_net,   &a->t_sw,	 &a->t_if,
				       &a->t_lease, &a->t_local, &a->t_sync};

	step_net(a, now);
	step_if(a, now);
	step_sw(a, now);
	step_lease(a, now);
	step_keep(a, now);
	step_local(a, now);
	step_sync(a, now);
	step_reconcile(a, now);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i]->at > now && t[i]->at < next)
			next = t[i]->at;
	if (a->have_lease && a->t_keep.at < next)
		next = a->t_keep.at;
	/* A target that failed is retried within a second. */
	if ((a->sw_full && a->sw_ready) || (a->k_full && a->ifi.ifindex != 0))
		next = now + RETRY_MS < next ? now + RETRY_MS : next;
	return next;
}

/* An event on our own key: it must still say what we wrote. */
static void
own_event(struct fab_agent *a, const struct fab_wev *ev)
{
	char err[128], s[16];
	struct fab_lease l;

	/* Older than our last write: a lease of ours that expired before we took it again. */
	if (ev->kv.mod_rev < a->held.mod_rev)
		return;
	fab_ip_fmt(a->held.l.subnet, s, sizeof(s));
	if (!ev->del &&
	    fab_lease_parse(ev->kv.val, ev->kv.vlen, &a->net, &l, err, sizeof(err)) == 0 &&
	    l.public_ip == a->o.public_ip) {
		a->held.mod_rev = ev->kv.mod_rev;
		return;
	}
	fprintf(stderr, "vxfabric: our lease of %s was %s: taking a subnet again\n", s,
		ev->del ? "deleted" : "overwritten");
	a->have_lease = false;
	a->local_ok = false;
	a->t_lease.at = 0;
}

static void
log_event(const struct fab_agent *a, const struct fab_wev *ev)
{
	char s[16], ip[16], m[18];
	struct fab_lease l;
	uint8_t plen;

	if (fab_key_parse(ev->kv.key, ev->kv.klen, a->o.prefix, &l.subnet, &plen) < 0)
		return;
	fab_ip_fmt(l.subnet, s, sizeof(s));
	if (ev->del) {
		fprintf(stderr, "vxfabric: lease %s/%u gone\n", s, plen);
		return;
	}
	if (fab_view_find(&a->view, l.subnet) == NULL)
		return;
	l = *fab_view_find(&a->view, l.subnet);
	fprintf(stderr, "vxfabric: lease %s/%u: PublicIP %s VtepMAC %s\n", s, plen,
		fab_ip_fmt(l.public_ip, ip, sizeof(ip)), fab_mac_fmt(l.mac, m, sizeof(m)));
}

void
fab_agent_events(struct fab_agent *a)
{
	char own[256], err[256];
	struct fab_wev ev;
	int ret;

	if (a->have_lease)
		fab_key_fmt(a->o.prefix, a->held.l.subnet, a->held.l.plen, own, sizeof(own));
	while ((ret = fab_etcd_watch_next(&a->etcd, &ev)) == 1) {
		if (a->have_lease && strcmp(ev.kv.key, own) == 0)
			own_event(a, &ev);
		ret = fab_view_apply(&a->view, NULL, &a->net, a->o.prefix, ev.kv.key, ev.kv.klen,
				     ev.kv.val, ev.kv.vlen, ev.del, err, sizeof(err));
		if (ret == 1) {
			a->changed = true;
			log_event(a, &ev);
		} else if (ret == -EINVAL) {
			fprintf(stderr, "vxfabric: %s: malformed lease, skipped: %s\n", ev.kv.key,
				err);
		}
		fab_kv_free(&ev.kv);
	}
	if (ret < 0 && a->synced) {
		fprintf(stderr, "vxfabric: %s: reading everything again\n", a->etcd.werr);
		a->synced = false;
		/* Start over on the next endpoint. */
		a->etcd.cur = (a->etcd.wep + 1) % a->etcd.n_ep;
		a->t_sync.at = 0;
	}
}

void
fab_agent_kernel_events(struct fab_agent *a)
{
	unsigned int ev = fab_nl_monitor_read(&a->mon, a->ifi.ifindex, a->o.iface);

	if (ev & FAB_NL_LINK)
		a->t_if.at = 0;
	/* Something of ours may be gone: the address, MTU and entries are checked again. */
	if (ev & FAB_NL_REMOVED) {
		a->local_ok = false;
		a->k_full = true;
	}
}

void
fab_agent_sw_hup(struct fab_agent *a)
{
	char c;

	if (recv(a->sw.c.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0 && a->sw_ready)
		fprintf(stderr, "vxfabric: vxswitch sent bytes nobody asked for: reconnecting\n");
	else
		fprintf(stderr, "vxfabric: vxswitch closed the connection: reconnecting\n");
	fab_vxsw_close(&a->sw);
	a->sw_ready = false;
	a->sw_full = true;
	a->t_sw.at = fab_now_ms() + SW_RETRY_MS;
	a->t_if.at = 0;
}
