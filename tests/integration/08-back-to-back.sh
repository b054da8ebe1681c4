#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two switches back to back (two vxswitch daemons, each its
# own --file-prefix and socket), no kernel VTEP: host A behind x, host B
# behind y, their underlay ports joined by one veth. Ping both ways, both
# learn, and the underlay carries VNI 10 to port 4789.
. "$(dirname "$0")/lib.sh"
vxt_init i08
vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1450
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1450
vxt_sw_port x 0 ha eth0
vxt_sw_port y 0 hb eth0
vxt_host_up ha
vxt_host_up hb
vxt_sw_port_pair x 1 y 1
vxt_sw_start x
vxt_sw_start y
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl y addr add 198.51.100.2/24 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 remote 198.51.100.2 \
	dev net_af_packet1
vxt_ctl y link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 \
	dev net_af_packet1
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_ctl y link set dev net_af_packet0 master vxlan10

# A capture on a DPDK af_packet port's veth sees only what arrives there (the
# PMD transmits with PACKET_QDISC_BYPASS, past the taps): x -> y is seen on
# y's port, y -> x on x's.
vxt_cap_start inx x "$(vxt_sw_portname x 1)" "udp port 4789"
vxt_cap_start iny y "$(vxt_sw_portname y 1)" "udp port 4789"
# Two daemons share the 2 cores: generous bounds, no timing assertion.
vxt_ping ha 203.0.113.2 60
vxt_ping hb 203.0.113.1 60
vxt_cap_stop inx
vxt_cap_stop iny

vxt_assert_grep "$(vxt_sw_fdb x dev vxlan10)" "^$VXT_MAC_B (dev vxlan10 )?dst 198\.51\.100\.2( |$)" \
	"x learned B behind y"
vxt_assert_grep "$(vxt_sw_fdb y dev vxlan10)" "^$VXT_MAC_A (dev vxlan10 )?dst 198\.51\.100\.1( |$)" \
	"y learned A behind x"
vxt_assert_ge "$(vxt_cap_count iny "vxlan.vni==10 && udp.dstport==4789 && ip.src==198.51.100.1 && icmp")" 10 \
	"x -> y VXLAN ICMP datagrams"
vxt_assert_ge "$(vxt_cap_count inx "vxlan.vni==10 && udp.dstport==4789 && ip.src==198.51.100.2 && icmp")" 10 \
	"y -> x VXLAN ICMP datagrams"
