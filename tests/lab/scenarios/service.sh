# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The modern "/etc/init.d/openmosix start": openmosix-start loads the
# module, applies openmosix.conf (key, knobs) and starts omdiscd; the nodes
# find each other without a map and /mfs (MFS_MOUNT) shows every node's
# files; openmosix-stop takes it all down (and says why it cannot while
# /mfs is in use).  Also "omctl node block/unblock" on the running cluster, and the events the
# monitor sees for it (down before blocked, then unblocked, then up).
set -e
om_shared_key
cp "$OM_ROOT/tools/openmosix.conf" /etc/openmosix/openmosix.conf
cat >>/etc/openmosix/openmosix.conf <<CONF
OMDISCD=yes
OMDISCD_ARGS="-t 1"
SPEED=$((9000 + OM_NODE))
HB_TIMEOUT_MS=4000
CONF
rm -f /etc/openmosix/openmosix.map
om_expect "openmosix-start -n accepts the config" openmosix-start -n
om_expect "openmosix-start" openmosix-start
om_expect "knob SPEED applied" test "$(cat /sys/kernel/openmosix/speed)" = $((9000 + OM_NODE))
om_expect "knob HB_TIMEOUT_MS applied" test "$(cat /sys/kernel/openmosix/hb_timeout_ms)" = 4000
om_expect "omdiscd running" pgrep -x omdiscd
om_expect "MFS mounted on /mfs (MFS_MOUNT)" test "$(findmnt -n -o FSTYPE --mountpoint /mfs)" = mfs
om_expect "openmosix-start again: nothing twice" bash -c 'openmosix-start 2>&1 | grep -q "MFS already mounted" &&
	test "$(findmnt -n -o FSTYPE --mountpoint /mfs | wc -l)" = 1'
om_expect "all $OM_NNODES nodes up" om_wait_for 90 om_nodes_up "$OM_NNODES"
om_expect "peers' speeds arrive by gossip" om_wait_for 30 om_json \
	"all(n['speed'] == 9000 + n['id'] for n in j)"
om_expect "every node's files under /mfs" om_wait_for 30 bash -c \
	'for ((i = 1; i <= OM_NNODES; i++)); do test "$(cat /mfs/$i/etc/hostname)" = node$i || exit 1; done'
om_barrier service-up
if [[ $OM_NODE == 1 ]]; then
	omctl -j monitor >"$OM_OUT/events.json" 2>&1 &
	mon=$!
	sleep 2
	om_expect "node block 2" omctl node block 2
	om_expect "node 2 shown blocked and down" om_json \
		"any(n['id'] == 2 and 'blocked' in n['flags'] and n['state'] == 'down' for n in j)"
	sleep 3
	om_expect "node 2 stays down while blocked (discovery refreshes it)" om_json \
		"any(n['id'] == 2 and 'blocked' in n['flags'] and n['state'] == 'down' for n in j)"
	om_expect "node unblock 2" omctl node unblock 2
	om_expect "node 2 up again" om_wait_for 30 om_json \
		"any(n['id'] == 2 and 'blocked' not in n['flags'] and n['state'] == 'up' for n in j)"
	om_expect "monitor: node 2 down, blocked, unblocked, then up" om_wait_for 10 /usr/bin/python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$OM_OUT/events.json') if l.strip().startswith('{')]
e2 = [e['event'] for e in ev if e.get('node', {}).get('id') == 2]
print(e2)
i = e2.index('blocked') if 'blocked' in e2 else -1
sys.exit(0 if i > 0 and e2[i - 1] == 'down' and e2[i + 1:i + 2] == ['unblocked'] and
	 'up' in e2[i + 2:] else 1)"
	kill $mon
	wait $mon 2>/dev/null || true
	# this node blocked refuses guests (mosctl block) and stays up
	om_expect "block self" omctl node block 1
	om_expect "... node 1 up and blocked" om_json "[(n['state'], n['blocked']) for n in j if n['id'] == 1] == [('up', True)]"
	om_expect "unblock self" omctl node unblock 1
	om_expect "... node 1 not blocked" om_json "[n['blocked'] for n in j if n['id'] == 1] == [False]"
	om_expect "block unknown node refused (exit 2)" bash -c "omctl node block 999 2>/dev/null; test \$? = 2"
fi
om_barrier service-blocked
# a shell in /mfs keeps the stop from unloading: it says so
(cd /mfs/here && exec sleep 60) &
busy=$!
om_expect "openmosix-stop with /mfs in use: refused, says why" bash -c \
	'! openmosix-stop >/tmp/stop.out 2>&1 && grep -q "cannot unmount MFS from /mfs: in use" /tmp/stop.out'
kill $busy
wait $busy 2>/dev/null || true
om_expect "openmosix-stop" openmosix-stop
om_expect "MFS unmounted" bash -c "! findmnt --mountpoint /mfs >/dev/null"
om_expect "omdiscd stopped" bash -c "! pgrep -x omdiscd"
om_expect "module unloaded" bash -c "! grep -q '^openmosix ' /proc/modules"
