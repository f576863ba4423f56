/* nstop volume ls|create|rm|inspect: the volume store, as docker volume. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include "nstop/scols.h"

#include "cli.h"
#include "nstop/runtime.h"
#include "nstop/size.h"

static void volume_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop volume ls [-J] [-n] [-r]\n"
"  nstop volume create NAME\n"
"  nstop volume rm NAME...\n"
"  nstop volume inspect [-J] NAME...\n"
"\n"
"nstop's volumes, under " RT_DATA_DIR "/volumes: directories that outlive a\n"
"container. run -v NAME:/DST makes the volume NAME on first use, and it stays\n"
"until volume rm; run -v /DST makes an anonymous one for that container alone,\n"
"removed with it (nstop rm --keep-volumes keeps it). A volume that a\n"
"container's state names (running or exited) is in use and is not removed.\n"
"\n"
"Options:\n"
"  -J, --json             use JSON output format\n"
"  -n, --noheadings       don't print headings (ls)\n"
"  -r, --raw              use the raw output format (ls)\n"
"  -h, --help             display this help\n"
"\n"
"Columns: NAME TYPE SIZE CREATED CONTAINERS.\n");
}

static json_t *info_json(const struct rt_volume_info *v)
{
	json_t *users = json_array();
	char created[32] = "";
	time_t t = v->created.tv_sec;

	if (v->users && v->users[0]) {
		char *copy = strdup(v->users), *save = NULL;
		for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p;
		     p = strtok_r(NULL, ",", &save))
			json_array_append_new(users, json_string(p));
		free(copy);
	}
	if (t)
		nst_format_utc(t, -1, created, sizeof(created));
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}",
			 "name", v->name, "type", v->anonymous ? "anonymous" : "named",
			 "mountpoint", v->path,
			 "size_bytes", v->size_bytes >= 0 ? json_integer(v->size_bytes) : json_null(),
			 "created", created[0] ? json_string(created) : json_null(),
			 "containers", users);
}

static int print_json_array(const char *key, const struct rt_volume_info *v, size_t n)
{
	json_t *arr = json_array(), *doc;
	int rc;

	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, info_json(&v[i]));
	doc = json_pack("{s:o}", key, arr);
	if (!doc)
		return CLI_FAIL;
	rc = json_dumpf(doc, stdout, JSON_INDENT(2)) < 0 ? CLI_FAIL : CLI_OK;
	putchar('\n');
	json_decref(doc);
	return rc;
}

static int print_table(const struct rt_volume_info *v, size_t n, bool raw, bool noheadings)
{
	static const struct cli_column cols[] = {
		{ "NAME", 0 }, { "TYPE", 0 }, { "SIZE", SCOLS_FL_RIGHT },
		{ "CREATED", 0 }, { "CONTAINERS", SCOLS_FL_WRAP },
	};
	struct libscols_table *tb = cli_table_new(cols, sizeof(cols) / sizeof(cols[0]), raw,
						  noheadings);
	int rc = CLI_FAIL;

	if (!tb)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = out_scols.table_new_line(tb, NULL);
		char size[32], created[32] = "-";
		struct tm tm;
		time_t t = v[i].created.tv_sec;

		if (!ln)
			goto out;
		nst_format_bytes(v[i].size_bytes, size, sizeof(size));
		if (t && localtime_r(&t, &tm))
			strftime(created, sizeof(created), "%Y-%m-%d %H:%M", &tm);
		if (out_scols.line_set_data(ln, 0, v[i].name) ||
		    out_scols.line_set_data(ln, 1, v[i].anonymous ? "anonymous" : "named") ||
		    out_scols.line_set_data(ln, 2, v[i].size_bytes >= 0 ? size : "-") ||
		    out_scols.line_set_data(ln, 3, created) ||
		    out_scols.line_set_data(ln, 4, v[i].users && v[i].users[0] ? v[i].users : "-"))
			goto out;
	}
	rc = out_scols.print_table(tb) ? CLI_FAIL : CLI_OK;
out:
	out_scols.unref_table(tb);
	return rc;
}

/* -J, -n, -r, -h for ls and inspect; -1 when --help was printed, 1 on a
 * usage error already said. */
static int volume_opts(const char *verb, int argc, char **argv, bool *json, bool *raw,
		       bool *noheadings)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, raw ? ":Jrnh" : ":Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': *json = true; break;
		case 'r': if (raw) { *raw = true; break; } /* fall through */
		case 'n': if (noheadings) { *noheadings = true; break; } /* fall through */
		case 'h':
			if (c == 'h') {
				volume_usage(stdout);
				return -1;
			}
			/* fall through */
		default:
			cli_option_error(verb, c, argv);
			return 1;
		}
	}
	return 0;
}

static int volume_ls(int argc, char **argv)
{
	struct rt_volume_info *v;
	bool json = false, raw = false, noheadings = false;
	struct nst_err err;
	size_t n;
	int rc;

	if ((rc = volume_opts("volume ls", argc, argv, &json, &raw, &noheadings)) != 0)
		return rc < 0 ? CLI_OK : CLI_USAGE;
	if (optind < argc)
		return cli_usage_error("volume ls", "too many arguments");
	if (!json && cli_tables("volume ls") < 0)
		return CLI_FAIL;
	nst_err_clear(&err);
	if (!cli_runtime())
		return CLI_FAIL;
	if (rt_volume_list(cli_runtime(), &v, &n, true, &err) < 0) {
		cli_error("volume ls: %s", err.msg);
		return CLI_FAIL;
	}
	rc = json ? print_json_array("volumes", v, n) : print_table(v, n, raw, noheadings);
	rt_volume_list_free(v, n);
	return rc;
}

static int volume_inspect(int argc, char **argv)
{
	struct rt_volume_info *v;
	bool json = false;
	struct nst_err err;
	int rc, n;

	if ((rc = volume_opts("volume inspect", argc, argv, &json, NULL, NULL)) != 0)
		return rc < 0 ? CLI_OK : CLI_USAGE;
	if (optind >= argc)
		return cli_usage_error("volume inspect", "which volume? (NAME is missing)");
	n = argc - optind;
	if (!(v = calloc((size_t)n, sizeof(*v))))
		return CLI_FAIL;
	for (int i = 0; i < n; i++) {
		nst_err_clear(&err);
		if (rt_volume_name_check(argv[optind + i], &err) < 0) {
			rt_volume_list_free(v, (size_t)i);
			return cli_usage_error("volume inspect", "%s", err.msg);
		}
		if (!cli_runtime() ||
		    rt_volume_inspect(cli_runtime(), argv[optind + i], true, &v[i], &err) < 0) {
			cli_error("volume inspect: %s", err.msg);
			rt_volume_list_free(v, (size_t)i + 1);
			return CLI_FAIL;
		}
	}
	if (json) {
		rc = print_json_array("volumes", v, (size_t)n);
	} else {
		for (int i = 0; i < n; i++) {
			char size[32];
			nst_format_bytes(v[i].size_bytes, size, sizeof(size));
			printf("%s%s\n  type        %s\n  mountpoint  %s\n  size        %s\n  containers  %s\n",
			       i ? "\n" : "", v[i].name, v[i].anonymous ? "anonymous" : "named",
			       v[i].path, v[i].size_bytes >= 0 ? size : "-",
			       v[i].users && v[i].users[0] ? v[i].users : "-");
		}
		rc = CLI_OK;
	}
	rt_volume_list_free(v, (size_t)n);
	return rc;
}

/* create and rm: names only; each one done in turn, the first failure
 * ends it (those before it are done). */
static int volume_each(const char *verb, int argc, char **argv, int max,
		       int (*fn)(const char *name, struct nst_err *err), bool print)
{
	struct nst_err err;
	int rc;

	if ((rc = volume_opts(verb, argc, argv, &(bool){ false }, NULL, NULL)) != 0)
		return rc < 0 ? CLI_OK : CLI_USAGE;
	if (optind >= argc)
		return cli_usage_error(verb, "which volume? (NAME is missing)");
	if (max && argc - optind > max)
		return cli_usage_error(verb, "too many arguments");
	for (int i = optind; i < argc; i++) {
		nst_err_clear(&err);
		if (rt_volume_name_check(argv[i], &err) < 0)
			return cli_usage_error(verb, "%s", err.msg);
	}
	for (int i = optind; i < argc; i++) {
		nst_err_clear(&err);
		if (fn(argv[i], &err) < 0) {
			if (err.msg[0])
				cli_error("%s: %s", verb, err.msg);
			return CLI_FAIL;
		}
		if (print)
			printf("%s\n", argv[i]);
	}
	return CLI_OK;
}

static int volume_rm_one(const char *name, struct nst_err *err)
{
	/* (when it cannot be opened, cli_runtime has said why) */
	if (!cli_runtime())
		return -EIO;
	return rt_volume_rm(cli_runtime(), name, err);
}

int cli_volume(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub)
		return cli_usage_error("volume", "volume: which one? ls, create, rm or inspect");
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		volume_usage(stdout);
		return CLI_OK;
	}
	if (strcmp(sub, "ls") == 0 || strcmp(sub, "list") == 0)
		return volume_ls(argc - 1, argv + 1);
	if (strcmp(sub, "inspect") == 0)
		return volume_inspect(argc - 1, argv + 1);
	if (strcmp(sub, "create") == 0)
		return volume_each("volume create", argc - 1, argv + 1, 1, rt_volume_create, true);
	if (strcmp(sub, "rm") == 0 || strcmp(sub, "remove") == 0)
		return volume_each("volume rm", argc - 1, argv + 1, 0, volume_rm_one, false);
	return cli_usage_error("volume", "unknown subcommand: %s (ls, create, rm, inspect)", sub);
}
