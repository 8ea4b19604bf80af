# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# modprobe openmosix brings the whole suite up, self-tests pass, and
# modprobe -r openmosix removes all of it.
# omlab-solo: 3
set -e
om_expect "modprobe openmosix" modprobe openmosix
om_expect "openmosix loaded" grep -q "^openmosix " /proc/modules
om_expect "components registered" \
	test "$(sort /sys/kernel/openmosix/components | tr '\n' ' ')" = "core mfs migrate proc "
om_expect "self-tests run" sh -c 'echo 1 > /sys/kernel/openmosix/selftest'
om_expect "self-tests all pass" \
	test "$(cat /sys/kernel/openmosix/selftest)" = "passed 4 failed 0"
om_expect "/proc/hpc/version" grep -q '^openMosix-NG ' /proc/hpc/version
om_expect "mfs mounts" sh -c 'mkdir -p /mfs && mount -t mfs none /mfs'
om_expect "mfs in /proc/mounts" grep -q ' /mfs mfs ' /proc/mounts
om_expect "suite busy while mfs is mounted" sh -c '! modprobe -r openmosix 2>/dev/null'
om_expect "mfs unmounts" umount /mfs
om_expect "modprobe -r openmosix" modprobe -r openmosix
om_expect "openmosix unloaded" sh -c "! grep -q '^openmosix ' /proc/modules"
om_expect "mount -t mfs autoloads the suite" sh -c 'mount -t mfs none /mfs && umount /mfs && modprobe -r openmosix'
om_expect "sysfs dir gone" test ! -e /sys/kernel/openmosix
om_expect "/proc/hpc gone" test ! -e /proc/hpc
