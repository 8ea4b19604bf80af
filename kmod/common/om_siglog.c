// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * A bounded signal log (om_siglog.h).
 */
#include "om_siglog.h"

void om_siglog_init(struct om_siglog *l)
{
	l->std_used = 0;
	l->rt_head = 0;
	l->rt_n = 0;
	l->ndropped = 0;
	l->dropped_seq = 0;
}

int om_siglog_add(struct om_siglog *l, u64 seq, const u8 *info)
{
	u32 sig = get_unaligned_le32(info);
	struct om_siglog_ent *e;
	int ret = 0;

	if (!sig || sig > OM_MIG_NSIG)
		return -EINVAL;
	if (sig <= OM_SIGLOG_NSTD) {
		/* pending twice is pending once: its last stands for both */
		e = &l->std[sig - 1];
		l->std_used |= 1U << (sig - 1);
	} else {
		if (l->rt_n == OM_SIGLOG_RT_MAX) {
			e = &l->rt[l->rt_head];
			l->ndropped++;
			if (e->seq > l->dropped_seq)
				l->dropped_seq = e->seq;
			l->rt_head = (l->rt_head + 1) % OM_SIGLOG_RT_MAX;
			l->rt_n--;
			ret = 1;
		}
		e = &l->rt[(l->rt_head + l->rt_n) % OM_SIGLOG_RT_MAX];
		l->rt_n++;
	}
	e->seq = seq;
	memcpy(e->info, info, OM_MIG_SIGINFO_LEN);
	return ret;
}

const struct om_siglog_ent *om_siglog_next(const struct om_siglog *l, u32 *pos,
					   u64 min_seq)
{
	const struct om_siglog_ent *e;

	for (; *pos < OM_SIGLOG_NSTD + l->rt_n; (*pos)++) {
		if (*pos < OM_SIGLOG_NSTD) {
			if (!(l->std_used & (1U << *pos)))
				continue;
			e = &l->std[*pos];
		} else {
			e = &l->rt[(l->rt_head + *pos - OM_SIGLOG_NSTD) % OM_SIGLOG_RT_MAX];
		}
		if (e->seq >= min_seq) {
			(*pos)++;
			return e;
		}
	}
	return NULL;
}

u32 om_siglog_count(const struct om_siglog *l)
{
	u32 n = l->rt_n, m = l->std_used;

	while (m) {
		n += m & 1;
		m >>= 1;
	}
	return n;
}
