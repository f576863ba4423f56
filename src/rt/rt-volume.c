/*
 * rt-volume: the volume store, RT_DATA_DIR/volumes/. A volume NAME is the
 * directory NAME/ holding _data/ (what is mounted) and volume.json (whether
 * it is anonymous, when it was made). A volume appears whole or not at all:
 * it is made as .new-RANDOM and renamed into place, and removed by renaming
 * it to .rm-RANDOM first. The store's lock (.lock, flock) orders the runs
 * that take volumes up against the removals: a removal holds it exclusively
 * while it checks that no container's state names the volume and removes
 * it; a run holds it from finding or making its volumes until its state
 * names them.
 *
 * What a container wrote into a volume is its own: symlinks to / or /etc,
 * FIFOs, device nodes, deep trees. Nothing here resolves a path through
 * the volume's contents: the store's entries are reached with openat2
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV, the walks (size,
 * removal) open each directory by one name with O_NOFOLLOW and never cross
 * into another mount, and what is mounted is the _data directory itself.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "nstop/grow.h"
#include "rt-internal.h"

#define VOL_STORE RT_DATA_DIR "/volumes"
#define VOL_LOCK ".lock"
#define VOL_META "volume.json"
#define VOL_DATA "_data"
/* Bounds the fds a size walk holds open, as the state's removal does. */
#define VOL_WALK_DEPTH 128

/* ---- the store's directories ------------------------------------------------ */

/*
 * Threat: a store directory that is not root's own (made by a user before
 * nstop ran, or a symlink planted to /etc): whoever owns it could swap a
 * volume for a link between our checks and our use, and a link would have
 * removals and mounts act elsewhere. Each is opened without following a
 * symlink and must be a directory owned by root, writable by no one else.
 */
static int vol_dir_check(int fd, const char *path, struct nst_err *err)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return nst_err_sys(err, errno, "%s", path);
	if (!S_ISDIR(sb.st_mode))
		return nst_err_set(err, ENOTDIR, "%s is not a directory", path);
	if (sb.st_uid != 0 || (sb.st_mode & 022))
		return nst_err_set(err, EPERM,
				   "%s is owned by uid %u with mode %04o: not nstop's (root's, 0700); refusing to use it",
				   path, (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777));
	return 0;
}

/* One directory below parent, made 0700 when create and missing, opened
 * without following a symlink, and checked. */
static int vol_dir_open(int parent, const char *name, const char *path, bool create,
			struct nst_err *err)
{
	int fd, rc;

	if (create && mkdirat(parent, name, 0700) < 0 && errno != EEXIST)
		return nst_err_sys(err, errno, "making %s", path);
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT && !create ? -ENOENT :
		       nst_err_sys(err, errno == ELOOP ? ENOTDIR : errno, "%s", path);
	if ((rc = vol_dir_check(fd, path, err)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/* The store, RT_DATA_DIR/volumes (made when create); -ENOENT when there is
 * none yet and !create (no volumes). */
static int vol_store_open(bool create, struct nst_err *err)
{
	const char *data = strrchr(RT_DATA_DIR, '/') + 1;
	char up[sizeof(RT_DATA_DIR)];
	int top, base, store;

	if (geteuid() != 0)
		return nst_err_set(err, EPERM, "volumes need root");
	snprintf(up, sizeof(up), "%.*s", (int)(data - 1 - RT_DATA_DIR), RT_DATA_DIR);
	top = open(up, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return nst_err_sys(err, errno, "%s", up);
	base = vol_dir_open(top, data, RT_DATA_DIR, create, err);
	close(top);
	if (base < 0)
		return base;
	store = vol_dir_open(base, "volumes", VOL_STORE, create, err);
	close(base);
	return store;
}

/* The store for the volume name, which must exist: a store not made yet
 * means no such volume. */
static int vol_store_of(const char *name, struct nst_err *err)
{
	int rc = rt_volume_name_check(name, err), store;

	if (rc < 0)
		return rc;
	store = vol_store_open(false, err);
	if (store == -ENOENT)
		return nst_err_set(err, ENOENT, "no such volume: %s", name);
	return store;
}

/* The store's lock (LOCK_SH or LOCK_EX); its fd, or -errno. */
static int vol_lock(int store, int op, struct nst_err *err)
{
	int fd = openat(store, VOL_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	int rc;

	if (fd < 0)
		return nst_err_sys(err, errno, "%s/%s", VOL_STORE, VOL_LOCK);
	while ((rc = flock(fd, op)) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		rc = nst_err_sys(err, errno, "locking %s", VOL_STORE);
		close(fd);
		return rc;
	}
	return fd;
}

/* rel below dirfd, never through a symlink, a "..", or into another mount:
 * every path in the store is opened through this. */
static int vol_openat(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* ".new-" or ".rm-" and random hex: a name no volume can have. */
static int vol_temp_name(const char *prefix, char *out, size_t size, struct nst_err *err)
{
	unsigned char r[8];

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return nst_err_sys(err, errno, "getrandom");
	snprintf(out, size, "%s%02x%02x%02x%02x%02x%02x%02x%02x", prefix, r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7]);
	return 0;
}

/* ---- one volume ---------------------------------------------------------- */

static void vol_data_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s/%s", VOL_STORE, name, VOL_DATA);
}

/* volume.json into info (name, anonymous, created); what it says is only
 * shown, and the name must be the directory's. */
static int vol_meta_read(int store, const char *name, struct rt_volume_info *info,
			 struct nst_err *err)
{
	json_error_t jerr;
	json_t *doc;
	char *text;
	long n;
	int fd;

	fd = vol_openat(store, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd == -ENOENT ? nst_err_set(err, ENOENT, "no such volume: %s", name) :
		       nst_err_sys(err, -fd, "volume %s", name);
	if ((n = vol_dir_check(fd, name, err)) == 0)
		n = nst_slurp_regular(fd, VOL_META, 1 << 16, &text, err);
	close(fd);
	if (n < 0)
		return (int)n;
	doc = json_loadb(text, (size_t)n, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!json_is_object(doc) || !json_is_string(json_object_get(doc, "name")) ||
	    strcmp(json_string_value(json_object_get(doc, "name")), name) != 0) {
		json_decref(doc);
		return nst_err_set(err, EINVAL, "volume %s: %s is not valid", name, VOL_META);
	}
	info->anonymous = json_is_true(json_object_get(doc, "anonymous"));
	if (json_is_integer(json_object_get(doc, "created_sec")))
		info->created.tv_sec = (time_t)json_integer_value(json_object_get(doc, "created_sec"));
	json_decref(doc);
	snprintf(info->name, sizeof(info->name), "%s", name);
	vol_data_path(name, info->path, sizeof(info->path));
	return 0;
}

static int vol_meta_write(int dirfd, const char *name, bool anonymous, struct nst_err *err)
{
	struct timespec now;
	json_t *doc;
	char *text;
	int fd, rc = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	doc = json_pack("{s:s, s:b, s:I}", "name", name, "anonymous", anonymous,
			"created_sec", (json_int_t)now.tv_sec);
	text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!text)
		return nst_err_set(err, ENOMEM, "volume %s: out of memory", name);
	fd = openat(dirfd, VOL_META, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rc = nst_err_sys(err, errno, "volume %s: writing %s", name, VOL_META);
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = nst_err_sys(err, errno, "volume %s: writing %s", name, VOL_META);
	free(text);
	return rc;
}

/*
 * Makes volume name whole or not at all: the directory, _data (owned by
 * uid:gid, the root of a user namespace that will write it, or root) and
 * volume.json are made under a temporary name and renamed into place
 * without replacing anything. *made says whether this call made it (one
 * that exists already, or that a concurrent run made first, is used as it
 * is). Threat: a half made volume seen (and mounted, or kept) after a
 * failure or by a concurrent run.
 */
static int vol_make(int store, const char *name, bool anonymous, uid_t uid, gid_t gid,
		    bool *made, struct nst_err *err)
{
	char tmp[32];
	struct stat sb;
	int dirfd, rc;

	*made = false;
	if (fstat(store, &sb) < 0)
		return nst_err_sys(err, errno, "%s", VOL_STORE);
	if ((rc = vol_temp_name(".new-", tmp, sizeof(tmp), err)) < 0)
		return rc;
	if (mkdirat(store, tmp, 0700) < 0)
		return nst_err_sys(err, errno, "volume %s: making it", name);
	dirfd = vol_openat(store, tmp, O_RDONLY | O_DIRECTORY);
	if (dirfd < 0) {
		rc = nst_err_sys(err, -dirfd, "volume %s: making it", name);
		goto undo;
	}
	if (mkdirat(dirfd, VOL_DATA, 0755) < 0 ||
	    ((uid || gid) && fchownat(dirfd, VOL_DATA, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)) {
		rc = nst_err_sys(err, errno, "volume %s: making %s", name, VOL_DATA);
		close(dirfd);
		goto undo;
	}
	rc = vol_meta_write(dirfd, name, anonymous, err);
	close(dirfd);
	if (rc < 0)
		goto undo;
	if (renameat2(store, tmp, store, name, RENAME_NOREPLACE) == 0) {
		*made = true;
		return 0;
	}
	rc = errno == EEXIST ? 0 : nst_err_sys(err, errno, "volume %s: placing it", name);
undo:
	rt_remove_tree(store, tmp, sb.st_dev, VOL_STORE, NULL);
	return rc;
}

/*
 * Removes volume name: renamed out of sight first (a run after this never
 * finds half of it), then its tree (rt_remove_tree). If that fails the rest
 * is put back under its name, to be seen and removed again. Threat: the
 * links a container planted in it (to /, to /etc) followed by the removal,
 * deleting the host's files; a mount below it emptied; the volume itself
 * swapped for a link to elsewhere (refused: opened with no link followed).
 */
static int vol_remove(int store, const char *name, struct nst_err *err)
{
	char tmp[32];
	struct stat sb;
	int fd, rc;

	fd = vol_openat(store, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd == -ENOENT ? nst_err_set(err, ENOENT, "no such volume: %s", name) :
		       nst_err_sys(err, -fd, "volume %s", name);
	rc = vol_dir_check(fd, name, err);
	if (rc == 0 && fstat(fd, &sb) < 0)
		rc = nst_err_sys(err, errno, "volume %s", name);
	close(fd);
	if (rc < 0)
		return rc;
	if ((rc = vol_temp_name(".rm-", tmp, sizeof(tmp), err)) < 0)
		return rc;
	if (renameat2(store, name, store, tmp, RENAME_NOREPLACE) < 0)
		return nst_err_sys(err, errno, "volume %s: removing it", name);
	rc = rt_remove_tree(store, tmp, sb.st_dev, VOL_STORE, err);
	if (rc < 0) {
		nst_err_prefix(err, "volume %s", name);
		renameat2(store, tmp, store, name, RENAME_NOREPLACE);
	}
	return rc;
}

/* Disk use below dirfd (st_blocks, as du counts), each directory opened by
 * one name without following a link and never on another device. Threat:
 * a planted link to / making the walk measure (and hang on) the host's
 * whole tree; a FIFO opened and waited on (nothing is opened but dirs). */
static int vol_size_walk(int dirfd, dev_t dev, int depth, long long *sum)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > VOL_WALK_DEPTH)
		return -ELOOP;
	if (!(d = fdopendir(dirfd))) {
		close(dirfd);
		return -errno;
	}
	while (rc == 0 && (de = readdir(d))) {
		struct stat sb;
		int fd;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* gone meanwhile */
		*sum += (long long)sb.st_blocks * 512;
		if (!S_ISDIR(sb.st_mode) || sb.st_dev != dev)
			continue;
		fd = vol_openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			rc = fd;
		else
			rc = vol_size_walk(fd, dev, depth + 1, sum);
	}
	closedir(d);
	return rc;
}

static long long vol_size(int store, const char *name)
{
	char rel[RT_VOLUME_NAME_MAX + 16];
	long long sum = 0;
	struct stat sb;
	int fd;

	snprintf(rel, sizeof(rel), "%s/%s", name, VOL_DATA);
	fd = vol_openat(store, rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return -1;
	}
	sum = (long long)sb.st_blocks * 512;
	return vol_size_walk(fd, sb.st_dev, 0, &sum) < 0 ? -1 : sum;
}

/* ---- who uses a volume -------------------------------------------------- */

/* Whether the state's mounts name volume name (named or anonymous). */
static bool vol_state_uses(const struct rt_state *st, const char *name)
{
	json_t *m = rt_state_mounts_json(st), *e;
	size_t i;
	bool uses = false;

	json_array_foreach(m, i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		const char *n = json_string_value(json_object_get(e, "name"));
		if (type && strcmp(type, "bind") != 0 && n && strcmp(n, name) == 0)
			uses = true;
	}
	json_decref(m);
	return uses;
}

/* The names of the containers whose state names volume name, "a,b", into
 * *users (malloc'd, "" for none). */
static int vol_users(const struct rt_state *list, size_t n, const char *name, char **users)
{
	size_t len = 0;
	char *s = strdup("");

	for (size_t i = 0; s && i < n; i++) {
		char *ns;
		if (!vol_state_uses(&list[i], name))
			continue;
		ns = realloc(s, len + strlen(list[i].name) + 2);
		if (!ns) {
			free(s);
			s = NULL;
			break;
		}
		s = ns;
		len += (size_t)sprintf(s + len, "%s%s", len ? "," : "", list[i].name);
	}
	*users = s;
	return s ? 0 : -ENOMEM;
}

/* ---- the verbs --------------------------------------------------------------- */

int rt_volume_create(const char *name, struct nst_err *err)
{
	int store, lock, rc;
	bool made;

	if ((rc = rt_volume_name_check(name, err)) < 0)
		return rc;
	if ((store = vol_store_open(true, err)) < 0)
		return store;
	if ((lock = vol_lock(store, LOCK_SH, err)) < 0) {
		close(store);
		return lock;
	}
	rc = vol_make(store, name, false, 0, 0, &made, err);
	close(lock);
	close(store);
	return rc;
}

int rt_volume_rm(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	struct rt_state *list = NULL;
	char *users = NULL;
	size_t n = 0;
	int store, lock, rc;

	if ((store = vol_store_of(name, err)) < 0)
		return store;
	if ((lock = vol_lock(store, LOCK_EX, err)) < 0) {
		close(store);
		return lock;
	}
	/* every run that takes a volume up holds the lock until its state
	 * names it: what the states say now is all there is */
	if ((rc = rt_list(ctx, &list, &n, err)) == 0 && (rc = vol_users(list, n, name, &users)) < 0)
		nst_err_set(err, ENOMEM, "out of memory");
	if (rc == 0 && users[0])
		rc = nst_err_set(err, EBUSY, "volume %s is in use by container %s (nstop rm it first)",
				 name, users);
	if (rc == 0)
		rc = vol_remove(store, name, err);
	free(users);
	free(list);
	close(lock);
	close(store);
	return rc;
}

void rt_volume_info_clear(struct rt_volume_info *info)
{
	free(info->users);
	memset(info, 0, sizeof(*info));
	info->size_bytes = -1;
}

void rt_volume_list_free(struct rt_volume_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].users);
	free(v);
}

static int vol_info_fill(int store, const char *name, bool size, const struct rt_state *list,
			 size_t n, struct rt_volume_info *info, struct nst_err *err)
{
	int rc;

	memset(info, 0, sizeof(*info));
	info->size_bytes = -1;
	if ((rc = vol_meta_read(store, name, info, err)) < 0)
		return rc;
	if (size)
		info->size_bytes = vol_size(store, name);
	if (vol_users(list, n, name, &info->users) < 0)
		return nst_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int rt_volume_inspect(struct rt_ctx *ctx, const char *name, bool size,
		      struct rt_volume_info *info, struct nst_err *err)
{
	struct rt_state *list = NULL;
	size_t n = 0;
	int store, rc;

	memset(info, 0, sizeof(*info));
	info->size_bytes = -1;
	if ((store = vol_store_of(name, err)) < 0)
		return store;
	if ((rc = rt_list(ctx, &list, &n, err)) == 0)
		rc = vol_info_fill(store, name, size, list, n, info, err);
	free(list);
	close(store);
	return rc;
}

static int vol_info_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rt_volume_info *)a)->name,
		      ((const struct rt_volume_info *)b)->name);
}

int rt_volume_list(struct rt_ctx *ctx, struct rt_volume_info **out, size_t *nout, bool sizes,
		   struct nst_err *err)
{
	struct rt_volume_info *v = NULL;
	struct rt_state *list = NULL;
	size_t len = 0, cap = 0, n = 0;
	struct dirent *de;
	int store, fd, rc;
	DIR *d;

	*out = NULL;
	*nout = 0;
	store = vol_store_open(false, err);
	if (store == -ENOENT)
		return 0;
	if (store < 0)
		return store;
	if ((rc = rt_list(ctx, &list, &n, err)) < 0)
		goto out;
	if ((fd = dup(store)) < 0 || !(d = fdopendir(fd))) {
		rc = nst_err_sys(err, errno, "%s", VOL_STORE);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	while ((de = readdir(d))) {
		struct nst_err ignore;

		/* the lock, volumes being made or removed: not volumes */
		if (rt_volume_name_check(de->d_name, NULL) < 0)
			continue;
		struct rt_volume_info *nv = nst_grow(v, len, &cap, sizeof(*v), 16);
		if (!nv) {
			rc = nst_err_set(err, ENOMEM, "out of memory");
			break;
		}
		v = nv;
		rc = vol_info_fill(store, de->d_name, sizes, list, n, &v[len], &ignore);
		if (rc == -ENOMEM) {
			rc = nst_err_set(err, ENOMEM, "out of memory");
			break;
		}
		/* removed meanwhile, or not one of ours: not listed */
		if (rc < 0) {
			free(v[len].users);
			rc = 0;
			continue;
		}
		len++;
	}
	closedir(d);
	if (rc == 0 && len)
		qsort(v, len, sizeof(*v), vol_info_cmp);
out:
	free(list);
	close(store);
	if (rc < 0) {
		rt_volume_list_free(v, len);
		return rc;
	}
	*out = v;
	*nout = len;
	return 0;
}

/* ---- a run's volumes ------------------------------------------------------------ */

void rt_vol_run_init(struct rt_vol_run *vr)
{
	memset(vr, 0, sizeof(*vr));
	vr->store = vr->lock = -1;
	for (size_t i = 0; i < RT_MAX_VOLUMES; i++)
		vr->tree[i] = -1;
}

int rt_vol_run_names(struct rt_vol_run *vr, const struct rt_spec *s, struct nst_err *err)
{
	for (size_t i = 0; i < s->nvolumes; i++) {
		const struct rt_volume *v = &s->volumes[i];
		unsigned char r[32];
		char *p = vr->names[i];

		if (v->kind == RT_VOL_NAMED) {
			int rc = rt_volume_name_check(v->src, err);
			if (rc < 0)
				return rc;
			snprintf(p, sizeof(vr->names[i]), "%s", v->src);
		} else if (v->kind == RT_VOL_ANON) {
			/* 64 hex digits, as Docker names its anonymous volumes */
			if (getrandom(r, sizeof(r), 0) != sizeof(r))
				return nst_err_sys(err, errno, "getrandom");
			for (size_t j = 0; j < sizeof(r); j++)
				sprintf(p + 2 * j, "%02x", r[j]);
		}
	}
	return 0;
}

/*
 * Mounts of a volume for the container, made here (the caller's mount
 * namespace) and moved into the container's root by its init: a copy of
 * _data alone, opened beneath the store without following a link, nosuid
 * and nodev, read-only for :ro. Threat: a volume (or the store) swapped for
 * a symlink to the host's /; a setuid program or a device node that one
 * container planted run or opened by the next that mounts the volume.
 */
static int vol_tree_open(int store, const char *name, bool ro, struct nst_err *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					       (ro ? MOUNT_ATTR_RDONLY : 0) };
	char rel[RT_VOLUME_NAME_MAX + 16];
	int fd, tree;

	snprintf(rel, sizeof(rel), "%s/%s", name, VOL_DATA);
	fd = vol_openat(store, rel, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return nst_err_sys(err, -fd, "volume %s", name);
	tree = (int)syscall(SYS_open_tree, fd, "",
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	close(fd);
	if (tree < 0)
		return nst_err_sys(err, errno, "volume %s: copying its mount", name);
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
		int e = errno;
		close(tree);
		return nst_err_sys(err, e, "volume %s: setting its mount's flags", name);
	}
	return tree;
}

/* Whether every named volume of s exists already. */
static bool vol_all_there(int store, const struct rt_vol_run *vr, const struct rt_spec *s)
{
	for (size_t i = 0; i < s->nvolumes; i++) {
		struct stat sb;
		if (s->volumes[i].kind == RT_VOL_NAMED &&
		    fstatat(store, vr->names[i], &sb, AT_SYMLINK_NOFOLLOW) < 0)
			return false;
	}
	return true;
}

int rt_vol_run_prepare(struct rt_vol_run *vr, const struct rt_spec *s, struct nst_err *err)
{
	uid_t uid = s->userns ? s->userns_uid : 0;
	gid_t gid = s->userns ? s->userns_gid : 0;
	bool any = false;
	int rc;

	for (size_t i = 0; i < s->nvolumes; i++)
		any |= s->volumes[i].kind != RT_VOL_BIND;
	if (!any)
		return 0;
	if ((vr->store = vol_store_open(true, err)) < 0)
		return vr->store;
	/* shared while every named volume is there; a run that makes one
	 * holds the lock alone, so that no other takes up a volume that its
	 * failure would remove again */
	if ((vr->lock = vol_lock(vr->store, LOCK_SH, err)) < 0)
		return vr->lock;
	if (!vol_all_there(vr->store, vr, s)) {
		close(vr->lock);
		if ((vr->lock = vol_lock(vr->store, LOCK_EX, err)) < 0)
			return vr->lock;
	}
	for (size_t i = 0; i < s->nvolumes; i++) {
		const struct rt_volume *v = &s->volumes[i];

		if (v->kind == RT_VOL_BIND)
			continue;
		rc = vol_make(vr->store, vr->names[i], v->kind == RT_VOL_ANON, uid, gid,
			      &vr->made[i], err);
		if (rc < 0)
			return rc;
		vr->tree[i] = vol_tree_open(vr->store, vr->names[i], v->ro, err);
		if (vr->tree[i] < 0)
			return vr->tree[i];
	}
	return 0;
}

static void vol_run_close(struct rt_vol_run *vr)
{
	for (size_t i = 0; i < RT_MAX_VOLUMES; i++)
		if (vr->tree[i] >= 0) {
			close(vr->tree[i]);
			vr->tree[i] = -1;
		}
}

void rt_vol_run_trees_close(struct rt_vol_run *vr)
{
	vol_run_close(vr);
}

void rt_vol_run_undo(struct rt_vol_run *vr)
{
	vol_run_close(vr);
	for (size_t i = 0; vr->store >= 0 && i < RT_MAX_VOLUMES; i++)
		if (vr->made[i]) {
			struct nst_err e;
			vol_remove(vr->store, vr->names[i], &e);
			vr->made[i] = false;
		}
	rt_vol_run_done(vr);
}

void rt_vol_run_done(struct rt_vol_run *vr)
{
	vol_run_close(vr);
	if (vr->lock >= 0)
		close(vr->lock);
	if (vr->store >= 0)
		close(vr->store);
	vr->lock = vr->store = -1;
}

int rt_vol_run_mounts(const struct rt_vol_run *vr, const struct rt_spec *s,
		      char *out, size_t size, struct nst_err *err)
{
	json_t *arr = json_array();
	char *text;
	int rc = 0;

	out[0] = '\0';
	if (!arr)
		return nst_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < s->nvolumes; i++) {
		const struct rt_volume *v = &s->volumes[i];
		char path[RT_PATH_MAX];
		json_t *e;

		if (v->kind != RT_VOL_BIND)
			vol_data_path(vr->names[i], path, sizeof(path));
		e = json_pack("{s:s, s:o, s:o, s:o, s:b}",
			      "type", v->kind == RT_VOL_BIND ? "bind" :
				      v->kind == RT_VOL_NAMED ? "volume" : "anonymous",
			      "name", v->kind == RT_VOL_BIND ? json_null() : json_string(vr->names[i]),
			      "source", rt_json_text(v->kind == RT_VOL_BIND ? v->src : path),
			      "destination", rt_json_text(v->dst), "ro", v->ro);
		if (!e || json_array_append_new(arr, e) < 0) {
			json_decref(arr);
			return nst_err_set(err, ENOMEM, "out of memory");
		}
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return 0;
	}
	text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!text)
		return nst_err_set(err, ENOMEM, "out of memory");
	if (strlen(text) >= size)
		rc = nst_err_set(err, E2BIG,
				 "the volumes' paths are too long to record (%zu bytes, at most %zu)",
				 strlen(text), size - 1);
	else
		memcpy(out, text, strlen(text) + 1);
	free(text);
	return rc;
}

/* Whether any container's state names volume name. */
static bool vol_in_use(struct rt_ctx *ctx, const char *name)
{
	struct rt_state *list = NULL;
	char *users = NULL;
	struct nst_err e;
	size_t n = 0;
	bool used;

	/* cannot tell: as if it were */
	if (rt_list(ctx, &list, &n, &e) < 0 || vol_users(list, n, name, &users) < 0) {
		free(list);
		return true;
	}
	used = users[0] != '\0';
	free(users);
	free(list);
	return used;
}

/* Threat: an anonymous volume named by a forged state outside what its
 * container made: only "anonymous" entries whose name passes the rule are
 * taken, each removed only after the same checks as `nstop volume rm`. */
int rt_vol_remove_anonymous(struct rt_ctx *ctx, const struct rt_state *st, struct nst_err *err)
{
	json_t *m = rt_state_mounts_json(st), *e;
	int store = -1, lock = -1, rc = 0;
	size_t i;

	json_array_foreach(m, i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		const char *name = json_string_value(json_object_get(e, "name"));
		int r;

		if (!type || strcmp(type, "anonymous") != 0 || !name ||
		    rt_volume_name_check(name, NULL) < 0)
			continue;
		if (store < 0) {
			if ((store = vol_store_open(false, err)) < 0) {
				rc = store == -ENOENT ? 0 : store;
				break;
			}
			if ((lock = vol_lock(store, LOCK_EX, err)) < 0) {
				rc = lock;
				break;
			}
		}
		/* another container took it up by name: it stays theirs */
		if (vol_in_use(ctx, name))
			continue;
		r = vol_remove(store, name, err);
		if (r < 0 && r != -ENOENT && rc == 0)
			rc = r;
	}
	if (lock >= 0)
		close(lock);
	if (store >= 0)
		close(store);
	json_decref(m);
	return rc;
}
