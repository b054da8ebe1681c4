#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The vxswitch demo lab: a live VXLAN overlay between vxswitch and the Linux
# kernel's own vxlan, on one machine, without NIC or hugepages.
#
#   host A (ns vxtd-ha)                              host B (ns vxtd-hb)
#   203.0.113.1 eth0                                 203.0.113.2 eth0
#        |  veth                                          |  veth
#   net_af_packet0 [ vxswitch ] net_af_packet1 ---- eth0 [ kernel vxlan10 + br0 ]
#                  198.51.100.1     underlay veth        198.51.100.2  (ns vxtd-kb)
#
# vxswitch is configured only through vxctl, with the words of the kernel
# commands each line mirrors (printed beside it).  It pings A -> B and B -> A,
# shows both forwarding databases, decodes the underlay with tshark, and
# prints PASS or FAIL.
#
#   scripts/demo.sh          install what is missing, build, run, clean up
#   scripts/demo.sh --keep   leave the lab up afterwards (to explore it)
#   scripts/demo.sh --down   remove a lab left up by --keep
#
# VXT_IMPL=kernel runs the same lab with a kernel VTEP in place of vxswitch.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

keep=0
case "${1:-}" in
--keep) keep=1 ;;
--down)
	. "$top/tests/integration/lib.sh"
	VXT_ID=d
	if [ -f /tmp/vxt_d.pid ]; then
		kill "$(cat /tmp/vxt_d.pid)" 2>/dev/null
		sleep 1
		kill -9 "$(cat /tmp/vxt_d.pid)" 2>/dev/null
		rm -f /tmp/vxt_d.pid
	fi
	vxt_sweep
	echo "demo lab removed"
	exit 0
	;;
"") ;;
*)
	sed -n '2,/^set -uo/p' "$0" | sed -n 's/^# \{0,1\}//p' | head -24
	exit 2
	;;
esac

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (namespaces, veths, DPDK)" >&2; exit 1; }
scripts/deps.sh || exit 1
if [ "${VXT_IMPL:-vxswitch}" = vxswitch ]; then
	scripts/build.sh >/tmp/vxt-demo-build.log 2>&1 || {
		tail -30 /tmp/vxt-demo-build.log
		echo "demo: FAIL (build, see /tmp/vxt-demo-build.log)"
		exit 1
	}
fi

. "$top/tests/integration/lib.sh"
VXT_QUIET_K=1
vxt_init d fixed
if [ $keep -eq 1 ]; then
	# On success leave everything up; on failure or Ctrl-C clean up anyway.
	vxt_keep_exit()
	{
		local rc=$?
		if [ $rc -eq 0 ]; then
			trap - EXIT INT TERM
			[ -n "${VXT_SW_PID[x]:-}" ] && echo "${VXT_SW_PID[x]}" >/tmp/vxt_d.pid
			exit 0
		fi
		vxt_cleanup
	}
	trap vxt_keep_exit EXIT
fi

checks=()
bad=0
check()
{
	local what=$1
	shift
	if "$@"; then
		checks+=("PASS  $what")
	else
		checks+=("FAIL  $what")
		bad=$((bad + 1))
	fi
}

say()
{
	echo
	echo "### $*"
}

# Side by side: the vxctl line on vxswitch and the kernel line it mirrors.
pair()
{
	local kline=$1
	shift
	printf '  vxswitch$ vxctl %s\n' "$*"
	printf '  kernel  $ %s\n' "$kline"
	vxt_ctl_try x "$@" || vxt_fail "vxctl $* failed"
}

say "topology: host A -- vxswitch ==VXLAN 10 over 198.51.100.0/24== kernel vxlan -- host B"
vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1450
vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1450
vxt_kvtep kb
vxt_sw_port x 0 ha eth0
vxt_host_up ha
vxt_sw_port x 1 kb eth0
vxt_in kb ip addr add 198.51.100.2/24 dev eth0
vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0
vxt_khost_attach hb kb br0 eth1
if [ "$VXT_IMPL" = vxswitch ]; then
	echo "  starting vxswitch (no hugepages, two af_packet ports on veths):"
fi
vxt_sw_start x

say "configuration: vxswitch through vxctl, beside the kernel VTEP's own commands"
pair "ip addr add 198.51.100.2/24 dev eth0" \
	addr add 198.51.100.1/24 dev net_af_packet1
pair "ip link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.2 remote 198.51.100.1 dev eth0" \
	link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 remote 198.51.100.2 \
	dev net_af_packet1
pair "ip link add br0 type bridge; ip link set vxlan10 master br0; ip link set eth1 master br0" \
	link set dev net_af_packet0 master vxlan10
echo "  (the kernel's 'remote' is the all-zero flood entry, as 'bridge fdb append 00:00:00:00:00:00 dev vxlan10 dst IP' would add)"

vxt_cap_start ul kb eth0 "udp port 4789"

ping_ok()
{
	local ns=$1 dst=$2 end=$((SECONDS + 20)) out
	while [ $SECONDS -lt $end ]; do
		vxt_in "$ns" ping -n -q -c 1 -W 1 "$dst" >/dev/null 2>&1 && break
	done
	out=$(vxt_in "$ns" timeout 20 ping -n -c 4 -i 0.3 -W 2 "$dst" 2>&1)
	echo "$out" | sed 's/^/  /' | grep -E 'bytes from|packets|rtt'
	echo "$out" | grep -q ' 4 received'
}

say "ping host A -> host B (203.0.113.2), across vxswitch then kernel vxlan"
check "ping A -> B" ping_ok ha 203.0.113.2
say "ping host B -> host A (203.0.113.1), across kernel vxlan then vxswitch"
check "ping B -> A" ping_ok hb 203.0.113.1

say "a few more flows A -> B (UDP to ports 7001..7008, pings with other ids)"
for p in 1 2 3 4 5 6 7 8; do
	vxt_udp ha 203.0.113.2 $((7000 + p))
done
for i in 1 2 3; do
	vxt_in ha ping -n -q -c 1 -W 1 203.0.113.2 >/dev/null 2>&1
done
echo "  done"
vxt_cap_stop ul

say "forwarding databases"
fdb_x=$(vxt_sw_fdb x 2>&1)
fdb_k=$(vxt_in kb bridge fdb show 2>&1 | grep -E 'vxlan10|eth1' | grep -v permanent)
fdb_k0=$(vxt_in kb bridge fdb show dev vxlan10 | grep '^00:00')
{
	echo "vxswitch: vxctl fdb show"
	echo "$fdb_x"
} >"$VXT_TMP/fdb_x"
{
	echo "kernel: bridge fdb show"
	echo "$fdb_k"
	echo "$fdb_k0 dev vxlan10"
} >"$VXT_TMP/fdb_k"
paste "$VXT_TMP/fdb_x" "$VXT_TMP/fdb_k" | awk -F'\t' '{printf "  %-58s | %s\n", $1, $2}'
check "vxswitch learned host B ($VXT_MAC_B) behind 198.51.100.2" \
	grep -Eq "^$VXT_MAC_B dev vxlan10 dst 198\.51\.100\.2( |$)" "$VXT_TMP/fdb_x"
check "vxswitch learned host A ($VXT_MAC_A) on net_af_packet0" \
	grep -Eq "^$VXT_MAC_A dev net_af_packet0" "$VXT_TMP/fdb_x"
check "kernel learned host A ($VXT_MAC_A) behind 198.51.100.1" \
	grep -Eq "^$VXT_MAC_A dev vxlan10 dst 198\.51\.100\.1 " "$VXT_TMP/fdb_k"

say "underlay decode (tshark on the kernel VTEP's eth0): outer IP, UDP ports, VXLAN flags, VNI, inner frame"
cap=$(vxt_cap_file ul)
printf '  %-13s %-13s %6s %5s %-7s %4s  %s\n' "outer src" "outer dst" sport dport flags vni inner
decode()
{
	timeout 60 tshark -n -r "$cap" -Y "$1" -T fields -E occurrence=f -e ip.src -e ip.dst \
		-e udp.srcport -e udp.dstport -e vxlan.flags -e vxlan.vni -e _ws.col.Info 2>/dev/null |
		awk -F'\t' '{printf "  %-13s %-13s %6s %5s %-7s %4s  %s\n", $1, $2, $3, $4, $5, $6, substr($7, 1, 50)}'
}
decode "vxlan && !(udp.dstport>=7001 && udp.dstport<=7008) && !icmp.type==3 && !icmpv6" | head -10
echo "  ... (the UDP flows: one outer source port per inner flow)"
decode "vxlan && udp.dstport>=7001 && udp.dstport<=7008 && !icmp"
echo "  first VXLAN header sent by vxswitch, as tshark dissects it:"
timeout 60 tshark -n -r "$cap" -Y "vxlan && ip.src==198.51.100.1" -c 1 -O vxlan 2>/dev/null |
	sed -n '/^Virtual eXtensible/,/^[A-Z]/p' | grep -v '^Ethernet' | sed 's/^/    /'

out="vxlan && ip.src==198.51.100.1"
nx=$(vxt_cap_count ul "$out")
check "vxswitch sent VXLAN datagrams ($nx)" test "$nx" -gt 0
check "all to UDP port 4789, flags 0x08, VNI 10" \
	test "$(vxt_cap_count ul "$out && (udp.dstport!=4789 || vxlan.flags!=0x0800 || vxlan.vni!=10)")" = 0
ports=$(vxt_cap_fields ul "$out && udp.dstport>=7001 && udp.dstport<=7008" udp.srcport | sort -un)
np=$(echo "$ports" | grep -c .)
check "8 UDP flows got $np distinct outer source ports ($(echo $ports))" test "$np" -ge 4

say "summary"
printf '  %s\n' "${checks[@]}"
if [ $keep -eq 1 ] && [ $bad -eq 0 ]; then
	echo
	echo "  the lab stays up (--keep):"
	echo "    ip netns exec vxtd-ha ping 203.0.113.2"
	echo "    ip netns exec vxtd-kb bridge fdb show dev vxlan10"
	[ "$VXT_IMPL" = vxswitch ] && echo "    $VXT_BIN/vxctl --socket $(vxt_sw_sock x) fdb show"
	echo "    scripts/demo.sh --down   removes it"
fi
echo
if [ $bad -eq 0 ]; then
	echo "demo: PASS (${#checks[@]} checks)"
	exit 0
fi
echo "demo: FAIL ($bad of ${#checks[@]} checks failed)"
VXT_FAILED=1
exit 1
