// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Module shell for `make kbuild`: links the CRIU codec into a .ko so that
 * kbuild (W=1, 512-byte frames, modpost) checks it on every kernel.
 */
#include <linux/module.h>
#include "om_criu.h"

static int __init om_criu_test_init(void)
{
	return om_criu_images[OM_CRIU_IMG_CORE].magic == OM_CRIU_CORE_MAGIC ?
	       0 : -EINVAL;
}

static void __exit om_criu_test_exit(void)
{
}

module_init(om_criu_test_init);
module_exit(om_criu_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("openMosix-NG CRIU codec build test");
