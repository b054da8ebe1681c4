#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The underlay under attack. An attacker on the switch's underlay segment:
#
#   host A (ha) --[p0]-- switch x --[p1]-- ul (bridge) -- kernel VTEP kb -- host B (hb)
#                        198.51.100.1, 2001:db8:1::1  |   198.51.100.2
#                                                     +-- attacker (att)
#
# floods the switch (tests/integration/attack.py, frames replayed by
# vxt_flood at a fixed rate): ICMP echo at 50 kpps for 15 s, broadcast
# ARP for another address at 50 kpps for 15 s, VXLAN from spoofed outer
# sources and ARP requests and NS from spoofed senders (each one a
# would-be neighbour entry) at 10 kpps for 6 s each, one phase after the
# other, about 50 s in all. Numbered flows run both ways between
# A and B throughout. Each phase makes the next hop (kb) STALE first, so
# the switch must probe it under attack: it never goes FAILED and is
# REACHABLE again before the phase ends; the neighbour table stays within
# its limit; `vxctl neigh add` succeeds during the attack (underlay and a
# link's proxy entry) and after; every frame the switch received is
# accounted for by its counters. At the end every numbered frame of A and B
# arrived, in order.
. "$(dirname "$0")/lib.sh"
vxt_init a27
[ "$VXT_IMPL" = vxswitch ] || vxt_skip "the attack lab needs vxswitch"
FLOWS=$VXT_TOP/tests/integration/flows.py
FLOOD=$VXT_TOP/build/tests/vxt_flood
[ -x "$FLOOD" ] || vxt_fail "no $FLOOD (run scripts/build.sh)"
PPS=${VXT_ATTACK_PPS:-50000}
# Numbered flows: 4 each way, 250 frames a second in all, for the whole attack.
NFL=4 NPER=3250 FPPS=250

vxt_ulswitch
vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1450
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1450
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 ul px
vxt_ul_join px
vxt_kvtep kb
vxt_link kb eth0 ul pkb
vxt_ul_join pkb
vxt_noip6 kb eth0
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0
vxt_khost_attach hb kb br0
vxt_ns att
vxt_link att eth0 ul patt
vxt_ul_join patt
vxt_noip6 att eth0
vxt_noip6 ha eth0
vxt_noip6 hb eth0

vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl x addr add 2001:db8:1::1/64 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	remote 198.51.100.2 dev net_af_packet1 maxaddress 2000
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_ping ha 203.0.113.2

xmac=$(vxt_ctl_try x -j link show net_af_packet1 | jq -r '.[0].address')
kbmac=$(vxt_mac kb eth0)
attmac=$(vxt_mac att eth0)

cat >"$VXT_TMP/attack.json" <<JSON
{"vxctl": "$VXT_BIN/vxctl", "socket": "$(vxt_sw_sock x)", "ul_port": "net_af_packet1",
 "link": "vxlan10", "nh_ip": "198.51.100.2", "nh_mac": "$kbmac",
 "nh_ns": "$(vxt_nsname kb)", "nh_if": "eth0",
 "att_ns": "$(vxt_nsname att)", "att_if": "eth0", "att_mac": "$attmac",
 "att_ip": "198.51.100.66", "vxt_flood": "$FLOOD", "work": "$VXT_TMP",
 "x_mac": "$xmac", "x_ip": "198.51.100.1", "x_ip6": "2001:db8:1::1",
 "a_mac": "$VXT_MAC_A", "static_ip": "198.51.100.201", "proxy_ip": "203.0.113.77",
 "pps": $PPS, "pps_vxlan": 10000, "pps_spoof": 10000}
JSON
/usr/bin/python3 "$VXT_TOP/tests/integration/attack.py" "$VXT_TMP/attack.json" gen ||
	vxt_fail "attack frames"

vxt_log "-- numbered flows A <-> B for the whole attack"
vxt_cap_start toA ha eth0 "udp dst port 9 and ether dst $VXT_MAC_A"
vxt_cap_start toB hb eth0 "udp dst port 9 and ether dst $VXT_MAC_B"
vxt_bg ha timeout 60 /usr/bin/python3 "$FLOWS" send eth0 $VXT_MAC_A $VXT_MAC_B \
	203.0.113.1 203.0.113.2 $NFL $NPER $FPPS
fa=$VXT_BG_PID
vxt_bg hb timeout 60 /usr/bin/python3 "$FLOWS" send eth0 $VXT_MAC_B $VXT_MAC_A \
	203.0.113.2 203.0.113.1 $NFL $NPER $FPPS
fb=$VXT_BG_PID

vxt_timeout 120 /usr/bin/python3 "$VXT_TOP/tests/integration/attack.py" "$VXT_TMP/attack.json" run ||
	vxt_fail "underlay attack"

vxt_log "-- the numbered flows: all of them, in order"
wait "$fa" "$fb"
vxt_cap_stop toA
vxt_cap_stop toB
for t in toA toB; do
	out=$(vxt_cap_fields $t "udp.dstport == 9" udp.srcport data.data |
		/usr/bin/python3 "$FLOWS" check $NFL $NPER) || vxt_fail "flows to ${t#to}: $out"
	vxt_log "  ok: to ${t#to}: $out"
done
vxt_ping ha 203.0.113.2
echo "PASS 27-underlay-attack"
