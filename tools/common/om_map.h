/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Parser for the openMosix map file (/etc/openmosix.map), userspace only.
 *
 *   # comment (also after the fields)
 *   first-ID  address[:port]  count    count >= 1 consecutive IDs and
 *                                      consecutive last-octet addresses
 *   ID        address[:port]  ALIAS    extra address for node ID
 *                                      (count 0 means the same)
 *
 * Addresses are numeric IPv4 (host names are not resolved here).  The
 * whole file is parsed and checked before anything is returned, so a
 * caller never applies half a map.  IDs are 1..65535; IDs and addresses
 * (including aliases) must not overlap; a range must not run past ID
 * 65535 or past .255 in the last octet; an alias must name an ID some
 * range defines, and a node has at most OM_MAP_MAX_ALIASES aliases.
 */
#ifndef _OM_MAP_H
#define _OM_MAP_H

#include <stddef.h>
#include <stdint.h>

#define OM_MAP_MAX_LINE		1024	/* bytes per line incl. newline */
#define OM_MAP_MAX_LINES	65536
#define OM_MAP_MAX_ALIASES	6	/* per node, as openMosix (UAPI too) */

struct om_map_range {
	uint16_t first_id;
	uint32_t addr;		/* IPv4 of first_id, host order */
	uint16_t port;		/* 0 = default port */
	uint32_t count;		/* >= 1 */
	unsigned int line;
};

struct om_map_alias {
	uint16_t id;
	uint32_t addr;
	uint16_t port;
	unsigned int line;
};

struct om_map {
	struct om_map_range *ranges;
	unsigned int nranges;
	struct om_map_alias *aliases;
	unsigned int naliases;
};

struct om_map_error {
	unsigned int line;	/* 1-based, 0 = not tied to a line */
	char msg[160];
};

/*
 * Parse len bytes of text.  On success returns 0 and fills map (free with
 * om_map_free).  On error returns -EINVAL (or -ENOMEM), leaves map empty
 * and describes the first problem in err ("line 3: ...").
 */
int om_map_parse(const char *text, size_t len, struct om_map *map,
		 struct om_map_error *err);
void om_map_free(struct om_map *map);

/* Address and port of node id (primary address); 0 or -ENOENT */
int om_map_lookup_id(const struct om_map *map, uint16_t id, uint32_t *addr,
		     uint16_t *port);
/* Node id owning addr (primary or alias); 0 if none */
uint16_t om_map_lookup_addr(const struct om_map *map, uint32_t addr);
/* Number of node IDs the map defines */
unsigned int om_map_count(const struct om_map *map);

#endif /* _OM_MAP_H */
