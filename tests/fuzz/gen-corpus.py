#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
#
# Write the seed corpora of the packet harnesses (tests/fuzz/corpus/{underlay,
# access,punt}/seed-*): frames the switch of fuzz_env.c's fz_switch[] handles,
# one path each, as records of fuzz_env.h. Run with Debian's python3 (scapy):
#   /usr/bin/python3 tests/fuzz/gen-corpus.py
# The CLI seeds (corpus/cli) are plain text, written by hand. Files named
# crash-* or regress-* in the corpora are inputs a fuzzer failed on once: this
# script leaves them alone.
import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, UDP, VXLAN, Dot1Q, Ether, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPv6, Raw, TCP)

F_VLAN, F_CSUM, F_SPLIT, F_RSS, F_FIX, F_POLL = 0x04, 0x08, 0x10, 0x20, 0x40, 0x80

ETH0, ETH1, ETH2 = '02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03'
PEER = '02:aa:00:00:00:02'  # 198.51.100.2's MAC (next hop of the resolved VTEP)
VX30, VX40 = '02:00:5e:00:00:30', '02:00:5e:00:00:40'
BCAST = 'ff:ff:ff:ff:ff:ff'
HOST = '02:00:00:00:01:09'  # a host behind an access port
REMOTE = '02:00:00:00:0b:09'  # a host behind a VTEP


def rec(frame, port=0, flags=0, tci=None, csum=None, split=None, rss=None):
    """One frame record: control byte, options, u16 length, bytes."""
    b = bytes(frame)
    ctl = port | flags
    out = b''
    if tci is not None:
        ctl |= F_VLAN
        out += struct.pack('>H', tci)
    if csum is not None:
        ctl |= F_CSUM
        out += bytes([csum])
    if split is not None:
        ctl |= F_SPLIT
        out += bytes([split])
    if rss is not None:
        ctl |= F_RSS
        out += struct.pack('>I', rss)
    return bytes([ctl]) + out + struct.pack('>H', len(b)) + b


def punt(reason, lo, frame, port=0, flags=0):
    return bytes([reason]) + struct.pack('>I', lo) + rec(frame, port, flags)


def inner(dst, src, l3=None):
    return Ether(dst=dst, src=src) / (l3 if l3 is not None else
                                      IP(src='203.0.113.9', dst='203.0.113.10') /
                                      UDP(sport=1000, dport=2000) / Raw(b'x' * 32))


def vx4(vni, inn, dst='198.51.100.1', dport=4789, vlan=None, flags=0x08, dmac=ETH0):
    e = Ether(dst=dmac, src=PEER)
    if vlan is not None:
        e = e / Dot1Q(vlan=vlan)
    return e / IP(src='198.51.100.2', dst=dst) / UDP(sport=49152, dport=dport, chksum=0) / \
        VXLAN(flags=flags, vni=vni) / inn


def vx6(vni, inn, csum=True):
    u = UDP(sport=49153, dport=4789) if csum else UDP(sport=49153, dport=4789, chksum=0)
    return Ether(dst=ETH0, src=PEER) / IPv6(src='2001:db8:1::2', dst='2001:db8:1::1') / u / \
        VXLAN(vni=vni) / inn


def arp_req(src_mac, spa, tpa, dst=BCAST, vlan=None):
    e = Ether(dst=dst, src=src_mac)
    if vlan is not None:
        e = e / Dot1Q(vlan=vlan)
    return e / ARP(op=1, hwsrc=src_mac, psrc=spa, pdst=tpa)


def ns(src_mac, src, target, vlan=None):
    e = Ether(dst='33:33:ff:00:00:01', src=src_mac)
    if vlan is not None:
        e = e / Dot1Q(vlan=vlan)
    return e / IPv6(src=src, dst='ff02::1:ff00:1', hlim=255) / ICMPv6ND_NS(tgt=target) / \
        ICMPv6NDOptSrcLLAddr(lladdr=src_mac)


def underlay():
    bcast_in = inner(BCAST, REMOTE, ARP(op=1, hwsrc=REMOTE, psrc='203.0.113.9',
                                        pdst='203.0.113.10'))
    return {
        'vxlan4-flood': rec(vx4(10, bcast_in), flags=F_FIX | F_POLL),
        'vxlan4-local': rec(vx4(10, inner('02:00:00:00:01:01', REMOTE)), flags=F_FIX),
        'vxlan4-learn-then-forward':
            rec(vx4(10, inner(BCAST, REMOTE)), flags=F_FIX | F_POLL) +
            rec(vx4(10, inner(REMOTE, '02:00:00:00:0b:07')), flags=F_FIX),
        'vxlan4-csum-offload': rec(vx4(10, inner(BCAST, REMOTE)), csum=1 | 4),
        'vxlan4-split': rec(vx4(10, inner(BCAST, REMOTE)), flags=F_FIX, split=60),
        'vxlan6-zero-csum': rec(vx6(20, inner(BCAST, REMOTE), csum=False), flags=F_FIX),
        'vxlan6-csum': rec(vx6(20, inner('02:00:00:00:01:01', REMOTE)), flags=F_FIX),
        'vxlan-8472-overlay-arp':
            rec(vx4(30, inner(BCAST, REMOTE, ARP(op=1, hwsrc=REMOTE, psrc='203.0.113.9',
                                                 pdst='203.0.113.1')), dport=8472),
                flags=F_FIX | F_POLL),
        'vxlan-overlay-ns':
            rec(vx4(40, ns(REMOTE, '2001:db8:ff::9', '2001:db8:ff::1')), flags=F_FIX | F_POLL),
        'vxlan-overlay-echo':
            rec(vx4(30, Ether(dst=VX30, src=REMOTE) / IP(src='203.0.113.9', dst='203.0.113.1') /
                    ICMP() / Raw(b'ping'), dport=8472), flags=F_FIX | F_POLL),
        'vxlan-inner-vlan':
            rec(vx4(10, Ether(dst=BCAST, src=REMOTE) / Dot1Q(vlan=7) / IP() / UDP()),
                flags=F_FIX),
        'vxlan-no-i-flag': rec(vx4(10, inner(BCAST, REMOTE), flags=0), flags=F_FIX),
        'vxlan-unknown-vni': rec(vx4(99, inner(BCAST, REMOTE)), flags=F_FIX),
        'vxlan-eth2-vlan100':
            rec(vx4(10, inner(BCAST, REMOTE), dst='198.51.100.201', vlan=100, dmac=ETH2),
                port=2, flags=F_FIX | F_POLL),
        'vxlan-eth2-stripped':
            rec(vx4(10, inner(BCAST, REMOTE), dst='198.51.100.201', dmac=ETH2), port=2,
                flags=F_FIX, tci=100),
        'arp-request': rec(arp_req(PEER, '198.51.100.7', '198.51.100.1'), flags=F_POLL),
        'icmp-echo':
            rec(Ether(dst=ETH0, src=PEER) / IP(src='198.51.100.7', dst='198.51.100.1') /
                ICMP() / Raw(b'hello'), flags=F_FIX | F_POLL),
        'icmp6-echo':
            rec(Ether(dst=ETH0, src=PEER) / IPv6(src='2001:db8:1::7', dst='2001:db8:1::1') /
                ICMPv6EchoRequest(data=b'hello'), flags=F_FIX | F_POLL),
        'nd-ns': rec(ns(PEER, '2001:db8:1::7', '2001:db8:1::1'), flags=F_FIX | F_POLL),
        'ipv4-options':
            rec(Ether(dst=ETH0, src=PEER) /
                IP(src='198.51.100.2', dst='198.51.100.1', options=[b'\x01\x01\x01\x00']) /
                UDP(dport=4789, chksum=0) / VXLAN(vni=10) / inner(BCAST, REMOTE), flags=F_FIX),
    }


def access():
    return {
        'arp-flood':
            rec(arp_req(HOST, '203.0.113.9', '203.0.113.99'), port=0, flags=F_POLL),
        'unicast-remote4': rec(inner('02:00:00:00:0b:01', HOST), port=0, rss=0x12345678),
        'unicast-remote6':
            rec(Ether(dst='02:00:00:00:0b:02', src=HOST) / Dot1Q(vlan=20) /
                IPv6(src='2001:db8:ff::9', dst='2001:db8:ff::10') / TCP(sport=1, dport=2) /
                Raw(b'y' * 40), port=0, flags=F_FIX),
        'unicast-local-static': rec(inner('02:00:00:00:01:01', HOST), port=0),
        'learn-then-reply':
            rec(inner(BCAST, HOST), port=0, flags=F_POLL) +
            rec(vx4(10, inner(HOST, REMOTE)), port=0, flags=F_FIX | F_POLL),
        'proxy-arp':
            rec(arp_req(HOST, '203.0.113.9', '203.0.113.5', vlan=30), port=2, flags=F_POLL),
        'overlay-arp':
            rec(arp_req(HOST, '203.0.113.9', '203.0.113.1', vlan=30), port=2, flags=F_POLL),
        'overlay-echo':
            rec(Ether(dst=VX30, src=HOST) / Dot1Q(vlan=30) /
                IP(src='203.0.113.9', dst='203.0.113.1') / ICMP() / Raw(b'ping'),
                port=2, flags=F_FIX | F_POLL),
        'overlay-ns': rec(ns(HOST, '2001:db8:ff::9', '2001:db8:ff::1', vlan=40), port=2,
                          flags=F_FIX | F_POLL),
        'overlay-echo6':
            rec(Ether(dst=VX40, src=HOST) / Dot1Q(vlan=40) /
                IPv6(src='2001:db8:ff::9', dst='2001:db8:ff::1') / ICMPv6EchoRequest(),
                port=2, flags=F_FIX | F_POLL),
        'mtu': rec(inner('02:00:00:00:0b:01', HOST, IP() / UDP() / Raw(b'z' * 1480)), port=0,
                   flags=F_FIX),
        'vlan-stripped': rec(inner(BCAST, HOST), port=0, tci=20),
        'split': rec(inner('02:00:00:00:0b:01', HOST), port=0, split=20),
        'eth2-underlay': rec(vx4(10, inner(BCAST, REMOTE), dst='198.51.100.201', vlan=100,
                                 dmac=ETH2), port=2, flags=F_FIX | F_POLL),
        'unmapped-vlan': rec(Ether(dst=BCAST, src=HOST) / Dot1Q(vlan=99) / IP(), port=0),
        'burst': b''.join(rec(inner(BCAST if i % 3 == 0 else '02:00:00:00:0b:01',
                                    '02:00:00:00:01:%02x' % (0x10 + i)), port=i % 3)
                          for i in range(40)),
    }


def punts():
    ovl30 = 3 | (30 << 16) | (1 << 31)
    ovl40 = 4 | (40 << 16) | (1 << 31)
    return {
        'arp-request': punt(1, 0, arp_req(PEER, '198.51.100.7', '198.51.100.1'), flags=F_POLL),
        'arp-reply':
            punt(1, 0, Ether(dst=ETH0, src='02:aa:00:00:00:03') /
                 ARP(op=2, hwsrc='02:aa:00:00:00:03', psrc='198.51.100.3',
                     hwdst=ETH0, pdst='198.51.100.1'), flags=F_POLL),
        'arp-eth2-vlan100':
            punt(1, 0, arp_req(PEER, '198.51.100.7', '198.51.100.201', vlan=100), port=2,
                 flags=F_POLL),
        'nd-ns': punt(2, 0, ns(PEER, '2001:db8:1::7', '2001:db8:1::1'), flags=F_FIX | F_POLL),
        'nd-na':
            punt(2, 0, Ether(dst=ETH0, src='02:aa:00:00:00:12') /
                 IPv6(src='2001:db8:1::2', dst='2001:db8:1::1', hlim=255) /
                 ICMPv6ND_NA(tgt='2001:db8:1::2', R=0, S=1, O=1), flags=F_FIX | F_POLL),
        'icmp-echo':
            punt(3, 0, Ether(dst=ETH0, src=PEER) / IP(src='198.51.100.7', dst='198.51.100.1') /
                 ICMP() / Raw(b'hello'), flags=F_FIX | F_POLL),
        'icmp6-echo':
            punt(3, 0, Ether(dst=ETH0, src=PEER) / IPv6(src='2001:db8:1::7', dst='2001:db8:1::1') /
                 ICMPv6EchoRequest(data=b'hello'), flags=F_FIX | F_POLL),
        'unresolved':
            punt(4, 2, Ether(dst='00:00:00:00:00:00', src=ETH0) /
                 IP(src='198.51.100.1', dst='198.51.100.3') / UDP(sport=50000, dport=4789, chksum=0) /
                 VXLAN(vni=10) / inner(BCAST, HOST), flags=F_FIX | F_POLL),
        'overlay-proxy-arp':
            punt(5, ovl30, arp_req(HOST, '203.0.113.9', '203.0.113.5'), port=2, flags=F_POLL),
        'overlay-arp':
            punt(5, ovl30, arp_req(HOST, '203.0.113.9', '203.0.113.1'), port=2, flags=F_POLL),
        'overlay-ns': punt(5, ovl40, ns(HOST, '2001:db8:ff::9', '2001:db8:ff::1'), port=2,
                           flags=F_FIX | F_POLL),
        'overlay-echo':
            punt(5, ovl30, Ether(dst=VX30, src=HOST) / IP(src='203.0.113.9', dst='203.0.113.1') /
                 ICMP() / Raw(b'ping'), port=2, flags=F_FIX | F_POLL),
    }


def main():
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    for name, seeds in (('underlay', underlay()), ('access', access()), ('punt', punts())):
        d = os.path.join(top, name)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.startswith('seed-'):
                os.unlink(os.path.join(d, f))
        for k, v in seeds.items():
            with open(os.path.join(d, 'seed-' + k), 'wb') as f:
                f.write(v)
        print('%s: %d seeds' % (name, len(seeds)), file=sys.stderr)


if __name__ == '__main__':
    main()
