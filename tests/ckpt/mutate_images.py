#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# mutate_images.py: garbage, truncated and semantically wrong copies of a
# CRIU image directory, for the restore robustness scenario
# (tests/lab/scenarios/ckpt-restore-bad.sh).
#
#   mutate_images.py [--seed N] [--only REGEX] SRC OUT
#       SRC is a valid image directory (omctl checkpoint, criu dump).  For
#       every mutation writes OUT/<name>/ with the images (files it does not
#       change are hard links to SRC's) and a one-line file `why`:
#         "must-fail ..."    a root `omctl restore` must refuse it (exit 1/2)
#         "may-succeed ..."  it may restore (then crash); it must not hang
#       Mutations of the credentials also have `unpriv`, the same for an
#       unprivileged user restoring a copy chowned to it.  `victim` (with
#       `victim.sha256`) is a file the images point at that no restore may
#       modify.
#   mutate_images.py --list SRC      print "name: why" and write nothing
#   mutate_images.py --synth DIR     write a synthetic valid-looking image
#                                    directory (pycriu), for host tests
#   mutate_images.py --self-test     host self-test (synthetic images): each
#                                    mutation changes something, output is
#                                    reproducible, semantic ones decode
#
# Shared anonymous memory (an ANON_SHARED VMA with pagemap-shmem-<shmid>.img
# and its pages-<id>.img) gets the file-level mutations of every image and
# semantic ones (shm-*): a wrong shmid, a truncated or out-of-range shmem
# pagemap, pages of the wrong size, a pages id of another pagemap.
#
# Deterministic: every random choice comes from random.Random("SEED:NAME").
# Needs Debian's criu package (pycriu); run with /usr/bin/python3.
import argparse
import hashlib
import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from pycriu.images import images as pimages
from pycriu.images import magic as pmagic
from pycriu.images import pb

PAGE = 4096
TASK_SIZE = 0x7ffffffff000          # x86_64, 4-level paging (TASK_SIZE_MAX)
COMMON = pmagic.by_name["IMG_COMMON"]
SERVICE = pmagic.by_name["IMG_SERVICE"]
U32 = 0xffffffff
U64 = (1 << 64) - 1

# vma_entry.status
VMA_REGULAR, VMA_STACK, VMA_VSYSCALL, VMA_VDSO = 0x1, 0x2, 0x4, 0x8
VMA_HEAP, VMA_FILE_PRIVATE, VMA_FILE_SHARED = 0x20, 0x40, 0x80
VMA_ANON_SHARED, VMA_ANON_PRIVATE, VMA_SYSVIPC = 0x100, 0x200, 0x400
VMA_SOCKET, VMA_VVAR, VMA_AIORING = 0x800, 0x1000, 0x2000
# pagemap_entry.flags
PE_PARENT, PE_LAZY, PE_PRESENT = 1, 2, 4
MAP_SHARED, MAP_PRIVATE, MAP_ANONYMOUS, MAP_GROWSDOWN = 0x1, 0x2, 0x20, 0x100
O_RDWR, O_CREAT, O_TRUNC, O_LARGEFILE = 0o2, 0o100, 0o1000, 0o100000
NOBODY = 65534


# ---------------------------------------------------------------- wire level

def uvarint(n):
    n &= U64
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_uvarint(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7f) << shift
        if c < 0x80:
            return n, i
        shift += 7


def wire_parse(b):
    """[(field number, wire type, int or bytes)] of one protobuf message."""
    out, i = [], 0
    while i < len(b):
        key, i = read_uvarint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = read_uvarint(b, i)
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 2:
            n, i = read_uvarint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        out.append((num, wt, v))
    return out


def wire_build(fields):
    out = bytearray()
    for num, wt, v in fields:
        out += uvarint(num << 3 | wt)
        if wt == 0:
            out += uvarint(v)
        elif wt == 2:
            out += uvarint(len(v)) + v
        else:
            out += v
    return bytes(out)


def wire_set(b, path, value=None):
    """Set varint field path[-1] (in sub-messages path[:-1], first
    occurrence) to value, or delete it when value is None."""
    fields = wire_parse(b)
    num = path[0]
    if len(path) > 1:
        for k, (n, wt, v) in enumerate(fields):
            if n == num and wt == 2:
                fields[k] = (n, wt, wire_set(v, path[1:], value))
                return wire_build(fields)
        raise KeyError(path)
    if value is None:
        return wire_build([f for f in fields if f[0] != num])
    for k, f in enumerate(fields):
        if f[0] == num:
            fields[k] = (num, 0, value)
            return wire_build(fields)
    fields.append((num, 0, value))
    fields.sort(key=lambda f: f[0])
    return wire_build(fields)


def frame(msgs):
    return b"".join(struct.pack("<I", len(m)) + m for m in msgs)


def unframe(data, off):
    """Entries (bytes) from off to EOF; ValueError if truncated."""
    out = []
    while off < len(data):
        if off + 4 > len(data):
            raise ValueError("truncated length")
        n, = struct.unpack_from("<I", data, off)
        if off + 4 + n > len(data):
            raise ValueError("truncated entry")
        out.append(data[off + 4:off + 4 + n])
        off += 4 + n
    return out


def header_len(kind):
    return 4 if kind == "INVENTORY" else 8


def kind_of(name, data):
    if name.startswith("pages-"):
        return "PAGES"
    if len(data) < 4:
        return None
    m, = struct.unpack_from("<I", data)
    if m in (COMMON, SERVICE) and len(data) >= 8:
        m, = struct.unpack_from("<I", data, 4)
    return pmagic.by_val.get(m)


def pb_class(kind, index=0):
    if kind == "PAGEMAP":
        return pb.pagemap_head if index == 0 else pb.pagemap_entry
    return pimages.handlers[kind].payload


def fill(msg, **kw):
    for k, v in kw.items():
        setattr(msg, k, v)
    return msg


def sigaction_index(sig):
    """Index in task_core_entry.sigactions (1..64 minus SIGKILL, SIGSTOP)."""
    assert sig not in (9, 19)
    return sig - 1 - (sig > 9) - (sig > 19)


def siginfo(signo):
    """A 128-byte siginfo_t: signo, errno 0, SI_USER from pid 1, uid 0."""
    return (struct.pack("<iii", signo, 0, 0) + struct.pack("<ii", 1, 0)).ljust(128, b"\0")


def is_must(expect):
    return expect == "must-fail"


# ---------------------------------------------------------------- the source

class PmEntry:
    def __init__(self, vaddr, nr, flags, f5=None, in_parent=None, data=b""):
        self.vaddr, self.nr, self.flags = vaddr, nr, flags
        self.f5, self.in_parent, self.data = f5, in_parent, data

    def copy(self, **kw):
        e = PmEntry(self.vaddr, self.nr, self.flags, self.f5, self.in_parent, self.data)
        for k, v in kw.items():
            setattr(e, k, v)
        return e

    def encode(self):
        m = fill(pb.pagemap_entry(), vaddr=self.vaddr & U64, nr_pages=self.nr & U32)
        if self.in_parent is not None:
            m.in_parent = self.in_parent
        m.flags = self.flags & U32
        b = m.SerializeToString()
        if self.f5 is not None:           # criu 4.2's 64-bit nr_pages, as we write it
            b += uvarint(5 << 3) + uvarint(self.f5)
        return b


class Images:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.raw = {}
        for n in sorted(os.listdir(path)):
            p = os.path.join(path, n)
            if n.endswith(".img") and os.path.isfile(p):
                with open(p, "rb") as f:
                    self.raw[n] = f.read()
        self.kind = {n: kind_of(n, b) for n, b in self.raw.items()}
        if "pstree.img" not in self.raw:
            raise SystemExit("%s: no pstree.img" % path)
        self.pid = self.msgs("pstree.img")[0].pid
        self.core = "core-%d.img" % self.pid
        self.mm = "mm-%d.img" % self.pid
        self.ids = "ids-%d.img" % self.pid
        self.fs = "fs-%d.img" % self.pid
        self.pagemap = "pagemap-%d.img" % self.pid
        for n in (self.core, self.mm, self.ids, self.fs, self.pagemap, "files.img"):
            if n not in self.raw:
                raise SystemExit("%s: no %s" % (path, n))
        self.fdinfo = "fdinfo-%d.img" % self.msgs(self.ids)[0].files_id
        self.head = self.msgs(self.pagemap)[0]
        self.pages = "pages-%d.img" % self.head.pages_id
        self.pm = self.pm_load()
        self.vma_list = list(self.msgs(self.mm)[0].vmas)
        # shared anonymous memory: shmid -> (pagemap name, head, [PmEntry], pages name)
        self.shm = {}
        for v in self.vma_list:
            n = "pagemap-shmem-%d.img" % v.shmid
            if v.status & VMA_ANON_SHARED and n in self.raw:
                head = self.msgs(n)[0]
                pn = "pages-%d.img" % head.pages_id
                self.shm[v.shmid] = (n, head, self.pm_load(n, pn), pn)

    def entries(self, name):
        data = self.raw[name]
        return unframe(data, header_len(self.kind[name]))

    def header(self, name):
        return self.raw[name][:header_len(self.kind[name])]

    def msgs(self, name):
        """Fresh decoded messages of a file (pagemap: head first)."""
        kind = self.kind[name]
        out = []
        for i, e in enumerate(self.entries(name)):
            m = pb_class(kind, i)()
            m.ParseFromString(e)
            out.append(m)
        return out

    def enc(self, name, msgs, partial=False):
        ser = [m.SerializePartialToString() if partial else m.SerializeToString()
               for m in msgs]
        return self.header(name) + frame(ser)

    def pm_load(self, pagemap=None, pages_name=None):
        ents = self.entries(pagemap or self.pagemap)
        pages = self.raw.get(pages_name or self.pages, b"")
        out, off = [], 0
        for e in ents[1:]:
            m = pb.pagemap_entry()
            m.ParseFromString(e)
            f5 = None
            for num, wt, v in wire_parse(e):
                if num == 5 and wt == 0:
                    f5 = v
            nr = f5 if f5 is not None else m.nr_pages
            flags = m.flags if m.HasField("flags") else PE_PRESENT
            ip = m.in_parent if m.HasField("in_parent") else None
            data = b""
            if flags & PE_PRESENT:
                data = pages[off:off + nr * PAGE]
                off += nr * PAGE
            out.append(PmEntry(m.vaddr, nr, flags, f5, ip, data))
        return out

    def pm_store(self, ents, head=None, shmid=None):
        """{pagemap: ..., pages: ...} for a list of PmEntry (of the shared
        anonymous memory @shmid's pagemap if given)."""
        pmn, pgn = self.pagemap, self.pages
        if shmid is not None:
            pmn, h, _, pgn = self.shm[shmid]
            head = head or h
        hb = (head or self.head).SerializePartialToString()
        pm = self.header(pmn) + frame([hb] + [e.encode() for e in ents])
        pages = b"".join(e.data for e in ents if e.flags & PE_PRESENT)
        return {pmn: pm, pgn: pages}

    def shm_pages(self):
        """pages-N.img names of the shared anonymous memory."""
        return {pn for _, _, _, pn in self.shm.values()}

    # --- layout helpers
    def vmas(self):
        """The source's VMAs (read only)."""
        return self.vma_list

    def vma_of(self, addr):
        for i, v in enumerate(self.vmas()):
            if v.start <= addr < v.end:
                return i
        return None

    def pages_in(self, i):
        v = self.vmas()[i]
        return sum(e.nr for e in self.pm if e.flags & PE_PRESENT and
                   v.start <= e.vaddr < v.end)

    def pick_vma(self, want, exclude=0):
        """Index of the VMA with status & want (and not & exclude) holding
        the most present pages, or None."""
        best, most = None, 0
        for i, v in enumerate(self.vmas()):
            if v.status & want and not v.status & exclude and not v.flags & MAP_GROWSDOWN:
                n = self.pages_in(i)
                if n > most:
                    best, most = i, n
        return best

    def data_vma(self):
        """The anonymous private VMA with most pages (the program's heap)."""
        i = self.pick_vma(VMA_ANON_PRIVATE, VMA_VDSO | VMA_VVAR)
        return i if i is not None else self.pick_vma(VMA_ANON_PRIVATE)

    def hole(self, size):
        """A page-aligned address with size free bytes around it, inside
        the user address space, far from every VMA."""
        spans = sorted((v.start, v.end) for v in self.vmas())
        cand = [0x100000000000, 0x200000000000, 0x10000000, 0x1000000000]
        for a in cand:
            if all(a + size + 0x100000 <= s or a >= e + 0x100000 for s, e in spans):
                return a
        raise RuntimeError("no hole")

    def files_by_id(self):
        return {f.id: f for f in self.msgs("files.img")}

    def fdinfos(self):
        return self.msgs(self.fdinfo)


# ---------------------------------------------------------------- mutations

class Mutation:
    def __init__(self, name, expect, desc, changes, unpriv=None, extra=None, cat="file"):
        assert expect in ("must-fail", "may-succeed"), expect
        assert re.match(r"^[a-z0-9][a-z0-9._-]*$", name), name
        self.name, self.expect, self.desc = name, expect, desc
        self.changes = changes          # file name -> bytes, or None: remove
        self.unpriv = unpriv            # (expect, desc) for an unprivileged restore
        self.extra = extra or {}        # non-image files: victim
        self.cat = cat                  # file: raw bytes; sem: well-formed protobuf

    @property
    def why(self):
        return "%s %s" % (self.expect, self.desc)


class Gen:
    def __init__(self, img, seed, out):
        self.img, self.seed, self.out = img, seed, os.path.abspath(out)
        self.muts = []
        self.skipped = []

    def rng(self, name):
        return random.Random("%d:%s" % (self.seed, name))

    def add(self, name, expect, desc, changes, **kw):
        if any(m.name == name for m in self.muts):
            raise RuntimeError("duplicate mutation " + name)
        self.muts.append(Mutation(name, expect, desc, changes, **kw))

    def sem(self, name, expect, desc, fn, **kw):
        """A semantic mutation: fn() returns the changes; skipped (listed
        in self.skipped) when the source lacks what it needs."""
        try:
            ch = fn()
        except Skip as e:
            self.skipped.append("%s (%s)" % (name, e))
            return
        except Exception as e:  # noqa: BLE001 (an unexpected source image)
            self.skipped.append("%s (error: %r)" % (name, e))
            return
        kw.setdefault("cat", "sem")
        self.add(name, expect, desc, ch, **kw)

    def dirof(self, name):
        return os.path.join(self.out, name)

    # ------------------------------------------------------------ raw bytes
    def file_level(self):
        img = self.img
        for n in sorted(img.raw):
            data, kind = img.raw[n], img.kind[n]
            short = n[:-4]
            # seccomp.img is not read by a restore of a process without a
            # seccomp filter (thread_core.seccomp_mode 0): anything goes
            exp = "may-succeed" if kind == "SECCOMP" else "must-fail"
            if kind == "FDINFO":   # criu reads a missing image as empty: no fds
                self.add("missing-" + short, "may-succeed", "%s removed (no fds)" % n, {n: None})
            elif kind == "TIMENS":  # criu's images have none: the node's clocks
                self.add("missing-" + short, "may-succeed",
                         "%s removed (its clocks are the node's)" % n, {n: None})
            elif kind == "PAGES" and not data and n in img.shm_pages():
                self.add("missing-" + short, "may-succeed",
                         "%s removed (shared memory without pages: not read)" % n, {n: None})
            else:
                self.add("missing-" + short, exp, "%s removed" % n, {n: None})
            if kind == "PAGES":
                self.pages_level(n, data)
                continue
            if kind is None:
                continue
            hl = header_len(kind)
            try:
                ents = img.entries(n)
            except ValueError:      # entries followed by raw payloads (pipes-data, fifo-data)
                ents = []
            first = ents[0] if ents else b""
            points = {0: "empty"}
            if hl == 8:
                points.update({4: "common magic only", 7: "in the type magic"})
            else:
                points[2] = "in the magic"
            if ents:
                points[hl + 2] = "in the first length prefix"
                if len(first) >= 2:
                    points[hl + 4 + len(first) // 2] = "in the first entry"
            points[len(data) - 1] = "last byte missing"
            for at in sorted(points):
                if at >= len(data):
                    continue
                if kind == "SECCOMP" and at >= hl:
                    continue
                self.add("trunc-%s-%d" % (short, at), exp,
                         "%s truncated to %d bytes (%s)" % (n, at, points[at]),
                         {n: data[:at]})
            # header only (every entry removed)
            if ents:
                e = "may-succeed" if kind in ("FDINFO", "SECCOMP") else "must-fail"
                self.add("noentry-" + short, e, "%s has its header but no entry" % n,
                         {n: data[:hl]})
            # magics
            if hl == 8:
                self.add("magic-common-" + short, exp, "%s: common magic 0xdeadbeef" % n,
                         {n: struct.pack("<I", 0xdeadbeef) + data[4:]})
                if kind == "CORE":
                    self.add("magic-service-" + short, exp,
                             "%s: IMG_SERVICE instead of IMG_COMMON" % n,
                             {n: struct.pack("<I", SERVICE) + data[4:]})
            other = pmagic.by_name["MM" if kind != "MM" else "CORE"]
            self.add("magic-type-" + short, exp,
                     "%s: type magic of another image (0x%08x)" % (n, other),
                     {n: data[:hl - 4] + struct.pack("<I", other) + data[hl:]})
            if kind == "INVENTORY":
                self.add("magic-inventory-with-common", exp,
                         "inventory.img with an IMG_COMMON word before its magic",
                         {n: struct.pack("<I", COMMON) + data})
            # length prefixes
            if ents:
                rest = len(data) - hl - 4
                lens = [("ffffffff", U32, "0xffffffff"),
                        ("past-eof", rest + 1, "one byte past EOF")]
                if kind == "CORE":
                    lens += [("32m", (32 << 20) + 1, "32 MiB + 1 (over the cap)"),
                             ("zero", 0, "0 (the message bytes become framing)")]
                for tag, val, what in lens:
                    self.add("len-%s-%s" % (tag, short), exp,
                             "%s: first entry length %s" % (n, what),
                             {n: data[:hl] + struct.pack("<I", val) + data[hl + 4:]})
                if len(ents) > 1:
                    off = len(data) - len(ents[-1]) - 4
                    self.add("len-last-" + short, exp,
                             "%s: last entry length one byte past EOF" % n,
                             {n: data[:off] + struct.pack("<I", len(ents[-1]) + 1) +
                              data[off + 4:]})
                self.add("trailing-" + short, exp,
                         "%s: 2 garbage bytes after the last entry (a cut length)" % n,
                         {n: data + b"\x07\x00"})
            # random byte flips after the header
            if len(data) > hl:
                for s in (1, 2, 3):
                    name = "flip-%s-s%d" % (short, s)
                    r = self.rng(name)
                    b = bytearray(data)
                    pos = sorted(r.sample(range(hl, len(data)), min(s, len(data) - hl)))
                    for p in pos:
                        b[p] ^= r.randrange(1, 256)
                    self.add(name, "may-succeed",
                             "%s: bytes at %s xor'ed with random values (seed %d)"
                             % (n, ",".join(map(str, pos)), s), {n: bytes(b)})

    def pages_level(self, n, data):
        L = len(data)
        shm = n != self.img.pages
        pfx = "" if not shm else n[:-4] + "-"
        seen = set()
        for at, what in ((0, "empty"), (1, "1 byte"), (PAGE - 1, "a page minus 1"),
                         ((L // PAGE // 2) * PAGE + 100, "in the middle"),
                         (L - PAGE, "one page short"), (L - 1, "last byte missing")):
            # a one-page file: "one page short" is "empty"
            if 0 <= at < L and at not in seen:
                seen.add(at)
                self.add("trunc-%s-%d" % (n[:-4], at), "must-fail",
                         "%s truncated to %d bytes (%s)" % (n, at, what), {n: data[:at]})
        # an empty shared memory pages file is not read at all
        exp = "may-succeed" if shm and not L else "must-fail"
        self.add(pfx + "pages-long-page", exp,
                 "%s one page longer than the pagemap says" % n, {n: data + b"\xa5" * PAGE})
        self.add(pfx + "pages-long-byte", exp,
                 "%s one byte longer than the pagemap says" % n, {n: data + b"\x01"})
        if shm:
            if L:
                r = self.rng(pfx + "flip")
                b = bytearray(data)
                pos = sorted(r.sample(range(L), min(4, L)))
                for p in pos:
                    b[p] ^= r.randrange(1, 256)
                self.add(pfx + "flip", "may-succeed",
                         "%s: bytes at %s of shared memory xor'ed" % (n, ",".join(map(str, pos))),
                         {n: bytes(b)})
            return
        # flips only in the program's data (the heap VMA): the restored
        # program then computes another result, it cannot loop forever
        i = self.img.data_vma()
        if i is None:
            return
        v = self.img.vmas()[i]
        spans, off = [], 0
        for e in self.img.pm:
            if e.flags & PE_PRESENT:
                if v.start <= e.vaddr < v.end:
                    spans.append((off, off + len(e.data)))
                off += len(e.data)
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        for s in (1, 2, 3):
            name = "flip-%s-heap-s%d" % (n[:-4], s)
            r = self.rng(name)
            b = bytearray(data)
            pos = []
            while len(pos) < 4 * s:
                p = r.randrange(lo, hi)
                if any(a <= p < e for a, e in spans) and p not in pos:
                    pos.append(p)
            for p in sorted(pos):
                b[p] ^= r.randrange(1, 256)
            self.add(name, "may-succeed",
                     "%s: %d bytes of the heap VMA %x-%x xor'ed (seed %d)"
                     % (n, len(pos), v.start, v.end, s), {n: bytes(b)})

    # ------------------------------------------------------------ semantic
    def semantic(self):
        for f in (self.m_pstree, self.m_inventory_ids_fs, self.m_core, self.m_regs,
                  self.m_fpu, self.m_task, self.m_thread, self.m_creds, self.m_mm,
                  self.m_vmas, self.m_pagemap, self.m_shm, self.m_files, self.m_timens):
            f()

    def m_timens(self):
        """timens-0.img: clocks the kernel would not let a time namespace
        read (nsec out of [0, 1e9), sec over KTIME_SEC_MAX / 2 or
        negative): omctl checks them for its keeper, every restore refuses."""
        n = "timens-0.img"
        kmax = ((1 << 63) - 1) // 1000000000 // 2

        def change(clock, fld, v):
            def fn():
                if n not in self.img.raw:
                    raise Skip("no " + n)
                return self.one_change(n, lambda ms: setattr(getattr(ms[0], clock), fld, v))
            return fn
        for clock in ("monotonic", "boottime"):
            for tag, fld, v, what in (("nsec-1e9", "tv_nsec", 1000000000, "tv_nsec 1e9"),
                                      ("nsec-max", "tv_nsec", U64, "tv_nsec 2^64-1"),
                                      ("sec-over", "tv_sec", kmax + 1, "tv_sec KTIME_SEC_MAX/2+1"),
                                      ("sec-neg", "tv_sec", U64, "tv_sec -1 (2^64-1)")):
                self.sem("timens-%s-%s" % (clock, tag), "must-fail",
                         "%s: %s %s" % (n, clock, what), change(clock, fld, v))

        def no_boottime():
            if n not in self.img.raw:
                raise Skip("no " + n)
            return {n: self.img.header(n) + frame(
                [wire_set(self.img.entries(n)[0], [2], None)])}
        self.sem("timens-no-boottime", "must-fail",
                 "%s: without its required boottime" % n, no_boottime, cat="file")

    def core_change(self, fn, partial=False):
        img = self.img
        core = img.msgs(img.core)[0]
        fn(core)
        return {img.core: img.enc(img.core, [core], partial)}

    def mm_change(self, fn):
        img = self.img
        mm = img.msgs(img.mm)[0]
        fn(mm)
        return {img.mm: img.enc(img.mm, [mm])}

    def one_change(self, name, fn):
        img = self.img
        ms = img.msgs(name)
        fn(ms)
        return {name: img.enc(name, ms)}

    def m_pstree(self):
        img, pid = self.img, self.img.pid
        ps = "pstree.img"

        def two_procs():
            ms = img.msgs(ps)
            ms.append(fill(pb.pstree_entry(), pid=pid + 1, ppid=pid, pgid=ms[0].pgid,
                           sid=ms[0].sid))
            ms[-1].threads.append(pid + 1)
            ch = {ps: img.enc(ps, ms)}
            for n in (img.core, img.mm, img.ids, img.fs, img.pagemap):
                ch[n.replace("-%d." % pid, "-%d." % (pid + 1))] = img.raw[n]
            return ch
        self.sem("pstree-2-processes", "must-fail",
                 "pstree.img: a child process %d (its images are copies)" % (pid + 1),
                 two_procs)

        def threads(tids):
            def fn():
                ch = self.one_change(ps, lambda ms: (ms[0].ClearField("threads"),
                                                     ms[0].threads.extend(tids)))
                for t in tids:
                    if t != pid:
                        ch["core-%d.img" % t] = img.raw[img.core]
                return ch
            return fn
        self.sem("pstree-2-threads", "must-fail",
                 "pstree.img: threads [%d, %d] (core of the 2nd is a copy)" % (pid, pid + 1),
                 threads([pid, pid + 1]))
        self.sem("pstree-leader-not-first", "must-fail",
                 "pstree.img: threads [%d, %d], leader second" % (pid + 1, pid),
                 threads([pid + 1, pid]))
        self.sem("pstree-no-threads", "must-fail", "pstree.img: empty thread list",
                 threads([]))
        for tag, newpid in (("plus1", pid + 1), ("zero", 0), ("huge", 0xfffffff0)):
            self.sem("pstree-pid-" + tag, "must-fail",
                     "pstree.img: pid %d (thread too); files are named after %d"
                     % (newpid, pid),
                     lambda newpid=newpid: self.one_change(ps, lambda ms: (
                         setattr(ms[0], "pid", newpid), ms[0].ClearField("threads"),
                         ms[0].threads.append(newpid))))

    def m_inventory_ids_fs(self):
        img = self.img
        for v in (1, 3):
            self.sem("inventory-version-%d" % v, "must-fail",
                     "inventory.img: img_version %d (only 2 exists)" % v,
                     lambda v=v: self.one_change("inventory.img",
                                                 lambda ms: setattr(ms[0], "img_version", v)))
        self.sem("ids-files-id-7", "may-succeed",
                 "%s: files_id 7, fdinfo-7.img does not exist (criu: no fds)" % img.ids,
                 lambda: self.one_change(img.ids, lambda ms: setattr(ms[0], "files_id", 7)))
        files = img.files_by_id()
        null_id = next((i for i, f in files.items() if f.HasField("reg") and
                        f.reg.name == "/dev/null"), None)
        for fld in ("cwd_id", "root_id"):
            self.sem("fs-%s-missing" % fld[:-3], "must-fail",
                     "%s: %s 999999 is not in files.img" % (img.fs, fld),
                     lambda fld=fld: self.one_change(img.fs,
                                                     lambda ms: setattr(ms[0], fld, 999999)))
            if null_id is not None:
                self.sem("fs-%s-not-dir" % fld[:-3], "must-fail",
                         "%s: %s is /dev/null" % (img.fs, fld),
                         lambda fld=fld: self.one_change(img.fs, lambda ms: setattr(
                             ms[0], fld, null_id)))
        self.sem("fs-umask-garbage", "may-succeed", "%s: umask 0xffffffff" % img.fs,
                 lambda: self.one_change(img.fs, lambda ms: setattr(ms[0], "umask", U32)))

    def m_core(self):
        img = self.img
        self.sem("core-mtype-aarch64", "must-fail", "core: mtype AARCH64",
                 lambda: self.core_change(lambda c: setattr(c, "mtype", pb.core_entry.AARCH64)))
        self.sem("core-mtype-99", "must-fail", "core: mtype 99 (no such arch)",
                 lambda: {img.core: img.header(img.core) + frame(
                     [wire_set(img.entries(img.core)[0], [1], 99)])}, cat="file")
        for fld in ("thread_info", "tc"):
            self.sem("core-no-" + fld.replace("_", "-"), "must-fail",
                     "core: no %s" % fld,
                     lambda fld=fld: self.core_change(lambda c: c.ClearField(fld)))
        self.sem("core-no-thread-core", "may-succeed",
                 "core: no thread_core (root: restored with defaults)",
                 lambda: self.core_change(lambda c: c.ClearField("thread_core")),
                 unpriv=("must-fail", "no creds to check permissions against"))
        for fld, num in (("gpregs", 2), ("fpregs", 3)):
            self.sem("core-no-" + fld, "must-fail",
                     "core: thread_info without its required %s" % fld,
                     lambda num=num: {img.core: img.header(img.core) + frame(
                         [wire_set(img.entries(img.core)[0], [2, num], None)])}, cat="file")
        self.sem("core-task-dead", "must-fail", "core: task_state DEAD (a zombie)",
                 lambda: self.core_change(lambda c: setattr(c.tc, "task_state", 2)))
        self.sem("core-task-state-99", "must-fail", "core: task_state 99",
                 lambda: self.core_change(lambda c: setattr(c.tc, "task_state", 99)))

    def m_regs(self):
        img = self.img

        def regs(**kw):
            return lambda: self.core_change(
                lambda c: [setattr(c.thread_info.gpregs, k, v) for k, v in kw.items()])
        self.sem("regs-mode-compat", "must-fail", "gpregs mode COMPAT (ia32 task)",
                 regs(mode=2))
        self.sem("regs-mode-99", "must-fail", "gpregs mode 99",
                 lambda: {img.core: img.header(img.core) + frame(
                     [wire_set(img.entries(img.core)[0], [2, 2, 28], 99)])}, cat="file")
        for tag, ip in (("task-size", TASK_SIZE), ("noncanonical", 0x0000800000000000),
                        ("kernel", 0xffffffff81000000)):
            self.sem("regs-ip-" + tag, "must-fail",
                     "gpregs ip 0x%x (>= TASK_SIZE 0x%x)" % (ip, TASK_SIZE), regs(ip=ip))
        for tag, kw, what in (("fsbase-kernel", dict(fs_base=0xffff888000000000),
                               "fs_base 0xffff888000000000"),
                              ("gsbase-noncanonical", dict(gs_base=0x0000900000000000),
                               "gs_base non-canonical")):
            self.sem("regs-" + tag, "must-fail", "gpregs " + what, regs(**kw))
        for tag, kw, what in (("cs-kernel", dict(cs=0x10), "cs 0x10 (__KERNEL_CS): forced to "
                               "__USER_CS or refused"),
                              ("cs-32bit", dict(cs=0x23), "cs 0x23 (__USER32_CS) in a native "
                               "task: forced to __USER_CS or refused"),
                              ("cs-garbage", dict(cs=U64), "cs 0xffffffffffffffff: forced or refused"),
                              ("ss-kernel", dict(ss=0x18), "ss 0x18 (__KERNEL_DS): forced to "
                               "__USER_DS or refused"),
                              ("eflags-iopl3", None, "flags |= IOPL 3 (must be masked as ptrace does)"),
                              ("eflags-all", dict(flags=U64), "flags 0xffffffffffffffff (masked, or TF: SIGTRAP)"),
                              ("segs-garbage", dict(ds=0xffff, es=0xffff, fs=0xffff, gs=0xffff),
                               "ds/es/fs/gs 0xffff (sanitized or refused)"),
                              ("sp-noncanonical", dict(sp=0x0000900000000000),
                               "sp non-canonical (the program faults)"),
                              ("orig-ax-garbage", dict(orig_ax=0x1234567), "orig_ax 0x1234567")):
            if kw is None:
                fn = (lambda: self.core_change(lambda c: setattr(
                    c.thread_info.gpregs, "flags", c.thread_info.gpregs.flags | 0x3000)))
            else:
                fn = regs(**kw)
            self.sem("regs-" + tag, "may-succeed", "gpregs " + what, fn)

    def m_fpu(self):
        def fp(fn):
            return lambda: self.core_change(lambda c: fn(c.thread_info.fpregs))

        def resize(field, n):
            def f(p):
                arr = getattr(p, field)
                old = list(arr)
                del arr[:]
                arr.extend((old + [0] * n)[:n])
            return f
        for n in (31, 33):
            self.sem("fp-st-space-%d" % n, "must-fail",
                     "fpregs st_space of %d words (32 expected)" % n, fp(resize("st_space", n)))
        for n in (0, 63):
            self.sem("fp-xmm-space-%d" % n, "must-fail",
                     "fpregs xmm_space of %d words (64 expected)" % n, fp(resize("xmm_space", n)))
        self.sem("fp-padding-600", "must-fail", "fpregs padding of 600 words (over the cap)",
                 fp(resize("padding", 600)))
        self.sem("fp-mxcsr-reserved", "must-fail",
                 "fpregs mxcsr 0xffffffff (reserved bits: XRSTOR would #GP)",
                 fp(lambda p: setattr(p, "mxcsr", U32)))
        self.sem("fp-mxcsr-mask-garbage", "may-succeed", "fpregs mxcsr_mask 0",
                 fp(lambda p: setattr(p, "mxcsr_mask", 0)))
        self.sem("fp-cwd-garbage", "may-succeed", "fpregs cwd/twd/fop 0xffffffff",
                 fp(lambda p: [setattr(p, k, U32) for k in ("cwd", "twd", "fop")]))

        def xs(fn):
            def f(p):
                x = p.xsave
                if not p.HasField("xsave"):
                    x.xstate_bv = 7
                    x.ymmh_space.extend([0] * 64)
                fn(x)
            return fp(f)
        for n in (63, 65, 1000):
            self.sem("xsave-ymmh-%d" % n, "must-fail",
                     "xsave ymmh_space of %d words (64 expected)" % n,
                     xs(lambda x, n=n: (x.ClearField("ymmh_space"),
                                        x.ymmh_space.extend(range(n)))))
        self.sem("xsave-pkru-3", "may-succeed",
                 "xsave pkru of 3 words (PKRU is reset to its init state, or refused)",
                 xs(lambda x: (x.ClearField("pkru"), x.pkru.extend([0, 0, 0]))))
        self.sem("xsave-bv-garbage", "may-succeed",
                 "xsave xstate_bv all ones (unsupported components: XRSTOR would #GP)",
                 xs(lambda x: setattr(x, "xstate_bv", U64)))
        self.sem("xsave-absent", "may-succeed", "fpregs without xsave (legacy area only)",
                 fp(lambda p: p.ClearField("xsave")))
        self.sem("tls-garbage", "may-succeed",
                 "thread_info tls entries: entry_number 0xffffffff, base 0xffffffff",
                 lambda: self.core_change(lambda c: [
                     (setattr(t, "entry_number", U32), setattr(t, "base_addr", U32),
                      setattr(t, "limit", U32)) for t in c.thread_info.tls]))

    def m_task(self):
        def tc(fn):
            return lambda: self.core_change(lambda c: fn(c.tc))

        def sigactions(n):
            def f(t):
                old = list(t.sigactions)
                proto = old[0] if old else pb.sa_entry(sigaction=0, flags=0, restorer=0, mask=0)
                del t.sigactions[:]
                for i in range(n):
                    t.sigactions.add().CopyFrom(old[i] if i < len(old) else proto)
            return tc(f)
        for n in (61, 63, 1000):
            self.sem("sigactions-%d" % n, "must-fail", "core: %d sigactions (62 expected)" % n,
                     sigactions(n))

        def handler(sig, val, pend=False):
            def f(t):
                if len(t.sigactions) != 62:
                    raise Skip("not 62 sigactions")
                sa = t.sigactions[sigaction_index(sig)]
                sa.sigaction = val
                sa.flags = 0x04000000          # SA_RESTORER
                sa.restorer = val
                if pend:
                    t.signals_s.signals.add().siginfo = siginfo(sig)
                    t.blk_sigset &= ~(1 << (sig - 1))
            return tc(f)
        self.sem("sigaction-handler-garbage", "may-succeed",
                 "SIGUSR1 handler and restorer 0xdead0000beef (never delivered)",
                 handler(10, 0xdead0000beef))
        self.sem("sigaction-handler-kernel", "may-succeed",
                 "SIGUSR2 handler 0xffffffff81000000 (never delivered)",
                 handler(12, 0xffffffff81000000))
        self.sem("sigaction-handler-garbage-pending", "may-succeed",
                 "SIGUSR1 handler 0xdead0000beef with SIGUSR1 pending: restores, then "
                 "the program dies of SIGSEGV", handler(10, 0xdead0000beef, True))
        self.sem("sigaction-flags-garbage", "may-succeed",
                 "every sigaction flags/mask 0xffffffffffffffff",
                 tc(lambda t: [(setattr(s, "flags", U64), setattr(s, "mask", U64))
                               for s in t.sigactions]))

        def rlim(fn):
            def f(t):
                if not t.HasField("rlimits") or len(t.rlimits.rlimits) < 8:
                    raise Skip("no rlimits")
                fn(t.rlimits.rlimits)
            return tc(f)
        self.sem("rlimit-cur-gt-max", "must-fail",
                 "RLIMIT_NOFILE cur 4096 > max 1024",
                 rlim(lambda r: (setattr(r[7], "cur", 4096), setattr(r[7], "max", 1024))))
        self.sem("rlimit-nofile-huge", "must-fail",
                 "RLIMIT_NOFILE cur = max = 2^62 (over fs.nr_open even for root)",
                 rlim(lambda r: (setattr(r[7], "cur", 1 << 62), setattr(r[7], "max", 1 << 62))))
        self.sem("rlimits-17", "may-succeed", "17 rlimits (16 exist)",
                 rlim(lambda r: r.add(cur=1, max=1)))
        self.sem("rlimits-none", "may-succeed", "no rlimits",
                 tc(lambda t: t.ClearField("rlimits")))
        self.sem("comm-4000", "must-fail", "comm of 4000 bytes (over the 64-byte cap)",
                 tc(lambda t: setattr(t, "comm", "x" * 4000)))
        self.sem("comm-nul", "must-fail", "comm with an embedded NUL",
                 tc(lambda t: setattr(t, "comm", "ckpt\0prog")))
        self.sem("comm-empty", "may-succeed", "empty comm",
                 tc(lambda t: setattr(t, "comm", "")))

        def sig(raw, n=1):
            def f(t):
                for _ in range(n):
                    t.signals_s.signals.add().siginfo = raw
            return tc(f)
        self.sem("siginfo-short", "must-fail", "a pending siginfo of 10 bytes (128 expected)",
                 sig(b"\x0a" * 10))
        self.sem("siginfo-signo-0", "must-fail", "a pending siginfo with si_signo 0", sig(siginfo(0)))
        self.sem("siginfo-signo-65", "must-fail", "a pending siginfo with si_signo 65",
                 sig(siginfo(65)))
        self.sem("siginfo-65537", "must-fail", "65537 pending signals (one over the cap)",
                 sig(siginfo(10), 65537))
        for tag, kw, e, what in (
                ("blk-sigset-all", dict(blk_sigset=U64), "may-succeed", "blk_sigset all ones"),
                ("personality-garbage", dict(personality=U32), "may-succeed", "personality 0xffffffff"),
                ("exit-code-garbage", dict(exit_code=U32), "may-succeed", "exit_code 0xffffffff"),
                ("task-flags-garbage", dict(flags=U32), "may-succeed", "task flags 0xffffffff"),
                ("oom-score-adj-5000", dict(oom_score_adj=5000), "may-succeed",
                 "oom_score_adj 5000 (out of range)")):
            self.sem("tc-" + tag, e, "core tc: " + what,
                     tc(lambda t, kw=kw: [setattr(t, k, v) for k, v in kw.items()]))
        self.sem("itimer-garbage", "may-succeed",
                 "itimer real interval 2^63 s, 2^40 us",
                 tc(lambda t: fill(t.timers.real, isec=1 << 63, iusec=1 << 40, vsec=1 << 63,
                                   vusec=1 << 40)))
        self.sem("itimer-prof-garbage", "must-fail",
                 "ITIMER_PROF value 2^63 s, 2^40 us (the trampoline would arm it)",
                 tc(lambda t: fill(t.timers.prof, isec=0, iusec=1 << 40, vsec=1 << 63,
                                   vusec=1 << 40)))

        def ptimer(**kw):
            def f(t):
                e = t.timers.posix.add()
                fill(e, it_id=0, clock_id=1, si_signo=14, it_sigev_notify=0, sival_ptr=0,
                     overrun=0, isec=0, insec=0, vsec=3600, vnsec=0)
                for k, v in kw.items():
                    setattr(e, k, v)
            return tc(f)
        for tag, kw, what in (
                ("cpu-clock", dict(clock_id=2), "on CLOCK_PROCESS_CPUTIME_ID"),
                ("negative-clock", dict(clock_id=U32 - 5), "on a pid's CPU clock (-6)"),
                ("alarm-clock", dict(clock_id=9), "on CLOCK_BOOTTIME_ALARM"),
                ("huge-id", dict(it_id=0x7fffffff), "id INT_MAX (2^31 timers to create)"),
                ("bad-notify", dict(it_sigev_notify=U32), "sigev_notify 0xffffffff"),
                ("bad-signo", dict(si_signo=1000), "signal 1000"),
                ("bad-nsec", dict(vnsec=U32), "value 0xffffffff ns"),
                ("huge-value", dict(vsec=U64), "value 2^64-1 s"),
                ("other-thread", dict(it_sigev_notify=4, notify_thread_id=1),
                 "SIGEV_THREAD_ID to pid 1")):
            self.sem("posix-timer-" + tag, "must-fail", "a POSIX timer " + what, ptimer(**kw))

        def ptimers(n, same_id=False):
            def f(t):
                for i in range(n):
                    t.timers.posix.add(it_id=0 if same_id else i, clock_id=1, si_signo=14,
                                       it_sigev_notify=1, sival_ptr=0, overrun=0, isec=0,
                                       insec=0, vsec=0, vnsec=0)
            return tc(f)
        self.sem("posix-timers-same-id", "must-fail", "two POSIX timers with id 0",
                 ptimers(2, same_id=True))
        self.sem("posix-timers-5000", "must-fail", "5000 POSIX timers (over the cap of 4096)",
                 ptimers(5000))

    def m_thread(self):
        def th(fn):
            return lambda: self.core_change(lambda c: fn(c.thread_core))

        def rseq(fn):
            def f(t):
                if not t.HasField("rseq_entry") or not t.rseq_entry.rseq_abi_pointer:
                    raise Skip("no rseq")
                fn(t.rseq_entry)
            return th(f)
        self.sem("rseq-kernel-pointer", "must-fail", "rseq area at 0xffffffff81000000",
                 rseq(lambda r: setattr(r, "rseq_abi_pointer", 0xffffffff81000000)))
        self.sem("rseq-unaligned", "must-fail", "rseq area not 32-byte aligned",
                 rseq(lambda r: setattr(r, "rseq_abi_pointer", r.rseq_abi_pointer + 4)))
        self.sem("rseq-size-huge", "must-fail", "rseq_abi_size 0xffffffff",
                 rseq(lambda r: setattr(r, "rseq_abi_size", U32)))
        self.sem("rseq-signature-garbage", "may-succeed", "rseq signature 0",
                 rseq(lambda r: setattr(r, "signature", 0)))
        self.sem("robust-list-len-bad", "must-fail",
                 "futex_rla_len 1000 (set_robust_list wants 24)",
                 th(lambda t: setattr(t, "futex_rla_len", 1000)))
        self.sem("robust-list-kernel", "may-succeed",
                 "robust list head at 0xffffffff81000000 (exit must not oops)",
                 th(lambda t: setattr(t, "futex_rla", 0xffffffff81000000)))
        self.sem("clear-tid-kernel", "may-succeed",
                 "clear_child_tid at 0xffffffff81000000 (exit must not oops)",
                 lambda: self.core_change(lambda c: setattr(
                     c.thread_info, "clear_tid_addr", 0xffffffff81000000)))
        self.sem("sas-garbage", "may-succeed",
                 "sigaltstack at 0xffffffff81000000, size 2^63, flags 0xffff",
                 th(lambda t: (setattr(t.sas, "ss_sp", 0xffffffff81000000),
                               setattr(t.sas, "ss_size", 1 << 63),
                               setattr(t.sas, "ss_flags", 0xffff))))
        self.sem("seccomp-filter-missing", "must-fail",
                 "seccomp_mode 2 (filter) and no filter image: running it unconfined "
                 "would drop a sandbox", th(lambda t: (setattr(t, "seccomp_mode", 2),
                                                       setattr(t, "seccomp_filter", 7))))
        self.sem("sched-policy-99", "may-succeed", "sched_policy 99 prio 1000",
                 th(lambda t: (setattr(t, "sched_policy", 99), setattr(t, "sched_prio", 1000))))
        self.sem("sched-nice-garbage", "may-succeed", "sched_nice -100",
                 th(lambda t: setattr(t, "sched_nice", -100)))
        self.sem("pdeath-sig-garbage", "may-succeed", "pdeath_sig 1000",
                 th(lambda t: setattr(t, "pdeath_sig", 1000)))
        self.sem("creds-missing", "may-succeed",
                 "thread_core without creds (root: keeps its own)",
                 th(lambda t: t.ClearField("creds")),
                 unpriv=("must-fail", "no creds to check permissions against"))
        def caps(n):
            def f(t):
                for k in ("cap_inh", "cap_prm", "cap_eff", "cap_bnd"):
                    arr = getattr(t.creds, k)
                    old = list(arr) + [0] * n
                    del arr[:]
                    arr.extend(old[:n])
            return th(f)
        for n in (1, 3):
            self.sem("creds-caps-%dwords" % n, "must-fail",
                     "creds cap_* arrays of %d words (2 expected)" % n, caps(n))
        self.sem("creds-groups-65537", "must-fail",
                 "creds with 65537 groups (one over the cap and NGROUPS_MAX)",
                 th(lambda t: t.creds.groups.extend(range(1000, 1000 + 65537 - len(t.creds.groups)))))

    def m_creds(self):
        """Credential mutations: `unpriv` says what an unprivileged user
        restoring a chowned copy must get."""
        def creds(uid, gid=None, caps=None, groups=None, th_extra=None, core_extra=None,
                  **ids):
            gid = uid if gid is None else gid

            def f(t):
                c = t.creds
                for k in ("uid", "euid", "suid", "fsuid"):
                    setattr(c, k, ids.get(k, uid))
                for k in ("gid", "egid", "sgid", "fsgid"):
                    setattr(c, k, ids.get(k, gid))
                if caps is not None:
                    for k in ("cap_inh", "cap_prm", "cap_eff"):
                        del getattr(c, k)[:]
                        getattr(c, k).extend([caps, caps])
                if groups is not None:
                    del c.groups[:]
                    c.groups.extend(groups)
                if th_extra:
                    th_extra(t)

            def g(core):
                f(core.thread_core)
                if core_extra:
                    core_extra(core)
            return lambda: self.core_change(g)
        root = "may-succeed"
        self.sem("creds-other-uid", root, "creds of uid/gid 4242 (root's caps)",
                 creds(4242, groups=[4242]),
                 unpriv=("must-fail", "another user's image"))
        self.sem("creds-nobody-full-caps", root, "creds of nobody with every capability",
                 creds(NOBODY, groups=[]),
                 unpriv=("may-succeed", "capabilities nobody lacks: refused, or restored "
                         "without them"))
        self.sem("creds-nobody-suid-root", root, "creds of nobody, saved uid 0",
                 creds(NOBODY, caps=0, groups=[], suid=0),
                 unpriv=("must-fail", "saved uid 0"))
        self.sem("creds-nobody-sgid-root", root, "creds of nobody, saved gid 0",
                 creds(NOBODY, caps=0, groups=[], sgid=0),
                 unpriv=("must-fail", "saved gid 0"))
        self.sem("creds-nobody-group-root", root, "creds of nobody in supplementary group 0",
                 creds(NOBODY, caps=0, groups=[0]),
                 unpriv=("may-succeed", "supplementary group 0: refused, or restored without"))
        self.sem("creds-nobody", root, "creds of nobody without capabilities",
                 creds(NOBODY, caps=0, groups=[]),
                 unpriv=("may-succeed", "nobody's own credentials"))

        def rt(t):
            t.sched_policy, t.sched_prio = 1, 99   # SCHED_FIFO 99
        self.sem("creds-nobody-sched-fifo", root, "creds of nobody, SCHED_FIFO 99",
                 creds(NOBODY, caps=0, groups=[], th_extra=rt),
                 unpriv=("may-succeed", "SCHED_FIFO needs CAP_SYS_NICE: refused, or "
                         "restored as SCHED_OTHER"))

        def nofile(core):
            r = core.tc.rlimits.rlimits
            if len(r) < 8:
                raise Skip("no rlimits")
            r[7].cur, r[7].max = 1024, 1 << 20
        self.sem("creds-nobody-rlimit-raise", root,
                 "creds of nobody, RLIMIT_NOFILE max 2^20 (above the caller's 4096)",
                 creds(NOBODY, caps=0, groups=[], core_extra=nofile),
                 unpriv=("must-fail", "raising a hard limit needs CAP_SYS_RESOURCE"))

        def page_zero():
            img = self.img
            ch = creds(NOBODY, caps=0, groups=[])()
            core = ch[img.core]
            ch = self.mm_change(lambda mm: self.insert_vma(mm, 0, PAGE))
            ch[img.core] = core
            return ch
        self.sem("creds-nobody-page-zero", root,
                 "creds of nobody and an anonymous VMA at address 0 (root may map it)",
                 page_zero, unpriv=("must-fail", "mapping below mmap_min_addr"))

        def shadow():
            ch = creds(NOBODY, caps=0, groups=[])()
            ch.update(self.fd0_to(fill(pb.reg_file_entry(), flags=0, pos=0,
                                       name="/etc/shadow"), type_="REG"))
            return ch
        self.sem("creds-nobody-fd-shadow", root,
                 "creds of nobody with fd 0 open on /etc/shadow", shadow,
                 unpriv=("must-fail", "/etc/shadow is not readable by nobody"))

    # --- mm and VMAs
    def insert_vma(self, mm, start, size, status=VMA_REGULAR | VMA_ANON_PRIVATE, **kw):
        v = fill(pb.vma_entry(), start=start & U64, end=(start + size) & U64, pgoff=0, shmid=0,
                 prot=3, flags=MAP_PRIVATE | MAP_ANONYMOUS, status=status, fd=-1)
        for k, x in kw.items():
            setattr(v, k, x)
        vs = sorted(list(mm.vmas) + [v], key=lambda x: x.start)
        del mm.vmas[:]
        mm.vmas.extend(vs)
        return v

    def m_mm(self):
        img = self.img

        def fld(**kw):
            return lambda: self.mm_change(lambda mm: [setattr(mm, k, v(mm) if callable(v) else v)
                                                      for k, v in kw.items()])
        for tag, kw, what in (
                ("brk-above-task-size", dict(mm_brk=TASK_SIZE + 0x10000), "mm_brk above TASK_SIZE"),
                ("start-brk-gt-brk", dict(mm_start_brk=lambda m: m.mm_brk + 0x100000),
                 "mm_start_brk > mm_brk"),
                ("arg-start-gt-end", dict(mm_arg_start=lambda m: m.mm_arg_end + 0x1000),
                 "mm_arg_start > mm_arg_end"),
                ("env-kernel", dict(mm_env_start=0xffff888000000000, mm_env_end=0xffff888000001000),
                 "mm_env_start/end in the kernel"),
                ("start-stack-kernel", dict(mm_start_stack=0xffffffff81000000),
                 "mm_start_stack in the kernel"),
                ("code-reversed", dict(mm_start_code=lambda m: m.mm_end_code + 0x1000),
                 "mm_start_code > mm_end_code")):
            self.sem("mm-" + tag, "must-fail", "mm: " + what + " (PR_SET_MM_MAP refuses it)",
                     fld(**kw))
        self.sem("mm-exe-missing", "must-fail", "mm: exe_file_id 999999 is not in files.img",
                 fld(exe_file_id=999999))
        root_id = img.msgs(img.fs)[0].root_id
        self.sem("mm-exe-is-dir", "must-fail",
                 "mm: exe_file_id is the root directory (PR_SET_MM_EXE_FILE refuses it)",
                 fld(exe_file_id=root_id))
        for n in (45, 100, 1000):
            self.sem("mm-auxv-%d" % n, "must-fail",
                     "mm: saved_auxv of %d words (pairs; criu takes <= 44, mm->saved_auxv "
                     "holds 46..52)" % n,
                     lambda n=n: self.mm_change(lambda mm: (
                         mm.ClearField("mm_saved_auxv"),
                         mm.mm_saved_auxv.extend([(i % 40) + 1 for i in range(n)]))))
        self.sem("mm-auxv-52-unterminated", "must-fail",
                 "mm: saved_auxv of 52 nonzero words (6.12's whole array: no room for the "
                 "AT_NULL /proc/PID/auxv reads up to)",
                 lambda: self.mm_change(lambda mm: (
                     mm.ClearField("mm_saved_auxv"),
                     mm.mm_saved_auxv.extend([(i % 40) + 1 for i in range(52)]))))
        self.sem("mm-dumpable-garbage", "must-fail",
                 "mm: dumpable 5 (0, 1 or 2: fs.suid_dumpable's values)", fld(dumpable=5))

    def m_vmas(self):
        img = self.img
        di = img.data_vma()
        if di is None:
            self.skipped.append("vma mutations (no anonymous VMA with pages)")
            return
        dv = img.vmas()[di]
        what = "the heap VMA %x-%x" % (dv.start, dv.end)

        def vma(fn):
            return lambda: self.mm_change(lambda mm: fn(mm, mm.vmas[di]))
        self.sem("vma-start-gt-end", "must-fail", what + " with start and end swapped",
                 vma(lambda mm, v: (setattr(v, "start", dv.end), setattr(v, "end", dv.start))))
        self.sem("vma-start-unaligned", "must-fail", what + " start + 0x10",
                 vma(lambda mm, v: setattr(v, "start", dv.start + 0x10)))
        self.sem("vma-end-unaligned", "must-fail", what + " end - 0x10",
                 vma(lambda mm, v: setattr(v, "end", dv.end - 0x10)))
        if di + 1 < len(img.vmas()):
            nxt = img.vmas()[di + 1]
            self.sem("vma-overlap", "must-fail",
                     what + " extended one page into the next VMA",
                     vma(lambda mm, v: setattr(v, "end", nxt.start + PAGE)))
        self.sem("vma-duplicate", "must-fail", what + " listed twice",
                 lambda: self.mm_change(lambda mm: self.insert_vma(
                     mm, dv.start, dv.end - dv.start, dv.status, prot=dv.prot, flags=dv.flags)))
        self.sem("vma-unsorted", "may-succeed", "mm: VMAs in reverse order",
                 lambda: self.mm_change(lambda mm: (lambda vs: (mm.ClearField("vmas"),
                                                               mm.vmas.extend(vs[::-1])))(
                     list(mm.vmas))))
        h = img.hole(1 << 30)
        self.sem("vma-empty", "must-fail", "mm: an anonymous VMA with start == end",
                 lambda: self.mm_change(lambda mm: self.insert_vma(mm, h, 0)))
        self.sem("vma-above-task-size", "must-fail",
                 "mm: an anonymous VMA 0x%x-0x%x, at TASK_SIZE" % (TASK_SIZE, TASK_SIZE + 2 * PAGE),
                 lambda: self.mm_change(lambda mm: self.insert_vma(mm, TASK_SIZE, 2 * PAGE)))

        def crossing():
            if any(v.end > TASK_SIZE - PAGE for v in img.vmas()):
                raise Skip("the stack reaches TASK_SIZE")
            return self.mm_change(lambda mm: self.insert_vma(mm, TASK_SIZE - PAGE, 2 * PAGE))
        self.sem("vma-crossing-task-size", "must-fail",
                 "mm: an anonymous VMA 0x%x-0x%x, crossing TASK_SIZE"
                 % (TASK_SIZE - PAGE, TASK_SIZE + PAGE), crossing)
        self.sem("vma-kernel", "must-fail", "mm: an anonymous VMA at 0xffff888000000000",
                 lambda: self.mm_change(lambda mm: self.insert_vma(mm, 0xffff888000000000, PAGE)))
        self.sem("vma-end-wraps", "must-fail", "mm: an anonymous VMA ending at 2^64 (end 0)",
                 lambda: self.mm_change(lambda mm: self.insert_vma(mm, U64 + 1 - PAGE, PAGE)))
        self.sem("vma-vsyscall", "may-succeed",
                 "mm: a [vsyscall] VMA at 0xffffffffff600000 as criu dump writes it (status "
                 "VSYSCALL only): skipped",
                 lambda: self.mm_change(lambda mm: self.insert_vma(
                     mm, 0xffffffffff600000, PAGE, VMA_VSYSCALL, prot=4)))
        self.sem("vma-huge", "may-succeed",
                 "mm: an extra 16 TiB anonymous MAP_NORESERVE VMA (nothing may walk it page "
                 "by page)", lambda: self.mm_change(lambda mm: self.insert_vma(
                     mm, img.hole(16 << 40), 16 << 40,
                     flags=MAP_PRIVATE | MAP_ANONYMOUS | 0x4000)))
        self.sem("vmas-zero", "must-fail", "mm: no VMA at all (the pagemap points nowhere)",
                 lambda: self.mm_change(lambda mm: mm.ClearField("vmas")))

        def nothing():
            ch = self.mm_change(lambda mm: mm.ClearField("vmas"))
            ch.update(img.pm_store([]))
            return ch
        self.sem("vmas-zero-no-pages", "may-succeed",
                 "mm: no VMA, empty pagemap and pages (restores an empty address space)", nothing)

        def many():
            mm = img.msgs(img.mm)[0]
            base = img.hole(70000 * 2 * PAGE)
            add = [fill(pb.vma_entry(), start=base + i * 2 * PAGE, end=base + i * 2 * PAGE + PAGE,
                        pgoff=0, shmid=0, prot=3, flags=MAP_PRIVATE | MAP_ANONYMOUS,
                        status=VMA_REGULAR | VMA_ANON_PRIVATE, fd=-1) for i in range(70000)]
            vs = sorted(list(mm.vmas) + add, key=lambda v: v.start)
            mm.ClearField("vmas")
            mm.vmas.extend(vs)
            return {img.mm: img.enc(img.mm, [mm])}
        self.sem("vmas-70000", "must-fail",
                 "mm: 70000 more one-page VMAs (over vm.max_map_count 65530)", many)
        for tag, st, w in (("sysvipc", VMA_REGULAR | VMA_SYSVIPC, "SysV shm (needs ipc images)"),
                           ("socket", VMA_REGULAR | VMA_SOCKET, "a packet socket ring"),
                           ("aioring", VMA_REGULAR | VMA_AIORING, "an AIO ring (needs mm.aios)"),
                           ("anon-shared", VMA_REGULAR | VMA_ANON_SHARED,
                            "shared anonymous (pages belong in pagemap-shmem)")):
            self.sem("vma-status-" + tag, "must-fail", what + " marked " + w,
                     vma(lambda mm, v, st=st: (setattr(v, "status", st),
                                               setattr(v, "flags", MAP_SHARED | MAP_ANONYMOUS
                                                       if "shared" in w else v.flags))))
        self.sem("vma-prot-garbage", "may-succeed", what + " prot 0xffffffff",
                 vma(lambda mm, v: setattr(v, "prot", U32)))
        self.sem("vma-flags-garbage", "may-succeed", what + " flags 0xffffffff",
                 vma(lambda mm, v: setattr(v, "flags", U32)))
        self.sem("vma-madv-all", "must-fail",
                 what + " madv all 64 bits (advice criu does not record cannot be given back)",
                 vma(lambda mm, v: setattr(v, "madv", U64)))
        self.sem("vma-madv-dontfork", "may-succeed", what + " madv MADV_DONTFORK (a restore "
                 "gives it back with madvise())",
                 vma(lambda mm, v: setattr(v, "madv", 1 << 10)))
        self.sem("vma-fd-garbage", "may-succeed", what + " fd 12345",
                 vma(lambda mm, v: setattr(v, "fd", 12345)))
        # file-backed VMAs
        fi = img.pick_vma(VMA_FILE_PRIVATE)
        if fi is None:
            fi = next((i for i, v in enumerate(img.vmas()) if v.status & VMA_FILE_PRIVATE), None)
        if fi is None:
            self.skipped.append("file VMA mutations (no file-private VMA)")
            return
        fv = img.vmas()[fi]
        fwhat = "the file VMA %x-%x" % (fv.start, fv.end)

        def fvma(fn):
            return lambda: self.mm_change(lambda mm: fn(mm.vmas[fi]))
        self.sem("vma-file-missing-id", "must-fail", fwhat + ": shmid 999999 not in files.img",
                 fvma(lambda v: setattr(v, "shmid", 999999)))
        self.sem("vma-file-pgoff-unaligned", "must-fail", fwhat + ": pgoff + 0x10",
                 fvma(lambda v: setattr(v, "pgoff", v.pgoff + 0x10)))
        self.sem("vma-file-is-dir", "must-fail", fwhat + ": mapped file is the root directory",
                 fvma(lambda v: setattr(v, "shmid", img.msgs(img.fs)[0].root_id)))
        self.sem("vma-file-madv-wipeonfork", "must-fail",
                 fwhat + ": madv MADV_WIPEONFORK (madvise() refuses it on a file mapping)",
                 fvma(lambda v: setattr(v, "madv", 1 << 18)))
        self.sem("vma-file-pgoff-huge", "may-succeed",
                 fwhat + ": pgoff 2^50 (past EOF: SIGBUS on access)",
                 fvma(lambda v: setattr(v, "pgoff", 1 << 50)))

    # --- pagemap
    def m_pagemap(self):
        img = self.img
        pm = img.pm
        present = [i for i, e in enumerate(pm) if e.flags & PE_PRESENT and e.nr]
        if not present:
            self.skipped.append("pagemap mutations (no present pages)")
            return
        k = min(present, key=lambda i: (pm[i].nr, i))    # the smallest entry
        e0 = pm[k]
        at = "pagemap entry %x+%d" % (e0.vaddr, e0.nr)

        def ents(fn):
            """fn edits a copy of the entries in place, or returns new ones."""
            def f():
                es = [e.copy() for e in pm]
                r = fn(es)
                return img.pm_store(es if r is None else r)
            return f

        def setk(**kw):
            def f(es):
                for a, b in kw.items():
                    setattr(es[k], a, b)
            return ents(f)
        h = img.hole(1 << 30)
        self.sem("pm-outside-vma", "must-fail", at + " moved to 0x%x, outside every VMA" % h,
                 setk(vaddr=h))
        self.sem("pm-vaddr-unaligned", "must-fail", at + " vaddr + 0x10", setk(vaddr=e0.vaddr + 0x10))
        self.sem("pm-vaddr-kernel", "must-fail", at + " vaddr 0xffff888000000000",
                 setk(vaddr=0xffff888000000000))
        for tag, n in (("2g", 1 << 31), ("ffffffff", U32)):
            self.sem("pm-nr-pages-" + tag, "must-fail",
                     at + " nr_pages 0x%x (no 64-bit field 5)" % n,
                     setk(nr=n, f5=None))
        self.sem("pm-nr-pages64-huge", "must-fail",
                 at + ": nr_pages %d but criu 4.2's field 5 says 2^40" % e0.nr,
                 setk(f5=1 << 40))
        self.sem("pm-nr-pages-zero", "may-succeed",
                 "an extra pagemap entry of 0 pages inside a VMA",
                 ents(lambda es: es.insert(k, e0.copy(nr=0, f5=0 if e0.f5 is not None else None,
                                                      data=b""))))
        self.sem("pm-overlap", "must-fail", at + " listed twice (with its pages)",
                 ents(lambda es: es.insert(k + 1, e0.copy())))
        self.sem("pm-unsorted", "may-succeed", "pagemap entries in reverse order (pages too)",
                 ents(lambda es: es[::-1]))
        self.sem("pm-in-parent", "must-fail",
                 at + " in_parent/PE_PARENT without a parent image",
                 setk(flags=PE_PARENT, in_parent=True, data=b""))
        unused = 1 + max([img.head.pages_id] + [h.pages_id for _, h, _, _ in img.shm.values()])
        self.sem("pm-pages-id-2", "must-fail",
                 "pagemap head pages_id %d (pages-%d.img missing)" % (unused, unused),
                 lambda: img.pm_store(pm, fill(pb.pagemap_head(), pages_id=unused)))

        def nohead():
            p = img.pm_store(pm)
            return {img.pagemap: img.header(img.pagemap) + frame(
                img.entries(img.pagemap)[1:]), img.pages: p[img.pages]}
        self.sem("pm-no-head", "must-fail", "pagemap without its head entry", nohead)
        self.sem("pm-pages-short-page", "must-fail", "pages-N.img one page short of the pagemap",
                 lambda: {img.pages: img.raw[img.pages][:-PAGE]}, cat="file")
        self.sem("pm-empty", "may-succeed",
                 "pagemap head only, empty pages (memory restored as zeroes: the program "
                 "crashes)", lambda: img.pm_store([]))

        # an entry running one page past its VMA's end, into a hole
        def straddle():
            vs = img.vmas()
            for i, v in enumerate(vs):
                nxt = vs[i + 1].start if i + 1 < len(vs) else TASK_SIZE
                if nxt <= v.end or v.status & (VMA_VVAR | VMA_FILE_SHARED):
                    continue
                last = v.end - PAGE
                if any(e.vaddr <= last < e.vaddr + e.nr * PAGE for e in pm):
                    continue
                es = [e.copy() for e in pm]
                new = PmEntry(last, 2, PE_PRESENT, 2 if e0.f5 is not None else None,
                              data=b"\x5a" * (2 * PAGE))
                es.append(new)
                es.sort(key=lambda e: e.vaddr)
                return img.pm_store(es)
            for j, e in enumerate(pm):       # or extend an entry ending at its VMA's end
                i = img.vma_of(e.vaddr)
                if i is None or not e.flags & PE_PRESENT:
                    continue
                v = vs[i]
                nxt = vs[i + 1].start if i + 1 < len(vs) else TASK_SIZE
                if e.vaddr + e.nr * PAGE == v.end and nxt > v.end:
                    es = [x.copy() for x in pm]
                    es[j] = e.copy(nr=e.nr + 1, f5=None if e.f5 is None else e.nr + 1,
                                   data=e.data + b"\x5a" * PAGE)
                    return img.pm_store(es)
            raise Skip("no VMA followed by a hole")
        self.sem("pm-beyond-vma-end", "must-fail",
                 "a pagemap entry running one page past its VMA into a hole", straddle)

        # into [vvar]: not writable, not restorable
        def vvar():
            vs = [v for v in img.vmas() if v.status & VMA_VVAR]
            if not vs:
                raise Skip("no [vvar]")
            es = [e.copy() for e in pm]
            es.append(PmEntry(vs[0].start, 1, PE_PRESENT, 1 if e0.f5 is not None else None,
                              data=b"\x41" * PAGE))
            es.sort(key=lambda e: e.vaddr)
            return img.pm_store(es)
        self.sem("pm-into-vvar", "may-succeed",
                 "a pagemap entry (with a page) into [vvar]: skipped like [vdso] pages, or "
                 "refused; never written", vvar)

        # into a shared file mapping: writing it would write the file
        def shared():
            fi = img.pick_vma(VMA_FILE_PRIVATE)
            if fi is None:
                raise Skip("no file-private VMA with pages")
            mm = img.msgs(img.mm)[0]
            v = mm.vmas[fi]
            files = img.msgs("files.img")
            orig = next((f for f in files if f.id == v.shmid), None)
            if orig is None or not orig.HasField("reg"):
                raise Skip("file VMA without a REG entry")
            data = self.victim_data(orig.reg.name, v.pgoff + (v.end - v.start))
            path = os.path.join(self.dirof("pm-into-file-shared"), "victim")
            new = max(f.id for f in files) + 1
            fe = fill(pb.file_entry(), type=pb.REG, id=new)
            fe.reg.CopyFrom(orig.reg)
            fill(fe.reg, id=new, flags=O_RDWR | O_LARGEFILE, name=path, size=len(data))
            files.append(fe)
            fill(v, shmid=new, status=VMA_REGULAR | VMA_FILE_SHARED, flags=MAP_SHARED,
                 prot=v.prot | 2, fdflags=O_RDWR)
            return ({img.mm: img.enc(img.mm, [mm]), "files.img": img.enc("files.img", files)},
                    data)

        try:
            ch, data = shared()
            self.add("pm-into-file-shared", "must-fail",
                     "a file VMA with pages made MAP_SHARED of a copy of its file (victim): "
                     "filling it would write the file", ch, cat="sem",
                     extra={"victim": data,
                            "victim.sha256": hashlib.sha256(data).hexdigest() + "\n"})
        except Skip as e:
            self.skipped.append("pm-into-file-shared (%s)" % e)

    # --- shared anonymous memory (ANON_SHARED VMA, pagemap-shmem-N.img)
    def m_shm(self):
        img = self.img
        si = next((i for i, v in enumerate(img.vmas())
                   if v.status & VMA_ANON_SHARED and v.shmid in img.shm), None)
        if si is None:
            self.skipped.append("shared memory mutations (no ANON_SHARED VMA with a pagemap)")
            return
        sv = img.vmas()[si]
        pmn, head, ents, pgn = img.shm[sv.shmid]
        size = sv.end - sv.start
        what = "the shared anonymous VMA %x-%x (shmid %d)" % (sv.start, sv.end, sv.shmid)

        def vma(fn):
            return lambda: self.mm_change(lambda mm: fn(mm, mm.vmas[si]))

        def es(fn):
            def f():
                e = [x.copy() for x in ents]
                r = fn(e)
                return img.pm_store(e if r is None else r, shmid=sv.shmid)
            return f
        present = [k for k, e in enumerate(ents) if e.flags & PE_PRESENT and e.nr]
        self.sem("shm-wrong-shmid", "must-fail",
                 what + ": shmid %d, which has no pagemap-shmem image" % (sv.shmid + 1),
                 vma(lambda mm, v: setattr(v, "shmid", sv.shmid + 1)))
        self.sem("shm-shmid-zero", "must-fail", what + ": shmid 0",
                 vma(lambda mm, v: setattr(v, "shmid", 0)))
        self.sem("shm-vma-private", "must-fail", what + " with MAP_PRIVATE|MAP_ANONYMOUS",
                 vma(lambda mm, v: setattr(v, "flags", MAP_PRIVATE | MAP_ANONYMOUS)))
        self.sem("shm-vma-pgoff", "must-fail", what + " at offset 0x1000 of its object",
                 vma(lambda mm, v: setattr(v, "pgoff", PAGE)))
        self.sem("shm-vma-file-status", "must-fail", what + " with FILE_SHARED status too",
                 vma(lambda mm, v: setattr(v, "status", v.status | VMA_FILE_SHARED)))

        def twice():
            h = img.hole(size)
            return self.mm_change(lambda mm: self.insert_vma(
                mm, h, size, sv.status, prot=sv.prot, flags=sv.flags, shmid=sv.shmid))
        self.sem("shm-vma-twice", "must-fail", what + " and a second VMA of the same shmid",
                 twice)
        if present:
            def shrink():
                last = max(e.vaddr + e.nr * PAGE for e in ents if e.flags & PE_PRESENT)
                return self.mm_change(lambda mm: setattr(mm.vmas[si], "end",
                                                         sv.start + last - PAGE))
            self.sem("shm-size-mismatch", "must-fail",
                     what + " one page shorter than its pagemap's last page", shrink)
        self.sem("shm-pm-beyond-end", "must-fail",
                 "%s: an entry at offset 0x%x, the object's end" % (pmn, size),
                 es(lambda e: e + [PmEntry(size, 1, PE_PRESENT, 1, data=b"\x5b" * PAGE)]))
        self.sem("shm-pm-offset-huge", "must-fail", "%s: an entry at offset 2^62" % pmn,
                 es(lambda e: e + [PmEntry(1 << 62, 1, PE_PRESENT, 1, data=b"\x5b" * PAGE)]))
        self.sem("shm-pm-empty", "may-succeed",
                 "%s: head only, %s empty (the shared memory comes back zeroed)" % (pmn, pgn),
                 es(lambda e: []))
        main = img.head.pages_id
        self.sem("shm-pages-id-main", "must-fail",
                 "%s: head pages_id %d, the process's pagemap's" % (pmn, main),
                 lambda: {pmn: img.header(pmn) + frame(
                     [fill(pb.pagemap_head(), pages_id=main).SerializeToString()] +
                     img.entries(pmn)[1:])})
        self.sem("shm-vaddr-as-address", "must-fail",
                 "%s: entries at the VMA's addresses instead of offsets in the object" % pmn,
                 es(lambda e: [x.copy(vaddr=x.vaddr + sv.start) for x in e]))
        self.sem("shm-pm-into-main", "must-fail",
                 "the process's pagemap with a page in %s (pages belong in %s)" % (what, pmn),
                 lambda: img.pm_store(sorted([x.copy() for x in img.pm] + [
                     PmEntry(sv.start, 1, PE_PRESENT, 1 if img.pm and img.pm[0].f5 is not None
                             else None, data=b"\x5c" * PAGE)], key=lambda x: x.vaddr)))
        if not present:
            self.skipped.append("shm page mutations (no page in %s)" % pmn)
            return
        k = present[0]
        e0 = ents[k]
        self.sem("shm-pm-truncated", "must-fail", "%s cut in its last entry" % pmn,
                 lambda: {pmn: img.raw[pmn][:-2]}, cat="file")
        self.sem("shm-pages-short", "must-fail", "%s one page short of %s" % (pgn, pmn),
                 lambda: {pgn: img.raw[pgn][:-PAGE]}, cat="file")
        self.sem("shm-pages-missing", "must-fail", "%s removed (%s has pages)" % (pgn, pmn),
                 lambda: {pgn: None}, cat="file")
        self.sem("shm-pm-unaligned", "must-fail", "%s: entry %d at offset + 0x10" % (pmn, k),
                 es(lambda e: setattr(e[k], "vaddr", e0.vaddr + 0x10)))
        self.sem("shm-pm-overlap", "must-fail", "%s: entry %d listed twice" % (pmn, k),
                 es(lambda e: e.insert(k + 1, e0.copy())))
        self.sem("shm-pm-parent", "must-fail", "%s: entry %d PE_PARENT" % (pmn, k),
                 es(lambda e: e.__setitem__(k, e0.copy(flags=PE_PARENT, data=b""))))
        self.sem("shm-pm-nr-huge", "must-fail",
                 "%s: entry %d nr_pages 2^40 (criu 4.2's field 5)" % (pmn, k),
                 es(lambda e: setattr(e[k], "f5", 1 << 40)))

    def victim_data(self, path, need):
        try:
            with open(path, "rb") as f:
                data = f.read(64 << 20)
        except OSError:
            data = b""
        if len(data) < need:
            r = random.Random("victim:%s" % path)
            data += bytes(r.getrandbits(8) for _ in range(need - len(data)))
        return data

    # --- files and fds
    def fd0_new(self):
        """files.img's entries, the fdinfo entries, fd 0's and an unused
        file id, for a change that makes fd 0 a new entry."""
        files = self.img.msgs("files.img")
        fds = self.img.fdinfos()
        f0 = next((f for f in fds if f.fd == 0), None)
        if f0 is None:
            raise Skip("no fd 0")
        return files, fds, f0, max(f.id for f in files) + 1

    def fd0_point(self, files, fds, f0, new, type_, partial=False):
        """The changed files.img and fdinfo once fd 0 names entry new."""
        f0.id = new
        f0.type = getattr(pb, type_)
        return {"files.img": self.img.enc("files.img", files, partial=partial),
                self.img.fdinfo: self.img.enc(self.img.fdinfo, fds)}

    def fd0_to(self, reg, type_="REG"):
        """Changes making fd 0 point to a new files.img entry."""
        img = self.img
        files, fds, f0, new = self.fd0_new()
        fe = fill(pb.file_entry(), type=getattr(pb, type_), id=new)
        if reg is not None:
            fe.reg.CopyFrom(reg)
            fe.reg.id = new
            fill(fe.reg.fown, uid=0, euid=0, signum=0, pid_type=0, pid=0)
        files.append(fe)
        return self.fd0_point(files, fds, f0, new, type_)

    def fd0_to_fifo(self, name, flags=1, fifo_id=None, regf=True, data=None):
        """Changes making fd 0 a FIFO as criu writes one (a REG entry with
        the path and flags, then the FIFO entry naming it), pipe_id 434343;
        data: fifo-data.img too."""
        img = self.img
        files, fds, f0, new = self.fd0_new()
        reg = fill(pb.file_entry(), type=pb.REG, id=new + 1)
        fill(reg.reg, id=new + 1, flags=flags, pos=0, name=name)
        fill(reg.reg.fown, uid=0, euid=0, signum=0, pid_type=0, pid=0)
        fe = fill(pb.file_entry(), type=pb.FIFO, id=new)
        fill(fe.fifo, id=new if fifo_id is None else fifo_id, pipe_id=434343)
        if regf:
            fe.fifo.regf_id = new + 1
        files += [reg, fe]
        ch = self.fd0_point(files, fds, f0, new, "FIFO")
        if data is not None:
            ch["fifo-data.img"] = data
        return ch

    def m_fifos(self):
        """FIFO entries that cannot be opened as the FIFO they name."""
        self.sem("files-fd0-fifo-devnull", "must-fail",
                 "fd 0 a FIFO whose path is /dev/null (not a FIFO)",
                 lambda: self.fd0_to_fifo("/dev/null"))
        self.sem("files-fd0-fifo-missing", "must-fail",
                 "fd 0 a FIFO whose path /nonexistent/omtest.fifo does not exist",
                 lambda: self.fd0_to_fifo("/nonexistent/omtest.fifo"))
        self.sem("files-fd0-fifo-no-path", "must-fail",
                 "fd 0 a FIFO without regf_id, and no REG entry of its id",
                 lambda: self.fd0_to_fifo("/dev/null", regf=False))
        self.sem("files-fd0-fifo-id-mismatch", "must-fail",
                 "fd 0 a FIFO whose fifo_entry id is not its file_entry's",
                 lambda: self.fd0_to_fifo("/dev/null", fifo_id=999999))
        self.sem("files-fd0-fifo-accmode-3", "must-fail",
                 "fd 0 a FIFO opened with access mode 3",
                 lambda: self.fd0_to_fifo("/dev/null", flags=3))
        self.sem("files-fd0-fifo-o-creat", "must-fail",
                 "fd 0 a FIFO opened O_WRONLY|O_CREAT|O_TRUNC",
                 lambda: self.fd0_to_fifo("/dev/null", flags=1 | O_CREAT | O_TRUNC))

        # a regular file named as a FIFO with contents to write back
        def victim():
            data = self.victim_data("/nonexistent", 65536)
            path = os.path.join(self.dirof("files-fd0-fifo-victim"), "victim")
            hdr = struct.pack("<II", COMMON, pmagic.by_name["FIFO_DATA"])
            m = fill(pb.pipe_data_entry(), pipe_id=434343, bytes=5, size=65536)
            return self.fd0_to_fifo(path, flags=O_RDWR,
                                    data=hdr + frame([m.SerializeToString()]) + b"owned"), data
        try:
            ch, data = victim()
            self.add("files-fd0-fifo-victim", "must-fail",
                     "fd 0 a FIFO O_RDWR with 5 bytes to write back, on a regular victim file "
                     "(a restore must not open or write it)", ch, cat="sem",
                     extra={"victim": data,
                            "victim.sha256": hashlib.sha256(data).hexdigest() + "\n"})
        except Skip as e:
            self.skipped.append("files-fd0-fifo-victim (%s)" % e)

    def m_files(self):
        img = self.img
        files = img.msgs("files.img")
        fds = img.fdinfos()
        if not fds:
            self.skipped.append("fd mutations (no fds)")
            return
        f0 = next((f for f in fds if f.fd == 0), fds[0])
        byid = {f.id: f for f in files}

        def reg_named(pred):
            return next((f for f in files if f.HasField("reg") and pred(f.reg.name)), None)

        def rename(fe, name):
            def fn(ms):
                for f in ms:
                    if f.id == fe.id:
                        f.reg.name = name
            return lambda: self.one_change("files.img", fn)
        fd0file = byid.get(f0.id)
        if fd0file is not None and fd0file.HasField("reg"):
            self.sem("files-fd0-path-missing", "must-fail",
                     "files.img: fd 0's file renamed to /nonexistent/omtest",
                     rename(fd0file, "/nonexistent/omtest"))
            self.sem("files-fd0-path-empty", "must-fail", "files.img: fd 0's file named ''",
                     rename(fd0file, ""))
            self.sem("files-fd0-path-5000", "must-fail",
                     "files.img: fd 0's file name of 5000 bytes (over PATH_MAX and the cap)",
                     rename(fd0file, "/" + "a" * 4999))
            self.sem("files-fd0-is-dir-rdwr", "must-fail",
                     "files.img: fd 0's file renamed to / (opened O_RDWR: EISDIR)",
                     lambda: self.one_change("files.img", lambda ms: [
                         (setattr(f.reg, "name", "/"), setattr(f.reg, "flags", O_RDWR))
                         for f in ms if f.id == fd0file.id]))
            self.sem("files-fd0-flags-garbage", "may-succeed",
                     "files.img: fd 0's open flags 0xffffffff",
                     lambda: self.one_change("files.img", lambda ms: [
                         setattr(f.reg, "flags", U32) for f in ms if f.id == fd0file.id]))
        exe = byid.get(img.msgs(img.mm)[0].exe_file_id)
        if exe is not None and exe.HasField("reg"):
            self.sem("files-exe-path-missing", "must-fail",
                     "files.img: the executable (also mapped) renamed to /nonexistent/exe",
                     rename(exe, "/nonexistent/exe"))
            self.sem("files-exe-size-mismatch", "must-fail",
                     "files.img: the executable's recorded size + 4096 (a changed file: "
                     "refused, as criu does)",
                     lambda: self.one_change("files.img", lambda ms: [
                         (setattr(f.reg, "size", f.reg.size + PAGE)) for f in ms if f.id == exe.id]))
        lib = None
        for v in img.vmas():
            f = byid.get(v.shmid) if v.status & VMA_FILE_PRIVATE else None
            if f is not None and f.HasField("reg") and (exe is None or f.id != exe.id):
                lib = f
                break
        if lib is not None:
            self.sem("files-lib-path-missing", "must-fail",
                     "files.img: a mapped library (%s) renamed to /nonexistent/lib"
                     % lib.reg.name, rename(lib, "/nonexistent/lib"))
        self.sem("files-type-99", "must-fail", "fd 0 points to a file_entry of type 99",
                 lambda: self.fd099())
        self.sem("files-reg-without-reg", "must-fail",
                 "fd 0 points to a REG file_entry without its reg message",
                 lambda: self.fd0_to(None))

        # O_TRUNC|O_CREAT on a file that must survive the restore
        def trunc():
            data = self.victim_data("/nonexistent", 65536)
            path = os.path.join(self.dirof("files-fd0-o-trunc"), "victim")
            ch = self.fd0_to(fill(pb.reg_file_entry(), flags=O_RDWR | O_CREAT | O_TRUNC,
                                  pos=0, name=path, size=len(data), mode=0o100644))
            return ch, data
        try:
            ch, data = trunc()
            self.add("files-fd0-o-trunc", "may-succeed",
                     "fd 0 on a victim file with flags O_RDWR|O_CREAT|O_TRUNC (a restore "
                     "must not truncate or create files)", ch, cat="sem",
                     extra={"victim": data,
                            "victim.sha256": hashlib.sha256(data).hexdigest() + "\n"})
        except Skip as e:
            self.skipped.append("files-fd0-o-trunc (%s)" % e)

        def fdi(fn):
            return lambda: self.one_change(img.fdinfo, fn)
        for tag, fd in (("1000000", 1000000), ("7fffffff", 0x7fffffff), ("ffffffff", U32)):
            self.sem("fdinfo-fd-" + tag, "must-fail",
                     "%s: fd %d becomes %d" % (img.fdinfo, f0.fd, fd),
                     fdi(lambda ms, fd=fd: [setattr(m, "fd", fd) for m in ms if m.fd == f0.fd]))
        if len(fds) > 1:
            self.sem("fdinfo-dup-fd", "must-fail", "%s: two entries for fd %d" % (img.fdinfo, f0.fd),
                     fdi(lambda ms: [setattr(m, "fd", f0.fd) for m in ms[1:2]]))
        self.sem("fdinfo-missing-id", "must-fail", "%s: fd %d's file id 999999 not in files.img"
                 % (img.fdinfo, f0.fd),
                 fdi(lambda ms: [setattr(m, "id", 999999) for m in ms if m.fd == f0.fd]))
        self.sem("fdinfo-type-mismatch", "must-fail",
                 "%s: fd %d typed PIPE but its file is REG" % (img.fdinfo, f0.fd),
                 fdi(lambda ms: [setattr(m, "type", pb.PIPE) for m in ms if m.fd == f0.fd]))
        self.sem("fdinfo-flags-garbage", "may-succeed", "%s: fd flags 0xffffffff" % img.fdinfo,
                 fdi(lambda ms: [setattr(m, "flags", U32) for m in ms]))

        def many(ms):
            for i in range(10000):
                ms.append(fill(pb.fdinfo_entry(), id=f0.id, flags=0, type=f0.type, fd=100 + i))
        self.sem("fdinfo-10000", "must-fail",
                 "%s: 10000 more fds, 100..10099 (over RLIMIT_NOFILE)" % img.fdinfo, fdi(many))
        self.m_pipes_data()
        self.m_fifo_data()
        self.m_fifos()
        self.m_anon()
        self.m_ghosts()
        self.m_ttys()

    def fd0_to_anon(self, type_, sub, fields, sub_id=None, fown=True):
        """Changes making fd 0 a new eventfd, signalfd, timerfd or epoll
        entry: sub is file_entry's field (efd, sgfd, tfd, epfd), fields its
        values (tfd: a list of eventpoll_tfd_entry values); sub None: none."""
        img = self.img
        files, fds, f0, new = self.fd0_new()
        fe = fill(pb.file_entry(), type=getattr(pb, type_), id=new)
        if sub is not None:
            m = getattr(fe, sub)
            tfds = fields.pop("tfd", [])
            fill(m, id=new if sub_id is None else sub_id, **fields)
            if fown:
                fill(m.fown, uid=0, euid=0, signum=0, pid_type=0, pid=0)
            for t in tfds:
                fill(m.tfd.add(), id=new, **t)
        files.append(fe)
        return self.fd0_point(files, fds, f0, new, type_, partial=not fown)

    def m_anon(self):
        """fd 0 an eventfd, signalfd, timerfd or epoll: values no kernel
        makes, or that cannot be made again, must be refused."""
        IN, ERR, HUP = 0x1, 0x8, 0x10
        EXCL, ONESHOT, ET = 1 << 28, 1 << 30, 1 << 31
        fds = [f.fd for f in self.img.fdinfos()]
        other = next((fd for fd in fds if fd != 0), None)

        def anon(name, expect, desc, type_, sub, **kw):
            sub_id = kw.pop("sub_id", None)
            fown = kw.pop("fown", True)
            self.sem("anon-" + name, expect, "fd 0 " + desc,
                     lambda: self.fd0_to_anon(type_, sub, dict(kw), sub_id, fown))
        anon("eventfd", "may-succeed", "an eventfd counting 5 (O_RDWR|O_NONBLOCK)",
             "EVENTFD", "efd", flags=0o4002, counter=5)
        anon("eventfd-overflow", "must-fail", "an eventfd at ULLONG_MAX (write() cannot make it)",
             "EVENTFD", "efd", flags=O_RDWR, counter=U64)
        anon("eventfd-wronly", "must-fail", "an eventfd O_WRONLY", "EVENTFD", "efd",
             flags=1, counter=1)
        anon("eventfd-o-creat", "must-fail", "an eventfd O_RDWR|O_CREAT|O_TRUNC", "EVENTFD", "efd",
             flags=O_RDWR | O_CREAT | O_TRUNC, counter=1)
        anon("eventfd-no-efd", "must-fail", "an EVENTFD file_entry without its efd message",
             "EVENTFD", None)
        anon("eventfd-id-mismatch", "must-fail", "an eventfd whose efd id is not its file's",
             "EVENTFD", "efd", sub_id=999999, flags=O_RDWR, counter=1)
        anon("eventfd-no-fown", "must-fail", "an eventfd without its required fown",
             "EVENTFD", "efd", fown=False, flags=O_RDWR, counter=1)
        anon("signalfd", "may-succeed", "a signalfd of SIGUSR1 and 64", "SIGNALFD", "sgfd",
             flags=O_RDWR, sigmask=(1 << 9) | (1 << 63))
        anon("signalfd-sigkill", "must-fail", "a signalfd of SIGKILL (signalfd() drops it)",
             "SIGNALFD", "sgfd", flags=O_RDWR, sigmask=1 << 8)
        anon("signalfd-all", "must-fail", "a signalfd of every signal, SIGSTOP too",
             "SIGNALFD", "sgfd", flags=O_RDWR, sigmask=U64)
        tfd = dict(flags=O_RDWR, clockid=1, ticks=0, settime_flags=0, vsec=10, vnsec=0,
                   isec=0, insec=0)

        def timer(name, expect, desc, **kw):
            anon(name, expect, desc, "TIMERFD", "tfd", **dict(tfd, **kw))
        timer("timerfd", "may-succeed", "a MONOTONIC timerfd, 10 s left, 3 ticks", ticks=3)
        timer("timerfd-ticks-max", "may-succeed", "a timerfd with 2^64-1 ticks", ticks=U64)
        timer("timerfd-expired-periodic", "may-succeed",
              "a timerfd as criu records one expired and unread: no time left, 1 tick, "
              "every 1 s (armed for one interval)", vsec=0, ticks=1, isec=1)
        timer("timerfd-alarm", "must-fail", "a timerfd on CLOCK_BOOTTIME_ALARM", clockid=9)
        timer("timerfd-clock-cputime", "must-fail", "a timerfd on CLOCK_PROCESS_CPUTIME_ID",
              clockid=2)
        timer("timerfd-clock-99", "must-fail", "a timerfd on clock 99", clockid=99)
        timer("timerfd-cancel-on-set", "must-fail",
              "a timerfd with TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET", settime_flags=3)
        timer("timerfd-settime-flags", "must-fail", "a timerfd with settime flags 0xffffffff",
              settime_flags=U32)
        timer("timerfd-nsec", "must-fail", "a timerfd with 1e9 ns left", vnsec=1000000000)
        timer("timerfd-interval-huge", "must-fail", "a timerfd every 2^63 s", isec=1 << 63)
        timer("timerfd-abs-huge", "must-fail", "an absolute timerfd 2^64-1 s away",
              settime_flags=1, vsec=U64)
        ep = dict(flags=O_RDWR)
        ok_ev = IN | ERR | HUP

        def epoll(name, expect, desc, tfds):
            anon(name, expect, desc, "EVENTPOLL", "epfd", **dict(ep, tfd=tfds))
        epoll("epoll-empty", "may-succeed", "an epoll watching nothing", [])
        if other is not None:
            epoll("epoll", "may-succeed", "an epoll watching fd %d (IN|ET)" % other,
                  [dict(tfd=other, events=ok_ev | ET, data=0x1234)])
            epoll("epoll-dup-tfd", "must-fail", "an epoll watching fd %d twice" % other,
                  [dict(tfd=other, events=ok_ev, data=1), dict(tfd=other, events=ok_ev, data=2)])
            epoll("epoll-events-garbage", "must-fail",
                  "an epoll watching fd %d for events 0xffffffff" % other,
                  [dict(tfd=other, events=U32, data=1)])
            epoll("epoll-no-errhup", "must-fail",
                  "an epoll watching fd %d for EPOLLIN alone (epoll_ctl() adds EPOLLERR|EPOLLHUP)"
                  % other, [dict(tfd=other, events=IN, data=1)])
            epoll("epoll-exclusive-oneshot", "must-fail",
                  "an epoll watching fd %d EPOLLEXCLUSIVE|EPOLLONESHOT" % other,
                  [dict(tfd=other, events=ok_ev | EXCL | ONESHOT, data=1)])
            epoll("epoll-oneshot-fired", "may-succeed",
                  "an epoll with a fired EPOLLONESHOT entry for fd %d (made by firing it: "
                  "refused if the fd has no event)" % other,
                  [dict(tfd=other, events=ONESHOT, data=7)])
            epoll("epoll-5000", "must-fail", "an epoll of 5000 entries (over the cap of 4096)",
                  [dict(tfd=other, events=ok_ev, data=i) for i in range(5000)])
        epoll("epoll-self", "must-fail", "an epoll watching itself (fd 0)",
              [dict(tfd=0, events=ok_ev, data=1)])
        epoll("epoll-missing-fd", "must-fail", "an epoll watching fd 999999, not in the image",
              [dict(tfd=999999, events=ok_ev, data=1)])
        epoll("epoll-fd-huge", "must-fail", "an epoll watching fd 0xffffffff",
              [dict(tfd=U32, events=ok_ev, data=1)])

    def m_fifo_data(self):
        """fifo-data.img added (the source has no FIFO of its own)."""
        self.pipe_data_mutations("fifo-data.img", "FIFO_DATA", "FIFO")

    def m_pipes_data(self):
        """pipes-data.img added (the source has no pipe of its own)."""
        self.pipe_data_mutations("pipes-data.img", "PIPES_DATA", "pipe")

    def pipe_data_mutations(self, img, magic, kind):
        """pipes-data.img and fifo-data.img: one format, the same mutations;
        fifo-data.img also gets the 16 MiB bound and the other's magic."""
        if img in self.img.raw:
            self.skipped.append("%s mutations (the source has %s)" % (img[:-4], img))
            return
        hdr = struct.pack("<II", COMMON, pmagic.by_name[magic])
        pre = img[:-4]

        def ent(pipe_id, nbytes, size, payload):
            m = fill(pb.pipe_data_entry(), pipe_id=pipe_id, bytes=nbytes, size=size)
            return frame([m.SerializeToString()]) + payload
        self.add(pre + "-unused", "may-succeed",
                 "%s: 5 bytes of a %s no fd has (ignored)" % (img, kind),
                 {img: hdr + ent(424242, 5, 65536, b"hello")})
        self.add(pre + "-past-eof", "must-fail",
                 "%s: an entry of 100000 bytes, 5 in the file" % img,
                 {img: hdr + ent(424242, 100000, 1 << 20, b"hello")})
        self.add(pre + "-over-size", "must-fail",
                 "%s: 8 bytes in a %s of 4" % (img, kind),
                 {img: hdr + ent(424242, 8, 4, b"12345678")})
        if magic == "FIFO_DATA":
            self.add(pre + "-over-16m", "must-fail",
                     "%s: an entry claiming 4 GiB - 1" % img,
                     {img: hdr + ent(424242, U32, U32, b"x")})
        self.add(pre + "-twice", "must-fail",
                 "%s: two entries for one %s" % (img, kind),
                 {img: hdr + ent(424242, 1, 4096, b"a") + ent(424242, 1, 4096, b"b")})
        if magic == "FIFO_DATA":
            self.add(pre + "-pipes-magic", "must-fail",
                     "%s with the pipes-data magic" % img,
                     {img: struct.pack("<II", COMMON, pmagic.by_name["PIPES_DATA"]) +
                      ent(424242, 1, 4096, b"a")})

    # --- deleted files: remap-fpath.img and ghost-file-N.img (issue 14)
    def ghost_bytes(self, data=b"hello", chunks=None, size=None, mode=0o100600, uid=0, gid=0,
                    raw=None):
        """A ghost-file image: the entry, then data to EOF, or chunks
        [(off, len, payload)]; raw replaces the entry's bytes."""
        g = fill(pb.ghost_file_entry(), uid=uid, gid=gid, mode=mode, dev=0x800003, ino=77)
        fill(g.atim, tv_sec=1000000000, tv_usec=5)
        fill(g.mtim, tv_sec=1100000000, tv_usec=7)
        if chunks is not None:
            g.chunks = True
        if size is not None:
            g.size = size
        out = struct.pack("<II", COMMON, pmagic.by_name["GHOST_FILE"])
        out += frame([raw if raw is not None else g.SerializeToString()])
        if chunks is None:
            return out + data
        for off, ln, payload in chunks:
            out += frame([fill(pb.ghost_chunk_entry(), len=ln & U64, off=off & U64)
                          .SerializeToString()]) + payload
        return out

    def fd0_to_ghost(self, ghost, name=None, flags=O_RDWR, mode=0o100600, size=5,
                     remaps=None, gid=7, target=None):
        """Changes making fd 0 a deleted file as criu writes one: a REG
        entry by its former path (in the mutation's directory), remapped
        to ghost-file-<gid>.img (ghost: its bytes, or None: none).
        remaps: [(orig_id, remap_id, type or None)], None for the REG entry
        (-1 in orig_id stands for it); target: another file id remapped."""
        img = self.img
        new = max(f.id for f in img.msgs("files.img")) + 1
        reg = fill(pb.reg_file_entry(), flags=flags, pos=0, mode=mode,
                   name=name if name is not None else "/nonexistent-dir/ghost")
        if size is not None:
            reg.size = size
        ch = self.fd0_to(reg)
        rp = [e.SerializeToString() for e in img.msgs("remap-fpath.img")] \
            if "remap-fpath.img" in img.raw else []
        for orig, rid, typ in remaps if remaps is not None else [(-1, gid, pb.GHOST)]:
            e = fill(pb.remap_file_path_entry(), orig_id=(new if orig == -1 else orig) & U32,
                     remap_id=rid & U32)
            if typ is not None:
                e.remap_type = typ if typ in (pb.LINKED, pb.GHOST, pb.PROCFS) else pb.GHOST
            b = e.SerializeToString()
            # an enum value remap_type does not have, on the wire
            rp.append(b if typ in (None, pb.LINKED, pb.GHOST, pb.PROCFS) else wire_set(b, [3], typ))
        if target is not None:
            rp.append(fill(pb.remap_file_path_entry(), orig_id=target, remap_id=gid,
                           remap_type=pb.GHOST).SerializeToString())
        ch["remap-fpath.img"] = struct.pack("<II", COMMON, pmagic.by_name["REMAP_FPATH"]) + \
            frame(rp)
        if ghost is not None:
            ch["ghost-file-%x.img" % gid] = ghost
        return ch

    def m_ghosts(self):
        """Deleted files (ghost files): made again as unnamed files in the
        mutation's directory, or refused before anything is made."""
        img = self.img

        def g(mname, expect, desc, cat="sem", **kw):
            kw.setdefault("name", os.path.join(self.dirof(mname), "ghost"))
            self.sem(mname, expect, desc, lambda: self.fd0_to_ghost(**kw), cat=cat)
        ok = self.ghost_bytes()
        chunked = self.ghost_bytes(chunks=[(0, 3, b"abc"), (16384, 5, b"hello")], size=20000)
        g("ghost-ok", "may-succeed", "fd 0 a deleted file of 5 bytes (made again in the "
          "mutation's directory)", ghost=ok)
        g("ghost-chunked-ok", "may-succeed", "fd 0 a deleted file of 20000 bytes in 2 chunks",
          ghost=chunked, size=20000)
        g("ghost-legacy-bit", "may-succeed", "remap-fpath.img: no remap_type, remap_id with "
          "criu's old ghost bit", ghost=ok, remaps=[(-1, 0x80000007, None)])
        g("ghost-missing-image", "must-fail", "fd 0 remapped to ghost-file-7.img, which is "
          "missing", ghost=None)
        g("ghost-remap-orig-missing", "must-fail", "remap-fpath.img: file 999999 (not in "
          "files.img) remapped", ghost=ok, remaps=[(-1, 7, pb.GHOST), (999999, 7, pb.GHOST)])
        g("ghost-remap-linked", "must-fail", "remap-fpath.img: a LINKED remap (not restored)",
          ghost=ok, remaps=[(-1, 7, pb.LINKED)])
        g("ghost-remap-procfs", "must-fail", "remap-fpath.img: a PROCFS remap (not restored)",
          ghost=ok, remaps=[(-1, 7, pb.PROCFS)])
        g("ghost-remap-type-99", "must-fail", "remap-fpath.img: remap_type 99", cat="file",
          ghost=ok, remaps=[(-1, 7, 99)])
        g("ghost-remap-twice", "must-fail", "remap-fpath.img: fd 0's file remapped twice",
          ghost=ok, remaps=[(-1, 7, pb.GHOST), (-1, 7, pb.GHOST)])
        g("ghost-nodir", "must-fail", "fd 0 a deleted file in /nonexistent-dir",
          ghost=ok, name="/nonexistent-dir/ghost")
        g("ghost-relative", "must-fail", "fd 0 a deleted file named 'ghost' (no directory)",
          ghost=ok, name="ghost")
        g("ghost-mode-dir", "must-fail", "ghost-file-7.img: a directory (mode 040755)",
          ghost=self.ghost_bytes(mode=0o40755), mode=0o40755, size=None)
        g("ghost-mode-chr", "must-fail", "ghost-file-7.img: a device node (mode 020600)",
          ghost=self.ghost_bytes(mode=0o20600), mode=0o20600, size=None)
        g("ghost-mode-mismatch", "must-fail", "files.img: mode 0100644, its ghost 0100600",
          ghost=ok, mode=0o100644)
        g("ghost-size-mismatch", "must-fail", "files.img: size 6, its ghost 5 bytes",
          ghost=ok, size=6)
        g("ghost-uid-other", "may-succeed", "ghost-file-7.img: owner 12345:12345 (root's "
          "restore gives the new file that owner)",
          ghost=self.ghost_bytes(uid=12345, gid=12345))
        exe = img.files_by_id().get(img.msgs(img.mm)[0].exe_file_id)
        if exe is not None and exe.HasField("reg"):
            # a ghost (fd 0's too) that agrees with the executable's entry (mode, size: a hole)
            g("ghost-exe", "must-fail", "remap-fpath.img: the executable (file %d) remapped "
              "to a deleted file" % exe.id, ghost=self.ghost_bytes(
                  chunks=[], size=exe.reg.size, mode=exe.reg.mode), mode=exe.reg.mode,
              size=exe.reg.size, target=exe.id)
        # the ghost image itself: contents and framing
        for mname, desc, data, size in (
                ("ghost-chunks-no-size", "chunks without a size",
                 self.ghost_bytes(chunks=[(0, 5, b"hello")]), 5),
                ("ghost-size-2g", "chunks in a file of 2 GiB (over 32 MiB)",
                 self.ghost_bytes(chunks=[(0, 5, b"hello")], size=1 << 31), 1 << 31),
                ("ghost-chunk-past-size", "a chunk past the file's size",
                 self.ghost_bytes(chunks=[(2, 5, b"hello")], size=5), 5),
                ("ghost-chunk-past-eof", "a chunk of 100000 bytes, 5 in the file",
                 self.ghost_bytes(chunks=[(0, 100000, b"hello")], size=200000), 200000),
                ("ghost-chunks-overlap", "overlapping chunks",
                 self.ghost_bytes(chunks=[(0, 5, b"hello"), (3, 5, b"world")], size=10), 10),
                ("ghost-chunks-descending", "chunks out of order",
                 self.ghost_bytes(chunks=[(5, 5, b"world"), (0, 5, b"hello")], size=10), 10),
                ("ghost-chunk-empty", "an empty chunk",
                 self.ghost_bytes(chunks=[(0, 0, b"")], size=10), 10),
                ("ghost-chunk-offset-2-64", "a chunk at offset 2^64-3 of 5 bytes",
                 self.ghost_bytes(chunks=[(U64 - 2, 5, b"hello")], size=10), 10),
                ("ghost-size-not-contents", "no chunks, a size of 3, 5 bytes after it",
                 self.ghost_bytes(size=3), 5),
                ("ghost-no-entry", "the header alone",
                 struct.pack("<II", COMMON, pmagic.by_name["GHOST_FILE"]), 5),
                ("ghost-entry-cut", "its entry cut in the middle", ok[:14], 5),
                ("ghost-magic", "the pipes-data magic",
                 struct.pack("<II", COMMON, pmagic.by_name["PIPES_DATA"]) + ok[8:], 5),
                ("ghost-no-uid", "its entry without the required uid",
                 self.ghost_bytes(raw=fill(pb.ghost_file_entry(), gid=0, mode=0o100600)
                                  .SerializePartialToString()), 5)):
            g(mname, "must-fail", "ghost-file-7.img: %s" % desc, cat="file", ghost=data,
              size=size)
        for s in (1, 2, 3):
            mname = "ghost-flip-s%d" % s
            r = self.rng(mname)
            b = bytearray(chunked)
            pos = sorted(r.sample(range(8, len(b)), s))
            for p in pos:
                b[p] ^= r.randrange(1, 256)
            g(mname, "may-succeed", "ghost-file-7.img (chunked): bytes at %s xor'ed with random "
              "values (seed %d)" % (",".join(map(str, pos)), s), cat="file", ghost=bytes(b),
              size=20000)
        g("ghost-remap-cut", "must-fail", "remap-fpath.img cut in its entry", cat="file",
          ghost=ok, remaps=[(-1, 7, pb.GHOST)])
        m = self.muts[-1] if self.muts and self.muts[-1].name == "ghost-remap-cut" else None
        if m is not None:
            m.changes["remap-fpath.img"] = m.changes["remap-fpath.img"][:-2]

        # a file already at the ghost's path: a restore must not touch it
        def victim():
            data = self.victim_data("/nonexistent", 4096)
            path = os.path.join(self.dirof("ghost-victim"), "victim")
            return self.fd0_to_ghost(ghost=ok, name=path, flags=O_RDWR | O_TRUNC), data
        try:
            ch, data = victim()
            self.add("ghost-victim", "may-succeed",
                     "fd 0 a deleted file O_RDWR|O_TRUNC named as a victim file (a restore "
                     "makes a new, unnamed file and leaves the victim alone)", ch, cat="sem",
                     extra={"victim": data,
                            "victim.sha256": hashlib.sha256(data).hexdigest() + "\n"})
        except Skip as e:
            self.skipped.append("ghost-victim (%s)" % e)

    # --- terminals: TTY entries and tty-info.img (issue 14)
    def tty_info(self, tid, typ=None, sid=None, index=5):
        img = self.img
        ps = img.msgs("pstree.img")[0]
        typ = pb.PTY if typ is None else typ
        t = fill(pb.tty_info_entry(), id=tid, type=typ, locked=False, exclusive=False,
                 packet_mode=False, sid=ps.sid if sid is None else sid, pgrp=ps.pgid,
                 rdev=(136 << 8) | index if typ == pb.PTY else 5 << 8)
        for k in ("termios", "termios_locked"):
            fill(getattr(t, k), c_iflag=0x500, c_oflag=5, c_cflag=0xbf, c_lflag=0x8a3b,
                 c_line=0, c_ispeed=0, c_ospeed=0)
            getattr(t, k).c_cc.extend([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23,
                                       22, 0, 0, 0])
        fill(t.winsize, ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0)
        if typ == pb.PTY:
            t.pty.index = index
        return t

    def fds_to_tty(self, fds_ids, infos, tty_msg=True, raw_info=None):
        """fd -> (tty_info_id, name) TTY entries as criu writes them (a REG
        entry with the device path, then the TTY entry), and tty-info.img."""
        img = self.img
        files = img.msgs("files.img")
        fds = img.fdinfos()
        new = max(f.id for f in files) + 1
        for fd, (tid, name) in sorted(fds_ids.items()):
            reg = fill(pb.file_entry(), type=pb.REG, id=new + 1)
            fill(reg.reg, id=new + 1, flags=O_RDWR, pos=0, name=name, mode=0o20620)
            fill(reg.reg.fown, uid=0, euid=0, signum=0, pid_type=0, pid=0)
            fe = fill(pb.file_entry(), type=pb.TTY, id=new)
            if tty_msg:
                fill(fe.tty, id=new, tty_info_id=tid, flags=O_RDWR, regf_id=new + 1)
                fill(fe.tty.fown, uid=0, euid=0, signum=0, pid_type=0, pid=0)
            files += [reg, fe]
            f = next((f for f in fds if f.fd == fd), None)
            if f is None:
                f = fill(pb.fdinfo_entry(), fd=fd, flags=0)
                fds.append(f)
            fill(f, id=new, type=pb.TTY)
            new += 2
        ch = {"files.img": img.enc("files.img", files), img.fdinfo: img.enc(img.fdinfo, fds)}
        hdr = struct.pack("<II", COMMON, pmagic.by_name["TTY_INFO"])
        ch["tty-info.img"] = hdr + (raw_info if raw_info is not None else
                                    frame([t.SerializeToString() for t in infos]))
        return ch

    def m_ttys(self):
        """Terminals: the controlling one comes from omctl's (none in the
        lab's restores: must fail there), others refused."""
        ti = self.tty_info
        ctty = {0: (10, "/dev/pts/5")}
        self.sem("tty-fd0-ctty", "may-succeed", "fd 0 on the process's controlling terminal "
                 "(omctl gives it its own, or refuses without one)",
                 lambda: self.fds_to_tty(ctty, [ti(10)]))
        self.sem("tty-fd0-devtty", "may-succeed", "fd 0 /dev/tty (criu's CTTY entry)",
                 lambda: self.fds_to_tty({0: (2012, "/dev/tty")}, [ti(2012, typ=pb.CTTY)]))
        self.sem("tty-fd0-other-session", "may-succeed", "fd 0 a terminal of another "
                 "session (taken from omctl's fd 0, or /dev/null)",
                 lambda: self.fds_to_tty(ctty, [ti(10, sid=1)]))
        self.sem("tty-fd0-master", "must-fail", "fd 0 a pty master (odd tty-info id)",
                 lambda: self.fds_to_tty({0: (11, "/dev/ptmx")}, [ti(11)]))
        self.sem("tty-two-terminals", "must-fail", "fds 0 and 1 on two terminals",
                 lambda: self.fds_to_tty({0: (10, "/dev/pts/5"), 1: (12, "/dev/pts/6")},
                                         [ti(10), ti(12, index=6)]))
        self.sem("tty-no-tty-entry", "must-fail", "fd 0 a TTY file_entry without its TTY "
                 "message", lambda: self.fds_to_tty(ctty, [ti(10)], tty_msg=False))
        self.sem("tty-info-twice", "must-fail", "tty-info.img: one id twice",
                 lambda: self.fds_to_tty(ctty, [ti(10), ti(10)]))
        self.sem("tty-info-cut", "must-fail", "tty-info.img cut in its entry",
                 lambda: self.fds_to_tty(ctty, [], raw_info=frame(
                     [ti(10).SerializeToString()])[:-3]), cat="file")

    def fd099(self):
        img = self.img
        ch = self.fd0_to(fill(pb.reg_file_entry(), flags=0, pos=0, name="/dev/null"))
        ents = unframe(ch["files.img"], header_len("FILES"))
        ents[-1] = wire_set(ents[-1], [1], 99)
        ch["files.img"] = img.header("files.img") + frame(ents)
        fds = unframe(ch[img.fdinfo], header_len("FDINFO"))
        fds = [wire_set(e, [3], 99) if pb.fdinfo_entry.FromString(e).fd == 0 else e
               for e in fds]
        ch[img.fdinfo] = img.header(img.fdinfo) + frame(fds)
        return ch

    # ------------------------------------------------------------ output
    def generate(self):
        self.file_level()
        self.semantic()
        return self.muts

    def write(self, m):
        d = self.dirof(m.name)
        os.mkdir(d)
        for n in sorted(self.img.raw):
            if n in m.changes and m.changes[n] != self.img.raw[n]:
                continue
            src, dst = os.path.join(self.img.path, n), os.path.join(d, n)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
        for n, data in sorted(m.changes.items()):
            if data is not None and data != self.img.raw.get(n):
                with open(os.path.join(d, n), "wb") as f:
                    f.write(data)
        for n, data in sorted(m.extra.items()):
            with open(os.path.join(d, n), "wb" if isinstance(data, bytes) else "w") as f:
                f.write(data)
        with open(os.path.join(d, "why"), "w") as f:
            f.write(m.why + "\n")
        if m.unpriv:
            with open(os.path.join(d, "unpriv"), "w") as f:
                f.write("%s %s\n" % m.unpriv)


class Skip(Exception):
    pass


# ---------------------------------------------------------------- synthetic

def synth(d, seed=1):
    """A plausible image directory of a small dynamically linked program
    (ckpt_prog compute with a 1 MB heap), written with pycriu."""
    r = random.Random("synth:%d" % seed)
    pid = 4242
    os.makedirs(d, exist_ok=True)

    def wr(name, kind, msgs, raw_entries=None):
        hdr = (b"" if kind == "INVENTORY" else struct.pack("<I", COMMON)) + \
            struct.pack("<I", pmagic.by_name[kind])
        ents = raw_entries if raw_entries is not None else [m.SerializeToString() for m in msgs]
        with open(os.path.join(d, name), "wb") as f:
            f.write(hdr + frame(ents))

    def size_of(p, dflt):
        try:
            return os.stat(p).st_size
        except OSError:
            return dflt
    exe = "/usr/bin/true"
    libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
    ld = "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    # files: 1 exe, 2 /, 3 cwd, 4 /dev/null, 5 libc, 6 ld.so
    fl = []
    for fid, name, flags, mode, size in (
            (1, exe, 0o100000, 0o100755, size_of(exe, 39000)),
            (2, "/", 0o200000, 0o40755, None), (3, "/tmp", 0o200000, 0o41777, None),
            (4, "/dev/null", O_RDWR | O_LARGEFILE, 0o20666, None),
            (5, libc, 0o100000, 0o100755, size_of(libc, 1900000)),
            (6, ld, 0o100000, 0o100755, size_of(ld, 210000))):
        fe = fill(pb.file_entry(), type=pb.REG, id=fid)
        fill(fe.reg, id=fid, flags=flags, pos=0, name=name, mode=mode)
        fe.reg.fown.SetInParent()
        fill(fe.reg.fown, uid=0, euid=0, signum=0, pid_type=0, pid=0)
        if size is not None:
            fe.reg.size = size
        fl.append(fe)
    wr("files.img", "FILES", fl)
    wr("fdinfo-2.img", "FDINFO",
       [fill(pb.fdinfo_entry(), id=4, flags=0, type=pb.REG, fd=i) for i in range(3)])
    wr("fs-%d.img" % pid, "FS", [fill(pb.fs_entry(), cwd_id=3, root_id=2, umask=0o22)])
    ids = fill(pb.task_kobj_ids_entry(), vm_id=2, files_id=2, fs_id=2, sighand_id=2,
               pid_ns_id=1, net_ns_id=2, ipc_ns_id=3, uts_ns_id=4, mnt_ns_id=6,
               user_ns_id=7, cgroup_ns_id=8, time_ns_id=5)
    wr("ids-%d.img" % pid, "IDS", [ids])
    root = pb.task_kobj_ids_entry()
    root.CopyFrom(ids)
    fill(root, vm_id=1, files_id=1, fs_id=1, sighand_id=1)
    inv = fill(pb.inventory_entry(), img_version=2, fdinfo_per_id=True, ns_per_id=True,
               lsmtype=pb.NO_LSM, dump_uptime=123456789)
    inv.root_ids.CopyFrom(root)
    wr("inventory.img", "INVENTORY", [inv])
    ps = fill(pb.pstree_entry(), pid=pid, ppid=0, pgid=pid, sid=pid)
    ps.threads.append(pid)
    wr("pstree.img", "PSTREE", [ps])
    wr("seccomp.img", "SECCOMP", [], raw_entries=[b""])
    te = pb.timens_entry()
    fill(te.monotonic, tv_sec=12345, tv_nsec=678901234)
    fill(te.boottime, tv_sec=12346, tv_nsec=5)
    wr("timens-0.img", "TIMENS", [te])

    # address space: (start, end, prot, status, file id, pgoff, present pages)
    E, L, D, S = 0x555555554000, 0x7ffff7d80000, 0x7ffff7fc3000, 0x7ffd4a1ff000
    A = MAP_PRIVATE | MAP_ANONYMOUS
    P, FP, AP = MAP_PRIVATE, VMA_REGULAR | VMA_FILE_PRIVATE, VMA_REGULAR | VMA_ANON_PRIVATE
    layout = [
        (E, E + 0x1000, 1, FP, 1, 0, 0, P), (E + 0x1000, E + 0x3000, 5, FP, 1, 0x1000, 0, P),
        (E + 0x3000, E + 0x4000, 1, FP, 1, 0x3000, 0, P),
        (E + 0x4000, E + 0x5000, 1, FP, 1, 0x3000, 1, P),
        (E + 0x5000, E + 0x6000, 3, FP, 1, 0x4000, 1, P),
        (E + 0x6000, E + 0x27000, 3, AP | VMA_HEAP, 0, 0, 2, A),
        (0x7ffff7c6f000, 0x7ffff7d70000, 3, AP, 0, 0, 257, A),     # malloc(1 MB)
        (L, L + 0x28000, 1, FP, 5, 0, 0, P), (L + 0x28000, L + 0x1a0000, 5, FP, 5, 0x28000, 0, P),
        (L + 0x1a0000, L + 0x1f5000, 1, FP, 5, 0x1a0000, 0, P),
        (L + 0x1f5000, L + 0x1f9000, 1, FP, 5, 0x1f4000, 4, P),
        (L + 0x1f9000, L + 0x1fb000, 3, FP, 5, 0x1f8000, 2, P),
        (L + 0x1fb000, L + 0x208000, 3, AP, 0, 0, 5, A),
        (0x7ffff7fbd000, 0x7ffff7fc1000, 1, VMA_REGULAR | VMA_VVAR | VMA_ANON_PRIVATE, 0, 0, 0, A),
        (0x7ffff7fc1000, 0x7ffff7fc3000, 5, VMA_REGULAR | VMA_VDSO | VMA_ANON_PRIVATE, 0, 0, 2, A),
        (D, D + 0x1000, 1, FP, 6, 0, 0, P), (D + 0x1000, D + 0x26000, 5, FP, 6, 0x1000, 0, P),
        (D + 0x26000, D + 0x30000, 1, FP, 6, 0x26000, 0, P),
        (D + 0x31000, D + 0x33000, 1, FP, 6, 0x2d000, 2, P),
        (D + 0x33000, D + 0x35000, 3, FP, 6, 0x2f000, 2, P),
        (S - 0x21000, S, 3, AP | VMA_STACK, 0, 0, 4, A | MAP_GROWSDOWN),
    ]
    # shared anonymous memory: 3 pages, the first and last in pagemap-shmem
    SH, SHMID = 0x7ffff7fb0000, 9999
    layout.insert(13, (SH, SH + 3 * PAGE, 3, VMA_REGULAR | VMA_ANON_SHARED, SHMID, 0, 0,
                       MAP_SHARED | MAP_ANONYMOUS))
    mm = fill(pb.mm_entry(), mm_start_code=E + 0x1000, mm_end_code=E + 0x3000,
              mm_start_data=E + 0x4000, mm_end_data=E + 0x6000,
              mm_start_stack=S - 0x1c60, mm_start_brk=E + 0x6000, mm_brk=E + 0x27000,
              mm_arg_start=S - 0x1950, mm_arg_end=S - 0x1920,
              mm_env_start=S - 0x1920, mm_env_end=S - 0x1020, exe_file_id=1,
              dumpable=1)
    auxv = [33, 0x7ffff7fc1000, 16, 0x178bfbff, 6, 4096, 17, 100, 3, E + 0x40, 4, 56, 5, 13,
            7, D, 8, 0, 9, E + 0x1040, 11, 0, 12, 0, 13, 0, 14, 0, 23, 0, 25, S - 0x1a37,
            26, 2, 31, S - 0x1020, 15, S - 0x1a27, 0, 0]
    mm.mm_saved_auxv.extend(auxv)
    pms, pages = [], bytearray()
    for (s, e, prot, st, fid, pgoff, npres, fl_) in layout:
        v = mm.vmas.add()
        fill(v, start=s, end=e, pgoff=pgoff, shmid=fid, prot=prot, flags=fl_, status=st, fd=-1)
        if fid and not st & VMA_ANON_SHARED:
            v.fdflags = 0
        if npres:
            first = e - npres * PAGE if st & VMA_STACK else s
            flags = PE_PRESENT if st & (VMA_FILE_PRIVATE | VMA_VDSO) else PE_PRESENT | PE_LAZY
            pms.append(PmEntry(first, npres, flags, npres))
            pages += bytes(r.getrandbits(8) for _ in range(64)) * (npres * PAGE // 64)
    wr("mm-%d.img" % pid, "MM", [mm])
    wr("pagemap-%d.img" % pid, "PAGEMAP", [],
       raw_entries=[fill(pb.pagemap_head(), pages_id=1).SerializeToString()] +
       [e.encode() for e in pms])
    with open(os.path.join(d, "pages-1.img"), "wb") as f:
        f.write(pages)
    shm = [PmEntry(0, 1, PE_PRESENT, 1), PmEntry(2 * PAGE, 1, PE_PRESENT, 1)]
    wr("pagemap-shmem-%d.img" % SHMID, "PAGEMAP", [],
       raw_entries=[fill(pb.pagemap_head(), pages_id=2).SerializeToString()] +
       [e.encode() for e in shm])
    with open(os.path.join(d, "pages-2.img"), "wb") as f:
        f.write(bytes(r.getrandbits(8) for _ in range(64)) * (2 * PAGE // 64))

    core = fill(pb.core_entry(), mtype=pb.core_entry.X86_64)
    ti = core.thread_info
    ti.clear_tid_addr = L + 0x1fb910
    g = ti.gpregs
    for k in ("r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "cx",
              "dx", "si", "di", "gs_base", "ds", "es", "fs", "gs"):
        setattr(g, k, 0)
    fill(g, r12=15, bx=E + 0x6000, ax=(-4) & U64, orig_ax=230, ip=L + 0xea0d3, cs=0x33,
         flags=0x246, sp=S - 0x1e10, ss=0x2b, fs_base=L + 0x1fb740, mode=pb.NATIVE)
    fp = ti.fpregs
    fill(fp, cwd=0x37f, swd=0, twd=0, fop=0, rip=0, rdp=0, mxcsr=0x1f80, mxcsr_mask=0xffff)
    fp.st_space.extend([0] * 32)
    fp.xmm_space.extend(r.getrandbits(32) for _ in range(64))
    fp.xsave.xstate_bv = 7
    fp.xsave.ymmh_space.extend([0] * 64)
    for n in (12, 13, 14):
        t = ti.tls.add()
        fill(t, entry_number=n, base_addr=0, limit=0, seg_32bit=False, contents_h=False,
             contents_l=False, read_exec_only=True, limit_in_pages=False,
             seg_not_present=True, usable=False)
    tc = core.tc
    fill(tc, task_state=1, exit_code=0, personality=0, flags=0x400000, blk_sigset=0,
         comm="ckpt_prog")
    for it in (tc.timers.real, tc.timers.virt, tc.timers.prof):
        fill(it, isec=0, iusec=0, vsec=0, vusec=0)
    for i, (cur, mx) in enumerate([(U64, U64), (U64, U64), (U64, U64), (8 << 20, U64),
                                   (0, U64), (U64, U64), (3800, 3800), (1024, 4096),
                                   (8 << 20, 8 << 20), (U64, U64), (3800, 3800),
                                   (819200, 819200), (0, 0), (0, 0), (U64, U64),
                                   (U64, U64)]):
        tc.rlimits.rlimits.add(cur=cur, max=mx)
    for _ in range(62):
        tc.sigactions.add(sigaction=0, flags=0, restorer=0, mask=0)
    tc.oom_score_adj = 0
    th = core.thread_core
    fill(th, futex_rla=L + 0x1fb920, futex_rla_len=24, sched_nice=0, sched_policy=0,
         sched_prio=0, blk_sigset=0, pdeath_sig=0, seccomp_mode=0, comm="ckpt_prog")
    fill(th.sas, ss_sp=0, ss_size=0, ss_flags=2)
    c = th.creds
    fill(c, uid=0, gid=0, euid=0, egid=0, suid=0, sgid=0, fsuid=0, fsgid=0, secbits=0)
    for k in ("cap_inh",):
        getattr(c, k).extend([0, 0])
    for k in ("cap_prm", "cap_eff", "cap_bnd"):
        getattr(c, k).extend([U32, 0x1ff])
    c.groups.append(0)
    fill(th.rseq_entry, rseq_abi_pointer=L + 0x1fbde0, rseq_abi_size=32, signature=0x53053053)
    wr("core-%d.img" % pid, "CORE", [core])
    return d


# ---------------------------------------------------------------- self-test

def manifest(root):
    out = {}
    for dp, _dn, fns in os.walk(root):
        for fn in fns:
            p = os.path.join(dp, fn)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def self_test():
    fails = []

    def check(desc, cond, info=""):
        print(("ok - " if cond else "not ok - ") + desc + (" # " + info if info and not cond else ""))
        if not cond:
            fails.append(desc)
    tmp = tempfile.mkdtemp(prefix="om-mutate-")
    try:
        src = synth(os.path.join(tmp, "src"))
        img = Images(src)
        ok = True
        for n in img.raw:
            if img.kind[n] in ("PAGES", None):
                continue
            try:
                with open(os.path.join(src, n), "rb") as f:
                    pimages.load(f)
            except Exception as e:  # noqa: BLE001
                ok = False
                print("# %s: %r" % (n, e))
            if img.enc(n, img.msgs(n)) != img.raw[n]:
                ok = False
                print("# %s: re-encoding changes it" % n)
        check("synthetic images decode with pycriu and re-encode byte-identically", ok)
        pm = img.pm_store(img.pm)
        check("pagemap/pages round trip", pm[img.pagemap] == img.raw[img.pagemap] and
              pm[img.pages] == img.raw[img.pages])
        if os.path.exists("/usr/bin/crit"):
            r = subprocess.run(["/usr/bin/crit", "x", src, "mems"], capture_output=True)
            check("crit x mems reads the synthetic dir", r.returncode == 0, r.stderr.decode()[-300:])

        out = os.path.join(tmp, "out")
        g = Gen(img, 1, out)
        muts = g.generate()
        names = [m.name for m in muts]
        check("%d mutations (%d must-fail, %d may-succeed, %d with unpriv), %d skipped"
              % (len(muts), sum(is_must(m.expect) for m in muts),
                 sum(not is_must(m.expect) for m in muts),
                 sum(bool(m.unpriv) for m in muts), len(g.skipped)),
              len(muts) > 200 and len(set(names)) == len(names), "; ".join(g.skipped))
        check("nothing skipped on the synthetic images", not g.skipped, "; ".join(g.skipped))
        os.mkdir(out)
        for m in muts:
            g.write(m)
        m1 = manifest(out)
        # every mutation changes something
        same = []
        for m in muts:
            d = os.path.join(out, m.name)
            files = sorted(n for n in os.listdir(d) if n.endswith(".img"))
            differs = files != sorted(img.raw)
            for n in files:
                with open(os.path.join(d, n), "rb") as f:
                    if img.raw.get(n) != f.read():
                        differs = True
            if not differs:
                same.append(m.name)
        check("every mutation changes an image file", not same, " ".join(same))
        bad = []
        for m in muts:
            with open(os.path.join(out, m.name, "why")) as f:
                line = f.read()
            if line.count("\n") != 1 or line.split()[0] not in ("must-fail", "may-succeed"):
                bad.append(m.name)
            if m.unpriv:
                with open(os.path.join(out, m.name, "unpriv")) as f:
                    if f.read().split()[0] not in ("must-fail", "may-succeed"):
                        bad.append(m.name)
        check("why/unpriv files: one line starting with must-fail|may-succeed", not bad,
              " ".join(bad))
        # semantic mutations are well-formed: pycriu decodes every file
        undecodable = []
        for m in muts:
            if m.cat != "sem":
                continue
            for n, data in m.changes.items():
                if data is None or n.startswith("pages-"):
                    continue
                try:
                    pimages.load(io.BytesIO(data))
                except Exception:  # noqa: BLE001
                    undecodable.append("%s/%s" % (m.name, n))
        check("semantic mutations decode with pycriu (they test checks, not framing)",
              not undecodable, " ".join(undecodable))
        # reproducible: the same seed gives the same tree
        shutil.rmtree(out)
        os.mkdir(out)
        g2 = Gen(Images(src), 1, out)
        for m in g2.generate():
            g2.write(m)
        m2 = manifest(out)
        diff = sorted(k for k in set(m1) | set(m2) if m1.get(k) != m2.get(k))
        check("same seed, same output (%d files)" % len(m1), not diff, " ".join(diff[:10]))
        g3 = Gen(Images(src), 2, out)
        other = {m.name: m for m in g3.generate()}
        flips = [m for m in muts if m.name.startswith("flip-")]
        changed = [m.name for m in flips if other[m.name].changes != m.changes]
        check("another seed gives other flips (%d of %d differ)" % (len(changed), len(flips)),
              len(changed) == len(flips))
        check("victims: the images reference them, sha256 matches",
              all(hashlib.sha256(m.extra["victim"]).hexdigest() + "\n" == m.extra["victim.sha256"]
                  and any(os.path.join(out, m.name, "victim").encode() in (d or b"")
                          for d in m.changes.values())
                  for m in muts if m.extra) and sum(bool(m.extra) for m in muts) == 4)
        # the other synthetic image dir we have (om_criu_tool's), if built
        tool = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "../unit/criu/build/om_criu_tool")
        if os.access(tool, os.X_OK):
            d2 = os.path.join(tmp, "tool")
            os.mkdir(d2)
            r = subprocess.run([tool, "write", d2], capture_output=True)
            try:
                g4 = Gen(Images(d2), 1, os.path.join(tmp, "out2"))
                n4 = len(g4.generate())
                check("om_criu_tool's images mutate too (%d, %d skipped)" % (n4, len(g4.skipped)),
                      r.returncode == 0 and n4 > 150)
            except Exception as e:  # noqa: BLE001
                check("om_criu_tool's images mutate too", False, repr(e))
        else:
            print("ok - om_criu_tool's images # SKIP tests/unit/criu not built")
    finally:
        shutil.rmtree(tmp)
    print("# %d failed" % len(fails))
    return 1 if fails else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="regex on mutation names")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--synth", metavar="DIR")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("src", nargs="?")
    ap.add_argument("out", nargs="?")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if a.synth:
        synth(a.synth, a.seed)
        return 0
    if not a.src or (not a.list and not a.out):
        ap.error("SRC and OUT needed")
    img = Images(a.src)
    g = Gen(img, a.seed, a.out or "/nonexistent")
    muts = g.generate()
    if a.only:
        muts = [m for m in muts if re.search(a.only, m.name)]
    for s in g.skipped:
        print("# skipped: " + s, file=sys.stderr)
    if a.list:
        for m in muts:
            print("%s: %s%s" % (m.name, m.why, " [unpriv: %s %s]" % m.unpriv if m.unpriv else ""))
        return 0
    os.makedirs(a.out, exist_ok=True)
    if os.listdir(a.out):
        raise SystemExit("%s is not empty" % a.out)
    for m in muts:
        g.write(m)
    print("%d mutations in %s (%d must-fail, %d may-succeed, %d unpriv), %d skipped"
          % (len(muts), a.out, sum(is_must(m.expect) for m in muts),
             sum(not is_must(m.expect) for m in muts), sum(bool(m.unpriv) for m in muts),
             len(g.skipped)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
