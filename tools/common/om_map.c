// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * openMosix map file parser.  Two passes: syntax per line into lists,
 * then whole-map checks (overlaps, alias targets), so errors never leave
 * a partial result behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "om_map.h"

#define OM_MAP_MAX_FIELDS	4

static void om_map_err(struct om_map_error *err, unsigned int line,
		       const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!err)
		return;
	err->line = line;
	if (line)
		n = snprintf(err->msg, sizeof(err->msg), "line %u: ", line);
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
}

/* Decimal, no sign, no leading '+', bounded; 0 on success */
static int om_map_num(const char *s, size_t len, unsigned long max,
		      unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* "a.b.c.d" or "a.b.c.d:port" */
static int om_map_addr(const char *s, size_t len, uint32_t *addr,
		       uint16_t *port, const char **why)
{
	const char *colon = memchr(s, ':', len);
	size_t alen = colon ? (size_t)(colon - s) : len;
	unsigned long oct, p;
	uint32_t a = 0;
	size_t i = 0;
	int k;

	*port = 0;
	for (k = 0; k < 4; k++) {
		size_t st = i;

		while (i < alen && s[i] != '.')
			i++;
		if (om_map_num(s + st, i - st, 255, &oct) || i - st > 3) {
			*why = "invalid IPv4 address (host names are not supported)";
			return -1;
		}
		a = (a << 8) | (uint32_t)oct;
		if (k < 3) {
			if (i == alen) {
				*why = "invalid IPv4 address (host names are not supported)";
				return -1;
			}
			i++;
		}
	}
	if (i != alen) {
		*why = "invalid IPv4 address (host names are not supported)";
		return -1;
	}
	if (!a || a == 0xffffffffU) {
		*why = "address 0.0.0.0 or 255.255.255.255 is not a node";
		return -1;
	}
	if (colon) {
		if (om_map_num(colon + 1, len - alen - 1, 65535, &p) || !p) {
			*why = "port must be 1..65535";
			return -1;
		}
		*port = (uint16_t)p;
	}
	*addr = a;
	return 0;
}

static int om_map_grow(void **arr, unsigned int n, unsigned int *cap,
		       size_t elem)
{
	void *p;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, (size_t)*cap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

static int om_map_line(const char *s, size_t len, unsigned int lineno,
		       struct om_map *m, unsigned int *rcap, unsigned int *acap,
		       struct om_map_error *err)
{
	const char *f[OM_MAP_MAX_FIELDS];
	size_t fl[OM_MAP_MAX_FIELDS];
	unsigned long id, count;
	const char *why = NULL;
	uint32_t addr;
	uint16_t port;
	int nf = 0;
	size_t i = 0;
	int alias;

	while (i < len) {
		size_t st;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == len || s[i] == '#')
			break;
		if (nf == OM_MAP_MAX_FIELDS - 1) {
			om_map_err(err, lineno, "too many fields (expected: ID address count|ALIAS)");
			return -EINVAL;
		}
		st = i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		       s[i] != '#')
			i++;
		f[nf] = s + st;
		fl[nf++] = i - st;
	}
	for (i = 0; i < len; i++) {
		if (!s[i] || (unsigned char)s[i] >= 0x80) {
			om_map_err(err, lineno, "invalid character");
			return -EINVAL;
		}
	}
	if (!nf)
		return 0;
	if (nf != 3) {
		om_map_err(err, lineno, "expected 3 fields (ID address count|ALIAS), got %d",
			   nf);
		return -EINVAL;
	}
	if (om_map_num(f[0], fl[0], 0xffffffffUL, &id) || !id || id > 65535) {
		om_map_err(err, lineno, "node ID '%.*s' is not in 1..65535",
			   (int)(fl[0] > 32 ? 32 : fl[0]), f[0]);
		return -EINVAL;
	}
	if (om_map_addr(f[1], fl[1], &addr, &port, &why)) {
		om_map_err(err, lineno, "'%.*s': %s",
			   (int)(fl[1] > 40 ? 40 : fl[1]), f[1], why);
		return -EINVAL;
	}
	alias = fl[2] == 5 && !strncasecmp(f[2], "ALIAS", 5);
	if (!alias) {
		if (om_map_num(f[2], fl[2], 0xffffffffUL, &count)) {
			om_map_err(err, lineno, "count '%.*s' is not a number or ALIAS",
				   (int)(fl[2] > 32 ? 32 : fl[2]), f[2]);
			return -EINVAL;
		}
		alias = count == 0;
	}
	if (alias) {
		if (om_map_grow((void **)&m->aliases, m->naliases, acap,
				sizeof(*m->aliases)))
			goto nomem;
		m->aliases[m->naliases++] = (struct om_map_alias){
			.id = (uint16_t)id, .addr = addr, .port = port,
			.line = lineno,
		};
		return 0;
	}
	if (id + count - 1 > 65535) {
		om_map_err(err, lineno, "range %lu+%lu runs past node ID 65535",
			   id, count);
		return -EINVAL;
	}
	if ((addr & 0xff) + count - 1 > 255) {
		om_map_err(err, lineno, "range of %lu addresses runs past .255 in the last octet",
			   count);
		return -EINVAL;
	}
	if (om_map_grow((void **)&m->ranges, m->nranges, rcap,
			sizeof(*m->ranges)))
		goto nomem;
	m->ranges[m->nranges++] = (struct om_map_range){
		.first_id = (uint16_t)id, .addr = addr, .port = port,
		.count = (uint32_t)count, .line = lineno,
	};
	return 0;
nomem:
	om_map_err(err, lineno, "out of memory");
	return -ENOMEM;
}

static int om_map_overlap(uint32_t a0, uint32_t an, uint32_t b0, uint32_t bn)
{
	return a0 < b0 + bn && b0 < a0 + an;
}

/* Whole-map checks; O(n^2) over lines, fine for a few thousand */
static int om_map_check(const struct om_map *m, struct om_map_error *err)
{
	unsigned int i, j;

	for (i = 0; i < m->nranges; i++) {
		const struct om_map_range *a = &m->ranges[i];

		for (j = 0; j < i; j++) {
			const struct om_map_range *b = &m->ranges[j];

			if (om_map_overlap(a->first_id, a->count, b->first_id,
					   b->count)) {
				om_map_err(err, a->line, "node IDs %u-%u overlap line %u",
					   a->first_id,
					   a->first_id + a->count - 1, b->line);
				return -EINVAL;
			}
			if (om_map_overlap(a->addr, a->count, b->addr,
					   b->count)) {
				om_map_err(err, a->line, "addresses overlap line %u",
					   b->line);
				return -EINVAL;
			}
		}
	}
	for (i = 0; i < m->naliases; i++) {
		const struct om_map_alias *a = &m->aliases[i];
		unsigned int same = 0;
		int found = 0;

		for (j = 0; j < m->nranges; j++) {
			const struct om_map_range *r = &m->ranges[j];

			if (a->id >= r->first_id &&
			    (uint32_t)(a->id - r->first_id) < r->count)
				found = 1;
			if (om_map_overlap(a->addr, 1, r->addr, r->count)) {
				om_map_err(err, a->line, "alias address already used on line %u",
					   r->line);
				return -EINVAL;
			}
		}
		for (j = 0; j < i; j++) {
			if (m->aliases[j].addr == a->addr) {
				om_map_err(err, a->line, "alias address already used on line %u",
					   m->aliases[j].line);
				return -EINVAL;
			}
			same += m->aliases[j].id == a->id;
		}
		if (same >= OM_MAP_MAX_ALIASES) {
			om_map_err(err, a->line, "node %u has more than %d aliases",
				   a->id, OM_MAP_MAX_ALIASES);
			return -EINVAL;
		}
		if (!found) {
			om_map_err(err, a->line, "ALIAS for node %u, which no range defines",
				   a->id);
			return -EINVAL;
		}
	}
	return 0;
}

int om_map_parse(const char *text, size_t len, struct om_map *map,
		 struct om_map_error *err)
{
	struct om_map m = { 0 };
	unsigned int rcap = 0, acap = 0, lineno = 0;
	size_t off = 0;
	int ret = 0;

	memset(map, 0, sizeof(*map));
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	if (!text && len)
		return -EINVAL;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (text + off)) : len - off;

		if (++lineno > OM_MAP_MAX_LINES) {
			om_map_err(err, lineno, "too many lines (max %d)",
				   OM_MAP_MAX_LINES);
			ret = -EINVAL;
			break;
		}
		if (l >= OM_MAP_MAX_LINE) {
			om_map_err(err, lineno, "line longer than %d bytes",
				   OM_MAP_MAX_LINE - 1);
			ret = -EINVAL;
			break;
		}
		ret = om_map_line(text + off, l, lineno, &m, &rcap, &acap, err);
		if (ret)
			break;
		off += l + (nl ? 1 : 0);
	}
	if (!ret && !m.nranges) {
		om_map_err(err, 0, "no nodes defined");
		ret = -EINVAL;
	}
	if (!ret)
		ret = om_map_check(&m, err);
	if (ret) {
		om_map_free(&m);
		return ret;
	}
	*map = m;
	return 0;
}

void om_map_free(struct om_map *map)
{
	free(map->ranges);
	free(map->aliases);
	memset(map, 0, sizeof(*map));
}

int om_map_lookup_id(const struct om_map *map, uint16_t id, uint32_t *addr,
		     uint16_t *port)
{
	unsigned int i;

	for (i = 0; i < map->nranges; i++) {
		const struct om_map_range *r = &map->ranges[i];

		if (id >= r->first_id && (uint32_t)(id - r->first_id) < r->count) {
			*addr = r->addr + (id - r->first_id);
			*port = r->port;
			return 0;
		}
	}
	return -ENOENT;
}

uint16_t om_map_lookup_addr(const struct om_map *map, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < map->nranges; i++) {
		const struct om_map_range *r = &map->ranges[i];

		if (addr >= r->addr && addr - r->addr < r->count)
			return (uint16_t)(r->first_id + (addr - r->addr));
	}
	for (i = 0; i < map->naliases; i++)
		if (map->aliases[i].addr == addr)
			return map->aliases[i].id;
	return 0;
}

unsigned int om_map_count(const struct om_map *map)
{
	unsigned int i, n = 0;

	for (i = 0; i < map->nranges; i++)
		n += map->ranges[i].count;
	return n;
}
