// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Tiny streaming JSON writer: enough for the tools' objects and arrays,
 * with string escaping and an optional pretty (indented) layout.
 */
#include <stdio.h>
#include <string.h>

#include "omtools.h"

bool json;
bool pretty;

#define JW_MAX_DEPTH 16

static FILE *jw_out;
static int depth;
static bool first[JW_MAX_DEPTH];
static bool in_array[JW_MAX_DEPTH];

void jw_set_output(FILE *f)
{
	jw_out = f;
}

FILE *jw_output(void)
{
	return jw_out ? jw_out : stdout;
}

static FILE *out(void)
{
	return jw_output();
}

static void indent(void)
{
	if (!pretty)
		return;
	fputc('\n', out());
	for (int i = 0; i < depth; i++)
		fputs("  ", out());
}

static void put_string(const char *s)
{
	FILE *f = out();

	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			/* other control bytes must be \u escaped; DEL too, for terminals */
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Separator, indentation and "key": for the next value */
static void member(const char *key)
{
	if (depth > 0) {
		if (!first[depth])
			fputc(',', out());
		first[depth] = false;
		indent();
		if (!in_array[depth]) {
			put_string(key ? key : "");
			fputs(pretty ? ": " : ":", out());
		}
	}
}

static void open_container(const char *key, char c, bool array)
{
	member(key);
	fputc(c, out());
	if (depth < JW_MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
	in_array[depth] = array;
}

static void close_container(char c)
{
	bool empty = first[depth];

	if (depth > 0)
		depth--;
	if (!empty)
		indent();
	fputc(c, out());
}

void jw_open_obj(const char *key)
{
	open_container(key, '{', false);
}

void jw_close_obj(void)
{
	close_container('}');
}

void jw_open_arr(const char *key)
{
	open_container(key, '[', true);
}

void jw_close_arr(void)
{
	close_container(']');
}

void jw_str(const char *key, const char *val)
{
	member(key);
	put_string(val);
}

void jw_uint(const char *key, uint64_t val)
{
	member(key);
	fprintf(out(), "%llu", (unsigned long long)val);
}

void jw_bool(const char *key, bool val)
{
	member(key);
	fputs(val ? "true" : "false", out());
}

void jw_null(const char *key)
{
	member(key);
	fputs("null", out());
}

void jw_end(void)
{
	fputc('\n', out());
	fflush(out());
}
