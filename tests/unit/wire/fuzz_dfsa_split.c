// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: om_dfsa_split() and om_dfsa_label_confined() on the
 * input, in a buffer of exactly its size (ASan catches a read past it).
 * A split must give a non-empty parent that does not end in '/' and
 * starts the input, and a last name after it, without '/', not "." or
 * "..", with only slashes between the two and only slashes after it
 * (exactly when trail); -1 only when no such split exists.  The label is
 * unconfined exactly when it is "unconfined" or nothing, but for
 * trailing newlines and NULs.
 */
#include "om_dfsa_match.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* the split the definition gives, by another way: the last name first */
static int ref_split(const char *s, size_t n, size_t *dl, size_t *l, size_t *ll)
{
	size_t i, end = 0, start;
	bool any = false;

	for (i = 0; i < n; i++)
		if (s[i] != '/') {
			end = i + 1;
			any = true;
		}
	if (!any)
		return -1;
	for (start = end; start > 0 && s[start - 1] != '/'; start--)
		;
	if (start == 0)
		return -1;
	if ((end - start == 1 && s[start] == '.') ||
	    (end - start == 2 && s[start] == '.' && s[start + 1] == '.'))
		return -1;
	for (i = start; i > 0 && s[i - 1] == '/'; i--)
		;
	if (i == 0)
		return -1;
	*dl = i;
	*l = start;
	*ll = end - start;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	size_t dl = 0, l = 0, ll = 0, rdl = 0, rl = 0, rll = 0, n = size;
	bool trail = false, conf;
	int r, rr;

	memcpy(s, data, size);
	r = om_dfsa_split(s, size, &dl, &l, &ll, &trail);
	rr = ref_split(s, size, &rdl, &rl, &rll);
	if (r != rr)
		__builtin_trap();
	if (!r) {
		if (dl != rdl || l != rl || ll != rll || !dl || s[dl - 1] == '/' ||
		    l + ll > size || memchr(s + l, '/', ll) || trail != (l + ll < size))
			__builtin_trap();
	}
	conf = om_dfsa_label_confined(s, size);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\0'))
		n--;
	if (conf != !(n == 0 || (n == 10 && !memcmp(s, "unconfined", 10)) ||
		      (n == 6 && !memcmp(s, "kernel", 6))))
		__builtin_trap();
	free(s);
	return 0;
}
