// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl cluster key: the shared cluster key (OM_KEY_LEN bytes, written as
 * 64 hex digits in /etc/openmosix/cluster.key).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <netlink/genl/genl.h>

#include "omctl.h"
#include "om_key.h"

_Static_assert(OM_KEY_BYTES == OM_KEY_LEN, "key length");

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl cluster key set { FILE | - }\n"
		"       omctl cluster key generate\n"
		"       omctl cluster help\n"
		"A key file holds %d hex digits and an optional newline; make it\n"
		"mode 0600, e.g.  (umask 077; omctl cluster key generate > /etc/openmosix/cluster.key)\n",
		2 * OM_KEY_LEN);
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

int do_cluster(int argc, char **argv)
{
	if (argc < 1)
		return usage(stderr);
	if (is_help(argv[0]))
		return usage(stdout);
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
