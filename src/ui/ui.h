/* The interactive view: the only code that includes <curses.h> is ui-*.c. */
#ifndef NSTOP_UI_H
#define NSTOP_UI_H

#include <sys/types.h>

#include "nstop/err.h"

struct ui_opts {
	double interval;	/* seconds; 0: the config's */
	const char *theme;	/* NULL: the config's */
	pid_t view_from;	/* 0: the host's view */
};

/* Runs the TUI until the user quits. Returns 0, or -errno with err filled
 * when it could not start (no terminal, no /proc, a bad --view-from). */
int ui_main(const struct ui_opts *opts, struct nst_err *err);

#endif
