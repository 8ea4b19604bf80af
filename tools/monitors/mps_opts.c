// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mps's ps options: UNIX ("-ef"), BSD ("aux") and GNU ("--sort") styles
 * as procps' ps takes them, the common ones; the selection, the sort,
 * the process tree and the output.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "mps.h"

int mps_usage(FILE *f)
{
	fprintf(f,
		"Usage: mps [ OPTION ]...   (ps with the node each process runs on)\n"
		"Selection (added up, as ps):\n"
		"  -e -A  all          -a  all with a tty but session leaders\n"
		"  -d  all but session leaders      -N --deselect  the others\n"
		"  a  all with a tty   x  also without a tty   r  running only\n"
		"  -p p --pid LIST     --ppid LIST       -s --sid LIST\n"
		"  -u U --user LIST    -U --User LIST    -G --Group LIST  --group LIST\n"
		"  -t t --tty LIST     -C LIST (command names)\n"
		"Output:\n"
		"  -f -F -l -j  full, extra full, long, jobs    -L -T  threads\n"
		"  u v j l  BSD user, memory, jobs, long        H  threads\n"
		"  -o o --format FIELD[=HEADER],...  (L lists the fields)\n"
		"  --sort k [+|-]FIELD,...   f --forest  tree   -H  indented tree\n"
		"  h --no-headers   w -w  wide (twice: unlimited)   --cols N\n"
		"  c  command name only   S  children's CPU time counted\n"
		"  --ominfo  also HOME NMIGS LOCK   --ominfol  and CANTMOVE\n"
		"  -V --version   --help\n"
		"NODE: where the process runs: \"home\", or the node id while it runs\n"
		"elsewhere (a guest here shows this node's id); \"-\" for what the\n"
		"openmosix module does not list (kernel threads, newer processes).\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

static int bad_option(const char *what, const char *arg)
{
	fprintf(stderr, "mps: %s: \"%s\"\n", what, arg);
	fprintf(stderr, "Try \"mps --help\".\n");
	return EXIT_USAGE;
}

static int list_add(struct mps_list *l, const char *val)
{
	char *copy = strdup(val), *save = NULL, *w;

	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

		if (v)
			l->v = v;
		w = v ? strdup(w) : NULL;
		if (!w) {
			free(copy);
			return -ENOMEM;
		}
		l->v[l->n++] = w;
	}
	free(copy);
	return 0;
}

static void list_free(struct mps_list *l)
{
	for (unsigned int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void mps_opts_free(struct mps_opts *o)
{
	list_free(&o->pids);
	list_free(&o->ppids);
	list_free(&o->sids);
	list_free(&o->users);
	list_free(&o->rusers);
	list_free(&o->groups);
	list_free(&o->rgroups);
	list_free(&o->ttys);
	list_free(&o->cmds);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != ',')
			return false;
	return true;
}

/* Check a list's words now, so a typo is a usage error without the module */
static int check_num_list(const struct mps_list *l, const char *what)
{
	for (unsigned int i = 0; i < l->n; i++) {
		char *end;
		long v;

		errno = 0;
		v = strtol(l->v[i], &end, 10);
		if (errno || *end || v < 0 || v > INT32_MAX)
			return bad_option(what, l->v[i]);
	}
	return 0;
}

/* A name becomes its number now: one lookup, not one per process */
static int to_id(struct mps_list *l, unsigned int i, unsigned long id)
{
	char num[24], *dup;

	snprintf(num, sizeof(num), "%lu", id);
	dup = strdup(num);
	if (!dup)
		return bad_option("out of memory at", l->v[i]);
	free(l->v[i]);
	l->v[i] = dup;
	return 0;
}

static int check_user_list(struct mps_list *l, const char *what)
{
	for (unsigned int i = 0; i < l->n; i++) {
		struct passwd *pw;
		char *end;

		strtoul(l->v[i], &end, 10);
		if (!*end)
			continue;
		pw = getpwnam(l->v[i]);
		if (!pw)
			return bad_option(what, l->v[i]);
		if (to_id(l, i, pw->pw_uid))
			return EXIT_USAGE;
	}
	return 0;
}

static int check_group_list(struct mps_list *l, const char *what)
{
	for (unsigned int i = 0; i < l->n; i++) {
		struct group *gr;
		char *end;

		strtoul(l->v[i], &end, 10);
		if (!*end)
			continue;
		gr = getgrnam(l->v[i]);
		if (!gr)
			return bad_option(what, l->v[i]);
		if (to_id(l, i, gr->gr_gid))
			return EXIT_USAGE;
	}
	return 0;
}

static int add_format(struct mps_opts *o, const char *spec)
{
	const char *bad = NULL;

	if (ps_format_add(&o->custom, spec, &bad))
		return bad_option("unknown output field", bad ? bad : spec);
	o->have_custom = true;
	return 0;
}

static int add_sort(struct mps_opts *o, const char *spec)
{
	const char *bad = NULL;

	if (ps_sort_parse(o->sort, &o->nsort, spec, &bad))
		return bad_option("unknown sort key", bad ? bad : spec);
	return 0;
}

/* The list an option letter (UNIX, BSD) or long option fills */
static struct mps_list *list_for(struct mps_opts *o, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "p", offsetof(struct mps_opts, pids) },
		{ "q", offsetof(struct mps_opts, pids) },
		{ "pid", offsetof(struct mps_opts, pids) },
		{ "quick-pid", offsetof(struct mps_opts, pids) },
		{ "ppid", offsetof(struct mps_opts, ppids) },
		{ "s", offsetof(struct mps_opts, sids) },
		{ "sid", offsetof(struct mps_opts, sids) },
		{ "u", offsetof(struct mps_opts, users) },
		{ "user", offsetof(struct mps_opts, users) },
		{ "U", offsetof(struct mps_opts, rusers) },
		{ "User", offsetof(struct mps_opts, rusers) },
		{ "G", offsetof(struct mps_opts, rgroups) },
		{ "Group", offsetof(struct mps_opts, rgroups) },
		{ "group", offsetof(struct mps_opts, groups) },
		{ "t", offsetof(struct mps_opts, ttys) },
		{ "tty", offsetof(struct mps_opts, ttys) },
		{ "C", offsetof(struct mps_opts, cmds) },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(map[i].name, name))
			return (struct mps_list *)((char *)o + map[i].off);
	return NULL;
}

static int take_list(struct mps_opts *o, const char *name, const char *val)
{
	if (list_add(list_for(o, name), val)) {
		fprintf(stderr, "mps: out of memory\n");
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_cols(struct mps_opts *o, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1 || n > 65535)
		return bad_option("invalid width", v);
	o->cols = n;
	return 0;
}

static int parse_long(struct mps_opts *o, char *arg, int argc, char **argv, int *i)
{
	static const char *const with_arg[] = {
		"pid", "ppid", "sid", "user", "User", "group", "Group", "tty",
		"quick-pid", "format", "sort", "cols", "columns", "width",
	};
	char *name = arg + 2, *val = strchr(name, '=');
	bool needs = false;

	if (val)
		*val++ = '\0';
	for (unsigned int k = 0; k < ARRAY_SIZE(with_arg); k++)
		needs |= !strcmp(name, with_arg[k]);
	if (needs && !val) {
		if (*i + 1 >= argc)
			return bad_option("option needs an argument", arg);
		val = argv[++*i];
	} else if (!needs && val) {
		return bad_option("option takes no argument", name);
	}
	if (!strcmp(name, "help")) {
		o->help = true;
	} else if (!strcmp(name, "version")) {
		o->version = true;
	} else if (!strcmp(name, "format")) {
		return add_format(o, val);
	} else if (!strcmp(name, "sort")) {
		return add_sort(o, val);
	} else if (!strcmp(name, "cols") || !strcmp(name, "columns") ||
		   !strcmp(name, "width")) {
		return parse_cols(o, val);
	} else if (!strcmp(name, "forest")) {
		o->forest = true;
	} else if (!strcmp(name, "no-headers") || !strcmp(name, "no-heading")) {
		o->no_headers = true;
	} else if (!strcmp(name, "headers")) {
		o->no_headers = false;
	} else if (!strcmp(name, "deselect")) {
		o->negate = true;
	} else if (!strcmp(name, "cumulative")) {
		o->cumulative = true;
	} else if (!strcmp(name, "ominfo")) {
		o->ominfo = true;
	} else if (!strcmp(name, "ominfol")) {
		o->ominfo = o->ominfol = true;
	} else if (needs) {
		return take_list(o, name, val);
	} else {
		return bad_option("unknown option", arg);
	}
	return 0;
}

/* "-ef", "-o pid", "-opid": UNIX options */
static int parse_unix(struct mps_opts *o, const char *arg, int argc, char **argv,
		      int *i)
{
	for (const char *p = arg + 1; *p; p++) {
		const char *val;
		char name[2] = { *p, 0 };

		if (strchr("opqusUGCt", *p)) {
			val = p[1] ? p + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
			if (!val) {
				char opt[3] = { '-', *p, 0 };

				return bad_option("option needs an argument", opt);
			}
			if (*p == 'o')
				return add_format(o, val);
			return take_list(o, name, val);
		}
		switch (*p) {
		case 'A':
		case 'e':
			o->all = true;
			break;
		case 'a':
			o->unix_a = true;
			break;
		case 'd':
			o->unix_d = true;
			break;
		case 'N':
			o->negate = true;
			break;
		case 'f':
			o->f_full = true;
			break;
		case 'F':
			o->f_extra = true;
			break;
		case 'l':
			o->f_long = true;
			break;
		case 'j':
			o->f_jobs = true;
			break;
		case 'L':
			o->threads_lwp = true;
			break;
		case 'T':
			o->threads_spid = true;
			break;
		case 'H':
			o->hier = true;
			break;
		case 'w':
			o->wide++;
			break;
		case 'V':
			o->version = true;
			break;
		default: {
			char opt[3] = { '-', *p, 0 };

			return bad_option("unknown or unsupported option", opt);
		}
		}
	}
	return 0;
}

/* "aux", "p 1,2", "o pid": BSD options */
static int parse_bsd(struct mps_opts *o, const char *arg, int argc, char **argv,
		     int *i)
{
	if (all_digits(arg))
		return take_list(o, "p", arg);
	o->bsd = true;
	for (const char *p = arg; *p; p++) {
		const char *val;

		if (strchr("opUtk", *p)) {
			val = p[1] ? p + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
			if (!val) {
				char opt[2] = { *p, 0 };

				return bad_option("option needs an argument", opt);
			}
			switch (*p) {
			case 'o':
				return add_format(o, val);
			case 'k':
				return add_sort(o, val);
			case 'p':
				return take_list(o, "p", val);
			case 'U':
				return take_list(o, "u", val);
			default:
				return take_list(o, "t", val);
			}
		}
		switch (*p) {
		case 'a':
			o->bsd_a = true;
			break;
		case 'x':
			o->bsd_x = true;
			break;
		case 'r':
			o->running = true;
			break;
		case 'u':
			o->b_user = true;
			break;
		case 'v':
			o->b_vm = true;
			break;
		case 'j':
			o->b_jobs = true;
			break;
		case 'l':
			o->b_long = true;
			break;
		case 'f':
			o->forest = true;
			break;
		case 'w':
			o->wide++;
			break;
		case 'h':
			o->no_headers = true;
			break;
		case 'c':
			o->bsd_cmd = true;
			break;
		case 'S':
			o->cumulative = true;
			break;
		case 'H':
			o->threads = true;
			break;
		case 'L':
			o->list_fields = true;
			break;
		case 'V':
			o->version = true;
			break;
		default: {
			char opt[2] = { *p, 0 };

			return bad_option("unknown or unsupported option", opt);
		}
		}
	}
	return 0;
}

int mps_parse(int argc, char **argv, struct mps_opts *o)
{
	int ret = 0;

	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc && !ret; i++) {
		char *a = argv[i];

		if (!strncmp(a, "--", 2) && a[2])
			ret = parse_long(o, a, argc, argv, &i);
		else if (a[0] == '-' && a[1])
			ret = parse_unix(o, a, argc, argv, &i);
		else if (a[0] && a[0] != '-')
			ret = parse_bsd(o, a, argc, argv, &i);
		else
			ret = bad_option("unexpected argument", a);
	}
	if (ret)
		return ret;
	ret = check_num_list(&o->pids, "invalid process id");
	if (!ret)
		ret = check_num_list(&o->ppids, "invalid process id");
	if (!ret)
		ret = check_num_list(&o->sids, "invalid session id");
	if (!ret)
		ret = check_user_list(&o->users, "unknown user");
	if (!ret)
		ret = check_user_list(&o->rusers, "unknown user");
	if (!ret)
		ret = check_group_list(&o->groups, "unknown group");
	if (!ret)
		ret = check_group_list(&o->rgroups, "unknown group");
	return ret;
}

/* ---- the format ---- */

static int add(struct ps_format *fmt, const char *spec)
{
	const char *bad;

	return ps_format_add(fmt, spec, &bad);
}

static void add_om(struct ps_format *fmt, const struct mps_opts *o)
{
	add(fmt, "node");
	if (o->ominfo) {
		add(fmt, "home");
		add(fmt, "nmigs");
		add(fmt, "locked");
	}
	if (o->ominfol)
		add(fmt, "cantmove");
}

int mps_format(const struct mps_opts *o, struct ps_format *fmt)
{
	const char *thr = o->threads_lwp ? "lwp" : o->threads_spid ? "spid" : NULL;
	bool full = o->f_full || o->f_extra;

	memset(fmt, 0, sizeof(*fmt));
	if (o->have_custom) {
		*fmt = o->custom;
		return 0;
	}
	if (o->bsd && (o->b_user || o->b_vm || o->b_jobs || o->b_long ||
		       !(o->f_full || o->f_extra || o->f_long || o->f_jobs))) {
		if (o->b_user) {
			add(fmt, "user");
			add(fmt, "pid");
			add(fmt, "%cpu");
			add(fmt, "%mem");
			add(fmt, "vsz");
			add(fmt, "rss");
			add(fmt, "tname");
			add_om(fmt, o);
			add(fmt, "stat");
			add(fmt, "bsdstart");
			add(fmt, "bsdtime");
		} else if (o->b_jobs) {
			add(fmt, "ppid");
			add(fmt, "pid");
			add(fmt, "pgid");
			add(fmt, "sid");
			add(fmt, "tname");
			add(fmt, "tpgid");
			add_om(fmt, o);
			add(fmt, "stat");
			add(fmt, "uid");
			add(fmt, "bsdtime");
		} else if (o->b_long) {
			add(fmt, "f");
			add(fmt, "uid");
			add(fmt, "pid");
			add(fmt, "ppid");
			add(fmt, "priority");
			add(fmt, "ni");
			add(fmt, "vsz");
			add(fmt, "rss");
			add(fmt, "wchan");
			add_om(fmt, o);
			add(fmt, "stat");
			add(fmt, "tname");
			add(fmt, "bsdtime");
		} else if (o->b_vm) {
			add(fmt, "pid");
			add(fmt, "tname");
			add_om(fmt, o);
			add(fmt, "stat");
			add(fmt, "bsdtime");
			add(fmt, "majflt");
			add(fmt, "trs");
			add(fmt, "drs");
			add(fmt, "rss");
			add(fmt, "%mem");
		} else {
			/* openMosix's mps: PID TTY NODE STAT TIME COMMAND */
			add(fmt, "pid");
			add(fmt, "tname");
			add_om(fmt, o);
			add(fmt, "stat");
			add(fmt, "bsdtime");
		}
		add(fmt, "args");
		return 0;
	}
	if (o->f_long) {
		add(fmt, "f");
		add(fmt, "s");
		add(fmt, full ? "user=UID" : "uid");
	} else if (full) {
		add(fmt, "user=UID");
	}
	add(fmt, "pid");
	if (full || o->f_long)
		add(fmt, "ppid");
	if (o->f_jobs) {
		add(fmt, "pgid");
		add(fmt, "sid");
	}
	if (thr)
		add(fmt, thr);
	if (full || o->f_long)
		add(fmt, "c");
	if (thr && full)
		add(fmt, "nlwp");
	if (o->f_long) {
		add(fmt, "pri_bar");
		add(fmt, "ni");
		add(fmt, "addr");
		add(fmt, "sz");
		add(fmt, "wchan");
	} else if (o->f_extra) {
		add(fmt, "sz");
		add(fmt, "rss");
		add(fmt, "psr");
	}
	if (full)
		add(fmt, "stime");
	add(fmt, "tname");
	add_om(fmt, o);
	add(fmt, "time");
	add(fmt, full ? "args=CMD" : "ucmd");
	return 0;
}

/* ---- selection ---- */

static bool in_num(const struct mps_list *l, long v)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (strtol(l->v[i], NULL, 10) == v)
			return true;
	return false;
}

/* user and group lists hold numbers since mps_parse() */
static bool in_id(const struct mps_list *l, unsigned int id)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (strtoul(l->v[i], NULL, 10) == id)
			return true;
	return false;
}

static bool in_tty(const struct mps_list *l, const struct ps_task *t)
{
	for (unsigned int i = 0; i < l->n; i++) {
		const char *w = l->v[i];

		if (!strncmp(w, "/dev/", 5))
			w += 5;
		if ((!strcmp(w, "-") || !strcmp(w, "?")) && !t->tty_nr)
			return true;
		if (t->tty_nr && (!strcmp(w, t->tty) ||
				  (!strncmp(t->tty, "pts/", 4) && !strcmp(w, t->tty + 4))))
			return true;
	}
	return false;
}

static bool in_cmd(const struct mps_list *l, const struct ps_task *t)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], t->comm))
			return true;
	return false;
}

static bool leader(const struct ps_task *t)
{
	return t->sid == t->tgid;
}

static bool selected(const struct mps_opts *o, const struct ps_task *t,
		     unsigned int my_euid, int my_tty)
{
	bool lists = o->pids.n || o->ppids.n || o->sids.n || o->users.n ||
		     o->rusers.n || o->groups.n || o->rgroups.n || o->ttys.n ||
		     o->cmds.n;
	bool r;

	if (o->all) {
		r = true;
	} else if (!lists && !o->unix_a && !o->unix_d && !o->bsd_a && !o->bsd_x) {
		/* ps without a selection: my processes on my terminal */
		r = t->euid == my_euid && t->tty_nr == my_tty;
	} else {
		r = (o->unix_a && t->tty_nr && !leader(t)) ||
		    (o->unix_d && !leader(t)) ||
		    in_num(&o->pids, t->tgid) || in_num(&o->ppids, t->ppid) ||
		    in_num(&o->sids, t->sid) || in_id(&o->users, t->euid) ||
		    in_id(&o->rusers, t->ruid) || in_id(&o->groups, t->egid) ||
		    in_id(&o->rgroups, t->rgid) || in_tty(&o->ttys, t) ||
		    in_cmd(&o->cmds, t);
		if (o->bsd_a || o->bsd_x)
			r |= (o->bsd_a || t->euid == my_euid) &&
			     (o->bsd_x || t->tty_nr);
	}
	if (o->negate)
		r = !r;
	if (o->running && t->state != 'R')
		r = false;
	return r;
}

/* ---- sort and tree ---- */

struct sort_ctx {
	const struct ps_task *t;
	const struct mps_opts *o;
	const struct ps_ctx *c;
};

static struct sort_ctx sctx;

static int cmp_idx(const void *a, const void *b)
{
	const struct ps_task *x = &sctx.t[*(const unsigned int *)a];
	const struct ps_task *y = &sctx.t[*(const unsigned int *)b];
	int r = ps_cmp(x, y, sctx.o->sort, sctx.o->nsort, sctx.c);

	/* threads after their process, by thread id */
	if (!r)
		r = (x->tid > y->tid) - (x->tid < y->tid);
	return r;
}

struct tree {
	struct ps_task *t;		/* all tasks */
	const unsigned int *pos;	/* k-th selected (sorted) -> task */
	unsigned int *first, *next;	/* first child, next sibling (by k) */
	unsigned int *out, nout;	/* k in tree order */
	bool art;			/* --forest's \_ , else -H's indent */
};

#define NONE (~0U)
#define DEPTH_MAX 256

static int walk(struct tree *tr, unsigned int k, int depth, char *stack)
{
	struct ps_task *t = &tr->t[tr->pos[k]];
	size_t len = strlen(stack);

	t->depth = depth;
	tr->out[tr->nout++] = k;
	if (depth > 0) {
		t->forest = malloc(len + 8);
		if (!t->forest)
			return -ENOMEM;
		sprintf(t->forest, "%s%s", stack, tr->art ? " \\_ " : "  ");
		/* the children's lines carry this level's slot */
		if (depth < DEPTH_MAX)
			strcpy(stack + len, !tr->art ? "  " :
			       tr->next[k] != NONE ? " |  " : "    ");
	}
	/* deeper than DEPTH_MAX: drawn flat, but every process listed */
	for (unsigned int c = tr->first[k]; c != NONE; c = tr->next[c])
		if (walk(tr, c, depth < DEPTH_MAX ? depth + 1 : depth, stack))
			return -ENOMEM;
	stack[len] = '\0';
	return 0;
}

/* Reorder idx (n sorted task indices) as trees: children under parents */
static int forest(struct ps_task *t, unsigned int *idx, unsigned int n, bool art)
{
	struct tree tr = { .t = t, .pos = idx, .art = art };
	unsigned int *mem;
	bool *child;
	char *stack;
	int ret = -ENOMEM;

	mem = malloc(sizeof(*mem) * 3 * (n ? n : 1));
	child = calloc(n ? n : 1, sizeof(*child));
	stack = malloc(DEPTH_MAX * 4 + 8);
	if (!mem || !child || !stack)
		goto out;
	tr.first = mem;
	tr.next = mem + n;
	tr.out = mem + 2 * n;
	for (unsigned int k = 0; k < n; k++)
		tr.first[k] = tr.next[k] = NONE;
	/* children in sorted order: walk backwards, push to the front */
	for (unsigned int k = n; k-- > 0;) {
		const struct ps_task *c = &t[idx[k]];
		int parent = c->tid && c->tid != c->tgid ? c->tgid : c->ppid;

		for (unsigned int p = 0; p < n; p++) {
			const struct ps_task *pt = &t[idx[p]];

			if (p != k && pt->pid == parent &&
			    (!pt->tid || pt->tid == pt->tgid)) {
				tr.next[k] = tr.first[p];
				tr.first[p] = k;
				child[k] = true;
				break;
			}
		}
	}
	stack[0] = '\0';
	ret = 0;
	for (unsigned int k = 0; k < n && !ret; k++)
		if (!child[k])
			ret = walk(&tr, k, 0, stack);
	if (!ret) {
		for (unsigned int k = 0; k < tr.nout; k++)
			tr.out[k] = idx[tr.out[k]];
		memcpy(idx, tr.out, sizeof(*idx) * tr.nout);
	}
out:
	free(mem);
	free(child);
	free(stack);
	return ret;
}

int mps_print(const struct mps_opts *o, struct ps_list *l,
	      const struct ps_ctx *c, int self, unsigned int my_euid, int width)
{
	struct ps_format fmt;
	struct ps_ctx ctx = *c;
	unsigned int *idx, n = 0;
	int my_tty = 0, ret = 0;

	ctx.cumulative = o->cumulative;
	ctx.bsd_cmd = o->bsd_cmd;
	mps_format(o, &fmt);
	for (unsigned int i = 0; i < l->n; i++)
		if (l->t[i].pid == self)
			my_tty = l->t[i].tty_nr;
	idx = malloc(sizeof(*idx) * (l->n ? l->n : 1));
	if (!idx) {
		fprintf(stderr, "mps: out of memory\n");
		return EXIT_KERNEL;
	}
	for (unsigned int i = 0; i < l->n; i++) {
		l->t[i].depth = 0;
		free(l->t[i].forest);
		l->t[i].forest = NULL;
		if (selected(o, &l->t[i], my_euid, my_tty))
			idx[n++] = i;
	}
	sctx = (struct sort_ctx){ .t = l->t, .o = o, .c = &ctx };
	qsort(idx, n, sizeof(*idx), cmp_idx);
	if ((o->forest || o->hier) && forest(l->t, idx, n, o->forest)) {
		fprintf(stderr, "mps: out of memory\n");
		ret = EXIT_KERNEL;
		goto out;
	}
	if (!o->no_headers && fmt.headers)
		ps_print_header(&fmt, width);
	for (unsigned int k = 0; k < n; k++)
		ps_print_task(&fmt, &l->t[idx[k]], &ctx, width);
	print_end();
out:
	free(idx);
	return ret;
}
