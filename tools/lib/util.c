// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Argument helpers, after iproute2's utils.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omtools.h"

const char *om_progname = "omctl";

/* ip's matches(): arg is a non-empty prefix of pattern */
bool matches(const char *arg, const char *pattern)
{
	size_t len = strlen(arg);

	return len && len <= strlen(pattern) && !memcmp(pattern, arg, len);
}

bool is_help(const char *arg)
{
	return matches(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

int parse_node_id(const char *s, uint16_t *id)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > OM_NODE_ID_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

/* "PID": a positive pid_t */
int parse_pid(const char *s, uint32_t *pid)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > INT32_MAX)
		return -EINVAL;
	*pid = v;
	return 0;
}

/* "a.b.c.d" or "a.b.c.d:port"; port 0 when absent */
int parse_addr_port(const char *s, uint32_t *addr_be, uint16_t *port)
{
	char buf[INET_ADDRSTRLEN + 8];
	struct in_addr in;
	char *colon;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	*port = 0;
	colon = strchr(buf, ':');
	if (colon) {
		unsigned long v;
		char *end;

		*colon++ = '\0';
		if (!*colon || *colon == '-' || *colon == '+')
			return -EINVAL;
		errno = 0;
		v = strtoul(colon, &end, 10);
		if (errno || *end || v < 1 || v > 65535)
			return -EINVAL;
		*port = v;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -EINVAL;
	*addr_be = in.s_addr;
	return 0;
}

int invarg(const char *what, const char *arg)
{
	fprintf(stderr, "%s: invalid %s: \"%s\"\n", om_progname, what, arg);
	return EXIT_USAGE;
}

int toomany(const char *arg)
{
	fprintf(stderr, "%s: unexpected argument \"%s\"\n", om_progname, arg);
	return EXIT_USAGE;
}

int om_enomem(void)
{
	fprintf(stderr, "%s: out of memory\n", om_progname);
	return EXIT_KERNEL;
}

void fmt_addr(uint32_t addr_be, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = addr_be };

	if (!inet_ntop(AF_INET, &in, buf, len))
		snprintf(buf, len, "?");
}
