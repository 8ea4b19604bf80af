// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl: openMosix-NG control, "omctl [OPTIONS] OBJECT { COMMAND | help }"
 * after ip(8); talks to the kernel module over generic netlink.
 */
#include <getopt.h>
#include <string.h>

#include "omctl.h"

static int do_help(int argc, char **argv);

static const struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
} cmds[] = {
	/* Order decides prefix matching: the first match wins. */
	{ "status",	do_status },
	{ "node",	do_node },
	{ "proc",	do_proc },
	{ "policy",	do_policy },
	{ "map",	do_map },
	{ "cluster",	do_cluster },
	{ "monitor",	do_monitor },
	{ "whois",	do_whois },
	{ "checkpoint",	do_checkpoint },
	{ "restore",	do_restore },
	{ "run",	do_run },
	{ "help",	do_help },
	{ NULL, NULL }
};

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       omctl -V\n"
		"where  OBJECT := { status | node | proc | policy | map | cluster |\n"
		"                   monitor | whois | checkpoint | restore | run }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n"
		"\n"
		"  status                          this node and the cluster\n"
		"  node { list | show | add | del | block | unblock }\n"
		"  proc { list | show | lock | unlock | migrate | home }  processes\n"
		"  policy { show | set NAME VALUE... }  balancer knobs (mosctl stay, ...)\n"
		"  map { load | show } [ FILE ]    the openmosix.map file\n"
		"  cluster key { set FILE | generate }\n"
		"  monitor                         node and migration events as they happen\n"
		"  whois [ ID | ADDR ]             node ID <-> address\n"
		"  checkpoint PID DIR [ --leave-running ]  CRIU images of a process\n"
		"  restore DIR [ --wait ]          a process from CRIU images\n"
		"  run [ --home | --node NODE ] [ --lock | --unlock ] -- CMD [ ARG ]...\n"
		"                                  run a command, as mosrun\n"
		"\n"
		"Try \"omctl OBJECT help\" for details.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

static int do_help(int argc, char **argv)
{
	return usage(stdout);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	/* "+": stop at the object, its arguments may look like options. */
	while ((c = getopt_long(argc, argv, "+jpVh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'V':
			printf("omctl %s\n", OM_TOOLS_VERSION);
			return 0;
		case 'h':
			return usage(stdout);
		default:
			fprintf(stderr, "Try \"omctl help\".\n");
			return EXIT_USAGE;
		}
	}
	/* -p alone implies JSON, as in ip. */
	if (pretty)
		json = true;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage(stderr);
	/* the kernel's keeper of an arriving process: the exact word only */
	if (!strcmp(argv[0], "guest"))
		return do_guest(argc - 1, argv + 1);
	for (const struct cmd *cmd = cmds; cmd->name; cmd++)
		if (matches(argv[0], cmd->name))
			return cmd->func(argc - 1, argv + 1);
	fprintf(stderr, "Object \"%s\" is unknown, try \"omctl help\".\n", argv[0]);
	return EXIT_USAGE;
}
