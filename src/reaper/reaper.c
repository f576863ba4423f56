/*
 * nstop's reaper: what a container's init becomes once the container is
 * made. The init (src/rt/rt-init.c, a clone of nstop) builds the container
 * and hardens itself, then execs this program from a sealed memfd
 * (rt-reaper.c); it spawns the payload, says on the report pipe whether
 * that worked, passes signals on, reaps every orphan of the pid namespace
 * and exits with the payload's status - or, for an idle container, only
 * reaps until a signal ends it.
 *
 * Why a program of its own (CVE-2019-5736, rt-selfexe.c): the init lives
 * for the container's whole life, and the kernel runs a container's
 * `#!/proc/self/exe` file (its payload, its /bin/sh) as whatever file the
 * process that execs it runs. Here that is this sealed copy of a few KB:
 * no host path, no byte of it writable (EPERM), no loader, no library and
 * no /etc/ld.so.preload of the container's in it, so container code never
 * runs in a process whose executable is nstop's binary, and nstop itself
 * need not re-exec from a copy of its 2.6 MB before a launch. Run by hand
 * (not pid 1 with the init's block on fd 3) it refuses and exits 2.
 *
 * Freestanding C: raw system calls, no C library, nothing loaded; x86_64
 * and aarch64. Built static by the Makefile and embedded into nstop.
 */
#include <stddef.h>
#include <stdint.h>
#include <asm/errno.h>
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include <linux/prctl.h>
#include <asm/ioctls.h>
#include <asm/signal.h>
#include <linux/mman.h>

#include "nstop/err.h"
#include "nstop/reaper.h"

#define REAPER_NSIG	64
#define REAPER_SI_KERNEL 0x80
#define REAPER_WNOHANG	1
#define REAPER_NAME_MAX	255
#define REAPER_PATH_MAX	4096

_Noreturn void reaper_start(long *sp);

/* ---- system calls -------------------------------------------------------------- */

#if defined(__x86_64__)
static long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret)
			  : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			  : "rcx", "r11", "memory");
	return ret;
}
__asm__(".text\n.global _start\n.type _start,@function\n_start:\n"
	"\txor %ebp,%ebp\n\tmov %rsp,%rdi\n\tand $-16,%rsp\n\tcall reaper_start\n\thlt\n");
#elif defined(__aarch64__)
static long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile ("svc 0" : "+r"(x0)
			  : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			  : "memory", "cc");
	return x0;
}
__asm__(".text\n.global _start\n.type _start,%function\n_start:\n"
	"\tmov x29, #0\n\tmov x30, #0\n\tmov x0, sp\n\tbl reaper_start\n\tbrk #0\n");
#else
#error "nstop's reaper knows the system calls of x86_64 and aarch64 only"
#endif

#define sc(n, a, b, c) sc6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

_Noreturn static void sys_exit(int code)
{
	for (;;)
		sc(__NR_exit_group, code, 0, 0);
}

static long sys_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		long n = sc(__NR_write, fd, p, len);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? n : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sys_close(int fd)
{
	sc(__NR_close, fd, 0, 0);
}

/* The kernel's sigset: one bit per signal, 64 of them. */
static long sys_sigmask(unsigned long mask)
{
	return sc6(__NR_rt_sigprocmask, SIG_SETMASK, (long)&mask, 0, sizeof(mask), 0, 0);
}

/* ---- small helpers ------------------------------------------------------------- */

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void mem_copy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	while (n--)
		*d++ = *s++;
}

/* gcc may emit calls to these for struct copies and zeroing */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n)
{
	mem_copy(dst, src, n);
	return dst;
}
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Appends s to buf (size bytes, NUL-terminated) as far as it fits. */
static void str_add(char *buf, size_t size, const char *s)
{
	size_t n = str_len(buf);

	while (*s && n + 1 < size)
		buf[n++] = *s++;
	buf[n] = '\0';
}

static void num_add(char *buf, size_t size, long v)
{
	char d[24];
	int i = (int)sizeof(d) - 1;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;

	d[i] = '\0';
	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) && i > 1);
	if (v < 0)
		d[--i] = '-';
	str_add(buf, size, d + i);
}

/* glibc's words for what the spawn can meet, so that nstop says exactly
 * what it said when the init spawned the payload with posix_spawnp. */
static const char *const reaper_errs[] = {
	[EPERM] = "Operation not permitted", [ENOENT] = "No such file or directory",
	[ESRCH] = "No such process", [EINTR] = "Interrupted system call",
	[EIO] = "Input/output error", [ENXIO] = "No such device or address",
	[E2BIG] = "Argument list too long", [ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor", [ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable", [ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied", [EFAULT] = "Bad address",
	[ENOTBLK] = "Block device required", [EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists", [EXDEV] = "Invalid cross-device link",
	[ENODEV] = "No such device", [ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory", [EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system", [EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate ioctl for device", [ETXTBSY] = "Text file busy",
	[EFBIG] = "File too large", [ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek", [EROFS] = "Read-only file system",
	[EMLINK] = "Too many links", [EPIPE] = "Broken pipe",
	[EDOM] = "Numerical argument out of domain", [ERANGE] = "Numerical result out of range",
	[EDEADLK] = "Resource deadlock avoided", [ENAMETOOLONG] = "File name too long",
	[ENOLCK] = "No locks available", [ENOSYS] = "Function not implemented",
	[ENOTEMPTY] = "Directory not empty", [ELOOP] = "Too many levels of symbolic links",
	[EOVERFLOW] = "Value too large for defined data type",
	[ELIBBAD] = "Accessing a corrupted shared library",
	[EOPNOTSUPP] = "Operation not supported", [ESTALE] = "Stale file handle",
	[EDQUOT] = "Disk quota exceeded",
};

/* One struct nst_err on the report pipe, as rt_report writes it. */
static void reaper_report(int code, const char *what)
{
	struct nst_err e;

	memset(&e, 0, sizeof(e));
	e.code = code;
	if (code) {
		str_add(e.msg, sizeof(e.msg), what);
		str_add(e.msg, sizeof(e.msg), ": ");
		if ((size_t)code < sizeof(reaper_errs) / sizeof(reaper_errs[0]) && reaper_errs[code]) {
			str_add(e.msg, sizeof(e.msg), reaper_errs[code]);
		} else {
			str_add(e.msg, sizeof(e.msg), "Unknown error ");
			num_add(e.msg, sizeof(e.msg), code);
		}
	}
	sys_write_all(NST_REAPER_FD_REPORT, &e, sizeof(e));
}

_Noreturn static void reaper_fail(int code, const char *what)
{
	reaper_report(code, what);
	sys_exit(127);
}

/* ---- the block the init left on fd 3 ------------------------------------------- */

struct reaper_plan {
	uint32_t flags, slave_fds;
	char **argv;		/* the payload's, NULL-terminated */
};

/* Threat: a container that runs this file itself (a `#!/proc/self/exe`
 * payload) with fds and arguments of its choosing. It gains nothing (it
 * runs with the container's own rights), but the program must not act
 * as an init for it: only pid 1 holding a well-formed block goes on. */
static int reaper_plan_read(struct reaper_plan *p)
{
	struct nst_reaper_args h;
	char *blk, *s, *end;
	long n;

	if (sc(__NR_getpid, 0, 0, 0) != 1)
		return -EPERM;
	n = sc6(__NR_pread64, NST_REAPER_FD_ARGS, (long)&h, sizeof(h), 0, 0, 0);
	if (n != (long)sizeof(h) || h.magic != NST_REAPER_MAGIC || h.size < sizeof(h) ||
	    h.size > NST_REAPER_ARGS_MAX || h.argc > h.size)
		return -EINVAL;
	if (!(h.flags & NST_REAPER_IDLE) && h.argc == 0)
		return -EINVAL;
	blk = (char *)sc6(__NR_mmap, 0, h.size, PROT_READ, MAP_PRIVATE, NST_REAPER_FD_ARGS, 0);
	if ((unsigned long)blk > -4096UL)
		return (int)(long)blk;
	p->argv = (char **)sc6(__NR_mmap, 0, ((size_t)h.argc + 1) * sizeof(char *),
			       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((unsigned long)p->argv > -4096UL)
		return (int)(long)p->argv;
	s = blk + sizeof(h);
	end = blk + h.size;
	for (uint32_t i = 0; i < h.argc; i++) {
		p->argv[i] = s;
		while (s < end && *s)
			s++;
		if (s == end)
			return -EINVAL;	/* a string without its NUL */
		s++;
	}
	p->argv[h.argc] = NULL;
	p->flags = h.flags;
	p->slave_fds = h.slave_fds;
	return 0;
}

/* ---- the payload ------------------------------------------------------------- */

static const char *env_get(char **envp, const char *name)
{
	size_t n = str_len(name);

	for (; *envp; envp++) {
		size_t i = 0;
		while (i < n && (*envp)[i] == name[i])
			i++;
		if (i == n && (*envp)[n] == '=')
			return *envp + n + 1;
	}
	return NULL;
}

/* execvp as glibc's posix_spawnp does it: the payload's PATH (or
 * /bin:/usr/bin), an empty entry the working directory, no /bin/sh for a
 * file without #!; EACCES from any entry wins over a later ENOENT. */
static long reaper_execvp(const char *file, char **argv, char **envp)
{
	const char *path, *p, *z;
	char buf[REAPER_PATH_MAX + REAPER_NAME_MAX + 2];
	size_t flen = str_len(file);
	int eacces = 0;
	long r = -ENOENT;

	if (flen == 0)
		return -ENOENT;
	for (const char *c = file; *c; c++)
		if (*c == '/')
			return sc(__NR_execve, file, argv, envp);
	if (flen > REAPER_NAME_MAX)	/* as glibc's: NAME_MAX itself runs */
		return -ENAMETOOLONG;
	path = env_get(envp, "PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = z + 1) {
		size_t dlen;

		for (z = p; *z && *z != ':'; z++)
			;
		dlen = (size_t)(z - p);
		if (dlen < REAPER_PATH_MAX) {
			mem_copy(buf, p, dlen);
			if (dlen)
				buf[dlen++] = '/';
			mem_copy(buf + dlen, file, flen + 1);
			r = sc(__NR_execve, buf, argv, envp);
			switch (-r) {
			case EACCES:
				eacces = 1;
				break;
			case ENOENT: case ESTALE: case ENOTDIR: case ENODEV: case ETIMEDOUT:
				break;
			default:
				return r;
			}
		}
		if (!*z)
			break;
	}
	return eacces ? -EACCES : r;
}

/* In the child: a session of its own (so kill(0) from it reaches nothing
 * of nstop's), the pty's slave as controlling terminal and on the fds
 * slave_fds names, /dev/null as stdin when asked, no signal blocked, then
 * the command. Returns only with exec's (or a step's) -errno. */
static long reaper_child(const struct reaper_plan *p, char **envp)
{
	long r;

	if ((r = sc(__NR_setsid, 0, 0, 0)) < 0)
		return r;
	if (p->flags & NST_REAPER_NULL_STDIN) {
		r = sc6(__NR_openat, AT_FDCWD, (long)"/dev/null", O_RDONLY, 0, 0, 0);
		if (r < 0)
			return r;
		if (r != 0) {
			long d = sc(__NR_dup3, r, 0, 0);
			sys_close((int)r);
			if (d < 0)
				return d;
		}
	}
	if (p->slave_fds) {
		if ((r = sc(__NR_ioctl, NST_REAPER_FD_SLAVE, TIOCSCTTY, 0)) < 0)
			return r;
		for (int fd = 0; fd < 3; fd++) {
			if (!(p->slave_fds & (1U << fd)))
				continue;
			if ((r = sc(__NR_dup3, NST_REAPER_FD_SLAVE, fd, 0)) < 0)
				return r;
		}
	}
	if ((r = sys_sigmask(0)) < 0)
		return r;
	return reaper_execvp(p->argv[0], p->argv, envp);
}

/* fork, with the exec's error back through a close-on-exec pipe: EOF
 * means the command runs. Returns the child's pid or -errno. */
static long reaper_spawn(const struct reaper_plan *p, char **envp)
{
	int pfd[2];
	long pid, n, r;
	int err = 0;

	if ((r = sc(__NR_pipe2, pfd, O_CLOEXEC, 0)) < 0)
		return r;
	pid = sc6(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0) {
		sys_close(pfd[0]);
		r = reaper_child(p, envp);
		err = (int)-r;
		sys_write_all(pfd[1], &err, sizeof(err));
		sys_exit(127);
	}
	sys_close(pfd[1]);
	if (pid < 0) {
		sys_close(pfd[0]);
		return pid;
	}
	do
		n = sc(__NR_read, pfd[0], &err, sizeof(err));
	while (n == -EINTR);
	sys_close(pfd[0]);
	if (n == (long)sizeof(err) && err > 0) {
		int ws;
		while (sc6(__NR_wait4, pid, (long)&ws, 0, 0, 0, 0) == -EINTR)
			;
		return -err;
	}
	return pid;
}

/* Threat: the init, pid 1 for the container's whole life, as the one
 * process inside that still holds the caller's terminal. Once the payload
 * has its stdio, our copies of a terminal become /dev/null. */
static void reaper_tty_drop(void)
{
	char termios[64];
	long null = sc6(__NR_openat, AT_FDCWD, (long)"/dev/null", O_RDWR | O_CLOEXEC, 0, 0, 0);

	if (null < 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		if (sc(__NR_ioctl, fd, TCGETS, termios) == 0)
			sc(__NR_dup3, null, fd, 0);
	sys_close((int)null);
}

/* ---- reaping ----------------------------------------------------------------- */

struct reaper_siginfo {
	int signo, errno_, code;
	int rest[29];
};

static int reaper_sigwait(struct reaper_siginfo *si)
{
	unsigned long all = ~0UL;

	return (int)sc6(__NR_rt_sigtimedwait, (long)&all, (long)si, 0, sizeof(all), 0, 0);
}

static int reaper_status(int ws)
{
	if ((ws & 0x7f) == 0)
		return (ws >> 8) & 0xff;
	if (((signed char)((ws & 0x7f) + 1) >> 1) > 0)
		return 128 + (ws & 0x7f);
	return 1;
}

/* Reaps and forwards until the payload ends; returns its status. Signals
 * the kernel sends the init itself (SIGPIPE and the like) stay here;
 * nstop passes the terminal's on with kill(). */
static int reaper_loop(long payload)
{
	for (;;) {
		struct reaper_siginfo si;
		int sig = reaper_sigwait(&si);

		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			long pid;
			int ws;
			while ((pid = sc6(__NR_wait4, -1, (long)&ws, REAPER_WNOHANG, 0, 0, 0)) > 0)
				if (pid == payload)
					return reaper_status(ws);
			continue;
		}
		if (si.code == REAPER_SI_KERNEL)
			continue;
		sc(__NR_kill, payload, sig, 0);
	}
}

/* An idle container: reap what nstop exec leaves, and end on a signal
 * that would end a payload, as a payload killed by it would (128 + sig). */
static int reaper_idle_loop(void)
{
	for (;;) {
		struct reaper_siginfo si;
		int sig = reaper_sigwait(&si);

		switch (sig) {
		case SIGCHLD:
			while (sc6(__NR_wait4, -1, 0, REAPER_WNOHANG, 0, 0, 0) > 0)
				;
			break;
		case SIGTERM: case SIGINT: case SIGHUP: case SIGQUIT:
		case SIGUSR1: case SIGUSR2: case SIGALRM:
			return 128 + sig;
		default:
			break;
		}
	}
}

/* ps and the tests know the init by the name nstop was run as. */
static void reaper_name(const char *a0)
{
	char comm[16];
	const char *base = a0;

	for (const char *c = a0; *c; c++)
		if (c[0] == '/' && c[1])
			base = c + 1;
	comm[0] = '\0';
	str_add(comm, sizeof(comm), *base ? base : "nstop");
	sc(__NR_prctl, PR_SET_NAME, comm, 0);
}

static const char reaper_refusal[] =
	"nstop: this is a container's init, started by nstop only: refusing to run as a command\n";

_Noreturn void reaper_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	struct reaper_plan plan;
	long payload;

	/* every signal waits for sigwaitinfo; none kills pid 1 meanwhile */
	sys_sigmask(~0UL);
	/* Threat: exec made the init dumpable again: until this, a process
	 * of the container (none exists yet) could ptrace it. */
	if (sc(__NR_prctl, PR_SET_DUMPABLE, 0, 0) < 0)
		reaper_fail(EPERM, "making the init non-dumpable");
	if (reaper_plan_read(&plan) < 0) {
		sys_write_all(2, reaper_refusal, sizeof(reaper_refusal) - 1);
		sys_exit(2);
	}
	sys_close(NST_REAPER_FD_ARGS);
	/* Threat: a descriptor of nstop's that the init left open by mistake
	 * handed to the payload. The payload inherits none of ours but stdio:
	 * everything above the reaper's own goes (close_range: Linux 5.9),
	 * and those are close-on-exec. */
	sc(__NR_close_range, plan.slave_fds ? NST_REAPER_FD_SLAVE + 1 : NST_REAPER_FD_SLAVE,
	   ~0U, 0);
	sc(__NR_fcntl, NST_REAPER_FD_REPORT, F_SETFD, FD_CLOEXEC);
	if (plan.slave_fds)
		sc(__NR_fcntl, NST_REAPER_FD_SLAVE, F_SETFD, FD_CLOEXEC);
	reaper_name(argc > 0 && argv[0] ? argv[0] : "nstop");
	if (plan.flags & NST_REAPER_IDLE) {
		reaper_report(0, "");
		sys_close(NST_REAPER_FD_REPORT);
		sys_exit(reaper_idle_loop());
	}
	payload = reaper_spawn(&plan, envp);
	if (payload < 0)
		reaper_fail((int)-payload, plan.argv[0]);
	/* A word that it runs: EOF alone would also be the init's death. */
	reaper_report(0, "");
	if (plan.slave_fds)
		sys_close(NST_REAPER_FD_SLAVE);
	reaper_tty_drop();
	sys_close(NST_REAPER_FD_REPORT);
	sys_exit(reaper_loop(payload));
}
