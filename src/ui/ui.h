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

/*
 * A row of the Containers view. The runtime lives on another branch: whoever
 * wires it calls ui_containers_set() with what rt_list() gives, each refresh.
 */
struct ui_container {
	char name[64];
	char state[16];		/* "running", "frozen", "stopped" */
	pid_t pid;		/* 0: none */
	long long memory_limit;	/* bytes, -1 none */
	double cpus;		/* 0: no limit */
	char cgroup[256];	/* its cgroup path as the host sees it */
	int exit_code;		/* once exited: as a shell shows it; -1 unknown */
	/* Every engine's (src/engine): another engine's is shown, never
	 * changed (the actions say its engine's command instead). */
	bool foreign;
	int kind;		/* enum eng_kind */
	char id[72];
	size_t nprocs;
	double cpu_percent;	/* < 0 unknown */
	double throttled_percent;
	long long memory, memory_peak;	/* bytes, < 0 unknown */
	long long pids_limit;	/* -1 unknown, CG_UNLIMITED max */
	char cpuset[32];	/* "" not set */
	char weight[16];
};

struct ui_state;
/* Copies n containers into the view (n 0: the view says how to start one). */
int ui_containers_set(struct ui_state *ui, const struct ui_container *c, size_t n);

#endif
