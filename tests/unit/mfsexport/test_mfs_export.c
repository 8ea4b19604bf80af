// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for the MFS export list's plain-C parts (om_mfs_export.c):
 * the text form, in and back out, and the table of what a request may
 * do to an object in, on the way to, or outside the exports.
 */
#include "tap.h"
#include "om_mfs_export.h"

int tap_n, tap_fail;

static struct om_mfs_export_tok tok[OM_MFS_EXPORTS_MAX + 1];

static int parse(const char *s, size_t *bad)
{
	return om_mfs_export_parse(s, strlen(s), tok, OM_MFS_EXPORTS_MAX, bad);
}

static int tok_is(int i, const char *path, bool ro)
{
	return tok[i].len == strlen(path) && !memcmp(tok[i].path, path, tok[i].len) &&
	       tok[i].ro == ro;
}

static void test_parse(void)
{
	char big[OM_MFS_EXPORT_PATH_MAX + 16], many[40 * 4];
	size_t bad = 0;
	int i, n;

	TAP_CHECK(parse("", NULL) == 0, "parse: the empty text is the empty list");
	TAP_CHECK(parse(" \n\t \r\n", NULL) == 0, "parse: blanks only are the empty list");
	n = parse("/home /srv:ro\n/tmp:rw\t/", NULL);
	TAP_CHECK(n == 4 && tok_is(0, "/home", false) && tok_is(1, "/srv", true) &&
		  tok_is(2, "/tmp", false) && tok_is(3, "/", false),
		  "parse: blank, tab and newline separate; :ro and :rw marks");
	n = parse("  /a/b:c  ", NULL);
	TAP_CHECK(n == 1 && tok_is(0, "/a/b:c", false), "parse: other colons are the path's");
	n = parse("/x:ro:ro /y:ro:rw", NULL);
	TAP_CHECK(n == 2 && tok_is(0, "/x:ro", true) && tok_is(1, "/y:ro", false),
		  "parse: only the last mark counts (a path may end in :ro)");
	n = parse("/:ro", NULL);
	TAP_CHECK(n == 1 && tok_is(0, "/", true), "parse: the whole tree read-only");
	TAP_CHECK(parse("/a rel/b", &bad) == -EINVAL && bad == 3,
		  "parse: a relative path is EINVAL, at its word");
	TAP_CHECK(parse("/a :ro", &bad) == -EINVAL && bad == 3,
		  "parse: a mark without a path is EINVAL");
	TAP_CHECK(parse("~/x", NULL) == -EINVAL, "parse: no ~ expansion");
	TAP_CHECK(om_mfs_export_parse("/a\0/b", 5, tok, 4, &bad) == -EINVAL && bad == 0,
		  "parse: a NUL inside a word is EINVAL");
	for (i = 0; i < 40; i++)
		memcpy(many + 4 * i, "/aa ", 4);
	many[sizeof(many) - 1] = '\0';
	TAP_CHECK(parse(many, &bad) == -E2BIG && bad == 4 * OM_MFS_EXPORTS_MAX,
		  "parse: more than %d entries is E2BIG", OM_MFS_EXPORTS_MAX);
	TAP_CHECK(om_mfs_export_parse(many, 4 * OM_MFS_EXPORTS_MAX, tok,
				      OM_MFS_EXPORTS_MAX, NULL) == OM_MFS_EXPORTS_MAX,
		  "parse: exactly %d entries fit", OM_MFS_EXPORTS_MAX);
	big[0] = '/';
	memset(big + 1, 'x', sizeof(big) - 1);
	TAP_CHECK(om_mfs_export_parse(big, OM_MFS_EXPORT_PATH_MAX, tok, 1, NULL) == 1 &&
		  tok[0].len == OM_MFS_EXPORT_PATH_MAX,
		  "parse: a path of %d bytes fits", OM_MFS_EXPORT_PATH_MAX);
	TAP_CHECK(om_mfs_export_parse(big, OM_MFS_EXPORT_PATH_MAX + 1, tok, 1, NULL) ==
		  -ENAMETOOLONG, "parse: one byte more is ENAMETOOLONG");
	memcpy(big + OM_MFS_EXPORT_PATH_MAX, ":ro", 3);
	TAP_CHECK(om_mfs_export_parse(big, OM_MFS_EXPORT_PATH_MAX + 3, tok, 1, NULL) == 1 &&
		  tok[0].ro, "parse: the mark does not count against the length");
}

/* format, then parse: the same entry */
static int round_trip(const char *path, bool ro, const char *want)
{
	char buf[64];
	int n = om_mfs_export_format(path, strlen(path), ro, buf, sizeof(buf));

	if (n < 0 || n > (int)sizeof(buf) || (size_t)n != strlen(want) ||
	    memcmp(buf, want, n))
		return 0;
	return om_mfs_export_parse(buf, n, tok, 1, NULL) == 1 && tok_is(0, path, ro);
}

static void test_format(void)
{
	char buf[8];

	TAP_CHECK(round_trip("/srv", false, "/srv"), "format: a read-write entry as its path");
	TAP_CHECK(round_trip("/srv", true, "/srv:ro"), "format: a read-only one with :ro");
	TAP_CHECK(round_trip("/", true, "/:ro"), "format: / read-only");
	TAP_CHECK(round_trip("/a:ro", false, "/a:ro:rw"),
		  "format: a path ending in :ro gets :rw, and parses back");
	TAP_CHECK(round_trip("/a:rw", false, "/a:rw:rw"), "format: ... ending in :rw too");
	TAP_CHECK(round_trip("/a:ro", true, "/a:ro:ro"), "format: ... and read-only");
	TAP_CHECK(om_mfs_export_format("/a b", 4, false, buf, sizeof(buf)) == -EINVAL,
		  "format: a blank in the path is EINVAL (it would not parse back)");
	TAP_CHECK(om_mfs_export_format("/a\nb", 4, false, buf, sizeof(buf)) == -EINVAL,
		  "format: ... a newline too");
	TAP_CHECK(om_mfs_export_format("a", 1, false, buf, sizeof(buf)) == -EINVAL &&
		  om_mfs_export_format("", 0, false, buf, sizeof(buf)) == -EINVAL,
		  "format: relative or empty is EINVAL");
	memset(buf, '#', sizeof(buf));
	TAP_CHECK(om_mfs_export_format("/abcdef", 7, true, buf, sizeof(buf)) == 10 &&
		  buf[0] == '#', "format: too long for the buffer: its length, nothing written");
}

static void test_check(void)
{
	static const struct {
		enum om_mfs_vis vis;
		int see, read, write;
	} t[] = {
		{ OM_MFS_VIS_RW, 0, 0, 0 },
		{ OM_MFS_VIS_RO, 0, 0, -EROFS },
		{ OM_MFS_VIS_PATH, 0, -EACCES, -EACCES },
		{ OM_MFS_VIS_HIDDEN, -ESTALE, -ESTALE, -ESTALE },
	};
	static const char *const name[] = { "hidden", "path", "ro", "rw" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		TAP_CHECK(om_mfs_export_check(t[i].vis, OM_MFS_NEED_SEE) == t[i].see &&
			  om_mfs_export_check(t[i].vis, OM_MFS_NEED_READ) == t[i].read &&
			  om_mfs_export_check(t[i].vis, OM_MFS_NEED_WRITE) == t[i].write,
			  "check: %s object: see %d, read %d, write %d", name[t[i].vis],
			  t[i].see, t[i].read, t[i].write);
	TAP_CHECK(om_mfs_export_check((enum om_mfs_vis)7, OM_MFS_NEED_SEE) == -ESTALE,
		  "check: an unknown standing is refused");
}

int main(void)
{
	test_parse();
	test_format();
	test_check();
	return tap_done();
}
