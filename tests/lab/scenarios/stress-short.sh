# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The stress test (issue 11), short form: with the balancer on everywhere,
# node 1 of 3 runs "omstress --short" as root (its jobs run as nobody):
# keygen copies, one per CPU of the cluster, an eatmem copy, a fork storm,
# a program moved between the nodes every 1 s for 15 s and at least
# twice (a hop takes several seconds on the loaded guests, up to 26 s
# seen), and the checkpoint
# test programs checkpointed, restored and moved mid-run (omstress(1),
# Documentation/stress-test.md).  Shown: omstress exits 0 and its JSON
# report says every component (keygen, eatmem, forkit, mover, ckpt)
# started, finished and verified its results bit for bit; one keygen copy
# ran per CPU; the mover hopped and processes ran away from home; no
# process of the run is left on node 1 and no guest on the others.  The
# text report is shown.  Aimed at under 90 s of guest time.
# (stress-soak runs the full form, under make soak.)
# make check runs it on 6.12 only (its code is the same on both kernels;
# the 60-minute budget): omlab -k 6.1 run stress-short runs it on 6.1.
# omlab-kernels: 6.12
# omlab-nodes: 3
# omlab-timeout: 300
set -e
W=/tmp/stress-short
STRESS_WAIT=600
# a program moved every 1 s (aim: under 90 s of guest time)
STRESS_ARGS=(--short --interval 1)
STRESS_TIMEOUT=120		# --short's own default
stress_checks() {
	check "the checkpoint programs were restored and moved" \
		"'restored' in c['ckpt']['detail'] and c['ckpt']['hops'] >= 2"
}
. "$OM_ROOT/tests/lab/stress-common.sh"
