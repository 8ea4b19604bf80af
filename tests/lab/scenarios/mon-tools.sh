# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The monitors (issue 12) on 3 nodes: node 1's processes A and B moved to
# nodes 2 and 3 (omctl proc migrate), C left at home:
#  - mps shows each one's node (2, 3, home); on nodes 2 and 3 it shows
#    the guest running there (that node's id, home 1), the one omctl
#    proc list --guests lists;
#  - mosmon -j lists the 3 nodes up with omctl's fields, the guests where
#    the kernel reports them, node 1's processes on 2 and 3;
#  - mtop -b -n 1 and mtop -j list every node and the processes with
#    their node, as the kernel's process dump says;
#  - a live mosmon on node 1 (in tmux, reading the tables only every
#    60 s) shows a migration within seconds (the events group), "module
#    not loaded" after modprobe -r, and the module again after modprobe;
#  - without the module mosmon -j, mtop -b, mtop -j and mps say so and
#    exit 2.
# omlab-nodes: 3
set -e
W=/tmp/mon-tools
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
PY=/usr/bin/python3
om_cluster_up

# pyj EXPR CMD...: CMD prints JSON (j), EXPR holds
pyj() {
	local expr=$1
	shift
	"$@" >"$W/json" 2>"$W/err" || { cat "$W/err"; return 1; }
	$PY -c "import json,sys; j=json.load(open('$W/json')); sys.exit(0 if ($expr) else 1)" ||
		{ head -c 3000 "$W/json"; echo; return 1; }
}
# absent CMD...: exits 2, says the module is not loaded, prints nothing
absent() {
	local rc=0
	"$@" >"$W/out" 2>"$W/err" || rc=$?
	sed 's/^/#   /' "$W/err"
	[[ $rc == 2 && ! -s $W/out ]] &&
		grep -q "openmosix module not loaded (modprobe openmosix)" "$W/err"
}
# node_of PID: the NODE mps shows for PID
node_of() { mps -o node= -p "$1" | tr -d ' '; }
# mtop_node PID: the NODE column of PID's line in mtop -b -n 1 ($W/mtop)
mtop_node() { awk -v p="$1" '$1 == p && NF >= 12 { print $11 }' "$W/mtop"; }
T() { tmux -L montools "$@"; }
screen_re() { T capture-pane -p -t mon | grep -Eq -- "$1"; }

omctl monitor >"$W/events" 2>&1 &
evpid=$!
# alive_yet NAME PID: fails, with what it wrote and the events, if PID ended
alive_yet() {
	kill -0 "$2" 2>/dev/null && return
	echo "# $1 ended early; its output:"
	sed 's/^/#   /' "$W/$1.out"
	echo "# events:"
	sed 's/^/#   /' "$W/events"
	return 1
}
if [[ $OM_NODE == 1 ]]; then
	# a live mosmon: the tables every 60 s, so a change within seconds
	# came through the events group
	T new-session -d -s mon -x 100 -y 20 "mosmon -i 60 2>$W/mosmon.err; echo \$? >$W/mosmon.rc"
	om_expect "live mosmon: the three nodes, nothing of ours away" \
		om_wait_for 20 screen_re '^ +3 up +[0-9]+ +- +0 \['
	# start NAME: a mig_prog that sleeps until SIGTERM (exit 43), in $pid
	start() {
		mig_prog sig >"$W/$1.out" 2>&1 </dev/null &
		pid=$!
		om_wait_for 10 grep -q ready "$W/$1.out"
	}
	start a
	a=$pid
	start b
	b=$pid
	start c
	c=$pid
	om_expect "A to node 2" omctl proc migrate "$a" 2 --wait
	om_expect "live mosmon: OURS 1 on node 2 within 5 s" \
		om_wait_for 5 screen_re '^ +2 up +[0-9]+ +- +1 \['
	om_expect "A still runs" alive_yet a "$a"
	om_expect "B to node 3" omctl proc migrate "$b" 3 --wait
	om_expect "live mosmon: OURS 1 on node 3 within 5 s" \
		om_wait_for 5 screen_re '^ +3 up +[0-9]+ +- +1 \['
	om_expect "B still runs" alive_yet b "$b"
	echo "$a $b" >/lab/mon-tools.pids
	om_barrier away

	# --- mps: the node each runs on
	om_expect "mps: A on 2 ($(node_of "$a"))" test "$(node_of "$a")" = 2
	om_expect "mps: B on 3 ($(node_of "$b"))" test "$(node_of "$b")" = 3
	om_expect "mps: C at home ($(node_of "$c"))" test "$(node_of "$c")" = home
	mps ax >"$W/ax"
	grep -E "^ *PID|mig_prog" "$W/ax"
	om_expect "mps ax: PID TTY NODE STAT TIME COMMAND" grep -q "^ *PID TTY *NODE STAT *TIME COMMAND$" "$W/ax"
	om_expect "mps ax: A's line says 2" grep -Eq "^ *$a +[^ ]+ +2 .*mig_prog sig$" "$W/ax"
	om_expect "mps --sort=-node: B (on 3), then A (on 2) first" \
		test "$(mps -e --no-headers -o pid --sort=-node,pid | head -n 2 | tr -d ' ' | tr '\n' ' ')" = "$b $a "
	om_expect "mps agrees with omctl proc show" \
		test "$(mps -o where= -o home= -o nmigs= -p "$a" | tr -s ' ')" = " 2 1 1"

	# --- mosmon -j: every node, omctl's fields and ours
	om_expect "mosmon -j: nodes 1, 2, 3 up, this is 1, one of ours on 2 and on 3" pyj \
		"j['self'] == 1 and {n['id']: (n['state'], n['from_here'], n['guests']) for n in j['nodes']} == {1: ('up', 0, 0), 2: ('up', 1, None), 3: ('up', 1, None)} and j['total']['up'] == 3 and j['total']['away'] == 2" \
		mosmon -j
	omctl -j node list >"$W/omctl.json"
	om_expect "mosmon -j: omctl's node fields" pyj \
		"all(k in m for o, m in zip(json.load(open('$W/omctl.json')), j['nodes']) for k in o) and all(o['id'] == m['id'] and o['address'] == m['address'] and o['state'] == m['state'] for o, m in zip(json.load(open('$W/omctl.json')), j['nodes']))" \
		mosmon -j

	# --- mtop: every node, the processes with their node
	mtop -b -n 1 -d 0.5 >"$W/mtop"
	grep -E "^(mtop|Cluster|Node)|^ +PID|mig_prog" "$W/mtop"
	om_expect "mtop -b: a line per node, all up" \
		test "$(grep -cE '^Node +[123] (self|up) ' "$W/mtop")" = 3
	om_expect "mtop -b: the cluster line" grep -q "^Cluster: this is node 1; 3 nodes, 3 up; 0 guests here, 2 away$" "$W/mtop"
	om_expect "mtop -b: A on 2, B on 3, C home" \
		test "$(mtop_node "$a") $(mtop_node "$b") $(mtop_node "$c")" = "2 3 home"
	# mtop -j against the kernel's process dump read just before
	omctl -j proc list >"$W/k.json"
	mtop -j -d 0.5 >"$W/mtop.json"
	om_expect "mtop -j: the nodes, A B C with their node, as the kernel's dump says" \
		$PY -c "
import json
j = json.load(open('$W/mtop.json'))
k = {p['pid']: p for p in json.load(open('$W/k.json'))}
assert sorted(n['id'] for n in j['nodes']) == [1, 2, 3], j['nodes']
got = {p['pid']: p['node'] for p in j['procs'] if p['pid'] in ($a, $b, $c)}
assert got == {$a: 2, $b: 3, $c: 0}, got
both = [p for p in j['procs'] if p['pid'] in k]
assert len(both) >= 5 and {$a, $b, $c} <= set(p['pid'] for p in both), len(both)
for p in both:
    assert (p['where'], p['home']) == (k[p['pid']]['where'], k[p['pid']]['home']), p
"
	om_barrier checked

	for x in a b c; do
		kill -TERM "${!x}"
		rc=0
		wait "${!x}" || rc=$?
		om_expect "$x ends with 43 after SIGTERM" test "$rc" = 43
	done
	om_barrier killed
	kill "$evpid" 2>/dev/null || true
	om_unload
	om_expect "live mosmon: module not loaded" \
		om_wait_for 10 screen_re "openmosix module not loaded \(modprobe openmosix\)"
	om_expect "modprobe again" modprobe openmosix
	om_expect "live mosmon: back (an empty node table)" \
		om_wait_for 10 screen_re "no nodes|^ +[0-9]+ self"
	T send-keys -t mon q
	om_expect "live mosmon: q, exit 0" om_wait_for 10 grep -qx 0 "$W/mosmon.rc"
	om_wait_for 10 om_rmmod_quiet || modprobe -r openmosix || true
	om_expect "unloaded" test ! -d /sys/module/openmosix
	T kill-server 2>/dev/null || true
else
	om_barrier away
	read -r a b </lab/mon-tools.pids
	g=$(omctl -j proc list --guests | grep -o '"pid": *[0-9]*' | grep -o '[0-9]*$') || g=
	[[ -n $g ]] || sed 's/^/#   /' "$W/events"
	om_expect "one guest here ($g)" test -n "$g"
	line=$(mps -e --no-headers -o pid,node,home,guest | awk '$4 == "yes"')
	echo "# mps guests: $line"
	om_expect "mps: that guest, running here (node $OM_NODE), home 1" \
		test "$(tr -s ' ' <<<" $line")" = " $g $OM_NODE 1 yes"
	om_expect "mosmon -j: one guest on this node, from node 1" pyj \
		"j['self'] == $OM_NODE and [n['guests'] for n in j['nodes'] if n['self']] == [1] and len(j['nodes']) == 3" \
		mosmon -j
	mtop -b -n 1 -d 0.5 -p "$g" >"$W/mtop"
	sed 's/^/#   /' "$W/mtop"
	om_expect "mtop -b: the guest on this node" test "$(mtop_node "$g")" = "$OM_NODE"
	om_expect "mtop -b: 1 guest here" grep -q "^Cluster: this is node $OM_NODE; 3 nodes, 3 up; 1 guest here, 0 away$" "$W/mtop"
	echo "# node 1's A $a, B $b"
	om_barrier checked
	om_barrier killed
	kill "$evpid" 2>/dev/null || true
	om_unload
fi

# --- no module: every command says so and exits 2
om_expect "mosmon -j without the module: exit 2, says so" absent mosmon -j
om_expect "mtop -b -n 1 without the module: exit 2, says so" absent mtop -b -n 1
om_expect "mtop -j without the module: exit 2, says so" absent mtop -j
om_expect "mps without the module: exit 2, says so" absent mps ax
om_expect "mps -o pid,node without the module: exit 2, says so" absent mps -e -o pid,node
kill "$evpid" 2>/dev/null || true
om_barrier finished
