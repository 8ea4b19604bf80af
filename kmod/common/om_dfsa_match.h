/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * DFSA for path calls, at the remote (Documentation/mfs.md, "DFSA"):
 * does an absolute path a migrated process names lie under one of the
 * mounts of its DFSA view (struct om_mig_dfsa_view, sent by its home)?
 * A match by text alone: the remote has neither the process's root nor
 * its mount namespace, only the mount points as the process sees them.
 * Plain C: builds in the module and in userspace (tests, fuzzers).
 *
 * The path is compared component by component with each mount point
 * (which the codec checked to be canonical: '/', no empty, "." or ".."
 * component, no trailing '/').  Repeated slashes in the path are
 * skipped, as namei skips them.  A "." or ".." component before the mount
 * point is complete gives no match (home may resolve it elsewhere:
 * forward).  The first mount all of whose components match wins; what
 * follows, its leading slashes skipped, is the name below the MFS root
 * ("2/etc/passwd").  An empty rest is the mount's root itself, which is
 * a local inode of home's: no match either.  A relative name is matched
 * against the view's cwd record instead (om_dfsa_rel()).
 */
#ifndef _OM_DFSA_MATCH_H
#define _OM_DFSA_MATCH_H

#include "om_port.h"
#include "om_mig.h"

/*
 * path[0..len) (no NUL needed, none expected inside): the index of the
 * mount it lies under, with *rest the offset of the non-empty rest in
 * path (path[*rest] is not '/'); -1 if none (not absolute, no mount,
 * "." or ".." on the way, the mount root itself).
 */
int om_dfsa_view_match(const struct om_mig_dfsa_view *v, const char *path,
		       size_t len, size_t *rest);

/*
 * Phase 3a (path mutations): a match's rest rel[0..len) split into the
 * parent, rel[0..*dlen) (not empty, without the slashes that end it),
 * and the last name, rel[*last..*last + *llen) (no '/', not "." or
 * ".."); *trail when slashes follow the last name.  0, or -1 when there
 * is no such split: nothing but slashes, a single name (its parent is
 * the mount's root, a local inode of home's), a last name "." or "..".
 */
int om_dfsa_split(const char *rel, size_t len, size_t *dlen, size_t *last,
		  size_t *llen, bool *trail);
/*
 * Phase 2 (relative names): om_dfsa_split() of a name below the start of
 * its walk (the cwd, or a directory above it) rather than below the
 * tree's root: with top_ok a single name is split too, its parent being
 * the start itself (*dlen 0).
 */
int om_dfsa_split_from(const char *rel, size_t len, bool top_ok, size_t *dlen,
		       size_t *last, size_t *llen, bool *trail);

/*
 * Phase 2: a relative name[0..len) (not empty, not starting with '/')
 * against the cwd cwd[0..cwdlen) below a mount's root (the view's cwd
 * record: canonical, relative, empty for the root).  Its leading "." and
 * ".." components and the slashes after them are taken off: *ups the
 * ".."s, *rest the offset of what follows (nothing, possibly).  Returns
 * the cwd's depth left after the climb (its components minus *ups; 0:
 * the mount's root), or -1 when the ".."s climb above the mount's root
 * (home's walk would leave the tree: forwarded) or name is not relative.
 * The cwd is a chain of directories (its path at home, no links), so a
 * leading ".." is its parent whatever the tree holds.
 */
int om_dfsa_rel(const char *cwd, size_t cwdlen, const char *name, size_t len,
		size_t *ups, size_t *rest);

/*
 * Phase 2, getcwd: the mount point mp[0..mplen) and the cwd below it,
 * cwd[0..cwdlen), as home's getcwd gives them: mp, "/" and cwd (mp alone
 * for the root), NUL-terminated, into out[0..cap).  Its length with the
 * NUL (what getcwd returns), or -1 if that is over cap.
 */
long om_dfsa_cwd_join(const char *mp, size_t mplen, const char *cwd, size_t cwdlen,
		      char *out, size_t cap);

/*
 * An LSM's label of the deputy (/proc/self/attr/current or
 * /proc/self/attr/apparmor/current, buf[0..n), any bytes): does it
 * confine the process?  Trailing newlines and NULs trimmed, nothing,
 * exactly "unconfined" (AppArmor's; its confined labels end in a mode,
 * " (enforce)") or exactly "kernel" (SELinux's name for every task
 * before a policy is loaded: nothing is enforced) does not; any other
 * label does, a loaded SELinux policy's contexts included.
 */
bool om_dfsa_label_confined(const char *buf, size_t n);

#endif /* _OM_DFSA_MATCH_H */
