/*
 * rt-exec: a command inside a running container, as `docker exec` does it:
 * into the container's cgroups, then setns() into each namespace of its
 * init (user first, mount last), a fork so the command is inside the pid
 * namespace, the container's root, and the container's hardening.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nstop/dl.h"
#include "nstop/ns.h"
#include "rt-launch.h"

/* The kinds a container has of its own that exec joins, in ns.h's setns
 * order (user first: with one, its capabilities are what allow joining the
 * others; mnt late: it changes what /proc paths mean). pid is joined by the
 * parent; time a container does not unshare. */
static bool rt_exec_joins(enum ns_type t, const struct rt_state *st)
{
	return t != NS_PID && t != NS_TIME && (t != NS_USER || st->userns);
}
#define RT_EXEC_NNS NS_NTYPES

struct rt_exec_ctx {
	struct rt_state st;
	struct rt_cg cg;
	struct rt_join join;
	int nsfd[RT_EXEC_NNS];
	int pidns, rootfd;
	int report_wr;
	struct rt_tty tty;	/* the command's own terminal */
	char *const *argv;
	char **env;
};

static int rt_exec_open_fds(struct rt_exec_ctx *x, struct nst_err *err);

static int rt_exec_open(struct rt_exec_ctx *x, struct nst_err *err)
{
	int pidfd, rc = 0;

	/* the init verified first (rt_pid_open_verified says why); the
	 * /proc/PID fds below are its while its pidfd still signals */
	pidfd = rt_pid_open_verified(&x->st, err);
	if (pidfd < 0)
		return pidfd;
	rc = rt_exec_open_fds(x, err);
	if (rc == 0 && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		rc = nst_err_set(err, ESRCH, "container %s is not running", x->st.name);
	close(pidfd);
	return rc;
}

static int rt_exec_open_fds(struct rt_exec_ctx *x, struct nst_err *err)
{
	char path[64];

	for (int t = 0; t < NS_NTYPES; t++) {
		if (!rt_exec_joins(t, &x->st))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)x->st.pid, ns_type_name(t));
		x->nsfd[t] = open(path, O_RDONLY | O_CLOEXEC);
		if (x->nsfd[t] < 0)
			return nst_err_sys(err, errno, "%s", path);
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)x->st.pid);
	x->pidns = open(path, O_RDONLY | O_CLOEXEC);
	if (x->pidns < 0)
		return nst_err_sys(err, errno, "%s", path);
	snprintf(path, sizeof(path), "/proc/%d/root", (int)x->st.pid);
	x->rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (x->rootfd < 0)
		return nst_err_sys(err, errno, "%s", path);
	return 0;
}

static int rt_exec_enter(struct rt_exec_ctx *x, struct nst_err *err)
{
	int rc;

	/* cgroups first, while the host's view of them still holds: the
	 * command counts against the container's limits from its start (v2
	 * was joined at the clone) */
	if ((rc = rt_join_self(&x->join, err)) < 0)
		return rc;
	for (size_t k = 0; k < NS_NTYPES; k++) {
		enum ns_type t = ns_setns_order[k];

		if (x->nsfd[t] < 0)
			continue;
		if (setns(x->nsfd[t], ns_kind(t)->clone_flag) < 0)
			return nst_err_sys(err, errno, "entering the %s namespace", ns_type_name(t));
		if (t == NS_USER &&
		    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 || setgroups(0, NULL) < 0))
			return nst_err_sys(err, errno, "becoming root of the user namespace");
	}
	/* the container's root as its init sees it, and / in it */
	if (fchdir(x->rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return nst_err_sys(err, errno, "entering the container's root");
	return 0;
}

/* Every fd but stdio and the report pipe: once inside, the host's cgroup
 * directories, namespace and root fds are needed no more. */
static void rt_exec_close_fds(int keep)
{
	if (keep > 3)
		syscall(SYS_close_range, 3, (unsigned)keep - 1, 0);
	syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0);
}

_Noreturn static void rt_exec_child(struct rt_exec_ctx *x)
{
	static char *const shell[] = { "/bin/sh", NULL };
	char *const *argv = x->argv && x->argv[0] ? x->argv : shell;
	struct nst_err err;
	sigset_t none;

	nst_err_clear(&err);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Threat: a process of the container tracing this one while it still
	 * holds the host's fds (the runc "leaky fd" escapes): not dumpable,
	 * it cannot be traced without CAP_SYS_PTRACE; execve resets it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		nst_err_sys(&err, errno, "making the command non-dumpable");
		rt_report(x->report_wr, &err);
		_exit(127);
	}
	/* nothing of glibc's may load from the container's root (dl.c) */
	if (nst_dl_leave_host(&err) < 0 || rt_tty_child(&x->tty, &err) < 0 ||
	    rt_exec_enter(x, &err) < 0) {
		rt_report(x->report_wr, &err);
		_exit(127);
	}
	rt_exec_close_fds(x->report_wr);
	if (rt_security_apply(&err) < 0) {
		rt_report(x->report_wr, &err);
		_exit(127);
	}
	/* the command is looked up in its own PATH */
	environ = x->env;
	execvp(argv[0], argv);
	nst_err_sys(&err, errno, "%s", argv[0]);
	rt_report(x->report_wr, &err);
	_exit(127);
}


static int rt_exec_run(struct rt_exec_ctx *x, int *exit_status, struct nst_err *err)
{
	int report[2], self_pidns, rc;
	struct timespec zero = { 0, 0 };
	struct sigaction dfl = { .sa_handler = SIG_DFL }, oldchld;
	sigset_t set, old;
	pid_t pid;

	/* setns(pid) only moves our children: joined here, undone after */
	self_pidns = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (self_pidns < 0)
		return nst_err_sys(err, errno, "/proc/self/ns/pid_for_children");
	if (pipe2(report, O_CLOEXEC) < 0) {
		rc = nst_err_sys(err, errno, "pipe");
		close(self_pidns);
		return rc;
	}
	if ((x->tty.slave_fds && (rc = rt_tty_open_in(&x->tty, x->rootfd, err)) < 0) ||
	    (rc = rt_tty_open_null(&x->tty, err)) < 0)
		goto out;
	if (setns(x->pidns, CLONE_NEWPID) < 0) {
		rc = nst_err_sys(err, errno, "entering the pid namespace");
		goto out;
	}
	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	sigaction(SIGCHLD, &dfl, &oldchld);
	pid = rt_join_clone(&x->join, 0, err);
	if (pid == 0) {
		close(report[0]);
		x->report_wr = report[1];
		rt_exec_child(x);
	}
	if (pid < 0)
		rc = pid;
	rt_join_close(&x->join);
	setns(self_pidns, CLONE_NEWPID);
	close(report[1]);
	report[1] = -1;
	/* the slave is the command's alone */
	if (x->tty.slave >= 0) {
		close(x->tty.slave);
		x->tty.slave = -1;
	}
	if (pid > 0) {
		rc = rt_report_read(report[0], err);
		if (rc < 0) {
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		} else {
			*exit_status = x->tty.master >= 0 ? rt_tty_relay(&x->tty, pid, &set) :
							    rt_wait_forward(pid, &set);
			rc = 0;
		}
	}
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigaction(SIGCHLD, &oldchld, NULL);
out:
	rt_tty_close(&x->tty);
	close(self_pidns);
	close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	return rc;
}

/*
 * Threat: a process of the container put next to an init that is still
 * building it. The state says running from the clone on (written while the
 * init builds the root), and until it execs its sealed reaper the init is
 * nstop's binary from the host's path, its root not yet the container's.
 * A launch holds the container's lock until its payload runs: exec waits
 * for it (held briefly, as rm and update take it).
 */
static int rt_exec_after_launch(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	int lockfd = rt_lock(ctx, name, false, err);

	if (lockfd < 0)
		return lockfd;
	rt_unlock(lockfd);
	return 0;
}

int rt_exec(struct rt_ctx *ctx, const char *name, char *const argv[], int *exit_status,
	    struct nst_err *err)
{
	return rt_exec_env(ctx, name, argv, NULL, exit_status, err);
}

int rt_exec_env(struct rt_ctx *ctx, const char *name, char *const argv[],
		char *const env[], int *exit_status, struct nst_err *err)
{
	struct rt_exec_ctx x = { .pidns = -1, .rootfd = -1, .report_wr = -1, .argv = argv,
				 .join = { .v2dir = -1, .v2procs = -1 } };
	bool cg_open = false;
	int rc;

	for (size_t i = 0; i < RT_EXEC_NNS; i++)
		x.nsfd[i] = -1;
	rt_tty_plan(&x.tty);
	*exit_status = 0;
	/* what is wrong as given first, whoever asks */
	if ((rc = rt_name_check(name, err)) < 0)
		return rc;
	if (geteuid() != 0)
		return nst_err_set(err, EPERM, "entering a container needs root");
	if ((rc = rt_exec_after_launch(ctx, name, err)) < 0)
		return rc;
	if ((rc = rt_state_load(ctx, name, &x.st, err)) < 0)
		return rc;
	if ((rc = rt_exec_check(&x.st, err)) < 0)
		goto out;
	x.env = rt_env_build(x.st.hostname, env, err);
	if (!x.env) {
		rc = -err->code;
		goto out;
	}
	if ((rc = rt_cg_open(ctx, name, &x.cg, err)) < 0)
		goto out;
	cg_open = true;
	if ((rc = rt_join_open(&x.cg, &x.join, err)) < 0)
		goto out;
	if ((rc = rt_exec_open(&x, err)) < 0)
		goto out;
	rc = rt_exec_run(&x, exit_status, err);
out:
	for (size_t i = 0; i < RT_EXEC_NNS; i++)
		if (x.nsfd[i] >= 0)
			close(x.nsfd[i]);
	if (x.pidns >= 0)
		close(x.pidns);
	if (x.rootfd >= 0)
		close(x.rootfd);
	rt_join_close(&x.join);
	rt_env_free(x.env);
	if (cg_open)
		rt_cg_close(&x.cg);
	return rc;
}
