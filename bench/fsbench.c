// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * fsbench: mfs-bench's file system loops (P6), each timed inside the
 * process, from the first system call of the measured work to its last
 * (the exec of the helper and the cache drop before it stay out):
 *
 *   fsbench write FILE MIB SEED [BS_KIB]
 *	open(O_CREAT|O_TRUNC), MIB MiB written sequentially in BS_KIB
 *	(1024) pieces, fsync(), close(); every 4 KiB page starts with a
 *	stamp (SEED, its offset), so a read can tell whose bytes it got
 *   fsbench read FILE MIB SEED [BS_KIB]
 *	open(), read sequentially to the end in BS_KIB pieces, close();
 *	fails unless it read exactly MIB MiB, every page stamped by SEED
 *   fsbench walk DIR FILES
 *	the tree under DIR as find(1) and du(1) walk it: every directory
 *	opened and listed, every entry lstat()ed relative to its directory
 *	(fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW)); fails unless it found
 *	exactly FILES regular files
 *
 * Prints one line, "usecs=U bytes=B" or "usecs=U files=F dirs=D";
 * errors go to stderr with exit status 1 (2 for bad usage).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t stamp(uint64_t seed, uint64_t off)
{
	return (seed << 40) ^ off ^ 0x5a5a5a5a5a5aULL;
}

static unsigned long num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v) {
		fprintf(stderr, "fsbench: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

/*
 * The library functions and system calls of the timed loop, called once
 * before the clock starts: after a drop_caches their pages are reread
 * from the guest's 9p root, which would be timed otherwise.
 */
static void warm_up(void)
{
	struct stat st;
	char c;

	if (write(-1, &c, 0) < 0 && read(-1, &c, 0) < 0 && fsync(-1) < 0)
		(void)fstatat(AT_FDCWD, "/", &st, AT_SYMLINK_NOFOLLOW);
}

static char *buffer(size_t len)
{
	char *b = aligned_alloc(PAGE, len);
	size_t i;

	if (!b) {
		fprintf(stderr, "fsbench: out of memory\n");
		exit(1);
	}
	for (i = 0; i < len; i++)
		b[i] = (char)(i * 131 + 7);
	return b;
}

static int do_write(const char *path, uint64_t bytes, uint64_t seed, size_t bs)
{
	char *b = buffer(bs);
	uint64_t off = 0, t0, t1;
	size_t p;
	ssize_t n;
	int fd;

	warm_up();
	t0 = now_us();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "fsbench: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (off < bytes) {
		size_t len = bytes - off < bs ? bytes - off : bs, done = 0;

		for (p = 0; p < len; p += PAGE) {
			uint64_t s = stamp(seed, off + p);

			memcpy(b + p, &s, sizeof(s));
		}
		while (done < len) {
			n = write(fd, b + done, len - done);
			if (n <= 0) {
				fprintf(stderr, "fsbench: write %s at %llu: %s\n", path,
					(unsigned long long)(off + done),
					n ? strerror(errno) : "wrote nothing");
				close(fd);
				return 1;
			}
			done += n;
		}
		off += len;
	}
	if (fsync(fd)) {
		fprintf(stderr, "fsbench: fsync %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	if (close(fd)) {
		fprintf(stderr, "fsbench: close %s: %s\n", path, strerror(errno));
		return 1;
	}
	t1 = now_us();
	printf("usecs=%llu bytes=%llu\n", (unsigned long long)(t1 - t0),
	       (unsigned long long)bytes);
	free(b);
	return 0;
}

static int do_read(const char *path, uint64_t bytes, uint64_t seed, size_t bs)
{
	char *b = buffer(bs);
	uint64_t off = 0, t0, t1, bad = UINT64_MAX;
	ssize_t n;
	size_t p;
	int fd;

	warm_up();
	t0 = now_us();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "fsbench: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		n = read(fd, b, bs);
		if (n < 0) {
			fprintf(stderr, "fsbench: read %s at %llu: %s\n", path,
				(unsigned long long)off, strerror(errno));
			close(fd);
			return 1;
		}
		if (!n)
			break;
		/* the stamps of the whole pages in this piece (reads may be short) */
		for (p = (PAGE - off % PAGE) % PAGE; p + sizeof(uint64_t) <= (size_t)n;
		     p += PAGE) {
			uint64_t s;

			memcpy(&s, b + p, sizeof(s));
			if (s != stamp(seed, off + p) && bad == UINT64_MAX)
				bad = off + p;
		}
		off += n;
	}
	close(fd);
	t1 = now_us();
	if (off != bytes) {
		fprintf(stderr, "fsbench: read %llu bytes of %s, not %llu\n",
			(unsigned long long)off, path, (unsigned long long)bytes);
		return 1;
	}
	if (bad != UINT64_MAX) {
		fprintf(stderr, "fsbench: %s: the page at %llu is not what the write with seed %llu put there\n",
			path, (unsigned long long)bad, (unsigned long long)seed);
		return 1;
	}
	printf("usecs=%llu bytes=%llu\n", (unsigned long long)(t1 - t0),
	       (unsigned long long)off);
	free(b);
	return 0;
}

static unsigned long nfiles, ndirs;

/* walk_dir DFD PATH: list DFD (consumed), lstat every entry, go down */
static int walk_dir(int dfd, const char *path)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	struct stat st;
	int ret = 0, sub;

	if (!d) {
		fprintf(stderr, "fsbench: fdopendir %s: %s\n", path, strerror(errno));
		close(dfd);
		return 1;
	}
	ndirs++;
	for (;;) {
		errno = 0;
		e = readdir(d);
		if (!e) {
			if (errno) {
				fprintf(stderr, "fsbench: readdir %s: %s\n", path,
					strerror(errno));
				ret = 1;
			}
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
			fprintf(stderr, "fsbench: lstat %s/%s: %s\n", path, e->d_name,
				strerror(errno));
			ret = 1;
			break;
		}
		if (S_ISREG(st.st_mode)) {
			nfiles++;
		} else if (S_ISDIR(st.st_mode)) {
			char sp[4096];

			snprintf(sp, sizeof(sp), "%s/%s", path, e->d_name);
			sub = openat(dirfd(d), e->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				fprintf(stderr, "fsbench: open %s: %s\n", sp,
					strerror(errno));
				ret = 1;
				break;
			}
			if (walk_dir(sub, sp)) {
				ret = 1;
				break;
			}
		}
	}
	closedir(d);
	return ret;
}

static int do_walk(const char *path, unsigned long want)
{
	uint64_t t0, t1;
	int dfd;

	warm_up();
	t0 = now_us();
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		fprintf(stderr, "fsbench: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (walk_dir(dfd, path))
		return 1;
	t1 = now_us();
	if (nfiles != want) {
		fprintf(stderr, "fsbench: found %lu files under %s, not %lu\n", nfiles,
			path, want);
		return 1;
	}
	printf("usecs=%llu files=%lu dirs=%lu\n", (unsigned long long)(t1 - t0),
	       nfiles, ndirs);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: fsbench write FILE MIB SEED [BS_KIB]\n"
			"       fsbench read FILE MIB SEED [BS_KIB]\n"
			"       fsbench walk DIR FILES\n");
	exit(2);
}

int main(int argc, char **argv)
{
	size_t bs = 1 << 20;

	if (argc >= 5 && argc <= 6 && (!strcmp(argv[1], "write") || !strcmp(argv[1], "read"))) {
		uint64_t bytes = (uint64_t)num(argv[3], "size") << 20;
		uint64_t seed = num(argv[4], "seed");

		if (argc == 6)
			bs = (size_t)num(argv[5], "block size") << 10;
		if (bs % PAGE || bs > (256 << 20)) {
			fprintf(stderr, "fsbench: the block size must be whole pages, at most 256 MiB\n");
			return 2;
		}
		if (argv[1][0] == 'w')
			return do_write(argv[2], bytes, seed, bs);
		return do_read(argv[2], bytes, seed, bs);
	}
	if (argc == 4 && !strcmp(argv[1], "walk"))
		return do_walk(argv[2], num(argv[3], "file count"));
	usage();
	return 2;
}
