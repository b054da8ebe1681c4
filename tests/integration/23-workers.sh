#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Three workers. The switch runs three worker lcores on this two-core
# machine (--lcores 0@0,1@1,2@0,3@1: the main lcore and worker 2 share core
# 0) with three queue pairs per af_packet port, whose PACKET_FANOUT group
# spreads the flows over the queues, and so over the workers. Topology of
# vxt_topo_basic 4 (host A - switch - kernel VTEP kb - host B).
#
# 1. 48 numbered UDP flows each way at once (A -> B and B -> A): every frame
#    arrives exactly once and in order within its flow (flows.py check).
# 2. 3000 new source MACs from A, spread over the flows: every one is
#    learned (no learn request lost below the FDB's limit), none overflows
#    a learn ring.
# 3. B sends to 300 of those MACs over flows that the fanout spreads over
#    every worker: all delivered to A, none flooded (learned by one worker,
#    used by all): host C, on a third access port of the link, gets none.
# 4. One of them moves behind kb (it speaks from B's side): one second
#    later, frames to it from A on all 48 flows (all workers) reach B.
. "$(dirname "$0")/lib.sh"
vxt_init w23

VXT_LCORES=0@0,1@1,2@0,3@1
VXT_QPAIRS=3
FLOWS=$VXT_TOP/tests/integration/flows.py
NF=48

# flows NS ARGS...: flows.py in a namespace, bounded.
flows()
{
	local ns=$1
	shift
	vxt_in "$ns" timeout 120 /usr/bin/python3 "$FLOWS" "$@"
}

# check TAG SRCIP NFLOWS NPER: the numbered flows from SRCIP in capture TAG.
check()
{
	local out
	out=$(vxt_cap_fields "$1" "udp.dstport == 9 && ip.src == $2" udp.srcport udp.payload |
		/usr/bin/python3 "$FLOWS" check "$3" "$4") ||
		vxt_fail "$1: flows from $2 not delivered exactly once in order: $out"
	vxt_log "  ok: $1: $out"
}

vxt_host hc 203.0.113.3/24 $VXT_MAC_C 1450
vxt_sw_port x 2 hc eth0
vxt_host_up hc
vxt_topo_basic 4
vxt_ctl x link set dev net_af_packet2 master vxlan10
grep -q "3 workers" "$VXT_TMP/vxswitch-x.log" ||
	vxt_fail "the switch did not start three workers: $(grep workers "$VXT_TMP/vxswitch-x.log")"
vxt_ping ha 203.0.113.2

vxt_log "-- 1. $NF flows each way, 100 frames each"
vxt_cap_start a ha eth0 "udp dst port 9"
vxt_cap_start b hb eth0 "udp dst port 9"
flows ha send eth0 $VXT_MAC_A $VXT_MAC_B 203.0.113.1 203.0.113.2 $NF 100 2000 >"$VXT_TMP/send-a.txt" &
pa=$!
flows hb send eth0 $VXT_MAC_B $VXT_MAC_A 203.0.113.2 203.0.113.1 $NF 100 2000 >"$VXT_TMP/send-b.txt" &
pb=$!
wait $pa || vxt_fail "sender in ha failed"
wait $pb || vxt_fail "sender in hb failed"
vxt_cap_stop a
vxt_cap_stop b
check b 203.0.113.1 $NF 100
check a 203.0.113.2 $NF 100
# Every worker had a share of each direction (else the lab proves nothing).
for w in 0 1 2; do
	n=$(vxt_ctl_try x -j stats | jq -r --argjson w $w \
		'[.[] | select(.kind == "worker" and .id == $w)][0].busy_pkts // 0')
	vxt_assert_ge "${n:-0}" 100 "packets handled by worker $w"
done

vxt_log "-- 2. 3000 new source MACs from host A"
learned0=$(vxt_drop_count x learned)
flows ha send eth0 02:aa:00:00:00:00 $VXT_MAC_B 203.0.113.1 203.0.113.2 $NF 63 3000 src=3000 \
	>/dev/null || vxt_fail "sender in ha failed"
n=0 got=0
while [ $n -lt 100 ]; do
	got=$(vxt_ctl_try x fdb show dev net_af_packet0 | grep -c '^02:aa:')
	[ "$got" -ge 3000 ] && break
	sleep 0.1
	n=$((n + 1))
done
vxt_assert_eq "$got" 3000 "MACs 02:aa:... learned on the access port"
vxt_assert_eq "$(vxt_drop_count x learn-ring-full)" 0 "learn requests lost (ring full)"
vxt_assert_ge "$(($(vxt_drop_count x learned) - learned0))" 3000 "learned events"

vxt_log "-- 3. host B to 300 of them, over every worker"
vxt_cap_start a3 ha eth0 "udp dst port 9"
vxt_cap_start c3 hc eth0 "udp dst port 9"
flows hb send eth0 $VXT_MAC_B 02:aa:00:00:00:00 203.0.113.2 203.0.113.1 50 6 2000 dst=300 \
	>/dev/null || vxt_fail "sender in hb failed"
vxt_cap_stop a3
vxt_cap_stop c3
check a3 203.0.113.2 50 6
vxt_assert_eq "$(vxt_cap_count c3 "udp.dstport == 9")" 0 "frames to learned MACs flooded to host C"

vxt_log "-- 4. 02:aa:00:00:00:05 moves behind kb"
moved0=$(vxt_drop_count x moved)
flows hb send eth0 02:aa:00:00:00:05 $VXT_MAC_A 203.0.113.2 203.0.113.1 1 1 100 >/dev/null ||
	vxt_fail "sender in hb failed"
sleep 1
vxt_assert_ge "$(($(vxt_drop_count x moved) - moved0))" 1 "moved events"
vxt_cap_start b4 hb eth0 "udp dst port 9"
flows ha send eth0 $VXT_MAC_A 02:aa:00:00:00:05 203.0.113.1 203.0.113.2 $NF 1 1000 >/dev/null ||
	vxt_fail "sender in ha failed"
vxt_cap_stop b4
check b4 203.0.113.1 $NF 1
echo "PASS 23-workers"
