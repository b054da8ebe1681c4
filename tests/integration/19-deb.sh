#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The Debian package: `dpkg-buildpackage -us -uc -b` on a copy of the tree
# builds vxswitch_VERSION_ARCH.deb (one build) with vxswitch in /usr/sbin,
# vxctl and vxfabric in /usr/bin; its Depends name the package of every
# shared library the binaries link and no -dev package;
# `dpkg -i` installs it (unit, tmpfiles.d entry applied, configuration
# files as conffiles, service neither enabled nor started), the installed
# binaries report meson's version, the installed unit passes `systemd-analyze
# verify`, the installed daemon runs; `dpkg --purge` removes it all.
# A machine that already has a vxswitch package keeps it: the install part
# is left out there.
. "$(dirname "$0")/lib.sh"
vxt_init p19
command -v dpkg-buildpackage >/dev/null || vxt_fail "no dpkg-buildpackage (run scripts/deps.sh)"

ver=$(meson introspect "$VXT_TOP/build" --projectinfo | jq -r .version)
arch=$(dpkg --print-architecture)
SRC=$VXT_TMP/src/vxswitch
DEB=$VXT_TMP/src/vxswitch_${ver}_${arch}.deb
SOCK=/tmp/vxt_${VXT_ID}.sock

vxt_log "-- dpkg-buildpackage -us -uc -b (a copy of the tree)"
mkdir -p "$SRC"
if git -C "$VXT_TOP" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$VXT_TOP" ls-files -z --cached --others --exclude-standard |
		(cd "$VXT_TOP" && tar --null -T - -cf -) | tar -C "$SRC" -xf - ||
		vxt_fail "copy of the tree"
else
	tar -C "$VXT_TOP" --exclude='./build*' -cf - . | tar -C "$SRC" -xf - || vxt_fail "copy of the tree"
fi
(cd "$SRC" && DEB_BUILD_OPTIONS="parallel=$(nproc)" vxt_timeout 900 dpkg-buildpackage -us -uc -b) \
	>"$VXT_TMP/build.log" 2>&1 || vxt_fail "dpkg-buildpackage: $(tail -30 "$VXT_TMP/build.log")"
[ -f "$DEB" ] || vxt_fail "no $DEB: $(ls "$VXT_TMP/src")"
vxt_log "  ok: $(basename "$DEB")"

vxt_log "-- Depends: every linked library's package, no -dev package"
deps=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//')
vxt_log "  Depends: $(echo $deps)"
if echo "$deps" | grep -q -- '-dev$'; then
	vxt_fail "a -dev package in Depends: $deps"
fi
echo "$deps" | grep -qx librte-mempool-ring23 || vxt_fail "Depends lacks librte-mempool-ring23"
dpkg-deb -x "$DEB" "$VXT_TMP/x"
# vxfabric's libraries are in Build-Depends: the package always ships it, in bin beside vxctl.
bins="usr/sbin/vxswitch usr/bin/vxctl usr/bin/vxfabric"
[ ! -e "$VXT_TMP/x/usr/sbin/vxfabric" ] || vxt_fail "the package has vxfabric in /usr/sbin"
for b in $bins; do
	[ -x "$VXT_TMP/x/$b" ] || vxt_fail "the package's /$b: missing or not executable"
	# The libraries the binary itself names (DT_NEEDED), where the loader finds them.
	for so in $(readelf -d "$VXT_TMP/x/$b" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		# "so => /path (addr)", or the loader itself: "/path/so (addr)".
		lib=$(ldd "$VXT_TMP/x/$b" | awk -v so="$so" '$1 == so {print $3} $1 ~ "/" so "$" {print $1}')
		[ -n "$lib" ] || vxt_fail "$b: $so not found by the loader"
		real=$(readlink -f "$lib")
		pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null ||
			dpkg -S "${real#/usr}" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null)
		pkg=${pkg%%:*}
		[ -n "$pkg" ] || vxt_fail "$b links $lib, which no package holds"
		echo "$deps" | grep -qx "$pkg" || vxt_fail "$b links $so ($pkg), not in Depends"
	done
done
vxt_log "  ok: every library of vxswitch, vxctl and vxfabric is a dependency's"

if dpkg -s vxswitch >/dev/null 2>&1; then
	vxt_log "  a vxswitch package is installed here already: install, run and purge left out"
	echo "PASS 19-deb"
	exit 0
fi

vxt_log "-- dpkg -i"
VXT_ON_EXIT+=("dpkg --purge vxswitch >/dev/null 2>&1")
dpkg -i "$DEB" >"$VXT_TMP/install.log" 2>&1 || vxt_fail "dpkg -i: $(cat "$VXT_TMP/install.log")"
vxt_assert_eq "$(/usr/sbin/vxswitch --version | cut -d' ' -f1-2)" "vxswitch $ver" "installed vxswitch --version"
vxt_assert_eq "$(/usr/bin/vxctl --version)" "vxctl $ver" "installed vxctl --version"
vxt_assert_eq "$(/usr/bin/vxfabric --version)" "vxfabric $ver" "installed vxfabric --version"
out=$(systemd-analyze verify /lib/systemd/system/vxswitch.service 2>&1)
vxt_assert_eq "$?:$out" "0:" "systemd-analyze verify of the installed unit"
vxt_assert_eq "$(systemctl is-enabled vxswitch 2>/dev/null)" "disabled" "service installed, not enabled"
[ -d /run/vxswitch ] || vxt_fail "postinst: no /run/vxswitch (tmpfiles.d)"
conff=$(dpkg-query -W -f '${Conffiles}' vxswitch)
vxt_assert_grep "$conff" "^ /etc/vxswitch/vxswitch.conf " "conffile /etc/vxswitch/vxswitch.conf"
vxt_assert_grep "$conff" "^ /etc/default/vxswitch " "conffile /etc/default/vxswitch"
man -w vxswitch >/dev/null 2>&1 || vxt_fail "man vxswitch: not found"

vxt_log "-- the installed daemon runs"
VXT_BG_OUT=$VXT_TMP/vxswitch.log vxt_bg - /usr/sbin/vxswitch -l "$VXT_LCORES" --no-huge -m 512 \
	--no-pci --file-prefix="vxt_$VXT_ID" --vdev net_ring0 --vdev net_ring1 -- --socket "$SOCK" \
	--config /etc/vxswitch/vxswitch.conf
n=0
until /usr/bin/vxctl --socket "$SOCK" link show >/dev/null 2>&1; do
	kill -0 "$VXT_BG_PID" 2>/dev/null || vxt_fail "installed vxswitch exited: $(cat "$VXT_TMP/vxswitch.log")"
	[ $n -lt 600 ] || vxt_fail "installed vxswitch: no socket after 60 s"
	sleep 0.1
	n=$((n + 1))
done
/usr/bin/vxctl --socket "$SOCK" link add vxlan10 type vxlan id 10 || vxt_fail "installed vxctl link add"
kill -TERM "$VXT_BG_PID"
wait "$VXT_BG_PID" || vxt_fail "installed vxswitch: exit status $? after SIGTERM"
vxt_log "  ok: started with the packaged configuration, answered, stopped"

vxt_log "-- dpkg --purge"
dpkg --purge vxswitch >"$VXT_TMP/purge.log" 2>&1 || vxt_fail "dpkg --purge: $(cat "$VXT_TMP/purge.log")"
for f in /usr/sbin/vxswitch /usr/bin/vxctl /usr/bin/vxfabric /lib/systemd/system/vxswitch.service \
	/etc/vxswitch/vxswitch.conf /etc/default/vxswitch; do
	[ ! -e "$f" ] || vxt_fail "$f left after purge"
done
vxt_log "  ok: nothing left"
echo "PASS 19-deb"
