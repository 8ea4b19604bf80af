# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Moving on from node to node (issue 10): a process away moves on
# through home (it comes back, its restore finishes, then it leaves
# again).  A sleeping process hops 2 -> 3 -> 2 ... six times, asked at
# home, while the home node's process view is polled (as omwebd does):
# after each hop it must still run where it went, with one more
# migration counted, never found back at home.  A freeze that caught the
# process inside its restore trampoline (right after it came home)
# shipped the trampoline and the process came home again by itself.
# omlab-nodes: 3
# omlab-timeout: 600
set -e
W=/tmp/mig-hop
rm -rf "$W"
mkdir -p "$W"
om_cluster_up

# explain WHAT: a failed hop, with what omctl and the kernel say of the process
explain() {
	echo "# $1"
	omctl proc show "$pid" 2>&1 | sed 's/^/#   /'
	dmesg | tail -n 12 | sed 's/^/#   /'
}
if [[ $OM_NODE == 1 ]]; then
	om_clean_exec sleep 900 &
	pid=$!
	om_expect "sleep started" om_wait_for 10 grep -qx sleep "/proc/$pid/comm"
	# the home node's view, polled as omwebd polls it
	(while :; do omctl -j proc list >/dev/null 2>&1; done) &
	poll=$!
	om_expect "to node 2" omctl proc migrate "$pid" 2 --wait
	n=1 bad=0
	for i in 1 2 3 4 5 6; do
		to=$((i % 2 ? 3 : 2))
		if ! out=$(omctl proc migrate "$pid" "$to" --wait 2>&1); then
			explain "hop $i to node $to: $out"
			bad=$((bad + 1))
			continue
		fi
		n=$((n + 1))
		om_nap 1
		w=$(om_where "$pid") m=$(om_nmigs "$pid")
		if [[ $w != "$to" || $m != "$n" ]]; then
			explain "hop $i to node $to: where $w, nmigs $m (expected $n) one second later"
			bad=$((bad + 1))
			n=$m
		fi
	done
	kill "$poll" 2>/dev/null || true
	wait "$poll" 2>/dev/null || true
	om_expect "six hops 2 <-> 3 through home, each found where it went ($bad not)" test "$bad" = 0
	om_expect "home" omctl proc home "$pid" --wait
	om_expect "where is 1" test "$(om_where "$pid")" = 1
	kill "$pid"
fi
om_barrier hop-done 600
