// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl's renderers fed with fake kernel replies (built with libnl as the
 * module would), so text and JSON output are tested without the module.
 * Writes DIR/{list,status,pretty}.json, DIR/events.jsonl, DIR/NAME.txt for
 * the shell test to validate; prints TAP.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>

#include "../omctl/omctl.h"

static int n, failed;
static const char *dir;

static void ok(int cond, const char *desc)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - render: %s\n", cond ? "" : "not ", n, desc);
	fflush(stdout);
}

static void put_node(struct nl_msg *m, uint16_t id, const char *addr,
		     uint8_t state, uint32_t flags, uint64_t heard)
{
	struct nlattr *nest = nla_nest_start(m, OM_A_NODE);
	struct in_addr in;

	inet_pton(AF_INET, addr, &in);
	nla_put_u16(m, OM_NA_ID, id);
	nla_put_u32(m, OM_NA_ADDR, in.s_addr);
	nla_put_u16(m, OM_NA_PORT, 5428);
	nla_put_u8(m, OM_NA_STATE, state);
	nla_put_u32(m, OM_NA_FLAGS, flags);
	nla_put_u32(m, OM_NA_LOAD, 137);
	nla_put_u32(m, OM_NA_RUNNABLE, 2);
	nla_put_u32(m, OM_NA_CPUS, 4);
	nla_put_u32(m, OM_NA_SPEED, 10000);
	nla_put_u64(m, OM_NA_MEM_TOTAL, 4ull << 30);
	nla_put_u64(m, OM_NA_MEM_FREE, 3ull << 29);
	nla_put_u64(m, OM_NA_UPTIME, 3600);
	if (state != OM_NODE_SELF)
		nla_put_u64(m, OM_NA_LAST_HEARD, heard);
	if (id == 2) {
		/* a multi-homed node: repeated OM_NA_ALIAS */
		inet_pton(AF_INET, "10.88.0.2", &in);
		nla_put_u32(m, OM_NA_ALIAS, in.s_addr);
		inet_pton(AF_INET, "10.89.0.2", &in);
		nla_put_u32(m, OM_NA_ALIAS, in.s_addr);
	}
	nla_nest_end(m, nest);
}

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

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Run fn with stdout redirected to DIR/name; returns the file's text. */
static char *capture(const char *name, void (*fn)(void))
{
	static char path[512];
	FILE *saved;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fflush(stdout);
	fd = dup(1);
	saved = freopen(path, "w", stdout);
	if (!saved)
		abort();
	fn();
	fflush(stdout);
	dup2(fd, 1);
	close(fd);
	return slurp(path);
}

static struct nl_msg *nodes[3];

static void make_nodes(void)
{
	nodes[0] = reply(OM_CMD_GET_NODE);
	put_node(nodes[0], 1, "10.77.0.1", OM_NODE_SELF, OM_NF_STATIC | OM_NF_SELF, 0);
	nodes[1] = reply(OM_CMD_GET_NODE);
	put_node(nodes[1], 2, "10.77.0.2", OM_NODE_UP, OM_NF_DISCOVERED, 900);
	nodes[2] = reply(OM_CMD_GET_NODE);
	put_node(nodes[2], 65535, "10.77.0.255", OM_NODE_DOWN,
		 OM_NF_STATIC | OM_NF_BLOCKED, 123456);
}

static void list_json(void)
{
	struct nlattr *tb[OM_A_MAX + 1];
	struct om_node_info ni;

	jw_open_arr(NULL);
	for (int i = 0; i < 3; i++) {
		parse(nodes[i], tb);
		om_node_parse(tb[OM_A_NODE], &ni);
		om_node_json(NULL, &ni);
	}
	jw_close_arr();
	jw_end();
}

static void list_text(void)
{
	struct nlattr *tb[OM_A_MAX + 1];
	struct om_node_info ni;

	om_node_table_head();
	for (int i = 0; i < 3; i++) {
		parse(nodes[i], tb);
		om_node_parse(tb[OM_A_NODE], &ni);
		om_node_table_row(&ni);
	}
}

static void show_text(void)
{
	struct nlattr *tb[OM_A_MAX + 1];
	struct om_node_info ni;

	parse(nodes[1], tb);
	om_node_parse(tb[OM_A_NODE], &ni);
	om_node_show(&ni);
}

static struct nl_msg *status_msg;

static void make_status(void)
{
	struct nlattr *st;

	status_msg = reply(OM_CMD_GET_STATUS);
	put_node(status_msg, 1, "10.77.0.1", OM_NODE_SELF, OM_NF_SELF, 0);
	nla_put_u32(status_msg, OM_A_NODES_TOTAL, 3);
	nla_put_u32(status_msg, OM_A_NODES_UP, 2);
	nla_put_u8(status_msg, OM_A_KEY_SET, 1);
	/* hostile version string: quotes, backslash, control bytes */
	nla_put_string(status_msg, OM_A_VERSION, "9.8.7-test \"q\" \\ \t\x01\x7f");
	st = nla_nest_start(status_msg, OM_A_STATS);
	for (int i = 1; i <= OM_SA_UNKNOWN_PEER; i++)
		nla_put_u64(status_msg, i, 1000 + i);
	nla_put_u64(status_msg, OM_SA_MAX + 5, 7);	/* a future counter */
	nla_nest_end(status_msg, st);
}

static void status_out(void)
{
	struct nlattr *tb[OM_A_MAX + 1];

	parse(status_msg, tb);
	om_status_print(tb, NULL);
}

static void events_out(void)
{
	for (int ev = OM_EV_NODE_ADDED; ev <= OM_EV_NODE_UNBLOCKED + 1; ev++) {
		struct nl_msg *m = reply(OM_CMD_NODE_EVENT);
		struct nlattr *tb[OM_A_MAX + 1];

		nla_put_u8(m, OM_A_EVENT, ev);
		put_node(m, 3, "10.77.0.3", OM_NODE_UP, OM_NF_DISCOVERED, 10);
		parse(m, tb);
		om_event_print(tb, NULL);
		nlmsg_free(m);
	}
}

/* A process: pid 4242 at home on node 1, a guest from node 3, one that cannot move */
static void put_proc(struct nl_msg *m, uint32_t pid, int kind)
{
	struct nlattr *nest = nla_nest_start(m, OM_A_PROC);

	nla_put_u32(m, OM_PA_PID, pid);
	nla_put_u16(m, OM_PA_WHERE, 1);
	nla_put_u16(m, OM_PA_HOME, kind == 1 ? 3 : 1);
	nla_put_u32(m, OM_PA_NMIGS, kind == 1 ? 2 : 0);
	nla_put_u8(m, OM_PA_LOCKED, kind == 2);
	nla_put_u32(m, OM_PA_UID, kind == 2 ? 0 : 65534);
	nla_put_string(m, OM_PA_COMM, kind == 2 ? "sh \"x\"" : "sleep");
	if (kind == 1) {
		nla_put_u64(m, OM_PA_AWAY_MS, 12345);
		nla_put_flag(m, OM_PA_GUEST);
		nla_put_u32(m, OM_PA_HOME_PID, 777);
	}
	if (kind == 2) {
		nla_put_string(m, OM_PA_CANTMOVE, "multi-threaded (2 threads)");
		/* a policy: iojob, allowed on 3 and 5 */
		nla_put_u8(m, OM_PA_HINT, OM_HINT_IO);
		nla_put_u16(m, OM_PA_HINT_LEFT, 625);
		nla_put_u8(m, OM_PA_NODE_POLICY, OM_NODES_ALLOW);
		nla_put_u16(m, OM_PA_NODE, 3);
		nla_put_u16(m, OM_PA_NODE, 5);
	}
	if (kind == 1) {
		nla_put_u8(m, OM_PA_NODE_POLICY, OM_NODES_DENY);
		nla_put_u16(m, OM_PA_NODE, 2);
	}
	nla_nest_end(m, nest);
}

static struct nl_msg *procs[3];

static void make_procs(void)
{
	for (int i = 0; i < 3; i++) {
		procs[i] = reply(OM_CMD_GET_PROC);
		put_proc(procs[i], 4242 + i, i);
	}
}

static void proc_list_out(void)
{
	struct nlattr *tb[OM_A_MAX + 1];
	struct om_proc_info p;

	if (json)
		jw_open_arr(NULL);
	else
		om_proc_table_head();
	for (int i = 0; i < 3; i++) {
		parse(procs[i], tb);
		if (om_proc_parse(tb[OM_A_PROC], &p))
			abort();
		if (json)
			om_proc_json(NULL, &p);
		else
			om_proc_table_row(&p);
	}
	if (json) {
		jw_close_arr();
		jw_end();
	}
}

static void proc_show_out(void)
{
	struct nlattr *tb[OM_A_MAX + 1];
	struct om_proc_info p;

	for (int i = 0; i < 3; i++) {
		parse(procs[i], tb);
		om_proc_parse(tb[OM_A_PROC], &p);
		om_proc_show(&p);
	}
}

static void mig_events_out(void)
{
	for (int ev = OM_MEV_START; ev <= OM_MEV_GUEST_OUT + 1; ev++) {
		struct nl_msg *m = reply(OM_CMD_MIG_EVENT);
		struct nlattr *tb[OM_A_MAX + 1];

		nla_put_u8(m, OM_A_MIG_EVENT, ev);
		put_proc(m, 4243, 1);
		if (ev == OM_MEV_FAILED)
			nla_put_string(m, OM_A_REASON, "migration is not available yet");
		parse(m, tb);
		om_event_print(tb, NULL);
		nlmsg_free(m);
	}
}

int main(int argc, char **argv)
{
	char *s;

	dir = argc > 1 ? argv[1] : ".";
	make_nodes();
	make_status();
	make_procs();

	json = true;
	s = capture("list.json", list_json);
	ok(strstr(s, "\"id\":1,\"address\":\"10.77.0.1\",\"port\":5428,\"state\":\"up\",\"self\":true") != NULL,
	   "self node is state up with self true");
	ok(strstr(s, "\"flags\":[\"static\",\"blocked\"]") && strstr(s, "\"state\":\"down\""),
	   "down node with flags array");
	ok(strstr(s, "\"last_heard_ms\":null") && strstr(s, "\"last_heard_ms\":900"),
	   "last_heard_ms null for self, value for peers");
	ok(strstr(s, "\"mem_total\":4294967296") != NULL, "u64 memory");
	ok(strstr(s, "\"aliases\":[\"10.88.0.2\",\"10.89.0.2\"]") &&
	   strstr(s, "\"aliases\":[]"), "aliases array, empty when none");

	s = capture("status.json", status_out);
	ok(strstr(s, "\"version\":\"9.8.7-test \\\"q\\\" \\\\ \\t\\u0001\\u007f\"") != NULL,
	   "strings escaped");
	ok(strstr(s, "\"unknown_peer\":1010") && strstr(s, "\"key_set\":true"),
	   "status counters and key_set");

	pretty = true;
	s = capture("pretty.json", list_json);
	ok(strstr(s, "[\n  {\n    \"id\": 1,") != NULL, "pretty layout");
	pretty = false;

	s = capture("events.jsonl", events_out);
	ok(strstr(s, "{\"event\":\"added\",\"event_code\":1,\"node\":{\"id\":3") &&
	   strstr(s, "\"event\":\"unknown\""), "event objects, one per line");

	s = capture("procs.json", proc_list_out);
	ok(strstr(s, "{\"pid\":4242,\"uid\":65534,\"comm\":\"sleep\",\"where\":1,\"home\":1,\"nmigs\":0,\"locked\":false,\"cantmove\":null,\"away_ms\":null,\"guest\":false,\"home_pid\":null,\"hint\":null,\"hint_left\":null,\"node_policy\":\"any\",\"nodes\":[]}") != NULL,
	   "proc at home: nulls for cantmove, away_ms, home_pid, hint; no node list");
	ok(strstr(s, "\"home\":3,\"nmigs\":2,") && strstr(s, "\"away_ms\":12345,\"guest\":true,\"home_pid\":777,") &&
	   strstr(s, "\"node_policy\":\"deny\",\"nodes\":[2]}"),
	   "guest proc: home, away_ms, home_pid");
	ok(strstr(s, "\"comm\":\"sh \\\"x\\\"\"") && strstr(s, "\"locked\":true,\"cantmove\":\"multi-threaded (2 threads)\""),
	   "locked proc with a cantmove reason, comm escaped");
	ok(strstr(s, "\"hint\":\"io\",\"hint_left\":625,\"node_policy\":\"allow\",\"nodes\":[3,5]}") != NULL,
	   "proc policy: hint, strength left, allowed nodes");
	s = capture("mig-events.jsonl", mig_events_out);
	ok(strstr(s, "{\"event\":\"start\",\"event_code\":1,\"proc\":{\"pid\":4243") &&
	   strstr(s, "\"event\":\"failed\",\"event_code\":3,") &&
	   strstr(s, "\"reason\":\"migration is not available yet\"}") &&
	   strstr(s, "\"event\":\"guest-out\"") && strstr(s, "\"event\":\"unknown\""),
	   "migration event objects, one per line");

	json = false;
	s = capture("procs.txt", proc_list_out);
	ok(strstr(s, "    PID    UID WHERE  HOME NMIGS LOCKED COMMAND          CANTMOVE\n") &&
	   strstr(s, "   4242  65534     1     1     0 no     sleep            -\n") &&
	   strstr(s, "   4244      0     1     1     0 yes    sh \"x\"           multi-threaded (2 threads)\n"),
	   "proc list table");
	s = capture("proc-show.txt", proc_show_out);
	ok(strstr(s, "process 4242 (sleep)\n") && strstr(s, "  where:      node 1 (home)\n") &&
	   strstr(s, "  cantmove:   - (it may move)\n") &&
	   strstr(s, "  guest:      yes, pid 777 at home\n") && strstr(s, "  away:       12s\n") &&
	   strstr(s, "  locked:     yes\n") && strstr(s, "  cantmove:   multi-threaded (2 threads)\n") &&
	   strstr(s, "  hint:       -\n  nodes:      any\n") &&
	   strstr(s, "  nodes:      any but 2\n") &&
	   strstr(s, "  hint:       io (62.5 % of it left)\n  nodes:      only 3,5 (and home)\n"),
	   "proc show text");
	s = capture("mig-events.txt", mig_events_out);
	ok(strstr(s, "proc 4243 (sleep) leaving for node 1\n") &&
	   strstr(s, "proc 4243 (sleep) failed to migrate: migration is not available yet\n") &&
	   strstr(s, "proc 4243 (sleep) came home to node 3\n") &&
	   strstr(s, "proc 4243 (sleep) guest in from node 3 (pid 777 there)\n"),
	   "monitor text lines for migrations");

	s = capture("list.txt", list_text);
	ok(strstr(s, "ID    ADDRESS") && strstr(s, "self") &&
	   strstr(s, "1.37") && strstr(s, "1.5G/4.0G") && strstr(s, "0.9s") &&
	   strstr(s, "static,blocked"), "node list table");
	ok(strstr(s, "ALIASES") && strstr(s, "10.88.0.2,10.89.0.2\n"),
	   "node list ALIASES column");
	s = capture("show.txt", show_text);
	ok(strstr(s, "  aliases:    10.88.0.2 10.89.0.2\n") != NULL,
	   "node show aliases line");
	s = capture("status.txt", status_out);
	ok(strstr(s, "key set:   yes") && strstr(s, "nodes:     3 total, 2 up") &&
	   strstr(s, "rx_frames 1001"), "status text");
	s = capture("events.txt", events_out);
	ok(strstr(s, "node 3 up 10.77.0.3\n") && strstr(s, "node 3 removed 10.77.0.3\n"),
	   "monitor text lines");

	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
