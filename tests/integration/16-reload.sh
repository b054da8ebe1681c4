#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A reload applies only what changed: host A pings host B across vxlan10
# (vxswitch, then kernel vxlan) while three reloads add a link vxlan20 with
# a flood entry and a static entry, and three more remove it. Every ping is
# answered, and `vxctl monitor fdb` sees vxlan20's entries come and go and
# nothing at all of vxlan10 (its learned entries were never flushed nor
# learned again: the link was not touched).
. "$(dirname "$0")/lib.sh"
vxt_init r16
vxt_topo_basic 4

SOCK=$(vxt_sw_sock x)
BASE=$VXT_TMP/base.conf
MORE=$VXT_TMP/more.conf

ctl()
{
	vxt_timeout 30 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

vxt_ping ha 203.0.113.2
vxt_assert_grep "$(ctl fdb show dev vxlan10)" "^$VXT_MAC_B dev vxlan10 dst 198\.51\.100\.2" \
	"host B learned before the reloads"
ctl save "$BASE" || vxt_fail "vxctl save"
cp "$BASE" "$MORE"
cat >>"$MORE" <<'EOF'
link add vxlan20 type vxlan id 20 local 198.51.100.1 dev net_af_packet1
fdb append 00:00:00:00:00:00 dev vxlan20 dst 198.51.100.3
fdb add 02:00:00:00:20:01 dev vxlan20 dst 198.51.100.3 static
EOF

VXT_BG_OUT=$VXT_TMP/monitor.log vxt_bg - "$VXT_BIN/vxctl" --socket "$SOCK" monitor fdb
MON=$VXT_BG_PID
sleep 0.5
kill -0 "$MON" 2>/dev/null || vxt_fail "vxctl monitor fdb exited: $(cat "$VXT_TMP/monitor.log")"

vxt_log "-- 300 pings, 20 ms apart, across six reloads"
VXT_BG_OUT=$VXT_TMP/ping.log vxt_bg ha ping -n -q -i 0.02 -c 300 -W 2 203.0.113.2
PING=$VXT_BG_PID
sleep 0.5
for i in 1 2 3; do
	out=$(ctl reload "$MORE") || vxt_fail "reload $i (add): $out"
	vxt_assert_grep "$out" ": 0 removed, 3 added, 0 changed" "reload $i adds vxlan20 and its entries"
	ctl link show vxlan20 >/dev/null || vxt_fail "vxlan20 missing after reload $i"
	sleep 0.5
	out=$(ctl reload "$BASE") || vxt_fail "reload $i (remove): $out"
	vxt_assert_grep "$out" ": 1 removed, 0 added, 0 changed" "reload $i removes vxlan20 (with its entries)"
	sleep 0.5
done
n=0
while kill -0 "$PING" 2>/dev/null && [ $n -lt 200 ]; do
	sleep 0.1
	n=$((n + 1))
done
wait "$PING"
stats=$(cat "$VXT_TMP/ping.log")
vxt_assert_grep "$stats" "300 packets transmitted, 300 received" "every ping answered across the reloads"

kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
mon=$(cat "$VXT_TMP/monitor.log")
vxt_assert_grep "$mon" "^Deleted 02:00:00:00:20:01 dev vxlan20" "the monitor saw vxlan20's entry go"
vxt_assert_nogrep "$mon" "vxlan10|net_af_packet0|$VXT_MAC_A|$VXT_MAC_B" \
	"no FDB event of vxlan10 (nothing flushed or learned again)"
vxt_assert_grep "$(ctl fdb show dev vxlan10)" "^$VXT_MAC_B dev vxlan10 dst 198\.51\.100\.2" \
	"host B still learned"
ctl save "$VXT_TMP/after.conf" || vxt_fail "vxctl save after"
diff -u <(grep -v '^#' "$BASE") <(grep -v '^#' "$VXT_TMP/after.conf") ||
	vxt_fail "the running configuration is not the file's after the last reload"
vxt_log "  ok: the running configuration is base.conf's"
echo "PASS 16-reload"
