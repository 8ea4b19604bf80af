# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Helpers for scenario scripts running inside lab guests (sourced by
# guest-init; scenarios get these functions and variables):
#   OM_NODE (1..N), OM_NNODES, OM_NET (e.g. 10.77.0), OM_OUT (results dir)
#   om_addr N          address of node N
#   om_barrier NAME [SECS]  wait until every node reached NAME (fails after
#                      SECS, default 180)
#   om_nap SECS        sleep without forking
#   om_fail MSG        print MSG and exit 1
#   om_expect DESC CMD...   run CMD, print "ok/not ok DESC", exit on failure
#   om_wait_for SECS CMD... retry CMD until it succeeds or SECS pass

om_addr() { echo "$OM_NET.$1"; }

om_barrier() {
	# per scenario: a name an earlier scenario used must not pass at once
	local dir=/lab/barrier/${OM_SCENARIO:+$OM_SCENARIO/}$1 secs=$((${2:-180} * ${OM_SLOW:-1}))
	local t0=$SECONDS f g
	mkdir -p "$dir"
	: >"$dir/$OM_NODE"
	# no forks while waiting: under TCG, nodes polling with find/sleep
	# take CPU from the node that is still running a long scenario
	local gone=() i
	for ((i = 1; i <= OM_NNODES; i++)); do gone+=("/lab/results/node$i.gone"); done
	om_mark "barrier $1 reached"
	while :; do
		f=("$dir"/*)
		((${#f[@]} >= OM_NNODES)) && { om_mark "barrier $1 passed"; return 0; }
		((SECONDS - t0 < secs)) || break
		# omlab marks a guest whose QEMU ended, guest-init a node whose
		# part of this scenario failed: neither will come (side nodes,
		# omlab -s, are in no barrier and power off when they are done)
		for g in "${gone[@]}" ${OM_SCENARIO:+"/lab/barrier/$OM_SCENARIO".failed-node*}; do
			[[ -e $g ]] || continue
			echo "barrier $1: ${g##*/} (its guest ended, or its part failed)" >&2
			return 1
		done
		om_nap 0.2
	done
	echo "barrier $1: timed out with ${#f[@]} of $OM_NNODES nodes" >&2
	return 1
}

# om_nap SECS: sleep without a fork: a read with a timeout on a FIFO that
# nobody writes (guest-init makes it; opened O_RDWR, so it never blocks)
om_nap() {
	if [[ -p /run/om-nap ]]; then
		read -rt "$1" _ <>/run/om-nap || true
	else
		sleep "$1"
	fi
}

# om_alive PID: the process exists and is not a zombie; om_gone PID: not
# (no fork: scenarios poll it every few ms)
om_alive() {
	local s
	{ read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
	s=${s##*) }
	[[ -n $s && ${s:0:1} != [ZX] ]]
}
om_gone() { ! om_alive "$1"; }

# om_clean_exec CMD...: exec CMD in its own session, fds 0-2 /dev/null,
# no other fd inherited (a checkpoint target holds only what it opens)
om_clean_exec() {
	local f
	for f in /proc/"$BASHPID"/fd/*; do
		f=${f##*/}
		[[ $f -le 2 ]] || eval "exec $f>&-"
	done
	exec setsid "$@" </dev/null >/dev/null 2>&1
}

# om_restore DIR LOG: omctl -j restore DIR, its output in LOG and shown; the
# restored pid in $newpid (a file, not $(...): the restored process could
# hold the pipe)
om_restore() {
	local rc=0
	omctl -j restore "$1" >"$2" 2>&1 || rc=$?
	cat "$2"
	newpid=$(grep -o '"pid": *[0-9]*' "$2" | grep -o '[0-9]*$') || return 1
	[[ $rc == 0 ]]
}

om_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

om_expect() {
	local desc=$1
	shift
	if "$@"; then
		om_mark "$desc"
		echo "ok - $desc"
	else
		om_mark "FAILED $desc"
		echo "not ok - $desc"
		om_fail_diag
		exit 1
	fi
}

# om_fail_diag: what this node knew when a check failed, as comments in
# the output (a CI log keeps these lines, not the results directory)
om_fail_diag() {
	{
		echo "diag at $(cut -d' ' -f1 /proc/uptime) s:"
		timeout 5 omctl node list 2>&1
		timeout 5 omctl proc list --guests 2>&1
		dmesg 2>/dev/null | grep -E 'openmosix|mfs|Oops|WARNING|BUG' | tail -n 12
	} 2>/dev/null | sed 's/^/# /' || true
}

# om_mark WHAT: "SECONDS WHAT" (since the scenario started) into
# $OM_OUT/timing, where the scenario's time goes; no fork
om_mark() {
	[[ -n ${OM_OUT:-} && -n ${OM_T0:-} ]] || return 0
	local us=$((${EPOCHREALTIME/./} - ${OM_T0/./}))
	printf '%d.%d %s\n' $((us / 1000000)) $((us / 100000 % 10)) "$1" >>"$OM_OUT/timing"
}

# om_wait_for SECS CMD...: CMD until it succeeds, for SECS (times OM_SLOW:
# make check-debug's kernel is several times slower)
om_wait_for() {
	local secs=$(($1 * ${OM_SLOW:-1})) i
	shift
	for ((i = 0; i < secs * 5; i++)); do
		"$@" && return 0
		om_nap 0.2
	done
	return 1
}
# om_never SECS CMD...: CMD fails on every try for SECS of wall-clock time
# (not tries, as om_wait_for counts: a negative check with an omctl call
# per try would last several times SECS under TCG); not times OM_SLOW
om_never() {
	local t0=$SECONDS
	while ((SECONDS - t0 < $1)); do
		"${@:2}" && return 1
		om_nap 0.5
	done
	return 0
}
export -f om_addr om_barrier om_nap om_fail om_expect om_fail_diag om_mark om_wait_for om_never om_alive om_gone om_clean_exec om_restore

# --- cluster helpers (issue: cluster core) ---
# om_shared_key: node 1 generates the run's cluster key, everyone waits
om_shared_key() {
	if [[ $OM_NODE == 1 ]]; then
		omctl cluster key generate >/lab/cluster.key.tmp && mv /lab/cluster.key.tmp /lab/cluster.key
	fi
	om_barrier "key-$OM_SCENARIO"
	mkdir -p /etc/openmosix
	cp /lab/cluster.key /etc/openmosix/cluster.key
	chmod 600 /etc/openmosix/cluster.key
}
# om_write_map [N]: map of nodes 1..N (default all) at $OM_NET.1..N
om_write_map() {
	mkdir -p /etc/openmosix
	printf '# lab cluster\n1 %s.1 %d\n' "$OM_NET" "${1:-$OM_NNODES}" >/etc/openmosix/openmosix.map
}
# The helpers that om_wait_for calls five times a second read omctl's
# JSON with grep, not python: a python start costs a TCG guest about
# half a second of CPU, taken from the other guests on the host's cores.
# om_guests: how many guests this node hosts (nothing printed if omctl
# fails); om_no_guests: none (a command, so om_wait_for asks again)
om_guests() {
	local j
	j=$(omctl -j proc list --guests) || return 1
	grep -o '"pid": *[0-9]' <<<"$j" | wc -l
}
# om_guests_are N: exactly N guests here now
om_guests_are() { [[ $(om_guests) == "$1" ]]; }
om_no_guests() { om_guests_are 0; }
# om_where PID: the node PID runs on, as omctl proc show says (empty: gone)
om_where() {
	omctl -j proc show "$1" 2>/dev/null | om_json_num where || true
}
# om_nmigs PID: how many times PID migrated, as omctl proc show says
om_nmigs() {
	omctl -j proc show "$1" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['nmigs'])"
}
# om_cluster_up: the start of a cluster scenario: the suite loaded, then
# om_cluster_join; om_cluster_join alone for a scenario that sets knobs
# between the two: the lab's shared key and map, every node up, then the
# "all-up" barrier
om_cluster_up() {
	om_expect "modprobe" modprobe openmosix
	om_cluster_join
}
om_cluster_join() {
	om_shared_key
	omctl cluster key set /etc/openmosix/cluster.key
	om_write_map
	omctl map load
	om_expect "all up" om_wait_for 60 om_nodes_up "$OM_NNODES"
	om_barrier all-up
}
# om_balancer_on: this node's balancer on (guest-init loads the module with
# it off in batch labs), then wait for every node's
om_balancer_on() {
	echo 1 >/sys/kernel/openmosix/balance
	om_expect "the balancer is on" test "$(cat /sys/kernel/openmosix/balance)" = 1
	om_barrier bal-on
}
# om_balancer_serve BARRIER SECS: a balancer scenario's nodes other than 1
# host what node 1 runs: wait (SECS at most) for it to reach BARRIER, say
# how many balance lines this node logged, balancer off, unload; exits
om_balancer_serve() {
	om_barrier "$1" "$2"
	echo "# $(dmesg | grep -c 'balance:' || true) balance lines in dmesg here"
	echo 0 >/sys/kernel/openmosix/balance
	om_unload 60
	exit 0
}

# om_unload [SECS]: the end of a migration scenario: no guest left (within
# SECS, default 20), then the module unloads; tried again for 10 s while in
# use, since a process that just left drops its last reference (its keeper
# exiting) a moment after it stops being a guest
om_unload() {
	om_expect "no guests left" om_wait_for "${1:-20}" om_no_guests
	om_wait_for 10 om_rmmod_quiet || modprobe -r openmosix || true
	om_expect "modprobe -r" test ! -d /sys/module/openmosix
}
om_rmmod_quiet() { modprobe -r openmosix 2>/dev/null; }
om_nodes_json() { omctl -j node list; }
# om_json EXPR: evaluate a Python expression over j = omctl -j node list
om_json() {
	om_nodes_json | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"
}
# om_nodes_up N: at least N nodes (self included) are up
om_nodes_up() {
	local j
	j=$(om_nodes_json) || return 1
	(($(grep -o '"state": *"up"' <<<"$j" | wc -l) >= $1))
}
om_node_state() { # om_node_state ID -> up/down/absent
	local j s
	j=$(om_nodes_json) || return 1
	s=$(tr '{' '\n' <<<"$j" | grep -E "^\"id\": *$1," | grep -o '"state": *"[a-z]*"' | head -n 1 | cut -d'"' -f4)
	echo "${s:-absent}"
}
om_stat() { # om_stat NAME -> transport counter from omctl -j status
	local j
	j=$(omctl -j status) || return 1
	om_json_num "$1" <<<"$j"
}
# om_json_num KEY: the first number KEY has in the JSON on stdin (no python)
om_json_num() {
	grep -o "\"$1\": *[0-9]*" | head -n 1 | grep -o '[0-9]*$'
}
# om_probe_handshake ADDR KEY: omwire-probe, as node 99 (OMWIRE_SRC set
# by the caller), authenticates at ADDR.  Up to three tries, each failure
# printed: one CI run saw a first try fail on 6.1 that never failed here,
# and the node's dmesg has the kernel's side of it.
om_probe_handshake() {
	local i
	for i in 1 2 3; do
		omwire-probe "$1" 4660 "$2" 99 handshake && return 0
		echo "# handshake try $i failed"
		sleep 1
	done
	return 1
}
export -f om_probe_handshake om_shared_key om_write_map om_nodes_json om_json om_nodes_up om_node_state om_stat om_json_num om_guests om_no_guests om_guests_are om_where om_nmigs om_cluster_up om_cluster_join om_balancer_on om_balancer_serve om_unload om_rmmod_quiet
