#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
"""Run one shell command on a lab node's serial console (unix socket) and
print its output: console.py SOCKET 'COMMAND' [TIMEOUT].  Waits for the
shell to answer first, so it can be used right after 'omlab start'."""
import re
import socket
import sys
import time


def main():
    path, cmd = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 180
    deadline = time.time() + timeout
    s = None
    while s is None:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
        except OSError:
            s = None
            if time.time() > deadline:
                sys.exit("console: cannot connect to %s" % path)
            time.sleep(1)
    s.settimeout(1)
    buf = b""
    n = 0
    # the markers are built by the shell, so the echo of our input never matches
    while time.time() < deadline:
        n += 1
        s.sendall(b"echo OMREADY$((%d+1))\r" % n)
        t = time.time() + 3
        while time.time() < t:
            try:
                buf += s.recv(65536)
            except socket.timeout:
                pass
            if b"OMREADY%d" % (n + 1) in buf:
                break
        else:
            continue
        break
    else:
        sys.exit("console: no shell on %s" % path)
    s.sendall(b"stty -echo; " + cmd.encode() + b"; echo OMDONE$((40+2)):$?\r")
    buf = b""
    while time.time() < deadline:
        try:
            buf += s.recv(65536)
        except socket.timeout:
            pass
        if re.search(rb"OMDONE42:\d+", buf):
            break
    out = buf.decode(errors="replace")
    if "OMDONE42:" not in out:
        sys.exit("console: command timed out")
    body, _, rest = out.partition("OMDONE42:")
    m = re.match(r"\s*(\d+)", rest)
    rc = int(m.group(1)) if m else 1
    sys.stdout.write(body.replace("\r", ""))
    sys.exit(rc)


main()
