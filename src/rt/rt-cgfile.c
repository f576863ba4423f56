/*
 * A container's cgroup files, below both rt-cgroup.c (make, join, freeze,
 * destroy) and rt-limits.c (the limits): which of its hierarchies holds a
 * controller or the freezer, and one write or read of a file in it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rt-internal.h"

int rt_cg_write_fd(int fd, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;

	do
		n = write(fd, val, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int rt_cg_write(int dirfd, const char *file, const char *val)
{
	int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = rt_cg_write_fd(fd, val);
	close(fd);
	return rc;
}

long rt_cg_read(int dirfd, const char *file, char *buf, size_t size)
{
	long n = nst_read_at(dirfd, file, buf, size);

	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

int rt_cg_find(const struct rt_cg *cg, const char *controller)
{
	for (int i = 0; i < cg->layout->n; i++)
		if (cg->dirfd[i] >= 0 && cg_has_controller(cg->layout->h[i].controllers, controller))
			return i;
	return -1;
}

int rt_cg_freezer(const struct rt_cg *cg, bool *v2)
{
	int i = rt_cg_find(cg, "freezer");

	/* On v2 the freezer is a core file of every cgroup, not a controller;
	 * a v1 freezer, where mounted, is the one that works. */
	*v2 = false;
	if (i >= 0 && !cg->layout->h[i].v2)
		return i;
	for (i = 0; i < cg->layout->n; i++)
		if (cg->dirfd[i] >= 0 && cg->layout->h[i].v2) {
			*v2 = true;
			return i;
		}
	return -1;
}
