/* nstop [-b] [-n N] [-d SECS] [-J] [-o COLS] [--view-from PID]: snapshots. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "nstop/config.h"
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
"  nstop -b [-n N] [-d SECS] [-J] [-o COLS] [--view-from PID]\n"
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
"  (another engine's container, or a process in one, is refused with its\n"
"   engine's own command; freeze, thaw, kill and move take --force)\n"
"\n"
"Any process (root only):\n"
"  nstop enter PID [-n TYPES] [CMD [ARG...]]         a command in its namespaces\n"
"  nstop inspect [-J] PID|CONTAINER                  how isolated it is (exposures)\n"
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
	bool batch = false, json = false, delay_set = false;
	long iterations = 0;
	double delay = 2.0;
	pid_t view_from = 0;
	int c, ncols, rc = CLI_OK;
	struct nst_err err;

	while ((c = getopt_long(argc, argv, ":bn:d:Jo:t:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': batch = true; break;
		case 'J': json = true; break;
		case 'o': columns = optarg; break;
		case 't': theme = optarg; break;
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

	struct scan_ctx *ctx;
	struct iso_ctx *iso = NULL;
	if (cli_scan_open(&ctx) < 0)
		return CLI_FAIL;
	/* Isolation is read only when shown: in JSON, or in an ISOLATION
	 * column; a host where it cannot be read shows null. */
	if (json || batch_shows_isolation(cols, ncols))
		iso_ctx_new(&cli_runtime()->root, &iso, &err);
	for (long i = 0; iterations == 0 || i < iterations; i++) {
		struct snapshot *snap;
		if (i > 0)
			sleep_seconds(delay);
		if (cli_snapshot(ctx, view_from, true, &snap) < 0) {
			rc = CLI_FAIL;
			break;
		}
		snap->iso = iso;
		if (iso)
			iso_ctx_begin(iso, 0);
		int wrc = json ? out_snapshot_json_write(snap, stdout) :
				 out_snapshot_text_write(snap, cols, (size_t)ncols, stdout);
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
