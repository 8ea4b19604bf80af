/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Minimal TAP 13 output (kselftest style): ok N - desc / not ok N - desc.
 */
#ifndef _OM_TAP_H
#define _OM_TAP_H

#include <stdio.h>

extern int tap_n, tap_fail;

#define TAP_CHECK(cond, ...)						\
	do {								\
		int _ok = !!(cond);					\
		printf("%sok %d - ", _ok ? "" : "not ", ++tap_n);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		if (!_ok) {						\
			tap_fail++;					\
			printf("# failed at %s:%d: %s\n", __FILE__,	\
			       __LINE__, #cond);			\
		}							\
	} while (0)

/* Soft assertion inside a multi-step test: logs and clears *ok */
#define TAP_EXPECT(ok, cond)						\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: %s\n", __FILE__, __LINE__,	\
			       #cond);					\
			ok = 0;						\
		}							\
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n# Totals: pass:%d fail:%d\n", tap_n, tap_n - tap_fail,
	       tap_fail);
	return tap_fail ? 1 : 0;
}

#endif /* _OM_TAP_H */
