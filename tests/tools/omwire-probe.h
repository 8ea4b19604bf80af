/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwire-probe's authenticated connection, for its attack modes in other
 * files (omwire-mig.c, omwire-mfs.c).
 */
#ifndef _OMWIRE_PROBE_H
#define _OMWIRE_PROBE_H

#include "om_port.h"

/* Seal and send one frame: 0, or -1 (the connection is gone). */
int probe_send(u8 type, const u8 *payload, u32 len);
/*
 * The next frame from the kernel, opened: 0, -1 if none came within ms,
 * -2 if the connection closed or a frame did not open.  The payload is
 * valid until the next call.
 */
int probe_recv(u8 *type, const u8 **payload, u32 *plen, int ms);
void probe_random(void *buf, size_t len);
/* The attack modes' pseudo-random numbers: seed once (printed), then draw */
void probe_seed(void);
u64 probe_rnd(void);
/* CLOCK_MONOTONIC in ms */
long long probe_now_ms(void);

/* omwire-mig.c: MODE "mig-..." after the handshake as node self; exit status */
int mig_main(const char *mode, u16 self, int argc, char **argv);
/* omwire-mfs.c: MODE "mfs-..." after a handshake announcing MFS; exit status */
int mfs_main(const char *mode, u16 self, int argc, char **argv);
/*
 * The features the MFS modes announce: OM_WIRE_FEAT_MFS and
 * OM_WIRE_FEAT_MFS_PLUS, or OMWIRE_MFS_FEATURES=N (4: a node of the
 * version before READDIRPLUS)
 */
u8 probe_mfs_features(void);

#endif /* _OMWIRE_PROBE_H */
