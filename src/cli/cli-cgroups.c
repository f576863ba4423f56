/* nstop cgroups: every hierarchy's tree with usage and limits. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nstop/scols.h"

#include "cli.h"
#include "nstop/output.h"

#define CG_MAX_COLS 32

static const char default_columns[] = "NPROCS,CPU,MEM,MEMLIMIT,PIDS,PIDSLIMIT,FROZEN";
/* With -d the use over the interval says more than the total. */
static const char default_columns_delay[] = "NPROCS,CPU%,CPU,MEM,MEMLIMIT,PIDS,PIDSLIMIT,FROZEN";

static void usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop cgroups [options]\n"
"\n"
"Show the cgroup tree of every mounted hierarchy (v1, v2 or both), with\n"
"process counts, usage and limits read from the cgroup files.\n"
"\n"
"Options:\n"
"  -J, --json             print one JSON document, the trees nested\n"
"  -o, --output <list>    columns after the tree (+list adds to the default)\n"
"  -d, --delay SECS       measure CPU%% over SECS seconds (as systemd-cgtop)\n"
"  -r, --raw              use the raw output format (no tree: ID:CONTROLLERS:PATH)\n"
"  -n, --noheadings       don't print headings\n"
"      --view-from PID    name each cgroup as PID's cgroup namespace sees it\n"
"      --list-columns     list the columns and exit\n"
"  -h, --help             display this help\n"
"\n"
"Default columns: NPROCS,CPU,MEM,MEMLIMIT,PIDS,PIDSLIMIT,FROZEN; with -d,\n"
"CPU%% after NPROCS. Text shows human units (3m12s, 1.2G); JSON exact numbers.\n"
"A limit shown as 'max' is not set; '-' means the kernel does not give it\n"
"in that hierarchy.\n");
}

/* The tree column: a hierarchy's root is named with its id and controllers,
 * every other cgroup by its last component. With a view, the name is the
 * path as the view shows it where that says more ("/..", the view's root). */
static void node_name(const struct snapshot *s, const struct scan_cgroup *c,
		      char *buf, size_t size)
{
	const struct cg_hier *h = &s->layout.h[c->hier];
	const char *base = strrchr(c->path, '/');
	const char *view = c->view_path;

	base = base && base[1] ? base + 1 : c->path;
	if (c->depth == 0)
		snprintf(buf, size, "%d:%s %s", h->id, h->v2 ? "(cgroup2)" : h->controllers,
			 view ? view : c->path);
	else if (view && strcmp(view, "/") == 0)
		snprintf(buf, size, "%s  [view root]", base);
	else
		snprintf(buf, size, "%s", base);
}

/* -r: no tree to draw, so each line names its cgroup whole, as a line of
 * /proc/PID/cgroup does (4:memory:/nstop/web): one field with no blanks
 * for awk and read, and nothing for libsmartcols to escape. */
static void raw_name(const struct snapshot *s, const struct scan_cgroup *c,
		     char *buf, size_t size)
{
	const struct cg_hier *h = &s->layout.h[c->hier];

	snprintf(buf, size, "%d:%s:%s", h->id, h->v2 ? "" : h->controllers,
		 c->view_path ? c->view_path : c->path);
}

struct cg_print {
	const struct out_cg_field *cols[CG_MAX_COLS];
	size_t ncols;
	bool json, raw, noheadings;
	double delay;		/* seconds between two snapshots; 0: one */
};

static int print_tree(const struct snapshot *s, const struct cg_print *o)
{
	const struct out_cg_field *const *cols = o->cols;
	size_t ncols = o->ncols;
	struct libscols_table *tb = out_scols_new_table();
	struct libscols_line *stack[80] = { NULL };
	int rc = -ENOMEM;

	if (!tb)
		return rc;
	out_scols.table_enable_raw(tb, o->raw);
	out_scols.table_enable_noheadings(tb, o->noheadings);
	if (!out_scols.table_new_column(tb, s->view_from ? "CGROUP (view)" : "CGROUP", 0.5,
					o->raw ? 0 : SCOLS_FL_TREE))
		goto out;
	for (size_t c = 0; c < ncols; c++)
		if (!out_scols.table_new_column(tb, cols[c]->name, 0,
						cols[c]->align == OUT_RIGHT ? SCOLS_FL_RIGHT : 0))
			goto out;
	for (size_t i = 0; i < s->ncgroups; i++) {
		const struct scan_cgroup *cg = &s->cgroups[i];
		int d = cg->depth < 79 ? cg->depth : 79;
		struct libscols_line *ln =
			out_scols.table_new_line(tb, d > 0 && !o->raw ? stack[d - 1] : NULL);
		char buf[4096];
		if (!ln)
			goto out;
		stack[d] = ln;
		(o->raw ? raw_name : node_name)(s, cg, buf, sizeof(buf));
		out_scols.line_set_data(ln, 0, buf);
		for (size_t c = 0; c < ncols; c++) {
			out_cg_text(cols[c], s, cg, buf, sizeof(buf));
			out_scols.line_set_data(ln, c + 1, buf);
		}
	}
	rc = out_scols.print_table(tb);
out:
	out_scols.unref_table(tb);
	return rc;
}

/* JSON: {"cgroups": [root, ...]}, each node with nstop's keys and
 * "children" below it. */
static int print_json(const struct snapshot *s)
{
	json_t *roots = json_array(), *stack[80] = { NULL }, *doc;
	int rc;

	for (size_t i = 0; i < s->ncgroups; i++) {
		const struct scan_cgroup *cg = &s->cgroups[i];
		int d = cg->depth < 79 ? cg->depth : 79;
		json_t *node = out_cgroup_json(s, cg);
		json_t *children = json_array();
		json_object_set(node, "children", children);
		if (d == 0 || !stack[d - 1])
			json_array_append_new(roots, node);
		else
			json_array_append_new(stack[d - 1], node);
		stack[d] = children;
		json_decref(children);
	}
	doc = json_pack("{s:o,s:o}", "host", out_host_json(s), "cgroups", roots);
	rc = json_dumpf(doc, stdout, JSON_INDENT(2)) < 0 ? -EIO : 0;
	putchar('\n');
	json_decref(doc);
	return rc;
}

static int print_cgroups(const struct snapshot *s, void *arg)
{
	const struct cg_print *o = arg;
	int rc = o->json ? print_json(s) : print_tree(s, o);

	if (rc < 0) {
		cli_error("printing the tree: %s", strerror(-rc));
		return CLI_FAIL;
	}
	return CLI_OK;
}

static void sleep_seconds(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Two snapshots delay seconds apart on one context: the second's CPU% is
 * the use over the interval (the scan keeps each cgroup's last usage). */
static int cgroups_over(pid_t view_from, const struct cg_print *o)
{
	struct scan_ctx *ctx;
	struct snapshot *snap = NULL;
	int rc = CLI_FAIL;

	if (cli_scan_open(&ctx) < 0)
		return CLI_FAIL;
	if (cli_snapshot(ctx, view_from, true, &snap) == 0) {
		snapshot_free(snap);
		snap = NULL;
		sleep_seconds(o->delay);
		if (cli_snapshot(ctx, view_from, true, &snap) == 0)
			rc = print_cgroups(snap, (void *)o);
	}
	snapshot_free(snap);
	scan_ctx_free(ctx);
	return rc;
}

int cli_cgroups(int argc, char **argv)
{
	enum { OPT_VIEW_FROM = 256, OPT_LIST_COLUMNS };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ "delay", required_argument, NULL, 'd' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "view-from", required_argument, NULL, OPT_VIEW_FROM },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cg_print o = { .ncols = 0 };
	const char *output = NULL;
	pid_t view_from = 0;
	int c, n;

	while ((c = getopt_long(argc, argv, ":Jo:rd:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o.json = true; break;
		case 'o': output = optarg; break;
		case 'r': o.raw = true; break;
		case 'd':
			if (cli_parse_seconds(optarg, &o.delay) < 0)
				return cli_usage_error("cgroups", "-d: not a number of seconds in (0, 86400]: %s", optarg);
			break;
		case 'n': o.noheadings = true; break;
		case OPT_VIEW_FROM:
			if (cli_parse_pid(optarg, &view_from) < 0)
				return cli_usage_error("cgroups", "--view-from: not a process id: %s", optarg);
			break;
		case OPT_LIST_COLUMNS:
			cli_list_columns(&out_cg_table);
			return CLI_OK;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("cgroups", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("cgroups", "unexpected argument: %s", argv[optind]);
	n = cli_columns("cgroups", output, o.delay > 0 ? default_columns_delay : default_columns,
			&out_cg_table,
			(const void **)o.cols, CG_MAX_COLS);
	if (n < 0)
		return CLI_USAGE;
	o.ncols = (size_t)n;
	if (!o.json && cli_tables("cgroups") < 0)
		return CLI_FAIL;
	if (o.delay > 0)
		return cgroups_over(view_from, &o);
	return cli_one_snapshot(view_from, true, print_cgroups, &o);
}
