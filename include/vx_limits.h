/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_LIMITS_H
#define VX_LIMITS_H

/*
 * Compile-time bounds shared by the dataplane and the control thread.
 * Every table that the workers read is sized by one of these, so that no
 * worker ever needs to allocate or resize anything.
 */

#define VX_MAX_PORTS		32    /* = RTE_MAX_ETHPORTS of Debian's DPDK 22.11 */
#define VX_MAX_WORKERS		16    /* worker lcores */
#define VX_MAX_BD		4096  /* bridge domains (one per VXLAN link); bd 0 is never used */
#define VX_MAX_VTEP		65536 /* remote VTEP encap objects; index 0 is never used */
#define VX_MAX_VLAN		4096  /* 802.1Q VIDs; VID 0 in an access map means untagged */
#define VX_MAX_LOCAL_ADDR	16    /* underlay addresses owned by the switch */
#define VX_MAX_DSTPORTS		8     /* distinct VXLAN UDP destination ports listened on */
#define VX_MAX_GROUPS		64    /* multicast groups joined on underlay ports */
#define VX_BURST		32    /* rx/tx burst size */
#define VX_NAME_LEN		32    /* link and port names, NUL included (IFNAMSIZ is 16) */
#define VX_VNI_MAX		0xffffffu /* 24-bit VNI */
#define VX_DEFAULT_DSTPORT	4789
#define VX_DEFAULT_AGEING	300
#define VX_DEFAULT_TTL		64
#define VX_FDB_DEFAULT_CAPACITY (1u << 20)
#define VX_LEARN_RING_SIZE	16384 /* per worker; the control thread drains all of it each poll */
#define VX_PUNT_RING_SIZE	1024  /* per worker */
#define VX_PUNT_RING_RESERVE	256   /* punt ring slots only ARP replies and NAs may take */
#define VX_PUNT_PPS		1000  /* punt budget of one class on one input port, a second */
#define VX_PUNT_BURST		200   /* and its burst, in frames (both split over the workers) */
#define VX_BUM_RATE_MAX		100000000 /* `bum-rate` PPS of a link, 0 = no limit */
#define VX_BUM_BURST		32	  /* storm control: burst per worker, in frames */

#endif /* VX_LIMITS_H */
