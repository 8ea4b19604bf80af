/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl internals shared by the per-object files.
 */
#ifndef _OMCTL_H
#define _OMCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>
#include <openmosix.h>

/* from the top-level VERSION file, through tools/Makefile */
#ifndef OM_TOOLS_VERSION
#error "OM_TOOLS_VERSION is not defined: build through tools/Makefile"
#endif

/* Exit codes, as ip(8): syntax error 1, kernel error 2. */
#define EXIT_USAGE	1
#define EXIT_KERNEL	2

#define OM_DEFAULT_MAP	"/etc/openmosix/openmosix.map"

extern bool json;
extern bool pretty;

/* util.c */
bool matches(const char *arg, const char *pattern);
bool is_help(const char *arg);
int parse_node_id(const char *s, uint16_t *id);
int parse_addr_port(const char *s, uint32_t *addr_be, uint16_t *port);
int invarg(const char *what, const char *arg);
int toomany(const char *arg);
void fmt_addr(uint32_t addr_be, char *buf, size_t len);

/* json.c: a tiny streaming writer, keys are ignored inside arrays */
void jw_open_obj(const char *key);
void jw_close_obj(void);
void jw_open_arr(const char *key);
void jw_close_arr(void);
void jw_str(const char *key, const char *val);
void jw_uint(const char *key, uint64_t val);
void jw_bool(const char *key, bool val);
void jw_null(const char *key);
void jw_end(void);		/* newline and flush after a top-level value */
void jw_set_output(FILE *f);

/* nl.c */
struct nl_msg;
typedef int (*om_nl_cb)(struct nlattr **tb, void *arg);
int om_nl_open(bool events);
void om_nl_close(void);
struct nl_msg *om_nl_msg(uint8_t cmd, int flags);
/* Send msg (consumed); cb gets each reply's parsed OM_A_* table. */
int om_nl_talk(struct nl_msg *msg, const char *what, om_nl_cb cb, void *arg);
int om_nl_fd(void);
int om_nl_recv_events(om_nl_cb cb, void *arg);

/* node.c: one node as the kernel reports it */
struct om_node_info {
	uint16_t id;
	uint32_t addr;		/* network order */
	uint16_t port;
	uint8_t state;
	uint32_t flags;
	uint32_t load, runnable, cpus, speed;
	uint64_t mem_total, mem_free, uptime, last_heard;
	bool has_last_heard;
	unsigned int naliases;
	uint32_t aliases[OM_NODE_ALIASES_MAX];	/* network order */
};
int om_node_parse(struct nlattr *nest, struct om_node_info *n);
void om_node_json(const char *key, const struct om_node_info *n);
const char *om_node_state_name(const struct om_node_info *n);
void om_node_table_head(void);
void om_node_table_row(const struct om_node_info *n);
void om_node_show(const struct om_node_info *n);
/* GET_NODE for "ID" or "ADDR"; 0 with *n filled, or an exit code */
int om_node_get(const char *arg, const char *what, struct om_node_info *n);
bool om_node_arg_ok(const char *arg);
int om_status_print(struct nlattr **tb, void *arg);
int om_event_print(struct nlattr **tb, void *arg);

/* proc.c: one process as the kernel reports it */
struct om_proc_info {
	uint32_t pid, uid;
	uint16_t where, home;
	uint32_t nmigs, home_pid;
	uint64_t away_ms;
	bool has_away, locked, guest, cantmove;
	char comm[64];
	char reason[OM_CKPT_REASON_LEN];
	/* balancing policy: enum om_proc_hint, enum om_proc_nodes */
	uint8_t hint, node_policy, n_nodes;
	uint16_t hint_left;		/* permille */
	uint16_t nodes[OM_PROC_NODES_MAX];
};
int om_proc_parse(struct nlattr *nest, struct om_proc_info *p);
void om_proc_json(const char *key, const struct om_proc_info *p);
void om_proc_table_head(void);
void om_proc_table_row(const struct om_proc_info *p);
void om_proc_show(const struct om_proc_info *p);
/* lock/unlock through netlink (om_nl_open() first); 0 or an exit code */
int om_proc_set_lock(uint32_t pid, bool locked, const char *what);
/* A balancing policy to set at once (OM_CMD_SET_PROC); unset parts stay */
struct om_proc_pol {
	bool set_lock, locked;
	bool set_hint;
	uint8_t hint;			/* enum om_proc_hint */
	bool set_nodes;
	uint8_t node_policy, n_nodes;	/* enum om_proc_nodes */
	uint16_t nodes[OM_PROC_NODES_MAX];
};
int om_proc_set_policy(uint32_t pid, const struct om_proc_pol *pol,
		       const char *what);
/*
 * "ID[-ID][,ID[-ID]]...", IDs 1..65535, at most OM_PROC_NODES_MAX
 * distinct nodes (repeats count once), in the order given: 0, -EINVAL
 * (syntax) or -E2BIG (too many).
 */
int om_parse_nodelist(const char *s, uint16_t *ids, uint8_t *n);

/* proc.c: migration through OM_IOC_MIGRATE, shared by proc migrate and run */
struct om_migrate_req;
int om_mig_resolve_node(const char *arg, const char *what, uint32_t *node);
int om_mig_open_dev(void);
int om_mig_wait(int dev, uint32_t pid, uint32_t node, struct om_migrate_req *req);
void om_mig_perror(uint32_t pid, uint32_t node, int err,
		   const struct om_migrate_req *req);

int do_node(int argc, char **argv);
int do_proc(int argc, char **argv);
int do_map(int argc, char **argv);
int do_cluster(int argc, char **argv);
int do_status(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_whois(int argc, char **argv);
int do_checkpoint(int argc, char **argv);
int do_restore(int argc, char **argv);
int do_guest(int argc, char **argv);
int do_policy(int argc, char **argv);
int do_run(int argc, char **argv);

/* status.c */
void om_stats_json(struct nlattr *nest);
void om_stats_print(struct nlattr *nest);

#endif /* _OMCTL_H */
