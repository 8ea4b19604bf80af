# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Restore treats the image as untrusted input (issue 9, items 2, 3, 7),
# one node, nobody (65534) as the user:
#   - nobody's own image restores as nobody, by nobody and by root;
#   - nobody's image edited with crit to hold /etc/shadow O_RDWR: root's
#     restore fails, no process ever holds /etc/shadow;
#   - nobody's image edited to claim uid 0: root refuses it (untrusted);
#     --trust-image (dangerous) overrides that;
#   - a FIFO as the pages image: a prompt error, no hang;
#   - a restore blocked reading its pages (a suspended device-mapper
#     device) dies at once on kill -9;
#   - a 32-bit caller of OM_IOC_RESTORE is refused (EOPNOTSUPP);
#   - an image entry over 4 MiB is read (kvmalloc);
#   - 40 concurrent restores of images with a 300000-entry pagemap in a
#     cgroup with memory.max=100M: the cgroup hits its limit, the node's
#     available memory outside it does not fall.
# omlab-solo: 105
set -e
modprobe openmosix
W=/tmp/ckpt-restore-trust
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
ROUNDS=60	# ~1.5 s: still running when nobody checkpoints it
NB=(setpriv --reuid=65534 --regid=65534 --clear-groups)
DM=omrst$$
CG=/run/ckpt-restore-trust.cg

cleanup() {
	mountpoint -q "$W/slow" && umount -l "$W/slow"
	dmsetup resume --noudevsync "$DM" 2>/dev/null || true
	dmsetup remove --noudevsync "$DM" 2>/dev/null || true
	[[ -z ${LOOP-} ]] || losetup -d "$LOOP" 2>/dev/null || true
	if [[ -d $CG/r ]]; then
		echo 1 >"$CG/r/cgroup.kill" || true
		om_nap 1
		rmdir "$CG/r" 2>/dev/null || true
		umount "$CG" 2>/dev/null || true
	fi
}
trap cleanup EXIT

ready() { om_wait_for 30 test -s "$1.ready" || om_fail "$1: program did not start"; }

# rs WHO DIR [ARGS]: omctl restore DIR --wait as WHO; sets rc and err
rs() {
	local who=$1 d=$2
	shift 2
	rc=0
	if [[ $who == nobody ]]; then
		"${NB[@]}" timeout -k 5 60 omctl restore "$d" --wait "$@" \
			</dev/null >"$W/out" 2>"$W/err" || rc=$?
	else
		timeout -k 5 60 omctl restore "$d" --wait "$@" \
			</dev/null >"$W/out" 2>"$W/err" || rc=$?
	fi
	err=$(head -n 1 "$W/err")
	echo "# restore $d as $who: rc $rc${err:+: $err}"
}

# crit_edit WHO IMG PYTHON: WHO (nobody or root) edits an image with
# crit; PYTHON changes j, the decoded image
crit_edit() {
	local run=(env)
	[[ $1 == nobody ]] && run=("${NB[@]}")
	printf 'import json\nj = json.load(open("%s.json"))\n%s\njson.dump(j, open("%s.json", "w"))\n' \
		"$2" "$3" "$2" >"$W/edit.py"
	"${run[@]}" crit decode -i "$2" -o "$2.json"
	"${run[@]}" /usr/bin/python3 "$W/edit.py"
	"${run[@]}" crit encode -i "$2.json" -o "$2"
	rm -f "$2.json"
}

ckpt_prog compute "$W/ref.out" "$ROUNDS" 1 </dev/null >/dev/null 2>&1

# nobody's process, checkpointed by nobody into nobody's directory
U=$W/u
mkdir -m 755 "$U"
chown 65534:65534 "$U"
"${NB[@]}" setsid ckpt_prog compute "$U/c.out" "$ROUNDS" 1 </dev/null >/dev/null 2>&1 &
pid=$!
ready "$U/c.out"
om_expect "nobody checkpoints its own process" "${NB[@]}" omctl checkpoint "$pid" "$U/img"
wait "$pid" || true
for d in shadow uid0; do
	"${NB[@]}" cp -a "$U/img" "$U/$d"
done
ls -ln "$U/img"

# 1. the owner's image keeps working, for its owner and for root (as nobody)
rm -f "$U/c.out"
rs nobody "$U/img"
om_expect "nobody restores its own image" cmp "$W/ref.out" "$U/c.out"
rm -f "$U/c.out"
rs root "$U/img"
om_expect "root restores nobody's image (rc $rc)" cmp "$W/ref.out" "$U/c.out"
om_expect "... and it ran as nobody (its result file is nobody's)" \
	test "$(stat -c %u "$U/c.out")" = 65534

# 2. /etc/shadow O_RDWR as fd 0, restored by root
crit_edit nobody "$U/shadow/files.img" '
for e in j["entries"]:
    if e["type"] == "REG" and e["reg"]["name"] == "/dev/null":
        e["reg"]["name"] = "/etc/shadow"; e["reg"]["flags"] = 0o100002
        break
else:
    raise SystemExit("no /dev/null in files.img")'
om_expect "crit: the edited image names /etc/shadow" \
	sh -c "crit decode -i '$U/shadow/files.img' | grep -q /etc/shadow"
sha=$(sha256sum </etc/shadow)
rs root "$U/shadow" &
bg=$!
held=''
while om_alive "$bg"; do
	held+=$(find /proc/[0-9]*/fd -lname /etc/shadow 2>/dev/null | head -n 3)
done
wait "$bg" || true
om_expect "root's restore of the /etc/shadow image fails ($(head -n 1 "$W/err"))" \
	grep -q "cannot open /etc/shadow: Permission denied" "$W/err"
om_expect "no process held /etc/shadow (${held:-none})" test -z "$held"
om_expect "/etc/shadow unchanged" test "$(sha256sum </etc/shadow)" = "$sha"

# 3. nobody's image claiming uid 0
crit_edit nobody "$U/uid0/core-$pid.img" '
c = j["entries"][0]["thread_core"]["creds"]
for k in ("uid", "euid", "suid", "fsuid", "gid", "egid", "sgid", "fsgid"):
    c[k] = 0'
rm -f "$U/c.out"
rs root "$U/uid0"
om_expect "root refuses nobody's image that claims uid 0 ($err)" \
	test "$rc" = 2 -a ! -e "$U/c.out"
om_expect "... saying why" grep -q "untrusted image: it names uid 0, but uid 65534 owns" "$W/err"
rs nobody "$U/uid0"
om_expect "nobody cannot restore it either ($err)" grep -qi "permission denied" "$W/err"
# (as uid 0 without capabilities, which nobody's image had none of: it
# writes its result into a sticky world-writable directory)
chmod 1777 "$U"
rs root "$U/uid0" --trust-image
om_expect "root restores it with --trust-image (dangerous) (rc $rc)" cmp "$W/ref.out" "$U/c.out"
om_expect "... as uid 0" test "$(stat -c %u "$U/c.out")" = 0
chmod 755 "$U"
mkdir -m 700 "$W/nocred"
cp -a "$U/img/." "$W/nocred/"
chown -R 0:0 "$W/nocred"
crit_edit root "$W/nocred/core-$pid.img" 'del j["entries"][0]["thread_core"]["creds"]'
rs root "$W/nocred"
om_expect "root refuses an image without credentials ($err)" \
	grep -q "names no credentials" "$W/err"

# 4. a FIFO as the pages image: a prompt error (the kernel opens it)
mkdir -m 700 "$W/fifo"
cp -a "$U/img/." "$W/fifo/"
chown -R 0:0 "$W/fifo"
p=$(cd "$W/fifo" && echo pages-*.img)
rm "$W/fifo/$p"
mkfifo -m 600 "$W/fifo/$p"
t0=$SECONDS
rs root "$W/fifo"
om_expect "FIFO as $p: refused in $((SECONDS - t0)) s ($err)" \
	test "$rc" = 2 -a $((SECONDS - t0)) -lt 20
om_expect "... as not a regular file" grep -q "$p is not a regular file" "$W/err"

# 5. kill -9 of a restore blocked reading its pages
modprobe dm-mod
modprobe loop
truncate -s 64M "$W/disk"
LOOP=$(losetup --show -f "$W/disk")
dmsetup create --noudevsync "$DM" --table "0 $((64 << 11)) linear $LOOP 0"
dmsetup mknodes "$DM"
# no background writes (lazy init) to block on the suspended device
mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "/dev/mapper/$DM"
mkdir "$W/slow"
mount "/dev/mapper/$DM" "$W/slow"
cp -a "$U/img/." "$W/slow/"
chown -R 0:0 "$W/slow"
chmod 755 "$W/slow"
umount "$W/slow"
mount -o ro "/dev/mapper/$DM" "$W/slow"	# read-only: no journal writes either
for f in "$W"/slow/*.img; do	# everything but the pages cached
	[[ $f == */pages-* ]] && stat "$f" >/dev/null || cat "$f" >/dev/null
done
dmsetup suspend --noudevsync --nolockfs "$DM"
timeout -k 5 300 omctl restore "$W/slow" --wait </dev/null >"$W/out" 2>"$W/err" &
bg=$!
child=''
for ((i = 0; i < 300; i++)); do	# omctl's child in OM_IOC_RESTORE (syscall 16)
	# (named after the image's program by then: any child of omctl)
	child=$(pgrep -P "$(pgrep -P $bg)" || true)
	[[ -n $child ]] && [[ $(cat "/proc/$child/syscall" 2>/dev/null) == "16 "* ]] && break
	om_nap 0.1
done
om_nap 1
echo "# blocked restore: pid $child, $(cat "/proc/$child/wchan" 2>/dev/null)," \
	"state $(awk '{print $3}' "/proc/$child/stat" 2>/dev/null)"
[[ -n $child ]] || { ps -eo pid,ppid,stat,wchan:30,args; cat "$W/err"; } | sed 's/^/# /'
om_expect "a restore is blocked in OM_IOC_RESTORE" test -n "$child"
kill -9 "$child"
gone=no
for ((i = 0; i < 50; i++)); do
	kill -0 "$child" 2>/dev/null || { gone=yes; break; }
	om_nap 0.1
done
dmsetup resume --noudevsync "$DM"
wait "$bg" || true
om_expect "kill -9 ends the blocked restore within 5 s (gone: $gone)" test $gone = yes
umount "$W/slow"
dmsetup remove --noudevsync "$DM"
losetup -d "$LOOP"
LOOP=''

# 6. a 32-bit caller is refused
rc=0
(cd "$U/img" && restore32) || rc=$?
om_expect "a 32-bit caller of OM_IOC_RESTORE gets EOPNOTSUPP (errno $rc)" test "$rc" = 95

# 7. an entry over 4 MiB: files.img's first entry carries an unknown
# 5 MiB field (protobuf readers skip unknown fields; the whole entry is
# read into one buffer first, which kmalloc could not give)
mkdir -m 700 "$W/bigent"
cp -a "$U/img/." "$W/bigent/"
chown -R 0:0 "$W/bigent"
/usr/bin/python3 - "$W/bigent/files.img" <<'PY'
import struct, sys
p = sys.argv[1]
b = open(p, "rb").read()
n = struct.unpack_from("<I", b, 8)[0]
def varint(v):
    o = b""
    while v > 0x7f:
        o += bytes([(v & 0x7f) | 0x80]); v >>= 7
    return o + bytes([v])
extra = varint((500 << 3) | 2) + varint(5 << 20) + b"x" * (5 << 20)
e = b[12:12 + n] + extra
open(p, "wb").write(b[:8] + struct.pack("<I", len(e)) + e + b[12 + n:])
PY
om_expect "files.img has an entry over 4 MiB" test "$(stat -c %s "$W/bigent/files.img")" -gt $((5 << 20))
rm -f "$U/c.out"
rs root "$W/bigent"
om_expect "an image with a 5 MiB entry restores (rc $rc)" cmp "$W/ref.out" "$U/c.out"

# 8. kernel memory of 40 concurrent restores is charged to their cgroup
mkdir -m 700 "$W/huge"
cp -a "$U/img/." "$W/huge/"
chown -R 0:0 "$W/huge"
pm=$(cd "$W/huge" && echo pagemap-*.img)
/usr/bin/python3 - "$W/huge/$pm" <<'EOF'
# 300000 more entries (not present, so no pages) above every mapping
import struct
import sys

def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)

base = 0x700000000000 >> 12
with open(sys.argv[1], "ab") as f:
    chunks = []
    for i in range(300000):
        pb = b"\x08" + varint((base + 2 * i) << 12) + b"\x10\x01\x20\x00"
        chunks.append(struct.pack("<I", len(pb)) + pb)
    f.write(b"".join(chunks))
EOF
mkdir -p "$CG"
mountpoint -q "$CG" || mount -t cgroup2 none "$CG"
echo +memory >"$CG/cgroup.subtree_control" 2>/dev/null || true
mkdir -p "$CG/r"
echo 100M >"$CG/r/memory.max"
echo 0 >"$CG/r/memory.swap.max" 2>/dev/null || true
avail() { awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo; }
before=$(avail)
(echo "$BASHPID" >"$CG/r/cgroup.procs"
 for ((i = 0; i < 40; i++)); do
	timeout -k 5 120 omctl restore "$W/huge" </dev/null >/dev/null 2>"$W/huge-$i.err" &
 done
 wait) &
bg=$!
low=$before
while om_alive "$bg"; do
	a=$(avail)
	((a < low)) && low=$a
	om_nap 0.2
done
wait "$bg" || true
read -r _ hits < <(grep '^max ' "$CG/r/memory.events")
peak=$(($(cat "$CG/r/memory.peak" 2>/dev/null || echo 0) >> 20))
echo "# MemAvailable $before MiB before, lowest $low MiB; cgroup peak ${peak} MiB," \
	"hit memory.max $hits times; errors: $(cat "$W"/huge-*.err | sort | uniq -c | head -n 3)"
om_expect "the restores' cgroup hit memory.max ($hits times)" test "$hits" -gt 0
om_expect "available memory outside fell by less than 150 MiB ($((before - low)) MiB)" \
	test $((before - low)) -lt 150
# what the OOM killer left: kill it and wait until the cgroup is empty
echo 1 >"$CG/r/cgroup.kill"
for ((i = 0; i < 300; i++)); do
	grep -q '^populated 0' "$CG/r/cgroup.events" && break
	om_nap 0.1
done
om_expect "the restores' cgroup empties after cgroup.kill" grep -q '^populated 0' "$CG/r/cgroup.events"
rmdir "$CG/r"
umount "$CG"

om_expect "module unloads (no references left)" modprobe -r openmosix
echo "# total $SECONDS s"
