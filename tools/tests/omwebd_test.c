// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwebd's parts without a server: input checks, settings, the message
 * cleaner, the history ring, and a snapshot fed with fake kernel replies
 * (built with libnl as the module would) through the daemon's own
 * callbacks, written out as /metrics text and history JSON for the shell
 * test to parse (DIR/metrics.txt, DIR/metrics-unloaded.txt,
 * DIR/history.json).  Prints TAP.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>

#include "omwebd.h"

static int n, failed;
static const char *dir;

static void ok(int cond, const char *desc)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - omwebd unit: %s\n", cond ? "" : "not ", n, desc);
	fflush(stdout);
}

static void test_paths(void)
{
	static const char *const good[] = {
		"/", "/index.html", "/api/procs/12/lock", "/a.b/c..d/.e", "/api/",
	};
	static const char *const bad[] = {
		"", "x", "/..", "/../etc/passwd", "/a/../b", "/a/./b", "/.", "/a//b",
		"/a\\..\\b", "/a\x01", "/a\x7f", "//etc/passwd", "/a/..",
	};
	char buf[64];

	for (unsigned int i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(buf, sizeof(buf), "path \"%s\" accepted", good[i]);
		ok(omw_path_ok(good[i]), buf);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf), "path #%u refused", i);
		ok(!omw_path_ok(bad[i]), buf);
	}
}

static void test_unescape(void)
{
	static const char *const cases[][2] = {
		{ "/%2e%2e/x", "/../x" },
		{ "/%2E%2e%2F", "/../" },
		{ "/a%00b", "/a%00b" },		/* a NUL must not cut the path */
		{ "/a%zzb%4", "/a%zzb%4" },
		{ "/%41%62c", "/Abc" },
		{ "%", "%" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[64], desc[96];
		size_t len;

		snprintf(buf, sizeof(buf), "%s", cases[i][0]);
		len = omw_unescape(buf);
		snprintf(desc, sizeof(desc), "unescape \"%s\" -> \"%s\"", cases[i][0], cases[i][1]);
		ok(!strcmp(buf, cases[i][1]) && len == strlen(cases[i][1]), desc);
	}
	{
		char buf[] = "/%2e%2e/%2e%2e/etc/passwd";

		omw_unescape(buf);
		ok(!omw_path_ok(buf), "encoded traversal refused after unescaping");
	}
}

static void test_host(void)
{
	static const char *const good[] = {
		"localhost", "localhost:4661", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:4661",
		"127.1.2.3:80", "[::1]", "[::1]:4661",
	};
	static const char *const bad[] = {
		"", "evil.example", "evil.example:4661", "127.0.0.1.evil.example",
		"localhost.evil", "127.0.0.1:", "127.0.0.1:abc", "10.0.0.1:4661", "[::2]:1",
		"[::1", "localhost:4661:1", "127.0.0.1:123456",
	};
	char buf[96];

	for (unsigned int i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(buf, sizeof(buf), "Host \"%s\" accepted", good[i]);
		ok(omw_host_ok(good[i]), buf);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf), "Host \"%s\" refused", bad[i]);
		ok(!omw_host_ok(bad[i]), buf);
	}
}

static void test_listen(void)
{
	static const char *const good[] = {
		"127.0.0.1:4661", "0.0.0.0:0", "[::1]:80", "10.77.0.1:65535",
	};
	static const char *const bad[] = {
		"127.0.0.1", "127.0.0.1:65536", "127.0.0.1:-1", ":4661", "localhost:4661",
		"[::1]4661", "[::1]:", "1.2.3.4:80x", "[]:1", "127.0.0.1: 1",
	};
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[96];

	for (unsigned int i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(buf, sizeof(buf), "listen \"%s\" accepted", good[i]);
		ok(!omw_parse_listen(good[i], &ss, &len), buf);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf), "listen \"%s\" refused", bad[i]);
		ok(omw_parse_listen(bad[i], &ss, &len), buf);
	}
	omw_parse_listen("127.0.0.9:5", &ss, &len);
	ok(omw_addr_is_loopback(&ss), "127.0.0.9 is loopback");
	omw_parse_listen("10.77.0.1:5", &ss, &len);
	ok(!omw_addr_is_loopback(&ss), "10.77.0.1 is not loopback");
	omw_parse_listen("[::1]:5", &ss, &len);
	ok(omw_addr_is_loopback(&ss), "[::1] is loopback");
}

static void test_config(void)
{
	char path[512];
	struct omw_config c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/test.conf", dir);
	f = fopen(path, "w");
	fputs("# a comment\nKEY_FILE=/etc/openmosix/cluster.key\n"
	      "OMWEBD_LISTEN=\"10.77.0.1:8080\"  # trailing comment\n"
	      "  OMWEBD_USER=www-data\n\nSPEED=12000\n", f);
	fclose(f);
	memset(&c, 0, sizeof(c));
	ok(!omw_config_read(path, true, &c) && !strcmp(c.listen, "10.77.0.1:8080") &&
	   !strcmp(c.user, "www-data") && !c.token_file[0],
	   "config: OMWEBD_* read, quotes and comments stripped, other keys ignored");
	memset(&c, 0, sizeof(c));
	snprintf(c.listen, sizeof(c.listen), "127.0.0.1:1");
	c.listen_set = true;
	ok(!omw_config_read(path, true, &c) && !strcmp(c.listen, "127.0.0.1:1"),
	   "config: the command line wins");
	f = fopen(path, "w");
	fputs("OMWEBD_LISTEN=127.0.0.1:1\nrm -rf /\n", f);
	fclose(f);
	memset(&c, 0, sizeof(c));
	ok(omw_config_read(path, true, &c) == -1, "config: a line that is not KEY=VALUE refused");
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	ok(omw_config_read(path, false, &c) == 0, "config: a missing default file is fine");
	ok(omw_config_read(path, true, &c) == -1, "config: a missing --config file is not");
}

static void test_clean(void)
{
	static const char in[] = "omctl: proc lock: No such process\nomctl: second\x01line\n";
	char buf[64];

	omw_clean_message(in, sizeof(in) - 1, buf, sizeof(buf));
	ok(!strcmp(buf, "proc lock: No such process; second?line"),
	   "message: omctl: prefixes dropped, lines joined, control bytes replaced");
	omw_clean_message(in, sizeof(in) - 1, buf, 10);
	ok(strlen(buf) == 9, "message: cut to the buffer");
}

/* ---- fake kernel replies ---- */

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 42, 0, 0, cmd, OM_GENL_VERSION);
	return m;
}

static void parse(struct nl_msg *m, struct nlattr **tb)
{
	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, OM_A_MAX, NULL) < 0)
		abort();
}

static void put_node(struct nl_msg *m, uint16_t id, const char *addr, uint8_t state,
		     uint32_t flags, uint32_t load, uint64_t heard)
{
	struct nlattr *nest = nla_nest_start(m, OM_A_NODE);
	struct in_addr in;

	inet_pton(AF_INET, addr, &in);
	nla_put_u16(m, OM_NA_ID, id);
	nla_put_u32(m, OM_NA_ADDR, in.s_addr);
	nla_put_u16(m, OM_NA_PORT, 5428);
	nla_put_u8(m, OM_NA_STATE, state);
	nla_put_u32(m, OM_NA_FLAGS, flags);
	nla_put_u32(m, OM_NA_LOAD, load);
	nla_put_u32(m, OM_NA_RUNNABLE, 2);
	nla_put_u32(m, OM_NA_CPUS, 4);
	nla_put_u32(m, OM_NA_SPEED, 10000);
	nla_put_u64(m, OM_NA_MEM_TOTAL, 4ull << 30);
	nla_put_u64(m, OM_NA_MEM_FREE, 3ull << 29);
	nla_put_u64(m, OM_NA_UPTIME, 3600 + id);
	if (state != OM_NODE_SELF)
		nla_put_u64(m, OM_NA_LAST_HEARD, heard);
	nla_nest_end(m, nest);
}

static void feed(struct nl_msg *m, om_nl_cb cb, struct omw_snap *s)
{
	struct nlattr *tb[OM_A_MAX + 1];

	parse(m, tb);
	cb(tb, s);
	nlmsg_free(m);
}

static void put_proc(struct nl_msg *m, uint32_t pid, uint16_t where, uint16_t home,
		     bool guest)
{
	struct nlattr *nest = nla_nest_start(m, OM_A_PROC);

	nla_put_u32(m, OM_PA_PID, pid);
	nla_put_u16(m, OM_PA_WHERE, where);
	nla_put_u16(m, OM_PA_HOME, home);
	nla_put_u32(m, OM_PA_NMIGS, where != home);
	nla_put_u32(m, OM_PA_UID, 0);
	nla_put_string(m, OM_PA_COMM, "job");
	if (guest) {
		nla_put_flag(m, OM_PA_GUEST);
		nla_put_u32(m, OM_PA_HOME_PID, 99);
	}
	nla_nest_end(m, nest);
}

static void fake_snapshot(struct omw_snap *s)
{
	struct nl_msg *m;
	struct nlattr *st;

	memset(s, 0, sizeof(*s));
	if (omw_snap_alloc(s))
		abort();
	m = reply(OM_CMD_GET_STATUS);
	put_node(m, 1, "10.77.0.1", OM_NODE_SELF, OM_NF_STATIC | OM_NF_SELF, 137, 0);
	nla_put_u32(m, OM_A_NODES_TOTAL, 3);
	nla_put_u32(m, OM_A_NODES_UP, 2);
	nla_put_u8(m, OM_A_KEY_SET, 1);
	nla_put_string(m, OM_A_VERSION, "9.8.7 \"test\"\\");
	st = nla_nest_start(m, OM_A_STATS);
	nla_put_u64(m, OM_SA_RX_FRAMES, 1234);
	nla_put_u64(m, OM_SA_TX_FRAMES, 5678);
	nla_put_u64(m, OM_SA_RX_BAD_AUTH, 3);
	nla_nest_end(m, st);
	feed(m, omw_snap_status_cb, s);
	m = reply(OM_CMD_GET_NODE);
	put_node(m, 1, "10.77.0.1", OM_NODE_SELF, OM_NF_STATIC | OM_NF_SELF, 137, 0);
	feed(m, omw_snap_node_cb, s);
	m = reply(OM_CMD_GET_NODE);
	put_node(m, 2, "10.77.0.2", OM_NODE_UP, OM_NF_DISCOVERED, 250, 1500);
	feed(m, omw_snap_node_cb, s);
	m = reply(OM_CMD_GET_NODE);
	put_node(m, 3, "10.77.0.3", OM_NODE_DOWN, OM_NF_STATIC | OM_NF_BLOCKED, 0, 61000);
	feed(m, omw_snap_node_cb, s);
	/* two of ours at home, one on node 2, one guest from node 3 */
	m = reply(OM_CMD_GET_PROC);
	put_proc(m, 100, 1, 1, false);
	feed(m, omw_snap_proc_cb, s);
	m = reply(OM_CMD_GET_PROC);
	put_proc(m, 101, 1, 1, false);
	feed(m, omw_snap_proc_cb, s);
	m = reply(OM_CMD_GET_PROC);
	put_proc(m, 102, 2, 1, false);
	feed(m, omw_snap_proc_cb, s);
	m = reply(OM_CMD_GET_PROC);
	put_proc(m, 103, 1, 3, true);
	feed(m, omw_snap_proc_cb, s);
	s->loaded = true;
}

static void write_file(const char *name, void (*fn)(FILE *f, void *arg), void *arg)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fn(f, arg);
	fclose(f);
}

static struct omw_counters counters = {
	.mig_events = { [OM_MEV_ARRIVED] = 4, [OM_MEV_FAILED] = 1 },
	.requests = 10, .refused = 2, .sse_clients = 1,
};

static void metrics_out(FILE *f, void *arg)
{
	omw_metrics(f, arg, &counters);
}

static void test_snapshot(void)
{
	struct omw_snap s, none = { 0 };

	fake_snapshot(&s);
	ok(s.has_self && s.self == 1 && s.nodes_total == 3 && s.nodes_up == 2 && s.key_set,
	   "snapshot: status reply read (self, totals, key)");
	ok(s.nnodes == 3 && s.nodes[1].id == 2 && s.nodes[2].flags & OM_NF_BLOCKED,
	   "snapshot: node replies read through om_node_parse");
	ok(s.nprocs == 4 && s.procs[2].where == 2 && s.procs[3].guest,
	   "snapshot: proc replies read through om_proc_parse");
	ok(s.status_json && strstr(s.status_json, "\"nodes_total\":3") &&
	   !strchr(s.status_json, '\n'), "snapshot: status JSON is omctl -j status, one line");
	ok(s.nstats == 3 && !strcmp(s.stats[0].name, "rx_frames") && s.stats[0].val == 1234 &&
	   !strcmp(s.stats[2].name, "rx_bad_auth") && s.stats[2].val == 3,
	   "snapshot: transport counters parsed from omctl's stats object");
	write_file("metrics.txt", metrics_out, &s);
	snprintf(none.error, sizeof(none.error), "%s", OMW_NOT_LOADED);
	write_file("metrics-unloaded.txt", metrics_out, &none);
	omw_snap_free(&s);
	ok(!s.nodes && !s.procs && !s.status_json, "snapshot: freed");
}

static void test_history(void)
{
	static struct omw_hist h;
	struct om_node_info nodes[OMW_HIST_NODES + 2];
	char path[512];
	FILE *f;

	memset(nodes, 0, sizeof(nodes));
	for (unsigned int i = 0; i < OMW_HIST_NODES + 2; i++) {
		nodes[i].id = i + 1;
		nodes[i].state = OM_NODE_UP;
		nodes[i].load = 10 * (i + 1);
	}
	nodes[0].state = OM_NODE_SELF;
	/* 400 samples: the ring keeps the newest 360 */
	for (unsigned int k = 0; k < 400; k++) {
		nodes[1].state = k % 2 ? OM_NODE_DOWN : OM_NODE_UP;
		nodes[0].load = k;
		omw_hist_add(&h, 1000000 + k * 10000ULL, nodes, 3);
	}
	ok(h.count == OMW_HIST_SAMPLES, "history: the ring holds an hour of samples");
	/* more nodes than rows: the newcomers beyond the bound are left out */
	omw_hist_add(&h, 5000000, nodes, OMW_HIST_NODES + 2);
	{
		unsigned int used = 0;

		for (unsigned int i = 0; i < OMW_HIST_NODES; i++)
			used += h.s[i].used;
		ok(used == OMW_HIST_NODES, "history: rows bounded");
	}
	snprintf(path, sizeof(path), "%s/history.json", dir);
	f = fopen(path, "w");
	jw_set_output(f);
	json = true;
	omw_hist_json(&h);
	jw_end();
	jw_set_output(NULL);
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: omwebd_test DIR\n");
		return 1;
	}
	dir = argv[1];
	test_paths();
	test_unescape();
	test_host();
	test_listen();
	test_config();
	test_clean();
	test_snapshot();
	test_history();
	return failed ? 1 : 0;
}
