/* The injectable root (root.h): every reader opens relative to one proc fd and
 * one cgroup fd, so the unit tests run the real code on fixture trees. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
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

long nst_slurp_at(int dirfd, const char *path, char **out)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t cap = 8192, len = 0;
	char *buf;

	*out = NULL;
	if (fd < 0)
		return -errno;
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
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}
