/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Load information, above the transport: gossip of load vectors, node
 * liveness.
 */
#ifndef _OM_INFO_H
#define _OM_INFO_H

#include "common/om_load.h"

int om_info_init(void);
void om_info_exit(void);
void om_info_fill_self(struct om_load_entry *e);

struct om_bal_self;
struct om_bal_node;
u32 om_info_bal_inputs(struct om_bal_self *self, struct om_bal_node *nodes, u32 max);
void om_info_bal_self(struct om_bal_self *self);

#endif /* _OM_INFO_H */
