# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The openMosix-NG developers.
#
# The rules of a small unit test directory of one kmod/common piece,
# included by its Makefile after it sets:
#   TEST    the test program (built from $(TEST).c)
#   KSRC    the kmod/common sources under test: also build-checked alone
#           with the kernel's stricter warnings
#   LIBSRC  what the test links (default: KSRC)
#   HDRS    the headers it depends on
# make check: the build check, then the TAP tests under ASan/UBSan.

TOP := $(abspath ../../..)
KC := $(TOP)/kmod/common
TW := $(TOP)/tests/unit/wire
O := build

CC := gcc
CFLAGS := -O1 -g -Wall -Wextra -Werror -I$(KC) -I$(TW)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
KFLAGS := -O2 -std=gnu11 -Wall -Wextra -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla -Wframe-larger-than=512 -Wformat-truncation=2 \
	-Werror -I$(KC)
LIBSRC ?= $(KSRC)

.PHONY: all check buildcheck clean

all: $(O)/$(TEST)

$(O):
	@mkdir -p $(O)

buildcheck: | $(O)
	@set -e; for f in $(KSRC); do \
		$(CC) $(KFLAGS) -c $$f -o $(O)/kcheck.o; \
	done; echo "# build check: $(notdir $(KSRC)) clean with $(CC) -Wshadow -Wmissing-prototypes -Werror"

$(O)/$(TEST): $(TEST).c $(LIBSRC) $(HDRS) | $(O)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(TEST).c $(LIBSRC)

check: buildcheck $(O)/$(TEST)
	@$(O)/$(TEST)

clean:
	rm -rf $(O)
