/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwebd: the cluster's live web view.  Three processes:
 *   broker (root): makes the token, runs the admin actions (omctl's own
 *                  lock/migrate code) in short-lived children;
 *   web (unprivileged): HTTP on libmicrohttpd, netlink dumps, history;
 *   events (unprivileged, child of web): the "events" multicast group as
 *                  JSON lines on a pipe.
 */
#ifndef _OMWEBD_H
#define _OMWEBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "omtools.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define OMW_DEFAULT_LISTEN	"127.0.0.1:4661"
#define OMW_DEFAULT_CONF	"/etc/openmosix/openmosix.conf"
#define OMW_DEFAULT_TOKEN	"/run/openmosix/omwebd.token"
#define OMW_DEFAULT_USER	"nobody"
#define OMW_NOT_LOADED		"openmosix module not loaded (modprobe openmosix)"
#define OMW_MODULE_DIR		"/sys/module/openmosix"

/* Bounds: memory stays fixed however many clients come. */
#define OMW_MAX_CONN		64	/* HTTP connections */
#define OMW_MAX_SSE		16	/* of them event streams */
#define OMW_MAX_ACTIONS		4	/* admin actions running at once */
#define OMW_CONN_MEMORY		16384	/* per connection: request line + headers */
#define OMW_CONN_TIMEOUT	30	/* seconds idle */
#define OMW_BODY_MAX		1024	/* action requests carry nothing */
#define OMW_MAX_NODES		4096
#define OMW_MAX_PROCS		32768
#define OMW_EVENT_RING		256
#define OMW_EVENT_MAX		4096	/* one event's JSON */
#define OMW_HIST_STEP_MS	10000
#define OMW_HIST_SAMPLES	360	/* an hour */
#define OMW_HIST_NODES		64
#define OMW_SNAP_MAX_AGE_MS	1000
#define OMW_KEEPALIVE_MS	15000
#define OMW_ACTION_TIMEOUT_S	120
#define OMW_MSG_LEN		512

extern bool omw_verbose;
void omw_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void omw_log_init(const char *name);
uint64_t omw_now_ms(void);	/* CLOCK_REALTIME */
uint64_t omw_mono_ms(void);	/* CLOCK_MONOTONIC */

/* config.c: command line and openmosix.conf */
struct omw_config {
	char listen[128];
	char user[64];
	char token_file[256];
	bool listen_set, user_set, token_set;	/* from the command line */
};
/* 0, or -1 with the reason printed ("FILE:LINE: ..."). */
int omw_config_read(const char *path, bool must_exist, struct omw_config *cfg);
/* "ADDR:PORT", ADDR IPv4 or [IPv6]: 0 or -1. */
int omw_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);
bool omw_addr_is_loopback(const struct sockaddr_storage *ss);

/* capture.c: what omctl's code prints to stderr, as a message */
struct omw_capture {
	int fd;		/* memfd */
	int saved;	/* the real stderr while capturing */
};
int omw_capture_init(struct omw_capture *c);
void omw_capture_begin(struct omw_capture *c);
/* Stop; the text without "omctl: " prefixes, lines joined by "; ". */
void omw_capture_end(struct omw_capture *c, char *buf, size_t len);
void omw_clean_message(const char *in, size_t n, char *buf, size_t len);

/* snap.c: one look at the kernel through omctl's netlink code */
struct omw_stat {
	char name[32];
	uint64_t val;
};

#define OMW_MAX_STATS 32

struct omw_snap {
	bool loaded;
	char error[OMW_MSG_LEN];
	uint64_t time_ms, mono_ms;
	char *status_json;		/* what omctl -j status prints */
	bool has_self;
	uint16_t self;
	bool key_set;
	uint32_t nodes_total, nodes_up;
	char version[64];
	struct omw_stat stats[OMW_MAX_STATS];
	unsigned int nstats;
	struct om_node_info *nodes;
	unsigned int nnodes;
	bool nodes_cut;
	struct om_proc_info *procs;
	unsigned int nprocs;
	bool procs_cut;
	bool with_procs;		/* the process list was asked for */
};
bool omw_module_present(uint64_t *ino);
void omw_snap_take(struct omw_snap *s, struct omw_capture *cap, bool procs);
void omw_snap_free(struct omw_snap *s);
/* the om_nl_talk callbacks of one look (arg: the snapshot) */
int omw_snap_alloc(struct omw_snap *s);
int omw_snap_status_cb(struct nlattr **tb, void *arg);
int omw_snap_node_cb(struct nlattr **tb, void *arg);
int omw_snap_proc_cb(struct nlattr **tb, void *arg);
/* The flat "stats" object of omctl -j status into s->stats. */
void omw_parse_stats(struct omw_snap *s, const char *json);

/* hist.c: the last hour of every node's load */
#define OMW_HIST_NONE UINT32_MAX
struct omw_hist_series {
	bool used;
	uint16_t id;
	uint64_t last_seen;
	uint32_t load[OMW_HIST_SAMPLES];
};

struct omw_hist {
	unsigned int head, count;
	uint64_t t[OMW_HIST_SAMPLES];
	struct omw_hist_series s[OMW_HIST_NODES];
};
void omw_hist_add(struct omw_hist *h, uint64_t t_ms,
		  const struct om_node_info *n, unsigned int nn);
void omw_hist_json(const struct omw_hist *h);	/* through jw_* */

/* metrics.c: Prometheus text exposition format */
struct omw_counters {
	uint64_t mig_events[8];		/* by OM_MEV_* */
	uint64_t node_events[8];	/* by OM_EV_* */
	uint64_t refused;		/* requests answered 4xx */
	uint64_t requests;
	unsigned int sse_clients;
};
void omw_metrics(FILE *f, const struct omw_snap *s, const struct omw_counters *c);

/* events.c: the reader process; its pipe carries one JSON object a line */
pid_t omw_events_start(int *rfd);

/* broker.c: the privileged side */
enum omw_op {
	OMW_OP_LOCK = 1,
	OMW_OP_UNLOCK,
	OMW_OP_MIGRATE,
	OMW_OP_HOME,
};

struct omw_req {
	uint32_t id;
	uint32_t op;
	uint32_t pid;
	uint32_t node;
	char token[64];		/* as the client sent it (64 hex digits) */
};

struct omw_rep {
	uint32_t id;
	int32_t http;		/* status for the client */
	int32_t exit;		/* omctl's exit code */
	uint64_t pages, bytes, usecs;
	char msg[OMW_MSG_LEN];
};
int omw_token_make(const char *path, char hex[65]);
int omw_broker_run(int sock, pid_t web, const char *token_hex,
		   const char *token_file);

/* assets.S: the page */
extern const char omw_index_html[], omw_index_html_end[];
extern const char omw_app_js[], omw_app_js_end[];
extern const char omw_style_css[], omw_style_css_end[];
extern const char omw_favicon_svg[], omw_favicon_svg_end[];

/* web.c: the HTTP side */
struct omw_web_opts {
	int listen_fd;
	int broker_fd;
	bool loopback;		/* check Host: against DNS rebinding */
	char listen[128];
};
int omw_web_run(const struct omw_web_opts *o);

/* http helpers shared with the tests */
bool omw_path_ok(const char *url);
bool omw_host_ok(const char *host);
size_t omw_unescape(char *s);
int omw_parse_pid(const char *s, uint32_t *pid);
int omw_parse_u64(const char *s, uint64_t *v);

#endif /* _OMWEBD_H */
