# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The module DKMS built and installed on the host (make check's dkms stage
# leaves it installed until the lab has run) loads, passes its self-tests
# and unloads in the guest.
# omlab-solo: 2
set -e
ko=$(ls /var/lib/omlab/openmosix.ko* 2>/dev/null | head -1)
if [[ -z $ko ]]; then
	echo "ok - # SKIP no DKMS-installed openmosix for $(uname -r) on the host"
	exit 0
fi
if [[ $ko == *.xz ]]; then
	xz -dc "$ko" >/tmp/openmosix.ko
	ko=/tmp/openmosix.ko
fi
om_expect "DKMS module is for this kernel" sh -c "modinfo -F vermagic $ko | grep -q '^$(uname -r) '"
# insmod resolves nothing: the modules it needs first (the kernel's
# Poly1305 for integrity mode), as modprobe would load them
deps=$(modinfo -F depends "$ko")
om_expect "its dependencies load (${deps:-none})" sh -c "for m in \$(echo '$deps' | tr , ' '); do modprobe \$m || exit 1; done"
om_expect "insmod the DKMS module" insmod "$ko" selftest=1
om_expect "self-tests pass" sh -c 'echo 1 > /sys/kernel/openmosix/selftest'
om_expect "rmmod" rmmod openmosix
