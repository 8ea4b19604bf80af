# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The deputy design's syscall hook on this kernel (Documentation/
# deputy-hooks.md): a task with a seccomp filter of its own, an ftrace
# IPMODIFY ops on __secure_computing from a module (the lab's
# om_lab_sechook.ko, exported symbols only) that redirects the calls of
# marked tasks to a handler that may sleep.  Checked with sechook_prog:
# who is served and who is not, the fail-safe filter, 32-bit calls,
# vsyscall and vDSO, a sleeping forwarded read against SA_RESTART, EINTR,
# stop/continue and SIGKILL, the cost (printed, not checked) and an
# unload with a task inside the handler.  Booted with vsyscall=xonly so
# that the vsyscall page exists (Debian's default is none); the same
# boot as ckpt-restore-noforce (one boot less), hence its parameter too.
# omlab-append: proc_mem.force_override=never vsyscall=xonly
# omlab-nodes: 1
# omlab-solo: 40
set -e
T=/sys/kernel/tracing
CTL=/proc/om_lab_sechook
KO=$OM_BUILD/$(uname -r)/testmod/om_lab_sechook.ko
P=sechook_prog

mounted=
if [[ ! -e $T/available_filter_functions ]]; then
	mount -t tracefs tracefs "$T"
	mounted=1
fi
echo "# kernel $(uname -r), command line: $(cat /proc/cmdline)"
if grep -qw ibt /proc/cpuinfo; then
	echo "# the CPU has IBT: $(dmesg | grep -m1 -i 'Indirect Branch Tracking' || echo 'not enabled by the kernel')"
else
	echo "# no IBT on this (emulated) CPU: IBT-safety rests on objtool's --ibt check at build"
fi

om_expect "__secure_computing is in available_filter_functions" \
	grep -qx __secure_computing "$T/available_filter_functions"
om_expect "x64_sys_call is in available_filter_functions (the fallback hook point)" \
	grep -qx x64_sys_call "$T/available_filter_functions"

om_expect "the test module loads (ftrace_set_filter + register_ftrace_function, IPMODIFY)" \
	insmod "$KO"
grep '^__secure_computing ' "$T/enabled_functions" | sed 's/^/# enabled_functions: /'
om_expect "enabled_functions: __secure_computing with an IPMODIFY ops" \
	grep -Eq '^__secure_computing \([0-9]+\).* I ' "$T/enabled_functions"
om_expect "the ops is registered" grep -qx "hook 1" "$CTL"

om_expect "without seccomp a marked task is untouched; with a filter it is served" $P gate
om_expect "an unmarked child with the inherited filter is untouched" $P unmarked
om_expect "fail-safe filter: served with the ops, ENOSYS without it" $P failsafe
om_expect "int \$0x80 calls of a marked task are not taken for 64-bit ones" $P ia32
om_expect "vsyscall time() goes through the hook; vDSO time() never enters the kernel" \
	$P vsyscall
om_expect "sleeping forwarded read, SA_RESTART handler: restarted, value read" $P restart
om_expect "sleeping forwarded read, handler without SA_RESTART: EINTR" $P eintr
om_expect "sleeping forwarded read, SIGSTOP + SIGCONT: restarted, value read" $P stopcont
om_expect "sleeping forwarded read: SIGKILL ends it" $P kill
om_expect "killable forwarded read (pread64): a caught signal waits for the value" \
	$P killable
om_expect "killable forwarded read: SIGKILL ends it" $P killable-kill
om_expect "cost of the hook (printed, not checked)" $P bench 100000

om_expect "the handler never ran in atomic context" grep -qx "atomic 0" "$CTL"
om_expect "the ops is still registered" grep -qx "hook 1" "$CTL"
nothing_left() { grep -qx "marked 0" "$CTL" && grep -qx "waiters 0" "$CTL" && grep -qx "posted 0" "$CTL"; }
om_expect "no mark, waiter or posted value is left" nothing_left
sed 's/^/# counter /' "$CTL"

# unload with a marked task asleep in the handler
rm -f /tmp/sechook-unload /tmp/sechook-unload.ready
setsid $P unloadwait /tmp/sechook-unload </dev/null >/dev/null 2>&1 &
pid=$!
om_expect "a marked task waits in the handler" \
	om_wait_for 20 grep -qx "waiters 1" "$CTL"
om_expect "rmmod with a task in the handler" timeout 60 rmmod om_lab_sechook
rc=0
wait "$pid" || rc=$?
om_expect "its forwarded read ended with EIO (rc $rc: $(cat /tmp/sechook-unload 2>&1))" \
	grep -qx "read -1 errno 5" /tmp/sechook-unload
no_ops() { ! grep -q '^__secure_computing ' "$T/enabled_functions"; }
om_expect "no ops left on __secure_computing" no_ops
om_expect "the module is gone" test ! -e "$CTL"
[[ -z $mounted ]] || umount "$T"
