// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * One node as the kernel reports it: the parser, the printers of node
 * list and node show, and GET_NODE for one node.
 */
#include <errno.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "omtools.h"

static struct nla_policy node_policy[OM_NA_MAX + 1] = {
	[OM_NA_ID] = { .type = NLA_U16 },
	[OM_NA_ADDR] = { .type = NLA_U32 },
	[OM_NA_PORT] = { .type = NLA_U16 },
	[OM_NA_STATE] = { .type = NLA_U8 },
	[OM_NA_FLAGS] = { .type = NLA_U32 },
	[OM_NA_LOAD] = { .type = NLA_U32 },
	[OM_NA_RUNNABLE] = { .type = NLA_U32 },
	[OM_NA_CPUS] = { .type = NLA_U32 },
	[OM_NA_SPEED] = { .type = NLA_U32 },
	[OM_NA_MEM_TOTAL] = { .type = NLA_U64 },
	[OM_NA_MEM_FREE] = { .type = NLA_U64 },
	[OM_NA_UPTIME] = { .type = NLA_U64 },
	[OM_NA_LAST_HEARD] = { .type = NLA_U64 },
	[OM_NA_ALIAS] = { .type = NLA_U32 },
};

int om_node_parse(struct nlattr *nest, struct om_node_info *n)
{
	struct nlattr *tb[OM_NA_MAX + 1], *a;
	int rem;

	memset(n, 0, sizeof(*n));
	if (!nest || nla_parse_nested(tb, OM_NA_MAX, nest, node_policy) < 0 ||
	    !tb[OM_NA_ID])
		return -EINVAL;
	n->id = nla_get_u16(tb[OM_NA_ID]);
#define GET(a, f, t) do { if (tb[a]) n->f = nla_get_##t(tb[a]); } while (0)
	GET(OM_NA_ADDR, addr, u32);
	GET(OM_NA_PORT, port, u16);
	GET(OM_NA_STATE, state, u8);
	GET(OM_NA_FLAGS, flags, u32);
	GET(OM_NA_LOAD, load, u32);
	GET(OM_NA_RUNNABLE, runnable, u32);
	GET(OM_NA_CPUS, cpus, u32);
	GET(OM_NA_SPEED, speed, u32);
	GET(OM_NA_MEM_TOTAL, mem_total, u64);
	GET(OM_NA_MEM_FREE, mem_free, u64);
	GET(OM_NA_UPTIME, uptime, u64);
	GET(OM_NA_LAST_HEARD, last_heard, u64);
#undef GET
	n->has_last_heard = tb[OM_NA_LAST_HEARD] != NULL;
	/* repeated attribute: tb only holds the last one */
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == OM_NA_ALIAS && nla_len(a) == 4 &&
		    n->naliases < OM_NODE_ALIASES_MAX)
			n->aliases[n->naliases++] = nla_get_u32(a);
	if (n->state == OM_NODE_SELF)
		n->flags |= OM_NF_SELF;
	return 0;
}

bool om_node_is_self(const struct om_node_info *n)
{
	return n->state == OM_NODE_SELF || (n->flags & OM_NF_SELF);
}

/* Self is "up" so that consumers testing state == "up" count it. */
const char *om_node_state_name(const struct om_node_info *n)
{
	if (om_node_is_self(n) || n->state == OM_NODE_UP)
		return "up";
	if (n->state == OM_NODE_DOWN)
		return "down";
	return "unknown";
}

static const char *const flag_names[] = {
	"static", "discovered", "blocked", "self",
};
#define NFLAGS ARRAY_SIZE(flag_names)

/* "a,b,c" or "-" */
static void fmt_flags(const struct om_node_info *n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < NFLAGS; i++)
		if (n->flags & (1U << i) && off < len)
			off += snprintf(buf + off, len - off, "%s%s",
					off ? "," : "", flag_names[i]);
	if (!off)
		snprintf(buf, len, "-");
}

/* "a,b,c" or "-" */
static void fmt_aliases(const struct om_node_info *n, const char *sep,
			char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];
	size_t off = 0;

	snprintf(buf, len, "-");
	for (unsigned int i = 0; i < n->naliases && off < len; i++) {
		fmt_addr(n->aliases[i], a, sizeof(a));
		off += snprintf(buf + off, len - off, "%s%s", i ? sep : "", a);
	}
}

void om_fmt_bytes(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "BKMGTP";
	double d = v;
	int u = 0;

	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%lluB", (unsigned long long)v);
	else
		snprintf(buf, len, "%.1f%c", d, units[u]);
}

static void fmt_ms(const struct om_node_info *n, char *buf, size_t len)
{
	if (om_node_is_self(n) || !n->has_last_heard)
		snprintf(buf, len, "-");
	else if (n->last_heard < 10000)
		snprintf(buf, len, "%.1fs", n->last_heard / 1000.0);
	else
		snprintf(buf, len, "%llus", (unsigned long long)n->last_heard / 1000);
}

/* 100 = one busy reference CPU; show it like a load average. */
void om_fmt_load(uint32_t load, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%02u", load / 100, load % 100);
}

/*
 * The fields whose text and JSON differ in shape, each in the modes of
 * t: the flags (a JSON array, the text "a,b"), the aliases likewise, and
 * last heard (milliseconds or null, the text "0.9s" or "-").
 */
static void print_flags(enum om_print_type t, const struct om_node_info *n,
			const char *fmt)
{
	char text[64];

	if (t & PRINT_JSON) {
		open_json_array("flags");
		for (unsigned int i = 0; i < NFLAGS; i++)
			if (n->flags & (1U << i))
				print_string(PRINT_JSON, NULL, NULL, flag_names[i]);
		close_json_array();
	}
	fmt_flags(n, text, sizeof(text));
	print_string(t & PRINT_FP, NULL, fmt, text);
}

static void print_aliases(enum om_print_type t, const struct om_node_info *n,
			  const char *sep, const char *fmt)
{
	char text[OM_NODE_ALIASES_MAX * (INET_ADDRSTRLEN + 1)];
	char a[INET_ADDRSTRLEN];

	if (t & PRINT_JSON) {
		open_json_array("aliases");
		for (unsigned int i = 0; i < n->naliases; i++) {
			fmt_addr(n->aliases[i], a, sizeof(a));
			print_string(PRINT_JSON, NULL, NULL, a);
		}
		close_json_array();
	}
	fmt_aliases(n, sep, text, sizeof(text));
	print_string(t & PRINT_FP, NULL, fmt, text);
}

static void print_last_heard(enum om_print_type t,
			     const struct om_node_info *n, const char *fmt)
{
	char text[24];

	fmt_ms(n, text, sizeof(text));
	if (om_node_is_self(n) || !n->has_last_heard) {
		print_null(t, "last_heard_ms", fmt, text);
		return;
	}
	print_u64(t & PRINT_JSON, "last_heard_ms", NULL, n->last_heard);
	print_string(t & PRINT_FP, NULL, fmt, text);
}

/*
 * node list: n's fields, the table's row (without its newline) or the
 * members of n's JSON object, as the mode says
 */
void om_node_fields(const struct om_node_info *n)
{
	char a[INET_ADDRSTRLEN], addr[INET_ADDRSTRLEN + 8], load[16];
	char mf[16], mt[16], mem[40];

	fmt_addr(n->addr, a, sizeof(a));
	if (n->port)
		snprintf(addr, sizeof(addr), "%s:%u", a, n->port);
	else
		snprintf(addr, sizeof(addr), "%s", a);
	om_fmt_load(n->load, load, sizeof(load));
	om_fmt_bytes(n->mem_free, mf, sizeof(mf));
	om_fmt_bytes(n->mem_total, mt, sizeof(mt));
	snprintf(mem, sizeof(mem), "%s/%s", mf, mt);

	print_uint(PRINT_ANY, "id", "%-5u ", n->id);
	print_string(PRINT_JSON, "address", NULL, a);
	print_uint(PRINT_JSON, "port", NULL, n->port);
	print_string(PRINT_FP, NULL, "%-21s ", addr);
	print_string(PRINT_JSON, "state", NULL, om_node_state_name(n));
	print_string(PRINT_FP, NULL, "%-5s ",
		     om_node_is_self(n) ? "self" : om_node_state_name(n));
	print_bool(PRINT_JSON, "self", NULL, om_node_is_self(n));
	print_bool(PRINT_JSON, "blocked", NULL, n->flags & OM_NF_BLOCKED);
	print_uint(PRINT_JSON, "load", NULL, n->load);
	print_string(PRINT_FP, NULL, "%7s ", load);
	print_uint(PRINT_JSON, "runnable", NULL, n->runnable);
	print_uint(PRINT_ANY, "cpus", "%4u ", n->cpus);
	print_uint(PRINT_ANY, "speed", "%7u ", n->speed);
	print_u64(PRINT_JSON, "mem_total", NULL, n->mem_total);
	print_u64(PRINT_JSON, "mem_free", NULL, n->mem_free);
	print_string(PRINT_FP, NULL, "%-15s ", mem);
	print_u64(PRINT_JSON, "uptime", NULL, n->uptime);
	print_last_heard(PRINT_FP, n, "%10s  ");
	print_flags(PRINT_ANY, n, "%-22s ");
	print_aliases(PRINT_ANY, n, ",", "%s");
	print_last_heard(PRINT_JSON, n, NULL);
}

/* node list: one node, a row of the table or its JSON object */
static void node_row(const char *key, const struct om_node_info *n)
{
	open_json_object(key);
	om_node_fields(n);
	print_nl();
	close_json_object();
}

/* node show: one node in detail, or its JSON object (as node_row's) */
static void node_detail(const struct om_node_info *n)
{
	char a[INET_ADDRSTRLEN], load[16], mf[16], mt[16];

	fmt_addr(n->addr, a, sizeof(a));
	om_fmt_load(n->load, load, sizeof(load));
	om_fmt_bytes(n->mem_free, mf, sizeof(mf));
	om_fmt_bytes(n->mem_total, mt, sizeof(mt));

	open_json_object(NULL);
	print_uint(PRINT_ANY, "id", "node %u\n", n->id);
	print_string(PRINT_ANY, "address", "  address:    %s\n", a);
	print_aliases(PRINT_FP, n, " ", "  aliases:    %s\n");
	print_uint(PRINT_ANY, "port", "  port:       %u\n", n->port);
	print_string(PRINT_ANY, "state", "  state:      %s",
		     om_node_state_name(n));
	print_string(PRINT_FP, NULL, "%s\n", om_node_is_self(n) ? " (self)" : "");
	print_bool(PRINT_JSON, "self", NULL, om_node_is_self(n));
	print_bool(PRINT_JSON, "blocked", NULL, n->flags & OM_NF_BLOCKED);
	print_flags(PRINT_FP, n, "  flags:      %s\n");
	print_uint(PRINT_JSON, "load", NULL, n->load);
	print_string(PRINT_FP, NULL, "  load:       %s", load);
	print_uint(PRINT_ANY, "runnable", " (%u runnable)\n", n->runnable);
	print_uint(PRINT_ANY, "cpus", "  cpus:       %u\n", n->cpus);
	print_uint(PRINT_ANY, "speed", "  speed:      %u\n", n->speed);
	print_u64(PRINT_JSON, "mem_total", NULL, n->mem_total);
	print_u64(PRINT_JSON, "mem_free", NULL, n->mem_free);
	print_string(PRINT_FP, NULL, "  memory:     %s", mf);
	print_string(PRINT_FP, NULL, " free of %s\n", mt);
	print_u64(PRINT_ANY, "uptime", "  uptime:     %llus\n", n->uptime);
	print_flags(PRINT_JSON, n, NULL);
	print_aliases(PRINT_JSON, n, NULL, NULL);
	print_last_heard(PRINT_ANY, n, "  last heard: %s\n");
	close_json_object();
}

/* The JSON writer's object for n, whatever the mode (inside documents) */
void om_node_json(const char *key, const struct om_node_info *n)
{
	bool was = json;

	json = true;
	node_row(key, n);
	json = was;
}

void om_node_table_head(void)
{
	char head[160];

	snprintf(head, sizeof(head),
		 "%-5s %-21s %-5s %7s %4s %7s %-15s %10s  %-22s %s", "ID",
		 "ADDRESS", "STATE", "LOAD", "CPUS", "SPEED", "MEM-FREE/TOTAL",
		 "LAST-HEARD", "FLAGS", "ALIASES");
	print_string(PRINT_FP, NULL, "%s\n", head);
}

void om_node_table_row(const struct om_node_info *n)
{
	node_row(NULL, n);
}

void om_node_list_begin(void)
{
	open_json_array(NULL);
	om_node_table_head();
}

void om_node_list_end(void)
{
	close_json_array();
	print_end();
}

void om_node_show(const struct om_node_info *n)
{
	node_detail(n);
	print_end();
}

/* A message with OM_A_NODE { attrs } ready for cmd; NULL on ENOMEM */
struct nl_msg *om_node_msg(uint8_t cmd, int flags, struct nlattr **nest)
{
	return om_nl_msg_nest(cmd, flags, OM_A_NODE, nest);
}

bool om_node_arg_ok(const char *arg)
{
	uint32_t addr;
	uint16_t id, port;

	return !parse_node_id(arg, &id) ||
	       (!parse_addr_port(arg, &addr, &port) && !port);
}

/* Parse "ID" or "ADDR" into the node nest of msg. */
static int put_lookup(struct nl_msg *msg, const char *arg)
{
	uint32_t addr;
	uint16_t id, port;

	if (!parse_node_id(arg, &id))
		return nla_put_u16(msg, OM_NA_ID, id) ? -ENOMEM : 0;
	if (!parse_addr_port(arg, &addr, &port) && !port)
		return nla_put_u32(msg, OM_NA_ADDR, addr) ? -ENOMEM : 0;
	return -EINVAL;
}

struct get_ctx {
	struct om_node_info *n;
	bool got;
};

static int show_cb(struct nlattr **tb, void *arg)
{
	struct get_ctx *c = arg;

	if (!c->got && !om_node_parse(tb[OM_A_NODE], c->n))
		c->got = true;
	return 0;
}

int om_node_get(const char *arg, const char *what, struct om_node_info *n)
{
	struct get_ctx c = { .n = n };
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret;

	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_node_msg(OM_CMD_GET_NODE, 0, &nest);
	if (!msg)
		return om_enomem();
	ret = put_lookup(msg, arg);
	if (ret) {
		nlmsg_free(msg);
		return ret == -EINVAL ? invarg("node ID or address", arg) : om_enomem();
	}
	nla_nest_end(msg, nest);
	memset(n, 0, sizeof(*n));
	ret = om_nl_talk(msg, what, show_cb, &c);
	if (ret)
		return ret;
	if (!c.got) {
		fprintf(stderr, "%s: %s: no node in the kernel's reply\n",
			om_progname, what);
		return EXIT_KERNEL;
	}
	return 0;
}
