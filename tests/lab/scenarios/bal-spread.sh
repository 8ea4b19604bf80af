# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The automatic balancer (issue 11): with the balancer on everywhere, 8
# CPU-bound jobs (mig_prog cpu) and a 9th that is locked start on node 1
# of 3.  Nobody asks anything to move.  While they run, node 1 watches
# where each one is (omctl -j proc list, once a second).  Shown: at some
# moment every node runs at least two of them; the locked one never
# leaves; no job moves more than OM_BAL_MAX_MIGS times (no ping-pong);
# every job exits 8 with output bit-identical to the others and to an
# undisturbed run.  The makespan and the migrations are printed (the
# ratio to the ideal is benchmark P4's, not checked here).
# Knob: OM_BAL_TARGET_MS (default 15000): CPU time of one job alone.
# omlab-nodes: 3
# omlab-timeout: 900
set -e
W=/tmp/bal-spread
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up
om_balancer_on

[[ $OM_NODE == 1 ]] || om_balancer_serve jobs-done 900

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# calibrate: ms per round of one job alone (too short to be moved: the
# balancer needs two samples and a few seconds of age)
# the fastest of three: a busy host slows one of them, and jobs sized on
# it would end before the balancer has spread them
per=
for c in 1 2 3; do
	t=$(now_ms)
	mig_prog cpu 10 >"$W/cal.out" || true	# exits 8
	p=$((($(now_ms) - t) / 10))
	[[ -z $per ]] || ((p < per)) && per=$p
done
((per > 0)) || per=1
N=$((${OM_BAL_TARGET_MS:-15000} / per))
((N >= 20)) || N=20
echo "# one round alone: $per ms; each job makes $N rounds"

start=$(now_ms)
pids=()
for i in 1 2 3 4 5 6 7 8; do
	mig_prog cpu "$N" >"$W/j$i.out" 2>&1 &
	pids+=($!)
done
mig_prog cpu "$N" >"$W/lock.out" 2>&1 &
lpid=$!
om_expect "lock the 9th job" omctl proc lock "$lpid"

# once a second: where each job runs and how often it moved
: >"$W/where.log"
while :; do
	alive=0
	for p in "${pids[@]}" "$lpid"; do
		kill -0 "$p" 2>/dev/null && alive=$((alive + 1))
	done
	((alive)) || break
	# (awk, not python: a python start costs the guest half a second)
	omctl -j proc list 2>/dev/null | tr '{' '\n' | awk -v want=" ${pids[*]} $lpid " '
		function num(k,   v) {
			if (!match($0, "\"" k "\": *[0-9]+"))
				return ""
			v = substr($0, RSTART, RLENGTH)
			sub(/.*: */, "", v)
			return v
		}
		{
			p = num("pid")
			if (p == "" || !index(want, " " p " "))
				next
			w = num("where")
			per[w]++
			out = out " " p ":" w ":" num("nmigs")
		}
		END { printf "%d %d %d%s\n", per[1], per[2], per[3], out }' >>"$W/where.log" || true
	om_nap 1
done
makespan=$(($(now_ms) - start))

rcs=()
for p in "${pids[@]}" "$lpid"; do
	rc=0
	wait "$p" || rc=$?
	rcs+=("$rc")
done
om_barrier jobs-done

echo "# where the jobs ran (node1 node2 node3, then pid:where:nmigs):"
sed 's/^/#   /' "$W/where.log" | awk 'NR % 5 == 1'
echo "# makespan ${makespan} ms for 9 jobs of about ${OM_BAL_TARGET_MS:-15000} ms each (all on node 1: about $((9 * ${OM_BAL_TARGET_MS:-15000})) ms)"
dmesg | grep 'balance:' | sed 's/^/#   /' | tail -n 20 || true

om_expect "every job exits 8 (${rcs[*]})" test "${rcs[*]}" = "8 8 8 8 8 8 8 8 8"
om_expect "at some moment every node runs at least two" \
	awk '$1 >= 2 && $2 >= 2 && $3 >= 2 { f = 1 } END { exit !f }' "$W/where.log"
om_expect "the locked job never left node 1" \
	awk -v l="$lpid" '{ for (i = 4; i <= NF; i++) { split($i, a, ":"); if (a[1] == l && (a[2] != 1 || a[3] != 0)) bad = 1 } } END { exit bad }' "$W/where.log"
om_expect "the locked job was seen" grep -q " $lpid:1:0" "$W/where.log"
maxm=$(awk '{ for (i = 4; i <= NF; i++) { split($i, a, ":"); if (a[3] > m) m = a[3] } } END { print m + 0 }' "$W/where.log")
om_expect "some job moved by itself" test "$maxm" -ge 1
om_expect "no job moved more than ${OM_BAL_MAX_MIGS:=4} times (at most $maxm)" test "$maxm" -le "$OM_BAL_MAX_MIGS"
for i in 1 2 3 4 5 6 7 8; do
	om_expect "job $i: output as the locked job's" cmp -s "$W/j$i.out" "$W/lock.out"
done
om_expect "as an undisturbed run" bash -c "cmp -s <(head -n 10 $W/lock.out) <(head -n 10 $W/cal.out)"
om_expect "$N rounds made" grep -qx "round $((N - 1)) sum [0-9a-f]*" "$W/lock.out"
echo 0 >/sys/kernel/openmosix/balance
om_unload 60
