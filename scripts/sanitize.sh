#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build with a sanitizer (clang) and run the unit and EAL suites under it.
#
#   scripts/sanitize.sh asan    ASan + UBSan in build-asan (-Db_sanitize=address,undefined)
#   scripts/sanitize.sh tsan    ThreadSanitizer in build-tsan (-Db_sanitize=thread)
#
# Each build directory is configured once and rebuilt incrementally. Any
# report fails the run: UBSan aborts (-fno-sanitize-recover, meson.build),
# ASan and LeakSanitizer exit non-zero, TSan exits 66. tests/sanitize/
# tsan.supp holds the only suppression, for DPDK's code, with why.
# DPDK's libraries are not instrumented: what they synchronise
# inside themselves is invisible to TSan, so the grace-period waits are the
# inline ones (include/vx_rcu.h) and the TSan build compiles DPDK's inline
# ring code with its C11 memory model (meson.build); the readers of the
# concurrency tests are pthreads, joined, not EAL lcores.
# Last line: "sanitize KIND: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

kind=${1:-}
case "$kind" in
asan) dir=build-asan san=address,undefined ;;
tsan) dir=build-tsan san=thread ;;
*)
	echo "usage: scripts/sanitize.sh asan|tsan" >&2
	exit 2
	;;
esac

scripts/deps.sh || exit 1
if [ ! -f $dir/build.ninja ]; then
	CC=clang meson setup $dir -Db_sanitize=$san -Db_lundef=false >/dev/null || exit 1
fi
if ! ninja -C $dir >/tmp/vx-$kind-build.log 2>&1; then
	tail -30 /tmp/vx-$kind-build.log
	echo "sanitize $kind: 0 passed, 1 failed"
	exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="suppressions=$top/tests/sanitize/tsan.supp:second_deadlock_stack=1:history_size=4"
# TSan runs the suites several times slower: a larger timeout multiplier.
meson test -C $dir --suite unit --suite eal --num-processes 2 -t 4 --print-errorlogs \
	>/tmp/vx-$kind-test.log 2>&1
grep -E '^ *[0-9]+/[0-9]+ ' /tmp/vx-$kind-test.log
ok=$(jq -s '[.[] | select(.result=="OK")] | length' $dir/meson-logs/testlog.json 2>/dev/null || echo 0)
bad=$(jq -s '[.[] | select(.result!="OK" and .result!="SKIP")] | length' \
	$dir/meson-logs/testlog.json 2>/dev/null || echo 1)
if [ "$bad" -ne 0 ]; then
	grep -E -B2 -A30 'ERROR: AddressSanitizer|runtime error|WARNING: ThreadSanitizer|LeakSanitizer' \
		$dir/meson-logs/testlog.txt | head -120
fi
echo "sanitize $kind: $ok passed, $bad failed"
[ "$bad" -eq 0 ] && [ "$ok" -gt 0 ]
