/*
 * Isolation: what a process (and a container, the union of its processes)
 * shares with the host and what it may do, read from the outside in the
 * kernel's own files: /proc/PID/status, attr/current, uid_map, ns/,
 * mountinfo and root/, and the devices cgroup. Read only when asked for:
 * a front end attaches an iso_ctx to the snapshot, and facts are read for
 * the processes it looks up, once per generation.
 */
#ifndef NSTOP_ISO_H
#define NSTOP_ISO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "nstop/err.h"
#include "nstop/procstat.h"
#include "nstop/root.h"

struct snapshot;
struct eng_ctr;
struct scan_proc;

/* The exposures, in the order they are listed (worst first). */
enum iso_x {
	ISO_X_PRIVILEGED, ISO_X_ENGINE_SOCKET, ISO_X_HOST_ROOT, ISO_X_CAP_SYS_MODULE,
	ISO_X_CAP_SYS_ADMIN, ISO_X_WRITABLE_SYS, ISO_X_WRITABLE_PROC_SYS,
	ISO_X_ALL_DEVICES, ISO_X_HOST_PID, ISO_X_CAP_SYS_PTRACE, ISO_X_HOST_NET,
	ISO_X_CAP_DAC_READ_SEARCH, ISO_X_CAP_NET_ADMIN, ISO_X_HOST_MNT,
	ISO_X_HOST_USER, ISO_X_HOST_IPC, ISO_X_NO_SECCOMP, ISO_X_HOST_CGROUP,
	ISO_X_HOST_UTS, ISO_X_NO_NEW_PRIVS_OFF,
	ISO_NX
};

enum iso_severity { ISO_LOW, ISO_MEDIUM, ISO_HIGH };

struct iso_exposure {
	const char *id;		/* stable: scripts and filters use it */
	const char *why;	/* one sentence */
	enum iso_severity severity;
};
extern const struct iso_exposure iso_exposures[ISO_NX];
/* The exposure named id, or -1. */
int iso_exposure_find(const char *id);

enum iso_devices {
	ISO_DEV_UNKNOWN,	/* not readable here */
	ISO_DEV_ALL,		/* v1 "a *:* rwm", or v2 with no device program */
	ISO_DEV_LIST,		/* v1: an allow-list */
	ISO_DEV_BPF,		/* v2: a device program decides (rules not read) */
};

/* What a mount namespace shows, read once per namespace. */
struct iso_mnt {
	bool known;
	bool host_root;		/* the host's / is mounted somewhere in it */
	bool host_root_rw;	/* ... and some such mount is read-write */
	char host_root_at[256];	/* where (the first such mount) */
	char socket[256];	/* an engine's API socket reachable there, or "" */
	int proc_sys_rw;	/* /proc/sys mounted read-write: 1, 0, -1 unknown */
	int sys_rw;		/* /sys likewise */
};

struct iso_facts {
	pid_t pid;
	char comm[64];
	bool status_known;
	uint64_t cap_eff, cap_bnd;
	int no_new_privs;	/* -1 unknown */
	int seccomp;		/* 0 disabled, 1 strict, 2 filter, -1 unknown */
	int seccomp_filters;	/* -1 unknown */
	bool lsm_known;		/* false: no LSM (or unreadable): null */
	char lsm[256];
	/* The host uid root inside maps to; -1 with no user namespace of its
	 * own (root_unmapped when it has one and root is not mapped). */
	long long root_outside;
	bool root_unmapped;
	unsigned host_ns;	/* bit t: its namespace of type t is the host's */
	unsigned ns_known;	/* bit t: that could be told */
	struct iso_mnt mnt;
	enum iso_devices devices;
	uint32_t x;		/* bit e: exposure e */
};

/* A container's: the union over its processes. */
struct iso_union {
	uint32_t x;		/* held by any member */
	uint32_t all;		/* held by every member */
	const struct iso_facts *main;	/* the lowest pid's facts: its caps... */
	size_t n;
	const struct iso_facts **members;	/* ascending pid, caller's array */
};

/* ---- parsers, on buffers ------------------------------------------------ */

/* CapEff, CapBnd, NoNewPrivs, Seccomp, Seccomp_filters of a status file. */
int iso_parse_status(const char *buf, struct iso_facts *f);
/* The same facts, as the scan parsed them already (status_known set). */
void iso_status_set(struct iso_facts *f, const struct nst_status *st);
/* The outside id of inside id 0 in a uid_map: 0 and *out, or -ENOENT when
 * 0 is not mapped. *identity: the map is the whole range onto itself (the
 * initial user namespace's). */
int iso_parse_uid_map(const char *buf, long long *out, bool *identity);
/* The mount namespace's facts from its mountinfo (modified in place), given
 * the host's / mount (its major:minor and root). Sockets are found by name
 * here (a bind of docker.sock anywhere); iso_read also looks at the known
 * paths through /proc/PID/root. */
void iso_parse_mountinfo(char *buf, const char *host_dev, const char *host_root,
			 struct iso_mnt *m);
/* v1 devices.list: true when it allows every device ("a *:* rwm"). */
bool iso_parse_devices_list(const char *buf);

/* ---- capabilities ------------------------------------------------------ */

/* All capabilities the kernel knows (bits 0..cap_last_cap). */
uint64_t iso_caps_all(void);
/* Docker's default set. */
uint64_t iso_caps_docker(void);
/* "all", "docker-default", "none" or the names, comma-separated. */
void iso_caps_text(uint64_t caps, char *buf, size_t size);
/* Names in lower case without "cap_", as libcap spells them. */
json_t *iso_caps_json(uint64_t caps);

/* The exposures the facts show (fills f->x). */
void iso_expose(struct iso_facts *f);

/* ---- reading ----------------------------------------------------------- */

struct iso_ctx;

/*
 * Finds the host's initial namespaces (kthreadd's, see nstop(1)) and the
 * host's / mount. Fails when neither can be read.
 */
int iso_ctx_new(const struct nst_root *root, struct iso_ctx **out,
		struct nst_err *err);
void iso_ctx_free(struct iso_ctx *ctx);
/* A new snapshot: facts older than max_age generations are read again
 * (0: every time). */
void iso_ctx_begin(struct iso_ctx *ctx, unsigned max_age);
/* The host's initial namespaces: bit t set when known, inode in ino[t]. */
unsigned iso_ctx_host_ns(const struct iso_ctx *ctx, ino_t ino[8]);
/* A process's facts, read now or from this generation's cache. NULL when
 * it vanished or nothing of it could be read. */
const struct iso_facts *iso_proc(struct iso_ctx *ctx, const struct snapshot *s,
				 const struct scan_proc *p);
/* Reads into f (for tests and inspect). */
int iso_read(struct iso_ctx *ctx, const struct snapshot *s,
	     const struct scan_proc *p, struct iso_facts *f, struct nst_err *err);

/* ---- a container ------------------------------------------------------- */

/* The union of members (n > 0, ascending pid). */
void iso_union_of(const struct iso_facts **members, size_t n, struct iso_union *u);

/*
 * In a snapshot: a container is the pids of its members, from the snapshot's
 * engine model (snap->ctrs[], every engine's). NAME is engine:name, an nstop
 * container's name, another engine's name, or an id or a unique hex prefix of
 * it; NULL (0 pids) when none or more than one container is so named.
 */
const struct eng_ctr *iso_container_find(const struct snapshot *s, const char *name);
size_t iso_container_pids(const struct snapshot *s, const char *name, pid_t **out);
/* The facts of those pids that could be read, into *out (free()). */
size_t iso_members(struct iso_ctx *ctx, const struct snapshot *s, const pid_t *pids,
		   size_t n, const struct iso_facts ***out);
json_t *iso_container_json(struct iso_ctx *ctx, const struct snapshot *s,
			   const pid_t *pids, size_t n);
json_t *iso_container_name_json(struct iso_ctx *ctx, const struct snapshot *s,
				const char *name);
/* The union's exposures of container name; false when none of it was read. */
bool iso_container_summary(struct iso_ctx *ctx, const struct snapshot *s,
			   const char *name, uint32_t *x);

/* ---- output ------------------------------------------------------------- */

/* The JSON contract of nstop(1): processes[].isolation. */
json_t *iso_json(const struct iso_facts *f);
/* containers[].isolation: the main process's facts, the union's exposures,
 * each with "pids" when not every member has it. */
json_t *iso_union_json(const struct iso_union *u);
/* "3 host-root", "0", or "-" unknown; the worst's severity in *sev. */
void iso_summary(uint32_t x, bool known, char *buf, size_t size, int *sev);
/* The report as text, as nstop inspect prints it. */
void iso_text_write(const struct iso_facts *f, FILE *out);
void iso_union_text_write(const struct iso_union *u, FILE *out);
/* One line of text per fact and exposure, for the detail pane: calls fn
 * with each line and its severity (-1: a fact). */
void iso_lines(const struct iso_facts *f,
	       void (*fn)(const char *line, int sev, void *arg), void *arg);

#endif
