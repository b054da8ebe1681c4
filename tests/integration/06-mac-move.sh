#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# MAC move. Host M (203.0.113.2, one MAC) sits behind kernel
# VTEP kv1, then moves behind kv2 (same MAC, same address). Once M speaks
# from its new place, the switch re-points its entry to kv2 and traffic from
# host A follows: no echo request to M goes to kv1 any more.
. "$(dirname "$0")/lib.sh"
vxt_init i06
MM=02:00:00:00:00:4d
VXT_NO_HOST_B=1 vxt_topo_three
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2
vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3
vxt_host hm 203.0.113.2/24 $MM 1450
vxt_khost_attach hm kv1 br0 hm1

vxt_ping ha 203.0.113.2
vxt_ping hm 203.0.113.1
vxt_assert_grep "$(vxt_sw_fdb x dev vxlan10)" "^$MM (dev vxlan10 )?dst 198\.51\.100\.2( |$)" \
	"M learned behind kv1 (.2)"

vxt_log "-- move M from kv1 to kv2"
vxt_in kv1 ip link del hm1
vxt_link hm eth0 kv2 hm2
vxt_in kv2 ip link set hm2 master br0
vxt_host_up hm
# M speaks first from its new place (its ARP cache went with the old link).
vxt_ping hm 203.0.113.1
fdb=$(vxt_sw_fdb x dev vxlan10)
vxt_assert_grep "$fdb" "^$MM (dev vxlan10 )?dst 198\.51\.100\.3( |$)" "M re-pointed behind kv2 (.3)"
vxt_assert_nogrep "$fdb" "^$MM (dev vxlan10 )?dst 198\.51\.100\.2( |$)" "M still behind kv1"

vxt_cap_start px ul px "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_cap_stop px
s="vxlan && ip.src==198.51.100.1 && icmp.type==8 && ip.dst==203.0.113.2"
vxt_assert_ge "$(vxt_cap_count px "$s && ip.dst==198.51.100.3")" 5 "echo requests to M sent to kv2"
vxt_assert_eq "$(vxt_cap_count px "$s && ip.dst==198.51.100.2")" 0 "echo requests to M sent to kv1"
