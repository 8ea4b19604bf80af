// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The /proc/self/mountinfo line parser (om_mountinfo.h).  It reads only
 * between the line's start and its newline, which it finds first, and
 * writes only there (escapes undone in place, NUL terminators over
 * separators).
 */
#include "om_mountinfo.h"

/* What the kernel escapes (fs/proc_namespace.c): paths, and mangle() */
#define OM_MI_ESC_PATH	" \t\n\\"
#define OM_MI_ESC_NAME	" \t\n\\#"

/* A field: len bytes at s, then its separator (a space, or the newline) */
struct om_mi_tok {
	char *s;
	u32 len;
};

/*
 * The field at *p, up to the next space or eol; *p moves past that
 * separator.  -EINVAL when the line has no field left (*p is past eol).
 */
static int om_mi_tok(char **p, char *eol, struct om_mi_tok *t)
{
	char *s = *p, *q;

	if (s > eol)
		return -EINVAL;
	q = memchr(s, ' ', eol - s);
	if (!q)
		q = eol;
	t->s = s;
	t->len = (u32)(q - s);
	*p = q + 1;
	return 0;
}

static bool om_mi_is(const char *s, u32 len, const char *lit)
{
	return len == strlen(lit) && !memcmp(s, lit, len);
}

/* Decimal digits only, 1..10 of them, at most max */
static int om_mi_num(const char *s, u32 len, u32 max, u32 *v)
{
	u64 n = 0;
	u32 i;

	if (!len || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		n = n * 10 + (u64)(s[i] - '0');
	}
	if (n > max)
		return -EINVAL;
	*v = (u32)n;
	return 0;
}

/* "M:m", each within its range */
static int om_mi_dev(const struct om_mi_tok *t, u32 *major, u32 *minor)
{
	const char *c = memchr(t->s, ':', t->len);
	u32 n;

	if (!c)
		return -EINVAL;
	n = (u32)(c - t->s);
	if (om_mi_num(t->s, n, OM_MOUNTINFO_MAJOR_MAX, major) ||
	    om_mi_num(c + 1, t->len - n - 1, OM_MOUNTINFO_MINOR_MAX, minor))
		return -EINVAL;
	return 0;
}

static int om_mi_octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/*
 * Undo the kernel's octal escapes (\ooo) of the bytes in esc, in place,
 * NUL-terminate at the new end (over the separator at the latest), and
 * check the length: 1..OM_MOUNTINFO_STR_MAX bytes.  Escapes of other
 * bytes, or those bytes unescaped, are not what the kernel prints: the
 * field is then exactly the escaped form of what is returned.
 */
static int om_mi_unescape(struct om_mi_tok *t, const char *esc)
{
	char *r = t->s, *w = t->s, *end = t->s + t->len;

	while (r < end) {
		int a, b, c, v;

		if (*r != '\\') {
			/* the kernel would have escaped it: not its output */
			if (*r && strchr(esc, *r))
				return -EINVAL;
			*w++ = *r++;
			continue;
		}
		if (end - r < 4)
			return -EINVAL;
		a = om_mi_octal(r[1]);
		b = om_mi_octal(r[2]);
		c = om_mi_octal(r[3]);
		if (a < 0 || a > 3 || b < 0 || c < 0)
			return -EINVAL;
		v = a << 6 | b << 3 | c;
		if (!v || !strchr(esc, v))
			return -EINVAL;
		*w++ = (char)v;
		r += 4;
	}
	*w = '\0';
	t->len = (u32)(w - t->s);
	if (!t->len || t->len > OM_MOUNTINFO_STR_MAX)
		return -EINVAL;
	return 0;
}

/*
 * Options (6) or (11): "rw" or "ro" first (ro_flag if "ro").  For the
 * per-mount options (mnt), every option is a word of its own and the two
 * the DFSA view cares about set their flags; a filesystem's options are
 * its own business after the first.
 */
static int om_mi_opts(const struct om_mi_tok *t, bool mnt, u32 ro_flag,
		      u32 *flags)
{
	const char *s = t->s, *end = t->s + t->len;
	u32 n;

	if (t->len < 2 || s[0] != 'r' || (s[1] != 'w' && s[1] != 'o') ||
	    (t->len > 2 && s[2] != ','))
		return -EINVAL;
	if (s[1] == 'o')
		*flags |= ro_flag;
	if (!mnt)
		return 0;
	/* each time round, s is at the comma before an option */
	for (s += 2; s < end; s += n) {
		const char *c;

		s++;
		c = memchr(s, ',', end - s);
		n = (u32)((c ? c : end) - s);
		if (!n)
			return -EINVAL;
		if (om_mi_is(s, n, "nosymfollow"))
			*flags |= OM_MNTI_NOSYMFOLLOW;
		else if (om_mi_is(s, n, "idmapped"))
			*flags |= OM_MNTI_IDMAPPED;
	}
	return 0;
}

/* "tag:N" with tag (and the colon) as prefix: N in 1..OM_MOUNTINFO_ID_MAX */
static int om_mi_tag(const struct om_mi_tok *t, const char *tag, u32 *v)
{
	size_t n = strlen(tag);

	if (t->len < n || memcmp(t->s, tag, n))
		return 0;
	if (*v || om_mi_num(t->s + n, t->len - (u32)n, OM_MOUNTINFO_ID_MAX, v) ||
	    !*v)
		return -EINVAL;
	return 1;
}

/* The optional fields (7) up to the lone "-" (8) */
static int om_mi_optional(char **p, char *eol, struct om_mountinfo *mi)
{
	u32 prop = 0;

	for (;;) {
		struct om_mi_tok t;
		int r;

		if (om_mi_tok(p, eol, &t) || !t.len)
			return -EINVAL;		/* no separator, or an empty field */
		if (om_mi_is(t.s, t.len, "-"))
			return 0;
		r = om_mi_tag(&t, "shared:", &mi->shared);
		if (!r)
			r = om_mi_tag(&t, "master:", &mi->master);
		if (!r)
			r = om_mi_tag(&t, "propagate_from:", &prop);
		if (r < 0)
			return r;
		/* "unbindable", and tags of later kernels: nothing for us */
	}
}

static int om_mi_line(char *line, char *eol, struct om_mountinfo *mi)
{
	struct om_mi_tok t;
	char *p = line;
	int err;

	if (eol - line + 1 > OM_MOUNTINFO_LINE_MAX || memchr(line, 0, eol - line))
		return -EINVAL;
	/* (1) (2) (3) */
	if (om_mi_tok(&p, eol, &t) ||
	    om_mi_num(t.s, t.len, OM_MOUNTINFO_ID_MAX, &mi->mnt_id))
		return -EINVAL;
	if (om_mi_tok(&p, eol, &t) ||
	    om_mi_num(t.s, t.len, OM_MOUNTINFO_ID_MAX, &mi->parent_id))
		return -EINVAL;
	if (om_mi_tok(&p, eol, &t) || om_mi_dev(&t, &mi->major, &mi->minor))
		return -EINVAL;
	/* (4) root, (5) mount point */
	if (om_mi_tok(&p, eol, &t) || om_mi_unescape(&t, OM_MI_ESC_PATH))
		return -EINVAL;
	mi->root = t.s;
	mi->root_len = t.len;
	if (om_mi_tok(&p, eol, &t) || om_mi_unescape(&t, OM_MI_ESC_PATH) ||
	    t.s[0] != '/')
		return -EINVAL;
	mi->mnt_point = t.s;
	mi->mnt_point_len = t.len;
	/* (6) per-mount options */
	if (om_mi_tok(&p, eol, &t) || om_mi_opts(&t, true, OM_MNTI_RO, &mi->flags))
		return -EINVAL;
	t.s[t.len] = '\0';
	mi->mnt_opts = t.s;
	mi->mnt_opts_len = t.len;
	/* (7) (8) */
	err = om_mi_optional(&p, eol, mi);
	if (err)
		return err;
	/* (9) filesystem type */
	if (om_mi_tok(&p, eol, &t) || om_mi_unescape(&t, OM_MI_ESC_NAME))
		return -EINVAL;
	mi->fstype = t.s;
	mi->fstype_len = t.len;
	/* (10) source: may be empty ("mount -t tmpfs '' /x") */
	if (om_mi_tok(&p, eol, &t) || t.len > OM_MOUNTINFO_STR_MAX)
		return -EINVAL;
	t.s[t.len] = '\0';
	mi->source = t.s;
	mi->source_len = t.len;
	/* (11) the rest of the line: a filesystem may print spaces in it */
	if (p > eol)
		return -EINVAL;
	t.s = p;
	t.len = (u32)(eol - p);
	if (om_mi_opts(&t, false, OM_MNTI_SB_RO, &mi->flags))
		return -EINVAL;
	*eol = '\0';
	mi->super_opts = t.s;
	mi->super_opts_len = t.len;
	return 0;
}

int om_mountinfo_next(char **cursor, char *end, struct om_mountinfo *mi)
{
	char *line, *eol;
	int err;

	if (!cursor || !*cursor || !end || *cursor > end || !mi)
		return -EINVAL;
	memset(mi, 0, sizeof(*mi));
	line = *cursor;
	if (line == end)
		return 0;
	eol = memchr(line, '\n', end - line);
	if (!eol) {
		*cursor = end;
		return -EINVAL;
	}
	*cursor = eol + 1;
	err = om_mi_line(line, eol, mi);
	if (err) {
		memset(mi, 0, sizeof(*mi));
		return err;
	}
	return 1;
}
