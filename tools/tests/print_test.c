// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The print API of libomtools (lib/print.c over lib/json.c): the same
 * calls in text, JSON and pretty JSON mode; which calls print in which
 * mode; string escaping; nesting and empty containers.  Prints TAP.
 */
#include <stdlib.h>
#include <string.h>

#include "omtools.h"

static int n, failed;

static void ok(int cond, const char *desc)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - print: %s\n", cond ? "" : "not ", n, desc);
	fflush(stdout);
}

/* Show both sides of a failed comparison, one TAP comment line each. */
static void diag(const char *what, const char *s)
{
	printf("#   %s: \"", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	puts("\"");
}

/* Run fn in a mode with the library's output in a string; compare. */
static void expect(const char *desc, bool as_json, bool as_pretty,
		   void (*fn)(void), const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	json = as_json;
	pretty = as_pretty;
	jw_set_output(f);
	fn();
	jw_set_output(NULL);
	json = pretty = false;
	fclose(f);
	ok(len == strlen(want) && !memcmp(buf, want, len), desc);
	if (len != strlen(want) || memcmp(buf, want, len)) {
		diag("got ", buf);
		diag("want", want);
	}
	free(buf);
}

/* A node-like record: every kind of field, text and JSON differing */
static void record(void)
{
	open_json_object(NULL);
	print_uint(PRINT_ANY, "id", "node %u", 7);
	print_string(PRINT_ANY, "address", " at %s", "10.0.0.1");
	print_string(PRINT_FP, NULL, " (%s)", "self");
	print_bool(PRINT_JSON, "self", NULL, true);
	print_on_off(PRINT_ANY, "stay", " stay %s", false);
	print_yes_no(PRINT_ANY, "locked", " locked %s", true);
	print_bool(PRINT_ANY, "blocked", " blocked %s", false);
	print_u64(PRINT_ANY, "mem", " mem %llu", UINT64_MAX);
	print_uint(PRINT_ANY, "zero", " %u", 0);
	print_uint(PRINT_JSON, "max", " %u", UINT32_MAX);
	print_null(PRINT_ANY, "heard", " heard %s", "-");
	print_null(PRINT_JSON, "gone", " gone %s", "never");
	open_json_array("flags");
	print_string(PRINT_JSON, NULL, NULL, "static");
	print_string(PRINT_JSON, NULL, NULL, "self");
	close_json_array();
	print_string(PRINT_FP, NULL, " flags %s", "static,self");
	/* no text without a format, whatever the type says */
	print_string(PRINT_ANY, "quiet", NULL, "x");
	print_nl();
	close_json_object();
	print_end();
}

static void escapes(void)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "s", "%s\n",
		     "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f \xc3\xa9");
	close_json_object();
	print_end();
}

/* objects in arrays in objects; keys are ignored in arrays */
static void nesting(void)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "file", "# %s\n", "m");
	open_json_array("nodes");
	for (unsigned int i = 1; i <= 2; i++) {
		open_json_object("ignored");
		print_uint(PRINT_ANY, "id", "node %u", i);
		open_json_array("aliases");
		if (i == 2)
			print_string(PRINT_ANY, "ignored", " %s", "10.0.1.2");
		close_json_array();
		open_json_object("more");
		close_json_object();
		print_nl();
		close_json_object();
	}
	close_json_array();
	open_json_array("empty");
	close_json_array();
	close_json_object();
	print_end();
}

/* a stream of top-level values, as monitor prints events */
static void stream(void)
{
	for (unsigned int i = 0; i < 3; i++) {
		open_json_object(NULL);
		print_uint(PRINT_ANY, "event", "event %u\n", i);
		close_json_object();
		print_end();
	}
	open_json_array(NULL);
	close_json_array();
	print_end();
}

static void deep(void)
{
	for (int i = 0; i < 14; i++)
		open_json_array(NULL);
	print_uint(PRINT_ANY, NULL, "%u\n", 1);
	for (int i = 0; i < 14; i++)
		close_json_array();
	print_end();
}

int main(void)
{
	expect("record, text", false, false, record,
	       "node 7 at 10.0.0.1 (self) stay off locked yes blocked false"
	       " mem 18446744073709551615 0 heard - flags static,self\n");
	expect("record, JSON from the same calls", true, false, record,
	       "{\"id\":7,\"address\":\"10.0.0.1\",\"self\":true,"
	       "\"stay\":false,\"locked\":true,\"blocked\":false,"
	       "\"mem\":18446744073709551615,\"zero\":0,\"max\":4294967295,"
	       "\"heard\":null,\"gone\":null,\"flags\":[\"static\",\"self\"],"
	       "\"quiet\":\"x\"}\n");
	expect("record, pretty JSON", true, true, record,
	       "{\n"
	       "  \"id\": 7,\n"
	       "  \"address\": \"10.0.0.1\",\n"
	       "  \"self\": true,\n"
	       "  \"stay\": false,\n"
	       "  \"locked\": true,\n"
	       "  \"blocked\": false,\n"
	       "  \"mem\": 18446744073709551615,\n"
	       "  \"zero\": 0,\n"
	       "  \"max\": 4294967295,\n"
	       "  \"heard\": null,\n"
	       "  \"gone\": null,\n"
	       "  \"flags\": [\n"
	       "    \"static\",\n"
	       "    \"self\"\n"
	       "  ],\n"
	       "  \"quiet\": \"x\"\n"
	       "}\n");
	expect("escapes: text is raw", false, false, escapes,
	       "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f \xc3\xa9\n");
	expect("escapes: JSON quotes, backslash, controls, DEL", true, false,
	       escapes,
	       "{\"s\":\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f \xc3\xa9\"}\n");
	expect("nesting, text", false, false, nesting,
	       "# m\nnode 1\nnode 2 10.0.1.2\n");
	expect("nesting, JSON", true, false, nesting,
	       "{\"file\":\"m\",\"nodes\":["
	       "{\"id\":1,\"aliases\":[],\"more\":{}},"
	       "{\"id\":2,\"aliases\":[\"10.0.1.2\"],\"more\":{}}],"
	       "\"empty\":[]}\n");
	expect("nesting, pretty JSON", true, true, nesting,
	       "{\n"
	       "  \"file\": \"m\",\n"
	       "  \"nodes\": [\n"
	       "    {\n"
	       "      \"id\": 1,\n"
	       "      \"aliases\": [],\n"
	       "      \"more\": {}\n"
	       "    },\n"
	       "    {\n"
	       "      \"id\": 2,\n"
	       "      \"aliases\": [\n"
	       "        \"10.0.1.2\"\n"
	       "      ],\n"
	       "      \"more\": {}\n"
	       "    }\n"
	       "  ],\n"
	       "  \"empty\": []\n"
	       "}\n");
	expect("top-level values, text", false, false, stream,
	       "event 0\nevent 1\nevent 2\n");
	expect("top-level values, one JSON line each", true, false, stream,
	       "{\"event\":0}\n{\"event\":1}\n{\"event\":2}\n[]\n");
	expect("top-level values, pretty", true, true, stream,
	       "{\n  \"event\": 0\n}\n{\n  \"event\": 1\n}\n{\n  \"event\": 2\n}\n[]\n");
	expect("14 levels deep, JSON", true, false, deep,
	       "[[[[[[[[[[[[[[1]]]]]]]]]]]]]]\n");
	expect("14 levels deep, text", false, false, deep, "1\n");
	json = true;
	ok(is_json_context(), "is_json_context: JSON");
	json = false;
	ok(!is_json_context(), "is_json_context: text");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
