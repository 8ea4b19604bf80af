// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * One print path for text and JSON, after iproute2's json_print: a
 * printer makes one call per field, and the mode (the json flag) decides
 * what comes out: the field's text through its printf format, or its
 * key and value through the JSON writer.  Text and JSON of a printer
 * come from the same calls, so they cannot drift apart.
 */
#include "omtools.h"

bool is_json_context(void)
{
	return json;
}

/* Containers exist in JSON only; text has no structure to open. */
void open_json_object(const char *key)
{
	if (json)
		jw_open_obj(key);
}

void close_json_object(void)
{
	if (json)
		jw_close_obj();
}

void open_json_array(const char *key)
{
	if (json)
		jw_open_arr(key);
}

void close_json_array(void)
{
	if (json)
		jw_close_arr();
}

static bool as_json(enum om_print_type t)
{
	return json && (t & PRINT_JSON);
}

static bool as_text(enum om_print_type t, const char *fmt)
{
	return !json && (t & PRINT_FP) && fmt;
}

void print_string(enum om_print_type t, const char *key, const char *fmt,
		  const char *val)
{
	if (as_json(t))
		jw_str(key, val);
	else if (as_text(t, fmt))
		fprintf(jw_output(), fmt, val);
}

void print_uint(enum om_print_type t, const char *key, const char *fmt,
		unsigned int val)
{
	if (as_json(t))
		jw_uint(key, val);
	else if (as_text(t, fmt))
		fprintf(jw_output(), fmt, val);
}

void print_u64(enum om_print_type t, const char *key, const char *fmt,
	       uint64_t val)
{
	if (as_json(t))
		jw_uint(key, val);
	else if (as_text(t, fmt))
		fprintf(jw_output(), fmt, (unsigned long long)val);
}

static void print_word(enum om_print_type t, const char *key,
		       const char *fmt, bool val, const char *yes,
		       const char *no)
{
	if (as_json(t))
		jw_bool(key, val);
	else if (as_text(t, fmt))
		fprintf(jw_output(), fmt, val ? yes : no);
}

void print_bool(enum om_print_type t, const char *key, const char *fmt,
		bool val)
{
	print_word(t, key, fmt, val, "true", "false");
}

void print_on_off(enum om_print_type t, const char *key, const char *fmt,
		  bool val)
{
	print_word(t, key, fmt, val, "on", "off");
}

void print_yes_no(enum om_print_type t, const char *key, const char *fmt,
		  bool val)
{
	print_word(t, key, fmt, val, "yes", "no");
}

void print_null(enum om_print_type t, const char *key, const char *fmt,
		const char *text)
{
	if (as_json(t))
		jw_null(key);
	else if (as_text(t, fmt))
		fprintf(jw_output(), fmt, text);
}

void print_nl(void)
{
	if (!json)
		fputc('\n', jw_output());
}

void print_end(void)
{
	if (json)
		jw_end();
	else
		fflush(jw_output());
}
