/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 */
#ifndef _OM_TESTS_H
#define _OM_TESTS_H

void test_tlv(void);
void test_load(void);
void test_map(void);
void test_mig(void);
void test_mfs(void);
void test_mountinfo(void);
void test_dfsa_match(void);
void test_poly1305(void);
void test_siglog(void);

#endif /* _OM_TESTS_H */
