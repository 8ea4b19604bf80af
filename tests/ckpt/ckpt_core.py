#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# ckpt_core.py DIR PID EXPR: evaluate a Python expression over the decoded
# core image (core, tc, th, gp with integer registers as signed/unsigned
# 64-bit values, sigp/sigs = lists of (signo, code) of pending signals);
# exit 0 if it is true.  Prints the values on failure.
import os
import struct
import sys

import pycriu

d, pid, expr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(os.path.join(d, "core-%d.img" % pid), "rb") as f:
    core = pycriu.images.load(f)["entries"][0]


def h(x):
    return x if isinstance(x, int) else int(x, 0)


def s64(x):
    x = h(x)
    return x - (1 << 64) if x >= 1 << 63 else x


tc, th = core["tc"], core["thread_core"]
gp = {k: s64(v) for k, v in core["thread_info"]["gpregs"].items() if k != "mode"}


def siginfos(q):
    out = []
    for s in (q or {}).get("signals", []):
        raw = s["siginfo"]
        if isinstance(raw, str):
            import base64
            raw = base64.b64decode(raw)
        signo, _errno, code = struct.unpack_from("<iii", raw)
        out.append((signo, code))
    return out


sigp, sigs = siginfos(th.get("signals_p")), siginfos(tc.get("signals_s"))
blocked = h(tc["blk_sigset"])
handlers = {i + 1 + (i >= 8) + (i >= 17): h(sa["sigaction"])
            for i, sa in enumerate(tc["sigactions"])}
ok = eval(expr)
if not ok:
    print("# gp=%s sigp=%s sigs=%s blocked=%x" % (gp, sigp, sigs, blocked))
sys.exit(0 if ok else 1)
