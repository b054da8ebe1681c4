/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control core against a real struct vx_dp (EAL, no hugepages, no
 * workers): commands publish links, ports, flood lists, VTEPs and static
 * FDB entries; learn requests pushed into a learn ring are applied with
 * every rule; ageing follows a controlled dp->now; save then replay into
 * a fresh control thread gives the same show output.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/inet.h"
#include "underlay/underlay.h"

#include "ctl_harness.h"

static uint64_t
key_of(struct vx_ctl *c, const char *link, const char *mac)
{
	struct rte_ether_addr m;

	assert_int_equal(vx_parse_mac(mac, &m), 0);
	return vx_fdb_key(vx_link_find(c, link)->bd, &m);
}

static uint64_t
ev(struct vx_ctl *c, enum vx_event e)
{
	return c->dp->stats[VX_STATS_CONTROL].event[e];
}

static void
test_link_publish(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_link *l;
	struct vx_bd *bd;
	struct vx_out out = {0};
	uint16_t b;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
	      "dev net_af_packet2 srcport 40000 40100 ageing 30 maxaddress 5 udpcsum");
	l = vx_link_find(c, "vxlan10");
	b = l->bd;
	assert_int_equal(c->dp->vni_bd[10], b);
	bd = c->dp->bd[b];
	assert_non_null(bd);
	assert_int_equal(bd->vni, 10);
	assert_int_equal(bd->dstport, 4789);
	assert_int_equal(bd->srcport_min, 40000);
	assert_int_equal(bd->srcport_max, 40100);
	assert_int_equal(bd->ageing, 30);
	assert_int_equal(bd->maxaddress, 5);
	assert_true(bd->flags & VX_BD_UDPCSUM);
	assert_true(bd->flags & VX_BD_LEARNING);
	/* The underlay its frames must arrive over (decap's vni-underlay). */
	assert_int_equal(bd->family, AF_INET);
	assert_int_equal(bd->local.family, AF_INET);
	assert_int_equal(bd->local.v4.s_addr, inet_addr("198.51.100.1"));
	assert_int_equal(bd->n_flood, 1);
	assert_non_null(c->dp->vtep[bd->flood[0]]);
	assert_int_equal(c->dp->vtep[bd->flood[0]]->remote.v4.s_addr, inet_addr("198.51.100.2"));
	assert_int_equal(c->dp->vtep[bd->flood[0]]->dstport, 4789);
	assert_int_equal(c->dp->vtep[bd->flood[0]]->vni, 10);
	assert_int_equal(c->dp->local->n_dstport, 1);
	assert_int_equal(c->dp->local->dstport[0], 4789);
	assert_true(c->dp->port[2]->flags & VX_PORT_UNDERLAY);

	/* Flood list: append, duplicate, delete. */
	ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3");
	ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.4");
	bd = c->dp->bd[b];
	assert_int_equal(bd->n_flood, 3);
	assert_int_equal(c->dp->vtep[bd->flood[2]]->remote.v4.s_addr, inet_addr("198.51.100.4"));
	assert_int_equal(bad(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.4"),
			 -EEXIST);
	ok(c, "fdb del 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3");
	bd = c->dp->bd[b];
	assert_int_equal(bd->n_flood, 2);
	assert_int_equal(c->dp->vtep[bd->flood[1]]->remote.v4.s_addr, inet_addr("198.51.100.4"));

	/* Access ports. */
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "link set dev net_af_packet1 master vxlan10 vlan 20");
	assert_true(c->dp->port[0]->flags & VX_PORT_ACCESS);
	assert_int_equal(c->dp->port[0]->vlan_bd[0], b);
	assert_int_equal(c->dp->port[1]->vlan_bd[20], b);
	assert_int_equal(c->dp->port[1]->vlan_bd[0], 0);
	bd = c->dp->bd[b];
	assert_int_equal(bd->n_members, 2);

	/* A second link with another dstport: both ports listened on. */
	ok(c, "link add vxlan20 type vxlan id 20 dstport 8472 local 198.51.100.1");
	assert_int_equal(c->dp->local->n_dstport, 2);

	/* Delete: vni_bd cleared, bd unpublished, ports detached, VTEPs released. */
	assert_int_equal(runf(c, 0, &out, "link del vxlan10"), 0);
	assert_non_null(strstr(out.buf, "2 flood entries"));
	assert_int_equal(c->dp->vni_bd[10], 0);
	assert_null(c->dp->bd[b]);
	assert_int_equal(c->dp->port[0]->vlan_bd[0], 0);
	assert_false(c->dp->port[0]->flags & VX_PORT_ACCESS);
	assert_false(c->dp->port[2]->flags & VX_PORT_UNDERLAY);
	for (unsigned int i = 1; i < 16; i++)
		assert_null(c->dp->vtep[i]);
	assert_int_equal(c->core->n_vtep, 0);
	assert_int_equal(c->dp->local->n_dstport, 1);
	assert_int_equal(c->dp->local->dstport[0], 8472);
	vx_out_free(&out);
	free_ctl(c);
}

/*
 * bum-rate: the GCRA interval and burst of every worker published in the
 * link's struct vx_bd (the rate split over the workers), changed and
 * turned off by `link set`, shown, refused out of range.
 */
static void
test_link_bum_rate(void **state)
{
	struct vx_ctl *c = new_ctl_workers(2, 1024);
	struct vx_out out = {0};
	const struct vx_bd *bd;
	uint64_t hz = rte_get_tsc_hz();
	uint16_t b;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 bum-rate 1000");
	b = vx_link_find(c, "vxlan10")->bd;
	bd = c->dp->bd[b];
	/* Two workers: 500 frames a second each, bursts of 32. */
	assert_int_equal(bd->bum_interval, hz * 2 / 1000);
	assert_int_equal(bd->bum_tau, 31 * bd->bum_interval);
	assert_int_equal(runf(c, 0, &out, "link show vxlan10"), 0);
	assert_non_null(strstr(out.buf, " bum-rate 1000 "));
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "link show vxlan10"), 0);
	assert_non_null(strstr(out.buf, "\"bum_rate\":1000"));
	assert_json(out.buf);
	vx_out_reset(&out);
	vx_cli_config(c, &out);
	assert_non_null(strstr(out.buf, " bum-rate 1000\n"));

	/* A rate below 32 a second per worker: a burst of one second's share. */
	ok(c, "link set dev vxlan10 bum-rate 20");
	bd = c->dp->bd[b];
	assert_int_equal(bd->bum_interval, hz * 2 / 20);
	assert_int_equal(bd->bum_tau, 9 * bd->bum_interval);
	ok(c, "link set dev vxlan10 bum-rate 1");
	bd = c->dp->bd[b];
	assert_int_equal(bd->bum_interval, hz * 2);
	assert_int_equal(bd->bum_tau, 0);

	/* Off: no interval; show -d leaves it out, -j says 0. */
	ok(c, "link set dev vxlan10 type vxlan bum-rate 0");
	bd = c->dp->bd[b];
	assert_int_equal(bd->bum_interval, 0);
	assert_int_equal(runf(c, 0, &out, "link show vxlan10"), 0);
	assert_null(strstr(out.buf, "bum-rate"));
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "link show vxlan10"), 0);
	assert_non_null(strstr(out.buf, "\"bum_rate\":0"));

	/* Another option leaves the rate alone. */
	ok(c, "link set dev vxlan10 bum-rate 300");
	ok(c, "link set dev vxlan10 ageing 60");
	assert_int_equal(c->dp->bd[b]->bum_interval, hz * 2 / 300);

	bad_word(c, "link set dev vxlan10 bum-rate 100000001", "bum-rate");
	bad_word(c, "link set dev vxlan10 bum-rate -1", "bum-rate");
	bad_word(c, "link set dev vxlan10 bum-rate", "bum-rate");
	assert_int_equal(c->dp->bd[b]->bum_interval, hz * 2 / 300);
	vx_out_free(&out);
	free_ctl(c);
}

/*
 * srcport as the kernel takes it: 0..65535, MAX below MIN refused, MIN >= MAX
 * (`srcport 0 0`) the default range; the VTEP gets [MIN, MAX) to map into.
 */
static const struct vx_vtep *
link_vtep(struct vx_ctl *c, const char *name)
{
	const struct vx_bd *bd = c->dp->bd[vx_link_find(c, name)->bd];

	assert_int_equal(bd->n_flood, 1);
	return c->dp->vtep[bd->flood[0]];
}

static void
test_link_srcport(void **state)
{
	struct vx_ctl *c = new_ctl();

	assert_int_equal(bad_word(c,
				  "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote "
				  "198.51.100.2 dev net_af_packet2 srcport 5000 4000",
				  "MAX below MIN"),
			 -EINVAL);
	assert_int_equal(bad_word(c,
				  "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote "
				  "198.51.100.2 dev net_af_packet2 srcport 5000 65536",
				  "65536"),
			 -EINVAL);
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
	      "dev net_af_packet2 srcport 0 0");
	assert_int_equal(link_vtep(c, "vxlan10")->srcport_min, 32768);
	assert_int_equal(link_vtep(c, "vxlan10")->srcport_max, 60999);
	ok(c, "link add vxlan20 type vxlan id 20 local 198.51.100.1 remote 198.51.100.3 "
	      "dev net_af_packet2 srcport 5000 5000");
	assert_int_equal(link_vtep(c, "vxlan20")->srcport_min, 32768);
	assert_int_equal(link_vtep(c, "vxlan20")->srcport_max, 60999);
	ok(c, "link add vxlan30 type vxlan id 30 local 198.51.100.1 remote 198.51.100.4 "
	      "dev net_af_packet2 srcport 5000 5001");
	assert_int_equal(link_vtep(c, "vxlan30")->srcport_min, 5000);
	assert_int_equal(link_vtep(c, "vxlan30")->srcport_max, 5001);
	free_ctl(c);
}

static void
test_static_fdb(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};
	uint64_t k, e;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "link set dev net_af_packet1 master vxlan10 vlan 10");
	ok(c, "fdb add aa:bb:cc:dd:ee:01 dev vxlan10 dst 198.51.100.2");
	k = key_of(c, "vxlan10", "aa:bb:cc:dd:ee:01");
	e = vx_fdb_get(&c->dp->fdb, k, NULL);
	assert_true(e & VX_FDB_REMOTE);
	assert_true(e & VX_FDB_STATIC);
	assert_int_equal(c->dp->vtep[vx_fdb_index(e)]->remote.v4.s_addr, inet_addr("198.51.100.2"));
	assert_int_equal(bad(c, "fdb add aa:bb:cc:dd:ee:01 dev vxlan10 dst 198.51.100.3"), -EEXIST);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k, NULL), e); /* unchanged */
	ok(c, "fdb replace aa:bb:cc:dd:ee:01 dev vxlan10 dst 198.51.100.3 port 8472");
	e = vx_fdb_get(&c->dp->fdb, k, NULL);
	assert_int_equal(c->dp->vtep[vx_fdb_index(e)]->remote.v4.s_addr, inet_addr("198.51.100.3"));
	assert_int_equal(c->dp->vtep[vx_fdb_index(e)]->dstport, 8472);
	assert_int_equal(c->core->n_vtep, 1); /* the .2 VTEP was released */

	ok(c, "fdb add aa:bb:cc:dd:ee:02 dev net_af_packet1 master vlan 10 static");
	e = vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:bb:cc:dd:ee:02"), NULL);
	assert_false(e & VX_FDB_REMOTE);
	assert_true(e & VX_FDB_STATIC);
	assert_int_equal(vx_fdb_index(e), 1);
	assert_int_equal(vx_fdb_vlan(e), 10);
	ok(c, "fdb add aa:bb:cc:dd:ee:03 dev vxlan10 dst 198.51.100.3 dynamic");
	e = vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:bb:cc:dd:ee:03"), NULL);
	assert_false(e & VX_FDB_STATIC);
	assert_int_equal(c->core->n_vtep, 2); /* (.3, 8472) and (.3, 4789) */

	assert_int_equal(runf(c, 0, &out, "fdb show"), 0);
	assert_string_equal(
		out.buf, "aa:bb:cc:dd:ee:01 dev vxlan10 dst 198.51.100.3 port 8472 self permanent\n"
			 "aa:bb:cc:dd:ee:02 dev net_af_packet1 vlan 10 master vxlan10 static\n"
			 "aa:bb:cc:dd:ee:03 dev vxlan10 dst 198.51.100.3 self\n");
	assert_int_equal(runf(c, 0, &out, "fdb show dev net_af_packet1"), 0);
	assert_string_equal(out.buf,
			    "aa:bb:cc:dd:ee:02 dev net_af_packet1 vlan 10 master vxlan10 static\n");
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "fdb show dev net_af_packet1"), 0);
	assert_string_equal(out.buf,
			    "[{\"mac\":\"aa:bb:cc:dd:ee:02\",\"ifname\":\"net_af_packet1\","
			    "\"vlan\":10,\"flags\":[],\"master\":\"vxlan10\","
			    "\"state\":\"static\"}]\n");
	c->dp->now = 7;
	assert_int_equal(runf(c, VX_CMD_STATS, &out, "fdb show dev vxlan10"), 0);
	assert_non_null(
		strstr(out.buf, "aa:bb:cc:dd:ee:03 dev vxlan10 dst 198.51.100.3 used 7/7 self"));

	assert_int_equal(bad(c, "fdb del aa:bb:cc:dd:ee:09 dev vxlan10"), -ENOENT);
	assert_int_equal(bad(c, "fdb del aa:bb:cc:dd:ee:02 dev net_af_packet0 master"), -ENOENT);
	ok(c, "fdb del aa:bb:cc:dd:ee:03 dev vxlan10");
	assert_int_equal(c->core->n_vtep, 1);

	/* flush dev LINK: its dynamic and static (not permanent) remote entries. */
	ok(c, "fdb add aa:bb:cc:dd:ee:04 dev vxlan10 dst 198.51.100.5 static");
	assert_int_equal(runf(c, 0, &out, "fdb flush dev vxlan10"), 0);
	assert_non_null(strstr(out.buf, "removed 1 static"));
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:bb:cc:dd:ee:04"), NULL),
			 0);
	assert_int_not_equal(
		vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:bb:cc:dd:ee:01"), NULL), 0);

	/* link del says what it removes. */
	assert_int_equal(runf(c, 0, &out, "link del vxlan10"), 0);
	assert_non_null(strstr(out.buf, "removed 2 static fdb entries"));
	assert_int_equal(c->dp->fdb.count, 0);
	assert_int_equal(c->core->n_vtep, 0);
	vx_out_free(&out);
	free_ctl(c);
}

static void
push(struct vx_ctl *c, uint64_t key, uint64_t entry, const char *remote)
{
	struct vx_learn_req r;

	memset(&r, 0, sizeof(r));
	r.key = key;
	r.entry = entry;
	/* As a worker stamps it: the epoch of the link it saw the frame on. */
	if (vx_link_by_bd(c, vx_fdb_key_bd(key)) != NULL)
		r.epoch = vx_link_by_bd(c, vx_fdb_key_bd(key))->epoch;
	if (remote != NULL)
		assert_int_equal(vx_parse_ip(remote, &r.remote), 0);
	assert_int_equal(rte_ring_enqueue_elem(c->dp->learn_ring[0], &r, sizeof(r)), 0);
}

static void
test_learn_and_age(void **state)
{
	struct vx_ctl *c = new_ctl();
	uint64_t k1, k2, k3, kst, kmc, e;
	struct vx_link *l;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2 "
	      "maxaddress 4 ageing 100");
	ok(c, "link add vxlan20 type vxlan id 20 local 198.51.100.1 nolearning");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "fdb add aa:00:00:00:00:99 dev vxlan10 dst 198.51.100.9");
	l = vx_link_find(c, "vxlan10");
	k1 = key_of(c, "vxlan10", "aa:00:00:00:00:01");
	k2 = key_of(c, "vxlan10", "aa:00:00:00:00:02");
	k3 = key_of(c, "vxlan10", "aa:00:00:00:00:03");
	kst = key_of(c, "vxlan10", "aa:00:00:00:00:99");
	kmc = key_of(c, "vxlan10", "01:00:5e:00:00:01");

	c->dp->now = 10;
	push(c, k1, 0, "198.51.100.2");		   /* remote */
	push(c, k2, vx_fdb_local(0, 0, 0), NULL);  /* local */
	push(c, kst, vx_fdb_local(0, 0, 0), NULL); /* static: refused */
	push(c, kmc, vx_fdb_local(0, 0, 0), NULL); /* multicast: ignored */
	push(c, key_of(c, "vxlan20", "aa:00:00:00:00:05"), 0, "198.51.100.2"); /* nolearning */
	ok(c, "link set dev net_af_packet1 master vxlan20");
	push(c, key_of(c, "vxlan20", "aa:00:00:00:00:08"), vx_fdb_local(1, 0, 0), NULL);
	vx_core_poll(c);
	e = vx_fdb_get(&c->dp->fdb, k1, NULL);
	assert_true(e & VX_FDB_REMOTE);
	assert_false(e & VX_FDB_STATIC);
	assert_int_equal(c->dp->vtep[vx_fdb_index(e)]->remote.v4.s_addr, inet_addr("198.51.100.2"));
	assert_int_equal(c->dp->vtep[vx_fdb_index(e)]->vni, 10);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k2, NULL), vx_fdb_local(0, 0, 0));
	assert_true(vx_fdb_get(&c->dp->fdb, kst, NULL) & VX_FDB_REMOTE);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, kmc, NULL), 0);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan20", "aa:00:00:00:00:05"), NULL),
			 0);
	/* nolearning: no remote learning, local learning as a bridge port. */
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan20", "aa:00:00:00:00:08"), NULL),
			 vx_fdb_local(1, 0, 0));
	assert_int_equal(ev(c, VX_EV_LEARNED), 3);
	assert_int_equal(ev(c, VX_EV_LEARN_STATIC), 1);
	assert_int_equal(l->n_fdb, 3);

	/* Move: the remote MAC shows up locally, the local one behind another VTEP. */
	c->dp->now = 50;
	push(c, k1, vx_fdb_local(0, 0, 0), NULL);
	push(c, k2, 0, "198.51.100.3");
	vx_core_poll(c);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k1, NULL), vx_fdb_local(0, 0, 0));
	e = vx_fdb_get(&c->dp->fdb, k2, NULL);
	assert_int_equal(c->dp->vtep[vx_fdb_index(e)]->remote.v4.s_addr, inet_addr("198.51.100.3"));
	assert_int_equal(ev(c, VX_EV_MOVED), 2);
	assert_int_equal(c->core->n_vtep, 2); /* .9 (static) and .3; .2 released */

	/* maxaddress 4: the 4th entry goes in, the 5th is refused. */
	push(c, k3, vx_fdb_local(0, 0, 0), NULL);
	push(c, key_of(c, "vxlan10", "aa:00:00:00:00:04"), vx_fdb_local(0, 0, 0), NULL);
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k3, NULL), 0);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:00:00:00:00:04"), NULL),
			 0);
	assert_int_equal(ev(c, VX_EV_LEARN_LIMIT), 1);

	/* Ageing: k3 learned at 50; k1/k2 refreshed at 50. */
	c->dp->now = 150;
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k1, NULL), 0);
	c->dp->fdb.last_seen[0] = c->dp->fdb.last_seen[0]; /* no-op; positions unknown */
	{
		int32_t pos;

		assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k1, &pos), 0);
		c->dp->fdb.last_seen[pos] = 140; /* a worker saw it at 140 */
	}
	c->dp->now = 151;
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k1, NULL), 0);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k2, NULL), 0);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k3, NULL), 0);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, kst, NULL), 0); /* static never ages */
	assert_int_equal(ev(c, VX_EV_AGED), 2);
	assert_int_equal(c->core->n_vtep, 1); /* .3 released with k2 */
	assert_int_equal(l->n_fdb, 2);
	c->dp->now = 1000;
	vx_core_poll(c);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k1, NULL), 0);
	assert_int_equal(l->n_fdb, 1);

	/* A local request for a port/VLAN no longer attached to the link is dropped. */
	ok(c, "link set dev net_af_packet0 nomaster");
	push(c, key_of(c, "vxlan10", "aa:00:00:00:00:06"), vx_fdb_local(0, 0, 0), NULL);
	/* A remote of the other family is not learned on an IPv4 link. */
	push(c, key_of(c, "vxlan10", "aa:00:00:00:00:07"), 0, "2001:db8:1::7");
	vx_core_poll(c);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:00:00:00:00:06"), NULL),
			 0);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan10", "aa:00:00:00:00:07"), NULL),
			 0);

	/* ageing 0: never. */
	ok(c, "link set vxlan10 ageing 0");
	push(c, k1, 0, "198.51.100.2");
	vx_core_poll(c);
	c->dp->now = 100000;
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k1, NULL), 0);
	free_ctl(c);
}

/*
 * A port with both roles on different VLANs: an access attachment, then an
 * underlay address on another VLAN of the same port, saves and replays
 * (the save writes addresses first). The VLAN of the other role is refused
 * either way.
 */
static void
test_mixed_port_replay(void **state)
{
	struct vx_ctl *c = new_ctl(), *d;
	struct vx_out a = {0}, b = {0}, err = {0};
	char path[] = "/tmp/vxt_core_mixedXXXXXX", cmd[128];
	int fd, line;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	ok(c, "link set dev net_af_packet1 master vxlan10");
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet1 vlan 7");
	assert_int_equal(bad(c, "link set dev net_af_packet1 master vxlan10 vlan 7"), -EBUSY);
	assert_int_equal(bad(c, "addr add 2001:db8:1::9/64 dev net_af_packet1"), -EINVAL);
	ok(c, "link set dev net_af_packet2 master vxlan10 vlan 5");
	assert_int_equal(bad(c, "addr add 198.51.100.9/24 dev net_af_packet2 vlan 5"), -EBUSY);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "save %s", path);
	ok(c, cmd);
	d = new_ctl();
	if (vx_cli_replay(d, path, &line, &err) != 0)
		fail_msg("replay, line %d: %s", line, err.buf);
	assert_int_equal(runf(c, 0, &a, "link show"), 0);
	assert_int_equal(runf(d, 0, &b, "link show"), 0);
	assert_string_equal(a.buf, b.buf);
	assert_int_equal(runf(c, 0, &a, "addr show"), 0);
	assert_int_equal(runf(d, 0, &b, "addr show"), 0);
	assert_string_equal(a.buf, b.buf);
	unlink(path);
	vx_out_free(&a);
	vx_out_free(&b);
	vx_out_free(&err);
	free_ctl(d);
	free_ctl(c);
}

static void
test_save_replay(void **state)
{
	struct vx_ctl *c = new_ctl(), *d;
	struct vx_out a1 = {0}, a2 = {0}, b1 = {0}, b2 = {0}, err = {0};
	char path[] = "/tmp/vxt_core_saveXXXXXX";
	int fd, line;
	const char *cfg[] = {
		"link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
		"dev net_af_packet2 ttl 10 tos inherit df set srcport 40000 40100 ageing 60 "
		"maxaddress 100 udpcsum l2miss bum-rate 5000",
		"-6 link add vxlan20 type vxlan id 20 dstport 8472 local 2001:db8:1::1 nolearning "
		"proxy "
		"udp6zerocsumtx udp6zerocsumrx",
		"link set dev net_af_packet0 name acc0",
		"link set dev acc0 master vxlan10",
		"link set dev net_af_packet1 master vxlan10 vlan 30",
		"link set dev net_af_packet1 master vxlan20 vlan 40",
		"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3",
		"fdb append 00:00:00:00:00:00 dev vxlan20 dst 2001:db8:1::2 port 4789",
		"fdb add aa:bb:cc:dd:ee:01 dev vxlan10 dst 198.51.100.3",
		"fdb add aa:bb:cc:dd:ee:02 dev vxlan20 dst 2001:db8:1::3 vni 77 static",
		"fdb add aa:bb:cc:dd:ee:03 dev net_af_packet1 master vlan 30",
		"fdb add aa:bb:cc:dd:ee:04 dev acc0 master static",
	};

	for (unsigned int i = 0; i < RTE_DIM(cfg); i++)
		ok(c, cfg[i]);
	/* A learned entry is not saved. */
	push(c, key_of(c, "vxlan10", "aa:bb:cc:dd:ee:05"), 0, "198.51.100.7");
	vx_core_poll(c);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "save %s", path);
		ok(c, cmd);
	}
	assert_int_equal(runf(c, 0, &a1, "link show"), 0);
	assert_int_equal(runf(c, VX_CMD_JSON, &a2, "fdb show"), 0);
	assert_non_null(strstr(a2.buf, "aa:bb:cc:dd:ee:05"));
	ok(c, "fdb del aa:bb:cc:dd:ee:05 dev vxlan10");
	assert_int_equal(runf(c, VX_CMD_JSON, &a2, "fdb show"), 0);

	d = new_ctl();
	assert_int_equal(vx_cli_replay(d, path, &line, &err), 0);
	assert_int_equal(runf(d, 0, &b1, "link show"), 0);
	assert_int_equal(runf(d, VX_CMD_JSON, &b2, "fdb show"), 0);
	assert_string_equal(a1.buf, b1.buf);
	assert_string_equal(a2.buf, b2.buf);
	assert_int_equal(runf(c, VX_CMD_JSON, &a1, "link show"), 0);
	assert_int_equal(runf(d, VX_CMD_JSON, &b1, "link show"), 0);
	assert_string_equal(a1.buf, b1.buf);

	/* Every -j show is JSON. */
	assert_json(a1.buf);
	assert_json(a2.buf);
	{
		const char *shows[] = {"link show",	    "link show vxlan20", "link show acc0",
				       "fdb show",	    "fdb show dev acc0", "stats",
				       "stats dev vxlan10", "show drops"};

		for (unsigned int i = 0; i < RTE_DIM(shows); i++) {
			assert_int_equal(runf(c, VX_CMD_JSON | VX_CMD_STATS, &a1, shows[i]), 0);
			assert_json(a1.buf);
		}
	}

	/* A bad line stops the replay with its number. */
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fprintf(f, "# comment\n\nlink add vxlan30 type vxlan id 30 \\\n  ttl 9\n"
			   "fdb add zz dev vxlan30\nlink add vxlan31 type vxlan id 31\n");
		fclose(f);
	}
	assert_true(vx_cli_replay(d, path, &line, &err) < 0);
	assert_int_equal(line, 5);
	assert_non_null(strstr(err.buf, ":5: error: "));
	assert_non_null(vx_link_find(d, "vxlan30"));
	assert_int_equal(vx_link_find(d, "vxlan30")->opt.ttl, 9); /* continued line */
	assert_null(vx_link_find(d, "vxlan31"));
	unlink(path);

	vx_out_free(&a1);
	vx_out_free(&a2);
	vx_out_free(&b1);
	vx_out_free(&b2);
	vx_out_free(&err);
	free_ctl(d);
	free_ctl(c);
}

static void
test_monitor_format(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};
	uint64_t k;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	ok(c, "link set dev net_af_packet0 master vxlan10 vlan 10");
	k = key_of(c, "vxlan10", "aa:bb:cc:dd:ee:ff");
	push(c, k, 0, "198.51.100.2");
	vx_core_poll(c);
	vx_core_fdb_format(c, &out, k, vx_fdb_get(&c->dp->fdb, k, NULL), VX_ST_DYNAMIC, -1, false,
			   NULL, &(bool){true});
	assert_string_equal(out.buf, "aa:bb:cc:dd:ee:ff dev vxlan10 dst 198.51.100.2 self\n");
	vx_out_reset(&out);
	vx_core_fdb_format(c, &out, k, vx_fdb_local(0, 10, 0), VX_ST_DYNAMIC, -1, false, "Deleted ",
			   &(bool){true});
	assert_string_equal(
		out.buf, "Deleted aa:bb:cc:dd:ee:ff dev net_af_packet0 vlan 10 master vxlan10\n");

	/* ip link set NAME type vxlan OPTIONS; ip link show type vxlan. */
	ok(c, "link set vxlan10 type vxlan ttl 9");
	assert_int_equal(vx_link_find(c, "vxlan10")->opt.ttl, 9);
	assert_int_equal(runf(c, 0, &out, "link show type vxlan"), 0);
	assert_null(strstr(out.buf, "net_af_packet0"));
	assert_non_null(strstr(
		out.buf, "vxlan id 10 local 198.51.100.1 srcport 32768 60999 dstport 4789 ttl 9"));
	vx_out_free(&out);
	free_ctl(c);
}

/* Through the real underlay: a VTEP resolves, and a link option change rebuilds its header. */
static void
test_vtep_rebuild(void **state)
{
	struct vx_ctl *c = new_ctl();
	const struct vx_vtep *vt;
	uint32_t idx;

	ok(c, "addr add 198.51.100.1/24 dev net_af_packet2");
	ok(c, "neigh add 198.51.100.2 lladdr 02:00:00:00:00:22 dev net_af_packet2");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 "
	      "dev net_af_packet2");
	idx = c->dp->bd[vx_link_find(c, "vxlan10")->bd]->flood[0];
	vt = c->dp->vtep[idx];
	assert_non_null(vt);
	assert_true(vt->flags & VX_VTEP_RESOLVED);
	assert_int_equal(vt->port, 2);
	assert_int_equal(vt->hdr[vt->l3_off + 8], 64); /* IPv4 TTL */
	ok(c, "link set vxlan10 ttl 7 tos 0x0");
	vt = c->dp->vtep[idx];
	assert_int_equal(vt->hdr[vt->l3_off + 8], 7);
	assert_true(vt->flags & VX_VTEP_RESOLVED);
	ok(c, "link set vxlan10 df set");
	vt = c->dp->vtep[idx];
	assert_true(vt->hdr[vt->l3_off + 6] & 0x40); /* DF */
	free_ctl(c);
}

/* docs/vxswitch.conf.example replays, and save + replay reproduces it. */
static void
test_example_config(void **state)
{
	struct vx_ctl *c = new_ctl(), *d;
	struct vx_out err = {0}, a = {0}, b = {0};
	char path[] = "/tmp/vxt_core_exXXXXXX", cmd[128];
	int line, fd;

	/* The example's ports are PCI devices. */
	strcpy(c->port[0].name, "0000:03:00.0");
	strcpy(c->port[0].dev_name, "0000:03:00.0");
	strcpy(c->port[1].name, "0000:03:00.1");
	strcpy(c->port[1].dev_name, "0000:03:00.1");
	if (vx_cli_replay(c, VX_SOURCE_ROOT "/docs/vxswitch.conf.example", &line, &err) < 0)
		fail_msg("line %d: %s", line, err.buf);
	assert_int_equal(c->dp->port[0]->vlan_bd[10], vx_link_find(c, "vxlan10")->bd);
	assert_int_equal(c->dp->port[0]->vlan_bd[20], vx_link_find(c, "vxlan20")->bd);
	assert_int_equal(c->dp->bd[vx_link_find(c, "vxlan10")->bd]->n_flood, 2);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "save %s", path);
	ok(c, cmd);
	d = new_ctl();
	strcpy(d->port[0].name, "0000:03:00.0");
	strcpy(d->port[0].dev_name, "0000:03:00.0");
	strcpy(d->port[1].name, "0000:03:00.1");
	strcpy(d->port[1].dev_name, "0000:03:00.1");
	if (vx_cli_replay(d, path, &line, &err) < 0)
		fail_msg("line %d: %s", line, err.buf);
	const char *shows[] = {"link show", "fdb show", "addr show", "route show"};
	for (unsigned int i = 0; i < RTE_DIM(shows); i++) {
		assert_int_equal(runf(c, VX_CMD_JSON, &a, shows[i]), 0);
		assert_int_equal(runf(d, VX_CMD_JSON, &b, shows[i]), 0);
		assert_string_equal(a.buf, b.buf);
	}
	unlink(path);
	vx_out_free(&a);
	vx_out_free(&b);
	vx_out_free(&err);
	free_ctl(d);
	free_ctl(c);
}

static void
test_stats_drops(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};

	ok(c, "link add vxlan10 type vxlan id 10");
	c->dp->stats[0].drop[VX_DROP_MTU] = 3;
	c->dp->stats[VX_STATS_CONTROL].drop[VX_DROP_MTU] = 4;
	c->dp->stats[0].port[1].rx_pkts = 11;
	c->dp->stats[0].bd[vx_link_find(c, "vxlan10")->bd].encap_pkts = 5;
	assert_int_equal(runf(c, 0, &out, "show drops"), 0);
	assert_non_null(
		strstr(out.buf, "  mtu                         7  encapsulated frame larger"));
	assert_non_null(strstr(out.buf, "learn-limit"));
	assert_int_equal(runf(c, 0, &out, "stats dev net_af_packet1"), 0);
	assert_non_null(strstr(out.buf, "port net_af_packet1: rx 11 pkts"));
	assert_null(strstr(out.buf, "vxlan10"));
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "stats dev vxlan10"), 0);
	assert_non_null(strstr(out.buf, "\"encap_packets\":5"));
	assert_int_equal(runf(c, VX_CMD_STATS, &out, "link show vxlan10"), 0);
	assert_non_null(strstr(out.buf, "TX: bytes 0 packets 5"));
	/* Per-worker busy counters, as scripts/bench.sh reads them. */
	c->dp->stats[0].loops = 1000;
	c->dp->stats[0].busy_tsc = 123456;
	c->dp->stats[0].busy_pkts = 1024;
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "stats"), 0);
	assert_json(out.buf);
	assert_non_null(strstr(out.buf, "{\"kind\":\"worker\",\"id\":0,\"loops\":1000,"
					"\"busy_tsc\":123456,\"busy_pkts\":1024}"));
	assert_non_null(strstr(out.buf, "\"kind\":\"clock\",\"tsc_hz\":"));
	assert_int_equal(runf(c, 0, &out, "stats"), 0);
	assert_non_null(strstr(out.buf, "worker 0: loops 1000, busy 123456 cycles 1024 pkts, "
					"120.6 cycles/pkt\n"));
	/* Not in the per-device view. */
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "stats dev vxlan10"), 0);
	assert_null(strstr(out.buf, "\"worker\""));
	vx_out_free(&out);
	free_ctl(c);
}

/*
 * A link's MAC: given with `address` (before `type`, as ip link takes it,
 * or among the options), changed with `link set`, and saved, so that a
 * restart on ports with other MACs keeps it (hosts and peers hold it).
 */
/* A link that reuses a deleted link's bridge domain counts from zero. */
static void
test_link_counters_fresh(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_lcore_stats *st = calloc(1, sizeof(*st));
	uint16_t bd;

	(void)state;
	assert_non_null(st);
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	bd = vx_link_find(c, "vxlan10")->bd;
	/* What two workers counted for vxlan10. */
	c->dp->stats[0].bd[bd].decap_pkts += 5;
	c->dp->stats[1].bd[bd].encap_bytes += 700;
	vx_core_stats_sum(c, st);
	assert_int_equal(st->bd[bd].decap_pkts, 5);
	assert_int_equal(st->bd[bd].encap_bytes, 700);
	ok(c, "link del vxlan10");
	ok(c, "link add vxlan20 type vxlan id 20 local 198.51.100.1");
	assert_int_equal(vx_link_find(c, "vxlan20")->bd, bd);
	vx_core_stats_sum(c, st);
	assert_int_equal(st->bd[bd].decap_pkts, 0);
	assert_int_equal(st->bd[bd].encap_bytes, 0);
	c->dp->stats[0].bd[bd].decap_pkts += 2;
	vx_core_stats_sum(c, st);
	assert_int_equal(st->bd[bd].decap_pkts, 2);
	free(st);
	free_ctl(c);
}

static void
test_link_address(void **state)
{
	struct vx_ctl *c = new_ctl(), *d;
	char path[] = "/tmp/vxt_addr_XXXXXX", cmd[64];
	struct vx_out err = {0};
	struct rte_ether_addr m;
	int fd, line;

	(void)state;
	ok(c, "link add vxlan10 address 02:00:5e:00:10:01 type vxlan id 10 local 198.51.100.1");
	ok(c, "link add vxlan20 type vxlan id 20 local 198.51.100.1");
	assert_int_equal(vx_parse_mac("02:00:5e:00:10:01", &m), 0);
	assert_true(rte_is_same_ether_addr(&vx_link_find(c, "vxlan10")->mac, &m));
	assert_true(rte_is_same_ether_addr(&c->dp->bd[vx_link_find(c, "vxlan10")->bd]->mac, &m));
	ok(c, "link set dev vxlan20 address 02:00:5e:00:20:02");
	assert_int_equal(vx_parse_mac("02:00:5e:00:20:02", &m), 0);
	assert_true(rte_is_same_ether_addr(&c->dp->bd[vx_link_find(c, "vxlan20")->bd]->mac, &m));
	bad_word(c, "link set dev vxlan20 address 01:00:5e:00:00:01", "unicast");
	bad_word(c, "link add vxlan30 address zz type vxlan id 30", "MAC");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "save %s", path);
	ok(c, cmd);
	d = new_ctl();
	d->port[0].mac.addr_bytes[4] = 0x99; /* other ports: another derived MAC */
	assert_int_equal(vx_cli_replay(d, path, &line, &err), 0);
	assert_true(rte_is_same_ether_addr(&vx_link_find(d, "vxlan20")->mac, &m));
	assert_true(rte_is_same_ether_addr(&vx_link_find(d, "vxlan10")->mac,
					   &vx_link_find(c, "vxlan10")->mac));
	unlink(path);
	vx_out_free(&err);
	free_ctl(d);
	free_ctl(c);
}

/*
 * Nothing is learned behind an outer source no VTEP can have (broadcast,
 * multicast, unspecified, loopback, one of ours), nor the link's own MAC
 * as a source: counted learn-martian.
 */
static void
test_learn_martian(void **state)
{
	static const char *const bad[] = {"255.255.255.255", "224.0.0.1", "0.0.0.0", "127.0.0.1",
					  "198.51.100.1",    "ff02::1",	  "::"};
	struct vx_ctl *c = new_ctl();
	uint64_t before;
	struct vx_link *l;
	char mac[32];

	(void)state;
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet2");
	ok(c, "link add vxlan10 type vxlan id 10 dev net_af_packet2");
	l = vx_link_find(c, "vxlan10");
	before = ev(c, VX_EV_LEARN_MARTIAN);
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		snprintf(mac, sizeof(mac), "02:00:00:00:0a:%02x", i);
		push(c, key_of(c, "vxlan10", mac), 0, bad[i]);
	}
	push(c, vx_fdb_key(l->bd, &l->mac), 0, "198.51.100.2");
	push(c, vx_fdb_key(l->bd, &l->mac), vx_fdb_local(0, 0, 0), NULL);
	vx_core_poll(c);
	assert_int_equal(l->n_fdb, 0);
	assert_int_equal(c->core->n_vtep, 0);
	assert_int_equal(ev(c, VX_EV_LEARN_MARTIAN) - before, RTE_DIM(bad) + 2);
	/* A plain source still is. */
	push(c, key_of(c, "vxlan10", "02:00:00:00:0b:01"), 0, "198.51.100.2");
	vx_core_poll(c);
	assert_int_equal(l->n_fdb, 1);
	free_ctl(c);
}

/* Key of a learned MAC number i of vxlan10. */
static uint64_t
vx_fdb_key_hdr_test(struct vx_ctl *c, int i)
{
	return ((uint64_t)vx_link_find(c, "vxlan10")->bd << 48) | 0x02aa00000000ULL | (uint64_t)i;
}

/*
 * Next hops go with their VTEPs, and a VTEP learned from traffic (whose
 * outer source anyone can write) creates and probes no next hop before
 * traffic is sent to it: spoofed VXLAN cannot fill the neighbour table
 * or make the switch broadcast ARP, and the links' proxy entries have a
 * table of their own.
 */
static void
test_nexthop_refs(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_ip ip;
	char line[128];
	uint32_t nid;

	(void)state;
	ok(c, "addr add 198.51.100.1/24 dev net_af_packet2");
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 dev net_af_packet2 proxy");
	/* A static entry's VTEP resolves at once: INCOMPLETE, one user. */
	ok(c, "fdb add 02:00:00:00:00:60 dev vxlan10 dst 198.51.100.60");
	assert_int_equal(vx_parse_ip("198.51.100.60", &ip), 0);
	assert_non_null(vx_neigh_find(&c->ul->nt, 2, &ip));
	assert_int_equal(vx_neigh_find(&c->ul->nt, 2, &ip)->refs, 1);
	nid = vx_neigh_find(&c->ul->nt, 2, &ip)->id;
	ok(c, "fdb del 02:00:00:00:00:60 dev vxlan10");
	vx_vtep_flush_retired(c);
	assert_null(vx_neigh_get(&c->ul->nt, nid)); /* went with its VTEP */

	/* 2000 learned VTEPs from on-link sources: no neighbour entry at all. */
	for (int i = 0; i < 2000; i++) {
		struct vx_learn_req r = {.key = vx_fdb_key_hdr_test(c, i), .tsc = i};

		r.epoch = vx_link_find(c, "vxlan10")->epoch;
		r.remote.family = AF_INET;
		r.remote.v4.s_addr = htonl(0xc6336400u + 2 + (i % 250)); /* 198.51.100.2-251 */
		assert_int_equal(rte_ring_enqueue_elem(c->dp->learn_ring[0], &r, sizeof(r)), 0);
	}
	vx_core_poll(c);
	assert_true(c->core->n_vtep >= 250);
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++)
		assert_int_equal(c->ul->nt.n[i].id != 0 && c->ul->nt.n[i].port == 2, 0);
	/* Proxy entries and static neighbours still go in. */
	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line),
			 "neigh add 203.0.113.%d lladdr 02:00:00:00:01:%02x dev vxlan10", 10 + i,
			 i);
		ok(c, line);
	}
	ok(c, "neigh add 198.51.100.250 lladdr 02:00:00:00:02:50 dev net_af_packet2");
	free_ctl(c);
}

/* A learn request as worker w pushes it, stamped with the link's epoch now and time tsc. */
static void
push_at(struct vx_ctl *c, uint16_t w, uint64_t key, uint64_t entry, uint64_t tsc)
{
	struct vx_learn_req r = {.key = key, .entry = entry, .worker = w, .tsc = tsc};

	r.epoch = vx_link_by_bd(c, vx_fdb_key_bd(key))->epoch;
	assert_int_equal(rte_ring_enqueue_elem(c->dp->learn_ring[w], &r, sizeof(r)), 0);
}

/*
 * A learn request carries its link's epoch: one made before the link was
 * deleted and its bridge domain given to a new link, or before `fdb
 * flush`, is dropped (learn-stale), never applied to the new link or
 * re-adding what the flush removed.
 */
static void
test_learn_stale(void **state)
{
	struct vx_ctl *c = new_ctl();
	uint64_t k10, stale;
	uint16_t bd;

	(void)state;
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	bd = vx_link_find(c, "vxlan10")->bd;
	k10 = key_of(c, "vxlan10", "02:00:00:00:00:10");
	push(c, k10, 0, "198.51.100.2");
	stale = ev(c, VX_EV_LEARN_STALE);
	/* In one batch, before the next poll: the bd number is reused. */
	ok(c, "link del vxlan10");
	ok(c, "link add vxlan20 type vxlan id 20 local 198.51.100.1");
	assert_int_equal(vx_link_find(c, "vxlan20")->bd, bd);
	vx_core_poll(c);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k10, NULL), 0);
	assert_int_equal(vx_link_find(c, "vxlan20")->n_fdb, 0);
	assert_int_equal(c->core->n_vtep, 0);
	assert_int_equal(ev(c, VX_EV_LEARN_STALE) - stale, 1);

	/* fdb flush: a request in flight does not put back what it removed. */
	k10 = key_of(c, "vxlan20", "02:00:00:00:00:20");
	push(c, k10, 0, "198.51.100.2");
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k10, NULL), 0);
	push(c, k10, 0, "198.51.100.3");
	ok(c, "fdb flush dev vxlan20");
	vx_core_poll(c);
	assert_int_equal(vx_fdb_get(&c->dp->fdb, k10, NULL), 0);
	assert_int_equal(ev(c, VX_EV_LEARN_STALE) - stale, 2);
	/* Requests made after the flush are learned. */
	push(c, k10, 0, "198.51.100.3");
	vx_core_poll(c);
	assert_int_not_equal(vx_fdb_get(&c->dp->fdb, k10, NULL), 0);
	free_ctl(c);
}

/*
 * The rings of all workers are applied in time order: a host that moved
 * from a port polled by worker 1 to one polled by worker 0 within one
 * control poll ends up on its new port, whatever order the rings are in.
 */
static void
test_learn_time_order(void **state)
{
	struct vx_ctl *c = new_ctl_workers(2, 1024);
	uint64_t k, e;

	(void)state;
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	ok(c, "link set dev net_af_packet1 master vxlan10");
	k = key_of(c, "vxlan10", "02:00:00:00:00:77");
	push_at(c, 1, k, vx_fdb_local(0, 0, 0), 1000); /* seen first on port 0 by worker 1 */
	push_at(c, 0, k, vx_fdb_local(1, 0, 0), 2000); /* then on port 1 by worker 0 */
	vx_core_poll(c);
	e = vx_fdb_get(&c->dp->fdb, k, NULL);
	assert_int_equal(vx_fdb_index(e), 1);
	/* And back, the other way round. */
	push_at(c, 0, k, vx_fdb_local(1, 0, 0), 3000);
	push_at(c, 1, k, vx_fdb_local(0, 0, 0), 4000);
	vx_core_poll(c);
	e = vx_fdb_get(&c->dp->fdb, k, NULL);
	assert_int_equal(vx_fdb_index(e), 0);
	free_ctl(c);
}

/*
 * A flood-list change is published before its VTEP references go: when
 * the publication fails (fault injection) the published link, its VTEPs
 * and the model are left as they were, so no published link ever names a
 * VTEP whose index may be reused.
 */
static void
test_flood_publish_first(void **state)
{
	struct vx_ctl *c = new_ctl();
	struct vx_out out = {0};
	const struct vx_bd *bd;
	struct vx_link *l;
	uint32_t va, vr;

	(void)state;
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.9");
	ok(c, "fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2");
	l = vx_link_find(c, "vxlan10");
	vr = l->flood[0].vtep;
	va = l->flood[1].vtep;

	c->core->fail_bd_publish = 1;
	assert_true(runf(c, 0, &out, "fdb del 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2") < 0);
	bd = c->dp->bd[l->bd];
	assert_int_equal(bd->n_flood, 2);
	assert_int_equal(bd->flood[1], va);
	assert_non_null(c->dp->vtep[va]); /* still published: the link still names it */
	assert_int_equal(l->n_flood, 2);
	assert_int_equal(c->core->n_vtep, 2);

	c->core->fail_bd_publish = 1;
	assert_true(runf(c, 0, &out, "link set vxlan10 remote 198.51.100.8") < 0);
	assert_non_null(c->dp->vtep[vr]);
	assert_int_equal(c->dp->bd[l->bd]->flood[0], vr);
	assert_true(vx_ip_eq(&l->opt.remote, &l->flood[0].dst));

	/* Without the fault both go through and give their references back. */
	ok(c, "fdb del 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2");
	assert_int_equal(c->dp->bd[l->bd]->n_flood, 1);
	assert_null(c->dp->vtep[va]);
	ok(c, "link set vxlan10 remote 198.51.100.8");
	assert_null(c->dp->vtep[vr]);
	assert_int_equal(c->core->n_vtep, 1);
	vx_out_free(&out);
	free_ctl(c);
}

/*
 * Ageing removes every expired entry within one pass, however many expire
 * at once: 5000 learned entries idle past their ageing are all gone after
 * the polls of one second (a pass takes at most 50 polls).
 */
static void
test_age_every_entry(void **state)
{
	struct vx_ctl *c = new_ctl_sized(8192);
	char mac[32];

	(void)state;
	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 ageing 30");
	c->dp->now = 100;
	for (int i = 0; i < 5000; i++) {
		snprintf(mac, sizeof(mac), "02:aa:00:00:%02x:%02x", i >> 8, i & 0xff);
		push(c, key_of(c, "vxlan10", mac), 0, "198.51.100.2");
	}
	vx_core_poll(c);
	assert_int_equal(vx_link_find(c, "vxlan10")->n_fdb, 5000);
	/* Still young one second before: nothing goes. */
	c->dp->now = 130;
	for (int i = 0; i < 50; i++)
		vx_core_poll(c);
	assert_int_equal(vx_link_find(c, "vxlan10")->n_fdb, 5000);
	c->dp->now = 131;
	for (int i = 0; i < 50; i++)
		vx_core_poll(c);
	assert_int_equal(vx_link_find(c, "vxlan10")->n_fdb, 0);
	assert_int_equal(c->dp->fdb.count, 0);
	assert_int_equal(ev(c, VX_EV_AGED), 5000);
	assert_int_equal(c->core->n_vtep, 0);
	free_ctl(c);
}

/*
 * The control loop polls after every command and every learn batch: that
 * must not cost a pass of ageing each time (it made a 1M-line static load
 * take minutes). Counts positions examined, not time: within one second,
 * however many polls, at most one pass over the table.
 */
static void
test_poll_work_bounded(void **state)
{
	struct vx_ctl *c = new_ctl();
	uint32_t nslots = c->dp->fdb.nslots;
	uint64_t walked, learned;
	char line[128];

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1");
	c->dp->now = 5;
	for (int i = 0; i < 600; i++) {
		snprintf(line, sizeof(line),
			 "fdb add 02:00:00:00:%02x:%02x dev vxlan10 dst 198.51.100.2", i >> 8,
			 i & 0xff);
		ok(c, line);
		vx_core_poll(c);
	}
	assert_true(c->core->age_walked <= nslots);
	/* A new second: one more pass, spread over polls. */
	walked = c->core->age_walked;
	c->dp->now = 6;
	for (int i = 0; i < 100; i++)
		vx_core_poll(c);
	assert_int_equal(c->core->age_walked - walked, nslots);

	/* A whole ring of learn requests goes in one poll, and the table keeps every rule. */
	learned = ev(c, VX_EV_LEARNED);
	for (int i = 0; i < 300; i++) {
		snprintf(line, sizeof(line), "aa:00:00:00:%02x:%02x", i >> 8, i & 0xff);
		push(c, key_of(c, "vxlan10", line), 0, "198.51.100.3");
	}
	/* Static ones are not overwritten. */
	push(c, key_of(c, "vxlan10", "02:00:00:00:00:07"), 0, "198.51.100.3");
	vx_core_poll(c);
	assert_int_equal(rte_ring_count(c->dp->learn_ring[0]), 0);
	assert_int_equal(ev(c, VX_EV_LEARNED) - learned, 300);
	assert_int_equal(vx_link_find(c, "vxlan10")->n_fdb, 900);
	assert_true(ev(c, VX_EV_LEARN_STATIC) >= 1);

	/*
	 * In one drained batch: a key twice (second is a move), and a link
	 * maxaddress reached in the middle of the batch.
	 */
	ok(c, "link add vxlan30 type vxlan id 30 local 198.51.100.1 maxaddress 3");
	learned = ev(c, VX_EV_LEARNED);
	push(c, key_of(c, "vxlan30", "aa:00:00:00:30:01"), 0, "198.51.100.4");
	push(c, key_of(c, "vxlan30", "aa:00:00:00:30:01"), 0, "198.51.100.5");
	for (int i = 2; i < 6; i++) {
		snprintf(line, sizeof(line), "aa:00:00:00:30:%02x", i);
		push(c, key_of(c, "vxlan30", line), 0, "198.51.100.4");
	}
	vx_core_poll(c);
	assert_int_equal(ev(c, VX_EV_LEARNED) - learned, 3);
	assert_int_equal(vx_link_find(c, "vxlan30")->n_fdb, 3);
	assert_int_equal(ev(c, VX_EV_MOVED), 1);
	{
		uint64_t e =
			vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan30", "aa:00:00:00:30:01"), NULL);
		const struct vx_vtep *vt = c->dp->vtep[vx_fdb_index(e)];

		assert_non_null(vt);
		assert_int_equal(vt->remote.bytes[3], 5);
	}
	assert_int_equal(vx_fdb_get(&c->dp->fdb, key_of(c, "vxlan30", "aa:00:00:00:30:04"), NULL),
			 0);
	free_ctl(c);
}

/*
 * After a big static load (bench decap4-1m: one million `fdb add`
 * lines), `stats` must still answer, with the right counts, and the
 * static/permanent state of each entry (one bit per FDB position) must
 * hold across replace, delete and re-add. No timing: only correctness.
 */
#define MANY_ENTRIES 200000

static void
test_many_entries_stats(void **state)
{
	struct vx_ctl *c = new_ctl_sized(MANY_ENTRIES + 1024);
	struct vx_out out = {0};
	char line[128], want[128];
	uint64_t k;

	ok(c, "link add vxlan10 type vxlan id 10 local 198.51.100.1 nolearning");
	ok(c, "link set dev net_af_packet0 master vxlan10");
	for (uint32_t i = 0; i < MANY_ENTRIES; i++) {
		snprintf(line, sizeof(line),
			 "fdb add 02:00:0a:%02x:%02x:%02x dev net_af_packet0 master%s",
			 (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, (i % 2) ? " static" : "");
		ok(c, line);
		if (i % 4096 == 0)
			vx_core_poll(c);
	}
	assert_int_equal(c->dp->fdb.count, MANY_ENTRIES);
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "stats"), 0);
	assert_json(out.buf);
	snprintf(want, sizeof(want), "\"fdb_entries\":%u,\"fdb_static\":%u}", MANY_ENTRIES,
		 MANY_ENTRIES);
	assert_non_null(strstr(out.buf, want));
	assert_non_null(strstr(out.buf, "{\"kind\":\"learn\",\"learned\":0,"));
	assert_int_equal(runf(c, 0, &out, "stats"), 0);
	snprintf(want, sizeof(want), "fdb %u (%u static)", MANY_ENTRIES, MANY_ENTRIES);
	assert_non_null(strstr(out.buf, want));

	/* Every other entry is `static`, the rest permanent. */
	for (uint32_t i = 0; i < MANY_ENTRIES; i += 9973) {
		snprintf(line, sizeof(line), "02:00:0a:%02x:%02x:%02x", (i >> 16) & 0xff,
			 (i >> 8) & 0xff, i & 0xff);
		k = key_of(c, "vxlan10", line);
		assert_int_equal(vx_core_fdb_state(c, k, vx_fdb_get(&c->dp->fdb, k, NULL)),
				 (i % 2) ? VX_ST_STATIC : VX_ST_PERMANENT);
	}
	/* static -> permanent by replace; delete and re-add; dynamic. */
	k = key_of(c, "vxlan10", "02:00:0a:00:00:01");
	ok(c, "fdb replace 02:00:0a:00:00:01 dev net_af_packet0 master");
	assert_int_equal(vx_core_fdb_state(c, k, vx_fdb_get(&c->dp->fdb, k, NULL)),
			 VX_ST_PERMANENT);
	ok(c, "fdb replace 02:00:0a:00:00:01 dev net_af_packet0 master static");
	assert_int_equal(vx_core_fdb_state(c, k, vx_fdb_get(&c->dp->fdb, k, NULL)), VX_ST_STATIC);
	ok(c, "fdb del 02:00:0a:00:00:01 dev net_af_packet0 master");
	vx_fdb_reclaim(&c->dp->fdb, true);
	ok(c, "fdb add 02:00:0a:00:00:01 dev net_af_packet0 master");
	assert_int_equal(vx_core_fdb_state(c, k, vx_fdb_get(&c->dp->fdb, k, NULL)),
			 VX_ST_PERMANENT);
	ok(c, "fdb replace 02:00:0a:00:00:01 dev net_af_packet0 master dynamic");
	assert_int_equal(vx_core_fdb_state(c, k, vx_fdb_get(&c->dp->fdb, k, NULL)), VX_ST_DYNAMIC);
	ok(c, "fdb replace 02:00:0a:00:00:01 dev net_af_packet0 master static");
	assert_int_equal(vx_core_fdb_state(c, k, vx_fdb_get(&c->dp->fdb, k, NULL)), VX_ST_STATIC);

	/* `fdb flush` (not permanent ones) leaves only the permanent half. */
	assert_int_equal(runf(c, 0, &out, "fdb flush dev net_af_packet0"), 0);
	assert_int_equal(c->dp->fdb.count, MANY_ENTRIES / 2);
	assert_int_equal(runf(c, VX_CMD_JSON, &out, "stats"), 0);
	snprintf(want, sizeof(want), "\"fdb_entries\":%u,\"fdb_static\":%u}", MANY_ENTRIES / 2,
		 MANY_ENTRIES / 2);
	assert_non_null(strstr(out.buf, want));
	vx_out_free(&out);
	free_ctl(c);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_publish),
		cmocka_unit_test(test_link_srcport),
		cmocka_unit_test(test_link_bum_rate),
		cmocka_unit_test(test_static_fdb),
		cmocka_unit_test(test_learn_and_age),
		cmocka_unit_test(test_age_every_entry),
		cmocka_unit_test(test_flood_publish_first),
		cmocka_unit_test(test_learn_stale),
		cmocka_unit_test(test_link_address),
		cmocka_unit_test(test_link_counters_fresh),
		cmocka_unit_test(test_nexthop_refs),
		cmocka_unit_test(test_learn_martian),
		cmocka_unit_test(test_learn_time_order),
		cmocka_unit_test(test_mixed_port_replay),
		cmocka_unit_test(test_save_replay),
		cmocka_unit_test(test_stats_drops),
		cmocka_unit_test(test_monitor_format),
		cmocka_unit_test(test_vtep_rebuild),
		cmocka_unit_test(test_example_config),
		cmocka_unit_test(test_poll_work_bounded),
		cmocka_unit_test(test_many_entries_stats),
	};

	(void)argc;
	return run_eal_tests(argv[0], "core", tests, RTE_DIM(tests), NULL, NULL);
}
