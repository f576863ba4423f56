/*
 * The runtime's rules for what to run and what to enter, as checks with no
 * side effects (they stat and resolve paths, nothing more): rt_run and
 * rt_exec apply them, and the front ends call the same functions instead of
 * keeping copies that drift (the launch form checks each field as typed,
 * the command line reports err->usage as a usage error). A request no
 * state of the host can make right is a usage error (nst_err_usage); one
 * the host refuses (a missing path) is a failure.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rt-internal.h"

int rt_check_command(char *const *argv, bool detach, struct nst_err *err)
{
	/* no command at all: an idle container, which only a detached run
	 * makes sense of (nstop exec enters it) */
	if ((!argv || !argv[0]) && !detach)
		return nst_err_usage(err, EINVAL,
				     "no command to run (only a detached container may be idle)");
	if (argv && argv[0] && !argv[0][0])
		return nst_err_usage(err, EINVAL, "no command to run");
	return 0;
}

int rt_check_hostname(const char *h, struct nst_err *err)
{
	size_t len = strlen(h);

	if (len == 0 || len > 64)
		return nst_err_usage(err, EINVAL, "hostname '%s': 1 to 64 characters", h);
	for (size_t i = 0; i < len; i++) {
		char c = h[i];
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '-' && c != '.')
			return nst_err_usage(err, EINVAL,
					     "hostname '%s': only letters, digits, '-' and '.'", h);
	}
	return 0;
}

/* Masquerading is a rule of a bridge's table (net-nat.c): without a bridge
 * there is nothing to masquerade from. */
int rt_check_nat(enum rt_net net, bool nat, struct nst_err *err)
{
	if (nat && net != RT_NET_BRIDGE)
		return nst_err_usage(err, EINVAL, "--nat needs a bridge (--net bridge[:NAME])");
	return 0;
}

int rt_check_rootfs(const char *rootfs, bool overlay, char resolved[RT_PATH_MAX],
		    struct nst_err *err)
{
	if (overlay && !rootfs)
		return nst_err_usage(err, EINVAL, "--overlay needs --rootfs");
	if (!rootfs)
		return 0;
	/* DIR, or A:B:C stacked (rt-layers.c) */
	return rt_rootfs_resolve(rootfs, overlay, resolved, RT_PATH_MAX, err);
}

int rt_check_volume(const struct rt_volume *v, const char *rootfs,
		    char resolved[RT_PATH_MAX], struct nst_err *err)
{
	const char *what = v->kind == RT_VOL_ANON ? "(anonymous)" : v->src ? v->src : "";
	struct stat sst, dst;
	bool dir = true;		/* a volume of nstop's is a directory */

	resolved[0] = '\0';
	if (!v->dst || v->dst[0] != '/' || (v->kind != RT_VOL_ANON && !v->src))
		return nst_err_usage(err, EINVAL, "volume %s: the target must be an absolute path",
				     what);
	if (v->kind == RT_VOL_BIND) {
		if (!realpath(v->src, resolved))
			return nst_err_sys(err, errno, "volume %s", v->src);
		if (stat(resolved, &sst) < 0)
			return nst_err_sys(err, errno, "volume %s", v->src);
		dir = S_ISDIR(sst.st_mode);
	}
	/* the host's own root is read-only inside: its target must be there
	 * already, and of the source's kind (but /tmp and /dev are fresh
	 * tmpfs, where it is made) */
	if (rootfs || strncmp(v->dst, "/tmp/", 5) == 0 || strncmp(v->dst, "/dev/", 5) == 0)
		return 0;
	if (stat(v->dst, &dst) < 0)
		return errno == ENOENT ?
		       nst_err_set(err, ENOENT,
				   "volume %s: target %s is not in the host's read-only root; use one that is, or one under /tmp",
				   what, v->dst) :
		       nst_err_sys(err, errno, "volume %s: target %s", what, v->dst);
	if (dir != S_ISDIR(dst.st_mode))
		return nst_err_set(err, EINVAL, "volume %s: %s is not a %s", what, v->dst,
				   dir ? "directory" : "file");
	return 0;
}

int rt_exec_check(const struct rt_state *st, struct nst_err *err)
{
	if (st->status == RT_FROZEN)
		return nst_err_set(err, EBUSY, "container %s is frozen: thaw it first", st->name);
	if (st->status != RT_RUNNING || st->pid <= 0)
		return nst_err_set(err, ESRCH, "container %s is not running (%s)", st->name,
				   rt_status_name(st->status));
	return 0;
}
