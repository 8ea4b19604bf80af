# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# 20 load/unload cycles of the whole suite, with self-tests each time.
# omlab-solo: 17
set -e
for ((i = 1; i <= 20; i++)); do
	modprobe openmosix selftest=1 || om_fail "cycle $i: modprobe"
	echo 1 >/sys/kernel/openmosix/selftest || om_fail "cycle $i: self-tests"
	modprobe -r openmosix || om_fail "cycle $i: modprobe -r"
	if grep -q '^openmosix ' /proc/modules; then om_fail "cycle $i: module left loaded"; fi
done
echo "ok - 20 load/unload cycles"
