#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Abuse of the vxswitch CLI socket for 15-socket-abuse.sh, bounded in time.

    ctl_abuse.py SOCKET KIND SECONDS

KIND is one of:
    churn     connect and close as fast as possible (half of them after
              sending a request, half without a word)
    garbage   connect, write random binary bytes (NULs, with or without a
              final newline, 1 B to 256 KiB), close or read, again
    long      connect, send request lines of 64 KiB to 4 MiB without a
              newline, then one, again
    noread    keep 32 connections that pipeline `fdb show` requests and
              never read a reply
Prints "KIND: N connections, M bytes sent, R refused" at the end.
"""

import errno
import os
import random
import socket
import sys
import time

MAGIC = b"VXCTL1 "


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect(path)
    return s


def send_some(s, data):
    """Send what the socket takes within its timeout; return the count."""
    try:
        return s.send(data)
    except (BlockingIOError, socket.timeout, BrokenPipeError, ConnectionResetError):
        return 0


def churn(path, end, rng, st):
    while time.time() < end:
        try:
            s = connect(path)
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.ECONNREFUSED):
                st["refused"] += 1
                continue
            raise
        st["conns"] += 1
        if rng.random() < 0.5:
            st["bytes"] += send_some(s, MAGIC + b"0 link show\n")
        s.close()


def garbage(path, end, rng, st):
    while time.time() < end:
        try:
            s = connect(path)
        except OSError:
            st["refused"] += 1
            continue
        st["conns"] += 1
        n = rng.choice([1, 7, 100, 4096, 65535, 65536, 65537, 262144])
        data = rng.randbytes(n)
        if rng.random() < 0.5:
            data += b"\n"
        st["bytes"] += send_some(s, data)
        if rng.random() < 0.5:
            try:
                s.settimeout(0.1)
                s.recv(4096)
            except OSError:
                pass
        s.close()


def long_lines(path, end, rng, st):
    while time.time() < end:
        try:
            s = connect(path)
        except OSError:
            st["refused"] += 1
            continue
        st["conns"] += 1
        n = rng.choice([65536, 1 << 20, 4 << 20])
        chunk = MAGIC + b"0 link show " + b"x" * (n - 20)
        sent = 0
        t = time.time() + 2
        while sent < len(chunk) and time.time() < t:
            k = send_some(s, chunk[sent:sent + 65536])
            if k == 0:
                break
            sent += k
        send_some(s, b"\n")
        st["bytes"] += sent
        try:
            s.recv(4096)
        except OSError:
            pass
        s.close()


def noread(path, end, rng, st):
    socks = []
    while time.time() < end:
        while len(socks) < 32:
            try:
                s = connect(path)
            except OSError:
                st["refused"] += 1
                time.sleep(0.05)
                break
            s.setblocking(False)
            socks.append(s)
            st["conns"] += 1
        for s in list(socks):
            k = send_some(s, (MAGIC + b"0 fdb show\n") * 64)
            st["bytes"] += k
        time.sleep(0.05)
        # Now and then one of them goes away and another comes.
        if socks and rng.random() < 0.2:
            socks.pop(rng.randrange(len(socks))).close()
    for s in socks:
        s.close()


KINDS = {"churn": churn, "garbage": garbage, "long": long_lines, "noread": noread}


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in KINDS:
        sys.exit(__doc__)
    path, kind, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rng = random.Random(os.getpid())
    st = {"conns": 0, "bytes": 0, "refused": 0}
    KINDS[kind](path, time.time() + secs, rng, st)
    print("%s: %d connections, %d bytes sent, %d refused"
          % (kind, st["conns"], st["bytes"], st["refused"]))


if __name__ == "__main__":
    main()
