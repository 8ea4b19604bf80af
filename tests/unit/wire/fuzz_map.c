// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: map file parser; a parsed map must be consistent.
 */
#include <stdint.h>
#include <string.h>

#include "om_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct om_map m;
	struct om_map_error e;
	unsigned int i;

	if (om_map_parse((const char *)data, size, &m, &e)) {
		if (m.ranges || m.aliases || !memchr(e.msg, 0, sizeof(e.msg)))
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < m.nranges; i++) {
		const struct om_map_range *r = &m.ranges[i];
		uint32_t addr;
		uint16_t port;

		if (!r->first_id || !r->count ||
		    r->first_id + r->count - 1 > 65535 ||
		    om_map_lookup_id(&m, r->first_id, &addr, &port) ||
		    addr != r->addr ||
		    om_map_lookup_addr(&m, r->addr) != r->first_id)
			__builtin_trap();
	}
	om_map_free(&m);
	return 0;
}
