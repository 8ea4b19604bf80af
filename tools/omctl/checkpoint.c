// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl checkpoint PID DIR [--leave-running]: the kernel freezes the
 * process and writes CRIU image files into DIR (OM_IOC_CHECKPOINT on
 * /dev/openmosix, see kmod/uapi/openmosix.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "omctl.h"

static int ckpt_usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl checkpoint PID DIR [ --leave-running ]\n"
		"\n"
		"Freeze process PID, write its CRIU image files into DIR (created\n"
		"if missing) and kill it; with --leave-running it continues.\n"
		"A process that cannot be checkpointed is refused with the reason\n"
		"and keeps running.  You may checkpoint a process exactly when you\n"
		"could attach to it with ptrace; DIR must be yours and writable by\n"
		"nobody else, and hold no images yet.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

/* A checkpoint made: what the kernel wrote */
void om_ckpt_print(long pid, const char *dir, bool leave,
		   const struct om_ckpt_req *req)
{
	open_json_object(NULL);
	print_u64(PRINT_ANY, "pid", "checkpointed %llu", (uint64_t)pid);
	print_string(PRINT_ANY, "dir", " into %s", dir);
	print_bool(PRINT_JSON, "running", NULL, leave);
	print_uint(PRINT_ANY, "vmas", ": %u vmas", req->vmas);
	print_uint(PRINT_ANY, "fds", ", %u fds", req->fds);
	print_u64(PRINT_ANY, "pages", ", %llu pages", req->pages);
	print_u64(PRINT_ANY, "bytes", ", %llu bytes", req->bytes);
	print_string(PRINT_FP, NULL, "; %s\n", leave ? "left running" : "killed");
	close_json_object();
	print_end();
}

int do_checkpoint(int argc, char **argv)
{
	struct om_ckpt_req req;
	const char *dir = NULL;
	bool leave = false;
	long pid = 0;
	int i, dev, dfd, mfd, ret;
	char mem[32];
	char *end;

	if (argc < 1 || is_help(argv[0]))
		return ckpt_usage(argc < 1 ? stderr : stdout);
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--leave-running") || !strcmp(argv[i], "-R")) {
			leave = true;
		} else if (!pid) {
			errno = 0;
			pid = strtol(argv[i], &end, 10);
			if (errno || *end || pid <= 0 || pid > INT32_MAX)
				return invarg("PID", argv[i]);
		} else if (!dir) {
			dir = argv[i];
		} else {
			return toomany(argv[i]);
		}
	}
	if (!pid || !dir)
		return ckpt_usage(stderr);

	if (mkdir(dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "omctl: cannot create %s: %s\n", dir, strerror(errno));
		return EXIT_KERNEL;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		fprintf(stderr, "omctl: %s: %s\n", dir, strerror(errno));
		return EXIT_KERNEL;
	}
	dev = open(OM_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "omctl: %s: %s (is the openmosix module loaded?)\n",
			OM_DEV_PATH, strerror(errno));
		close(dfd);
		return EXIT_KERNEL;
	}
	/*
	 * The kernel's ptrace-attach check, made as us; if it fails the
	 * kernel refuses with the reason (and finds a missing pid first).
	 */
	snprintf(mem, sizeof(mem), "/proc/%ld/mem", pid);
	mfd = open(mem, O_RDONLY | O_CLOEXEC);
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.pid = (int32_t)pid;
	req.dir_fd = dfd;
	req.mem_fd = mfd;
	req.flags = leave ? OM_CKPT_LEAVE_RUNNING : 0;
	ret = ioctl(dev, OM_IOC_CHECKPOINT, &req);
	if (mfd >= 0)
		close(mfd);
	close(dev);
	close(dfd);
	req.reason[sizeof(req.reason) - 1] = 0;
	if (ret < 0) {
		int e = errno;

		fprintf(stderr, "omctl: cannot checkpoint %ld: %s%s%s\n", pid,
			req.reason[0] ? req.reason : strerror(e),
			req.reason[0] ? " - " : "", req.reason[0] ? strerror(e) : "");
		return EXIT_KERNEL;
	}
	om_ckpt_print(pid, dir, leave, &req);
	return 0;
}
