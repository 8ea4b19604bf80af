// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Component registry and self-test hook.  Writing 1 to
 * /sys/kernel/openmosix/selftest runs every registered component's
 * self-test; reading it shows "passed N failed M" of the last run.
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "om_core.h"

static LIST_HEAD(om_components);
static DEFINE_MUTEX(om_components_lock);
static unsigned int om_st_passed, om_st_failed;
static bool om_st_ran;

int om_component_register(struct om_component *c)
{
	struct om_component *it;
	int ret = 0;

	mutex_lock(&om_components_lock);
	list_for_each_entry(it, &om_components, list) {
		if (!strcmp(it->name, c->name)) {
			ret = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&c->list, &om_components);
	pr_debug("component %s registered\n", c->name);
out:
	mutex_unlock(&om_components_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(om_component_register);

void om_component_unregister(struct om_component *c)
{
	mutex_lock(&om_components_lock);
	list_del(&c->list);
	mutex_unlock(&om_components_lock);
	pr_debug("component %s unregistered\n", c->name);
}
EXPORT_SYMBOL_GPL(om_component_unregister);

static DEFINE_MUTEX(om_selftest_run_lock);	/* one run at a time */

/*
 * Self-tests run without om_components_lock: they may take locks of
 * their own (kprobes, VFS), and components_show() takes om_components_lock
 * under sysfs's of->mutex, so holding it here would order those locks
 * after a sysfs file's.  Components live in this module and cannot go
 * away while its sysfs files are being written.
 */
int om_selftest_run_all(unsigned int *passed, unsigned int *failed)
{
	struct {
		const char *name;
		int (*fn)(void);
	} t[16];
	struct om_component *c;
	unsigned int n = 0, i;

	*passed = 0;
	*failed = 0;
	mutex_lock(&om_selftest_run_lock);
	mutex_lock(&om_components_lock);
	list_for_each_entry(c, &om_components, list) {
		if (c->selftest && n < ARRAY_SIZE(t)) {
			t[n].name = c->name;
			t[n].fn = c->selftest;
			n++;
		}
	}
	mutex_unlock(&om_components_lock);
	for (i = 0; i < n; i++) {
		int ret = t[i].fn();

		if (ret) {
			pr_err("%s self-tests: FAIL (%d)\n", t[i].name, ret);
			(*failed)++;
		} else {
			pr_info("%s self-tests: pass\n", t[i].name);
			(*passed)++;
		}
	}
	mutex_lock(&om_components_lock);
	om_st_passed = *passed;
	om_st_failed = *failed;
	om_st_ran = true;
	mutex_unlock(&om_components_lock);
	mutex_unlock(&om_selftest_run_lock);
	return *failed ? -EINVAL : 0;
}

static ssize_t selftest_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	ssize_t ret;

	mutex_lock(&om_components_lock);
	if (!om_st_ran)
		ret = sysfs_emit(buf, "not run\n");
	else
		ret = sysfs_emit(buf, "passed %u failed %u\n", om_st_passed,
				 om_st_failed);
	mutex_unlock(&om_components_lock);
	return ret;
}

static ssize_t selftest_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int p, f;
	bool run;

	if (kstrtobool(buf, &run) || !run)
		return -EINVAL;
	return om_selftest_run_all(&p, &f) ? -EIO : count;
}
static struct kobj_attribute om_attr_selftest = __ATTR_RW_MODE(selftest, 0600);

static ssize_t components_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct om_component *c;
	ssize_t len = 0;

	mutex_lock(&om_components_lock);
	list_for_each_entry(c, &om_components, list)
		len += sysfs_emit_at(buf, len, "%s\n", c->name);
	mutex_unlock(&om_components_lock);
	return len;
}
static struct kobj_attribute om_attr_components = __ATTR_RO(components);

static struct attribute *om_st_attrs[] = {
	&om_attr_selftest.attr,
	&om_attr_components.attr,
	NULL,
};

static const struct attribute_group om_st_group = {
	.attrs = om_st_attrs,
};

static struct om_component om_core_component = {
	.name = "core",
	.owner = THIS_MODULE,
	.selftest = om_core_selftest,
};

int om_selftest_init(void)
{
	int ret = sysfs_create_group(om_kobj, &om_st_group);

	if (ret)
		return ret;
	ret = om_component_register(&om_core_component);
	if (ret)
		sysfs_remove_group(om_kobj, &om_st_group);
	return ret;
}

void om_selftest_exit(void)
{
	om_component_unregister(&om_core_component);
	sysfs_remove_group(om_kobj, &om_st_group);
}
