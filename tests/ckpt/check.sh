#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# check.sh BINDIR: host self-test of the checkpoint test programs (no
# module needed).  Runs every mode of ckpt_prog, ckpt_prog_static,
# ckpt_loop.py and ckpt_loop.sh twice, the second time stopped and
# continued (SIGSTOP/SIGCONT) a few times, and compares the results.
# Every fid_prog mode's own check must pass undisturbed, and every
# refusal mode must set up what it refuses.
set -e
B=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/ckpt-check.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkfifo "$W/fifo"
exec 7<>"$W/fifo"
mkdir "$W/cwd"
fails=0
# ready_or_exit: wait up to 5 s for $o.ready, or for $pid to end
ready_or_exit() {
	local i
	for ((i = 0; i < 500; i++)); do
		[[ -s $o.ready ]] && return 0
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.01
	done
}
FID_MODES="auxv dumpable undumpable thp madvise mlock fdflags inheritnb pipes opath exe itimers
	posixtimers fifo fiforw fifowr fiford fifopeer eventfd eventfdsem signalfd timerfd epoll"

# one NAME HOOK CMD...: @OUT@ in CMD is the result file, HOOK runs once
# the program is ready ($pid, $o = result file)
one() {
	local name=$1 hook=$2 run o pid i
	shift 2
	for run in 1 2; do
		o=$W/$name.$run
		setsid "${@//@OUT@/$o}" </dev/null >/dev/null 2>"$o.err" 7>&- &
		pid=$!
		for ((i = 0; i < 500; i++)); do
			[[ -s $o.ready ]] && break
			sleep 0.01
		done
		if ((run == 2)); then
			for i in 1 2 3; do
				kill -STOP "$pid" 2>/dev/null || break
				sleep 0.01
				kill -CONT "$pid" 2>/dev/null || break
				sleep 0.02
			done
		fi
		eval "$hook"
		wait "$pid" || { echo "FAIL $name: run $run exited with $?"; cat "$o.err"; fails=$((fails + 1)); return; }
	done
	if cmp -s "$W/$name.1" "$W/$name.2" && [[ -s $W/$name.1 ]]; then
		echo "ok   $name ($(cat "$W/$name.2.ms" 2>/dev/null || echo ?) ms): $(cut -c1-90 "$W/$name.1")"
	else
		echo "FAIL $name: results differ"; cat "$W/$name.1" "$W/$name.2"; fails=$((fails + 1))
	fi
}

for p in ckpt_prog ckpt_prog_static; do
	P=$B/$p
	one "$p-compute" "" "$P" compute @OUT@ 20
	one "$p-sleep" "" "$P" sleep @OUT@ 4
	one "$p-fifo" 'sleep 0.05; echo hello-fifo >&7' "$P" fifo @OUT@ "$W/fifo"
	one "$p-poll" 'sleep 0.05; echo hello-poll >&7' "$P" poll @OUT@ "$W/fifo"
	one "$p-sigwait" 'sleep 0.05; kill -USR2 $pid' "$P" sigwait @OUT@
	one "$p-fpu" "" "$P" fpu @OUT@ 100
	one "$p-fpu-sse2" "" "$P" fpu @OUT@ 100 sse2
	one "$p-heap" "" "$P" heap @OUT@ 4
	one "$p-recurse" "" "$P" recurse @OUT@ 4
	one "$p-mmap" "" "$P" mmap @OUT@ @OUT@.data 40
	one "$p-sighandler" 'sleep 0.05; : >"$o.trigger"' "$P" sighandler @OUT@ @OUT@.trigger 20
	one "$p-rlimit" "" "$P" rlimit @OUT@ "$W/cwd" 4
	one "$p-rofill" 'sleep 0.05; : >"$o.trigger"' "$P" rofill @OUT@ @OUT@.trigger
	for f in .data.shared .data.log .data.priv; do
		cmp -s "$W/$p-mmap.1$f" "$W/$p-mmap.2$f" ||
			{ echo "FAIL $p-mmap: $f differs"; fails=$((fails + 1)); }
	done
done
# the two binaries and the two FPU paths agree, apart from the path name
for m in compute fpu heap recurse mmap sighandler rlimit rofill; do
	cmp -s "$W/ckpt_prog-$m.1" "$W/ckpt_prog_static-$m.1" ||
		{ echo "FAIL $m: dynamic and static results differ"; fails=$((fails + 1)); }
done
if [[ $(sed 's/path=[a-z0-9]*//' "$W/ckpt_prog-fpu.1") != "$(sed 's/path=[a-z0-9]*//' "$W/ckpt_prog-fpu-sse2.1")" ]]; then
	echo "FAIL fpu: the SSE2 and AVX2 paths differ"; fails=$((fails + 1))
fi
one python "" /usr/bin/python3 "$SRC/ckpt_loop.py" @OUT@ 10
one bash "" bash "$SRC/ckpt_loop.sh" @OUT@ 10
for n in python bash; do
	cmp -s "$W/$n.1.log" "$W/$n.2.log" || { echo "FAIL $n: log differs"; fails=$((fails + 1)); }
done
# fid_prog: every mode's own check passes undisturbed (77: not possible here)
for m in $FID_MODES; do
	o=$W/fid-$m
	if [[ $m == inheritnb ]]; then	# its stderr must be a pipe
		setsid "$B/fid_prog" "$m" "$o" "$o.trigger" </dev/null >/dev/null 7>&- \
			2> >(cat >"$o.err") &
	else
		setsid "$B/fid_prog" "$m" "$o" "$o.trigger" </dev/null >/dev/null 2>"$o.err" 7>&- &
	fi
	pid=$!
	ready_or_exit
	# fifopeer: its FIFO held open outside, both ways, until the check
	[[ $m != fifopeer || ! -s $o.ready ]] || exec 8<>"$o.fifo"
	: >"$o.trigger"
	rc=0
	wait "$pid" || rc=$?
	exec 8>&-
	if [[ $rc == 0 ]] && grep -q "^$m ok:" "$o"; then
		echo "ok   fid_prog $m: $(cut -c1-90 "$o")"
	elif [[ $rc == 77 ]]; then
		echo "ok   fid_prog $m: not possible here"
	else
		echo "FAIL fid_prog $m: exit $rc: $(cat "$o" 2>/dev/null)"; cat "$o.err"; fails=$((fails + 1))
	fi
done
# the refusal modes set up what they refuse (devmem, rmroot and deldev
# may not be possible here: exit 77) and then wait forever
for m in threads shm socket shanon memfd deleted uring cputimer devmem \
	child zombie stopchild rmcwd rmroot deldir deldev fifohalf fifopacket \
	lockonfault mlockall setown packetpipe opathpipe epollclosed epollreused epollswap \
	epollext tfdalarm tfdcancel eventfd; do
	o=$W/refuse-$m
	setsid "$B/ckpt_prog" "$m" "$o" </dev/null >/dev/null 2>"$o.err" 7>&- &
	pid=$!
	ready_or_exit
	if [[ -s $o.ready ]] && kill -0 "$pid" 2>/dev/null; then
		echo "ok   refusal mode $m set up"
		kill -9 "$pid"
		wait "$pid" 2>/dev/null || true
	else
		rc=0
		wait "$pid" || rc=$?
		if [[ $rc == 77 && $m == @(devmem|rmroot|deldev|tfdalarm) ]]; then
			echo "ok   refusal mode $m: not possible here (not root?)"
		else
			echo "FAIL refusal mode $m: exit $rc"; cat "$o.err"; fails=$((fails + 1))
		fi
	fi
done
((fails == 0)) && echo "all checkpoint test programs deterministic" && exit 0
echo "$fails failures"
exit 1
