// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_mountinfo (the /proc/self/mountinfo line parser):
 * real Debian 12 lines, escapes, optional fields, the separator, the
 * limits (4096-byte paths, long lines), every truncation, malformed
 * fields.  Every input sits right before an unmapped page, so a read
 * past the end of the buffer faults even without a sanitizer.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "tap.h"
#include "tests.h"
#include "om_mountinfo.h"

/* The input's bytes end right before a PROT_NONE page */
struct guarded {
	char *map;
	size_t maplen;
	char *buf;
	size_t len;
};

static void guard(struct guarded *g, const char *s, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (len + page - 1) / page * page;

	g->maplen = data + page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	if (mprotect(g->map + data, page, PROT_NONE)) {
		perror("mprotect");
		exit(1);
	}
	g->buf = g->map + data - len;
	g->len = len;
	memcpy(g->buf, s, len);
}

static void unguard(struct guarded *g)
{
	munmap(g->map, g->maplen);
}

/* A returned string: inside [lo, hi), NUL-terminated at its length */
static bool str_ok(const char *s, u32 len, const char *lo, const char *hi)
{
	return s && s >= lo && s + len < hi && !s[len] && strlen(s) == len;
}

static bool strings_ok(const struct om_mountinfo *mi, const char *lo,
		       const char *hi)
{
	return str_ok(mi->root, mi->root_len, lo, hi) &&
	       str_ok(mi->mnt_point, mi->mnt_point_len, lo, hi) &&
	       str_ok(mi->mnt_opts, mi->mnt_opts_len, lo, hi) &&
	       str_ok(mi->fstype, mi->fstype_len, lo, hi) &&
	       str_ok(mi->source, mi->source_len, lo, hi) &&
	       str_ok(mi->super_opts, mi->super_opts_len, lo, hi);
}

/*
 * Parse one line (text without its newline, which is added; nl false:
 * none), guarded; 1, 0 or -EINVAL as the parser says, with *mi.  The
 * strings then point into a buffer that is gone: copy what is compared.
 */
static char got_root[8192], got_mp[8192], got_type[8192], got_src[8192],
	    got_sopts[70000], got_mopts[8192];

static int parse1(const char *text, size_t len, bool nl, struct om_mountinfo *mi)
{
	struct guarded g;
	char *tmp = malloc(len + 1), *cur;
	int ret, bad = 0;

	memcpy(tmp, text, len);
	tmp[len] = '\n';
	guard(&g, tmp, len + nl);
	free(tmp);
	cur = g.buf;
	ret = om_mountinfo_next(&cur, g.buf + g.len, mi);
	if (cur != g.buf + g.len)
		bad = 1;	/* the cursor moves past the line, or to the end */
	if (ret == 1) {
		if (!strings_ok(mi, g.buf, g.buf + g.len))
			bad = 1;
		snprintf(got_root, sizeof(got_root), "%s", mi->root);
		snprintf(got_mp, sizeof(got_mp), "%s", mi->mnt_point);
		snprintf(got_type, sizeof(got_type), "%s", mi->fstype);
		snprintf(got_src, sizeof(got_src), "%s", mi->source);
		snprintf(got_sopts, sizeof(got_sopts), "%s", mi->super_opts);
		snprintf(got_mopts, sizeof(got_mopts), "%s", mi->mnt_opts);
	} else {
		static const struct om_mountinfo zero;

		if (memcmp(mi, &zero, sizeof(zero)))
			bad = 1;	/* zeroed on an error */
	}
	unguard(&g);
	return bad ? -1000 : ret;
}

static int p1(const char *line, struct om_mountinfo *mi)
{
	return parse1(line, strlen(line), true, mi);
}

static int p1x(const char *line)
{
	struct om_mountinfo mi;

	return p1(line, &mi);
}

/* This machine's /proc/self/mountinfo (Debian 12.11, kernel 6.12), cut */
static const char debian12[] =
	"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
	"24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334792k,nr_inodes=3083698,mode=755\n"
	"25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683784k\n"
	"26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000\n"
	"27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534\n"
	"28 27 0:25 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	"45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534\n"
	"46 45 0:4 net:[4026532174] /run/netns/omlab-8726 rw shared:2 - nsfs nsfs rw\n"
	/* a Debian 12 host booted by systemd, and an MFS mount */
	"21 26 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	"26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
	"30 21 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
	"47 23 0:40 / /proc/sys/fs/binfmt_misc rw,relatime shared:24 - autofs systemd-1 rw,fd=30,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=13754\n"
	"60 26 0:45 / /mfs rw,relatime shared:30 - mfs none rw,dfsa=1\n";

static void test_mi_real(void)
{
	struct om_mountinfo mi[20];
	struct guarded g;
	char *cur;
	int n = 0, ret, ok = 1;

	guard(&g, debian12, sizeof(debian12) - 1);
	cur = g.buf;
	while ((ret = om_mountinfo_next(&cur, g.buf + g.len, &mi[n])) == 1) {
		TAP_EXPECT(ok, strings_ok(&mi[n], g.buf, g.buf + g.len));
		if (++n == 20)
			break;
	}
	TAP_CHECK(ok && ret == 0 && n == 16 && cur == g.buf + g.len,
		  "mountinfo: 16 real Debian 12 lines parse, then 0 at the end (%d, %d)",
		  n, ret);
	TAP_CHECK(mi[0].mnt_id == 22 && mi[0].parent_id == 27 &&
		  mi[0].major == 0 && mi[0].minor == 21 &&
		  !strcmp(mi[0].root, "/") && !strcmp(mi[0].mnt_point, "/proc") &&
		  !strcmp(mi[0].mnt_opts, "rw,relatime") && !mi[0].flags &&
		  !mi[0].shared && !mi[0].master &&
		  !strcmp(mi[0].fstype, "proc") && !strcmp(mi[0].source, "proc") &&
		  !strcmp(mi[0].super_opts, "rw"),
		  "mountinfo: /proc's line, field by field");
	TAP_CHECK(mi[4].mnt_id == 27 && mi[4].parent_id == 1 &&
		  mi[4].major == 254 && mi[4].minor == 0 &&
		  !strcmp(mi[4].mnt_point, "/") && !strcmp(mi[4].source, "/dev/vda") &&
		  !strcmp(mi[4].super_opts,
			  "rw,discard,resv_strict,resuid=65534,resgid=65534"),
		  "mountinfo: the root filesystem's line");
	TAP_CHECK(mi[5].flags == (OM_MNTI_RO | OM_MNTI_SB_RO) &&
		  !strcmp(mi[5].mnt_opts, "ro,nosuid,nodev,relatime") &&
		  !strcmp(mi[5].source, "model_tools_unavailable"),
		  "mountinfo: a read-only mount of a read-only superblock");
	TAP_CHECK(!strcmp(mi[9].root, "/run/netns") && mi[9].shared == 1 &&
		  !strcmp(mi[10].root, "net:[4026532174]") && mi[10].shared == 2 &&
		  mi[10].parent_id == 45 && !strcmp(mi[10].mnt_opts, "rw") &&
		  !strcmp(mi[10].fstype, "nsfs"),
		  "mountinfo: a bind mount's root, nsfs's root, shared:N");
	TAP_CHECK(mi[11].shared == 7 && !mi[11].flags &&
		  !strcmp(mi[11].mnt_opts, "rw,nosuid,nodev,noexec,relatime") &&
		  !strcmp(mi[14].source, "systemd-1") && mi[14].shared == 24,
		  "mountinfo: systemd's sysfs and autofs lines");
	TAP_CHECK(mi[15].mnt_id == 60 && !strcmp(mi[15].fstype, "mfs") &&
		  !strcmp(mi[15].root, "/") && !strcmp(mi[15].mnt_point, "/mfs") &&
		  !strcmp(mi[15].source, "none") &&
		  !strcmp(mi[15].super_opts, "rw,dfsa=1") && mi[15].shared == 30,
		  "mountinfo: an MFS mount with dfsa=1");
	unguard(&g);
}

static void test_mi_escapes(void)
{
	struct om_mountinfo mi;

	TAP_CHECK(p1("30 27 8:1 /a\\040b /mnt/with\\040space\\011tab\\012nl\\134bs rw - ext4 /dev/sda1 rw",
		     &mi) == 1 &&
		  !strcmp(got_root, "/a b") && mi.root_len == 4 &&
		  !strcmp(got_mp, "/mnt/with space\ttab\nnl\\bs") &&
		  mi.mnt_point_len == strlen("/mnt/with space\ttab\nnl\\bs"),
		  "mountinfo: \\040 \\011 \\012 \\134 undone in root and mount point");
	TAP_CHECK(p1("30 27 0:50 / /x rw - fuse.my\\043fs\\040x a\\040b\\134c rw,user_id=0",
		     &mi) == 1 &&
		  !strcmp(got_type, "fuse.my#fs x") && mi.fstype_len == 12 &&
		  !strcmp(got_src, "a\\040b\\134c"),
		  "mountinfo: the type's \\043 undone, the source left as printed");
	TAP_CHECK(p1("30 27 0:50 / /\\134\\134\\134\\134 rw - tmpfs tmpfs rw", &mi) == 1 &&
		  !strcmp(got_mp, "/\\\\\\\\") && mi.mnt_point_len == 5,
		  "mountinfo: a path of backslashes");
	TAP_CHECK(p1x("30 27 0:50 / /a\\043 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\101 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\000 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\440 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\048 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\04 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\ rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a\\x20 rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 /\\0 /a rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a rw - tmp\\101fs tmpfs rw") == -EINVAL,
		  "mountinfo: escapes of other bytes (#, A, NUL, > 0377), non-octal, short or cut are -EINVAL");
	TAP_CHECK(p1x("30 27 0:50 / /a rw - tmp\\041fs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 \\057 /a rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / \\057a rw - tmpfs tmpfs rw") == -EINVAL,
		  "mountinfo: an escaped '/' or '!' is not what the kernel prints");
	TAP_CHECK(p1x("30 27 0:50 / /a\tb rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 /\t /a rw - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a rw - tmp#fs tmpfs rw") == -EINVAL &&
		  p1x("30 27 0:50 / /a rw - tmp\tfs tmpfs rw") == -EINVAL,
		  "mountinfo: a raw tab in a path, a raw '#' or tab in the type are -EINVAL");
	TAP_CHECK(p1("30 27 0:50 /# /a#b rw - tmpfs a#\tb rw,#", &mi) == 1 &&
		  !strcmp(got_root, "/#") && !strcmp(got_mp, "/a#b") &&
		  !strcmp(got_src, "a#\tb") && !strcmp(got_sopts, "rw,#"),
		  "mountinfo: '#' in paths, '#' and a tab in the source and options are as printed");
}

static void test_mi_optional(void)
{
	struct om_mountinfo mi;

	TAP_CHECK(p1("100 27 0:60 / /srv rw shared:5 master:3 - tmpfs tmpfs rw", &mi) == 1 &&
		  mi.shared == 5 && mi.master == 3,
		  "mountinfo: shared:N master:N");
	TAP_CHECK(p1("1325 1290 0:63 / /mnt rw,relatime master:1 propagate_from:4 unbindable - tmpfs tmpfs rw",
		     &mi) == 1 &&
		  !mi.shared && mi.master == 1 && !strcmp(got_type, "tmpfs"),
		  "mountinfo: master:N propagate_from:N unbindable");
	TAP_CHECK(p1("100 27 0:60 / /srv rw future future:x shared:2147483647 - tmpfs tmpfs rw",
		     &mi) == 1 && mi.shared == 0x7fffffff,
		  "mountinfo: tags of later kernels are skipped; shared:2147483647");
	TAP_CHECK(p1x("100 27 0:60 / /srv rw shared: - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("100 27 0:60 / /srv rw shared:0 - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("100 27 0:60 / /srv rw shared:x - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("100 27 0:60 / /srv rw master:2147483648 - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("100 27 0:60 / /srv rw propagate_from:-1 - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("100 27 0:60 / /srv rw shared:1 shared:2 - tmpfs tmpfs rw") == -EINVAL &&
		  p1x("100 27 0:60 / /srv rw shared:1  - tmpfs tmpfs rw") == -EINVAL,
		  "mountinfo: bad or repeated peer groups, an empty optional field are -EINVAL");
}

static void test_mi_separator(void)
{
	struct om_mountinfo mi;

	TAP_CHECK(p1x("22 27 0:21 / /proc rw,relatime proc proc rw") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw,relatime") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw,relatime -proc proc rw") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw,relatime shared:1 -- proc proc rw") == -EINVAL,
		  "mountinfo: no lone \"-\" separator is -EINVAL");
	TAP_CHECK(p1x("22 27 0:21 / /proc rw -") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw - proc") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw - proc proc") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw - proc proc ") == -EINVAL &&
		  p1x("22 27 0:21 / /proc rw -  proc rw") == -EINVAL,
		  "mountinfo: a type, source or options missing after it is -EINVAL");
	TAP_CHECK(p1("22 27 0:21 / /x rw - tmpfs  rw,size=4k", &mi) == 1 &&
		  !strcmp(got_src, "") && mi.source_len == 0 &&
		  !strcmp(got_sopts, "rw,size=4k"),
		  "mountinfo: an empty source (mount -t tmpfs '' /x)");
	TAP_CHECK(p1("22 27 0:21 / /x rw - fuse.x a:b ro,opt=with space,x", &mi) == 1 &&
		  !strcmp(got_sopts, "ro,opt=with space,x") && mi.flags == OM_MNTI_SB_RO,
		  "mountinfo: superblock options are the rest of the line");
}

static void test_mi_fields(void)
{
	static const char nul1[] = "5 1 0:1 / /a\0b rw - x y rw";
	static const char nul2[] = "5 1 0:1 / /a rw - x y rw\0";
	struct om_mountinfo mi;

	TAP_CHECK(p1("2147483647 0 4095:1048575 / /a ro,nosymfollow,idmapped - x y rw", &mi) == 1 &&
		  mi.mnt_id == 0x7fffffff && mi.parent_id == 0 &&
		  mi.major == 4095 && mi.minor == 1048575 &&
		  mi.flags == (OM_MNTI_RO | OM_MNTI_NOSYMFOLLOW | OM_MNTI_IDMAPPED),
		  "mountinfo: the largest ids and device, ro, nosymfollow, idmapped");
	TAP_CHECK(p1("5 1 0:1 / /a rw,nosuid,nosymfollowx,xidmapped - x y rw", &mi) == 1 &&
		  !mi.flags,
		  "mountinfo: options are whole words");
	TAP_CHECK(p1x("x 1 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x("-5 1 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x("+5 1 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x("5 1a 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x("2147483648 1 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x("5 99999999999 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x("00000000005 1 0:1 / /a rw - x y rw") == -EINVAL &&
		  p1x(" 5 1 0:1 / /a rw - x y rw") == -EINVAL,
		  "mountinfo: non-numeric, signed, too large or too long ids are -EINVAL");
	TAP_CHECK(p1x("5 1 0 / /a rw - x y rw") == -EINVAL &&
		  p1x("5 1 0: / /a rw - x y rw") == -EINVAL &&
		  p1x("5 1 :1 / /a rw - x y rw") == -EINVAL &&
		  p1x("5 1 0:1:2 / /a rw - x y rw") == -EINVAL &&
		  p1x("5 1 4096:0 / /a rw - x y rw") == -EINVAL &&
		  p1x("5 1 0:1048576 / /a rw - x y rw") == -EINVAL,
		  "mountinfo: a bad major:minor is -EINVAL");
	TAP_CHECK(p1x("5 1 0:1 / a rw - x y rw") == -EINVAL &&
		  p1x("5 1 0:1  /a rw - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 /  rw - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 / /a  rw - x y rw") == -EINVAL,
		  "mountinfo: a relative mount point, an empty root or mount point are -EINVAL");
	TAP_CHECK(p1x("5 1 0:1 / /a rx - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 / /a rwx - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 / /a rw, - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 / /a rw,,noexec - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 / /a nosuid,rw - x y rw") == -EINVAL &&
		  p1x("5 1 0:1 / /a rw - x y r") == -EINVAL &&
		  p1x("5 1 0:1 / /a rw - x y errors=remount-ro") == -EINVAL,
		  "mountinfo: options not starting with rw or ro, empty options are -EINVAL");
	TAP_CHECK(p1x("") == -EINVAL && p1x(" ") == -EINVAL &&
		  parse1(nul1, sizeof(nul1) - 1, true, &mi) == -EINVAL &&
		  parse1(nul2, sizeof(nul2) - 1, true, &mi) == -EINVAL,
		  "mountinfo: an empty line, a NUL byte are -EINVAL");
}

/* A line with the given mount point, root, type, source and super options */
static char longline[OM_MOUNTINFO_LINE_MAX + 100];

static const char *mkline(const char *root, const char *mp, const char *opts)
{
	snprintf(longline, sizeof(longline), "7 1 0:9 %s %s rw - tmpfs tmpfs %s",
		 root, mp, opts);
	return longline;
}

static char path_a[5 * OM_MOUNTINFO_STR_MAX], path_b[5 * OM_MOUNTINFO_STR_MAX];
static char opts_long[OM_MOUNTINFO_LINE_MAX + 10];

/* "/xxxx...": n bytes once unescaped; esc: every other byte as \040 */
static char *mkpath(char *p, u32 n, bool esc)
{
	u32 i, o = 0;

	p[o++] = '/';
	for (i = 1; i < n; i++) {
		if (esc && (i & 1)) {
			memcpy(p + o, "\\040", 4);
			o += 4;
		} else {
			p[o++] = (char)('a' + i % 26);
		}
	}
	p[o] = '\0';
	return p;
}

static void test_mi_limits(void)
{
	struct om_mountinfo mi;
	size_t pre;
	int ret;

	ret = p1(mkline("/", mkpath(path_a, 4096, false), "rw"), &mi);
	TAP_CHECK(ret == 1 && mi.mnt_point_len == 4096 && strlen(got_mp) == 4096,
		  "mountinfo: a 4096-byte mount point");
	ret = p1(mkline(mkpath(path_b, 4096, true), mkpath(path_a, 4096, true), "rw"), &mi);
	TAP_CHECK(ret == 1 && mi.mnt_point_len == 4096 && mi.root_len == 4096 &&
		  got_mp[1] == ' ' && got_mp[2] == 'c' && got_root[4095] == ' ',
		  "mountinfo: 4096-byte root and mount point from %zu escaped bytes each",
		  strlen(path_a));
	TAP_CHECK(p1x(mkline("/", mkpath(path_a, 4097, false), "rw")) == -EINVAL &&
		  p1x(mkline("/", mkpath(path_a, 4097, true), "rw")) == -EINVAL &&
		  p1x(mkline(mkpath(path_b, 4097, false), "/a", "rw")) == -EINVAL,
		  "mountinfo: a 4097-byte root or mount point is -EINVAL");
	mkpath(path_a, 4096, false);
	path_a[0] = 'f';
	snprintf(longline, sizeof(longline), "7 1 0:9 / /a rw - %s %s rw", path_a, path_a);
	ret = p1(longline, &mi);
	TAP_CHECK(ret == 1 && mi.fstype_len == 4096 && mi.source_len == 4096,
		  "mountinfo: a 4096-byte type and source");
	snprintf(longline, sizeof(longline), "7 1 0:9 / /a rw - %sx y rw", path_a);
	TAP_CHECK(p1x(longline) == -EINVAL,
		  "mountinfo: a 4097-byte type is -EINVAL");
	snprintf(longline, sizeof(longline), "7 1 0:9 / /a rw - y %sx rw", path_a);
	TAP_CHECK(p1x(longline) == -EINVAL,
		  "mountinfo: a 4097-byte source is -EINVAL");
	/* the longest line: the fields before the options, them, the newline */
	pre = strlen(mkline("/", "/a", ""));
	memset(opts_long, 'o', sizeof(opts_long));
	memcpy(opts_long, "rw,", 3);
	opts_long[OM_MOUNTINFO_LINE_MAX - pre - 1] = '\0';
	ret = p1(mkline("/", "/a", opts_long), &mi);
	TAP_CHECK(strlen(longline) + 1 == OM_MOUNTINFO_LINE_MAX && ret == 1 &&
		  mi.super_opts_len == OM_MOUNTINFO_LINE_MAX - pre - 1,
		  "mountinfo: a line of OM_MOUNTINFO_LINE_MAX bytes");
	opts_long[OM_MOUNTINFO_LINE_MAX - pre - 1] = 'o';
	opts_long[OM_MOUNTINFO_LINE_MAX - pre] = '\0';
	TAP_CHECK(p1x(mkline("/", "/a", opts_long)) == -EINVAL,
		  "mountinfo: a line one byte longer is -EINVAL");
}

/*
 * Every prefix of a buffer of good lines: the lines that are complete
 * parse as before, the cut one is -EINVAL (no newline), and nothing is
 * read past the cut (the guard page).  Then every prefix of a line with
 * a newline put after it: whatever it says, strings lie in the line.
 */
static void test_mi_truncated(void)
{
	static const char two[] =
		"45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
		"46 45 0:4 net:[4026532174] /r\\040n rw shared:2 master:1 - nsfs nsfs rw\n";
	size_t len = sizeof(two) - 1, first = strchr(two, '\n') - two + 1, k;
	int bad = 0, parsed = 0;

	for (k = 0; k < len; k++) {
		struct om_mountinfo mi;
		struct guarded g;
		char *cur;
		int r1, r2;

		guard(&g, two, k);
		cur = g.buf;
		r1 = om_mountinfo_next(&cur, g.buf + k, &mi);
		if (k == 0) {
			bad += r1 != 0 || cur != g.buf;
		} else if (k < first) {
			bad += r1 != -EINVAL || cur != g.buf + k;
		} else {
			r2 = om_mountinfo_next(&cur, g.buf + k, &mi);
			bad += r1 != 1 || (k == first ? r2 != 0 : r2 != -EINVAL) ||
			       cur != g.buf + k;
		}
		unguard(&g);
	}
	TAP_CHECK(!bad, "mountinfo: each of %zu cuts of two lines: complete lines parse, a cut one is -EINVAL, 0 at the end",
		  len);
	bad = 0;
	for (k = 0; k < len - first; k++) {
		struct om_mountinfo mi;
		int r = parse1(two + first, k, true, &mi);

		bad += r != 1 && r != -EINVAL;
		parsed += r == 1;
	}
	TAP_CHECK(!bad && parsed == 1,
		  "mountinfo: each cut of a line, then a newline: one parses (\"rw\" cut to \"r\" does not)");
}

static void test_mi_cursor(void)
{
	char buf[] = "22 27 0:21 / /proc rw - proc proc rw\n"
		     "bad line\n"
		     "23 27 0:22 / /sys rw - sysfs sysfs rw\n";
	char *cur = buf, *end = buf + sizeof(buf) - 1;
	struct om_mountinfo mi;
	int r1, r2, r3, r4;
	bool ok;

	r1 = om_mountinfo_next(&cur, end, &mi);
	r2 = om_mountinfo_next(&cur, end, &mi);
	TAP_CHECK(r1 == 1 && r2 == -EINVAL && !strncmp(cur, "23 ", 3),
		  "mountinfo: a bad line is -EINVAL and the cursor moves past it");
	r3 = om_mountinfo_next(&cur, end, &mi);
	ok = r3 == 1 && mi.mnt_id == 23 && !strcmp(mi.mnt_point, "/sys");
	r4 = om_mountinfo_next(&cur, end, &mi);
	TAP_CHECK(ok && r4 == 0 && cur == end,
		  "mountinfo: the next line parses, then 0 at the end");
	cur = buf + 5;
	TAP_CHECK(om_mountinfo_next(NULL, end, &mi) == -EINVAL &&
		  om_mountinfo_next(&cur, NULL, &mi) == -EINVAL &&
		  om_mountinfo_next(&cur, end, NULL) == -EINVAL &&
		  om_mountinfo_next(&cur, buf + 4, &mi) == -EINVAL && cur == buf + 5,
		  "mountinfo: NULL arguments, a cursor past the end are -EINVAL");
}

void test_mountinfo(void)
{
	test_mi_real();
	test_mi_escapes();
	test_mi_optional();
	test_mi_separator();
	test_mi_fields();
	test_mi_limits();
	test_mi_truncated();
	test_mi_cursor();
}
