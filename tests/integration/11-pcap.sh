#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole daemon, pcap in / pcap out (net_pcap rx_pcap/tx_pcap).
#   access port  net_pcap0: rx access_in.pcap (host A's frames), tx access_out.pcap
#   underlay     net_pcap1: rx ul_in.pcap (VXLAN from 198.51.100.2), tx ul_out.pcap
# One worker, so one rx and one tx queue per port (net_pcap has one tx queue
# per tx_pcap; the control thread's frames go out through worker 0).
#
# The configuration is a file of vxctl lines replayed with --config: the
# workers start after the replay, so no frame of the pcaps arrives before the
# link exists (net_pcap reads its file as soon as it is polled). Counters are
# then read with vxctl; the tx pcaps are complete once the daemon stopped.
# tshark must see on the underlay only VXLAN to 198.51.100.2, UDP 4789,
# VNI 10, carrying host A's frames, and on the access port exactly the inner
# frames of host B, decapsulated.
. "$(dirname "$0")/lib.sh"
vxt_init c11

SOCK=/tmp/vxt_${VXT_ID}.sock
D=$VXT_TMP
MAC_A=02:00:00:00:00:0a
MAC_B=02:00:00:00:00:0b
MAC_PEER=02:00:00:00:01:02
# net_pcap names its devices' MACs 02:70:63:61:70:<n> in creation order.
MAC_UL=02:70:63:61:70:01

eval "$(timeout 120 /usr/bin/python3 "$VXT_TOP/tests/data/mkpcap.py" "$D" "$MAC_UL")" ||
	vxt_fail "mkpcap.py failed"
vxt_log "  inputs: $N_ACC access frames ($N_ACC_UC unicast to B), $N_UL VXLAN frames ($N_UL_UC unicast to A)"

cat >"$D/vxswitch.conf" <<EOF
# 11-pcap: host A behind net_pcap0, remote VTEP 198.51.100.2 (host B) on net_pcap1
addr add 198.51.100.1/24 dev net_pcap1
neigh add 198.51.100.2 lladdr $MAC_PEER dev net_pcap1
link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 remote 198.51.100.2 dev net_pcap1
link set dev net_pcap0 master vxlan10
fdb add $MAC_B dev vxlan10 dst 198.51.100.2
fdb add $MAC_A dev net_pcap0 master
EOF

log=$D/vxswitch.log
"$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 --no-pci --file-prefix=vxt_${VXT_ID} \
	--log-level=lib.eal:error \
	--vdev "net_pcap0,rx_pcap=$D/access_in.pcap,tx_pcap=$D/access_out.pcap" \
	--vdev "net_pcap1,rx_pcap=$D/ul_in.pcap,tx_pcap=$D/ul_out.pcap" \
	-- --socket "$SOCK" --config "$D/vxswitch.conf" </dev/null >"$log" 2>&1 &
PID=$!
VXT_PIDS+=("$PID")

ctl()
{
	vxt_timeout 20 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

n=0
until [ -S "$SOCK" ] && ctl link show >/dev/null 2>&1; do
	kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch exited at start"
	[ $n -lt 600 ] || vxt_fail "vxswitch not answering after 60 s"
	sleep 0.1
	n=$((n + 1))
done
mac=$(ctl -j link show | jq -r '.[] | select(.ifname=="net_pcap1") | .address')
vxt_assert_eq "$mac" "$MAC_UL" "underlay port MAC (outer destination of ul_in.pcap)"

# Wait (bounded) until every input frame was received and forwarded.
stat()
{
	ctl -j stats | jq -r ".[] | select(.ifname==\"$1\") | .$2"
}
n=0
while [ $n -lt 100 ]; do
	[ "$(stat net_pcap0 rx_packets)" = "$N_ACC" ] && [ "$(stat net_pcap1 rx_packets)" = "$N_UL" ] &&
		[ "$(stat net_pcap0 tx_packets)" -ge "$N_UL" ] &&
		[ "$(stat net_pcap1 tx_packets)" -ge "$N_ACC" ] && break
	sleep 0.2
	n=$((n + 1))
done
ctl stats
vxt_assert_eq "$(stat net_pcap0 rx_packets)" "$N_ACC" "access port rx"
vxt_assert_eq "$(stat net_pcap1 rx_packets)" "$N_UL" "underlay port rx"
vxt_assert_eq "$(stat vxlan10 encap_packets)" "$N_ACC" "encapsulated frames (vxctl stats)"
vxt_assert_eq "$(stat vxlan10 decap_packets)" "$N_UL" "decapsulated frames (vxctl stats)"

# Stop: the ports are closed and net_pcap flushes its tx files.
kill -TERM "$PID"
n=0
while kill -0 "$PID" 2>/dev/null && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
wait "$PID" || vxt_fail "vxswitch exit status $? after SIGTERM"

count()
{
	timeout 60 tshark -n -r "$1" -Y "$2" 2>/dev/null | wc -l
}

ul=$D/ul_out.pcap acc=$D/access_out.pcap
vx="vxlan && ip.src==198.51.100.1 && ip.dst==198.51.100.2 && udp.dstport==4789 && vxlan.vni==10"
vxt_assert_eq "$(count "$ul" "vxlan")" "$N_ACC" "VXLAN frames in the underlay tx pcap"
# The control thread may announce its address (gratuitous ARP): nothing else.
vxt_assert_eq "$(count "$ul" "!vxlan && !(arp && arp.src.proto_ipv4==198.51.100.1)")" 0 \
	"other frames in the underlay tx pcap"
vxt_assert_eq "$(count "$ul" "$vx")" "$N_ACC" "VXLAN 198.51.100.1 -> .2, UDP 4789, VNI 10"
vxt_assert_eq "$(count "$ul" "$vx && eth.dst==$MAC_PEER && eth.src==$MAC_UL")" "$N_ACC" \
	"outer MACs: our port -> the static neighbour"
vxt_assert_eq "$(count "$ul" "$vx && vxlan.flag_i==1 && vxlan.reserved8==0 && ip.ttl==64 && udp.checksum==0")" "$N_ACC" \
	"I flag, reserved zero, TTL 64, IPv4 UDP checksum 0 (kernel defaults)"
vxt_assert_eq "$(count "$ul" "$vx && eth.src==$MAC_A && ip.dst==203.0.113.2 && udp.dstport>=9000 && udp.dstport<=9015")" \
	"$N_ACC_UC" "inner unicast frames A -> B"
vxt_assert_eq "$(count "$ul" "$vx && arp && eth.dst==ff:ff:ff:ff:ff:ff")" "$((N_ACC - N_ACC_UC))" \
	"inner broadcast ARP flooded to the VTEP"
vxt_assert_eq "$(count "$ul" "$vx && frame contains \"a-to-b 07\"")" 1 "inner payload intact"

vxt_assert_eq "$(count "$acc" "")" "$N_UL" "frames in the access tx pcap"
vxt_assert_eq "$(count "$acc" "vxlan || ip.addr==198.51.100.0/24")" 0 "no outer header left on the access side"
vxt_assert_eq "$(count "$acc" "eth.src==$MAC_B && eth.dst==$MAC_A && ip.src==203.0.113.2 && udp.srcport>=30000 && udp.srcport<=30011")" \
	"$N_UL_UC" "decapsulated unicast frames B -> A"
vxt_assert_eq "$(count "$acc" "eth.src==$MAC_B && arp && eth.dst==ff:ff:ff:ff:ff:ff")" "$((N_UL - N_UL_UC))" \
	"decapsulated broadcast frames flooded to the access port"
vxt_assert_eq "$(count "$acc" "frame contains \"b-to-a 11\"")" 1 "decapsulated payload intact"
