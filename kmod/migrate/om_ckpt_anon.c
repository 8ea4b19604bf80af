// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * eventfd, signalfd, timerfd and epoll files.  Their state is private to
 * fs/eventfd.c, fs/signalfd.c, fs/timerfd.c and fs/eventpoll.c; the one
 * way out is each file's own show_fdinfo, the text /proc/PID/fdinfo
 * shows and criu parses, which we print into a seq_file of our own.  It
 * is read in the frozen target (om_dump_capture()), checked to be
 * restorable exactly, and written as criu's efd, sgfd, tfd and epfd
 * entries of files.img.  The files are told apart by the anon inode
 * file system and the name their dentry was given ("[eventfd]", ...).
 *
 * Refused with a reason, before anything is killed:
 *  - an eventfd whose fdinfo does not say whether it is EFD_SEMAPHORE
 *    ("eventfd-semaphore:" is not in Linux 6.1: no exported interface
 *    tells it there without reading and writing the counter), or whose
 *    counter overflowed (ULLONG_MAX: only eventfd_signal() makes it);
 *  - a timerfd on an alarm clock, or set with TFD_TIMER_CANCEL_ON_SET
 *    (whether a clock change cancelled it is not shown);
 *  - an epoll entry whose fd number no longer names the file it was
 *    added with (the fd closed after EPOLL_CTL_ADD, the file living on
 *    elsewhere, or replaced), and a watched file that an epoll the image
 *    cannot name (another process's) watches too: what each epoll entry
 *    watches is not shown, only the fd number it was added with and the
 *    file's inode, so every entry must be accounted for (below);
 *  - a fired EPOLLONESHOT entry on an fd with no event now (the restore
 *    fires it again to make it).
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/dcache.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/poll.h>
#include <linux/eventpoll.h>
#include <linux/delay.h>
#include <linux/uaccess.h>
#include <linux/timerfd.h>
#include <linux/magic.h>
#include <linux/sched/task_stack.h>
#include <linux/time.h>
#include <asm/ptrace.h>

#include "om_ckpt.h"

/* fdinfo text of one file: 4 KiB, grown for epolls up to this */
#define OM_FDINFO_MAX		(1u << 20)
/*
 * a periodic timerfd found expired is read and looked at again this often
 * (a vCPU held off for longer than a period between the two looks sees
 * it expired again: a 20 ms period on a loaded TCG host)
 */
#define OM_TFD_SETTLE_TRIES	16

u32 om_anon_type(const struct file *f)
{
	const char *name;

	if (file_inode(f)->i_sb->s_magic != ANON_INODE_FS_MAGIC || !f->f_op->show_fdinfo)
		return 0;
	/* the name anon_inode_getfile() gave: never renamed */
	name = (const char *)f->f_path.dentry->d_name.name;
	if (!strcmp(name, "[eventfd]"))
		return OM_CRIU_FD_EVENTFD;
	if (!strcmp(name, "[signalfd]"))
		return OM_CRIU_FD_SIGNALFD;
	if (!strcmp(name, "[timerfd]"))
		return OM_CRIU_FD_TIMERFD;
	if (!strcmp(name, "[eventpoll]"))
		return OM_CRIU_FD_EVENTPOLL;
	return 0;
}

static const char *om_anon_name(u32 type)
{
	switch (type) {
	case OM_CRIU_FD_EVENTFD:
		return "eventfd";
	case OM_CRIU_FD_SIGNALFD:
		return "signalfd";
	case OM_CRIU_FD_TIMERFD:
		return "timerfd";
	default:
		return "epoll";
	}
}

/* The file's show_fdinfo text, NUL-terminated (kvfree it), or an ERR_PTR. */
static char *om_fdinfo(struct file *f)
{
	struct seq_file *m;
	size_t size = PAGE_SIZE;
	char *buf;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	for (;;) {
		buf = kvmalloc(size + 1, GFP_KERNEL);
		if (!buf)
			break;
		memset(m, 0, sizeof(*m));
		m->buf = buf;
		m->size = size;
		f->f_op->show_fdinfo(m, f);
		if (!seq_has_overflowed(m)) {
			buf[m->count] = 0;
			break;
		}
		kvfree(buf);
		buf = ERR_PTR(-E2BIG);
		if (size >= OM_FDINFO_MAX)
			break;
		size *= 4;
	}
	kfree(m);
	return buf ? buf : ERR_PTR(-ENOMEM);
}

/* What follows "key" at the start of a line of @buf, or NULL. */
static const char *om_fdinfo_field(const char *buf, const char *key)
{
	size_t kl = strlen(key);
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, key, kl))
			return p + kl;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The number after "key" (spaces skipped), to the end of its line. */
static int om_fdinfo_num(const char *buf, const char *key, unsigned int base, u64 *v)
{
	const char *p = om_fdinfo_field(buf, key);
	char num[24];
	size_t n;

	if (!p)
		return -ENOENT;
	p = skip_spaces(p);
	n = strcspn(p, "\n");
	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, p, n);
	num[n] = 0;
	return kstrtoull(num, base, v);
}

static int om_anon_unreadable(struct om_ckpt_anon *a, char *reason)
{
	om_reason(reason, "fd %u: cannot read the state of its %s (unexpected fdinfo)",
		  a->fd, om_anon_name(a->type));
	return -EINVAL;
}

static int om_anon_eventfd(struct om_ckpt_anon *a, const char *buf, char *reason)
{
	u64 sem;
	int err;

	if (om_fdinfo_num(buf, "eventfd-count:", 16, &a->efd.count))
		return om_anon_unreadable(a, reason);
	err = om_fdinfo_num(buf, "eventfd-semaphore:", 10, &sem);
	if (err == -ENOENT) {
		om_reason(reason, "fd %u is an eventfd, and this kernel does not show whether it is EFD_SEMAPHORE (its fdinfo has no eventfd-semaphore: line, as on Linux 6.1)",
			  a->fd);
		return -EOPNOTSUPP;
	}
	if (err || sem > 1)
		return om_anon_unreadable(a, reason);
	a->efd.sem = sem;
	if (a->efd.count > OM_CRIU_EVENTFD_MAX) {
		om_reason(reason, "fd %u is an eventfd whose counter overflowed (ULLONG_MAX: no write() can make it again)",
			  a->fd);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int om_anon_signalfd(struct om_ckpt_anon *a, const char *buf, char *reason)
{
	/* render_sigset_t(): hex, signal n is bit n - 1, as criu stores it */
	if (om_fdinfo_num(buf, "sigmask:", 16, &a->sigmask))
		return om_anon_unreadable(a, reason);
	return 0;
}

static int om_anon_timerfd(struct om_ckpt_anon *a, const char *buf, char *reason)
{
	struct om_ckpt_tfd *t = &a->tfd;
	const char *v = om_fdinfo_field(buf, "it_value:");
	const char *i = om_fdinfo_field(buf, "it_interval:");
	u64 clockid, flags;

	if (om_fdinfo_num(buf, "clockid:", 10, &clockid) || clockid > INT_MAX ||
	    om_fdinfo_num(buf, "ticks:", 10, &t->ticks) ||
	    om_fdinfo_num(buf, "settime flags:", 8, &flags) || flags > U32_MAX ||
	    !v || sscanf(v, " (%llu, %llu)", &t->vsec, &t->vnsec) != 2 ||
	    !i || sscanf(i, " (%llu, %llu)", &t->isec, &t->insec) != 2)
		return om_anon_unreadable(a, reason);
	t->clockid = clockid;
	t->flags = flags;
	if (t->clockid == CLOCK_REALTIME_ALARM || t->clockid == CLOCK_BOOTTIME_ALARM) {
		om_reason(reason, "fd %u is a timerfd on an alarm clock (not supported: recreating it needs CAP_WAKE_ALARM)",
			  a->fd);
		return -EOPNOTSUPP;
	}
	if (t->flags & TFD_TIMER_CANCEL_ON_SET) {
		om_reason(reason, "fd %u is a timerfd set with TFD_TIMER_CANCEL_ON_SET (not supported: whether a clock change cancelled it is not shown)",
			  a->fd);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* One line of an epoll's fdinfo per entry, in the order of its tree. */
static int om_anon_epoll(struct om_ckpt_anon *a, const char *buf, char *reason)
{
	const char *p;
	u32 n = 0, i;

	for (p = om_fdinfo_field(buf, "tfd:"); p; p = om_fdinfo_field(p, "tfd:"))
		n++;
	if (n > OM_CKPT_MAX_FDS) {
		om_reason(reason, "fd %u is an epoll watching more than %u fds", a->fd,
			  OM_CKPT_MAX_FDS);
		return -E2BIG;
	}
	if (!n)
		return 0;
	a->ep.items = kvcalloc(n, sizeof(*a->ep.items), GFP_KERNEL);
	if (!a->ep.items)
		return -ENOMEM;
	for (i = 0, p = om_fdinfo_field(buf, "tfd:"); i < n; i++, p = om_fdinfo_field(p, "tfd:")) {
		struct om_ckpt_epitem *it = &a->ep.items[i];
		int tfd;

		if (!p || sscanf(p, "%d events: %x data: %llx pos:%lli ino:%lx sdev:%x",
				 &tfd, &it->events, &it->data, &it->pos, &it->ino,
				 &it->sdev) != 6 || tfd < 0)
			return om_anon_unreadable(a, reason);
		it->tfd = tfd;
	}
	a->ep.n = n;
	return 0;
}

static int om_anon_read(struct om_ckpt_anon *a, char *reason)
{
	char *buf = om_fdinfo(a->file);
	int err;

	if (IS_ERR(buf)) {
		err = PTR_ERR(buf);
		if (err == -E2BIG)
			om_reason(reason, "fd %u: its %s's fdinfo is over %u KiB", a->fd,
				  om_anon_name(a->type), OM_FDINFO_MAX >> 10);
		return err;
	}
	switch (a->type) {
	case OM_CRIU_FD_EVENTFD:
		err = om_anon_eventfd(a, buf, reason);
		break;
	case OM_CRIU_FD_SIGNALFD:
		err = om_anon_signalfd(a, buf, reason);
		break;
	case OM_CRIU_FD_TIMERFD:
		err = om_anon_timerfd(a, buf, reason);
		break;
	default:
		kvfree(a->ep.items);
		a->ep.items = NULL;
		a->ep.n = 0;
		err = om_anon_epoll(a, buf, reason);
		break;
	}
	kvfree(buf);
	return err;
}

/* No time left, no ticks: disarmed, or due and its interrupt not run yet. */
static bool om_tfd_idle(const struct om_ckpt_tfd *t)
{
	return !t->vsec && !t->vnsec && !t->ticks;
}

/* Expired, periodic, not read: not rearmed until read (timerfd_read()). */
static bool om_tfd_expired(const struct om_ckpt_tfd *t)
{
	return !t->vsec && !t->vnsec && t->ticks && (t->isec || t->insec);
}

/* fds of st->fds[] on @f, and whether anyone else holds it */
static bool om_anon_shared(const struct om_ckpt_state *st, const struct file *f)
{
	unsigned int k, refs = 0;

	for (k = 0; k < st->n_fds; k++)
		refs += st->fds[k].file == f;
	/* the fd table's reference and ours per fd */
	return file_count(f) > 2 * refs;
}

/*
 * A periodic timerfd that expired and was not read shows one tick and no
 * time left: how many periods have passed since, and when the next one
 * ends, are not shown.  Read it as the process would (timerfd_read()
 * counts the periods and rearms it on its grid), then give the ticks
 * back with TFD_IOC_SET_TICKS: the same timer, now showing its next
 * expiry, and the same ticks for the next read (the process's view does
 * not change: a read before the next expiry returns them, one after adds
 * the periods since, as before).  Pollers of it are woken once more.
 * Both take user memory: the 8 bytes at the target's stack pointer, put
 * back after.  Not for a timerfd another process holds (it could read
 * in between).  In the frozen target.
 */
static int om_tfd_settle(struct om_ckpt_state *st, struct om_ckpt_anon *a, char *reason)
{
	unsigned long sp = task_pt_regs(current)->sp & ~7UL;
	u64 __user *u = (u64 __user *)sp;
	struct file *f = a->file;
	struct vm_area_struct *vma;
	u64 saved, ticks = 0;
	loff_t pos = 0;
	ssize_t n;
	bool ok;
	int err;

	if (om_anon_shared(st, f)) {
		om_reason(reason, "fd %u is a periodic timerfd that expired and was not read, held by another process too (the periods since are not shown)",
			  a->fd);
		return -EBUSY;
	}
	if (!f->f_op->unlocked_ioctl) {
		om_reason(reason, "fd %u: a periodic timerfd that expired and was not read, and no TFD_IOC_SET_TICKS (CONFIG_CHECKPOINT_RESTORE)",
			  a->fd);
		return -EOPNOTSUPP;
	}
	if (mmap_read_lock_killable(current->mm))
		return -EINTR;
	vma = find_vma(current->mm, sp);
	ok = vma && vma->vm_start <= sp && vma_is_anonymous(vma) &&
	     (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	mmap_read_unlock(current->mm);
	if (!ok || get_user(saved, u)) {
		om_reason(reason, "fd %u: cannot settle its expired periodic timerfd (no stack to work on)",
			  a->fd);
		return -EFAULT;
	}
	/* 6.1's timerfd has .read, 6.12's .read_iter (kernel_read() wants that) */
	if (f->f_op->read) {
		n = f->f_op->read(f, (char __user *)u, sizeof(ticks), &pos);
		if (n == sizeof(ticks) && get_user(ticks, u))
			n = -EFAULT;
	} else {
		n = kernel_read(f, &ticks, sizeof(ticks), &pos);
	}
	err = n == sizeof(ticks) ? 0 : n < 0 ? (int)n : -EIO;
	if (!err && ticks) {
		err = put_user(ticks, u);
		if (!err)
			err = f->f_op->unlocked_ioctl(f, TFD_IOC_SET_TICKS, (unsigned long)u);
	}
	if (put_user(saved, u) && !err)
		err = -EFAULT;
	if (err) {
		om_reason(reason, "fd %u: cannot settle its expired periodic timerfd: %d", a->fd, err);
		return err;
	}
	return om_anon_read(a, reason);
}

/* timerfds: looked at again when they may have changed under us */
static int om_anon_timerfds(struct om_ckpt_state *st, char *reason)
{
	unsigned int i, k;
	bool again = false;
	int err;

	for (i = 0; i < st->n_anon; i++)
		again |= st->anon[i].type == OM_CRIU_FD_TIMERFD && om_tfd_idle(&st->anon[i].tfd);
	if (again) {
		/* one due now shows the same until its hrtimer interrupt runs */
		usleep_range(2000, 3000);
		for (i = 0; i < st->n_anon; i++) {
			struct om_ckpt_anon *a = &st->anon[i];

			if (a->type != OM_CRIU_FD_TIMERFD || !om_tfd_idle(&a->tfd))
				continue;
			err = om_anon_read(a, reason);
			if (err)
				return err;
		}
	}
	for (i = 0; i < st->n_anon; i++) {
		struct om_ckpt_anon *a = &st->anon[i];

		for (k = 0; k < OM_TFD_SETTLE_TRIES && a->type == OM_CRIU_FD_TIMERFD &&
			    om_tfd_expired(&a->tfd); k++) {
			err = om_tfd_settle(st, a, reason);
			if (err)
				return err;
		}
		if (a->type == OM_CRIU_FD_TIMERFD && om_tfd_expired(&a->tfd)) {
			om_reason(reason, "fd %u is a timerfd whose period (%llu.%09llu s) is too short to record it",
				  a->fd, a->tfd.isec, a->tfd.insec);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* Index in st->fds[] (sorted by fd) of fd @fd, or -1. */
static int om_fd_index(const struct om_ckpt_state *st, u32 fd)
{
	int lo = 0, hi = (int)st->n_fds - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (st->fds[mid].fd == fd)
			return mid;
		if (st->fds[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The first index in st->fds[] of the file at index @k. */
static unsigned int om_fd_first(const struct om_ckpt_state *st, unsigned int k)
{
	unsigned int j;

	for (j = 0; j < k; j++)
		if (st->fds[j].file == st->fds[k].file)
			return j;
	return k;
}

/* epoll entries on @f, from any epoll (file->f_ep, under f_lock) */
static unsigned int om_epoll_watchers(struct file *f)
{
	unsigned int n = 0;
#ifdef CONFIG_EPOLL
	struct hlist_node *node;

	spin_lock(&f->f_lock);
	if (f->f_ep)
		hlist_for_each(node, f->f_ep)
			n++;
	spin_unlock(&f->f_lock);
#endif
	return n;
}

/*
 * Each epoll entry is recorded with the fd number it was added with and
 * restored on whatever that fd is at restore: the file there must be the
 * one it watches.  The fdinfo shows the watched file's inode, device and
 * offset, which the file at that fd must have (this alone cannot tell
 * two eventfds apart: they share one anon inode), and every entry on a
 * file of the process must be one that names it: as many entries watch
 * each file (the kernel's list of them, file->f_ep) as name it by fd.
 * An fd closed after it was added, its file living on (dup()ed, another
 * process), its number taken by another file, breaks the count.  Two
 * entries of one epoll that swapped fds (dup2()) keep the count: the
 * kernel keeps an epoll's entries ordered by file and fd
 * (ep_cmp_ffd()), and the fdinfo lists them in that order, which the
 * files their fds name now must follow too.  What cannot be told is two
 * entries of two epolls on files of one inode whose fds were exchanged:
 * kcmp(KCMP_EPOLL_TFD), criu's way, is a system call modules cannot make.
 */
static int om_anon_epoll_check(struct om_ckpt_state *st, char *reason)
{
	unsigned int i, j, k, *claims;
	int err = 0;

	claims = kvcalloc(st->n_fds ? st->n_fds : 1, sizeof(*claims), GFP_KERNEL);
	if (!claims)
		return -ENOMEM;
	for (i = 0; i < st->n_anon && !err; i++) {
		const struct om_ckpt_anon *a = &st->anon[i];
		const struct file *prev = NULL;
		u32 prev_fd = 0;

		if (a->type != OM_CRIU_FD_EVENTPOLL)
			continue;
		for (j = 0; j < a->ep.n; j++) {
			const struct om_ckpt_epitem *it = &a->ep.items[j];
			int idx = om_fd_index(st, it->tfd);
			struct inode *inode;
			struct file *f;

			if (idx < 0) {
				om_reason(reason, "fd %u is an epoll watching fd %u, closed after it was added (its file lives on)",
					  a->fd, it->tfd);
				err = -EBUSY;
				break;
			}
			f = st->fds[idx].file;
			inode = file_inode(f);
			if (inode->i_ino != it->ino || inode->i_sb->s_dev != it->sdev ||
			    f->f_pos != it->pos) {
				om_reason(reason, "fd %u is an epoll watching fd %u, which is another file now (closed after it was added)",
					  a->fd, it->tfd);
				err = -EBUSY;
				break;
			}
			if (prev && (f < prev || (f == prev && it->tfd <= prev_fd))) {
				om_reason(reason, "fd %u is an epoll watching fds %u and %u, whose files were exchanged after they were added",
					  a->fd, prev_fd, it->tfd);
				err = -EBUSY;
				break;
			}
			/*
			 * an EPOLLONESHOT entry that fired keeps none of its events
			 * (not even the EPOLLERR|EPOLLHUP every epoll_ctl() adds):
			 * the restore makes it by letting it fire again on an event
			 * its fd has, as it has now (in the frozen target)
			 */
			if (!(it->events & (EPOLLERR | EPOLLHUP)) &&
			    !(vfs_poll(f, NULL) & ~EPOLLNVAL)) {
				om_reason(reason, "fd %u is an epoll whose fired EPOLLONESHOT entry for fd %u cannot be made again (fd %u has no event now to fire it)",
					  a->fd, it->tfd, it->tfd);
				err = -EBUSY;
				break;
			}
			prev = f;
			prev_fd = it->tfd;
			claims[om_fd_first(st, idx)]++;
		}
	}
	for (k = 0; k < st->n_fds && !err; k++) {
		struct file *f = st->fds[k].file;
		unsigned int n;

#ifdef CONFIG_EPOLL
		if (!READ_ONCE(f->f_ep) && !claims[k])
			continue;
#endif
		if (om_fd_first(st, k) != k)
			continue;
		n = om_epoll_watchers(f);
		if (n > claims[k]) {
			om_reason(reason, "fd %u is watched by %u epoll entries, %u of them by this fd number in the process's epolls (an epoll of another process, or an fd closed after it was added)",
				  st->fds[k].fd, n, claims[k]);
			err = -EBUSY;
		} else if (n < claims[k]) {
			om_reason(reason, "fd %u is named by %u epoll entries but watched by %u (an fd closed and reused after it was added)",
				  st->fds[k].fd, claims[k], n);
			err = -EBUSY;
		}
	}
	kvfree(claims);
	return err;
}

int om_ckpt_anon_capture(struct om_ckpt_state *st, char *reason)
{
	unsigned int k, i, n = 0;
	int err;

	for (k = 0; k < st->n_fds; k++)
		n += !!om_anon_type(st->fds[k].file);
	if (!n)	/* its files may still be watched by other processes' epolls */
		return om_anon_epoll_check(st, reason);
	st->anon = kvcalloc(n, sizeof(*st->anon), GFP_KERNEL);
	if (!st->anon)
		return -ENOMEM;
	for (k = 0; k < st->n_fds; k++) {
		struct file *f = st->fds[k].file;
		u32 type = om_anon_type(f);
		struct om_ckpt_anon *a;

		if (!type)
			continue;
		for (i = 0; i < st->n_anon && st->anon[i].file != f; i++)
			;
		if (i < st->n_anon)
			continue;	/* another fd of it */
		a = &st->anon[st->n_anon++];
		a->file = f;
		a->type = type;
		a->fd = st->fds[k].fd;
		err = om_anon_read(a, reason);
		if (err)
			return err;
	}
	err = om_anon_timerfds(st, reason);
	return err ? err : om_anon_epoll_check(st, reason);
}

void om_ckpt_anon_release(struct om_ckpt_state *st)
{
	unsigned int i;

	for (i = 0; i < st->n_anon; i++)
		if (st->anon[i].type == OM_CRIU_FD_EVENTPOLL)
			kvfree(st->anon[i].ep.items);
	kvfree(st->anon);
	st->anon = NULL;
	st->n_anon = 0;
}

const struct om_ckpt_anon *om_ckpt_anon_of(const struct om_ckpt_state *st,
					   const struct file *f)
{
	unsigned int i;

	for (i = 0; i < st->n_anon; i++)
		if (st->anon[i].file == f)
			return &st->anon[i];
	return NULL;
}

/* The file_entry of one of them, as criu writes it; @id is its file id. */
int om_ckpt_anon_write(struct om_pb_sink *sink, const struct om_ckpt_anon *a, u32 id,
		       u32 flags)
{
	struct om_criu_fown_entry fown = {};
	struct om_criu_file_entry fe = { .type = a->type, .id = id };
	struct om_criu_eventfd_file_entry efd = {
		.id = id, .flags = flags, .fown = &fown, .counter = a->efd.count,
		/* our field, only when set: criu's images have none */
		.has_semaphore = a->efd.sem, .semaphore = a->efd.sem,
	};
	struct om_criu_signalfd_entry sgfd = {
		.id = id, .flags = flags, .fown = &fown, .sigmask = a->sigmask,
	};
	struct om_criu_timerfd_entry tfd = {
		.id = id, .flags = flags, .fown = &fown, .clockid = a->tfd.clockid,
		.ticks = a->tfd.ticks, .settime_flags = a->tfd.flags,
		.vsec = a->tfd.vsec, .vnsec = a->tfd.vnsec,
		.isec = a->tfd.isec, .insec = a->tfd.insec,
	};
	struct om_criu_eventpoll_file_entry ep = { .id = id, .flags = flags, .fown = &fown };
	struct om_criu_eventpoll_tfd_entry *t = NULL;
	u32 i;
	int err;

	switch (a->type) {
	case OM_CRIU_FD_EVENTFD:
		fe.efd = &efd;
		break;
	case OM_CRIU_FD_SIGNALFD:
		fe.sgfd = &sgfd;
		break;
	case OM_CRIU_FD_TIMERFD:
		fe.tfd = &tfd;
		break;
	case OM_CRIU_FD_EVENTPOLL:
		if (a->ep.n) {
			t = kvcalloc(a->ep.n, sizeof(*t), GFP_KERNEL);
			if (!t)
				return -ENOMEM;
		}
		for (i = 0; i < a->ep.n; i++) {
			const struct om_ckpt_epitem *it = &a->ep.items[i];

			/* dev, inode, pos: what criu records to find the file */
			t[i] = (struct om_criu_eventpoll_tfd_entry){
				.id = id, .tfd = it->tfd, .events = it->events, .data = it->data,
				.has_dev = true, .dev = it->sdev,
				.has_inode = true, .inode = it->ino,
				.has_pos = true, .pos = it->pos,
			};
		}
		ep.tfd = t;
		ep.n_tfd = a->ep.n;
		fe.epfd = &ep;
		break;
	default:
		return -EINVAL;
	}
	err = om_criu_write_entry(sink, &om_criu_file_entry_desc, &fe);
	kvfree(t);
	return err;
}
