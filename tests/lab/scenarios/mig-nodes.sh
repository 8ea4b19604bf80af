# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Migration and the nodes (issue 10): a process moves on 1 -> 2 -> 3 ->
# home, its clocks 30 days ahead of every node's (a time namespace):
# CLOCK_MONOTONIC and CLOCK_BOOTTIME must go on, never back; node 2's
# "omctl cluster expel" sends its guests home; node 1's
# "omctl cluster bring" brings its processes back from 2 and 3; node 3
# vanishes for a while (link down) with a guest: its deputy ends as if
# killed (SIGKILL) and the guest dies there; node 2 unloads the module
# with a guest on it ("modprobe -r" through the modprobe.d hook the tools
# install): the guest comes home first.  Every process that moved
# finishes at home with the result of an undisturbed run.
set -e
W=/tmp/mig-nodes
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up

# start NAME ROUNDS [CMD...]: a computing mig_prog in the background, $pid,
# running; with CMD (which forks it) $wpid is CMD's, else $pid
start() {
	# rounds times OM_SLOW: on the debug kernel each move takes 15-20 s,
	# and 60 rounds ended before the checks of where they run
	local name=$1 rounds=$(($2 * ${OM_SLOW:-1}))
	shift 2
	"$@" mig_prog ids "$rounds" >"$W/$name.out" 2>&1 &
	pid=$! wpid=$!
	if (($#)); then
		om_wait_for 10 pgrep -P "$wpid" >/dev/null
		pid=$(pgrep -P "$wpid")
	fi
	om_wait_for 20 grep -q "round 1 " "$W/$name.out"
}
# finish NAME PID: exit status 7 and the sums of an undisturbed run
finish() {
	local rc=0
	wait "$2" || rc=$?
	om_expect "$1: exit status 7" test "$rc" = 7
	om_expect "$1: sums as an undisturbed run" \
		bash -c "diff <(cut -d' ' -f1-4 $W/ref.out) <(cut -d' ' -f1-4 $W/$1.out)"
	om_expect "$1: one pid in every round" \
		sh -c "grep '^round ' $W/$1.out | cut -d' ' -f5- | sort -u | wc -l | grep -qx 1"
}

if [[ $OM_NODE == 1 ]]; then
	# the undisturbed run, alongside (only its sums count)
	mig_prog ids $((60 * ${OM_SLOW:-1})) >"$W/ref.out" 2>&1 &
	refpid=$!

	# --- moving on: 1 -> 2 -> 3 -> home, asked at home each time; its
	# clocks are 30 days ahead (mig_prog exits 1 if one goes back: at 2,
	# without a time namespace there, they read 30 days less)
	start on 60 unshare --time --fork --monotonic=2592000 --boottime=2592000
	om_expect "on: its clocks 30 days ahead" \
		grep -Eq '^monotonic +2592000 +0$' "/proc/$pid/timens_offsets"
	om_expect "to node 2" omctl proc migrate "$pid" 2 --wait
	om_expect "where is 2" test "$(om_where "$pid")" = 2
	om_expect "on to node 3" omctl proc migrate "$pid" 3 --wait
	om_expect "where is 3" test "$(om_where "$pid")" = 3
	out=$(omctl proc migrate "$pid" 3 --wait 2>&1) && rc=0 || rc=$?
	om_expect "to node 3 again: refused, exit 2 ($out)" test "$rc" = 2
	om_expect "the reason says where it is" grep -q "already runs on node 3" <<<"$out"
	om_expect "still on 3" test "$(om_where "$pid")" = 3
	om_expect "home" omctl proc home "$pid" --wait
	# one look for both; if the process is gone, what it printed last
	show=$(omctl -j proc show "$pid" 2>&1) || {
		echo "# omctl proc show $pid: $show"
		kill -0 "$pid" 2>/dev/null || { wait "$pid"; echo "# it ended with status $?"; }
		tail -n 5 "$W/on.out" | sed 's/^/#   /'
	}
	where=$(om_json_num where <<<"$show" || true)
	nmigs=$(om_json_num nmigs <<<"$show" || true)
	om_expect "where is 1 (got ${where:-nothing})" test "$where" = 1
	om_expect "two migrations away counted (got $nmigs)" test "$nmigs" -ge 2
	wait "$refpid" || true
	finish on "$wpid"
	om_expect "on: its clocks never went back" sh -c "! grep 'went back' $W/on.out"

	# --- expel: two guests on node 2, node 2 sends them home
	start a 60
	a=$pid
	start b 60
	b=$pid
	om_expect "a to node 2" omctl proc migrate "$a" 2 --wait
	om_expect "b to node 2" omctl proc migrate "$b" 2 --wait
	om_barrier expel-ready
	om_barrier expelled
	om_expect "a is home" test "$(om_where "$a")" = 1
	om_expect "b is home" test "$(om_where "$b")" = 1
	finish a "$a"
	finish b "$b"

	# --- bring: one process on 2, one on 3, brought home from here
	start c 60
	c=$pid
	start d 60
	d=$pid
	om_expect "c to node 2" omctl proc migrate "$c" 2 --wait
	om_expect "d to node 3" omctl proc migrate "$d" 3 --wait
	out=$(omctl -j cluster bring) && rc=0 || rc=$?
	echo "# cluster bring: $out"
	om_expect "cluster bring succeeds" test "$rc" = 0
	om_expect "it found both and left none" \
		/usr/bin/python3 -c "import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if j['found'] == 2 and j['left'] == 0 else 1)" "$out"
	om_expect "c is home" test "$(om_where "$c")" = 1
	om_expect "d is home" test "$(om_where "$d")" = 1
	om_expect "nothing to bring: found 0" sh -c "omctl cluster bring | grep -q '^0 processes brought home'"
	finish c "$c"
	finish d "$d"
	om_expect "nobody may not bring" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups omctl cluster bring"

	# --- node 3 vanishes (its link goes down) with a guest: the deputy
	# ends as if killed (SIGKILL) and says why
	mig_prog sig >/dev/null 2>&1 </dev/null &
	f=$!
	om_nap 0.5
	om_expect "f to node 3" omctl proc migrate "$f" 3 --wait
	om_barrier vanish-ready
	om_expect "the deputy ends when node 3 is down" om_wait_for 60 om_gone "$f"
	rc=0
	wait "$f" || rc=$?
	om_expect "its parent sees SIGKILL (137, got $rc)" test "$rc" = 137
	om_expect "the kernel logged why" sh -c "dmesg | grep -q 'process $f .*lost its remote on node 3'"
	om_barrier vanished
	om_expect "node 3 back" om_wait_for 60 om_nodes_up 3

	# --- node 2 unloads the module with a guest on it
	start e 60
	e=$pid
	om_expect "e to node 2" omctl proc migrate "$e" 2 --wait
	om_barrier unload-ready
	om_barrier unloaded
	om_expect "e came home" test "$(om_where "$e")" = 1
	finish e "$e"
elif [[ $OM_NODE == 2 ]]; then
	om_barrier expel-ready
	om_expect "two guests here" om_wait_for 10 om_guests_are 2
	out=$(omctl cluster expel 2>&1) && rc=0 || rc=$?
	echo "# cluster expel: $out"
	om_expect "cluster expel succeeds" test "$rc" = 0
	om_expect "it sent both" grep -q "^2 guests sent home" <<<"$out"
	om_expect "no guest left" om_wait_for 10 om_guests_are 0
	om_barrier expelled

	om_barrier vanish-ready
	om_barrier vanished
	om_barrier unload-ready
	om_expect "one guest here" om_wait_for 10 om_guests_are 1
	# the hook as the tools install it, with the lab's omctl
	mkdir -p "$W/modprobe.d"
	sed -e 's|@SBINDIR@|/usr/local/sbin|g' -e 's|@MODPROBEDIR@|/usr/lib/modprobe.d|g' \
		"$OM_ROOT/tools/modprobe/openmosix.conf.in" >"$W/modprobe.d/openmosix.conf"
	om_expect "modprobe -r with a guest: the hook sends it home, then unloads" \
		modprobe -C "$W/modprobe.d" -r openmosix
	om_expect "module gone" test ! -d /sys/module/openmosix
	om_barrier unloaded
else
	om_barrier expel-ready
	om_barrier expelled
	om_barrier vanish-ready
	om_expect "one guest here" om_wait_for 10 om_guests_are 1
	# back up whatever happens: the scenarios after this one need the link
	trap 'ip link set eth0 up' EXIT
	ip link set eth0 down
	om_expect "the guest is killed when its home is seen down" om_wait_for 60 om_no_guests
	ip link set eth0 up
	om_barrier vanished
	om_expect "back in the cluster" om_wait_for 60 om_nodes_up 3
	om_barrier unload-ready
	om_barrier unloaded
fi
om_barrier done
if [[ -d /sys/module/openmosix ]]; then
	om_unload
fi
