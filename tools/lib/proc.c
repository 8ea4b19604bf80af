// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * One process as the kernel reports it (where it runs, its home,
 * migrations, the lock, its balancing policy, why it cannot move): the
 * parser, the printers of proc list and proc show, the lock and the policy
 * (hint, node lists: openMosix's cpujob/iojob and migfilter); migration through OM_IOC_MIGRATE on
 * /dev/openmosix.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <netlink/genl/genl.h>

#include "omtools.h"

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

/*
 * The balancing policy: proc show's hint and nodes lines (detail), the
 * JSON object's last members in proc list's rows and proc show alike.
 */
static void print_policy(const struct om_proc_info *p, bool detail)
{
	enum om_print_type any = detail ? PRINT_ANY : PRINT_JSON;
	const char *hint = hint_name(p->hint);
	char nodes[8 * OM_PROC_NODES_MAX];

	if (hint) {
		print_string(any, "hint", "  hint:       %s", hint);
		print_uint(PRINT_JSON, "hint_left", NULL, p->hint_left);
		if (detail)
			print_uint(PRINT_FP, NULL, " (%u", p->hint_left / 10);
		if (detail)
			print_uint(PRINT_FP, NULL, ".%u %% of it left)\n",
				   p->hint_left % 10);
	} else {
		print_null(any, "hint", "  hint:       %s\n", "-");
		print_null(PRINT_JSON, "hint_left", NULL, NULL);
	}
	print_string(PRINT_JSON, "node_policy", NULL,
		     node_policy_name(p->node_policy));
	open_json_array("nodes");
	for (unsigned int i = 0; i < p->n_nodes; i++)
		print_uint(PRINT_JSON, NULL, NULL, p->nodes[i]);
	close_json_array();
	if (!detail)
		return;
	fmt_nodes(p, nodes, sizeof(nodes));
	if (p->node_policy == OM_NODES_ALLOW)
		print_string(PRINT_FP, NULL, "  nodes:      only %s (and home)\n",
			     nodes);
	else if (p->node_policy == OM_NODES_DENY)
		print_string(PRINT_FP, NULL, "  nodes:      any but %s\n", nodes);
	else
		print_string(PRINT_FP, NULL, "  nodes:      %s\n", "any");
}

static void fmt_away(uint64_t ms, char *buf, size_t len)
{
	if (ms < 10000)
		snprintf(buf, len, "%.1fs", ms / 1000.0);
	else
		snprintf(buf, len, "%llus", (unsigned long long)ms / 1000);
}

/* why it cannot move; none: JSON null, the text none */
static void print_cantmove(const struct om_proc_info *p, const char *fmt,
			   const char *none)
{
	if (p->cantmove)
		print_string(PRINT_ANY, "cantmove", fmt, p->reason);
	else
		print_null(PRINT_ANY, "cantmove", fmt, none);
}

/* The JSON object's last members, which the text shows elsewhere or not */
static void print_json_tail(const struct om_proc_info *p)
{
	if (p->has_away)
		print_u64(PRINT_JSON, "away_ms", NULL, p->away_ms);
	else
		print_null(PRINT_JSON, "away_ms", NULL, NULL);
	print_bool(PRINT_JSON, "guest", NULL, p->guest);
	if (p->guest)
		print_uint(PRINT_JSON, "home_pid", NULL, p->home_pid);
	else
		print_null(PRINT_JSON, "home_pid", NULL, NULL);
}

/* Like mps: PID, the node it runs on, home, ..., why it cannot move */
static void proc_row(const char *key, const struct om_proc_info *p)
{
	open_json_object(key);
	print_uint(PRINT_ANY, "pid", "%7u ", p->pid);
	print_uint(PRINT_ANY, "uid", "%6u ", p->uid);
	print_string(PRINT_JSON, "comm", NULL, p->comm);
	print_uint(PRINT_ANY, "where", "%5u ", p->where);
	print_uint(PRINT_ANY, "home", "%5u ", p->home);
	print_uint(PRINT_ANY, "nmigs", "%5u ", p->nmigs);
	print_yes_no(PRINT_ANY, "locked", "%-6s ", p->locked);
	print_string(PRINT_FP, NULL, "%-16s ", p->comm);
	print_cantmove(p, "%s\n", "-");
	print_json_tail(p);
	print_policy(p, false);
	close_json_object();
}

/* proc show: one process in detail, or its JSON object (as proc_row's) */
static void proc_detail(const struct om_proc_info *p)
{
	char away[32];

	open_json_object(NULL);
	print_uint(PRINT_ANY, "pid", "process %u", p->pid);
	print_string(PRINT_FP, NULL, " (%s)\n", p->comm);
	print_uint(PRINT_ANY, "uid", "  uid:        %u\n", p->uid);
	print_string(PRINT_JSON, "comm", NULL, p->comm);
	print_uint(PRINT_ANY, "where", "  where:      node %u", p->where);
	print_string(PRINT_FP, NULL, "%s\n",
		     p->where == p->home ? " (home)" : "");
	print_uint(PRINT_ANY, "home", "  home:       node %u\n", p->home);
	if (p->guest)
		print_uint(PRINT_FP, NULL, "  guest:      yes, pid %u at home\n",
			   p->home_pid);
	if (p->has_away) {
		fmt_away(p->away_ms, away, sizeof(away));
		print_string(PRINT_FP, NULL, "  away:       %s\n", away);
	}
	print_uint(PRINT_ANY, "nmigs", "  migrations: %u\n", p->nmigs);
	print_yes_no(PRINT_ANY, "locked", "  locked:     %s\n", p->locked);
	print_cantmove(p, "  cantmove:   %s\n", "- (it may move)");
	print_json_tail(p);
	print_policy(p, true);
	close_json_object();
}

/* The JSON writer's object for p, whatever the mode (inside documents) */
void om_proc_json(const char *key, const struct om_proc_info *p)
{
	bool was = json;

	json = true;
	proc_row(key, p);
	json = was;
}

void om_proc_table_head(void)
{
	char head[96];

	snprintf(head, sizeof(head), "%7s %6s %5s %5s %5s %-6s %-16s %s",
		 "PID", "UID", "WHERE", "HOME", "NMIGS", "LOCKED", "COMMAND",
		 "CANTMOVE");
	print_string(PRINT_FP, NULL, "%s\n", head);
}

void om_proc_table_row(const struct om_proc_info *p)
{
	proc_row(NULL, p);
}

void om_proc_list_begin(void)
{
	open_json_array(NULL);
	om_proc_table_head();
}

void om_proc_list_end(void)
{
	close_json_array();
	print_end();
}

void om_proc_show(const struct om_proc_info *p)
{
	proc_detail(p);
	print_end();
}

/* A message with OM_A_PROC { attrs } ready for cmd; NULL on ENOMEM */
struct nl_msg *om_proc_msg(uint8_t cmd, int flags, struct nlattr **nest)
{
	return om_nl_msg_nest(cmd, flags, OM_A_PROC, nest);
}

/* Set pid's policy; the netlink socket must be open.  0 or an exit code */
int om_proc_set_policy(uint32_t pid, const struct om_proc_pol *pol,
		       const char *what)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int err = 0;

	msg = om_proc_msg(OM_CMD_SET_PROC, 0, &nest);
	if (!msg)
		return om_enomem();
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
		return om_enomem();
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

void om_mig_fmt_target(uint32_t node, char *buf, size_t len)
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
		fprintf(stderr, "%s: %s: %s (is the openmosix module loaded?)\n",
			om_progname, OM_DEV_PATH, strerror(errno));
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

/* "omctl: cannot migrate PID to node N: REASON - ERROR" (om_progname) */
void om_mig_perror(uint32_t pid, uint32_t node, int err,
		   const struct om_migrate_req *req)
{
	char to[32];

	om_mig_fmt_target(node, to, sizeof(to));
	fprintf(stderr, "%s: cannot migrate %u to %s: %s%s%s\n", om_progname,
		pid, to, req->reason[0] ? req->reason : strerror(-err),
		req->reason[0] ? " - " : "", req->reason[0] ? strerror(-err) : "");
}

/*
 * Without --wait: the request runs in a child of its own session, holding
 * none of our output (a caller reading it to EOF does not wait for the
 * migration); the outcome is a migration event.
 */
int om_mig_detach(int dev, uint32_t pid, uint32_t node)
{
	struct om_migrate_req req;
	int null, mfd;
	pid_t child;

	mfd = open_mem(pid);
	fflush(NULL);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "%s: fork: %s\n", om_progname, strerror(errno));
		if (mfd >= 0)
			close(mfd);
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
	if (mfd >= 0)
		close(mfd);
	return 0;
}
