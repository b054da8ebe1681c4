#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Misbehaving clients of the vxswitch CLI socket, for 10-control.sh.

    ctl_clients.py SOCKET stuck READY GO     one client sends half a request
        line and holds it; touches READY when it is connected and has sent
        it; waits (bounded, 60 s) for the file GO, then sends the rest of
        the line and prints the reply's status line ("VXCTL1 ok N").
    ctl_clients.py SOCKET noread N READY GO  one client sends N requests and
        never reads a reply until GO exists; then it reads them all and
        prints how many "ok" frames it got.
    ctl_clients.py SOCKET raw LINE           send LINE (plus "\\n"), print the
        whole reply (for version mismatch and over-long lines).
    ctl_clients.py SOCKET pipe LINE...      send every LINE (plus "\n") in one
        write before reading any reply, then print one line per reply:
        its status and the first line of its message.
    ctl_clients.py SOCKET many N             open N connections at once; print
        "refused R served S": R refused with "too many clients", S answered a
        command.
"""

import os
import select
import socket
import sys
import time


def conn(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    return s


def wait_file(path, limit=60):
    end = time.time() + limit
    while not os.path.exists(path):
        if time.time() > end:
            sys.exit("timeout waiting for " + path)
        time.sleep(0.05)


def read_frame(s, buf):
    """Return (status, body, rest of buf)."""
    while b"\n" not in buf:
        d = s.recv(65536)
        if not d:
            raise EOFError("connection closed")
        buf += d
    hdr, buf = buf.split(b"\n", 1)
    magic, status, n = hdr.decode().split(" ")
    assert magic == "VXCTL1", hdr
    n = int(n)
    while len(buf) < n:
        d = s.recv(65536)
        if not d:
            raise EOFError("connection closed in a frame")
        buf += d
    return status, buf[:n], buf[n:]


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "stuck":
        ready, go = sys.argv[3], sys.argv[4]
        s = conn(path)
        s.sendall(b"VXCTL1 1 fdb sh")
        open(ready, "w").close()
        wait_file(go)
        s.sendall(b"ow\n")
        status, body, _ = read_frame(s, b"")
        print("VXCTL1 %s %d" % (status, len(body)))
    elif mode == "noread":
        n, ready, go = int(sys.argv[3]), sys.argv[4], sys.argv[5]
        s = conn(path)
        s.setblocking(False)
        line = b"VXCTL1 1 link show\n"
        sent = 0
        data = line * n
        end = time.time() + 30
        # Send what the server takes: it stops reading us once our replies pile up.
        while sent < len(data) and time.time() < end:
            try:
                sent += s.send(data[sent:])
            except BlockingIOError:
                if os.path.exists(ready):
                    break
                open(ready, "w").close()
                time.sleep(0.05)
        open(ready, "w").close()
        wait_file(go)
        s.setblocking(True)
        s.settimeout(30)
        full = sent // len(line)
        oks, buf = 0, b""
        for _ in range(full):
            status, _, buf = read_frame(s, buf)
            oks += status == "ok"
        print("sent %d replies-ok %d" % (full, oks))
    elif mode == "raw":
        s = conn(path)
        s.sendall(sys.argv[3].encode() + b"\n")
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
        sys.stdout.write(out.decode(errors="replace"))
    elif mode == "pipe":
        lines = sys.argv[3:]
        s = conn(path)
        s.sendall(b"".join(x.encode() + b"\n" for x in lines))
        buf = b""
        for _ in lines:
            status, body, buf = read_frame(s, buf)
            print(status, body.decode(errors="replace").split("\n", 1)[0])
    elif mode == "many":
        # Refused connections get "error: too many clients" and are closed;
        # served ones are then asked a command each. Bounded waits only, no
        # fixed delay (the machine may be loaded).
        n = int(sys.argv[3])
        socks = [conn(path) for _ in range(n)]
        refused, other = set(), set()
        last_new, end = time.time(), time.time() + 30
        while time.time() < end and time.time() - last_new < 2:
            pending = [x for x in socks if x not in refused and x not in other]
            rd, _, _ = select.select(pending, [], [], 0.2)
            for x in rd:
                last_new = time.time()
                try:
                    d = x.recv(1000)
                except OSError:
                    d = b""
                (refused if b"too many clients" in d else other).add(x)
        served = 0
        for x in socks:
            if x in refused or x in other:
                continue
            x.sendall(b"VXCTL1 0 link show\n")
            status, _, _ = read_frame(x, b"")
            served += status == "ok"
        print("refused %d served %d" % (len(refused), served))
    else:
        sys.exit("unknown mode " + mode)


main()
