#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# MAC flood. A switch with a small FDB (--fdb-size 16384) and two links:
# vxlan10 (host A - switch - kernel VTEP kb - host B) with maxaddress 4000,
# and vxlan20 on a second access port (host C) with no per-link limit. Host
# B's entry is static. Then one million random source MACs each:
#   from host A on the access port of vxlan10,
#   from kb over the underlay (VXLAN, VNI 10, inner frames to host A),
#   from host C on the access port of vxlan20.
# Throughout: vxlan10 stays within its maxaddress, the whole FDB within its
# capacity, refused entries are counted (learn-limit), A and B keep
# pinging each other, the daemon's resident memory grows by less than
# 64 MiB. After the floods the learned entries age out (ageing 10) and
# learning resumes: 100 new MACs from host A are all learned.
. "$(dirname "$0")/lib.sh"
vxt_init m24

FLOWS=$VXT_TOP/tests/integration/flows.py
N=${VXT_MACFLOOD_N:-1000000}
CAP=16384
MAX10=4000

# entries LINK: FDB entries of a link as `stats` counts them.
entries()
{
	vxt_ctl_try x -j stats | jq -r --arg l "$1" '.[] | select(.ifname == $l) | .fdb_entries'
}

rss_kib()
{
	awk '/^VmRSS:/ { print $2 }' "/proc/${VXT_SW_PID[x]}/status"
}

# flood NS IFACE ARGS...: one MAC flood, bounded to 60 s.
flood()
{
	local ns=$1
	shift
	vxt_in "$ns" timeout 90 /usr/bin/python3 "$FLOWS" macflood "$@" || vxt_fail "macflood in $ns"
}

vxt_host hc 203.0.113.3/24 $VXT_MAC_C 1450
vxt_sw_port x 2 hc eth0
vxt_host_up hc
VXT_SW_ARGS="--fdb-size $CAP" VXT_SW_LINK_EXTRA="maxaddress $MAX10 ageing 10" vxt_topo_basic 4
vxt_ctl x link add vxlan20 type vxlan id 20 dstport 4789 local 198.51.100.1 \
	remote 198.51.100.2 dev net_af_packet1 ageing 10
vxt_ctl x link set dev net_af_packet2 master vxlan20
# replace: B's kernel may already have sent a frame (an MLD report) that taught the switch B.
vxt_ctl x fdb replace $VXT_MAC_B dev vxlan10 dst 198.51.100.2 static
vxt_ping ha 203.0.113.2
rss0=$(rss_kib)
limit0=$(vxt_drop_count x learn-limit)

vxt_log "-- $N source MACs from host A (access, vxlan10)"
flood ha eth0 "$N" 60 $VXT_MAC_B
vxt_assert_ge $MAX10 "$(entries vxlan10)" "maxaddress of vxlan10 >= its entries"
vxt_ping ha 203.0.113.2

vxt_log "-- $N source MACs from kb (underlay, VNI 10)"
kbmac=$(vxt_in kb cat /sys/class/net/eth0/address)
xmac=$(vxt_in x cat "/sys/class/net/$(vxt_sw_ifname x 1)/address")
flood kb eth0 "$N" 60 $VXT_MAC_A VXLAN "$kbmac" "$xmac" 198.51.100.2 198.51.100.1 10
vxt_assert_ge $MAX10 "$(entries vxlan10)" "maxaddress of vxlan10 >= its entries"
vxt_ping ha 203.0.113.2

vxt_log "-- $N source MACs from host C (access, vxlan20)"
flood hc eth0 "$N" 60 ff:ff:ff:ff:ff:ff
e10=$(entries vxlan10)
e20=$(entries vxlan20)
vxt_assert_ge $CAP "$((e10 + e20))" "FDB capacity >= all entries ($e10 + $e20)"
vxt_assert_ge "$((e10 + e20))" $((CAP * 3 / 4)) "entries once the FDB is full"
vxt_assert_ge "$(($(vxt_drop_count x learn-limit) - limit0))" 100000 "learn-limit events"
vxt_ping ha 203.0.113.2
vxt_ping hb 203.0.113.1
rss1=$(rss_kib)
vxt_log "  resident: $((rss0 / 1024)) MiB before, $((rss1 / 1024)) MiB after the floods"
[ $((rss1 - rss0)) -lt $((64 * 1024)) ] || vxt_fail "resident memory grew by $(((rss1 - rss0) / 1024)) MiB"

vxt_log "-- the flood's entries age out (ageing 10), learning resumes"
n=0
while [ $n -lt 300 ]; do
	e=$(($(entries vxlan10) + $(entries vxlan20)))
	[ "$e" -le 4 ] && break
	sleep 0.1
	n=$((n + 1))
done
[ "$e" -le 4 ] || vxt_fail "$e entries left 30 s after the floods (ageing 10)"
vxt_log "  ok: $e entries left after ageing"
vxt_assert_grep "$(vxt_sw_fdb x dev vxlan10)" "^$VXT_MAC_B .*dst 198\.51\.100\.2.* static" \
	"static entry of host B kept"
flood ha eth0 100 10 $VXT_MAC_B
n=0
while [ "$(entries vxlan10)" -lt 100 ] && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
vxt_assert_ge "$(entries vxlan10)" 101 "entries of vxlan10 after 100 new MACs (and B)"
echo "PASS 24-mac-flood"
