#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The CLI socket under abuse by local clients (ctl_abuse.py): connect/close
# churn, binary garbage, request lines of up to 4 MiB, and 32 clients that
# pipeline `fdb show` of a 20000-entry table without ever reading a reply,
# all at once for 20 s. Throughout, another client's `vxctl link show` must
# answer within a second, and the daemon's resident memory must stay within
# 160 MiB of what it was before (64 clients at most, each with at most 1 MiB
# of unsent output and one 64 KiB line buffer). After the abuse the daemon
# still runs every command.
# Virtual ports only (net_ring), no namespaces.
. "$(dirname "$0")/lib.sh"
vxt_init s15

SOCK=/tmp/vxt_${VXT_ID}.sock
ABUSE=$VXT_TOP/tests/integration/ctl_abuse.py
SECS=${VXT_ABUSE_SECS:-20}
PID=

ctl()
{
	vxt_timeout 60 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

rss_kib()
{
	awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"
}

log=$VXT_TMP/vxswitch.log
"$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 --no-pci --file-prefix="vxt_$VXT_ID" \
	--log-level=lib.eal:error --vdev net_ring0 --vdev net_ring1 \
	-- --socket "$SOCK" </dev/null >>"$log" 2>&1 &
PID=$!
VXT_PIDS+=("$PID")
n=0
until [ -S "$SOCK" ] && ctl link show >/dev/null 2>&1; do
	kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch exited at start (see $log)"
	[ $n -lt 600 ] || vxt_fail "vxswitch: $SOCK not answering after 60 s"
	sleep 0.1
	n=$((n + 1))
done

ctl link add vxlan10 type vxlan id 10 nolearning >/dev/null || vxt_fail "link add"
ctl link set dev net_ring0 master vxlan10 >/dev/null || vxt_fail "link set"
awk 'BEGIN { for (i = 0; i < 20000; i++)
	printf "fdb add 02:00:0b:00:%02x:%02x dev net_ring0 master static\n", int(i / 256), i % 256 }' \
	>"$VXT_TMP/fdb.conf"
ctl -b "$VXT_TMP/fdb.conf" >/dev/null || vxt_fail "vxctl -b of 20000 lines"
ctl link show >"$VXT_TMP/before.txt" || vxt_fail "link show"
rss0=$(rss_kib)
vxt_log "  resident before: $((rss0 / 1024)) MiB"

abusers=()
# The abusers run at nice 10: six busy processes share this machine's two
# cores with the daemon's control thread, and the lab measures the daemon's
# own scheduling of its clients, not the kernel's sharing of the cores.
for kind in churn churn garbage long noread; do
	nice -n 10 /usr/bin/python3 "$ABUSE" "$SOCK" "$kind" "$SECS" >"$VXT_TMP/abuse-$kind-${#abusers[@]}.txt" 2>&1 &
	abusers+=($!)
	VXT_PIDS+=($!)
done

# The probe: one `vxctl link show` every 0.2 s while the abusers run.
worst=0 probes=0 slow=0 peak=$rss0 lat=
end=$((SECONDS + SECS))
while [ $SECONDS -lt $end ]; do
	t0=$(date +%s%N)
	out=$(vxt_timeout 10 "$VXT_BIN/vxctl" --socket "$SOCK" link show 2>&1)
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	probes=$((probes + 1))
	[ $rc -eq 0 ] || vxt_fail "probe $probes: vxctl link show failed ($rc): $out"
	[ "$out" = "$(cat "$VXT_TMP/before.txt")" ] || vxt_fail "probe $probes: link show changed: $out"
	lat="$lat $ms"
	[ $ms -gt $worst ] && worst=$ms
	[ $ms -gt 1000 ] && slow=$((slow + 1))
	r=$(rss_kib)
	[ "$r" -gt "$peak" ] && peak=$r
	sleep 0.2
done
for p in "${abusers[@]}"; do
	wait "$p" || vxt_fail "an abuser failed: $(cat "$VXT_TMP"/abuse-*.txt)"
done
cat "$VXT_TMP"/abuse-*.txt | sed 's/^/  /'
vxt_log "  $probes probes, slowest $worst ms, $slow over 1 s; resident peak $((peak / 1024)) MiB"
vxt_log "  probe times (ms):$lat"
[ $slow -eq 0 ] || vxt_fail "$slow of $probes probes took more than 1 s (slowest $worst ms)"
[ $((peak - rss0)) -le $((160 * 1024)) ] ||
	vxt_fail "resident memory grew by $(((peak - rss0) / 1024)) MiB under abuse"

kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch died under abuse (see $log)"
ctl fdb add 02:00:0c:00:00:01 dev net_ring0 master static >/dev/null || vxt_fail "fdb add after abuse"
got=$(ctl -j stats | jq -r '.[] | select(.ifname == "vxlan10") | .fdb_entries')
vxt_assert_eq "$got" 20001 "FDB entries after the abuse"
echo "PASS 22-socket-abuse"
