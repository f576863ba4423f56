/* What the verbs share: their error lines and exit codes, the parsers of their
 * arguments, opening a scan on the live root, and the -o column lists. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include "nstop/scols.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nstop/output.h"
#include "nstop/runtime.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("nstop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_seal(const char *verb)
{
	struct nst_err err;

	nst_err_clear(&err);
	if (rt_selfexe_seal(&err) < 0) {
		if (verb)
			cli_error("%s: %s", verb, err.msg);
		else
			cli_error("%s", err.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fputs("nstop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'nstop%s%s --help')\n", verb ? " " : "", verb ? verb : "");
	return CLI_USAGE;
}

int cli_parse_pid(const char *s, pid_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 4194304)
		return -EINVAL;
	*out = (pid_t)v;
	return 0;
}

int cli_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_parse_count(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1)
		return -EINVAL;
	*out = v;
	return 0;
}

static struct rt_ctx cli_rt;
static bool cli_rt_open;

struct rt_ctx *cli_runtime(void)
{
	struct nst_err err;

	if (cli_rt_open)
		return &cli_rt;
	nst_err_clear(&err);
	if (rt_ctx_open(&cli_rt, &err) < 0) {
		cli_error("%s", err.msg);
		return NULL;
	}
	cli_rt_open = true;
	return &cli_rt;
}

void cli_runtime_close(void)
{
	if (cli_rt_open)
		rt_ctx_close(&cli_rt);
	cli_rt_open = false;
}

int cli_tables(const char *verb)
{
	struct nst_err err;

	nst_err_clear(&err);
	if (out_scols_load(&err) < 0) {
		cli_error("%s: %s", verb, err.msg);
		return -1;
	}
	return 0;
}

int cli_scan_open(struct scan_ctx **ctx)
{
	struct rt_ctx *rt = cli_runtime();
	struct nst_err err;

	if (!rt)
		return -1;
	nst_err_clear(&err);
	if (scan_ctx_open_live(rt, ctx, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

static int snapshot_with(struct scan_ctx *ctx, const struct scan_opts *opts,
			 struct snapshot **snap)
{
	struct nst_err err;

	nst_err_clear(&err);
	if (scan_snapshot(ctx, opts, snap, &err) < 0) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

int cli_snapshot(struct scan_ctx *ctx, pid_t view_from, bool stats,
		 struct snapshot **snap)
{
	/* The listing of namespaces needs neither cgroup paths nor trees, but
	 * every namespace, also those only a descriptor holds (as lsns). */
	struct scan_opts opts = { .view_from = view_from, .cgroup_ns_paths = stats,
				  .cgroup_tree = stats, .cgroup_stats = stats,
				  .ns_held_fds = !stats };

	return snapshot_with(ctx, &opts, snap);
}

int cli_snapshot_all(struct scan_ctx *ctx, pid_t view_from, const struct scan_beside *beside,
		     struct snapshot **snap)
{
	struct scan_opts opts = { .view_from = view_from, .cgroup_ns_paths = true,
				  .cgroup_tree = true, .cgroup_stats = true, .ns_held_fds = true,
				  .beside = beside };

	return snapshot_with(ctx, &opts, snap);
}

int cli_one_snapshot(pid_t view_from, bool stats,
		     int (*print)(const struct snapshot *s, void *arg), void *arg)
{
	struct scan_ctx *ctx;
	struct snapshot *snap = NULL;
	int rc = CLI_FAIL;

	if (cli_scan_open(&ctx) < 0)
		return CLI_FAIL;
	if (cli_snapshot(ctx, view_from, stats, &snap) == 0)
		rc = print(snap, arg);
	snapshot_free(snap);
	scan_ctx_free(ctx);
	return rc;
}

int cli_columns(const char *verb, const char *spec, const char *defaults,
		const struct out_table *t, const void **cols, size_t max)
{
	struct nst_err err;
	int n;

	nst_err_clear(&err);
	n = out_columns_parse(spec, defaults, t, cols, max, &err);
	if (n < 0)
		cli_usage_error(verb, "-o: %s", err.msg);
	return n;
}

void cli_list_columns(const struct out_table *t)
{
	for (size_t i = 0; out_table_name(t, i); i++)
		printf("%*s  %s\n", t->list_width, out_table_name(t, i), out_table_help(t, i));
}

int cli_option_error(const char *verb, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return cli_usage_error(verb, "%s: needs an argument", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		return cli_usage_error(verb, "unknown option: -%c", optopt);
	return cli_usage_error(verb, "unknown option: %s", arg);
}

void cli_version(void)
{
	printf("nstop %s\n", PACKAGE_VERSION);
}

struct libscols_table *cli_table_new(const struct cli_column *cols, size_t ncols, bool raw,
				     bool noheadings)
{
	struct libscols_table *tb = out_scols_new_table();

	if (!tb)
		return NULL;
	out_scols.table_enable_raw(tb, raw);
	out_scols.table_enable_noheadings(tb, noheadings);
	for (size_t c = 0; c < ncols; c++) {
		if (!out_scols.table_new_column(tb, cols[c].name, 0, cols[c].flags)) {
			out_scols.unref_table(tb);
			return NULL;
		}
	}
	return tb;
}

int cli_list_columns_as(const char *table, bool json, bool raw,
			const struct cli_colinfo *ci, size_t n)
{
	static const struct cli_column cols[] = {
		{ "HOLDER", SCOLS_FL_RIGHT }, { "TYPE", 0 }, { "DESCRIPTION", 0 },
	};
	struct libscols_table *tb = cli_table_new(cols, sizeof(cols) / sizeof(cols[0]), raw, true);
	int rc = -ENOMEM;

	if (!tb)
		return rc;
	out_scols.table_set_name(tb, table);
	out_scols.table_enable_json(tb, json);
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = out_scols.table_new_line(tb, NULL);
		if (!ln || out_scols.line_set_data(ln, 0, ci[i].name) < 0 ||
		    out_scols.line_set_data(ln, 1, ci[i].number ? "<integer>" : "<string>") < 0 ||
		    out_scols.line_set_data(ln, 2, ci[i].help) < 0)
			goto out;
	}
	rc = out_scols.print_table(tb);
out:
	out_scols.unref_table(tb);
	return rc;
}
