#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# mosctl(8) without the kernel module (TAP): usage and bad arguments, the
# omctl commands each mosctl command runs (a fake omctl that answers with
# the JSON of tests/data/print/, what omctl prints), the values read from
# that JSON, and with the real omctl and no module, every command saying
# so with exit 2.
# Env: OMCTL (the real omctl), MOSCTL (the script).

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OMCTL=$(cd "$(dirname "${OMCTL:-build/omctl}")" && pwd)/$(basename "${OMCTL:-build/omctl}")
MOSCTL=${MOSCTL:-$HERE/../scripts/mosctl}
DATA=$HERE/data/print
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

ok() { # ok COND-RC DESC
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - mosctl: $2"
	else
		echo "not ok $n - mosctl: $2"
		failed=$((failed + 1))
		[[ -s $TMP/out ]] && sed 's/^/#   out: /' "$TMP/out" | head -n 5
		[[ -s $TMP/err ]] && sed 's/^/#   err: /' "$TMP/err" | head -n 5
		[[ -s $TMP/log ]] && sed 's/^/#   omctl: /' "$TMP/log" | head -n 5
	fi
}
skip() { n=$((n + 1)); echo "ok $n - mosctl: $1 # SKIP $2"; }

# A fake omctl first in PATH: it logs its arguments and answers the JSON
# queries from the printers' test data; FAKE_FAIL="ARGS" makes the call
# with those arguments fail as omctl does when the kernel refuses.
mkdir -p "$TMP/bin"
cat >"$TMP/bin/omctl" <<'FAKE'
#!/bin/bash
echo "$*" >>"$FAKE_LOG"
if [[ -n ${FAKE_FAIL:-} && "$*" == "$FAKE_FAIL" ]]; then
	echo "omctl: $*: Operation not permitted" >&2
	exit 2
fi
case "$*" in
"-j status")
	if [[ -n ${FAKE_NOID:-} ]]; then
		sed -n 1p "$FAKE_DATA/status-bare.json"
	else
		sed -n 1p "$FAKE_DATA/status.json"
	fi
	;;
"-j node show 1") sed -n 1p "$FAKE_DATA/node-show.json" ;;
"-j node show 2") sed -n 2p "$FAKE_DATA/node-show.json" ;;
"-j node show 300") sed -n 3p "$FAKE_DATA/node-show.json" ;;
"-j node show "*) echo "omctl: node show: No such file or directory" >&2; exit 2 ;;
"-j policy show") sed -n 2p "$FAKE_DATA/policy.json" ;;
esac
exit 0
FAKE
# and a resolver that knows one name
cat >"$TMP/bin/getent" <<'FAKE'
#!/bin/bash
[[ $1 == ahostsv4 && ${3:-} == node-a ]] || exit 2
printf '10.77.0.9       STREAM node-a\n10.77.0.9       DGRAM\n'
FAKE
chmod 755 "$TMP/bin/omctl" "$TMP/bin/getent"
export FAKE_LOG=$TMP/log FAKE_DATA=$DATA

# run RC ARGS...: mosctl with the real omctl; exit RC
run() {
	local want=$1 rc
	shift
	: >"$TMP/log"
	PATH=$(dirname "$OMCTL"):$PATH "$MOSCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == "$want" ]] || echo "exit $rc, wanted $want" >>"$TMP/err"
	return $((rc != want))
}
# fake RC ARGS...: mosctl with the fake omctl; exit RC
fake() {
	local want=$1 rc
	shift
	: >"$TMP/log"
	PATH=$TMP/bin:$PATH "$MOSCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == "$want" ]] || echo "exit $rc, wanted $want" >>"$TMP/err"
	return $((rc != want))
}
out_is() { [[ $(cat "$TMP/out") == "$1" ]]; }
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
# asked "ARGS" ...: omctl was run with exactly these, in this order
asked() {
	local want
	want=$(printf '%s\n' "$@")
	[[ $(cat "$TMP/log") == "$want" ]]
}

# --- usage
run 0 help && out_has "Usage: mosctl { stay | nostay"; ok $? "help: usage on stdout, exit 0"
run 0 -h && out_has "mosctl whois"; ok $? "-h"
run 0 --help && out_has "getload"; ok $? "--help"
run 1 && err_has "mosctl: missing command" && err_has "Usage: mosctl"; ok $? "no command: usage on stderr, exit 1"
run 1 frob && err_has 'mosctl: unknown command "frob"'; ok $? "unknown command: exit 1"
for c in stay nostay -stay lstay nolstay -lstay block noblock -block expel bring; do
	fake 1 "$c" 3 && err_has "mosctl: $c: unexpected argument \"3\"" && asked
	ok $? "$c 3: exit 1, omctl not run"
done
for c in whois getload getspeed getmem getfree status isup; do
	fake 1 "$c" 1 2 && err_has "unexpected argument \"2\"" && asked
	ok $? "$c 1 2: exit 1, omctl not run"
done
fake 1 setspeed && err_has "setspeed: expected one SPEED" && asked; ok $? "setspeed without SPEED"
fake 1 setspeed 1 2 && asked; ok $? "setspeed with two arguments"
for c in getutil gettune getyard getdecay setyard setdecay nomfs mfs; do
	fake 1 "$c" && err_has "mosctl: $c: not supported by openMosix-NG" && asked
	ok $? "$c: refused by name, exit 1"
done

# --- bad arguments: omctl's checks, before it needs the module
for bad in 0 65536 x -3 1.2.3.300 ""; do
	run 1 getload "$bad" && err_has "omctl: invalid node ID or address"
	ok $? "getload \"$bad\": omctl's message, exit 1"
done
run 1 isup 1.2.3.4:5 && err_has "invalid node ID or address"; ok $? "isup with a port: exit 1"
run 1 whois 1.2.3.4:5 && err_has "invalid node ID or address"; ok $? "whois with a port: exit 1"
run 1 whois 70000 && err_has "invalid node ID or address"; ok $? "whois 70000: exit 1"
run 1 setspeed 0 && err_has "speed must be 1..1000000"; ok $? "setspeed 0: exit 1"
fake 1 whois no-such-host && err_has 'mosctl: whois: cannot resolve "no-such-host"' && asked
ok $? "whois of a name that does not resolve: exit 1, omctl not run"

# --- what each command asks of omctl
fake 0 stay && asked "policy set stay on"; ok $? "stay: policy set stay on"
fake 0 nostay && asked "policy set stay off"; ok $? "nostay: policy set stay off"
fake 0 -stay && asked "policy set stay off"; ok $? "-stay: policy set stay off"
fake 0 lstay && asked "policy set lstay on"; ok $? "lstay: policy set lstay on"
fake 0 quiet && asked "policy set quiet on"; ok $? "quiet: policy set quiet on"
fake 0 noquiet && asked "policy set quiet off"; ok $? "noquiet: policy set quiet off"
fake 0 -quiet && asked "policy set quiet off"; ok $? "-quiet: policy set quiet off"
fake 0 nolstay && asked "policy set lstay off"; ok $? "nolstay: policy set lstay off"
fake 0 -lstay && asked "policy set lstay off"; ok $? "-lstay"
fake 0 block && asked "-j status" "node block 1"; ok $? "block: node block with this node's ID"
fake 0 noblock && asked "-j status" "node unblock 1"; ok $? "noblock: node unblock with this node's ID"
fake 0 -block && asked "-j status" "node unblock 1"; ok $? "-block"
fake 0 expel && asked "-j status" "node block 1" "cluster expel"; ok $? "expel: block, then cluster expel"
fake 0 bring && asked "policy set lstay on" "cluster bring"; ok $? "bring: lstay, then cluster bring"
FAKE_FAIL="node block 1" fake 2 expel && asked "-j status" "node block 1" && err_has "Operation not permitted"
ok $? "expel: no expel when the block fails, omctl's exit code"
FAKE_FAIL="policy set lstay on" fake 2 bring && asked "policy set lstay on"
ok $? "bring: no bring when lstay fails"
FAKE_NOID=1 fake 2 block && err_has "mosctl: this node has no openMosix ID yet" && asked "-j status"
ok $? "block on a node without an ID: exit 2, nothing blocked"
fake 0 whois && asked "whois"; ok $? "whois: omctl whois"
fake 0 whois 3 && asked "whois 3"; ok $? "whois ID"
fake 0 whois 10.77.0.3 && asked "whois 10.77.0.3"; ok $? "whois address"
fake 0 whois node-a && asked "whois 10.77.0.9"; ok $? "whois hostname: resolved, omctl whois of its address"
fake 0 setspeed 12000 && asked "policy set speed 12000"; ok $? "setspeed: policy set speed"

# --- values, from the JSON omctl prints (tests/data/print)
fake 0 getload && out_is 5 && asked "-j status"; ok $? "getload: this node's load from omctl -j status"
fake 0 getload 2 && out_is 137 && asked "-j node show 2"; ok $? "getload 2: from omctl -j node show 2"
fake 0 getspeed 300 && out_is 10300; ok $? "getspeed 300"
fake 0 getspeed && out_is 10001; ok $? "getspeed, this node"
fake 0 getmem && out_is 1610612736; ok $? "getmem: free bytes"
fake 0 getfree 2 && out_is 1048576; ok $? "getfree 2: free bytes"
fake 0 getmem 300 && out_is 999; ok $? "getmem 300"
fake 0 isup && out_is up; ok $? "isup: this node is up"
fake 0 isup 300 && out_is down; ok $? "isup 300: down"
fake 0 isup 1 && out_is up && asked "-j node show 1"; ok $? "isup 1 (this node by its ID)"
fake 0 status 2 && out_is up && asked "-j node show 2"; ok $? "status 2: up"
fake 0 status 300 && out_is "down blocked"; ok $? "status 300: down blocked"
fake 0 status && out_is "up stay lstay" && asked "-j status" "-j policy show"
ok $? "status: this node with its stay and lstay"
fake 0 status 1 && out_is "up stay lstay" && asked "-j node show 1" "-j policy show"
ok $? "status 1: this node by its ID, knobs too"
fake 2 getload 4 && err_has "No such file or directory" && [[ ! -s $TMP/out ]]
ok $? "getload of an unknown node: omctl's message and exit 2, no value"
FAKE_NOID=1 fake 2 getload && err_has "no openMosix ID yet" && [[ ! -s $TMP/out ]]
ok $? "getload on a node without an ID: exit 2"
FAKE_FAIL="-j policy show" fake 2 status && [[ ! -s $TMP/out ]]; ok $? "status: a failing policy show fails it"

# --- without the module: every command says so, exit 2
msg="omctl: openmosix module not loaded (modprobe openmosix)"
unset OMCTL_SYSFS
if [[ ! -e /sys/kernel/openmosix ]] && ! grep -q '^openmosix ' /proc/modules 2>/dev/null; then
	for c in stay nostay -stay lstay nolstay -lstay block noblock -block expel bring \
		whois "whois 3" "whois 10.77.0.3" "whois localhost" getload "getload 3" \
		getspeed getmem "getmem 2" getfree status "status 2" isup "isup 2" \
		"setspeed 12000"; do
		# shellcheck disable=SC2086 # the arguments are words
		run 2 $c && err_has "$msg" && [[ ! -s $TMP/out ]]
		ok $? "$c without the module: \"module not loaded\", exit 2"
	done
else
	skip "commands without the module" "the openmosix module is loaded"
fi

echo "1..$n"
exit $((failed > 0))
