// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl proc: processes and their migration state (where they run, their
 * home, migrations, the lock, why they cannot move), as openMosix's mps
 * and /proc/PID/{where,lock,cantmove,nmigs} showed them; lock, unlock and
 * the balancing policy (hint, node lists: openMosix's cpujob/iojob and
 * migfilter); migrate and home through OM_IOC_MIGRATE on /dev/openmosix.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>

#include "omctl.h"

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl proc [ list [ --guests ] ]\n"
		"       omctl proc show PID\n"
		"       omctl proc lock PID\n"
		"       omctl proc unlock PID\n"
		"       omctl proc set PID SETTING [ SETTING ]...\n"
		"       omctl proc migrate PID { NODE | home } [ --wait ]\n"
		"       omctl proc home PID [ --wait ]\n"
		"       omctl proc help\n"
		"NODE := node ID (1..65535) or address, as \"omctl node show\" takes it\n"
		"SETTING := { lock { on | off }\n"
		"           | hint { cpu | io | none }   CPU- or I/O-bound (cpujob, iojob);\n"
		"                                        it fades as the process shows\n"
		"                                        what it is\n"
		"           | nodes { LIST | all }       the balancer moves it only there\n"
		"           | deny { LIST | none } }     ... never there\n"
		"LIST := ID[-ID][,ID[-ID]]..., at most 8 nodes; home is always allowed\n"
		"A locked process is never moved automatically.  Children forked\n"
		"afterwards inherit the lock, the hint and the node list.  You may set\n"
		"and migrate your own processes (your real or effective uid), root any.\n"
		"Without --wait, migrate returns at once and \"omctl monitor\" shows\n"
		"the outcome.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

struct list_ctx {
	unsigned int count;
};

static int list_cb(struct nlattr **tb, void *arg)
{
	struct list_ctx *c = arg;
	struct om_proc_info p;

	if (om_proc_parse(tb[OM_A_PROC], &p))
		return 0;
	om_proc_table_row(&p);
	c->count++;
	return 0;
}

static int proc_list(int argc, char **argv)
{
	struct list_ctx c = { 0 };
	struct nlattr *nest;
	bool guests = false;
	struct nl_msg *msg;
	int ret;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--guests") || !strcmp(argv[i], "-g"))
			guests = true;
		else
			return toomany(argv[i]);
	}
	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_proc_msg(OM_CMD_GET_PROC, NLM_F_DUMP, &nest);
	if (!msg)
		return om_enomem();
	if (guests && nla_put_flag(msg, OM_PA_GUEST)) {
		nlmsg_free(msg);
		return om_enomem();
	}
	nla_nest_end(msg, nest);
	om_proc_list_begin();
	ret = om_nl_talk(msg, guests ? "proc list --guests" : "proc list",
			 list_cb, &c);
	om_proc_list_end();
	return ret;
}

struct get_ctx {
	struct om_proc_info *p;
	bool got;
};

static int show_cb(struct nlattr **tb, void *arg)
{
	struct get_ctx *c = arg;

	if (!c->got && !om_proc_parse(tb[OM_A_PROC], c->p))
		c->got = true;
	return 0;
}

static int proc_show(int argc, char **argv)
{
	struct om_proc_info p;
	struct get_ctx c = { .p = &p };
	struct nlattr *nest;
	struct nl_msg *msg;
	uint32_t pid;
	int ret;

	if (argc < 1) {
		fprintf(stderr, "omctl: proc show: missing PID\n");
		return EXIT_USAGE;
	}
	if (parse_pid(argv[0], &pid))
		return invarg("PID", argv[0]);
	if (argc > 1)
		return toomany(argv[1]);
	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_proc_msg(OM_CMD_GET_PROC, 0, &nest);
	if (!msg)
		return om_enomem();
	if (nla_put_u32(msg, OM_PA_PID, pid)) {
		nlmsg_free(msg);
		return om_enomem();
	}
	nla_nest_end(msg, nest);
	ret = om_nl_talk(msg, "proc show", show_cb, &c);
	if (ret)
		return ret;
	if (!c.got) {
		fprintf(stderr, "omctl: proc show: no process in the kernel's reply\n");
		return EXIT_KERNEL;
	}
	om_proc_show(&p);
	return 0;
}

/* A node list argument; 0 or EXIT_USAGE with the message */
static int nodelist_arg(const char *what, const char *arg, uint16_t *ids,
			uint8_t *n)
{
	int err = om_parse_nodelist(arg, ids, n);

	if (err == -E2BIG)
		fprintf(stderr, "omctl: %s: \"%s\": at most %d nodes\n", what, arg,
			OM_PROC_NODES_MAX);
	else if (err)
		fprintf(stderr, "omctl: %s: invalid node list \"%s\" (ID[-ID][,ID[-ID]]..., IDs 1..65535)\n",
			what, arg);
	return err ? EXIT_USAGE : 0;
}

/* omctl proc set PID SETTING...: every setting checked before any is sent */
static int proc_set(int argc, char **argv)
{
	static const char what[] = "proc set";
	struct om_proc_pol pol = { 0 };
	uint32_t pid;
	int ret;

	if (argc < 1) {
		fprintf(stderr, "omctl: %s: missing PID\n", what);
		return EXIT_USAGE;
	}
	if (parse_pid(argv[0], &pid))
		return invarg("PID", argv[0]);
	if (argc < 2) {
		fprintf(stderr, "omctl: %s: missing SETTING (lock, hint, nodes or deny)\n",
			what);
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i += 2) {
		const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool nodes = !strcmp(key, "nodes"), deny = !strcmp(key, "deny");
		bool *set = !strcmp(key, "lock") ? &pol.set_lock :
			    !strcmp(key, "hint") ? &pol.set_hint :
			    nodes || deny ? &pol.set_nodes : NULL;

		if (!set) {
			fprintf(stderr, "omctl: %s: unknown setting \"%s\" (lock, hint, nodes, deny)\n",
				what, key);
			return EXIT_USAGE;
		}
		if (!val) {
			fprintf(stderr, "omctl: %s: %s without a value\n", what, key);
			return EXIT_USAGE;
		}
		if (*set) {
			fprintf(stderr, "omctl: %s: %s given twice\n", what,
				set == &pol.set_nodes ? "nodes or deny" : key);
			return EXIT_USAGE;
		}
		*set = true;
		if (set == &pol.set_lock) {
			if (!strcmp(val, "on") || !strcmp(val, "1"))
				pol.locked = true;
			else if (strcmp(val, "off") && strcmp(val, "0"))
				return invarg("lock (on or off)", val);
		} else if (set == &pol.set_hint) {
			if (!strcmp(val, "cpu"))
				pol.hint = OM_HINT_CPU;
			else if (!strcmp(val, "io"))
				pol.hint = OM_HINT_IO;
			else if (strcmp(val, "none"))
				return invarg("hint (cpu, io or none)", val);
		} else if ((nodes && !strcmp(val, "all")) ||
			   (deny && !strcmp(val, "none"))) {
			pol.node_policy = OM_NODES_ANY;
		} else {
			pol.node_policy = nodes ? OM_NODES_ALLOW : OM_NODES_DENY;
			ret = nodelist_arg(what, val, pol.nodes, &pol.n_nodes);
			if (ret)
				return ret;
		}
	}
	ret = om_nl_open(false);
	if (ret)
		return ret;
	return om_proc_set_policy(pid, &pol, what);
}

static int proc_lock(int argc, char **argv, const char *what, bool locked)
{
	uint32_t pid;
	int ret;

	if (argc < 1) {
		fprintf(stderr, "omctl: %s: missing PID\n", what);
		return EXIT_USAGE;
	}
	if (parse_pid(argv[0], &pid))
		return invarg("PID", argv[0]);
	if (argc > 1)
		return toomany(argv[1]);
	ret = om_nl_open(false);
	if (ret)
		return ret;
	return om_proc_set_lock(pid, locked, what);
}

/* A migration asked for without --wait */
void om_mig_print_requested(uint32_t pid, uint32_t node)
{
	char to[32];

	om_mig_fmt_target(node, to, sizeof(to));
	open_json_object(NULL);
	print_uint(PRINT_ANY, "pid", "migration of %u", pid);
	print_string(PRINT_FP, NULL, " to %s", to);
	print_uint(PRINT_JSON, "node", NULL, node);
	print_bool(PRINT_JSON, "home", NULL, node == OM_MIG_HOME);
	print_bool(PRINT_JSON, "requested", NULL, true);
	print_string(PRINT_FP, NULL, "%s\n",
		     " requested; \"omctl monitor\" shows the outcome");
	close_json_object();
	print_end();
}

/* A migration made with --wait: what it moved and how long it was frozen */
void om_mig_print_done(uint32_t pid, uint32_t node,
		       const struct om_migrate_req *req)
{
	char to[32];

	char ms[32];

	om_mig_fmt_target(node, to, sizeof(to));
	snprintf(ms, sizeof(ms), "%.1f", req->usecs / 1000.0);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "pid", "migrated %u", pid);
	print_string(PRINT_FP, NULL, " to %s", to);
	print_uint(PRINT_JSON, "node", NULL, node);
	print_bool(PRINT_JSON, "home", NULL, node == OM_MIG_HOME);
	print_u64(PRINT_ANY, "pages", ": %llu pages", req->pages);
	print_u64(PRINT_ANY, "bytes", ", %llu bytes", req->bytes);
	print_u64(PRINT_JSON, "usecs", NULL, req->usecs);
	print_string(PRINT_FP, NULL, ", %s ms frozen\n", ms);
	close_json_object();
	print_end();
}

static int proc_migrate(int argc, char **argv, bool home)
{
	const char *what = home ? "proc home" : "proc migrate";
	const char *pid_arg = NULL, *node_arg = home ? "home" : NULL;
	struct om_migrate_req req;
	bool wait = false;
	uint32_t pid, node = 0;
	int dev, ret;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--wait") || !strcmp(argv[i], "-w"))
			wait = true;
		else if (!pid_arg)
			pid_arg = argv[i];
		else if (!node_arg)
			node_arg = argv[i];
		else
			return toomany(argv[i]);
	}
	if (!pid_arg || !node_arg) {
		fprintf(stderr, "omctl: %s: missing %s\n", what,
			pid_arg ? "NODE (or \"home\")" : "PID");
		return EXIT_USAGE;
	}
	if (parse_pid(pid_arg, &pid))
		return invarg("PID", pid_arg);
	/* syntax first, so a typo is exit 1 even without the module */
	if (strcmp(node_arg, "home") && !om_node_arg_ok(node_arg))
		return invarg("node (ID, address or \"home\")", node_arg);
	ret = om_mig_resolve_node(node_arg, what, &node);
	if (ret)
		return ret;

	dev = om_mig_open_dev();
	if (dev < 0)
		return EXIT_KERNEL;
	if (!wait) {
		ret = om_mig_detach(dev, pid, node);
		close(dev);
		if (!ret)
			om_mig_print_requested(pid, node);
		return ret;
	}
	ret = om_mig_wait(dev, pid, node, &req);
	close(dev);
	if (ret < 0) {
		om_mig_perror(pid, node, ret, &req);
		return EXIT_KERNEL;
	}
	om_mig_print_done(pid, node, &req);
	return 0;
}

int do_proc(int argc, char **argv)
{
	if (argc < 1)
		return proc_list(0, NULL);
	if (is_help(argv[0]))
		return usage(stdout);
	if (matches(argv[0], "list") || !strcmp(argv[0], "ls"))
		return proc_list(argc - 1, argv + 1);
	if (matches(argv[0], "show"))
		return proc_show(argc - 1, argv + 1);
	if (matches(argv[0], "lock"))
		return proc_lock(argc - 1, argv + 1, "proc lock", true);
	if (matches(argv[0], "unlock"))
		return proc_lock(argc - 1, argv + 1, "proc unlock", false);
	if (!strcmp(argv[0], "set"))
		return proc_set(argc - 1, argv + 1);
	if (matches(argv[0], "migrate"))
		return proc_migrate(argc - 1, argv + 1, false);
	if (matches(argv[0], "home"))
		return proc_migrate(argc - 1, argv + 1, true);
	fprintf(stderr, "Command \"%s\" is unknown, try \"omctl proc help\".\n",
		argv[0]);
	return EXIT_USAGE;
}
