/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_INET_H
#define VX_INET_H

/*
 * IP and MAC addresses as the control plane prints and compares them
 * (struct vx_ip and vx_ip_eq() are in include/vx_tables.h). Pure
 * functions, no EAL. Parsing them from command words is the grammar's
 * (cli/cli.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "vx_tables.h"

/* "192.0.2.1", "2001:db8::1"; "none" for family 0. Returns buf. */
const char *vx_fmt_ip(const struct vx_ip *ip, char *buf, size_t len);
/* Lower-case aa:bb:cc:dd:ee:ff, as iproute2 prints MACs. Returns buf. */
const char *vx_fmt_mac(const struct rte_ether_addr *mac, char *buf, size_t len);
/* The unspecified address (0.0.0.0, ::), or family 0. */
bool vx_ip_is_any(const struct vx_ip *ip);
bool vx_ip_is_multicast(const struct vx_ip *ip);
/*
 * Not a unicast host address a packet may come from: multicast, IPv4
 * limited broadcast, loopback, or family 0. The unspecified address is
 * martian too unless any_ok (ARP probes and DAD come from it).
 */
bool vx_ip_martian(const struct vx_ip *ip, bool any_ok);
/* Not a station's MAC: multicast (broadcast included) or all-zero. */
bool vx_mac_martian(const struct rte_ether_addr *mac);
/* "IPv4", "IPv6" or "none". */
const char *vx_family_name(uint8_t family);
/* Clear the host bits of ip beyond plen. */
void vx_prefix_mask(struct vx_ip *ip, uint8_t plen);

#endif /* VX_INET_H */
