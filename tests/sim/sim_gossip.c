// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * See sim_gossip.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "om_wire.h"
#include "sim_gossip.h"

#define SIMG_KMAX	16

static u8 *simg_buf;		/* n payloads of OM_LOAD_PAYLOAD_MAX */
static int *simg_len;
static u16 *simg_peers;		/* n * SIMG_KMAX */
static u32 *simg_npeers;
static struct om_load_range *simg_req;	/* n * SIMG_KMAX */
static u8 *simg_has_req;
static u32 simg_cap;

static void simg_grow(u32 n)
{
	if (n <= simg_cap)
		return;
	simg_free();
	simg_buf = malloc((size_t)n * OM_LOAD_PAYLOAD_MAX);
	simg_len = calloc(n, sizeof(*simg_len));
	simg_peers = calloc((size_t)n * SIMG_KMAX, sizeof(*simg_peers));
	simg_npeers = calloc(n, sizeof(*simg_npeers));
	simg_req = calloc((size_t)n * SIMG_KMAX, sizeof(*simg_req));
	simg_has_req = calloc((size_t)n * SIMG_KMAX, 1);
	if (!simg_buf || !simg_len || !simg_peers || !simg_npeers || !simg_req ||
	    !simg_has_req)
		abort();
	simg_cap = n;
}

void simg_free(void)
{
	free(simg_buf);
	free(simg_len);
	free(simg_peers);
	free(simg_npeers);
	free(simg_req);
	free(simg_has_req);
	simg_buf = NULL;
	simg_cap = 0;
}

static void simg_count(struct simg_stats *st, u32 i, int len)
{
	if (!st)
		return;
	if (st->bytes)
		st->bytes[i] += OM_WIRE_OVERHEAD + (u64)len;
	if (st->msgs)
		st->msgs[i]++;
}

void simg_exchange(struct om_load_table **t, u32 n, const u8 *active, u32 k,
		   u32 window, om_load_rng_fn rng, struct simg_stats *st)
{
	static struct om_load_entry in[OM_LOAD_MSG_MAX];
	static u8 frame[OM_LOAD_PAYLOAD_MAX], ans[OM_LOAD_PAYLOAD_MAX];
	struct om_load_msg m;
	u32 i, j;

	if (k > SIMG_KMAX)
		k = SIMG_KMAX;
	simg_grow(n);
	/* What every node sends this interval, from its state at the start */
	for (i = 0; i < n; i++) {
		u8 *buf = simg_buf + (size_t)i * OM_LOAD_PAYLOAD_MAX;

		simg_npeers[i] = 0;
		if (active && !active[i])
			continue;
		simg_npeers[i] = om_load_pick_peers(t[i], k, rng, NULL,
						    simg_peers + i * SIMG_KMAX);
		simg_len[i] = om_load_encode(t[i], window, rng, NULL, buf,
					     OM_LOAD_PAYLOAD_MAX);
		if (simg_len[i] < 0)
			abort();
		for (j = 0; j < simg_npeers[i]; j++)
			simg_has_req[i * SIMG_KMAX + j] =
				om_load_pull_next(t[i], j, &simg_req[i * SIMG_KMAX + j]);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < simg_npeers[i]; j++) {
			u32 p = simg_peers[i * SIMG_KMAX + j] - 1u;
			int len = simg_len[i], cnt;

			memcpy(frame, simg_buf + (size_t)i * OM_LOAD_PAYLOAD_MAX,
			       (size_t)len);
			if (simg_has_req[i * SIMG_KMAX + j])
				len = om_load_put_pull(frame, (size_t)len, sizeof(frame),
						       &simg_req[i * SIMG_KMAX + j]);
			if (len < 0)
				abort();
			simg_count(st, i, len);
			if (p >= n || (active && !active[p]))
				continue;
			cnt = om_load_decode_msg(frame, (size_t)len, in,
						 OM_LOAD_MSG_MAX, &m);
			if (cnt < 0)
				abort();
			om_load_merge(t[p], in, (u32)cnt);
			if (!m.pull || !om_load_pull_admit(t[p]))
				continue;
			/* push-pull: the answer goes back at once */
			len = om_load_encode_answer(t[p], (u16)(i + 1), &m.req,
						    window, ans, sizeof(ans));
			if (len < 0)
				abort();
			simg_count(st, p, len);
			if (st)
				st->answers++;
			cnt = om_load_decode_msg(ans, (size_t)len, in,
						 OM_LOAD_MSG_MAX, &m);
			if (cnt < 0 || !m.pulled)
				abort();
			om_load_merge(t[i], in, (u32)cnt);
			om_load_pull_answered(t[i], &m.done);
		}
	}
}
