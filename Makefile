# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
#   make                  build the modules for the running kernel
#   make KDIR=/usr/src/linux-headers-<ver>   ... for another kernel
#   make tools            build the userspace tools
#   make check            unit tests, builds for both kernels, lab scenarios
#   make check-debug      reliability scenarios on a KASAN/lockdep kernel
#   make demo             a 3-node cluster in QEMU, with a shell on node 1
#   make bench            the benchmarks in QEMU guests: ckpt-bench, mig-bench,
#                         bal-bench, mfs-bench, then the soaks (BENCH_KERNEL=6.12
#                         or 6.1; bench/README.md)
#   make soak             the soaks only: "# omlab-bench-only" scenarios (mig-soak)
#   make install          modules_install + tools install (DESTDIR, PREFIX)
#   make dkms-install     copy the sources to /usr/src/openmosix-<ver> and dkms add
#   make version          print the version (the file VERSION, the only place it is written)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
# the project's one version: kmod/Kbuild, tools/Makefile and dkms.conf
# (from dkms.conf.in) all take it from this file
VERSION := $(shell cat $(CURDIR)/VERSION 2>/dev/null)
DKMS_SRC := /usr/src/openmosix-$(VERSION)
W ?= 1
BENCH_KERNEL ?= 6.12

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod W=$(W) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod INSTALL_MOD_DIR=extra modules_install

tools:
	$(MAKE) -C tools

install: modules_install
	$(MAKE) -C tools install

# dkms.conf with the version filled in (generated, never committed)
build/dkms.conf: dkms.conf.in VERSION
	@test -n "$(VERSION)" || { echo "VERSION is missing or empty" >&2; exit 1; }
	@mkdir -p build
	sed 's/@VERSION@/$(VERSION)/g' dkms.conf.in >$@

dkms-install: build/dkms.conf
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r VERSION Makefile Kconfig LICENSE kmod $(DKMS_SRC)/
	cp build/dkms.conf $(DKMS_SRC)/dkms.conf
	find $(DKMS_SRC)/kmod \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' \
		-o -name '*.mod*' -o -name 'modules.order' -o -name 'Module.symvers' \) -delete
	dkms add -m openmosix -v $(VERSION)

version:
	@echo $(VERSION)

check:
	tests/run-all

check-debug:
	tests/run-debug

# both run, the soak even when the benchmark failed; make fails if either did
soak:
	bench/soak -k $(BENCH_KERNEL)

unit:
	tests/run-all --only unit

demo:
	tests/lab/omlab demo

# every benchmark, even if one fails; fails if any did
bench:
	rc=0; bench/run -k $(BENCH_KERNEL) || rc=1; \
	bench/mig-run -k $(BENCH_KERNEL) || rc=1; \
	bench/bal-run -k $(BENCH_KERNEL) || rc=1; \
	bench/mfs-run -k $(BENCH_KERNEL) || rc=1; \
	bench/soak -k $(BENCH_KERNEL) || rc=1; exit $$rc

style:
	tests/style

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	-$(MAKE) -C tools clean

.PHONY: all modules modules_install tools install dkms-install version check check-debug unit demo bench soak style clean
