// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Image output: each CRIU image is a file created in the checkpoint
 * directory with the checkpointer's credentials, always a new one
 * (O_EXCL): never a file or FIFO someone else put there.  Everything goes through
 * an om_pb_sink, so the same encoders stream to a peer when migrating:
 * then each image's bytes go to out->stream in chunks, no file is made.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/string.h>

#include "om_ckpt.h"

#define OM_IMG_CHUNK	(64 * 1024)
/* one transport frame per chunk (frames carry up to 1 MiB) */
#define OM_IMG_STREAM_CHUNK	(512 * 1024)

static int om_img_stream_write(void *ctx, const void *buf, size_t len)
{
	struct om_img *img = ctx;
	int err;

	err = img->out->stream(img->out->stream_ctx, img->name, img->pos, buf, len, false);
	if (err)
		return err;
	img->pos += len;
	img->out->bytes += len;
	return 0;
}

static int om_img_file_write(void *ctx, const void *buf, size_t len)
{
	struct om_img *img = ctx;

	while (len) {
		ssize_t n = kernel_write(img->file, buf, len, &img->pos);

		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= n;
		img->out->bytes += n;
	}
	return 0;
}

int om_img_open(struct om_ckpt_out *out, struct om_img *img,
		const char *fmt, ...)
{
	char name[64];
	va_list ap;
	int len;

	memset(img, 0, sizeof(*img));
	img->out = out;
	va_start(ap, fmt);
	len = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (len >= sizeof(name))
		return -ENAMETOOLONG;
	if (out->stream) {
		strscpy(img->name, name, sizeof(img->name));
		img->buf = kvmalloc(OM_IMG_STREAM_CHUNK, GFP_KERNEL);
		if (!img->buf)
			return -ENOMEM;
		img->bs.out.write = om_img_stream_write;
		img->bs.out.ctx = img;
		img->bs.buf = img->buf;
		img->bs.cap = OM_IMG_STREAM_CHUNK;
		img->sink.write = om_pb_bufsink_write;
		img->sink.ctx = &img->bs;
		return 0;
	}
	img->buf = kvmalloc(OM_IMG_CHUNK, GFP_KERNEL);
	if (!img->buf)
		return -ENOMEM;
	img->file = file_open_root(&out->dir, name,
				   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				   O_LARGEFILE, 0600);
	if (IS_ERR(img->file)) {
		int err = PTR_ERR(img->file);

		img->file = NULL;
		kvfree(img->buf);
		img->buf = NULL;
		if (err == -EEXIST)
			om_reason(out->reason, "%s already exists in the image directory: use an empty directory",
				  name);
		else
			om_reason(out->reason, "cannot create %s in the image directory: %d",
				  name, err);
		return err;
	}
	img->bs.out.write = om_img_file_write;
	img->bs.out.ctx = img;
	img->bs.buf = img->buf;
	img->bs.cap = OM_IMG_CHUNK;
	img->sink.write = om_pb_bufsink_write;
	img->sink.ctx = &img->bs;
	return 0;
}

int om_img_raw(struct om_img *img, const void *buf, size_t len)
{
	return om_pb_bufsink_write(&img->bs, buf, len);
}

/* Page contents straight from the pages (pages-N.img). */
int om_img_pages(struct om_img *img, struct bio_vec *bv, unsigned int n)
{
	struct iov_iter it;
	unsigned int i;
	int err;

	if (img->out->stream && img->out->stream_pages) {
		size_t len = 0;

		/* what the chunk holds goes first: the image's bytes in order */
		err = om_pb_bufsink_flush(&img->bs);
		if (err)
			return err;
		for (i = 0; i < n; i++)
			len += bv[i].bv_len;
		err = img->out->stream_pages(img->out->stream_ctx, img->name, img->pos, bv, n);
		if (err)
			return err;
		img->pos += len;
		img->out->bytes += len;
		return 0;
	}
	if (img->out->stream) {
		/* copied into the chunk: a frame is sealed from one buffer */
		for (i = 0, err = 0; i < n && !err; i++) {
			void *p = kmap_local_page(bv[i].bv_page);

			err = om_pb_bufsink_write(&img->bs, p + bv[i].bv_offset, bv[i].bv_len);
			kunmap_local(p);
		}
		return err;
	}
	err = om_pb_bufsink_flush(&img->bs);
	if (err)
		return err;
	iov_iter_bvec(&it, ITER_SOURCE, bv, n, (size_t)n << PAGE_SHIFT);
	while (iov_iter_count(&it)) {
		ssize_t w = vfs_iter_write(img->file, &it, &img->pos, 0);

		if (w < 0)
			return w;
		if (w == 0)
			return -EIO;
		img->out->bytes += w;
	}
	return 0;
}

/* Flushes and closes; returns @err, or the first error of the close. */
int om_img_close(struct om_img *img, int err)
{
	int ret;

	if (img->out->stream && img->buf) {
		if (!err)
			err = om_pb_bufsink_flush(&img->bs);
		if (!err)
			err = img->out->stream(img->out->stream_ctx, img->name, img->pos,
					       NULL, 0, true);
		kvfree(img->buf);
		img->buf = NULL;
		return err;
	}
	if (!img->file)
		return err;
	if (!err)
		err = om_pb_bufsink_flush(&img->bs);
	ret = filp_close(img->file, NULL);
	if (!err)
		err = ret;
	img->file = NULL;
	kvfree(img->buf);
	img->buf = NULL;
	return err;
}

/* A single-entry image (or a header-only one with @msg NULL). */
int om_img_single(struct om_ckpt_out *out, enum om_criu_img type,
		  const char *name, const void *msg)
{
	struct om_img img;
	int err;

	err = om_img_open(out, &img, "%s", name);
	if (err)
		return err;
	err = om_criu_write_header(&img.sink, type);
	if (!err && msg)
		err = om_criu_write_entry(&img.sink, om_criu_images[type].msg, msg);
	return om_img_close(&img, err);
}
