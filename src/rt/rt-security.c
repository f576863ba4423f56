/*
 * rt-security: what the payload may no longer do. Capabilities cut to a
 * small set (bounding set included), no_new_privs, and a seccomp filter
 * compiled once per nstop process and loaded by every payload and exec.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "rt-launch.h"

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

/* Denied with EPERM whatever the capabilities: the kernel's own attack
 * surface (modules, kexec, bpf, perf, userfaultfd, keyrings, handles that
 * bypass the mount tree), the host-wide clock and swap, rebooting, and
 * remaking the mount tree or namespaces from inside. */
static const char *const rt_denied[] = {
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "create_module", "open_by_handle_at", "keyctl",
	"add_key", "request_key", "bpf", "userfaultfd", "perf_event_open",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "stime",
	"mount", "umount", "umount2", "pivot_root", "fsopen", "fsconfig",
	"fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
	"swapon", "swapoff", "reboot", "acct", "quotactl", "iopl", "ioperm",
	"unshare", "setns", "lookup_dcookie", "nfsservctl", "uselib",
};

static const unsigned long rt_clone_ns[] = {
	CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUTS,
	CLONE_NEWIPC, CLONE_NEWCGROUP, CLONE_NEWTIME,
};

/* BPF_MAXINSNS: the most the kernel takes in one classic filter. */
#define RT_FILTER_MAX 4096

static struct sock_fprog rt_filter;	/* compiled once, then only loaded */

static int rt_seccomp_rules(scmp_filter_ctx ctx, struct nst_err *err)
{
	int rc;

	for (size_t i = 0; i < sizeof(rt_denied) / sizeof(rt_denied[0]); i++) {
		int nr = seccomp_syscall_resolve_name(rt_denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;	/* this libseccomp does not know it */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (rc < 0 && rc != -EDOM)
			return nst_err_sys(err, -rc, "seccomp rule for %s", rt_denied[i]);
	}
	/* TIOCSTI pushes input into the terminal: into the operator's shell
	 * once the payload ends. TIOCLINUX can do the same on a console. The
	 * command is an int, so the upper half of the register is ignored. */
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
			      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
	if (rc < 0)
		return nst_err_sys(err, -rc, "seccomp rule for ioctl TIOCSTI");
	/* A new user namespace gives back every capability dropped here;
	 * clone() with namespace flags is unshare() by another name. */
	for (size_t i = 0; i < sizeof(rt_clone_ns) / sizeof(rt_clone_ns[0]); i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, rt_clone_ns[i], rt_clone_ns[i]));
		if (rc < 0)
			return nst_err_sys(err, -rc, "seccomp rule for clone");
	}
	/* clone3 passes its flags in memory, out of a filter's reach: ENOSYS
	 * makes the C library fall back to clone(). */
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc < 0 && rc != -EDOM)
		return nst_err_sys(err, -rc, "seccomp rule for clone3");
	return 0;
}

int rt_security_prepare(struct nst_err *err)
{
	scmp_filter_ctx ctx;
	int fds[2] = { -1, -1 };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (rt_filter.filter)
		return 0;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return nst_err_set(err, ENOMEM, "seccomp: cannot make a filter");
	/* The 32-bit entry points of an x86-64 kernel reach the same code:
	 * they get the same rules. x32 is left out: libseccomp then kills
	 * its calls as a foreign architecture, and the filter, which the
	 * kernel compiles at every load, stays a third shorter. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
		if (rc < 0 && rc != -EEXIST) {
			rc = nst_err_sys(err, -rc, "seccomp: adding the 32-bit architecture");
			goto out;
		}
	}
	rc = rt_seccomp_rules(ctx, err);
	if (rc < 0)
		goto out;
	/* libseccomp 2.5 exports only to an fd; a pipe holds the few hundred
	 * instructions, read back at once. */
	if (pipe2(fds, O_CLOEXEC) < 0) {
		rc = nst_err_sys(err, errno, "seccomp: pipe");
		goto out;
	}
	rc = seccomp_export_bpf(ctx, fds[1]);
	close(fds[1]);
	fds[1] = -1;
	if (rc < 0) {
		rc = nst_err_sys(err, -rc, "seccomp: compiling the filter");
		goto out;
	}
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb) {
				rc = nst_err_set(err, ENOMEM, "seccomp: out of memory");
				goto out;
			}
			buf = nb;
		}
		ssize_t r = read(fds[0], buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = nst_err_sys(err, errno, "seccomp: reading the filter");
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len == 0 || len % sizeof(struct sock_filter)) {
		rc = nst_err_set(err, EINVAL, "seccomp: the compiled filter is malformed");
		goto out;
	}
	rt_filter.len = (unsigned short)(len / sizeof(struct sock_filter));
	rt_filter.filter = (struct sock_filter *)buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	if (fds[0] >= 0)
		close(fds[0]);
	seccomp_release(ctx);
	return rc;
}

int rt_security_send(int fd, struct nst_err *err)
{
	size_t len, off = 0;
	int rc = rt_security_prepare(err);

	if (rc < 0)
		return rc;
	len = rt_filter.len * sizeof(struct sock_filter);
	while (off < len) {
		ssize_t n = write(fd, (char *)rt_filter.filter + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nst_err_sys(err, errno, "seccomp: passing the filter on");
		off += (size_t)n;
	}
	return 0;
}

int rt_security_receive(int fd, struct nst_err *err)
{
	struct sock_filter *buf = malloc(RT_FILTER_MAX * sizeof(*buf));
	size_t len = 0, max = RT_FILTER_MAX * sizeof(*buf);

	if (!buf)
		return nst_err_set(err, ENOMEM, "seccomp: out of memory");
	for (;;) {
		ssize_t n = read(fd, (char *)buf + len, max - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return nst_err_sys(err, errno, "seccomp: receiving the filter");
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == max)
			break;
	}
	/* nothing, or a torn program: no filter, so no container */
	if (len == 0 || len % sizeof(*buf) || len == max) {
		free(buf);
		return nst_err_set(err, EPROTO, "seccomp: no complete filter was received");
	}
	free(rt_filter.filter);
	rt_filter.filter = buf;
	rt_filter.len = (unsigned short)(len / sizeof(*buf));
	return 0;
}

/*
 * Threat: the syscalls above, which capabilities alone do not close (keyctl,
 * bpf, userfaultfd, perf_event_open, unshare need none) or which must stay
 * closed if a capability is ever given back. Loaded last, after
 * no_new_privs, so no capability is needed for it.
 */
static int rt_seccomp_load(struct nst_err *err)
{
	int rc = rt_security_prepare(err);

	if (rc < 0)
		return rc;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &rt_filter) < 0)
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
