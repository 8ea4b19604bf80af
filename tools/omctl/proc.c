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
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
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

static struct nla_policy proc_policy[OM_PA_MAX + 1] = {
	[OM_PA_PID] = { .type = NLA_U32 },
	[OM_PA_WHERE] = { .type = NLA_U16 },
	[OM_PA_HOME] = { .type = NLA_U16 },
	[OM_PA_HOME_PID] = { .type = NLA_U32 },
	[OM_PA_NMIGS] = { .type = NLA_U32 },
	[OM_PA_LOCKED] = { .type = NLA_U8 },
	[OM_PA_CANTMOVE] = { .type = NLA_STRING },
	[OM_PA_AWAY_MS] = { .type = NLA_U64 },
	[OM_PA_UID] = { .type = NLA_U32 },
	[OM_PA_COMM] = { .type = NLA_STRING },
	[OM_PA_GUEST] = { .type = NLA_FLAG },
	[OM_PA_HINT] = { .type = NLA_U8 },
	[OM_PA_HINT_LEFT] = { .type = NLA_U16 },
	[OM_PA_NODE_POLICY] = { .type = NLA_U8 },
	[OM_PA_NODE] = { .type = NLA_U16 },
};

static void get_str(struct nlattr *a, char *buf, size_t len)
{
	size_t n = nla_len(a);

	if (n >= len)
		n = len - 1;
	memcpy(buf, nla_data(a), n);
	buf[n] = '\0';
}

int om_proc_parse(struct nlattr *nest, struct om_proc_info *p)
{
	struct nlattr *tb[OM_PA_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (!nest || nla_parse_nested(tb, OM_PA_MAX, nest, proc_policy) < 0 ||
	    !tb[OM_PA_PID])
		return -EINVAL;
	p->pid = nla_get_u32(tb[OM_PA_PID]);
#define GET(a, f, t) do { if (tb[a]) p->f = nla_get_##t(tb[a]); } while (0)
	GET(OM_PA_WHERE, where, u16);
	GET(OM_PA_HOME, home, u16);
	GET(OM_PA_HOME_PID, home_pid, u32);
	GET(OM_PA_NMIGS, nmigs, u32);
	GET(OM_PA_LOCKED, locked, u8);
	GET(OM_PA_AWAY_MS, away_ms, u64);
	GET(OM_PA_UID, uid, u32);
	p->has_away = tb[OM_PA_AWAY_MS] != NULL;
	p->guest = tb[OM_PA_GUEST] != NULL;
	if (tb[OM_PA_COMM])
		get_str(tb[OM_PA_COMM], p->comm, sizeof(p->comm));
	if (tb[OM_PA_CANTMOVE]) {
		p->cantmove = true;
		get_str(tb[OM_PA_CANTMOVE], p->reason, sizeof(p->reason));
	}
	GET(OM_PA_HINT, hint, u8);
	GET(OM_PA_HINT_LEFT, hint_left, u16);
	GET(OM_PA_NODE_POLICY, node_policy, u8);
#undef GET
	if (p->node_policy) {
		struct nlattr *a;
		int rem;

		/* OM_PA_NODE repeats: tb holds only the last one */
		nla_for_each_nested(a, nest, rem)
			if (nla_type(a) == OM_PA_NODE && nla_len(a) >= 2 &&
			    p->n_nodes < OM_PROC_NODES_MAX)
				p->nodes[p->n_nodes++] = nla_get_u16(a);
	}
	return 0;
}

static const char *hint_name(uint8_t hint)
{
	return hint == OM_HINT_CPU ? "cpu" : hint == OM_HINT_IO ? "io" : NULL;
}

static const char *node_policy_name(uint8_t np)
{
	return np == OM_NODES_ALLOW ? "allow" : np == OM_NODES_DENY ? "deny" : "any";
}

/* "3,5,7" */
static void fmt_nodes(const struct om_proc_info *p, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < p->n_nodes && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%u", i ? "," : "",
				p->nodes[i]);
}

void om_proc_json(const char *key, const struct om_proc_info *p)
{
	jw_open_obj(key);
	jw_uint("pid", p->pid);
	jw_uint("uid", p->uid);
	jw_str("comm", p->comm);
	jw_uint("where", p->where);
	jw_uint("home", p->home);
	jw_uint("nmigs", p->nmigs);
	jw_bool("locked", p->locked);
	if (p->cantmove)
		jw_str("cantmove", p->reason);
	else
		jw_null("cantmove");
	if (p->has_away)
		jw_uint("away_ms", p->away_ms);
	else
		jw_null("away_ms");
	jw_bool("guest", p->guest);
	if (p->guest)
		jw_uint("home_pid", p->home_pid);
	else
		jw_null("home_pid");
	if (hint_name(p->hint)) {
		jw_str("hint", hint_name(p->hint));
		jw_uint("hint_left", p->hint_left);
	} else {
		jw_null("hint");
		jw_null("hint_left");
	}
	jw_str("node_policy", node_policy_name(p->node_policy));
	jw_open_arr("nodes");
	for (unsigned int i = 0; i < p->n_nodes; i++)
		jw_uint(NULL, p->nodes[i]);
	jw_close_arr();
	jw_close_obj();
}

/* Like mps: PID, the node it runs on, home, ..., why it cannot move */
void om_proc_table_head(void)
{
	printf("%7s %6s %5s %5s %5s %-6s %-16s %s\n", "PID", "UID", "WHERE",
	       "HOME", "NMIGS", "LOCKED", "COMMAND", "CANTMOVE");
}

void om_proc_table_row(const struct om_proc_info *p)
{
	printf("%7u %6u %5u %5u %5u %-6s %-16s %s\n", p->pid, p->uid, p->where,
	       p->home, p->nmigs, p->locked ? "yes" : "no", p->comm,
	       p->cantmove ? p->reason : "-");
}

static void fmt_away(uint64_t ms, char *buf, size_t len)
{
	if (ms < 10000)
		snprintf(buf, len, "%.1fs", ms / 1000.0);
	else
		snprintf(buf, len, "%llus", (unsigned long long)ms / 1000);
}

void om_proc_show(const struct om_proc_info *p)
{
	char away[32], nodes[8 * OM_PROC_NODES_MAX];

	printf("process %u (%s)\n", p->pid, p->comm);
	printf("  uid:        %u\n", p->uid);
	if (p->where == p->home)
		printf("  where:      node %u (home)\n", p->where);
	else
		printf("  where:      node %u\n", p->where);
	printf("  home:       node %u\n", p->home);
	if (p->guest)
		printf("  guest:      yes, pid %u at home\n", p->home_pid);
	if (p->has_away) {
		fmt_away(p->away_ms, away, sizeof(away));
		printf("  away:       %s\n", away);
	}
	printf("  migrations: %u\n", p->nmigs);
	printf("  locked:     %s\n", p->locked ? "yes" : "no");
	if (hint_name(p->hint))
		printf("  hint:       %s (%u.%u %% of it left)\n", hint_name(p->hint),
		       p->hint_left / 10, p->hint_left % 10);
	else
		printf("  hint:       -\n");
	fmt_nodes(p, nodes, sizeof(nodes));
	if (p->node_policy == OM_NODES_ALLOW)
		printf("  nodes:      only %s (and home)\n", nodes);
	else if (p->node_policy == OM_NODES_DENY)
		printf("  nodes:      any but %s\n", nodes);
	else
		printf("  nodes:      any\n");
	printf("  cantmove:   %s\n", p->cantmove ? p->reason : "- (it may move)");
}

static int enomem(void)
{
	fprintf(stderr, "omctl: out of memory\n");
	return EXIT_KERNEL;
}

/* "PID": a positive pid_t */
static int parse_pid(const char *s, uint32_t *pid)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > INT32_MAX)
		return -EINVAL;
	*pid = v;
	return 0;
}

/* A message with OM_A_PROC { attrs } ready for cmd; NULL on ENOMEM */
static struct nl_msg *proc_msg(uint8_t cmd, int flags, struct nlattr **nest)
{
	struct nl_msg *msg = om_nl_msg(cmd, flags);

	if (!msg)
		return NULL;
	*nest = nla_nest_start(msg, OM_A_PROC);
	if (!*nest) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
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
	if (json)
		om_proc_json(NULL, &p);
	else
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
	msg = proc_msg(OM_CMD_GET_PROC, NLM_F_DUMP, &nest);
	if (!msg)
		return enomem();
	if (guests && nla_put_flag(msg, OM_PA_GUEST)) {
		nlmsg_free(msg);
		return enomem();
	}
	nla_nest_end(msg, nest);
	if (json)
		jw_open_arr(NULL);
	else
		om_proc_table_head();
	ret = om_nl_talk(msg, guests ? "proc list --guests" : "proc list",
			 list_cb, &c);
	if (json) {
		jw_close_arr();
		jw_end();
	}
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
	msg = proc_msg(OM_CMD_GET_PROC, 0, &nest);
	if (!msg)
		return enomem();
	if (nla_put_u32(msg, OM_PA_PID, pid)) {
		nlmsg_free(msg);
		return enomem();
	}
	nla_nest_end(msg, nest);
	ret = om_nl_talk(msg, "proc show", show_cb, &c);
	if (ret)
		return ret;
	if (!c.got) {
		fprintf(stderr, "omctl: proc show: no process in the kernel's reply\n");
		return EXIT_KERNEL;
	}
	if (json) {
		om_proc_json(NULL, &p);
		jw_end();
	} else {
		om_proc_show(&p);
	}
	return 0;
}

/* Set pid's policy; the netlink socket must be open.  0 or an exit code */
int om_proc_set_policy(uint32_t pid, const struct om_proc_pol *pol,
		       const char *what)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int err = 0;

	msg = proc_msg(OM_CMD_SET_PROC, 0, &nest);
	if (!msg)
		return enomem();
	err |= nla_put_u32(msg, OM_PA_PID, pid);
	if (pol->set_lock)
		err |= nla_put_u8(msg, OM_PA_LOCKED, pol->locked);
	if (pol->set_hint)
		err |= nla_put_u8(msg, OM_PA_HINT, pol->hint);
	if (pol->set_nodes) {
		err |= nla_put_u8(msg, OM_PA_NODE_POLICY, pol->node_policy);
		for (unsigned int i = 0; i < pol->n_nodes; i++)
			err |= nla_put_u16(msg, OM_PA_NODE, pol->nodes[i]);
	}
	if (err) {
		nlmsg_free(msg);
		return enomem();
	}
	nla_nest_end(msg, nest);
	return om_nl_talk(msg, what, NULL, NULL);
}

/* Lock or unlock pid; the netlink socket must be open.  0 or an exit code */
int om_proc_set_lock(uint32_t pid, bool locked, const char *what)
{
	struct om_proc_pol pol = { .set_lock = true, .locked = locked };

	return om_proc_set_policy(pid, &pol, what);
}

/* One node ID of a list: plain decimal 1..65535 */
static int list_id(const char *s, size_t len, uint16_t *id)
{
	unsigned long v = 0;

	if (!len || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > OM_NODE_ID_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

int om_parse_nodelist(const char *s, uint16_t *ids, uint8_t *n)
{
	const char *p = s;

	*n = 0;
	if (!*s)
		return -EINVAL;
	for (;;) {
		size_t len = strcspn(p, ","), dash;
		uint16_t lo, hi;

		dash = strcspn(p, "-,");
		if (dash < len) {
			if (list_id(p, dash, &lo) ||
			    list_id(p + dash + 1, len - dash - 1, &hi) || lo > hi)
				return -EINVAL;
		} else if (list_id(p, len, &lo)) {
			return -EINVAL;
		} else {
			hi = lo;
		}
		for (uint32_t id = lo; id <= hi; id++) {
			unsigned int i;

			for (i = 0; i < *n && ids[i] != id; i++)
				;
			if (i < *n)
				continue;	/* listed already */
			if (*n == OM_PROC_NODES_MAX)
				return -E2BIG;
			ids[(*n)++] = id;
		}
		if (!p[len])
			return 0;
		p += len + 1;
		if (!*p)
			return -EINVAL;	/* "1," */
	}
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

/*
 * "NODE" or "home" -> node id (OM_MIG_HOME for home); an address is
 * looked up in the node table.  0 or an exit code.
 */
int om_mig_resolve_node(const char *arg, const char *what, uint32_t *node)
{
	struct om_node_info n;
	uint16_t id;
	int ret;

	if (!strcmp(arg, "home")) {
		*node = OM_MIG_HOME;
		return 0;
	}
	if (!parse_node_id(arg, &id)) {
		*node = id;
		return 0;
	}
	if (!om_node_arg_ok(arg))
		return invarg("node (ID, address or \"home\")", arg);
	ret = om_node_get(arg, what, &n);
	om_nl_close();
	if (ret)
		return ret;
	*node = n.id;
	return 0;
}

static void fmt_target(uint32_t node, char *buf, size_t len)
{
	if (node == OM_MIG_HOME)
		snprintf(buf, len, "home");
	else
		snprintf(buf, len, "node %u", node);
}

/* The ioctl; 0 or -errno, req filled */
static int migrate_ioctl(int dev, int mfd, uint32_t pid, uint32_t node,
			 struct om_migrate_req *req)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->pid = (int32_t)pid;
	req->mem_fd = mfd;
	req->node = node;
	if (ioctl(dev, OM_IOC_MIGRATE, req) < 0)
		return -errno;
	req->reason[sizeof(req->reason) - 1] = 0;
	return 0;
}

/* /dev/openmosix for OM_IOC_MIGRATE: the fd, or -1 with the message printed */
int om_mig_open_dev(void)
{
	int dev = open(OM_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (dev < 0)
		fprintf(stderr, "omctl: %s: %s (is the openmosix module loaded?)\n",
			OM_DEV_PATH, strerror(errno));
	return dev;
}

/*
 * The kernel's ptrace-attach check, made as us: /proc/PID/mem opened by
 * the caller; if that fails the kernel refuses with the reason (and finds
 * a missing pid first).  -1 or the fd.
 */
static int open_mem(uint32_t pid)
{
	char mem[32];

	snprintf(mem, sizeof(mem), "/proc/%u/mem", pid);
	return open(mem, O_RDONLY | O_CLOEXEC);
}

/*
 * Move pid to node (or OM_MIG_HOME) and wait until it runs there: 0, or
 * -errno with req->reason saying why (the process runs on where it was).
 */
int om_mig_wait(int dev, uint32_t pid, uint32_t node, struct om_migrate_req *req)
{
	int mfd = open_mem(pid), ret;

	ret = migrate_ioctl(dev, mfd, pid, node, req);
	if (mfd >= 0)
		close(mfd);
	req->reason[sizeof(req->reason) - 1] = 0;
	return ret;
}

/* "omctl: cannot migrate PID to node N: REASON - ERROR" */
void om_mig_perror(uint32_t pid, uint32_t node, int err,
		   const struct om_migrate_req *req)
{
	char to[32];

	fmt_target(node, to, sizeof(to));
	fprintf(stderr, "omctl: cannot migrate %u to %s: %s%s%s\n", pid, to,
		req->reason[0] ? req->reason : strerror(-err),
		req->reason[0] ? " - " : "", req->reason[0] ? strerror(-err) : "");
}

/*
 * Without --wait: the request runs in a child of its own session, holding
 * none of our output (a caller reading it to EOF does not wait for the
 * migration); the outcome is a migration event.
 */
static int migrate_detached(int dev, int mfd, uint32_t pid, uint32_t node)
{
	struct om_migrate_req req;
	char to[32];
	pid_t child;
	int null;

	fflush(NULL);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "omctl: fork: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}
	if (child == 0) {
		setsid();
		signal(SIGHUP, SIG_IGN);
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		_exit(migrate_ioctl(dev, mfd, pid, node, &req) ? 1 : 0);
	}
	fmt_target(node, to, sizeof(to));
	if (json) {
		jw_open_obj(NULL);
		jw_uint("pid", pid);
		jw_uint("node", node);
		jw_bool("home", node == OM_MIG_HOME);
		jw_bool("requested", true);
		jw_close_obj();
		jw_end();
	} else {
		printf("migration of %u to %s requested; \"omctl monitor\" shows the outcome\n",
		       pid, to);
	}
	return 0;
}

static int proc_migrate(int argc, char **argv, bool home)
{
	const char *what = home ? "proc home" : "proc migrate";
	const char *pid_arg = NULL, *node_arg = home ? "home" : NULL;
	struct om_migrate_req req;
	bool wait = false;
	uint32_t pid, node = 0;
	int dev, mfd, ret;
	char to[32];

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
		mfd = open_mem(pid);
		ret = migrate_detached(dev, mfd, pid, node);
		if (mfd >= 0)
			close(mfd);
		close(dev);
		return ret;
	}
	ret = om_mig_wait(dev, pid, node, &req);
	close(dev);
	if (ret < 0) {
		om_mig_perror(pid, node, ret, &req);
		return EXIT_KERNEL;
	}
	fmt_target(node, to, sizeof(to));
	if (json) {
		jw_open_obj(NULL);
		jw_uint("pid", pid);
		jw_uint("node", node);
		jw_bool("home", node == OM_MIG_HOME);
		jw_uint("pages", req.pages);
		jw_uint("bytes", req.bytes);
		jw_uint("usecs", req.usecs);
		jw_close_obj();
		jw_end();
	} else {
		printf("migrated %u to %s: %llu pages, %llu bytes, %.1f ms frozen\n",
		       pid, to, (unsigned long long)req.pages,
		       (unsigned long long)req.bytes, req.usecs / 1000.0);
	}
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
