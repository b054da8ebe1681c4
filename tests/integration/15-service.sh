#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vxswitch as a service, without systemd running: what systemd would see.
#   - sd_notify: READY=1 once the socket answers, STOPPING=1 on SIGTERM
#     (a datagram socket of ours as NOTIFY_SOCKET);
#   - the journal: with JOURNAL_STREAM naming its stderr, each line starts
#     with its syslog priority;
#   - one log line per event: link added/deleted, port down/up (a net_tap
#     port whose interface we set down), FDB limit hit (5 MACs on a link of
#     maxaddress 2), neighbour failed (a remote VTEP nobody answers for),
#     punt rate limit hit (3000 ARP requests at once); --log-level
#     vxswitch:warning keeps the warnings and drops the notices;
#   - SIGHUP reloads the --config file (only what changed), a bad file is
#     refused by `vxctl reload` with its line and exit status 1.
# Ports: net_pcap (traffic from pcaps made here), net_tap; no namespaces.
. "$(dirname "$0")/lib.sh"
vxt_init s15
modprobe tun 2>/dev/null
[ -c /dev/net/tun ] || vxt_skip "no /dev/net/tun for net_tap"

SOCK=/tmp/vxt_${VXT_ID}.sock
TAP=vxt${VXT_ID}tp
CONF=$VXT_TMP/vxswitch.conf
PID=

vxt_log "-- traffic: 5 MACs broadcasting on the access port, 3000 ARP requests on the underlay"
/usr/bin/python3 - "$VXT_TMP" <<'EOF' || vxt_fail "scapy: pcaps"
import sys
from scapy.all import Ether, IP, UDP, ARP, wrpcap
d = sys.argv[1]
wrpcap(d + "/access.pcap", [Ether(src="02:00:00:00:a0:%02x" % i, dst="ff:ff:ff:ff:ff:ff") /
                            IP(src="203.0.113.%d" % i, dst="203.0.113.255") / UDP(dport=7)
                            for i in range(1, 6)])
wrpcap(d + "/ul.pcap", [Ether(src="02:00:00:00:b0:50", dst="ff:ff:ff:ff:ff:ff") /
                        ARP(op=1, hwsrc="02:00:00:00:b0:50", psrc="198.51.100.50",
                            pdst="198.51.100.1") for _ in range(3000)])
EOF
cat >"$CONF" <<'EOF'
addr add 198.51.100.1/24 dev net_pcap1
link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.99 dev net_pcap1 maxaddress 2
link set dev net_pcap0 master vxlan10
EOF

ctl()
{
	vxt_timeout 30 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

# Wait (bounded) for a line matching an extended regex in the daemon's log.
wait_log()
{
	local re=$1 what=$2 n=0
	until grep -Eq -- "$re" "$VXT_TMP/vxswitch.log"; do
		[ $n -lt "${3:-100}" ] || vxt_fail "$what: no log line /$re/ in:
$(cat "$VXT_TMP/vxswitch.log")"
		sleep 0.1
		n=$((n + 1))
	done
	vxt_log "  ok: $what"
}

# start EXTRA_EAL_ARGS...: the daemon with stderr as a "journal" stream, NOTIFY_SOCKET ours.
start()
{
	: >"$VXT_TMP/vxswitch.log"
	VXT_BG_OUT=$VXT_TMP/notify.out vxt_bg - /usr/bin/python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(120)
while True:
    for l in s.recv(4096).decode().split("\n"):
        print(l, flush=True)
' "$VXT_TMP/notify.sock"
	local n=0
	until [ -S "$VXT_TMP/notify.sock" ]; do
		[ $n -lt 50 ] || vxt_fail "notify listener did not start"
		sleep 0.1
		n=$((n + 1))
	done
	NOTIFY_SOCKET=$VXT_TMP/notify.sock \
		JOURNAL_STREAM=$(stat -c %d:%i "$VXT_TMP/vxswitch.log") \
		"$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 --no-pci \
		--file-prefix="vxt_$VXT_ID" "$@" \
		--vdev "net_pcap0,rx_pcap=$VXT_TMP/access.pcap,tx_pcap=/dev/null" \
		--vdev "net_pcap1,rx_pcap=$VXT_TMP/ul.pcap,tx_pcap=/dev/null" \
		--vdev "net_tap0,iface=$TAP" \
		-- --socket "$SOCK" --config "$CONF" \
		</dev/null >"$VXT_TMP/vxswitch.out" 2>>"$VXT_TMP/vxswitch.log" &
	PID=$!
	VXT_PIDS+=("$PID")
	n=0
	until grep -qx 'READY=1' "$VXT_TMP/notify.out" 2>/dev/null; do
		kill -0 "$PID" 2>/dev/null || vxt_fail "vxswitch exited at start: $(cat "$VXT_TMP/vxswitch.log")"
		[ $n -lt 600 ] || vxt_fail "no READY=1 within 60 s"
		sleep 0.1
		n=$((n + 1))
	done
	# READY=1 comes once the socket listens: no retry needed.
	ctl link show >/dev/null || vxt_fail "READY=1 sent before the socket answered"
	vxt_log "  ok: READY=1, and the socket answers"
}

stop()
{
	kill -TERM "$PID"
	local n=0
	while kill -0 "$PID" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	wait "$PID" || vxt_fail "vxswitch exit status $? after SIGTERM"
	n=0
	until grep -qx 'STOPPING=1' "$VXT_TMP/notify.out"; do
		[ $n -lt 50 ] || vxt_fail "no STOPPING=1 after SIGTERM: $(cat "$VXT_TMP/notify.out")"
		sleep 0.1
		n=$((n + 1))
	done
	vxt_log "  ok: STOPPING=1, exit status 0"
	kill "$VXT_BG_PID" 2>/dev/null
	rm -f "$VXT_TMP/notify.sock"
}

vxt_log "-- start: notify, journal priorities, event lines"
start
grep -qx 'STATUS=.*ports.*' "$VXT_TMP/notify.out" || vxt_fail "no STATUS= line"
# <5> notice, <4> warning: syslog priorities, as journald reads them.
wait_log '^<5>vxswitch: NOTICE: link vxlan10 added \(vni 10\)$' "link added, priority notice"
wait_log '^<5>vxswitch: NOTICE: port net_tap0: up' "port up at start"
wait_log '^<4>vxswitch: WARNING: FDB limit hit: .*: 3$' "FDB limit hit: 3 MACs refused"
wait_log '^<4>vxswitch: WARNING: punt rate limit hit: .*: [0-9]+$' "punt rate limit hit"
wait_log '^<4>vxswitch: WARNING: neighbour 198\.51\.100\.99 dev net_pcap1 failed' \
	"neighbour failed (no answer for the remote VTEP)" 150
grep -q '^<[0-7]>EAL: ' "$VXT_TMP/vxswitch.log" || vxt_fail "EAL's lines carry no priority"
if grep -v '^<[0-7]>' "$VXT_TMP/vxswitch.log" | grep -q .; then
	vxt_fail "lines without a priority: $(grep -v '^<[0-7]>' "$VXT_TMP/vxswitch.log" | head -3)"
fi

ip link set "$TAP" down || vxt_fail "ip link set $TAP down"
wait_log '^<4>vxswitch: WARNING: port net_tap0: down$' "port down" 50
ip link set "$TAP" up || vxt_fail "ip link set $TAP up"
n=0
until [ "$(grep -c 'NOTICE: port net_tap0: up' "$VXT_TMP/vxswitch.log")" -eq 2 ]; do
	[ $n -lt 50 ] || vxt_fail "port up not logged again: $(cat "$VXT_TMP/vxswitch.log")"
	sleep 0.1
	n=$((n + 1))
done
vxt_log "  ok: port up again"
# Counters keep growing under a storm, lines do not: one per event (no repeats here).
[ "$(grep -c 'FDB limit hit' "$VXT_TMP/vxswitch.log")" -eq 1 ] || vxt_fail "FDB limit logged twice"

vxt_log "-- SIGHUP reloads the --config file; vxctl reload refuses a bad one"
echo "link add vxlan20 type vxlan id 20 local 198.51.100.1" >>"$CONF"
kill -HUP "$PID"
wait_log 'NOTICE: reload .*vxswitch.conf: 0 removed, 1 added, 0 changed' "SIGHUP reload: only the new link" 50
wait_log 'NOTICE: link vxlan20 added' "link added by the reload"
ctl link show vxlan20 >/dev/null || vxt_fail "vxlan20 missing after SIGHUP"
echo "fdb flush dev vxlan10" >>"$CONF"
out=$(ctl reload 2>&1)
rc=$?
vxt_assert_eq "$rc" 1 "vxctl reload of a bad file: exit status"
vxt_assert_grep "$out" "vxswitch.conf:5: fdb flush: only" "the error names line 5"
ctl link show vxlan20 >/dev/null || vxt_fail "a refused reload changed something"
ctl link del vxlan20 || vxt_fail "link del"
wait_log '^<5>vxswitch: NOTICE: link vxlan20 deleted \(vni 20\)$' "link deleted"
stop

vxt_log "-- --log-level=vxswitch:warning: warnings only"
sed -i '$d' "$CONF"
start --log-level=vxswitch:warning
wait_log 'WARNING: FDB limit hit' "warnings still logged"
if grep -q 'NOTICE: link vxlan10 added' "$VXT_TMP/vxswitch.log"; then
	vxt_fail "a notice logged at --log-level=vxswitch:warning"
fi
vxt_log "  ok: no notice"
stop
echo "PASS 15-service"
