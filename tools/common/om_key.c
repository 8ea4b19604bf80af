// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Cluster key files (see om_key.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "om_key.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int om_key_parse(const char *buf, size_t len, uint8_t key[OM_KEY_BYTES],
		 const char **why)
{
	size_t i, rest;

	for (i = 0; i < len && hexval((unsigned char)buf[i]) >= 0; i++)
		;
	rest = len - i;
	if (i > OM_KEY_HEX) {
		*why = "too long";
		return -EINVAL;
	}
	if (i < OM_KEY_HEX) {
		*why = (!rest || buf[i] == '\n' || buf[i] == '\r') ?
			"too short" : "not a hex digit";
		return -EINVAL;
	}
	if (rest > 2 || (rest == 1 && buf[i] != '\n') ||
	    (rest == 2 && (buf[i] != '\r' || buf[i + 1] != '\n'))) {
		*why = "trailing data after the key";
		return -EINVAL;
	}
	for (i = 0; i < OM_KEY_BYTES; i++)
		key[i] = hexval(buf[2 * i]) << 4 | hexval(buf[2 * i + 1]);
	return 0;
}

int om_key_read(const char *path, uint8_t key[OM_KEY_BYTES], const char **why,
		int *loose)
{
	char buf[OM_KEY_HEX + 8];
	struct stat st;
	size_t len = 0;
	int fd, ret = 0;

	*loose = 0;
	*why = NULL;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -errno;
	if (fd && !fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)))
		*loose = 1;
	while (len < sizeof(buf)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	if (fd)
		close(fd);
	if (!ret)
		ret = om_key_parse(buf, len, key, why);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}
