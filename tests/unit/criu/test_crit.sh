#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Interop with CRIU's own tooling: our images through `crit decode/show`
# (and crit encode for byte-exactness), crit-encoded images through our
# decoder.  TAP output.  Usage: test_crit.sh TOOL OUTDIR
TOOL=$1
OUT=$2
CRIT=${CRIT:-/usr/bin/crit}
n=0
fail=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else nok "$d"; fi; }

if [ ! -x "$CRIT" ]; then
	echo "ok 1 # SKIP crit not installed"
	echo "1..1"
	exit 0
fi

DIR=$OUT/images
rm -rf "$OUT" && mkdir -p "$DIR" "$OUT/json" "$OUT/crit"
check "om_criu_tool writes the synthetic image directory" "$TOOL" write "$DIR"

for f in "$DIR"/*.img; do
	b=$(basename "$f")
	case $b in pages-*) continue ;; esac
	check "crit decode $b" "$CRIT" decode -i "$f" -o "$OUT/json/$b.json"
	check "crit show $b" "$CRIT" show "$f"
	# crit encode rejects missing required fields: a strict validator
	if "$CRIT" encode -i "$OUT/json/$b.json" -o "$OUT/crit/$b" 2>/dev/null; then
		ok "crit encode accepts $b (all required fields present)"
	else
		nok "crit encode accepts $b (all required fields present)"
	fi
	case $b in
	pagemap-*) # crit 3.17 drops field 5 (4.2's nr_pages): compare values only
		check "$b re-encoded by crit decodes with our decoder" \
			"$TOOL" dump "$OUT/crit/$b" ;;
	*) check "$b byte-identical after crit decode+encode" cmp "$f" "$OUT/crit/$b" ;;
	esac
done

# key values in crit's JSON (plain decode prints hex fields as decimal)
J=$OUT/json
has() { grep -q -- "$2" "$J/$1.json"; }
kv() { local d=$1 f=$2 p=$3; if has "$f" "$p"; then ok "$d"; else nok "$d"; fi; }
kv "pstree pid 4242" pstree.img '"pid": 4242'
kv "pstree threads [4242]" pstree.img '"threads": \[4242\]'
kv "inventory img_version 2" inventory.img '"img_version": 2'
kv "inventory root_ids files_id 1" inventory.img '"files_id": 1'
kv "core regs ip (restart-fixed) 0x401232" core-4242.img '"ip": 4198962'
kv "core regs sp" core-4242.img '"sp": 140720308621296'
kv "core comm" core-4242.img '"comm": "omtest"'
kv "core oom_score_adj -100" core-4242.img '"oom_score_adj": -100'
kv "core sched_nice -5" core-4242.img '"sched_nice": -5'
kv "core cap_bnd" core-4242.img '511'
kv "core xsave xstate_bv" core-4242.img '"xstate_bv": 519'
kv "core mtype X86_64" core-4242.img '"mtype": "X86_64"'
kv "ids files_id 2" ids-4242.img '"files_id": 2'
kv "mm vma start 0x400000" mm-4242.img '"start": 4194304'
kv "mm stack vma start" mm-4242.img '"start": 140720308486144'
kv "mm vma fd -1" mm-4242.img '"fd": -1'
kv "mm exe_file_id 1" mm-4242.img '"exe_file_id": 1'
kv "pagemap pages_id 1" pagemap-4242.img '"pages_id": 1'
kv "pagemap vaddr heap" pagemap-4242.img '"vaddr": 16777216'
kv "mm shared anonymous VMA shmid 7777" mm-4242.img '"shmid": 7777'
kv "mm shared anonymous VMA status ANON_SHARED" mm-4242.img '"status": 257'
kv "pagemap-shmem pages_id 2" pagemap-shmem-7777.img '"pages_id": 2'
kv "pagemap-shmem offset 8192" pagemap-shmem-7777.img '"vaddr": 8192'
kv "files exe path" files.img '"name": "/usr/bin/omtest"'
kv "files cwd path" files.img '"name": "/tmp"'
kv "files pipe_id 777" files.img '"pipe_id": 777'
kv "fdinfo type PIPE" fdinfo-2.img '"type": "PIPE"'
kv "fs cwd_id 3" fs-4242.img '"cwd_id": 3'
kv "pipes-data bytes 5" pipes-data.img '"bytes": 5'
kv "files FIFO pipe_id 888" files.img '"pipe_id": 888'
kv "files FIFO regf_id 10" files.img '"regf_id": 10'
kv "files FIFO path" files.img '"name": "/tmp/omtest.fifo"'
kv "fdinfo type FIFO" fdinfo-2.img '"type": "FIFO"'
kv "fifo-data bytes 9" fifo-data.img '"bytes": 9'
kv "fifo-data size 1 MiB" fifo-data.img '"size": 1048576'
kv "tty-info PTY index 3" tty-info.img '"index": 3'
kv "timens monotonic 1000" timens-0.img '"tv_sec": 1000'
kv "files eventfd counter 5" files.img '"counter": 5'
kv "files signalfd sigmask" files.img '"sigmask": 2560'
kv "files timerfd ticks 2" files.img '"ticks": 2'
kv "files timerfd it_value ns" files.img '"vnsec": 999000000'
kv "files epoll watches fd 8" files.img '"tfd": 8'
kv "files epoll data" files.img '"data": 18369614221189971974'
kv "fdinfo type EVENTPOLL" fdinfo-2.img '"type": "EVENTPOLL"'
kv "fdinfo type TIMERFD" fdinfo-2.img '"type": "TIMERFD"'
kv "fdinfo type SIGNALFD" fdinfo-2.img '"type": "SIGNALFD"'
kv "fdinfo type EVENTFD" fdinfo-2.img '"type": "EVENTFD"'
kv "remap-fpath GHOST" remap-fpath.img '"remap_type": "GHOST"'
kv "remap-fpath orig_id 15" remap-fpath.img '"orig_id": 15'
kv "ghost-file-1 chunked" ghost-file-1.img '"chunks": true'
kv "ghost-file-1 size 20000" ghost-file-1.img '"size": 20000'
kv "ghost-file-1 second piece at 12288" ghost-file-1.img '"off": 12288'
kv "ghost-file-2 mtime usec" ghost-file-2.img '"tv_usec": 999999'
kv "files ghost path" files.img '"name": "/tmp/omtest.ghost"'

# crit's multi-image views
if "$CRIT" x "$DIR" ps 2>/dev/null | grep -q 4242; then ok "crit x ps shows pid 4242"; else nok "crit x ps shows pid 4242"; fi
if "$CRIT" x "$DIR" fds 2>/dev/null | grep -q /tmp; then ok "crit x fds shows cwd /tmp"; else nok "crit x fds shows cwd /tmp"; fi
if "$CRIT" x "$DIR" mems 2>/dev/null | grep -q /usr/bin/omtest; then ok "crit x mems maps the exe"; else nok "crit x mems maps the exe"; fi

# reverse: images produced by crit encode from hand-written JSON
R=$OUT/rev
mkdir -p "$R"
cat > "$R/pstree.json" <<'J'
{"magic": "PSTREE", "entries": [{"pid": 31337, "ppid": 1, "pgid": 31337, "sid": 500, "threads": [31337, 31338]}]}
J
cat > "$R/mm.json" <<'J'
{"magic": "MM", "entries": [{"mm_start_code": "0x555555554000", "mm_end_code": "0x555555556000",
 "mm_start_data": "0x555555558000", "mm_end_data": "0x555555559000", "mm_start_stack": "0x7ffffffde000",
 "mm_start_brk": "0x55555555a000", "mm_brk": "0x55555557b000", "mm_arg_start": "0x7fffffffe000",
 "mm_arg_end": "0x7fffffffe100", "mm_env_start": "0x7fffffffe100", "mm_env_end": "0x7fffffffefe0",
 "exe_file_id": 9, "mm_saved_auxv": [33, 140737354125312, 6, 4096],
 "vmas": [{"start": "0x555555554000", "end": "0x555555556000", "pgoff": 0, "shmid": 9,
  "prot": "PROT_READ | PROT_EXEC", "flags": "MAP_PRIVATE", "status": "VMA_AREA_REGULAR | VMA_FILE_PRIVATE", "fd": -1},
  {"start": "0x7ffffffde000", "end": "0x7ffffffff000", "pgoff": 0, "shmid": 0,
  "prot": "PROT_READ | PROT_WRITE", "flags": "MAP_PRIVATE | MAP_ANON | MAP_GROWSDOWN",
  "status": "VMA_AREA_REGULAR | VMA_ANON_PRIVATE", "fd": -1, "madv": "0x10000"}],
 "dumpable": 1}]}
J
cat > "$R/files.json" <<'J'
{"magic": "FILES", "entries": [{"type": "REG", "id": 9, "reg": {"id": 9, "flags": 32768,
 "pos": 4096, "fown": {"uid": 0, "euid": 0, "signum": 0, "pid_type": 0, "pid": 0}, "name": "/usr/lib/x/y.so",
 "size": 12345, "mode": 33261}},
 {"type": "PIPE", "id": 10, "pipe": {"id": 10, "pipe_id": 4444, "flags": 1,
  "fown": {"uid": 0, "euid": 0, "signum": 0, "pid_type": 0, "pid": 0}}},
 {"type": "FIFO", "id": 11, "fifo": {"id": 11, "pipe_id": 5555, "regf_id": 12}},
 {"type": "EVENTFD", "id": 13, "efd": {"id": 13, "flags": 2050,
  "fown": {"uid": 0, "euid": 0, "signum": 0, "pid_type": 0, "pid": 0}, "counter": 123456789012}},
 {"type": "SIGNALFD", "id": 14, "sgfd": {"id": 14, "flags": "0x2",
  "fown": {"uid": 0, "euid": 0, "signum": 0, "pid_type": 0, "pid": 0}, "sigmask": "0x10002"}},
 {"type": "TIMERFD", "id": 15, "tfd": {"id": 15, "flags": "0x802",
  "fown": {"uid": 0, "euid": 0, "signum": 0, "pid_type": 0, "pid": 0}, "clockid": 7, "ticks": 3,
  "settime_flags": "0x1", "vsec": 10, "vnsec": 20, "isec": 30, "insec": 40}},
 {"type": "EVENTPOLL", "id": 16, "epfd": {"id": 16, "flags": 2,
  "fown": {"uid": 0, "euid": 0, "signum": 0, "pid_type": 0, "pid": 0},
  "tfd": [{"id": 16, "tfd": 5, "events": 2147483673, "data": 77, "dev": 13, "inode": 4242, "pos": 0},
          {"id": 16, "tfd": 6, "events": 28, "data": 18446744073709551615}]}}]}
J
cat > "$R/core.json" <<'J'
{"magic": "CORE", "entries": [{"mtype": "X86_64", "thread_info": {"clear_tid_addr": "0x7ffff7d8aa10",
 "gpregs": {"r15": "0x0", "r14": "0x0", "r13": "0x0", "r12": "0x0", "bp": "0x0", "bx": "0x0", "r11": "0x246",
  "r10": "0x0", "r9": "0x0", "r8": "0x0", "ax": "0xfffffffffffffffc", "cx": "0x7ffff7e9a7e2", "dx": "0x0",
  "si": "0x0", "di": "0x0", "orig_ax": "0x22", "ip": "0x7ffff7e9a7e2", "cs": "0x33", "flags": "0x246",
  "sp": "0x7fffffffe3c8", "ss": "0x2b", "fs_base": "0x7ffff7d8a740", "gs_base": "0x0", "ds": "0x0",
  "es": "0x0", "fs": "0x0", "gs": "0x0", "mode": "NATIVE"},
 "fpregs": {"cwd": 895, "swd": 0, "twd": 0, "fop": 0, "rip": 0, "rdp": 0, "mxcsr": 8064, "mxcsr_mask": 65535,
  "st_space": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  "xsave": {"xstate_bv": "0x3", "pkru": [1431655764, 0]}}},
 "tc": {"task_state": 1, "exit_code": 0, "personality": 0, "flags": 4194560, "blk_sigset": "0x0",
  "comm": "sleepy", "oom_score_adj": -1000, "loginuid": 4294967295,
  "rlimits": {"rlimits": [{"cur": 8388608, "max": 18446744073709551615}]}},
 "thread_core": {"futex_rla": 140737351559712, "futex_rla_len": 24, "sched_nice": -20, "sched_policy": 0,
  "creds": {"uid": 0, "gid": 0, "euid": 0, "egid": 0, "suid": 0, "sgid": 0, "fsuid": 0, "fsgid": 0,
   "cap_inh": [0, 0], "cap_prm": [4294967295, 511], "cap_eff": [4294967295, 511], "cap_bnd": [4294967295, 511],
   "secbits": 0, "groups": [0]}, "comm": "sleepy"}}]}
J
# a chunked ghost file as criu 3.17 writes one ("abc" at 0, "hello" at 16384 of 20480)
cat > "$R/ghost.json" <<'J'
{"magic": "GHOST_FILE", "entries": [{"uid": 65534, "gid": 65534, "mode": 33188, "dev": "8:3",
 "ino": 77, "atim": {"tv_sec": 1, "tv_usec": 2}, "mtim": {"tv_sec": 3, "tv_usec": 4},
 "chunks": true, "size": 20480},
 {"len": 3, "off": 0, "extra": "YWJj\n"}, {"len": 5, "off": 16384, "extra": "aGVsbG8=\n"}]}
J
cat > "$R/remap.json" <<'J'
{"magic": "REMAP_FPATH", "entries": [{"orig_id": 9, "remap_id": 1, "remap_type": "GHOST"},
 {"orig_id": 10, "remap_id": 2147483650}]}
J
for x in pstree mm files core ghost remap; do
	check "crit encode $x.json" "$CRIT" encode -i "$R/$x.json" -o "$R/$x.img"
	"$TOOL" dump "$R/$x.img" > "$R/$x.txt" 2>&1
	check "our decoder reads crit's $x image" test $? -eq 0
done
val() { if grep -qx -- "$2" "$R/$1.txt"; then ok "crit->ours: $1 $2"; else nok "crit->ours: $1 $2"; fi; }
val pstree 'pstree_entry\[0\].1=31337'
val pstree 'pstree_entry\[0\].4=500'
val pstree 'pstree_entry\[0\].5\[1\]=31338'
val mm 'mm_entry\[0\].14\[0\].1=93824992231424'
val mm 'mm_entry\[0\].14\[1\].8=-1'
val mm 'mm_entry\[0\].14\[1\].9=65536'
val mm 'mm_entry\[0\].13\[1\]=140737354125312'
val files 'file_entry\[0\].3.6=/usr/lib/x/y.so'
val files 'file_entry\[0\].3.3=4096'
val files 'file_entry\[1\].18.2=4444'
val files 'file_entry\[2\].1=3'
val files 'file_entry\[2\].17.2=5555'
val files 'file_entry\[2\].17.3=12'
val files 'file_entry\[3\].8.4=123456789012'
val files 'file_entry\[4\].10.4=65538'
val files 'file_entry\[5\].12.4=7'
val files 'file_entry\[5\].12.6=1'
val files 'file_entry\[5\].12.10=40'
val files 'file_entry\[6\].9.4\[0\].3=2147483673'
val files 'file_entry\[6\].9.4\[0\].6=4242'
val files 'file_entry\[6\].9.4\[1\].2=6'
val files 'file_entry\[6\].9.4\[1\].4=18446744073709551615'
val core 'core_entry\[0\].2.2.17=140737352673250'
val core 'core_entry\[0\].2.2.11=18446744073709551612'
val core 'core_entry\[0\].3.14=-1000'
val core 'core_entry\[0\].5.3=-20'
val core 'core_entry\[0\].5.10.10\[1\]=511'
val core 'core_entry\[0\].2.3.13.8\[0\]=1431655764'
val core 'core_entry\[0\].3.6=sleepy'
val ghost 'ghost_file_entry\[0\].1=65534'
val ghost 'ghost_file_entry\[0\].3=33188'
val ghost 'ghost_file_entry\[0\].8.2=4'
val ghost 'ghost_file_entry\[0\].piece\[0\]=0:3:616263'
val ghost 'ghost_file_entry\[0\].piece\[1\]=16384:5:68656c6c6f'
val ghost 'size=20480'
val remap 'remap_file_path_entry\[0\].3=1'
val remap 'remap_file_path_entry\[1\].2=2147483650'
if "$TOOL" reenc "$R/ghost.img" "$R/ghost.re" && cmp "$R/ghost.img" "$R/ghost.re"; then
	ok "crit's chunked ghost byte-identical through our decoder and encoder"
else
	nok "crit's chunked ghost byte-identical through our decoder and encoder"
fi

echo "1..$n"
exit $fail
