/*
 * spawn — load generator for the nstop snapshot benchmark.
 *
 *   spawn [-n NPROCS] [-g GROUPSIZE] [-r RUNID]
 *
 * Starts NPROCS sleeping processes in groups of GROUPSIZE (default 10). Each
 * group gets a cgroup "nstop-bench-RUNID-K" of its own in the memory and pids
 * hierarchies (cgroup v1; on a pure v2 host, in the cgroup2 mount instead) and
 * its own mix of new namespaces, rotating over the group number:
 *
 *   K % 8   0 net+uts+ipc   1 pid            2 cgroup       3 mnt
 *           4 net+uts+ipc+cgroup   5 pid+mnt  6 user (+uts)  7 time (else none)
 *
 * A group is one leader (a child of this process) that moves itself into the
 * group's cgroups, unshares, and forks GROUPSIZE-1 sleepers; it reports their
 * PIDs back through a pipe, so this process holds every PID it made. When all
 * are running it prints "ready NPROCS NGROUPS" on stdout and waits for SIGTERM,
 * SIGINT or SIGHUP, or for its parent to die (so run it from a shell that
 * stays, not from a subshell that exits at once). On that, and on any failure, it
 * kills every process it made by PID, reaps them all (it is a child subreaper,
 * so orphans come back to it), and removes every cgroup it made, deepest first.
 *
 * Safety: it touches only cgroups named nstop-bench-RUNID-*, which it made,
 * and signals only PIDs it holds. Networks exist only in namespaces it made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

#define MAX_HIER 4

static char hier_dir[MAX_HIER][4096];
static int nhier;

static char **cg_made;		/* full paths of cgroup dirs we made */
static size_t ncg_made, cap_cg;
static pid_t *pids;		/* every PID we made (leaders and sleepers) */
static size_t npids, cap_pids;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "spawn: %s: %s\n", what, strerror(errno));
}

/* Find where the memory and pids v1 hierarchies (or the cgroup2 one) live. */
static int find_hierarchies(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192], v2[4096] = "";
	const char *want[] = { "memory", "pids" };

	if (!f) {
		die("/proc/self/mountinfo");
		return -1;
	}
	nhier = 0;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[4096], fstype[64], src[256], opts[4096];
		int fields = 0;
		char *p = line;

		if (!sep)
			continue;
		/* fields: id parent maj:min root mountpoint ... */
		for (int i = 0; i < 4 && p; i++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (!p || sscanf(p, "%4095s", mnt) != 1)
			continue;
		fields = sscanf(sep + 3, "%63s %255s %4095s", fstype, src, opts);
		if (fields != 3)
			continue;
		if (!strcmp(fstype, "cgroup2")) {
			if (!v2[0])
				snprintf(v2, sizeof(v2), "%s", mnt);
			continue;
		}
		if (strcmp(fstype, "cgroup"))
			continue;
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
			char *o, *save = NULL, copy[4096];

			snprintf(copy, sizeof(copy), "%s", opts);
			for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
				if (!strcmp(o, want[w]) && nhier < MAX_HIER) {
					snprintf(hier_dir[nhier++], sizeof(hier_dir[0]), "%s", mnt);
					break;
				}
		}
	}
	fclose(f);
	if (nhier == 0 && v2[0])
		snprintf(hier_dir[nhier++], sizeof(hier_dir[0]), "%s", v2);
	if (nhier == 0) {
		fprintf(stderr, "spawn: no cgroup hierarchy found in mountinfo\n");
		return -1;
	}
	return 0;
}

static int add_pid(pid_t p)
{
	if (npids == cap_pids) {
		size_t n = cap_pids ? 2 * cap_pids : 1024;
		pid_t *np = realloc(pids, n * sizeof(*np));

		if (!np)
			return -1;
		pids = np;
		cap_pids = n;
	}
	pids[npids++] = p;
	return 0;
}

static int make_cgroup(const char *path)
{
	if (ncg_made == cap_cg) {
		size_t n = cap_cg ? 2 * cap_cg : 256;
		char **nc = realloc(cg_made, n * sizeof(*nc));

		if (!nc)
			return -1;
		cg_made = nc;
		cap_cg = n;
	}
	if (mkdir(path, 0755) < 0) {
		die(path);
		return -1;
	}
	if (!(cg_made[ncg_made] = strdup(path)))
		return -1;
	ncg_made++;
	return 0;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int flags_for_group(int k)
{
	switch (k % 8) {
	case 0: return CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC;
	case 1: return CLONE_NEWPID;
	case 2: return CLONE_NEWCGROUP;
	case 3: return CLONE_NEWNS;
	case 4: return CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
	case 5: return CLONE_NEWPID | CLONE_NEWNS;
	case 6: return CLONE_NEWUSER | CLONE_NEWUTS;
	default: return CLONE_NEWTIME;
	}
}

/* The group leader: runs in a child of main; never returns. */
static void leader(int k, int size, const char *runid, int wfd)
{
	char path[4096], me[32];
	int flags = flags_for_group(k);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	/* Join the cgroups before unsharing: the cgroup ns is rooted there, and
	 * inside a new user ns we could no longer write cgroup.procs. */
	for (int h = 0; h < nhier; h++) {
		snprintf(path, sizeof(path), "%s/nstop-bench-%s-%d/cgroup.procs",
			 hier_dir[h], runid, k);
		if (write_str(path, me) < 0) {
			die(path);
			_exit(1);
		}
	}
	if (unshare(flags) < 0) {
		/* An old kernel without time namespaces: run the group without. */
		if (!(flags & CLONE_NEWTIME) || unshare(flags & ~CLONE_NEWTIME) < 0) {
			die("unshare");
			_exit(1);
		}
	}
	/* In a new pid ns the leader stays outside; its first child is the ns's
	 * init. All group members share the leader's other namespaces. */
	for (int i = 1; i < size; i++) {
		pid_t c = fork();

		if (c < 0) {
			die("fork");
			_exit(1);
		}
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(wfd);
			for (;;)
				pause();
		}
		if (write(wfd, &c, sizeof(c)) != sizeof(c))
			_exit(1);
	}
	close(wfd);
	for (;;)
		pause();
}

static void cleanup(void)
{
	int st;
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	/* Not one has been reaped yet, so none of these PIDs can have been
	 * reused: a dead sleeper is a zombie until its leader (or we) reap it. */
	for (size_t i = npids; i-- > 0;)
		kill(pids[i], SIGKILL);
	while (waitpid(-1, &st, __WALL) > 0 || errno == EINTR)
		;
	for (size_t i = ncg_made; i-- > 0;) {
		/* A just-killed task can linger in the cgroup for a moment. */
		for (int tries = 0; rmdir(cg_made[i]) < 0 && errno == EBUSY && tries < 200; tries++)
			usleep(10000);
		free(cg_made[i]);
	}
	ncg_made = 0;
}

int main(int argc, char **argv)
{
	int nprocs = 1000, gsize = 10, opt, ngroups, rc = 1;
	char runid[64];
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	pid_t parent;

	snprintf(runid, sizeof(runid), "%d", (int)getpid());
	while ((opt = getopt(argc, argv, "n:g:r:")) != -1) {
		switch (opt) {
		case 'n': nprocs = atoi(optarg); break;
		case 'g': gsize = atoi(optarg); break;
		case 'r': snprintf(runid, sizeof(runid), "%s", optarg); break;
		default:
			fprintf(stderr, "usage: spawn [-n NPROCS] [-g GROUPSIZE] [-r RUNID]\n");
			return 2;
		}
	}
	if (nprocs < 1 || gsize < 2 || strchr(runid, '/')) {
		fprintf(stderr, "spawn: bad arguments\n");
		return 2;
	}
	ngroups = (nprocs + gsize - 1) / gsize;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Held until we wait for them, so a signal during setup is not lost. */
	sigprocmask(SIG_BLOCK, &block, &old);
	/* Dies with its parent (the benchmark script), so nothing outlives it. */
	parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		return 1;
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	if (find_hierarchies() < 0)
		return 1;

	for (int k = 0, left = nprocs; k < ngroups; k++) {
		int size = left < gsize ? left : gsize, p[2];
		pid_t l;
		char path[4096];
		sigset_t pend;

		left -= size;
		sigpending(&pend);
		if (sigismember(&pend, SIGTERM) || sigismember(&pend, SIGINT) ||
		    sigismember(&pend, SIGHUP))
			goto out;
		for (int h = 0; h < nhier; h++) {
			snprintf(path, sizeof(path), "%s/nstop-bench-%s-%d",
				 hier_dir[h], runid, k);
			if (make_cgroup(path) < 0)
				goto out;
		}
		if (pipe2(p, O_CLOEXEC) < 0) {
			die("pipe");
			goto out;
		}
		l = fork();
		if (l < 0) {
			die("fork");
			goto out;
		}
		if (l == 0) {
			close(p[0]);
			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			leader(k, size, runid, p[1]);
		}
		close(p[1]);
		if (add_pid(l) < 0)
			goto out;
		for (int i = 1; i < size; i++) {
			pid_t c;

			if (read(p[0], &c, sizeof(c)) != sizeof(c)) {
				fprintf(stderr, "spawn: group %d: leader failed\n", k);
				close(p[0]);
				goto out;
			}
			if (add_pid(c) < 0)
				goto out;
		}
		close(p[0]);
	}
	printf("ready %zu %d\n", npids, ngroups);
	fflush(stdout);
	rc = 0;
	{
		int sig;

		sigwait(&block, &sig);
	}
out:
	cleanup();
	return rc;
}
