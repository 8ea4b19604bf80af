// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Where a forwarded system call's time goes.  While the root-only knob
 * /sys/kernel/openmosix/fwd_timing is 1, the guest (om_guest.c) and the
 * deputy (om_deputy.c) take a ktime_get_ns() at fixed marks of every
 * forwarded call (om_migrate.h, OM_FT_G_* and OM_FT_D_*), and the
 * stages between them are summed here: calls, nanoseconds, the longest,
 * per stage, in /sys/kernel/openmosix/fwd_stages/.  So are the SYSREQs
 * and SYSREPs that reached their task: read by the waiting task itself
 * (om_sess_claim) or by the connection's receive thread (om_sess_rx).
 * While it is 0, the default, nothing is stamped or counted: a call pays
 * one load of the knob.  Writing 1 zeroes everything first.
 *
 * The sums are atomic64_t, added to without a lock; only the knob's
 * writers take one.  A call is summed only when every one of its marks
 * was taken after the last reset: one in flight while the knob changes
 * is left out (one that ends while the sums are being zeroed may still
 * be counted in part).
 */
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/mutex.h>

#include "om_core.h"
#include "om_migrate.h"

enum om_ft_stage {
	OM_FT_GUEST_SEND,	/* entry -> request sent */
	OM_FT_GUEST_WAIT,	/* sent -> woken */
	OM_FT_GUEST_RECV,	/* woken -> reply decoded */
	OM_FT_GUEST_RET,	/* reply -> return to user mode */
	OM_FT_GUEST_TOTAL,	/* entry -> return */
	OM_FT_DEP_PREP,		/* woken -> registers set */
	OM_FT_DEP_CALL,		/* set -> the call returned */
	OM_FT_DEP_REPLY,	/* returned -> reply sent */
	OM_FT_DEP_TOTAL,	/* woken -> reply sent */
	OM_FT_NSTAGES,
};

struct om_ft_sum {
	atomic64_t n, ns, max;
};

int om_ft_enabled;
atomic_t om_ft_gen = ATOMIC_INIT(0);
static struct om_ft_sum om_ft_sums[OM_FT_NSTAGES];
static atomic64_t om_ft_frames[2];	/* [0] by the receive thread, [1] claimed */
static atomic64_t om_ft_polls;		/* waits that polling ended (fwd_poll_us) */
static DEFINE_MUTEX(om_ft_lock);	/* the knob's writers */

static void om_ft_add(enum om_ft_stage st, u64 ns)
{
	struct om_ft_sum *s = &om_ft_sums[st];
	s64 max = atomic64_read(&s->max);

	atomic64_inc(&s->n);
	atomic64_add(ns, &s->ns);
	while ((s64)ns > max && !atomic64_try_cmpxchg(&s->max, &max, ns))
		;
}

/*
 * Marks 0..n-1 of @c into the stages first..first+n-2, then the whole
 * into @total, if they were all taken, in order, since the last reset
 */
static void om_ft_sum_call(const struct om_ft_call *c, unsigned int n,
			   enum om_ft_stage first, enum om_ft_stage total)
{
	unsigned int i;

	if (c->gen != atomic_read(&om_ft_gen))
		return;
	for (i = 0; i < n; i++)
		if (!c->t[i] || (i && c->t[i] < c->t[i - 1]))
			return;
	for (i = 1; i < n; i++)
		om_ft_add(first + i - 1, c->t[i] - c->t[i - 1]);
	om_ft_add(total, c->t[n - 1] - c->t[0]);
}

/* A timed call's last mark (@n - 1) now, its stages summed, the marks cleared */
static void om_ft_end(struct om_ft_call *c, unsigned int n, enum om_ft_stage first,
		      enum om_ft_stage total)
{
	if (!c->t[0])
		return;
	c->t[n - 1] = ktime_get_ns();
	om_ft_sum_call(c, n, first, total);
	memset(c, 0, sizeof(*c));
}

void om_ft_guest_end(struct om_ft_call *c)
{
	om_ft_end(c, OM_FT_G_MARKS, OM_FT_GUEST_SEND, OM_FT_GUEST_TOTAL);
}

void om_ft_dep_end(struct om_ft_call *c)
{
	om_ft_end(c, OM_FT_D_MARKS, OM_FT_DEP_PREP, OM_FT_DEP_TOTAL);
}

void om_ft_frame(bool claimed)
{
	if (om_ft_on())
		atomic64_inc(&om_ft_frames[claimed]);
}

void om_ft_polled(void)
{
	if (om_ft_on())
		atomic64_inc(&om_ft_polls);
}

/* ---------------------------------------------------------------- sysfs */

static ssize_t fwd_timing_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(om_ft_enabled));
}

/* 1: zero the sums, then stamp; 0: stop (the sums stay to be read) */
static ssize_t fwd_timing_store(struct kobject *kobj, struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	unsigned int v, i;

	if (kstrtouint(buf, 0, &v) || v > 1)
		return -EINVAL;
	mutex_lock(&om_ft_lock);
	if (v) {
		/* calls begun before are left out (om_ft_sum_call) */
		atomic_inc(&om_ft_gen);
		for (i = 0; i < OM_FT_NSTAGES; i++) {
			atomic64_set(&om_ft_sums[i].n, 0);
			atomic64_set(&om_ft_sums[i].ns, 0);
			atomic64_set(&om_ft_sums[i].max, 0);
		}
		atomic64_set(&om_ft_frames[0], 0);
		atomic64_set(&om_ft_frames[1], 0);
		atomic64_set(&om_ft_polls, 0);
	}
	WRITE_ONCE(om_ft_enabled, v);
	mutex_unlock(&om_ft_lock);
	return count;
}

static struct kobj_attribute om_attr_fwd_timing = __ATTR_RW(fwd_timing);

static struct attribute *om_ft_knob_attrs[] = {
	&om_attr_fwd_timing.attr,
	NULL,
};

static const struct attribute_group om_ft_knob_group = {
	.attrs = om_ft_knob_attrs,
};

/* A stage's file: "CALLS SUM_NS MAX_NS" */
struct om_ft_attr {
	struct kobj_attribute attr;
	enum om_ft_stage st;
};

static ssize_t om_ft_stage_show(struct kobject *kobj, struct kobj_attribute *attr,
				char *buf)
{
	const struct om_ft_sum *s = &om_ft_sums[container_of(attr, struct om_ft_attr, attr)->st];

	return sysfs_emit(buf, "%llu %llu %llu\n", (u64)atomic64_read(&s->n),
			  (u64)atomic64_read(&s->ns), (u64)atomic64_read(&s->max));
}

#define OM_FT_STAGE(_name, _st)						\
	static struct om_ft_attr om_ft_attr_##_name = {			\
		.attr = __ATTR(_name, 0444, om_ft_stage_show, NULL),	\
		.st = _st,						\
	}

OM_FT_STAGE(guest_send, OM_FT_GUEST_SEND);
OM_FT_STAGE(guest_wait, OM_FT_GUEST_WAIT);
OM_FT_STAGE(guest_recv, OM_FT_GUEST_RECV);
OM_FT_STAGE(guest_ret, OM_FT_GUEST_RET);
OM_FT_STAGE(guest_total, OM_FT_GUEST_TOTAL);
OM_FT_STAGE(dep_prep, OM_FT_DEP_PREP);
OM_FT_STAGE(dep_call, OM_FT_DEP_CALL);
OM_FT_STAGE(dep_reply, OM_FT_DEP_REPLY);
OM_FT_STAGE(dep_total, OM_FT_DEP_TOTAL);

static ssize_t frames_claimed_show(struct kobject *kobj, struct kobj_attribute *attr,
				   char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_ft_frames[1]));
}

static ssize_t frames_thread_show(struct kobject *kobj, struct kobj_attribute *attr,
				  char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_ft_frames[0]));
}

static ssize_t waits_polled_show(struct kobject *kobj, struct kobj_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_ft_polls));
}

static struct kobj_attribute om_attr_frames_claimed = __ATTR_RO(frames_claimed);
static struct kobj_attribute om_attr_waits_polled = __ATTR_RO(waits_polled);
static struct kobj_attribute om_attr_frames_thread = __ATTR_RO(frames_thread);

static struct attribute *om_ft_stage_attrs[] = {
	&om_ft_attr_guest_send.attr.attr,
	&om_ft_attr_guest_wait.attr.attr,
	&om_ft_attr_guest_recv.attr.attr,
	&om_ft_attr_guest_ret.attr.attr,
	&om_ft_attr_guest_total.attr.attr,
	&om_ft_attr_dep_prep.attr.attr,
	&om_ft_attr_dep_call.attr.attr,
	&om_ft_attr_dep_reply.attr.attr,
	&om_ft_attr_dep_total.attr.attr,
	&om_attr_frames_claimed.attr,
	&om_attr_frames_thread.attr,
	&om_attr_waits_polled.attr,
	NULL,
};

static const struct attribute_group om_ft_stage_group = {
	.name = "fwd_stages",
	.attrs = om_ft_stage_attrs,
};

int om_ft_init(void)
{
	int err = sysfs_create_group(om_kobj, &om_ft_knob_group);

	if (err)
		return err;
	err = sysfs_create_group(om_kobj, &om_ft_stage_group);
	if (err)
		sysfs_remove_group(om_kobj, &om_ft_knob_group);
	return err;
}

void om_ft_exit(void)
{
	sysfs_remove_group(om_kobj, &om_ft_stage_group);
	sysfs_remove_group(om_kobj, &om_ft_knob_group);
	WRITE_ONCE(om_ft_enabled, 0);
}
