/* nstop list, freeze, thaw, update, move, kill, rm: the runtime's
 * operations on containers that exist, one verb each. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nstop/scols.h"

#include "cli.h"
#include "nstop/output.h"
#include "nstop/runtime.h"
#include "nstop/net.h"

#define CTL_FREEZE_TIMEOUT 10.0

/* The lock, the state, the cgroups: only root may touch them. A failure
 * the library reports says its own why; this is the status: a usage
 * error (2) where the runtime says the request is one (a bad NAME, which
 * it checks first), a failure (1) otherwise (an unknown NAME). */
static int ctl_fail(const char *verb, const struct nst_err *err)
{
	if (err->usage)
		return cli_usage_error(verb, "%s", err->msg);
	cli_error("%s", err->msg);
	return CLI_FAIL;
}

/* Only -h/--help, and --force where force is not NULL: the verbs whose
 * arguments are positional. */
static int ctl_help_only(const char *verb, int argc, char **argv, void (*usage)(FILE *),
			 bool *force)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* '+': a signal such as -9 after NAME is an argument, not an option. */
	while ((c = getopt_long(argc, argv, force ? "+:hf" : "+:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if (c == 'f' && force) {
			*force = true;
			continue;
		}
		return cli_option_error(verb, c, argv);
	}
	return 0;
}

/*
 * The verbs that take several NAMEs, as docker rm, kill, pause and update
 * do: what one verb does to one container, with the options it parsed.
 */
struct ctl_op {
	const char *verb;
	int (*one)(const struct ctl_op *op, const char *name, struct nst_err *err);
	bool foreign;		/* --force: act on another engine's, where the verb may */
	int sig;		/* kill */
	bool freeze;		/* freeze or thaw */
	double timeout;
	struct rt_limits limits;	/* update */
	bool force, keep_volumes;	/* rm */
};

/* op->one failed for NAME: when nstop has no such container but another
 * engine has, the guard says so (or, with --force, acts); else one line
 * that names the verb and the container, whatever the runtime's why says. */
static int ctl_fail_one(const struct ctl_op *op, const char *name, const struct nst_err *err)
{
	int rc = err->code == ENOENT ? cli_engine_guard_name(op->verb, name, op->foreign, op->sig) : -1;

	if (rc >= 0)
		return rc;
	cli_error("%s: %s: %s", op->verb, name, err->msg);
	return err->usage ? CLI_USAGE : CLI_FAIL;
}

/*
 * Each NAME in argv[first..argc) in turn, as docker does them: one that
 * fails says so in its line and the others are still done; the status is
 * the worst. A malformed NAME is a usage error before any is touched
 * (docker goes on past it; exit 2 here keeps meaning "nothing was done").
 */
static int ctl_each(const struct ctl_op *op, int first, int argc, char **argv)
{
	struct nst_err err;
	int status = CLI_OK;

	if (first >= argc)
		return cli_usage_error(op->verb, "which container? (NAME is missing)");
	for (int i = first; i < argc; i++) {
		nst_err_clear(&err);
		if (rt_name_check(argv[i], &err) < 0)
			return cli_usage_error(op->verb, "%s", err.msg);
	}
	if (!cli_runtime())
		return CLI_FAIL;
	for (int i = first; i < argc; i++) {
		int rc;

		nst_err_clear(&err);
		if (op->one(op, argv[i], &err) == 0)
			continue;
		rc = ctl_fail_one(op, argv[i], &err);
		if (rc > status)
			status = rc;
	}
	return status;
}

/* ---- list ---------------------------------------------------------------- */

#define LIST_MAX_COLS 32

static void list_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop list [options]\n"
"\n"
"List nstop's containers with their state, as the kernel reports it now.\n"
"\n"
"Options:\n"
"  -J, --json             use JSON output format: {\"containers\": [...]}\n"
"  -n, --noheadings       don't print headings\n"
"  -o, --output <list>    output columns (+list adds to the default)\n"
"  -q, --quiet            only the names, one a line\n"
"  -r, --raw              use the raw output format\n"
"      --list-columns     list the columns and exit\n"
"  -h, --help             display this help\n"
"\n"
"Default columns: NAME,STATE,PID,CREATED,MEMORY,CPUS,PIDS,COMMAND,EXIT,ADDRESSES,VETH.\n");
}

/* The table through output.h's list fields: the columns are data. */
static int list_table(const struct rt_state *list, size_t n,
		      const struct out_list_field *const *cols, size_t ncols,
		      bool raw, bool noheadings)
{
	struct libscols_table *tb = out_scols_new_table();
	int rc = -ENOMEM;

	if (!tb)
		return rc;
	out_scols.table_enable_raw(tb, raw);
	out_scols.table_enable_noheadings(tb, noheadings);
	for (size_t c = 0; c < ncols; c++) {
		int flags = (cols[c]->align == OUT_RIGHT ? SCOLS_FL_RIGHT : 0) |
			    (cols[c]->flags & OUT_LIST_TRUNC ? SCOLS_FL_TRUNC : 0);
		if (!out_scols.table_new_column(tb, cols[c]->name, 0, flags))
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = out_scols.table_new_line(tb, NULL);
		char v[1100];

		if (!ln)
			goto out;
		for (size_t c = 0; c < ncols; c++) {
			if (!cols[c]->text(&list[i], v, sizeof(v)))
				snprintf(v, sizeof(v), "-");
			if (out_scols.line_set_data(ln, c, v) < 0)
				goto out;
		}
	}
	rc = out_scols.print_table(tb);
out:
	out_scols.unref_table(tb);
	return rc;
}

static int list_json(const struct rt_state *list, size_t n)
{
	json_t *arr = json_array(), *doc;
	int rc = -ENOMEM;

	if (!arr)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *o = rt_state_json(&list[i]);

		if (o)	/* net */
			json_object_set_new(o, "network", net_state_json(&list[i]));
		if (json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return rc;
		}
	}
	doc = json_pack("{s:o}", "containers", arr);
	if (!doc)
		return rc;
	rc = json_dumpf(doc, stdout, JSON_INDENT(3) | JSON_PRESERVE_ORDER) < 0 ? -EIO : 0;
	putchar('\n');
	json_decref(doc);
	return rc;
}

int cli_list(int argc, char **argv)
{
	enum { OPT_LIST_COLUMNS = 256 };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "raw", no_argument, NULL, 'r' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, raw = false, noheadings = false, quiet = false;
	const struct out_list_field *cols[LIST_MAX_COLS];
	char defaults[256] = "";
	const char *output = NULL;
	struct rt_state *list;
	struct nst_err err;
	size_t n;
	int c, rc, ncols = 0;

	while ((c = getopt_long(argc, argv, ":Jno:qrh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'n': noheadings = true; break;
		case 'o': output = optarg; break;
		case 'q': quiet = true; break;
		case 'r': raw = true; break;
		case OPT_LIST_COLUMNS:
			cli_list_columns(&out_list_table);
			return CLI_OK;
		case 'h':
			list_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("list", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("list", "unexpected argument: %s", argv[optind]);
	if (quiet && (json || output))
		return cli_usage_error("list", "-q prints names alone: not with %s",
				       json ? "-J" : "-o");
	for (size_t i = 0; i < out_list_nfields; i++)
		if (out_list_fields[i].flags & OUT_LIST_DEFAULT)
			snprintf(defaults + strlen(defaults), sizeof(defaults) - strlen(defaults),
				 "%s%s", defaults[0] ? "," : "", out_list_fields[i].name);
	if (!json && !quiet &&
	    (ncols = cli_columns("list", output, defaults, &out_list_table,
				 (const void **)cols, LIST_MAX_COLS)) < 0)
		return CLI_USAGE;
	if (!json && !quiet && cli_tables("list") < 0)
		return CLI_FAIL;
	nst_err_clear(&err);
	if (!cli_runtime())
		return CLI_FAIL;
	if (rt_list(cli_runtime(), &list, &n, &err) < 0)
		return ctl_fail("list", &err);
	if (quiet) {
		/* as docker ps -q: what the next command takes, one a line */
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = printf("%s\n", list[i].name) < 0 ? -EIO : 0;
	} else {
		rc = json ? list_json(list, n) :
		     list_table(list, n, cols, (size_t)ncols, raw, noheadings);
	}
	free(list);
	if (rc < 0) {
		cli_error("list: printing: %s", strerror(-rc));
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* ---- freeze, thaw --------------------------------------------------------- */

static void freeze_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop freeze [options] NAME...\n"
"  nstop thaw [options] NAME...\n"
"\n"
"Freeze (or thaw) every process of each container, through v1 freezer.state\n"
"or v2 cgroup.freeze, and wait until the kernel reports it done. One that\n"
"fails says so and the others are still done.\n"
"\n"
"Options:\n"
"  -t, --timeout SECS     how long to wait for the kernel, each (default 10)\n"
"  -f, --force            freeze or thaw another engine's container (refused without)\n"
"  -h, --help             display this help\n");
}

static int freeze_one(const struct ctl_op *op, const char *name, struct nst_err *err)
{
	return rt_freeze(cli_runtime(), name, op->freeze, op->timeout, err);
}

static int freeze_verb(const char *verb, bool freeze, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_op op = { .verb = verb, .one = freeze_one, .freeze = freeze,
			     .timeout = CTL_FREEZE_TIMEOUT };
	int c;

	while ((c = getopt_long(argc, argv, ":t:fh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			op.foreign = true;
			break;
		case 't':
			if (cli_parse_seconds(optarg, &op.timeout) < 0)
				return cli_usage_error(verb, "--timeout: not a number of seconds in (0, 86400]: %s",
						       optarg);
			break;
		case 'h':
			freeze_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error(verb, c, argv);
		}
	}
	return ctl_each(&op, optind, argc, argv);
}

int cli_freeze(int argc, char **argv)
{
	return freeze_verb("freeze", true, argc, argv);
}

int cli_thaw(int argc, char **argv)
{
	return freeze_verb("thaw", false, argc, argv);
}

/* ---- update --------------------------------------------------------------- */

static void update_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop update NAME... [options]\n"
"\n"
"Change the limits of running containers, each NAME's to the same values.\n"
"Every value is checked before any is written; a memory limit below what\n"
"is in use is refused. One that fails says so and the others are still done.\n"
"\n"
"Options:\n"
"      --memory SIZE      memory limit (bytes, or K, M, G, T with B/iB optional)\n"
"      --cpus N           cpu time as a number of cpus (0.5, 2)\n"
"      --cpu-weight W     relative cpu weight, 1..10000 (100 is the default)\n"
"      --cpuset CPUS      the cpus it may run on (0-1,3)\n"
"      --pids N           the most processes it may hold\n"
"  -h, --help             display this help\n");
}

static int update_one(const struct ctl_op *op, const char *name, struct nst_err *err)
{
	return rt_update(cli_runtime(), name, &op->limits, err);
}

int cli_update(int argc, char **argv)
{
	enum { OPT_LIMIT = 256 };
	static const struct option longopts[] = {
		CLI_LIMIT_OPTIONS(OPT_LIMIT),
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_op op = { .verb = "update", .one = update_one };
	struct nst_err err;
	bool any = false;
	int c, idx = 0, rc = 0;

	rt_limits_init(&op.limits);
	nst_err_clear(&err);
	while ((c = getopt_long(argc, argv, ":h", longopts, &idx)) != -1) {
		switch (c) {
		case OPT_LIMIT:
			rc = rt_limits_parse(&op.limits, longopts[idx].name, optarg, &err);
			break;
		case 'h':
			update_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("update", c, argv);
		}
		if (rc < 0)
			return cli_usage_error("update", "--%s: %s", longopts[idx].name, err.msg);
		any = true;
	}
	if (optind < argc && !any)
		return cli_usage_error("update", "nothing to change: give --memory, --cpus, --cpu-weight, --cpuset or --pids");
	return ctl_each(&op, optind, argc, argv);
}

/* ---- move ----------------------------------------------------------------- */

static void move_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop move PID NAME\n"
"\n"
"Move a process into a running container's cgroup in every hierarchy.\n"
"Its namespaces stay as they are. A process in another engine's container\n"
"(docker's, say) is not moved out of it behind the engine's back.\n"
"\n"
"Options:\n"
"  -f, --force            move it even out of another engine's container\n"
"  -h, --help             display this help\n");
}

int cli_move(int argc, char **argv)
{
	struct nst_err err;
	bool force = false;
	pid_t pid;
	int rc = ctl_help_only("move", argc, argv, move_usage, &force);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (argc - optind != 2)
		return cli_usage_error("move", "needs PID and NAME");
	if (cli_parse_pid(argv[optind], &pid) < 0)
		return cli_usage_error("move", "not a process id: %s", argv[optind]);
	if ((rc = cli_engine_guard_pid("move", pid, force)) >= 0)
		return rc;
	nst_err_clear(&err);
	if (!cli_runtime())
		return CLI_FAIL;
	if (rt_move(cli_runtime(), pid, argv[optind + 1], &err) < 0)
		return ctl_fail("move", &err);
	return CLI_OK;
}

/* ---- kill ----------------------------------------------------------------- */

static void kill_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop kill [options] NAME...\n"
"  nstop kill [options] NAME... SIGNAL\n"
"\n"
"Send a signal to each container's init, which passes it on to the payload.\n"
"SIGNAL is a number or a name (9, KILL, SIGKILL, -9); the default is TERM.\n"
"Without -s, a last word that looks like a signal (begins with - or a digit,\n"
"has no lower-case letter, or is one) is the SIGNAL. One container that\n"
"fails says so and the others are still done.\n"
"\n"
"Options:\n"
"  -s, --signal SIGNAL    the signal to send (every word after it is a NAME)\n"
"  -f, --force            signal every process of another engine's container\n"
"  -h, --help             display this help\n");
}

static int kill_one(const struct ctl_op *op, const char *name, struct nst_err *err)
{
	return rt_kill(cli_runtime(), name, op->sig, err);
}

/* The signal as kill(1) spells it: 9, KILL, SIGKILL, -9, RTMIN+1; else
 * the usage error's status. */
static int kill_parse_signal(const char *s, int *sig)
{
	struct nst_err err;

	nst_err_clear(&err);
	if (s[0] == '-' && s[1])
		s++;
	if (rt_parse_signal(s, sig, &err) < 0)
		return cli_usage_error("kill", "%s", err.msg);
	return 0;
}

/*
 * kill NAME SIGNAL was the one-name form; with several NAMEs (docker kill a
 * b) the last word is the SIGNAL when it looks like one: it is one (KILL,
 * hup), or it begins with '-' (no NAME does) or a digit, or has no
 * lower-case letter. Then it must be a valid one: a mistyped signal (KIL,
 * 0x9) is a usage error and nothing is signalled, never a NAME that sends
 * TERM to the others. A NAME that looks like a signal comes after -s.
 */
static bool kill_last_is_signal(const char *s)
{
	struct nst_err err;
	int sig;

	nst_err_clear(&err);
	return s[0] == '-' || (s[0] >= '0' && s[0] <= '9') ||
	       !strpbrk(s, "abcdefghijklmnopqrstuvwxyz") || rt_parse_signal(s, &sig, &err) == 0;
}

int cli_kill(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_op op = { .verb = "kill", .one = kill_one, .sig = SIGTERM };
	bool signal_given = false;
	int c;

	/* '+': a signal such as -9 after NAME is an argument, not an option. */
	while ((c = getopt_long(argc, argv, "+:s:fh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (kill_parse_signal(optarg, &op.sig) != 0)
				return CLI_USAGE;
			signal_given = true;
			break;
		case 'f':
			op.foreign = true;
			break;
		case 'h':
			kill_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("kill", c, argv);
		}
	}
	if (!signal_given && argc - optind >= 2 && kill_last_is_signal(argv[argc - 1])) {
		if (kill_parse_signal(argv[argc - 1], &op.sig) != 0)
			return CLI_USAGE;
		argc--;
	}
	return ctl_each(&op, optind, argc, argv);
}

/* ---- rm ------------------------------------------------------------------- */

static void rm_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop rm [options] NAME...\n"
"\n"
"Remove containers that have exited: each one's cgroups in every hierarchy,\n"
"its state directory and its anonymous volumes (run -v /DST). A running one\n"
"only with -f. Named volumes stay (nstop volume rm). One that fails says so\n"
"and the others are still removed.\n"
"\n"
"Options:\n"
"  -f, --force            thaw and kill a running or frozen one first\n"
"      --keep-volumes     keep its anonymous volumes (nstop volume ls lists them)\n"
"  -v, --volumes          remove its anonymous volumes (the default; as docker rm -v)\n"
"  -h, --help             display this help\n");
}

static int rm_one(const struct ctl_op *op, const char *name, struct nst_err *err)
{
	return rt_rm_volumes(cli_runtime(), name, op->force, op->keep_volumes, err);
}

int cli_rm(int argc, char **argv)
{
	enum { OPT_KEEP = 256 };
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "keep-volumes", no_argument, NULL, OPT_KEEP },
		{ "volumes", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* (rm -f is the runtime's force: another engine's is never removed) */
	struct ctl_op op = { .verb = "rm", .one = rm_one };
	bool drop = false;
	int c;

	while ((c = getopt_long(argc, argv, ":fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': op.force = true; break;
		case OPT_KEEP: op.keep_volumes = true; break;
		case 'v': drop = true; break;
		case 'h':
			rm_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("rm", c, argv);
		}
	}
	if (op.keep_volumes && drop)
		return cli_usage_error("rm", "--keep-volumes and -v say the opposite");
	return ctl_each(&op, optind, argc, argv);
}
