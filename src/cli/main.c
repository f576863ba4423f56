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

/* locale: whether the verb prints what the user's locale shapes: tables
 * (libsmartcols's column widths of wide characters), JSON (the decimal
 * point put right), a view. The others (a launch, the verbs that act on a
 * container) print only errors, which are English either way, and names
 * nstop checks and escapes by its own ASCII and UTF-8 rules (utf8.c). For
 * them glibc would open a dozen files for C.UTF-8, a twentieth of a
 * launch. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	bool locale;
} verbs[] = {
	{ "ns", cli_ns, true },
	{ "cgroups", cli_cgroups, true },
	{ "run", cli_run, false },
	{ "list", cli_list, true },
	{ "freeze", cli_freeze, false },
	{ "thaw", cli_thaw, false },
	{ "update", cli_update, false },
	{ "move", cli_move, false },
	{ "exec", cli_exec, false },
	{ "enter", cli_enter, false },
	{ "inspect", cli_inspect, true },
	{ "kill", cli_kill, false },
	{ "rm", cli_rm, false },
	{ "images", cli_images, true },
	{ "image", cli_image, true },
	{ "volume", cli_volume, true },
	{ "serve", cli_serve, true },
	{ "metrics", cli_metrics, true },
};

int main(int argc, char **argv)
{
	rt_selfexe_init(argc, argv);
	/* Option errors are ours to report, in one line. */
	opterr = 0;
	if (argc > 1 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			if (strcmp(argv[1], verbs[i].name) == 0) {
				if (verbs[i].locale)
					setlocale(LC_ALL, "");
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
	/* the view and batch snapshots */
	setlocale(LC_ALL, "");
	int rc = cli_top(argc, argv);
	cli_runtime_close();
	return rc;
}
