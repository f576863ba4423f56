/* nstop ns: the namespaces, with lsns's columns, options and JSON. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/scols.h"

#include "cli.h"
#include "nstop/output.h"

#define NS_MAX_COLS 32

static const char default_columns[] = "NS,TYPE,NPROCS,PID,USER,COMMAND";

static void usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop ns [options] [<namespace>]\n"
"\n"
"List namespaces, as lsns does, from one scan of every process, with those\n"
"that only a bind mount (ip netns add) or an open file descriptor keeps.\n"
"Given a namespace (its inode), list the processes in it.\n"
"\n"
"Options:\n"
"  -J, --json             use JSON output format (shaped like lsns -J)\n"
"  -l, --list             use list format output (no tree)\n"
"  -n, --noheadings       don't print headings\n"
"  -o, --output <list>    output columns (+list adds to the default)\n"
"      --output-all       output all columns\n"
"  -p, --task <pid>       print the namespaces of this process\n"
"  -r, --raw              use the raw output format\n"
"  -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time);\n"
"                         may be given more than once\n"
"  -T, --tree[=<rel>]     use tree format (process, parent or owner; owner\n"
"                         when none is given); by default, process\n"
"  -u, --notruncate       don't truncate text in columns\n"
"  -W, --nowrap           don't use multi-line representation\n"
"      --list-columns     list the columns and exit (honours -J and -r)\n"
"  -h, --help             display this help\n"
"  -V, --version          display version\n"
"\n"
"Default columns: NS,TYPE,NPROCS,PID,USER,COMMAND (with -t net also\n"
"NETNSID,NSFS before COMMAND); with a namespace: PID,PPID,USER,COMMAND.\n");
}

static int list_columns(bool json, bool raw)
{
	struct cli_colinfo ci[NS_MAX_COLS];
	size_t n = 0;

	for (size_t i = 0; i < out_ns_nfields && n < NS_MAX_COLS; i++, n++) {
		ci[n].name = out_ns_fields[i].name;
		ci[n].help = out_ns_fields[i].help;
		ci[n].number = out_ns_fields[i].number;
	}
	return cli_list_columns_as("ns-columns", json, raw, ci, n);
}

static int cmp_ns_inode(const void *a, const void *b)
{
	const struct scan_ns *x = *(const struct scan_ns *const *)a;
	const struct scan_ns *y = *(const struct scan_ns *const *)b;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (int)x->type - (int)y->type;
}

struct ns_filter {
	unsigned types;		/* bit per ns_type; 0: all */
	pid_t task;		/* 0: all */
	ino_t inode;		/* 0: all */
};

static bool ns_wanted(const struct snapshot *s, const struct scan_ns *ns,
		      const struct ns_filter *flt)
{
	if (flt->types && !(flt->types & (1u << ns->type)))
		return false;
	if (flt->inode && ns->inode != flt->inode)
		return false;
	if (flt->task) {
		const struct scan_proc *p = snapshot_find_proc(s, flt->task);
		if (!p || p->ns[ns->type] != ns->inode)
			return false;
	}
	return true;
}

/* lsns's -T: no tree, the process tree (its default), or the namespaces'
 * owners or parents. */
enum ns_tree { NS_TREE_NONE, NS_TREE_PROCESS, NS_TREE_OWNER, NS_TREE_PARENT };

struct ns_print {
	const struct out_ns_field *cols[NS_MAX_COLS];
	size_t ncols;
	struct ns_filter flt;
	enum ns_tree tree;
	bool json, raw, noheadings, notrunc, nowrap;
};

/* The last line printed for each process (parallel to s->procs), as lsns
 * hangs a row under its process's parent's row. */
struct ns_lines {
	struct libscols_line **proc;		/* by s->procs index */
	struct libscols_line **ns;		/* by rows index */
	const struct scan_ns **rows;
	size_t nrows;
};

static struct libscols_line **proc_line(const struct snapshot *s, struct ns_lines *L,
					pid_t pid)
{
	const struct scan_proc *p = pid > 0 ? snapshot_find_proc(s, pid) : NULL;
	return p ? &L->proc[p - s->procs] : NULL;
}

static int set_cells(const struct ns_print *o, const struct snapshot *s,
		     const struct scan_ns *ns, struct libscols_line *ln)
{
	for (size_t c = 0; c < o->ncols; c++) {
		char buf[4096];
		/* Unknown stays empty: null in JSON, blank in text, as lsns. */
		if (!out_ns_text(o->cols[c], s, ns, buf, sizeof(buf)))
			continue;
		if (o->nowrap)
			for (char *q = buf; (q = strchr(q, '\n')); )
				*q = ',';
		if (out_scols.line_set_data(ln, c, buf) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* lsns's width hints, so that narrow values line up as its do. */
static double width_hint(const char *name)
{
	static const struct { const char *name; double w; } hints[] = {
		{ "NS", 10 }, { "TYPE", 5 }, { "NPROCS", 5 }, { "PID", 5 },
		{ "PPID", 5 }, { "PNS", 10 }, { "ONS", 10 },
	};
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(hints[i].name, name) == 0)
			return hints[i].w;
	return 0;
}

static struct libscols_table *new_table(const struct ns_print *o)
{
	struct libscols_table *tb = out_scols_new_table();

	if (!tb)
		return NULL;
	out_scols.table_enable_json(tb, o->json);
	out_scols.table_enable_raw(tb, o->raw);
	out_scols.table_enable_noheadings(tb, o->noheadings);
	out_scols.table_set_name(tb, "namespaces");
	for (size_t c = 0; c < o->ncols; c++) {
		const char *name = o->cols[c]->name;
		int flags = o->cols[c]->align == OUT_RIGHT ? SCOLS_FL_RIGHT : 0;
		if (strcmp(name, "COMMAND") == 0 && !o->notrunc)
			flags |= SCOLS_FL_TRUNC;
		if (strcmp(name, "NSFS") == 0 && !o->nowrap)
			flags |= SCOLS_FL_WRAP;
		if (o->tree == NS_TREE_PROCESS && strcmp(name, "COMMAND") == 0)
			flags |= SCOLS_FL_TREE;
		if ((o->tree == NS_TREE_OWNER || o->tree == NS_TREE_PARENT) &&
		    strcmp(name, "NS") == 0)
			flags = (flags | SCOLS_FL_TREE) & ~SCOLS_FL_RIGHT;
		struct libscols_column *cl = out_scols.table_new_column(tb, name, width_hint(name), flags);
		if (!cl) {
			out_scols.unref_table(tb);
			return NULL;
		}
		out_scols.column_set_json_type(cl, o->cols[c]->number ? SCOLS_JSON_NUMBER :
								 SCOLS_JSON_STRING);
		if (strcmp(name, "NSFS") == 0 && !o->nowrap) {
			out_scols.column_set_wrapfunc(cl, out_scols.wrapnl_chunksize,
						      out_scols.wrapnl_nextchunk, NULL);
			out_scols.column_set_safechars(cl, "\n");
		}
	}
	return tb;
}

static long row_find(const struct ns_lines *L, enum ns_type t, ino_t ino,
		     const struct scan_ns *self)
{
	for (size_t i = 0; ino && i < L->nrows; i++)
		if (L->rows[i]->type == t && L->rows[i]->inode == ino && L->rows[i] != self)
			return (long)i;
	return -1;
}

#define NS_LINE_BUSY ((struct libscols_line *)-1)

/* One namespace's row, after the row of its owner or parent (-T owner,
 * parent), as lsns's show_namespace: -T owner hangs it under its owner;
 * -T parent under its parent (user and pid namespaces), printing the owner
 * first for the others. */
static int add_ns_row(const struct ns_print *o, const struct snapshot *s,
		      struct libscols_table *tb, struct ns_lines *L, size_t i)
{
	const struct scan_ns *ns = L->rows[i];
	struct libscols_line *parent = NULL, **pl;

	if (L->ns[i])
		return 0;
	if (o->tree == NS_TREE_OWNER || o->tree == NS_TREE_PARENT) {
		long own = row_find(L, NS_USER, ns->owner, ns), par = -1, first;
		if (ns->type == NS_USER || ns->type == NS_PID)
			par = row_find(L, ns->type, ns->parent, ns);
		first = o->tree == NS_TREE_OWNER ? own : par >= 0 ? par : own;
		if (first >= 0 && !L->ns[first]) {
			L->ns[i] = NS_LINE_BUSY;	/* a broken kernel's cycle */
			int rc = add_ns_row(o, s, tb, L, (size_t)first);
			L->ns[i] = NULL;
			if (rc < 0)
				return rc;
		}
		long under = o->tree == NS_TREE_OWNER ? own : par;
		if (under >= 0 && L->ns[under] != NS_LINE_BUSY)
			parent = L->ns[under];
	} else if (o->tree == NS_TREE_PROCESS && ns->nprocs) {
		const struct scan_proc *p = snapshot_find_proc(s, ns->first);
		if (p && (pl = proc_line(s, L, p->ppid)))
			parent = *pl;
	}
	struct libscols_line *ln = out_scols.table_new_line(tb, parent);
	if (!ln || set_cells(o, s, ns, ln) < 0)
		return -ENOMEM;
	L->ns[i] = ln;
	if (ns->nprocs && (pl = proc_line(s, L, ns->first)))
		*pl = ln;
	return 0;
}

/* With -T owner or parent, the owners and parents a filter left out are
 * shown too (lsns's "ghost" namespaces), at the head of their branch. */
static void add_related_rows(const struct snapshot *s, const struct ns_print *o,
			     struct ns_lines *L)
{
	if (o->tree != NS_TREE_OWNER && o->tree != NS_TREE_PARENT)
		return;
	for (size_t i = 0; i < L->nrows; i++) {
		const struct scan_ns *ns = L->rows[i], *rel;
		if ((rel = snapshot_find_ns(s, NS_USER, ns->owner)) && rel != ns &&
		    row_find(L, NS_USER, ns->owner, NULL) < 0)
			L->rows[L->nrows++] = rel;
		if ((ns->type == NS_USER || ns->type == NS_PID) &&
		    (rel = snapshot_find_ns(s, ns->type, ns->parent)) && rel != ns &&
		    row_find(L, ns->type, ns->parent, NULL) < 0)
			L->rows[L->nrows++] = rel;
	}
}

static int print_table(const struct snapshot *s, const struct ns_print *o)
{
	struct libscols_table *tb = new_table(o);
	struct ns_lines L = { 0 };
	size_t n = s->nns ? s->nns : 1;
	int rc = -ENOMEM;

	L.rows = malloc(n * sizeof(*L.rows));
	L.ns = calloc(n, sizeof(*L.ns));
	L.proc = calloc(s->nprocs ? s->nprocs : 1, sizeof(*L.proc));
	if (!tb || !L.rows || !L.ns || !L.proc)
		goto out;
	for (size_t i = 0; i < s->nns; i++)
		if (ns_wanted(s, &s->ns[i], &o->flt))
			L.rows[L.nrows++] = &s->ns[i];
	qsort(L.rows, L.nrows, sizeof(*L.rows), cmp_ns_inode);
	add_related_rows(s, o, &L);
	for (size_t i = 0; i < L.nrows; i++)
		if ((rc = add_ns_row(o, s, tb, &L, i)) < 0)
			goto out;
	rc = out_scols.print_table(tb);
out:
	free(L.rows);
	free(L.ns);
	free(L.proc);
	if (tb)
		out_scols.unref_table(tb);
	return rc;
}

/* lsns NS: the processes in one namespace, each row the namespace's columns
 * as for that process, nested under its parent when that is in it too. */
static int add_proc_row(const struct ns_print *o, const struct snapshot *s,
			struct libscols_table *tb, struct ns_lines *L,
			const struct scan_ns *ns, const struct scan_proc *p)
{
	struct libscols_line **pl = proc_line(s, L, p->pid), *parent = NULL, **pp;
	const struct scan_proc *pp_proc;

	if (*pl)
		return 0;
	if (o->tree == NS_TREE_PROCESS && (pp_proc = snapshot_find_proc(s, p->ppid)) &&
	    pp_proc->ns[ns->type] == ns->inode && pp_proc != p) {
		int rc = add_proc_row(o, s, tb, L, ns, pp_proc);
		if (rc < 0)
			return rc;
		pp = proc_line(s, L, p->ppid);
		parent = pp ? *pp : NULL;
	}
	struct scan_ns as = *ns;
	as.first = p->pid;
	struct libscols_line *ln = out_scols.table_new_line(tb, parent);
	if (!ln || set_cells(o, s, &as, ln) < 0)
		return -ENOMEM;
	*pl = ln;
	return 0;
}

static int print_processes(const struct snapshot *s, const struct ns_print *o,
			   const struct scan_ns *ns)
{
	struct libscols_table *tb = new_table(o);
	struct ns_lines L = { 0 };
	int rc = -ENOMEM;

	L.proc = calloc(s->nprocs ? s->nprocs : 1, sizeof(*L.proc));
	if (!tb || !L.proc)
		goto out;
	for (size_t i = 0; i < ns->nprocs; i++) {
		const struct scan_proc *p = snapshot_find_proc(s, ns->pids[i]);
		if (p && (rc = add_proc_row(o, s, tb, &L, ns, p)) < 0)
			goto out;
	}
	rc = out_scols.print_table(tb);
out:
	free(L.proc);
	if (tb)
		out_scols.unref_table(tb);
	return rc;
}

static int print_namespaces(const struct snapshot *s, void *arg)
{
	const struct ns_print *o = arg;
	const struct scan_ns *ns = NULL;
	int rc;

	if (o->flt.task && !snapshot_find_proc(s, o->flt.task)) {
		cli_error("-p %d: no such process", (int)o->flt.task);
		return CLI_FAIL;
	}
	if (o->flt.inode) {
		for (size_t i = 0; i < s->nns && !ns; i++)
			if (s->ns[i].inode == o->flt.inode)
				ns = &s->ns[i];
		if (!ns) {
			cli_error("not found namespace: %llu", (unsigned long long)o->flt.inode);
			return CLI_FAIL;
		}
		rc = print_processes(s, o, ns);
	} else {
		rc = print_table(s, o);
	}
	if (rc < 0) {
		cli_error("printing the table: %s", strerror(ENOMEM));
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_ns(int argc, char **argv)
{
	enum { OPT_LIST_COLUMNS = 256, OPT_OUTPUT_ALL };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "task", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "type", required_argument, NULL, 't' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "nowrap", no_argument, NULL, 'W' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ns_print o = { .ncols = 0 };
	const char *output = NULL;
	bool all = false, list = false, collist = false, tree_set = false;
	int c, t, n;

	while ((c = getopt_long(argc, argv, ":Jlno:p:rt:uWT::hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o.json = true; break;
		case 'l': list = true; break;
		case 'n': o.noheadings = true; break;
		case 'o': output = optarg; break;
		case OPT_OUTPUT_ALL: all = true; break;
		case 'r': o.raw = o.nowrap = true; break;
		case 'u': o.notrunc = true; break;
		case 'W': o.nowrap = true; break;
		case 'T':
			tree_set = true;
			if (optarg && *optarg == '=')
				optarg++;
			if (!optarg || strcmp(optarg, "owner") == 0)
				o.tree = NS_TREE_OWNER;
			else if (strcmp(optarg, "parent") == 0)
				o.tree = NS_TREE_PARENT;
			else if (strcmp(optarg, "process") == 0)
				o.tree = NS_TREE_PROCESS;
			else
				return cli_usage_error("ns", "unknown tree type: %s", optarg);
			break;
		case 'V':
			cli_version();
			return CLI_OK;
		case 'p':
			if (cli_parse_pid(optarg, &o.flt.task) < 0)
				return cli_usage_error("ns", "-p: not a process id: %s", optarg);
			break;
		case 't':
			if ((t = ns_type_parse(optarg)) < 0)
				return cli_usage_error("ns", "unknown namespace type: %s", optarg);
			o.flt.types |= 1u << t;
			break;
		case OPT_LIST_COLUMNS:
			collist = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("ns", c, argv);
		}
	}
	if (o.json && o.raw && !collist)
		return cli_usage_error("ns", "-J and -r are mutually exclusive");
	/* -J too: lsns's JSON is libsmartcols's */
	if (cli_tables("ns") < 0)
		return CLI_FAIL;
	if (collist)
		return list_columns(o.json, o.raw) < 0 ? CLI_FAIL : CLI_OK;
	if (list && tree_set)
		return cli_usage_error("ns", "-l and -T are mutually exclusive");
	if (optind < argc) {
		char *end;
		unsigned long long ino;
		if (o.flt.task)
			return cli_usage_error("ns", "--task is mutually exclusive with <namespace>");
		errno = 0;
		ino = strtoull(argv[optind], &end, 10);
		if (errno || *end || !ino || argv[optind][0] == '-' || optind + 1 < argc)
			return cli_usage_error("ns", "invalid namespace argument: %s", argv[optind]);
		o.flt.inode = (ino_t)ino;
		if (!output && !all)
			output = "PID,PPID,USER,COMMAND";
	} else if (!output && !all && o.flt.types == 1u << NS_NET) {
		output = "NS,TYPE,NPROCS,PID,USER,NETNSID,NSFS,COMMAND";
	}
	/* lsns nests as the process tree unless told -l (or --output-all) */
	if (!tree_set && !list && (!all || o.flt.inode))
		o.tree = NS_TREE_PROCESS;
	if (all) {
		for (size_t i = 0; i < out_ns_nfields; i++)
			o.cols[o.ncols++] = &out_ns_fields[i];
	} else {
		n = cli_columns("ns", output, default_columns, &out_ns_table,
				(const void **)o.cols, NS_MAX_COLS);
		if (n < 0)
			return CLI_USAGE;
		o.ncols = (size_t)n;
	}
	return cli_one_snapshot(0, false, print_namespaces, &o);
}
