#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
"""Malformed generic netlink requests to the openmosix family, each of which
must fail with the expected errno (strict policies) without changing state.
Prints TAP lines; exit 1 if any case misbehaves.  Run as root; the
unprivileged cases drop to nobody in a child."""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000

# kmod/uapi/openmosix.h
CMD = dict(GET_STATUS=1, GET_NODE=2, ADD_NODE=3, DEL_NODE=4, SET_NODE=5,
           LOAD_MAP=6, SET_KEY=7, NODE_EVENT=8, GET_PROC=9, SET_PROC=10)
A_NODE, A_MAP, A_KEY, A_KEY_SET = 1, 2, 3, 4
NA_ID, NA_ADDR, NA_PORT, NA_STATE, NA_FLAGS, NA_BLOCKED = 1, 2, 3, 4, 5, 6
NA_ALIAS = 16
A_PROC = 11
PA_PID, PA_LOCKED, PA_HINT, PA_HINT_LEFT, PA_NODE_POLICY, PA_NODE = 1, 6, 13, 14, 15, 16
HINT_IO, NODES_ANY, NODES_ALLOW, NODES_DENY = 2, 0, 1, 2
NODE_SELF = 2
ALIASES_MAX = 6

seq = 0
results = []


def attr(t, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


def nest(t, *items):
    return attr(t | NLA_F_NESTED, b"".join(items))


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def be32(t, ip): return attr(t, socket.inet_aton(ip))


def request(sock, family, cmd, payload=b"", flags=NLM_F_REQUEST | NLM_F_ACK,
            reserved=0):
    """Send one request; return (errno or 0, list of reply payloads)."""
    global seq
    seq += 1
    genl = struct.pack("=BBH", cmd, 1, reserved)
    msg = struct.pack("=IHHII", 16 + len(genl) + len(payload), family, flags,
                      seq, 0) + genl + payload
    sock.send(msg)
    replies = []
    while True:
        data = sock.recv(1 << 20)
        off = 0
        while off < len(data):
            ln, typ, fl, sq, pid = struct.unpack_from("=IHHII", data, off)
            body = data[off + 16:off + ln]
            off += (ln + 3) & ~3
            if typ == NLMSG_ERROR:
                err = -struct.unpack_from("=i", body)[0]
                return err, replies
            if typ == NLMSG_DONE:
                return 0, replies
            replies.append(body)


def family_id(sock):
    err, rep = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                       attr(CTRL_ATTR_FAMILY_NAME, b"openmosix\0"))
    if err:
        sys.exit("not ok - resolve family openmosix: %s" % os.strerror(err))
    body = rep[0][4:]
    off = 0
    while off < len(body):
        ln, t = struct.unpack_from("=HH", body, off)
        if t == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", body, off + 4)[0]
        off += (ln + 3) & ~3
    sys.exit("not ok - no family id")


def check(desc, got, want):
    ok = got in (want if isinstance(want, tuple) else (want,))
    results.append(ok)
    print("%s - %s (got %s)" % ("ok" if ok else "not ok", desc,
                                errno.errorcode.get(got, got)))


def open_sock():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    s.settimeout(5)
    return s


def node_count(s, fam):
    err, rep = request(s, fam, CMD["GET_NODE"],
                       flags=NLM_F_REQUEST | NLM_F_DUMP)
    return len(rep)


def attrs(body):
    """{type: [payload, ...]} of a run of attributes."""
    out = {}
    off = 0
    while off + 4 <= len(body):
        ln, t = struct.unpack_from("=HH", body, off)
        if ln < 4:
            break
        out.setdefault(t & 0x3fff, []).append(body[off + 4:off + ln])
        off += (ln + 3) & ~3
    return out


def nodes(s, fam):
    """[(id, addr, state, [aliases])] from a GET_NODE dump."""
    err, rep = request(s, fam, CMD["GET_NODE"],
                       flags=NLM_F_REQUEST | NLM_F_DUMP)
    out = []
    for body in rep:
        for nb in attrs(body[4:]).get(A_NODE, []):
            na = attrs(nb)
            out.append((struct.unpack("=H", na[NA_ID][0])[0],
                        socket.inet_ntoa(na[NA_ADDR][0]),
                        struct.unpack("=B", na[NA_STATE][0])[0],
                        [socket.inet_ntoa(a) for a in na.get(NA_ALIAS, [])]))
    return out


def alias_cases(s, fam):
    """OM_NA_ALIAS: limits, validation, uniqueness, lookup."""
    node = [u16(NA_ID, 4242), be32(NA_ADDR, "10.99.0.1")]
    seven = [be32(NA_ALIAS, "10.99.1.%d" % i) for i in range(1, 8)]
    check("7 aliases (at most 6)",
          request(s, fam, CMD["ADD_NODE"], nest(A_NODE, *(node + seven)))[0],
          errno.E2BIG)
    check("map entry with 7 aliases",
          request(s, fam, CMD["LOAD_MAP"],
                  nest(A_MAP, nest(A_NODE, *(node + seven))))[0], errno.E2BIG)
    for bad in ("127.0.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255"):
        check("alias %s refused" % bad,
              request(s, fam, CMD["ADD_NODE"],
                      nest(A_NODE, *(node + [be32(NA_ALIAS, bad)])))[0],
              errno.EINVAL)
    check("alias of 2 bytes",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, *(node + [attr(NA_ALIAS, b"\x0a\x63")])))[0],
          errno.EINVAL)
    check("alias equal to the node's own address",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, *(node + [be32(NA_ALIAS, "10.99.0.1")])))[0],
          errno.EINVAL)
    check("the same alias twice",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, *(node + [be32(NA_ALIAS, "10.99.1.1"),
                                         be32(NA_ALIAS, "10.99.1.1")])))[0],
          errno.EINVAL)
    table = nodes(s, fam)
    if not table:
        check("a node to collide with (load a map first)", 1, 0)
        return
    other = table[0][1]
    check("alias equal to another node's address (%s)" % other,
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, *(node + [be32(NA_ALIAS, other)])))[0],
          errno.EEXIST)
    self_addr = [n[1] for n in table if n[2] == NODE_SELF]
    if self_addr:
        check("map alias equal to this node's address",
              request(s, fam, CMD["LOAD_MAP"],
                      nest(A_MAP, nest(A_NODE, *(node + [
                          be32(NA_ALIAS, self_addr[0])]))))[0], errno.EEXIST)
    dup = nest(A_MAP, nest(A_NODE, u16(NA_ID, 5), be32(NA_ADDR, "10.99.0.5"),
                           be32(NA_ALIAS, "10.99.0.6")),
               nest(A_NODE, u16(NA_ID, 6), be32(NA_ADDR, "10.99.0.6")))
    check("map: one node's alias is another's address",
          request(s, fam, CMD["LOAD_MAP"], dup)[0], errno.EINVAL)
    # a good one: found by its alias, listed with it, then removed
    check("node with 6 aliases added",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, *(node + seven[:6])))[0], 0)
    err, rep = request(s, fam, CMD["GET_NODE"],
                       nest(A_NODE, be32(NA_ADDR, "10.99.1.6")))
    got = [struct.unpack("=H", attrs(nb)[NA_ID][0])[0]
           for body in rep for nb in attrs(body[4:]).get(A_NODE, [])]
    check("node found by its 6th alias", 0 if got == [4242] else -1, 0)
    listed = [n[3] for n in nodes(s, fam) if n[0] == 4242]
    check("dump lists the 6 aliases",
          0 if listed == [["10.99.1.%d" % i for i in range(1, 7)]] else -1, 0)
    check("an alias of node 4242 as another node's address",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u16(NA_ID, 4243), be32(NA_ADDR, "10.99.1.3")))[0],
          errno.EEXIST)
    check("node with aliases removed",
          request(s, fam, CMD["DEL_NODE"], nest(A_NODE, u16(NA_ID, 4242)))[0],
          0)


def proc_policy_cases(s, fam):
    """OM_CMD_SET_PROC's balancing policy on ourselves: strict values."""
    me = u32(PA_PID, os.getpid())

    def setp(*items):
        return request(s, fam, CMD["SET_PROC"], nest(A_PROC, me, *items))[0]

    allow = u8(PA_NODE_POLICY, NODES_ALLOW)
    check("set proc: nothing to set", setp(), errno.EINVAL)
    check("set proc: hint 3", setp(u8(PA_HINT, 3)), (errno.ERANGE, errno.EINVAL))
    check("set proc: node policy 3", setp(u8(PA_NODE_POLICY, 3), u16(PA_NODE, 2)),
          (errno.ERANGE, errno.EINVAL))
    check("set proc: node 0", setp(allow, u16(PA_NODE, 0)), (errno.ERANGE, errno.EINVAL))
    check("set proc: node as u32", setp(allow, u32(PA_NODE, 2)), errno.EINVAL)
    check("set proc: nodes without a policy", setp(u16(PA_NODE, 2)), errno.EINVAL)
    check("set proc: allow without nodes", setp(allow), errno.EINVAL)
    check("set proc: any with a node", setp(u8(PA_NODE_POLICY, NODES_ANY), u16(PA_NODE, 2)),
          errno.EINVAL)
    check("set proc: 9 nodes (at most 8)",
          setp(allow, *[u16(PA_NODE, n) for n in range(1, 10)]), errno.E2BIG)
    check("set proc: a node twice", setp(allow, u16(PA_NODE, 2), u16(PA_NODE, 2)),
          errno.EINVAL)
    check("set proc: output-only hint_left", setp(u16(PA_HINT_LEFT, 5)), errno.EINVAL)
    check("set proc: a bad value changes nothing else",
          setp(u8(PA_HINT, HINT_IO), allow, u16(PA_NODE, 0)), (errno.ERANGE, errno.EINVAL))
    err, rep = request(s, fam, CMD["GET_PROC"], nest(A_PROC, me))
    pa = attrs(attrs(rep[0][4:])[A_PROC][0]) if not err and rep else {}
    check("set proc: still no hint or list", 0 if PA_HINT not in pa and
          PA_NODE_POLICY not in pa and not err else errno.EPROTO, 0)
    check("set proc: deny 3,5 and iojob",
          setp(u8(PA_HINT, HINT_IO), u8(PA_NODE_POLICY, NODES_DENY),
               u16(PA_NODE, 3), u16(PA_NODE, 5)), 0)
    err, rep = request(s, fam, CMD["GET_PROC"], nest(A_PROC, me))
    pa = attrs(attrs(rep[0][4:])[A_PROC][0]) if not err and rep else {}
    good = (pa.get(PA_HINT) == [bytes([HINT_IO])] and
            pa.get(PA_NODE_POLICY) == [bytes([NODES_DENY])] and
            [struct.unpack("=H", x)[0] for x in pa.get(PA_NODE, [])] == [3, 5] and
            0 < struct.unpack("=H", pa[PA_HINT_LEFT][0])[0] <= 1000)
    check("get proc: the policy reads back", 0 if good else errno.EPROTO, 0)
    check("set proc: cleared", setp(u8(PA_HINT, 0), u8(PA_NODE_POLICY, NODES_ANY)), 0)


def main():
    s = open_sock()
    fam = family_id(s)
    before = node_count(s, fam)
    ok_node = nest(A_NODE, u16(NA_ID, 4242), be32(NA_ADDR, "10.99.0.1"))
    check("status works", request(s, fam, CMD["GET_STATUS"])[0], 0)
    check("add without node attribute", request(s, fam, CMD["ADD_NODE"])[0],
          errno.EINVAL)
    check("add without address",
          request(s, fam, CMD["ADD_NODE"], nest(A_NODE, u16(NA_ID, 7)))[0],
          errno.EINVAL)
    check("node ID 0 out of range",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u16(NA_ID, 0), be32(NA_ADDR, "10.99.0.1")))[0],
          (errno.ERANGE, errno.EINVAL))
    check("node ID as u32 (wrong length)",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u32(NA_ID, 7), be32(NA_ADDR, "10.99.0.1")))[0],
          errno.EINVAL)
    check("address of 2 bytes",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u16(NA_ID, 7), attr(NA_ADDR, b"\x0a\x63")))[0],
          errno.EINVAL)
    check("output-only attribute (state) in a request",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u16(NA_ID, 7), be32(NA_ADDR, "10.99.0.1"),
                       u8(NA_STATE, 1)))[0], errno.EINVAL)
    check("unknown attribute type",
          request(s, fam, CMD["ADD_NODE"], ok_node + u32(200, 1))[0],
          errno.EINVAL)
    check("node attribute not nested",
          request(s, fam, CMD["ADD_NODE"], u16(A_NODE, 7))[0], errno.EINVAL)
    check("truncated nested attribute",
          request(s, fam, CMD["ADD_NODE"],
                  struct.pack("=HH", 40, A_NODE | NLA_F_NESTED) + b"\x08\0")[0],
          errno.EINVAL)
    check("key of 31 bytes", request(s, fam, CMD["SET_KEY"],
                                     attr(A_KEY, b"k" * 31))[0], (errno.EINVAL, errno.ERANGE))
    check("key of 33 bytes", request(s, fam, CMD["SET_KEY"],
                                     attr(A_KEY, b"k" * 33))[0], (errno.EINVAL, errno.ERANGE))
    check("blocked = 2", request(s, fam, CMD["SET_NODE"],
                                 nest(A_NODE, u16(NA_ID, 1),
                                      u8(NA_BLOCKED, 2)))[0],
          (errno.ERANGE, errno.EINVAL))
    check("flags outside the mask",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u16(NA_ID, 7), be32(NA_ADDR, "10.99.0.1"),
                       u32(NA_FLAGS, 0x80)))[0], errno.EINVAL)
    check("reserved genl header field set",
          request(s, fam, CMD["GET_STATUS"], reserved=1)[0], errno.EINVAL)
    check("unknown command", request(s, fam, 99)[0], errno.EOPNOTSUPP)
    check("event command is not a request",
          request(s, fam, CMD["NODE_EVENT"])[0], errno.EOPNOTSUPP)
    check("delete unknown node", request(s, fam, CMD["DEL_NODE"],
                                         nest(A_NODE, u16(NA_ID, 4243)))[0],
          errno.ENOENT)
    check("loopback address refused",
          request(s, fam, CMD["ADD_NODE"],
                  nest(A_NODE, u16(NA_ID, 7), be32(NA_ADDR, "127.0.0.1")))[0],
          errno.EINVAL)
    big = b"".join(nest(A_NODE, u16(NA_ID, 1 + i % 65000),
                        be32(NA_ADDR, "10.100.%d.%d" % (i // 250, 1 + i % 250)))
                   for i in range(2500))
    check("oversized map", request(s, fam, CMD["LOAD_MAP"], nest(A_MAP, big))[0],
          errno.E2BIG)
    dup = nest(A_MAP, nest(A_NODE, u16(NA_ID, 5), be32(NA_ADDR, "10.99.0.5")),
               nest(A_NODE, u16(NA_ID, 5), be32(NA_ADDR, "10.99.0.6")))
    check("map with a duplicate ID", request(s, fam, CMD["LOAD_MAP"], dup)[0],
          errno.EINVAL)
    alias_cases(s, fam)
    proc_policy_cases(s, fam)
    check("node table unchanged", node_count(s, fam), before)

    # unprivileged: reads work, changes do not
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        u = open_sock()
        out = [request(u, fam, CMD["GET_STATUS"])[0],
               request(u, fam, CMD["ADD_NODE"], ok_node)[0],
               request(u, fam, CMD["SET_KEY"], attr(A_KEY, b"k" * 32))[0],
               request(u, fam, CMD["DEL_NODE"], nest(A_NODE, u16(NA_ID, 1)))[0],
               request(u, fam, CMD["SET_PROC"],
                       nest(A_PROC, u32(PA_PID, os.getppid()),
                            u8(PA_HINT, HINT_IO)))[0]]
        os.write(w, struct.pack("=5i", *out))
        os._exit(0)
    os.close(w)
    got = struct.unpack("=5i", os.read(r, 20))
    os.waitpid(pid, 0)
    check("unprivileged status works", got[0], 0)
    check("unprivileged add refused", got[1], errno.EPERM)
    check("unprivileged key set refused", got[2], errno.EPERM)
    check("unprivileged delete refused", got[3], errno.EPERM)
    check("unprivileged hint on root's process refused", got[4], errno.EPERM)
    check("node table still unchanged", node_count(s, fam), before)
    sys.exit(0 if all(results) else 1)


main()
