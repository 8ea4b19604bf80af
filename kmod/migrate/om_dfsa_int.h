/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * DFSA for path calls at the remote: what om_dfsa_path.c (phase 1, the
 * calls that read) shares with om_dfsa_mut.c (phase 3a, the calls that
 * change the tree).  The guest's own context only.
 */
#ifndef _OM_DFSA_INT_H
#define _OM_DFSA_INT_H

#include <linux/types.h>

#include "om_mig.h"

struct om_remote;
struct path;

/* What the matched mount of the view says */
struct om_dfsa_hit {
	u32 dev;
	u64 attr_mask;
	u32 gen;		/* the view's: two names must be matched by one */
	int k;			/* the mount's index in it */
	u32 mnt_id;
	bool ro;
	char *rel;		/* the name below the tree's root (or the start), in the copy */
	/*
	 * A relative name (phase 2): rel is below the start, ups levels above
	 * the cwd (cwdp, in the remote's cwdbuf, MFS's node and handle); top:
	 * the start is the tree's root, and rel below it as for an absolute one
	 */
	bool cwd, top;
	unsigned int ups;
	const char *cwdp;
	u16 node;
	u8 fhlen;
	u8 fh[OM_MIG_DFSA_FH_MAX];
};

/* An answer of this errno is the tree's and the credentials' alone */
bool om_dfsa_path_final(long res, bool einval);
/* om_mfs_dfsa_walk(), once more with LOOKUP_REVAL after an ESTALE */
int om_dfsa_walk(const char *rel, unsigned int lflags, struct path *p);
/*
 * name (h->rel or a part of it) walked as h says: below the tree's root,
 * or from h's cwd (checked to be home's, else -EXDEV); "" is the start
 * itself.  Once more with LOOKUP_REVAL after an ESTALE.
 */
int om_dfsa_hwalk(const struct om_dfsa_hit *h, const char *name, unsigned int lflags,
		  struct path *p);
/* uname copied into *buf (PATH_MAX, made at the first use): its length or an errno */
long om_dfsa_path_copy(char **buf, u64 uname);
/*
 * The call's name, copied into *buf, under the view: *h (h->rel points
 * into *buf), and this guest holds the private mount.  An absolute name
 * under a mount of the view, or a relative one with dfd AT_FDCWD when
 * the view has a cwd record, not climbing above its mount's root.
 * False: forward.
 */
bool om_dfsa_path_match(struct om_remote *r, int dfd, u64 uname, char **buf,
			struct om_dfsa_hit *h);

/* om_dfsa_mut.c: the calls that change the tree (phase 3a) */
bool om_dfsa_mut_nr(u32 nr);
bool om_dfsa_mut_serve(struct om_remote *r, u32 nr, const u64 args[6], long *ret);

#endif /* _OM_DFSA_INT_H */
