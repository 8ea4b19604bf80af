/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The one place where kernel API differences between the supported
 * kernels (Debian's 6.1 LTS and 6.12 LTS) are handled.  Keyed on
 * LINUX_VERSION_CODE, or on OM_HAVE_* defines from the build probes in
 * compat/Kbuild.include where Debian backported an API.
 */
#ifndef _OM_COMPAT_H
#define _OM_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "openMosix-NG supports Linux 6.1 and later"
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#warning "openMosix-NG is tested on Linux 6.1 and 6.12 only"
#endif

#endif /* _OM_COMPAT_H */
