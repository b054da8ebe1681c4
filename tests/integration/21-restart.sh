#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Shutdown and restart with big tables.
#
# 1. One million static FDB entries and a full route table (1000 routes):
#    `vxctl save`, then SIGTERM must end the daemon with status 0 within 2 s.
#    A daemon started from the saved file has every entry and route back;
#    SIGINT must end it the same way.
# 2. kill -9 while `vxctl save` writes: the config file is, every time, either
#    the complete old file or the complete new one, never a torn mix (save
#    writes a temporary file, fsyncs it and renames it over the old one).
#    The two contents differ by one link; each round toggles it and kills the
#    daemon at a different point of the save.
# Virtual ports only (net_ring), no namespaces.
. "$(dirname "$0")/lib.sh"
vxt_init r14

SOCK=/tmp/vxt_${VXT_ID}.sock
CONF=$VXT_TMP/vxswitch.conf
PID=
NFDB=${VXT_RESTART_FDB:-1000000}
NRT=1000
ROUNDS=${VXT_RESTART_ROUNDS:-8}

ctl()
{
	vxt_timeout 300 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

# start LOG: start the daemon on $CONF, wait until it answers.
start()
{
	local log=$VXT_TMP/$1.log n=0
	rm -f "$SOCK"
	"$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 1024 --no-pci \
		--file-prefix="vxt_$VXT_ID" --log-level=lib.eal:error \
		--vdev net_ring0 --vdev net_ring1 \
		-- --socket "$SOCK" --fdb-size $((NFDB + NFDB / 4)) --config "$CONF" \
		</dev/null >"$log" 2>&1 &
	PID=$!
	VXT_PIDS+=("$PID")
	until [ -S "$SOCK" ] && ctl link show >/dev/null 2>&1; do
		kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch exited at start (see $log)"
		[ $n -lt 1200 ] || vxt_fail "vxswitch: $SOCK not answering after 120 s"
		sleep 0.1
		n=$((n + 1))
	done
}

# stop SIGNAL: the daemon must exit with status 0 within 2 s of SIGNAL.
stop()
{
	local t0 t1 rc
	t0=$(date +%s%N)
	kill -"$1" "$PID"
	# A watchdog, so that a hung daemon fails the lab instead of hanging it.
	(sleep 10 && kill -9 "$PID" 2>/dev/null) &
	local dog=$!
	wait "$PID"
	rc=$?
	t1=$(date +%s%N)
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
	vxt_log "  SIG$1: exit status $rc after $(((t1 - t0) / 1000000)) ms"
	[ $rc -eq 0 ] || vxt_fail "exit status $rc after SIG$1"
	[ $((t1 - t0)) -le 2000000000 ] ||
		vxt_fail "SIG$1: exit after $(((t1 - t0) / 1000000)) ms, more than 2 s"
}

# count: "FDB-ENTRIES ROUTES" as the daemon reports them.
count()
{
	local f r
	f=$(ctl -j stats | jq -r '.[] | select(.ifname == "vxlan10") | .fdb_entries')
	r=$(ctl route show | grep -c ' via ')
	echo "$f $r"
}

vxt_log "-- $NFDB FDB entries and $NRT routes, saved, then SIGTERM"
start load
ctl link add vxlan10 type vxlan id 10 nolearning >/dev/null || vxt_fail "link add"
ctl link set dev net_ring0 master vxlan10 >/dev/null || vxt_fail "link set"
ctl addr add 198.51.100.1/24 dev net_ring1 >/dev/null || vxt_fail "addr add"
awk -v n=$NRT 'BEGIN { for (i = 0; i < n; i++)
	printf "route add 10.5.%d.%d/30 via 198.51.100.%d\n", int(i / 64), (i % 64) * 4, 2 + i % 200 }' \
	>"$VXT_TMP/routes.conf"
awk -v n="$NFDB" 'BEGIN { for (i = 0; i < n; i++)
	printf "fdb add 02:01:%02x:%02x:%02x:%02x dev net_ring0 master static\n",
		int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' \
	>"$VXT_TMP/fdb.conf"
ctl -b "$VXT_TMP/routes.conf" >/dev/null || vxt_fail "vxctl -b of $NRT routes"
ctl -b "$VXT_TMP/fdb.conf" >/dev/null || vxt_fail "vxctl -b of $NFDB fdb add lines"
got=$(count)
[ "$got" = "$NFDB $NRT" ] || vxt_fail "loaded: FDB entries and routes $got, want $NFDB $NRT"
ctl save >/dev/null || vxt_fail "save"
stop TERM

vxt_log "-- restart from the saved file, then SIGINT"
start replay
got=$(count)
[ "$got" = "$NFDB $NRT" ] || vxt_fail "after restart: FDB entries and routes $got, want $NFDB $NRT"
stop INT

vxt_log "-- kill -9 during save, $ROUNDS rounds"
# Smaller tables, so that each round's restart is quick; the save still takes
# long enough (tens of ms) for the kill to land inside it in most rounds.
head -n 100000 "$VXT_TMP/fdb.conf" >"$VXT_TMP/fdb100k.conf"
NFDB=100000
rm -f "$CONF"
start base
ctl link add vxlan10 type vxlan id 10 nolearning >/dev/null || vxt_fail "link add"
ctl link set dev net_ring0 master vxlan10 >/dev/null || vxt_fail "link set"
ctl -b "$VXT_TMP/fdb100k.conf" >/dev/null || vxt_fail "vxctl -b of 100000 fdb add lines"
ctl save >/dev/null || vxt_fail "save (without vxlan99)"
cp "$CONF" "$VXT_TMP/without.conf"
ctl link add vxlan99 type vxlan id 99 >/dev/null || vxt_fail "link add vxlan99"
ctl save >/dev/null || vxt_fail "save (with vxlan99)"
cp "$CONF" "$VXT_TMP/with.conf"
cmp -s "$VXT_TMP/with.conf" "$VXT_TMP/without.conf" && vxt_fail "the two saved files are equal"
stop TERM

torn=0 old=0 new=0
for r in $(seq 1 "$ROUNDS"); do
	start "round$r"
	if ctl link show dev vxlan99 >/dev/null 2>&1; then
		before=with after=without
		ctl link del vxlan99 >/dev/null || vxt_fail "round $r: link del vxlan99"
	else
		before=without after=with
		ctl link add vxlan99 type vxlan id 99 >/dev/null || vxt_fail "round $r: link add vxlan99"
	fi
	cmp -s "$CONF" "$VXT_TMP/$before.conf" || vxt_fail "round $r: file is not the $before file at start"
	ctl save >/dev/null 2>&1 &
	saver=$!
	# 0 to 95 ms into the save.
	sleep "0.0$(((r * 37) % 10))$(((r * 53) % 10))"
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	wait "$saver" 2>/dev/null
	if cmp -s "$CONF" "$VXT_TMP/$before.conf"; then
		old=$((old + 1))
	elif cmp -s "$CONF" "$VXT_TMP/$after.conf"; then
		new=$((new + 1))
	else
		torn=$((torn + 1))
		cp "$CONF" "$VXT_TMP/torn-$r.conf"
		vxt_log "  round $r: torn file kept as $VXT_TMP/torn-$r.conf"
		# Go on from a whole file.
		cp "$VXT_TMP/$before.conf" "$CONF"
	fi
	rm -f "$SOCK"
done
vxt_log "  after kill -9: old file $old times, new file $new times, torn $torn times"
[ $torn -eq 0 ] || vxt_fail "$torn of $ROUNDS files torn by kill -9 during save"
echo "PASS 14-restart"
