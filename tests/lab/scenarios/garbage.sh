# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Node 1 attacks node 2's cluster port with a userspace peer: random bytes,
# an oversized header, a truncated HELLO, a wrong key, a replayed and a
# tampered frame.  Node 2 closes each connection, counts it, and the
# cluster stays up.  The probe poses as node 99 from node 99's address.
set -e
om_cluster_up
if [[ $OM_NODE == 2 ]]; then
	# the kernel's reasons for closing each connection go to dmesg
	mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
	echo "module openmosix +p" >/sys/kernel/debug/dynamic_debug/control ||
		echo "# no dynamic debug: node 2's dmesg will not say why"
	# an identity for the probe that no real machine uses
	omctl node add 99 "$OM_NET.99"
fi
om_barrier probe-ready
if [[ $OM_NODE == 1 ]]; then
	t=$(om_addr 2)
	# node 2 binds node 99 to its address: the probe comes from there
	ip addr replace "$OM_NET.99/24" dev eth0
	export OMWIRE_SRC=$OM_NET.99
	om_expect "probe authenticates with the right key" om_probe_handshake "$t" /etc/openmosix/cluster.key
	omctl cluster key generate >/tmp/wrong.key
	om_expect "wrong key is refused" sh -c "! omwire-probe $t 4660 /tmp/wrong.key 99 handshake"
	om_expect "unknown node ID is refused" sh -c "! omwire-probe $t 4660 /etc/openmosix/cluster.key 98 handshake"
	for m in garbage bighdr truncated replay tamper; do
		om_expect "$m: connection closed" omwire-probe "$t" 4660 /etc/openmosix/cluster.key 99 "$m"
	done
	unset OMWIRE_SRC
	ip addr del "$OM_NET.99/24" dev eth0
	om_expect "random bytes x20" bash -c "for i in \$(seq 20); do head -c \$((RANDOM % 3000 + 1)) /dev/urandom | busybox nc -w 2 $t 4660 >/dev/null 2>&1; done; true"
fi
om_barrier probed
if [[ $OM_NODE == 2 ]]; then
	omctl -j status >"$OM_OUT/status.json"
	om_expect "bad frames counted" test "$(om_stat rx_bad_frame)" -ge 2
	om_expect "bad auth counted" test "$(om_stat rx_bad_auth)" -ge 2
	om_expect "replay counted" test "$(om_stat rx_replay)" -ge 1
	om_expect "handshake failures counted" test "$(om_stat handshake_fail)" -ge 1
fi
om_expect "cluster still all up" om_wait_for 10 om_nodes_up "$OM_NNODES"
om_barrier done
om_expect "modprobe -r" modprobe -r openmosix
