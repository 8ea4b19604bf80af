#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# omflood: hold many TCP connections open to a cluster port without a key,
# reopening each one as soon as it is closed, for a while; then print a
# JSON summary per source address (opens, bytes the node sent us, most
# connections open at once).
#
#   omflood.py ADDR PORT SECONDS SRC:COUNT [SRC:COUNT...]
import errno
import json
import selectors
import socket
import sys
import time


def main():
    if len(sys.argv) < 5:
        print("usage: omflood.py ADDR PORT SECONDS SRC:COUNT...", file=sys.stderr)
        return 2
    dst = (sys.argv[1], int(sys.argv[2]))
    secs = float(sys.argv[3])
    srcs = []
    for a in sys.argv[4:]:
        s, n = a.rsplit(":", 1)
        srcs.append((s, int(n)))
    sel = selectors.DefaultSelector()
    st = {s: {"opens": 0, "connected": 0, "bytes": 0, "open_max": 0, "failed": 0}
          for s, _ in srcs}
    live = {s: 0 for s, _ in srcs}
    retry = []  # (time, src) for connects that failed at once

    def start(src):
        so = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        so.setblocking(False)
        try:
            so.bind((src, 0))
            r = so.connect_ex(dst)
        except OSError:
            so.close()
            st[src]["failed"] += 1
            retry.append((time.monotonic() + 0.05, src))
            return
        if r not in (0, errno.EINPROGRESS):
            so.close()
            st[src]["failed"] += 1
            retry.append((time.monotonic() + 0.05, src))
            return
        st[src]["opens"] += 1
        sel.register(so, selectors.EVENT_WRITE, (src, False))

    def drop(so, src, counted):
        sel.unregister(so)
        so.close()
        if counted:
            live[src] -= 1
        start(src)

    for s, n in srcs:
        for _ in range(n):
            start(s)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        now = time.monotonic()
        due = [r for r in retry if r[0] <= now]
        retry[:] = [r for r in retry if r[0] > now]
        for _, s in due:
            start(s)
        for key, _ in sel.select(timeout=0.05):
            so = key.fileobj
            src, up = key.data
            if not up:
                if so.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    drop(so, src, False)
                    continue
                st[src]["connected"] += 1
                live[src] += 1
                st[src]["open_max"] = max(st[src]["open_max"], live[src])
                sel.modify(so, selectors.EVENT_READ, (src, True))
                continue
            try:
                d = so.recv(4096)
            except OSError:
                d = b""
            if d:
                st[src]["bytes"] += len(d)
            else:
                drop(so, src, True)
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    json.dump(st, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
