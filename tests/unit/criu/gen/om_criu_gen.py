#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Generates the message structs and field tables of kmod/common/om_criu.{c,h}
# from pycriu's compiled descriptors (criu 3.17.1), so that field numbers and
# wire types cannot drift from CRIU.  Output is pasted between the GENERATED
# markers; `make -C tests/unit/criu gencheck` verifies it is still in sync.
import sys
import importlib

MODS = ['inventory', 'pstree', 'core', 'core_x86', 'creds', 'sa', 'rlimit',
        'timer', 'siginfo', 'rseq', 'mm', 'vma', 'pagemap', 'fs', 'fdinfo',
        'regfile', 'fown', 'pipe', 'fifo', 'pipe_data', 'tty', 'seccomp',
        'timens', 'memfd', 'eventfd', 'signalfd', 'timerfd', 'eventpoll']
# Messages we support, in dependency order (leaves first).
MSGS = [
    'task_kobj_ids_entry', 'inventory_entry', 'pstree_entry',
    'user_x86_regs_entry', 'user_x86_xsave_entry', 'user_x86_fpregs_entry',
    'user_desc_t', 'thread_info_x86',
    'creds_entry', 'sa_entry', 'rlimit_entry', 'task_rlimits_entry',
    'itimer_entry', 'posix_timer_entry', 'task_timers_entry',
    'siginfo_entry', 'signal_queue_entry', 'rseq_entry',
    'thread_sas_entry', 'thread_core_entry', 'task_core_entry', 'core_entry',
    'aio_ring_entry', 'vma_entry', 'mm_entry',
    'pagemap_head', 'pagemap_entry', 'fs_entry', 'fdinfo_entry',
    'fown_entry', 'reg_file_entry', 'pipe_entry', 'fifo_entry',
    'tty_file_entry', 'memfd_file_entry', 'eventfd_file_entry',
    'signalfd_entry', 'timerfd_entry', 'eventpoll_tfd_entry',
    'eventpoll_file_entry', 'file_entry',
    'pipe_data_entry', 'termios_entry', 'winsize_entry', 'tty_pty_entry',
    'tty_info_entry', 'seccomp_filter', 'seccomp_entry', 'timespec',
    'timens_entry', 'memfd_inode_entry',
]
# Fields CRIU 4.x added that we want to write/read although 3.17 lacks them,
# and fields of our own that CRIU has no place for, numbered from 1000 so
# that no later CRIU field can meet them (criu and crit skip them):
# eventfd_file_entry.semaphore is EFD_SEMAPHORE (written only when set).
EXTRA = {'pagemap_entry': [(5, 'nr_pages64', 'uint64', 1, None)],
         'eventfd_file_entry': [(1000, 'semaphore', 'bool', 1, None)]}
# Caps on repeated counts / string+bytes lengths (default: 4096 / 65536).
CAPS = {
    'pstree_entry.threads': 65536, 'mm_entry.vmas': 262144,
    'mm_entry.mm_saved_auxv': 128, 'task_core_entry.sigactions': 64,
    'task_rlimits_entry.rlimits': 64, 'creds_entry.groups': 65536,
    'task_core_entry.comm': 64, 'thread_core_entry.comm': 64,
    'siginfo_entry.siginfo': 512, 'seccomp_filter.filter': 32768 * 8,
    'seccomp_entry.seccomp_filters': 1024, 'thread_info_x86.tls': 16,
    'task_timers_entry.posix': 4096, 'signal_queue_entry.signals': 65536,
    'eventpoll_file_entry.tfd': 4096,
}
DEFAULT_RCAP = 65536
DEFAULT_SCAP = 4096
SMALL_RCAP = 512

TYPES = {13: ('UINT32', 'u32'), 4: ('UINT64', 'u64'), 5: ('INT32', 's32'),
         3: ('INT64', 's64'), 17: ('SINT32', 's32'), 18: ('SINT64', 's64'),
         8: ('BOOL', 'bool'), 14: ('ENUM', 'u32'), 7: ('FIXED32', 'u32'),
         6: ('FIXED64', 'u64'), 9: ('STRING', 'char *'),
         12: ('BYTES', 'struct om_pb_bytes'), 11: ('MESSAGE', None)}
TNAME = {'uint32': 13, 'uint64': 4, 'bool': 8}
LABEL = {1: 'OPTIONAL', 2: 'REQUIRED', 3: 'REPEATED'}
CNAME = {'user_desc_t': 'user_desc', 'timespec': 'timespec_entry'}


def cname(m):
    return 'om_criu_' + CNAME.get(m, m)


def fields_of(desc):
    out = []
    for f in desc.fields:
        sub = f.message_type.name if f.message_type else None
        out.append((f.number, f.name, f.type, f.label, sub))
    for (num, name, t, label, sub) in EXTRA.get(desc.name, []):
        out.append((num, name, TNAME[t], label, sub))
    return sorted(out)


def main():
    descs = {}
    for m in MODS:
        mod = importlib.import_module('pycriu.images.%s_pb2' % m)
        descs.update(mod.DESCRIPTOR.message_types_by_name)
    h, c = [], []
    for m in MSGS:
        d = descs[m]
        h.append('struct %s {' % cname(m))
        c.append('static const struct om_pb_field %s_fields[] = {' % cname(m))
        for (num, name, t, label, sub) in fields_of(d):
            if t == 11 and sub not in MSGS:
                continue    # other arches etc.: skipped as unknown
            kind, ctype = TYPES[t]
            key = '%s.%s' % (m, name)
            if label == 3:
                if t == 11:
                    h.append('\tstruct %s *%s;' % (cname(sub), name))
                else:
                    h.append('\t%s%s*%s;' % (ctype, '' if ctype.endswith('*') else ' ', name))
                h.append('\tu32 n_%s;' % name)
                q = 'offsetof(struct %s, n_%s)' % (cname(m), name)
                cap = CAPS.get(key, DEFAULT_RCAP if t == 11 or name in ('threads', 'groups') else SMALL_RCAP)
            else:
                if t == 11:
                    h.append('\tstruct %s *%s;' % (cname(sub), name))
                    q = '0'
                else:
                    if label == 1 and t != 9:
                        h.append('\tbool has_%s;' % name)
                        q = 'offsetof(struct %s, has_%s)' % (cname(m), name)
                    else:
                        q = '0'
                    h.append('\t%s%s%s;' % (ctype, '' if ctype.endswith('*') else ' ', name))
                cap = CAPS.get(key, DEFAULT_SCAP) if t in (9, 12) else 0
            sn = CNAME.get(m, m)
            subd = '&%s_desc' % cname(sub) if t == 11 else 'NULL'
            lab = LABEL[label]
            if t == 11 and label == 3:
                c.append('\tOM_RM(%s, %d, %s, %d, %s),' % (sn, num, name, cap, subd))
            elif t == 11:
                c.append('\tOM_M(%s, %d, %s, %s, %s),' % (sn, num, lab, name, subd))
            elif label == 3:
                c.append('\tOM_R(%s, %d, %s, %s, %d),' % (sn, num, kind, name, cap))
            elif t == 9:
                c.append('\tOM_STR(%s, %d, %s, %s, %d),' % (sn, num, lab, name, cap))
            elif t == 12 and label == 1:
                c.append('\tOM_OB(%s, %d, %s, %d),' % (sn, num, name, cap))
            elif t == 12:
                c.append('\tOM_B(%s, %d, %s, %d),' % (sn, num, name, cap))
            elif label == 1:
                c.append('\tOM_O(%s, %d, %s, %s),' % (sn, num, kind, name))
            else:
                c.append('\tOM_S(%s, %d, %s, %s),' % (sn, num, kind, name))
        h.append('};')
        h.append('extern const struct om_pb_msg_desc %s_desc;' % cname(m))
        h.append('')
        c.append('};')
        c.append('')
        c.append('OM_MSG(%s, "%s");' % (CNAME.get(m, m), m))
        c.append('')
    which = sys.argv[1] if len(sys.argv) > 1 else 'h'
    print('\n'.join(h if which == 'h' else c))


main()
