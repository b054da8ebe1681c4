#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Benchmark traffic for vxswitch: one pcap, one vxctl config and one
description per case.

    scripts/gen-pcap.py --out DIR CASE [CASE...]

Case names (the fixed ones and their sweep variants):

    decap4-N  decap6-N    VXLAN over IPv4/IPv6 into the underlay port, N
                          inner destination MACs (local, static), outer UDP
                          source ports varying with the inner flow
    encap4-N  encap6-N    plain frames into the access port, N destination
                          MACs behind one remote VTEP (static)
    learn4-N              decap with learning on: N distinct new inner source
                          MACs, 256 known local destinations
    flood4-K              broadcast frames into the access port, flood list
                          of K VTEPs
    mcast4-K              the frames of flood4-K, the link's BUM going to a
                          multicast group (one copy each) instead of to K VTEPs
    switch-N              access to access, N destination MACs
    imix-encap4           encap4-256 with IMIX frames (7:4:1 of 64/594/1518)

N is a number with an optional k (x1024) or m (x1000000) suffix: 256, 64k,
1m. Frame sizes count the 4-byte FCS as RFC 2544 does: a "64-byte" frame is
60 bytes in the pcap. --frame 1518 makes every inner frame 1518 bytes.

Files written for CASE:
    DIR/CASE.pcap        the traffic (one packet per MAC pair, at least 1024)
    DIR/CASE.base.conf   vxctl lines: addresses, neighbours, the link, ports
    DIR/CASE.fdb.conf    vxctl lines: the FDB (fdb add / fdb append)
    DIR/CASE.json        ports, roles and counts, read by scripts/bench.sh

Port layout (DPDK device names, in --vdev order; net_pcap0 is always the
port fed from the pcap):
    decap, learn:        net_pcap0 underlay (198.51.100.1), net_null0 access
    encap, flood, mcast, imix:  net_pcap0 access, net_null0 underlay (198.51.100.1)
    switch:              net_pcap0 access, net_null0 access, net_null1 underlay

scapy builds one reference packet per layout; every packet is then that
byte string with MACs, addresses, ports, lengths and checksums patched with
struct, so a million packets take seconds. The first packets are parsed back
with scapy and their checksums checked before anything is written.
"""

import argparse
import json
import os
import re
import struct
import sys

from scapy.all import IP, UDP, VXLAN, Ether, IPv6, Raw, raw  # noqa: E402

PCAP_PORT_MAC = "02:70:63:61:70:00"  # DPDK net_pcap's fixed MAC for its first port
VTEP_MAC_FMT = "02:00:00:00:01:%02x"  # next hop MAC of remote VTEP i
LOCAL_IP4, REMOTE_IP4 = "198.51.100.1", "198.51.100.2"
LOCAL_IP6, REMOTE_IP6 = "2001:db8:1::1", "2001:db8:1::2"
VNI = 10
DSTPORT = 4789
IMIX = (60, 60, 60, 60, 60, 60, 60, 590, 590, 590, 590, 1514)  # 7:4:1, FCS excluded


def mac_bytes(prefix, i):
    """02:00:PP:xx:xx:xx with the 24-bit index i."""
    return bytes((0x02, 0x00, prefix, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF))


def mac_str(b):
    return ":".join("%02x" % x for x in b)


LOCAL_HOST, REMOTE_HOST, LEARN_HOST = 0x0A, 0x0B, 0x0C


def parse_count(s):
    m = re.fullmatch(r"(\d+)([kKmM]?)", s)
    if m is None:
        raise ValueError("bad count %r" % s)
    n = int(m.group(1))
    return n * {"": 1, "k": 1024, "K": 1024, "m": 1000000, "M": 1000000}[m.group(2)]


def csum(data):
    """Internet checksum (RFC 1071) of bytes."""
    if len(data) & 1:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Inner:
    """Inner Ethernet/IPv4/UDP frame of a given pcap length, patched per flow."""

    def __init__(self, length):
        p = Ether(src="02:00:0a:00:00:00", dst="02:00:0b:00:00:00") / IP(
            src="203.0.113.1", dst="203.0.113.2", ttl=64, id=0
        ) / UDP(sport=1024, dport=5001, chksum=0)
        pad = length - len(p)
        if pad < 0:
            raise ValueError("frame too short")
        p = p / Raw(b"\x00" * pad)
        self.ref = bytearray(raw(p))
        # IP checksum without the varying addresses (zeroed) and without the checksum itself.
        t = bytearray(self.ref)
        t[24:26] = b"\0\0"
        t[26:34] = b"\0" * 8
        self.ip_base = csum(bytes(t[14:34]))
        self.length = length

    def build(self, src_mac, dst_mac, flow):
        b = bytearray(self.ref)
        b[0:6] = dst_mac
        b[6:12] = src_mac
        sip = bytes((203, 0, 113, 1 + flow % 250))
        dip = bytes((203, 0, 113, 1 + (flow // 250) % 250))
        b[26:30] = sip
        b[30:34] = dip
        s = self.ip_base + struct.unpack("!H", sip[:2])[0] + struct.unpack("!H", sip[2:])[0]
        s += struct.unpack("!H", dip[:2])[0] + struct.unpack("!H", dip[2:])[0]
        struct.pack_into("!H", b, 24, (~fold(s)) & 0xFFFF)
        struct.pack_into("!HH", b, 34, 1024 + (flow * 7) % 60000, 5001 + (flow // 62500) % 1000)
        return bytes(b)


def outer_sport(flow):
    return 49152 + (flow * 2654435761 >> 7) % 16384


class Outer:
    """Outer Ethernet/IP/UDP/VXLAN header for decap traffic (remote -> us)."""

    def __init__(self, v6, dst_mac):
        if v6:
            ip = IPv6(src=REMOTE_IP6, dst=LOCAL_IP6, hlim=64)
        else:
            ip = IP(src=REMOTE_IP4, dst=LOCAL_IP4, ttl=64, id=0, flags=0)
        self.v6 = v6
        self.dst_mac = dst_mac
        self.ip = ip
        self.hlen = 14 + (40 if v6 else 20) + 8 + 8
        self.cache = {}

    def header(self, inner_len):
        h = self.cache.get(inner_len)
        if h is None:
            p = (
                Ether(src=VTEP_MAC_FMT % 2, dst=self.dst_mac)
                / self.ip
                / UDP(sport=49152, dport=DSTPORT, chksum=0)
                / VXLAN(flags=0x08, vni=VNI)
                / Raw(b"\0" * inner_len)
            )
            b = bytearray(raw(p))[: self.hlen]
            if not self.v6:
                struct.pack_into("!H", b, 40, 0)  # IPv4: UDP checksum zero
            h = self.cache[inner_len] = b
        return h

    def build(self, inner, flow):
        b = bytearray(self.header(len(inner)))
        sport = outer_sport(flow)
        u = self.hlen - 16  # UDP header offset
        struct.pack_into("!H", b, u, sport)
        if self.v6:
            # Pseudo-header (addresses, length, next header) + UDP header + payload.
            ulen = 8 + 8 + len(inner)
            s = csum(bytes(b[22:54])) + ulen + 17
            struct.pack_into("!H", b, u + 6, 0)
            s += csum(bytes(b[u : u + 16])) + csum(inner)
            c = (~fold(s)) & 0xFFFF
            struct.pack_into("!H", b, u + 6, c if c else 0xFFFF)
        return bytes(b) + inner


def write_pcap(path, pkts):
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        hdr = struct.Struct("<IIII")
        for i, p in enumerate(pkts):
            f.write(hdr.pack(1, i % 1000000, len(p), len(p)))
            f.write(p)
    os.replace(path + ".tmp", path)


def check(pkts, v6=None):
    """Parse the first packets back with scapy; checksums must verify."""
    for p in pkts[:4]:
        e = Ether(p)
        k = 1
        while e.getlayer(IP, k) is not None:
            ip = e.getlayer(IP, k)
            if csum(raw(ip)[: ip.ihl * 4]) != 0xFFFF:
                raise AssertionError("bad IPv4 checksum in generated packet")
            k += 1
        if v6 and UDP in e:
            want = e[UDP].chksum
            c = e.copy()
            del c[UDP].chksum
            if Ether(raw(c))[UDP].chksum != want:
                raise AssertionError("bad IPv6 UDP checksum in generated packet")


def frame_len(args, i):
    if args.frame == "imix":
        return IMIX[i % len(IMIX)]
    return int(args.frame) - 4


def gen(case, args):
    m = re.fullmatch(r"(decap|encap)([46])-(\w+)|(learn)4-(\w+)|(flood|mcast)4-(\d+)"
                     r"|(switch)-(\w+)|imix-encap4", case)
    if m is None:
        raise SystemExit("gen-pcap: unknown case %r" % case)
    frame = args.frame
    if case == "imix-encap4":
        kind, v6, n = "encap", False, 256
        frame = "imix"
    elif m.group(1):
        kind, v6, n = m.group(1), m.group(2) == "6", parse_count(m.group(3))
    elif m.group(4):
        kind, v6, n = "learn", False, parse_count(m.group(5))
    elif m.group(6):
        kind, v6, n = m.group(6), False, int(m.group(7))
    else:
        kind, v6, n = "switch", False, parse_count(m.group(9))
    if n < 1 or n > 1 << 24:
        raise SystemExit("gen-pcap: %s: count out of range" % case)
    a = argparse.Namespace(**vars(args))
    a.frame = frame
    npkts = max(n, args.min_packets) if kind not in ("flood", "mcast") else args.min_packets
    if kind == "learn":
        npkts = n
    base, fdb = [], []
    desc = {"case": case, "kind": kind, "ipv6": v6, "n": n, "packets": npkts, "frame": frame,
            "rx_port": "net_pcap0", "copies": 1, "port_mac": args.port_mac}
    lip, rip = (LOCAL_IP6, REMOTE_IP6) if v6 else (LOCAL_IP4, REMOTE_IP4)
    plen = 64 if v6 else 24
    learning = "" if kind == "learn" else " nolearning"
    if kind in ("decap", "learn"):
        ul, acc = "net_pcap0", ["net_null0"]
    elif kind == "switch":
        ul, acc = "net_null1", ["net_pcap0", "net_null0"]
    else:
        ul, acc = "net_null0", ["net_pcap0"]
    desc["vdevs"] = ["net_pcap0"] + (["net_null0", "net_null1"] if kind == "switch" else
                                     ["net_null0"])
    desc["underlay"] = ul
    desc["tx_port"] = "net_null0"
    base.append("addr add %s/%d dev %s" % (lip, plen, ul))
    if frame in ("imix", "1518"):
        base.append("link set dev %s mtu 1600" % ul)
    vteps = n if kind == "flood" else 1
    if kind in ("encap", "flood", "switch"):
        for v in range(vteps):
            ip = rip if kind != "flood" else "198.51.100.%d" % (2 + v)
            base.append("neigh add %s lladdr %s dev %s" % (ip, VTEP_MAC_FMT % (2 + v), ul))
    group = " group 239.1.1.10" if kind == "mcast" else ""
    base.append("link add vxlan10 type vxlan id %d local %s dev %s dstport %d%s%s"
                % (VNI, lip, ul, DSTPORT, learning, group))
    for p in acc:
        base.append("link set dev %s master vxlan10" % p)

    inner_cache = {}

    def inner(length):
        if length not in inner_cache:
            inner_cache[length] = Inner(length)
        return inner_cache[length]

    pkts = []
    if kind in ("decap", "learn"):
        outer = Outer(v6, args.port_mac)
        ndst = n if kind == "decap" else min(n, 256)
        for i in range(ndst):
            fdb.append("fdb add %s dev net_null0 master" % mac_str(mac_bytes(LOCAL_HOST, i)))
        for i in range(npkts):
            src = mac_bytes(LEARN_HOST if kind == "learn" else REMOTE_HOST, i % n)
            dst = mac_bytes(LOCAL_HOST, i % ndst)
            pkts.append(outer.build(inner(frame_len(a, i)).build(src, dst, i), i))
        desc["fdb_entries"] = ndst
        desc["learn_macs"] = n if kind == "learn" else 0
    elif kind in ("encap", "switch"):
        for i in range(n):
            mac = mac_str(mac_bytes(REMOTE_HOST if kind == "encap" else LOCAL_HOST, i))
            if kind == "encap":
                fdb.append("fdb add %s dev vxlan10 dst %s" % (mac, rip))
            else:
                fdb.append("fdb add %s dev net_null0 master" % mac)
        for i in range(npkts):
            src = mac_bytes(0x0D, i % n)  # access hosts (not in the FDB, learning is off)
            dst = mac_bytes(REMOTE_HOST if kind == "encap" else LOCAL_HOST, i % n)
            pkts.append(inner(frame_len(a, i)).build(src, dst, i))
        desc["fdb_entries"] = n
    else:  # flood, or mcast: the same frames, to the link's group (the K VTEPs unused)
        for v in range(n if kind == "flood" else 0):
            fdb.append("fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.%d" % (2 + v))
        bcast = b"\xff" * 6
        for i in range(npkts):
            pkts.append(inner(frame_len(a, i)).build(mac_bytes(0x0D, i % 256), bcast, i))
        desc["fdb_entries"] = n if kind == "flood" else 0
        desc["copies"] = n if kind == "flood" else 1
        desc["vteps"] = n
    check(pkts, v6 and kind in ("decap", "learn"))
    path = os.path.join(args.out, case)
    write_pcap(path + ".pcap", pkts)
    for suffix, lines in ((".base.conf", base), (".fdb.conf", fdb)):
        with open(path + suffix, "w") as f:
            f.write("\n".join(lines) + "\n")
    desc["bytes"] = sum(len(p) for p in pkts)
    with open(path + ".json", "w") as f:
        json.dump(desc, f, indent=1)
        f.write("\n")
    return desc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--frame", default="64", choices=["64", "1518", "imix"],
                    help="inner frame size, FCS included (default 64)")
    ap.add_argument("--port-mac", default=PCAP_PORT_MAC,
                    help="outer destination MAC of decap traffic (the underlay port's MAC)")
    ap.add_argument("--min-packets", type=int, default=1024,
                    help="at least this many packets per pcap (default 1024)")
    ap.add_argument("cases", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for c in args.cases:
        d = gen(c, args)
        print("gen-pcap: %s: %d packets, %d FDB lines, %d bytes" %
              (c, d["packets"], d["fdb_entries"], d["bytes"]))


if __name__ == "__main__":
    sys.exit(main())
