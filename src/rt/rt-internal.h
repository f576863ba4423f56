/*
 * Between the parts of the runtime core: rt-cgroup.c and rt-state.c (the
 * container's cgroups and its state directory) serve rt-spawn.c, rt-exec.c
 * and rt-ops.c. Not for front ends.
 */
#ifndef NSTOP_RT_INTERNAL_H
#define NSTOP_RT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nstop/cgroup.h"
#include "nstop/err.h"
#include "nstop/root.h"
#include "nstop/runtime.h"

/* ---- rt-cgroup.c: one cgroup RT_CGROUP_PARENT/NAME per hierarchy --------- */

struct rt_cg {
	const struct nst_root *root;	/* the context's, borrowed */
	const struct cg_layout *layout;
	char path[RT_PATH_MAX];		/* "/nstop/NAME" */
	int dirfd[CG_MAX_HIER];		/* -1 where not made */
};

/*
 * Makes the cgroup in every mounted hierarchy (the parent too, with v1
 * cpuset.cpus/mems filled from its own parent, and on v2 the controllers
 * enabled down to it), the v1 devices allow-list, then the limits of l, each
 * in whichever hierarchy holds its controller. On failure removes all it
 * made. -EEXIST when the cgroup is there already.
 */
int rt_cg_create(struct rt_ctx *ctx, const char *name, const struct rt_limits *l,
		 struct rt_cg *cg, struct nst_err *err);
/* Opens an existing container's cgroups. */
int rt_cg_open(struct rt_ctx *ctx, const char *name, struct rt_cg *cg,
	       struct nst_err *err);
/* Writes the limits that are set in l (validated before anything is written). */
int rt_cg_set_limits(struct rt_cg *cg, const struct rt_limits *l, struct nst_err *err);
/* Puts pid into the cgroup of every hierarchy. */
int rt_cg_attach(struct rt_cg *cg, pid_t pid, struct nst_err *err);
/* fn for the name of each cgroup below RT_CGROUP_PARENT in any hierarchy
 * (a name may come once per hierarchy); stops at fn's first error. With
 * no cgroups to look at, 0. */
int rt_cg_each_name(struct rt_ctx *ctx, int (*fn)(const char *name, void *arg), void *arg);
/* How many processes the OOM killer took in the cgroup; -1 unknown. */
long long rt_cg_oom_kills(struct rt_cg *cg);
/* True when the freezer reports the cgroup frozen. */
bool rt_cg_frozen(struct rt_cg *cg);
/* Thaws, kills every process in it, waits, and rmdirs it everywhere
 * (retrying EBUSY); the parent /nstop stays. */
int rt_cg_destroy(struct rt_cg *cg, struct nst_err *err);
void rt_cg_close(struct rt_cg *cg);
/* The hierarchy holding controller (v1 or v2), or -1. */
int rt_cg_find(const struct rt_cg *cg, const char *controller);
/* The hierarchy that freezes: v1's freezer where mounted, else v2's
 * cgroup.freeze (*v2 true); -1 when neither. */
int rt_cg_freezer(const struct rt_cg *cg, bool *v2);
/* One write of val to a cgroup file below dirfd; 0 or -errno. */
int rt_cg_write(int dirfd, const char *file, const char *val);
/* A small cgroup file, without its final newline; length or -errno. */
long rt_cg_read(int dirfd, const char *file, char *buf, size_t size);
/* v1 cpu.shares for a v2 cpu.weight (100 <-> 1024, as systemd scales). */
int64_t rt_weight_to_shares(int64_t weight);

/* ---- rt-state.c: RT_STATE_DIR/NAME/ ------------------------------------ */

#define RT_LOCK_SUFFIX ".lock"	/* RT_STATE_DIR/NAME.lock */

/*
 * Takes the container's lock (flock on RT_STATE_DIR/NAME.lock), waiting
 * for another nstop that holds it. With create, the state directory is
 * made, and -EEXIST ("a container named NAME exists") when it is there.
 * Returns the lock's fd or -errno.
 */
int rt_lock(struct rt_ctx *ctx, const char *name, bool create, struct nst_err *err);
void rt_unlock(int lockfd);
/* Writes state.json atomically (a temporary file, fsync, rename). */
int rt_state_write(struct rt_ctx *ctx, const struct rt_state *st, struct nst_err *err);
/* state.json as written, not refreshed from the kernel. */
int rt_state_read(struct rt_ctx *ctx, const char *name, struct rt_state *st,
		  struct nst_err *err);
/* A lock file left without its state directory (a run killed between the
 * two) is removed when no one holds it; true when it was. */
bool rt_lock_remove_stale(struct rt_ctx *ctx, const char *name);
/* Removes the whole state directory and the lock file. */
int rt_state_remove(struct rt_ctx *ctx, const char *name, struct nst_err *err);
/* RT_STATE_DIR/NAME/FILE (file NULL: the directory) into buf. */
const char *rt_state_path(const struct rt_ctx *ctx, const char *name, const char *file,
			  char *buf, size_t size);

/* The start time of pid (field 22 of /proc/PID/stat, in clock ticks after
 * boot): with the pid it names one process, whatever reuses the pid later.
 * -ENOENT when pid is gone. */
int rt_proc_start_time(pid_t pid, unsigned long long *start);
/* True when pid is alive and, when start is not 0, still the process that
 * started then. */
bool rt_proc_alive(pid_t pid, unsigned long long start);

/* A pidfd of the container's init once verified: alive, the recorded start
 * time, in the container's own cgroups. -ESRCH said in err otherwise. Act
 * through it (pidfd_send_signal, setns) and nothing else is reached. */
int rt_pid_open_verified(const struct rt_state *st, struct nst_err *err);

/* The state file's document (every field) and back; for rt_state_write,
 * rt_state_read and the tests' round trip. */
json_t *rt_state_file_json(const struct rt_state *st);
int rt_state_from_json(json_t *doc, struct rt_state *st, struct nst_err *err);
/* A state with every field empty: no pid, exit_code -1, limits unset. */
void rt_state_init(struct rt_state *st);

/* ---- rt-parse.c ------------------------------------------------------- */

/* rt_parse_cpuset against a given list of online cpus ("0-3\n"). */
int rt_parse_cpuset_in(const char *s, const char *online, char *out, size_t size,
		       struct nst_err *err);

/* ---- rt-ops.c ---------------------------------------------------------- */

/* rt_rm for a caller that holds the container's lock already (the monitor
 * of a --rm container). The lock file goes with the state; the caller still
 * closes its fd. */
int rt_rm_locked(struct rt_ctx *ctx, const char *name, bool force, struct nst_err *err);

/* ---- rt-spawn.c, rt-rootfs.c, rt-security.c ------------------------------- */

/*
 * Applies the container's hardening to the calling process: the bounding
 * and other capability sets cut to the container's set, no_new_privs, and
 * the seccomp filter. Used by init for the payload and by rt_exec.
 */
int rt_security_apply(struct nst_err *err);

#endif
