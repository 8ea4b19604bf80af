// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Files: the file table behind files.img (one file_entry per open file
 * description, plus exe, cwd, root and mapped files deduplicated by
 * inode), fdinfo-2.img (one entry per fd), fs-PID.img, tty-info.img.
 * Regular files, directories and memory devices (/dev/null ...) are REG
 * entries by path, flags and offset; pipes are PIPE entries (contents are
 * not recorded yet); ttys are TTY entries with their tty-info; named
 * FIFOs are REG entries by path (CRIU would write a fifo entry).
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

/* fds, cwd and root; after om_dump_mm() registered exe and mappings. */
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
		if (S_ISFIFO(inode->i_mode) &&
		    (f->f_path.mnt->mnt_flags & MNT_INTERNAL)) {
			e->type = OM_CRIU_FD_PIPE;
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
		default:
			err = om_write_reg(&img, e, e->id, e->flags, e->pos, pbuf);
			break;
		}
	}
	return om_img_close(&img, err);
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

	for (i = 0; i < t->n; i++)
		path_put(&t->ent[i].path);
	kvfree(t->ent);
	memset(t, 0, sizeof(*t));
}
