// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for the map file parser.
 */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "tests.h"
#include "om_map.h"

static int parse(const char *text, struct om_map *m, struct om_map_error *e)
{
	return om_map_parse(text, strlen(text), m, e);
}

/* Expect failure on line `line` with `frag` in the message */
static void bad(const char *text, unsigned int line, const char *frag,
		const char *desc)
{
	struct om_map m;
	struct om_map_error e;
	int r = parse(text, &m, &e);

	TAP_CHECK(r == -EINVAL && e.line == line && strstr(e.msg, frag) &&
		  m.nranges == 0 && !m.ranges,
		  "map: %s (line %u: \"%s\")", desc, line, e.msg);
}

void test_map(void)
{
	static const char good[] =
		"# openMosix map\n"
		"\n"
		"1   10.0.0.1   4   # four nodes\n"
		"\t10  192.168.1.250:4661  6\n"
		"2   172.16.0.2  ALIAS\n"
		"3 172.16.0.3 0\r\n"
		"65535 10.9.9.9 1";
	struct om_map m;
	struct om_map_error e;
	uint32_t addr = 0;
	uint16_t port = 0;

	TAP_CHECK(parse(good, &m, &e) == 0 && m.nranges == 3 &&
		  m.naliases == 2 && om_map_count(&m) == 11,
		  "map: good file parses (%s)", e.msg);
	TAP_CHECK(om_map_lookup_id(&m, 3, &addr, &port) == 0 &&
		  addr == 0x0a000003 && port == 0 &&
		  om_map_lookup_id(&m, 15, &addr, &port) == 0 &&
		  addr == 0xc0a801ff && port == 4661 &&
		  om_map_lookup_id(&m, 16, &addr, &port) == -ENOENT,
		  "map: consecutive IDs and last-octet addresses");
	TAP_CHECK(om_map_lookup_addr(&m, 0xac100002) == 2 &&
		  om_map_lookup_addr(&m, 0xac100003) == 3 &&
		  om_map_lookup_addr(&m, 0x0a000004) == 4 &&
		  om_map_lookup_addr(&m, 0x0a000005) == 0,
		  "map: aliases resolve to their node");
	om_map_free(&m);
	TAP_CHECK(parse("1 10.0.0.1 1", &m, &e) == 0 && m.nranges == 1,
		  "map: last line without newline");
	om_map_free(&m);

	bad("", 0, "no nodes", "empty file");
	bad("# only\n\n", 0, "no nodes", "comments only");
	bad("1 10.0.0.1 1\n2 10.0.0.2\n", 2, "expected 3 fields", "missing count");
	bad("1 10.0.0.1 1 x\n", 1, "too many fields", "extra field");
	bad("0 10.0.0.1 1\n", 1, "1..65535", "ID 0");
	bad("65536 10.0.0.1 1\n", 1, "1..65535", "ID 65536");
	bad("-1 10.0.0.1 1\n", 1, "1..65535", "negative ID");
	bad("1 10.0.0.1 1\n65535 10.1.0.1 2\n", 2, "past node ID", "ID range overflow");
	bad("1 10.0.0.250 7\n", 1, "past .255", "address range overflow");
	bad("1 10.0.0.1 99999999999\n", 1, "not a number", "count overflow");
	bad("1 10.0.0.1 x\n", 1, "not a number or ALIAS", "bad count");
	bad("\n\n1 node1.example 1\n", 3, "host names", "host name");
	bad("1 10.0.0.256 1\n", 1, "IPv4", "octet > 255");
	bad("1 10.0.0 1\n", 1, "IPv4", "three octets");
	bad("1 10.0.0.1.1 1\n", 1, "IPv4", "five octets");
	bad("1 0.0.0.0 1\n", 1, "not a node", "zero address");
	bad("1 10.0.0.1:0 1\n", 1, "port", "port 0");
	bad("1 10.0.0.1:65536 1\n", 1, "port", "port 65536");
	bad("1 10.0.0.1: 1\n", 1, "port", "empty port");
	bad("1 10.0.0.1 4\n#\n3 10.1.0.1 1\n", 3, "overlap line 1", "overlapping IDs");
	bad("1 10.0.0.1 4\n9 10.0.0.4 2\n", 2, "addresses overlap line 1",
	    "overlapping addresses");
	bad("1 10.0.0.1 2\n7 10.5.0.1 ALIAS\n", 2, "no range defines",
	    "alias for unknown node");
	bad("1 10.0.0.1 2\n2 10.0.0.1 ALIAS\n", 2, "already used",
	    "alias reusing a node address");
	bad("1 10.0.0.1 2\n2 10.5.0.1 ALIAS\n1 10.5.0.1 ALIAS\n", 3,
	    "already used", "duplicate alias");
	bad("1 10.0.0.1 1\n2 10.0.\xc3\xa9.1 1\n", 2, "invalid character",
	    "non-ASCII byte");
	{
		char big[2100];

		memset(big, ' ', sizeof(big));
		memcpy(big, "1 10.0.0.1 1\n", 13);
		big[sizeof(big) - 1] = 0;
		bad(big, 2, "longer than", "overlong line");
	}
	{
		static const char nul[] = "1 10.0.0.1 1\n2 10.0.0.2\0 1\n";
		int r = om_map_parse(nul, sizeof(nul) - 1, &m, &e);

		TAP_CHECK(r == -EINVAL && e.line == 2,
			  "map: NUL byte rejected (line %u: \"%s\")", e.line,
			  e.msg);
	}
}
