// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwebd's settings from openmosix.conf (KEY=VALUE, "#" comments, values
 * may be double-quoted: parsed as openmosix-start does, never executed),
 * the listen address, and logging.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "omwebd.h"

bool omw_verbose;
static bool under_systemd;
static const char *log_name = "omwebd";

void omw_log_init(const char *name)
{
	log_name = name;
	under_systemd = getenv("INVOCATION_ID") || getenv("JOURNAL_STREAM");
}

void omw_log(int prio, const char *fmt, ...)
{
	char ts[32];
	va_list ap;
	struct tm tm;
	time_t t;

	if (prio == LOG_DEBUG && !omw_verbose)
		return;
	/* journald adds its own timestamps and reads <N> as the priority */
	if (under_systemd) {
		fprintf(stderr, "<%d>%s: ", prio, log_name);
	} else {
		t = time(NULL);
		localtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(stderr, "%s %s[%d]: ", ts, log_name, (int)getpid());
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t omw_now_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

uint64_t omw_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int set_key(char *dst, size_t len, const char *val, const char *path,
		   int line, const char *key)
{
	if (strlen(val) >= len) {
		fprintf(stderr, "omwebd: %s:%d: %s is too long\n", path, line, key);
		return -1;
	}
	snprintf(dst, len, "%s", val);
	return 0;
}

/*
 * Only the OMWEBD_* keys are ours; the command line wins over the file.
 * A missing default file is fine, a missing --config file is not.
 */
int omw_config_read(const char *path, bool must_exist, struct omw_config *cfg)
{
	char buf[1024], *line, *eq, *key, *val;
	int lineno = 0, ret = 0;
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		fprintf(stderr, "omwebd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		n = strlen(buf);
		if (n == sizeof(buf) - 1 && buf[n - 1] != '\n') {
			fprintf(stderr, "omwebd: %s:%d: line too long\n", path, lineno);
			ret = -1;
			break;
		}
		line = strchr(buf, '#');
		if (line)
			*line = '\0';
		line = trim(buf);
		if (!*line)
			continue;
		eq = strchr(line, '=');
		key = line;
		if (!eq || eq == line || !isupper((unsigned char)*key)) {
			fprintf(stderr, "omwebd: %s:%d: expected KEY=VALUE\n", path, lineno);
			ret = -1;
			break;
		}
		*eq = '\0';
		for (char *p = key; *p; p++) {
			if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_') {
				fprintf(stderr, "omwebd: %s:%d: expected KEY=VALUE\n", path, lineno);
				ret = -1;
				goto out;
			}
		}
		val = eq + 1;
		n = strlen(val);
		if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
			val[n - 1] = '\0';
			val++;
		}
		if (!strcmp(key, "OMWEBD_LISTEN") && !cfg->listen_set && *val)
			ret = set_key(cfg->listen, sizeof(cfg->listen), val, path, lineno, key);
		else if (!strcmp(key, "OMWEBD_USER") && !cfg->user_set && *val)
			ret = set_key(cfg->user, sizeof(cfg->user), val, path, lineno, key);
		else if (!strcmp(key, "OMWEBD_TOKEN_FILE") && !cfg->token_set && *val)
			ret = set_key(cfg->token_file, sizeof(cfg->token_file), val, path,
				      lineno, key);
		if (ret)
			break;
	}
out:
	fclose(f);
	return ret;
}

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return -1;
	*port = v;
	return 0;
}

static int parse_v6(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	const char *close = strchr(s, ']');
	char host[INET6_ADDRSTRLEN];
	uint16_t port;
	size_t hl;

	if (!close || close[1] != ':')
		return -1;
	hl = close - s - 1;
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s + 1, hl);
	host[hl] = '\0';
	if (parse_port(close + 2, &port) || inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
		return -1;
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	*len = sizeof(*a);
	return 0;
}

static int parse_v4(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	const char *colon = strrchr(s, ':');
	char host[INET_ADDRSTRLEN];
	uint16_t port;
	size_t hl;

	if (!colon)
		return -1;
	hl = colon - s;
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (parse_port(colon + 1, &port) || inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -1;
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	*len = sizeof(*a);
	return 0;
}

/* "ADDR:PORT" or "[ADDR6]:PORT"; port 0 asks the kernel for a free one. */
int omw_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	return s[0] == '[' ? parse_v6(s, ss, len) : parse_v4(s, ss, len);
}

bool omw_addr_is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;

		return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;

		return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	}
	return false;
}
