# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Module parameters and sysfs knobs: present, documented, validated.
set -e
S=/sys/kernel/openmosix
om_expect "bad parameter refused" sh -c '! modprobe openmosix node_id=70000 2>/dev/null'
om_expect "nothing left after refusal" sh -c '! grep -q "^openmosix " /proc/modules'
om_expect "ghost_limit over 32 MiB refused" sh -c '! modprobe openmosix ghost_limit=33554433 2>/dev/null'
om_expect "nothing left after that refusal" sh -c '! grep -q "^openmosix " /proc/modules'
om_expect "modprobe with parameters" modprobe openmosix node_id=$((100 + OM_NODE)) port=4700 ghost_limit=2097152
om_expect "ghost_limit knob from parameter" test "$(cat $S/ghost_limit)" = 2097152
om_expect "parameters visible" test "$(cat /sys/module/openmosix/parameters/node_id)" = $((100 + OM_NODE))
om_expect "node_id knob from parameter" test "$(cat $S/node_id)" = $((100 + OM_NODE))
om_expect "port knob from parameter" test "$(cat $S/port)" = 4700
for k in node_id port speed hb_interval_ms hb_timeout_ms gossip_interval_ms \
	gossip_fanout balance balance_interval_ms load_limit disclosure ghost_limit mfs_root mfs_timeout_ms \
	mfs_promise_ms dfsa_paths fwd_poll_us wire_mode version dfsa_calls fwd_calls dfsa_fallbacks mfs_calls mfs_watches \
	mfs_ra_hits mfs_ra_drops mig_streamed; do
	om_expect "knob $k present" test -r "$S/$k"
	om_expect "knob $k documented" grep -q "^What:.*/sys/kernel/openmosix/$k\$" \
		"$OM_ROOT/Documentation/ABI/testing/sysfs-kernel-openmosix"
done
# fwd_timing and the stages it fills (mig-basic times real calls)
FTS=(guest_send guest_wait guest_recv guest_ret guest_total dep_prep dep_call dep_reply dep_total)
for k in fwd_timing "${FTS[@]/#/fwd_stages/}" fwd_stages/frames_claimed fwd_stages/frames_thread fwd_stages/waits_polled; do
	om_expect "$k present" test -r "$S/$k"
	om_expect "$k documented" grep -q "^What:.*/sys/kernel/openmosix/$k\$" \
		"$OM_ROOT/Documentation/ABI/testing/sysfs-kernel-openmosix"
done
# invalid writes: -EINVAL and the value unchanged
bad() {
	local k=$1 v=$2 before
	before=$(cat "$S/$k")
	if echo "$v" >"$S/$k" 2>/dev/null; then return 1; fi
	test "$(cat "$S/$k")" = "$before"
}
om_expect "disclosure=4 refused" bad disclosure 4
om_expect "disclosure=abc refused" bad disclosure abc
om_expect "port=0 refused" bad port 0
om_expect "port=65536 refused" bad port 65536
om_expect "node_id=-1 refused" bad node_id -1
om_expect "balance=2 refused" bad balance 2
om_expect "mfs_root=2 refused" bad mfs_root 2
om_expect "mfs_root 0 by default (root squashed)" test "$(cat $S/mfs_root)" = 0
om_expect "mfs_timeout_ms 30000 by default" test "$(cat $S/mfs_timeout_ms)" = 30000
om_expect "mfs_timeout_ms=999 refused" bad mfs_timeout_ms 999
om_expect "mfs_timeout_ms=600001 refused" bad mfs_timeout_ms 600001
om_expect "mfs_promise_ms 30000 by default" test "$(cat $S/mfs_promise_ms)" = 30000
om_expect "mfs_promise_ms=60001 refused" bad mfs_promise_ms 60001
om_expect "dfsa_paths 1 by default" test "$(cat $S/dfsa_paths)" = 1
om_expect "dfsa_paths=2 refused" bad dfsa_paths 2
om_expect "ghost_limit=33554433 refused" bad ghost_limit 33554433
om_expect "fwd_poll_us 0 by default" test "$(cat $S/fwd_poll_us)" = 0
om_expect "fwd_poll_us=1001 refused" bad fwd_poll_us 1001
om_expect "fwd_poll_us 0 and 1000 accepted" sh -c "echo 0 > $S/fwd_poll_us && test \$(cat $S/fwd_poll_us) = 0 && echo 1000 > $S/fwd_poll_us && test \$(cat $S/fwd_poll_us) = 1000 && echo 0 > $S/fwd_poll_us"
om_expect "wire_mode private by default" test "$(cat $S/wire_mode)" = private
om_expect "wire_mode=encrypted refused" bad wire_mode encrypted
om_expect "wire_mode=0 refused (by name only)" bad wire_mode 0
om_expect "fwd_timing 0 by default" test "$(cat $S/fwd_timing)" = 0
om_expect "fwd_timing=2 refused" bad fwd_timing 2
for k in "${FTS[@]}"; do
	om_expect "fwd_stages/$k is read-only" sh -c "! echo 1 2>/dev/null > $S/fwd_stages/$k"
	om_expect "fwd_stages/$k is 0 calls, 0 ns, 0 ns with nothing timed" test "$(cat "$S/fwd_stages/$k")" = "0 0 0"
done
om_expect "fwd_timing 1 and 0 accepted" sh -c "echo 1 > $S/fwd_timing && test \$(cat $S/fwd_timing) = 1 && echo 0 > $S/fwd_timing && test \$(cat $S/fwd_timing) = 0"
om_expect "hb_timeout < 2 x interval refused" bad hb_timeout_ms 1500
om_expect "empty write refused" bad speed ""
om_expect "version is read-only" sh -c "! echo 1 > $S/version 2>/dev/null"
for k in dfsa_calls fwd_calls dfsa_fallbacks mig_streamed; do
	om_expect "$k is read-only" sh -c "! echo 1 2>/dev/null > $S/$k"
	om_expect "$k is a count, 0 with no guest yet" test "$(cat $S/$k)" = 0
done
om_expect "disclosure=3 accepted" sh -c "echo 3 > $S/disclosure && test \$(cat $S/disclosure) = 3"
om_expect "hb interval/timeout pair accepted" sh -c "echo 10000 > $S/hb_timeout_ms && echo 2000 > $S/hb_interval_ms"
om_expect "unprivileged write refused" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo 2 > $S/disclosure' 2>/dev/null"
om_expect "unprivileged cannot run self-tests" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo 1 > $S/selftest' 2>/dev/null"
om_expect "unprivileged cannot set fwd_poll_us" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo 1000 > $S/fwd_poll_us' 2>/dev/null && test \$(cat $S/fwd_poll_us) = 0"
om_expect "unprivileged cannot set wire_mode" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo integrity > $S/wire_mode' 2>/dev/null && test \$(cat $S/wire_mode) = private"
om_expect "unprivileged cannot turn fwd_timing on" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo 1 > $S/fwd_timing' 2>/dev/null && test \$(cat $S/fwd_timing) = 0"
om_expect "modprobe -r" modprobe -r openmosix
