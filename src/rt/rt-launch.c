/*
 * The launch toolkit of rt-launch.h, shared by the caller (rt-spawn.c), the
 * init (rt-init.c) and exec (rt-exec.c): the report channel, joining the
 * container's cgroups, the payload's environment, waiting with signals
 * passed on, and the terminal's foreground. Kept apart from rt_run so that
 * the init needs nothing of the side that cloned it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt-launch.h"

void rt_report(int fd, const struct nst_err *err)
{
	struct nst_err e = *err;
	ssize_t n;

	if (e.code == 0 && e.msg[0])
		e.code = EIO;
	do
		n = write(fd, &e, sizeof(e));	/* below PIPE_BUF: one piece */
	while (n < 0 && errno == EINTR);
}

int rt_report_read(int fd, struct nst_err *err)
{
	struct nst_err e;
	size_t got = 0;

	while (got < sizeof(e)) {
		ssize_t n = read(fd, (char *)&e + got, sizeof(e) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nst_err_sys(err, errno, "reading the container's report");
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got == 0)
		return 0;
	if (got != sizeof(e))
		return nst_err_set(err, EIO, "the container's report was cut short");
	e.msg[sizeof(e.msg) - 1] = '\0';
	/* what went wrong in there is never the caller's usage */
	e.usage = false;
	if (e.code == 0)
		return 1;
	*err = e;
	return -e.code;
}

/* Opens the files of the v2 hierarchy (v2) and of the v1 ones (v1). */
static int join_open(const struct rt_cg *cg, struct rt_join *j, bool v2, bool v1,
		     struct nst_err *err)
{
	j->ntasks = 0;
	j->v2dir = j->v2procs = -1;
	j->v2joined = false;
	for (int i = 0; i < cg->layout->n; i++) {
		const struct cg_hier *h = &cg->layout->h[i];
		int fd;

		if (cg->dirfd[i] < 0 || (h->v2 ? !v2 : !v1))
			continue;
		if (h->v2) {
			/* a real fd: CLONE_INTO_CGROUP takes no O_PATH one */
			j->v2dir = openat(cg->dirfd[i], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (j->v2dir < 0)
				goto fail;
			j->v2procs = openat(cg->dirfd[i], "cgroup.procs", O_WRONLY | O_CLOEXEC);
			if (j->v2procs < 0)
				goto fail;
			continue;
		}
		fd = openat(cg->dirfd[i], "tasks", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			goto fail;
		j->tasks[j->ntasks++] = fd;
	}
	return 0;
fail:
	{
		int e = errno;
		rt_join_close(j);
		return nst_err_sys(err, e, "opening the container's cgroups");
	}
}

int rt_join_open(const struct rt_cg *cg, struct rt_join *j, struct nst_err *err)
{
	return join_open(cg, j, true, true, err);
}

int rt_join_open_v2(const struct rt_cg *cg, struct rt_join *j, struct nst_err *err)
{
	return join_open(cg, j, true, false, err);
}

int rt_join_send(int sock, const struct rt_cg *cg, struct nst_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * CG_MAX_HIER)];
	} u;
	char word = 'c';
	struct iovec iov = { .iov_base = &word, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct rt_join j;
	ssize_t n;
	int rc;

	if ((rc = join_open(cg, &j, false, true, err)) < 0)
		return rc;
	memset(&u, 0, sizeof(u));
	if (j.ntasks > 0) {
		struct cmsghdr *c;

		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)j.ntasks);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)j.ntasks);
		memcpy(CMSG_DATA(c), j.tasks, sizeof(int) * (size_t)j.ntasks);
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	rc = n == 1 ? 0 : nst_err_sys(err, n < 0 ? errno : EIO, "handing the cgroups to the init");
	rt_join_close(&j);
	return rc;
}

int rt_join_recv(int sock, struct rt_join *j, struct nst_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * CG_MAX_HIER)];
	} u;
	char word = 0;
	struct iovec iov = { .iov_base = &word, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;

	j->ntasks = 0;
	j->v2dir = j->v2procs = -1;
	j->v2joined = true;	/* the v2 cgroup was the clone's (rt_join_self) */
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != 1 || word != 'c')
		return nst_err_set(err, EPIPE, "the container's cgroups never came");
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len >= CMSG_LEN(0)) {
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(j->tasks, CMSG_DATA(c), k * sizeof(int));
		j->ntasks = (int)k;
	}
	/* fewer than sent (the limit of open files): a hierarchy not joined */
	if (msg.msg_flags & MSG_CTRUNC) {
		rt_join_close(j);
		return nst_err_set(err, EMFILE, "the container's cgroups came cut short");
	}
	return 0;
}

/* Threat: the host's ancestors of the container's cgroup visible in
 * /proc/self/cgroup and in cgroup mounts made inside. Unshared once in the
 * container's cgroups: they become the namespace's root. */
static int rt_cgroupns_unshare(struct nst_err *err)
{
	if (unshare(CLONE_NEWCGROUP) < 0)
		return nst_err_sys(err, errno, "cgroup namespace");
	return 0;
}

int rt_join_late(const struct rt_launch *l, struct nst_err *err)
{
	struct rt_join j;
	int rc;

	if ((rc = rt_join_recv(l->go_rd, &j, err)) < 0)
		return rc;
	if ((rc = rt_join_self(&j, err)) < 0) {
		rt_join_close(&j);
		return rc;
	}
	return rt_cgroupns_unshare(err);
}

pid_t rt_join_clone(struct rt_join *j, unsigned long flags, struct nst_err *err)
{
	struct clone_args args = {
		.flags = flags | (j->v2dir >= 0 ? CLONE_INTO_CGROUP : 0),
		.exit_signal = SIGCHLD,
		.cgroup = j->v2dir >= 0 ? (uint64_t)j->v2dir : 0,
	};
	long pid = syscall(SYS_clone3, &args, sizeof(args));

	if (pid < 0 && (errno == ENOSYS || errno == E2BIG)) {
		/* an older kernel: the child joins v2 through cgroup.procs */
		pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
		if (pid >= 0)
			return (pid_t)pid;
	} else if (pid >= 0) {
		j->v2joined = true;
		return (pid_t)pid;
	}
	return nst_err_sys(err, errno, "clone");
}

/* "0": the calling thread itself. The kernel then skips the global
 * cgroup_threadgroup_rwsem, which a write of another task's pid takes for
 * writing (an RCU grace period each): so the init joins itself, rather
 * than being moved by the caller (measured: 1.06x a launch's wall). */
int rt_join_self(struct rt_join *j, struct nst_err *err)
{
	for (int i = 0; i < j->ntasks; i++)
		if (write(j->tasks[i], "0", 1) != 1)
			return nst_err_sys(err, errno, "joining the container's cgroups");
	if (!j->v2joined && j->v2procs >= 0 && write(j->v2procs, "0", 1) != 1)
		return nst_err_sys(err, errno, "joining the container's v2 cgroup");
	rt_join_close(j);
	return 0;
}

void rt_join_close(struct rt_join *j)
{
	for (int i = 0; i < j->ntasks; i++)
		close(j->tasks[i]);
	j->ntasks = 0;
	if (j->v2dir >= 0)
		close(j->v2dir);
	if (j->v2procs >= 0)
		close(j->v2procs);
	j->v2dir = j->v2procs = -1;
}

/* Sets NAME=VALUE in env (n entries), replacing an entry of that NAME. */
static int rt_env_set(char **env, size_t *n, const char *kv)
{
	size_t len = strcspn(kv, "=");
	char *copy = strdup(kv);

	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < *n; i++)
		if (strncmp(env[i], kv, len) == 0 && env[i][len] == '=') {
			free(env[i]);
			env[i] = copy;
			return 0;
		}
	env[(*n)++] = copy;
	env[*n] = NULL;
	return 0;
}

char **rt_env_build(const char *hostname, char *const *extra, struct nst_err *err)
{
	size_t n = 0, max = 8;
	const char *term = getenv("TERM");
	char host[80], kv[8192];
	char **env;
	int rc = 0;

	for (size_t i = 0; extra && extra[i]; i++)
		max++;
	env = calloc(max + 1, sizeof(*env));
	if (!env)
		goto nomem;
	snprintf(host, sizeof(host), "HOSTNAME=%s", hostname ? hostname : "");
	/* a clean environment, as runc and crun give: nothing of the caller's
	 * (its secrets, its paths to sockets) but the terminal's type */
	if ((rc = rt_env_set(env, &n, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")) < 0 ||
	    (rc = rt_env_set(env, &n, "HOME=/root")) < 0 ||
	    (rc = rt_env_set(env, &n, host)) < 0 ||
	    (rc = rt_env_set(env, &n, "container=nstop")) < 0)
		goto nomem;
	if (term) {
		snprintf(kv, sizeof(kv), "TERM=%s", term);
		if ((rc = rt_env_set(env, &n, kv)) < 0)
			goto nomem;
	}
	for (size_t i = 0; extra && extra[i]; i++) {
		const char *e = extra[i];
		if (e[0] == '\0' || e[0] == '=') {
			nst_err_set(err, EINVAL, "environment '%s': not NAME=VALUE or NAME", e);
			rt_env_free(env);
			return NULL;
		}
		if (!strchr(e, '=')) {
			/* NAME alone: the caller's value, or nothing when it has none */
			const char *v = getenv(e);
			if (!v)
				continue;
			if (snprintf(kv, sizeof(kv), "%s=%s", e, v) >= (int)sizeof(kv)) {
				nst_err_set(err, E2BIG, "environment %s: too long", e);
				rt_env_free(env);
				return NULL;
			}
			e = kv;
		}
		if ((rc = rt_env_set(env, &n, e)) < 0)
			goto nomem;
	}
	return env;
nomem:
	rt_env_free(env);
	nst_err_set(err, ENOMEM, "environment: out of memory");
	return NULL;
}

void rt_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

void rt_forward_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int rt_wait_forward(pid_t pid, const sigset_t *set)
{
	int ws = 0;

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(set, &si);

		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			pid_t p = waitpid(pid, &ws, WNOHANG);
			if (p == pid)
				break;
			if (p < 0 && errno == ECHILD) {
				ws = 1 << 8;	/* reaped by someone else: unknown */
				break;
			}
			continue;
		}
		if (sig == SIGPIPE)
			continue;
		kill(pid, sig);
	}
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 1;
}
