#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# "unicast with static L2 entries" of the seed notes. The
# switch's link has nolearning, a flood list of two VTEPs and one static
# entry for host B. Traffic to B works and goes only to B's VTEP; a frame to
# an unknown MAC is flooded to both VTEPs; no remote address is learned.
. "$(dirname "$0")/lib.sh"
vxt_init i04
VXT_SW_LINK_EXTRA=nolearning vxt_topo_three
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3
vxt_ctl x fdb append $VXT_MAC_B dev vxlan10 dst 198.51.100.2

vxt_ping ha 203.0.113.2
vxt_cap_start px ul px "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_ping hb 203.0.113.1
vxt_ping ha 203.0.113.3
# One frame to a MAC nobody has.
vxt_scapy ha "sendp(Ether(src='$VXT_MAC_A', dst='02:00:00:00:00:99')/IP(src='203.0.113.1', dst='203.0.113.99')/UDP(sport=4444, dport=9999)/b'unknown', iface='eth0')"
sleep 1
vxt_cap_stop px

s="vxlan && ip.src==198.51.100.1 && icmp.type==8"
vxt_assert_ge "$(vxt_cap_count px "$s && ip.dst==198.51.100.2 && ip.dst==203.0.113.2")" 5 \
	"echo requests to B (static entry) sent to .2"
vxt_assert_eq "$(vxt_cap_count px "$s && ip.dst==198.51.100.3 && ip.dst==203.0.113.2")" 0 \
	"echo requests to B (static entry) sent to .3"
u="vxlan && ip.src==198.51.100.1 && eth.dst==02:00:00:00:00:99 && udp.dstport==9999"
vxt_assert_eq "$(vxt_cap_count px "$u && ip.dst==198.51.100.2")" 1 "unknown-MAC frame flooded to .2"
vxt_assert_eq "$(vxt_cap_count px "$u && ip.dst==198.51.100.3")" 1 "unknown-MAC frame flooded to .3"
# C is unknown to the switch (nolearning): its echo requests are flooded.
vxt_assert_ge "$(vxt_cap_count px "$s && ip.dst==198.51.100.2 && ip.dst==203.0.113.3")" 5 \
	"echo requests to unlearned C flooded to .2"

fdb=$(vxt_sw_fdb x dev vxlan10)
vxt_assert_grep "$fdb" "^$VXT_MAC_B (dev vxlan10 )?dst 198\.51\.100\.2( |$)" "static entry for B"
vxt_assert_nogrep "$fdb" "^$VXT_MAC_C .*dst" "C learned behind a VTEP"
n=$(echo "$fdb" | grep -c "dst")
vxt_assert_eq "$n" 3 "remote entries (two flood, one static)"
