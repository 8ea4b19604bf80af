/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 */
#ifndef _OM_DEPUTY_TESTS_H
#define _OM_DEPUTY_TESTS_H

#include <stdio.h>
#include <stddef.h>

/* test_abi.c: the sizes and values om_systab spells out */
void test_abi(void);
/* abi_termios.c: the kernel's struct termios (not the C library's) */
size_t abi_kernel_termios_size(void);

/* systab_doc.c: the generated table of Documentation/syscall-forwarding.md */
#define SYSTAB_DOC_BEGIN "<!-- systab:begin (generated: make -C tests/unit/deputy doc) -->"
#define SYSTAB_DOC_END "<!-- systab:end -->"
void systab_doc_table(FILE *f);
/*
 * Read the document at path; *out (malloc'd, may be NULL) gets it with
 * the generated part replaced.  1 if the committed part matches, 0 if it
 * differs, -1 if the file or its markers are missing.
 */
int systab_doc_check(const char *path, char **out);
void test_doc(const char *path);

#endif /* _OM_DEPUTY_TESTS_H */
