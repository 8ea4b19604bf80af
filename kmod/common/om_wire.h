/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Framed, versioned, AEAD-protected node-to-node protocol (portable part).
 *
 * This file has no socket, crypto or allocator policy of its own: the caller
 * (kernel glue or userspace tests) plugs in an AEAD (AES-256-GCM), an
 * HMAC-SHA256, the ChaCha20 block and Poly1305 (integrity mode only) and a
 * random source through the ops structures below, and feeds raw TCP bytes into
 * struct om_wire_rx.  See Documentation/wire-protocol.md for the protocol
 * itself.
 *
 * Frame on the wire (all integers little-endian):
 *
 *   0   le32 magic    OM_WIRE_MAGIC (bytes 4f 58 4d 31, "OXM1")
 *   4   u8   version  OM_WIRE_VERSION
 *   5   u8   type     enum om_wire_type
 *   6   le16 flags    OM_WIRE_F_*, other bits must be zero
 *   8   le32 len      body length without the tag, <= OM_WIRE_MAX_PAYLOAD
 *   12  le32 stream   stream id (0 = control)
 *   16  le64 seq      per-direction sequence number
 *   24  body[len]     ciphertext (HELLO: 12-byte clear IV, then ciphertext);
 *                     plaintext in integrity mode (session frames only)
 *   24+len tag[16]    AEAD tag; the 24 header bytes are the associated data
 *                     (integrity mode: Poly1305 of header, IV and body
 *                     under a one-time key, ChaCha20-Poly1305's tag with
 *                     all of them associated data and nothing encrypted)
 *
 * Typical use on one TCP connection:
 *
 *	om_wire_session_init(&s, &cfg);            // role, node id, keys, ops
 *	n = om_wire_hello_build(&s, now, buf, sz); // send buf[0..n)
 *	loop: om_wire_rx_feed(&rx, data, len, &used);
 *	      om_wire_rx_frame(&rx, &f);
 *	      before keys: om_wire_hello_accept(&s, &f, now, &peer);
 *	                   om_wire_session_derive(&s);
 *	      afterwards:  om_wire_open_frame(&s, &f, &payload, &plen);
 *	n = om_wire_seal_frame(&s, type, flags, stream, payload, len, out, sz);
 *
 * Locking: none.  One session and one rx belong to one connection; the
 * caller serialises seal (tx) and open (rx) separately; they share no
 * mutable state except the statistics counters and the state field, which
 * only the rx path moves forward.
 */
#ifndef _OM_WIRE_H
#define _OM_WIRE_H

#include "om_port.h"

#define OM_WIRE_MAGIC		0x314d584fU	/* le32: bytes "OXM1" */
#define OM_WIRE_VERSION		1
#define OM_WIRE_VERSION_MIN	1
#define OM_WIRE_VERSION_MAX	1
#define OM_WIRE_HDR_LEN		24
#define OM_WIRE_TAG_LEN		16
#define OM_WIRE_IV_LEN		12
#define OM_WIRE_KEY_LEN		32
#define OM_WIRE_RANDOM_LEN	32
#define OM_WIRE_SHA256_LEN	32
#define OM_WIRE_OTK_LEN		32	/* a frame's Poly1305 key (r || s) */
#define OM_WIRE_MAX_PAYLOAD	(1U << 20)
/* Frame overhead on top of the payload */
#define OM_WIRE_OVERHEAD	(OM_WIRE_HDR_LEN + OM_WIRE_TAG_LEN)

/* Message types.  0 is never valid so that zeroed memory is not a frame. */
enum om_wire_type {
	OM_WIRE_T_HELLO		= 1,	/* handshake, sealed with cluster key */
	OM_WIRE_T_HEARTBEAT	= 2,	/* keepalive, empty or TLV payload */
	OM_WIRE_T_LOAD		= 3,	/* load vector window, TLV (om_load.h) */
	OM_WIRE_T_BYE		= 4,	/* orderly close, optional TLV reason */
	OM_WIRE_T_CTRL_LAST	= OM_WIRE_T_BYE,
	/* 0x40..0x7f: migration streams (MIG_REQUEST, MIG_MM, MIG_PAGE...) */
	OM_WIRE_T_MIG_FIRST	= 0x40,
	OM_WIRE_T_MIG_LAST	= 0x7f,
	/*
	 * 0x80..0xbf: MFS requests and replies (om_mfs_wire.h), sent only
	 * to peers whose HELLO announced OM_WIRE_FEAT_MFS
	 */
	OM_WIRE_T_MFS_FIRST	= 0x80,
	OM_WIRE_T_MFS_LAST	= 0xbf,
};

/* Header flags */
#define OM_WIRE_F_MORE		0x0001	/* message continues in next frame */
#define OM_WIRE_F_KNOWN		OM_WIRE_F_MORE

/* Direction constants: first 4 bytes of the per-frame IV */
#define OM_WIRE_DIR_I2R		0x72326931U	/* "1i2r" */
#define OM_WIRE_DIR_R2I		0x69327231U	/* "1r2i" */

/* HELLO inner payload (plaintext) layout, OM_WIRE_HELLO_LEN bytes */
#define OM_WIRE_HELLO_LEN	48
/* Extra bytes after the fixed part are ignored (future extensions) */
#define OM_WIRE_HELLO_MAX	512
/* HELLO body on the wire: clear IV + sealed hello */
#define OM_WIRE_HELLO_BODY	(OM_WIRE_IV_LEN + OM_WIRE_HELLO_LEN)
/*
 * HELLO features: what the sender understands beyond version 1.  Bits 0-7
 * are byte 7 (once reserved), bits 8-31 the FEATURES extension attribute
 * (OM_WIRE_HX_FEATURES).  Older nodes send 0 and ignore both, so a
 * feature is used towards a peer only when its HELLO on the current
 * connection announced it; unknown bits are ignored.
 */
#define OM_WIRE_FEAT_MIG_BAL	0x01	/* OFFER may carry the balancer's view */
#define OM_WIRE_FEAT_MIG_POLICY	0x02	/* OFFER may carry the process's policy */
#define OM_WIRE_FEAT_MFS	0x04	/* serves MFS requests (frame types 0x80..0xbf) */
/* and READDIRPLUS, R_DIRENTS_PLUS, BREAK_ALL (0x91, 0xa9, 0xb2) */
#define OM_WIRE_FEAT_MFS_PLUS	0x08
/* takes DFSA_VIEW (0x4d): a guest of its may answer path calls itself */
#define OM_WIRE_FEAT_DFSA_PATHS	0x10
/*
 * As a home: sends a DFSA view only for a process no path-based LSM
 * confines (and none with dfsa_paths 0), so its guests elsewhere may
 * make path mutations under it; as a remote: makes them (phase 3a)
 */
#define OM_WIRE_FEAT_DFSA_MUT	0x20
/*
 * As a remote: takes DFSA_VIEW's cwd record (relative names, getcwd); as
 * a home: sends it, and a new view before the reply to a call that moved
 * the deputy's cwd
 */
#define OM_WIRE_FEAT_DFSA_REL	0x40
/*
 * With OM_WIRE_FEAT_MFS: takes and sends R_DATA's STABLE flag (data a
 * client may keep read ahead under its promise on the file).  The last
 * bit of byte 7: later features go in OM_WIRE_HX_FEATURES
 */
#define OM_WIRE_FEAT_MFS_DATA	0x80
/*
 * As a target: takes PREPARE (0x4e) and the page data after it, which
 * go into the process as they come (Documentation/migration.md, "Pages
 * into the process as they come").  In OM_WIRE_HX_FEATURES
 */
#define OM_WIRE_FEAT_MIG_PGSTREAM	0x100
/*
 * As a home: numbers the SIGNALs it forwards and replays, when its process
 * comes home, those its image did not take; as a remote: takes numbered
 * SIGNALs and sends the last one it gave the process in the COMMIT of the
 * way home (Documentation/migration.md, "Signals").  In OM_WIRE_HX_FEATURES
 */
#define OM_WIRE_FEAT_MIG_SIGSEQ		0x200

/*
 * Wire modes: what protects session frames.  Every node of a cluster uses
 * the same one; the HELLO (always AES-256-GCM under the cluster key)
 * carries the sender's, and a mismatch refuses the connection.
 */
enum om_wire_mode {
	OM_WIRE_MODE_PRIVATE = 0,	/* AES-256-GCM: encrypted, authenticated */
	/*
	 * Older nodes' integrity mode (keyed BLAKE2b-256 tags): announced
	 * by them, never spoken here, so it is refused like any mismatch
	 */
	OM_WIRE_MODE_INTEGRITY_B2B = 1,
	OM_WIRE_MODE_INTEGRITY = 2,	/* Poly1305 per frame: body in clear */
	OM_WIRE_MODE_MAX = OM_WIRE_MODE_INTEGRITY,
};

/*
 * HELLO extensions: TLV attributes (le16 len, le16 type, value, zero
 * padding to 4; the format of om_tlv.h) after the fixed OM_WIRE_HELLO_LEN
 * bytes.  Older nodes ignore them; unknown types are skipped.
 */
#define OM_WIRE_HX_MODE		1	/* u8 enum om_wire_mode, absent = private */
/*
 * le32: bit i is feature bit 8 + i (bits 24-31 of the value are for
 * later versions and ignored); absent = no feature above bit 7
 */
#define OM_WIRE_HX_FEATURES	2
/*
 * The MODE attribute, padded (sent only when the mode is not private),
 * and the FEATURES one (only when a feature above bit 7 is announced)
 */
#define OM_WIRE_HELLO_EXT_LEN	16
/* Our largest HELLO frame */
#define OM_WIRE_HELLO_FRAME_MAX	(OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY + \
				 OM_WIRE_HELLO_EXT_LEN)

/* Decoded frame header */
struct om_wire_hdr {
	u8 version;
	u8 type;
	u16 flags;
	u32 len;
	u32 stream;
	u64 seq;
};

/*
 * A complete frame: the 24 header bytes, and the body (len bytes followed
 * by the tag).  The body is writable so frames are opened in place.
 */
struct om_wire_frame {
	struct om_wire_hdr hdr;
	const u8 *raw_hdr;	/* OM_WIRE_HDR_LEN bytes: the AEAD AAD */
	u8 *body;		/* hdr.len + OM_WIRE_TAG_LEN bytes */
};

/* A read-only buffer, used for scatter input to HMAC */
struct om_wire_iov {
	const void *base;
	size_t len;
};

/*
 * AEAD, AES-256-GCM with 12-byte IV and 16-byte tag, encrypting in place.
 * ctx is an opaque per-key context owned by the caller.
 * Kernel: crypto_alloc_aead("gcm(aes)"), crypto_aead_setauthsize(16),
 * setkey = crypto_aead_setkey, seal/open build a 2-entry scatterlist
 * (aad, buf+tag) and call crypto_aead_encrypt/decrypt.
 * All return 0 or a negative errno; open must return non-zero (we map it
 * to -EBADMSG) if the tag does not verify, and may leave buf modified.
 */
struct om_wire_aead_ops {
	int (*setkey)(void *ctx, const u8 *key, size_t keylen);
	int (*seal)(void *ctx, const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
		    size_t aadlen, u8 *buf, size_t len, u8 tag[OM_WIRE_TAG_LEN]);
	int (*open)(void *ctx, const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
		    size_t aadlen, u8 *buf, size_t len,
		    const u8 tag[OM_WIRE_TAG_LEN]);
};

/*
 * HMAC-SHA256 over the concatenation of niov buffers.
 * Kernel: crypto shash "hmac(sha256)": setkey, init, update per iov, final.
 */
struct om_wire_hmac_ops {
	int (*hmac)(void *ctx, const u8 *key, size_t keylen,
		    const struct om_wire_iov *iov, unsigned int niov,
		    u8 out[OM_WIRE_SHA256_LEN]);
};

/*
 * Integrity mode's primitives (RFC 8439); om_wire builds the tag from
 * them.  ctx is an opaque per-key context holding a 32-byte ChaCha20 key;
 * otk may run on one context from two threads at once (never with setkey).
 * otk: the first 32 bytes of the ChaCha20 block with counter 0 and this
 * nonce under ctx's key (RFC 8439 2.6, a frame's Poly1305 key).
 * poly1305: the tag of the concatenation of niov buffers under key.
 * Kernel: chacha_block_generic; poly1305_init/update/final (arch or
 * generic library).
 */
struct om_wire_mac_ops {
	int (*setkey)(void *ctx, const u8 *key, size_t keylen);
	int (*otk)(void *ctx, const u8 nonce[OM_WIRE_IV_LEN],
		   u8 otk[OM_WIRE_OTK_LEN]);
	int (*poly1305)(const u8 key[OM_WIRE_OTK_LEN],
			const struct om_wire_iov *iov, unsigned int niov,
			u8 tag[OM_WIRE_TAG_LEN]);
};

/* Random bytes (kernel: get_random_bytes), 0 or negative errno */
typedef int (*om_wire_rng_fn)(void *ctx, u8 *buf, size_t len);

/* ---- HKDF-SHA256 (RFC 5869) on top of om_wire_hmac_ops ---- */

int om_hkdf_extract(const struct om_wire_hmac_ops *ops, void *ctx,
		    const u8 *salt, size_t saltlen, const u8 *ikm, size_t ikmlen,
		    u8 prk[OM_WIRE_SHA256_LEN]);
/* okmlen <= 255 * 32, else -EINVAL */
int om_hkdf_expand(const struct om_wire_hmac_ops *ops, void *ctx,
		   const u8 prk[OM_WIRE_SHA256_LEN], const u8 *info,
		   size_t infolen, u8 *okm, size_t okmlen);
int om_hkdf_sha256(const struct om_wire_hmac_ops *ops, void *ctx,
		   const u8 *salt, size_t saltlen, const u8 *ikm, size_t ikmlen,
		   const u8 *info, size_t infolen, u8 *okm, size_t okmlen);

/* ---- Header ---- */

/* True for types this version may carry (control, the MIG and MFS ranges) */
bool om_wire_type_valid(u8 type);

/*
 * The OM_WIRE_FEAT_* a peer must have announced, every one of them,
 * before a frame of this type may go to it (OM_WIRE_FEAT_MFS for the MFS
 * range, with OM_WIRE_FEAT_MFS_PLUS for 0x91, 0xa9, 0xb2;
 * OM_WIRE_FEAT_DFSA_PATHS for DFSA_VIEW 0x4d, OM_WIRE_FEAT_MIG_PGSTREAM
 * for PREPARE 0x4e), else 0.
 */
u32 om_wire_type_feature(u8 type);

/* Writes OM_WIRE_HDR_LEN bytes; magic and version are filled in */
void om_wire_hdr_encode(const struct om_wire_hdr *h, u8 *out);

/*
 * Decodes and validates a header: -EBADMSG (short buffer or bad magic),
 * -EPROTO (version, unknown type, reserved flag bits), -EMSGSIZE (len >
 * max_len, max_len itself capped at OM_WIRE_MAX_PAYLOAD).
 */
int om_wire_hdr_decode(const u8 *buf, size_t buflen, u32 max_len,
		       struct om_wire_hdr *h);

/*
 * Splits a buffer that must hold exactly one frame (fuzzing, datagrams).
 * The frame body points into buf.
 */
int om_wire_frame_decode(u8 *buf, size_t buflen, struct om_wire_frame *f);

/* ---- Receive reassembly ---- */

struct om_wire_rx {
	u8 hdr[OM_WIRE_HDR_LEN];
	u32 hdr_have;
	struct om_wire_hdr h;
	u8 *body;		/* om_alloc'ed, body_cap bytes */
	u32 body_cap;
	u32 body_have;
	u32 max_len;		/* current payload limit */
	int state;		/* enum om_wire_rx_state, private */
	int err;		/* sticky error, once set the stream is dead */
};

/* max_len: payload limit, 0 or > OM_WIRE_MAX_PAYLOAD means the maximum */
void om_wire_rx_init(struct om_wire_rx *rx, u32 max_len);
void om_wire_rx_destroy(struct om_wire_rx *rx);
/*
 * Lower or raise the payload limit, e.g. OM_WIRE_HELLO_MAX + IV before the
 * peer is authenticated so that an unauthenticated peer cannot make us
 * allocate a megabyte per connection.
 */
void om_wire_rx_set_limit(struct om_wire_rx *rx, u32 max_len);

/*
 * Feed len bytes of the TCP stream.  *consumed is set to the number of
 * bytes taken.  Returns 1 when a complete frame is ready (bytes after it
 * were not consumed; fetch it with om_wire_rx_frame(), feed the rest
 * afterwards), 0 when all input was consumed and more is needed, or a
 * negative errno (header rejected before any body is buffered, -ENOMEM).
 * Errors are sticky: the stream cannot be resynchronised, close it.
 * The previous frame's body is invalid after the next feed call.
 */
int om_wire_rx_feed(struct om_wire_rx *rx, const u8 *data, size_t len,
		    size_t *consumed);
/* Returns 0 and fills f if a frame is ready, else -EINVAL */
int om_wire_rx_frame(struct om_wire_rx *rx, struct om_wire_frame *f);

/*
 * Receiving a frame's body without a copy: while one is being received,
 * where the rest of it goes (*room bytes at the returned pointer), else
 * NULL (the next bytes are a header: feed them).  The caller reads at most
 * *room bytes from the stream straight there and hands the count to
 * om_wire_rx_commit(), which returns as om_wire_rx_feed() does (1: the
 * frame is complete).  Feeding and direct reads may alternate freely.
 */
u8 *om_wire_rx_direct(struct om_wire_rx *rx, u32 *room);
int om_wire_rx_commit(struct om_wire_rx *rx, size_t n);

/* ---- Session ---- */

enum om_wire_role {
	OM_WIRE_INITIATOR = 0,	/* opened the TCP connection */
	OM_WIRE_RESPONDER = 1,
};

enum om_wire_state {
	OM_WS_HELLO = 0,	/* waiting for the peer's HELLO */
	OM_WS_KEYED,		/* session keys derived, peer not proven */
	OM_WS_AUTHED,		/* peer sent a valid session-keyed frame */
};

/* Decoded HELLO (plaintext) */
struct om_wire_hello {
	u16 node_id;
	u8 proto_min;
	u8 proto_max;
	u16 listen_port;
	u8 role;		/* enum om_wire_role of the sender */
	u32 features;		/* OM_WIRE_FEAT_* */
	u64 timestamp;		/* sender's wall clock, seconds */
	u8 random[OM_WIRE_RANDOM_LEN];
	u8 mode;		/* enum om_wire_mode, from OM_WIRE_HX_MODE */
};

struct om_wire_config {
	enum om_wire_role role;
	u16 node_id;
	u16 listen_port;
	u32 features;		/* OM_WIRE_FEAT_* we announce in our HELLO */
	u8 mode;		/* enum om_wire_mode; the peer must use the same */
	u32 max_skew;		/* HELLO timestamp tolerance (s), 0 = off */
	const u8 *cluster_key;	/* OM_WIRE_KEY_LEN bytes, copied by setkey */
	const struct om_wire_aead_ops *aead;
	void *aead_lt;		/* context for the cluster key (HELLO) */
	/* aead_lt holds the cluster key already (shared context): no setkey */
	bool lt_keyed;
	/*
	 * contexts for our send and receive keys; may come later by attach.
	 * Integrity mode: contexts of mac, not of aead.
	 */
	void *aead_tx;
	void *aead_rx;
	const struct om_wire_mac_ops *mac;	/* integrity mode only */
	const struct om_wire_hmac_ops *hmac;
	void *hmac_ctx;
	om_wire_rng_fn rng;
	void *rng_ctx;
};

struct om_wire_stats {
	u64 tx_frames;
	u64 rx_frames;
	u64 rx_replay;		/* seq != expected */
	u64 rx_auth_fail;	/* tag did not verify */
	u64 rx_proto;		/* well-formed but not allowed here */
};

struct om_wire_session {
	struct om_wire_config cfg;
	enum om_wire_state state;
	bool hello_sent;
	u8 version;		/* negotiated protocol version */
	u8 random[OM_WIRE_RANDOM_LEN];
	u8 ikm[OM_WIRE_KEY_LEN];	/* cluster key copy, wiped by derive */
	struct om_wire_hello peer;
	u32 tx_dir, rx_dir;	/* IV direction constants */
	u64 tx_seq;		/* next seq to send */
	u64 rx_seq;		/* next seq expected */
	struct om_wire_stats stats;
};

/*
 * Checks the config, keys cfg->aead_lt with the cluster key and draws our
 * HELLO random.  The session copies cfg (not the contexts) and keeps a copy
 * of the cluster key only until om_wire_session_derive().
 */
int om_wire_session_init(struct om_wire_session *s,
			 const struct om_wire_config *cfg);
/*
 * Supply the contexts for the session keys (and HKDF) after the peer's HELLO
 * verified, so that a peer that cannot produce one costs the caller no
 * per-connection crypto state.  Only in OM_WS_HELLO; 0 or -EINVAL.
 */
int om_wire_session_attach(struct om_wire_session *s, void *aead_tx,
			   void *aead_rx, void *hmac_ctx);
/* Forget keys and randoms (contexts remain the caller's to free) */
void om_wire_session_wipe(struct om_wire_session *s);

/*
 * Build our HELLO frame (OM_WIRE_HDR_LEN + OM_WIRE_HELLO_BODY +
 * OM_WIRE_TAG_LEN bytes, and OM_WIRE_HELLO_EXT_LEN more unless the mode is
 * private: at most OM_WIRE_HELLO_FRAME_MAX) into out.  now = wall clock
 * seconds.  Returns the frame length or a negative errno.
 */
int om_wire_hello_build(struct om_wire_session *s, u64 now, u8 *out,
			size_t outlen);

/*
 * Open and validate the peer's HELLO (in place).  Rejects: wrong type or
 * state (-EPROTO), bad tag (-EBADMSG), peer with the same role, no common
 * version, own node id, timestamp outside max_skew, malformed extensions
 * (-EPROTO).  A valid HELLO of a peer whose wire mode is not ours is
 * -EPROTONOSUPPORT: peer (and s->peer) are filled in for the caller's
 * message, and the session cannot be derived.  A valid HELLO proves only
 * knowledge of the cluster key at some point in time (it may be replayed):
 * the peer is not authenticated until a session frame opens.  peer may be
 * NULL.
 */
int om_wire_hello_accept(struct om_wire_session *s,
			 const struct om_wire_frame *f, u64 now,
			 struct om_wire_hello *peer);

/*
 * Derive the per-direction keys (HKDF-SHA256, salt = rand_i || rand_r,
 * info "openmosix v1 i2r" / "openmosix v1 r2i", with " poly1305" appended
 * in integrity mode) and key aead_tx/aead_rx (with mac->setkey in
 * integrity mode).  Needs a HELLO accepted and both contexts (-EINVAL).
 * Moves to OM_WS_KEYED.
 */
int om_wire_session_derive(struct om_wire_session *s);

/*
 * Seal one frame: out receives OM_WIRE_OVERHEAD + len bytes.  payload may
 * alias out + OM_WIRE_HDR_LEN (encrypt in place; integrity mode leaves the
 * body as it is and appends the Poly1305 tag).  Returns the frame length
 * or a negative errno (-EINVAL bad type/flags/state, -EMSGSIZE).
 */
int om_wire_seal_frame(struct om_wire_session *s, u8 type, u16 flags,
		       u32 stream, const u8 *payload, u32 len, u8 *out,
		       size_t outlen);

/*
 * Open one frame in place.  Checks seq == expected (else -EBADMSG, counted
 * in rx_replay, state unchanged), then the tag (-EBADMSG, rx_auth_fail).
 * On success, *payload and *plen describe the plaintext inside f->body, the
 * expected seq advances and the session becomes OM_WS_AUTHED.
 */
int om_wire_open_frame(struct om_wire_session *s, const struct om_wire_frame *f,
		       const u8 **payload, u32 *plen);

/*
 * Integrity mode's tag of one frame under ctx's direction key: aad is the
 * OM_WIRE_HDR_LEN header, buf the len bytes of body (wire-protocol.md,
 * section 3).  Exposed for the self-tests; 0 or the ops' errno.
 */
int om_wire_integrity_tag(const struct om_wire_mac_ops *ops, void *ctx,
			  const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
			  const u8 *buf, u32 len, u8 tag[OM_WIRE_TAG_LEN]);

/* Internal helper exposed for tests: IV = le32 dir || le64 seq */
void om_wire_make_iv(u32 dir, u64 seq, u8 iv[OM_WIRE_IV_LEN]);

/*
 * "private", "integrity", "integrity-blake2b" (an older node's), or
 * "unknown" (log messages, sysfs)
 */
const char *om_wire_mode_name(u8 mode);

#endif /* _OM_WIRE_H */
