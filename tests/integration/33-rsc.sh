#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Route short-circuit, seed 002's lab: H1 pings H4, in another subnet, with
# no router present.
#
#   H1 (203.0.113.10/25, 2001:db8:ff::10/65) -- net_af_packet0 [switch x,
#   vxlan10 rsc] net_af_packet1 -- eth0 [kernel kb, vxlan10 rsc] -- H4
#   (203.0.113.130/25, 2001:db8:ff::8000:0:0:13/65)
#
# Each host's default route goes through a router whose MAC (02:aa:00:00:00:fe)
# the hosts have as a static neighbour and the VTEPs as an FDB entry marked
# `router`; nothing has the router's addresses. The switch and the kernel VTEP
# each know the other side's host as a neighbour of vxlan10 and switch the
# frames to it straight. Asserted: H1 pings H4 over IPv4 and IPv6; at H4 the
# echo requests come from the router's MAC with TTL / hop limit 63 (the switch
# decrements as a router would; the kernel short-circuits the replies without
# decrementing); the switch counted them (rsc); without rsc nothing answers.
. "$(dirname "$0")/lib.sh"
[ "$VXT_IMPL" = kernel ] && vxt_skip "kernel mode: the kernel's rsc does not decrement the TTL this lab asserts"
vxt_init i33
RTR=02:aa:00:00:00:fe

vxt_host h1 "203.0.113.10/25 2001:db8:ff::10/65" $VXT_MAC_A 1450
vxt_host h4 "203.0.113.130/25 2001:db8:ff::8000:0:0:13/65" $VXT_MAC_B 1450
vxt_kvtep kb
vxt_sw_port x 0 h1 eth0
vxt_host_up h1
vxt_sw_port x 1 kb eth0
vxt_log "-- hosts: a default route through a router that does not exist"
vxt_k h1 ip neigh add 203.0.113.1 lladdr $RTR dev eth0 nud permanent
vxt_k h1 ip route add default via 203.0.113.1
vxt_k h1 ip -6 neigh add 2001:db8:ff::1 lladdr $RTR dev eth0 nud permanent
vxt_k h1 ip -6 route add default via 2001:db8:ff::1

vxt_log "-- kernel VTEP kb: rsc for H4's replies"
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 dev eth0 nolearning rsc
# The kernel keeps vxlan10's neighbours in its IPv6 table: IPv6 on for that device.
vxt_in kb sysctl -qw net.ipv6.conf.vxlan10.disable_ipv6=0
vxt_k kb bridge fdb add $RTR dev vxlan10 dst 198.51.100.1 router
vxt_k kb bridge fdb add $VXT_MAC_A dev vxlan10 dst 198.51.100.1
vxt_k kb ip neigh add 203.0.113.10 lladdr $VXT_MAC_A dev vxlan10
vxt_k kb ip -6 neigh add 2001:db8:ff::10 lladdr $VXT_MAC_A dev vxlan10
vxt_khost_attach h4 kb br0
vxt_k h4 ip neigh add 203.0.113.129 lladdr $RTR dev eth0 nud permanent
vxt_k h4 ip route add default via 203.0.113.129
vxt_k h4 ip -6 neigh add 2001:db8:ff::8000:0:0:1 lladdr $RTR dev eth0 nud permanent
vxt_k h4 ip -6 route add default via 2001:db8:ff::8000:0:0:1

vxt_log "-- switch x: the router's entry, H4 as a neighbour of vxlan10"
vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	dev net_af_packet1 nolearning rsc
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_ctl x fdb add $RTR dev vxlan10 dst 198.51.100.2 router
vxt_ctl x fdb add $VXT_MAC_B dev vxlan10 dst 198.51.100.2
vxt_ctl x neigh add 203.0.113.130 lladdr $VXT_MAC_B dev vxlan10
vxt_ctl x neigh add 2001:db8:ff::8000:0:0:13 lladdr $VXT_MAC_B dev vxlan10
vxt_assert_grep "$(vxt_sw_fdb x dev vxlan10)" "^$RTR dev vxlan10 dst 198\.51\.100\.2 self router permanent" \
	"fdb show marks the router"

vxt_cap_start h4 h4 eth0 "icmp or icmp6"
vxt_ping h1 203.0.113.130
vxt_ping h1 2001:db8:ff::8000:0:0:13
vxt_cap_stop h4
vxt_assert_ge "$(vxt_cap_count h4 "icmp.type==8 && ip.ttl==63 && eth.src==$RTR")" 5 \
	"echo requests at H4 from the router's MAC, TTL 63"
vxt_assert_eq "$(vxt_cap_count h4 "icmp.type==8 && ip.ttl!=63")" 0 "echo requests with another TTL"
vxt_assert_ge "$(vxt_cap_count h4 "icmpv6.type==128 && ipv6.hlim==63 && eth.src==$RTR")" 5 \
	"echo requests at H4 over IPv6, hop limit 63"
vxt_assert_ge "$(vxt_drop_count x rsc)" 10 "frames short-circuited by the switch (rsc)"

vxt_log "-- without rsc the frames go to the router, which does not exist"
vxt_ctl x link set vxlan10 norsc
vxt_noping h1 203.0.113.130
