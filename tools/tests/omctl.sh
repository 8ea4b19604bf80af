#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# omctl/omdiscd tests that need no kernel module (TAP).  The host has no
# "openmosix" genetlink family, so "module not loaded" paths are real.
# Env: OMCTL, OMDISCD (binaries), RENDER_JSON (render_test output dir).

set -u
OMCTL=${OMCTL:-build/omctl}
OMDISCD=${OMDISCD:-build/omdiscd}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
NS=omt$$
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup_netns() { ip netns del "${NS}a" 2>/dev/null; ip netns del "${NS}b" 2>/dev/null; }
NTMP=
trap 'rm -rf "$TMP" ${NTMP:+"$NTMP"}; cleanup_netns' EXIT
n=0
failed=0

ok() { # ok COND-RC DESC
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - omctl: $2"
	else
		echo "not ok $n - omctl: $2"
		failed=$((failed + 1))
		[[ -s $TMP/out ]] && sed 's/^/#   out: /' "$TMP/out" | head -n 5
		[[ -s $TMP/err ]] && sed 's/^/#   err: /' "$TMP/err" | head -n 5
	fi
}
skip() { n=$((n + 1)); echo "ok $n - omctl: $1 # SKIP $2"; }

# run RC ARGS...: run omctl, expect exit RC
run() {
	local want=$1 rc
	shift
	"$OMCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == "$want" ]] || echo "exit $rc, wanted $want" >>"$TMP/err"
	return $((rc != want))
}
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
valid_json() { python3 -m json.tool "$1" >/dev/null 2>>"$TMP/err"; }

# --- help and usage, no kernel needed
run 0 help && out_has "Usage: omctl [ OPTIONS ] OBJECT"; ok $? "help prints usage, exit 0"
run 0 -h && out_has "OBJECT :="; ok $? "-h prints usage"
run 1; ok $? "no arguments: usage on stderr, exit 1"
run 0 -V && out_has "omctl $(cat "$HERE/../../VERSION")"; ok $? "-V prints the version"
for obj in node proc policy map cluster status monitor whois run; do
	run 0 "$obj" help && out_has "Usage: omctl $obj"
	ok $? "$obj help exit 0 and usage"
done
run 0 n help && out_has "Usage: omctl node"; ok $? "unique prefix: n = node"
run 0 cluster key help; ok $? "cluster key help"
run 1 foo && err_has 'Object "foo" is unknown, try "omctl help".'; ok $? "unknown object exit 1"
run 1 node frob && err_has 'Command "frob" is unknown'; ok $? "unknown node command exit 1"
run 1 --bogus; ok $? "unknown option exit 1"

# --- syntax errors are exit 1 even without the module
run 1 node add 0 10.0.0.1 && err_has "invalid node ID"; ok $? "node add ID 0 rejected"
run 1 node add 65536 10.0.0.1; ok $? "node add ID 65536 rejected"
run 1 node add 3 10.0.0.300 && err_has "invalid address"; ok $? "node add bad address"
run 1 node add 3 10.0.0.3:0; ok $? "node add port 0 rejected"
run 1 node add 3 10.0.0.3:70000; ok $? "node add port 70000 rejected"
run 1 node add 3; ok $? "node add missing ADDR"
run 1 node add 3 10.0.0.3 extra; ok $? "node add extra argument"
run 1 node add 3 10.0.0.3 alias && err_has "alias needs an ADDR"; ok $? "node add alias without ADDR"
run 1 node add 3 10.0.0.3 alias 10.0.1.3:5 && err_has "invalid alias address"; ok $? "node add alias with a port rejected"
run 1 node add 3 10.0.0.3 alias 10.0.1.300; ok $? "node add bad alias address"
run 1 node add 3 10.0.0.3 alias 10.0.1.1 alias 10.0.1.2 alias 10.0.1.3 alias 10.0.1.4 alias 10.0.1.5 alias 10.0.1.6 alias 10.0.1.7 &&
	err_has "at most 6 aliases"; ok $? "node add 7 aliases rejected"
run 1 node add 3 10.0.0.3 frob 10.0.1.3; ok $? "node add unknown keyword"
run 1 node del; ok $? "node del missing ID"
run 1 node del x1; ok $? "node del bad ID"
run 1 node block -3; ok $? "node block negative ID"
run 1 node show foo.bar; ok $? "node show bad argument"
run 1 whois 1.2.3.4:5; ok $? "whois with a port rejected"
run 1 cluster frob; ok $? "cluster unknown command"
run 1 cluster key; ok $? "cluster key without command"
run 1 cluster key set; ok $? "cluster key set without FILE"
run 1 status extra; ok $? "status extra argument"
run 0 p help && out_has "omctl proc migrate PID { NODE | home } [ --wait ]"; ok $? "unique prefix: p = proc"
run 1 proc frob && err_has 'Command "frob" is unknown, try "omctl proc help".'; ok $? "unknown proc command exit 1"
run 1 proc show && err_has "proc show: missing PID"; ok $? "proc show missing PID"
for bad in 0 -1 +5 x 12x 2147483648 ""; do
	run 1 proc show "$bad" && err_has "invalid PID"; ok $? "proc show rejects PID \"$bad\""
done
run 1 proc show 1 2 && err_has 'unexpected argument "2"'; ok $? "proc show extra argument"
run 1 proc lock; ok $? "proc lock missing PID"
run 1 proc unlock x1; ok $? "proc unlock bad PID"
run 1 proc lock 1 2; ok $? "proc lock extra argument"
run 1 proc list --bogus && err_has 'unexpected argument "--bogus"'; ok $? "proc list unknown option"
run 1 proc migrate && err_has "proc migrate: missing PID"; ok $? "proc migrate missing PID"
run 1 proc migrate 1 && err_has 'missing NODE (or "home")'; ok $? "proc migrate missing NODE"
run 1 proc migrate 1 0 && err_has "invalid node"; ok $? "proc migrate node 0 rejected"
run 1 proc migrate 1 65536; ok $? "proc migrate node 65536 rejected"
run 1 proc migrate 1 10.0.0.300; ok $? "proc migrate bad address"
run 1 proc migrate 1 10.0.0.3:5; ok $? "proc migrate address with a port rejected"
run 1 proc migrate 1 2 3; ok $? "proc migrate extra argument"
run 1 proc migrate x 2 --wait && err_has "invalid PID"; ok $? "proc migrate bad PID"
run 1 proc home && err_has "proc home: missing PID"; ok $? "proc home missing PID"
run 1 proc home 1 2; ok $? "proc home extra argument"
# proc set: every setting checked before anything is sent
while IFS='|' read -r want args; do
	# shellcheck disable=SC2086 # the arguments are words
	run 1 proc set $args && err_has "$want"
	ok $? "proc set $args: exit 1 ($want)"
done <<'BADSET'
proc set: missing PID|
invalid PID|x nodes 3
missing SETTING|5
unknown setting "frob"|5 frob 1
hint without a value|5 hint
invalid hint (cpu, io or none)|5 hint fast
invalid lock (on or off)|5 lock maybe
invalid node list "0"|5 nodes 0
invalid node list "65536"|5 nodes 65536
invalid node list "3-1"|5 nodes 3-1
invalid node list "1,"|5 nodes 1,
invalid node list "1,,2"|5 deny 1,,2
invalid node list "a"|5 nodes a
invalid node list "-3"|5 nodes -3
invalid node list ""|5 nodes ""
"1-9": at most 8 nodes|5 nodes 1-9
"1-5,7,9,11,13": at most 8 nodes|5 deny 1-5,7,9,11,13
nodes or deny given twice|5 nodes 3 deny 4
hint given twice|5 hint cpu hint io
BADSET

# --- without the module: exit 2 with the exact message
msg="omctl: openmosix module not loaded (modprobe openmosix)"
run 2 node list && err_has "$msg"; ok $? "node list without module: exit 2, message"
run 2 -j node list && err_has "$msg" && [[ ! -s $TMP/out ]]; ok $? "-j node list without module: nothing on stdout"
run 2 status && err_has "$msg"; ok $? "status without module"
run 2 node add 3 10.77.0.3:5428 && err_has "$msg"; ok $? "node add without module"
run 2 node add 3 10.77.0.3 alias 10.77.1.3 alias 10.77.2.3 && err_has "$msg"; ok $? "node add with aliases without module"
run 2 node show 3; ok $? "node show without module"
run 2 whois 10.77.0.3; ok $? "whois without module"
run 2 monitor && err_has "$msg"; ok $? "monitor without module"
run 2 proc && err_has "$msg"; ok $? "proc (list) without module"
run 2 -j proc list --guests && err_has "$msg" && [[ ! -s $TMP/out ]]; ok $? "-j proc list --guests without module: nothing on stdout"
run 2 proc show 1 && err_has "$msg"; ok $? "proc show without module"
run 2 proc lock 1 && err_has "$msg"; ok $? "proc lock without module"
run 2 proc unlock 1 && err_has "$msg"; ok $? "proc unlock without module"
for args in "nodes 3" "nodes 1-3,5,1-2" "deny 2" "nodes all" "deny none" "hint cpu" "hint io" "hint none" "lock on hint io nodes 1-8"; do
	# shellcheck disable=SC2086
	run 2 proc set 1 $args && err_has "$msg"; ok $? "proc set 1 $args: valid, no module: exit 2"
done
dmsg="omctl: /dev/openmosix: No such file or directory (is the openmosix module loaded?)"
if [[ ! -e /dev/openmosix ]]; then
	run 2 proc migrate 1 2 --wait && err_has "$dmsg"; ok $? "proc migrate --wait without module"
	run 2 proc migrate 1 2 && err_has "$dmsg" && [[ ! -s $TMP/out ]]; ok $? "proc migrate without module fails at once, nothing requested"
	run 2 proc home 1 && err_has "$dmsg"; ok $? "proc home without module"
	run 2 proc migrate 1 home -w && err_has "$dmsg"; ok $? "proc migrate PID home -w without module"
else
	for i in 1 2 3 4; do skip "proc migrate without module" "/dev/openmosix exists"; done
fi
run 2 proc migrate 1 10.77.0.3 && err_has "$msg"; ok $? "proc migrate to an address asks the node table"
run 2 map load "$HERE/data/good.map" && err_has "$msg" && ! err_has "ALIAS"; ok $? "map load (good file) without module, no ALIAS warning"

# --- map files, no kernel needed
run 0 map show "$HERE/data/good.map" && out_has "node      1  10.77.0.1" &&
	out_has "node      3  10.77.0.3" && out_has "node     10  10.78.0.10:5500" &&
	out_has "alias     1  10.99.0.1" && out_has "4 node(s), 1 alias(es)"
ok $? "map show good map"
run 0 -j map show "$HERE/data/good.map" && cp "$TMP/out" "$TMP/map.json" && valid_json "$TMP/map.json" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["count"]==4 and [x["id"] for x in d["nodes"]]==[1,2,3,10] and d["nodes"][3]["port"]==5500 and d["aliases"][0]["address"]=="10.99.0.1"' "$TMP/map.json"
ok $? "map show -j is valid JSON with the right nodes"
run 0 -p map show "$HERE/data/good.map" && cp "$TMP/out" "$TMP/mapp.json" && valid_json "$TMP/mapp.json" && out_has '  "nodes": ['
ok $? "map show -p pretty JSON"
run 1 map show "$HERE/data/bad.map" && err_has "$HERE/data/bad.map:4: " && [[ ! -s $TMP/out ]]
ok $? "map show bad map: FILE:LINE: message, exit 1"
run 1 map load "$HERE/data/bad.map" && err_has "bad.map:4: " && ! err_has "module not loaded"
ok $? "map load bad map fails before talking to the kernel"
printf '1 10.77.0.1 1\n2 garbage 1\n' >"$TMP/g.map"
run 1 map show "$TMP/g.map" && err_has "g.map:2: "; ok $? "map show garbage address, line 2"
run 0 map show - <"$HERE/data/good.map" && out_has "10.77.0.2"; ok $? "map show - reads stdin"
run 1 map show "$TMP/nonexistent.map" && err_has "No such file"; ok $? "map show missing file exit 1"
{ echo '1 10.77.0.1 2'; for i in 1 2 3 4 5 6; do echo "1 10.77.1.$i ALIAS"; done; echo '2 10.77.2.2 alias'; } >"$TMP/a6.map"
run 0 -j map show "$TMP/a6.map" && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [a["id"] for a in d["aliases"]]==[1]*6+[2]' "$TMP/out"
ok $? "map show: 6 aliases for a node accepted"
echo '1 10.77.3.7 ALIAS' >>"$TMP/a6.map"
run 1 map show "$TMP/a6.map" && err_has "a6.map:9: node 1 has more than 6 aliases"; ok $? "map show: 7th alias of a node rejected with its line"
printf '1 10.77.0.1 2\n1 10.77.1.1:99 ALIAS\n' >"$TMP/ap.map"
run 2 map load "$TMP/ap.map" && err_has "ap.map:2: the port of an ALIAS is ignored"; ok $? "map load warns about an ALIAS port"
: >"$TMP/empty.map"
run 1 map show "$TMP/empty.map" && err_has "no nodes"; ok $? "empty map rejected"

# --- cluster keys
run 0 cluster key generate && grep -qxE '[0-9a-f]{64}' "$TMP/out" && [[ $(wc -l <"$TMP/out") == 1 ]]
ok $? "key generate: 64 hex digits and a newline"
k1=$(cat "$TMP/out")
run 0 cluster key generate; k2=$(cat "$TMP/out")
[[ $k1 != "$k2" ]]; ok $? "two generated keys differ"
echo "$k1" >"$TMP/key"; chmod 600 "$TMP/key"
run 2 cluster key set "$TMP/key" && err_has "$msg" && ! err_has warning; ok $? "key set (valid, 0600) reaches the kernel step"
chmod 644 "$TMP/key"
run 2 cluster key set "$TMP/key" && err_has "warning: $TMP/key is accessible by group/others"
ok $? "key set warns about a group/other-readable key"
printf '%s' "$k1" | "$OMCTL" cluster key set - >"$TMP/out" 2>"$TMP/err"; [[ $? == 2 ]]
ok $? "key set from stdin without newline accepted"
for bad in "${k1:0:63}" "${k1}0" "${k1:0:63}g" "$k1 " "$k1
$k1" ""; do
	printf '%s\n' "$bad" | "$OMCTL" cluster key set - >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == 1 ]] && err_has "not a cluster key"
	ok $? "key set rejects malformed key (${#bad} chars)"
done
run 1 cluster key set "$TMP/nokey"; ok $? "key set missing file exit 1"

# --- render tests' JSON (fake kernel replies)
if [[ -n ${RENDER_JSON:-} && -d $RENDER_JSON ]]; then
	for f in list status pretty procs; do
		valid_json "$RENDER_JSON/$f.json"; ok $? "rendered $f.json is valid JSON"
	done
	python3 -m json.tool --json-lines "$RENDER_JSON/events.jsonl" >/dev/null 2>"$TMP/err"
	ok $? "rendered monitor output is valid JSON lines"
	python3 -m json.tool --json-lines "$RENDER_JSON/mig-events.jsonl" >/dev/null 2>"$TMP/err"
	ok $? "rendered migration events are valid JSON lines"
	python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); keys="pid uid comm where home nmigs locked cantmove away_ms guest home_pid hint hint_left node_policy nodes".split(); assert [x["pid"] for x in l]==[4242,4243,4244] and all(sorted(x)==sorted(keys) for x in l) and [x["cantmove"] for x in l]==[None,None,"multi-threaded (2 threads)"] and [x["locked"] for x in l]==[False,False,True] and l[1]["guest"] is True and l[1]["home_pid"]==777 and l[1]["away_ms"]==12345 and l[0]["away_ms"] is None and l[0]["where"]==l[0]["home"]==1 and l[2]["comm"]=="sh \"x\"" and l[2]["nodes"]==[3,5] and l[2]["hint"]=="io" and l[0]["hint"] is None and l[1]["node_policy"]=="deny"' "$RENDER_JSON/procs.json" 2>"$TMP/err"
	ok $? "proc list JSON: keys and values (null cantmove when it may move)"
	python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; assert [e["event"] for e in l]==["start","arrived","failed","home","guest-in","guest-out","unknown"] and [e["reason"] for e in l][2]=="migration is not available yet" and l[0]["reason"] is None and all(e["proc"]["pid"]==4243 for e in l)' "$RENDER_JSON/mig-events.jsonl" 2>"$TMP/err"
	ok $? "migration events JSON: names, reason, proc object"
	python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); assert [x["state"] for x in l]==["up","up","down"] and l[0]["self"] is True and l[1]["self"] is False and all(k in l[0] for k in "id address port state load cpus speed mem_total mem_free uptime flags aliases last_heard_ms".split()) and [x["aliases"] for x in l]==[[],["10.88.0.2","10.89.0.2"],[]]' "$RENDER_JSON/list.json" 2>"$TMP/err"
	ok $? "node list JSON fields (self counts as up)"
else
	skip "rendered JSON" "no RENDER_JSON"
fi

# --- omdiscd
"$OMDISCD" -h >"$TMP/out" 2>&1 && out_has "Usage: omdiscd"; ok $? "omdiscd -h"
"$OMDISCD" -p 0 >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]]; ok $? "omdiscd -p 0 rejected"
"$OMDISCD" -k "$TMP/nokey" -1 -t 1 >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has "omctl cluster key generate"
ok $? "omdiscd without a key file: exit 1 and a hint"
"$OMDISCD" -i no-such-if0 -k "$TMP/key" >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has 'no interface "no-such-if0"'
ok $? "omdiscd -i unknown interface"

# Two daemons in two network namespaces over a veth pair, no default route.
if [[ $(id -u) == 0 ]] && ip netns add "${NS}a" 2>/dev/null; then
	ip netns add "${NS}b" &&
	ip link add va netns "${NS}a" type veth peer name vb netns "${NS}b" &&
	ip -n "${NS}a" addr add 10.77.0.1/24 dev va && ip -n "${NS}b" addr add 10.77.0.2/24 dev vb &&
	ip -n "${NS}a" link set va up && ip -n "${NS}b" link set vb up
	chmod 600 "$TMP/key"
	"$OMCTL" cluster key generate >"$TMP/key2"; chmod 600 "$TMP/key2"
	ip netns exec "${NS}a" "$OMDISCD" -k "$TMP/key" -1 -t 1 >"$TMP/a" 2>"$TMP/a.err" &
	ip netns exec "${NS}b" "$OMDISCD" -k "$TMP/key" -1 -t 1 >"$TMP/b" 2>"$TMP/b.err"
	wait
	grep -qx "peer 2 10.77.0.2 0" "$TMP/a" && grep -qx "peer 1 10.77.0.1 0" "$TMP/b" &&
		grep -qx "bad 0" "$TMP/a"
	ok $? "omdiscd: two nodes discover each other (IDs from addresses)"
	ip netns exec "${NS}a" "$OMDISCD" -k "$TMP/key" -1 -t 1 -n 7 >"$TMP/a" 2>"$TMP/a.err" &
	ip netns exec "${NS}b" "$OMDISCD" -k "$TMP/key2" -1 -t 1 >"$TMP/b" 2>"$TMP/b.err"
	wait
	! grep -q '^peer' "$TMP/a" "$TMP/b" && grep -q "bad MAC" "$TMP/b.err" &&
		[[ $(grep -c "bad beacon" "$TMP/b.err") == 1 ]]
	ok $? "omdiscd: wrong key rejected, logged once"
else
	skip "omdiscd discovery between network namespaces" "needs root and ip netns"
	skip "omdiscd wrong key" "needs root and ip netns"
fi

# --- openmosix-start configuration check (-n: no module, no changes)
START=$HERE/../scripts/openmosix-start
printf 'KEY_FILE=%s\nMAP_FILE="%s"  # comment\nSPEED=12000\n' "$TMP/key" "$HERE/data/good.map" >"$TMP/om.conf"
PATH=$(dirname "$OMCTL"):$PATH "$START" -n -c "$TMP/om.conf" >"$TMP/out" 2>"$TMP/err"
ok $? "openmosix-start -n accepts a good configuration"
printf 'KEY_FILE=%s\nMAP_FILE=%s\n' "$TMP/key" "$HERE/data/bad.map" >"$TMP/om.conf"
PATH=$(dirname "$OMCTL"):$PATH "$START" -n -c "$TMP/om.conf" >"$TMP/out" 2>"$TMP/err"
[[ $? == 1 ]] && err_has "bad.map:4:"; ok $? "openmosix-start -n reports a bad map"
printf 'KEY_FILE=%s\n' "$TMP/nokey" >"$TMP/om.conf"
"$START" -n -c "$TMP/om.conf" >"$TMP/out" 2>"$TMP/err"
[[ $? == 1 ]] && err_has "openmosix-start: no cluster key in $TMP/nokey (umask 077; omctl cluster key generate > $TMP/nokey)"
ok $? "openmosix-start: missing key, clear message"
printf 'KEY_FILE=%s\nrm -rf /\n' "$TMP/key" >"$TMP/om.conf"
"$START" -n -c "$TMP/om.conf" >"$TMP/out" 2>"$TMP/err"
[[ $? == 1 ]] && err_has "om.conf:2: expected KEY=VALUE"; ok $? "openmosix-start: config is parsed, not executed"
"$START" -x >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]]; ok $? "openmosix-start: bad option exit 1"
for wm in private integrity; do
	printf 'KEY_FILE=%s\nMAP_FILE=\nWIRE_MODE=%s\n' "$TMP/key" "$wm" >"$TMP/om.conf"
	PATH=$(dirname "$OMCTL"):$PATH "$START" -n -c "$TMP/om.conf" >"$TMP/out" 2>"$TMP/err"
	ok $? "openmosix-start -n: WIRE_MODE=$wm accepted"
done
printf 'KEY_FILE=%s\nMAP_FILE=\nWIRE_MODE=1\n' "$TMP/key" >"$TMP/om.conf"
"$START" -n -c "$TMP/om.conf" >"$TMP/out" 2>"$TMP/err"
[[ $? == 1 ]] && err_has "WIRE_MODE=1: private (the default) or integrity, the same on every node"
ok $? "openmosix-start -n: a bad WIRE_MODE, and the choices"
# MFS_EXPORTS: checked with -n too, each problem with its fix
mkdir -p "$TMP/exp/a" "$TMP/exp/b"
: >"$TMP/exp/file"
mfsx() { # mfsx WANT-RC EXPORTS [ARGS...]: openmosix-start with MFS_EXPORTS=EXPORTS
	local want=$1 rc
	printf 'KEY_FILE=%s\nMAP_FILE=\nMFS_EXPORTS="%s"\n' "$TMP/key" "$2" >"$TMP/om.conf"
	PATH=$(dirname "$OMCTL"):$PATH "$START" -c "$TMP/om.conf" "${@:3}" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == "$want" ]]
}
mfsx 0 "$TMP/exp/a $TMP/exp/b:ro" -n; ok $? "openmosix-start -n: MFS_EXPORTS of directories, one :ro"
mfsx 0 "" -n; ok $? "openmosix-start -n: MFS_EXPORTS empty (everything)"
mfsx 1 "$TMP/exp/a $TMP/exp/nope" -n && err_has "MFS_EXPORTS: $TMP/exp/nope does not exist (create it, or take it out of MFS_EXPORTS in $TMP/om.conf)"
ok $? "openmosix-start -n: a missing export, and the fix"
mfsx 1 "$TMP/exp/file:ro" -n && err_has "MFS_EXPORTS: $TMP/exp/file is not a directory"
ok $? "openmosix-start -n: an export that is a file"
mfsx 1 "exp/a" -n && err_has 'MFS_EXPORTS: "exp/a" is not an absolute path'
ok $? "openmosix-start -n: a relative export"
# applied: a fake knob directory (OPENMOSIX_SYSFS); no module, so the key fails after
mkdir -p "$TMP/sys"
: >"$TMP/sys/mfs_exports"
OPENMOSIX_SYSFS=$TMP/sys mfsx 1 "$TMP/exp/a   $TMP/exp/b:ro" &&
	[[ $(cat "$TMP/sys/mfs_exports") == "$TMP/exp/a   $TMP/exp/b:ro" ]] &&
	out_has "openmosix-start: MFS exports: " && err_has "cannot set the cluster key"
ok $? "openmosix-start: MFS_EXPORTS written to mfs_exports before the key"
OPENMOSIX_SYSFS=$TMP/sys mfsx 1 "" && [[ $(cat "$TMP/sys/mfs_exports") == "" ]] &&
	out_has "MFS exports: everything (no export list)"
ok $? "openmosix-start: MFS_EXPORTS empty clears the list"
rm "$TMP/sys/mfs_exports"
OPENMOSIX_SYSFS=$TMP/sys mfsx 1 "$TMP/exp/a" && err_has "this module has no export list"
ok $? "openmosix-start: MFS_EXPORTS with a module without the knob"

# --- migrate(1): openMosix's command, a front end of omctl proc migrate
MIG=$HERE/../scripts/migrate
"$MIG" -h >"$TMP/out" 2>"$TMP/err" && out_has "Usage: migrate {pid} {openMosix-ID|home|balance}"; ok $? "migrate -h: usage, exit 0"
"$MIG" >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has "Usage: migrate"; ok $? "migrate without arguments: usage on stderr, exit 1"
"$MIG" 1 2 3 >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has "Usage: migrate"; ok $? "migrate with three arguments: exit 1"
PATH=$(dirname "$OMCTL"):$PATH "$MIG" 1 balance >"$TMP/out" 2>"$TMP/err"; [[ $? == 2 ]] && err_has "$msg"
ok $? "migrate PID balance: unlocks it (omctl proc unlock), no module: exit 2"
PATH=$(dirname "$OMCTL"):$PATH "$MIG" x balance >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has 'invalid PID: "x"'; ok $? "migrate bad PID balance: exit 1"
PATH=$(dirname "$OMCTL"):$PATH "$MIG" x 2 >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has 'invalid PID: "x"'; ok $? "migrate bad PID: omctl's message, exit 1"
if [[ ! -e /dev/openmosix ]]; then
	PATH=$(dirname "$OMCTL"):$PATH "$MIG" 1 home >"$TMP/out" 2>"$TMP/err"; [[ $? == 2 ]] && err_has "$dmsg"
	ok $? "migrate PID home without module: omctl's message, exit 2"
else
	skip "migrate without module" "/dev/openmosix exists"
fi

# --- omctl policy: checks need no module; a fake knob directory (OMCTL_SYSFS)
SYS=$TMP/sys
mksys() { # the knobs at their defaults, plus two "set" must never touch
	rm -rf "$SYS"; mkdir -p "$SYS"
	local kv
	for kv in balance=1 balance_interval_ms=2000 load_limit=0 stay=0 lstay=0 quiet=0 speed=10000 node_id=3 port=4660; do
		echo "${kv#*=}" >"$SYS/${kv%%=*}"
	done
}
# sysfs_is K=V...: exactly these values, every other knob untouched
sysfs_is() {
	local -A want=([balance]=1 [balance_interval_ms]=2000 [load_limit]=0 [stay]=0 [lstay]=0 [quiet]=0 [speed]=10000 [node_id]=3 [port]=4660)
	local kv k
	for kv in "$@"; do want[${kv%%=*}]=${kv#*=}; done
	for k in "${!want[@]}"; do
		[[ $(cat "$SYS/$k") == "${want[$k]}" ]] || { echo "$k is $(cat "$SYS/$k"), wanted ${want[$k]}" >>"$TMP/err"; return 1; }
	done
	[[ $(find "$SYS" -mindepth 1 | wc -l) == 9 ]]
}
prun() { # prun RC ARGS...: omctl with OMCTL_SYSFS=$SYS
	OMCTL_SYSFS=$SYS run "$@"
}
mksys
while read -r knob val range; do
	prun 1 policy set "$knob" "$val" && err_has "policy set: $knob must be $range, not \"$val\"" && sysfs_is
	ok $? "policy set $knob $val refused: exit 1, the range named, nothing written"
done <<'BAD'
balance 2 on or off
balance yes on or off
stay -1 on or off
lstay 2 on or off
quiet 2 on or off
quiet yes on or off
balance_interval_ms 99 100..600000
balance_interval_ms 600001 100..600000
balance_interval_ms 0x100 100..600000
balance_interval_ms 1e3 100..600000
speed 0 1..1000000
speed 1000001 1..1000000
speed +5 1..1000000
speed 99999999999999999999 1..1000000
load_limit 1000001 0..1000000, or a load 0.0..976.56 with a decimal point
load_limit 977.0 0..1000000, or a load 0.0..976.56 with a decimal point
load_limit 1.5.5 0..1000000, or a load 0.0..976.56 with a decimal point
load_limit .5 0..1000000, or a load 0.0..976.56 with a decimal point
load_limit 2. 0..1000000, or a load 0.0..976.56 with a decimal point
load_limit -1 0..1000000, or a load 0.0..976.56 with a decimal point
BAD
prun 1 policy set balance off stay on speed 0 && err_has "speed must be 1..1000000" && sysfs_is
ok $? "policy set: one bad value among several writes none"
prun 1 policy set frob 1 && err_has 'unknown knob "frob"'; ok $? "policy set unknown knob"
prun 1 policy set node_id 4 && err_has 'unknown knob "node_id"' && sysfs_is; ok $? "policy set: other knobs are not policy"
prun 1 policy set stay && err_has "stay without a VALUE"; ok $? "policy set NAME without VALUE"
prun 1 policy set stay on stay off && err_has "stay given twice" && sysfs_is; ok $? "policy set: a knob twice refused"
prun 1 policy set && err_has "missing NAME VALUE"; ok $? "policy set without arguments"
prun 1 policy frob && err_has 'Command "frob" is unknown, try "omctl policy help".'; ok $? "policy unknown command"
prun 1 policy show extra && err_has 'unexpected argument "extra"'; ok $? "policy show extra argument"
prun 0 policy set balance off balance_interval_ms 5000 stay on speed 12000 &&
	sysfs_is balance=0 balance_interval_ms=5000 stay=1 speed=12000 && [[ ! -s $TMP/out && ! -s $TMP/err ]]
ok $? "policy set with several knobs writes exactly those files"
mksys
prun 0 policy set lstay 1 load_limit 1.5 && sysfs_is lstay=1 load_limit=1536
ok $? "policy set: load_limit 1.5 is 1536, 1 is on"
prun 0 policy set load_limit 976.56 && sysfs_is lstay=1 load_limit=999997; ok $? "policy set: load_limit 976.56 (rounded) accepted"
prun 0 policy set load_limit 2 && sysfs_is lstay=1 load_limit=2 && err_has "note: load_limit 2 is a load below 1"
ok $? "policy set load_limit 2: written as given, with a note about 2.0"
prun 0 policy set quiet on && sysfs_is quiet=1 lstay=1 load_limit=2; ok $? "policy set quiet on writes 1"
prun 0 policy show && out_has "quiet: on"; ok $? "policy show: quiet"
prun 0 policy set load_limit 0 stay off lstay off quiet off && sysfs_is; ok $? "policy set back to the defaults"
prun 0 policy && out_has "balance: on" && out_has "balance_interval_ms: 2000" &&
	out_has "load_limit: 0 (no limit)" && out_has "stay: off" && out_has "lstay: off" && out_has "speed: 10000"
ok $? "policy (show) text: one key: value line per knob"
echo 1536 >"$SYS/load_limit"
prun 0 policy show && out_has "load_limit: 1536 (load 1.50)"; ok $? "policy show: load_limit with its load"
prun 0 -j policy show && cp "$TMP/out" "$TMP/pol.json" && valid_json "$TMP/pol.json" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d=={"balance":True,"balance_interval_ms":2000,"load_limit":1536,"stay":False,"lstay":False,"quiet":False,"speed":10000}, d' "$TMP/pol.json" 2>>"$TMP/err"
ok $? "-j policy show: valid JSON, booleans and numbers"
prun 0 -p policy show && cp "$TMP/out" "$TMP/polp.json" && valid_json "$TMP/polp.json" && out_has '  "speed": 10000'
ok $? "-p policy show: pretty JSON"
mksys; rm "$SYS/lstay"
prun 0 -j policy show && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["lstay"] is None and d["stay"] is False' "$TMP/out" 2>>"$TMP/err"
ok $? "-j policy show: a knob the module lacks is null"
prun 2 policy set stay on lstay on && err_has "the loaded module has no knob lstay" && [[ $(cat "$SYS/stay") == 0 ]]
ok $? "policy set: a knob the module lacks: exit 2, nothing written"
# the kernel refusing the last of three (here /dev/full: ENOSPC): the others go back
mksys; rm "$SYS/speed"; ln -s /dev/full "$SYS/speed"
prun 2 policy set balance off stay on speed 5000 && err_has "speed: No space left on device" &&
	err_has "stay restored to 0" && err_has "balance restored to 1" &&
	[[ $(cat "$SYS/balance") == 1 && $(cat "$SYS/stay") == 0 ]]
ok $? "policy set: a write failing after others puts the others back, exit 2"
mksys
if [[ $(id -u) == 0 ]] && command -v setpriv >/dev/null; then
	NTMP=$(mktemp -d); chmod 755 "$NTMP"; cp -p "$SYS"/* "$NTMP"/
	setpriv --reuid=nobody --regid=nogroup --clear-groups env OMCTL_SYSFS="$NTMP" \
		"$OMCTL" policy set stay on >"$TMP/out" 2>"$TMP/err"
	[[ $? == 2 ]] && err_has "omctl: policy set: needs root" && [[ $(cat "$NTMP/stay") == 0 ]]
	ok $? "policy set as a user: \"needs root\", exit 2, nothing written"
	setpriv --reuid=nobody --regid=nogroup --clear-groups env OMCTL_SYSFS="$NTMP" \
		"$OMCTL" policy show >"$TMP/out" 2>"$TMP/err" && out_has "stay: off"
	ok $? "policy show as a user"
elif [[ $(id -u) != 0 ]]; then
	chmod 444 "$SYS/stay"
	prun 2 policy set stay on && err_has "omctl: policy set: needs root"; ok $? "policy set as a user: \"needs root\", exit 2"
	skip "policy show as a user" "covered by the other tests"
else
	skip "policy set as a user" "no setpriv"
	skip "policy show as a user" "no setpriv"
fi
OMCTL_SYSFS=$TMP/nosys run 2 policy && err_has "$msg"; ok $? "policy show without the module: exit 2, message"
OMCTL_SYSFS=$TMP/nosys run 2 policy set stay on && err_has "$msg"; ok $? "policy set without the module: exit 2, message"
OMCTL_SYSFS=$TMP/nosys run 1 policy set stay maybe && ! err_has "$msg"; ok $? "policy set: a bad value is found before the module is missed"
if [[ ! -e /sys/kernel/openmosix ]]; then
	OMCTL_SYSFS='' run 2 policy set speed 12000 && err_has "$msg"; ok $? "policy set without OMCTL_SYSFS uses /sys/kernel/openmosix"
else
	skip "policy set without OMCTL_SYSFS" "/sys/kernel/openmosix exists"
fi

# --- omctl run: no policy asked, no module needed
run 0 run -- true; ok $? "run -- true: exit 0"
run 3 run -- sh -c 'exit 3'; ok $? "run -- sh -c 'exit 3': exit 3"
run 0 run echo hello -- there && out_has "hello -- there"; ok $? "run without --: CMD and its arguments as given"
run 137 run -- sh -c 'kill -KILL $$'; ok $? "run: a child killed by SIGKILL is 137"
run 5 run --keep -- sh -c 'exit 5'; ok $? "run --keep needs no module"
run 127 run -- "$TMP/no-such-program" && err_has "omctl: run: $TMP/no-such-program: No such file or directory"
ok $? "run: a missing program is 127 with the reason"
: >"$TMP/notexec"; chmod 644 "$TMP/notexec"
run 126 run -- "$TMP/notexec" && err_has "Permission denied"; ok $? "run: a program that cannot be executed is 126"
ls /proc/self/fd >"$TMP/fd.direct" 2>/dev/null
"$OMCTL" run -- ls /proc/self/fd >"$TMP/fd.run" 2>/dev/null
cmp -s "$TMP/fd.direct" "$TMP/fd.run"; ok $? "run: CMD inherits no descriptor of omctl's"
# sig_case SIG CODE DESC: SIG to omctl run reaches its child, whose trap
# exits CODE.  The signal's default action first, whatever this shell
# inherited (under nohup, HUP is ignored, and sh cannot trap a signal
# ignored at its start: the case hung); a child that never gets it is
# killed after 10 s, and the case fails.
sig_case() {
	rm -f "$TMP/ready"
	env --default-signal="$1" "$OMCTL" run -- \
		sh -c "trap 'exit $2' $1; : >'$TMP/ready'; while :; do sleep 0.1; done" >/dev/null 2>&1 &
	rp=$!
	for _ in $(seq 100); do [[ -e $TMP/ready ]] && break; sleep 0.1; done
	kill -"$1" "$rp"
	for _ in $(seq 100); do kill -0 "$rp" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$rp" 2>/dev/null && pkill -9 -P "$rp"
	wait "$rp"
	[[ $? == "$2" ]]
	ok $? "$3"
}
sig_case TERM 7 "run: SIGTERM to omctl reaches the child, its exit status comes back"
sig_case HUP 9 "run: SIGHUP is passed on"
for args in "--home" "--node 2" "--node 2 --fallback" "--node 2 --wait-migrate" "--node 2 --keep" "--lock" "--unlock" \
	"--nodes 3" "--nodes=2-3 --keep" "--cpu" "--io --keep" "--nodes 2,3 --node 3 --cpu"; do
	# shellcheck disable=SC2086 # the options are words
	run 2 run $args -- touch "$TMP/ran" && err_has "$msg" && [[ ! -e $TMP/ran ]]
	ok $? "run $args without the module: exit 2, message, CMD not run"
done
run 0 run --home --keep -- true; ok $? "run --home --keep: nothing to lock, no module needed"
run 2 run --node 10.77.0.3 -- true && err_has "$msg"; ok $? "run --node ADDR asks the node table"
rm -f "$TMP/ran"
while IFS='|' read -r want args; do
	# shellcheck disable=SC2086
	run 1 run $args && err_has "$want" && [[ ! -e $TMP/ran ]]
	ok $? "run $args: exit 1 ($want)"
done <<BADRUN
missing CMD|--home
missing CMD|--
unknown option "--bogus"|--bogus touch $TMP/ran
--home and --node exclude|--home --node 2 touch $TMP/ran
--fallback needs --node|--fallback touch $TMP/ran
--wait-migrate needs --node|--wait-migrate touch $TMP/ran
only one of --lock|--lock --unlock touch $TMP/ran
only one of --lock|--keep --lock touch $TMP/ran
invalid node|--node 0 touch $TMP/ran
invalid node|--node 65536 touch $TMP/ran
invalid node|--node=10.0.0.300 touch $TMP/ran
invalid node|--node home touch $TMP/ran
--node needs a NODE|--node
--nodes needs a LIST|--nodes
--nodes: invalid node list|--nodes 0 touch $TMP/ran
--nodes: invalid node list|--nodes=2-1 touch $TMP/ran
--nodes: invalid node list|--nodes 1,x touch $TMP/ran
--nodes: at most 8 nodes|--nodes 1-9 touch $TMP/ran
--home and --nodes exclude|--home --nodes 2 touch $TMP/ran
--node is not in the --nodes LIST|--nodes 2,3 --node 4 touch $TMP/ran
--cpu and --io exclude|--cpu --io touch $TMP/ran
BADRUN
run 1 run && err_has "Usage: omctl run"; ok $? "run without arguments: usage on stderr, exit 1"

# --- mosrun, nomig, runhome, runon: front ends of omctl run
MOSRUN=$HERE/../scripts/mosrun
FAKE=$TMP/fake
mkdir -p "$FAKE"
for l in nomig runhome runon cpujob iojob; do ln -sf "$MOSRUN" "$FAKE/$l"; done
ln -sf "$MOSRUN" "$FAKE/mosrun"
OMDIR=$(cd "$(dirname "$OMCTL")" && pwd)
fe() { # fe RC NAME ARGS...: a front end with the real omctl
	local want=$1 rc
	shift
	PATH=$OMDIR:$PATH "$FAKE/$1" "${@:2}" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[[ $rc == "$want" ]] || echo "exit $rc, wanted $want" >>"$TMP/err"
	return $((rc != want))
}
# what a front end asks of omctl: a fake omctl prints its arguments
mkdir -p "$TMP/fakebin"
printf '#!/bin/sh\nprintf "%%s\\n" "$*"\n' >"$TMP/fakebin/omctl"; chmod 755 "$TMP/fakebin/omctl"
asks() { # asks "OMCTL ARGS" NAME ARGS...
	local want=$1
	shift
	[[ $(PATH=$TMP/fakebin:$PATH "$FAKE/$1" "${@:2}" 2>&1) == "$want" ]]
}
fe 0 mosrun --help && out_has "Usage: mosrun"; ok $? "mosrun --help"
fe 4 mosrun -k -- sh -c 'exit 4'; ok $? "mosrun -k: runs without the module, its exit status"
fe 2 mosrun -h true && err_has "$msg"; ok $? "mosrun -h without the module: omctl's message, exit 2"
fe 2 nomig true && err_has "$msg"; ok $? "nomig without the module"
fe 2 runhome true && err_has "$msg"; ok $? "runhome without the module"
fe 2 runon 3 true && err_has "$msg"; ok $? "runon without the module"
fe 1 runon x true && err_has 'invalid node (ID or address): "x"'; ok $? "runon bad node: omctl's message, exit 1"
fe 1 runon && err_has "Usage: runon openMosix-ID command"; ok $? "runon without arguments: usage, exit 1"
fe 1 runon 3 && err_has "missing command"; ok $? "runon without a command"
fe 1 mosrun && err_has "missing command"; ok $? "mosrun without a command"
fe 0 runhome --help && out_has "Usage: runhome command"; ok $? "runhome --help"
rm -f "$TMP/ran"
for o in -n -s -f -t -d -e -E -r -R -z; do
	fe 1 mosrun "$o" touch "$TMP/ran" && err_has "mosrun: $o: " && err_has "not supported by openMosix-NG" && [[ ! -e $TMP/ran ]]
	ok $? "mosrun $o refused by name, nothing run"
done
fe 1 nomig -z touch "$TMP/ran" && err_has "not supported" && [[ ! -e $TMP/ran ]]; ok $? "nomig -z refused"
fe 1 mosrun -q true && err_has "unknown option -q"; ok $? "mosrun unknown option"
for j in -j -jx -j0 -j5-2 -j1-65536 -j1,,2 '-j1,' -j1-; do
	fe 1 mosrun "$j" true && err_has "expected -jID1-ID2"; ok $? "mosrun $j refused"
done
asks "run --lock -- cmd a" mosrun cmd a; ok $? "mosrun CMD: locked (openMosix's default)"
asks "run --home --lock -- cmd" mosrun -h cmd; ok $? "mosrun -h: --home"
asks "run --node 3 --fallback --unlock -- cmd -x" mosrun -3 -F -l cmd -x; ok $? "mosrun -3 -F -l: --node 3 --fallback --unlock"
asks "run --home --keep -- cmd" mosrun -k -h cmd; ok $? "mosrun -k -h: --keep"
asks "run --home --lock -- cmd" mosrun -h -F cmd; ok $? "mosrun -h -F: -F dropped at home"
asks "run --lock -- -h" mosrun -- -h; ok $? "mosrun -- ends the options"
asks "run --nodes 7 --node 7 --lock -- cmd" mosrun -j7 cmd; ok $? "mosrun -j7: node 7, list 7"
for _ in 1 2 3 4 5 6 7 8; do
	a=$(PATH=$TMP/fakebin:$PATH "$FAKE/mosrun" -j2-3,9 cmd)
	[[ $a == "run --nodes 2-3,9 --node 2 --lock -- cmd" || $a == "run --nodes 2-3,9 --node 3 --lock -- cmd" ||
		$a == "run --nodes 2-3,9 --node 9 --lock -- cmd" ]] || break
done
ok $? "mosrun -j2-3,9: a node of the list, and the list"
a=$(PATH=$TMP/fakebin:$PATH "$FAKE/mosrun" -j1-20 -F cmd)
[[ $a =~ ^run\ --node\ ([0-9]+)\ --fallback\ --lock\ --\ cmd$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 20))
ok $? "mosrun -j1-20: more than 8 nodes only picks the node"
asks "run --cpu -- cmd" cpujob cmd; ok $? "cpujob: --cpu, the caller's lock"
asks "run --io -- cmd a" iojob -- cmd a; ok $? "iojob: --io"
fe 0 iojob --help && out_has "Usage: iojob command" && out_has "I/O-bound"; ok $? "iojob --help"
asks "run --keep --cpu -- cmd" mosrun -c cmd; ok $? "mosrun -c: --cpu, keeps the lock (openMosix)"
asks "run --keep --io -- cmd" mosrun -i cmd; ok $? "mosrun -i: --io, keeps the lock"
asks "run --node 3 --lock --io -- cmd" mosrun -i -3 cmd; ok $? "mosrun -i -3: a node named locks"
asks "run --unlock --cpu -- cmd" mosrun -c -l cmd; ok $? "mosrun -c -l: unlocked"
asks "run --nodes 3-3 --node 3 --unlock --cpu -- cmd" mosrun -j3-3 -l -c cmd
ok $? "mosrun -j3-3 -l -c: list, node, unlocked, hint"
fe 2 cpujob true && err_has "$msg"; ok $? "cpujob without the module: omctl's message, exit 2"
asks "run --home -- cmd a" nomig cmd a; ok $? "nomig: --home"
asks "run --home -- cmd" runhome -- cmd; ok $? "runhome: --home"
asks "run --node 4 -- cmd a" runon 4 cmd a; ok $? "runon 4: --node 4"

# --- omctl restore reads and checks timens-0.img (the keeper's clocks) before
# it needs the module: mutate_images.py's synthetic images and their timens
# mutations (tests/ckpt), each refused with the file named, or not at all
MUT=$HERE/../../tests/ckpt/mutate_images.py
if [[ -e /dev/openmosix ]]; then
	skip "restore checks timens-0.img" "the module is loaded (a good image would restore)"
elif ! /usr/bin/python3 -c 'import pycriu' 2>/dev/null; then
	skip "restore checks timens-0.img" "no pycriu (Debian's criu package)"
else
	/usr/bin/python3 "$MUT" --synth "$TMP/tns/src" >/dev/null &&
		/usr/bin/python3 "$MUT" --only '^(missing-)?timens' "$TMP/tns/src" "$TMP/tns/out" >/dev/null
	ok $? "mutate_images.py: synthetic images and timens mutations"
	run 2 restore "$TMP/tns/src" && err_has "is the openmosix module loaded"
	ok $? "restore: a good timens-0.img passes the checks"
	bad=
	for d in "$TMP"/tns/out/*/; do
		why=$(<"$d/why")
		"$OMCTL" restore "$d" >/dev/null 2>"$TMP/err"
		case $why in
		must-fail*) grep -q "cannot restore .*timens-0.img" "$TMP/err" || bad+=" ${d%/}" ;;
		*missing*) grep -q "is the openmosix module loaded" "$TMP/err" || bad+=" ${d%/}" ;;
		esac
	done
	[[ -z $bad ]] || echo "refused wrongly or not:$bad" >"$TMP/err"
	[[ -z $bad ]]; ok $? "restore: each bad timens-0.img refused with its name, a missing one is not"
fi

echo "1..$n"
exit $((failed > 0))
