#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# proxy learn (vxswitch's own, docs/modes.md): ARP suppression without typing
# every host.
#
#   host A (203.0.113.1, 2001:db8:ff::1) -- net_af_packet0 [switch x: vxlan10
#   proxy learn, remote kb] net_af_packet1 -- eth0 [kernel kb] -- host B
#   (203.0.113.2, 2001:db8:ff::2)
#
# Asserted: host A's first ARP request for B (and NS) crosses the tunnel, B's
# answer teaches the switch (`neigh show dev vxlan10` lists B, STALE); then,
# with A's neighbour cache flushed, A's next ARP request and NS for B are
# answered by the switch with B's MAC and the underlay capture is empty;
# `neigh flush` forgets what was learned and keeps a static entry.
. "$(dirname "$0")/lib.sh"
[ "$VXT_IMPL" = kernel ] && vxt_skip "kernel mode: proxy learn is vxswitch's own"
vxt_init i34
vxt_host ha "203.0.113.1/24 2001:db8:ff::1/64" $VXT_MAC_A 1450
vxt_host hb "203.0.113.2/24 2001:db8:ff::2/64" $VXT_MAC_B 1450
vxt_kvtep kb
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 kb eth0
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0
vxt_khost_attach hb kb br0
vxt_sw_start x
vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
	remote 198.51.100.2 dev net_af_packet1 proxy learn
vxt_ctl x link set dev net_af_packet0 master vxlan10
vxt_assert_grep "$(vxt_ctl_try x link show vxlan10)" " proxy learn" "link show says proxy learn"

vxt_log "-- the first exchange crosses the tunnel"
vxt_cap_start ul0 kb eth0 "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_ping ha 2001:db8:ff::2
vxt_cap_stop ul0
vxt_assert_ge "$(vxt_cap_count ul0 "vxlan && arp.opcode==1 && arp.dst.proto_ipv4==203.0.113.2")" 1 \
	"A's first ARP request through the tunnel"
vxt_assert_ge "$(vxt_cap_count ul0 "vxlan && arp.opcode==2 && arp.src.proto_ipv4==203.0.113.2")" 1 \
	"B's ARP reply through the tunnel"
n=$(vxt_ctl_try x neigh show dev vxlan10)
vxt_assert_grep "$n" "^203\.0\.113\.2 dev vxlan10 lladdr $VXT_MAC_B STALE" "203.0.113.2 learned"
vxt_assert_grep "$n" "^2001:db8:ff::2 dev vxlan10 lladdr $VXT_MAC_B STALE" "2001:db8:ff::2 learned"

vxt_log "-- the next requests are answered by the switch; nothing crosses"
# B's own refreshes of A's address (unicast probes after the pings) stay out of the capture.
vxt_k hb ip neigh replace 203.0.113.1 lladdr $VXT_MAC_A dev eth0 nud permanent
vxt_k hb ip -6 neigh replace 2001:db8:ff::1 lladdr $VXT_MAC_A dev eth0 nud permanent
sleep 1
vxt_in ha ip neigh flush dev eth0
vxt_cap_start ul kb eth0 "udp port 4789"
vxt_scapy ha "a = srp1(Ether(src='$VXT_MAC_A', dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc='$VXT_MAC_A', psrc='203.0.113.1', pdst='203.0.113.2'), iface='eth0', timeout=10)
assert a is not None and a[ARP].op == 2 and a[ARP].hwsrc == '$VXT_MAC_B', a
n = srp1(Ether(src='$VXT_MAC_A', dst='33:33:ff:00:00:02')/IPv6(src='2001:db8:ff::1', dst='ff02::1:ff00:2')/ICMPv6ND_NS(tgt='2001:db8:ff::2')/ICMPv6NDOptSrcLLAddr(lladdr='$VXT_MAC_A'), iface='eth0', timeout=10)
assert n is not None and ICMPv6ND_NA in n and n[ICMPv6NDOptDstLLAddr].lladdr == '$VXT_MAC_B', n"
sleep 1
vxt_cap_stop ul
# Only the neighbour exchange counts: B's kernel sends its own router
# solicitations into the overlay whenever it likes.
vxt_assert_eq "$(vxt_cap_count ul "vxlan && (arp || icmpv6.type == 135 || icmpv6.type == 136)")" 0 \
	"ARP/ND on the underlay while A asked for B again"
vxt_log "  ok: ARP reply and NA for B from the switch, with B's MAC"

vxt_log "-- neigh flush forgets what was learned, keeps what was typed"
vxt_ctl x neigh add 203.0.113.9 lladdr 02:00:00:00:00:99 dev vxlan10
vxt_ctl x neigh flush dev vxlan10
n=$(vxt_ctl_try x neigh show dev vxlan10)
vxt_assert_nogrep "$n" "STALE" "learned entries flushed"
vxt_assert_grep "$n" "^203\.0\.113\.9 dev vxlan10 lladdr 02:00:00:00:00:99 PERMANENT" "static entry kept"
