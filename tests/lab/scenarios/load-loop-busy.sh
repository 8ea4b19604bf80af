# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Load and unload order (issue 9, 6): node 1 loads and unloads the suite
# 50 times while a process sends netlink requests (status, node list and
# dumps, event listener) in a loop and node 2 keeps the link busy with
# fast gossip and heartbeats.  The genetlink family is registered last and
# unregistered first, and no event is sent outside that time: no oops, no
# KASAN or lockdep report (make check-debug runs it on the debug kernel).
# omlab-timeout: 1800
# omlab-debug-only (about 5 minutes per kernel under TCG: make check has load-loop)
set -e
((OM_NNODES >= 2)) || exit 0
om_shared_key
om_write_map 2
if ((OM_NODE > 2)); then
	om_barrier ready
	om_barrier cycled 1700
	exit 0
fi
up() {
	modprobe openmosix || return 1
	echo 200 >/sys/kernel/openmosix/gossip_interval_ms
	echo 200 >/sys/kernel/openmosix/hb_interval_ms
	omctl cluster key set /etc/openmosix/cluster.key >/dev/null &&
		omctl map load >/dev/null
}
if [[ $OM_NODE == 2 ]]; then
	om_expect "node 2 up" up
	om_barrier ready
	om_barrier cycled 1700
	om_expect "node 2 unloads" modprobe -r openmosix
	exit 0
fi
om_barrier ready
# the requester: every command, whatever the module's state
(
	set +e
	while :; do
		omctl status >/dev/null 2>&1
		omctl -j node list >/dev/null 2>&1
		omctl whois 2 >/dev/null 2>&1
		timeout 0.3 omctl monitor >/dev/null 2>&1
	done
) &
req=$!
n=50
for ((i = 1; i <= n; i++)); do
	up || om_fail "cycle $i: load or configure"
	# let a connection to node 2 come up and traffic flow on some cycles
	((i % 10)) || om_wait_for 20 om_nodes_up 2 || om_fail "cycle $i: node 2 not up"
	modprobe -r openmosix || om_fail "cycle $i: modprobe -r"
	if grep -q '^openmosix ' /proc/modules; then om_fail "cycle $i: module left loaded"; fi
done
kill -0 "$req" || om_fail "the requester stopped"
kill "$req"
wait "$req" 2>/dev/null || true
echo "ok - $n load/unload cycles under netlink requests and peer traffic"
om_barrier cycled 1700
