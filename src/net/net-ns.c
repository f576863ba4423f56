/*
 * Joining a net namespace that exists: one `ip netns add` made (a bind
 * mount of an nsfs file under /run/netns) or another container's. The
 * container's init is cloned inside it (net_ns_enter around the clone, in
 * the launching thread), so a --userns container joins it too without
 * holding any capability over it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

#include "nstop/net.h"
#include "nstop/procstat.h"
#include "nstop/root.h"
#include "nstop/runtime.h"
#include "../rt/rt-internal.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/*
 * Threat: fd is anything a path led to. A file planted where a namespace is
 * expected (a regular file, a symlink's target, another type of namespace)
 * must not be taken for one: setns() would refuse most, but a mnt or user
 * namespace descriptor would be a different and worse join. Only an nsfs
 * inode of type CLONE_NEWNET passes.
 */
static int net_ns_fd_check(int fd, const char *what, struct nst_err *err)
{
	struct statfs sfs;
	int type;

	if (fstatfs(fd, &sfs) < 0)
		return nst_err_sys(err, errno, "%s", what);
	if (sfs.f_type != NSFS_MAGIC)
		return nst_err_set(err, EINVAL, "%s: not a namespace", what);
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0)
		return nst_err_sys(err, errno, "%s: namespace type", what);
	if (type != CLONE_NEWNET)
		return nst_err_set(err, EINVAL, "%s: not a network namespace", what);
	return 0;
}

/*
 * Threat: the name is untrusted and /run/netns may hold symlinks someone
 * put there. The name is one component (no "..", no '/'), opened below a
 * directory descriptor with O_NOFOLLOW on both, so neither a path trick nor
 * a symlink reaches another process's or the host's namespace file.
 */
int net_netns_open(const char *name, struct nst_err *err)
{
	int dir, fd, rc;

	if ((rc = rt_netns_name_check(name, err)) < 0)
		return rc;
	dir = open(NET_NETNS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0) {
		if (errno == ENOENT)
			return nst_err_set(err, ENOENT, "no such network namespace: %s", name);
		return nst_err_sys(err, errno, "%s", NET_NETNS_DIR);
	}
	fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	rc = errno;
	close(dir);
	if (fd < 0) {
		if (rc == ENOENT)
			return nst_err_set(err, ENOENT, "no such network namespace: %s", name);
		if (rc == ELOOP)
			return nst_err_set(err, EINVAL, "network namespace: %s: a symlink", name);
		return nst_err_sys(err, rc, "network namespace %s", name);
	}
	rc = net_ns_fd_check(fd, name, err);
	if (rc < 0) {
		close(fd);
		nst_err_prefix(err, "network namespace");
		return rc;
	}
	return fd;
}

/*
 * Threat: the state file names a pid, and a pid is reused once its process
 * is gone: the namespace read through it could be any process's (the
 * host's). /proc/PID is opened once, its stat read through that descriptor
 * matched against the start time the state recorded, and ns/net opened
 * through the same descriptor: a /proc/PID directory stays bound to the
 * process it was opened for, so nothing can be swapped in between.
 */
int net_container_open(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	struct rt_state st;
	char path[64];
	struct nst_stat ps;
	int dir, fd, rc;

	if ((rc = rt_name_check(name, err)) < 0)
		return rc;
	if ((rc = rt_state_load(ctx, name, &st, err)) < 0)
		return rc;
	if (st.status != RT_RUNNING && st.status != RT_FROZEN)
		return nst_err_set(err, ESRCH, "container %s is not running", name);
	if (st.pid <= 0 || st.pid_start == 0)
		return nst_err_set(err, ESRCH, "container %s has no init", name);
	snprintf(path, sizeof(path), "/proc/%d", (int)st.pid);
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return nst_err_set(err, ESRCH, "container %s: its init is gone", name);
	if (nst_stat_read(dir, "stat", &ps) < 22 || ps.starttime != st.pid_start) {
		close(dir);
		return nst_err_set(err, ESRCH, "container %s: its init is gone", name);
	}
	fd = openat(dir, "ns/net", O_RDONLY | O_CLOEXEC);
	rc = errno;
	close(dir);
	if (fd < 0)
		return nst_err_sys(err, rc, "container %s: network namespace", name);
	if ((rc = net_ns_fd_check(fd, name, err)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/*
 * Threat: the launching thread goes into the target namespace for the one
 * clone; if it stayed there, everything nstop did afterwards (a later
 * bridge, the monitor's own work) would happen in the wrong namespace. The
 * way back is a descriptor taken before leaving, and a failure to return is
 * reported so the caller aborts the launch.
 */
int net_ns_enter(int nsfd, int *saved, struct nst_err *err)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (self < 0)
		return nst_err_sys(err, errno, "/proc/thread-self/ns/net");
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		int e = errno;

		close(self);
		return nst_err_sys(err, e, "joining the network namespace");
	}
	*saved = self;
	return 0;
}

int net_ns_leave(int saved, struct nst_err *err)
{
	int rc = 0;

	if (setns(saved, CLONE_NEWNET) < 0)
		rc = nst_err_sys(err, errno, "returning to nstop's network namespace");
	close(saved);
	return rc;
}

int net_join_open(struct rt_ctx *ctx, const struct rt_spec *spec, int *fd,
		  struct nst_err *err)
{
	int rc = 0;

	*fd = -1;
	if (spec->net == RT_NET_NETNS)
		rc = net_netns_open(spec->net_name ? spec->net_name : "", err);
	else if (spec->net == RT_NET_CONTAINER)
		rc = net_container_open(ctx, spec->net_name ? spec->net_name : "", err);
	if (rc < 0)
		return rc;
	if (spec->net == RT_NET_NETNS || spec->net == RT_NET_CONTAINER)
		*fd = rc;
	return 0;
}
