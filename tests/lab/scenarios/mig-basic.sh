# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Migration with a home deputy (issue 10), first cut: processes of node 1
# moved to node 2 keep their ids, parent and files at home, print into
# home files and pipes, read a home pipe (also a byte at a time, staying
# away), get signals sent to their home
# pid (also one moved inside sigsuspend(), the signal blocked outside
# it), and end with the status their parent expects; the deputy at home
# gives back the process's anonymous memory, and node 2 frees the image
# it received once the process runs.  Refusals leave the process
# running at home.  fwd_timing (nodes 1 and 2): the stages of the calls a
# migrated reader forwards are timed at both ends, add up, and only root
# may turn the timing on.  fwd_poll_us (nodes 1 and 2): with it at 1000,
# the replies and requests of 300 back-to-back getppid calls of a moved
# process are caught by polling at both ends (fwd_stages/waits_polled
# grows; not required on a debug kernel, whose round trip may outlast a
# millisecond); at 0, no wait polls.  Signals sent to the home pid while
# a process leaves and while it comes home all arrive, each once.
# omlab-timeout: 600
set -e
W=/tmp/mig-basic
K=/sys/kernel/openmosix
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up

# --- fwd_timing's checks (bench/README.md, "P3's stages")
# ft_stage NAME: fwd_stages/NAME's "CALLS SUM_NS MAX_NS" into FN FS FM
FN=0 FS=0 FM=0
ft_stage() { read -r FN FS FM <"$K/fwd_stages/$1"; }
# ft_side SIDE PART...: SIDE's (guest, dep) stages after the timed calls:
# every PART counted the calls SIDE_total counted (at least 5), none took
# longer in all than the total, the parts add up to the total exactly
# (each call adds its own marks' differences) and its average is not 0
ft_side() {
	local side=$1 n s sum=0 x
	shift
	ft_stage "${side}_total" || return 1
	n=$FN s=$FS
	echo "# ${side}_total: $n calls, $((n ? s / n / 1000 : 0)) us each on average"
	for x in "$@"; do
		ft_stage "${side}_$x" || return 1
		echo "#   ${side}_$x: $FN calls, $((FN ? FS / FN / 1000 : 0)) us on average, at most $((FM / 1000)) us"
		((FN == n && FS <= s)) || return 1
		sum=$((sum + FS))
	done
	((n >= 5 && s / n > 0 && sum == s))
}
# ft_busy NAME: that stage's average is not 0
ft_busy() { ft_stage "$1" && ((FN > 0 && FS / FN > 0)); }
# ft_frames SIDE: the SYSREQs (home) or SYSREPs (remote) counted cover
# SIDE_total's calls: each call timed took one, read by the waiting task
# itself or delivered by the receive thread
ft_frames() {
	local c t
	ft_stage "${1}_total" || return 1
	read -r c <"$K/fwd_stages/frames_claimed" || return 1
	read -r t <"$K/fwd_stages/frames_thread" || return 1
	echo "# frames read by the waiting task: $c, by the receive thread: $t, for $FN calls"
	((c + t >= FN))
}
# poll_set US: fwd_poll_us to US, and fwd_timing on (zeroing waits_polled)
poll_set() { echo "$1" >"$K/fwd_poll_us" && echo 1 >"$K/fwd_timing" && test "$(cat "$K/fwd_poll_us")" = "$1"; }
# poll_check US: fwd_timing off; at 0 no wait polled, else some did
# (where a millisecond outlasts a round trip: not on a debug kernel)
poll_check() {
	local n
	echo 0 >"$K/fwd_timing"
	read -r n <"$K/fwd_stages/waits_polled" || return 1
	echo "# fwd_poll_us=$1: $n waits ended by polling"
	if (($1 == 0)); then ((n == 0)); elif ((${OM_SLOW:-1} > 1)); then true; else ((n > 0)); fi
}
# ft_on_nobody: an unprivileged user cannot turn fwd_timing on (it stays 0)
ft_on_nobody() {
	! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "echo 1 >$K/fwd_timing" 2>/dev/null &&
		test "$(cat "$K/fwd_timing")" = 0
}

# the guests' home pids, one per line
# sig_burst PID N OUT BASE: while the process moves, N real-time signals
# (RTMIN+1, which queue: each one counts), 0.1 s apart (0.3 s with
# OM_SLOW), from a
# background loop, and meanwhile N/3 SIGUSR1 one at a time, each sent
# once the one before was counted (BASE before them), so that none
# coalesces with another and each must arrive, whenever it was sent
sig_burst() {
	local pid=$1 n=$2 out=$3 base=$4 i rt rc=0 gap=0.1
	# spread over the trip, longer where it is (the debug kernel)
	((${OM_SLOW:-1} == 1)) || gap=0.3
	(for ((i = 0; i < n; i++)); do kill -s RTMIN+1 "$pid" || exit 1; om_nap $gap; done) &
	rt=$!
	for ((i = 1; i <= n / 3; i++)); do
		kill -USR1 "$pid" || { rc=1; break; }
		om_wait_for 30 grep -q "^count usr1 $((base + i)) " "$out" || { rc=1; break; }
	done
	wait "$rt" || rc=1
	return $rc
}
# sig_counted OUT U R: the counter's last line says U SIGUSR1 and R RTMIN+1
sig_counted() { test "$(tail -n 1 "$1")" = "count usr1 $2 rt $3"; }

# guest_homes JSON: "HOME HOME_PID" of each guest in omctl -j proc list --guests
guest_homes() { /usr/bin/python3 -c "import json,sys; [print(p['home'], p['home_pid']) for p in json.load(sys.stdin)]" <<<"$1"; }

if [[ $OM_NODE == 1 ]]; then
	# --- ids: a computing process, moved; its lines show the same ids
	# (rounds times OM_SLOW: on the debug kernel 15 ended before node 2
	# looked at its guest)
	nids=$((15 * ${OM_SLOW:-1}))
	mig_prog ids "$nids" >"$W/ids.out" 2>&1 &
	pid=$!
	om_wait_for 10 grep -q "round 1 " "$W/ids.out"
	rss0=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status")
	# its pages go into it at node 2 as they come (PREPARE, the default)
	om_expect "pages as they come announced (mig_pgstream)" \
		test "$(cat /sys/module/openmosix/parameters/mig_pgstream)" = Y
	om_expect "migrate to node 2" omctl proc migrate "$pid" 2 --wait
	om_expect "where is 2" test "$(om_where "$pid")" = 2
	# its memory is at node 2 now: the deputy gave back its own copy
	rss1=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status")
	echo "# anonymous memory at home: $rss0 kB before, $rss1 kB as a deputy"
	om_expect "the deputy keeps under a quarter of its anonymous memory" \
		test "$((rss1 * 4))" -lt "$rss0"
	echo "$pid" >/lab/mig-basic.pid
	om_barrier ids-away
	om_barrier ids-seen
	rc=0
	wait "$pid" || rc=$?
	cat "$W/ids.out"
	om_expect "exit status 7 reaches its parent" test "$rc" = 7
	om_expect "all $nids rounds and done" sh -c "grep -c '^round ' $W/ids.out | grep -qx $nids && grep -q '^done ' $W/ids.out"
	om_expect "same pid, ppid, uid, pgrp, sid in every round" \
		sh -c "cut -d' ' -f5- $W/ids.out | grep -v '^$' | grep -v done | sort -u | wc -l | grep -qx 1"
	om_expect "pid is its home pid" grep -q "pid $pid ppid $$ " "$W/ids.out"
	# undisturbed run: the same sums
	mig_prog ids "$nids" >"$W/ref.out" || true
	om_expect "sums as an undisturbed run" \
		bash -c "diff <(cut -d' ' -f1-4 $W/ref.out) <(cut -d' ' -f1-4 $W/ids.out)"

	# --- echo: stdin from a pipe of its parent, stdout to a home file
	mkfifo "$W/in"
	mig_prog echo <"$W/in" >"$W/echo.out" 2>&1 &
	pid=$!
	exec 7>"$W/in"
	echo one >&7
	om_wait_for 10 grep -q "got: one" "$W/echo.out"
	om_expect "migrate the reader" omctl proc migrate "$pid" 2 --wait
	for l in two three four; do
		echo "$l" >&7
		om_nap 0.3
	done
	exec 7>&-
	rc=0
	wait "$pid" || rc=$?
	cat "$W/echo.out"
	om_expect "the lines arrived in order" \
		sh -c "printf 'got: %s\n' one two three four | diff - $W/echo.out"
	om_expect "exit status 3" test "$rc" = 3

	# --- bytes: forwarded reads and writes of one byte each (a call
	# that returns 1 is its result, not a reason to go home)
	rm -f "$W/in1" && mkfifo "$W/in1"
	mig_prog bytes <"$W/in1" >"$W/bytes.out" 2>&1 &
	pid=$!
	exec 7>"$W/in1"
	om_expect "migrate the byte copier" omctl proc migrate "$pid" 2 --wait
	for l in abc de f; do
		echo "$l" >&7
		om_nap 0.3
	done
	om_expect "the byte copier is still at node 2" test "$(om_where "$pid")" = 2
	exec 7>&-
	rc=0
	wait "$pid" || rc=$?
	om_expect "every byte once, in order" \
		sh -c "printf 'abc\nde\nf\n' | cmp - $W/bytes.out"
	om_expect "exit status 4" test "$rc" = 4

	# --- file: append and read back a home file while away
	mig_prog file "$W/f.txt" 20 >"$W/file.out" 2>&1 &
	pid=$!
	om_wait_for 10 grep -q "round 1 " "$W/file.out"
	om_expect "migrate the file writer" omctl proc migrate "$pid" 2 --wait
	rc=0
	wait "$pid" || rc=$?
	om_expect "exit status 5" test "$rc" = 5
	om_expect "20 lines in the home file" sh -c "wc -l <$W/f.txt | grep -qx 20"
	last=$(sed -n 's/^round 19 size \([0-9]*\) .*/\1/p' "$W/file.out")
	om_expect "the last round read back the whole file" test "$last" = "$(wc -c <"$W/f.txt")"

	# --- signals: handlers run at the remote, SIGTERM's exit status
	mig_prog sig >"$W/sig.out" 2>&1 </dev/null &
	pid=$!
	om_wait_for 10 grep -q ready "$W/sig.out"
	om_expect "migrate the signal catcher" omctl proc migrate "$pid" 2 --wait
	for i in 1 2 3; do
		kill -USR1 "$pid"
		om_wait_for 10 grep -q "usr1 $i" "$W/sig.out"
	done
	om_expect "three SIGUSR1 handled" grep -q "usr1 3" "$W/sig.out"
	kill -STOP "$pid"
	om_nap 1
	om_expect "stopped at home" sh -c "grep -q '^State:.*T' /proc/$pid/status"
	kill -CONT "$pid"
	om_expect "running at home again" \
		om_wait_for 10 sh -c "! grep -q '^State:.*T' /proc/$pid/status"
	kill -USR1 "$pid"
	if ! om_wait_for 30 grep -q "usr1 4" "$W/sig.out"; then
		cat "$W/sig.out"
		grep . /proc/"$pid"/status /proc/"$pid"/wchan 2>/dev/null | grep -E 'State|wchan|Sig(Pnd|Blk)|ShdPnd'
		# where it is and what its home task waits in
		omctl proc show "$pid" 2>&1
		cat /proc/"$pid"/stack 2>/dev/null
		dmesg | tail -n 20
		om_expect "runs again after SIGCONT" false
	fi
	echo "ok - runs again after SIGCONT"
	# the nap the stop interrupted went on there (restart_syscall is
	# local): a trip home here lost a SIGUSR1 sent meanwhile, once
	om_expect "still at node 2 after SIGSTOP and SIGCONT" test "$(om_where "$pid")" = 2
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	cat "$W/sig.out"
	om_expect "SIGTERM handler's exit status 43" test "$rc" = 43

	# --- fork is made at home: it comes back first, then forks
	mig_prog fork 20 6 >"$W/fork.out" 2>&1 &
	pid=$!
	om_wait_for 10 grep -q "round 1 " "$W/fork.out"
	om_expect "migrate the forker" omctl proc migrate "$pid" 2 --wait
	om_expect "fork brought it home" om_wait_for 30 grep -q "child exited 4" "$W/fork.out"
	om_expect "home again (where is 1)" test "$(om_where "$pid")" = 1
	rc=0
	wait "$pid" || rc=$?
	cat "$W/fork.out"
	om_expect "exit status 9" test "$rc" = 9
	om_expect "the child's parent is its home pid" grep -q "child of $pid" "$W/fork.out"
	om_expect "20 rounds, one pid" \
		sh -c "grep -c '^round ' $W/fork.out | grep -qx 20 && grep '^round ' $W/fork.out | cut -d' ' -f5-8 | sort -u | wc -l | grep -qx 1"

	# --- a process that forks without pause: its first call at the
	# remote brings it home at once, often before its home has turned the
	# frozen task into the deputy (its image must wait there, not be
	# refused: stress-short lost a forker so, "cannot become the deputy")
	bash -c 'while :; do /bin/true; done' &
	pid=$!
	is_home() { test "$(om_where "$1")" = 1; }
	moved=0
	for ((i = 0; i < 8; i++)); do
		omctl proc migrate "$pid" 2 --wait >/dev/null 2>&1 && moved=$((moved + 1))
		om_wait_for 10 is_home "$pid" || break
	done
	echo "# the fork loop went to node 2 and came back $moved times"
	om_expect "the fork loop survived its $moved trips (at least 3 of 8)" sh -c "kill -0 $pid && test $moved -ge 3"
	om_expect "... and is home" test "$(om_where "$pid")" = 1
	om_expect "no deputy lost" sh -c "! dmesg | grep -q 'cannot become the deputy'"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true

	# --- omctl proc home brings it back while it computes (as many
	# rounds as the reference above)
	mig_prog ids "$nids" >"$W/home.out" 2>&1 &
	pid=$!
	om_wait_for 10 grep -q "round 1 " "$W/home.out"
	om_expect "migrate again" omctl proc migrate "$pid" 2 --wait
	om_nap 1
	om_expect "omctl proc home" omctl proc home "$pid" --wait
	om_expect "where is 1" test "$(om_where "$pid")" = 1
	om_expect "its migrations are counted" \
		sh -c "omctl -j proc show $pid | /usr/bin/python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[\"nmigs\"] >= 1 else 1)'"
	rc=0
	wait "$pid" || rc=$?
	om_expect "exit status 7 after coming home" test "$rc" = 7
	om_expect "sums as an undisturbed run" \
		bash -c "diff <(cut -d' ' -f1-4 $W/ref.out) <(cut -d' ' -f1-4 $W/home.out)"

	# --- SIGKILL at home: the parent sees SIGKILL, the remote ends
	mig_prog sig >/dev/null 2>&1 </dev/null &
	pid=$!
	om_nap 0.5
	om_expect "migrate another" omctl proc migrate "$pid" 2 --wait
	kill -KILL "$pid"
	rc=0
	wait "$pid" || rc=$?
	om_expect "killed by SIGKILL (137)" test "$rc" = 137
	om_barrier killed

	# --- a process moved while in sigsuspend(), the signal blocked
	# outside it (as bench/sysrtt waits): the signal sent to its home
	# pid wakes it at the remote
	perl -MPOSIX -e '
		$| = 1;
		my $got = 0;
		sigaction(SIGUSR1, POSIX::SigAction->new(sub { $got = 1 }));
		sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1));
		print "ready\n";
		sigsuspend(POSIX::SigSet->new()) until $got;
		print "woke\n";
		exit 5;' >"$W/susp.out" 2>&1 </dev/null &
	pid=$!
	om_wait_for 20 grep -q ready "$W/susp.out"
	om_nap 0.5
	om_expect "migrate a process in sigsuspend" omctl proc migrate "$pid" 2 --wait
	kill -USR1 "$pid"
	om_expect "the signal to its home pid wakes it at node 2" om_wait_for 20 grep -q woke "$W/susp.out"
	rc=0
	wait "$pid" || rc=$?
	om_expect "and it ends with its status (5)" test "$rc" = 5

	# --- fwd_timing: on at both nodes (node 2 first), a reader moved to
	# node 2 takes five lines from a home pipe (a blocking read and a
	# write forwarded for each), off at both; the deputy's stages here
	om_expect "fwd_timing is 0 by default" test "$(cat $K/fwd_timing)" = 0
	om_expect "nobody may not turn fwd_timing on" ft_on_nobody
	om_expect "fwd_timing on" sh -c "echo 1 >$K/fwd_timing && test \$(cat $K/fwd_timing) = 1"
	om_barrier fwd-timing-on
	rm -f "$W/in2" && mkfifo "$W/in2"
	mig_prog echo <"$W/in2" >"$W/ft.out" 2>&1 &
	pid=$!
	exec 7>"$W/in2"
	echo zero >&7
	om_wait_for 10 grep -q "got: zero" "$W/ft.out"
	om_expect "migrate the timed reader" omctl proc migrate "$pid" 2 --wait
	for l in one two three four five; do
		echo "$l" >&7
		om_nap 0.2
	done
	exec 7>&-
	rc=0
	wait "$pid" || rc=$?
	om_expect "the timed reader got its six lines and ended (3)" \
		sh -c "test $rc = 3 && grep -c '^got: ' $W/ft.out | grep -qx 6"
	om_expect "fwd_timing off" sh -c "echo 0 >$K/fwd_timing && test \$(cat $K/fwd_timing) = 0"
	om_barrier fwd-timing-off
	om_expect "the deputy's stages: the same calls in each, adding up to dep_total" \
		ft_side dep prep call reply
	om_expect "the deputy's native calls took time (dep_call)" ft_busy dep_call
	om_expect "the deputy's requests counted as frames" ft_frames dep
	om_expect "its stage files are read-only" sh -c "! echo 1 2>/dev/null >$K/fwd_stages/dep_total"
	om_barrier fwd-timing-checked

	# --- fwd_poll_us: 1000, then 0, at both nodes (node 2 first); a
	# process moved to node 2 makes back-to-back getppid calls
	pdef=$(cat $K/fwd_poll_us)
	for us in 1000 0; do
		om_expect "fwd_poll_us=$us, fwd_timing on" poll_set $us
		om_barrier "poll-$us-on"
		rm -f "$W/in3" && mkfifo "$W/in3"
		mig_prog calls 300 <"$W/in3" >"$W/calls.out" 2>&1 &
		pid=$!
		exec 7>"$W/in3"
		om_wait_for 10 grep -q ready "$W/calls.out"
		om_expect "migrate the caller (poll $us)" omctl proc migrate "$pid" 2 --wait
		echo go >&7
		exec 7>&-
		rc=0
		wait "$pid" || rc=$?
		om_expect "it made its 300 calls away and ended (16)" \
			sh -c "test $rc = 16 && grep -qx 'calls 300 ppid $$' $W/calls.out"
		om_barrier "poll-$us-done"
		om_expect "the deputy's waits at fwd_poll_us=$us" poll_check $us
		om_barrier "poll-$us-checked"
	done
	echo "$pdef" >$K/fwd_poll_us

	# --- refusals: the process goes on at home
	mig_prog sig >/dev/null 2>&1 </dev/null &
	pid=$!
	om_nap 0.5
	om_expect "no node 9: refused" sh -c "! omctl proc migrate $pid 9 --wait"
	om_expect "this node: refused" sh -c "! omctl proc migrate $pid 1 --wait"
	omctl node block 3
	om_expect "blocked node: refused" sh -c "! omctl proc migrate $pid 3 --wait"
	omctl node unblock 3
	om_expect "still here" test "$(om_where "$pid")" = 1
	om_expect "nobody may not move root's process" \
		sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups omctl proc migrate $pid 2 --wait"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	om_expect "and ends normally at home (43)" test "$rc" = 43

	# sig_trip DURING PAST NODE USR1S CMD...: CMD (a move of $pid) in the
	# background while 30 real-time signals and 10 SIGUSR1 go to $pid
	# (USR1S counted before); it ends well and $pid is on NODE
	sig_trip() {
		local during=$1 past=$2 node=$3 usr1=$4 mpid
		shift 4
		"$@" >"$W/sigc-trip.out" 2>&1 &
		mpid=$!
		om_expect "30 real-time signals and 10 SIGUSR1 sent while it $during" \
			sig_burst "$pid" 30 "$W/sigc.out" "$usr1"
		rc=0
		wait "$mpid" || rc=$?
		cat "$W/sigc-trip.out"
		om_expect "it $past meanwhile" test "$rc" = 0
		om_expect "where is $node" test "$(om_where "$pid")" = "$node"
	}
	# --- no signal is lost on the way (migration.md, Signals): signals
	# sent to the home pid while the process leaves (some between its
	# freeze and its deputy taking over) and while it comes home (some
	# while its remote sends its image back) all arrive, once: the
	# real-time ones each, the SIGUSR1s each (sent one at a time)
	mig_prog sigcount 16 >"$W/sigc.out" 2>&1 </dev/null &
	pid=$!
	om_wait_for 10 grep -q "^count usr1 0 rt 0" "$W/sigc.out"
	sig_trip "leaves" "left for node 2" 2 0 omctl proc migrate "$pid" 2 --wait
	om_expect "all 30 and 10 counted at node 2" om_wait_for 30 sig_counted "$W/sigc.out" 10 30
	sig_trip "comes home" "came home" 1 10 omctl proc home "$pid" --wait
	if ! om_wait_for 30 sig_counted "$W/sigc.out" 20 60; then
		tail -n 5 "$W/sigc.out"
		dmesg | grep -E 'signal|came home' | tail -n 20
		om_expect "all 60 and 20 counted at home" false
	fi
	echo "ok - all 60 and 20 counted at home"
	# none twice: nothing more comes (a duplicate would come with the rest)
	om_nap 2
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	tail -n 1 "$W/sigc.out"
	om_expect "exactly 60 real-time signals and 20 SIGUSR1, then SIGTERM's status (44)" \
		sh -c "test $rc = 44 && tail -n 1 $W/sigc.out | grep -qx 'term usr1 20 rt 60'"
elif [[ $OM_NODE == 2 ]]; then
	# the image of a guest is gone once it runs (it would hold its memory
	# twice): shared memory grows by less than its 8 MiB
	shm0=$(awk '/^Shmem:/ { print $2 }' /proc/meminfo)
	st0=$(cat $K/mig_streamed)
	om_barrier ids-away
	shm1=$(awk '/^Shmem:/ { print $2 }' /proc/meminfo)
	om_expect "its pages went into it as they came (mig_streamed $st0 -> +1)" \
		test "$(($(cat $K/mig_streamed) - st0))" = 1
	echo "# Shmem: $shm0 kB before the guest came, $shm1 kB with it running"
	om_expect "its received image is freed once it runs" test $((shm1 - shm0)) -lt 4096
	pid=$(cat /lab/mig-basic.pid)
	# one look for both checks: the process runs only seconds more, and a
	# slow kernel (make check-debug) may end it between two
	j=$(omctl -j proc list --guests)
	om_expect "one guest here" test "$(grep -o '"pid": *[0-9]' <<<"$j" | wc -l)" = 1
	gh=$(guest_homes "$j")
	om_expect "from home node 1, pid $pid" test "$gh" = "1 $pid"
	om_barrier ids-seen
	om_barrier killed
	om_expect "no guest left after SIGKILL" om_wait_for 20 om_no_guests
	# fwd_timing: on before node 1 moves its reader here, off once it ended
	om_expect "fwd_timing is 0 by default" test "$(cat $K/fwd_timing)" = 0
	om_expect "nobody may not turn fwd_timing on" ft_on_nobody
	om_expect "fwd_timing on" sh -c "echo 1 >$K/fwd_timing && test \$(cat $K/fwd_timing) = 1"
	om_barrier fwd-timing-on
	om_barrier fwd-timing-off
	om_expect "fwd_timing off" sh -c "echo 0 >$K/fwd_timing && test \$(cat $K/fwd_timing) = 0"
	om_expect "the guest's stages: the same calls in each, adding up to guest_total" \
		ft_side guest send wait recv ret
	om_expect "the guest waited for its replies (guest_wait)" ft_busy guest_wait
	om_expect "the guest's replies counted as frames" ft_frames guest
	om_barrier fwd-timing-checked
	pdef=$(cat $K/fwd_poll_us)
	for us in 1000 0; do
		om_expect "fwd_poll_us=$us, fwd_timing on" poll_set $us
		om_barrier "poll-$us-on"
		om_barrier "poll-$us-done"
		om_expect "the guest's waits at fwd_poll_us=$us" poll_check $us
		om_barrier "poll-$us-checked"
	done
	echo "$pdef" >$K/fwd_poll_us
else
	om_barrier ids-away
	om_barrier ids-seen
	om_barrier killed
	om_barrier fwd-timing-on
	om_barrier fwd-timing-off
	om_barrier fwd-timing-checked
	for us in 1000 0; do
		om_barrier "poll-$us-on"
		om_barrier "poll-$us-done"
		om_barrier "poll-$us-checked"
	done
fi
# (node 1's last checks move a process twice under TCG: time for them)
om_barrier done 480
om_unload
