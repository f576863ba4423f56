/*
 * Inside the scan: the context that carries what the previous snapshot knew
 * from one snapshot to the next, and the steps scan_snapshot (scan.c) takes,
 * one file per section: processes (scan-procs.c), namespaces and cgroup
 * namespaces (scan-ns.c), the cgroup trees (scan-cgroups.c).
 */
#ifndef NSTOP_SCAN_INTERNAL_H
#define NSTOP_SCAN_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "nstop/cgns.h"
#include "nstop/scan.h"

struct pids_info;

/*
 * What the previous snapshot knew of a process is read from that snapshot
 * itself, held by the context (snapshot.refs) until the next one is taken. A
 * process's namespaces, user and command line change only when the process
 * itself runs (setns, unshare, setuid, exec), so for one that has not run
 * since, they are taken from there instead of being read again: at
 * thousands of sleeping processes, the eight ns links, status and cmdline
 * are most of a scan's cost. (A copy of it, 312 bytes a process, was most
 * of the view's heap after the snapshot the view holds anyway.)
 */

/* A process that ran for less than a clock tick shows no new tics: every
 * process is read in full at least once in this many snapshots anyway
 * (a different tenth of them each time). */
#define SCAN_FULL_EVERY 10
/* A single-threaded process whose schedstat did not move has not run at all:
 * nothing of this can have changed, and the periodic read is a safety net. */
#define SCAN_IDLE_EVERY 60
/* Another process can move a sleeping one to another cgroup: its cgroup file
 * is read at least once in this many snapshots (a third of them each time). */
#define SCAN_CG_EVERY 3

struct prev_cg {
	int hier;
	char *path;
	long long usage_usec;
};

/*
 * A process's stat, schedstat and cgroup files, kept open across incremental
 * snapshots (the fds are bounded by RLIMIT_NOFILE): a read at
 * offset 0 makes proc generate the file again, so each refresh costs one
 * pread instead of open, read and close. An fd stays with the process it was
 * opened for: once that one is gone, the read fails (ESRCH) and a process
 * that reused the pid is opened anew.
 */
struct proc_fds {
	pid_t pid;
	int stat_fd;		/* -1: not open */
	int cg_fd;
	int sched_fd;
};

/* A namespace's parent and owner do not change while it exists. */
struct ns_rel {
	enum ns_type type;
	ino_t inode, parent, owner;
};

/* A cgroup as the last walk of the hierarchies found it. */
struct tree_ent {
	int hier;
	int depth;
	char *path;
};

/* The hierarchies are walked at least once in this many incremental
 * snapshots when the cgroups' own files are not read. */
#define SCAN_TREE_EVERY 5
/* fds left to the rest of the program when the files above are kept open. */
#define SCAN_FD_RESERVE 256

struct scan_ctx {
	const struct nst_root *root;
	struct rt_ctx *rt;		/* live scans: nstop's own containers */
	struct eng_state *eng;		/* every engine's containers, between snapshots */
	struct cg_layout layout;
	struct cgns_cache cgns;
	ino_t own_cgns;
	long hz;
	long pagesize;
	struct pids_info *pids;		/* libproc2, once a live scan needed it */
	unsigned long nsnap;		/* snapshots taken */

	bool have_prev;
	double prev_time;
	double prev_cg_time;		/* when prev_cg was read: stats may skip snapshots */
	struct snapshot *last;		/* the previous snapshot, held; NULL */
	struct prev_cg *prev_cg;
	size_t nprev_cg;

	bool incremental;		/* this snapshot's opts->incremental */
	struct proc_fds *fds;		/* ascending pid */
	size_t nfds, fds_cap;
	struct proc_fds *new_fds;	/* being filled by this snapshot */
	size_t nnew_fds, new_fds_cap;
	size_t nopen, max_open;		/* fds kept open, and the most that may be */
	bool fd_limit_set;
	struct ns_rel *nsrel;		/* by type, then inode */
	size_t nnsrel;
	struct tree_ent *tree;
	size_t ntree;
	unsigned long tree_snap;	/* nsnap of the walk tree[] came from */
	struct scan_user {		/* user names looked up (scan-own.c) */
		uid_t uid;
		char name[33];
	} *users;
	size_t nusers;
	/* The cgroup paths of the process read last, held (scan_str): the
	 * next one is most often in the same cgroups, and shares them. */
	char *last_cg[CG_MAX_HIER];
	/* The last path shown relative to a namespace's root, per hierarchy:
	 * (path, root) -> rel, each held. */
	struct scan_rel_memo {
		char *path, *root, *rel;
	} last_rel[2][CG_MAX_HIER];
	/* Each mount namespace's nsfs mounts (scan-nsheld.c), kept between
	 * the incremental scan's snapshots. */
	struct mnt_holds *mnt_holds;
	size_t nmnt_holds;
};

/*
 * A process's cgroup paths (path, ns_path, view_path; the previous
 * snapshot's copies too) are shared strings with a count of holders: the
 * processes of one cgroup hold one string, not one each, in this snapshot
 * and the last. Thousands of processes held three copies each of ten
 * paths: most of the view's heap. Freed by scan_str_unref only.
 */
char *scan_str_new(const char *s);
char *scan_str_ref(char *s);
void scan_str_unref(char *s);
/* A held copy of s: last's when it is the same string (and last then
 * holds this one). */
char *scan_str_share(char **last, const char *s);

/* scan-cgrefs.c: the processes' cgroup entries, one block a snapshot. */
int scan_cgrefs_alloc(struct snapshot *s);
void scan_cgrefs_share(struct snapshot *s);
void scan_cgrefs_clear(struct scan_cgref *v, int nhier);
void scan_cgrefs_free(struct snapshot *s);

/* scan-procs.c: every process of the proc root, read in full only when it
 * ran (libproc2 on a live root, the directory on a fixture tree). */
void scan_fds_limit_raise(struct scan_ctx *ctx);
void scan_fds_commit(struct scan_ctx *ctx);
/* A /proc entry that is a process: digits only. */
bool scan_is_pid_name(const char *s);
/* A snapshot that reads every process reads them by parts, up to this many
 * threads (scan-procs.c). */
#define SCAN_PARTS 4
/* The processes of the proc root, with their namespaces and cgroups (and
 * their descriptors, for fds); those that vanished meanwhile dropped; in pid
 * order. */
struct scan_fd_walk;
int scan_procs(struct scan_ctx *ctx, struct snapshot *s, double uptime,
	       struct scan_fd_walk *fds, struct nst_err *err);
int scan_cmp_pid(const void *a, const void *b);
/* scan-own.c: libproc2's placeholder for an empty command line (scan-procs.c
 * asks it of libproc2's answers; the dependency runs one way, procs -> own) */
bool scan_cmdline_is_placeholder(const char *cmdline, const char *comm);
/* scan-own.c: p's user and command line where they need no libproc2: 0,
 * 1 when libproc2 is to read them, or -ENOMEM. */
int scan_proc_own_full(struct scan_ctx *ctx, struct scan_proc *p);

/* scan-ns.c: the namespaces the processes are in, their parents and owners,
 * and the roots of the cgroup namespaces, for paths as each namespace sees
 * them. */
int scan_group_namespaces(struct scan_ctx *ctx, struct snapshot *s);
/* The roots of the snapshot's cgroup namespaces not yet known, asked of a
 * helper that works beside the rest of the scan; _finish (which must follow
 * a start, also when the scan fails: *job may be NULL) waits for it. */
struct scan_cgns;
int scan_cgns_start(struct scan_ctx *ctx, struct snapshot *s, struct scan_cgns **job);
int scan_cgns_finish(struct scan_ctx *ctx, struct scan_cgns **job);
int scan_relative_dup(const char *path, const char *root, char **out);
int scan_relative_paths(struct scan_ctx *ctx, struct snapshot *s);
/* scan-nsheld.c: the namespaces held by a bind mount (and, given the walk of
 * every process's descriptors, by an open descriptor) added to s->ns with no
 * process, their names, and the net namespaces' ids. The walk is begun
 * before the process scan, whose parts read each process's descriptors
 * (scan_fd_walk_pid, part: the part's number); scan_held_namespaces ends it,
 * frees it and sets *fds to NULL; scan_fd_walk_free does when the scan
 * fails before. A NULL walk: none. */
struct scan_fd_walk;
struct scan_fd_walk *scan_fd_walk_start(struct scan_ctx *ctx);
void scan_fd_walk_pid(struct scan_fd_walk *w, int part, pid_t pid);
void scan_fd_walk_free(struct scan_fd_walk *w);
int scan_held_namespaces(struct scan_ctx *ctx, struct snapshot *s, struct scan_fd_walk **fds);
void scan_mnt_holds_free(struct scan_ctx *ctx);

/* scan-cgroups.c: the cgroup hierarchies walked, with their files read. */
void scan_remember_cgroups_none(struct scan_ctx *ctx);
void scan_remember_cgroups(struct scan_ctx *ctx, const struct snapshot *s);
void scan_tree_clear(struct scan_ctx *ctx);
/* The walk of the trees starts with the snapshot and runs beside the
 * process scan; scan_build_cgroups ends it (and sets *tree to NULL) and
 * counts each cgroup's processes; scan_cgtree_free ends it when the scan
 * fails before. A NULL walk (out of memory) fails the build. */
struct scan_cgtree;
struct scan_cgtree *scan_cgtree_start(struct scan_ctx *ctx, struct snapshot *s, bool stats);
void scan_cgtree_free(struct scan_cgtree *t);
int scan_build_cgroups(struct scan_ctx *ctx, struct snapshot *s, struct scan_cgtree **tree);
int scan_cgroup_view_paths(struct snapshot *s);

#endif
