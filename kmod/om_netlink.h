/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The genetlink family "openmosix", the top of the cluster core.
 */
#ifndef _OM_NETLINK_H
#define _OM_NETLINK_H

int om_netlink_init(void);
void om_netlink_exit(void);

#endif /* _OM_NETLINK_H */
