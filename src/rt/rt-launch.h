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
#include <termios.h>

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
/* run: the v2 hierarchy's files alone, for the clone; the v1 hierarchies
 * follow over the go socket once made (rt_join_send, rt_join_recv: the
 * word 'c' with their "tasks" files). */
int rt_join_open_v2(const struct rt_cg *cg, struct rt_join *j, struct nst_err *err);
int rt_join_send(int sock, const struct rt_cg *cg, struct nst_err *err);
int rt_join_recv(int sock, struct rt_join *j, struct nst_err *err);
/* fork() (flags: CLONE_NEW*) into j's v2 cgroup; 0 in the child. */
pid_t rt_join_clone(struct rt_join *j, unsigned long flags, struct nst_err *err);
/* In the child: into every v1 hierarchy (and v2 when the clone did not). */
int rt_join_self(struct rt_join *j, struct nst_err *err);
void rt_join_close(struct rt_join *j);

/*
 * rt-tty.c: the payload's own terminal (rt-tty.c says why and how). Planned
 * by the caller from its stdio before any fork; the fds are nstop's.
 */
struct rt_tty {
	unsigned slave_fds;	/* bit i: the caller's fd i is a terminal; the
				 * payload gets the pty's slave there */
	bool null_stdin;	/* stdin is a terminal of which we are not the
				 * foreground: the payload reads /dev/null */
	int in;			/* the caller's terminal relayed to the pty (made
				 * raw meanwhile), or -1 */
	int out;		/* where the pty's output goes, or -1 */
	int master;		/* nstop's end of the pty, or -1 */
	int slave;		/* exec, enter: the payload's end until the fork */
	int null;		/* /dev/null for null_stdin (exec, enter), or -1 */
	bool raw;		/* in is raw; saved is how it was */
	struct termios saved;
};

/* Decides from fds 0-2 (nothing opened); slave_fds 0: no terminal. */
void rt_tty_plan(struct rt_tty *t);
/* exec: a pty of the container's own devpts, through its root. */
int rt_tty_open_in(struct rt_tty *t, int rootfd, struct nst_err *err);
/* enter: a pty of the host's devpts. */
int rt_tty_open_host(struct rt_tty *t, struct nst_err *err);
/* exec, enter: /dev/null of the host for null_stdin. */
int rt_tty_open_null(struct rt_tty *t, struct nst_err *err);
/* exec, enter: in the child, before exec: a session of its own, the slave
 * as controlling terminal and stdio, /dev/null as stdin for null_stdin. */
int rt_tty_child(struct rt_tty *t, struct nst_err *err);
/* run: nstop's end of the pty the init sends over sock. */
int rt_tty_recv_master(struct rt_tty *t, int sock, struct nst_err *err);
/* run, in the init after the pivot: the pty from the container's
 * /dev/pts, its slave at /dev/console, the master sent over l->go_rd;
 * *slave is for the payload. */
struct rt_launch;
int rt_tty_console(const struct rt_launch *l, int *slave, struct nst_err *err);
/*
 * Relays between the caller's terminal and the master until child ends,
 * passing on the signals of set (blocked by the caller) sent to us, and
 * SIGWINCH as the pty's size; the caller's terminal is restored on the
 * way out. Returns child's status as a shell shows it.
 */
int rt_tty_relay(struct rt_tty *t, pid_t child, const sigset_t *set);
void rt_tty_close(struct rt_tty *t);

/* What the init needs, made by rt_run before the clone and copied with it. */
struct rt_launch {
	const struct rt_spec *spec;
	const char *name;
	const char *hostname;
	char state_dir[RT_PATH_MAX];	/* RT_STATE_DIR/NAME */
	const struct cg_layout *layout;	/* the hierarchies to mount inside */
	struct rt_join join;	/* the container's cgroups, joined first */
	int go_rd;		/* the parent says 'm': id maps written (user
				 * namespace only) */
	int report_wr;		/* an nst_err when a step fails; EOF once the
				 * payload has exec'd (every copy is CLOEXEC) */
	bool unshare_net;	/* the init unshares its network namespace */
	bool foreground;	/* init dies with the process that waits for it */
	int parent_pidfd;	/* foreground: the pidfd of that process, to
				 * see whether it died before PDEATHSIG was armed */
	struct rt_tty tty;	/* the caller's plan; a pty when slave_fds */
	char **env;		/* the payload's (rt_env_build) */
	const int *vol_tree;	/* per volume of spec: the store's volume's
				 * detached mount, to move in; -1 for a bind */
};

/* rt-init.c: the init's whole life. Never returns. */
_Noreturn void rt_init_main(const struct rt_launch *l);
/* rt-reaper.c: the init, made and hardened, becomes the reaper, which
 * spawns the payload (slave: the pty's, or -1) and reaps; on failure it
 * reports why on l->report_wr and exits 127. Never returns. */
_Noreturn void rt_reaper_exec(const struct rt_launch *l, int slave);
/* rt-launch.c, called by the init's rt_rootfs_setup before it mounts the
 * hierarchies: the init joins the cgroups the parent made meanwhile, then
 * unshares its cgroup namespace; as late as that, so that the two overlap,
 * and still before anything of the payload runs. */
int rt_join_late(const struct rt_launch *l, struct nst_err *err);

/* rt-rootfs.c: builds the container's root under l->state_dir/root and
 * pivots into it; the caller is in the new mount and cgroup namespaces. */
int rt_rootfs_setup(const struct rt_launch *l, struct nst_err *err);
/* The parent's part, before the clone: the directories the root is built
 * on (root, and the overlay's upper and work) in the state directory. The
 * init starts with the state directory as its working directory. */
int rt_rootfs_prepare(const struct rt_launch *l, struct nst_err *err);
/* rt-layers.c: the links STATE_DIR/l/N to each layer of a stacked rootfs
 * (parent side), and the overlay over them (init side); upper and work
 * only when overlay. */
int rt_layers_prepare(const struct rt_launch *l, struct nst_err *err);
int rt_layers_fs(const struct rt_launch *l, bool overlay, int *tree, struct nst_err *err);
/* --net none: lo up. */
int rt_net_loopback_up(struct nst_err *err);

/* rt-security.c: the seccomp filter, as the build generated it
 * (rt-seccomp-gen.c): what rt_security_apply loads, every process of nstop
 * holding it already. */
const struct sock_fprog *rt_security_filter(void);

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
 * each one sent to us, the terminal's too (nothing of a container shares
 * the caller's process group to get them itself); returns its status as a
 * shell shows it.
 */
int rt_wait_forward(pid_t pid, const sigset_t *set);
/* What every waiter (run's monitor, exec, nsenter) blocks and passes on:
 * the child's end, and the terminal's and a stopping system's signals. */
void rt_forward_sigset(sigset_t *set);

int rt_report_read(int fd, struct nst_err *err);

#endif
