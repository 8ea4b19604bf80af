# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# wire_mode: private by default and root's to change.  With integrity on
# every node the cluster forms and frame bodies cross in clear (a probe
# posing as node 99 reads node 2's load gossip: the body opened by the MAC
# is the very bytes that came), still authenticated (a tampered or
# replayed frame costs the probe its connection), and a probe posing as
# node 98 with an older version's integrity mode (BLAKE2b tags, announced
# as another mode) is refused and named in node 2's log.  Node 3 back in private
# mode is refused by the others and refuses them: it stays down and both
# sides' kernel logs name the peer and both modes.  Back to private on
# every node, the cluster forms again and bodies are encrypted.
# omlab-nodes: 3
# omlab-timeout: 600
set -e
S=/sys/kernel/openmosix
last=$OM_NNODES
key=/etc/openmosix/cluster.key
# probe_as_99 MODE...: omwire-probe against node 2 as node 99 from node 99's
# address (node 2 binds node 99 to it); probe_as_98 likewise
probe_as_99() {
	OMWIRE_SRC=$OM_NET.99 omwire-probe "$(om_addr 2)" 4660 "$key" 99 "$@"
}
probe_as_98() {
	OMWIRE_SRC=$OM_NET.98 omwire-probe "$(om_addr 2)" 4660 "$key" 98 "$@"
}
# mismatch_logged ID MODE MINE: this node's kernel said so about node ID
# since the last dmesg_mark (the lab boots once for all scenarios)
dmesg_mark() { mark=$(dmesg | wc -l); }
mismatch_logged() {
	dmesg | tail -n +$((mark + 1)) |
		grep -qF "node $1 ($(om_addr "$1")) uses wire_mode $2, this node $3: not connected"
}
export -f probe_as_99 probe_as_98
export key
rejoin() {
	omctl cluster key set "$key"
	omctl map load
}

om_expect "modprobe" modprobe openmosix
om_expect "wire_mode private by default" test "$(cat $S/wire_mode)" = private
om_expect "unprivileged cannot set wire_mode" sh -c \
	"! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo integrity > $S/wire_mode' 2>/dev/null && test \$(cat $S/wire_mode) = private"
om_expect "wire_mode=bogus refused" sh -c "! echo bogus > $S/wire_mode 2>/dev/null"
om_expect "wire_mode=1 refused (names only)" sh -c "! echo 1 > $S/wire_mode 2>/dev/null"
om_expect "still private after the refusals" test "$(cat $S/wire_mode)" = private
om_expect "self-tests pass (the kernel's ChaCha20 and Poly1305 = RFC 8439's vectors)" \
	sh -c "echo 1 > $S/selftest && grep -q 'failed 0' $S/selftest"

# --- 1: integrity everywhere, set before the key (as openmosix-start does)
om_expect "wire_mode integrity accepted" sh -c "echo integrity > $S/wire_mode && test \$(cat $S/wire_mode) = integrity"
# a module the suite uses, unless the kernel has Poly1305 built in
om_expect "openmosix uses a Poly1305 module (or the kernel's own)" sh -c \
	"grep -Eq '^(poly1305_x86_64|libpoly1305) [0-9]+ [0-9]+ .*openmosix' /proc/modules || ! grep -q poly1305 /proc/modules"
echo 500 >$S/gossip_interval_ms
om_cluster_join
if [[ $OM_NODE == 2 ]]; then
	omctl node add 99 "$OM_NET.99"
	omctl node add 98 "$OM_NET.98"
fi
dmesg_mark
om_barrier probe-ready
if [[ $OM_NODE == 1 ]]; then
	ip addr replace "$OM_NET.99/24" dev eth0
	ip addr replace "$OM_NET.98/24" dev eth0
	om_expect "a private probe is refused by an integrity node" bash -c "! probe_as_99 handshake"
	om_expect "an older version's integrity probe (BLAKE2b) is refused" bash -c \
		"! OMWIRE_WIRE_MODE=integrity-blake2b probe_as_98 handshake"
	ip addr del "$OM_NET.98/24" dev eth0
	om_expect "integrity probe authenticates" bash -c \
		"for i in 1 2 3; do OMWIRE_WIRE_MODE=integrity probe_as_99 handshake && exit 0; sleep 1; done; exit 1"
	om_expect "integrity: node 2's gossip body crosses in clear" bash -c \
		"OMWIRE_WIRE_MODE=integrity probe_as_99 cleartext 30 | tee /dev/stderr | grep -q 'body in clear'"
	for m in tamper replay; do
		om_expect "integrity: $m: connection closed" env OMWIRE_WIRE_MODE=integrity \
			bash -c "probe_as_99 $m"
	done
	ip addr del "$OM_NET.99/24" dev eth0
fi
om_barrier probed
if [[ $OM_NODE == 2 ]]; then
	om_expect "the private probe's mode was logged" om_wait_for 10 mismatch_logged 99 private integrity
	om_expect "the older integrity probe's mode was logged" om_wait_for 10 mismatch_logged 98 integrity-blake2b integrity
	om_expect "the tampered frame counted" test "$(om_stat rx_bad_auth)" -ge 1
	om_expect "the replay counted" test "$(om_stat rx_replay)" -ge 1
	omctl node del 99 2>/dev/null || true
	omctl node del 98 2>/dev/null || true
fi
om_expect "integrity cluster still all up" om_wait_for 20 om_nodes_up "$OM_NNODES"
om_barrier integrity-done

# --- 2: the last node back to private (a reload: its connections go)
dmesg_mark
if [[ $OM_NODE == "$last" ]]; then
	modprobe -r openmosix
	modprobe openmosix
	om_expect "private again after the reload" test "$(cat $S/wire_mode)" = private
	rejoin
	om_barrier mismatched
	for i in $(seq 1 $((last - 1))); do
		om_expect "node $i's mode logged here" om_wait_for 30 mismatch_logged "$i" integrity private
	done
	om_expect "nobody up for the private node for 10 s" om_never 10 om_nodes_up 2
	om_barrier mismatch-checked
else
	om_barrier mismatched
	om_expect "node $last down" om_wait_for 30 bash -c "test \$(om_node_state $last) != up"
	om_expect "node $last's mode logged here" om_wait_for 30 mismatch_logged "$last" private integrity
	om_expect "node $last stays down for 10 s" om_never 10 bash -c "test \$(om_node_state $last) = up"
	om_expect "the integrity nodes still up" om_nodes_up $((OM_NNODES - 1))
	om_barrier mismatch-checked
fi

# --- 3: private everywhere again
if [[ $OM_NODE != "$last" ]]; then
	modprobe -r openmosix
	modprobe openmosix
	om_expect "private again after the reload" test "$(cat $S/wire_mode)" = private
	rejoin
fi
om_expect "private cluster all up again" om_wait_for 60 om_nodes_up "$OM_NNODES"
if [[ $OM_NODE == 2 ]]; then
	omctl node add 99 "$OM_NET.99"
fi
om_barrier private-ready
if [[ $OM_NODE == 1 ]]; then
	ip addr replace "$OM_NET.99/24" dev eth0
	om_expect "private: node 2's gossip body is encrypted" bash -c \
		"probe_as_99 cleartext 30 | tee /dev/stderr | grep -q 'body encrypted'"
	ip addr del "$OM_NET.99/24" dev eth0
fi
om_barrier done
om_expect "modprobe -r" modprobe -r openmosix
