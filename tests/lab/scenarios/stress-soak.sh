# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The stress test (issue 11), full form, as a soak (make soak, not make
# check): with the balancer on everywhere, node 1 of 3 runs "omstress
# --duration OM_SOAK_STRESS_SECS" (default 300) as root, its jobs as
# nobody: keygen copies, one per CPU of the cluster, an eatmem copy per
# node, a fork storm, a program moved every 5 s, and the checkpoint test
# programs checkpointed, restored and moved (ckpt_prog compute, fpu and
# heap, mig_prog mem).  Shown, as in stress-short: omstress exits 0, every
# component verified, processes ran away from home, nothing left behind.
# omlab-bench-only
# omlab-nodes: 3
# omlab-timeout: 2400
set -e
W=/tmp/stress-soak
STRESS_WAIT=2400
STRESS_ARGS=(--duration "${OM_SOAK_STRESS_SECS:-300}")
stress_checks() {
	check "the checkpoint programs were restored and moved (compute, fpu, heap, mig_prog mem)" \
		"'restored' in c['ckpt']['detail'] and 'heap: moved' in c['ckpt']['detail'] and 'mig_prog mem' in c['ckpt']['detail'] and c['ckpt']['hops'] >= 6"
	check "an eatmem copy per node" "c['eatmem']['processes'] == 3"
}
. "$OM_ROOT/tests/lab/stress-common.sh"
