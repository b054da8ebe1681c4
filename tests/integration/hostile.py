#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The hostile packet table of 26-hostile.sh (scapy; Debian's /usr/bin/python3).

    hostile.py CONFIG.json

CONFIG names the switch (vxctl, socket), the namespaces and interfaces
that send into its underlay port (the kernel VTEP kb) and its access port
(host A), the receivers behind it (host A for the overlay side, host B for
the access side) and the MACs and addresses of the lab.

Every row of the table sends K unwelcome frames through a real port, each
followed by one numbered good frame of the same direction, and checks the
switch's `vxctl -j show drops` before and after: the row's own counter
(a drop reason, or an event for frames that are forwarded as RFC 7348 or
Linux forward them) must have grown by exactly K, and, for a drop row, no
other drop reason by anything. A row whose reason the daemon does not know
is skipped and said so. Frames a row expects to be forwarded carry
numbers of their own flow. At the end every flow must have arrived whole
and in order (nothing lost, nothing twice), no source MAC or address of a
dropped frame may be in the FDB or the neighbour table, and the static
entries must be as configured.
"""

import ctypes
import json
import os
import socket
import struct
import subprocess
import sys
import time

from scapy.all import ARP, ICMP, IP, UDP, TCP, Dot1Q, Ether, ICMPv6EchoRequest, ICMPv6ND_NA
from scapy.all import ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPv6, Raw
from scapy.all import IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPOption_NOP
from scapy.all import Dot1AD, fragment, in6_getnsma, in6_getnsmac, inet_pton

MAGIC = b"VXTF"
CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

# Flows of numbered good frames: who sends them, who must get them.
F_UL = 0      # kb -> switch (VXLAN) -> host A
F_ACC = 1     # host A -> switch -> kb -> host B
F_UL_OK = 2   # unusual frames from the underlay that are forwarded (RFC 7348, Linux)
F_ACC_OK = 3  # unusual frames from the access side that are forwarded

BAD_OUI = "02:66:00"  # inner source MACs of dropped frames: never learned


def die(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


# ---------------------------------------------------------------- namespaces

libc = ctypes.CDLL("libc.so.6", use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            die("setns %s: %s" % (path, os.strerror(ctypes.get_errno())))
    finally:
        os.close(fd)


def packet_socket(ns, ifname, rx):
    """An AF_PACKET socket on ifname of namespace ns (the socket keeps its namespace)."""
    home = "/proc/self/ns/net"
    back = os.open(home, os.O_RDONLY)
    try:
        setns("/var/run/netns/" + ns)
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL) if rx else 0)
        s.bind((ifname, ETH_P_ALL if rx else 0))
    finally:
        if libc.setns(back, CLONE_NEWNET) != 0:
            die("setns back: %s" % os.strerror(ctypes.get_errno()))
        os.close(back)
    if rx:
        s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
        s.setblocking(False)
    return s


# ---------------------------------------------------------------- the switch

class Switch:
    def __init__(self, cfg):
        self.cmd = [cfg["vxctl"], "--socket", cfg["socket"]]

    def run(self, *words):
        r = subprocess.run(self.cmd + list(words), capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            die("vxctl %s: %s" % (" ".join(words), r.stderr.strip()))
        return r.stdout

    def counters(self):
        j = json.loads(self.run("-j", "show", "drops"))
        drops = {d["name"]: d["count"] for d in j["drops"]}
        events = {e["name"]: e["count"] for e in j["events"]}
        return drops, events


# ---------------------------------------------------------------- frames

def payload(flow, seq):
    return MAGIC + struct.pack("!HI", flow, seq) + bytes(22)


def inner(src, dst, flow=None, seq=0, ip_dst="203.0.113.250", tag=None):
    """An inner frame: IPv4/UDP to port 9 carrying (flow, seq), or filler."""
    data = payload(flow, seq) if flow is not None else bytes(32)
    l3 = IP(src="203.0.113.249", dst=ip_dst, flags="DF") / UDP(sport=20000 + (flow or 0),
                                                              dport=9) / Raw(data)
    e = Ether(src=src, dst=dst)
    return bytes(e / tag / l3) if tag is not None else bytes(e / l3)


def vxlan_hdr(vni, flags=0x08, rsv=(0, 0, 0), rsv2=0):
    return struct.pack("!BBBBI", flags, rsv[0], rsv[1], rsv[2], (vni << 8) | rsv2)


class Lab:
    def __init__(self, cfg):
        self.c = cfg
        self.sw = Switch(cfg)
        self.ul = packet_socket(cfg["ul_ns"], cfg["ul_if"], False)
        self.acc = packet_socket(cfg["acc_ns"], cfg["acc_if"], False)
        self.rx_a = packet_socket(cfg["rx_a_ns"], cfg["rx_a_if"], True)
        self.rx_b = packet_socket(cfg["rx_b_ns"], cfg["rx_b_if"], True)
        self.seq = {F_UL: 0, F_ACC: 0, F_UL_OK: 0, F_ACC_OK: 0}
        self.got = {F_UL: [], F_ACC: [], F_UL_OK: [], F_ACC_OK: []}
        self.bad_macs = set()
        self.bad_ips = set()
        self.passed = self.failed = self.skipped = 0
        self.faults = []

    # -- outer headers
    def vx4(self, inner_frame, vni=10, flags=0x08, rsv=(0, 0, 0), rsv2=0, src=None, dst=None,
            sport=49152, dport=4789, csum=0, ip_opts=None, frag=None, ttl=64, eth_dst=None,
            tag=None):
        ip = IP(src=src or self.c["kb_ip"], dst=dst or self.c["x_ip"], ttl=ttl, flags="DF")
        if ip_opts is not None:
            ip.options = ip_opts
        if frag is not None:
            ip.flags, ip.frag = frag
        u = UDP(sport=sport, dport=dport, chksum=csum)
        e = Ether(src=self.c["kb_mac"], dst=eth_dst or self.c["x_mac"])
        l3 = ip / u / Raw(vxlan_hdr(vni, flags, rsv, rsv2) + inner_frame)
        return bytes(e / tag / l3) if tag is not None else bytes(e / l3)

    def vx4_frags(self, inner_frame):
        """The VXLAN packet of inner_frame in IPv4 fragments of 64 bytes (DF clear)."""
        p = IP(src=self.c["kb_ip"], dst=self.c["x_ip"], ttl=64, id=0x4242) / \
            UDP(sport=49152, dport=4789, chksum=0) / Raw(vxlan_hdr(10) + inner_frame)
        e = Ether(src=self.c["kb_mac"], dst=self.c["x_mac"])
        return [bytes(e / f) for f in fragment(p, fragsize=64)]

    def vx6(self, inner_frame, vni=20, src=None, dst=None, dport=4789, csum=None, ext=None):
        ip = IPv6(src=src or self.c["kb_ip6"], dst=dst or self.c["x_ip6"], hlim=64)
        u = UDP(sport=49152, dport=dport)
        if csum is not None:
            u.chksum = csum
        l3 = ip / ext / u if ext is not None else ip / u
        return bytes(Ether(src=self.c["kb_mac"], dst=self.c["x_mac"]) / l3 /
                     Raw(vxlan_hdr(vni) + inner_frame))

    def good_inner(self, flow, src=None):
        f = inner(src or self.c["b_mac"], self.c["a_mac"], flow, self.seq[flow])
        self.seq[flow] += 1
        return f

    def good_ul(self):
        return self.vx4(self.good_inner(F_UL))

    def good_acc(self, flow=F_ACC, src=None):
        f = inner(src or self.c["a_mac"], self.c["b_mac"], flow, self.seq[flow])
        self.seq[flow] += 1
        return f

    def bad_mac(self, row, k):
        m = "%s:%02x:%02x:%02x" % (BAD_OUI, (row >> 8) & 0xff, row & 0xff, k)
        self.bad_macs.add(m)
        return m

    # -- sending and receiving
    def send(self, side, frames):
        """Each frame of frames (bytes, or a callable giving bytes), then a good frame."""
        s = self.ul if side == "ul" else self.acc
        for f in frames:
            f = f() if callable(f) else f
            for x in (f if isinstance(f, list) else [f]):
                s.send(x)
            s.send(self.good_ul() if side == "ul" else self.good_acc())
        self.drain()

    def drain(self):
        for s, who in ((self.rx_a, "a"), (self.rx_b, "b")):
            while True:
                try:
                    data, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING or len(data) < 14 + 28 + 10:
                    continue
                if data[12:14] != b"\x08\x00" or data[23] != 17:
                    continue
                ihl = (data[14] & 0xf) * 4
                p = data[14 + ihl + 8:]
                if not p.startswith(MAGIC):
                    continue
                flow, seq = struct.unpack("!HI", p[4:10])
                if (who == "a") != (flow in (F_UL, F_UL_OK)):
                    self.faults.append("flow %d frame %d arrived at host %s" % (flow, seq, who))
                    continue
                self.got[flow].append(seq)

    def row_pass(self, name, side, frames, flow, drops0):
        want = len(self.got[flow]) + len(frames)
        self.send(side, frames)
        deadline = time.monotonic() + 10
        while len(self.got[flow]) < want and time.monotonic() < deadline:
            time.sleep(0.05)
            self.drain()
        drops, _ = self.sw.counters()
        moved = {n: drops[n] - drops0.get(n, 0) for n in drops if drops[n] != drops0.get(n, 0)}
        ok = len(self.got[flow]) == want and not moved
        print("  %-4s %-46s %-16s %d/%d%s" % ("ok" if ok else "FAIL", name, "forwarded",
                                            len(frames) - (want - len(self.got[flow])),
                                            len(frames),
                                            "" if not moved else "  drops: %s" % moved),
              flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.faults.append("%s: forwarded %d of %d, drops %s"
                               % (name, len(frames) - (want - len(self.got[flow])),
                                  len(frames), moved))

    # -- one row
    def row(self, name, side, frames, kind, what):
        """kind: "drop" (reason what), "event" (event what: forwarded, counted), "pass"
        (forwarded as flow what, nothing counted as a drop)."""
        drops0, events0 = self.sw.counters()
        if kind == "pass":
            return self.row_pass(name, side, frames, what, drops0)
        # A reason or event the daemon does not have is the row's failure, not a skip.
        if (kind == "drop" and what not in drops0) or (kind == "event" and what not in events0):
            print("  FAIL %-46s the daemon has no %s %s" % (name, kind, what), flush=True)
            self.failed += 1
            self.faults.append("%s: the daemon has no %s %s" % (name, kind, what))
            return
        self.send(side, frames)
        want = len(frames)
        deadline = time.monotonic() + 10
        while True:
            drops, events = self.sw.counters()
            self.drain()
            have = (drops if kind == "drop" else events)[what] - \
                (drops0 if kind == "drop" else events0)[what]
            if have >= want or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        time.sleep(0.1)
        drops, events = self.sw.counters()
        self.drain()
        cur, base = (drops, drops0) if kind == "drop" else (events, events0)
        have = cur[what] - base[what]
        moved = {n: drops[n] - drops0.get(n, 0) for n in drops if drops[n] != drops0.get(n, 0)}
        other = {n: v for n, v in moved.items() if not (kind == "drop" and n == what)}
        ok = have == want and not other
        print("  %-4s %-46s %-16s %d/%d%s" % ("ok" if ok else "FAIL", name, what, have, want,
                                            "" if not other else "  other drops: %s" % other),
              flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.faults.append("%s: %s %d of %d, other drops %s" % (name, what, have, want, other))


def table(L):
    c = L.c
    a, b = c["a_mac"], c["b_mac"]
    row = [0]

    def bad(k=0):
        return L.bad_mac(row[0], k)

    def R(name, side, frames, kind, what):
        row[0] += 1
        L.row(name, side, frames, kind, what)

    print("-- underlay: the outer headers", flush=True)
    full4 = L.vx4(inner(bad(), a))
    hdr4 = 14 + 20 + 8 + 8 + 14
    R("cut at every offset, IPv4 (14..%d)" % (hdr4 - 1), "ul",
      [full4[:n] for n in range(14, hdr4)], "drop", "runt")
    full6 = L.vx6(inner(bad(), a))
    hdr6 = 14 + 40 + 8 + 8 + 14
    R("cut at every offset, IPv6 (14..%d)" % (hdr6 - 1), "ul",
      [full6[:n] for n in range(14, hdr6)], "drop", "runt")
    R("inner frame of 0..13 bytes, lengths agreeing", "ul",
      [L.vx4(inner(bad(), a)[:n]) for n in range(0, 14)], "drop", "runt")
    R("runt: 20 bytes to our MAC", "ul",
      [bytes(Ether(src=c["kb_mac"], dst=c["x_mac"], type=0x0800)) + bytes(6)], "drop", "runt")
    R("VXLAN I flag clear", "ul", [L.vx4(inner(bad(), a), flags=0x00),
                                   L.vx4(inner(bad(), a), flags=0x80)], "drop", "vxlan-flags")
    R("unknown VNI", "ul", [L.vx4(inner(bad(), a), vni=999)] * 2, "drop", "vni-unknown")
    R("UDP to a port no link listens on", "ul", [L.vx4(inner(bad(), a), dport=4790)] * 2,
      "drop", "udp-port")
    R("VNI on another link's UDP port", "ul", [L.vx4(inner(bad(), a), dport=8472)] * 2, "drop",
      "vni-port")
    R("VNI of an IPv4 link over IPv6", "ul", [L.vx6(inner(bad(), a), vni=10)] * 2, "drop",
      "vni-underlay")
    R("VNI of a link to another of our addresses", "ul",
      [L.vx4(inner(bad(), a), dst=c["x_ip_other"])] * 2, "drop", "vni-underlay")
    # A net_af_packet port's socket (PACKET_FANOUT with DEFRAG) hands the
    # switch reassembled datagrams: a lone fragment never reaches it, a
    # whole set arrives as one VXLAN packet. ip-frag, which a NIC port
    # counts, is tested by test_parse and test_stages.
    R("IPv4 fragments, reassembled by the port's socket", "ul",
      [lambda: L.vx4_frags(L.good_inner(F_UL_OK, "02:aa:00:00:00:03"))] * 2, "pass", F_UL_OK)
    R("IPv6 extension headers", "ul",
      [L.vx6(inner(bad(), a), ext=e) for e in
       (IPv6ExtHdrHopByHop(), IPv6ExtHdrDestOpt(), IPv6ExtHdrFragment(m=0, offset=0, id=7))],
      "drop", "not-udp")
    bad4 = bytearray(L.vx4(inner(bad(), a), csum=None))
    bad4[14 + 20 + 6] ^= 0x5a
    R("bad UDP checksum, IPv4", "ul", [bytes(bad4)] * 2, "drop", "udp-csum")
    bad6 = bytearray(L.vx6(inner(bad(), a)))
    bad6[14 + 40 + 6] ^= 0x5a
    R("bad UDP checksum, IPv6", "ul", [bytes(bad6)] * 2, "drop", "udp-csum")
    R("zero UDP checksum, IPv6", "ul", [L.vx6(inner(bad(), a), csum=0)] * 2, "drop",
      "udp6-zero-csum")
    badip = bytearray(L.vx4(inner(bad(), a)))
    badip[14 + 10] ^= 0x5a
    R("bad IPv4 header checksum", "ul", [bytes(badip)] * 2, "drop", "ip-csum")
    v5 = bytearray(L.vx4(inner(bad(), a)))
    v5[14] = 0x55
    ihl4 = bytearray(L.vx4(inner(bad(), a)))
    ihl4[14] = 0x44
    R("IP version 5, IHL 4", "ul", [bytes(v5), bytes(ihl4)], "drop", "ip-hdr")
    ulen = bytearray(L.vx4(inner(bad(), a)))
    ulen[14 + 20 + 5] ^= 0x01
    R("UDP length disagreeing with IP", "ul", [bytes(ulen)] * 2, "drop", "udp-len")
    R("TTL 0", "ul", [L.vx4(inner(bad(), a), ttl=0)] * 2, "drop", "ip-ttl")
    tcp = bytes(Ether(src=c["kb_mac"], dst=c["x_mac"]) / IP(src=c["kb_ip"], dst=c["x_ip"]) /
                TCP(sport=49152, dport=4789) / Raw(vxlan_hdr(10) + inner(bad(), a)))
    R("TCP to port 4789", "ul", [tcp] * 2, "drop", "not-udp")
    R("to an address not ours", "ul", [L.vx4(inner(bad(), a), dst="198.51.100.99")] * 2, "drop",
      "ul-not-for-us")
    R("to another MAC", "ul", [L.vx4(inner(bad(), a), eth_dst="02:00:00:00:99:99")] * 2,
      "drop", "ul-not-for-us")
    R("to the broadcast MAC", "ul", [L.vx4(inner(bad(), a), eth_dst="ff:ff:ff:ff:ff:ff")] * 2,
      "drop", "ul-not-for-us")
    R("outer 802.1Q tag on an untagged underlay", "ul",
      [L.vx4(inner(bad(), a), tag=Dot1Q(vlan=5))] * 2, "drop", "ul-vlan")
    R("outer QinQ (802.1ad)", "ul", [L.vx4(inner(bad(), a), tag=Dot1AD(vlan=5) / Dot1Q(vlan=6))],
      "drop", "ul-ethertype")
    R("outer 802.1Q in 802.1Q", "ul", [L.vx4(inner(bad(), a), tag=Dot1Q(vlan=0) / Dot1Q(vlan=6))],
      "drop", "ul-ethertype")

    print("-- underlay: outer sources no VTEP can have", flush=True)
    for src in ("224.0.0.1", "255.255.255.255", "0.0.0.0", c["x_ip"]):
        L.bad_ips.add(src)
    R("outer source multicast, broadcast, 0.0.0.0, ours", "ul",
      [L.vx4(inner(bad(k), a), src=s) for k, s in
       enumerate(("224.0.0.1", "255.255.255.255", "0.0.0.0", c["x_ip"]))],
      "drop", "ul-martian")

    print("-- underlay: the inner frame", flush=True)
    R("inner 802.1Q tag", "ul", [L.vx4(inner(bad(), a, tag=Dot1Q(vlan=7)))] * 2, "drop",
      "inner-vlan")
    R("inner QinQ (802.1ad)", "ul", [L.vx4(inner(bad(), a, tag=Dot1AD(vlan=7) / Dot1Q(vlan=8)))],
      "drop", "inner-vlan")
    R("inner source multicast, broadcast, zero", "ul",
      [L.vx4(inner(s, a)) for s in ("01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff",
                                    "00:00:00:00:00:00")], "drop", "src-mac")
    R("inner source the link's own MAC", "ul", [L.vx4(inner(c["link_mac"], a))] * 2, "drop",
      "inner-src-link")

    print("-- underlay: forwarded as RFC 7348 says (Linux differs: see security.md)", flush=True)
    R("VXLAN reserved bits set", "ul",
      [lambda: L.vx4(L.good_inner(F_UL_OK, "02:aa:00:00:00:01"), flags=0xff, rsv=(1, 2, 3),
                     rsv2=4)] * 2, "pass", F_UL_OK)
    R("IPv4 options", "ul",
      [lambda: L.vx4(L.good_inner(F_UL_OK, "02:aa:00:00:00:02"),
                     ip_opts=[IPOption_NOP()] * 4)] * 2, "pass", F_UL_OK)
    R("inner source a static entry's (local)", "ul",
      [lambda: L.vx4(L.good_inner(F_UL_OK, c["static_local"]))] * 2, "event", "learn-static")

    print("-- underlay: ARP, ND and ICMP to the switch", flush=True)
    arp_req = Ether(src=c["kb_mac"], dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=c["kb_mac"], psrc=c["kb_ip"], pdst=c["x_ip"])
    arp_hlen = bytearray(bytes(arp_req))
    arp_hlen[14 + 4] = 8
    arp_plen = bytearray(bytes(arp_req))
    arp_plen[14 + 5] = 16
    R("ARP with bad lengths", "ul", [bytes(arp_hlen), bytes(arp_plen)], "drop", "arp-nd-bad")
    R("ARP cut short", "ul", [bytes(arp_req)[:14 + 20]], "drop", "runt")
    L.bad_ips.update(("198.51.100.66", "198.51.100.67"))
    R("ARP request for an address not ours", "ul",
      [bytes(Ether(src=c["kb_mac"], dst="ff:ff:ff:ff:ff:ff") /
             ARP(op=1, hwsrc=bad(), psrc="198.51.100.66", pdst="198.51.100.77"))] * 2,
      "drop", "ul-neigh-not-ours")
    R("ARP reply not to us", "ul",
      [bytes(Ether(src=c["kb_mac"], dst="ff:ff:ff:ff:ff:ff") /
             ARP(op=2, hwsrc=bad(), psrc="198.51.100.67", pdst="198.51.100.78",
                 hwdst="02:00:00:00:77:77"))] * 2, "drop", "ul-neigh-not-ours")
    R("ARP claiming our address, or from a multicast MAC", "ul",
      [bytes(Ether(src=c["kb_mac"], dst="ff:ff:ff:ff:ff:ff") /
             ARP(op=1, hwsrc=c["kb_mac"], psrc=c["x_ip"], pdst=c["x_ip"])),
       bytes(Ether(src=c["kb_mac"], dst="ff:ff:ff:ff:ff:ff") /
             ARP(op=1, hwsrc="01:00:5e:00:00:09", psrc=c["kb_ip"], pdst=c["x_ip"]))],
      "drop", "martian")
    snma = in6_getnsma(inet_pton(socket.AF_INET6, c["x_ip6"]))
    snm = socket.inet_ntop(socket.AF_INET6, snma)
    snmac = in6_getnsmac(snma)

    def ns(src, hlim=255, lla=None, target=None, plen=None):
        p = IPv6(src=src, dst=snm, hlim=hlim) / ICMPv6ND_NS(tgt=target or c["x_ip6"])
        if lla is not None:
            p = p / ICMPv6NDOptSrcLLAddr(lladdr=lla)
        f = bytearray(bytes(Ether(src=c["kb_mac"], dst=snmac) / p))
        if plen is not None:  # an ICMPv6 message cut to plen bytes, lengths agreeing
            f = bytearray(bytes(Ether(src=c["kb_mac"], dst=snmac) /
                                IPv6(src=src, dst=snm, hlim=hlim, nh=58) /
                                Raw(bytes(p[ICMPv6ND_NS])[:plen])))
        return bytes(f)

    R("NS with hop limit 64, NS cut to 16 bytes", "ul",
      [ns(c["kb_ip6"], hlim=64), ns(c["kb_ip6"], plen=16)], "drop", "arp-nd-bad")
    R("NS from our own address, or with a multicast link-layer address", "ul",
      [ns(c["x_ip6"], lla=c["kb_mac"]), ns(c["kb_ip6"], lla="33:33:00:00:00:01")],
      "drop", "martian")
    R("NA pointing a neighbour at the broadcast MAC", "ul",
      [bytes(Ether(src=c["kb_mac"], dst=c["x_mac"]) /
             IPv6(src=c["kb_ip6"], dst=c["x_ip6"], hlim=255) /
             ICMPv6ND_NA(tgt=c["kb_ip6"], S=0, O=1) /
             ICMPv6NDOptDstLLAddr(lladdr="ff:ff:ff:ff:ff:ff"))] * 2, "drop", "martian")
    L.bad_ips.add("2001:db8:1::66")
    R("NS for an address not ours", "ul",
      [bytes(Ether(src=c["kb_mac"], dst="33:33:ff:00:00:77") /
             IPv6(src="2001:db8:1::66", dst="ff02::1:ff00:77", hlim=255) /
             ICMPv6ND_NS(tgt="2001:db8:1::77") / ICMPv6NDOptSrcLLAddr(lladdr=bad()))] * 2,
      "drop", "ul-neigh-not-ours")
    R("echo request from a broadcast or multicast source", "ul",
      [bytes(Ether(src=c["kb_mac"], dst=c["x_mac"]) /
             IP(src="255.255.255.255", dst=c["x_ip"]) / ICMP()),
       bytes(Ether(src=c["kb_mac"], dst="33:33:00:00:00:01") /
             IPv6(src="ff02::2", dst="ff02::1") / ICMPv6EchoRequest())], "drop", "martian")
    R("ICMP that is no echo request (timestamp, bad checksum)", "ul",
      [bytes(Ether(src=c["kb_mac"], dst=c["x_mac"]) / IP(src=c["kb_ip"], dst=c["x_ip"]) /
             ICMP(type=13)),
       bytes(Ether(src=c["kb_mac"], dst=c["x_mac"]) / IP(src=c["kb_ip"], dst=c["x_ip"]) /
             ICMP(chksum=0x1234))], "drop", "icmp-other")

    print("-- access side", flush=True)
    R("source multicast, broadcast, zero", "acc",
      [inner(s, b) for s in ("01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00")],
      "drop", "src-mac")
    R("VLAN the port is not attached on", "acc", [inner(bad(), b, tag=Dot1Q(vlan=77))] * 2,
      "drop", "access-unmapped")
    R("802.1ad in a priority tag (QinQ)", "acc",
      [inner(bad(), b, tag=Dot1AD(vlan=0) / Dot1Q(vlan=8))] * 2, "drop", "inner-vlan")
    R("802.1Q in a priority tag", "acc", [inner(bad(), b, tag=Dot1Q(vlan=0) / Dot1Q(vlan=8))] * 2,
      "drop", "inner-vlan")
    big = bytes(Ether(src=a, dst=b) / IP(src="203.0.113.1", dst="203.0.113.250") /
                UDP(sport=7, dport=9) / Raw(bytes(1500 - 28)))
    bigb = bytes(Ether(src=a, dst="ff:ff:ff:ff:ff:ff") /
                 IP(src="203.0.113.1", dst="203.0.113.250") / UDP(sport=7, dport=9) /
                 Raw(bytes(1500 - 28)))
    R("over the underlay MTU, unicast and flooded", "acc", [big, bigb], "drop", "mtu")
    R("to its own port (hairpin)", "acc", [inner(a, a)] * 2, "drop",
      "same-port")
    R("to the link's MAC, no ARP/NS/echo", "acc", [inner(bad(), c["link_mac"])] * 2, "drop",
      "overlay-not-ours")
    R("source a static entry's (remote)", "acc",
      [lambda: L.good_acc(F_ACC_OK, c["static_remote"])] * 2, "event", "learn-static")


def check_end(L):
    c = L.c
    time.sleep(0.5)
    L.drain()
    print("-- good traffic", flush=True)
    names = {F_UL: "underlay -> host A", F_ACC: "host A -> host B",
             F_UL_OK: "forwarded unusual, underlay", F_ACC_OK: "forwarded unusual, access"}
    for f in (F_UL, F_ACC, F_UL_OK, F_ACC_OK):
        got, n = L.got[f], L.seq[f]
        ok = got == list(range(n))
        lost = n - len(set(got))
        twice = len(got) - len(set(got))
        order = sum(1 for x, y in zip(got, got[1:]) if y <= x)
        print("  %-4s %-30s %d sent, %d received, %d lost, %d twice, %d out of order"
              % ("ok" if ok else "FAIL", names[f], n, len(got), lost, twice, order), flush=True)
        if not ok:
            L.faults.append("flow %s: %d lost, %d twice, %d out of order"
                            % (names[f], lost, twice, order))
    print("-- nothing learned from what was dropped", flush=True)
    fdb = json.loads(L.sw.run("-j", "fdb", "show"))
    learned_bad = [e["mac"] for e in fdb if e["mac"] in L.bad_macs]
    dsts = {e.get("dst") for e in fdb if e.get("dst")}
    bad_dst = sorted(d for d in dsts if d in L.bad_ips)
    neigh = json.loads(L.sw.run("-j", "neigh", "show"))
    bad_neigh = sorted(n["dst"] for n in neigh if n["dst"] in L.bad_ips)
    st = {e["mac"]: e for e in fdb if e.get("state") == "static"}
    for what, bad in (("FDB entries of dropped sources", learned_bad),
                      ("VTEPs of dropped outer sources", bad_dst),
                      ("neighbours of dropped ARP/ND", bad_neigh)):
        print("  %-4s %-34s %s" % ("ok" if not bad else "FAIL", what, bad or "none"), flush=True)
        if bad:
            L.faults.append("%s: %s" % (what, bad))
    sl, sr = st.get(c["static_local"]), st.get(c["static_remote"])
    ok = (sl is not None and sl.get("ifname") == c["acc_port"] and sr is not None and
          sr.get("dst") == c["kb_ip"])
    print("  %-4s static entries unchanged" % ("ok" if ok else "FAIL"), flush=True)
    if not ok:
        L.faults.append("static entries changed: %s %s" % (sl, sr))


def main():
    with open(sys.argv[1]) as f:
        cfg = json.load(f)
    L = Lab(cfg)
    t0 = time.monotonic()
    table(L)
    check_end(L)
    print("%d rows passed, %d failed, %d skipped; %.1f s"
          % (L.passed, L.failed, L.skipped, time.monotonic() - t0), flush=True)
    if L.faults:
        for x in L.faults[:20]:
            print("FAULT: " + x)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
