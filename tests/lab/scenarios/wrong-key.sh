# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The last node has the wrong cluster key: it never appears on the
# others, cannot connect, and the others' cluster is undisturbed; only
# their counters move.
set -e
intruder=$OM_NNODES
good=$((OM_NNODES - 1))
om_expect "modprobe" modprobe openmosix
om_shared_key
if [[ $OM_NODE == "$intruder" ]]; then
	omctl cluster key generate >/etc/openmosix/cluster.key
fi
omctl cluster key set /etc/openmosix/cluster.key
om_write_map "$good"
omctl map load
if [[ $OM_NODE == "$intruder" ]]; then
	# knows everyone and keeps trying, by discovery and directly
	omctl node add "$intruder" "$(om_addr "$intruder")"
	omdiscd >"$OM_OUT/omdiscd.log" 2>&1 &
	om_barrier wrongkey-checked
	om_expect "intruder sees nobody up" bash -c "! om_nodes_up 2"
	kill %1 || true
else
	omdiscd >"$OM_OUT/omdiscd.log" 2>&1 &
	om_expect "the $good good nodes are up" om_wait_for 60 om_nodes_up "$good"
	sleep 10
	om_expect "intruder never appears" om_json "all(n['id'] != $intruder for n in j)"
	om_expect "good nodes still up" om_nodes_up "$good"
	# refused at accept (not in the table) or at its HELLO (wrong key)
	om_expect "intruder's attempts were counted" bash -c \
		"test \$(( \$(om_stat handshake_fail) + \$(om_stat rx_bad_auth) + \$(om_stat unknown_peer) )) -gt 0"
	om_barrier wrongkey-checked
	kill %1 || true
fi
wait 2>/dev/null || true
om_barrier done
om_expect "modprobe -r" modprobe -r openmosix
