/*
 * rt-reaper: the init's last step. Once the container is made and the
 * init hardened, it execs the reaper (src/reaper/reaper.c, embedded in
 * nstop at build time) from a sealed memfd; the reaper spawns the payload
 * and stays pid 1 for the container's life.
 *
 * Threat (CVE-2019-5736, rt-selfexe.c): a process of the container that
 * runs with nstop's binary as /proc/self/exe, or a long-lived pid 1 whose
 * executable the container can reach. Until this exec the init is alone in
 * its pid namespace (nothing of the container runs yet) and loads nothing
 * from the container's root (dl.c); after it, the only executable any
 * process of the container can reach through /proc is the reaper's sealed
 * copy: a `#!/proc/self/exe` payload runs the reaper, which refuses. So
 * `nstop run` needs no sealed copy of nstop itself (the cost of a second
 * start of nstop per launch), as runc 1.2-rc's runc-dmz did for runc and
 * Docker's --init (tini) does for the payload's reaping.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nstop/reaper.h"
#include "rt-launch.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U	/* Linux 6.3; required under vm.memfd_noexec=2 */
#endif

/* The reaper's bytes: src/reaper/reaper-blob.c, made by the Makefile. */
extern const unsigned char rt_reaper_image[];
extern const size_t rt_reaper_image_size;

/* The reaper's fds are numbered; what the init holds is moved above them
 * first, so that none is overwritten before it is copied. */
#define RT_REAPER_FD_FLOOR 10

/* The payload's argv and how to start it, for the reaper to map: a memfd
 * (an argv is up to the kernel's 2 MiB, more than a pipe holds before the
 * reader runs). Data only: never executable. */
static int rt_reaper_args(const struct rt_launch *l, int slave, struct nst_err *err)
{
	struct nst_reaper_args h = { .magic = NST_REAPER_MAGIC };
	size_t size = sizeof(h), off;
	char *blk;
	int fd, rc = 0;

	if (l->spec->argv)
		for (char *const *a = l->spec->argv; *a; a++, h.argc++)
			size += strlen(*a) + 1;
	if (size > NST_REAPER_ARGS_MAX)
		return nst_err_sys(err, E2BIG, "%s", l->spec->argv[0]);
	h.size = (uint32_t)size;
	h.flags = (l->spec->argv ? 0 : NST_REAPER_IDLE) |
		  (l->tty.null_stdin ? NST_REAPER_NULL_STDIN : 0);
	h.slave_fds = slave >= 0 ? l->tty.slave_fds : 0;
	blk = malloc(size);
	if (!blk)
		return nst_err_sys(err, ENOMEM, "nstop's init: the payload's arguments");
	memcpy(blk, &h, sizeof(h));
	off = sizeof(h);
	for (uint32_t i = 0; i < h.argc; i++) {
		size_t n = strlen(l->spec->argv[i]) + 1;
		memcpy(blk + off, l->spec->argv[i], n);
		off += n;
	}
	fd = memfd_create("nstop-init-args", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("nstop-init-args", MFD_CLOEXEC);
	if (fd < 0)
		rc = nst_err_sys(err, errno, "nstop's init: the payload's arguments: memfd_create");
	for (off = 0; rc == 0 && off < size;) {
		ssize_t n = write(fd, blk + off, size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = nst_err_sys(err, n < 0 ? errno : EIO,
					 "nstop's init: the payload's arguments: write");
		else
			off += (size_t)n;
	}
	free(blk);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	return fd;
}

/* fd above the reaper's numbers, close-on-exec; the original is closed. */
static int rt_reaper_lift(int fd, struct nst_err *err)
{
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, RT_REAPER_FD_FLOOR);

	if (hi < 0)
		return nst_err_sys(err, errno, "nstop's init: fcntl F_DUPFD_CLOEXEC");
	close(fd);
	return hi;
}

/* hi at the number want, kept across exec (hi itself is close-on-exec). */
static int rt_reaper_place(int hi, int want, struct nst_err *err)
{
	if (dup3(hi, want, 0) < 0)
		return nst_err_sys(err, errno, "nstop's init: dup3 to fd %d", want);
	return 0;
}

/* Everything but the report pipe (report: its copy above the reaper's
 * numbers); returns only on failure. */
static int rt_reaper_become(const struct rt_launch *l, int slave, int report,
			    struct nst_err *err)
{
	/* Threat: nstop's whole command line (volumes' host paths, every
	 * option) shown to the container in /proc/1/cmdline. The reaper's is
	 * what a reader needs: it is nstop's init of that container. */
	char *const argv[] = { "nstop", "init", (char *)l->name, NULL };
	int img, args, rc;

	img = rt_selfexe_image(rt_reaper_image, rt_reaper_image_size, "nstop-init", err);
	if (img < 0)
		return img;
	if ((rc = img = rt_reaper_lift(img, err)) < 0)
		return rc;
	if ((rc = args = rt_reaper_args(l, slave, err)) < 0 ||
	    (rc = args = rt_reaper_lift(args, err)) < 0)
		return rc;
	if (slave >= 0 && (rc = slave = rt_reaper_lift(slave, err)) < 0)
		return rc;
	if ((rc = rt_reaper_place(args, NST_REAPER_FD_ARGS, err)) < 0 ||
	    (rc = rt_reaper_place(report, NST_REAPER_FD_REPORT, err)) < 0 ||
	    (slave >= 0 && (rc = rt_reaper_place(slave, NST_REAPER_FD_SLAVE, err)) < 0))
		return rc;
	/* the payload looks its command up in its own PATH: the reaper's
	 * environment is the payload's */
	syscall(SYS_execveat, img, "", argv, l->env, AT_EMPTY_PATH);
	return nst_err_sys(err, errno, "nstop's init: execveat");
}

/* Threat: a container whose init runs on as nstop's binary, or one made
 * half way. It fails closed: any step that fails is reported on the
 * report pipe (nstop then undoes the container) and the init exits 127
 * before anything of the container ran. */
_Noreturn void rt_reaper_exec(const struct rt_launch *l, int slave)
{
	struct nst_err err;
	int report;

	nst_err_clear(&err);
	/* l->report_wr may sit on a number the reaper's fds take */
	report = fcntl(l->report_wr, F_DUPFD_CLOEXEC, RT_REAPER_FD_FLOOR);
	if (report < 0) {
		nst_err_sys(&err, errno, "nstop's init: fcntl F_DUPFD_CLOEXEC");
		rt_report(l->report_wr, &err);
		_exit(127);
	}
	rt_reaper_become(l, slave, report, &err);
	rt_report(report, &err);
	_exit(127);
}
