# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Restore robustness (issue 5): omctl restore of garbage, truncated and
# semantically wrong copies of one checkpoint (tests/ckpt/mutate_images.py,
# about 500 of them, eventfds, signalfds, timerfds, epolls, deleted files
# (ghost-*), terminals and shared anonymous memory (shm-*, pagemap-shmem-*:
# the checkpointed ckpt_prog compute holds 2 shared anonymous pages) among
# them; each dir's `why` says must-fail or may-succeed).
#   must-fail:   exit 1 or 2 with an "omctl:" error, nothing left running
#   may-succeed: any outcome but a hang (timeout 60 s); a restored program
#                still running after $LONG s (garbage state) is killed
# In every case omctl must not crash (its core dumps are collected), files
# the images point at (`victim`) stay unchanged, and the kernel stays
# quiet (the lab checks dmesg).  Unprivileged users cannot restore root's
# images; credential mutations are also restored by nobody (`unpriv`).
# The pristine image restores, before and after, with the reference
# result, and root restores a checkpoint of nobody's process.  After the
# mutations ckpt_prog opens for writing: no refused restore left the
# image's executable denied to writers.
# About 540 restores: 2 min on an idle TCG guest, far more on a busy host.
# OM_RB_ONLY=GLOB runs only the mutations whose names match (by hand).
# OM_RB_EVERY=N runs every Nth mutation, starting at OM_RB_START (default
# 0): the debug kernel restores ~10x slower, so check-debug samples;
# make check runs half on each kernel (its usual time, below, is a half's).
# omlab-timeout: 1800
# omlab-solo: 185
set -e
modprobe openmosix
W=/tmp/ckpt-restore-bad
rm -rf "$W"
mkdir -p "$W/cores"
chmod 1777 "$W/cores"
SRC=$OM_ROOT/tests/ckpt
ROUNDS=12	# a restored program has at most 12 rounds (~0.3 s under TCG) left
LONG=20		# seconds before a restored program still running is killed

mkfifo "$W/tick"
exec 9<>"$W/tick"
nap() { read -rt "$1" -u 9 _ || true; }	# sleep without a fork

# Restored programs segfault and #GP: their "traps: ... general protection"
# lines would look like kernel trouble to the lab.  omctl's own crashes
# are caught by core dumps instead.
trace=/proc/sys/debug/exception-trace
old_trace=$(cat $trace 2>/dev/null || true)
old_core=$(cat /proc/sys/kernel/core_pattern)
cleanup() {
	if [[ -d ${CG-}/case ]]; then
		cg_kill
		rmdir "$CG/case"
		umount "$CG"
	fi
	[[ -z $old_trace ]] || echo "$old_trace" >$trace
	echo "$old_core" >/proc/sys/kernel/core_pattern
}
trap cleanup EXIT
trap 'exit 143' TERM INT
[[ -z $old_trace ]] || echo 0 >$trace
echo "$W/cores/%e.%p" >/proc/sys/kernel/core_pattern

# Each restore runs in its own cgroup: whatever it leaves behind (the
# restored program, anything that program forked) is found and killed,
# so a runaway garbage program cannot slow down the cases after it.
CG=/run/ckpt-restore-bad.cg
mkdir -p "$CG"
mountpoint -q "$CG" || mount -t cgroup2 none "$CG"
mkdir -p "$CG/case"
cg_kill() { # kill everything in the case cgroup, wait until it is empty
	local i pop=''
	echo 1 >"$CG/case/cgroup.kill"
	for ((i = 0; i < 500; i++)); do
		read -r _ pop <"$CG/case/cgroup.events"	# "populated 0|1"
		[[ $pop == 0 ]] && return 0
		nap 0.01
	done
	echo "# case cgroup still populated after SIGKILL" >&2
}

# run DIR [nobody]: timeout 60 omctl restore DIR --wait.  Sets rc, err (the
# first "omctl:" line of stderr), died (omctl said its child died without
# a status), rpid (from omctl's "restored ... as pid N"), long (that
# program was still running after $LONG s: killed), left (processes
# of the restore still there once omctl returned: killed), crashed (core dumps
# of omctl) and, for nobody, priv (what the restored process had that
# nobody must not: uid, groups, capabilities, an RT policy).
run() {
	local d=$1 who=${2:-root} bg i=0 hung=0 t0=$SECONDS line c lp us0=${EPOCHREALTIME/./}
	rm -f "$W/c.out" "$W/c.out.tmp"
	long=0 died=0 err='' left='' crashed='' rpid='' priv=''
	# not the last case's: the loop below may look before the new
	# omctl's redirection has truncated them (a stale "as pid N")
	rm -f "$W/out" "$W/err"
	if [[ $who == nobody ]]; then
		(echo "$BASHPID" >"$CG/case/cgroup.procs"
		 ulimit -c unlimited || true; ulimit -Sn 1024 || true; ulimit -Hn 4096 || true
		 exec setpriv --reuid=65534 --regid=65534 --clear-groups \
			timeout -k 5 60 omctl restore "$d" --wait) </dev/null >"$W/out" 2>"$W/err" &
	else
		(echo "$BASHPID" >"$CG/case/cgroup.procs"
		 ulimit -c unlimited || true
		 exec timeout -k 5 60 omctl restore "$d" --wait) </dev/null >"$W/out" 2>"$W/err" &
	fi
	bg=$!
	while om_alive "$bg"; do
		if ((i++ < 50)); then nap 0.01; else nap 0.05; fi
		if [[ -z $rpid && -s $W/out ]]; then
			read -r line <"$W/out" || true
			[[ $line =~ as\ pid\ ([0-9]+) ]] && rpid=${BASH_REMATCH[1]}
			[[ -n $rpid && $who == nobody ]] && priv=$(privileges "$rpid")
		fi
		if ((!long && SECONDS - t0 >= LONG)) && [[ -n $rpid ]] && kill -0 "$rpid" 2>/dev/null; then
			long=1
			kill -9 "$rpid" 2>/dev/null || true
		fi
		# timeout(1) has given up: something cannot be killed; show what
		if ((!hung && SECONDS - t0 >= 90)); then
			hung=1
			hang_report "$d"
		fi
	done
	rc=0
	wait "$bg" || rc=$?
	while IFS= read -r line; do
		[[ $line == omctl:* && -z $err ]] && err=$line
		[[ $line == *"the restoring process died"* ]] && died=1
	done <"$W/err"
	# with --wait a restored program is gone when omctl returns, unless
	# omctl was killed or misbehaved, or the program forked
	mapfile -t lp <"$CG/case/cgroup.procs"
	left=${lp[*]}
	((${#lp[@]})) && cg_kill
	for c in "$W"/cores/*; do
		[[ -e $c ]] || continue
		case ${c##*/} in omctl.* | timeout.* | setpriv.*) crashed+="${c##*/} " ;; esac
		rm -f "$c"
	done
	ms=$(((${EPOCHREALTIME/./} - us0) / 1000))
}

# hang_report DIR: the case's processes, their states and kernel stacks
hang_report() {
	local p
	echo "# $1: still running after 90 s (timeout -k 5 60 could not end it)"
	ps -eo pid,ppid,stat,wchan:24,cgroup:40,args | sed 's/^/#   /'
	for p in $bg $(<"$CG/case/cgroup.procs"); do
		echo "# pid $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
		grep -E '^(State|SigBlk|SigPnd|ShdPnd)' "/proc/$p/status" 2>/dev/null | sed 's/^/#   /'
		sed 's/^/#   /' "/proc/$p/stack" 2>/dev/null
	done
}

# privileges PID: what an unprivileged restore must not have produced
privileges() {
	local k v rest out='' post
	while read -r k v rest; do
		case $k in
		Uid: | Gid:) [[ "$v $rest" =~ ^[[:space:]]*(65534[[:space:]]*)+$ ]] ||
			out+="$k $v $rest; " ;;
		Groups:) [[ "$v $rest" =~ ^[[:space:]]*(65534[[:space:]]*)*$ ]] ||
			out+="Groups: $v $rest; " ;;
		CapPrm: | CapEff: | CapInh: | CapAmb:)
			[[ $v == 0000000000000000 ]] || out+="$k $v; " ;;
		esac
	done 2>/dev/null <"/proc/$1/status" || return 0
	read -r post 2>/dev/null <"/proc/$1/stat" || return 0
	read -ra post <<<"${post##*) }"	# fields 3.. of stat
	case ${post[38]} in 1 | 2 | 6) out+="policy ${post[38]}; " ;; esac
	echo "$out"
}

# judge NAME EXPECT DIR: one ok/not ok line for the last run
n=0 nmust=0 nmay=0 nunpriv=0 nrestored=0 bad=()
judge() {
	local name=$1 expect=$2 d=$3 why='' note=''
	if [[ -n $crashed ]]; then
		why="omctl crashed (core: $crashed)"
	elif ((died)); then
		why="omctl's child died without reporting a status (crash?)"
	elif [[ -f $d/victim.sha256 ]] &&
		[[ $(sha256sum <"$d/victim") != "$(<"$d/victim.sha256")  -" ]]; then
		why="the restore modified $d/victim"
	elif [[ -n $priv ]]; then
		why="unprivileged restore produced a process with $priv"
	elif [[ $expect == must-fail ]]; then
		if ((rc == 124)); then
			why="timed out (hang)"
		elif ((long)) || [[ -n $rpid ]]; then
			why="restored as pid $rpid (exit $rc)"
		elif [[ $rc != 1 && $rc != 2 ]]; then
			why="exit $rc, not 1 or 2"
		elif [[ -z $err ]]; then
			why="exit $rc without an 'omctl:' error"
		elif [[ -n $left ]]; then
			why="exit $rc but restored process(es) $left kept running"
		fi
	elif ((rc >= 124 && rc <= 127)); then
		why="exit $rc (timeout: a hang)"
	fi
	((long)) && note=", restored program killed after $LONG s"
	[[ -n $rpid && -z $note ]] && note=", restored"
	if [[ -n $why ]]; then
		echo "not ok - $name: $why, $ms ms${err:+ [$err]} ($(<"$d/why"))"
		bad+=("$name: $why")
	else
		echo "ok - $name: rc $rc$note, $ms ms${err:+ [$err]}"
	fi
}

# what else runs here (a busy node makes every restore slow)
echo "# load: $(</proc/loadavg)"
ps -eo pid,stat,pcpu,etimes,args --sort=-pcpu | head -n 6 | sed 's/^/# /'

# the reference result, and the checkpoint every mutation starts from
ckpt_prog compute "$W/ref.out" "$ROUNDS" 1 shm </dev/null >/dev/null 2>&1 9>&-
om_expect "reference run" test -s "$W/ref.out"
setsid ckpt_prog compute "$W/c.out" "$ROUNDS" 1 shm </dev/null >/dev/null 2>&1 9>&- &
pid=$!
for ((i = 0; i < 1000; i++)); do
	[[ -s $W/c.out.ready ]] && break
	nap 0.02
done
om_expect "compute started" test -s "$W/c.out.ready"
om_expect "checkpoint" omctl checkpoint "$pid" "$W/img"
rc=0
wait "$pid" || rc=$?
om_expect "checkpointed process killed (rc $rc), no result" \
	test "$rc" = 137 -a ! -e "$W/c.out"
ls -l "$W/img"

pristine() {
	run "$W/img"
	om_expect "$1: pristine image restores (rc $rc${err:+, $err})" \
		test "$rc" = 0 -a "$long" = 0 -a -z "$crashed"
	om_expect "$1: result identical to the reference run" cmp "$W/ref.out" "$W/c.out"
}
pristine before

# refused: exit 1 or 2 (omctl's EXIT_KERNEL), EACCES or EPERM said
refused() { [[ $rc == 1 || $rc == 2 ]] && grep -Eqi "permission denied|operation not permitted" "$W/err"; }
run "$W/img" nobody
om_expect "nobody cannot restore root's image (rc $rc, $err)" refused
cp -r "$W/img" "$W/img-nobody"
chown -R 65534:65534 "$W/img-nobody"
run "$W/img-nobody" nobody
om_expect "nobody cannot restore root's image chowned to it (rc $rc, $err)" refused

t=$SECONDS
om_expect "mutations generated" /usr/bin/python3 "$SRC/mutate_images.py" "$W/img" "$W/mut"
echo "# generated in $((SECONDS - t)) s"

t=$SECONDS
k=-1
for d in "$W"/mut/${OM_RB_ONLY:-*}/; do
	d=${d%/}
	k=$((k + 1))
	(((k - ${OM_RB_START:-0}) % ${OM_RB_EVERY:-1} == 0)) || continue
	name=${d##*/}
	read -r expect _ <"$d/why"
	n=$((n + 1))
	if [[ $expect == must-fail ]]; then nmust=$((nmust + 1)); else nmay=$((nmay + 1)); fi
	run "$d"
	[[ -n $rpid ]] && nrestored=$((nrestored + 1))
	judge "$name" "$expect" "$d"
	if [[ -f $d/unpriv ]]; then
		read -r expect _ <"$d/unpriv"
		rm -rf "$W/u"
		cp -r "$d" "$W/u"
		chown -R 65534:65534 "$W/u"
		nunpriv=$((nunpriv + 1))
		run "$W/u" nobody
		judge "$name (unprivileged)" "$expect" "$d"
	fi
done
echo "# $n mutations ran in $((SECONDS - t)) s: $nmust must-fail, $nmay may-succeed," \
	"$nunpriv also unprivileged; $nrestored restores succeeded; ${#bad[@]} mishandled"
# a refused restore gives back the write denial it took on the executable
if sh -c 'exec 3>>"$1"' sh "$(command -v ckpt_prog)" 2>/dev/null; then
	echo "ok - ckpt_prog opens for writing after the mutations' restores"
else
	echo "not ok - ckpt_prog is still denied to writers after the mutations' restores"
	bad+=("ckpt_prog left denied to writers")
fi

# Not garbage, but the same permission code: root restores its own
# checkpoint (root's files, 0600 in a 0700 dir) of nobody's process.
# omctl takes on the image's credentials before OM_IOC_RESTORE, yet the
# images must still be readable.
# (without fd 9, root's tick FIFO: nobody's restore opens its files as
# nobody, and nobody may not open that)
mkdir -m 1777 "$W/nb"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	setsid ckpt_prog compute "$W/nb/c.out" "$ROUNDS" 1 shm </dev/null >/dev/null 2>&1 9<&- &
pid=$!
for ((i = 0; i < 1000; i++)); do
	[[ -s $W/nb/c.out.ready ]] && break
	nap 0.02
done
om_expect "checkpoint of nobody's process" omctl checkpoint "$pid" "$W/img-nb"
wait "$pid" || true
run "$W/img-nb"
if [[ $rc == 0 && -z $crashed ]] && cmp -s "$W/ref.out" "$W/nb/c.out"; then
	echo "ok - root restores nobody's process from root's images"
else
	echo "not ok - root restores nobody's process from root's images: rc $rc${err:+ [$err]}"
	bad+=("root-restores-nobody: rc $rc $err")
fi

pristine after
om_expect "module unloads (no references left)" modprobe -r openmosix
echo "# total $SECONDS s, load: $(</proc/loadavg)"
if ((${#bad[@]})); then
	printf '# mishandled: %s\n' "${bad[@]}" | tail -n 12
	om_fail "${#bad[@]} checks failed (see the not ok lines)"
fi
echo "ok - all $n mutations handled"
