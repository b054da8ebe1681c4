#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The control plane, driven only through vxctl.
#   1. configure links, ports, FDB, addresses and neighbours; save; stop;
#      restart from the saved file: every `-j show` is byte-identical, and
#      `vxctl save` without a file rewrites the --config file;
#   2. bad commands: exit 1, "error: ..." on stderr, nothing on stdout, and
#      nothing changes; a batch (pipelined) runs in order and stops at its
#      first failing line; no daemon: exit 2 naming the socket;
#   3. protocol: version mismatch, over-long line, too many clients;
#   4. 20 clients at once, one stuck mid-line (plus one that does not
#      read its replies): the 19 others get correct replies, and the stuck
#      one is still served once it finishes its line;
#   5. the socket is 0660 root:GROUP: a user outside the group is refused,
#      one in the --group is let in; with the mode widened to 0666 the
#      daemon itself still refuses a user outside the group;
#   6. monitor fdb streams fdb changes;
#   7. a bad line in --config stops the start, naming FILE:LINE.
# Virtual ports only (net_ring), no namespaces.
. "$(dirname "$0")/lib.sh"
vxt_init c10

SOCK=/tmp/vxt_${VXT_ID}.sock
CLIENTS=$VXT_TOP/tests/integration/ctl_clients.py
CONF=$VXT_TMP/saved.conf
PID=

start()
{
	local log=$VXT_TMP/vxswitch.log
	vxt_log "  vxswitch ... -- --socket $SOCK $*"
	"$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 --no-pci --file-prefix=vxt_${VXT_ID} \
		--log-level=lib.eal:error --vdev net_ring0 --vdev net_ring1 \
		-- --socket "$SOCK" "$@" </dev/null >>"$log" 2>&1 &
	PID=$!
	VXT_PIDS+=("$PID")
	local n=0
	while [ $n -lt 600 ]; do
		kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch exited at start (see $log)"
		[ -S "$SOCK" ] && ctl link show >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n + 1))
	done
	vxt_fail "vxswitch: $SOCK not answering after 60 s"
}

stop()
{
	[ -n "$PID" ] || return 0
	kill -TERM "$PID" 2>/dev/null
	local n=0
	while kill -0 "$PID" 2>/dev/null && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -0 "$PID" 2>/dev/null && vxt_fail "vxswitch did not stop within 60 s of SIGTERM"
	wait "$PID"
	local rc=$?
	PID=
	[ $rc -eq 0 ] || vxt_fail "vxswitch exit status $rc after SIGTERM"
	[ -e "$SOCK" ] && vxt_fail "socket $SOCK left behind after shutdown"
	vxt_log "  vxswitch stopped cleanly, socket removed"
}

ctl()
{
	vxt_timeout 20 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

must()
{
	vxt_log "  vxctl $*"
	ctl "$@" || vxt_fail "vxctl $* failed"
}

# Every show, in JSON, into one file. Neighbours being resolved by ARP/ND
# (INCOMPLETE, FAILED...) are running state, not configuration: only the
# static (PERMANENT) ones are compared.
snapshot()
{
	local f=$1 w
	: >"$f"
	for w in "link show" "fdb show" "addr show" "route show"; do
		echo "== $w" >>"$f"
		# shellcheck disable=SC2086
		ctl -j $w >>"$f" || vxt_fail "vxctl -j $w failed"
		echo >>"$f"
	done
	echo "== neigh show (permanent, noarp)" >>"$f"
	ctl -j neigh show | jq -c '[.[] | select(.state | index("PERMANENT") or index("NOARP"))]' >>"$f" ||
		vxt_fail "vxctl -j neigh show failed"
}

# ------------------------------------------------------------------ 1. save / restart
vxt_log "-- 1. configure, save, restart from the saved file"
start
must addr add 198.51.100.1/24 dev net_ring1
must addr add 2001:db8:1::1/64 dev net_ring1
must link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 remote 198.51.100.2 \
	dev net_ring1
must link add vxlan20 type vxlan id 20 dstport 4789 local 2001:db8:1::1 dev net_ring1 \
	srcport 40000 50000 ttl 10 ageing 600 nolearning
must link set dev net_ring0 master vxlan10
must link set dev net_ring0 master vxlan20 vlan 20
must fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3
must fdb append 00:00:00:00:00:00 dev vxlan20 dst 2001:db8:1::2
must fdb append 00:00:00:00:00:00 dev vxlan20 dst 2001:db8:1::3
must fdb add 02:00:00:00:10:01 dev vxlan10 dst 198.51.100.4
must fdb add 02:00:00:00:20:01 dev vxlan20 dst 2001:db8:1::2
must fdb add 02:00:00:00:00:aa dev net_ring0 master vlan 20
must neigh add 198.51.100.2 lladdr 02:00:00:00:01:02 dev net_ring1
# The links' own entries (seed "unicast with static L3 entries") and overlay addresses.
must neigh add 2001:db8:ff::11 lladdr 78:56:43:00:00:01 dev vxlan20
must neigh add 203.0.113.11 lladdr 78:56:43:00:00:02 dev vxlan10 nud noarp
must addr add 203.0.113.1/24 dev vxlan10
must addr add 2001:db8:ff::1/64 dev vxlan20
snapshot "$VXT_TMP/before.txt"
vxt_assert_grep "$(cat "$VXT_TMP/before.txt")" '"vxlan20"' "link vxlan20 in -j link show"
vxt_assert_grep "$(cat "$VXT_TMP/before.txt")" '02:00:00:00:20:01' "static entry in -j fdb show"
vxt_assert_grep "$(cat "$VXT_TMP/before.txt")" '"dst":"2001:db8:ff::11","dev":"vxlan20"' \
	"link neighbour in -j neigh show"
vxt_assert_grep "$(cat "$VXT_TMP/before.txt")" '"local":"203.0.113.1"' "overlay address in -j addr show"
must save "$CONF"
[ -s "$CONF" ] || vxt_fail "save wrote nothing to $CONF"
vxt_log "  saved $(grep -vc '^#' "$CONF") lines"
stop

start --config "$CONF"
snapshot "$VXT_TMP/after.txt"
diff -u "$VXT_TMP/before.txt" "$VXT_TMP/after.txt" ||
	vxt_fail "show output differs after a restart from the saved file"
vxt_log "  ok: every -j show is identical after the restart"
# `save` alone writes the --config file.
rm -f "$CONF"
must save
[ -s "$CONF" ] || vxt_fail "vxctl save without FILE did not write the --config file"
vxt_log "  ok: vxctl save (no FILE) rewrote $CONF"

# ------------------------------------------------------------------ 2. bad commands
vxt_log "-- 2. bad commands change nothing"
bad=(
	"bogus"
	"link add vxlan30 type vxlan id 16777216"
	"link add vxlan30 type vxlan id 30 dstport 70000"
	"link add vxlan30 type vxlan id 30 remote 198.51.100.300"
	"link add vxlan30 type vxlan id 30 local 198.51.100.1 remote 2001:db8:1::9"
	"link add vxlan10 type vxlan id 11"
	"link add vxlan30 type vxlan id 30 ttl"
	"link set dev nosuchport master vxlan10"
	"fdb add 02:00:00:00:00:zz dev vxlan10 dst 198.51.100.4"
	"fdb add 02:00:00:00:10:01 dev vxlan10 dst 198.51.100.4"
	"fdb append 00:00:00:00:00:00 dev vxlan10 dst 2001:db8:1::5"
	"fdb add 02:00:00:00:10:09 dev vxlan99 dst 198.51.100.4"
	"addr add 198.51.100.7/33 dev net_ring1"
	"addr add 203.0.113.1/24 dev vxlan10"
	"addr add 198.51.100.1/24 dev vxlan20"
	"neigh add 2001:db8:ff::11 lladdr 78:56:43:00:00:09 dev vxlan20"
	"neigh add 203.0.113.12 lladdr 78:56:43:00:00:03 dev vxlan10 nud reachable"
	"neigh add 203.0.113.12 dev vxlan10"
	"neigh del 203.0.113.99 dev vxlan10"
	"link del vxlan77"
)
for cmd in "${bad[@]}"; do
	# shellcheck disable=SC2086
	ctl $cmd >"$VXT_TMP/bad.out" 2>"$VXT_TMP/bad.err"
	rc=$?
	[ $rc -eq 1 ] || vxt_fail "vxctl $cmd: exit $rc, expected 1"
	grep -q '^error: ' "$VXT_TMP/bad.err" || vxt_fail "vxctl $cmd: no 'error:' on stderr: $(cat "$VXT_TMP/bad.err")"
	[ -s "$VXT_TMP/bad.out" ] && vxt_fail "vxctl $cmd: wrote to stdout: $(cat "$VXT_TMP/bad.out")"
	vxt_log "  ok: vxctl $cmd -> $(head -1 "$VXT_TMP/bad.err")"
done
snapshot "$VXT_TMP/after-bad.txt"
diff -u "$VXT_TMP/before.txt" "$VXT_TMP/after-bad.txt" || vxt_fail "a bad command changed the state"
vxt_log "  ok: state unchanged after ${#bad[@]} bad commands"
# A batch stops at its first bad line, naming it.
printf 'fdb add 02:00:00:00:10:02 dev vxlan10 dst 198.51.100.4\n# comment\nfdb add nonsense\nfdb add 02:00:00:00:10:03 dev vxlan10 dst 198.51.100.4\n' \
	>"$VXT_TMP/batch.txt"
ctl -b "$VXT_TMP/batch.txt" 2>"$VXT_TMP/batch.err"
rc=$?
vxt_assert_eq "$rc" 1 "vxctl -b exit status with a bad line 3"
vxt_assert_grep "$(cat "$VXT_TMP/batch.err")" "batch.txt:3" "batch error names line 3"
vxt_assert_grep "$(ctl fdb show)" "02:00:00:00:10:02" "batch line 1 applied"
vxt_assert_nogrep "$(ctl fdb show)" "02:00:00:00:10:03" "batch line 4 not applied"
must fdb del 02:00:00:00:10:02 dev vxlan10
# A long batch is pipelined (many lines in flight): the lines still run in file order,
# and a line failing in the daemon in the middle stops it: no later line takes effect.
# Lines: fdb add of 02:00:00:02:HH:LL; every 500th `-j fdb show` (its entry count
# proves where it ran); every 100th (+50) `fdb replace` of one MAC to a new dst; line
# 1501 adds the MAC of line 1 again ("exists").
n0=$(ctl -j fdb show | jq length) || vxt_fail "fdb show before the pipelined batch"
awk -v n=3000 -v fail=1501 -v n0="$n0" -v expf="$VXT_TMP/pipe.exp" -v lastf="$VXT_TMP/pipe.last" '
	function mac(i) { return sprintf("02:00:00:02:%02x:%02x", int(i / 256), i % 256) }
	BEGIN { cnt = n0
	for (i = 1; i <= n; i++) {
		if (i == fail) { print "fdb add " mac(1) " dev vxlan10 dst 198.51.100.4"; continue }
		if (i % 500 == 0) { print "fdb show"; if (i < fail) print cnt >expf; continue }
		if (i % 100 == 50) {
			dst = "198.51.100." (int(i / 100) + 10)
			print "fdb replace 02:00:00:02:ff:ff dev vxlan10 dst " dst
			if (i < fail) { if (!rep) cnt++; rep = 1; print dst >lastf }
			continue
		}
		print "fdb add " mac(i) " dev vxlan10 dst 198.51.100.4"
		if (i < fail) { cnt++; adds++ }
	}
	print adds >lastf }' >"$VXT_TMP/pipe.txt"
ctl -j -b "$VXT_TMP/pipe.txt" >"$VXT_TMP/pipe.out" 2>"$VXT_TMP/pipe.err"
rc=$?
vxt_assert_eq "$rc" 1 "pipelined batch: exit status with a failing line 1501"
vxt_assert_grep "$(cat "$VXT_TMP/pipe.err")" "^error: .*exists" "pipelined batch: the daemon's error"
vxt_assert_grep "$(cat "$VXT_TMP/pipe.err")" "^vxctl: command failed $VXT_TMP/pipe.txt:1501\$" \
	"pipelined batch: error names line 1501"
vxt_assert_eq "$(wc -l <"$VXT_TMP/pipe.err")" 2 "pipelined batch: only that error on stderr"
vxt_assert_eq "$(jq -c length <"$VXT_TMP/pipe.out" | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$VXT_TMP/pipe.exp")" "pipelined batch: each show saw exactly the lines before it"
ctl fdb show >"$VXT_TMP/pipe.show" || vxt_fail "fdb show after the pipelined batch"
vxt_assert_eq "$(grep -c '^02:00:00:02:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f] dev vxlan10' \
	"$VXT_TMP/pipe.show")" "$(($(tail -1 "$VXT_TMP/pipe.last") + 1))" \
	"pipelined batch: the entries of lines before 1501, none after"
vxt_assert_nogrep "$(cat "$VXT_TMP/pipe.show")" "^02:00:00:02:05:de " "pipelined batch: line 1502 not applied"
vxt_assert_grep "$(cat "$VXT_TMP/pipe.show")" \
	"^02:00:00:02:ff:ff dev vxlan10 dst $(sed -n '$!p' "$VXT_TMP/pipe.last" | tail -1) " \
	"pipelined batch: the last replace before line 1501 holds"
# Remove them, as a batch that succeeds: nothing on stderr (no progress line off a terminal).
grep -o '^02:00:00:02:[0-9a-f:]*' "$VXT_TMP/pipe.show" | sed 's/$/ dev vxlan10/; s/^/fdb del /' |
	ctl -b - >"$VXT_TMP/pipe-del.out" 2>"$VXT_TMP/pipe-del.err"
vxt_assert_eq "$?" 0 "batch of fdb del from stdin"
vxt_assert_eq "$(cat "$VXT_TMP/pipe-del.err")" "" "successful batch: stderr empty"
vxt_assert_nogrep "$(ctl fdb show)" "^02:00:00:02:" "batch of fdb del applied"
vxt_log "  ok: pipelined batch keeps order and stops at its failing line"
# The daemon's side, with every request written before any reply is read:
# batch requests (flag 256) after a failed one are skipped; others still run.
out=$(timeout 30 /usr/bin/python3 "$CLIENTS" "$SOCK" pipe "VXCTL1 256" \
	"VXCTL1 256 fdb add 02:00:00:03:00:01 dev vxlan10 dst 198.51.100.4" \
	"VXCTL1 256 fdb add bogus" \
	"VXCTL1 256 fdb add 02:00:00:03:00:02 dev vxlan10 dst 198.51.100.4" \
	"VXCTL1 0 fdb add 02:00:00:03:00:04 dev vxlan10 dst 198.51.100.4" \
	"VXCTL1 256" "VXCTL1 256 monitor" \
	"VXCTL1 256 fdb add 02:00:00:03:00:03 dev vxlan10 dst 198.51.100.4" \
	"VXCTL1 1 link show dev vxlan10")
vxt_log "$(cut -c1-100 <<<"$out" | sed 's/^/    /')"
vxt_assert_eq "$(cut -d' ' -f1 <<<"$out" | tr '\n' ' ')" "ok ok error error ok ok error error ok " \
	"batch flag: reply statuses"
vxt_assert_eq "$(sed -n 4p <<<"$out")" "error error: skipped: an earlier command of the batch failed" \
	"batch flag: request after the failure skipped"
vxt_assert_grep "$(sed -n 7p <<<"$out")" "monitor is not allowed in a batch" "batch flag: monitor refused"
vxt_assert_eq "$(ctl fdb show | grep -o '^02:00:00:03:00:0[0-9]' | tr '\n' ' ')" \
	"02:00:00:03:00:01 02:00:00:03:00:04 " "batch flag: only the lines before the failure and the non-batch one ran"
must fdb del 02:00:00:03:00:01 dev vxlan10
must fdb del 02:00:00:03:00:04 dev vxlan10
# No daemon: exit 2 with the socket's path.
"$VXT_BIN/vxctl" --socket /tmp/vxt_${VXT_ID}-none.sock link show 2>"$VXT_TMP/noconn.err"
rc=$?
vxt_assert_eq "$rc" 2 "vxctl exit status without a daemon"
vxt_assert_grep "$(cat "$VXT_TMP/noconn.err")" "/tmp/vxt_${VXT_ID}-none.sock" "message names the socket"
VXSWITCH_SOCKET=$SOCK "$VXT_BIN/vxctl" link show >/dev/null ||
	vxt_fail "VXSWITCH_SOCKET not honoured by vxctl"
vxt_log "  ok: VXSWITCH_SOCKET selects the socket"

# ------------------------------------------------------------------ 3. protocol
vxt_log "-- 3. protocol bounds"
out=$(timeout 30 /usr/bin/python3 "$CLIENTS" "$SOCK" raw "VXCTL0 0 link show")
vxt_assert_grep "$out" "^error: protocol version mismatch.*VXCTL1.*VXCTL0" "version mismatch answered"
out=$(timeout 30 /usr/bin/python3 "$CLIENTS" "$SOCK" raw "VXCTL1 0 $(head -c 70000 /dev/zero | tr '\0' a)")
vxt_assert_grep "$out" "^error: request line longer than" "over-long line refused"
out=$(timeout 90 /usr/bin/python3 "$CLIENTS" "$SOCK" many 70)
read -r _ refused _ served <<<"$out"
# 64 served and 6 refused; up to 2 more refused when the daemon has not yet
# seen the two previous clients close.
[ "${refused:-0}" -ge 6 ] && [ "$refused" -le 8 ] && [ $((refused + served)) -eq 70 ] ||
	vxt_fail "70 connections at once: $out, expected 6 (..8) refused and the rest served"
vxt_log "  ok: 70 connections at once: $refused refused with 'too many clients', $served served"
ctl link show >/dev/null || vxt_fail "daemon does not answer after the client flood"

# ------------------------------------------------------------------ 4. 20 clients, one stuck
vxt_log "-- 4. 20 clients at once, one stuck mid-line, one not reading"
ctl -j fdb show >"$VXT_TMP/ref.json" || vxt_fail "reference fdb show"
rm -f "$VXT_TMP"/stuck.* "$VXT_TMP"/noread.*
timeout 90 /usr/bin/python3 "$CLIENTS" "$SOCK" stuck "$VXT_TMP/stuck.ready" "$VXT_TMP/go" \
	>"$VXT_TMP/stuck.out" 2>&1 &
stuck_pid=$!
VXT_PIDS+=("$stuck_pid")
timeout 90 /usr/bin/python3 "$CLIENTS" "$SOCK" noread 20000 "$VXT_TMP/noread.ready" "$VXT_TMP/go" \
	>"$VXT_TMP/noread.out" 2>&1 &
noread_pid=$!
VXT_PIDS+=("$noread_pid")
n=0
while { [ ! -e "$VXT_TMP/stuck.ready" ] || [ ! -e "$VXT_TMP/noread.ready" ]; } && [ $n -lt 200 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ -e "$VXT_TMP/stuck.ready" ] && [ -e "$VXT_TMP/noread.ready" ] ||
	vxt_fail "stuck/noread clients did not connect"
pids=()
for i in $(seq 1 19); do
	ctl -j fdb show >"$VXT_TMP/c$i.json" 2>"$VXT_TMP/c$i.err" &
	pids+=($!)
done
for i in $(seq 1 19); do
	wait "${pids[$((i - 1))]}" || vxt_fail "client $i failed: $(cat "$VXT_TMP/c$i.err")"
	cmp -s "$VXT_TMP/ref.json" "$VXT_TMP/c$i.json" || vxt_fail "client $i got a different reply"
done
vxt_log "  ok: 19 concurrent clients answered correctly while one is stuck mid-line and one does not read"
kill -0 "$stuck_pid" 2>/dev/null || vxt_fail "the stuck client was dropped: $(cat "$VXT_TMP/stuck.out")"
touch "$VXT_TMP/go"
wait "$stuck_pid"
vxt_assert_grep "$(cat "$VXT_TMP/stuck.out")" "^VXCTL1 ok [1-9]" "stuck client served once its line is complete"
wait "$noread_pid"
read -r _ sent _ oks < <(cat "$VXT_TMP/noread.out")
[ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$sent" = "$oks" ] ||
	vxt_fail "non-reading client: $(cat "$VXT_TMP/noread.out")"
vxt_log "  ok: non-reading client got all $oks replies once it read"

# ------------------------------------------------------------------ 5. permissions
vxt_log "-- 5. socket permissions"
vxt_assert_eq "$(stat -c '%a %U %G' "$SOCK")" "660 root root" "socket mode and owner (default group)"
chmod 755 "$VXT_TMP"
install -m 755 "$VXT_BIN/vxctl" "$VXT_TMP/vxctl"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$VXT_TMP/vxctl" --socket "$SOCK" link show \
	>/dev/null 2>"$VXT_TMP/perm.err"
rc=$?
vxt_assert_eq "$rc" 2 "vxctl exit status as nobody"
vxt_assert_grep "$(cat "$VXT_TMP/perm.err")" "Permission denied" "nobody refused by the file mode"
# A socket whose mode someone widened still serves only root and its group (SO_PEERCRED).
chmod 666 "$SOCK"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$VXT_TMP/vxctl" --socket "$SOCK" link show \
	>/dev/null 2>"$VXT_TMP/perm.err"
rc=$?
vxt_assert_eq "$rc" 1 "vxctl exit status as nobody on a 0666 socket"
vxt_assert_grep "$(cat "$VXT_TMP/perm.err")" "permission denied" "nobody refused by the daemon"
ctl link show >/dev/null || vxt_fail "root refused after a refused peer"
chmod 660 "$SOCK"
stop
start --config "$CONF" --group nogroup
vxt_assert_eq "$(stat -c '%a %U %G' "$SOCK")" "660 root nogroup" "socket mode and owner with --group"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$VXT_TMP/vxctl" --socket "$SOCK" link show \
	>/dev/null || vxt_fail "a member of the --group is refused"
vxt_log "  ok: nobody:nogroup allowed by --group nogroup"
setpriv --reuid=nobody --regid=daemon --clear-groups "$VXT_TMP/vxctl" --socket "$SOCK" link show \
	>/dev/null 2>&1
vxt_assert_eq "$?" 2 "vxctl exit status as nobody:daemon (outside the group)"

# ------------------------------------------------------------------ 6. monitor
vxt_log "-- 6. monitor fdb"
# Not under timeout(1): the SIGINT must reach vxctl itself (it installs its own handler,
# as a background job of a script starts with SIGINT ignored).
"$VXT_BIN/vxctl" --socket "$SOCK" monitor fdb >"$VXT_TMP/mon.out" 2>&1 &
mon_pid=$!
VXT_PIDS+=("$mon_pid")
sleep 0.5
must fdb add 02:00:00:00:10:77 dev vxlan10 dst 198.51.100.4
must fdb del 02:00:00:00:10:77 dev vxlan10
n=0
while [ "$(grep -c 02:00:00:00:10:77 "$VXT_TMP/mon.out")" -lt 2 ] && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
vxt_assert_grep "$(cat "$VXT_TMP/mon.out")" "^02:00:00:00:10:77 dev vxlan10" "monitor: fdb add event"
vxt_assert_grep "$(cat "$VXT_TMP/mon.out")" "^Deleted 02:00:00:00:10:77" "monitor: fdb del event"
kill -INT "$mon_pid"
wait "$mon_pid"
vxt_assert_eq "$?" 0 "vxctl monitor exit status on Ctrl-C"

stop

# ------------------------------------------------------------------ 7. bad config line
vxt_log "-- 7. a bad --config line stops the start"
printf '# good, then bad\nlink add vxlan10 type vxlan id 10 dstport 4789\nlink add vxlan11 type vxlan id 99999999\n' \
	>"$VXT_TMP/bad.conf"
timeout 60 "$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 --no-pci --file-prefix=vxt_${VXT_ID} \
	--log-level=lib.eal:error --vdev net_ring0 --vdev net_ring1 \
	-- --socket "$SOCK" --config "$VXT_TMP/bad.conf" </dev/null >"$VXT_TMP/badconf.out" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || vxt_fail "vxswitch with a bad config line: exit $rc"
vxt_assert_grep "$(cat "$VXT_TMP/badconf.out")" "^config $VXT_TMP/bad.conf:3: error: .*99999999" \
	"start refused with config FILE:3: error naming the word"
[ -e "$SOCK" ] && vxt_fail "socket created although the start failed"
vxt_log "  ok: no socket left"
