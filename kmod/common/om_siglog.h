/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * A bounded log of signals (siginfo as it travels in a SIGNAL message,
 * with its sequence number), as the kernel queues them: a standard
 * signal (1..31) is kept once, its last; a real-time one (32..64) each
 * time, up to OM_SIGLOG_RT_MAX, beyond which the oldest makes room and
 * is counted.  So a kill loop costs a fixed amount of memory.
 *
 * The deputy logs what it forwards: whatever its remote did not give the
 * process before it left for home (a sequence above the COMMIT's) is
 * queued to the process at home.  The remote holds what comes from home
 * while the process travels home: if the trip fails, the process gets it
 * there.  Portable: tests/unit/wire/test_siglog.c.
 *
 * Locking: none; the caller serialises all calls on one log.
 */
#ifndef _OM_SIGLOG_H
#define _OM_SIGLOG_H

#include "om_port.h"
#include "om_mig.h"

#define OM_SIGLOG_NSTD		31	/* standard signals: one slot each */
#define OM_SIGLOG_RT_MAX	128	/* real-time signals kept */

struct om_siglog_ent {
	u64 seq;			/* 0: not numbered */
	u8 info[OM_MIG_SIGINFO_LEN];	/* le32 si_signo 1..OM_MIG_NSIG first */
};

struct om_siglog {
	u32 std_used;			/* bit n-1: signal n has its slot */
	u32 rt_head, rt_n;		/* the oldest, how many (a ring) */
	u32 ndropped;			/* real-time entries that made room */
	u64 dropped_seq;		/* the highest sequence among them */
	struct om_siglog_ent std[OM_SIGLOG_NSTD];
	struct om_siglog_ent rt[OM_SIGLOG_RT_MAX];
};

/* Empty @l (also its drop count) */
void om_siglog_init(struct om_siglog *l);

/*
 * Log @info (OM_MIG_SIGINFO_LEN bytes) with @seq.  -EINVAL for a signal
 * number outside 1..OM_MIG_NSIG (nothing logged), 1 when the oldest
 * real-time entry was dropped for it, else 0.
 */
int om_siglog_add(struct om_siglog *l, u64 seq, const u8 *info);

/*
 * The entries whose sequence is at least @min_seq, one per call: start
 * with *pos 0; NULL at the end.  Standard signals come first (the kernel
 * delivers them first anyway), then the real-time ones as they came.
 */
const struct om_siglog_ent *om_siglog_next(const struct om_siglog *l, u32 *pos,
					   u64 min_seq);

/* Entries logged (at most OM_SIGLOG_NSTD + OM_SIGLOG_RT_MAX) */
u32 om_siglog_count(const struct om_siglog *l);

#endif /* _OM_SIGLOG_H */
