// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwebd: a live web view of the cluster, the modern openMosixview.
 * Start-up as root: settings, the listening socket and the admin token;
 * then the web process drops to an unprivileged user and the root part
 * stays behind as the broker of admin actions.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "omwebd.h"
#include "om_key.h"

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: omwebd [ OPTIONS ]\n"
		"  -l, --listen ADDR:PORT   where to listen (default %s; [IPv6]:PORT)\n"
		"  -c, --config FILE        settings (default %s: OMWEBD_LISTEN,\n"
		"                           OMWEBD_USER, OMWEBD_TOKEN_FILE)\n"
		"  -u, --user USER          the web process runs as USER (default %s)\n"
		"  -t, --token-file FILE    admin token, made at start, mode 0600\n"
		"                           (default %s)\n"
		"  -v, --verbose            debug messages\n"
		"  -V, --version            print the version\n"
		"  -h, --help               this text\n",
		OMW_DEFAULT_LISTEN, OMW_DEFAULT_CONF, OMW_DEFAULT_USER, OMW_DEFAULT_TOKEN);
	return f == stdout ? 0 : EXIT_USAGE;
}

static int opt_copy(char *dst, size_t len, const char *val, const char *what)
{
	if (strlen(val) >= len || !*val) {
		fprintf(stderr, "omwebd: invalid %s: \"%s\"\n", what, val);
		return -1;
	}
	snprintf(dst, len, "%s", val);
	return 0;
}

static int listen_socket(const char *spec, char *shown, size_t len, bool *loopback)
{
	struct sockaddr_storage ss;
	char addr[INET6_ADDRSTRLEN];
	socklen_t slen;
	int fd, one = 1;

	if (omw_parse_listen(spec, &ss, &slen)) {
		fprintf(stderr, "omwebd: invalid listen address \"%s\" (ADDR:PORT or [ADDR]:PORT)\n",
			spec);
		return -EXIT_USAGE;
	}
	*loopback = omw_addr_is_loopback(&ss);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, slen) || listen(fd, 64))
		goto fail;
	/* the port the kernel chose, for port 0 */
	slen = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &slen);
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
		snprintf(shown, len, "[%s]:%u", addr, ntohs(a->sin6_port));
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
		snprintf(shown, len, "%s:%u", addr, ntohs(a->sin_port));
	}
	return fd;
fail:
	fprintf(stderr, "omwebd: cannot listen on %s: %s\n", spec, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The web process: no root, no capabilities, no way back, no core. */
static int drop_privileges(const struct passwd *pw)
{
	if (setgroups(0, NULL) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		omw_log(LOG_ERR, "cannot become %s: %s", pw->pw_name, strerror(errno));
		return -1;
	}
	if (!setuid(0)) {
		omw_log(LOG_ERR, "could become root again after dropping to %s", pw->pw_name);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "token-file", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct omw_config cfg = { 0 };
	struct omw_web_opts wo = { 0 };
	const char *conf = OMW_DEFAULT_CONF;
	bool conf_given = false;
	struct passwd *pw = NULL;
	char token[OM_KEY_HEX + 1];
	sigset_t mask;
	int c, sp[2], rc;
	pid_t web;

	om_progname = "omwebd";
	omw_log_init("omwebd");
	while ((c = getopt_long(argc, argv, "l:c:u:t:vVh", lopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (opt_copy(cfg.listen, sizeof(cfg.listen), optarg, "listen address"))
				return EXIT_USAGE;
			cfg.listen_set = true;
			break;
		case 'c':
			conf = optarg;
			conf_given = true;
			break;
		case 'u':
			if (opt_copy(cfg.user, sizeof(cfg.user), optarg, "user"))
				return EXIT_USAGE;
			cfg.user_set = true;
			break;
		case 't':
			if (opt_copy(cfg.token_file, sizeof(cfg.token_file), optarg, "token file"))
				return EXIT_USAGE;
			cfg.token_set = true;
			break;
		case 'v':
			omw_verbose = true;
			break;
		case 'V':
			printf("omwebd %s\n", OM_TOOLS_VERSION);
			return 0;
		case 'h':
			return usage(stdout);
		default:
			return usage(stderr);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "omwebd: unexpected argument \"%s\"\n", argv[optind]);
		return usage(stderr);
	}
	if (omw_config_read(conf, conf_given, &cfg))
		return EXIT_USAGE;
	if (!cfg.listen[0])
		snprintf(cfg.listen, sizeof(cfg.listen), "%s", OMW_DEFAULT_LISTEN);
	if (!cfg.user[0])
		snprintf(cfg.user, sizeof(cfg.user), "%s", OMW_DEFAULT_USER);
	if (!cfg.token_file[0])
		snprintf(cfg.token_file, sizeof(cfg.token_file), "%s", OMW_DEFAULT_TOKEN);

	if (geteuid() == 0) {
		pw = getpwnam(cfg.user);
		if (!pw || pw->pw_uid == 0) {
			fprintf(stderr, "omwebd: user \"%s\" %s\n", cfg.user,
				pw ? "is root: the web process must not be" : "does not exist");
			return EXIT_USAGE;
		}
	}
	wo.listen_fd = listen_socket(cfg.listen, wo.listen, sizeof(wo.listen), &wo.loopback);
	if (wo.listen_fd < 0)
		return wo.listen_fd == -EXIT_USAGE ? EXIT_USAGE : 1;
	if (omw_token_make(cfg.token_file, token))
		return 1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) {
		fprintf(stderr, "omwebd: socketpair: %s\n", strerror(errno));
		unlink(cfg.token_file);
		return 1;
	}
	/* until each process has its signalfd */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	omw_log(LOG_INFO, "listening on http://%s/ (admin token in %s)", wo.listen,
		cfg.token_file);
	fflush(stderr);
	web = fork();
	if (web < 0) {
		fprintf(stderr, "omwebd: fork: %s\n", strerror(errno));
		unlink(cfg.token_file);
		return 1;
	}
	if (web == 0) {
		explicit_bzero(token, sizeof(token));
		close(sp[0]);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		prctl(PR_SET_NAME, "omwebd-web");
		omw_log_init("omwebd-web");
		if (pw && drop_privileges(pw))
			_exit(1);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		prctl(PR_SET_DUMPABLE, 0);
		if (chdir("/"))
			_exit(1);
		wo.broker_fd = sp[1];
		exit(omw_web_run(&wo));
	}
	close(sp[1]);
	close(wo.listen_fd);
	rc = omw_broker_run(sp[0], web, token, cfg.token_file);
	explicit_bzero(token, sizeof(token));
	return rc;
}
