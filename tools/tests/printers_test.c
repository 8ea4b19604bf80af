// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Every omctl printer, text, JSON and pretty JSON, fed with fake kernel
 * replies and results, compared byte for byte with the files in
 * tests/data/print/ (@VERSION@ stands for the tools' version).  They pin
 * what scripts and the lab read from omctl.  After a deliberate change of
 * the output, copy the new files from the output directory.  Prints TAP.
 *
 *   printers_test OUTDIR DATADIR
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <netlink/genl/genl.h>

#include "../omctl/omctl.h"

static int n, failed;
static const char *outdir, *datadir;

static void ok(int cond, const char *desc)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - printers: %s\n", cond ? "" : "not ", n, desc);
	fflush(stdout);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (*len + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				abort();
		}
		got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (!got)
			break;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* The golden file with @VERSION@ replaced */
static char *golden(const char *name)
{
	char path[512], *g, *out, *p, *at;
	size_t len, vlen = strlen(OM_TOOLS_VERSION), olen = 0;

	snprintf(path, sizeof(path), "%s/print/%s", datadir, name);
	g = slurp(path, &len);
	if (!g)
		return NULL;
	out = malloc(len * 2 + vlen + 1);
	if (!out)
		abort();
	for (p = g; (at = strstr(p, "@VERSION@")); p = at + 9) {
		memcpy(out + olen, p, at - p);
		olen += at - p;
		memcpy(out + olen, OM_TOOLS_VERSION, vlen);
		olen += vlen;
	}
	strcpy(out + olen, p);
	free(g);
	return out;
}

/* Run fn with stdout in OUTDIR/name, in the mode asked; compare. */
static void check(const char *name, bool as_json, bool as_pretty,
		  void (*fn)(void), const char *desc)
{
	char path[512], msg[256];
	char *got, *want;
	size_t len;
	FILE *saved;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	fflush(stdout);
	fd = dup(1);
	saved = freopen(path, "w", stdout);
	if (!saved)
		abort();
	json = as_json;
	pretty = as_pretty;
	fn();
	json = pretty = false;
	fflush(stdout);
	dup2(fd, 1);
	close(fd);
	got = slurp(path, &len);
	want = golden(name);
	snprintf(msg, sizeof(msg), "%s (%s)", desc, name);
	ok(got && want && strlen(got) == len && !strcmp(got, want), msg);
	if (got && want && strcmp(got, want)) {
		size_t i = 0, line = 1;

		while (got[i] && got[i] == want[i])
			line += got[i++] == '\n';
		printf("#   differs from %s/print/%s at line %zu\n", datadir, name,
		       line);
	} else if (!want) {
		printf("#   no %s/print/%s\n", datadir, name);
	}
	free(got);
	free(want);
}

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		abort();
	genlmsg_put(m, 0, 0, 42, 0, 0, cmd, OM_GENL_VERSION);
	return m;
}

static void parse(struct nl_msg *m, struct nlattr **tb)
{
	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, OM_A_MAX, NULL) < 0)
		abort();
}

struct fake_node {
	uint16_t id, port;
	const char *addr;
	uint8_t state;
	uint32_t flags, load;
	uint64_t mem_total, mem_free, heard;
	int naliases;
};

static const struct fake_node fake_nodes[] = {
	{ 1, 4660, "10.77.0.1", OM_NODE_SELF, OM_NF_STATIC | OM_NF_SELF, 5,
	  4ull << 30, 3ull << 29, 0, 0 },
	{ 2, 4660, "10.77.0.2", OM_NODE_UP, OM_NF_DISCOVERED, 137,
	  1ull << 40, 1ull << 20, 900, 2 },
	{ 300, 0, "10.77.1.44", OM_NODE_DOWN, OM_NF_STATIC | OM_NF_BLOCKED,
	  12345, 1000, 999, 123456, 6 },
	{ 65535, 65535, "255.255.255.255", 7, 0, 0, 0, 0, 9999, 0 },
};
#define NFAKE ARRAY_SIZE(fake_nodes)

static void put_node(struct nl_msg *m, const struct fake_node *f)
{
	struct nlattr *nest = nla_nest_start(m, OM_A_NODE);
	struct in_addr in;
	char a[32];

	inet_pton(AF_INET, f->addr, &in);
	nla_put_u16(m, OM_NA_ID, f->id);
	nla_put_u32(m, OM_NA_ADDR, in.s_addr);
	if (f->port)
		nla_put_u16(m, OM_NA_PORT, f->port);
	nla_put_u8(m, OM_NA_STATE, f->state);
	nla_put_u32(m, OM_NA_FLAGS, f->flags);
	nla_put_u32(m, OM_NA_LOAD, f->load);
	nla_put_u32(m, OM_NA_RUNNABLE, f->load / 100);
	nla_put_u32(m, OM_NA_CPUS, f->id % 7 + 1);
	nla_put_u32(m, OM_NA_SPEED, 10000 + f->id);
	nla_put_u64(m, OM_NA_MEM_TOTAL, f->mem_total);
	nla_put_u64(m, OM_NA_MEM_FREE, f->mem_free);
	nla_put_u64(m, OM_NA_UPTIME, 86400ull * f->id);
	if (f->state != OM_NODE_SELF)
		nla_put_u64(m, OM_NA_LAST_HEARD, f->heard);
	for (int i = 0; i < f->naliases; i++) {
		snprintf(a, sizeof(a), "10.88.%d.%u", i, f->id % 256);
		inet_pton(AF_INET, a, &in);
		nla_put_u32(m, OM_NA_ALIAS, in.s_addr);
	}
	nla_nest_end(m, nest);
}

static void get_node(unsigned int i, struct om_node_info *ni)
{
	struct nl_msg *m = reply(OM_CMD_GET_NODE);
	struct nlattr *tb[OM_A_MAX + 1];

	put_node(m, &fake_nodes[i]);
	parse(m, tb);
	if (om_node_parse(tb[OM_A_NODE], ni))
		abort();
	nlmsg_free(m);
}

static void node_list(void)
{
	struct om_node_info ni;

	om_node_list_begin();
	for (unsigned int i = 0; i < NFAKE; i++) {
		get_node(i, &ni);
		om_node_table_row(&ni);
	}
	om_node_list_end();
}

static void node_show(void)
{
	struct om_node_info ni;

	for (unsigned int i = 0; i < NFAKE; i++) {
		get_node(i, &ni);
		om_node_show(&ni);
	}
}

/* kind 0: at home; 1: a guest; 2: locked, cannot move; 3: away */
static void put_proc(struct nl_msg *m, uint32_t pid, int kind)
{
	struct nlattr *nest = nla_nest_start(m, OM_A_PROC);
	static const char *const comm[] = {
		"sleep", "a-very-long-name", "sh \"x\"\\", "tab\there\x01",
	};

	nla_put_u32(m, OM_PA_PID, pid);
	nla_put_u16(m, OM_PA_WHERE, kind == 3 ? 2 : 1);
	nla_put_u16(m, OM_PA_HOME, kind == 1 ? 3 : 1);
	nla_put_u32(m, OM_PA_NMIGS, kind * 3);
	nla_put_u8(m, OM_PA_LOCKED, kind == 2);
	nla_put_u32(m, OM_PA_UID, kind == 2 ? 0 : 65534 + kind);
	nla_put_string(m, OM_PA_COMM, comm[kind]);
	if (kind == 1 || kind == 3)
		nla_put_u64(m, OM_PA_AWAY_MS, kind == 1 ? 12345 : 9999);
	if (kind == 1) {
		nla_put_flag(m, OM_PA_GUEST);
		nla_put_u32(m, OM_PA_HOME_PID, 777);
	}
	if (kind == 2)
		nla_put_string(m, OM_PA_CANTMOVE, "multi-threaded (2 threads)");
	nla_nest_end(m, nest);
}

static void get_proc(int kind, struct om_proc_info *p)
{
	struct nl_msg *m = reply(OM_CMD_GET_PROC);
	struct nlattr *tb[OM_A_MAX + 1];

	put_proc(m, 4242 + kind, kind);
	parse(m, tb);
	if (om_proc_parse(tb[OM_A_PROC], p))
		abort();
	nlmsg_free(m);
}

static void proc_list(void)
{
	struct om_proc_info p;

	om_proc_list_begin();
	for (int k = 0; k < 4; k++) {
		get_proc(k, &p);
		om_proc_table_row(&p);
	}
	om_proc_list_end();
}

static void proc_show(void)
{
	struct om_proc_info p;

	for (int k = 0; k < 4; k++) {
		get_proc(k, &p);
		om_proc_show(&p);
	}
}

static void status(void)
{
	struct nl_msg *m = reply(OM_CMD_GET_STATUS);
	struct nlattr *tb[OM_A_MAX + 1], *st;

	put_node(m, &fake_nodes[0]);
	nla_put_u32(m, OM_A_NODES_TOTAL, 4);
	nla_put_u32(m, OM_A_NODES_UP, 2);
	nla_put_u8(m, OM_A_KEY_SET, 1);
	nla_put_string(m, OM_A_VERSION, "9.8.7 \"q\" \\ \t\x01\x7f");
	st = nla_nest_start(m, OM_A_STATS);
	for (int i = 1; i <= OM_SA_UNKNOWN_PEER; i++)
		nla_put_u64(m, i, i == 3 ? UINT64_MAX : 1000ull * i);
	nla_put_u64(m, OM_SA_MAX + 5, 7);	/* a future counter */
	nla_nest_end(m, st);
	parse(m, tb);
	om_status_print(tb, NULL);
	nlmsg_free(m);
}

/* no node ID yet, no key, no version, an empty counter nest */
static void status_bare(void)
{
	struct nl_msg *m = reply(OM_CMD_GET_STATUS);
	struct nlattr *tb[OM_A_MAX + 1], *st;

	nla_put_u32(m, OM_A_NODES_TOTAL, 0);
	st = nla_nest_start(m, OM_A_STATS);
	nla_nest_end(m, st);
	parse(m, tb);
	om_status_print(tb, NULL);
	nlmsg_free(m);
	/* and no counters at all */
	m = reply(OM_CMD_GET_STATUS);
	parse(m, tb);
	om_status_print(tb, NULL);
	nlmsg_free(m);
}

static void events(void)
{
	for (int ev = 0; ev <= OM_EV_NODE_UNBLOCKED + 1; ev++) {
		struct nl_msg *m = reply(OM_CMD_NODE_EVENT);
		struct nlattr *tb[OM_A_MAX + 1];

		nla_put_u8(m, OM_A_EVENT, ev);
		put_node(m, &fake_nodes[1 + ev % 2]);
		parse(m, tb);
		om_event_print(tb, NULL);
		nlmsg_free(m);
	}
	for (int ev = 0; ev <= OM_MEV_GUEST_OUT + 1; ev++) {
		struct nl_msg *m = reply(OM_CMD_MIG_EVENT);
		struct nlattr *tb[OM_A_MAX + 1];

		nla_put_u8(m, OM_A_MIG_EVENT, ev);
		put_proc(m, 4243, 1);
		if (ev == OM_MEV_FAILED || ev == OM_MEV_HOME)
			nla_put_string(m, OM_A_REASON, "target \"refused\"");
		parse(m, tb);
		om_event_print(tb, NULL);
		nlmsg_free(m);
	}
	/* a failure without a reason */
	{
		struct nl_msg *m = reply(OM_CMD_MIG_EVENT);
		struct nlattr *tb[OM_A_MAX + 1];

		nla_put_u8(m, OM_A_MIG_EVENT, OM_MEV_FAILED);
		put_proc(m, 4245, 3);
		parse(m, tb);
		om_event_print(tb, NULL);
		nlmsg_free(m);
	}
}

static void whois(void)
{
	struct om_node_info ni;

	get_node(2, &ni);
	om_whois_print(&ni, NULL);
	om_whois_print(&ni, "300");
	om_whois_print(&ni, "10.77.1.44");
}

static void cluster(void)
{
	static const uint32_t fl[][2] = { { 0, 0 }, { 1, 0 }, { 2, 1 }, { 1, 1 } };

	for (int e = 1; e >= 0; e--)
		for (unsigned int i = 0; i < ARRAY_SIZE(fl); i++)
			om_cluster_print(e, fl[i][0], fl[i][1]);
}

static void ckpt(void)
{
	struct om_ckpt_req r = { .vmas = 17, .fds = 3, .pages = 300,
				 .bytes = 1234567 };

	om_ckpt_print(4242, "/var/tmp/ck \"1\"", true, &r);
	r.pages = UINT64_MAX;
	om_ckpt_print(2147483647, "d", false, &r);
}

static void migrate(void)
{
	struct om_migrate_req r = { .pages = 257, .bytes = 1052672,
				    .usecs = 12345 };

	om_mig_print_requested(4242, 3);
	om_mig_print_requested(4242, OM_MIG_HOME);
	om_mig_print_done(4242, 65535, &r);
	r.usecs = 50;
	om_mig_print_done(1, OM_MIG_HOME, &r);
}

static void restore(void)
{
	struct om_restore_status st = { .vmas = 21, .pages = 1025 };

	om_restore_print(5000, 4242, "/var/tmp/ck", &st);
	om_restore_print(1, 1, "a\\b", &st);
}

static char sysdir[512];

static const char *knob_path(const char *name)
{
	static char path[600];

	snprintf(path, sizeof(path), "%s/%s", sysdir, name);
	return path;
}

static void knob(const char *name, const char *val)
{
	FILE *f = fopen(knob_path(name), "w");

	if (!f)
		abort();
	fprintf(f, "%s\n", val);
	fclose(f);
}

/* the knobs as set, then others: off and on, no limit, a bad file */
static void policy(void)
{
	char *args[] = { "show", NULL };

	knob("balance", "1");
	knob("balance_interval_ms", "2000");
	knob("load_limit", "1536");
	knob("stay", "0");
	knob("speed", "12000");
	do_policy(1, args);
	knob("balance", "0");
	knob("balance_interval_ms", "abc");
	knob("load_limit", "0");
	knob("stay", "1");
	knob("lstay", "1");
	do_policy(1, args);
	unlink(knob_path("lstay"));
}

static void map(void)
{
	char *args[] = { "show", "good.map", NULL };
	char cwd[512];

	if (!getcwd(cwd, sizeof(cwd)) || chdir(datadir))
		abort();
	do_map(2, args);
	if (chdir(cwd))
		abort();
}

/* fn's output in JSON mode, as a string to free */
static char *json_of(void (*fn)(const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	json = true;
	jw_set_output(f);
	fn(arg);
	jw_set_output(NULL);
	json = false;
	fclose(f);
	return buf;
}

static void node_member(const void *ni)
{
	om_node_json(NULL, ni);
	jw_end();
}

/* a program's own node object (mosmon's): om_node_fields and its members */
static void node_fields_obj(const void *ni)
{
	open_json_object(NULL);
	om_node_fields(ni);
	close_json_object();
	print_end();
}

static void node_top(const void *ni)
{
	om_node_show(ni);
}

static void proc_member(const void *p)
{
	om_proc_json(NULL, p);
	jw_end();
}

static void proc_top(const void *p)
{
	om_proc_show(p);
}

/*
 * The table row and the detailed view are two sequences of calls: their
 * JSON must be the same object, or the two would have drifted apart.
 */
static void same_json(void)
{
	struct om_node_info ni;
	struct om_proc_info p;
	bool same = true, fields = true;
	char *a, *b, *c;

	for (unsigned int i = 0; i < NFAKE; i++) {
		get_node(i, &ni);
		a = json_of(node_member, &ni);
		b = json_of(node_top, &ni);
		c = json_of(node_fields_obj, &ni);
		same &= !strcmp(a, b);
		fields &= !strcmp(a, c);
		free(a);
		free(b);
		free(c);
	}
	ok(same, "node show -j and node list -j: the same object per node");
	ok(fields, "om_node_fields in an object: node list -j's object per node");
	same = true;
	for (int k = 0; k < 4; k++) {
		get_proc(k, &p);
		a = json_of(proc_member, &p);
		b = json_of(proc_top, &p);
		same &= !strcmp(a, b);
		free(a);
		free(b);
	}
	ok(same, "proc show -j and proc list -j: the same object per process");
}

static const struct tcase {
	const char *name;
	void (*fn)(void);
	const char *desc;
} cases[] = {
	{ "node-list", node_list, "node list" },
	{ "node-show", node_show, "node show" },
	{ "proc-list", proc_list, "proc list" },
	{ "proc-show", proc_show, "proc show" },
	{ "status", status, "status" },
	{ "status-bare", status_bare, "status without a node ID" },
	{ "events", events, "monitor" },
	{ "whois", whois, "whois" },
	{ "cluster", cluster, "cluster expel and bring" },
	{ "checkpoint", ckpt, "checkpoint" },
	{ "migrate", migrate, "proc migrate" },
	{ "restore", restore, "restore" },
	{ "policy", policy, "policy show" },
	{ "map", map, "map show" },
};

static void run_cases(void)
{
	char name[128], desc[128];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tcase *c = &cases[i];

		snprintf(name, sizeof(name), "%s.txt", c->name);
		snprintf(desc, sizeof(desc), "%s, text", c->desc);
		check(name, false, false, c->fn, desc);
		snprintf(name, sizeof(name), "%s.json", c->name);
		snprintf(desc, sizeof(desc), "%s, JSON", c->desc);
		check(name, true, false, c->fn, desc);
		snprintf(name, sizeof(name), "%s.pretty", c->name);
		snprintf(desc, sizeof(desc), "%s, pretty JSON", c->desc);
		check(name, true, true, c->fn, desc);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "Usage: printers_test OUTDIR DATADIR\n");
		return 2;
	}
	outdir = argv[1];
	datadir = argv[2];
	mkdir(outdir, 0755);

	/* policy show's knobs (lstay missing at first) */
	snprintf(sysdir, sizeof(sysdir), "%s/sysfs", outdir);
	mkdir(sysdir, 0755);
	unlink(knob_path("lstay"));
	setenv("OMCTL_SYSFS", sysdir, 1);

	run_cases();
	same_json();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
