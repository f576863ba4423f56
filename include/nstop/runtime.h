/*
 * The runtime core: nstop's own containers. Nothing here knows about
 * curses; the command-line verbs and the TUI call these same functions.
 *
 * A container NAME is a cgroup RT_CGROUP_PARENT/NAME in every mounted
 * hierarchy, new mnt, pid, uts, ipc, net and cgroup namespaces (user on
 * request), a root, and a state directory RT_STATE_DIR/NAME/ whose
 * state.json is written atomically and changed only under its lock.
 */
#ifndef NSTOP_RUNTIME_H
#define NSTOP_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>

#include "nstop/cgroup.h"
#include "nstop/err.h"
#include "nstop/root.h"

#define RT_STATE_DIR "/run/nstop"
/* What outlives a boot: the image store (RT_DATA_DIR/images) and the
 * volumes (RT_DATA_DIR/volumes), each made 0700 by the area that owns it. */
#define RT_DATA_DIR "/var/lib/nstop"
#define RT_CGROUP_PARENT "/nstop"
#define RT_NAME_MAX 63
#define RT_MAX_VOLUMES 32
#define RT_PATH_MAX 4096
#define RT_MAX_LAYERS 128
/* What a state records of its volumes, at most (rt_run refuses more). */
#define RT_MOUNTS_TEXT 16384
/* The least --memory a container starts with. Its init was OOM-killed at
 * start-up at 256 KiB and started at 512 KiB (x86-64, cgroup v1 memory);
 * v2 also charges the kernel memory of the new namespaces and mounts, and
 * the payload needs room too: 4 MiB, below Docker's floor of 6 MiB. */
#define RT_MEMORY_MIN (4LL << 20)

/* ---- the runtime context ------------------------------------------------ */

/*
 * What every operation needs and none should find again: the live root
 * (/proc and /sys/fs/cgroup, opened once), the cgroup layout (read from
 * mountinfo once) and the state directory. A front end opens one per
 * process and passes it to every rt_* call that touches a container and to
 * the live scan, as crun passes its libcrun context: a list of N containers
 * no longer re-reads the mount table N times.
 */
struct rt_ctx {
	struct nst_root root;
	struct cg_layout layout;
	char state_dir[256];		/* RT_STATE_DIR */
};

int rt_ctx_open(struct rt_ctx *ctx, struct nst_err *err);
void rt_ctx_close(struct rt_ctx *ctx);

/* ---- limits and the parsers shared by the CLI and the TUI's forms ------ */

/* -1 (or "" for cpuset) means unset: not written at run, kept by update. */
struct rt_limits {
	int64_t memory_bytes;
	int64_t cpu_quota_us;		/* with cpu_period_us */
	int64_t cpu_period_us;
	int64_t cpu_weight;		/* 1..10000, the v2 scale; v1 shares derived */
	char cpuset[128];		/* "0-1,3" */
	int64_t pids_max;
};

void rt_limits_init(struct rt_limits *l);

/* Each returns 0, or -EINVAL (-ERANGE) with err saying why in one line. */
int rt_name_check(const char *name, struct nst_err *err);
/* --net bridge:NAME's NAME: 1..15 of letters, digits, '_', '.', '-'. */
int rt_bridge_name_check(const char *name, struct nst_err *err);
/* --net netns:NAME's NAME, as `ip netns add` takes it: 1..NAME_MAX bytes,
 * printable, no '/', not "." or "..". */
int rt_netns_name_check(const char *name, struct nst_err *err);
#define RT_BRIDGE_DEFAULT "nstop0"
int rt_parse_cpus(const char *s, int64_t *quota_us, int64_t *period_us,
		  struct nst_err *err);						/* 0.2, 2 */
int rt_parse_cpu_weight(const char *s, int64_t *weight, struct nst_err *err);
int rt_parse_cpuset(const char *s, char *out, size_t size, struct nst_err *err);
int rt_parse_pids(const char *s, int64_t *pids, struct nst_err *err);
/* One limit by the name run's and update's options give it ("memory",
 * "cpus", "cpu-weight", "cpuset", "pids"), parsed into l. */
int rt_limits_parse(struct rt_limits *l, const char *name, const char *s, struct nst_err *err);
int rt_parse_signal(const char *s, int *sig, struct nst_err *err);	/* 9, KILL, SIGKILL */

/* ---- what to run ------------------------------------------------------ */

/* Where a mount comes from: a host path, a volume of nstop's by name, or
 * one made for the container alone (removed with it). */
enum rt_volume_kind { RT_VOL_BIND, RT_VOL_NAMED, RT_VOL_ANON };

struct rt_volume {
	enum rt_volume_kind kind;
	const char *src;	/* borrowed: the host path, the volume's name, NULL */
	const char *dst;
	bool ro;
};

/* --rootfs DIR or A:B:C (overlay lower layers, the leftmost on top): each
 * a directory, resolved, joined by ':' into out; with overlay or more than
 * one layer no ',', ':' or '\\' in a resolved path. The front ends' check. */
int rt_rootfs_resolve(const char *spec, bool overlay, char *out, size_t size,
		      struct nst_err *err);
size_t rt_rootfs_nlayers(const char *rootfs);

/* Docker's rule for a volume's name, [a-zA-Z0-9][a-zA-Z0-9_.-]*; the name
 * becomes one directory below RT_DATA_DIR/volumes, so it is never a path. */
#define RT_VOLUME_NAME_MAX 128
int rt_volume_name_check(const char *name, struct nst_err *err);

/* "/DST[:ro]" (anonymous), "NAME:/DST[:ro]" (named), "/SRC:/DST[:ro]" (a
 * host path, which must exist); s is modified in place and borrowed. */
int rt_parse_volume(char *s, struct rt_volume *v, struct nst_err *err);

/* none: a loopback of its own; host: the host's; netns: one `ip netns add`
 * made (net_name); container: another container's (net_name); bridge: its
 * own, with a veth pair to the bridge net_name. */
enum rt_net { RT_NET_NONE, RT_NET_HOST, RT_NET_NETNS, RT_NET_CONTAINER, RT_NET_BRIDGE };

/* "none", "host", "netns:NAME", "container:NAME", "bridge[:NAME]": *name
 * borrowed from s (NULL for none and host), checked as a netns, container
 * or interface name. */
int rt_parse_net(const char *s, enum rt_net *mode, const char **name,
		 struct nst_err *err);
/* "none", "host", "netns", "container". */
const char *rt_net_name(enum rt_net mode);
#define RT_NET_LAST RT_NET_BRIDGE

struct rt_spec {
	const char *name;		/* NULL: one is made up */
	const char *rootfs;		/* NULL: the host's / read-only; DIR,
					 * or A:B:C stacked (A on top) */
	bool overlay;			/* a writable layer over rootfs */
	struct rt_volume volumes[RT_MAX_VOLUMES];
	size_t nvolumes;
	const char *hostname;		/* NULL: the name */
	struct rt_limits limits;
	enum rt_net net;
	const char *net_name;		/* netns or container: which */
	bool nat;			/* bridge: masquerading for its subnet */
	bool userns;			/* a user namespace ... */
	uid_t userns_uid;		/* ... whose 0 is this host uid, */
	gid_t userns_gid;		/* this host gid, */
	unsigned userns_count;		/* for this many ids */
	bool detach;			/* output to RT_STATE_DIR/NAME/log */
	bool remove;			/* --rm: nothing left when it ends */
	char *const *argv;		/* the payload; argv[0] looked up in PATH */
	/* The payload's environment is a clean one (PATH, HOME=/root,
	 * HOSTNAME, container=nstop, the caller's TERM), then these:
	 * NULL-terminated "NAME=VALUE", or "NAME" for the caller's value;
	 * NULL: none. */
	char *const *env;
	const char *workdir;		/* the payload's, made when missing; NULL: / */
	bool user_set;			/* the payload runs as uid:gid (no extra */
	uid_t uid;			/* groups), without capabilities unless 0 */
	gid_t gid;
};

void rt_spec_init(struct rt_spec *spec);

/*
 * The runtime's own rules, without side effects (paths are looked at, never
 * changed), for rt_run and for front ends that check as the user types:
 * 0, or -errno with err saying why (err->usage when the request can never
 * be right as given). resolved (RT_PATH_MAX bytes) receives the real path.
 */
/* A command, or none in a detached (idle) container. */
int rt_check_command(char *const *argv, bool detach, struct nst_err *err);
int rt_check_hostname(const char *hostname, struct nst_err *err);
/* --nat only with --net bridge. */
int rt_check_nat(enum rt_net net, bool nat, struct nst_err *err);
/* rootfs NULL: the host's root (then no overlay). */
int rt_check_rootfs(const char *rootfs, bool overlay, char resolved[RT_PATH_MAX],
		    struct nst_err *err);
/* v's source, and its target: absolute, and with the host's read-only root
 * (rootfs NULL) there already and of the source's kind, or under /tmp, /dev. */
int rt_check_volume(const struct rt_volume *v, const char *rootfs,
		    char resolved[RT_PATH_MAX], struct nst_err *err);

/*
 * Makes and starts a container. In the foreground it returns when the
 * payload ends, with *exit_status as a shell shows it (128 + signal);
 * detached it returns once the payload runs, *exit_status 0. name_out
 * receives the name either way (RT_NAME_MAX + 1 bytes). On failure nothing
 * is left behind: no cgroup, mount, process or state file.
 */
int rt_run(struct rt_ctx *ctx, const struct rt_spec *spec, int *exit_status,
	   char *name_out, struct nst_err *err);

/* ---- state ------------------------------------------------------------ */

/* CREATING and BROKEN are never written, only listed: a state directory
 * or cgroups under nstop's name without a valid state.json, one a run still
 * makes (its lock is held) or one left half made (rm -f removes it). */
enum rt_status { RT_CREATED, RT_RUNNING, RT_FROZEN, RT_EXITED, RT_CREATING, RT_BROKEN };

struct rt_state {
	char name[RT_NAME_MAX + 1];
	enum rt_status status;		/* refreshed from the kernel on load */
	pid_t pid;			/* init (pid 1 inside) on the host; 0 once gone */
	pid_t monitor;			/* the process that waits for init */
	/* Start times (field 22 of /proc/PID/stat, 0 when not known) of init
	 * and the monitor: a pid alone may have been reused since. */
	unsigned long long pid_start;
	unsigned long long monitor_start;
	struct timespec created;
	struct timespec finished;	/* 0 while running */
	int exit_code;			/* -1 until exited; 128 + signal */
	char rootfs[RT_PATH_MAX];	/* "" for the host's / */
	bool overlay;
	bool detached;
	bool remove;
	bool userns;
	enum rt_net net;
	char net_name[256];		/* netns or container: which */
	char hostname[65];
	char cgroup[RT_PATH_MAX];	/* "/nstop/NAME" in every hierarchy */
	char command[1024];		/* the payload's argv, space-joined */
	struct rt_limits limits;
	/* The volumes, as state.json's "mounts" array in compact JSON text
	 * ("" for none): {type: bind|volume|anonymous, name, source,
	 * destination, ro}. Text, so that the state stays one flat struct. */
	char mounts[RT_MOUNTS_TEXT];
};

const char *rt_status_name(enum rt_status status);	/* "running", ... */

/*
 * Reads RT_STATE_DIR/NAME/state.json and refreshes status from the kernel:
 * a container whose init is gone is exited, never running (a stale state
 * whose monitor died too is recognised and marked so); frozen comes from
 * the freezer. -ENOENT with "no such container: NAME".
 */
int rt_state_load(struct rt_ctx *ctx, const char *name, struct rt_state *st,
		  struct nst_err *err);

/* Every container, by name, also the half made ones (creating, broken:
 * a state directory without a valid state.json, or cgroups alone). *out
 * is malloc'd (free()). */
int rt_list(struct rt_ctx *ctx, struct rt_state **out, size_t *n, struct nst_err *err);

/* As `nstop list -J` and the snapshot's containers[]: name, state, pid,
 * created, rootfs, limits, exit_code (and a little more). */
json_t *rt_state_json(const struct rt_state *st);

/* The container a host cgroup path (in any hierarchy) belongs to, written
 * to name (RT_NAME_MAX + 1 bytes); false when none. */
bool rt_container_of_cgroup(const char *path, char *name);

/* ---- operations --------------------------------------------------------- */

/*
 * Freeze or thaw, and wait up to timeout seconds for the kernel to confirm
 * (v1 freezer.state FROZEN, retried while FREEZING; v2 cgroup.events
 * frozen 1). -ETIMEDOUT says so.
 */
int rt_freeze(struct rt_ctx *ctx, const char *name, bool freeze, double timeout,
	      struct nst_err *err);
/* The same in two steps, for a front end that must keep drawing: begin
 * writes, check says whether the kernel confirms yet (retrying FREEZING). */
int rt_freeze_begin(struct rt_ctx *ctx, const char *name, bool freeze,
		    struct nst_err *err);
int rt_freeze_check(struct rt_ctx *ctx, const char *name, bool freeze, bool *done,
		    struct nst_err *err);

/* Changes the limits that are set in l; every value is checked before any
 * is written. A memory limit below the usage: -EBUSY, said so. */
int rt_update(struct rt_ctx *ctx, const char *name, const struct rt_limits *l,
	      struct nst_err *err);
/* Moves pid into the container's cgroup in every hierarchy. */
int rt_move(struct rt_ctx *ctx, pid_t pid, const char *name, struct nst_err *err);
/*
 * Runs argv (NULL: the shell) inside every namespace of the container, in
 * its root, with its capabilities and seccomp filter, with the caller's
 * terminal; returns when it ends, *exit_status as rt_run's.
 */
int rt_exec(struct rt_ctx *ctx, const char *name, char *const argv[], int *exit_status,
	    struct nst_err *err);
/* Whether a container in state st can be entered (running, not frozen). */
int rt_exec_check(const struct rt_state *st, struct nst_err *err);
/* The same with env over the clean environment, as rt_spec's env. */
int rt_exec_env(struct rt_ctx *ctx, const char *name, char *const argv[],
		char *const env[], int *exit_status, struct nst_err *err);
int rt_kill(struct rt_ctx *ctx, const char *name, int sig, struct nst_err *err);
/* Removes a container: a running one only with force (thawed, killed,
 * rmdir retried while EBUSY); every cgroup, mount and state file. */
int rt_rm(struct rt_ctx *ctx, const char *name, bool force, struct nst_err *err);
/*
 * rm -f in two steps, for a front end that must keep drawing (as freeze's):
 * begin removes at once what runs no more (*done), else thaws a frozen one
 * (a v1 task keeps a SIGKILL pending while frozen) and sends its init
 * SIGKILL; check says whether it has stopped and, once it has, removes it
 * (*done). A --rm container that took itself away is done too.
 */
int rt_rm_begin(struct rt_ctx *ctx, const char *name, bool *done, struct nst_err *err);
int rt_rm_check(struct rt_ctx *ctx, const char *name, bool *done, struct nst_err *err);
/* The same; its anonymous volumes go with it unless keep_volumes. */
int rt_rm_volumes(struct rt_ctx *ctx, const char *name, bool force, bool keep_volumes,
		  struct nst_err *err);

/* ---- volumes: RT_DATA_DIR/volumes/NAME/{_data,volume.json} (rt-volume.c) -- */

struct rt_volume_info {
	char name[RT_VOLUME_NAME_MAX + 1];
	bool anonymous;
	struct timespec created;
	char path[RT_PATH_MAX];		/* the _data directory that is mounted */
	long long size_bytes;		/* -1: not measured, or not measurable */
	char *users;			/* malloc'd "a,b": containers whose state names it */
};

/* Makes a named volume; one that exists already is no error (as docker
 * volume create). */
int rt_volume_create(const char *name, struct nst_err *err);
/* Removes a volume no container uses (-EBUSY names them otherwise), under
 * the store's lock, so that no run can take it up meanwhile. */
int rt_volume_rm(struct rt_ctx *ctx, const char *name, struct nst_err *err);
/* One volume, or every one (sizes: each one's size measured); the users
 * are the containers rt_list finds through ctx. */
int rt_volume_inspect(struct rt_ctx *ctx, const char *name, bool size,
		      struct rt_volume_info *info, struct nst_err *err);
int rt_volume_list(struct rt_ctx *ctx, struct rt_volume_info **out, size_t *n, bool sizes,
		   struct nst_err *err);
void rt_volume_info_clear(struct rt_volume_info *info);
void rt_volume_list_free(struct rt_volume_info *v, size_t n);
/* A state's volumes as a JSON array (new reference; [] for none). */
json_t *rt_state_mounts_json(const struct rt_state *st);

/* ---- any process's namespaces, as nsenter -t PID ------------------------ */

/* The namespace types, as bits; RT_NS_ALL is every one. */
enum {
	RT_NS_MNT = 1 << 0, RT_NS_NET = 1 << 1, RT_NS_PID = 1 << 2, RT_NS_UTS = 1 << 3,
	RT_NS_IPC = 1 << 4, RT_NS_CGROUP = 1 << 5, RT_NS_USER = 1 << 6, RT_NS_TIME = 1 << 7,
	RT_NS_ALL = (1 << 8) - 1,
};

#define RT_NS_NTYPES 8

/* "mnt", "net", "pid", "uts", "ipc", "cgroup", "user", "time": the type
 * whose bit is 1 << i. */
const char *rt_ns_name(int i);
/* A comma list of those names, or "all", to bits (usage errors in err). */
int rt_ns_parse(const char *list, unsigned *types, struct nst_err *err);

/* A namespace as stat() shows its /proc/PID/ns link; ino 0: the kernel has
 * no such type. */
struct rt_ns_id {
	dev_t dev;
	ino_t ino;
};
/* pid's namespaces (0: the caller's), by RT_NS_* bit position. Fails with
 * ESRCH, EPERM (a kernel thread: none to enter), EACCES. */
int rt_ns_ids(pid_t pid, struct rt_ns_id ids[RT_NS_NTYPES], struct nst_err *err);
/* pid's hostname, as its uts namespace has it. */
int rt_ns_hostname(pid_t pid, char *buf, size_t size, struct nst_err *err);
/* The types in which pid's namespace differs from the caller's, in *types. */
int rt_ns_differ(pid_t pid, unsigned *types, struct nst_err *err);
/*
 * Runs argv (NULL: a shell) in pid's namespaces of the given types - the
 * ones the caller already shares are skipped, as nsenter does - with the
 * caller's terminal, credentials, capabilities, environment and cgroup:
 * unlike rt_exec nothing of the target's confinement applies. With mnt, in
 * the target's root and / (the shell: its /bin/sh); with user, as its root
 * (uid 0 there). A type this kernel lacks is an error unless types is
 * RT_NS_ALL ("every one there is"). Returns when it ends, *exit_status as
 * rt_run's.
 */
int rt_nsenter(pid_t pid, unsigned types, char *const argv[], int *exit_status,
	       struct nst_err *err);
/* The same with nsenter's other options. */
struct rt_nsenter_opts {
	pid_t pid;		/* whose namespaces, root and cwd; 0: none */
	unsigned types;		/* of pid's (RT_NS_*) */
	bool all;		/* types is "every one this kernel has" */
	/* By RT_NS_* bit position: a namespace file to enter instead
	 * (/run/netns/NAME, /proc/PID/ns/net), or NULL. */
	const char *file[RT_NS_NTYPES];
	bool preserve_creds;	/* with user: keep our uid and gid */
	/* NULL: none (with mnt of pid, its root); "": pid's; else a directory
	 * as the caller sees it */
	const char *root, *wd;
};
int rt_nsenter_with(const struct rt_nsenter_opts *o, char *const argv[], int *exit_status,
		    struct nst_err *err);

/* ---- the binary itself (rt-selfexe.c) ---------------------------------- */

/* Keeps main()'s argv (before getopt permutes it) for rt_selfexe_seal. */
void rt_selfexe_init(int argc, char **argv);
/*
 * Before anything is started inside a container's namespaces: unless nstop
 * already runs from a sealed memfd, copies its binary into one, seals it and
 * re-execs it with the same argv and environment (so it does not return on
 * success the first time). Returns 0 once sealed; -errno (err: why) when no
 * sealed copy can be made, and then nothing may be started.
 */
int rt_selfexe_seal(struct nst_err *err);
/* size bytes of a program (the reaper) in a memfd named name, sealed as
 * the copy of nstop is: its fd (close-on-exec) or -errno. */
int rt_selfexe_image(const void *image, size_t size, const char *name, struct nst_err *err);

#endif
