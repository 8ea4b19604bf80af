// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Checks of what a client sends, apart from the server so that the unit
 * test exercises exactly the daemon's code.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "omwebd.h"

/*
 * After unescaping: an absolute path of plain segments.  No ".", "..",
 * empty segments, backslashes or control bytes: whatever a traversal
 * tries is refused before routing (there are no files to reach anyway).
 */
bool omw_path_ok(const char *url)
{
	const char *seg;

	if (url[0] != '/')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	seg = url + 1;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);

		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!end)
			return true;
		if (n == 0)
			return false;
		seg = end + 1;
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * %XX decoding in place.  %00 stays as it is: a NUL would cut the path
 * short and let "/x%00/../" pass for "/x".
 */
size_t omw_unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		int hi = p[0] == '%' ? hexval(p[1]) : -1;
		int lo = hi >= 0 ? hexval(p[2]) : -1;

		if (lo >= 0 && (hi || lo)) {
			*o++ = (char)(hi << 4 | lo);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return o - s;
}

/* Host: against DNS rebinding, when we listen on loopback only */
bool omw_host_ok(const char *host)
{
	char name[64];
	const char *port = NULL;
	size_t n;

	if (host[0] == '[') {
		const char *close = strchr(host, ']');

		if (!close)
			return false;
		n = close - host + 1;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return false;
	} else {
		const char *colon = strchr(host, ':');

		n = colon ? (size_t)(colon - host) : strlen(host);
		if (colon)
			port = colon + 1;
	}
	if (n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, host, n);
	name[n] = '\0';
	if (port) {
		if (!*port || strlen(port) > 5)
			return false;
		for (const char *p = port; *p; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	if (!strcasecmp(name, "localhost") || !strcmp(name, "[::1]"))
		return true;
	if (!strncmp(name, "127.", 4)) {
		struct sockaddr_storage ss;
		char tmp[80];
		socklen_t len;

		snprintf(tmp, sizeof(tmp), "%s:1", name);
		return !omw_parse_listen(tmp, &ss, &len);
	}
	return false;
}

int omw_parse_pid(const char *s, uint32_t *pid)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > INT32_MAX)
		return -1;
	*pid = v;
	return 0;
}

/* decimal digits only, no sign, no spaces */
int omw_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}
