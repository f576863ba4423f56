/*
 * rt-init: pid 1 of a container. It finishes the container from inside
 * (cgroups, cgroup namespace, root, hostname, loopback), hardens itself,
 * then becomes the reaper (rt-reaper.c, src/reaper/reaper.c), a small
 * sealed program that spawns the payload and only reaps: every orphan of
 * the pid namespace lands there. Without a payload (an idle container, run
 * detached) it only reaps and waits for a signal to end. Signals sent to
 * it are passed on to the payload; it exits with the payload's status, and
 * the kernel then kills whatever else is left inside.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nstop/dl.h"
#include "rt-launch.h"

/* Every fd but stdio and those the init needs (and the volumes' mounts,
 * to move into the root) goes: the caller's cgroup directories, lock and
 * proc fds would be doors to the host inside. */
static void rt_init_close_fds(const struct rt_launch *l)
{
	int keep[2 + RT_MAX_VOLUMES] = { l->go_rd, l->report_wr };
	int n = 2;
	unsigned from = 3;

	for (size_t i = 0; l->vol_tree && i < l->spec->nvolumes; i++)
		if (l->vol_tree[i] >= 0)
			keep[n++] = l->vol_tree[i];

	/* in order, so the gaps between them are closed in one call each */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

_Noreturn static void rt_init_fail(const struct rt_launch *l, struct nst_err *err)
{
	rt_report(l->report_wr, err);
	_exit(127);
}

/*
 * Threat: the init, which lives next to the payload for the container's
 * whole life, as a way out: with root's capabilities and no filter, code
 * run in it (or a ptrace of it) could undo every mount above. So it takes
 * the payload's hardening itself, before the exec hands it on, and is made
 * non-dumpable, so that the payload (without CAP_SYS_PTRACE) can neither
 * trace it nor open its /proc/1/exe, fd, cwd or root.
 */
static int rt_init_harden(const struct rt_launch *l, struct nst_err *err)
{
	int rc;

	if ((rc = rt_security_apply(err)) < 0)
		return rc;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nst_err_sys(err, errno, "making the init non-dumpable");
	return 0;
}

/*
 * Threat: a foreground nstop killed between the clone and the arming of
 * PR_SET_PDEATHSIG: the signal would never come, and the container would
 * run on with no monitor and its exit code lost. Armed first, then the
 * parent's pidfd says whether it is gone already (getppid() is 0 in a new
 * pid namespace, so it cannot tell).
 */
static void rt_init_parent_watch(const struct rt_launch *l)
{
	struct pollfd p = { .fd = l->parent_pidfd, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		_exit(127);
	if (l->parent_pidfd >= 0) {
		/* a pidfd polls readable once its process has exited */
		if (poll(&p, 1, 0) != 0)
			_exit(127);
		close(l->parent_pidfd);
	}
}

/* Threat: the init in the caller's session and process group: the
 * caller's terminal's signals and kill(0) from the caller's side reach it
 * directly, and a group shared with the host. A session of its own; nstop
 * passes on what is meant for the container. */
static int rt_init_session(struct nst_err *err)
{
	if (setsid() < 0)
		return nst_err_sys(err, errno, "a session of its own");
	return 0;
}

/* Waits for the parent's word c; EOF means it gave up (and says why). */
static void rt_init_wait(const struct rt_launch *l, char c)
{
	char got;
	ssize_t n;

	do
		n = read(l->go_rd, &got, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || got != c)
		_exit(127);
}

/*
 * Threat: a change of credentials undoing two of the init's guards. The
 * kernel resets the dumpable flag (to fs.suid_dumpable, which a host may
 * set to 1) and clears the parent-death signal: the payload could then
 * open the init's /proc files, and a foreground container whose nstop was
 * killed would run on unwatched, its exit code lost. Both are set again
 * after each change.
 */
static int rt_init_creds_changed(const struct rt_launch *l, struct nst_err *err)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nst_err_sys(err, errno, "making the init non-dumpable");
	if (l->foreground && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return nst_err_sys(err, errno, "watching nstop's end");
	return 0;
}

static int rt_init_ids(const struct rt_launch *l, struct nst_err *err)
{
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return nst_err_sys(err, errno, "becoming root of the user namespace");
	if (setgroups(0, NULL) < 0)
		return nst_err_sys(err, errno, "dropping supplementary groups");
	return rt_init_creds_changed(l, err);
}

/* An image's WorkingDir: made when missing (as Docker does), inside the
 * root: the init has pivoted, so nothing here resolves outside it. */
static int rt_init_workdir(const char *dir, struct nst_err *err)
{
	char p[RT_PATH_MAX];

	if (!dir || chdir(dir) == 0)
		return 0;
	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				return nst_err_sys(err, errno, "working directory %s", dir);
			*s = c;
			if (!c)
				break;
		}
	}
	if (chdir(dir) < 0)
		return nst_err_sys(err, errno, "working directory %s", dir);
	return 0;
}

/*
 * An image's User: the init takes it on before it spawns the payload (the
 * payload inherits it; the init only reaps after). Changing from uid 0
 * clears the capabilities, as for a non-root user under Docker; the
 * dumpable flag that a uid change resets is cleared again, so the payload
 * still cannot ptrace the init or open its /proc files.
 */
static int rt_init_user(const struct rt_launch *l, struct nst_err *err)
{
	const struct rt_spec *s = l->spec;

	if (!s->user_set)
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(s->gid, s->gid, s->gid) < 0 ||
	    setresuid(s->uid, s->uid, s->uid) < 0)
		return nst_err_sys(err, errno, "becoming user %u:%u", (unsigned)s->uid,
				   (unsigned)s->gid);
	return rt_init_creds_changed(l, err);
}

_Noreturn void rt_init_main(const struct rt_launch *l)
{
	struct nst_err err;
	sigset_t all;
	int slave = -1;

	nst_err_clear(&err);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* Threat: a process of the container (an `nstop exec` that raced the
	 * launch: the state says running while the init builds the root)
	 * opening /proc/1/exe, the host's nstop until the init execs its
	 * sealed reaper (CVE-2019-5736), or /proc/1/mem. Non-dumpable from its
	 * first instruction, not only from its hardening; a credential change
	 * below resets it, and each sets it again. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		_exit(127);
	/* the root it pivots to is the container's: nothing of glibc's may
	 * load from there (dl.c) */
	if (nst_dl_leave_host(&err) < 0)
		rt_init_fail(l, &err);
	/* inherited SIG_IGN would reap the payload before we see its status */
	signal(SIGCHLD, SIG_DFL);
	if (l->foreground)
		rt_init_parent_watch(l);
	if (rt_init_session(&err) < 0 || rt_join_self((struct rt_join *)&l->join, &err) < 0)
		rt_init_fail(l, &err);
	rt_init_close_fds(l);
	if (l->spec->userns) {
		rt_init_wait(l, 'm');
		if (rt_init_ids(l, &err) < 0)
			rt_init_fail(l, &err);
	}
	/* Threat: a payload on the host's network. The init runs nothing of
	 * it before this, and fails closed. */
	if (l->unshare_net && unshare(CLONE_NEWNET) < 0) {
		nst_err_sys(&err, errno, "network namespace");
		rt_init_fail(l, &err);
	}
	if (sethostname(l->hostname, strlen(l->hostname)) < 0) {
		nst_err_sys(&err, errno, "hostname %s", l->hostname);
		rt_init_fail(l, &err);
	}
	if ((l->spec->net == RT_NET_NONE || l->spec->net == RT_NET_BRIDGE) &&
	    rt_net_loopback_up(&err) < 0)
		rt_init_fail(l, &err);
	if (l->spec->net == RT_NET_BRIDGE)	/* net: eth0 is ready */
		rt_init_wait(l, 'n');
	/* (the v1 cgroups and the cgroup namespace: rt_join_late, from
	 * within rt_rootfs_setup) */
	if (rt_rootfs_setup(l, &err) < 0 ||
	    rt_init_workdir(l->spec->workdir, &err) < 0)
		rt_init_fail(l, &err);
	for (size_t i = 0; l->vol_tree && i < l->spec->nvolumes; i++)
		if (l->vol_tree[i] >= 0)
			close(l->vol_tree[i]);
	if (l->tty.slave_fds && l->spec->argv && rt_tty_console(l, &slave, &err) < 0)
		rt_init_fail(l, &err);
	if (rt_init_harden(l, &err) < 0 || rt_init_user(l, &err) < 0)
		rt_init_fail(l, &err);
	/* The payload, the word that it runs and the reaping are the
	 * reaper's: nstop's binary runs no process of the container. */
	rt_reaper_exec(l, slave);
}
