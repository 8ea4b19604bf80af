// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libnl-3 glue: one generic netlink socket to the "openmosix" family,
 * request/reply with errors mapped to omctl's exit codes and messages.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "omtools.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#define OM_NLMSGERR_ATTR_MSG 1

static struct nl_sock *sk;
static int family = -1;

struct talk {
	om_nl_cb cb;
	void *arg;
	bool done;
	int err;		/* negative errno from the kernel */
	int cb_ret;		/* nonzero: the callback asked to stop */
	char ext[256];		/* extended ack message */
};

int om_nl_open(bool events)
{
	int one = 1, err, grp;

	sk = nl_socket_alloc();
	if (!sk) {
		fprintf(stderr, "%s: out of memory\n", om_progname);
		return EXIT_KERNEL;
	}
	err = genl_connect(sk);
	if (err) {
		fprintf(stderr, "%s: cannot open generic netlink: %s\n", om_progname,
			nl_geterror(err));
		goto fail;
	}
	/* Large dumps without truncation; extended acks carry the reason. */
	nl_socket_enable_msg_peek(sk);
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	family = genl_ctrl_resolve(sk, OM_GENL_NAME);
	if (family < 0) {
		if (family == -NLE_OBJ_NOTFOUND)
			fprintf(stderr, "%s: openmosix module not loaded (modprobe openmosix)\n",
				om_progname);
		else
			fprintf(stderr, "%s: cannot resolve netlink family \"%s\": %s\n",
				om_progname, OM_GENL_NAME, nl_geterror(family));
		goto fail;
	}
	if (events) {
		grp = genl_ctrl_resolve_grp(sk, OM_GENL_NAME, OM_GENL_MCGRP_EVENTS);
		if (grp < 0) {
			fprintf(stderr, "%s: module has no \"%s\" multicast group: %s\n",
				om_progname, OM_GENL_MCGRP_EVENTS, nl_geterror(grp));
			goto fail;
		}
		/* Events are unsolicited: no sequence numbers to match. */
		nl_socket_disable_seq_check(sk);
		err = nl_socket_add_membership(sk, grp);
		if (err) {
			fprintf(stderr, "%s: cannot join \"%s\": %s\n", om_progname,
				OM_GENL_MCGRP_EVENTS, nl_geterror(err));
			goto fail;
		}
	}
	return 0;
fail:
	nl_socket_free(sk);
	sk = NULL;
	return EXIT_KERNEL;
}

void om_nl_close(void)
{
	if (sk)
		nl_socket_free(sk);
	sk = NULL;
}

int om_nl_fd(void)
{
	return nl_socket_get_fd(sk);
}

struct nl_msg *om_nl_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(1 << 17);

	if (!msg)
		return NULL;
	/* A plain request still wants an ack, so errors always come back. */
	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 OM_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_msg *om_nl_msg_nest(uint8_t cmd, int flags, int attr, struct nlattr **nest)
{
	struct nl_msg *msg = om_nl_msg(cmd, flags);

	if (!msg)
		return NULL;
	*nest = nla_nest_start(msg, attr);
	if (!*nest) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	struct nlattr *tb[OM_A_MAX + 1];
	int ret;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OM_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (!t->cb)
		return NL_OK;
	ret = t->cb(tb, t->arg);
	if (ret) {
		t->cb_ret = ret;
		return NL_STOP;
	}
	return NL_OK;
}

/* Pull NLMSGERR_ATTR_MSG out of an extended ack, if the kernel sent one. */
static void ext_ack_msg(struct nlmsgerr *e, char *buf, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *a;
	size_t off = sizeof(*e);
	int rem;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return;
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	nla_for_each_attr(a, (struct nlattr *)((char *)e + off), rem, rem) {
		if (nla_type(a) == OM_NLMSGERR_ATTR_MSG && nla_len(a) > 0) {
			snprintf(buf, len, "%.*s", nla_len(a), (char *)nla_data(a));
			return;
		}
	}
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct talk *t = arg;

	t->err = e->error;
	t->done = true;
	ext_ack_msg(e, t->ext, sizeof(t->ext));
	return NL_STOP;
}

static int done_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	t->done = true;
	return NL_STOP;
}

static int report(const char *what, int err, const char *ext)
{
	/* an EPERM with the kernel's reason is not the admin-only check */
	if ((err == -EPERM || err == -EACCES) && !*ext)
		fprintf(stderr, "%s: permission denied: this operation needs root (CAP_NET_ADMIN)\n",
			om_progname);
	else if (*ext)
		fprintf(stderr, "%s: %s: %s: %s\n", om_progname, what,
			strerror(-err), ext);
	else
		fprintf(stderr, "%s: %s: %s\n", om_progname, what, strerror(-err));
	return EXIT_KERNEL;
}

int om_nl_talk(struct nl_msg *msg, const char *what, om_nl_cb cb, void *arg)
{
	struct talk t = { .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int err;

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		fprintf(stderr, "%s: out of memory\n", om_progname);
		return EXIT_KERNEL;
	}
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &t);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, done_cb, &t);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, done_cb, &t);
	nl_cb_err(nlcb, NL_CB_CUSTOM, error_cb, &t);

	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(nlcb);
		if (err == -NLE_PERM)
			return report(what, -EPERM, "");
		fprintf(stderr, "%s: %s: %s\n", om_progname, what, nl_geterror(err));
		return EXIT_KERNEL;
	}
	while (!t.done && !t.cb_ret) {
		err = nl_recvmsgs(sk, nlcb);
		if (err < 0 && !t.err) {
			nl_cb_put(nlcb);
			fprintf(stderr, "%s: %s: %s\n", om_progname, what, nl_geterror(err));
			return EXIT_KERNEL;
		}
		if (err < 0)
			break;
	}
	nl_cb_put(nlcb);
	if (t.err)
		return report(what, t.err, t.ext);
	return t.cb_ret > 0 ? t.cb_ret : 0;
}

struct ev_ctx {
	om_nl_cb cb;
	void *arg;
	int ret;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct ev_ctx *c = arg;
	struct nlattr *tb[OM_A_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));

	if (g->cmd != OM_CMD_NODE_EVENT && g->cmd != OM_CMD_MIG_EVENT)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, OM_A_MAX, NULL) < 0)
		return NL_SKIP;
	c->ret = c->cb(tb, c->arg);
	return c->ret ? NL_STOP : NL_OK;
}

/* Read whatever events are queued on the socket (it is readable). */
int om_nl_recv_events(om_nl_cb cb, void *arg)
{
	struct ev_ctx c = { .cb = cb, .arg = arg };
	struct nl_cb *sockcb = nl_socket_get_cb(sk);
	/* a clone keeps the socket's disabled sequence check */
	struct nl_cb *nlcb = sockcb ? nl_cb_clone(sockcb) : NULL;
	int err;

	if (sockcb)
		nl_cb_put(sockcb);
	if (!nlcb)
		return EXIT_KERNEL;
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &c);
	err = nl_recvmsgs(sk, nlcb);
	nl_cb_put(nlcb);
	/* ENOBUFS: the kernel dropped events for us; say so and go on. */
	if (err == -NLE_NOMEM) {
		fprintf(stderr, "%s: monitor: events lost (receive buffer overrun)\n",
			om_progname);
		return 0;
	}
	if (err < 0 && err != -NLE_AGAIN) {
		fprintf(stderr, "%s: monitor: %s\n", om_progname, nl_geterror(err));
		return EXIT_KERNEL;
	}
	return c.ret;
}
