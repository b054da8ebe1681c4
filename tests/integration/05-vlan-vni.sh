#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# VLAN-to-VNI. One access port of the switch is a trunk with
# VLAN 100 (host A1) and VLAN 200 (host A2); they map to VNI 100 and VNI 200,
# which a kernel VTEP bridges to hosts B1 and B2. A1-B1 and A2-B2 talk; A1
# never reaches B2 nor A2 B1, VNI 100 carries only A1/B1 frames and VNI 200
# only A2/B2, and frames come back to the trunk with the right tag.
#
#   A1 (.1, VLAN 100) -+ tr: eth0 == net_af_packet0 [x] == kv1 +- vxlan100 -- B1 (.2)
#   A2 (.3, VLAN 200) -+  (scapy)                              +- vxlan200 -- B2 (.4)
. "$(dirname "$0")/lib.sh"
vxt_init i05
MA1=02:00:00:00:01:0a MB1=02:00:00:00:01:0b MA2=02:00:00:00:02:0a MB2=02:00:00:00:02:0b

[ "$VXT_IMPL" = kernel ] && vxt_skip "this kernel has no 802.1Q: no kernel-mode switch with VLANs"
# The trunk: this kernel has no 802.1Q module, so hosts A1 (VLAN 100) and A2
# (VLAN 200) are played by scapy (vlanhost.py) on the trunk's far end.
vxt_ns tr
vxt_sw_port x 0 tr eth0
vxt_in tr ethtool -K eth0 rxvlan off txvlan off >/dev/null 2>&1
vxt_in x ethtool -K "$(vxt_sw_portname x 0)" rxvlan off txvlan off >/dev/null 2>&1
vlh="$(dirname "$0")/vlanhost.py"

vxt_log "-- kernel VTEP kv1"
vxt_kvtep kv1
vxt_sw_port x 1 kv1 eth0
vxt_k kv1 ip addr add 198.51.100.2/24 dev eth0
for v in 100 200; do
	vxt_kvxlan kv1 vxlan$v br$v id $v dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0
done
vxt_host b1 203.0.113.2/24 $MB1 1450
vxt_host b2 203.0.113.4/24 $MB2 1450
vxt_khost_attach b1 kv1 br100
vxt_khost_attach b2 kv1 br200

vxt_log "-- switch x ($VXT_IMPL)"
vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
for v in 100 200; do
	vxt_ctl x link add vxlan$v type vxlan id $v dstport 4789 local 198.51.100.1 \
		remote 198.51.100.2 dev net_af_packet1
	vxt_ctl x link set dev net_af_packet0 master vxlan$v vlan $v
done

vxt_cap_start ul kv1 eth0 "udp port 4789"
vxt_cap_start tr tr eth0 "vlan"
VXT_BG_OUT=$VXT_TMP/vlanhost.log vxt_bg tr timeout 200 /usr/bin/python3 "$vlh" eth0 180 \
	100:$MA1:203.0.113.1 200:$MA2:203.0.113.3
n=0
until grep -q serving "$VXT_TMP/vlanhost.log" || [ $n -ge 100 ]; do sleep 0.2; n=$((n + 1)); done
sleep 1
probe()
{
	vxt_in tr timeout 30 /usr/bin/python3 "$vlh" --probe eth0 "$@"
}
probe 100 $MA1 203.0.113.1 203.0.113.2 || vxt_fail "A1 (VLAN 100) gets no ARP reply from B1"
probe 200 $MA2 203.0.113.3 203.0.113.4 || vxt_fail "A2 (VLAN 200) gets no ARP reply from B2"
probe 100 $MA1 203.0.113.1 203.0.113.4 && vxt_fail "A1 (VLAN 100) got an ARP reply from B2 (VNI 200)"
probe 200 $MA2 203.0.113.3 203.0.113.2 && vxt_fail "A2 (VLAN 200) got an ARP reply from B1 (VNI 100)"
vxt_ping b1 203.0.113.1 30
vxt_ping b2 203.0.113.3 30
vxt_noping b1 203.0.113.3
vxt_noping b2 203.0.113.1
vxt_cap_stop tr
vxt_cap_stop ul

v100="vxlan.vni==100"
v200="vxlan.vni==200"
vxt_assert_ge "$(vxt_cap_count ul "$v100 && icmp && eth.src==$MA1")" 5 "A1 frames on VNI 100"
vxt_assert_ge "$(vxt_cap_count ul "$v200 && icmp && eth.src==$MA2")" 5 "A2 frames on VNI 200"
vxt_assert_eq "$(vxt_cap_count ul "$v100 && (eth.addr==$MA2 || eth.addr==$MB2)")" 0 \
	"A2/B2 frames on VNI 100"
vxt_assert_eq "$(vxt_cap_count ul "$v200 && (eth.addr==$MA1 || eth.addr==$MB1)")" 0 \
	"A1/B1 frames on VNI 200"
vxt_assert_eq "$(vxt_cap_count ul "vxlan && !$v100 && !$v200")" 0 "frames on other VNIs"
vxt_assert_ge "$(vxt_cap_count tr "vlan.id==100 && eth.src==$MB1 && icmp")" 5 \
	"B1 frames back on the trunk tagged 100"
vxt_assert_ge "$(vxt_cap_count tr "vlan.id==200 && eth.src==$MB2 && icmp")" 5 \
	"B2 frames back on the trunk tagged 200"
vxt_assert_eq "$(vxt_cap_count tr "(vlan.id==100 && eth.addr==$MB2) || (vlan.id==200 && eth.addr==$MB1)")" 0 \
	"frames of a VNI on the other VLAN"
fdb=$(vxt_sw_fdb x)
vxt_assert_grep "$fdb" "^$MB1 dev vxlan100 dst 198\.51\.100\.2( |$)" "B1 learned on vxlan100"
vxt_assert_grep "$fdb" "^$MB2 dev vxlan200 dst 198\.51\.100\.2( |$)" "B2 learned on vxlan200"
vxt_assert_nogrep "$fdb" "^$MB1 dev vxlan200" "B1 learned on vxlan200"
