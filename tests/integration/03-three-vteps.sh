#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Three VTEPs (the switch and two kernel VTEPs on one underlay
# switch), the switch's flood list made of two all-zero entries. One ARP
# broadcast from host A reaches hosts B and C exactly once each, in one copy
# per VTEP; unicast then goes only to the VTEP behind which the host is.
. "$(dirname "$0")/lib.sh"
vxt_init i03
vxt_topo_three
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3
fdb=$(vxt_sw_fdb x dev vxlan10)
vxt_assert_grep "$fdb" "^00:00:00:00:00:00 (dev vxlan10 )?dst 198\.51\.100\.2( |$)" "flood entry .2"
vxt_assert_grep "$fdb" "^00:00:00:00:00:00 (dev vxlan10 )?dst 198\.51\.100\.3( |$)" "flood entry .3"

# One broadcast: an ARP request for an address nobody has (no reply, no retry).
vxt_cap_start px ul px "udp port 4789"
vxt_cap_start hb hb eth0 "arp"
vxt_cap_start hc hc eth0 "arp"
vxt_scapy ha "sendp(Ether(src='$VXT_MAC_A', dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc='$VXT_MAC_A', psrc='203.0.113.1', pdst='203.0.113.99'), iface='eth0')"
sleep 2
vxt_cap_stop hb
vxt_cap_stop hc
vxt_cap_stop px
q="arp.dst.proto_ipv4==203.0.113.99"
vxt_assert_eq "$(vxt_cap_count hb "$q")" 1 "copies of the broadcast at host B"
vxt_assert_eq "$(vxt_cap_count hc "$q")" 1 "copies of the broadcast at host C"
vxt_assert_eq "$(vxt_cap_count px "vxlan && ip.src==198.51.100.1 && ip.dst==198.51.100.2 && $q")" 1 \
	"VXLAN copies of the broadcast to 198.51.100.2"
vxt_assert_eq "$(vxt_cap_count px "vxlan && ip.src==198.51.100.1 && ip.dst==198.51.100.3 && $q")" 1 \
	"VXLAN copies of the broadcast to 198.51.100.3"

# Unicast: once learned, A -> B goes to kv1 only and A -> C to kv2 only.
vxt_ping ha 203.0.113.2
vxt_ping ha 203.0.113.3
vxt_cap_start px ul px "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_ping ha 203.0.113.3
vxt_cap_stop px
fdb=$(vxt_sw_fdb x dev vxlan10)
vxt_assert_grep "$fdb" "^$VXT_MAC_B (dev vxlan10 )?dst 198\.51\.100\.2( |$)" "B learned behind .2"
vxt_assert_grep "$fdb" "^$VXT_MAC_C (dev vxlan10 )?dst 198\.51\.100\.3( |$)" "C learned behind .3"
s="vxlan && ip.src==198.51.100.1 && icmp.type==8"
vxt_assert_ge "$(vxt_cap_count px "$s && ip.dst==198.51.100.2 && ip.dst==203.0.113.2")" 5 \
	"echo requests to B sent to .2"
vxt_assert_eq "$(vxt_cap_count px "$s && ip.dst==198.51.100.3 && ip.dst==203.0.113.2")" 0 \
	"echo requests to B sent to .3"
vxt_assert_ge "$(vxt_cap_count px "$s && ip.dst==198.51.100.3 && ip.dst==203.0.113.3")" 5 \
	"echo requests to C sent to .3"
vxt_assert_eq "$(vxt_cap_count px "$s && ip.dst==198.51.100.2 && ip.dst==203.0.113.3")" 0 \
	"echo requests to C sent to .2"
