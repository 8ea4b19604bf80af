// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Files: the file table behind files.img (one file_entry per open file
 * description, plus exe, cwd, root and mapped files deduplicated by
 * inode), fdinfo-2.img (one entry per fd), fs-PID.img, tty-info.img.
 * Regular files, directories and memory devices (/dev/null ...) are REG
 * entries by path, flags and offset; pipes are PIPE entries, and a pipe
 * whose every open end is the process's gets its contents and size in
 * pipes-data.img (criu's format) so that the restore recreates it; ttys
 * are TTY entries with their tty-info; named FIFOs are FIFO entries
 * naming a REG entry with their path and flags (as criu writes them),
 * and one nobody else has open gets its contents and size in
 * fifo-data.img so that the restore refills it.  eventfds, signalfds,
 * timerfds and epolls are criu's entries of them, with the state
 * om_ckpt_anon.c recorded in the frozen target.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/kdev_t.h>
#include <linux/major.h>
#include <linux/pid.h>
#include <linux/pipe_fs_i.h>
#include <linux/highmem.h>

#include "om_ckpt.h"

static struct om_ckpt_fent *om_ftab_new(struct om_ckpt_ftab *t)
{
	struct om_ckpt_fent *e;

	if (t->n == t->cap) {
		unsigned int cap = t->cap ? t->cap * 2 : 32;

		e = kvcalloc(cap, sizeof(*e), GFP_KERNEL);
		if (!e)
			return NULL;
		if (t->n)
			memcpy(e, t->ent, t->n * sizeof(*e));
		kvfree(t->ent);
		t->ent = e;
		t->cap = cap;
	}
	e = &t->ent[t->n++];
	memset(e, 0, sizeof(*e));
	e->id = ++t->next_id;
	return e;
}

/* exe, cwd, root, mapped files: one REG entry per inode. */
int om_ckpt_ftab_add_path(struct om_ckpt *c, const struct path *p, u32 *id)
{
	struct om_ckpt_ftab *t = &c->ftab;
	struct om_ckpt_fent *e;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		e = &t->ent[i];
		if (!e->file && e->path.mnt == p->mnt &&
		    d_inode(e->path.dentry) == d_inode(p->dentry)) {
			*id = e->id;
			return 0;
		}
	}
	e = om_ftab_new(t);
	if (!e)
		return -ENOMEM;
	e->path = *p;
	path_get(&e->path);
	e->type = OM_CRIU_FD_REG;
	*id = e->id;
	return 0;
}

static bool om_file_is_tty(struct file *f)
{
	struct inode *inode = file_inode(f);

	return S_ISCHR(inode->i_mode) && imajor(inode) != MEM_MAJOR;
}

/* The first fd of an open file description of the table, for reasons. */
static unsigned int om_fent_fd(struct om_ckpt *c, const struct om_ckpt_fent *e)
{
	struct om_ckpt_state *st = &c->fz->st;
	unsigned int k;

	for (k = 0; k < st->n_fds; k++)
		if (st->fds[k].file == e->file)
			return st->fds[k].fd;
	return 0;
}

/* Copies what is in the pipe, leaving it there; under the pipe's lock. */
static int om_pipe_peek(struct om_ckpt *c, struct pipe_inode_info *pipe,
			struct om_ckpt_fent *e)
{
	unsigned int t, head = pipe->head, tail = pipe->tail, mask = pipe->ring_size - 1;
	size_t total = 0, off = 0;
	int err;

	for (t = tail; t != head; t++) {
		const struct pipe_buffer *b = &pipe->bufs[t & mask];

		if (b->offset + b->len > PAGE_SIZE) {
			om_reason(c->out.reason, "a pipe buffer spans pages");
			return -EOPNOTSUPP;
		}
		/* written back, the data would lose its packet boundaries */
		if (b->flags & PIPE_BUF_FLAG_PACKET) {
			om_reason(c->out.reason, "fd %u: its %s holds packet-mode (O_DIRECT) writes (not supported yet)",
				  om_fent_fd(c, e), e->type == OM_CRIU_FD_FIFO ? "FIFO" : "pipe");
			return -EOPNOTSUPP;
		}
		total += b->len;
	}
	e->pipe_size = pipe->max_usage * PAGE_SIZE;
	if (total > OM_CRIU_MAX_PIPE_DATA) {
		om_reason(c->out.reason, "fd %u: its %s holds more than %u MiB",
			  om_fent_fd(c, e), e->type == OM_CRIU_FD_FIFO ? "FIFO" : "pipe",
			  OM_CRIU_MAX_PIPE_DATA >> 20);
		return -E2BIG;
	}
	if (!total)
		return 0;
	e->pipe_buf = kvmalloc(total, GFP_KERNEL);
	if (!e->pipe_buf)
		return -ENOMEM;
	for (t = tail; t != head; t++) {
		struct pipe_buffer *b = &pipe->bufs[t & mask];
		void *p;

		/* a spliced page cache page may still be read in */
		err = pipe_buf_confirm(pipe, b);
		if (err) {
			om_reason(c->out.reason, "cannot read a pipe's contents: %d", err);
			return err;
		}
		p = kmap_local_page(b->page);
		memcpy(e->pipe_buf + off, p + b->offset, b->len);
		kunmap_local(p);
		off += b->len;
	}
	e->pipe_bytes = total;
	return 0;
}

/*
 * The pipe or named FIFO of entry @i, looked at once with all its entries
 * (open file descriptions of that type on that inode).  If every reader
 * and writer is a description of ours that no other process holds, it is
 * the process's own: its contents and size go into the image
 * (pipes-data.img, fifo-data.img) and the restore makes it as it was.
 *
 * Otherwise a pipe's other end lives on outside and the restore connects
 * the process to whatever pipe omctl is given (as before); a pipe the
 * process holds both ends of but someone else holds too cannot be
 * either, and is refused.
 *
 * A FIFO held open outside for reading and for writing lives on with its
 * contents, which are not recorded: they stay in the FIFO, where the
 * processes outside may read them meanwhile (as they may read anything
 * the process had not read yet), and the restore reopens it by path.
 * criu would save them from a read end and write them back at restore:
 * a second copy of bytes still in the FIFO.  A FIFO held outside for one
 * direction only is refused (om_cantmove_fifos()).  Checkpointer
 * context, the target parked.
 */
static int om_pipe_classify(struct om_ckpt *c, unsigned int i)
{
	struct om_ckpt_state *st = &c->fz->st;
	struct om_ckpt_ftab *t = &c->ftab;
	struct om_ckpt_fent *e = &t->ent[i];
	struct inode *inode = file_inode(e->file);
	struct pipe_inode_info *pipe = e->file->private_data;
	unsigned int j, k, our_r = 0, our_w = 0, any_r = 0, any_w = 0;
	unsigned int readers, writers;
	bool own;
	int err = 0;

	for (j = i; j < t->n; j++) {
		struct file *f = t->ent[j].file;
		unsigned int refs = 0;

		if (t->ent[j].type != e->type || file_inode(f) != inode)
			continue;
		any_r += !!(f->f_mode & FMODE_READ);
		any_w += !!(f->f_mode & FMODE_WRITE);
		for (k = 0; k < st->n_fds; k++)
			refs += st->fds[k].file == f;
		/* an fd table reference and ours per fd: more is someone else's */
		if (file_count(f) > 2 * refs)
			continue;
		our_r += !!(f->f_mode & FMODE_READ);
		our_w += !!(f->f_mode & FMODE_WRITE);
	}
	pipe_lock(pipe);
	readers = pipe->readers;
	writers = pipe->writers;
	own = readers == our_r && writers == our_w;
	if (own) {
		err = om_pipe_peek(c, pipe, e);
		e->pipe_r = readers;
		e->pipe_w = writers;
		e->pipe_head = pipe->head;
		e->pipe_tail = pipe->tail;
	}
	pipe_unlock(pipe);
	if (err)
		return err;
	if (e->type == OM_CRIU_FD_PIPE && !own && any_r && any_w) {
		om_reason(c->out.reason, "a pipe the process holds both ends of is held by another process too");
		return -EBUSY;
	}
	/* as om_cantmove_fifos(), again: the FIFO may have changed since */
	if (e->type == OM_CRIU_FD_FIFO && !own && (readers > our_r) != (writers > our_w)) {
		om_reason(c->out.reason, "fd %u is a FIFO another process holds open for %s only",
			  om_fent_fd(c, e), readers > our_r ? "reading" : "writing");
		return -EBUSY;
	}
	e->pipe_data = own;
	for (j = i; j < t->n; j++)
		if (t->ent[j].type == e->type && file_inode(t->ent[j].file) == inode)
			t->ent[j].pipe_own = own;
	return 0;
}

/*
 * pipe_id is the inode number, as criu writes it: two FIFOs on different
 * file systems (or with numbers equal in their low 32 bits) would become
 * one at restore.
 */
static int om_fifo_ids_unique(struct om_ckpt *c)
{
	struct om_ckpt_ftab *t = &c->ftab;
	unsigned int i, j;

	for (i = 0; i < t->n; i++) {
		struct inode *a = t->ent[i].type == OM_CRIU_FD_FIFO ?
				  file_inode(t->ent[i].file) : NULL;

		for (j = 0; a && j < i; j++) {
			struct inode *b = file_inode(t->ent[j].file);

			if (t->ent[j].type != OM_CRIU_FD_FIFO || b == a ||
			    (u32)b->i_ino != (u32)a->i_ino)
				continue;
			om_reason(c->out.reason, "fds %u and %u are two FIFOs with the same inode number %u (not supported yet)",
				  om_fent_fd(c, &t->ent[j]), om_fent_fd(c, &t->ent[i]),
				  (u32)a->i_ino);
			return -EBUSY;
		}
	}
	return 0;
}

/* fds, cwd and root; om_dump_mm() then adds exe and mapped files. */
int om_ckpt_files_collect(struct om_ckpt *c)
{
	struct om_ckpt_state *st = &c->fz->st;
	struct om_ckpt_ftab *t = &c->ftab;
	unsigned int i, j;
	int err;

	for (i = 0; i < st->n_fds; i++) {
		struct file *f = st->fds[i].file;
		struct inode *inode = file_inode(f);
		struct om_ckpt_fent *e = NULL;

		for (j = 0; j < t->n; j++)
			if (t->ent[j].file == f)
				e = &t->ent[j];
		if (e)
			continue;
		e = om_ftab_new(t);
		if (!e)
			return -ENOMEM;
		e->file = f;
		e->path = f->f_path;
		path_get(&e->path);
		e->flags = f->f_flags & ~O_CLOEXEC;
		e->pos = f->f_pos;
		if (f->f_mode & FMODE_PATH) {
			/* O_PATH: only a path (om_cantmove_file() refused the rest) */
			e->type = OM_CRIU_FD_REG;
		} else if (om_anon_type(f)) {
			e->type = om_anon_type(f);
		} else if (S_ISFIFO(inode->i_mode) &&
		    (f->f_path.mnt->mnt_flags & MNT_INTERNAL)) {
			e->type = OM_CRIU_FD_PIPE;
		} else if (S_ISFIFO(inode->i_mode)) {
			e->type = OM_CRIU_FD_FIFO;
		} else if (om_file_is_tty(f)) {
			struct tty_struct *tty =
				((struct tty_file_private *)f->private_data)->tty;

			e->type = OM_CRIU_FD_TTY;
			e->tty_info_id = tty->index * 2;
			if (tty->driver->type != TTY_DRIVER_TYPE_PTY)
				e->tty_info_id |= (imajor(inode) << 12);
			t->has_tty = true;
		} else {
			e->type = OM_CRIU_FD_REG;
		}
	}
	for (i = 0; i < t->n; i++) {
		u32 type = t->ent[i].type;
		bool first = true;

		if (type != OM_CRIU_FD_PIPE && type != OM_CRIU_FD_FIFO)
			continue;
		for (j = 0; j < i && first; j++)
			first = t->ent[j].type != type ||
				file_inode(t->ent[j].file) != file_inode(t->ent[i].file);
		if (!first)
			continue;
		err = om_pipe_classify(c, i);
		if (err)
			return err;
	}
	err = om_fifo_ids_unique(c);
	if (!err)
		err = om_ckpt_ftab_add_path(c, &st->cwd, &t->cwd_id);
	if (!err)
		err = om_ckpt_ftab_add_path(c, &st->root, &t->root_id);
	return err;
}

static u32 om_fent_fd_type(const struct om_ckpt_fent *e)
{
	return e->type;
}

static int om_write_reg(struct om_img *img, struct om_ckpt_fent *e, u32 id,
			u32 flags, u64 pos, char *pbuf)
{
	struct inode *inode = d_inode(e->path.dentry);
	struct om_criu_fown_entry fown = {};
	struct om_criu_reg_file_entry reg = {
		.id = id, .flags = flags, .pos = pos, .fown = &fown,
		.has_mode = true, .mode = inode->i_mode,
	};
	struct om_criu_file_entry fe = {
		.type = OM_CRIU_FD_REG, .id = id, .reg = &reg,
	};
	char *name = d_path(&e->path, pbuf, PATH_MAX);

	if (IS_ERR(name))
		return PTR_ERR(name);
	reg.name = name;
	if (S_ISREG(inode->i_mode) &&
	    (flags & (O_ACCMODE | O_APPEND)) != (O_WRONLY | O_APPEND)) {
		reg.has_size = true;
		reg.size = i_size_read(inode);
	}
	return om_criu_write_entry(&img->sink, &om_criu_file_entry_desc, &fe);
}

static int om_write_tty_info(struct om_ckpt *c, struct om_ckpt_fent *e)
{
	struct tty_struct *tty =
		((struct tty_file_private *)e->file->private_data)->tty;
	struct inode *inode = file_inode(e->file);
	struct om_criu_termios_entry tio = {}, tlk = {};
	struct om_criu_winsize_entry ws = {};
	struct om_criu_tty_pty_entry pty = { .index = tty->index };
	struct om_criu_tty_info_entry ti = {
		.id = e->tty_info_id, .rdev = new_encode_dev(inode->i_rdev),
		.has_uid = true, .uid = from_kuid_munged(current_user_ns(), inode->i_uid),
		.has_gid = true, .gid = from_kgid_munged(current_user_ns(), inode->i_gid),
		.has_dev = true, .dev = new_encode_dev(inode->i_sb->s_dev),
		.termios = &tio, .termios_locked = &tlk, .winsize = &ws,
	};
	u32 cc[NCCS], cclk[NCCS];
	unsigned long flags;
	struct om_img img;
	int i, err;

	if (tty->driver->type == TTY_DRIVER_TYPE_PTY) {
		ti.type = OM_CRIU_TTY_PTY;
		ti.pty = &pty;
	} else if (imajor(inode) == TTYAUX_MAJOR) {
		ti.type = OM_CRIU_TTY_CONSOLE;
	} else {
		ti.type = OM_CRIU_TTY_VT;
	}
	down_read(&tty->termios_rwsem);
	tio.c_iflag = tty->termios.c_iflag;
	tio.c_oflag = tty->termios.c_oflag;
	tio.c_cflag = tty->termios.c_cflag;
	tio.c_lflag = tty->termios.c_lflag;
	tio.c_line = tty->termios.c_line;
	tlk.c_iflag = tty->termios_locked.c_iflag;
	tlk.c_oflag = tty->termios_locked.c_oflag;
	tlk.c_cflag = tty->termios_locked.c_cflag;
	tlk.c_lflag = tty->termios_locked.c_lflag;
	tlk.c_line = tty->termios_locked.c_line;
	for (i = 0; i < NCCS; i++) {
		cc[i] = tty->termios.c_cc[i];
		cclk[i] = tty->termios_locked.c_cc[i];
	}
	up_read(&tty->termios_rwsem);
	tio.c_cc = cc;
	tio.n_c_cc = NCCS;
	tlk.c_cc = cclk;
	tlk.n_c_cc = NCCS;
	ws.ws_row = tty->winsize.ws_row;
	ws.ws_col = tty->winsize.ws_col;
	ws.ws_xpixel = tty->winsize.ws_xpixel;
	ws.ws_ypixel = tty->winsize.ws_ypixel;
	ti.exclusive = test_bit(TTY_EXCLUSIVE, &tty->flags);
	spin_lock_irqsave(&tty->ctrl.lock, flags);
	ti.sid = tty->ctrl.session ? pid_vnr(tty->ctrl.session) : 0;
	ti.pgrp = tty->ctrl.pgrp ? pid_vnr(tty->ctrl.pgrp) : 0;
	spin_unlock_irqrestore(&tty->ctrl.lock, flags);

	err = om_img_open(&c->out, &img, "tty-info.img");
	if (err)
		return err;
	err = om_criu_write_header(&img.sink, OM_CRIU_IMG_TTY_INFO);
	if (!err)
		err = om_criu_write_entry(&img.sink, &om_criu_tty_info_entry_desc, &ti);
	return om_img_close(&img, err);
}

static int om_write_files_img(struct om_ckpt *c, char *pbuf)
{
	struct om_ckpt_ftab *t = &c->ftab;
	struct om_criu_fown_entry fown = {};
	struct om_img img;
	unsigned int i;
	int err;

	err = om_img_open(&c->out, &img, "files.img");
	if (err)
		return err;
	err = om_criu_write_header(&img.sink, OM_CRIU_IMG_FILES);
	for (i = 0; !err && i < t->n; i++) {
		struct om_ckpt_fent *e = &t->ent[i];

		switch (e->type) {
		case OM_CRIU_FD_PIPE: {
			struct om_criu_pipe_entry pe = {
				.id = e->id,
				.pipe_id = file_inode(e->file)->i_ino,
				.flags = e->flags, .fown = &fown,
			};
			struct om_criu_file_entry fe = {
				.type = OM_CRIU_FD_PIPE, .id = e->id, .pipe = &pe,
			};

			err = om_criu_write_entry(&img.sink,
						  &om_criu_file_entry_desc, &fe);
			break;
		}
		case OM_CRIU_FD_FIFO: {
			/* criu's way: the path and flags as a REG entry, then the FIFO */
			u32 regf = ++t->next_id;
			struct om_criu_fifo_entry ff = {
				.id = e->id,
				.pipe_id = file_inode(e->file)->i_ino,
				.has_regf_id = true, .regf_id = regf,
			};
			struct om_criu_file_entry fe = {
				.type = OM_CRIU_FD_FIFO, .id = e->id, .fifo = &ff,
			};

			err = om_write_reg(&img, e, regf, e->flags, 0, pbuf);
			if (!err)
				err = om_criu_write_entry(&img.sink,
							  &om_criu_file_entry_desc,
							  &fe);
			break;
		}
		case OM_CRIU_FD_TTY: {
			/* the device path as a REG entry, then the TTY one */
			u32 regf = ++t->next_id;
			struct om_criu_tty_file_entry te = {
				.id = e->id, .tty_info_id = e->tty_info_id,
				.flags = e->flags, .fown = &fown,
				.has_regf_id = true, .regf_id = regf,
			};
			struct om_criu_file_entry fe = {
				.type = OM_CRIU_FD_TTY, .id = e->id, .tty = &te,
			};

			err = om_write_reg(&img, e, regf, e->flags, 0, pbuf);
			if (!err)
				err = om_criu_write_entry(&img.sink,
							  &om_criu_file_entry_desc,
							  &fe);
			break;
		}
		case OM_CRIU_FD_EVENTFD:
		case OM_CRIU_FD_SIGNALFD:
		case OM_CRIU_FD_TIMERFD:
		case OM_CRIU_FD_EVENTPOLL: {
			const struct om_ckpt_anon *a = om_ckpt_anon_of(&c->fz->st, e->file);

			/* om_ckpt_anon_capture() recorded every one */
			err = a ? om_ckpt_anon_write(&img.sink, a, e->id, e->flags) : -EINVAL;
			break;
		}
		default:
			err = om_write_reg(&img, e, e->id, e->flags, e->pos, pbuf);
			break;
		}
	}
	return om_img_close(&img, err);
}

/*
 * pipes-data.img or fifo-data.img: one entry per pipe or FIFO of the
 * process's own, followed by its contents, as criu writes it
 */
static int om_write_pipes_data(struct om_ckpt *c, u32 type)
{
	struct om_ckpt_ftab *t = &c->ftab;
	bool fifo = type == OM_CRIU_FD_FIFO;
	struct om_img img;
	unsigned int i;
	int err;

	for (i = 0; i < t->n && !(t->ent[i].pipe_data && t->ent[i].type == type); i++)
		;
	if (i == t->n)
		return 0;
	err = om_img_open(&c->out, &img, fifo ? "fifo-data.img" : "pipes-data.img");
	if (err)
		return err;
	err = om_criu_write_header(&img.sink, fifo ? OM_CRIU_IMG_FIFO_DATA : OM_CRIU_IMG_PIPES_DATA);
	for (i = 0; !err && i < t->n; i++) {
		struct om_ckpt_fent *e = &t->ent[i];
		struct om_criu_pipe_data_entry pd = {
			.bytes = e->pipe_bytes, .has_size = true, .size = e->pipe_size,
		};

		/* before file_inode(): cwd, root and mapped files have no file */
		if (!e->pipe_data || e->type != type)
			continue;
		pd.pipe_id = file_inode(e->file)->i_ino;
		err = om_criu_write_entry(&img.sink, &om_criu_pipe_data_entry_desc, &pd);
		if (!err && e->pipe_bytes)
			err = om_img_raw(&img, e->pipe_buf, e->pipe_bytes);
	}
	return om_img_close(&img, err);
}

/*
 * The FIFOs of the process's own are as they were recorded: still nobody
 * else's, their contents neither read nor added to.  A FIFO is there for
 * anyone to open (unlike a pipe); one opened and used meanwhile would
 * come back with contents it no longer has, or without what was written
 * since.  Before the last images: a failure leaves no inventory.img.
 */
int om_ckpt_files_recheck(struct om_ckpt *c)
{
	struct om_ckpt_ftab *t = &c->ftab;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		struct om_ckpt_fent *e = &t->ent[i];
		struct pipe_inode_info *pipe;
		bool same;

		if (!e->pipe_data || e->type != OM_CRIU_FD_FIFO)
			continue;
		pipe = e->file->private_data;
		pipe_lock(pipe);
		same = pipe->readers == e->pipe_r && pipe->writers == e->pipe_w &&
		       pipe->head == e->pipe_head && pipe->tail == e->pipe_tail;
		pipe_unlock(pipe);
		if (!same) {
			om_reason(c->out.reason, "fd %u is a FIFO another process opened during the checkpoint",
				  om_fent_fd(c, e));
			return -EBUSY;
		}
	}
	return 0;
}

static int om_write_fdinfo(struct om_ckpt *c)
{
	struct om_ckpt_state *st = &c->fz->st;
	struct om_ckpt_ftab *t = &c->ftab;
	struct om_img img;
	unsigned int i, j;
	int err;

	err = om_img_open(&c->out, &img, "fdinfo-%d.img", OM_CKPT_KOBJ_ID);
	if (err)
		return err;
	err = om_criu_write_header(&img.sink, OM_CRIU_IMG_FDINFO);
	for (i = 0; !err && i < st->n_fds; i++) {
		struct om_criu_fdinfo_entry fd = {
			.fd = st->fds[i].fd,
			.flags = st->fds[i].cloexec ? FD_CLOEXEC : 0,
		};

		for (j = 0; j < t->n; j++) {
			if (t->ent[j].file == st->fds[i].file) {
				fd.id = t->ent[j].id;
				fd.type = om_fent_fd_type(&t->ent[j]);
				break;
			}
		}
		err = om_criu_write_entry(&img.sink, &om_criu_fdinfo_entry_desc, &fd);
	}
	return om_img_close(&img, err);
}

int om_ckpt_files_write(struct om_ckpt *c)
{
	struct om_ckpt_ftab *t = &c->ftab;
	struct om_criu_fs_entry fs = {
		.cwd_id = t->cwd_id, .root_id = t->root_id,
		.has_umask = true, .umask = c->fz->st.umask,
	};
	char name[32], *pbuf;
	unsigned int i;
	int err;

	pbuf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!pbuf)
		return -ENOMEM;
	err = om_write_files_img(c, pbuf);
	kfree(pbuf);
	if (!err)
		err = om_write_pipes_data(c, OM_CRIU_FD_PIPE);
	if (!err)
		err = om_write_pipes_data(c, OM_CRIU_FD_FIFO);
	if (!err)
		err = om_write_fdinfo(c);
	if (!err) {
		snprintf(name, sizeof(name), "fs-%d.img", c->pid);
		err = om_img_single(&c->out, OM_CRIU_IMG_FS, name, &fs);
	}
	if (err || !t->has_tty)
		return err;
	/* one tty-info entry per tty; ttys beyond the first share it */
	for (i = 0; i < t->n; i++)
		if (t->ent[i].type == OM_CRIU_FD_TTY)
			return om_write_tty_info(c, &t->ent[i]);
	return 0;
}

void om_ckpt_ftab_free(struct om_ckpt_ftab *t)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		path_put(&t->ent[i].path);
		kvfree(t->ent[i].pipe_buf);
	}
	kvfree(t->ent);
	memset(t, 0, sizeof(*t));
}
