#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A big FDB load through the socket, then the daemon still answers.
# The benchmark's decap4-1m loads one million `fdb add` lines with `vxctl -b`
# and then reads `vxctl -j stats`, which must answer. Here: 100000 local
# entries (half `static`, half permanent) through `vxctl -b`, then
# `-j stats` must answer with the right counts, `fdb show` must list every
# entry with its state, and `fdb flush` must keep the permanent half. No timing assertion (each vxctl call is only bounded).
# Virtual ports only (net_ring), no namespaces.
. "$(dirname "$0")/lib.sh"
vxt_init f12

SOCK=/tmp/vxt_f12_$$.sock
N=100000
PID=

ctl()
{
	vxt_timeout 300 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

log=$VXT_TMP/vxswitch.log
"$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 --no-pci --file-prefix="vxt_f12_$$" \
	--log-level=lib.eal:error --vdev net_ring0 --vdev net_ring1 \
	-- --socket "$SOCK" --fdb-size 131072 </dev/null >>"$log" 2>&1 &
PID=$!
VXT_PIDS+=("$PID")
n=0
until [ -S "$SOCK" ] && ctl link show >/dev/null 2>&1; do
	kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch exited at start (see $log)"
	[ $n -lt 600 ] || vxt_fail "vxswitch: $SOCK not answering after 60 s"
	sleep 0.1
	n=$((n + 1))
done

ctl link add vxlan10 type vxlan id 10 nolearning || vxt_fail "link add"
ctl link set dev net_ring0 master vxlan10 || vxt_fail "link set"
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
	printf "fdb add 02:00:0a:%02x:%02x:%02x dev net_ring0 master%s\n",
		int(i / 65536) % 256, int(i / 256) % 256, i % 256, (i % 2) ? " static" : "" }' \
	>"$VXT_TMP/fdb.conf"
vxt_log "  vxctl -b ($N fdb add lines)"
ctl -b "$VXT_TMP/fdb.conf" >/dev/null || vxt_fail "vxctl -b of $N lines failed"

ctl -j stats >"$VXT_TMP/stats.json" || vxt_fail "vxctl -j stats did not answer after the load"
got=$(jq -r '.[] | select(.ifname == "vxlan10") | "\(.fdb_entries) \(.fdb_static)"' \
	"$VXT_TMP/stats.json") || vxt_fail "stats is not JSON: $(head -c 300 "$VXT_TMP/stats.json")"
[ "$got" = "$N $N" ] || vxt_fail "stats: fdb_entries/fdb_static $got, want $N $N"
jq -e '.[] | select(.kind == "learn") | .learned == 0' "$VXT_TMP/stats.json" >/dev/null ||
	vxt_fail "stats: no learn object with learned 0"

ctl fdb show >"$VXT_TMP/show.txt" || vxt_fail "fdb show failed"
[ "$(grep -c ' static$' "$VXT_TMP/show.txt")" -eq $((N / 2)) ] ||
	vxt_fail "fdb show: $(grep -c ' static$' "$VXT_TMP/show.txt") static entries, want $((N / 2))"
[ "$(grep -c ' permanent$' "$VXT_TMP/show.txt")" -eq $((N / 2)) ] ||
	vxt_fail "fdb show: $(grep -c ' permanent$' "$VXT_TMP/show.txt") permanent entries"
grep -q '^02:00:0a:01:86:9f dev net_ring0 master vxlan10 static$' "$VXT_TMP/show.txt" ||
	vxt_fail "fdb show: entry 99999 missing or wrong"

ctl fdb flush dev net_ring0 >/dev/null || vxt_fail "fdb flush failed"
got=$(ctl -j stats | jq -r '.[] | select(.ifname == "vxlan10") | .fdb_entries')
[ "$got" = $((N / 2)) ] || vxt_fail "after flush: $got entries, want the $((N / 2)) permanent"

kill -TERM "$PID"
n=0
while kill -0 "$PID" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
wait "$PID" || vxt_fail "vxswitch exit status $? after SIGTERM"
echo "PASS 13-fdb-load"
