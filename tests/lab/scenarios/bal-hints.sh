# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Per-process balancing policy and quiet (issue 11), the balancer on
# everywhere, jobs started on node 1 of 3:
#  - bad values refused with clear errors: omctl proc set / run (node 0,
#    9 nodes), the quiet knob (2, nobody), another user's process;
#  - omctl run --nodes 3 -- sh (3 CPU children): the children inherit
#    the list (omctl -j proc show), those that move go to node 3, none
#    ever runs on node 2;
#  - omctl proc set PID deny 3 on running jobs: those that move go to
#    node 2, none ever runs on node 3;
#  - node 3 quiet (omctl policy set quiet on, 12 s for its load entry to
#    age out): of two CPU jobs and two CPU jobs started with --io, a
#    plain one moves (to node 2), none runs on node 3, the --io ones
#    stay home (hint "io" in omctl -j proc show).
# Each phase ends once it has seen what it waits for; about 80 s of
# guest time when the balancer moves within its first rounds.
# Knob: OM_BAL_JOB_MS (default 60000): CPU time of one job alone (the
# jobs are killed when a phase is done).
# make check runs it on 6.12 only (its code is the same on both kernels;
# the 60-minute budget): omlab -k 6.1 run bal-hints runs it on 6.1.
# omlab-kernels: 6.12
# omlab-nodes: 3
# omlab-timeout: 600
set -e
W=/tmp/bal-hints
K=/sys/kernel/openmosix
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up
echo 1 >$K/balance

# --- bad values, on every node
om_expect "quiet: 2 refused" sh -c "! echo 2 2>/dev/null >$K/quiet"
om_expect "nobody may not set quiet" \
	sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo 1 >$K/quiet' 2>/dev/null"
om_expect "omctl policy set quiet 2: refused, names on/off" \
	sh -c "omctl policy set quiet 2 2>&1 | grep -q 'quiet must be on or off'"
om_expect "proc set nodes 0: refused, the list named" \
	sh -c "! omctl proc set $$ nodes 0 2>$W/bad$OM_NODE && grep -q 'invalid node list \"0\"' $W/bad$OM_NODE"
om_expect "proc set nodes 1-9: at most 8 nodes" \
	sh -c "! omctl proc set $$ nodes 1-9 2>$W/err$OM_NODE && grep -q 'at most 8 nodes' $W/err$OM_NODE"
om_expect "run --nodes 0: refused, nothing run" \
	sh -c "! omctl run --nodes 0 -- touch $W/ran$OM_NODE 2>/dev/null && test ! -e $W/ran$OM_NODE"
om_expect "nobody's hint on root's shell: refused by the kernel" \
	sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups omctl proc set $$ hint io 2>$W/perm$OM_NODE && grep -q 'not your process' $W/perm$OM_NODE"
om_expect "our own: set, read back, cleared" sh -c "omctl proc set $$ hint cpu deny 2,5 &&
	omctl -j proc show $$ | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j[\"hint\"] == \"cpu\" and j[\"node_policy\"] == \"deny\" and j[\"nodes\"] == [2, 5] else 1)' &&
	omctl proc set $$ hint none deny none &&
	omctl -j proc show $$ | grep -q '\"node_policy\": *\"any\"'"
om_barrier bad-values

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# where_of PID...: "PID:NODE" per line, one omctl call
where_of() {
	omctl -j proc list 2>/dev/null | tr '{' '\n' | awk -v want=" $* " '
		match($0, /"pid": *[0-9]+/) {
			p = substr($0, RSTART, RLENGTH); sub(/.*: */, "", p)
			if (!index(want, " " p " ")) next
			if (match($0, /"where": *[0-9]+/)) {
				w = substr($0, RSTART, RLENGTH); sub(/.*: */, "", w)
				print p ":" w
			}
		}'
}
# moved_to PID...: the nodes the balancer moved them to, from the log
moved_to() {
	local p
	for p in "$@"; do
		dmesg | grep -o "balance: process $p moved to node [0-9]*" | grep -o '[0-9]*$' || true
	done
}
some_moved() { [[ -n $(moved_to "$@") ]]; }
# watch SECS BAD PID...: sample once a second; fails if one runs on BAD
watch_never_on() {
	local secs=$1 bad=$2 i
	shift 2
	for ((i = 0; i < secs; i++)); do
		if where_of "$@" | grep -q ":$bad\$"; then
			echo "# on node $bad: $(where_of "$@" | tr '\n' ' ')"
			return 1
		fi
		om_nap 1
	done
}
show() {
	omctl proc list 2>&1 | sed 's/^/#   /' || true
	dmesg | grep 'balance:' | tail -n 8 | sed 's/^/#   /' || true
	cat /proc/hpc/nodes/*/load 2>/dev/null | sed 's/^/#   load /' || true
}
check() {
	local d=$1
	shift
	if "$@"; then
		echo "ok - $d"
	else
		echo "not ok - $d"
		show
		exit 1
	fi
}
# kill_all PID...: end the jobs and wait until none runs away from home
kill_all() {
	kill -TERM "$@" 2>/dev/null || true
	for p in "$@"; do wait "$p" 2>/dev/null || true; done
	om_expect "the jobs are gone" om_wait_for 60 sh -c "! omctl -j proc list | grep -q '\"where\": *[23]'"
}
# kids FILE: the 3 pids the sh of a phase wrote, into kids_[]
kids() {
	om_wait_for 10 sh -c "test \$(cat '$1' 2>/dev/null | wc -l) -ge 3"
	mapfile -t kids_ <"$1"
}
# all_moves_to NODE PID...: every move the balancer made of them went there
all_moves_to() {
	local n=$1
	shift
	! moved_to "$@" | grep -qv "^$n\$"
}

if [[ $OM_NODE == 1 ]]; then
	t=$(now_ms)
	mig_prog cpu 10 >/dev/null || true	# exits 8
	per=$((($(now_ms) - t) / 10))
	((per > 0)) || per=1
	N=$((${OM_BAL_JOB_MS:-60000} / per))
	((N >= 20)) || N=20

	# --- --nodes 3, inherited by the children of a shell
	omctl run --nodes 3 -- sh -c "for i in 1 2 3; do mig_prog cpu $N >/dev/null 2>&1 & echo \$! >>$W/nodes3; done; wait" &
	runner=$!
	kids "$W/nodes3"
	for p in "${kids_[@]}"; do
		om_expect "child $p inherited nodes [3]" sh -c "omctl -j proc show $p | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j[\"node_policy\"] == \"allow\" and j[\"nodes\"] == [3] and j[\"locked\"] is False else 1)'"
	done
	check "--nodes 3: a child moves" om_wait_for 40 some_moved "${kids_[@]}"
	check "--nodes 3: none ever on node 2 (10 s)" watch_never_on 10 2 "${kids_[@]}"
	check "--nodes 3: every move went to node 3" all_moves_to 3 "${kids_[@]}"
	kill_all "${kids_[@]}"
	wait "$runner" 2>/dev/null || true

	# --- deny 3, set on running jobs
	sh -c "for i in 1 2 3; do mig_prog cpu $N >/dev/null 2>&1 & echo \$! >>$W/deny3; done; wait" &
	runner=$!
	kids "$W/deny3"
	for p in "${kids_[@]}"; do
		om_expect "proc set $p deny 3" omctl proc set "$p" deny 3
	done
	check "deny 3: a job moves" om_wait_for 40 some_moved "${kids_[@]}"
	check "deny 3: none ever on node 3 (10 s)" watch_never_on 10 3 "${kids_[@]}"
	check "deny 3: every move went to node 2" all_moves_to 2 "${kids_[@]}"
	kill_all "${kids_[@]}"
	wait "$runner" 2>/dev/null || true
	om_barrier policy-done

	# --- node 3 quiet; --io keeps CPU jobs home
	om_barrier quiet-set 60
	io=() plain=()
	for i in 1 2; do
		omctl run --io -- mig_prog cpu "$N" >/dev/null 2>&1 &
		io+=($!)
		mig_prog cpu "$N" >/dev/null 2>&1 &
		plain+=($!)
	done
	om_nap 1
	# omctl run's child is the job: the pid of omctl's child
	ioj=()
	for p in "${io[@]}"; do
		om_wait_for 10 pgrep -P "$p" >/dev/null
		ioj+=("$(pgrep -P "$p")")
	done
	for p in "${ioj[@]}"; do
		om_expect "job $p has the io hint" sh -c "omctl -j proc show $p | grep -q '\"hint\": *\"io\"'"
	done
	check "quiet 3: a plain job moves" om_wait_for 40 some_moved "${plain[@]}"
	check "quiet 3: nothing on node 3 (8 s)" watch_never_on 8 3 "${plain[@]}" "${ioj[@]}"
	check "--io: the hinted jobs stay home, never moved" test -z "$(moved_to "${ioj[@]}")"
	check "--io: both at home" test "$(where_of "${ioj[@]}" | grep -c ':1$')" = 2
	kill_all "${plain[@]}" "${ioj[@]}"
	for p in "${io[@]}"; do wait "$p" 2>/dev/null || true; done
	om_barrier quiet-done 120
elif [[ $OM_NODE == 3 ]]; then
	om_barrier policy-done 300
	om_expect "omctl policy set quiet on" omctl policy set quiet on
	om_expect "quiet reads back" test "$(cat $K/quiet)" = 1
	# max_age (10 s): others stop taking our old entry as fresh
	om_nap 12
	om_barrier quiet-set
	om_barrier quiet-done 120
	om_expect "omctl policy set quiet off" omctl policy set quiet off
else
	om_barrier policy-done 300
	om_barrier quiet-set 60
	om_barrier quiet-done 120
fi
om_barrier done
echo 0 >$K/balance
dmesg | grep 'balance:' | sed 's/^/#   /' | tail -n 10 || true
om_unload 60
