/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxswitch's commands in DPDK's telemetry (rte_telemetry), beside the
 * ethdev ones that `dpdk-telemetry.py -f PREFIX` shows:
 *
 *   /vxswitch/stats             totals: ports, links, packets, learning, drops
 *   /vxswitch/links             the links' names; ",NAME": that link's counters
 *   /vxswitch/fdb/count         FDB entries, capacity, static ones; ",NAME": one link's
 *   /vxswitch/drops             every drop reason with its count
 *
 * The telemetry library calls these on its own threads (one per client),
 * but the model they read belongs to the control thread, which takes no
 * lock. So a callback only posts its request in a mailbox, wakes the
 * control loop through an eventfd that loop waits on (vx_server_watch),
 * and waits for the answer, at most TEL_WAIT_SEC. The control thread
 * fills the reply between two of its own steps and never waits for the
 * telemetry thread: the mutex is only held to hand the request over or
 * to fill it.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include <rte_telemetry.h>

#include "core/core.h"
#include "daemon.h"
#include "server.h"

#define TEL_WAIT_SEC 2

struct tel_req {
	const char *cmd;
	const char *params;
	struct rte_tel_data *d;
	int ret;
	bool done;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv; /* CLOCK_MONOTONIC */
	struct tel_req *pending;
	bool open;
	bool registered;
	int efd;
	const struct vx_daemon_info *di;
} mb = {.lock = PTHREAD_MUTEX_INITIALIZER, .efd = -1};

/* ---- answers (control thread) ---- */

/* name with '_' for '-': telemetry refuses '-' in a dictionary's names. */
static void
tel_add_u64(struct rte_tel_data *d, const char *name, uint64_t v)
{
	char n[RTE_TEL_MAX_STRING_LEN];

	strlcpy(n, name, sizeof(n));
	for (char *p = n; *p != '\0'; p++)
		if (*p == '-')
			*p = '_';
	rte_tel_data_add_dict_u64(d, n, v);
}

static int
tel_stats(struct vx_ctl *c, struct rte_tel_data *d)
{
	const struct vx_lcore_stats *st = vx_counters(c);
	struct vx_port_stats tot = {0};
	struct vx_fdb_totals ft;
	uint64_t drops = 0, links = 0;

	if (st == NULL)
		return -ENOMEM;
	for (unsigned int p = 0; p < VX_MAX_PORTS; p++) {
		if (!c->port[p].present)
			continue;
		tot.rx_pkts += st->port[p].rx_pkts;
		tot.rx_bytes += st->port[p].rx_bytes;
		tot.tx_pkts += st->port[p].tx_pkts;
		tot.tx_bytes += st->port[p].tx_bytes;
	}
	for (unsigned int r = 0; r < VX_DROP_MAX; r++)
		drops += st->drop[r];
	for (unsigned int b = 1; b < VX_MAX_BD; b++)
		links += c->core->link[b] != NULL;
	vx_fdb_totals(c, &ft);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "workers", mb.di->n_workers);
	rte_tel_data_add_dict_u64(d, "ports", c->n_ports);
	rte_tel_data_add_dict_u64(d, "links", links);
	rte_tel_data_add_dict_u64(d, "rx_packets", tot.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", tot.rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_packets", tot.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", tot.tx_bytes);
	rte_tel_data_add_dict_u64(d, "drops", drops);
	rte_tel_data_add_dict_u64(d, "fdb_entries", ft.entries);
	rte_tel_data_add_dict_u64(d, "fdb_capacity", ft.capacity);
	for (unsigned int e = 0; e < VX_EV_MAX; e++)
		tel_add_u64(d, vx_event_names[e], st->event[e]);
	rte_tel_data_add_dict_u64(d, "control_loop_iterations", mb.di->loop.iterations);
	rte_tel_data_add_dict_u64(d, "start_time", mb.di->start_time);
	return 0;
}

static int
tel_links(struct vx_ctl *c, const char *name, struct rte_tel_data *d)
{
	const struct vx_lcore_stats *st;
	const struct vx_bd_stats *s;
	struct vx_link *l;

	if (name == NULL || name[0] == '\0') {
		rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
		for (unsigned int b = 1; b < VX_MAX_BD; b++)
			if (c->core->link[b] != NULL)
				rte_tel_data_add_array_string(d, c->core->link[b]->name);
		return 0;
	}
	l = vx_link_find(c, name);
	st = vx_counters(c);
	if (l == NULL || st == NULL)
		return l == NULL ? -ENODEV : -ENOMEM;
	s = &st->bd[l->bd];
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", l->opt.vni);
	rte_tel_data_add_dict_u64(d, "rx_packets", s->decap_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", s->decap_bytes);
	rte_tel_data_add_dict_u64(d, "tx_packets", s->encap_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", s->encap_bytes);
	rte_tel_data_add_dict_u64(d, "local_packets", s->local_pkts);
	rte_tel_data_add_dict_u64(d, "flood_packets", s->flood_pkts);
	rte_tel_data_add_dict_u64(d, "drops", s->drops);
	rte_tel_data_add_dict_u64(d, "fdb_entries", l->n_fdb);
	rte_tel_data_add_dict_u64(d, "fdb_static", l->n_static);
	return 0;
}

static int
tel_fdb_count(struct vx_ctl *c, const char *name, struct rte_tel_data *d)
{
	struct vx_fdb_totals ft;
	struct vx_link *l;

	rte_tel_data_start_dict(d);
	if (name == NULL || name[0] == '\0') {
		vx_fdb_totals(c, &ft);
		rte_tel_data_add_dict_u64(d, "entries", ft.entries);
		rte_tel_data_add_dict_u64(d, "capacity", ft.capacity);
		rte_tel_data_add_dict_u64(d, "static", ft.statics);
		return 0;
	}
	l = vx_link_find(c, name);
	if (l == NULL)
		return -ENODEV;
	rte_tel_data_add_dict_u64(d, "entries", l->n_fdb);
	rte_tel_data_add_dict_u64(d, "static", l->n_static);
	rte_tel_data_add_dict_u64(d, "maxaddress", l->opt.maxaddress);
	return 0;
}

static int
tel_drops(struct vx_ctl *c, struct rte_tel_data *d)
{
	const struct vx_lcore_stats *st = vx_counters(c);

	if (st == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	for (unsigned int r = 0; r < VX_DROP_MAX; r++)
		tel_add_u64(d, vx_drop_names[r], st->drop[r]);
	return 0;
}

static int
tel_answer(struct vx_ctl *c, const char *cmd, const char *params, struct rte_tel_data *d)
{
	if (c->core == NULL || c->dp == NULL)
		return -ENODEV;
	if (strcmp(cmd, "/vxswitch/stats") == 0)
		return tel_stats(c, d);
	if (strcmp(cmd, "/vxswitch/links") == 0)
		return tel_links(c, params, d);
	if (strcmp(cmd, "/vxswitch/fdb/count") == 0)
		return tel_fdb_count(c, params, d);
	if (strcmp(cmd, "/vxswitch/drops") == 0)
		return tel_drops(c, d);
	return -EINVAL;
}

/* The eventfd is readable: answer the request waiting in the mailbox. */
static void
tel_serve(struct vx_ctl *c, void *arg)
{
	uint64_t v;

	RTE_SET_USED(arg);
	if (read(mb.efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		VX_LOG(WARNING, "telemetry: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&mb.lock);
	if (mb.pending != NULL) {
		struct tel_req *r = mb.pending;

		r->ret = tel_answer(c, r->cmd, r->params, r->d);
		r->done = true;
		mb.pending = NULL;
		pthread_cond_broadcast(&mb.cv);
	}
	pthread_mutex_unlock(&mb.lock);
}

/* ---- the callbacks (telemetry threads) ---- */

static int
tel_call(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct tel_req r = {.cmd = cmd, .params = params, .d = d, .ret = -ETIMEDOUT};
	const uint64_t one = 1;
	struct timespec dl;
	int ret = 0;

	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += TEL_WAIT_SEC;
	pthread_mutex_lock(&mb.lock);
	/* One request at a time: another client's goes first. */
	while (mb.open && mb.pending != NULL && ret == 0)
		ret = pthread_cond_timedwait(&mb.cv, &mb.lock, &dl);
	if (!mb.open || mb.pending != NULL) {
		pthread_mutex_unlock(&mb.lock);
		return -EAGAIN;
	}
	mb.pending = &r;
	if (write(mb.efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		ret = errno;
	while (!r.done && ret == 0)
		ret = pthread_cond_timedwait(&mb.cv, &mb.lock, &dl);
	if (!r.done && mb.pending == &r) {
		/* Withdrawn: the control thread will not see it any more. */
		mb.pending = NULL;
		pthread_cond_broadcast(&mb.cv);
	}
	pthread_mutex_unlock(&mb.lock);
	return r.ret;
}

static const struct {
	const char *cmd, *help;
} tel_cmds[] = {
	{"/vxswitch/stats", "vxswitch totals: ports, links, packets, FDB, learning. No parameters"},
	{"/vxswitch/links",
	 "vxswitch links: their names; with a name, its counters. Parameter: link"},
	{"/vxswitch/fdb/count",
	 "vxswitch FDB entries and capacity; with a link name, that link's. Parameter: link"},
	{"/vxswitch/drops", "vxswitch drops by reason. No parameters"},
};

int
vx_telemetry_init(struct vx_ctl *c, const struct vx_daemon_info *di)
{
	pthread_condattr_t ca;
	int ret;

	mb.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (mb.efd < 0)
		return -errno;
	ret = vx_server_watch(c, mb.efd, tel_serve, NULL);
	if (ret < 0)
		goto err_close;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mb.cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_lock(&mb.lock);
	mb.di = di;
	mb.open = true;
	pthread_mutex_unlock(&mb.lock);
	/* Commands cannot be unregistered: once per process; closed, they answer -EAGAIN. */
	for (size_t i = 0; i < RTE_DIM(tel_cmds) && !mb.registered; i++) {
		ret = rte_telemetry_register_cmd(tel_cmds[i].cmd, tel_call, tel_cmds[i].help);
		if (ret < 0)
			VX_LOG(WARNING, "telemetry: %s: %s", tel_cmds[i].cmd, strerror(-ret));
	}
	mb.registered = true;
	return 0;

err_close:
	close(mb.efd);
	mb.efd = -1;
	return ret;
}

void
vx_telemetry_fini(struct vx_ctl *c)
{
	if (mb.efd < 0)
		return;
	pthread_mutex_lock(&mb.lock);
	mb.open = false;
	if (mb.pending != NULL) {
		mb.pending->ret = -ENODEV;
		mb.pending->done = true;
		mb.pending = NULL;
	}
	pthread_cond_broadcast(&mb.cv);
	pthread_mutex_unlock(&mb.lock);
	vx_server_unwatch(c, mb.efd);
	close(mb.efd);
	mb.efd = -1;
}
