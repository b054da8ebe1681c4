#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Miss-driven entries (seed 002's dynamic L2 and ARP/ND entries) with
# scripts/vxlan-controller:
#
#   host A -- net_af_packet0 [switch x: vxlan10 nolearning proxy l2miss l3miss,
#   no catch-all] net_af_packet1 -- eth0 [kernel kb: vxlan10 nolearning proxy,
#   static entries for A] -- host B
#
# The controller reads `vxctl -j monitor` and a registry with B's MAC -> VTEP
# and IP -> MAC. Asserted: host A's first ping (retried, 15 s at most) is
# answered once the controller added the neighbour and FDB entries;
# the monitor showed exactly one miss for B's IP and one for B's MAC; the
# underlay carried no flood (no ARP, no broadcast inside VXLAN); the entries
# the controller added are there, and pings go on.
. "$(dirname "$0")/lib.sh"
[ "$VXT_IMPL" = kernel ] && vxt_skip "kernel mode: the controller speaks to vxswitch's monitor"
vxt_init i32

vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1450
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1450
vxt_kvtep kb
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 kb eth0
vxt_log "-- kernel VTEP kb: static entries for host A, nothing flooded"
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 dev eth0 nolearning proxy
vxt_k kb ip neigh add 203.0.113.1 lladdr $VXT_MAC_A dev vxlan10
vxt_k kb bridge fdb append $VXT_MAC_A dev vxlan10 dst 198.51.100.1
vxt_khost_attach hb kb br0

vxt_log "-- switch x: no catch-all, misses for the controller"
vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	dev net_af_packet1 nolearning proxy l2miss l3miss
vxt_ctl x link set dev net_af_packet0 master vxlan10

reg=$VXT_TMP/registry
cat >"$reg" <<EOF
# MAC VTEP, IP MAC
$VXT_MAC_B 198.51.100.2
203.0.113.2 $VXT_MAC_B
EOF
sock=$(vxt_sw_sock x)
VXT_BG_OUT=$VXT_TMP/mon.json vxt_bg - "$VXT_BIN/vxctl" --socket "$sock" -j monitor fdb
VXT_BG_OUT=$VXT_TMP/controller.log vxt_bg - "$VXT_TOP/scripts/vxlan-controller" \
	--socket "$sock" --vxctl "$VXT_BIN/vxctl" "$reg"

# Both subscribed: a probe miss (an address the registry lacks) reaches both.
n=0
until grep -q "203.0.113.77" "$VXT_TMP/controller.log" 2>/dev/null &&
	grep -q "203.0.113.77" "$VXT_TMP/mon.json" 2>/dev/null; do
	n=$((n + 1))
	[ $n -le 10 ] || vxt_fail "monitor or controller not listening: $(cat "$VXT_TMP/controller.log")"
	vxt_scapy ha "sendp(Ether(src='$VXT_MAC_A', dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc='$VXT_MAC_A', psrc='203.0.113.1', pdst='203.0.113.77'), iface='eth0')"
	sleep 3.5 # the miss of one address is held 3 s
done
vxt_log "  monitor and controller listening"

vxt_log "-- host A pings B: nothing known yet"
vxt_cap_start ul kb eth0 "udp port 4789"
# The first ping: retried (ping -c 1 -W 1) until answered, 15 s at most.
end=$((SECONDS + 15)) tries=0
until vxt_in ha ping -n -q -c 1 -W 1 203.0.113.2 >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ $SECONDS -lt $end ] || vxt_fail "no answer within 15 s; drops: $(vxt_ctl_try x show drops | grep -v ' 0 ')
monitor: $(cat "$VXT_TMP/mon.json")"
done
vxt_log "  first answer after $tries unanswered pings"
vxt_ping ha 203.0.113.2
sleep 0.5
vxt_cap_stop ul

mon=$(cat "$VXT_TMP/mon.json")
vxt_assert_eq "$(grep -c '"miss":true,"dst":"203.0.113.2"' <<<"$mon")" 1 "l3miss events for 203.0.113.2"
vxt_assert_eq "$(grep -c "\"miss\":true,\"mac\":\"$VXT_MAC_B\"" <<<"$mon")" 1 "l2miss events for $VXT_MAC_B"
vxt_assert_grep "$(cat "$VXT_TMP/controller.log")" "neigh replace 203\.0\.113\.2 lladdr $VXT_MAC_B dev vxlan10 -> ok" \
	"the controller added the neighbour entry"
vxt_assert_grep "$(cat "$VXT_TMP/controller.log")" "fdb replace $VXT_MAC_B dev vxlan10 dst 198.51.100.2 dynamic -> ok" \
	"the controller added the FDB entry"
vxt_assert_grep "$(vxt_sw_fdb x dev vxlan10)" "^$VXT_MAC_B dev vxlan10 dst 198\.51\.100\.2 self$" \
	"B's entry (dynamic) in the FDB"
vxt_assert_grep "$(vxt_ctl_try x neigh show dev vxlan10)" "^203\.0\.113\.2 dev vxlan10 lladdr $VXT_MAC_B PERMANENT" \
	"B's neighbour entry"
vxt_assert_eq "$(vxt_cap_count ul "vxlan && arp")" 0 "ARP inside VXLAN on the underlay"
vxt_assert_eq "$(vxt_cap_count ul "vxlan && eth.dst.ig == 1")" 0 "broadcast or multicast inside VXLAN"
vxt_assert_ge "$(vxt_cap_count ul "vxlan && icmp.type==8 && ip.src==203.0.113.1")" 5 \
	"echo requests from A through the tunnel"
vxt_assert_ge "$(vxt_drop_count x l2miss)" 1 "frames to an unknown MAC without a catch-all (l2miss)"
