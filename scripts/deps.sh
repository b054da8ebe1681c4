#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what vxswitch needs to build, test, run the demo and benchmark,
# from Debian 12 packages only. Does nothing when everything is present.
set -euo pipefail

PKGS=(dpdk dpdk-dev libdpdk-dev libbsd-dev libcmocka-dev libpcap-dev meson ninja-build
	pkg-config gcc tshark python3-scapy iperf3 iputils-ping ethtool iproute2 jq procps
	psmisc kmod gnuplot-nox
	# operations: sd_notify, /metrics, the service and package labs
	libsystemd-dev libmicrohttpd-dev systemd prometheus curl man-db dpkg-dev debhelper
	# the fabric agent (vxfabric) and its lab
	etcd-server etcd-client libcurl4-openssl-dev libjansson-dev libmnl-dev)
# Sanitizer builds (scripts/sanitize.sh): clang, its sanitizer runtimes, llvm-symbolizer.
PKGS+=(clang libclang-rt-14-dev llvm)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing ${missing[*]}; run as root to install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
