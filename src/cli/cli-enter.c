/* nstop enter PID: a command in any process's namespaces, as nsenter -t. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nstop/runtime.h"

static void enter_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop enter [<pid> | -t <pid>] [options] [--] [<command> [<argument>...]]\n"
"\n"
"Run a command in the namespaces of any process (not only nstop's\n"
"containers), or in namespaces given by file, as nsenter does, on this\n"
"terminal. Of a process's, those it shares with nstop are skipped. With mnt,\n"
"in the process's root: the default command is its /bin/sh; without,\n"
"$SHELL. The command keeps nstop's credentials, capabilities, cgroup and\n"
"environment: nothing of the process's confinement applies (nstop exec\n"
"gives that, for nstop's containers). With user, it is uid 0 of that user\n"
"namespace unless --preserve-credentials. The exit status is the command's.\n"
"\n"
"Options:\n"
"  -t, --target <pid>       the process (the same as giving <pid>)\n"
"  -n, --ns <types>         a comma list of mnt, net, pid, uts, ipc, cgroup, user, time\n"
"  -a, --all                every type (the default)\n"
"  -m, --mount[=<file>]     enter the mount namespace (of the process, or <file>)\n"
"  -u, --uts[=<file>]       enter the UTS namespace (hostname etc)\n"
"  -i, --ipc[=<file>]       enter the System V IPC namespace\n"
"      --net[=<file>]       enter the network namespace (e.g. /run/netns/NAME)\n"
"  -p, --pid[=<file>]       enter the pid namespace\n"
"  -C, --cgroup[=<file>]    enter the cgroup namespace\n"
"  -U, --user[=<file>]      enter the user namespace\n"
"  -T, --time[=<file>]      enter the time namespace\n"
"                           (any of these: only the namespaces named are entered)\n"
"      --preserve-credentials  do not become uid 0 in the user namespace\n"
"  -r, --root[=<dir>]       set the root directory (the process's without <dir>)\n"
"  -w, --wd[=<dir>]         set the working directory (the process's without <dir>)\n"
"  -h, --help               display this help\n"
"  -V, --version            display version\n");
}

/* -5 would read as an option: it is a PID that cannot be. */
static bool looks_negative(const char *s)
{
	return s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

/* Digits alone: a PID, or one that cli_parse_pid refuses. */
static bool all_digits(const char *s)
{
	return *s && s[strspn(s, "0123456789")] == '\0';
}

/* The RT_NS_* bit position of a type option's letter (nsenter's). */
static int type_of_opt(int c)
{
	static const char map[] = "mNpuiCUT";	/* in RT_NS_* bit order */
	const char *at = c > 0 && c < 256 ? strchr(map, c) : NULL;
	return at ? (int)(at - map) : -1;
}

int cli_enter(int argc, char **argv)
{
	enum { OPT_PRESERVE = 256 };
	static const struct option longopts[] = {
		{ "ns", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "target", required_argument, NULL, 't' },
		{ "mount", optional_argument, NULL, 'm' },
		{ "uts", optional_argument, NULL, 'u' },
		{ "ipc", optional_argument, NULL, 'i' },
		{ "net", optional_argument, NULL, 'N' },
		{ "pid", optional_argument, NULL, 'p' },
		{ "cgroup", optional_argument, NULL, 'C' },
		{ "user", optional_argument, NULL, 'U' },
		{ "time", optional_argument, NULL, 'T' },
		{ "preserve-credentials", no_argument, NULL, OPT_PRESERVE },
		{ "root", optional_argument, NULL, 'r' },
		{ "wd", optional_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct rt_nsenter_opts o = { .types = RT_NS_ALL, .all = true };
	struct nst_err err;
	const char *pidarg = NULL, *targ = NULL;
	unsigned named = 0, differ;
	bool dashdash = false, by_list = false;
	int c, status, t;
	pid_t pid = 0;

	nst_err_clear(&err);
	/* options before and after the PID; the command's own after it */
	while (optind < argc) {
		if (looks_negative(argv[optind]))
			return cli_usage_error("enter", "not a process ID: %s", argv[optind]);
		c = getopt_long(argc, argv, "+:n:at:m::u::i::p::C::U::T::r::w::hV", longopts, NULL);
		if (c == -1) {
			/* a word that is not a number starts the command (after
			 * -t PID or with namespaces by file alone) */
			if (optind >= argc || pidarg || targ ||
			    (!all_digits(argv[optind]) && strcmp(argv[optind - 1], "--") != 0 &&
			     (named || targ)))
				break;
			if (strcmp(argv[optind - 1], "--") == 0) {
				dashdash = true;
				break;
			}
			pidarg = argv[optind++];
			continue;
		}
		if ((t = type_of_opt(c)) >= 0) {
			named |= 1U << t;
			/* as nsenter: -m/FILE or --mount=FILE, never a separate word */
			o.file[t] = optarg;
			continue;
		}
		switch (c) {
		case 'h':
			enter_usage(stdout);
			return CLI_OK;
		case 'V':
			cli_version();
			return CLI_OK;
		case 'a':
			o.types = RT_NS_ALL;
			o.all = true;
			by_list = false;
			break;
		case 'n':
			if (rt_ns_parse(optarg, &o.types, &err) < 0)
				return cli_usage_error("enter", "%s", err.msg);
			o.all = o.types == RT_NS_ALL;
			by_list = true;
			break;
		case 't':
			targ = optarg;
			break;
		case OPT_PRESERVE:
			o.preserve_creds = true;
			break;
		case 'r':
			o.root = optarg ? optarg : "";
			break;
		case 'w':
			o.wd = optarg ? optarg : "";
			break;
		default:
			return cli_option_error("enter", c, argv);
		}
	}
	if (targ) {
		if (pidarg)
			return cli_usage_error("enter", "a process ID and -t: give one");
		pidarg = targ;
	}
	if (!pidarg && dashdash && optind < argc && !named)
		pidarg = argv[optind++];
	if (pidarg && cli_parse_pid(pidarg, &pid) < 0)
		return cli_usage_error("enter", "not a process ID: %s", pidarg);
	if (named) {
		if (by_list)
			return cli_usage_error("enter", "-n and a namespace option (--net...) exclude each other");
		/* only the namespaces named, as nsenter: those without a file
		 * are the process's */
		o.types = 0;
		o.all = false;
		for (int i = 0; i < RT_NS_NTYPES; i++)
			if ((named & (1U << i)) && !o.file[i])
				o.types |= 1U << i;
		if (o.types && !pid)
			return cli_usage_error("enter", "no process ID for the namespaces given without a file");
	} else if (!pid) {
		return cli_usage_error("enter", "no process ID");
	}
	if ((o.root && !o.root[0]) || (o.wd && !o.wd[0])) {
		if (!pid)
			return cli_usage_error("enter", "-r and -w without a directory need a process ID");
	}
	o.pid = pid;
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (cli_seal("enter") != CLI_OK)
		return CLI_FAIL;
	if (pid && o.types) {
		if (rt_ns_differ(pid, &differ, &err) < 0) {
			cli_error("enter: %s", err.msg);
			return CLI_FAIL;
		}
		if (!(o.types & differ) && !named)
			fprintf(stderr, "nstop: enter: PID %d shares every chosen namespace with nstop: "
				"the command runs in nstop's own\n", (int)pid);
	}
	fflush(stdout);
	if (rt_nsenter_with(&o, optind < argc ? argv + optind : NULL, &status, &err) < 0) {
		cli_error("enter: %s", err.msg);
		return CLI_FAIL;
	}
	return status;
}
