#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# ckpt_loop.sh OUT [ROUNDS]: a deterministic bash counter loop for the
# checkpoint/restore scenarios (builtins only, bash reads this script
# through fd 255 at an offset).  Writes OUT.ready (the pid), a progress
# line per round on stdout = OUT.log, the compute time in ms to OUT.ms,
# then the result to OUT with mv: a restored shell must fork, exec and
# wait.
out=$1
rounds=${2:-10}
exec >"$out.log"
echo $$ >"$out.ready"
t0=${EPOCHREALTIME/./}
s=7
for ((r = 0; r < rounds; r++)); do
	for ((i = 0; i < 2000; i++)); do
		((s = (s * 31 + i + r) % 1000003))
	done
	echo "round $r $s"
done
t1=${EPOCHREALTIME/./}
echo $(((t1 - t0) / 1000)) >"$out.ms"
echo "bash rounds=$rounds s=$s" >"$out.tmp"
mv "$out.tmp" "$out"
