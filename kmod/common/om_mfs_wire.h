/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS messages: the payloads of session frames whose frame type is in
 * OM_WIRE_T_MFS_FIRST..OM_WIRE_T_MFS_LAST (om_wire.h).  A client node
 * asks the node that serves a tree (requests, 0x80..0x9f) and gets one
 * reply (0xa0..0xbf) with the same request id.  One message per frame;
 * the frame type is the message type; all integers are little-endian.
 * Documentation/wire-protocol.md, section 10, describes every message
 * field by field, and Documentation/mfs.md the design.
 *
 * Requests are stateless: files are named by opaque handles the server
 * made (exportfs-style), there is no open or close, and every request
 * carries the caller's credentials so that the server runs it with them.
 *
 * The peer holds the cluster key but may be buggy or malicious, so
 * om_mfs_decode() checks everything and returns -EBADMSG for a payload
 * whose structure is wrong (truncated, trailing bytes, a length field
 * over its limit or 0 where the field cannot be empty) or -EPROTO for a
 * field whose value is out of range (unknown type, reserved flags,
 * characters in names, modes, times, ids, counts).  Decoding copies
 * nothing and allocates nothing: handles, names and data in struct
 * om_mfs_msg point into the payload, which must outlive it.  Names are
 * not NUL-terminated; print them with "%.*s".
 *
 * om_mfs_encode() runs the same checks, so that we never send what the
 * peer would reject: decode(encode(m)) == m, and a decoded message
 * re-encodes to the same bytes (there is exactly one encoding).
 *
 *	struct om_mfs_msg q = { .type = OM_MFS_GETATTR, .req_id = id };
 *	q.cred = caller's fsuid, fsgid and groups;
 *	q.getattr.fh = inode's handle;
 *	n = om_mfs_encode(&q, buf, cap);	   // then seal buf[0..n)
 *	...
 *	err = om_mfs_decode(f.hdr.type, payload, plen, &r);
 *	if (!err)
 *		err = om_mfs_reply_match(&q, &r);
 */
#ifndef _OM_MFS_WIRE_H
#define _OM_MFS_WIRE_H

#include "om_port.h"
#include "om_wire.h"

#define OM_MFS_FH_MAX		64	/* handle bytes, 1..64 */
#define OM_MFS_NAME_MAX		255	/* NAME_MAX */
#define OM_MFS_TARGET_MAX	4095	/* symlink target: PATH_MAX - 1 */
#define OM_MFS_NGROUPS_MAX	32	/* supplementary groups per request */
/*
 * READ and WRITE data, READDIR entry bytes: the largest power of two
 * that fits a frame with any request's header (Documentation/mfs.md)
 */
#define OM_MFS_IO_MAX		(512U << 10)
#define OM_MFS_ERRNO_MAX	4095		/* MAX_ERRNO */
#define OM_MFS_NSEC_PER_SEC	1000000000U	/* nsec < this */
#define OM_MFS_OFF_MAX		0x7fffffffffffffffULL	/* loff_t */
#define OM_MFS_BLOCKS_MAX	(~0ULL >> 9)	/* 512-byte blocks in 2^64 bytes */
#define OM_MFS_BLKSIZE_MAX	(1U << 30)
#define OM_MFS_INVALID_ID	0xffffffffU	/* (uid_t)-1: never valid */

/* Message types = frame types (values are part of the protocol) */
enum om_mfs_type {
	/* requests, client -> server */
	OM_MFS_ROOT	= 0x80,	/* the handle of the server's root */
	OM_MFS_LOOKUP	= 0x81,	/* dir + name -> handle */
	OM_MFS_GETATTR	= 0x82,
	OM_MFS_SETATTR	= 0x83,	/* chmod, chown, truncate, utimes */
	OM_MFS_READDIR	= 0x84,	/* entries after a cookie */
	OM_MFS_READ	= 0x85,
	OM_MFS_WRITE	= 0x86,
	OM_MFS_CREATE	= 0x87,	/* a regular file */
	OM_MFS_MKDIR	= 0x88,
	OM_MFS_SYMLINK	= 0x89,
	OM_MFS_READLINK	= 0x8a,
	OM_MFS_LINK	= 0x8b,	/* a hard link */
	OM_MFS_UNLINK	= 0x8c,
	OM_MFS_RMDIR	= 0x8d,
	OM_MFS_RENAME	= 0x8e,	/* within one server */
	OM_MFS_FSYNC	= 0x8f,
	OM_MFS_STATFS	= 0x90,
	OM_MFS_READDIRPLUS = 0x91,	/* READDIR, each entry with its file */
	OM_MFS_REQ_LAST	= OM_MFS_READDIRPLUS,
	/* replies, server -> client */
	OM_MFS_R_ERROR	= 0xa0,	/* any request: it failed, with an errno */
	OM_MFS_R_OK	= 0xa1,	/* UNLINK, RMDIR, RENAME, FSYNC */
	OM_MFS_R_ENTRY	= 0xa2,	/* ROOT, LOOKUP, CREATE, MKDIR, SYMLINK, LINK */
	OM_MFS_R_ATTR	= 0xa3,	/* GETATTR, SETATTR */
	OM_MFS_R_DIRENTS = 0xa4,	/* READDIR */
	OM_MFS_R_DATA	= 0xa5,	/* READ */
	OM_MFS_R_WRITTEN = 0xa6,	/* WRITE */
	OM_MFS_R_TARGET	= 0xa7,	/* READLINK */
	OM_MFS_R_STATFS	= 0xa8,	/* STATFS */
	OM_MFS_R_DIRENTS_PLUS = 0xa9,	/* READDIRPLUS */
	OM_MFS_REP_LAST	= OM_MFS_R_DIRENTS_PLUS,

	/* notices: neither asked nor answered in the request/reply sense */
	OM_MFS_BREAK	= 0xb0,	/* server -> client: a promise ends now */
	OM_MFS_BREAK_ACK = 0xb1,	/* client -> server: it has ended */
	OM_MFS_BREAK_ALL = 0xb2,	/* server -> client: all of them end now */
	OM_MFS_NOTE_LAST = OM_MFS_BREAK_ALL,
};

#define OM_MFS_REQ_FIRST	OM_MFS_ROOT
#define OM_MFS_REP_FIRST	OM_MFS_R_ERROR
#define OM_MFS_NOTE_FIRST	OM_MFS_BREAK

/* the longest promise a server may make (R_ENTRY, R_ATTR promise_ms) */
#define OM_MFS_PROMISE_MAX_MS	60000

/* File types and permissions in struct om_mfs_attr.mode (Linux values) */
#define OM_MFS_S_IFMT		0170000
#define OM_MFS_S_IFSOCK		0140000
#define OM_MFS_S_IFLNK		0120000
#define OM_MFS_S_IFREG		0100000
#define OM_MFS_S_IFBLK		0060000
#define OM_MFS_S_IFDIR		0040000
#define OM_MFS_S_IFCHR		0020000
#define OM_MFS_S_IFIFO		0010000
#define OM_MFS_S_PERM		07777	/* what SETATTR, CREATE, MKDIR may set */

/* struct om_mfs_dirent.type (DT_* values; DT_WHT is not sent) */
#define OM_MFS_DT_UNKNOWN	0
#define OM_MFS_DT_FIFO		1
#define OM_MFS_DT_CHR		2
#define OM_MFS_DT_DIR		4
#define OM_MFS_DT_BLK		6
#define OM_MFS_DT_REG		8
#define OM_MFS_DT_LNK		10
#define OM_MFS_DT_SOCK		12

/* struct om_mfs_setattr.valid: which fields to set */
#define OM_MFS_SET_MODE		0x01
#define OM_MFS_SET_UID		0x02
#define OM_MFS_SET_GID		0x04
#define OM_MFS_SET_SIZE		0x08
#define OM_MFS_SET_ATIME	0x10	/* to atime */
#define OM_MFS_SET_MTIME	0x20	/* to mtime */
#define OM_MFS_SET_ATIME_NOW	0x40	/* to the server's clock */
#define OM_MFS_SET_MTIME_NOW	0x80
#define OM_MFS_SET_KNOWN	0xff

/* struct om_mfs_write.flags: durable before the reply, at most one */
#define OM_MFS_WRITE_DSYNC	0x01	/* as fdatasync */
#define OM_MFS_WRITE_SYNC	0x02	/* as fsync */
#define OM_MFS_WRITE_KNOWN	0x03

/* struct om_mfs_create.flags */
#define OM_MFS_CREATE_EXCL	0x01	/* -EEXIST if the name exists */
#define OM_MFS_CREATE_KNOWN	0x01

/* struct om_mfs_rename.flags: renameat2() values, at most one */
#define OM_MFS_RENAME_NOREPLACE	0x01
#define OM_MFS_RENAME_EXCHANGE	0x02
#define OM_MFS_RENAME_KNOWN	0x03

/* struct om_mfs_fsync.flags */
#define OM_MFS_FSYNC_DATA	0x01	/* fdatasync */
#define OM_MFS_FSYNC_KNOWN	0x01

/* Fixed sizes on the wire */
#define OM_MFS_ATTR_LEN		84
/* request id, uid, gid, ngroups, the groups */
#define OM_MFS_REQ_HDR_LEN(ngroups)	(8 + 4 + 4 + 1 + 4 * (ngroups))
/* one READDIR entry with a name of n bytes: ino, cookie, type, n, name */
#define OM_MFS_DIRENT_LEN(n)	(8 + 8 + 1 + 1 + (n))
#define OM_MFS_DIRENT_MAX	OM_MFS_DIRENT_LEN(OM_MFS_NAME_MAX)
/*
 * A READDIRPLUS entry: the READDIR entry, then the handle's length (0:
 * no file told) and, with a handle, the handle, attributes, promise_ms
 */
#define OM_MFS_DIRENT_PLUS_LEN(n, fhlen) \
	(OM_MFS_DIRENT_LEN(n) + 1 + ((fhlen) ? (fhlen) + OM_MFS_ATTR_LEN + 4 : 0))
#define OM_MFS_DIRENT_PLUS_MAX	OM_MFS_DIRENT_PLUS_LEN(OM_MFS_NAME_MAX, OM_MFS_FH_MAX)
/* R_DIRENTS and R_DATA before their entries or data: id, eof, le32 */
#define OM_MFS_DIRENTS_HDR_LEN	13
#define OM_MFS_DATA_HDR_LEN	13

/* A file handle: opaque bytes the server made, 1..OM_MFS_FH_MAX */
struct om_mfs_fh {
	const u8 *data;
	u32 len;
};

/* Bytes inside a payload: not NUL-terminated */
struct om_mfs_str {
	const char *s;
	u32 len;
};

struct om_mfs_time {
	s64 sec;		/* any */
	u32 nsec;		/* < OM_MFS_NSEC_PER_SEC */
};

/*
 * Whom the server acts for: the caller's fsuid, fsgid and supplementary
 * groups, strictly ascending (as the kernel keeps them).  No id is
 * OM_MFS_INVALID_ID.
 */
struct om_mfs_cred {
	u32 uid;
	u32 gid;
	u8 ngroups;		/* <= OM_MFS_NGROUPS_MAX */
	u32 groups[OM_MFS_NGROUPS_MAX];
};

/* What stat() says of a file (R_ENTRY, R_ATTR, R_WRITTEN) */
struct om_mfs_attr {
	u64 ino;		/* not 0 */
	u32 mode;		/* one OM_MFS_S_IF* type | OM_MFS_S_PERM bits */
	u32 nlink;
	u32 uid, gid;		/* not OM_MFS_INVALID_ID */
	u32 rdev;		/* new_encode_dev(); 0 unless CHR or BLK */
	u32 blksize;		/* 1..OM_MFS_BLKSIZE_MAX */
	u64 size;		/* <= OM_MFS_OFF_MAX */
	u64 blocks;		/* 512-byte units, <= OM_MFS_BLOCKS_MAX */
	struct om_mfs_time atime, mtime, ctime;
};

/* GETATTR, READLINK, STATFS: one handle */
struct om_mfs_fhop {
	struct om_mfs_fh fh;
};

/* LOOKUP, UNLINK, RMDIR: a name in a directory */
struct om_mfs_dirop {
	struct om_mfs_fh dir;
	struct om_mfs_str name;	/* 1..255, no '/' or NUL, not . or .. */
};

/* Fields whose bit is not in valid are 0 */
struct om_mfs_setattr {
	struct om_mfs_fh fh;
	u32 valid;		/* OM_MFS_SET_*; 0 = only ctime */
	u32 mode;		/* OM_MFS_S_PERM bits only */
	u32 uid, gid;
	u64 size;		/* truncate to; <= OM_MFS_OFF_MAX */
	struct om_mfs_time atime, mtime;	/* not with ..._NOW */
};

/*
 * The entries of dir after cookie (0 = from the start).  READDIRPLUS has
 * the same body; its budget holds the longest entry it may get back.
 */
struct om_mfs_readdir {
	struct om_mfs_fh dir;
	u64 cookie;
	/* OM_MFS_DIRENT_MAX (READDIRPLUS: _PLUS_MAX)..OM_MFS_IO_MAX */
	u32 max_bytes;
};

struct om_mfs_read {
	struct om_mfs_fh fh;
	u64 offset;		/* offset + len <= OM_MFS_OFF_MAX */
	u32 len;		/* 1..OM_MFS_IO_MAX */
};

struct om_mfs_write {
	struct om_mfs_fh fh;
	u64 offset;		/* offset + len <= OM_MFS_OFF_MAX */
	u8 flags;		/* OM_MFS_WRITE_* */
	u32 len;		/* 1..OM_MFS_IO_MAX */
	const u8 *data;
};

struct om_mfs_create {
	struct om_mfs_fh dir;
	struct om_mfs_str name;
	u32 mode;		/* OM_MFS_S_PERM bits, umask applied */
	u8 flags;		/* OM_MFS_CREATE_* */
};

struct om_mfs_mkdir {
	struct om_mfs_fh dir;
	struct om_mfs_str name;
	u32 mode;		/* OM_MFS_S_PERM bits, umask applied */
};

struct om_mfs_symlink {
	struct om_mfs_fh dir;
	struct om_mfs_str name;
	struct om_mfs_str target;	/* 1..OM_MFS_TARGET_MAX, no NUL */
};

/* A new name in dir for the file fh */
struct om_mfs_link {
	struct om_mfs_fh fh;
	struct om_mfs_fh dir;
	struct om_mfs_str name;
};

struct om_mfs_rename {
	struct om_mfs_fh odir;
	struct om_mfs_str oname;
	struct om_mfs_fh ndir;
	struct om_mfs_str nname;
	u32 flags;		/* OM_MFS_RENAME_* */
};

struct om_mfs_fsync {
	struct om_mfs_fh fh;
	u8 flags;		/* OM_MFS_FSYNC_* */
};

/* R_ERROR */
struct om_mfs_error {
	s32 err;		/* -OM_MFS_ERRNO_MAX..-1 */
};

/* R_ENTRY: the file a request found or made */
struct om_mfs_entry {
	struct om_mfs_fh fh;
	struct om_mfs_attr attr;
};

/*
 * BREAK: the server's promises on the file whose attributes say ino end
 * now; the client answers BREAK_ACK with the same id (req_id, not 0) once
 * it no longer uses what it cached of it.  BREAK_ALL (no body): every
 * promise the server made to the client ends (its export list changed,
 * it unloads), answered the same way.  BREAK_ACK has no body.
 */
struct om_mfs_break {
	u64 ino;		/* not 0 */
};

/*
 * R_DIRENTS, R_DIRENTS_PLUS: count entries, len bytes at ents (each
 * OM_MFS_DIRENT_LEN of its name, or OM_MFS_DIRENT_PLUS_LEN; walk them with
 * om_mfs_dirent_next()).  No entries only with eof, so that a client
 * always makes progress.
 */
struct om_mfs_dirents {
	u8 plus;		/* 1 in R_DIRENTS_PLUS, 0 in R_DIRENTS: as the type */
	u8 eof;			/* 1: no entries after these */
	u32 count;
	const u8 *ents;
	u32 len;		/* <= OM_MFS_IO_MAX */
};

/*
 * One READDIR entry; the server leaves out "." and "..".  In a
 * READDIRPLUS reply an entry may also tell its file, as a LOOKUP of its
 * name would have (R_ENTRY): handle, attributes (whose type is the
 * entry's type), promise.  Without a handle (len 0) the rest is 0.
 */
struct om_mfs_dirent {
	u64 ino;		/* not 0 */
	u64 cookie;		/* READDIR from here goes on after it; not 0 */
	u8 type;		/* OM_MFS_DT_* */
	struct om_mfs_str name;	/* as a name in a dirop */
	struct om_mfs_fh fh;	/* READDIRPLUS only; len 0..OM_MFS_FH_MAX */
	struct om_mfs_attr attr;
	u32 promise_ms;		/* <= OM_MFS_PROMISE_MAX_MS */
};

/*
 * R_DATA's flags byte (once eof alone, 0 or 1).  STABLE goes only to a
 * peer whose HELLO announced OM_WIRE_FEAT_MFS_DATA (an older decoder
 * refuses it) and is trusted only from such a peer: the server held its
 * promise to the client on the file when it read, and the file was open
 * for write nowhere, so that any change to the data from then on is told
 * by a BREAK before it completes (Documentation/mfs.md, "Read-ahead").
 */
#define OM_MFS_DATA_EOF		0x01
#define OM_MFS_DATA_STABLE	0x02

/* R_DATA: no data only with eof */
struct om_mfs_data {
	u8 eof;			/* 1: the read reached the end of the file */
	u8 stable;		/* 1: OM_MFS_DATA_STABLE; 0 or 1 */
	u32 len;		/* <= OM_MFS_IO_MAX */
	const u8 *data;
};

/* R_WRITTEN: how much went to the file, and its attributes after */
struct om_mfs_written {
	u32 count;		/* 1..OM_MFS_IO_MAX */
	struct om_mfs_attr attr;
};

/* R_STATFS; the server clamps what its filesystem says into range */
struct om_mfs_fsstat {
	u32 bsize;		/* 1..OM_MFS_BLKSIZE_MAX */
	u32 namelen;		/* 1..OM_MFS_NAME_MAX */
	u64 blocks, bfree, bavail;	/* bfree, bavail <= blocks */
	u64 files, ffree;	/* ffree <= files */
};

/* One decoded message; the member that type names is valid */
struct om_mfs_msg {
	u8 type;		/* enum om_mfs_type */
	u64 req_id;		/* not 0; a reply echoes its request's (a notice: its id) */
	/* requests only: 0 after decoding a reply, ignored by its encoder */
	struct om_mfs_cred cred;
	/*
	 * R_ENTRY and R_ATTR only (after the attributes; 0 after decoding
	 * anything else, ignored by its encoder): for that many ms from now
	 * the server will send a BREAK for the file (its server ino) before
	 * any change to its attributes, or to a directory's entries,
	 * completes; 0: no promise.  At most OM_MFS_PROMISE_MAX_MS.
	 */
	u32 promise_ms;
	union {
		/* ROOT and R_OK have no body */
		struct om_mfs_dirop lookup;
		struct om_mfs_fhop getattr;
		struct om_mfs_setattr setattr;
		struct om_mfs_readdir readdir;	/* and READDIRPLUS */
		struct om_mfs_read read;
		struct om_mfs_write write;
		struct om_mfs_create create;
		struct om_mfs_mkdir mkdir;
		struct om_mfs_symlink symlink;
		struct om_mfs_fhop readlink;
		struct om_mfs_link link;
		struct om_mfs_dirop unlink;
		struct om_mfs_dirop rmdir;
		struct om_mfs_rename rename;
		struct om_mfs_fsync fsync;
		struct om_mfs_fhop statfs;
		struct om_mfs_error error;
		struct om_mfs_entry entry;
		struct om_mfs_attr attr;
		struct om_mfs_break brk;
		struct om_mfs_dirents dirents;	/* and R_DIRENTS_PLUS */
		struct om_mfs_data data;
		struct om_mfs_written written;
		struct om_mfs_str target;
		struct om_mfs_fsstat fsstat;
	};
};

/*
 * Decode the payload p[0..len) of a frame of the given type into *m.
 * 0, -EBADMSG (structure: truncated, trailing bytes, lengths over their
 * limits or 0 where not allowed, len > OM_WIRE_MAX_PAYLOAD) or -EPROTO
 * (a value out of range, an unknown type).  *m is only valid on success;
 * its pointers point into p.
 */
int om_mfs_decode(u8 type, const u8 *p, u32 len, struct om_mfs_msg *m);

/*
 * Encode *m into out[0..cap).  Returns the payload length, -EINVAL if
 * decoding it would fail (the same checks as om_mfs_decode), -EMSGSIZE if
 * it needs more than cap bytes.  With out NULL and cap 0 it only returns
 * the length it would need.  Data and entries may already be in place
 * in out (at OM_MFS_DATA_HDR_LEN, OM_MFS_DIRENTS_HDR_LEN): they stay.
 */
int om_mfs_encode(const struct om_mfs_msg *m, u8 *out, u32 cap);

/*
 * Does rep answer req?  Same request id; R_ERROR, or the reply type
 * for the request's type; R_DATA no longer than the READ asked, its
 * entries no more than the READDIR's max_bytes, R_WRITTEN's count no more
 * than the WRITE's len; ROOT and MKDIR found a directory, CREATE a
 * regular file, SYMLINK a symlink, LINK no directory.  0 or -EPROTO.
 * (The decoder cannot know the request; the caller keeps it.)
 */
int om_mfs_reply_match(const struct om_mfs_msg *req,
		       const struct om_mfs_msg *rep);

/*
 * Append one entry at out[0..cap), e.g. into a payload after
 * OM_MFS_DIRENTS_HDR_LEN: a READDIR entry, or with plus a READDIRPLUS
 * one.  Returns its length, -EINVAL if it is not a valid entry (a READDIR
 * entry with a handle too), -EMSGSIZE if it does not fit.
 */
int om_mfs_dirent_put(const struct om_mfs_dirent *e, bool plus, u8 *out,
		      u32 cap);

/*
 * The entry at *off (start with 0) of a decoded R_DIRENTS, and *off
 * moved to the next.  false after the last (or at a malformed one).
 */
bool om_mfs_dirent_next(const struct om_mfs_dirents *d, u32 *off,
			struct om_mfs_dirent *e);

/*
 * Whether a decoded R_DIRENTS asked from cookie asked moves the listing
 * on: one that is not the last must end past where it began (entries may
 * share a position, as on a hash collision), else a listing of a confused
 * or malicious node would never end.
 */
bool om_mfs_dirents_advance(const struct om_mfs_dirents *d, u64 asked);

/* OM_MFS_DT_* for a mode's file type (OM_MFS_DT_UNKNOWN for none) */
u8 om_mfs_mode_to_dt(u32 mode);

/* True for request types, which carry credentials */
bool om_mfs_is_request(u8 type);

/* True for BREAK, BREAK_ACK and BREAK_ALL */
bool om_mfs_is_notice(u8 type);

/* "LOOKUP", "R_ENTRY", ... or "?" */
const char *om_mfs_type_name(u8 type);

#endif /* _OM_MFS_WIRE_H */
