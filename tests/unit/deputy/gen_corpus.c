// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Seeds for fuzz_systab: requests om_sys_marshal() builds for a few
 * calls (home mode), and inputs whose own bytes are the guest memory the
 * arguments point into (remote mode).
 *
 *   gen_corpus DIR
 */
#include <stdio.h>
#include <sys/stat.h>
#include "harness.h"

#define UB	0x10000000ULL	/* FUZZ_UBASE */
#define DATA	FUZZ_HDR_LEN	/* remote seeds: memory after the header */

static u8 mem[1 << 16], area[OM_SYS_MAX_IO], out[1 << 17];
static struct fake_mem fm = { UB, mem, sizeof(mem), 0 };
static const char *dir;
static int nseed;

static void save(const u8 *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%03d", dir, nseed++);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* home mode: marshal from mem, write the request */
static void home_seed(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4,
		      u64 a5, s64 ret)
{
	u64 a[6] = { a0, a1, a2, a3, a4, a5 };
	const struct om_sys_desc *d;
	struct om_sys_req rq;
	struct om_sys_umem um;
	size_t n;

	fake_umem(&um, &fm);
	if (om_sys_classify(nr, a, &d) != OM_SYS_FORWARD ||
	    om_sys_marshal(d, a, &um, &rq, area, sizeof(area))) {
		fprintf(stderr, "gen_corpus: cannot marshal nr %llu\n",
			(unsigned long long)nr);
		exit(1);
	}
	n = fuzz_write(out, sizeof(out), &rq, 1 << 20, ret);
	if (!n)
		exit(1);
	save(out, n);
}

/* remote mode: header, then mem[0..len) as the guest's memory */
static void remote_seed(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4,
			u64 a5, s64 ret, size_t len)
{
	u64 a[6] = { a0, a1, a2, a3, a4, a5 };
	unsigned int i;

	memset(out, 0, FUZZ_HDR_LEN);
	put_unaligned_le16((u16)nr, out);
	out[3] = 0x80;
	put_unaligned_le32(1 << 20, out + 4);
	for (i = 0; i < 6; i++)
		put_unaligned_le64(a[i], out + 8 + 8 * i);
	put_unaligned_le64((u64)ret, out + 56);
	memcpy(out + DATA, mem, len);
	save(out, DATA + len);
}

/* guest addresses in the remote seeds: UB + DATA + offset in mem */
#define RA(off)	(UB + DATA + (off))

/*
 * A home and a remote seed for every FORWARD call and case: pointer
 * argument k points to mem + 512 k, lengths are small.
 */
static void seed_desc(const struct om_sys_desc *d)
{
	u64 h[6], r[6];
	unsigned int i, k;

	if (d->cls != OM_SYS_FORWARD)
		return;
	for (k = 0; k < 6; k++)
		h[k] = r[k] = 3;
	if (d->cond && d->nr == __NR_getrusage)
		h[0] = r[0] = (u64)(s64)(s32)d->key;
	else if (d->cond)
		h[1] = r[1] = d->key;
	for (i = 0; i < d->nbuf; i++) {
		const struct om_sys_bdesc *bd = &d->buf[i];

		h[bd->arg] = UB + 512 * bd->arg;
		r[bd->arg] = RA(512 * bd->arg);
		if (bd->kind == OM_SYS_B_IOV)
			h[bd->larg] = r[bd->larg] = 2;
		else if (bd->kind != OM_SYS_B_FIXED &&
			 bd->kind != OM_SYS_B_STR &&
			 bd->kind != OM_SYS_B_SIGPAIR)
			h[bd->larg] = r[bd->larg] = 4;
	}
	home_seed(d->nr, h[0], h[1], h[2], h[3], h[4], h[5], 2);
	remote_seed(d->nr, r[0], r[1], r[2], r[3], r[4], r[5], 2, 3072);
}

int main(int argc, char **argv)
{
	u64 nr;

	if (argc != 2)
		return 2;
	dir = argv[1];
	mkdir(dir, 0755);
	memset(mem, 0, sizeof(mem));
	strcpy((char *)mem, "/etc/passwd");
	strcpy((char *)mem + 64, "newname");
	memset(mem + 128, 'x', 256);
	/* iovecs at 1024: {UB + 128, 16}, {UB + 200, 0}, {UB + 144, 40} */
	put_unaligned_le64(UB + 128, mem + 1024);
	put_unaligned_le64(16, mem + 1032);
	put_unaligned_le64(UB + 200, mem + 1040);
	put_unaligned_le64(0, mem + 1048);
	put_unaligned_le64(UB + 144, mem + 1056);
	put_unaligned_le64(40, mem + 1064);
	/* pselect6 pair at 2048 -> sigset at 2064 */
	put_unaligned_le64(UB + 2064, mem + 2048);
	put_unaligned_le64(8, mem + 2056);

	home_seed(__NR_read, 3, UB + 128, 100, 0, 0, 0, 50);
	home_seed(__NR_write, 1, UB + 128, 200, 0, 0, 0, 200);
	home_seed(__NR_openat, (u64)-100, UB, 0, 0, 0, 0, 3);
	home_seed(__NR_newfstatat, 3, UB, UB + 4096, 0, 0, 0, 0);
	home_seed(__NR_renameat2, 3, UB, 4, UB + 64, 0, 0, 0);
	home_seed(__NR_readv, 3, UB + 1024, 3, 0, 0, 0, 20);
	home_seed(__NR_writev, 3, UB + 1024, 3, 0, 0, 0, 56);
	home_seed(__NR_poll, UB + 128, 4, 100, 0, 0, 0, 1);
	home_seed(__NR_ppoll, UB + 128, 2, UB + 160, UB + 176, 8, 0, 1);
	home_seed(__NR_select, 64, UB + 128, UB + 136, 0, UB + 160, 0, -4);
	home_seed(__NR_pselect6, 128, UB + 128, 0, UB + 144, UB + 160,
		  UB + 2048, 2);
	home_seed(__NR_wait4, (u64)-1, 0, 1, UB + 4096, 0, 0, 1234);
	home_seed(__NR_waitid, 0, 0, UB + 4096, 4, UB + 4096 + 128, 0, 0);
	home_seed(__NR_getcwd, UB + 4096, 64, 0, 0, 0, 0, 11);
	home_seed(__NR_readlink, UB, UB + 4096, 32, 0, 0, 0, 6);
	home_seed(__NR_getgroups, 8, UB + 4096, 0, 0, 0, 0, 3);
	home_seed(__NR_ioctl, 0, 0x5401, UB + 4096, 0, 0, 0, 0);
	home_seed(__NR_fcntl, 4, 5, UB + 128, 0, 0, 0, 0);
	home_seed(__NR_openat2, 3, UB, UB + 128, 24, 0, 0, 5);
	home_seed(__NR_utimensat, 3, 0, UB + 128, 0, 0, 0, 0);
	home_seed(__NR_getresuid, UB + 4096, UB + 4100, UB + 4104, 0, 0, 0,
		  0);
	home_seed(__NR_getpid, 0, 0, 0, 0, 0, 0, 42);

	remote_seed(__NR_openat, (u64)-100, RA(0), 0, 0, 0, 0, 3, 16);
	remote_seed(__NR_write, 1, RA(128), 64, 0, 0, 0, 64, 256);
	remote_seed(__NR_read, 1, RA(128), 64, 0, 0, 0, 10, 256);
	remote_seed(__NR_rename, RA(0), RA(64), 0, 0, 0, 0, 0, 128);
	remote_seed(__NR_poll, RA(128), 3, 0, 0, 0, 0, 1, 256);
	remote_seed(__NR_getcwd, RA(128), 64, 0, 0, 0, 0, 11, 256);
	remote_seed(__NR_newfstatat, 3, RA(0), RA(128), 0, 0, 0, 0, 300);
	remote_seed(__NR_ioctl, 0, 0x5402, RA(128), 0, 0, 0, 0, 256);
	/* iovecs pointing into the input itself */
	put_unaligned_le64(RA(128), mem + 1024);
	put_unaligned_le64(RA(200), mem + 1040);
	put_unaligned_le64(RA(144), mem + 1056);
	remote_seed(__NR_writev, 1, RA(1024), 3, 0, 0, 0, 56, 1088);
	remote_seed(__NR_readv, 1, RA(1024), 3, 0, 0, 0, 30, 1088);
	put_unaligned_le64(RA(2064), mem + 2048);
	remote_seed(__NR_pselect6, 64, RA(128), 0, 0, RA(160), RA(2048), 1,
		    2080);
	memset(mem + 2048, 0, 32);	/* pselect6: a NULL sigset */
	for (nr = 0; nr < OM_SYS_NR_MAX; nr++) {
		const struct om_sys_desc *c;
		unsigned int i, n = om_sys_cases(nr, &c);

		if (om_sys_entry(nr) && !n)
			seed_desc(om_sys_entry(nr));
		for (i = 0; i < n; i++)
			seed_desc(&c[i]);
	}
	printf("# gen_corpus: %d seeds in %s\n", nseed, dir);
	return 0;
}
