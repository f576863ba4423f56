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
#include <sys/socket.h>
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

/*
 * The filter allows what ordinary programs need and nothing else: its
 * default answer is ENOSYS, so a syscall this list does not name, also one
 * newer than nstop or than the libseccomp it was built with, never reaches
 * the kernel, and the C library takes it for an old kernel and falls back
 * (as it does for clone3, statx, openat2, fchmodat2). Measured against
 * Docker's and containerd's default profiles: theirs, less io_uring, less
 * adjtimex and clock_adjtime (nstop refused them before: reading the clock's
 * discipline needs neither), plus chroot (CAP_SYS_CHROOT is kept) and the
 * calls that came after them. Names this libseccomp does not know (a newer
 * kernel's) are skipped and so get ENOSYS.
 */
static const char *const rt_allowed[] = {
	/* files and descriptors */
	"read", "write", "open", "openat", "openat2", "creat", "close", "close_range",
	"lseek", "_llseek", "pread64", "pwrite64", "readv", "writev", "preadv",
	"pwritev", "preadv2", "pwritev2", "dup", "dup2", "dup3", "pipe", "pipe2",
	"fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync", "syncfs",
	"sync_file_range", "truncate", "truncate64", "ftruncate", "ftruncate64",
	"fallocate", "fadvise64", "fadvise64_64", "readahead", "sendfile",
	"sendfile64", "splice", "tee", "vmsplice", "copy_file_range", "cachestat",
	"stat", "stat64", "fstat", "fstat64", "lstat", "lstat64", "newfstatat",
	"fstatat64", "statx", "statfs", "statfs64", "fstatfs", "fstatfs64",
	"access", "faccessat", "faccessat2", "getdents", "getdents64", "getcwd",
	"chdir", "fchdir", "chroot", "rename", "renameat", "renameat2", "mkdir",
	"mkdirat", "rmdir", "link", "linkat", "unlink", "unlinkat", "symlink",
	"symlinkat", "readlink", "readlinkat", "mknod", "mknodat", "umask",
	"chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "chown32", "fchown",
	"fchown32", "lchown", "lchown32", "fchownat", "utime", "utimes",
	"futimesat", "utimensat", "utimensat_time64", "name_to_handle_at",
	"setxattr", "lsetxattr", "fsetxattr", "setxattrat", "getxattr",
	"lgetxattr", "fgetxattr", "getxattrat", "listxattr", "llistxattr",
	"flistxattr", "listxattrat", "removexattr", "lremovexattr",
	"fremovexattr", "removexattrat", "file_getattr", "file_setattr",
	"statmount", "listmount", "ioctl",
	/* waiting and events */
	"select", "_newselect", "pselect6", "pselect6_time64", "poll", "ppoll",
	"ppoll_time64", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
	"signalfd", "signalfd4", "timerfd_create", "timerfd_settime",
	"timerfd_settime64", "timerfd_gettime", "timerfd_gettime64",
	"inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
	"fanotify_mark", "io_setup", "io_destroy", "io_submit", "io_cancel",
	"io_getevents", "io_pgetevents", "io_pgetevents_time64",
	/* memory */
	"brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_mprotect",
	"pkey_alloc", "pkey_free", "msync", "mincore", "madvise", "mlock",
	"mlock2", "munlock", "mlockall", "munlockall", "membarrier",
	"memfd_create", "memfd_secret", "remap_file_pages", "map_shadow_stack",
	"mseal",
	/* processes, threads, signals */
	"fork", "vfork", "clone", "execve", "execveat", "exit", "exit_group",
	"wait4", "waitid", "waitpid", "kill", "tkill", "tgkill", "pidfd_open",
	"pidfd_send_signal", "process_mrelease", "rt_sigaction",
	"rt_sigprocmask", "sigprocmask", "rt_sigreturn", "sigreturn",
	"rt_sigpending", "rt_sigtimedwait", "rt_sigtimedwait_time64",
	"rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigsuspend", "sigaltstack",
	"pause", "restart_syscall", "set_tid_address", "set_robust_list",
	"get_robust_list", "futex", "futex_time64", "futex_waitv", "futex_wake",
	"futex_wait", "futex_requeue", "rseq", "arch_prctl", "set_thread_area",
	"get_thread_area", "modify_ldt", "prctl", "personality", "seccomp",
	"landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
	"lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
	"uretprobe",
	/* a tracer inside may trace its own (CAP_SYS_PTRACE is gone; since
	 * Linux 4.8 a tracee cannot step around the filter) */
	"ptrace", "process_vm_readv", "process_vm_writev",
	/* identity, limits, scheduling */
	"getpid", "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "getsid",
	"setsid", "getuid", "getuid32", "geteuid", "geteuid32", "getgid",
	"getgid32", "getegid", "getegid32", "setuid", "setuid32", "setgid",
	"setgid32", "setreuid", "setreuid32", "setregid", "setregid32",
	"setresuid", "setresuid32", "getresuid", "getresuid32", "setresgid",
	"setresgid32", "getresgid", "getresgid32", "setfsuid", "setfsuid32",
	"setfsgid", "setfsgid32", "getgroups", "getgroups32", "setgroups",
	"setgroups32", "capget", "capset", "getrlimit", "ugetrlimit",
	"setrlimit", "prlimit64", "getrusage", "times", "getpriority",
	"setpriority", "ioprio_get", "ioprio_set", "sched_yield",
	"sched_setparam", "sched_getparam", "sched_setscheduler",
	"sched_getscheduler", "sched_get_priority_max", "sched_get_priority_min",
	"sched_rr_get_interval", "sched_rr_get_interval_time64",
	"sched_setaffinity", "sched_getaffinity", "sched_setattr",
	"sched_getattr", "getcpu", "uname", "sysinfo", "getrandom",
	/* time: reading it, sleeping, timers */
	"time", "gettimeofday", "clock_gettime", "clock_gettime64",
	"clock_getres", "clock_getres_time64", "clock_nanosleep",
	"clock_nanosleep_time64", "nanosleep", "alarm", "getitimer", "setitimer",
	"timer_create", "timer_settime", "timer_settime64", "timer_gettime",
	"timer_gettime64", "timer_getoverrun", "timer_delete",
	/* sockets (in the container's own network namespace) */
	"socket", "socketpair", "socketcall", "bind", "connect", "listen",
	"accept", "accept4", "getsockname", "getpeername", "setsockopt",
	"getsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg",
	"recvmmsg", "recvmmsg_time64", "shutdown",
	/* System V and POSIX IPC (the container's own ipc namespace) */
	"ipc", "shmget", "shmat", "shmctl", "shmdt", "semget", "semop", "semctl",
	"semtimedop", "semtimedop_time64", "msgget", "msgsnd", "msgrcv", "msgctl",
	"mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64",
	"mq_timedreceive", "mq_timedreceive_time64", "mq_notify",
	"mq_getsetattr",
};

/*
 * Refused with EPERM, named so that a program learns it may not, rather
 * than that the kernel is too old (which ENOSYS would tell it, and which
 * sends some to another path): the kernel's own attack surface (modules,
 * kexec, bpf, perf, userfaultfd, io_uring, whose operations no filter
 * sees, keyrings, which no namespace bounds), handles that bypass the
 * mount tree, the host-wide clock, swap, rebooting and the kernel log,
 * remaking the mount tree (with the new mount API) or the namespaces from
 * inside, another process's memory and descriptors (kcmp, pidfd_getfd,
 * process_madvise: Docker asks CAP_SYS_PTRACE), NUMA policy (CAP_SYS_NICE),
 * vm86 mode, the host and domain name (the uts namespace is set from
 * outside) and the old calls nstop refused before.
 */
static const char *const rt_refused[] = {
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "create_module", "open_by_handle_at", "keyctl",
	"add_key", "request_key", "bpf", "userfaultfd", "perf_event_open",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"settimeofday", "stime", "clock_settime", "clock_settime64",
	"clock_adjtime", "clock_adjtime64", "adjtimex", "syslog", "mount",
	"umount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount",
	"fspick", "move_mount", "open_tree", "open_tree_attr", "mount_setattr",
	"swapon", "swapoff", "reboot", "acct", "quotactl", "quotactl_fd",
	"iopl", "ioperm", "vm86", "vm86old", "unshare", "setns", "kcmp",
	"pidfd_getfd", "process_madvise", "mbind", "set_mempolicy",
	"get_mempolicy", "set_mempolicy_home_node", "migrate_pages",
	"move_pages", "vhangup", "sethostname", "setdomainname",
	"fanotify_init", "lookup_dcookie", "nfsservctl", "uselib",
};

/* clone() flags that make a namespace; CLONE_NEWTIME exists only for
 * clone3 and unshare (0x80 is part of clone()'s exit signal). */
static const unsigned long rt_clone_ns[] = {
	CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUTS,
	CLONE_NEWIPC, CLONE_NEWCGROUP,
};

/* personality(): Docker's PER_LINUX variants, the values made of these
 * bits (PER_LINUX 0, PER_LINUX32 8, UNAME26 0x20000 and both), and
 * 0xffffffff, which only asks. The rest (ADDR_NO_RANDOMIZE,
 * READ_IMPLIES_EXEC, ...) undoes what the kernel does for the process
 * against exploits. The kernel reads an unsigned int. */
#define RT_PERSONAS 0x20008u
#define RT_BIT31 0x80000000u

/* BPF_MAXINSNS: the most the kernel takes in one classic filter. */
#define RT_FILTER_MAX 4096

static struct sock_fprog rt_filter;	/* compiled once, then only loaded */

/* A name of one architecture only (socketcall, fcntl64) or one this
 * libseccomp does not know: -EDOM, or nothing to add. */
static int rt_rule_add(scmp_filter_ctx ctx, uint32_t action, const char *name,
		       unsigned n, const struct scmp_arg_cmp *cmp, struct nst_err *err)
{
	int nr = seccomp_syscall_resolve_name(name);
	int rc;

	if (nr == __NR_SCMP_ERROR)
		return 0;
	rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);
	if (rc < 0 && rc != -EDOM)
		return nst_err_sys(err, -rc, "seccomp rule for %s", name);
	return 0;
}

/*
 * Allows syscall name unless the lower 32 bits of argument arg (an int to
 * the kernel) are one of refused[], which gets EPERM. libseccomp lets an
 * unconditional rule swallow the conditional ones of the same syscall, so
 * the ALLOW side is spelled out in rules no refused value matches: one per
 * bit on which all the refused values agree (a value that differs there
 * passes), and every value of the few bits where they disagree that is
 * not refused.
 */
static int rt_allow_but(scmp_filter_ctx ctx, const char *name, unsigned arg,
			const uint32_t *refused, size_t n, struct nst_err *err)
{
	uint32_t differ = 0, combos[8];
	size_t ncombo = 0;
	int rc = 0;

	for (size_t i = 1; i < n; i++)
		differ |= refused[i] ^ refused[0];
	for (unsigned bit = 0; rc == 0 && bit < 32; bit++) {
		uint32_t m = 1u << bit;
		struct scmp_arg_cmp c = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, m, ~refused[0] & m);
		if (!(differ & m))
			rc = rt_rule_add(ctx, SCMP_ACT_ALLOW, name, 1, &c, err);
	}
	/* the values on the disagreeing bits (at most 3 of them here) */
	if (__builtin_popcount(differ) > 3)
		return nst_err_set(err, EINVAL, "seccomp rule for %s: too many values", name);
	for (uint32_t sub = differ;; sub = (sub - 1) & differ) {
		combos[ncombo++] = (refused[0] & ~differ) | sub;
		if (!sub)
			break;
	}
	for (size_t i = 0; rc == 0 && i < ncombo; i++) {
		bool no = false;
		struct scmp_arg_cmp c = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, 0xffffffffu, combos[i]);

		for (size_t j = 0; j < n; j++)
			no |= combos[i] == refused[j];
		rc = rt_rule_add(ctx, no ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW, name, 1, &c, err);
	}
	return rc;
}

/* The calls whose arguments decide: every value the kernel reads as an
 * int is compared on the lower 32 bits only, as the kernel reads it, so
 * that a high half set by the caller changes nothing. */
static int rt_seccomp_args(scmp_filter_ctx ctx, uint32_t arch, struct nst_err *err)
{
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	unsigned long ns = 0;
	int rc = 0;

	/* Bit 31 set: only 0xffffffff passes, a clear bit below it is EPERM.
	 * Bit 31 clear: only the bits of 0x20008 pass, any other is EPERM.
	 * (One comparison of an argument per rule, so one rule per bit; no
	 * value matches both an ALLOW and an EPERM rule.) */
	for (unsigned bit = 0; rc == 0 && bit < 31; bit++) {
		struct scmp_arg_cmp set = SCMP_A0_32(SCMP_CMP_MASKED_EQ, RT_BIT31 | 1u << bit, RT_BIT31);
		rc = rt_rule_add(ctx, eperm, "personality", 1, &set, err);
		if (rc == 0 && !((RT_PERSONAS >> bit) & 1)) {
			struct scmp_arg_cmp clear = SCMP_A0_32(SCMP_CMP_MASKED_EQ, RT_BIT31 | 1u << bit, 1u << bit);
			rc = rt_rule_add(ctx, eperm, "personality", 1, &clear, err);
		}
	}
	if (rc == 0) {
		struct scmp_arg_cmp c = SCMP_A0_32(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0xffffffffu);
		rc = rt_rule_add(ctx, SCMP_ACT_ALLOW, "personality", 1, &c, err);
	}
	if (rc == 0) {
		struct scmp_arg_cmp c = SCMP_A0_32(SCMP_CMP_MASKED_EQ, ~RT_PERSONAS, 0);
		rc = rt_rule_add(ctx, SCMP_ACT_ALLOW, "personality", 1, &c, err);
	}
	/* A new user namespace gives back every capability dropped here;
	 * clone() with namespace flags is unshare() by another name. */
	for (size_t i = 0; i < sizeof(rt_clone_ns) / sizeof(rt_clone_ns[0]); i++)
		ns |= rt_clone_ns[i];
	for (size_t i = 0; rc == 0 && i < sizeof(rt_clone_ns) / sizeof(rt_clone_ns[0]); i++) {
		struct scmp_arg_cmp c = SCMP_A0_64(SCMP_CMP_MASKED_EQ, rt_clone_ns[i], rt_clone_ns[i]);
		rc = rt_rule_add(ctx, eperm, "clone", 1, &c, err);
	}
	if (rc == 0) {
		struct scmp_arg_cmp c = SCMP_A0_64(SCMP_CMP_MASKED_EQ, ns, 0);
		rc = rt_rule_add(ctx, SCMP_ACT_ALLOW, "clone", 1, &c, err);
	}
	/* TIOCSTI pushes input into the terminal: into the operator's shell
	 * once the payload ends. TIOCLINUX can do the same on a console. */
	if (rc == 0) {
		static const uint32_t tio[] = { TIOCSTI, TIOCLINUX };
		rc = rt_allow_but(ctx, "ioctl", 1, tio, 2, err);
	}
	/* AF_VSOCK: no network namespace bounds it; it reaches the hypervisor
	 * or the host's vsock services. On i386, where socket() is also
	 * socketcall(), whose arguments are in memory, libseccomp cannot
	 * refuse one family: there it stays open, as in Docker's profile. */
	if (rc == 0 && arch != SCMP_ARCH_X86) {
		static const uint32_t vsock[] = { AF_VSOCK };
		rc = rt_allow_but(ctx, "socket", 0, vsock, 1, err);
	}
	return rc;
}

static int rt_seccomp_rules(scmp_filter_ctx ctx, uint32_t arch, struct nst_err *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(rt_refused) / sizeof(rt_refused[0]); i++)
		rc = rt_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), rt_refused[i], 0, NULL, err);
	if (rc == 0)
		rc = rt_seccomp_args(ctx, arch, err);
	for (size_t i = 0; rc == 0 && i < sizeof(rt_allowed) / sizeof(rt_allowed[0]); i++) {
		const char *name = rt_allowed[i];
		if (!strcmp(name, "personality") || !strcmp(name, "clone") ||
		    !strcmp(name, "ioctl") || (!strcmp(name, "socket") && arch != SCMP_ARCH_X86))
			continue;	/* by their arguments, above */
		rc = rt_rule_add(ctx, SCMP_ACT_ALLOW, name, 0, NULL, err);
	}
	/* clone3 is left to the default: its flags are in memory, out of a
	 * filter's reach, and ENOSYS makes the C library fall back to clone(). */
	return rc;
}

/* One architecture's filter: what no rule names gets ENOSYS, and a call
 * of another architecture (x32 among them) kills the whole process, not
 * only the thread, which would leave its others waiting on it. */
static scmp_filter_ctx rt_seccomp_ctx(uint32_t arch, struct nst_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
	int rc;

	if (!ctx) {
		nst_err_set(err, ENOMEM, "seccomp: cannot make a filter");
		return NULL;
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (rc == 0 && arch != seccomp_arch_native()) {
		rc = seccomp_arch_add(ctx, arch);
		if (rc == 0)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	if (rc < 0) {
		nst_err_sys(err, -rc, "seccomp: a filter for architecture %#x", arch);
		seccomp_release(ctx);
		return NULL;
	}
	if (rt_seccomp_rules(ctx, arch, err) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
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
	ctx = rt_seccomp_ctx(seccomp_arch_native(), err);
	if (!ctx)
		return -err->code;
	/* The 32-bit entry points of an x86-64 kernel (int 0x80) reach the
	 * same code: they get the same rules, in a filter of their own merged
	 * into this one, as their argument rules differ. x32 is left out:
	 * libseccomp then kills its calls as a foreign architecture, and the
	 * filter, which the kernel compiles at every load, stays shorter. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		scmp_filter_ctx ctx32 = rt_seccomp_ctx(SCMP_ARCH_X86, err);

		if (!ctx32) {
			rc = -err->code;
			goto out;
		}
		rc = seccomp_merge(ctx, ctx32);
		if (rc < 0) {
			seccomp_release(ctx32);
			rc = nst_err_sys(err, -rc, "seccomp: adding the 32-bit architecture");
			goto out;
		}
	}
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
