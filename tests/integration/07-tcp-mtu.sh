#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A TCP bulk transfer of 20 MiB across the overlay arrives
# whole (count and sha256); a ping with DF that exactly fills the 1450-byte
# overlay MTU works, and one byte more (host MTU raised to 1500 so it does
# leave the host) is refused: never fragmented on the underlay. iperf3 runs
# bounded to 3 s and must complete.
. "$(dirname "$0")/lib.sh"
vxt_init i07
command -v iperf3 >/dev/null || vxt_fail "missing iperf3 (run scripts/deps.sh)"
vxt_topo_basic 4
vxt_ping ha 203.0.113.2

# Exact byte count: 20 MiB through one TCP connection, counted and hashed on
# both ends (iperf3 -n does not report what the server read after TEST_END).
bytes=$((20 * 1024 * 1024))
VXT_BG_OUT=$VXT_TMP/tcp-recv.out vxt_bg hb timeout 120 /usr/bin/python3 -c '
import hashlib, socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("203.0.113.2", 5202)); s.listen(1); s.settimeout(100)
c, _ = s.accept(); c.settimeout(60); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    n += len(b); h.update(b)
print(n, h.hexdigest())'
rpid=$VXT_BG_PID
n=0
until vxt_in hb ss -ltn 2>/dev/null | grep -q ':5202 ' || [ $n -ge 50 ]; do
	sleep 0.2
	n=$((n + 1))
done
sent=$(vxt_in ha timeout 100 /usr/bin/python3 -c '
import hashlib, os, socket
data = os.urandom(1 << 20) * 20; h = hashlib.sha256(data)
s = socket.create_connection(("203.0.113.2", 5202), timeout=60); s.sendall(data)
s.shutdown(socket.SHUT_WR); s.recv(1); s.close()
print(len(data), h.hexdigest())') || vxt_fail "TCP sender failed: $sent"
wait $rpid
recv=$(cat "$VXT_TMP/tcp-recv.out")
vxt_assert_eq "$recv" "$sent" "TCP bytes and sha256 received (sent: $bytes)"
[ "${sent%% *}" = $bytes ] || vxt_fail "sender sent ${sent%% *} bytes, not $bytes"

# iperf3, bounded to 3 s: completes without error and moves data both ways.
VXT_BG_OUT=$VXT_TMP/iperf3-server.log vxt_bg hb timeout 60 iperf3 -s -1 -p 5201
n=0
until vxt_in hb ss -ltn 2>/dev/null | grep -q ':5201 ' || [ $n -ge 50 ]; do
	sleep 0.2
	n=$((n + 1))
done
vxt_in ha timeout 40 iperf3 -c 203.0.113.2 -p 5201 -t 3 -J >"$VXT_TMP/iperf3.json" 2>&1 ||
	vxt_fail "iperf3 client failed: $(tail -5 "$VXT_TMP/iperf3.json")"
vxt_assert_eq "$(jq -r '.error // "none"' "$VXT_TMP/iperf3.json")" none "iperf3 error"
recv=$(jq '.end.sum_received.bytes' "$VXT_TMP/iperf3.json")
vxt_assert_ge "$recv" $((1024 * 1024)) "iperf3 bytes received in 3 s"
vxt_log "  iperf3: $(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' "$VXT_TMP/iperf3.json") Mbit/s (not asserted)"

vxt_cap_start ul kb eth0 "udp port 4789 or (ip[6:2] & 0x3fff != 0)"
# 1422 + 8 (ICMP) + 20 (IP) = 1450: the largest frame the overlay carries.
vxt_ping ha 203.0.113.2 10 -M do -s 1422
vxt_ping hb 203.0.113.1 10 -M do -s 1422
# One byte more must not cross, in either direction.
vxt_in ha ip link set eth0 mtu 1500
vxt_in hb ip link set eth0 mtu 1500
[ "$VXT_IMPL" = vxswitch ] && mtu0=$(vxt_drop_count x mtu)
vxt_noping ha 203.0.113.2 -M do -s 1423
if [ "$VXT_IMPL" = vxswitch ]; then
	mtu1=$(vxt_drop_count x mtu)
	vxt_assert_ge "$((mtu1 - mtu0))" 3 "'mtu' drops counted by the switch"
fi
vxt_cap_stop ul
vxt_assert_ge "$(vxt_cap_count ul "vxlan && ip.src==198.51.100.1 && icmp.type==8 && ip.len==1450")" 5 \
	"full-size echo requests carried by the switch"
vxt_assert_eq "$(vxt_cap_count ul "ip.src==198.51.100.1 && (ip.flags.mf==1 || ip.frag_offset>0)")" 0 \
	"fragments sent by the switch"
vxt_assert_eq "$(vxt_cap_count ul "vxlan && ip.src==198.51.100.1 && ip.len==1451")" 0 \
	"oversized inner packets carried by the switch"
