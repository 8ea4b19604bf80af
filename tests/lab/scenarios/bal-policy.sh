# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The balancer's policies (issue 11), the balancer on everywhere:
#  - knobs: stay, lstay, balance, load_limit set and read back; bad
#    values and nobody's writes refused;
#  - stay, then lstay, on node 1: CPU jobs started there do not move
#    while it is set, and do once it is cleared;
#  - a node blocked on node 1 (omctl node block 3) gets none of them;
#  - an I/O-bound job (mig_prog io: preads of a file at home) is not
#    moved while CPU jobs are; moved to node 2 by hand, node 2's balancer
#    sends it home;
#  - load_limit on node 2: above it, node 2 refuses a guest with the
#    reason.
# Knob: OM_BAL_JOB_MS (default 60000): CPU time of one job alone (the
# jobs are killed once a phase has seen what it waits for; long, so that
# they still run when a slow guest's balancer gets to them).
# omlab-nodes: 3
# omlab-timeout: 900
set -e
W=/tmp/bal-policy
K=/sys/kernel/openmosix
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up
echo 1 >$K/balance

# --- the knobs, on every node
for k in stay lstay; do
	echo 1 >$K/$k
	om_expect "$k set to 1, read back" test "$(cat $K/$k)" = 1
	om_expect "$k: 2 refused" sh -c "! echo 2 2>/dev/null >$K/$k"
	om_expect "$k: still 1" test "$(cat $K/$k)" = 1
	echo 0 >$K/$k
done
om_expect "balance: 2 refused" sh -c "! echo 2 2>/dev/null >$K/balance"
om_expect "load_limit: 1000001 refused" sh -c "! echo 1000001 2>/dev/null >$K/load_limit"
om_expect "load_limit: x refused" sh -c "! echo x 2>/dev/null >$K/load_limit"
om_expect "nobody may not set stay" \
	sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo 1 >$K/stay' 2>/dev/null"
om_expect "stay still 0" test "$(cat $K/stay)" = 0
# the same through omctl policy (it checks ranges first, the kernel again)
om_expect "omctl policy set lstay on load_limit 1.5" omctl policy set lstay on load_limit 1.5
om_expect "omctl policy show reads them back" \
	sh -c "omctl -j policy show | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j[\"lstay\"] is True and j[\"load_limit\"] == 1536 else 1)'"
om_expect "the kernel's files say the same" test "$(cat $K/lstay):$(cat $K/load_limit)" = 1:1536
om_expect "omctl policy set stay 2: refused" sh -c "! omctl policy set stay 2 2>/dev/null"
om_expect "nobody's omctl policy set: refused" \
	sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups omctl policy set stay on 2>/dev/null"
om_expect "omctl policy set lstay off load_limit 0" omctl policy set lstay off load_limit 0
om_expect "all back to 0" test "$(cat $K/stay):$(cat $K/lstay):$(cat $K/load_limit)" = 0:0:0
om_barrier knobs

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# cpu_jobs COUNT: COUNT CPU jobs in the background, pids in jobs_[]
cpu_jobs() {
	local i
	jobs_=()
	for ((i = 0; i < $1; i++)); do
		mig_prog cpu "$N" >/dev/null 2>&1 &
		jobs_+=($!)
	done
}
# moved: how many of jobs_[] the balancer moved, from the kernel's log
# (a job that moved and then finished still counts)
moved() {
	local p n=0 log
	log=$(dmesg | grep 'balance: process [0-9]* moved') || true
	for p in "${jobs_[@]}"; do
		grep -q "balance: process $p moved" <<<"$log" && n=$((n + 1))
	done
	echo "$n"
}
some_moved() { (($(moved) > 0)); }
# on3: a job of jobs_[] runs on node 3 (one omctl call for all)
on3() {
	omctl -j proc list 2>/dev/null | tr '{' '\n' | awk -v want=" ${jobs_[*]} " '
		match($0, /"pid": *[0-9]+/) {
			p = substr($0, RSTART, RLENGTH); sub(/.*: */, "", p)
			if (index(want, " " p " ") && $0 ~ /"where": *3[,}]/) f = 1
		}
		END { exit !f }'
}
# show: what the kernel and omctl say (after a failure)
show() {
	omctl proc list 2>&1 | sed 's/^/#   /' || true
	dmesg | grep 'balance:' | tail -n 8 | sed 's/^/#   /' || true
	grep -H . $K/balance $K/balance_interval_ms $K/stay $K/lstay $K/load_limit $K/speed | sed 's/^/#   /' || true
	cat /proc/hpc/nodes/*/load 2>/dev/null | sed 's/^/#   load /' || true
}
# check DESC CMD...: om_expect, showing the balancer's state on a failure
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
io_is_home() { [[ $(om_where "$io") == 1 ]]; }
at_home_unmoved() { [[ $(om_where "$1") == 1 ]] && ! dmesg | grep -q "balance: process $1 moved"; }
end_jobs() {
	kill -TERM "${jobs_[@]}" 2>/dev/null || true
	for p in "${jobs_[@]}"; do wait "$p" 2>/dev/null || true; done
	om_expect "the jobs are gone" om_wait_for 60 sh -c "! omctl -j proc list | grep -q '\"where\": *[23]'"
}

if [[ $OM_NODE == 1 ]]; then
	t=$(now_ms)
	mig_prog cpu 10 >/dev/null || true	# exits 8
	per=$((($(now_ms) - t) / 10))
	((per > 0)) || per=1
	N=$((${OM_BAL_JOB_MS:-60000} / per))
	((N >= 20)) || N=20
	echo "# one round alone: $per ms; a job makes $N rounds"

	for k in stay lstay; do
		echo 1 >$K/$k
		cpu_jobs 4
		om_nap 15
		check "$k: no job moved in 15 s" test "$(moved)" = 0
		echo 0 >$K/$k
		check "$k cleared: a job moves" om_wait_for 40 some_moved
		end_jobs
	done

	omctl node block 3
	cpu_jobs 4
	check "node 3 blocked: a job moves (to 2)" om_wait_for 40 some_moved
	check "none runs on the blocked node 3" om_never 15 on3
	omctl node unblock 3
	end_jobs

	head -c 1048576 /dev/urandom >"$W/data"
	mig_prog io "$W/data" 1000000 >/dev/null 2>&1 &
	io=$!
	cpu_jobs 2
	check "CPU jobs beside an I/O-bound one: one moves" om_wait_for 40 some_moved
	om_nap 5
	check "the I/O-bound job stays home" at_home_unmoved "$io"
	end_jobs
	om_expect "moved to node 2 by hand" omctl proc migrate "$io" 2 --wait
	check "node 2's balancer sends it home" om_wait_for 60 io_is_home
	om_barrier io-home
	kill -TERM "$io"
	wait "$io" 2>/dev/null || true

	om_barrier limit-set
	mig_prog cpu 1000000 >/dev/null 2>&1 &
	x=$!
	out=$(omctl proc migrate "$x" 2 --wait 2>&1) && rc=0 || rc=$?
	echo "# $out"
	om_expect "node 2 above its load limit refuses a guest" test "$rc" != 0
	om_expect "with the reason" grep -q "above its load limit" <<<"$out"
	om_expect "it stays home" test "$(om_where "$x")" = 1
	kill -TERM "$x"
	wait "$x" 2>/dev/null || true
	om_barrier limit-done
elif [[ $OM_NODE == 2 ]]; then
	om_barrier io-home 240
	om_expect "node 2 logged sending it home" sh -c "dmesg | grep -q 'balance: guest .* sent home'"
	# above a load limit of 0.1 with a job of its own
	echo 0 >$K/balance
	mig_prog cpu 1000000 >/dev/null 2>&1 &
	x=$!
	echo 100 >$K/load_limit
	om_expect "load_limit set, read back" test "$(cat $K/load_limit)" = 100
	# its own job's load (smoothed) is well above 0.1 after a few seconds
	om_nap 8
	om_barrier limit-set
	om_barrier limit-done
	echo 0 >$K/load_limit
	kill -TERM "$x"
	wait "$x" 2>/dev/null || true
else
	om_barrier io-home 240
	om_barrier limit-set
	om_barrier limit-done
fi
om_barrier done
echo 0 >$K/balance
dmesg | grep 'balance:' | sed 's/^/#   /' | tail -n 10 || true
om_unload 60
