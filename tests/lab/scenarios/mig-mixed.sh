# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Migration between kernels (issue 10): "a 6.1 node and a 6.12 node in one
# cluster migrate between each other, or refuse clearly".  Booted mixed
# (omlab -k 6.1,6.12: nodes 1 and 3 run the first kernel, node 2 the
# second).  Node 1 moves a computing mig_prog to node 2, then node 2 one to
# node 1.  Each move either works (omctl proc show: away on the target,
# home here; the target has the guest; exit status 7 and the output of an
# undisturbed run) or is refused (omctl exits 2 and prints the kernel's
# reason; nothing arrived on the target; the process goes on at home and
# ends as an undisturbed run).  Each home node prints which it was:
#   RESULT node1 (6.1.0-..) -> node2 (6.12.0-..): migrated
#   RESULT node2 (6.12.0-..) -> node1 (6.1.0-..): refused: REASON
# (also in its results directory, file "outcome").  A refusal for a reason
# that is no difference between the nodes (no answer, node down, busy,
# out of memory) fails: that is not a clear refusal.
# omlab-kernels: mixed
# omlab-nodes: 3
# omlab-timeout: 600
set -e
W=/tmp/mig-mixed
ROUNDS=20
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
: >"$OM_OUT/outcome"

# every node's kernel, for the others (/lab is shared)
uname -r >"/lab/mig-mixed.kver.$OM_NODE"
om_cluster_up

kver() { cat "/lab/mig-mixed.kver.$1"; }
for ((i = 1; i <= OM_NNODES; i++)); do
	echo "# node$i runs $(kver "$i")"
done
om_expect "a mixed cluster: node 1 and node 2 run different kernels" \
	test "$(kver 1)" != "$(kver 2)"

# the node table: each node's kernel release, if it carries one
omctl node list || true
if omctl -j node list | /usr/bin/python3 -c "import json,sys; sys.exit(0 if any('release' in n or 'kernel' in n for n in json.load(sys.stdin)) else 1)"; then
	for ((i = 1; i <= OM_NNODES; i++)); do
		om_expect "node list: node $i runs $(kver "$i")" \
			om_json "any(n['id'] == $i and n.get('release', n.get('kernel')) == '$(kver "$i")' for n in j)"
	done
else
	echo "# omctl node list carries no kernel release (not in the node table)"
fi

home() { omctl -j proc show "$1" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['home'])"; }
guest_homes() { omctl -j proc list --guests | /usr/bin/python3 -c "import json,sys; [print(p['home'], p['home_pid']) for p in json.load(sys.stdin)]"; }

# move_from_here TAG TO: run mig_prog ids here, move it to node TO, check
# the outcome (migrated or refused) and the end of the run
move_from_here() {
	local tag=$1 to=$2 me=$OM_NODE pid mrc=0 rc=0 outcome reason=
	local out=$W/$tag.out
	mig_prog ids "$ROUNDS" >"$out" 2>&1 &
	pid=$!
	om_expect "$tag: mig_prog computes" om_wait_for 60 grep -q "round 1 " "$out"
	omctl proc migrate "$pid" "$to" --wait >"$W/$tag.mig" 2>&1 || mrc=$?
	cat "$W/$tag.mig"
	case $mrc in
	0)
		outcome=migrated
		om_expect "$tag: omctl proc show: where is $to" test "$(om_where "$pid")" = "$to"
		om_expect "$tag: omctl proc show: home is $me" test "$(home "$pid")" = "$me"
		;;
	2)
		outcome=refused
		# "omctl: cannot migrate PID to node N: REASON - strerror": the
		# kernel's reason (without one omctl prints strerror alone)
		reason=$(sed -n "s/^omctl: cannot migrate $pid to node $to: \(.*\) - .*\$/\1/p" "$W/$tag.mig")
		om_expect "$tag: refused with the kernel's reason" test -n "$reason"
		if grep -Eq 'did not answer|cannot reach|lost node|is down|blocked|no node|takes [0-9]+ arriving|not enough free memory|killed during' <<<"$reason"; then
			om_fail "$tag: refused, but not for a difference between the nodes: $reason"
		fi
		om_expect "$tag: still running" om_alive "$pid"
		om_expect "$tag: omctl proc show: where is $me (home)" test "$(om_where "$pid")" = "$me"
		om_expect "$tag: omctl proc show: home is $me" test "$(home "$pid")" = "$me"
		;;
	*)
		om_fail "$tag: omctl proc migrate exited $mrc (0: migrated, 2: refused with a reason)"
		;;
	esac
	echo "$outcome $pid" >"/lab/mig-mixed.$tag"
	echo "RESULT node$me ($(kver "$me")) -> node$to ($(kver "$to")): $outcome${reason:+: $reason}" |
		tee -a "$OM_OUT/outcome"
	om_barrier "$tag-moved" 300
	om_barrier "$tag-seen" 300
	# an undisturbed run here, meanwhile
	mig_prog ids "$ROUNDS" >"$W/$tag.ref" 2>&1 || true
	wait "$pid" || rc=$?
	cat "$out"
	om_expect "$tag: exit status 7 reaches its parent" test "$rc" = 7
	om_expect "$tag: all $ROUNDS rounds and done" \
		sh -c "grep -c '^round ' $out | grep -qx $ROUNDS && grep -q '^done ' $out"
	om_expect "$tag: same pid, ppid, uid, pgrp, sid in every round" \
		sh -c "grep '^round ' $out | cut -d' ' -f5- | sort -u | wc -l | grep -qx 1"
	om_expect "$tag: pid is its home pid" grep -q "pid $pid ppid $$ " "$out"
	om_expect "$tag: sums as an undisturbed run" \
		bash -c "diff <(cut -d' ' -f1-4 $W/$tag.ref) <(cut -d' ' -f1-4 $out)"
}

# the target's side of move_from_here TAG FROM
moved_here() {
	local tag=$1 from=$2 outcome pid
	om_barrier "$tag-moved" 300
	read -r outcome pid <"/lab/mig-mixed.$tag"
	if [[ $outcome == migrated ]]; then
		om_expect "$tag: one guest here" test "$(om_guests)" = 1
		om_expect "$tag: from home node $from, pid $pid" test "$(guest_homes)" = "$from $pid"
	else
		om_expect "$tag: refused: no guest here" test "$(om_guests)" = 0
	fi
	om_barrier "$tag-seen" 300
}

# node 1 -> node 2, then node 2 -> node 1
case $OM_NODE in
1) move_from_here 1to2 2 ;;
2) moved_here 1to2 1 ;;
*) om_barrier 1to2-moved 300; om_barrier 1to2-seen 300 ;;
esac
om_barrier 1to2-done 500
case $OM_NODE in
1) moved_here 2to1 2 ;;
2) move_from_here 2to1 1 ;;
*) om_barrier 2to1-moved 300; om_barrier 2to1-seen 300 ;;
esac
om_barrier 2to1-done 500
om_unload
