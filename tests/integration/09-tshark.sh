#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tshark's dissection of what the switch puts on the underlay.
# Every datagram the switch sends is RFC 7348 VXLAN: UDP to 4789, flags 0x08
# (I) and reserved bits zero, VNI 10, the inner frame from host A; one flow
# keeps one source port, and several inner flows get several source ports
# (RFC 7348 section 5: entropy for ECMP/RSS).
. "$(dirname "$0")/lib.sh"
vxt_init i09
vxt_topo_basic 4

vxt_cap_start ul kb eth0 "udp"
vxt_ping ha 203.0.113.2
for p in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	vxt_udp ha 203.0.113.2 $((9000 + p))
done
vxt_ping ha 203.0.113.2
vxt_cap_stop ul

out="vxlan && ip.src==198.51.100.1"
n=$(vxt_cap_count ul "$out")
vxt_assert_ge "$n" 20 "VXLAN datagrams from the switch"
vxt_assert_eq "$(vxt_cap_count ul "ip.src==198.51.100.1 && udp && !vxlan")" 0 \
	"non-VXLAN UDP from the switch"
vxt_assert_eq "$(vxt_cap_count ul "$out && udp.dstport!=4789")" 0 "datagrams not to port 4789"
vxt_assert_eq "$(vxt_cap_count ul "$out && vxlan.flags!=0x0800")" 0 "datagrams with flags != 0x08"
vxt_assert_eq "$(vxt_cap_count ul "$out && (vxlan.reserved8!=0 || vxlan.gbp!=0)")" 0 \
	"datagrams with reserved bits set"
vxt_assert_eq "$(vxt_cap_count ul "$out && vxlan.vni!=10")" 0 "datagrams with VNI != 10"
vxt_assert_eq "$(vxt_cap_count ul "$out && eth.src==$VXT_MAC_A")" "$n" \
	"datagrams carrying a frame of host A"

icmp_ports=$(vxt_cap_fields ul "$out && icmp.type==8" udp.srcport | sort -u | wc -l)
vxt_assert_eq "$icmp_ports" 1 "source ports used by one ICMP flow"
udp_flows=$(vxt_cap_fields ul "$out && udp.dstport>=9001 && udp.dstport<=9016" udp.srcport | wc -l)
vxt_assert_ge "$udp_flows" 16 "inner UDP flows seen encapsulated"
udp_ports=$(vxt_cap_fields ul "$out && udp.dstport>=9001 && udp.dstport<=9016" udp.srcport | sort -u | wc -l)
vxt_assert_ge "$udp_ports" 4 "distinct source ports over 16 inner UDP flows"
vxt_log "  source ports: $(vxt_cap_fields ul "$out && udp.dstport>=9001 && udp.dstport<=9016" udp.srcport | sort -un | tr '\n' ' ')"
