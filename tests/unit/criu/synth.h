/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The openMosix-NG developers. */
/*
 * A synthetic single-threaded process, described with om_criu structs, as
 * criu 3.17 would dump it.  Shared by the unit tests, the image writer and
 * the fuzz seed generator.
 */
#ifndef _OM_SYNTH_H
#define _OM_SYNTH_H
#include "om_criu.h"

#define SYN_PID		4242
#define SYN_FILES_ID	2
#define SYN_IP		0x401234ull
#define SYN_SP		0x7ffc00020ff0ull
#define SYN_EXE		"/usr/bin/omtest"
#define SYN_CWD		"/tmp"
#define SYN_PIPE_ID	777
#define SYN_PIPE_DATA	"hello"
#define SYN_FIFO_ID	888
#define SYN_FIFO_DATA	"in a fifo"
#define SYN_FIFO_PATH	"/tmp/omtest.fifo"
#define SYN_NR_PAGES	4

struct synth {
	struct om_criu_inventory_entry inv;
	struct om_criu_task_kobj_ids_entry root_ids, ids;
	struct om_criu_pstree_entry pstree;
	struct om_criu_core_entry core;
	struct om_criu_mm_entry mm;
	struct om_criu_pagemap_head pm_head;
	struct om_criu_pagemap_entry pm[3];
	struct om_criu_fs_entry fs;
	struct om_criu_file_entry files[14];
	unsigned int n_files;
	struct om_criu_fdinfo_entry fdinfo[10];
	unsigned int n_fdinfo;
	struct om_criu_pipe_data_entry pipe_data;
	struct om_criu_pipe_data_entry fifo_data;
	struct om_criu_tty_info_entry tty;
	struct om_criu_seccomp_entry seccomp;
	struct om_criu_timens_entry timens;
};

/* Fills *s (static storage behind the pointers; one instance at a time). */
void synth_build(struct synth *s);
/* Writes the whole image directory; returns 0 or -errno. */
int synth_write_dir(const struct synth *s, const char *dir);
#endif
