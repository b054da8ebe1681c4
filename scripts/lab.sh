#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Bring a lab topology up to explore by hand, or take it down. The topologies
# are those of the integration labs (tests/integration/lib.sh), prefix vxtl:
#
#   scripts/lab.sh up basic [4|6]   host A -- vxswitch x == kernel VTEP kb -- host B
#   scripts/lab.sh up three         vxswitch x and kernel VTEPs kv1, kv2 on an underlay
#                                   switch (ns vxtl-ul), hosts A, B, C; flood lists set
#   scripts/lab.sh down             remove everything (daemon included)
#   scripts/lab.sh status           namespaces and the switch's FDB
#
# Then e.g.: ip netns exec vxtl-ha ping 203.0.113.2
#            build/control/vxctl --socket /tmp/vxt_lx.sock fdb show
# VXT_IMPL=kernel makes the switch a kernel VTEP (namespace vxtl-x).
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/integration/lib.sh

pidfile=/tmp/vxt_l.pid
case "${1:-}" in
up)
	[ -f "$pidfile" ] && { echo "lab already up (scripts/lab.sh down first)" >&2; exit 1; }
	[ "$VXT_IMPL" = vxswitch ] && { scripts/deps.sh && scripts/build.sh >/dev/null || exit 1; }
	vxt_init l fixed
	case "${2:-basic}" in
	basic) vxt_topo_basic "${3:-4}" ;;
	three)
		vxt_topo_three
		vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2
		vxt_ctl x fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.3
		;;
	*) vxt_fail "unknown topology ${2}" ;;
	esac
	# Leave it up: no cleanup on this exit.
	trap - EXIT INT TERM
	echo "${VXT_SW_PID[x]:-none}" >"$pidfile"
	echo "lab up: namespaces $(ip netns list | awk '{print $1}' | grep '^vxtl-' | tr '\n' ' ')"
	[ "$VXT_IMPL" = vxswitch ] && echo "vxctl: $VXT_BIN/vxctl --socket $(vxt_sw_sock x)"
	rm -rf "$VXT_TMP"
	;;
down)
	VXT_ID=l
	if [ -f "$pidfile" ]; then
		p=$(cat "$pidfile")
		[ "$p" != none ] && { kill "$p" 2>/dev/null; sleep 1; kill -9 "$p" 2>/dev/null; }
		rm -f "$pidfile"
	fi
	vxt_sweep
	echo "lab down"
	;;
status)
	ip netns list | grep '^vxtl-' || echo "no lab up"
	VXT_ID=l
	if [ "$VXT_IMPL" = vxswitch ] && [ -S "$(vxt_sw_sock x)" ]; then
		"$VXT_BIN/vxctl" --socket "$(vxt_sw_sock x)" fdb show
	fi
	;;
*)
	sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
