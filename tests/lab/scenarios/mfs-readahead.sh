# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# MFS read-ahead under promises (Documentation/mfs.md, "Read-ahead"):
# node 2 serves a 16 MiB file on a tmpfs; one process on node 1 reads it
# in 1 MiB read()s and stops halfway, while its read-ahead holds the next
# 2 MiB.  Node 2 then changes the file in the part read ahead, itself
# (not through MFS), in each way a change can come: a write(2), a store
# through a shared writable mapping (no write event: the open for write
# must end the promise), a truncate, a write through MFS by node 1's
# other process.  After each change returned, the reader's next read()
# must give the new bytes, never the ones read ahead (mfs_ra_drops
# moves); without a change, what was read ahead is used (mfs_ra_hits
# moves) and the bytes are right.  Last, a file held open for write on
# node 2 is read without read-ahead being used.
# omlab-nodes: 2
# omlab-timeout: 300
set -e
K=/sys/kernel/openmosix
T=/tmp/mfsra			# node 2's tree, on /tmp: a tmpfs
R=/mfs/2$T
MIB=$((1 << 20))
om_expect "modprobe" modprobe openmosix
om_cluster_join
mkdir -p /mfs
om_expect "mount -t mfs" mount -t mfs none /mfs
om_expect "mfs_ra_hits and mfs_ra_drops are there, read-only" \
	bash -c "test -r $K/mfs_ra_hits && test -r $K/mfs_ra_drops && ! echo 1 2>/dev/null >$K/mfs_ra_hits"

# the file: 16 MiB of 'a' (one per round: the round's letter)
mkfile() { python3 -c "import sys; open(sys.argv[1], 'wb').write(sys.argv[2].encode() * (16 << 20))" "$1" "$2"; }
if [[ $OM_NODE == 2 ]]; then
	rm -rf $T
	mkdir -p $T
	chmod 1777 $T
fi
om_barrier tree

# One round: node 1's reader reads 6 MiB and waits (its read-ahead holds
# 6..8 MiB); node 2 runs CHANGE; the reader reads on and checks every
# byte against what node 2 says the file is now.
#   $1 round name, $2 the letter the file is made of, $3 the change (bash, on node 2)
round() {
	local name=$1 letter=$2 change=$3 h0 d0 h1 d1
	if [[ $OM_NODE == 2 ]]; then
		mkfile $T/f "$letter"
		chmod 666 $T/f
	fi
	om_barrier "$name-made"
	if [[ $OM_NODE == 1 ]]; then
		h0=$(cat $K/mfs_ra_hits)
		d0=$(cat $K/mfs_ra_drops)
		python3 - $R/f "$OM_OUT/$name.ready" "$OM_OUT/../node2/$name.changed" \
			"$OM_OUT/../node2/$name.sum" <<'PY' &
import hashlib, os, sys, time
p, ready, changed, want = sys.argv[1:]
fd = os.open(p, os.O_RDONLY)
got = b''
for _ in range(6):
    got += os.read(fd, 1 << 20)
time.sleep(1)			# the read-ahead's replies come in
open(ready, 'w').close()
t = time.time()
while not os.path.exists(changed):
    if time.time() - t > 120:
        sys.exit('node 2 did not change the file')
    os.stat(p)		# the promise in use: its trust renewed, no lapse
    time.sleep(0.1)
while True:
    b = os.read(fd, 1 << 20)
    if not b:
        break
    got += b
# the first 6 MiB were read before the change: compare what followed
with open(want) as f:
    size, tail = f.read().split()
if len(got) != int(size):
    sys.exit('read %d bytes, the file has %s' % (len(got), size))
h = hashlib.sha256(got[6 << 20:]).hexdigest()
if h != tail:
    sys.exit('bytes after 6 MiB differ from the file on node 2: read ahead and stale')
PY
		local pid=$!
		om_expect "$name: the reader sees the file as node 2 left it, not what it read ahead" wait $pid
		h1=$(cat $K/mfs_ra_hits)
		d1=$(cat $K/mfs_ra_drops)
		echo "# $name: mfs_ra_hits +$((h1 - h0)), mfs_ra_drops +$((d1 - d0))"
		echo "$((h1 - h0)) $((d1 - d0))" >"$OM_OUT/$name.ra"
	fi
	if [[ $OM_NODE == 2 ]]; then
		om_expect "$name: node 1 read half" om_wait_for 120 test -e "$OM_OUT/../node1/$name.ready"
		om_expect "$name: node 2 changes the file" bash -c "$change"
		# what node 1 must read after 6 MiB
		python3 -c "
import hashlib, sys
d = open(sys.argv[1], 'rb').read()
print(len(d), hashlib.sha256(d[6 << 20:]).hexdigest())" $T/f >"$OM_OUT/$name.sum"
		: >"$OM_OUT/$name.changed"
	fi
	om_barrier "$name-read"
}

# no change: the read-ahead is used, and right
round same a "true"
# write(2) into the part read ahead: FS_MODIFY, BREAK before it returns
round write b "printf XYZ | dd of=$T/f bs=1 seek=$((6 * MIB + 4096)) conv=notrunc status=none"
# a store through a shared mapping: no event of its own, the open for write ends the promise
round mmap c "python3 -c \"
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 0)
m[$((7 * MIB)):$((7 * MIB + 5))] = b'MMAP!'
m.flush()
m.close()
os.close(fd)\" $T/f"
# a truncate into the part read ahead
round trunc d "truncate -s $((6 * MIB + 12345)) $T/f"

if [[ $OM_NODE == 1 ]]; then
	read -r h d <"$OM_OUT/same.ra"
	om_expect "without a change, replies read ahead were used ($h) and none dropped ($d)" \
		test "$h" -gt 0 -a "$d" = 0
	for r in write mmap trunc; do
		read -r h d <"$OM_OUT/$r.ra"
		om_expect "$r: what was read ahead was dropped ($d)" test "$d" -gt 0
	done
fi
om_barrier checked

# a change through MFS by another process of node 1: the write's reply and
# node 2's BREAK both end the reader's promise
if [[ $OM_NODE == 2 ]]; then
	mkfile $T/g e
	chmod 666 $T/g
fi
om_barrier g-made
if [[ $OM_NODE == 1 ]]; then
	om_expect "a write through MFS by another process is seen by a reader reading ahead" python3 - $R/g <<'PY'
import os, subprocess, sys, time
p = sys.argv[1]
fd = os.open(p, os.O_RDONLY)
for _ in range(6):
    os.read(fd, 1 << 20)
time.sleep(1)
subprocess.run(['dd', 'of=' + p, 'bs=1', 'seek=%d' % ((6 << 20) + 10), 'conv=notrunc',
                'status=none'], input=b'NEW', check=True)
b = os.read(fd, 1 << 20)
if b[10:13] != b'NEW':
    sys.exit('read %r where NEW was written' % b[10:13])
PY
fi
om_barrier g-read

# a file open for write on node 2 is not read ahead: nothing used, bytes right
if [[ $OM_NODE == 2 ]]; then
	mkfile $T/h f
	chmod 666 $T/h
	exec 7>>$T/h
fi
om_barrier h-open
if [[ $OM_NODE == 1 ]]; then
	h0=$(cat $K/mfs_ra_hits)
	om_expect "a file open for write on node 2 reads right" \
		bash -c "python3 -c \"
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
n = 0
while True:
    b = os.read(fd, 1 << 20)
    if not b:
        break
    if b.count(b'f') != len(b):
        sys.exit('wrong bytes')
    n += len(b)
    time.sleep(0.05)
sys.exit(0 if n == 16 << 20 else 'short: %d' % n)\" $R/h"
	h1=$(cat $K/mfs_ra_hits)
	om_expect "... with no read-ahead used ($((h1 - h0)))" test $((h1 - h0)) = 0
fi
om_barrier h-read
if [[ $OM_NODE == 2 ]]; then
	exec 7>&-
	rm -rf $T
fi
om_barrier done
umount /mfs || true
