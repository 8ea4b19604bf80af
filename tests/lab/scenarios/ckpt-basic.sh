# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Checkpoint (issue 5), one node: omctl checkpoint writes CRIU images that
# crit decodes and that match /proc; --leave-running keeps the process
# going with identical results; the default kills it after the checkpoint.
# omlab-solo: 105
set -e
modprobe openmosix
om_expect "/dev/openmosix exists" test -c /dev/openmosix
W=/tmp/ckpt-basic
rm -rf "$W"
mkdir -p "$W"
SRC=$OM_ROOT/tests/ckpt

start() { # start MODE OUT ARGS... -> pid in $pid, waits for OUT.ready
	rm -f "$2" "$2.ready"
	setsid ckpt_prog "$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	om_wait_for 20 test -s "$2.ready" || om_fail "$1 did not start"
}

# reference result without a checkpoint
ckpt_prog compute "$W/ref.out" 60 </dev/null >/dev/null 2>&1
om_expect "reference run" test -s "$W/ref.out"

# 1. --leave-running: images decode and match /proc; the result is unchanged
start compute "$W/c1.out" 60
sleep 0.7
cp "/proc/$pid/maps" "$W/c1.maps"
om_expect "checkpoint --leave-running" omctl checkpoint "$pid" "$W/img1" --leave-running
om_expect "process still running" kill -0 "$pid"
ls -l "$W/img1"
om_expect "images valid and match /proc" /usr/bin/python3 "$SRC/ckpt_check.py" \
	"$W/img1" "$pid" "$W/c1.maps" OMCKPT-HEAP-MARKER-60
for f in "$W"/img1/*.img; do
	case $f in */pages-*) continue ;; esac
	om_expect "crit decode $(basename "$f")" sh -c "/usr/bin/crit decode -i '$f' >/dev/null"
done
om_expect "crit x ps" sh -c "/usr/bin/crit x '$W/img1' ps | grep -q ckpt_prog"
om_expect "crit x fds" /usr/bin/crit x "$W/img1" fds
om_expect "crit x mems" /usr/bin/crit x "$W/img1" mems
wait "$pid" || om_fail "compute exited with $?"
om_expect "result identical after --leave-running" cmp "$W/ref.out" "$W/c1.out"

# 2. several checkpoints of the same run
start compute "$W/c2.out" 60
for i in 1 2 3; do
	sleep 0.4
	om_expect "checkpoint $i of 3" omctl checkpoint "$pid" "$W/img2-$i" --leave-running
done
wait "$pid" || om_fail "compute exited with $?"
om_expect "result identical after 3 checkpoints" cmp "$W/ref.out" "$W/c2.out"

# 3. default: the process is killed after a complete checkpoint
start compute "$W/c3.out" 60
sleep 0.5
cp "/proc/$pid/maps" "$W/c3.maps"
om_expect "checkpoint (kill)" omctl checkpoint "$pid" "$W/img3"
rc=0
wait "$pid" || rc=$?
om_expect "process killed by SIGKILL (rc $rc)" test "$rc" = 137
om_expect "no result written" test ! -e "$W/c3.out"
om_expect "killed process images valid" /usr/bin/python3 "$SRC/ckpt_check.py" \
	"$W/img3" "$pid" "$W/c3.maps" OMCKPT-HEAP-MARKER-60
# ... restored while nobody reads the kernel's status report (as if omctl
# died first): the report must not kill the restored process (SIGPIPE)
rc=0
OMCTL_FAULT=status-closed omctl restore "$W/img3" --wait </dev/null || rc=$?
om_expect "restored process unharmed by an unread status (exit $rc)" test "$rc" = 0
om_expect "its result identical to the reference" cmp "$W/ref.out" "$W/c3.out"

# 4. a shell and a python3 process (dynamically linked, more VMAs)
# (no sleep(1) child: a process with children is refused, issue 14; the
# FIFO only bash holds, empty, is reopened at restore)
mkfifo "$W/sh.fifo"
setsid bash -c 'exec 9<>"$0"; while :; do read -r -t 0.1 -u 9 || :; done' "$W/sh.fifo" \
	</dev/null >/dev/null 2>&1 &
pid=$!
sleep 0.5
cp "/proc/$pid/maps" "$W/sh.maps"
om_expect "checkpoint bash" omctl checkpoint "$pid" "$W/img-sh" --leave-running
om_expect "bash images valid" /usr/bin/python3 "$SRC/ckpt_check.py" "$W/img-sh" "$pid" "$W/sh.maps"
kill "$pid"
setsid /usr/bin/python3 -c 'import time
while True: time.sleep(0.05)' </dev/null >/dev/null 2>&1 &
pid=$!
sleep 2
cp "/proc/$pid/maps" "$W/py.maps"
om_expect "checkpoint python3" omctl checkpoint "$pid" "$W/img-py" --leave-running
om_expect "python3 images valid" /usr/bin/python3 "$SRC/ckpt_check.py" "$W/img-py" "$pid" "$W/py.maps"
om_expect "python3 still running" kill -0 "$pid"
kill "$pid"
# fds: a pipe, /dev/null, a regular file with its offset
rm -f "$W/pi.out.ready"
# (the pipe's reader is this shell's child: one of the target's would be
# refused, issue 14)
exec {pw}> >(cat >/dev/null)
setsid ckpt_prog idle "$W/pi.out" </dev/null 2>"$W/err.log" >&"$pw" {pw}>&- &
pid=$!
om_wait_for 20 test -s "$W/pi.out.ready"
echo 0123456789 >>"$W/err.log"
cp "/proc/$pid/maps" "$W/pi.maps"
om_expect "checkpoint a pipe writer" omctl checkpoint "$pid" "$W/img-pi" --leave-running
om_expect "pipe writer images valid" /usr/bin/python3 "$SRC/ckpt_check.py" "$W/img-pi" "$pid" "$W/pi.maps"
om_expect "fd 0 /dev/null, fd 1 a pipe, fd 2 a file at its offset" /usr/bin/python3 -c "
import pycriu, sys
ld = lambda n: pycriu.images.load(open('$W/img-pi/' + n, 'rb'))['entries']
files = {f['id']: f for f in ld('files.img')}
fds = {f['fd']: f for f in ld('fdinfo-2.img')}
f0, f1, f2 = (files[fds[i]['id']] for i in (0, 1, 2))
print(fds, f0, f1, f2)
sys.exit(not (f0['reg']['name'] == '/dev/null' and fds[1]['type'] == 'PIPE' and
              f1['type'] == 'PIPE' and f2['reg']['name'] == '$W/err.log' and
              f2['reg']['pos'] == $(stat -c %s "$W/err.log") - 11))"
om_expect "pipe writer still running" kill -0 "$pid"
# its pid is taken (it runs): the restore gets a new one
om_expect "restore while the original runs" sh -c "omctl restore '$W/img-pi' >'$W/rst.out' </dev/null"
cat "$W/rst.out"
rpid=$(sed -n 's/.* as pid \([0-9]*\)$/\1/p' "$W/rst.out")
om_expect "restored in a new pid ($rpid), the image's $pid being taken" \
	test -n "$rpid" -a "$rpid" != "$pid"
om_expect "restored copy runs" kill -0 "$rpid"
kill "$pid" "$rpid"
exec {pw}>&-
om_expect "module unloads" modprobe -r openmosix
