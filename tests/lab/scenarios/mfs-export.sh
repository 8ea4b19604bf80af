# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# MFS export list (issue 13): node 2's openmosix.conf says
# MFS_EXPORTS="/srv/mfsx/pub /srv/mfsx/ro:ro /srv/mfsx/pub/sub:ro" and
# MFS_ROOT=1 (so root from another node would be root there: only the list
# stops it); openmosix-start applies both and the list reads back.  Node 1
# then sees the exports' files, and nothing else: /mfs/2/ lists only srv,
# /mfs/2/srv/mfsx only pub and ro, /mfs/2/etc and /mfs/2/srv/mfsx/other
# are ENOENT; creating in /, /srv or /srv/mfsx is EACCES; writing, making,
# removing, chmod and touch in the read-only exports (and the nested one)
# are EROFS; "pub/../../../etc/passwd" is ENOENT, and so are symlinks in
# the export to /mfs/2/etc/passwd and ../../../../etc/passwd (on node 2
# itself the relative one does reach /etc/passwd); a hard link out of the
# export, into a read-only one or from one, and a rename out of it fail;
# the nested export cannot be moved or removed (EBUSY).  Node 3 sees the
# same /mfs/2/.  Node 2 then takes the ro export out of the list while a
# process on node 1 has its cwd and an open file in it: its next listdir,
# stat and read are ESTALE.  A non-root user (EACCES) and root without
# CAP_SYS_ADMIN (EPERM, the kernel's own check) cannot change the list,
# and bad lists (missing, not a directory, relative) leave it as it was.
# Last the empty list restores the default: node 2's whole tree again.
# omlab-nodes: 3
# omlab-timeout: 400
set -e
X=/srv/mfsx		# node 2's tree
R=/mfs/2$X		# the same through MFS
K=/sys/kernel/openmosix
CONF=/etc/openmosix/openmosix.conf

# fails_with MSG CMD...: CMD fails, and its error output says MSG
fails_with() {
	local msg=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "# succeeded: $*"
		return 1
	fi
	grep -qF -- "$msg" <<<"$out" && return 0
	echo "# $*: $out"
	return 1
}
ENOENT="No such file or directory"
EACCES="Permission denied"
EROFS="Read-only file system"

om_shared_key
om_write_map
printf 'KEY_FILE=/etc/openmosix/cluster.key\nMAP_FILE=/etc/openmosix/openmosix.map\n' >$CONF
printf 'HB_INTERVAL_MS=1000\nHB_TIMEOUT_MS=3000\n' >>$CONF
if [[ $OM_NODE == 2 ]]; then
	rm -rf $X
	mkdir -p $X/pub/sub $X/ro $X/other
	echo pub >$X/pub/f
	echo sub >$X/pub/sub/f
	echo ro >$X/ro/f
	echo other >$X/other/f
	ln -s /mfs/2/etc/passwd $X/pub/abs
	ln -s ../../../../etc/passwd $X/pub/rel
	om_expect "on node 2 itself, pub/rel reaches /etc/passwd" cmp $X/pub/rel /etc/passwd
	printf 'MFS_ROOT=1\nMFS_EXPORTS="%s"\n' "$X/pub $X/ro:ro $X/pub/sub:ro" >>$CONF
fi
om_expect "openmosix-start" openmosix-start
if [[ $OM_NODE == 2 ]]; then
	om_expect "the list reads back, one entry a line" \
		test "$(cat $K/mfs_exports)" = "$X/pub"$'\n'"$X/ro:ro"$'\n'"$X/pub/sub:ro"
fi
om_expect "all up" om_wait_for 60 om_nodes_up "$OM_NNODES"
om_barrier all-up
mkdir -p /mfs
om_expect "mount -t mfs" mount -t mfs none /mfs
om_expect "node 2 in /mfs" om_wait_for 20 test -d /mfs/2

if [[ $OM_NODE != 2 ]]; then
	om_expect "ls /mfs/2/ lists only srv" test "$(ls /mfs/2/)" = srv
	om_expect "ls /mfs/2/srv lists only mfsx" test "$(ls /mfs/2/srv)" = mfsx
	om_expect "ls $R lists pub and ro" test "$(ls $R | tr '\n' ' ')" = "pub ro "
	om_expect "the export's files" test "$(cat $R/pub/f $R/pub/sub/f $R/ro/f)" = pub$'\n'sub$'\n'ro
	om_expect "ls of the export" test "$(ls $R/pub | tr '\n' ' ')" = "abs f rel sub "
	om_expect "/mfs/2/etc is ENOENT" fails_with "$ENOENT" stat /mfs/2/etc
	om_expect "/mfs/2/etc/passwd is ENOENT" fails_with "$ENOENT" cat /mfs/2/etc/passwd
	om_expect "$R/other is ENOENT" fails_with "$ENOENT" cat $R/other/f
fi
om_barrier seen
if [[ $OM_NODE == 1 ]]; then
	om_expect "statfs on the way" bash -c "stat -f /mfs/2/srv >/dev/null"
	om_expect "create in / is EACCES" fails_with "$EACCES" touch /mfs/2/new
	om_expect "mkdir in /srv is EACCES" fails_with "$EACCES" mkdir /mfs/2/srv/new
	om_expect "create in $X is EACCES" fails_with "$EACCES" touch $R/new
	om_expect "chmod of /srv is EACCES" fails_with "$EACCES" chmod 777 /mfs/2/srv
	om_expect "writing in pub works" bash -c "echo w >$R/pub/w && test \"\$(cat $R/pub/w)\" = w"
	om_expect "rename inside pub works" mv $R/pub/w $R/pub/w2
	om_expect "create in ro is EROFS" fails_with "$EROFS" touch $R/ro/new
	om_expect "write in ro is EROFS" fails_with "$EROFS" bash -c "echo x >>$R/ro/f"
	om_expect "truncate in ro is EROFS" fails_with "$EROFS" truncate -s 0 $R/ro/f
	om_expect "mkdir in ro is EROFS" fails_with "$EROFS" mkdir $R/ro/d
	om_expect "unlink in ro is EROFS" fails_with "$EROFS" rm $R/ro/f
	om_expect "chmod in ro is EROFS" fails_with "$EROFS" chmod 600 $R/ro/f
	om_expect "touch in ro is EROFS" fails_with "$EROFS" touch -d @1000000000 $R/ro/f
	om_expect "nested ro export inside pub: EROFS" fails_with "$EROFS" touch $R/pub/sub/new
	om_expect "the ro file unchanged" test "$(cat $R/ro/f)" = ro
	om_expect "pub/../../../etc/passwd is ENOENT" fails_with "$ENOENT" cat $R/pub/../../../etc/passwd
	om_expect "symlink to /mfs/2/etc/passwd is ENOENT" fails_with "$ENOENT" cat $R/pub/abs
	om_expect "symlink to ../../../../etc/passwd is ENOENT" fails_with "$ENOENT" cat $R/pub/rel
	om_expect "... they are symlinks" test "$(readlink $R/pub/rel)" = ../../../../etc/passwd
	om_expect "hard link out of the export is EACCES" fails_with "$EACCES" ln $R/pub/f $R/f
	om_expect "hard link into ro is EROFS" fails_with "$EROFS" ln $R/pub/f $R/ro/f2
	om_expect "hard link from ro is EROFS" fails_with "$EROFS" ln $R/ro/f $R/pub/f3
	om_expect "rename out of the export is EACCES" fails_with "$EACCES" mv $R/pub/f $R/f
	om_expect "rename into ro is EROFS" fails_with "$EROFS" mv $R/pub/f $R/ro/f4
	om_expect "the nested export cannot be renamed (EBUSY)" \
		fails_with "Device or resource busy" mv $R/pub/sub $R/pub/sub2
	om_expect "... nor removed" fails_with "Device or resource busy" rmdir $R/pub/sub
	om_expect "the export root cannot be renamed (EACCES)" fails_with "$EACCES" mv $R/pub $R/pub2
fi
om_barrier checked
if [[ $OM_NODE == 2 ]]; then
	om_expect "nothing came out of node 1's tries" \
		test "$(ls $X | tr '\n' ' ')" = "other pub ro " -a ! -e /srv/new -a ! -e /new
	om_expect "pub: node 1's file, the nested export in place" test -f $X/pub/w2 -a -f $X/pub/sub/f
fi

# the list changes under a process that holds handles in the ro export
if [[ $OM_NODE == 1 ]]; then
	rm -f /tmp/mfsx-go
	python3 -c "
import errno, os, sys, time
os.chdir('$R/ro')
fd = os.open('f', os.O_RDONLY)
assert os.listdir('.') == ['f'] and os.pread(fd, 10, 0) == b'ro\n'
open('/tmp/mfsx-ready', 'w').close()
while not os.path.exists('/tmp/mfsx-go'):
    time.sleep(0.1)
out = []
for what, op in (('listdir', lambda: os.listdir('.')), ('stat', lambda: os.stat('.')),
                 ('read', lambda: os.pread(fd, 10, 0))):
    try:
        op()
        out.append(what + ' worked')
    except OSError as e:
        out.append(what + ' ' + errno.errorcode.get(e.errno, str(e.errno)))
print(' '.join(out))
" >"$OM_OUT/held" 2>&1 &
	held=$!
	om_expect "a process holds a cwd and a file in ro" om_wait_for 20 test -e /tmp/mfsx-ready
fi
om_barrier holding
if [[ $OM_NODE == 2 ]]; then
	om_expect "ro taken out of the list" bash -c "echo '$X/pub' >$K/mfs_exports"
	om_expect "... reads back" test "$(cat $K/mfs_exports)" = "$X/pub"
fi
om_barrier changed
if [[ $OM_NODE == 1 ]]; then
	touch /tmp/mfsx-go
	wait "$held" || true
	cat "$OM_OUT/held"
	om_expect "its listdir, stat and read are now ESTALE" \
		test "$(cat "$OM_OUT/held")" = "listdir ESTALE stat ESTALE read ESTALE"
	om_expect "ro is gone from $R" test "$(ls $R)" = pub
	om_expect "$R/ro/f is ENOENT" fails_with "$ENOENT" cat $R/ro/f
fi
if [[ $OM_NODE == 2 ]]; then
	as_user() { setpriv --reuid=4242 --regid=4242 --clear-groups "$@"; }
	no_sysadmin() { setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin "$@"; }
	om_expect "a user cannot change the list (EACCES)" \
		fails_with "$EACCES" as_user bash -c "echo / >$K/mfs_exports"
	om_expect "root without CAP_SYS_ADMIN cannot (EPERM)" \
		fails_with "Operation not permitted" no_sysadmin bash -c "echo / >$K/mfs_exports"
	om_expect "a missing path is ENOENT" fails_with "$ENOENT" bash -c "echo '$X/pub /nonexistent' >$K/mfs_exports"
	om_expect "a file is ENOTDIR" fails_with "Not a directory" bash -c "echo /etc/hostname >$K/mfs_exports"
	om_expect "a relative path is EINVAL" fails_with "Invalid argument" bash -c "echo srv >$K/mfs_exports"
	om_expect "a path twice is EINVAL" fails_with "Invalid argument" bash -c "echo '$X/pub $X/pub/sub/..' >$K/mfs_exports"
	om_expect "the list is unchanged" test "$(cat $K/mfs_exports)" = "$X/pub"
	om_expect "openmosix-start -n names a missing export" fails_with \
		"MFS_EXPORTS: /nonexistent does not exist (create it, or take it out of MFS_EXPORTS" \
		bash -c "sed 's|^MFS_EXPORTS=.*|MFS_EXPORTS=/nonexistent|' $CONF >/tmp/bad.conf && openmosix-start -n -c /tmp/bad.conf"
fi
om_barrier refused
[[ $OM_NODE != 2 ]] || om_expect "the empty list" bash -c "echo >$K/mfs_exports && test -z \"\$(cat $K/mfs_exports)\""
om_barrier emptied
if [[ $OM_NODE == 1 ]]; then
	om_expect "node 2's /etc again" test -s /mfs/2/etc/passwd
	om_expect "... /srv/mfsx/other" test "$(cat $R/other/f)" = other
	om_expect "... writable by root (MFS_ROOT=1): the list was what stopped it" \
		bash -c "mkdir $R/new && rmdir $R/new && echo x >>$R/ro/f"
fi
om_barrier done
[[ $OM_NODE != 2 ]] || rm -rf $X
om_expect "umount" umount /mfs
om_expect "modprobe -r" modprobe -r openmosix
