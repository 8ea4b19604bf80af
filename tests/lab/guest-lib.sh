# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Helpers for scenario scripts running inside lab guests (sourced by
# guest-init; scenarios get these functions and variables):
#   OM_NODE (1..N), OM_NNODES, OM_NET (e.g. 10.77.0), OM_OUT (results dir)
#   om_addr N          address of node N
#   om_barrier NAME    wait until every node reached NAME (fails after 180 s)
#   om_fail MSG        print MSG and exit 1
#   om_expect DESC CMD...   run CMD, print "ok/not ok DESC", exit on failure
#   om_wait_for SECS CMD... retry CMD until it succeeds or SECS pass

om_addr() { echo "$OM_NET.$1"; }

om_barrier() {
	local dir=/lab/barrier/$1 i n
	mkdir -p "$dir"
	: >"$dir/$OM_NODE"
	for ((i = 0; i < 1800; i++)); do
		n=$(find "$dir" -mindepth 1 -maxdepth 1 -type f | wc -l)
		((n >= OM_NNODES)) && return 0
		sleep 0.1
	done
	echo "barrier $1: timed out with $n of $OM_NNODES nodes" >&2
	return 1
}

om_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

om_expect() {
	local desc=$1
	shift
	if "$@"; then
		echo "ok - $desc"
	else
		echo "not ok - $desc"
		exit 1
	fi
}

om_wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 5; i++)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}
export -f om_addr om_barrier om_fail om_expect om_wait_for
