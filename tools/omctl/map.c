// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl map: the openMosix map file (see openmosix.map(5)), parsed by
 * common/om_map.c and handed to the kernel as one OM_CMD_LOAD_MAP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "omctl.h"
#include "om_map.h"

/* Far above any legal map (65536 lines of at most 1024 bytes is 64M). */
#define MAP_MAX_BYTES	(16u << 20)

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl map load [ FILE ]\n"
		"       omctl map show [ FILE ]\n"
		"       omctl map help\n"
		"FILE defaults to %s, \"-\" reads stdin.\n"
		"load replaces every static node in the kernel at once;\n"
		"show prints the parsed map and needs no kernel module.\n",
		OM_DEFAULT_MAP);
	return f == stdout ? 0 : EXIT_USAGE;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 0, n = 0;
	char *buf = NULL;

	if (!f) {
		fprintf(stderr, "omctl: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > MAP_MAX_BYTES + 1)
				cap = MAP_MAX_BYTES + 1;
			nb = n < cap ? realloc(buf, cap) : NULL;
			if (!nb) {
				fprintf(stderr, "omctl: %s: %s\n", path,
					n < cap ? strerror(ENOMEM) : "file too large");
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "omctl: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf ? buf : strdup("");
fail:
	if (f != stdin)
		fclose(f);
	free(buf);
	return NULL;
}

/* Parse path into map; prints "FILE:LINE: message" and returns 1 on error. */
static int load_file(const char *path, struct om_map *map)
{
	struct om_map_error err = { 0 };
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	const char *msg;
	size_t len;
	char *text = read_all(path, &len);
	int ret;

	if (!text)
		return EXIT_USAGE;
	ret = om_map_parse(text, len, map, &err);
	free(text);
	if (!ret)
		return 0;
	/* om_map says "line N: ..."; we say "FILE:N: ..." like a compiler. */
	msg = err.msg;
	if (err.line && !strncmp(msg, "line ", 5)) {
		const char *colon = strstr(msg, ": ");

		if (colon)
			msg = colon + 2;
	}
	if (err.line)
		fprintf(stderr, "%s:%u: %s\n", name, err.line, msg);
	else
		fprintf(stderr, "%s: %s\n", name, *msg ? msg : strerror(-ret));
	return EXIT_USAGE;
}

static void print_entry(const char *kind, uint16_t id, uint32_t addr,
			uint16_t port)
{
	char a[INET_ADDRSTRLEN];

	fmt_addr(htonl(addr), a, sizeof(a));
	open_json_object(NULL);
	print_string(PRINT_FP, NULL, "%-5s ", kind);
	print_uint(PRINT_ANY, "id", "%5u  ", id);
	print_string(PRINT_ANY, "address", "%s", a);
	/* no port: the text leaves it out, JSON says 0 */
	print_uint(port ? PRINT_ANY : PRINT_JSON, "port", ":%u", port);
	print_nl();
	close_json_object();
}

static int map_show(const char *path)
{
	struct om_map map;
	int ret = load_file(path, &map);

	if (ret)
		return ret;
	open_json_object(NULL);
	print_string(PRINT_ANY, "file", "# %s: ", path);
	print_uint(PRINT_ANY, "count", "%u node(s), ", om_map_count(&map));
	print_uint(PRINT_FP, NULL, "%u alias(es)\n", map.naliases);
	open_json_array("nodes");
	for (unsigned int i = 0; i < map.nranges; i++) {
		const struct om_map_range *r = &map.ranges[i];

		for (uint32_t k = 0; k < r->count; k++)
			print_entry("node", r->first_id + k, r->addr + k, r->port);
	}
	close_json_array();
	open_json_array("aliases");
	for (unsigned int i = 0; i < map.naliases; i++)
		print_entry("alias", map.aliases[i].id, map.aliases[i].addr,
			    map.aliases[i].port);
	close_json_array();
	close_json_object();
	print_end();
	om_map_free(&map);
	return 0;
}

/* Bytes of one OM_A_NODE nest: ID and ADDR, PORT only when set. */
static size_t node_size(uint16_t port)
{
	return nla_total_size(0) + nla_total_size(2) + nla_total_size(4) +
	       (port ? nla_total_size(2) : 0);
}

/* The node's ALIAS lines as OM_NA_ALIAS (the parser capped them per node). */
static int put_aliases(struct nl_msg *msg, const struct om_map *map,
		       uint16_t id)
{
	for (unsigned int i = 0; i < map->naliases; i++)
		if (map->aliases[i].id == id &&
		    nla_put_u32(msg, OM_NA_ALIAS, htonl(map->aliases[i].addr)))
			return -ENOMEM;
	return 0;
}

static int map_load(const char *path)
{
	struct nlattr *mapnest, *nest;
	struct om_map map;
	struct nl_msg *msg;
	size_t bytes = nla_total_size(0);
	int ret = load_file(path, &map);

	if (ret)
		return ret;
	for (unsigned int i = 0; i < map.nranges; i++)
		bytes += map.ranges[i].count * node_size(map.ranges[i].port);
	bytes += map.naliases * nla_total_size(4);
	/* A netlink attribute's length is 16 bits; the map is one nest. */
	if (bytes > 65535) {
		fprintf(stderr,
			"omctl: %s: %u nodes do not fit in one OM_CMD_LOAD_MAP (attribute over 64 KiB); split the cluster or use omdiscd\n",
			path, om_map_count(&map));
		om_map_free(&map);
		return EXIT_USAGE;
	}
	/* a node has one port: an alias is another address of it */
	for (unsigned int i = 0; i < map.naliases; i++)
		if (map.aliases[i].port)
			fprintf(stderr,
				"omctl: warning: %s:%u: the port of an ALIAS is ignored (node %u's port is used)\n",
				path, map.aliases[i].line, map.aliases[i].id);
	ret = om_nl_open(false);
	if (ret)
		goto out;
	ret = EXIT_KERNEL;
	msg = om_nl_msg(OM_CMD_LOAD_MAP, 0);
	if (!msg)
		goto nomem;
	mapnest = nla_nest_start(msg, OM_A_MAP);
	if (!mapnest)
		goto nomem_msg;
	for (unsigned int i = 0; i < map.nranges; i++) {
		const struct om_map_range *r = &map.ranges[i];

		for (uint32_t k = 0; k < r->count; k++) {
			nest = nla_nest_start(msg, OM_A_NODE);
			if (!nest || nla_put_u16(msg, OM_NA_ID, r->first_id + k) ||
			    nla_put_u32(msg, OM_NA_ADDR, htonl(r->addr + k)) ||
			    (r->port && nla_put_u16(msg, OM_NA_PORT, r->port)) ||
			    put_aliases(msg, &map, r->first_id + k))
				goto nomem_msg;
			nla_nest_end(msg, nest);
		}
	}
	nla_nest_end(msg, mapnest);
	ret = om_nl_talk(msg, "map load", NULL, NULL);
	goto out;
nomem_msg:
	nlmsg_free(msg);
nomem:
	fprintf(stderr, "omctl: map load: out of memory\n");
out:
	om_map_free(&map);
	return ret;
}

int do_map(int argc, char **argv)
{
	const char *path;

	if (argc < 1)
		return map_show(OM_DEFAULT_MAP);
	if (is_help(argv[0]))
		return usage(stdout);
	path = argc > 1 ? argv[1] : OM_DEFAULT_MAP;
	if (argc > 2)
		return toomany(argv[2]);
	if (matches(argv[0], "load"))
		return map_load(path);
	if (matches(argv[0], "show"))
		return map_show(path);
	fprintf(stderr, "Command \"%s\" is unknown, try \"omctl map help\".\n",
		argv[0]);
	return EXIT_USAGE;
}
