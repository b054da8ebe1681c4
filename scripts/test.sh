#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build vxswitch and run every test: cmocka unit tests (no EAL), cmocka EAL
# tests (--no-huge), the same suites under ASan+UBSan and under
# ThreadSanitizer (clang, build-asan/ and build-tsan/), the integration labs
# in network namespaces against Linux kernel vxlan, and the benchmark smoke
# run. Installs what is missing first. Must run as root (namespaces, veths,
# DPDK).
#
#   scripts/test.sh              everything
#   scripts/test.sh --unit       only the cmocka suites
#   scripts/test.sh --sanitize   only the cmocka suites under ASan+UBSan and TSan
#   scripts/test.sh --integration [NAME...]   only the netns labs
#
# Last line: "vxswitch: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

run_unit=1 run_int=1 run_bench=1 run_san=1
int_only=()
case "${1:-}" in
--unit) run_int=0 run_bench=0 run_san=0 ;;
--sanitize) run_unit=0 run_int=0 run_bench=0 ;;
--integration)
	run_unit=0 run_bench=0 run_san=0
	shift
	int_only=("$@")
	;;
esac

scripts/deps.sh || exit 1
scripts/build.sh || { echo "vxswitch: 0 passed, 1 failed"; exit 1; }

passed=0 failed=0
failures=()

if [ $run_unit -eq 1 ]; then
	echo "== layers (scripts/check-layers.sh)"
	if scripts/check-layers.sh; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("check-layers")
	fi
fi

if [ $run_unit -eq 1 ]; then
	echo "== cmocka suites (meson test)"
	meson test -C build --print-errorlogs --num-processes 2 >/tmp/vx-meson-test.log 2>&1
	grep -E '^ *[0-9]+/[0-9]+ ' /tmp/vx-meson-test.log || cat /tmp/vx-meson-test.log
	ok=$(jq -s '[.[] | select(.result=="OK" or .result=="EXPECTEDFAIL")] | length' \
		build/meson-logs/testlog.json 2>/dev/null || echo 0)
	bad=$(jq -s '[.[] | select(.result!="OK" and .result!="EXPECTEDFAIL" and .result!="SKIP")] | length' \
		build/meson-logs/testlog.json 2>/dev/null || echo 1)
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -ne 0 ]; then
		failures+=("meson test: $bad suite(s), see build/meson-logs/testlog.txt")
		sed -n '/^=* [0-9]*\/[0-9]* =*$/,$p' build/meson-logs/testlog.txt | grep -B2 -A30 -E 'FAIL|ERROR' | head -150
	fi
fi

if [ $run_san -eq 1 ]; then
	for kind in asan tsan; do
		echo "== cmocka suites under a sanitizer (scripts/sanitize.sh $kind)"
		start=$(date +%s)
		timeout --kill-after=10 1800 scripts/sanitize.sh $kind >/tmp/vx-sanitize-$kind.log 2>&1
		rc=$?
		dur=$(($(date +%s) - start))
		grep -E '^ *[0-9]+/[0-9]+ ' /tmp/vx-sanitize-$kind.log
		if [ $rc -eq 0 ]; then
			passed=$((passed + 1))
			echo "PASS sanitize-$kind (${dur}s)"
		else
			failed=$((failed + 1))
			failures+=("sanitize-$kind (rc $rc), see /tmp/vx-sanitize-$kind.log")
			echo "FAIL sanitize-$kind (rc $rc, ${dur}s):"
			tail -60 /tmp/vx-sanitize-$kind.log | sed 's/^/    /'
		fi
	done
fi

if [ $run_int -eq 1 ]; then
	echo "== integration labs (tests/integration; pending/ ones are not run)"
	for t in tests/integration/[0-9]*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		if [ ${#int_only[@]} -gt 0 ] && ! printf '%s\n' "${int_only[@]}" | grep -qx -- "$name"; then
			continue
		fi
		mkdir -p build/it-logs
		log=$top/build/it-logs/$name.log
		start=$(date +%s)
		timeout --kill-after=10 300 bash "$t" >"$log" 2>&1
		rc=$?
		dur=$(($(date +%s) - start))
		if [ $rc -eq 0 ]; then
			passed=$((passed + 1))
			echo "PASS $name (${dur}s)"
		elif [ $rc -eq 77 ]; then
			echo "SKIP $name: $(grep -m1 '^SKIP' "$log")"
		else
			failed=$((failed + 1))
			failures+=("$name (rc $rc)")
			echo "FAIL $name (rc $rc, ${dur}s); last lines of $log:"
			tail -40 "$log" | sed 's/^/    /'
		fi
	done
fi

if [ $run_bench -eq 1 ] && [ -x scripts/bench.sh ]; then
	echo "== benchmark smoke (scripts/bench.sh --quick)"
	if timeout --kill-after=10 1200 scripts/bench.sh --quick >/tmp/vx-bench.log 2>&1; then
		passed=$((passed + 1))
		cat /tmp/vx-bench.log | tail -30
		echo "PASS bench-quick"
	else
		failed=$((failed + 1))
		failures+=("bench-quick")
		tail -40 /tmp/vx-bench.log | sed 's/^/    /'
		echo "FAIL bench-quick"
	fi
fi

if [ ${#failures[@]} -gt 0 ]; then
	echo "failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "vxswitch: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
