// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The openMosix-NG developers. */
/*
 * om_criu_tool write DIR   - write the synthetic process's image directory
 * om_criu_tool dump FILE   - decode FILE with our decoder (type from its
 *                            magic) and print every field as path=value
 * om_criu_tool reenc FILE OUT - decode FILE and encode it again to OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include "synth.h"

static u8 *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	size_t cap = 0, n;

	if (!f)
		return NULL;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				exit(2);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (!n)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

static void print_msg(const struct om_pb_msg_desc *d, const void *msg,
		      const char *pfx, int depth);

static void print_val(const struct om_pb_field *f, const void *p,
		      const char *path, int depth)
{
	const struct om_pb_bytes *b;
	u32 i;

	switch (f->type) {
	case OM_PB_UINT64:
	case OM_PB_FIXED64:
		printf("%s=%" PRIu64 "\n", path, *(const u64 *)p);
		break;
	case OM_PB_INT64:
	case OM_PB_SINT64:
		printf("%s=%" PRId64 "\n", path, *(const s64 *)p);
		break;
	case OM_PB_INT32:
	case OM_PB_SINT32:
		printf("%s=%" PRId32 "\n", path, *(const s32 *)p);
		break;
	case OM_PB_BOOL:
		printf("%s=%d\n", path, *(const bool *)p);
		break;
	case OM_PB_STRING:
		printf("%s=%s\n", path, *(char * const *)p);
		break;
	case OM_PB_BYTES:
		b = p;
		printf("%s=", path);
		for (i = 0; i < b->len; i++)
			printf("%02x", b->data[i]);
		printf("\n");
		break;
	case OM_PB_MESSAGE:
		print_msg(f->sub, p, path, depth + 1);
		break;
	default:
		printf("%s=%" PRIu32 "\n", path, *(const u32 *)p);
		break;
	}
}

static void print_msg(const struct om_pb_msg_desc *d, const void *msg,
		      const char *pfx, int depth)
{
	char path[256];
	u32 i, j, n;

	for (i = 0; i < d->n_fields && depth < OM_PB_MAX_DEPTH; i++) {
		const struct om_pb_field *f = &d->fields[i];
		const u8 *val = (const u8 *)msg + f->offset;
		/* field names are not in the tables: paths use numbers */
		if (f->label == OM_PB_REPEATED) {
			const u8 *arr = *(const u8 * const *)val;
			size_t esz;

			n = *(const u32 *)((const u8 *)msg + f->qoffset);
			esz = f->type == OM_PB_MESSAGE ? f->sub->size :
			      (f->type == OM_PB_UINT64 || f->type == OM_PB_INT64 ||
			       f->type == OM_PB_SINT64 || f->type == OM_PB_FIXED64) ? 8 :
			      f->type == OM_PB_BOOL ? sizeof(bool) : 4;
			for (j = 0; j < n; j++) {
				snprintf(path, sizeof(path), "%s.%u[%u]", pfx, f->id, j);
				print_val(f, arr + j * esz, path, depth);
			}
			continue;
		}
		if (f->label == OM_PB_OPTIONAL && f->qoffset &&
		    !*(const bool *)((const u8 *)msg + f->qoffset))
			continue;
		snprintf(path, sizeof(path), "%s.%u", pfx, f->id);
		if (f->type == OM_PB_MESSAGE || f->type == OM_PB_STRING) {
			if (!*(void * const *)val)
				continue;
			if (f->type == OM_PB_MESSAGE) {
				print_msg(f->sub, *(void * const *)val, path, depth + 1);
				continue;
			}
		}
		print_val(f, val, path, depth);
	}
}

static int find_img(const u8 *buf, size_t len)
{
	int i;

	for (i = 0; i < OM_CRIU_IMG_NR; i++)
		if (om_criu_check_header(buf, len, i) > 0)
			return i;
	return -1;
}

/* pipes-data.img, fifo-data.img: raw contents after every entry */
static bool raw_data(int img)
{
	return img == OM_CRIU_IMG_PIPES_DATA || img == OM_CRIU_IMG_FIFO_DATA;
}

/*
 * ghost-file-N.img: the entry, then each piece of the contents, printed
 * as ghost_file_entry[0].piece[K]=OFF:LEN:HEX, or re-encoded (a chunk
 * entry before each piece of a chunked ghost)
 */
static int walk_ghost(const u8 *buf, size_t len, size_t off, FILE *out)
{
	struct om_criu_ghost_file_entry g;
	struct om_criu_ghost_walk w;
	const u8 *data;
	u64 foff, dlen, k;
	unsigned int n = 0;
	int ret, r;
	u8 *e;

	ret = om_criu_ghost_head(buf, len, &off, &g, &w);
	if (ret)
		return ret;
	e = malloc(OM_CRIU_MAX_ENTRY);
	if (!e)
		exit(2);
	r = om_criu_encode_entry(&om_criu_ghost_file_entry_desc, &g, e, OM_CRIU_MAX_ENTRY);
	if (out && r > 0)
		fwrite(e, 1, r, out);
	else if (!out)
		print_msg(&om_criu_ghost_file_entry_desc, &g, "ghost_file_entry[0]", 0);
	ret = r < 0 ? r : 0;
	while (!ret && (ret = om_criu_ghost_next(buf, len, &off, &w, &foff, &data, &dlen)) == 1) {
		struct om_criu_ghost_chunk_entry ce = { .len = dlen, .off = foff };

		ret = 0;
		if (out) {
			r = w.chunks ? om_criu_encode_entry(&om_criu_ghost_chunk_entry_desc, &ce, e,
							   OM_CRIU_MAX_ENTRY) : 0;
			if (r < 0)
				ret = r;
			fwrite(e, 1, r > 0 ? r : 0, out);
			fwrite(data, 1, dlen, out);
			continue;
		}
		printf("ghost_file_entry[0].piece[%u]=%" PRIu64 ":%" PRIu64 ":", n++, foff, dlen);
		for (k = 0; k < dlen && k < 64; k++)
			printf("%02x", data[k]);
		printf("\n");
	}
	if (!out)
		printf("size=%" PRIu64 "\n", w.size);
	free(e);
	om_pb_free(&om_criu_ghost_file_entry_desc, &g);
	return ret;
}

/* Decode every entry; print (dump) or re-encode them (reenc). */
static int walk(const char *file, FILE *out)
{
	const struct om_pb_msg_desc *d;
	size_t len, off;
	unsigned int n = 0;
	void *msg;
	int img, ret;
	u8 *buf = slurp(file, &len);

	if (!buf) {
		perror(file);
		return 2;
	}
	img = find_img(buf, len);
	if (img < 0) {
		fprintf(stderr, "%s: unknown magic\n", file);
		return 1;
	}
	off = om_criu_check_header(buf, len, img);
	if (out)
		fwrite(buf, 1, off, out);
	if (img == OM_CRIU_IMG_GHOST_FILE) {
		ret = walk_ghost(buf, len, off, out);
		free(buf);
		if (ret < 0)
			fprintf(stderr, "%s: decode error %d\n", file, ret);
		return ret < 0;
	}
	for (;;) {
		const u8 *data = NULL;
		u32 bytes = 0;

		d = om_criu_images[img].msg;
		if (img == OM_CRIU_IMG_PAGEMAP && n == 0)
			d = &om_criu_pagemap_head_desc;
		msg = calloc(1, d->size);
		if (raw_data(img)) {
			/* each entry is followed by its pipe's contents */
			ret = om_criu_next_pipe_data(buf, len, &off, msg, &data);
			bytes = ((struct om_criu_pipe_data_entry *)msg)->bytes;
		} else {
			ret = om_criu_read_entry(buf, len, &off, d, msg);
		}
		if (ret <= 0) {
			free(msg);
			break;
		}
		if (out) {
			u8 *e = malloc(OM_CRIU_MAX_ENTRY);
			int r = om_criu_encode_entry(d, msg, e, OM_CRIU_MAX_ENTRY);

			if (r < 0) {
				ret = r;
				free(e);
				om_pb_free_unpacked(d, msg);
				break;
			}
			fwrite(e, 1, r, out);
			fwrite(data, 1, bytes, out);
			free(e);
		} else {
			char pfx[64];

			snprintf(pfx, sizeof(pfx), "%s[%u]", d->name, n);
			print_msg(d, msg, pfx, 0);
			if (raw_data(img)) {
				printf("%s.data=", pfx);
				for (u32 k = 0; k < bytes; k++)
					printf("%02x", data[k]);
				printf("\n");
			}
		}
		om_pb_free_unpacked(d, msg);
		n++;
	}
	if (!out)
		printf("entries=%u\n", n);
	free(buf);
	if (ret < 0) {
		fprintf(stderr, "%s: decode error %d\n", file, ret);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct synth s;
	FILE *out;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "write")) {
		synth_build(&s);
		ret = synth_write_dir(&s, argv[2]);
		if (ret)
			fprintf(stderr, "write: %d\n", ret);
		return !!ret;
	}
	if (argc == 3 && !strcmp(argv[1], "dump"))
		return walk(argv[2], NULL);
	if (argc == 4 && !strcmp(argv[1], "reenc")) {
		out = fopen(argv[3], "wb");
		if (!out)
			return 2;
		ret = walk(argv[2], out);
		fclose(out);
		return ret;
	}
	fprintf(stderr, "usage: %s write DIR | dump FILE | reenc FILE OUT\n", argv[0]);
	return 2;
}
