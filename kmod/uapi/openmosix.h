/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Generic netlink interface of the openMosix-NG module, family "openmosix".
 *
 * Commands (attributes in brackets; * = admin only, GENL_ADMIN_PERM):
 *
 * OM_CMD_GET_STATUS            do: reply carries
 *                                [OM_A_NODE (this node, nested om_node_attr),
 *                                 OM_A_NODES_TOTAL, OM_A_NODES_UP, OM_A_KEY_SET,
 *                                 OM_A_VERSION, OM_A_STATS (nested om_stat_attr)]
 * OM_CMD_GET_NODE              do: [OM_A_NODE { OM_NA_ID } or { OM_NA_ADDR }]
 *                              -> one OM_A_NODE;  dump: every node, self first.
 *                              OM_NA_ADDR matches primary and alias addresses;
 *                              replies and events list the node's aliases as
 *                              repeated OM_NA_ALIAS.
 * OM_CMD_ADD_NODE *            [OM_A_NODE { OM_NA_ID, OM_NA_ADDR, [OM_NA_PORT],
 *                                [OM_NA_FLAGS: OM_NF_DISCOVERED],
 *                                [OM_NA_ALIAS ...] }]
 *                              adds a node or, for a discovered node, refreshes
 *                              it; -EEXIST if the ID or an address (primary or
 *                              alias) is taken by a different node.  An
 *                              address (primary or alias) local to this
 *                              machine makes the node this node ("self").
 *                              Aliases given for an existing node replace
 *                              its aliases.
 * OM_CMD_DEL_NODE *            [OM_A_NODE { OM_NA_ID }]
 * OM_CMD_SET_NODE *            [OM_A_NODE { OM_NA_ID, OM_NA_BLOCKED }]
 *                              block (no traffic, no migration) / unblock
 * OM_CMD_LOAD_MAP *            [OM_A_MAP { OM_A_NODE ... }] replaces every
 *                              static node at once; all or nothing.  Each
 *                              OM_A_NODE may carry OM_NA_ALIAS (map ALIAS
 *                              lines); they replace a kept node's aliases.
 * OM_CMD_SET_KEY *             [OM_A_KEY (exactly OM_KEY_LEN bytes)] sets the
 *                              cluster key; there is no way to read it back
 * OM_CMD_NODE_EVENT            multicast on group "events":
 *                              [OM_A_EVENT, OM_A_NODE]
 * OM_CMD_GET_PROC              do: [OM_A_PROC { OM_PA_PID }] -> one OM_A_PROC;
 *                              dump: every process of this node (threads
 *                              and kernel threads are not listed), or with
 *                              [OM_A_PROC { OM_PA_GUEST }] only the guests
 *                              it hosts.  Pids are in the caller's pid
 *                              namespace; a thread's id is -EINVAL.
 * OM_CMD_SET_PROC              [OM_A_PROC { OM_PA_PID, and one or more of
 *                                [OM_PA_LOCKED], [OM_PA_HINT],
 *                                [OM_PA_NODE_POLICY, OM_PA_NODE ...] }]
 *                              the process's balancing policy, set at once
 *                              (all or nothing; what is not named stays):
 *                              lock/unlock; cpu/io hint (restarts its
 *                              decay); allowed (ALLOW) or denied (DENY)
 *                              nodes, 1..OM_PROC_NODES_MAX distinct
 *                              OM_PA_NODE, or ANY with none to clear the
 *                              list.  Its children forked afterwards
 *                              inherit all of it.  Root (CAP_SYS_ADMIN),
 *                              or a caller whose real or effective uid is
 *                              the process's real or effective uid
 *                              (-EPERM); a process still being forked is
 *                              -EAGAIN
 * OM_CMD_MIG_EVENT             multicast on group "events":
 *                              [OM_A_MIG_EVENT, OM_A_PROC, [OM_A_REASON]]
 *
 * OM_NA_ALIAS (multi-homed nodes, the map's ALIAS lines) may repeat inside
 * one OM_A_NODE, at most OM_NODE_ALIASES_MAX times (-E2BIG beyond); an
 * alias is validated like a primary address and belongs to one node only.
 *
 * Addresses are IPv4 in network byte order.  Loads are fixed point: 100 =
 * one fully busy reference CPU (speed 10000).
 */
#ifndef _UAPI_OPENMOSIX_H
#define _UAPI_OPENMOSIX_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define OM_GENL_NAME		"openmosix"
#define OM_GENL_VERSION		1
#define OM_GENL_MCGRP_EVENTS	"events"
#define OM_KEY_LEN		32
#define OM_NODE_ID_MAX		65535
#define OM_NODE_ALIASES_MAX	6	/* openMosix allowed up to 6 aliases */

enum om_cmd {
	OM_CMD_UNSPEC,
	OM_CMD_GET_STATUS,
	OM_CMD_GET_NODE,
	OM_CMD_ADD_NODE,
	OM_CMD_DEL_NODE,
	OM_CMD_SET_NODE,
	OM_CMD_LOAD_MAP,
	OM_CMD_SET_KEY,
	OM_CMD_NODE_EVENT,
	OM_CMD_GET_PROC,
	OM_CMD_SET_PROC,
	OM_CMD_MIG_EVENT,
	__OM_CMD_MAX,
};
#define OM_CMD_MAX (__OM_CMD_MAX - 1)

enum om_attr {
	OM_A_UNSPEC,
	OM_A_NODE,		/* nest: enum om_node_attr */
	OM_A_MAP,		/* nest: OM_A_NODE entries */
	OM_A_KEY,		/* binary, OM_KEY_LEN bytes */
	OM_A_KEY_SET,		/* u8: a cluster key is set */
	OM_A_NODES_TOTAL,	/* u32 */
	OM_A_NODES_UP,		/* u32, this node included */
	OM_A_VERSION,		/* string */
	OM_A_STATS,		/* nest: enum om_stat_attr */
	OM_A_EVENT,		/* u8: enum om_event */
	OM_A_PAD,
	OM_A_PROC,		/* nest: enum om_proc_attr */
	OM_A_MIG_EVENT,		/* u8: enum om_mig_event */
	OM_A_REASON,		/* string: why a migration failed */
	__OM_A_MAX,
};
#define OM_A_MAX (__OM_A_MAX - 1)

enum om_node_attr {
	OM_NA_UNSPEC,
	OM_NA_ID,		/* u16, 1..65535 */
	OM_NA_ADDR,		/* be32 IPv4 address */
	OM_NA_PORT,		/* u16 */
	OM_NA_STATE,		/* u8: enum om_node_state */
	OM_NA_FLAGS,		/* u32: OM_NF_* */
	OM_NA_BLOCKED,		/* u8 (OM_CMD_SET_NODE) */
	OM_NA_LOAD,		/* u32: decayed, speed-normalised load */
	OM_NA_RUNNABLE,		/* u32: runnable tasks */
	OM_NA_CPUS,		/* u32 */
	OM_NA_SPEED,		/* u32 */
	OM_NA_MEM_TOTAL,	/* u64, bytes */
	OM_NA_MEM_FREE,		/* u64, bytes */
	OM_NA_UPTIME,		/* u64, seconds */
	OM_NA_LAST_HEARD,	/* u64, milliseconds since last heard (not self) */
	OM_NA_PAD,
	OM_NA_ALIAS,		/* be32 IPv4 alias address, repeated */
	__OM_NA_MAX,
};
#define OM_NA_MAX (__OM_NA_MAX - 1)

enum om_node_state {
	OM_NODE_DOWN,
	OM_NODE_UP,
	OM_NODE_SELF,
};

#define OM_NF_STATIC		(1U << 0)	/* from omctl node add / map */
#define OM_NF_DISCOVERED	(1U << 1)	/* from omdiscd */
#define OM_NF_BLOCKED		(1U << 2)
#define OM_NF_SELF		(1U << 3)

enum om_event {
	OM_EV_NODE_ADDED = 1,
	OM_EV_NODE_REMOVED,
	OM_EV_NODE_UP,
	OM_EV_NODE_DOWN,
	OM_EV_NODE_BLOCKED,
	OM_EV_NODE_UNBLOCKED,
};

/*
 * A process as OM_CMD_GET_PROC shows it.  Node ids are those of the node
 * table; "where" is this node's id for a process running here.
 */
enum om_proc_attr {
	OM_PA_UNSPEC,
	OM_PA_PID,		/* u32: pid on this node (a guest's local pid) */
	OM_PA_WHERE,		/* u16: node it runs on */
	OM_PA_HOME,		/* u16: its home node */
	OM_PA_HOME_PID,		/* u32: its pid at home (guests) */
	OM_PA_NMIGS,		/* u32: migrations so far */
	OM_PA_LOCKED,		/* u8: never moved automatically */
	OM_PA_CANTMOVE,		/* string: why it cannot move, absent if it can */
	OM_PA_AWAY_MS,		/* u64: time away from home, this stay */
	OM_PA_UID,		/* u32: real uid */
	OM_PA_COMM,		/* string */
	OM_PA_GUEST,		/* flag: a guest here (dump request: guests only) */
	OM_PA_PAD,
	OM_PA_HINT,		/* u8: enum om_proc_hint (mosrun -c / -i) */
	OM_PA_HINT_LEFT,	/* u16: permille of the hint's strength left */
	OM_PA_NODE_POLICY,	/* u8: enum om_proc_nodes, what OM_PA_NODE lists */
	OM_PA_NODE,		/* u16: a node id, repeated (OM_PROC_NODES_MAX) */
	__OM_PA_MAX,
};
#define OM_PA_MAX (__OM_PA_MAX - 1)

/*
 * A hint for the balancer (openMosix's cpujob / iojob): it stands in for
 * the process's measured statistics and fades as they did, keeping 975
 * permille every 2 s (Documentation/balancer.md): an iojob is kept home
 * (or sent home) and a cpujob balanced, until its behaviour shows.
 */
enum om_proc_hint {
	OM_HINT_NONE,
	OM_HINT_CPU,
	OM_HINT_IO,
};

/* What a process's node list means (openMosix's migfilter/migpolicy) */
enum om_proc_nodes {
	OM_NODES_ANY,		/* no list: every node */
	OM_NODES_ALLOW,		/* only the listed nodes (and home) */
	OM_NODES_DENY,		/* every node but the listed ones */
};
#define OM_PROC_NODES_MAX	8

enum om_mig_event {
	OM_MEV_START = 1,	/* leaving for OM_PA_WHERE */
	OM_MEV_ARRIVED,		/* running at OM_PA_WHERE */
	OM_MEV_FAILED,		/* still where it was; OM_A_REASON says why */
	OM_MEV_HOME,		/* came home */
	OM_MEV_GUEST_IN,	/* (at the remote) a guest arrived */
	OM_MEV_GUEST_OUT,	/* (at the remote) a guest left or ended */
};

/* Counters (u64 each) of the transport; bad input only moves these. */
enum om_stat_attr {
	OM_SA_UNSPEC,
	OM_SA_RX_FRAMES,
	OM_SA_TX_FRAMES,
	OM_SA_RX_BAD_FRAME,	/* malformed header or length */
	OM_SA_RX_BAD_AUTH,	/* AEAD open failed: wrong key or tampering */
	OM_SA_RX_REPLAY,	/* sequence number not the expected one */
	OM_SA_HANDSHAKE_FAIL,
	OM_SA_CONN_ACCEPTED,
	OM_SA_CONN_OPENED,
	OM_SA_CONN_CLOSED,
	OM_SA_UNKNOWN_PEER,	/* authenticated but not in the node table */
	OM_SA_PAD,
	__OM_SA_MAX,
};
#define OM_SA_MAX (__OM_SA_MAX - 1)

/*
 * Checkpoint (kmod/migrate, issue 5).  Not a generic netlink command: a
 * checkpoint can take seconds and genetlink handlers of this family run
 * under genl_mutex, and the image files must be created with the
 * caller's credentials in a directory the caller chose.  So it is an
 * ioctl on the misc device OM_DEV_PATH (mode 0666; the kernel checks
 * permissions per target):
 *
 *   fd = open(OM_DEV_PATH, O_RDWR);
 *   dir = open(DIR, O_RDONLY | O_DIRECTORY);
 *   mem = open("/proc/PID/mem", O_RDONLY);      (-1 if that failed)
 *   struct om_ckpt_req r = { .size = sizeof(r), .pid = PID, .dir_fd = dir,
 *                            .mem_fd = mem,
 *                            .flags = OM_CKPT_LEAVE_RUNNING or 0 };
 *   ioctl(fd, OM_IOC_CHECKPOINT, &r);
 *
 * The kernel freezes the (single-threaded) process at a safe point and
 * writes CRIU 3.17 image files (inventory.img, pstree.img, core-PID.img,
 * ids-PID.img, mm-PID.img, pagemap-PID.img, pages-1.img, fs-PID.img,
 * files.img, fdinfo-2.img, tty-info.img if needed) into DIR itself, with
 * the caller's credentials, mode 0600.  Then it kills the process
 * (SIGKILL) or, with OM_CKPT_LEAVE_RUNNING, lets it continue.  On error
 * errno is set and, when the process was refused ("cantmove") or the
 * checkpoint failed, r.reason says why; the process is left running.
 * Permission is ptrace-attach permission, root included: the caller must
 * have opened the target's /proc/PID/mem itself (the kernel's
 * PTRACE_MODE_ATTACH check: uids, capabilities, dumpability, Yama's
 * ptrace_scope, LSMs) and pass that fd; the target re-checks at the
 * freeze point that it still runs the same program with the same
 * credentials.  DIR must not be writable by anyone but the caller (or be
 * sticky and the caller's), and no image file may exist in it yet.
 */
#define OM_DEV_PATH		"/dev/openmosix"
#define OM_IOC_MAGIC		0xB7
#define OM_CKPT_REASON_LEN	128

#define OM_CKPT_LEAVE_RUNNING	(1U << 0)	/* resume instead of SIGKILL */

struct om_ckpt_req {
	__u32 size;		/* in: sizeof(struct om_ckpt_req) */
	__u32 flags;		/* in: OM_CKPT_* */
	__s32 pid;		/* in: target, in the caller's pid namespace */
	__s32 dir_fd;		/* in: image directory, opened O_DIRECTORY */
	__s32 mem_fd;		/* in: the target's /proc/PID/mem, or -1 */
	__u32 pad;		/* in: 0 */
	__u64 pages;		/* out: pages written to pages-1.img */
	__u64 bytes;		/* out: bytes written in all image files */
	__u32 vmas;		/* out: VMAs in mm-PID.img */
	__u32 fds;		/* out: file descriptors in fdinfo-2.img */
	char reason[OM_CKPT_REASON_LEN];	/* out: NUL-terminated */
};

#define OM_IOC_CHECKPOINT	_IOWR(OM_IOC_MAGIC, 1, struct om_ckpt_req)

/*
 * Migration (issue 10): move process PID to node @node, or home with
 * @node = 0, as omctl proc migrate / home do.  Same permission as a
 * checkpoint (mem_fd: the caller opened /proc/PID/mem), and a non-root
 * caller must be the process's real or effective uid.  Returns when the
 * process runs at the target, or fails with errno and reason, the
 * process still running where it was.
 */
#define OM_MIG_HOME		0

struct om_migrate_req {
	__u32 size;		/* in: sizeof(struct om_migrate_req) */
	__u32 flags;		/* in: 0 */
	__s32 pid;		/* in: target, in the caller's pid namespace */
	__s32 mem_fd;		/* in: the target's /proc/PID/mem, or -1 */
	__u32 node;		/* in: target node id, or OM_MIG_HOME */
	__u32 pad;		/* in: 0 */
	__u64 pages;		/* out: pages sent */
	__u64 bytes;		/* out: bytes sent */
	__u64 usecs;		/* out: time from freeze to running again */
	char reason[OM_CKPT_REASON_LEN];	/* out: NUL-terminated */
};

#define OM_IOC_MIGRATE		_IOWR(OM_IOC_MAGIC, 3, struct om_migrate_req)

/*
 * omctl cluster expel / bring (as mosctl expel / bring): send every guest
 * on this node home, or bring every process of this node that runs
 * elsewhere home, and wait until none is left or @timeout_ms passed
 * (-ETIMEDOUT, @left says how many remain; a signal: -EINTR).  Root
 * (CAP_SYS_ADMIN) only.
 */
enum om_cluster_op {
	OM_CLUSTER_EXPEL = 1,
	OM_CLUSTER_BRING,
};

struct om_cluster_req {
	__u32 size;		/* in: sizeof(struct om_cluster_req) */
	__u32 op;		/* in: enum om_cluster_op */
	__u32 timeout_ms;	/* in: 0 = do not wait */
	__u32 found;		/* out: processes there were to move */
	__u32 left;		/* out: processes still there at the end */
	__u32 pad;		/* in: 0 */
	char reason[OM_CKPT_REASON_LEN];	/* out: NUL-terminated */
};

#define OM_IOC_CLUSTER		_IOWR(OM_IOC_MAGIC, 5, struct om_cluster_req)

/*
 * Internal, between the module and "omctl guest ID", the keeper the kernel
 * starts (as root, a usermode helper) at the remote for each process that
 * arrives: OPEN gives the keeper the received image directory (fd);
 * ATTACH, called by the keeper's child before OM_IOC_RESTORE, makes the
 * restored process the guest of migration ID; REPORT tells how the
 * restore failed (status = -errno, reason) or, once it runs, each wait
 * status of the guest (stopped, continued, exited, killed).  Root only.
 */
enum om_guest_op {
	OM_GUEST_OPEN = 1,
	OM_GUEST_ATTACH,
	OM_GUEST_REPORT,
};

struct om_guest_req {
	__u32 size;		/* in: sizeof(struct om_guest_req) */
	__u32 op;		/* in: enum om_guest_op */
	__u64 id;		/* in: the migration id */
	__s32 fd;		/* out (OPEN): the image directory */
	__s32 status;		/* in (REPORT): wait status, or -errno */
	__u32 running;		/* in (REPORT): 1 = a wait status of the guest */
	__u32 pad;
	char reason[OM_CKPT_REASON_LEN];	/* in (REPORT of a failure) */
};

#define OM_IOC_GUEST		_IOWR(OM_IOC_MAGIC, 4, struct om_guest_req)

/*
 * Restore (issue 5).  Called by the process that becomes the restored
 * one: omctl restore forks a single-threaded child that sets up what
 * userspace can (fds, cwd, root, umask, rlimits, signal handlers, pending
 * signals, creds, comm, personality, all signals blocked, [vvar]/[vdso]
 * moved to the image's addresses), then
 *
 *   struct om_restore_req r = { .size = sizeof(r), .dir_fd = dir,
 *                               .status_fd = sock };
 *   ioctl(fd, OM_IOC_RESTORE, &r);
 *
 * The kernel reads pstree, core, mm, pagemap, pages and files images from
 * DIR, checks all of them, then replaces the caller's memory with the
 * image's, sets its registers, FPU state, FS/GS base, blocked signals,
 * sigaltstack, rseq, robust list and clear_child_tid, closes dir_fd,
 * status_fd and every fd of /dev/openmosix, and returns into the restored
 * program (through a trampoline that mprotect()s read-only private memory
 * the kernel filled, with ordinary writes, while it was writable).  Errors found before the memory is replaced come back as -1
 * with errno and r.reason, the caller unchanged.  After that point the
 * kernel writes a struct om_restore_status to status_fd (err 0 on
 * success) and, on failure, kills the caller with SIGKILL.  Use one end
 * of a socketpair: on a socket the report never raises SIGPIPE in the
 * restored process if the reader is gone (on a pipe it would).
 *
 * Credentials (Documentation/trust-model.md): the images are read with
 * the caller's credentials; the image must name credentials.  Other
 * users restore only images of their own ids.  A caller with CAP_SETUID
 * sets the image's real uid, gids and groups itself first (setresuid(uid,
 * 0, 0) keeps its privileges); the kernel opens the mapped files with,
 * and at the point of no return commits, the image's effective, saved
 * and fs ids and its capabilities (at most the caller's).  Such a caller
 * is refused an image that root or the image's uid did not write (an
 * owner or a group/other-writable dir or file), or that a user wrote
 * but claims other ids or capabilities, unless it sets
 * OM_RST_TRUST_IMAGE.  32-bit callers are refused (EOPNOTSUPP).
 */
#define OM_RST_REASON_LEN	OM_CKPT_REASON_LEN
#define OM_RST_TRUST_IMAGE	0x1	/* root accepts an untrusted image (dangerous) */

struct om_restore_req {
	__u32 size;		/* in: sizeof(struct om_restore_req) */
	__u32 flags;		/* in: OM_RST_* */
	__s32 dir_fd;		/* in: image directory, opened O_DIRECTORY */
	__s32 status_fd;	/* in: socket (or pipe) for om_restore_status, or -1 */
	__s32 pid;		/* out: the pid in the images */
	__u32 vmas;		/* out: VMAs mapped */
	__u64 pages;		/* out: pages filled from pages-N.img */
	char reason[OM_RST_REASON_LEN];	/* out: NUL-terminated */
};

struct om_restore_status {
	__s32 err;		/* 0, or a negative errno */
	__u32 vmas;
	__u64 pages;
	char reason[OM_RST_REASON_LEN];
};

#define OM_IOC_RESTORE		_IOWR(OM_IOC_MAGIC, 2, struct om_restore_req)

#endif /* _UAPI_OPENMOSIX_H */
