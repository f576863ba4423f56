/*
 * rt-list: every container under nstop's name, as the kernel and the disk
 * have it now: the state directories (each one's state refreshed, or what
 * is known of a half made one: creating while a run holds its lock, broken
 * otherwise) and the cgroups RT_CGROUP_PARENT/NAME that have no state
 * directory at all. Whatever blocks a name is listed, so rm -f finds it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/grow.h"
#include "rt-internal.h"

int rt_cg_each_name(struct rt_ctx *ctx, int (*fn)(const char *name, void *arg), void *arg)
{
	const struct cg_layout *layout = &ctx->layout;
	char dir[CG_PATH_MAX];
	int rc = 0;

	for (int i = 0; rc == 0 && i < layout->n; i++) {
		struct dirent *de;
		DIR *d;
		int fd;

		if (cg_dir_of(&layout->h[i], RT_CGROUP_PARENT, dir, sizeof(dir)) < 0)
			continue;
		fd = openat(ctx->root.cg_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!(d = fdopendir(fd))) {
			close(fd);
			continue;
		}
		while (rc == 0 && (de = readdir(d)))
			if (de->d_type == DT_DIR && rt_name_check(de->d_name, NULL) == 0)
				rc = fn(de->d_name, arg);
		closedir(d);
	}
	return rc;
}

static int state_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rt_state *)a)->name, ((const struct rt_state *)b)->name);
}

/* A run that holds the lock of name is still making it (or an operation
 * holds it for a moment): not broken yet. */
static bool lock_held(const struct rt_ctx *ctx, const char *name)
{
	char lock[RT_PATH_MAX];
	bool held = false;
	int fd;

	snprintf(lock, sizeof(lock), "%s/%s%s", ctx->state_dir, name, RT_LOCK_SUFFIX);
	fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		held = errno == EWOULDBLOCK;
	close(fd);
	return held;
}

/* What is known of a container without a valid state: its name, its
 * cgroup, creating or broken. */
static void state_half_made(const struct rt_ctx *ctx, struct rt_state *st,
			    const char *name)
{
	rt_state_init(st);
	snprintf(st->name, sizeof(st->name), "%.*s", RT_NAME_MAX, name);
	snprintf(st->cgroup, sizeof(st->cgroup), "%s/%s", RT_CGROUP_PARENT, st->name);
	st->status = lock_held(ctx, st->name) ? RT_CREATING : RT_BROKEN;
}

struct state_list {
	struct rt_ctx *ctx;
	struct rt_state *v;
	size_t len, cap;
};

static struct rt_state *list_add(struct state_list *l)
{
	struct rt_state *nv = nst_grow(l->v, l->len, &l->cap, sizeof(*nv), 16);

	if (!nv)
		return NULL;
	l->v = nv;
	return &l->v[l->len];
}

static bool list_has(const struct state_list *l, const char *name)
{
	for (size_t i = 0; i < l->len; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return true;
	return false;
}

/* Every state directory: its state, or what is known of a half made one. */
static int list_state_dirs(struct state_list *l, struct nst_err *err)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(l->ctx->state_dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return nst_err_sys(err, errno, "%s", l->ctx->state_dir);
	}
	while ((de = readdir(d))) {
		struct rt_state *st;
		struct stat sb;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (rt_name_check(de->d_name, NULL) < 0)
			continue;
		if (!(st = list_add(l))) {
			rc = nst_err_set(err, ENOMEM, "listing containers: out of memory");
			break;
		}
		rc = rt_state_load(l->ctx, de->d_name, st, err);
		if (rc == -ENOMEM)
			break;
		if (rc < 0) {
			/* Removed just now, or never a directory: not there. */
			if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISDIR(sb.st_mode)) {
				rc = 0;
				continue;
			}
			/* No state.json yet (a run making it, or one killed
			 * before it wrote it), or one that is not valid (a
			 * crash, a planted FIFO, a forged number): listed, so
			 * rm -f finds it, rather than hiding all the others. */
			state_half_made(l->ctx, st, de->d_name);
			rc = 0;
		}
		l->len++;
	}
	closedir(d);
	return rc;
}

/* Cgroups under RT_CGROUP_PARENT with no state directory: a run killed
 * after making them, or a state directory removed by hand. */
static int list_cgroup_alone(const char *name, void *arg)
{
	struct state_list *l = arg;
	char dir[RT_PATH_MAX];
	struct rt_state *st;

	if (list_has(l, name))
		return 0;
	/* made by a run between our look at the state directories and at
	 * the cgroups: it has a state directory now */
	if (access(rt_state_path(l->ctx, name, NULL, dir, sizeof(dir)), F_OK) == 0)
		return 0;
	if (!(st = list_add(l)))
		return -ENOMEM;
	state_half_made(l->ctx, st, name);
	st->status = RT_BROKEN;
	l->len++;
	return 0;
}

int rt_list(struct rt_ctx *ctx, struct rt_state **out, size_t *n, struct nst_err *err)
{
	struct state_list l = { .ctx = ctx };
	int rc;

	*out = NULL;
	*n = 0;
	rc = list_state_dirs(&l, err);
	if (rc == 0 && rt_cg_each_name(ctx, list_cgroup_alone, &l) == -ENOMEM)
		rc = nst_err_set(err, ENOMEM, "listing containers: out of memory");
	if (rc < 0) {
		free(l.v);
		return rc;
	}
	if (l.len)
		qsort(l.v, l.len, sizeof(*l.v), state_cmp);
	*out = l.v;
	*n = l.len;
	return 0;
}

