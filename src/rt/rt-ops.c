/*
 * The operations on a container that runs: freeze and thaw, update, move,
 * kill and rm. Each takes the container's lock, so two nstop processes never
 * change one container at once, and each checks with the kernel that the
 * container is alive before touching it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "nstop/procstat.h"
#include "nstop/net.h"
#include "rt-internal.h"

/* How often a v1 freeze stuck in FREEZING is asked again: a task that was
 * in an uninterruptible sleep may be caught on the next try. */
#define RT_FREEZE_RETRY_MS 100

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The state, refreshed; -ESRCH when the container no longer runs. */
static int load_alive(struct rt_ctx *ctx, const char *name, struct rt_state *st,
		      struct nst_err *err)
{
	int rc = rt_state_load(ctx, name, st, err);

	if (rc < 0)
		return rc;
	if (st->status == RT_EXITED)
		return nst_err_set(err, ESRCH, "container %s has exited", name);
	return 0;
}

/* Lock, load an alive container and open its cgroups: the start of every
 * operation on a running one. Returns the lock fd. */
static int op_begin(struct rt_ctx *ctx, const char *name, struct rt_state *st,
		    struct rt_cg *cg, struct nst_err *err)
{
	int lockfd = rt_lock(ctx, name, false, err);
	int rc;

	if (lockfd < 0)
		return lockfd;
	rc = load_alive(ctx, name, st, err);
	if (rc == 0)
		rc = rt_cg_open(ctx, name, cg, err);
	if (rc < 0) {
		rt_unlock(lockfd);
		return rc;
	}
	return lockfd;
}

/* ---- freeze and thaw ------------------------------------------------------- */

static int freeze_write(struct rt_cg *cg, const char *name, bool freeze,
			struct nst_err *err)
{
	bool v2;
	int i = rt_cg_freezer(cg, &v2), rc;
	const char *file = v2 ? "cgroup.freeze" : "freezer.state";

	if (i < 0)
		return nst_err_set(err, ENOTSUP, "container %s: no freezer is mounted", name);
	rc = rt_cg_write(cg->dirfd[i], file, v2 ? (freeze ? "1" : "0") :
					       (freeze ? "FROZEN" : "THAWED"));
	if (rc < 0)
		return nst_err_sys(err, -rc, "%s%s/%s", cg->layout->h[i].mount, cg->path, file);
	return 0;
}

/*
 * Whether the kernel confirms; *state gets what it said (FROZEN, FREEZING,
 * THAWED, or "frozen 0/1" on v2).
 */
static int freeze_done(struct rt_cg *cg, bool freeze, bool *done, char *state,
		       size_t size, struct nst_err *err)
{
	char buf[512];
	long long v;
	bool v2;
	int i = rt_cg_freezer(cg, &v2);
	long n;

	*done = false;
	if (i < 0)
		return nst_err_set(err, ENOTSUP, "no freezer is mounted");
	n = rt_cg_read(cg->dirfd[i], v2 ? "cgroup.events" : "freezer.state", buf, sizeof(buf));
	if (n < 0)
		return nst_err_sys(err, (int)-n, "%s%s: reading the freezer",
				   cg->layout->h[i].mount, cg->path);
	if (v2) {
		bool frozen = cg_parse_keyed(buf, "frozen", &v) == 0 && v == 1;
		snprintf(state, size, "frozen %d", frozen);
		*done = frozen == freeze;
	} else {
		snprintf(state, size, "%.20s", buf);
		*done = strcmp(buf, freeze ? "FROZEN" : "THAWED") == 0;
	}
	return 0;
}

int rt_freeze_begin(struct rt_ctx *ctx, const char *name, bool freeze, struct nst_err *err)
{
	struct rt_state st;
	struct rt_cg cg;
	int lockfd, rc;

	lockfd = op_begin(ctx, name, &st, &cg, err);
	if (lockfd < 0)
		return lockfd;
	rc = freeze_write(&cg, name, freeze, err);
	rt_cg_close(&cg);
	rt_unlock(lockfd);
	return rc;
}

int rt_freeze_check(struct rt_ctx *ctx, const char *name, bool freeze, bool *done,
		    struct nst_err *err)
{
	char state[32];
	struct rt_cg cg;
	int rc;

	*done = false;
	rc = rt_cg_open(ctx, name, &cg, err);
	if (rc < 0)
		return rc;
	rc = freeze_done(&cg, freeze, done, state, sizeof(state), err);
	/* v1 may stop at FREEZING when a task would not stop: ask again. */
	if (rc == 0 && !*done && freeze && strcmp(state, "FREEZING") == 0)
		rc = freeze_write(&cg, name, freeze, err);
	rt_cg_close(&cg);
	return rc;
}

/* v2 signals a change of cgroup.events with POLLPRI: wait for it rather than
 * sleep, up to ms. */
static void events_wait(struct rt_cg *cg, long ms)
{
	bool v2;
	int i = rt_cg_freezer(cg, &v2);
	char buf[512];
	int fd;

	if (i < 0 || !v2 || ms <= 0) {
		sleep_ms(ms > 0 ? (ms < 10 ? ms : 10) : 0);
		return;
	}
	fd = openat(cg->dirfd[i], "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sleep_ms(ms < 10 ? ms : 10);
		return;
	}
	/* Read once so that poll reports the next change, not this one. */
	if (read(fd, buf, sizeof(buf)) >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		poll(&p, 1, (int)ms);
	}
	close(fd);
}

int rt_freeze(struct rt_ctx *ctx, const char *name, bool freeze, double timeout,
	      struct nst_err *err)
{
	double start = now_s(), last_write;
	char state[32] = "";
	struct rt_state st;
	struct rt_cg cg;
	bool done = false;
	long pause = 1;
	int lockfd, rc;

	lockfd = op_begin(ctx, name, &st, &cg, err);
	if (lockfd < 0)
		return lockfd;
	rc = freeze_write(&cg, name, freeze, err);
	last_write = now_s();
	while (rc == 0) {
		rc = freeze_done(&cg, freeze, &done, state, sizeof(state), err);
		if (rc < 0 || done)
			break;
		double now = now_s();
		if (now - start >= timeout) {
			rc = nst_err_set(err, ETIMEDOUT, "container %s: still %s after %gs",
					 name, state, timeout);
			break;
		}
		if (freeze && strcmp(state, "FREEZING") == 0 &&
		    (now - last_write) * 1000 >= RT_FREEZE_RETRY_MS) {
			rc = freeze_write(&cg, name, freeze, err);
			last_write = now;
		}
		long left = (long)((timeout - (now - start)) * 1000) + 1;
		events_wait(&cg, left < pause ? left : pause);
		pause = pause < 4 ? pause * 2 : 4;
	}
	rt_cg_close(&cg);
	rt_unlock(lockfd);
	return rc;
}

/* ---- update --------------------------------------------------------------- */

static void limits_merge(struct rt_limits *into, const struct rt_limits *l)
{
	if (l->memory_bytes != -1)
		into->memory_bytes = l->memory_bytes;
	if (l->cpu_quota_us != -1) {
		into->cpu_quota_us = l->cpu_quota_us;
		into->cpu_period_us = l->cpu_period_us;
	}
	if (l->cpu_weight != -1)
		into->cpu_weight = l->cpu_weight;
	if (l->cpuset[0])
		snprintf(into->cpuset, sizeof(into->cpuset), "%s", l->cpuset);
	if (l->pids_max != -1)
		into->pids_max = l->pids_max;
}

int rt_update(struct rt_ctx *ctx, const char *name, const struct rt_limits *l,
	      struct nst_err *err)
{
	struct rt_state st, raw;
	struct rt_cg cg;
	int lockfd, rc;

	lockfd = op_begin(ctx, name, &st, &cg, err);
	if (lockfd < 0)
		return lockfd;
	rc = rt_cg_set_limits(&cg, l, err);
	rt_cg_close(&cg);
	/* The file as written, not the refreshed view, takes the new limits. */
	if (rc == 0)
		rc = rt_state_read(ctx, name, &raw, err);
	if (rc == 0) {
		limits_merge(&raw.limits, l);
		rc = rt_state_write(ctx, &raw, err);
	}
	rt_unlock(lockfd);
	return rc;
}

/* ---- move ----------------------------------------------------------------- */

/* A process that may go into a container: there, and not a kernel thread
 * (which cgroup.procs refuses on v1 for some and never means to move). */
static int move_check(pid_t pid, struct nst_err *err)
{
	struct nst_stat st;
	char path[64];

	if (pid <= 0)
		return nst_err_set(err, EINVAL, "pid %d is not a process id", (int)pid);
	if (pid == 1)
		return nst_err_set(err, EPERM, "pid 1 is the host's init; it stays where it is");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (nst_stat_read(AT_FDCWD, path, &st) < 0)
		return nst_err_set(err, ESRCH, "no process with pid %d", (int)pid);
	if (nst_stat_kthread(&st))
		return nst_err_set(err, EPERM, "pid %d is a kernel thread", (int)pid);
	return 0;
}

int rt_move(struct rt_ctx *ctx, pid_t pid, const char *name, struct nst_err *err)
{
	struct rt_state st;
	struct rt_cg cg;
	int lockfd, rc;

	rc = rt_name_check(name, err);
	if (rc < 0)
		return rc;
	rc = move_check(pid, err);
	if (rc < 0)
		return rc;
	lockfd = op_begin(ctx, name, &st, &cg, err);
	if (lockfd < 0)
		return lockfd;
	rc = rt_cg_attach(&cg, pid, err);
	rt_cg_close(&cg);
	rt_unlock(lockfd);
	return rc;
}

/* ---- kill ----------------------------------------------------------------- */

int rt_kill(struct rt_ctx *ctx, const char *name, int sig, struct nst_err *err)
{
	struct rt_state st;
	int lockfd, pidfd, rc = 0;

	if (sig < 0 || sig > SIGRTMAX)
		return nst_err_set(err, EINVAL, "signal %d is not in 0..%d", sig, SIGRTMAX);
	lockfd = rt_lock(ctx, name, false, err);
	if (lockfd < 0)
		return lockfd;
	rc = load_alive(ctx, name, &st, err);
	if (rc < 0)
		goto out;
	pidfd = rt_pid_open_verified(&st, err);
	if (pidfd < 0) {
		rc = pidfd;
		goto out;
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		rc = nst_err_sys(err, errno, "signal %d to container %s (pid %d)", sig, name,
				 (int)st.pid);
	close(pidfd);
out:
	rt_unlock(lockfd);
	return rc;
}

/* ---- rm ------------------------------------------------------------------- */

/* Whether any process lives in the container's cgroups. */
static bool cg_has_procs(struct rt_ctx *ctx, const char *name)
{
	char path[320], buf[4096], want[RT_NAME_MAX + 16];
	struct rt_cg cg;
	bool any = false;

	if (rt_cg_open(ctx, name, &cg, NULL) < 0)
		return false;
	rt_cg_close(&cg);
	/* every live process whose cgroup lies at or below /nstop/NAME */
	snprintf(want, sizeof(want), ":%s/%s", RT_CGROUP_PARENT, name);
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t wl = strlen(want);

	if (!d)
		return true;	/* cannot tell: as if there were */
	while (!any && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cgroup", de->d_name);
		if (nst_read_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
			continue;
		for (char *p = buf; (p = strstr(p, want)); p += wl)
			if (p[wl] == '\n' || p[wl] == '/' || p[wl] == '\0') {
				any = rt_proc_alive((pid_t)atoi(de->d_name), 0);
				break;
			}
	}
	closedir(d);
	return any;
}

int rt_rm_locked(struct rt_ctx *ctx, const char *name, bool force, bool keep_volumes,
		 struct nst_err *err)
{
	struct rt_state st;
	struct rt_cg cg;
	int rc;

	rt_state_init(&st);
	rc = rt_state_load(ctx, name, &st, err);
	if (rc < 0)
		st.mounts[0] = '\0';	/* a state not valid names no volume to remove */
	if (rc < 0 && !force) {
		/* Threat: without its state, nothing says whether the
		 * container runs; rm without -f must never kill. Only one with
		 * no live process may go; -f removes it anyway. */
		if (rc != -ENOENT && rc != -EINVAL && rc != -ERANGE)
			return rc;
		if (cg_has_procs(ctx, name))
			return nst_err_set(err, EBUSY,
					   "container %s is broken (no valid state) and has live processes (rm -f kills them)",
					   name);
	} else if (rc == 0 && st.status != RT_EXITED && !force) {
		return nst_err_set(err, EBUSY,
				   "container %s is %s (rm -f kills it first)", name,
				   rt_status_name(st.status));
	}
	/* Also when it exited: whatever it left behind in its cgroups goes. */
	rc = rt_cg_open(ctx, name, &cg, err);
	if (rc == 0) {
		rc = rt_cg_destroy(&cg, err);
		rt_cg_close(&cg);
		if (rc < 0)
			return rc;
	} else if (rc != -ENOENT) {
		return rc;
	}
	/* net: its address and host veth, if it had any */
	if ((rc = net_bridge_release(ctx, name, err)) < 0)
		return rc;
	if ((rc = rt_state_remove(ctx, name, err)) < 0)
		return rc;
	/* st is what the state said (loaded above; a broken one named none) */
	if (!keep_volumes && (rc = rt_vol_remove_anonymous(ctx, &st, err)) < 0)
		nst_err_prefix(err, "container %s removed, not all of its anonymous volumes", name);
	return rc;
}

/*
 * A crash between making the cgroups and writing the state can leave
 * cgroups with no state directory: the name could then neither be run nor
 * removed. rm -f takes them away, holding the lock of a directory made for
 * the purpose so that no run of the same name races it.
 */
static int rm_orphan_cgroups(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	struct nst_err ignore;
	struct rt_cg cg;
	int lockfd, rc;

	if (rt_cg_open(ctx, name, &cg, &ignore) < 0) {
		/* at most a lock file a run killed at once left: it goes too */
		if (rt_lock_remove_stale(ctx, name))
			return 0;
		return nst_err_set(err, ENOENT, "no such container: %s", name);
	}
	rt_cg_close(&cg);
	lockfd = rt_lock(ctx, name, true, err);
	if (lockfd < 0)
		return lockfd;
	rc = rt_cg_open(ctx, name, &cg, err);
	if (rc == 0) {
		rc = rt_cg_destroy(&cg, err);
		rt_cg_close(&cg);
	}
	if (rc == -ENOENT)
		rc = 0;
	int gone = rt_state_remove(ctx, name, rc < 0 ? &ignore : err);
	if (rc == 0)
		rc = gone;
	rt_unlock(lockfd);
	return rc;
}

int rt_rm(struct rt_ctx *ctx, const char *name, bool force, struct nst_err *err)
{
	return rt_rm_volumes(ctx, name, force, false, err);
}

int rt_rm_volumes(struct rt_ctx *ctx, const char *name, bool force, bool keep_volumes,
		  struct nst_err *err)
{
	int lockfd = rt_lock(ctx, name, false, err);
	int rc;

	if (lockfd == -ENOENT && force)
		return rm_orphan_cgroups(ctx, name, err);
	if (lockfd == -ENOENT && !force) {
		struct nst_err ignore;
		struct rt_cg cg;
		/* cgroups alone: removable without -f only when nothing lives there */
		if (rt_cg_open(ctx, name, &cg, &ignore) == 0) {
			rt_cg_close(&cg);
			if (cg_has_procs(ctx, name))
				return nst_err_set(err, EBUSY,
						   "container %s is broken (cgroups without a state) and has live processes (rm -f kills them)",
						   name);
			return rm_orphan_cgroups(ctx, name, err);
		}
	}
	if (lockfd < 0)
		return lockfd;
	rc = rt_rm_locked(ctx, name, force, keep_volumes, err);
	rt_unlock(lockfd);
	return rc;
}

/* rm -f of what may be gone already (a --rm container ends by itself). */
static int rm_gone_ok(struct rt_ctx *ctx, const char *name, bool force, struct nst_err *err)
{
	int rc = rt_rm(ctx, name, force, err);

	if (rc == -ENOENT && force) {
		nst_err_clear(err);
		rc = 0;
	}
	return rc;
}

int rt_rm_begin(struct rt_ctx *ctx, const char *name, bool *done, struct nst_err *err)
{
	struct rt_state st;
	int rc;

	*done = true;
	if (rt_state_load(ctx, name, &st, err) < 0) {
		/* its state gone or unreadable: rm -f cleans what is left */
		nst_err_clear(err);
		return rm_gone_ok(ctx, name, true, err);
	}
	if (st.status == RT_EXITED || st.status == RT_CREATED)
		return rm_gone_ok(ctx, name, st.status == RT_CREATED, err);
	*done = false;
	if (st.status == RT_FROZEN && (rc = rt_freeze_begin(ctx, name, false, err)) < 0) {
		nst_err_prefix(err, "thawing it");
		return rc;
	}
	nst_err_clear(err);
	rc = rt_kill(ctx, name, SIGKILL, err);
	if (rc == -ESRCH) {
		nst_err_clear(err);
		rc = 0;
	}
	return rc;
}

int rt_rm_check(struct rt_ctx *ctx, const char *name, bool *done, struct nst_err *err)
{
	struct rt_state st;
	int rc;

	*done = false;
	rc = rt_state_load(ctx, name, &st, err);
	if (rc == -ENOENT) {
		nst_err_clear(err);
		*done = true;
		return 0;
	}
	if (rc < 0 || st.status != RT_EXITED)
		return rc;
	*done = true;
	return rm_gone_ok(ctx, name, true, err);
}
