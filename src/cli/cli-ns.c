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

static const char default_columns[] = "NS,TYPE,NPROCS,PID,USER,COMMAND";

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

struct ns_print {
	const struct out_ns_field *cols[NS_MAX_COLS];
	size_t ncols;
	struct ns_filter flt;
	bool json, raw, noheadings, notrunc;
};

static int print_table(const struct snapshot *s, const struct ns_print *o)
{
	const struct out_ns_field *const *cols = o->cols;
	size_t ncols = o->ncols;
	const struct ns_filter *flt = &o->flt;
	struct libscols_table *tb = scols_new_table();
	const struct scan_ns **rows = malloc((s->nns ? s->nns : 1) * sizeof(*rows));
	size_t nrows = 0;
	int rc = -ENOMEM;

	if (!tb || !rows)
		goto out;
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_set_name(tb, "namespaces");
	for (size_t c = 0; c < ncols; c++) {
		int flags = cols[c]->align == OUT_RIGHT ? SCOLS_FL_RIGHT : 0;
		if (strcmp(cols[c]->name, "COMMAND") == 0 && !o->notrunc)
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

static int print_namespaces(const struct snapshot *s, void *arg)
{
	const struct ns_print *o = arg;

	if (o->flt.task && !snapshot_find_proc(s, o->flt.task)) {
		cli_error("-p %d: no such process", (int)o->flt.task);
		return CLI_FAIL;
	}
	if (print_table(s, o) < 0) {
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
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ns_print o = { .ncols = 0 };
	const char *output = NULL;
	bool all = false;
	int c, t, n;

	while ((c = getopt_long(argc, argv, ":Jlno:p:rt:uh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o.json = true; break;
		case 'l': break;
		case 'n': o.noheadings = true; break;
		case 'o': output = optarg; break;
		case OPT_OUTPUT_ALL: all = true; break;
		case 'r': o.raw = true; break;
		case 'u': o.notrunc = true; break;
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
			cli_list_columns(&out_ns_table);
			return CLI_OK;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("ns", c, argv);
		}
	}
	if (optind < argc) {
		char *end;
		unsigned long long ino = strtoull(argv[optind], &end, 10);
		if (*end || !ino || optind + 1 < argc)
			return cli_usage_error("ns", "not a namespace inode: %s", argv[optind]);
		o.flt.inode = (ino_t)ino;
	}
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
