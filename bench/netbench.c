// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * netbench: the plain-TCP yardsticks of mig-bench, between two lab guests.
 *
 *   netbench sink PORT READY [-o]   accept one connection, read to EOF
 *                                   (with -o: copy to stdout), then send
 *                                   one byte back and exit
 *   netbench send HOST PORT BYTES   connect, send BYTES bytes ("-": stdin
 *                                   to EOF), shut down writing, wait for
 *                                   the sink's byte; prints
 *                                   "bytes=B usecs=U" (connect to ack)
 *   netbench echo PORT READY [R]    accept one connection, echo every byte
 *                                   until EOF (with R: answer each byte
 *                                   with R bytes instead)
 *   netbench ping HOST PORT N [R]   N one-byte round trips (after N/10 + 10
 *                                   unmeasured ones), each answered by R
 *                                   bytes (default 1: an echo PORT READY
 *                                   with the same R); prints
 *                                   "n=N usecs=U ns_per_rtt=X"
 *
 * The listening modes create READY (empty) once they listen, so a script
 * can start them in the background and wait for READY before it lets the
 * other node connect.  send and ping retry the connection for 60 s.
 * Sockets use TCP_NODELAY; the listeners SO_REUSEADDR.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF	(1u << 20)

static void die(const char *what)
{
	fprintf(stderr, "netbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void nodelay(int s)
{
	int one = 1;

	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int listen_accept(const char *port, const char *ready)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int l, s, one = 1, fd;

	a.sin_port = htons((uint16_t)atoi(port));
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		die("bind/listen");
	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(ready);
	close(fd);
	s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0)
		die("accept");
	close(l);
	nodelay(s);
	return s;
}

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int s, i, err;

	err = getaddrinfo(host, port, &hints, &ai);
	if (err) {
		fprintf(stderr, "netbench: %s:%s: %s\n", host, port, gai_strerror(err));
		exit(1);
	}
	for (i = 0; i < 3000; i++) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			die("socket");
		if (!connect(s, ai->ai_addr, ai->ai_addrlen)) {
			freeaddrinfo(ai);
			nodelay(s);
			return s;
		}
		if (errno != ECONNREFUSED && errno != ENETUNREACH && errno != EHOSTUNREACH)
			die("connect");
		close(s);
		nanosleep(&pause, NULL);
	}
	die("connect (60 s)");
	return -1;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += w;
		n -= (size_t)w;
	}
}

static int sink(int argc, char **argv)
{
	int copy = argc > 4 && !strcmp(argv[4], "-o");
	char *buf = malloc(BUF);
	uint64_t total = 0;
	ssize_t r;
	int s;

	if (!buf)
		die("malloc");
	s = listen_accept(argv[2], argv[3]);
	while ((r = read(s, buf, BUF)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (copy)
			write_all(1, buf, (size_t)r);
		total += (uint64_t)r;
	}
	write_all(s, "k", 1);
	close(s);
	fprintf(stderr, "netbench sink: %llu bytes\n", (unsigned long long)total);
	return 0;
}

static int send_bytes(char **argv)
{
	int from_stdin = !strcmp(argv[4], "-");
	uint64_t left = from_stdin ? 0 : strtoull(argv[4], NULL, 10), total = 0, t0;
	char *buf = malloc(BUF), ack;
	ssize_t r;
	int s;

	if (!buf)
		die("malloc");
	/* real, non-zero bytes (no link or page does anything special with zeros) */
	for (size_t i = 0; i < BUF; i++)
		buf[i] = (char)(i * 131 + 7);
	t0 = now_ns();
	s = connect_to(argv[2], argv[3]);
	for (;;) {
		size_t n = BUF;

		if (from_stdin) {
			r = read(0, buf, BUF);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				die("read stdin");
			if (!r)
				break;
			n = (size_t)r;
		} else {
			if (!left)
				break;
			if (n > left)
				n = (size_t)left;
			left -= n;
		}
		write_all(s, buf, n);
		total += n;
	}
	if (shutdown(s, SHUT_WR))
		die("shutdown");
	do
		r = read(s, &ack, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1) {
		fprintf(stderr, "netbench send: no acknowledgement from the sink\n");
		return 1;
	}
	printf("bytes=%llu usecs=%llu\n", (unsigned long long)total,
	       (unsigned long long)((now_ns() - t0) / 1000));
	return 0;
}

#define MAX_REPLY	(1u << 16)

/* R of "echo"/"ping": 1..MAX_REPLY bytes answer each byte, 0 if bad */
static size_t reply_size(int argc, char **argv, int at)
{
	char *end;
	long v;

	if (argc <= at)
		return 1;
	v = strtol(argv[at], &end, 10);
	if (*end || v < 1 || v > (long)MAX_REPLY) {
		fprintf(stderr, "netbench: bad reply size %s (1..%u)\n", argv[at], MAX_REPLY);
		return 0;
	}
	return (size_t)v;
}

static int echo(int argc, char **argv)
{
	static char buf[MAX_REPLY];
	size_t reply = reply_size(argc, argv, 4), i;
	ssize_t r;
	int s;

	if (!reply)
		return 2;
	s = listen_accept(argv[2], argv[3]);
	memset(buf, 'e', sizeof(buf));
	while ((r = read(s, buf, reply == 1 ? sizeof(buf) : 1)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (reply == 1) {
			write_all(s, buf, (size_t)r);
			continue;
		}
		for (i = 0; i < (size_t)r; i++)
			write_all(s, buf, reply);
	}
	return 0;
}

static void one_rtt(int s, size_t reply)
{
	static char buf[MAX_REPLY];
	size_t got = 0;
	char c = 'p';
	ssize_t r;

	write_all(s, &c, 1);
	while (got < reply) {
		r = read(s, buf, reply - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "netbench ping: the echo ended\n");
			exit(1);
		}
		got += (size_t)r;
	}
}

static int ping(int argc, char **argv)
{
	size_t reply = reply_size(argc, argv, 5);
	long n = atol(argv[4]), i;
	uint64_t t0, t;
	int s;

	if (n <= 0) {
		fprintf(stderr, "netbench ping: bad count %s\n", argv[4]);
		return 2;
	}
	if (!reply)
		return 2;
	s = connect_to(argv[2], argv[3]);
	for (i = 0; i < n / 10 + 10; i++)
		one_rtt(s, reply);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		one_rtt(s, reply);
	t = now_ns() - t0;
	close(s);
	printf("n=%ld usecs=%llu ns_per_rtt=%llu\n", n, (unsigned long long)(t / 1000),
	       (unsigned long long)(t / (uint64_t)n));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "sink"))
		return sink(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_bytes(argv);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "echo"))
		return echo(argc, argv);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "ping"))
		return ping(argc, argv);
	fprintf(stderr, "usage: netbench sink PORT READY [-o] | send HOST PORT BYTES|- |\n"
		"                echo PORT READY [R] | ping HOST PORT N [R]\n");
	return 2;
}
