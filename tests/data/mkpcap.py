#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Input pcaps of the whole-daemon pcap test (tests/integration/11-pcap.sh).

    mkpcap.py DIR [UNDERLAY_PORT_MAC]

UNDERLAY_PORT_MAC is the MAC of the switch's underlay port, the outer
destination of ul_in.pcap (default 02:70:63:61:70:01, what DPDK's net_pcap
gives the second net_pcap device).

DIR/access_in.pcap  frames of host A (02:00:00:00:00:0a, 203.0.113.1) on the
                    access port: 16 UDP flows to host B (02:00:00:00:00:0b,
                    203.0.113.2) and 4 ARP requests (broadcast)
DIR/ul_in.pcap      VXLAN over IPv4 from the remote VTEP 198.51.100.2 to us
                    (198.51.100.1), UDP 4789, VNI 10, carrying 12 UDP frames
                    of host B to host A and 2 broadcast ARP requests of B

Counts are printed as shell assignments for the test to eval.
"""

import os
import sys

from scapy.all import ARP, IP, UDP, Ether, Raw, wrpcap
from scapy.layers.vxlan import VXLAN

MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
IP_A, IP_B = "203.0.113.1", "203.0.113.2"
UL_LOCAL, UL_REMOTE = "198.51.100.1", "198.51.100.2"
MAC_UL_REMOTE = "02:00:00:00:01:02"
VNI = 10


def main():
    out = sys.argv[1]
    mac_ul_local = sys.argv[2] if len(sys.argv) > 2 else "02:70:63:61:70:01"
    acc = []
    for i in range(16):
        acc.append(Ether(src=MAC_A, dst=MAC_B) / IP(src=IP_A, dst=IP_B) /
                   UDP(sport=20000 + i, dport=9000 + i) / Raw(b"a-to-b %02d" % i))
    n_acc_uc = len(acc)
    for i in range(4):
        acc.append(Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") /
                   ARP(op=1, hwsrc=MAC_A, psrc=IP_A, pdst="203.0.113.%d" % (10 + i)))
    ul = []
    inner = []
    for i in range(12):
        inner.append(Ether(src=MAC_B, dst=MAC_A) / IP(src=IP_B, dst=IP_A) /
                     UDP(sport=30000 + i, dport=7000 + i) / Raw(b"b-to-a %02d" % i))
    n_ul_uc = len(inner)
    for i in range(2):
        inner.append(Ether(src=MAC_B, dst="ff:ff:ff:ff:ff:ff") /
                     ARP(op=1, hwsrc=MAC_B, psrc=IP_B, pdst="203.0.113.%d" % (20 + i)))
    for i, f in enumerate(inner):
        ul.append(Ether(src=MAC_UL_REMOTE, dst=mac_ul_local) /
                  IP(src=UL_REMOTE, dst=UL_LOCAL, ttl=64) /
                  UDP(sport=49152 + i, dport=4789) / VXLAN(vni=VNI, flags=0x08) / f)
    wrpcap(os.path.join(out, "access_in.pcap"), acc)
    wrpcap(os.path.join(out, "ul_in.pcap"), ul)
    print("N_ACC=%d N_ACC_UC=%d N_UL=%d N_UL_UC=%d" % (len(acc), n_acc_uc, len(ul), n_ul_uc))


main()
