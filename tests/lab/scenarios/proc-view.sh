# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The process view (issue 10), one node: omctl proc show/list (text and
# JSON) and /proc/hpc/procs give a process's node, home, migrations, lock
# and the reason it cannot move; lock/unlock as root and as nobody on its
# own process (allowed) and on root's (refused: EPERM, exit 2 as every
# kernel refusal of omctl); the lock is inherited by children forked
# afterwards; cantmove names threads and SysV shm (without addresses for
# someone else's process), a chroot and a mount namespace of its own (not
# a chroot to /); on one node, omctl proc migrate and migrate(1)
# are refused at once with the reason (exit 2), as an event on omctl
# monitor too; no guests.
# omlab-solo: 28
set -e
modprobe openmosix
W=/tmp/proc-view
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
asnobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
PY=/usr/bin/python3

# this node in the node table, so it has an id ("self")
omctl node add "$OM_NODE" "$(om_addr "$OM_NODE")"
self=$(omctl -j node list | $PY -c 'import json,sys; print([n["id"] for n in json.load(sys.stdin) if n["self"]][0])')
om_expect "this node has its id ($self)" test "$self" = "$OM_NODE"
om_expect "self-tests pass (the process table's included)" \
	sh -c 'echo 1 > /sys/kernel/openmosix/selftest && grep -q "failed 0" /sys/kernel/openmosix/selftest'

pyjson() { # pyjson EXPR CMD...: run CMD, evaluate EXPR over its JSON as j
	local expr=$1
	shift
	"$@" | $PY -c "import json,sys; j=json.load(sys.stdin); print('#', j if not isinstance(j, list) else len(j)); sys.exit(0 if ($expr) else 1)"
}
rc_of() { # rc_of WANT CMD...: CMD exits with WANT; its output in $W/out
	local want=$1 rc=0
	shift
	timeout 30 "$@" >"$W/out" 2>&1 || rc=$?
	sed 's/^/#   /' "$W/out"
	[[ $rc == "$want" ]] || { echo "# exit $rc, wanted $want"; return 1; }
}
has() { grep -Eq -- "$1" "$W/out"; }

# 1. a shell and a sleep: here, at home, never moved, unlocked
# no fd of ours: it has nothing that could keep it from moving
om_clean_exec sleep 600 &
sl=$!
for p in $$ $sl; do
	om_expect "show $p: at home on node $self, nmigs 0, unlocked" \
		pyjson "j['pid'] == $p and j['where'] == $self and j['home'] == $self and j['nmigs'] == 0 and j['locked'] is False and j['guest'] is False and j['home_pid'] is None and j['away_ms'] is None" \
		omctl -j proc show "$p"
done
om_expect "show JSON has every key" pyjson \
	"sorted(j) == sorted('pid uid comm where home nmigs locked cantmove away_ms guest home_pid hint hint_left node_policy nodes'.split()) and j['comm'] == 'sleep' and j['uid'] == 0" \
	omctl -j proc show "$sl"
# a migrated process keeps its children at home (with its deputy)
om_expect "the shell may move: children do not refuse a migration" \
	pyjson "j['cantmove'] is None" omctl -j proc show $$
om_expect "show text" rc_of 0 omctl proc show "$sl"
om_expect "... names where and home" has "where: +node $self \\(home\\)"
om_expect "list has the sleep" rc_of 0 omctl proc list
om_expect "... in a line of its own" has "^ *$sl +0 +$self +$self +0 +no +sleep "
om_expect "-j list parses and has both" pyjson \
	"{$$, $sl} <= {x['pid'] for x in j} and all(x['pid'] > 0 for x in j)" omctl -j proc list
if command -v jq >/dev/null; then
	om_expect "kernel threads (kthreadd) are not listed" pyjson "2 not in {x['pid'] for x in j}" omctl -j proc list
om_expect "jq reads it too" sh -c "omctl -j proc list | jq -e '.[] | select(.pid == $sl) | .locked == false'"
else
	echo "# jq is not installed: python3 only"
fi
om_expect "/proc/hpc/procs lists the sleep" \
	grep -Eq "^ *$sl +$self +$self +0 +0 " /proc/hpc/procs
om_expect "/proc/hpc/procs has its header" \
	sh -c 'head -1 /proc/hpc/procs | grep -Eq "^ *PID +WHERE +HOME +NMIGS +LOCKED +CANTMOVE$"'
om_expect "no such process: exit 2" rc_of 2 omctl proc show 4194303
om_expect "... No such process" has "No such process"

# 2. lock and unlock as root
om_expect "root locks the sleep" omctl proc lock "$sl"
om_expect "... show says locked" pyjson "j['locked'] is True" omctl -j proc show "$sl"
om_expect "... /proc/hpc/procs too" grep -Eq "^ *$sl +$self +$self +0 +1 " /proc/hpc/procs
om_expect "root unlocks it" omctl proc unlock "$sl"
om_expect "... unlocked" pyjson "j['locked'] is False" omctl -j proc show "$sl"
om_expect "root locks its own shell" omctl proc lock $$
om_expect "... and unlocks it" omctl proc unlock $$

# 3. as nobody: its own process yes, root's no
"${asnobody[@]}" setsid sleep 600 </dev/null >/dev/null 2>&1 &
nsl=$!
om_wait_for 10 sh -c "grep -Eq '^Uid:[[:space:]]+65534' /proc/$nsl/status"
om_expect "nobody locks its own sleep" "${asnobody[@]}" omctl proc lock "$nsl"
om_expect "... locked" pyjson "j['locked'] is True and j['uid'] == 65534" omctl -j proc show "$nsl"
om_expect "nobody unlocks it" "${asnobody[@]}" omctl proc unlock "$nsl"
om_expect "... unlocked" pyjson "j['locked'] is False" omctl -j proc show "$nsl"
om_expect "nobody may not lock root's sleep (exit 2)" rc_of 2 "${asnobody[@]}" omctl proc lock "$sl"
om_expect "... Operation not permitted: not your process" has "Operation not permitted: not your process"
om_expect "... still unlocked" pyjson "j['locked'] is False" omctl -j proc show "$sl"
om_expect "nobody may not unlock root's either" rc_of 2 "${asnobody[@]}" omctl proc unlock "$sl"
om_expect "nobody still sees root's processes" pyjson "j['pid'] == $sl" "${asnobody[@]}" omctl -j proc show "$sl"

# 4. the lock is inherited by children forked after it was set
rm -f "$W/go" "$W/before.pid" "$W/after.pid"
# shellcheck disable=SC2016 # expanded by the inner bash
setsid bash -c 'sleep 600 & echo $! >"$0/before.pid"
	while [[ ! -e $0/go ]]; do sleep 0.1; done
	sleep 600 & echo $! >"$0/after.pid"; wait' "$W" </dev/null >/dev/null 2>&1 &
par=$!
om_wait_for 10 test -s "$W/before.pid"
om_expect "lock the parent" omctl proc lock "$par"
touch "$W/go"
om_wait_for 10 test -s "$W/after.pid"
om_expect "a child forked after the lock is locked" \
	pyjson "j['locked'] is True" omctl -j proc show "$(cat "$W/after.pid")"
om_expect "a child forked before it is not" \
	pyjson "j['locked'] is False" omctl -j proc show "$(cat "$W/before.pid")"
om_expect "unlocking the parent leaves the child locked" \
	sh -c "omctl proc unlock $par && omctl -j proc show $(cat "$W/after.pid") | grep -q '\"locked\":true'"
kill "$(cat "$W/after.pid")" "$(cat "$W/before.pid")" 2>/dev/null || true
kill "$par" 2>/dev/null || true

# 5. cantmove names threads and SysV shm; threads are not listed
start() { # start MODE OUT -> pid in $pid, set up and waiting
	rm -f "$2" "$2.ready"
	setsid ckpt_prog "$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	om_wait_for 20 test -s "$2.ready" || om_fail "ckpt_prog $1 did not start"
}
start threads "$W/t.out"
tp=$pid
om_expect "threads: cantmove says multi-threaded" \
	pyjson "'multi-threaded (2 threads)' in (j['cantmove'] or '')" omctl -j proc show "$tp"
om_expect "... /proc/hpc/procs too" grep -Eq "^ *$tp .* multi-threaded \\(2 threads\\)$" /proc/hpc/procs
tid=
for t in /proc/"$tp"/task/*; do
	[[ ${t##*/} == "$tp" ]] || tid=${t##*/}
done
om_expect "the second thread ($tid) is not listed" \
	pyjson "$tid not in {x['pid'] for x in j} and $tp in {x['pid'] for x in j}" omctl -j proc list
om_expect "show of a thread: exit 2, not a process" rc_of 2 omctl proc show "$tid"
om_expect "... says it is a thread" has "not a process but a thread"
start shm "$W/s.out"
sp=$pid
om_expect "SysV shm: cantmove names it, with its address for root" \
	pyjson "(j['cantmove'] or '').startswith('SysV shared memory at ')" omctl -j proc show "$sp"
om_expect "... without the address for nobody" \
	pyjson "j['cantmove'] == 'SysV shared memory'" "${asnobody[@]}" omctl -j proc show "$sp"
om_expect "... nor in nobody's /proc/hpc/procs" \
	"${asnobody[@]}" sh -c "grep -Eq '^ *$sp .* SysV shared memory$' /proc/hpc/procs"
om_expect "a sleep with nothing open may move" \
	pyjson "j['cantmove'] is None" omctl -j proc show "$sl"
kill "$tp" "$sp" 2>/dev/null || true

# a chroot or a mount namespace of its own: the remote would map its own
# files under the process's names, so neither may move (nor be chosen)
J=$W/jail
mkdir -p "$J"
cp /bin/sleep "$J/"
for l in $(ldd /bin/sleep | grep -o '/[^ ]*'); do
	mkdir -p "$J${l%/*}"
	cp -L "$l" "$J$l"
done
chroot "$J" /sleep 60 </dev/null >/dev/null 2>&1 &
cj=$!
unshare -m sleep 60 </dev/null >/dev/null 2>&1 &
nj=$!
chroot / sleep 60 </dev/null >/dev/null 2>&1 &
rj=$!
om_wait_for 10 sh -c "readlink /proc/$cj/exe | grep -q '^/sleep\$\|/jail/sleep\$'" ||
	om_fail "the chrooted sleep did not start"
om_wait_for 10 sh -c "readlink /proc/$nj/exe | grep -q sleep" || om_fail "unshare did not exec"
om_wait_for 10 sh -c "readlink /proc/$rj/exe | grep -q sleep" || om_fail "chroot / did not exec"
om_expect "chroot: cantmove says so" \
	pyjson "j['cantmove'] == 'runs in a chroot or another mount namespace'" omctl -j proc show "$cj"
om_expect "... /proc/hpc/procs too" \
	grep -Eq "^ *$cj .* runs in a chroot or another mount namespace$" /proc/hpc/procs
om_expect "a mount namespace of its own: cantmove says so" \
	pyjson "j['cantmove'] == 'runs in a chroot or another mount namespace'" omctl -j proc show "$nj"
om_expect "chroot to / (the same root) may move" \
	pyjson "j['cantmove'] is None" omctl -j proc show "$rj"
kill "$cj" "$nj" "$rj" 2>/dev/null || true

# 6. on a one-node cluster every migration is refused at once, with the
# reason (mig-basic moves processes between nodes)
omctl -j monitor >"$W/mon.jsonl" 2>"$W/mon.err" &
mon=$!
om_nap 1
# each refused at once: not one waits as long as the shortest of the
# kernel's migration waits (the 10 s for the target's answer): timeout 9
# ends one that does, and its status (124) is not the one expected
om_expect "proc migrate --wait to this node: exit 2" rc_of 2 timeout 9 omctl proc migrate "$sl" "$self" --wait
om_expect "... node $self is this node" has "omctl: cannot migrate $sl to node $self: node $self is this node"
om_expect "proc home --wait of a process at home: exit 2" rc_of 2 timeout 9 omctl proc home "$sl" --wait
om_expect "... it runs here, at home" has "runs here, at home"
om_expect "to an address: the same" rc_of 2 timeout 9 omctl proc migrate "$sl" "$(om_addr "$OM_NODE")" --wait
om_expect "migrate(1): the same" rc_of 2 timeout 9 migrate "$sl" "$self"
om_expect "... this node" has "is this node"
om_expect "migrate(1) balance: handed to the balancer (unlocked)" rc_of 0 timeout 9 migrate "$sl" balance
om_expect "... says so" has "is unlocked: the load balancer may move it"
out=$(timeout 9 omctl proc migrate "$sl" "$self")
echo "# $out"
om_expect "without --wait: requested, at once" grep -q "requested" <<<"$out"
om_expect "monitor: a failed event with the reason" om_wait_for 10 \
	grep -q "\"event\":\"failed\".*\"pid\":$sl,.*\"reason\":\"node $self is this node\"" "$W/mon.jsonl"
om_expect "nobody may not migrate root's sleep" rc_of 2 "${asnobody[@]}" omctl proc migrate "$sl" "$self" --wait
om_expect "... not your process" has "not your process"
om_expect "the sleep runs on" kill -0 "$sl"
kill "$mon" 2>/dev/null || true
wait "$mon" 2>/dev/null || true
om_expect "monitor output parses" $PY -m json.tool --json-lines "$W/mon.jsonl"

# 7. no guests
om_expect "list --guests is empty" pyjson "j == []" omctl -j proc list --guests
om_expect "... text: the header only" sh -c "test \$(omctl proc list --guests | wc -l) = 1"

kill "$sl" "$nsl" 2>/dev/null || true
om_expect "modprobe -r" modprobe -r openmosix
