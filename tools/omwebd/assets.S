/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The page, built into the binary: nothing to install next to it, and
 * no file system path an HTTP request could reach.  Each file is followed
 * by its _end symbol and a NUL.
 */
#define ASSET(sym, file)		\
	.global sym;			\
	.type sym, @object;		\
	.balign 16;			\
sym:					\
	.incbin file;			\
	.global sym##_end;		\
sym##_end:				\
	.byte 0

	.section .rodata
ASSET(omw_index_html, "www/index.html")
ASSET(omw_app_js, "www/app.js")
ASSET(omw_style_css, "www/style.css")
ASSET(omw_favicon_svg, "www/favicon.svg")

	.section .note.GNU-stack, "", @progbits
