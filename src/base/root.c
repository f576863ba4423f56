/* The injectable root (root.h): every reader opens relative to one proc fd and
 * one cgroup fd, so the unit tests run the real code on fixture trees. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/root.h"

int nst_root_open(struct nst_root *root, const char *proc_path,
		  const char *cg_path, bool live, struct nst_err *err)
{
	root->proc_fd = -1;
	root->cg_fd = -1;
	root->live = live;
	if (snprintf(root->cg_path, sizeof(root->cg_path), "%s", cg_path) >=
	    (int)sizeof(root->cg_path))
		return nst_err_set(err, ENAMETOOLONG, "%s: path too long", cg_path);
	/* A trailing slash would break the prefix match on mount points. */
	size_t len = strlen(root->cg_path);
	while (len > 1 && root->cg_path[len - 1] == '/')
		root->cg_path[--len] = '\0';

	root->proc_fd = open(proc_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root->proc_fd < 0)
		return nst_err_sys(err, errno, "%s", proc_path);
	root->cg_fd = open(cg_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root->cg_fd < 0) {
		int rc = nst_err_sys(err, errno, "%s", cg_path);
		nst_root_clear(root);
		return rc;
	}
	return 0;
}

int nst_root_open_live(struct nst_root *root, struct nst_err *err)
{
	return nst_root_open(root, NST_PROC_PATH, NST_CGROUP_PATH, true, err);
}

void nst_root_clear(struct nst_root *root)
{
	if (root->proc_fd >= 0)
		close(root->proc_fd);
	if (root->cg_fd >= 0)
		close(root->cg_fd);
	root->proc_fd = -1;
	root->cg_fd = -1;
}

long nst_read_at(int dirfd, const char *path, char *buf, size_t size)
{
	/* O_NONBLOCK: a FIFO where a file was expected opens (and reads EOF)
	 * at once instead of waiting for a writer that never comes. */
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return -errno;
	/* proc, sysfs and cgroup files fill a read as far as they can, so one
	 * read is the whole file: a second one to see 0 would cost a syscall
	 * per file per process. A file that fills buf is too big for it. */
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	if ((size_t)n == size - 1)
		return -EFBIG;
	buf[n] = '\0';
	return (long)n;
}

static long slurp_fd(int fd, size_t max, char **out);

long nst_slurp_at(int dirfd, const char *path, char **out)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*out = NULL;
	if (fd < 0)
		return -errno;
	return slurp_fd(fd, SIZE_MAX / 4, out);
}

static const char *file_kind(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symbolic link";
	}
	return "not a regular file";
}

/*
 * Threat: a file nstop reads or appends to replaced by something else: a
 * FIFO (the open, then the read, would wait forever: list, -b and the TUI
 * hang), a device (reads that never end or act on hardware), or a link to
 * a file elsewhere (read or, for a log, written in its place). The open
 * cannot block (O_NONBLOCK) nor follow a final link (O_NOFOLLOW), and the
 * fd is kept only when fstat says regular file.
 */
int nst_open_regular(int dirfd, const char *path, int flags, struct nst_err *err)
{
	struct stat sb;
	int fd = openat(dirfd, path, flags | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY,
			0600);

	if (fd < 0) {
		int e = errno;
		/* O_NOFOLLOW's ELOOP: the final component is a link */
		if (e == ELOOP)
			return nst_err_set(err, EINVAL, "%s: a symbolic link; not followed", path);
		return nst_err_sys(err, e, "%s", path);
	}
	if (fstat(fd, &sb) < 0) {
		int rc = nst_err_sys(err, errno, "%s", path);
		close(fd);
		return rc;
	}
	if (S_ISDIR(sb.st_mode)) {
		close(fd);
		return nst_err_sys(err, EISDIR, "%s", path);
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return nst_err_set(err, EINVAL, "%s: %s, not a regular file; refused", path,
				   file_kind(sb.st_mode));
	}
	/* a regular file: blocking or not is all one, but an fd handed on (a
	 * log as the payload's stdout) should not say O_NONBLOCK */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

long nst_slurp_regular(int dirfd, const char *path, size_t max, char **out,
		       struct nst_err *err)
{
	int fd = nst_open_regular(dirfd, path, O_RDONLY, err);
	long n;

	*out = NULL;
	if (fd < 0)
		return fd;
	n = slurp_fd(fd, max, out);
	if (n == -EFBIG)
		return nst_err_set(err, EFBIG, "%s: larger than %zu bytes", path, max);
	if (n < 0)
		return nst_err_sys(err, (int)-n, "reading %s", path);
	return n;
}

/* Reads fd to its end and closes it. */
static long slurp_fd(int fd, size_t max, char **out)
{
	size_t cap = 8192, len = 0;
	char *buf;

	*out = NULL;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			/* a regular file never says EAGAIN; anything else that
			 * does has nothing to give */
			return e == EAGAIN ? -EINVAL : -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			close(fd);
			return -EFBIG;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}
