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

static bool is_self(const struct om_node_info *n)
{
	return n->state == OM_NODE_SELF || (n->flags & OM_NF_SELF);
}

/* Self is "up" so that consumers testing state == "up" count it. */
const char *om_node_state_name(const struct om_node_info *n)
{
	if (is_self(n) || n->state == OM_NODE_UP)
		return "up";
	if (n->state == OM_NODE_DOWN)
		return "down";
	return "unknown";
}

static const char *const flag_names[] = {
	"static", "discovered", "blocked", "self",
};

void om_node_json(const char *key, const struct om_node_info *n)
{
	char addr[INET_ADDRSTRLEN];

	fmt_addr(n->addr, addr, sizeof(addr));
	jw_open_obj(key);
	jw_uint("id", n->id);
	jw_str("address", addr);
	jw_uint("port", n->port);
	jw_str("state", om_node_state_name(n));
	jw_bool("self", is_self(n));
	jw_bool("blocked", n->flags & OM_NF_BLOCKED);
	jw_uint("load", n->load);
	jw_uint("runnable", n->runnable);
	jw_uint("cpus", n->cpus);
	jw_uint("speed", n->speed);
	jw_uint("mem_total", n->mem_total);
	jw_uint("mem_free", n->mem_free);
	jw_uint("uptime", n->uptime);
	jw_open_arr("flags");
	for (unsigned int i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (n->flags & (1U << i))
			jw_str(NULL, flag_names[i]);
	jw_close_arr();
	jw_open_arr("aliases");
	for (unsigned int i = 0; i < n->naliases; i++) {
		fmt_addr(n->aliases[i], addr, sizeof(addr));
		jw_str(NULL, addr);
	}
	jw_close_arr();
	if (n->has_last_heard && !is_self(n))
		jw_uint("last_heard_ms", n->last_heard);
	else
		jw_null("last_heard_ms");
	jw_close_obj();
}

static void fmt_flags(const struct om_node_info *n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
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

static void fmt_bytes(uint64_t v, char *buf, size_t len)
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
	if (is_self(n) || !n->has_last_heard)
		snprintf(buf, len, "-");
	else if (n->last_heard < 10000)
		snprintf(buf, len, "%.1fs", n->last_heard / 1000.0);
	else
		snprintf(buf, len, "%llus", (unsigned long long)n->last_heard / 1000);
}

/* 100 = one busy reference CPU; show it like a load average. */
static void fmt_load(uint32_t load, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%02u", load / 100, load % 100);
}

void om_node_table_head(void)
{
	printf("%-5s %-21s %-5s %7s %4s %7s %-15s %10s  %-22s %s\n", "ID",
	       "ADDRESS", "STATE", "LOAD", "CPUS", "SPEED", "MEM-FREE/TOTAL",
	       "LAST-HEARD", "FLAGS", "ALIASES");
}

void om_node_table_row(const struct om_node_info *n)
{
	char addr[INET_ADDRSTRLEN + 8], a[INET_ADDRSTRLEN], load[16];
	char mf[16], mt[16], mem[40], heard[24], flags[64];
	char aliases[OM_NODE_ALIASES_MAX * INET_ADDRSTRLEN];

	fmt_addr(n->addr, a, sizeof(a));
	if (n->port)
		snprintf(addr, sizeof(addr), "%s:%u", a, n->port);
	else
		snprintf(addr, sizeof(addr), "%s", a);
	fmt_load(n->load, load, sizeof(load));
	fmt_bytes(n->mem_free, mf, sizeof(mf));
	fmt_bytes(n->mem_total, mt, sizeof(mt));
	snprintf(mem, sizeof(mem), "%s/%s", mf, mt);
	fmt_ms(n, heard, sizeof(heard));
	fmt_flags(n, flags, sizeof(flags));
	fmt_aliases(n, ",", aliases, sizeof(aliases));
	printf("%-5u %-21s %-5s %7s %4u %7u %-15s %10s  %-22s %s\n", n->id,
	       addr, is_self(n) ? "self" : om_node_state_name(n), load, n->cpus,
	       n->speed, mem, heard, flags, aliases);
}

void om_node_show(const struct om_node_info *n)
{
	char a[INET_ADDRSTRLEN], load[16], mf[16], mt[16], heard[24], flags[64];
	char aliases[OM_NODE_ALIASES_MAX * (INET_ADDRSTRLEN + 1)];

	fmt_addr(n->addr, a, sizeof(a));
	fmt_load(n->load, load, sizeof(load));
	fmt_bytes(n->mem_free, mf, sizeof(mf));
	fmt_bytes(n->mem_total, mt, sizeof(mt));
	fmt_ms(n, heard, sizeof(heard));
	fmt_flags(n, flags, sizeof(flags));
	fmt_aliases(n, " ", aliases, sizeof(aliases));
	printf("node %u\n", n->id);
	printf("  address:    %s\n", a);
	printf("  aliases:    %s\n", aliases);
	printf("  port:       %u\n", n->port);
	printf("  state:      %s%s\n", om_node_state_name(n),
	       is_self(n) ? " (self)" : "");
	printf("  flags:      %s\n", flags);
	printf("  load:       %s (%u runnable)\n", load, n->runnable);
	printf("  cpus:       %u\n", n->cpus);
	printf("  speed:      %u\n", n->speed);
	printf("  memory:     %s free of %s\n", mf, mt);
	printf("  uptime:     %llus\n", (unsigned long long)n->uptime);
	printf("  last heard: %s\n", heard);
}

/* node list: the table's head, or the JSON array's start */
void om_node_list_begin(void)
{
	if (json)
		jw_open_arr(NULL);
	else
		om_node_table_head();
}

/* node list: one node, a table row or a JSON object */
void om_node_print_row(const struct om_node_info *n)
{
	if (json)
		om_node_json(NULL, n);
	else
		om_node_table_row(n);
}

void om_node_list_end(void)
{
	if (json) {
		jw_close_arr();
		jw_end();
	}
}

/* node show: one node in detail, or its JSON object */
void om_node_print(const struct om_node_info *n)
{
	if (json) {
		om_node_json(NULL, n);
		jw_end();
	} else {
		om_node_show(n);
	}
}

/* A message with OM_A_NODE { attrs } ready for cmd; NULL on ENOMEM */
struct nl_msg *om_node_msg(uint8_t cmd, int flags, struct nlattr **nest)
{
	struct nl_msg *msg = om_nl_msg(cmd, flags);

	if (!msg)
		return NULL;
	*nest = nla_nest_start(msg, OM_A_NODE);
	if (!*nest) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
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
