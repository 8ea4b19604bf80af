# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The lab itself: every node is up with its own name and address, sees
# the others on the bridge, and the barrier synchronizes all nodes.
set -e
om_expect "hostname is node$OM_NODE" test "$(hostname)" = "node$OM_NODE"
om_expect "own address configured" ip -4 addr show eth0 | grep -q "$(om_addr "$OM_NODE")/24"
for ((i = 1; i <= OM_NNODES; i++)); do
	om_expect "node$i reachable" om_wait_for 20 busybox ping -c1 -W1 "$(om_addr "$i")" >/dev/null
done
echo "$OM_NODE" >"/lab/results/lab-basic-seen-$OM_NODE"
om_barrier lab-basic-written
for ((i = 1; i <= OM_NNODES; i++)); do
	om_expect "node$i passed the barrier before us" test -f "/lab/results/lab-basic-seen-$i"
done
