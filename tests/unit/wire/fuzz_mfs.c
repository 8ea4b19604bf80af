// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: the input as the payload of every MFS frame type
 * (and the types around them).  A decode must fail with -EBADMSG or
 * -EPROTO, or succeed with every handle, name and data pointer inside the
 * input, the credentials and READDIR and READDIRPLUS entries as the
 * decoder promises, and then the message must re-encode to exactly the
 * input (one encoding per message) and need exactly its size.  Each
 * decoded entry re-encodes alone to its own bytes, and a reply is matched
 * against the last request decoded (any answer but a crash is fine there).
 */
#include "om_mfs_wire.h"
#include "fuzz_inside.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void fh_in(const struct om_mfs_fh *fh)
{
	if (!fh->len || fh->len > OM_MFS_FH_MAX)
		__builtin_trap();
	inside(fh->data, fh->len);
}

/* A name as the decoder promises: 1..255, no '/' or NUL, not . or .. */
static void name_in(const struct om_mfs_str *s)
{
	if (!s->len || s->len > OM_MFS_NAME_MAX)
		__builtin_trap();
	inside(s->s, s->len);
	if (memchr(s->s, '/', s->len) || memchr(s->s, 0, s->len) ||
	    (s->len <= 2 && s->s[0] == '.' && s->s[s->len - 1] == '.'))
		__builtin_trap();
}

static void target_in(const struct om_mfs_str *s)
{
	if (!s->len || s->len > OM_MFS_TARGET_MAX)
		__builtin_trap();
	inside(s->s, s->len);
	if (memchr(s->s, 0, s->len))
		__builtin_trap();
}

static bool attr_zero(const struct om_mfs_attr *a)
{
	static const struct om_mfs_attr zero;

	return !memcmp(a, &zero, sizeof(zero));
}

/*
 * An entry's file, as the decoder promises: none in R_DIRENTS; in
 * R_DIRENTS_PLUS none (all 0) or a handle of 1..64 bytes inside the
 * input, attributes of the entry's type, a bounded promise
 */
static void dirent_file_in(const struct om_mfs_dirent *e, bool plus)
{
	if (!e->fh.len) {
		if (e->fh.data || e->promise_ms || !attr_zero(&e->attr))
			__builtin_trap();
		return;
	}
	if (!plus)
		__builtin_trap();
	fh_in(&e->fh);
	if (!e->attr.ino || e->type == OM_MFS_DT_UNKNOWN ||
	    om_mfs_mode_to_dt(e->attr.mode) != e->type ||
	    e->promise_ms > OM_MFS_PROMISE_MAX_MS)
		__builtin_trap();
}

/* Walk the entries: count of them, filling len, each re-encoding alone */
static void dirents_in(const struct om_mfs_dirents *d, bool plus)
{
	static u8 one[OM_MFS_DIRENT_PLUS_MAX];
	struct om_mfs_dirent e;
	u32 off = 0, prev = 0, n = 0, size;
	int other;

	inside(d->ents, d->len);
	if (d->plus != plus || d->len > OM_MFS_IO_MAX || d->eof > 1 ||
	    (!d->count && !d->eof))
		__builtin_trap();
	while (om_mfs_dirent_next(d, &off, &e)) {
		name_in(&e.name);
		dirent_file_in(&e, plus);
		size = plus ? OM_MFS_DIRENT_PLUS_LEN(e.name.len, e.fh.len) :
			      OM_MFS_DIRENT_LEN(e.name.len);
		if (!e.ino || !e.cookie || off - prev != size ||
		    om_mfs_dirent_put(&e, d->plus, one, sizeof(one)) != (int)size ||
		    memcmp(one, d->ents + prev, size))
			__builtin_trap();
		/*
		 * the other kind: an entry with a file is no READDIR entry;
		 * one without is, a byte shorter than as READDIRPLUS's
		 */
		other = om_mfs_dirent_put(&e, !plus, one, sizeof(one));
		if (e.fh.len ? other != -EINVAL :
		    other != (int)(plus ? size - 1 : size + 1))
			__builtin_trap();
		prev = off;
		n++;
	}
	if (n != d->count || off != d->len)
		__builtin_trap();
}

static void check_cred(const struct om_mfs_cred *c)
{
	u8 i;

	if (c->ngroups > OM_MFS_NGROUPS_MAX || c->uid == OM_MFS_INVALID_ID ||
	    c->gid == OM_MFS_INVALID_ID)
		__builtin_trap();
	for (i = 1; i < c->ngroups; i++)
		if (c->groups[i] <= c->groups[i - 1])
			__builtin_trap();
}

static void check_pointers(const struct om_mfs_msg *m)
{
	switch (m->type) {
	case OM_MFS_LOOKUP:
	case OM_MFS_UNLINK:
	case OM_MFS_RMDIR:
		fh_in(&m->lookup.dir);
		name_in(&m->lookup.name);
		break;
	case OM_MFS_GETATTR:
	case OM_MFS_READLINK:
	case OM_MFS_STATFS:
		fh_in(&m->getattr.fh);
		break;
	case OM_MFS_SETATTR:
		fh_in(&m->setattr.fh);
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		fh_in(&m->readdir.dir);
		if (m->readdir.max_bytes > OM_MFS_IO_MAX ||
		    m->readdir.max_bytes < (m->type == OM_MFS_READDIR ?
					    OM_MFS_DIRENT_MAX :
					    OM_MFS_DIRENT_PLUS_MAX))
			__builtin_trap();
		break;
	case OM_MFS_READ:
		fh_in(&m->read.fh);
		break;
	case OM_MFS_WRITE:
		fh_in(&m->write.fh);
		if (!m->write.len || m->write.len > OM_MFS_IO_MAX)
			__builtin_trap();
		inside(m->write.data, m->write.len);
		break;
	case OM_MFS_CREATE:
		fh_in(&m->create.dir);
		name_in(&m->create.name);
		break;
	case OM_MFS_MKDIR:
		fh_in(&m->mkdir.dir);
		name_in(&m->mkdir.name);
		break;
	case OM_MFS_SYMLINK:
		fh_in(&m->symlink.dir);
		name_in(&m->symlink.name);
		target_in(&m->symlink.target);
		break;
	case OM_MFS_LINK:
		fh_in(&m->link.fh);
		fh_in(&m->link.dir);
		name_in(&m->link.name);
		break;
	case OM_MFS_RENAME:
		fh_in(&m->rename.odir);
		name_in(&m->rename.oname);
		fh_in(&m->rename.ndir);
		name_in(&m->rename.nname);
		break;
	case OM_MFS_FSYNC:
		fh_in(&m->fsync.fh);
		break;
	case OM_MFS_R_ENTRY:
		fh_in(&m->entry.fh);
		break;
	case OM_MFS_R_DIRENTS:
	case OM_MFS_R_DIRENTS_PLUS:
		dirents_in(&m->dirents, m->type == OM_MFS_R_DIRENTS_PLUS);
		break;
	case OM_MFS_R_DATA:
		if (m->data.len > OM_MFS_IO_MAX || m->data.eof > 1 || m->data.stable > 1)
			__builtin_trap();
		inside(m->data.data, m->data.len);
		break;
	case OM_MFS_R_TARGET:
		target_in(&m->target);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 out[OM_WIRE_MAX_PAYLOAD];
	static struct om_mfs_msg req;	/* the last request decoded */
	struct om_mfs_msg m;
	int t, n, err;

	if (size > OM_WIRE_MAX_PAYLOAD)
		return 0;
	fz_lo = data;
	fz_hi = data + size;
	memset(&req, 0, sizeof(req));
	for (t = OM_WIRE_T_MFS_FIRST - 1; t <= OM_WIRE_T_MFS_LAST + 1; t++) {
		err = om_mfs_decode((u8)t, data, (u32)size, &m);
		if (err) {
			if (err != -EBADMSG && err != -EPROTO)
				__builtin_trap();
			continue;
		}
		if (m.type != t || !m.req_id || !strcmp(om_mfs_type_name(m.type), "?"))
			__builtin_trap();
		if (om_mfs_is_request(m.type))
			check_cred(&m.cred);
		else if (m.cred.uid || m.cred.gid || m.cred.ngroups)
			__builtin_trap();
		check_pointers(&m);
		/* a promise only in R_ENTRY and R_ATTR, and bounded */
		if (m.promise_ms > OM_MFS_PROMISE_MAX_MS ||
		    (m.promise_ms && m.type != OM_MFS_R_ENTRY && m.type != OM_MFS_R_ATTR) ||
		    (m.type == OM_MFS_BREAK && !m.brk.ino))
			__builtin_trap();
		if (om_mfs_encode(&m, NULL, 0) != (int)size)
			__builtin_trap();
		n = om_mfs_encode(&m, out, (u32)size);
		if (n != (int)size || memcmp(out, data, size))
			__builtin_trap();
		if (om_mfs_encode(&m, out, (u32)size - 1) != -EMSGSIZE)
			__builtin_trap();
		if (om_mfs_is_request(m.type)) {
			req = m;
		} else if (req.type) {
			err = om_mfs_reply_match(&req, &m);
			if (err && err != -EPROTO)
				__builtin_trap();
		}
	}
	return 0;
}
