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
/*
 * Shared anonymous memory: a 4-page MAP_SHARED|MAP_ANONYMOUS VMA, its
 * pages 0 and 2 in pagemap-shmem-SYN_SHMID.img / pages-2.img (bytes
 * 0xc0, 0xc1), pages 1 and 3 holes
 */
#define SYN_SHMID	7777
#define SYN_SHM_START	0x7fff10000000ull
#define SYN_SHM_PAGES	4
/*
 * Two deleted open files (ghost files): fd 10 on a chunked one of
 * SYN_GHOST1_SIZE bytes (two pieces, holes around them), fd 11 on a small
 * one whose contents follow its entry
 */
#define SYN_GHOST_PATH	"/tmp/omtest.ghost"
#define SYN_GHOST1_SIZE	20000
#define SYN_GHOST2_PATH	"/tmp/omtest.small"
#define SYN_GHOST2_DATA	"a small deleted file\n"

struct synth {
	struct om_criu_inventory_entry inv;
	struct om_criu_task_kobj_ids_entry root_ids, ids;
	struct om_criu_pstree_entry pstree;
	struct om_criu_core_entry core;
	struct om_criu_mm_entry mm;
	struct om_criu_pagemap_head pm_head;
	struct om_criu_pagemap_entry pm[3];
	struct om_criu_pagemap_head shm_head;
	struct om_criu_pagemap_entry shm_pm[2];
	struct om_criu_fs_entry fs;
	struct om_criu_file_entry files[16];
	unsigned int n_files;
	struct om_criu_fdinfo_entry fdinfo[12];
	unsigned int n_fdinfo;
	struct om_criu_pipe_data_entry pipe_data;
	struct om_criu_pipe_data_entry fifo_data;
	struct om_criu_tty_info_entry tty;
	struct om_criu_seccomp_entry seccomp;
	struct om_criu_timens_entry timens;
	struct om_criu_remap_file_path_entry remap[2];
	struct om_criu_ghost_file_entry ghost[2];
};

/* The chunked ghost's pieces: offset, length, fill byte */
struct synth_piece {
	u64 off, len;
	u8 fill;
};

extern const struct synth_piece synth_ghost1[2];

/* Fills *s (static storage behind the pointers; one instance at a time). */
void synth_build(struct synth *s);
/* Writes the whole image directory; returns 0 or -errno. */
int synth_write_dir(const struct synth *s, const char *dir);
#endif
