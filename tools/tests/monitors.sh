#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# mosmon, mtop and mps without the kernel module (TAP): usage and exit
# codes, "module not loaded" (the host has no "openmosix" family), the
# JSON mon_test rendered, the live screens in a tmux terminal (drawn,
# resized, keys, quit), the man pages and the bash completion.
# Env: MOSMON, MTOP, MPS (binaries), MON_OUT (mon_test's output dir),
# MAN_DIR (built man pages).

set -u
MOSMON=${MOSMON:-build/mosmon}
MTOP=${MTOP:-build/mtop}
MPS=${MPS:-build/mps}
MAN_DIR=${MAN_DIR:-build/man}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
# a tmux server per live run: a new one on a socket just killed can race
TMUX_RUN=0
TMUX_SOCK=omt-mon-$$-0
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local i
	for ((i = 0; i <= TMUX_RUN; i++)); do
		tmux -L "omt-mon-$$-$i" kill-server 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
n=0
failed=0

ok() { # ok COND-RC DESC
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - monitors: $2"
	else
		echo "not ok $n - monitors: $2"
		failed=$((failed + 1))
		[[ -s $TMP/out ]] && sed 's/^/#   out: /' "$TMP/out" | head -n 8
		[[ -s $TMP/err ]] && sed 's/^/#   err: /' "$TMP/err" | head -n 8
	fi
}
skip() { n=$((n + 1)); echo "ok $n - monitors: $1 # SKIP $2"; }

# run RC PROG ARGS...: run PROG (stdin not a terminal), expect exit RC
run() {
	local want=$1 rc
	shift
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	[[ $rc == "$want" ]] || echo "exit $rc, wanted $want" >>"$TMP/err"
	return $((rc != want))
}
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
version=$(cat "$HERE/../../VERSION")

# --- help, version, bad usage: exit 0 or 1, no kernel needed
for p in "$MOSMON" "$MTOP"; do
	name=${p##*/}
	run 0 "$p" -h && out_has "Usage: $name"; ok $? "$name -h: usage, exit 0"
	run 0 "$p" --help && out_has "Usage: $name"; ok $? "$name --help"
	run 0 "$p" -V && out_has "$name (openMosix-NG) $version"; ok $? "$name -V: the version"
	run 1 "$p" --bogus && err_has "Usage: $name"; ok $? "$name --bogus: usage on stderr, exit 1"
	run 1 "$p" extra && err_has "unexpected argument \"extra\""; ok $? "$name: extra argument, exit 1"
	run 1 "$p" && err_has "not a terminal"; ok $? "$name without a terminal: exit 1, says so"
done
run 1 "$MOSMON" -i 0 && err_has 'invalid interval: "0"'; ok $? "mosmon -i 0 refused"
run 1 "$MOSMON" -i x; ok $? "mosmon -i x refused"
run 1 "$MOSMON" -i; ok $? "mosmon -i without a value"
run 1 "$MTOP" -b -n 0 && err_has 'invalid number of frames: "0"'; ok $? "mtop -n 0 refused"
run 1 "$MTOP" -b -d 0.01 && err_has "invalid delay"; ok $? "mtop -d 0.01 refused"
run 1 "$MTOP" -b -o BOGUS && err_has 'unknown sort field: "BOGUS"'; ok $? "mtop -o BOGUS refused"
run 1 "$MTOP" -b -p 12x && err_has 'invalid process id: "12x"'; ok $? "mtop -p 12x refused"
run 1 "$MTOP" -b -u no-such-user-x && err_has "unknown user"; ok $? "mtop -u unknown user"
run 1 "$MTOP" -b -w5 && err_has "invalid width"; ok $? "mtop -w5 refused"
run 0 "$MPS" --help && out_has "Usage: mps" && out_has "NODE:"; ok $? "mps --help: usage, exit 0"
run 0 "$MPS" -V && out_has "mps (openMosix-NG) $version"; ok $? "mps -V: the version"
run 0 "$MPS" L && out_has "node         NODE" && out_has "cantmove     CANTMOVE"; ok $? "mps L: the fields, ours too"
run 1 "$MPS" -o pid,bogus && err_has 'unknown output field: "bogus"'; ok $? "mps -o bogus: exit 1"
run 1 "$MPS" --sort=-bogus && err_has 'unknown sort key: "bogus"'; ok $? "mps --sort bogus: exit 1"
run 1 "$MPS" -p 1x && err_has 'invalid process id: "1x"'; ok $? "mps -p 1x: exit 1"
run 1 "$MPS" -u no-such-user-x && err_has "unknown user"; ok $? "mps -u unknown user: exit 1"
run 1 "$MPS" -Z && err_has 'unsupported option: "-Z"'; ok $? "mps -Z: exit 1"
run 1 "$MPS" -o && err_has "needs an argument"; ok $? "mps -o without a format: exit 1"
run 1 "$MPS" --pid && err_has "needs an argument"; ok $? "mps --pid without a list: exit 1"
run 1 "$MPS" --forest=1 && err_has "takes no argument"; ok $? "mps --forest=1: exit 1"
run 1 "$MPS" --bogus && err_has 'unknown option: "--bogus"'; ok $? "mps --bogus: exit 1"

# --- without the module: exit 2, the message, nothing on stdout
msg_of() { echo "$1: openmosix module not loaded (modprobe openmosix)"; }
run 2 "$MOSMON" -j && err_has "$(msg_of mosmon)" && [[ ! -s $TMP/out ]]
ok $? "mosmon -j without the module: exit 2, says so, no output"
run 2 "$MOSMON" -j -p -m; ok $? "mosmon -j -p -m without the module: exit 2"
run 2 "$MTOP" -b -n 1 && err_has "$(msg_of mtop)" && [[ ! -s $TMP/out ]]
ok $? "mtop -b -n 1 without the module: exit 2, says so, no output"
run 2 "$MTOP" -j && err_has "$(msg_of mtop)" && [[ ! -s $TMP/out ]]
ok $? "mtop -j without the module: exit 2, says so"
for args in "" "-ef" "aux" "-e -o pid,node,comm" "axf"; do
	# shellcheck disable=SC2086 # the words are ps options
	run 2 "$MPS" $args && err_has "$(msg_of mps)" && [[ ! -s $TMP/out ]]
	ok $? "mps $args without the module: exit 2, says so, no output"
done
run 1 "$MPS" -o nope; ok $? "mps: a syntax error is exit 1 even without the module"
# and it is the family that is missing, not a fake: omctl agrees
if [[ -x ${OMCTL:-} ]]; then
	run 2 "$OMCTL" node list && err_has "module not loaded"
	ok $? "omctl agrees: the module is not loaded here"
fi

# --- what mon_test rendered from fixed data
if [[ -n ${MON_OUT:-} && -d $MON_OUT ]]; then
	python3 - "$MON_OUT" >"$TMP/out" 2>"$TMP/err" <<'EOF'
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/mosmon.json"))
o = json.load(open(d + "/omctl-nodes.json"))
assert m["self"] == 1 and len(m["nodes"]) == 3, m
# every field of omctl -j node list, the same values, in omctl's order,
# then mosmon's own
assert len(o) == len(m["nodes"]), (len(o), len(m["nodes"]))
for a, b in zip(o, m["nodes"]):
    for k, v in a.items():
        assert k in b and b[k] == v, (k, v, b.get(k))
    assert list(b)[:len(a)] == list(a), (list(a), list(b))
    assert list(b)[len(a):] == ["mem_used", "util", "guests", "from_here"], list(b)
assert [x["state"] for x in m["nodes"]] == ["up", "up", "down"]
assert [x["guests"] for x in m["nodes"]] == [1, None, None]
assert [x["from_here"] for x in m["nodes"]] == [0, 2, 0]
assert [x["util"] for x in m["nodes"]] == [100, 50, 0]
assert m["nodes"][0]["mem_used"] == m["nodes"][0]["mem_total"] - m["nodes"][0]["mem_free"]
t = m["total"]
assert (t["nodes"], t["up"], t["cpus"], t["load"], t["guests"], t["away"]) == (3, 2, 6, 81, 1, 2), t
j = json.load(open(d + "/mtop.json"))
assert len(j["nodes"]) == 3 and j["self"] == 1 and j["sort"] == "%CPU"
p = {x["pid"]: x for x in j["procs"]}
assert sorted(p) == [2, 100, 200, 300, 400, 500, 600], sorted(p)
assert [x["pid"] for x in j["procs"]][:2] == [200, 500]
assert p[200]["node"] == 2 and p[200]["where"] == 2 and p[200]["home"] == 1 and p[200]["nmigs"] == 1
assert p[100]["node"] == 0 and p[100]["where"] == p[100]["home"] == 1
assert p[300]["guest"] is True and p[300]["node"] == 1 and p[300]["home"] == 3
assert p[2]["node"] is None and p[600]["node"] is None
assert p[200]["cpu_permille"] == 500 and p[200]["time_cs"] == 12345 and p[200]["user"] == "root"
assert p[500]["command"] == "yes" and p[2]["command"] == "[kthreadd]"
# -b's text and -j's object come from the same calls: the same processes
lines = open(d + "/mtop-batch.txt").read().split("\n")
h = next(i for i, x in enumerate(lines) if x.startswith("    PID USER"))
pids = [int(x.split()[0]) for x in lines[h + 1:] if x.strip()]
assert pids == [x["pid"] for x in j["procs"]], (pids, [x["pid"] for x in j["procs"]])
EOF
	ok $? "rendered JSON: mosmon has omctl's node fields and the guest counts, mtop every process with its node, as its text"
else
	skip "rendered JSON" "no MON_OUT"
fi

# --- the live screens, in a tmux terminal
if command -v tmux >/dev/null; then
	T() { tmux -L "$TMUX_SOCK" "$@"; }
	screen() { T capture-pane -p -t mon >"$TMP/out" 2>>"$TMP/err"; }
	# wait_until SECS CMD...: until CMD holds for one whole captured screen;
	# a terminal redraws in several writes, so one check can see half a screen
	wait_until() {
		local i n=$1
		shift
		for ((i = 0; i < n * 10; i++)); do
			screen
			"$@" && return 0
			sleep 0.1
		done
		return 1
	}
	# wait_screen SECS TEXT: until the screen shows TEXT
	wait_screen() { wait_until "$1" grep -qF -- "$2" "$TMP/out"; }
	# live PROG ARGS...: run it in a 70x14 terminal, its exit code to a file
	live() {
		T kill-server 2>/dev/null
		TMUX_RUN=$((TMUX_RUN + 1))
		TMUX_SOCK=omt-mon-$$-$TMUX_RUN
		rm -f "$TMP/rc"
		T new-session -d -s mon -x 70 -y 14 \
			"$* 2>$TMP/err; echo \$? >$TMP/rc; sleep 30"
	}
	wait_rc() {
		local i
		for ((i = 0; i < 50; i++)); do
			[[ -s $TMP/rc ]] && { [[ $(cat "$TMP/rc") == "$1" ]]; return; }
			sleep 0.1
		done
		return 1
	}
	: >"$TMP/err"

	live "$MOSMON" -i 0.5
	first_mosmon() {
		grep -qF "openmosix module not loaded (modprobe openmosix)" "$TMP/out" &&
			grep -q "retrying every 0.5s" "$TMP/out" && grep -q "^mosmon  load" "$TMP/out"
	}
	wait_until 5 first_mosmon
	ok $? "mosmon live without the module: says so and retries"
	T resize-window -t mon -x 30 -y 8
	small_mosmon() {
		grep -qF "(modprobe openmosix)" "$TMP/out" && [[ $(wc -l <"$TMP/out") == 8 ]] &&
			grep -q "^ *openmosix module not loaded$" "$TMP/out" &&
			tail -n 1 "$TMP/out" | grep -q "^l m s u view"
	}
	wait_until 5 small_mosmon
	ok $? "mosmon resized to 30x8: redrawn, wrapped, bottom line on the last row"
	T resize-window -t mon -x 100 -y 20
	big_mosmon() {
		grep -qF "openmosix module not loaded (modprobe openmosix)" "$TMP/out" &&
			[[ $(wc -l <"$TMP/out") == 20 ]] && tail -n 1 "$TMP/out" | grep -q "h help  q quit"
	}
	wait_until 5 big_mosmon
	ok $? "mosmon resized to 100x20: redrawn"
	T send-keys -t mon h
	wait_screen 5 "mosmon keys:"; ok $? "mosmon h: help"
	T send-keys -t mon x
	wait_screen 5 "module not loaded"; ok $? "mosmon: a key leaves the help"
	T send-keys -t mon q
	wait_rc 0; ok $? "mosmon q: exit 0"

	live "$MTOP" -d 0.5
	first_mtop() {
		grep -qF "Cluster: openmosix module not loaded (modprobe openmosix)" "$TMP/out" &&
			grep -q "^    PID USER" "$TMP/out" &&
			grep -qE "[0-9]:[0-9]{2}\.[0-9]{2} +-( |$)" "$TMP/out"
	}
	wait_until 5 first_mtop
	ok $? "mtop live without the module: says so, lists processes, NODE -"
	T send-keys -t mon N
	wait_screen 5 "sorted by NODE"; ok $? "mtop N: sorted by node"
	T resize-window -t mon -x 40 -y 9
	small_mtop() {
		grep -qF "    PID USER" "$TMP/out" && [[ $(wc -l <"$TMP/out") == 9 ]] &&
			! grep -q '.\{41\}' "$TMP/out"
	}
	wait_until 5 small_mtop
	ok $? "mtop resized to 40x9: redrawn within 40 columns"
	T send-keys -t mon q
	wait_rc 0; ok $? "mtop q: exit 0"

	live "$MOSMON" -i 0.5
	wait_screen 5 "module not loaded"
	# the pane's shell started it: its child, by pid
	pid=$(pgrep -P "$(T display -p -t mon '#{pane_pid}')" -x mosmon)
	[[ -n $pid ]] && kill -TERM "$pid"
	wait_rc 0; ok $? "mosmon SIGTERM: clean exit 0"
	T kill-server 2>/dev/null
else
	skip "live screens" "no tmux"
fi

# --- man pages and bash completion
for m in mosmon mtop mps; do
	f=$MAN_DIR/$m.1
	if [[ ! -f $f ]]; then
		ok 1 "man page $f built"
		continue
	fi
	grep -q "^\.TH $(echo "$m" | tr a-z A-Z) 1 .*openMosix-NG $version" "$f"
	ok $? "$m.1: title with the version"
	if command -v groff >/dev/null; then
		groff -man -ww -z "$f" >"$TMP/out" 2>&1 && [[ ! -s $TMP/out ]]
		ok $? "$m.1: groff -ww without warnings"
	fi
done
for c in mosmon mtop mps; do
	bash -n "$HERE/../completion/$c" 2>"$TMP/err"; ok $? "completion/$c parses"
done
if [[ -f /usr/share/bash-completion/bash_completion ]]; then
	# complete WORDS...: what the completion offers for the last word
	complete_words() {
		PATH=$(cd "$(dirname "$MPS")" && pwd):$PATH bash -c '
			. /usr/share/bash-completion/bash_completion
			. "$1/../completion/$2"
			shift 2
			COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
			"$(complete -p "${COMP_WORDS[0]}" | sed "s/.*-F \([^ ]*\) .*/\1/")" \
				"${COMP_WORDS[0]}" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
			printf "%s\n" "${COMPREPLY[@]}"' _ "$HERE" "$@"
	}
	complete_words mtop mtop -o "" >"$TMP/out" 2>"$TMP/err"
	out_has "%CPU" && out_has "NODE"; ok $? "completion: mtop -o offers the sort fields"
	complete_words mosmon mosmon - >"$TMP/out" 2>"$TMP/err"
	out_has "-j" && out_has "-m"; ok $? "completion: mosmon's options"
	complete_words mps mps -o "pid,n" >"$TMP/out" 2>"$TMP/err"
	out_has "pid,node" && out_has "pid,nmigs"; ok $? "completion: mps -o fields after a comma"
	complete_words mps mps --sort "-no" >"$TMP/out" 2>"$TMP/err"
	out_has "-node"; ok $? "completion: mps --sort keys with their sign"
else
	skip "completion behaviour" "no bash-completion"
fi

echo "1..$n"
exit $((failed > 0))
