#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The underlay stack of the switch.
#
#   ha (203.0.113.1) --[p0]-- switch x --[p1]-- r (Linux router) -- kb (kernel VTEP) -- hb
#                      198.51.100.1/25         .126/25 | .129/25    198.51.100.130/25
#                      2001:db8:1::1/64        2001:db8:1::fe/64
#
# - r pings the switch's IPv4 and IPv6 addresses; `ip neigh` in r shows the
#   switch's MAC (ARP reply, NA);
# - kb (two hops away) pings the switch (the echo reply goes back through r);
# - the switch reaches kb through a route via r: it resolves r's MAC and the
#   overlay (ha <-> hb) works; the first ping is not lost to resolution;
# - r's MAC changes: a `vxctl neigh flush` re-resolves it, and a later change
#   announced by a gratuitous ARP is picked up by itself; no restart.
. "$(dirname "$0")/lib.sh"
vxt_init u20
[ "$VXT_IMPL" = vxswitch ] || vxt_skip "underlay lab needs vxswitch"

vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1400
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1400
vxt_ns r
vxt_kvtep kb
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 r eth0
vxt_link r eth1 kb eth0
vxt_k r ip addr add 198.51.100.126/25 dev eth0
vxt_k r ip addr add 198.51.100.129/25 dev eth1
vxt_k r ip -6 addr add 2001:db8:1::fe/64 dev eth0 nodad
vxt_in r sysctl -qw net.ipv4.ip_forward=1
vxt_k kb ip addr add 198.51.100.130/25 dev eth0
vxt_k kb ip route add 198.51.100.0/25 via 198.51.100.129
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.130 remote 198.51.100.1 dev eth0
vxt_khost_attach hb kb br0

vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/25 dev net_af_packet1
vxt_ctl x addr add 2001:db8:1::1/64 dev net_af_packet1
vxt_ctl x route add 198.51.100.128/25 via 198.51.100.126
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	remote 198.51.100.130 dev net_af_packet1
vxt_ctl x link set dev net_af_packet0 master vxlan10

xmac=$(vxt_ctl_try x addr show dev net_af_packet1 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
[ -n "$xmac" ] || vxt_fail "no MAC in addr show"
vxt_assert_grep "$(vxt_ctl_try x addr show dev net_af_packet1)" \
	"inet 198\.51\.100\.1/25 scope global" "addr show lists the IPv4 address"
vxt_assert_grep "$(vxt_ctl_try x route show)" \
	"^198\.51\.100\.0/25 dev net_af_packet1 proto kernel scope link src 198\.51\.100\.1$" \
	"connected route"
vxt_assert_grep "$(vxt_ctl_try x route show)" \
	"^198\.51\.100\.128/25 via 198\.51\.100\.126 dev net_af_packet1$" "static route"

echo "-- ping the switch (IPv4, IPv6) from the router"
vxt_ping r 198.51.100.1
vxt_ping r 2001:db8:1::1
vxt_assert_grep "$(vxt_in r ip neigh show dev eth0)" \
	"^198\.51\.100\.1 lladdr $xmac " "router's ARP cache has the switch's MAC"
vxt_assert_grep "$(vxt_in r ip -6 neigh show dev eth0)" \
	"^2001:db8:1::1 lladdr $xmac " "router's ND cache has the switch's MAC"
rmac=$(vxt_mac r eth0)
vxt_assert_grep "$(vxt_ctl_try x neigh show dev net_af_packet1)" \
	"^198\.51\.100\.126 dev net_af_packet1 lladdr $rmac (REACHABLE|STALE|PROBE)$" \
	"switch learned the router"

echo "-- routed: kb pings the switch through r"
vxt_ping kb 198.51.100.1

echo "-- overlay through the router"
vxt_ping ha 203.0.113.2
vxt_assert_grep "$(vxt_ctl_try x -j neigh show)" \
	"\"dst\":\"198\.51\.100\.126\",\"dev\":\"net_af_packet1\",\"lladdr\":\"$rmac\"" \
	"switch resolved the gateway (JSON)"

echo "-- the router's MAC changes; flush and re-resolve"
vxt_k r ip link set eth0 address 02:00:5e:10:00:01
vxt_ctl x neigh flush dev net_af_packet1
# The very first frame waits in the neighbour queue while the router is resolved.
vxt_in ha ping -n -c 1 -W 3 203.0.113.2 >/dev/null ||
	vxt_fail "first ping after the flush was lost (unresolved queue)"
vxt_log "  ok: first ping after the flush answered"
vxt_ping ha 203.0.113.2
vxt_assert_grep "$(vxt_ctl_try x neigh show dev net_af_packet1)" \
	"^198\.51\.100\.126 dev net_af_packet1 lladdr 02:00:5e:10:00:01 " \
	"switch re-resolved the router's new MAC"

echo "-- the router's MAC changes again, announced by a gratuitous ARP"
vxt_k r ip link set eth0 address 02:00:5e:10:00:02
vxt_scapy r "sendp(Ether(src='02:00:5e:10:00:02', dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc='02:00:5e:10:00:02', psrc='198.51.100.126', pdst='198.51.100.126'), iface='eth0')"
n=0
until vxt_ctl_try x neigh show dev net_af_packet1 | grep -q "^198\.51\.100\.126 .*lladdr 02:00:5e:10:00:02"; do
	n=$((n + 1))
	[ $n -lt 50 ] || vxt_fail "gratuitous ARP not picked up: $(vxt_ctl_try x neigh show)"
	sleep 0.1
done
vxt_log "  ok: gratuitous ARP updated the neighbour"
vxt_ping ha 203.0.113.2

echo "-- errors change nothing"
vxt_ctl_try x route add 198.51.100.128/25 via 198.51.100.125 >/dev/null 2>&1 &&
	vxt_fail "duplicate route accepted"
vxt_ctl_try x addr add 198.51.100.1/25 dev net_af_packet1 >/dev/null 2>&1 &&
	vxt_fail "duplicate address accepted"
vxt_ping ha 203.0.113.2

echo "-- IPv6 next hop resolved by NS/NA (a link with an IPv6 remote behind the router)"
vxt_ctl x route add 2001:db8:1:0:8000::/65 via 2001:db8:1::fe
vxt_ctl x neigh flush dev net_af_packet1
vxt_ctl x link add vxlan20 type vxlan id 20 dstport 4789 local 2001:db8:1::1 \
	remote 2001:db8:1:0:8000::2 dev net_af_packet1
rmac=$(vxt_mac r eth0)
n=0
until vxt_ctl_try x neigh show dev net_af_packet1 |
	grep -Eq "^2001:db8:1::fe dev net_af_packet1 lladdr $rmac REACHABLE$"; do
	n=$((n + 1))
	[ $n -lt 50 ] || vxt_fail "IPv6 gateway not resolved: $(vxt_ctl_try x neigh show)"
	sleep 0.1
done
vxt_log "  ok: IPv6 gateway resolved by NS/NA"
