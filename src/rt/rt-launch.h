/*
 * Between the launch side's parts: rt-spawn.c (the caller and the monitor),
 * rt-init.c (pid 1 inside), rt-rootfs.c (the root), rt-security.c and
 * rt-exec.c, and the toolkit they share, rt-launch.c (joining cgroups, the
 * report channel, the environment, the terminal). Not for front ends, and not needed by rt-cgroup.c, rt-state.c
 * or rt-ops.c.
 */
#ifndef NSTOP_RT_LAUNCH_H
#define NSTOP_RT_LAUNCH_H

#include <signal.h>
#include <stdbool.h>

#include "rt-internal.h"

/*
 * Joining the container's cgroups without the cost of an RCU grace period:
 * a write of a pid to a v1 cgroup.procs (or of a whole process anywhere)
 * takes the global cgroup_threadgroup_rwsem for writing, which waits for
 * one; a thread writing "0" to a v1 "tasks" file moves itself without it.
 * So the caller opens the files (with its credentials, which the kernel
 * checks) and the new single-threaded child writes "0" to each. The v2
 * cgroup is entered at the clone itself (clone3 CLONE_INTO_CGROUP), or
 * where clone3 is missing, through cgroup.procs.
 */
struct rt_join {
	int tasks[CG_MAX_HIER];	/* O_WRONLY: each v1 hierarchy's "tasks" */
	int ntasks;
	int v2dir;		/* the v2 cgroup for CLONE_INTO_CGROUP, or -1 */
	int v2procs;		/* its cgroup.procs, for the fallback */
	bool v2joined;		/* the clone put the child there already */
};

/* rt-launch.c */
int rt_join_open(const struct rt_cg *cg, struct rt_join *j, struct nst_err *err);
/* fork() (flags: CLONE_NEW*) into j's v2 cgroup; 0 in the child. */
pid_t rt_join_clone(struct rt_join *j, unsigned long flags, struct nst_err *err);
/* In the child: into every v1 hierarchy (and v2 when the clone did not). */
int rt_join_self(struct rt_join *j, struct nst_err *err);
void rt_join_close(struct rt_join *j);

/* What the init needs, made by rt_run before the clone and copied with it. */
struct rt_launch {
	const struct rt_spec *spec;
	const char *name;
	const char *hostname;
	char state_dir[RT_PATH_MAX];	/* RT_STATE_DIR/NAME */
	const struct cg_layout *layout;	/* the hierarchies to mount inside */
	struct rt_join join;	/* the container's cgroups, joined first */
	int filter_rd;		/* the seccomp filter, from the parent */
	int go_rd;		/* the parent says 'm': id maps written (user
				 * namespace only) */
	int report_wr;		/* an nst_err when a step fails; EOF once the
				 * payload has exec'd (every copy is CLOEXEC) */
	bool foreground;	/* init dies with the process that waits for it */
	int parent_pidfd;	/* foreground: the pidfd of that process, to
				 * see whether it died before PDEATHSIG was armed */
	int tty;		/* rt_tty_foreground() of the caller: the payload
				 * takes the terminal's foreground */
	char **env;		/* the payload's (rt_env_build) */
};

/* rt-init.c: the init's whole life. Never returns. */
_Noreturn void rt_init_main(const struct rt_launch *l);

/* rt-rootfs.c: builds the container's root under l->state_dir/root and
 * pivots into it; the caller is in the new mount and cgroup namespaces. */
int rt_rootfs_setup(const struct rt_launch *l, struct nst_err *err);
/* The parent's part, before the clone: the directories the root is built
 * on (root, and the overlay's upper and work) in the state directory. The
 * init starts with the state directory as its working directory. */
int rt_rootfs_prepare(const struct rt_launch *l, struct nst_err *err);
/* --net none: lo up. */
int rt_net_loopback_up(struct nst_err *err);

/* rt-security.c: compiles the seccomp filter (once per process), so that
 * forked children only load it. rt_security_apply calls it when needed. */
int rt_security_prepare(struct nst_err *err);
/* The compiled filter through a pipe: the parent compiles and sends it
 * while the init builds the root, the init receives it (until EOF) and
 * applies it before it spawns the payload, so compiling is off the path to
 * the payload's start. */
int rt_security_send(int fd, struct nst_err *err);
int rt_security_receive(int fd, struct nst_err *err);

/* rt-launch.c: the environment of a payload or an exec'd command: the clean
 * one, with hostname, then extra (as rt_spec's env). NULL-terminated and
 * malloc'd (rt_env_free), or NULL with err set. */
char **rt_env_build(const char *hostname, char *const *extra, struct nst_err *err);
void rt_env_free(char **env);

/* rt-launch.c: the report channel between a child and its parent. A child
 * writes the nst_err of a failed step (or one with code 0: all is well);
 * the parent reads -code with err filled, 1 for all is well, 0 at EOF. */
void rt_report(int fd, const struct nst_err *err);
/*
 * Waits for pid, a child, with the signals of set blocked, passing on to it
 * each one sent to us by another process (the terminal's own signals reach
 * it by themselves); returns its status as a shell shows it.
 */
int rt_wait_forward(pid_t pid, const sigset_t *set);

/*
 * The terminal for a child in a pid namespace. A job-control shell there
 * cannot see the caller's process group: it could neither put itself in
 * the terminal's foreground nor give the terminal back when it exits
 * (dash says "Cannot set tty process group" and exits 2). So the child
 * gets a group of its own in the foreground, and the caller takes the
 * terminal back once it has ended, as a shell does with a job.
 *
 * rt_tty_foreground: stdin's fd when it is a terminal whose foreground is
 * our group (decided by the caller, before any clone), else -1.
 * rt_tty_give: in the child, before exec (fd -1: nothing).
 * rt_tty_take: in the caller, after the child ended (fd -1: nothing).
 */
int rt_tty_foreground(void);
void rt_tty_give(int fd);
void rt_tty_take(int fd);
int rt_report_read(int fd, struct nst_err *err);

#endif
