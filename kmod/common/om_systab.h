/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The system-call table of a migrated process, and the marshalling both
 * ends of a forwarded call share (Documentation/syscall-forwarding.md).
 *
 * Every x86_64 system call of a guest is LOCAL (runs on the node the
 * process is on), FORWARD (its home node's deputy runs the same call with
 * its own fds, cwd and credentials) or HOME (the process goes home first
 * and makes the call there, natively).  om_sys_classify() decides, from
 * the number and, for a few calls, the arguments.
 *
 * A FORWARD call's memory arguments are described by buffer descriptors.
 *
 *   remote (the guest)                    home (the deputy)
 *   om_sys_classify()
 *   om_sys_marshal()  -- request -->      om_sys_layout(): untrusted request
 *                                           -> scratch copies, new args
 *                                         deputy runs the raw call
 *   om_sys_unmarshal_reply() <-- reply -- om_sys_collect(): what goes back
 *   -> copy_to_user list
 *
 * The request is nr, args[6] and a list of struct om_sys_buf; the reply
 * is the return value and a list of struct om_sys_buf (OUT).  How they are
 * put on the wire is the transport's business: a buffer is its four
 * fields and om_sys_buf_datalen() bytes.
 *
 * Plain C: builds in the module and in userspace (tests, fuzzers).
 */
#ifndef _OM_SYSTAB_H
#define _OM_SYSTAB_H

#include "om_port.h"
#ifdef __KERNEL__
#include <asm/unistd.h>		/* __NR_*: the x86_64 numbers */
#else
#include <asm/unistd_64.h>
#endif

/* Numbers 0..OM_SYS_NR_MAX-1 are x86_64's; x32 ones carry bit 30 */
#define OM_SYS_NR_MAX		512
#define OM_SYS_X32_BIT		0x40000000ULL

/* Most bytes one call moves (the sum of its buffers, iovec arrays included) */
#define OM_SYS_MAX_IO		((1U << 20) - 4096)
/* A scratch area this big fits every call om_sys_layout() accepts */
#define OM_SYS_SCRATCH_SIZE	(1U << 20)
/* A path buffer, NUL included (PATH_MAX) */
#define OM_SYS_PATH_MAX		4096
/* Most iovecs (UIO_MAXIOV) */
#define OM_SYS_MAX_IOV		1024
/* Most buffers of one call (pselect6) */
#define OM_SYS_MAX_BUFS		5
/* Most copies om_sys_unmarshal_reply() may produce */
#define OM_SYS_MAX_COPIES	(OM_SYS_MAX_BUFS + OM_SYS_MAX_IOV)
/* om_sys_marshal(): the call cannot be forwarded, bring the process home */
#define OM_SYS_GO_HOME		1

/* x86_64 ABI sizes (checked against the C library by the unit tests) */
#define OM_SYS_SZ_STAT		144	/* struct stat */
#define OM_SYS_SZ_STATX		256	/* struct statx */
#define OM_SYS_SZ_STATFS	120	/* struct statfs */
#define OM_SYS_SZ_RUSAGE	144	/* struct rusage */
#define OM_SYS_SZ_SIGINFO	128	/* siginfo_t */
#define OM_SYS_SZ_UTSNAME	390	/* struct new_utsname */
#define OM_SYS_SZ_SYSINFO	112	/* struct sysinfo */
#define OM_SYS_SZ_TERMIOS	36	/* the kernel's struct termios */
#define OM_SYS_SZ_WINSIZE	8	/* struct winsize */
#define OM_SYS_SZ_FLOCK		32	/* struct flock */
#define OM_SYS_SZ_POLLFD	8	/* struct pollfd */
#define OM_SYS_SZ_TIMESPEC	16	/* struct __kernel_timespec */
#define OM_SYS_SZ_TIMEVAL	16	/* struct __kernel_old_timeval */
#define OM_SYS_SZ_IOVEC		16	/* struct iovec */
#define OM_SYS_SZ_SIGSET	8	/* the kernel's sigset_t */

enum om_sys_class {
	OM_SYS_LOCAL,		/* run it where the process is */
	OM_SYS_FORWARD,		/* the deputy runs it at home */
	OM_SYS_HOME,		/* bring the process home, it runs there */
};

/* Buffer directions (bit mask) */
#define OM_SYS_IN		1	/* the call reads it: sent in the request */
#define OM_SYS_OUT		2	/* the call writes it: sent in the reply */
#define OM_SYS_INOUT		(OM_SYS_IN | OM_SYS_OUT)

/*
 * Buffer descriptor kinds: how long a buffer is.
 *   FIXED    size bytes
 *   LEN_ARG  args[larg] * size bytes (at most max)
 *   STR      a path: up to its NUL, at most OM_SYS_PATH_MAX
 *   RET      OUT: args[larg] * size bytes may be written, and
 *            min(that, ret * size) are
 *   IOV      struct iovec[args[larg]], at most OM_SYS_MAX_IOV; OUT: like
 *            RET, spread over the iovecs
 *   FDSET    an fd_set of args[larg] bits: 8 * ceil(n / 64) bytes
 *   SIGPAIR  pselect6's {sigset_t *, size}: the sigset
 */
enum om_sys_bkind {
	OM_SYS_B_FIXED,
	OM_SYS_B_LEN_ARG,
	OM_SYS_B_STR,
	OM_SYS_B_RET,
	OM_SYS_B_IOV,
	OM_SYS_B_FDSET,
	OM_SYS_B_SIGPAIR,
};

/* How a length argument is read (the kernel's C type for it) */
enum om_sys_ltype {
	OM_SYS_LT_ULONG,	/* size_t, unsigned long */
	OM_SYS_LT_UINT,		/* unsigned int: the low 32 bits */
	OM_SYS_LT_INT,		/* int: the low 32 bits, < 0 means 0 bytes */
};

/* When an OUT buffer goes back (RET and IOV: only when ret >= 0) */
enum om_sys_when {
	OM_SYS_W_OK,		/* ret >= 0 */
	OM_SYS_W_POS,		/* ret > 0 (wait4's status and rusage) */
	/* any ret; INOUT only: what the kernel did not rewrite goes back */
	OM_SYS_W_ALWAYS,
};

/* Buffer descriptor flags */
#define OM_SYS_BF_NULLOK	0x01	/* a NULL pointer means no buffer */
#define OM_SYS_BF_CLAMP		0x02	/* the length arg may be lowered */

struct om_sys_bdesc {
	u8 arg;			/* the pointer argument, 0..5 */
	u8 kind;		/* enum om_sys_bkind */
	u8 dir;			/* OM_SYS_IN/OUT/INOUT */
	u8 larg;		/* the length argument (LEN_ARG, RET, IOV, FDSET) */
	u8 ltype;		/* enum om_sys_ltype */
	u8 flags;		/* OM_SYS_BF_* */
	u8 when;		/* enum om_sys_when */
	u32 size;		/* FIXED: bytes; LEN_ARG, RET: element size */
	u32 max;		/* LEN_ARG: most bytes (else -E2BIG), 0: none */
};

/*
 * One call (or, for calls whose class depends on an argument, one case
 * of it: cond says which).  nbuf buffers in argument order.
 */
struct om_sys_desc {
	const char *name;	/* "read" */
	const char *cond;	/* NULL, or "cmd == TCGETS", ... */
	u32 key;		/* a case: the argument value it applies to */
	u16 nr;
	u8 cls;			/* enum om_sys_class */
	u8 nbuf;
	const struct om_sys_bdesc *buf;
};

/* Classification: the class; *desc (may be NULL) gets the case taken */
enum om_sys_class om_sys_classify(u64 nr, const u64 args[6],
				  const struct om_sys_desc **desc);

/*
 * What the table knows, for the documentation: the entry of nr (NULL if
 * nr is unknown: HOME) and, for a call whose class depends on its
 * arguments, its cases (the last one, cond "otherwise", the default).
 * om_sys_cases() returns the number of cases, 0 for a plain call.
 */
const struct om_sys_desc *om_sys_entry(u64 nr);
unsigned int om_sys_cases(u64 nr, const struct om_sys_desc **cases);

/*
 * A buffer of a request or a reply.
 *   request: dir as the descriptor says; len the bytes the buffer covers
 *            (IN: sent, OUT: the most that may come back, INOUT: both);
 *            IOV buffers: niov the iovec count, and data starts with the
 *            iovec array as the process gave it (iov_len clamped, le64
 *            pairs {base, len}; home ignores the bases), followed by the
 *            payload when IN; len is the payload (sum of the iov_len).
 *   reply:   dir OM_SYS_OUT, niov 0, len bytes of data.
 * data holds om_sys_buf_datalen() bytes (may be NULL when that is 0).
 */
struct om_sys_buf {
	u8 arg;
	u8 dir;
	u16 niov;
	u32 len;
	const u8 *data;
};

static inline size_t om_sys_buf_datalen(const struct om_sys_buf *b)
{
	return (size_t)b->niov * OM_SYS_SZ_IOVEC +
	       ((b->dir & OM_SYS_IN) ? b->len : 0);
}

/* ---- Remote side ---- */

/* Access to the guest's memory: copy_from_user and strnlen_user wrappers */
struct om_sys_umem {
	void *ctx;
	/* 0, or -EFAULT unless all n bytes at uaddr were read */
	int (*copy_from)(void *ctx, void *dst, u64 uaddr, size_t n);
	/* strnlen_user(): length with the NUL, > n if none in n bytes, 0: fault */
	long (*strnlen)(void *ctx, u64 uaddr, long n);
};

/*
 * A request being built, and what the remote needs to apply the reply.
 * nr, args and buf[0..nbuf) go on the wire; the rest stays.  buf[].data
 * points into the data area given to om_sys_marshal(), which must live
 * until the reply has been applied.
 */
struct om_sys_req {
	u16 nr;
	u8 nbuf;
	u8 clamped;		/* a length was lowered to OM_SYS_MAX_IO */
	u64 args[6];		/* the call's arguments, lengths clamped */
	struct om_sys_buf buf[OM_SYS_MAX_BUFS];
	/* remote only */
	const struct om_sys_desc *desc;
	u8 bi[OM_SYS_MAX_BUFS];	/* buf[i] is desc->buf[bi[i]] */
	size_t used;		/* bytes of the data area used */
};

/*
 * Build the request of a FORWARD call (desc from om_sys_classify()):
 * reads the IN buffers through um into data (cap bytes; OM_SYS_MAX_IO is
 * always enough).  0, OM_SYS_GO_HOME when the buffers cannot fit
 * OM_SYS_MAX_IO even clamped (poll with 200000 fds), or an error for the
 * process: -EFAULT (um), -ENAMETOOLONG (a path of 4096 bytes or more),
 * -EINVAL (iovec count > 1024, iov_len < 0, pselect6 sigset size != 8),
 * -E2BIG (openat2 size > 4096).  -ENOBUFS: cap too small (caller bug),
 * -EINVAL: desc not FORWARD (caller bug).
 */
int om_sys_marshal(const struct om_sys_desc *desc, const u64 args[6],
		   const struct om_sys_umem *um, struct om_sys_req *rq,
		   u8 *data, size_t cap);

/* A copy_to_user the remote performs */
struct om_sys_copy {
	u64 uaddr;
	const u8 *src;
	u32 len;
};

/*
 * Check a reply (return value ret, buffers bufs[0..nbuf)) against its
 * request: the buffers must be exactly what om_sys_collect() gives for ret
 * at home (same args, same order, same lengths), and for RET and IOV
 * buffers ret must not exceed what was asked.  Fills cp[0..n) with the
 * copies to make, in order, and returns n; -EBADMSG for a reply that does
 * not match (nothing to copy then), -ENOBUFS if ncp is too small
 * (OM_SYS_MAX_COPIES always suffices).
 */
int om_sys_unmarshal_reply(const struct om_sys_req *rq, s64 ret,
			   const struct om_sys_buf *bufs, unsigned int nbuf,
			   struct om_sys_copy *cp, unsigned int ncp);

/* ---- Home side ---- */

/* A copy into the scratch area before the call */
struct om_sys_span {
	u32 off;		/* from scratch_base */
	u32 len;
	const u8 *src;		/* request data, or the plan's own bytes */
};

/* An OUT buffer to send back after the call */
struct om_sys_out {
	u8 arg;
	u32 off;		/* from scratch_base */
	u32 len;
};

/*
 * The layout of one call in the deputy's scratch area.  About 17 KiB
 * (the rebuilt iovec array): allocate it, do not put it on the stack.
 */
struct om_sys_plan {
	u64 args[6];		/* for the raw system call */
	u32 used;		/* scratch bytes used */
	u8 nin;
	struct om_sys_span in[2 * OM_SYS_MAX_BUFS];
	/* for om_sys_collect() */
	const struct om_sys_desc *desc;
	u8 nreq;
	struct {
		u8 arg;
		u8 bi;		/* desc->buf[bi] */
		u32 off;
		u32 len;	/* the most that may go back */
	} req[OM_SYS_MAX_BUFS];
	u8 pair[16];		/* pselect6's {sigset_t *, size} */
	u8 iov[OM_SYS_MAX_IOV * OM_SYS_SZ_IOVEC];
};

/*
 * Check a request from a peer (untrusted) and lay it out in the scratch
 * area [scratch_base, scratch_base + scratch_len) of the deputy.  The call
 * is classified again here: -EPERM unless FORWARD.  -EINVAL when the
 * buffers are not exactly those the table calls for (same args, order,
 * directions, lengths the args imply; a path must hold its NUL), or
 * scratch_base is not 8-byte aligned; -E2BIG when the buffers exceed
 * OM_SYS_MAX_IO or do not fit the scratch area.  On success: plan->args
 * are the arguments to run the call with (pointers into scratch, NULL
 * stays NULL); copy plan->in[0..nin) into scratch first.
 */
int om_sys_layout(u64 nr, const u64 args[6], const struct om_sys_buf *bufs,
		  unsigned int nbuf, u64 scratch_base, size_t scratch_len,
		  struct om_sys_plan *plan);

/*
 * After the call returned ret: the OUT buffers of the reply, in order,
 * into out[OM_SYS_MAX_BUFS]; returns their number.  Each is reply buffer
 * {arg, OM_SYS_OUT, 0, len} with the len bytes at scratch_base + off.
 */
unsigned int om_sys_collect(const struct om_sys_plan *plan, s64 ret,
			    struct om_sys_out *out);

#endif /* _OM_SYSTAB_H */
