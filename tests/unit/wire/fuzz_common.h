/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Fixed parameters shared by the fuzz targets and the corpus generator,
 * so seeds carry frames that really open under the fuzzer's session.
 */
#ifndef _OM_FUZZ_COMMON_H
#define _OM_FUZZ_COMMON_H

#define FUZZ_KEY_BYTE	0x42
#define FUZZ_SEED_I	0x1111
#define FUZZ_SEED_R	0x2222
#define FUZZ_NOW	1000

#endif /* _OM_FUZZ_COMMON_H */
