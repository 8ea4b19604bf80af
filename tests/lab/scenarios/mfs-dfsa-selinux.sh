# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# mfs-dfsa once more with SELinux as the major LSM and no policy loaded
# (security=selinux, as a distribution without AppArmor boots before its
# policy is in place).  SELinux then labels every task "kernel", which
# does not confine (Documentation/mfs.md, "Who gets a view"), so DFSA
# must serve the same calls as under AppArmor.  Which LSM runs is checked
# first: under another one this run would prove nothing.
# omlab-nodes: 3
# omlab-kernels: 6.12
# omlab-append: security=selinux
# omlab-timeout: 300
mountpoint -q /sys/kernel/security || mount -t securityfs none /sys/kernel/security
om_expect "SELinux is the major LSM" grep -qw selinux /sys/kernel/security/lsm
om_expect "AppArmor is not" sh -c '! grep -qw apparmor /sys/kernel/security/lsm'
om_expect "no policy: this shell's label is kernel" \
	test "$(tr -d '\0' </proc/self/attr/current)" = kernel
. "$OM_ROOT/tests/lab/scenarios/mfs-dfsa.sh"
