#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vxswitch benchmark: one worker lcore, net_pcap (infinite_rx=1) in,
# net_null (no-rx=1) out, against the ceiling of dpdk-testpmd io forwarding
# measured on the same pcap in the same run. Method, cases, latest results:
# docs/benchmarks.md.
#
#   [VXBUILD=DIR] scripts/bench.sh [options] [CASE...]
#   CASE is one of decap4-256 decap6-256 encap4-256 encap6-256 decap4-1m
#   encap4-1m learn4-1m flood4-16 flood4-64 mcast4-64 switch-256 imix-encap4,
#   any other name scripts/gen-pcap.py knows (decap4-64k, flood4-8,
#   mcast4-8, ...), or "memory" (the daemon's resident size with an empty
#   and a full 1M FDB); no CASE runs the twelve above and memory. mcast4-K
#   sends flood4-K's frames to the link's multicast group (one copy each
#   instead of K); run after flood4-K, its line compares the two. VXBUILD: the build directory
#   whose control/vxswitch and control/vxctl run (default ./build).
#     --quick        one run of 3 s per case; the 1m cases use a 64K FDB (said
#                    in the output); CI smoke
#     --runs N       runs per case (default 3, median reported with min/max);
#                    every run in a freshly started daemon / testpmd
#     --secs S       seconds per run (default 5)
#     --json FILE    write every case as a JSON object (one array)
#     --peers-only   only the peers, no vxswitch case
#     --peers        also measure Linux kernel vxlan + bridge (netns) and
#                    OVS-DPDK (Debian's openvswitch-switch-dpdk, installed if
#                    missing; skipped, with the reason, without hugepages)
#     --sweep        (only, unless CASEs given) Mpps vs FDB size (1..1M) and
#                    vs flood fan-out (1..64),
#                    SVG plots with gnuplot into --out, points in
#                    --out/sweep-fdb.csv, sweep-flood.csv, sweep.json
#     --sweep-fdb L  FDB sizes of the sweep (default 1,16,256,4k,64k,1m)
#     --sweep-flood L  fan-outs of the sweep (default 1,2,4,8,16,32,64)
#     --perf         perf record (cpu-clock) of the worker core for the
#                    decap4-256, decap6-256, encap4-256 and encap6-256 cases,
#                    top symbols printed
#     --ceiling M    take M Mpps as every case's ceiling instead of running
#                    testpmd (for quick A/B of two builds with VXBUILD; the
#                    ratios then are not of this run); not with --save
#     --out DIR      where --sweep/--save put files (default docs/bench)
#     --save         also write DIR/latest.json (cases + machine)
#     --no-huge      do not try to reserve hugepages
#     --keep         keep the work directory (pcaps, logs)
#   VXLINK_OPTS="WORDS": appended to every case's `link add` (for example
#   "bum-rate 100000000": what storm control costs when it never drops).
#
# Plain output: one line per case. Exit status 0 only when every requested
# case produced a number; a case that cannot run prints
# "case X: not run: <reason>".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

SWEEP_FDB=(1 16 256 4k 64k 1m)
SWEEP_FLOOD=(1 2 4 8 16 32 64)
ALL_CASES=(decap4-256 decap6-256 encap4-256 encap6-256 decap4-1m encap4-1m learn4-1m
	flood4-16 flood4-64 mcast4-64 switch-256 imix-encap4)
quick=0 runs=3 secs=5 warm=1 json="" peers=0 sweep=0 do_perf=0 outdir=docs/bench save=0
fixed_ceiling=""
try_huge=1 keep=0 no_cases=0 want_memory=0
cases=()
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 runs=1 secs=3 ;;
	--runs) runs=$2; shift ;;
	--secs) secs=$2; shift ;;
	--json) json=$2; shift ;;
	--peers) peers=1 ;;
	--peers-only) peers=1 no_cases=1 ;;
	--sweep) sweep=1 no_cases=1 ;;
	--sweep-fdb) IFS=, read -r -a SWEEP_FDB <<<"$2"; shift ;;
	--sweep-flood) IFS=, read -r -a SWEEP_FLOOD <<<"$2"; shift ;;
	--perf) do_perf=1 ;;
	--ceiling) fixed_ceiling=$2; shift ;;
	--out) outdir=$2; shift ;;
	--save) save=1 ;;
	--no-huge) try_huge=0 ;;
	--keep) keep=1 ;;
	-h | --help) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; exit 0 ;;
	-*) echo "bench: unknown option $1" >&2; exit 2 ;;
	memory) want_memory=1 ;;
	*) cases+=("$1") ;;
	esac
	shift
done
# The memory case runs with the full list, or when named ("memory").
[ ${#cases[@]} -eq 0 ] && [ $no_cases -eq 0 ] && [ $want_memory -eq 0 ] && cases=("${ALL_CASES[@]}") want_memory=1
[ -n "$fixed_ceiling" ] && [ $save -eq 1 ] &&
	{ echo "bench: --save with --ceiling: latest.json holds measured ceilings only" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root (DPDK, hugepages, netns)" >&2; exit 2; }

PY=/usr/bin/python3
# VXBUILD: another build directory of vxswitch (default ./build).
VXBUILD=${VXBUILD:-$top/build}
VXSWITCH=$VXBUILD/control/vxswitch
VXCTL=$VXBUILD/control/vxctl
PREFIX=vxb$$
SOCK=/tmp/vxb$$.sock
W=$(mktemp -d /tmp/vxbench.XXXXXX)
pids=()
netns=()
huge_old="" huge_mounted=0 huge=0
failed=0

log() { echo "bench: $*" >&2; }

# Drop a stopped process from the cleanup list: with a process per run the
# list would otherwise fill with dead pids that the system may reuse.
forget_pid() {
	local p rest=()
	for p in "${pids[@]}"; do [ "$p" = "$1" ] || rest+=("$p"); done
	pids=("${rest[@]}")
}

stop_pid() {
	local p=$1 i kids
	kill -0 "$p" 2>/dev/null || return 0
	# $p is often `timeout`: killing it alone would leave its child (the
	# daemon, still holding lcore 1 and the file prefix) running on.
	kids=$(pgrep -P "$p" 2>/dev/null)
	kill -TERM "$p" 2>/dev/null
	for i in $(seq 300); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	# shellcheck disable=SC2086
	kill -KILL "$p" $kids 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}

cleanup() {
	local p n
	for p in "${pids[@]}"; do stop_pid "$p"; done
	pids=()
	for n in "${netns[@]}"; do ip netns del "$n" 2>/dev/null; done
	ip link del vxtb-inj0 2>/dev/null
	rm -f "$SOCK" /dev/hugepages/${PREFIX}* 2>/dev/null
	rm -rf /var/run/dpdk/${PREFIX}* 2>/dev/null
	if [ "$huge_mounted" -eq 1 ]; then umount /dev/hugepages 2>/dev/null; fi
	if [ -n "$huge_old" ]; then echo "$huge_old" >/proc/sys/vm/nr_hugepages 2>/dev/null; fi
	if [ "$keep" -eq 1 ]; then log "work directory kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
fcalc() { awk "BEGIN { printf \"%.6g\", $* }"; }

# ---------------------------------------------------------------------------
# Hugepages: reserve 2M pages when the kernel gives them, else --no-huge.
huge_pages_want() { [ $quick -eq 1 ] && echo 1024 || echo 2048; }
setup_huge() {
	local want got
	[ $try_huge -eq 1 ] || { log "hugepages: not tried (--no-huge)"; return; }
	want=$(huge_pages_want)
	huge_old=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo "")
	[ -n "$huge_old" ] || { log "hugepages: /proc/sys/vm/nr_hugepages unreadable"; return; }
	if [ "$huge_old" -lt "$want" ]; then
		echo "$want" >/proc/sys/vm/nr_hugepages 2>/dev/null
	else
		huge_old=""
	fi
	got=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
	if [ "${got:-0}" -lt 512 ]; then
		log "hugepages: could only reserve ${got:-0} free 2M pages; falling back to --no-huge"
		return
	fi
	if ! grep -qs ' /dev/hugepages hugetlbfs' /proc/mounts &&
		! awk '$3 == "hugetlbfs"' /proc/mounts | grep -q .; then
		mkdir -p /dev/hugepages
		if mount -t hugetlbfs nodev /dev/hugepages; then
			huge_mounted=1
		else
			log "hugepages: cannot mount hugetlbfs; falling back to --no-huge"
			return
		fi
	fi
	huge=1
	log "hugepages: $got free 2M pages"
}

# EAL memory arguments; $1 = MB needed without hugepages.
eal_mem() {
	if [ $huge -eq 1 ]; then echo "--socket-mem $1"; else echo "--no-huge -m $1"; fi
}

# ---------------------------------------------------------------------------
# Case names -> generator names (--quick shrinks the 1m cases to 64k).
gen_name() {
	local c=$1
	if [ $quick -eq 1 ]; then c=${c/-1m/-64k}; fi
	echo "$c"
}

gen_cases() {
	local need=() c g
	for c in "$@"; do
		g=$(gen_name "$c")
		[ -f "$W/$g.pcap" ] || need+=("$g")
	done
	[ ${#need[@]} -eq 0 ] && return 0
	timeout 600 $PY scripts/gen-pcap.py --out "$W" "${need[@]}" >&2
}

meta() { jq -r "$2" "$W/$1.json"; }

# The input port: the pcap replayed from memory forever. vxswitch wants one
# tx queue per worker plus one for the control thread, and net_pcap has one
# tx queue per tx_pcap argument; nothing is sent on this port in any case.
pcap_vdev() { echo "net_pcap0,rx_pcap=$W/$1.pcap,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null"; }

# MB of DPDK memory for a pcap of $1 packets (every packet sits in an mbuf).
# Without hugepages the mempool is populated page by page (4 KB) and an mbuf
# (about 2.4 KB with its headers) does not span pages: one mbuf per page.
mem_for() {
	if [ $huge -eq 1 ]; then
		echo $((512 + ($1 * 2560 + 1048575) / 1048576))
	else
		echo $((512 + (($1 + 65536) * 4096 + 1048575) / 1048576))
	fi
}

# ---------------------------------------------------------------------------
# testpmd, interactive, driven through a fifo on fd 7.
tp_pid="" tp_out=""
# tp_start NAME MEM_MB NMBUFS VDEV_ARGS...: start and wait for the prompt.
tp_start() {
	local name=$1 mem=$2 nmb=$3 fifo i
	shift 3
	fifo=$W/tp-$name.in tp_out=$W/tp-$name.log
	rm -f "$fifo"
	mkfifo "$fifo"
	# shellcheck disable=SC2046
	timeout -k 5 $((120 + runs * secs * 3)) dpdk-testpmd -l 0,1 --file-prefix=${PREFIX}tp \
		$(eal_mem "$mem") --no-pci "$@" \
		-- -i --forward-mode=io --nb-cores=1 --total-num-mbufs="$nmb" \
		<"$fifo" >"$tp_out" 2>&1 &
	tp_pid=$!
	pids+=("$tp_pid")
	exec 7>"$fifo"
	for i in $(seq 1800); do
		grep -q 'testpmd>' "$tp_out" && return 0
		kill -0 "$tp_pid" 2>/dev/null || break
		sleep 0.1
	done
	tp_stop
	log "testpmd did not start ($name); last lines:"
	tail -5 "$tp_out" >&2
	return 1
}
tp_cmd() { echo "$*" >&7; }
tp_stop() {
	local i
	[ -n "$tp_pid" ] || return 0
	{ echo stop; echo quit; } >&7 2>/dev/null
	exec 7>&-
	for i in $(seq 100); do kill -0 "$tp_pid" 2>/dev/null || break; sleep 0.1; done
	stop_pid "$tp_pid"
	forget_pid "$tp_pid"
	tp_pid=""
}

# testpmd io ceiling: same pcap into net_null, one forwarding core (lcore 1).
# Prints one Mpps per run; every run is its own testpmd process (started,
# $warm s of warm-up, one interval of $secs s, stopped), since a process
# can stay in a slow mode for its whole life (see docs/benchmarks.md).
ceiling_runs() {
	local g=$1 pkts i n t0 all="" starts=""
	pkts=$(meta "$g" .packets)
	for i in $(seq "$runs"); do
		t0=$(now)
		tp_start "$g-$i" "$(mem_for "$pkts")" $((pkts + 65536)) \
			--vdev "$(pcap_vdev "$g")" --vdev net_null0,no-rx=1 || return 1
		starts="$starts $(fcalc "int(($(now) - $t0) * 10 + 0.5) / 10")"
		tp_cmd start
		sleep "$warm"
		tp_cmd show port stats all
		sleep "$secs"
		tp_cmd show port stats all
		# Both outputs written (a loaded machine can take seconds), then stop.
		for n in $(seq 100); do
			[ "$(grep -c 'Tx-pps:' "$tp_out")" -ge 4 ] && break
			sleep 0.1
		done
		tp_stop
		# Port 1 (net_null0) Tx-pps of the second "show", computed by
		# testpmd over the TSC interval since the first (the baseline).
		n=$(awk '/NIC statistics for port/ { port = $(NF - 1) }
			/Tx-pps:/ && port == 1 { k++; if (k == 2) printf "%.4f\n", $2 / 1e6 }' "$tp_out")
		[ -n "$n" ] || {
			log "no testpmd stats for $g (run $i); last lines:"
			tail -5 "$tp_out" >&2
			return 1
		}
		echo "$n"
		all="$all $n"
	done
	log "ceiling $g: $runs run(s), each in a fresh testpmd:$all Mpps (started in$starts s)"
}

# median / min / max of numbers on stdin -> "med min max"
stats3() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.4f %.4f %.4f\n", m, v[1], v[NR] }'
}

# ---------------------------------------------------------------------------
# vxswitch
vx_reason=""
vx_check() {
	if [ ! -x "$VXSWITCH" ] || [ ! -x "$VXCTL" ]; then
		scripts/build.sh >"$W/build.log" 2>&1 || true
	fi
	if [ ! -x "$VXSWITCH" ] || [ ! -x "$VXCTL" ]; then
		vx_reason="build/control/vxswitch or vxctl not built (see scripts/build.sh)"
		return 1
	fi
	return 0
}

vxctl() { timeout 120 "$VXCTL" --socket "$SOCK" "$@"; }
vxctl_long() { timeout 900 "$VXCTL" --socket "$SOCK" "$@"; }

vx_pid="" start_err=""
# vx_start GEN FDB_SIZE CONFIG [TAG]: start the daemon, wait for its socket;
# its log is vx-GEN[-TAG].log.
vx_start() {
	local g=$1 fdbsz=$2 conf=$3 vlog=$W/vx-$1${4:+-$4}.log pkts mem vd i
	pkts=$(meta "$g" .packets)
	mem=$(mem_for "$pkts")
	vd=(--vdev "$(pcap_vdev "$g")" --vdev net_null0,no-rx=1)
	if [ "$(meta "$g" '.vdevs | length')" -gt 2 ]; then vd+=(--vdev net_null1,no-rx=1); fi
	rm -f "$SOCK"
	# shellcheck disable=SC2046
	timeout -k 5 3600 "$VXSWITCH" -l 0,1 --file-prefix=$PREFIX $(eal_mem "$mem") --no-pci \
		"${vd[@]}" -- --socket "$SOCK" --foreground --fdb-size "$fdbsz" --config "$conf" \
		--mbufs $((pkts + 65536)) \
		>"$vlog" 2>&1 &
	vx_pid=$!
	pids+=("$vx_pid")
	for i in $(seq 1800); do
		[ -S "$SOCK" ] && vxctl -j stats >/dev/null 2>&1 && return 0
		kill -0 "$vx_pid" 2>/dev/null || break
		sleep 0.1
	done
	local rc=running
	kill -0 "$vx_pid" 2>/dev/null || { wait "$vx_pid"; rc="exit status $?"; }
	start_err="vxswitch did not answer within 180 s ($rc): $(tail -3 "$vlog" | tr '\n' ' ')"
	vx_stop
	return 1
}

vx_stop() {
	[ -n "$vx_pid" ] || return 0
	stop_pid "$vx_pid"
	forget_pid "$vx_pid"
	vx_pid=""
}

# Counters from `vxctl -j stats`: "t rx tx busy_tsc busy_pkts" with rx of
# port $1 and tx of port $2. Accepts the shapes the daemon may print.
# With a third argument "learn", also "learned first_ns last_ns" of the
# daemon's learning window (one vxctl call for both).
vx_sample() {
	local rxp=$1 txp=$2 lw=${3:-} t0 t1 js
	t0=$(now)
	js=$(vxctl -j stats 2>/dev/null) || return 1
	t1=$(now)
	jq -r --arg rx "$rxp" --arg tx "$txp" --arg lw "$lw" --argjson t "$(awk "BEGIN { printf \"%.6f\", ($t0 + $t1) / 2 }")" '
		def items: if type == "array" then . else ((.ports // []) + (.links // [])) end;
		def pv($n; $f): [items[] | select(.ifname == $n or .name == $n) |
			(.[$f + "_packets"] // 0)] | add // 0;
		def wsum($f): [(if type == "object" then (.workers // []) else
			[.[] | select(.kind == "worker")] end)[] | (.[$f] // 0)] | add // 0;
		def fdb: [items[] | select(.kind == "vxlan") | (.fdb_entries // 0)] | add // 0;
		def learnw: (if type == "array" then [.[] | select(.kind == "learn")][0] else null end) // {};
		[$t, pv($rx; "rx"), pv($tx; "tx"), wsum("busy_tsc"), wsum("busy_pkts"), fdb] +
		(if $lw == "learn" then [learnw | (.learned // -1), (.first_ns // 0), (.last_ns // 0)]
		 else [] end) | @tsv' <<<"$js"
}

# TSC frequency (constant_tsc/tsc_known_freq VM: the cpu MHz line).
TSC_HZ=$(awk -F': ' '/^cpu MHz/ { printf "%.0f", $2 * 1e6; exit }' /proc/cpuinfo)

# RSS of the daemon ($1 is the pid of the timeout(1) wrapping it).
rss_kb() {
	local p
	p=$(pgrep -P "$1" | head -1)
	awk '/VmRSS/ { print $2 }' "/proc/${p:-$1}/status" 2>/dev/null
}

# vx_measure RXP TXP [N]: N (default --runs) runs in the running daemon
# after the warm-up; prints one line per run "mpps_in mpps_out cyc_per_pkt".
vx_measure() {
	local rxp=$1 txp=$2 nr=${3:-$runs} a b i
	sleep "$warm"
	a=$(vx_sample "$rxp" "$txp") || return 1
	for i in $(seq "$nr"); do
		sleep "$secs"
		b=$(vx_sample "$rxp" "$txp") || return 1
		printf '%s\t%s\n' "$a" "$b" | awk -F'\t' -v hz="$TSC_HZ" '{
			dt = $7 - $1; rx = $8 - $2; tx = $9 - $3; tsc = $10 - $4; bp = $11 - $5
			# Without busy_tsc/busy_pkts in vxctl stats: the worker polls an
			# endless input, so it is busy all the time: TSC Hz / rate.
			printf "%.4f %.4f %s\n", rx / dt / 1e6, tx / dt / 1e6,
				(bp > 0 ? sprintf("%.1f", tsc / bp) : (rx > 0 && hz > 0 ? sprintf("~%.1f", hz * dt / rx) : "null")) }'
		a=$b
	done
}

declare -A CEIL CEIL_MIN CEIL_MAX
results=()   # JSON objects
plain=()
add_result() { results+=("$1"); }

not_run() {
	local ce
	ce=${CEIL[$(gen_name "$1")]:-null}
	echo "case $1: not run: $2"
	add_result "$(jq -cn --arg c "$1" --arg r "$2" --argjson ce "$ce" '{case: $c, mpps: null,
		ceiling_mpps: $ce, ratio: null, cycles_per_pkt: null, min: null, max: null,
		not_run: $r}')"
	failed=$((failed + 1))
}

ceiling_of() {
	local g=$1 r
	[ -n "${CEIL[$g]:-}" ] && return 0
	if [ -n "$fixed_ceiling" ]; then
		CEIL[$g]=$fixed_ceiling CEIL_MIN[$g]=$fixed_ceiling CEIL_MAX[$g]=$fixed_ceiling
		log "ceiling $g: $fixed_ceiling Mpps given with --ceiling (not measured)"
		return 0
	fi
	r=$(ceiling_runs "$g" | stats3) || return 1
	read -r CEIL["$g"] CEIL_MIN["$g"] CEIL_MAX["$g"] <<<"$r"
	log "ceiling $g: testpmd io ${CEIL[$g]} Mpps (min ${CEIL_MIN[$g]} max ${CEIL_MAX[$g]})"
}

perf_top() {
	local label=$1
	command -v perf >/dev/null || { log "perf not installed"; return; }
	timeout 30 perf record -q -e cpu-clock -C 1 -o "$W/perf-$label.data" -- sleep 3 \
		>/dev/null 2>&1 || { log "perf record failed"; return; }
	# Only this daemon's worker thread: every DPDK process names its lcore 1
	# thread rte-worker-1, and other vxswitch/testpmd processes may poll on
	# CPU 1 too (a shared VM), so filter on the daemon's pid as well.
	# Shares are of the worker's own samples (--percentage relative).
	local dpid
	dpid=$(pgrep -P "$vx_pid" | head -1)
	echo "perf $label: top symbols of the worker thread (cpu-clock on CPU 1, 3 s)"
	perf report -i "$W/perf-$label.data" --stdio --comms rte-worker-1 ${dpid:+--pid "$dpid"} \
		--percentage relative --sort dso,symbol \
		2>/dev/null | grep -E '^ +[0-9]' |
		awk '{ p = $1; sub(/%/, "", p); k = $2 " " ($4 ~ /^0x/ ? "[unresolved, no debug symbols]" : $4); s[k] += p }
			END { for (k in s) printf "  %6.2f%%  %s\n", s[k], k }' |
		sort -rn -k1 | head -15 | tee -a "$W/perf-top.txt"
}

# run_case NAME: ceiling + vxswitch on the case's pcap; prints the line.
declare -A RES RESOUT
run_case() {
	local c=$1 g kind rxp txp fdbsz conf lines med mn mx cyc out_mpps t0 t1 load=null
	local extra='{}' r copies n ratio extra_learn='{}' cyc_src i cf l rc out starts target all
	g=$(gen_name "$c")
	if ! ceiling_of "$g"; then
		not_run "$c" "testpmd ceiling failed"
		return
	fi
	if [ -n "$vx_reason" ]; then
		not_run "$c" "$vx_reason (ceiling ${CEIL[$g]} Mpps measured)"
		return
	fi
	kind=$(meta "$g" .kind)
	rxp=$(meta "$g" .rx_port)
	txp=$(meta "$g" .tx_port)
	n=$(meta "$g" .fdb_entries)
	copies=$(meta "$g" .copies)
	# Room for the case's entries and the sources the access side learns
	# (encap pcaps carry as many source MACs as destinations), rounded up.
	fdbsz=65536
	while [ "$fdbsz" -lt $((2 * n + 1024)) ]; do fdbsz=$((fdbsz * 2)); done
	case $c in *-1m) fdbsz=2097152 ;; esac
	conf=$W/$g.base.conf
	if [ -n "${VXLINK_OPTS:-}" ]; then
		sed "s/^link add .*/& $VXLINK_OPTS/" "$W/$g.base.conf" >"$W/$g.opts.conf"
		conf=$W/$g.opts.conf
		log "$c: link add ... $VXLINK_OPTS (VXLINK_OPTS)"
	fi
	[ "$kind" = learn ] && target=$(meta "$g" .learn_macs)
	# Every run in a fresh daemon, since a process can stay in a slow mode
	# for its whole life (docs/benchmarks.md, Method): the first daemon gets
	# the FDB through `vxctl -b` (timed: fdb_load_s), the others replay the
	# base configuration and the FDB with --config at start (in-process, no
	# socket round trip per line: 1M lines in seconds instead of 35 s).
	lines="" starts="" all=""
	for i in $(seq "$runs"); do
		cf=$conf
		if [ "$i" -gt 1 ]; then
			cf=$W/$g.full.conf
			[ "$i" -eq 2 ] && cat "$conf" "$W/$g.fdb.conf" >"$cf"
		fi
		t0=$(now)
		if ! vx_start "$g" "$fdbsz" "$cf" "$i"; then
			not_run "$c" "$start_err"
			return
		fi
		t1=$(now)
		starts="$starts $(fcalc "int(($t1 - $t0) * 10 + 0.5) / 10")"
		if [ "$i" -eq 1 ]; then
			t0=$(now)
			out=$(vxctl_long -b "$W/$g.fdb.conf" 2>&1)
			rc=$?
			if [ $rc -ne 0 ]; then
				vx_stop
				not_run "$c" "vxctl -b $g.fdb.conf failed (status $rc$([ $rc = 124 ] && echo ", timed out after 900 s")): $(tail -2 <<<"$out" | tr '\n' ' ')"
				return
			fi
			t1=$(now)
			load=$(fcalc "$t1 - $t0")
		fi
		if [ "$kind" = learn ]; then
			l=$(learn_runs "$g" "$rxp" "$txp" "$target" 1) ||
				{ vx_stop; not_run "$c" "fdb flush or vxctl -j stats failed"; return; }
		else
			l=$(vx_measure "$rxp" "$txp" 1) ||
				{ vx_stop; not_run "$c" "vxctl -j stats failed"; return; }
		fi
		# Profile the last daemon.
		[ $do_perf -eq 1 ] && [ "$i" -eq "$runs" ] && case $c in
			decap4-256 | encap4-256 | decap6-256 | encap6-256) perf_top "$c" ;; esac
		vx_stop
		lines=${lines:+$lines$'\n'}$l
		all="$all ${l%% *}"
	done
	log "$c: $runs run(s), each in a fresh daemon:$all Mpps (started in$starts s; $n FDB lines: vxctl -b in $(fcalc "int($load * 10 + 0.5) / 10") s in the first$([ "$runs" -gt 1 ] && echo ", replayed by --config at start in the others"))"
	if [ "$kind" = learn ]; then
		local lr lmin lmax lcpu lshare
		read -r lr lmin lmax <<<"$(awk '{ print $4 }' <<<"$lines" | stats3)"
		lshare=$(awk '{ print $7 }' <<<"$lines" | stats3 | cut -d' ' -f1)
		lcpu=$(awk '{ print $8 }' <<<"$lines" | grep -v null | stats3 | cut -d' ' -f1)
		[ -n "$lcpu" ] || lcpu=null
		extra_learn=$(jq -cn --argjson r "$lr" --argjson mn "$lmin" --argjson mx "$lmax" \
			--argjson t "$target" --argjson sh "$lshare" --argjson pc "$lcpu" \
			'{learn_per_s: $r, learn_per_s_min: $mn, learn_per_s_max: $mx, learn_macs: $t,
			learn_ctl_cpu_share: $sh, learn_per_ctl_cpu_s: $pc,
			learn_method: "learned / (last_ns - first_ns) of the daemon learning window"}')
		if [ "$(awk '{ print $5 }' <<<"$lines" | sort -n | head -1)" -le 0 ]; then
			not_run "$c" "FDB size did not grow while learning (is the FDB count in vxctl -j stats?)"
			return
		fi
	fi
	read -r med mn mx <<<"$(awk '{ print $1 }' <<<"$lines" | stats3)"
	out_mpps=$(awk '{ print $2 }' <<<"$lines" | stats3 | cut -d' ' -f1)
	cyc_src=busy_tsc/busy_pkts
	grep -q '~' <<<"$lines" && cyc_src="tsc_hz/rate (no busy_tsc in vxctl -j stats)"
	cyc=$(awk '{ print $3 }' <<<"$lines" | tr -d '~' | grep -v null | stats3 | cut -d' ' -f1)
	[ -n "$cyc" ] || cyc=null
	if [ "$(fcalc "$med <= 0")" = 1 ]; then
		not_run "$c" "no packets received by vxswitch"
		return
	fi
	# Forwarded must match received (times copies for floods), else the
	# figure is a drop rate, not a forwarding rate.
	r=$(fcalc "$out_mpps / ($med * $copies)")
	if [ "$(fcalc "$r < 0.95")" = 1 ]; then
		not_run "$c" "only $(fcalc "$r * 100")% of expected output on $txp (rx $med Mpps, tx $out_mpps Mpps); see drops in vxctl stats"
		return
	fi
	ratio=$(fcalc "$med / ${CEIL[$g]}")
	extra=$(jq -cn --argjson o "$out_mpps" --argjson n "$n" --argjson l "$load" \
		--arg k "$kind" --argjson cp "$copies" --argjson q "$quick" \
		'{out_mpps: $o, fdb_entries: $n, fdb_load_s: $l, kind: $k, copies: $cp,
		  quick: ($q == 1)} + (if $k == "flood" then {copies_per_s: ($o * 1e6)} else {} end)' |
		jq -c --argjson l "$extra_learn" '. + $l')
	add_result "$(jq -cn --arg c "$c" --argjson m "$med" --argjson ce "${CEIL[$g]}" \
		--argjson ra "$ratio" --argjson cy "$cyc" --argjson mn "$mn" --argjson mx "$mx" \
		--argjson runs "$runs" --argjson secs "$secs" --argjson huge "$huge" --arg cs "$cyc_src" \
		--argjson x "$extra" '{case: $c, mpps: $m, ceiling_mpps: $ce, ratio: $ra,
		cycles_per_pkt: $cy, min: $mn, max: $mx, runs: $runs, secs: $secs,
		hugepages: ($huge == 1), cycles_source: $cs} + $x')"
	RES[$c]=$med
	RESOUT[$c]=$out_mpps
	local note=""
	if [ "$g" != "$c" ]; then
		if [ "$kind" = learn ]; then
			note=" (--quick: $(meta "$g" .learn_macs) new MACs instead of 1M)"
		else
			note=" (--quick: $n-entry FDB instead of 1M)"
		fi
	fi
	[ "$kind" = flood ] && note="$note, $(fcalc "$out_mpps") M copies/s out"
	# The same frames through a K-VTEP flood list, when that case ran before.
	[ "$kind" = mcast ] && note="$note, one copy each to the group$([ -n "${RES[flood4-${c#mcast4-}]:-}" ] &&
		echo " (flood4-${c#mcast4-}: $(fcalc "${RES[flood4-${c#mcast4-}]}") Mpps in, $(fcalc "${RESOUT[flood4-${c#mcast4-}]}") M copies/s out)")"
	[ "$kind" = learn ] && note="$note, forwarding while learning; $(jq -r '"\(.learn_per_s / 1e6 | . * 1000 | round / 1000) M MACs/s learned\(if .learn_per_ctl_cpu_s then " (control thread: \(.learn_per_ctl_cpu_s / 1e6 | . * 1000 | round / 1000) M per CPU-second; busy \(.learn_ctl_cpu_share * 100 | round) % of the sample window, which is longer than the learning)" else "" end)"' <<<"$extra_learn")"
	printf '%-12s %8.3f Mpps (min %.3f max %.3f)  ratio %.3f of %.3f Mpps ceiling  %s cycles/pkt%s\n' \
		"$c" "$med" "$mn" "$mx" "$ratio" "${CEIL[$g]}" "$([ "$cyc" = null ] && echo n/a || fcalc "$cyc")" "$note"
}

# ---------------------------------------------------------------------------
# learn4-N: forwarding rate while the control thread learns N new MACs, and
# the learn rate. Each run flushes the dynamic entries, which also starts the
# daemon's learning window: `vxctl -j stats` gives {"kind":"learn",
# "learned":n,"first_ns":t0,"last_ns":t1} (entries added since the flush and
# the wall-clock times of the first and latest batch), so the learn rate is
# learned / (t1 - t0), exact however coarsely the script samples. The script
# samples every 0.2 s until N are learned (at most max(4 x --secs, 60) s).
# It also reads the control thread's CPU time (/proc, utime + stime), since
# on a shared VM that thread may get only part of a core: learned per CPU
# second of the control thread is the rate an idle core would sustain.
ctl_cpu_ticks() {
	local p
	p=$(pgrep -P "$vx_pid" | head -1)
	awk '{ print $14 + $15 }' "/proc/${p:-$vx_pid}/task/${p:-$vx_pid}/stat" 2>/dev/null
}
# learn_runs GEN RXP TXP TARGET [N]: N (default --runs) runs in the running
# daemon.
learn_runs() {
	local g=$1 rxp=$2 txp=$3 target=$4 nr=${5:-$runs} i k a b js c0 c1 lim hz
	hz=$(getconf CLK_TCK)
	lim=$((secs * 20))
	[ $lim -ge 300 ] || lim=300
	for i in $(seq "$nr"); do
		vxctl fdb flush dev vxlan10 dynamic >/dev/null 2>&1 ||
			vxctl fdb flush dev vxlan10 >/dev/null 2>&1 || return 1
		a=$(vx_sample "$rxp" "$txp" learn) || return 1
		c0=$(ctl_cpu_ticks)
		# Wait for the window to hold every new MAC: one vxctl call and a
		# bash match per check (no jq/awk processes competing with the
		# control thread for the CPUs while it learns), then one full sample.
		for k in $(seq "$lim"); do
			sleep 0.2
			js=$(vxctl -j stats 2>/dev/null) || return 1
			[[ $js =~ \"kind\":\"learn\",\"learned\":([0-9]+) ]] || break
			[ "${BASH_REMATCH[1]}" -ge "$target" ] && break
		done
		b=$(vx_sample "$rxp" "$txp" learn) || return 1
		c1=$(ctl_cpu_ticks)
		[ "$(cut -f7 <<<"$b")" -ge 0 ] || { log "vxctl -j stats has no learn object (old daemon?)"; return 1; }
		# mpps_in mpps_out cycles learned_per_s learned fdb_count ctl_cpu_share learned_per_cpu_s
		printf '%s\t%s\t%s\n' "$a" "$b" "$((c1 - c0))" |
			awk -F'\t' -v hz="$TSC_HZ" -v clk="$hz" '{
			dt = $10 - $1; rx = $11 - $2; tx = $12 - $3; tsc = $13 - $4; bp = $14 - $5
			n = $16; ldt = ($18 - $17) / 1e9; cpu = $19 / clk
			printf "%.4f %.4f %s %.0f %d %d %.3f %s\n", rx / dt / 1e6, tx / dt / 1e6,
				(bp > 0 ? sprintf("%.1f", tsc / bp) : (rx > 0 && hz > 0 ? sprintf("~%.1f", hz * dt / rx) : "null")),
				(ldt > 0 ? n / ldt : 0), n, $15, cpu / dt,
				# CPU time comes in 1/CLK_TCK ticks: below 20 the ratio is noise.
				($19 >= 20 ? sprintf("%.0f", n / cpu) : "null") }'
	done
}

# Memory: daemon RSS (--no-huge, so DPDK memory shows in VmRSS) with an
# empty FDB and with N entries; bytes per entry against a daemon whose FDB
# has 1024 slots (so the preallocated table counts).
memory_case() {
	local n=1m cap=1048576 g c rss_small rss_empty rss_full t0 t1 bpe bpe2 save_huge=$huge
	# --quick: 64K entries in a table sized for them, so the figure stays per entry.
	[ $quick -eq 1 ] && n=64k cap=65536
	g=decap4-$n
	c=memory-$n
	gen_cases "$g" || return 1
	[ -n "$vx_reason" ] && { not_run "$c" "$vx_reason"; return; }
	huge=0
	# A small pcap for all three daemons: only the FDB should differ.
	gen_cases decap4-256 || return 1
	cp "$W/decap4-256.pcap" "$W/mem.pcap"
	jq '.packets = 1024' "$W/$g.json" >"$W/mem.json"
	cp "$W/$g.base.conf" "$W/mem.base.conf"
	if ! vx_start mem 1024 "$W/mem.base.conf"; then huge=$save_huge; not_run "$c" "$start_err"; return; fi
	sleep 1
	rss_small=$(rss_kb "$vx_pid")
	vx_stop
	if ! vx_start mem $cap "$W/mem.base.conf"; then huge=$save_huge; not_run "$c" "$start_err"; return; fi
	sleep 1
	rss_empty=$(rss_kb "$vx_pid")
	t0=$(now)
	if ! vxctl_long -b "$W/$g.fdb.conf" >"$W/mem-load.log" 2>&1; then
		vx_stop; huge=$save_huge
		not_run "$c" "loading $(wc -l <"$W/$g.fdb.conf") entries into an FDB of capacity $cap failed: $(tail -1 "$W/mem-load.log")"
		return
	fi
	t1=$(now)
	sleep 1
	rss_full=$(rss_kb "$vx_pid")
	vx_stop
	huge=$save_huge
	local entries
	entries=$(wc -l <"$W/$g.fdb.conf")
	bpe=$(fcalc "($rss_full - $rss_small) * 1024 / $entries")
	bpe2=$(fcalc "($rss_full - $rss_empty) * 1024 / $entries")
	printf '%-12s RSS %d MB with an empty FDB (capacity %d), %d MB with %d entries; %.1f bytes/entry (vs an FDB of capacity 1024: %d MB), %.1f bytes/entry over the empty table; loaded in %.2f s\n' \
		"$c" $((rss_empty / 1024)) "$cap" $((rss_full / 1024)) "$entries" "$bpe" $((rss_small / 1024)) "$bpe2" "$(fcalc "$t1 - $t0")"
	add_result "$(jq -cn --arg c "$c" --argjson s "$rss_small" --argjson e "$rss_empty" \
		--argjson f "$rss_full" --argjson n "$entries" --argjson b "$bpe" --argjson b2 "$bpe2" \
		--argjson l "$(fcalc "$t1 - $t0")" '{case: $c, mpps: null, ceiling_mpps: null,
		ratio: null, cycles_per_pkt: null, min: null, max: null, entries: $n,
		rss_kb_fdb_1024_slots: $s, rss_kb_empty: $e, rss_kb_full: $f, bytes_per_entry: $b,
		bytes_per_entry_over_empty: $b2, load_s: $l, hugepages: false}')"
}

# ---------------------------------------------------------------------------
# Peers. Linux kernel vxlan + bridge in a namespace, fed by testpmd (net_pcap
# in, net_af_packet on a veth out). RPS steers the namespace side of the veth
# to CPU 0, so all kernel work (IP, UDP, vxlan, bridge) runs in NET_RX
# softirq on CPU 0 while the injector runs on CPU 1. Per-core rate =
# packets delivered (tx of the sink veth) / CPU 0 softirq seconds.
KNS=vxtb-k
cpu0_softirq() { awk '$1 == "cpu0" { print $8 }' /proc/stat; }
nsx() { ip netns exec "$KNS" "$@"; }
k_counter() { nsx cat "/sys/class/net/$1/statistics/$2"; }

kernel_setup() {
	local mode=$1 g=$2 m
	kernel_teardown
	ip netns add "$KNS" || return 1
	netns+=("$KNS")
	ip link add vxtb-inj0 type veth peer name vxtb-k0 netns "$KNS" || return 1
	ethtool -K vxtb-inj0 tx off >/dev/null 2>&1
	nsx ethtool -K vxtb-k0 tx off >/dev/null 2>&1
	ip link set vxtb-inj0 up
	nsx ip link set lo up
	nsx ip link add br0 type bridge || return 1
	nsx ip link set br0 up
	# Sink: a veth pair inside the namespace (this kernel has no dummy
	# driver); its far end drops the frames (not for its MAC) on CPU 1.
	nsx ip link add vxtb-sink type veth peer name vxtb-sinkp || return 1
	nsx ethtool -K vxtb-sinkp tx off >/dev/null 2>&1
	nsx ip link set vxtb-sinkp up
	nsx sh -c 'echo 2 >/sys/class/net/vxtb-sinkp/queues/rx-0/rps_cpus'
	if [ "$mode" = decap ]; then
		# Underlay: the veth, with the MAC the pcap's outer frames are sent to.
		nsx ip link set vxtb-k0 address "$(meta "$g" .port_mac)" up
		nsx ip addr add 198.51.100.1/24 dev vxtb-k0
		nsx ip link add vxlan10 type vxlan id 10 local 198.51.100.1 dev vxtb-k0 \
			dstport 4789 nolearning
		nsx ip link set vxtb-sink master br0 up
		nsx ip link set vxlan10 master br0 up
		sed 's/^fdb add \(\S*\) dev net_null0 master$/fdb add \1 dev vxtb-sink master static/' \
			"$W/$g.fdb.conf" >"$W/k-$g.fdb"
	else
		# Access: the veth is a bridge port; underlay: the sink veth.
		nsx ip link set vxtb-k0 master br0 up
		nsx ip link set vxtb-sink up
		nsx ip addr add 198.51.100.1/24 dev vxtb-sink
		nsx ip link add vxlan10 type vxlan id 10 local 198.51.100.1 dev vxtb-sink \
			dstport 4789 nolearning
		nsx ip link set vxlan10 master br0 up
		nsx ip neigh replace 198.51.100.2 lladdr 02:00:00:00:01:02 dev vxtb-sink nud permanent
		: >"$W/k-$g.fdb"
		while read -r _ _ m _ _ _ _; do
			echo "fdb add $m dev vxlan10 dst 198.51.100.2 self permanent"
			echo "fdb add $m dev vxlan10 master static"
		done <"$W/$g.fdb.conf" >"$W/k-$g.fdb"
	fi
	nsx bridge -batch "$W/k-$g.fdb" || return 1
	nsx sh -c 'echo 1 >/sys/class/net/vxtb-k0/queues/rx-0/rps_cpus' || return 1
	nsx ethtool -K vxtb-sink tx off >/dev/null 2>&1
	return 0
}

kernel_teardown() {
	local i
	ip netns del "$KNS" 2>/dev/null
	ip link del vxtb-inj0 2>/dev/null
	# Namespace teardown is asynchronous: wait until the veth is gone.
	for i in $(seq 50); do
		ip link show vxtb-inj0 >/dev/null 2>&1 || return 0
		sleep 0.1
	done
}

# kernel_case MODE GEN: prints "per_core_mpps wall_mpps" per run.
kernel_runs() {
	local mode=$1 g=$2 pkts i s0 s1 d0 d1 t0 t1 hz
	hz=$(getconf CLK_TCK)
	pkts=$(meta "$g" .packets)
	kernel_setup "$mode" "$g" || { kernel_teardown; return 1; }
	if ! tp_start "k-$g" "$(mem_for "$pkts")" $((pkts + 65536)) \
		--vdev "net_pcap0,rx_pcap=$W/$g.pcap,infinite_rx=1" \
		--vdev net_af_packet0,iface=vxtb-inj0,qpairs=1; then
		kernel_teardown
		return 1
	fi
	tp_cmd start
	sleep "$warm"
	for i in $(seq "$runs"); do
		t0=$(now) s0=$(cpu0_softirq) d0=$(k_counter vxtb-sink tx_packets)
		sleep "$secs"
		t1=$(now) s1=$(cpu0_softirq) d1=$(k_counter vxtb-sink tx_packets)
		awk -v d=$((d1 - d0)) -v s=$((s1 - s0)) -v hz="$hz" -v dt="$(fcalc "$t1 - $t0")" \
			'BEGIN { printf "%.4f %.4f %.3f\n", (s > 0 ? d / (s / hz) / 1e6 : 0), d / dt / 1e6, s / hz / dt }'
	done
	tp_stop
	kernel_teardown
}

peers_kernel() {
	local mode g lines pc wall busy
	for mode in decap encap; do
		g=$(gen_name "${mode}4-256")
		gen_cases "$g" || return 1
		if ! lines=$(kernel_runs "$mode" "$g"); then
			echo "peer kernel-${mode}4: not run: setup failed"
			failed=$((failed + 1))
			continue
		fi
		read -r pc pmin pmax <<<"$(awk '{ print $1 }' <<<"$lines" | stats3)"
		wall=$(awk '{ print $2 }' <<<"$lines" | stats3 | cut -d' ' -f1)
		busy=$(awk '{ print $3 }' <<<"$lines" | stats3 | cut -d' ' -f1)
		printf 'peer kernel-%s4-256: %.3f Mpps per core (min %.3f max %.3f); %.3f Mpps delivered with CPU0 %.0f%% in softirq\n' \
			"$mode" "$pc" "$pmin" "$pmax" "$wall" "$(fcalc "$busy * 100")"
		add_result "$(jq -cn --arg c "kernel-${mode}4-256" --argjson m "$pc" --argjson mn "$pmin" \
			--argjson mx "$pmax" --argjson w "$wall" --argjson b "$busy" --argjson r "$runs" \
			--argjson s "$secs" '{case: $c, mpps: $m, ceiling_mpps: null, ratio: null,
			cycles_per_pkt: null, min: $mn, max: $mx, wall_mpps: $w, softirq_share: $b,
			runs: $r, secs: $s, peer: "linux kernel vxlan + bridge",
			method: "delivered packets / CPU0 NET_RX softirq seconds (/proc/stat)"}')"
		RES[kernel-${mode}4]=$pc
	done
}

# Open vSwitch with DPDK (Debian's openvswitch-switch-dpdk, userspace
# datapath), run inside namespace vxtb-o so its br-phy tap (the tunnel
# endpoint 198.51.100.1) lives there. One PMD on lcore 1, handlers on lcore
# 0, the same net_pcap/net_null vdevs. Rate = tx packets of the sink port
# over the interval (a PMD core is always 100 % busy, so this is per core).
ONS=vxtb-o
OVSD=""
ovs_pids=()
ovs_stop() {
	local p
	for p in "${ovs_pids[@]}"; do stop_pid "$p"; done
	ovs_pids=()
	ip netns del "$ONS" 2>/dev/null
	return 0
}
ovs_vsctl() { timeout 30 ovs-vsctl --db="unix:$OVSD/db.sock" "$@"; }
ovs_appctl() { timeout 30 ovs-appctl -t "$OVSD/ovs-vswitchd-dpdk.${ovs_pids[1]}.ctl" "$@"; }
ovs_ofctl() { timeout 30 ovs-ofctl "$1" "unix:$OVSD/$2.mgmt" "${@:3}"; }

# ovs_start MODE GEN: decap or encap topology; returns when the ports run.
ovs_start() {
	local mode=$1 g=$2 i m
	OVSD=$W/ovs-$mode
	rm -rf "$OVSD"
	mkdir -p "$OVSD"
	export OVS_RUNDIR=$OVSD OVS_DBDIR=$OVSD OVS_LOGDIR=$OVSD
	ip netns del "$ONS" 2>/dev/null
	ip netns add "$ONS" || return 1
	netns+=("$ONS")
	ovsdb-tool create "$OVSD/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" --pidfile="$OVSD/ovsdb.pid" \
		--detach --log-file="$OVSD/ovsdb.log" --no-chdir -vconsole:off 2>/dev/null || return 1
	ovs_pids=("$(cat "$OVSD/ovsdb.pid")")
	pids+=("${ovs_pids[0]}")
	ovs_vsctl --no-wait init
	ovs_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
		other_config:dpdk-lcore-mask=0x1 other_config:pmd-cpu-mask=0x2 \
		"other_config:dpdk-extra=--no-pci --file-prefix=${PREFIX}ovs" \
		"other_config:dpdk-socket-mem=$(mem_for "$(meta "$g" .packets)")"
	ip netns exec "$ONS" /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk \
		"unix:$OVSD/db.sock" --pidfile="$OVSD/vswitchd.pid" --detach \
		--log-file="$OVSD/vswitchd.log" --no-chdir -vconsole:off 2>/dev/null || return 1
	ovs_pids+=("$(cat "$OVSD/vswitchd.pid")")
	pids+=("${ovs_pids[1]}")
	local pcapdev="net_pcap0,rx_pcap=$W/$g.pcap,infinite_rx=1" nulldev="net_null0,no-rx=1"
	ovs_vsctl add-br br-phy -- set bridge br-phy datapath_type=netdev \
		other_config:hwaddr=02:70:63:61:70:00 || return 1
	ovs_vsctl add-br br-int -- set bridge br-int datapath_type=netdev || return 1
	if [ "$mode" = decap ]; then
		ovs_vsctl add-port br-phy p0 -- set Interface p0 type=dpdk "options:dpdk-devargs=$pcapdev"
		ovs_vsctl add-port br-int p1 -- set Interface p1 type=dpdk "options:dpdk-devargs=$nulldev"
	else
		ovs_vsctl add-port br-int p0 -- set Interface p0 type=dpdk "options:dpdk-devargs=$pcapdev"
		ovs_vsctl add-port br-phy p1 -- set Interface p1 type=dpdk "options:dpdk-devargs=$nulldev"
	fi
	ovs_vsctl add-port br-int vx0 -- set interface vx0 type=vxlan \
		options:remote_ip=198.51.100.2 options:local_ip=198.51.100.1 options:key=10 || return 1
	ip netns exec "$ONS" ip addr add 198.51.100.1/24 dev br-phy || return 1
	ip netns exec "$ONS" ip link set br-phy up
	for i in $(seq 50); do
		ovs_appctl ovs/route/show 2>/dev/null | grep -q '198.51.100.0/24' && break
		sleep 0.1
	done
	ovs_appctl tnl/arp/set br-phy 198.51.100.2 02:00:00:00:01:02 >/dev/null || return 1
	# NORMAL with every MAC already in the FDB.
	if [ "$mode" = decap ]; then
		while read -r m; do ovs_appctl fdb/add br-int p1 0 "$m" >/dev/null || exit 1; done \
			< <(awk '{ print $3 }' "$W/$g.fdb.conf") || return 1
	else
		ovs_appctl fdb/add br-phy p1 0 02:00:00:00:01:02 >/dev/null || return 1
		while read -r m; do ovs_appctl fdb/add br-int vx0 0 "$m" >/dev/null || exit 1; done \
			< <(awk '{ print $3 }' "$W/$g.fdb.conf") || return 1
	fi
	return 0
}

# ovs_measure: prints "mpps cycles_per_pkt" per run (sink port p1 tx).
ovs_measure() {
	local i t0 t1 a b c
	# Warm-up: until the sink has been transmitting for $warm s (<= 30 s).
	a=$(ovs_vsctl get interface p1 statistics:tx_packets)
	for i in $(seq 60); do
		sleep 0.5
		b=$(ovs_vsctl get interface p1 statistics:tx_packets)
		[ "$b" != "$a" ] && break
	done
	sleep "$warm"
	for i in $(seq "$runs"); do
		ovs_appctl dpif-netdev/pmd-stats-clear >/dev/null
		t0=$(now) a=$(ovs_vsctl get interface p1 statistics:tx_packets)
		sleep "$secs"
		t1=$(now) b=$(ovs_vsctl get interface p1 statistics:tx_packets)
		c=$(ovs_appctl dpif-netdev/pmd-stats-show | awk '/core_id 1/ { f = 1 }
			f && /avg processing cycles per packet/ { print $6; exit }')
		awk -v d=$((b - a)) -v dt="$(fcalc "$t1 - $t0")" -v c="${c:-null}" \
			'BEGIN { printf "%.4f %s\n", d / dt / 1e6, c }'
	done
}

peers_ovs() {
	local why="" mode g flows lines m mn mx cyc name
	if ! dpkg-query -W -f='${Status}' openvswitch-switch-dpdk 2>/dev/null | grep -q 'ok installed'; then
		log "peers: installing openvswitch-switch-dpdk"
		if ! DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q \
			--no-install-recommends openvswitch-switch-dpdk >"$W/ovs-apt.log" 2>&1; then
			why="apt-get install openvswitch-switch-dpdk failed: $(tail -1 "$W/ovs-apt.log")"
		fi
	fi
	[ -z "$why" ] && [ ! -x /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk ] &&
		why="/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk missing"
	[ -z "$why" ] && [ $huge -eq 0 ] &&
		why="OVS-DPDK adds --in-memory to EAL, which needs hugepages (none reserved)"
	if [ -n "$why" ]; then
		echo "peer ovs-dpdk: skipped: $why"
		return
	fi
	for mode in decap encap; do
		g=$(gen_name "${mode}4-256")
		gen_cases "$g" || return 1
		if ! ovs_start "$mode" "$g"; then
			echo "peer ovs-${mode}4-256: not run: OVS setup failed; $(tail -2 "$OVSD/vswitchd.log" | tr '\n' ' ')"
			failed=$((failed + 1))
			ovs_stop
			continue
		fi
		for flows in normal explicit; do
			if [ $flows = explicit ]; then
				# The cheapest explicit flows: one output action per bridge.
				ovs_ofctl del-flows br-int && ovs_ofctl del-flows br-phy || break
				if [ "$mode" = decap ]; then
					ovs_ofctl add-flow br-phy in_port=p0,actions=LOCAL &&
						ovs_ofctl add-flow br-int in_port=vx0,actions=output:p1
				else
					ovs_ofctl add-flow br-int in_port=p0,actions=output:vx0 &&
						ovs_ofctl add-flow br-phy in_port=LOCAL,actions=output:p1
				fi || break
			fi
			name=ovs-${mode}4-256-$flows
			lines=$(ovs_measure)
			read -r m mn mx <<<"$(awk '{ print $1 }' <<<"$lines" | stats3)"
			cyc=$(awk '{ print $2 }' <<<"$lines" | grep -v null | stats3 | cut -d' ' -f1)
			[ -n "$cyc" ] || cyc=null
			if [ -z "$m" ] || [ "$(fcalc "$m <= 0")" = 1 ]; then
				echo "peer $name: not run: no packets out of the sink port"
				failed=$((failed + 1))
				continue
			fi
			printf 'peer %-24s %.3f Mpps per core (min %.3f max %.3f), %s cycles/pkt (pmd-stats)\n' \
				"$name:" "$m" "$mn" "$mx" "$cyc"
			add_result "$(jq -cn --arg c "$name" --argjson m "$m" --argjson mn "$mn" \
				--argjson mx "$mx" --argjson cy "$cyc" --argjson r "$runs" --argjson s "$secs" \
				'{case: $c, mpps: $m, ceiling_mpps: null, ratio: null, cycles_per_pkt: $cy,
				min: $mn, max: $mx, runs: $r, secs: $s, peer: "ovs-dpdk 3.1 userspace datapath",
				method: "sink port tx_packets / interval; one PMD core (100% busy)"}')"
			RES[ovs-${mode}4-$flows]=$m
		done
		ovs_stop
	done
}

# ---------------------------------------------------------------------------
# --sweep: Mpps vs FDB size and vs flood fan-out, plotted with gnuplot.
# Each point is a full case (testpmd ceiling + vxswitch, --runs x --secs);
# --sweep-fdb / --sweep-flood choose the points (comma-separated).
need_gnuplot() {
	command -v gnuplot >/dev/null && return 0
	log "installing gnuplot-nox"
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends \
		gnuplot-nox >"$W/gnuplot-apt.log" 2>&1
	command -v gnuplot >/dev/null
}

# "64k" -> 65536, "1m" -> 1000000 (as gen-pcap.py counts).
macs_of() {
	awk -v n="$1" 'BEGIN { m = n + 0; if (n ~ /[kK]$/) m *= 1024; if (n ~ /[mM]$/) m *= 1000000; print m }'
}

sweep() {
	local n c g count i=0 total csv_f=$outdir/sweep-fdb.csv csv_l=$outdir/sweep-flood.csv
	local d e dc ec pts=()
	total=$((${#SWEEP_FDB[@]} + ${#SWEEP_FLOOD[@]}))
	mkdir -p "$outdir"
	log "sweep: ${#SWEEP_FDB[@]} FDB sizes (${SWEEP_FDB[*]}) x decap4/encap4, ${#SWEEP_FLOOD[@]} fan-outs (${SWEEP_FLOOD[*]}); $runs x ${secs} s per case"
	echo "fdb_macs,decap4_mpps,encap4_mpps,decap4_ceiling_mpps,encap4_ceiling_mpps" >"$csv_f"
	for n in "${SWEEP_FDB[@]}"; do
		i=$((i + 1))
		count=$(macs_of "$n")
		[ $quick -eq 1 ] && [ "$count" -gt 65536 ] && n=64k count=65536
		log "sweep [$i/$total] FDB $count MACs: decap4-$n, encap4-$n"
		for c in decap4-$n encap4-$n; do
			if gen_cases "$c"; then run_case "$c"; else not_run "$c" "gen-pcap failed"; fi
		done
		d=${RES[decap4-$n]:-NaN} e=${RES[encap4-$n]:-NaN}
		dc=${CEIL[$(gen_name decap4-$n)]:-NaN} ec=${CEIL[$(gen_name encap4-$n)]:-NaN}
		echo "$count,$d,$e,$dc,$ec" >>"$csv_f"
		pts+=("$(jq -cn --argjson m "$count" --arg d "$d" --arg e "$e" --arg dc "$dc" --arg ec "$ec" \
			'def num: if . == "NaN" then null else tonumber end;
			{sweep: "fdb", fdb_macs: $m, decap4_mpps: ($d | num), encap4_mpps: ($e | num),
			 decap4_ceiling_mpps: ($dc | num), encap4_ceiling_mpps: ($ec | num)}')")
		log "sweep [$i/$total] FDB $count MACs: decap4 $d Mpps, encap4 $e Mpps"
	done
	echo "vteps,input_mpps,output_mcopies_per_s,ceiling_mpps" >"$csv_l"
	for n in "${SWEEP_FLOOD[@]}"; do
		i=$((i + 1))
		c=flood4-$n
		log "sweep [$i/$total] flood to $n VTEPs: $c"
		if gen_cases "$c"; then run_case "$c"; else not_run "$c" "gen-pcap failed"; fi
		d=${RES[$c]:-NaN} e=${RESOUT[$c]:-NaN} dc=${CEIL[$c]:-NaN}
		echo "$n,$d,$e,$dc" >>"$csv_l"
		pts+=("$(jq -cn --argjson v "$n" --arg d "$d" --arg e "$e" --arg dc "$dc" \
			'def num: if . == "NaN" then null else tonumber end;
			{sweep: "flood", vteps: $v, input_mpps: ($d | num), output_mcopies_per_s: ($e | num),
			 ceiling_mpps: ($dc | num)}')")
		log "sweep [$i/$total] flood to $n VTEPs: $d Mpps in, $e M copies/s out"
	done
	printf '%s\n' "${pts[@]}" | jq -s --arg date "$(date -u +%FT%TZ)" --argjson runs "$runs" \
		--argjson secs "$secs" --argjson huge "$huge" --argjson q "$quick" \
		--arg cpu "$(lscpu | sed -n 's/^Model name: *//p')" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
		'{date: $date, cpu: $cpu, load_at_end: $load, runs: $runs, secs: $secs,
		  hugepages: ($huge == 1), quick: ($q == 1), points: .}' >"$outdir/sweep.json"
	log "sweep: points in $csv_f, $csv_l, $outdir/sweep.json"
	if ! need_gnuplot; then
		log "gnuplot not available (apt-get install gnuplot-nox failed, see --keep logs); no SVG"
		return
	fi
	if ! gnuplot <<-EOF 2>"$W/gnuplot.err"; then
		set terminal svg size 720,420 dynamic font "sans,11"
		set datafile separator ","
		set datafile missing "NaN"
		set output "$outdir/fdb-scaling.svg"
		set title "vxswitch, one worker core: Mpps vs FDB size (64-byte inner frames)"
		set xlabel "MACs in the FDB (traffic over all of them)"
		set ylabel "Mpps"
		set logscale x
		set grid
		set key outside bottom center horizontal
		set yrange [0:*]
		plot "$csv_f" using 1:2 skip 1 with linespoints title "decap4", \
		     "$csv_f" using 1:3 skip 1 with linespoints title "encap4", \
		     "$csv_f" using 1:4 skip 1 with lines dashtype 2 title "ceiling (decap pcap)", \
		     "$csv_f" using 1:5 skip 1 with lines dashtype 3 title "ceiling (encap pcap)"
		set output "$outdir/flood-fanout.svg"
		set title "vxswitch, one worker core: BUM flooding vs fan-out"
		set xlabel "VTEPs in the flood list"
		set ylabel "millions per second"
		set logscale x 2
		plot "$csv_l" using 1:2 skip 1 with linespoints title "input Mpps", \
		     "$csv_l" using 1:3 skip 1 with linespoints title "output M copies/s"
	EOF
		log "gnuplot failed: $(tail -3 "$W/gnuplot.err" | tr '\n' ' ')"
		failed=$((failed + 1))
		return
	fi
	log "plots: $outdir/fdb-scaling.svg $outdir/flood-fanout.svg"
}

# ---------------------------------------------------------------------------
main() {
	local c
	setup_huge
	log "$(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r), DPDK $(pkg-config --modversion libdpdk 2>/dev/null), $([ $huge -eq 1 ] && echo hugepages || echo '--no-huge (no hugepages reserved)'), load $(cut -d' ' -f1-3 /proc/loadavg)"
	[ $quick -eq 1 ] && log "--quick: one run of ${secs} s per case; 1m cases use a 64K-entry FDB"
	vx_check || log "vxswitch: $vx_reason"
	if [ ${#cases[@]} -gt 0 ]; then
		gen_cases "${cases[@]}" || { log "gen-pcap failed"; exit 1; }
	fi
	for c in "${cases[@]}"; do
		run_case "$c"
	done
	[ $want_memory -eq 1 ] && [ $sweep -eq 0 ] && memory_case
	[ $sweep -eq 1 ] && sweep
	if [ $peers -eq 1 ]; then
		peers_kernel
		peers_ovs
	fi
	if [ -n "$json" ]; then
		printf '%s\n' "${results[@]}" | jq -s . >"$json"
	fi
	if [ $save -eq 1 ]; then
		mkdir -p "$outdir"
		printf '%s\n' "${results[@]}" | jq -s --arg cpu "$(lscpu | sed -n 's/^Model name: *//p')" \
			--arg k "$(uname -r)" --arg d "$(pkg-config --modversion libdpdk 2>/dev/null)" \
			--arg date "$(date -u +%FT%TZ)" --argjson huge "$huge" \
			'{date: $date, cpu: $cpu, kernel: $k, dpdk: $d, hugepages: ($huge == 1), cases: .}' \
			>"$outdir/latest.json"
		log "saved $outdir/latest.json"
	fi
	[ $failed -eq 0 ]
}

main
