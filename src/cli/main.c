/* The program's entry: the first word picks a verb (cli-*.c); none is the
 * interactive view or, with -b, batch snapshots. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nstop/runtime.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} verbs[] = {
	{ "ns", cli_ns },
	{ "cgroups", cli_cgroups },
	{ "run", cli_run },
	{ "list", cli_list },
	{ "freeze", cli_freeze },
	{ "thaw", cli_thaw },
	{ "update", cli_update },
	{ "move", cli_move },
	{ "exec", cli_exec },
	{ "enter", cli_enter },
	{ "inspect", cli_inspect },
	{ "kill", cli_kill },
	{ "rm", cli_rm },
	{ "images", cli_images },
	{ "image", cli_image },
	{ "volume", cli_volume },
	{ "serve", cli_serve },
	{ "metrics", cli_metrics },
};

/* The verbs whose first process only reads the command line and re-execs
 * nstop from a sealed copy (rt-selfexe.c) before it starts anything: the
 * copy reads the user's locale; reading it twice was a twentieth of a
 * launch (a dozen files for C.UTF-8). Before the copy, usage errors and
 * --help are ASCII, and the checks of names (isalnum) ASCII's as the
 * manual states them. */
static bool main_reexecs(int argc, char **argv)
{
	return argc > 1 && (strcmp(argv[1], "exec") == 0 || strcmp(argv[1], "enter") == 0) &&
	       !rt_selfexe_sealed();
}

int main(int argc, char **argv)
{
	if (!main_reexecs(argc, argv))
		setlocale(LC_ALL, "");
	rt_selfexe_init(argc, argv);
	/* Option errors are ours to report, in one line. */
	opterr = 0;
	if (argc > 1 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			if (strcmp(argv[1], verbs[i].name) == 0) {
				/* -V first on every verb, as util-linux's tools take it */
				if (argc > 2 && (strcmp(argv[2], "-V") == 0 ||
						 strcmp(argv[2], "--version") == 0)) {
					cli_version();
					return CLI_OK;
				}
				int rc = verbs[i].run(argc - 1, argv + 1);
				cli_runtime_close();
				return rc;
			}
		return cli_usage_error(NULL, "unknown command: %s", argv[1]);
	}
	int rc = cli_top(argc, argv);
	cli_runtime_close();
	return rc;
}
