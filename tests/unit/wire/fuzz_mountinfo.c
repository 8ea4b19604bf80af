// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: the input as a /proc/self/mountinfo buffer, parsed
 * line by line (om_mountinfo_next() works in place, so on a copy of
 * exactly the input's size: ASan catches any byte read or written past
 * it).  Each call must say 1, 0 (only at the end) or -EINVAL and move
 * the cursor forward within the buffer; a parsed line's strings must lie
 * in that line, be NUL-terminated at their length, hold their limits, and
 * the unescaped ones must escape back to exactly the bytes of the input;
 * after an error the result must be all zero.
 */
#include "om_mountinfo.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static const char *orig;	/* the input, untouched */
static char *copy;		/* what the parser works on */

/* s[0..len) inside [lo, hi), with a NUL at s[len] also inside */
static void in_line(const char *s, u32 len, const char *lo, const char *hi)
{
	if (!s || s < lo || s >= hi || len >= (size_t)(hi - s) || s[len] ||
	    strlen(s) != len)
		__builtin_trap();
}

/*
 * An unescaped field escapes back (octal for the bytes in esc) to the
 * input's bytes where it came from, followed by a space
 */
static void escapes_back(const char *s, u32 len, const char *esc, const char *hi)
{
	const char *o = orig + (s - copy);
	u32 i;

	for (i = 0; i < len; i++) {
		u8 c = (u8)s[i];

		if (strchr(esc, c)) {
			char e[5];

			snprintf(e, sizeof(e), "\\%03o", c);
			if ((size_t)(hi - o) < 4 || memcmp(o, e, 4))
				__builtin_trap();
			o += 4;
		} else {
			if (o >= hi || (u8)*o != c)
				__builtin_trap();
			o++;
		}
	}
	if (o >= hi || *o != ' ')
		__builtin_trap();
}

static void check_opts(const char *s, u32 len)
{
	if (len < 2 || s[0] != 'r' || (s[1] != 'w' && s[1] != 'o') ||
	    (len > 2 && s[2] != ','))
		__builtin_trap();
}

static void check_line(const struct om_mountinfo *mi, const char *lo,
		       const char *hi)
{
	const char *ohi = orig + (hi - copy);

	in_line(mi->root, mi->root_len, lo, hi);
	in_line(mi->mnt_point, mi->mnt_point_len, lo, hi);
	in_line(mi->mnt_opts, mi->mnt_opts_len, lo, hi);
	in_line(mi->fstype, mi->fstype_len, lo, hi);
	in_line(mi->source, mi->source_len, lo, hi);
	in_line(mi->super_opts, mi->super_opts_len, lo, hi);
	if (mi->mnt_id > OM_MOUNTINFO_ID_MAX || mi->parent_id > OM_MOUNTINFO_ID_MAX ||
	    mi->major > OM_MOUNTINFO_MAJOR_MAX || mi->minor > OM_MOUNTINFO_MINOR_MAX ||
	    mi->shared > OM_MOUNTINFO_ID_MAX || mi->master > OM_MOUNTINFO_ID_MAX ||
	    (mi->flags & ~(OM_MNTI_RO | OM_MNTI_NOSYMFOLLOW | OM_MNTI_IDMAPPED |
			   OM_MNTI_SB_RO)) ||
	    !mi->root_len || mi->root_len > OM_MOUNTINFO_STR_MAX ||
	    !mi->mnt_point_len || mi->mnt_point_len > OM_MOUNTINFO_STR_MAX ||
	    mi->mnt_point[0] != '/' ||
	    !mi->fstype_len || mi->fstype_len > OM_MOUNTINFO_STR_MAX ||
	    mi->source_len > OM_MOUNTINFO_STR_MAX ||
	    hi - lo > OM_MOUNTINFO_LINE_MAX)
		__builtin_trap();
	/* fields in their order */
	if (!(mi->root < mi->mnt_point && mi->mnt_point < mi->mnt_opts &&
	      mi->mnt_opts < mi->fstype && mi->fstype < mi->source &&
	      mi->source <= mi->super_opts))
		__builtin_trap();
	check_opts(mi->mnt_opts, mi->mnt_opts_len);
	check_opts(mi->super_opts, mi->super_opts_len);
	if (!!(mi->flags & OM_MNTI_RO) != (mi->mnt_opts[1] == 'o') ||
	    !!(mi->flags & OM_MNTI_SB_RO) != (mi->super_opts[1] == 'o'))
		__builtin_trap();
	escapes_back(mi->root, mi->root_len, " \t\n\\", ohi);
	escapes_back(mi->mnt_point, mi->mnt_point_len, " \t\n\\", ohi);
	escapes_back(mi->fstype, mi->fstype_len, " \t\n\\#", ohi);
	/* the line's newline became the last NUL */
	if (orig[hi - 1 - copy] != '\n' || hi[-1])
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const struct om_mountinfo zero;
	struct om_mountinfo mi;
	char *cur, *end, *line;
	int ret;

	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	orig = (const char *)data;
	cur = copy;
	end = copy + size;
	for (;;) {
		line = cur;
		ret = om_mountinfo_next(&cur, end, &mi);
		if (cur < line || cur > end)
			__builtin_trap();
		if (!ret) {
			if (line != end || cur != end ||
			    memcmp(&mi, &zero, sizeof(mi)))
				__builtin_trap();
			break;
		}
		if (cur == line)
			__builtin_trap();	/* no progress */
		if (ret == 1)
			check_line(&mi, line, cur);
		else if (ret != -EINVAL || memcmp(&mi, &zero, sizeof(mi)))
			__builtin_trap();
	}
	free(copy);
	return 0;
}
