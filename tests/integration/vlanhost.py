# SPDX-License-Identifier: BSD-3-Clause
"""Hosts on 802.1Q VLANs of one trunk interface, emulated with scapy.

This kernel has no 802.1Q module (and no bridge VLAN filtering, no tc), so
tagged hosts are played by this script: it answers ARP requests and ICMP echo
requests for each VID:MAC:IP with the same tag, for DURATION seconds.

    vlanhost.py IFACE DURATION VID:MAC:IP [VID:MAC:IP ...]
    vlanhost.py --probe IFACE VID MAC IP TARGET_IP   (ARP request, exit 0 on a
                                                      reply with the same VID)
Run with /usr/bin/python3 (Debian's scapy).
"""
import sys

from scapy.all import ARP, ICMP, IP, Dot1Q, Ether, conf, sendp, sniff, srp

conf.verb = 0


def serve(iface, duration, specs):
    hosts = {}
    for s in specs:
        vid, rest = s.split(":", 1)
        mac, ip = rest.rsplit(":", 1)
        hosts[(int(vid), ip)] = mac

    def handle(p):
        if Dot1Q not in p:
            return
        vid = p[Dot1Q].vlan
        if ARP in p and p[ARP].op == 1:
            mac = hosts.get((vid, p[ARP].pdst))
            if mac is None:
                return
            r = (Ether(src=mac, dst=p[Ether].src) / Dot1Q(vlan=vid) /
                 ARP(op=2, hwsrc=mac, psrc=p[ARP].pdst, hwdst=p[ARP].hwsrc, pdst=p[ARP].psrc))
            sendp(r, iface=iface)
        elif IP in p and ICMP in p and p[ICMP].type == 8:
            mac = hosts.get((vid, p[IP].dst))
            if mac is None or p[Ether].dst != mac:
                return
            ip = p[IP]
            r = (Ether(src=mac, dst=p[Ether].src) / Dot1Q(vlan=vid) /
                 IP(src=ip.dst, dst=ip.src) /
                 ICMP(type=0, id=p[ICMP].id, seq=p[ICMP].seq) / bytes(p[ICMP].payload))
            sendp(r, iface=iface)

    print("vlanhost: serving", sorted(hosts), flush=True)
    sniff(iface=iface, prn=handle, store=False, timeout=duration)


def probe(iface, vid, mac, ip, target):
    q = (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=vid) /
         ARP(op=1, hwsrc=mac, psrc=ip, pdst=target))
    ans, _ = srp(q, iface=iface, timeout=3, retry=2, multi=False)
    for _, r in ans:
        if Dot1Q in r and r[Dot1Q].vlan == vid and ARP in r and r[ARP].psrc == target:
            print("probe: %s is at %s (vlan %d)" % (target, r[ARP].hwsrc, vid))
            return 0
    print("probe: no answer for %s on vlan %d" % (target, vid))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "--probe":
        i, v, m, a, t = sys.argv[2:7]
        sys.exit(probe(i, int(v), m, a, t))
    serve(sys.argv[1], float(sys.argv[2]), sys.argv[3:])
