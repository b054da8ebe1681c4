#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IPv6 underlay (2001:db8:1::/64), static remote, learning.
# Ping both ways, FDB learned on both sides, and every VXLAN datagram in both
# directions carries a non-zero UDP checksum (IPv6 requires it; the kernel
# default is udp6zerocsumtx off and rejects zero checksums on receive).
. "$(dirname "$0")/lib.sh"
vxt_init i02
vxt_topo_basic 6

vxt_cap_start ul kb eth0 "udp port 4789"
vxt_ping ha 203.0.113.2
vxt_ping hb 203.0.113.1
vxt_cap_stop ul

fdb_k=$(vxt_in kb bridge fdb show dev vxlan10)
vxt_assert_grep "$fdb_k" "^$VXT_MAC_A (dev vxlan10 )?dst 2001:db8:1::1 " \
	"kernel VTEP learned host A behind 2001:db8:1::1"
fdb_x=$(vxt_sw_fdb x dev vxlan10)
vxt_assert_grep "$fdb_x" "^$VXT_MAC_B (dev vxlan10 )?dst 2001:db8:1::2( |$)" \
	"switch learned host B behind 2001:db8:1::2"
vxt_assert_grep "$(vxt_sw_fdb x)" "^$VXT_MAC_A dev net_af_packet0" \
	"switch learned host A on its access port"

for dir in "1 2" "2 1"; do
	set -- $dir
	src=2001:db8:1::$1 dst=2001:db8:1::$2
	n=$(vxt_cap_count ul "vxlan && ipv6.src==$src && ipv6.dst==$dst && icmp")
	vxt_assert_ge "$n" 10 "VXLAN ICMP datagrams $src -> $dst"
	z=$(vxt_cap_count ul "vxlan && ipv6.src==$src && udp.checksum==0")
	vxt_assert_eq "$z" 0 "zero UDP checksums $src -> $dst"
	bad=$(timeout 60 tshark -n -o udp.check_checksum:TRUE -r "$(vxt_cap_file ul)" \
		-Y "ipv6.src==$src && udp.checksum.status==0" 2>/dev/null | wc -l)
	vxt_assert_eq "$bad" 0 "bad UDP checksums $src -> $dst"
done
