/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libomtools: what omctl, the monitors and omwebd share: the netlink
 * glue, the node and process records with their parsers and printers,
 * argument helpers, a JSON writer and the print API on top of it (one
 * call per field serves text and JSON).  Link $(OMTOOLS_LIB) and
 * $(NL_LIBS); see tools/Makefile.
 */
#ifndef _OMTOOLS_H
#define _OMTOOLS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>
#include <openmosix.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Exit codes, as ip(8): syntax error 1, kernel error 2. */
#define EXIT_USAGE	1
#define EXIT_KERNEL	2

/* The output mode: JSON (-j), indented (-p); text when json is false */
extern bool json;
extern bool pretty;

/* Prefix of the library's messages on stderr; "omctl" unless set */
extern const char *om_progname;

/* util.c */
bool matches(const char *arg, const char *pattern);
bool is_help(const char *arg);
int parse_node_id(const char *s, uint16_t *id);
int parse_pid(const char *s, uint32_t *pid);
int parse_addr_port(const char *s, uint32_t *addr_be, uint16_t *port);
int invarg(const char *what, const char *arg);
int toomany(const char *arg);
int om_enomem(void);
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
void jw_set_output(FILE *f);	/* NULL: stdout; the print API's text too */
FILE *jw_output(void);

/*
 * print.c: one call per field, after iproute2's json_print.  PRINT_FP
 * prints fmt with the value in text mode only, PRINT_JSON the key and
 * value in JSON mode only, PRINT_ANY both.  fmt takes exactly the one
 * value (%u, %llu for print_u64, %s for strings and the words of
 * print_bool and friends); a NULL fmt prints no text, a NULL key is for
 * array members and the top level.  The containers and print_nl act in
 * one mode only: JSON, respectively text.
 */
enum om_print_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

bool is_json_context(void);
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
void print_string(enum om_print_type t, const char *key, const char *fmt,
		  const char *val);
void print_uint(enum om_print_type t, const char *key, const char *fmt,
		unsigned int val);
void print_u64(enum om_print_type t, const char *key, const char *fmt,
	       uint64_t val);
/* JSON true/false; the text word is "true"/"false", "on"/"off", "yes"/"no" */
void print_bool(enum om_print_type t, const char *key, const char *fmt,
		bool val);
void print_on_off(enum om_print_type t, const char *key, const char *fmt,
		  bool val);
void print_yes_no(enum om_print_type t, const char *key, const char *fmt,
		  bool val);
/* JSON null; text prints fmt with the string that stands for nothing */
void print_null(enum om_print_type t, const char *key, const char *fmt,
		const char *text);
void print_nl(void);
/* after a top-level value: JSON ends its line; both flush */
void print_end(void);

/* nl.c */
struct nl_msg;
typedef int (*om_nl_cb)(struct nlattr **tb, void *arg);
int om_nl_open(bool events);
void om_nl_close(void);
struct nl_msg *om_nl_msg(uint8_t cmd, int flags);
/* The same with attribute attr opened as a nest (*nest); NULL on ENOMEM */
struct nl_msg *om_nl_msg_nest(uint8_t cmd, int flags, int attr, struct nlattr **nest);
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
/* "up" for this node too, "down", "unknown" */
const char *om_node_state_name(const struct om_node_info *n);
bool om_node_is_self(const struct om_node_info *n);
/* A load (100 = one busy reference CPU) as a load average: "1.37" */
void om_fmt_load(uint32_t load, char *buf, size_t len);
/* Bytes: "512B", "1.5G" */
void om_fmt_bytes(uint64_t v, char *buf, size_t len);
/*
 * node list (begin, a row per node, end) and node show (a top-level
 * value), text or JSON as the mode says; the table's head is text only.
 * om_node_json writes the JSON object whatever the mode, as a member
 * (key) of a JSON document.
 */
void om_node_list_begin(void);
void om_node_table_head(void);
void om_node_table_row(const struct om_node_info *n);
void om_node_list_end(void);
void om_node_show(const struct om_node_info *n);
void om_node_json(const char *key, const struct om_node_info *n);
/*
 * A node list row's fields alone: the row's text without its newline,
 * or in JSON the members of the node's object, which the caller opens
 * and closes.  A program that reports more of a node (mosmon) adds its
 * own members after these, so its JSON keeps omctl's fields and order.
 */
void om_node_fields(const struct om_node_info *n);
/* A message with OM_A_NODE { } open at *nest; NULL on ENOMEM */
struct nl_msg *om_node_msg(uint8_t cmd, int flags, struct nlattr **nest);
/* GET_NODE for "ID" or "ADDR"; 0 with *n filled, or an exit code */
int om_node_get(const char *arg, const char *what, struct om_node_info *n);
bool om_node_arg_ok(const char *arg);

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
/* proc list and proc show, as node list and node show above */
void om_proc_list_begin(void);
void om_proc_table_head(void);
void om_proc_table_row(const struct om_proc_info *p);
void om_proc_list_end(void);
void om_proc_show(const struct om_proc_info *p);
void om_proc_json(const char *key, const struct om_proc_info *p);
/* A message with OM_A_PROC { } open at *nest; NULL on ENOMEM */
struct nl_msg *om_proc_msg(uint8_t cmd, int flags, struct nlattr **nest);
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

/* proc.c: migration through OM_IOC_MIGRATE (proc migrate, run) */
struct om_migrate_req;
int om_mig_resolve_node(const char *arg, const char *what, uint32_t *node);
int om_mig_open_dev(void);
int om_mig_wait(int dev, uint32_t pid, uint32_t node, struct om_migrate_req *req);
/* Ask without waiting (a detached child asks); 0 or an exit code */
int om_mig_detach(int dev, uint32_t pid, uint32_t node);
void om_mig_perror(uint32_t pid, uint32_t node, int err,
		   const struct om_migrate_req *req);
/* "node N" or "home" */
void om_mig_fmt_target(uint32_t node, char *buf, size_t len);

/* event.c: the "events" group's messages, a line or an object each */
const char *om_node_event_name(unsigned int ev);
const char *om_mig_event_name(unsigned int ev);
int om_event_print(struct nlattr **tb, void *arg);

/*
 * stats.c: the transport counters of OM_A_STATS, as the mode says;
 * om_stats_json writes the object "stats" whatever the mode.
 */
const char *om_stat_name(int type);	/* NULL for an unknown counter */
void om_stats_print(struct nlattr *nest);
void om_stats_json(struct nlattr *nest);
int om_status_print(struct nlattr **tb, void *arg);	/* omctl status */

#endif /* _OMTOOLS_H */
