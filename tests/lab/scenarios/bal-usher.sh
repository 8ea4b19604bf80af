# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Memory ushering (issue 11), the balancer on everywhere: node 1 runs a
# 48 MiB process that checks its memory a word a page ten times a second
# (mig_prog mem: little CPU, so load balancing leaves it alone), then a
# locked hog takes node 1's free memory below the ushering threshold
# (10 % of its memory).  Shown: node 1 moves the memory process away with
# an "usher:" reason although the loads do not ask for it, free memory
# on node 1 is back above the threshold, the hog stayed, nothing was
# OOM-killed on any node, the deputy at home gave the process's memory
# back, and the moved process finds every word of its memory intact.
# omlab-nodes: 3
# omlab-timeout: 600
set -e
W=/tmp/bal-usher
K=/sys/kernel/openmosix
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up
echo 1 >$K/balance
om_barrier bal-on

no_oom() { ! dmesg | grep -Eq 'invoked oom-killer|Out of memory|oom_reaper'; }

if [[ $OM_NODE != 1 ]]; then
	om_barrier usher-done 480
	om_expect "nothing OOM-killed here" no_oom
	echo 0 >$K/balance
	om_unload 60
	exit 0
fi

# the kernel's "free" for the cluster is MemAvailable (om_info.c)
memfree_kib() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
total=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
thr=$((total / 10))
((thr > 16384)) || thr=16384

# the process to usher: 48 MiB, rounds 0.1 s apart until $W/stop
# exists (at most 90 s or more of them)
mig_prog mem 48 900 "$W/stop" >"$W/mem.out" 2>&1 &
mp=$!
om_expect "the memory process filled its memory" om_wait_for 60 grep -q "^round 1 ok" "$W/mem.out"
om_nap 6	# two balancer samples of it
om_expect "still home before the squeeze" test "$(om_where "$mp")" = 1

# the hog: locked from its first instruction (nomig), sized to leave
# node 1 16 MiB under the threshold (deeper, a TCG guest stalls in
# reclaim long enough for its peers to call it down)
free=$(memfree_kib)
hog_mib=$(((free - thr + 16384) / 1024))
echo "# MemTotal $((total / 1024)) MiB, threshold $((thr / 1024)) MiB, free $((free / 1024)) MiB: hog of $hog_mib MiB"
om_expect "room for a hog" test "$hog_mib" -gt 0
omctl run --lock -- mig_prog mem "$hog_mib" 1200 >"$W/hog.out" 2>&1 &
hog=$!
om_expect "the hog filled its memory" om_wait_for 120 grep -q "^round 1 ok" "$W/hog.out"
echo "# free with the hog: $(($(memfree_kib) / 1024)) MiB"

om_expect "the memory process is ushered away" om_wait_for 60 \
	bash -c "[[ \$(om_where $mp) == [23] ]]"
dmesg | grep 'balance:' | sed 's/^/#   /' | tail -n 6 || true
om_expect "with an usher reason" sh -c "dmesg | grep -q 'balance: process $mp moved to node [23] (usher:'"
# what the usher must give back at home is the process's memory: its
# deputy keeps under a quarter of the 48 MiB.  (Not MemAvailable above
# the threshold: on 6.1 it stayed ~60 MiB under MemFree for more than 30 s
# after the squeeze, the deputy's memory given back: reserves, likely
# boosted watermarks, which MemAvailable subtracts.)
rss_anon() { awk '/^RssAnon:/ { print $2 }' "/proc/$mp/status"; }
if ! om_wait_for 30 bash -c "(( \$(awk '/^RssAnon:/ { print \$2 }' /proc/$mp/status) * 4 < 48 * 1024 ))"; then
	grep -E '^(VmRSS|RssAnon|RssFile|RssShmem):' "/proc/$mp/status" | sed 's/^/#   deputy /'
	om_expect "the deputy gave its memory back (RssAnon under 12 MiB)" false
fi
echo "ok - the deputy gave its memory back (RssAnon $(rss_anon) kB)"
grep -E '^(MemFree|MemAvailable):' /proc/meminfo | sed 's/^/#   /'
om_expect "the locked hog stayed" test "$(om_where "$hog")" = 1
kill -TERM "$hog"
wait "$hog" 2>/dev/null || true
touch "$W/stop"
rc=0
wait "$mp" || rc=$?
om_expect "the moved process ends normally (exit 6, got $rc)" test "$rc" = 6
om_expect "every word of its memory intact" grep -qx "done 48 ok" "$W/mem.out"
om_expect "nothing OOM-killed here" no_oom
om_barrier usher-done
echo 0 >$K/balance
om_unload 60
