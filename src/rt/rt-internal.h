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
/* rt_cg_create in two steps, so that a launch clones its init into the v2
 * cgroup (CLONE_INTO_CGROUP) first and makes the rest while the init builds
 * its root: the v2 cgroup alone (none on a v1-only host), then every v1 one,
 * the v2 cgroup's device program where no v1 devices controller is, and
 * the limits. On failure what was made stays open in cg: the caller
 * destroys it (after the processes it put there). */
int rt_cg_create_v2(struct rt_ctx *ctx, const char *name, struct rt_cg *cg,
		    struct nst_err *err);
int rt_cg_create_v1(struct rt_cg *cg, const struct rt_limits *l, struct nst_err *err);
/* Opens an existing container's cgroups. */
int rt_cg_open(struct rt_ctx *ctx, const char *name, struct rt_cg *cg,
	       struct nst_err *err);
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
/* val written to an open cgroup file: 0 or -errno (-EIO when cut short). */
int rt_cg_write_fd(int fd, const char *val);
/* A small cgroup file, without its final newline; length or -errno. */
long rt_cg_read(int dirfd, const char *file, char *buf, size_t size);

/* The device allow-list as a BPF_PROG_TYPE_CGROUP_DEVICE program (a
 * cgroup2 host's devices controller): its length in p, or 0 when it does
 * not fit in max or cannot hold the list. */
#define RT_DEVICES_PROGRAM_MAX 32
struct bpf_insn;
size_t rt_devices_program(struct bpf_insn *p, size_t max);

/* ---- rt-limits.c: each limit where its controller is ------------------- */

/* Writes the limits that are set in l (validated before anything is written). */
int rt_cg_set_limits(struct rt_cg *cg, const struct rt_limits *l, struct nst_err *err);
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

/* A JSON string of any bytes (non-UTF-8 as the text \\xNN). */
json_t *rt_json_text(const char *s);
/* rm -rf of name below parent (whose device is dev), never following a
 * symlink nor crossing into another mount; top names it in errors (err may
 * be NULL). */
int rt_remove_tree(int parent, const char *name, dev_t dev, const char *top,
		   struct nst_err *err);

/* ---- rt-volume.c: a run's volumes ------------------------------------------ */

struct rt_vol_run {
	int store;				/* RT_DATA_DIR/volumes, or -1 */
	int lock;				/* its lock, held until the state names them */
	char names[RT_MAX_VOLUMES][RT_VOLUME_NAME_MAX + 1];	/* "" for a bind */
	bool made[RT_MAX_VOLUMES];		/* made by this run: undone on failure */
	int tree[RT_MAX_VOLUMES];		/* the detached mount of each, or -1 */
};

void rt_vol_run_init(struct rt_vol_run *vr);
/* The volumes' names: a named one's as given, an anonymous one's made up. */
int rt_vol_run_names(struct rt_vol_run *vr, const struct rt_spec *s, struct nst_err *err);
/* Takes the store's lock, makes the volumes that are missing and opens
 * each one's mount for the init; on failure the caller undoes. */
int rt_vol_run_prepare(struct rt_vol_run *vr, const struct rt_spec *s, struct nst_err *err);
/* The mounts as the state records them (a bind's source as resolved). */
int rt_vol_run_mounts(const struct rt_vol_run *vr, const struct rt_spec *s,
		      char *out, size_t size, struct nst_err *err);
/* The mounts' fds, once the init has its copies. */
void rt_vol_run_trees_close(struct rt_vol_run *vr);
/* Success: the lock let go. Failure: the volumes this run made removed. */
void rt_vol_run_done(struct rt_vol_run *vr);
void rt_vol_run_undo(struct rt_vol_run *vr);
/* With a container's removal: the anonymous volumes its state names,
 * unless another container uses one too. */
int rt_vol_remove_anonymous(struct rt_ctx *ctx, const struct rt_state *st, struct nst_err *err);

/* ---- rt-parse.c ------------------------------------------------------- */

/* rt_parse_cpuset against a given list of online cpus ("0-3\n"). */
int rt_parse_cpuset_in(const char *s, const char *online, char *out, size_t size,
		       struct nst_err *err);

/* ---- rt-ops.c ---------------------------------------------------------- */

/* rt_rm for a caller that holds the container's lock already (the monitor
 * of a --rm container). The lock file goes with the state; the caller still
 * closes its fd. The anonymous volumes go too unless keep_volumes. */
int rt_rm_locked(struct rt_ctx *ctx, const char *name, bool force, bool keep_volumes,
		 struct nst_err *err);

/* ---- rt-spawn.c, rt-rootfs.c, rt-security.c ------------------------------- */

/*
 * Applies the container's hardening to the calling process: the bounding
 * and other capability sets cut to the container's set, no_new_privs, and
 * the seccomp filter. Used by init for the payload and by rt_exec.
 */
int rt_security_apply(struct nst_err *err);

#endif
