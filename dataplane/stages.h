/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_STAGES_H
#define VX_STAGES_H

/*
 * Helpers shared by the pipeline stages of dataplane/ (not part of the
 * contract with control/: see include/vx_worker.h for that). Everything
 * here runs on the worker path: no lock, no malloc, no log, no syscall.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "vx_crc.h"
#include "vx_parse.h"
#include "vx_worker.h"

/* Drop m, counted on the port and the link. */
static inline void
vx_drop_bd(struct vx_worker *w, struct rte_mbuf *m, enum vx_drop why, uint16_t port, uint16_t bd)
{
	w->st->bd[bd].drops++;
	vx_drop_pkt(w, m, why, port);
}

/*
 * vx_fdb_key() of a MAC inside a frame header, from one 8-byte load: the
 * two bytes after the MAC must be readable (they are for both MACs of an
 * Ethernet header: the source MAC is followed by the EtherType).
 */
static inline uint64_t
vx_fdb_key_hdr(uint16_t bd, const uint8_t *mac)
{
	uint64_t v;

	memcpy(&v, mac, 8);
	return ((uint64_t)bd << 48) | (rte_be_to_cpu_64(v) >> 16);
}

/* The MAC classes of vx_parse.h, on a key from vx_fdb_key_hdr(). */
static inline bool
vx_fdb_key_mcast(uint64_t key)
{
	return (key >> 40) & 1; /* I/G bit of the first octet */
}

static inline bool
vx_fdb_key_src_ok(uint64_t key)
{
	return !vx_fdb_key_mcast(key) && (key & 0xffffffffffffULL) != 0;
}

static inline uint16_t
vx_rd16(const uint8_t *b)
{
	return ((uint16_t)b[0] << 8) | b[1];
}

static inline uint32_t
vx_rd32u(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

/*
 * Two or three dependent CRC32C instructions for the common frames: the
 * addresses, then the ports (with the protocol in the seed); MACs and
 * EtherType only for frames that are not IP. Any frame of one flow gets
 * one hash, which is all the source port needs (RFC 7348 5). Inline: it
 * runs once per encapsulated frame. Only f[0..len) (the first segment)
 * is read.
 */
static __rte_always_inline uint32_t
vx_flow_hash_sw(const uint8_t *f, uint32_t len)
{
	uint32_t off = RTE_ETHER_HDR_LEN, ihl, h;
	const uint8_t *ip;
	uint64_t a;
	uint16_t et;
	uint8_t proto;

	/*
	 * Most frames: untagged IPv4 without options, not a fragment, TCP, UDP
	 * or SCTP. One test for EtherType, version and IHL, one for the
	 * fragment bits; the same hash as the general path below.
	 */
	if (likely(len >= RTE_ETHER_HDR_LEN + 24)) {
		/* Tested in network order against constants: no byte swaps. */
		uint32_t vhl = vx_rd32u(f + 12) & RTE_BE32(0xffffff00);
		uint16_t frag;

		memcpy(&frag, f + 20, 2);
		proto = f[23];
		if (likely(vhl == RTE_BE32(0x08004500) &&
			   !(frag & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) &&
			   (likely(proto == IPPROTO_UDP) || proto == IPPROTO_TCP ||
			    proto == IPPROTO_SCTP))) {
			memcpy(&a, f + 26, 8);
			return vx_crc_4byte(vx_rd32u(f + 34), vx_crc_8byte(a, 0x9e3779b9 ^ proto));
		}
	}
	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return 0;
	et = vx_rd16(f + 12);
	if (unlikely(et == RTE_ETHER_TYPE_VLAN) && len >= off + 4) {
		et = vx_rd16(f + 16);
		off += 4;
	}
	ip = f + off;
	if (likely(et == RTE_ETHER_TYPE_IPV4 && len >= off + 20)) {
		ihl = (ip[0] & 0xf) * 4u;
		proto = ip[9];
		memcpy(&a, ip + 12, 8);
		h = vx_crc_8byte(a, 0x9e3779b9 ^ proto);
		if (vx_rd16(ip + 6) & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
			return h;
		off += ihl;
	} else if (et == RTE_ETHER_TYPE_IPV6 && len >= off + 40) {
		proto = ip[6];
		h = 0x9e3779b9 ^ proto;
		for (unsigned int i = 8; i < 40; i += 8) {
			memcpy(&a, ip + i, 8);
			h = vx_crc_8byte(a, h);
		}
		off += 40;
	} else {
		memcpy(&a, f, 8);
		h = vx_crc_8byte(a, 0x9e3779b9 ^ et);
		return vx_crc_4byte(vx_rd32u(f + 8), h);
	}
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP) &&
	    len >= off + 4)
		h = vx_crc_4byte(vx_rd32u(f + off), h);
	return h;
}

/* The flow hash of an inner frame: the NIC's RSS hash when it gave one. */
static __rte_always_inline uint32_t
vx_flow_hash(const struct rte_mbuf *m)
{
	if (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH)
		return m->hash.rss;
	return vx_flow_hash_sw(rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m));
}

/*
 * UDP source port for a flow hash, in [min, max) as the kernel's
 * udp_flow_src_port() maps it (max itself is never used; max == min gives
 * min). No test for max < min: the control thread gives every VTEP
 * min < max (the kernel's default range when a link asks for min >= max).
 */
static inline uint16_t
vx_srcport(uint32_t hash, uint16_t min, uint16_t max)
{
	hash ^= hash << 16;
	return min + (uint16_t)(((uint64_t)hash * (uint32_t)(max - min)) >> 32);
}

/*
 * Tag m with vid (0: leave it untagged) before sending it to an access
 * port. m must be direct and not shared. Returns 0 or -1.
 */
static inline int
vx_vlan_push(struct rte_mbuf **m, uint16_t vid)
{
	if (vid == 0)
		return 0;
	(*m)->vlan_tci = vid;
	return rte_vlan_insert(m) == 0 ? 0 : -1;
}

/* Learn requests of one burst, pushed to the worker's ring in one go. */
struct vx_learn_batch {
	unsigned int n;
	uint64_t last_key;
	struct vx_learn_req req[VX_BURST];
};

static inline void
vx_learn_init(struct vx_learn_batch *b)
{
	b->n = 0;
	b->last_key = UINT64_MAX;
}

static inline struct vx_learn_req *
vx_learn_add(struct vx_learn_batch *b, uint64_t key)
{
	struct vx_learn_req *r;

	/* A flow repeats its source MAC across a burst: one request is enough. */
	if (key == b->last_key || b->n == VX_BURST)
		return NULL;
	b->last_key = key;
	r = &b->req[b->n++];
	memset(r, 0, sizeof(*r));
	r->key = key;
	return r;
}

static inline void
vx_learn_flush(struct vx_worker *w, struct vx_learn_batch *b)
{
	struct rte_ring *r = w->dp->learn_ring[w->id];
	unsigned int sent = 0;
	uint64_t tsc;

	if (b->n == 0)
		return;
	tsc = rte_rdtsc();
	for (unsigned int i = 0; i < b->n; i++)
		b->req[i].tsc = tsc;
	if (r != NULL)
		sent = rte_ring_sp_enqueue_burst_elem(r, b->req, sizeof(b->req[0]), b->n, NULL);
	w->st->event[VX_EV_LEARN_REQ] += sent;
	w->st->event[VX_EV_LEARN_RING_FULL] += b->n - sent;
	b->n = 0;
}

/*
 * Cut m to its first len bytes, freeing the segments past them
 * (rte_pktmbuf_trim() only shortens the last segment, and fails when the
 * bytes to cut span more than that).
 */
static inline void
vx_mbuf_cut(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *seg = m;
	uint32_t left = len;
	uint16_t nb = 1;

	if (rte_pktmbuf_pkt_len(m) <= len)
		return;
	while (seg->data_len < left && seg->next != NULL) {
		left -= seg->data_len;
		seg = seg->next;
		nb++;
	}
	seg->data_len = (uint16_t)left;
	if (seg->next != NULL) {
		rte_pktmbuf_free(seg->next);
		seg->next = NULL;
	}
	m->nb_segs = nb;
	m->pkt_len = len;
}

/*
 * GCRA (virtual scheduling) on one worker's state: a frame is due at *tat;
 * one that arrives more than tau before that is over the rate, any other
 * moves *tat one interval on. A *tat further ahead than the parameters
 * allow was left by other parameters (a changed rate, a link deleted and
 * its bridge domain reused): it starts again from now.
 */
static inline bool
vx_gcra_admit(uint64_t *tat, uint64_t interval, uint64_t tau, uint64_t now)
{
	uint64_t t = *tat;

	if (t <= now) {
		t = now;
	} else if (t - now > tau) {
		if (t - now <= tau + interval)
			return false;
		t = now;
	}
	*tat = t + interval;
	return true;
}

/* The punt budget of class cls on port: may one more frame go? (enum vx_punt_class) */
static inline bool
vx_punt_admit(struct vx_worker *w, uint16_t port, enum vx_punt_class cls)
{
	if (unlikely(w->punt_interval == 0)) {
		uint64_t nw = w->dp->n_workers != 0 ? w->dp->n_workers : 1;
		uint64_t burst = RTE_MAX((uint64_t)VX_PUNT_BURST / nw, (uint64_t)1);

		w->punt_interval = RTE_MAX(rte_get_tsc_hz() * nw / VX_PUNT_PPS, (uint64_t)1);
		w->punt_tau = (burst - 1) * w->punt_interval;
	}
	return vx_gcra_admit(&w->punt_tat[port][cls], w->punt_interval, w->punt_tau, rte_rdtsc());
}

/*
 * Hand m to the control thread (punt ring of this worker), within the
 * budget of its class on its input port (none for VX_PCLASS_NONE); only
 * VX_PCLASS_NEIGH_REPLY may fill the ring's last VX_PUNT_RING_RESERVE
 * slots.
 */
static inline void
vx_punt(struct vx_worker *w, struct rte_mbuf *m, enum vx_punt_reason why, enum vx_punt_class cls,
	uint32_t arg, uint16_t port)
{
	struct rte_ring *r = w->dp->punt_ring[w->id];

	if (cls != VX_PCLASS_NONE &&
	    unlikely(port >= VX_MAX_PORTS || !vx_punt_admit(w, port, cls))) {
		vx_drop_pkt(w, m, VX_DROP_PUNT_RATE, port);
		return;
	}
	m->hash.fdir.hi = why;
	m->hash.fdir.lo = arg;
	if (r == NULL ||
	    (cls != VX_PCLASS_NEIGH_REPLY && rte_ring_free_count(r) <= VX_PUNT_RING_RESERVE) ||
	    rte_ring_sp_enqueue(r, m) != 0) {
		vx_drop_pkt(w, m, VX_DROP_PUNT_FULL, port);
		return;
	}
	/* VX_EV_UNRESOLVED is the control thread's: it counts what it queues. */
	w->st->event[VX_EV_PUNTED]++;
}

#endif /* VX_STAGES_H */
