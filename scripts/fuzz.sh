#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run a libFuzzer harness of tests/fuzz (built with clang, ASan and UBSan into
# ./build-fuzz: meson -Dfuzz=true) for a while; what it finds fails the run.
#
#   scripts/fuzz.sh HARNESS MINUTES        underlay, access, punt, cli, or all
#   scripts/fuzz.sh --seconds N HARNESS    the same, in seconds (scripts/test.sh)
#   scripts/fuzz.sh --repro HARNESS FILE   run one input (a crash-* artifact) once
#
# The seeds (tests/fuzz/corpus/HARNESS) are read, never written: what the run
# adds goes to build-fuzz/fuzz-corpus/HARNESS, which later runs start from.
# A crash, leak, timeout or sanitizer report leaves its input in
# build-fuzz/fuzz-artifacts/HARNESS/ and exits non-zero; to keep it as a
# regression test, fix the bug and copy the input to tests/fuzz/corpus/HARNESS/
# as regress-WHAT (the normal build replays every corpus file: meson test
# --suite fuzz). Extra libFuzzer options: VX_FUZZ_OPTS.
#
# Last line per harness: "fuzz HARNESS: PASS|FAIL, N runs, E exec/s, cov C ft F, corpus K".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
harnesses=(underlay access punt cli)

usage() {
	sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

seconds= repro=
case "${1:-}" in
--seconds)
	seconds=${2:-}
	shift 2 || usage
	;;
--repro)
	repro=1
	shift
	;;
esac
[ $# -ge 1 ] || usage
what=$1
if [ -n "$repro" ]; then
	[ $# -eq 2 ] || usage
elif [ -z "$seconds" ]; then
	[ $# -eq 2 ] || usage
	seconds=$(awk -v m="$2" 'BEGIN { if (m + 0 <= 0) exit 1; printf "%d", m * 60 }') || usage
fi
case "$what" in
all) list=("${harnesses[@]}") ;;
underlay | access | punt | cli) list=("$what") ;;
*) usage ;;
esac

build() {
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang meson setup build-fuzz -Dfuzz=true >/dev/null || return 1
	fi
	ninja -C build-fuzz $(printf 'tests/fuzz/fuzz_%s ' "${harnesses[@]}") >/dev/null
}

# EAL's runtime directories of harnesses that died without their atexit cleanup.
clean_runtime() {
	for d in /var/run/dpdk/vxfuzz_*; do
		[ -d "$d" ] || continue
		kill -0 "${d##*_}" 2>/dev/null || rm -rf "$d"
	done
}

if ! build; then
	echo "fuzz: build failed (CC=clang meson setup build-fuzz -Dfuzz=true; ninja -C build-fuzz)"
	exit 1
fi

if [ -n "$repro" ]; then
	build-fuzz/tests/fuzz/fuzz_$what -runs=1 "$2"
	rc=$?
	clean_runtime
	exit $rc
fi

rc_all=0
for h in "${list[@]}"; do
	work=build-fuzz/fuzz-corpus/$h
	art=build-fuzz/fuzz-artifacts/$h
	log=build-fuzz/fuzz-$h.log
	mkdir -p "$work" "$art"
	rm -f "$art"/*
	opts=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=4096
		-print_final_stats=1 -artifact_prefix="$art/")
	[ -f tests/fuzz/$h.dict ] && opts+=(-dict=tests/fuzz/$h.dict)
	# shellcheck disable=SC2086 # VX_FUZZ_OPTS is a list of options
	build-fuzz/tests/fuzz/fuzz_$h "${opts[@]}" ${VX_FUZZ_OPTS:-} "$work" \
		"$top/tests/fuzz/corpus/$h" >"$log" 2>&1
	rc=$?
	clean_runtime
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+[[:space:]].* cov: ' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	if [ $rc -eq 0 ]; then
		verdict=PASS
	else
		verdict=FAIL
		rc_all=1
		grep -E -m1 -A12 'ERROR: |runtime error|fuzz (env|cli|underlay)|deadly signal' "$log" |
			sed 's/^/    /'
		for f in "$art"/*; do
			[ -f "$f" ] && echo "    input: $f (scripts/fuzz.sh --repro $h $f)"
		done
		echo "    log: $log"
	fi
	echo "fuzz $h: $verdict, ${runs:-0} runs, ${eps:-0} exec/s, cov ${cov:-0} ft ${ft:-0}," \
		"corpus ${corp:-0}"
done
exit $rc_all
