# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Migration with bad input and failures (issue 10).
# 1. Node 1 runs omwire-probe as node 99, a key holder that offers
#    processes to node 2 and misbehaves (tests/tools/omwire-mig.c):
#    session attacks, every type 0x40-0x4e fuzzed, idle sessions, IMG
#    chunks past the offer, a truncated real image, PREPARE and the
#    pages after it out of order, oversize, wrong-named or stopping.  Node 2 answers each
#    as it must, stays up, and is left with no guest, no keeper, no
#    module reference and no tmpfs memory of them.
# 2. A short-lived process migrated at different moments of its life:
#    success or a clean error, never a hang, its parent gets its status.
# 3. nobody cannot migrate root's process: refused with the reason.
# 4. Node 2's link goes down while 64 MiB arrive: the migration fails
#    with a reason, the process goes on at home and ends with its output.
# 5. Node 3 blocks node 1, is down, has another cluster key: each
#    migration to it is refused and the process keeps running at home.
# omlab-nodes: 3
# omlab-timeout: 900
set -e
((OM_NNODES >= 3)) || om_fail "mig-bad needs 3 nodes (it has $OM_NNODES)"
W=/tmp/mig-bad
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up

# keepers: running "omctl guest ID" processes (no fork per process)
keepers() {
	local f a n=0
	for f in /proc/[0-9]*/cmdline; do
		mapfile -d '' -t a <"$f" 2>/dev/null || continue
		[[ ${a[0]:-} == *omctl && ${a[1]:-} == guest ]] && n=$((n + 1))
	done
	echo "$n"
}
refcnt() { cat /sys/module/openmosix/refcnt; }
# for om_wait_for: evaluated on each try
no_keepers() { test "$(keepers)" = 0; }
refcnt_is() { test "$(refcnt)" = "$1"; }
# shmem: tmpfs memory in kB into $SHM (no fork: node 2 polls it while
# node 1 works); the images being received are in tmpfs
shmem() {
	local k v
	while read -r k v _; do
		[[ $k == Shmem: ]] && { SHM=$v; return; }
	done </proc/meminfo
}
# rc_of CMD...: run it, its exit status in $rc (set -e stays quiet)
rc_of() { rc=0; "$@" || rc=$?; }
# at_home PID: it runs, at home
at_home() { kill -0 "$1" && test "$(om_where "$1")" = 1; }
node3_is() { test "$(om_node_state 3)" = "$1"; }

P=/etc/openmosix/cluster.key
om_barrier up
# --- 1. the probe against node 2
if [[ $OM_NODE == 2 ]]; then
	# an identity for the probe that no real machine uses
	omctl node add 99 "$OM_NET.99"
	# idle arriving images are given up after 8 s (60 by default)
	idle0=$(cat /sys/module/openmosix/parameters/mig_rx_idle)
	echo 8 >/sys/module/openmosix/parameters/mig_rx_idle
	base_ref=$(refcnt)
	shmem
	base_shm=$SHM
	echo "# baseline: refcnt $base_ref, Shmem $base_shm kB"
fi
om_barrier probe-ready
if [[ $OM_NODE == 1 ]]; then
	t=$(om_addr 2)
	# a real image to cut in half, of a process of root's
	setsid mig_prog sig </dev/null >/dev/null 2>&1 &
	pid=$!
	om_nap 0.5
	om_expect "a checkpoint to truncate" omctl checkpoint "$pid" "$W/img" --leave-running
	kill -TERM "$pid"
	wait "$pid" || true
	ip addr replace "$OM_NET.99/24" dev eth0
	export OMWIRE_SRC=$OM_NET.99
	om_expect "probe authenticates" om_probe_handshake "$t" $P
	om_expect "probe: session attacks answered as they must" omwire-probe "$t" 4660 "$P" 99 mig-session
	om_expect "probe: every migration type fuzzed" omwire-probe "$t" 4660 "$P" 99 mig-fuzz 48
	om_expect "probe: idle sessions given up (mig_rx_idle)" omwire-probe "$t" 4660 "$P" 99 mig-hold 60
	om_expect "probe: IMG past the offer aborted" omwire-probe "$t" 4660 "$P" 99 mig-overflow
	om_expect "probe: a truncated real image fails to restore" \
		omwire-probe "$t" 4660 "$P" 99 mig-image "$W/img"
	# pages as they come (PREPARE): each bad stream ends its session and
	# the half-built process (node 2's checks below: no guest, keeper,
	# Shmem or module reference left)
	om_expect "probe: PREPARE attacks end their sessions" \
		omwire-probe "$t" 4660 "$P" 99 mig-prep "$W/img"
	unset OMWIRE_SRC
	ip addr del "$OM_NET.99/24" dev eth0
fi
om_barrier probed 900
if [[ $OM_NODE == 2 ]]; then
	echo "$idle0" >/sys/module/openmosix/parameters/mig_rx_idle
	om_expect "no guest after the probe" om_wait_for 30 om_no_guests
	om_expect "no keeper left" om_wait_for 90 no_keepers
	# node 99 goes down when the probe is gone: its sessions end too
	if ! om_wait_for 60 refcnt_is "$base_ref"; then
		echo "# refcnt $(refcnt), was $base_ref"
		om_expect "module references back to the baseline" false
	fi
	echo "ok - module references back to the baseline ($base_ref)"
	shmem
	echo "# Shmem $SHM kB, was $base_shm kB"
	om_expect "the images' tmpfs memory is freed" test "$SHM" -lt $((base_shm + 16384))
	omctl -j status >"$OM_OUT/status-after-probe.json"
fi
om_expect "cluster still all up" om_wait_for 30 om_nodes_up "$OM_NNODES"
om_barrier checked 600

# --- 2. a process that exits while it is being migrated
if [[ $OM_NODE == 1 ]]; then
	i=0
	for d in 0 0.05 0.1 0.2 0.3 0.5 0.8 1.2; do
		i=$((i + 1))
		mig_prog mem 2 4 >"$W/short.$i" 2>&1 </dev/null &
		pid=$!
		om_nap "$d"
		rc_of timeout 120 omctl proc migrate "$pid" 2 --wait >"$W/short.$i.mig" 2>&1
		echo "# after ${d}s: rc $rc: $(cat "$W/short.$i.mig")"
		om_expect "exits mid-way ($d s): success or a clean error, no hang" \
			test "$rc" = 0 -o "$rc" -lt 124 -a -s "$W/short.$i.mig"
		rc_of wait "$pid"
		om_expect "exits mid-way ($d s): its parent gets status 6" \
			sh -c "test $rc = 6 && grep -q '^done 2 ok' $W/short.$i"
	done

	# --- 3. nobody may not move root's process
	mig_prog sig >/dev/null 2>&1 </dev/null &
	pid=$!
	om_nap 0.5
	rc_of setpriv --reuid=65534 --regid=65534 --clear-groups \
		omctl proc migrate "$pid" 2 --wait 2>"$W/nobody.err"
	cat "$W/nobody.err"
	om_expect "nobody migrating root's process: refused" test "$rc" != 0
	om_expect "with a permission reason" grep -qi "permission denied" "$W/nobody.err"
	om_expect "the process stays at home" test "$(om_where "$pid")" = 1
	kill -TERM "$pid"
	rc_of wait "$pid"
	om_expect "and ends normally (43)" test "$rc" = 43
fi
om_barrier short-done 600

# --- 4. the target's link goes down during the transfer
if [[ $OM_NODE == 1 ]]; then
	mig_prog mem 64 300 >"$W/big.out" 2>&1 </dev/null &
	pid=$!
	om_expect "64 MiB filled" om_wait_for 60 grep -q "^round 0 ok" "$W/big.out"
	echo "$pid" >"$W/big.pid"
	om_barrier big-ready
	rc_of timeout 300 omctl proc migrate "$pid" 2 --wait >"$W/big.mig" 2>&1
	cat "$W/big.mig"
	om_expect "link down mid-transfer: the migration fails" test "$rc" != 0 -a "$rc" != 124
	om_expect "with a reason" grep -q "cannot migrate" "$W/big.mig"
	om_expect "the process runs at home" at_home "$pid"
	om_barrier link-back 300
	rc_of wait "$pid"
	tail -n 3 "$W/big.out"
	om_expect "it ends with status 6 and every word intact" \
		sh -c "test $rc = 6 && grep -q '^done 64 ok' $W/big.out && ! grep -q CORRUPT $W/big.out"
elif [[ $OM_NODE == 2 ]]; then
	shmem
	shm0=$SHM
	om_barrier big-ready
	# the image arrives into tmpfs: 4 MiB of it and the link goes; with
	# pages streaming the keeper starts at PREPARE and the 64 MiB of page
	# data come after it: the link goes then
	seen=
	for ((k = 0; k < 600; k++)); do
		shmem
		if ((SHM > shm0 + 4096)) || [[ $(keepers) != 0 ]]; then
			seen=1
			break
		fi
		om_nap 0.1
	done
	if [[ -n $seen ]]; then
		echo "# $((SHM - shm0)) kB in tmpfs, $(keepers) keeper(s): eth0 down"
		ip link set eth0 down
		# longer than hb_timeout_ms (5 s): both ends give the session up
		om_nap 10
		ip link set eth0 up
	else
		echo "# the transfer was not seen in 60 s: the link stays up"
	fi
	om_barrier link-back 300
	om_expect "the transfer was seen (Shmem grew)" test -n "$seen"
	om_expect "no guest after the cut" om_wait_for 30 om_no_guests
	om_expect "no keeper after the cut" om_wait_for 30 no_keepers
else
	om_barrier big-ready
	om_barrier link-back 300
fi
om_expect "all up again" om_wait_for 60 om_nodes_up "$OM_NNODES"
om_barrier big-done

# --- 5. node 3 blocks node 1, is down, has another key
if [[ $OM_NODE == 1 ]]; then
	mig_prog sig >/dev/null 2>&1 </dev/null &
	pid=$!
	refused() {
		rc_of timeout 120 omctl proc migrate "$pid" 3 --wait 2>"$W/n3.err"
		cat "$W/n3.err"
		om_expect "migration to node 3 $1: refused" test "$rc" != 0 -a "$rc" != 124
		om_expect "with a reason ($1)" grep -q "cannot migrate" "$W/n3.err"
		om_expect "still at home ($1)" at_home "$pid"
	}
	om_barrier n3-blocked
	refused "that blocks us"
	om_barrier n3-tried
	om_barrier n3-down
	om_expect "node 3 is seen down" om_wait_for 30 node3_is down
	refused "that is down"
	om_barrier n3-wrongkey
	om_nap 2
	refused "with another cluster key"
	om_expect "node 3 never comes up (10 s)" om_never 10 node3_is up
	kill -TERM "$pid"
	rc_of wait "$pid"
	om_expect "the process ends normally at home (43)" test "$rc" = 43
elif [[ $OM_NODE == 3 ]]; then
	omctl node block 1
	om_barrier n3-blocked
	# blocked until node 1 has tried
	om_barrier n3-tried
	omctl node unblock 1
	om_expect "modprobe -r (node 3 down)" modprobe -r openmosix
	om_barrier n3-down
	modprobe openmosix
	omctl cluster key generate >"$W/other.key"
	omctl cluster key set "$W/other.key"
	omctl map load
	om_barrier n3-wrongkey
else
	om_barrier n3-blocked
	om_barrier n3-tried
	om_barrier n3-down
	om_barrier n3-wrongkey
fi
om_barrier done
om_unload
