#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IPv4 underlay, static remote, learning. Host A behind the
# switch, host B behind a kernel vxlan VTEP; ping both ways; each side learns
# the other host's MAC behind the other VTEP's address.
. "$(dirname "$0")/lib.sh"
vxt_init i01
vxt_topo_basic 4

vxt_ping ha 203.0.113.2
vxt_ping hb 203.0.113.1

fdb_k=$(vxt_in kb bridge fdb show dev vxlan10)
vxt_assert_grep "$fdb_k" "^$VXT_MAC_A (dev vxlan10 )?dst 198\.51\.100\.1 " \
	"kernel VTEP learned host A behind 198.51.100.1"
fdb_x=$(vxt_sw_fdb x dev vxlan10)
vxt_assert_grep "$fdb_x" "^$VXT_MAC_B (dev vxlan10 )?dst 198\.51\.100\.2( |$)" \
	"switch learned host B behind 198.51.100.2"
vxt_assert_grep "$fdb_x" "^00:00:00:00:00:00 (dev vxlan10 )?dst 198\.51\.100\.2( |$)" \
	"switch shows its remote as the flood entry"
vxt_assert_grep "$(vxt_sw_fdb x)" "^$VXT_MAC_A dev net_af_packet0" \
	"switch learned host A on its access port"
