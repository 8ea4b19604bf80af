// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The monitors' view of the kernel: node and process dumps through
 * libomtools' netlink code, the events socket, and stderr kept off the
 * screen while curses runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "mon.h"

int mon_family_present(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id;

	if (!sk)
		return -ENOMEM;
	if (genl_connect(sk)) {
		nl_socket_free(sk);
		return -EIO;
	}
	id = genl_ctrl_resolve(sk, OM_GENL_NAME);
	nl_socket_free(sk);
	if (id >= 0)
		return 1;
	return id == -NLE_OBJ_NOTFOUND ? 0 : -EIO;
}

int mon_open(bool quiet)
{
	if (mon_family_present() == 0) {
		if (!quiet)
			fprintf(stderr, "%s: openmosix module not loaded (modprobe openmosix)\n",
				om_progname);
		return EXIT_KERNEL;
	}
	return om_nl_open(false);
}

void mon_close(void)
{
	om_nl_close();
}

struct grow {
	void **arr;
	unsigned int *n;
	unsigned int cap;
	size_t size;
	bool nomem;
};

static void *grow_slot(struct grow *g)
{
	if (*g->n == g->cap) {
		unsigned int cap = g->cap ? 2 * g->cap : 64;
		void *p = realloc(*g->arr, cap * g->size);

		if (!p) {
			g->nomem = true;
			return NULL;
		}
		*g->arr = p;
		g->cap = cap;
	}
	return (char *)*g->arr + (size_t)(*g->n)++ * g->size;
}

static int node_cb(struct nlattr **tb, void *arg)
{
	struct grow *g = arg;
	struct om_node_info n;
	struct mon_node *m;

	if (om_node_parse(tb[OM_A_NODE], &n))
		return 0;
	m = grow_slot(g);
	if (!m)
		return EXIT_KERNEL;
	m->n = n;
	m->guests = -1;
	m->from_here = 0;
	return 0;
}

static int proc_cb(struct nlattr **tb, void *arg)
{
	struct grow *g = arg;
	struct om_proc_info p, *slot;

	if (om_proc_parse(tb[OM_A_PROC], &p))
		return 0;
	slot = grow_slot(g);
	if (!slot)
		return EXIT_KERNEL;
	*slot = p;
	return 0;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct om_proc_info *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int dump(uint8_t cmd, const char *what, om_nl_cb cb, struct grow *g)
{
	struct nl_msg *msg = om_nl_msg(cmd, NLM_F_DUMP);
	int ret;

	if (!msg)
		return om_enomem();
	ret = om_nl_talk(msg, what, cb, g);
	if (!ret && g->nomem)
		ret = om_enomem();
	return ret;
}

int mon_snap_read(struct mon_snap *s, bool procs)
{
	struct grow gn = { .arr = (void **)&s->nodes, .n = &s->nnodes,
			   .size = sizeof(*s->nodes) };
	struct grow gp = { .arr = (void **)&s->procs, .n = &s->nprocs,
			   .size = sizeof(*s->procs) };
	int ret;

	mon_snap_free(s);
	s->when = time(NULL);
	ret = dump(OM_CMD_GET_NODE, "node dump", node_cb, &gn);
	if (!ret && procs) {
		ret = dump(OM_CMD_GET_PROC, "process dump", proc_cb, &gp);
		s->have_procs = !ret;
	}
	if (ret) {
		mon_snap_free(s);
		return ret;
	}
	if (s->nprocs)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_proc);
	mon_snap_count(s);
	return 0;
}

void mon_snap_free(struct mon_snap *s)
{
	free(s->nodes);
	free(s->procs);
	memset(s, 0, sizeof(*s));
}

bool mon_node_up(const struct om_node_info *n)
{
	return om_node_is_self(n) || n->state == OM_NODE_UP;
}

void mon_snap_count(struct mon_snap *s)
{
	unsigned int guests = 0;

	s->self = 0;
	for (unsigned int i = 0; i < s->nnodes; i++) {
		s->nodes[i].guests = -1;
		s->nodes[i].from_here = 0;
		if (om_node_is_self(&s->nodes[i].n) && !s->self)
			s->self = s->nodes[i].n.id;
	}
	for (unsigned int i = 0; i < s->nprocs; i++) {
		const struct om_proc_info *p = &s->procs[i];
		struct mon_node *m;

		if (p->guest) {
			guests++;
			continue;
		}
		if (p->where == p->home)
			continue;
		m = (struct mon_node *)mon_snap_node(s, p->where);
		if (m)
			m->from_here++;
	}
	/* the kernel reports the guests of this node only */
	for (unsigned int i = 0; i < s->nnodes; i++)
		if (s->have_procs && s->nodes[i].n.id == s->self)
			s->nodes[i].guests = guests;
}

const struct om_proc_info *mon_snap_proc(const struct mon_snap *s, uint32_t pid)
{
	struct om_proc_info key = { .pid = pid };

	if (!s->nprocs)
		return NULL;
	return bsearch(&key, s->procs, s->nprocs, sizeof(*s->procs), cmp_proc);
}

const struct mon_node *mon_snap_node(const struct mon_snap *s, uint16_t id)
{
	for (unsigned int i = 0; i < s->nnodes; i++)
		if (s->nodes[i].n.id == id)
			return &s->nodes[i];
	return NULL;
}

/* ---- the events socket ---- */

static struct nl_sock *ev_sk;
static int ev_family = -1;

struct ev_ctx {
	unsigned int bits;
	char *last;
	size_t len;
};

static void ctrl_msg(struct nlmsghdr *nlh, struct ev_ctx *c)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (g->cmd != CTRL_CMD_NEWFAMILY && g->cmd != CTRL_CMD_DELFAMILY)
		return;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), OM_GENL_NAME))
		return;
	c->bits |= MON_EV_FAMILY;
	snprintf(c->last, c->len, "openmosix module %s",
		 g->cmd == CTRL_CMD_NEWFAMILY ? "loaded" : "unloaded");
}

/*
 * An event's line, in omctl monitor's words: its printer (the print
 * API's text) into a string, without the newline
 */
void mon_event_text(struct nlattr **tb, char *buf, size_t len)
{
	FILE *prev = jw_output(), *f;
	bool was = json;
	char *text = NULL;
	size_t size = 0;

	buf[0] = '\0';
	f = open_memstream(&text, &size);
	if (!f)
		return;
	json = false;
	jw_set_output(f);
	om_event_print(tb, NULL);
	jw_set_output(prev);
	json = was;
	fclose(f);
	if (text)
		snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
	free(text);
}

static void om_msg(struct nlmsghdr *nlh, struct ev_ctx *c)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[OM_A_MAX + 1];
	unsigned int bit;
	char text[256];

	if (genlmsg_parse(nlh, 0, tb, OM_A_MAX, NULL) < 0)
		return;
	if (g->cmd == OM_CMD_NODE_EVENT && tb[OM_A_EVENT])
		bit = MON_EV_NODE;
	else if (g->cmd == OM_CMD_MIG_EVENT && tb[OM_A_MIG_EVENT])
		bit = MON_EV_MIG;
	else
		return;
	/* an event whose node or process does not parse is no event */
	mon_event_text(tb, text, sizeof(text));
	if (!text[0])
		return;
	c->bits |= bit;
	snprintf(c->last, c->len, "%s", text);
}

static int ev_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ev_ctx *c = arg;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NL_SKIP;
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		ctrl_msg(nlh, c);
	else if (ev_family >= 0 && nlh->nlmsg_type == ev_family)
		om_msg(nlh, c);
	return NL_OK;
}

static int ev_noseq(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int mon_ev_open(void)
{
	int ctrl_grp, om_grp = -1;

	mon_ev_close();
	ev_sk = nl_socket_alloc();
	if (!ev_sk)
		return -1;
	if (genl_connect(ev_sk))
		goto fail;
	/* resolve everything before joining: no notification among the replies */
	ctrl_grp = genl_ctrl_resolve_grp(ev_sk, "nlctrl", "notify");
	ev_family = genl_ctrl_resolve(ev_sk, OM_GENL_NAME);
	if (ev_family >= 0)
		om_grp = genl_ctrl_resolve_grp(ev_sk, OM_GENL_NAME,
					       OM_GENL_MCGRP_EVENTS);
	nl_socket_disable_seq_check(ev_sk);
	if (ctrl_grp >= 0 && nl_socket_add_membership(ev_sk, ctrl_grp))
		ctrl_grp = -1;
	if (om_grp >= 0 && nl_socket_add_membership(ev_sk, om_grp))
		om_grp = -1;
	if (ctrl_grp < 0 && om_grp < 0)
		goto fail;
	nl_socket_enable_msg_peek(ev_sk);
	nl_socket_set_nonblocking(ev_sk);
	return nl_socket_get_fd(ev_sk);
fail:
	mon_ev_close();
	return -1;
}

void mon_ev_close(void)
{
	if (ev_sk)
		nl_socket_free(ev_sk);
	ev_sk = NULL;
	ev_family = -1;
}

int mon_ev_fd(void)
{
	return ev_sk ? nl_socket_get_fd(ev_sk) : -1;
}

unsigned int mon_ev_read(char *last, size_t len)
{
	struct ev_ctx c = { .last = last, .len = len };
	struct nl_cb *cb;
	int err;

	if (!ev_sk)
		return MON_EV_NONE;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return MON_EV_LOST;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ev_valid, &c);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, ev_noseq, NULL);
	/* non-blocking: one datagram per call, 0 when none is left */
	for (int i = 0; i < 256; i++) {
		err = nl_recvmsgs_report(ev_sk, cb);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped some for us */
			c.bits |= MON_EV_LOST;
			continue;
		}
		if (err <= 0)
			break;
	}
	nl_cb_put(cb);
	return c.bits;
}

/* ---- a live view's connection ---- */

void mon_live_init(struct mon_live *lv)
{
	lv->connected = false;
	lv->conn = MON_CONN_ABSENT;
	mon_ev_open();
}

enum mon_conn mon_live_refresh(struct mon_live *lv, struct mon_snap *s,
			       bool procs)
{
	enum mon_conn was = lv->conn;

	if (!lv->connected && !mon_open(true)) {
		lv->connected = true;
		/* a new family: its events group is a new one too */
		if (was != MON_CONN_OK)
			mon_ev_open();
	}
	if (lv->connected) {
		if (!mon_snap_read(s, procs))
			return lv->conn = MON_CONN_OK;
		mon_close();
		lv->connected = false;
	}
	mon_snap_free(s);
	lv->conn = mon_family_present() == 0 ? MON_CONN_ABSENT : MON_CONN_ERROR;
	if (was == MON_CONN_OK)
		mon_ev_open();
	return lv->conn;
}

unsigned int mon_live_events(struct mon_live *lv, char *last, size_t len)
{
	unsigned int bits = mon_ev_read(last, len);

	if (bits & MON_EV_FAMILY) {
		/* unloaded or loaded again: new family id, new group */
		mon_close();
		lv->connected = false;
		lv->conn = MON_CONN_ERROR;
		mon_ev_open();
	}
	return bits;
}

void mon_live_close(struct mon_live *lv)
{
	mon_close();
	mon_ev_close();
	lv->connected = false;
}

/* ---- stderr into a pipe ---- */

static int cap_saved = -1, cap_rd = -1;
static char cap_buf[512], cap_line[256];
static size_t cap_len;

void mon_errcap_start(void)
{
	int p[2];

	if (cap_saved >= 0 || pipe2(p, O_NONBLOCK | O_CLOEXEC))
		return;
	fflush(stderr);
	cap_saved = dup(2);
	if (cap_saved < 0 || dup2(p[1], 2) < 0) {
		close(p[0]);
		close(p[1]);
		if (cap_saved >= 0)
			close(cap_saved);
		cap_saved = -1;
		return;
	}
	close(p[1]);
	cap_rd = p[0];
	cap_len = 0;
	cap_line[0] = '\0';
}

void mon_errcap_stop(void)
{
	if (cap_saved < 0)
		return;
	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	close(cap_rd);
	cap_saved = cap_rd = -1;
}

void mon_errcap_last(char *buf, size_t len)
{
	ssize_t n;

	buf[0] = '\0';
	if (cap_rd < 0)
		return;
	fflush(stderr);
	while ((n = read(cap_rd, cap_buf + cap_len, sizeof(cap_buf) - 1 - cap_len)) > 0) {
		char *nl;

		cap_len += n;
		cap_buf[cap_len] = '\0';
		while ((nl = strchr(cap_buf, '\n'))) {
			*nl = '\0';
			snprintf(cap_line, sizeof(cap_line), "%.*s",
				 (int)sizeof(cap_line) - 1, cap_buf);
			memmove(cap_buf, nl + 1, cap_len - (nl + 1 - cap_buf) + 1);
			cap_len -= nl + 1 - cap_buf;
		}
		/* a line longer than the buffer: keep its start */
		if (cap_len == sizeof(cap_buf) - 1) {
			snprintf(cap_line, sizeof(cap_line), "%.*s",
				 (int)sizeof(cap_line) - 1, cap_buf);
			cap_len = 0;
		}
	}
	snprintf(buf, len, "%s", cap_line);
	cap_line[0] = '\0';
}
