/*
 * --net none without --userns: the container's network namespace made by a
 * thread of the caller's, beside its own steps before and after the clone,
 * and handed to the init over the go socket (word 'N') before the init
 * mounts /sys. A new namespace with its loopback up is a third of what the
 * init did before its cgroups came (~0.4 ms of a ~5 ms launch), while the
 * caller's second cpu sat idle before the clone. With --userns the init
 * still unshares its own: the namespace must be owned by the container's
 * user namespace, and one of the host's could not be joined from it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nstop/thread.h"
#include "rt-launch.h"

/*
 * The thread's whole work, in system calls only: the init is cloned (raw
 * clone3, no fork handlers) while it may still run, and the init's copy of
 * the process must find no lock of the C library held by it. So no
 * allocation, no stdio, no error text here (rt_netns_early_finish writes
 * that); syscall() is bound before the thread starts.
 */
static void *netns_make(void *arg)
{
	struct rt_netns_early *e = arg;
	struct ifreq ifr;
	long s;

	if (syscall(SYS_unshare, CLONE_NEWNET) < 0) {
		e->code = errno;
		e->step = "network namespace";
		return NULL;
	}
	s = syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		e->code = errno;
		e->step = "lo: socket";
		return NULL;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (syscall(SYS_ioctl, s, SIOCGIFFLAGS, &ifr) < 0) {
		e->code = errno;
		e->step = "lo: reading its flags";
	} else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (syscall(SYS_ioctl, s, SIOCSIFFLAGS, &ifr) < 0) {
			e->code = errno;
			e->step = "lo: bringing it up";
		}
	}
	syscall(SYS_close, s);
	if (e->code)
		return NULL;
	/* the namespace outlives the thread by this fd alone */
	e->fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/thread-self/ns/net",
			     O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		e->code = errno;
		e->step = "/proc/thread-self/ns/net";
	}
	return NULL;
}

bool rt_netns_early_start(struct rt_netns_early *e)
{
	memset(e, 0, sizeof(*e));
	e->fd = -1;
	syscall(SYS_getpid);	/* binds syscall() here, not in the thread */
	e->running = nst_thread_start(&e->thread, netns_make, e);
	return e->running;
}

int rt_netns_early_finish(struct rt_netns_early *e, struct nst_err *err)
{
	int fd;

	if (!e->running)
		return nst_err_set(err, ECHILD, "network namespace: never made");
	pthread_join(e->thread, NULL);
	e->running = false;
	if (e->code) {
		if (e->fd >= 0)
			close(e->fd);
		e->fd = -1;
		return nst_err_sys(err, e->code, "%s", e->step);
	}
	fd = e->fd;
	e->fd = -1;
	return fd;
}

void rt_netns_early_cancel(struct rt_netns_early *e)
{
	struct nst_err ignore;
	int fd = rt_netns_early_finish(e, &ignore);

	if (fd >= 0)
		close(fd);
}

int rt_netns_send(int sock, int fd, struct nst_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	char word = 'N';
	struct iovec iov = { .iov_base = &word, .iov_len = 1 };
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
	return n == 1 ? 0 : nst_err_sys(err, n < 0 ? errno : EIO,
					"handing the network namespace to the init");
}

/*
 * Threat: a payload on the host's network, or a /sys that shows the host's
 * interfaces. The init joins the namespace it is sent before it mounts
 * /sys and before anything of the payload runs, and fails closed: no word,
 * no descriptor, or one that is not a network namespace (setns checks)
 * ends the launch.
 */
int rt_netns_join(const struct rt_launch *l, struct nst_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	char word = 0;
	struct iovec iov = { .iov_base = &word, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;
	int fd = -1, rc;

	if (!l->net_sent)
		return 0;
	do
		n = recvmsg(l->go_rd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (word != 'N' || fd < 0 || (msg.msg_flags & MSG_CTRUNC)) {
		if (fd >= 0)
			close(fd);
		return nst_err_set(err, EPIPE, "the container's network namespace never came");
	}
	rc = setns(fd, CLONE_NEWNET) < 0 ? nst_err_sys(err, errno, "joining the network namespace") : 0;
	close(fd);
	return rc;
}
