// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl cluster key: the shared cluster key (OM_KEY_LEN bytes, written as
 * 64 hex digits in /etc/openmosix/cluster.key).
 * omctl cluster expel / bring: every guest here goes home, every process
 * of this node away comes home (mosctl expel / bring), through
 * /dev/openmosix.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <netlink/genl/genl.h>

#include "omctl.h"
#include "om_key.h"

_Static_assert(OM_KEY_BYTES == OM_KEY_LEN, "key length");

#define OM_EXPEL_TIMEOUT	120	/* seconds expel and bring wait by default */

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl cluster key set { FILE | - }\n"
		"       omctl cluster key generate\n"
		"       omctl cluster expel [--timeout SEC]   send every guest home\n"
		"       omctl cluster bring [--timeout SEC]   bring every process of this node home\n"
		"       omctl cluster help\n"
		"expel and bring wait until none is left (default %d s, 0 = do not wait).\n"
		"A key file holds %d hex digits and an optional newline; make it\n"
		"mode 0600, e.g.  (umask 077; omctl cluster key generate > /etc/openmosix/cluster.key)\n",
		OM_EXPEL_TIMEOUT, 2 * OM_KEY_LEN);
	return f == stdout ? 0 : EXIT_USAGE;
}

static int key_set(int argc, char **argv)
{
	uint8_t key[OM_KEY_LEN];
	const char *path, *why = NULL;
	struct nl_msg *msg;
	int ret, loose;

	if (argc < 1) {
		fprintf(stderr, "omctl: cluster key set: missing FILE (or - for stdin)\n");
		return EXIT_USAGE;
	}
	if (argc > 1)
		return toomany(argv[1]);
	path = argv[0];
	ret = om_key_read(path, key, &why, &loose);
	/* A key others can read is no secret; say so but do as told. */
	if (loose)
		fprintf(stderr, "omctl: warning: %s is accessible by group/others (chmod 600 %s)\n",
			path, path);
	if (ret && why) {
		fprintf(stderr, "omctl: %s: not a cluster key (%s): expected %d hex digits and an optional newline\n",
			strcmp(path, "-") ? path : "<stdin>", why, OM_KEY_HEX);
		return EXIT_USAGE;
	}
	if (ret) {
		fprintf(stderr, "omctl: %s: %s\n", path, strerror(-ret));
		return EXIT_USAGE;
	}
	ret = om_nl_open(false);
	if (ret)
		goto out;
	ret = EXIT_KERNEL;
	msg = om_nl_msg(OM_CMD_SET_KEY, 0);
	if (!msg || nla_put(msg, OM_A_KEY, OM_KEY_LEN, key)) {
		fprintf(stderr, "omctl: out of memory\n");
		if (msg)
			nlmsg_free(msg);
		goto out;
	}
	/* libnl copied the key into msg; om_nl_talk frees it (unscrubbed). */
	ret = om_nl_talk(msg, "cluster key set", NULL, NULL);
out:
	explicit_bzero(key, sizeof(key));
	return ret;
}

static int key_generate(int argc, char **argv)
{
	uint8_t key[OM_KEY_LEN];
	size_t got = 0;

	if (argc > 0)
		return toomany(argv[0]);
	while (got < sizeof(key)) {
		ssize_t n = getrandom(key + got, sizeof(key) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "omctl: getrandom: %s\n", strerror(errno));
			return EXIT_KERNEL;
		}
		got += n;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		printf("%02x", key[i]);
	putchar('\n');
	explicit_bzero(key, sizeof(key));
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "omctl: write: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

/* What expel or bring did: found to move, left when it returned */
void om_cluster_print(bool expel, uint32_t found, uint32_t left)
{
	open_json_object(NULL);
	print_string(PRINT_JSON, "op", NULL, expel ? "expel" : "bring");
	if (expel)
		print_uint(PRINT_ANY, "found", found == 1 ? "%u guest sent home" :
			   "%u guests sent home", found);
	else
		print_uint(PRINT_ANY, "found", found == 1 ?
			   "%u process brought home" :
			   "%u processes brought home", found);
	print_uint(PRINT_JSON, "left", NULL, left);
	print_string(PRINT_FP, NULL, "%s\n",
		     left ? " (asked; not waited for)" : "");
	close_json_object();
	print_end();
}

static int expel_bring(int argc, char **argv, bool expel)
{
	const char *what = expel ? "cluster expel" : "cluster bring";
	struct om_cluster_req req = { .size = sizeof(req) };
	unsigned long sec = OM_EXPEL_TIMEOUT;
	int dev, ret;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--timeout") || !strcmp(argv[i], "-t")) {
			char *end;

			if (i + 1 >= argc) {
				fprintf(stderr, "omctl: %s: --timeout needs seconds\n", what);
				return EXIT_USAGE;
			}
			errno = 0;
			sec = strtoul(argv[++i], &end, 10);
			if (errno || *end || !*argv[i] || sec > 86400)
				return invarg("timeout (seconds, 0..86400)", argv[i]);
		} else {
			return toomany(argv[i]);
		}
	}
	req.op = expel ? OM_CLUSTER_EXPEL : OM_CLUSTER_BRING;
	req.timeout_ms = (uint32_t)(sec * 1000);
	dev = open(OM_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "omctl: %s: %s (is the openmosix module loaded?)\n",
			OM_DEV_PATH, strerror(errno));
		return EXIT_KERNEL;
	}
	ret = ioctl(dev, OM_IOC_CLUSTER, &req) < 0 ? -errno : 0;
	close(dev);
	req.reason[sizeof(req.reason) - 1] = 0;
	if (ret) {
		fprintf(stderr, "omctl: %s: %s%s%s\n", what,
			req.reason[0] ? req.reason : strerror(-ret),
			req.reason[0] ? " - " : "", req.reason[0] ? strerror(-ret) : "");
		if (ret == -EPERM)
			fprintf(stderr, "omctl: %s needs root (CAP_SYS_ADMIN)\n", what);
		return EXIT_KERNEL;
	}
	om_cluster_print(expel, req.found, req.left);
	return 0;
}

int do_cluster(int argc, char **argv)
{
	if (argc < 1)
		return usage(stderr);
	if (is_help(argv[0]))
		return usage(stdout);
	if (matches(argv[0], "expel"))
		return expel_bring(argc - 1, argv + 1, true);
	if (matches(argv[0], "bring"))
		return expel_bring(argc - 1, argv + 1, false);
	if (!matches(argv[0], "key")) {
		fprintf(stderr, "Command \"%s\" is unknown, try \"omctl cluster help\".\n",
			argv[0]);
		return EXIT_USAGE;
	}
	argc--, argv++;
	if (argc < 1)
		return usage(stderr);
	if (is_help(argv[0]))
		return usage(stdout);
	if (matches(argv[0], "set"))
		return key_set(argc - 1, argv + 1);
	if (matches(argv[0], "generate"))
		return key_generate(argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"omctl cluster help\".\n",
		argv[0]);
	return EXIT_USAGE;
}
