#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The hostile packet table: every malformed or unwelcome frame, through the
# switch's real ports, each followed by a numbered good frame.
#
#   host A (ha) --[p0 access]-- switch x --[p1 underlay]-- kernel VTEP kb -- host B (hb)
#                              198.51.100.1, .11, 2001:db8:1::1    198.51.100.2
#
# Links: vxlan10 (VNI 10, IPv4, local 198.51.100.1, host A's port, an
# overlay address), vxlan20 (VNI 20, IPv6), vxlan30 (VNI 30, UDP 8472);
# static entries 02:00:00:00:00:5a (host A's port) and 02:00:00:00:00:5b
# (behind kb). tests/integration/hostile.py sends from kb's eth0 into the
# underlay port and from host A into the access port: truncations at every
# offset of the outer and inner headers, VXLAN flags, unknown VNI, wrong
# family or address, wrong UDP port, fragments, IPv6 extension headers,
# checksums, TTL, tags, martian sources, ARP/ND/ICMP that do not parse or
# are spoofed, over-MTU frames, hairpins, static MACs. Each row's own
# counter grows by exactly what it sent and no other drop reason moves; a
# row whose reason the daemon lacks is skipped with a message. Then: every
# numbered flow arrived whole and in order, nothing was learned from a
# dropped frame, static entries are as configured, A and B still ping.
# Last, storm control: a broadcast storm from A against the link's bum-rate.
. "$(dirname "$0")/lib.sh"
vxt_init h26
[ "$VXT_IMPL" = vxswitch ] || vxt_skip "the hostile table needs vxswitch"

vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1500
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1500
vxt_kvtep kb
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 kb eth0
vxt_noip6 ha eth0
vxt_noip6 kb eth0
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0
vxt_khost_attach hb kb br0
vxt_noip6 hb eth0

vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl x addr add 198.51.100.11/24 dev net_af_packet1
vxt_ctl x addr add 2001:db8:1::1/64 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	remote 198.51.100.2 dev net_af_packet1
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_ctl x link add vxlan20 type vxlan id 20 local 2001:db8:1::1 dev net_af_packet1
vxt_ctl x link add vxlan30 type vxlan id 30 dstport 8472 local 198.51.100.1 dev net_af_packet1
vxt_ctl x addr add 203.0.113.254/24 dev vxlan10
vxt_ctl x fdb add 02:00:00:00:00:5a dev net_af_packet0 master static
vxt_ctl x fdb add 02:00:00:00:00:5b dev vxlan10 dst 198.51.100.2 static
vxt_ping ha 203.0.113.2

xmac=$(vxt_ctl_try x -j link show net_af_packet1 | jq -r '.[0].address')
lmac=$(vxt_ctl_try x -j link show vxlan10 | jq -r '.[0].address')
kbmac=$(vxt_mac kb eth0)
cat >"$VXT_TMP/hostile.json" <<EOF
{"vxctl": "$VXT_BIN/vxctl", "socket": "$(vxt_sw_sock x)",
 "ul_ns": "$(vxt_nsname kb)", "ul_if": "eth0", "acc_ns": "$(vxt_nsname ha)", "acc_if": "eth0",
 "rx_a_ns": "$(vxt_nsname ha)", "rx_a_if": "eth0", "rx_b_ns": "$(vxt_nsname hb)",
 "rx_b_if": "eth0", "acc_port": "net_af_packet0",
 "x_mac": "$xmac", "x_ip": "198.51.100.1", "x_ip_other": "198.51.100.11",
 "x_ip6": "2001:db8:1::1", "kb_mac": "$kbmac", "kb_ip": "198.51.100.2",
 "kb_ip6": "2001:db8:1::2", "a_mac": "$VXT_MAC_A", "b_mac": "$VXT_MAC_B",
 "link_mac": "$lmac", "static_local": "02:00:00:00:00:5a",
 "static_remote": "02:00:00:00:00:5b"}
EOF
vxt_log "-- the table (tests/integration/hostile.py)"
vxt_timeout 240 /usr/bin/python3 "$VXT_TOP/tests/integration/hostile.py" "$VXT_TMP/hostile.json" ||
	vxt_fail "hostile packet table"

# Storm control: a broadcast storm from host A at 5000 frames a second for
# 3 s, with bum-rate 500 on the link (one worker: all of it is that
# worker's share). Every storm frame the port received is flooded or
# counted bum-rate; what was flooded stays within 500 a second over the
# time the storm took, plus the burst of 32; off again, nothing is limited.
FLOOD=$VXT_TOP/build/tests/vxt_flood
/usr/bin/python3 -c "from scapy.all import Ether, IP, UDP, Raw, wrpcap
wrpcap('$VXT_TMP/storm.pcap', [Ether(src='$VXT_MAC_A', dst='ff:ff:ff:ff:ff:ff') /
	IP(src='203.0.113.1', dst='203.0.113.255') / UDP(sport=7, dport=19) / Raw(bytes(18))])" ||
	vxt_fail "storm frames"
# stat KIND NAME FIELD: one counter of `vxctl -j stats`.
stat()
{
	vxt_ctl_try x -j stats | jq -r --arg k "$1" --arg n "$2" \
		".[] | select(.kind == \$k and .ifname == \$n) | .$3"
}
# storm PPS SECONDS: sets RX, FLOODED, LIMITED (deltas) and SECS (the storm's time).
storm()
{
	local r0 f0 b0 t0 n=0 last=-1 cur
	r0=$(stat port net_af_packet0 rx_packets)
	f0=$(stat vxlan vxlan10 flood_packets)
	b0=$(vxt_drop_count x bum-rate)
	t0=$(date +%s.%N)
	vxt_log "  $(vxt_in ha "$FLOOD" eth0 "$VXT_TMP/storm.pcap" "$1" "$2")"
	# Until the port's count stands still: the worker has seen the whole storm.
	while cur=$(stat port net_af_packet0 rx_packets) && [ "$cur" != "$last" ] && [ $n -lt 50 ]; do
		last=$cur
		sleep 0.2
		n=$((n + 1))
	done
	SECS=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
	RX=$((cur - r0))
	FLOODED=$(($(stat vxlan vxlan10 flood_packets) - f0))
	LIMITED=$(($(vxt_drop_count x bum-rate) - b0))
}
vxt_log "-- storm control: broadcast storm from host A, bum-rate 500"
vxt_ctl x link set dev vxlan10 bum-rate 500
storm 5000 3
vxt_log "  received $RX, flooded $FLOODED, dropped bum-rate $LIMITED in $SECS s"
vxt_assert_eq $((FLOODED + LIMITED)) $RX "flooded + bum-rate drops = storm frames received"
max=$(awk -v s="$SECS" 'BEGIN { printf "%d", 500 * s + 32 }')
vxt_assert_ge "$max" $FLOODED "500 a second over the storm's time + 32 >= flooded"
vxt_assert_ge $FLOODED 500 "flooded (at least one second's worth)"
vxt_ping ha 203.0.113.2
vxt_ctl x link set dev vxlan10 bum-rate 0
storm 2000 1
vxt_assert_eq "$LIMITED/$FLOODED" "0/$RX" "bum-rate off: bum-rate drops/flooded"

vxt_ping ha 203.0.113.2
vxt_ping hb 203.0.113.1
echo "PASS 26-hostile"
