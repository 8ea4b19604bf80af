// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS message codec.  Payloads come from an authenticated but not
 * necessarily honest peer: every read is bounds-checked (om_bytes.h),
 * nothing is allocated, and one function (om_mfs_check) decides
 * which values are valid for both the decoder and the encoder, so the
 * two cannot disagree.
 */
#include "om_mfs_wire.h"
#include "om_bytes.h"

/* ---- Reader (om_bytes.h): the fields of this protocol ---- */

/* A length of 0 or over max, for a field that has bytes, is structure */
static const u8 *om_mfs_rd_var(struct om_rd *r, u32 n, u32 max)
{
	if (!r->err && (!n || n > max))
		r->err = -EBADMSG;
	return om_rd(r, n);
}

static void om_mfs_rd_fh(struct om_rd *r, struct om_mfs_fh *fh)
{
	fh->len = om_rd_u8(r);
	fh->data = om_mfs_rd_var(r, fh->len, OM_MFS_FH_MAX);
}

static void om_mfs_rd_name(struct om_rd *r, struct om_mfs_str *s)
{
	s->len = om_rd_u8(r);
	s->s = (const char *)om_mfs_rd_var(r, s->len, OM_MFS_NAME_MAX);
}

static void om_mfs_rd_target(struct om_rd *r, struct om_mfs_str *s)
{
	s->len = om_rd_u16(r);
	s->s = (const char *)om_mfs_rd_var(r, s->len, OM_MFS_TARGET_MAX);
}

static void om_mfs_rd_time(struct om_rd *r, struct om_mfs_time *t)
{
	t->sec = (s64)om_rd_u64(r);
	t->nsec = om_rd_u32(r);
}

static void om_mfs_rd_cred(struct om_rd *r, struct om_mfs_cred *c)
{
	u8 i;

	c->uid = om_rd_u32(r);
	c->gid = om_rd_u32(r);
	c->ngroups = om_rd_u8(r);
	if (c->ngroups > OM_MFS_NGROUPS_MAX) {
		r->err = -EBADMSG;
		return;
	}
	for (i = 0; i < c->ngroups; i++)
		c->groups[i] = om_rd_u32(r);
}

static void om_mfs_rd_attr(struct om_rd *r, struct om_mfs_attr *a)
{
	a->ino = om_rd_u64(r);
	a->mode = om_rd_u32(r);
	a->nlink = om_rd_u32(r);
	a->uid = om_rd_u32(r);
	a->gid = om_rd_u32(r);
	a->rdev = om_rd_u32(r);
	a->blksize = om_rd_u32(r);
	a->size = om_rd_u64(r);
	a->blocks = om_rd_u64(r);
	om_mfs_rd_time(r, &a->atime);
	om_mfs_rd_time(r, &a->mtime);
	om_mfs_rd_time(r, &a->ctime);
}

static void om_mfs_rd_dirop(struct om_rd *r, struct om_mfs_dirop *d)
{
	om_mfs_rd_fh(r, &d->dir);
	om_mfs_rd_name(r, &d->name);
}

/* ---- Writer (om_bytes.h): the fields of this protocol ---- */

static void om_mfs_wr_fh(u8 **w, const struct om_mfs_fh *fh)
{
	om_wr_u8(w, (u8)fh->len);
	om_wr_bytes(w, fh->data, fh->len);
}

static void om_mfs_wr_name(u8 **w, const struct om_mfs_str *s)
{
	om_wr_u8(w, (u8)s->len);
	om_wr_bytes(w, s->s, s->len);
}

static void om_mfs_wr_target(u8 **w, const struct om_mfs_str *s)
{
	om_wr_u16(w, (u16)s->len);
	om_wr_bytes(w, s->s, s->len);
}

static void om_mfs_wr_time(u8 **w, const struct om_mfs_time *t)
{
	om_wr_u64(w, (u64)t->sec);
	om_wr_u32(w, t->nsec);
}

static void om_mfs_wr_cred(u8 **w, const struct om_mfs_cred *c)
{
	u8 i;

	om_wr_u32(w, c->uid);
	om_wr_u32(w, c->gid);
	om_wr_u8(w, c->ngroups);
	for (i = 0; i < c->ngroups; i++)
		om_wr_u32(w, c->groups[i]);
}

static void om_mfs_wr_attr(u8 **w, const struct om_mfs_attr *a)
{
	om_wr_u64(w, a->ino);
	om_wr_u32(w, a->mode);
	om_wr_u32(w, a->nlink);
	om_wr_u32(w, a->uid);
	om_wr_u32(w, a->gid);
	om_wr_u32(w, a->rdev);
	om_wr_u32(w, a->blksize);
	om_wr_u64(w, a->size);
	om_wr_u64(w, a->blocks);
	om_mfs_wr_time(w, &a->atime);
	om_mfs_wr_time(w, &a->mtime);
	om_mfs_wr_time(w, &a->ctime);
}

static void om_mfs_wr_dirop(u8 **w, const struct om_mfs_dirop *d)
{
	om_mfs_wr_fh(w, &d->dir);
	om_mfs_wr_name(w, &d->name);
}

/* ---- Validation, shared by decode and encode ---- */

bool om_mfs_is_request(u8 type)
{
	return type >= OM_MFS_REQ_FIRST && type <= OM_MFS_REQ_LAST;
}

static bool om_mfs_is_reply(u8 type)
{
	return type >= OM_MFS_REP_FIRST && type <= OM_MFS_REP_LAST;
}

bool om_mfs_is_notice(u8 type)
{
	return type >= OM_MFS_NOTE_FIRST && type <= OM_MFS_NOTE_LAST;
}

static bool om_mfs_id_ok(u32 id)
{
	return id != OM_MFS_INVALID_ID;
}

static bool om_mfs_time_ok(const struct om_mfs_time *t)
{
	return t->nsec < OM_MFS_NSEC_PER_SEC;
}

static int om_mfs_fh_ok(const struct om_mfs_fh *fh)
{
	return fh->len && fh->len <= OM_MFS_FH_MAX && fh->data ? 0 : -EBADMSG;
}

/* One path component: no '/', no NUL, not "." or ".." */
static int om_mfs_name_ok(const struct om_mfs_str *t)
{
	if (!t->len || t->len > OM_MFS_NAME_MAX || !t->s)
		return -EBADMSG;
	if (memchr(t->s, '/', t->len) || memchr(t->s, 0, t->len))
		return -EPROTO;
	if (t->s[0] == '.' && (t->len == 1 || (t->len == 2 && t->s[1] == '.')))
		return -EPROTO;
	return 0;
}

static int om_mfs_target_ok(const struct om_mfs_str *t)
{
	if (!t->len || t->len > OM_MFS_TARGET_MAX || !t->s)
		return -EBADMSG;
	return memchr(t->s, 0, t->len) ? -EPROTO : 0;
}

/* Groups strictly ascending: a set, so there is one way to send it */
static int om_mfs_cred_ok(const struct om_mfs_cred *c)
{
	u8 i;

	if (c->ngroups > OM_MFS_NGROUPS_MAX)
		return -EBADMSG;
	if (!om_mfs_id_ok(c->uid) || !om_mfs_id_ok(c->gid))
		return -EPROTO;
	for (i = 0; i < c->ngroups; i++)
		if (!om_mfs_id_ok(c->groups[i]) ||
		    (i && c->groups[i] <= c->groups[i - 1]))
			return -EPROTO;
	return 0;
}

static bool om_mfs_fmt_ok(u32 fmt)
{
	switch (fmt) {
	case OM_MFS_S_IFSOCK:
	case OM_MFS_S_IFLNK:
	case OM_MFS_S_IFREG:
	case OM_MFS_S_IFBLK:
	case OM_MFS_S_IFDIR:
	case OM_MFS_S_IFCHR:
	case OM_MFS_S_IFIFO:
		return true;
	}
	return false;
}

u8 om_mfs_mode_to_dt(u32 mode)
{
	u32 fmt = mode & OM_MFS_S_IFMT;

	/* DT_* is the S_IF* type shifted down, for every type */
	return om_mfs_fmt_ok(fmt) ? (u8)(fmt >> 12) : OM_MFS_DT_UNKNOWN;
}

static bool om_mfs_attr_ok(const struct om_mfs_attr *a)
{
	u32 fmt = a->mode & OM_MFS_S_IFMT;

	return a->ino && !(a->mode & ~(OM_MFS_S_IFMT | OM_MFS_S_PERM)) &&
	       om_mfs_fmt_ok(fmt) && om_mfs_id_ok(a->uid) &&
	       om_mfs_id_ok(a->gid) &&
	       (!a->rdev || fmt == OM_MFS_S_IFCHR || fmt == OM_MFS_S_IFBLK) &&
	       a->blksize && a->blksize <= OM_MFS_BLKSIZE_MAX &&
	       a->size <= OM_MFS_OFF_MAX && a->blocks <= OM_MFS_BLOCKS_MAX &&
	       om_mfs_time_ok(&a->atime) && om_mfs_time_ok(&a->mtime) &&
	       om_mfs_time_ok(&a->ctime);
}

/* A field is set with its bit, and 0 without it (one encoding) */
static bool om_mfs_setattr_ok(const struct om_mfs_setattr *s)
{
	u32 v = s->valid;

	if (v & ~OM_MFS_SET_KNOWN)
		return false;
	if (((v & OM_MFS_SET_ATIME) && (v & OM_MFS_SET_ATIME_NOW)) ||
	    ((v & OM_MFS_SET_MTIME) && (v & OM_MFS_SET_MTIME_NOW)))
		return false;
	if ((v & OM_MFS_SET_MODE) ? s->mode & ~OM_MFS_S_PERM : s->mode)
		return false;
	if ((v & OM_MFS_SET_UID) ? !om_mfs_id_ok(s->uid) : s->uid)
		return false;
	if ((v & OM_MFS_SET_GID) ? !om_mfs_id_ok(s->gid) : s->gid)
		return false;
	if ((v & OM_MFS_SET_SIZE) ? s->size > OM_MFS_OFF_MAX : s->size)
		return false;
	if ((v & OM_MFS_SET_ATIME) ? !om_mfs_time_ok(&s->atime) :
	    s->atime.sec || s->atime.nsec)
		return false;
	if ((v & OM_MFS_SET_MTIME) ? !om_mfs_time_ok(&s->mtime) :
	    s->mtime.sec || s->mtime.nsec)
		return false;
	return true;
}

static bool om_mfs_dt_ok(u8 type)
{
	return type == OM_MFS_DT_UNKNOWN || om_mfs_fmt_ok((u32)type << 12);
}

static bool om_mfs_time_zero(const struct om_mfs_time *t)
{
	return !t->sec && !t->nsec;
}

/* Field by field: the struct's padding is whatever the caller left there */
static bool om_mfs_attr_zero(const struct om_mfs_attr *a)
{
	return !a->ino && !a->mode && !a->nlink && !a->uid && !a->gid &&
	       !a->rdev && !a->blksize && !a->size && !a->blocks &&
	       om_mfs_time_zero(&a->atime) && om_mfs_time_zero(&a->mtime) &&
	       om_mfs_time_zero(&a->ctime);
}

/* A READDIRPLUS entry's file: none (all 0), or as an R_ENTRY of its type */
static int om_mfs_dirent_file_ok(const struct om_mfs_dirent *e)
{
	if (e->fh.len > OM_MFS_FH_MAX || (e->fh.len && !e->fh.data))
		return -EBADMSG;
	if (!e->fh.len)
		return !e->promise_ms && om_mfs_attr_zero(&e->attr) ? 0 : -EPROTO;
	return om_mfs_attr_ok(&e->attr) && e->promise_ms <= OM_MFS_PROMISE_MAX_MS &&
	       om_mfs_mode_to_dt(e->attr.mode) == e->type ? 0 : -EPROTO;
}

static int om_mfs_dirent_ok(const struct om_mfs_dirent *e, bool plus)
{
	int err = om_mfs_name_ok(&e->name);

	if (err)
		return err;
	if (!e->ino || !e->cookie || !om_mfs_dt_ok(e->type))
		return -EPROTO;
	if (plus)
		return om_mfs_dirent_file_ok(e);
	return !e->fh.len && !e->promise_ms && om_mfs_attr_zero(&e->attr) ?
	       0 : -EPROTO;
}

/*
 * The length of the entry at off in d's entries, from its length fields,
 * or 0 if it does not fit in what is left (structure only).
 */
static u32 om_mfs_dirent_size(const struct om_mfs_dirents *d, u32 off)
{
	u32 plus = d->plus ? 1 : 0, left, n, fhlen;

	if (!d->ents || off > d->len)
		return 0;
	left = d->len - off;
	if (left < OM_MFS_DIRENT_LEN(0) + plus)
		return 0;
	n = d->ents[off + OM_MFS_DIRENT_LEN(0) - 1];
	if (!n || n > left - OM_MFS_DIRENT_LEN(0) - plus)
		return 0;
	if (!plus)
		return OM_MFS_DIRENT_LEN(n);
	fhlen = d->ents[off + OM_MFS_DIRENT_LEN(n)];
	if (fhlen > OM_MFS_FH_MAX || OM_MFS_DIRENT_PLUS_LEN(n, fhlen) > left)
		return 0;
	return OM_MFS_DIRENT_PLUS_LEN(n, fhlen);
}

/*
 * Structure first (count whole entries filling len exactly, as the
 * decoder promises), then the values of each entry.
 */
static int om_mfs_dirents_ok(const struct om_mfs_dirents *d, bool plus)
{
	struct om_mfs_dirent e;
	u32 off = 0, i, n;
	int err;

	if (d->len > OM_MFS_IO_MAX || (!d->ents && d->len))
		return -EBADMSG;
	if (d->plus != plus)
		return -EPROTO;
	/* every entry takes 19 bytes or more: count ends within len / 19 */
	for (i = 0; i < d->count; i++) {
		n = om_mfs_dirent_size(d, off);
		if (!n)
			return -EBADMSG;
		off += n;
	}
	if (off != d->len)
		return -EBADMSG;
	if (d->eof > 1 || (!d->count && !d->eof))
		return -EPROTO;
	off = 0;
	while (om_mfs_dirent_next(d, &off, &e)) {
		err = om_mfs_dirent_ok(&e, plus);
		if (err)
			return err;
	}
	return 0;
}

static int om_mfs_data_ok(const struct om_mfs_data *d)
{
	if (d->len > OM_MFS_IO_MAX || (!d->data && d->len))
		return -EBADMSG;
	return d->eof > 1 || d->stable > 1 || (!d->len && !d->eof) ?
	       -EPROTO : 0;
}

static int om_mfs_write_ok(const struct om_mfs_write *w)
{
	int err = om_mfs_fh_ok(&w->fh);

	if (err)
		return err;
	if (!w->len || w->len > OM_MFS_IO_MAX || !w->data)
		return -EBADMSG;
	if ((w->flags & ~OM_MFS_WRITE_KNOWN) ||
	    w->flags == OM_MFS_WRITE_KNOWN ||	/* both */
	    w->offset > OM_MFS_OFF_MAX - w->len)
		return -EPROTO;
	return 0;
}

static int om_mfs_fsstat_ok(const struct om_mfs_fsstat *s)
{
	return s->bsize && s->bsize <= OM_MFS_BLKSIZE_MAX && s->namelen &&
	       s->namelen <= OM_MFS_NAME_MAX && s->bfree <= s->blocks &&
	       s->bavail <= s->blocks && s->ffree <= s->files ? 0 : -EPROTO;
}

/* A handle and a name: LOOKUP, UNLINK, RMDIR and the like */
static int om_mfs_dirop_ok(const struct om_mfs_fh *dir,
			   const struct om_mfs_str *name)
{
	int err = om_mfs_fh_ok(dir);

	return err ? err : om_mfs_name_ok(name);
}

/* A handle's error, else -EPROTO unless the values are ok */
static int om_mfs_fh_and(const struct om_mfs_fh *fh, bool ok)
{
	int err = om_mfs_fh_ok(fh);

	return err ? err : ok ? 0 : -EPROTO;
}

static int om_mfs_check_req(const struct om_mfs_msg *m)
{
	const struct om_mfs_readdir *rd = &m->readdir;
	const struct om_mfs_read *rq = &m->read;
	const struct om_mfs_create *c = &m->create;
	const struct om_mfs_rename *rn = &m->rename;
	int err;

	switch (m->type) {
	case OM_MFS_ROOT:
		return 0;
	case OM_MFS_LOOKUP:
		return om_mfs_dirop_ok(&m->lookup.dir, &m->lookup.name);
	case OM_MFS_GETATTR:
		return om_mfs_fh_ok(&m->getattr.fh);
	case OM_MFS_SETATTR:
		return om_mfs_fh_and(&m->setattr.fh,
				     om_mfs_setattr_ok(&m->setattr));
	case OM_MFS_READDIR:
		/* room for the longest entry: a reply always makes progress */
		return om_mfs_fh_and(&m->readdir.dir,
				     rd->max_bytes >= OM_MFS_DIRENT_MAX &&
				     rd->max_bytes <= OM_MFS_IO_MAX);
	case OM_MFS_READ:
		return om_mfs_fh_and(&m->read.fh,
				     rq->len && rq->len <= OM_MFS_IO_MAX &&
				     rq->offset <= OM_MFS_OFF_MAX - rq->len);
	case OM_MFS_WRITE:
		return om_mfs_write_ok(&m->write);
	case OM_MFS_CREATE:
		err = om_mfs_dirop_ok(&c->dir, &c->name);
		if (err)
			return err;
		return !(c->mode & ~OM_MFS_S_PERM) &&
		       !(c->flags & ~OM_MFS_CREATE_KNOWN) ? 0 : -EPROTO;
	case OM_MFS_MKDIR:
		err = om_mfs_dirop_ok(&m->mkdir.dir, &m->mkdir.name);
		if (err)
			return err;
		return m->mkdir.mode & ~OM_MFS_S_PERM ? -EPROTO : 0;
	case OM_MFS_SYMLINK:
		err = om_mfs_dirop_ok(&m->symlink.dir, &m->symlink.name);
		return err ? err : om_mfs_target_ok(&m->symlink.target);
	case OM_MFS_READLINK:
		return om_mfs_fh_ok(&m->readlink.fh);
	case OM_MFS_LINK:
		err = om_mfs_fh_ok(&m->link.fh);
		return err ? err : om_mfs_dirop_ok(&m->link.dir, &m->link.name);
	case OM_MFS_UNLINK:
		return om_mfs_dirop_ok(&m->unlink.dir, &m->unlink.name);
	case OM_MFS_RMDIR:
		return om_mfs_dirop_ok(&m->rmdir.dir, &m->rmdir.name);
	case OM_MFS_RENAME:
		err = om_mfs_dirop_ok(&rn->odir, &rn->oname);
		if (!err)
			err = om_mfs_dirop_ok(&rn->ndir, &rn->nname);
		if (err)
			return err;
		/* NOREPLACE and EXCHANGE exclude each other, as in renameat2 */
		return !(rn->flags & ~OM_MFS_RENAME_KNOWN) &&
		       rn->flags != OM_MFS_RENAME_KNOWN ? 0 : -EPROTO;
	case OM_MFS_FSYNC:
		return om_mfs_fh_and(&m->fsync.fh,
				     !(m->fsync.flags & ~OM_MFS_FSYNC_KNOWN));
	case OM_MFS_STATFS:
		return om_mfs_fh_ok(&m->statfs.fh);
	case OM_MFS_READDIRPLUS:
		return om_mfs_fh_and(&m->readdir.dir,
				     rd->max_bytes >= OM_MFS_DIRENT_PLUS_MAX &&
				     rd->max_bytes <= OM_MFS_IO_MAX);
	}
	return -EPROTO;
}

static int om_mfs_check_rep(const struct om_mfs_msg *m)
{
	switch (m->type) {
	case OM_MFS_R_ERROR:
		return m->error.err < 0 && m->error.err >= -OM_MFS_ERRNO_MAX ?
		       0 : -EPROTO;
	case OM_MFS_R_OK:
		return 0;
	case OM_MFS_R_ENTRY:
		return om_mfs_fh_and(&m->entry.fh,
				     om_mfs_attr_ok(&m->entry.attr) &&
				     m->promise_ms <= OM_MFS_PROMISE_MAX_MS);
	case OM_MFS_R_ATTR:
		return om_mfs_attr_ok(&m->attr) &&
		       m->promise_ms <= OM_MFS_PROMISE_MAX_MS ? 0 : -EPROTO;
	case OM_MFS_R_DIRENTS:
		return om_mfs_dirents_ok(&m->dirents, false);
	case OM_MFS_R_DIRENTS_PLUS:
		return om_mfs_dirents_ok(&m->dirents, true);
	case OM_MFS_R_DATA:
		return om_mfs_data_ok(&m->data);
	case OM_MFS_R_WRITTEN:
		return m->written.count && m->written.count <= OM_MFS_IO_MAX &&
		       om_mfs_attr_ok(&m->written.attr) ? 0 : -EPROTO;
	case OM_MFS_R_TARGET:
		return om_mfs_target_ok(&m->target);
	case OM_MFS_R_STATFS:
		return om_mfs_fsstat_ok(&m->fsstat);
	}
	return -EPROTO;
}

/* 0, -EBADMSG or -EPROTO, as om_mfs_decode documents */
static int om_mfs_check(const struct om_mfs_msg *m)
{
	int err;

	if (om_mfs_is_request(m->type)) {
		err = om_mfs_cred_ok(&m->cred);
		if (err)
			return err;
		return m->req_id ? om_mfs_check_req(m) : -EPROTO;
	}
	if (!m->req_id)
		return -EPROTO;
	if (m->type == OM_MFS_BREAK)
		return m->brk.ino ? 0 : -EPROTO;
	if (m->type == OM_MFS_BREAK_ACK || m->type == OM_MFS_BREAK_ALL)
		return 0;
	if (!om_mfs_is_reply(m->type))
		return -EPROTO;
	return om_mfs_check_rep(m);
}

/* ---- Decode ---- */

static void om_mfs_rd_req(struct om_rd *r, struct om_mfs_msg *m)
{
	switch (m->type) {
	case OM_MFS_ROOT:
		break;
	case OM_MFS_LOOKUP:
		om_mfs_rd_dirop(r, &m->lookup);
		break;
	case OM_MFS_GETATTR:
		om_mfs_rd_fh(r, &m->getattr.fh);
		break;
	case OM_MFS_SETATTR:
		om_mfs_rd_fh(r, &m->setattr.fh);
		m->setattr.valid = om_rd_u32(r);
		m->setattr.mode = om_rd_u32(r);
		m->setattr.uid = om_rd_u32(r);
		m->setattr.gid = om_rd_u32(r);
		m->setattr.size = om_rd_u64(r);
		om_mfs_rd_time(r, &m->setattr.atime);
		om_mfs_rd_time(r, &m->setattr.mtime);
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		om_mfs_rd_fh(r, &m->readdir.dir);
		m->readdir.cookie = om_rd_u64(r);
		m->readdir.max_bytes = om_rd_u32(r);
		break;
	case OM_MFS_READ:
		om_mfs_rd_fh(r, &m->read.fh);
		m->read.offset = om_rd_u64(r);
		m->read.len = om_rd_u32(r);
		break;
	case OM_MFS_WRITE:
		om_mfs_rd_fh(r, &m->write.fh);
		m->write.offset = om_rd_u64(r);
		m->write.flags = om_rd_u8(r);
		m->write.len = om_rd_u32(r);
		m->write.data = om_mfs_rd_var(r, m->write.len, OM_MFS_IO_MAX);
		break;
	case OM_MFS_CREATE:
		om_mfs_rd_fh(r, &m->create.dir);
		om_mfs_rd_name(r, &m->create.name);
		m->create.mode = om_rd_u32(r);
		m->create.flags = om_rd_u8(r);
		break;
	case OM_MFS_MKDIR:
		om_mfs_rd_fh(r, &m->mkdir.dir);
		om_mfs_rd_name(r, &m->mkdir.name);
		m->mkdir.mode = om_rd_u32(r);
		break;
	case OM_MFS_SYMLINK:
		om_mfs_rd_fh(r, &m->symlink.dir);
		om_mfs_rd_name(r, &m->symlink.name);
		om_mfs_rd_target(r, &m->symlink.target);
		break;
	case OM_MFS_READLINK:
		om_mfs_rd_fh(r, &m->readlink.fh);
		break;
	case OM_MFS_LINK:
		om_mfs_rd_fh(r, &m->link.fh);
		om_mfs_rd_fh(r, &m->link.dir);
		om_mfs_rd_name(r, &m->link.name);
		break;
	case OM_MFS_UNLINK:
		om_mfs_rd_dirop(r, &m->unlink);
		break;
	case OM_MFS_RMDIR:
		om_mfs_rd_dirop(r, &m->rmdir);
		break;
	case OM_MFS_RENAME:
		om_mfs_rd_fh(r, &m->rename.odir);
		om_mfs_rd_name(r, &m->rename.oname);
		om_mfs_rd_fh(r, &m->rename.ndir);
		om_mfs_rd_name(r, &m->rename.nname);
		m->rename.flags = om_rd_u32(r);
		break;
	case OM_MFS_FSYNC:
		om_mfs_rd_fh(r, &m->fsync.fh);
		m->fsync.flags = om_rd_u8(r);
		break;
	case OM_MFS_STATFS:
		om_mfs_rd_fh(r, &m->statfs.fh);
		break;
	}
}

static void om_mfs_rd_rep(struct om_rd *r, struct om_mfs_msg *m)
{
	u8 f;

	switch (m->type) {
	case OM_MFS_R_ERROR:
		m->error.err = (s32)om_rd_u32(r);
		break;
	case OM_MFS_R_OK:
		break;
	case OM_MFS_R_ENTRY:
		om_mfs_rd_fh(r, &m->entry.fh);
		om_mfs_rd_attr(r, &m->entry.attr);
		m->promise_ms = om_rd_u32(r);
		break;
	case OM_MFS_R_ATTR:
		om_mfs_rd_attr(r, &m->attr);
		m->promise_ms = om_rd_u32(r);
		break;
	case OM_MFS_BREAK:
		m->brk.ino = om_rd_u64(r);
		break;
	case OM_MFS_BREAK_ACK:
	case OM_MFS_BREAK_ALL:
		break;
	case OM_MFS_R_DIRENTS:
	case OM_MFS_R_DIRENTS_PLUS:
		m->dirents.plus = m->type == OM_MFS_R_DIRENTS_PLUS;
		m->dirents.eof = om_rd_u8(r);
		m->dirents.count = om_rd_u32(r);
		/* the entries are the rest; om_mfs_dirents_ok() walks them */
		if (!r->err) {
			m->dirents.len = r->len - r->off;
			m->dirents.ents = om_rd(r, m->dirents.len);
		}
		break;
	case OM_MFS_R_DATA:
		/* the bits over STABLE's make stable out of range (-EPROTO) */
		f = om_rd_u8(r);
		m->data.eof = f & OM_MFS_DATA_EOF;
		m->data.stable = f >> 1;
		m->data.len = om_rd_u32(r);
		if (m->data.len > OM_MFS_IO_MAX)
			r->err = -EBADMSG;
		m->data.data = om_rd(r, m->data.len);
		break;
	case OM_MFS_R_WRITTEN:
		m->written.count = om_rd_u32(r);
		om_mfs_rd_attr(r, &m->written.attr);
		break;
	case OM_MFS_R_TARGET:
		om_mfs_rd_target(r, &m->target);
		break;
	case OM_MFS_R_STATFS:
		m->fsstat.bsize = om_rd_u32(r);
		m->fsstat.namelen = om_rd_u32(r);
		m->fsstat.blocks = om_rd_u64(r);
		m->fsstat.bfree = om_rd_u64(r);
		m->fsstat.bavail = om_rd_u64(r);
		m->fsstat.files = om_rd_u64(r);
		m->fsstat.ffree = om_rd_u64(r);
		break;
	}
}

int om_mfs_decode(u8 type, const u8 *p, u32 len, struct om_mfs_msg *m)
{
	struct om_rd r = { .p = p, .len = len };
	int err;

	if (!m || (!p && len))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	if (len > OM_WIRE_MAX_PAYLOAD)
		return -EBADMSG;
	if (!om_mfs_is_request(type) && !om_mfs_is_reply(type) &&
	    !om_mfs_is_notice(type))
		return -EPROTO;
	m->type = type;
	m->req_id = om_rd_u64(&r);
	if (om_mfs_is_request(type)) {
		om_mfs_rd_cred(&r, &m->cred);
		om_mfs_rd_req(&r, m);
	} else {
		om_mfs_rd_rep(&r, m);
	}
	err = r.err;
	if (!err && r.off != r.len)
		err = -EBADMSG;		/* trailing bytes */
	if (!err)
		err = om_mfs_check(m);
	if (err)
		memset(m, 0, sizeof(*m));
	return err;
}

/* ---- Encode ---- */

static u32 om_mfs_dirop_size(const struct om_mfs_dirop *d)
{
	return 1 + d->dir.len + 1 + d->name.len;
}

/* Payload length of a request that passed om_mfs_check(), header too */
static u32 om_mfs_req_size(const struct om_mfs_msg *m)
{
	u32 n = OM_MFS_REQ_HDR_LEN((u32)m->cred.ngroups);

	switch (m->type) {
	case OM_MFS_LOOKUP:
		return n + om_mfs_dirop_size(&m->lookup);
	case OM_MFS_GETATTR:
		return n + 1 + m->getattr.fh.len;
	case OM_MFS_SETATTR:
		return n + 1 + m->setattr.fh.len + 4 * 4 + 8 + 2 * 12;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		return n + 1 + m->readdir.dir.len + 8 + 4;
	case OM_MFS_READ:
		return n + 1 + m->read.fh.len + 8 + 4;
	case OM_MFS_WRITE:
		return n + 1 + m->write.fh.len + 8 + 1 + 4 + m->write.len;
	case OM_MFS_CREATE:
		return n + 1 + m->create.dir.len + 1 + m->create.name.len +
		       4 + 1;
	case OM_MFS_MKDIR:
		return n + 1 + m->mkdir.dir.len + 1 + m->mkdir.name.len + 4;
	case OM_MFS_SYMLINK:
		return n + 1 + m->symlink.dir.len + 1 + m->symlink.name.len +
		       2 + m->symlink.target.len;
	case OM_MFS_READLINK:
		return n + 1 + m->readlink.fh.len;
	case OM_MFS_LINK:
		return n + 1 + m->link.fh.len + 1 + m->link.dir.len + 1 +
		       m->link.name.len;
	case OM_MFS_UNLINK:
		return n + om_mfs_dirop_size(&m->unlink);
	case OM_MFS_RMDIR:
		return n + om_mfs_dirop_size(&m->rmdir);
	case OM_MFS_RENAME:
		return n + 1 + m->rename.odir.len + 1 + m->rename.oname.len +
		       1 + m->rename.ndir.len + 1 + m->rename.nname.len + 4;
	case OM_MFS_FSYNC:
		return n + 1 + m->fsync.fh.len + 1;
	case OM_MFS_STATFS:
		return n + 1 + m->statfs.fh.len;
	}
	return n;	/* ROOT */
}

/* Payload length of a reply that passed om_mfs_check() */
static u32 om_mfs_rep_size(const struct om_mfs_msg *m)
{
	switch (m->type) {
	case OM_MFS_R_ERROR:
		return 8 + 4;
	case OM_MFS_R_ENTRY:
		return 8 + 1 + m->entry.fh.len + OM_MFS_ATTR_LEN + 4;
	case OM_MFS_R_ATTR:
		return 8 + OM_MFS_ATTR_LEN + 4;
	case OM_MFS_BREAK:
		return 8 + 8;
	case OM_MFS_R_DIRENTS:
	case OM_MFS_R_DIRENTS_PLUS:
		return OM_MFS_DIRENTS_HDR_LEN + m->dirents.len;
	case OM_MFS_R_DATA:
		return OM_MFS_DATA_HDR_LEN + m->data.len;
	case OM_MFS_R_WRITTEN:
		return 8 + 4 + OM_MFS_ATTR_LEN;
	case OM_MFS_R_TARGET:
		return 8 + 2 + m->target.len;
	case OM_MFS_R_STATFS:
		return 8 + 2 * 4 + 5 * 8;
	}
	return 8;	/* R_OK, BREAK_ACK, BREAK_ALL */
}

static void om_mfs_wr_req(u8 **w, const struct om_mfs_msg *m)
{
	om_mfs_wr_cred(w, &m->cred);
	switch (m->type) {
	case OM_MFS_ROOT:
		break;
	case OM_MFS_LOOKUP:
		om_mfs_wr_dirop(w, &m->lookup);
		break;
	case OM_MFS_GETATTR:
		om_mfs_wr_fh(w, &m->getattr.fh);
		break;
	case OM_MFS_SETATTR:
		om_mfs_wr_fh(w, &m->setattr.fh);
		om_wr_u32(w, m->setattr.valid);
		om_wr_u32(w, m->setattr.mode);
		om_wr_u32(w, m->setattr.uid);
		om_wr_u32(w, m->setattr.gid);
		om_wr_u64(w, m->setattr.size);
		om_mfs_wr_time(w, &m->setattr.atime);
		om_mfs_wr_time(w, &m->setattr.mtime);
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		om_mfs_wr_fh(w, &m->readdir.dir);
		om_wr_u64(w, m->readdir.cookie);
		om_wr_u32(w, m->readdir.max_bytes);
		break;
	case OM_MFS_READ:
		om_mfs_wr_fh(w, &m->read.fh);
		om_wr_u64(w, m->read.offset);
		om_wr_u32(w, m->read.len);
		break;
	case OM_MFS_WRITE:
		om_mfs_wr_fh(w, &m->write.fh);
		om_wr_u64(w, m->write.offset);
		om_wr_u8(w, m->write.flags);
		om_wr_u32(w, m->write.len);
		om_wr_bytes(w, m->write.data, m->write.len);
		break;
	case OM_MFS_CREATE:
		om_mfs_wr_fh(w, &m->create.dir);
		om_mfs_wr_name(w, &m->create.name);
		om_wr_u32(w, m->create.mode);
		om_wr_u8(w, m->create.flags);
		break;
	case OM_MFS_MKDIR:
		om_mfs_wr_fh(w, &m->mkdir.dir);
		om_mfs_wr_name(w, &m->mkdir.name);
		om_wr_u32(w, m->mkdir.mode);
		break;
	case OM_MFS_SYMLINK:
		om_mfs_wr_fh(w, &m->symlink.dir);
		om_mfs_wr_name(w, &m->symlink.name);
		om_mfs_wr_target(w, &m->symlink.target);
		break;
	case OM_MFS_READLINK:
		om_mfs_wr_fh(w, &m->readlink.fh);
		break;
	case OM_MFS_LINK:
		om_mfs_wr_fh(w, &m->link.fh);
		om_mfs_wr_fh(w, &m->link.dir);
		om_mfs_wr_name(w, &m->link.name);
		break;
	case OM_MFS_UNLINK:
		om_mfs_wr_dirop(w, &m->unlink);
		break;
	case OM_MFS_RMDIR:
		om_mfs_wr_dirop(w, &m->rmdir);
		break;
	case OM_MFS_RENAME:
		om_mfs_wr_fh(w, &m->rename.odir);
		om_mfs_wr_name(w, &m->rename.oname);
		om_mfs_wr_fh(w, &m->rename.ndir);
		om_mfs_wr_name(w, &m->rename.nname);
		om_wr_u32(w, m->rename.flags);
		break;
	case OM_MFS_FSYNC:
		om_mfs_wr_fh(w, &m->fsync.fh);
		om_wr_u8(w, m->fsync.flags);
		break;
	case OM_MFS_STATFS:
		om_mfs_wr_fh(w, &m->statfs.fh);
		break;
	}
}

static void om_mfs_wr_rep(u8 **w, const struct om_mfs_msg *m)
{
	switch (m->type) {
	case OM_MFS_R_ERROR:
		om_wr_u32(w, (u32)m->error.err);
		break;
	case OM_MFS_R_OK:
		break;
	case OM_MFS_R_ENTRY:
		om_mfs_wr_fh(w, &m->entry.fh);
		om_mfs_wr_attr(w, &m->entry.attr);
		om_wr_u32(w, m->promise_ms);
		break;
	case OM_MFS_R_ATTR:
		om_mfs_wr_attr(w, &m->attr);
		om_wr_u32(w, m->promise_ms);
		break;
	case OM_MFS_BREAK:
		om_wr_u64(w, m->brk.ino);
		break;
	case OM_MFS_BREAK_ACK:
	case OM_MFS_BREAK_ALL:
		break;
	case OM_MFS_R_DIRENTS:
	case OM_MFS_R_DIRENTS_PLUS:
		om_wr_u8(w, m->dirents.eof);
		om_wr_u32(w, m->dirents.count);
		om_wr_bytes(w, m->dirents.ents, m->dirents.len);
		break;
	case OM_MFS_R_DATA:
		om_wr_u8(w, (u8)(m->data.eof | m->data.stable << 1));
		om_wr_u32(w, m->data.len);
		om_wr_bytes(w, m->data.data, m->data.len);
		break;
	case OM_MFS_R_WRITTEN:
		om_wr_u32(w, m->written.count);
		om_mfs_wr_attr(w, &m->written.attr);
		break;
	case OM_MFS_R_TARGET:
		om_mfs_wr_target(w, &m->target);
		break;
	case OM_MFS_R_STATFS:
		om_wr_u32(w, m->fsstat.bsize);
		om_wr_u32(w, m->fsstat.namelen);
		om_wr_u64(w, m->fsstat.blocks);
		om_wr_u64(w, m->fsstat.bfree);
		om_wr_u64(w, m->fsstat.bavail);
		om_wr_u64(w, m->fsstat.files);
		om_wr_u64(w, m->fsstat.ffree);
		break;
	}
}

int om_mfs_encode(const struct om_mfs_msg *m, u8 *out, u32 cap)
{
	bool req;
	u8 *w = out;
	u32 size;

	if (!m || om_mfs_check(m))
		return -EINVAL;
	req = om_mfs_is_request(m->type);
	/* every size is bounded by the checks: at most about 530 KiB */
	size = req ? om_mfs_req_size(m) : om_mfs_rep_size(m);
	if (size > OM_WIRE_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!out)
		return cap ? -EINVAL : (int)size;
	if (size > cap)
		return -EMSGSIZE;
	om_wr_u64(&w, m->req_id);
	if (req)
		om_mfs_wr_req(&w, m);
	else
		om_mfs_wr_rep(&w, m);
	return (int)size;
}

/* ---- Helpers ---- */

/* The reply type for each request type, from OM_MFS_REQ_FIRST */
static const u8 om_mfs_reply_for[] = {
	[OM_MFS_ROOT - OM_MFS_REQ_FIRST] = OM_MFS_R_ENTRY,
	[OM_MFS_LOOKUP - OM_MFS_REQ_FIRST] = OM_MFS_R_ENTRY,
	[OM_MFS_GETATTR - OM_MFS_REQ_FIRST] = OM_MFS_R_ATTR,
	[OM_MFS_SETATTR - OM_MFS_REQ_FIRST] = OM_MFS_R_ATTR,
	[OM_MFS_READDIR - OM_MFS_REQ_FIRST] = OM_MFS_R_DIRENTS,
	[OM_MFS_READ - OM_MFS_REQ_FIRST] = OM_MFS_R_DATA,
	[OM_MFS_WRITE - OM_MFS_REQ_FIRST] = OM_MFS_R_WRITTEN,
	[OM_MFS_CREATE - OM_MFS_REQ_FIRST] = OM_MFS_R_ENTRY,
	[OM_MFS_MKDIR - OM_MFS_REQ_FIRST] = OM_MFS_R_ENTRY,
	[OM_MFS_SYMLINK - OM_MFS_REQ_FIRST] = OM_MFS_R_ENTRY,
	[OM_MFS_READLINK - OM_MFS_REQ_FIRST] = OM_MFS_R_TARGET,
	[OM_MFS_LINK - OM_MFS_REQ_FIRST] = OM_MFS_R_ENTRY,
	[OM_MFS_UNLINK - OM_MFS_REQ_FIRST] = OM_MFS_R_OK,
	[OM_MFS_RMDIR - OM_MFS_REQ_FIRST] = OM_MFS_R_OK,
	[OM_MFS_RENAME - OM_MFS_REQ_FIRST] = OM_MFS_R_OK,
	[OM_MFS_FSYNC - OM_MFS_REQ_FIRST] = OM_MFS_R_OK,
	[OM_MFS_STATFS - OM_MFS_REQ_FIRST] = OM_MFS_R_STATFS,
	[OM_MFS_READDIRPLUS - OM_MFS_REQ_FIRST] = OM_MFS_R_DIRENTS_PLUS,
};

/* The file type an R_ENTRY names */
static u32 om_mfs_entry_fmt(const struct om_mfs_msg *rep)
{
	return rep->entry.attr.mode & OM_MFS_S_IFMT;
}

int om_mfs_reply_match(const struct om_mfs_msg *req,
		       const struct om_mfs_msg *rep)
{
	bool ok = true;

	if (!om_mfs_is_request(req->type) || rep->req_id != req->req_id)
		return -EPROTO;
	if (rep->type == OM_MFS_R_ERROR)
		return 0;
	if (rep->type != om_mfs_reply_for[req->type - OM_MFS_REQ_FIRST])
		return -EPROTO;
	switch (req->type) {
	case OM_MFS_ROOT:
	case OM_MFS_MKDIR:
		ok = om_mfs_entry_fmt(rep) == OM_MFS_S_IFDIR;
		break;
	case OM_MFS_CREATE:
		ok = om_mfs_entry_fmt(rep) == OM_MFS_S_IFREG;
		break;
	case OM_MFS_SYMLINK:
		ok = om_mfs_entry_fmt(rep) == OM_MFS_S_IFLNK;
		break;
	case OM_MFS_LINK:
		ok = om_mfs_entry_fmt(rep) != OM_MFS_S_IFDIR;
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		ok = rep->dirents.len <= req->readdir.max_bytes;
		break;
	case OM_MFS_READ:
		ok = rep->data.len <= req->read.len;
		break;
	case OM_MFS_WRITE:
		ok = rep->written.count <= req->write.len;
		break;
	}
	return ok ? 0 : -EPROTO;
}

int om_mfs_dirent_put(const struct om_mfs_dirent *e, bool plus, u8 *out,
		      u32 cap)
{
	u8 *w = out;
	u32 n;

	if (!e || om_mfs_dirent_ok(e, plus))
		return -EINVAL;
	n = plus ? OM_MFS_DIRENT_PLUS_LEN(e->name.len, e->fh.len) :
		   OM_MFS_DIRENT_LEN(e->name.len);
	if (!out || n > cap)
		return -EMSGSIZE;
	om_wr_u64(&w, e->ino);
	om_wr_u64(&w, e->cookie);
	om_wr_u8(&w, e->type);
	om_mfs_wr_name(&w, &e->name);
	if (plus) {
		om_wr_u8(&w, (u8)e->fh.len);
		if (e->fh.len) {
			om_wr_bytes(&w, e->fh.data, e->fh.len);
			om_mfs_wr_attr(&w, &e->attr);
			om_wr_u32(&w, e->promise_ms);
		}
	}
	return (int)n;
}

bool om_mfs_dirent_next(const struct om_mfs_dirents *d, u32 *off,
			struct om_mfs_dirent *e)
{
	u32 size = om_mfs_dirent_size(d, *off);
	struct om_rd r;

	if (!size)
		return false;
	r = (struct om_rd){ .p = d->ents + *off, .len = size };
	memset(e, 0, sizeof(*e));
	e->ino = om_rd_u64(&r);
	e->cookie = om_rd_u64(&r);
	e->type = om_rd_u8(&r);
	om_mfs_rd_name(&r, &e->name);
	if (d->plus) {
		e->fh.len = om_rd_u8(&r);
		if (e->fh.len) {
			e->fh.data = om_rd(&r, e->fh.len);
			om_mfs_rd_attr(&r, &e->attr);
			e->promise_ms = om_rd_u32(&r);
		}
	}
	/* om_mfs_dirent_size() measured it: the reads cannot fail */
	if (r.err || r.off != r.len)
		return false;
	*off += size;
	return true;
}

bool om_mfs_dirents_advance(const struct om_mfs_dirents *d, u64 asked)
{
	struct om_mfs_dirent e;
	u64 last = asked;
	u32 off = 0;

	while (om_mfs_dirent_next(d, &off, &e))
		last = e.cookie;
	return d->eof || last != asked;
}

static const char *const om_mfs_req_names[] = {
	[OM_MFS_ROOT - OM_MFS_REQ_FIRST] = "ROOT",
	[OM_MFS_LOOKUP - OM_MFS_REQ_FIRST] = "LOOKUP",
	[OM_MFS_GETATTR - OM_MFS_REQ_FIRST] = "GETATTR",
	[OM_MFS_SETATTR - OM_MFS_REQ_FIRST] = "SETATTR",
	[OM_MFS_READDIR - OM_MFS_REQ_FIRST] = "READDIR",
	[OM_MFS_READ - OM_MFS_REQ_FIRST] = "READ",
	[OM_MFS_WRITE - OM_MFS_REQ_FIRST] = "WRITE",
	[OM_MFS_CREATE - OM_MFS_REQ_FIRST] = "CREATE",
	[OM_MFS_MKDIR - OM_MFS_REQ_FIRST] = "MKDIR",
	[OM_MFS_SYMLINK - OM_MFS_REQ_FIRST] = "SYMLINK",
	[OM_MFS_READLINK - OM_MFS_REQ_FIRST] = "READLINK",
	[OM_MFS_LINK - OM_MFS_REQ_FIRST] = "LINK",
	[OM_MFS_UNLINK - OM_MFS_REQ_FIRST] = "UNLINK",
	[OM_MFS_RMDIR - OM_MFS_REQ_FIRST] = "RMDIR",
	[OM_MFS_RENAME - OM_MFS_REQ_FIRST] = "RENAME",
	[OM_MFS_FSYNC - OM_MFS_REQ_FIRST] = "FSYNC",
	[OM_MFS_STATFS - OM_MFS_REQ_FIRST] = "STATFS",
	[OM_MFS_READDIRPLUS - OM_MFS_REQ_FIRST] = "READDIRPLUS",
};

static const char *const om_mfs_rep_names[] = {
	[OM_MFS_R_ERROR - OM_MFS_REP_FIRST] = "R_ERROR",
	[OM_MFS_R_OK - OM_MFS_REP_FIRST] = "R_OK",
	[OM_MFS_R_ENTRY - OM_MFS_REP_FIRST] = "R_ENTRY",
	[OM_MFS_R_ATTR - OM_MFS_REP_FIRST] = "R_ATTR",
	[OM_MFS_R_DIRENTS - OM_MFS_REP_FIRST] = "R_DIRENTS",
	[OM_MFS_R_DATA - OM_MFS_REP_FIRST] = "R_DATA",
	[OM_MFS_R_WRITTEN - OM_MFS_REP_FIRST] = "R_WRITTEN",
	[OM_MFS_R_TARGET - OM_MFS_REP_FIRST] = "R_TARGET",
	[OM_MFS_R_STATFS - OM_MFS_REP_FIRST] = "R_STATFS",
	[OM_MFS_R_DIRENTS_PLUS - OM_MFS_REP_FIRST] = "R_DIRENTS_PLUS",
};

static const char *const om_mfs_note_names[] = {
	[OM_MFS_BREAK - OM_MFS_NOTE_FIRST] = "BREAK",
	[OM_MFS_BREAK_ACK - OM_MFS_NOTE_FIRST] = "BREAK_ACK",
	[OM_MFS_BREAK_ALL - OM_MFS_NOTE_FIRST] = "BREAK_ALL",
};

const char *om_mfs_type_name(u8 type)
{
	if (om_mfs_is_request(type))
		return om_mfs_req_names[type - OM_MFS_REQ_FIRST];
	if (om_mfs_is_reply(type))
		return om_mfs_rep_names[type - OM_MFS_REP_FIRST];
	if (om_mfs_is_notice(type))
		return om_mfs_note_names[type - OM_MFS_NOTE_FIRST];
	return "?";
}
