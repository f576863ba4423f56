/*
 * The scan: kernel -> an immutable snapshot of every process, grouped by
 * namespace and by cgroup, with each cgroup path as the host, the process's
 * own cgroup namespace and (optionally) a chosen process's namespace see it.
 */
#ifndef NSTOP_SCAN_H
#define NSTOP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "nstop/cgroup-stats.h"
#include "nstop/engine.h"
#include "nstop/err.h"
#include "nstop/ns.h"
#include "nstop/procstat.h"
#include "nstop/root.h"
#include "nstop/runtime.h"

/* A process's cgroup in one hierarchy. NULL: unknown. */
struct scan_cgref {
	char *path;		/* as the host (nstop's own namespace) sees it */
	char *ns_path;		/* as the process's own cgroup namespace sees it */
	char *view_path;	/* as the --view-from process's namespace sees it */
};

struct scan_proc {
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	char user[33];
	char comm[64];
	char *cmdline;			/* NULL: unknown or a kernel thread */
	char state;			/* '?' unknown */
	unsigned long long tics;	/* utime + stime */
	unsigned long long start_tics;
	long long rss_bytes;		/* -1 unknown */
	long nthreads;			/* 0 unknown */
	unsigned long long run_ns;	/* its main thread's time on a cpu, 0 unknown */
	double cpu_percent;		/* < 0 unknown */
	/* NS_NTYPES inodes, 0 unknown, in the snapshot's nsrefs block, maybe
	 * shared with the processes of the same namespaces and cgroups. */
	ino_t *ns;
	/* status's isolation facts, from the scan's read of the file (for the
	 * user): the isolation report's, so it reads status no second time */
	bool status_known;
	/* read in full by this snapshot (new, ran, or its periodic turn):
	 * its namespaces, user and command line are this snapshot's */
	bool fresh;
	struct nst_status status;
	/* One per hierarchy of the snapshot's layout (layout.n of them, in the
	 * snapshot's cgrefs block, maybe shared with other processes): a host
	 * has 1 to CG_MAX_HIER hierarchies, and thousands of processes paid
	 * for sixteen. */
	struct scan_cgref *cg;
	const char *container;		/* nstop's own container's name; NULL: none */
	const struct eng_ctr *ctr;	/* any engine's container; NULL: none */
};

struct scan_ns {
	enum ns_type type;
	ino_t inode;
	size_t nprocs;
	pid_t *pids;		/* ascending */
	ino_t parent;		/* user and pid namespaces; 0 unknown or none */
	ino_t owner;		/* the owning user namespace; 0 unknown */
	pid_t first;		/* lowest pid in it, as lsns's PID column; 0: none */
	/* Where it is bind-mounted (ip netns add), each as its mount
	 * namespace shows the path, without repeats; NULL when nowhere. */
	char **names;
	size_t nnames;
	bool held_fd;		/* an open file descriptor holds it */
	/* With no process in it: its nsfs file, as a path under /proc
	 * ("PID/root/MOUNT" or "PID/fd/N") through which it can be entered;
	 * NULL otherwise. What it leads to is checked when opened. */
	char *held_at;
	uid_t owner_uid;	/* its owning user namespace's creator; -1 unknown */
	int netnsid;		/* net: our net namespace's id for it, as ip
				 * shows link-netnsid; SCAN_NETNSID_* */
};

#define SCAN_NETNSID_UNASSIGNED (-1)	/* the kernel's NETNSA_NSID_NOT_ASSIGNED */
#define SCAN_NETNSID_UNKNOWN (-2)

struct scan_cgroup {
	int hier;		/* index into the layout */
	char *path;		/* as the host sees it */
	char *view_path;	/* with --view-from, NULL otherwise */
	int depth;		/* 0 for the hierarchy's root */
	size_t nprocs;		/* processes directly in it */
	struct cg_stats st;
	/* The memory limit that bites: the smallest known one of it and its
	 * ancestors, in bytes; CG_UNKNOWN when none is known. */
	long long memory_limit_effective;
	double cpu_percent;	/* < 0 unknown */
};

struct snapshot {
	/* Its holders: the caller, and the scan context until its next
	 * snapshot (which compares with this one); snapshot_free drops one. */
	unsigned refs;
	struct timespec time;		/* CLOCK_REALTIME when taken */
	double monotonic;		/* seconds, for rates */
	char hostname[65];
	long ncpu;
	double loadavg[3];
	bool privileged;		/* running as root with CAP_SYS_ADMIN */
	struct cg_layout layout;
	ino_t own_cgns;			/* nstop's own cgroup namespace */

	size_t nprocs;
	struct scan_proc *procs;	/* ascending pid */
	/* Every process's cg, ncgvec vectors of layout.n entries in one
	 * block, shared by processes with the same ones and the same
	 * namespaces (read only). */
	struct scan_cgref *cgrefs;
	ino_t *nsrefs;			/* the ns, ncgvec vectors of NS_NTYPES */
	size_t ncgvec;
	size_t nns;
	struct scan_ns *ns;		/* by type, then inode */
	size_t ncgroups;
	struct scan_cgroup *cgroups;	/* per hierarchy, depth first, by name */
	/* Their own files were not read (scan_opts.cgroup_stats off): every
	 * value of every cgroup is unknown. */
	bool cgroup_stats_unread;

	pid_t view_from;		/* 0: none */
	ino_t view_cgns;
	/* Per hierarchy, the view's namespace root; NULL when undetermined. */
	char *view_root[CG_MAX_HIER];

	bool containers_known;		/* false: the runtime's state unreadable */
	size_t ncontainers;
	struct rt_state *containers;	/* nstop's own, by name (live roots only) */

	/* Isolation, read on demand when a front end attaches a context
	 * (not owned: the front end keeps it across snapshots). */
	struct iso_ctx *iso;
	/* Every engine's containers, nstop's own included (these point into
	 * containers[]), one per container across all hierarchies, each with
	 * its member pids (live roots only). */
	size_t nctrs;
	struct eng_ctr *ctrs;
};

struct scan_opts {
	pid_t view_from;	/* 0: none */
	bool cgroup_ns_paths;	/* ns_path and view_path (may fork a helper) */
	bool cgroup_tree;	/* walk the hierarchies: cgroups[] */
	bool cgroup_stats;	/* and read their files */
	/*
	 * Bounded staleness, for a view refreshed every second: what changes
	 * only when a process runs (namespaces, user, command line) is read
	 * again only when it ran or at the latest every tenth snapshot, its
	 * cgroup file every third unless it ran, and without cgroup_stats the
	 * hierarchies are walked every fifth. Off: everything is read every time.
	 */
	bool incremental;
	/* Also the namespaces only an open file descriptor holds (every
	 * process's fds, as lsns reads them); bind-mounted ones and the net
	 * namespaces' ids are always read. */
	bool ns_held_fds;
	/* The caller's work beside the snapshot's last steps (NULL: none). */
	const struct scan_beside *beside;
};

/*
 * Work of a front end's on the processes, run in a thread of its own once
 * every process is read, while the snapshot groups the namespaces and reads
 * the held ones, the cgroup trees and the containers (in line where no
 * thread can start); done before scan_snapshot returns. fn may read s's
 * layout and each process's pid, comm, uid, state, start time, status,
 * namespaces and cgroup paths, which those steps leave as they are, and
 * nothing else of s.
 */
struct scan_beside {
	void (*fn)(const struct snapshot *s, void *arg);
	void *arg;
};

struct scan_ctx;
struct rt_ctx;

int scan_ctx_new(const struct nst_root *root, struct scan_ctx **ctx,
		 struct nst_err *err);
/* A context on the runtime context's live root and cgroup layout (both
 * borrowed: rt outlives the scan), whose snapshots name nstop's own
 * containers through rt_list(rt). */
int scan_ctx_open_live(struct rt_ctx *rt, struct scan_ctx **ctx, struct nst_err *err);
void scan_ctx_free(struct scan_ctx *ctx);
const struct cg_layout *scan_ctx_layout(const struct scan_ctx *ctx);

/*
 * Takes a snapshot. Rates (cpu_percent) are over the interval since the
 * previous snapshot of ctx; in the first one a process's is its average over
 * its lifetime, as ps shows, and a cgroup's is unknown.
 */
int scan_snapshot(struct scan_ctx *ctx, const struct scan_opts *opts,
		  struct snapshot **out, struct nst_err *err);
/* Drops the caller's hold: freed once the context no longer holds it. */
void snapshot_free(struct snapshot *snap);
/* Fills each cgroup's memory_limit_effective from the limits read, with
 * cgroups[] depth first per hierarchy, as the scan leaves it (a level the
 * array skips takes its nearest ancestor's). 0 or -ENOMEM. */
int scan_effective_limits(struct snapshot *snap);

/* Fills snap's containers from the runtime's state and names each process's
 * container (scan_snapshot does it on a live root); none when the state
 * cannot be read. */
void scan_containers(struct rt_ctx *rt, struct snapshot *snap);

/* One /proc/PID/stat buffer (NUL-terminated) into p's comm, state, ppid,
 * tics, start_tics, nthreads and rss_bytes; false when it is not one.
 * Exposed for tests and the fuzzers. */
bool scan_stat_parse(char *buf, struct scan_proc *p, long pagesize);

const struct scan_proc *snapshot_find_proc(const struct snapshot *snap, pid_t pid);
const struct scan_ns *snapshot_find_ns(const struct snapshot *snap,
				       enum ns_type type, ino_t inode);

#endif
