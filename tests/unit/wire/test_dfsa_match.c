// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_dfsa_view_match (DFSA for path calls: which mount of
 * the view an absolute path lies under, and the name below it), and for
 * phase 3a's om_dfsa_split (a mutation's parent and last name) and
 * om_dfsa_label_confined (the deputy's LSM label).
 */
#include "tap.h"
#include "tests.h"
#include "om_dfsa_match.h"

static void view_set(struct om_mig_dfsa_view *v, const char *const *paths,
		     unsigned int n)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->n = (u8)n;
	v->dev = n ? 42 : 0;
	for (i = 0; i < n; i++) {
		v->mnt[i].path = paths[i];
		v->mnt[i].len = (u16)strlen(paths[i]);
		v->mnt[i].mnt_id = 100 + i;
	}
}

/* path's match: the mount's index and the rest, or -1 */
static bool match_is(const struct om_mig_dfsa_view *v, const char *path,
		     int want, const char *want_rest)
{
	size_t rest = 12345;
	int k = om_dfsa_view_match(v, path, strlen(path), &rest);

	if (k != want) {
		printf("#   %s: mount %d, want %d\n", path, k, want);
		return false;
	}
	if (k < 0)
		return true;
	if (rest >= strlen(path) || strcmp(path + rest, want_rest)) {
		printf("#   %s: rest '%s', want '%s'\n", path,
		       rest < strlen(path) ? path + rest : "(out)", want_rest);
		return false;
	}
	return true;
}

/* rel's split: the parent, the last name and trail, or -1 */
static bool split_is(const char *rel, const char *dir, const char *last, bool trail)
{
	size_t dl = 999, l = 999, ll = 999, n = strlen(rel);
	bool t = !trail;
	int r = om_dfsa_split(rel, n, &dl, &l, &ll, &t);

	if (!dir) {
		if (r != -1)
			printf("#   %s: split, want none\n", rel);
		return r == -1;
	}
	if (r || dl != strlen(dir) || memcmp(rel, dir, dl) || l + ll > n ||
	    ll != strlen(last) || memcmp(rel + l, last, ll) || t != trail) {
		printf("#   %s: %d '%.*s' '%.*s' %d\n", rel, r, (int)(dl < n ? dl : 0), rel,
		       (int)(l + ll <= n ? ll : 0), l < n ? rel + l : "", t);
		return false;
	}
	return true;
}

static void test_dfsa_split(void)
{
	size_t dl, l, ll;
	bool t;
	int ok = 1;

	TAP_EXPECT(ok, split_is("2/tmp/x", "2/tmp", "x", false));
	TAP_EXPECT(ok, split_is("2/x", "2", "x", false));
	TAP_EXPECT(ok, split_is("2//x", "2", "x", false));
	TAP_EXPECT(ok, split_is("2/tmp/x/", "2/tmp", "x", true));
	TAP_EXPECT(ok, split_is("2/tmp//x///", "2/tmp", "x", true));
	TAP_EXPECT(ok, split_is("2/../3/x", "2/../3", "x", false));
	TAP_EXPECT(ok, split_is("2/./x", "2/.", "x", false));
	TAP_EXPECT(ok, split_is("2/..x", "2", "..x", false));
	TAP_EXPECT(ok, split_is("2/.x", "2", ".x", false));
	TAP_EXPECT(ok, split_is("2/...", "2", "...", false));
	/* no parent below the root, dots last, nothing */
	TAP_EXPECT(ok, split_is("2", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("2/", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("2///", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("2/x/.", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("2/x/..", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("2/x/../", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("/x", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("///", NULL, NULL, false));
	TAP_EXPECT(ok, split_is("", NULL, NULL, false));
	TAP_EXPECT(ok, om_dfsa_split(NULL, 3, &dl, &l, &ll, &t) == -1);
	/* only len bytes count */
	TAP_EXPECT(ok, om_dfsa_split("2/ab/cd", 4, &dl, &l, &ll, &t) == 0 && dl == 1 &&
		   l == 2 && ll == 2 && !t);
	TAP_CHECK(ok, "dfsa split: parent and last name, slashes, dots, no parent");

	ok = 1;
	TAP_EXPECT(ok, !om_dfsa_label_confined("unconfined\n", 11));
	TAP_EXPECT(ok, !om_dfsa_label_confined("unconfined", 10));
	TAP_EXPECT(ok, !om_dfsa_label_confined("unconfined\n\0\n", 13));
	TAP_EXPECT(ok, !om_dfsa_label_confined("", 0));
	TAP_EXPECT(ok, !om_dfsa_label_confined("\n\0", 2));
	TAP_EXPECT(ok, om_dfsa_label_confined("/usr/bin/x (enforce)\n", 21));
	TAP_EXPECT(ok, om_dfsa_label_confined("unconfined (complain)", 21));
	TAP_EXPECT(ok, om_dfsa_label_confined("unconfine", 9));
	TAP_EXPECT(ok, om_dfsa_label_confined("unconfinedx", 11));
	TAP_EXPECT(ok, om_dfsa_label_confined(" unconfined", 11));
	TAP_EXPECT(ok, om_dfsa_label_confined("unconfined\0x", 12));
	TAP_EXPECT(ok, om_dfsa_label_confined("system_u:system_r:kernel_t:s0", 29));
	TAP_EXPECT(ok, om_dfsa_label_confined("<kernel>", 8));
	/* SELinux without a policy: its initial SID's name, nothing enforced */
	TAP_EXPECT(ok, !om_dfsa_label_confined("kernel", 6));
	TAP_EXPECT(ok, !om_dfsa_label_confined("kernel\0", 7));
	TAP_EXPECT(ok, om_dfsa_label_confined("kernel (enforce)", 16));
	TAP_EXPECT(ok, om_dfsa_label_confined("kerne", 5));
	TAP_EXPECT(ok, om_dfsa_label_confined("kernelx", 7));
	TAP_EXPECT(ok, om_dfsa_label_confined("unconfined_u:unconfined_r:unconfined_t:s0", 41));
	TAP_CHECK(ok, "dfsa label: unconfined, SELinux's policy-less kernel, none, trimmed; any other label confines");
}

/* name against cwd: the depth left, the ups and the rest; or -1 */
static bool rel_is(const char *cwd, const char *name, int left, size_t ups, const char *rest)
{
	size_t u = 999, r = 999, n = strlen(name);
	int k = om_dfsa_rel(cwd, strlen(cwd), name, n, &u, &r);

	if (k != left || (k >= 0 && (u != ups || r > n || strcmp(name + r, rest)))) {
		printf("#   %s in %s: %d %zu '%s'\n", name, cwd, k, u, r <= n ? name + r : "?");
		return false;
	}
	return true;
}

/* rel's split from a start (top_ok): as split_is() */
static bool split_from_is(const char *rel, const char *dir, const char *last, bool trail)
{
	size_t dl = 999, l = 999, ll = 999, n = strlen(rel);
	bool t = !trail;
	int r = om_dfsa_split_from(rel, n, true, &dl, &l, &ll, &t);

	if (!dir)
		return r == -1;
	return !r && dl == strlen(dir) && !memcmp(rel, dir, dl) && l + ll <= n &&
	       ll == strlen(last) && !memcmp(rel + l, last, ll) && t == trail;
}

static void test_dfsa_rel(void)
{
	char out[16], big[300];
	size_t u, r;
	int ok = 1;

	TAP_EXPECT(ok, rel_is("1/tmp/d", "x", 3, 0, "x"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "./x", 3, 0, "x"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", ".//.///x/y", 3, 0, "x/y"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "sub/../x", 3, 0, "sub/../x"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "../x", 2, 1, "x"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", ".././../x/../y", 1, 2, "x/../y"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "../../../2/x", 0, 3, "2/x"));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "../../..", 0, 3, ""));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "../../../..", -1, 0, NULL));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "../../../../mfs/1", -1, 0, NULL));
	TAP_EXPECT(ok, rel_is("1/tmp/d", ".", 3, 0, ""));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "./", 3, 0, ""));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "..", 2, 1, ""));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "../", 2, 1, ""));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "...", 3, 0, "..."));
	TAP_EXPECT(ok, rel_is("1/tmp/d", "..x/..", 3, 0, "..x/.."));
	TAP_EXPECT(ok, rel_is("1/tmp/d", ".x", 3, 0, ".x"));
	TAP_EXPECT(ok, rel_is("1", "..", 0, 1, ""));
	TAP_EXPECT(ok, rel_is("", "2/x", 0, 0, "2/x"));
	TAP_EXPECT(ok, rel_is("", "..", -1, 0, NULL));
	TAP_EXPECT(ok, rel_is("", "./2", 0, 0, "2"));
	TAP_EXPECT(ok, rel_is("1/tmp", "/x", -1, 0, NULL));
	TAP_EXPECT(ok, rel_is("1/tmp", "", -1, 0, NULL));
	TAP_EXPECT(ok, om_dfsa_rel(NULL, 3, "x", 1, &u, &r) == -1);
	TAP_EXPECT(ok, om_dfsa_rel("1", 1, NULL, 1, &u, &r) == -1);
	/* only len bytes count */
	TAP_EXPECT(ok, om_dfsa_rel("1/a", 1, "../x", 2, &u, &r) == 0 && u == 1 && r == 2);
	TAP_CHECK(ok, "dfsa rel: leading dots off, climbs counted, above the mount's root refused");

	ok = 1;
	TAP_EXPECT(ok, split_from_is("x", "", "x", false));
	TAP_EXPECT(ok, split_from_is("x//", "", "x", true));
	TAP_EXPECT(ok, split_from_is("a/x", "a", "x", false));
	TAP_EXPECT(ok, split_from_is("sub/../x", "sub/..", "x", false));
	TAP_EXPECT(ok, split_from_is("", NULL, NULL, false));
	TAP_EXPECT(ok, split_from_is(".", NULL, NULL, false));
	TAP_EXPECT(ok, split_from_is("..", NULL, NULL, false));
	TAP_EXPECT(ok, split_from_is("a/..", NULL, NULL, false));
	TAP_EXPECT(ok, split_from_is("/x", NULL, NULL, false));
	TAP_EXPECT(ok, split_from_is("//", NULL, NULL, false));
	TAP_CHECK(ok, "dfsa split from the cwd: a single name's parent is the start");

	ok = 1;
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, "1/tmp", 5, out, sizeof(out)) == 11 &&
		   !strcmp(out, "/mfs/1/tmp"));
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, "", 0, out, sizeof(out)) == 5 &&
		   !strcmp(out, "/mfs"));
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, NULL, 0, out, 5) == 5);
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, "", 0, out, 4) == -1);
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, "1/tmp/abcd", 10, out, 16) == 16 &&
		   !strcmp(out, "/mfs/1/tmp/abcd"));
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, "1/tmp/abcde", 11, out, 16) == -1);
	TAP_EXPECT(ok, om_dfsa_cwd_join("/mfs", 4, NULL, 3, out, 16) == -1);
	memset(big, 'a', sizeof(big));
	TAP_EXPECT(ok, om_dfsa_cwd_join("/m", 2, big, sizeof(big), NULL, 4096) == -1);
	TAP_CHECK(ok, "dfsa cwd join: getcwd's string and length with the NUL, or too long");
}

void test_dfsa_match(void)
{
	static const char *const one[] = { "/mfs" };
	static const char *const two[] = { "/srv/mfs", "/mfs", "/a/b/c" };
	struct om_mig_dfsa_view v;
	char big[5000];
	size_t rest;
	int ok = 1;

	view_set(&v, one, 1);
	TAP_EXPECT(ok, match_is(&v, "/mfs/2/etc/passwd", 0, "2/etc/passwd"));
	TAP_EXPECT(ok, match_is(&v, "/mfs/2", 0, "2"));
	TAP_EXPECT(ok, match_is(&v, "//mfs///2//f", 0, "2//f"));
	TAP_EXPECT(ok, match_is(&v, "/mfs/2/", 0, "2/"));
	TAP_EXPECT(ok, match_is(&v, "/mfs/here/x", 0, "here/x"));
	/* the rest may hold dots: the walk below the root judges them */
	TAP_EXPECT(ok, match_is(&v, "/mfs/2/../3/f", 0, "2/../3/f"));
	TAP_EXPECT(ok, match_is(&v, "/mfs/..", 0, ".."));
	TAP_EXPECT(ok, match_is(&v, "/mfs/.", 0, "."));
	/* the root itself, and what is not under it */
	TAP_EXPECT(ok, match_is(&v, "/mfs", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/mfs/", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/mfs//", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/mfsx/2", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/mf/2", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/m", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "mfs/2/f", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "./mfs/2/f", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/./mfs/2/f", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/../mfs/2/f", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/tmp/mfs/2", -1, NULL));
	TAP_EXPECT(ok, om_dfsa_view_match(&v, "", 0, &rest) == -1);
	TAP_EXPECT(ok, om_dfsa_view_match(&v, NULL, 3, &rest) == -1);
	TAP_EXPECT(ok, om_dfsa_view_match(NULL, "/mfs/2", 6, &rest) == -1);
	/* only len bytes count */
	TAP_EXPECT(ok, om_dfsa_view_match(&v, "/mfs/2/f", 4, &rest) == -1);
	TAP_EXPECT(ok, om_dfsa_view_match(&v, "/mfs/2/f", 6, &rest) == 0 && rest == 5);
	TAP_CHECK(ok, "dfsa match: one mount, slashes, dots, the root, prefixes");

	ok = 1;
	view_set(&v, two, 3);
	TAP_EXPECT(ok, match_is(&v, "/srv/mfs/1/x", 0, "1/x"));
	TAP_EXPECT(ok, match_is(&v, "/mfs/3", 1, "3"));
	TAP_EXPECT(ok, match_is(&v, "/a/b/c/d", 2, "d"));
	TAP_EXPECT(ok, match_is(&v, "/a/b/cd", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/a/b/../b/c/d", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/a/./b/c/d", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/srv", -1, NULL));
	TAP_EXPECT(ok, match_is(&v, "/srv/mfs", -1, NULL));
	/* a revoked view matches nothing */
	view_set(&v, two, 0);
	TAP_EXPECT(ok, match_is(&v, "/mfs/3", -1, NULL));
	/* a bad count is bounded */
	view_set(&v, two, 3);
	v.n = 200;
	TAP_EXPECT(ok, match_is(&v, "/zz", -1, NULL));
	TAP_CHECK(ok, "dfsa match: several mounts, revoked, bounded");

	ok = 1;
	memset(big, 'a', sizeof(big));
	memcpy(big, "/mfs/", 5);
	TAP_EXPECT(ok, om_dfsa_view_match(&v, big, sizeof(big), &rest) == 1 && rest == 5);
	view_set(&v, one, 1);
	/* a mount path that is not canonical never matches */
	v.mnt[0].path = "mfs";
	v.mnt[0].len = 3;
	TAP_EXPECT(ok, match_is(&v, "/mfs/2", -1, NULL));
	v.mnt[0].path = "//";
	v.mnt[0].len = 2;
	TAP_EXPECT(ok, match_is(&v, "/x/2", -1, NULL));
	TAP_CHECK(ok, "dfsa match: long paths, bad mount paths");
	test_dfsa_split();
	test_dfsa_rel();
}
