// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The table of Documentation/syscall-forwarding.md, generated from
 * om_systab's own table so the two cannot drift: one row per x86_64
 * system call the table knows, sorted by name.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "tests.h"
#include "om_systab.h"

static const char *const class_name[] = {
	[OM_SYS_LOCAL] = "local",
	[OM_SYS_FORWARD] = "forward",
	[OM_SYS_HOME] = "home",
};

static const char *const dir_name[] = {
	[OM_SYS_IN] = "in",
	[OM_SYS_OUT] = "out",
	[OM_SYS_INOUT] = "inout",
};

static void fmt_len(FILE *f, const struct om_sys_bdesc *b)
{
	if (b->size == 1)
		fprintf(f, "arg%u bytes", b->larg);
	else
		fprintf(f, "arg%u x %u bytes", b->larg, b->size);
}

static void fmt_buf(FILE *f, const struct om_sys_bdesc *b)
{
	fprintf(f, "arg%u %s: ", b->arg, dir_name[b->dir & 3]);
	switch (b->kind) {
	case OM_SYS_B_FIXED:
		fprintf(f, "%u bytes", b->size);
		break;
	case OM_SYS_B_LEN_ARG:
		fmt_len(f, b);
		if (b->max)
			fprintf(f, " (more than %u: E2BIG)", b->max);
		break;
	case OM_SYS_B_STR:
		fprintf(f, "path");
		break;
	case OM_SYS_B_RET:
		fmt_len(f, b);
		if (b->size == 1)
			fprintf(f, ", ret bytes back");
		else
			fprintf(f, ", ret x %u bytes back", b->size);
		break;
	case OM_SYS_B_IOV:
		fprintf(f, "iovec[arg%u]%s", b->larg,
			(b->dir & OM_SYS_OUT) ? ", ret bytes back" : "");
		break;
	case OM_SYS_B_FDSET:
		fprintf(f, "fd_set of arg%u bits", b->larg);
		break;
	case OM_SYS_B_SIGPAIR:
		fprintf(f, "`{sigset_t *, 8}`");
		break;
	}
	if (b->flags & OM_SYS_BF_NULLOK)
		fprintf(f, ", NULL ok");
	if (b->flags & OM_SYS_BF_CLAMP)
		fprintf(f, ", clamped");
	if (b->when == OM_SYS_W_ALWAYS)
		fprintf(f, ", back even on error");
	else if (b->when == OM_SYS_W_POS)
		fprintf(f, ", back if ret > 0");
}

static void fmt_bufs(FILE *f, const struct om_sys_desc *d)
{
	unsigned int i;

	if (!d->nbuf)
		fprintf(f, d->cls == OM_SYS_FORWARD ? "none" : "-");
	for (i = 0; i < d->nbuf; i++) {
		if (i)
			fprintf(f, "; ");
		fmt_buf(f, &d->buf[i]);
	}
}

static int by_name(const void *a, const void *b)
{
	const struct om_sys_desc *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

void systab_doc_table(FILE *f)
{
	const struct om_sys_desc *rows[OM_SYS_NR_MAX], *c;
	unsigned int n = 0, i, k, nc;
	u64 nr;

	for (nr = 0; nr < OM_SYS_NR_MAX; nr++)
		if (om_sys_entry(nr))
			rows[n++] = om_sys_entry(nr);
	qsort(rows, n, sizeof(rows[0]), by_name);
	fprintf(f, "| syscall | class | buffers |\n|---|---|---|\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "| `%s` (%u) | ", rows[i]->name, rows[i]->nr);
		nc = om_sys_cases(rows[i]->nr, &c);
		if (!nc) {
			fprintf(f, "%s | ", class_name[rows[i]->cls]);
			fmt_bufs(f, rows[i]);
			fprintf(f, " |\n");
			continue;
		}
		fprintf(f, "by arguments | ");
		for (k = 0; k < nc; k++) {
			fprintf(f, "%s`%s`: %s", k ? "<br>" : "", c[k].cond,
				class_name[c[k].cls]);
			if (c[k].nbuf) {
				fprintf(f, ", ");
				fmt_bufs(f, &c[k]);
			}
		}
		fprintf(f, " |\n");
	}
	fprintf(f, "\n%u system calls; any other number is home.\n", n);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t cap = 0, len = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *t = realloc(s, cap + 65536);

			if (!t) {
				free(s);
				fclose(f);
				return NULL;
			}
			s = t;
			cap += 65536;
		}
		n = fread(s + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	fclose(f);
	s[len] = 0;
	return s;
}

int systab_doc_check(const char *path, char **out)
{
	char *doc = slurp(path), *gen = NULL, *b, *e, *res = NULL;
	size_t glen = 0, rlen = 0;
	FILE *g, *r;
	int same;

	if (out)
		*out = NULL;
	if (!doc)
		return -1;
	b = strstr(doc, SYSTAB_DOC_BEGIN "\n");
	e = b ? strstr(b, SYSTAB_DOC_END) : NULL;
	if (!b || !e) {
		free(doc);
		return -1;
	}
	b += strlen(SYSTAB_DOC_BEGIN "\n");
	g = open_memstream(&gen, &glen);
	if (!g) {
		free(doc);
		return -1;
	}
	systab_doc_table(g);
	fclose(g);
	same = (size_t)(e - b) == glen && !memcmp(b, gen, glen);
	if (out) {
		r = open_memstream(&res, &rlen);
		if (r) {
			fwrite(doc, 1, (size_t)(b - doc), r);
			fwrite(gen, 1, glen, r);
			fputs(e, r);
			fclose(r);
			*out = res;
		}
	}
	free(gen);
	free(doc);
	return same;
}

void test_doc(const char *path)
{
	int r = systab_doc_check(path, NULL);

	if (r < 0)
		printf("# %s: missing, or no %s ... %s\n", path,
		       SYSTAB_DOC_BEGIN, SYSTAB_DOC_END);
	else if (!r)
		printf("# the table differs from the generator's: run "
		       "make -C tests/unit/deputy doc\n");
	TAP_CHECK(r == 1, "doc: the table in %s is the generator's",
		  strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
}
