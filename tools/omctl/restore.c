// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl restore DIR [--wait]: a forked child becomes the process in the
 * CRIU image directory DIR, with the image's pid when that pid is free and
 * we may choose it (clone3 set_tid, CAP_CHECKPOINT_RESTORE), else a new
 * one.  The child sets up what userspace can (file descriptors with
 * their status flags, pipes of its own with their contents, cwd and root,
 * umask, rlimits, ITIMER_REAL, POSIX timers with their ids (disarmed: the
 * kernel arms them last, with ITIMER_VIRTUAL and ITIMER_PROF), signal
 * handlers and pending signals, credentials, comm, personality,
 * [vvar]/[vdso] at the image's addresses, named FIFOs reopened and
 * refilled, eventfds, signalfds, timerfds and epolls made anew, deleted
 * files made again as unnamed files, the controlling terminal taken from
 * omctl), then
 * OM_IOC_RESTORE replaces its memory and registers (see
 * kmod/uapi/openmosix.h).  The kernel reports success or failure through
 * a socket, since a successful call never returns to this code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <pwd.h>
#include <linux/capability.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <time.h>

#include "omctl.h"
#include "om_criu.h"

#ifndef TFD_IOC_SET_TICKS	/* <linux/timerfd.h>, which clashes with glibc's */
#define TFD_IOC_SET_TICKS	_IOW('T', 0, uint64_t)
#endif

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

#define RST_MAX_IMG	(64u << 20)
#define RST_MAX_FD	(1 << 20)
#define RST_MAX_FDS	4096

/* A pipe of pipes-data.img: recreated with its contents (criu's way). */
struct rst_pipe {
	uint32_t pipe_id, size, bytes;
	const uint8_t *data;		/* in rst_img.pd_buf */
	int rfd, wfd;			/* once made; high temporaries */
	bool used_r, used_w;		/* the ends given to a description */
};

/*
 * A named FIFO of files.img (one pipe_id): its open file descriptions are
 * opened together, while an anchor holds it open for both directions.
 */
struct rst_fifo {
	uint32_t pipe_id;
	const struct rst_pipe *pd;	/* its fifo-data.img entry, or NULL */
	int anchor;			/* O_RDWR while its fds are opened, or -1 */
	bool open;			/* its first description is being opened */
	dev_t dev;
	ino_t ino;
};

/*
 * A deleted file of the image (criu's ghost file): ghost-file-<id>.img,
 * which remap-fpath.img names for REG entries.  Made again, once, as an
 * unnamed file (O_TMPFILE) in its former directory, as the image's user;
 * every description of it is an open of that one.
 */
struct rst_ghost {
	uint32_t id;
	uint8_t *buf;			/* the image */
	size_t len, data_off;		/* where the contents start in it */
	struct om_criu_ghost_file_entry gfe;
	uint64_t size;
	int anchor;			/* the new file, or -1 */
	/*
	 * A REG entry of it opened O_TMPFILE (its F_GETFL shows that): the
	 * anchor, made with its access mode, is that description
	 */
	uint32_t tmpfile_id;
	int tmpfile_acc;
	bool anchor_used;
};

struct rst_remap {
	uint32_t orig_id;		/* a REG entry */
	struct rst_ghost *g;
};

struct rst_img {
	struct om_criu_core_entry core;
	struct om_criu_mm_entry mm;
	struct om_criu_fs_entry fs;
	struct om_criu_task_kobj_ids_entry ids;
	struct om_criu_file_entry *files;
	unsigned int n_files;
	struct om_criu_fdinfo_entry *fdi;
	unsigned int n_fdi;
	struct rst_pipe *pipes;
	unsigned int n_pipes;
	uint8_t *pd_buf;
	struct rst_pipe *fifo_data;	/* fifo-data.img entries */
	unsigned int n_fifo_data;
	uint8_t *fd_buf;
	struct rst_fifo *fifos;
	unsigned int n_fifos;
	uint32_t pid;
	/* deleted files (remap-fpath.img, ghost-file-N.img) */
	struct rst_remap *remaps;
	unsigned int n_remaps;
	struct rst_ghost *ghosts;
	unsigned int n_ghosts;
	size_t ghost_bytes;
	/*
	 * terminals: tty-info.img; the process's session (pstree); the
	 * descriptions of its controlling terminal taken from omctl's
	 * (rst_ctty_prepare(), before the image's ids), one per TTY file id
	 */
	struct om_criu_tty_info_entry *ttyi;
	unsigned int n_ttyi;
	uint32_t sid;
	uint32_t *ctty_ids;
	int *ctty_fds;
	unsigned int n_ctty;
	/* timens-0.img: the process's own clocks when it was imaged */
	bool has_tns;
	struct timespec tns_mono, tns_boot;
};

/* Who owns the image directory and files omctl read (for root's check). */
struct rst_owners {
	uid_t other;		/* a non-root owner, or (uid_t)-1 */
	bool mixed;		/* several non-root owners */
	char writable[80];	/* a dir or file group or others may write */
};

static struct rst_owners rst_own = { .other = (uid_t)-1 };

static void rst_note_owner(const struct stat *st, const char *name)
{
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !rst_own.writable[0])
		snprintf(rst_own.writable, sizeof(rst_own.writable), "%s", name);
	if (st->st_uid == 0)
		return;
	if (rst_own.other == (uid_t)-1)
		rst_own.other = st->st_uid;
	else if (rst_own.other != st->st_uid)
		rst_own.mixed = true;
}

static char rst_err[OM_RST_REASON_LEN];

static void rst_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void rst_fail(const char *fmt, ...)
{
	va_list ap;

	if (rst_err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(rst_err, sizeof(rst_err), fmt, ap);
	va_end(ap);
}

static int rst_usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl restore DIR [ --wait ] [ --trust-image ]\n"
		"\n"
		"Restore the process whose CRIU image files are in DIR (written by\n"
		"omctl checkpoint or criu dump) as a new child process and print its\n"
		"pid; with --wait, wait for it and exit with its exit status.\n"
		"The process runs as the user the image names.  Root restores an\n"
		"image only if root or that user owns DIR and its files and nobody\n"
		"else may write them; --trust-image (DANGEROUS: whoever could write\n"
		"the image chooses the identity) turns that check off.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

/* Reads a whole image file; NULL with rst_err set on error. */
static uint8_t *rst_slurp(int dfd, const char *name, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	/* the type first, and never blocking: a FIFO must not hang us */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		rst_fail("%s is not a regular file", name);
		return NULL;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		rst_fail("cannot open %s: %s", name, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > RST_MAX_IMG) {
		rst_fail("%s: not a regular file of at most %u MB", name, RST_MAX_IMG >> 20);
		close(fd);
		return NULL;
	}
	rst_note_owner(&st, name);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		rst_fail("out of memory");
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0) {
			rst_fail("%s: read error", name);
			free(buf);
			close(fd);
			return NULL;
		}
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

/* Decodes up to max entries of an image into arr (d->size each). */
static int rst_load(int dfd, const char *name, enum om_criu_img img,
		    const struct om_pb_msg_desc *d, void **arr, unsigned int *n,
		    unsigned int min, unsigned int max)
{
	size_t len = 0, off;
	uint8_t *buf;
	int ret;

	*n = 0;
	*arr = NULL;
	buf = rst_slurp(dfd, name, &len);
	if (!buf)
		return -1;
	ret = om_criu_check_header(buf, len, img);
	if (ret < 0)
		goto bad;
	off = ret;
	for (;;) {
		void *na;

		if (*n == max) {
			if (off != len) {
				ret = -E2BIG;
				goto bad;
			}
			break;
		}
		na = realloc(*arr, (size_t)(*n + 1) * d->size);
		if (!na) {
			ret = -ENOMEM;
			goto bad;
		}
		*arr = na;
		memset((uint8_t *)na + (size_t)*n * d->size, 0, d->size);
		ret = om_criu_read_entry(buf, len, &off, d, (uint8_t *)na + (size_t)*n * d->size);
		if (ret < 0)
			goto bad;
		if (ret == 0)
			break;
		(*n)++;
	}
	free(buf);
	if (*n < min) {
		rst_fail("%s: expected %u entries, found %u", name, min, *n);
		return -1;
	}
	return 0;
bad:
	free(buf);
	rst_fail("%s: bad image (%s)", name, strerror(-ret));
	return -1;
}

static int rst_load_one(int dfd, const char *name, enum om_criu_img img,
			const struct om_pb_msg_desc *d, void *msg)
{
	void *arr;
	unsigned int n;

	if (rst_load(dfd, name, img, d, &arr, &n, 1, 1))
		return -1;
	memcpy(msg, arr, d->size);
	free(arr);
	return 0;
}

static const struct om_criu_file_entry *rst_file(const struct rst_img *im, uint32_t id);
static const struct om_criu_file_entry *rst_file_t(const struct rst_img *im, uint32_t id,
						   uint32_t type);

/* Every fd once, naming a file of its own type. */
static int rst_check_fdinfo(const struct rst_img *im, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < im->n_fdi; i++) {
		const struct om_criu_fdinfo_entry *fi = &im->fdi[i];
		const struct om_criu_file_entry *f = rst_file_t(im, fi->id, fi->type);

		if (!f) {
			f = rst_file(im, fi->id);
			rst_fail("%s: fd %u names file %u, %s", name, fi->fd, fi->id,
				 f ? "of another type" : "not in files.img");
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (im->fdi[j].fd == fi->fd) {
				rst_fail("%s: fd %u appears twice", name, fi->fd);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * pipes-data.img or fifo-data.img, if there is one: an entry per pipe or
 * FIFO, each followed by its contents (om_criu_next_pipe_data() checks
 * them against the file and the pipe's size).  Into *arr, the contents
 * left in *buf.
 */
static int rst_read_pdata(int dfd, const char *name, enum om_criu_img img, uint8_t **buf,
			  struct rst_pipe **arr, unsigned int *n)
{
	size_t len = 0, off;
	unsigned int i;
	int ret;

	if (faccessat(dfd, name, F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
		return 0;
	*buf = rst_slurp(dfd, name, &len);
	if (!*buf)
		return -1;
	ret = om_criu_check_header(*buf, len, img);
	if (ret < 0)
		goto bad;
	off = ret;
	for (;;) {
		struct om_criu_pipe_data_entry e;
		const uint8_t *data;
		struct rst_pipe *np;

		ret = om_criu_next_pipe_data(*buf, len, &off, &e, &data);
		if (ret <= 0)
			break;
		ret = -E2BIG;
		if (*n == RST_MAX_FDS)
			goto bad;
		ret = -EINVAL;
		for (i = 0; i < *n; i++)
			if ((*arr)[i].pipe_id == e.pipe_id)
				goto bad;
		np = realloc(*arr, (*n + 1) * sizeof(*np));
		ret = -ENOMEM;
		if (!np)
			goto bad;
		*arr = np;
		np[(*n)++] = (struct rst_pipe){
			.pipe_id = e.pipe_id, .size = e.has_size ? e.size : 0,
			.bytes = e.bytes, .data = data, .rfd = -1, .wfd = -1,
		};
	}
	if (ret == 0)
		return 0;
bad:
	rst_fail("%s: bad image (%s)", name, strerror(-ret));
	return -1;
}

/*
 * The kernel's O_LARGEFILE, which it sets on every open of a 64-bit
 * process: glibc's O_LARGEFILE is 0 there
 */
#define RST_KERNEL_O_LARGEFILE	0100000

/* The flags a FIFO's REG entry may have: what open() and F_SETFL take. */
#define RST_FIFO_FLAGS	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | \
			 O_SYNC | O_DSYNC | RST_KERNEL_O_LARGEFILE | O_CLOEXEC | O_NOFOLLOW)

/* The REG entry with a FIFO entry's path and flags (criu: regf_id, else its id). */
static const struct om_criu_reg_file_entry *rst_fifo_reg(const struct rst_img *im,
							 const struct om_criu_file_entry *f)
{
	const struct om_criu_file_entry *r;

	r = rst_file_t(im, f->fifo->has_regf_id ? f->fifo->regf_id : f->id, OM_CRIU_FD_REG);
	return r && r->reg && r->reg->name ? r->reg : NULL;
}

/*
 * files.img's FIFO entries, checked (criu: a FIFO entry, its id the
 * file's, naming a REG entry with the path; a FIFO opened for reading,
 * writing or both), and grouped by FIFO (pipe_id), each with its
 * fifo-data.img entry if there is one.
 */
static int rst_read_fifos(int dfd, struct rst_img *im)
{
	unsigned int i, k;

	if (rst_read_pdata(dfd, "fifo-data.img", OM_CRIU_IMG_FIFO_DATA, &im->fd_buf,
			   &im->fifo_data, &im->n_fifo_data))
		return -1;
	for (i = 0; i < im->n_files; i++) {
		const struct om_criu_file_entry *f = &im->files[i];
		const struct om_criu_reg_file_entry *reg;
		struct rst_fifo *nf;

		if (f->type != OM_CRIU_FD_FIFO)
			continue;
		if (!f->fifo || f->fifo->id != f->id) {
			rst_fail("files.img: FIFO %u has no FIFO entry of its id", f->id);
			return -1;
		}
		reg = rst_fifo_reg(im, f);
		if (!reg) {
			rst_fail("files.img: FIFO %u names no file with its path", f->id);
			return -1;
		}
		if ((reg->flags & O_ACCMODE) == O_ACCMODE || (reg->flags & ~RST_FIFO_FLAGS)) {
			rst_fail("files.img: FIFO %u has flags %#o", f->id, reg->flags);
			return -1;
		}
		for (k = 0; k < im->n_fifos; k++)
			if (im->fifos[k].pipe_id == f->fifo->pipe_id)
				break;
		if (k < im->n_fifos)
			continue;
		nf = realloc(im->fifos, (im->n_fifos + 1) * sizeof(*nf));
		if (!nf) {
			rst_fail("out of memory");
			return -1;
		}
		im->fifos = nf;
		nf[im->n_fifos++] = (struct rst_fifo){ .pipe_id = f->fifo->pipe_id, .anchor = -1 };
		for (k = 0; k < im->n_fifo_data; k++)
			if (im->fifo_data[k].pipe_id == f->fifo->pipe_id)
				nf[im->n_fifos - 1].pd = &im->fifo_data[k];
	}
	return 0;
}

/* The first fd of file @id of type @type, or -1. */
static int rst_fd_of(const struct rst_img *im, uint32_t id, uint32_t type)
{
	unsigned int i;

	for (i = 0; i < im->n_fdi; i++)
		if (im->fdi[i].id == id && im->fdi[i].type == type)
			return (int)im->fdi[i].fd;
	return -1;
}

/*
 * eventfd, signalfd, timerfd and epoll entries, checked before anything
 * is made: their own message, of their id, with values a kernel makes
 * (om_criu_check_*()); every fd an epoll watches is an fd of the image,
 * and not the epoll itself.
 */
static int rst_check_anon(const struct rst_img *im)
{
	unsigned int i, j;

	for (i = 0; i < im->n_files; i++) {
		const struct om_criu_file_entry *f = &im->files[i];
		const char *why = NULL, *what;
		int idx = -1, err = 0;
		uint32_t sub;

		switch (f->type) {
		case OM_CRIU_FD_EVENTFD:
			what = "eventfd";
			sub = f->efd ? f->efd->id : ~f->id;
			if (f->efd)
				err = om_criu_check_eventfd(f->efd, &why);
			break;
		case OM_CRIU_FD_SIGNALFD:
			what = "signalfd";
			sub = f->sgfd ? f->sgfd->id : ~f->id;
			if (f->sgfd)
				err = om_criu_check_signalfd(f->sgfd, &why);
			break;
		case OM_CRIU_FD_TIMERFD:
			what = "timerfd";
			sub = f->tfd ? f->tfd->id : ~f->id;
			if (f->tfd)
				err = om_criu_check_timerfd(f->tfd, &why);
			break;
		case OM_CRIU_FD_EVENTPOLL:
			what = "epoll";
			sub = f->epfd ? f->epfd->id : ~f->id;
			if (f->epfd)
				err = om_criu_check_eventpoll(f->epfd, &why, &idx);
			break;
		default:
			continue;
		}
		if (sub != f->id) {
			rst_fail("files.img: %s %u has no %s entry of its id", what, f->id, what);
			return -1;
		}
		if (err && idx >= 0) {
			rst_fail("files.img: epoll %u, its entry for fd %u: %s", f->id,
				 f->epfd->tfd[idx].tfd, why);
			return -1;
		}
		if (err) {
			rst_fail("files.img: %s %u: %s", what, f->id, why);
			return -1;
		}
		if (f->type != OM_CRIU_FD_EVENTPOLL)
			continue;
		for (j = 0; j < f->epfd->n_tfd; j++) {
			uint32_t tfd = f->epfd->tfd[j].tfd;
			unsigned int k;

			for (k = 0; k < im->n_fdi && im->fdi[k].fd != tfd; k++)
				;
			if (k == im->n_fdi) {
				rst_fail("files.img: epoll %u watches fd %u, which the image does not have",
					 f->id, tfd);
				return -1;
			}
			if (im->fdi[k].type == OM_CRIU_FD_EVENTPOLL && im->fdi[k].id == f->id) {
				rst_fail("files.img: epoll %u watches itself (fd %u)", f->id, tfd);
				return -1;
			}
		}
	}
	return 0;
}

/* ---- deleted files: remap-fpath.img and ghost-file-N.img ---- */

/* All ghost images together take at most this much of omctl's memory. */
#define RST_MAX_GHOST_TOTAL	(256u << 20)

static const struct rst_ghost *rst_ghost_of(const struct rst_img *im, uint32_t reg_id)
{
	unsigned int i;

	for (i = 0; i < im->n_remaps; i++)
		if (im->remaps[i].orig_id == reg_id)
			return im->remaps[i].g;
	return NULL;
}

/* ghost-file-<id>.img, read and walked whole: a bad one fails before the fork. */
static int rst_load_ghost(int dfd, struct rst_img *im, uint32_t id, struct rst_ghost *g)
{
	struct om_criu_ghost_walk w;
	const uint8_t *data;
	uint64_t foff, dlen;
	char name[64];
	size_t off;
	int ret;

	snprintf(name, sizeof(name), "ghost-file-%x.img", id);
	memset(g, 0, sizeof(*g));
	g->id = id;
	g->anchor = -1;
	g->buf = rst_slurp(dfd, name, &g->len);
	if (!g->buf)
		return -1;
	im->ghost_bytes += g->len;
	if (im->ghost_bytes > RST_MAX_GHOST_TOTAL) {
		rst_fail("%s: the deleted files take more than %u MB", name, RST_MAX_GHOST_TOTAL >> 20);
		return -1;
	}
	ret = om_criu_ghost_head(g->buf, g->len, &off, &g->gfe, &w);
	if (ret) {
		rst_fail("%s: bad image (%s)", name, strerror(-ret));
		return -1;
	}
	g->size = w.size;
	g->data_off = off;
	while ((ret = om_criu_ghost_next(g->buf, g->len, &off, &w, &foff, &data, &dlen)) == 1)
		;
	if (ret) {
		rst_fail("%s: bad contents (%s)", name, strerror(-ret));
		return -1;
	}
	if (!S_ISREG(g->gfe.mode) || (g->gfe.mode & ~(uint32_t)(S_IFMT | 07777))) {
		rst_fail("%s: a deleted file of mode %#o: only regular files are made again", name,
			 g->gfe.mode);
		return -1;
	}
	return 0;
}

/*
 * remap-fpath.img, if there is one: a REG entry remapped to a ghost
 * (criu: a deleted file), its contents in ghost-file-<remap_id>.img.
 * Link remaps (a deleted file criu linked elsewhere) and dead /proc
 * entries are not restored.  A ghost must agree with its REG entries
 * (mode, size), and may not be the executable, a mapped file, the cwd
 * or the root: those are opened by path.
 */
static int rst_read_ghosts(int dfd, struct rst_img *im)
{
	struct om_criu_remap_file_path_entry *rp;
	unsigned int i, j, n;
	void *arr;

	if (faccessat(dfd, "remap-fpath.img", F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
		return 0;
	if (rst_load(dfd, "remap-fpath.img", OM_CRIU_IMG_REMAP_FPATH,
		     &om_criu_remap_file_path_entry_desc, &arr, &n, 0, RST_MAX_FDS * 2 + 64))
		return -1;
	rp = arr;
	im->remaps = calloc(n + 1, sizeof(*im->remaps));
	im->ghosts = calloc(n + 1, sizeof(*im->ghosts));
	if (!im->remaps || !im->ghosts) {
		rst_fail("out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct om_criu_file_entry *f = rst_file_t(im, rp[i].orig_id, OM_CRIU_FD_REG);
		uint32_t type = rp[i].remap_type, id = rp[i].remap_id;
		struct rst_ghost *g = NULL;

		if (!rp[i].has_remap_type) {	/* criu's older images */
			type = id & OM_CRIU_REMAP_GHOST_BIT ? OM_CRIU_REMAP_GHOST : OM_CRIU_REMAP_LINKED;
			id &= ~OM_CRIU_REMAP_GHOST_BIT;
		}
		if (type != OM_CRIU_REMAP_GHOST) {
			rst_fail("remap-fpath.img: file %u is %s: not supported", rp[i].orig_id,
				 type == OM_CRIU_REMAP_LINKED ? "a deleted file criu linked elsewhere" :
				 type == OM_CRIU_REMAP_PROCFS ? "in /proc of a dead process" :
				 "remapped in an unknown way");
			return -1;
		}
		if (!f || !f->reg || !f->reg->name || f->reg->name[0] != '/') {
			rst_fail("remap-fpath.img: file %u is not a file by path in files.img",
				 rp[i].orig_id);
			return -1;
		}
		if (rst_ghost_of(im, rp[i].orig_id)) {
			rst_fail("remap-fpath.img: file %u is remapped twice", rp[i].orig_id);
			return -1;
		}
		for (j = 0; j < im->n_ghosts && !g; j++)
			if (im->ghosts[j].id == id)
				g = &im->ghosts[j];
		if (!g) {
			g = &im->ghosts[im->n_ghosts++];
			if (rst_load_ghost(dfd, im, id, g))
				return -1;
		}
		if ((f->reg->has_mode && f->reg->mode != g->gfe.mode) ||
		    (f->reg->has_size && f->reg->size != g->size)) {
			rst_fail("files.img: file %u (%.80s) has mode %#o and size %llu, its deleted file %#o and %llu",
				 f->id, f->reg->name, f->reg->mode,
				 (unsigned long long)f->reg->size, g->gfe.mode,
				 (unsigned long long)g->size);
			return -1;
		}
		im->remaps[im->n_remaps++] = (struct rst_remap){ .orig_id = rp[i].orig_id, .g = g };
		if (!g->tmpfile_id && (f->reg->flags & O_TMPFILE) == O_TMPFILE &&
		    (f->reg->flags & O_ACCMODE) != O_RDONLY) {
			g->tmpfile_id = f->id;
			g->tmpfile_acc = (int)f->reg->flags & O_ACCMODE;
		}
	}
	free(rp);
	/* what is opened by path (the kernel, rst_task()) cannot be a deleted file */
	for (i = 0; i < im->mm.n_vmas + 3; i++) {
		uint32_t id = i == 0 ? im->mm.exe_file_id : i == 1 ? im->fs.cwd_id :
			      i == 2 ? im->fs.root_id :
			      (im->mm.vmas[i - 3].status & (OM_CRIU_VMA_FILE_PRIVATE |
							    OM_CRIU_VMA_FILE_SHARED)) ?
			      (uint32_t)im->mm.vmas[i - 3].shmid : 0;

		if (id && rst_ghost_of(im, id)) {
			rst_fail("files.img: file %u is a deleted file the process %s: not supported", id,
				 i == 0 ? "runs" : i < 3 ? "has as its cwd or root" : "maps");
			return -1;
		}
	}
	return 0;
}

/* ---- terminals: tty-info.img ---- */

static const struct om_criu_tty_info_entry *rst_ttyi(const struct rst_img *im, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < im->n_ttyi; i++)
		if (im->ttyi[i].id == id)
			return &im->ttyi[i];
	return NULL;
}

/*
 * Was this TTY entry on the process's controlling terminal?  /dev/tty
 * (criu's CTTY), or a terminal whose session was the process's (criu
 * --shell-job restores these from its own terminal too).
 */
static bool rst_tty_ctty(const struct rst_img *im, const struct om_criu_file_entry *f)
{
	const struct om_criu_tty_info_entry *ti = f && f->tty ? rst_ttyi(im, f->tty->tty_info_id) : NULL;

	return ti && (ti->type == OM_CRIU_TTY_CTTY || (ti->sid && ti->sid == im->sid));
}

/*
 * tty-info.img, if there is one (criu always writes it with a TTY), and
 * the TTY entries checked: each with its TTY message; no pty master; one
 * terminal (/dev/tty aside): omctl has one to give.
 */
static int rst_read_ttys(int dfd, struct rst_img *im)
{
	const struct om_criu_tty_info_entry *ti, *term = NULL;
	unsigned int i, j;
	void *arr;

	if (!(faccessat(dfd, "tty-info.img", F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)) {
		if (rst_load(dfd, "tty-info.img", OM_CRIU_IMG_TTY_INFO, &om_criu_tty_info_entry_desc,
			     &arr, &im->n_ttyi, 0, 256))
			return -1;
		im->ttyi = arr;
		for (i = 0; i < im->n_ttyi; i++)
			for (j = 0; j < i; j++)
				if (im->ttyi[j].id == im->ttyi[i].id) {
					rst_fail("tty-info.img: terminal %u appears twice", im->ttyi[i].id);
					return -1;
				}
	}
	for (i = 0; i < im->n_files; i++) {
		const struct om_criu_file_entry *f = &im->files[i];

		if (f->type != OM_CRIU_FD_TTY)
			continue;
		if (!f->tty || f->tty->id != f->id) {
			rst_fail("files.img: TTY %u has no TTY entry of its id", f->id);
			return -1;
		}
		ti = rst_ttyi(im, f->tty->tty_info_id);
		if (!ti)
			continue;	/* no tty-info: inherited from omctl as it is */
		if (ti->type == OM_CRIU_TTY_PTY && (f->tty->tty_info_id & 1)) {
			rst_fail("files.img: TTY %u is a pseudo-terminal master: not supported", f->id);
			return -1;
		}
		if (ti->type == OM_CRIU_TTY_CTTY)
			continue;
		if (term && term->id != ti->id) {
			rst_fail("tty-info.img: the process had two terminals (%u and %u): only one is restored",
				 term->id, ti->id);
			return -1;
		}
		term = ti;
	}
	return 0;
}

/* ---- clocks: timens-0.img ---- */

#define RST_NSEC	1000000000LL

/*
 * timens-0.img, if there is one (criu writes none for a process in the
 * root time namespace): CLOCK_MONOTONIC and CLOCK_BOOTTIME as the process
 * saw them when its image was made.  Only a migration's keeper uses them
 * (rst_timens()); a bad file refuses any restore, as other images do.
 */
static int rst_read_timens(int dfd, struct rst_img *im)
{
	struct om_criu_timens_entry te;
	const char *why;
	int ret;

	if (faccessat(dfd, "timens-0.img", F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
		return 0;
	memset(&te, 0, sizeof(te));
	if (rst_load_one(dfd, "timens-0.img", OM_CRIU_IMG_TIMENS, &om_criu_timens_entry_desc,
			 &te))
		return -1;
	ret = om_criu_check_timens(&te, &why);
	if (ret) {
		rst_fail("timens-0.img: %s", why);
	} else {
		im->tns_mono.tv_sec = (time_t)te.monotonic->tv_sec;
		im->tns_mono.tv_nsec = (long)te.monotonic->tv_nsec;
		im->tns_boot.tv_sec = (time_t)te.boottime->tv_sec;
		im->tns_boot.tv_nsec = (long)te.boottime->tv_nsec;
	}
	im->has_tns = !ret;
	om_pb_free(&om_criu_timens_entry_desc, &te);
	return ret;
}

/* "NAME S N\n": @v minus @id's clock now, as /proc/PID/timens_offsets reads it */
static int rst_tns_offset(char *buf, size_t sz, const char *name, clockid_t id,
			  const struct timespec *v)
{
	struct timespec now;
	long long off, sec, nsec;

	if (clock_gettime(id, &now))
		return -1;
	/* both at most KTIME_SEC_MAX / 2 seconds: no overflow */
	off = ((long long)v->tv_sec - now.tv_sec) * RST_NSEC + (v->tv_nsec - now.tv_nsec);
	sec = off / RST_NSEC;
	nsec = off % RST_NSEC;
	if (nsec < 0) {		/* the kernel's nsecs are in [0, 1e9) */
		sec--;
		nsec += RST_NSEC;
	}
	return snprintf(buf, sz, "%s %lld %lld\n", name, sec, nsec);
}

/*
 * A migration's process keeps its clocks: a time namespace for omctl's
 * children whose CLOCK_MONOTONIC and CLOCK_BOOTTIME go on from where the
 * process's image left them (criu's way: they stand still from the
 * image to now).  The child enters it at its fork(); omctl itself stays
 * outside, and forks nothing else.  Failing (no CONFIG_TIME_NS, the
 * max_time_namespaces limit), the process runs with this node's clocks,
 * as it did before, with a message.
 */
static void rst_timens(const struct rst_img *im, const char *who)
{
	char buf[128];
	int n, m, fd;

	if (!im->has_tns)
		return;
	if (unshare(CLONE_NEWTIME)) {
		fprintf(stderr, "omctl guest %s: no time namespace, its clocks are this node's: %s\n",
			who, strerror(errno));
		return;
	}
	n = rst_tns_offset(buf, sizeof(buf), "monotonic", CLOCK_MONOTONIC, &im->tns_mono);
	m = n < 0 ? -1 : rst_tns_offset(buf + n, sizeof(buf) - n, "boottime", CLOCK_BOOTTIME,
					 &im->tns_boot);
	fd = m < 0 ? -1 : open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	/* one write: both offsets or neither */
	if (fd < 0 || write(fd, buf, n + m) != n + m)
		fprintf(stderr, "omctl guest %s: cannot set its clocks, they are this node's: %s\n",
			who, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static int rst_read_images(int dfd, struct rst_img *im)
{
	struct om_criu_pstree_entry *ps;
	unsigned int n;
	char name[64];
	void *arr;

	if (rst_load(dfd, "pstree.img", OM_CRIU_IMG_PSTREE, &om_criu_pstree_entry_desc,
		     &arr, &n, 1, 2))
		return -1;
	ps = arr;
	if (n != 1 || ps->n_threads != 1 || !ps->pid) {
		rst_fail("pstree.img: only one single-threaded process can be restored");
		return -1;
	}
	im->pid = ps->pid;
	im->sid = ps->sid;
	om_pb_free(&om_criu_pstree_entry_desc, ps);
	free(ps);

	snprintf(name, sizeof(name), "core-%u.img", im->pid);
	if (rst_load_one(dfd, name, OM_CRIU_IMG_CORE, &om_criu_core_entry_desc, &im->core))
		return -1;
	if (!im->core.tc || !im->core.thread_info) {
		rst_fail("%s: no task state", name);
		return -1;
	}
	if (im->core.tc->n_sigactions != OM_CRIU_NR_SIGACTIONS) {
		rst_fail("%s: %u signal actions, expected %u", name,
			 im->core.tc->n_sigactions, OM_CRIU_NR_SIGACTIONS);
		return -1;
	}
	snprintf(name, sizeof(name), "mm-%u.img", im->pid);
	if (rst_load_one(dfd, name, OM_CRIU_IMG_MM, &om_criu_mm_entry_desc, &im->mm))
		return -1;
	snprintf(name, sizeof(name), "ids-%u.img", im->pid);
	if (rst_load_one(dfd, name, OM_CRIU_IMG_IDS, &om_criu_task_kobj_ids_entry_desc,
			 &im->ids))
		return -1;
	snprintf(name, sizeof(name), "fs-%u.img", im->pid);
	if (rst_load_one(dfd, name, OM_CRIU_IMG_FS, &om_criu_fs_entry_desc, &im->fs))
		return -1;
	if (rst_load(dfd, "files.img", OM_CRIU_IMG_FILES, &om_criu_file_entry_desc,
		     &arr, &im->n_files, 0, RST_MAX_FDS * 2 + 64))
		return -1;
	im->files = arr;
	if (rst_read_pdata(dfd, "pipes-data.img", OM_CRIU_IMG_PIPES_DATA, &im->pd_buf,
			   &im->pipes, &im->n_pipes))
		return -1;
	if (rst_read_fifos(dfd, im) || rst_read_ghosts(dfd, im) || rst_read_ttys(dfd, im) ||
	    rst_read_timens(dfd, im))
		return -1;
	snprintf(name, sizeof(name), "fdinfo-%u.img", im->ids.files_id);
	if (faccessat(dfd, name, F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
		return 0;	/* criu: a missing fdinfo image means no fds */
	if (rst_load(dfd, name, OM_CRIU_IMG_FDINFO, &om_criu_fdinfo_entry_desc,
		     &arr, &im->n_fdi, 0, RST_MAX_FDS))
		return -1;
	im->fdi = arr;
	return rst_check_fdinfo(im, name) || rst_check_anon(im) ? -1 : 0;
}

static const struct om_criu_file_entry *rst_file(const struct rst_img *im, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < im->n_files; i++)
		if (im->files[i].id == id)
			return &im->files[i];
	return NULL;
}

/* criu's file ids are per type: a REG entry may share a FIFO's id */
static const struct om_criu_file_entry *rst_file_t(const struct rst_img *im, uint32_t id,
						   uint32_t type)
{
	unsigned int i;

	for (i = 0; i < im->n_files; i++)
		if (im->files[i].id == id && im->files[i].type == type)
			return &im->files[i];
	return NULL;
}

static const char *rst_reg_name(const struct rst_img *im, uint32_t id)
{
	const struct om_criu_file_entry *f = rst_file_t(im, id, OM_CRIU_FD_REG);

	return f && f->reg && f->reg->name ? f->reg->name : NULL;
}

static const struct om_criu_creds_entry *rst_cr(const struct rst_img *im)
{
	return im->core.thread_core ? im->core.thread_core->creds : NULL;
}

/* Are gid and every group of the image uid's own (passwd, group)? */
static bool rst_groups_own(const struct om_criu_creds_entry *c)
{
	struct passwd *pw = getpwuid(c->uid);
	gid_t list[256];
	int n = 256, i;
	unsigned int k;

	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, list, &n) < 0)
		return false;
	for (k = 0; k <= c->n_groups; k++) {
		gid_t g = k < c->n_groups ? c->groups[k] : c->gid;
		bool ok = false;

		for (i = 0; i < n; i++)
			ok |= list[i] == g;
		if (!ok)
			return false;
	}
	return true;
}

/*
 * The identity a restore runs as comes from the image, so root trusts an
 * image only if root or the user it names wrote it (owns the directory
 * and the files, nobody else can write them).  An image a user wrote may
 * only name that user, with that user's groups and no capabilities.
 */
static int rst_trust(const struct rst_img *im, const char *dir, bool trust)
{
	const struct om_criu_creds_entry *c = rst_cr(im);
	unsigned int i;
	bool caps = false;

	if (!c) {
		rst_fail("the image names no credentials, so whom it belongs to is unknown");
		return -1;
	}
	if (c->n_cap_eff != 2 || c->n_cap_prm != 2 || c->n_cap_inh != 2 ||
	    c->n_cap_bnd != 2) {
		rst_fail("core: capability sets of %u words, expected 2", c->n_cap_eff);
		return -1;
	}
	if (geteuid() != 0 || trust)
		return 0;
	if (rst_own.writable[0]) {
		rst_fail("untrusted image: %s in %s may be written by group or others "
			 "(chmod go-w, or --trust-image: dangerous)", rst_own.writable, dir);
		return -1;
	}
	if (rst_own.mixed || (rst_own.other != (uid_t)-1 && rst_own.other != c->uid)) {
		rst_fail("untrusted image: it names uid %u, but uid %u owns %s or its files; "
			 "root restores only images owned by root or by the uid they name "
			 "(or --trust-image: dangerous)", c->uid, (unsigned int)rst_own.other, dir);
		return -1;
	}
	if (rst_own.other == (uid_t)-1)
		return 0;	/* root wrote it */
	for (i = 0; i < c->n_cap_prm && i < c->n_cap_eff && i < c->n_cap_inh; i++)
		caps |= c->cap_prm[i] || c->cap_eff[i] || c->cap_inh[i];
	if (caps || c->euid != c->uid || c->suid != c->uid || c->fsuid != c->uid ||
	    c->egid != c->gid || c->sgid != c->gid || c->fsgid != c->gid) {
		rst_fail("untrusted image: uid %u owns it, so it may not claim other ids "
			 "or capabilities (or --trust-image: dangerous)", c->uid);
		return -1;
	}
	if (!rst_groups_own(c)) {
		rst_fail("untrusted image: uid %u owns it, so it may only name that user's "
			 "groups (passwd, group) (or --trust-image: dangerous)", c->uid);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- the child */

static bool rst_root;	/* omctl runs as root: it sets the image's ids */

/* One capability in or out of the effective set (it stays permitted). */
static int rst_cap_eff(int cap, bool on)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (on)
		data[cap / 32].effective |= 1u << (cap % 32);
	else
		data[cap / 32].effective &= ~(1u << (cap % 32));
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

/*
 * Root takes the image's ids before it opens any file of the image:
 * groups, gids, and real and effective uid, with saved uid 0 so that it
 * can call OM_IOC_RESTORE as root (the kernel reads the images as root
 * and then commits the image's effective, saved and fs ids).  A non-root
 * effective uid leaves no capability in effect.
 */
static int rst_ids_enter(const struct rst_img *im)
{
	const struct om_criu_creds_entry *c = rst_cr(im);

	if (!rst_root)
		return 0;
	if (setgroups(c->n_groups, (gid_t *)c->groups) ||
	    setresgid(c->gid, c->egid, c->sgid) ||
	    setresuid(c->uid, c->euid, 0)) {
		rst_fail("cannot take the image's credentials: %s", strerror(errno));
		return -1;
	}
	return 0;
}


/* The file status flags fcntl(F_SETFL) changes (criu's SETFL_MASK). */
#define RST_SETFL	(O_APPEND | O_ASYNC | O_NONBLOCK | O_DIRECT | O_NOATIME)

/*
 * Gives fd the image's file status flags and checks that it has them, as
 * criu's set_fd_flags() does.  O_ASYNC must come from F_SETFL: open()
 * takes the bit without registering for SIGIO.
 */
static int rst_setfl(int fd, uint32_t want, uint32_t target)
{
	int cur = fcntl(fd, F_GETFL), nflags;

	if (cur < 0) {
		rst_fail("fd %u: F_GETFL: %s", target, strerror(errno));
		return -1;
	}
	nflags = (cur & ~RST_SETFL) | ((int)want & RST_SETFL);
	if (nflags != cur && fcntl(fd, F_SETFL, nflags)) {
		rst_fail("fd %u: cannot set its file status flags %#o: %s", target,
			 want & RST_SETFL, strerror(errno));
		return -1;
	}
	cur = fcntl(fd, F_GETFL);
	if (cur < 0 || (cur & RST_SETFL) != ((int)want & RST_SETFL)) {
		rst_fail("fd %u: file status flags %#o, the image has %#o", target,
			 cur < 0 ? 0 : cur & RST_SETFL, want & RST_SETFL);
		return -1;
	}
	return 0;
}

/* Opens a regular file or FIFO as it was; FIFOs without blocking. */
static int rst_open_reg(const struct om_criu_reg_file_entry *reg, uint32_t target)
{
	int flags = (int)reg->flags & ~(O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC | O_NOCTTY |
					 O_ASYNC);
	struct stat st;
	int fd, peer = -1;

	if (stat(reg->name, &st)) {
		rst_fail("cannot open %.80s: %s", reg->name, strerror(errno));
		return -1;
	}
	if (S_ISFIFO(st.st_mode)) {
		/* a writer needs a reader to open without blocking */
		if ((flags & O_ACCMODE) == O_WRONLY)
			peer = open(reg->name, O_RDWR | O_CLOEXEC);
		fd = open(reg->name, flags | O_NONBLOCK);
		if (peer >= 0)
			close(peer);
	} else {
		fd = open(reg->name, flags);
		/* an O_PATH fd has no offset (lseek() fails) */
		if (fd >= 0 && S_ISREG(st.st_mode) && !(flags & O_PATH) &&
		    lseek(fd, (off_t)reg->pos, SEEK_SET) != (off_t)reg->pos) {
			rst_fail("cannot seek %.80s to %llu", reg->name,
				 (unsigned long long)reg->pos);
			close(fd);
			return -1;
		}
	}
	if (fd < 0) {
		rst_fail("cannot open %.80s: %s", reg->name, strerror(errno));
		return -1;
	}
	if (!(flags & O_PATH) && rst_setfl(fd, reg->flags, target)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A terminal or pipe fd is inherited from omctl (like criu --shell-job). */
static bool rst_inherit_ok(int fd, uint32_t type)
{
	struct stat st;

	if (fd < 0 || fstat(fd, &st))
		return false;
	if (type == OM_CRIU_FD_TTY)
		return isatty(fd);
	return S_ISFIFO(st.st_mode);
}

/*
 * omctl's own terminal or pipe at fd, for the image's one with file
 * status flags @flags: the same open file description if its flags are
 * the image's already, else a new one on the same terminal or pipe (a
 * reopen through /proc), so that giving it the image's O_NONBLOCK (say)
 * does not change the one omctl's caller shares.
 */
static int rst_inherit(int fd, uint32_t flags)
{
	int cur = fcntl(fd, F_GETFL), nfd;
	char path[64];

	if (cur < 0)
		return -1;
	if ((cur & RST_SETFL) == ((int)flags & RST_SETFL))
		return dup(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* never blocking, and never our controlling terminal */
	nfd = open(path, (cur & O_ACCMODE) | O_NOCTTY | O_NONBLOCK);
	if (nfd < 0) {
		rst_fail("fd %d: cannot reopen the inherited %s to give it the image's flags %#o: %s",
			 fd, isatty(fd) ? "terminal" : "pipe", flags & RST_SETFL, strerror(errno));
		return -1;
	}
	if (rst_setfl(nfd, flags, fd)) {
		close(nfd);
		return -1;
	}
	return nfd;
}

static struct rst_pipe *rst_pipe_of(const struct rst_img *im, const struct om_criu_file_entry *f)
{
	unsigned int i;

	if (!f || f->type != OM_CRIU_FD_PIPE || !f->pipe)
		return NULL;
	for (i = 0; i < im->n_pipes; i++)
		if (im->pipes[i].pipe_id == f->pipe->pipe_id)
			return &im->pipes[i];
	return NULL;
}

/* fd moved to a free number >= *base (close-on-exec), *base past it */
static int rst_high(int fd, int *base)
{
	int nfd = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, *base);

	if (fd >= 0)
		close(fd);
	if (nfd >= 0)
		*base = nfd + 1;
	return nfd;
}

/*
 * An open file description of a pipe of the process's own: the pipe is
 * made the first time (its size, then its contents), its read and write
 * ends go to the first read-only and write-only descriptions, any other
 * description is a new one on the same pipe (reopened through /proc);
 * each gets the image's status flags.
 */
static int rst_own_pipe(struct rst_pipe *pp, const struct om_criu_pipe_entry *pe,
			uint32_t target, int *base)
{
	int acc = (int)pe->flags & O_ACCMODE, fd, p[2];
	char path[64];

	if (pp->rfd < 0) {
		size_t done = 0;

		if (pipe2(p, O_CLOEXEC)) {
			rst_fail("fd %u: pipe: %s", target, strerror(errno));
			return -1;
		}
		/* high at once: a low number may be an fd omctl passes on */
		pp->rfd = rst_high(p[0], base);
		pp->wfd = rst_high(p[1], base);
		if (pp->rfd < 0 || pp->wfd < 0) {
			rst_fail("fd %u: pipe: %s", target, strerror(errno));
			return -1;
		}
		if (pp->size && fcntl(pp->wfd, F_GETPIPE_SZ) != (int)pp->size &&
		    fcntl(pp->wfd, F_SETPIPE_SZ, pp->size) < 0) {
			rst_fail("fd %u: cannot make its pipe %u bytes (F_SETPIPE_SZ): %s", target,
				 pp->size, strerror(errno));
			return -1;
		}
		if (fcntl(pp->wfd, F_SETFL, O_WRONLY | O_NONBLOCK)) {
			rst_fail("fd %u: pipe: %s", target, strerror(errno));
			return -1;
		}
		while (done < pp->bytes) {
			ssize_t n = write(pp->wfd, pp->data + done, pp->bytes - done);

			if (n <= 0) {
				rst_fail("fd %u: cannot put back the %u bytes its pipe held: %s",
					 target, pp->bytes, n < 0 ? strerror(errno) : "short write");
				return -1;
			}
			done += n;
		}
	}
	if (acc == O_RDONLY && !pp->used_r) {
		pp->used_r = true;
		fd = dup(pp->rfd);
	} else if (acc == O_WRONLY && !pp->used_w) {
		pp->used_w = true;
		fd = dup(pp->wfd);
	} else {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", acc == O_WRONLY ? pp->wfd : pp->rfd);
		fd = open(path, acc | O_NONBLOCK);
	}
	if (fd < 0) {
		rst_fail("fd %u: pipe: %s", target, strerror(errno));
		return -1;
	}
	if (rst_setfl(fd, pe->flags, target)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A FIFO the process had to itself: its size, then its contents, written
 * back through the anchor, into a FIFO that must be empty (bytes someone
 * wrote since would come first).
 */
static int rst_fifo_fill(const struct rst_fifo *ff, const char *name, uint32_t target)
{
	const struct rst_pipe *pd = ff->pd;
	size_t done = 0;
	int n = 0;

	if (pd->bytes && (ioctl(ff->anchor, FIONREAD, &n) || n)) {
		rst_fail("fd %u: FIFO %.60s holds %d bytes already (opened by another process?)",
			 target, name, n);
		return -1;
	}
	if (pd->size && fcntl(ff->anchor, F_GETPIPE_SZ) != (int)pd->size &&
	    fcntl(ff->anchor, F_SETPIPE_SZ, pd->size) < 0) {
		rst_fail("fd %u: cannot make FIFO %.60s %u bytes (F_SETPIPE_SZ): %s", target,
			 name, pd->size, strerror(errno));
		return -1;
	}
	while (done < pd->bytes) {
		ssize_t w = write(ff->anchor, pd->data + done, pd->bytes - done);

		if (w <= 0) {
			rst_fail("fd %u: cannot put back %u bytes into FIFO %.60s: %s",
				 target, pd->bytes, name, w < 0 ? strerror(errno) : "short write");
			return -1;
		}
		done += w;
	}
	return 0;
}

/*
 * An open file description of a named FIFO, criu's way: the FIFO's first
 * description opens it O_RDWR (the anchor: a reader and a writer, so
 * that nothing below waits for a peer, and a way to write its contents
 * back), gives it its size and contents if fifo-data.img has them; every
 * description of it is then opened with its own access mode, never
 * blocking, and gets the image's status flags.  Each is opened from an
 * O_PATH fd of its path checked to be a FIFO (the anchor's FIFO, for all
 * but the first) and reopened through /proc/self/fd, so a path changed
 * in between cannot make it another file.  All as the image's user
 * (rst_ids_enter()): a user who may open the FIFO only one way gets no
 * anchor, which is fine unless there are contents to write back or a
 * writer needs a reader.  The anchor is closed with omctl's other
 * temporaries once every fd is placed.
 */
static int rst_fifo_fd(const struct rst_img *im, const struct om_criu_file_entry *f,
		       uint32_t target, int *base)
{
	const struct om_criu_reg_file_entry *reg = rst_fifo_reg(im, f);
	struct rst_fifo *ff = NULL;
	int acc, op, fd = -1;
	unsigned int k;
	char path[64];
	struct stat st;

	for (k = 0; k < im->n_fifos; k++)
		if (im->fifos[k].pipe_id == f->fifo->pipe_id)
			ff = &im->fifos[k];
	if (!ff || !reg) {	/* rst_read_fifos() made sure */
		rst_fail("fd %u: bad FIFO entry %u", target, f->id);
		return -1;
	}
	acc = (int)reg->flags & O_ACCMODE;
	op = open(reg->name, O_PATH | O_CLOEXEC);
	if (op < 0 || fstat(op, &st)) {
		rst_fail("fd %u: cannot open FIFO %.80s: %s", target, reg->name, strerror(errno));
		goto out;
	}
	if (!S_ISFIFO(st.st_mode)) {
		rst_fail("fd %u: %.80s is not a FIFO now", target, reg->name);
		goto out;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", op);
	if (!ff->open) {
		ff->open = true;
		ff->dev = st.st_dev;
		ff->ino = st.st_ino;
		ff->anchor = rst_high(open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC), base);
		if (ff->anchor < 0 && ff->pd && ff->pd->bytes) {
			rst_fail("fd %u: cannot open FIFO %.60s read-write to put back %u bytes: %s",
				 target, reg->name, ff->pd->bytes, strerror(errno));
			goto out;
		}
		if (ff->anchor >= 0 && ff->pd && rst_fifo_fill(ff, reg->name, target))
			goto out;
	} else if (st.st_dev != ff->dev || st.st_ino != ff->ino) {
		rst_fail("fd %u: %.80s is not the FIFO of the other fds on it now", target,
			 reg->name);
		goto out;
	}
	fd = open(path, acc | O_NONBLOCK | O_CLOEXEC | ((int)reg->flags & (O_SYNC | O_DSYNC)));
	if (fd < 0) {
		rst_fail("fd %u: cannot open FIFO %.60s %s: %s", target, reg->name,
			 acc == O_RDONLY ? "to read" : acc == O_WRONLY ? "to write" : "read-write",
			 errno == ENXIO ? "no reader" : strerror(errno));
		goto out;
	}
	/* no anchor: only the size is given back, on this description */
	if (ff->anchor < 0 && ff->pd && ff->pd->size &&
	    fcntl(fd, F_GETPIPE_SZ) != (int)ff->pd->size &&
	    fcntl(fd, F_SETPIPE_SZ, ff->pd->size) < 0) {
		rst_fail("fd %u: cannot make FIFO %.60s %u bytes (F_SETPIPE_SZ): %s", target,
			 reg->name, ff->pd->size, strerror(errno));
		close(fd);
		fd = -1;
		goto out;
	}
	if (rst_setfl(fd, reg->flags, target)) {
		close(fd);
		fd = -1;
	}
out:
	if (op >= 0)
		close(op);
	return fd;
}

/*
 * An eventfd, signalfd, timerfd or epoll, made anew with the image's
 * state (rst_check_anon() checked it) and file status flags.  A timerfd
 * gets its ticks now (an epoll entry on it may need it readable), and its
 * time last (rst_timerfds()); an epoll gets its entries once every fd is
 * in place (rst_epolls()).  The fd is close-on-exec until it is placed.
 */
static int rst_anon(const struct om_criu_file_entry *f, uint32_t target)
{
	uint32_t flags;
	int fd;

	switch (f->type) {
	case OM_CRIU_FD_EVENTFD: {
		uint64_t n = f->efd->counter;

		flags = f->efd->flags;
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK |
			     (f->efd->has_semaphore && f->efd->semaphore ? EFD_SEMAPHORE : 0));
		/* eventfd() takes an unsigned int: the counter goes in by write() */
		if (fd >= 0 && n && write(fd, &n, sizeof(n)) != sizeof(n)) {
			rst_fail("fd %u: cannot give its eventfd the count %llu: %s", target,
				 (unsigned long long)n, strerror(errno));
			close(fd);
			return -1;
		}
		break;
	}
	case OM_CRIU_FD_SIGNALFD: {
		uint64_t mask = f->sgfd->sigmask;

		flags = f->sgfd->flags;
		/* raw: glibc's sigset_t calls refuse its own signals 32 and 33 */
		fd = (int)syscall(SYS_signalfd4, -1, &mask, sizeof(mask), SFD_CLOEXEC);
		break;
	}
	case OM_CRIU_FD_TIMERFD:
		flags = f->tfd->flags;
		fd = timerfd_create((clockid_t)f->tfd->clockid, TFD_CLOEXEC);
		if (fd >= 0 && f->tfd->ticks &&
		    ioctl(fd, TFD_IOC_SET_TICKS, &f->tfd->ticks)) {
			rst_fail("fd %u: cannot give its timerfd %llu ticks (TFD_IOC_SET_TICKS): %s",
				 target, (unsigned long long)f->tfd->ticks, strerror(errno));
			close(fd);
			return -1;
		}
		break;
	default:
		flags = f->epfd->flags;
		fd = epoll_create1(EPOLL_CLOEXEC);
		break;
	}
	if (fd < 0) {
		rst_fail("fd %u: cannot make its %s: %s", target,
			 f->type == OM_CRIU_FD_EVENTFD ? "eventfd" :
			 f->type == OM_CRIU_FD_SIGNALFD ? "signalfd" :
			 f->type == OM_CRIU_FD_TIMERFD ? "timerfd" : "epoll", strerror(errno));
		return -1;
	}
	if (rst_setfl(fd, flags, target)) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool rst_is_anon(uint32_t type)
{
	return type == OM_CRIU_FD_EVENTFD || type == OM_CRIU_FD_SIGNALFD ||
	       type == OM_CRIU_FD_TIMERFD || type == OM_CRIU_FD_EVENTPOLL;
}

/* ---- deleted files made again ---- */

/* Open flags a description of a deleted file is reopened with (criu strips O_TMPFILE too). */
#define RST_GHOST_NOFLAGS	(O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC | O_NOCTTY | O_ASYNC | \
				 O_TMPFILE | O_NOFOLLOW)

/*
 * The ghost's file, made once, as the image's user (rst_ids_enter()): an
 * unnamed file (O_TMPFILE) in the directory of the first REG entry's
 * path, mode 0600 for now, given the image's owner and group if they are
 * not the user's (fchown: the user's own groups, or root's image), then
 * its size and contents.  Its mode and times come once every description
 * of it is open (rst_ghosts_finish()).
 */
static int rst_ghost_make(struct rst_img *im, struct rst_ghost *g, const char *name,
			  uint32_t target, int *base)
{
	const struct om_criu_ghost_file_entry *e = &g->gfe;
	struct om_criu_ghost_walk w = { .size = g->size, .chunks = e->has_chunks && e->chunks };
	char dir[PATH_MAX];
	const uint8_t *data;
	uint64_t foff, dlen;
	size_t off = g->data_off;
	struct stat st;
	const char *slash = strrchr(name, '/');
	int ret;

	if (!slash || (size_t)(slash - name) >= sizeof(dir)) {
		rst_fail("fd %u: the deleted file %.80s has no directory", target, name);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash == name ? 1 : (int)(slash - name), name);
	g->anchor = rst_high(open(dir, O_TMPFILE | O_CLOEXEC | (g->tmpfile_id ? g->tmpfile_acc : O_RDWR),
				  0600), base);
	if (g->anchor < 0) {
		rst_fail("fd %u: cannot make the deleted file %.80s again in %.80s (O_TMPFILE): %s",
			 target, name, dir, strerror(errno));
		return -1;
	}
	if (fstat(g->anchor, &st)) {
		rst_fail("fd %u: %s", target, strerror(errno));
		return -1;
	}
	if (st.st_uid != e->uid || st.st_gid != e->gid) {
		/* a process with CAP_CHOWN could: root's restore lends it for this */
		const struct om_criu_creds_entry *c = rst_cr(im);
		bool raise = rst_root && geteuid() != 0 && c && c->n_cap_eff > CAP_CHOWN / 32 &&
			     (c->cap_eff[CAP_CHOWN / 32] & (1u << (CAP_CHOWN % 32)));
		int err = 0;

		if (raise && rst_cap_eff(CAP_CHOWN, true))
			err = errno;
		if (!err && fchown(g->anchor, st.st_uid != e->uid ? (uid_t)e->uid : (uid_t)-1,
				   st.st_gid != e->gid ? (gid_t)e->gid : (gid_t)-1))
			err = errno;
		if (raise)
			rst_cap_eff(CAP_CHOWN, false);
		if (err) {
			rst_fail("fd %u: cannot give the deleted file %.60s its owner %u:%u as uid %u: %s",
				 target, name, e->uid, e->gid, (unsigned int)geteuid(), strerror(err));
			return -1;
		}
	}
	if (ftruncate(g->anchor, (off_t)g->size)) {
		rst_fail("fd %u: cannot make the deleted file %.60s %llu bytes: %s", target, name,
			 (unsigned long long)g->size, strerror(errno));
		return -1;
	}
	while ((ret = om_criu_ghost_next(g->buf, g->len, &off, &w, &foff, &data, &dlen)) == 1) {
		while (dlen) {
			ssize_t n = pwrite(g->anchor, data, dlen, (off_t)foff);

			if (n <= 0) {
				rst_fail("fd %u: cannot write the deleted file %.60s back: %s", target,
					 name, n < 0 ? strerror(errno) : "short write");
				return -1;
			}
			data += n;
			dlen -= n;
			foff += n;
		}
	}
	if (ret) {	/* rst_load_ghost() walked it already */
		rst_fail("ghost-file-%x.img: %s", g->id, strerror(-ret));
		return -1;
	}
	return 0;
}

/* A description of a deleted file: an open of its new file with the image's flags. */
static int rst_ghost_fd(struct rst_img *im, const struct rst_ghost *cg,
			const struct om_criu_reg_file_entry *reg, uint32_t target, int *base)
{
	struct rst_ghost *g = &im->ghosts[cg - im->ghosts];
	char path[64];
	int fd;

	if (g->anchor < 0 && rst_ghost_make(im, g, reg->name, target, base))
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", g->anchor);
	if (reg->id == g->tmpfile_id && !g->anchor_used) {
		g->anchor_used = true;
		fd = dup(g->anchor);
	} else {
		fd = open(path, (int)reg->flags & ~RST_GHOST_NOFLAGS);
	}
	if (fd < 0) {
		rst_fail("fd %u: cannot open the deleted file %.80s again: %s", target, reg->name,
			 strerror(errno));
		return -1;
	}
	if (!(reg->flags & O_PATH) &&
	    lseek(fd, (off_t)reg->pos, SEEK_SET) != (off_t)reg->pos) {
		rst_fail("cannot seek the deleted file %.80s to %llu", reg->name,
			 (unsigned long long)reg->pos);
		close(fd);
		return -1;
	}
	if (!(reg->flags & O_PATH) && rst_setfl(fd, reg->flags, target)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Every description of the deleted files is open: each file gets its
 * mode (which may deny what the opens needed) and times, and is checked
 * to be what the image has.
 */
static int rst_ghosts_finish(const struct rst_img *im)
{
	unsigned int i;

	for (i = 0; i < im->n_ghosts; i++) {
		const struct rst_ghost *g = &im->ghosts[i];
		const struct om_criu_ghost_file_entry *e = &g->gfe;
		struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
		struct stat st;

		if (g->anchor < 0)
			continue;	/* no fd of the process on it */
		if (e->atim)
			ts[0] = (struct timespec){ (time_t)e->atim->tv_sec,
						  (long)(e->atim->tv_usec % 1000000) * 1000 };
		if (e->mtim)
			ts[1] = (struct timespec){ (time_t)e->mtim->tv_sec,
						  (long)(e->mtim->tv_usec % 1000000) * 1000 };
		if (fchmod(g->anchor, e->mode & 07777) || futimens(g->anchor, ts) ||
		    fstat(g->anchor, &st)) {
			rst_fail("ghost-file-%x.img: cannot give the deleted file its mode %#o and times: %s",
				 g->id, e->mode, strerror(errno));
			return -1;
		}
		if (st.st_mode != e->mode || st.st_uid != e->uid || st.st_gid != e->gid ||
		    (uint64_t)st.st_size != g->size) {
			rst_fail("ghost-file-%x.img: the deleted file came back with mode %#o owner %u:%u, not %#o %u:%u",
				 g->id, st.st_mode, st.st_uid, st.st_gid, e->mode, e->uid, e->gid);
			return -1;
		}
	}
	return 0;
}

/* ---- the controlling terminal, from omctl (criu's --shell-job) ---- */

/* The description the image's TTY file @id gets, prepared by rst_ctty_prepare(). */
static int rst_ctty_src(const struct rst_img *im, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < im->n_ctty; i++)
		if (im->ctty_ids[i] == id)
			return im->ctty_fds[i];
	return -1;
}

/*
 * omctl's controlling terminal: its device node, through the first of
 * omctl's fds 0-2 on it, else the pts of its number, else (rdev 0) only
 * /dev/tty.  *rdev: its device.
 */
static int rst_ctty_node(char *path, size_t sz, dev_t *rdev)
{
	unsigned long long nr = 0;
	struct stat st;
	char buf[1024], *p;
	int fd, i;
	ssize_t n;

	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');
	/* ") S ppid pgrp session tty_nr" */
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %llu", &nr) != 1 || !nr)
		return -1;
	*rdev = (dev_t)nr;
	for (i = 0; i < 3; i++) {
		if (!fstat(i, &st) && S_ISCHR(st.st_mode) && st.st_rdev == *rdev) {
			snprintf(path, sz, "/proc/self/fd/%d", i);
			return 0;
		}
	}
	if (major(*rdev) >= 136 && major(*rdev) < 144) {
		snprintf(path, sz, "/dev/pts/%u", (major(*rdev) - 136) * 256 + minor(*rdev));
		if (!stat(path, &st) && S_ISCHR(st.st_mode) && st.st_rdev == *rdev)
			return 0;
	}
	snprintf(path, sz, "/dev/tty");
	*rdev = 0;
	return 0;
}

/* The terminal's settings before rst_ctty_termios(), for a failed restore */
static struct termios rst_tty_old;
static bool rst_tty_changed;

/*
 * The image's termios on omctl's terminal (criu applies them too), if
 * omctl is in its foreground: a job in the background does not change
 * the foreground's terminal.  The window size stays the terminal's.  A
 * restore that fails gives the terminal its settings back (rst_report()).
 */
static void rst_ctty_termios(const struct om_criu_tty_info_entry *ti, int fd)
{
	const struct om_criu_termios_entry *t = ti ? ti->termios : NULL;
	struct termios now, want;
	unsigned int i;

	if (!t || tcgetattr(fd, &now))
		return;
	want = now;
	want.c_iflag = t->c_iflag;
	want.c_oflag = t->c_oflag;
	want.c_cflag = t->c_cflag;
	want.c_lflag = t->c_lflag;
	want.c_line = (cc_t)t->c_line;
	for (i = 0; i < t->n_c_cc && i < NCCS && i < 19; i++)
		want.c_cc[i] = (cc_t)t->c_cc[i];
	if (!memcmp(&want, &now, sizeof(want)))
		return;
	if (tcgetpgrp(fd) != getpgrp()) {
		fprintf(stderr, "omctl: not in the terminal's foreground: the process's terminal settings are not restored\n");
		return;
	}
	rst_tty_old = now;
	rst_tty_changed = !tcsetattr(fd, TCSANOW, &want);
	if (!rst_tty_changed)
		fprintf(stderr, "omctl: cannot restore the terminal's settings: %s\n", strerror(errno));
}

/*
 * The process's fds on its controlling terminal get omctl's controlling
 * terminal, as criu --shell-job gives its own: one description per TTY
 * file id, /dev/tty opens as /dev/tty, the others on the terminal's
 * node: omctl's own fd of the number of the first fd on it if that is
 * on the terminal (the same description when its status flags are the
 * image's, else a new one: rst_inherit()), else a new open.  Made as
 * omctl's caller, before the image's ids: the terminal is the caller's
 * to give (a user's restore by root could not open root's terminal).
 * The restored process is omctl's child, in omctl's session and process
 * group: the terminal is its controlling terminal.
 */
static int rst_ctty_prepare(struct rst_img *im)
{
	const struct om_criu_tty_info_entry *ti, *term = NULL;
	char node[64];
	dev_t rdev = 0;
	unsigned int i;
	bool found = false;

	for (i = 0; i < im->n_files; i++)
		found |= im->files[i].type == OM_CRIU_FD_TTY && rst_tty_ctty(im, &im->files[i]);
	if (!found)
		return 0;
	im->ctty_ids = calloc(im->n_files, sizeof(*im->ctty_ids));
	im->ctty_fds = calloc(im->n_files, sizeof(*im->ctty_fds));
	if (!im->ctty_ids || !im->ctty_fds) {
		rst_fail("out of memory");
		return -1;
	}
	if (rst_ctty_node(node, sizeof(node), &rdev)) {
		rst_fail("the process had its controlling terminal; omctl has none to give it "
			 "(run omctl restore from a terminal)");
		return -1;
	}
	for (i = 0; i < im->n_files; i++) {
		const struct om_criu_file_entry *f = &im->files[i];
		uint32_t flags, target;
		struct stat st;
		int fd = -1, first;

		if (f->type != OM_CRIU_FD_TTY || !rst_tty_ctty(im, f))
			continue;
		ti = rst_ttyi(im, f->tty->tty_info_id);
		flags = f->tty->flags;
		first = rst_fd_of(im, f->id, OM_CRIU_FD_TTY);
		if (first < 0)
			continue;	/* no fd on it (or one rst_fds() refuses) */
		target = (uint32_t)first;
		if (ti->type != OM_CRIU_TTY_CTTY && rdev && target < 3 && !fstat(target, &st) &&
		    S_ISCHR(st.st_mode) && st.st_rdev == rdev) {
			fd = rst_inherit(target, flags);
		} else {
			const char *path = ti->type == OM_CRIU_TTY_CTTY ? "/dev/tty" : node;

			fd = open(path, ((int)flags & O_ACCMODE) | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
			if (fd >= 0 && rst_setfl(fd, flags, target)) {
				close(fd);
				return -1;
			}
		}
		if (fd < 0) {
			rst_fail("fd %u: cannot open omctl's controlling terminal: %s", target,
				 strerror(errno));
			return -1;
		}
		im->ctty_ids[im->n_ctty] = f->id;
		im->ctty_fds[im->n_ctty++] = fd;
		if (ti->type != OM_CRIU_TTY_CTTY || !term)
			term = ti;
	}
	if (im->n_ctty)
		rst_ctty_termios(term, im->ctty_fds[0]);
	return 0;
}

/* The image's file status flags of a TTY or PIPE entry. */
static uint32_t rst_file_flags(const struct om_criu_file_entry *f)
{
	if (f && f->type == OM_CRIU_FD_TTY && f->tty)
		return f->tty->flags;
	if (f && f->type == OM_CRIU_FD_PIPE && f->pipe)
		return f->pipe->flags;
	return 0;
}

struct rst_fdplan {
	int target, src;	/* src: a high temporary fd */
	bool cloexec;
};

static int rst_fds(struct rst_img *im, int *keep, int nkeep)
{
	struct rst_fdplan *plan;
	struct rlimit rl;
	int maxfd = 2, base, i, k;

	for (i = 0; i < (int)im->n_fdi; i++) {
		if (im->fdi[i].fd >= RST_MAX_FD) {
			rst_fail("fdinfo: fd %u is too large", im->fdi[i].fd);
			return -1;
		}
		if ((int)im->fdi[i].fd > maxfd)
			maxfd = im->fdi[i].fd;
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	base = maxfd + 1;
	/* omctl's own fds go above every fd of the image */
	for (k = 0; k < nkeep; k++) {
		int nfd = fcntl(keep[k], F_DUPFD_CLOEXEC, base);

		if (nfd < 0) {
			rst_fail("cannot move fd %d above %d: %s", keep[k], base, strerror(errno));
			return -1;
		}
		close(keep[k]);
		keep[k] = nfd;
		base = nfd + 1;
	}
	/* and the controlling terminal's descriptions rst_ctty_prepare() made */
	for (k = 0; k < (int)im->n_ctty; k++) {
		im->ctty_fds[k] = rst_high(im->ctty_fds[k], &base);
		if (im->ctty_fds[k] < 0) {
			rst_fail("cannot move a terminal fd above %d: %s", base, strerror(errno));
			return -1;
		}
	}
	plan = calloc(im->n_fdi + 1, sizeof(*plan));
	if (!plan) {
		rst_fail("out of memory");
		return -1;
	}
	for (i = 0; i < (int)im->n_fdi; i++) {
		const struct om_criu_fdinfo_entry *fi = &im->fdi[i];
		const struct om_criu_file_entry *f = rst_file_t(im, fi->id, fi->type);
		uint32_t type = fi->type;
		struct rst_pipe *pp = rst_pipe_of(im, f);
		const struct rst_ghost *g = type == OM_CRIU_FD_REG ? rst_ghost_of(im, fi->id) : NULL;
		int ctty = type == OM_CRIU_FD_TTY ? rst_ctty_src(im, fi->id) : -1;
		bool shared = type == OM_CRIU_FD_REG || type == OM_CRIU_FD_FIFO || pp || ctty >= 0 ||
			      rst_is_anon(type);
		int fd = -1, j;

		plan[i].target = fi->fd;
		plan[i].cloexec = fi->flags & FD_CLOEXEC;
		/*
		 * fds of one open file description share one again (offset,
		 * flags), as they did; inherited ones stay omctl's per fd
		 */
		for (j = 0; j < i && shared; j++)
			if (im->fdi[j].id == fi->id && im->fdi[j].type == fi->type)
				break;
		if (shared && j < i) {
			fd = dup(plan[j].src);
		} else if (pp) {
			fd = rst_own_pipe(pp, f->pipe, fi->fd, &base);
			if (fd < 0)
				goto fail;
		} else if (type == OM_CRIU_FD_FIFO) {
			fd = rst_fifo_fd(im, f, fi->fd, &base);
			if (fd < 0)
				goto fail;
		} else if (f && rst_is_anon(type)) {
			fd = rst_anon(f, fi->fd);
			if (fd < 0)
				goto fail;
		} else if (g) {
			fd = rst_ghost_fd(im, g, f->reg, fi->fd, &base);
			if (fd < 0)
				goto fail;
		} else if (ctty >= 0) {
			fd = dup(ctty);
		} else if (f && type == OM_CRIU_FD_REG && f->reg && f->reg->name) {
			fd = rst_open_reg(f->reg, fi->fd);
			if (fd < 0)
				goto fail;
		} else if (type == OM_CRIU_FD_TTY || type == OM_CRIU_FD_PIPE) {
			if (rst_inherit_ok(fi->fd, type)) {
				fd = rst_inherit(fi->fd, rst_file_flags(f));
				if (fd < 0 && rst_err[0])
					goto fail;
			} else {
				fprintf(stderr, "omctl: fd %u was a %s; it is /dev/null now\n",
					fi->fd, type == OM_CRIU_FD_TTY ? "terminal" : "pipe");
				fd = open("/dev/null", O_RDWR);
			}
		} else {
			rst_fail("fd %u: file type %u cannot be restored", fi->fd, type);
			goto fail;
		}
		if (fd < 0) {
			rst_fail("fd %u: %s", fi->fd, strerror(errno));
			goto fail;
		}
		plan[i].src = fcntl(fd, F_DUPFD_CLOEXEC, base);
		close(fd);
		if (plan[i].src < 0) {
			rst_fail("fd %u: %s", fi->fd, strerror(errno));
			goto fail;
		}
		base = plan[i].src + 1;
	}
	if (rst_ghosts_finish(im))
		goto fail;
	/* close every fd but ours (all >= maxfd + 1), then place */
	for (i = 0; i < base; i++) {
		bool ours = false;

		for (k = 0; k < nkeep; k++)
			ours |= keep[k] == i;
		for (k = 0; k < (int)im->n_fdi; k++)
			ours |= plan[k].src == i;
		if (!ours)
			close(i);
	}
	syscall(SYS_close_range, base, ~0U, 0);
	for (i = 0; i < (int)im->n_fdi; i++) {
		if (dup3(plan[i].src, plan[i].target,
			 plan[i].cloexec ? O_CLOEXEC : 0) != plan[i].target) {
			rst_fail("cannot place fd %d: %s", plan[i].target, strerror(errno));
			goto fail;
		}
		close(plan[i].src);
	}
	free(plan);
	return 0;
fail:
	free(plan);
	return -1;
}

struct rst_ksigaction {
	uint64_t handler, flags, restorer, mask;
};

static int rst_signals(const struct rst_img *im)
{
	const struct om_criu_task_core_entry *tc = im->core.tc;
	const struct om_criu_thread_core_entry *th = im->core.thread_core;
	const struct om_criu_signal_queue_entry *q[2] = {
		tc->signals_s, th ? th->signals_p : NULL };
	unsigned int i, sig, k;

	for (i = 0, sig = 1; i < tc->n_sigactions && sig <= 64; sig++) {
		const struct om_criu_sa_entry *sa;
		struct rst_ksigaction ks;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		sa = &tc->sigactions[i++];
		ks.handler = sa->sigaction;
		ks.flags = sa->flags;
		ks.restorer = sa->restorer;
		ks.mask = sa->mask;
		if (syscall(SYS_rt_sigaction, sig, &ks, NULL, 8)) {
			rst_fail("signal %u: cannot set its action: %s", sig, strerror(errno));
			return -1;
		}
	}
	/* pending signals, shared then private; all are blocked now */
	for (k = 0; k < 2; k++) {
		for (i = 0; q[k] && i < q[k]->n_signals; i++) {
			const struct om_pb_bytes *b = &q[k]->signals[i].siginfo;
			siginfo_t si;
			long r;

			if (b->len != sizeof(si)) {
				rst_fail("core: bad pending siginfo");
				return -1;
			}
			memcpy(&si, b->data, sizeof(si));
			if (si.si_signo < 1 || si.si_signo > 64) {
				rst_fail("core: bad pending signal %d", si.si_signo);
				return -1;
			}
			if (k == 0)
				r = syscall(SYS_rt_sigqueueinfo, getpid(), si.si_signo, &si);
			else
				r = syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(),
					    si.si_signo, &si);
			if (r) {
				rst_fail("cannot queue pending signal %d: %s", si.si_signo,
					 strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

/*
 * The image's POSIX timers, disarmed, with their ids.  This fresh process
 * is given ids in order from 0, so timers are created in id order, those
 * in between deleted, until each id comes, as criu's restorer does (ids
 * are at most OM_CRIU_MAX_TIMER_ID).  Raw system calls: glibc's
 * timer_create() makes a thread for SIGEV_THREAD and its own ids.
 */
static int rst_posix_timers(const struct rst_img *im)
{
	const struct om_criu_task_timers_entry *t = im->core.tc->timers;
	const char *why;
	uint32_t *order, i, j, next = 0;
	int idx, ret = -1;

	if (om_criu_check_timers(t, im->pid, &why, &idx)) {
		if (idx >= 0)
			rst_fail("core: POSIX timer %u (clock %d): %s", t->posix[idx].it_id,
				 (int32_t)t->posix[idx].clock_id, why);
		else
			rst_fail("core: %s", why);
		return -1;
	}
	if (!t || !t->n_posix)
		return 0;
	order = calloc(t->n_posix, sizeof(*order));
	if (!order) {
		rst_fail("out of memory");
		return -1;
	}
	for (i = 0; i < t->n_posix; i++) {
		for (j = i; j > 0 && t->posix[order[j - 1]].it_id > t->posix[i].it_id; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < t->n_posix; i++) {
		const struct om_criu_posix_timer_entry *e = &t->posix[order[i]];
		struct sigevent sev, filler = { .sigev_notify = SIGEV_NONE };
		int id;

		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = (int)e->it_sigev_notify;
		sev.sigev_signo = (int)e->si_signo;
		sev.sigev_value.sival_ptr = (void *)(uintptr_t)e->sival_ptr;
		if (e->it_sigev_notify & SIGEV_THREAD_ID)
			sev._sigev_un._tid = (int)syscall(SYS_gettid);
		for (; next <= e->it_id; next++) {
			bool it = next == e->it_id;

			if (syscall(SYS_timer_create, it ? (clockid_t)e->clock_id : CLOCK_MONOTONIC,
				    it ? &sev : &filler, &id)) {
				rst_fail("cannot create POSIX timer %u: %s", next, strerror(errno));
				goto out;
			}
			if ((uint32_t)id != next) {
				rst_fail("POSIX timer %u: the kernel gave id %d (ids out of order)",
					 e->it_id, id);
				goto out;
			}
			if (!it && syscall(SYS_timer_delete, id)) {
				rst_fail("cannot delete POSIX timer %d: %s", id, strerror(errno));
				goto out;
			}
		}
	}
	ret = 0;
out:
	free(order);
	return ret;
}

static int rst_task(const struct rst_img *im)
{
	const struct om_criu_task_core_entry *tc = im->core.tc;
	const struct om_criu_thread_core_entry *th = im->core.thread_core;
	const char *cwd = rst_reg_name(im, im->fs.cwd_id);
	const char *root = rst_reg_name(im, im->fs.root_id);
	unsigned int i;

	if (!cwd || !root) {
		rst_fail("fs: cwd or root is not in files.img");
		return -1;
	}
	if (strcmp(root, "/")) {
		/* as the image's user, with only CAP_SYS_CHROOT in effect */
		bool raise = rst_root && geteuid() != 0;
		int err = 0;

		if (raise && rst_cap_eff(CAP_SYS_CHROOT, true))
			err = errno;
		if (!err && chroot(root))
			err = errno;
		if (raise)
			rst_cap_eff(CAP_SYS_CHROOT, false);
		if (err) {
			rst_fail("cannot chroot to %.80s: %s", root, strerror(err));
			return -1;
		}
	}
	if (chdir(cwd)) {
		rst_fail("cannot chdir to %.80s: %s", cwd, strerror(errno));
		return -1;
	}
	if (im->fs.has_umask)
		umask(im->fs.umask & 0777);
	if ((unsigned int)personality(0xffffffff) != tc->personality &&
	    personality(tc->personality) < 0) {
		rst_fail("cannot set personality %#x", tc->personality);
		return -1;
	}
	prctl(PR_SET_NAME, th && th->comm ? th->comm : tc->comm ? tc->comm : "", 0, 0, 0);
	if (th && th->has_pdeath_sig)
		prctl(PR_SET_PDEATHSIG, th->pdeath_sig, 0, 0, 0);
	if (tc->rlimits) {
		for (i = 0; i < tc->rlimits->n_rlimits && i < RLIM_NLIMITS; i++) {
			struct rlimit rl = { tc->rlimits->rlimits[i].cur,
					     tc->rlimits->rlimits[i].max }, now;

			/*
			 * As the image's user: a hard limit is never raised
			 * above the caller's, unless the image's user is root.
			 */
			if (setrlimit(i, &rl)) {
				int err = errno;

				if (err == EPERM && !getrlimit(i, &now) &&
				    rl.rlim_max > now.rlim_max)
					rst_fail("the image's hard limit %u (%llu) is above the caller's "
						 "(%llu); raise the caller's first (ulimit -H)", i,
						 (unsigned long long)rl.rlim_max,
						 (unsigned long long)now.rlim_max);
				else
					rst_fail("cannot set rlimit %u to %llu/%llu: %s", i,
						 (unsigned long long)rl.rlim_cur,
						 (unsigned long long)rl.rlim_max, strerror(err));
				return -1;
			}
		}
	}
	if (tc->timers && tc->timers->real &&
	    (tc->timers->real->vsec || tc->timers->real->vusec)) {
		struct itimerval it = {
			{ tc->timers->real->isec, tc->timers->real->iusec },
			{ tc->timers->real->vsec, tc->timers->real->vusec } };

		setitimer(ITIMER_REAL, &it, NULL);
	}
	return rst_posix_timers(im);
}

/*
 * A non-root caller takes the image's capability sets (capset can only
 * lower them); for root the kernel sets them (at most root's).
 */
static int rst_creds(const struct rst_img *im)
{
	const struct om_criu_creds_entry *c =
		im->core.thread_core ? im->core.thread_core->creds : NULL;
	struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
	struct { uint32_t eff, prm, inh; } data[2];
	int i;

	if (!c || rst_root)
		return 0;
	for (i = 0; i < 2; i++) {
		data[i].eff = c->cap_eff[i];
		data[i].prm = c->cap_prm[i];
		data[i].inh = c->cap_inh[i];
	}
	if (syscall(SYS_capset, &hdr, data)) {
		rst_fail("cannot set the image's capabilities: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static bool rst_maps_find(const char *name, unsigned long *s, unsigned long *e)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);

		while (l && (line[l - 1] == '\n' || line[l - 1] == ' '))
			line[--l] = 0;
		if (l > strlen(name) && !strcmp(line + l - strlen(name), name) &&
		    sscanf(line, "%lx-%lx", s, e) == 2)
			found = true;
	}
	fclose(f);
	return found;
}

/* Is [s,e) free apart from the ranges in skip? */
static bool rst_range_free(unsigned long s, unsigned long e,
			   const unsigned long (*skip)[2], int nskip)
{
	char line[512];
	bool ok = true;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return false;
	while (ok && fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		int i;

		if (sscanf(line, "%lx-%lx", &a, &b) != 2 || b <= s || a >= e)
			continue;
		ok = false;
		for (i = 0; i < nskip; i++)
			if (a >= skip[i][0] && b <= skip[i][1])
				ok = true;
	}
	fclose(f);
	return ok;
}

/*
 * Moves [vvar] and [vdso] to where the image had them (the kernel keeps
 * them).  Through a scratch area, so the two may swap places.  After
 * this, glibc's cached vdso pointers are stale: no time calls here.
 */
static int rst_vdso(const struct rst_img *im)
{
	unsigned long cur[2][2] = { { 0, 0 }, { 0, 0 } }, want[2][2] = { { 0, 0 }, { 0, 0 } };
	static const char *const names[2] = { "[vvar]", "[vdso]" };
	unsigned int i, k;
	bool moved = false;
	uint8_t *scratch;
	size_t total = 0, off = 0;

	for (i = 0; i < im->mm.n_vmas; i++) {
		const struct om_criu_vma_entry *v = &im->mm.vmas[i];

		if (!(v->status & OM_CRIU_VMA_AREA_REGULAR))
			continue;
		k = v->status & OM_CRIU_VMA_AREA_VVAR ? 0 :
		    v->status & OM_CRIU_VMA_AREA_VDSO ? 1 : 2;
		if (k < 2) {
			want[k][0] = v->start;
			want[k][1] = v->end;
		}
	}
	for (k = 0; k < 2; k++) {
		if (!rst_maps_find(names[k], &cur[k][0], &cur[k][1]))
			continue;
		if (want[k][1] && want[k][1] - want[k][0] != cur[k][1] - cur[k][0]) {
			rst_fail("the image's %s has another size: it comes from another kernel",
				 names[k]);
			return -1;
		}
		if (want[k][1] && want[k][0] != cur[k][0])
			moved = true;
		total += cur[k][1] - cur[k][0];
	}
	if (!moved)
		return 0;
	if (!want[0][1] || !want[1][1] || !cur[0][1] || !cur[1][1]) {
		rst_fail("the image's vdso layout does not match this kernel's");
		return -1;
	}
	scratch = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED) {
		rst_fail("vdso: no room to move it");
		return -1;
	}
	for (k = 0; k < 2; k++) {
		size_t len = cur[k][1] - cur[k][0];

		if (mremap((void *)cur[k][0], len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   scratch + off) == MAP_FAILED) {
			rst_fail("cannot move %s: %s", names[k], strerror(errno));
			return -1;
		}
		cur[k][0] = (unsigned long)scratch + off;
		cur[k][1] = cur[k][0] + len;
		off += len;
	}
	for (k = 0; k < 2; k++) {
		size_t len = cur[k][1] - cur[k][0];

		if (!rst_range_free(want[k][0], want[k][1], cur, 2)) {
			rst_fail("the image's %s address %lx is in use here", names[k],
				 want[k][0]);
			return -1;
		}
		if (mremap((void *)cur[k][0], len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   (void *)want[k][0]) == MAP_FAILED) {
			rst_fail("cannot move %s: %s", names[k], strerror(errno));
			return -1;
		}
		cur[k][0] = want[k][0];
		cur[k][1] = want[k][1];
	}
	return 0;
}

/* Each entry of the epoll at @epfd as /proc/self/fdinfo shows it, as @f has it. */
static int rst_epoll_verify(int epfd, const struct om_criu_file_entry *f)
{
	const struct om_criu_eventpoll_file_entry *e = f->epfd;
	char path[64], line[256];
	unsigned int seen = 0, j;
	FILE *fi;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	fi = fopen(path, "re");
	if (!fi) {
		rst_fail("epoll %u: cannot read %s: %s", f->id, path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fi)) {
		unsigned int ev;
		unsigned long long data;
		int tfd;

		if (sscanf(line, "tfd: %d events: %x data: %llx", &tfd, &ev, &data) != 3)
			continue;
		seen++;
		for (j = 0; j < e->n_tfd && e->tfd[j].tfd != (uint32_t)tfd; j++)
			;
		if (j == e->n_tfd || e->tfd[j].events != ev || e->tfd[j].data != data) {
			rst_fail("epoll %u: its entry for fd %d has events %#x, data %#llx; the image has %#x, %#llx%s",
				 f->id, tfd, ev, data, j < e->n_tfd ? e->tfd[j].events : 0,
				 j < e->n_tfd ? (unsigned long long)e->tfd[j].data : 0ULL,
				 j < e->n_tfd && (e->tfd[j].events & ~ev & OM_CRIU_EPOLLWAKEUP) ?
				 " (EPOLLWAKEUP needs CAP_BLOCK_SUSPEND)" : "");
			fclose(fi);
			return -1;
		}
	}
	fclose(fi);
	if (seen != e->n_tfd) {
		rst_fail("epoll %u has %u entries, the image %u", f->id, seen, e->n_tfd);
		return -1;
	}
	return 0;
}

/*
 * An epoll's entry that is an EPOLLONESHOT one which fired (the kernel
 * kept only its EPOLLONESHOT, EPOLLET and EPOLLWAKEUP bits): epoll_ctl()
 * cannot make it (it adds EPOLLERR|EPOLLHUP to every entry), so it is
 * added with an event its fd has now, and fires once, alone among the
 * epoll's armed entries: epoll_wait() disarms it as it did the original.
 */
static int rst_epoll_fired(int epfd, const struct om_criu_file_entry *f,
			   const struct om_criu_eventpoll_tfd_entry *t)
{
	struct pollfd p = { .fd = (int)t->tfd,
			    .events = POLLIN | POLLPRI | POLLOUT | POLLRDHUP | POLLRDNORM |
				      POLLRDBAND | POLLWRNORM | POLLWRBAND | POLLMSG };
	struct epoll_event ev = { .events = t->events }, out;

	ev.data.u64 = t->data;
	if (poll(&p, 1, 0) != 1 || !(p.revents & ~POLLNVAL)) {
		rst_fail("epoll %u: its EPOLLONESHOT entry for fd %u had fired, and fd %u has no event now to fire it again",
			 f->id, t->tfd, t->tfd);
		return -1;
	}
	ev.events |= (uint32_t)p.revents & OM_CRIU_EPOLL_EVENTS & ~(uint32_t)POLLNVAL;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, (int)t->tfd, &ev)) {
		rst_fail("epoll %u: cannot watch fd %u: %s", f->id, t->tfd, strerror(errno));
		return -1;
	}
	if (epoll_wait(epfd, &out, 1, 0) != 1 || out.data.u64 != t->data) {
		rst_fail("epoll %u: its EPOLLONESHOT entry for fd %u did not fire", f->id, t->tfd);
		return -1;
	}
	return 0;
}

static bool rst_epoll_is_fired(const struct om_criu_eventpoll_tfd_entry *t)
{
	return !(t->events & (OM_CRIU_EPOLLERR | OM_CRIU_EPOLLHUP));
}

/*
 * The epolls' entries: once every fd is in place (an entry names its fd
 * by number, and the file there is what it watches) and what the fds
 * have to read is back (pending signals, timerfd ticks): epoll_ctl(ADD)
 * with each entry's events and data, the fired EPOLLONESHOT ones first.
 * Then each epoll is compared with what /proc/self/fdinfo shows of it
 * (EPOLLWAKEUP without CAP_BLOCK_SUSPEND is dropped without a word).
 * An entry whose fd is ready now is reported by the next epoll_wait(),
 * also an EPOLLET one whose edge the process had already been told of.
 */
static int rst_epolls(const struct rst_img *im)
{
	unsigned int i, j, pass;

	for (i = 0; i < im->n_files; i++) {
		const struct om_criu_file_entry *f = &im->files[i];
		int epfd;

		if (f->type != OM_CRIU_FD_EVENTPOLL)
			continue;
		epfd = rst_fd_of(im, f->id, OM_CRIU_FD_EVENTPOLL);
		if (epfd < 0)
			continue;	/* no fd has it: nothing can use it */
		for (pass = 0; pass < 2; pass++) {
			for (j = 0; j < f->epfd->n_tfd; j++) {
				const struct om_criu_eventpoll_tfd_entry *t = &f->epfd->tfd[j];
				struct epoll_event ev = { .events = t->events };

				if (rst_epoll_is_fired(t) != !pass)
					continue;
				if (!pass) {
					if (rst_epoll_fired(epfd, f, t))
						return -1;
					continue;
				}
				ev.data.u64 = t->data;
				if (epoll_ctl(epfd, EPOLL_CTL_ADD, (int)t->tfd, &ev)) {
					rst_fail("epoll %u: cannot watch fd %u: %s", f->id, t->tfd,
						 strerror(errno));
					return -1;
				}
			}
		}
		if (rst_epoll_verify(epfd, f))
			return -1;
	}
	return 0;
}

/*
 * Timerfds get their time last, just before OM_IOC_RESTORE loads the
 * memory (which then counts against them): what was left at the
 * checkpoint, as criu restores it, so the time between checkpoint and
 * restore does not count; an absolute (TFD_TIMER_ABSTIME) one is set to
 * now plus that.  Setting the time clears the ticks: they are given back
 * again.  Raw clock_gettime(): the vdso has moved.
 */
static int rst_timerfds(const struct rst_img *im)
{
	unsigned int i;

	for (i = 0; i < im->n_files; i++) {
		const struct om_criu_file_entry *f = &im->files[i];
		const struct om_criu_timerfd_entry *t = f->tfd;
		struct itimerspec its;
		uint64_t vs, vn;
		int fd;

		if (f->type != OM_CRIU_FD_TIMERFD)
			continue;
		fd = rst_fd_of(im, f->id, OM_CRIU_FD_TIMERFD);
		if (fd < 0)
			continue;
		om_criu_timerfd_value(t, &vs, &vn);
		memset(&its, 0, sizeof(its));
		its.it_interval.tv_sec = (time_t)t->isec;
		its.it_interval.tv_nsec = (long)t->insec;
		its.it_value.tv_sec = (time_t)vs;
		its.it_value.tv_nsec = (long)vn;
		if ((vs || vn) && (t->settime_flags & OM_CRIU_TFD_TIMER_ABSTIME)) {
			struct timespec now;

			if (syscall(SYS_clock_gettime, (clockid_t)t->clockid, &now)) {
				rst_fail("fd %d: clock %u: %s", fd, t->clockid, strerror(errno));
				return -1;
			}
			its.it_value.tv_sec += now.tv_sec;
			its.it_value.tv_nsec += now.tv_nsec;
			if (its.it_value.tv_nsec >= 1000000000L) {
				its.it_value.tv_sec++;
				its.it_value.tv_nsec -= 1000000000L;
			}
		}
		if (timerfd_settime(fd, (int)t->settime_flags, &its, NULL)) {
			rst_fail("fd %d: cannot set its timerfd: %s", fd, strerror(errno));
			return -1;
		}
		if (t->ticks && ioctl(fd, TFD_IOC_SET_TICKS, &t->ticks)) {
			rst_fail("fd %d: cannot give its timerfd %llu ticks (TFD_IOC_SET_TICKS): %s",
				 fd, (unsigned long long)t->ticks, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The child's failure, to omctl (the kernel reports success). */
static void rst_report(int sfd, int err)
{
	struct om_restore_status st;

	if (rst_tty_changed) {
		/* still in omctl's session: /dev/tty is its terminal, for any user */
		int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

		if (fd >= 0) {
			tcsetattr(fd, TCSANOW, &rst_tty_old);
			close(fd);
		}
	}

	memset(&st, 0, sizeof(st));
	st.err = err;
	snprintf(st.reason, sizeof(st.reason), "%s", rst_err);
	if (send(sfd, &st, sizeof(st), MSG_NOSIGNAL) != sizeof(st))
		_exit(EXIT_KERNEL);
}

static void __attribute__((noreturn))
rst_child(struct rst_img *im, int dfd, int dev, int sfd, uint32_t flags)
{
	struct om_restore_req req;
	int keep[3] = { dfd, dev, sfd };
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* omctl's terminal, as omctl's caller; then the image's own files as its user */
	if (rst_ctty_prepare(im)) {
		rst_report(sfd, -EINVAL);
		_exit(EXIT_KERNEL);
	}
	if (rst_ids_enter(im)) {
		rst_report(sfd, -EPERM);
		_exit(EXIT_KERNEL);
	}
	if (rst_fds(im, keep, 3)) {
		/* sfd may have moved: keep[2] is always valid here or unchanged */
		rst_report(keep[2], -EINVAL);
		_exit(EXIT_KERNEL);
	}
	dfd = keep[0];
	dev = keep[1];
	sfd = keep[2];
	if (rst_task(im) || rst_signals(im) || rst_creds(im) || rst_vdso(im) ||
	    rst_epolls(im) || rst_timerfds(im)) {
		rst_report(sfd, -EINVAL);
		_exit(EXIT_KERNEL);
	}
	/* root again (saved uid 0) to read the images; the kernel ends it */
	if (rst_root && geteuid() != 0 && setresuid(-1, 0, -1)) {
		rst_fail("cannot return to root: %s", strerror(errno));
		rst_report(sfd, -EPERM);
		_exit(EXIT_KERNEL);
	}
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = flags;
	req.dir_fd = dfd;
	req.status_fd = sfd;
	ioctl(dev, OM_IOC_RESTORE, &req);
	/* only failures come back here */
	req.reason[sizeof(req.reason) - 1] = 0;
	if (req.reason[0])
		rst_fail("%s", req.reason);
	else
		rst_fail("%s", strerror(errno));
	rst_report(sfd, -errno);
	_exit(EXIT_KERNEL);
}

/* Fault injection for tests, like CRIU_FAULT: OMCTL_FAULT=NAME[,NAME...] */
static bool rst_fault(const char *name)
{
	const char *f = getenv("OMCTL_FAULT");
	size_t n = strlen(name);

	while (f && *f) {
		if (!strncmp(f, name, n) && (f[n] == ',' || !f[n]))
			return true;
		f = strchr(f, ',');
		if (f)
			f++;
	}
	return false;
}

/* struct clone_args of <linux/sched.h>, which clashes with <sched.h> */
struct rst_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size;
};

/*
 * fork(), in the image's pid if we can.  A raw clone3 child has the
 * parent's TID cached in glibc's thread descriptor: the child must not use
 * raise() or pthread calls (it does not; it only makes plain syscalls
 * until OM_IOC_RESTORE replaces its memory).  Keeping the pid keeps
 * glibc's cached TID of the restored program right (robust and PI
 * mutexes) and what getpid() returned before.
 */
static pid_t rst_fork(uint32_t want)
{
	pid_t tid = (pid_t)want;
	struct rst_clone_args ca = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};
	long pid;

	if (want > 1 && want <= (1u << 22)) {
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
		if (pid >= 0)
			return pid;
		/* taken (EEXIST), not ours to choose (EPERM), or no clone3 */
		if (errno != EEXIST && errno != EPERM && errno != ENOSYS &&
		    errno != EINVAL && errno != E2BIG)
			return -1;
	}
	return fork();
}

static int rst_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_KERNEL;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* A restore that worked: the new pid and what the image held */
void om_restore_print(int pid, uint32_t image_pid, const char *dir,
		      const struct om_restore_status *st)
{
	open_json_object(NULL);
	print_string(PRINT_FP, NULL, "restored %s", dir);
	print_uint(PRINT_JSON, "pid", NULL, pid);
	print_uint(PRINT_ANY, "image_pid", " (image pid %u", image_pid);
	print_string(PRINT_JSON, "dir", NULL, dir);
	print_uint(PRINT_ANY, "vmas", ", %u vmas", st->vmas);
	print_u64(PRINT_ANY, "pages", ", %llu pages)", st->pages);
	print_uint(PRINT_FP, NULL, " as pid %u\n", pid);
	close_json_object();
	print_end();
}

int do_restore(int argc, char **argv)
{
	struct om_restore_status st;
	struct rst_img im;
	const char *dir = NULL;
	bool wait_it = false, trust = false;
	int i, dfd, dev, p[2];
	size_t got = 0;
	pid_t pid;

	if (argc < 1 || is_help(argv[0]))
		return rst_usage(argc < 1 ? stderr : stdout);
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--wait") || !strcmp(argv[i], "-w"))
			wait_it = true;
		else if (!strcmp(argv[i], "--trust-image"))
			trust = true;
		else if (!dir)
			dir = argv[i];
		else
			return toomany(argv[i]);
	}
	if (!dir)
		return rst_usage(stderr);

	memset(&im, 0, sizeof(im));
	rst_root = geteuid() == 0;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		fprintf(stderr, "omctl: %s: %s\n", dir, strerror(errno));
		return EXIT_KERNEL;
	}
	{
		struct stat st;

		if (fstat(dfd, &st)) {
			fprintf(stderr, "omctl: %s: %s\n", dir, strerror(errno));
			return EXIT_KERNEL;
		}
		rst_note_owner(&st, "the directory");
	}
	if (rst_read_images(dfd, &im) || rst_trust(&im, dir, trust)) {
		fprintf(stderr, "omctl: cannot restore %s: %s\n", dir, rst_err);
		return EXIT_KERNEL;
	}
	dev = open(OM_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "omctl: %s: %s (is the openmosix module loaded?)\n",
			OM_DEV_PATH, strerror(errno));
		return EXIT_KERNEL;
	}
	/* a socket, not a pipe: the kernel's report raises no SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p)) {
		fprintf(stderr, "omctl: socketpair: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}
	fflush(NULL);
	pid = rst_fork(im.pid);
	if (pid < 0) {
		fprintf(stderr, "omctl: fork: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}
	if (pid == 0) {
		close(p[0]);
		rst_child(&im, dfd, dev, p[1], trust ? OM_RST_TRUST_IMAGE : 0);
	}
	close(p[1]);
	close(dev);
	close(dfd);
	if (rst_fault("status-closed")) {
		/* as if omctl died before the kernel's report: no one reads it */
		close(p[0]);
		fprintf(stderr, "omctl: OMCTL_FAULT=status-closed: not reading the status of pid %d\n",
			(int)pid);
		return wait_it ? rst_wait(pid) : 0;
	}
	while (got < sizeof(st)) {
		ssize_t n = read(p[0], (char *)&st + got, sizeof(st) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(p[0]);
	if (got != sizeof(st) || st.err) {
		st.reason[sizeof(st.reason) - 1] = 0;
		if (got != sizeof(st))
			fprintf(stderr, "omctl: cannot restore %s: the restoring process died\n", dir);
		else
			fprintf(stderr, "omctl: cannot restore %s: %s%s%s\n", dir,
				st.reason[0] ? st.reason : strerror(-st.err),
				st.reason[0] ? " - " : "",
				st.reason[0] ? strerror(-st.err) : "");
		rst_wait(pid);
		return EXIT_KERNEL;
	}
	om_restore_print(pid, im.pid, dir, &st);
	fflush(stdout);
	return wait_it ? rst_wait(pid) : 0;
}

/* ------------------------------------------------------------ the keeper */

static int guest_req(int dev, uint32_t op, uint64_t id, struct om_guest_req *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->op = op;
	q->id = id;
	return ioctl(dev, OM_IOC_GUEST, q);
}

static void guest_report_fail(int dev, uint64_t id, int err, const char *why)
{
	struct om_guest_req q;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.op = OM_GUEST_REPORT;
	q.id = id;
	q.status = err < 0 ? err : -EIO;
	snprintf(q.reason, sizeof(q.reason), "%s", why);
	ioctl(dev, OM_IOC_GUEST, &q);
}

/*
 * omctl guest ID: not for people.  The kernel starts it (as root, with no
 * files open) for each process that arrives at this node: it restores the
 * process from the image the kernel received, as omctl restore does, in a
 * child that the kernel makes the guest of migration ID, then reports
 * every wait status of that child until it ends.  Its messages go to the
 * kernel log.
 */
int do_guest(int argc, char **argv)
{
	struct om_restore_status st;
	struct om_guest_req q;
	struct rst_img im;
	uint64_t id;
	char *end;
	int dev, dfd, p[2], fd, status;
	size_t got = 0;
	pid_t pid;

	/* stdin/stdout on /dev/null, stderr to the kernel log */
	fd = open("/dev/null", O_RDWR);
	while (fd >= 0 && fd < 2)
		fd = dup(fd);
	if (fd > 2)
		close(fd);
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd >= 0 && fd != 2) {
		dup2(fd, 2);
		close(fd);
	}
	if (argc != 1 || geteuid() != 0) {
		fprintf(stderr, "omctl guest: run by the kernel only (omctl guest ID, as root)\n");
		return EXIT_USAGE;
	}
	errno = 0;
	id = strtoull(argv[0], &end, 16);
	if (errno || *end || !id) {
		fprintf(stderr, "omctl guest: bad migration id %s\n", argv[0]);
		return EXIT_USAGE;
	}
	dev = open(OM_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "omctl guest: %s: %s\n", OM_DEV_PATH, strerror(errno));
		return EXIT_KERNEL;
	}
	if (guest_req(dev, OM_GUEST_OPEN, id, &q)) {
		fprintf(stderr, "omctl guest %s: %s\n", argv[0], strerror(errno));
		return EXIT_KERNEL;
	}
	dfd = q.fd;
	memset(&im, 0, sizeof(im));
	rst_root = true;
	/* the kernel wrote the images: root's, and its peer vouches for them */
	if (rst_read_images(dfd, &im) || rst_trust(&im, "the received image", true)) {
		fprintf(stderr, "omctl guest %s: %s\n", argv[0], rst_err);
		guest_report_fail(dev, id, -EINVAL, rst_err);
		return EXIT_KERNEL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p)) {
		guest_report_fail(dev, id, -errno, "socketpair failed");
		return EXIT_KERNEL;
	}
	/* last before the fork: the clocks stand still from here to the child's start */
	rst_timens(&im, argv[0]);
	pid = fork();
	if (pid < 0) {
		guest_report_fail(dev, id, -errno, "fork failed");
		return EXIT_KERNEL;
	}
	if (pid == 0) {
		close(p[0]);
		/* a session of its own: its terminal and job control are at home */
		setsid();
		if (guest_req(dev, OM_GUEST_ATTACH, id, &q)) {
			rst_fail("cannot attach to migration %s: %s", argv[0], strerror(errno));
			rst_report(p[1], -errno);
			_exit(EXIT_KERNEL);
		}
		rst_child(&im, dfd, dev, p[1], OM_RST_TRUST_IMAGE);
	}
	close(p[1]);
	close(dfd);
	while (got < sizeof(st)) {
		ssize_t n = read(p[0], (char *)&st + got, sizeof(st) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(p[0]);
	if (got != sizeof(st) || st.err) {
		st.reason[sizeof(st.reason) - 1] = 0;
		if (got != sizeof(st))
			snprintf(st.reason, sizeof(st.reason), "the restoring process died");
		fprintf(stderr, "omctl guest %s: cannot restore: %s\n", argv[0], st.reason);
		guest_report_fail(dev, id, got == sizeof(st) ? st.err : -EIO, st.reason);
		rst_wait(pid);
		return EXIT_KERNEL;
	}
	for (;;) {
		if (waitpid(pid, &status, WUNTRACED | WCONTINUED) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.op = OM_GUEST_REPORT;
		q.id = id;
		q.running = 1;
		q.status = status;
		ioctl(dev, OM_IOC_GUEST, &q);
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
	}
	close(dev);
	return 0;
}
