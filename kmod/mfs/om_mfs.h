/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS, internal interfaces (Documentation/mfs.md).
 *
 *   om_mfs_main.c    the component: brings the parts up, fs type last
 *   om_mfs_server.c  runs other nodes' requests against this node's tree
 *   om_mfs_export.c  the export list: which trees the server serves
 *   om_mfs_rpc.c     the client's calls: request ids, waits, node loss
 *   om_mfs_super.c   the superblock, /mfs itself, here and home
 *   om_mfs_inode.c   remote inodes and dentries, directory operations
 *   om_mfs_file.c    reading, writing, mmap, fsync
 *   om_mfs_dfsa.c    DFSA's I/O by node and handle (om_mfs_dfsa.h)
 *   om_mfs_watch.c   the server's promises: fsnotify marks, BREAK
 *   om_mfs_promise.c the client's promises: when attributes may be used
 *
 * Lower parts call nobody above them: the server knows nothing of the
 * client; the rpc layer nothing of inodes.  A request to this node
 * itself goes through the same server, without the transport.
 */
#ifndef _OM_MFS_H
#define _OM_MFS_H

#include <linux/fs.h>
#include <linux/types.h>

#include "common/om_mfs_wire.h"
#include "common/om_mfs_export.h"

#define OM_MFS_MAGIC		0x4d465321	/* "MFS!" */
#define OM_MFS_NOBODY		65534		/* root squash: uid, gid */

/* ---- om_mfs_server.c ---- */

int om_mfs_server_init(void);
void om_mfs_server_exit(void);
/*
 * A request frame (from another node, or from this node's client with
 * from == om_self_id()): copied and queued, answered later by one reply
 * frame (or, to this node, by om_mfs_rpc_rx()).
 */
void om_mfs_server_rx(u16 from, u8 type, const u8 *payload, u32 len);

/* ---- om_mfs_export.c ---- */

struct path;
struct om_mfs_exports;		/* a snapshot of the list; NULL: no list */

int om_mfs_export_init(void);
void om_mfs_export_exit(void);
/* The list now, referenced (or NULL); om_mfs_exports_put() when done */
struct om_mfs_exports *om_mfs_exports_get(void);
void om_mfs_exports_put(struct om_mfs_exports *ex);
/*
 * Where p stands to the list (om_mfs_export.h); *holds, if asked: p is
 * an export or a directory on the way to one (it may not be removed or
 * renamed).  Everything is OM_MFS_VIS_RW with no list.
 */
enum om_mfs_vis om_mfs_export_vis(const struct om_mfs_exports *ex,
				  const struct path *p, bool *holds);
/*
 * The names of dir's children on the way to exports below it, into
 * names[OM_MFS_EXPORTS_MAX] (allocated): how many, or -ENOMEM.  Free
 * them with om_mfs_export_names_free().
 */
int om_mfs_export_children(const struct om_mfs_exports *ex,
			   const struct path *dir, char **names);
void om_mfs_export_names_free(char **names, int n);

/* ---- om_mfs_rpc.c ---- */

/* One call: the request, and once answered the reply, which points into buf */
struct om_mfs_call {
	struct list_head list;		/* pending calls, under om_mfs_rpc_lock */
	u16 node;
	bool done;
	int err;			/* node lost, timeout, bad reply */
	int start_err;			/* om_mfs_call_start()'s, then the wait's */
	unsigned long sent, deadline;	/* jiffies: the last send, the last retry */
	unsigned int brk_seq;		/* the node's BREAKs received at the last send */
	unsigned int prm_epoch;		/* the node's trust epoch when it answered */
	struct completion answered;
	struct om_mfs_msg req;
	struct om_mfs_msg rep;		/* valid when om_mfs_call() returned 0 */
	void *buf;			/* the reply's payload */
};

int om_mfs_rpc_init(void);
void om_mfs_rpc_exit(void);
/* A reply frame: to the call waiting for it, else dropped */
void om_mfs_rpc_rx(u16 from, u8 type, const u8 *payload, u32 len);
/*
 * Fill c->req (type and body; the id and the caller's credentials are
 * set here), send it to node and wait for the reply: 0 with c->rep a
 * reply that matches (not R_ERROR: its errno is returned), or a negative
 * errno (-EIO when the node is lost or does not answer in time, -EINTR
 * on a fatal signal).  Call om_mfs_call_end() afterwards in every case.
 */
int om_mfs_call(u16 node, struct om_mfs_call *c);
/*
 * The same in two halves, so that several calls can be in flight:
 * om_mfs_call_start() sends c->req (0, or the errno om_mfs_call_wait()
 * will also return) and om_mfs_call_wait() waits for its reply; after a
 * start, the wait must come (it takes the call off the pending list:
 * only then may c be freed), then om_mfs_call_end().  A fatal signal
 * ends every wait at once, so a caller can still collect each call.
 */
int om_mfs_call_start(u16 node, struct om_mfs_call *c);
int om_mfs_call_wait(struct om_mfs_call *c);
void om_mfs_call_end(struct om_mfs_call *c);
/*
 * Instead of om_mfs_call_wait() and om_mfs_call_end(): a started call's
 * reply is not wanted any more (dropped if it comes); c may be freed
 * after.  Also fine after a wait.
 */
void om_mfs_call_cancel(struct om_mfs_call *c);
/* Requests this node's client sent (retries too) */
u64 om_mfs_rpc_count(void);
/* A call of this type on the heap (a call is too large for a stack), zeroed */
struct om_mfs_call *om_mfs_call_alloc(u8 type);
/* om_mfs_call_end() and free it; NULL is fine */
void om_mfs_call_free(struct om_mfs_call *c);

/* ---- om_mfs_watch.c: the server's promises ---- */

/*
 * A client trusts its promises from a node only this long after sending
 * a request the node answered; the node waits for a silent client's
 * BREAK_ACK no longer than this after its last reply to it.
 */
#define OM_MFS_LEASE_MS		3000

int om_mfs_watch_init(void);
void om_mfs_watch_exit(void);
/*
 * A promise to node on p's file, made before its attributes are taken
 * for the reply: its promise_ms, 0 for none (knob mfs_promise_ms 0, a
 * filesystem that can change without telling us, no room).
 */
u32 om_mfs_watch_grant(const struct path *p, u16 node);
/* Could promises be made to node on files of p's filesystem at all? */
bool om_mfs_watch_possible(const struct path *p, u16 node);
/*
 * May data of inode (a regular file) read from now on go to node STABLE?
 * True if node holds a promise on it and it is open for write nowhere;
 * an open for write from then on ends the promise (BREAK) first.
 */
bool om_mfs_watch_stable(struct inode *inode, u16 node);
/* We just sent node a reply */
void om_mfs_watch_answered(u16 node);
/* Watches whose promises all ended go (every one with all) */
void om_mfs_watch_gc(bool all);
/* Every promise out ends now (told to the clients) */
void om_mfs_watch_break_all(void);
/* Watched inodes now */
unsigned int om_mfs_watch_count(void);
/* BREAK_ACK from node (the transport's handler; our client's own too) */
void om_mfs_watch_rx(u16 from, u8 type, const u8 *payload, u32 len);

/* ---- om_mfs_super.c ---- */

/* The tree's options (sb->s_fs_info) */
struct om_mfs_sb {
	bool dfsa;			/* dfsa=1: READ_ONCE, a remount changes it */
};

int om_mfs_super_init(void);
void om_mfs_super_exit(void);
extern struct file_system_type om_mfs_fs_type;

/* ---- om_mfs_dfsa.c (besides om_mfs_dfsa.h) ---- */

/* A mount or remount changed the tree's dfsa flag: tell DFSA (process context) */
void om_mfs_dfsa_changed(void);
/* Module exit, before the type is unregistered: the private mount goes */
void om_mfs_dfsa_exit(void);

/* ---- om_mfs_inode.c ---- */

struct om_mfs_dircache;

/* A remote file's inode: the node that serves it and its handle */
struct om_mfs_inode {
	u16 node;			/* 0: /mfs itself, here, home */
	u8 fhlen;
	u8 fh[OM_MFS_FH_MAX];
	/* what the node said last (under i_lock), and its promise on it */
	struct om_mfs_attr attr;
	bool prm_ok;
	unsigned int prm_gen, prm_epoch;
	/*
	 * Moves when a promise is taken with none holding just before: a
	 * gap in which the node told us nothing (a listing kept under the
	 * old one is over, though gen and epoch are the same again)
	 */
	unsigned int prm_serial;
	unsigned long prm_until;	/* jiffies */
	/* a directory's whole listing, kept under its promise (under i_lock) */
	struct om_mfs_dircache *dc;
	/*
	 * What the LOOKUP of a stat() walk's last name just said, for that
	 * stat() alone (om_mfs_getattr): the task, never dereferenced, its
	 * start time (a task later at the same address is another) and its
	 * times it had slept then (nvcsw); under i_lock.
	 */
	const struct task_struct *walk_task;
	u64 walk_start;
	unsigned long walk_csw;
	struct om_mfs_attr walk_attr;
	struct inode vfs_inode;
};

static inline struct om_mfs_inode *OM_MFS_I(struct inode *inode)
{
	return container_of(inode, struct om_mfs_inode, vfs_inode);
}

static inline struct om_mfs_fh om_mfs_fh_of(struct inode *inode)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);

	return (struct om_mfs_fh){ .data = mi->fh, .len = mi->fhlen };
}

/* node ids apart in the high bits: one server's numbers per node */
static inline u64 om_mfs_ino(u16 node, u64 ino)
{
	return ino ^ ((u64)node << 48);
}

/*
 * READDIRPLUS asks for this many bytes of entries at a time: about 500
 * entries with their files, 2000 without
 */
#define OM_MFS_READDIR_BYTES	(64U << 10)

/*
 * A stat of the node's file from its attributes, as /mfs's getattr gives
 * it (dev 0: the caller's superblock's)
 */
void om_mfs_kstat(u16 node, const struct om_mfs_attr *a, struct kstat *st);

int om_mfs_inode_init(void);
void om_mfs_inode_exit(void);
struct inode *om_mfs_alloc_inode(struct super_block *sb);
void om_mfs_free_inode(struct inode *inode);
/* What the inode keeps besides its pages goes (evict_inode) */
void om_mfs_inode_forget(struct inode *inode);
/*
 * The inode of node's file with this handle and these attributes, from
 * c's reply, which promised them for promise_ms
 */
struct inode *om_mfs_iget(struct super_block *sb, u16 node,
			  const struct om_mfs_fh *fh, const struct om_mfs_attr *a,
			  const struct om_mfs_call *c, u32 promise_ms);
/* ---- om_mfs_promise.c: the client's promises ---- */

int om_mfs_promise_init(void);
void om_mfs_promise_exit(void);
/* node's count of BREAKs received, for a request about to be sent */
unsigned int om_mfs_promise_seq(u16 node);
/* node answered a request sent at jiffies 'sent': the trust epoch now */
unsigned int om_mfs_promise_heard(u16 node, unsigned long sent);
/* What the server said of a file, into its inode, with no promise */
void om_mfs_inode_update(struct inode *inode, const struct om_mfs_attr *a);
/* The same from call c's reply, with its promise if it holds */
void om_mfs_inode_take(struct inode *inode, const struct om_mfs_attr *a,
		       const struct om_mfs_call *c);
/* The same with a promise of ms from c's reply (a READDIRPLUS entry's) */
void om_mfs_inode_promise(struct inode *inode, const struct om_mfs_attr *a,
			  const struct om_mfs_call *c, u32 ms);
/* May the inode's attributes (and its dentries) be used without asking? */
bool om_mfs_promise_valid(const struct om_mfs_inode *mi);
/* One promise, without a gap: what a kept directory listing is checked against */
struct om_mfs_prm_snap {
	unsigned int gen, epoch, serial;
};

/* The inode's promise now (false: none) */
bool om_mfs_promise_now(const struct om_mfs_inode *mi, struct om_mfs_prm_snap *s);
/* Still that very promise: no BREAK, no lapse, not ended since */
bool om_mfs_promise_still(const struct om_mfs_inode *mi,
			  const struct om_mfs_prm_snap *s);
/* BREAK from node (the transport's handler; our server's own too) */
void om_mfs_promise_rx(u16 from, u8 type, const u8 *payload, u32 len);
/* GETATTR into the inode */
int om_mfs_refresh(struct inode *inode);
extern const struct dentry_operations om_mfs_dops;

/* ---- om_mfs_file.c ---- */

/*
 * Node's file fh read into the iterator "to", from *ppos on, in pieces of
 * at most OM_MFS_IO_MAX: the bytes read (short at the end of the file),
 * or an errno if none were; *ppos moves on by what was read.  Written
 * likewise, out of "from" (flags: OM_MFS_WRITE_*), *attr the file's attributes
 * after the last piece written (*got_attr then true).  No inode needed:
 * the filesystem and DFSA (om_mfs_dfsa.c) share them.
 */
ssize_t om_mfs_fh_read(u16 node, const struct om_mfs_fh *fh, loff_t *ppos,
		       struct iov_iter *to);
ssize_t om_mfs_fh_write(u16 node, const struct om_mfs_fh *fh, loff_t *ppos,
			struct iov_iter *from, u8 flags, struct om_mfs_attr *attr,
			bool *got_attr);
/* fsync (datasync: fdatasync) node's file fh */
int om_mfs_fh_fsync(u16 node, const struct om_mfs_fh *fh, bool datasync);
extern const struct file_operations om_mfs_file_fops;
/*
 * Read-ahead: replies asked by an earlier read() call that a later one
 * returned; read-aheads dropped because such a reply could not be used
 * (the promise broke, or it was not STABLE)
 */
u64 om_mfs_ra_hit_count(void);
u64 om_mfs_ra_drop_count(void);
/*
 * DFSA: f (an MFS directory, its listing's state private) is made to stand
 * at pos, its node's listing going on after cookie (ended: eof), as if it
 * had listed that far itself; -EINVAL if f is no MFS directory
 */
int om_mfs_dir_setpos(struct file *f, loff_t pos, u64 cookie, bool eof);
bool om_mfs_is_dir_file(const struct file *f);
extern const struct address_space_operations om_mfs_aops;

#endif /* _OM_MFS_H */
