# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# MFS promises (issue 13, item 2): node 2 serves a tree on a tmpfs;
# nodes 1 and 3 walk it once and get promises (node 2 watches the
# files), then walk it again without asking for each file (their
# mfs_calls counter moves by the directory listings only).  Node 2 then
# changes the tree itself, not through MFS (chmod, append, rename,
# unlink, mkdir, utimes, a hard link): each change returns only once
# both clients were told, so their very next stat() sees it.  A change
# node 3 makes through MFS is seen by node 1 at once too.  Last, node 3
# goes silent while it holds promises: node 2's next change waits for it
# at most the lease (OM_MFS_LEASE_MS, 3 s) past its last reply, not
# until the promise ends.  An export list change ends node 1's promises
# at once, and node 2 unloads cleanly with promises out.
# omlab-nodes: 3
# omlab-timeout: 300
set -e
K=/sys/kernel/openmosix
T=/tmp/mfsprm			# node 2's tree, on /tmp: a tmpfs
R=/mfs/2$T
om_expect "modprobe" modprobe openmosix
om_cluster_join
mkdir -p /mfs
om_expect "mount -t mfs" mount -t mfs none /mfs
om_expect "mfs_promise_ms: 30000 by default" test "$(cat $K/mfs_promise_ms)" = 30000
om_expect "mfs_promise_ms: over 60000 refused" bash -c "! echo 60001 2>/dev/null >$K/mfs_promise_ms"
om_expect "mfs_calls and mfs_watches are read-only" \
	bash -c "! echo 1 2>/dev/null >$K/mfs_calls && ! echo 1 2>/dev/null >$K/mfs_watches"

if [[ $OM_NODE == 2 ]]; then
	rm -rf $T
	mkdir -p $T/d1 $T/d2
	for i in $(seq 1 40); do echo "file $i" >$T/d1/f$i; done
	echo a >$T/f
	chmod 1777 $T $T/d1 $T/d2
	chmod 666 $T/f $T/d1/f*		# root is squashed to nobody on MFS
	(cd $T/d1 && stat -c '%A %h %u %g %s %.9Y %n' -- *) | sort >/lab/mfs-promise.stat
fi
om_barrier tree

# sizes, modes, names of the tree as a walk sees it
walk() { find "$R" -printf '%P %y %m %s %n %T@\n' | sort; }
if [[ $OM_NODE != 2 ]]; then
	om_expect "node 2's tree is there" om_wait_for 20 test -e $R/f
	# cold: the listings (READDIRPLUS) tell each entry's file too
	echo 3 >/proc/sys/vm/drop_caches
	ca=$(cat $K/mfs_calls)
	walk >"$OM_OUT/walk1"
	c0=$(cat $K/mfs_calls)
	# counted from inside the tree: cd passes /mfs/2 (node 2's root, a 9p
	# overlay: no promises, asked each time), the walk does not
	cd "$R"
	cw=$(cat $K/mfs_calls)
	R=. walk >"$OM_OUT/walk2"
	c1=$(cat $K/mfs_calls)
	cd /
	om_expect "the second walk sees what the first saw" cmp "$OM_OUT/walk1" "$OM_OUT/walk2"
	om_expect "the first walk, cold, asks for listings, not for each of the 44 names ($((c0 - ca)) calls)" \
		test $((c0 - ca)) -lt 20
	# warm: the listings too are kept under the directories' promises
	om_expect "the second walk asks for none of the 3 listings ($((c1 - cw)) calls)" \
		test $((c1 - cw)) -lt 4
	# what the listing told is what stat() says on node 2 itself (ls -l: list, then lstat)
	ls -ln --time-style=+%s.%N "$R/d1" | awk 'NR > 1 {print $1, $2, $3, $4, $5, $6, $7}' |
		sort >"$OM_OUT/ls-mfs"
	om_expect "ls -l of a listed directory says what stat() says on node 2" \
		cmp /lab/mfs-promise.stat "$OM_OUT/ls-mfs"
fi
om_barrier walked
if [[ $OM_NODE == 2 ]]; then
	om_expect "node 2 watches the files it promised ($(cat $K/mfs_watches))" \
		test "$(cat $K/mfs_watches)" -ge 40
	# changes of its own, none through MFS: each returns once both were told
	chmod 600 $T/f
	echo more >>$T/d1/f1
	mv $T/d1/f2 $T/d1/g2
	rm $T/d1/f3
	mkdir $T/d1/new
	touch -d @1000000000 $T/d1/f4
	ln $T/d1/f5 $T/d1/h5
	ls -a $T/d1 >/lab/mfs-promise.ls
fi
om_barrier changed
if [[ $OM_NODE != 2 ]]; then
	om_expect "chmod seen at once" test "$(stat -c %a $R/f)" = 600
	om_expect "an append seen at once" test "$(stat -c %s $R/d1/f1)" = $((7 + 5))
	om_expect "a rename seen at once" bash -c "test ! -e $R/d1/f2 && test -e $R/d1/g2"
	om_expect "an unlink seen at once" test ! -e $R/d1/f3
	om_expect "a new directory seen at once" test -d $R/d1/new
	om_expect "its parent's link count seen at once" test "$(stat -c %h $R/d1)" = 3
	om_expect "utimes seen at once" test "$(stat -c %Y $R/d1/f4)" = 1000000000
	om_expect "a new hard link seen at once" test "$(stat -c %h $R/d1/f5)" = 2
	om_expect "the new contents read" grep -q more $R/d1/f1
	om_expect "a listing kept before the changes is not used after them" \
		bash -c "ls -a $R/d1 | cmp /lab/mfs-promise.ls -"
fi
om_barrier checked
# a change through MFS, by node 3: node 1 holds promises on what it changes
if [[ $OM_NODE == 1 ]]; then
	stat $R/d2 $R/d1/f6 >/dev/null
fi
om_barrier held
if [[ $OM_NODE == 3 ]]; then
	echo "from node 3" >$R/d2/x
	echo "node 3 was here" >>$R/d1/f6
fi
om_barrier written
if [[ $OM_NODE == 1 ]]; then
	om_expect "node 3's new file seen at once" test "$(cat $R/d2/x)" = "from node 3"
	om_expect "node 3's append seen at once" test "$(stat -c %s $R/d1/f6)" = $((7 + 16))
	om_expect "d2 lists it" bash -c "ls $R/d2 | grep -qx x"
fi
om_barrier through
# node 3 holds promises and goes silent: node 2's change waits at most the lease
if [[ $OM_NODE == 3 ]]; then
	stat $R/f $R/d1/f7 >/dev/null
fi
om_barrier held3
if [[ $OM_NODE == 3 ]]; then
	ip link set eth0 down
	sleep 8
	ip link set eth0 up
fi
if [[ $OM_NODE == 2 ]]; then
	om_nap 1
	t0=$(date +%s%N)
	chmod 644 $T/d1/f7
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	echo "# chmod with a silent holder: $ms ms"
	om_expect "a change with a silent holder returns within the lease ($ms ms < $((4000 * ${OM_SLOW:-1})))" \
		test $ms -lt $((4000 * ${OM_SLOW:-1}))
fi
om_barrier silent
if [[ $OM_NODE == 3 ]]; then
	om_expect "node 3 back: node 2 serves it again" om_wait_for 30 test -e $R/f
	om_expect "node 3 sees the change made while it was away" \
		om_wait_for 20 test "$(stat -c %a $R/d1/f7 2>/dev/null)" = 644
fi
om_barrier back
# big directories: listings in many pieces (READDIRPLUS replies and
# getdents calls), one kept (1000 short names), one too long to keep
# (3000 names of 104 bytes: over 256 KiB of entries)
long=$(printf 'x%.0s' {1..100})
if [[ $OM_NODE == 2 ]]; then
	mkdir $T/big $T/long
	(cd $T/big && seq -f 'f%04g' 1 1000 | xargs touch)
	(cd $T/long && seq -f "$long%04g" 1 3000 | xargs touch)
	chmod 1777 $T/big $T/long
fi
om_barrier big
# names DIR: what a listing of node 2's DIR says, sorted, without . and ..
# (from inside $R: /mfs/2, never promised, is not passed each time)
names() { ls -f "$1" | grep -v '^\.\.\?$' | sort; }
# lists DIR FORMAT [GONE]: it lists seq -f FORMAT 1 N, but GONE
lists() {
	local n=1000
	[[ $1 == long ]] && n=3000
	cmp <(seq -f "$2" 1 $n | grep -vx "${3:-/}") <(names "$1")
}
if [[ $OM_NODE == 1 ]]; then
	cd "$R"
	for d in big long; do
		names $d >"$OM_OUT/$d.1"
		c0=$(cat $K/mfs_calls)
		names $d >"$OM_OUT/$d.2"
		c1=$(cat $K/mfs_calls)
		echo "# $d listed again: $((c1 - c0)) calls"
		eval "calls_$d=$((c1 - c0))"
		om_expect "$d lists the same twice" cmp "$OM_OUT/$d.1" "$OM_OUT/$d.2"
	done
	om_expect "big lists its 1000 names" lists big 'f%04g'
	om_expect "long lists its 3000 names" lists long "$long%04g"
	om_expect "big, kept, is listed again without a call for it ($calls_big calls)" \
		test "$calls_big" -lt 2
	om_expect "long, too long to keep, is asked in pieces again ($calls_long calls)" \
		test "$calls_long" -ge 5
	cd /
fi
om_barrier listed-big
if [[ $OM_NODE == 2 ]]; then
	rm $T/big/f0500 $T/long/${long}1500
fi
om_barrier removed-big
if [[ $OM_NODE == 1 ]]; then
	cd "$R"
	om_expect "big's kept listing is not used after a removal" lists big 'f%04g' f0500
	om_expect "long's listing too" lists long "$long%04g" "${long}1500"
	cd /
fi
om_barrier relisted-big
# a kept listing is the lister's: another user's listing asks the node
# (its ACLs or LSM may answer that user otherwise)
if [[ $OM_NODE == 1 ]]; then
	cd "$R"
	ls d1 >/dev/null
	c0=$(cat $K/mfs_calls)
	ls d1 >"$OM_OUT/d1.root"
	c1=$(cat $K/mfs_calls)
	setpriv --reuid=4242 --regid=4242 --clear-groups ls d1 >"$OM_OUT/d1.user"
	c2=$(cat $K/mfs_calls)
	cd /
	om_expect "root's listing again: kept ($((c1 - c0)) calls)" test $((c1 - c0)) -lt 2
	om_expect "another user's listing asks the node ($((c2 - c1)) calls), the same names" \
		bash -c "test $((c2 - c1)) -ge 1 && cmp $OM_OUT/d1.root $OM_OUT/d1.user"
fi
om_barrier per-user
# a listing kept under a promise that ended is not used under the next
# one, though no BREAK came between (node 2 had nobody to tell)
if [[ $OM_NODE == 2 ]]; then
	echo 2000 >$K/mfs_promise_ms
	mkdir $T/d3
	chmod 1777 $T/d3
fi
om_barrier short
if [[ $OM_NODE == 1 ]]; then
	cd "$R"
	ls d3 >/dev/null
	# the promise on d3 (2 s) ends; the node's trust is kept (ROOT
	# answers: node 2's root is never promised)
	for i in $(seq 1 $((8 * ${OM_SLOW:-1}))); do
		stat "$R" >/dev/null
		om_nap 0.5
	done
	cd /
fi
om_barrier ended
if [[ $OM_NODE == 2 ]]; then
	touch $T/d3/new
	echo 30000 >$K/mfs_promise_ms
fi
om_barrier made-new
if [[ $OM_NODE == 1 ]]; then
	stat $R/d3 >/dev/null		# a new promise, as the old one's
	om_expect "a listing kept under a promise that ended is not used again" \
		bash -c "ls $R/d3 | grep -qx new"
fi
om_barrier relisted-d3
# an export list change ends every promise at once (BREAK_ALL per node)
if [[ $OM_NODE == 1 ]]; then
	stat $R/d1/f8 >/dev/null
	ls $R/d1 >/dev/null
fi
om_barrier held-exp
if [[ $OM_NODE == 2 ]]; then
	om_expect "node 2 exports only d2" bash -c "echo $T/d2 >$K/mfs_exports"
fi
om_barrier exported
if [[ $OM_NODE == 1 ]]; then
	om_expect "d1, promised, is gone for node 1 at once" \
		bash -c "! stat $R/d1/f8 2>/dev/null && ! ls $R/d1 2>/dev/null"
	om_expect "d2 is still there" test -d $R/d2
fi
om_barrier seen-exp
if [[ $OM_NODE == 2 ]]; then
	om_expect "the empty list: the whole tree again" bash -c "echo >$K/mfs_exports"
fi
om_barrier unexported
# node 2 unloads with promises out (node 1 holds some)
if [[ $OM_NODE == 1 ]]; then
	stat $R/f >/dev/null
fi
om_barrier held-last
if [[ $OM_NODE == 2 ]]; then
	umount /mfs
	echo "# node 2 unloads with $(cat $K/mfs_watches) watches"
	om_expect "node 2 unloads with promises out" modprobe -r openmosix
	om_expect "and loads again" modprobe openmosix
	omctl cluster key set /etc/openmosix/cluster.key
	omctl map load
	om_expect "and rejoins" om_wait_for 60 om_nodes_up "$OM_NNODES"
fi
om_barrier reloaded
if [[ $OM_NODE != 2 ]]; then
	umount /mfs || true
fi
if [[ $OM_NODE == 2 ]]; then
	rm -rf $T
fi
