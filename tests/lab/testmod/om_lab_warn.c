// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Lab self-test only: triggers one WARN at load so the lab can prove it
 * fails a scenario on kernel warnings.  Never installed.
 */
#include <linux/module.h>

static int __init om_lab_warn_init(void)
{
	WARN(1, "om_lab_warn: deliberate warning for the lab self-test\n");
	return 0;
}

static void __exit om_lab_warn_exit(void)
{
}

module_init(om_lab_warn_init);
module_exit(om_lab_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("openMosix-NG lab self-test: deliberate WARN");
