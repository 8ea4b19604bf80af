# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
# omlab-timeout: 480
#
# The last node has no key and floods node 1's cluster port for 75 s:
# 600 connections held open and reopened as soon as they are closed, half
# from its map address (a node in node 1's table), half from an address no
# node has.  Meanwhile the other nodes join and gossip: every legitimate
# node comes and stays up on every legitimate node, node 1's connection
# threads and unreclaimable slab stay within the documented pre-auth caps
# (Documentation/wire-protocol.md, section 7), the flooder never receives
# a byte, and a key holder cannot pose as another node.  Before the flood,
# node 2 times loading and replacing a 2000-node map (best of 3).
set -e
flooder=$OM_NNODES
legit=$((OM_NNODES - 1))
flag=/lab/$OM_SCENARIO.flood-done
# measured bounds on node 1 (the caps allow 4 connections per source)
max_threads=12
max_slab_kb=4096
om_expect "modprobe" modprobe openmosix
om_shared_key
om_write_map

# om_sample: node 1's om_conn threads and SUnreclaim/KernelStack (kB), no forks
om_sample() {
	local f c k v
	threads=0
	for f in /proc/[0-9]*/comm; do
		# threads come and go between the glob and the read
		{ read -r c <"$f"; } 2>/dev/null || continue
		[[ $c == om_conn/* ]] && threads=$((threads + 1))
	done
	while read -r k v _; do
		case $k in
		SUnreclaim:) slab=$v ;;
		KernelStack:) kstack=$v ;;
		esac
	done </proc/meminfo
}
# legit_up: nodes 1..legit are up here (bash only: python's start on a
# flooded TCG guest took CPU from the kernel threads under test)
legit_up() {
	local j segs seg n=0
	j=$(omctl -j node list) || return 1
	IFS='{' read -ra segs <<<"${j//$'\n'/ }"
	for seg in "${segs[@]}"; do
		[[ $seg =~ \"id\":\ *([0-9]+), ]] && ((BASH_REMATCH[1] <= legit)) &&
			[[ $seg =~ \"state\":\ *\"up\" ]] && n=$((n + 1))
	done
	((n == legit))
}
# legit_still_up: as legit_up; when not, say what this node saw (CI shows it)
legit_still_up() {
	legit_up && return 0
	{
		omctl node list
		omctl -j status
		dmesg | grep -E 'openmosix|om_' | tail -n 15
	} 2>&1 | sed 's/^/# /'
	return 1
}
# om_time_ms VAR CMD...: run CMD, store its wall time in ms in VAR
om_time_ms() {
	local var=$1 t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null
	t1=${EPOCHREALTIME/./}
	printf -v "$var" %d $(((t1 - t0) / 1000))
}

if [[ $OM_NODE == 2 && $OM_NODE != "$flooder" ]]; then
	# a 2000-node map: the lab nodes plus 1997 others, no key yet
	{
		echo "1 $OM_NET.1 $OM_NNODES"
		for ((i = OM_NNODES + 1; i <= 2000; i++)); do
			echo "$i 10.78.$((i / 200)).$((i % 200 + 1)) 1"
		done
	} >/tmp/big.map
	# the best of 3 rounds: a guest that waits for the host's CPU for a
	# moment (TCG, other guests) must not fail it
	t_load=999999 t_reload=999999 t_back=999999 all=
	for r in 1 2 3; do
		# (not t0/t1: om_time_ms's own locals)
		om_time_ms ms_l omctl map load /tmp/big.map
		om_time_ms ms_r omctl map load /tmp/big.map
		[[ $r != 1 ]] || om_expect "2000 nodes in the table" om_json "len(j) == 2000"
		om_time_ms ms_b omctl map load
		all+=" $ms_l/$ms_r/$ms_b"
		((ms_l >= t_load)) || t_load=$ms_l
		((ms_r >= t_reload)) || t_reload=$ms_r
		((ms_b >= t_back)) || t_back=$ms_b
	done
	om_expect "back to $OM_NNODES nodes" om_json "len(j) == $OM_NNODES"
	echo "# map load (best of 3:$all ms): 2000 nodes ${t_load} ms, again ${t_reload} ms, back to $OM_NNODES ${t_back} ms"
	om_expect "2000-node map loads in under a second" test "$t_load" -lt 1000
	# the old table scanned linearly (about 650 ms here); hashed: 100-150 ms
	om_expect "2000-node map reloads in under half a second" test "$t_reload" -lt 500
	om_expect "shrinking from 2000 nodes takes under a second" test "$t_back" -lt 1000
fi

if [[ $OM_NODE == 1 ]]; then
	om_expect "key set" omctl cluster key set /etc/openmosix/cluster.key
	om_expect "map load" omctl map load
	om_sample
	slab0=$slab kstack0=$kstack max_t=$threads max_s=0 max_k=0
	echo "# baseline: $threads om_conn threads, SUnreclaim $slab kB, KernelStack $kstack kB"
fi
om_barrier flood-ready
if [[ $OM_NODE == "$flooder" ]]; then
	# keyless; a second address that is in nobody's table
	other=$OM_NET.$((200 + OM_NODE))
	ip addr add "$other/24" dev eth0
	/usr/bin/python3 "$OM_ROOT/tests/tools/omflood.py" "$(om_addr 1)" 4660 75 \
		"$(om_addr "$OM_NODE"):300" "$other:300" >"$OM_OUT/flood.json" &
	flood=$!
	om_nap 10
	om_barrier flood-started
	wait $flood || om_fail "omflood failed"
	: >"$flag"
	cat "$OM_OUT/flood.json"
	om_expect "600 connections were opened and reopened" /usr/bin/python3 -c "
import json, sys
s = json.load(open('$OM_OUT/flood.json'))
sys.exit(0 if sum(v['opens'] for v in s.values()) >= 600 else 1)"
	om_expect "an unauthenticated sender receives no byte" /usr/bin/python3 -c "
import json, sys
s = json.load(open('$OM_OUT/flood.json'))
sys.exit(0 if all(v['bytes'] == 0 for v in s.values()) else 1)"
else
	om_barrier flood-started
	if [[ $OM_NODE != 1 ]]; then
		om_expect "key set" omctl cluster key set /etc/openmosix/cluster.key
		om_expect "map load" omctl map load
	fi
	om_expect "the $legit legitimate nodes come up during the flood" om_wait_for 90 legit_up
	if [[ $OM_NODE == 2 ]]; then
		# a key holder cannot pose as another node (the flooder's ID)
		om_expect "posing as node $flooder is refused" sh -c \
			"! omwire-probe $(om_addr 1) 4660 /etc/openmosix/cluster.key $flooder handshake"
	fi
	n=0
	while [[ ! -e $flag ]]; do
		om_expect "legitimate nodes still up" legit_still_up
		if [[ $OM_NODE == 1 ]]; then
			om_sample
			((threads > max_t)) && max_t=$threads
			((slab - slab0 > max_s)) && max_s=$((slab - slab0))
			((kstack - kstack0 > max_k)) && max_k=$((kstack - kstack0))
			n=$((n + 1))
		fi
		om_nap 3
	done
	om_expect "legitimate nodes up after the flood" legit_still_up
	ids=$(seq -s '|' 1 "$legit")
	om_expect "no legitimate node went down" sh -c "! dmesg | grep -E 'node ($ids) \(.*\) is down'"
	if [[ $OM_NODE == 1 ]]; then
		echo "# during the flood ($n samples): at most $max_t om_conn threads, SUnreclaim +$max_s kB, KernelStack +$max_k kB"
		echo "# conn_accepted $(om_stat conn_accepted), handshake_fail $(om_stat handshake_fail), unknown_peer $(om_stat unknown_peer)"
		om_expect "samples were taken" test "$n" -ge 10
		om_expect "om_conn threads stayed at or below $max_threads" test "$max_t" -le "$max_threads"
		om_expect "unreclaimable slab grew by at most $max_slab_kb kB" test "$max_s" -le "$max_slab_kb"
		om_expect "the flood reached the node" test "$(om_stat conn_accepted)" -ge 600
		om_expect "connection threads wind down after the flood" om_wait_for 20 \
			bash -c "n=0; for f in /proc/[0-9]*/comm; do { read -r c <\$f; } 2>/dev/null && [[ \$c == om_conn/* ]] && n=\$((n + 1)); done; ((n <= 2 * $legit))"
	fi
fi
om_barrier done
rm -f "$flag"
om_expect "modprobe -r" modprobe -r openmosix
