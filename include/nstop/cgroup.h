/*
 * Cgroup hierarchies, per-process membership, the path arithmetic of
 * cgroup_namespaces(7), and the formats of the cgroup files, for v1, v2 and
 * hybrid: the kernel's facts that the scan and the runtime share. The
 * statistics the scan gathers from them are in cgroup-stats.h.
 */
#ifndef NSTOP_CGROUP_H
#define NSTOP_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nstop/err.h"
#include "nstop/root.h"

#define CG_MAX_HIER 16
#define CG_PATH_MAX 4096

enum cg_mode { CG_MODE_UNKNOWN, CG_MODE_V1, CG_MODE_V2, CG_MODE_HYBRID };

struct cg_hier {
	int id;			/* as in /proc/PID/cgroup; 0 for cgroup2 */
	bool v2;
	char controllers[256];	/* as /proc/PID/cgroup names them: "cpu,cpuacct",
				 * "name=systemd"; for cgroup2 the root's
				 * cgroup.controllers, space-separated */
	char mount[512];	/* absolute mount point */
	char dir[512];		/* the mount point relative to the root's cg_fd */
	char mnt_root[512];	/* the cgroup shown at the mount point, usually "/" */
};

struct cg_layout {
	enum cg_mode mode;
	int n;
	struct cg_hier h[CG_MAX_HIER];
};

const char *cg_mode_name(enum cg_mode mode);

/*
 * Finds every mounted hierarchy below root->cg_path from the proc root's
 * self/mountinfo (the last mount on a mount point wins, and a mount hides
 * what was mounted below it before), numbers them from self/cgroup, and
 * names the mode. On a live root, statfs() of the cgroup root must agree.
 */
int cg_layout_discover(const struct nst_root *root, struct cg_layout *layout,
		       struct nst_err *err);

/* Parses mountinfo text (modified in place) into layout's hierarchies,
 * without ids; exposed for tests. */
int cg_layout_from_mountinfo(char *mountinfo, const char *cg_path,
			     struct cg_layout *layout);

/* True when name (a mount option) names a v1 controller or a named
 * hierarchy ("name=systemd"). */
bool cg_is_controller_opt(const char *opt);

/* True when a controller list (names separated by ',', ' ' or a newline:
 * a hierarchy's controllers, cgroup.controllers, cgroup.subtree_control)
 * names ctl. */
bool cg_has_controller(const char *list, const char *ctl);

/* The controller options of a v1 mount's super options, comma-joined
 * ("rw,xattr,name=systemd" -> "name=systemd"); cut at size. */
void cg_v1_controllers(const char *superopts, char *out, size_t size);

/* Index of the hierarchy a /proc/PID/cgroup record belongs to (id 0 for
 * cgroup2; id -1 matches v1 by controllers alone), or -1. */
int cg_layout_find(const struct cg_layout *layout, int id,
		   const char *controllers);

/*
 * Calls fn for every record of a /proc/PID/cgroup buffer (modified in
 * place). Returns -EINVAL on a malformed record.
 */
int cg_parse_proc_cgroup(char *buf,
			 int (*fn)(int id, const char *controllers,
				   const char *path, void *arg),
			 void *arg);

/*
 * path as seen from a cgroup namespace whose root (in the same hierarchy)
 * is ns_root, both as one viewer sees them: the part below ns_root when path
 * lies inside it, otherwise one "/.." for each level from ns_root up to the
 * common ancestor followed by the rest, exactly as the kernel prints it.
 * Returns 0, or -ENAMETOOLONG.
 */
int cg_path_relative(const char *path, const char *ns_root, char *out,
		     size_t size);

/*
 * The root of a cgroup namespace, from one member's path as the host sees it
 * (host) and as the namespace itself shows it (inside). Returns 0, or
 * -ENOENT when inside climbs out of the root ("/.."), which leaves the root
 * undetermined.
 */
int cg_root_from_views(const char *host, const char *inside, char *out,
		       size_t size);

/* The directory of cgroup path (as this viewer sees it) below root->cg_fd,
 * or -ENOENT when it lies outside what the hierarchy's mount shows. */
int cg_dir_of(const struct cg_hier *h, const char *path, char *out,
	      size_t size);

/* CG_UNKNOWN: the kernel does not give it here; CG_UNLIMITED: the limit
 * is "max". */
#define CG_UNKNOWN (-1LL)
#define CG_UNLIMITED (-2LL)

/* One cgroup directory's files, read one at a time into buf (dir "." is
 * the hierarchy's root): the stats and the engines' usage share it. */
struct cg_file_reader {
	const struct nst_root *root;
	const char *dir;
	char buf[4096];
};

/* Reads dir/name into r->buf; false when the kernel does not give it. */
bool cg_file_read(struct cg_file_reader *r, const char *name);

/* Parsers of the stat files, on buffers. */
/* A number or "max" (CG_UNLIMITED); v1's page-rounded "no limit" too. */
int cg_parse_limit(const char *buf, long long *out);
/* The value of key in a flat keyed file ("usage_usec 123\n..."). */
int cg_parse_keyed(const char *buf, const char *key, long long *out);
/* v2 cpu.max: "max 100000" or "20000 100000". */
int cg_parse_cpu_max(const char *buf, long long *quota, long long *period);
/* A PSI file's "some avg10=" (and "full avg10=" when full is not NULL). */
int cg_parse_psi(const char *buf, double *some, double *full);
/* v1 freezer.state: FROZEN 1, THAWED 0, FREEZING 0. */
int cg_parse_freezer_state(const char *buf, int *frozen);

#endif
