/*
 * The one injectable root every reader goes through: an fd for the proc root
 * and one for the cgroup root, opened once. Readers use openat() relative to
 * these, so unit tests point them at fixture trees.
 */
#ifndef NSTOP_ROOT_H
#define NSTOP_ROOT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "nstop/err.h"

struct nst_root {
	int proc_fd;
	int cg_fd;
	/* Where the cgroup root lives in the mount table ("/sys/fs/cgroup"):
	 * mount points in mountinfo are made relative to it. */
	char cg_path[PATH_MAX];
	/* True when proc_fd is the running kernel's /proc, so that libproc2
	 * and setns() helpers may be used; false for fixture trees. */
	bool live;
};

#define NST_PROC_PATH "/proc"
#define NST_CGROUP_PATH "/sys/fs/cgroup"

int nst_root_open(struct nst_root *root, const char *proc_path,
		  const char *cg_path, bool live, struct nst_err *err);
/* The running kernel's /proc and /sys/fs/cgroup. */
int nst_root_open_live(struct nst_root *root, struct nst_err *err);
void nst_root_clear(struct nst_root *root);

/* Reads a whole small proc, sysfs or cgroup file below dirfd into buf, in
 * one read, NUL-terminated. Returns the length or -errno; -EFBIG when it
 * does not fit. */
long nst_read_at(int dirfd, const char *path, char *buf, size_t size);
/* Reads a whole file of any size; *out is malloc'd and NUL-terminated. */
long nst_slurp_at(int dirfd, const char *path, char **out);

/*
 * Opens a file nstop keeps or is given (a state file, a log, the config, a
 * theme) with flags, never blocking in the open and never following a
 * final symbolic link, and only when it is a regular file: a FIFO, device,
 * socket or link is refused with err naming it (-EINVAL; -EISDIR for a
 * directory, -ENOENT when it is not there). Returns the fd (O_CLOEXEC).
 */
int nst_open_regular(int dirfd, const char *path, int flags, struct nst_err *err);
/* nst_slurp_at of such a file, capped at max bytes (-EFBIG beyond); the
 * length or -errno with err said. */
long nst_slurp_regular(int dirfd, const char *path, size_t max, char **out,
		       struct nst_err *err);

#endif
