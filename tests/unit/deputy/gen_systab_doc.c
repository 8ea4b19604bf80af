// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * gen_systab_doc                print the generated table
 * gen_systab_doc --update DOC   rewrite DOC's generated part
 * gen_systab_doc --check DOC    exit 1 if DOC's generated part differs
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"

int tap_n, tap_fail;

int main(int argc, char **argv)
{
	char *doc;
	FILE *f;
	int r;

	if (argc == 1) {
		systab_doc_table(stdout);
		return 0;
	}
	if (argc != 3 || (strcmp(argv[1], "--update") &&
			  strcmp(argv[1], "--check"))) {
		fprintf(stderr, "usage: %s [--update|--check DOC]\n", argv[0]);
		return 2;
	}
	r = systab_doc_check(argv[2], &doc);
	if (r < 0 || !doc) {
		fprintf(stderr, "%s: cannot read it, or no %s ... %s markers\n",
			argv[2], SYSTAB_DOC_BEGIN, SYSTAB_DOC_END);
		return 2;
	}
	if (!strcmp(argv[1], "--check")) {
		free(doc);
		if (!r)
			fprintf(stderr, "%s: the table is stale\n", argv[2]);
		return r ? 0 : 1;
	}
	if (r) {
		free(doc);
		return 0;
	}
	f = fopen(argv[2], "w");
	if (!f || fputs(doc, f) < 0 || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(doc);
	printf("%s: table updated\n", argv[2]);
	return 0;
}
