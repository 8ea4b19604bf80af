// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * /sys/kernel/openmosix: the tuning knobs.  Every write is parsed and
 * range-checked before anything changes, so a bad value leaves the old
 * one in place and returns -EINVAL.
 */
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_crypto.h"
#include "common/om_mfs_wire.h"

struct om_tunables om_tun = {
	.node_id = 0,		/* 0: derived from the address at start */
	.port = 4660,		/* openMosix 2.4's migration port */
	.speed = 10000,		/* openMosix's yardstick: 10000 = reference CPU */
	.hb_interval_ms = 1000,
	.hb_timeout_ms = 5000,
	.gossip_interval_ms = 1000,
	.gossip_fanout = 2,
	.balance = 1,
	.balance_interval_ms = 2000,
	.load_limit = 0,	/* 0: no limit */
	.disclosure = 1,
	.ghost_limit = 1u << 20,	/* 1 MiB, criu's --ghost-limit default */
	.mfs_timeout_ms = 30000,
	.mfs_promise_ms = 30000,
	.dfsa_paths = 1,
	.fwd_poll_us = OM_FWD_POLL_US_DEF,
	.wire_mode = OM_WIRE_MODE_PRIVATE,
};
EXPORT_SYMBOL_GPL(om_tun);

static DEFINE_MUTEX(om_tun_lock);

struct om_knob {
	struct kobj_attribute attr;
	unsigned int *val;
	unsigned int min, max;
	/* optional cross-field check, called with om_tun_lock held */
	int (*check)(unsigned int v);
	/* optional, called after a successful change */
	void (*changed)(void);
};

static int om_check_hb_timeout(unsigned int v)
{
	/* a timeout shorter than two heartbeats flaps on one lost beat */
	return v >= 2 * om_tun.hb_interval_ms ? 0 : -EINVAL;
}

static int om_check_hb_interval(unsigned int v)
{
	return om_tun.hb_timeout_ms >= 2 * v ? 0 : -EINVAL;
}

static ssize_t om_knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct om_knob *k = container_of(attr, struct om_knob, attr);

	return sysfs_emit(buf, "%u\n", READ_ONCE(*k->val));
}

/* Parse and validate; the only way knobs change (sysfs and selftest). */
static int om_knob_set(struct om_knob *k, const char *buf)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(buf, 0, &v);
	if (ret)
		return -EINVAL;
	if (v < k->min || v > k->max)
		return -EINVAL;
	mutex_lock(&om_tun_lock);
	ret = k->check ? k->check(v) : 0;
	if (!ret)
		WRITE_ONCE(*k->val, v);
	mutex_unlock(&om_tun_lock);
	if (!ret && k->changed)
		k->changed();
	return ret;
}

static ssize_t om_knob_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct om_knob *k = container_of(attr, struct om_knob, attr);
	int ret = om_knob_set(k, buf);

	return ret ? ret : count;
}

#define OM_KNOB2(_name, _min, _max, _check, _changed)			\
	static struct om_knob om_knob_##_name = {			\
		.attr = __ATTR(_name, 0644, om_knob_show, om_knob_store), \
		.val = &om_tun._name, .min = _min, .max = _max,		\
		.check = _check, .changed = _changed,			\
	}
#define OM_KNOB(_name, _min, _max, _check) OM_KNOB2(_name, _min, _max, _check, NULL)

OM_KNOB(node_id, 0, 65535, NULL);
OM_KNOB2(port, 1, 65535, NULL, om_transport_port_changed);
OM_KNOB(speed, 1, 1000000, NULL);
OM_KNOB(hb_interval_ms, 100, 60000, om_check_hb_interval);
OM_KNOB(hb_timeout_ms, 200, 600000, om_check_hb_timeout);
OM_KNOB(gossip_interval_ms, 100, 60000, NULL);
OM_KNOB(gossip_fanout, 1, 16, NULL);
OM_KNOB(balance, 0, 1, NULL);
OM_KNOB(balance_interval_ms, 100, 600000, NULL);
OM_KNOB(load_limit, 0, 1000000, NULL);
OM_KNOB(stay, 0, 1, NULL);
OM_KNOB(lstay, 0, 1, NULL);
OM_KNOB(quiet, 0, 1, NULL);
OM_KNOB(disclosure, 0, 3, NULL);
OM_KNOB(ghost_limit, 0, OM_GHOST_LIMIT_MAX, NULL);
OM_KNOB(mfs_root, 0, 1, NULL);
OM_KNOB(mfs_timeout_ms, 1000, 600000, NULL);
OM_KNOB(mfs_promise_ms, 0, OM_MFS_PROMISE_MAX_MS, NULL);
OM_KNOB2(dfsa_paths, 0, 1, NULL, om_dfsa_view_knob);
OM_KNOB(fwd_poll_us, 0, OM_FWD_POLL_US_MAX, NULL);

/*
 * wire_mode: "private" or "integrity", by name.  It applies to connections
 * made after the change; those up keep the mode they were made with until
 * they close (idle, node down, module unload), and a peer with the other
 * mode is refused, so change it on every node, best before the cluster key
 * is loaded (openmosix.conf's WIRE_MODE is).
 */
static ssize_t wire_mode_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  om_wire_mode_name(READ_ONCE(om_tun.wire_mode)));
}

static ssize_t wire_mode_store(struct kobject *kobj,
			       struct kobj_attribute *attr, const char *buf,
			       size_t count)
{
	unsigned int mode, old;

	if (sysfs_streq(buf, "private"))
		mode = OM_WIRE_MODE_PRIVATE;
	else if (sysfs_streq(buf, "integrity"))
		mode = OM_WIRE_MODE_INTEGRITY;
	else
		return -EINVAL;
	mutex_lock(&om_tun_lock);
	old = om_tun.wire_mode;
	WRITE_ONCE(om_tun.wire_mode, mode);
	mutex_unlock(&om_tun_lock);
	if (old != mode)
		pr_info("wire_mode %s (was %s): for connections made from now on\n",
			om_wire_mode_name(mode), om_wire_mode_name(old));
	return count;
}
static struct kobj_attribute om_attr_wire_mode = __ATTR_RW(wire_mode);

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", OM_VERSION);
}
static struct kobj_attribute om_attr_version = __ATTR_RO(version);

static struct attribute *om_attrs[] = {
	&om_knob_node_id.attr.attr,
	&om_knob_port.attr.attr,
	&om_knob_speed.attr.attr,
	&om_knob_hb_interval_ms.attr.attr,
	&om_knob_hb_timeout_ms.attr.attr,
	&om_knob_gossip_interval_ms.attr.attr,
	&om_knob_gossip_fanout.attr.attr,
	&om_knob_balance.attr.attr,
	&om_knob_balance_interval_ms.attr.attr,
	&om_knob_load_limit.attr.attr,
	&om_knob_stay.attr.attr,
	&om_knob_lstay.attr.attr,
	&om_knob_quiet.attr.attr,
	&om_knob_disclosure.attr.attr,
	&om_knob_ghost_limit.attr.attr,
	&om_knob_mfs_root.attr.attr,
	&om_knob_mfs_timeout_ms.attr.attr,
	&om_knob_mfs_promise_ms.attr.attr,
	&om_knob_dfsa_paths.attr.attr,
	&om_knob_fwd_poll_us.attr.attr,
	&om_attr_wire_mode.attr,
	&om_attr_version.attr,
	NULL,
};

static const struct attribute_group om_attr_group = {
	.attrs = om_attrs,
};

struct kobject *om_kobj;
EXPORT_SYMBOL_GPL(om_kobj);

int om_sysfs_selftest(void)
{
	static const struct {
		const char *in;
		int ret;
	} cases[] = {
		{ "17", 0 }, { "0x20", 0 }, { "17\n", 0 }, { "-1", -EINVAL },
		{ "", -EINVAL }, { "abc", -EINVAL }, { "4", -EINVAL },
		{ "1000001", -EINVAL }, { "99999999999999999999", -EINVAL },
	};
	struct om_knob k = { .val = NULL, .min = 5, .max = 1000000 };
	unsigned int v = 42;
	int i, fails = 0;

	k.val = &v;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int before = v;
		int ret = om_knob_set(&k, cases[i].in);

		if (ret != cases[i].ret || (ret && v != before)) {
			pr_err("sysfs self-test %d: FAIL\n", i + 1);
			fails++;
		}
	}
	return fails ? -EINVAL : 0;
}

int om_sysfs_init(void)
{
	int ret;

	/* module parameters may have set values outside the knob ranges */
	if (om_tun.node_id > 65535 || !om_tun.port || om_tun.port > 65535) {
		pr_err("node_id must be 0..65535 and port 1..65535\n");
		return -EINVAL;
	}
	if (om_tun.ghost_limit > OM_GHOST_LIMIT_MAX) {
		pr_err("ghost_limit must be at most %u\n", OM_GHOST_LIMIT_MAX);
		return -EINVAL;
	}
	if (om_tun.balance > 1 || om_tun.mfs_root > 1) {
		pr_err("balance and mfs_root must be 0 or 1\n");
		return -EINVAL;
	}
	om_kobj = kobject_create_and_add("openmosix", kernel_kobj);
	if (!om_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(om_kobj, &om_attr_group);
	if (ret) {
		kobject_put(om_kobj);
		om_kobj = NULL;
	}
	return ret;
}

void om_sysfs_exit(void)
{
	sysfs_remove_group(om_kobj, &om_attr_group);
	kobject_put(om_kobj);
	om_kobj = NULL;
}
