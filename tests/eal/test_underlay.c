/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay with a real EAL (rte_lpm, mbufs, rings): addresses, routes
 * and longest-prefix choice, VTEP resolution through ARP, the unresolved
 * queue, punted ARP/ICMP answered, rate limit and failure counters. The
 * port transmit, the clock and the core's callbacks are test doubles.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <limits.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_ethdev.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "cli/cli.h"
#include "underlay/underlay.h"

#define MAX_CAP 512

static struct vx_dp dp;
static struct vx_ctl c;
static struct rte_mempool *pool;
static uint64_t fake_now = 1000000;
static uint8_t cap[MAX_CAP][128];
static uint16_t cap_len[MAX_CAP], cap_port[MAX_CAP];
static int n_cap;
static int n_rebuild, n_publish;
static uint32_t last_rebuild;

static const struct rte_ether_addr peer_mac = {.addr_bytes = {0x02, 0xaa, 0, 0, 0, 0x02}};
static const struct rte_ether_addr gw_mac = {.addr_bytes = {0x02, 0xaa, 0, 0, 0, 0xfd}};

static uint64_t
now_ms(void)
{
	return fake_now;
}

static uint16_t
fake_tx(struct vx_ctl *ctl, uint16_t port, struct rte_mbuf **m, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		if (n_cap < MAX_CAP) {
			uint16_t len = RTE_MIN(rte_pktmbuf_data_len(m[i]), sizeof(cap[0]));

			memcpy(cap[n_cap], rte_pktmbuf_mtod(m[i], uint8_t *), len);
			cap_len[n_cap] = len;
			cap_port[n_cap] = port;
			n_cap++;
		}
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

static void
fake_rebuild(struct vx_ctl *ctl, uint32_t neigh)
{
	n_rebuild++;
	last_rebuild = neigh;
}

static void
fake_publish(struct vx_ctl *ctl, uint16_t port)
{
	n_publish++;
}

static int
cmd(const char *line, struct vx_out *o)
{
	char buf[256], *argv[32];
	int argc = 0;
	char *save, *w;

	vx_out_reset(o);
	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (strcmp(argv[0], "addr") == 0)
		return vx_cmd_addr(&c, argc, argv, 0, o);
	if (strcmp(argv[0], "route") == 0)
		return vx_cmd_route(&c, argc, argv, 0, o);
	return vx_cmd_neigh(&c, argc, argv, 0, o);
}

static int
cmd_json(const char *line, struct vx_out *o)
{
	char buf[256], *argv[32];
	int argc = 0;
	char *save, *w;

	vx_out_reset(o);
	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (strcmp(argv[0], "addr") == 0)
		return vx_cmd_addr(&c, argc, argv, VX_CMD_JSON, o);
	if (strcmp(argv[0], "route") == 0)
		return vx_cmd_route(&c, argc, argv, VX_CMD_JSON, o);
	return vx_cmd_neigh(&c, argc, argv, VX_CMD_JSON, o);
}

static struct vx_ip
ip(const char *s)
{
	struct vx_ip a;

	assert_int_equal(vx_parse_ip(s, &a), 0);
	return a;
}

static struct rte_mbuf *
mbuf_of(const uint8_t *data, uint16_t len, uint16_t port, uint32_t reason, uint32_t vtep)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, len), data, len);
	m->port = port;
	m->hash.fdir.hi = reason;
	m->hash.fdir.lo = vtep;
	return m;
}

static void
punt(struct rte_mbuf *m)
{
	assert_int_equal(rte_ring_sp_enqueue(dp.punt_ring[0], m), 0);
}

static int
setup(void **state)
{
	char prefix[64];
	char *argv[] = {"test", "--no-huge", "-m",
			"512",	"--no-pci",  prefix,
			"-l",	"0",	     "--log-level=lib.eal:error"};

	/* One prefix per process: worktrees and the lead's runs may overlap. */
	snprintf(prefix, sizeof(prefix), "--file-prefix=vxt_ul_%d", (int)getpid());

	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		return -1;
	if (vx_dp_init(&dp, 1, 1024, SOCKET_ID_ANY) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("vxt_ul_pool", 2047, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	dp.pool = pool;
	c.dp = &dp;
	for (uint16_t p = 0; p < 2; p++) {
		c.port[p].present = true;
		c.port[p].port_id = p;
		snprintf(c.port[p].name, sizeof(c.port[p].name), "up%u", p);
		snprintf(c.port[p].dev_name, sizeof(c.port[p].dev_name), "net_null%u", p);
		c.port[p].mac = (struct rte_ether_addr){{0x02, 0x5e, 0, 0, 0, 0x10 + p}};
		c.port[p].mtu = 1500;
	}
	c.n_ports = 2;
	if (vx_ul_init(&c) < 0)
		return -1;
	c.ul->now_ms = now_ms;
	c.ul->tx = fake_tx;
	c.ul->hooks.nexthop_changed = fake_rebuild;
	c.ul->hooks.port_changed = fake_publish;
	return 0;
}

static int
teardown(void **state)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	vx_ul_fini(&c);
	vx_dp_fini(&dp);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	/* The per-process runtime directory (config, fbarrays) goes too. */
	d = opendir(dir);
	if (d != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
		rmdir(dir);
	}
	return 0;
}

static void
test_addresses(void **state)
{
	struct vx_out o = {0};
	const struct vx_local *l;

	n_cap = 0;
	assert_int_equal(cmd("addr add 198.51.100.1/24 dev up0", &o), 0);
	assert_int_equal(n_publish, 1); /* up0 became an underlay port */
	/* Gratuitous ARP: broadcast request with sender = target = our address. */
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap[0][0], 0xff);
	assert_int_equal(cap[0][12], 0x08);
	assert_int_equal(cap[0][13], 0x06);
	assert_int_equal(cap[0][21], 1);
	assert_memory_equal(&cap[0][28], &cap[0][38], 4);
	assert_int_equal(cap[0][31], 1);
	assert_true(vx_ul_is_local(&c, &(struct vx_ip){0}) == false);
	{
		struct vx_ip a = ip("198.51.100.1");

		assert_true(vx_ul_is_local(&c, &a));
	}

	n_cap = 0;
	assert_int_equal(cmd("addr add 2001:db8:1::1/64 dev up0", &o), 0);
	assert_int_equal(n_cap, 2);
	/* An MLDv2 report joining the address's solicited-node group ff02::1:ff00:1. */
	assert_int_equal(cap[0][0], 0x33);
	assert_int_equal(cap[0][5], 0x16);
	assert_int_equal(cap[0][14 + 40 + 8], 143);
	assert_int_equal(cap[0][14 + 40 + 8 + 8], VX_MC_TO_EXCLUDE);
	assert_memory_equal(
		&cap[0][14 + 40 + 8 + 12],
		((uint8_t[]){0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0, 0, 0x01}), 16);
	assert_int_equal(cap[1][0], 0x33); /* unsolicited NA to ff02::1 */
	assert_int_equal(cap[1][5], 0x01);
	assert_int_equal(cap[1][54], 136);
	assert_int_equal(cap[1][58], 0x20); /* O only */

	l = dp.local;
	assert_non_null(l);
	assert_int_equal(l->n_addr, 2);
	{
		uint16_t ports[] = {4789, 8472};

		vx_ul_set_dstports(&c, ports, 2);
		l = dp.local;
		assert_int_equal(l->n_dstport, 2);
		assert_int_equal(l->dstport[1], 8472);
		assert_int_equal(l->n_addr, 2);
	}
	{
		uint16_t flags = VX_PORT_ACCESS, vlan = 9;

		vx_ul_port_role(&c, 0, &flags, &vlan);
		assert_int_equal(flags, VX_PORT_ACCESS | VX_PORT_UNDERLAY);
		assert_int_equal(vlan, 0);
		vx_ul_port_role(&c, 1, &flags, &vlan);
		assert_int_equal(flags, VX_PORT_ACCESS);
	}

	/* Errors change nothing. */
	assert_int_equal(cmd("addr add 198.51.100.1/24 dev up0", &o), -EEXIST);
	assert_non_null(strstr(o.buf, "error:"));
	assert_true(cmd("addr add 198.51.100.300/24 dev up0", &o) < 0);
	assert_true(cmd("addr add 198.51.100.5/33 dev up0", &o) < 0);
	assert_true(cmd("addr add 198.51.100.5/24 dev nope0", &o) < 0);
	assert_true(cmd("addr add 198.51.100.5/24 dev up0 vlan 5000", &o) < 0);
	assert_true(cmd("addr add 198.51.100.5/24 dev up0 vlan 7", &o) < 0); /* one VLAN per port */
	assert_true(cmd("addr add 198.51.100.5/24", &o) < 0);
	assert_int_equal(dp.local->n_addr, 2);

	assert_int_equal(cmd("route show", &o), 0);
	assert_string_equal(o.buf,
			    "198.51.100.0/24 dev up0 proto kernel scope link src 198.51.100.1\n"
			    "2001:db8:1::/64 dev up0 proto kernel metric 256 pref medium\n");
	assert_int_equal(cmd("addr show dev up0", &o), 0);
	assert_non_null(strstr(o.buf, "1: up0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n"
				      "    link/ether 02:5e:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n"
				      "    inet 198.51.100.1/24 scope global up0\n"));
	assert_non_null(strstr(o.buf, "    inet6 2001:db8:1::1/64 scope global\n"));
	assert_int_equal(cmd_json("addr show dev up0", &o), 0);
	assert_non_null(strstr(o.buf, "\"ifname\":\"up0\""));
	assert_non_null(strstr(o.buf, "{\"family\":\"inet\",\"local\":\"198.51.100.1\","
				      "\"prefixlen\":24"));
	vx_out_free(&o);
}

static void
test_routes_lpm(void **state)
{
	struct vx_out o = {0};
	const struct vx_route *r;
	struct vx_ip a;

	assert_int_equal(cmd("route add 203.0.113.0/24 via 198.51.100.254", &o), 0);
	assert_int_equal(cmd("route add 203.0.113.128/25 via 198.51.100.253 dev up0", &o), 0);
	assert_int_equal(cmd("route add default via 198.51.100.252", &o), 0);
	assert_int_equal(cmd("route add 2001:db8:ff::/64 via 2001:db8:1::fe", &o), 0);
	/* Gateway off-link, duplicate, family mismatch: refused. */
	assert_int_equal(cmd("route add 203.0.113.64/26 via 203.0.113.1", &o), -ENETUNREACH);
	assert_int_equal(cmd("route add 203.0.113.0/24 via 198.51.100.250", &o), -EEXIST);
	assert_true(cmd("route add 203.0.113.0/24 via 2001:db8:1::fe", &o) < 0);

	a = ip("203.0.113.130");
	r = vx_route_lookup(&c, &a);
	assert_non_null(r);
	assert_int_equal(r->plen, 25);
	a = ip("203.0.113.5");
	r = vx_route_lookup(&c, &a);
	assert_int_equal(r->plen, 24);
	assert_int_equal(r->gw.v4.s_addr, ip("198.51.100.254").v4.s_addr);
	a = ip("198.51.100.77");
	r = vx_route_lookup(&c, &a);
	assert_true(r->connected);
	a = ip("8.8.8.8");
	r = vx_route_lookup(&c, &a);
	assert_int_equal(r->plen, 0);
	a = ip("2001:db8:ff::9");
	r = vx_route_lookup(&c, &a);
	assert_int_equal(r->plen, 64);
	assert_false(r->connected);
	a = ip("2001:db8:2::9");
	assert_null(vx_route_lookup(&c, &a)); /* no IPv6 default */

	/* replace and del */
	assert_int_equal(cmd("route replace 203.0.113.0/24 via 198.51.100.250", &o), 0);
	a = ip("203.0.113.5");
	assert_int_equal(vx_route_lookup(&c, &a)->gw.v4.s_addr, ip("198.51.100.250").v4.s_addr);
	assert_int_equal(cmd("route del default", &o), 0);
	a = ip("8.8.8.8");
	assert_null(vx_route_lookup(&c, &a));
	assert_int_equal(cmd("route del 198.51.100.0/24", &o), -EPERM); /* connected */
	assert_int_equal(cmd("route del 192.0.2.0/24", &o), -ESRCH);

	assert_int_equal(cmd("route show -4", &o), 0);
	assert_string_equal(o.buf,
			    "198.51.100.0/24 dev up0 proto kernel scope link src 198.51.100.1\n"
			    "203.0.113.0/24 via 198.51.100.250 dev up0\n"
			    "203.0.113.128/25 via 198.51.100.253 dev up0\n");
	assert_int_equal(cmd("route get 203.0.113.140", &o), 0);
	assert_string_equal(o.buf, "203.0.113.140 via 198.51.100.253 dev up0 src 198.51.100.1\n");
	assert_int_equal(cmd("route get 198.51.100.9", &o), 0);
	assert_string_equal(o.buf, "198.51.100.9 dev up0 src 198.51.100.1\n");
	assert_int_equal(cmd("route get 8.8.8.8", &o), -ENETUNREACH);
	assert_int_equal(cmd_json("route show -4", &o), 0);
	assert_non_null(strstr(o.buf, "{\"dst\":\"203.0.113.0/24\",\"gateway\":\"198.51.100.250\","
				      "\"dev\":\"up0\",\"flags\":[]}"));
	vx_out_free(&o);
}

static struct vx_vtep *
vtep_new(uint32_t idx, const char *remote, const char *local)
{
	struct vx_vtep *vt = rte_zmalloc("vt", sizeof(*vt), 16);

	vt->idx = idx;
	vt->remote = ip(remote);
	if (local != NULL)
		vt->local = ip(local);
	vt->dstport = 4789;
	vt->vni = 10;
	return vt;
}

static void
test_resolve_queue_arp(void **state)
{
	struct vx_encap_opt opt = {0};
	struct vx_vtep *vt = vtep_new(5, "203.0.113.130", NULL);
	struct vx_neigh *n;
	struct vx_out o = {0};
	uint8_t frame[128];
	uint16_t len;

	n_cap = 0;
	assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
	assert_false(vt->flags & VX_VTEP_RESOLVED);
	assert_int_equal(vt->port, 0);
	assert_int_equal(vt->mtu, 1500);
	assert_int_equal(vt->local.v4.s_addr, ip("198.51.100.1").v4.s_addr); /* route's source */
	assert_int_not_equal(vt->neigh, 0);
	n = vx_neigh_get(&c.ul->nt, vt->neigh);
	assert_int_equal(n->ip.v4.s_addr, ip("198.51.100.253").v4.s_addr); /* the /25's gateway */
	assert_int_equal(n->state, VX_NUD_INCOMPLETE);
	/* Broadcast ARP request for the gateway. */
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap[0][0], 0xff);
	assert_int_equal(cap[0][21], 1);
	assert_int_equal(cap[0][41], 253);
	vx_publish(dp.vtep[5], vt);

	/* Two encapsulated frames arrive for it before the reply: queued, not lost. */
	memcpy(frame, vt->hdr, vt->len);
	memset(frame + vt->len, 0xab, 64);
	punt(mbuf_of(frame, vt->len + 64, 0, VX_PUNT_UNRESOLVED, 5));
	punt(mbuf_of(frame, vt->len + 64, 0, VX_PUNT_UNRESOLVED, 5));
	n_cap = 0;
	vx_ul_poll(&c);
	assert_int_equal(n->qlen, 2);
	assert_int_equal(n_cap, 0);
	/*
	 * A frame built for another VTEP that had index 5 before (another
	 * destination, or another VNI) is not queued on this one's next hop.
	 */
	{
		uint64_t gone = dp.stats[VX_STATS_CONTROL].drop[VX_DROP_VTEP_GONE];

		frame[vt->l3_off + 19] ^= 1; /* outer destination address */
		punt(mbuf_of(frame, vt->len + 64, 0, VX_PUNT_UNRESOLVED, 5));
		frame[vt->l3_off + 19] ^= 1;
		frame[vt->len - 2] ^= 1; /* VNI */
		punt(mbuf_of(frame, vt->len + 64, 0, VX_PUNT_UNRESOLVED, 5));
		frame[vt->len - 2] ^= 1;
		vx_ul_poll(&c);
		assert_int_equal(n->qlen, 2);
		assert_int_equal(dp.stats[VX_STATS_CONTROL].drop[VX_DROP_VTEP_GONE] - gone, 2);
	}

	/* The gateway answers. */
	n_rebuild = 0;
	len = vx_arp_build(frame, 2, 0, &c.port[0].mac, &gw_mac, ip("198.51.100.253").v4,
			   &c.port[0].mac, ip("198.51.100.1").v4);
	punt(mbuf_of(frame, len, 0, VX_PUNT_ARP, 0));
	vx_ul_poll(&c);
	assert_int_equal(n->state, VX_NUD_REACHABLE);
	assert_int_equal(n_rebuild, 1);
	assert_int_equal(last_rebuild, vt->neigh);
	/* The queued frames left with the Ethernet addresses filled in. */
	assert_int_equal(n_cap, 2);
	assert_memory_equal(cap[0], &gw_mac, 6);
	assert_memory_equal(cap[0] + 6, &c.port[0].mac, 6);
	assert_memory_equal(cap[1] + 12, vt->hdr + 12, vt->len - 12);
	assert_int_equal(cap_port[1], 0);

	/* The core's rebuild re-resolves: now complete. */
	assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
	assert_true(vt->flags & VX_VTEP_RESOLVED);
	assert_memory_equal(vt->hdr, &gw_mac, 6);
	assert_false(vt->flags & VX_VTEP_TX_CSUM);

	/* The egress port's UDP checksum offload is carried in the VTEP's flags. */
	c.port[0].tx_offload_capa = RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
	assert_true(vt->flags & VX_VTEP_TX_CSUM);
	c.port[0].tx_offload_capa = 0;
	assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
	assert_false(vt->flags & VX_VTEP_TX_CSUM);

	assert_int_equal(cmd("neigh show dev up0", &o), 0);
	assert_non_null(
		strstr(o.buf, "198.51.100.253 dev up0 lladdr 02:aa:00:00:00:fd REACHABLE\n"));
	assert_int_equal(cmd_json("neigh show", &o), 0);
	assert_non_null(strstr(o.buf,
			       "{\"dst\":\"198.51.100.253\",\"dev\":\"up0\","
			       "\"lladdr\":\"02:aa:00:00:00:fd\",\"state\":[\"REACHABLE\"]}"));

	/* The gateway's MAC changes (gratuitous ARP): picked up, templates rebuilt. */
	{
		const struct rte_ether_addr new_mac = {.addr_bytes = {0x02, 0xaa, 0, 0, 0, 0xee}};
		static const struct rte_ether_addr zero;
		const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

		n_rebuild = 0;
		len = vx_arp_build(frame, 1, 0, &bcast, &new_mac, ip("198.51.100.253").v4, &zero,
				   ip("198.51.100.253").v4);
		punt(mbuf_of(frame, len, 0, VX_PUNT_ARP, 0));
		vx_ul_poll(&c);
		assert_int_equal(n_rebuild, 1);
		assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
		assert_memory_equal(vt->hdr, &new_mac, 6);
	}
	vx_publish(dp.vtep[5], NULL);
	rte_free(vt);
	vx_out_free(&o);
}

static void
test_arp_reply_and_ping(void **state)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	uint8_t f[128];
	uint16_t len;
	struct vx_ip pip = ip("198.51.100.2");
	struct vx_neigh *n;

	/* Who has 198.51.100.1? from .2 */
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, pip.v4, &zero, ip("198.51.100.1").v4);
	n_cap = 0;
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	/* And one for an address that is not ours: no answer. */
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, pip.v4, &zero, ip("198.51.100.9").v4);
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	vx_ul_poll(&c);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap_len[0], 60); /* padded to the Ethernet minimum */
	assert_memory_equal(cap[0], &peer_mac, 6);
	assert_memory_equal(cap[0] + 6, &c.port[0].mac, 6);
	assert_int_equal(cap[0][21], 2);
	assert_memory_equal(cap[0] + 22, &c.port[0].mac, 6);
	assert_int_equal(cap[0][31], 1);
	assert_memory_equal(cap[0] + 32, &peer_mac, 6);
	assert_int_equal(cap[0][41], 2);
	/* The requester was learnt, STALE, as Linux does. */
	n = vx_neigh_find(&c.ul->nt, 0, &pip);
	assert_non_null(n);
	assert_int_equal(n->state, VX_NUD_STALE);

	/* ping 198.51.100.1 */
	{
		uint8_t e[14 + 20 + 8] = {
			0x02, 0x5e, 0,	 0,  0,	  0x10, 0x02, 0xaa, 0,	  0,	0, 0x02, 0x08, 0x00,
			0x45, 0,    0,	 28, 0,	  1,	0,    0,    64,	  1,	0, 0,	 198,  51,
			100,  2,    198, 51, 100, 1,	8,    0,    0xf7, 0xfe, 0, 1,	 0,    0};
		struct rte_ipv4_hdr *iph = (struct rte_ipv4_hdr *)(e + 14);

		iph->hdr_checksum = rte_ipv4_cksum(iph);
		n_cap = 0;
		punt(mbuf_of(e, sizeof(e), 0, VX_PUNT_ICMP, 0));
		vx_ul_poll(&c);
		assert_int_equal(n_cap, 1);
		assert_memory_equal(cap[0], &peer_mac, 6);
		assert_int_equal(cap[0][34], 0); /* echo reply */
		assert_int_equal(cap[0][33], 2);
	}
}

/*
 * What nobody may send is dropped and counted, and creates nothing: an
 * ARP request from a multicast sender MAC (its answer would go to a
 * group), one claiming our own address, a reply we did not ask for (Linux
 * creates no entry from one), an NS whose link-layer option is
 * broadcast.
 */
static void
test_martians(void **state)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	const struct rte_ether_addr mcast = {{0x01, 0x00, 0x5e, 0, 0, 1}};
	struct vx_ip a = ip("198.51.100.77"), b = ip("198.51.100.78"), v6 = ip("2001:db8:1::77");
	struct in6_addr mine, theirs = v6.v6;
	uint64_t martian = dp.stats[VX_STATS_CONTROL].drop[VX_DROP_MARTIAN];
	uint8_t f[128];
	uint16_t len;

	n_cap = 0;
	len = vx_arp_build(f, 1, 0, &bcast, &mcast, a.v4, &zero, ip("198.51.100.1").v4);
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, ip("198.51.100.1").v4, &zero,
			   ip("198.51.100.1").v4 /* a gratuitous ARP for our address */);
	f[28] = 198, f[29] = 51, f[30] = 100, f[31] = 1;
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	vx_ul_poll(&c);
	assert_int_equal(n_cap, 0);
	assert_null(vx_neigh_find(&c.ul->nt, 0, &a));
	assert_int_equal(dp.stats[VX_STATS_CONTROL].drop[VX_DROP_MARTIAN] - martian, 2);

	/* An unsolicited reply to us: no answer, no entry. */
	len = vx_arp_build(f, 2, 0, &c.port[0].mac, &peer_mac, b.v4, &c.port[0].mac,
			   ip("198.51.100.1").v4);
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	vx_ul_poll(&c);
	assert_null(vx_neigh_find(&c.ul->nt, 0, &b));

	/* NS with a broadcast source link-layer address. */
	inet_pton(AF_INET6, "2001:db8:1::1", &mine);
	len = vx_nd_build_ns(f, 0, &peer_mac, &theirs, &mine, NULL);
	{
		struct vx_nd nd;

		assert_int_equal(vx_nd_parse(f, len, &nd), 0);
		assert_true(nd.has_lla);
		memcpy(f + len - 6, &bcast, 6);
		/* The checksum over the option changes by the bytes replaced. */
		len = vx_nd_build_ns(f, 0, &bcast, &theirs, &mine, NULL);
		memcpy(f + 6, &peer_mac, 6); /* a unicast Ethernet source, the option broadcast */
	}
	punt(mbuf_of(f, len, 0, VX_PUNT_ND, 0));
	vx_ul_poll(&c);
	assert_int_equal(n_cap, 0);
	assert_null(vx_neigh_find(&c.ul->nt, 0, &v6));
	assert_int_equal(dp.stats[VX_STATS_CONTROL].drop[VX_DROP_MARTIAN] - martian, 3);
}

static uint64_t
ctl_drops(enum vx_drop why)
{
	return dp.stats[VX_STATS_CONTROL].drop[why];
}

/*
 * What does not parse, or what the switch does not act on, is counted
 * under its own reason and answered by nothing: ARP of another hardware
 * length or opcode (arp-nd-bad), an NS with a hop limit other than 255
 * (arp-nd-bad), a router solicitation (icmp-other), ICMP timestamp and
 * destination-unreachable messages and an echo request with a bad
 * checksum (icmp-other).
 */
static void
test_unparsed_counted(void **state)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	uint64_t bad = ctl_drops(VX_DROP_ARP_ND_BAD), other = ctl_drops(VX_DROP_ICMP_OTHER);
	struct in6_addr mine, theirs;
	uint8_t f[128];
	uint16_t len;

	n_cap = 0;
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, ip("198.51.100.2").v4, &zero,
			   ip("198.51.100.1").v4);
	f[14 + 4] = 8; /* hardware address length */
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	f[14 + 4] = 6;
	f[14 + 7] = 3; /* opcode: RARP request */
	punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));

	inet_pton(AF_INET6, "2001:db8:1::1", &mine);
	inet_pton(AF_INET6, "2001:db8:1::2", &theirs);
	len = vx_nd_build_ns(f, 0, &peer_mac, &theirs, &mine, NULL);
	f[14 + 7] = 64; /* hop limit */
	punt(mbuf_of(f, len, 0, VX_PUNT_ND, 0));
	f[14 + 7] = 255;
	f[14 + 40] = 133; /* a router solicitation */
	punt(mbuf_of(f, len, 0, VX_PUNT_ND, 0));
	vx_ul_poll(&c);
	assert_int_equal(ctl_drops(VX_DROP_ARP_ND_BAD) - bad, 3);
	assert_int_equal(ctl_drops(VX_DROP_ICMP_OTHER) - other, 1);

	{
		uint8_t e[14 + 20 + 8] = {
			0x02, 0x5e, 0,	 0,  0,	  0x10, 0x02, 0xaa, 0,	  0,	0, 0x02, 0x08, 0x00,
			0x45, 0,    0,	 28, 0,	  1,	0,    0,    64,	  1,	0, 0,	 198,  51,
			100,  2,    198, 51, 100, 1,	8,    0,    0xf7, 0xfe, 0, 1,	 0,    0};
		struct rte_ipv4_hdr *iph = (struct rte_ipv4_hdr *)(e + 14);
		uint16_t ck;

		iph->hdr_checksum = rte_ipv4_cksum(iph);
		e[34] = 13; /* timestamp request */
		e[36] = e[37] = 0;
		ck = ~rte_raw_cksum(e + 34, 8);
		memcpy(e + 36, &ck, 2);
		punt(mbuf_of(e, sizeof(e), 0, VX_PUNT_ICMP, 0));
		e[34] = 3; /* destination unreachable */
		e[36] = e[37] = 0;
		ck = ~rte_raw_cksum(e + 34, 8);
		memcpy(e + 36, &ck, 2);
		punt(mbuf_of(e, sizeof(e), 0, VX_PUNT_ICMP, 0));
		e[34] = 8; /* an echo request with a bad checksum */
		punt(mbuf_of(e, sizeof(e), 0, VX_PUNT_ICMP, 0));
		vx_ul_poll(&c);
	}
	assert_int_equal(ctl_drops(VX_DROP_ICMP_OTHER) - other, 4);
	assert_int_equal(ctl_drops(VX_DROP_ARP_ND_BAD) - bad, 3);
	assert_int_equal(n_cap, 0);
}

static void
test_ns_answer(void **state)
{
	struct in6_addr mine, theirs;
	uint8_t f[128];
	uint16_t len;
	struct vx_nd nd;

	inet_pton(AF_INET6, "2001:db8:1::1", &mine);
	inet_pton(AF_INET6, "2001:db8:1::2", &theirs);
	len = vx_nd_build_ns(f, 0, &peer_mac, &theirs, &mine, NULL);
	n_cap = 0;
	punt(mbuf_of(f, len, 0, VX_PUNT_ND, 0));
	vx_ul_poll(&c);
	assert_int_equal(n_cap, 1);
	assert_int_equal(vx_nd_parse(cap[0], cap_len[0], &nd), 0);
	assert_int_equal(nd.type, 136);
	assert_int_equal(nd.na_flags, 0x60);
	assert_memory_equal(&nd.target, &mine, 16);
	assert_memory_equal(&nd.dst, &theirs, 16);
	assert_memory_equal(&nd.lla, &c.port[0].mac, 6);
	assert_memory_equal(cap[0], &peer_mac, 6);
}

static void
test_failure_and_rate(void **state)
{
	struct vx_encap_opt opt = {0};
	struct vx_vtep *vt = vtep_new(6, "198.51.100.77", NULL);
	struct vx_vtep *wait = vtep_new(7, "198.51.100.78", "198.51.100.99");
	uint64_t drops;
	uint8_t f[128];
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	uint16_t len;

	/* `local` not (yet) ours: accepted by the core, reported as waiting. */
	assert_int_equal(vx_ul_vtep_resolve(&c, wait, &opt, false), -EADDRNOTAVAIL);
	assert_false(wait->flags & VX_VTEP_RESOLVED);
	/* No route at all. */
	{
		struct vx_vtep *nr = vtep_new(8, "2001:db8:2::9", NULL);

		assert_int_equal(vx_ul_vtep_resolve(&c, nr, &opt, false), -ENETUNREACH);
		rte_free(nr);
	}

	assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
	vx_publish(dp.vtep[6], vt);
	for (int i = 0; i < 3; i++)
		punt(mbuf_of(vt->hdr, vt->len + 10, 0, VX_PUNT_UNRESOLVED, 6));
	vx_ul_poll(&c);
	drops = dp.stats[VX_STATS_CONTROL].drop[VX_DROP_NEIGH_QUEUE];
	for (int i = 0; i < 40; i++) {
		fake_now += 100;
		vx_ul_poll(&c);
	}
	assert_int_equal(dp.stats[VX_STATS_CONTROL].drop[VX_DROP_NEIGH_QUEUE] - drops, 3);
	assert_int_equal(vx_neigh_get(&c.ul->nt, vt->neigh)->state, VX_NUD_FAILED);

	/*
	 * The control thread answers every ARP request it is handed (the
	 * workers budget what they punt: test_stages.c) and leaves nothing.
	 */
	fake_now += 10000;
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, ip("198.51.100.2").v4, &zero,
			   ip("198.51.100.1").v4);
	n_cap = 0;
	for (int i = 0; i < 50; i++)
		punt(mbuf_of(f, len, 0, VX_PUNT_ARP, 0));
	for (int i = 0; i < 5; i++)
		vx_ul_poll(&c);
	{
		int replies = 0;

		/* Count our answers only (timers may send their own requests meanwhile). */
		for (int i = 0; i < n_cap; i++)
			replies += cap[i][21] == 2 && memcmp(cap[i], &peer_mac, 6) == 0;
		assert_int_equal(replies, 50);
	}
	assert_int_equal(rte_ring_count(dp.punt_ring[0]), 0);

	vx_publish(dp.vtep[6], NULL);
	rte_free(vt);
	rte_free(wait);
}

static void
test_neigh_cmds_and_save(void **state)
{
	struct vx_out o = {0};

	assert_int_equal(cmd("neigh add 198.51.100.40 lladdr 02:bb:00:00:00:40 dev up0", &o), 0);
	assert_int_equal(cmd("neigh add 198.51.100.40 lladdr 02:bb:00:00:00:41 dev up0", &o),
			 -EEXIST);
	assert_int_equal(cmd("neigh replace 198.51.100.40 lladdr 02:bb:00:00:00:41 dev up0", &o),
			 0);
	assert_true(cmd("neigh add 198.51.100.41 lladdr zz:bb:00:00:00:41 dev up0", &o) < 0);
	assert_true(cmd("neigh add 198.51.100.41 lladdr 02:bb:00:00:00:41 dev up0 nud bogus", &o) <
		    0);
	assert_true(cmd("neigh add 198.51.100.41 lladdr 02:bb:00:00:00:41", &o) < 0);
	assert_int_equal(
		cmd("neigh add 198.51.100.42 lladdr 02:bb:00:00:00:42 dev up0 nud stale", &o), 0);
	assert_int_equal(cmd("neigh show dev up0", &o), 0);
	assert_non_null(
		strstr(o.buf, "198.51.100.40 dev up0 lladdr 02:bb:00:00:00:41 PERMANENT\n"));
	assert_non_null(strstr(o.buf, "198.51.100.42 dev up0 lladdr 02:bb:00:00:00:42 STALE\n"));
	/* flush keeps permanent entries */
	assert_int_equal(cmd("neigh flush dev up0", &o), 0);
	assert_int_equal(cmd("neigh show dev up0", &o), 0);
	assert_string_equal(o.buf, "198.51.100.40 dev up0 lladdr 02:bb:00:00:00:41 PERMANENT\n");

	vx_out_reset(&o);
	vx_cli_config(&c, &o);
	assert_non_null(strstr(o.buf, "addr add 198.51.100.1/24 dev up0\n"));
	assert_non_null(strstr(o.buf, "addr add 2001:db8:1::1/64 dev up0\n"));
	assert_non_null(strstr(o.buf, "route add 203.0.113.0/24 via 198.51.100.250 dev up0\n"));
	assert_non_null(strstr(
		o.buf, "neigh add 198.51.100.40 lladdr 02:bb:00:00:00:41 dev up0 nud permanent\n"));
	assert_null(strstr(o.buf, "proto kernel"));

	assert_int_equal(cmd("neigh del 198.51.100.40 dev up0", &o), 0);
	assert_int_equal(cmd("neigh del 198.51.100.40 dev up0", &o), -ENOENT);

	/* addr del removes the connected route and the underlay role when last. */
	assert_int_equal(cmd("addr del 2001:db8:1::1/64 dev up0", &o), 0);
	assert_int_equal(cmd("route show -6", &o), 0);
	assert_null(strstr(o.buf, "2001:db8:1::/64"));
	assert_int_equal(dp.local->n_addr, 1);
	vx_out_free(&o);
}

static void
test_vlan_underlay(void **state)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	struct vx_encap_opt opt = {0};
	struct vx_vtep *vt = vtep_new(9, "198.51.100.200", NULL);
	struct vx_out o = {0};
	struct rte_mbuf *m;
	uint8_t f[128];
	uint16_t len, flags = 0, vlan = 0;

	assert_int_equal(cmd("addr add 198.51.100.193/26 dev up1.100", &o), 0);
	vx_ul_port_role(&c, 1, &flags, &vlan);
	assert_int_equal(flags, VX_PORT_UNDERLAY);
	assert_int_equal(vlan, 100);

	/* The VTEP's template carries the tag; the ARP request for it too. */
	n_cap = 0;
	assert_int_equal(vx_ul_vtep_resolve(&c, vt, &opt, false), 0);
	assert_int_equal(vt->port, 1);
	assert_int_equal(vt->l3_off, 18);
	assert_int_equal(vt->hdr[12], 0x81);
	assert_int_equal(vt->hdr[15], 100);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap_port[0], 1);
	assert_int_equal(cap[0][12], 0x81);
	assert_int_equal(cap[0][15], 100);
	assert_int_equal(cap[0][16], 0x08);
	assert_int_equal(cap[0][17], 0x06);

	/* A request for our address whose tag the NIC stripped: answered, tagged. */
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, ip("198.51.100.200").v4, &zero,
			   ip("198.51.100.193").v4);
	m = mbuf_of(f, len, 1, VX_PUNT_ARP, 0);
	m->vlan_tci = 100;
	m->ol_flags |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
	n_cap = 0;
	punt(m);
	vx_ul_poll(&c);
	assert_int_equal(n_cap, 1);
	assert_int_equal(cap[0][12], 0x81);
	assert_int_equal(cap[0][15], 100);
	assert_int_equal(cap[0][25], 2); /* op reply, 4 bytes further */
	/* Untagged on a VLAN underlay port: ignored. */
	len = vx_arp_build(f, 1, 0, &bcast, &peer_mac, ip("198.51.100.200").v4, &zero,
			   ip("198.51.100.193").v4);
	n_cap = 0;
	punt(mbuf_of(f, len, 1, VX_PUNT_ARP, 0));
	vx_ul_poll(&c);
	assert_int_equal(n_cap, 0);
	rte_free(vt);
	vx_out_free(&o);
}

/*
 * A route via a gateway lasts as long as `route add` would take it: its
 * gateway on a connected network of its port (the longest connected one,
 * whatever other routes cover it) and not ours. Otherwise a saved
 * configuration would not replay (the fuzz_cli harness found it).
 */
static void
test_routes_follow_addresses(void **state)
{
	struct vx_out o = {0};

	assert_int_equal(cmd("addr add 2001:db8:1::1/64 dev up0", &o), 0);
	assert_int_equal(cmd("route add 2001:db8:ff::/64 via 2001:db8:1::fe", &o), 0);
	assert_int_equal(cmd("route add 2001:db8:1::/80 via 2001:db8:1::fd", &o), 0);
	/* The /80 covers the gateway, the connected /64 is what counts (as the kernel). */
	assert_int_equal(cmd("route add 2001:db8:fe::/64 via 2001:db8:1::fe dev up0", &o), 0);
	assert_int_equal(cmd("route add 2001:db8:fd::/64 via 2001:db8:1::fe dev up1", &o),
			 -ENETUNREACH);

	/* The /80's gateway becomes ours: that route goes, the others stay. */
	assert_int_equal(cmd("addr add 2001:db8:1::fd/64 dev up0", &o), 0);
	assert_int_equal(cmd("route show -6", &o), 0);
	assert_string_equal(
		o.buf, "2001:db8:1::/64 dev up0 proto kernel metric 256 pref medium\n"
		       "2001:db8:ff::/64 via 2001:db8:1::fe dev up0 metric 1024 pref medium\n"
		       "2001:db8:fe::/64 via 2001:db8:1::fe dev up0 metric 1024 pref medium\n");
	/* The network is handed to the other address: the routes stay. */
	assert_int_equal(cmd("addr del 2001:db8:1::1/64 dev up0", &o), 0);
	assert_int_equal(cmd("route show -6", &o), 0);
	assert_non_null(strstr(o.buf, "2001:db8:ff::/64 via 2001:db8:1::fe"));
	/* The last address of that network goes: so do the routes through it. */
	assert_int_equal(cmd("addr del 2001:db8:1::fd/64 dev up0", &o), 0);
	assert_int_equal(cmd("route show -6", &o), 0);
	assert_string_equal(o.buf, "");
	vx_out_reset(&o);
	vx_cli_config(&c, &o);
	assert_null(strstr(o.buf, "2001:db8:"));
	vx_out_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_routes_lpm),
		cmocka_unit_test(test_resolve_queue_arp),
		cmocka_unit_test(test_arp_reply_and_ping),
		cmocka_unit_test(test_martians),
		cmocka_unit_test(test_unparsed_counted),
		cmocka_unit_test(test_ns_answer),
		cmocka_unit_test(test_failure_and_rate),
		cmocka_unit_test(test_neigh_cmds_and_save),
		cmocka_unit_test(test_vlan_underlay),
		cmocka_unit_test(test_routes_follow_addresses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
