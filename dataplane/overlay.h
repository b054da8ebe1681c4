/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_OVERLAY_DP_H
#define VX_OVERLAY_DP_H

/*
 * dataplane/overlay.c: proxy ARP/ND and overlay addresses (see there).
 * Call only for a link with VX_BD_PROXY or VX_BD_OVL_ADDR. The inner
 * frame is m's bytes [off, off + len); vid is the access VLAN, or
 * UINT16_MAX for a frame decapsulated from a remote VTEP. Returns true
 * when m was consumed (punted to the control thread).
 */

#include <stdbool.h>
#include <stdint.h>

#include "vx_worker.h"

bool vx_overlay_input(struct vx_worker *w, const struct vx_bd *bd, struct rte_mbuf *m, uint32_t off,
		      uint32_t len, uint16_t port, uint16_t vid);

#define VX_BD_OVL_MASK (VX_BD_PROXY | VX_BD_OVL_ADDR)

#endif /* VX_OVERLAY_DP_H */
