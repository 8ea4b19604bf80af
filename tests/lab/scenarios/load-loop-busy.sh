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
# omlab-debug-only (13 minutes on the debug kernel: make check has load-loop)
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
# node 2 waits for this even when a cycle fails
trap 'om_barrier cycled 60 || true' EXIT
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
unloads() { dmesg | grep -c 'openMosix-NG unloaded' || true; }
# about 6 s a cycle under TCG, 30 s on the debug kernel
n=${OM_LOAD_CYCLES:-50}
for ((i = 1; i <= n; i++)); do
	up || om_fail "cycle $i: load or configure"
	# let a connection to node 2 come up and traffic flow on some cycles
	((i % 5)) || om_wait_for 20 om_nodes_up 2 || om_fail "cycle $i: node 2 not up"
	u=$(unloads)
	# a netlink dump of the requester's holds a module reference while it
	# runs ("in use"): that passes; a reference nobody gives back does not
	om_wait_for 20 modprobe -r openmosix 2>/dev/null || om_fail "cycle $i: modprobe -r (in use for 20 s)"
	# not /proc/modules: the requester's omctl may load it again at once
	# (genetlink autoloads a family's module when it is looked up)
	(($(unloads) > u)) || om_fail "cycle $i: modprobe -r left the module loaded"
done
kill -0 "$req" || om_fail "the requester stopped"
kill "$req"
wait "$req" 2>/dev/null || true
echo "ok - $n load/unload cycles under netlink requests and peer traffic"
