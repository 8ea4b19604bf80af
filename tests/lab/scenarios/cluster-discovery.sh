# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# No map: omdiscd's authenticated beacons alone form the cluster; omctl
# monitor reports the nodes coming up.
set -e
om_expect "modprobe" modprobe openmosix
om_shared_key
om_expect "key set" omctl cluster key set /etc/openmosix/cluster.key
omctl -j monitor >"$OM_OUT/events.json" 2>&1 &
mon=$!
omdiscd >"$OM_OUT/omdiscd.log" 2>&1 &
disc=$!
om_expect "all $OM_NNODES nodes up by discovery within 90 s" om_wait_for 90 om_nodes_up "$OM_NNODES"
om_expect "peers are flagged discovered" om_json "all('discovered' in n['flags'] for n in j)"
om_expect "monitor saw every peer come up" om_wait_for 10 /usr/bin/python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$OM_OUT/events.json') if l.strip().startswith('{')]
up = {e.get('node', {}).get('id', e.get('id')) for e in ev if e.get('event') == 'up'}
sys.exit(0 if all(i in up for i in range(1, $OM_NNODES + 1) if i != $OM_NODE) else 1)"
om_barrier discovered
kill $disc $mon
wait $disc $mon 2>/dev/null || true
om_expect "modprobe -r" modprobe -r openmosix
