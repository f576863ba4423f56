/*
 * rt-tty: what a payload gets instead of the caller's terminal, and the
 * relay between the two.
 *
 * A payload that shares the caller's session or process group reaches the
 * host through them: kill(0) signals every process of the caller's group
 * (the pid namespace does not bound it, the group is named by the caller's
 * struct pid, not by a number), and a terminal shared with the caller's
 * session lets a process left behind in the container take the terminal's
 * foreground after nstop has returned, read what the operator types to the
 * host's shell, or change the terminal's modes. So, as docker -t and runc's
 * console socket do, the payload always starts a session of its own
 * (setsid), and when the caller has a terminal the payload gets a
 * pseudo-terminal of its own: the slave is its controlling terminal and its
 * stdio wherever the caller's stdio is a terminal, and nstop relays between
 * the caller's terminal (raw while it relays) and the master. The master
 * never goes inside; nothing inside holds the caller's terminal.
 *
 * Where the pty comes from: the container's own devpts instance (mounted
 * newinstance at /dev/pts by rt-rootfs.c), as runc and crun do, so that the
 * payload's terminal is /dev/pts/N of its own instance and the host's
 * /dev/pts is nowhere inside. nstop run's init opens it after the pivot and
 * hands the master out over its socket (SCM_RIGHTS); nstop exec opens it
 * from the host through the init's root with openat2(RESOLVE_IN_ROOT); the
 * slave is always reached from the master (TIOCGPTPEER), never by a path
 * the container could swap. nstop enter (any process, whose root may have
 * no devpts of its own) takes one of the host's: the command it runs keeps
 * all of root's powers anyway.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "rt-launch.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

void rt_tty_plan(struct rt_tty *t)
{
	memset(t, 0, sizeof(*t));
	t->in = t->out = t->master = t->slave = t->null = -1;
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			t->slave_fds |= 1U << fd;
	/* a background job may not read its terminal (nor make it raw):
	 * the payload's stdin is /dev/null then, not the caller's terminal */
	if ((t->slave_fds & 1U) && tcgetpgrp(STDIN_FILENO) != getpgrp()) {
		t->slave_fds &= ~1U;
		t->null_stdin = true;
	}
	if (t->slave_fds & 1U)
		t->in = STDIN_FILENO;
	t->out = (t->slave_fds & 2U) ? STDOUT_FILENO :
		 (t->slave_fds & 4U) ? STDERR_FILENO : t->in;
}

void rt_tty_close(struct rt_tty *t)
{
	if (t->master >= 0)
		close(t->master);
	if (t->slave >= 0)
		close(t->slave);
	if (t->null >= 0)
		close(t->null);
	t->master = t->slave = t->null = -1;
}

/* The terminal the payload's starts like: the caller's modes and size. */
static void rt_tty_copy_modes(const struct rt_tty *t, int pty)
{
	int from = t->in >= 0 ? t->in : t->out;
	struct termios tio;
	struct winsize ws;

	if (from < 0)
		return;
	if (tcgetattr(from, &tio) == 0)
		tcsetattr(pty, TCSANOW, &tio);
	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(pty, TIOCSWINSZ, &ws);
}

/*
 * Threat: a "ptmx" that is not one (a node, FIFO or file the container put
 * in its place, or another instance's) handed to nstop or the payload. The
 * master must be a devpts ptmx (5:2 on a devpts file system), or nothing is
 * used. The slave comes from the master itself (TIOCGPTPEER): no path
 * between them for the container to swap.
 */
static int rt_tty_pair(int master, bool devpts, int *slave, struct nst_err *err)
{
	struct statfs sfs;
	struct stat st;
	int unlock = 0;

	if (fstat(master, &st) < 0 || fstatfs(master, &sfs) < 0)
		return nst_err_sys(err, errno, "the terminal's ptmx");
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2 ||
	    (devpts && sfs.f_type != DEVPTS_SUPER_MAGIC))
		return nst_err_set(err, EPERM, "the terminal's ptmx: not a devpts ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return nst_err_sys(err, errno, "unlocking the terminal");
	*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return nst_err_sys(err, errno, "opening the terminal's slave");
	return 0;
}

/* Threat: the host's /dev/pts, and every other user's terminal on it,
 * reachable from inside. The pty is the container's own devpts instance's,
 * found under its init's root without following a link the container made
 * (RESOLVE_IN_ROOT, no symlinks), never blocking on what is there. */
int rt_tty_open_in(struct rt_tty *t, int rootfd, struct nst_err *err)
{
	struct open_how how = {
		.flags = O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, "dev/pts/ptmx", &how, sizeof(how));
	int rc;

	if (fd < 0)
		return nst_err_sys(err, errno, "the container's /dev/pts/ptmx");
	t->master = (int)fd;
	if ((rc = rt_tty_pair(t->master, true, &t->slave, err)) < 0)
		return rc;
	rt_tty_copy_modes(t, t->master);
	return 0;
}

/* nstop enter: the process's root may have no devpts of its own (or one
 * that is not a container's), and the command keeps all of root's powers
 * there anyway: a pty of the host's devpts, which the command holds only
 * as its own terminal; the master stays nstop's. */
int rt_tty_open_host(struct rt_tty *t, struct nst_err *err)
{
	int rc;

	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->master < 0)
		return nst_err_sys(err, errno, "/dev/ptmx");
	if ((rc = rt_tty_pair(t->master, false, &t->slave, err)) < 0)
		return rc;
	fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_NONBLOCK);
	rt_tty_copy_modes(t, t->master);
	return 0;
}

int rt_tty_open_null(struct rt_tty *t, struct nst_err *err)
{
	if (!t->null_stdin)
		return 0;
	t->null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (t->null < 0)
		return nst_err_sys(err, errno, "/dev/null");
	return 0;
}

/*
 * Threat: a process of the container signalling the caller's process group
 * (kill(0)), or holding the caller's terminal as its controlling terminal.
 * In the child of nstop exec or enter, before exec (and before the
 * filter): a session of its own, the pty's slave as its controlling
 * terminal and as its stdio where the caller's was a terminal. The master
 * is nstop's alone: gone here first.
 */
int rt_tty_child(struct rt_tty *t, struct nst_err *err)
{
	if (t->master >= 0) {
		close(t->master);
		t->master = -1;
	}
	if (setsid() < 0)
		return nst_err_sys(err, errno, "a session of its own");
	if (t->null_stdin && dup2(t->null, STDIN_FILENO) < 0)
		return nst_err_sys(err, errno, "/dev/null as stdin");
	if (t->slave < 0)
		return 0;
	if (ioctl(t->slave, TIOCSCTTY, 0) < 0)
		return nst_err_sys(err, errno, "the terminal as controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if ((t->slave_fds & (1U << fd)) && dup2(t->slave, fd) < 0)
			return nst_err_sys(err, errno, "the terminal as fd %d", fd);
	return 0;
}

/* Sends fd over the unix socket sock. */
static int rt_tty_send_fd(int sock, int fd)
{
	char byte = 't';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -errno;
}

int rt_tty_recv_master(struct rt_tty *t, int sock, struct nst_err *err)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return nst_err_sys(err, errno, "receiving the container's terminal");
	c = CMSG_FIRSTHDR(&msg);
	if (n != 1 || byte != 't' || !c || c->cmsg_level != SOL_SOCKET ||
	    c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return nst_err_set(err, EIO, "the container's init sent no terminal");
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	t->master = fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

/*
 * Threat: the caller's terminal inside the container. In the init, after
 * the pivot and before the hardening: the pty of the container's own
 * devpts (its /dev/pts/ptmx, which only the init can have touched yet), the
 * slave also bound at /dev/console (tty(1) names it), the master sent to
 * nstop and closed here. Returns the slave, for the payload only
 * (close-on-exec).
 */
int rt_tty_console(const struct rt_launch *l, int *slave, struct nst_err *err)
{
	struct rt_tty t = l->tty;
	char src[32], dst[32];
	int master, cons, rc;

	*slave = -1;
	master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (master < 0)
		return nst_err_sys(err, errno, "/dev/pts/ptmx");
	if ((rc = rt_tty_pair(master, true, slave, err)) < 0)
		goto out;
	rt_tty_copy_modes(&t, master);
	cons = open("/dev/console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (cons < 0) {
		rc = nst_err_sys(err, errno, "/dev/console");
		goto out;
	}
	snprintf(src, sizeof(src), "/proc/self/fd/%d", *slave);
	snprintf(dst, sizeof(dst), "/proc/self/fd/%d", cons);
	rc = mount(src, dst, NULL, MS_BIND, NULL) < 0 ?
	     nst_err_sys(err, errno, "binding the terminal at /dev/console") : 0;
	close(cons);
	if (rc < 0)
		goto out;
	if ((rc = rt_tty_send_fd(l->go_rd, master)) < 0) {
		nst_err_sys(err, -rc, "sending the terminal to nstop");
		goto out;
	}
out:
	close(master);
	if (rc < 0 && *slave >= 0) {
		close(*slave);
		*slave = -1;
	}
	return rc;
}

/* ---- the relay -------------------------------------------------------------- */

#define RT_TTY_BUF 16384

struct rt_relay {
	struct rt_tty *t;
	char to_pty[4096];
	size_t to_pty_len;
	char to_out[RT_TTY_BUF];
	size_t to_out_len;
	bool in_done, pty_done;
};

/* Writes all of buf to fd (the caller's terminal, which is blocking);
 * gives up on an error (a terminal gone): what is left is dropped. */
static void rt_relay_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0 && fd >= 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void rt_relay_winsize(const struct rt_tty *t)
{
	int from = t->in >= 0 ? t->in : t->out;
	struct winsize ws;

	if (from >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(t->master, TIOCSWINSZ, &ws);
}

/* The caller's terminal at its end (hung up, or EOF): the pty's reader
 * gets EOF too, as a terminal gives it (its VEOF character). */
static void rt_relay_in_eof(struct rt_relay *r)
{
	struct termios tio;

	r->in_done = true;
	if (tcgetattr(r->t->master, &tio) == 0 && r->to_pty_len < sizeof(r->to_pty))
		r->to_pty[r->to_pty_len++] = (char)tio.c_cc[VEOF];
}

static void rt_relay_read_in(struct rt_relay *r)
{
	ssize_t n = read(r->t->in, r->to_pty, sizeof(r->to_pty));

	if (n > 0)
		r->to_pty_len = (size_t)n;
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		rt_relay_in_eof(r);
}

static void rt_relay_write_pty(struct rt_relay *r)
{
	ssize_t n = write(r->t->master, r->to_pty, r->to_pty_len);

	if (n > 0) {
		memmove(r->to_pty, r->to_pty + n, r->to_pty_len - (size_t)n);
		r->to_pty_len -= (size_t)n;
	} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
		r->to_pty_len = 0;	/* the payload's side is gone */
	}
}

/* One read of the master; EIO: no slave is open any more. */
static ssize_t rt_relay_read_pty(struct rt_relay *r)
{
	ssize_t n;

	if (r->to_out_len == sizeof(r->to_out))
		return 0;
	n = read(r->t->master, r->to_out + r->to_out_len,
			 sizeof(r->to_out) - r->to_out_len);

	if (n > 0)
		r->to_out_len += (size_t)n;
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		r->pty_done = true;
	return n;
}

static void rt_relay_flush_out(struct rt_relay *r)
{
	rt_relay_write_all(r->t->out, r->to_out, r->to_out_len);
	r->to_out_len = 0;
}

/* After the child's end: what it wrote before it ended (the kernel hands
 * the pty's buffered output over before a non-blocking read says EAGAIN),
 * without waiting for what something it left behind may still write. */
static void rt_relay_drain(struct rt_relay *r)
{
	/* bounded: something left behind may write on and on */
	size_t budget = 64 * RT_TTY_BUF;

	rt_relay_flush_out(r);
	while (!r->pty_done && budget > 0) {
		ssize_t n = rt_relay_read_pty(r);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		budget = (size_t)n < budget ? budget - (size_t)n : 0;
		rt_relay_flush_out(r);
	}
}

/* Threat: the operator's terminal left raw (no echo, no ^C) by a nstop
 * that failed or was signalled while it relayed. Raw only here, restored
 * on every way out of the relay; the signals that would end nstop are
 * blocked while it relays (and passed on to the container). */
static void rt_relay_raw(struct rt_tty *t)
{
	struct termios raw;

	if (t->in < 0 || tcgetattr(t->in, &t->saved) < 0)
		return;
	raw = t->saved;
	cfmakeraw(&raw);
	if (tcsetattr(t->in, TCSADRAIN, &raw) == 0)
		t->raw = true;
}

static void rt_relay_restore(struct rt_tty *t)
{
	if (t->raw)
		tcsetattr(t->in, TCSADRAIN, &t->saved);
	t->raw = false;
}

static int rt_relay_status(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 1;
}

/* A signal for the relay: true once the child has ended (*ws set). */
static bool rt_relay_signal(struct rt_relay *r, int sigfd, pid_t child, int *ws)
{
	struct signalfd_siginfo si;

	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int sig = (int)si.ssi_signo;

		if (sig == SIGCHLD) {
			pid_t p = waitpid(child, ws, WNOHANG);
			if (p == child)
				return true;
			if (p < 0 && errno == ECHILD) {
				*ws = 1 << 8;	/* reaped by someone else */
				return true;
			}
		} else if (sig == SIGWINCH) {
			rt_relay_winsize(r->t);
		} else if (sig != SIGPIPE && sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU) {
			/* nothing of the container is on the caller's
			 * terminal: its signals too are passed on */
			kill(child, sig);
		}
	}
	return false;
}

static void rt_relay_sigset(const sigset_t *set, sigset_t *all)
{
	*all = *set;
	sigaddset(all, SIGCHLD);
	sigaddset(all, SIGWINCH);
	sigaddset(all, SIGTSTP);
	sigaddset(all, SIGTTIN);
	sigaddset(all, SIGTTOU);
}

int rt_tty_relay(struct rt_tty *t, pid_t child, const sigset_t *set)
{
	struct rt_relay *r = calloc(1, sizeof(*r));
	sigset_t all, old;
	int sigfd, ws = 1 << 8;
	bool ended = false;

	rt_relay_sigset(set, &all);
	sigprocmask(SIG_BLOCK, &all, &old);
	sigfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (!r || sigfd < 0) {
		/* no relay: at least wait for the child, passing signals on */
		free(r);
		if (sigfd >= 0)
			close(sigfd);
		ws = rt_wait_forward(child, set);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return ws;
	}
	r->t = t;
	r->in_done = t->in < 0;
	rt_relay_raw(t);
	rt_relay_winsize(t);
	while (!ended) {
		struct pollfd p[3] = {
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = r->pty_done ? -1 : t->master,
			  .events = (short)((r->to_out_len < sizeof(r->to_out) ? POLLIN : 0) |
					    (r->to_pty_len ? POLLOUT : 0)) },
			{ .fd = r->in_done || r->to_pty_len ? -1 : t->in, .events = POLLIN },
		};

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			ended = rt_relay_signal(r, sigfd, child, &ws);
		if (p[2].revents)
			rt_relay_read_in(r);
		if (p[1].revents & POLLOUT)
			rt_relay_write_pty(r);
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			rt_relay_read_pty(r);
		if (r->to_out_len)
			rt_relay_flush_out(r);
	}
	if (!ended)	/* poll failed: nothing to relay with, still wait */
		ws = rt_wait_forward(child, set) << 8;
	rt_relay_drain(r);
	rt_relay_restore(t);
	close(sigfd);
	/* what the relay's signals left pending is not the caller's */
	{
		struct timespec zero = { 0, 0 };
		sigset_t mine = all;

		for (int s = 1; s < NSIG; s++)
			if (sigismember(set, s))
				sigdelset(&mine, s);
		while (sigtimedwait(&mine, NULL, &zero) > 0)
			;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(r);
	return rt_relay_status(ws);
}
