// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl whois: mosctl whois, node ID <-> address.
 */
#include <string.h>
#include <netlink/genl/genl.h>

#include "omctl.h"

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl whois [ ID | ADDR ]\n"
		"  ID prints the node's address, ADDR prints the node's ID,\n"
		"  no argument prints this node.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

struct self_ctx {
	struct om_node_info n;
	bool got;
};

static int self_cb(struct nlattr **tb, void *arg)
{
	struct self_ctx *c = arg;

	if (!om_node_parse(tb[OM_A_NODE], &c->n))
		c->got = true;
	return 0;
}

/* The answer to "whois [by]": by is NULL for this node, or the ID or ADDR */
void om_whois_print(const struct om_node_info *n, const char *by)
{
	char a[INET_ADDRSTRLEN];
	uint16_t id;

	fmt_addr(n->addr, a, sizeof(a));
	open_json_object(NULL);
	if (!by) {
		print_uint(PRINT_ANY, "id", "This is openMosix node #%u", n->id);
		print_string(PRINT_ANY, "address", " (%s)\n", a);
	} else if (!parse_node_id(by, &id)) {
		/* asked by ID: the text is the address alone */
		print_uint(PRINT_JSON, "id", NULL, n->id);
		print_string(PRINT_ANY, "address", "%s\n", a);
	} else {
		print_uint(PRINT_ANY, "id", "%u\n", n->id);
		print_string(PRINT_JSON, "address", NULL, a);
	}
	close_json_object();
	print_end();
}

int do_whois(int argc, char **argv)
{
	struct om_node_info n;
	int ret;

	if (argc > 0 && is_help(argv[0]))
		return usage(stdout);
	if (argc > 1)
		return toomany(argv[1]);
	if (argc == 1 && !om_node_arg_ok(argv[0]))
		return invarg("node ID or address", argv[0]);
	if (argc == 0) {
		struct self_ctx c = { .got = false };
		struct nl_msg *msg;

		ret = om_nl_open(false);
		if (ret)
			return ret;
		msg = om_nl_msg(OM_CMD_GET_STATUS, 0);
		if (!msg)
			return EXIT_KERNEL;
		ret = om_nl_talk(msg, "whois", self_cb, &c);
		if (ret)
			return ret;
		if (!c.got) {
			fprintf(stderr, "omctl: whois: this node has no ID yet\n");
			return EXIT_KERNEL;
		}
		n = c.n;
	} else {
		ret = om_node_get(argv[0], "whois", &n);
		if (ret)
			return ret;
	}
	om_whois_print(&n, argc ? argv[0] : NULL);
	return 0;
}
