# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# mosctl(8) on a 3-node cluster (issue 12), on every node: stay/nostay and
# lstay/nolstay change what omctl -j policy show says, block/noblock this
# node's "blocked" in omctl -j node list, expel and bring leave it blocked
# and lstay as openMosix's did, quiet/noquiet set omctl policy's quiet;
# getload, getspeed, getmem, getfree, isup and status of the other nodes
# and of this one (without an ID) agree with omctl -j node list; whois maps ID
# to address and back; with the module unloaded every command says so and
# exits with 2.  JSON is read with bash, not python (TCG time).
# omlab-nodes: 3
set -e
om_cluster_up
self=$OM_NODE

# jf JSON KEY: KEY's value in one flat object of omctl's compact JSON
jf() {
	local re="\"$2\":(\"([^\"]*)\"|[^,}]*)"
	[[ $1 =~ $re ]] || return 1
	if [[ ${BASH_REMATCH[1]} == \"* ]]; then
		echo "${BASH_REMATCH[2]}"
	else
		echo "${BASH_REMATCH[1]}"
	fi
}
# nf ID KEY: KEY of node ID in omctl -j node list
nf() {
	local j re="\\{\"id\":$1,[^}]*\\}"
	j=$(omctl -j node list) || return 1
	[[ $j =~ $re ]] || return 1
	jf "${BASH_REMATCH[0]}" "$2"
}
pol() { jf "$(omctl -j policy show)" "$1"; }
is() { [[ $1 == "$2" ]] || { echo "# got:  $1"; echo "# want: $2"; false; }; }

# --- the knobs and the block, each command against what omctl says
om_expect "mosctl stay" mosctl stay
om_expect "... omctl policy: stay true" is "$(pol stay)" true
om_expect "mosctl status: up stay" is "$(mosctl status)" "up stay"
om_expect "mosctl nostay" mosctl nostay
om_expect "... stay false" is "$(pol stay)" false
om_expect "mosctl lstay" mosctl lstay
om_expect "... lstay true" is "$(pol lstay)" true
om_expect "mosctl -lstay" mosctl -lstay
om_expect "... lstay false" is "$(pol lstay)" false
om_expect "mosctl block" mosctl block
om_expect "... node list: this node blocked" is "$(nf "$self" blocked)" true
om_expect "mosctl status: up blocked" is "$(mosctl status)" "up blocked"
om_expect "mosctl noblock" mosctl noblock
om_expect "... not blocked" is "$(nf "$self" blocked)" false
om_expect "mosctl quiet" mosctl quiet
om_expect "... omctl policy: quiet true" is "$(pol quiet)" true
om_expect "mosctl noquiet" mosctl noquiet
om_expect "... quiet false" is "$(pol quiet)" false
om_expect "mosctl expel (no guests)" is "$(mosctl expel)" "0 guests sent home"
om_expect "... left this node blocked" is "$(nf "$self" blocked)" true
om_expect "mosctl bring (none away)" is "$(mosctl bring)" "0 processes brought home"
om_expect "... left lstay set" is "$(pol lstay)" true
om_expect "mosctl noblock, nolstay" sh -c 'mosctl noblock && mosctl nolstay'
om_expect "... both cleared" is "$(pol lstay):$(nf "$self" blocked)" false:false
om_barrier knobs

# --- values: what mosctl prints is what omctl -j node list says (loads
# and memory move: asked again until a pair of readings agree)
agree() { # agree COMMAND FIELD ID [ARG]: mosctl COMMAND [ARG] = FIELD of ID
	local m
	m=$(mosctl "$1" ${4:+"$4"}) || return 1
	[[ $m == "$(nf "$3" "$2")" ]]
}
status_agrees() { # status_agrees ID [ARG]
	local m want
	m=$(mosctl status ${2:+"$2"}) || return 1
	want=$(nf "$1" state)
	[[ $(nf "$1" blocked) == true ]] && want+=" blocked"
	[[ $m == "$want" ]]
}
# this node without an ID (omctl -j status), the others by theirs
others=$(for i in 1 2 3; do ((i == self)) || echo "$i"; done)
for id in "" $others; do
	n=${id:-$self}
	for c in getload:load getspeed:speed getmem:mem_free getfree:mem_free isup:state; do
		om_expect "mosctl ${c%%:*} $id = ${c#*:} of node $n" \
			om_wait_for 10 agree "${c%%:*}" "${c#*:}" "$n" "$id"
	done
	om_expect "mosctl status $id = state of node $n" om_wait_for 10 status_agrees "$n" "$id"
	om_expect "node $n is up" is "$(mosctl isup ${id:+"$id"})" up
done
for i in 1 2 3; do
	om_expect "mosctl whois $i: $OM_NET.$i" is "$(mosctl whois "$i")" "$OM_NET.$i"
	om_expect "mosctl whois $OM_NET.$i: $i" is "$(mosctl whois "$OM_NET.$i")" "$i"
done
om_expect "mosctl whois: this node" is "$(mosctl whois)" "This is openMosix node #$self ($OM_NET.$self)"
om_barrier values

# --- without the module
om_unload 20
for c in stay nostay lstay nolstay quiet noquiet block noblock expel bring whois "whois 2" \
	getload "getload 2" getspeed getmem getfree status isup "setspeed 12000"; do
	# shellcheck disable=SC2086 # the arguments are words
	out=$(mosctl $c 2>&1) && rc=0 || rc=$?
	om_expect "mosctl $c without the module: exit 2" is "$rc" 2
	om_expect "... says so" is "$out" "omctl: openmosix module not loaded (modprobe openmosix)"
done
