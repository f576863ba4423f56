/*
 * rt-selfexe: sealed in-memory copies of what runs next to a container:
 * nstop itself, for the verbs whose own forks run a container's file, and
 * the container's init, the reaper (rt-reaper.c), for run.
 *
 * Threat (CVE-2019-5736, the runc escape): the kernel runs a container's
 * `#!/proc/self/exe` file (one the operator runs: `nstop exec NAME -- FILE`,
 * or its own /bin/sh, which `nstop exec NAME` runs) as whatever file the
 * process that execs it has as its executable, inside the container, with
 * the container's loader and /etc/ld.so.preload. If that is nstop's binary,
 * container code then holds the host's binary as its executable and opens
 * it for writing (at once if that copy of nstop is not the one running the
 * init, or later through an O_PATH fd reopened once nothing executes it).
 * One write and the next root to run nstop on the host runs the
 * container's code. A long-lived pid 1 whose executable is the host's
 * binary would be the same door for any process of the container able to
 * open /proc/1/exe.
 *
 * Defence, two ways:
 * - exec, enter and the TUI (whose E and X keys are exec and enter) exec
 *   the container's file from a fork of themselves, so they first copy the
 *   running binary into a memfd, seal it (no write, no resize, no more
 *   seals) and re-exec it with the same argv and environment
 *   (rt_selfexe_seal), as runc's cloned_binary.c and crun's
 *   ensure_cloned_binary do. From then on /proc/self/exe of nstop and of
 *   every process it forks is that copy: the kernel refuses to change a
 *   byte of it (EPERM), refuses to open it for writing while anything
 *   executes it (ETXTBSY), and the host's file is reachable from no
 *   process nstop made.
 * - run does not: its own process stays in the host's pid namespace, where
 *   no process of a container sees it, and the container's init, until it
 *   has made the container, is alone in its new pid namespace, loads
 *   nothing from the container's root (dl.c) and execs nothing of it. Then
 *   it becomes the reaper, a few KB of static code sealed here
 *   (rt_selfexe_image) and exec'd from the memfd, which spawns the
 *   payload: a `#!/proc/self/exe` payload runs the reaper, which refuses,
 *   and pid 1 is the sealed reaper for the container's life. That spares
 *   every launch a second start of nstop (its loader, 8 libraries, the
 *   copy of 650 KB), as runc 1.2-rc's runc-dmz tried for runc (dropped
 *   for its limits with SELinux labels, CAP_SYS_PTRACE and a non-root
 *   user's capabilities; runc now re-execs itself through a private
 *   read-only overlayfs of its directory). Docker's
 *   --init (tini) is a host file bind-mounted read-only into the container.
 *
 * It fails closed: if a copy cannot be made the caller refuses to start
 * anything. Each memfd is close-on-exec, so execveat() consumes it and no
 * descriptor to it or to the host file is left in nstop or its children.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nstop/runtime.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U	/* Linux 6.3: executable even under vm.memfd_noexec=1 */
#endif

#define RT_SELFEXE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

/* The command line as main() got it: getopt_long permutes the array and
 * parsers cut some arguments in place (-v SRC:DST), and the re-exec must
 * parse exactly what the user typed. Kept for the life of the process. */
static char **rt_selfexe_argv;

void rt_selfexe_init(int argc, char **argv)
{
	char **copy = argc > 0 ? calloc((size_t)argc + 1, sizeof(*copy)) : NULL;

	rt_selfexe_argv = NULL;
	if (!copy)
		return;
	for (int i = 0; i < argc; i++) {
		copy[i] = strdup(argv[i]);
		if (!copy[i]) {
			while (i-- > 0)
				free(copy[i]);
			free(copy);
			return;
		}
	}
	rt_selfexe_argv = copy;
}

/* 1 when fd is a memfd carrying every seal we put on the copy. A regular
 * file has no seals (EINVAL); a plain tmpfs file carries only F_SEAL_SEAL,
 * so it can never have gained the write seals. */
static int rt_selfexe_is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & RT_SELFEXE_SEALS) == RT_SELFEXE_SEALS;
}

/* Threat: a vm.memfd_noexec=1 host makes a memfd without MFD_EXEC
 * unexecutable; before 6.3 the flag is unknown (EINVAL). At 2 the kernel
 * refuses executable memfds and nstop refuses to run unprotected. */
static int rt_selfexe_memfd(const char *name, const char *what, struct nst_err *err)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s: memfd_create", what);
	return fd;
}

/* sendfile copies page cache to page cache with no user buffer; a file
 * system that cannot splice gets read/write. Short copies are failures:
 * a truncated binary must never be sealed and run. */
static int rt_selfexe_copy(int dst, int src, off_t size, struct nst_err *err)
{
	off_t done = 0;
	char buf[65536];

	while (done < size) {
		ssize_t n = sendfile(dst, src, NULL, (size_t)(size - done));

		if (n < 0 && (errno == EINVAL || errno == ENOSYS) && done == 0) {
			while ((n = read(src, buf, sizeof(buf))) > 0) {
				if (write(dst, buf, (size_t)n) != n)
					return nst_err_sys(err, errno ? errno : EIO,
							   "a sealed copy of nstop: write");
				done += n;
			}
		}
		if (n < 0)
			return nst_err_sys(err, errno, "a sealed copy of nstop: copying the binary");
		if (n == 0)
			break;
		done += n;
	}
	if (done != size)
		return nst_err_set(err, EIO, "a sealed copy of nstop: the binary changed while copied");
	return 0;
}

/* How much of the binary the kernel and the loader use: up to the end of
 * the last part a program header names. A build with debug information is
 * three quarters symbols nobody reads from a memfd (about 0.7 ms of the
 * copy); whatever does not parse as our own ELF is copied whole. */
static off_t rt_selfexe_span(int exe, off_t size)
{
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph;
	off_t end;

	if (pread(exe, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_phentsize != sizeof(ph) ||
	    eh.e_phoff == 0 || (off_t)eh.e_phoff > size)
		return size;
	end = (off_t)(eh.e_phoff + (ElfW(Off))eh.e_phnum * sizeof(ph));
	if (end < (off_t)sizeof(eh))
		end = (off_t)sizeof(eh);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(exe, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
		    (ssize_t)sizeof(ph))
			return size;
		if ((off_t)(ph.p_offset + ph.p_filesz) > end)
			end = (off_t)(ph.p_offset + ph.p_filesz);
	}
	return end > 0 && end < size ? end : size;
}

/* fd, once filled (rc: how the filling went), sealed and its seals seen to
 * hold; fd, or -errno with fd closed: nothing half sealed is ever run. */
static int rt_selfexe_sealed_fd(int fd, int rc, const char *what, struct nst_err *err)
{
	if (rc == 0 && fcntl(fd, F_ADD_SEALS, RT_SELFEXE_SEALS) < 0)
		rc = nst_err_sys(err, errno, "%s: sealing it", what);
	if (rc == 0 && !rt_selfexe_is_sealed(fd))
		rc = nst_err_set(err, EPERM, "%s: the seals did not hold", what);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/* The copy, sealed; an fd to it (close-on-exec) or -errno. */
static int rt_selfexe_clone(int exe, struct nst_err *err)
{
	struct stat st;
	int fd, rc;

	if (fstat(exe, &st) < 0)
		return nst_err_sys(err, errno, "a sealed copy of nstop: /proc/self/exe");
	fd = rt_selfexe_memfd("nstop", "a sealed copy of nstop", err);
	if (fd < 0)
		return fd;
	rc = rt_selfexe_copy(fd, exe, rt_selfexe_span(exe, st.st_size), err);
	return rt_selfexe_sealed_fd(fd, rc, "a sealed copy of nstop", err);
}

/* Threat: the same as for the copy of nstop: a program a container's
 * process runs as (the reaper, pid 1 for the container's life) that is
 * writable, or resizable, or reachable as a host path. The bytes go into a
 * memfd that is sealed and checked before anything may exec it. */
int rt_selfexe_image(const void *image, size_t size, const char *name, struct nst_err *err)
{
	const char *p = image;
	size_t done = 0;
	int fd, rc = 0;

	fd = rt_selfexe_memfd(name, "a sealed copy of nstop's init", err);
	if (fd < 0)
		return fd;
	while (done < size && rc == 0) {
		ssize_t n = write(fd, p + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = nst_err_sys(err, n < 0 ? errno : EIO, "a sealed copy of nstop's init: write");
		else
			done += (size_t)n;
	}
	return rt_selfexe_sealed_fd(fd, rc, "a sealed copy of nstop's init", err);
}

/* The kernel names a process exec'd from an fd after the fd ("3") or the
 * memfd; ps, the TUI and the tests know it as nstop. */
static void rt_selfexe_name(void)
{
	const char *a0 = rt_selfexe_argv && rt_selfexe_argv[0] ? rt_selfexe_argv[0] : "nstop";
	const char *base = strrchr(a0, '/');
	char comm[16];

	snprintf(comm, sizeof(comm), "%s", base && base[1] ? base + 1 : a0);
	(void)prctl(PR_SET_NAME, comm, 0, 0, 0);
}

int rt_selfexe_seal(struct nst_err *err)
{
	int exe, fd;

	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return nst_err_sys(err, errno, "a sealed copy of nstop: /proc/self/exe");
	if (rt_selfexe_is_sealed(exe)) {
		close(exe);
		rt_selfexe_name();
		return 0;
	}
	fd = rt_selfexe_clone(exe, err);
	close(exe);
	if (fd < 0)
		return fd;
	if (!rt_selfexe_argv) {
		/* no copy of the command line: never re-exec something else */
		close(fd);
		return nst_err_set(err, ENOMEM, "a sealed copy of nstop: no copy of the command line");
	}
	fflush(NULL);
	syscall(SYS_execveat, fd, "", rt_selfexe_argv, environ, AT_EMPTY_PATH);
	nst_err_sys(err, errno, "a sealed copy of nstop: execveat");
	close(fd);
	return -err->code;
}
