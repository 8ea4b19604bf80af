/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * For the codec fuzz targets (fuzz_mig.c, fuzz_mfs.c): a decoder copies
 * nothing, so every pointer it hands back must lie inside the input,
 * [fz_lo, fz_hi), which the target sets for each input.
 */
#ifndef _OM_FUZZ_INSIDE_H
#define _OM_FUZZ_INSIDE_H

static const u8 *fz_lo, *fz_hi;

static void inside(const void *p, u32 len)
{
	const u8 *q = p;

	if (!len)
		return;
	if (!q || q < fz_lo || q > fz_hi || len > (size_t)(fz_hi - q))
		__builtin_trap();
}

#endif /* _OM_FUZZ_INSIDE_H */
