/*
 * rt-nsenter: a command in any process's namespaces, as `nsenter -t PID`
 * does it - not only nstop's containers. Unlike rt-exec nothing of the
 * target's confinement follows: no cgroup, no capabilities dropped, no
 * seccomp filter, no clean environment; only the namespaces (and with mnt,
 * the root). The target is held by a pidfd, so one setns() moves the child
 * into every chosen namespace at once, in the order the kernel needs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nstop/dl.h"
#include "nstop/ns.h"
#include "nstop/procstat.h"
#include "rt-launch.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The kind (ns.h's table) of the RT_NS_* bit i: the order `nstop enter
 * -n` and the TUI's dialog list them in. */
static const enum ns_type rt_ns_bit[RT_NS_NTYPES] = {
	NS_MNT, NS_NET, NS_PID, NS_UTS, NS_IPC, NS_CGROUP, NS_USER, NS_TIME,
};

const char *rt_ns_name(int i)
{
	return i >= 0 && i < RT_NS_NTYPES ? ns_kind(rt_ns_bit[i])->name : "?";
}

static int rt_ns_flag(int i)
{
	return ns_kind(rt_ns_bit[i])->clone_flag;
}

int rt_ns_parse(const char *list, unsigned *types, struct nst_err *err)
{
	const char *p = list;

	*types = 0;
	if (strcmp(list, "all") == 0) {
		*types = RT_NS_ALL;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int i;

		for (i = 0; i < RT_NS_NTYPES; i++)
			if (len == strlen(rt_ns_name(i)) && strncmp(p, rt_ns_name(i), len) == 0)
				break;
		if (i == RT_NS_NTYPES)
			return nst_err_set(err, EINVAL,
					   "unknown namespace type '%.*s' (mnt, net, pid, uts, ipc, cgroup, user, time or all)",
					   (int)len, p);
		*types |= 1U << i;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* A kernel thread: its stat's flags (the 9th field, after the comm). */
static int rt_ns_kthread(int dirfd)
{
	struct nst_stat st;
	int n = nst_stat_read(dirfd, "stat", &st);

	if (n < 0)
		return n;
	return n >= 9 && nst_stat_kthread(&st);
}

int rt_ns_ids(pid_t pid, struct rt_ns_id ids[RT_NS_NTYPES], struct nst_err *err)
{
	char path[32];
	int dirfd, found = 0, rc = 0;

	if (pid < 0)
		return nst_err_set(err, EINVAL, "%d is not a process ID", (int)pid);
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self");
	dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno == ENOENT)
			return nst_err_set(err, ESRCH, "no such process: %d", (int)pid);
		return nst_err_sys(err, errno, "%s", path);
	}
	if (pid && rt_ns_kthread(dirfd) > 0) {
		rc = nst_err_set(err, EPERM,
				 "PID %d is a kernel thread: it has no namespaces of its own to enter",
				 (int)pid);
		goto out;
	}
	for (int i = 0; i < RT_NS_NTYPES; i++) {
		struct stat st;
		char ns[32];

		snprintf(ns, sizeof(ns), "ns/%s", rt_ns_name(i));
		ids[i].dev = 0;
		ids[i].ino = 0;
		if (fstatat(dirfd, ns, &st, 0) < 0) {
			if (errno == ENOENT)
				continue;
			if (errno == EACCES || errno == EPERM)
				rc = nst_err_set(err, EACCES,
						 "PID %d's namespaces cannot be read: permission denied (%s)",
						 (int)pid, geteuid() ? "entering them needs root" :
						 "it has more privilege than nstop");
			else
				rc = nst_err_sys(err, errno, "%s/%s", path, ns);
			goto out;
		}
		ids[i].dev = st.st_dev;
		ids[i].ino = st.st_ino;
		found++;
	}
	/* a zombie: the links are there, what they name is gone */
	if (!found)
		rc = nst_err_set(err, ESRCH, "PID %d has exited: no namespaces left to enter",
				 (int)pid);
out:
	close(dirfd);
	return rc;
}

/* Which of pid's namespaces differ from ours, and which this kernel has. */
static int rt_ns_compare(pid_t pid, unsigned *differ, unsigned *have,
			 struct rt_ns_id target[RT_NS_NTYPES], struct nst_err *err)
{
	struct rt_ns_id self[RT_NS_NTYPES];
	int rc;

	if ((rc = rt_ns_ids(0, self, err)) < 0 || (rc = rt_ns_ids(pid, target, err)) < 0)
		return rc;
	*differ = *have = 0;
	for (int i = 0; i < RT_NS_NTYPES; i++) {
		if (self[i].ino)
			*have |= 1U << i;
		if (target[i].ino && (target[i].ino != self[i].ino || target[i].dev != self[i].dev))
			*differ |= 1U << i;
	}
	return 0;
}

int rt_ns_differ(pid_t pid, unsigned *types, struct nst_err *err)
{
	struct rt_ns_id target[RT_NS_NTYPES];
	unsigned have;

	*types = 0;
	if (pid <= 0)
		return nst_err_set(err, EINVAL, "%d is not a process ID", (int)pid);
	return rt_ns_compare(pid, types, &have, target, err);
}

int rt_ns_hostname(pid_t pid, char *buf, size_t size, struct nst_err *err)
{
	int fds[2], pidfd, ws = 0, rc = 0;
	ssize_t n = 0;
	pid_t child;

	if (size)
		buf[0] = '\0';
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return nst_err_sys(err, errno, "pidfd_open %d", (int)pid);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		rc = nst_err_sys(err, errno, "pipe");
		close(pidfd);
		return rc;
	}
	/* setns(uts) would change the caller's hostname view: a child's */
	child = fork();
	if (child == 0) {
		struct utsname u;

		close(fds[0]);
		if (setns(pidfd, CLONE_NEWUTS) < 0 || uname(&u) < 0)
			_exit(1);
		_exit(write(fds[1], u.nodename, strlen(u.nodename)) < 0);
	}
	close(fds[1]);
	close(pidfd);
	if (child < 0) {
		rc = nst_err_sys(err, errno, "fork");
	} else {
		size_t got = 0;

		while (size && got < size - 1 &&
		       ((n = read(fds[0], buf + got, size - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
			if (n > 0)
				got += (size_t)n;
		if (size)
			buf[got] = '\0';
		while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(ws) || WEXITSTATUS(ws) || !got)
			rc = nst_err_set(err, EPERM, "PID %d's hostname cannot be read", (int)pid);
	}
	close(fds[0]);
	return rc;
}

struct rt_nsenter_ctx {
	pid_t pid;
	int pidfd, rootfd, wdfd;
	unsigned enter;			/* of pid's, through pidfd */
	int file_fd[RT_NS_NTYPES];	/* a namespace by file, or -1 */
	const char *file[RT_NS_NTYPES];
	bool preserve_creds;
	int report_wr;
	struct rt_tty tty;	/* the command's own terminal */
	char *const *argv;
};

static int rt_nsenter_child_setup(struct rt_nsenter_ctx *x, const char **cmd,
				  struct nst_err *err)
{
	int flags = 0;

	for (int i = 0; i < RT_NS_NTYPES; i++)
		if ((x->enter & (1U << i)) && rt_ns_flag(i) != CLONE_NEWPID)
			flags |= rt_ns_flag(i);
	/* Threat: a process of the target tracing this one while it holds
	 * the host's fds (pidfd, root): not dumpable, it cannot be traced
	 * without CAP_SYS_PTRACE; execve resets it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nst_err_sys(err, errno, "making the command non-dumpable");
	/* by file first, while still privileged over the host's (a user
	 * namespace last: once in it, the others would be out of reach) */
	for (int i = 0; i < RT_NS_NTYPES; i++) {
		if (x->file_fd[i] < 0 || i == 2 /* pid: the parent's */ || i == 6)
			continue;
		if (setns(x->file_fd[i], rt_ns_flag(i)) < 0)
			return nst_err_sys(err, errno, "entering the %s namespace %s",
					   rt_ns_name(i), x->file[i]);
	}
	if (flags && x->pidfd >= 0 && setns(x->pidfd, flags) < 0) {
		int e = errno;

		if (e == ESRCH)
			return nst_err_set(err, ESRCH, "PID %d has exited", (int)x->pid);
		/* which one: one at a time, in setns order (this child ends
		 * here anyway) */
		for (size_t k = 0; k < NS_NTYPES; k++) {
			const struct ns_kind *t = ns_kind(ns_setns_order[k]);

			if (!(flags & t->clone_flag))
				continue;
			if (setns(x->pidfd, t->clone_flag) < 0)
				return nst_err_sys(err, errno, "entering PID %d's %s namespace",
						   (int)x->pid, t->name);
		}
		return nst_err_sys(err, e, "entering PID %d's namespaces", (int)x->pid);
	}
	if (x->file_fd[6] >= 0 && setns(x->file_fd[6], CLONE_NEWUSER) < 0)
		return nst_err_sys(err, errno, "entering the user namespace %s", x->file[6]);
	/* as nsenter: root of the user namespace, if it maps one, unless
	 * told --preserve-credentials */
	if (((x->enter & RT_NS_USER) || x->file_fd[6] >= 0) && !x->preserve_creds) {
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			return nst_err_sys(err, errno, "dropping supplementary groups");
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			return nst_err_sys(err, errno,
					   "becoming uid 0 in PID %d's user namespace (is 0 mapped?)",
					   (int)x->pid);
	}
	if (x->rootfd >= 0) {
		if (fchdir(x->rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0)
			return nst_err_sys(err, errno, "entering the root directory");
	}
	if (x->wdfd >= 0 && fchdir(x->wdfd) < 0)
		return nst_err_sys(err, errno, "entering the working directory");
	if (x->argv && x->argv[0]) {
		*cmd = x->argv[0];
		return 0;
	}
	if ((x->enter & RT_NS_MNT) || x->file_fd[0] >= 0) {
		if (access("/bin/sh", X_OK) < 0)
			return nst_err_set(err, ENOENT, "PID %d's root has no /bin/sh: give a command",
					   (int)x->pid);
		*cmd = "/bin/sh";
		return 0;
	}
	*cmd = getenv("SHELL");
	if (!*cmd || (*cmd)[0] != '/' || access(*cmd, X_OK) < 0)
		*cmd = "/bin/sh";
	return 0;
}

_Noreturn static void rt_nsenter_child(struct rt_nsenter_ctx *x)
{
	static const int dfl[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE,
				   SIGCHLD, SIGWINCH, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	const char *cmd = NULL;
	struct nst_err err;
	sigset_t none;

	nst_err_clear(&err);
	/* what the caller (a TUI) ignores or handles is not the command's */
	for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		sigaction(dfl[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* nothing of glibc's may load from the target's root (dl.c) */
	if (nst_dl_leave_host(&err) < 0 || rt_tty_child(&x->tty, &err) < 0 ||
	    rt_nsenter_child_setup(x, &cmd, &err) < 0) {
		rt_report(x->report_wr, &err);
		_exit(127);
	}
	/* nothing of the caller's open files goes with the command (the
	 * report pipe is close-on-exec already) */
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	if (x->argv && x->argv[0]) {
		execvp(cmd, x->argv);
	} else {
		char *const shell[] = { (char *)cmd, NULL };
		execv(cmd, shell);
	}
	nst_err_sys(&err, errno, "%s", cmd);
	rt_report(x->report_wr, &err);
	_exit(127);
}

static int rt_nsenter_run(struct rt_nsenter_ctx *x, int *exit_status, struct nst_err *err)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, oldchld;
	struct timespec zero = { 0, 0 };
	int report[2], self_pidns = -1, rc = 0;
	sigset_t set, old;
	pid_t pid;

	if (pipe2(report, O_CLOEXEC) < 0)
		return nst_err_sys(err, errno, "pipe");
	if ((x->tty.slave_fds && (rc = rt_tty_open_host(&x->tty, err)) < 0) ||
	    (rc = rt_tty_open_null(&x->tty, err)) < 0)
		goto out;
	/* setns(pid) only moves our children: joined here, undone after */
	if ((x->enter & RT_NS_PID) || x->file_fd[2] >= 0) {
		self_pidns = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
		if (self_pidns < 0) {
			rc = nst_err_sys(err, errno, "/proc/self/ns/pid_for_children");
			goto out;
		}
		if (x->file_fd[2] >= 0 && setns(x->file_fd[2], CLONE_NEWPID) < 0) {
			rc = nst_err_sys(err, errno, "entering the pid namespace %s", x->file[2]);
			goto out;
		}
		if (x->file_fd[2] < 0 && setns(x->pidfd, CLONE_NEWPID) < 0) {
			rc = errno == ESRCH ? nst_err_set(err, ESRCH, "PID %d has exited", (int)x->pid)
					    : nst_err_sys(err, errno, "entering PID %d's pid namespace",
							  (int)x->pid);
			goto out;
		}
	}
	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	sigaction(SIGCHLD, &dfl, &oldchld);
	pid = fork();
	if (pid == 0) {
		close(report[0]);
		x->report_wr = report[1];
		rt_nsenter_child(x);
	}
	if (pid < 0)
		rc = nst_err_sys(err, errno, "fork");
	if (self_pidns >= 0 && setns(self_pidns, CLONE_NEWPID) < 0 && rc == 0)
		rc = nst_err_sys(err, errno, "back to nstop's pid namespace");
	close(report[1]);
	report[1] = -1;
	if (x->tty.slave >= 0) {
		close(x->tty.slave);
		x->tty.slave = -1;
	}
	if (pid > 0) {
		int r = rt_report_read(report[0], err);
		if (r < 0) {
			rc = r;
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		} else {
			*exit_status = x->tty.master >= 0 ? rt_tty_relay(&x->tty, pid, &set) :
							    rt_wait_forward(pid, &set);
		}
	}
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigaction(SIGCHLD, &oldchld, NULL);
out:
	rt_tty_close(&x->tty);
	if (self_pidns >= 0)
		close(self_pidns);
	close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	return rc;
}

/*
 * Opens a namespace file the operator named (--net=/run/netns/NAME) before
 * anything is entered. Threat: a path that is not a namespace (a FIFO would
 * block the open, a device has effects on open) or one of another type than
 * the option says: opened without blocking or becoming our terminal, then
 * refused unless the kernel says it is a namespace of that very type.
 */
static int rt_ns_file_open(const char *path, int i, struct nst_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	int t;

	if (fd < 0)
		return nst_err_sys(err, errno, "%s", path);
	t = ioctl(fd, NS_GET_NSTYPE);
	if (t != rt_ns_flag(i)) {
		close(fd);
		return nst_err_set(err, EINVAL, "%s is not a %s namespace", path,
				   rt_ns_name(i));
	}
	return fd;
}

/* -r/-w: DIR as the caller sees it, or ("") the target's root or cwd. */
static int rt_dir_open(const char *dir, pid_t pid, const char *which, struct nst_err *err)
{
	char path[64];
	int fd;

	if (!dir[0]) {
		if (pid <= 0)
			return nst_err_set(err, EINVAL, "no target process for its %s directory",
					   which);
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
		dir = path;
	}
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s", dir);
	return fd;
}

int rt_nsenter_with(const struct rt_nsenter_opts *o, char *const argv[], int *exit_status,
		    struct nst_err *err)
{
	struct rt_nsenter_ctx x = { .pid = o->pid, .pidfd = -1, .rootfd = -1, .wdfd = -1,
				    .report_wr = -1, .argv = argv,
				    .preserve_creds = o->preserve_creds };
	struct rt_ns_id target[RT_NS_NTYPES];
	unsigned differ = 0, have = 0, types = o->types;
	pid_t pid = o->pid;
	int rc = 0;

	*exit_status = 1;
	for (int i = 0; i < RT_NS_NTYPES; i++)
		x.file_fd[i] = -1;
	if (pid < 0 || (pid == 0 && types))
		return nst_err_set(err, EINVAL, "%d is not a process ID", (int)pid);
	if (types & ~(unsigned)RT_NS_ALL)
		return nst_err_set(err, EINVAL, "unknown namespace types 0x%x", types);
	if (geteuid() != 0)
		return nst_err_set(err, EPERM, "entering another process's namespaces needs root");
	for (int i = 0; i < RT_NS_NTYPES; i++) {
		if (!o->file[i])
			continue;
		if ((x.file_fd[i] = rt_ns_file_open(o->file[i], i, err)) < 0) {
			rc = x.file_fd[i];
			goto out;
		}
		x.file[i] = o->file[i];
		types &= ~(1U << i);
	}
	if (pid) {
		/* the pidfd first: from here on it names this process, or one gone */
		x.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (x.pidfd < 0) {
			if (errno == ESRCH)
				rc = nst_err_set(err, ESRCH, "no such process: %d", (int)pid);
			else
				rc = nst_err_sys(err, errno, "pidfd_open %d%s", (int)pid,
						 errno == ENOSYS ? " (Linux 5.8 or later is needed)" : "");
			goto out;
		}
		if ((rc = rt_ns_compare(pid, &differ, &have, target, err)) < 0)
			goto out;
		if (!o->all && (types & ~have)) {
			for (int i = 0; i < RT_NS_NTYPES; i++)
				if (types & ~have & (1U << i)) {
					rc = nst_err_set(err, EOPNOTSUPP, "this kernel has no %s namespaces",
							 rt_ns_name(i));
					goto out;
				}
		}
	}
	x.enter = types & differ;
	rt_tty_plan(&x.tty);
	if (o->root || (x.enter & RT_NS_MNT)) {
		x.rootfd = rt_dir_open(o->root ? o->root : "", pid, "root", err);
		if (x.rootfd < 0) {
			rc = x.rootfd;
			goto out;
		}
	}
	if (o->wd) {
		x.wdfd = rt_dir_open(o->wd, pid, "cwd", err);
		if (x.wdfd < 0) {
			rc = x.wdfd;
			goto out;
		}
	}
	rc = rt_nsenter_run(&x, exit_status, err);
out:
	for (int i = 0; i < RT_NS_NTYPES; i++)
		if (x.file_fd[i] >= 0)
			close(x.file_fd[i]);
	if (x.rootfd >= 0)
		close(x.rootfd);
	if (x.wdfd >= 0)
		close(x.wdfd);
	if (x.pidfd >= 0)
		close(x.pidfd);
	return rc;
}

int rt_nsenter(pid_t pid, unsigned types, char *const argv[], int *exit_status,
	       struct nst_err *err)
{
	struct rt_nsenter_opts o = { .pid = pid, .types = types, .all = types == RT_NS_ALL };

	if (pid <= 0) {
		*exit_status = 1;
		return nst_err_set(err, EINVAL, "%d is not a process ID", (int)pid);
	}
	return rt_nsenter_with(&o, argv, exit_status, err);
}
