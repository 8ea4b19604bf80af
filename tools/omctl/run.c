// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl run: openMosix's mosrun.  Runs CMD as our child with a migration
 * policy, waits for it and exits with its status.
 *
 * The lock, node list and hint must be in place before CMD runs, so that
 * its children inherit them: the child waits on a pipe until we have
 * set them.  A move
 * must come after the execve, since an execve away from home brings the
 * process home first: the child's close-on-exec status pipe reads EOF
 * once its execve is past the point of no return (or the errno if it
 * failed), and only then do we migrate it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "omctl.h"

enum run_lock { RUN_LOCK_DEFAULT, RUN_LOCK_KEEP, RUN_LOCK_ON, RUN_LOCK_OFF };

struct run_opts {
	bool home, fallback, wait_mig;
	enum run_lock lock;
	const char *node_arg;
	const char *nodes_arg;	/* --nodes LIST: the allowed nodes */
	uint8_t hint;		/* --cpu, --io: enum om_proc_hint */
	uint8_t n_nodes;
	uint16_t nodes[OM_PROC_NODES_MAX];
	char **cmd;
};

/* The signals we pass on to the child */
static const int fwd_sigs[] = { SIGHUP, SIGINT, SIGTERM };

/* for the handler; 0 once the child is gone (its pid may be reused) */
static volatile sig_atomic_t child_pid;

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omctl run [ --home | --node NODE [ --fallback ] [ --wait-migrate ] ]\n"
		"                 [ --nodes LIST ] [ --lock | --unlock | --keep ]\n"
		"                 [ --cpu | --io ] [ -- ] CMD [ ARG ]...\n"
		"       omctl run help\n"
		"Run CMD as a child and exit with its exit status (128 + signal if it\n"
		"was killed); SIGHUP, SIGINT and SIGTERM sent to omctl are passed on.\n"
		"  --home          lock it before it starts (the same as --lock: a new\n"
		"                  process starts at home): it and the children it forks\n"
		"                  afterwards are never moved automatically (nomig, runhome)\n"
		"  --node NODE     lock it, and once CMD runs move it to NODE (ID or\n"
		"                  address) (runon); if the move fails, kill it and exit 2\n"
		"  --fallback      with --node: if the move fails, let it run at home\n"
		"  --wait-migrate  with --node: CMD runs no instruction before it is at\n"
		"                  NODE (it is held stopped after the execve until then)\n"
		"  --lock, --unlock  lock or unlock it before it starts\n"
		"  --keep          leave the lock it inherits from omctl (the default\n"
		"                  without --home, --node and --nodes)\n"
		"  --nodes LIST    the balancer moves it only to these nodes (and home);\n"
		"                  LIST := ID[-ID][,ID[-ID]]..., at most 8 nodes; unlocks\n"
		"                  it unless --lock or --keep; with --node, NODE must be\n"
		"                  in LIST (mosrun -j)\n"
		"  --cpu, --io     tell the balancer it is CPU-bound (cpujob: worth moving)\n"
		"                  or I/O-bound (iojob: keep it home); the hint fades as\n"
		"                  it shows what it does\n"
		"Without options CMD just runs, and the balancer may move it.  The lock,\n"
		"LIST and hint hold for the children CMD forks too.  Setting them and\n"
		"moving need the openmosix module.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

static int run_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "omctl: run: %s%s%s%s\n", msg, arg ? " \"" : "",
		arg ? arg : "", arg ? "\"" : "");
	return EXIT_USAGE;
}

static int set_lock(struct run_opts *o, enum run_lock l)
{
	if (o->lock != RUN_LOCK_DEFAULT && o->lock != l)
		return run_usage_error("only one of --lock, --unlock and --keep", NULL);
	o->lock = l;
	return 0;
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	int i, ret;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;		/* CMD; its arguments are its own */
		if (!strcmp(a, "--home")) {
			o->home = true;
		} else if (!strcmp(a, "--node")) {
			if (++i >= argc)
				return run_usage_error("--node needs a NODE", NULL);
			o->node_arg = argv[i];
		} else if (!strncmp(a, "--node=", 7)) {
			o->node_arg = a + 7;
		} else if (!strcmp(a, "--lock")) {
			ret = set_lock(o, RUN_LOCK_ON);
			if (ret)
				return ret;
		} else if (!strcmp(a, "--unlock")) {
			ret = set_lock(o, RUN_LOCK_OFF);
			if (ret)
				return ret;
		} else if (!strcmp(a, "--keep")) {
			ret = set_lock(o, RUN_LOCK_KEEP);
			if (ret)
				return ret;
		} else if (!strcmp(a, "--nodes") || !strncmp(a, "--nodes=", 8)) {
			if (!a[7] && ++i >= argc)
				return run_usage_error("--nodes needs a LIST", NULL);
			o->nodes_arg = a[7] ? a + 8 : argv[i];
		} else if (!strcmp(a, "--cpu") || !strcmp(a, "--io")) {
			uint8_t h = a[2] == 'c' ? OM_HINT_CPU : OM_HINT_IO;

			if (o->hint && o->hint != h)
				return run_usage_error("--cpu and --io exclude each other", NULL);
			o->hint = h;
		} else if (!strcmp(a, "--fallback")) {
			o->fallback = true;
		} else if (!strcmp(a, "--wait-migrate")) {
			o->wait_mig = true;
		} else {
			return run_usage_error("unknown option", a);
		}
	}
	if (i >= argc)
		return run_usage_error("missing CMD", NULL);
	o->cmd = argv + i;
	if (o->home && o->node_arg)
		return run_usage_error("--home and --node exclude each other", NULL);
	if (o->home && o->nodes_arg)
		return run_usage_error("--home and --nodes exclude each other", NULL);
	if ((o->fallback || o->wait_mig) && !o->node_arg)
		return run_usage_error(o->fallback ? "--fallback needs --node" :
				       "--wait-migrate needs --node", NULL);
	/* syntax first, so a typo is exit 1 even without the module */
	if (o->node_arg && !om_node_arg_ok(o->node_arg))
		return invarg("node (ID or address)", o->node_arg);
	if (o->nodes_arg) {
		ret = om_parse_nodelist(o->nodes_arg, o->nodes, &o->n_nodes);
		if (ret == -E2BIG)
			return run_usage_error("--nodes: at most 8 nodes in", o->nodes_arg);
		if (ret)
			return run_usage_error("--nodes: invalid node list (ID[-ID][,ID[-ID]]..., IDs 1..65535)",
					       o->nodes_arg);
	}
	/*
	 * mosrun's default: lock when told where to run; a LIST alone hands
	 * it to the balancer, which a lock would keep from moving it
	 */
	if (o->lock == RUN_LOCK_DEFAULT)
		o->lock = o->home || o->node_arg ? RUN_LOCK_ON :
			  o->nodes_arg ? RUN_LOCK_OFF : RUN_LOCK_KEEP;
	return 0;
}

/* With --nodes, --node must name one of them; 0 or an exit code */
static int check_in_list(const struct run_opts *o, uint32_t node)
{
	for (unsigned int i = 0; i < o->n_nodes; i++)
		if (o->nodes[i] == node)
			return 0;
	return run_usage_error("--node is not in the --nodes LIST", o->node_arg);
}

/* Is there a policy to set on the child before it runs CMD? */
static bool run_sets_policy(const struct run_opts *o)
{
	return o->lock != RUN_LOCK_KEEP || o->nodes_arg || o->hint;
}

static int set_policy(const struct run_opts *o, pid_t pid)
{
	struct om_proc_pol pol = {
		.set_lock = o->lock != RUN_LOCK_KEEP,
		.locked = o->lock == RUN_LOCK_ON,
		.set_hint = o->hint != OM_HINT_NONE,
		.hint = o->hint,
		.set_nodes = o->nodes_arg != NULL,
		.node_policy = o->nodes_arg ? OM_NODES_ALLOW : OM_NODES_ANY,
		.n_nodes = o->n_nodes,
	};

	memcpy(pol.nodes, o->nodes, sizeof(pol.nodes));
	return om_proc_set_policy(pid, &pol, "run");
}

/*
 * A signal for omctl goes on to the child, unless the kernel sent it to
 * our process group (the terminal's ^C, a hangup) with the child still
 * in it, or the child sent it: then the child has it already.  kill()
 * and getpgid() are plain system calls, safe here.
 */
static void forward(int sig, siginfo_t *si, void *uctx)
{
	pid_t pid = child_pid;
	int saved = errno;

	if (pid > 0 &&
	    !(si->si_code == SI_KERNEL && getpgid(pid) == getpgrp()) &&
	    !(si->si_code == SI_USER && si->si_pid == pid))
		kill(pid, sig);
	errno = saved;
}

/* Wait for the child; its exit status, 128 + signal, or an exit code */
static int wait_child(pid_t pid)
{
	sigset_t all, old;
	siginfo_t si;
	int status;

	/* not reaped yet, so its pid cannot be reused under the handler */
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "omctl: run: waitid: %s\n", strerror(errno));
			return EXIT_KERNEL;
		}
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	child_pid = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "omctl: run: waitpid: %s\n", strerror(errno));
			return EXIT_KERNEL;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Give up on a child that has not run CMD (or must not run on) */
static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	wait_child(pid);
}

/* In the child: wait for the lock, then become CMD. */
static void __attribute__((noreturn))
run_child(const struct run_opts *o, int go, int st, const sigset_t *mask,
	  const struct sigaction *chld)
{
	ssize_t n;
	char c;
	int err;

	sigaction(SIGCHLD, chld, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (go >= 0) {
		do {
			n = read(go, &c, 1);
		} while (n < 0 && errno == EINTR);
		if (n != 1)
			_exit(127);	/* omctl gave up, and says why */
	}
	execvp(o->cmd[0], o->cmd);
	err = errno;
	n = write(st, &err, sizeof(err));
	_exit(err == ENOENT ? 127 : 126);
}

/* Move the running CMD to the node; 0, or an exit code once it is killed */
static int run_migrate(const struct run_opts *o, pid_t pid, int dev, uint32_t node)
{
	struct om_migrate_req req;
	int ret;

	/*
	 * SIGSTOP is taken before CMD's first instruction: the execve is
	 * past the point of no return and has not returned yet.  The kernel
	 * moves a stopped process and stops it again at the target.
	 */
	if (o->wait_mig)
		kill(pid, SIGSTOP);
	ret = om_mig_wait(dev, pid, node, &req);
	if (ret < 0) {
		om_mig_perror(pid, node, ret, &req);
		if (!o->fallback) {
			fprintf(stderr, "omctl: run: killed %s (pid %d); --fallback would let it run at home\n",
				o->cmd[0], pid);
			kill_child(pid);
			return EXIT_KERNEL;
		}
		fprintf(stderr, "omctl: run: note: %s (pid %d) runs at home instead\n",
			o->cmd[0], pid);
	}
	if (o->wait_mig)
		kill(pid, SIGCONT);
	return 0;
}

int do_run(int argc, char **argv)
{
	struct run_opts o = { .lock = RUN_LOCK_DEFAULT };
	struct sigaction sa, chld, dfl;
	int go[2] = { -1, -1 }, st[2] = { -1, -1 };
	int ret, dev = -1, err;
	sigset_t block, old;
	uint32_t node = 0;
	pid_t pid;
	ssize_t n;

	if (argc < 1)
		return usage(stderr);
	if (is_help(argv[0]))
		return usage(stdout);
	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;

	/* everything that can fail before CMD starts */
	if (o.node_arg) {
		ret = om_mig_resolve_node(o.node_arg, "run", &node);
		if (!ret && o.nodes_arg)
			ret = check_in_list(&o, node);
		if (ret)
			return ret;
	}
	if (run_sets_policy(&o) || o.node_arg) {
		ret = om_nl_open(false);
		if (ret)
			return ret;
		/* CMD must not inherit our netlink socket */
		fcntl(om_nl_fd(), F_SETFD, FD_CLOEXEC);
	}
	if (o.node_arg) {
		dev = om_mig_open_dev();
		if (dev < 0)
			return EXIT_KERNEL;
	}
	if ((run_sets_policy(&o) && pipe2(go, O_CLOEXEC)) || pipe2(st, O_CLOEXEC)) {
		fprintf(stderr, "omctl: run: pipe: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}

	/* No signal is handled until the child's pid is known. */
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaddset(&block, fwd_sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	/* an inherited SIGCHLD = SIG_IGN would reap the child for us */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, &chld);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "omctl: run: fork: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}
	if (pid == 0) {
		if (go[1] >= 0)
			close(go[1]);
		close(st[0]);
		run_child(&o, go[0], st[1], &old, &chld);
	}
	child_pid = pid;
	if (go[0] >= 0)
		close(go[0]);
	close(st[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++) {
		struct sigaction cur;

		/* a signal ignored by whoever started us stays ignored */
		if (!sigaction(fwd_sigs[i], NULL, &cur) && cur.sa_handler == SIG_IGN)
			continue;
		sigaction(fwd_sigs[i], &sa, NULL);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);

	if (run_sets_policy(&o)) {
		struct sigaction pipe_ign = { .sa_handler = SIG_IGN }, pipe_old;

		ret = set_policy(&o, pid);
		/* a child already killed is EPIPE here, not our death */
		sigaction(SIGPIPE, &pipe_ign, &pipe_old);
		if (!ret && write(go[1], "g", 1) != 1) {
			fprintf(stderr, "omctl: run: pipe: %s\n", strerror(errno));
			ret = EXIT_KERNEL;
		}
		sigaction(SIGPIPE, &pipe_old, NULL);
		close(go[1]);
		if (ret) {
			kill_child(pid);
			return ret;
		}
	}
	om_nl_close();

	do {
		n = read(st[0], &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	close(st[0]);
	if (n == sizeof(err)) {
		fprintf(stderr, "omctl: run: %s: %s\n", o.cmd[0], strerror(err));
		return wait_child(pid);
	}
	if (o.node_arg) {
		ret = run_migrate(&o, pid, dev, node);
		close(dev);
		if (ret)
			return ret;
	}
	return wait_child(pid);
}
