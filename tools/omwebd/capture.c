// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl's netlink and migration code reports errors on stderr, for a
 * terminal.  omwebd runs the same code with stderr on a memfd, so that the
 * page gets the very message omctl would print, and the log does not get
 * it once a second while the module is away.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "omwebd.h"

int omw_capture_init(struct omw_capture *c)
{
	c->saved = -1;
	c->fd = memfd_create("omwebd-stderr", MFD_CLOEXEC);
	return c->fd < 0 ? -errno : 0;
}

void omw_capture_begin(struct omw_capture *c)
{
	fflush(stderr);
	if (c->fd < 0)
		return;
	if (ftruncate(c->fd, 0) || lseek(c->fd, 0, SEEK_SET) < 0)
		return;
	c->saved = dup(STDERR_FILENO);
	if (c->saved >= 0)
		dup2(c->fd, STDERR_FILENO);
}

void omw_capture_end(struct omw_capture *c, char *buf, size_t len)
{
	char raw[2048];
	ssize_t n = 0;

	fflush(stderr);
	buf[0] = '\0';
	if (c->saved < 0)
		return;
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	c->saved = -1;
	n = pread(c->fd, raw, sizeof(raw) - 1, 0);
	if (n < 0)
		n = 0;
	omw_clean_message(raw, n, buf, len);
}

/* a line's "omctl: " or "omwebd: " (om_progname) prefix, 0 if none */
static size_t prog_prefix(const char *line, size_t n)
{
	static const char *const progs[] = { "omctl: ", "omwebd: " };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(progs); k++) {
		size_t l = strlen(progs[k]);

		if (n >= l && !memcmp(line, progs[k], l))
			return l;
	}
	return 0;
}

/*
 * "omctl: a\nomwebd: b\n" -> "a; b" (printable ASCII only): the action
 * child's messages come from libomtools under om_progname, "omwebd".
 */
void omw_clean_message(const char *in, size_t n, char *buf, size_t len)
{
	size_t o = 0, i = 0;

	buf[0] = '\0';
	while (i < n && o + 1 < len) {
		const char *nl = memchr(in + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - in) : n;

		i += prog_prefix(in + i, end - i);
		if (end > i && o > 0 && o + 3 < len) {
			buf[o++] = ';';
			buf[o++] = ' ';
		}
		for (; i < end && o + 1 < len; i++)
			buf[o++] = (in[i] >= 0x20 && in[i] < 0x7f) ? in[i] : '?';
		i = end + 1;
	}
	buf[o] = '\0';
}
