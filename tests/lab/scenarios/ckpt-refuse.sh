# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Checkpoint refusals (issue 5): threads, SysV shm, sockets, shared
# anonymous memory a process outside maps too (fork) or split by
# mprotect(), memfd and deleted-file mappings, /dev/mem, io_uring,
# POSIX timers on a CPU-time clock (other POSIX timers and the itimers are
# checkpointed: ckpt-fidelity), ptrace, other users' processes (stopped
# ones are checkpointed: ckpt-sleep).  Issue 14: what a restore could not
# bring back: children (running, zombie, stopped), a removed cwd or
# chroot, fds on a removed directory or device node, a FIFO another
# process holds open one way only (it would see EOF or EPIPE), a FIFO
# holding packet-mode writes, mlock2(MLOCK_ONFAULT), mlockall(MCL_FUTURE),
# an fd with F_SETOWN, a packet-mode pipe, an O_PATH fd of a pipe; epoll
# entries whose fd was closed after they were added (the file alive on
# another fd; the fd taken by another timerfd; two fds exchanged), a pipe
# another process's epoll watches, timerfds on an alarm clock or with
# TFD_TIMER_CANCEL_ON_SET, and on 6.1 any eventfd (its fdinfo does not
# show EFD_SEMAPHORE).  (A FIFO of its own with unread data, eventfds,
# signalfds, timerfds and epolls are checkpointed now: ckpt-fidelity.)
# Deleted open files a restore could not make again (over ghost_limit,
# another hard link left, mapped shared and writable or open for writing
# by another process) and terminals (a pty master, a second terminal
# besides the controlling one, a hung-up one, one in exclusive mode or
# with locked settings); raised, ghost_limit lets
# the large deleted file through, and it is restored.
# Each is refused with a clear reason, nothing is written, and the
# process keeps running.
# omlab-solo: 50
set -e
modprobe openmosix
W=/tmp/ckpt-refuse
rm -rf "$W"
mkdir -p "$W"
chmod 777 "$W"
nimg=0

ready_or_gone() { [[ -s $1 ]] || ! kill -0 "$2" 2>/dev/null; } # READY PID

start() { # start MODE OUT ARGS... -> pid in $pid, set up and waiting
	local rc=0
	rm -f "$2" "$2.ready"
	setsid ckpt_prog "$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	om_wait_for 20 ready_or_gone "$2.ready" "$pid" || true
	[[ -s $2.ready ]] && return 0
	wait "$pid" || rc=$?
	om_fail "ckpt_prog $1 did not start (exit $rc; 77: not possible here)"
}

refused() { # refused PID REGEX [omctl runner...]: fails with a reason
	local p=$1 re=$2 out rc=0 d=$W/img-$((++nimg))
	shift 2
	out=$("$@" omctl checkpoint "$p" "$d" 2>&1) || rc=$?
	echo "# omctl: $out (rc $rc)"
	[[ $rc != 0 ]] && grep -Eq "$re" <<<"$out" &&
		! test -e "$d/inventory.img" && kill -0 "$p"
}

start threads "$W/t.out"
om_expect "threads refused" refused "$pid" "multi-threaded \(2 threads\)"
om_expect "threaded process alive" kill -0 "$pid"
kill "$pid"

# a process whose memory another one runs in (clone(CLONE_VM)); passing
# references to a memory map (a ps reading /proc/PID/cmdline) do not count
start clonevm "$W/c.out"
cpid=$(cat "$W/c.out.ready")
om_expect "CLONE_VM child ($cpid of $pid) refused" refused "$cpid" "memory shared with another process"
kill "$pid"

start shm "$W/s.out"
om_expect "SysV shm refused" refused "$pid" "SysV shared memory"
kill "$pid"

start socket "$W/k.out"
om_expect "socket refused" refused "$pid" "fd 3 is a socket"
kill "$pid"

# refuse_all MODE|REASON...: each mode's process is refused with its reason
# and left running
refuse_all() {
	local spec mode
	for spec; do
		mode=${spec%%|*}
		start "$mode" "$W/$mode.out"
		om_expect "$mode refused" refused "$pid" "${spec#*|}"
		kill "$pid"
	done
}

# mappings and kernel objects we cannot move (yet)
# shared anonymous memory of its own is checkpointed (ckpt-fidelity
# shmanon); shared with a process outside (fork), or split, it is not (a
# split one is two mappings of the object: "mapped ... twice")
refuse_all "shanon|shared anonymous memory at [0-9a-f]+ is mapped by another process too" \
	"shanonpart|shared anonymous memory at [0-9a-f]+ is (a part of its object|mapped by another process too .* or twice)" \
	"memfd|memfd mapping at" \
	"deleted|mapping of a deleted file at" "devmem|device mapping at" \
	"uring|io_uring" \
	"cputimer|POSIX timer [0-9]+ on clock -?[0-9]+: CPU-time and alarm clocks are not supported yet"

# issue 14: refused before anything is killed
refuse_all "child|has children \(process trees are not supported yet\)" \
	"zombie|has children" "stopchild|has children" \
	"rmcwd|its working directory was removed" \
	"rmroot|its root directory \(chroot\) was removed" \
	"deldir|fd [0-9]+ is a deleted directory" \
	"deldev|fd [0-9]+ is a deleted device node" \
	"fifopacket|fd [0-9]+: its FIFO holds packet-mode \(O_DIRECT\) writes" \
	"lockonfault|memory locked on fault \(mlock2 MLOCK_ONFAULT\)" \
	"mlockall|mlockall\(MCL_FUTURE\) is in effect" \
	"setown|fd [0-9]+ has a SIGIO owner or signal" \
	"packetpipe|fd [0-9]+ is a packet-mode pipe" \
	"opathpipe|fd [0-9]+ is an O_PATH fd of an unnamed object" \
	"epollclosed|fd [0-9]+ is an epoll watching fd [0-9]+, closed after it was added" \
	"epollreused|fd [0-9]+ is named by 1 epoll entries but watched by 0" \
	"epollswap|fd [0-9]+ is an epoll watching fds [0-9]+ and [0-9]+, whose files were exchanged" \
	"epollext|fd [0-9]+ is watched by 1 epoll entries, 0 of them" \
	"tfdcancel|fd [0-9]+ is a timerfd set with TFD_TIMER_CANCEL_ON_SET" \
	"ghostbig|fd [0-9]+ is a deleted file of 2097152 bytes, more than ghost_limit \(1048576 bytes" \
	"ghostlink|fd [0-9]+ is a deleted file with 1 other hard link still present" \
	"ghostmapped|fd [0-9]+ is a deleted file mapped shared and writable" \
	"ghostwriter|fd [0-9]+ is a deleted file another process has open for writing" \
	"ptmx|fd [0-9]+ is a pseudo-terminal master \(/dev/ptmx\)" \
	"twotty|fd [0-9]+ is a second terminal \(pts[0-9]+\) besides its controlling terminal \(pts[0-9]+\)" \
	"ttyhup|fd [0-9]+ is a hung-up terminal" \
	"ttyexcl|fd [0-9]+ is a terminal \(pts[0-9]+\) in exclusive mode \(TIOCEXCL\)" \
	"ttylocked|fd [0-9]+ is a terminal \(pts[0-9]+\) with locked settings \(TIOCSLCKTRMIOS\)"
# CLOCK_BOOTTIME_ALARM needs CAP_WAKE_ALARM (root has it) and alarmtimer
rm -f "$W/tfdalarm.out.ready"
setsid ckpt_prog tfdalarm "$W/tfdalarm.out" </dev/null >/dev/null 2>&1 &
pid=$!
om_wait_for 20 ready_or_gone "$W/tfdalarm.out.ready" "$pid" || true
if [[ -s $W/tfdalarm.out.ready ]]; then
	om_expect "tfdalarm refused" refused "$pid" "fd [0-9]+ is a timerfd on an alarm clock"
	kill "$pid"
else
	rc=0
	wait "$pid" || rc=$?
	echo "# tfdalarm: no alarm timerfd here (ckpt_prog exit $rc)"
fi
# 6.1's fdinfo does not show EFD_SEMAPHORE: every eventfd is refused there
if [[ $(uname -r) == 6.1.* ]]; then
	start eventfd "$W/eventfd.out"
	om_expect "eventfd refused on 6.1" refused "$pid" \
		"fd [0-9]+ is an eventfd, and this kernel does not show whether it is EFD_SEMAPHORE"
	kill "$pid"
fi
# ghost_limit raised: the 2 MiB deleted file is checkpointed and restored
GL=/sys/kernel/openmosix/ghost_limit
om_expect "ghost_limit is 1 MiB by default" test "$(cat $GL)" = 1048576
start ghostbig "$W/gb.out"
echo $((4 << 20)) >$GL
om_expect "ghostbig checkpointed with ghost_limit 4 MiB" omctl checkpoint "$pid" "$W/img-gb"
echo 1048576 >$GL
wait "$pid" || true
om_expect "its size in ghost-file-1.img" sh -c "crit decode -i '$W/img-gb/ghost-file-1.img' | grep -q '\"size\": 2097152'"
om_expect "ghostbig restored" om_restore "$W/img-gb" "$W/rst-gb.log"
# an unnamed file (O_TMPFILE) in the same directory: its link reads DIR/#INODE (deleted)
gbfd=$(find "/proc/$newpid/fd" -lname "$W/#* (deleted)" | head -1)
om_expect "the restored process has the deleted file: 2 MiB, 'ghost' at 0" \
	sh -c "test -n '$gbfd' && test \$(stat -L -c %s '$gbfd') = 2097152 && test \$(head -c 5 '$gbfd') = ghost"
kill "$newpid"
# a FIFO read-only whose only writer is this shell: it would see EPIPE
start fifohalf "$W/fifohalf.out"
exec 9>"$W/fifohalf.out.fifo"
om_expect "fifohalf refused" refused "$pid" "fd [0-9]+ is a FIFO another process holds open for writing only"
exec 9>&-
kill "$pid"

start idle "$W/p.out"
strace -p "$pid" -o /dev/null &
tracer=$!
om_wait_for 10 sh -c "grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/$pid/status"
om_expect "ptraced refused" refused "$pid" "ptraced"
kill "$tracer"
wait "$tracer" || true


# unprivileged: not someone else's process, but its own
om_expect "nobody cannot checkpoint root's process" \
	refused "$pid" "permission denied" setpriv --reuid=65534 --regid=65534 --clear-groups
kill "$pid"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	setsid ckpt_prog compute "$W/n.out" 100 </dev/null >/dev/null 2>&1 &
pid=$!
om_wait_for 20 test -s "$W/n.out.ready"
om_expect "nobody checkpoints its own process" setpriv --reuid=65534 --regid=65534 \
	--clear-groups omctl checkpoint "$pid" "$W/img-nobody" --leave-running
om_expect "images owned by nobody" test "$(stat -c %U "$W/img-nobody/core-$pid.img")" = nobody
# ... and restores it (issue 5: unprivileged users restore their own)
om_expect "nobody checkpoints (kill) its own process" setpriv --reuid=65534 --regid=65534 \
	--clear-groups omctl checkpoint "$pid" "$W/img-nobody2"
wait "$pid" || true	# reaped: its pid is free, yet nobody may not choose pids
om_expect "nobody restores its own process" setpriv --reuid=65534 --regid=65534 \
	--clear-groups omctl restore "$W/img-nobody2" --wait </dev/null >"$W/rst.out"
cat "$W/rst.out"
om_expect "nobody's restore: a new pid, not the image's $pid" \
	grep -Eq "image pid $pid, .* as pid ([0-9]+)\$" "$W/rst.out"
om_expect "nobody's restore: a new pid" sh -c "! grep -q ' as pid $pid\$' '$W/rst.out'"
ckpt_prog compute "$W/n-ref.out" 100 </dev/null >/dev/null 2>&1
om_expect "nobody's restored process: same result" cmp "$W/n-ref.out" "$W/n.out"

om_expect "self refused" sh -c "sh -c 'exec omctl checkpoint \$\$ $W/self' 2>&1 | grep -q itself"
om_expect "no such pid" sh -c "omctl checkpoint 999999 $W/none 2>&1 | grep -q 'no such process'"
om_expect "kernel thread refused" sh -c "omctl checkpoint 2 $W/kt 2>&1 | grep -q 'kernel thread'"
om_expect "bad pid rejected by omctl" sh -c "! omctl checkpoint abc $W/x"
om_expect "module unloads" modprobe -r openmosix
