// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Writes small seed corpora for the fuzz targets into DIR/<target>/.
 * Seeds are generated, not committed.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "crypto_ossl.h"
#include "fuzz_common.h"
#include "om_load.h"
#include "om_map.h"
#include "om_mfs_wire.h"
#include "om_mig.h"

static const char *dir;

static void put(const char *target, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static void session_mode(struct om_wire_session *s, struct ossl_aead_ctx *c,
			 struct ossl_test_rng *rng, enum om_wire_role role,
			 u16 id, u8 mode)
{
	struct om_wire_config cfg = { 0 };
	u8 key[OM_WIRE_KEY_LEN];

	memset(key, FUZZ_KEY_BYTE, sizeof(key));
	cfg.role = role;
	cfg.node_id = id;
	cfg.cluster_key = key;
	cfg.aead = &ossl_aead_ops;
	cfg.aead_lt = &c[0];
	cfg.aead_tx = &c[1];
	cfg.aead_rx = &c[2];
	cfg.hmac = &ossl_hmac_ops;
	cfg.mac = &ossl_mac_ops;
	cfg.mode = mode;
	cfg.rng = ossl_rng;
	cfg.rng_ctx = rng;
	if (om_wire_session_init(s, &cfg))
		exit(1);
}

static void session(struct om_wire_session *s, struct ossl_aead_ctx *c,
		    struct ossl_test_rng *rng, enum om_wire_role role, u16 id)
{
	session_mode(s, c, rng, role, id, OM_WIRE_MODE_PRIVATE);
}

/* fuzz_wire's integrity mode (first byte's bit 7): HELLO and frames */
static void integrity_seed(void)
{
	struct ossl_aead_ctx ci[3] = { 0 }, cr[3] = { 0 };
	struct ossl_test_rng ri = { FUZZ_SEED_I }, rr = { FUZZ_SEED_R };
	struct om_wire_session si, sr;
	struct om_wire_frame f;
	u8 stream[1024], hb[OM_WIRE_HELLO_FRAME_MAX];
	size_t off = 0;
	int n;

	session_mode(&si, ci, &ri, OM_WIRE_INITIATOR, 1,
		     OM_WIRE_MODE_INTEGRITY);
	session_mode(&sr, cr, &rr, OM_WIRE_RESPONDER, 2,
		     OM_WIRE_MODE_INTEGRITY);
	stream[off++] = 0x80 | 7;
	n = om_wire_hello_build(&si, FUZZ_NOW, stream + off, 200);
	off += n;
	n = om_wire_hello_build(&sr, FUZZ_NOW, hb, sizeof(hb));
	if (n < 0 || om_wire_frame_decode(hb, n, &f) ||
	    om_wire_hello_accept(&si, &f, FUZZ_NOW, NULL) ||
	    om_wire_session_derive(&si))
		exit(1);
	n = om_wire_seal_frame(&si, OM_WIRE_T_HEARTBEAT, 0, 0,
			       (const u8 *)"clear", 5, stream + off,
			       sizeof(stream) - off);
	off += n;
	n = om_wire_seal_frame(&si, OM_WIRE_T_MIG_FIRST, OM_WIRE_F_MORE, 5,
			       (const u8 *)"page", 4, stream + off,
			       sizeof(stream) - off);
	off += n;
	put("fuzz_wire", "integrity-session", stream, off);
}

static u32 seq_rng(void *ctx)
{
	u32 *s = ctx;

	return (*s)++;
}

static int make_load(u8 *buf, size_t cap, int nodes)
{
	struct om_load_entry self = { .node = 1, .addr = 0x0a000001,
				      .port = 4660, .cpus = 4, .speed = 12000 };
	struct om_load_sample smp = { 3000, 1 << 20, 1 << 19, 3600 };
	struct om_load_entry e = { .gen = 5, .cpus = 2, .load = 700 };
	struct om_load_table t;
	u32 seed = 0;
	int i, n;

	om_load_table_init(&t, &self, 64, 30);
	om_load_tick(&t, &smp);
	for (i = 0; i < nodes; i++) {
		e.node = (u16)(2 + i);
		e.addr = 0x0a000002 + (u32)i;
		e.age = (u32)i;
		om_load_merge(&t, &e, 1);
	}
	n = om_load_encode(&t, 8, seq_rng, &seed, buf, cap);
	/* a PULL on the push, or the answer to one, now and then */
	if (n > 0 && nodes == 3)
		n = om_load_put_pull(buf, (size_t)n, cap,
				     &(struct om_load_range){ 1, 65535 });
	else if (n > 0 && nodes == 20)
		n = om_load_encode_answer(&t, 9, &(struct om_load_range){ 300, 2 },
					  4, buf, cap);
	om_load_table_destroy(&t);
	return n;
}

static void mig_put(const char *name, const struct om_mig_msg *m)
{
	static u8 buf[4096];
	int n = om_mig_encode(m, buf, sizeof(buf));

	if (n < 0) {
		fprintf(stderr, "gen_corpus: %s: %d\n", name, n);
		exit(1);
	}
	put("fuzz_mig", name, buf, (size_t)n);
}

/* One valid payload of every migration message type */
static void mig_seeds(void)
{
	static const u8 siginfo[OM_MIG_SIGINFO_LEN] = { 10 };
	static const u8 bytes[64] = "write me";
	struct om_mig_msg m;
	int i;

#define MIG(t)	do { memset(&m, 0, sizeof(m)); m.type = (t); m.mig_id = 7; } while (0)
	MIG(OM_MIG_OFFER);
	m.offer.home_pid = 4242;
	m.offer.ruid = m.offer.euid = 1000;
	m.offer.rgid = m.offer.egid = 1000;
	m.offer.image_bytes = 1 << 20;
	m.offer.caps.proto = OM_MIG_PROTO;
	m.offer.caps.kmajor = 6;
	m.offer.caps.kminor = 12;
	m.offer.caps.xfeatures = 0x2e7;
	m.offer.caps.xstate_size = 2696;
	for (i = 0; i < OM_MIG_CPUID_WORDS; i++)
		m.offer.caps.cpuid[i] = 0x12345678U >> i;
	m.offer.comm = (struct om_mig_str){ "bash", 4 };
	mig_put("offer", &m);
	/* the balancer's: the same with its view after comm */
	m.offer.automatic = true;
	m.offer.bal.kind = OM_MIG_BAL_LOAD;
	m.offer.bal.sender_load = 3 * 1024;
	m.offer.bal.d_target = 1024;
	m.offer.bal.d_self = 768;
	mig_put("offer-auto", &m);
	m.offer.bal.kind = OM_MIG_BAL_USHER;
	m.offer.bal.sender_load = 0;
	mig_put("offer-usher", &m);
	/* and the process's policy after the view */
	m.offer.pol.flags = OM_MIG_POL_LOCKED | OM_MIG_POL_HINT_IO;
	m.offer.pol.hint_age_ms = 12345;
	mig_put("offer-policy", &m);
	MIG(OM_MIG_ACCEPT);
	m.accept.err = -ENOSPC;
	m.accept.reason = (struct om_mig_str){ "no room", 7 };
	mig_put("accept", &m);
	MIG(OM_MIG_IMG);
	m.img.name = (struct om_mig_str){ "pages-1.img", 11 };
	m.img.offset = 8192;
	m.img.flags = OM_MIG_IMG_LAST;
	m.img.data = bytes;
	m.img.len = sizeof(bytes);
	mig_put("img", &m);
	MIG(OM_MIG_COMMIT);
	m.commit.n_images = 11;
	m.commit.total_bytes = 123456;
	mig_put("commit", &m);
	/* a remote's on the way home: the last numbered signal it took */
	m.commit.has_sig_seq = true;
	m.commit.sig_seq = 41;
	mig_put("commit-sigseq", &m);
	MIG(OM_MIG_PREPARE);
	m.commit.n_images = 10;
	m.commit.total_bytes = 4567;
	mig_put("prepare", &m);
	MIG(OM_MIG_DONE);
	m.done.remote_pid = 31337;
	m.done.reason = (struct om_mig_str){ "ok", 2 };
	mig_put("done", &m);
	MIG(OM_MIG_SYSREQ);
	m.sysreq.seq = 1;
	m.sysreq.nr = 1;
	m.sysreq.args[0] = 1;
	m.sysreq.args[2] = 8;
	m.sysreq.nbuf = 3;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_INOUT, .niov = 0, .len = 8,
		.data = bytes };
	m.sysreq.buf[1] = (struct om_mig_buf){
		.arg = 3, .dir = OM_MIG_BUF_IN, .niov = 0, .len = 5,
		.data = bytes };
	m.sysreq.buf[2] = (struct om_mig_buf){
		.arg = 4, .dir = OM_MIG_BUF_OUT, .niov = 0, .len = 8,
		.data = NULL };
	mig_put("sysreq", &m);
	/* writev(1, iov, 2): the iovec array, then the data */
	m.sysreq.nr = 20;
	m.sysreq.nbuf = 1;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_IN, .niov = 2, .len = 8,
		.data = bytes };
	mig_put("sysreq-writev", &m);
	/* readv(1, iov, 3): only the array; len is the room */
	m.sysreq.nr = 19;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 3, .len = 300,
		.data = bytes };
	mig_put("sysreq-readv", &m);
	MIG(OM_MIG_SYSREP);
	m.sysrep.seq = 1;
	m.sysrep.ret = 8;
	m.sysrep.nbuf = 2;
	m.sysrep.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 0, .len = 8,
		.data = bytes };
	m.sysrep.buf[1] = (struct om_mig_buf){
		.arg = 4, .dir = OM_MIG_BUF_OUT, .niov = 0, .len = 0,
		.data = bytes };
	mig_put("sysrep", &m);
	/* an open's reply with a DFSA record */
	m.sysrep.ret = 3;
	m.sysrep.nbuf = 0;
	m.sysrep.has_dfsa = true;
	m.sysrep.dfsa = (struct om_mig_dfsa){
		.node = 2, .fhlen = 16, .fh = bytes,
		.flags = OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE, .pos = 0 };
	mig_put("sysrep-dfsa", &m);
	m.sysrep.dfsa.has_dev = true;
	m.sysrep.dfsa.dev = 0x00100003;
	mig_put("sysrep-dfsa-dev", &m);
	/* and one naming a directory (its "." and ".." d_ino) */
	m.sysrep.dfsa.flags = OM_MIG_DFSA_READ | OM_MIG_DFSA_DIR;
	m.sysrep.dfsa.dot = 0x0002000000000083ULL;
	m.sysrep.dfsa.dotdot = 0x0002000000000002ULL;
	mig_put("sysrep-dfsa-dir", &m);
	m.sysrep.dfsa.flags = OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE;
	m.sysrep.dfsa.dot = 0;
	m.sysrep.dfsa.dotdot = 0;
	m.sysrep.has_dfsa = false;
	MIG(OM_MIG_SIGNAL);
	m.signal.info = siginfo;
	mig_put("signal", &m);
	/* numbered (OM_WIRE_FEAT_MIG_SIGSEQ) */
	m.signal.seq = 42;
	mig_put("signal-seq", &m);
	MIG(OM_MIG_CANCEL);
	m.cancel.seq = 1;
	mig_put("cancel", &m);
	MIG(OM_MIG_EXIT);
	m.exit.how = OM_MIG_KILLED;
	m.exit.code = 11;
	m.exit.core = 1;
	mig_put("exit", &m);
	MIG(OM_MIG_GOHOME);
	m.gohome.reason = (struct om_mig_str){ "node leaving", 12 };
	mig_put("gohome", &m);
	MIG(OM_MIG_ABORT);
	m.abort.err = -EINTR;
	m.abort.reason = (struct om_mig_str){ "killed", 6 };
	mig_put("abort", &m);
	MIG(OM_MIG_STOPPED);
	m.stopped.sig = 19;
	mig_put("stopped", &m);
	/* a DFSA view of two mounts (one read-only), and a revoked one */
	MIG(OM_MIG_DFSA_VIEW);
	m.dview.gen = 3;
	m.dview.dev = 45;
	m.dview.attr_mask = 0x303000;
	m.dview.n = 2;
	m.dview.mnt[0] = (struct om_mig_dfsa_mnt){
		.path = "/mfs", .mnt_id = 60, .len = 4 };
	m.dview.mnt[1] = (struct om_mig_dfsa_mnt){
		.path = "/srv/cluster/mfs", .mnt_id = 61, .len = 16,
		.flags = OM_MIG_DFSA_MNT_RO };
	mig_put("dfsa-view", &m);
	/* and with a cwd record (OM_WIRE_FEAT_DFSA_REL): /srv/cluster/mfs/2/tmp */
	m.dview.has_cwd = true;
	m.dview.cwd = (struct om_mig_dfsa_cwd){ .mnt = 1, .node = 2, .fhlen = 16,
		.fh = (const u8 *)"0123456789abcdef", .len = 5, .path = "2/tmp" };
	mig_put("dfsa-view-cwd", &m);
	MIG(OM_MIG_DFSA_VIEW);
	m.dview.gen = 4;
	mig_put("dfsa-view-revoked", &m);
#undef MIG
}

static void mfs_put(const char *name, const struct om_mfs_msg *m)
{
	static u8 buf[8192];
	int n = om_mfs_encode(m, buf, sizeof(buf));

	if (n < 0) {
		fprintf(stderr, "gen_corpus: %s: %d\n", name, n);
		exit(1);
	}
	put("fuzz_mfs", name, buf, (size_t)n);
}

/*
 * One valid payload of every shape; the fuzzer decodes each as every type
 * (LOOKUP's is UNLINK's and RMDIR's, GETATTR's READLINK's and STATFS's)
 */
static void mfs_seeds(void)
{
	static const u8 fh[] = { 1, 0, 0, 0, 0x81, 0, 2, 0, 0x42, 0x42, 0, 0 };
	static const u8 dir[] = { 1, 0, 0, 0, 2, 0, 0, 0 };
	static const struct om_mfs_dirent ents[] = {
		{ .ino = 11, .cookie = 1, .type = OM_MFS_DT_DIR, .name = { "bin", 3 } },
		{ .ino = 12, .cookie = 2, .type = OM_MFS_DT_REG,
		  .name = { ".profile", 8 } },
		{ .ino = 13, .cookie = 3, .type = OM_MFS_DT_LNK, .name = { "lib64", 5 } },
	};
	static const struct om_mfs_str name = { "notes.txt", 9 };
	static const struct om_mfs_attr attr = {
		.ino = 4242, .mode = OM_MFS_S_IFREG | 0644, .nlink = 1,
		.uid = 1000, .gid = 1000, .blksize = 4096, .size = 1234,
		.blocks = 8, .atime = { 1700000000, 1 },
		.mtime = { 1700000000, 2 }, .ctime = { 1700000000, 3 } };
	static const u8 bytes[64] = "some file data";
	static u8 dents[3 * OM_MFS_DIRENT_PLUS_MAX];
	struct om_mfs_dirent pe;
	struct om_mfs_msg m;
	u32 i, n = 0;

#define MFS(t)	do {						\
		memset(&m, 0, sizeof(m));			\
		m.type = (t);					\
		m.req_id = 7;					\
		if (om_mfs_is_request(t)) {			\
			m.cred.uid = m.cred.gid = 1000;		\
			m.cred.ngroups = 2;			\
			m.cred.groups[0] = 4;			\
			m.cred.groups[1] = 1000;		\
		}						\
	} while (0)
	MFS(OM_MFS_ROOT);
	mfs_put("root", &m);
	MFS(OM_MFS_LOOKUP);
	m.lookup.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.lookup.name = name;
	mfs_put("lookup", &m);
	MFS(OM_MFS_GETATTR);
	m.getattr.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	mfs_put("getattr", &m);
	MFS(OM_MFS_SETATTR);
	m.setattr.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.setattr.valid = OM_MFS_SET_MODE | OM_MFS_SET_SIZE |
			  OM_MFS_SET_ATIME | OM_MFS_SET_MTIME_NOW;
	m.setattr.mode = 0600;
	m.setattr.size = 4096;
	m.setattr.atime = (struct om_mfs_time){ 1700000000, 5 };
	mfs_put("setattr", &m);
	MFS(OM_MFS_READDIR);
	m.readdir.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.readdir.cookie = 3;
	m.readdir.max_bytes = 4096;
	mfs_put("readdir", &m);
	/* READDIR's shape; the smallest budget READDIRPLUS may give */
	MFS(OM_MFS_READDIRPLUS);
	m.readdir.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.readdir.max_bytes = OM_MFS_DIRENT_PLUS_MAX;
	mfs_put("readdirplus", &m);
	MFS(OM_MFS_READ);
	m.read.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.read.offset = 4096;
	m.read.len = 65536;
	mfs_put("read", &m);
	MFS(OM_MFS_WRITE);
	m.write.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.write.offset = 10;
	m.write.flags = OM_MFS_WRITE_DSYNC;
	m.write.data = bytes;
	m.write.len = sizeof(bytes);
	mfs_put("write", &m);
	MFS(OM_MFS_CREATE);
	m.create.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.create.name = name;
	m.create.mode = 0644;
	m.create.flags = OM_MFS_CREATE_EXCL;
	mfs_put("create", &m);
	MFS(OM_MFS_MKDIR);
	m.mkdir.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.mkdir.name = name;
	m.mkdir.mode = 0755;
	mfs_put("mkdir", &m);
	MFS(OM_MFS_SYMLINK);
	m.symlink.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.symlink.name = name;
	m.symlink.target = (struct om_mfs_str){ "../share/doc", 12 };
	mfs_put("symlink", &m);
	MFS(OM_MFS_READLINK);
	m.readlink.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	mfs_put("readlink", &m);
	MFS(OM_MFS_LINK);
	m.link.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.link.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.link.name = name;
	mfs_put("link", &m);
	MFS(OM_MFS_UNLINK);
	m.unlink.dir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.unlink.name = name;
	mfs_put("unlink", &m);
	MFS(OM_MFS_RENAME);
	m.rename.odir = (struct om_mfs_fh){ dir, sizeof(dir) };
	m.rename.oname = name;
	m.rename.ndir = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.rename.nname = (struct om_mfs_str){ "notes.old", 9 };
	m.rename.flags = OM_MFS_RENAME_NOREPLACE;
	mfs_put("rename", &m);
	MFS(OM_MFS_FSYNC);
	m.fsync.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.fsync.flags = OM_MFS_FSYNC_DATA;
	mfs_put("fsync", &m);
	MFS(OM_MFS_R_ERROR);
	m.error.err = -EACCES;
	mfs_put("r-error", &m);
	MFS(OM_MFS_R_OK);
	mfs_put("r-ok", &m);
	MFS(OM_MFS_R_ENTRY);
	m.entry.fh = (struct om_mfs_fh){ fh, sizeof(fh) };
	m.entry.attr = attr;
	mfs_put("r-entry", &m);
	MFS(OM_MFS_R_ATTR);
	m.attr = attr;
	m.attr.mode = OM_MFS_S_IFCHR | 0620;
	m.attr.rdev = 0x8801;
	mfs_put("r-attr", &m);
	MFS(OM_MFS_R_DIRENTS);
	for (i = 0; i < 3; i++)
		n += (u32)om_mfs_dirent_put(&ents[i], false, dents + n,
					    sizeof(dents) - n);
	m.dirents.count = 3;
	m.dirents.ents = dents;
	m.dirents.len = n;
	mfs_put("r-dirents", &m);
	m.dirents.eof = 1;
	m.dirents.count = 0;
	m.dirents.len = 0;
	mfs_put("r-dirents-eof", &m);
	/* the same entries with plus: bin and .profile with their files */
	MFS(OM_MFS_R_DIRENTS_PLUS);
	for (i = 0, n = 0; i < 3; i++) {
		pe = ents[i];
		if (i < 2) {
			pe.fh = (struct om_mfs_fh){ fh, sizeof(fh) - i };
			pe.attr = attr;
			pe.attr.ino = pe.ino;
			pe.attr.mode = i ? OM_MFS_S_IFREG | 0600 : OM_MFS_S_IFDIR | 0755;
			pe.promise_ms = i ? 0 : 3000;
		}
		n += (u32)om_mfs_dirent_put(&pe, true, dents + n, sizeof(dents) - n);
	}
	m.dirents.plus = 1;
	m.dirents.eof = 1;
	m.dirents.count = 3;
	m.dirents.ents = dents;
	m.dirents.len = n;
	mfs_put("r-dirents-plus", &m);
	MFS(OM_MFS_R_DATA);
	m.data.eof = 1;
	m.data.data = bytes;
	m.data.len = 14;
	mfs_put("r-data", &m);
	m.data.eof = 0;
	m.data.stable = 1;
	mfs_put("r-data-stable", &m);
	MFS(OM_MFS_R_WRITTEN);
	m.written.count = sizeof(bytes);
	m.written.attr = attr;
	mfs_put("r-written", &m);
	MFS(OM_MFS_R_TARGET);
	m.target = (struct om_mfs_str){ "/usr/lib/x86_64-linux-gnu", 25 };
	mfs_put("r-target", &m);
	MFS(OM_MFS_R_STATFS);
	m.fsstat = (struct om_mfs_fsstat){ 4096, 255, 1 << 20, 1 << 19,
					   1 << 18, 65536, 1000 };
	mfs_put("r-statfs", &m);
	MFS(OM_MFS_R_ATTR);
	m.attr = attr;
	m.promise_ms = 30000;
	mfs_put("r-attr-promise", &m);
	MFS(OM_MFS_BREAK);
	m.brk.ino = 4242;
	mfs_put("break", &m);
	MFS(OM_MFS_BREAK_ACK);
	mfs_put("break-ack", &m);
	MFS(OM_MFS_BREAK_ALL);
	mfs_put("break-all", &m);
#undef MFS
}

int main(int argc, char **argv)
{
	struct ossl_aead_ctx ci[3] = { 0 }, cr[3] = { 0 };
	struct ossl_test_rng ri = { FUZZ_SEED_I }, rr = { FUZZ_SEED_R };
	struct om_wire_session si, sr;
	struct om_wire_frame f;
	u8 stream[8192], hb[256], tmp[256], load[OM_LOAD_PAYLOAD_MAX];
	size_t off = 0;
	int n, nl;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 1;
	}
	dir = argv[1];
	mkdir(dir, 0755);

	/* Initiator HELLO, then LOAD and HEARTBEAT under the session key */
	session(&si, ci, &ri, OM_WIRE_INITIATOR, 1);
	session(&sr, cr, &rr, OM_WIRE_RESPONDER, 2);
	stream[off++] = 7;	/* chunk size selector */
	n = om_wire_hello_build(&si, FUZZ_NOW, stream + off, 200);
	memcpy(tmp, stream + off, n);
	off += n;
	if (om_wire_hello_build(&sr, FUZZ_NOW, hb, sizeof(hb)) < 0 ||
	    om_wire_frame_decode(hb, OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY, &f) ||
	    om_wire_hello_accept(&si, &f, FUZZ_NOW, NULL) ||
	    om_wire_session_derive(&si))
		return 1;
	put("fuzz_wire", "hello", stream, off);
	nl = make_load(load, sizeof(load), 3);
	n = om_wire_seal_frame(&si, OM_WIRE_T_LOAD, 0, 0, load, (u32)nl,
			       stream + off, sizeof(stream) - off);
	off += n;
	n = om_wire_seal_frame(&si, OM_WIRE_T_HEARTBEAT, 0, 0, NULL, 0,
			       stream + off, sizeof(stream) - off);
	off += n;
	n = om_wire_seal_frame(&si, OM_WIRE_T_MIG_FIRST, OM_WIRE_F_MORE, 5,
			       (const u8 *)"page", 4, stream + off,
			       sizeof(stream) - off);
	off += n;
	put("fuzz_wire", "session", stream, off);
	stream[0] = 0;
	put("fuzz_wire", "session-1byte", stream, off);
	put("fuzz_wire", "hello-only", tmp, OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY);
	integrity_seed();

	put("fuzz_load", "one", load, (size_t)make_load(load, sizeof(load), 0));
	put("fuzz_load", "four", load, (size_t)make_load(load, sizeof(load), 3));
	put("fuzz_load", "eight", load, (size_t)make_load(load, sizeof(load), 20));

	{
		static const char m1[] =
			"# cluster\n1 10.0.0.1 4\n10 192.168.1.250:4661 6\n"
			"2 172.16.0.2 ALIAS\n3 172.16.0.3 0\n";
		static const char m2[] = "65535 10.9.9.9 1\n";
		static const char m3[] = "1 10.0.0.1 4\n3 10.1.0.1 1\n";

		put("fuzz_map", "good", m1, sizeof(m1) - 1);
		put("fuzz_map", "max", m2, sizeof(m2) - 1);
		put("fuzz_map", "overlap", m3, sizeof(m3) - 1);
	}
	{
		static const char mi1[] =
			"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
			"45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
			"46 45 0:4 net:[4026532174] /run/netns/omlab-8726 rw shared:2 - nsfs nsfs rw\n"
			"60 27 0:45 / /mfs rw,relatime shared:30 - mfs none rw,dfsa=1\n";
		static const char mi2[] =
			"30 27 8:1 /a\\040b /mnt/x\\011y\\012z\\134 ro,nosymfollow,idmapped "
			"master:3 propagate_from:4 unbindable - fuse.a\\043b  ro,x=y z\n";

		put("fuzz_mountinfo", "debian12", mi1, sizeof(mi1) - 1);
		put("fuzz_mountinfo", "escapes", mi2, sizeof(mi2) - 1);
	}
	{
		static const char dm1[] = "/srv/mfs\n/mfs\n//mfs//2/../x";
		static const char dm2[] = "/a/b\n/a/./b/c";

		put("fuzz_dfsa_match", "two", dm1, sizeof(dm1) - 1);
		put("fuzz_dfsa_match", "dots", dm2, sizeof(dm2) - 1);
	}
	{
		static const char ds1[] = "2/tmp//x/";
		static const char ds2[] = "2/x/..";
		static const char ds3[] = "unconfined\n";

		put("fuzz_dfsa_split", "trail", ds1, sizeof(ds1) - 1);
		put("fuzz_dfsa_split", "dots", ds2, sizeof(ds2) - 1);
		put("fuzz_dfsa_split", "label", ds3, sizeof(ds3) - 1);
	}
	{
		/* the first byte: the cwd's length */
		static const char dr1[] = "\x07" "1/tmp/d" "../../x/../y";
		static const char dr2[] = "\x01" "1" "./../..";
		static const char dr3[] = "\x00" "2/x";

		put("fuzz_dfsa_rel", "climb", dr1, sizeof(dr1) - 1);
		put("fuzz_dfsa_rel", "out", dr2, sizeof(dr2) - 1);
		put("fuzz_dfsa_rel", "root", dr3, sizeof(dr3) - 1);
	}
	mig_seeds();
	mfs_seeds();
	printf("# seed corpora written to %s\n", dir);
	return 0;
}
