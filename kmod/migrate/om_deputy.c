// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The deputy: once its process runs at a remote node, the home task stays
 * behind with its PID, parent, children, session, terminal, files, cwd,
 * credentials and namespaces, and executes the system calls its remote
 * forwards (Documentation/migration.md).  It does so natively, as user
 * code: we map a small stub (and a stack and a scratch area) into its
 * address space and give it a role in the system call hook (om_hook.c):
 *
 *   L0:  mov $OM_DEP_WAIT, %eax; syscall   wait for a request; returns
 *                                          with the call in rax, rdi..r9
 *   L1:  syscall                           the forwarded call, natively
 *        mov %rax, %rdi
 *        mov $OM_DEP_WAIT, %eax; syscall   its result; wait for the next
 *        jmp L1
 *   SIG: mov $OM_DEP_SIG, %eax; syscall    every catchable signal's handler
 *   RST: mov $__NR_rt_sigreturn, %eax; syscall   (SA_RESTORER, unused)
 *
 * So a forwarded read blocks the deputy, not the link; f_pos locking,
 * LSMs, audit, job control (SIGTTIN through its process group) and
 * restart work as for the process itself.  Buffers are copied into the
 * scratch area and the pointer arguments rewritten (common/om_systab.h).
 *
 * Signals sent to the home PID reach the stub's handler and are
 * forwarded to the remote, whose own handlers run there.  A native call
 * that a signal interrupted is answered -ERESTARTSYS: the remote restarts
 * it or fails it with EINTR by its own SA_RESTART.  SIGSTOP stops the
 * deputy and is forwarded (a probe on signal_deliver hears of it, also in
 * the middle of a native call); SIGCONT is caught and forwarded.  SIGKILL
 * kills the deputy, and the remote with it.  With a remote that announced
 * OM_WIRE_FEAT_MIG_SIGSEQ each forwarded signal has a number and stays in a
 * bounded log (common/om_siglog.h): when the process comes home, those
 * after the last one its remote gave it (the COMMIT says which) are
 * queued to it here, so none is lost on the way.  The remote's end comes back
 * as an EXIT message: the deputy exits with the same code or dies of the
 * same signal, so the parent's wait4() sees what it would have seen.
 */
#include <linux/module.h>
#include <linux/file.h>
#include <linux/ptrace.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include <linux/sched/coredump.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/task_work.h>
#include <linux/signal.h>
#include <asm/syscall.h>
#include <asm/unistd.h>
#include <asm/ucontext.h>

#include "om_migrate.h"
#include "om_ptab.h"
#include "mfs/om_mfs_dfsa.h"
#include "compat/compat.h"

/* our own call numbers: never valid system calls, not x32 (bit 30) */
#define OM_DEP_WAIT		0x0f4d0001UL
#define OM_DEP_SIG		0x0f4d0002UL

/* stub layout (offsets in the first page) */
#define OM_DEP_L0		0	/* wait */
#define OM_DEP_L0_RET		7	/* ip after L0's syscall = L1 */
#define OM_DEP_L1		7	/* the forwarded call */
#define OM_DEP_L1_RET		9	/* ip after it */
#define OM_DEP_REPORT_RET	19	/* ip after the result's syscall */
#define OM_DEP_SIGH		32
#define OM_DEP_RESTORER		48

#define OM_DEP_STACK		(64 * 1024)
#define OM_DEP_SCRATCH		OM_SYS_SCRATCH_SIZE
#define OM_DEP_MAP		(PAGE_SIZE + OM_DEP_STACK + OM_DEP_SCRATCH)

static const u8 om_dep_stub[] = {
	/* 0: L0 */
	0xb8, 0x01, 0x00, 0x4d, 0x0f,		/* mov $OM_DEP_WAIT, %eax */
	0x0f, 0x05,				/* syscall */
	/* 7: L1 */
	0x0f, 0x05,				/* syscall */
	0x48, 0x89, 0xc7,			/* mov %rax, %rdi */
	0xb8, 0x01, 0x00, 0x4d, 0x0f,		/* mov $OM_DEP_WAIT, %eax */
	0x0f, 0x05,				/* syscall */
	0xeb, 0xf2,				/* 19: jmp L1 */
	0x0f, 0x0b, 0x0f, 0x0b, 0x0f, 0x0b,	/* ud2 ... */
	0x0f, 0x0b, 0x0f, 0x0b, 0xcc,		/* int3 */
	/* 32: signal handler */
	0xb8, 0x02, 0x00, 0x4d, 0x0f,		/* mov $OM_DEP_SIG, %eax */
	0x0f, 0x05,				/* syscall */
	0x0f, 0x0b, 0x0f, 0x0b, 0x0f, 0x0b,	/* ud2 */
	0x0f, 0x0b, 0xcc,
	/* 48: restorer */
	0xb8, 0x0f, 0x00, 0x00, 0x00,		/* mov $__NR_rt_sigreturn, %eax */
	0x0f, 0x05,				/* syscall */
	0x0f, 0x0b,				/* ud2 */
};

static_assert(sizeof(om_dep_stub) == OM_DEP_RESTORER + 9);

enum om_dep_phase {
	OM_DP_IDLE,	/* waiting for a request */
	OM_DP_ISSUED,	/* a forwarded call runs natively */
	OM_DP_INTERNAL,	/* one of our own calls runs (setup) */
};

/*
 * The registers for the call at L1.  rcx follows ip: the kernel returns
 * to user mode with SYSRET only when rcx == ip (and r11 == flags, which
 * the stub's own syscall set and nothing changes; arch/x86/entry: C in
 * 6.12, assembly in 6.1, the same conditions), else with the slower
 * IRET, which the deputy took after every call (from L1's report, ip
 * 19, to L1, 7).  SYSRET leaves rcx = ip in user mode, where IRET would
 * have put back the old ip: the stub never reads rcx, and L1's syscall
 * overwrites it.
 */
static void om_dep_set_call(struct pt_regs *regs, unsigned long stub, u32 nr,
			    const u64 *a)
{
	regs->ax = nr;
	regs->di = a[0];
	regs->si = a[1];
	regs->dx = a[2];
	regs->r10 = a[3];
	regs->r8 = a[4];
	regs->r9 = a[5];
	regs->ip = stub + OM_DEP_L1;
	regs->cx = regs->ip;
}

/* the deputy's registers for the wait at L0 (after a signal, at the start) */
static void om_dep_to_wait(struct om_home *h, struct pt_regs *regs)
{
	regs->ip = h->stub + OM_DEP_L0;
	regs->sp = h->stack_top;
	regs->ax = 0;
	regs->orig_ax = -1;
}

static void om_dep_unblock_all(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Every catchable signal to the stub's handler, all blocked while in it. */
static void om_dep_catch_signals(struct om_home *h)
{
	struct sighand_struct *sh = current->sighand;
	int sig;

	spin_lock_irq(&sh->siglock);
	for (sig = 1; sig <= _NSIG; sig++) {
		struct k_sigaction *ka = &sh->action[sig - 1];

		if (sig_kernel_only(sig))
			continue;
		ka->sa.sa_handler = (__sighandler_t)(h->stub + OM_DEP_SIGH);
		ka->sa.sa_flags = SA_SIGINFO | SA_RESTORER | SA_RESTART;
		ka->sa.sa_restorer = (__sigrestore_t)(h->stub + OM_DEP_RESTORER);
		sigfillset(&ka->sa.sa_mask);
	}
	spin_unlock_irq(&sh->siglock);
}

/* Let @sig take its default action on the deputy (stop or die by it). */
static void om_dep_default(int sig)
{
	struct sighand_struct *sh = current->sighand;

	spin_lock_irq(&sh->siglock);
	sh->action[sig - 1].sa.sa_handler = SIG_DFL;
	sh->action[sig - 1].sa.sa_flags = 0;
	sigemptyset(&sh->action[sig - 1].sa.sa_mask);
	spin_unlock_irq(&sh->siglock);
}

static const struct om_role_ops om_dep_role;
static void om_dep_lost(struct om_home *h, struct pt_regs *regs);

/* ---------------------------------------------------------------- calls */

/*
 * DFSA (om_dfsa.c): the open the remote asked a record for returned fd.
 * A record if the file is a regular MFS file of a dfsa=1 tree, opened
 * for reading or writing, without O_APPEND (its end is the node's, at
 * each write) and with a description of its own.
 */
static void om_dep_dfsa(struct om_home *h, long fd, struct om_mig_sysrep *r)
{
	struct om_mfs_dfsa_file df;
	struct file *f;
	u8 flags = 0;

	if (fd < 0 || fd > INT_MAX)
		return;
	f = fget(fd);
	if (!f)
		return;
	/* a directory, listed there from its start (its position counts entries) */
	if (h->dfsa_dir && (f->f_mode & FMODE_READ) && !(f->f_flags & O_PATH) &&
	    file_count(f) == 2 && f->f_pos == 0 &&
	    om_mfs_dfsa_dir_of(f, &df, &r->dfsa.dot, &r->dfsa.dotdot)) {
		memcpy(h->dfsa_fh, df.fh, df.fhlen);
		r->has_dfsa = true;
		r->dfsa.node = df.node;
		r->dfsa.fhlen = df.fhlen;
		r->dfsa.fh = h->dfsa_fh;
		r->dfsa.flags = OM_MIG_DFSA_READ | OM_MIG_DFSA_DIR;
		r->dfsa.pos = 0;
		r->dfsa.has_dev = h->dfsa_stat;
		r->dfsa.dev = new_encode_dev(file_inode(f)->i_sb->s_dev);
		fput(f);
		return;
	}
	if (f->f_mode & FMODE_READ)
		flags |= OM_MIG_DFSA_READ;
	if (f->f_mode & FMODE_WRITE)
		flags |= OM_MIG_DFSA_WRITE;
	if ((f->f_flags & __O_SYNC) == __O_SYNC)
		flags |= OM_MIG_DFSA_SYNC;
	else if (f->f_flags & O_DSYNC)
		flags |= OM_MIG_DFSA_DSYNC;
	/* the fd table's reference and ours: nobody else has it */
	if ((flags & (OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE)) &&
	    !(f->f_flags & (O_APPEND | O_PATH)) && file_count(f) == 2 &&
	    f->f_pos >= 0 && om_mfs_dfsa_of(f, &df)) {
		memcpy(h->dfsa_fh, df.fh, df.fhlen);
		r->has_dfsa = true;
		r->dfsa.node = df.node;
		r->dfsa.fhlen = df.fhlen;
		r->dfsa.fh = h->dfsa_fh;
		r->dfsa.flags = flags;
		r->dfsa.pos = f->f_pos;
		/* fstat there says what it says here: this superblock's */
		r->dfsa.has_dev = h->dfsa_stat;
		r->dfsa.dev = new_encode_dev(file_inode(f)->i_sb->s_dev);
	}
	fput(f);
}

/*
 * OM_MIG_SYSF_DFSA_DIRPOS: lseek(fd, pos, SEEK_SET) with args[3] the
 * node's cookie and args[4] its end; the position, or an errno
 */
static s64 om_dep_dirpos(const u64 args[OM_MIG_NARGS])
{
	struct file *f;
	int err;

	if (args[0] > INT_MAX || args[1] > OM_MIG_DFSA_POS_MAX || args[2] != SEEK_SET ||
	    args[4] > 1)
		return -EINVAL;
	f = fget(args[0]);
	if (!f)
		return -EBADF;
	err = om_mfs_dfsa_dir_setpos(f, args[1], args[3], args[4]);
	fput(f);
	return err ?: (s64)args[1];
}

static void om_dep_reply(struct om_home *h, s64 ret)
{
	struct om_mig_msg m = { .type = OM_MIG_SYSREP };
	struct om_mig_sysrep *r = &m.sysrep;
	struct om_sys_out out[OM_SYS_MAX_BUFS];
	u8 *data = h->outbuf;
	unsigned int i, n;
	int err;

	r->seq = h->seq;
	r->ret = ret;
	n = h->plan.desc ? om_sys_collect(&h->plan, ret, out) : 0;
	if (h->dfsa_ask && h->plan.desc && !n)
		om_dep_dfsa(h, ret, r);
	h->dfsa_ask = false;
	for (i = 0; i < n; i++) {
		/* the deputy's own scratch: a fault is a fault of its memory */
		if (copy_from_user(data, (void __user *)(h->scratch + out[i].off),
				   out[i].len)) {
			r->nbuf = 0;
			r->ret = -EFAULT;
			break;
		}
		r->buf[r->nbuf].arg = out[i].arg;
		r->buf[r->nbuf].dir = OM_MIG_BUF_OUT;
		r->buf[r->nbuf].len = out[i].len;
		r->buf[r->nbuf].data = data;
		r->nbuf++;
		data += out[i].len;
	}
	/* the call changed its credentials: a new DFSA view goes first (scratch is free) */
	om_dfsa_view_recheck(h);
	err = om_sess_send(h->s, &m);
	if (err)
		pr_debug("deputy %d: reply %llu: %d\n", task_pid_nr(current), h->seq, err);
	/* fwd_timing: a call served through the stub is summed (not a refusal) */
	om_ft_dep_end(&h->ft);
	h->phase = OM_DP_IDLE;
}

/*
 * A request: check it against the table (the peer is trusted to hold the
 * key, not to be right), lay its buffers out in scratch, and set the
 * registers to make the call.  Errors are answered at once.
 */
static bool om_dep_request(struct om_home *h, struct pt_regs *regs,
			   const struct om_mig_sysreq *q)
{
	struct om_sys_buf b[OM_MIG_MAX_BUFS];
	unsigned int i;
	int err;

	h->seq = q->seq;
	h->phase = OM_DP_ISSUED;
	h->dfsa_ask = (q->flags & OM_MIG_SYSF_DFSA) && om_dfsa_open_nr(q->nr);
	h->dfsa_stat = h->dfsa_ask && (q->flags & OM_MIG_SYSF_DFSA_STAT);
	h->dfsa_dir = h->dfsa_ask && (q->flags & OM_MIG_SYSF_DFSA_DIR);
	if ((q->flags & OM_MIG_SYSF_DFSA_DIRPOS) && q->nr == __NR_lseek) {
		/* a DFSA directory's listing comes home: no seek, its place */
		h->plan.desc = NULL;
		om_dep_reply(h, om_dep_dirpos(q->args));
		return false;
	}
	for (i = 0; i < q->nbuf; i++) {
		b[i].arg = q->buf[i].arg;
		b[i].dir = q->buf[i].dir;
		b[i].niov = q->buf[i].niov;
		b[i].len = q->buf[i].len;
		b[i].data = q->buf[i].data;
	}
	memset(&h->plan, 0, offsetof(struct om_sys_plan, iov));
	err = om_sys_layout(q->nr, q->args, b, q->nbuf, h->scratch, OM_SYS_SCRATCH_SIZE,
			    &h->plan);
	if (err) {
		pr_debug("deputy %d: refused call %u: %d\n", task_pid_nr(current), q->nr, err);
		h->plan.desc = NULL;
		om_dep_reply(h, err);
		return false;
	}
	for (i = 0; i < h->plan.nin; i++) {
		const struct om_sys_span *sp = &h->plan.in[i];

		if (copy_to_user((void __user *)(h->scratch + sp->off), sp->src, sp->len)) {
			om_dep_reply(h, -EFAULT);
			return false;
		}
	}
	om_dep_set_call(regs, h->stub, q->nr, h->plan.args);
	regs->sp = h->stack_top;
	regs->orig_ax = -1;
	om_ft_mark(&h->ft, OM_FT_D_SET);
	return true;
}

/* -------------------------------------------------------------- signals */

/*
 * Forward a signal (OM_MIG_SIGINFO_LEN bytes of siginfo) to the remote;
 * numbered and logged when it takes numbers.  The deputy's own context.
 */
static void om_dep_forward(struct om_home *h, const u8 *info)
{
	struct om_mig_msg m = { .type = OM_MIG_SIGNAL };

	m.signal.info = info;
	if (h->sigseq && om_siglog_add(h->siglog, h->sig_seq + 1, info) >= 0)
		m.signal.seq = ++h->sig_seq;
	om_sess_send(h->s, &m);
}

/*
 * A SIGSTOP stopped the deputy: the remote stops too.  Not numbered: it
 * stopped this task, so it is never replayed (its remote holds it while
 * the process travels home, and gives it if the trip fails).
 */
void om_dep_stop_work(struct work_struct *w)
{
	struct om_home *h = container_of(w, struct om_home, stop_work);
	struct om_mig_msg m = { .type = OM_MIG_SIGNAL };
	u8 info[OM_MIG_SIGINFO_LEN] = {};

	put_unaligned_le32(SIGSTOP, info);
	m.signal.info = info;
	om_sess_send(h->s, &m);
	om_sess_put(h->s);
}

/*
 * signal_deliver probe (om_hook.c): the deputy stops by a SIGSTOP, now,
 * whether it waited for a request or ran a native call.  Atomic: a
 * worker forwards it.  Our own (SEND_SIG_PRIV: the remote stopped first,
 * or the process was stopped when it left) are not forwarded.
 */
static void om_dep_stopping(void *ctx, const kernel_siginfo_t *info)
{
	struct om_home *h = ctx;

	if (info->si_code == SI_KERNEL)
		return;
	/* the role's reference keeps the session: this one is never the last */
	om_sess_get(h->s);
	if (!queue_work(om_mig_wq, &h->stop_work))
		om_sess_put(h->s);
}

/*
 * Home again (registers set, its image's pending signals queued): what
 * the deputy forwarded after the last signal its remote gave the process
 * before it left (the COMMIT's) is queued now, in the order sent, from
 * the deputy's own log (never from the peer's bytes).  A remote without
 * numbers dropped them (its log says so).
 */
static void om_dep_replay(struct om_home *h)
{
	const struct om_siglog_ent *e;
	kernel_siginfo_t info;
	u32 pos = 0, n = 0;

	if (!h->sigseq || !h->has_sig_taken || h->sig_taken >= h->sig_seq)
		return;
	if (h->siglog->ndropped && h->siglog->dropped_seq > h->sig_taken)
		pr_warn_ratelimited("process %d: some of the last %u real-time signals sent to it while it came home are lost (more than %d at a time)\n",
				    task_pid_nr(current), h->siglog->ndropped, OM_SIGLOG_RT_MAX);
	while ((e = om_siglog_next(h->siglog, &pos, h->sig_taken + 1))) {
		memcpy(&info, e->info, sizeof(info));
		send_sig_info(info.si_signo, &info, current);
		n++;
	}
	pr_debug("process %d: %u signals sent while it came home queued again (after %llu of %llu)\n",
		 task_pid_nr(current), n, h->sig_taken, h->sig_seq);
}

/* ------------------------------------------------------------------ end */

/* The role ends: the last use of @h (the role's session reference goes). */
static void om_dep_leave(struct om_home *h)
{
	struct om_sess *s = h->s;

	om_dfsa_view_stop(h);
	om_role_clear();
	om_sess_put(s);
}

/*
 * The remote's process ended: end the same way.  Called in the deputy's
 * wait; its role ends first, so the last call is a normal one.
 */
static void om_dep_exit(struct om_home *h, struct pt_regs *regs,
			const struct om_mig_exit *e)
{
	om_sess_end(h->s, 0, NULL);
	if (e->how == OM_MIG_EXITED) {
		u64 a[6] = { e->code };

		om_dep_set_call(regs, h->stub, __NR_exit_group, a);
		om_dep_leave(h);
		return;
	}
	/* its signal, without a core dump here (the remote made it, or not) */
	if (current->mm)
		set_mask_bits(&current->mm->flags, MMF_DUMPABLE_MASK, 0);
	om_dep_default(e->code);
	om_dep_unblock_all();
	if (e->code == SIGKILL)
		send_sig(SIGKILL, current, 1);
	else
		force_sig(e->code);
	om_dep_to_wait(h, regs);
	om_dep_leave(h);
}

static int om_dep_at_home(struct om_pstate *st, void *arg)
{
	st->where = OM_PTAB_HERE;
	st->left_ns = 0;
	return 0;
}

/*
 * The process came back (its image is in h->rx): it becomes this task
 * again.  True when the registers are set for it (or it dies of a failure
 * past the point of no return); false: still the deputy, its remote told.
 */
static bool om_dep_come_home(struct om_home *h, struct pt_regs *regs)
{
	char reason[OM_CKPT_REASON_LEN] = "";
	struct om_sess *s = h->s;
	struct path root;
	long ret;

	om_imgrx_root(&h->rx, &root);
	/* the restore's own calls (trampoline, rt_sigreturn) are native */
	om_role_clear();
	ret = om_restore_deputy(&root, h->rx.cred, reason);
	if (ret < 0 && !fatal_signal_pending(current)) {
		/* nothing changed: stay the deputy, the process stays there */
		char r2[OM_CKPT_REASON_LEN];

		pr_warn("process %d could not come home: %s (%ld)\n", task_pid_nr(current),
			reason, ret);
		snprintf(r2, sizeof(r2), "home could not take it back: %s", reason);
		om_sess_send_why(s, OM_MIG_DONE, (int)ret, 0, r2);
		/* its remote gives it what it held on the way: all taken */
		om_siglog_init(h->siglog);
		mutex_lock(&h->rx_lock);
		om_imgrx_stop(&h->rx);
		h->rx_committed = false;
		mutex_unlock(&h->rx_lock);
		if (om_role_set(&om_dep_role, h, reason)) {
			om_dep_lost(h, regs);
			return true;
		}
		return false;
	}
	if (ret < 0) {
		/* past the point of no return: killed; its remote learns it */
		om_dfsa_view_stop(h);
		om_sess_send_why(s, OM_MIG_DONE, (int)ret, 0, reason);
		om_sess_end(s, (int)ret, reason);
		om_sess_put(s);
		return true;
	}
	syscall_set_return_value(current, regs, 0, ret);
	om_dep_replay(h);
	om_dfsa_view_stop(h);
	om_sess_send_why(s, OM_MIG_DONE, 0, task_pid_nr(current), NULL);
	WRITE_ONCE(h->state, OM_HS_HOME);
	om_ptab_update(current, om_dep_at_home, NULL);
	om_mig_notify_task(OM_MEV_HOME, current, NULL);
	om_sess_end(s, 0, NULL);
	om_sess_put(s);		/* the role's: h may go now */
	return true;
}

/* The session died (peer down, abort): the process is lost. */
static void om_dep_lost(struct om_home *h, struct pt_regs *regs)
{
	pr_warn("process %d (%s) lost its remote on node %u: %s; killed\n",
		task_pid_nr(current), current->comm, h->s->peer,
		h->s->reason[0] ? h->s->reason : "session ended");
	send_sig(SIGKILL, current, 1);
	om_dep_to_wait(h, regs);
	om_dep_leave(h);
}

/* ---------------------------------------------------------------- serve */

/*
 * Wait for the next thing to do and set the registers for it; -1: the
 * stub goes on from the registers.
 */
static int om_dep_serve(struct om_home *h, struct pt_regs *regs)
{
	struct om_sess *s = h->s;
	struct om_sess_frame *f;
	struct om_mig_msg m;
	int err;

	if (h->restore_handlers) {
		h->restore_handlers = false;
		om_dep_catch_signals(h);
	}
	for (;;) {
		if (h->n_internal > h->next_internal) {
			struct om_dep_internal *c = &h->internal[h->next_internal++];

			h->phase = OM_DP_INTERNAL;
			om_dep_set_call(regs, h->stub, c->nr, c->args);
			regs->sp = h->stack_top;
			regs->orig_ax = -1;
			return -1;
		}
		f = om_sess_dequeue(s);
		if (!f) {
			if (READ_ONCE(s->dead)) {
				om_dep_lost(h, regs);
				return -1;
			}
			/* fwd_timing: when it last woke, the start of the next call's */
			err = om_sess_wait(s, om_ft_on() ? &h->ft.t[OM_FT_D_WOKEN] : NULL);
			if (!err)
				continue;
			if (fatal_signal_pending(current)) {
				om_sess_send_why(s, OM_MIG_ABORT, -EINTR, 0,
						 "the process was killed at home");
				om_sess_end(s, -EINTR, "killed at home");
				om_dep_to_wait(h, regs);
				om_dep_leave(h);
				return -1;
			}
			/* a signal: after it (or the stop), wait again at L0 */
			regs->ip = h->stub + OM_DEP_L0_RET;
			regs->sp = h->stack_top;
			regs->orig_ax = OM_DEP_WAIT;
			syscall_set_return_value(current, regs, -ERESTARTNOINTR, 0);
			return -1;
		}
		err = om_mig_decode(f->type, f->data, f->len, &m);
		if (err) {
			kvfree(f);
			continue;	/* checked when it came in */
		}
		if (m.type != OM_MIG_SYSREQ) {
			/* its wake-up was not for a call */
			h->ft.t[OM_FT_D_WOKEN] = 0;
		} else if (om_ft_on()) {
			/* queued before it waited: from now */
			om_ft_begin(&h->ft, h->ft.t[OM_FT_D_WOKEN] ?: ktime_get_ns());
		} else {
			memset(&h->ft, 0, sizeof(h->ft));
		}
		switch (m.type) {
		case OM_MIG_SYSREQ:
			if (om_dep_request(h, regs, &m.sysreq)) {
				kvfree(f);
				return -1;
			}
			break;
		case OM_MIG_EXIT:
			om_dep_exit(h, regs, &m.exit);
			kvfree(f);
			return -1;
		case OM_MIG_COMMIT:
			/* the last numbered signal the process took there */
			h->has_sig_taken = m.commit.has_sig_seq;
			h->sig_taken = m.commit.sig_seq;
			kvfree(f);
			if (om_dep_come_home(h, regs))
				return -1;
			continue;
		case OM_MIG_STOPPED:
			if (m.stopped.sig) {
				/* stop here too, by the same signal, then wait again */
				om_dep_default(m.stopped.sig);
				h->restore_handlers = true;
				send_sig(m.stopped.sig, current, 1);
				kvfree(f);
				regs->ip = h->stub + OM_DEP_L0_RET;
				regs->sp = h->stack_top;
				regs->orig_ax = OM_DEP_WAIT;
				syscall_set_return_value(current, regs, -ERESTARTNOINTR, 0);
				return -1;
			}
			break;
		case OM_MIG_ABORT:
			om_sess_end(s, m.abort.err, "the remote gave up");
			break;
		default:
			/* CANCEL of a finished call, a stray SIGNAL: nothing to do */
			break;
		}
		kvfree(f);
	}
}

/* A signal reached the stub's handler: forward it, finish what it broke. */
static int om_dep_signal(struct om_home *h, struct pt_regs *regs)
{
	u8 info[OM_MIG_SIGINFO_LEN];
	struct ucontext __user *uc = (struct ucontext __user *)regs->dx;
	unsigned long ip = 0, ax = 0;
	int sig;

	om_dep_unblock_all();
	if (copy_from_user(info, (void __user *)regs->si, sizeof(info)) ||
	    get_user(ip, &uc->uc_mcontext.ip) || get_user(ax, &uc->uc_mcontext.ax)) {
		pr_warn_ratelimited("deputy %d: cannot read its signal frame\n",
				    task_pid_nr(current));
		om_dep_to_wait(h, regs);
		return om_dep_serve(h, regs);
	}
	sig = *(u32 *)info;
	/* a SIGSTOP forwarded before: a SIGCONT after it must not pass it */
	flush_work(&h->stop_work);
	if (sig >= 1 && sig <= OM_MIG_NSIG)
		om_dep_forward(h, info);
	if (h->phase == OM_DP_ISSUED) {
		/* done before the signal came (ip after L1), or interrupted */
		if (ip == h->stub + OM_DEP_L1_RET)
			om_dep_reply(h, (long)ax);
		else
			om_dep_reply(h, -ERESTARTSYS);
	} else if (h->phase == OM_DP_INTERNAL) {
		h->phase = OM_DP_IDLE;
	}
	om_dep_to_wait(h, regs);
	return om_dep_serve(h, regs);
}

static int om_dep_syscall(void *ctx, struct pt_regs *regs)
{
	struct om_home *h = ctx;
	unsigned long nr = regs->orig_ax;

	if (nr == OM_DEP_SIG)
		return om_dep_signal(h, regs);
	if (nr != OM_DEP_WAIT)
		return 0;	/* the call the stub makes for the remote */
	if (regs->ip == h->stub + OM_DEP_REPORT_RET) {
		if (h->phase == OM_DP_ISSUED) {
			om_ft_mark(&h->ft, OM_FT_D_DONE);
			om_dep_reply(h, (long)regs->di);
		} else {
			h->phase = OM_DP_IDLE;
		}
	}
	return om_dep_serve(h, regs);
}

static int om_dep_compat(void *ctx, struct pt_regs *regs)
{
	/* the stub makes no 32-bit calls: someone else writes its memory */
	send_sig(SIGKILL, current, 1);
	syscall_set_return_value(current, regs, -EPERM, 0);
	return -1;
}

/* Killed in a native call (SIGKILL at home): the remote goes too. */
static void om_dep_exited(void *ctx)
{
	struct om_home *h = ctx;

	om_dfsa_view_stop(h);
	om_sess_send_why(h->s, OM_MIG_ABORT, -EINTR, 0, "the process was killed at home");
	om_sess_end(h->s, -EINTR, "killed at home");
	om_sess_put(h->s);
}

static void om_dep_grab(void *ctx, void *arg)
{
	struct om_home *h = ctx;

	om_sess_get(h->s);
	*(struct om_home **)arg = h;
}

/* The deputies' role (om_expel.c counts them). */
const struct om_role_ops *om_deputy_role(void)
{
	return &om_dep_role;
}

/* The deputy's state if @t is one, with a session reference; else NULL. */
struct om_home *om_deputy_of(struct task_struct *t)
{
	struct om_home *h = NULL;

	om_role_grab(t, &om_dep_role, om_dep_grab, &h);
	return h;
}

static const struct om_role_ops om_dep_role = {
	.syscall = om_dep_syscall,
	.compat = om_dep_compat,
	.exited = om_dep_exited,
	.stopping = om_dep_stopping,
};

/* --------------------------------------------------------------- cancel */

static void om_dep_cancel_cb(struct callback_head *cb)
{
	struct om_home *h = container_of(cb, struct om_home, cancel_tw);
	struct pt_regs *regs = current_pt_regs();

	atomic_set(&h->cancel_queued, 0);
	if (!(current->flags & PF_EXITING) && h->phase == OM_DP_ISSUED &&
	    h->seq == h->cancel_seq) {
		if (regs->ip == h->stub + OM_DEP_L1_RET) {
			/* the call returned: no restart here, its code goes back */
			regs->orig_ax = -1;
		} else if (regs->ip == h->stub + OM_DEP_L1) {
			/*
			 * not made yet: as a native call a signal interrupted,
			 * the remote restarts it or fails it by its SA_RESTART
			 * (a trip home cancels without a signal: it restarts
			 * there; -EINTR cost glibc's stdio a buffered line)
			 */
			regs->ip = h->stub + OM_DEP_L1_RET;
			regs->ax = -ERESTARTSYS;
			regs->orig_ax = -1;
		}
	}
	om_sess_put(h->s);
}

/* Receive thread: the remote no longer wants call @seq (its signal). */
void om_dep_cancel(struct om_home *h, u64 seq)
{
	if (READ_ONCE(h->phase) != OM_DP_ISSUED || READ_ONCE(h->seq) != seq)
		return;
	if (atomic_xchg(&h->cancel_queued, 1))
		return;
	h->cancel_seq = seq;
	om_sess_get(h->s);
	init_task_work(&h->cancel_tw, om_dep_cancel_cb);
	if (task_work_add(h->task, &h->cancel_tw, TWA_SIGNAL)) {
		atomic_set(&h->cancel_queued, 0);
		om_sess_put(h->s);
	}
}

/* ---------------------------------------------------------------- enter */

/* Timers and signals that went with the process must not fire here too. */
static void om_dep_plan_internal(struct om_home *h, const struct om_ckpt_state *st)
{
	unsigned int i;
	int which;

	for (which = 0; which < 3; which++) {
		struct om_dep_internal *c = &h->internal[h->n_internal++];

		c->nr = __NR_setitimer;
		c->args[0] = which;
		c->args[1] = h->scratch;	/* zeroed: disarm */
		c->args[2] = 0;
	}
	for (i = 0; i < st->n_ptimers && h->n_internal < OM_DEP_MAX_INTERNAL; i++) {
		struct om_dep_internal *c = &h->internal[h->n_internal++];

		c->nr = __NR_timer_delete;
		c->args[0] = st->ptimers[i].it_id;
	}
}

/*
 * The process's memory now lives at the remote and comes back whole in
 * its image (om_restore_deputy() unmaps everything first): the deputy
 * gives its private anonymous memory back, or moving a process away
 * would free nothing at home (memory ushering).  Kept: the stub, file
 * mappings (page cache), special ones ([vdso], [vvar]), shared memory,
 * the stack holding argv and the environment (/proc/PID/cmdline), and
 * the page(s) of the thread's rseq area: the kernel writes it on every
 * return to user mode after a context switch, and a fault there is a
 * SIGSEGV that the stub's handler would forward, killing the process at
 * the remote (the rest of its VMA goes: glibc's TLS block often merges
 * with the process's own anonymous memory).
 * Best effort: what cannot be unmapped stays.
 */
#define OM_DEP_DROP_BATCH	32
/* a VMA gives up to two ranges: a batch this full may have stopped early */
#define OM_DEP_DROP_FULL	(OM_DEP_DROP_BATCH - 2)

static bool om_dep_vma_has(const struct vm_area_struct *vma, unsigned long a)
{
	return vma->vm_start <= a && a < vma->vm_end;
}

/* current's registered rseq area (glibc puts it in the thread's TLS) */
static unsigned long om_dep_rseq(void)
{
#ifdef CONFIG_RSEQ
	return (unsigned long)current->rseq;
#else
	return 0;
#endif
}

/* Whether the deputy keeps all of vma (see above); mmap_lock held */
static bool om_dep_keeps(const struct om_home *h, const struct mm_struct *mm,
			 struct vm_area_struct *vma)
{
	return !vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED) ||
	       (vma->vm_start < h->stub + OM_DEP_MAP && vma->vm_end > h->stub) ||
	       om_dep_vma_has(vma, mm->arg_start) ||
	       om_dep_vma_has(vma, mm->env_start);
}

/* [a, b) for the next batch, if not empty */
static void om_dep_drop_add(unsigned long a, unsigned long b, unsigned long *start,
			    unsigned long *len, int *n)
{
	if (a < b) {
		start[*n] = a;
		len[*n] = b - a;
		(*n)++;
	}
}

/*
 * Up to OM_DEP_DROP_BATCH ranges to drop at or above *from; mmap_lock
 * held.  A VMA with the rseq page gives the two ranges around it.
 */
static int om_dep_drop_batch(const struct om_home *h, struct mm_struct *mm,
			     unsigned long *from, unsigned long *start,
			     unsigned long *len)
{
	VMA_ITERATOR(vmi, mm, *from);
	unsigned long raw = om_dep_rseq(), rseq = raw & PAGE_MASK;
	unsigned long rseq_end = PAGE_ALIGN(raw + sizeof(struct rseq));
	struct vm_area_struct *vma;
	int n = 0;

	for_each_vma(vmi, vma) {
		if (n > OM_DEP_DROP_FULL)
			break;
		*from = vma->vm_end;
		if (om_dep_keeps(h, mm, vma))
			continue;
		if (rseq && om_dep_vma_has(vma, rseq)) {
			om_dep_drop_add(vma->vm_start, rseq, start, len, &n);
			om_dep_drop_add(min(rseq_end, vma->vm_end), vma->vm_end, start, len, &n);
		} else {
			om_dep_drop_add(vma->vm_start, vma->vm_end, start, len, &n);
		}
	}
	return n;
}

static unsigned long om_dep_drop_memory(struct om_home *h)
{
	struct mm_struct *mm = current->mm;
	unsigned long start[OM_DEP_DROP_BATCH], len[OM_DEP_DROP_BATCH];
	unsigned long from = 0, dropped = 0;
	int n, i;

	do {
		if (mmap_read_lock_killable(mm))
			break;
		n = om_dep_drop_batch(h, mm, &from, start, len);
		mmap_read_unlock(mm);
		for (i = 0; i < n; i++)
			if (!vm_munmap(start[i], len[i]))
				dropped += len[i];
	} while (n > OM_DEP_DROP_FULL);
	return dropped;
}

/* A signal dequeued here when it became the deputy */
struct om_dep_pending {
	kernel_siginfo_t info;
	bool shared;
};

/*
 * Is @si one of the @n captured siginfos of @q not matched yet (bits
 * @off.. of @used)?  The same sender's same signal twice is matched once.
 */
static bool om_dep_captured(const kernel_siginfo_t *si, u8 (*q)[OM_SIGINFO_SIZE],
			    unsigned int n, unsigned long *used, unsigned int off)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!test_bit(off + i, used) && !memcmp(q[i], si, sizeof(*si))) {
			set_bit(off + i, used);
			return true;
		}
	}
	return false;
}

/* Siginfos queued here (siglock held): how many a dequeue may yield */
static unsigned int om_dep_npending(void)
{
	struct sigqueue *q;
	unsigned int n = _NSIG;	/* and one without a siginfo per number */

	list_for_each_entry(q, &current->pending.list, list)
		n++;
	list_for_each_entry(q, &current->signal->shared_pending.list, list)
		n++;
	return n;
}

/*
 * Take at most @cap signals pending now into @p under one siglock hold:
 * how many, or -1 when more are pending than @cap (then nothing is taken
 * and *@need says how many would do).
 */
static int om_dep_take_batch(struct om_dep_pending *p, unsigned int cap,
			     unsigned int *need, bool all)
{
	struct sighand_struct *sh = current->sighand;
	enum pid_type type;
	unsigned int n;
	sigset_t keep;

	sigemptyset(&keep);
	sigaddset(&keep, SIGKILL);
	spin_lock_irq(&sh->siglock);
	*need = om_dep_npending();
	if (all && *need > cap) {
		spin_unlock_irq(&sh->siglock);
		return -1;
	}
	for (n = 0; n < cap; n++) {
		if (!om_dequeue_signal(&keep, &p[n].info, &type))
			break;
		p[n].shared = type != PIDTYPE_PID;
	}
	spin_unlock_irq(&sh->siglock);
	return n;
}

/* rounds of om_dep_take_pending() before the rest is left to the handler */
#define OM_DEP_SIG_ROUNDS 16

/*
 * The signals pending here now: those the freeze captured went with its
 * image; those that came after (while it was sent) must reach it there,
 * so they are forwarded (a SIGSTOP stops this task too), except the
 * expiries of its own timers, which went with it.  The first batch is
 * everything pending, under one siglock hold, so nothing that comes
 * meanwhile is lost: it stays pending and the stub's handler forwards it.
 * (A flush_signals() here used to lose what came after the freeze.)  A
 * flood that outgrows the first batch is taken in more, each checked
 * against the image, until every captured signal was found, nothing is
 * left, or OM_DEP_SIG_ROUNDS: the handler, which forwards without that
 * check, then never sees a signal the image carried (a second delivery).
 */
static void om_dep_take_pending(struct om_home *h, const struct om_ckpt_state *st)
{
	unsigned int cap = 0, need, i, round, tries, ncap = st->n_sigp + st->n_sigs;
	struct om_dep_pending *p = NULL;
	unsigned long *used = NULL;
	u8 info[OM_MIG_SIGINFO_LEN];
	bool stop = false;
	int n;

	if (ncap) {
		used = bitmap_zalloc(ncap, GFP_KERNEL);
		if (!used)
			goto fail;
	}
	for (round = 0; round < OM_DEP_SIG_ROUNDS; round++) {
		for (tries = 0; ; tries++) {
			/* the first round wants it all at once (a flood outgrows us: 3 tries) */
			n = om_dep_take_batch(p, cap, &need, !round && tries < 3);
			if (n >= 0)
				break;
			cap = need + 16;
			kvfree(p);
			p = kvmalloc_array(cap, sizeof(*p), GFP_KERNEL);
			if (!p)
				goto fail;
		}
		for (i = 0; i < n; i++) {
			const kernel_siginfo_t *si = &p[i].info;
			int sig = si->si_signo;

			if (p[i].shared ?
			    om_dep_captured(si, st->sigs, st->n_sigs, used, st->n_sigp) :
			    om_dep_captured(si, st->sigp, st->n_sigp, used, 0))
				continue;	/* in its image */
			if (si->si_code == SI_KERNEL &&
			    (sig == SIGALRM || sig == SIGVTALRM || sig == SIGPROF))
				continue;
			if (sig == SIGSTOP) {
				stop = true;
				continue;
			}
			if (sig < 1 || sig > OM_MIG_NSIG)
				continue;
			memset(info, 0, sizeof(info));
			memcpy(info, si, sizeof(*si));
			om_dep_forward(h, info);
		}
		/* nothing captured is left pending: the handler may take the rest */
		if (!n || !ncap || bitmap_full(used, ncap))
			break;
	}
	if (stop) {
		/* forwarded, and this task stops too (our own: not again) */
		om_sess_get(h->s);
		if (!queue_work(om_mig_wq, &h->stop_work))
			om_sess_put(h->s);
		send_sig(SIGSTOP, current, 1);
	}
	kvfree(p);
	bitmap_free(used);
	return;
fail:
	pr_warn_ratelimited("process %d: no memory to sort its pending signals: those sent during its migration are lost\n",
			    task_pid_nr(current));
	kvfree(p);
	bitmap_free(used);
	flush_signals(current);
}

/*
 * In the frozen task's own context (om_freeze.c), once its image runs at
 * the remote: become the deputy.  On failure the process is lost (its
 * image already runs there): it is killed here, and the remote told.
 */
void om_deputy_enter(struct om_home *h, const struct om_ckpt_state *st)
{
	struct pt_regs *regs = current_pt_regs();
	char reason[OM_CKPT_REASON_LEN] = "";
	unsigned long a, dropped;
	int err = 0;

	if (fatal_signal_pending(current) || READ_ONCE(h->s->dead)) {
		err = -EINTR;
		goto fail;
	}
	a = vm_mmap(NULL, 0, OM_DEP_MAP, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(a)) {
		err = (long)a;
		om_reason(reason, "cannot map the deputy's stub: %d", err);
		goto fail;
	}
	h->stub = a;
	h->stack_top = a + PAGE_SIZE + OM_DEP_STACK;
	h->scratch = h->stack_top;
	if (copy_to_user((void __user *)a, om_dep_stub, sizeof(om_dep_stub))) {
		err = -EFAULT;
		goto fail;
	}
	om_dep_plan_internal(h, st);
	/* not inside pr_debug()'s arguments: those run only when it prints */
	dropped = om_dep_drop_memory(h);
	pr_debug("process %d: the deputy gave back %lu KiB of memory\n",
		 task_pid_nr(current), dropped >> 10);
	/* its signals and timers went with it; later signals follow it */
	om_dep_take_pending(h, st);
	om_dep_catch_signals(h);
	/*
	 * And the mask sigsuspend() (ppoll(), pselect()) would put back on
	 * the way out (the image has it): kept, it would block at home the
	 * signals the remote waits for, and they would never be forwarded.
	 */
	clear_restore_sigmask();
	om_dep_unblock_all();
	/* the session reference om_mig_out.c gave us is the role's now */
	err = om_role_set(&om_dep_role, h, reason);
	if (err)
		goto fail;
	/* where its remote may answer its path calls itself (DFSA) */
	om_dfsa_view_start(h);
	om_dep_to_wait(h, regs);
	return;
fail:
	pr_warn("process %d (%s): cannot become the deputy of its remote: %s (%d); killed\n",
		task_pid_nr(current), current->comm, reason, err);
	om_sess_send_why(h->s, OM_MIG_ABORT, err, 0, "the home could not keep a deputy");
	om_sess_end(h->s, err, reason);
	send_sig(SIGKILL, current, 1);
	om_sess_put(h->s);
}
