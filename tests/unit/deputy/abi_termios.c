// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The kernel's struct termios, which TCGETS copies: alone in this file
 * because <asm/termbits.h> and the C library's <termios.h> clash.
 */
#include <asm/termbits.h>
#include "tests.h"

size_t abi_kernel_termios_size(void)
{
	return sizeof(struct termios);
}
