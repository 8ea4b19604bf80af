# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# MFS, the first version (issue 13): every node mounts /mfs (node 3 with
# -o dfsa=1, accepted); /mfs lists the nodes up and here/home.  Node 2
# makes a tree (files of assorted sizes across the 256 KiB piece and the
# 512 KiB split, a file with a hole, a symlink, 3000 names in one
# directory); nodes 1 and 3 read it byte for byte through /mfs/2
# (sha256sum lists, one through mmap).  A write from node 1 is read at
# once on node 3, an overwrite too, and one 5 MiB write() (many requests
# in flight) byte for byte; stat() and fstat() in one process see node
# 3's append made after it last looked; node 3's mkdir, rename and
# unlink are seen on nodes 1 and 2.  A non-root user's permissions hold
# on node 2, root is squashed to nobody unless node 2's mfs_root knob
# says otherwise; /mfs/2/proc, sys, dev and /mfs/2/mfs are refused.
# tar, rsync --checksum, git clone and find | xargs sha256sum on node
# 2's tree give its bytes; a tar unpacked into it from node 1 arrives
# whole.  Last, node 2 goes silent while node 1 reads from it: the read
# fails with EIO within the heartbeat timeout.
# omlab-nodes: 3
# omlab-timeout: 600
set -e
T=/srv/mfst		# node 2's tree
R=/mfs/2$T		# the same through MFS
K=/sys/kernel/openmosix
SUMS=$OM_OUT/../node2/sums
G=$T-repo		# node 2's git repository, for the tools
# the tools compare with node 2's list of sums: trees without many/ and priv/
sums_of() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
make_repo() {
	local g=(git -C $G -c user.name=lab -c user.email=lab@node2)
	rm -rf $G && git init -q $G && cp $T/f4097 $T/sub/inner $G/ &&
		"${g[@]}" add . && "${g[@]}" commit -qm one &&
		echo two >$G/two && "${g[@]}" add two && "${g[@]}" commit -qm two &&
		git -C $G rev-parse HEAD >"$OM_OUT/head"
}
tar_from() {
	rm -rf /tmp/mfs-tar && mkdir /tmp/mfs-tar &&
		tar -C $R --exclude=./many --exclude=./priv -cf - . | tar -C /tmp/mfs-tar -xf - &&
		sums_of /tmp/mfs-tar | cmp - $SUMS
}
rsync_from() {
	rm -rf /tmp/mfs-rs &&
		rsync -a --checksum --exclude=/many --exclude=/priv $R/ /tmp/mfs-rs/ &&
		sums_of /tmp/mfs-rs | cmp - $SUMS
}
rsync_again() {
	local changes
	changes=$(rsync -a --checksum -i --exclude=/many --exclude=/priv $R/ /tmp/mfs-rs/) &&
		rm -rf /tmp/mfs-rs && test -z "$changes"
}
clone_from() {
	rm -rf /tmp/mfs-clone && git clone -q --no-local /mfs/2$G /tmp/mfs-clone &&
		test "$(git -C /tmp/mfs-clone rev-parse HEAD)" = "$(cat $OM_OUT/../node2/head)" &&
		git -C /tmp/mfs-clone fsck --no-progress 2>/dev/null &&
		cmp /tmp/mfs-clone/f4097 $R/f4097 && rm -rf /tmp/mfs-clone
}
find_xargs() {
	(cd $R && find . -path ./many -prune -o -path ./priv -prune -o -type f -print0 |
		xargs -0 -P4 -n8 sha256sum) | sort -k2 | cmp - $SUMS
}
tar_into() {
	mkdir $R/pub/tx && tar -C /tmp/mfs-tar -cf - . |
		tar -C $R/pub/tx --no-same-owner --no-same-permissions -xf -
}
om_expect "modprobe" modprobe openmosix
echo 3000 >$K/hb_timeout_ms
echo 1000 >$K/hb_interval_ms
om_cluster_join
mkdir -p /mfs
if [[ $OM_NODE == 3 ]]; then
	om_expect "mount -t mfs -o dfsa=1" mount -t mfs -o dfsa=1 none /mfs
else
	om_expect "mount -t mfs" mount -t mfs none /mfs
fi
om_expect "mount -o dfsa=2 refused" bash -c '! mount -t mfs -o dfsa=2 none /mnt 2>/dev/null'
om_expect "/mfs lists the per-process links and the nodes up" om_wait_for 20 bash -c \
	'test "$(ls /mfs | sort | tr "\n" " ")" = "1 2 3 here home lastexec magic selected "'
om_expect "/mfs/here is this node" test "$(readlink /mfs/here)" = "$OM_NODE"
om_expect "/mfs/home is this node" test "$(readlink /mfs/home)" = "$OM_NODE"
om_expect "/mfs/here/ is this node's root" test -d /mfs/here/etc
# the other links (a process away from home: mfs-dfsa)
om_expect "/mfs/lastexec is this node (execve runs at home)" test "$(readlink /mfs/lastexec)" = "$OM_NODE"
om_expect "/mfs/selected: none chosen (ENOENT)" \
	bash -c 'readlink /mfs/selected 2>&1 | grep -q "No such file"; test "$(cat /proc/hpc/selected)" = 0'
om_expect "/proc/hpc/selected: set by the shell, read back, inherited by its child" \
	bash -c 'echo 2 >/proc/hpc/selected && test "$(cat /proc/hpc/selected)" = 2 &&
		test "$(readlink /mfs/selected)" = 2 && test -d /mfs/selected/etc'
om_expect "/proc/hpc/selected: 0 clears it" \
	bash -c 'echo 2 >/proc/hpc/selected; echo 0 >/proc/hpc/selected; ! readlink /mfs/selected'
om_expect "/proc/hpc/selected: not an id (EINVAL)" \
	bash -c '! echo x >/proc/hpc/selected && ! echo 65536 >/proc/hpc/selected && ! echo -1 >/proc/hpc/selected'
om_expect "/proc/hpc/selected: a descriptor another process opened is refused (EPERM)" \
	bash -c 'exec 9>/proc/hpc/selected; /bin/echo 3 2>&1 >&9 | grep -q "Operation not permitted" &&
		test "$(/bin/cat /proc/hpc/selected)" = 0'
om_expect "/mfs/magic: a create goes to this node, and the next lookup follows it" \
	bash -c 'rm -f /tmp/mfs-magic; echo m >/mfs/magic/tmp/mfs-magic && test "$(cat /tmp/mfs-magic)" = m &&
		test "$(readlink /mfs/magic)" = "$OM_NODE"; rc=$?; rm -f /tmp/mfs-magic; exit $rc'
om_expect "statfs of /mfs/2" stat -f /mfs/2/

if [[ $OM_NODE == 2 ]]; then
	rm -rf $T
	mkdir -p $T/sub $T/many $T/pub $T/priv
	chmod 1777 $T/pub
	: >$T/empty
	printf x >$T/one
	for n in 4095 4096 4097 262143 262144 262145 524287 524288 524289 1048593; do
		head -c $n /dev/urandom >$T/f$n
	done
	head -c 3145728 /dev/urandom >$T/big3M
	head -c 100000 /dev/urandom >$T/sub/inner
	# a hole: 5 MiB of nothing, one block, then the end at 10 MiB
	truncate -s 10M $T/hole
	printf hole | dd of=$T/hole bs=1 seek=5242880 conv=notrunc 2>/dev/null
	ln -s f4096 $T/link
	for ((i = 0; i < 3000; i++)); do : >"$T/many/a-rather-long-file-name-$i"; done
	echo secret >$T/priv/secret
	chown -R 4242:4242 $T/priv
	chmod 700 $T/priv
	chmod 600 $T/priv/secret
	(cd $T && find . -path ./many -prune -o -path ./priv -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum) >"$OM_OUT/sums"
	om_expect "node 2's tree made" test -s "$OM_OUT/sums"
	om_expect "a git repository on node 2" make_repo
fi
om_barrier tree-made

if [[ $OM_NODE != 2 ]]; then
	om_expect "every file through /mfs/2 byte for byte (sha256)" bash -c \
		"cd $R && find . -path ./many -prune -o -path ./priv -prune -o -type f -print0 |
		 sort -z | xargs -0 sha256sum | cmp - $SUMS"
	om_expect "the symlink and its target" test "$(readlink $R/link)" = f4096
	om_expect "... followed" cmp $R/link $R/f4096
	om_expect "the hole: size 10 MiB" test "$(stat -c %s $R/hole)" = 10485760
	om_expect "... zeros, then 'hole'" test "$(dd if=$R/hole bs=1 skip=5242878 count=6 2>/dev/null | od -An -c | tr -d ' ')" = '\0\0hole'
	om_expect "3000 names in one directory" test "$(ls $R/many | wc -l)" = 3000
	om_expect "... every one of them" bash -c "ls $R/many | sort -t- -k6 -n | awk '{ if (\$0 != \"a-rather-long-file-name-\" NR - 1) exit 1 }'"
	om_expect "mmap read of the 3 MiB file" python3 -c "
import hashlib, mmap, sys
f = open('$R/big3M', 'rb')
m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
h = hashlib.sha256(m).hexdigest()
want = [l.split()[0] for l in open('$SUMS') if l.split()[1] == './big3M'][0]
sys.exit(h != want)"
	# opened for writing (root passes the local check), mapped shared
	om_expect "writable shared mmap refused" python3 -c "
import mmap, sys
f = open('$R/f4096', 'r+b')
try:
    mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ, flags=mmap.MAP_SHARED)
except OSError:
    sys.exit(0)
sys.exit(1)"
	om_expect "/mfs/2/proc refused (EPERM)" bash -c "ls /mfs/2/proc/ 2>&1 >/dev/null | grep -q 'Operation not permitted'"
	om_expect "/mfs/2/proc/self refused" bash -c "! cat /mfs/2/proc/self/status 2>/dev/null"
	om_expect "/mfs/2/sys refused" bash -c "! ls /mfs/2/sys/kernel 2>/dev/null"
	om_expect "/mfs/2/dev refused" bash -c "! ls /mfs/2/dev/null 2>/dev/null"
	om_expect "/mfs/2/mfs/3 refused" bash -c "! ls /mfs/2/mfs/3/ 2>/dev/null"
fi
om_barrier read-checked

# tools on node 2's tree: tar, rsync --checksum, git clone, find | xargs
if [[ $OM_NODE != 2 ]]; then
	om_expect "tar from /mfs/2: the same bytes" tar_from
	om_expect "rsync -a --checksum from /mfs/2: the same bytes" rsync_from
	om_expect "... a second rsync --checksum finds nothing to send" rsync_again
	om_expect "git clone from /mfs/2: the same HEAD, fsck clean" clone_from
	om_expect "find | xargs -P4 sha256sum over /mfs/2" find_xargs
fi
[[ $OM_NODE != 1 ]] || om_expect "tar into /mfs/2" tar_into
om_barrier tools-done
if [[ $OM_NODE == 2 ]]; then
	om_expect "node 1's tar arrived byte for byte" bash -c "$(declare -f sums_of); sums_of $T/pub/tx | cmp - $OM_OUT/sums"
	rm -rf $T/pub/tx $G
fi
rm -rf /tmp/mfs-tar

# a write on one node, read at once on another
if [[ $OM_NODE == 1 ]]; then
	head -c 1500000 /dev/urandom >/tmp/w1
	om_expect "write 1.5 MiB into node 2's tree" cp /tmp/w1 $R/pub/w1
	sha256sum </tmp/w1 >"$OM_OUT/w1.sum"
	om_expect "write a short file" bash -c "echo v1 >$R/pub/msg"
fi
om_barrier written
if [[ $OM_NODE == 3 ]]; then
	om_expect "node 1's write read on node 3" bash -c "sha256sum <$R/pub/w1 | cmp - $OM_OUT/../node1/w1.sum"
	om_expect "node 1's short file" test "$(cat $R/pub/msg)" = v1
fi
if [[ $OM_NODE == 2 ]]; then
	om_expect "node 1's write on node 2's disk" bash -c "sha256sum <$T/pub/w1 | cmp - $OM_OUT/../node1/w1.sum"
	om_expect "... root's file squashed to nobody" test "$(stat -c %u:%g $T/pub/w1)" = 65534:65534
fi
om_barrier read-once
if [[ $OM_NODE == 1 ]]; then
	om_expect "overwrite the short file" bash -c "echo v2 >$R/pub/msg"
fi
om_barrier rewritten
om_expect "the overwrite seen" test "$(cat $R/pub/msg)" = v2
om_barrier rewrite-seen

# one write() of 5 MiB + 1: pieces of 256 KiB, 8 in flight; read back
# in 4 MiB read()s, whose last pieces are past the end of the file
if [[ $OM_NODE == 1 ]]; then
	head -c 5242881 /dev/urandom >/tmp/w5
	sha256sum </tmp/w5 >"$OM_OUT/w5.sum"
	om_expect "one 5 MiB write() into node 2's tree" dd if=/tmp/w5 of=$R/pub/w5 bs=8M iflag=fullblock status=none
	om_expect "... its size" test "$(stat -c %s $R/pub/w5)" = 5242881
	rm -f /tmp/w5
fi
om_barrier written5
if [[ $OM_NODE == 3 ]]; then
	om_expect "... read on node 3 in 4 MiB read()s" bash -c "dd if=$R/pub/w5 bs=4M status=none | sha256sum | cmp - $OM_OUT/../node1/w5.sum"
fi
if [[ $OM_NODE == 2 ]]; then
	om_expect "... on node 2's disk" bash -c "sha256sum <$T/pub/w5 | cmp - $OM_OUT/../node1/w5.sum"
fi

# stat() answers from its own walk's LOOKUP, fstat() asks the node: in
# one process, both see what node 3 did after the process last looked
# (also after a statvfs(), whose walk is a stat()'s without a getattr)
if [[ $OM_NODE == 1 ]]; then
	printf 1234 >$R/pub/grow
	python3 - $R/pub/grow "$OM_OUT/stat-ready" "$OM_OUT/../node3/grown" <<'PY' &
import os, sys, time
p, ready, grown = sys.argv[1:]
fd = os.open(p, os.O_RDONLY)
a = (os.stat(p).st_size, os.lstat(p).st_size, os.fstat(fd).st_size)
os.statvfs(p)
open(ready, 'w').close()
t = time.time()
while not os.path.exists(grown):
    if time.time() - t > 120:
        sys.exit('node 3 did not append')
    time.sleep(0.1)
b = (os.fstat(fd).st_size, os.stat(p).st_size, os.lstat(p).st_size)
if a != (4, 4, 4) or b != (8192, 8192, 8192):
    sys.exit('sizes %s, then %s' % (a, b))
PY
	statpid=$!
	om_expect "stat(), lstat(), fstat() see node 3's append" wait $statpid
	# one round trip: stat() (newfstatat) asks no more than statx()
	# (coreutils' stat), whose walk's LOOKUP answers it (no GETATTR)
	c0=$(cat $K/mfs_calls)
	for i in $(seq 20); do stat -c %s $R/pub/grow >/dev/null; done
	c1=$(cat $K/mfs_calls)
	python3 -c 'import os, sys; [os.stat(sys.argv[1]) for _ in range(20)]' $R/pub/grow
	c2=$(cat $K/mfs_calls)
	om_expect "20 stat()s ask no more than 20 statx()s ($((c2 - c1)) and $((c1 - c0)) calls)" \
		test $((c2 - c1)) -le $((c1 - c0))
fi
if [[ $OM_NODE == 3 ]]; then
	om_expect "node 1 looked at the file" om_wait_for 120 test -e $OM_OUT/../node1/stat-ready
	om_expect "append to it" bash -c "head -c 8188 /dev/zero >>$R/pub/grow"
	: >"$OM_OUT/grown"
fi
om_barrier stat-fresh

# names: node 3 changes them, everyone sees
if [[ $OM_NODE == 3 ]]; then
	om_expect "mkdir" mkdir $R/pub/d3
	om_expect "rename into it" mv $R/pub/msg $R/pub/d3/msg2
	om_expect "unlink" rm $R/pub/w1
	# in d3, not in the sticky pub: fs.protected_symlinks would stop root
	# following nobody's link there, as on any local filesystem
	om_expect "symlink" ln -s msg2 $R/pub/d3/l3
	om_expect "rename across nodes is EXDEV" bash -c "echo x >$R/pub/x3 && python3 -c \"
import errno, os, sys
try:
    os.rename('$R/pub/x3', '/mfs/3/tmp/x3')
except OSError as e:
    sys.exit(e.errno != errno.EXDEV)
sys.exit(1)\" && rm $R/pub/x3"
fi
om_barrier renamed
om_expect "the new directory" test -d $R/pub/d3
om_expect "the renamed file" test "$(cat $R/pub/d3/msg2)" = v2
om_expect "the old name gone" test ! -e $R/pub/msg
om_expect "the unlinked file gone" test ! -e $R/pub/w1
om_expect "the new symlink" test "$(cat $R/pub/d3/l3)" = v2
om_barrier names-seen
if [[ $OM_NODE == 1 ]]; then
	om_expect "rmdir a full directory refused" bash -c "! rmdir $R/pub/d3 2>/dev/null"
	om_expect "rm -r" rm -r $R/pub/d3
	om_expect "truncate" bash -c "printf 123456 >$R/pub/t && truncate -s 2 $R/pub/t && test \"\$(cat $R/pub/t)\" = 12"
	om_expect "chmod" bash -c "chmod 640 $R/pub/t && test \$(stat -c %a $R/pub/t) = 640"
	om_expect "utimes" bash -c "touch -d @1000000000 $R/pub/t && test \$(stat -c %Y $R/pub/t) = 1000000000"
	om_expect "fsync" python3 -c "import os; fd = os.open('$R/pub/t', os.O_WRONLY); os.fsync(fd)"
fi
om_barrier changed

# permissions: uid 4242 owns priv/ on node 2
if [[ $OM_NODE == 1 ]]; then
	as() { setpriv --reuid="$1" --regid="$1" --clear-groups "${@:2}"; }
	om_expect "the owner reads its file" test "$(as 4242 cat $R/priv/secret)" = secret
	om_expect "the owner writes in its directory" as 4242 bash -c "echo mine >$R/priv/new"
	om_expect "another user may not look in" bash -c "! setpriv --reuid=4243 --regid=4243 --clear-groups cat $R/priv/secret 2>/dev/null"
	om_expect "root is squashed: no access" bash -c "! cat $R/priv/secret 2>/dev/null"
	om_expect "root is squashed: no chown" bash -c "! chown 0 $R/pub/t 2>/dev/null"
fi
om_barrier perms-checked
if [[ $OM_NODE == 2 ]]; then
	om_expect "the owner's new file is its own" test "$(stat -c %u:%g $T/priv/new)" = 4242:4242
	om_expect "mfs_root=1" bash -c "echo 1 >$K/mfs_root"
fi
om_barrier root-allowed
if [[ $OM_NODE == 1 ]]; then
	om_expect "with mfs_root=1, root reads" test "$(cat $R/priv/secret)" = secret
fi
om_barrier root-checked
[[ $OM_NODE != 2 ]] || echo 0 >$K/mfs_root

# node 2 goes silent while node 1 reads from it
if [[ $OM_NODE == 1 ]]; then
	(while cat $R/big3M >/dev/null 2>"$OM_OUT/reader.err"; do :; done; exit 7) &
	reader=$!
	om_nap 2
	om_expect "reading node 2" om_alive $reader
fi
om_barrier reading
if [[ $OM_NODE == 2 ]]; then
	ip link set eth0 down
fi
om_barrier link-down
if [[ $OM_NODE == 1 ]]; then
	start=$SECONDS
	om_expect "the read fails within the 3 s heartbeat timeout (+5 s slack)" \
		om_wait_for 8 om_gone $reader
	echo "# the read failed after $((SECONDS - start)) s"
	om_expect "... with EIO" grep -q "Input/output error" "$OM_OUT/reader.err"
	om_expect "a new call to node 2 fails at once" bash -c "! timeout 5 stat $R/big3M 2>/dev/null"
fi
om_barrier seen-down
[[ $OM_NODE != 2 ]] || ip link set eth0 up
om_expect "node 2 back" om_wait_for 60 om_nodes_up "$OM_NNODES"
om_barrier back
om_expect "node 2's files again" om_wait_for 20 cmp $R/f4096 $R/link
om_barrier done
[[ $OM_NODE != 2 ]] || rm -rf $T
om_expect "umount" umount /mfs
om_expect "modprobe -r" modprobe -r openmosix
