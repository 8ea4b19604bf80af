// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The web process: libmicrohttpd driven from our own poll loop (one
 * thread: no locks around omctl's global netlink socket and JSON writer),
 * the page from memory (no files, so no path to traverse), the JSON API,
 * server-sent events, /metrics, and admin actions handed to the broker.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <microhttpd.h>

#include "omwebd.h"
#include "om_key.h"

enum route {
	R_NONE,
	R_PAGE, R_JS, R_CSS, R_ICON,
	R_STATUS, R_NODES, R_PROCS, R_HISTORY, R_EVENTS, R_METRICS,
	R_ACTION,
};

static const struct {
	const char *path;
	enum route route;
} get_routes[] = {
	{ "/", R_PAGE },
	{ "/index.html", R_PAGE },
	{ "/app.js", R_JS },
	{ "/style.css", R_CSS },
	{ "/favicon.svg", R_ICON },
	{ "/api/status", R_STATUS },
	{ "/api/nodes", R_NODES },
	{ "/api/procs", R_PROCS },
	{ "/api/history", R_HISTORY },
	{ "/api/events", R_EVENTS },
	{ "/metrics", R_METRICS },
};

/* One HTTP request. */
struct request {
	enum route route;
	bool answered;		/* a response is queued */
	size_t body;
	/* an action: parsed, then sent to the broker, then answered */
	uint32_t op, pid, node;
	char token[OM_KEY_HEX];
	int state;		/* 0 new, 1 at the broker, 2 answer in rep */
	uint32_t id;
	struct omw_rep rep;
	struct MHD_Connection *conn;
	struct request *next;	/* the broker's queue */
};

/* One event stream. */
struct sse {
	struct sse *next, *prev;
	struct MHD_Connection *conn;
	uint64_t next_id;
	uint64_t ka_seq;
	bool hello, suspended, closing;
	size_t len, off;
	char buf[OMW_EVENT_MAX + 256];
};

struct event {
	char *frame;		/* "id: ...\nevent: ...\ndata: ...\n\n" */
	size_t len;
};

static struct {
	struct MHD_Daemon *d;
	const struct omw_web_opts *o;
	struct omw_capture cap;
	struct omw_snap snap;
	bool snapped, said_loaded, said_any;
	struct omw_hist hist;
	uint64_t next_hist;
	struct omw_counters cnt;
	/* events */
	int evfd;
	pid_t evpid;
	uint64_t ev_restart;
	char evbuf[OMW_EVENT_MAX];
	size_t evlen;
	bool ev_skip;		/* in a line too long to keep */
	struct event ring[OMW_EVENT_RING];
	uint64_t ev_next;	/* the next event's id; ids start at 1 */
	struct sse *sse;
	uint64_t ka_seq, next_ka;
	/* actions */
	struct request *queue;
	unsigned int nqueue;
	uint32_t next_id;
	bool quit;
} w;

static const char *const sec_headers[][2] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
};

#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " \
	    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

static void add_headers(struct MHD_Response *resp, const char *type, bool no_store)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sec_headers); i++)
		MHD_add_response_header(resp, sec_headers[i][0], sec_headers[i][1]);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				no_store ? "no-store" : "no-cache");
}

static struct MHD_Response *make_resp(const char *type, void *buf, size_t len,
				      enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, mode);

	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(buf);
		return NULL;
	}
	add_headers(resp, type, !strncmp(type, "application/json", 16) ||
		    !strncmp(type, "text/plain", 10));
	if (!strncmp(type, "text/html", 9))
		MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	return resp;
}

static enum MHD_Result queue(struct request *r, unsigned int status, struct MHD_Response *resp)
{
	r->answered = true;
	return MHD_queue_response(r->conn, status, resp);
}

static enum MHD_Result send_buf(struct request *r, unsigned int status, const char *type,
				void *buf, size_t len, enum MHD_ResponseMemoryMode mode,
				const char *h1, const char *v1)
{
	struct MHD_Response *resp = make_resp(type, buf, len, mode);
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	if (h1)
		MHD_add_response_header(resp, h1, v1);
	ret = queue(r, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * The documents of one snapshot, made once and shared by every client
 * that asks before the next look (libmicrohttpd counts the references):
 * many pollers cost one copy, not one each.
 */
static struct {
	struct MHD_Response *resp;
	unsigned int status;
} cache[R_ACTION];

static void cache_drop(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(cache); i++) {
		if (cache[i].resp)
			MHD_destroy_response(cache[i].resp);
		cache[i].resp = NULL;
	}
}

/* {"error": MSG} with the status */
static enum MHD_Result refuse(struct request *r, unsigned int status, const char *msg,
			      const char *h1, const char *v1)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (status < 500)
		w.cnt.refused++;
	omw_log(LOG_DEBUG, "refused %u: %s", status, msg);
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	jw_set_output(f);
	jw_open_obj(NULL);
	jw_str("error", msg);
	jw_close_obj();
	jw_end();
	jw_set_output(NULL);
	fclose(f);
	return send_buf(r, status, "application/json", buf, len, MHD_RESPMEM_MUST_FREE, h1, v1);
}

static size_t unescape_cb(void *cls, struct MHD_Connection *c, char *s)
{
	return omw_unescape(s);
}

/* ------------------------------------------------------------------ */
/* data */

static void log_module_state(void)
{
	if (w.said_any && w.said_loaded == w.snap.loaded)
		return;
	if (w.snap.loaded)
		omw_log(LOG_INFO, "openmosix module answers (version %s)", w.snap.version);
	else
		omw_log(LOG_WARNING, "%s; the page says so until it answers", w.snap.error);
	w.said_any = true;
	w.said_loaded = w.snap.loaded;
}

/* A look at most OMW_SNAP_MAX_AGE_MS old; procs: with the process list */
static struct omw_snap *snap(bool procs)
{
	if (!w.snapped || omw_mono_ms() - w.snap.mono_ms >= OMW_SNAP_MAX_AGE_MS ||
	    (procs && !w.snap.with_procs)) {
		cache_drop();
		omw_snap_take(&w.snap, &w.cap, procs);
		w.snapped = true;
		log_module_state();
	}
	return &w.snap;
}

/* The common head of every data document: module state and time */
static void doc_head(const struct omw_snap *s)
{
	jw_bool("module", s->loaded);
	if (s->loaded)
		jw_null("error");
	else
		jw_str("error", s->error);
	jw_uint("time", s->time_ms);
	if (s->has_self)
		jw_uint("self", s->self);
	else
		jw_null("self");
}

static enum MHD_Result send_json(struct request *r, unsigned int status, FILE *f,
				 char **buf, size_t *len)
{
	jw_end();
	jw_set_output(NULL);
	fclose(f);
	if (!*buf)
		return MHD_NO;
	return send_buf(r, status, "application/json", *buf, *len, MHD_RESPMEM_MUST_FREE,
			NULL, NULL);
}

static enum MHD_Result api_data(struct request *r)
{
	struct omw_snap *s = snap(r->route == R_PROCS);
	struct MHD_Response *resp;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (cache[r->route].resp)
		return queue(r, cache[r->route].status, cache[r->route].resp);
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	jw_set_output(f);
	jw_open_obj(NULL);
	doc_head(s);
	switch (r->route) {
	case R_STATUS:
		/* exactly "omctl -j status" */
		if (s->loaded && s->status_json)
			fprintf(f, ",\"status\":%s", s->status_json);
		else
			fputs(",\"status\":null", f);
		break;
	case R_NODES:
		jw_open_arr("nodes");
		for (unsigned int i = 0; i < s->nnodes; i++)
			om_node_json(NULL, &s->nodes[i]);
		jw_close_arr();
		jw_bool("truncated", s->nodes_cut);
		break;
	case R_PROCS:
		jw_open_arr("procs");
		for (unsigned int i = 0; i < s->nprocs; i++)
			om_proc_json(NULL, &s->procs[i]);
		jw_close_arr();
		jw_bool("truncated", s->procs_cut);
		break;
	default:
		break;
	}
	jw_close_obj();
	jw_end();
	jw_set_output(NULL);
	fclose(f);
	if (!buf)
		return MHD_NO;
	resp = make_resp("application/json", buf, len, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	cache[r->route].resp = resp;
	cache[r->route].status = s->loaded ? 200 : 503;
	return queue(r, cache[r->route].status, resp);
}

static enum MHD_Result api_history(struct request *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return MHD_NO;
	jw_set_output(f);
	omw_hist_json(&w.hist);
	return send_json(r, 200, f, &buf, &len);
}

static enum MHD_Result metrics(struct request *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return MHD_NO;
	omw_metrics(f, snap(true), &w.cnt);
	fclose(f);
	if (!buf)
		return MHD_NO;
	return send_buf(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len,
			MHD_RESPMEM_MUST_FREE, NULL, NULL);
}

static enum MHD_Result asset(struct request *r)
{
	const char *p, *e, *type;

	switch (r->route) {
	case R_JS:
		p = omw_app_js, e = omw_app_js_end, type = "text/javascript; charset=utf-8";
		break;
	case R_CSS:
		p = omw_style_css, e = omw_style_css_end, type = "text/css; charset=utf-8";
		break;
	case R_ICON:
		p = omw_favicon_svg, e = omw_favicon_svg_end, type = "image/svg+xml";
		break;
	default:
		p = omw_index_html, e = omw_index_html_end, type = "text/html; charset=utf-8";
	}
	return send_buf(r, 200, type, (void *)p, e - p, MHD_RESPMEM_PERSISTENT, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* server-sent events */

static uint64_t ring_oldest(void)
{
	return w.ev_next > OMW_EVENT_RING ? w.ev_next - OMW_EVENT_RING : 1;
}

static void sse_wake(bool closing)
{
	for (struct sse *s = w.sse; s; s = s->next) {
		if (closing)
			s->closing = true;
		if (s->suspended) {
			s->suspended = false;
			MHD_resume_connection(s->conn);
		}
	}
}

static void sse_fill(struct sse *s, const char *data, size_t n)
{
	if (n > sizeof(s->buf))
		n = sizeof(s->buf);
	memcpy(s->buf, data, n);
	s->len = n;
	s->off = 0;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char hello[] = "retry: 3000\n: omwebd event stream\n\n";
	static const char lost[] = "event: lost\ndata: {}\n\n";
	static const char ka[] = ": keepalive\n\n";
	struct sse *s = cls;
	size_t n;

	if (s->off >= s->len) {
		if (s->closing)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (!s->hello) {
			s->hello = true;
			sse_fill(s, hello, sizeof(hello) - 1);
		} else if (s->next_id < ring_oldest()) {
			/* it fell behind the ring: say so, the page reloads its data */
			s->next_id = ring_oldest();
			sse_fill(s, lost, sizeof(lost) - 1);
		} else if (s->next_id < w.ev_next) {
			const struct event *e = &w.ring[s->next_id % OMW_EVENT_RING];

			sse_fill(s, e->frame, e->len);
			s->next_id++;
		} else if (s->ka_seq != w.ka_seq) {
			s->ka_seq = w.ka_seq;
			sse_fill(s, ka, sizeof(ka) - 1);
		} else {
			/* nothing to say: off MHD's loop until there is */
			s->suspended = true;
			MHD_suspend_connection(s->conn);
			return 0;
		}
	}
	n = s->len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->buf + s->off, n);
	s->off += n;
	return n;
}

static void sse_free(void *cls)
{
	struct sse *s = cls;

	if (s->prev)
		s->prev->next = s->next;
	else
		w.sse = s->next;
	if (s->next)
		s->next->prev = s->prev;
	w.cnt.sse_clients--;
	free(s);
}

static enum MHD_Result sse_start(struct request *r)
{
	const char *last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Last-Event-ID");
	const char *bl = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "backlog");
	struct MHD_Response *resp;
	enum MHD_Result ret;
	struct sse *s;
	uint64_t id;
	uint32_t v;

	if (w.cnt.sse_clients >= OMW_MAX_SSE)
		return refuse(r, 503, "too many event streams", "Retry-After", "10");
	s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	s->conn = r->conn;
	s->next_id = w.ev_next;
	s->ka_seq = w.ka_seq;
	/* a reconnecting EventSource goes on where it was, a page may ask for the last N */
	if (last && !omw_parse_u64(last, &id) && id < w.ev_next)
		s->next_id = id + 1;
	else if (bl && !omw_parse_pid(bl, &v))
		s->next_id = w.ev_next > v ? w.ev_next - v : 1;
	if (s->next_id < ring_oldest())
		s->next_id = ring_oldest();
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, s, sse_free);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	s->next = w.sse;
	if (w.sse)
		w.sse->prev = s;
	w.sse = s;
	w.cnt.sse_clients++;
	add_headers(resp, "text/event-stream; charset=utf-8", true);
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	r->answered = true;
	return ret;
}

/* "event_code":N in our own JSON */
static int code_of(const char *line)
{
	const char *p = strstr(line, "\"event_code\":");

	return p && isdigit((unsigned char)p[13]) ? atoi(p + 13) : -1;
}

static void event_add(const char *line, size_t n)
{
	const char *kind = "other";
	struct event *e;
	char *frame;
	int code, len;

	if (n == 0 || line[0] != '{' || line[n - 1] != '}' || memchr(line, '\r', n))
		return;
	code = code_of(line);
	if (strstr(line, "\"event\":\"module\"")) {
		kind = "module";
	} else if (strstr(line, "\"proc\":{")) {
		kind = "migration";
		if (code >= 0 && code < 8)
			w.cnt.mig_events[code]++;
	} else if (strstr(line, "\"node\":{")) {
		kind = "node";
		if (code >= 0 && code < 8)
			w.cnt.node_events[code]++;
	}
	len = asprintf(&frame, "id: %llu\nevent: %s\ndata: {\"id\":%llu,\"time\":%llu,\"kind\":\"%s\",\"event\":%.*s}\n\n",
		       (unsigned long long)w.ev_next, kind, (unsigned long long)w.ev_next,
		       (unsigned long long)omw_now_ms(), kind, (int)n, line);
	if (len < 0)
		return;
	e = &w.ring[w.ev_next % OMW_EVENT_RING];
	free(e->frame);
	e->frame = frame;
	e->len = len;
	w.ev_next++;
	/* the next API call reads the kernel again */
	w.snapped = false;
	sse_wake(false);
}

static void events_read(void)
{
	char tmp[4096];
	ssize_t n;

	for (;;) {
		n = read(w.evfd, tmp, sizeof(tmp));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			/* the reader is gone: SIGCHLD restarts it */
			close(w.evfd);
			w.evfd = -1;
			return;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (tmp[i] == '\n') {
				if (!w.ev_skip)
					event_add(w.evbuf, w.evlen);
				w.evlen = 0;
				w.ev_skip = false;
			} else if (w.evlen + 1 < sizeof(w.evbuf)) {
				w.evbuf[w.evlen++] = tmp[i];
				w.evbuf[w.evlen] = '\0';
			} else {
				w.ev_skip = true;
			}
		}
	}
}

static void events_restart(void)
{
	int status;

	if (w.evpid > 0 && waitpid(w.evpid, &status, WNOHANG) == w.evpid) {
		omw_log(LOG_WARNING, "event reader ended; starting it again");
		w.evpid = 0;
		w.ev_restart = omw_mono_ms() + 2000;
		if (w.evfd >= 0) {
			events_read();
			if (w.evfd >= 0)
				close(w.evfd);
			w.evfd = -1;
		}
	}
	if (w.evpid <= 0 && !w.quit && omw_mono_ms() >= w.ev_restart) {
		w.evlen = 0;
		w.ev_skip = false;
		w.evpid = omw_events_start(&w.evfd);
		if (w.evpid < 0) {
			w.evpid = 0;
			w.ev_restart = omw_mono_ms() + 2000;
		}
	}
}

/* ------------------------------------------------------------------ */
/* actions */

static void queue_del(struct request *r)
{
	for (struct request **p = &w.queue; *p; p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			w.nqueue--;
			return;
		}
	}
}

static void broker_read(void)
{
	struct omw_rep rep;
	ssize_t n;

	for (;;) {
		n = recv(w.o->broker_fd, &rep, sizeof(rep), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			omw_log(LOG_ERR, "the broker is gone; ending");
			w.quit = true;
			return;
		}
		if (n != sizeof(rep))
			continue;
		rep.msg[sizeof(rep.msg) - 1] = '\0';
		for (struct request *r = w.queue; r; r = r->next) {
			if (r->id == rep.id) {
				r->rep = rep;
				r->state = 2;
				queue_del(r);
				MHD_resume_connection(r->conn);
				break;
			}
		}
		w.snapped = false;
	}
}

static const char *op_name(uint32_t op)
{
	switch (op) {
	case OMW_OP_LOCK: return "lock";
	case OMW_OP_UNLOCK: return "unlock";
	case OMW_OP_MIGRATE: return "migrate";
	default: return "home";
	}
}

static enum MHD_Result action_answer(struct request *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (r->rep.http >= 400)
		return refuse(r, r->rep.http, r->rep.msg, NULL, NULL);
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	jw_set_output(f);
	jw_open_obj(NULL);
	jw_bool("ok", true);
	jw_str("action", op_name(r->op));
	jw_uint("pid", r->pid);
	if (r->op == OMW_OP_MIGRATE)
		jw_uint("node", r->node);
	if (r->op == OMW_OP_MIGRATE || r->op == OMW_OP_HOME) {
		jw_uint("pages", r->rep.pages);
		jw_uint("bytes", r->rep.bytes);
		jw_uint("usecs", r->rep.usecs);
	}
	jw_close_obj();
	return send_json(r, 200, f, &buf, &len);
}

static enum MHD_Result action_step(struct request *r)
{
	struct omw_req q = { 0 };

	if (r->state == 2)
		return action_answer(r);
	if (w.nqueue >= OMW_MAX_ACTIONS)
		return refuse(r, 503, "too many actions waiting, try again", "Retry-After", "5");
	r->id = ++w.next_id;
	q.id = r->id;
	q.op = r->op;
	q.pid = r->pid;
	q.node = r->node;
	memcpy(q.token, r->token, sizeof(q.token));
	if (send(w.o->broker_fd, &q, sizeof(q), MSG_DONTWAIT | MSG_NOSIGNAL) != sizeof(q))
		return refuse(r, 503, "the privileged helper is busy, try again", NULL, NULL);
	explicit_bzero(&q, sizeof(q));
	r->state = 1;
	r->next = w.queue;
	w.queue = r;
	w.nqueue++;
	MHD_suspend_connection(r->conn);
	return MHD_YES;
}

/* "/api/procs/PID/VERB": 0 with r->pid, r->op set; -1 not an action path */
static int action_route(const char *url, struct request *r)
{
	static const char pre[] = "/api/procs/";
	char pid[16];
	const char *p, *slash;
	size_t n;

	if (strncmp(url, pre, sizeof(pre) - 1))
		return -1;
	p = url + sizeof(pre) - 1;
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= sizeof(pid))
		return -1;
	n = slash - p;
	memcpy(pid, p, n);
	pid[n] = '\0';
	if (omw_parse_pid(pid, &r->pid))
		return -1;
	p = slash + 1;
	if (!strcmp(p, "lock"))
		r->op = OMW_OP_LOCK;
	else if (!strcmp(p, "unlock"))
		r->op = OMW_OP_UNLOCK;
	else if (!strcmp(p, "migrate"))
		r->op = OMW_OP_MIGRATE;
	else if (!strcmp(p, "home"))
		r->op = OMW_OP_HOME;
	else
		return -1;
	return 0;
}

/* Authorization: Bearer TOKEN; 0, or the status to refuse with */
static int auth(struct request *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_AUTHORIZATION);
	uint8_t key[OM_KEY_BYTES];
	const char *why;

	if (!h || strncasecmp(h, "Bearer ", 7))
		return 401;
	h += 7;
	while (*h == ' ')
		h++;
	/* the broker compares; here only the shape (64 hex digits) */
	if (strlen(h) != OM_KEY_HEX || om_key_parse(h, OM_KEY_HEX, key, &why))
		return 403;
	explicit_bzero(key, sizeof(key));
	memcpy(r->token, h, OM_KEY_HEX);
	return 0;
}

/* Origin, when a browser sends one, must be this very site. */
static bool same_origin(struct MHD_Connection *c)
{
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);

	if (!origin)
		return true;
	if (!host)
		return false;
	/* behind a TLS proxy that passes Host on, the page is https */
	if (!strncasecmp(origin, "https://", 8))
		return !strcasecmp(origin + 8, host);
	return !strncasecmp(origin, "http://", 7) && !strcasecmp(origin + 7, host);
}

static enum MHD_Result action_begin(struct request *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *node = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "node");
	unsigned long long len;
	uint16_t id;
	char *end;
	int st;

	if (cl) {
		errno = 0;
		len = strtoull(cl, &end, 10);
		if (errno || *end || len > OMW_BODY_MAX)
			return refuse(r, 413, "request body too large", NULL, NULL);
	}
	if (!same_origin(r->conn))
		return refuse(r, 403, "cross-origin request", NULL, NULL);
	st = auth(r);
	if (st == 401)
		return refuse(r, 401, "authentication required (Authorization: Bearer TOKEN)",
			      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"omwebd\"");
	if (st)
		return refuse(r, 403, "wrong token", NULL, NULL);
	if (r->op == OMW_OP_MIGRATE) {
		if (!node)
			return refuse(r, 400, "migrate needs ?node=ID (or home)", NULL, NULL);
		if (!strcmp(node, "home")) {
			r->op = OMW_OP_HOME;
		} else {
			if (parse_node_id(node, &id))
				return refuse(r, 400, "invalid node (1..65535 or home)", NULL, NULL);
			r->node = id;
		}
	}
	return MHD_YES;
}

/* ------------------------------------------------------------------ */

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	if (!strcasecmp(key, MHD_HTTP_HEADER_HOST))
		(*(unsigned int *)cls)++;
	return MHD_YES;
}

static enum MHD_Result first_call(struct request *r, const char *url, const char *method)
{
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_HOST);
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
	unsigned int hosts = 0;

	if (!omw_path_ok(url))
		return refuse(r, 400, "bad path", NULL, NULL);
	/* libmicrohttpd answers the first; a second could be what a proxy saw */
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_host, &hosts);
	if (hosts > 1)
		return refuse(r, 400, "more than one Host header", NULL, NULL);
	if (w.o->loopback && host && !omw_host_ok(host))
		return refuse(r, 421, "this server answers to localhost only", NULL, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(get_routes); i++)
		if (!strcmp(url, get_routes[i].path))
			r->route = get_routes[i].route;
	if (r->route == R_NONE && !action_route(url, r))
		r->route = R_ACTION;
	if (r->route == R_NONE)
		return refuse(r, 404, "not found", NULL, NULL);
	if (r->route == R_ACTION) {
		if (strcmp(method, MHD_HTTP_METHOD_POST))
			return refuse(r, 405, "actions are POST", MHD_HTTP_HEADER_ALLOW, "POST");
		return action_begin(r);
	}
	if (!get)
		return refuse(r, 405, "method not allowed", MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	switch (r->route) {
	case R_PAGE:
	case R_JS:
	case R_CSS:
	case R_ICON:
		return asset(r);
	case R_HISTORY:
		return api_history(r);
	case R_EVENTS:
		return sse_start(r);
	case R_METRICS:
		return metrics(r);
	default:
		return api_data(r);
	}
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version,
			       const char *upload, size_t *upload_size, void **req_cls)
{
	struct request *r = *req_cls;

	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->conn = c;
		*req_cls = r;
		w.cnt.requests++;
		return first_call(r, url, method);
	}
	if (*upload_size) {
		/*
		 * libmicrohttpd answers only once the body is in: a body
		 * without Content-Length is counted and dropped, and the
		 * connection closed if it goes on and on.
		 */
		r->body += *upload_size;
		*upload_size = 0;
		return r->body > 64 * OMW_BODY_MAX ? MHD_NO : MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (r->body > OMW_BODY_MAX)
		return refuse(r, 413, "request body too large", NULL, NULL);
	if (r->route == R_ACTION)
		return action_step(r);
	return MHD_NO;
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct request *r = *req_cls;

	if (!r)
		return;
	if (r->state == 1)
		queue_del(r);
	explicit_bzero(r->token, sizeof(r->token));
	free(r);
	*req_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];

	if (!omw_verbose)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	omw_log(LOG_DEBUG, "http: %s", buf);
}

static void history_tick(void)
{
	uint64_t now = omw_mono_ms();
	struct omw_snap *s;

	if (now < w.next_hist)
		return;
	w.next_hist = now + OMW_HIST_STEP_MS;
	w.snapped = false;
	s = snap(false);
	if (s->loaded)
		omw_hist_add(&w.hist, s->time_ms, s->nodes, s->nnodes);
}

static int sigfd_open(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	return signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Wake every suspended connection with a last answer, then stop. */
static void shutdown_web(void)
{
	for (struct request *r = w.queue; r; r = w.queue) {
		queue_del(r);
		r->state = 2;
		r->rep.http = 503;
		snprintf(r->rep.msg, sizeof(r->rep.msg), "omwebd is stopping");
		MHD_resume_connection(r->conn);
	}
	sse_wake(true);
	for (int i = 0; i < 20; i++) {
		MHD_run(w.d);
		if (!w.sse)
			break;
		poll(NULL, 0, 10);
	}
	cache_drop();
	MHD_stop_daemon(w.d);
	if (w.evpid > 0) {
		kill(w.evpid, SIGTERM);
		waitpid(w.evpid, NULL, 0);
	}
	omw_snap_free(&w.snap);
	for (unsigned int i = 0; i < OMW_EVENT_RING; i++)
		free(w.ring[i].frame);
}

int omw_web_run(const struct omw_web_opts *o)
{
	const union MHD_DaemonInfo *info;
	struct signalfd_siginfo si;
	struct pollfd pfd[4];
	int sfd, mhd_fd;

	w.o = o;
	w.ev_next = 1;
	w.evfd = -1;
	json = true;
	pretty = false;
	signal(SIGPIPE, SIG_IGN);
	sfd = sigfd_open();
	if (sfd < 0 || omw_capture_init(&w.cap)) {
		omw_log(LOG_ERR, "signalfd/memfd: %s", strerror(errno));
		return 1;
	}
	/* before MHD: the reader must not inherit its sockets */
	events_restart();
	w.d = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
			       0, NULL, NULL, handler, NULL,
			       MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			       MHD_OPTION_LISTEN_SOCKET, o->listen_fd,
			       MHD_OPTION_CONNECTION_LIMIT, (unsigned int)OMW_MAX_CONN,
			       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)OMW_CONN_MEMORY,
			       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)OMW_CONN_TIMEOUT,
			       MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			       MHD_OPTION_UNESCAPE_CALLBACK, unescape_cb, NULL,
			       MHD_OPTION_STRICT_FOR_CLIENT, 1,
			       MHD_OPTION_END);
	if (!w.d) {
		omw_log(LOG_ERR, "cannot start the HTTP server");
		return 1;
	}
	info = MHD_get_daemon_info(w.d, MHD_DAEMON_INFO_EPOLL_FD);
	mhd_fd = info ? info->epoll_fd : -1;
	if (mhd_fd < 0) {
		omw_log(LOG_ERR, "libmicrohttpd has no epoll descriptor");
		MHD_stop_daemon(w.d);
		return 1;
	}
	w.next_ka = omw_mono_ms() + OMW_KEEPALIVE_MS;
	history_tick();
	while (!w.quit) {
		MHD_UNSIGNED_LONG_LONG to;
		int timeout = 1000;

		if (MHD_get_timeout(w.d, &to) == MHD_YES && to < (MHD_UNSIGNED_LONG_LONG)timeout)
			timeout = (int)to;
		pfd[0] = (struct pollfd){ .fd = mhd_fd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = o->broker_fd, .events = POLLIN };
		pfd[3] = (struct pollfd){ .fd = w.evfd, .events = POLLIN };
		if (poll(pfd, 4, timeout) < 0 && errno != EINTR) {
			omw_log(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents) {
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					w.quit = true;
		}
		if (pfd[2].revents)
			broker_read();
		if (w.evfd >= 0 && pfd[3].revents)
			events_read();
		events_restart();
		if (omw_mono_ms() >= w.next_ka) {
			w.next_ka = omw_mono_ms() + OMW_KEEPALIVE_MS;
			w.ka_seq++;
			sse_wake(false);
		}
		history_tick();
		MHD_run(w.d);
	}
	shutdown_web();
	return 0;
}
