# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# Shared helpers of the QEMU lab (sourced, not run).

OM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OM_BUILD=${OM_BUILD:-$OM_ROOT/build}
OM_LAB_PKGS="qemu-system-x86 busybox-static kmod cpio xz-utils iproute2 socat tmux rsync git dmsetup
	dwarves gcc make libnl-3-dev libnl-genl-3-dev pkg-config libncurses-dev libproc2-dev
	libmicrohttpd-dev curl python3-prometheus-client chromium fonts-dejavu-core
	linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64"

om_log() { printf '[omlab] %s\n' "$*" >&2; }

# om_scn_timeout SCENARIO DEFAULT: a scenario's "# omlab-timeout: S" line,
# if longer than DEFAULT, else DEFAULT (guests and the host watchdog),
# times OM_SLOW (a slow kernel: make check-debug)
om_scn_timeout() {
	local t
	t=$(sed -n 's/^# omlab-timeout: *\([0-9]\+\)$/\1/p' "$1" | head -n 1)
	echo $(((${t:-0} > $2 ? t : $2) * ${OM_SLOW:-1}))
}
# om_scn_header SCENARIO NAME: the value of its first "# omlab-NAME: ..." line
om_scn_header() {
	sed -n "s/^# omlab-$2: *\(.*[^ ]\) *\$/\1/p" "$1" | head -n 1
}
# om_scn_append SCENARIO: what its guests need on the kernel command line
# ("# omlab-append: ARGS"; such a scenario needs a boot of its own)
om_scn_append() { om_scn_header "$1" append; }
om_die() { printf 'omlab: %s\n' "$*" >&2; exit 1; }

# Install what the lab needs (idempotent; only runs apt when missing).
om_lab_deps() {
	local missing=() p
	for p in $OM_LAB_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	((${#missing[@]})) || return 0
	[[ $(id -u) == 0 ]] || om_die "need root to install: ${missing[*]}"
	om_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		om_die "apt-get install failed"
}

# Resolve "6.1" / "6.12" / a full release to an installed kernel release.
om_kver() {
	local want=$1 k
	for k in /boot/vmlinuz-*; do
		k=${k#/boot/vmlinuz-}
		case $want in
		# Debian's builds only (a local debug kernel is picked by full name)
		6.1) [[ $k == 6.1.*-amd64 ]] && echo "$k" ;;
		6.12) [[ $k == 6.12.*-amd64 ]] && echo "$k" ;;
		*) [[ $k == "$want" ]] && echo "$k" ;;
		esac
	done | sort -V | tail -1
}

om_kvers_all() { echo "$(om_kver 6.1) $(om_kver 6.12)"; }

om_kdir() { echo "/usr/src/linux-headers-$1"; }

# Build the modules for one kernel in build/<kver>/kmod (a copy of kmod/,
# so both kernels' objects coexist).  Fails on any compiler warning.
om_build_modules() {
	local kver=$1 out=$OM_BUILD/$1 log
	[[ -d $(om_kdir "$kver") ]] || om_die "no headers for $kver"
	mkdir -p "$out"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude=modules.order \
		--exclude=Module.symvers "$OM_ROOT/kmod/" "$out/kmod/"
	# kmod/Kbuild reads the version from ../VERSION
	cp "$OM_ROOT/VERSION" "$out/VERSION"
	log=$out/build.log
	if ! make -C "$(om_kdir "$kver")" M="$out/kmod" W=1 modules >"$log" 2>&1; then
		cat "$log" >&2
		return 1
	fi
	if grep -E 'warning:|error:' "$log" >&2; then
		return 1
	fi
	# the lab's own test modules (never installed by DKMS), warning-free
	# too; they include kmod/compat (the copy above)
	mkdir -p "$out/testmod"
	rsync -a "$OM_ROOT/tests/lab/testmod/" "$out/testmod/"
	make -C "$(om_kdir "$kver")" M="$out/testmod" W=1 modules >"$out/testmod.log" 2>&1 ||
		{ cat "$out/testmod.log" >&2; return 1; }
	if grep -E 'warning:|error:' "$out/testmod.log" >&2; then
		return 1
	fi
	return 0
}

# om_lab_depmod KVER: the module index the guests use (build/<kver>/depmod),
# made on the host, where depmod reads the ~4000 modules natively: in each
# TCG guest over 9p it took minutes.  The host's modules plus the fresh
# build in extra/; DKMS copies (updates/, extra/) left out, as the guests
# remove them.  Redone only when the module is newer than the index.
om_lab_depmod() {
	local kver=$1 base=$OM_BUILD/$1/depmod e n
	local dir=$base/lib/modules/$kver ko=$OM_BUILD/$1/kmod/openmosix.ko
	[[ -s $dir/modules.dep.bin && ! $dir/modules.dep.bin -ot $ko ]] && return 0
	rm -rf "$base"
	[[ -d /lib/modules/$kver/kernel ]] || return 1
	mkdir -p "$dir/extra"
	for e in "/lib/modules/$kver"/*; do
		n=${e##*/}
		case $n in
		kernel | modules.order | modules.builtin | modules.builtin.modinfo) ln -s "$e" "$dir/$n" ;;
		esac
	done
	cp "$OM_BUILD/$kver"/kmod/*.ko "$dir/extra/" &&
		depmod -b "$base" "$kver" && touch "$dir/modules.dep.bin"
}
