# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The body of the stress scenarios (stress-short in make check, stress-soak
# in make soak), sourced by them with:
#   W             omstress's work directory
#   STRESS_WAIT   how long the other nodes wait for node 1's run (s)
#   STRESS_ARGS   omstress's arguments beyond the common ones (array)
#   STRESS_TIMEOUT omstress's --timeout (optional; times OM_SLOW)
#   stress_checks a function of the form-specific checks (uses check)
# Node 1 runs omstress with the balancer on everywhere; every component
# must verify, processes must run away from home and nothing may be left.
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up
om_balancer_on

[[ $OM_NODE == 1 ]] || om_balancer_serve stress-done "$STRESS_WAIT"

# run_left: processes that still carry the mark of an omstress run in
# $W (omstress puts OMSTRESS_RUN=<its work directory> in every job's
# environment)
run_left() {
	local p e c
	for p in /proc/[0-9]*; do
		e=()
		mapfile -d '' -t e 2>/dev/null <"$p/environ" || continue
		for c in "${e[@]}"; do
			[[ $c == "OMSTRESS_RUN=$W/"* ]] && echo "${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)"
		done
	done
	return 0
}

# omstress's own bound (STRESS_TIMEOUT, if the form sets one) counts
# OM_SLOW times on a slow kernel, as the lab's bounds do (check-debug)
[[ -z ${STRESS_TIMEOUT:-} ]] || STRESS_ARGS+=(--timeout $((STRESS_TIMEOUT * ${OM_SLOW:-1})))
t=$SECONDS
rc=0
omstress "${STRESS_ARGS[@]}" -v -j --workdir "$W" --report "$W/report.txt" \
	>"$W/report.json" 2>"$W/progress.log" || rc=$?
secs=$((SECONDS - t))
om_barrier stress-done
sed 's/^/# /' "$W/progress.log"
sed 's/^/#   /' "$W/report.txt" 2>/dev/null || true
echo "# omstress ${STRESS_ARGS[*]} took $secs s of guest time"
om_expect "omstress exits 0 (got $rc)" test "$rc" = 0
om_expect "the JSON report parses" /usr/bin/python3 -c "import json; json.load(open('$W/report.json'))"
check() { # DESC PYTHON-EXPR over r (the report)
	om_expect "$1" /usr/bin/python3 -c "
import json, sys
r = json.load(open('$W/report.json'))
c = {x['name']: x for x in r['components']}
ok = $2
if not ok:
    print(json.dumps(r, indent=1)[:3000])
sys.exit(0 if ok else 1)"
}
check "every component ran: keygen eatmem forkit mover ckpt" \
	"sorted(c) == ['ckpt', 'eatmem', 'forkit', 'keygen', 'mover']"
for comp in keygen eatmem forkit mover ckpt; do
	check "$comp: started, finished, verified" \
		"c['$comp']['started'] and c['$comp']['finished'] and c['$comp']['verified']"
done
check "the report says every component verified" "r['verified'] and not r['timed_out'] and r['interrupted'] is None"
check "3 nodes up, 3 CPUs, one keygen copy per CPU" \
	"r['nodes_up'] == [1, 2, 3] and r['cpus'] == 3 and c['keygen']['processes'] == 3"
check "the mover hopped (at least twice) and ran on another node" \
	"c['mover']['hops'] >= 2 and c['mover']['away'] and c['mover']['migrations'] >= 1"
stress_checks
check "at least one process ran away from home" "len(r['away_nodes']) >= 1 and 1 not in r['away_nodes']"
om_expect "the text report says so" grep -q "^RESULT: every component verified (5 of 5); processes ran away from home" "$W/report.txt"
left=$(run_left)
[[ -z $left ]] || echo "# left: $left"
om_expect "no process of the run left" test -z "$left"
om_expect "its work directory removed" sh -c "! ls -d $W/omstress.* 2>/dev/null"
echo 0 >/sys/kernel/openmosix/balance
om_unload 60
