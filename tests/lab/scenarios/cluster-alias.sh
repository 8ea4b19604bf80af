# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Multi-homed nodes: every node gets a second address and the map names
# it in an ALIAS line (openMosix's map format).  The cluster forms, every
# node lists each node's alias, whois finds a node by its alias, and the
# aliases survive a map reload.  A node added and deleted by hand shows in
# /proc/hpc and in the monitor's events while it exists.
set -e
alias_net=10.77.1
om_expect "second address $alias_net.$OM_NODE" ip addr add "$alias_net.$OM_NODE/24" dev eth0
trap 'ip addr del "$alias_net.$OM_NODE/24" dev eth0 2>/dev/null || true' EXIT
om_expect "modprobe" modprobe openmosix
om_shared_key
om_expect "key set" omctl cluster key set /etc/openmosix/cluster.key
om_write_map
for ((i = 1; i <= OM_NNODES; i++)); do
	echo "$i $alias_net.$i ALIAS" >>/etc/openmosix/openmosix.map
done
cat /etc/openmosix/openmosix.map
om_expect "map show lists $OM_NNODES aliases" sh -c \
	"omctl map show | grep -q '$OM_NNODES node(s), $OM_NNODES alias(es)'"
out=$(omctl map load 2>&1)
echo "$out"
om_expect "map load without an ALIAS warning" test -z "$out"
om_expect "self is node $OM_NODE" om_json "any(n['id'] == $OM_NODE and n.get('self') for n in j)"
om_expect "all $OM_NNODES nodes up within 60 s" om_wait_for 60 om_nodes_up "$OM_NNODES"
aliases_ok="len(j) == $OM_NNODES and all(n['aliases'] == ['$alias_net.%d' % n['id']] for n in j)"
om_expect "node list -j: every node has its alias" om_json "$aliases_ok"
om_nodes_json >"$OM_OUT/nodes.json"
omctl node list
om_expect "node list: ALIASES column" sh -c "omctl node list | grep -q '$alias_net.$OM_NODE\$'"
om_expect "node show: aliases line" sh -c "omctl node show $OM_NODE | grep -q 'aliases: *$alias_net.$OM_NODE\$'"
om_expect "whois $alias_net.2 is 2" test "$(omctl whois $alias_net.2)" = 2
for ((i = 1; i <= OM_NNODES; i++)); do
	om_expect "whois $alias_net.$i" test "$(omctl whois "$alias_net.$i")" = "$i"
	om_expect "node show by alias $alias_net.$i" sh -c "omctl node show $alias_net.$i | grep -q '^node $i\$'"
done
om_expect "node add with an alias of node 2 refused" sh -c \
	"! omctl node add 50 10.77.5.50 alias $alias_net.2"
omctl -j monitor >"$OM_OUT/events.json" 2>&1 &
mon=$!
sleep 2
om_expect "node add 50 with aliases" omctl node add 50 10.77.5.50 alias 10.77.6.50 alias 10.77.7.50
om_expect "whois 10.77.7.50 is 50" test "$(omctl whois 10.77.7.50)" = 50
om_expect "/proc/hpc/nodes/50/address" grep -qx '10.77.5.50:[0-9]*' /proc/hpc/nodes/50/address
om_expect "node del 50" omctl node del 50
om_expect "/proc/hpc/nodes/50 gone" test ! -e /proc/hpc/nodes/50
om_expect "monitor: node 50 added, then removed" om_wait_for 10 /usr/bin/python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$OM_OUT/events.json') if l.strip().startswith('{')]
e50 = [e['event'] for e in ev if e.get('node', {}).get('id') == 50]
print(e50)
sys.exit(0 if e50 == ['added', 'removed'] else 1)"
kill $mon
wait $mon 2>/dev/null || true
om_barrier alias-checked
om_expect "map reload" omctl map load
om_expect "aliases survive the reload" om_json "$aliases_ok"
om_expect "still all up after the reload" om_wait_for 30 om_nodes_up "$OM_NNODES"
om_expect "whois $alias_net.2 after the reload" test "$(omctl whois $alias_net.2)" = 2
om_barrier alias-reloaded
om_expect "modprobe -r" modprobe -r openmosix
