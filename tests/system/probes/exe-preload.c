/*
 * The container's side of CVE-2019-5736, for rt-exe-seal.sh: a library the
 * container's /etc/ld.so.preload names, so that when a `#!/proc/self/exe`
 * file inside makes the kernel run nstop's binary there, this constructor
 * runs as container code in that process. It tries what the attacker would,
 * and writes KEY=VALUE lines to /out/probe.PID (VALUE "ok" or the errno's
 * name):
 *
 *   exe=            readlink /proc/self/exe: which file the kernel ran
 *   open_wr=        open /proc/self/exe for writing, now
 *   write=          appending a marker through it, when that open worked
 *   opath=          an O_PATH fd of /proc/self/exe, kept
 *   fd.N=           every other fd this process holds, and where it points
 * and a child of it, which execs /reopen (this file, built static with
 * -DEXE_REOPEN) and so runs nstop no more, to /out/late.PID:
 *   late_exe_seen=  the file its O_PATH fd of /proc/self/exe names
 *   late_open=      reopening that fd through /proc/self/fd for writing, as
 *                    soon as it works (once nothing runs the file) or in 3 s
 *   late_write=      and appending through it
 *   done=1          the last line each writer adds
 *
 * The marker is appended, so a binary that was written to still runs: the
 * test sees the damage in its sha256, not as a broken build.
 * Built by the test: cc -shared -fPIC, and cc -static -DEXE_REOPEN.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char marker[] = "\nnstop-test-exe-seal: written from inside a container\n";

static const char *res(int ok)
{
	return ok ? "ok" : strerrorname_np(errno);
}

static void try_write(int log, const char *openkey, const char *writekey, const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	int e = errno;

	dprintf(log, "%s=%s\n", openkey, fd >= 0 ? "ok" : strerrorname_np(e));
	if (fd >= 0) {
		ssize_t n = write(fd, marker, sizeof(marker) - 1);
		dprintf(log, "%s=%s\n", writekey, res(n == (ssize_t)(sizeof(marker) - 1)));
		close(fd);
	}
}

#ifndef EXE_REOPEN
static void list_fds(int log, int opath)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[64], target[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		int n = atoi(e->d_name);
		ssize_t len;

		if (e->d_name[0] == '.' || n == log || n == opath || n == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", n);
		len = readlink(path, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		dprintf(log, "fd.%d=%s\n", n, target);
	}
	closedir(d);
}
#endif

#ifndef EXE_REOPEN
__attribute__((constructor)) static void exe_probe(void)
{
	char path[64], exe[512];
	int log, opath;
	ssize_t n;

	snprintf(path, sizeof(path), "/out/probe.%d", (int)getpid());
	log = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (log < 0)
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	dprintf(log, "exe=%s\n", exe);
	try_write(log, "open_wr", "write", "/proc/self/exe");
	opath = open("/proc/self/exe", O_PATH);
	dprintf(log, "opath=%s\n", res(opath >= 0));
	list_fds(log, opath);
	dprintf(log, "done=1\n");
	close(log);
	if (opath < 0 || fork() != 0)
		return;	/* nstop goes on (and fails on its argument) */

	/* The child leaves nstop's image for the container's own static
	 * /reopen (this file, built with -DEXE_REOPEN), keeping the O_PATH fd:
	 * the kernel says ETXTBSY only while some process executes the file. */
	snprintf(path, sizeof(path), "%d", opath);
	execl("/reopen", "reopen", path, (char *)NULL);
	_exit(127);
}
#endif

#ifdef EXE_REOPEN
int main(int argc, char **argv)
{
	char path[64], exe[512];
	int log;
	ssize_t n;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "/out/late.%d", (int)getpid());
	log = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (log < 0)
		return 1;
	snprintf(path, sizeof(path), "/proc/self/fd/%s", argv[1]);
	n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	dprintf(log, "late_exe_seen=%s\n", exe);
	for (int i = 0; i < 60; i++) {
		int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

		if (fd >= 0 || i == 59) {
			if (fd >= 0)
				close(fd);
			try_write(log, "late_open", "late_write", path);
			break;
		}
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	dprintf(log, "done=1\n");
	return 0;
}
#endif
