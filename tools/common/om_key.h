/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Cluster key text form, shared by omctl and omdiscd: exactly 64 hex
 * digits, then at most one newline ("\n" or "\r\n").
 */
#ifndef _OM_KEY_H
#define _OM_KEY_H

#include <stddef.h>
#include <stdint.h>

#define OM_KEY_BYTES	32
#define OM_KEY_HEX	(2 * OM_KEY_BYTES)

/* 0, or -EINVAL with *why set to a short reason */
int om_key_parse(const char *buf, size_t len, uint8_t key[OM_KEY_BYTES],
		 const char **why);
/* Read and parse a key file ("-" = stdin); 0 or -errno / -EINVAL (why set).
 * *loose is set when the file is accessible by group or others. */
int om_key_read(const char *path, uint8_t key[OM_KEY_BYTES], const char **why,
		int *loose);

#endif /* _OM_KEY_H */
