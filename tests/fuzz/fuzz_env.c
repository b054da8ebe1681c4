/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The harnesses' shared environment (fuzz_env.h): EAL, ring ports, pools
 * that unpoison what comes back, worlds, frame records and their fix-up.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "fuzz_env.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FZ_ASAN 1
#endif
#ifdef FZ_ASAN
#include <sanitizer/asan_interface.h>
#define fz_poison(p, n)	  ASAN_POISON_MEMORY_REGION(p, n)
#define fz_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define fz_poison(p, n)	  ((void)(p), (void)(n))
#define fz_unpoison(p, n) ((void)(p), (void)(n))
#endif

#define FZ_POOL_SIZE 2047
#define FZ_HDR_SIZE  1023
#define FZ_RING_SIZE 1024
#define FZ_FDB_SIZE  1024

static struct rte_ring *rx_ring[FZ_PORTS], *tx_ring[FZ_PORTS];
static uint16_t port_id[FZ_PORTS];
static struct rte_mempool *pool, *hdr_pool;
static struct vx_worker worker;
static struct vx_dp world_dp;
static struct vx_ctl world_ctl;
static struct vx_ctl_underlay *saved_ul; /* kept between worlds: its LPM tables are 128 MB */
static uint64_t now_ms;
static bool in_world;

/* ---- a mempool driver that unpoisons every object given back ---- */

static int
fz_ops_alloc(struct rte_mempool *mp)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "fz_%s", mp->name);
	r = rte_ring_create(name, rte_align32pow2(mp->size + 1), mp->socket_id,
			    RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r == NULL)
		return -rte_errno;
	mp->pool_data = r;
	return 0;
}

static void
fz_ops_free(struct rte_mempool *mp)
{
	rte_ring_free(mp->pool_data);
}

static int
fz_ops_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		fz_unpoison(objs[i], mp->elt_size);
	return rte_ring_sp_enqueue_bulk(mp->pool_data, objs, n, NULL) == n ? 0 : -ENOBUFS;
}

static int
fz_ops_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	return rte_ring_sc_dequeue_bulk(mp->pool_data, objs, n, NULL) == n ? 0 : -ENOBUFS;
}

static unsigned int
fz_ops_count(const struct rte_mempool *mp)
{
	return rte_ring_count(mp->pool_data);
}

static const struct rte_mempool_ops fz_ops = {
	.name = "fz_unpoison",
	.alloc = fz_ops_alloc,
	.free = fz_ops_free,
	.enqueue = fz_ops_enqueue,
	.dequeue = fz_ops_dequeue,
	.get_count = fz_ops_count,
};

RTE_MEMPOOL_REGISTER_OPS(fz_ops);

/* ---- process set-up ---- */

static uint64_t
fz_now_ms(void)
{
	return now_ms;
}

static void
die(const char *what)
{
	fprintf(stderr, "fuzz env: %s\n", what);
	abort();
}

static void
ports_create(void)
{
	struct rte_eth_conf conf = {0};
	char name[32];

	for (int p = 0; p < FZ_PORTS; p++) {
		int id;

		snprintf(name, sizeof(name), "fz_rx%d", p);
		rx_ring[p] = rte_ring_create(name, FZ_RING_SIZE, SOCKET_ID_ANY,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "fz_tx%d", p);
		tx_ring[p] = rte_ring_create(name, FZ_RING_SIZE, SOCKET_ID_ANY,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (rx_ring[p] == NULL || tx_ring[p] == NULL)
			die("rings");
		snprintf(name, sizeof(name), "fz_port%d", p);
		id = rte_eth_from_rings(name, &rx_ring[p], 1, &tx_ring[p], 1, SOCKET_ID_ANY);
		if (id < 0 || id >= VX_MAX_PORTS || rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
		    rte_eth_rx_queue_setup(id, 0, FZ_RING_SIZE, SOCKET_ID_ANY, NULL, pool) != 0 ||
		    rte_eth_tx_queue_setup(id, 0, FZ_RING_SIZE, SOCKET_ID_ANY, NULL) != 0 ||
		    rte_eth_dev_start(id) != 0)
			die("ports");
		port_id[p] = (uint16_t)id;
	}
}

/* EAL's runtime directory (the file prefix is per process), removed at exit. */
static char run_dir[64];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path); /* best effort */
	return 0;
}

static void
rm_run_dir(void)
{
	nftw(run_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

int
fz_init(void)
{
	char prefix[64];
	char *argv[] = {"vxfuzz", "--no-huge",	    "-m", "512", "--no-pci",	      "--no-shconf",
			prefix,	  "--no-telemetry", "-l", "0",	 "--log-level=*:crit"};

	/* --in-memory would do without files, but EAL refuses it with --no-huge. */
	snprintf(prefix, sizeof(prefix), "--file-prefix=vxfuzz_%d", (int)getpid());
	snprintf(run_dir, sizeof(run_dir), "/var/run/dpdk/vxfuzz_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		die("EAL init");
	atexit(rm_run_dir);
	pool = rte_pktmbuf_pool_create_by_ops("fz_pool", FZ_POOL_SIZE, 0, 0,
					      RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
					      "fz_unpoison");
	hdr_pool = rte_pktmbuf_pool_create_by_ops("fz_hdr", FZ_HDR_SIZE, 0, 0,
						  RTE_PKTMBUF_HEADROOM + 128, SOCKET_ID_ANY,
						  "fz_unpoison");
	if (pool == NULL || hdr_pool == NULL)
		die("pools");
	ports_create();
	return 0;
}

struct rte_mempool *
fz_pool(void)
{
	return pool;
}

/* ---- worlds ---- */

/*
 * The switch the packet harnesses run (ports eth0..2, MACs 02:00:00:00:00:01..03):
 *   eth0   underlay, 198.51.100.1/24 and 2001:db8:1::1/64;
 *   eth1   access: vxlan10 untagged, vxlan20 on VLAN 20;
 *   eth2   both: underlay 198.51.100.201/32 on VLAN 100 (UDP checksum offload),
 *          access vxlan30 on VLAN 30 and vxlan40 on VLAN 40.
 *   vxlan10  VNI 10, IPv4, flood list .2 (resolved) and .3 (unresolved), one remote
 *            and one static local entry;
 *   vxlan20  VNI 20, IPv6, udp6zerocsumrx, udpcsum, a VTEP with a known neighbour;
 *   vxlan30  VNI 30, UDP 8472, proxy, MAC 02:00:5e:00:00:30, an overlay address and a
 *            proxy entry;
 *   vxlan40  VNI 40, IPv4, nolearning, maxaddress 4, MAC 02:00:5e:00:00:40, an IPv6
 *            overlay address.
 */
const char *const fz_switch[] = {
	"addr add 198.51.100.1/24 dev eth0",
	"addr add 2001:db8:1::1/64 dev eth0",
	"link add vxlan10 type vxlan id 10 local 198.51.100.1 dev eth0 ageing 30",
	"link add vxlan20 type vxlan id 20 local 2001:db8:1::1 udp6zerocsumrx udpcsum",
	"link add vxlan30 address 02:00:5e:00:00:30 type vxlan id 30 dstport 8472 local "
	"198.51.100.1 proxy",
	"link add vxlan40 address 02:00:5e:00:00:40 type vxlan id 40 local 198.51.100.1 nolearning "
	"maxaddress 4",
	"link set dev eth1 master vxlan10",
	"link set dev eth1 master vxlan20 vlan 20",
	"link set dev eth2 master vxlan30 vlan 30",
	"link set dev eth2 master vxlan40 vlan 40",
	"addr add 198.51.100.201/32 dev eth2 vlan 100", /* access first: then both roles */
	"neigh add 198.51.100.2 lladdr 02:aa:00:00:00:02 dev eth0",
	"neigh add 2001:db8:1::2 lladdr 02:aa:00:00:00:12 dev eth0",
	"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2",
	"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3",
	"fdb append 00:00:00:00:00:00 dev vxlan20 dst 2001:db8:1::2",
	"fdb append 00:00:00:00:00:00 dev vxlan30 dst 198.51.100.2",
	"fdb add 02:00:00:00:0b:01 dev vxlan10 dst 198.51.100.2",
	"fdb add 02:00:00:00:0b:02 dev vxlan20 dst 2001:db8:1::2",
	"fdb add 02:00:00:00:01:01 dev eth1 master static",
	"addr add 203.0.113.1/24 dev vxlan30",
	"neigh add 203.0.113.5 lladdr 02:00:00:00:05:05 dev vxlan30",
	"addr add 2001:db8:ff::1/64 dev vxlan40",
	NULL,
};

/*
 * The underlay of the last world, emptied as vx_ul_init() leaves a new
 * one, but with its LPM tables kept (their routes deleted one by one):
 * creating or emptying them zeroes 128 MB, which would be most of the
 * cost of an input.
 */
static int
ul_reuse(struct vx_ctl *c)
{
	struct vx_ctl_underlay *ul = saved_ul;
	struct rte_lpm *lpm = ul->lpm;
	struct rte_lpm6 *lpm6 = ul->lpm6;
	uint16_t (*tx)(struct vx_ctl *, uint16_t, struct rte_mbuf **, uint16_t) = ul->tx;

	/* Route by route: rte_lpm_delete_all() would zero the whole tables. */
	for (unsigned int i = 0; i < VX_RT_MAX; i++) {
		const struct vx_route *r = &ul->rt[i];

		if (!r->used || r->plen == 0)
			continue;
		if (r->dst.family == AF_INET)
			rte_lpm_delete(lpm, ntohl(r->dst.v4.s_addr), r->plen);
		else
			rte_lpm6_delete(lpm6, r->dst.bytes, r->plen);
	}
	memset(ul, 0, sizeof(*ul));
	ul->lpm = lpm;
	ul->lpm6 = lpm6;
	ul->tx = tx; /* the real seam: the control tx ring, drained by worker 0 */
	c->ul = ul;
	saved_ul = NULL;
	vx_neigh_tbl_init(&ul->nt, &vx_ul_neigh_ops, c);
	return vx_ul_local_publish(c);
}

struct vx_ctl *
fz_world_new(const char *const *script)
{
	struct vx_ctl *c = &world_ctl;
	struct vx_dp *dp = &world_dp;

	if (in_world)
		die("world already open");
	memset(c, 0, sizeof(*c));
	c->dp = dp;
	c->tsc_hz = rte_get_tsc_hz();
	if (vx_dp_init(dp, 1, FZ_FDB_SIZE, SOCKET_ID_ANY) < 0)
		die("vx_dp_init");
	dp->pool = pool;
	dp->hdr_pool = hdr_pool;
	for (int p = 0; p < FZ_PORTS; p++) {
		struct vx_ctl_port *cp = &c->port[port_id[p]];

		cp->present = true;
		cp->port_id = port_id[p];
		/* As the daemon names them: the device's name (here short, as a NIC's). */
		snprintf(cp->name, sizeof(cp->name), "eth%d", p);
		snprintf(cp->dev_name, sizeof(cp->dev_name), "eth%d", p);
		cp->mtu = 1500;
		cp->mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01 + p}};
		/* Port 2 offloads the UDP checksum: both encap paths run. */
		cp->tx_offload_capa = p == 2 ? RTE_ETH_TX_OFFLOAD_UDP_CKSUM : 0;
	}
	c->n_ports = FZ_PORTS;
	if (saved_ul == NULL) {
		if (vx_ul_init(c) < 0)
			die("vx_ul_init");
	} else if (ul_reuse(c) < 0) {
		die("underlay reuse");
	}
	/* A clock that moves only when the harness polls. */
	now_ms = 1000000;
	c->ul->now_ms = fz_now_ms;
	if (vx_core_init(c) < 0)
		die("vx_core_init");
	memset(&worker, 0, sizeof(worker));
	worker.dp = dp;
	worker.id = 0;
	worker.st = &dp->stats[0];
	for (int p = 0; p < FZ_PORTS; p++) {
		worker.rxq[p].port = port_id[p];
		worker.rxq[p].queue = 0;
	}
	worker.n_rxq = FZ_PORTS;
	in_world = true;
	for (; script != NULL && *script != NULL; script++) {
		struct vx_out out = {0};

		if (fz_cmd(c, *script, &out) < 0) {
			fprintf(stderr, "fuzz env: \"%s\": %s\n", *script,
				out.buf != NULL ? out.buf : "?");
			abort();
		}
		vx_out_free(&out);
	}
	return c;
}

static void
ring_free_all(struct rte_ring *r)
{
	void *m;

	while (r != NULL && rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
}

unsigned int
fz_drain_tx(void)
{
	unsigned int n = 0;

	for (int p = 0; p < FZ_PORTS; p++) {
		n += rte_ring_count(tx_ring[p]);
		ring_free_all(tx_ring[p]);
	}
	return n;
}

void
fz_world_free(struct vx_ctl *c)
{
	struct vx_dp *dp = c->dp;
	unsigned int used, hdr_used;

	fz_worker_poll(c);
	fz_drain_tx();
	for (int p = 0; p < FZ_PORTS; p++)
		ring_free_all(rx_ring[p]);
	for (uint16_t p = 0; p < VX_MAX_PORTS; p++)
		ring_free_all(dp->ctl_tx_ring[p]);
	vx_core_fini(c);
	/* Keep the underlay (and its LPM tables) for the next world, without its mbufs. */
	for (uint32_t i = 0; i < VX_NEIGH_MAX; i++) {
		struct vx_neigh *n = &c->ul->nt.n[i];

		for (uint8_t q = 0; q < n->qlen; q++)
			rte_pktmbuf_free(n->q[q]);
		n->qlen = 0;
	}
	saved_ul = c->ul;
	c->ul = NULL;
	vx_dp_fini(dp);
	in_world = false;
	used = rte_mempool_in_use_count(pool);
	hdr_used = rte_mempool_in_use_count(hdr_pool);
	if (used != 0 || hdr_used != 0) {
		fprintf(stderr, "fuzz env: mbuf leak: %u packet and %u header mbufs in use\n", used,
			hdr_used);
		abort();
	}
}

int
fz_cmd(struct vx_ctl *c, const char *line, struct vx_out *out)
{
	char buf[4096], *argv[VX_CLI_MAX_WORDS + 1];
	struct vx_out tmp = {0};
	int argc, ret;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = vx_cli_split(buf, argv, VX_CLI_MAX_WORDS);
	if (argc < 0)
		return argc;
	if (out == NULL)
		out = &tmp;
	vx_out_reset(out);
	ret = vx_cli_exec(c, argc, argv, 0, out);
	vx_out_free(&tmp);
	return ret;
}

/* ---- running ---- */

void
fz_worker_poll(struct vx_ctl *c)
{
	(void)c;
	vx_worker_poll(&worker);
}

/*
 * The control thread may write past a punted frame (an ARP reply padded to
 * 60 bytes in place): the tails of the mbufs on the punt ring are
 * unpoisoned first. The poisoning is for the workers' reads; the control
 * thread's parsers run on exact-size buffers in fuzz_punt.
 */
static void
punt_unpoison(struct vx_dp *dp)
{
	struct rte_mbuf *m[VX_PUNT_RING_SIZE];
	unsigned int n = rte_ring_sc_dequeue_burst(dp->punt_ring[0], (void **)m, RTE_DIM(m), NULL);

	for (unsigned int i = 0; i < n; i++)
		for (struct rte_mbuf *s = m[i]; s != NULL; s = s->next)
			fz_unpoison(s->buf_addr, s->buf_len);
	if (rte_ring_sp_enqueue_bulk(dp->punt_ring[0], (void **)m, n, NULL) != n)
		die("punt ring");
}

void
fz_ctl_poll(struct vx_ctl *c)
{
	punt_unpoison(c->dp);
	now_ms += 250;
	vx_dp_set_now(c->dp, (uint32_t)(now_ms / 1000));
	vx_core_poll(c);
	vx_ul_poll(c);
}

void
fz_settle(struct vx_ctl *c)
{
	fz_worker_poll(c);
	fz_ctl_poll(c);
	fz_worker_poll(c);
	fz_ctl_poll(c);
	fz_worker_poll(c);
}

void
fz_rx(uint16_t port, struct rte_mbuf *m)
{
	m->port = port_id[port % FZ_PORTS];
	if (rte_ring_sp_enqueue(rx_ring[port % FZ_PORTS], m) != 0)
		rte_pktmbuf_free(m);
}

/* ---- frames ---- */

static void
poison_tail(struct rte_mbuf *m)
{
	for (; m != NULL; m = m->next) {
		uint8_t *end = rte_pktmbuf_mtod_offset(m, uint8_t *, rte_pktmbuf_data_len(m));

		fz_poison(end, (uint8_t *)m->buf_addr + m->buf_len - end);
	}
}

static struct rte_mbuf *
seg_of(const uint8_t *f, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	if (m == NULL)
		die("pool empty");
	if (len != 0)
		memcpy(rte_pktmbuf_append(m, len), f, len);
	return m;
}

struct rte_mbuf *
fz_mbuf(const uint8_t *f, uint16_t len, uint16_t port)
{
	struct rte_mbuf *m = seg_of(f, len);

	m->port = port_id[port % FZ_PORTS];
	poison_tail(m);
	return m;
}

struct rte_mbuf *
fz_frame(struct fz_in *in, uint16_t *port, uint8_t *ctl, uint8_t *raw, uint16_t *raw_len)
{
	uint8_t c, vf = 0, split = 0;
	uint16_t len, tci = 0;
	uint32_t rss = 0;
	struct rte_mbuf *m;

	if (in->n == 0)
		return NULL;
	c = fz_u8(in);
	if (c & FZ_F_VLAN)
		tci = fz_u16(in);
	if (c & FZ_F_CSUM)
		vf = fz_u8(in);
	if (c & FZ_F_SPLIT)
		split = fz_u8(in);
	if (c & FZ_F_RSS)
		rss = fz_u32(in);
	len = fz_u16(in) % (FZ_MAX_FRAME + 1);
	if (len > in->n)
		len = (uint16_t)in->n;
	memcpy(raw, in->p, len);
	in->p += len;
	in->n -= len;
	if (c & FZ_F_FIX)
		fz_fix_frame(raw, len);
	if ((c & FZ_F_SPLIT) && split != 0 && split < len) {
		m = seg_of(raw, split);
		if (rte_pktmbuf_chain(m, seg_of(raw + split, len - split)) != 0)
			die("chain");
	} else {
		m = seg_of(raw, len);
	}
	*port = (c & FZ_F_PORT) % FZ_PORTS;
	m->port = port_id[*port];
	if (c & FZ_F_VLAN) {
		m->vlan_tci = tci;
		m->ol_flags |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
	}
	if (c & FZ_F_CSUM) {
		static const uint64_t ip[4] = {0, RTE_MBUF_F_RX_IP_CKSUM_GOOD,
					       RTE_MBUF_F_RX_IP_CKSUM_BAD,
					       RTE_MBUF_F_RX_IP_CKSUM_NONE};
		static const uint64_t l4[4] = {0, RTE_MBUF_F_RX_L4_CKSUM_GOOD,
					       RTE_MBUF_F_RX_L4_CKSUM_BAD,
					       RTE_MBUF_F_RX_L4_CKSUM_NONE};

		m->ol_flags |= ip[vf & 3] | l4[(vf >> 2) & 3];
	}
	if (c & FZ_F_RSS) {
		m->hash.rss = rss;
		m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	}
	poison_tail(m);
	*ctl = c;
	*raw_len = len;
	return m;
}
