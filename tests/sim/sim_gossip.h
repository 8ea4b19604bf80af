/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * One gossip exchange of a simulated cluster, the way kmod/om_info.c does
 * it: every node encodes its LOAD payload once, sends it to K random
 * peers, each copy with its own PULL while the node pulls, and a peer that
 * is asked answers at once (om_load_pull_admit's budget).  Shared by
 * gossip_sim and bal_sim.
 */
#ifndef _SIM_GOSSIP_H
#define _SIM_GOSSIP_H

#include "om_load.h"

struct simg_stats {
	u64 *bytes;		/* per node: bytes sent (wire overhead included) */
	u64 *msgs;		/* per node: frames sent */
	u64 answers;		/* pull answers sent, all nodes */
};

/*
 * t[i] is node i + 1; nodes with active[i] == 0 (active may be NULL: all)
 * neither send nor receive (frames to them are sent and lost).  The
 * caller ticks the tables first.  stats may be NULL; its arrays n long.
 */
void simg_exchange(struct om_load_table **t, u32 n, const u8 *active, u32 k,
		   u32 window, om_load_rng_fn rng, struct simg_stats *st);
void simg_free(void);

#endif /* _SIM_GOSSIP_H */
