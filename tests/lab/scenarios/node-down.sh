# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The last node goes silent (link down, as a power cut: no FIN, no BYE):
# the others show it down within hb_timeout_ms; it "reboots" (module
# reloaded, config reapplied) and is back up.
set -e
last=$OM_NNODES
om_expect "modprobe" modprobe openmosix
echo 500 >/sys/kernel/openmosix/gossip_interval_ms
echo 3000 >/sys/kernel/openmosix/hb_timeout_ms
echo 1000 >/sys/kernel/openmosix/hb_interval_ms
om_cluster_join
if [[ $OM_NODE == "$last" ]]; then
	ip link set eth0 down
	om_barrier link-down
	om_barrier seen-down
	modprobe -r openmosix
	ip link set eth0 up
	modprobe openmosix
	omctl cluster key set /etc/openmosix/cluster.key
	omctl map load
	om_expect "back: all up again" om_wait_for 60 om_nodes_up "$OM_NNODES"
	om_barrier seen-up
else
	om_barrier link-down
	start=$SECONDS
	om_expect "node $last down within the 3 s timeout (+2 s slack)" \
		om_wait_for 5 bash -c "test \$(om_node_state $last) = down"
	echo "# node $last seen down after $((SECONDS - start)) s"
	om_expect "other nodes still up" om_nodes_up $((OM_NNODES - 1))
	om_barrier seen-down
	om_expect "node $last back up within 60 s" om_wait_for 60 bash -c "test \$(om_node_state $last) = up"
	om_barrier seen-up
fi
om_barrier done
om_expect "modprobe -r" modprobe -r openmosix
