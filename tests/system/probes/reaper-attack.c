/*
 * The payload's side of tests/system/rt-reaper-attack.sh: what a process of
 * a container tries against its init, the sealed reaper (src/reaper/), to
 * get a handle on the init's executable or memory. Static (a busybox root
 * has no libraries). Prints KEY=VALUE lines for the script to assert:
 *
 *   reaper-attack pid1          every way to pid 1's executable, memory, fds:
 *                               "denied" or "GOT ..." each
 *   reaper-attack fds           fds=the numbers open besides 0, 1, 2
 *   reaper-attack orphans N     N orphans handed to pid 1, then
 *                               zombies=those of them pid 1 left unreaped
 *   reaper-attack seals PATH    (on the host) seals=F_GET_SEALS of PATH
 *   reaper-attack late PATH     (on the host) holds PATH as an O_PATH fd,
 *                               says held=1, waits for a line on stdin (the
 *                               container gone), then reopens the fd for
 *                               writing and writes: late_write=...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef F_GET_SEALS
#define F_GET_SEALS 1034
#endif

static void say(const char *key, int rc, int err, const char *what)
{
	if (rc < 0)
		printf("%s=denied (%s)\n", key, strerror(err));
	else
		printf("%s=GOT %s\n", key, what);
}

static void try_open(const char *key, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	say(key, fd, errno, path);
	if (fd >= 0)
		close(fd);
}

static void try_link(const char *key, const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n >= 0)
		buf[n] = '\0';
	say(key, (int)n, errno, n >= 0 ? buf : "");
}

static unsigned long pid1_writable(void)
{
	FILE *f = fopen("/proc/1/maps", "r");
	unsigned long lo, hi, at = 0x400000;
	char perm[8], line[512];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 && perm[1] == 'w') {
			at = lo;
			break;
		}
	if (f)
		fclose(f);
	return at;
}

static int pid1(void)
{
	char buf[64], got[96];
	struct iovec local = { buf, sizeof(buf) }, remote = { (void *)0x400000, sizeof(buf) };
	DIR *d;
	long r;
	int pidfd;

	try_link("exe_link", "/proc/1/exe");
	try_open("exe_read", "/proc/1/exe", O_RDONLY);
	try_open("exe_path", "/proc/1/exe", O_PATH);
	try_open("mem", "/proc/1/mem", O_RDWR);
	try_open("environ", "/proc/1/environ", O_RDONLY);
	try_link("cwd", "/proc/1/cwd");
	try_link("root", "/proc/1/root");
	try_link("fd0", "/proc/1/fd/0");
	/* the directory opens; listing its entries is what ptrace guards */
	d = opendir("/proc/1/map_files");
	if (!d) {
		say("map_files", -1, errno, "");
	} else {
		struct dirent *e;
		int n = 0;

		errno = 0;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				n++;
		if (n == 0 && errno == 0)
			errno = ENOENT;	/* nothing listed: nothing got */
		snprintf(got, sizeof(got), "%d mappings of pid 1 listed", n);
		say("map_files", n > 0 ? 0 : -1, errno, got);
		closedir(d);
	}
	/* a writable mapping of pid 1 where its maps show one (they do only
	 * to whom ptrace would be allowed), else its text */
	remote.iov_base = (void *)pid1_writable();
	r = process_vm_readv(1, &local, 1, &remote, 1, 0);
	say("vm_read", (int)r, errno, "pid 1's memory");
	/* the very bytes read, written back: a pass changes nothing */
	r = process_vm_writev(1, &local, 1, &remote, 1, 0);
	say("vm_write", (int)r, errno, "a write into pid 1's memory");
	pidfd = (int)syscall(SYS_pidfd_open, 1, 0);
	if (pidfd < 0) {
		say("pidfd_getfd", -1, errno, "");
	} else {
		int fd = -1, e = EBADF;
		for (int i = 0; i < 8 && fd < 0; i++) {
			fd = (int)syscall(SYS_pidfd_getfd, pidfd, i, 0);
			if (fd < 0 && errno != EBADF)
				e = errno;
		}
		snprintf(got, sizeof(got), "a copy of one of pid 1's fds (%d)", fd);
		say("pidfd_getfd", fd, e, got);
		if (fd >= 0)
			close(fd);
		close(pidfd);
	}
	r = ptrace(PTRACE_SEIZE, 1, NULL, NULL);
	say("ptrace", (int)r, errno, "pid 1 traced");
	if (r == 0)
		ptrace(PTRACE_DETACH, 1, NULL, NULL);
	return 0;
}

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char line[512] = "";

	if (!d) {
		printf("fds=error %s\n", strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		char path[64], to[256];
		ssize_t n;

		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, to, sizeof(to) - 1);
		to[n > 0 ? n : 0] = '\0';
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%d:%s",
			 line[0] ? " " : "", fd, to);
	}
	closedir(d);
	printf("fds=%s\n", line);
	return 0;
}

/* The zombies whose parent is pid 1, among the pids given. */
static int zombies_of_1(const pid_t *pids, int n)
{
	int z = 0;

	for (int i = 0; i < n; i++) {
		char path[64], buf[512], st;
		int ppid;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			char *p = strrchr(buf, ')');
			if (p && sscanf(p + 1, " %c %d", &st, &ppid) == 2 && st == 'Z' && ppid == 1)
				z++;
		}
		fclose(f);
	}
	return z;
}

/* N middles each fork a child that reports its pid and exits at once,
 * then exit themselves: the children are orphans, pid 1's to reap. */
static int orphans(int n)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int p[2], z = 0;

	if (!pids || pipe(p) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t mid = fork();
		if (mid == 0) {
			pid_t c = fork();
			if (c == 0) {
				pid_t me = getpid();
				/* the middle is gone first: this one is an orphan */
				while (getppid() != 1)
					usleep(1000);
				if (write(p[1], &me, sizeof(me)) != sizeof(me))
					_exit(1);
				_exit(0);
			}
			_exit(0);
		}
		waitpid(mid, NULL, 0);
	}
	close(p[1]);
	for (int i = 0; i < n; i++)
		if (read(p[0], &pids[i], sizeof(pids[i])) != sizeof(pids[i]))
			pids[i] = 0;
	/* reaping takes the reaper a moment: up to 5 s (a pass needs none) */
	for (int t = 0; t < 100; t++) {
		struct timespec ms50 = { 0, 50 * 1000 * 1000 };
		z = zombies_of_1(pids, n);
		if (z == 0)
			break;
		nanosleep(&ms50, NULL);
	}
	printf("zombies=%d\n", z);
	free(pids);
	return 0;
}

static int seals(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), s;

	if (fd < 0) {
		printf("seals=error %s\n", strerror(errno));
		return 1;
	}
	s = fcntl(fd, F_GET_SEALS);
	printf("seals=%d\n", s < 0 ? -errno : s);
	close(fd);
	return 0;
}

/* CVE-2019-5736's second step: a handle kept while the file runs, reopened
 * for writing once nothing runs it any more (no ETXTBSY then). */
static int late(const char *path)
{
	int fd = open(path, O_PATH | O_CLOEXEC), w;
	char self[64], line[16];
	ssize_t n;

	if (fd < 0) {
		printf("held=0 (%s)\n", strerror(errno));
		return 1;
	}
	printf("held=1\n");
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	w = open(self, O_WRONLY | O_CLOEXEC);
	if (w < 0) {
		printf("late_write=denied (open: %s)\n", strerror(errno));
		return 0;
	}
	n = write(w, "x", 1);
	if (n == 1)
		printf("late_write=GOT a byte written into it\n");
	else
		printf("late_write=denied (write: %s)\n", strerror(errno));
	close(w);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "pid1") == 0)
		return pid1();
	if (argc == 2 && strcmp(argv[1], "fds") == 0)
		return fds();
	if (argc == 3 && strcmp(argv[1], "orphans") == 0)
		return orphans(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "seals") == 0)
		return seals(argv[2]);
	if (argc == 3 && strcmp(argv[1], "late") == 0)
		return late(argv[2]);
	fprintf(stderr, "usage: reaper-attack pid1|fds|orphans N|seals PATH|late PATH\n");
	return 2;
}
