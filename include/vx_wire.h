/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_WIRE_H
#define VX_WIRE_H

/*
 * The VXLAN header, RFC 7348 section 5:
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |R|R|R|R|I|R|R|R|            Reserved                           |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                VXLAN Network Identifier (VNI) |   Reserved    |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * On transmit flags are 0x08 (I) and every reserved bit is zero. On
 * receive the I flag must be set and the reserved bits are ignored, as the
 * RFC says (Linux drops frames with reserved bits set: see docs/interop.md).
 *
 * The layout is DPDK's struct rte_vxlan_hdr; the helpers below are the
 * only places that know the bit positions.
 */

#include <stdint.h>
#include <rte_byteorder.h>
#include <rte_vxlan.h>

#define VX_VXLAN_HLEN	     8
#define VX_VXLAN_FLAG_I	     0x08
#define VX_ETH_HLEN	     14
#define VX_VLAN_HLEN	     4
#define VX_IP4_HLEN	     20
#define VX_IP6_HLEN	     40
#define VX_UDP_HLEN	     8
/* Outer headers added by encapsulation, without and with an 802.1Q tag. */
#define VX_ENCAP4_LEN	     (VX_ETH_HLEN + VX_IP4_HLEN + VX_UDP_HLEN + VX_VXLAN_HLEN) /* 50 */
#define VX_ENCAP6_LEN	     (VX_ETH_HLEN + VX_IP6_HLEN + VX_UDP_HLEN + VX_VXLAN_HLEN) /* 70 */
#define VX_ENCAP_MAX_LEN     (VX_ENCAP6_LEN + VX_VLAN_HLEN)

/* Flags word (first 32 bits, network order) with only I set. */
static inline uint32_t
vx_vxlan_flags_word(void)
{
	return rte_cpu_to_be_32((uint32_t)VX_VXLAN_FLAG_I << 24);
}

/* VNI from the second 32-bit word (network order) of a VXLAN header. */
static inline uint32_t
vx_vxlan_vni(const struct rte_vxlan_hdr *h)
{
	return rte_be_to_cpu_32(h->vx_vni) >> 8;
}

static inline uint32_t
vx_vxlan_vni_word(uint32_t vni)
{
	return rte_cpu_to_be_32(vni << 8);
}

static inline int
vx_vxlan_has_i(const struct rte_vxlan_hdr *h)
{
	return (rte_be_to_cpu_32(h->vx_flags) >> 24) & VX_VXLAN_FLAG_I;
}

#endif /* VX_WIRE_H */
