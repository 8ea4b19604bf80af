/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl internals shared by the per-object files; what other programs
 * share with omctl is in libomtools (lib/omtools.h).
 */
#ifndef _OMCTL_H
#define _OMCTL_H

#include "omtools.h"

/* from the top-level VERSION file, through tools/Makefile */
#ifndef OM_TOOLS_VERSION
#error "OM_TOOLS_VERSION is not defined: build through tools/Makefile"
#endif

#define OM_DEFAULT_MAP	"/etc/openmosix/openmosix.map"

/* proc.c: a migration's outcome, as proc migrate prints it */
void om_mig_print_requested(uint32_t pid, uint32_t node);
void om_mig_print_done(uint32_t pid, uint32_t node,
		       const struct om_migrate_req *req);

/* the other commands' results, as they print them (tests feed them too) */
void om_whois_print(const struct om_node_info *n, const char *by);
void om_cluster_print(bool expel, uint32_t found, uint32_t left);
void om_ckpt_print(long pid, const char *dir, bool leave,
		   const struct om_ckpt_req *req);
void om_restore_print(int pid, uint32_t image_pid, const char *dir,
		      const struct om_restore_status *st);

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

#endif /* _OMCTL_H */
