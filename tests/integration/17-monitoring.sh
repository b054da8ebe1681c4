#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Monitoring with the tools operators run: DPDK's dpdk-telemetry.py shows
# vxswitch's /vxswitch/... commands beside the ethdev ones, and Debian's
# prometheus scrapes --metrics (OpenMetrics) while host A pings host B
# across vxswitch and a kernel VTEP; its HTTP API then gives a link counter
# that grew. promtool lints the text format. vxswitch, its ports and
# prometheus live in one namespace (its own loopback, no port clash).
. "$(dirname "$0")/lib.sh"
vxt_init m17
command -v prometheus >/dev/null && command -v promtool >/dev/null ||
	vxt_fail "no prometheus (run scripts/deps.sh)"
[ -x /usr/bin/dpdk-telemetry.py ] || vxt_fail "no dpdk-telemetry.py (dpdk-dev)"

SOCK=/tmp/vxt_${VXT_ID}.sock
PREFIX=vxt_$VXT_ID
MPORT=9417

vxt_ns sw
vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1450
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1450
vxt_kvtep kb
vxt_link sw p0 ha eth0
vxt_host_up ha
vxt_link sw p1 kb eth0
vxt_noip6 sw p0 p1
vxt_k kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0
vxt_khost_attach hb kb br0

ctl()
{
	vxt_timeout 30 "$VXT_BIN/vxctl" --socket "$SOCK" "$@"
}

in_sw()
{
	vxt_in sw "$@"
}

vxt_log "-- vxswitch in namespace sw, --metrics 127.0.0.1:$MPORT"
VXT_BG_OUT=$VXT_TMP/vxswitch.log vxt_bg sw "$VXT_BIN/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 \
	--no-pci --file-prefix="$PREFIX" --vdev "net_af_packet0,iface=p0,qpairs=$VXT_QPAIRS" \
	--vdev "net_af_packet1,iface=p1,qpairs=$VXT_QPAIRS" -- --socket "$SOCK" \
	--metrics "127.0.0.1:$MPORT"
SW=$VXT_BG_PID
n=0
until ctl link show >/dev/null 2>&1; do
	kill -0 "$SW" 2>/dev/null || vxt_fail "vxswitch exited at start"
	[ $n -lt 600 ] || vxt_fail "vxswitch: no socket after 60 s"
	sleep 0.1
	n=$((n + 1))
done
ctl addr add 198.51.100.1/24 dev net_af_packet1 || vxt_fail "addr add"
ctl link add vxlan10 type vxlan id 10 local 198.51.100.1 remote 198.51.100.2 dev net_af_packet1 ||
	vxt_fail "link add"
ctl link set dev net_af_packet0 master vxlan10 || vxt_fail "link set"
vxt_ping ha 203.0.113.2

vxt_log "-- /metrics: both text formats"
in_sw curl -sf "http://127.0.0.1:$MPORT/metrics" >"$VXT_TMP/metrics.txt" || vxt_fail "curl /metrics"
promtool check metrics <"$VXT_TMP/metrics.txt" >"$VXT_TMP/promtool.log" 2>&1 ||
	vxt_fail "promtool check metrics: $(cat "$VXT_TMP/promtool.log")"
vxt_log "  ok: promtool check metrics"
vxt_assert_grep "$(cat "$VXT_TMP/metrics.txt")" '^vxswitch_link_rx_packets_total\{link="vxlan10"\} [1-9]' \
	"Prometheus text: vxlan10's rx counter"
in_sw curl -sf -H 'Accept: application/openmetrics-text; version=1.0.0' \
	"http://127.0.0.1:$MPORT/metrics" >"$VXT_TMP/metrics.om" || vxt_fail "curl /metrics (OM)"
vxt_assert_eq "$(tail -1 "$VXT_TMP/metrics.om")" "# EOF" "OpenMetrics: ends with # EOF"
vxt_assert_grep "$(cat "$VXT_TMP/metrics.om")" '^# TYPE vxswitch_drops counter$' "OpenMetrics: counter family"
vxt_assert_grep "$(cat "$VXT_TMP/metrics.om")" '^vxswitch_drops_total\{reason="mtu"\} 0$' \
	"OpenMetrics: drops by reason"
for m in $(sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$VXT_TMP/metrics.txt"); do
	grep -q "\`$m[{\`]" "$VXT_TOP/docs/operations.md" || vxt_fail "docs/operations.md does not explain $m"
done
vxt_log "  ok: docs/operations.md explains every metric"

vxt_log "-- dpdk-telemetry.py -f $PREFIX"
printf '%s\n' /vxswitch/stats /vxswitch/links /vxswitch/links,vxlan10 /vxswitch/fdb/count \
	/vxswitch/drops /ethdev/list / |
	vxt_timeout 30 /usr/bin/python3 /usr/bin/dpdk-telemetry.py -f "$PREFIX" >"$VXT_TMP/tel.out" 2>&1 ||
	vxt_fail "dpdk-telemetry.py: $(cat "$VXT_TMP/tel.out")"
tel()
{
	# Every answer to $1 (there may be two: with and without a parameter); one must hold.
	grep -F "{\"$1\":" "$VXT_TMP/tel.out" | jq -s -e "[.[] | $2] | any" >/dev/null ||
		vxt_fail "telemetry $1: $2 is false in: $(grep -F "{\"$1\":" "$VXT_TMP/tel.out")"
	vxt_log "  ok: $1: $2"
}
tel /vxswitch/stats '.["/vxswitch/stats"] | .links == 1 and .workers == 1 and .ports == 2 and .rx_packets > 0'
tel /vxswitch/links '.["/vxswitch/links"] | arrays | . == ["vxlan10"]'
tel /vxswitch/links '.["/vxswitch/links"] | objects | .id == 10 and .rx_packets > 0 and .tx_packets > 0'
tel /vxswitch/fdb/count '.["/vxswitch/fdb/count"] | .entries >= 2 and .capacity > 0'
tel /vxswitch/drops '.["/vxswitch/drops"] | has("mtu") and has("vni_unknown")'
tel /ethdev/list '.["/ethdev/list"] == [0, 1]'
tel / '.["/"] | index("/vxswitch/stats") != null and index("/ethdev/stats") != null'

vxt_log "-- prometheus scrapes it; its API shows a counter that grew"
cat >"$VXT_TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: vxswitch
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
VXT_BG_OUT=$VXT_TMP/prometheus.log vxt_bg sw prometheus --config.file="$VXT_TMP/prometheus.yml" \
	--storage.tsdb.path="$VXT_TMP/tsdb" --web.listen-address=127.0.0.1:9090
VXT_BG_OUT=$VXT_TMP/ping.log vxt_bg ha ping -n -q -i 0.2 -c 150 203.0.113.2
api()
{
	in_sw curl -sf --get "http://127.0.0.1:9090/api/v1/$1" --data-urlencode "query=$2"
}
Q='vxswitch_link_tx_packets_total{link="vxlan10"}'
first= last= n=0
while [ $n -lt 300 ]; do
	v=$(api query "$Q" 2>/dev/null | jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
	[ -z "$first" ] && [ -n "$v" ] && first=$v
	last=$v
	[ -n "$first" ] && [ -n "$v" ] && [ "$v" -gt "$first" ] && break
	sleep 0.2
	n=$((n + 1))
done
[ -n "$first" ] || vxt_fail "prometheus never had $Q: $(tail -5 "$VXT_TMP/prometheus.log")"
[ "${last:-0}" -gt "$first" ] || vxt_fail "$Q did not grow ($first, then $last)"
vxt_log "  ok: prometheus: $Q grew from $first to $last"
health=$(in_sw curl -sf http://127.0.0.1:9090/api/v1/targets |
	jq -r '.data.activeTargets[0] | "\(.health) \(.lastError)"')
vxt_assert_eq "$health" "up " "prometheus: target up, no scrape error"
v=$(api query 'vxswitch_control_lag_seconds_count' | jq -r '.data.result[0].value[1]')
[ "${v:-0}" -gt 0 ] || vxt_fail "prometheus: no control loop histogram"
vxt_log "  ok: prometheus: vxswitch_control_lag_seconds_count = $v"

vxt_log "-- the Grafana dashboard's queries: known metrics, valid PromQL"
DASH=$VXT_TOP/docs/grafana-vxswitch.json
for m in $(grep -o 'vxswitch_[a-z_]*' "$DASH" | sort -u); do
	grep -q "^$m[{ ]" "$VXT_TMP/metrics.txt" || vxt_fail "dashboard: $m is not in /metrics"
done
jq -r '.panels[].targets[].expr' "$DASH" | sed 's/\$__rate_interval/5s/g; s/\$instance/.*/g' |
	while IFS= read -r e; do
		st=$(api query "$e" | jq -r .status)
		[ "$st" = success ] || vxt_fail "dashboard query refused by prometheus: $e"
	done || exit 1
vxt_log "  ok: every panel's query runs on prometheus"
echo "PASS 17-monitoring"
