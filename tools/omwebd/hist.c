// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Load history: a ring of OMW_HIST_SAMPLES samples (an hour at one per
 * OMW_HIST_STEP_MS) for at most OMW_HIST_NODES nodes; a node not heard of
 * for longest gives its row to a new one.  Fixed size, whatever the
 * cluster does.
 */
#include <string.h>

#include "omwebd.h"

static struct omw_hist_series *series_for(struct omw_hist *h, uint16_t id,
					  uint64_t t_ms)
{
	struct omw_hist_series *free_s = NULL, *oldest = NULL;

	for (unsigned int i = 0; i < OMW_HIST_NODES; i++) {
		struct omw_hist_series *s = &h->s[i];

		if (s->used && s->id == id)
			return s;
		if (!s->used) {
			if (!free_s)
				free_s = s;
		} else if (!oldest || s->last_seen < oldest->last_seen) {
			oldest = s;
		}
	}
	if (!free_s) {
		/* every row taken: only a node gone longer than this one yields */
		if (!oldest || oldest->last_seen >= t_ms)
			return NULL;
		free_s = oldest;
	}
	free_s->used = true;
	free_s->id = id;
	for (unsigned int j = 0; j < OMW_HIST_SAMPLES; j++)
		free_s->load[j] = OMW_HIST_NONE;
	return free_s;
}

static bool node_up(const struct om_node_info *n)
{
	return !strcmp(om_node_state_name(n), "up");
}

/* One sample at t_ms: the load of every node that is up. */
void omw_hist_add(struct omw_hist *h, uint64_t t_ms,
		  const struct om_node_info *n, unsigned int nn)
{
	unsigned int slot = h->head;

	h->t[slot] = t_ms;
	for (unsigned int i = 0; i < OMW_HIST_NODES; i++)
		h->s[i].load[slot] = OMW_HIST_NONE;
	for (unsigned int i = 0; i < nn; i++) {
		struct omw_hist_series *s;

		if (!node_up(&n[i]))
			continue;
		s = series_for(h, n[i].id, t_ms);
		if (!s)
			continue;
		s->load[slot] = n[i].load;
		s->last_seen = t_ms;
	}
	h->head = (slot + 1) % OMW_HIST_SAMPLES;
	if (h->count < OMW_HIST_SAMPLES)
		h->count++;
}

/*
 * {"step_ms":..,"span_ms":..,"times":[oldest..newest],
 *  "series":[{"node":ID,"load":[N or null, ...]}, ...]} by node ID
 */
void omw_hist_json(const struct omw_hist *h)
{
	unsigned int first = (h->head + OMW_HIST_SAMPLES - h->count) % OMW_HIST_SAMPLES;
	bool done[OMW_HIST_NODES] = { false };

	jw_open_obj(NULL);
	jw_uint("step_ms", OMW_HIST_STEP_MS);
	jw_uint("span_ms", (uint64_t)OMW_HIST_STEP_MS * OMW_HIST_SAMPLES);
	jw_open_arr("times");
	for (unsigned int k = 0; k < h->count; k++)
		jw_uint(NULL, h->t[(first + k) % OMW_HIST_SAMPLES]);
	jw_close_arr();
	jw_open_arr("series");
	for (;;) {
		const struct omw_hist_series *s = NULL;
		unsigned int pick = 0;

		for (unsigned int i = 0; i < OMW_HIST_NODES; i++) {
			if (h->s[i].used && !done[i] && (!s || h->s[i].id < s->id)) {
				s = &h->s[i];
				pick = i;
			}
		}
		if (!s)
			break;
		done[pick] = true;
		jw_open_obj(NULL);
		jw_uint("node", s->id);
		jw_open_arr("load");
		for (unsigned int k = 0; k < h->count; k++) {
			uint32_t v = s->load[(first + k) % OMW_HIST_SAMPLES];

			if (v == OMW_HIST_NONE)
				jw_null(NULL);
			else
				jw_uint(NULL, v);
		}
		jw_close_arr();
		jw_close_obj();
	}
	jw_close_arr();
	jw_close_obj();
}
