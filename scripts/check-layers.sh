#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The layers of the tree, checked on its #include lines: a file may include
# only headers of its own room and of the rooms below it.
#
#   include/            only include/
#   dataplane/          include/ and dataplane/ (never control/)
#   control/client/     client/ (no DPDK: vxctl and other clients link it)
#   control/lib/        lib/, client/proto.h, include/
#   control/underlay/   underlay/, lib/, include/
#   control/core/       core/, underlay/, lib/, include/
#   control/cli/        cli/, core/, underlay/, lib/, client/proto.h, include/
#   control/fabric/     fabric/, client/
#   control/*.c, *.h    the daemon and vxctl: anything below them
#
# Prints every include that goes up or sideways and exits 1 if there is one.
set -uo pipefail
cd "$(dirname "$0")/.."

# room -> extended regex of the quoted include paths it may use
allowed() {
	case "$1" in
	include) echo '^vx_[a-z0-9_]+\.h$' ;;
	dataplane) echo '^(vx_[a-z0-9_]+\.h|[a-z0-9_]+\.h)$' ;;
	control/client) echo '^client/' ;;
	control/lib) echo '^(lib/|client/proto\.h$|vx_[a-z0-9_]+\.h$)' ;;
	control/underlay) echo '^(underlay/|lib/|vx_[a-z0-9_]+\.h$)' ;;
	control/core) echo '^(core/|underlay/|lib/|vx_[a-z0-9_]+\.h$)' ;;
	control/cli) echo '^(cli/|core/|underlay/|lib/|client/proto\.h$|vx_[a-z0-9_]+\.h$)' ;;
	control/fabric) echo '^(fabric/|client/|vx_version\.h$)' ;;
	control) echo '^(cli/|core/|underlay/|lib/|client/|[a-z0-9_]+\.h$|vx_[a-z0-9_]+\.h$)' ;;
	*) echo '' ;;
	esac
}

bad=0
while IFS= read -r f; do
	dir=$(dirname "$f")
	case "$dir" in
	control/*/*) room=${dir%/*} ;;
	*) room=$dir ;;
	esac
	re=$(allowed "$room")
	[ -n "$re" ] || continue
	while IFS= read -r inc; do
		[ -n "$inc" ] || continue
		if ! [[ $inc =~ $re ]]; then
			echo "$f: #include \"$inc\" goes outside what $room may use"
			bad=1
		fi
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done < <(find include dataplane control -name '*.[ch]' | sort)

if [ $bad -ne 0 ]; then
	echo "check-layers: FAIL (see DESIGN.md 'Layout' and control/lib/ctl.h)"
	exit 1
fi
echo "check-layers: ok"
