#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The two seed lines that make the switch a host of the overlay.
#
#   host A (ns ha, 203.0.113.10, 2001:db8:ff::10) -- net_af_packet0 [switch x]
#   net_af_packet1 -- eth0 [kernel VTEP kb: vxlan10 with 203.0.113.2/24 and
#   2001:db8:ff::2/64 on it, as seed 004]
#
# (a) `vxctl addr add 203.0.113.1/24 dev vxlan10` (and 2001:db8:ff::1/64):
#     the kernel peer pings the switch's overlay addresses through the
#     tunnel, host A pings them from the access port.
# (b) "unicast with static L3 entries" (seed 001): the link is re-created
#     `nolearning proxy`, `vxctl neigh add 203.0.113.2 lladdr MAC dev vxlan10`
#     plus a static FDB entry: host A's ARP (and NS for 2001:db8:ff::2) is
#     answered by the switch (no request crosses the tunnel; a capture of the
#     same ARP before proxy shows it would) and A pings B. A request for
#     an address with no entry is dropped and counted (proxy-miss), and with
#     l3miss shown by `vxctl monitor`.
. "$(dirname "$0")/lib.sh"
# In kernel mode the link is a vxlan device enslaved to a bridge (an address on it is not
# reachable) and the drop counters and monitor asserted here are vxswitch's.
[ "$VXT_IMPL" = kernel ] && vxt_skip "kernel mode: overlay address/proxy counters are vxswitch's"
vxt_init i12

vxt_host ha "203.0.113.10/24 2001:db8:ff::10/64" $VXT_MAC_A 1450
vxt_ns kb
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 kb eth0
vxt_log "-- kernel VTEP kb (seed 004: the address is on the vxlan device)"
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_k kb ip link add vxlan10 type vxlan id 10 remote 198.51.100.1 local 198.51.100.2 \
	dev eth0 dstport 4789
vxt_k kb ip addr add 203.0.113.2/24 dev vxlan10
vxt_k kb ip addr add 2001:db8:ff::2/64 dev vxlan10 nodad
vxt_k kb ip link set up dev vxlan10
kb_mac=$(vxt_mac kb vxlan10)

vxt_log "-- switch x"
vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	remote 198.51.100.2 dev net_af_packet1
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_ctl x addr add 203.0.113.1/24 dev vxlan10
vxt_ctl x addr add 2001:db8:ff::1/64 dev vxlan10
link_mac=$(vxt_ctl_try x -j link show vxlan10 | jq -r '.[0].address')
vxt_assert_grep "$(vxt_ctl_try x addr show dev vxlan10)" "inet 203\.0\.113\.1/24 scope global vxlan10" \
	"addr show lists the overlay address"

vxt_log "-- (a) the switch's overlay address"
vxt_ping kb 203.0.113.1
vxt_ping ha 203.0.113.1
vxt_ping kb 2001:db8:ff::1
vxt_ping ha 2001:db8:ff::1
vxt_assert_grep "$(vxt_in ha ip neigh show 203.0.113.1)" "lladdr $link_mac" \
	"host A resolved 203.0.113.1 to the link's MAC"
# Control for (b): without proxy, host A's ARP for B crosses the tunnel.
vxt_in ha ip neigh flush dev eth0
vxt_cap_start ul0 kb eth0 "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_cap_stop ul0
vxt_assert_ge "$(vxt_cap_count ul0 "vxlan && arp.opcode==1 && arp.src.proto_ipv4==203.0.113.10")" 1 \
	"without proxy: ARP requests from host A through the tunnel"
vxt_assert_grep "$(vxt_in kb ip neigh show 203.0.113.1 dev vxlan10)" "lladdr $link_mac" \
	"kernel peer resolved 203.0.113.1 to the link's MAC"

vxt_log "-- (b) nolearning proxy, static L3 entries"
out=$(vxt_ctl_try x link del vxlan10) || vxt_fail "link del vxlan10 failed"
vxt_assert_grep "$out" "removed 2 overlay addresses" "link del says it removes the address"
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	dev net_af_packet1 nolearning proxy l3miss
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2
vxt_ctl x neigh add 203.0.113.2 lladdr "$kb_mac" dev vxlan10
vxt_ctl x -6 neigh add 2001:db8:ff::2 lladdr "$kb_mac" dev vxlan10
vxt_ctl x fdb append "$kb_mac" dev vxlan10 dst 198.51.100.2
vxt_assert_grep "$(vxt_ctl_try x neigh show dev vxlan10)" \
	"^203\.0\.113\.2 dev vxlan10 lladdr $kb_mac PERMANENT" "neigh show dev vxlan10"
vxt_in ha ip neigh flush dev eth0
vxt_in kb ip neigh flush dev vxlan10

VXT_BG_OUT=$VXT_TMP/mon.out vxt_bg - "$VXT_BIN/vxctl" --socket "$(vxt_sw_sock x)" monitor all
mon_pid=$VXT_BG_PID
vxt_cap_start ul kb eth0 "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_ping ha 2001:db8:ff::2
vxt_in ha ping -n -q -c 1 -W 1 203.0.113.99 >/dev/null 2>&1
sleep 0.5
vxt_cap_stop ul
vxt_assert_grep "$(vxt_in ha ip neigh show 203.0.113.2)" "lladdr $kb_mac" \
	"host A's ARP for 203.0.113.2 answered with the entry's MAC"
vxt_assert_eq "$(vxt_cap_count ul "vxlan && arp.opcode==1 && arp.src.proto_ipv4==203.0.113.10")" 0 \
	"ARP requests from host A through the tunnel"
vxt_assert_eq "$(vxt_cap_count ul "vxlan && icmpv6.type==135 && ipv6.src==2001:db8:ff::10")" 0 \
	"NS from host A through the tunnel"
vxt_assert_grep "$(vxt_in ha ip -6 neigh show 2001:db8:ff::2)" "lladdr $kb_mac" \
	"host A's NS for 2001:db8:ff::2 answered with the entry's MAC"
vxt_assert_ge "$(vxt_cap_count ul "vxlan && icmp.type==8 && ip.dst==203.0.113.2")" 5 \
	"echo requests from A to B through the tunnel"
vxt_assert_ge "$(vxt_drop_count x proxy-miss)" 1 "proxy-miss drops (203.0.113.99 has no entry)"
vxt_assert_grep "$(cat "$VXT_TMP/mon.out")" "^miss 203\.0\.113\.99 dev vxlan10" \
	"l3miss: the miss on vxctl monitor"
kill -INT "$mon_pid" 2>/dev/null
vxt_log "PASS"
