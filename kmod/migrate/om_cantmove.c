// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * "cantmove": why a process cannot be checkpointed.  The checks run
 * twice: from the checkpointer before the target is touched at all
 * (om_cantmove_task), and again in the target's own context once it is
 * frozen (om_cantmove_current, and per VMA / file while they are
 * serialized), because the process may change in between.  A refused
 * process keeps running.
 */
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/pipe_fs_i.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/stdarg.h>
#include <linux/hugetlb.h>
#include <linux/major.h>
#include <linux/kdev_t.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/rbtree.h>

#include "om_core.h"

#include "om_ckpt.h"

void om_reason(char *reason, const char *fmt, ...)
{
	va_list ap;

	if (!reason || reason[0])	/* keep the first reason */
		return;
	va_start(ap, fmt);
	vsnprintf(reason, OM_CKPT_REASON_LEN, fmt, ap);
	va_end(ap);
}

/* Signal-related state shared by the two task checks; siglock not needed. */
static int om_cantmove_signal(struct task_struct *t, char *reason)
{
	struct sighand_struct *sh;
	bool shared;

	/*
	 * itimers and POSIX timers are recorded in the target's context
	 * (om_dump.c), which refuses those it cannot (CPU-time and alarm
	 * clocks): another process's timer list needs its siglock.
	 */
	/* t may be exiting: sighand goes away in __exit_signal() (RCU-safe) */
	rcu_read_lock();
	sh = rcu_dereference(t->sighand);
	shared = sh ? refcount_read(&sh->count) > 1 : false;
	rcu_read_unlock();
	if (!sh) {
		om_reason(reason, "process is exiting");
		return -ESRCH;
	}
	if (shared) {
		om_reason(reason, "signal handlers shared with another process");
		return -EBUSY;
	}
	return 0;
}

/*
 * The system root (init's, which kernel threads and the remote's keeper
 * share): a migration names files from it at home and opens them from
 * it at the remote.
 */
static bool om_root_is_system(const struct path *root)
{
	struct path sys;
	bool same;

	get_fs_root(init_task.fs, &sys);
	same = path_equal(root, &sys);
	path_put(&sys);
	return same;
}

/*
 * cwd and root must still exist: the restore opens them by path.  A
 * migration also needs the system root: in a chroot or another mount
 * namespace the remote would map its own files under the process's
 * names (a checkpoint names them for a restore in the same root).
 */
static int om_cantmove_fs(struct task_struct *t, unsigned int cm, char *reason)
{
	struct path pwd, root;
	int err = 0;

	task_lock(t);
	if (!t->fs) {
		task_unlock(t);
		om_reason(reason, "process is exiting");
		return -ESRCH;
	}
	get_fs_pwd(t->fs, &pwd);
	get_fs_root(t->fs, &root);
	task_unlock(t);
	if (d_unlinked(pwd.dentry)) {
		om_reason(reason, "its working directory was removed");
		err = -ENOENT;
	} else if (d_unlinked(root.dentry)) {
		om_reason(reason, "its root directory (chroot) was removed");
		err = -ENOENT;
	} else if ((cm & OM_CM_MIGRATE) && !om_root_is_system(&root)) {
		om_reason(reason, "runs in a chroot or another mount namespace");
		err = -EBUSY;
	}
	path_put(&pwd);
	path_put(&root);
	return err;
}

/* Checks common to both contexts; t is current or t is pinned. */
static int om_cantmove_common(struct task_struct *t, unsigned int cm, char *reason)
{
	int nr;

	if (t->flags & (PF_KTHREAD | PF_IO_WORKER)) {
		om_reason(reason, "kernel thread");
		return -EPERM;
	}
	if ((t->flags & PF_EXITING) || t->exit_state) {
		om_reason(reason, "process is exiting");
		return -ESRCH;
	}
	nr = get_nr_threads(t);
	if (nr > 1) {
		om_reason(reason, "multi-threaded (%d threads)", nr);
		return -EBUSY;
	}
	if (t->ptrace) {
		om_reason(reason, "ptraced");
		return -EBUSY;
	}
	/*
	 * Any child, running, stopped or a zombie not yet waited for: the
	 * restored process would not be its parent.  An unlocked look is
	 * enough; a frozen target cannot fork, and is looked at again.
	 * A migrated process keeps its children: they stay with its deputy.
	 */
	if (!(cm & OM_CM_MIGRATE) && !list_empty(&t->children)) {
		om_reason(reason, "has children (process trees are not supported yet)");
		return -EBUSY;
	}
	if (!list_empty(&t->ptraced)) {
		om_reason(reason, "traces another process (ptrace)");
		return -EBUSY;
	}
	if (t->io_uring) {
		om_reason(reason, "uses io_uring");
		return -EBUSY;
	}
	if (t->seccomp.mode) {
		om_reason(reason, "seccomp mode %d", t->seccomp.mode);
		return -EBUSY;
	}
	nr = om_cantmove_signal(t, reason);
	return nr ? nr : om_cantmove_fs(t, cm, reason);
}

struct om_fdcheck {
	char *reason;
	int err;
};

static int om_fdcheck_cb(const void *p, struct file *f, unsigned int fd)
{
	struct om_fdcheck *fc = (struct om_fdcheck *)p;

	fc->err = om_cantmove_file(f, fd, fc->reason);
	return fc->err;
}

/* State of the mm itself, no VMA's; mmap_lock held. */
static int om_cantmove_mm(struct mm_struct *mm, char *reason)
{
	/* no image field: mappings made after the restore would not be locked */
	if (mm->def_flags & VM_LOCKED) {
		om_reason(reason, "mlockall(MCL_FUTURE) is in effect (not supported yet)");
		return -EBUSY;
	}
	return 0;
}

/*
 * Does another process run in @mm (CLONE_VM, either side of a vfork)?
 * mm_users also counts passing references (a reader of /proc/PID/cmdline,
 * our own process views), so when it says more than two, look at who
 * really has it.
 */
static bool om_mm_shared(struct task_struct *t, struct mm_struct *mm)
{
	struct task_struct *p, *th;
	bool shared = false;

	rcu_read_lock();
	for_each_process(p) {
		if (same_thread_group(p, t))
			continue;
		for_each_thread(p, th) {
			if (READ_ONCE(th->mm) == mm) {
				shared = true;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	return shared;
}

/*
 * t is pinned (get_task_struct).  view: for a process view (omctl proc,
 * /proc/hpc/procs), where t may be current and the caller may hold a
 * lock others wait for (genetlink's): never wait for t's mmap_lock.
 */
static int om_cantmove_other(struct task_struct *t, unsigned int cm, char *reason,
			     bool view)
{
	struct om_fdcheck fc = { .reason = reason };
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int err;

	err = om_cantmove_common(t, cm, reason);
	if (err)
		return err;

	task_lock(t);
	/* a migrated process's files stay at home, whatever they are */
	if (t->files && !(cm & OM_CM_MIGRATE)) {
		if (atomic_read(&t->files->count) > 1) {
			om_reason(reason, "file table shared with another process");
			err = -EBUSY;
		} else {
			iterate_fd(t->files, 0, om_fdcheck_cb, &fc);
			err = fc.err;
		}
	}
	task_unlock(t);
	if (err)
		return err;

	mm = get_task_mm(t);
	if (!mm) {
		om_reason(reason, "no user memory (kernel thread or exiting)");
		return -ESRCH;
	}
	/* ours + the task's own: anything more may share the mm */
	if (atomic_read(&mm->mm_users) > 2 && om_mm_shared(t, mm)) {
		om_reason(reason, "memory shared with another process (CLONE_VM/vfork)");
		mmput(mm);
		return -EBUSY;
	}
	if (view && !mmap_read_trylock(mm)) {
		om_reason(reason, "its memory map is being changed (look again)");
		mmput(mm);
		return -EAGAIN;
	}
	if (!view && mmap_read_lock_killable(mm)) {
		mmput(mm);
		return -EINTR;
	}
	err = om_cantmove_mm(mm, reason);
	if (!err) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			err = om_cantmove_vma(vma, cm, reason);
			if (err)
				break;
		}
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return err;
}

/* Before freezing: t is pinned (get_task_struct) and is not current. */
int om_cantmove_task(struct task_struct *t, unsigned int cm, char *reason)
{
	if (t == current) {
		om_reason(reason, "a process cannot checkpoint itself");
		return -EDEADLK;
	}
	return om_cantmove_other(t, cm, reason, false);
}

/* For process views: t is pinned and may be current; may sleep briefly. */
int om_cantmove_view(struct task_struct *t, unsigned int cm, char *reason)
{
	return om_cantmove_other(t, cm, reason, true);
}

/* In the target's context, once it is frozen. */
int om_cantmove_current(unsigned int cm, char *reason)
{
	int err = om_cantmove_common(current, cm, reason);

	if (err)
		return err;
	if (!user_64bit_mode(task_pt_regs(current))) {
		om_reason(reason, "not a 64-bit process");
		return -EINVAL;
	}
	/* om_freeze_task() tries again for a while: the restore ends soon */
	if (om_rst_in_trampoline()) {
		om_reason(reason, "still being restored (its restore trampoline has not finished)");
		return -EINPROGRESS;
	}
	if (!(cm & OM_CM_MIGRATE) && atomic_read(&current->files->count) > 1) {
		om_reason(reason, "file table shared with another process");
		return -EBUSY;
	}
	if (mmap_read_lock_killable(current->mm))
		return -EINTR;
	err = om_cantmove_mm(current->mm, reason);
	mmap_read_unlock(current->mm);
	return err;
}

static const char *om_vma_special_name(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name(vma);
	return NULL;
}

/*
 * MAP_SHARED|MAP_ANONYMOUS memory (also a MAP_SHARED mapping of
 * /dev/zero): shmem_zero_setup() gave the VMA a file of its own, named
 * "dev/zero", on the internal shm mount.  mmap_lock held.
 */
bool om_vma_is_shanon(struct vm_area_struct *vma)
{
	struct file *f = vma->vm_file;

	return f && (vma->vm_flags & VM_SHARED) && !vma_is_anonymous(vma) &&
	       (f->f_path.mnt->mnt_flags & MNT_INTERNAL) &&
	       file_inode(f)->i_sb->s_magic == TMPFS_MAGIC &&
	       !strcmp((const char *)f->f_path.dentry->d_name.name, "dev/zero");
}

/*
 * Shared anonymous memory is recorded with its contents and restored as
 * a fresh shared anonymous mapping (criu's ANON_SHARED VMA and
 * pagemap-shmem-N.img), which only keeps what the process saw if the
 * process alone has the object, mapped whole by this one VMA: no other
 * mapping of it (a fork()ed child or parent, a process that mapped it
 * through /proc/PID/map_files, a second mapping here after mremap()), no
 * other open file on it (/proc/PID/map_files/), and no part of it
 * cut away (mprotect() or madvise() splitting the VMA, mremap()).  Each
 * VMA on an object is on its mapping's i_mmap tree, each open file holds
 * its dentry.  mmap_lock held (read); takes the object's i_mmap_rwsem.
 */
static int om_cantmove_shanon(struct vm_area_struct *vma, char *reason)
{
	struct file *f = vma->vm_file;
	struct address_space *m = f->f_mapping;
	unsigned long start = vma->vm_start;
	struct rb_node *rb;
	unsigned int n = 0;

	i_mmap_lock_read(m);
	for (rb = rb_first_cached(&m->i_mmap); rb && n < 2; rb = rb_next(rb))
		n++;
	i_mmap_unlock_read(m);
	if (n > 1) {
		om_reason(reason, "shared anonymous memory at %lx is mapped by another process too (fork() shares it) or twice",
			  start);
		return -EBUSY;
	}
	if (d_count(f->f_path.dentry) > 1) {
		om_reason(reason, "shared anonymous memory at %lx is open elsewhere (/proc/PID/map_files)",
			  start);
		return -EBUSY;
	}
	if (vma->vm_pgoff || vma->vm_end - start != i_size_read(file_inode(f))) {
		om_reason(reason, "shared anonymous memory at %lx is a part of its object (split by mprotect() or madvise(), or mremap()ed) (not supported yet)",
			  start);
		return -EBUSY;
	}
	return 0;
}

/* mmap_lock held (read). */
int om_cantmove_vma(struct vm_area_struct *vma, unsigned int cm, char *reason)
{
	const char *name = om_vma_special_name(vma);
	struct file *f = vma->vm_file;
	unsigned long start = vma->vm_start;

	if (name) {
		if (!strcmp(name, "[vdso]") || !strcmp(name, "[vvar]") ||
		    !strcmp(name, "[vvar_vclock]"))
			return 0;
		om_reason(reason, "special mapping %s at %lx", name, start);
		return -EBUSY;
	}
	/* criu records VM_LOCKED only: restored, it would be locked whole */
	if (vma->vm_flags & VM_LOCKONFAULT) {
		om_reason(reason, "memory locked on fault (mlock2 MLOCK_ONFAULT) at %lx (not supported yet)",
			  start);
		return -EBUSY;
	}
	if (vma->vm_flags & OM_VM_SHADOW_STACK) {
		om_reason(reason, "shadow stack at %lx", start);
		return -EBUSY;
	}
	if (is_vm_hugetlb_page(vma)) {
		om_reason(reason, "hugetlb mapping at %lx", start);
		return -EBUSY;
	}
	if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)) {
		om_reason(reason, "device mapping at %lx", start);
		return -EBUSY;
	}
	if (vma_is_anonymous(vma))
		return 0;
	if (!f) {
		om_reason(reason, "unknown special mapping at %lx", start);
		return -EBUSY;
	}
	if (om_vma_is_shanon(vma))
		return om_cantmove_shanon(vma, reason);
	if (f->f_path.mnt->mnt_flags & MNT_INTERNAL) {
		const char *dn = f->f_path.dentry->d_name.name;

		if (!strncmp(dn, "SYSV", 4))
			om_reason(reason, "SysV shared memory at %lx", start);
		else if (!strncmp(dn, "memfd:", 6))
			om_reason(reason, "memfd mapping at %lx", start);
		else if (vma->vm_flags & VM_SHARED)
			om_reason(reason, "shared anonymous memory at %lx", start);
		else
			om_reason(reason, "mapping of an unnamed file (memfd?) at %lx",
				  start);
		return -EBUSY;
	}
	if (!S_ISREG(file_inode(f)->i_mode)) {
		om_reason(reason, "device mapping at %lx", start);
		return -EBUSY;
	}
	if (d_unlinked(f->f_path.dentry)) {
		om_reason(reason, "mapping of a deleted file at %lx", start);
		return -EBUSY;
	}
	/*
	 * The remote maps the file by its path there: a private copy is the
	 * same, but writes to a shared mapping (and others' writes seen
	 * through it) belong to the file at home.
	 */
	if ((cm & OM_CM_MIGRATE) && (vma->vm_flags & VM_SHARED)) {
		om_reason(reason, "file mapped shared at %lx (its writes belong at home)", start);
		return -EBUSY;
	}
	return 0;
}

bool om_is_tty_dev(dev_t dev)
{
	unsigned int ma = MAJOR(dev), mi = MINOR(dev);

	if (ma >= UNIX98_PTY_SLAVE_MAJOR &&
	    ma < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT)
		return true;
	/*
	 * /dev/tty (the controlling terminal), /dev/console; VTs (ttyS* are
	 * not ttys to CRIU either)
	 */
	return (ma == TTYAUX_MAJOR && mi <= 1) || (ma == TTY_MAJOR && mi < 64);
}

/* /dev/ptmx (also devpts' ptmx node) and the Unix98 masters it hands out */
static bool om_is_pty_master_dev(dev_t dev)
{
	unsigned int ma = MAJOR(dev);

	return (ma == TTYAUX_MAJOR && MINOR(dev) == 2) ||
	       (ma >= UNIX98_PTY_MASTER_MAJOR &&
		ma < UNIX98_PTY_MASTER_MAJOR + UNIX98_PTY_MAJOR_COUNT);
}

/*
 * A terminal fd (om_is_tty_dev(), not O_PATH): its tty.  Every such file
 * was opened by tty_open() (or ptmx_open()), whose private data is a
 * tty_file_private, still there after a hangup; for /dev/tty it is the
 * controlling terminal the open found.
 */
struct tty_struct *om_file_tty(struct file *f)
{
	return ((struct tty_file_private *)f->private_data)->tty;
}

/*
 * A terminal: the restore gives the process the terminal omctl runs on
 * (its controlling terminal if this was the process's), as criu's
 * --shell-job does; one criu numbers in its images, neither a pty
 * master nor hung up (nothing to inherit it from).  No sleeping.
 */
static int om_cantmove_tty(struct file *f, unsigned int fd, char *reason)
{
	struct tty_struct *tty = om_file_tty(f);

	if (tty_hung_up_p(f)) {
		om_reason(reason, "fd %u is a hung-up terminal (its other end was closed)", fd);
		return -EBUSY;
	}
	if (tty->driver->type == TTY_DRIVER_TYPE_PTY && tty->index > OM_TTY_MAX_PTY_INDEX) {
		om_reason(reason, "fd %u is pseudo-terminal %d: criu's images number them up to %d",
			  fd, tty->index, OM_TTY_MAX_PTY_INDEX);
		return -EBUSY;
	}
	return 0;
}

/*
 * A deleted regular file the process holds open: its contents, mode,
 * owner and times go into the image (criu's ghost file), and the restore
 * makes an unnamed file (O_TMPFILE) in its directory with them.  What a
 * restore could not make exactly is refused here, with the file table
 * looked at as a whole by om_cantmove_ghosts().  May run under
 * files->file_lock: no sleeping.
 */
static int om_cantmove_ghost(struct file *f, unsigned int fd, char *reason)
{
	struct inode *inode = file_inode(f);
	struct dentry *dir = READ_ONCE(f->f_path.dentry->d_parent);
	struct inode *dinode = d_inode(dir);
	loff_t size = i_size_read(inode);
	unsigned int limit = READ_ONCE(om_tun.ghost_limit);
	unsigned int nlink = READ_ONCE(inode->i_nlink);

	if (nlink) {
		om_reason(reason, "fd %u is a deleted file with %u other hard link%s still present (a restore would make a copy of it)",
			  fd, nlink, nlink == 1 ? "" : "s");
		return -EBUSY;
	}
	if (size > limit) {
		om_reason(reason, "fd %u is a deleted file of %lld bytes, more than ghost_limit (%u bytes, /sys/kernel/openmosix/ghost_limit)",
			  fd, size, limit);
		return -EFBIG;
	}
	if (mapping_writably_mapped(f->f_mapping)) {
		om_reason(reason, "fd %u is a deleted file mapped shared and writable (by another process)",
			  fd);
		return -EBUSY;
	}
	if (d_unlinked(dir) || !dinode) {
		om_reason(reason, "fd %u is a deleted file whose directory was removed too", fd);
		return -ENOENT;
	}
	if (!dinode->i_op->tmpfile) {
		om_reason(reason, "fd %u is a deleted file on a file system that cannot make unnamed files (O_TMPFILE: %s)",
			  fd, inode->i_sb->s_type->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

static const char *om_file_kind(umode_t mode)
{
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "device node";
	if (S_ISFIFO(mode))
		return "FIFO";
	return "file";
}

/*
 * Classify an open file: 0 if we can record it (the type is returned by
 * om_ckpt_file_type()), or -errno with a reason.  May run under
 * files->file_lock: no sleeping.  Named FIFOs are checked further, with
 * the whole file table, by om_cantmove_fifos().
 */
int om_cantmove_file(struct file *f, unsigned int fd, char *reason)
{
	struct inode *inode = file_inode(f);
	umode_t mode = inode->i_mode;
	bool internal = f->f_path.mnt->mnt_flags & MNT_INTERNAL;
	const struct fown_struct *fown = om_file_fown(f);

	if (S_ISSOCK(mode)) {
		om_reason(reason, "fd %u is a socket", fd);
		return -EBUSY;
	}
	/* O_PATH: no open file behind it (private_data is NULL), only a path */
	if (f->f_mode & FMODE_PATH) {
		if (internal) {
			om_reason(reason, "fd %u is an O_PATH fd of an unnamed object (%s)", fd,
				  f->f_path.dentry->d_name.name);
			return -EBUSY;
		}
		if (d_unlinked(f->f_path.dentry)) {
			om_reason(reason, "fd %u is a deleted %s (O_PATH)", fd, om_file_kind(mode));
			return -EBUSY;
		}
		return 0;
	}
	/* the image's fown is left empty: SIGIO would go nowhere after a restore */
	if (fown && (READ_ONCE(fown->pid) || READ_ONCE(fown->signum))) {
		om_reason(reason, "fd %u has a SIGIO owner or signal (F_SETOWN, F_SETSIG) (not supported yet)",
			  fd);
		return -EBUSY;
	}
	if (internal) {
		if (S_ISFIFO(mode) && (f->f_flags & O_DIRECT)) {
			om_reason(reason, "fd %u is a packet-mode pipe (O_DIRECT) (not supported yet)",
				  fd);
			return -EBUSY;
		}
		if (S_ISFIFO(mode))
			return 0;	/* a pipe */
		/* its state is looked at in the frozen target (om_ckpt_anon.c) */
		if (om_anon_type(f))
			return 0;
		om_reason(reason, "fd %u is an unsupported kind of file (%s)", fd,
			  f->f_path.dentry->d_name.name);
		return -EBUSY;
	}
	if (S_ISCHR(mode) && om_is_pty_master_dev(inode->i_rdev)) {
		om_reason(reason, "fd %u is a pseudo-terminal master (/dev/ptmx): the terminals it serves are not supported",
			  fd);
		return -EBUSY;
	}
	/*
	 * A terminal is taken from the restorer, not reopened by path: its
	 * node may be gone (init's /dev/console was the initramfs's)
	 */
	if (S_ISCHR(mode) && om_is_tty_dev(inode->i_rdev))
		return om_cantmove_tty(f, fd, reason);
	/* a deleted regular file is saved with its contents (a ghost file) */
	if (S_ISREG(mode) && d_unlinked(f->f_path.dentry))
		return om_cantmove_ghost(f, fd, reason);
	/* everything else is reopened by path: it must still be there */
	if (d_unlinked(f->f_path.dentry)) {
		om_reason(reason, "fd %u is a deleted %s", fd, om_file_kind(mode));
		return -EBUSY;
	}
	if (S_ISFIFO(mode))
		return 0;
	if (S_ISCHR(mode)) {
		if (imajor(inode) == MEM_MAJOR || om_is_tty_dev(inode->i_rdev))
			return 0;
		om_reason(reason, "fd %u is a character device %u:%u", fd,
			  imajor(inode), iminor(inode));
		return -EBUSY;
	}
	if (!S_ISREG(mode) && !S_ISDIR(mode)) {
		om_reason(reason, "fd %u is an unsupported kind of file (mode %o)",
			  fd, mode);
		return -EBUSY;
	}
	return 0;
}

/* an open named FIFO (not an O_PATH fd: no pipe behind it) */
static bool om_is_named_fifo(struct file *f)
{
	return S_ISFIFO(file_inode(f)->i_mode) && !(f->f_mode & FMODE_PATH) &&
	       !(f->f_path.mnt->mnt_flags & MNT_INTERNAL);
}

/*
 * A named FIFO comes back by path.  Either nobody else has it open: it
 * dies with the process, so its contents and size are recorded
 * (fifo-data.img, om_ckpt_files.c) and the restore refills it; or
 * processes outside keep both a read and a write end open: it lives on
 * with its contents and none of them sees an end of file or EPIPE
 * meanwhile, and the restore reopens it.  A FIFO held outside for one
 * direction only is refused: the process's death would give a reader
 * outside an end of file, or a writer EPIPE.  An open file description
 * of ours that another process also holds counts as outside.  The file
 * table is looked at again, under each FIFO's lock, when it is recorded
 * (om_ckpt_files_collect()): this is the early check, in the frozen
 * target with its fds collected.  May sleep.
 */
int om_cantmove_fifos(const struct om_ckpt_fd *fds, unsigned int n, char *reason)
{
	unsigned int i, j, k;

	for (i = 0; i < n; i++) {
		struct inode *inode = file_inode(fds[i].file);
		unsigned int our_r = 0, our_w = 0, readers, writers;
		struct pipe_inode_info *pipe;
		bool first = true;

		if (!om_is_named_fifo(fds[i].file))
			continue;
		for (j = 0; j < i && first; j++)
			first = !om_is_named_fifo(fds[j].file) || file_inode(fds[j].file) != inode;
		if (!first)
			continue;	/* this FIFO was looked at */
		/* each description of ours on it, counted once */
		for (j = i; j < n; j++) {
			struct file *f = fds[j].file;
			unsigned int refs = 0;
			bool seen = false;

			if (!om_is_named_fifo(f) || file_inode(f) != inode)
				continue;
			for (k = i; k < j && !seen; k++)
				seen = fds[k].file == f;
			if (seen)
				continue;
			for (k = j; k < n; k++)
				refs += fds[k].file == f;
			/* one reference per fd, one per fds[] entry: more is someone else's */
			if (file_count(f) > 2 * refs)
				continue;
			our_r += !!(f->f_mode & FMODE_READ);
			our_w += !!(f->f_mode & FMODE_WRITE);
		}
		pipe = fds[i].file->private_data;
		pipe_lock(pipe);
		readers = pipe->readers;
		writers = pipe->writers;
		pipe_unlock(pipe);
		if ((readers > our_r) == (writers > our_w))
			continue;	/* ours alone, or held outside both ways */
		om_reason(reason, "fd %u is a FIFO another process holds open for %s only",
			  fds[i].fd, readers > our_r ? "reading" : "writing");
		return -EBUSY;
	}
	return 0;
}

/* A deleted regular file open for reading or writing (not O_PATH): a ghost file. */
bool om_is_ghost(struct file *f)
{
	return S_ISREG(file_inode(f)->i_mode) && !(f->f_mode & FMODE_PATH) &&
	       !(f->f_path.mnt->mnt_flags & MNT_INTERNAL) && d_unlinked(f->f_path.dentry);
}

/*
 * The deleted files as a whole, in the frozen target (current) with its
 * fds collected; om_cantmove_ghost() checked each alone.  The restore
 * makes one new file per deleted one, for the process alone, as the
 * process's user: refused are deleted files another process has open
 * for writing or shares an open file description of (it would go on
 * with the old file), and files whose owner or group the process's user
 * could not give the new one (chown) in a restore.  May sleep.
 */
int om_cantmove_ghosts(const struct om_ckpt_fd *fds, unsigned int n, char *reason)
{
	const struct cred *cred = current_cred();
	bool chown = cap_raised(cred->cap_effective, CAP_CHOWN);
	unsigned int i, j, k;

	for (i = 0; i < n; i++) {
		struct inode *inode = file_inode(fds[i].file);
		unsigned int our_w = 0;
		bool first = true;

		if (!om_is_ghost(fds[i].file))
			continue;
		for (j = 0; j < i && first; j++)
			first = !om_is_ghost(fds[j].file) || file_inode(fds[j].file) != inode;
		if (!first)
			continue;	/* this file was looked at */
		/* each description of ours on it, counted once */
		for (j = i; j < n; j++) {
			struct file *f = fds[j].file;
			unsigned int refs = 0;
			bool seen = false;

			if (file_inode(f) != inode || !om_is_ghost(f))
				continue;
			for (k = i; k < j && !seen; k++)
				seen = fds[k].file == f;
			if (seen)
				continue;
			for (k = j; k < n; k++)
				refs += fds[k].file == f;
			/* one reference per fd, one per fds[] entry: more is someone else's */
			if (file_count(f) > 2 * refs) {
				om_reason(reason, "fd %u is a deleted file whose open file description another process shares",
					  fds[j].fd);
				return -EBUSY;
			}
			our_w += !!(f->f_mode & FMODE_WRITE);
		}
		if (atomic_read(&inode->i_writecount) > (int)our_w) {
			om_reason(reason, "fd %u is a deleted file another process has open for writing",
				  fds[i].fd);
			return -EBUSY;
		}
		if (!chown && !uid_eq(inode->i_uid, cred->fsuid)) {
			om_reason(reason, "fd %u is a deleted file owned by uid %u, not the process's user (uid %u): a restore could not give it its owner",
				  fds[i].fd, from_kuid_munged(current_user_ns(), inode->i_uid),
				  from_kuid_munged(current_user_ns(), cred->fsuid));
			return -EPERM;
		}
		if (!chown && !gid_eq(inode->i_gid, cred->fsgid) && !in_group_p(inode->i_gid)) {
			om_reason(reason, "fd %u is a deleted file of group %u, not one of the process's user's: a restore could not give it its group",
				  fds[i].fd, from_kgid_munged(current_user_ns(), inode->i_gid));
			return -EPERM;
		}
	}
	return 0;
}

/*
 * State of the terminal the restore cannot give omctl's: exclusive mode
 * (TIOCEXCL) and locked settings (TIOCSLCKTRMIOS, root's) are not set
 * again there.  May sleep (termios_rwsem).
 */
static int om_cantmove_tty_state(struct tty_struct *tty, unsigned int fd, char *reason)
{
	static const struct ktermios none;
	bool locked;

	if (test_bit(TTY_EXCLUSIVE, &tty->flags)) {
		om_reason(reason, "fd %u is a terminal (%s) in exclusive mode (TIOCEXCL)", fd,
			  tty_name(tty));
		return -EBUSY;
	}
	down_read(&tty->termios_rwsem);
	locked = memcmp(&tty->termios_locked, &none, sizeof(none));
	up_read(&tty->termios_rwsem);
	if (locked) {
		om_reason(reason, "fd %u is a terminal (%s) with locked settings (TIOCSLCKTRMIOS)",
			  fd, tty_name(tty));
		return -EBUSY;
	}
	return 0;
}

/*
 * The terminals as a whole, in the frozen target: every terminal fd must
 * be on one terminal, the controlling one if the process has one (it
 * gets the restorer's, as with criu --shell-job; a second one could not
 * be told apart from it).  /dev/tty fds must still reach it.  May sleep.
 */
int om_cantmove_ttys(const struct om_ckpt_fd *fds, unsigned int n, char *reason)
{
	struct tty_struct *ctty = get_current_tty(), *first = NULL;
	unsigned int i, first_fd = 0;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		struct file *f = fds[i].file;
		struct inode *inode = file_inode(f);
		struct tty_struct *tty;

		if (!S_ISCHR(inode->i_mode) || (f->f_mode & FMODE_PATH) ||
		    !om_is_tty_dev(inode->i_rdev))
			continue;
		tty = om_file_tty(f);
		if (imajor(inode) == TTYAUX_MAJOR && iminor(inode) == 0 && tty != ctty) {
			om_reason(reason, "fd %u is /dev/tty of a terminal (%s) that is no longer its controlling terminal",
				  fds[i].fd, tty_name(tty));
			err = -EBUSY;
		} else if (ctty && tty != ctty) {
			om_reason(reason, "fd %u is a second terminal (%s) besides its controlling terminal (%s)",
				  fds[i].fd, tty_name(tty), tty_name(ctty));
			err = -EBUSY;
		} else if (first && tty != first) {
			om_reason(reason, "fd %u is a second terminal (%s) besides %s (fd %u)",
				  fds[i].fd, tty_name(tty), tty_name(first), first_fd);
			err = -EBUSY;
		} else if (!first) {
			first = tty;
			first_fd = fds[i].fd;
			err = om_cantmove_tty_state(tty, first_fd, reason);
		}
	}
	tty_kref_put(ctty);
	return err;
}
