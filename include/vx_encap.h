/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_ENCAP_H
#define VX_ENCAP_H

/*
 * Encapsulation for the control thread: the frames it originates into a
 * link (overlay ARP/ND/ICMP answers, frames released once a next hop is
 * resolved) get their outer header from the same code as the workers'
 * frames (dataplane/encap.h), so they carry the same header and the same
 * UDP source port as the dataplane gives the same inner frame.
 *
 * Not for the worker path: the workers inline the same code. No worker,
 * tx buffer or counter is touched; the caller sends the frame (vx_ctl_tx,
 * or a next hop's queue when vt is not resolved) and counts it.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vx_drop.h"
#include "vx_tables.h"

/*
 * Put vt's outer header in front of the inner frame m and patch it exactly
 * as the workers do: IP lengths, IPv4 identification (ip_id, used only when
 * the template's DF is clear) and header checksum, UDP length, source port
 * (vx_srcport() of flow_hash in vt's range) and checksum (VX_VTEP_UDPCSUM;
 * with VX_VTEP_TX_CSUM the frame carries the offload flags for vt->port).
 * The header goes into m's headroom, or into an mbuf from hdr_pool chained
 * in front of m. Returns the frame to send, or NULL with *why set
 * (VX_DROP_MTU, VX_DROP_NO_MBUF). Consumes m either way.
 */
struct rte_mbuf *vx_encap_frame(const struct vx_vtep *vt, struct rte_mbuf *m, uint32_t flow_hash,
				uint16_t ip_id, struct rte_mempool *hdr_pool, enum vx_drop *why);

/*
 * The flow hash the access stage uses for an inner frame: the NIC's RSS
 * hash when m carries one, else the software hash of vx_flow_hash_frame()
 * over m's first segment.
 */
uint32_t vx_flow_hash_mbuf(const struct rte_mbuf *m);

/*
 * The software flow hash of an inner Ethernet frame f[0..len): inner
 * addresses, protocol and ports for IPv4/IPv6 (802.1Q tag skipped), MACs
 * and EtherType otherwise; one value for every frame of a flow.
 */
uint32_t vx_flow_hash_frame(const uint8_t *f, uint32_t len);

#endif /* VX_ENCAP_H */
