/* nstop ns: the namespaces, with lsns's columns, options and JSON. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "cli.h"
#include "nstop/output.h"

#define NS_MAX_COLS 32

static const char *const default_columns[] = { "NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND" };

static void usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop ns [options] [<namespace>]\n"
"\n"
"List namespaces, as lsns does, from one scan of every process.\n"
"\n"
"Options:\n"
"  -J, --json             use JSON output format (shaped like lsns -J)\n"
"  -l, --list             use list format output (the only format)\n"
"  -n, --noheadings       don't print headings\n"
"  -o, --output <list>    output columns (+list adds to the default)\n"
"      --output-all       output all columns\n"
"  -p, --task <pid>       print the namespaces of this process\n"
"  -r, --raw              use the raw output format\n"
"  -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time);\n"
"                         may be given more than once\n"
"  -u, --notruncate       don't truncate text in columns\n"
"      --list-columns     list the columns and exit\n"
"  -h, --help             display this help\n"
"\n"
"Default columns: NS,TYPE,NPROCS,PID,USER,COMMAND.\n");
}

static void list_columns(void)
{
	for (size_t i = 0; i < out_ns_nfields; i++)
		printf("%10s  %s\n", out_ns_fields[i].name, out_ns_fields[i].help);
}

static int add_columns(const char *list, const struct out_ns_field **cols, size_t *n)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const struct out_ns_field *f = out_ns_field_find(t);
		if (!f) {
			cli_usage_error("ns", "unknown column: %s", t);
			return -1;
		}
		if (*n == NS_MAX_COLS) {
			cli_usage_error("ns", "too many columns");
			return -1;
		}
		cols[(*n)++] = f;
	}
	return 0;
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

static int print_table(const struct snapshot *s, const struct out_ns_field **cols,
		       size_t ncols, const struct ns_filter *flt, bool json, bool raw,
		       bool noheadings, bool notrunc)
{
	struct libscols_table *tb = scols_new_table();
	const struct scan_ns **rows = malloc((s->nns ? s->nns : 1) * sizeof(*rows));
	size_t nrows = 0;
	int rc = -ENOMEM;

	if (!tb || !rows)
		goto out;
	scols_table_enable_json(tb, json);
	scols_table_enable_raw(tb, raw);
	scols_table_enable_noheadings(tb, noheadings);
	scols_table_set_name(tb, "namespaces");
	for (size_t c = 0; c < ncols; c++) {
		int flags = cols[c]->align == OUT_RIGHT ? SCOLS_FL_RIGHT : 0;
		if (strcmp(cols[c]->name, "COMMAND") == 0 && !notrunc)
			flags |= SCOLS_FL_TRUNC;
		struct libscols_column *cl = scols_table_new_column(tb, cols[c]->name, 0, flags);
		if (!cl)
			goto out;
		scols_column_set_json_type(cl, cols[c]->number ? SCOLS_JSON_NUMBER :
							       SCOLS_JSON_STRING);
	}
	for (size_t i = 0; i < s->nns; i++)
		if (ns_wanted(s, &s->ns[i], flt))
			rows[nrows++] = &s->ns[i];
	qsort(rows, nrows, sizeof(*rows), cmp_ns_inode);
	for (size_t i = 0; i < nrows; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto out;
		for (size_t c = 0; c < ncols; c++) {
			char buf[4096];
			/* Unknown stays empty: null in JSON, blank in text, as lsns. */
			if (out_ns_text(cols[c], s, rows[i], buf, sizeof(buf)) &&
			    scols_line_set_data(ln, c, buf) < 0)
				goto out;
		}
	}
	rc = scols_print_table(tb);
out:
	free(rows);
	scols_unref_table(tb);
	return rc;
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
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct out_ns_field *cols[NS_MAX_COLS];
	const char *output = NULL;
	bool json = false, raw = false, noheadings = false, notrunc = false, all = false;
	struct ns_filter flt = { 0 };
	size_t ncols = 0;
	int c, t;

	while ((c = getopt_long(argc, argv, "Jlno:p:rt:uh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'l': break;
		case 'n': noheadings = true; break;
		case 'o': output = optarg; break;
		case OPT_OUTPUT_ALL: all = true; break;
		case 'r': raw = true; break;
		case 'u': notrunc = true; break;
		case 'p':
			if (cli_parse_pid(optarg, &flt.task) < 0)
				return cli_usage_error("ns", "-p: not a process id: %s", optarg);
			break;
		case 't':
			if ((t = ns_type_parse(optarg)) < 0)
				return cli_usage_error("ns", "unknown namespace type: %s", optarg);
			flt.types |= 1u << t;
			break;
		case OPT_LIST_COLUMNS:
			list_columns();
			return CLI_OK;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_usage_error("ns", "unknown option");
		}
	}
	if (optind < argc) {
		char *end;
		unsigned long long ino = strtoull(argv[optind], &end, 10);
		if (*end || !ino || optind + 1 < argc)
			return cli_usage_error("ns", "not a namespace inode: %s", argv[optind]);
		flt.inode = (ino_t)ino;
	}
	if (all) {
		for (size_t i = 0; i < out_ns_nfields; i++)
			cols[ncols++] = &out_ns_fields[i];
	} else if (!output || output[0] == '+') {
		for (size_t i = 0; i < sizeof(default_columns) / sizeof(default_columns[0]); i++)
			cols[ncols++] = out_ns_field_find(default_columns[i]);
		if (output && add_columns(output + 1, cols, &ncols) < 0)
			return CLI_USAGE;
	} else if (add_columns(output, cols, &ncols) < 0) {
		return CLI_USAGE;
	}

	struct nst_root root;
	struct scan_ctx *ctx;
	struct snapshot *snap = NULL;
	int rc = CLI_FAIL;
	if (cli_scan_open(&root, &ctx) < 0)
		return CLI_FAIL;
	if (cli_snapshot(ctx, 0, false, &snap) == 0) {
		if (flt.task && !snapshot_find_proc(snap, flt.task))
			cli_error("-p %d: no such process", (int)flt.task);
		else if (print_table(snap, cols, ncols, &flt, json, raw, noheadings, notrunc) < 0)
			cli_error("printing the table: %s", strerror(ENOMEM));
		else
			rc = CLI_OK;
	}
	snapshot_free(snap);
	scan_ctx_free(ctx);
	nst_root_clear(&root);
	return rc;
}
