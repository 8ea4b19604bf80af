# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Expected to FAIL (xfail-): loads a test module that triggers a WARN,
# proving that the lab catches kernel warnings even when the scenario
# itself exits 0.
insmod "$OM_BUILD/$(uname -r)/testmod/om_lab_warn.ko"
rmmod om_lab_warn
exit 0
