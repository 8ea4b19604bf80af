# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# bench/lib.sh: shell helpers shared by ckpt-bench and mig-bench (sourced).
# They use the caller's globals:
#   W              the work directory (holds .timed.fifo, made by the caller
#                  with mkfifo, and the status files)
#   CMD_TIMEOUT    timed's watchdog, seconds
#   READY_TIMEOUT  how long start_target waits for memtouch, seconds
#   MT             the memtouch binary
# and set TPID, TBG, STATUS (start_target), T_US, T_RC, T_WHY (timed) and
# S_PID, S_TOKEN, S_COUNT, S_VER, S_STATE (read_status).
# shellcheck shell=bash disable=SC2034

# timed LOG CMD...: runs CMD (output appended to LOG) under a watchdog of
# CMD_TIMEOUT seconds; T_US = its wall time in microseconds, T_RC = its
# exit status.  The watchdog is a subshell blocked in the read builtin,
# forked before the clock starts: the measurement costs what a plain
# command costs (no timeout(1) exec in between).
timed() {
	local lg=$1 wf=$W/.timed.pid wd t0 t1 cpid
	shift
	: >"$wf"
	rm -f "$wf.fired"
	(
		read -r -t "$CMD_TIMEOUT" _ <>"$W/.timed.fifo"
		[[ -s $wf ]] && kill -9 "$(<"$wf")" && echo timeout >"$wf.fired"
	) 2>/dev/null &
	wd=$!
	t0=${EPOCHREALTIME/./}
	"$@" >>"$lg" 2>&1 &
	cpid=$!
	echo "$cpid" >"$wf"
	wait "$cpid" 2>/dev/null
	T_RC=$?
	t1=${EPOCHREALTIME/./}
	: >"$wf"
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	T_US=$((t1 - t0))
	T_WHY="exit $T_RC"
	[[ -e $wf.fired ]] && T_WHY="killed after ${CMD_TIMEOUT} s"
}

# start_target SIZE TAG: TPID (memtouch), TBG ($!), STATUS
start_target() {
	local i
	STATUS=$W/$2.status
	rm -f "$STATUS" "$STATUS.ready"
	setsid "$MT" "$1" "$STATUS" </dev/null >/dev/null 2>&1 &
	TBG=$!
	disown "$TBG"	# no "Killed" job notices; bash still reaps it
	for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
		[[ -s $STATUS.ready ]] && break
		if ((i > 10)) && ! kill -0 "$TBG" 2>/dev/null && [[ ! -s $STATUS.ready ]]; then
			sleep 1
			[[ -s $STATUS.ready ]] || return 1
		fi
		sleep 0.1
	done
	[[ -s $STATUS.ready ]] || { kill -9 "$TBG" 2>/dev/null; return 1; }
	TPID=$(<"$STATUS.ready")
	sleep 0.3	# a few rounds of its loop
}

# reap_target: the original is gone (killed by the checkpoint) and its pid free
reap_target() {
	local i
	kill -9 "$TPID" 2>/dev/null
	if [[ $TPID == "$TBG" ]]; then
		wait "$TBG" 2>/dev/null
	else
		for ((i = 0; i < 100; i++)); do
			[[ -e /proc/$TPID ]] || break
			sleep 0.1
		done
	fi
	TPID=
}

# read_status FILE: S_PID S_TOKEN S_COUNT S_VER S_STATE
read_status() {
	local line kv
	S_PID='' S_TOKEN='' S_COUNT=0 S_VER=0 S_STATE=missing
	line=$(head -c 128 "$1" 2>/dev/null) || return 1
	for kv in $line; do
		case $kv in
		pid=*) S_PID=${kv#pid=} ;;
		token=*) S_TOKEN=${kv#token=} ;;
		count=*) S_COUNT=${kv#count=} ;;
		verified=*) S_VER=${kv#verified=} ;;
		state=*) S_STATE=${kv#state=} ;;
		esac
	done
}

# verify_restored TOKEN COUNT: RPID continues with TOKEN past COUNT and
# passes a full memory check; VERR on failure
verify_restored() {
	local i v0
	RPID='' VERR=''
	for ((i = 0; i < 300; i++)); do
		read_status "$STATUS"
		if [[ $S_STATE != ok ]]; then
			VERR="restored process reports state=$S_STATE"
			return 1
		fi
		if [[ $S_TOKEN == "$1" && $S_COUNT -gt $2 && -n $S_PID ]] && kill -0 "$S_PID" 2>/dev/null; then
			RPID=$S_PID
			break
		fi
		if [[ -n $S_TOKEN && $S_TOKEN != "$1" ]]; then
			VERR="a fresh memtouch (token $S_TOKEN) runs instead of the restored one (token $1)"
			return 1
		fi
		sleep 0.1
	done
	if [[ -z $RPID ]]; then
		VERR="no restored process continued (status: $(head -c 100 "$STATUS" 2>/dev/null | tr -s ' '); expected count > $2)"
		return 1
	fi
	v0=$S_VER
	kill -USR1 "$RPID"
	for ((i = 0; i < 1200; i++)); do
		read_status "$STATUS"
		if [[ $S_STATE != ok ]]; then
			VERR="restored memory is wrong: state=$S_STATE"
			return 1
		fi
		((S_VER > v0)) && return 0
		if ! kill -0 "$RPID" 2>/dev/null; then
			VERR="restored process $RPID died"
			return 1
		fi
		sleep 0.1
	done
	VERR="full memory check of the restored process did not finish"
	return 1
}

# kill_restored: the restored process, or whatever memtouch the status
# file names (a failed verification leaves RPID empty)
kill_restored() {
	local i
	if [[ -z $RPID ]]; then
		read_status "$STATUS"
		[[ -n $S_PID && $(cat "/proc/$S_PID/comm" 2>/dev/null) == memtouch ]] || return 0
		RPID=$S_PID
	fi
	kill -9 "$RPID" 2>/dev/null
	# reparented to init (or a subreaper): wait until it is reaped
	for ((i = 0; i < 50; i++)); do
		[[ -e /proc/$RPID ]] || break
		[[ $(awk '{print $3}' "/proc/$RPID/stat" 2>/dev/null) == Z ]] && break
		sleep 0.1
	done
	RPID=
}
