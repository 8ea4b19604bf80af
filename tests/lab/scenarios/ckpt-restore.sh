# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Checkpoint and restore (issue 5), one node.  Every case runs a test
# program once undisturbed (the reference), then again while K times, at
# random moments, 'omctl checkpoint' writes its images and kills it and
# 'omctl restore' brings it back as a new process (in the image's pid,
# which root may choose once the original is reaped: checked after the
# first checkpoint; the checkpoints after the first are of restored
# processes).  The result
# files must be byte-identical to the reference, and right after every
# restore the new process must have the same fds (targets), cwd and comm
# as the original (a different /proc/PID/exe is only noted).  Some cases
# end with 'omctl restore --wait', whose exit status must be the
# program's (0); the others wait for the result.  A failing case is
# reported (with the state of its leftover processes, which are killed)
# and the next one runs; the scenario fails at the end.
#
# Compute cases first calibrate ROUNDS to about TARGET_MS of work (the
# programs write OUT.ms), so that the random moments, 200 ms to 3/4 of
# the run divided by K (at most 1.5 s), land mid-computation on TCG and
# KVM alike.  Cases whose program waits for the scenario (HOOK: FIFO
# data, a signal, a trigger file) take any moment up to 1.5 s; the HOOK
# runs only after the last restore.
#
#   case         prog    K  end   what a pass proves
#   fpu          dyn     3  wait  GP, x87 (stack, control word: upward
#                                 rounding, double precision), SSE and
#                                 AVX2 ymm registers live mid-loop, MXCSR
#                                 (rounding, FTZ/DAZ, sticky flags)
#   fpu-static   static  3  file  the same for a -static binary (no ld.so,
#                                 IRELATIVE-resolved libc)
#   heap         dyn     2  wait  a 64 MB malloc()ed heap, all pages
#                                 dirty, restored page for page
#   recurse      static  3  file  a ~13 MB grown stack (100000 frames with
#                                 data), RLIMIT_STACK raised at run time
#   mmap         dyn     3  wait  MAP_PRIVATE file pages copied-on-write
#                                 before/after restore and never-written
#                                 ones (read from the file); MAP_SHARED
#                                 writes reach the file; a write() log fd
#                                 at its offset (the files are compared)
#   sighandler   dyn     2  wait  a SIGUSR2 handler installed before the
#                                 checkpoints runs after them: on its
#                                 sigaltstack, with its sa_mask, siginfo,
#                                 SA_RESTART|SA_ONSTACK; SIGINT ignored
#   sigwait      static  2  file  a blocked SIGUSR1 (raise()d, thread
#                                 pending) survives two restores; USR2 sent
#                                 to the restored pid runs the handler
#   rlimit       dyn     2  wait  soft/hard NOFILE, CORE, STACK (NOFILE
#                                 enforced: dup2 above it fails), cwd (a
#                                 relative open lands there), umask
#   sleep        dyn     3  file  nanosleep() interrupted by the checkpoint
#                                 goes on (EINTR, remaining time)
#   fifo         dyn     2  file  read() blocked on a named FIFO, reopened
#                                 by path; the data is written only after
#                                 the last restore
#   poll         dyn     2  file  the same with poll()
#   python       python3 3  wait  the interpreter (many libraries and
#                                 VMAs), a buffered file object (OUT.log
#                                 compared)
#   bash         bash    3  file  bash reading its script through fd 255
#                                 at an offset, stdout a file at its
#                                 offset (compared), fork+exec+wait (mv)
#                                 after the restores
# omlab-solo: 220 6.12=255
set -e
modprobe openmosix
om_expect "/dev/openmosix exists" test -c /dev/openmosix
W=/tmp/ckpt-restore
rm -rf "$W"
mkdir -p "$W"
SRC=$OM_ROOT/tests/ckpt
TARGET_MS=8000
T0=$SECONDS

view() { # PID: fd targets (pipe inodes masked), cwd, comm
	local f
	for f in /proc/"$1"/fd/*; do
		echo "fd ${f##*/} $(readlink "$f" | sed 's/:\[[0-9]*\]$/:[]/')"
	done | sort -n -k2
	echo "cwd $(readlink "/proc/$1/cwd")"
	echo "comm $(cat "/proc/$1/comm")"
}

same_view() { # PID: as the original (view0), or finished meanwhile
	local v
	v=$(view "$1" 2>/dev/null)
	[[ $v == "$view0" ]] && return 0
	if om_gone "$1" && [[ -s $cur ]]; then
		echo "# $name: pid $1 finished while it was being looked at"
		return 0
	fi
	diff <(echo "$view0") <(echo "$v") >&2
	return 1
}

cmdline() { # OUT: args = the case's command for result file OUT
	args=("${tmpl[@]//@OUT@/$1}")
	args=("${args[@]//@R@/$R}")
}

track() { # PID: killed if the case fails
	echo "$1 $(cat "/proc/$1/comm" 2>/dev/null)" >>"$W/pids"
}

launch() { # OUT: start the program, pid in $pid, wait for OUT.ready
	rm -f "$1" "$1.ready" "$1.ms" "$1.trigger"
	cmdline "$1"
	om_clean_exec "${args[@]}" &
	pid=$!
	om_wait_for 120 test -s "$1.ready" || om_fail "$name did not start"
	track "$pid"
}

calibrate() { # R0: R = rounds for about TARGET_MS of work
	local o=$W/$name.cal ms rc=0
	R=$1
	launch "$o"
	wait "$pid" || rc=$?
	om_expect "$name: calibration run, $1 rounds (exit $rc)" test "$rc" = 0 -a -s "$o.ms"
	ms=$(cat "$o.ms")
	R=$((TARGET_MS * $1 / (ms > 0 ? ms : 1)))
	[[ $R -ge $1 ]] || R=$1
	echo "# $name: $1 rounds took $ms ms, using $R rounds"
}

restored_pid() { # LOG OMCTL-PID: the pid of omctl -j restore's JSON line
	local t
	for ((t = 0; t < 600; t++)); do
		newpid=$(grep -o '"pid": *[0-9]*' "$1" | grep -o '[0-9]*$') && return 0
		if ! kill -0 "$2" 2>/dev/null; then
			newpid=$(grep -o '"pid": *[0-9]*' "$1" | grep -o '[0-9]*$') && return 0
			cat "$1" >&2
			return 1
		fi
		sleep 0.1
	done
	cat "$1" >&2
	return 1
}

image_pid() { # LOG: the image's pid in omctl -j restore's JSON line
	grep -o '"image_pid": *[0-9]*' "$1" | grep -o '[0-9]*$'
}

result_or_gone() { # OUT PID: OUT written within 60 s (fails early if PID died)
	local t
	for ((t = 0; t < 300; t++)); do
		[[ -s $1 ]] && return 0
		if om_gone "$2"; then
			sleep 0.5
			[[ -s $1 ]]
			return
		fi
		sleep 0.2
	done
	return 1
}

same_file() { # REF OUT
	cmp "$1" "$2" && return 0
	echo "reference: $(head -c 600 "$1")"
	echo "restored:  $(head -c 600 "$2")"
	return 1
}

# again I: the program finished before checkpoint I; true if the case is
# to be run again with more rounds (first checkpoint, calibrated, up to
# twice: the debug kernel's checkpoints are slow to start)
again() {
	[[ $1 -gt 1 ]] && return 1
	[[ $attempt -le 2 && -n $R ]] || om_fail "$name: finished before the first checkpoint"
	R=$((R * 4))
	echo "# $name: finished before the first checkpoint, again with $R rounds"
	wait "$pid" 2>/dev/null || true
	return 0
}

# run_case NAME K END R0 HOOK CMD...
#   CMD runs the program; @OUT@ in it is the result file, @R@ the rounds
#   (calibrated from R0 rounds; =N: N rounds, not calibrated, still
#   raised when too few; -: no rounds).  END: wait = the last
#   restore is 'omctl restore --wait', file = wait for the result.  HOOK:
#   shell code run once the program is ready (reference) or after the
#   last restore; $pid is the program, $cur its result file.  EXTRA:
#   suffixes of more files that must be identical (OUT.log ...).
run_case() {
	name=$1
	local k=$2 end=$3 r0=$4 hook=$5 ref=$W/$1.ref out=$W/$1.out
	local i d dmax ms rc cur wpid exe0 exe t1=$SECONDS sfx attempt ipid rlog
	shift 5
	tmpl=("$@")
	R=
	if [[ $r0 == =* ]]; then
		R=${r0#=}
	elif [[ $r0 != - ]]; then
		calibrate "$r0"
	fi
	# a calibrated program that finishes before the first checkpoint is
	# run again (reference too) with 4 times the rounds, once
	for ((attempt = 1; ; attempt++)); do
		# (a) the reference
		cur=$ref
		launch "$ref"
		eval "$hook"
		rc=0
		wait "$pid" || rc=$?
		om_expect "$name: reference run (exit $rc)" test "$rc" = 0 -a -s "$ref"
		ms=$(cat "$ref.ms" 2>/dev/null || echo 0)
		if [[ -n $hook ]]; then
			dmax=1500		# the program waits for the hook
		else
			dmax=$((ms * 3 / (4 * k)))
			[[ $dmax -le 1500 ]] || dmax=1500
			[[ $dmax -ge 200 ]] || dmax=200
		fi
		# (b) the same run, checkpointed and restored K times
		cur=$out
		launch "$out"
		view0=$(view "$pid" 2>/dev/null)
		exe0=$(readlink "/proc/$pid/exe" || true)
		# calibration overestimates programs whose first round is the slow
		# one (recurse faults its stack in once): done before we looked
		if [[ -z $hook ]] && om_gone "$pid"; then
			again 1 && continue
		fi
		for ((i = 1; i <= k; i++)); do
			d=$((200 + RANDOM % (dmax - 199)))
			sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
			if [[ -z $hook && -e $out ]]; then
				again "$i" && continue 2
				echo "# $name: finished after $((i - 1)) of $k checkpoints (raise TARGET_MS)"
				end="file"
				break
			fi
			if ! omctl checkpoint "$pid" "$W/$name.img$i" && [[ -z $hook ]] &&
				om_wait_for 5 test -e "$out"; then
				# it finished between the look above and the checkpoint
				again "$i" && continue 2
				echo "# $name: finished after $((i - 1)) of $k checkpoints (raise TARGET_MS)"
				end="file"
				break
			fi
			om_expect "$name: checkpoint $i/$k after $d ms (pid $pid)" test -s "$W/$name.img$i/pstree.img"
			if [[ $i == 1 ]]; then
				rc=0
				wait "$pid" || rc=$?
				om_expect "$name: original killed by the checkpoint (exit $rc)" test "$rc" = 137
			else
				om_expect "$name: pid $pid gone after the checkpoint" om_wait_for 20 om_gone "$pid"
			fi
			rm -rf "$W/$name.img$((i - 1))"
			if [[ $i == "$k" && $end == wait ]]; then
				omctl -j restore --wait "$W/$name.img$i" >"$W/wait.log" 2>&1 &
				wpid=$!
				track "$wpid"
				om_expect "$name: restore --wait $i/$k" restored_pid "$W/wait.log" "$wpid"
				cat "$W/wait.log"
				rlog=$W/wait.log
			else
				om_expect "$name: restore $i/$k" om_restore "$W/$name.img$i" "$W/restore.log"
				rlog=$W/restore.log
			fi
			track "$newpid"
			# root restores into the image's pid when it is free: it is
			# after the first checkpoint (reaped by wait above)
			ipid=$(image_pid "$rlog")
			if [[ $i == 1 ]]; then
				om_expect "$name: restored in the image's pid $ipid" test "$newpid" = "$ipid"
			elif [[ $newpid != "$ipid" ]]; then
				echo "# $name: restore $i got pid $newpid, image pid $ipid (not reaped yet?)"
			fi
			if om_gone "$newpid" && [[ -s $out ]]; then
				echo "# $name: finished right after restore $i of $k (raise TARGET_MS)"
				pid=$newpid
				[[ $i == "$k" ]] || end=file
				break
			fi
			om_expect "$name: restored as pid $newpid, same fds, cwd and comm" same_view "$newpid"
			exe=$(readlink "/proc/$newpid/exe" || true)
			[[ $exe == "$exe0" ]] || echo "# $name: note: /proc/$newpid/exe is $exe, was $exe0"
			pid=$newpid
		done
		break
	done
	eval "$hook"
	om_expect "$name: result written" result_or_gone "$out" "$pid"
	om_expect "$name: restored program exited" om_wait_for 30 om_gone "$pid"
	if [[ $end == wait ]]; then
		om_expect "$name: omctl restore --wait returns" om_wait_for 20 om_gone "$wpid"
		rc=0
		wait "$wpid" || rc=$?
		om_expect "$name: restore --wait exit status $rc = the program's" test "$rc" = 0
	fi
	# (c) identical results
	om_expect "$name: result identical to the reference" same_file "$ref" "$out"
	for sfx in ${EXTRA:-}; do
		om_expect "$name: $sfx identical" same_file "$ref$sfx" "$out$sfx"
	done
	echo "# $name: $(cat "$out")"
	echo "# $name: reference ${ms} ms; case took $((SECONDS - t1)) s"
	rm -rf "$W/$name".img* "$W/$name".cal*
}

# one_case ARGS...: run_case in a subshell; a failure is recorded, its
# processes are shown and killed, and the next case runs
# OM_CR_EVERY=N runs every Nth case from OM_CR_START (0-based; default
# all): make check-debug runs half, its kernel being several times slower
failed=
ncase=0
one_case() {
	local rc p
	ncase=$((ncase + 1))
	if (((ncase - 1 - ${OM_CR_START:-0}) % ${OM_CR_EVERY:-1} != 0)); then
		echo "# $1: not this time (OM_CR_EVERY=$OM_CR_EVERY from ${OM_CR_START:-0})"
		return 0
	fi
	: >"$W/pids"
	set +e
	(
		set -e
		run_case "$@"
	)
	rc=$?
	set -e
	[[ $rc != 0 ]] || return 0
	echo "not ok - $1: the case stopped with exit $rc (see above)"
	failed+=" $1"
	while read -r p c; do
		om_alive "$p" && [[ $(cat "/proc/$p/comm") == "$c" ]] || continue
		echo "# $1: pid $p ($c) left: $(grep State "/proc/$p/status")," \
			"wchan $(cat "/proc/$p/wchan"), syscall $(cat "/proc/$p/syscall")"
		kill -9 "$p" 2>/dev/null || true
	done <"$W/pids"
}

P=ckpt_prog
S=ckpt_prog_static
mkfifo "$W/fifo1" "$W/fifo2"
exec 7<>"$W/fifo1" 8<>"$W/fifo2"	# writers: the readers block, no EOF
mkdir -p "$W/cwd"

one_case fpu 3 wait 30 "" $P fpu @OUT@ @R@
one_case fpu-static 3 file 30 "" $S fpu @OUT@ @R@
one_case heap 2 wait 5 "" $P heap @OUT@ @R@ 64
one_case recurse 3 file 10 "" $S recurse @OUT@ @R@ 100000
EXTRA=".data.shared .data.priv .data.log" one_case mmap 3 wait 100 "" $P mmap @OUT@ @OUT@.data @R@
one_case sleep 3 file =160 "" $P sleep @OUT@ @R@
one_case fifo 2 file - 'echo hello-fifo >&7' $P fifo @OUT@ "$W/fifo1"
one_case poll 2 file - 'echo hello-poll >&8' $P poll @OUT@ "$W/fifo2"
one_case sigwait 2 file - 'sleep 0.3; kill -USR2 "$pid"' $S sigwait @OUT@
one_case sighandler 2 wait - ': >"$cur.trigger"' $P sighandler @OUT@ @OUT@.trigger 10
one_case rlimit 2 wait =160 "" $P rlimit @OUT@ "$W/cwd" @R@
EXTRA=.log one_case python 3 wait 2 "" /usr/bin/python3 "$SRC/ckpt_loop.py" @OUT@ @R@
EXTRA=.log one_case bash 3 file 2 "" bash "$SRC/ckpt_loop.sh" @OUT@ @R@
exec 7>&- 8>&-
echo "# all cases: $((SECONDS - T0)) s"
om_expect "every case passed${failed:+ (failed:$failed)}" test -z "$failed"
om_expect "module unloads" modprobe -r openmosix
