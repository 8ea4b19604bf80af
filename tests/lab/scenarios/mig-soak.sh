# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Migration soak (issue 10), two nodes, not part of make check ("long
# soaks go under make bench": make soak, bench/soak): a checksumming
# process (mig_prog soak: a byte of every page of 8 MiB changed and the
# whole summed each round, a line per round into a home file) is moved
# 1 -> 2 -> home OM_SOAK_ROUNDS times (default 100), making at least one
# round at each place every time.  Then it is told to stop; its output
# must be byte-identical to an undisturbed run of as many rounds, and it
# must exit 6.  Every hop must succeed and omctl proc show must say where
# it is (the process makes no call kept at home: it never comes back by
# itself).
#
# On both nodes, before (twice, 10 s apart, after a warm-up migration so
# that first-use allocations are made) and after (the process gone, no
# guest left), with the dentry/inode caches dropped and every slab cache
# shrunk (/sys/kernel/slab/*/shrink: per-CPU slabs flushed, so that
# /proc/slabinfo's active objects count what is allocated):
#   - /sys/module/openmosix/refcnt: equal (every guest and deputy holds a
#     reference; none is left);
#   - the user processes (by name) with their fd counts, the module's
#     helpers among them ("omctl guest" keepers, omctl), and the module's
#     kernel threads (om_*): equal;
#   - the active objects of every slab cache (kmalloc caches summed by
#     size: kmalloc-N, -cg-N, -rcl-N, -rnd-*-N are one): grown by less than
#     OBJS plus that cache's idle drift between the two "before" samples.
#     OBJS is OM_SOAK_SLAB_OBJS, default max(32, ROUNDS/2): ROUNDS round
#     trips are 2 x ROUNDS migrations per node, so one object lost per
#     migration, or per round trip, is at least ROUNDS objects, twice
#     OBJS, while an idle guest's caches drift by a few slabs;
#   - /proc/meminfo SUnreclaim grown by at most 1 MiB, Slab and
#     VmallocUsed by at most 2 MiB (plus their idle drift): the module's
#     1 MiB kvmalloc()ed per-session buffers (vmalloc), and any per-hop
#     loss of 5 KiB or more of slab, go far beyond.
# The snapshots are kept in the results (OM_OUT: soak-*.txt).
#
# Knobs (omlab passes OM_SOAK_* to the guests): OM_SOAK_ROUNDS (100),
# OM_SOAK_SLAB_OBJS.
# omlab-bench-only
# omlab-nodes: 2
# omlab-timeout: 3600
set -e
ROUNDS=${OM_SOAK_ROUNDS:-100}
OBJS=${OM_SOAK_SLAB_OBJS:-$((ROUNDS / 2 > 32 ? ROUNDS / 2 : 32))}
W=/tmp/mig-soak
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
om_cluster_up

lines() { wc -l <"$1"; }

shrink() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 2>/dev/null >"$f" || true
	done
}

# check DESC CMD...: as om_expect, but goes on after a failure (returns 1)
check() {
	local desc=$1
	shift
	if "$@"; then
		echo "ok - $desc"
	else
		echo "not ok - $desc"
		return 1
	fi
}

# snap FILE: settle, then one "key value" line per thing that must stay
snap() {
	local p c n fds cl
	sync
	echo 3 >/proc/sys/vm/drop_caches
	shrink
	om_nap 2	# RCU-freed objects
	shrink
	{
		echo "refcnt $(cat /sys/module/openmosix/refcnt)"
		awk '/^(Slab|SUnreclaim|VmallocUsed):/ { sub(":", "", $1); print "mem." $1, $2 }' /proc/meminfo
		awk 'NR > 2 { n = $1; if (n ~ /kmalloc/) { sub(/.*-/, "", n); n = "kmalloc-" n }
			a[n] += $2 } END { for (n in a) print "slab." n, a[n] }' /proc/slabinfo | sort
	} >"$1"
	# user processes other than this shell, with their fd counts; the
	# module's kernel threads (listed by this shell alone: no fork while
	# /proc is read, or the fork would be listed)
	for p in /proc/[0-9]*; do
		n=${p#/proc/}
		[[ $n != "$$" ]] || continue
		c=
		{ read -r c <"$p/comm"; } 2>/dev/null || continue
		cl=
		{ read -rd '' cl <"$p/cmdline"; } 2>/dev/null || true
		if [[ -n $cl ]]; then
			fds=("$p"/fd/*)
			[[ -e ${fds[0]} ]] || fds=()
			echo "proc $c ${#fds[@]}"
		elif [[ $c == om_* ]]; then
			echo "kthread $c"
		fi
	done >"$1.procs"
	sort "$1.procs" >>"$1"
}

# compare B0 B1 A: B0, B1 before (idle drift between them), A after
# shellcheck disable=SC2016 # awk programs
compare() {
	local rc=0
	echo "# $OM_NODE: slab caches that grew most (objects: before, after, growth, idle drift):"
	awk 'FILENAME == ARGV[1] { b0[$1] = $2; next }
		FILENAME == ARGV[2] { b1[$1] = $2; next }
		$1 ~ /^slab\./ { d = $2 - b1[$1]; n = b1[$1] - b0[$1]; if (n < 0) n = -n
			printf "%d %s %d %d %+d %d\n", d, $1, b1[$1], $2, d, n }' "$@" |
		sort -rn | head -n 8 | cut -d' ' -f2- | sed 's/^/#   /'
	check "node $OM_NODE: no slab cache grew by $OBJS objects or more (plus its idle drift)" \
		awk -v tol="$OBJS" 'FILENAME == ARGV[1] { b0[$1] = $2; next }
		FILENAME == ARGV[2] { b1[$1] = $2; next }
		$1 ~ /^slab\./ { d = $2 - b1[$1]; n = b1[$1] - b0[$1]; if (n < 0) n = -n
			if (d >= tol + n) { print "grew: " $1 " " b1[$1] " -> " $2; bad = 1 } }
		END { exit bad }' "$@" || rc=1
	check "node $OM_NODE: SUnreclaim within 1 MiB, Slab and VmallocUsed within 2 MiB (plus idle drift)" \
		awk 'FILENAME == ARGV[1] { b0[$1] = $2; next }
		FILENAME == ARGV[2] { b1[$1] = $2; next }
		$1 ~ /^mem\./ { d = $2 - b1[$1]; n = b1[$1] - b0[$1]; if (n < 0) n = -n
			lim = ($1 == "mem.SUnreclaim" ? 1024 : 2048) + n
			printf "# %s: %d kB -> %d kB (%+d kB, limit %d)\n", $1, b1[$1], $2, d, lim
			if (d > lim) bad = 1 }
		END { exit bad }' "$@" || rc=1
	check "node $OM_NODE: module refcount, processes and their fds, om_* threads as before" \
		diff <(grep -Ev '^(slab|mem)\.' "$2") <(grep -Ev '^(slab|mem)\.' "$3") || rc=1
	return $rc
}

measure_before() {
	snap "$W/before0"
	om_nap 10
	snap "$W/before1"
	cp "$W/before0" "$OM_OUT/soak-before0.txt"
	cp "$W/before1" "$OM_OUT/soak-before1.txt"
	grep -E '^(refcnt|mem\.|kthread)' "$W/before1" | sed 's/^/# before: /'
}
measure_after() {
	snap "$W/after"
	cp "$W/after" "$OM_OUT/soak-after.txt"
	compare "$W/before0" "$W/before1" "$W/after"
}

if [[ $OM_NODE != 1 ]]; then
	om_barrier soak-warm 600
	measure_before
	om_barrier soak-before
	# node 1 moves the process here and back ROUNDS times
	om_barrier soak-run 3600
	om_expect "no guests left" om_wait_for 60 om_no_guests
	failed=
	measure_after || failed=1
	om_barrier soak-after
	om_barrier soak-end
	om_expect "leak checks above passed" test -z "$failed"
	om_unload
	exit 0
fi

# hop TO N: omctl proc migrate PID TO --wait, then where must be N
hop() {
	local rc=0
	omctl proc migrate "$pid" "$1" --wait >"$W/hop.log" 2>&1 || rc=$?
	if [[ $rc != 0 ]]; then
		cat "$W/hop.log"
		omctl proc show "$pid" || true
		om_fail "round $r: migrate to $1 (exit $rc): $(cat "$W/hop.log")"
	fi
	w=$(om_where "$pid")
	[[ $w == "$2" ]] || om_fail "round $r: after the migration to $1 it runs on '$w', not $2"
}

# one_more N: the process has printed more than N lines (a round made)
one_more() {
	local t
	for ((t = 0; t < 300; t++)); do
		(($(lines "$out") > $1)) && return 0
		om_gone "$pid" && return 1
		om_nap 0.2
	done
	return 1
}

# warm-up: one round trip of another process, so that what the module
# allocates once (and keeps) is there before the first measurement
out=$W/warm.out
mig_prog soak 1000000 "$W/warm.stop" >"$out" 2>&1 &
pid=$!
r=0
om_expect "warm-up process runs" om_wait_for 60 grep -q "^round 0 " "$out"
hop 2 2
hop home 1
: >"$W/warm.stop"
rc=0
wait "$pid" || rc=$?
om_expect "warm-up process ended (exit $rc)" test "$rc" = 6
om_expect "no guests left" om_wait_for 60 om_no_guests
om_barrier soak-warm
measure_before
om_barrier soak-before

# the soak
out=$W/soak.out
mig_prog soak 1000000000 "$W/stop" >"$out" 2>&1 &
pid=$!
om_expect "soak process runs" om_wait_for 60 grep -q "^round 0 " "$out"
t0=$SECONDS
for ((r = 1; r <= ROUNDS; r++)); do
	hop 2 2
	n=$(lines "$out")
	one_more "$n" || om_fail "round $r: no round made on node 2 (last: $(tail -n 1 "$out"))"
	hop home 1
	n=$(lines "$out")
	one_more "$n" || om_fail "round $r: no round made at home (last: $(tail -n 1 "$out"))"
	((r % 10)) || echo "# $r of $ROUNDS round trips, $((SECONDS - t0)) s"
done
echo "ok - $ROUNDS round trips 1 -> 2 -> 1 in $((SECONDS - t0)) s, each with a round made on either side"
nm=$(omctl -j proc show "$pid" | grep -o '"nmigs": *[0-9]*' | grep -o '[0-9]*$' || true)
om_expect "its migrations are counted ($nm, at least $ROUNDS)" test "${nm:-0}" -ge "$ROUNDS"
: >"$W/stop"
rc=0
wait "$pid" || rc=$?
om_expect "exit status 6 after $ROUNDS round trips (got $rc)" test "$rc" = 6
om_barrier soak-run
om_expect "no guests left" om_wait_for 60 om_no_guests
failed=
measure_after || failed=1
om_barrier soak-after

# an undisturbed run of as many rounds: the same bytes
made=$(sed -n 's/^done \([0-9]*\) .*/\1/p' "$out")
echo "# $(tail -n 1 "$out")"
om_expect "the soak process made $made rounds" test -n "$made"
rc=0
mig_prog soak "$made" >"$W/ref.out" 2>&1 || rc=$?
om_expect "undisturbed run of $made rounds (exit $rc)" test "$rc" = 6
om_expect "output identical to the undisturbed run" cmp "$W/ref.out" "$out"
om_expect "leak checks above passed" test -z "$failed"
om_barrier soak-end
om_unload
