#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# ckpt_loop.py OUT [ROUNDS]: a deterministic python3 compute loop for the
# checkpoint/restore scenarios.  Writes OUT.ready (the pid) once started,
# a progress line per round to OUT.log (through a buffered file object,
# so the file offset and the user-space buffer must agree after a
# restore), then the result to OUT and, not part of the result, the
# milliseconds from OUT.ready to the result to OUT.ms.
import math
import os
import random
import sys
import time
import zlib


def put(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def main():
    out = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rng = random.Random(20260501)
    data = bytearray(range(256)) * 1024
    table = {}
    acc, f = 7, 0.5
    log = open(out + ".log", "w")
    with open(out + ".ready", "w") as r:
        r.write("%d\n" % os.getpid())
    t0 = time.monotonic()
    for rnd in range(rounds):
        for i in range(5000):
            x = rng.getrandbits(32)
            data[x % len(data)] ^= x & 0xFF
            acc = (acc * 6364136223846793005 + x) % (2**61 - 1)
            f = math.sin(f * 1.0001 + x * 1e-9)
            table[x & 0x3FF] = table.get(x & 0x3FF, 0) + i
        log.write("round %d acc=%d f=%r\n" % (rnd, acc, f))
    log.close()
    ms = int((time.monotonic() - t0) * 1000)
    tsum = sum(k * v for k, v in table.items()) % (2**61 - 1)
    with open(out + ".ms", "w") as m:
        m.write("%d\n" % ms)
    put(out, "python rounds=%d acc=%d f=%r crc=%08x table=%d\n"
        % (rounds, acc, f, zlib.crc32(data), tsum))


main()
