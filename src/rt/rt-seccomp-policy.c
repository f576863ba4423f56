/*
 * rt-seccomp-policy: the container's seccomp filter, its policy and the
 * emitter that turns it into a classic-BPF program. Built into the
 * generator (rt-seccomp-gen.c), which runs while nstop is built, and into
 * tests/unit/test_rt_security.c, which compares its program with the one
 * the build generated; never into nstop, which holds the generated array
 * (rt-seccomp.h) and so needs no libseccomp at run time.
 *
 * Cross-compiling: this runs on the build machine and asks libseccomp for
 * the build machine's own architecture (seccomp_arch_native), and the
 * layout macros below (byte order, clone's argument) are the build
 * compiler's; a filter for another machine's architecture would check the
 * wrong AUDIT_ARCH and the wrong numbers, and kill every payload or, worse,
 * open calls it means to close. So configure refuses a cross build
 * (configure.ac) rather than have the build emit such a filter.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <seccomp.h>

#include "rt-seccomp.h"

/*
 * The filter allows what ordinary programs need and nothing else: its
 * default answer is ENOSYS, so a syscall this list does not name, also one
 * newer than nstop or than the libseccomp it was built with, never reaches
 * the kernel, and the C library takes it for an old kernel and falls back
 * (as it does for clone3, statx, openat2, fchmodat2). Measured against
 * Docker's and containerd's default profiles: theirs, less io_uring, less
 * adjtimex and clock_adjtime (which nstop refused before, and which only
 * clock daemons use), plus chroot (CAP_SYS_CHROOT is kept) and the calls
 * that came after them. Names the build's libseccomp does not know (a
 * newer kernel's) are skipped and so get ENOSYS. tests/unit/seccomp_table.h
 * holds the same policy number by number: a change here is a change there.
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

/* clone() flags that make a namespace: CLONE_NEW{NS,CGROUP,UTS,IPC,USER,
 * PID,NET}. CLONE_NEWTIME exists only for clone3 and unshare (0x80 is part
 * of clone()'s exit signal). */
#define RT_CLONE_NS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
		     CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

/* personality(): Docker's PER_LINUX variants, the values made of these
 * bits (PER_LINUX 0, PER_LINUX32 8, UNAME26 0x20000 and both), and
 * 0xffffffff, which only asks. The rest (ADDR_NO_RANDOMIZE,
 * READ_IMPLIES_EXEC, ...) undoes what the kernel does for the process
 * against exploits. */
#define RT_PERSONAS 0x20008u

/* Past every syscall number either architecture has; those above get
 * the default like any other unnamed one. */
#define RT_NR_MAX 1024
#define RT_X32_BIT 0x40000000u

/* What one syscall number gets. The argument kinds are blocks of their
 * own (rt_emit_args). */
enum rt_act {
	RT_ENOSYS = 0, RT_ALLOW, RT_EPERM,
	RT_ARGS_PERSONALITY, RT_ARGS_CLONE, RT_ARGS_IOCTL, RT_ARGS_SOCKET,
};

struct rt_bpf {
	struct sock_filter *ins;
	size_t n;
	bool full;
};

static void rt_emit(struct rt_bpf *b, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (b->n == RT_SECCOMP_MAX) {
		b->full = true;
		return;
	}
	b->ins[b->n++] = (struct sock_filter){ code, jt, jf, k };
}

#define RT_RET(b, v) rt_emit(b, BPF_RET | BPF_K, v, 0, 0)
#define RT_RET_ERRNO(b, e) RT_RET(b, SECCOMP_RET_ERRNO | (e))
/* the lower 32 bits of argument i: what the kernel reads where the
 * argument is an int */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define RT_LO_WORD 4
#else
#define RT_LO_WORD 0
#endif
#define RT_LD_ARG_LO(b, i) rt_emit(b, BPF_LD | BPF_W | BPF_ABS, \
				   offsetof(struct seccomp_data, args) + 8 * (i) + RT_LO_WORD, 0, 0)
/* clone()'s flags: the second argument on s390, the first elsewhere */
#if defined(__s390__)
#define RT_CLONE_FLAGS_ARG 1
#else
#define RT_CLONE_FLAGS_ARG 0
#endif

/*
 * The calls whose arguments decide. Each compares the lower 32 bits, all
 * the kernel reads of these (an int or unsigned int, and for clone()
 * lower_32_bits of the flags), so a high half set by the caller changes
 * nothing.
 */
static void rt_emit_args(struct rt_bpf *b, enum rt_act a)
{
	switch (a) {
	case RT_ARGS_PERSONALITY:
		RT_LD_ARG_LO(b, 0);
		rt_emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 2, 0);
		rt_emit(b, BPF_JMP | BPF_JSET | BPF_K, ~RT_PERSONAS, 0, 1);
		RT_RET_ERRNO(b, EPERM);
		RT_RET(b, SECCOMP_RET_ALLOW);
		break;
	case RT_ARGS_CLONE:
		/* A new user namespace gives back every capability dropped
		 * here; clone() with namespace flags is unshare() by another
		 * name. */
		RT_LD_ARG_LO(b, RT_CLONE_FLAGS_ARG);
		rt_emit(b, BPF_JMP | BPF_JSET | BPF_K, RT_CLONE_NS, 0, 1);
		RT_RET_ERRNO(b, EPERM);
		RT_RET(b, SECCOMP_RET_ALLOW);
		break;
	case RT_ARGS_IOCTL:
		/* TIOCSTI pushes input into the terminal: into the operator's
		 * shell once the payload ends. TIOCLINUX can do the same on a
		 * console. */
		RT_LD_ARG_LO(b, 1);
		rt_emit(b, BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 1, 0);
		rt_emit(b, BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 0, 1);
		RT_RET_ERRNO(b, EPERM);
		RT_RET(b, SECCOMP_RET_ALLOW);
		break;
	case RT_ARGS_SOCKET:
		/* AF_VSOCK: no network namespace bounds it; it reaches the
		 * hypervisor or the host's vsock services. */
		RT_LD_ARG_LO(b, 0);
		rt_emit(b, BPF_JMP | BPF_JEQ | BPF_K, AF_VSOCK, 0, 1);
		RT_RET_ERRNO(b, EPERM);
		RT_RET(b, SECCOMP_RET_ALLOW);
		break;
	case RT_ALLOW:
		RT_RET(b, SECCOMP_RET_ALLOW);
		break;
	case RT_EPERM:
		RT_RET_ERRNO(b, EPERM);
		break;
	case RT_ENOSYS:
		RT_RET_ERRNO(b, ENOSYS);
		break;
	}
}

/* A run of syscall numbers that get the same answer: [start, next's start). */
struct rt_run {
	uint32_t start;
	enum rt_act act;
};

/* How many instructions rt_emit_args(a) is. */
static size_t rt_args_len(enum rt_act a)
{
	struct sock_filter scratch[8];
	struct rt_bpf b = { scratch, 0, false };

	rt_emit_args(&b, a);
	return b.n;
}

/* How many instructions rt_emit_tree(r, n) is. */
static size_t rt_tree_len(const struct rt_run *r, size_t n)
{
	size_t left;

	if (n == 1)
		return rt_args_len(r[0].act);
	left = rt_tree_len(r, n / 2);
	return (left <= 255 ? 1 : 2) + left + rt_tree_len(r + n / 2, n - n / 2);
}

/*
 * A binary search over the runs, the number in A: a handful of jumps per
 * syscall whatever the list's length. Jumps go forward only. A node is
 * one BPF_JGE, past the left half to the right one; where the left half
 * is longer than a conditional jump's 8-bit offset reaches, the right
 * half is reached through a BPF_JA, whose offset has 32 bits. A filter
 * with fewer instructions is less for the kernel to check and compile at
 * each launch.
 */
static void rt_emit_tree(struct rt_bpf *b, const struct rt_run *r, size_t n)
{
	size_t mid, left, ja;

	if (n == 1) {
		rt_emit_args(b, r[0].act);
		return;
	}
	mid = n / 2;
	left = rt_tree_len(r, mid);
	if (left <= 255) {
		rt_emit(b, BPF_JMP | BPF_JGE | BPF_K, r[mid].start, (uint8_t)left, 0);
		rt_emit_tree(b, r, mid);
		rt_emit_tree(b, r + mid, n - mid);
		return;
	}
	rt_emit(b, BPF_JMP | BPF_JGE | BPF_K, r[mid].start, 0, 1);
	ja = b->n;
	rt_emit(b, BPF_JMP | BPF_JA, 0, 0, 0);
	rt_emit_tree(b, r, mid);
	if (!b->full)
		b->ins[ja].k = (uint32_t)(b->n - ja - 1);
	rt_emit_tree(b, r + mid, n - mid);
}

static enum rt_act rt_arg_kind(const char *name, uint32_t arch)
{
	if (!strcmp(name, "personality"))
		return RT_ARGS_PERSONALITY;
	if (!strcmp(name, "clone"))
		return RT_ARGS_CLONE;
	if (!strcmp(name, "ioctl"))
		return RT_ARGS_IOCTL;
	/* On i386, where socket() is also socketcall(), whose arguments are
	 * in memory, no filter can refuse one family: there it stays open,
	 * as in Docker's profile. */
	if (!strcmp(name, "socket") && arch != SCMP_ARCH_X86)
		return RT_ARGS_SOCKET;
	return RT_ALLOW;
}

/* Where libseccomp's table puts name on arch. For the calls i386 also
 * reaches through socketcall() and ipc() (socket, shmget...) it answers
 * with a pseudo number (negative), so those are looked up the other way,
 * from the number, once per filter. Only those: every other pseudo number
 * (at or below -10000: _llseek, mmap2... on x86-64) names a call the
 * architecture does not have, which no number finds, and looking for it
 * walked libseccomp's whole table for each of 1,024 numbers per
 * architecture, a tenth of a launch's cpu. */
#define RT_MUXED(nr) ((nr) >= __PNR_shmctl && (nr) <= __PNR_socket)
static void rt_mark(uint8_t *act, uint32_t arch, const char *const *names, size_t n,
		    bool allow)
{
	const char *muxed[64];
	size_t nmux = 0;

	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name_arch(arch, names[i]);
		if (nr >= 0 && nr < RT_NR_MAX)
			act[nr] = (uint8_t)(allow ? rt_arg_kind(names[i], arch) : RT_EPERM);
		else if (RT_MUXED(nr) && nmux < 64)
			muxed[nmux++] = names[i];
	}
	/* (each lookup walks the whole table: stop once all are found) */
	for (int nr = 0; nmux && nr < RT_NR_MAX; nr++) {
		char *name;

		if (act[nr] != RT_ENOSYS)
			continue;
		name = seccomp_syscall_resolve_num_arch(arch, nr);
		for (size_t i = 0; name && i < nmux; i++) {
			if (strcmp(name, muxed[i]))
				continue;
			act[nr] = (uint8_t)(allow ? rt_arg_kind(muxed[i], arch) : RT_EPERM);
			muxed[i] = muxed[--nmux];
			break;
		}
		free(name);
	}
}

/* One architecture's numbers, from libseccomp's tables: the names it does
 * not know (a newer kernel's than its own) are left to the default. The
 * refusals are set last, so a name in both lists would be refused. */
static void rt_emit_arch(struct rt_bpf *b, uint32_t arch)
{
	uint8_t act[RT_NR_MAX];
	struct rt_run runs[RT_NR_MAX + 1];
	size_t nruns = 0;

	memset(act, RT_ENOSYS, sizeof(act));
	rt_mark(act, arch, rt_allowed, sizeof(rt_allowed) / sizeof(rt_allowed[0]), true);
	rt_mark(act, arch, rt_refused, sizeof(rt_refused) / sizeof(rt_refused[0]), false);
	for (uint32_t nr = 0; nr < RT_NR_MAX; nr++)
		if (nruns == 0 || act[nr] != runs[nruns - 1].act || act[nr] >= RT_ARGS_PERSONALITY)
			runs[nruns++] = (struct rt_run){ nr, act[nr] };
	if (runs[nruns - 1].act != RT_ENOSYS)
		runs[nruns++] = (struct rt_run){ RT_NR_MAX, RT_ENOSYS };
	rt_emit(b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	rt_emit_tree(b, runs, nruns);
}

/*
 * The whole program: the architecture first (a number means nothing
 * without it), then its own tree. On x86-64 the i386 entry (int 0x80)
 * reaches the same kernel code with numbers of its own, so it gets the
 * same policy in a tree of its own; x86-64's numbers with the x32 bit are
 * another ABI, and any other architecture (also a native one's compat
 * mode elsewhere) is unknown here: both kill the whole process (not only
 * the thread, which would leave its others waiting on it). A number of -1
 * (a tracer skipping a call) gets ENOSYS, as the kernel gives it anyway.
 * libseccomp's architecture tokens are the kernel's AUDIT_ARCH values.
 */
int rt_seccomp_compile(struct sock_filter *ins, size_t *len)
{
	struct rt_bpf b = { ins, 0, false };
	uint32_t native = seccomp_arch_native();
	size_t to32 = 0;

	rt_emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	if (native == SCMP_ARCH_X86_64) {
		rt_emit(&b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 2, 0);
		rt_emit(&b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 6);
		to32 = b.n;
		rt_emit(&b, BPF_JMP | BPF_JA, 0, 0, 0);
		rt_emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
		rt_emit(&b, BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 2, 0);
		rt_emit(&b, BPF_JMP | BPF_JGE | BPF_K, RT_X32_BIT, 2, 0);
		rt_emit(&b, BPF_JMP | BPF_JA, 2, 0, 0);
		RT_RET_ERRNO(&b, ENOSYS);
		RT_RET(&b, SECCOMP_RET_KILL_PROCESS);
	} else {
		rt_emit(&b, BPF_JMP | BPF_JEQ | BPF_K, native, 1, 0);
		RT_RET(&b, SECCOMP_RET_KILL_PROCESS);
	}
	rt_emit_arch(&b, native);
	if (native == SCMP_ARCH_X86_64) {
		if (!b.full)
			b.ins[to32].k = (uint32_t)(b.n - to32 - 1);
		rt_emit_arch(&b, SCMP_ARCH_X86);
	}
	if (b.full)
		return -E2BIG;
	*len = b.n;
	return 0;
}
