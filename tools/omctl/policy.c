// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl policy: the balancer's knobs in /sys/kernel/openmosix, as
 * openMosix's mosctl stay|nostay|lstay|nolstay|quiet|noquiet|setspeed
 * set them.  The
 * kernel validates every write too; checking here first gives the range
 * in the message and lets "set" refuse a bad value before it writes any.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "omctl.h"

#define OM_SYSFS_DIR	"/sys/kernel/openmosix"
#define LOAD_SCALE	1024	/* OM_LOAD_FSCALE: one runnable task per CPU */

enum knob_type { K_BOOL, K_UINT, K_LOAD };

static const struct knob {
	const char *name;
	enum knob_type type;
	unsigned int min, max;
} knobs[] = {
	{ "balance",		K_BOOL, 0, 1 },
	{ "balance_interval_ms", K_UINT, 100, 600000 },
	{ "load_limit",		K_LOAD, 0, 1000000 },
	{ "stay",		K_BOOL, 0, 1 },
	{ "lstay",		K_BOOL, 0, 1 },
	{ "quiet",		K_BOOL, 0, 1 },
	{ "speed",		K_UINT, 1, 1000000 },
};
#define NKNOBS ARRAY_SIZE(knobs)

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl policy [ show ]\n"
		"       omctl policy set NAME VALUE [ NAME VALUE ]...\n"
		"       omctl policy help\n"
		"NAME VALUE := { balance { on | off }            automatic load balancing\n"
		"              | balance_interval_ms 100..600000  how often it decides\n"
		"              | load_limit { 0..1000000 | LOAD } push away and refuse guests\n"
		"                                                above it; 0: no limit\n"
		"              | stay { on | off }               move nothing away (mosctl stay)\n"
		"              | lstay { on | off }              keep this node's own processes\n"
		"                                                (mosctl lstay)\n"
		"              | quiet { on | off }              stop telling others this\n"
		"                                                node's load: they stop\n"
		"                                                sending it processes\n"
		"                                                (mosctl quiet)\n"
		"              | speed 1..1000000 }              10000 = the yardstick CPU\n"
		"load_limit is on the load scale, 1024 = one runnable task per CPU of\n"
		"yardstick speed; a LOAD with a decimal point is in tasks: 1.5 = 1536.\n"
		"\"set\" checks every value before it writes any; it needs root.\n"
		"Blocking guests (mosctl block) is \"omctl node block ID\" with this\n"
		"node's ID.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

/* The knobs' directory; OMCTL_SYSFS replaces it (tests only). */
static const char *sysfs_dir(void)
{
	const char *d = getenv("OMCTL_SYSFS");

	return d && *d ? d : OM_SYSFS_DIR;
}

/* 0 if the directory is there, else an exit code with the message */
static int sysfs_present(const char *what)
{
	struct stat st;

	if (!stat(sysfs_dir(), &st))
		return 0;
	if (errno == ENOENT)
		fprintf(stderr, "omctl: openmosix module not loaded (modprobe openmosix)\n");
	else
		fprintf(stderr, "omctl: %s: %s: %s\n", what, sysfs_dir(),
			strerror(errno));
	return EXIT_KERNEL;
}

static void knob_path(const struct knob *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", sysfs_dir(), k->name);
}

/* Plain decimal digits only: no sign, no 0x, no octal surprise */
static int parse_uint(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/*
 * "I.F": a load in runnable tasks per yardstick CPU, times LOAD_SCALE,
 * rounded to the nearest unit.  Integer arithmetic, so no locale.
 */
static int parse_load(const char *s, unsigned long *v)
{
	unsigned long ip = 0, num = 0, den = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		ip = ip * 10 + (*p - '0');
		if (ip > 1000000)
			return -ERANGE;
	}
	if (*p++ != '.' || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		/* digits beyond the ninth cannot change the result */
		if (den < 1000000000UL) {
			num = num * 10 + (*p - '0');
			den *= 10;
		}
	}
	if (*p)
		return -EINVAL;
	*v = ip * LOAD_SCALE + (num * LOAD_SCALE + den / 2) / den;
	return 0;
}

/* A value as the user gave it; 0 or EXIT_USAGE with the allowed range */
static int parse_value(const struct knob *k, const char *arg, unsigned int *out)
{
	unsigned long v;

	switch (k->type) {
	case K_BOOL:
		if (!strcmp(arg, "on") || !strcmp(arg, "1")) {
			*out = 1;
			return 0;
		}
		if (!strcmp(arg, "off") || !strcmp(arg, "0")) {
			*out = 0;
			return 0;
		}
		fprintf(stderr, "omctl: policy set: %s must be on or off, not \"%s\"\n",
			k->name, arg);
		return EXIT_USAGE;
	case K_LOAD:
		if (strchr(arg, '.')) {
			if (parse_load(arg, &v) || v > k->max)
				break;
			*out = v;
			return 0;
		}
		/* fall through */
	case K_UINT:
		if (parse_uint(arg, &v) || v < k->min || v > k->max)
			break;
		*out = v;
		return 0;
	}
	if (k->type == K_LOAD)
		fprintf(stderr, "omctl: policy set: %s must be %u..%u, or a load 0.0..%u.%02u with a decimal point, not \"%s\"\n",
			k->name, k->min, k->max, k->max / LOAD_SCALE,
			k->max % LOAD_SCALE * 100 / LOAD_SCALE, arg);
	else
		fprintf(stderr, "omctl: policy set: %s must be %u..%u, not \"%s\"\n",
			k->name, k->min, k->max, arg);
	return EXIT_USAGE;
}

/* A knob's value: 0, -errno, or -EINVAL for what is not a number */
static int read_knob(const struct knob *k, unsigned int *v)
{
	char path[4096], buf[32];
	unsigned long u;
	ssize_t n;
	int fd;

	knob_path(k, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	if (parse_uint(buf, &u) || u > UINT32_MAX)
		return -EINVAL;
	*v = u;
	return 0;
}

/* As "echo V > knob" does it; 0 or -errno */
static int write_knob(const struct knob *k, unsigned int v)
{
	char path[4096], buf[16];
	int fd, len, ret = 0;

	knob_path(k, path, sizeof(path));
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%u\n", v);
	if (write(fd, buf, len) != len)
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

static const struct knob *find_knob(const char *name)
{
	for (size_t i = 0; i < NKNOBS; i++)
		if (!strcmp(name, knobs[i].name))
			return &knobs[i];
	return NULL;
}

/* "NAME: VALUE" or "NAME": VALUE; null when the module lacks the knob */
static void show_knob(const struct knob *k, int err, unsigned int v)
{
	char why[64], load[32];

	print_string(PRINT_FP, NULL, "%s: ", k->name);
	if (err) {
		snprintf(why, sizeof(why), "- (%s)", strerror(-err));
		print_null(PRINT_ANY, k->name, "%s\n", why);
	} else if (k->type == K_BOOL) {
		print_on_off(PRINT_ANY, k->name, "%s\n", v);
	} else if (k->type == K_LOAD && !v) {
		print_uint(PRINT_ANY, k->name, "%u (no limit)\n", v);
	} else if (k->type == K_LOAD) {
		snprintf(load, sizeof(load), "%.2f", (double)v / LOAD_SCALE);
		print_uint(PRINT_ANY, k->name, "%u", v);
		print_string(PRINT_FP, NULL, " (load %s)\n", load);
	} else {
		print_uint(PRINT_ANY, k->name, "%u\n", v);
	}
}

static int policy_show(int argc, char **argv)
{
	unsigned int v[NKNOBS];
	int err[NKNOBS], ret;

	if (argc > 0)
		return toomany(argv[0]);
	ret = sysfs_present("policy show");
	if (ret)
		return ret;
	for (size_t i = 0; i < NKNOBS; i++)
		err[i] = read_knob(&knobs[i], &v[i]);
	open_json_object(NULL);
	for (size_t i = 0; i < NKNOBS; i++)
		show_knob(&knobs[i], err[i], v[i]);
	close_json_object();
	print_end();
	return 0;
}

static int set_error(const struct knob *k, unsigned int v, int err)
{
	if (err == -EACCES || err == -EPERM)
		fprintf(stderr, "omctl: policy set: needs root\n");
	else if (err == -ENOENT)
		fprintf(stderr, "omctl: policy set: the loaded module has no knob %s\n",
			k->name);
	else if (err == -EINVAL)
		fprintf(stderr, "omctl: policy set: the kernel refused %s %u: out of range (%s)\n",
			k->name, v, strerror(-err));
	else
		fprintf(stderr, "omctl: policy set: %s: %s\n", k->name, strerror(-err));
	return EXIT_KERNEL;
}

static int policy_set(int argc, char **argv)
{
	const struct knob *set[NKNOBS];
	unsigned int val[NKNOBS], old[NKNOBS];
	bool has_old[NKNOBS];
	size_t n = 0, done;
	int ret, err = 0;

	if (argc < 1) {
		fprintf(stderr, "omctl: policy set: missing NAME VALUE\n");
		return EXIT_USAGE;
	}
	/* every value first: a typo anywhere changes nothing */
	for (int i = 0; i < argc; i += 2) {
		const struct knob *k = find_knob(argv[i]);

		if (!k) {
			fprintf(stderr, "omctl: policy set: unknown knob \"%s\" (balance, balance_interval_ms, load_limit, stay, lstay, quiet, speed)\n",
				argv[i]);
			return EXIT_USAGE;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "omctl: policy set: %s without a VALUE\n", k->name);
			return EXIT_USAGE;
		}
		for (size_t j = 0; j < n; j++) {
			if (set[j] == k) {
				fprintf(stderr, "omctl: policy set: %s given twice\n", k->name);
				return EXIT_USAGE;
			}
		}
		ret = parse_value(k, argv[i + 1], &val[n]);
		if (ret)
			return ret;
		if (k->type == K_LOAD && !strchr(argv[i + 1], '.') &&
		    val[n] && val[n] < LOAD_SCALE)
			fprintf(stderr, "omctl: policy set: note: load_limit %u is a load below 1 (%u = one runnable task per CPU); for a load of %u write %u.0\n",
				val[n], LOAD_SCALE, val[n], val[n]);
		set[n++] = k;
	}
	ret = sysfs_present("policy set");
	if (ret)
		return ret;
	/*
	 * Can we write every one (root, the module has it)?  The old values,
	 * to put back if the kernel refuses one after others were written.
	 */
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		int fd;

		knob_path(set[i], path, sizeof(path));
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return set_error(set[i], val[i], -errno);
		close(fd);
		has_old[i] = !read_knob(set[i], &old[i]);
	}
	for (done = 0; done < n; done++) {
		err = write_knob(set[done], val[done]);
		if (err)
			break;
	}
	if (!err)
		return 0;
	ret = set_error(set[done], val[done], err);
	while (done-- > 0) {
		int e = has_old[done] ? write_knob(set[done], old[done]) : -ENODATA;

		if (e)
			fprintf(stderr, "omctl: policy set: %s was set to %u and could not be restored: %s\n",
				set[done]->name, val[done], strerror(-e));
		else
			fprintf(stderr, "omctl: policy set: %s restored to %u\n",
				set[done]->name, old[done]);
	}
	return ret;
}

int do_policy(int argc, char **argv)
{
	if (argc < 1)
		return policy_show(0, NULL);
	if (is_help(argv[0]))
		return usage(stdout);
	if (matches(argv[0], "show"))
		return policy_show(argc - 1, argv + 1);
	if (matches(argv[0], "set"))
		return policy_set(argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"omctl policy help\".\n",
		argv[0]);
	return EXIT_USAGE;
}
