#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The attack phases of 27-underlay-attack.sh (scapy; Debian's /usr/bin/python3).

    attack.py CONFIG.json gen     write the phases' frames (pcaps in the work directory)
    attack.py CONFIG.json run     the phases, checked

CONFIG names the switch (vxctl, socket), its underlay port, the next hop
it must keep (the kernel VTEP kb: address and MAC), the attacker's
namespace and interface on the underlay segment, vxt_flood, a work
directory, and the MACs and addresses of the lab.

Phases, one after the other, each bounded in time (vxt_flood replays a
pcap at a given rate; the rate reached is printed):
  ping      ICMP echo requests to the switch's address
  arp       broadcast ARP requests for an address that is not the switch's
  vxlan     VXLAN from spoofed outer sources on the underlay subnet
  spoof     ARP requests for the switch's address and NS for its IPv6
            address, from spoofed senders (each one would be a new entry)
At the start of each phase the next hop is made STALE (`neigh replace ...
nud stale`), so the switch must probe it during the attack: the probe's
answer has to get through. Throughout a phase the neighbour table is
sampled: the next hop is never FAILED or INCOMPLETE, it is REACHABLE
again before the phase ends, and the table stays within its limit. In the
middle of each phase `vxctl neigh add` (underlay, and a link's proxy entry)
must succeed. After each phase, every frame the switch received on its
underlay port is accounted for by its counters: received = decapsulated +
answered (sent minus encapsulated) + dropped, within a small allowance for
the background frames of the lab (ARP, ICMP errors of the hosts).
"""

import ctypes
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

from scapy.all import ARP, ICMP, IP, IPv6, UDP, Ether, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, Raw
from scapy.all import in6_getnsma, in6_getnsmac, inet_pton, wrpcap

NEIGH_MAX = 1024  # VX_NEIGH_MAX
CLONE_NEWNET = 0x40000000
ETH_P_ARP = 0x0806
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def die(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


class Switch:
    def __init__(self, cfg):
        self.cmd = [cfg["vxctl"], "--socket", cfg["socket"]]

    def run(self, *words, check=True):
        r = subprocess.run(self.cmd + list(words), capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            die("vxctl %s: %s" % (" ".join(words), r.stderr.strip()))
        return r

    def json(self, *words):
        return json.loads(self.run("-j", *words).stdout)

    def counters(self, port, link):
        st = self.json("stats")
        p = next(e for e in st if e.get("kind") == "port" and e["ifname"] == port)
        lk = next(e for e in st if e.get("kind") == "vxlan" and e["ifname"] == link)
        dr = self.json("show", "drops")
        return {"rx": p["rx_packets"], "tx": p["tx_packets"], "drops": p["drops"],
                "decap": lk["decap_packets"], "encap": lk["encap_packets"],
                "reasons": {d["name"]: d["count"] for d in dr["drops"]}}


def inner(src, dst):
    return bytes(Ether(src=src, dst=dst) / IP(src="203.0.113.240", dst="203.0.113.241") /
                 UDP(sport=7, dport=19) / Raw(bytes(18)))


class Probes:
    """ARP requests of the switch for the next hop, as the next hop (kb) receives them."""

    def __init__(self, c):
        back = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/var/run/netns/" + c["nh_ns"], os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                die("setns %s" % c["nh_ns"])
            self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
            self.s.bind((c["nh_if"], ETH_P_ARP))
        finally:
            libc.setns(back, CLONE_NEWNET)
            os.close(fd)
            os.close(back)
        self.mac = bytes(int(b, 16) for b in c["x_mac"].split(":"))
        self.filter_sender(self.mac)
        self.s.setblocking(False)
        self.tip = socket.inet_aton(c["nh_ip"])

    def filter_sender(self, mac):
        """Only ARP from mac reaches the socket (classic BPF): the floods would overrun it."""
        hi, lo = struct.unpack("!IH", mac)
        prog = [(0x20, 0, 0, 22),       # ld [22]: sender MAC, first 4 bytes
                (0x15, 0, 3, hi),       # jeq hi, else drop
                (0x28, 0, 0, 26),       # ldh [26]: its last 2 bytes
                (0x15, 0, 1, lo),       # jeq lo, else drop
                (0x06, 0, 0, 0xffff),   # ret: accept
                (0x06, 0, 0, 0)]        # ret: drop
        buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in prog))
        self.prog = buf
        fprog = struct.pack("HL", len(prog), ctypes.addressof(buf))
        self.s.setsockopt(socket.SOL_SOCKET, 26, fprog)  # SO_ATTACH_FILTER

    def count(self):
        n = 0
        while True:
            try:
                d = self.s.recv(2048)
            except BlockingIOError:
                return n
            # op request, sender MAC the switch's, target the next hop
            if len(d) >= 42 and d[20:22] == b"\x00\x01" and d[22:28] == self.mac and \
                    d[38:42] == self.tip:
                n += 1


def gen(c, work):
    """One pcap per phase, frames that differ where the attack needs them to."""
    rnd = random.Random(21)
    att, x = c["att_mac"], c["x_mac"]
    ping = [Ether(src=att, dst=x) / IP(src=c["att_ip"], dst=c["x_ip"]) / ICMP(id=7, seq=i) /
            Raw(bytes(32)) for i in range(1024)]
    arp = [Ether(src=att, dst="ff:ff:ff:ff:ff:ff") /
           ARP(op=1, hwsrc=att, psrc="198.51.100.%d" % (100 + i % 100),
               pdst="198.51.100.%d" % (200 + i % 50)) for i in range(1024)]
    vx = []
    for i in range(4096):
        src = "198.51.100.%d" % (100 + i % 128)
        mac = "02:%02x:%02x:%02x:%02x:%02x" % tuple(rnd.getrandbits(8) for _ in range(5))
        vx.append(Ether(src=att, dst=x) / IP(src=src, dst=c["x_ip"], flags="DF") /
                  UDP(sport=49152 + i % 1000, dport=4789, chksum=0) /
                  Raw(bytes([8, 0, 0, 0, 0, 0, 10, 0]) + inner(mac, c["a_mac"])))
    snma = in6_getnsma(inet_pton(socket.AF_INET6, c["x_ip6"]))
    spoof = []
    for i in range(4096):
        mac = "02:5e:%02x:%02x:%02x:%02x" % tuple(rnd.getrandbits(8) for _ in range(4))
        if i % 2 == 0:
            ip = "198.51.100.%d" % (20 + (i // 2) % 60)
            spoof.append(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                         ARP(op=1, hwsrc=mac, psrc=ip, pdst=c["x_ip"]))
        else:
            ip6 = "2001:db8:1::%x" % (0x1000 + i)
            spoof.append(Ether(src=mac, dst=in6_getnsmac(snma)) /
                         IPv6(src=ip6, dst=socket.inet_ntop(socket.AF_INET6, snma), hlim=255) /
                         ICMPv6ND_NS(tgt=c["x_ip6"]) / ICMPv6NDOptSrcLLAddr(lladdr=mac))
    out = {}
    for name, frames in (("ping", ping), ("arp", arp), ("vxlan", vx), ("spoof", spoof)):
        out[name] = os.path.join(work, name + ".pcap")
        wrpcap(out[name], frames)
    return out


def nh_state(sw, c):
    for n in sw.json("neigh", "show", "dev", c["ul_port"]):
        if n["dst"] == c["nh_ip"]:
            return n["state"][0] if n.get("state") else "NONE"
    return "NONE"


def phase(sw, c, probes, name, pcap, pps, secs, faults):
    print("-- %s: %s at %d pps for %d s" % (name, os.path.basename(pcap), pps, secs), flush=True)
    probes.count()
    before = sw.counters(c["ul_port"], c["link"])
    # The next hop must be probed while the attack runs (STALE, 5 s, PROBE).
    sw.run("neigh", "replace", c["nh_ip"], "lladdr", c["nh_mac"], "dev", c["ul_port"], "nud",
           "stale")
    flood = subprocess.Popen(["ip", "netns", "exec", c["att_ns"], c["vxt_flood"], c["att_if"],
                              pcap, str(pps), str(secs)], stdout=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    states, max_n, added = [], 0, False
    reach_after_stale = False
    while flood.poll() is None:
        st = nh_state(sw, c)
        states.append(st)
        if st == "REACHABLE" and any(s != "REACHABLE" for s in states):
            reach_after_stale = True
        n = len(sw.json("neigh", "show", "dev", c["ul_port"]))
        max_n = max(max_n, n)
        if not added and time.monotonic() - t0 > secs / 2:
            k = len(faults)
            for words in (("neigh", "add", c["static_ip"], "lladdr", "02:00:00:00:77:01",
                           "dev", c["ul_port"]),
                          ("neigh", "add", c["proxy_ip"], "lladdr", "02:00:00:00:77:02",
                           "dev", c["link"])):
                r = sw.run(*words, check=False)
                if r.returncode != 0:
                    faults.append("%s: vxctl %s: %s" % (name, " ".join(words), r.stderr.strip()))
            added = True
            print("  %-4s vxctl neigh add (underlay, link proxy) during the attack"
                  % ("ok" if len(faults) == k else "FAIL"), flush=True)
        time.sleep(0.2)
    out = flood.communicate()[0].strip()
    print("  attacker: %s" % out, flush=True)
    # What the probe started during the attack still counts: wait for it.
    end = time.monotonic() + 5
    while not reach_after_stale and time.monotonic() < end:
        st = nh_state(sw, c)
        states.append(st)
        reach_after_stale = st == "REACHABLE"
        time.sleep(0.2)
    bad = sorted({s for s in states if s not in ("REACHABLE", "STALE", "PROBE", "DELAY")})
    # One probe is enough when its answer gets through; three unanswered ones are FAILED.
    n_probes = probes.count()
    ok = not bad and reach_after_stale and n_probes <= 2
    print("  %-4s next hop %s: %s, REACHABLE again: %s, after %d probe(s)" %
          ("ok" if ok else "FAIL", c["nh_ip"], " ".join(dedup(states)), reach_after_stale,
           n_probes), flush=True)
    if not ok:
        faults.append("%s: next hop states %s, %d probes" % (name, dedup(states), n_probes))
    ok = max_n <= NEIGH_MAX
    print("  %-4s neighbour table: at most %d entries (limit %d)" %
          ("ok" if ok else "FAIL", max_n, NEIGH_MAX), flush=True)
    if not ok:
        faults.append("%s: %d neighbour entries" % (name, max_n))
    sw.run("neigh", "del", c["static_ip"], "dev", c["ul_port"], check=False)
    sw.run("neigh", "del", c["proxy_ip"], "dev", c["link"], check=False)
    time.sleep(0.5)
    after = sw.counters(c["ul_port"], c["link"])
    d = {k: after[k] - before[k] for k in ("rx", "tx", "drops", "decap", "encap")}
    reasons = {k: v - before["reasons"].get(k, 0) for k, v in after["reasons"].items()
               if v != before["reasons"].get(k, 0)}
    answered = d["tx"] - d["encap"]
    residual = d["rx"] - d["decap"] - answered - d["drops"]
    allow = max(100, d["rx"] // 500)
    ok = abs(residual) <= allow
    print("  %-4s received %d = decapsulated %d + answered %d + dropped %d %+d "
          "(allowance %d); drops %s" % ("ok" if ok else "FAIL", d["rx"], d["decap"], answered,
                                        d["drops"], residual, allow, reasons), flush=True)
    if not ok:
        faults.append("%s: %d frames received and not accounted for" % (name, residual))


def dedup(states):
    out = []
    for s in states:
        if not out or out[-1] != s:
            out.append(s)
    return out


def main():
    with open(sys.argv[1]) as f:
        c = json.load(f)
    if sys.argv[2] == "gen":
        gen(c, c["work"])
        return 0
    pcaps = {n: os.path.join(c["work"], n + ".pcap") for n in ("ping", "arp", "vxlan", "spoof")}
    sw = Switch(c)
    probes = Probes(c)
    faults = []
    t0 = time.monotonic()
    phase(sw, c, probes, "ping flood", pcaps["ping"], c["pps"], 15, faults)
    phase(sw, c, probes, "ARP flood", pcaps["arp"], c["pps"], 15, faults)
    phase(sw, c, probes, "spoofed VXLAN", pcaps["vxlan"], c["pps_vxlan"], 6, faults)
    phase(sw, c, probes, "spoofed ARP/NS", pcaps["spoof"], c["pps_spoof"], 6, faults)
    n = sw.json("neigh", "show", "dev", c["ul_port"])
    states = {}
    for e in n:
        s = e["state"][0] if e.get("state") else "NONE"
        states[s] = states.get(s, 0) + 1
    print("-- after: %d neighbour entries %s; %.0f s of attacks" %
          (len(n), states, time.monotonic() - t0), flush=True)
    r = sw.run("neigh", "add", c["static_ip"], "lladdr", "02:00:00:00:77:01", "dev",
               c["ul_port"], check=False)
    print("  %-4s vxctl neigh add after the attacks" % ("ok" if r.returncode == 0 else "FAIL"),
          flush=True)
    if r.returncode != 0:
        faults.append("neigh add after: " + r.stderr.strip())
    for x in faults:
        print("FAULT: " + x, flush=True)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
