# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# DFSA (issue 13): a process of node 1 moved to node 2 writes and reads
# MFS files there (mig_prog dfsa: write, pwrite, writev, read, readv,
# pread, lseek, fsync, fdatasync, EBADF on a write-only fd, a dup'd fd),
# and is then brought home, where it goes on at the position it had.
# Its fstat of the file there (fstat(2) and glibc's newfstatat, 40 calls)
# is what a stat of the path says at home, st_dev and st_ino included; a
# second fd of the file, opened with openat2, reads it (20 preads).
# With /mfs mounted dfsa=1 the I/O is served on node 2 (its dfsa_calls
# grows by at least 2 per block and 60, its fwd_calls by under 40), for a file of
# the home node (/mfs/home/...) and of node 2 itself (/mfs/2/...); after
# "mount -o remount,dfsa=0" on node 1 the same run is forwarded
# (dfsa_calls does not move, fwd_calls grows by the blocks), and after
# remount,dfsa=1 served again, for a file of node 3 (/mfs/3/...), which
# node 2 asks itself.  Every file is then
# byte for byte what an undisturbed run writes (mig_prog dfsa-ref), and
# the dup'd file's two fds shared one position.  Then DFSA for path calls
# (mig_prog dfsa-paths, blocks paths-*: see run_paths below), path
# mutations (mig_prog dfsa-mut, blocks mut-*: see run_mut below) and
# relative names from its cwd (mig_prog dfsa-rel, block rel-home: see
# run_rel below) and getdents64 of a directory (mig_prog dfsa-dir, block
# dir-home: see run_dir below).
# omlab-nodes: 3
# omlab-timeout: 300
set -e
K=/sys/kernel/openmosix
W=/tmp/mfs-dfsa			# scratch at home
D=/tmp/dfsa			# each node's directory for the files
C=/lab/mfs-dfsa			# node 2's counters, for node 1
N=64				# blocks of 4 KiB per run
rm -rf "$W" "$D"
mkdir -p "$W" "$D"
chmod 1777 "$D"			# root is squashed to nobody on MFS
om_expect "modprobe" modprobe openmosix
om_cluster_join
echo 0 >$K/balance		# nothing moves but what the scenario moves
mkdir -p /mfs
om_expect "mount -t mfs -o dfsa=1" mount -t mfs -o dfsa=1 none /mfs
om_expect "/proc/mounts shows dfsa=1" grep -Eq '^none /mfs mfs [^ ]*,dfsa=1[, ]' /proc/mounts
om_expect "counters dfsa_calls and fwd_calls readable" \
	bash -c "read a <$K/dfsa_calls && read b <$K/fwd_calls && test \$a -ge 0 -a \$b -ge 0"
om_expect "counters are read-only" bash -c "! echo 5 2>/dev/null >$K/dfsa_calls"
om_expect "/mfs lists the three nodes" om_wait_for 20 bash -c \
	'test "$(ls /mfs | sort | tr "\n" " ")" = "1 2 3 here home lastexec magic selected "'
[[ $OM_NODE == 1 ]] && rm -rf "$C" && mkdir -p "$C"
om_barrier up

# node 2: its counters into $C/NAME.PHASE at the barriers NAME-PHASE
counters() {
	cat $K/dfsa_calls $K/fwd_calls $K/dfsa_fallbacks | tr '\n' ' ' >"$C/$1.tmp" &&
		mv "$C/$1.tmp" "$C/$1"
}
# delta NAME FIELD(1 dfsa, 2 fwd, 3 dfsa_fallbacks): after - before
delta() {
	local a b
	a=$(cut -d' ' -f"$2" "$C/$1.after") b=$(cut -d' ' -f"$2" "$C/$1.before")
	echo $((a - b))
}

# not_home NAME MID: true on nodes 2 and 3, which pass a block's barriers
# NAME-away, -before, -MID and -counted (node 2 counting around the block)
not_home() {
	[[ $OM_NODE == 1 ]] && return 1
	if [[ $OM_NODE == 2 ]]; then
		om_barrier "$1-away"
		counters "$1.before"
		om_barrier "$1-before"
		om_barrier "$1-$2"
		counters "$1.after"
		om_barrier "$1-counted"
	else
		for b in away before "$2" counted; do om_barrier "$1-$b"; done
	fi
	return 0
}

# mig_prog dfsa's "stat ..." line for a path, from a stat here
STAT='import os, sys
s = os.stat(sys.argv[1])
print("stat %d %d %o %d %d %d %d %d %d %d.%09d %d.%09d" % (s.st_dev, s.st_ino, s.st_mode,
      s.st_nlink, s.st_uid, s.st_gid, s.st_size, s.st_blksize, s.st_blocks,
      s.st_mtime_ns // 10**9, s.st_mtime_ns % 10**9, s.st_ctime_ns // 10**9, s.st_ctime_ns % 10**9))'

# job_start NAME CMD...: CMD at home, its stdin the fifo $W/NAME.in (our
# fd 7: each line lets it go on), its output $W/NAME.out; $job its pid
job_start() {
	local name=$1
	shift
	rm -f "$W/$name.in" && mkfifo "$W/$name.in"
	"$@" <"$W/$name.in" >"$W/$name.out" 2>&1 &
	job=$!
	exec 7>"$W/$name.in"
}

# job_end NAME STATUS: bring $job home, let it end with exit status STATUS
job_end() {
	local name=$1 want=$2 rc=0
	om_expect "$name: bring it home" omctl proc migrate "$job" home --wait
	echo go >&7
	exec 7>&-
	wait "$job" || rc=$?
	om_expect "$name: exit status $want" test "$rc" = "$want"
}

# run NAME PATH MODE(dfsa|fwd) BLOCKS: mig_prog dfsa on node 2, home again
run() {
	local name=$1 path=$2 mode=$3 n=$4 pid rc dd df
	not_home "$name" phase1 && return 0
	job_start "$name" mig_prog dfsa "$path" "$n"
	pid=$job
	om_expect "$name: migrate to node 2" omctl proc migrate "$pid" 2 --wait
	om_expect "$name: where is 2" test "$(om_where "$pid")" = 2
	om_barrier "$name-away"
	om_barrier "$name-before"
	echo go >&7
	om_expect "$name: phase 1 and the dup'd fd at node 2" \
		om_wait_for 60 grep -q "dup ok" "$W/$name.out"
	om_expect "$name: still at node 2" test "$(om_where "$pid")" = 2
	# its fstat there (served there with DFSA) is a stat of the file here
	om_expect "$name: fstat at node 2 is stat at home" test \
		"$(grep '^stat ' "$W/$name.out")" = "$(/usr/bin/python3 -c "$STAT" "$path")"
	om_barrier "$name-phase1"
	om_barrier "$name-counted"
	dd=$(delta "$name" 1) df=$(delta "$name" 2)
	echo "# $name: node 2 served $dd calls by DFSA and forwarded $df"
	if [[ $mode == dfsa ]]; then
		om_expect "$name: the I/O, fstat and openat2's fd served at node 2 (dfsa_calls +$dd >= $((2 * n + 60)))" \
			test "$dd" -ge $((2 * n + 60))
		om_expect "$name: only the other calls forwarded (fwd_calls +$df < 40)" \
			test "$df" -lt 40
	else
		om_expect "$name: nothing served by DFSA (dfsa_calls +$dd)" test "$dd" = 0
		om_expect "$name: the I/O, fstat and openat2's fd forwarded (fwd_calls +$df >= $((2 * n + 60)))" \
			test "$df" -ge $((2 * n + 60))
	fi
	om_expect "$name: bring it home" omctl proc migrate "$pid" home --wait
	om_expect "$name: where is 1" test "$(om_where "$pid")" = 1
	echo go >&7
	exec 7>&-
	rc=0
	wait "$pid" || rc=$?
	cat "$W/$name.out"
	om_expect "$name: exit status 11, every check passed" test "$rc" = 11
	om_expect "$name: at home it went on at its position" grep -q "phase2 ok" "$W/$name.out"
	om_expect "$name: the file byte for byte" \
		bash -c "mig_prog dfsa-ref $n | cmp - $path"
	om_expect "$name: the dup'd file byte for byte" \
		bash -c "cmp <(head -c 1000 /dev/zero | tr '\\0' A; head -c 500 /dev/zero | tr '\\0' B; head -c 500 /dev/zero | tr '\\0' C) $path.dup"
}

run home /mfs/home$D/home dfsa $N
run own /mfs/2$D/own dfsa $N
if [[ $OM_NODE == 1 ]]; then
	# the files where they are, natively
	om_expect "the home file natively" bash -c "mig_prog dfsa-ref $N | cmp - $D/home"
	om_expect "remount dfsa=0" mount -o remount,dfsa=0 /mfs
	om_expect "/proc/mounts no longer shows dfsa" sh -c "! grep -q '^none /mfs mfs .*dfsa' /proc/mounts"
fi
om_barrier remount0
run off /mfs/home$D/off fwd $N
if [[ $OM_NODE == 1 ]]; then
	om_expect "remount dfsa=1" mount -o remount,dfsa=1 /mfs
fi
om_barrier remount1
run on /mfs/3$D/on dfsa 16	# node 3's file

# DFSA for path calls: mig_prog dfsa-paths BASE makes N rounds of 12 raw
# stat/statx/access/readlink calls on 17 paths at node 2; brought home, it
# dumps the last round's results, which must be byte for byte what a
# native run at home gives (st_dev, st_ino, stx_mnt_id, the attribute
# mask, every errno, readlink's truncation).  Per round 154 calls are
# answered at node 2 (BASE's f, d, d/, d/../f, //f, l, ll, nosuch, f/x,
# p/x: 12 each; la and up: the 5 that do not follow them; /mfs/2: 12; the
# relative f, from its cwd BASE: 12), 38 go home after all (la and up
# followed: 7 each, an absolute link and /mfs itself; up/.. and
# /mfs/selected/tmp: 12 each) and 12 are not under the view (/mfs).  "revoked": remount,dfsa=0 at
# home while it is away revokes the view it had: everything forwarded.
P=/tmp/dfsa-p			# each node's tree for the path calls
rm -rf "$P"
mkdir -p "$P/d" "$P/p"
echo "node$OM_NODE" >"$P/f"
touch "$P/p/x"
chown 1000 "$P/p" && chmod 700 "$P/p"	# p/x: EACCES (root is squashed)
ln -s f "$P/l"
ln -s d/../f "$P/ll"
ln -s /etc/hostname "$P/la"	# absolute: home resolves it
ln -s ../../.. "$P/up"		# to /mfs itself
om_barrier paths-ready

# run_paths NAME BASE ROUNDS MODE(dfsa|revoked)
run_paths() {
	local name=$1 base=$2 n=$3 mode=$4 pid dd df fb
	not_home "$name" rounds && return 0
	job_start "$name" mig_prog dfsa-paths "$base" "$n"
	pid=$job
	om_expect "$name: migrate to node 2" omctl proc migrate "$pid" 2 --wait
	om_barrier "$name-away"
	if [[ $mode == revoked ]]; then
		om_expect "$name: remount dfsa=0 while it is away" mount -o remount,dfsa=0 /mfs
		sleep 2		# the empty view's way to node 2
	fi
	om_barrier "$name-before"
	echo go >&7
	om_expect "$name: the rounds at node 2" om_wait_for 60 grep -q "rounds done" "$W/$name.out"
	om_expect "$name: still at node 2" test "$(om_where "$pid")" = 2
	om_barrier "$name-rounds"
	om_barrier "$name-counted"
	dd=$(delta "$name" 1) df=$(delta "$name" 2) fb=$(delta "$name" 3)
	echo "# $name: node 2 answered $dd path calls, $fb went home after all, $df forwarded"
	if [[ $mode == dfsa ]]; then
		om_expect "$name: answered at node 2 (dfsa_calls +$dd >= $((154 * n)))" \
			test "$dd" -ge $((154 * n))
		om_expect "$name: fallbacks (dfsa_fallbacks +$fb, $((38 * n)) expected)" \
			test "$fb" -ge $((30 * n)) -a "$fb" -le $((45 * n))
		om_expect "$name: the rest forwarded (fwd_calls +$df < $((58 * n + 40)))" \
			test "$df" -lt $((58 * n + 40))
	else
		om_expect "$name: nothing answered at node 2 (dfsa_calls +$dd)" test "$dd" = 0
		om_expect "$name: every call forwarded (fwd_calls +$df >= $((204 * n)))" \
			test "$df" -ge $((204 * n))
	fi
	job_end "$name" 12
	mig_prog dfsa-paths "$base" 1 nowait >"$W/$name.native" 2>&1 || true
	om_expect "$name: 204 results" test "$(grep -c '^c ' "$W/$name.out")" = 204
	om_expect "$name: byte for byte what home gives" \
		cmp <(grep '^c ' "$W/$name.out") <(grep '^c ' "$W/$name.native")
	if [[ $mode == revoked ]]; then
		om_expect "$name: remount dfsa=1" mount -o remount,dfsa=1 /mfs
	fi
}

# rounds: every count is so many per round (2840 of 20 rounds answered,
# 760 fallbacks, when first run), few enough for make check's time
run_paths paths-home /mfs/home$P 6 dfsa
run_paths paths-own /mfs/2$P 3 dfsa
run_paths paths-third /mfs/3$P 6 dfsa
run_paths paths-revoked /mfs/home$P 3 revoked

# DFSA phase 3a, path mutations: mig_prog dfsa-mut BASE makes 47 raw
# mkdir/rmdir/unlink/rename/symlink/link/chmod/chown/utime*/truncate calls
# in BASE (a fresh directory of $M) at node 2; brought home, it prints each
# result and a listing of the tree, which must be byte for byte what a
# native run at home in a twin directory gives.  Counts at node 2, from
# om_dfsa_mut.c: of the 48 calls 46 are made there (dfsa_calls +46; the
# renames into node 2's x and under /mfs2 of an EXDEV, every other errno
# and the umask included), the rename into /mfs2 (another mount of the
# view) goes home after all (dfsa_fallbacks +1), umask is forwarded
# (fwd_calls: umask, the fallback, "calls done" and maybe the wait for the
# second line: 3 or 4).  mut-off: dfsa_paths 0 at home while it is away
# (an empty view), without utime/utimes/futimesat (not served, they take
# it home): all 45 forwarded, none made at node 2.
M=/tmp/dfsa-m			# each node's directories for the mutations
XN=/mfs/2$M/x			# another node's directory: rename is EXDEV
rm -rf "$M"
mkdir -p "$M/x"
chmod 777 "$M/x"
for b in {nat,mig}-mut-{home,third,off}; do
	mkdir -p "$M/$b/acc"
	chmod 777 "$M/$b"		# root is squashed to nobody on MFS
	chown 1000 "$M/$b/acc" && chmod 755 "$M/$b/acc"	# acc/x: EACCES
done
if [[ $OM_NODE == 1 ]]; then
	mkdir -p /mfs2
	om_expect "a second MFS mount at home (/mfs2)" mount -t mfs none /mfs2
fi
om_barrier mut-ready

# run_mut NAME BASE(a dir of $M, under /mfs/N) XMNT MODE(dfsa|off)
run_mut() {
	local name=$1 base=$2 xmnt=$3 mode=$4 extra="" n=48 pid dd df fb
	not_home "$name" calls && return 0
	if [[ $mode == off ]]; then
		extra=noutime n=45
	fi
	job_start "$name" mig_prog dfsa-mut "$base/mig-$name" "$XN" "$xmnt" $extra
	pid=$job
	om_expect "$name: f and g made at home" om_wait_for 20 grep -q "^ready" "$W/$name.out"
	om_expect "$name: migrate to node 2" omctl proc migrate "$pid" 2 --wait
	om_barrier "$name-away"
	if [[ $mode == off ]]; then
		om_expect "$name: dfsa_paths=0 while it is away" sh -c "echo 0 >$K/dfsa_paths"
		sleep 1		# the empty view's way to node 2
	fi
	om_barrier "$name-before"
	echo go >&7
	om_expect "$name: the calls at node 2" om_wait_for 60 grep -q "calls done" "$W/$name.out"
	om_expect "$name: still at node 2" test "$(om_where "$pid")" = 2
	om_barrier "$name-calls"
	om_barrier "$name-counted"
	dd=$(delta "$name" 1) df=$(delta "$name" 2) fb=$(delta "$name" 3)
	echo "# $name: node 2 made $dd calls, $fb went home after all, $df forwarded"
	if [[ $mode == dfsa ]]; then
		om_expect "$name: made at node 2 (dfsa_calls +$dd, 46 expected)" test "$dd" = 46
		om_expect "$name: the rename under /mfs2 went home (dfsa_fallbacks +$fb, 1 expected)" \
			test "$fb" = 1
		om_expect "$name: umask and the fallback forwarded (fwd_calls +$df, 3 or 4)" \
			test "$df" -ge 2 -a "$df" -le 6
	else
		om_expect "$name: nothing made at node 2 (dfsa_calls +$dd)" test "$dd" = 0
		om_expect "$name: no fallbacks without a view (dfsa_fallbacks +$fb)" test "$fb" = 0
		om_expect "$name: every call forwarded (fwd_calls +$df >= $n)" test "$df" -ge "$n"
	fi
	job_end "$name" 13
	if [[ $mode == off ]]; then
		om_expect "$name: dfsa_paths=1" sh -c "echo 1 >$K/dfsa_paths"
	fi
	mig_prog dfsa-mut "$base/nat-$name" "$XN" "$xmnt" nowait $extra >"$W/$name.native" 2>&1 || true
	om_expect "$name: $n results" test "$(grep -c '^m ' "$W/$name.out")" = "$n"
	om_expect "$name: results and tree byte for byte what home gives" \
		cmp "$W/$name.out" "$W/$name.native"
}

run_mut mut-home /mfs/home$M /mfs2/home$M/x dfsa
run_mut mut-third /mfs/3$M /mfs2/3$M/x dfsa
run_mut mut-off /mfs/home$M /mfs2/home$M/x off
if [[ $OM_NODE == 1 ]]; then
	om_expect "umount /mfs2" umount /mfs2
fi
om_barrier mut-done

# DFSA phase 2, relative names: mig_prog dfsa-rel DIR LDIR (a fresh
# directory of $R under /mfs/home, and its local name) chdirs into DIR at
# node 2 and makes 45 calls there, relative names and getcwd; meanwhile
# its cwd (DIR/sub) is renamed here by its local names, which home's /mfs
# does not see, and a new DIR/sub with another mark made in its place.
# Brought home, it prints each result and a listing of DIR, which must be
# byte for byte what a native run in a twin directory gives (which makes
# that rename itself).  Counts at node 2, from om_dfsa_path.c,
# om_dfsa_mut.c and om_mfs_dfsa_cwd(): 33 answered there (before the
# rename: 12 stat/access/readlink, 4 getcwd, 11 mutations; in sub: 3
# stat, getcwd, unlink, mkdir); 6 go home after all (sub/../../NAME/f: a
# ".." above its start; after the rename all 5 calls, since the cwd's path
# now ends on the new sub, not on home's cwd: never answered from it);
# forwarded: chdir twice, those 6, the climb out of /mfs, open, fstatat
# of its dirfd and close, "phase1 done" and the wait for the line, "calls
# done" and maybe the last wait: 15 or 16.
R=/tmp/dfsa-r			# each node's directories for relative names
rm -rf "$R"
mkdir -p "$R/mig-rel-home" "$R/nat-rel-home"
chmod 777 "$R/mig-rel-home" "$R/nat-rel-home"	# root is squashed to nobody on MFS
om_barrier rel-ready

# run_rel NAME: in $R/mig-NAME at node 2, in $R/nat-NAME natively
run_rel() {
	local name=$1 pid dd df fb d
	not_home "$name" calls && return 0
	d=$R/mig-$name
	job_start "$name" mig_prog dfsa-rel "/mfs/home$d" "$d"
	pid=$job
	om_expect "$name: its tree made at home" om_wait_for 20 grep -q "^ready" "$W/$name.out"
	om_expect "$name: migrate to node 2" omctl proc migrate "$pid" 2 --wait
	om_barrier "$name-away"
	om_barrier "$name-before"
	echo go >&7
	om_expect "$name: the first calls at node 2" om_wait_for 60 grep -q "phase1 done" "$W/$name.out"
	om_expect "$name: its cwd renamed at home, a new sub in its place" \
		bash -c "mv $d/sub $d/moved && mkdir $d/sub && ln -s new $d/sub/mark"
	echo go >&7
	om_expect "$name: the calls at node 2" om_wait_for 60 grep -q "calls done" "$W/$name.out"
	om_expect "$name: still at node 2" test "$(om_where "$pid")" = 2
	om_barrier "$name-calls"
	om_barrier "$name-counted"
	dd=$(delta "$name" 1) df=$(delta "$name" 2) fb=$(delta "$name" 3)
	echo "# $name: node 2 answered $dd calls, $fb went home after all, $df forwarded"
	om_expect "$name: answered at node 2 (dfsa_calls +$dd, 33 expected)" test "$dd" = 33
	om_expect "$name: the climb above its start and the calls after the rename went home (dfsa_fallbacks +$fb, 6 expected)" \
		test "$fb" = 6
	om_expect "$name: forwarded (fwd_calls +$df, 15 or 16)" test "$df" -ge 15 -a "$df" -le 16
	job_end "$name" 14
	om_expect "$name: the moved cwd's names, never the new sub's" \
		grep -qx "r moved-readlink-mark 3 0 old" "$W/$name.out"
	mig_prog dfsa-rel "/mfs/home$R/nat-$name" "$R/nat-$name" nowait >"$W/$name.native" 2>&1 || true
	om_expect "$name: 45 results" test "$(grep -c '^r ' "$W/$name.out")" = 45
	om_expect "$name: results and tree byte for byte what home gives" \
		cmp <(grep '^[re] ' "$W/$name.out") <(grep '^[re] ' "$W/$name.native")
}

run_rel rel-home
om_barrier rel-done

# DFSA for directories: mig_prog dfsa-dir DIR (a directory of home's tree
# with 320 names of 4 bytes: 300 files, 10 directories, 10 links; with
# "." and "..", 322 entries of 24 bytes, 21 to a 512-byte getdents64)
# lists it at node 2 and must print byte for byte what a native run at
# home prints: every entry's name, d_ino, d_type and d_off in the order
# returned, the telldirs, EINVAL for a seekdir (MFS's directories only
# tell and rewind), the rest after the fallback (fcntl) continued at home
# where node 2 stopped, and a second fd's rest after going home.  Counts
# at node 2, from om_dfsa.c: served there (dfsa_calls +53): fstat, a
# telldir, 17 getdents64 of the whole listing (16 with entries, one 0)
# and a telldir after each, the seekdir and the getdents64 after it, the
# rewind, 8 getdents64, a telldir, the second fd's 5 getdents64;
# forwarded (fwd_calls 16 or 17): the open, the listing's place handed
# home (a forwarded lseek) and the fcntl, the rest (154 entries: 9
# getdents64), a telldir, close, the second open, "calls done" and
# maybe the wait for the line; no path call (dfsa_fallbacks +0).
DD=/tmp/dfsa-dd			# the directory, at home
rm -rf "$DD"
if [[ $OM_NODE == 1 ]]; then
	mkdir -p "$DD" && chmod 755 "$DD"
	(cd "$DD" && touch f{000..299} && mkdir d00{0..9} &&
		for i in {0..9}; do ln -s f000 "l00$i"; done)
fi
om_barrier dir-ready

# run_dir NAME DIR
run_dir() {
	local name=$1 dir=$2 pid dd df fb
	not_home "$name" calls && return 0
	job_start "$name" mig_prog dfsa-dir "$dir"
	pid=$job
	om_expect "$name: started at home" om_wait_for 20 grep -q "^ready" "$W/$name.out"
	om_expect "$name: migrate to node 2" omctl proc migrate "$pid" 2 --wait
	om_barrier "$name-away"
	om_barrier "$name-before"
	echo go >&7
	om_expect "$name: the calls at node 2" om_wait_for 60 grep -q "calls done" "$W/$name.out"
	om_expect "$name: still at node 2" test "$(om_where "$pid")" = 2
	om_barrier "$name-calls"
	om_barrier "$name-counted"
	dd=$(delta "$name" 1) df=$(delta "$name" 2) fb=$(delta "$name" 3)
	echo "# $name: node 2 served $dd calls, forwarded $df, $fb path fallbacks"
	om_expect "$name: served at node 2 (dfsa_calls +$dd, 53 expected)" test "$dd" = 53
	om_expect "$name: forwarded (fwd_calls +$df, 16 or 17)" test "$df" -ge 16 -a "$df" -le 17
	om_expect "$name: no path fallbacks (dfsa_fallbacks +$fb)" test "$fb" = 0
	job_end "$name" 15
	mig_prog dfsa-dir "$dir" nowait >"$W/$name.native" 2>&1 || true
	om_expect "$name: 966 entries listed" test "$(grep -c '^e ' "$W/$name.out")" = 966
	om_expect "$name: seekdir EINVAL, telldir 168 and 322, as MFS at home" \
		bash -c "grep -qx 'g seek-mid -1 22' $W/$name.out &&
			grep -qx 'g tell-half 168 0' $W/$name.out &&
			grep -qx 'g tell-end 322 0' $W/$name.out &&
			grep -qx 'g fd2-tell 322 0' $W/$name.out"
	om_expect "$name: byte for byte what home gives" cmp "$W/$name.out" "$W/$name.native"
}

run_dir dir-home /mfs/home$DD
om_barrier dir-done

# openMosix's per-process links for a process away from home: a shell
# (its builtins only: nothing brings it home) chooses node 3, moves to
# node 2, creates a file through /mfs/magic (at node 2, where it runs),
# reads it back through /mfs/magic (the node of that create), and reads
# a file of each node through /mfs/selected, /mfs/lastexec and /mfs/here.
echo "node$OM_NODE" >"$D/mine"
om_barrier links-ready
if [[ $OM_NODE == 1 ]]; then
	rm -f "$W/sh.in" && mkfifo "$W/sh.in"
	bash -c 'echo 3 >/proc/hpc/selected; read -r go
		echo "made by $$" >/mfs/magic'"$D"'/made
		read -r a </mfs/magic'"$D"'/made; read -r b </mfs/selected'"$D"'/mine
		read -r c </mfs/lastexec'"$D"'/mine; read -r d </mfs/here'"$D"'/mine
		echo "magic=$a selected=$b lastexec=$c here=$d"' \
		<"$W/sh.in" >"$W/sh.out" 2>&1 &
	pid=$!
	exec 7>"$W/sh.in"
	sleep 1
	om_expect "links: migrate the shell to node 2" omctl proc migrate "$pid" 2 --wait
	echo go >&7
	exec 7>&-
	rc=0
	wait "$pid" || rc=$?
	cat "$W/sh.out"
	om_expect "links: the shell ended well" test "$rc" = 0
	om_expect "links: what it read through magic, selected, lastexec and here" \
		test "$(cat "$W/sh.out")" = "magic=made by $pid selected=node3 lastexec=node1 here=node2"
	om_expect "links: /mfs/magic made the file at node 2" \
		test "$(cat /mfs/2$D/made)" = "made by $pid"
	om_expect "links: not at home" test ! -e "$D/made"
fi
om_barrier done
echo 1 >$K/balance
umount /mfs || true
rm -rf "$W" "$D" "$P" "$M" "$R" "$DD"
