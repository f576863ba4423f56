/*
 * rt-security: what the payload may no longer do. Capabilities cut to a
 * small set (bounding set included), no_new_privs, and a seccomp filter
 * compiled when nstop was built (rt-seccomp.h) and loaded by every payload
 * and exec.
 */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt-launch.h"
#include "rt-seccomp.h"

/*
 * What a container keeps, and why each is harmless enough: files it owns
 * or may write (CHOWN, DAC_OVERRIDE, FOWNER, FSETID), its own users
 * (SETUID, SETGID, SETPCAP to drop more), signals to its own processes
 * (KILL: the pid namespace bounds it), ports below 1024 in its own network
 * namespace (NET_BIND_SERVICE), chroot inside its root (SYS_CHROOT) and
 * audit messages (AUDIT_WRITE). Left out among others: SYS_ADMIN, SYS_TIME,
 * SYS_MODULE, SYS_PTRACE, SYS_RAWIO, MKNOD, NET_RAW, NET_ADMIN, SETFCAP,
 * SYS_BOOT, SYS_NICE, SYS_RESOURCE, DAC_READ_SEARCH, LINUX_IMMUTABLE,
 * MAC_*, SYSLOG, WAKE_ALARM, BPF, PERFMON, CHECKPOINT_RESTORE.
 */
static const cap_value_t rt_caps_kept[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL,
	CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
	CAP_SYS_CHROOT, CAP_AUDIT_WRITE,
};

static bool rt_cap_kept(cap_value_t c)
{
	for (size_t i = 0; i < sizeof(rt_caps_kept) / sizeof(rt_caps_kept[0]); i++)
		if (rt_caps_kept[i] == c)
			return true;
	return false;
}

/*
 * Threat: a root payload regaining a dropped capability by executing a
 * set-uid or file-capability binary, or by execve() as uid 0 (which grants
 * the whole bounding set). Cutting the bounding set first makes every later
 * exec inherit at most the kept set.
 */
static int rt_drop_bounding(struct nst_err *err)
{
	int last = (int)cap_max_bits() - 1;

	for (int c = 0; c <= last; c++) {
		if (rt_cap_kept((cap_value_t)c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return nst_err_sys(err, errno, "dropping capability %d from the bounding set", c);
	}
	return 0;
}

/*
 * Threat: the payload using the privileges nstop ran with (root's full
 * set) to load modules, change the clock, mount, trace or mknod devices.
 * Effective, permitted and inheritable are cut to the kept set and the
 * ambient set is emptied.
 */
static int rt_drop_caps(struct nst_err *err)
{
	cap_t caps = cap_init();
	int n = (int)(sizeof(rt_caps_kept) / sizeof(rt_caps_kept[0]));
	int rc = 0;

	if (!caps)
		return nst_err_sys(err, errno, "capabilities");
	if (cap_set_flag(caps, CAP_EFFECTIVE, n, rt_caps_kept, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, n, rt_caps_kept, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_INHERITABLE, n, rt_caps_kept, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		rc = nst_err_sys(err, errno, "setting the capabilities");
	cap_free(caps);
	if (rc == 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		rc = nst_err_sys(err, errno, "clearing the ambient capabilities");
	return rc;
}

/*
 * Threat: a set-uid binary or file capabilities inside the root (the host's
 * own /usr/bin/su, say) raising the payload's privileges again.
 */
static int rt_no_new_privs(struct nst_err *err)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nst_err_sys(err, errno, "setting no_new_privs");
	return 0;
}

/* The filter, finished when nstop was built (rt-seccomp.h): the policy and
 * its emitter are in rt-seccomp-policy.c. The kernel only reads it
 * (sock_fprog's pointer is not const). */
const struct sock_fprog *rt_security_filter(void)
{
	static struct sock_fprog prog;

	prog.filter = (struct sock_filter *)rt_seccomp_filter;
	prog.len = rt_seccomp_filter_len;
	return &prog;
}

/*
 * Threat: the syscalls the policy refuses (rt-seccomp-policy.c), which
 * capabilities alone do not close (keyctl, bpf, userfaultfd,
 * perf_event_open, unshare need none) or which must stay closed if a
 * capability is ever given back. Loaded last, after no_new_privs, so no
 * capability is needed for it.
 */
static int rt_seccomp_load(struct nst_err *err)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, rt_security_filter()) < 0)
		return nst_err_sys(err, errno, "loading the seccomp filter");
	return 0;
}

int rt_security_apply(struct nst_err *err)
{
	int rc;

	if ((rc = rt_drop_bounding(err)) < 0 ||
	    (rc = rt_drop_caps(err)) < 0 ||
	    (rc = rt_no_new_privs(err)) < 0 ||
	    (rc = rt_seccomp_load(err)) < 0)
		return rc;
	return 0;
}
