#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Install and the tools an operator types:
#   - one version everywhere: meson's project version is what vxswitch
#     --version, vxctl --version, the man pages and debian/changelog say;
#   - `meson install` with DESTDIR: vxswitch in sbin, vxctl (and vxfabric
#     when it is built) in bin, man pages, the unit, the tmpfiles.d entry,
#     /etc/default/vxswitch and a sample configuration that replays; a
#     second install keeps an edited configuration;
#   - `systemd-analyze verify` of the installed unit says nothing (run in a
#     mount namespace where the DESTDIR tree is the prefix, so its paths
#     exist), systemd-tmpfiles creates /run/vxswitch from the entry;
#   - vxctl's exit statuses (0, 1 a command failed, 2 no daemon) and, on a
#     terminal, the progress line of -b with its rate and time left.
. "$(dirname "$0")/lib.sh"
vxt_init i14

BUILD=$VXT_TOP/build
DEST=$VXT_TMP/dest
SOCK=/tmp/vxt_${VXT_ID}.sock

vxt_log "-- one version"
ver=$(meson introspect "$BUILD" --projectinfo | jq -r .version)
[ -n "$ver" ] && [ "$ver" != null ] || vxt_fail "no project version from meson introspect"
vxt_assert_eq "$("$VXT_BIN/vxswitch" --version | cut -d' ' -f1-2)" "vxswitch $ver" "vxswitch --version"
vxt_assert_eq "$("$VXT_BIN/vxctl" --version)" "vxctl $ver" "vxctl --version"
vxt_assert_eq "$(dpkg-parsechangelog -l "$VXT_TOP/debian/changelog" -S Version)" "$ver" \
	"debian/changelog's version"
for m in vxswitch vxctl; do
	grep -q "^\.TH .* \"vxswitch $ver\" " "$BUILD/docs/$m.8" || vxt_fail "$m.8: not version $ver"
done

vxt_log "-- meson install, DESTDIR=$DEST"
prefix=$(meson introspect "$BUILD" --buildoptions | jq -r '.[] | select(.name == "prefix") | .value')
DESTDIR=$DEST meson install -C "$BUILD" --no-rebuild >"$VXT_TMP/install.log" 2>&1 ||
	vxt_fail "meson install: $(tail -20 "$VXT_TMP/install.log")"
P=$DEST$prefix
# vxfabric is built only where libcurl, jansson and libmnl are (control/fabric/meson.build).
bins="sbin/vxswitch bin/vxctl"
[ -x "$BUILD/control/fabric/vxfabric" ] && bins+=" bin/vxfabric"
for f in $bins share/man/man8/vxswitch.8 share/man/man8/vxctl.8 \
	lib/systemd/system/vxswitch.service lib/tmpfiles.d/vxswitch.conf etc/default/vxswitch \
	etc/vxswitch/vxswitch.conf share/doc/vxswitch/operations.md \
	share/doc/vxswitch/grafana-vxswitch.json; do
	[ -e "$P/$f" ] || vxt_fail "meson install: no $prefix/$f"
done
for b in $bins; do
	[ -x "$P/$b" ] || vxt_fail "$prefix/$b: not executable"
done
[ ! -e "$P/sbin/vxfabric" ] || vxt_fail "meson install: vxfabric in sbin (it belongs in bin)"
vxt_log "  ok: binaries ($bins), man pages, unit, tmpfiles.d, defaults, sample configuration, docs"
jq -e '.panels | length > 0' "$P/share/doc/vxswitch/grafana-vxswitch.json" >/dev/null ||
	vxt_fail "the Grafana dashboard is not JSON with panels"
echo "# edited" >>"$P/etc/vxswitch/vxswitch.conf"
DESTDIR=$DEST meson install -C "$BUILD" --no-rebuild >"$VXT_TMP/install2.log" 2>&1 ||
	vxt_fail "meson install (again)"
grep -q '^# edited$' "$P/etc/vxswitch/vxswitch.conf" || vxt_fail "a second install replaced the configuration"
vxt_log "  ok: a second install keeps the edited configuration"
(
	set -e
	. "$P/etc/default/vxswitch"
	case "$VXSWITCH_EAL_OPTS" in *--file-prefix=vxswitch*) ;; *) exit 1 ;; esac
) || vxt_fail "/etc/default/vxswitch: no --file-prefix=vxswitch in VXSWITCH_EAL_OPTS"

vxt_log "-- systemd-analyze verify, systemd-tmpfiles"
unit=$prefix/lib/systemd/system/vxswitch.service
out=$(unshare -m sh -c "mount --bind '$P' '$prefix' && systemd-analyze verify '$unit'" 2>&1)
rc=$?
vxt_assert_eq "$rc:$out" "0:" "systemd-analyze verify (exit status and output)"
grep -q '^Type=notify$' "$P/lib/systemd/system/vxswitch.service" || vxt_fail "unit: not Type=notify"
grep -q "^ExecReload=$prefix/bin/vxctl .* reload$" "$P/lib/systemd/system/vxswitch.service" ||
	vxt_fail "unit: no ExecReload=vxctl ... reload"
mkdir -p "$VXT_TMP/root"
systemd-tmpfiles --create --root="$VXT_TMP/root" "$P/lib/tmpfiles.d/vxswitch.conf" ||
	vxt_fail "systemd-tmpfiles --create"
[ "$(stat -c %a "$VXT_TMP/root/run/vxswitch")" = 755 ] || vxt_fail "tmpfiles: no /run/vxswitch 0755"
vxt_log "  ok: systemd-tmpfiles creates /run/vxswitch"

vxt_log "-- the installed daemon with the sample configuration; vxctl's exit statuses"
"$VXT_BIN/vxctl" --socket "$SOCK" link show >/dev/null 2>&1
vxt_assert_eq "$?" 2 "vxctl with no daemon: exit status"
VXT_BG_OUT=$VXT_TMP/vxswitch.log vxt_bg - "$P/sbin/vxswitch" -l "$VXT_LCORES" --no-huge -m 512 \
	--no-pci --file-prefix="vxt_$VXT_ID" --vdev net_ring0 --vdev net_ring1 -- --socket "$SOCK" \
	--fdb-size 1048576 --config "$P/etc/vxswitch/vxswitch.conf"
n=0
until "$P/bin/vxctl" --socket "$SOCK" link show >/dev/null 2>&1; do
	kill -0 "$VXT_BG_PID" 2>/dev/null || vxt_fail "the installed vxswitch exited: $(cat "$VXT_TMP/vxswitch.log")"
	[ $n -lt 600 ] || vxt_fail "the installed vxswitch: no socket after 60 s"
	sleep 0.1
	n=$((n + 1))
done
ctl()
{
	vxt_timeout 60 "$P/bin/vxctl" --socket "$SOCK" "$@"
}
ctl link add vxlan10 type vxlan id 10 nolearning >/dev/null
vxt_assert_eq "$?" 0 "vxctl, a command that works: exit status"
ctl link add vxlan10 type vxlan id 10 >/dev/null 2>&1
vxt_assert_eq "$?" 1 "vxctl, a command that fails: exit status"
ctl link set dev net_ring0 master vxlan10 || vxt_fail "link set"

vxt_log "-- vxctl -b on a terminal: progress with rate and time left"
N=500000
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
	printf "fdb add 02:01:%02x:%02x:%02x:%02x dev net_ring0 master\n",
		int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' \
	>"$VXT_TMP/fdb.conf"
# script(1) gives vxctl a terminal; the daemon stopped for 1.5 s makes the batch last.
VXT_BG_OUT=$VXT_TMP/script.out vxt_bg - script -qfec \
	"'$P/bin/vxctl' --socket '$SOCK' -b '$VXT_TMP/fdb.conf'" /dev/null
BATCH=$VXT_BG_PID
n=0
until [ "$(ctl -j stats 2>/dev/null | jq '.[] | select(.ifname == "vxlan10") | .fdb_entries')" -gt 0 ] 2>/dev/null; do
	[ $n -lt 300 ] || vxt_fail "the batch did not start"
	sleep 0.05
	n=$((n + 1))
done
kill -STOP "${VXT_PIDS[0]}"
sleep 1.5
kill -CONT "${VXT_PIDS[0]}"
n=0
while kill -0 "$BATCH" 2>/dev/null && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
wait "$BATCH" || vxt_fail "vxctl -b under script: exit status $?"
prog=$(tr '\r' '\n' <"$VXT_TMP/script.out" | sed 's/\x1b\[K//g')
vxt_assert_grep "$prog" "^vxctl: $VXT_TMP/fdb.conf: [0-9]+ lines, [0-9]+ lines/s, [0-9]+%, [0-9]+ s left" \
	"progress line: lines, rate, share, time left"
vxt_assert_grep "$prog" "^vxctl: $VXT_TMP/fdb.conf: $N lines in [0-9.]+ s \([0-9]+ lines/s\)$" \
	"summary line"
got=$(ctl -j stats | jq '.[] | select(.ifname == "vxlan10") | .fdb_entries')
vxt_assert_eq "$got" "$N" "every line loaded"
echo "PASS 14-install"
