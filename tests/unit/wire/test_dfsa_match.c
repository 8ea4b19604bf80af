// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_dfsa_view_match (DFSA for path calls: which mount of
 * the view an absolute path lies under, and the name below it).
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
}
