/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_LINK_PUNT_H
#define VX_LINK_PUNT_H

/*
 * dataplane/link_punt.c: which inner frames of a link go to the control
 * thread (proxy ARP/ND answers, the link's overlay addresses; see there).
 * Call only for a link with a flag of VX_BD_PUNT_MASK. The inner frame is
 * m's bytes [off, off + len); vid is the access VLAN, or UINT16_MAX for a
 * frame decapsulated from a remote VTEP. Returns true when m was consumed
 * (punted, or punted and flooded to local members only), false when the
 * caller forwards it as usual.
 */

#include <stdbool.h>
#include <stdint.h>

#include "vx_worker.h"

bool vx_link_punt(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint32_t off,
		  uint32_t len, uint16_t port, uint16_t vid);

#define VX_BD_PUNT_MASK (VX_BD_PROXY | VX_BD_OVL_ADDR)

#endif /* VX_LINK_PUNT_H */
