# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# All nodes form a cluster from a static map (openMosix's map format) and
# see each other up with plausible load and memory figures.
set -e
om_expect "modprobe" modprobe openmosix
om_shared_key
om_expect "key set" omctl cluster key set /etc/openmosix/cluster.key
om_write_map
om_expect "map load (default file)" omctl map load
om_expect "self is node $OM_NODE" om_json "any(n['id'] == $OM_NODE and n.get('self') for n in j)"
om_expect "all $OM_NNODES nodes up within 60 s" om_wait_for 60 om_nodes_up "$OM_NNODES"
om_expect "load info from every node within 30 s" om_wait_for 30 om_json \
	"all(n['mem_total'] > 64 << 20 and 0 < n['mem_free'] <= n['mem_total'] and n['cpus'] >= 1 and n['load'] >= 0 and n['speed'] > 0 and n['uptime'] > 0 for n in j)"
om_nodes_json >"$OM_OUT/nodes.json"
for ((i = 1; i <= OM_NNODES; i++)); do
	om_expect "/proc/hpc/nodes/$i/state" grep -qE '^(up|self)$' "/proc/hpc/nodes/$i/state"
	om_expect "/proc/hpc/nodes/$i/mem" grep -q '^total [0-9]* kB' "/proc/hpc/nodes/$i/mem"
	om_expect "whois $i" sh -c "omctl whois $i | grep -q '$OM_NET.$i'"
	om_expect "whois $OM_NET.$i" sh -c "omctl whois $OM_NET.$i | grep -qw $i"
done
om_expect "status shows $OM_NNODES up" sh -c "omctl -j status | /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if s[\"nodes_up\"] == $OM_NNODES else 1)'"
om_expect "node show" sh -c "omctl node show 1 | grep -q '$OM_NET.1'"
om_barrier map-checked
om_expect "modprobe -r" modprobe -r openmosix
