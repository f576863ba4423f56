/*
 * Every engine's containers: which container a cgroup path belongs to
 * (Docker, containerd, Kubernetes, podman, LXC, systemd-nspawn, runc, crun
 * and nstop's own), the names the engines keep on disk, and one record per
 * container across all hierarchies with its usage and the limits set.
 *
 * Everything an engine wrote is untrusted: ids are checked against their
 * shape before they become a path component, names are only ever shown.
 */
#ifndef NSTOP_ENGINE_H
#define NSTOP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "nstop/cgroup.h"

enum eng_kind {
	ENG_DOCKER, ENG_CONTAINERD, ENG_KUBERNETES, ENG_PODMAN, ENG_LXC,
	ENG_NSPAWN, ENG_RUNC, ENG_CRUN, ENG_NSTOP, ENG_NKINDS
};

#define ENG_ID_MAX 128
#define ENG_NAME_MAX 256

/* "docker", "containerd", "kubernetes", ... as JSON names them. */
const char *eng_kind_name(enum eng_kind k);
/* The short form in engine:name ("k8s" for kubernetes). */
const char *eng_kind_label(enum eng_kind k);

/* What a cgroup path says about the container it lies in. */
struct eng_match {
	enum eng_kind kind;
	char id[ENG_ID_MAX];	/* full hex id, or the name where the path
				 * carries a name (LXC, nspawn, nstop) */
	char pod[64];		/* Kubernetes pod UID, "" unknown */
	size_t len;		/* path[0..len) is the container's own cgroup */
};

/*
 * The innermost container a cgroup path (as the host sees it) lies in, by
 * the engines' naming of their cgroups, for the cgroupfs and the systemd
 * drivers. False when the path names none (runc and crun are found from
 * their state directories instead).
 */
bool eng_match_cgroup(const char *path, struct eng_match *m);

/* systemd's unit-name unescaping ("\x2d" -> "-"), into out; false when
 * the result is not printable text. */
bool eng_unescape_unit(const char *in, size_t len, char *out, size_t size);

/* The limits and usage of one container's cgroups, merged across the
 * hierarchies. CG_UNKNOWN where no hierarchy gives it, CG_UNLIMITED for
 * "max". */
struct eng_usage {
	long long cpu_usage_usec;
	long long nr_periods, nr_throttled, throttled_usec;
	long long memory_bytes, memory_peak_bytes;
	long long memory_limit, memory_high, swap_limit;
	long long cpu_quota_usec, cpu_period_usec;
	long long cpu_weight;		/* v2 cpu.weight */
	long long cpu_shares;		/* v1 cpu.shares */
	long long pids_current, pids_limit;
	int frozen;			/* 1, 0, -1 unknown */
	char cpuset[128];		/* "" not set (inherits all) */
};

void eng_usage_clear(struct eng_usage *u);
/* Adds what one hierarchy's directory dir (below root->cg_fd) gives to u,
 * keeping values already known. root_cpuset: the hierarchy root's cpus,
 * to tell a v1 cpuset copied from the parent from one that was set. */
void eng_usage_read(const struct nst_root *root, const struct cg_hier *h,
		    const char *dir, struct eng_usage *u);
/* Parsers, on buffers: v2 or v1 cpu.stat's throttling. */
void eng_parse_cpu_stat(const char *buf, bool v2, struct eng_usage *u);

/* One container, over all hierarchies. */
struct eng_ctr {
	enum eng_kind kind;
	char *id;
	char *name;			/* from the engine's records, else the short id */
	char pod[64];
	char *cgroup[CG_MAX_HIER];	/* its cgroup per hierarchy, NULL: none */
	size_t nprocs;
	pid_t *pids;			/* host pids, ascending */
	pid_t init;			/* the top of its tree (eng_ctr_top); 0: none */
	const void *own;		/* nstop's own: its struct rt_state */
	struct eng_usage u;
	double cpu_percent;		/* < 0 unknown */
	double throttled_percent;	/* < 0 unknown */
	bool paused;
};

/* What a view shows of a container (engine-ctr.c): nstop's own from its
 * recorded state (c->own), another engine's from the kernel. */
const char *eng_ctr_name(const struct eng_ctr *c);
bool eng_ctr_foreign(const struct eng_ctr *c);		/* not nstop's own */
pid_t eng_ctr_pid(const struct eng_ctr *c);		/* 0: none */
int eng_ctr_exit_code(const struct eng_ctr *c);		/* -1: not exited */
bool eng_ctr_frozen(const struct eng_ctr *c);		/* frozen, or paused */
const char *eng_ctr_cgroup(const struct eng_ctr *c);	/* "" none */
long long eng_ctr_memory_limit(const struct eng_ctr *c);	/* -1 none */
double eng_ctr_cpus(const struct eng_ctr *c);		/* 0 no limit */
/* nstop's own by name, another engine's as engine:name (in buf). */
const char *eng_ctr_ref(const struct eng_ctr *c, char *buf, size_t size);
/* Quota over period; < 0 when there is no quota. */
double eng_usage_cpus(const struct eng_usage *u);

/* The text engine:name ("docker:web"). */
void eng_ctr_label(const struct eng_ctr *c, char *buf, size_t size);
/* "running", "paused", or (nstop's own) its runtime state. */
const char *eng_ctr_state(const struct eng_ctr *c);
/* The engine's own command for what nstop refused ("docker pause web"),
 * for verb "freeze", "thaw", "update", "kill", "rm", "move". */
void eng_ctr_hint(const struct eng_ctr *c, const char *verb, char *buf,
		  size_t size);

/* ---- the engines' records on disk ------------------------------------- */

/*
 * Where the records are read: host_fd is the host's "/" (a fixture tree in
 * tests); docker_roots the data roots of the running dockerds
 * (/var/lib/docker when none says otherwise).
 */
struct eng_disk {
	int host_fd;
	size_t ndocker_roots;
	char docker_roots[4][256];
};

/*
 * Reads a regular file below dirfd without following any symlink on the
 * way, without blocking, at most cap bytes (-EFBIG beyond). *out is
 * malloc'd and NUL-terminated. Returns the length or -errno.
 */
long eng_read_file(int dirfd, const char *relpath, size_t cap, char **out);

/* The name an engine keeps for a container, into name; false when it has
 * no readable record. */
bool eng_disk_name(const struct eng_disk *d, enum eng_kind kind,
		   const char *id, char *name, size_t size);

/* A runc or crun container from its state directory. */
struct eng_state_ent {
	enum eng_kind kind;
	char id[ENG_ID_MAX];
	pid_t pid;
	unsigned long long start_tics;	/* 0 unknown */
};
/* Lists /run/runc and /run/crun below host_fd into a malloc'd array. */
int eng_state_dirs(int host_fd, struct eng_state_ent **out, size_t *n);
/* Parsers of their state files, on buffers. */
bool eng_parse_runc_state(const char *buf, struct eng_state_ent *e);
bool eng_parse_crun_status(const char *buf, struct eng_state_ent *e);

/* True when s is a container id of the engines' hex shape (64 hex). */
bool eng_is_hex_id(const char *s, size_t len);
/* True for ids of runc, crun and containerd ([A-Za-z0-9][A-Za-z0-9_.+-]*,
 * at most ENG_ID_MAX - 1). */
bool eng_is_plain_id(const char *s);

#endif
