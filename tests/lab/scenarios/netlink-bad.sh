# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Malformed, oversized, wrong-typed and unprivileged netlink requests fail
# with the right errno and change nothing; a bad map file is refused with
# its line number and nothing half-applied.
# omlab-solo: 5
set -e
om_expect "modprobe" modprobe openmosix
om_write_map
omctl map load
before=$(omctl -j node list)
/usr/bin/python3 "$OM_ROOT/tests/tools/nlbad.py"
printf '1 %s.1 2\n# comment\n3 %s.3 1\n4 not-an-address 1\n' "$OM_NET" "$OM_NET" >/tmp/bad.map
set +e
out=$(omctl map load /tmp/bad.map 2>&1)
rc=$?
set -e
echo "$out"
om_expect "bad map: exit 1" test "$rc" = 1
om_expect "bad map: message names line 4" sh -c "echo '$out' | grep -q ':4:'"
om_expect "bad map: nothing applied" test "$(omctl -j node list)" = "$before"
printf '1 %s.1 3\n2 %s.9 1\n' "$OM_NET" "$OM_NET" >/tmp/overlap.map
om_expect "overlapping map refused" sh -c "! omctl map load /tmp/overlap.map"
om_expect "nothing applied" test "$(omctl -j node list)" = "$before"
om_expect "unprivileged omctl node add: exit 2" sh -c \
	"setpriv --reuid=65534 --regid=65534 --clear-groups omctl node add 77 $OM_NET.77; test \$? = 2"
om_expect "modprobe -r" modprobe -r openmosix
