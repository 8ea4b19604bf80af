/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The openMosix-NG developers. */
#ifndef _OM_TAP_H
#define _OM_TAP_H
#include <stdio.h>

static int tap_n, tap_fail;

#define TAP_OK(cond, ...) do { \
	int _c = !!(cond); \
	printf("%sok %d - ", _c ? "" : "not ", ++tap_n); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (!_c) { \
		tap_fail++; \
		printf("#   at %s:%d\n", __FILE__, __LINE__); \
	} \
} while (0)

#define TAP_DONE() do { \
	printf("1..%d\n", tap_n); \
	return tap_fail ? 1 : 0; \
} while (0)
#endif
