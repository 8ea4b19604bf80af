#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# omwebd without the kernel module (TAP): the daemon on a free localhost
# port says "openmosix module not loaded" on the page and the API, refuses
# bad input with the right status and goes on serving, keeps its bounds,
# drops privileges, and /metrics is Prometheus text; the unit program's
# fake-kernel /metrics and history are checked too; a headless Chromium
# renders the page (screenshot kept in OMWEBD_OUT) when it is installed.
# Env: OMWEBD, OMWEBD_TEST (binaries), OMWEBD_OUT (artifacts directory).

set -u
OMWEBD=${OMWEBD:-build/omwebd}
OMWEBD_TEST=${OMWEBD_TEST:-build/omwebd_test}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OMWEBD_OUT:-build/omwebd-test}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PY=/usr/bin/python3
PROMCHECK=$HERE/promcheck.py
BROWSER=$HERE/../../tests/tools/web-browser.py
NOT_LOADED="openmosix module not loaded (modprobe openmosix)"
TMP=$(mktemp -d)
PIDS=()
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
n=0
failed=0

ok() { # ok RC DESC
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - omwebd: $2"
	else
		echo "not ok $n - omwebd: $2"
		failed=$((failed + 1))
		[[ -s $TMP/out ]] && sed 's/^/#   out: /' "$TMP/out" | head -n 8
		[[ -s $TMP/err ]] && sed 's/^/#   err: /' "$TMP/err" | head -n 8
	fi
	: >"$TMP/out"
	: >"$TMP/err"
}
skip() { n=$((n + 1)); echo "ok $n - omwebd: $1 # SKIP $2"; }
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }

# start LOG ARGS...: omwebd in the background; sets $pid, $addr and $port
# once it serves (its first log line names the address)
start() {
	local log=$1 i
	shift
	: >"$log"
	"$OMWEBD" "$@" >>"$log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	port=
	for ((i = 0; i < 100; i++)); do
		addr=$(sed -n 's|.*listening on http://\([^ ]*\)/ .*|\1|p' "$log" | head -n 1)
		port=${addr##*:}
		[[ -n $addr ]] && curl -s -o /dev/null "http://$addr/" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# stop PID: SIGTERM, then its exit status (124 if it did not end in 10 s)
stop() {
	local p=$1 i
	kill -TERM "$p" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$p" 2>/dev/null || { wait "$p"; return $?; }
		sleep 0.1
	done
	kill -KILL "$p"
	wait "$p"
	return 124
}
# get PATH [CURL ARGS...]: body in $TMP/out, headers in $TMP/hdr, status in $code
get() {
	local path=$1
	shift
	code=$(curl -s -o "$TMP/out" -D "$TMP/hdr" -w '%{http_code}' --max-time 10 "$@" \
		"http://127.0.0.1:$port$path" 2>"$TMP/err")
}
hdr_has() { grep -qi -- "$1" "$TMP/hdr"; }
# raw BYTES-EXPR: send a Python bytes expression over TCP, print the reply's
# status code, or "closed" if the daemon hung up without one
raw() {
	$PY - "$port" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.settimeout(3)
try:
    s.sendall(eval(sys.argv[2]))
except OSError:
    pass
reply = b""
try:
    while b"\r\n" not in reply:
        d = s.recv(4096)
        if not d:
            break
        reply += d
except OSError:
    pass
line = reply.split(b"\r\n")[0].split()
print(line[1].decode() if len(line) > 1 and line[0].startswith(b"HTTP/") else "closed")
EOF
}
json_is() { # json_is EXPR: evaluate EXPR over j = the JSON in $TMP/out
	$PY -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$TMP/out" 2>>"$TMP/err"
}
proc_user() { awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
children() { grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3; }

# --- the unit program: input checks, settings, fake-kernel snapshot
mkdir -p "$OUT/unit"
"$OMWEBD_TEST" "$OUT/unit" 2>"$TMP/unit.err"
unit_rc=$?
ok $unit_rc "unit program passes"
M=$OUT/unit/metrics.txt
$PROMCHECK "$M" 'openmosix_module_loaded=1' 'openmosix_nodes=3' 'openmosix_nodes_up=2' \
	'openmosix_node_up{node="1"}=1' 'openmosix_node_up{node="3"}=0' 'openmosix_node_self{node="1"}=1' \
	'openmosix_node_blocked{node="3"}=1' 'openmosix_node_load{node="1"}=1.37' \
	'openmosix_node_load{node="2"}=2.5' 'openmosix_node_memory_total_bytes{node="2"}=4294967296' \
	'openmosix_node_memory_free_bytes{node="2"}=1610612736' 'openmosix_node_uptime_seconds{node="3"}=3603' \
	'openmosix_node_last_heard_seconds{node="2"}=1.5' 'openmosix_node_processes{node="1"}=2' \
	'openmosix_node_processes{node="2"}=1' 'openmosix_node_processes{node="3"}=0' \
	'openmosix_node_guests{node="1"}=1' 'openmosix_transport_rx_frames_total{node="1"}=1234' \
	'openmosix_transport_tx_frames_total{node="1"}=5678' 'openmosix_transport_rx_bad_auth_total{node="1"}=3' \
	'openmosix_migration_events_total{node="1",event="arrived"}=4' \
	'openmosix_info{version="9.8.7 \"test\"\\",tools_version="'"$(cat "$HERE/../../VERSION")"'"}=1' \
	2>"$TMP/err"
ok $? "fake-kernel /metrics: strict text format, prometheus_client parses it, one series per node, values right"
! grep -q 'openmosix_node_last_heard_seconds{node="1"}' "$M"
ok $? "fake-kernel /metrics: no last-heard for this node"
$PROMCHECK "$OUT/unit/metrics-unloaded.txt" 'openmosix_module_loaded=0' 2>"$TMP/err" &&
	! grep -q '^openmosix_node' "$OUT/unit/metrics-unloaded.txt"
ok $? "fake-kernel /metrics without the module: module_loaded 0, no node series"
# (unit program: 400 samples of nodes 1-3, node 2 down every other one,
# then one of nodes 1-66 with node 2 down: 65 takes node 2's row)
$PY -c 'import json,sys; h=json.load(open(sys.argv[1])); s={x["node"]: x["load"] for x in h["series"]}
assert len(h["times"]) == 360 and h["times"] == sorted(h["times"]) and h["step_ms"] == 10000
assert sorted(s) == [1] + list(range(3, 66)), sorted(s)
assert all(len(v) == 360 for v in s.values())
assert s[1][-2] == 399 and s[1][0] == 41 and s[3][-2] == 30 and s[3][-1] == 30
assert s[65][-1] == 650 and s[65][-2] is None' "$OUT/unit/history.json" 2>"$TMP/err"
ok $? "history JSON: the last hour, bounded rows, a node down longest gives its row"
printf 'foo 1\n' >"$TMP/bad.txt"
! $PROMCHECK "$TMP/bad.txt" 2>/dev/null
ok $? "promcheck refuses a sample without # HELP/# TYPE"

# --- command line
"$OMWEBD" -h >"$TMP/out" 2>"$TMP/err" && out_has "Usage: omwebd"
ok $? "-h prints usage, exit 0"
"$OMWEBD" -V >"$TMP/out" 2>"$TMP/err" && out_has "omwebd $(cat "$HERE/../../VERSION")"
ok $? "-V prints the version"
"$OMWEBD" --bogus >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]]
ok $? "unknown option: exit 1"
"$OMWEBD" extra >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has 'unexpected argument "extra"'
ok $? "extra argument: exit 1"
for bad in 127.0.0.1 127.0.0.1:99999 localhost:4661 '[::1]4661' :4661; do
	"$OMWEBD" -c /dev/null -t "$TMP/tok" -l "$bad" >"$TMP/out" 2>"$TMP/err"
	[[ $? == 1 ]] && err_has "invalid listen address \"$bad\"" && [[ ! -e $TMP/tok ]]
	ok $? "--listen $bad refused, exit 1, no token made"
done
"$OMWEBD" -c "$TMP/none.conf" -l 127.0.0.1:0 >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has "none.conf: No such file"
ok $? "-c with a missing file: exit 1"
printf 'OMWEBD_LISTEN=127.0.0.1:0\nrm -rf /\n' >"$TMP/bad.conf"
"$OMWEBD" -c "$TMP/bad.conf" >"$TMP/out" 2>"$TMP/err"; [[ $? == 1 ]] && err_has "bad.conf:2: expected KEY=VALUE"
ok $? "a malformed config line: FILE:LINE, exit 1"
if [[ $(id -u) == 0 ]]; then
	"$OMWEBD" -c /dev/null -l 127.0.0.1:0 -t "$TMP/tok" -u no-such-user-x >"$TMP/out" 2>"$TMP/err"
	[[ $? == 1 ]] && err_has 'user "no-such-user-x" does not exist'
	ok $? "-u unknown user: exit 1"
	"$OMWEBD" -c /dev/null -l 127.0.0.1:0 -t "$TMP/tok" -u root >"$TMP/out" 2>"$TMP/err"
	[[ $? == 1 ]] && err_has "must not be"
	ok $? "-u root refused"
else
	skip "-u unknown user" "not root"
	skip "-u root refused" "not root"
fi
# a port in use
$PY -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' >"$TMP/busy" &
busy=$!
for _ in $(seq 50); do [[ -s $TMP/busy ]] && break; sleep 0.1; done
"$OMWEBD" -c /dev/null -t "$TMP/tok" -l "127.0.0.1:$(cat "$TMP/busy")" >"$TMP/out" 2>"$TMP/err"
[[ $? == 1 ]] && err_has "cannot listen on" && err_has "Address already in use" && [[ ! -e $TMP/tok ]]
ok $? "a port in use: exit 1 with the reason"
kill "$busy" 2>/dev/null; wait "$busy" 2>/dev/null

# openmosix-start shares the file: OMWEBD_* are not module knobs to it
printf 'KEY_FILE=%s\nOMWEBD_LISTEN=127.0.0.1:4661\nOMWEBD_USER=nobody\n' "$TMP/om.key" >"$TMP/start.conf"
printf '%064x\n' 7 >"$TMP/om.key"
chmod 600 "$TMP/om.key"
"$HERE/../scripts/openmosix-start" -n -c "$TMP/start.conf" >"$TMP/out" 2>"$TMP/err"
ok $? "openmosix-start -n accepts OMWEBD_* settings"

# settings from the config file (127.0.0.2: not the default, so it is the file's)
printf '# omwebd\nKEY_FILE=/x\nOMWEBD_LISTEN="127.0.0.2:0"\nOMWEBD_TOKEN_FILE=%s/conf.token\n' "$TMP" >"$TMP/om.conf"
if start "$TMP/conf.log" -c "$TMP/om.conf"; then
	grep -q "listening on http://127.0.0.2:$port/ (admin token in $TMP/conf.token)" "$TMP/conf.log" &&
		[[ -s $TMP/conf.token ]] && curl -s -o /dev/null "http://127.0.0.2:$port/"
	ok $? "OMWEBD_LISTEN and OMWEBD_TOKEN_FILE from the config file"
	stop "$pid"
	ok $? "SIGTERM: exit 0"
	[[ ! -e $TMP/conf.token ]]
	ok $? "the token file is removed at exit"
else
	ok 1 "omwebd started with a config file"
fi

# --- the daemon, module absent
if [[ -e /sys/module/openmosix ]]; then
	skip "the daemon without the module" "the openmosix module is loaded here"
	echo "1..$n"
	exit $((failed > 0))
fi
LOG=$TMP/omwebd.log
if ! start "$LOG" -c /dev/null -l 127.0.0.1:0 -t "$TMP/token" -v; then
	sed "s/^/#   /" "$LOG"
	ok 1 "omwebd starts on a free localhost port"
	echo "1..$n"
	exit 1
fi
ok 0 "omwebd starts on a free localhost port ($port)"
MAIN=$pid
TOKEN=$(cat "$TMP/token")
[[ $TOKEN =~ ^[0-9a-f]{64}$ && $(stat -c %a "$TMP/token") == 600 && $(stat -c %u "$TMP/token") == $(id -u) ]]
ok $? "token file: 64 hex digits, mode 0600, owned by the starting user"
WEB=$(children "$MAIN")
EV=$(children "$WEB")
[[ $(wc -w <<<"$WEB") == 1 && $(wc -w <<<"$EV") == 1 ]]
ok $? "three processes: broker, web, event reader"
if [[ $(id -u) == 0 ]]; then
	[[ $(proc_user "$MAIN") == 0 && $(proc_user "$WEB") == $(id -u nobody) && $(proc_user "$EV") == $(id -u nobody) ]]
	ok $? "the web and event processes run as nobody, the broker as root"
	grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$WEB/status" && grep -q '^CapEff:[[:space:]]*0*$' "/proc/$WEB/status"
	ok $? "the web process: no capabilities, no new privileges"
	# CAP_DAC_READ_SEARCH 2, CAP_KILL 5, CAP_SYS_PTRACE 19, CAP_SYS_ADMIN 21: 0x280024
	eff=$(awk '/^CapEff:/ { print $2 }' "/proc/$MAIN/status")
	bnd=$(awk '/^CapBnd:/ { print $2 }' "/proc/$MAIN/status")
	mine=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
	(((0x$eff & ~0x280024) == 0 && (0x$bnd & ~0x280024) == 0 && (0x$eff & 0x280024) == (0x$mine & 0x280024)))
	ok $? "the broker keeps CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_KILL only (CapEff $eff)"
else
	skip "privileges dropped" "not root"
	skip "no capabilities" "not root"
	skip "the broker's capabilities" "not root"
fi

get /
[[ $code == 200 ]] && hdr_has '^Content-Type: text/html' && hdr_has "^Content-Security-Policy: default-src 'none'" &&
	hdr_has '^X-Frame-Options: DENY' && out_has 'id="banner"' && out_has '<script src="/app.js"'
ok $? "GET /: the page, with CSP and no framing"
for a in "/app.js text/javascript" "/style.css text/css" "/favicon.svg image/svg+xml" "/index.html text/html"; do
	get "${a% *}"
	[[ $code == 200 ]] && hdr_has "^Content-Type: ${a#* }" && [[ -s $TMP/out ]]
	ok $? "GET ${a% *}: ${a#* }"
done
code=$(curl -s -I -o "$TMP/out" -w '%{http_code}' "http://127.0.0.1:$port/")
[[ $code == 200 ]] && out_has 'Content-Length: ' && ! out_has '<html'
ok $? "HEAD /: headers only"
for api in nodes procs status; do
	get "/api/$api"
	[[ $code == 503 ]] && hdr_has '^Content-Type: application/json' && hdr_has '^Cache-Control: no-store' &&
		json_is "j['module'] is False and j['error'] == '$NOT_LOADED' and j['self'] is None"
	ok $? "GET /api/$api without the module: 503, \"$NOT_LOADED\""
done
get /api/nodes
json_is "j['nodes'] == []"
ok $? "/api/nodes without the module: no nodes"
get /api/history
[[ $code == 200 ]] && json_is "j['times'] == [] and j['series'] == [] and j['span_ms'] == 3600000"
ok $? "GET /api/history: empty, an hour's span"
get /metrics
[[ $code == 200 ]] && hdr_has '^Content-Type: text/plain; version=0.0.4' &&
	$PROMCHECK "$TMP/out" 'openmosix_module_loaded=0' 2>"$TMP/err" && cp "$TMP/out" "$OUT/metrics-unloaded.txt"
ok $? "GET /metrics: Prometheus text, openmosix_module_loaded 0"

# event stream: the module's state comes first
curl -s -N --max-time 2 "http://127.0.0.1:$port/api/events?backlog=10" >"$TMP/sse" 2>/dev/null
grep -q '^retry: ' "$TMP/sse" && grep -q '^event: module$' "$TMP/sse" &&
	grep '^data: ' "$TMP/sse" | head -n 1 | sed 's/^data: //' >"$TMP/out" &&
	json_is "j['kind'] == 'module' and j['event'] == {'event': 'module', 'loaded': False} and j['id'] >= 1"
ok $? "GET /api/events: server-sent events, \"module not loaded\" from the backlog"
curl -s -N --max-time 2 "http://127.0.0.1:$port/api/events" >"$TMP/sse" 2>/dev/null
grep -q '^retry: ' "$TMP/sse" && ! grep -q '^data:' "$TMP/sse"
ok $? "GET /api/events without backlog: only new events"
curl -s -N --max-time 2 -H 'Last-Event-ID: 0' "http://127.0.0.1:$port/api/events" >"$TMP/sse" 2>/dev/null
grep -q '^id: 1$' "$TMP/sse"
ok $? "GET /api/events with Last-Event-ID: from the next event on"

# --- bad input, each refused with its status
while IFS='|' read -r want desc req; do
	got=$(raw "$req")
	[[ $got == "$want" ]] || echo "got $got" >"$TMP/err"
	ok $? "$desc: $want"
done <<'BAD'
closed|request line without a method, path or version: no reply, connection closed|b"GARBAGE\r\n\r\n"
400|HTTP/1.1 without Host|b"GET / HTTP/1.1\r\n\r\n"
400|HTTP/0.9 request line|b"GET /\r\n\r\n"
400|a header line without a colon|b"GET / HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n"
400|a folded header line|b"GET / HTTP/1.1\r\nHost: localhost\r\n Folded: x\r\n\r\n"
400|two Host headers|b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"
400|absolute-form request target|b"GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|asterisk request target|b"GET * HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|Content-Length not a number|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n"
414|a 20 KB method|b"A" * 20000 + b" / HTTP/1.1\r\nHost: localhost\r\n\r\n"
closed|nothing but empty lines|b"\r\n" * 100
505|unknown HTTP version|b"GET / HTTP/7.0\r\nHost: localhost\r\n\r\n"
431|64 KiB header|b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n"
431|a thousand headers|b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"X-A: b\r\n" * 4000 + b"\r\n"
414|64 KiB URL|b"GET /" + b"a" * 65536 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|path traversal /../../etc/passwd|b"GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|encoded traversal /%2e%2e/%2e%2e/etc/passwd|b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|encoded slash /api%2f..%2fmetrics|b"GET /api%2f..%2fmetrics HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|traversal in the middle /api/../metrics|b"GET /api/../metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"
400|backslash traversal|b"GET /..%5c..%5cetc HTTP/1.1\r\nHost: localhost\r\n\r\n"
404|NUL byte /index.html%00.png|b"GET /index.html%00.png HTTP/1.1\r\nHost: localhost\r\n\r\n"
404|unknown path|b"GET /etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n"
404|unknown action|b"POST /api/procs/1/kill HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
404|pid 0|b"POST /api/procs/0/lock HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
404|pid out of range|b"POST /api/procs/2147483648/lock HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
405|DELETE|b"DELETE / HTTP/1.1\r\nHost: localhost\r\n\r\n"
405|an unknown method|b"FROB /api/nodes HTTP/1.1\r\nHost: localhost\r\n\r\n"
405|POST to the API's data|b"POST /api/nodes HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
405|GET of an action|b"GET /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\n\r\n"
405|OPTIONS (no CORS preflight)|b"OPTIONS /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n\r\n"
421|foreign Host (DNS rebinding)|b"GET /api/nodes HTTP/1.1\r\nHost: evil.example\r\n\r\n"
401|action without a token|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
401|action with Basic auth|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic YTpi\r\nContent-Length: 0\r\n\r\n"
403|action with a malformed token|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer xyz\r\nContent-Length: 0\r\n\r\n"
403|action with a wrong token|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + b"0" * 64 + b"\r\nContent-Length: 0\r\n\r\n"
413|10 MB body (Content-Length)|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n" + b"x" * 100000
413|40 KiB chunked body|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"1000\r\n" + b"x" * 4096 + b"\r\n") * 10 + b"0\r\n\r\n"
closed|1 MiB chunked body: cut off|b"POST /api/procs/1/lock HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"1000\r\n" + b"x" * 4096 + b"\r\n") * 256
BAD
get /api/procs/1/lock -X POST -H "Authorization: Bearer $TOKEN" -H 'Origin: http://evil.example'
[[ $code == 403 ]] && json_is "j['error'] == 'cross-origin request'"
ok $? "action from another origin, with the token: 403"
get /api/procs/1/lock -X POST -H "Authorization: Bearer $TOKEN" -H "Origin: http://127.0.0.1:$port"
[[ $code == 503 ]] && json_is "j['error'] == '$NOT_LOADED'"
ok $? "action with the token (same origin): the broker runs it, 503 \"$NOT_LOADED\""
get /api/procs/1/migrate?node=2 -X POST -H "Authorization: Bearer $TOKEN"
[[ $code == 503 ]] && json_is "j['error'] == '$NOT_LOADED'"
ok $? "migrate with the token: 503 \"$NOT_LOADED\""
get /api/procs/1/migrate -X POST -H "Authorization: Bearer $TOKEN"
[[ $code == 400 ]] && json_is "'node=' in j['error']"
ok $? "migrate without ?node=: 400"
for bad in 0 65536 x 1e3; do
	get "/api/procs/1/migrate?node=$bad" -X POST -H "Authorization: Bearer $TOKEN"
	[[ $code == 400 ]]
	ok $? "migrate ?node=$bad: 400"
done
get /api/procs/1/home -X POST -H "Authorization: Bearer ${TOKEN:0:63}1"
[[ $code == 403 || ${TOKEN:63} == 1 ]]
ok $? "a token one digit off: 403"
grep -q "action refused: wrong token" "$LOG"
ok $? "the broker logs a wrong token"
! grep -qF "$TOKEN" "$LOG"
ok $? "the token never appears in the log"

# --- bounds: event streams and connections
for i in $(seq 16); do
	curl -s -N --max-time 30 "http://127.0.0.1:$port/api/events" >/dev/null 2>&1 &
	SSE+=($!)
done
for _ in $(seq 50); do
	curl -s "http://127.0.0.1:$port/metrics" | grep -qx 'omwebd_sse_clients 16' && break
	sleep 0.2
done
get /api/events --max-time 2
[[ $code == 503 ]] && hdr_has '^Retry-After:'
ok $? "the 17th event stream: 503 with Retry-After"
get /api/nodes
[[ $code == 503 ]] && json_is "j['module'] is False"
ok $? "the API answers while 16 streams are open"
kill "${SSE[@]}" 2>/dev/null; wait "${SSE[@]}" 2>/dev/null
# dead streams are noticed at the next keepalive (15 s)
for _ in $(seq 100); do
	curl -s "http://127.0.0.1:$port/metrics" | grep -qx 'omwebd_sse_clients 0' && break
	sleep 0.25
done
curl -s -N --max-time 2 "http://127.0.0.1:$port/api/events" >"$TMP/sse" 2>/dev/null
grep -q '^retry: ' "$TMP/sse"
ok $? "streams closed by their clients are freed: a new one is served"
$PY - "$port" <<'EOF' >"$TMP/out" 2>"$TMP/err"
import socket, sys, time, urllib.request
port = int(sys.argv[1])
idle = []
for _ in range(100):
    try:
        idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError:
        break
time.sleep(0.5)
for s in idle:
    s.close()
time.sleep(0.5)
print(len(idle), urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).status)
EOF
out_has " 200"
ok $? "100 idle connections (limit 64), then closed: the page is served again"
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$WEB/status")
((rss < 65536))
ok $? "the web process's memory stays small (${rss} KiB)"

# --- still serving after all that
kill -0 "$MAIN" 2>/dev/null && kill -0 "$WEB" 2>/dev/null
ok $? "the daemon is still running"
get /
[[ $code == 200 ]] && out_has 'id="banner"'
ok $? "and still serves the page"
get /metrics
$PROMCHECK "$TMP/out" 'openmosix_module_loaded=0' 2>"$TMP/err" &&
	awk '$1 == "omwebd_http_refused_total" { exit !($2 >= 30) }' "$TMP/out"
ok $? "/metrics counts the refused requests"

# --- a real browser renders the "not loaded" state
if [[ -x $BROWSER ]] && { [[ -x /usr/lib/chromium/chromium ]] || command -v chromium >/dev/null; }; then
	timeout 180 "$BROWSER" --log "$OUT/browser.log" "http://127.0.0.1:$port/" \
		'wait:60:document.body.dataset.module === "unloaded"' \
		"wait:10:document.getElementById('banner').textContent === '$NOT_LOADED' && !document.getElementById('banner').hidden" \
		"wait:10:document.querySelector('#nodes .empty').textContent === '$NOT_LOADED'" \
		"wait:10:document.getElementById('live').textContent === 'live'" \
		"wait:10:document.querySelector('#events li[data-event=\"unloaded\"]') !== null" \
		"shot:$OUT/page-unloaded.png" "dom:$OUT/page-unloaded.html" >"$TMP/out" 2>"$TMP/err"
	ok $? "headless Chromium: the page says \"$NOT_LOADED\", its event stream is live"
	$PY -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); assert d[:8]==b"\x89PNG\r\n\x1a\n"; w,h=struct.unpack(">II",d[16:24]); assert (w,h)==(1280,900), (w,h)' \
		"$OUT/page-unloaded.png" 2>"$TMP/err"
	ok $? "screenshot $OUT/page-unloaded.png is a 1280x900 PNG"
else
	skip "headless Chromium renders the page" "no chromium"
	skip "screenshot" "no chromium"
fi

# --- the lab's way to a guest: the browser in the namespace of the guests'
# bridge (its host end NET.254), omwebd on a "node" behind it listening on
# its lab address (not loopback: no Host check); and the lab's hook
# refuses a malformed request from a guest
NS=owt$$
if [[ $(id -u) == 0 && -x $BROWSER ]] && command -v chromium >/dev/null && ip netns add "${NS}l" 2>/dev/null; then
	ip netns add "${NS}n" &&
		ip -n "${NS}l" link add br0 type bridge && ip -n "${NS}l" addr add 10.79.0.254/24 dev br0 &&
		ip -n "${NS}l" link set br0 up &&
		ip -n "${NS}l" link add tap1 type veth peer name eth0 netns "${NS}n" &&
		ip -n "${NS}l" link set tap1 master br0 && ip -n "${NS}l" link set tap1 up &&
		ip -n "${NS}n" addr add 10.79.0.1/24 dev eth0 && ip -n "${NS}n" link set eth0 up &&
		ip -n "${NS}n" link set lo up
	ip netns exec "${NS}n" "$OMWEBD" -c /dev/null -l 10.79.0.1:4661 -t "$TMP/token3" >"$TMP/ns.log" 2>&1 &
	nspid=$!
	for _ in $(seq 50); do ip netns exec "${NS}l" curl -s -o /dev/null http://10.79.0.1:4661/ && break; sleep 0.1; done
	timeout 180 "$BROWSER" --netns "${NS}l" --log "$OUT/browser-netns.log" http://10.79.0.1:4661/ \
		'wait:60:document.body.dataset.module === "unloaded"' 'eval:window.omlabMark = 1' \
		"shot:$OUT/page-netns.png" 'wait:1:window.omlabMark === 1' >"$TMP/out" 2>"$TMP/err"
	ok $? "headless Chromium in the lab bridge's namespace reaches omwebd on a node's address"
	stop "$nspid" >/dev/null
	ip netns del "${NS}n"
	ip netns del "${NS}l"
else
	skip "browser through a network namespace" "needs root, ip netns and chromium"
fi
mkdir -p "$TMP/lab/web"
printf 'OM_NET=10.77.0\nOM_NNODES=3\n' >"$TMP/lab/config.sh"
echo "http://evil.example/ 1 2 3 $(printf '%064d' 0)" >"$TMP/lab/web/request"
"$HERE/../../tests/lab/web-hook" no-such-ns "$TMP/lab" >"$TMP/out" 2>"$TMP/err"
[[ $(cat "$TMP/lab/web/done") == 1 ]] && grep -q "malformed request" "$TMP/lab/web/browser.out"
ok $? "the lab's web hook refuses a URL off the lab network"
echo "http://10.77.0.1:4661/ 1 2 3 $(printf '%064d' 0)" >"$TMP/lab/web/request"
rm -f "$TMP/lab/web/done"
timeout 60 "$HERE/../../tests/lab/web-hook" no-such-ns "$TMP/lab" >"$TMP/out" 2>"$TMP/err"
[[ $(cat "$TMP/lab/web/done") == 1 ]] && ! grep -q "malformed request" "$TMP/lab/web/browser.out"
ok $? "the lab's web hook takes a well-formed request (the browser then fails: no such namespace)"
echo 'http://10.77.0.1:4661/ 1 2 3' >"$TMP/lab/web/request"
"$HERE/../../tests/lab/web-hook" no-such-ns "$TMP/lab" >"$TMP/out" 2>"$TMP/err"
[[ $(cat "$TMP/lab/web/done") == 1 ]] && grep -q "malformed request" "$TMP/lab/web/browser.out"
ok $? "the lab's web hook refuses a request without the token"
echo "http://10.77.0.1:4661/ 1;rm 2 3 $(printf '%064d' 0)" >"$TMP/lab/web/request"
"$HERE/../../tests/lab/web-hook" no-such-ns "$TMP/lab" >"$TMP/out" 2>"$TMP/err"
[[ $(cat "$TMP/lab/web/done") == 1 ]] && grep -q "malformed request" "$TMP/lab/web/browser.out"
ok $? "the lab's web hook refuses a malformed pid"

# --- the end: SIGTERM stops all three and removes the token; a web process
# killed takes the broker with it
stop "$MAIN"
rc=$?
sleep 0.2
[[ $rc == 0 ]] && ! kill -0 "$WEB" 2>/dev/null && ! kill -0 "$EV" 2>/dev/null && [[ ! -e $TMP/token ]]
ok $? "SIGTERM: exit 0, every process gone, token removed"
if start "$TMP/kill.log" -c /dev/null -l 127.0.0.1:0 -t "$TMP/token2"; then
	kill -KILL "$(children "$pid")"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$pid" 2>/dev/null && [[ ! -e $TMP/token2 ]]
	ok $? "the web process killed: the broker ends too and removes the token"
	wait "$pid" 2>/dev/null
else
	ok 1 "omwebd started again"
fi

echo "1..$n"
exit $((failed > 0))
