#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# omstress tests that need no kernel module (TAP): its options, its
# message and exit status without the module (the host has none), every
# job program's own check (it passes undisturbed and catches one flipped
# bit), and the driver's whole run against fake-omctl (nothing moves, a
# checkpoint restores by starting the program again): a run that
# verifies, one where every component is made to fail, a timeout and an
# interrupt, each leaving no process behind.
# Env: OMSTRESS (the driver), OMSTRESS_LIBEXEC (its jobs), OMCTL (the
# real omctl, for the module-absent case).

set -u
OMSTRESS=$(readlink -f "${OMSTRESS:-build/omstress}")
LIBEXEC=$(readlink -f "${OMSTRESS_LIBEXEC:-build/libexec}")
OMCTL=$(readlink -f "${OMCTL:-build/omctl}")
JOB=$LIBEXEC/omstress-job
HERE=$(cd "$(dirname "$0")" && pwd)
FAKE=$HERE/fake-omctl
TMP=$(mktemp -d)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

ok() { # ok COND-RC DESC
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - omstress: $2"
	else
		echo "not ok $n - omstress: $2"
		failed=$((failed + 1))
		[[ -s $TMP/out ]] && sed 's/^/#   out: /' "$TMP/out" | tail -n 12
		[[ -s $TMP/err ]] && sed 's/^/#   err: /' "$TMP/err" | tail -n 12
	fi
}

# run RC CMD...: expect exit RC
run() {
	local want=$1 rc
	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == "$want" ]] || echo "exit $rc, wanted $want" >>"$TMP/err"
	return $((rc != want))
}
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
last_out() { tail -n 1 "$TMP/out"; }
digest() { sed -n 's/.* digest=\([0-9a-f]*\).*/\1/p' "$TMP/out"; }

# --- options (no module needed: all refused before anything runs)
run 0 "$OMSTRESS" --help && out_has "Usage: omstress" && out_has "--short"
ok $? "--help prints the usage, exit 0"
run 0 "$OMSTRESS" -V && out_has "omstress $(cat "$HERE/../../VERSION")"
ok $? "-V prints the version"
run 2 "$OMSTRESS" --bogus && err_has "unknown option --bogus"
ok $? "an unknown option: exit 2"
run 2 "$OMSTRESS" extra && err_has "unexpected argument extra"
ok $? "an argument: exit 2"
for bad in 0 -5 abc 1.5 ''; do
	run 2 "$OMSTRESS" --duration "$bad" && err_has "--duration"
	ok $? "--duration '$bad' refused"
done
run 2 "$OMSTRESS" --timeout 10 --duration 20 && err_has "must be longer"
ok $? "a timeout shorter than the duration refused"
run 2 "$OMSTRESS" --report && err_has "--report needs an argument"
ok $? "--report without FILE refused"
run 2 "$OMSTRESS" --only keygen,bogus && err_has "bogus: no such component"
ok $? "--only with an unknown component refused"
run 2 "$OMSTRESS" --only 'keygen;ls' && err_has "expected a comma list"
ok $? "--only with a malformed list refused"
run 2 "$OMSTRESS" --only keygen --skip mover && err_has "exclude each other"
ok $? "--only and --skip together refused"
run 2 "$OMSTRESS" --skip keygen,eatmem,forkit,mover,ckpt && err_has "no component"
ok $? "--skip of every component refused"
run 2 "$OMSTRESS" --cpus 9999 && err_has "--cpus"
ok $? "--cpus over 4096 refused"

# --- without the module: says so, exits 2, leaves nothing behind
mkdir "$TMP/t"
run 2 env TMPDIR="$TMP/t" OMSTRESS_OMCTL="$OMCTL" OMSTRESS_LIBEXEC="$LIBEXEC" "$OMSTRESS" --short &&
	err_has "the openmosix module is not loaded on this node" && err_has "modprobe openmosix" &&
	[[ -z $(ls -A "$TMP/t") ]]
ok $? "module absent: a clear message, exit 2, no work directory left"
run 2 env OMSTRESS_OMCTL=/nonexistent/omctl OMSTRESS_LIBEXEC="$LIBEXEC" "$OMSTRESS" --short
ok $? "omctl missing: exit 2"
run 2 env FAKE_OMCTL_DIR="$TMP/fk" OMSTRESS_OMCTL="$FAKE" OMSTRESS_LIBEXEC="$TMP/t" PATH=/usr/bin:/bin \
	"$OMSTRESS" --short && err_has "omstress-job not found"
ok $? "omstress-job missing: exit 2, says where it looked"

# --- the job programs: a clean run verifies, one flipped bit is caught
run 0 "$JOB" keygen 3000 --seed 7 && [[ $(last_out) == "keygen ok "* ]]
ok $? "keygen: 3000 keys, every one checked"
d1=$(digest)
run 0 "$JOB" keygen 3000 --seed 7 && [[ $(digest) == "$d1" && -n $d1 ]]
ok $? "keygen: the same digest again (deterministic)"
run 0 "$JOB" keygen 3000 --seed 8 && [[ $(digest) != "$d1" ]]
ok $? "keygen: another seed, another digest (what omstress compares)"
run 1 "$JOB" keygen 3000 --seed 7 --flip 1234 && out_has "keygen CORRUPT: key 1234:"
ok $? "keygen: a flipped bit of a key is caught"
run 2 "$JOB" keygen
ok $? "keygen without KEYS: usage, exit 2"

run 0 "$JOB" eatmem 4 6 && [[ $(last_out) == "eatmem ok "* ]]
ok $? "eatmem: 4 MiB x 6 rounds, every word checked"
d1=$(digest)
run 0 "$JOB" eatmem 4 6 && [[ $(digest) == "$d1" && -n $d1 ]]
ok $? "eatmem: the same digest again"
run 1 "$JOB" eatmem 4 6 --flip 2 && out_has "CORRUPT: word" && out_has "of round 2"
ok $? "eatmem: a flipped bit in the buffer is caught the next round"
run 1 "$JOB" eatmem 4 6 --flip 5 && out_has "of round 5"
ok $? "eatmem: a flipped bit after the last round is caught at the end"

run 0 "$JOB" forkit 20 2 --parallel 4 && [[ $(last_out) == "forkit ok "* ]] &&
	out_has "children=40 grandchildren=40 reaped=40"
ok $? "forkit: 2 rounds of 20 children, all reaped with their statuses"
run 1 "$JOB" forkit 20 2 --flip 27 && out_has "forkit CORRUPT: child 27 (pid"
ok $? "forkit: a child's wrong exit status is caught"

run 0 "$JOB" mover "$TMP/mv" "$TMP/mv.stop" --rounds 4 --nap 10 --mb 2 &&
	[[ $(last_out) == "mover ok "*" rounds=4 "* ]] &&
	[[ $(grep -c "^round [0-3] pid [0-9]* x " "$TMP/mv") == 4 ]]
ok $? "mover: 4 rounds checked, its file holds 4 lines"
mpid=$(sed -n 's/^mover pid \([0-9]*\) .*/\1/p' "$TMP/out")
grep -q "pid=$mpid" <(last_out) && [[ -n $mpid ]]
ok $? "mover: says its pid"
run 1 "$JOB" mover "$TMP/mv" "$TMP/mv.stop" --rounds 6 --nap 10 --mb 2 --flip 3 &&
	out_has "mover CORRUPT: round 3: the LCG is at"
ok $? "mover: a flipped bit of its LCG is caught"
: >"$TMP/mv.stop"
run 0 "$JOB" mover "$TMP/mv" "$TMP/mv.stop" --mb 1 --nap 10 && out_has "rounds=1 "
ok $? "mover: ends after the round in which STOP exists"
rm -f "$TMP/mv.stop"

run 0 bash -c "exec 7</dev/null; exec '$JOB' exec bash -c 'ls /proc/\$\$/fd; ps -o sid= -p \$\$; echo \$\$'"
fds=$(head -n -2 "$TMP/out" | tr '\n' ' ')
sid=$(tail -n 2 "$TMP/out" | head -n 1 | tr -d ' ')
[[ $fds == "0 1 2 "* && $fds != *" 7 "* && $sid == "$(last_out)" ]]
ok $? "exec: the program runs in a session of its own, fds above 2 closed"

# --- the driver's whole run, against fake-omctl
# fake RC ARGS...: omstress with fake-omctl, its own state directory
fakerun() {
	local want=$1
	shift
	rm -rf "$TMP/fk"
	run "$want" env FAKE_OMCTL_DIR="$TMP/fk" OMSTRESS_OMCTL="$FAKE" OMSTRESS_LIBEXEC="$LIBEXEC" \
		OMSTRESS_CAL_MS=50 TMPDIR="$TMP/t" "$OMSTRESS" "$@"
}
# jq-less checks of the JSON report: python3
report() { python3 -c "import json,sys; r=json.load(open('$TMP/out')); sys.exit(0 if ($1) else 1)" 2>>"$TMP/err"; }
# left RUNDIR: processes still carrying that run's mark
left() {
	local p e c
	for p in /proc/[0-9]*; do
		e=()
		mapfile -d '' -t e 2>/dev/null <"$p/environ" || continue
		for c in "${e[@]}"; do
			[[ $c == "OMSTRESS_RUN=$1" ]] && echo "${p#/proc/}"
		done
	done
}

fakerun 0 --short --duration 3 --interval 1 -j --report "$TMP/report.txt"
ok $? "a fake cluster: exit 0"
report "r['verified'] and [c['name'] for c in r['components']] == ['keygen', 'eatmem', 'forkit', 'mover', 'ckpt'] and all(c['started'] and c['finished'] and c['verified'] for c in r['components'])"
ok $? "JSON report: every component started, finished and verified"
report "r['nodes_up'] == [1, 2] and r['cpus'] == 3 and r['node'] == 1 and r['away_nodes'] == [2] and r['workdir'] is None"
ok $? "JSON report: the up nodes, their CPUs (the down one not counted), away on node 2"
report "[c['processes'] for c in r['components'] if c['name'] == 'keygen'] == [3] and all(p['exit'] == 0 for c in r['components'] if c['name'] == 'keygen' for p in c['procs'])"
ok $? "keygen: one copy per CPU of the up nodes, every one exit 0"
report "[(c['hops'] >= 1, c['nodes'], c['away'], c['migrations'] >= 1) for c in r['components'] if c['name'] == 'mover'] == [(True, [1, 2], True, True)]"
ok $? "mover: hopped to node 2, migrations seen"
report "'restored' in [c for c in r['components'] if c['name'] == 'ckpt'][0]['detail'] and [c for c in r['components'] if c['name'] == 'ckpt'][0]['hops'] >= 2"
ok $? "ckpt: checkpointed and restored, moved"
grep -q "^RESULT: every component verified (5 of 5); processes ran away from home, on node(s) 2" "$TMP/report.txt" &&
	grep -qE '^keygen +verified' "$TMP/report.txt"
ok $? "text report: the table and the result line"
[[ -z $(ls -A "$TMP/t") ]]
ok $? "the work directory is removed after a run that verified"
grep -q "node list" "$TMP/fk/calls" && ! grep -q "^0 proc migrate [0-9]* 1 " "$TMP/fk/calls"
ok $? "the mover never asked to move to its own node"

# every component made to fail: each must say so
rm -rf "$TMP/fk"
run 1 env FAKE_OMCTL_DIR="$TMP/fk" OMSTRESS_OMCTL="$FAKE" OMSTRESS_LIBEXEC="$LIBEXEC" TMPDIR="$TMP/t" \
	OMSTRESS_FAULT=keygen-digest,eatmem,forkit,mover,ckpt OMSTRESS_CAL_MS=50 \
	"$OMSTRESS" --short --duration 2 --interval 1 -j --report "$TMP/report.txt"
ok $? "every component made to fail: exit 1"
report "not r['verified'] and all(c['finished'] and not c['verified'] for c in r['components'])"
ok $? "JSON report: every component finished and did not verify"
report "'the reference' in [c for c in r['components'] if c['name'] == 'keygen'][0]['detail']"
ok $? "keygen: a copy with another digest than the reference's is caught"
for c in eatmem forkit mover; do
	report "'$c CORRUPT' in [c for c in r['components'] if c['name'] == '$c'][0]['detail']"
	ok $? "$c: the job's CORRUPT is in the report"
done
report "'result differs from the undisturbed' in [c for c in r['components'] if c['name'] == 'ckpt'][0]['detail']"
ok $? "ckpt: a restored result unlike the reference's is caught"
wd=$(python3 -c "import json; print(json.load(open('$TMP/out'))['workdir'])" 2>/dev/null)
[[ -d $wd ]] && grep -q "^RESULT: FAILED: 0 of 5 components verified" "$TMP/report.txt" &&
	grep -q "^work directory (logs, job outputs): $wd" "$TMP/report.txt"
ok $? "the work directory is kept after a failure, and named"
[[ -z $(left "$wd") ]]
ok $? "no process of the failed run left"
rm -rf "$wd"

# a hop refused: the mover fails with the reason
FAKE_REFUSE=2 fakerun 1 --short --duration 2 --interval 1 -j --report "$TMP/report.txt" --only mover
report "'refused (fake)' in r['components'][0]['detail'] and r['components'][0]['hops'] == 0"
ok $? "mover: a refused hop fails the component, with omctl's reason"
rm -rf "$TMP/t"/*

# hops slower than the whole duration: the mover still hops twice
FAKE_NODES="1:self:2 2:up:1 3:up:1" FAKE_MIGRATE_SECS=2 \
	fakerun 0 --short --duration 1 --interval 1 -j --report "$TMP/report.txt" --only mover
report "r['components'][0]['verified'] and r['components'][0]['hops'] >= 2"
ok $? "mover: hops slower than the duration, still two of them"
rm -rf "$TMP/t"/*

# only this node up: nothing to stress
FAKE_NODES="1:self:2 2:down:1" fakerun 2 --short && err_has "at least two nodes"
ok $? "one node up: exit 2, says a cluster is needed"
FAKE_NODES="1:self:2 2:up:1:blocked" fakerun 2 --short && err_has "the others are blocked"
ok $? "the other nodes blocked: exit 2"

# the timeout: the unfinished component fails, nothing is left
fakerun 1 --short --duration 1 --timeout 2 --only ckpt -j --report "$TMP/report.txt"
ok $? "a timeout: exit 1"
report "r['timed_out'] and not r['components'][0]['finished'] and 'timeout' in r['components'][0]['detail']"
ok $? "JSON report: timed out, the component unfinished"
wd=$(python3 -c "import json; print(json.load(open('$TMP/out'))['workdir'])" 2>/dev/null)
[[ -n $wd && -z $(left "$wd") ]] && grep -qE '^ckpt +UNFINISHED' "$TMP/report.txt"
ok $? "after the timeout no job is left; the text report says UNFINISHED"
rm -rf "$wd"

# SIGINT in the middle: everything killed, the report written, exit 130
# (a background job of a script starts with SIGINT ignored: not omstress)
rm -rf "$TMP/fk"
# the job's redirections happen in the child: empty the files here first,
# or the wait below can read the last test's lines before it does
: >"$TMP/err"
env --default-signal=INT FAKE_OMCTL_DIR="$TMP/fk" OMSTRESS_OMCTL="$FAKE" OMSTRESS_LIBEXEC="$LIBEXEC" \
	OMSTRESS_CAL_MS=50 TMPDIR="$TMP/t" \
	"$OMSTRESS" --short --duration 60 -j --report "$TMP/report.txt" >"$TMP/out" 2>"$TMP/err" &
spid=$!
for ((i = 0; i < 600; i++)); do
	grep -q "mover: pid" "$TMP/err" && break
	sleep 0.1
done
sleep 1
kill -INT "$spid"
rc=0
wait "$spid" || rc=$?
[[ $rc == 130 ]] || echo "exit $rc, wanted 130" >>"$TMP/err"
[[ $rc == 130 ]]
ok $? "SIGINT: exit 130"
report "r['interrupted'] == 'SIGINT' and not r['verified']"
ok $? "SIGINT: the report says interrupted"
wd=$(python3 -c "import json; print(json.load(open('$TMP/out'))['workdir'])" 2>/dev/null)
sleep 0.5
[[ -n $wd && -z $(left "$wd") ]]
ok $? "SIGINT: no job of the run left (their environment names the run)"
rm -rf "$wd"

# SIGTERM while it calibrates: nothing started, exit 143, nothing left
rm -rf "$TMP/fk"
: >"$TMP/err"
env FAKE_OMCTL_DIR="$TMP/fk" OMSTRESS_OMCTL="$FAKE" OMSTRESS_LIBEXEC="$LIBEXEC" TMPDIR="$TMP/t" \
	"$OMSTRESS" --short -j --report "$TMP/report.txt" >"$TMP/out" 2>"$TMP/err" &
spid=$!
for ((i = 0; i < 600; i++)); do
	grep -q "cluster: nodes" "$TMP/err" && break
	sleep 0.1
done
kill -TERM "$spid"
rc=0
wait "$spid" || rc=$?
[[ $rc == 143 ]] || echo "exit $rc, wanted 143" >>"$TMP/err"
[[ $rc == 143 ]] && report "r['interrupted'] == 'SIGTERM' and not any(c['started'] for c in r['components'])"
ok $? "SIGTERM while calibrating: exit 143, the report says nothing started"
wd=$(python3 -c "import json; print(json.load(open('$TMP/out'))['workdir'])" 2>/dev/null)
sleep 0.5
[[ -n $wd && -z $(left "$wd") ]]
ok $? "SIGTERM while calibrating: no job left"
rm -rf "$wd"

echo "# omstress: $n tests, $failed failed"
((failed == 0))
