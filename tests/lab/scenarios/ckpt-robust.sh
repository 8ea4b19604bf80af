# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Checkpoint robustness (issue 5): the target killed while its 128 MB are
# being written, the checkpointer killed half-way (the target resumes),
# and a checkpoint racing with the target's own exit.  No oops, no
# leaked module references: the module unloads at the end.
# omlab-solo: 15
set -e
modprobe openmosix
W=/tmp/ckpt-robust
rm -rf "$W"
mkdir -p "$W"

start() { # start MODE OUT ARGS... -> pid in $pid
	rm -f "$2" "$2.ready"
	setsid ckpt_prog "$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	om_wait_for 60 test -s "$2.ready" || om_fail "$1 did not start"
}

# 1. the target dies during the checkpoint
start compute "$W/a.out" 100000 128
t0=$(date +%s.%N)
omctl checkpoint "$pid" "$W/img-a" >"$W/a.log" 2>&1 &
ck=$!
# while its pages are being written: a fixed delay killed it before a
# slow guest's omctl had even asked ("no such process")
om_wait_for 30 test -s "$W/img-a/pages-1.img" || true
kill -9 "$pid"
rc=0
wait "$ck" || rc=$?
cat "$W/a.log"
echo "# checkpoint took $(echo "$(date +%s.%N) - $t0" | bc) s"
om_expect "checkpoint finished or reported the kill (rc $rc)" \
	sh -c "test $rc = 0 || grep -q 'killed during the checkpoint' $W/a.log"
om_expect "target gone" sh -c "! kill -0 $pid 2>/dev/null"

# 2. the checkpointer dies: the target resumes
start compute "$W/b.out" 100000 128
omctl checkpoint "$pid" "$W/img-b" --leave-running >"$W/b.log" 2>&1 &
ck=$!
om_wait_for 30 test -s "$W/img-b/pages-1.img" || true
kill -9 "$ck"
wait "$ck" || true
sleep 0.5
om_expect "target still running after the checkpointer died" kill -0 "$pid"
s1=$(awk '{print $14}' "/proc/$pid/stat")
sleep 1
s2=$(awk '{print $14}' "/proc/$pid/stat")
om_expect "target still computing ($s1 -> $s2 ticks)" test "$s2" -gt "$s1"
om_expect "full checkpoint of 128 MB" omctl checkpoint "$pid" "$W/img-c"
om_expect "pages of 128 MB written" sh -c "test \$(stat -c %s $W/img-c/pages-1.img) -gt 134217728"

# 3. a checkpoint racing with exit, many times
for i in $(seq 1 20); do
	ckpt_prog sleep "$W/r.out" 1 </dev/null >/dev/null 2>&1 &
	p=$!
	omctl checkpoint "$p" "$W/img-r" --leave-running >/dev/null 2>&1 || true
	wait "$p" || true
done
om_expect "module unloads (no references left)" modprobe -r openmosix
