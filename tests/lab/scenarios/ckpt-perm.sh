# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Checkpoint permission is ptrace-attach permission (issue 9, 1 and 4):
# Yama's ptrace_scope 2 and 3 refuse what ptrace would refuse, root
# included where ptrace refuses root; a checkpoint racing the target's
# execve() of a setuid-root program never images it with root's
# credentials; images are never written into files someone else put in
# the directory (a file, a FIFO), nor into a directory others can write;
# a target that never reaches a safe point holds at most one pending
# freeze.
# ptrace_scope 3 cannot be undone until reboot: tests/run-all runs this
# scenario last.
# omlab-last
# omlab-solo: 65
set -e
modprobe openmosix
W=/tmp/ckpt-perm
rm -rf "$W"
mkdir -p "$W"
chmod 711 "$W"
# an array, not a function: "$!" of a backgrounded function is its subshell
asnobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# a setuid-root copy of perm_prog (the guest's root is a tmpfs overlay)
install -o root -m 4755 "$(command -v perm_prog)" /usr/local/bin/om-suid-hold
"${asnobody[@]}" /usr/local/bin/om-suid-hold hold 5 &
om_wait_for 10 sh -c "grep -Eq '^Uid:[[:space:]]+65534[[:space:]]+0[[:space:]]' /proc/$!/status" || true
om_expect "the setuid copy runs with euid 0" \
	grep -Eq '^Uid:[[:space:]]+65534[[:space:]]+0[[:space:]]' /proc/$!/status
kill $! 2>/dev/null || true

refused() { # refused PID REGEX DIR [runner...]: fails with a reason, writes nothing
	local p=$1 re=$2 d=$3 out rc=0
	shift 3
	out=$("$@" omctl checkpoint "$p" "$d" --leave-running 2>&1) || rc=$?
	echo "# omctl: $out (rc $rc)"
	[[ $rc != 0 ]] && grep -Eq "$re" <<<"$out" && ! test -e "$d/core-$p.img" && kill -0 "$p"
}

# nobody's own process, images in nobody's own directory
"${asnobody[@]}" setsid perm_prog hold 600 </dev/null >/dev/null 2>&1 &
pid=$!
install -d -o nobody -m 700 "$W/nb"
om_expect "scope 0: nobody checkpoints its own process" \
	"${asnobody[@]}" omctl checkpoint "$pid" "$W/nb/s0" --leave-running

# 1. Yama
sysctl -q kernel.yama.ptrace_scope=2
om_expect "scope 2: nobody refused" refused "$pid" "permission denied.*ptrace" "$W/nb/s2" "${asnobody[@]}"
om_expect "scope 2: root (CAP_SYS_PTRACE) checkpoints" \
	omctl checkpoint "$pid" "$W/root-s2" --leave-running
sysctl -q kernel.yama.ptrace_scope=0

# 2. execve() of a setuid-root program racing nobody's checkpoint: an
# image is of nobody's program, or there is none
install -d -o nobody -m 700 "$W/nb/race"
"${asnobody[@]}" perm_prog race 200 /usr/local/bin/om-suid-hold "$W/nb/race" | tee "$W/race.out"
om_expect "race ran 200 times" grep -q '^race: 200 tries' "$W/race.out"
echo "# refusals: $(grep -c 'executed a new program' "$W/nb/race/errors.log" || true) caught at the freeze or" \
	"with the old memory, $(grep -c 'may not attach' "$W/nb/race/errors.log" || true) after the exec"
# every distinct reason, for a failure's diagnosis
sed 's/[0-9][0-9]*/N/g' "$W/nb/race/errors.log" 2>/dev/null | sort | uniq -c | sed 's/^/#   /' || true
om_expect "some raced checkpoints were taken (before the exec)" \
	test "$(sed -n 's/.* \([0-9]*\) taken.*/\1/p' "$W/race.out")" -ge 10
cat >"$W/creds.py" <<'PY'
import glob, sys
import pycriu
bad = n = 0
for f in glob.glob(sys.argv[1] + "/*/core-*.img"):
    with open(f, "rb") as fh:
        cr = pycriu.images.load(fh)["entries"][0]["thread_core"]["creds"]
    n += 1
    ids = [cr[k] for k in ("uid", "euid", "suid", "fsuid", "gid", "egid", "sgid", "fsgid")]
    if any(i != 65534 for i in ids) or int(cr["cap_prm"][0]) or int(cr["cap_eff"][0]):
        bad += 1
        print("# %s: %s" % (f, ids))
print("# %d images, %d with credentials not nobody's" % (n, bad))
sys.exit(1 if bad else 0)
PY
om_expect "every raced image has nobody's credentials" python3 "$W/creds.py" "$W/nb/race"

# 3. image files are always new: nothing is written into what exists
mkdir -m 755 "$W/pre"
touch "$W/pre/pages-1.img"
chmod 666 "$W/pre/pages-1.img"
om_expect "existing pages-1.img refused" \
	refused "$pid" "pages-1.img already exists" "$W/pre"
om_expect "existing pages-1.img untouched" test ! -s "$W/pre/pages-1.img"
mkdir -m 755 "$W/fifo"
mkfifo "$W/fifo/pages-1.img"
t0=$SECONDS
om_expect "FIFO pages-1.img refused" refused "$pid" "pages-1.img already exists" "$W/fifo"
om_expect "FIFO refused at once ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 10
mkdir -m 777 "$W/open"
om_expect "world-writable directory refused" refused "$pid" "writable by others" "$W/open"
install -d -o nobody -m 755 "$W/theirs"
om_expect "someone else's directory refused" refused "$pid" "belongs to someone else" "$W/theirs"
install -d -o nobody -m 1777 "$W/nb-sticky"
om_expect "nobody's own sticky directory accepted" \
	"${asnobody[@]}" omctl checkpoint "$pid" "$W/nb-sticky" --leave-running

# 4. a target that never reaches a safe point (a killable sleep in the
# lab's test module): one pending freeze, not more
insmod "$OM_BUILD/$(uname -r)/testmod/om_lab_sleep.ko"
setsid cat /proc/om_lab_sleep </dev/null >/dev/null 2>&1 &
spid=$!
om_wait_for 20 grep -q '^State:[[:space:]]*D' /proc/$spid/status
om_expect "killable sleep: no safe point" \
	refused "$spid" "did not reach a safe point" "$W/ks1"
t0=$SECONDS
om_expect "killable sleep again: refused at once" \
	refused "$spid" "earlier checkpoint still waits" "$W/ks2"
om_expect "... without waiting ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 5
kill -9 "$spid"
wait "$spid" 2>/dev/null || true
om_expect "the pending freeze is gone with the process" \
	sh -c "setsid cat /proc/om_lab_sleep </dev/null >/dev/null 2>&1 & p=\$!; sleep 1; omctl checkpoint \$p $W/ks3 --leave-running 2>&1 | grep -q 'did not reach a safe point'; r=\$?; kill -9 \$p; exit \$r"
rmmod om_lab_sleep

# 5. Yama ptrace_scope 3: nobody attaches to anything, root neither
sysctl -q kernel.yama.ptrace_scope=3
om_expect "scope 3: nobody refused" refused "$pid" "permission denied.*ptrace" "$W/nb/s3" "${asnobody[@]}"
om_expect "scope 3: root refused" refused "$pid" "permission denied.*ptrace" "$W/root-s3"
kill "$pid"
om_expect "module unloads" modprobe -r openmosix
