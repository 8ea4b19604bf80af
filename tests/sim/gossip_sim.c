// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Gossip simulation running the real om_load code for N nodes in
 * synchronous rounds (one round = one info interval): every node ticks,
 * encodes one LOAD window and sends it to K random peers, which decode and
 * merge it.  Prints TAP.  Usage: gossip_sim [-q] [N ...]
 *
 * Measured per N:
 *  - cold start: rounds until every node has heard of every other node
 *    (bounded below by N / (K * (W - 1)) with flat traffic);
 *  - steady state: median age of a node's information about the others;
 *  - news: after a warm-up, node 1's load jumps; per round, the fraction
 *    of nodes whose view already holds the new load (rumour spreading via
 *    hot entries, expected O(log N) rounds);
 *  - traffic: messages and bytes sent per node per interval.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "om_load.h"
#include "om_wire.h"

#define SIM_K		2
#define SIM_W		OM_LOAD_DEF_WINDOW
#define SIM_BUF		(OM_LOAD_WINDOW_MAX * OM_LOAD_ENTRY_WIRE)

struct sim_node {
	struct om_load_table t;
	u32 runnable;
	u8 buf[SIM_BUF];
	int len;
};

struct sim_result {
	u32 n;
	int cold_rounds;
	u32 median_age;
	int news_rounds;
	double msgs, bytes;
};

static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static int quiet;

static u32 sim_rng(void *ctx)
{
	(void)ctx;
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* One interval for the whole cluster; returns bytes sent */
static u64 sim_round(struct sim_node *nd, u32 n, u64 *msgs)
{
	static struct om_load_entry in[OM_LOAD_WINDOW_MAX];
	u64 bytes = 0;
	u32 i, j;

	for (i = 0; i < n; i++) {
		struct om_load_sample s = {
			.runnable = nd[i].runnable, .mem_total = 1 << 20,
			.mem_free = 1 << 19, .uptime = 100,
		};

		om_load_tick(&nd[i].t, &s);
		nd[i].len = om_load_encode(&nd[i].t, SIM_W, sim_rng, NULL,
					   nd[i].buf, sizeof(nd[i].buf));
		if (nd[i].len < 0)
			abort();
	}
	for (i = 0; i < n; i++) {
		u16 peers[SIM_K];
		u32 k = om_load_pick_peers(&nd[i].t, SIM_K, sim_rng, NULL,
					   peers);

		for (j = 0; j < k; j++) {
			int m = om_load_decode(nd[i].buf, nd[i].len, in,
					       OM_LOAD_WINDOW_MAX);

			if (m < 0)
				abort();
			om_load_merge(&nd[peers[j] - 1].t, in, (u32)m);
			bytes += OM_WIRE_OVERHEAD + (u64)nd[i].len;
			(*msgs)++;
		}
	}
	return bytes;
}

static int all_known(struct sim_node *nd, u32 n)
{
	u32 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < nd[i].t.n; j++)
			if (!nd[i].t.e[j].gen)
				return 0;
	return 1;
}

static u32 median_age(struct sim_node *nd, u32 n)
{
	u32 *ages = malloc(sizeof(u32) * n), *med = malloc(sizeof(u32) * n);
	u32 i, j, r;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nd[i].t.n; j++)
			ages[j] = nd[i].t.e[j].age;
		qsort(ages, nd[i].t.n, sizeof(u32), cmp_u32);
		med[i] = ages[nd[i].t.n / 2];
	}
	qsort(med, n, sizeof(u32), cmp_u32);
	r = med[n / 2];
	free(ages);
	free(med);
	return r;
}

static void sim_run(u32 n, struct sim_result *res)
{
	struct sim_node *nd = calloc(n, sizeof(*nd));
	u32 max_age = 20 + 4 * n / (SIM_K * (SIM_W - 1));
	u32 i, j, target, informed;
	u64 msgs = 0, bytes = 0, m0;
	int round;

	memset(res, 0, sizeof(*res));
	res->n = n;
	for (i = 0; i < n; i++) {
		struct om_load_entry self = {
			.node = (u16)(i + 1), .addr = 0x0a000000 + i + 1,
			.port = 4660, .cpus = 4, .speed = OM_LOAD_STD_SPEED,
			.gen = 1000000,
		};

		if (om_load_table_init(&nd[i].t, &self, n, max_age))
			abort();
		for (j = 0; j < n; j++)
			if (j != i)
				om_load_table_add(&nd[i].t, (u16)(j + 1),
						  0x0a000000 + j + 1, 4660);
		nd[i].runnable = (sim_rng(NULL) % 4) * OM_LOAD_FSCALE;
	}
	/* Cold start: everyone knows the map, nobody has load data yet */
	res->cold_rounds = -1;
	for (round = 1; round <= 2000; round++) {
		sim_round(nd, n, &msgs);
		if (all_known(nd, n)) {
			res->cold_rounds = round;
			break;
		}
	}
	/* Settle: loads converge, cold-start news dies down */
	for (i = 0; i < 60; i++)
		sim_round(nd, n, &msgs);
	res->median_age = median_age(nd, n);

	/* News: node 1 gets 16 more runnable tasks (4 per CPU) */
	nd[0].runnable += 16 * OM_LOAD_FSCALE;
	res->news_rounds = -1;
	msgs = 0;
	for (round = 1; round <= 200; round++) {
		m0 = msgs;
		bytes += sim_round(nd, n, &msgs);
		(void)m0;
		if (round == 1)
			target = nd[0].t.self.gen;
		informed = 0;
		for (i = 1; i < n; i++) {
			struct om_load_entry *e = om_load_table_find(&nd[i].t, 1);

			if (e && e->gen >= target)
				informed++;
		}
		if (!quiet)
			printf("#   N=%-5u round %3d: %5.1f%% of nodes have node 1's new load\n",
			       n, round, 100.0 * informed / (n - 1));
		if (informed == n - 1 && res->news_rounds < 0) {
			res->news_rounds = round;
			if (round >= 5)
				break;
		}
	}
	res->msgs = (double)msgs / n / round;
	res->bytes = (double)bytes / n / round;
	for (i = 0; i < n; i++)
		om_load_table_destroy(&nd[i].t);
	free(nd);
}

static u32 ilog2_ceil(u32 n)
{
	u32 r = 0;

	while ((1u << r) < n)
		r++;
	return r;
}

int main(int argc, char **argv)
{
	u32 sizes[8] = { 100, 300, 1000 };
	struct sim_result res[8];
	int ns = 3, i, t = 0, fail = 0;

	if (argc > 1 && !strcmp(argv[1], "-q")) {
		quiet = 1;
		argc--;
		argv++;
	}
	if (argc > 1) {
		for (ns = 0; ns < argc - 1 && ns < 8; ns++)
			sizes[ns] = (u32)strtoul(argv[ns + 1], NULL, 0);
	}
	printf("TAP version 13\n# K=%d peers per interval, window W=%d entries, hot=%d intervals\n",
	       SIM_K, SIM_W, OM_LOAD_DEF_HOT);
	for (i = 0; i < ns; i++) {
		u32 bound = 2 * ilog2_ceil(sizes[i]) + 2;

		if (sizes[i] < 2 || sizes[i] > 65535)
			return 2;
		sim_run(sizes[i], &res[i]);
		printf("# N=%u: cold start complete after %d rounds (lower bound N/(K(W-1)) = %u), "
		       "steady median info age %u intervals\n",
		       res[i].n, res[i].cold_rounds,
		       (res[i].n + SIM_K * (SIM_W - 1) - 1) / (SIM_K * (SIM_W - 1)),
		       res[i].median_age);
		printf("# N=%u: news reached all nodes in %d rounds (bound 2*log2(N)+2 = %u); "
		       "per node per interval: %.2f msgs, %.0f bytes\n",
		       res[i].n, res[i].news_rounds, bound, res[i].msgs,
		       res[i].bytes);
		t++;
		if (res[i].news_rounds > 0 && (u32)res[i].news_rounds <= bound) {
			printf("ok %d - N=%u news converges in %d <= %u rounds\n",
			       t, res[i].n, res[i].news_rounds, bound);
		} else {
			printf("not ok %d - N=%u news converges in %d rounds (bound %u)\n",
			       t, res[i].n, res[i].news_rounds, bound);
			fail++;
		}
		t++;
		if (res[i].msgs > SIM_K - 0.01 && res[i].msgs < SIM_K + 0.01) {
			printf("ok %d - N=%u sends K=%d messages per node per interval\n",
			       t, res[i].n, SIM_K);
		} else {
			printf("not ok %d - N=%u sends %.2f messages per node per interval\n",
			       t, res[i].n, res[i].msgs);
			fail++;
		}
	}
	for (i = 1; i < ns; i++) {
		double r = res[i].bytes / res[0].bytes;

		t++;
		if (r > 0.95 && r < 1.05) {
			printf("ok %d - traffic flat: N=%u sends %.3fx the bytes of N=%u\n",
			       t, res[i].n, r, res[0].n);
		} else {
			printf("not ok %d - traffic not flat: N=%u sends %.3fx the bytes of N=%u\n",
			       t, res[i].n, r, res[0].n);
			fail++;
		}
	}
	printf("1..%d\n", t);
	return fail ? 1 : 0;
}
