#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# ckpt_check.py DIR PID MAPS [MARKER]: decode every image with pycriu
# (crit's library) and check it against what /proc said before the
# checkpoint (MAPS = a copy of /proc/PID/maps).  Prints "ok"/"not ok" lines,
# exits non-zero on the first failure.
import os
import sys

import pycriu

d, pid, maps = sys.argv[1], int(sys.argv[2]), sys.argv[3]
marker = sys.argv[4].encode() if len(sys.argv) > 4 else None


def check(desc, cond):
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond:
        sys.exit(1)


def h(x):
    return x if isinstance(x, int) else int(x, 0)


def load(name):
    with open(os.path.join(d, name), "rb") as f:
        return pycriu.images.load(f)["entries"]


for n in sorted(os.listdir(d)):
    if n.startswith("pages-"):
        continue
    try:
        load(n)
        ok = True
    except Exception as e:  # noqa: BLE001
        print("# %s: %r" % (n, e))
        ok = False
    check("%s decodes" % n, ok)

inv = load("inventory.img")[0]
check("inventory img_version 2", inv["img_version"] == 2)
ps = load("pstree.img")[0]
check("pstree pid", ps["pid"] == pid and ps["threads"] == [pid])
core = load("core-%d.img" % pid)[0]
check("core mtype x86_64", core["mtype"] == "X86_64")
gp = core["thread_info"]["gpregs"]
check("core ip is a user address", 0 < h(gp["ip"]) < 0x800000000000)
check("core sp is a user address", 0 < h(gp["sp"]) < 0x800000000000)
check("core cs is __USER_CS", h(gp["cs"]) == 0x33)
check("62 sigactions", len(core["tc"]["sigactions"]) == 62)
check("16 rlimits", len(core["tc"]["rlimits"]["rlimits"]) == 16)
check("comm", core["tc"]["comm"] == open("/proc/%d/comm" % pid).read().strip()
      if os.path.exists("/proc/%d/comm" % pid) else True)
fp = core["thread_info"]["fpregs"]
check("fpregs st/xmm", len(fp["st_space"]) == 32 and len(fp["xmm_space"]) == 64)
check("mxcsr plausible (%x)" % h(fp["mxcsr"]), h(fp["mxcsr"]) & 0xffff0000 == 0
      and h(fp["mxcsr"]) & 0x1f80 == 0x1f80)
check("xsave header present", "xsave" in fp and h(fp["xsave"]["xstate_bv"]) & 3 != 0
      if "xsave" in fp else True)

mm = load("mm-%d.img" % pid)[0]
want = []
for line in open(maps):
    f = line.split()
    if f[-1] == "[vsyscall]":
        continue
    s, e = (int(x, 16) for x in f[0].split("-"))
    want.append((s, e))
got = [(h(v["start"]), h(v["end"])) for v in mm["vmas"]]
check("VMAs match /proc/PID/maps (%d)" % len(want), got == want)
check("mm brk inside the heap", h(mm["mm_start_brk"]) <= h(mm["mm_brk"]))
check("auxv present", 2 <= len(mm["mm_saved_auxv"]) <= 44)

files = {f["id"]: f for f in load("files.img")}
check("exe in files.img", mm["exe_file_id"] in files)
fs = load("fs-%d.img" % pid)[0]
check("cwd and root in files.img", fs["cwd_id"] in files and fs["root_id"] in files)
check("root is /", files[fs["root_id"]]["reg"]["name"] == "/")
ids = load("ids-%d.img" % pid)[0]
fdi = load("fdinfo-%d.img" % ids["files_id"])
check("fds 0 1 2 recorded", set([0, 1, 2]) <= {f["fd"] for f in fdi})
check("every fd has a file", all(f["id"] in files for f in fdi))

pm = load("pagemap-%d.img" % pid)
npages = sum(e["nr_pages"] for e in pm[1:])
size = os.path.getsize(os.path.join(d, "pages-%d.img" % pm[0]["pages_id"]))
check("pages-N size matches the pagemap (%d pages)" % npages, size == npages * 4096)
priv = [v for v in mm["vmas"] if h(v["status"]) & (0x8 | 0x40 | 0x200)]
ranges = sorted((h(v["start"]), h(v["end"])) for v in priv)
bad = []
for e in pm[1:]:
    a, end = h(e["vaddr"]), h(e["vaddr"]) + e["nr_pages"] * 4096
    for s_, e_ in ranges:  # entries may span adjacent private VMAs
        if s_ <= a < e_:
            a = e_
    if a < end:
        bad.append("%x+%d" % (h(e["vaddr"]), e["nr_pages"]))
if bad:
    print("# pages outside private VMAs: %s" % bad[:5])
inpriv = not bad
check("every page lies in a private VMA", inpriv)
if marker:
    data = open(os.path.join(d, "pages-%d.img" % pm[0]["pages_id"]), "rb").read()
    check("heap marker in pages image", marker in data)
