// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The privileged side of omwebd.  It never sees HTTP: the web process
 * sends it fixed-size requests (operation, pid, node, the token the
 * client presented) over a socketpair.  It checks the token, then runs
 * the action in a child through omctl's code (om_proc_set_lock,
 * om_mig_resolve_node, om_mig_open_dev, om_mig_wait, om_mig_perror) with
 * stderr captured, so the answer carries omctl's message.  A migration
 * may take seconds: children keep the broker free for the next request.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "omwebd.h"
#include "om_key.h"

/* What a child leaves for the broker (shared memory). */
struct act_result {
	int exit;
	int err;		/* -errno of the migration, 0 */
	uint64_t pages, bytes, usecs;
};

struct action {
	pid_t pid;		/* 0: free slot */
	struct omw_req req;
	int out;		/* memfd: the child's stderr */
	struct act_result *res;
	uint64_t start_ms;
	bool killed;
};

static struct action acts[OMW_MAX_ACTIONS];

int omw_token_make(const char *path, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t raw[OM_KEY_BYTES];
	char *dir, *copy;
	ssize_t n;
	int fd;

	if (getrandom(raw, sizeof(raw), 0) != sizeof(raw)) {
		fprintf(stderr, "omwebd: getrandom: %s\n", strerror(errno));
		return -1;
	}
	for (int i = 0; i < OM_KEY_BYTES; i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[OM_KEY_HEX] = '\0';
	explicit_bzero(raw, sizeof(raw));
	copy = strdup(path);
	if (!copy)
		return -1;
	dir = dirname(copy);
	/* /run/openmosix when systemd has not made it (RuntimeDirectory=) */
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "omwebd: %s: %s\n", dir, strerror(errno));
		free(copy);
		return -1;
	}
	free(copy);
	/* a fresh file every start: never write through someone's link */
	if (unlink(path) && errno != ENOENT) {
		fprintf(stderr, "omwebd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "omwebd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fchmod(fd, 0600);
	hex[OM_KEY_HEX] = '\n';
	n = write(fd, hex, OM_KEY_HEX + 1);
	hex[OM_KEY_HEX] = '\0';
	if (n != OM_KEY_HEX + 1 || close(fd)) {
		fprintf(stderr, "omwebd: %s: cannot write the token\n", path);
		unlink(path);
		return -1;
	}
	return 0;
}

/* Constant time: how long it takes says nothing of where they differ. */
static bool token_ok(const uint8_t want[OM_KEY_BYTES], const char *given)
{
	uint8_t got[OM_KEY_BYTES], diff = 0;
	const char *why;

	if (om_key_parse(given, OM_KEY_HEX, got, &why))
		return false;
	for (int i = 0; i < OM_KEY_BYTES; i++)
		diff |= got[i] ^ want[i];
	explicit_bzero(got, sizeof(got));
	return diff == 0;
}

static void reply(int sock, const struct omw_rep *r)
{
	if (send(sock, r, sizeof(*r), MSG_NOSIGNAL) != sizeof(*r))
		omw_log(LOG_ERR, "cannot answer the web process: %s", strerror(errno));
}

static void reply_err(int sock, uint32_t id, int http, const char *msg)
{
	struct omw_rep r = { .id = id, .http = http, .exit = EXIT_USAGE };

	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	reply(sock, &r);
}

/* In the child: the action, as "omctl proc ..." does it.  Exit code. */
static int act_run(const struct omw_req *q, struct act_result *res)
{
	struct om_migrate_req mreq;
	char node_arg[16];
	uint32_t node;
	int dev, ret;

	if (!omw_module_present(NULL)) {
		fprintf(stderr, "%s: %s\n", om_progname, OMW_NOT_LOADED);
		return EXIT_KERNEL;
	}
	if (q->op == OMW_OP_LOCK || q->op == OMW_OP_UNLOCK) {
		ret = om_nl_open(false);
		if (ret)
			return ret;
		ret = om_proc_set_lock(q->pid, q->op == OMW_OP_LOCK,
				       q->op == OMW_OP_LOCK ? "proc lock" : "proc unlock");
		om_nl_close();
		return ret;
	}
	if (q->op == OMW_OP_HOME)
		snprintf(node_arg, sizeof(node_arg), "home");
	else
		snprintf(node_arg, sizeof(node_arg), "%u", q->node);
	ret = om_mig_resolve_node(node_arg, "proc migrate", &node);
	if (ret)
		return ret;
	dev = om_mig_open_dev();
	if (dev < 0)
		return EXIT_KERNEL;
	ret = om_mig_wait(dev, q->pid, node, &mreq);
	close(dev);
	if (ret < 0) {
		res->err = ret;
		om_mig_perror(q->pid, node, ret, &mreq);
		return EXIT_KERNEL;
	}
	res->pages = mreq.pages;
	res->bytes = mreq.bytes;
	res->usecs = mreq.usecs;
	return 0;
}

static void act_start(int sock, const struct omw_req *q)
{
	struct action *a = NULL;
	pid_t pid;

	for (int i = 0; i < OMW_MAX_ACTIONS; i++)
		if (!acts[i].pid)
			a = &acts[i];
	if (!a) {
		reply_err(sock, q->id, 503, "too many actions running, try again");
		return;
	}
	memset(a, 0, sizeof(*a));
	a->req = *q;
	a->out = memfd_create("omwebd-action", MFD_CLOEXEC);
	a->res = mmap(NULL, sizeof(*a->res), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a->out < 0 || a->res == MAP_FAILED) {
		if (a->out >= 0)
			close(a->out);
		if (a->res != MAP_FAILED)
			munmap(a->res, sizeof(*a->res));
		reply_err(sock, q->id, 500, "out of resources");
		return;
	}
	pid = fork();
	if (pid < 0) {
		close(a->out);
		munmap(a->res, sizeof(*a->res));
		reply_err(sock, q->id, 500, "cannot fork");
		return;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		prctl(PR_SET_NAME, "omwebd-action");
		close(sock);
		dup2(a->out, STDERR_FILENO);
		a->res->exit = act_run(q, a->res);
		fflush(stderr);
		_exit(0);
	}
	a->pid = pid;
	a->start_ms = omw_mono_ms();
	if (q->op == OMW_OP_MIGRATE)
		omw_log(LOG_INFO, "action %u: migrate %u to node %u", q->id, q->pid, q->node);
	else
		omw_log(LOG_INFO, "action %u: %s %u", q->id, q->op == OMW_OP_LOCK ? "lock" :
			q->op == OMW_OP_UNLOCK ? "unlock" : "home", q->pid);
}

/* HTTP status for omctl's exit code and the kernel's errno */
static int act_http(const struct act_result *r, const char *msg)
{
	if (r->exit == 0)
		return 200;
	if (r->exit == EXIT_USAGE)
		return 400;
	if (strstr(msg, "module not loaded") || strstr(msg, "is the openmosix module loaded"))
		return 503;
	if (r->err == -ESRCH || strstr(msg, "No such process"))
		return 404;
	return 409;
}

static void act_done(int sock, struct action *a, int status)
{
	struct omw_rep r = { .id = a->req.id };
	char raw[2048];
	ssize_t n;

	n = pread(a->out, raw, sizeof(raw) - 1, 0);
	omw_clean_message(raw, n > 0 ? n : 0, r.msg, sizeof(r.msg));
	if (a->killed) {
		r.exit = EXIT_KERNEL;
		r.http = 504;
		snprintf(r.msg, sizeof(r.msg), "the action took more than %d s and was stopped",
			 OMW_ACTION_TIMEOUT_S);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		r.exit = EXIT_KERNEL;
		r.http = 500;
		if (!r.msg[0])
			snprintf(r.msg, sizeof(r.msg), "the action's process failed");
	} else {
		r.exit = a->res->exit;
		r.http = act_http(a->res, r.msg);
		r.pages = a->res->pages;
		r.bytes = a->res->bytes;
		r.usecs = a->res->usecs;
	}
	omw_log(r.exit ? LOG_WARNING : LOG_INFO, "action %u: %s%s", a->req.id,
		r.exit ? "failed: " : "done", r.exit ? r.msg : "");
	reply(sock, &r);
	close(a->out);
	munmap(a->res, sizeof(*a->res));
	a->pid = 0;
}

static void handle_req(int sock, const struct omw_req *q, const uint8_t token[OM_KEY_BYTES])
{
	char tok[OM_KEY_HEX + 1];

	memcpy(tok, q->token, OM_KEY_HEX);
	tok[OM_KEY_HEX] = '\0';
	if (!token_ok(token, tok)) {
		static uint64_t last_log;
		static unsigned int quiet;

		/* one line per 10 s at most: a client may try all day */
		if (omw_mono_ms() - last_log >= 10000) {
			omw_log(LOG_NOTICE, "action refused: wrong token (%u more since the last report)",
				quiet);
			last_log = omw_mono_ms();
			quiet = 0;
		} else {
			quiet++;
		}
		reply_err(sock, q->id, 403, "wrong token");
		return;
	}
	/* the web process checked these; a broker trusts nobody */
	if (q->op < OMW_OP_LOCK || q->op > OMW_OP_HOME || q->pid < 1 || q->pid > INT32_MAX ||
	    (q->op == OMW_OP_MIGRATE && (q->node < 1 || q->node > 65535))) {
		reply_err(sock, q->id, 400, "malformed request");
		return;
	}
	act_start(sock, q);
}

static int sigfd_open(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	return signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

/*
 * Root's other powers are of no use to the broker: it keeps what the
 * actions need for another user's process (CAP_SYS_ADMIN for the kernel's
 * check; CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE to open its
 * /proc/PID/mem, mode 0600, as om_mig_wait does) and CAP_KILL for the
 * web process, which runs as another user.  0, or -1 (nothing changed
 * then beyond the bounding set).
 */
static int broker_drop_caps(void)
{
	static const int keep[] = {
		CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_KILL,
	};
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2], want[2] = { { 0 } };

	if (geteuid() != 0)
		return 0;
	if (syscall(SYS_capget, &h, d))
		return -1;
	for (unsigned int i = 0; i < ARRAY_SIZE(keep); i++)
		want[keep[i] / 32].permitted |= 1U << (keep[i] % 32);
	for (int i = 0; i < 2; i++) {
		want[i].permitted &= d[i].permitted;
		want[i].effective = want[i].permitted;
	}
	/* no way to get the others back through a child's exec either */
	for (int c = 0; c <= CAP_LAST_CAP; c++) {
		bool kept = want[c / 32].permitted & (1U << (c % 32));

		if (!kept && prctl(PR_CAPBSET_READ, c) == 1)
			prctl(PR_CAPBSET_DROP, c);
	}
	return syscall(SYS_capset, &h, want) ? -1 : 0;
}

/*
 * Until the web process ends; its exit status is ours.  SIGTERM, SIGINT
 * and SIGHUP are passed on to it.
 */
int omw_broker_run(int sock, pid_t web, const char *token_hex, const char *token_file)
{
	uint8_t token[OM_KEY_BYTES];
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	const char *why;
	int sfd, status, rc = 1;
	bool web_alive = true;
	pid_t pid;

	prctl(PR_SET_DUMPABLE, 0);
	if (broker_drop_caps())
		omw_log(LOG_WARNING, "cannot drop capabilities: %s", strerror(errno));
	if (om_key_parse(token_hex, OM_KEY_HEX, token, &why))
		return 1;
	sfd = sigfd_open();
	if (sfd < 0) {
		omw_log(LOG_ERR, "signalfd: %s", strerror(errno));
		kill(web, SIGTERM);
	}
	while (web_alive) {
		struct omw_req q;
		ssize_t n;

		pfd[0] = (struct pollfd){ .fd = sock, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (poll(pfd, 2, 1000) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents) {
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					kill(web, SIGTERM);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid == web) {
				web_alive = false;
				rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
				continue;
			}
			for (int i = 0; i < OMW_MAX_ACTIONS; i++)
				if (acts[i].pid == pid)
					act_done(sock, &acts[i], status);
		}
		for (int i = 0; i < OMW_MAX_ACTIONS; i++) {
			if (acts[i].pid && !acts[i].killed &&
			    omw_mono_ms() - acts[i].start_ms > OMW_ACTION_TIMEOUT_S * 1000ULL) {
				kill(acts[i].pid, SIGKILL);
				acts[i].killed = true;
			}
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(sock, &q, sizeof(q), MSG_DONTWAIT);
		if (n == 0) {
			/* the web process went away: it is ending */
			shutdown(sock, SHUT_RDWR);
			if (waitpid(web, &status, 0) == web)
				rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
			web_alive = false;
		} else if (n == sizeof(q)) {
			handle_req(sock, &q, token);
		} else if (n > 0) {
			omw_log(LOG_ERR, "malformed request from the web process");
		}
	}
	explicit_bzero(token, sizeof(token));
	for (int i = 0; i < OMW_MAX_ACTIONS; i++)
		if (acts[i].pid)
			kill(acts[i].pid, SIGKILL);
	if (token_file)
		unlink(token_file);
	return rc;
}
