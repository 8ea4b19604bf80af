// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl node: the cluster's node table.
 */
#include <errno.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "omctl.h"

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl node list\n"
		"       omctl node show { ID | ADDR }\n"
		"       omctl node add ID ADDR[:PORT] [ alias ADDR ]...\n"
		"       omctl node del ID\n"
		"       omctl node block ID\n"
		"       omctl node unblock ID\n"
		"       omctl node help\n"
		"ID := 1..65535   ADDR := IPv4 address\n"
		"A node has at most %d alias addresses (multi-homed hosts).\n",
		OM_NODE_ALIASES_MAX);
	return f == stdout ? 0 : EXIT_USAGE;
}

static int put_id(struct nl_msg *msg, uint16_t id)
{
	return nla_put_u16(msg, OM_NA_ID, id);
}

struct list_ctx {
	unsigned int count;
};

static int list_cb(struct nlattr **tb, void *arg)
{
	struct list_ctx *c = arg;
	struct om_node_info n;

	if (om_node_parse(tb[OM_A_NODE], &n))
		return 0;
	om_node_table_row(&n);
	c->count++;
	return 0;
}

static int node_list(int argc, char **argv)
{
	struct list_ctx c = { 0 };
	struct nl_msg *msg;
	int ret;

	if (argc > 0)
		return toomany(argv[0]);
	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_nl_msg(OM_CMD_GET_NODE, NLM_F_DUMP);
	if (!msg)
		return om_enomem();
	om_node_list_begin();
	ret = om_nl_talk(msg, "node list", list_cb, &c);
	om_node_list_end();
	return ret;
}

static int node_show(int argc, char **argv)
{
	struct om_node_info n;
	int ret;

	if (argc < 1) {
		fprintf(stderr, "omctl: node show: missing ID or ADDR\n");
		return EXIT_USAGE;
	}
	if (argc > 1)
		return toomany(argv[1]);
	/* Syntax first, so a typo is exit 1 even without the module. */
	if (!om_node_arg_ok(argv[0]))
		return invarg("node ID or address", argv[0]);
	ret = om_node_get(argv[0], "node show", &n);
	if (ret)
		return ret;
	om_node_show(&n);
	return 0;
}

static int node_add(int argc, char **argv)
{
	uint32_t addr, aliases[OM_NODE_ALIASES_MAX];
	unsigned int naliases = 0;
	struct nlattr *nest;
	struct nl_msg *msg;
	uint16_t id, port, aport;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "omctl: node add: need ID and ADDR[:PORT]\n");
		return EXIT_USAGE;
	}
	if (parse_node_id(argv[0], &id))
		return invarg("node ID (1..65535)", argv[0]);
	if (parse_addr_port(argv[1], &addr, &port))
		return invarg("address (IPv4[:PORT])", argv[1]);
	/* ip-style keywords: "alias ADDR", repeated */
	for (int i = 2; i < argc; i += 2) {
		if (!matches(argv[i], "alias"))
			return toomany(argv[i]);
		if (i + 1 >= argc) {
			fprintf(stderr, "omctl: node add: alias needs an ADDR\n");
			return EXIT_USAGE;
		}
		if (naliases == OM_NODE_ALIASES_MAX) {
			fprintf(stderr, "omctl: node add: at most %d aliases\n",
				OM_NODE_ALIASES_MAX);
			return EXIT_USAGE;
		}
		if (parse_addr_port(argv[i + 1], &aliases[naliases], &aport) || aport)
			return invarg("alias address (IPv4, no port)", argv[i + 1]);
		naliases++;
	}
	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_node_msg(OM_CMD_ADD_NODE, 0, &nest);
	if (!msg)
		return om_enomem();
	if (put_id(msg, id) || nla_put_u32(msg, OM_NA_ADDR, addr) ||
	    (port && nla_put_u16(msg, OM_NA_PORT, port))) {
		nlmsg_free(msg);
		return om_enomem();
	}
	for (unsigned int i = 0; i < naliases; i++) {
		if (nla_put_u32(msg, OM_NA_ALIAS, aliases[i])) {
			nlmsg_free(msg);
			return om_enomem();
		}
	}
	nla_nest_end(msg, nest);
	return om_nl_talk(msg, "node add", NULL, NULL);
}

/* del, block, unblock: OM_A_NODE { ID [, BLOCKED] } */
static int node_simple(int argc, char **argv, const char *what, uint8_t cmd,
		       int blocked)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	uint16_t id;
	int ret;

	if (argc < 1) {
		fprintf(stderr, "omctl: %s: missing node ID\n", what);
		return EXIT_USAGE;
	}
	if (argc > 1)
		return toomany(argv[1]);
	if (parse_node_id(argv[0], &id))
		return invarg("node ID (1..65535)", argv[0]);
	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_node_msg(cmd, 0, &nest);
	if (!msg)
		return om_enomem();
	if (put_id(msg, id) ||
	    (blocked >= 0 && nla_put_u8(msg, OM_NA_BLOCKED, blocked))) {
		nlmsg_free(msg);
		return om_enomem();
	}
	nla_nest_end(msg, nest);
	return om_nl_talk(msg, what, NULL, NULL);
}

int do_node(int argc, char **argv)
{
	if (argc < 1)
		return node_list(0, NULL);
	if (is_help(argv[0]))
		return usage(stdout);
	if (matches(argv[0], "list") || !strcmp(argv[0], "ls"))
		return node_list(argc - 1, argv + 1);
	if (matches(argv[0], "show"))
		return node_show(argc - 1, argv + 1);
	if (matches(argv[0], "add"))
		return node_add(argc - 1, argv + 1);
	if (matches(argv[0], "delete") || matches(argv[0], "del"))
		return node_simple(argc - 1, argv + 1, "node del",
				   OM_CMD_DEL_NODE, -1);
	if (matches(argv[0], "block"))
		return node_simple(argc - 1, argv + 1, "node block",
				   OM_CMD_SET_NODE, 1);
	if (matches(argv[0], "unblock"))
		return node_simple(argc - 1, argv + 1, "node unblock",
				   OM_CMD_SET_NODE, 0);
	fprintf(stderr, "Command \"%s\" is unknown, try \"omctl node help\".\n",
		argv[0]);
	return EXIT_USAGE;
}
