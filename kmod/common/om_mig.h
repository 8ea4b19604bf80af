/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Migration messages: the payloads of session frames whose frame type is
 * in OM_WIRE_T_MIG_FIRST..OM_WIRE_T_MIG_LAST (om_wire.h).  One message per
 * frame; the frame type is the message type.  Every payload starts with
 * le64 mig_id, the migration session id chosen by the home node; all
 * integers are little-endian.  Documentation/wire-protocol.md, section 9,
 * describes every message field by field.
 *
 * The peer holds the cluster key but may be buggy or malicious, so
 * om_mig_decode() checks everything and returns -EBADMSG for a payload
 * whose structure is wrong (truncated, trailing bytes, a length field over
 * its limit, duplicate buffers or attributes) or -EPROTO for a field whose
 * value is out of range (unknown type, reserved flags, characters,
 * signals, errnos, ids, loads).  Decoding copies nothing and allocates nothing: strings and data
 * in struct om_mig_msg point into the payload, which must outlive it.
 * Strings are not NUL-terminated; print them with "%.*s".
 *
 * om_mig_encode() runs the same checks, so that we never send what the
 * peer would reject: decode(encode(m)) == m, and a decoded message
 * re-encodes to the same bytes (there is exactly one encoding).
 *
 *	struct om_mig_msg m = { .type = OM_MIG_CANCEL, .mig_id = id };
 *	m.cancel.seq = seq;
 *	n = om_mig_encode(&m, buf, cap);	   // then seal buf[0..n)
 *	(or n = om_mig_encode(&m, NULL, 0), then om_mig_encode_sized(&m, n, buf, cap))
 *	...
 *	err = om_mig_decode(f.hdr.type, payload, plen, &m);
 */
#ifndef _OM_MIG_H
#define _OM_MIG_H

#include "om_port.h"
#include "om_wire.h"
#include "om_tlv.h"

#define OM_MIG_PROTO		2	/* struct om_mig_caps.proto */
#define OM_MIG_CPUID_WORDS	8
#define OM_MIG_COMM_MAX		15	/* TASK_COMM_LEN - 1 */
#define OM_MIG_REASON_MAX	127
#define OM_MIG_NAME_MAX		63
#define OM_MIG_NSIG		64	/* signals are 1..OM_MIG_NSIG */
#define OM_MIG_SIGINFO_LEN	128	/* x86_64 siginfo_t */
#define OM_MIG_NARGS		6	/* system call arguments */
#define OM_MIG_MAX_BUFS		6	/* buffers per SYSREQ / SYSREP */
#define OM_MIG_MAX_IO		((1U << 20) - 4096)	/* per direction */
#define OM_MIG_IMG_MAX		(1ULL << 40)	/* bytes per image file */
#define OM_MIG_PID_MAX		(1U << 22)	/* PID_MAX_LIMIT on 64 bit */
#define OM_MIG_ERRNO_MAX	4095		/* MAX_ERRNO */
#define OM_MIG_XSTATE_MAX	(64U << 10)	/* struct om_mig_caps */

/* Message types = frame types (values are part of the protocol) */
enum om_mig_type {
	OM_MIG_OFFER	= 0x40,	/* home -> target: may I send you this? */
	OM_MIG_ACCEPT	= 0x41,	/* target -> home: yes (err 0) or no */
	OM_MIG_IMG	= 0x42,	/* either way: a chunk of an image file */
	OM_MIG_COMMIT	= 0x43,	/* the image is complete: restore it */
	OM_MIG_DONE	= 0x44,	/* target -> home: running (or not) */
	OM_MIG_SYSREQ	= 0x45,	/* remote -> home: a forwarded syscall */
	OM_MIG_SYSREP	= 0x46,	/* home -> remote: its result */
	OM_MIG_SIGNAL	= 0x47,	/* either way: deliver a signal */
	OM_MIG_CANCEL	= 0x48,	/* remote -> home: drop that SYSREQ */
	OM_MIG_EXIT	= 0x49,	/* remote -> home: the process ended */
	OM_MIG_GOHOME	= 0x4a,	/* home -> remote: send it home */
	OM_MIG_ABORT	= 0x4b,	/* either way: the migration is off */
	OM_MIG_STOPPED	= 0x4c,	/* remote -> home: stopped / continued */
	/* home -> remote: where path calls may run (OM_WIRE_FEAT_DFSA_PATHS) */
	OM_MIG_DFSA_VIEW = 0x4d,
	/*
	 * home -> remote: every image but the page data is in, build the
	 * process; the pages follow (OM_WIRE_FEAT_MIG_PGSTREAM)
	 */
	OM_MIG_PREPARE	= 0x4e,
	OM_MIG_TYPE_LAST = OM_MIG_PREPARE,
};

/* OM_MIG_IMG flags */
#define OM_MIG_IMG_LAST		0x01	/* the image is complete after this */
#define OM_MIG_IMG_KNOWN	OM_MIG_IMG_LAST

/* struct om_mig_buf.dir in a SYSREQ */
#define OM_MIG_BUF_IN		1	/* carries len bytes of data */
#define OM_MIG_BUF_OUT		2	/* the caller can take len bytes */
#define OM_MIG_BUF_INOUT	3	/* both: len bytes each way */
#define OM_MIG_MAX_IOV		1024	/* iovecs of one buffer (UIO_MAXIOV) */
#define OM_MIG_IOVEC_LEN	16	/* le64 base, le64 len */

/*
 * struct om_mig_sysreq.flags.  Flags are for the deputy and carried as
 * they are (a deputy ignores those it does not know).  DFSA: "this open
 * runs for a guest that can do the file's I/O itself": a reply to it may
 * carry a DFSA record.  DFSA_STAT, with DFSA: "and it can answer fstat
 * too": the record may carry the file's device number at home.
 */
#define OM_MIG_SYSF_DFSA	0x01
#define OM_MIG_SYSF_DFSA_STAT	0x02
/*
 * DFSA_DIR, with DFSA: "and it can list a directory itself": the record
 * may name a directory (OM_MIG_DFSA_DIR).  DFSA_DIRPOS, on an lseek(fd,
 * pos, SEEK_SET) to a home that sent such a record for fd: "a listing
 * made elsewhere hands its place back": args[3] is the node's cookie,
 * args[4] 1 if the node said the listing ended; the deputy sets its
 * file's listing there instead of seeking (om_mfs_dir_setpos()).
 */
#define OM_MIG_SYSF_DFSA_DIR	0x04
#define OM_MIG_SYSF_DFSA_DIRPOS	0x08

/*
 * The DFSA record of a SYSREP (Documentation/mfs.md, "DFSA"): the file
 * the call opened is a regular MFS file on a dfsa=1 mount at home, and
 * the remote may read and write it through MFS directly.  Only in a
 * reply to a SYSREQ with OM_MIG_SYSF_DFSA, with ret an fd (0..2^31-1)
 * and no buffers.  flags: at least one of READ and WRITE, at most one of
 * DSYNC and SYNC.
 */
#define OM_MIG_DFSA_FH_MAX	64		/* OM_MFS_FH_MAX */
#define OM_MIG_DFSA_POS_MAX	0x7fffffffffffffffULL	/* loff_t */
#define OM_MIG_DFSA_READ	0x01	/* opened for reading */
#define OM_MIG_DFSA_WRITE	0x02	/* for writing */
#define OM_MIG_DFSA_DSYNC	0x04	/* O_DSYNC: writes as fdatasync */
#define OM_MIG_DFSA_SYNC	0x08	/* O_SYNC: writes as fsync */
/*
 * a directory, listed there (OM_MIG_SYSF_DFSA_DIR asked): flags exactly
 * READ and DIR, pos 0, and the record carries the d_ino of "." and ".."
 */
#define OM_MIG_DFSA_DIR		0x10
#define OM_MIG_DFSA_KNOWN	0x1f

/*
 * The DFSA view (OM_MIG_DFSA_VIEW, Documentation/mfs.md, "DFSA"): the
 * mounts of a dfsa=1 MFS tree as the process sees them at home, so that
 * the remote can answer path calls under them itself.  Sent only to a
 * peer whose HELLO announced OM_WIRE_FEAT_DFSA_PATHS (om_wire_type_feature()).
 * At most OM_MIG_DFSA_VIEW_MAX mounts; none revokes the view, and then
 * dev is 0 (and not 0 otherwise).  A path is absolute and
 * canonical: it starts with '/', has no empty, "." or ".." component, no
 * trailing '/' and no NUL; at most one mount per path and per mnt_id.
 */
#define OM_MIG_DFSA_VIEW_MAX	8
#define OM_MIG_DFSA_PATH_MIN	2		/* "/a" */
#define OM_MIG_DFSA_PATH_MAX	4095		/* PATH_MAX - 1 */
#define OM_MIG_DFSA_MNT_ID_MAX	0x7fffffffU
#define OM_MIG_DFSA_MNT_RO	0x01	/* the mount is read-only */
#define OM_MIG_DFSA_MNT_KNOWN	OM_MIG_DFSA_MNT_RO
/*
 * The view's cwd record (phase 2, relative names), after the mounts, only
 * to a peer whose HELLO announced OM_WIRE_FEAT_DFSA_REL (an older decoder
 * refuses the trailing bytes): the process's working directory at home
 * lies under mount mnt (< n), path below its root (canonical and
 * relative: no leading or trailing '/', no empty, "." or ".." component,
 * no NUL; empty for the mount's root), and is MFS's directory node + fh
 * there (none for the tree's root: node 0 exactly when the path is empty).
 */
#define OM_MIG_DFSA_CWD_MAX	4095		/* PATH_MAX - 1 */
/*
 * STATX_ATTR_* (include/uapi/linux/stat.h; the same values in 6.1 and
 * 6.12, WRITE_ATOMIC only in 6.12): spelled out because the codec builds
 * in userspace too.  attr_mask is home's stx_attributes_mask: only these.
 */
#define OM_MIG_STATX_ATTR_COMPRESSED	0x00000004ULL
#define OM_MIG_STATX_ATTR_IMMUTABLE	0x00000010ULL
#define OM_MIG_STATX_ATTR_APPEND	0x00000020ULL
#define OM_MIG_STATX_ATTR_NODUMP	0x00000040ULL
#define OM_MIG_STATX_ATTR_ENCRYPTED	0x00000800ULL
#define OM_MIG_STATX_ATTR_AUTOMOUNT	0x00001000ULL
#define OM_MIG_STATX_ATTR_MOUNT_ROOT	0x00002000ULL
#define OM_MIG_STATX_ATTR_VERITY	0x00100000ULL
#define OM_MIG_STATX_ATTR_DAX		0x00200000ULL
#define OM_MIG_STATX_ATTR_WRITE_ATOMIC	0x00400000ULL
#define OM_MIG_DFSA_ATTR_KNOWN						\
	(OM_MIG_STATX_ATTR_COMPRESSED | OM_MIG_STATX_ATTR_IMMUTABLE |	\
	 OM_MIG_STATX_ATTR_APPEND | OM_MIG_STATX_ATTR_NODUMP |		\
	 OM_MIG_STATX_ATTR_ENCRYPTED | OM_MIG_STATX_ATTR_AUTOMOUNT |	\
	 OM_MIG_STATX_ATTR_MOUNT_ROOT | OM_MIG_STATX_ATTR_VERITY |	\
	 OM_MIG_STATX_ATTR_DAX | OM_MIG_STATX_ATTR_WRITE_ATOMIC)

/* struct om_mig_exit.how */
#define OM_MIG_EXITED		1	/* code = exit status, 0..255 */
#define OM_MIG_KILLED		2	/* code = signal, 1..OM_MIG_NSIG */

/* struct om_mig_caps.cpuid[] */
enum om_mig_cpuid_word {
	OM_MIG_CPUID_1_ECX = 0,
	OM_MIG_CPUID_1_EDX,
	OM_MIG_CPUID_7_EBX,		/* leaf 7 subleaf 0 */
	OM_MIG_CPUID_7_ECX,
	OM_MIG_CPUID_7_EDX,
	OM_MIG_CPUID_81_ECX,		/* leaf 0x80000001 */
	OM_MIG_CPUID_81_EDX,
	OM_MIG_CPUID_D1_EAX,		/* leaf 0xd subleaf 1 */
};

/*
 * The balancer's view in an automatic OFFER (struct om_mig_bal), sent
 * only to a peer whose HELLO announced OM_WIRE_FEAT_MIG_BAL.  Kinds are
 * those of enum om_bal_kind that move a process by an OFFER (a process
 * going home travels on its session); loads are om_load fixed point
 * (OM_LOAD_FSCALE = one task on one yardstick CPU).
 */
#define OM_MIG_BAL_USHER	2	/* OM_BAL_USHER: memory ushering */
#define OM_MIG_BAL_LIMIT	3	/* OM_BAL_LIMIT: above load_limit */
#define OM_MIG_BAL_LOAD		4	/* OM_BAL_LOAD: load balancing */
#define OM_MIG_LOAD_MAX		(1U << 30)	/* a million tasks per CPU */

/*
 * TLV attributes (om_tlv.h layout) after an OFFER's comm: the
 * balancer's view (none, or all four in this order, each once, with zero
 * padding), then the process's policy (none, or POLICY once); so there
 * is still one encoding per message.  Each part comes with its HELLO
 * feature (OM_WIRE_FEAT_MIG_BAL, OM_WIRE_FEAT_MIG_POLICY).
 */
enum om_mig_offer_attr {
	OM_MIG_OA_KIND = 1,	/* u8, OM_MIG_BAL_* */
	OM_MIG_OA_SENDER_LOAD,	/* u32, the sender's load it decided with */
	OM_MIG_OA_D_TARGET,	/* u32, load the target gains */
	OM_MIG_OA_D_SELF,	/* u32, load the sender sheds */
	OM_MIG_OA_POLICY,	/* u32 flags (not 0), u32 hint_age_ms */
	OM_MIG_OA_LAST = OM_MIG_OA_POLICY,
};

/*
 * struct om_mig_policy.flags: the process's balancing policy at home, so
 * the node it runs on obeys it too (its HOME rule keeps a locked guest,
 * and sees the hint).  A hint is at most one of CPU and IO.
 */
#define OM_MIG_POL_LOCKED	0x01
#define OM_MIG_POL_HINT_CPU	0x02
#define OM_MIG_POL_HINT_IO	0x04
#define OM_MIG_POL_KNOWN	0x07
#define OM_MIG_HINT_AGE_MAX	3600000U	/* ms: a hint is gone after an hour */

/* Fixed sizes on the wire */
#define OM_MIG_CAPS_LEN		(2 + 2 + 2 + 8 + 4 + 4 * OM_MIG_CPUID_WORDS + 8)
/* the four OFFER attributes: header, u8 padded to 4, then three u32 */
#define OM_MIG_OFFER_BAL_LEN	(4 * OM_TLV_HDRLEN + 4 + 3 * 4)
/* the POLICY attribute: header, two u32 */
#define OM_MIG_OFFER_POL_LEN	(OM_TLV_HDRLEN + 2 * 4)
/* IMG payload without the data, for a name of n bytes */
#define OM_MIG_IMG_HDR_LEN(n)	(8 + 1 + (n) + 8 + 1)

/*
 * What a process needs of a CPU and kernel (OFFER), or what a node has.
 * The kernel series is for reports only: 6.1 <-> 6.12 may migrate.
 */
struct om_mig_caps {
	u16 proto;		/* OM_MIG_PROTO; not 0 */
	u16 kmajor, kminor;	/* kernel series, e.g. 6, 12 */
	u64 xfeatures;		/* XCR0 features enabled */
	u32 xstate_size;	/* user xstate buffer size, <= XSTATE_MAX */
	u32 cpuid[OM_MIG_CPUID_WORDS];	/* enum om_mig_cpuid_word */
	/*
	 * A hash of the node's vDSO: a process keeps the entry points it
	 * looked up at startup, so it may only run where the vDSO is the
	 * same bytes (same kernel build, same CPU alternatives); 0 unknown
	 */
	u64 vdso;
};

/* Bytes inside a payload: not NUL-terminated */
struct om_mig_str {
	const char *s;
	u32 len;
};

/* Why the balancer moves a process, as it decided (om_balance.h) */
struct om_mig_bal {
	u8 kind;		/* OM_MIG_BAL_* */
	u32 sender_load;	/* <= OM_MIG_LOAD_MAX, each of them */
	u32 d_target;
	u32 d_self;
};

/* A process's balancing policy (OFFER): flags 0 = none, not sent */
struct om_mig_policy {
	u32 flags;		/* OM_MIG_POL_* */
	u32 hint_age_ms;	/* since its hint began to fade; 0 without one */
};

struct om_mig_offer {
	u32 home_pid;		/* 1..OM_MIG_PID_MAX */
	u32 ruid, euid, rgid, egid;	/* not (u32)-1 */
	u64 image_bytes;	/* estimate */
	struct om_mig_caps caps;
	struct om_mig_str comm;	/* <= OM_MIG_COMM_MAX, no NUL */
	/* the balancer's own decision, with its view; else bal is all 0 */
	bool automatic;
	struct om_mig_bal bal;
	struct om_mig_policy pol;
};

/* ACCEPT, GOHOME, ABORT: reason <= OM_MIG_REASON_MAX, printable ASCII */
struct om_mig_accept {
	s32 err;		/* 0 or -1..-OM_MIG_ERRNO_MAX */
	struct om_mig_str reason;
};

struct om_mig_img {
	struct om_mig_str name;	/* 1..63 of [A-Za-z0-9._-], not . or .. */
	u64 offset;		/* offset + len <= OM_MIG_IMG_MAX */
	u8 flags;		/* OM_MIG_IMG_* */
	const u8 *data;		/* the rest of the payload */
	u32 len;
};

/*
 * COMMIT, and PREPARE (the images and bytes sent so far).  has_sig_seq:
 * le64 sig_seq follows (a remote's COMMIT of the way home, to a home that
 * announced OM_WIRE_FEAT_MIG_SIGSEQ): the last numbered SIGNAL it gave
 * the process, 0 for none; the home replays the later ones.  Never in
 * PREPARE
 */
struct om_mig_commit {
	u32 n_images;		/* >= 1 */
	u64 total_bytes;	/* <= n_images * OM_MIG_IMG_MAX */
	bool has_sig_seq;
	u64 sig_seq;
};

struct om_mig_done {
	s32 err;		/* 0 or -1..-OM_MIG_ERRNO_MAX */
	u32 remote_pid;		/* err 0: 1..OM_MIG_PID_MAX, else 0 */
	struct om_mig_str reason;
};

/*
 * A system call buffer (common/om_systab.h's struct om_sys_buf on the
 * wire).  SYSREQ: data is niov iovecs (OM_MIG_IOVEC_LEN bytes each), then,
 * for dir IN and INOUT, len bytes; dir OUT and INOUT: the caller can take
 * len bytes back; at most one buffer per arg.  SYSREP: the data for the
 * request's OUT or INOUT buffer of the same arg (dir is OM_MIG_BUF_OUT
 * after decoding and ignored by the encoder, niov 0); at most one per
 * arg.  The request's data (iovec arrays and IN bytes) and the OUT
 * lengths each add up to at most OM_MIG_MAX_IO.
 */
struct om_mig_buf {
	u8 arg;			/* 0..OM_MIG_NARGS - 1 */
	u8 dir;			/* OM_MIG_BUF_* */
	u16 niov;		/* SYSREQ: iovecs leading data; else 0 */
	u32 len;
	const u8 *data;
};

struct om_mig_sysreq {
	u64 seq;
	u32 nr;			/* system call number (x86_64) */
	u32 flags;		/* for the deputy; carried as they are */
	u64 args[OM_MIG_NARGS];
	u8 nbuf;		/* <= OM_MIG_MAX_BUFS */
	struct om_mig_buf buf[OM_MIG_MAX_BUFS];
};

/*
 * A SYSREP's DFSA record: le16 node, u8 fhlen, fh, u8 flags, le64 pos,
 * with OM_MIG_DFSA_DIR le64 dot and le64 dotdot, and le32 dev if the
 * request had OM_MIG_SYSF_DFSA_STAT (and the deputy knew it)
 */
struct om_mig_dfsa {
	u16 node;		/* the MFS node serving the file: not 0 */
	u8 fhlen;		/* 1..OM_MIG_DFSA_FH_MAX */
	const u8 *fh;		/* the server's handle */
	u8 flags;		/* OM_MIG_DFSA_* */
	u64 pos;		/* the file position; <= OM_MIG_DFSA_POS_MAX */
	u64 dot;		/* OM_MIG_DFSA_DIR: d_ino of "." at home */
	u64 dotdot;		/* and of ".." */
	bool has_dev;
	u32 dev;		/* st_dev at home (new_encode_dev of its s_dev) */
};

struct om_mig_sysrep {
	u64 seq;
	s64 ret;
	u8 nbuf;		/* <= OM_MIG_MAX_BUFS */
	struct om_mig_buf buf[OM_MIG_MAX_BUFS];
	/* after the buffers, when bytes are left: the DFSA record */
	bool has_dfsa;
	struct om_mig_dfsa dfsa;
};

/*
 * OM_MIG_SIGINFO_LEN bytes of raw x86_64 siginfo, le32 si_signo (1..64)
 * first; then, from a home that numbers them (to a remote that announced
 * OM_WIRE_FEAT_MIG_SIGSEQ), le64 seq: 1, 2, ... in the order sent
 */
struct om_mig_signal {
	const u8 *info;
	u64 seq;		/* 0: none (not sent) */
};

struct om_mig_cancel {
	u64 seq;
};

struct om_mig_exit {
	u8 how;			/* OM_MIG_EXITED or OM_MIG_KILLED */
	u32 code;		/* exit status 0..255 or signal 1..64 */
	u8 core;		/* 0, or 1 (only with OM_MIG_KILLED) */
};

struct om_mig_gohome {
	struct om_mig_str reason;
};

struct om_mig_abort {
	s32 err;		/* -1..-OM_MIG_ERRNO_MAX */
	struct om_mig_str reason;
};

struct om_mig_stopped {
	u32 sig;		/* stop signal 1..64; 0 = continued */
};

/*
 * One mount of a DFSA view.  Not a struct om_mig_str: this layout keeps
 * the view (8 of them) no larger than a SYSREQ, so struct om_mig_msg
 * does not grow on the stacks that hold one.
 */
struct om_mig_dfsa_mnt {
	const char *path;	/* len bytes in the payload, not NUL-terminated */
	u32 mnt_id;		/* 1..OM_MIG_DFSA_MNT_ID_MAX: stx_mnt_id at home */
	u16 len;		/* OM_MIG_DFSA_PATH_MIN..OM_MIG_DFSA_PATH_MAX */
	u8 flags;		/* OM_MIG_DFSA_MNT_* */
};

/* A DFSA view's cwd record (OM_WIRE_FEAT_DFSA_REL) */
struct om_mig_dfsa_cwd {
	const u8 *fh;		/* fhlen bytes: the MFS handle of the directory */
	const char *path;	/* len bytes below the mount's root, not NUL-terminated */
	u16 node;		/* its MFS node; 0: the tree's root (len 0, fhlen 0) */
	u16 len;		/* 0..OM_MIG_DFSA_CWD_MAX */
	u8 mnt;			/* the mount it lies under: < n */
	u8 fhlen;		/* 1..OM_MIG_DFSA_FH_MAX, or 0 with node 0 */
};

struct om_mig_dfsa_view {
	u32 gen;		/* grows with each view of the session */
	u32 dev;		/* new_encode_dev() of home's MFS s_dev; 0 iff n 0 */
	u64 attr_mask;		/* home's stx_attributes_mask: OM_MIG_DFSA_ATTR_KNOWN */
	u8 n;			/* 0..OM_MIG_DFSA_VIEW_MAX; 0 = revoked */
	bool has_cwd;		/* the cwd record follows (never with n 0) */
	struct om_mig_dfsa_mnt mnt[OM_MIG_DFSA_VIEW_MAX];
	struct om_mig_dfsa_cwd cwd;
};

/* One decoded message; the member that type names is valid */
struct om_mig_msg {
	u8 type;		/* enum om_mig_type */
	u64 mig_id;		/* not 0 */
	union {
		struct om_mig_offer offer;
		struct om_mig_accept accept;
		struct om_mig_img img;
		struct om_mig_commit commit;	/* and PREPARE */
		struct om_mig_done done;
		struct om_mig_sysreq sysreq;
		struct om_mig_sysrep sysrep;
		struct om_mig_signal signal;
		struct om_mig_cancel cancel;
		struct om_mig_exit exit;
		struct om_mig_gohome gohome;
		struct om_mig_abort abort;
		struct om_mig_stopped stopped;
		struct om_mig_dfsa_view dview;
	};
};

/*
 * Decode the payload p[0..len) of a frame of the given type into *m.
 * 0, -EBADMSG (structure: truncated, trailing bytes, lengths over their
 * limits, duplicate buffers, len > OM_WIRE_MAX_PAYLOAD) or -EPROTO (a
 * value out of range, an unknown type).  *m is only valid on success;
 * its pointers point into p.
 */
int om_mig_decode(u8 type, const u8 *p, u32 len, struct om_mig_msg *m);

/*
 * Encode *m into out[0..cap).  Returns the payload length, -EINVAL if
 * decoding it would fail (the same checks as om_mig_decode), -EMSGSIZE if
 * it needs more than cap or than OM_WIRE_MAX_PAYLOAD bytes.  With out NULL
 * and cap 0 it only returns the length it would need.
 */
int om_mig_encode(const struct om_mig_msg *m, u8 *out, u32 cap);

/*
 * The second half of an encode whose first half, om_mig_encode(m, NULL,
 * 0), checked *m and returned its length @len: write it into out[0..cap)
 * without checking or sizing it again (a frame built in place).  *m must
 * not have changed in between.  Returns @len, -EMSGSIZE if it is over cap
 * (or OM_WIRE_MAX_PAYLOAD), -EINVAL without m or out, or a len that is
 * no message's (under 8).
 */
int om_mig_encode_sized(const struct om_mig_msg *m, u32 len, u8 *out, u32 cap);
/*
 * An IMG message's bytes before its data (m->img.data NULL, m->img.len
 * the data's length): the sender writes the data right after them.
 * Returns their length (with out NULL and cap 0: without writing them)
 * or -EINVAL/-EMSGSIZE.
 */
int om_mig_img_encode_hdr(const struct om_mig_msg *m, u8 *out, u32 cap);

/*
 * The data an IMG chunk with a name of name_len bytes can carry in a
 * payload of at most payload_max bytes (0 or over OM_WIRE_MAX_PAYLOAD
 * means OM_WIRE_MAX_PAYLOAD); 0 if even the header does not fit or
 * name_len is not 1..OM_MIG_NAME_MAX.
 */
u32 om_mig_img_room(u32 name_len, u32 payload_max);

/* Whether a reply's DFSA record (its dev, a directory) is one the request asked for */
bool om_mig_dfsa_asked(u32 flags, const struct om_mig_sysrep *r);
/*
 * Does a SYSREP answer this SYSREQ?  Same seq, every reply buffer
 * fills an OUT or INOUT buffer of the request for the same arg, no longer
 * than it, and a DFSA record only if the request asked (OM_MIG_SYSF_DFSA).
 * 0 or -EPROTO.  (The request's data pointers are not used.)
 */
int om_mig_sysrep_match(const struct om_mig_sysreq *q,
			const struct om_mig_sysrep *r);

/*
 * Make a NUL-terminated string a valid reason in place: cut it to
 * OM_MIG_REASON_MAX bytes and replace every byte outside 0x20..0x7e by
 * '?'.  Returns its new length (for struct om_mig_str).
 */
u32 om_mig_reason_clean(char *s);

/*
 * Can a process whose registers and instructions were set up under need
 * run on a node that has have?  Same protocol, every cpuid bit of need
 * set in have, need's xsave features enabled in have, need's xstate size
 * not above have's; the kernel series may differ.  0, or -EOPNOTSUPP with
 * the first thing missing written to why (NUL-terminated, truncated to
 * whylen; why may be NULL), e.g. "CPU feature avx2 (cpuid 7.0 ebx bit 5)
 * missing on the target".
 */
int om_mig_caps_check(const struct om_mig_caps *need,
		      const struct om_mig_caps *have, char *why,
		      size_t whylen);

/* "OFFER", "SYSREQ", ... or "?" */
const char *om_mig_type_name(u8 type);

#endif /* _OM_MIG_H */
