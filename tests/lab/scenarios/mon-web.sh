# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The web view (issue 12, omwebd) on node 1, a process of node 1's
# migrated to node 2:
#  - /api/nodes lists the three nodes up, /api/procs the process on node 2,
#    as omctl says;
#  - a migration made with omctl (2 -> 3) is on /api/events within 2 s;
#  - actions: without the token 401, with a wrong one 403 (nothing
#    changes), with it lock and unlock (omctl proc show agrees), home and
#    migrate back to node 2;
#  - /metrics is Prometheus text (tools/tests/promcheck.py: strict, and
#    python3-prometheus-client's parser), a series per node, the process
#    counted on node 2;
#  - in a real browser: omlab's web hook (tests/lab/web-hook) runs headless
#    Chromium on the host, in the lab's network namespace, against node 1:
#    every node and the process on node 2 on the page, then a migration
#    with omctl shows on the page within 2 s without a reload; the page's
#    lock is refused without the token and works with it; screenshots and
#    the rendered page in this scenario's results.
# Nodes 2 and 3 only host the guest.
# make check runs it on 6.12 only (its code is the same on both kernels;
# the 60-minute budget): omlab -k 6.1 run mon-web runs it on 6.1.
# omlab-kernels: 6.12
# omlab-nodes: 3
# omlab-timeout: 600
set -e
W=/tmp/mon-web
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
PY=/usr/bin/python3
PROMCHECK=$OM_ROOT/tools/tests/promcheck.py
URL=http://$(om_addr 1):4661

# api PATH [CURL ARGS...]: body in $W/body, status in $code
api() {
	local path=$1
	shift
	code=$(curl -s -o "$W/body" -w '%{http_code}' --max-time 30 "$@" "$URL$path") || code=000
}
# jq EXPR: EXPR over j = the JSON body of the last api call
jq() { $PY -c "import json,sys; j=json.load(open('$W/body')); sys.exit(0 if ($1) else 1)"; }
proc_where() { # the node the process runs on, as /api/procs says
	api /api/procs
	$PY -c "import json,sys; print([p['where'] for p in json.load(open('$W/body'))['procs'] if p['pid'] == $1][0])" 2>/dev/null
}
on_page() { [[ $(proc_where "$1") == "$2" ]]; }
locked() { omctl -j proc show "$1" | grep -q '"locked": *true'; }
show() {
	echo "# last answer ($code):"
	head -c 2000 "$W/body" 2>/dev/null | sed 's/^/#   /'
	echo
	sed 's/^/#   omwebd: /' "$W/omwebd.log" | tail -n 20
}
check() { # check DESC CMD...: om_expect, with omwebd's side on a failure
	local d=$1
	shift
	if "$@"; then
		echo "ok - $d"
	else
		echo "not ok - $d"
		show
		exit 1
	fi
}

# omwebd on node 1 before the module is loaded (the scenarios before
# unload it): it says so, then picks the module up
if [[ $OM_NODE == 1 ]]; then
	# on the lab's network (the host's browser reaches it); its web side as nobody
	omwebd --listen "$(om_addr 1):4661" --token-file "$W/token" >"$W/omwebd.log" 2>&1 &
	web=$!
	om_expect "omwebd serves the page" om_wait_for 30 curl -s -o /dev/null "$URL/"
	TOKEN=$(cat "$W/token")
	check "token file: root's, mode 0600" test "$(stat -c %a:%u "$W/token")" = 600:0
	unloaded=
	if [[ ! -d /sys/module/openmosix ]]; then
		unloaded=1
		api /api/nodes
		check "without the module: /api/nodes 503, \"openmosix module not loaded\"" \
			jq "j['module'] is False and j['error'] == 'openmosix module not loaded (modprobe openmosix)' and $code == 503"
		curl -s -N --max-time 300 "$URL/api/events" >"$W/sse0" 2>&1 &
		sse0=$!
		om_expect "event stream open" om_wait_for 10 grep -q '^retry:' "$W/sse0"
	else
		echo "ok - omwebd without the module # SKIP the module was loaded before this scenario"
	fi
fi
om_cluster_up

if [[ $OM_NODE == 1 ]]; then
	if [[ -n $unloaded ]]; then
		api /api/nodes
		check "the module loaded: /api/nodes answers without a restart" \
			om_wait_for 20 bash -c "curl -s '$URL/api/nodes' | grep -q '\"module\":true'"
		check "... and the event stream said so" \
			om_wait_for 10 grep -q '"event":{"event":"module","loaded":true}' "$W/sse0"
		kill "$sse0" 2>/dev/null || true
	fi
	om_clean_exec sleep 900 &
	pid=$!
	# not before it runs sleep: an exec during the checkpoint is refused
	om_expect "sleep started" om_wait_for 10 grep -qx sleep "/proc/$pid/comm"
	om_expect "the process to node 2" omctl proc migrate "$pid" 2 --wait
	om_expect "omctl: it runs on node 2" test "$(om_where "$pid")" = 2

	# --- what the API says
	api /api/nodes
	check "/api/nodes: 200, the module answers" jq "j['module'] is True and j['self'] == 1"
	check "/api/nodes: nodes 1, 2, 3, all up" \
		jq "sorted(n['id'] for n in j['nodes']) == [1, 2, 3] and all(n['state'] == 'up' for n in j['nodes'])"
	check "/api/nodes: the fields of omctl -j node list" \
		bash -c "omctl -j node list | $PY -c \"import json,sys; o=json.load(sys.stdin); w=json.load(open('$W/body'))['nodes']; sys.exit(0 if [sorted(x) for x in o] == [sorted(x) for x in w] else 1)\""
	check "/api/procs: process $pid on node 2, home 1" om_wait_for 10 on_page "$pid" 2
	api /api/status
	check "/api/status: omctl -j status's object, 3 nodes up" \
		jq "j['status']['nodes_up'] == 3 and j['status']['id'] == 1 and 'stats' in j['status']"

	# --- a migration with omctl, on the event stream
	curl -s -N --max-time 120 "$URL/api/events" >"$W/sse" 2>&1 &
	sse=$!
	om_expect "event stream open" om_wait_for 10 grep -q '^retry:' "$W/sse"
	om_expect "omctl: process to node 3" omctl proc migrate "$pid" 3 --wait
	t0=$(date +%s%N)
	arrived() { grep '^data: ' "$W/sse" | grep '"kind":"migration"' | grep '"event":"arrived"' |
		grep -q "\"pid\":$pid,.*\"where\":3,"; }
	om_wait_for 5 arrived || true
	ms=$((($(date +%s%N) - t0) / 1000000))
	check "the arrival at node 3 on /api/events ${ms} ms after omctl returned (at most 2000)" \
		bash -c "(($ms <= 2000)) && grep -q '\"pid\":$pid,' '$W/sse'"
	kill "$sse" 2>/dev/null || true
	check "/api/procs: now on node 3" om_wait_for 10 on_page "$pid" 3

	# --- actions
	api "/api/procs/$pid/lock" -X POST
	check "lock without the token: 401" test "$code" = 401
	api "/api/procs/$pid/lock" -X POST -H "Authorization: Bearer $(printf '%064d' 0)"
	check "lock with a wrong token: 403" test "$code" = 403
	check "... and the process is not locked" bash -c "! omctl -j proc show $pid | grep -q '\"locked\": *true'"
	api "/api/procs/$pid/lock" -X POST -H "Authorization: Bearer $TOKEN"
	check "lock with the token: 200" jq "j['ok'] is True and j['action'] == 'lock'"
	check "omctl proc show: locked" locked "$pid"
	api "/api/procs/$pid/unlock" -X POST -H "Authorization: Bearer $TOKEN"
	check "unlock with the token: 200, omctl says unlocked" bash -c "[[ $code == 200 ]] && ! omctl -j proc show $pid | grep -q '\"locked\": *true'"
	api "/api/procs/$pid/home" -X POST -H "Authorization: Bearer $TOKEN"
	check "home with the token: 200" jq "j['ok'] is True and j['action'] == 'home' and 'usecs' in j"
	check "omctl: it is home" test "$(om_where "$pid")" = 1
	api "/api/procs/$pid/migrate?node=2" -X POST -H "Authorization: Bearer $TOKEN"
	check "migrate to node 2 with the token: 200" jq "j['ok'] is True and j['node'] == 2"
	check "omctl: it runs on node 2" test "$(om_where "$pid")" = 2
	api "/api/procs/$pid/migrate?node=9" -X POST -H "Authorization: Bearer $TOKEN"
	check "migrate to a node that is not there: refused with the kernel's reason ($code)" \
		jq "'no node 9' in j['error']"
	api "/api/procs/999999/lock" -X POST -H "Authorization: Bearer $TOKEN"
	check "lock of a pid that does not exist: 404" test "$code" = 404

	# --- /metrics
	api /metrics
	cp "$W/body" "$OM_OUT/metrics.txt"
	check "/metrics: Prometheus text, a series per node, the process counted on node 2" \
		"$PROMCHECK" "$W/body" 'openmosix_module_loaded=1' 'openmosix_nodes_up=3' \
		'openmosix_node_up{node="1"}=1' 'openmosix_node_up{node="2"}=1' 'openmosix_node_up{node="3"}=1' \
		'openmosix_node_self{node="1"}=1' 'openmosix_node_processes{node="2"}=1'
	check "/metrics: the migrations seen" \
		bash -c "grep -Eq '^openmosix_migration_events_total\\{node=\"1\",event=\"arrived\"\\} [1-9]' '$W/body'"

	# --- the page in a real browser, on the host (omlab's web hook)
	if [[ -n ${OM_WEB_HOOK:-} ]]; then
		rm -rf /lab/web
		mkdir -p /lab/web
		# what the hook checks: the page, the process, where it goes next
		echo "$URL/ $pid 2 3 $TOKEN" >/lab/web/request.tmp
		mv /lab/web/request.tmp /lab/web/request
		check "the host's browser shows every node and process $pid on node 2" \
			om_wait_for 300 test -e /lab/web/ready
		om_expect "omctl: process to node 3, the page open" omctl proc migrate "$pid" 3 --wait
		: >/lab/web/migrated
		om_wait_for 60 test -e /lab/web/done || true
		cp /lab/web/*.png /lab/web/*.html /lab/web/browser.out "$OM_OUT/" 2>/dev/null || true
		sed 's/^/#   browser: /' /lab/web/browser.out 2>/dev/null || true
		check "the browser saw the migration within 2 s without a reload, then locked it with the token (401 without)" \
			test "$(cat /lab/web/done 2>/dev/null)" = 0
		check "omctl proc show: locked from the page" locked "$pid"
		rm -f /lab/web/request
	else
		echo "ok - the page in a real browser # SKIP omlab has no web hook here"
	fi

	# the end: omwebd stops cleanly, the process comes home
	kill -TERM "$web"
	rc=0
	wait "$web" || rc=$?
	check "omwebd: SIGTERM, exit 0, the token removed" bash -c "[[ $rc == 0 && ! -e $W/token ]]"
	omctl proc home "$pid" --wait || true
	kill "$pid" 2>/dev/null || true
	cp "$W/omwebd.log" "$OM_OUT/" 2>/dev/null || true
fi
om_barrier web-done 600
om_unload 30
