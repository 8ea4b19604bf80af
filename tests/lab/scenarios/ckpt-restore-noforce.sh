# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Restore under proc_mem.force_override=never (issue 9 item 7): the
# administrator forbids FOLL_FORCE writes (/proc/PID/mem), and the
# restore writes no memory that way either.  Read-only private memory
# with data is filled while mapped writable and mprotect()ed back by
# the restored process before its code runs.  Boots its own guest with
# the parameter (both Debian kernels have it: 6.1 got it backported),
# shared with deputy-hook (one boot less), hence its vsyscall=xonly too.
#
# First: the parameter is on /proc/cmdline and in force (a write to a
# read-only page of our own through /proc/self/mem fails with EIO).
# Then, for ckpt_prog rofill (a PIE: relocated relro; anonymous r--, ---
# and r-x pages with data) dynamic and static: run once undisturbed (the
# reference), then again checkpointed and restored once.  The restored
# process must have the original's memory map (addresses, permissions,
# offsets, files: nothing left writable, no trampoline) and fds (no
# anon_inode left), and its result must equal the reference: same data,
# same permissions in its own /proc/self/maps, and a write to the relro,
# to the r-- and r-x pages and a read of the --- page still fault.
# omlab-append: proc_mem.force_override=never vsyscall=xonly
# omlab-nodes: 1
# omlab-solo: 60
set -e
W=/tmp/ckpt-restore-noforce
rm -rf "$W"
mkdir -p "$W"

om_expect "/proc/cmdline has proc_mem.force_override=never" \
	grep -qw 'proc_mem.force_override=never' /proc/cmdline
# shellcheck disable=SC2016
forced=$(python3 -c '
import errno, os
for l in open("/proc/self/maps"):
    f = l.split()
    if f[1] == "r--p" and len(f) > 5:
        a = int(f[0].split("-")[0], 16)
        break
fd = os.open("/proc/self/mem", os.O_RDWR)
b = os.pread(fd, 1, a)
try:
    os.pwrite(fd, b, a)
    print("written")
except OSError as e:
    print("EIO" if e.errno == errno.EIO else "errno %d" % e.errno)
')
echo "# a write to our own r--p page through /proc/self/mem: $forced"
om_expect "the kernel enforces it: FOLL_FORCE writes through /proc/self/mem fail" \
	test "$forced" = EIO

modprobe openmosix

# maps PID: /proc/PID/maps as ranges of one permission, offset run and
# file (adjacent lines that only differ in where the kernel split or
# merged VMAs are joined)
maps() {
	python3 -c '
import sys
out = []
for l in open("/proc/%s/maps" % sys.argv[1]):
    f = l.split(None, 5)
    lo, hi = (int(x, 16) for x in f[0].split("-"))
    off, path = int(f[2], 16), (f[5].strip() if len(f) > 5 else "")
    key = (f[1], f[3], f[4], path)
    if out and out[-1][1] == lo and out[-1][2] == key and \
       (not path or out[-1][3] + (lo - out[-1][0]) == off):
        out[-1][1] = hi
        continue
    out.append([lo, hi, key, off])
for lo, hi, key, off in out:
    print("%x-%x %s %x %s %s %s" % (lo, hi, key[0], off, key[1], key[2], key[3]))
' "$1"
}

fds() { # PID: fd targets
	local f
	for f in /proc/"$1"/fd/*; do
		echo "fd ${f##*/} $(readlink "$f")"
	done
}

launch() { # OUT PROG: start PROG rofill, pid in $pid, wait for OUT.ready
	rm -f "$1" "$1.ready" "$1.trigger"
	om_clean_exec "$2" rofill "$1" "$1.trigger" &
	pid=$!
	om_wait_for 60 test -s "$1.ready" || om_fail "$2 rofill did not start"
}

same() { # what A B
	[[ $2 == "$3" ]] && return 0
	echo "# $1 differ (original <, restored >):"
	diff <(echo "$2") <(echo "$3") | sed 's/^/#   /'
	return 1
}

for prog in ckpt_prog ckpt_prog_static; do
	ref=$W/$prog.ref
	out=$W/$prog.out
	launch "$ref" "$prog"
	: >"$ref.trigger"
	rc=0
	wait "$pid" || rc=$?
	om_expect "$prog: reference run (exit $rc)" test "$rc" = 0 -a -s "$ref"
	echo "# $prog reference: $(cat "$ref")"

	launch "$out" "$prog"
	maps0=$(maps "$pid")
	fds0=$(fds "$pid")
	om_expect "$prog: checkpoint" omctl checkpoint "$pid" "$W/$prog.img"
	rc=0
	wait "$pid" || rc=$?
	om_expect "$prog: original killed by the checkpoint (exit $rc)" test "$rc" = 137
	om_expect "$prog: restore" om_restore "$W/$prog.img" "$W/restore.log"
	om_expect "$prog: restored as pid $newpid, running" om_alive "$newpid"
	om_expect "$prog: the original's memory map (permissions, files; no trampoline)" \
		same "maps" "$maps0" "$(maps "$newpid")"
	om_expect "$prog: the original's fds (no anon_inode left)" \
		same "fds" "$fds0" "$(fds "$newpid")"
	: >"$out.trigger"
	om_expect "$prog: result written" om_wait_for 60 test -s "$out"
	om_expect "$prog: restored program exited" om_wait_for 30 om_gone "$newpid"
	echo "# $prog restored: $(cat "$out")"
	om_expect "$prog: result identical to the reference" cmp "$ref" "$out"
	om_expect "$prog: relro and the r--, ---, r-x pages kept data and protection" \
		grep -Eq '^rofill relro=ok,r--p,sig11 ro=[0-9a-f]+,r--p,sig11 none=[0-9a-f]+,---p,sig11 rx=42,r-xp,sig11$' "$out"
done
om_expect "module unloads" modprobe -r openmosix
