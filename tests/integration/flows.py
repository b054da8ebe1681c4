#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Numbered UDP flows and MAC floods for the labs (23-workers.sh, 24-mac-flood.sh); no scapy.

    flows.py send IFACE SRCMAC DSTMAC SRCIP DSTIP NFLOWS NPER PPS [src=K|dst=K]
        Send NPER frames on each of NFLOWS flows (UDP source port 20000 +
        flow, destination port 9), round robin over the flows, at PPS frames
        per second, from an AF_PACKET socket on IFACE. The payload holds
        "VXTF", the flow and the frame's number in its flow. With src=K
        (dst=K), the source (destination) MAC of frame k is SRCMAC (DSTMAC)
        + (k % K), its last three bytes counted up.
    flows.py macflood IFACE N SECONDS DSTMAC [VXLAN SRCMAC NEXTHOPMAC SIP DIP VNI]
        Send N frames (at most SECONDS long) whose source MACs are random
        unicast addresses (a fixed seed: the same N MACs every run), to
        DSTMAC. With VXLAN, each is the inner frame of a VXLAN packet from
        SIP to DIP (UDP 4789, VNI) in an Ethernet frame SRCMAC -> NEXTHOPMAC.
        Prints how many were sent.
    flows.py check NFLOWS NPER < LINES
        LINES are "SRCPORT PAYLOAD-HEX" as tshark prints udp.srcport and
        data.data: every flow must hold exactly the numbers 0..NPER-1, in
        order (nothing lost, nothing twice, nothing reordered). Prints one
        summary line; exit status 1 on any fault, with the first few faults.
"""

import random
import socket
import struct
import sys
import time

MAGIC = b"VXTF"


def mac_bytes(s):
    return bytes(int(x, 16) for x in s.split(":"))


def count_up(mac, n):
    low = (int.from_bytes(mac[3:], "big") + n) & 0xFFFFFF
    return mac[:3] + low.to_bytes(3, "big")


def ip_csum(hdr):
    s = sum(struct.unpack("!10H", hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def frame(src, dst, sip, dip, flow, seq):
    payload = MAGIC + struct.pack("!HI", flow, seq) + bytes(22)
    udp = struct.pack("!HHHH", 20000 + flow, 9, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq & 0xFFFF, 0x4000, 64,
                     17, 0, socket.inet_aton(sip), socket.inet_aton(dip))
    ip = ip[:10] + struct.pack("!H", ip_csum(ip)) + ip[12:]
    return dst + src + b"\x08\x00" + ip + udp


def send(argv):
    ifname, srcmac, dstmac, sip, dip = argv[:5]
    nflows, nper, pps = int(argv[5]), int(argv[6]), float(argv[7])
    vary, macs = argv[8].split("=") if len(argv) > 8 else ("", "0")
    macs = int(macs)
    src0, dst0 = mac_bytes(srcmac), mac_bytes(dstmac)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    gap = 1.0 / pps
    t = time.monotonic()
    k = 0
    for seq in range(nper):
        for flow in range(nflows):
            src, dst = src0, dst0
            if vary == "src":
                src = count_up(src0, k % macs)
            elif vary == "dst":
                dst = count_up(dst0, k % macs)
            s.send(frame(src, dst, sip, dip, flow, seq))
            k += 1
            t += gap
            d = t - time.monotonic()
            if d > 0:
                time.sleep(d)
    print("sent %d frames" % k)


def macflood(argv):
    ifname, n, secs, dstmac = argv[0], int(argv[1]), float(argv[2]), mac_bytes(argv[3])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    inner = bytearray(frame(bytes(6), dstmac, "203.0.113.200", "203.0.113.201", 0, 0))
    outer = b""
    if len(argv) > 4 and argv[4] == "VXLAN":
        src, nh, sip, dip, vni = argv[5:10]
        vx = struct.pack("!II", 0x08000000, int(vni) << 8)
        udp = struct.pack("!HHHH", 49152, 4789, 8 + len(vx) + len(inner), 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp) + len(vx) + len(inner), 0,
                         0x4000, 64, 17, 0, socket.inet_aton(sip), socket.inet_aton(dip))
        ip = ip[:10] + struct.pack("!H", ip_csum(ip)) + ip[12:]
        outer = mac_bytes(nh) + mac_bytes(src) + b"\x08\x00" + ip + udp + vx
    buf = bytearray(outer) + inner
    at = len(outer) + 6  # the inner source MAC
    rng = random.Random(7)
    end = time.monotonic() + secs
    sent = 0
    for sent in range(n):
        mac = bytearray(rng.getrandbits(48).to_bytes(6, "big"))
        mac[0] = (mac[0] & 0xFC) | 0x02  # unicast, locally administered
        buf[at:at + 6] = mac
        try:
            s.send(buf)
        except BlockingIOError:
            pass
        if (sent & 1023) == 0 and time.monotonic() > end:
            break
    print("sent %d frames" % (sent + 1))


def check(argv):
    nflows, nper = int(argv[0]), int(argv[1])
    seen = {f: [] for f in range(nflows)}
    other = 0
    for line in sys.stdin:
        parts = line.split()
        if len(parts) < 2:
            continue
        data = bytes.fromhex(parts[1].replace(":", ""))
        if not data.startswith(MAGIC):
            other += 1
            continue
        flow, seq = struct.unpack("!HI", data[4:10])
        if flow in seen:
            seen[flow].append(seq)
    faults = []
    for f in range(nflows):
        got = seen[f]
        if got != list(range(nper)):
            lost = nper - len(set(got))
            dup = len(got) - len(set(got))
            order = sum(1 for a, b in zip(got, got[1:]) if b <= a)
            faults.append("flow %d: %d frames, %d lost, %d twice, %d out of order"
                          % (f, len(got), lost, dup, order))
    total = sum(len(v) for v in seen.values())
    print("%d flows, %d frames received, %d expected, %d faulty flows"
          % (nflows, total, nflows * nper, len(faults)))
    for x in faults[:5]:
        print("  " + x)
    return 1 if faults else 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("send", "check", "macflood"):
        sys.exit(__doc__)
    if sys.argv[1] == "send":
        send(sys.argv[2:])
        return 0
    if sys.argv[1] == "macflood":
        macflood(sys.argv[2:])
        return 0
    return check(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
