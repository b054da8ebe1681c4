# SPDX-License-Identifier: BSD-3-Clause
#
# Shared helpers of the integration labs and the demo (sourced, not run).
#
# A lab is a set of network namespaces and veth pairs whose names all start
# with "vxt<ID>" (ID given to vxt_init), a few daemons and captures.  Every
# object is registered when created and removed by vxt_cleanup, which runs on
# EXIT, INT and TERM.  Every wait is bounded.
#
# A "switch" is a VTEP configured only with vxctl words.  By default it is a
# vxswitch daemon in the root namespace whose DPDK ports (net_af_packet0, 1,
# ...) are veth ends in the root namespace.  With VXT_IMPL=kernel the same
# switch is a namespace whose ports are veths renamed net_af_packet0, 1, ...
# and the vxctl words are run as the iproute2 commands they mirror: this
# proves the topology, captures and assertions against kernel vxlan on both
# sides, and shows that the words mean the same thing.
#
#   vxt_init ID                    prefix, temp dir, traps
#   vxt_ns NAME                    namespace vxt<ID>-NAME
#   vxt_link NS1 IF1 NS2 IF2       veth pair (NS "-" = root namespace)
#   vxt_host NAME IP/LEN [MAC] [MTU]       a host namespace with eth0
#   vxt_kvtep NAME                 a kernel VTEP namespace with bridge br0
#   vxt_sw_port SW IDX NS IF       switch port IDX, its peer IF in NS
#   vxt_sw_start SW [ARGS...]      start the switch (daemon args after --)
#   vxt_ctl SW WORDS...            run one vxctl line, fail on error
#   vxt_ping NS DST                wait until DST answers, then 5 pings
#   vxt_cap_start TAG NS IF FILTER / vxt_cap_stop TAG / vxt_cap_file TAG
#   vxt_fail MSG / vxt_assert_* ...

set -uo pipefail

VXT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VXT_BIN=${VXT_BIN:-$VXT_TOP/build/control}
VXT_IMPL=${VXT_IMPL:-vxswitch}
VXT_LCORES=${VXT_LCORES:-0,1}
# af_packet queue pairs: one tx queue per worker plus one for the control thread.
VXT_QPAIRS=${VXT_QPAIRS:-2}
VXT_VERBOSE=${VXT_VERBOSE:-1}
# EAL memory options of the switch (a lab that needs hugepages sets its own).
VXT_SW_MEM=${VXT_SW_MEM:---no-huge -m 512}

VXT_ID=
VXT_TMP=
VXT_NSS=()
VXT_LINKS=()
VXT_PIDS=()
declare -A VXT_CAP_PID=()
declare -A VXT_SW_PID=()
declare -A VXT_SW_PORTS=()
VXT_ON_EXIT=() # commands vxt_cleanup runs after the daemons are gone
VXT_FAILED=0
VXT_CLEANED=0
VXT_NLINK=0

vxt_log()
{
	[ "$VXT_VERBOSE" -ge 1 ] && echo "$@"
	return 0
}

vxt_fail()
{
	echo "FAIL: $*" >&2
	VXT_FAILED=1
	exit 1
}

vxt_skip()
{
	echo "SKIP: $*" >&2
	exit 77
}

# Run a command bounded in time (seconds), used for everything that could hang.
vxt_timeout()
{
	local t=$1
	shift
	timeout --kill-after=5 "$t" "$@"
}

# vxt_init BASE [fixed]: the prefix is vxt<BASE><3 hex digits of our pid>, so
# that two runs of one lab (two worktrees) never meet; "fixed" (demo, lab.sh)
# keeps vxt<BASE> and removes what an earlier run with it left.
vxt_init()
{
	if [ "${2:-}" = fixed ]; then
		VXT_ID=$1
	else
		VXT_ID=$1$(printf '%03x' $(($$ % 4096)))
	fi
	[ "$(id -u)" -eq 0 ] || vxt_skip "must run as root"
	for t in ip bridge ethtool tshark dumpcap jq timeout; do
		command -v $t >/dev/null || vxt_fail "missing tool $t (run scripts/deps.sh)"
	done
	if [ "$VXT_IMPL" = vxswitch ]; then
		[ -x "$VXT_BIN/vxswitch" ] && [ -x "$VXT_BIN/vxctl" ] ||
			vxt_fail "no $VXT_BIN/vxswitch or vxctl (run scripts/build.sh)"
	fi
	modprobe vxlan 2>/dev/null || true
	modprobe bridge 2>/dev/null || true
	modprobe 8021q 2>/dev/null || true
	VXT_TMP=$(mktemp -d /tmp/vxt$VXT_ID.XXXXXX)
	trap vxt_cleanup EXIT
	trap 'echo "interrupted" >&2; exit 130' INT
	trap 'echo "terminated" >&2; exit 143' TERM
	# Leftovers of an earlier run with the same prefix (killed with -9).
	[ "${2:-}" = fixed ] && vxt_sweep
	vxt_log "== lab vxt$VXT_ID ($VXT_IMPL), files in $VXT_TMP"
}

# Remove every namespace and root veth of this prefix (earlier runs included).
vxt_sweep()
{
	local n l
	for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^vxt$VXT_ID-"); do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 |
		grep "^vxt$VXT_ID[a-z0-9]*$"); do
		ip link del "$l" 2>/dev/null
	done
	rm -f /tmp/vxt_"$VXT_ID"*.sock
	# EAL's runtime directories of the daemons (--file-prefix=vxt_<ID>...).
	rm -rf /var/run/dpdk/vxt_"$VXT_ID"*
}

vxt_cleanup()
{
	local rc=$?
	[ $VXT_CLEANED -eq 1 ] && return
	VXT_CLEANED=1
	# A second Ctrl-C must not cut the cleanup short.
	trap - EXIT
	trap '' INT TERM
	[ $rc -ne 0 ] && VXT_FAILED=1
	local tag sw p
	for tag in "${!VXT_CAP_PID[@]}"; do
		kill -INT "${VXT_CAP_PID[$tag]}" 2>/dev/null
	done
	for sw in "${!VXT_SW_PID[@]}"; do
		# A failed lab keeps each switch's counters: what it dropped, and why.
		[ $VXT_FAILED -eq 1 ] && [ -n "$VXT_TMP" ] &&
			vxt_timeout 10 "$VXT_BIN/vxctl" --socket "$(vxt_sw_sock "$sw")" show drops 2>&1 |
			awk '$2 != 0' >"$VXT_TMP/drops-$sw.log"
		vxt_sw_stop "$sw"
	done
	for p in "${VXT_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
	for p in "${VXT_PIDS[@]}" "${VXT_CAP_PID[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	if [ $VXT_FAILED -eq 1 ] && [ -n "$VXT_TMP" ]; then
		for f in "$VXT_TMP"/*.log; do
			[ -s "$f" ] || continue
			echo "---- $(basename "$f") (last 40 lines)"
			tail -40 "$f"
		done
	fi
	for p in "${VXT_ON_EXIT[@]}"; do
		eval "$p"
	done
	for l in "${VXT_LINKS[@]}"; do
		ip link del "$l" 2>/dev/null
	done
	for n in "${VXT_NSS[@]}"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	vxt_sweep
	if [ -n "$VXT_TMP" ] && [ "${VXT_KEEP_TMP:-0}" != 1 ] && [ $VXT_FAILED -eq 0 ]; then
		rm -rf "$VXT_TMP"
	fi
	if [ $VXT_FAILED -eq 0 ]; then
		vxt_log "== lab vxt$VXT_ID: PASS"
	else
		echo "== lab vxt$VXT_ID: FAIL (logs kept in $VXT_TMP)"
	fi
	exit $rc
}

# Namespace name of a short name ("-" stays the root namespace).
vxt_nsname()
{
	if [ "$1" = - ]; then echo -; else echo "vxt$VXT_ID-$1"; fi
}

# Run in a namespace given by short name ("-" = root).
vxt_in()
{
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		"$@"
	else
		ip netns exec "vxt$VXT_ID-$ns" "$@"
	fi
}

# Start a command in the background in a namespace; VXT_BG_PID is its pid
# (the command's own: ip netns exec execs it), killed at cleanup.
# Output: VXT_BG_OUT (default /dev/null).
vxt_bg()
{
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		"$@" </dev/null >"${VXT_BG_OUT:-/dev/null}" 2>&1 &
	else
		ip netns exec "vxt$VXT_ID-$ns" "$@" </dev/null >"${VXT_BG_OUT:-/dev/null}" 2>&1 &
	fi
	VXT_BG_PID=$!
	VXT_PIDS+=("$VXT_BG_PID")
}

vxt_ns()
{
	local n
	n=$(vxt_nsname "$1")
	ip netns add "$n" || vxt_fail "cannot create namespace $n"
	VXT_NSS+=("$n")
	ip -n "$n" link set lo up
	# No DAD, and no router solicitations: a host's own RS would cross
	# the overlay at random moments and show in the labs' captures.
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.forwarding=0 \
		net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 >/dev/null
}

# Prepare one interface: up, no tx checksum offload (veth leaves partial
# checksums that af_packet and the peer would see as bad), MTU.
vxt_ifprep()
{
	local ns=$1 ifn=$2 mtu=${3:-}
	vxt_in "$ns" ethtool -K "$ifn" tx off >/dev/null 2>&1 ||
		vxt_fail "ethtool -K $ifn tx off failed"
	[ -n "$mtu" ] && vxt_in "$ns" ip link set "$ifn" mtu "$mtu"
	vxt_in "$ns" ip link set "$ifn" up
}

# veth pair between NS1/IF1 and NS2/IF2; ns "-" is the root namespace.
# Root-namespace ends must be named vxt<ID>... (they are deleted by name).
vxt_link()
{
	local ns1=$1 if1=$2 ns2=$3 if2=$4 mtu=${5:-}
	VXT_NLINK=$((VXT_NLINK + 1))
	local t1=vxt${VXT_ID}t${VXT_NLINK}a t2=vxt${VXT_ID}t${VXT_NLINK}b
	ip link add "$t1" type veth peer name "$t2" || vxt_fail "cannot create veth $t1"
	VXT_LINKS+=("$t1")
	local ns ifn t
	for side in 1 2; do
		if [ $side = 1 ]; then ns=$ns1 ifn=$if1 t=$t1; else ns=$ns2 ifn=$if2 t=$t2; fi
		if [ "$ns" = - ]; then
			case "$ifn" in vxt"$VXT_ID"*) ;; *) vxt_fail "root veth $ifn must start with vxt$VXT_ID" ;; esac
			ip link set "$t" name "$ifn" || vxt_fail "cannot rename $t to $ifn"
			VXT_LINKS+=("$ifn")
			sysctl -qw "net.ipv6.conf.$ifn.disable_ipv6=1" >/dev/null
		else
			ip link set "$t" netns "$(vxt_nsname "$ns")" || vxt_fail "cannot move $t to $ns"
			vxt_in "$ns" ip link set "$t" name "$ifn" || vxt_fail "cannot rename $t to $ifn"
			# Switch ports: as quiet as a DPDK port.
			case "$ifn" in net_af_packet* | vxt"$VXT_ID"*) vxt_noip6 "$ns" "$ifn" ;; esac
		fi
		vxt_ifprep "$ns" "$ifn" "$mtu"
	done
}

# Host namespace NAME with eth0 (the peer is linked later) and addresses.
# vxt_host NAME ADDR [MAC] [MTU]; ADDR may be a space-separated list.
vxt_host()
{
	local name=$1 addrs=$2 mac=${3:-} mtu=${4:-1450}
	vxt_ns "$name"
	VXT_HOST_ADDRS[$name]=$addrs
	VXT_HOST_MAC[$name]=$mac
	VXT_HOST_MTU[$name]=$mtu
}
declare -A VXT_HOST_ADDRS=() VXT_HOST_MAC=() VXT_HOST_MTU=()

# Called once the host's eth0 exists (after vxt_link).
vxt_host_up()
{
	local name=$1 a
	[ -n "${VXT_HOST_MAC[$name]}" ] && vxt_in "$name" ip link set eth0 address "${VXT_HOST_MAC[$name]}"
	vxt_in "$name" ip link set eth0 mtu "${VXT_HOST_MTU[$name]}"
	for a in ${VXT_HOST_ADDRS[$name]}; do
		vxt_in "$name" ip addr add "$a" dev eth0 nodad 2>/dev/null ||
			vxt_in "$name" ip addr add "$a" dev eth0 || vxt_fail "addr $a on $name"
	done
	vxt_in "$name" ip link set eth0 up
}

vxt_mac()
{
	vxt_in "$1" cat "/sys/class/net/$2/address"
}

# ---------------------------------------------------------------- kernel VTEP

# Print and run an iproute2 command in a namespace.
vxt_k()
{
	local ns=$1
	shift
	[ "${VXT_QUIET_K:-0}" = 1 ] || vxt_log "  [$ns] $*"
	vxt_in "$ns" "$@" || vxt_fail "[$ns] $* failed"
}

# No IPv6 (router solicitations, MLD) from bridge and vxlan devices: the
# overlay must only carry the hosts' frames.
vxt_noip6()
{
	local ns=$1 d
	shift
	for d in "$@"; do
		vxt_in "$ns" sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1" >/dev/null 2>&1
	done
	return 0
}

# Kernel VTEP namespace with a bridge br0 (vxlan devices and host ports go in it).
vxt_kvtep()
{
	local name=$1
	vxt_ns "$name"
	vxt_in "$name" ip link add br0 type bridge mcast_snooping 0 || vxt_fail "bridge in $name"
	vxt_noip6 "$name" br0
	vxt_in "$name" ip link set br0 up
}

# vxt_kvxlan NS DEV BRIDGE WORDS...: ip link add DEV type vxlan WORDS, into BRIDGE.
vxt_kvxlan()
{
	local ns=$1 dev=$2 br=$3
	shift 3
	local ipv=
	case "$*" in *local\ *:*) ipv=-6 ;; esac
	vxt_k "$ns" ip $ipv link add "$dev" type vxlan "$@"
	if ! vxt_in "$ns" ip link show "$br" >/dev/null 2>&1; then
		vxt_in "$ns" ip link add "$br" type bridge mcast_snooping 0
		vxt_in "$ns" ip link set "$br" up
	fi
	vxt_noip6 "$ns" "$dev" "$br"
	vxt_in "$ns" ip link set "$dev" master "$br"
	vxt_in "$ns" ip link set "$dev" up
}

# Attach host NAME to a kernel VTEP NS bridge BR through a veth (eth0 in the host).
vxt_khost_attach()
{
	local host=$1 ns=$2 br=${3:-br0} port=${4:-h$1}
	vxt_link "$host" eth0 "$ns" "$port"
	vxt_in "$ns" ip link set "$port" master "$br"
	vxt_host_up "$host"
}

# ---------------------------------------------------------------- switch (vxswitch)

vxt_sw_ifname()
{
	echo "vxt${VXT_ID}$1$2"
}

# Port IDX of switch SW, its peer interface IF in namespace NS (which may be
# a kernel VTEP, a host, or "-" for another root interface given in full).
# Every switch has a network namespace of its own, named after it, that
# holds its ports: in kernel mode the switch is that namespace; a vxswitch
# daemon runs inside it (two af_packet daemons in one namespace can collide
# on the PACKET_FANOUT group id, which DPDK 22.11 derives from the pid and
# the ifindex; fanout groups are per namespace).
vxt_sw_port()
{
	local sw=$1 idx=$2 ns=$3 ifn=$4
	vxt_in "$sw" true 2>/dev/null || vxt_ns "$sw"
	vxt_link "$sw" "$(vxt_sw_portname "$sw" "$idx")" "$ns" "$ifn"
	VXT_SW_PORTS[$sw]="${VXT_SW_PORTS[$sw]:-} $idx"
}

# The interface of port IDX of switch SW, in the switch's namespace.
vxt_sw_portname()
{
	if [ "$VXT_IMPL" = kernel ]; then
		echo "net_af_packet$2"
	else
		vxt_sw_ifname "$1" "$2"
	fi
}

# Two switches back to back: port IDX1 of SW1 to port IDX2 of SW2.
vxt_sw_port_pair()
{
	local sw1=$1 idx1=$2 sw2=$3 idx2=$4
	vxt_in "$sw1" true 2>/dev/null || vxt_ns "$sw1"
	vxt_in "$sw2" true 2>/dev/null || vxt_ns "$sw2"
	vxt_link "$sw1" "$(vxt_sw_portname "$sw1" "$idx1")" "$sw2" "$(vxt_sw_portname "$sw2" "$idx2")"
	VXT_SW_PORTS[$sw1]="${VXT_SW_PORTS[$sw1]:-} $idx1"
	VXT_SW_PORTS[$sw2]="${VXT_SW_PORTS[$sw2]:-} $idx2"
}

vxt_sw_sock()
{
	echo "/tmp/vxt_${VXT_ID}$1.sock"
}

# Start switch SW with its registered ports; extra arguments (and the words
# of $VXT_SW_ARGS) go after "--".
vxt_sw_start()
{
	local sw=$1
	shift
	[ "$VXT_IMPL" = kernel ] && return 0
	local sock log i args=() lc=(-l "$VXT_LCORES")
	# A mapping such as 0@0,1@1,2@0 (more lcores than cores) needs --lcores.
	[[ $VXT_LCORES == *@* ]] && lc=(--lcores "$VXT_LCORES")
	sock=$(vxt_sw_sock "$sw")
	log=$VXT_TMP/vxswitch-$sw.log
	rm -f "$sock"
	for i in $(echo "${VXT_SW_PORTS[$sw]}" | tr ' ' '\n' | sort -n); do
		args+=(--vdev "net_af_packet$i,iface=$(vxt_sw_ifname "$sw" "$i"),qpairs=$VXT_QPAIRS")
	done
	vxt_log "  [$sw] vxswitch ${lc[*]} $VXT_SW_MEM --no-pci --file-prefix=vxt_$VXT_ID$sw ${args[*]} -- --socket $sock --foreground $* ${VXT_SW_ARGS:-}"
	# shellcheck disable=SC2086 # VXT_SW_MEM, VXT_SW_ARGS: words
	ip netns exec "$(vxt_nsname "$sw")" "$VXT_BIN/vxswitch" "${lc[@]}" $VXT_SW_MEM --no-pci \
		--file-prefix="vxt_$VXT_ID$sw" "${args[@]}" -- --socket "$sock" --foreground "$@" ${VXT_SW_ARGS:-} \
		</dev/null >"$log" 2>&1 &
	VXT_SW_PID[$sw]=$!
	local n=0
	# Up to 60 s: on a loaded 2-core machine EAL start-up alone can take 20.
	while [ $n -lt 600 ]; do
		kill -0 "${VXT_SW_PID[$sw]}" 2>/dev/null || {
			unset "VXT_SW_PID[$sw]"
			vxt_fail "vxswitch $sw exited at start (see $log)"
		}
		[ -S "$sock" ] && "$VXT_BIN/vxctl" --socket "$sock" fdb show >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n + 1))
	done
	vxt_fail "vxswitch $sw: socket $sock not answering after 60 s"
}

vxt_sw_stop()
{
	local sw=$1 pid=${VXT_SW_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	local n=0
	while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "VXT_SW_PID[$sw]"
	rm -f "$(vxt_sw_sock "$sw")"
}

# The iproute2 command a vxctl line mirrors (what a kernel VTEP would run).
vxt_mirror()
{
	local w=("$@") j=
	[ "${w[0]}" = -j ] && { j="-j "; w=("${w[@]:1}"); }
	case "${w[0]}" in
	fdb) echo "bridge $j${w[*]}" ;;
	stats) echo "ip ${j}-s link show" ;;
	show) echo "ip ${j}-s link show" ;;
	*) echo "ip $j${w[*]}" ;;
	esac
}

# Run vxctl words on switch SW (kernel mode: the iproute2 equivalent).
# Prints the line (and, with VXT_MIRROR=1, the kernel line beside it).
# Output goes to stdout; a non-zero exit fails the lab.
vxt_ctl_try()
{
	local sw=$1
	shift
	if [ "$VXT_IMPL" = kernel ]; then
		vxt_kctl "$sw" "$@"
	else
		vxt_timeout 30 "$VXT_BIN/vxctl" --socket "$(vxt_sw_sock "$sw")" "$@"
	fi
}

vxt_ctl()
{
	local sw=$1
	shift
	if [ "${VXT_MIRROR:-0}" = 1 ]; then
		printf '  %-78s # %s\n' "vxctl $*" "$(vxt_mirror "$@")"
	else
		vxt_log "  [$sw] vxctl $*"
	fi
	vxt_ctl_try "$sw" "$@" || vxt_fail "[$sw] vxctl $* failed"
}

# Kernel rendering of the vxctl words (VXT_IMPL=kernel).
vxt_kctl()
{
	local sw=$1
	shift
	local j=()
	[ "$1" = -j ] && { j=(-j); shift; }
	case "$1 $2" in
	"link add")
		# link add NAME type vxlan ...: the device plus a bridge br-NAME,
		# since in the kernel the access ports join a bridge, not the vxlan.
		local name=$3 ipv=
		case "$*" in *local\ *:*) ipv=-6 ;; esac
		vxt_in "$sw" ip $ipv link add "${@:3}" || return 1
		vxt_in "$sw" ip link add "br-$name" type bridge mcast_snooping 0 || return 1
		vxt_noip6 "$sw" "$name" "br-$name"
		vxt_in "$sw" ip link set "$name" master "br-$name" &&
			vxt_in "$sw" ip link set "$name" up &&
			vxt_in "$sw" ip link set "br-$name" up
		;;
	"link set")
		# link set dev PORT master LINK [vlan VID]
		local port=$4 master=$6 vid=${8:-}
		[ "$3" = dev ] && [ "$5" = master ] || { vxt_in "$sw" ip "${@}"; return; }
		if [ -n "$vid" ]; then
			local sub=${port/net_af_packet/nap}.$vid
			vxt_in "$sw" ip link add link "$port" name "$sub" type vlan id "$vid" || return 1
			vxt_in "$sw" ip link set "$sub" up
			port=$sub
		fi
		vxt_in "$sw" ip link set "$port" master "br-$master"
		;;
	"fdb "*) vxt_in "$sw" bridge "${j[@]}" "$@" ;;
	"stats "* | "show "*) vxt_in "$sw" ip "${j[@]}" -s link show ;;
	"addr add")
		case "$3" in
		*:*)
			vxt_in "$sw" sysctl -qw "net.ipv6.conf.$5.disable_ipv6=0"
			vxt_in "$sw" ip "${j[@]}" "$@" nodad
			;;
		*) vxt_in "$sw" ip "${j[@]}" "$@" ;;
		esac
		;;
	*) vxt_in "$sw" ip "${j[@]}" "$@" ;;
	esac
}

# The forwarding database of switch SW (bridge fdb show format).
vxt_sw_fdb()
{
	local sw=$1
	shift
	vxt_ctl_try "$sw" fdb show "$@"
}

# ---------------------------------------------------------------- traffic

# Wait (bounded) until NS reaches DST, then 5 pings that must all answer.
# vxt_ping NS DST [WAIT_S] [extra ping args]
vxt_ping()
{
	local ns=$1 dst=$2 wait=${3:-30}
	shift 3 2>/dev/null || shift $#
	local end=$((SECONDS + wait)) ok=0
	while [ $SECONDS -lt $end ]; do
		if vxt_in "$ns" ping -n -q -c 1 -W 1 "$@" "$dst" >/dev/null 2>&1; then
			ok=1
			break
		fi
	done
	[ $ok -eq 1 ] || vxt_fail "ping $ns -> $dst: no answer within ${wait}s"
	local out rx
	out=$(vxt_in "$ns" timeout 40 ping -n -q -c 5 -i 0.2 -W 5 "$@" "$dst" 2>&1)
	rx=$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${rx:-0}" -eq 5 ] || vxt_fail "ping $ns -> $dst: ${rx:-0}/5 answered: $out"
	vxt_log "  ping $ns -> $dst: 5/5"
}

# A ping that must NOT be answered: vxt_noping NS DST [ping args].
vxt_noping()
{
	local ns=$1 dst=$2
	shift 2
	if vxt_in "$ns" timeout 10 ping -n -q -c 3 -i 0.3 -W 1 "$@" "$dst" >/dev/null 2>&1; then
		vxt_fail "ping $ns -> $dst $* answered but must not"
	fi
	vxt_log "  ping $ns -> $dst $*: refused/unanswered, as expected"
}

# Send one UDP datagram from NS to DST:PORT from a fresh source port.
vxt_udp()
{
	local ns=$1 dst=$2 port=$3
	vxt_in "$ns" timeout 5 bash -c "echo vxt > /dev/udp/$dst/$port" 2>/dev/null || true
}

# Run a scapy snippet in NS with Debian's python (scapy.all imported).
vxt_scapy()
{
	local ns=$1
	shift
	vxt_in "$ns" timeout 60 /usr/bin/python3 -c "from scapy.all import *
conf.verb = 0
$*" || vxt_fail "scapy in $ns failed"
}

# ---------------------------------------------------------------- captures

# vxt_cap_start TAG NS IFACE FILTER: dumpcap (one process, unlike tshark) writing $VXT_TMP/TAG.pcapng.
vxt_cap_start()
{
	local tag=$1 ns=$2 ifn=$3 filter=$4
	local f=$VXT_TMP/$tag.pcapng e=$VXT_TMP/$tag.cap.log
	rm -f "$f"
	VXT_BG_OUT=$e vxt_bg "$ns" dumpcap -q -n -i "$ifn" -f "$filter" -w "$f"
	VXT_CAP_PID[$tag]=$VXT_BG_PID
	local n=0
	while [ $n -lt 150 ]; do
		grep -q "Capturing on" "$e" 2>/dev/null && [ -e "$f" ] && return 0
		kill -0 "${VXT_CAP_PID[$tag]}" 2>/dev/null || vxt_fail "tshark $tag died: $(cat "$e")"
		sleep 0.1
		n=$((n + 1))
	done
	vxt_fail "tshark $tag did not start within 15 s"
}

vxt_cap_stop()
{
	local tag=$1 pid=${VXT_CAP_PID[$1]:-}
	[ -n "$pid" ] || return 0
	sleep 0.5
	kill -INT "$pid" 2>/dev/null
	local n=0
	while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "VXT_CAP_PID[$tag]"
}

vxt_cap_file()
{
	echo "$VXT_TMP/$1.pcapng"
}

# Count the packets of capture TAG that match display filter DFILTER.
vxt_cap_count()
{
	local tag=$1 dfilter=$2
	timeout 60 tshark -n -r "$(vxt_cap_file "$tag")" -Y "$dfilter" 2>/dev/null | wc -l
}

# Fields of capture TAG: vxt_cap_fields TAG DFILTER FIELD...
vxt_cap_fields()
{
	local tag=$1 dfilter=$2
	shift 2
	local a=()
	for f in "$@"; do a+=(-e "$f"); done
	timeout 60 tshark -n -r "$(vxt_cap_file "$tag")" -Y "$dfilter" -T fields -E occurrence=f "${a[@]}" \
		-E separator=' ' 2>/dev/null
}

# ---------------------------------------------------------------- assertions

vxt_assert_eq()
{
	[ "$1" = "$2" ] || vxt_fail "$3: got '$1', expected '$2'"
	vxt_log "  ok: $3 = $1"
}

vxt_assert_ge()
{
	[ "$1" -ge "$2" ] || vxt_fail "$3: got $1, expected at least $2"
	vxt_log "  ok: $3 = $1 (>= $2)"
}

# vxt_assert_grep TEXT REGEX WHAT
vxt_assert_grep()
{
	echo "$1" | grep -Eqi -- "$2" || vxt_fail "$3: no line matching /$2/ in:
$1"
	vxt_log "  ok: $3"
}

vxt_assert_nogrep()
{
	if echo "$1" | grep -Eqi -- "$2"; then
		vxt_fail "$3: unexpected line matching /$2/ in:
$1"
	fi
	vxt_log "  ok: $3"
}

# rx packet counter of an interface.
vxt_rx_packets()
{
	vxt_in "$1" cat "/sys/class/net/$2/statistics/rx_packets"
}

# ---------------------------------------------------------------- topologies

VXT_MAC_A=02:00:00:00:00:0a
VXT_MAC_B=02:00:00:00:00:0b
VXT_MAC_C=02:00:00:00:00:0c

# Underlay addressing of family 4 or 6: vxt_ul FAMILY N -> address of VTEP N.
vxt_ul()
{
	if [ "$1" = 6 ]; then echo "2001:db8:1::$2"; else echo "198.51.100.$2"; fi
}

vxt_ul_len()
{
	if [ "$1" = 6 ]; then echo 64; else echo 24; fi
}

# Overlay MTU of the hosts for an underlay family (1500 - 50 or - 70).
vxt_ovl_mtu()
{
	if [ "$1" = 6 ]; then echo 1430; else echo 1450; fi
}

# The basic lab, for underlay family FAM (4 or 6):
#   host A (ns ha, 203.0.113.1) -- net_af_packet0 [switch x] net_af_packet1 --
#   -- eth0 [kernel VTEP ns kb, vxlan10 + br0] -- host B (ns hb, 203.0.113.2)
# x is 198.51.100.1 (2001:db8:1::1), kb is .2 (::2); VNI 10, dstport 4789.
# Extra words for the switch's link add come from VXT_SW_LINK_EXTRA.
vxt_topo_basic()
{
	local fam=$1 mtu
	mtu=$(vxt_ovl_mtu "$fam")
	local l=$(vxt_ul "$fam" 1) r=$(vxt_ul "$fam" 2) len=$(vxt_ul_len "$fam")
	vxt_host ha 203.0.113.1/24 $VXT_MAC_A "$mtu"
	vxt_host hb 203.0.113.2/24 $VXT_MAC_B "$mtu"
	vxt_kvtep kb
	vxt_sw_port x 0 ha eth0
	vxt_host_up ha
	vxt_sw_port x 1 kb eth0
	vxt_log "-- kernel VTEP kb"
	vxt_k kb ip addr add "$r/$len" dev eth0 $([ "$fam" = 6 ] && echo nodad)
	vxt_kvxlan kb vxlan10 br0 id 10 dstport 4789 local "$r" remote "$l" dev eth0
	vxt_khost_attach hb kb br0
	vxt_log "-- switch x ($VXT_IMPL)"
	vxt_sw_start x
	vxt_ctl x addr add "$l/$len" dev net_af_packet1
	# shellcheck disable=SC2086
	vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local "$l" remote "$r" \
		dev net_af_packet1 ${VXT_SW_LINK_EXTRA:-}
	vxt_ctl x link set dev net_af_packet0 master vxlan10
}

# An underlay switch: namespace ul with bridge br0 (no STP, no delay).
vxt_ulswitch()
{
	vxt_ns ul
	vxt_in ul ip link add br0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0 ||
		vxt_fail "underlay bridge"
	vxt_noip6 ul br0
	vxt_in ul ip link set br0 up
}

# Enslave ul's IF to the underlay bridge.
vxt_ul_join()
{
	vxt_in ul ip link set "$1" master br0 || vxt_fail "ul: $1 master br0"
}

# Kernel VTEP NAME on the underlay switch (its port in ul is "p<NAME>"),
# address UL, vxlan10 in br0 with no remote (flood list added by the caller).
vxt_kvtep_ul()
{
	local name=$1 addr=$2
	vxt_kvtep "$name"
	vxt_link "$name" eth0 ul "p$name"
	vxt_ul_join "p$name"
	vxt_k "$name" ip addr add "$addr/24" dev eth0
	vxt_kvxlan "$name" vxlan10 br0 id 10 dstport 4789 local "$addr" dev eth0
}

# Three VTEPs on one IPv4 underlay switch:
#   switch x (198.51.100.1): host A (203.0.113.1) on net_af_packet0,
#       net_af_packet1 on the underlay (port px in ul)
#   kernel kv1 (198.51.100.2): host B (203.0.113.2)
#   kernel kv2 (198.51.100.3): host C (203.0.113.3)
# Each kernel VTEP floods to the two others; the switch's link and flood
# list are left to the caller (VXT_SW_LINK_EXTRA words, then vxctl).
# Set VXT_NO_HOST_B=1 to leave host B out (the caller attaches it).
vxt_topo_three()
{
	vxt_ulswitch
	vxt_host ha 203.0.113.1/24 $VXT_MAC_A 1450
	[ "${VXT_NO_HOST_B:-0}" = 1 ] || vxt_host hb 203.0.113.2/24 $VXT_MAC_B 1450
	vxt_host hc 203.0.113.3/24 $VXT_MAC_C 1450
	vxt_sw_port x 0 ha eth0
	vxt_host_up ha
	vxt_sw_port x 1 ul px
	vxt_ul_join px
	vxt_log "-- kernel VTEPs kv1, kv2"
	vxt_kvtep_ul kv1 198.51.100.2
	vxt_kvtep_ul kv2 198.51.100.3
	local v d
	for v in "kv1 1 3" "kv2 1 2"; do
		set -- $v
		for d in $2 $3; do
			vxt_k "$1" bridge fdb append 00:00:00:00:00:00 dev vxlan10 dst "198.51.100.$d"
		done
	done
	[ "${VXT_NO_HOST_B:-0}" = 1 ] || vxt_khost_attach hb kv1 br0
	vxt_khost_attach hc kv2 br0
	vxt_log "-- switch x ($VXT_IMPL)"
	vxt_sw_start x
	vxt_ctl x addr add 198.51.100.1/24 dev net_af_packet1
	# shellcheck disable=SC2086
	vxt_ctl x link add vxlan10 type vxlan id 10 dstport 4789 local 198.51.100.1 \
		dev net_af_packet1 ${VXT_SW_LINK_EXTRA:-}
	vxt_ctl x link set dev net_af_packet0 master vxlan10
}

# Counter NAME of `vxctl -j show drops` on switch SW (drops or events; 0 when absent).
vxt_drop_count()
{
	local n
	n=$(vxt_ctl_try "$1" -j show drops 2>/dev/null |
		jq -r --arg n "$2" '[(.drops // [])[], (.events // [])[]] | map(select(.name == $n)) | .[0].count // 0' 2>/dev/null)
	echo "${n:-0}"
}
