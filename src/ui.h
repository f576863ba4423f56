/* The interactive view: the only code that includes <curses.h> is ui-*.c. */
#ifndef NSTOP_UI_H
#define NSTOP_UI_H

#include <sys/types.h>

struct ui_opts {
	double interval;	/* seconds; 0: the config's */
	const char *theme;	/* NULL: the config's */
	pid_t view_from;	/* 0: the host's view */
};

/* Runs the TUI until the user quits; returns an exit status (cli.h). */
int ui_main(const struct ui_opts *opts);

#endif
