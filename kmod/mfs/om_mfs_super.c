// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The MFS superblock and /mfs itself.  One instance (mount -t mfs none
 * /mfs, any number of times: the same tree).  Its root lists the nodes
 * that are up (this one too) by id, and openMosix's symbolic links made
 * for the process that reads them, as /proc/self is: "here", the node
 * the process runs on, "home", its home node, "selected", the node it
 * chose in /proc/hpc/selected, "lastexec", the node of its last
 * execve(), and "magic", the node it runs on while it creates a file
 * and the node of its last such create after.  /mfs/<id> is node id's
 * tree, its root asked from the node (ROOT) at every lookup.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/seq_file.h>
#include <linux/fs_parser.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/statfs.h>
#include <linux/uaccess.h>
#include <linux/openat2.h>
#include <linux/compat.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "om_core.h"
#include "om_node.h"
#include "migrate/om_ptab.h"
#include "om_mfs.h"

#define OM_MFS_ROOT_INO		1
/* the links' inode numbers are 1 + their OM_MFS_LINK_*, readdir positions 1 + that */

enum {
	OM_MFS_LINK_HERE = 1, OM_MFS_LINK_HOME, OM_MFS_LINK_SELECTED,
	OM_MFS_LINK_LASTEXEC, OM_MFS_LINK_MAGIC, OM_MFS_LINK_MAX,
};

static const char *const om_mfs_link_names[OM_MFS_LINK_MAX] = {
	[OM_MFS_LINK_HERE] = "here", [OM_MFS_LINK_HOME] = "home",
	[OM_MFS_LINK_SELECTED] = "selected", [OM_MFS_LINK_LASTEXEC] = "lastexec",
	[OM_MFS_LINK_MAGIC] = "magic",
};

/* /mfs's readdir positions: . .. and the links, then this + node id */
#define OM_MFS_POS_NODES	(OM_MFS_LINK_MAX + 1)

/* ---- the per-process links ---- */

/*
 * Is the calling task in a system call that creates what it names:
 * creat(), open() or openat() with O_CREAT, mkdir(), mkdirat()?  The
 * deputy of a migrated process makes the calls its remote forwards
 * natively, so this holds for those too.  openat2() keeps its flags in
 * user memory: it counts as creating when they have O_CREAT.
 */
#define OM_IA32_CREAT	8	/* arch/x86/entry/syscalls/syscall_32.tbl */
#define OM_IA32_OPEN	5
#define OM_IA32_MKDIR	39
#define OM_IA32_OPENAT	295
#define OM_IA32_MKDIRAT	296

static bool om_mfs_creating(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long args[6];
	struct open_how how;
	int nr = syscall_get_nr(current, regs);

	if (nr < 0)
		return false;
	syscall_get_arguments(current, regs, args);
	if (in_compat_syscall()) {
		switch (nr) {
		case OM_IA32_CREAT:
		case OM_IA32_MKDIR:
		case OM_IA32_MKDIRAT:
			return true;
		case OM_IA32_OPEN:
			return args[1] & O_CREAT;
		case OM_IA32_OPENAT:
			return args[2] & O_CREAT;
		}
		return false;
	}
	switch (nr) {
	case __NR_creat:
	case __NR_mkdir:
	case __NR_mkdirat:
		return true;
	case __NR_open:
		return args[1] & O_CREAT;
	case __NR_openat:
		return args[2] & O_CREAT;
	case __NR_openat2:
		return args[3] >= sizeof(how.flags) &&
		       !copy_from_user(&how.flags, (void __user *)args[2], sizeof(how.flags)) &&
		       (how.flags & O_CREAT);
	}
	return false;
}

/* The node /mfs/magic names now; 0 if none */
static u16 om_mfs_magic_node(const struct om_pstate *st)
{
	if (!om_mfs_creating())
		return st->magic ?: st->where;
	/* a hint of where temporary files went: kept if it cannot be */
	if (st->where && st->where != st->magic)
		om_ptab_set_mfs_node(current, OM_PTAB_SEL_MAGIC, st->where);
	return st->where;
}

static const char *om_mfs_magic_get_link(struct dentry *d, struct inode *inode,
					 struct delayed_call *done)
{
	struct om_pstate st;
	u16 id;
	char *s;

	if (!d)
		return ERR_PTR(-ECHILD);	/* may allocate: not in RCU walk */
	om_ptab_get(current, &st);
	switch ((uintptr_t)inode->i_private) {
	case OM_MFS_LINK_HOME:
	case OM_MFS_LINK_LASTEXEC:
		/* execve() brings a migrated process home first */
		id = st.home;
		break;
	case OM_MFS_LINK_SELECTED:
	case OM_MFS_LINK_MAGIC:
		/*
		 * A guest walks /mfs only for DFSA path calls (its private
		 * mount): these two are its deputy's, at home, where the
		 * call goes then (-EXDEV: om_mfs_dfsa.h)
		 */
		if (st.guest)
			return ERR_PTR(-EXDEV);
		id = (uintptr_t)inode->i_private == OM_MFS_LINK_SELECTED ?
		     st.selected : om_mfs_magic_node(&st);
		break;
	default:
		id = st.where;
		break;
	}
	if (!id)
		return ERR_PTR(-ENOENT);	/* none chosen, or no id yet */
	s = kasprintf(GFP_KERNEL, "%u", id);
	if (!s)
		return ERR_PTR(-ENOMEM);
	set_delayed_call(done, kfree_link, s);
	return s;
}

static int om_mfs_local_getattr(om_idmap_t *idmap, const struct path *path,
				struct kstat *st, u32 mask, unsigned int flags)
{
	om_generic_fillattr(idmap, mask, d_inode(path->dentry), st);
	return 0;
}

static const struct inode_operations om_mfs_magic_iops = {
	.get_link = om_mfs_magic_get_link,
	.getattr = om_mfs_local_getattr,
};

static struct inode *om_mfs_local_inode(struct super_block *sb, umode_t mode,
					unsigned long ino)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = ino;
	inode->i_mode = mode;
	om_inode_init_ts(inode);
	OM_MFS_I(inode)->node = 0;
	return inode;
}

/* ---- /mfs ---- */

/* "<id>" as printed: no sign, no leading zeros, 1..65535 */
static u16 om_mfs_parse_id(const struct qstr *name)
{
	char buf[8];
	u16 id;

	if (!name->len || name->len > 5 || name->name[0] == '0')
		return 0;
	memcpy(buf, name->name, name->len);
	buf[name->len] = 0;
	if (kstrtou16(buf, 10, &id))
		return 0;
	return id;
}

static bool om_mfs_node_known(u16 id)
{
	struct om_node *n;
	bool known;

	if (id == om_self_id())
		return true;
	mutex_lock(&om_nodes_lock);
	n = om_node_find(id);
	known = n && !(n->flags & OM_NF_BLOCKED);
	mutex_unlock(&om_nodes_lock);
	return known;
}

/* A node's root: asked from it every time (ROOT) */
static struct inode *om_mfs_node_root(struct super_block *sb, u16 id)
{
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_ROOT);
	struct inode *inode;
	int err;

	if (!c)
		return ERR_PTR(-ENOMEM);
	err = om_mfs_call(id, c);
	inode = err ? ERR_PTR(err) :
		om_mfs_iget(sb, id, &c->rep.entry.fh, &c->rep.entry.attr, c,
			    c->rep.promise_ms);
	om_mfs_call_free(c);
	return inode;
}

static struct dentry *om_mfs_root_lookup(struct inode *dir, struct dentry *d,
					 unsigned int flags)
{
	struct inode *inode = NULL;
	int link;
	u16 id;

	for (link = OM_MFS_LINK_MAX - 1; link; link--)
		if (d->d_name.len == strlen(om_mfs_link_names[link]) &&
		    !memcmp(d->d_name.name, om_mfs_link_names[link], d->d_name.len))
			break;
	if (link) {
		inode = om_mfs_local_inode(dir->i_sb, S_IFLNK | 0777, 1 + link);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_op = &om_mfs_magic_iops;
		inode->i_private = (void *)(uintptr_t)link;
		d_add(d, inode);
		return NULL;
	}
	id = om_mfs_parse_id(&d->d_name);
	if (id && om_mfs_node_known(id)) {
		inode = om_mfs_node_root(dir->i_sb, id);
		if (IS_ERR(inode))
			return ERR_CAST(inode);
	}
	return d_splice_alias(inode, d);
}

static int om_mfs_cmp_id(const void *a, const void *b)
{
	return (int)*(const u16 *)a - (int)*(const u16 *)b;
}

/* The ids to list, ascending: nodes up, and this one */
static u16 *om_mfs_up_ids(unsigned int *n)
{
	unsigned long idx = 0;
	struct om_node *node;
	unsigned int i, j;
	u32 total, up;
	u16 *ids;

	om_node_counts(&total, &up);
	ids = kcalloc(total + 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return NULL;
	*n = 0;
	mutex_lock(&om_nodes_lock);
	while (*n < total && (node = om_node_next(&idx))) {
		if (node->id && node->up && !(node->flags & OM_NF_BLOCKED))
			ids[(*n)++] = node->id;
	}
	mutex_unlock(&om_nodes_lock);
	if (om_self_id())
		ids[(*n)++] = om_self_id();
	sort(ids, *n, sizeof(*ids), om_mfs_cmp_id, NULL);
	for (i = j = 0; i < *n; i++)
		if (!j || ids[i] != ids[j - 1])
			ids[j++] = ids[i];
	*n = j;
	return ids;
}

static int om_mfs_root_readdir(struct file *file, struct dir_context *ctx)
{
	unsigned int i, n = 0;
	char name[8];
	u16 *ids;

	if (!dir_emit_dots(file, ctx))
		return 0;
	for (; ctx->pos < OM_MFS_POS_NODES; ctx->pos++) {
		const char *l = om_mfs_link_names[ctx->pos - 1];

		if (!dir_emit(ctx, l, strlen(l), ctx->pos, DT_LNK))
			return 0;
	}
	ids = om_mfs_up_ids(&n);
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (ctx->pos > OM_MFS_POS_NODES + ids[i])
			continue;
		snprintf(name, sizeof(name), "%u", ids[i]);
		if (!dir_emit(ctx, name, strlen(name), (u64)ids[i] << 48, DT_DIR))
			break;
		ctx->pos = OM_MFS_POS_NODES + ids[i] + 1;
	}
	kfree(ids);
	return 0;
}

static const struct inode_operations om_mfs_root_iops = {
	.lookup = om_mfs_root_lookup,
	.getattr = om_mfs_local_getattr,
};

static const struct file_operations om_mfs_root_fops = {
	.read = generic_read_dir,
	.iterate_shared = om_mfs_root_readdir,
	.llseek = generic_file_llseek,
};

/* ---- The superblock ---- */

static int om_mfs_statfs(struct dentry *d, struct kstatfs *buf)
{
	struct inode *inode = d_inode(d);
	struct om_mfs_call *c;
	int err;

	buf->f_type = OM_MFS_MAGIC;
	buf->f_namelen = OM_MFS_NAME_MAX;
	buf->f_bsize = PAGE_SIZE;
	if (!OM_MFS_I(inode)->node)
		return 0;	/* /mfs itself: no blocks of its own */
	c = om_mfs_call_alloc(OM_MFS_STATFS);
	if (!c)
		return -ENOMEM;
	c->req.statfs.fh = om_mfs_fh_of(inode);
	err = om_mfs_call(OM_MFS_I(inode)->node, c);
	if (!err) {
		const struct om_mfs_fsstat *s = &c->rep.fsstat;

		buf->f_bsize = s->bsize;
		buf->f_frsize = s->bsize;
		buf->f_namelen = s->namelen;
		buf->f_blocks = s->blocks;
		buf->f_bfree = s->bfree;
		buf->f_bavail = s->bavail;
		buf->f_files = s->files;
		buf->f_ffree = s->ffree;
	}
	om_mfs_call_free(c);
	return err;
}

static void om_mfs_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	om_mfs_inode_forget(inode);
	clear_inode(inode);
}

/* /proc/mounts: the options that differ from a plain mount's */
static int om_mfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct om_mfs_sb *sbi = root->d_sb->s_fs_info;

	if (READ_ONCE(sbi->dfsa))
		seq_puts(m, ",dfsa=1");
	return 0;
}

static const struct super_operations om_mfs_sops = {
	.alloc_inode = om_mfs_alloc_inode,
	.free_inode = om_mfs_free_inode,
	.evict_inode = om_mfs_evict_inode,
	/* nothing is cached: an inode goes with its last dentry */
	.drop_inode = generic_delete_inode,
	.statfs = om_mfs_statfs,
	.show_options = om_mfs_show_options,
};

static int om_mfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct om_mfs_sb *sbi;
	struct inode *root;

	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	sb->s_fs_info = sbi;

	sb->s_magic = OM_MFS_MAGIC;
	sb->s_op = &om_mfs_sops;
	sb->s_d_op = &om_mfs_dops;
	sb->s_maxbytes = OM_MFS_OFF_MAX;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_time_gran = 1;
	/* no programs, set-id bits or devices of other nodes here */
	sb->s_flags |= SB_NOEXEC | SB_NOSUID | SB_NODEV | SB_NOATIME;
	/* what the VFS checks, whatever the mount's own flags say */
	sb->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;
	root = om_mfs_local_inode(sb, S_IFDIR | 0555, OM_MFS_ROOT_INO);
	if (!root)
		return -ENOMEM;
	set_nlink(root, 2);
	root->i_op = &om_mfs_root_iops;
	root->i_fop = &om_mfs_root_fops;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

/*
 * dfsa=0|1: may a migrated process do its I/O on this tree's files where
 * it runs (om_mfs_dfsa.c)?  One superblock serves every mount, so the
 * option is the tree's: a mount or remount that gives it sets it, one
 * that does not leaves it as it is (0 at first).
 */
enum { OM_MFS_OPT_DFSA };

static const struct fs_parameter_spec om_mfs_params[] = {
	fsparam_u32("dfsa", OM_MFS_OPT_DFSA),
	{}
};

/* What a mount or remount asked for: -1 = not given */
struct om_mfs_fc {
	int dfsa;
};

static int om_mfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct om_mfs_fc *ctx = fc->fs_private;
	struct fs_parse_result r;
	int opt = fs_parse(fc, om_mfs_params, param, &r);

	if (opt < 0)
		return opt;
	if (opt == OM_MFS_OPT_DFSA) {
		if (r.uint_32 > 1)
			return invalfc(fc, "dfsa must be 0 or 1");
		ctx->dfsa = r.uint_32;
	}
	return 0;
}

static void om_mfs_apply(struct fs_context *fc)
{
	struct om_mfs_fc *ctx = fc->fs_private;
	struct om_mfs_sb *sbi = fc->root->d_sb->s_fs_info;

	bool was = READ_ONCE(sbi->dfsa);

	if (ctx->dfsa >= 0)
		WRITE_ONCE(sbi->dfsa, ctx->dfsa == 1);
	if (READ_ONCE(sbi->dfsa) != was)
		om_mfs_dfsa_changed();
}

static int om_mfs_get_tree(struct fs_context *fc)
{
	int err = get_tree_single(fc, om_mfs_fill_super);

	/* the tree may have been mounted before: the option is for it too */
	if (!err)
		om_mfs_apply(fc);
	return err;
}

static int om_mfs_reconfigure(struct fs_context *fc)
{
	om_mfs_apply(fc);
	return 0;
}

static void om_mfs_free_fc(struct fs_context *fc)
{
	kfree(fc->fs_private);
}

static const struct fs_context_operations om_mfs_context_ops = {
	.parse_param = om_mfs_parse_param,
	.get_tree = om_mfs_get_tree,
	.reconfigure = om_mfs_reconfigure,
	.free = om_mfs_free_fc,
};

static int om_mfs_init_fs_context(struct fs_context *fc)
{
	struct om_mfs_fc *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->dfsa = -1;
	fc->fs_private = ctx;
	fc->ops = &om_mfs_context_ops;
	return 0;
}

static void om_mfs_kill_sb(struct super_block *sb)
{
	void *sbi = sb->s_fs_info;

	kill_anon_super(sb);
	kfree(sbi);
}

struct file_system_type om_mfs_fs_type = {
	.owner = THIS_MODULE,
	.name = "mfs",
	.init_fs_context = om_mfs_init_fs_context,
	.parameters = om_mfs_params,
	.kill_sb = om_mfs_kill_sb,
};

int om_mfs_super_init(void)
{
	return register_filesystem(&om_mfs_fs_type);
}

void om_mfs_super_exit(void)
{
	/* DFSA's private mount holds a superblock of the type */
	om_mfs_dfsa_exit();
	unregister_filesystem(&om_mfs_fs_type);
}
