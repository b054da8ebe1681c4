#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Packet capture on DPDK ports with DPDK's own tool: while host A pings
# host B (the basic lab: vxswitch, then kernel vxlan), dpdk-dumpcap, a
# secondary process of vxswitch's --file-prefix, captures the underlay port
# net_af_packet1 into a pcapng that tshark dissects as VXLAN (VNI 10)
# around the ICMP echoes, and the access port as the plain echoes.
#
# A secondary process maps the primary's memory, so vxswitch runs on
# hugepages here (not --no-huge, not --in-memory): the lab reserves what
# it needs (256 pages of 2 MiB) when fewer are free, and gives them back.
. "$(dirname "$0")/lib.sh"
vxt_init d18
command -v dpdk-dumpcap >/dev/null || vxt_fail "no dpdk-dumpcap (dpdk-dev)"

NEED=256
hp_free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
hp_size=$(awk '/^Hugepagesize:/ {print $2}' /proc/meminfo)
[ "$hp_size" = 2048 ] || vxt_skip "hugepages of ${hp_size} kB, this lab reserves 2 MiB ones"
if [ "${hp_free:-0}" -lt $NEED ]; then
	hp_nr=$(cat /proc/sys/vm/nr_hugepages)
	echo $((hp_nr + NEED - hp_free)) >/proc/sys/vm/nr_hugepages
	VXT_ON_EXIT+=("echo $hp_nr >/proc/sys/vm/nr_hugepages")
	hp_free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
	[ "$hp_free" -ge $NEED ] || vxt_skip "only $hp_free free hugepages after asking for $NEED"
	vxt_log "  reserved hugepages: $hp_nr -> $(cat /proc/sys/vm/nr_hugepages)"
fi
HUGEDIR=
if ! awk '$3 == "hugetlbfs"' /proc/mounts | grep -q .; then
	mkdir -p "$VXT_TMP/huge"
	mount -t hugetlbfs -o pagesize=2M none "$VXT_TMP/huge" || vxt_fail "mount hugetlbfs"
	VXT_ON_EXIT+=("umount '$VXT_TMP/huge'")
	HUGEDIR="--huge-dir $VXT_TMP/huge"
fi

VXT_SW_MEM="--socket-mem 384 $HUGEDIR"
vxt_topo_basic 4
PREFIX=vxt_${VXT_ID}x
vxt_ping ha 203.0.113.2

# capture TAG PORT: 8 packets of PORT into TAG.pcapng while A pings B.
capture()
{
	local tag=$1 port=$2 f=$VXT_TMP/$1.pcapng
	VXT_BG_OUT=$VXT_TMP/$tag.ping.log vxt_bg ha ping -n -q -i 0.2 -c 40 203.0.113.2
	vxt_log "  dpdk-dumpcap --file-prefix=$PREFIX -i $port -c 8 -w $f"
	vxt_timeout 60 dpdk-dumpcap --file-prefix="$PREFIX" -i "$port" -c 8 -w "$f" \
		>"$VXT_TMP/$tag.dumpcap.log" 2>&1 ||
		vxt_fail "dpdk-dumpcap -i $port: $(cat "$VXT_TMP/$tag.dumpcap.log")"
	kill "$VXT_BG_PID" 2>/dev/null
	[ -s "$f" ] || vxt_fail "dpdk-dumpcap wrote nothing to $f"
}

vxt_log "-- underlay port: VXLAN"
capture ul net_af_packet1
# Outer and inner IP addresses (a,b), the UDP port, the VNI, the ICMP type; then the inner MAC.
dec=$(vxt_timeout 60 tshark -n -r "$VXT_TMP/ul.pcapng" -Y 'vxlan && icmp.type == 8' -T fields \
	-E separator=' ' -E occurrence=a -e ip.src -e ip.dst -e udp.dstport -e vxlan.vni \
	-e icmp.type 2>/dev/null | head -1)
vxt_assert_eq "$dec" "198.51.100.1,203.0.113.1 198.51.100.2,203.0.113.2 4789 10 8" \
	"tshark: VXLAN 198.51.100.1 -> .2, port 4789, VNI 10, around an echo request A -> B"
mac=$(vxt_timeout 60 tshark -n -r "$VXT_TMP/ul.pcapng" -Y 'vxlan && icmp.type == 8' -T fields \
	-E occurrence=l -e eth.src 2>/dev/null | head -1)
vxt_assert_eq "$mac" "$VXT_MAC_A" "tshark: the inner frame is host A's"
[ "$(vxt_timeout 60 tshark -n -r "$VXT_TMP/ul.pcapng" -Y vxlan 2>/dev/null | wc -l)" -ge 4 ] ||
	vxt_fail "fewer than 4 VXLAN packets in the capture"
vxt_log "  ok: the capture of net_af_packet1 holds VXLAN both ways"

vxt_log "-- access port: the plain echoes"
capture acc net_af_packet0
[ "$(vxt_timeout 60 tshark -n -r "$VXT_TMP/acc.pcapng" -Y 'icmp && !vxlan' 2>/dev/null | wc -l)" -ge 4 ] ||
	vxt_fail "no plain ICMP in the access port's capture"
vxt_log "  ok: the capture of net_af_packet0 holds the plain ICMP"
# vxswitch is still well after its captures.
vxt_ping ha 203.0.113.2
echo "PASS 18-dumpcap"
