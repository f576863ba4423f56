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
"  nstop enter <pid> [-n <types> | --all] [--] [<command> [<argument>...]]\n"
"\n"
"Run a command in the namespaces of any process (not only nstop's\n"
"containers), as nsenter -t does, on this terminal. Those the process shares\n"
"with nstop are skipped. With mnt, in the process's root: the default command\n"
"is its /bin/sh; without, $SHELL. The command keeps nstop's credentials,\n"
"capabilities, cgroup and environment: nothing of the process's confinement\n"
"applies (nstop exec gives that, for nstop's containers). With user, it is\n"
"uid 0 of that user namespace. The exit status is the command's.\n"
"\n"
"Options:\n"
"  -n, --ns <types>   a comma list of mnt, net, pid, uts, ipc, cgroup, user, time\n"
"  -a, --all          every type (the default)\n"
"  -h, --help         display this help\n");
}

/* -5 would read as an option: it is a PID that cannot be. */
static bool looks_negative(const char *s)
{
	return s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

int cli_enter(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ns", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nst_err err;
	const char *pidarg = NULL;
	unsigned types = RT_NS_ALL, differ;
	bool dashdash = false;
	int c, status;
	pid_t pid;

	nst_err_clear(&err);
	/* options before and after the PID; the command's own after it */
	while (optind < argc) {
		if (looks_negative(argv[optind]))
			return cli_usage_error("enter", "not a process ID: %s", argv[optind]);
		c = getopt_long(argc, argv, "+:n:ah", longopts, NULL);
		if (c == -1) {
			if (optind >= argc || pidarg)
				break;
			if (strcmp(argv[optind - 1], "--") == 0) {
				dashdash = true;
				break;
			}
			pidarg = argv[optind++];
			continue;
		}
		switch (c) {
		case 'h':
			enter_usage(stdout);
			return CLI_OK;
		case 'a':
			types = RT_NS_ALL;
			break;
		case 'n':
			if (rt_ns_parse(optarg, &types, &err) < 0)
				return cli_usage_error("enter", "%s", err.msg);
			break;
		default:
			return cli_option_error("enter", c, argv);
		}
	}
	if (!pidarg) {
		if (dashdash && optind < argc)
			pidarg = argv[optind++];
		else
			return cli_usage_error("enter", "no process ID");
	}
	if (cli_parse_pid(pidarg, &pid) < 0)
		return cli_usage_error("enter", "not a process ID: %s", pidarg);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (cli_seal("enter") != CLI_OK)
		return CLI_FAIL;
	if (rt_ns_differ(pid, &differ, &err) < 0) {
		cli_error("enter: %s", err.msg);
		return CLI_FAIL;
	}
	if (!(types & differ))
		fprintf(stderr, "nstop: enter: PID %d shares every chosen namespace with nstop: "
			"the command runs in nstop's own\n", (int)pid);
	fflush(stdout);
	if (rt_nsenter(pid, types, optind < argc ? argv + optind : NULL, &status, &err) < 0) {
		cli_error("enter: %s", err.msg);
		return CLI_FAIL;
	}
	return status;
}
