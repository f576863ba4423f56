/* nstop [-b] [-n N] [-d SECS] [-J] [-o COLS] [--view-from PID]: snapshots. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "nstop/settings.h"
#include "../ui/ui.h"
#include "nstop/iso.h"
#include "nstop/output.h"

static const char *default_columns = "pid,user,state,cpu,rss,cgroupns,pidns,mntns,netns,cgroup,cmdline";
static const char *default_view_columns = "pid,user,state,cpu,rss,cgroupns,pidns,cgroup,viewcgroup,cmdline";

static void usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop [-d SECS] [-t THEME] [--view-from PID]      the interactive view\n"
"  nstop -b [-n N] [-d SECS] [-J] [-o COLS] [-p PID[,PID]] [-u USER]\n"
"           [-w COLS] [-s [+|-]COL] [--view-from PID]\n"
"  nstop ns [options]                                namespaces, like lsns\n"
"  nstop cgroups [options]                           the cgroup trees\n"
"\n"
"Containers (nstop's own; root only):\n"
"  nstop run [options] -- CMD [ARG...]               start one (a sandbox by default)\n"
"  nstop list [-J]                                   list them\n"
"  nstop freeze NAME | thaw NAME                     stop and resume every process\n"
"  nstop update NAME [--memory SIZE] [--cpus N] ...  change its limits\n"
"  nstop move PID NAME                               put a process into it\n"
"  nstop exec NAME [CMD [ARG...]]                    run a command inside it\n"
"  nstop kill NAME [SIGNAL] | rm [-f] NAME           signal it, remove it\n"
"  nstop run --image PATH [-- CMD...]                from an OCI layout or docker save\n"
"  nstop images [-J] | image rm REF                  the image store\n"
"  nstop volume ls|create|rm|inspect [NAME]          volumes (run -v NAME:/DST, -v /DST)\n"
"  (another engine's container, or a process in one, is refused with its\n"
"   engine's own command; freeze, thaw, kill and move take --force)\n"
"\n"
"Any process (root only):\n"
"  nstop enter PID [-n TYPES] [CMD [ARG...]]         a command in its namespaces\n"
"  nstop inspect [-J] PID|CONTAINER                  how isolated it is (exposures)\n"
"\n"
"Metrics (Prometheus, OpenMetrics):\n"
"  nstop serve [--listen ADDR:PORT] [--cgroup PATH]  a /metrics endpoint (127.0.0.1:9188)\n"
"  nstop metrics [--openmetrics] [-o FILE]           the same once (node_exporter's textfile)\n"
"\n"
"Processes grouped by namespace and cgroup, with every cgroup path as the\n"
"process's own cgroup namespace shows it.\n"
"\n"
"Options:\n"
"  -b, --batch            print snapshots instead of the interactive view\n"
"  -n, --iterations N     stop after N snapshots (batch; default: forever)\n"
"  -d, --delay SECS       seconds between snapshots (default 2)\n"
"  -J, --json             one JSON document per snapshot, one per line\n"
"  -o, --output COLS      process columns for text output (+COLS adds)\n"
"  -p, --pid PID[,PID]    only these processes (may be repeated)\n"
"  -u, --user USER        only processes whose effective user is USER\n"
"  -w, --width COLS       text rows at most COLS wide (default: the\n"
"                         terminal's, else 512, as top -b)\n"
"  -s, --sort [+|-]COL    order the rows by a column of -o, high to low\n"
"                         (+, the default) or low to high (-); default +cpu\n"
"      --list-columns     list the process columns and exit\n"
"      --view-from PID    show cgroup paths as PID's cgroup namespace sees them\n"
"  -h, --help             show this help and exit\n"
"  -t, --theme THEME      the TUI's theme: a name or a path (nstop-theme(5))\n"
"  -V, --version          show the version and exit\n"
"\n"
"Run 'nstop VERB --help' for a command's options, and see nstop(1) for\n"
"every field and key.\n");
}

static bool batch_shows_isolation(const struct out_proc_field *const *cols, int n)
{
	for (int k = 0; k < n; k++)
		if (strcmp(cols[k]->name, "isolation") == 0)
			return true;
	return false;
}

/*
 * The isolation facts of the processes the document shows, read beside the
 * snapshot's last steps (scan.h) into the context's cache, where the writer
 * finds them: each mount namespace's mountinfo and sockets, each cgroup's
 * devices, each user namespace's uid_map, a tenth of -b -J's time when read
 * in line.
 */
struct iso_beside {
	struct iso_ctx *iso;
	const struct out_select *sel;
};

static void iso_beside_read(const struct snapshot *s, void *arg)
{
	const struct iso_beside *b = arg;

	for (size_t i = 0; i < s->nprocs; i++)
		if (out_proc_selected(b->sel, &s->procs[i]))
			iso_proc(b->iso, s, &s->procs[i]);
}

/* -p's list, "1,2" and -p again: at most max pids in all. */
static int parse_pids(const char *arg, pid_t *pids, size_t *n, size_t max)
{
	char buf[1024], *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return -EINVAL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n == max || cli_parse_pid(t, &pids[*n]) < 0)
			return -EINVAL;
		(*n)++;
	}
	return *n ? 0 : -EINVAL;
}

/* -u: a name, or a number as top takes it. */
static int parse_user(const char *arg, uid_t *uid)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg && !*end && !errno && v < (uid_t)-1) {
		*uid = (uid_t)v;
		return 0;
	}
	pw = getpwnam(arg);
	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	return 0;
}

/* As top -b: the terminal's width when there is one, else 512. */
static int default_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	return 512;
}

static void sleep_seconds(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int cli_top(int argc, char **argv)
{
	enum { OPT_VIEW_FROM = 256, OPT_LIST_COLUMNS };
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "width", required_argument, NULL, 'w' },
		{ "sort", required_argument, NULL, 's' },
		{ "theme", required_argument, NULL, 't' },
		{ "view-from", required_argument, NULL, OPT_VIEW_FROM },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct out_proc_field *cols[64];
	const char *columns = NULL;
	const char *theme = NULL;
	const char *sort_arg = "+cpu";
	pid_t pids[64];
	struct out_select sel = { .pids = pids };
	struct out_text_opts topts = { .sel = &sel };
	bool batch_only = false;
	long width = 0;
	bool batch = false, json = false, delay_set = false;
	long iterations = 0;
	double delay = 2.0;
	pid_t view_from = 0;
	int c, ncols, rc = CLI_OK;
	struct nst_err err;

	while ((c = getopt_long(argc, argv, ":bn:d:Jo:t:p:u:w:s:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': batch = true; break;
		case 'J': json = true; break;
		case 'o': columns = optarg; break;
		case 't': theme = optarg; break;
		case 'p':
			if (parse_pids(optarg, pids, &sel.npids, sizeof(pids) / sizeof(pids[0])) < 0)
				return cli_usage_error(NULL, "-p: not a list of at most 64 process ids: %s", optarg);
			batch_only = true;
			break;
		case 'u':
			if (parse_user(optarg, &sel.uid) < 0)
				return cli_usage_error(NULL, "-u: no such user: %s", optarg);
			sel.user = optarg;
			batch_only = true;
			break;
		case 'w':
			if (cli_parse_count(optarg, &width) < 0 || width > 65535)
				return cli_usage_error(NULL, "-w: not a width from 1 to 65535: %s", optarg);
			batch_only = true;
			break;
		case 's':
			sort_arg = optarg;
			batch_only = true;
			break;
		case 'n':
			if (cli_parse_count(optarg, &iterations) < 0)
				return cli_usage_error(NULL, "-n: not a positive count: %s", optarg);
			break;
		case 'd':
			/* bounded as the config file's interval */
			if (cli_parse_seconds(optarg, &delay) < 0 || delay < NST_INTERVAL_MIN ||
			    delay > NST_INTERVAL_MAX)
				return cli_usage_error(NULL, "-d: not seconds from %g to %g: %s",
						       NST_INTERVAL_MIN, NST_INTERVAL_MAX, optarg);
			delay_set = true;
			break;
		case OPT_VIEW_FROM:
			if (cli_parse_pid(optarg, &view_from) < 0)
				return cli_usage_error(NULL, "--view-from: not a process id: %s", optarg);
			break;
		case OPT_LIST_COLUMNS:
			cli_list_columns(&out_proc_table);
			return CLI_OK;
		case 'h':
			usage(stdout);
			return CLI_OK;
		case 'V':
			printf("nstop %s\n", PACKAGE_VERSION);
			return CLI_OK;
		default:
			return cli_option_error(NULL, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(NULL, "unexpected argument: %s", argv[optind]);
	if (batch && theme)
		return cli_usage_error(NULL, "-t: a theme is for the interactive view, not -b");
	if (!batch && batch_only)
		return cli_usage_error(NULL, "-p, -u, -w and -s are for -b");
	if (!batch) {
		struct ui_opts uo = {
			.interval = delay_set ? delay : 0,
			.theme = theme,
			.view_from = view_from,
		};
		/* the TUI launches (e) and enters (E) */
		if (cli_seal(NULL) != CLI_OK)
			return CLI_FAIL;
		nst_err_clear(&err);
		if (ui_main(&uo, &err) < 0) {
			cli_error("%s", err.msg);
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	nst_err_clear(&err);
	ncols = cli_columns(NULL, columns, view_from ? default_view_columns : default_columns,
			    &out_proc_table, (const void **)cols, sizeof(cols) / sizeof(cols[0]));
	if (ncols < 0)
		return CLI_USAGE;
	topts.ascending = sort_arg[0] == '-';
	topts.sort = out_proc_field_find(sort_arg + (sort_arg[0] == '+' || sort_arg[0] == '-'));
	if (!topts.sort)
		return cli_usage_error(NULL, "-s: unknown column: %s", sort_arg);
	topts.width = width ? (int)width : default_width();
	if (!json && cli_tables("-b") < 0)
		return CLI_FAIL;

	struct scan_ctx *ctx;
	struct iso_ctx *iso = NULL;
	if (cli_scan_open(&ctx) < 0)
		return CLI_FAIL;
	if (json && out_json_load(&err) < 0) {
		cli_error("%s", err.msg);
		scan_ctx_free(ctx);
		return CLI_FAIL;
	}
	/* Isolation is read only when shown: in JSON, or in an ISOLATION
	 * column; a host where it cannot be read shows null. */
	if (json || batch_shows_isolation(cols, ncols))
		iso_ctx_new(&cli_runtime()->root, &iso, &err);
	for (long i = 0; iterations == 0 || i < iterations; i++) {
		struct snapshot *snap;
		if (i > 0)
			sleep_seconds(delay);
		/* JSON's namespaces[] are all of them, as lsns lists them;
		 * the text shows processes alone */
		struct iso_beside ib = { iso, &sel };
		struct scan_beside beside = { iso_beside_read, &ib };
		if (iso)
			iso_ctx_begin(iso, 0);
		if ((json ? cli_snapshot_all(ctx, view_from, iso ? &beside : NULL, &snap) :
			    cli_snapshot(ctx, view_from, true, &snap)) < 0) {
			rc = CLI_FAIL;
			break;
		}
		snap->iso = iso;
		int wrc = json ? out_snapshot_json_write_sel(snap, &sel, stdout) :
				 out_snapshot_text_write(snap, cols, (size_t)ncols, &topts, stdout);
		snapshot_free(snap);
		if (wrc < 0 || fflush(stdout) == EOF) {
			cli_error("writing the snapshot: %s", strerror(errno ? errno : EIO));
			rc = CLI_FAIL;
			break;
		}
	}
	iso_ctx_free(iso);
	scan_ctx_free(ctx);
	return rc;
}
