// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * proc: the /proc/hpc view, in the spirit of openMosix's /proc/hpc:
 * /proc/hpc/version, and per node /proc/hpc/nodes/<ID>/{address, state,
 * load, runnable, cpus, speed, mem, uptime, last_heard}.  Each file looks
 * its node up when read, so a node removed meanwhile reads as ENOENT.
 * /proc/hpc/procs lists the processes with their migration state, as
 * openMosix's mps did, and /proc/hpc/selected is the caller's node
 * behind /mfs/selected (Documentation/proc-hpc.md).
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/namei.h>
#include <linux/capability.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "om_core.h"
#include "om_node.h"
#include "om_info.h"
#include "migrate/om_ptab.h"

static struct proc_dir_entry *om_proc_root;
static struct proc_dir_entry *om_proc_nodes;
static DEFINE_MUTEX(om_proc_lock);

enum om_proc_field {
	OM_PF_ADDRESS, OM_PF_STATE, OM_PF_LOAD, OM_PF_RUNNABLE, OM_PF_CPUS,
	OM_PF_SPEED, OM_PF_MEM, OM_PF_UPTIME, OM_PF_LAST_HEARD, OM_PF_MAX,
};

static const char *const om_proc_names[OM_PF_MAX] = {
	"address", "state", "load", "runnable", "cpus", "speed", "mem",
	"uptime", "last_heard",
};

/* private data of a node file: (id << 8) | field */
static int om_proc_node_show(struct seq_file *m, void *v)
{
	unsigned long key = (unsigned long)m->private;
	unsigned int field = key & 0xff;
	struct om_load_entry self, l;
	struct om_node *n;
	bool is_self, up;
	unsigned long last;
	__be32 addr;
	u16 port;

	om_info_fill_self(&self);
	mutex_lock(&om_nodes_lock);
	n = om_node_find(key >> 8);
	if (!n) {
		mutex_unlock(&om_nodes_lock);
		return -ENOENT;
	}
	is_self = n->flags & OM_NF_SELF;
	up = n->up;
	l = is_self ? self : n->load;
	addr = n->addr;
	port = n->port;
	last = time_after(n->last_info, n->last_heard) ? n->last_info : n->last_heard;
	mutex_unlock(&om_nodes_lock);

	switch (field) {
	case OM_PF_ADDRESS:
		seq_printf(m, "%pI4:%u\n", &addr, port);
		break;
	case OM_PF_STATE:
		seq_printf(m, "%s\n", is_self ? "self" : up ? "up" : "down");
		break;
	case OM_PF_LOAD:
		seq_printf(m, "%u\n", l.load * 100 / OM_LOAD_FSCALE);
		break;
	case OM_PF_RUNNABLE:
		seq_printf(m, "%u\n", l.runnable / OM_LOAD_FSCALE);
		break;
	case OM_PF_CPUS:
		seq_printf(m, "%u\n", l.cpus);
		break;
	case OM_PF_SPEED:
		seq_printf(m, "%u\n", l.speed);
		break;
	case OM_PF_MEM:
		seq_printf(m, "total %llu kB\nfree %llu kB\n", l.mem_total,
			   l.mem_free);
		break;
	case OM_PF_UPTIME:
		seq_printf(m, "%llu\n", l.uptime);
		break;
	case OM_PF_LAST_HEARD:
		if (is_self || !last)
			seq_puts(m, "-\n");
		else
			seq_printf(m, "%u\n", jiffies_to_msecs(jiffies - last));
		break;
	}
	return 0;
}

static void om_proc_node_added(u16 id)
{
	struct proc_dir_entry *d;
	char name[8];
	int i;

	snprintf(name, sizeof(name), "%u", id);
	mutex_lock(&om_proc_lock);
	if (!om_proc_nodes)
		goto out;
	d = proc_mkdir(name, om_proc_nodes);
	if (!d)
		goto out;
	for (i = 0; i < OM_PF_MAX; i++)
		proc_create_single_data(om_proc_names[i], 0444, d,
					om_proc_node_show,
					(void *)(((unsigned long)id << 8) | i));
out:
	mutex_unlock(&om_proc_lock);
}

static void om_proc_node_removed(u16 id)
{
	char name[8];

	snprintf(name, sizeof(name), "%u", id);
	mutex_lock(&om_proc_lock);
	if (om_proc_nodes)
		remove_proc_subtree(name, om_proc_nodes);
	mutex_unlock(&om_proc_lock);
}

/*
 * The unlocked events: removal waits for the node's readers, and they
 * take om_nodes_lock.
 */
static int om_proc_node_event(struct notifier_block *nb, unsigned long ev,
			      void *data)
{
	const struct om_node_event_info *info = data;

	if (ev == OM_NODE_EV_POST_ADD)
		om_proc_node_added(info->id);
	else if (ev == OM_NODE_EV_POST_REMOVE)
		om_proc_node_removed(info->id);
	return NOTIFY_DONE;
}

static struct notifier_block om_proc_node_nb = {
	.notifier_call = om_proc_node_event,
};

static int om_proc_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "openMosix-NG %s\n", OM_VERSION);
	return 0;
}

/*
 * /proc/hpc/procs: a header, then one line per process of the reader's
 * pid namespace (that of the proc mount), by pid.  The position is the
 * next pid + 1 (0: the header), so a read that stops anywhere goes on
 * with the next process, whatever came and went meanwhile.  Kernel
 * threads are not listed.  The reader is whoever opened the file.
 */
#define OM_PROCS_END	((loff_t)PID_MAX_LIMIT + 2)

struct om_procs_iter {
	struct om_pview v;
};

static struct pid_namespace *om_procs_ns(struct seq_file *m)
{
	return proc_pid_ns(file_inode(m->file)->i_sb);
}

/* *pos = pid + 1 of the next process to show, 0 = the header */
static void *om_procs_at(struct seq_file *m, loff_t *pos)
{
	struct task_struct *t;
	pid_t nr;

	if (*pos >= OM_PROCS_END)
		return NULL;
	nr = *pos > 1 ? *pos - 1 : 1;
	t = om_pview_next(om_procs_ns(m), &nr);
	*pos = t ? (loff_t)nr + 1 : OM_PROCS_END;
	return t;
}

static void *om_procs_start(struct seq_file *m, loff_t *pos)
{
	if (!*pos)
		return SEQ_START_TOKEN;
	return om_procs_at(m, pos);
}

static void *om_procs_next(struct seq_file *m, void *v, loff_t *pos)
{
	if (v == SEQ_START_TOKEN) {
		*pos = 1;
	} else {
		put_task_struct(v);
		++*pos;		/* the pids after v's */
	}
	return om_procs_at(m, pos);
}

static void om_procs_stop(struct seq_file *m, void *v)
{
	if (v && v != SEQ_START_TOKEN)
		put_task_struct(v);
}

static int om_procs_show(struct seq_file *m, void *v)
{
	struct om_procs_iter *it = m->private;
	struct om_pview *pv = &it->v;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "%7s %5s %5s %5s %6s %s\n", "PID", "WHERE", "HOME",
			   "NMIGS", "LOCKED", "CANTMOVE");
		return 0;
	}
	om_pview_fill(v, om_procs_ns(m), m->file->f_cred,
		      file_ns_capable(m->file, &init_user_ns, CAP_SYS_PTRACE), pv);
	seq_printf(m, "%7d %5u %5u %5u %6u %s\n", pv->pid, pv->st.where,
		   pv->st.home, pv->st.nmigs, pv->st.locked,
		   pv->cantmove ? pv->reason : "-");
	return 0;
}

static const struct seq_operations om_procs_ops = {
	.start = om_procs_start,
	.next = om_procs_next,
	.stop = om_procs_stop,
	.show = om_procs_show,
};

/*
 * /proc/hpc/selected: the node behind the calling process's
 * /mfs/selected, as openMosix's /proc/self/selected.  Reading shows it (0:
 * none); writing an id sets it, 0 clears it.  A process sets only its
 * own, and only through a file it opened itself: a descriptor handed to
 * another process (a set-id program's stderr, say) does not let that
 * process's writes change it.
 */
static int om_selected_open(struct inode *inode, struct file *file)
{
	file->private_data = get_pid(task_tgid(current));
	return 0;
}

static int om_selected_release(struct inode *inode, struct file *file)
{
	put_pid(file->private_data);
	return 0;
}

static ssize_t om_selected_read(struct file *file, char __user *buf, size_t len,
				loff_t *ppos)
{
	struct om_pstate st;
	char s[8];

	om_ptab_get(current, &st);
	return simple_read_from_buffer(buf, len, ppos, s,
				       scnprintf(s, sizeof(s), "%u\n", st.selected));
}

static ssize_t om_selected_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	u16 id;
	int ret;

	if (file->private_data != task_tgid(current))
		return -EPERM;
	ret = kstrtou16_from_user(buf, len, 10, &id);
	if (ret)
		return ret;
	ret = om_ptab_set_mfs_node(current, OM_PTAB_SEL_SELECTED, id);
	return ret ? ret : len;
}

/*
 * Writable by everyone on purpose: each process sets only its own (as
 * /proc/self/attr/current), checked in om_selected_write().
 */
#define OM_PROC_SELECTED_MODE	0666

static const struct proc_ops om_selected_ops = {
	.proc_open = om_selected_open,
	.proc_release = om_selected_release,
	.proc_read = om_selected_read,
	.proc_write = om_selected_write,
	.proc_lseek = default_llseek,
};

/*
 * The files exist and render.  No VFS read: that would take a seq_file
 * lock under the sysfs file lock of the self-test trigger.
 */
static int om_proc_selftest(void)
{
	char buf[64] = "";
	struct seq_file m = { .buf = buf, .size = sizeof(buf) - 1 };
	struct path path;
	int ret;

	ret = kern_path("/proc/hpc/version", 0, &path);
	if (ret) {
		pr_err("proc self-test: /proc/hpc/version: %d\n", ret);
		return ret;
	}
	path_put(&path);
	ret = kern_path("/proc/hpc/procs", 0, &path);
	if (ret) {
		pr_err("proc self-test: /proc/hpc/procs: %d\n", ret);
		return ret;
	}
	path_put(&path);
	ret = kern_path("/proc/hpc/nodes", LOOKUP_DIRECTORY, &path);
	if (ret) {
		pr_err("proc self-test: /proc/hpc/nodes: %d\n", ret);
		return ret;
	}
	path_put(&path);
	om_proc_version_show(&m, NULL);
	if (m.count < 13 || strncmp(buf, "openMosix-NG ", 13)) {
		pr_err("proc self-test: unexpected version text\n");
		return -EINVAL;
	}
	return 0;
}

static struct om_component om_proc_component = {
	.name = "proc",
	.owner = THIS_MODULE,
	.selftest = om_proc_selftest,
};

int om_proc_init(void)
{
	int ret = -ENOMEM;

	om_proc_root = proc_mkdir("hpc", NULL);
	if (!om_proc_root)
		return -ENOMEM;
	if (!proc_create_single("version", 0444, om_proc_root,
				om_proc_version_show))
		goto err;
	if (!proc_create_seq_private("procs", 0444, om_proc_root, &om_procs_ops,
				     sizeof(struct om_procs_iter), NULL))
		goto err;
	if (!proc_create("selected", OM_PROC_SELECTED_MODE, om_proc_root, &om_selected_ops))
		goto err;
	om_proc_nodes = proc_mkdir("nodes", om_proc_root);
	if (!om_proc_nodes)
		goto err;
	ret = om_component_register(&om_proc_component);
	if (ret)
		goto err;
	ret = om_node_notifier_register(&om_proc_node_nb);
	if (ret)
		goto err_component;
	return 0;
err_component:
	om_component_unregister(&om_proc_component);
err:
	proc_remove(om_proc_root);
	om_proc_root = NULL;
	om_proc_nodes = NULL;
	return ret;
}

void om_proc_exit(void)
{
	om_node_notifier_unregister(&om_proc_node_nb);
	om_component_unregister(&om_proc_component);
	mutex_lock(&om_proc_lock);
	proc_remove(om_proc_root);
	om_proc_root = NULL;
	om_proc_nodes = NULL;
	mutex_unlock(&om_proc_lock);
}
