/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Cluster core: node table, transport, load information, netlink, lowest
 * first.  For om_main.c, which brings them all up; a layer includes only
 * its own header and those below it.
 */
#ifndef _OM_CLUSTER_H
#define _OM_CLUSTER_H

#include "om_node.h"
#include "om_transport.h"
#include "om_info.h"
#include "om_netlink.h"

#endif /* _OM_CLUSTER_H */
