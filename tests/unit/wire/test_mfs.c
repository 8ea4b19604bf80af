// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_mfs_wire (MFS messages): round trips of every type at
 * ordinary and maximum sizes, the sizes Documentation/wire-protocol.md
 * gives, golden bytes, every truncation, trailing bytes, each rejected
 * value with its errno, the encoder's refusals, and the helpers.
 */
#include "tap.h"
#include "tests.h"
#include "om_mfs_wire.h"

#define REQ_ID 0x0123456789abcdefULL
#define BIG (OM_WIRE_MAX_PAYLOAD + 64)
#define S64_MIN_ ((s64)0x8000000000000000ULL)
#define S64_MAX_ ((s64)0x7fffffffffffffffULL)

static u8 enc[BIG], enc2[BIG], data[OM_MFS_IO_MAX + 64];
static u8 fh_a[OM_MFS_FH_MAX], fh_b[OM_MFS_FH_MAX];
static char name255[OM_MFS_NAME_MAX + 1];
static char target4095[OM_MFS_TARGET_MAX + 1];
/* R_DIRENTS samples: three entries, and entries of exactly OM_MFS_IO_MAX */
static u8 ents3[3 * OM_MFS_DIRENT_MAX], ents_big[OM_MFS_IO_MAX];
static u32 ents3_len, ents_big_len, ents_big_count;
/*
 * R_DIRENTS_PLUS samples: three entries (a directory and a file with
 * their files, a symlink without), and the largest entries filling
 * exactly OM_MFS_IO_MAX
 */
static u8 pents3[3 * OM_MFS_DIRENT_PLUS_MAX], pents_big[OM_MFS_IO_MAX];
static u32 pents3_len, pents_big_len, pents_big_count;

static struct om_mfs_str str(const char *s)
{
	struct om_mfs_str t = { s, (u32)strlen(s) };

	return t;
}

static struct om_mfs_fh fh(const u8 *p, u32 n)
{
	struct om_mfs_fh f = { p, n };

	return f;
}

/* A READDIR entry: no file (the rest 0) */
static struct om_mfs_dirent dent(u64 ino, u64 cookie, u8 type, const char *name)
{
	struct om_mfs_dirent e = {
		.ino = ino, .cookie = cookie, .type = type, .name = str(name) };

	return e;
}

static void cred_sample(struct om_mfs_cred *c, bool big)
{
	int i;

	memset(c, 0, sizeof(*c));
	if (!big) {
		c->uid = 1000;
		c->gid = 1000;
		c->ngroups = 2;
		c->groups[0] = 4;
		c->groups[1] = 27;
		return;
	}
	/* 32 groups: 0, then up to 0xfffffffe */
	c->uid = 0xfffffffe;
	c->gid = 0;
	c->ngroups = OM_MFS_NGROUPS_MAX;
	for (i = 1; i < OM_MFS_NGROUPS_MAX; i++)
		c->groups[i] = 0xfffffffeU - (u32)(OM_MFS_NGROUPS_MAX - 1 - i);
}

static void attr_sample(struct om_mfs_attr *a, u32 fmt, bool big)
{
	memset(a, 0, sizeof(*a));
	a->ino = big ? ~0ULL : 1234567;
	a->mode = fmt | (big ? OM_MFS_S_PERM : 0644);
	a->nlink = big ? 0xffffffff : 1;
	a->uid = big ? 0xfffffffe : 1000;
	a->gid = big ? 0xfffffffe : 100;
	if (fmt == OM_MFS_S_IFCHR || fmt == OM_MFS_S_IFBLK)
		a->rdev = big ? 0xffffffff : 0x103;	/* 1:3 */
	a->blksize = big ? OM_MFS_BLKSIZE_MAX : 4096;
	a->size = big ? OM_MFS_OFF_MAX : 12345;
	a->blocks = big ? OM_MFS_BLOCKS_MAX : 32;
	a->atime.sec = big ? S64_MIN_ : 1700000000;
	a->atime.nsec = big ? OM_MFS_NSEC_PER_SEC - 1 : 1;
	a->mtime.sec = big ? S64_MAX_ : 1700000001;
	a->mtime.nsec = big ? OM_MFS_NSEC_PER_SEC - 1 : 0;
	a->ctime.sec = big ? -1 : 1700000002;
	a->ctime.nsec = big ? OM_MFS_NSEC_PER_SEC - 1 : 999;
}

/*
 * A valid message of each type; big = the largest that type allows.
 * Returns the type's name for test descriptions.
 */
static const char *sample(u8 type, bool big, struct om_mfs_msg *m)
{
	struct om_mfs_fh f = fh(fh_a, big ? OM_MFS_FH_MAX : 8);
	struct om_mfs_fh d = fh(fh_b, big ? OM_MFS_FH_MAX : 12);
	struct om_mfs_str nm = big ? str(name255) : str("file.txt");
	struct om_mfs_str tg = big ? str(target4095) : str("../lib/libx.so.1");

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->req_id = big ? ~0ULL : REQ_ID;
	if (om_mfs_is_request(type))
		cred_sample(&m->cred, big);
	switch (type) {
	case OM_MFS_LOOKUP:
		m->lookup.dir = d;
		m->lookup.name = nm;
		break;
	case OM_MFS_GETATTR:
		m->getattr.fh = f;
		break;
	case OM_MFS_SETATTR:
		m->setattr.fh = f;
		if (!big) {
			m->setattr.valid = OM_MFS_SET_MODE | OM_MFS_SET_MTIME_NOW;
			m->setattr.mode = 0640;
			break;
		}
		m->setattr.valid = OM_MFS_SET_MODE | OM_MFS_SET_UID |
				   OM_MFS_SET_GID | OM_MFS_SET_SIZE |
				   OM_MFS_SET_ATIME | OM_MFS_SET_MTIME;
		m->setattr.mode = OM_MFS_S_PERM;
		m->setattr.uid = 0xfffffffe;
		m->setattr.gid = 0;
		m->setattr.size = OM_MFS_OFF_MAX;
		m->setattr.atime.sec = S64_MIN_;
		m->setattr.atime.nsec = OM_MFS_NSEC_PER_SEC - 1;
		m->setattr.mtime.sec = S64_MAX_;
		m->setattr.mtime.nsec = OM_MFS_NSEC_PER_SEC - 1;
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		m->readdir.dir = d;
		m->readdir.cookie = big ? ~0ULL : 0;
		m->readdir.max_bytes = big ? OM_MFS_IO_MAX : 4096;
		break;
	case OM_MFS_READ:
		m->read.fh = f;
		m->read.offset = big ? OM_MFS_OFF_MAX - OM_MFS_IO_MAX : 8192;
		m->read.len = big ? OM_MFS_IO_MAX : 4096;
		break;
	case OM_MFS_WRITE:
		m->write.fh = f;
		m->write.offset = big ? OM_MFS_OFF_MAX - OM_MFS_IO_MAX : 100;
		m->write.flags = big ? OM_MFS_WRITE_SYNC : 0;
		m->write.len = big ? OM_MFS_IO_MAX : 11;
		m->write.data = data;
		break;
	case OM_MFS_CREATE:
		m->create.dir = d;
		m->create.name = nm;
		m->create.mode = big ? OM_MFS_S_PERM : 0644;
		m->create.flags = big ? OM_MFS_CREATE_EXCL : 0;
		break;
	case OM_MFS_MKDIR:
		m->mkdir.dir = d;
		m->mkdir.name = nm;
		m->mkdir.mode = big ? OM_MFS_S_PERM : 0755;
		break;
	case OM_MFS_SYMLINK:
		m->symlink.dir = d;
		m->symlink.name = nm;
		m->symlink.target = tg;
		break;
	case OM_MFS_READLINK:
		m->readlink.fh = f;
		break;
	case OM_MFS_LINK:
		m->link.fh = f;
		m->link.dir = d;
		m->link.name = nm;
		break;
	case OM_MFS_UNLINK:
		m->unlink.dir = d;
		m->unlink.name = nm;
		break;
	case OM_MFS_RMDIR:
		m->rmdir.dir = d;
		m->rmdir.name = nm;
		break;
	case OM_MFS_RENAME:
		m->rename.odir = d;
		m->rename.oname = nm;
		m->rename.ndir = f;
		m->rename.nname = big ? str(name255) : str("new name");
		m->rename.flags = big ? OM_MFS_RENAME_EXCHANGE : 0;
		break;
	case OM_MFS_FSYNC:
		m->fsync.fh = f;
		m->fsync.flags = big ? OM_MFS_FSYNC_DATA : 0;
		break;
	case OM_MFS_STATFS:
		m->statfs.fh = f;
		break;
	case OM_MFS_R_ERROR:
		m->error.err = big ? -OM_MFS_ERRNO_MAX : -ENOENT;
		break;
	case OM_MFS_R_ENTRY:
		m->entry.fh = f;
		attr_sample(&m->entry.attr, big ? OM_MFS_S_IFCHR : OM_MFS_S_IFREG,
			    big);
		m->promise_ms = big ? OM_MFS_PROMISE_MAX_MS : 0;
		break;
	case OM_MFS_R_ATTR:
		attr_sample(&m->attr, big ? OM_MFS_S_IFBLK : OM_MFS_S_IFDIR, big);
		m->promise_ms = big ? OM_MFS_PROMISE_MAX_MS : 1;
		break;
	case OM_MFS_BREAK:
		m->brk.ino = big ? ~0ULL : 1;
		break;
	case OM_MFS_R_DIRENTS:
		m->dirents.eof = big;
		m->dirents.count = big ? ents_big_count : 3;
		m->dirents.ents = big ? ents_big : ents3;
		m->dirents.len = big ? ents_big_len : ents3_len;
		break;
	case OM_MFS_R_DIRENTS_PLUS:
		m->dirents.plus = 1;
		m->dirents.eof = big;
		m->dirents.count = big ? pents_big_count : 3;
		m->dirents.ents = big ? pents_big : pents3;
		m->dirents.len = big ? pents_big_len : pents3_len;
		break;
	case OM_MFS_R_DATA:
		m->data.eof = big;
		m->data.stable = !big;
		m->data.len = big ? OM_MFS_IO_MAX : 100;
		m->data.data = data + 1;
		break;
	case OM_MFS_R_WRITTEN:
		m->written.count = big ? OM_MFS_IO_MAX : 11;
		attr_sample(&m->written.attr, OM_MFS_S_IFREG, big);
		break;
	case OM_MFS_R_TARGET:
		m->target = tg;
		break;
	case OM_MFS_R_STATFS:
		m->fsstat.bsize = big ? OM_MFS_BLKSIZE_MAX : 4096;
		m->fsstat.namelen = OM_MFS_NAME_MAX;
		m->fsstat.blocks = big ? ~0ULL : 1000000;
		m->fsstat.bfree = big ? ~0ULL : 500000;
		m->fsstat.bavail = big ? ~0ULL : 450000;
		m->fsstat.files = big ? ~0ULL : 65536;
		m->fsstat.ffree = big ? ~0ULL : 60000;
		break;
	}
	return om_mfs_type_name(type);
}

/* Every type, requests then replies */
static const u8 all_types[] = {
	OM_MFS_ROOT, OM_MFS_LOOKUP, OM_MFS_GETATTR, OM_MFS_SETATTR,
	OM_MFS_READDIR, OM_MFS_READ, OM_MFS_WRITE, OM_MFS_CREATE,
	OM_MFS_MKDIR, OM_MFS_SYMLINK, OM_MFS_READLINK, OM_MFS_LINK,
	OM_MFS_UNLINK, OM_MFS_RMDIR, OM_MFS_RENAME, OM_MFS_FSYNC,
	OM_MFS_STATFS, OM_MFS_READDIRPLUS,
	OM_MFS_R_ERROR, OM_MFS_R_OK, OM_MFS_R_ENTRY, OM_MFS_R_ATTR,
	OM_MFS_R_DIRENTS, OM_MFS_R_DATA, OM_MFS_R_WRITTEN, OM_MFS_R_TARGET,
	OM_MFS_R_STATFS, OM_MFS_R_DIRENTS_PLUS, OM_MFS_BREAK, OM_MFS_BREAK_ACK,
	OM_MFS_BREAK_ALL,
};

/* Every file type (attributes' mode) */
static const u32 fmts[] = {
	OM_MFS_S_IFSOCK, OM_MFS_S_IFLNK, OM_MFS_S_IFREG, OM_MFS_S_IFBLK,
	OM_MFS_S_IFDIR, OM_MFS_S_IFCHR, OM_MFS_S_IFIFO,
};

static bool bytes_eq(const void *a, const void *b, u32 n)
{
	return !n || (a && b && !memcmp(a, b, n));
}

static bool str_eq(const struct om_mfs_str *a, const struct om_mfs_str *b)
{
	return a->len == b->len && bytes_eq(a->s, b->s, a->len);
}

static bool fh_eq(const struct om_mfs_fh *a, const struct om_mfs_fh *b)
{
	return a->len == b->len && bytes_eq(a->data, b->data, a->len);
}

static bool time_eq(const struct om_mfs_time *a, const struct om_mfs_time *b)
{
	return a->sec == b->sec && a->nsec == b->nsec;
}

static bool attr_eq(const struct om_mfs_attr *a, const struct om_mfs_attr *b)
{
	return a->ino == b->ino && a->mode == b->mode && a->nlink == b->nlink &&
	       a->uid == b->uid && a->gid == b->gid && a->rdev == b->rdev &&
	       a->blksize == b->blksize && a->size == b->size &&
	       a->blocks == b->blocks && time_eq(&a->atime, &b->atime) &&
	       time_eq(&a->mtime, &b->mtime) && time_eq(&a->ctime, &b->ctime);
}

static bool dirop_eq(const struct om_mfs_dirop *a, const struct om_mfs_dirop *b)
{
	return fh_eq(&a->dir, &b->dir) && str_eq(&a->name, &b->name);
}

static bool cred_eq(const struct om_mfs_cred *a, const struct om_mfs_cred *b)
{
	return a->uid == b->uid && a->gid == b->gid &&
	       a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups, sizeof(u32) * a->ngroups);
}

static bool req_eq(const struct om_mfs_msg *a, const struct om_mfs_msg *b)
{
	switch (a->type) {
	case OM_MFS_ROOT:
		return true;
	case OM_MFS_LOOKUP:
		return dirop_eq(&a->lookup, &b->lookup);
	case OM_MFS_GETATTR:
		return fh_eq(&a->getattr.fh, &b->getattr.fh);
	case OM_MFS_SETATTR:
		return fh_eq(&a->setattr.fh, &b->setattr.fh) &&
		       a->setattr.valid == b->setattr.valid &&
		       a->setattr.mode == b->setattr.mode &&
		       a->setattr.uid == b->setattr.uid &&
		       a->setattr.gid == b->setattr.gid &&
		       a->setattr.size == b->setattr.size &&
		       time_eq(&a->setattr.atime, &b->setattr.atime) &&
		       time_eq(&a->setattr.mtime, &b->setattr.mtime);
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		return fh_eq(&a->readdir.dir, &b->readdir.dir) &&
		       a->readdir.cookie == b->readdir.cookie &&
		       a->readdir.max_bytes == b->readdir.max_bytes;
	case OM_MFS_READ:
		return fh_eq(&a->read.fh, &b->read.fh) &&
		       a->read.offset == b->read.offset &&
		       a->read.len == b->read.len;
	case OM_MFS_WRITE:
		return fh_eq(&a->write.fh, &b->write.fh) &&
		       a->write.offset == b->write.offset &&
		       a->write.flags == b->write.flags &&
		       a->write.len == b->write.len &&
		       bytes_eq(a->write.data, b->write.data, a->write.len);
	case OM_MFS_CREATE:
		return fh_eq(&a->create.dir, &b->create.dir) &&
		       str_eq(&a->create.name, &b->create.name) &&
		       a->create.mode == b->create.mode &&
		       a->create.flags == b->create.flags;
	case OM_MFS_MKDIR:
		return fh_eq(&a->mkdir.dir, &b->mkdir.dir) &&
		       str_eq(&a->mkdir.name, &b->mkdir.name) &&
		       a->mkdir.mode == b->mkdir.mode;
	case OM_MFS_SYMLINK:
		return fh_eq(&a->symlink.dir, &b->symlink.dir) &&
		       str_eq(&a->symlink.name, &b->symlink.name) &&
		       str_eq(&a->symlink.target, &b->symlink.target);
	case OM_MFS_READLINK:
		return fh_eq(&a->readlink.fh, &b->readlink.fh);
	case OM_MFS_LINK:
		return fh_eq(&a->link.fh, &b->link.fh) &&
		       fh_eq(&a->link.dir, &b->link.dir) &&
		       str_eq(&a->link.name, &b->link.name);
	case OM_MFS_UNLINK:
		return dirop_eq(&a->unlink, &b->unlink);
	case OM_MFS_RMDIR:
		return dirop_eq(&a->rmdir, &b->rmdir);
	case OM_MFS_RENAME:
		return fh_eq(&a->rename.odir, &b->rename.odir) &&
		       str_eq(&a->rename.oname, &b->rename.oname) &&
		       fh_eq(&a->rename.ndir, &b->rename.ndir) &&
		       str_eq(&a->rename.nname, &b->rename.nname) &&
		       a->rename.flags == b->rename.flags;
	case OM_MFS_FSYNC:
		return fh_eq(&a->fsync.fh, &b->fsync.fh) &&
		       a->fsync.flags == b->fsync.flags;
	case OM_MFS_STATFS:
		return fh_eq(&a->statfs.fh, &b->statfs.fh);
	}
	return false;
}

static bool rep_eq(const struct om_mfs_msg *a, const struct om_mfs_msg *b)
{
	const struct om_mfs_fsstat *s = &a->fsstat, *t = &b->fsstat;

	switch (a->type) {
	case OM_MFS_R_ERROR:
		return a->error.err == b->error.err;
	case OM_MFS_R_OK:
		return true;
	case OM_MFS_R_ENTRY:
		return fh_eq(&a->entry.fh, &b->entry.fh) &&
		       attr_eq(&a->entry.attr, &b->entry.attr) &&
		       a->promise_ms == b->promise_ms;
	case OM_MFS_R_ATTR:
		return attr_eq(&a->attr, &b->attr) && a->promise_ms == b->promise_ms;
	case OM_MFS_BREAK:
		return a->brk.ino == b->brk.ino;
	case OM_MFS_BREAK_ACK:
	case OM_MFS_BREAK_ALL:
		return true;
	case OM_MFS_R_DIRENTS:
	case OM_MFS_R_DIRENTS_PLUS:
		return a->dirents.plus == b->dirents.plus &&
		       a->dirents.eof == b->dirents.eof &&
		       a->dirents.count == b->dirents.count &&
		       a->dirents.len == b->dirents.len &&
		       bytes_eq(a->dirents.ents, b->dirents.ents, a->dirents.len);
	case OM_MFS_R_DATA:
		return a->data.eof == b->data.eof &&
		       a->data.stable == b->data.stable && a->data.len == b->data.len &&
		       bytes_eq(a->data.data, b->data.data, a->data.len);
	case OM_MFS_R_WRITTEN:
		return a->written.count == b->written.count &&
		       attr_eq(&a->written.attr, &b->written.attr);
	case OM_MFS_R_TARGET:
		return str_eq(&a->target, &b->target);
	case OM_MFS_R_STATFS:
		return s->bsize == t->bsize && s->namelen == t->namelen &&
		       s->blocks == t->blocks && s->bfree == t->bfree &&
		       s->bavail == t->bavail && s->files == t->files &&
		       s->ffree == t->ffree;
	}
	return false;
}

/* Field by field (pointers compared by what they point to) */
static bool msg_eq(const struct om_mfs_msg *a, const struct om_mfs_msg *b)
{
	if (a->type != b->type || a->req_id != b->req_id)
		return false;
	if (om_mfs_is_request(a->type))
		return cred_eq(&a->cred, &b->cred) && req_eq(a, b);
	return rep_eq(a, b);
}

/*
 * encode, size query, decode, compare, re-encode identically; the
 * payload length, or -1 (then the check is already reported failed)
 */
static int roundtrip_msg(const struct om_mfs_msg *m, const char *what)
{
	struct om_mfs_msg d;
	int n, n2, ok = 1;

	n = om_mfs_encode(m, enc, BIG);
	TAP_EXPECT(ok, n >= 8);
	TAP_EXPECT(ok, om_mfs_encode(m, NULL, 0) == n);
	TAP_EXPECT(ok, n >= 8 && om_mfs_encode(m, enc2, (u32)n - 1) == -EMSGSIZE);
	TAP_EXPECT(ok, n >= 8 && om_mfs_decode(m->type, enc, (u32)n, &d) == 0);
	TAP_EXPECT(ok, ok && msg_eq(m, &d));
	n2 = ok ? om_mfs_encode(&d, enc2, (u32)n) : -1;
	TAP_EXPECT(ok, n2 == n && !memcmp(enc, enc2, (size_t)n));
	TAP_CHECK(ok, "mfs: %s round trip (%d bytes)", what, n);
	return ok ? n : -1;
}

static void roundtrip(u8 type, bool big)
{
	struct om_mfs_msg m;
	const char *name = sample(type, big, &m);
	char what[64];

	snprintf(what, sizeof(what), "%s%s", big ? "largest " : "", name);
	roundtrip_msg(&m, what);
}

/*
 * Every truncation is -EBADMSG, and so is a trailing byte.  The largest
 * R_DIRENTS walks 1921 entries per decode, the largest R_DIRENTS_PLUS
 * 1231: their cuts are the first and last 8 KiB and every 61st byte
 * between (the others, every byte).
 */
static void truncations(u8 type, bool big)
{
	struct om_mfs_msg m, d;
	const char *name = sample(type, big, &m);
	int n = om_mfs_encode(&m, enc, BIG), bad = 0, k, cuts = 0;

	for (k = 0; k < n; k++) {
		if ((type == OM_MFS_R_DIRENTS ||
		     type == OM_MFS_R_DIRENTS_PLUS) && big && k > 8192 &&
		    k < n - 8192 && k % 61)
			continue;
		cuts++;
		if (om_mfs_decode(type, enc, (u32)k, &d) != -EBADMSG)
			bad++;
	}
	enc[n > 0 ? n : 0] = 0;
	if (n <= 0 || om_mfs_decode(type, enc, (u32)n + 1, &d) != -EBADMSG)
		bad++;
	TAP_CHECK(n > 0 && !bad,
		  "mfs: %s%s: %d cuts and a trailing byte are -EBADMSG",
		  big ? "largest " : "", name, cuts);
}

/* The sizes of the small samples, by the formulas of the documentation */
static void test_mfs_sizes(void)
{
	/*
	 * request header with 2 groups: 25; handles of 8 and 12 bytes: 9
	 * and 13; "file.txt": 9; the target: 18
	 */
	static const struct {
		u8 type;
		int size;
	} want[] = {
		{ OM_MFS_ROOT, 25 },
		{ OM_MFS_LOOKUP, 25 + 13 + 9 },
		{ OM_MFS_GETATTR, 34 },
		{ OM_MFS_SETATTR, 25 + 9 + 48 },
		{ OM_MFS_READDIR, 25 + 13 + 12 },
		{ OM_MFS_READ, 25 + 9 + 12 },
		{ OM_MFS_WRITE, 25 + 9 + 13 + 11 },
		{ OM_MFS_CREATE, 25 + 13 + 9 + 5 },
		{ OM_MFS_MKDIR, 25 + 13 + 9 + 4 },
		{ OM_MFS_SYMLINK, 25 + 13 + 9 + 18 },
		{ OM_MFS_READLINK, 34 },
		{ OM_MFS_LINK, 25 + 9 + 13 + 9 },
		{ OM_MFS_UNLINK, 47 },
		{ OM_MFS_RMDIR, 47 },
		{ OM_MFS_RENAME, 25 + 13 + 9 + 9 + 9 + 4 },
		{ OM_MFS_FSYNC, 35 },
		{ OM_MFS_STATFS, 34 },
		{ OM_MFS_READDIRPLUS, 25 + 13 + 12 },
		{ OM_MFS_R_ERROR, 12 },
		{ OM_MFS_R_OK, 8 },
		{ OM_MFS_R_ENTRY, 8 + 9 + 84 + 4 },
		{ OM_MFS_R_ATTR, 96 },
		{ OM_MFS_R_DIRENTS, 13 + 21 + 26 + 22 },
		{ OM_MFS_R_DATA, 113 },
		{ OM_MFS_R_WRITTEN, 96 },
		{ OM_MFS_R_TARGET, 26 },
		{ OM_MFS_R_STATFS, 56 },
		/* 18 + n + 1, and with a handle f + 84 + 4 more */
		{ OM_MFS_R_DIRENTS_PLUS, 13 + (22 + 8 + 88) + (27 + 12 + 88) + 23 },
		{ OM_MFS_BREAK, 16 },
		{ OM_MFS_BREAK_ACK, 8 },
		{ OM_MFS_BREAK_ALL, 8 },
	};
	struct om_mfs_msg m;
	unsigned int i;
	int ok = 1, n;

	TAP_EXPECT(ok, OM_MFS_REQ_HDR_LEN(2) == 25);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		sample(want[i].type, false, &m);
		n = om_mfs_encode(&m, NULL, 0);
		if (n != want[i].size) {
			printf("#   %s: %d bytes, want %d\n",
			       om_mfs_type_name(want[i].type), n, want[i].size);
			ok = 0;
		}
	}
	TAP_CHECK(ok && i == ARRAY_SIZE(all_types),
		  "mfs: every type's size is as documented (%u types)", i);

	ok = 1;
	sample(OM_MFS_WRITE, true, &m);
	n = om_mfs_encode(&m, NULL, 0);
	TAP_EXPECT(ok, n == OM_MFS_REQ_HDR_LEN(32) + 1 + 64 + 13 + (int)OM_MFS_IO_MAX);
	TAP_EXPECT(ok, n == 524511);
	sample(OM_MFS_R_DIRENTS, true, &m);
	TAP_EXPECT(ok, ents_big_len == OM_MFS_IO_MAX && ents_big_count == 1921);
	TAP_EXPECT(ok, om_mfs_encode(&m, NULL, 0) ==
		   OM_MFS_DIRENTS_HDR_LEN + (int)OM_MFS_IO_MAX);
	TAP_CHECK(ok, "mfs: the largest WRITE is %d bytes, the largest R_DIRENTS carries %u entries",
		  n, ents_big_count);

	/* 1230 entries of 426 bytes (a 255-byte name, a 64-byte handle), one of 308 */
	ok = 1;
	TAP_EXPECT(ok, OM_MFS_DIRENT_PLUS_MAX == 426);
	TAP_EXPECT(ok, OM_MFS_DIRENT_PLUS_LEN(1, 0) == 20 &&
		   OM_MFS_DIRENT_PLUS_LEN(1, 1) == 109);
	sample(OM_MFS_R_DIRENTS_PLUS, true, &m);
	TAP_EXPECT(ok, pents_big_len == OM_MFS_IO_MAX && pents_big_count == 1231);
	TAP_EXPECT(ok, om_mfs_encode(&m, NULL, 0) ==
		   OM_MFS_DIRENTS_HDR_LEN + (int)OM_MFS_IO_MAX);
	sample(OM_MFS_READDIRPLUS, true, &m);
	TAP_EXPECT(ok, om_mfs_encode(&m, NULL, 0) ==
		   OM_MFS_REQ_HDR_LEN(32) + 1 + 64 + 8 + 4);
	TAP_CHECK(ok, "mfs: a READDIRPLUS entry is at most %d bytes, the largest R_DIRENTS_PLUS carries %u entries",
		  OM_MFS_DIRENT_PLUS_MAX, pents_big_count);
}

/* Golden bytes: the layout Documentation/wire-protocol.md describes */
/* A reply that does not move the listing on is refused by both readers */
static void test_mfs_dirents_advance(void)
{
	struct om_mfs_dirent a = dent(10, 5, OM_MFS_DT_UNKNOWN, "a");
	struct om_mfs_dirent b = dent(11, 7, OM_MFS_DT_UNKNOWN, "b");
	struct om_mfs_dirents d = { 0 };
	u8 buf[2 * OM_MFS_DIRENT_MAX];
	int k, ok = 1;

	k = om_mfs_dirent_put(&a, false, buf, sizeof(buf));
	TAP_EXPECT(ok, k > 0);
	k += om_mfs_dirent_put(&b, false, buf + k, sizeof(buf) - (u32)k);
	d.ents = buf;
	d.len = (u32)k;
	d.count = 2;
	TAP_EXPECT(ok, om_mfs_dirents_advance(&d, 0));
	TAP_EXPECT(ok, om_mfs_dirents_advance(&d, 5));
	/* the last entry where it began: a loop, unless it is the end */
	TAP_EXPECT(ok, !om_mfs_dirents_advance(&d, 7));
	d.eof = 1;
	TAP_EXPECT(ok, om_mfs_dirents_advance(&d, 7));
	/* no entries: only as the end */
	d.len = 0;
	d.count = 0;
	TAP_EXPECT(ok, om_mfs_dirents_advance(&d, 7));
	d.eof = 0;
	TAP_EXPECT(ok, !om_mfs_dirents_advance(&d, 7));
	TAP_CHECK(ok, "mfs: om_mfs_dirents_advance refuses a reply that ends where it began, unless it is the last");
}

static void test_mfs_golden(void)
{
	static const u8 getattr_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,	/* req_id */
		0xe8, 0x03, 0, 0,	/* uid 1000 */
		0x64, 0, 0, 0,		/* gid 100 */
		1, 27, 0, 0, 0,		/* one group, 27 */
		4, 1, 2, 3, 4,		/* handle */
	};
	static const u8 lookup_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		0, 0, 0, 0, 0, 0, 0, 0, 0,	/* root, no groups */
		2, 0xaa, 0xbb,
		3, 'e', 't', 'c',
	};
	static const u8 error_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		0xfe, 0xff, 0xff, 0xff,	/* -ENOENT */
	};
	static const u8 attr_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		2, 0, 0, 0, 0, 0, 0, 0,	/* ino */
		0xed, 0x41, 0, 0,	/* mode 040755 */
		3, 0, 0, 0,		/* nlink */
		0, 0, 0, 0, 0, 0, 0, 0,	/* uid, gid */
		0, 0, 0, 0,		/* rdev */
		0, 0x10, 0, 0,		/* blksize */
		0, 0x10, 0, 0, 0, 0, 0, 0,	/* size */
		8, 0, 0, 0, 0, 0, 0, 0,	/* blocks */
		1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,	/* atime */
		3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0,	/* mtime */
		5, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0,	/* ctime */
		0x30, 0x75, 0, 0,	/* promise_ms 30000 */
	};
	static const u8 break_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,	/* id */
		0x2a, 0, 0, 0, 0, 0, 0, 0,	/* ino 42 */
	};
	static const u8 dirents_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		1,			/* eof */
		1, 0, 0, 0,		/* count */
		2, 0, 0, 0, 0, 0, 0, 0,	/* ino */
		3, 0, 0, 0, 0, 0, 0, 0,	/* cookie */
		4, 3, 'u', 's', 'r',	/* DT_DIR, "usr" */
	};
	static const u8 dirents_plus_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		1,			/* eof */
		2, 0, 0, 0,		/* count */
		2, 0, 0, 0, 0, 0, 0, 0,	/* ino */
		3, 0, 0, 0, 0, 0, 0, 0,	/* cookie */
		4, 3, 'u', 's', 'r',	/* DT_DIR, "usr" */
		4, 1, 2, 3, 4,		/* its handle */
		2, 0, 0, 0, 0, 0, 0, 0,	/* its attributes, as in R_ATTR */
		0xed, 0x41, 0, 0,
		3, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0,
		0, 0x10, 0, 0,
		0, 0x10, 0, 0, 0, 0, 0, 0,
		8, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
		3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0,
		5, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0,
		0x30, 0x75, 0, 0,	/* promise_ms 30000 */
		7, 0, 0, 0, 0, 0, 0, 0,	/* ino */
		4, 0, 0, 0, 0, 0, 0, 0,	/* cookie */
		10, 3, 'l', 'i', 'b',	/* DT_LNK, "lib" */
		0,			/* no file */
	};
	static const u8 hdl[] = { 1, 2, 3, 4 }, ab[] = { 0xaa, 0xbb };
	const struct om_mfs_attr dattr = {
		.ino = 2, .mode = OM_MFS_S_IFDIR | 0755, .nlink = 3,
		.blksize = 4096, .size = 4096, .blocks = 8,
		.atime = { 1, 2 }, .mtime = { 3, 4 }, .ctime = { 5, 6 } };
	struct om_mfs_dirent e = dent(2, 3, OM_MFS_DT_DIR, "usr"), x;
	struct om_mfs_msg m = { .type = OM_MFS_GETATTR, .req_id = REQ_ID }, d;
	u8 ent[2 * OM_MFS_DIRENT_PLUS_MAX];
	u32 off;
	int n, k, ok = 1;

	m.cred.uid = 1000;
	m.cred.gid = 100;
	m.cred.ngroups = 1;
	m.cred.groups[0] = 27;
	m.getattr.fh = fh(hdl, 4);
	n = om_mfs_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(getattr_b) && !memcmp(enc, getattr_b, sizeof(getattr_b)),
		  "mfs: GETATTR golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MFS_LOOKUP;
	m.req_id = REQ_ID;
	m.lookup.dir = fh(ab, 2);
	m.lookup.name = str("etc");
	n = om_mfs_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(lookup_b) && !memcmp(enc, lookup_b, sizeof(lookup_b)),
		  "mfs: LOOKUP golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MFS_R_ERROR;
	m.req_id = REQ_ID;
	m.error.err = -ENOENT;
	n = om_mfs_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(error_b) && !memcmp(enc, error_b, sizeof(error_b)),
		  "mfs: R_ERROR golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MFS_R_ATTR;
	m.req_id = REQ_ID;
	m.attr = dattr;
	m.promise_ms = 30000;
	n = om_mfs_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(attr_b) && !memcmp(enc, attr_b, sizeof(attr_b)),
		  "mfs: R_ATTR golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MFS_BREAK;
	m.req_id = REQ_ID;
	m.brk.ino = 42;
	n = om_mfs_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(break_b) && !memcmp(enc, break_b, sizeof(break_b)),
		  "mfs: BREAK golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MFS_R_DIRENTS;
	m.req_id = REQ_ID;
	m.dirents.eof = 1;
	m.dirents.count = 1;
	m.dirents.len = (u32)om_mfs_dirent_put(&e, false, ent, sizeof(ent));
	m.dirents.ents = ent;
	n = om_mfs_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(dirents_b) && !memcmp(enc, dirents_b, sizeof(dirents_b)),
		  "mfs: R_DIRENTS golden bytes (om_mfs_dirent_put)");

	/* usr with its file, lib without: built, then decoded and walked */
	memset(&m, 0, sizeof(m));
	m.type = OM_MFS_R_DIRENTS_PLUS;
	m.req_id = REQ_ID;
	m.dirents.plus = 1;
	m.dirents.eof = 1;
	m.dirents.count = 2;
	e.fh = fh(hdl, 4);
	e.attr = dattr;
	e.promise_ms = 30000;
	k = om_mfs_dirent_put(&e, true, ent, sizeof(ent));
	TAP_EXPECT(ok, k == 114);
	x = dent(7, 4, OM_MFS_DT_LNK, "lib");
	n = om_mfs_dirent_put(&x, true, ent + k, sizeof(ent) - (u32)k);
	TAP_EXPECT(ok, n == 22);
	m.dirents.len = (u32)(k + n);
	m.dirents.ents = ent;
	n = om_mfs_encode(&m, enc, BIG);
	TAP_EXPECT(ok, n == sizeof(dirents_plus_b) &&
		   !memcmp(enc, dirents_plus_b, sizeof(dirents_plus_b)));
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_DIRENTS_PLUS, dirents_plus_b,
				     sizeof(dirents_plus_b), &d) == 0 &&
		   d.dirents.plus == 1 && d.dirents.count == 2);
	off = 0;
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 2 &&
		   x.cookie == 3 && x.type == OM_MFS_DT_DIR && x.name.len == 3 &&
		   x.name.s == (const char *)dirents_plus_b + 31 &&
		   x.fh.len == 4 && x.fh.data == dirents_plus_b + 35 &&
		   attr_eq(&x.attr, &dattr) && x.promise_ms == 30000);
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 7 &&
		   x.cookie == 4 && x.type == OM_MFS_DT_LNK &&
		   !memcmp(x.name.s, "lib", 3) && !x.fh.len && !x.fh.data &&
		   !x.attr.ino && !x.attr.mode && !x.promise_ms);
	TAP_EXPECT(ok, off == sizeof(dirents_plus_b) - OM_MFS_DIRENTS_HDR_LEN &&
		   !om_mfs_dirent_next(&d.dirents, &off, &x));
	TAP_CHECK(ok, "mfs: R_DIRENTS_PLUS golden bytes: an entry with its file, one without (om_mfs_dirent_put, om_mfs_dirent_next)");
}

/* ---- raw payloads for what the encoder refuses to produce ---- */

static u32 bn;

static void b8(u8 v)
{
	enc[bn++] = v;
}

static void b16(u16 v)
{
	put_unaligned_le16(v, enc + bn);
	bn += 2;
}

static void b32(u32 v)
{
	put_unaligned_le32(v, enc + bn);
	bn += 4;
}

static void b64(u64 v)
{
	put_unaligned_le64(v, enc + bn);
	bn += 8;
}

static void bmem(const void *p, u32 n)
{
	memcpy(enc + bn, p, n);
	bn += n;
}

/* A handle of len bytes (any len, from data) */
static void bfh(u32 len)
{
	b8((u8)len);
	bmem(data, len);
}

static void bname(const char *s, u32 len)
{
	b8((u8)len);
	bmem(s, len);
}

/* A request header: uid 1000, gid 100, no groups */
static void bhdr(void)
{
	bn = 0;
	b64(REQ_ID);
	b32(1000);
	b32(100);
	b8(0);
}

static void brep(void)
{
	bn = 0;
	b64(REQ_ID);
}

static int bdec(u8 type)
{
	struct om_mfs_msg d;

	return om_mfs_decode(type, enc, bn, &d);
}

static int cred_raw(u32 uid, u32 gid, u32 ngroups, const u32 *groups)
{
	u32 i;

	bn = 0;
	b64(REQ_ID);
	b32(uid);
	b32(gid);
	b8((u8)ngroups);
	for (i = 0; i < ngroups; i++)
		b32(groups[i]);
	bfh(8);
	return bdec(OM_MFS_GETATTR);
}

static int fh_raw(u32 len)
{
	bhdr();
	bfh(len);
	return bdec(OM_MFS_GETATTR);
}

static int name_raw(u8 type, const char *s, u32 len)
{
	bhdr();
	bfh(8);
	bname(s, len);
	if (type == OM_MFS_CREATE) {
		b32(0644);
		b8(0);
	} else if (type == OM_MFS_MKDIR) {
		b32(0755);
	}
	return bdec(type);
}

static int target_raw(u8 type, const char *t, u32 len)
{
	if (type == OM_MFS_SYMLINK) {
		bhdr();
		bfh(8);
		bname("l", 1);
	} else {
		brep();
	}
	b16((u16)len);
	bmem(t, len);
	return bdec(type);
}

static void test_mfs_reject_common(void)
{
	static const u32 g_ok[] = { 0, 5, 6, 0xfffffffe };
	static const u32 g_dup[] = { 5, 5 }, g_down[] = { 6, 5 };
	static const u32 g_inv[] = { 5, 0xffffffff };
	u32 g255[255], i;
	struct om_mfs_msg d;
	u8 p[16];
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(g255); i++)
		g255[i] = 10 + i;
	memset(p, 1, sizeof(p));
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_OK, p, 8, &d) == 0);
	TAP_EXPECT(ok, om_mfs_decode(0x7f, p, 8, &d) == -EPROTO);
	TAP_EXPECT(ok, OM_MFS_REQ_LAST + 1 == 0x92 && OM_MFS_REP_LAST + 1 == 0xaa);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_REQ_LAST + 1, p, 8, &d) == -EPROTO);
	TAP_EXPECT(ok, om_mfs_decode(0x9f, p, 8, &d) == -EPROTO);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_REP_LAST + 1, p, 8, &d) == -EPROTO);
	TAP_EXPECT(ok, om_mfs_decode(OM_WIRE_T_MFS_LAST, p, 8, &d) == -EPROTO);
	TAP_EXPECT(ok, om_mfs_decode(0xc0, p, 8, &d) == -EPROTO);
	TAP_EXPECT(ok, om_mfs_decode(0, p, 8, &d) == -EPROTO);
	TAP_CHECK(ok, "mfs: unknown types (0x7f, 0x92, 0x9f, 0xaa, 0xbf, 0xc0, 0) are -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_OK, NULL, 0, &d) == -EBADMSG);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_OK, NULL, 8, &d) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_OK, p, 8, NULL) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_OK, enc, OM_WIRE_MAX_PAYLOAD + 1, &d) ==
		   -EBADMSG);
	TAP_CHECK(ok, "mfs: empty payload and one over 1 MiB are -EBADMSG, NULL -EINVAL");

	ok = 1;
	memset(p, 0, sizeof(p));
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_OK, p, 8, &d) == -EPROTO);
	bn = 0;
	b64(0);
	b32(1000);
	b32(100);
	b8(0);
	TAP_EXPECT(ok, bdec(OM_MFS_ROOT) == -EPROTO);
	put_unaligned_le64(1, enc);
	TAP_EXPECT(ok, bdec(OM_MFS_ROOT) == 0);
	TAP_CHECK(ok, "mfs: req_id 0 is -EPROTO in a request and in a reply");

	ok = 1;
	TAP_EXPECT(ok, cred_raw(0, 0, 0, NULL) == 0);
	TAP_EXPECT(ok, cred_raw(0xfffffffe, 0xfffffffe, 4, g_ok) == 0);
	TAP_EXPECT(ok, cred_raw(0xffffffff, 0, 0, NULL) == -EPROTO);
	TAP_EXPECT(ok, cred_raw(0, 0xffffffff, 0, NULL) == -EPROTO);
	TAP_EXPECT(ok, cred_raw(0, 0, 2, g_inv) == -EPROTO);
	TAP_EXPECT(ok, cred_raw(0, 0, 2, g_dup) == -EPROTO);
	TAP_EXPECT(ok, cred_raw(0, 0, 2, g_down) == -EPROTO);
	TAP_CHECK(ok, "mfs: credentials with uid, gid or a group -1, groups repeated or descending are -EPROTO");
	ok = 1;
	TAP_EXPECT(ok, cred_raw(0, 0, OM_MFS_NGROUPS_MAX, g255) == 0);
	TAP_EXPECT(ok, cred_raw(0, 0, OM_MFS_NGROUPS_MAX + 1, g255) == -EBADMSG);
	TAP_EXPECT(ok, cred_raw(0, 0, 255, g255) == -EBADMSG);
	TAP_CHECK(ok, "mfs: 32 groups are fine, 33 and 255 are -EBADMSG");

	ok = 1;
	TAP_EXPECT(ok, fh_raw(1) == 0 && fh_raw(OM_MFS_FH_MAX) == 0);
	TAP_EXPECT(ok, fh_raw(0) == -EBADMSG);
	TAP_EXPECT(ok, fh_raw(OM_MFS_FH_MAX + 1) == -EBADMSG);
	TAP_EXPECT(ok, fh_raw(255) == -EBADMSG);
	bhdr();
	bfh(0);
	bfh(8);		/* not read as the handle either */
	TAP_EXPECT(ok, bdec(OM_MFS_GETATTR) == -EBADMSG);
	TAP_CHECK(ok, "mfs: handles of 1 and 64 bytes are fine, 0, 65 and 255 are -EBADMSG");
}

static void test_mfs_reject_names(void)
{
	static const u8 types[] = {
		OM_MFS_LOOKUP, OM_MFS_CREATE, OM_MFS_MKDIR, OM_MFS_UNLINK,
		OM_MFS_RMDIR,
	};
	char t4096[OM_MFS_TARGET_MAX + 2];
	unsigned int i;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		u8 t = types[i];

		TAP_EXPECT(ok, name_raw(t, "a", 1) == 0);
		TAP_EXPECT(ok, name_raw(t, "...", 3) == 0);
		TAP_EXPECT(ok, name_raw(t, ".a", 2) == 0);
		TAP_EXPECT(ok, name_raw(t, "..a", 3) == 0);
		TAP_EXPECT(ok, name_raw(t, "a\\b c\xe9", 6) == 0);
		TAP_EXPECT(ok, name_raw(t, name255, OM_MFS_NAME_MAX) == 0);
		TAP_EXPECT(ok, name_raw(t, "", 0) == -EBADMSG);
		TAP_EXPECT(ok, name_raw(t, ".", 1) == -EPROTO);
		TAP_EXPECT(ok, name_raw(t, "..", 2) == -EPROTO);
		TAP_EXPECT(ok, name_raw(t, "a/b", 3) == -EPROTO);
		TAP_EXPECT(ok, name_raw(t, "/", 1) == -EPROTO);
		TAP_EXPECT(ok, name_raw(t, "a\0b", 3) == -EPROTO);
		TAP_EXPECT(ok, name_raw(t, "ab\0", 3) == -EPROTO);
	}
	TAP_CHECK(ok, "mfs: names: empty is -EBADMSG; \".\", \"..\", '/' or NUL is -EPROTO; \"...\", \".a\", 255 bytes of anything else fine");

	ok = 1;
	memset(t4096, 'x', sizeof(t4096));
	TAP_EXPECT(ok, target_raw(OM_MFS_SYMLINK, "/", 1) == 0);
	TAP_EXPECT(ok, target_raw(OM_MFS_SYMLINK, t4096, OM_MFS_TARGET_MAX) == 0);
	TAP_EXPECT(ok, target_raw(OM_MFS_R_TARGET, t4096, OM_MFS_TARGET_MAX) == 0);
	TAP_EXPECT(ok, target_raw(OM_MFS_SYMLINK, "", 0) == -EBADMSG);
	TAP_EXPECT(ok, target_raw(OM_MFS_R_TARGET, "", 0) == -EBADMSG);
	TAP_EXPECT(ok, target_raw(OM_MFS_SYMLINK, t4096, OM_MFS_TARGET_MAX + 1) ==
		   -EBADMSG);
	TAP_EXPECT(ok, target_raw(OM_MFS_R_TARGET, t4096, OM_MFS_TARGET_MAX + 1) ==
		   -EBADMSG);
	TAP_EXPECT(ok, target_raw(OM_MFS_SYMLINK, "a\0b", 3) == -EPROTO);
	TAP_EXPECT(ok, target_raw(OM_MFS_R_TARGET, "ab\0", 3) == -EPROTO);
	TAP_EXPECT(ok, target_raw(OM_MFS_SYMLINK, "../a/./b//c", 11) == 0);
	TAP_CHECK(ok, "mfs: symlink targets: 0 or 4096 bytes are -EBADMSG, a NUL is -EPROTO, 1..4095 of anything else fine");
}

static int setattr_raw(u32 valid, u32 mode, u32 uid, u32 gid, u64 size,
		       s64 asec, u32 ansec, s64 msec, u32 mnsec)
{
	bhdr();
	bfh(8);
	b32(valid);
	b32(mode);
	b32(uid);
	b32(gid);
	b64(size);
	b64((u64)asec);
	b32(ansec);
	b64((u64)msec);
	b32(mnsec);
	return bdec(OM_MFS_SETATTR);
}

#define NS OM_MFS_NSEC_PER_SEC

static void test_mfs_reject_setattr(void)
{
	const u32 A = OM_MFS_SET_ATIME, M = OM_MFS_SET_MTIME;
	const u32 AN = OM_MFS_SET_ATIME_NOW, MN = OM_MFS_SET_MTIME_NOW;
	int ok = 1;

	TAP_EXPECT(ok, setattr_raw(0, 0, 0, 0, 0, 0, 0, 0, 0) == 0);
	TAP_EXPECT(ok, setattr_raw(OM_MFS_SET_KNOWN & ~(A | M), 07777, 0, 0,
				   OM_MFS_OFF_MAX, 0, 0, 0, 0) == 0);
	TAP_EXPECT(ok, setattr_raw(A | M, 0, 0, 0, 0, -1, NS - 1, S64_MAX_, 0) == 0);
	TAP_EXPECT(ok, setattr_raw(AN | MN, 0, 0, 0, 0, 0, 0, 0, 0) == 0);
	TAP_CHECK(ok, "mfs: SETATTR of nothing (ctime), of all, of times given and of times now are fine");

	ok = 1;
	TAP_EXPECT(ok, setattr_raw(0x100, 0, 0, 0, 0, 0, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(0x80000000, 0, 0, 0, 0, 0, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(A | AN, 0, 0, 0, 0, 1, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(M | MN, 0, 0, 0, 0, 0, 0, 1, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(OM_MFS_SET_MODE, 0100644, 0, 0, 0, 0, 0, 0, 0) ==
		   -EPROTO);
	TAP_EXPECT(ok, setattr_raw(OM_MFS_SET_MODE, 010000, 0, 0, 0, 0, 0, 0, 0) ==
		   -EPROTO);
	TAP_EXPECT(ok, setattr_raw(OM_MFS_SET_UID, 0, 0xffffffff, 0, 0, 0, 0, 0, 0) ==
		   -EPROTO);
	TAP_EXPECT(ok, setattr_raw(OM_MFS_SET_GID, 0, 0, 0xffffffff, 0, 0, 0, 0, 0) ==
		   -EPROTO);
	TAP_EXPECT(ok, setattr_raw(OM_MFS_SET_SIZE, 0, 0, 0, OM_MFS_OFF_MAX + 1, 0, 0,
				   0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(A, 0, 0, 0, 0, 0, NS, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(M, 0, 0, 0, 0, 0, 0, 0, 0xffffffff) == -EPROTO);
	TAP_CHECK(ok, "mfs: SETATTR unknown bits, a time both given and now, a mode with type bits, id -1, size over 2^63-1, nsec >= 1e9 are -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, setattr_raw(0, 0644, 0, 0, 0, 0, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(0, 0, 1, 0, 0, 0, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(0, 0, 0, 1, 0, 0, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(0, 0, 0, 0, 1, 0, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(AN, 0, 0, 0, 0, 1, 0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(MN, 0, 0, 0, 0, 0, 0, 0, 1) == -EPROTO);
	TAP_EXPECT(ok, setattr_raw(0, 0, 0, 0, 0, 0, 1, 0, 0) == -EPROTO);
	TAP_CHECK(ok, "mfs: SETATTR fields other than 0 without their bit are -EPROTO (one encoding)");
}

/* READDIR or READDIRPLUS (the same body) */
static int readdir_raw(u8 type, u32 max)
{
	bhdr();
	bfh(8);
	b64(12345);
	b32(max);
	return bdec(type);
}

static int read_raw(u64 off, u32 len)
{
	bhdr();
	bfh(8);
	b64(off);
	b32(len);
	return bdec(OM_MFS_READ);
}

/* A WRITE whose len field says len and that carries present bytes */
static int write_raw(u64 off, u8 flags, u32 len, u32 present)
{
	bhdr();
	bfh(8);
	b64(off);
	b8(flags);
	b32(len);
	bmem(data, present);
	return bdec(OM_MFS_WRITE);
}

static int create_raw(u8 type, u32 mode, u8 flags)
{
	bhdr();
	bfh(8);
	bname("x", 1);
	b32(mode);
	if (type == OM_MFS_CREATE)
		b8(flags);
	return bdec(type);
}

static int rename_raw(u32 flags)
{
	bhdr();
	bfh(8);
	bname("a", 1);
	bfh(9);
	bname("b", 1);
	b32(flags);
	return bdec(OM_MFS_RENAME);
}

static int fsync_raw(u8 flags)
{
	bhdr();
	bfh(8);
	b8(flags);
	return bdec(OM_MFS_FSYNC);
}

static void test_mfs_reject_io(void)
{
	const u32 io = OM_MFS_IO_MAX;
	const u64 off = OM_MFS_OFF_MAX;
	int ok = 1;

	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIR, OM_MFS_DIRENT_MAX) == 0);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIR, io) == 0);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIR, OM_MFS_DIRENT_MAX - 1) == -EPROTO);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIR, 0) == -EPROTO);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIR, io + 1) == -EPROTO);
	TAP_CHECK(ok, "mfs: READDIR max_bytes 273 and 512 KiB are fine, 0, 272 and 512 KiB + 1 are -EPROTO");

	/* READDIRPLUS: room for the longest entry with its file */
	ok = 1;
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIRPLUS, OM_MFS_DIRENT_PLUS_MAX) == 0);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIRPLUS, io) == 0);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIRPLUS, OM_MFS_DIRENT_PLUS_MAX - 1) ==
		   -EPROTO);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIRPLUS, OM_MFS_DIRENT_MAX) == -EPROTO);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIRPLUS, 0) == -EPROTO);
	TAP_EXPECT(ok, readdir_raw(OM_MFS_READDIRPLUS, io + 1) == -EPROTO);
	bhdr();
	bfh(0);
	b64(1);
	b32(io);
	TAP_EXPECT(ok, bdec(OM_MFS_READDIRPLUS) == -EBADMSG);
	TAP_CHECK(ok, "mfs: READDIRPLUS max_bytes 426 and 512 KiB are fine, 0, 273, 425 and 512 KiB + 1 are -EPROTO, no handle -EBADMSG");

	ok = 1;
	TAP_EXPECT(ok, read_raw(0, 1) == 0 && read_raw(0, io) == 0);
	TAP_EXPECT(ok, read_raw(off - io, io) == 0);
	TAP_EXPECT(ok, read_raw(off - 1, 1) == 0);
	TAP_EXPECT(ok, read_raw(0, 0) == -EPROTO);
	TAP_EXPECT(ok, read_raw(0, io + 1) == -EPROTO);
	TAP_EXPECT(ok, read_raw(0, 0xffffffff) == -EPROTO);
	TAP_EXPECT(ok, read_raw(off - io + 1, io) == -EPROTO);
	TAP_EXPECT(ok, read_raw(off, 1) == -EPROTO);
	TAP_EXPECT(ok, read_raw(~0ULL, 1) == -EPROTO);
	TAP_CHECK(ok, "mfs: READ len 0 or over 512 KiB, offset + len over 2^63-1 are -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, write_raw(0, 0, 1, 1) == 0);
	TAP_EXPECT(ok, write_raw(off - io, OM_MFS_WRITE_DSYNC, io, io) == 0);
	TAP_EXPECT(ok, write_raw(0, OM_MFS_WRITE_SYNC, 5, 5) == 0);
	TAP_EXPECT(ok, write_raw(0, 0, 0, 0) == -EBADMSG);
	TAP_EXPECT(ok, write_raw(0, 0, io + 1, io + 1) == -EBADMSG);
	TAP_EXPECT(ok, write_raw(0, 0, 5, 4) == -EBADMSG);
	TAP_EXPECT(ok, write_raw(0, 0, 5, 6) == -EBADMSG);
	TAP_EXPECT(ok, write_raw(0, 3, 5, 5) == -EPROTO);
	TAP_EXPECT(ok, write_raw(0, 4, 5, 5) == -EPROTO);
	TAP_EXPECT(ok, write_raw(0, 0x80, 5, 5) == -EPROTO);
	TAP_EXPECT(ok, write_raw(off - 4, 0, 5, 5) == -EPROTO);
	TAP_EXPECT(ok, write_raw(~0ULL, 0, 5, 5) == -EPROTO);
	TAP_CHECK(ok, "mfs: WRITE len 0, over 512 KiB or not what follows is -EBADMSG; both syncs, unknown flags, offset + len over 2^63-1 are -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, create_raw(OM_MFS_CREATE, 07777, 1) == 0);
	TAP_EXPECT(ok, create_raw(OM_MFS_CREATE, 0, 0) == 0);
	TAP_EXPECT(ok, create_raw(OM_MFS_CREATE, 0100644, 0) == -EPROTO);
	TAP_EXPECT(ok, create_raw(OM_MFS_CREATE, 0644, 2) == -EPROTO);
	TAP_EXPECT(ok, create_raw(OM_MFS_MKDIR, 07777, 0) == 0);
	TAP_EXPECT(ok, create_raw(OM_MFS_MKDIR, 040755, 0) == -EPROTO);
	TAP_EXPECT(ok, create_raw(OM_MFS_MKDIR, 0x10000, 0) == -EPROTO);
	TAP_EXPECT(ok, rename_raw(0) == 0 && rename_raw(1) == 0 &&
		   rename_raw(2) == 0);
	TAP_EXPECT(ok, rename_raw(3) == -EPROTO);
	TAP_EXPECT(ok, rename_raw(4) == -EPROTO);	/* RENAME_WHITEOUT */
	TAP_EXPECT(ok, fsync_raw(0) == 0 && fsync_raw(1) == 0);
	TAP_EXPECT(ok, fsync_raw(2) == -EPROTO);
	TAP_CHECK(ok, "mfs: CREATE and MKDIR modes beyond 07777, CREATE flag 2, RENAME flags 3 and 4, FSYNC flag 2 are -EPROTO");
}

/* R_ATTR of a small sample with the le32 or le64 at off replaced */
static int attr_patch(u32 off, u64 v, int width)
{
	struct om_mfs_msg m;
	int n;

	sample(OM_MFS_R_ATTR, false, &m);
	n = om_mfs_encode(&m, enc, BIG);
	if (n != 8 + OM_MFS_ATTR_LEN + 4)
		return 1000;
	if (width == 8)
		put_unaligned_le64(v, enc + off);
	else
		put_unaligned_le32((u32)v, enc + off);
	bn = (u32)n;
	return bdec(OM_MFS_R_ATTR);
}

/* Offsets in R_ATTR: 8 + the attribute's offset */
#define A_INO 8
#define A_MODE 16
#define A_UID 24
#define A_GID 28
#define A_RDEV 32
#define A_BLKSIZE 36
#define A_SIZE 40
#define A_BLOCKS 48
#define A_ATIME 56
#define A_MTIME 68
#define A_CTIME 80

static void test_mfs_reject_attr(void)
{
	unsigned int i;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(fmts); i++)
		TAP_EXPECT(ok, attr_patch(A_MODE, fmts[i] | 07777, 4) == 0);
	TAP_EXPECT(ok, attr_patch(A_INO, ~0ULL, 8) == 0);
	TAP_EXPECT(ok, attr_patch(A_UID, 0xfffffffe, 4) == 0);
	TAP_EXPECT(ok, attr_patch(A_BLKSIZE, 1, 4) == 0);
	TAP_EXPECT(ok, attr_patch(A_BLKSIZE, OM_MFS_BLKSIZE_MAX, 4) == 0);
	TAP_EXPECT(ok, attr_patch(A_SIZE, OM_MFS_OFF_MAX, 8) == 0);
	TAP_EXPECT(ok, attr_patch(A_BLOCKS, OM_MFS_BLOCKS_MAX, 8) == 0);
	TAP_EXPECT(ok, attr_patch(A_ATIME, ~0ULL, 8) == 0);
	TAP_EXPECT(ok, attr_patch(A_CTIME + 8, NS - 1, 4) == 0);
	TAP_CHECK(ok, "mfs: attributes of every file type, and every field at its limit, are fine");

	ok = 1;
	TAP_EXPECT(ok, attr_patch(A_INO, 0, 8) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_MODE, 0644, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_MODE, 0170644, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_MODE, 0030644, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_MODE, 0x10000 | OM_MFS_S_IFREG, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_UID, 0xffffffff, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_GID, 0xffffffff, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_RDEV, 0x103, 4) == -EPROTO);	/* a dir */
	TAP_EXPECT(ok, attr_patch(A_BLKSIZE, 0, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_BLKSIZE, OM_MFS_BLKSIZE_MAX + 1, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_SIZE, OM_MFS_OFF_MAX + 1, 8) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_BLOCKS, OM_MFS_BLOCKS_MAX + 1, 8) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_ATIME + 8, NS, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_MTIME + 8, NS, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(A_CTIME + 8, 0xffffffff, 4) == -EPROTO);
	TAP_CHECK(ok, "mfs: attributes with ino 0, no or an unknown file type, mode bits over 16, id -1, rdev on a non-device, blksize 0 or over 2^30, size or blocks over the max, nsec >= 1e9 are -EPROTO");

	/* promise_ms: after the attributes, at most OM_MFS_PROMISE_MAX_MS */
	ok = 1;
	TAP_EXPECT(ok, attr_patch(8 + OM_MFS_ATTR_LEN, 0, 4) == 0);
	TAP_EXPECT(ok, attr_patch(8 + OM_MFS_ATTR_LEN, OM_MFS_PROMISE_MAX_MS, 4) == 0);
	TAP_EXPECT(ok, attr_patch(8 + OM_MFS_ATTR_LEN, OM_MFS_PROMISE_MAX_MS + 1, 4) == -EPROTO);
	TAP_EXPECT(ok, attr_patch(8 + OM_MFS_ATTR_LEN, 0xffffffff, 4) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_ATTR promise_ms 0 and the max are fine, over the max -EPROTO");

	/* BREAK: id and ino not 0; BREAK_ACK: an id, nothing else */
	ok = 1;
	bn = 0;
	b64(7);
	b64(42);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK) == 0);
	bn = 0;
	b64(7);
	b64(0);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK) == -EPROTO);
	bn = 0;
	b64(0);
	b64(42);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK) == -EPROTO);
	bn = 0;
	b64(7);
	b32(42);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK) == -EBADMSG);
	bn = 0;
	b64(7);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ACK) == 0);
	b8(0);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ACK) == -EBADMSG);
	bn = 0;
	b64(0);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ACK) == -EPROTO);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ALL) == -EPROTO);
	bn = 0;
	b64(7);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ALL) == 0);
	b8(0);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ALL) == -EBADMSG);
	bn = 0;
	b32(7);
	TAP_EXPECT(ok, bdec(OM_MFS_BREAK_ALL) == -EBADMSG);
	TAP_CHECK(ok, "mfs: BREAK with id or ino 0 is -EPROTO, cut -EBADMSG; BREAK_ACK and BREAK_ALL with id 0 -EPROTO, a byte more or less -EBADMSG");
}

/* A raw READDIR entry, any values; returns its length */
static u32 ent(u8 *p, u64 ino, u64 cookie, u8 type, const char *name, u32 n)
{
	put_unaligned_le64(ino, p);
	put_unaligned_le64(cookie, p + 8);
	p[16] = type;
	p[17] = (u8)n;
	memcpy(p + 18, name, n);
	return OM_MFS_DIRENT_LEN(n);
}

/* R_DIRENTS or R_DIRENTS_PLUS (the same header) */
static int dirents_as(u8 type, u8 eof, u32 count, const u8 *ents, u32 len)
{
	brep();
	b8(eof);
	b32(count);
	bmem(ents, len);
	return bdec(type);
}

static int dirents_raw(u8 eof, u32 count, const u8 *ents, u32 len)
{
	return dirents_as(OM_MFS_R_DIRENTS, eof, count, ents, len);
}

static int pdirents_raw(u8 eof, u32 count, const u8 *ents, u32 len)
{
	return dirents_as(OM_MFS_R_DIRENTS_PLUS, eof, count, ents, len);
}

/*
 * A READDIRPLUS entry of a file of type fmt, with its file (a handle of
 * fhlen bytes, its attributes, a promise of 1 s) unless fhlen is 0, at p;
 * returns its length
 */
static u32 pent(u8 *p, u64 ino, u64 cookie, u32 fmt, const char *name,
		u32 fhlen)
{
	struct om_mfs_dirent e = dent(ino, cookie, om_mfs_mode_to_dt(fmt), name);
	int n;

	if (fhlen) {
		e.fh = fh(fh_a, fhlen);
		attr_sample(&e.attr, fmt, false);
		e.attr.ino = ino;
		e.promise_ms = 1000;
	}
	n = om_mfs_dirent_put(&e, true, p, OM_MFS_DIRENT_PLUS_MAX);
	return n > 0 ? (u32)n : 0;
}

/* Offsets in a READDIRPLUS entry with a name of n bytes, a handle of f */
#define PE_TYPE 16
#define PE_FHLEN(n) (18 + (n))
#define PE_ATTR(n, f) (19 + (n) + (f))	/* + the offset in R_ATTR - 8 */
#define PE_PROMISE(n, f) (PE_ATTR(n, f) + OM_MFS_ATTR_LEN)

static void test_mfs_reject_dirents(void)
{
	static const u8 dts[] = { 0, 1, 2, 4, 6, 8, 10, 12 };
	static u8 e[2 * OM_MFS_DIRENT_MAX + 16];
	static u8 over[OM_MFS_IO_MAX + OM_MFS_DIRENT_MAX];
	unsigned int i;
	u32 n, k;
	int ok = 1;

	n = ent(e, 5, 1, OM_MFS_DT_REG, "a", 1);
	n += ent(e + n, 6, 2, OM_MFS_DT_DIR, "bb", 2);
	TAP_EXPECT(ok, dirents_raw(0, 2, e, n) == 0);
	TAP_EXPECT(ok, dirents_raw(1, 2, e, n) == 0);
	TAP_EXPECT(ok, dirents_raw(1, 0, e, 0) == 0);
	for (i = 0; i < ARRAY_SIZE(dts); i++) {
		ent(e, 5, 1, dts[i], "a", 1);
		TAP_EXPECT(ok, dirents_raw(0, 1, e, 19) == 0);
	}
	TAP_CHECK(ok, "mfs: R_DIRENTS with entries, with eof, empty with eof, and every DT_ type are fine");

	ok = 1;
	n = ent(e, 5, 1, OM_MFS_DT_REG, "a", 1);
	n += ent(e + n, 6, 2, OM_MFS_DT_DIR, "bb", 2);
	TAP_EXPECT(ok, dirents_raw(0, 3, e, n) == -EBADMSG);	/* one more */
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EBADMSG);	/* one less */
	TAP_EXPECT(ok, dirents_raw(0, 0xffffffff, e, n) == -EBADMSG);
	TAP_EXPECT(ok, dirents_raw(0, 2, e, n - 1) == -EBADMSG);
	TAP_EXPECT(ok, dirents_raw(0, 2, e, 19 + 18) == -EBADMSG);
	e[17] = 0;						/* name length 0 */
	TAP_EXPECT(ok, dirents_raw(0, 2, e, n) == -EBADMSG);
	e[17] = 3;			/* takes a byte of the next entry */
	TAP_EXPECT(ok, dirents_raw(0, 2, e, n) == -EBADMSG);
	e[17] = 255;
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EBADMSG);
	/* structure is reported before values: a bad type, then a cut */
	n = ent(e, 5, 1, 3, "a", 1);
	n += ent(e + n, 6, 2, OM_MFS_DT_DIR, "bb", 2);
	TAP_EXPECT(ok, dirents_raw(0, 2, e, n) == -EPROTO);
	TAP_EXPECT(ok, dirents_raw(0, 2, e, n - 1) == -EBADMSG);
	/* entries over 512 KiB, each valid */
	for (k = 0, n = 0; n <= OM_MFS_IO_MAX; k++)
		n += ent(over + n, 1, 1, 0, name255, OM_MFS_NAME_MAX);
	TAP_EXPECT(ok, n > OM_MFS_IO_MAX && dirents_raw(0, k, over, n) == -EBADMSG);
	TAP_CHECK(ok, "mfs: R_DIRENTS with a count that does not match, an entry cut, a name length 0 or past the entry, over 512 KiB is -EBADMSG");

	ok = 1;
	n = ent(e, 5, 1, OM_MFS_DT_REG, "a", 1);
	TAP_EXPECT(ok, dirents_raw(2, 1, e, n) == -EPROTO);
	TAP_EXPECT(ok, dirents_raw(0, 0, e, 0) == -EPROTO);
	ent(e, 0, 1, OM_MFS_DT_REG, "a", 1);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	ent(e, 5, 0, OM_MFS_DT_REG, "a", 1);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	ent(e, 5, 1, 3, "a", 1);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	ent(e, 5, 1, 14, "a", 1);		/* DT_WHT */
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	ent(e, 5, 1, 0xff, "a", 1);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	ent(e, 5, 1, OM_MFS_DT_DIR, ".", 1);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	n = ent(e, 5, 1, OM_MFS_DT_DIR, "..", 2);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	n = ent(e, 5, 1, OM_MFS_DT_DIR, "a/", 2);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	n = ent(e, 5, 1, OM_MFS_DT_DIR, "\0a", 2);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EPROTO);
	/* a bad second entry */
	n = ent(e, 5, 1, OM_MFS_DT_REG, "a", 1);
	n += ent(e + n, 6, 0, OM_MFS_DT_DIR, "bb", 2);
	TAP_EXPECT(ok, dirents_raw(1, 2, e, n) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_DIRENTS eof 2, empty without eof, an entry with ino or cookie 0, type 3, 14 or 255, name \".\", \"..\", '/' or NUL is -EPROTO");
}

/* One entry "a" of a regular file with an 8-byte handle, patched at off */
static int pent_patch(u32 off, u32 v, int width)
{
	static u8 e[OM_MFS_DIRENT_PLUS_MAX];
	u32 n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 8);

	if (width == 1)
		e[off] = (u8)v;
	else
		put_unaligned_le32(v, e + off);
	return pdirents_raw(0, 1, e, n);
}

static void test_mfs_reject_dirents_plus(void)
{
	static u8 e[3 * OM_MFS_DIRENT_PLUS_MAX + 16];
	static u8 f[2 * OM_MFS_DIRENT_PLUS_MAX];
	const u32 a = PE_ATTR(1, 8);	/* the attributes of pent_patch's */
	struct om_mfs_msg m;
	unsigned int i;
	u32 n, k;
	int ok = 1;

	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 8);
	n += pent(e + n, 6, 2, OM_MFS_S_IFDIR, "bb", 0);
	TAP_EXPECT(ok, n == 20 + 8 + 88 + 21);
	TAP_EXPECT(ok, pdirents_raw(0, 2, e, n) == 0);
	TAP_EXPECT(ok, pdirents_raw(1, 2, e, n) == 0);
	TAP_EXPECT(ok, pdirents_raw(1, 0, e, 0) == 0);
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		n = pent(e, 5, 1, fmts[i], "a", 8);
		TAP_EXPECT(ok, n && pdirents_raw(0, 1, e, n) == 0);
	}
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 0);
	e[PE_TYPE] = OM_MFS_DT_UNKNOWN;		/* no file: any type */
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == 0);
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 1);
	n += pent(e + n, 6, 2, OM_MFS_S_IFLNK, name255, OM_MFS_FH_MAX);
	TAP_EXPECT(ok, n == 109 + OM_MFS_DIRENT_PLUS_MAX &&
		   pdirents_raw(0, 2, e, n) == 0);
	TAP_EXPECT(ok, pent_patch(PE_PROMISE(1, 8), 0, 4) == 0);
	TAP_EXPECT(ok, pent_patch(PE_PROMISE(1, 8), OM_MFS_PROMISE_MAX_MS, 4) == 0);
	TAP_CHECK(ok, "mfs: R_DIRENTS_PLUS with entries with and without their files, every file type, handles of 1 and 64 bytes, promise 0 and the max, empty with eof are fine");

	/* structure: -EBADMSG */
	ok = 1;
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 8);
	n += pent(e + n, 6, 2, OM_MFS_S_IFDIR, "bb", 0);
	TAP_EXPECT(ok, pdirents_raw(0, 3, e, n) == -EBADMSG);	/* one more */
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == -EBADMSG);	/* one less */
	TAP_EXPECT(ok, pdirents_raw(0, 0xffffffff, e, n) == -EBADMSG);
	TAP_EXPECT(ok, pdirents_raw(0, 2, e, n - 1) == -EBADMSG);
	/* a handle of 65 bytes, with its attributes and promise after it */
	n = pent(f, 5, 1, OM_MFS_S_IFREG, "a", OM_MFS_FH_MAX);
	memcpy(e, f, PE_FHLEN(1));
	e[PE_FHLEN(1)] = OM_MFS_FH_MAX + 1;
	memcpy(e + PE_FHLEN(1) + 1, data, OM_MFS_FH_MAX + 1);
	memcpy(e + PE_ATTR(1, OM_MFS_FH_MAX + 1), f + PE_ATTR(1, OM_MFS_FH_MAX),
	       OM_MFS_ATTR_LEN + 4);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n + 1) == -EBADMSG);
	e[PE_FHLEN(1)] = 255;
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n + 1) == -EBADMSG);
	/* a handle longer than the bytes left */
	TAP_EXPECT(ok, pent_patch(PE_FHLEN(1), 9, 1) == -EBADMSG);
	TAP_EXPECT(ok, pent_patch(PE_FHLEN(1), OM_MFS_FH_MAX, 1) == -EBADMSG);
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 8);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n - 1) == -EBADMSG);	/* promise cut */
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, PE_ATTR(1, 8)) == -EBADMSG);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, PE_FHLEN(1) + 1) == -EBADMSG);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, PE_FHLEN(1)) == -EBADMSG);	/* no fhlen */
	/* a handle length 0 followed by attributes all the same */
	TAP_EXPECT(ok, pent_patch(PE_FHLEN(1), 0, 1) == -EBADMSG);
	/* the handle takes the next entry's bytes: one entry, not two */
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 0);
	k = pent(e + n, 6, 2, OM_MFS_S_IFDIR, "bb", 8);
	e[PE_FHLEN(1)] = (u8)(k - 88);
	TAP_EXPECT(ok, pdirents_raw(0, 2, e, n + k) == -EBADMSG);
	TAP_CHECK(ok, "mfs: R_DIRENTS_PLUS with a count one more or one less, a handle length 65, 255 or past the entry, an entry cut in its file, attributes after handle length 0 is -EBADMSG");

	/* the other kind's entries */
	ok = 1;
	n = ent(e, 5, 1, OM_MFS_DT_REG, "a", 1);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == 0);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == -EBADMSG);	/* no fhlen */
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 0);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == 0);
	TAP_EXPECT(ok, dirents_raw(0, 1, e, n) == -EBADMSG);	/* a byte more */
	TAP_EXPECT(ok, dirents_as(OM_MFS_R_DIRENTS_PLUS, 0, 3, ents3, ents3_len) ==
		   -EBADMSG);
	TAP_EXPECT(ok, dirents_as(OM_MFS_R_DIRENTS, 0, 3, pents3, pents3_len) ==
		   -EBADMSG);
	/* the samples' payloads, as the other type */
	sample(OM_MFS_R_DIRENTS, true, &m);
	n = (u32)om_mfs_encode(&m, enc2, BIG);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_DIRENTS_PLUS, enc2, n, &m) == -EBADMSG);
	sample(OM_MFS_R_DIRENTS_PLUS, true, &m);
	n = (u32)om_mfs_encode(&m, enc2, BIG);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_DIRENTS, enc2, n, &m) == -EBADMSG);
	/* but an empty one is both */
	TAP_EXPECT(ok, dirents_raw(1, 0, e, 0) == 0 && pdirents_raw(1, 0, e, 0) == 0);
	TAP_CHECK(ok, "mfs: R_DIRENTS entries decoded as R_DIRENTS_PLUS, and R_DIRENTS_PLUS entries as R_DIRENTS, are -EBADMSG");

	/* values: -EPROTO */
	ok = 1;
	TAP_EXPECT(ok, pent_patch(PE_TYPE, OM_MFS_DT_DIR, 1) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(PE_TYPE, OM_MFS_DT_UNKNOWN, 1) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(PE_TYPE, 3, 1) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_MODE - 8, OM_MFS_S_IFLNK | 0777, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_MODE - 8, 0644, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_UID - 8, 0xffffffff, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_GID - 8, 0xffffffff, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_ATIME, NS, 4) == -EPROTO);	/* atime's nsec */
	TAP_EXPECT(ok, pent_patch(a + A_CTIME, 0xffffffff, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_INO - 8, 0, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(a + A_BLKSIZE - 8, 0, 4) == -EPROTO);
	TAP_EXPECT(ok, pent_patch(PE_PROMISE(1, 8), OM_MFS_PROMISE_MAX_MS + 1, 4) ==
		   -EPROTO);
	TAP_EXPECT(ok, pent_patch(PE_PROMISE(1, 8), 0xffffffff, 4) == -EPROTO);
	/* a bad second entry */
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 0);
	k = pent(e + n, 6, 2, OM_MFS_S_IFDIR, "bb", 8);
	put_unaligned_le32(OM_MFS_PROMISE_MAX_MS + 1, e + n + PE_PROMISE(2, 8));
	TAP_EXPECT(ok, pdirents_raw(1, 2, e, n + k) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_DIRENTS_PLUS entries of a type not their attributes' (or DT_UNKNOWN with a file), with attributes not valid (ino 0, no type, id -1, nsec >= 1e9, blksize 0), promise_ms over 60000 are -EPROTO");

	/* what a READDIR entry may not be, a READDIRPLUS one may not either */
	ok = 1;
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 8);
	TAP_EXPECT(ok, pdirents_raw(2, 1, e, n) == -EPROTO);
	TAP_EXPECT(ok, pdirents_raw(0, 0, e, 0) == -EPROTO);
	put_unaligned_le64(0, e);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == -EPROTO);
	n = pent(e, 5, 1, OM_MFS_S_IFREG, "a", 0);
	put_unaligned_le64(0, e + 8);
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == -EPROTO);
	n = pent(e, 5, 1, OM_MFS_S_IFDIR, "a", 8);
	e[18] = '.';
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == -EPROTO);
	e[18] = '/';
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, n) == -EPROTO);
	e[PE_FHLEN(1) - 1] = 'a';
	e[PE_FHLEN(1)] = 0;
	e[PE_TYPE] = 14;	/* DT_WHT, without a file */
	TAP_EXPECT(ok, pdirents_raw(0, 1, e, PE_FHLEN(1) + 1) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_DIRENTS_PLUS eof 2, empty without eof, an entry with ino or cookie 0, name \".\" or '/', type 14 is -EPROTO");
}

static int data_raw(u8 eof, u32 len, u32 present)
{
	brep();
	b8(eof);
	b32(len);
	bmem(data, present);
	return bdec(OM_MFS_R_DATA);
}

static int written_raw(u32 count)
{
	struct om_mfs_msg m;
	int n;

	sample(OM_MFS_R_WRITTEN, false, &m);
	n = om_mfs_encode(&m, enc, BIG);
	put_unaligned_le32(count, enc + 8);
	bn = (u32)n;
	return bdec(OM_MFS_R_WRITTEN);
}

static int error_raw(u32 err)
{
	brep();
	b32(err);
	return bdec(OM_MFS_R_ERROR);
}

static int statfs_raw(u32 bsize, u32 namelen, u64 blocks, u64 bfree,
		      u64 bavail, u64 files, u64 ffree)
{
	brep();
	b32(bsize);
	b32(namelen);
	b64(blocks);
	b64(bfree);
	b64(bavail);
	b64(files);
	b64(ffree);
	return bdec(OM_MFS_R_STATFS);
}

static void test_mfs_reject_replies(void)
{
	const u32 io = OM_MFS_IO_MAX;
	int ok = 1;

	TAP_EXPECT(ok, error_raw((u32)-1) == 0);
	TAP_EXPECT(ok, error_raw((u32)-4095) == 0);
	TAP_EXPECT(ok, error_raw(0) == -EPROTO);
	TAP_EXPECT(ok, error_raw(1) == -EPROTO);
	TAP_EXPECT(ok, error_raw((u32)-4096) == -EPROTO);
	TAP_EXPECT(ok, error_raw(0x80000000) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_ERROR err outside -4095..-1 is -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, data_raw(0, 1, 1) == 0 && data_raw(1, io, io) == 0);
	TAP_EXPECT(ok, data_raw(1, 0, 0) == 0);
	TAP_EXPECT(ok, data_raw(0, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, data_raw(4, 1, 1) == -EPROTO);
	TAP_EXPECT(ok, data_raw(0x80, 1, 1) == -EPROTO);
	TAP_EXPECT(ok, data_raw(5, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, data_raw(2, 0, 0) == -EPROTO);
	TAP_EXPECT(ok, data_raw(0, io + 1, io + 1) == -EBADMSG);
	TAP_EXPECT(ok, data_raw(0, 0xffffffff, 10) == -EBADMSG);
	TAP_EXPECT(ok, data_raw(0, 5, 4) == -EBADMSG);
	TAP_EXPECT(ok, data_raw(0, 5, 6) == -EBADMSG);
	TAP_CHECK(ok, "mfs: R_DATA over 512 KiB or not what follows is -EBADMSG; flags over 3, or empty without eof (stable or not), is -EPROTO");

	ok = 1;
	{
		struct om_mfs_msg m;
		u8 f;

		for (f = 0; f < 4; f++) {
			TAP_EXPECT(ok, data_raw(f, 1, 1) == 0);
			TAP_EXPECT(ok, !om_mfs_decode(OM_MFS_R_DATA, enc, bn, &m) &&
				       m.data.eof == (f & OM_MFS_DATA_EOF) &&
				       m.data.stable == !!(f & OM_MFS_DATA_STABLE));
			TAP_EXPECT(ok, om_mfs_encode(&m, enc2, BIG) == (int)bn &&
				       enc2[8] == f);
		}
		m.data.stable = 2;
		TAP_EXPECT(ok, om_mfs_encode(&m, enc2, BIG) == -EINVAL);
	}
	TAP_CHECK(ok, "mfs: R_DATA flags 0..3 are eof (0x01) and stable (0x02), re-encoded to the same byte; stable 2 does not encode");

	ok = 1;
	TAP_EXPECT(ok, written_raw(1) == 0 && written_raw(io) == 0);
	TAP_EXPECT(ok, written_raw(0) == -EPROTO);
	TAP_EXPECT(ok, written_raw(io + 1) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_WRITTEN count 0 or over 512 KiB is -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, statfs_raw(1, 1, 0, 0, 0, 0, 0) == 0);
	TAP_EXPECT(ok, statfs_raw(OM_MFS_BLKSIZE_MAX, 255, 9, 9, 9, 9, 9) == 0);
	TAP_EXPECT(ok, statfs_raw(4096, 255, 9, 3, 5, 9, 0) == 0);
	TAP_EXPECT(ok, statfs_raw(0, 255, 9, 9, 9, 9, 9) == -EPROTO);
	TAP_EXPECT(ok, statfs_raw(OM_MFS_BLKSIZE_MAX + 1, 255, 9, 9, 9, 9, 9) ==
		   -EPROTO);
	TAP_EXPECT(ok, statfs_raw(4096, 0, 9, 9, 9, 9, 9) == -EPROTO);
	TAP_EXPECT(ok, statfs_raw(4096, 256, 9, 9, 9, 9, 9) == -EPROTO);
	TAP_EXPECT(ok, statfs_raw(4096, 255, 9, 10, 9, 9, 9) == -EPROTO);
	TAP_EXPECT(ok, statfs_raw(4096, 255, 9, 9, 10, 9, 9) == -EPROTO);
	TAP_EXPECT(ok, statfs_raw(4096, 255, 9, 9, 9, 9, 10) == -EPROTO);
	TAP_CHECK(ok, "mfs: R_STATFS bsize 0 or over 2^30, namelen 0 or 256, free over total is -EPROTO");
}

/* A sample broken by fix(): what the encoder returns */
static int mutated(u8 type, void (*fix)(struct om_mfs_msg *m))
{
	struct om_mfs_msg m;

	sample(type, false, &m);
	fix(&m);
	return om_mfs_encode(&m, enc, BIG);
}

static void no_fix(struct om_mfs_msg *m)
{
	(void)m;
}

static void fix_dot(struct om_mfs_msg *m)
{
	m->lookup.name = str(".");
}

static void fix_name_null(struct om_mfs_msg *m)
{
	m->lookup.name.s = NULL;
}

static void fix_name_256(struct om_mfs_msg *m)
{
	m->lookup.name.len = 256;
	m->lookup.name.s = target4095;
}

static void fix_fh0(struct om_mfs_msg *m)
{
	m->getattr.fh.len = 0;
}

static void fix_fh65(struct om_mfs_msg *m)
{
	m->getattr.fh.len = OM_MFS_FH_MAX + 1;
	m->getattr.fh.data = data;
}

static void fix_fh_null(struct om_mfs_msg *m)
{
	m->getattr.fh.data = NULL;
}

static void fix_groups33(struct om_mfs_msg *m)
{
	m->cred.ngroups = OM_MFS_NGROUPS_MAX + 1;
}

static void fix_groups_down(struct om_mfs_msg *m)
{
	m->cred.groups[1] = m->cred.groups[0];
}

static void fix_uid(struct om_mfs_msg *m)
{
	m->cred.uid = OM_MFS_INVALID_ID;
}

static void fix_id0(struct om_mfs_msg *m)
{
	m->req_id = 0;
}

static void fix_type(struct om_mfs_msg *m)
{
	m->type = OM_MFS_REQ_LAST + 1;
}

static void fix_setattr(struct om_mfs_msg *m)
{
	m->setattr.uid = 5;	/* without OM_MFS_SET_UID */
}

static void fix_write_null(struct om_mfs_msg *m)
{
	m->write.data = NULL;
}

static void fix_write_0(struct om_mfs_msg *m)
{
	m->write.len = 0;
}

static void fix_target_nul(struct om_mfs_msg *m)
{
	m->symlink.target = (struct om_mfs_str){ "a\0b", 3 };
}

static void fix_data_empty(struct om_mfs_msg *m)
{
	m->data.len = 0;
}

static void fix_count(struct om_mfs_msg *m)
{
	m->dirents.count = 2;
}

/* R_DIRENTS that says plus, R_DIRENTS_PLUS that does not */
static void fix_plus(struct om_mfs_msg *m)
{
	m->dirents.plus = !m->dirents.plus;
}

/* the same, with no entries, or one entry that is fine as plus says */
static void fix_plus_empty(struct om_mfs_msg *m)
{
	fix_plus(m);
	m->dirents.eof = 1;
	m->dirents.count = 0;
	m->dirents.len = 0;
}

static void fix_plus_one(struct om_mfs_msg *m)
{
	static u8 one[OM_MFS_DIRENT_PLUS_MAX];
	struct om_mfs_dirent e = dent(5, 1, OM_MFS_DT_REG, "x");

	fix_plus(m);
	m->dirents.count = 1;
	m->dirents.ents = one;
	m->dirents.len = (u32)om_mfs_dirent_put(&e, m->dirents.plus, one,
						sizeof(one));
}

/* R_DIRENTS_PLUS carrying R_DIRENTS's entries */
static void fix_plus_ents(struct om_mfs_msg *m)
{
	m->dirents.ents = ents3;
	m->dirents.len = ents3_len;
}

static void fix_plus_max(struct om_mfs_msg *m)
{
	m->readdir.max_bytes = OM_MFS_DIRENT_PLUS_MAX - 1;
}

static void fix_err0(struct om_mfs_msg *m)
{
	m->error.err = 0;
}

static void fix_ino0(struct om_mfs_msg *m)
{
	m->entry.attr.ino = 0;
}

static void fix_bfree(struct om_mfs_msg *m)
{
	m->fsstat.bfree = m->fsstat.blocks + 1;
}

static void test_mfs_encoder(void)
{
	struct om_mfs_msg m, d;
	int n, n2, ok = 1;

	TAP_CHECK(mutated(OM_MFS_R_ERROR, no_fix) == 12,
		  "mfs: (control) an unbroken message encodes");
	TAP_EXPECT(ok, mutated(OM_MFS_LOOKUP, fix_dot) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_LOOKUP, fix_name_null) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_LOOKUP, fix_name_256) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_fh0) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_fh65) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_fh_null) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_groups33) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_groups_down) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_uid) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_GETATTR, fix_id0) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_OK, fix_id0) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_STATFS, fix_type) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_SETATTR, fix_setattr) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_WRITE, fix_write_null) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_WRITE, fix_write_0) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_SYMLINK, fix_target_nul) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DATA, fix_data_empty) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS, fix_count) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS_PLUS, fix_count) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS, fix_plus) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS_PLUS, fix_plus) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS, fix_plus_empty) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS_PLUS, fix_plus_empty) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS, fix_plus_one) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS_PLUS, fix_plus_one) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_DIRENTS_PLUS, fix_plus_ents) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_READDIRPLUS, fix_plus_max) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_ERROR, fix_err0) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_ENTRY, fix_ino0) == -EINVAL);
	TAP_EXPECT(ok, mutated(OM_MFS_R_STATFS, fix_bfree) == -EINVAL);
	TAP_CHECK(ok, "mfs: the encoder refuses what the decoder would (-EINVAL)");

	ok = 1;
	sample(OM_MFS_GETATTR, false, &m);
	TAP_EXPECT(ok, om_mfs_encode(&m, NULL, 5) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_encode(NULL, enc, BIG) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_encode(&m, enc, 0) == -EMSGSIZE);
	TAP_EXPECT(ok, om_mfs_encode(&m, enc, 33) == -EMSGSIZE);
	TAP_EXPECT(ok, om_mfs_encode(&m, enc, 34) == 34);
	sample(OM_MFS_WRITE, true, &m);
	n = om_mfs_encode(&m, NULL, 0);
	TAP_EXPECT(ok, om_mfs_encode(&m, enc, (u32)n - 1) == -EMSGSIZE);
	TAP_EXPECT(ok, om_mfs_encode(&m, enc, (u32)n) == n);
	TAP_CHECK(ok, "mfs: encode(NULL out, cap > 0) and encode(NULL msg) are -EINVAL; a buffer one byte short is -EMSGSIZE");

	/* a reply's credentials are ignored */
	ok = 1;
	sample(OM_MFS_R_ATTR, false, &m);
	n = om_mfs_encode(&m, enc, BIG);
	cred_sample(&m.cred, true);
	m.cred.uid = OM_MFS_INVALID_ID;
	n2 = om_mfs_encode(&m, enc2, BIG);
	TAP_EXPECT(ok, n == 96 && n2 == n && !memcmp(enc, enc2, (size_t)n));
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_ATTR, enc, (u32)n, &d) == 0 &&
		   !d.cred.uid && !d.cred.ngroups);
	TAP_CHECK(ok, "mfs: the encoder ignores a reply's credentials; decoded, they are 0");

	/* READ data and READDIR entries built in place */
	ok = 1;
	sample(OM_MFS_R_DATA, false, &m);
	memcpy(enc2 + OM_MFS_DATA_HDR_LEN, m.data.data, m.data.len);
	m.data.data = enc2 + OM_MFS_DATA_HDR_LEN;
	n = om_mfs_encode(&m, enc2, BIG);
	TAP_EXPECT(ok, n == OM_MFS_DATA_HDR_LEN + 100 &&
		   !memcmp(enc2 + OM_MFS_DATA_HDR_LEN, data + 1, 100) &&
		   get_unaligned_le32(enc2 + 9) == 100);
	sample(OM_MFS_R_DIRENTS, false, &m);
	memcpy(enc2 + OM_MFS_DIRENTS_HDR_LEN, ents3, ents3_len);
	m.dirents.ents = enc2 + OM_MFS_DIRENTS_HDR_LEN;
	n = om_mfs_encode(&m, enc2, BIG);
	TAP_EXPECT(ok, n == (int)(OM_MFS_DIRENTS_HDR_LEN + ents3_len) &&
		   !memcmp(enc2 + OM_MFS_DIRENTS_HDR_LEN, ents3, ents3_len) &&
		   om_mfs_decode(OM_MFS_R_DIRENTS, enc2, (u32)n, &d) == 0 &&
		   d.dirents.count == 3);
	sample(OM_MFS_R_DIRENTS_PLUS, false, &m);
	memcpy(enc2 + OM_MFS_DIRENTS_HDR_LEN, pents3, pents3_len);
	m.dirents.ents = enc2 + OM_MFS_DIRENTS_HDR_LEN;
	n = om_mfs_encode(&m, enc2, BIG);
	TAP_EXPECT(ok, n == (int)(OM_MFS_DIRENTS_HDR_LEN + pents3_len) &&
		   !memcmp(enc2 + OM_MFS_DIRENTS_HDR_LEN, pents3, pents3_len) &&
		   om_mfs_decode(OM_MFS_R_DIRENTS_PLUS, enc2, (u32)n, &d) == 0 &&
		   d.dirents.count == 3 && d.dirents.plus == 1);
	TAP_CHECK(ok, "mfs: R_DATA, R_DIRENTS and R_DIRENTS_PLUS built in place encode in place");
}

/* The reply to a request: its type, with the request's id */
static void reply_to(const struct om_mfs_msg *q, u8 rtype, struct om_mfs_msg *r)
{
	sample(rtype, false, r);
	r->req_id = q->req_id;
}

static void test_mfs_reply_match(void)
{
	struct om_mfs_msg q, r;
	unsigned int i, j;
	int ok = 1, good = 0;

	/* every request: its reply type and R_ERROR match, no other type */
	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		u8 t = all_types[i];

		if (!om_mfs_is_request(t))
			continue;
		sample(t, false, &q);
		for (j = 0; j < ARRAY_SIZE(all_types); j++) {
			u8 rt = all_types[j];

			if (om_mfs_is_request(rt))
				continue;
			reply_to(&q, rt, &r);
			/* the file types requests expect */
			if (rt == OM_MFS_R_ENTRY &&
			    (t == OM_MFS_ROOT || t == OM_MFS_MKDIR))
				r.entry.attr.mode = OM_MFS_S_IFDIR | 0755;
			else if (rt == OM_MFS_R_ENTRY && t == OM_MFS_SYMLINK)
				r.entry.attr.mode = OM_MFS_S_IFLNK | 0777;
			if (om_mfs_reply_match(&q, &r) == 0)
				good++;
		}
	}
	TAP_CHECK(good == 2 * 18,
		  "mfs: reply_match: each of 18 requests takes R_ERROR and its own reply type only (%d matches)",
		  good);

	sample(OM_MFS_GETATTR, false, &q);
	reply_to(&q, OM_MFS_R_ATTR, &r);
	r.req_id++;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	r.type = OM_MFS_R_ERROR;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	reply_to(&q, OM_MFS_R_ATTR, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&r, &r) == -EPROTO);	/* not a request */
	TAP_CHECK(ok, "mfs: reply_match: another request id, or a reply as the request, is -EPROTO");

	ok = 1;
	sample(OM_MFS_READ, false, &q);
	reply_to(&q, OM_MFS_R_DATA, &r);
	r.data.len = q.read.len;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	r.data.len++;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_READDIR, false, &q);
	q.readdir.max_bytes = ents3_len;
	reply_to(&q, OM_MFS_R_DIRENTS, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	q.readdir.max_bytes--;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_WRITE, false, &q);
	reply_to(&q, OM_MFS_R_WRITTEN, &r);
	r.written.count = q.write.len;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	r.written.count++;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	TAP_CHECK(ok, "mfs: reply_match: more data than READ asked, entries over max_bytes, more written than sent are -EPROTO");

	ok = 1;
	sample(OM_MFS_READDIRPLUS, false, &q);
	q.readdir.max_bytes = OM_MFS_DIRENT_PLUS_MAX;
	reply_to(&q, OM_MFS_R_DIRENTS_PLUS, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	reply_to(&q, OM_MFS_R_DIRENTS, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	reply_to(&q, OM_MFS_R_ERROR, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	sample(OM_MFS_R_DIRENTS_PLUS, true, &r);	/* 512 KiB of entries */
	r.req_id = q.req_id;
	q.readdir.max_bytes = OM_MFS_IO_MAX;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	q.readdir.max_bytes--;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_READDIR, false, &q);
	reply_to(&q, OM_MFS_R_DIRENTS_PLUS, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	TAP_CHECK(ok, "mfs: reply_match: READDIRPLUS takes R_DIRENTS_PLUS within max_bytes, not R_DIRENTS or more; READDIR not R_DIRENTS_PLUS");

	ok = 1;
	sample(OM_MFS_MKDIR, false, &q);
	reply_to(&q, OM_MFS_R_ENTRY, &r);	/* a regular file */
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_ROOT, false, &q);
	reply_to(&q, OM_MFS_R_ENTRY, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_CREATE, false, &q);
	reply_to(&q, OM_MFS_R_ENTRY, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	r.entry.attr.mode = OM_MFS_S_IFIFO | 0644;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_SYMLINK, false, &q);
	reply_to(&q, OM_MFS_R_ENTRY, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_LINK, false, &q);
	reply_to(&q, OM_MFS_R_ENTRY, &r);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);
	r.entry.attr.mode = OM_MFS_S_IFDIR | 0755;
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == -EPROTO);
	sample(OM_MFS_LOOKUP, false, &q);
	TAP_EXPECT(ok, om_mfs_reply_match(&q, &r) == 0);	/* any type */
	TAP_CHECK(ok, "mfs: reply_match: ROOT and MKDIR need a directory, CREATE a regular file, SYMLINK a symlink, LINK no directory");
}

static void test_mfs_helpers(void)
{
	struct om_mfs_dirent e = dent(7, 8, OM_MFS_DT_LNK, "lnk"), x, p;
	struct om_mfs_msg m, d;
	u8 buf[OM_MFS_DIRENT_PLUS_MAX];
	u32 off, k;
	int ok = 1, n;

	TAP_EXPECT(ok, om_mfs_dirent_put(&e, false, buf, sizeof(buf)) == 21);
	TAP_EXPECT(ok, om_mfs_dirent_put(&e, false, buf, 21) == 21);
	TAP_EXPECT(ok, om_mfs_dirent_put(&e, false, buf, 20) == -EMSGSIZE);
	TAP_EXPECT(ok, om_mfs_dirent_put(&e, false, NULL, 0) == -EMSGSIZE);
	x = e;
	x.name = str("..");
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, false, buf, sizeof(buf)) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = e;
	x.cookie = 0;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, false, buf, sizeof(buf)) == -EINVAL);
	x = e;
	x.type = 5;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, false, buf, sizeof(buf)) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_dirent_put(NULL, false, buf, sizeof(buf)) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_dirent_put(NULL, true, buf, sizeof(buf)) == -EINVAL);
	TAP_CHECK(ok, "mfs: dirent_put writes an entry, refuses a bad one (-EINVAL) or too little room (-EMSGSIZE)");

	/* with plus: one byte more without a file, its file's bytes with one */
	ok = 1;
	TAP_EXPECT(ok, om_mfs_dirent_put(&e, true, buf, sizeof(buf)) == 22 &&
		   buf[21] == 0);
	TAP_EXPECT(ok, om_mfs_dirent_put(&e, true, buf, 21) == -EMSGSIZE);
	p = e;
	p.fh = fh(fh_a, 5);
	attr_sample(&p.attr, OM_MFS_S_IFLNK, false);
	p.promise_ms = OM_MFS_PROMISE_MAX_MS;
	n = OM_MFS_DIRENT_PLUS_LEN(3, 5);
	TAP_EXPECT(ok, n == 21 + 1 + 5 + 84 + 4);
	TAP_EXPECT(ok, om_mfs_dirent_put(&p, true, buf, (u32)n) == n &&
		   buf[21] == 5 && !memcmp(buf + 22, fh_a, 5) &&
		   get_unaligned_le64(buf + 27) == p.attr.ino &&
		   get_unaligned_le32(buf + n - 4) == OM_MFS_PROMISE_MAX_MS);
	TAP_EXPECT(ok, om_mfs_dirent_put(&p, true, buf, (u32)n - 1) == -EMSGSIZE);
	TAP_EXPECT(ok, om_mfs_dirent_put(&p, true, NULL, 0) == -EMSGSIZE);
	p.fh = fh(fh_a, OM_MFS_FH_MAX);
	p.name = str(name255);
	TAP_EXPECT(ok, om_mfs_dirent_put(&p, true, buf, sizeof(buf)) ==
		   OM_MFS_DIRENT_PLUS_MAX);
	TAP_CHECK(ok, "mfs: dirent_put with plus writes an entry with its file or without (fhlen 0), at most %d bytes",
		  OM_MFS_DIRENT_PLUS_MAX);

	ok = 1;
	p = e;
	p.fh = fh(fh_a, 5);
	attr_sample(&p.attr, OM_MFS_S_IFLNK, false);
	p.promise_ms = 1;
	TAP_EXPECT(ok, om_mfs_dirent_put(&p, true, buf, sizeof(buf)) > 0);
	/* a READDIR entry tells no file */
	TAP_EXPECT(ok, om_mfs_dirent_put(&p, false, buf, sizeof(buf)) == -EINVAL);
	x = e;
	x.fh = p.fh;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, false, buf, sizeof(buf)) == -EINVAL);
	x = e;
	x.attr = p.attr;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, false, buf, sizeof(buf)) == -EINVAL);
	/* without a handle, no attributes or promise */
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = e;
	x.promise_ms = 1;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, false, buf, sizeof(buf)) == -EINVAL);
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = e;
	x.attr.nlink = 1;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	/* with one, a handle of 1..64 bytes and an R_ENTRY of the entry's type */
	x = p;
	x.fh.len = OM_MFS_FH_MAX + 1;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.fh.data = NULL;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.type = OM_MFS_DT_REG;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.type = OM_MFS_DT_UNKNOWN;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.attr.uid = OM_MFS_INVALID_ID;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.attr.mtime.nsec = NS;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.attr.ino = 0;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	x = p;
	x.promise_ms = OM_MFS_PROMISE_MAX_MS + 1;
	TAP_EXPECT(ok, om_mfs_dirent_put(&x, true, buf, sizeof(buf)) == -EINVAL);
	TAP_CHECK(ok, "mfs: dirent_put refuses a READDIR entry with a handle, attributes or a promise, a READDIRPLUS one with them but no handle, a handle of 65 bytes or none, a type not its attributes', bad attributes, a promise over 60000 (-EINVAL)");

	ok = 1;
	sample(OM_MFS_R_DIRENTS, false, &m);
	n = om_mfs_encode(&m, enc, BIG);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_DIRENTS, enc, (u32)n, &d) == 0);
	off = 0;
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 2 &&
		   x.cookie == 1 && x.type == OM_MFS_DT_DIR &&
		   x.name.len == 3 && !memcmp(x.name.s, "sub", 3) &&
		   x.name.s == (const char *)enc + OM_MFS_DIRENTS_HDR_LEN + 18);
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 12 &&
		   x.type == OM_MFS_DT_REG && x.name.len == 8);
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 13 &&
		   x.cookie == 0x7fffffff && !memcmp(x.name.s, "link", 4));
	TAP_EXPECT(ok, off == d.dirents.len && !om_mfs_dirent_next(&d.dirents, &off, &x));
	sample(OM_MFS_R_DIRENTS, true, &m);
	for (off = 0, k = 0; om_mfs_dirent_next(&m.dirents, &off, &x); k++)
		;
	TAP_EXPECT(ok, k == ents_big_count && off == ents_big_len);
	memset(&d, 0, sizeof(d));
	off = 0;
	TAP_EXPECT(ok, !om_mfs_dirent_next(&d.dirents, &off, &x));
	TAP_CHECK(ok, "mfs: dirent_next walks a decoded R_DIRENTS, pointing into the payload");

	ok = 1;
	sample(OM_MFS_R_DIRENTS_PLUS, false, &m);
	n = om_mfs_encode(&m, enc, BIG);
	TAP_EXPECT(ok, om_mfs_decode(OM_MFS_R_DIRENTS_PLUS, enc, (u32)n, &d) == 0);
	off = 0;
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 2 &&
		   x.cookie == 1 && x.type == OM_MFS_DT_DIR &&
		   x.name.len == 3 && !memcmp(x.name.s, "sub", 3) &&
		   x.name.s == (const char *)enc + OM_MFS_DIRENTS_HDR_LEN + 18 &&
		   x.fh.len == 8 && !memcmp(x.fh.data, fh_a, 8) &&
		   x.fh.data == enc + OM_MFS_DIRENTS_HDR_LEN + 22 &&
		   x.attr.ino == 2 && x.attr.mode == (OM_MFS_S_IFDIR | 0644) &&
		   x.attr.ctime.nsec == 999 && x.promise_ms == 30000);
	TAP_EXPECT(ok, off == 118 && om_mfs_dirent_next(&d.dirents, &off, &x) &&
		   x.ino == 12 && x.type == OM_MFS_DT_REG && x.name.len == 8 &&
		   x.fh.len == 12 && !memcmp(x.fh.data, fh_b, 12) &&
		   x.attr.ino == 12 && x.attr.size == 12345 && !x.promise_ms);
	TAP_EXPECT(ok, om_mfs_dirent_next(&d.dirents, &off, &x) && x.ino == 13 &&
		   x.cookie == 0x7fffffff && !memcmp(x.name.s, "link", 4) &&
		   !x.fh.len && !x.fh.data && !x.attr.ino && !x.attr.blksize &&
		   !x.promise_ms);
	TAP_EXPECT(ok, off == d.dirents.len && !om_mfs_dirent_next(&d.dirents, &off, &x));
	sample(OM_MFS_R_DIRENTS_PLUS, true, &m);
	for (off = 0, k = 0; om_mfs_dirent_next(&m.dirents, &off, &x); k++)
		if (x.fh.len != OM_MFS_FH_MAX || x.type != om_mfs_mode_to_dt(x.attr.mode))
			break;
	TAP_EXPECT(ok, k == pents_big_count && off == pents_big_len);
	TAP_CHECK(ok, "mfs: dirent_next walks a decoded R_DIRENTS_PLUS, its files too, pointing into the payload");

	ok = 1;
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFREG | 0644) == OM_MFS_DT_REG);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFDIR) == OM_MFS_DT_DIR);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFLNK) == OM_MFS_DT_LNK);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFCHR) == OM_MFS_DT_CHR);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFBLK) == OM_MFS_DT_BLK);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFIFO) == OM_MFS_DT_FIFO);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(OM_MFS_S_IFSOCK) == OM_MFS_DT_SOCK);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(0644) == OM_MFS_DT_UNKNOWN);
	TAP_EXPECT(ok, om_mfs_mode_to_dt(0170000) == OM_MFS_DT_UNKNOWN);
	TAP_CHECK(ok, "mfs: mode_to_dt");

	ok = 1;
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_ROOT), "ROOT"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_STATFS), "STATFS"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_R_ERROR), "R_ERROR"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_R_STATFS), "R_STATFS"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_READDIRPLUS), "READDIRPLUS"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_R_DIRENTS_PLUS), "R_DIRENTS_PLUS"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(0x92), "?"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(0xaa), "?"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(0x7f), "?"));
	TAP_EXPECT(ok, !strcmp(om_mfs_type_name(OM_MFS_BREAK), "BREAK") &&
		   !strcmp(om_mfs_type_name(OM_MFS_BREAK_ACK), "BREAK_ACK") &&
		   !strcmp(om_mfs_type_name(OM_MFS_BREAK_ALL), "BREAK_ALL") &&
		   !strcmp(om_mfs_type_name(0xb3), "?"));
	TAP_EXPECT(ok, om_mfs_is_notice(OM_MFS_BREAK) && om_mfs_is_notice(OM_MFS_BREAK_ACK) &&
		   om_mfs_is_notice(OM_MFS_BREAK_ALL) && !om_mfs_is_notice(0xb3) &&
		   !om_mfs_is_notice(OM_MFS_R_STATFS) && !om_mfs_is_request(OM_MFS_BREAK_ACK) &&
		   (int)OM_MFS_NOTE_LAST <= (int)OM_WIRE_T_MFS_LAST);
	TAP_EXPECT(ok, om_mfs_is_request(OM_MFS_ROOT) &&
		   om_mfs_is_request(OM_MFS_STATFS) &&
		   om_mfs_is_request(OM_MFS_READDIRPLUS) &&
		   !om_mfs_is_request(OM_MFS_R_ERROR) && !om_mfs_is_request(0x92) &&
		   !om_mfs_is_request(OM_MFS_R_DIRENTS_PLUS) &&
		   !om_mfs_is_notice(OM_MFS_R_DIRENTS_PLUS));
	TAP_EXPECT(ok, (int)OM_WIRE_T_MFS_FIRST == (int)OM_MFS_ROOT &&
		   (int)OM_MFS_REP_LAST <= (int)OM_WIRE_T_MFS_LAST &&
		   OM_WIRE_T_MFS_FIRST == OM_WIRE_T_MIG_LAST + 1);
	TAP_CHECK(ok, "mfs: type names, is_request, and the frame type range");
}

void test_mfs(void)
{
	struct om_mfs_dirent e;
	unsigned int i;
	u32 n;
	int k;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + (i >> 13));
	for (i = 0; i < OM_MFS_FH_MAX; i++) {
		fh_a[i] = (u8)(0xa0 + i);
		fh_b[i] = (u8)(0x3f - i);
	}
	for (i = 0; i < OM_MFS_NAME_MAX; i++)
		name255[i] = (char)('a' + i % 26);
	name255[7] = ' ';
	name255[8] = (char)0xc3;
	name255[9] = (char)0xa9;
	for (i = 0; i < OM_MFS_TARGET_MAX; i++)
		target4095[i] = i % 8 == 7 ? '/' : (char)('A' + i % 26);
	/* sub (dir), file.txt, link */
	e = dent(2, 1, OM_MFS_DT_DIR, "sub");
	ents3_len = (u32)om_mfs_dirent_put(&e, false, ents3, sizeof(ents3));
	e = dent(12, 2, OM_MFS_DT_REG, "file.txt");
	ents3_len += (u32)om_mfs_dirent_put(&e, false, ents3 + ents3_len,
					    sizeof(ents3) - ents3_len);
	e = dent(13, 0x7fffffff, OM_MFS_DT_LNK, "link");
	ents3_len += (u32)om_mfs_dirent_put(&e, false, ents3 + ents3_len,
					    sizeof(ents3) - ents3_len);
	/* 1920 entries of 273 bytes, then one of 128: exactly 512 KiB */
	for (n = 0, ents_big_count = 0; n < sizeof(ents_big); ents_big_count++) {
		u32 room = (u32)sizeof(ents_big) - n;

		e.ino = ~0ULL - ents_big_count;
		e.cookie = ents_big_count + 1;
		e.type = (u8)(ents_big_count % 2 ? OM_MFS_DT_UNKNOWN : OM_MFS_DT_SOCK);
		/* a full entry while one more fits after it, then the rest */
		e.name.s = name255;
		e.name.len = room >= OM_MFS_DIRENT_MAX + OM_MFS_DIRENT_LEN(1) ?
			     OM_MFS_NAME_MAX : room - OM_MFS_DIRENT_LEN(0);
		k = om_mfs_dirent_put(&e, false, ents_big + n, room);
		if (k <= 0)
			break;
		n += (u32)k;
	}
	ents_big_len = n;

	/* the same three with plus: sub and file.txt with their files */
	e = dent(2, 1, OM_MFS_DT_DIR, "sub");
	e.fh = fh(fh_a, 8);
	attr_sample(&e.attr, OM_MFS_S_IFDIR, false);
	e.attr.ino = 2;
	e.promise_ms = 30000;
	pents3_len = (u32)om_mfs_dirent_put(&e, true, pents3, sizeof(pents3));
	e = dent(12, 2, OM_MFS_DT_REG, "file.txt");
	e.fh = fh(fh_b, 12);
	attr_sample(&e.attr, OM_MFS_S_IFREG, false);
	e.attr.ino = 12;
	pents3_len += (u32)om_mfs_dirent_put(&e, true, pents3 + pents3_len,
					     sizeof(pents3) - pents3_len);
	e = dent(13, 0x7fffffff, OM_MFS_DT_LNK, "link");
	pents3_len += (u32)om_mfs_dirent_put(&e, true, pents3 + pents3_len,
					     sizeof(pents3) - pents3_len);
	/*
	 * 1230 entries of 426 bytes (255-byte names, 64-byte handles, every
	 * file type in turn, the longest promise), then one of 308
	 */
	for (n = 0, pents_big_count = 0; n < sizeof(pents_big); pents_big_count++) {
		u32 room = (u32)sizeof(pents_big) - n;

		e = dent(~0ULL - pents_big_count, pents_big_count + 1, 0, "x");
		e.fh = fh(pents_big_count % 2 ? fh_b : fh_a, OM_MFS_FH_MAX);
		attr_sample(&e.attr, fmts[pents_big_count % ARRAY_SIZE(fmts)], true);
		e.type = om_mfs_mode_to_dt(e.attr.mode);
		e.promise_ms = OM_MFS_PROMISE_MAX_MS;
		e.name.s = name255;
		e.name.len = room >= OM_MFS_DIRENT_PLUS_MAX + OM_MFS_DIRENT_PLUS_LEN(1, 0) ?
			     OM_MFS_NAME_MAX :
			     room - OM_MFS_DIRENT_PLUS_LEN(0, OM_MFS_FH_MAX);
		k = om_mfs_dirent_put(&e, true, pents_big + n, room);
		if (k <= 0)
			break;
		n += (u32)k;
	}
	pents_big_len = n;

	TAP_CHECK(ents3_len == 69 && pents3_len == 268 &&
		  strlen(name255) == OM_MFS_NAME_MAX &&
		  strlen(target4095) == OM_MFS_TARGET_MAX,
		  "mfs: (test data)");
	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		roundtrip(all_types[i], false);
		roundtrip(all_types[i], true);
	}
	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		truncations(all_types[i], false);
		truncations(all_types[i], true);
	}
	test_mfs_sizes();
	test_mfs_golden();
	test_mfs_dirents_advance();
	test_mfs_reject_common();
	test_mfs_reject_names();
	test_mfs_reject_setattr();
	test_mfs_reject_io();
	test_mfs_reject_attr();
	test_mfs_reject_dirents();
	test_mfs_reject_dirents_plus();
	test_mfs_reject_replies();
	test_mfs_encoder();
	test_mfs_reply_match();
	test_mfs_helpers();
}
