/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_NBR_H
#define VX_NBR_H

/*
 * A link's neighbour map: IP -> MAC of the link's neighbour entries
 * (`vxctl neigh ... dev LINK`, static and, with `proxy learn`, learned),
 * the workers' copy of what the control thread keeps in its proxy table.
 * Route short-circuit (`rsc`) finds an inner destination's MAC in it;
 * `proxy learn` floods an ARP request or NS whose target it lacks.
 *
 * Writer: the control thread, which builds a map with the link's struct
 * vx_bd (same allocation, control/core/publish.c) whenever the link's
 * entries change; immutable once published, freed with the bd after a
 * grace period. Readers: the workers, lock-free, with vx_nbr_lookup().
 *
 * Open addressing with linear probing over a power-of-two number of
 * slots, at most half of them used, so a probe sequence is short and
 * always ends on an empty slot (family 0). The hash is a CRC32C of the
 * address with a seed drawn per map, so which addresses collide cannot be
 * chosen from outside (learned entries come from traffic).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>

#include "vx_crc.h"

struct vx_nbr {
	uint8_t family; /* AF_INET, AF_INET6; 0 = empty slot */
	uint8_t pad;
	struct rte_ether_addr mac;
	uint8_t ip[16]; /* 4 or 16 bytes used */
};

struct vx_nbr_map {
	uint32_t mask; /* slots - 1 */
	uint32_t seed;
	uint32_t n; /* entries */
	uint32_t pad;
	struct vx_nbr slot[];
};

/* Slots for n entries: a power of two, at least 2n (and 4). */
static inline uint32_t
vx_nbr_slots(uint32_t n)
{
	uint32_t s = 4;

	while (s < 2 * n)
		s *= 2;
	return s;
}

static inline uint32_t
vx_nbr_hash(const struct vx_nbr_map *m, uint8_t family, const uint8_t *ip)
{
	uint64_t a, b;

	if (family == AF_INET) {
		uint32_t v;

		memcpy(&v, ip, 4);
		return vx_crc_4byte(v, m->seed);
	}
	memcpy(&a, ip, 8);
	memcpy(&b, ip + 8, 8);
	return vx_crc_8byte(b, vx_crc_8byte(a, m->seed));
}

/* The entry of (family, ip[0 .. 4 or 16)), or NULL. m may be NULL (no entries). */
static inline const struct vx_nbr *
vx_nbr_lookup(const struct vx_nbr_map *m, uint8_t family, const uint8_t *ip)
{
	size_t len = family == AF_INET ? 4 : 16;

	if (m == NULL || m->n == 0)
		return NULL;
	for (uint32_t i = vx_nbr_hash(m, family, ip) & m->mask;; i = (i + 1) & m->mask) {
		const struct vx_nbr *e = &m->slot[i];

		if (e->family == 0)
			return NULL;
		if (e->family == family && memcmp(e->ip, ip, len) == 0)
			return e;
	}
}

/* Builder side (control thread): put an entry in a map of enough slots. */
static inline void
vx_nbr_insert(struct vx_nbr_map *m, uint8_t family, const uint8_t *ip,
	      const struct rte_ether_addr *mac)
{
	size_t len = family == AF_INET ? 4 : 16;
	uint32_t i = vx_nbr_hash(m, family, ip) & m->mask;

	while (m->slot[i].family != 0) {
		if (m->slot[i].family == family && memcmp(m->slot[i].ip, ip, len) == 0)
			break;
		i = (i + 1) & m->mask;
	}
	if (m->slot[i].family == 0)
		m->n++;
	m->slot[i].family = family;
	memcpy(m->slot[i].ip, ip, len);
	m->slot[i].mac = *mac;
}

#endif /* VX_NBR_H */
