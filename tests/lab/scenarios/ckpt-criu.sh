# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# CRIU interoperability (issue 5), both ways, with Debian's criu 3.17:
#   criu dump   -> omctl restore: our restore reads CRIU's own images;
#   omctl checkpoint -> criu restore: CRIU restores from our images.
# The programs are compute loops writing to a regular file with stdio on
# /dev/null; each result must equal a run without checkpoint/restore.
# omlab-solo: 95
set -e
modprobe openmosix
W=/tmp/ckpt-criu
rm -rf "$W"
mkdir -p "$W"
cd "$W"

start() { # start OUT ARGS... -> pid in $pid, waits for OUT.ready
	rm -f "$1" "$1.ready" "$1.ms"
	setsid "${@:2}" </dev/null >/dev/null 2>&1 &
	pid=$!
	om_wait_for 30 test -s "$1.ready" || om_fail "$2 did not start"
}
criu_log() { echo "# criu log tail:"; tail -n 15 "$1" | sed 's/^/#   /'; }

ckpt_prog compute "$W/ref.out" 100 </dev/null >/dev/null 2>&1
ckpt_prog_static compute "$W/ref-static.out" 100 </dev/null >/dev/null 2>&1
om_expect "reference runs" test -s "$W/ref.out" -a -s "$W/ref-static.out"
echo "# reference run: $(cat "$W/ref.out.ms") ms"

# 1. criu dump -> omctl restore (dynamic and static binaries)
for prog in ckpt_prog ckpt_prog_static; do
	ref=$W/ref.out
	[[ $prog == *static ]] && ref=$W/ref-static.out
	out=$W/a-$prog.out
	for try in 1 2; do
		start "$out" "$prog" compute "$out" 100
		sleep 0.$((RANDOM % 7 + 2))
		rm -rf "$W/cimg-$prog"
		mkdir -p "$W/cimg-$prog"
		criu dump -t "$pid" -D "$W/cimg-$prog" -o dump.log -v4 --shell-job && break
		wait "$pid" || true
		# OUT.ms is written at the end: the run was over before criu
		# seized it (criu's start takes seconds on a loaded TCG host)
		if ((try == 1)) && [[ -s $out.ms ]]; then
			echo "# $prog ended before criu dumped it: once more"
			continue
		fi
		criu_log "$W/cimg-$prog/dump.log"
		om_fail "criu dump of $prog failed"
	done
	wait "$pid" || true
	om_expect "$prog: criu dump wrote core, mm, pagemap and pages" \
		test -s "$W/cimg-$prog/core-$pid.img" -a -s "$W/cimg-$prog/pages-1.img"
	om_expect "$prog: omctl restore of criu's images exits 0" \
		omctl restore "$W/cimg-$prog" --wait
	om_expect "$prog: result identical after criu dump + omctl restore" cmp "$ref" "$out"
done

# 2. omctl checkpoint -> criu restore
for prog in ckpt_prog ckpt_prog_static; do
	ref=$W/ref.out
	[[ $prog == *static ]] && ref=$W/ref-static.out
	out=$W/b-$prog.out
	start "$out" "$prog" compute "$out" 100
	sleep 0.$((RANDOM % 7 + 2))
	om_expect "$prog: omctl checkpoint" omctl checkpoint "$pid" "$W/oimg-$prog"
	wait "$pid" || true
	criu restore -D "$W/oimg-$prog" -o restore.log -v4 --shell-job -d ||
		{ criu_log "$W/oimg-$prog/restore.log"; om_fail "criu restore of our $prog images failed"; }
	echo "ok - $prog: criu restore of our images started pid $pid again"
	om_expect "$prog: restored process finishes" om_wait_for 120 test ! -d "/proc/$pid"
	om_expect "$prog: result identical after omctl checkpoint + criu restore" cmp "$ref" "$out"
done

# 3. both ways in one run: ours -> criu restore -> criu dump -> ours (200
# rounds, 11-16 s: 40 ended under criu's dump, which took 4 s to start on
# a loaded host)
out=$W/c.out
start "$out" ckpt_prog compute "$out" 200
sleep 0.4
om_expect "mixed: omctl checkpoint" omctl checkpoint "$pid" "$W/m1"
wait "$pid" || true
criu restore -D "$W/m1" -o restore.log --shell-job -d || { criu_log "$W/m1/restore.log"; om_fail "mixed: criu restore"; }
sleep 0.3
mkdir -p "$W/m2"
criu dump -t "$pid" -D "$W/m2" -o dump.log --shell-job || { criu_log "$W/m2/dump.log"; om_fail "mixed: criu dump"; }
om_expect "mixed: omctl restore" omctl restore "$W/m2" --wait
ckpt_prog compute "$W/ref200.out" 200 </dev/null >/dev/null 2>&1
om_expect "mixed: result identical" cmp "$W/ref200.out" "$out"
