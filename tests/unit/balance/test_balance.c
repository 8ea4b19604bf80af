// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_balance: one small hand-built scenario per rule of
 * Documentation/balancer.md.  Node 1 is "self" unless a test says else.
 */
#include "tap.h"
#include "om_balance.h"

int tap_n, tap_fail;

#define F		OM_LOAD_FSCALE
#define MIB		1024ULL
#define GIB		(1024ULL * 1024)

static struct om_bal_tun tun;

static struct om_bal_self mkself(u16 node, u32 load)
{
	struct om_bal_self s = {
		.node = node, .cpus = 1, .speed = OM_LOAD_STD_SPEED,
		.load = load, .mem_total = GIB, .mem_free = GIB / 2,
	};

	return s;
}

static struct om_bal_node mknode(u16 node, u32 load)
{
	struct om_bal_node n = {
		.node = node, .cpus = 1, .speed = OM_LOAD_STD_SPEED,
		.load = load, .age_ms = 1000, .mem_total = GIB,
		.mem_free = GIB / 2,
	};

	return n;
}

/* A CPU-bound job of 8 MiB, 10 s old, 10 s of CPU, at home on node home */
static struct om_bal_proc mkproc(u32 pid, u16 home, u16 where)
{
	struct om_bal_proc p = {
		.pid = pid, .home = home, .where = where, .demand = 1000,
		.run = 1000,
		.cpu_ms = 10000, .age_ms = 10000, .mem_kib = 8 * MIB, .sys_rate = 0,
		.since_mig_ms = 60000,
	};

	return p;
}

static enum om_bal_kind decide(const struct om_bal_self *s,
			       const struct om_bal_node *n, u32 nn,
			       const struct om_bal_proc *p, u32 np,
			       struct om_bal_decision *d)
{
	enum om_bal_kind k = om_bal_decide(&tun, s, n, nn, p, np, d);

	printf("#   -> kind %d pid %u target %u: %s\n", k, d->pid, d->target,
	       d->reason);
	return k;
}

static void test_decay_and_normalise(void)
{
	u32 v = 0, i;
	int ok = 1;

	for (i = 0; i < 2000; i++)
		v = om_bal_decay(v, 1000, OM_BAL_DECAY_SLOW);
	TAP_EXPECT(ok, v == 1000);
	v = om_bal_decay(1000, 0, OM_BAL_DECAY_SLOW);
	TAP_EXPECT(ok, v == 975);
	v = om_bal_decay(1000, 0, OM_BAL_DECAY_FAST);
	TAP_EXPECT(ok, v == 926);
	TAP_CHECK(ok, "decay: slow keeps 975 permille, fast 926, a constant is reached");
	ok = 1;
	TAP_EXPECT(ok, om_bal_proc_load(1000, OM_LOAD_STD_SPEED, 1) == F);
	TAP_EXPECT(ok, om_bal_proc_load(1000, OM_LOAD_STD_SPEED, 2) == F / 2);
	TAP_EXPECT(ok, om_bal_proc_load(1000, 2 * OM_LOAD_STD_SPEED, 1) == F / 2);
	TAP_EXPECT(ok, om_bal_proc_load(500, OM_LOAD_STD_SPEED, 1) == F / 2);
	TAP_EXPECT(ok, om_bal_proc_load(5000, OM_LOAD_STD_SPEED, 1) == F);
	TAP_CHECK(ok, "a process's load is normalised by speed and CPU count");
}

static void test_basic_balance(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n[2] = { mknode(2, 2 * F), mknode(3, 0) };
	struct om_bal_proc p[2] = { mkproc(10, 1, 1), mkproc(11, 1, 1) };
	struct om_bal_decision d;
	enum om_bal_kind k = decide(&s, n, 2, p, 2, &d);

	TAP_CHECK(k == OM_BAL_LOAD && d.target == 3 && d.gain_ms > 0 &&
		  !strncmp(d.reason, "load:", 5) && d.d_self == F &&
		  d.d_target == F,
		  "load: a CPU job goes to the least loaded node, with gain and reason");
}

static void test_hysteresis(void)
{
	struct om_bal_self s = mkself(1, 2 * F);
	struct om_bal_node n = mknode(2, F);
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	enum om_bal_kind k1, k2, k3;

	k1 = decide(&s, &n, 1, &p, 1, &d);
	/* 2.0 vs 1.0: one task per CPU apart, moving only swaps the roles */
	s.load = 3 * F;
	k2 = decide(&s, &n, 1, &p, 1, &d);
	/* 2.1 vs 0.8: target after = 1.8, margin 0.3 -> 2.1 < 2.1 fails */
	s.load = 2 * F + F / 10;
	n.load = F - F / 5;
	k3 = decide(&s, &n, 1, &p, 1, &d);
	TAP_CHECK(k1 == OM_BAL_NONE && k2 == OM_BAL_LOAD && k3 == OM_BAL_NONE,
		  "hysteresis: a move must leave the target clearly below us (min diff, 30%%)");
}

/* Property: with consistent views, a move is never answered by a move back */
static void test_no_pingpong(void)
{
	u64 seed = 12345;
	u32 i, moves = 0, back = 0;

	for (i = 0; i < 20000; i++) {
		struct om_bal_self a, b;
		struct om_bal_node nb, na;
		struct om_bal_proc p;
		struct om_bal_decision d;
		u32 r;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		r = (u32)(seed >> 33);
		a = mkself(1, r % (6 * F));
		a.cpus = 1 + (r >> 13) % 4;
		a.speed = 5000 + (r >> 15) % 20000;
		nb = mknode(2, (r >> 3) % (4 * F));
		nb.cpus = 1 + (r >> 17) % 4;
		nb.speed = 5000 + (r >> 19) % 20000;
		p = mkproc(1, 1, 1);
		p.demand = 300 + (r >> 7) % 701;
		if (om_bal_decide(&tun, &a, &nb, 1, &p, 1, &d) != OM_BAL_LOAD)
			continue;
		moves++;
		/* B's view after the move: it carries the load, A shed it */
		b = mkself(2, nb.load + d.d_target);
		b.cpus = nb.cpus;
		b.speed = nb.speed;
		na = mknode(1, a.load - d.d_self);
		na.cpus = a.cpus;
		na.speed = a.speed;
		p.where = 2;
		if (om_bal_decide(&tun, &b, &na, 1, &p, 1, &d) != OM_BAL_NONE)
			back++;
	}
	printf("# %u random moves, %u answered by a move back\n", moves, back);
	TAP_CHECK(moves > 1000 && back == 0,
		  "no ping-pong: 20000 random node pairs, no move is undone");
}

static void test_speed(void)
{
	struct om_bal_self s = mkself(1, 2 * F);
	struct om_bal_node slow = mknode(2, 0), fast = mknode(3, F / 2);
	struct om_bal_node both[2];
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	enum om_bal_kind k1, k2;

	slow.speed = OM_LOAD_STD_SPEED / 2;
	fast.speed = 2 * OM_LOAD_STD_SPEED;
	k1 = decide(&s, &slow, 1, &p, 1, &d);
	both[0] = slow;
	both[1] = fast;
	k2 = decide(&s, both, 2, &p, 1, &d);
	TAP_CHECK(k1 == OM_BAL_NONE && k2 == OM_BAL_LOAD && d.target == 3 &&
		  d.d_target == F / 2,
		  "speed: an idle half-speed node is no gain, a busy double-speed one is");
}

static void test_candidates_filter(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n = mknode(2, 0);
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	int ok = 1;

	p.cpu_ms = 100;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	p = mkproc(10, 1, 1);
	p.demand = 100;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "only processes that used enough CPU and want CPU move");

	ok = 1;
	p = mkproc(10, 1, 1);
	p.migs_min = OM_BAL_DEF_MAX_MIGS_MIN;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	p.migs_min = OM_BAL_DEF_MAX_MIGS_MIN - 1;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_LOAD);
	p.since_mig_ms = 1000;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "hysteresis per process: migrations per minute bounded, minimum residence");

	ok = 1;
	p = mkproc(10, 1, 1);
	p.flags = OM_BAL_P_LOCKED;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	p.flags = OM_BAL_P_CANTMOVE;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	p.flags = OM_BAL_P_INFLIGHT;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "locked, cantmove and in-flight processes are not moved");

	ok = 1;
	p = mkproc(10, 1, 1);
	n.age_ms = OM_BAL_DEF_MAX_AGE_MS + 1;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_EXPECT(ok, strstr(d.reason, "no fresh") != NULL);
	n = mknode(1, 0);	/* ourselves */
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "stale candidates and ourselves are ignored");
}

static void test_cost(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n = mknode(2, 0);
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	enum om_bal_kind k1, k2, k3;
	u32 c1;

	p.mem_kib = GIB;	/* 100 s at the default 10 MiB/s */
	n.mem_total = 4 * GIB;
	n.mem_free = 2 * GIB;
	k1 = decide(&s, &n, 1, &p, 1, &d);
	n.link_kibps = 1024 * 1024;	/* measured: 1 GiB/s */
	k2 = decide(&s, &n, 1, &p, 1, &d);
	c1 = d.cost_ms;
	/* a young process (short horizon) does not pay for a slow link */
	n.link_kibps = 0;
	p.mem_kib = 32 * MIB;
	p.age_ms = 1500;
	k3 = decide(&s, &n, 1, &p, 1, &d);
	TAP_CHECK(k1 == OM_BAL_NONE && k2 == OM_BAL_LOAD && c1 == 1050 &&
		  k3 == OM_BAL_NONE,
		  "cost: memory size over link throughput against the expected gain");
}

static void test_io(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n[2] = { mknode(2, 3 * F), mknode(3, 0) };
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	int ok = 1;
	u32 i;

	p.sys_rate = 500;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	p.sys_rate = 0;
	p.flags = OM_BAL_P_HINT_IO;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	p.sys_rate = 500;
	p.flags = OM_BAL_P_HINT_CPU;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_LOAD);
	TAP_CHECK(ok, "io: an I/O-bound (rate or iojob) process is not sent away; cpujob overrides");

	ok = 1;
	/* a guest from node 2 doing I/O goes home although 2 is busier */
	s.load = 0;
	p = mkproc(20, 2, 1);
	p.sys_rate = 1000;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_HOME);
	TAP_EXPECT(ok, d.target == 2 && d.pid == 20 && !strncmp(d.reason, "home:", 5));
	/* our own process running on 3 doing I/O: the home node brings it */
	p = mkproc(21, 1, 3);
	p.flags = OM_BAL_P_HINT_IO;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_HOME && d.target == 1);
	/* even with no fresh candidates at all */
	TAP_EXPECT(ok, decide(&s, NULL, 0, &p, 1, &d) == OM_BAL_HOME);
	p.flags |= OM_BAL_P_LOCKED;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "io: an I/O-bound process away from home is brought home (not if locked)");

	ok = 1;
	/*
	 * The demo's CPU job writes a line per round: 90 calls per second of
	 * its CPU, so 90/s alone on a node and 15/s at a busy home.  Per
	 * second of wall time it would be I/O-bound wherever it gets more
	 * than half a CPU, and was sent home from there at once; per CPU
	 * second it never is, whatever its share.
	 */
	s = mkself(2, F);
	n[0] = mknode(1, 4 * F);
	p = mkproc(30, 1, 2);
	for (i = 50; i <= 1000; i += 50) {
		p.run = i;
		p.demand = 1000;
		p.sys_rate = 90 * i / 1000;
		TAP_EXPECT(ok, decide(&s, n, 1, &p, 1, &d) == OM_BAL_NONE);
	}
	/* an I/O job waits for its calls: 300/s on a fifth of a CPU */
	p.run = 200;
	p.sys_rate = 300;
	TAP_EXPECT(ok, decide(&s, n, 1, &p, 1, &d) == OM_BAL_HOME && d.target == 1);
	TAP_EXPECT(ok, strstr(d.reason, " 1500 per CPU s") != NULL);
	/* not before it has resided min_residence_ms here */
	p.since_mig_ms = tun.min_residence_ms - 1;
	TAP_EXPECT(ok, decide(&s, n, 1, &p, 1, &d) == OM_BAL_NONE);
	/* a guest that used no CPU at all counts as I/O-bound */
	p.since_mig_ms = tun.min_residence_ms;
	p.run = 0;
	p.sys_rate = tun.io_rate;
	TAP_EXPECT(ok, decide(&s, n, 1, &p, 1, &d) == OM_BAL_HOME);
	TAP_EXPECT(ok, om_bal_cpu_rate(&p) == 0xffffffffU);
	/* below io_rate per second it stays, whatever per CPU second */
	p.sys_rate = tun.io_rate - 1;
	TAP_EXPECT(ok, decide(&s, n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "io: a guest goes home by calls per CPU second too: a CPU job writing a line a round never, an I/O job at once");
}

static void test_hints(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n[2] = { mknode(2, 3 * F), mknode(3, 0) };
	struct om_bal_proc p = mkproc(10, 1, 1), v;
	struct om_bal_tun t = tun;
	struct om_bal_decision d;
	char want[16];
	int ok = 1;

	TAP_EXPECT(ok, om_bal_hint_faded(&tun, 0) == 0);
	TAP_EXPECT(ok, om_bal_hint_faded(&tun, 1999) == 0);
	TAP_EXPECT(ok, om_bal_hint_faded(&tun, 2000) == 25);
	/* 0.975^54 = 0.255, 0.975^56 = 0.242 */
	TAP_EXPECT(ok, om_bal_hint_faded(&tun, 54 * 2000) == 745);
	TAP_EXPECT(ok, om_bal_hint_faded(&tun, 56 * 2000) == 758);
	TAP_EXPECT(ok, om_bal_hint_faded(&tun, 3600 * 1000) == 1000);
	TAP_EXPECT(ok, om_bal_hint_faded(&tun, ~0ULL) == 1000);
	t.hint_keep_permille = 1000;
	TAP_EXPECT(ok, om_bal_hint_faded(&t, ~0ULL) == 0);
	t.hint_keep_permille = 999;
	TAP_EXPECT(ok, om_bal_hint_faded(&t, ~0ULL) == 1000);
	t = tun;
	t.hint_interval_ms = 0;
	TAP_EXPECT(ok, om_bal_hint_faded(&t, 100000) == 0);
	TAP_CHECK(ok, "hint: keeps 975 permille per 2 s interval, gone after an hour, bounded work");

	ok = 1;
	p.flags = OM_BAL_P_HINT_IO | OM_BAL_P_LOCKED;
	p.sys_rate = 0;
	om_bal_hint_view(&tun, &p, &v);
	TAP_EXPECT(ok, v.sys_rate == 4 * tun.io_rate && v.flags == OM_BAL_P_LOCKED);
	TAP_EXPECT(ok, v.demand == p.demand);
	p.hint_faded = 750;	/* a quarter left: exactly io_rate */
	TAP_EXPECT(ok, om_bal_io_bound(&tun, &p));
	p.hint_faded = 751;
	TAP_EXPECT(ok, !om_bal_io_bound(&tun, &p));
	p.flags = OM_BAL_P_HINT_CPU;
	p.hint_faded = 0;
	p.sys_rate = 1000;
	p.demand = 500;
	om_bal_hint_view(&tun, &p, &v);
	TAP_EXPECT(ok, v.sys_rate == 0 && v.demand == 1000 && !v.flags);
	p.hint_faded = 500;
	om_bal_hint_view(&tun, &p, &p);
	TAP_EXPECT(ok, p.sys_rate == 500 && p.demand == 750 && !p.flags);
	TAP_CHECK(ok, "hint: iojob/cpujob blend into call rate and demand by the strength left");

	ok = 1;
	p = mkproc(10, 1, 1);
	p.flags = OM_BAL_P_HINT_IO;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	p.hint_faded = 900;	/* mostly faded: the CPU job it is shows */
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_LOAD);
	/* a cpujob that has used little of a CPU so far is a candidate */
	p = mkproc(10, 1, 1);
	p.demand = 100;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	p.flags = OM_BAL_P_HINT_CPU;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_LOAD && d.target == 3);
	TAP_EXPECT(ok, d.d_self == F);	/* a whole CPU's load, as hinted */
	p.hint_faded = 1000;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	/* an iojob guest goes home while the hint holds, not once it faded */
	s.load = 0;
	p = mkproc(20, 2, 1);
	p.flags = OM_BAL_P_HINT_IO;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_HOME && d.target == 2);
	/* the rate an iojob hint stands for: OM_BAL_HINT_IO_X times io_rate */
	snprintf(want, sizeof(want), " %u ", OM_BAL_DEF_IO_RATE * OM_BAL_HINT_IO_X);
	TAP_EXPECT(ok, strstr(d.reason, "(iojob)") && strstr(d.reason, want));
	p.hint_faded = 900;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "hint: iojob keeps a CPU job home and sends it home, cpujob moves it, both fade");
}

static void test_policies(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n[2] = { mknode(2, 0), mknode(3, F) };
	struct om_bal_proc local = mkproc(10, 1, 1), guest = mkproc(11, 3, 1);
	struct om_bal_proc both[2];
	struct om_bal_decision d;
	int ok = 1;

	both[0] = local;
	both[1] = guest;
	s.flags = OM_BAL_F_STAY;
	TAP_EXPECT(ok, decide(&s, n, 2, both, 2, &d) == OM_BAL_NONE);
	guest.sys_rate = 1000;
	TAP_EXPECT(ok, decide(&s, n, 2, &guest, 1, &d) == OM_BAL_NONE);
	guest.sys_rate = 0;
	TAP_CHECK(ok, "stay: nothing leaves automatically, not even an I/O-bound guest");

	ok = 1;
	s.flags = OM_BAL_F_LSTAY;
	TAP_EXPECT(ok, decide(&s, n, 2, &local, 1, &d) == OM_BAL_NONE);
	TAP_EXPECT(ok, decide(&s, n, 2, both, 2, &d) == OM_BAL_LOAD && d.pid == 11);
	TAP_CHECK(ok, "lstay: local processes stay, guests may move on");

	ok = 1;
	s.flags = 0;
	n[0].flags = OM_BAL_N_BLOCK;
	TAP_EXPECT(ok, decide(&s, n, 2, &local, 1, &d) == OM_BAL_LOAD && d.target == 3);
	/* home takes its own back even when it blocks guests */
	n[1].flags = OM_BAL_N_BLOCK;
	n[1].load = 0;
	TAP_EXPECT(ok, decide(&s, n, 2, &guest, 1, &d) == OM_BAL_LOAD && d.target == 3);
	TAP_CHECK(ok, "block: a blocked node gets no guests, but takes its own back");

	ok = 1;
	s.flags = OM_BAL_F_BLOCK;
	TAP_EXPECT(ok, !om_bal_accept_guest(&s));
	s.flags = OM_BAL_F_QUIET;
	TAP_EXPECT(ok, om_bal_accept_guest(&s));
	s.load_limit = 2 * F;
	TAP_EXPECT(ok, !om_bal_accept_guest(&s));
	s.load = F;
	TAP_EXPECT(ok, om_bal_accept_guest(&s));
	TAP_CHECK(ok, "accept: block and load_limit refuse guests, quiet does not");
}

static void test_nodelist(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n[2] = { mknode(2, 0), mknode(3, F) };
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	int ok = 1;

	p.nodes[0] = 3;
	p.n_nodes = 1;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_LOAD && d.target == 3);
	p.nodes[0] = 2;
	p.flags = OM_BAL_P_DENY;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_LOAD && d.target == 3);
	p.nodes[1] = 3;
	p.n_nodes = 2;
	TAP_EXPECT(ok, decide(&s, n, 2, &p, 1, &d) == OM_BAL_NONE);
	TAP_EXPECT(ok, om_bal_node_allowed(&p, 1));	/* home */
	TAP_CHECK(ok, "allowed/denied node lists are respected, home is always allowed");
}

static void test_usher(void)
{
	struct om_bal_self s = mkself(1, F);
	struct om_bal_node n[2] = { mknode(2, 0), mknode(3, 3 * F) };
	struct om_bal_proc p[3] = {
		mkproc(10, 1, 1), mkproc(11, 1, 1), mkproc(12, 1, 1),
	};
	struct om_bal_decision d;
	int ok = 1;

	s.mem_free = 50 * MIB;		/* threshold: 102 MiB */
	n[0].mem_free = 100 * MIB;	/* too little room for any */
	n[1].mem_free = 2 * GIB;
	n[1].mem_total = 4 * GIB;
	p[0].mem_kib = 30 * MIB;
	p[1].mem_kib = 80 * MIB;
	p[2].mem_kib = 300 * MIB;
	p[1].since_mig_ms = 0;		/* emergency: residence ignored */
	TAP_EXPECT(ok, decide(&s, n, 2, p, 3, &d) == OM_BAL_USHER);
	TAP_EXPECT(ok, d.pid == 11 && d.target == 3);
	TAP_EXPECT(ok, !strncmp(d.reason, "usher:", 6));
	TAP_CHECK(ok, "usher: low free memory moves the smallest sufficient process to free memory, load ignored");

	ok = 1;
	p[1].flags = OM_BAL_P_LOCKED;
	p[0].mem_kib = 20 * MIB;
	p[2].mem_kib = 3 * GIB;		/* fits nowhere */
	TAP_EXPECT(ok, decide(&s, n, 2, p, 3, &d) == OM_BAL_USHER && d.pid == 10);
	n[1].mem_free = 100 * MIB;
	TAP_EXPECT(ok, decide(&s, n, 2, p, 3, &d) != OM_BAL_USHER);
	TAP_CHECK(ok, "usher: else the largest that fits, nothing if no node has room");

	ok = 1;
	n[1].mem_free = 2 * GIB;
	p[0].mem_kib = OM_BAL_USHER_MIN_MOVE_KIB - 1;
	p[1].flags = 0;
	p[1].mem_kib = 1024;
	p[2].mem_kib = 2048;
	TAP_EXPECT(ok, decide(&s, n, 2, p, 3, &d) != OM_BAL_USHER);
	p[0].mem_kib = OM_BAL_USHER_MIN_MOVE_KIB;
	TAP_EXPECT(ok, decide(&s, n, 2, p, 3, &d) == OM_BAL_USHER && d.pid == 10);
	TAP_CHECK(ok, "usher: no process under 4 MiB is moved (nothing it frees matters)");
}

static void test_load_limit(void)
{
	struct om_bal_self s = mkself(1, 3 * F / 2);
	struct om_bal_node n = mknode(2, 0);
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	enum om_bal_kind k1, k2;

	p.mem_kib = 200 * MIB;	/* 20 s to move: no gain */
	p.age_ms = 3000;
	k1 = decide(&s, &n, 1, &p, 1, &d);
	s.load_limit = F;
	k2 = decide(&s, &n, 1, &p, 1, &d);
	TAP_CHECK(k1 == OM_BAL_NONE && k2 == OM_BAL_LIMIT && d.target == 2 &&
		  !strncmp(d.reason, "limit:", 6),
		  "load_limit: above the limit a process is pushed away without gain");
}

static void test_mem_and_consent(void)
{
	struct om_bal_self s = mkself(1, 4 * F), tgt = mkself(2, 0);
	struct om_bal_node n = mknode(2, 0);
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	int ok = 1;

	n.mem_free = 100 * MIB;		/* 8 MiB more would cross 102 MiB */
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_NONE);
	TAP_CHECK(ok, "load: never push a target below its ushering threshold");

	ok = 1;
	n.mem_free = GIB / 2;
	TAP_EXPECT(ok, decide(&s, &n, 1, &p, 1, &d) == OM_BAL_LOAD);
	TAP_EXPECT(ok, om_bal_accept_move(&tun, &tgt, s.load, &d, 1, p.mem_kib,
					  NULL, 0));
	tgt.load = 3 * F;	/* others got there first */
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, s.load, &d, 1, p.mem_kib,
					   NULL, 0));
	tgt.node = 1;		/* but a process coming home is always taken */
	TAP_EXPECT(ok, om_bal_accept_move(&tun, &tgt, s.load, &d, 1, p.mem_kib,
					  NULL, 0));
	TAP_CHECK(ok, "consent: the target re-checks the move on its fresh load; home always accepts");
}

/* The target's refusals name what it saw; an acceptance leaves why empty */
static void test_consent_reasons(void)
{
	struct om_bal_self tgt = mkself(2, 1434);	/* 1.40 */
	struct om_bal_decision d = { .kind = OM_BAL_LOAD, .target = 2,
				     .d_self = F, .d_target = F };
	char why[128], small[12];
	int ok = 1;

	/* 1.40 + 1.00 + 0.29 (307/1024) > 2.00 */
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 2 * F, &d, 1, 8 * MIB,
					   why, sizeof(why)));
	printf("# %s\n", why);
	TAP_EXPECT(ok, !strcmp(why, "node 2 would be too loaded: 1.40 + 1.00 + margin 0.29 vs sender 2.00"));
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 2 * F, &d, 1, 8 * MIB,
					   small, sizeof(small)) &&
		   strlen(small) == sizeof(small) - 1);
	/* exactly the margin below the sender: taken */
	tgt.load = F;
	TAP_EXPECT(ok, om_bal_accept_move(&tun, &tgt, 2 * F + 307, &d, 1,
					  8 * MIB, why, sizeof(why)) && !why[0]);
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 2 * F + 306, &d, 1,
					   8 * MIB, why, sizeof(why)) && why[0]);
	/* LIMIT: strictly below the sender, no margin */
	d.kind = OM_BAL_LIMIT;
	TAP_EXPECT(ok, om_bal_accept_move(&tun, &tgt, 2 * F + 1, &d, 1, 8 * MIB,
					  why, sizeof(why)));
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 2 * F, &d, 1, 8 * MIB,
					   why, sizeof(why)));
	printf("# %s\n", why);
	TAP_EXPECT(ok, !strcmp(why, "node 2 would not be below the sender: 1.00 + 1.00 vs sender 2.00"));
	/* USHER: memory only, whatever the loads */
	d.kind = OM_BAL_USHER;
	tgt.load = 9 * F;
	TAP_EXPECT(ok, om_bal_accept_move(&tun, &tgt, 0, &d, 1, 400 * MIB,
					  why, sizeof(why)));
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 0, &d, 1, 450 * MIB,
					   why, sizeof(why)));
	printf("# %s\n", why);
	TAP_EXPECT(ok, !strcmp(why, "node 2 would be short of memory: 512 MiB free, 450 MiB more, keeps 102 MiB"));
	/* a guest at all: block, then load_limit on the fresh load */
	tgt.load_limit = 9 * F;
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 0, &d, 1, MIB, why,
					   sizeof(why)));
	printf("# %s\n", why);
	TAP_EXPECT(ok, !strcmp(why, "node 2 is at its load limit: 9.00 >= 9.00"));
	tgt.flags = OM_BAL_F_BLOCK;
	TAP_EXPECT(ok, !om_bal_accept_move(&tun, &tgt, 0, &d, 1, MIB, why,
					   sizeof(why)) &&
		   !strcmp(why, "node 2 takes no guests (blocked)"));
	TAP_EXPECT(ok, om_bal_accept_move(&tun, &tgt, 0, &d, 2, MIB, why,
					  sizeof(why)) && !why[0]);
	TAP_CHECK(ok, "consent: refusals name the loads (load with margin, limit strictly below), memory, limit or block; home always");
}

static void test_herd(void)
{
	struct om_bal_self s = mkself(1, 4 * F);
	struct om_bal_node n[4] = {
		mknode(2, 0), mknode(3, 0), mknode(4, F / 8), mknode(5, 2 * F),
	};
	struct om_bal_proc p = mkproc(10, 1, 1);
	struct om_bal_decision d;
	u32 r, seen = 0;
	int ok = 1;

	n[1].mem_free = MIB;	/* no room: never drawn */
	for (r = 1; r <= 64; r++) {
		s.rnd = r * 2654435761U;
		if (om_bal_decide(&tun, &s, n, 4, &p, 1, &d) != OM_BAL_LOAD)
			ok = 0;
		seen |= 1u << d.target;
	}
	printf("# targets drawn: mask 0x%x\n", seen);
	TAP_EXPECT(ok, seen == ((1u << 2) | (1u << 4)));
	TAP_CHECK(ok, "herd: senders draw among the good targets by rnd (not a full or a worse one)");
}

static void test_pick_nodes(void)
{
	struct om_load_entry self = { .node = 1, .cpus = 1, .gen = 1 };
	struct om_load_table lt;
	struct om_bal_node out[8];
	u32 i, n;
	int ok = 1;

	if (om_load_table_init(&lt, &self, 64, 30)) {
		TAP_CHECK(0, "pick: table init");
		return;
	}
	for (i = 2; i <= 40; i++) {
		struct om_load_entry e = {
			.node = (u16)i, .addr = i, .gen = 5, .cpus = 1,
			.speed = OM_LOAD_STD_SPEED, .load = (40 - i) * 100,
			.age = i == 40 ? 31 : 1, .mem_total = GIB,
			.mem_free = i == 7 ? GIB : MIB,
		};

		om_load_merge(&lt, &e, 1);
	}
	n = om_bal_pick_nodes(&lt, 30, 1000, out, 8);
	TAP_EXPECT(ok, n == 8);
	/* 40 is stale; the six least loaded are 39..34 in load order */
	for (i = 0; i < 6; i++)
		TAP_EXPECT(ok, out[i].node == 39 - i && out[i].age_ms == 1000);
	TAP_EXPECT(ok, out[6].node == 7);	/* most free memory */
	for (i = 0; i < n; i++)
		TAP_EXPECT(ok, out[i].node != 40);
	TAP_CHECK(ok, "pick: fresh least loaded candidates plus the most free memory");
	om_load_table_destroy(&lt);
}

int main(void)
{
	printf("TAP version 13\n");
	om_bal_tun_default(&tun);
	test_decay_and_normalise();
	test_basic_balance();
	test_hysteresis();
	test_no_pingpong();
	test_speed();
	test_candidates_filter();
	test_cost();
	test_io();
	test_hints();
	test_policies();
	test_nodelist();
	test_usher();
	test_load_limit();
	test_mem_and_consent();
	test_consent_reasons();
	test_herd();
	test_pick_nodes();
	return tap_done();
}
