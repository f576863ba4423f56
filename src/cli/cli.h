/* The command-line front end: one cli-*.c per verb. */
#ifndef NSTOP_CLI_H
#define NSTOP_CLI_H

#include <stdbool.h>
#include <sys/types.h>

#include "nstop/err.h"
#include "nstop/root.h"
#include "nstop/runtime.h"
#include "nstop/scan.h"

/* The limit options of run and update, in a getopt_long table: val for
 * each, and its name is what rt_limits_parse takes. */
#define CLI_LIMIT_OPTIONS(val)						\
	{ "memory", required_argument, NULL, (val) },			\
	{ "cpus", required_argument, NULL, (val) },			\
	{ "cpu-weight", required_argument, NULL, (val) },		\
	{ "cpuset", required_argument, NULL, (val) },			\
	{ "pids", required_argument, NULL, (val) }

/* Exit statuses, as in nstop(1). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

int cli_top(int argc, char **argv);	/* nstop [-b ...] */
int cli_ns(int argc, char **argv);
int cli_cgroups(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_freeze(int argc, char **argv);
int cli_thaw(int argc, char **argv);
int cli_update(int argc, char **argv);
int cli_move(int argc, char **argv);
int cli_exec(int argc, char **argv);
int cli_enter(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_kill(int argc, char **argv);
int cli_rm(int argc, char **argv);
int cli_images(int argc, char **argv);	/* cli-image.c */
int cli_image(int argc, char **argv);
int cli_volume(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_metrics(int argc, char **argv);

/* Another engine's containers (cli-engine.c). For a NAME nstop does not
 * keep: -1 when no other engine has it either, else the exit status after
 * refusing (or, with force, doing a freeze, thaw or kill by the kernel). For
 * a process: -1 when it is in no other engine's container or force is set,
 * else the exit status after refusing. */
int cli_engine_guard_name(const char *verb, const char *name, bool force, int sig);
int cli_engine_guard_pid(const char *verb, pid_t pid, bool force);

/* "nstop: <msg>" on stderr, one line. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage error of a verb: one line, and a hint to --help; returns 2. */
int cli_usage_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The usage error for what getopt_long returned as c ('?' or ':'), in one
 * line: optstrings begin with ':' and opterr is 0, so getopt says nothing. */
int cli_option_error(const char *verb, int c, char **argv);

/* rt_selfexe_seal for a verb about to start something inside namespaces:
 * CLI_OK once nstop runs from its sealed copy (the first call re-execs),
 * else CLI_FAIL after saying why in one line. */
int cli_seal(const char *verb);

/* libsmartcols loaded for a verb about to print a text table (it is loaded
 * with dlopen, include/nstop/scols.h): 0, else -1 after saying why in one
 * line. Called before the verb's work, so nothing is done in vain. */
int cli_tables(const char *verb);

int cli_parse_pid(const char *s, pid_t *out);
int cli_parse_seconds(const char *s, double *out);
int cli_parse_count(const char *s, long *out);

/* The process's runtime context (runtime.h), opened at the first call;
 * NULL, the error printed, when it cannot be. cli_runtime_close() once
 * the verb is done. */
struct rt_ctx *cli_runtime(void);
void cli_runtime_close(void);
/* A scan context on cli_runtime()'s root; prints the error itself. */
int cli_scan_open(struct scan_ctx **ctx);
/* One snapshot; prints the error itself. */
int cli_snapshot(struct scan_ctx *ctx, pid_t view_from, bool stats,
		 struct snapshot **snap);
/* One with stats and every namespace, also those only an open descriptor
 * holds (a network namespace that a veth leads into, say): what a
 * document that lists every namespace, -b -J's, needs. beside (NULL:
 * none) runs beside its last steps (scan.h). */
int cli_snapshot_all(struct scan_ctx *ctx, pid_t view_from, const struct scan_beside *beside,
		     struct snapshot **snap);
/* Takes one snapshot of the live host and hands it to print, which returns
 * an exit status. Returns print's status, or CLI_FAIL after saying why. */
int cli_one_snapshot(pid_t view_from, bool stats,
		     int (*print)(const struct snapshot *s, void *arg), void *arg);
/* "nstop VERSION" on stdout, for -V. */
void cli_version(void);

/* A listing's table of fixed columns, as lsns prints one: -r raw, -n
 * without headings. NULL when out of memory. */
struct libscols_table;
struct cli_column {
	const char *name;
	int flags;	/* SCOLS_FL_* */
};
struct libscols_table *cli_table_new(const struct cli_column *cols, size_t ncols, bool raw,
				     bool noheadings);

/* --list-columns as util-linux prints it: name, <type>, description, as
 * text, raw (-r) or JSON (-J) named table. Returns 0 or -ENOMEM. */
struct cli_colinfo {
	const char *name, *help;
	bool number;
};
int cli_list_columns_as(const char *table, bool json, bool raw,
			const struct cli_colinfo *ci, size_t n);

/* -o for a listing verb over one of output.h's tables: the columns, or
 * -1 after a usage error. */
struct out_table;
int cli_columns(const char *verb, const char *spec, const char *defaults,
		const struct out_table *t, const void **cols, size_t max);
/* --list-columns of that table. */
void cli_list_columns(const struct out_table *t);

#endif
