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
vxt_ping ha 203.0.113.2
vxt_ping hb 203.0.113.1
echo "PASS 26-hostile"
