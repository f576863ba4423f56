/*
 * img-unpack: one archive into one directory, with libarchive reading it
 * and every entry created here, relative to the directory's fd, one rule
 * per threat. A layer becomes overlayfs's native form: OCI whiteouts
 * (.wh.NAME) become 0/0 character devices, .wh..wh..opq an opaque directory.
 *
 * Compared with the peers: containerd (archive/tar.go) and Docker
 * (pkg/archive) also refuse names that climb out and links out, and convert
 * whiteouts the same way; they resolve parents following symlinks inside
 * the layer's root. nstop is stricter: no entry is ever reached through a
 * symlink (RESOLVE_NO_SYMLINKS), so "a symlink, then a file through it" is
 * refused instead of interpreted; device nodes are refused where both peers
 * create them when they can; xattrs are not applied (file capabilities of
 * the image are dropped, said in nstop(1)).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "img-dl.h"
#include "img-internal.h"

#define WH_PREFIX ".wh."
#define WH_META ".wh..wh."
#define WH_OPAQUE ".wh..wh..opq"

/*
 * Threat: an entry written outside the layer ("../../etc/cron.d/x",
 * "/etc/shadow"). Absolute names and any ".." component are refused, not
 * cleaned up: a well-made layer has neither.
 */
int img_entry_name(const char *raw, char *out, size_t size, struct nst_err *err)
{
	size_t len = 0;
	const char *p = raw;

	if (raw[0] == '/')
		return nst_err_set(err, EINVAL, "entry '%s': an absolute name", raw);
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return nst_err_set(err, EINVAL, "entry '%s': a '..' in the name", raw);
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (len + n + 2 > size)
				return nst_err_set(err, ENAMETOOLONG, "entry '%s': too long", raw);
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	out[len] = '\0';
	return 0;
}

int img_whiteout_kind(const char *base, const char **target)
{
	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return 0;
	if (strcmp(base, WH_OPAQUE) == 0)
		return 2;
	if (strncmp(base, WH_META, strlen(WH_META)) == 0)
		return 3;
	*target = base + strlen(WH_PREFIX);
	return 1;
}

/* openat2 beneath dirfd, never through a symlink, a magic link or into
 * another mount. */
static int img_beneath(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	long fd = syscall(SYS_openat2, dirfd, rel[0] ? rel : ".", &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/*
 * Threat: "a symlink, then a file through it": an entry lib -> /etc (or
 * -> ../../..) followed by lib/passwd, which a naive unpacker writes into
 * the host's /etc. The parent is opened beneath the layer without following
 * any symlink; one in the way refuses the entry. Missing parents are made
 * (tars may leave them out), each one the same way.
 */
static int img_open_parent(int dirfd, const char *name, const char **base,
			   struct nst_err *err)
{
	char dir[IMG_NAME_MAX];
	const char *slash = strrchr(name, '/');
	size_t len;
	int fd;

	*base = slash ? slash + 1 : name;
	len = slash ? (size_t)(slash - name) : 0;
	memcpy(dir, name, len);
	dir[len] = '\0';
	fd = img_beneath(dirfd, dir, O_PATH | O_DIRECTORY);
	if (fd == -ENOENT) {
		/* each missing component made, beneath its resolved parent */
		for (size_t i = 0; i <= len; i++) {
			int parent;

			if (i < len && dir[i] != '/')
				continue;
			dir[i] = '\0';
			parent = img_beneath(dirfd, dir, O_PATH | O_DIRECTORY);
			if (parent == -ENOENT) {
				char *cut = strrchr(dir, '/');
				int up;

				if (cut)
					*cut = '\0';
				up = img_beneath(dirfd, cut ? dir : "", O_PATH | O_DIRECTORY);
				if (cut)
					*cut = '/';
				if (up >= 0) {
					if (mkdirat(up, cut ? cut + 1 : dir, 0755) < 0 &&
					    errno != EEXIST)
						parent = -errno;
					else
						parent = 0;
					close(up);
				} else {
					parent = up;
				}
			} else if (parent >= 0) {
				close(parent);
				parent = 0;
			}
			if (i < len)
				dir[i] = '/';
			if (parent < 0) {
				fd = parent;
				break;
			}
		}
		if (fd == -ENOENT)
			fd = img_beneath(dirfd, dir, O_PATH | O_DIRECTORY);
	}
	if (fd == -ELOOP || fd == -EXDEV || fd == -ENOTDIR)
		return nst_err_set(err, EINVAL,
				   "entry '%s': its directory goes through a symlink or a non-directory",
				   name);
	if (fd < 0)
		return nst_err_sys(err, -fd, "entry '%s'", name);
	return fd;
}

/*
 * Threat: device nodes in a layer (a block device of the host's disk, or
 * /dev/mem, under any name), sockets. No image needs them: the runtime
 * makes the container's /dev itself. FIFOs are harmless and kept. The outer
 * archive of an image holds only files, directories and symlinks.
 */
static int img_check_type(const char *name, mode_t type, bool outer, struct nst_err *err)
{
	if (type == AE_IFREG || type == AE_IFDIR || type == AE_IFLNK)
		return 0;
	if (type == AE_IFIFO && !outer)
		return 0;
	return nst_err_set(err, EPERM, "entry '%s': a %s, refused", name,
			   type == AE_IFCHR ? "character device" :
			   type == AE_IFBLK ? "block device" :
			   type == AE_IFSOCK ? "socket" : type == AE_IFIFO ? "FIFO" :
			   "file of an unknown type");
}

/*
 * Threat: setuid and setgid bits as a way up. Decided: kept on regular
 * files (images carry su, passwd, mount; inside, no_new_privs makes them
 * inert, and the store is 0700 root's, so no host user can run them from
 * there), dropped from everything else; nothing of the outer archive keeps
 * them, nor write access for others.
 */
static mode_t img_mode(mode_t mode, mode_t type, bool outer)
{
	mode &= 07777;
	if (outer)
		return (mode & 0755) | (type == AE_IFDIR ? 0700 : 0600);
	if (type != AE_IFREG)
		mode &= ~(mode_t)(S_ISUID | (type == AE_IFDIR ? 0 : S_ISGID));
	return mode;
}

int img_rm_tree(int at, const char *base, struct nst_err *err)
{
	int fd = openat(at, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP) {
			if (unlinkat(at, base, 0) < 0 && errno != ENOENT)
				return nst_err_sys(err, errno, "removing %s", base);
			return 0;
		}
		return errno == ENOENT ? 0 : nst_err_sys(err, errno, "removing %s", base);
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return nst_err_sys(err, errno, "removing %s", base);
	}
	while (rc == 0 && (d = readdir(dir))) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (d->d_type == DT_DIR || d->d_type == DT_UNKNOWN)
			rc = img_rm_tree(dirfd(dir), d->d_name, err);
		else if (unlinkat(dirfd(dir), d->d_name, 0) < 0)
			rc = nst_err_sys(err, errno, "removing %s/%s", base, d->d_name);
	}
	closedir(dir);
	if (rc == 0 && unlinkat(at, base, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = nst_err_sys(err, errno, "removing %s", base);
	return rc;
}

/* Whatever is at parent/base goes, unless both are directories. Within one
 * layer a later entry replaces an earlier one. */
static int img_make_room(int parent, const char *base, bool dir, const char *name,
			 struct nst_err *err)
{
	struct stat st;

	if (fstatat(parent, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : nst_err_sys(err, errno, "entry '%s'", name);
	if (S_ISDIR(st.st_mode)) {
		if (dir)
			return 1;
		return img_rm_tree(parent, base, err);
	}
	if (unlinkat(parent, base, 0) < 0)
		return nst_err_sys(err, errno, "entry '%s': replacing it", name);
	return 0;
}

/*
 * .wh..wh..opq: the directory hides everything of the layers below it
 * (both xattrs: trusted. for root's overlays, user. for userxattr ones).
 */
static int img_opaque(int parent, const char *name, struct nst_err *err)
{
	int fd = openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return nst_err_sys(err, errno, "entry '%s'", name);
	if (fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) < 0)
		rc = nst_err_sys(err, errno, "entry '%s': marking its directory opaque", name);
	close(fd);
	return rc;
}

/* .wh.NAME: NAME of the layers below is deleted: a 0/0 character device,
 * overlayfs's whiteout. target is one component, checked by the name rule. */
static int img_whiteout(int parent, const char *target, const char *name,
			struct nst_err *err)
{
	int rc;

	if (!target[0] || strcmp(target, ".") == 0 || strcmp(target, "..") == 0)
		return nst_err_set(err, EINVAL, "entry '%s': a whiteout of nothing", name);
	if ((rc = img_make_room(parent, target, false, name, err)) < 0)
		return rc;
	if (mknodat(parent, target, S_IFCHR | 0, makedev(0, 0)) < 0)
		return nst_err_sys(err, errno, "entry '%s': making the whiteout", name);
	return 0;
}

/*
 * Threat: a hard link to a file outside the layer ("../../etc/shadow" or
 * through a symlink), which would put the host's file in the image, or let
 * the container write to it. The target follows the name rule and is
 * resolved beneath the layer without symlinks; it must be there already.
 */
static int img_hardlink(int dirfd, int parent, const char *base, const char *raw_target,
			const char *name, struct nst_err *err)
{
	char target[IMG_NAME_MAX];
	const char *tbase;
	int tparent, rc;

	if ((rc = img_entry_name(raw_target, target, sizeof(target), err)) < 0) {
		nst_err_prefix(err, "hard link '%s'", name);
		return rc;
	}
	if (!target[0])
		return nst_err_set(err, EINVAL, "hard link '%s': to the layer's root", name);
	tparent = img_open_parent(dirfd, target, &tbase, err);
	if (tparent < 0) {
		nst_err_prefix(err, "hard link '%s'", name);
		return tparent;
	}
	if ((rc = img_make_room(parent, base, false, name, err)) == 0 &&
	    linkat(tparent, tbase, parent, base, 0) < 0)
		rc = nst_err_sys(err, errno, "hard link '%s' to '%s'", name, target);
	close(tparent);
	return rc;
}

/* A regular file's data, holes kept; a short archive says so here. */
static int img_write_data(struct archive *a, int fd, const char *name, struct nst_err *err)
{
	for (;;) {
		const void *buf;
		size_t n;
		la_int64_t off;
		int r = img_la.read_data_block(a, &buf, &n, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN)
			return nst_err_set(err, EIO, "entry '%s': %s", name, img_la.error_string(a));
		while (n > 0) {
			ssize_t w = pwrite(fd, buf, n, off);
			if (w < 0)
				return nst_err_sys(err, errno, "entry '%s': writing", name);
			buf = (const char *)buf + w;
			n -= (size_t)w;
			off += w;
		}
	}
}

/* Owner first (chown clears setuid), then mode and time; symlinks get
 * owner and time only. */
static int img_attrs(int parent, const char *base, struct archive_entry *e, mode_t mode,
		     bool outer, const char *name, struct nst_err *err)
{
	struct timespec ts[2] = {
		{ img_la.entry_mtime(e), img_la.entry_mtime_nsec(e) },
		{ img_la.entry_mtime(e), img_la.entry_mtime_nsec(e) },
	};
	bool link = img_la.entry_filetype(e) == AE_IFLNK;

	if (!outer && fchownat(parent, base, (uid_t)img_la.entry_uid(e),
			       (gid_t)img_la.entry_gid(e), AT_SYMLINK_NOFOLLOW) < 0)
		return nst_err_sys(err, errno, "entry '%s': chown", name);
	if (!link && fchmodat(parent, base, mode, 0) < 0)
		return nst_err_sys(err, errno, "entry '%s': chmod", name);
	utimensat(parent, base, ts, AT_SYMLINK_NOFOLLOW);
	return 0;
}

/* One entry, of a checked name, made beneath dirfd. */
static int img_entry(struct archive *a, struct archive_entry *e, int dirfd, const char *name,
		     const struct img_unpack_opts *o, struct nst_err *err)
{
	mode_t type = img_la.entry_filetype(e);
	mode_t mode = img_mode(img_la.entry_perm(e) | (img_la.entry_mode(e) & 07000), type,
			       o->outer);
	const char *base, *wh = NULL;
	int parent, rc, kind;

	parent = img_open_parent(dirfd, name, &base, err);
	if (parent < 0)
		return parent;
	kind = o->outer ? 0 : img_whiteout_kind(base, &wh);
	if (kind == 1) {
		rc = img_whiteout(parent, wh, name, err);
		goto out;
	}
	if (kind == 2) {
		rc = img_opaque(parent, name, err);
		goto out;
	}
	if (kind == 3) {
		rc = 0;
		goto out;
	}
	if (img_la.entry_hardlink(e)) {
		rc = o->outer ? nst_err_set(err, EPERM, "entry '%s': a hard link, refused", name) :
				img_hardlink(dirfd, parent, base, img_la.entry_hardlink(e), name, err);
		goto out;
	}
	if ((rc = img_check_type(name, type, o->outer, err)) < 0)
		goto out;
	if ((rc = img_make_room(parent, base, type == AE_IFDIR, name, err)) < 0)
		goto out;
	if (type == AE_IFDIR) {
		if (rc == 0 && mkdirat(parent, base, 0700) < 0) {
			rc = nst_err_sys(err, errno, "entry '%s'", name);
			goto out;
		}
	} else if (type == AE_IFLNK) {
		if (symlinkat(img_la.entry_symlink(e) ? img_la.entry_symlink(e) : "",
			      parent, base) < 0) {
			rc = nst_err_sys(err, errno, "entry '%s'", name);
			goto out;
		}
	} else if (type == AE_IFIFO) {
		if (mknodat(parent, base, S_IFIFO | 0600, 0) < 0) {
			rc = nst_err_sys(err, errno, "entry '%s'", name);
			goto out;
		}
	} else {
		int fd = openat(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0600);
		if (fd < 0) {
			rc = nst_err_sys(err, errno, "entry '%s'", name);
			goto out;
		}
		rc = img_write_data(a, fd, name, err);
		close(fd);
		if (rc < 0)
			goto out;
		if (o->bytes)
			*o->bytes += (uint64_t)img_la.entry_size(e);
	}
	rc = img_attrs(parent, base, e, mode, o->outer, name, err);
out:
	close(parent);
	return rc;
}

/* Calls o->progress now and then with how far into the input we are. */
static void img_progress(struct archive *a, const struct img_unpack_opts *o)
{
	if (o->progress)
		o->progress(o->progress_arg, (uint64_t)img_la.filter_bytes(a, -1));
}

int img_unpack_fd(int fd, int dirfd, const struct img_unpack_opts *o, struct nst_err *err)
{
	struct archive *a;
	struct archive_entry *e;
	char name[IMG_NAME_MAX];
	unsigned n = 0;
	int rc, r;

	if ((rc = img_la_load(err)) < 0)
		return rc;
	if (!(a = img_la.read_new()))
		return nst_err_set(err, ENOMEM, "out of memory");
	img_la.read_support_format_tar(a);
	img_la.read_support_filter_all(a);
	if (img_la.read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
		rc = nst_err_set(err, EINVAL, "not a tar archive: %s", img_la.error_string(a));
		goto out;
	}
	while ((r = img_la.read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			rc = nst_err_set(err, EIO, "%s", img_la.error_string(a));
			goto out;
		}
		if ((rc = img_entry_name(img_la.entry_pathname(e) ? img_la.entry_pathname(e) : "",
					 name, sizeof(name), err)) < 0)
			goto out;
		if (!name[0])
			continue;	/* "./": the layer's root itself */
		if ((rc = img_entry(a, e, dirfd, name, o, err)) < 0)
			goto out;
		if ((++n & 255) == 0)
			img_progress(a, o);
	}
	img_progress(a, o);
out:
	img_la.read_free(a);
	return rc;
}

/* The digest of what the archive decompresses to (a layer's diff_id),
 * libarchive's filters doing the decompression. */
int img_sha256_decompressed(int fd, char hex[65], struct nst_err *err)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	struct img_sha *h;
	int rc;

	if ((rc = img_la_load(err)) < 0)
		return rc;
	if (!(h = img_sha_new(err)))
		return -err->code;
	if (!(a = img_la.read_new()))
		goto nomem;
	img_la.read_support_format_raw(a);
	img_la.read_support_filter_all(a);
	if (img_la.read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK ||
	    img_la.read_next_header(a, &e) != ARCHIVE_OK) {
		rc = nst_err_set(err, EIO, "%s", img_la.error_string(a));
		goto out;
	}
	for (;;) {
		char buf[1 << 16];
		la_ssize_t n = img_la.read_data(a, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			rc = nst_err_set(err, EIO, "%s", img_la.error_string(a));
			goto out;
		}
		img_sha_update(h, buf, (size_t)n);
	}
	img_sha_hex(h, hex);
	goto out;
nomem:
	rc = nst_err_set(err, ENOMEM, "out of memory");
out:
	img_sha_free(h);
	if (a)
		img_la.read_free(a);
	return rc;
}
