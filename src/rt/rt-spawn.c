/*
 * rt-spawn: rt_run. Everything is checked before anything is made; then
 * the lock and state directory, the v2 cgroup, the init cloned into its new
 * namespaces (and that cgroup), the v1 cgroups made while it mounts its
 * root, which it joins itself before it unshares its cgroup namespace, and
 * state.json. The process that cloned the init is its
 * monitor: nstop itself in the foreground, a daemon of its own with -d. It
 * waits for the init and records how it ended (and with --rm removes all).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nstop/utf8.h"
#include "nstop/net.h"
#include "rt-launch.h"

void rt_spec_init(struct rt_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	rt_limits_init(&spec->limits);
	spec->net = RT_NET_NONE;
	spec->userns_count = 65536;
}

/* What rt_run works on: the spec with its paths made absolute, and what
 * has been made so far (for the undo). */
struct rt_run_ctx {
	struct rt_ctx *ctx;		/* the caller's; the monitor's own once detached */
	struct rt_spec spec;
	char name[RT_NAME_MAX + 1];
	char rootfs[RT_PATH_MAX];
	char vol_src[RT_MAX_VOLUMES][RT_PATH_MAX];
	struct rt_vol_run vols;		/* the volumes of nstop's store */
	char mounts[RT_MOUNTS_TEXT];	/* as the state records them */
	struct rt_launch launch;
	struct rt_cg cg;
	bool cg_made;
	int lockfd;
	int cwd;			/* the caller's working directory */
	pid_t pid;
	pid_t init_pid;			/* as state.json records it */
	unsigned long long init_start;
	sigset_t oldmask;
	struct sigaction oldchld;
};

/* The signals a monitor waits for: the init's end, and what it passes on. */
static void rt_monitor_sigset(sigset_t *set)
{
	rt_forward_sigset(set);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	/* a pipe to an init that died already says EPIPE, not kill nstop */
	sigaddset(set, SIGPIPE);
}

static int rt_made_up_name(char *name, struct nst_err *err)
{
	unsigned char r[4];

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return nst_err_sys(err, errno, "making up a name");
	snprintf(name, RT_NAME_MAX + 1, "nst-%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
	return 0;
}

/* With --userns the init walks to the rootfs and the volumes as the
 * namespace's root, an ordinary uid on the host: every directory on the way
 * must let it pass (path is absolute and resolved). */
static int rt_userns_reachable(const struct rt_spec *s, const char *what,
			       const char *path, struct nst_err *err)
{
	char p[RT_PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(p))
		return nst_err_set(err, ENAMETOOLONG, "%s %s: path too long", what, path);
	memcpy(p, path, len + 1);
	for (;;) {
		struct stat st;

		if (stat(p[0] ? p : "/", &st) < 0)
			return nst_err_sys(err, errno, "%s %s", what, p);
		if (S_ISDIR(st.st_mode) &&
		    !(st.st_uid == s->userns_uid && (st.st_mode & S_IXUSR)) &&
		    !(st.st_gid == s->userns_gid && (st.st_mode & S_IXGRP)) &&
		    !(st.st_mode & S_IXOTH))
			return nst_err_set(err, EACCES,
					   "%s %s: %s is closed to uid %u of --userns (chmod o+x, or move it)",
					   what, path, p[0] ? p : "/", (unsigned)s->userns_uid);
		if (!p[0])
			return 0;
		*strrchr(p, '/') = '\0';
	}
}

/* Everything a user can get wrong, before anything is made: the rules
 * (rt-check.c) the front ends check with too. */
static int rt_run_check(struct rt_run_ctx *c, struct nst_err *err)
{
	struct rt_spec *s = &c->spec;
	int rc;

	if (s->argv && !s->argv[0])
		s->argv = NULL;
	/* what is wrong as given first, whoever asks */
	if ((rc = rt_check_command(s->argv, s->detach, err)) < 0 ||
	    (s->hostname && (rc = rt_check_hostname(s->hostname, err)) < 0) ||
	    (rc = rt_check_nat(s->net, s->nat, err)) < 0 ||
	    (s->overlay && !s->rootfs && (rc = rt_check_rootfs(NULL, true, NULL, err)) < 0))
		return rc;
	if (geteuid() != 0)
		return nst_err_set(err, EPERM, "containers need root");
	if (s->name) {
		if ((rc = rt_name_check(s->name, err)) < 0)
			return rc;
		snprintf(c->name, sizeof(c->name), "%s", s->name);
	} else if ((rc = rt_made_up_name(c->name, err)) < 0) {
		return rc;
	}
	s->name = c->name;
	if ((rc = rt_check_rootfs(s->rootfs, s->overlay, c->rootfs, err)) < 0)
		return rc;
	if (s->rootfs)
		s->rootfs = c->rootfs;
	if (s->nvolumes > RT_MAX_VOLUMES)
		return nst_err_usage(err, E2BIG, "more than %d volumes", RT_MAX_VOLUMES);
	for (size_t i = 0; i < s->nvolumes; i++) {
		struct rt_volume *v = &s->volumes[i];
		if ((rc = rt_check_volume(v, s->rootfs, c->vol_src[i], err)) < 0)
			return rc;
		if (v->kind == RT_VOL_BIND)
			v->src = c->vol_src[i];
	}
	if (s->userns && s->rootfs && (rc = rt_userns_reachable(s, "rootfs", s->rootfs, err)) < 0)
		return rc;
	/* (a volume of the store is opened by nstop and handed over: the
	 * init never walks to it) */
	for (size_t i = 0; s->userns && i < s->nvolumes; i++)
		if (s->volumes[i].kind == RT_VOL_BIND &&
		    (rc = rt_userns_reachable(s, "volume", s->volumes[i].src, err)) < 0)
			return rc;
	if ((rc = rt_vol_run_names(&c->vols, s, err)) < 0 ||
	    (rc = rt_vol_run_mounts(&c->vols, s, c->mounts, sizeof(c->mounts), err)) < 0)
		return rc;
	if (s->limits.memory_bytes >= 0 && s->limits.memory_bytes < RT_MEMORY_MIN)
		return nst_err_set(err, EINVAL,
				   "--memory %lld bytes: a container needs at least %lldM to start",
				   (long long)s->limits.memory_bytes, RT_MEMORY_MIN >> 20);
	if (s->userns && (s->userns_count == 0 ||
			  (unsigned long long)s->userns_uid + s->userns_count > 4294967295ULL ||
			  (unsigned long long)s->userns_gid + s->userns_count > 4294967295ULL))
		return nst_err_set(err, EINVAL, "user namespace map: ids out of range");
	return 0;
}

static int rt_write_file(const char *path, const char *text, struct nst_err *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	int rc = 0;

	if (fd < 0)
		return nst_err_sys(err, errno, "%s", path);
	if (write(fd, text, len) != (ssize_t)len)
		rc = nst_err_sys(err, errno, "writing %s", path);
	close(fd);
	return rc;
}

/* The user namespace's 0..count-1 are the host's uid.., gid... */
static int rt_write_id_maps(const struct rt_spec *s, pid_t pid, struct nst_err *err)
{
	char path[64], map[64];
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u %u\n", (unsigned)s->userns_uid, s->userns_count);
	if ((rc = rt_write_file(path, map, err)) < 0)
		return rc;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u %u\n", (unsigned)s->userns_gid, s->userns_count);
	return rt_write_file(path, map, err);
}

static void rt_join_argv(char *const argv[], char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; argv[i] && len + 6 < size; i++) {
		if (i)
			out[len++] = ' ';
		len = nst_utf8_append(out, len, size, argv[i]);
	}
}

/* Undoes what rt_run_start made: the init, the cgroups, the state. */
static void rt_run_undo(struct rt_run_ctx *c)
{
	struct nst_err e;

	nst_err_clear(&e);
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		c->pid = 0;
	}
	if (c->cg_made) {
		rt_cg_destroy(&c->cg, &e);
		rt_cg_close(&c->cg);
		c->cg_made = false;
	}
	rt_state_remove(c->ctx, c->name, &e);
	/* no volume left of a run that failed: those it made go */
	rt_vol_run_undo(&c->vols);
	rt_unlock(c->lockfd);
	c->lockfd = -1;
}

/* Sends the detached payload's output (and the monitor's) to the log. */
static int rt_redirect_log(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	char path[RT_PATH_MAX];
	int fd, null;

	rt_state_path(ctx, name, "log", path, sizeof(path));
	/* a FIFO or a link planted as the log is refused, never waited on or
	 * written through */
	fd = nst_open_regular(AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND, err);
	if (fd < 0)
		return fd;
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0) {
		close(fd);
		return nst_err_sys(err, errno, "/dev/null");
	}
	if (dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		int e = errno;
		close(fd);
		close(null);
		return nst_err_sys(err, e, "redirecting to %s", path);
	}
	close(fd);
	close(null);
	return 0;
}

static int rt_record_start(struct rt_run_ctx *c, struct nst_err *err)
{
	const struct rt_spec *s = &c->spec;
	struct rt_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return nst_err_set(err, ENOMEM, "state: out of memory");
	rt_state_init(st);
	snprintf(st->name, sizeof(st->name), "%s", c->name);
	st->status = RT_RUNNING;
	st->pid = c->pid;
	rt_proc_start_time(c->pid, &st->pid_start);
	c->init_pid = st->pid;
	c->init_start = st->pid_start;
	st->monitor = getpid();
	rt_proc_start_time(st->monitor, &st->monitor_start);
	clock_gettime(CLOCK_REALTIME, &st->created);
	st->exit_code = -1;
	nst_utf8_append(st->rootfs, 0, sizeof(st->rootfs), s->rootfs ? s->rootfs : "");
	st->overlay = s->overlay;
	st->detached = s->detach;
	st->remove = s->remove;
	st->userns = s->userns;
	st->net = s->net;
	if (s->net_name)	/* net: joined which */
		snprintf(st->net_name, sizeof(st->net_name), "%s", s->net_name);
	snprintf(st->hostname, sizeof(st->hostname), "%s", c->launch.hostname);
	snprintf(st->cgroup, sizeof(st->cgroup), "%s", c->cg.path);
	if (s->argv)
		rt_join_argv(s->argv, st->command, sizeof(st->command));
	else
		snprintf(st->command, sizeof(st->command), "(idle)");
	st->limits = s->limits;
	memcpy(st->mounts, c->mounts, sizeof(st->mounts));
	rc = rt_state_write(c->ctx, st, err);
	free(st);
	return rc;
}

/* One word to the init; when it is gone already, its report says why. */
static int rt_tell_init(int fd, char word, int report, struct nst_err *err)
{
	if (send(fd, &word, 1, MSG_NOSIGNAL) == 1)
		return 0;
	if (rt_report_read(report, err) < 0)
		return -err->code;
	return nst_err_sys(err, errno, "the container's init is gone");
}

/* The init ended before it said its payload runs: reaped here, and why
 * said (a signal, the OOM killer at start-up). */
static int rt_init_died(struct rt_run_ctx *c, struct nst_err *err)
{
	long long ooms = rt_cg_oom_kills(&c->cg);
	int ws = 0;

	while (waitpid(c->pid, &ws, 0) < 0 && errno == EINTR)
		;
	c->pid = 0;
	if (ooms > 0)
		return nst_err_set(err, ENOMEM,
				   "the container's init was killed by the OOM killer before its payload started (raise --memory)");
	if (WIFSIGNALED(ws))
		return nst_err_set(err, EIO,
				   "the container's init was killed by signal %d (%s) before its payload started",
				   WTERMSIG(ws), strsignal(WTERMSIG(ws)));
	return nst_err_set(err, EIO,
			   "the container's init ended (status %d) before its payload started",
			   WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
}

/*
 * From the lock to a running payload. On failure everything made is gone
 * again and err names the step inside the container that failed.
 */
static int rt_run_start(struct rt_run_ctx *c, struct nst_err *err)
{
	struct rt_spec *s = &c->spec;
	struct rt_launch *l = &c->launch;
	int go[2] = { -1, -1 }, report[2] = { -1, -1 };
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
	int netfd = -1, netsaved = -1;	/* net: --net netns:/container: */
	int sayfd = -1;			/* net: --net bridge */
	bool net_made = false;		/* net: --net bridge */
	int rc;

	l->join.ntasks = 0;
	l->join.v2dir = l->join.v2procs = -1;
	l->parent_pidfd = -1;
	l->tty.master = l->tty.slave = l->tty.null = -1;
	c->lockfd = rt_lock(c->ctx, c->name, true, err);
	if (c->lockfd < 0)
		return c->lockfd;
	/* net: the namespace to join is found before anything is made */
	if ((rc = net_join_open(c->ctx, s, &netfd, err)) < 0)
		goto fail;
	/* net: the caller's stderr, where a bridge made is said */
	if (s->net == RT_NET_BRIDGE && (sayfd = fcntl(2, F_DUPFD_CLOEXEC, 3)) < 0) {
		rc = nst_err_sys(err, errno, "stderr");
		goto fail;
	}
	if (s->detach && (rc = rt_redirect_log(c->ctx, c->name, err)) < 0)
		goto fail;
	/* the v2 cgroup now, for the clone; the v1 ones after it */
	c->cg_made = true;
	if ((rc = rt_cg_create_v2(c->ctx, c->name, &c->cg, err)) < 0 ||
	    (rc = rt_join_open_v2(&c->cg, &l->join, err)) < 0)
		goto fail;
	l->spec = s;
	l->name = c->name;
	l->hostname = s->hostname ? s->hostname : c->name;
	l->layout = c->cg.layout;
	l->foreground = !s->detach;
	rt_tty_plan(&l->tty);
	l->parent_pidfd = -1;
	if (l->foreground &&
	    (l->parent_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0)) < 0) {
		rc = nst_err_sys(err, errno, "pidfd_open");
		goto fail;
	}
	if (!l->env && !(l->env = rt_env_build(l->hostname, s->env, err))) {
		rc = -err->code;
		goto fail;
	}
	rt_state_path(c->ctx, c->name, NULL, l->state_dir, sizeof(l->state_dir));
	if ((rc = rt_rootfs_prepare(l, err)) < 0 ||
	    (rc = rt_vol_run_prepare(&c->vols, s, err)) < 0)
		goto fail;
	l->vol_tree = c->vols.tree;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) < 0 ||
	    pipe2(report, O_CLOEXEC) < 0) {
		rc = nst_err_sys(err, errno, "pipe");
		goto fail;
	}
	l->go_rd = go[0];
	l->report_wr = report[1];
	/* --net none: the init makes its network namespace itself, on the
	 * other cpu while this one makes the cgroups (a new namespace's
	 * loopback is most of what the clone would cost); a bridge's is made
	 * at the clone, for the veth the caller moves in at once */
	l->unshare_net = s->net == RT_NET_NONE;
	if (s->net == RT_NET_BRIDGE)
		flags |= CLONE_NEWNET;
	if (s->userns)
		flags |= CLONE_NEWUSER;
	/* a fork into new namespaces and the v2 cgroup: the child goes on
	 * from here, in the state directory (its copy in the new mount
	 * namespace) */
	if (chdir(l->state_dir) < 0) {
		rc = nst_err_sys(err, errno, "%s", l->state_dir);
		goto fail;
	}
	/* net: cloned inside the namespace joined; back at once after */
	if (netfd >= 0 && (rc = net_ns_enter(netfd, &netsaved, err)) < 0)
		goto fail;
	c->pid = rt_join_clone(&l->join, flags, err);
	if (c->pid == 0) {
		if (netfd >= 0) {	/* net: no way back to the host's */
			close(netsaved);
			close(netfd);
		}
		close(go[1]);
		close(report[0]);
		rt_init_main(l);
	}
	if (netsaved >= 0) {	/* net: fail closed if stuck in the wrong namespace */
		struct nst_err back;

		rc = net_ns_leave(netsaved, &back);
		netsaved = -1;
		if (rc < 0 && c->pid > 0) {
			*err = back;
			goto fail;
		}
	}
	if (fchdir(c->cwd) < 0 && c->pid > 0) {
		rc = nst_err_sys(err, errno, "returning to the working directory");
		goto fail;
	}
	if (c->pid < 0) {
		rc = c->pid;
		c->pid = 0;
		goto fail;
	}
	rt_join_close(&l->join);
	rt_vol_run_trees_close(&c->vols);
	if (l->parent_pidfd >= 0)
		close(l->parent_pidfd);
	l->parent_pidfd = -1;
	if (netfd >= 0) {	/* net */
		close(netfd);
		netfd = -1;
	}
	close(go[0]);
	close(report[1]);
	go[0] = report[1] = -1;
	/* the init reads its words in this order: 'm', 'n', 'c' */
	if (s->userns && ((rc = rt_write_id_maps(s, c->pid, err)) < 0 ||
			  (rc = rt_tell_init(go[1], 'm', report[0], err)) < 0))
		goto fail;
	/* net: --net bridge: the veth pair, then the init may go on */
	if (s->net == RT_NET_BRIDGE) {
		if ((rc = net_bridge_attach(c->ctx, s->net_name, c->name, c->pid, s->nat,
					     sayfd, NULL, 0, err)) < 0)
			goto fail;
		close(sayfd);
		sayfd = -1;
		net_made = true;
		if ((rc = rt_tell_init(go[1], 'n', report[0], err)) < 0)
			goto fail;
	}
	/* the v1 cgroups and the limits, made while the init mounts its root;
	 * it joins them before its cgroup namespace, and so before anything
	 * of the payload runs */
	if ((rc = rt_cg_create_v1(&c->cg, &s->limits, err)) < 0)
		goto fail;
	if ((rc = rt_join_send(go[1], &c->cg, err)) < 0) {
		/* an init that failed first says why */
		rt_report_read(report[0], err);
		rc = -err->code;
		goto fail;
	}
	/* the payload's terminal, made by the init in the container's devpts;
	 * none sent means the init failed, and its report says why */
	if (l->tty.slave_fds && rt_tty_recv_master(&l->tty, go[1], err) < 0) {
		kill(c->pid, SIGKILL);	/* dead already, or of no use */
		rt_report_read(report[0], err);
		rc = -err->code;
		goto fail;
	}
	close(go[1]);
	go[1] = -1;
	/* written while the init builds the root; undone if that fails */
	if ((rc = rt_record_start(c, err)) < 0)
		goto fail;
	/* a word with code 0: the payload has exec'd; EOF without it: the
	 * init died first */
	rc = rt_report_read(report[0], err);
	close(report[0]);
	report[0] = -1;
	if (rc == 0)
		rc = rt_init_died(c, err);
	if (rc < 0)
		goto fail;
	/* the state names the volumes now: removals may look */
	rt_vol_run_done(&c->vols);
	rt_unlock(c->lockfd);
	c->lockfd = -1;
	if (sayfd >= 0)
		close(sayfd);
	return 0;
fail:
	if (sayfd >= 0)
		close(sayfd);
	if (netfd >= 0)		/* net */
		close(netfd);
	if (net_made) {		/* net: the pair and the address, still under our lock */
		struct nst_err ignore;

		net_bridge_release(c->ctx, c->name, &ignore);
	}
	rt_join_close(&l->join);
	if (l->parent_pidfd >= 0)
		close(l->parent_pidfd);
	l->parent_pidfd = -1;
	rt_tty_close(&l->tty);
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (report[i] >= 0)
			close(report[i]);
	}
	rt_run_undo(c);
	return rc;
}

/* The init has ended with ws: state.json says so, or with --rm nothing is
 * left. Errors here have no one to go to but the log. */
static void rt_record_end(struct rt_run_ctx *c, int code)
{
	struct rt_state *st = calloc(1, sizeof(*st));
	struct nst_err e;
	int lockfd;

	nst_err_clear(&e);
	lockfd = rt_lock(c->ctx, c->name, false, &e);
	if (lockfd < 0)
		goto out;
	/* removed while we waited (rm -f), and perhaps a new container of
	 * the same name made since: then nothing here is ours any more */
	if (!st || rt_state_read(c->ctx, c->name, st, &e) < 0 || st->pid != c->init_pid ||
	    st->pid_start != c->init_start) {
		if (e.code == ENOENT)
			nst_err_clear(&e);
		goto unlock;
	}
	if (c->spec.remove) {
		/* the cgroups are open already: no need to find them again;
		 * only a bridge's container has an address to give back (the
		 * release rewrites and fsyncs the allocations: a millisecond
		 * of a launch's wall time on a disk-backed /run) */
		if (c->cg_made && rt_cg_destroy(&c->cg, &e) == 0 &&
		    (c->spec.net != RT_NET_BRIDGE ||
		     net_bridge_release(c->ctx, c->name, &e) == 0)) {	/* net */
			if (rt_state_remove(c->ctx, c->name, &e) == 0)
				rt_vol_remove_anonymous(c->ctx, st, &e);
		} else {
			rt_rm_locked(c->ctx, c->name, true, false, &e);
		}
	} else {
		st->status = RT_EXITED;
		st->pid = 0;
		st->pid_start = 0;
		st->exit_code = code;
		clock_gettime(CLOCK_REALTIME, &st->finished);
		rt_state_write(c->ctx, st, &e);
	}
unlock:
	rt_unlock(lockfd);
out:
	if (c->cg_made) {
		rt_cg_close(&c->cg);
		c->cg_made = false;
	}
	if (e.code == ENOENT)
		nst_err_clear(&e);
	if (e.code)
		fprintf(stderr, "nstop: %s: %s\n", c->name, e.msg);
	free(st);
}

/* Waits for the init, passing on what is sent to the monitor. */
static int rt_monitor_wait(struct rt_run_ctx *c)
{
	sigset_t set;
	int code;

	rt_monitor_sigset(&set);
	code = rt_wait_forward(c->pid, &set);
	c->pid = 0;
	return code;
}

/* A caller that ignores SIGCHLD would have the init reaped behind our back
 * (and its status lost): the default while we wait, restored after. */
static void rt_sigchld_default(struct rt_run_ctx *c)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	sigaction(SIGCHLD, &dfl, &c->oldchld);
}

/* Drops what the monitor's signals left pending, then restores the mask
 * and SIGCHLD's disposition. */
static void rt_restore_signals(struct rt_run_ctx *c)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	rt_monitor_sigset(&set);
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &c->oldmask, NULL);
	sigaction(SIGCHLD, &c->oldchld, NULL);
}

static int rt_run_foreground(struct rt_run_ctx *c, int *exit_status, struct nst_err *err)
{
	sigset_t set;
	int rc, code;

	rt_monitor_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &c->oldmask);
	rt_sigchld_default(c);
	rc = rt_run_start(c, err);
	if (rc < 0) {
		rt_restore_signals(c);
		return rc;
	}
	if (c->launch.tty.master >= 0) {
		code = rt_tty_relay(&c->launch.tty, c->pid, &set);
		c->pid = 0;
		rt_tty_close(&c->launch.tty);
	} else {
		code = rt_monitor_wait(c);
	}
	rt_record_end(c, code);
	rt_restore_signals(c);
	*exit_status = code;
	return 0;
}

/*
 * -d: a monitor of its own, in a session of its own (double fork, so it is
 * no one's child but init's), starts the container and tells the caller
 * through a pipe how that went; then it waits for the init.
 */
static int rt_run_detached(struct rt_run_ctx *c, int *exit_status, struct nst_err *err)
{
	int ready[2];
	pid_t mid;
	int ws, rc;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return nst_err_sys(err, errno, "pipe");
	mid = fork();
	if (mid < 0) {
		rc = nst_err_sys(err, errno, "fork");
		close(ready[0]);
		close(ready[1]);
		return rc;
	}
	if (mid == 0) {
		struct rt_ctx own;
		struct nst_err e;
		sigset_t set;
		pid_t mon;

		nst_err_clear(&e);
		close(ready[0]);
		setsid();
		mon = fork();
		if (mon < 0) {
			nst_err_sys(&e, errno, "fork");
			rt_report(ready[1], &e);
		}
		if (mon != 0)
			_exit(mon < 0);
		/* a daemon keeps nothing of the caller's open (a pipe that a
		 * $(nstop run -d) waits on, a TUI's files) and no directory busy */
		if (ready[1] > 3)
			syscall(SYS_close_range, 3, (unsigned)ready[1] - 1, 0);
		syscall(SYS_close_range, (unsigned)ready[1] + 1, ~0U, 0);
		c->cwd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (c->cwd < 0 || chdir("/") < 0) {
			nst_err_sys(&e, errno, "chdir /");
			rt_report(ready[1], &e);
			_exit(1);
		}
		/* the caller's root went with its other files: one of its own */
		if (rt_ctx_open(&own, &e) < 0) {
			rt_report(ready[1], &e);
			_exit(1);
		}
		snprintf(own.state_dir, sizeof(own.state_dir), "%s", c->ctx->state_dir);
		c->ctx = &own;
		rt_monitor_sigset(&set);
		sigprocmask(SIG_BLOCK, &set, &c->oldmask);
		rt_sigchld_default(c);
		if (rt_run_start(c, &e) < 0) {
			rt_report(ready[1], &e);
			_exit(1);
		}
		nst_err_clear(&e);
		rt_report(ready[1], &e);	/* code 0: running */
		close(ready[1]);
		rt_record_end(c, rt_monitor_wait(c));
		_exit(0);
	}
	close(ready[1]);
	while (waitpid(mid, &ws, 0) < 0 && errno == EINTR)
		;
	rc = rt_report_read(ready[0], err);
	close(ready[0]);
	if (rc < 0)
		return rc;
	if (rc == 0)	/* EOF without a word: it died before it could say */
		return nst_err_set(err, EIO, "the container's monitor died while starting it");
	*exit_status = 0;
	return 0;
}

int rt_run(struct rt_ctx *ctx, const struct rt_spec *spec, int *exit_status,
	   char *name_out, struct nst_err *err)
{
	struct rt_run_ctx *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return nst_err_set(err, ENOMEM, "run: out of memory");
	c->ctx = ctx;
	c->spec = *spec;
	c->lockfd = -1;
	rt_vol_run_init(&c->vols);
	c->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->cwd < 0) {
		rc = nst_err_sys(err, errno, "the working directory");
		free(c);
		return rc;
	}
	*exit_status = 0;
	if ((rc = rt_run_check(c, err)) < 0)
		goto out;
	/* built (and checked) before anything is made */
	c->launch.env = rt_env_build(c->spec.hostname ? c->spec.hostname : c->name,
				     c->spec.env, err);
	if (!c->launch.env) {
		rc = -err->code;
		goto out;
	}
	if (name_out)
		snprintf(name_out, RT_NAME_MAX + 1, "%s", c->name);
	rc = spec->detach ? rt_run_detached(c, exit_status, err) :
			    rt_run_foreground(c, exit_status, err);
out:
	rt_env_free(c->launch.env);
	close(c->cwd);
	free(c);
	return rc;
}
