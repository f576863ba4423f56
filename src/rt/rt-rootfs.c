/*
 * rt-rootfs: the container's root, built by its init in the new mount
 * namespace under RT_STATE_DIR/NAME/root, then entered with pivot_root.
 * Mount targets inside a root given by the user are resolved with
 * RESOLVE_IN_ROOT, so a symlink in it cannot send a mount elsewhere.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "nstop/mountinfo.h"
#include "rt-launch.h"

/* Masked: a kernel's memory, keys, timers and hardware, none of a
 * container's business (files get /dev/null, directories an empty tmpfs). */
static const char *const rt_masked[] = {
	"proc/acpi", "proc/asound", "proc/kcore", "proc/keys",
	"proc/latency_stats", "proc/timer_list", "proc/timer_stats",
	"proc/sched_debug", "proc/scsi", "sys/firmware",
};

/* Read-only: host-wide knobs that root inside could otherwise turn. */
static const char *const rt_readonly[] = {
	"proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger",
};

struct rt_dev_node {
	const char *name;
	unsigned major, minor;
};

static const struct rt_dev_node rt_dev_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

struct rt_root {
	const struct rt_launch *l;
	int fd;				/* the root of the container's root mount */
};

/* The fd of rel inside the root, following symlinks as if the root were /. */
static int rt_in_root(const struct rt_root *r, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, r->fd, rel, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

static void rt_fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* Makes rel (a directory, or an empty file when file) inside the root,
 * with its parents, where it is missing and the root may be written; its
 * O_PATH fd, resolved in the root, or -errno with err set. */
static int rt_mkpath_open(const struct rt_root *r, const char *rel, bool file,
			  struct nst_err *err)
{
	char buf[RT_PATH_MAX];
	char *p;
	int fd = rt_in_root(r, rel, O_PATH);

	if (fd >= 0)
		return fd;
	if (fd != -ENOENT)
		return nst_err_sys(err, -fd, "/%s", rel);
	if (snprintf(buf, sizeof(buf), "%s", rel) >= (int)sizeof(buf))
		return nst_err_set(err, ENAMETOOLONG, "/%s: path too long", rel);
	p = buf;
	for (;;) {
		char *slash = strchr(p, '/');
		bool last = !slash;
		int parent, rc;

		if (slash)
			*slash = '\0';
		if (*p == '\0' || strcmp(p, ".") == 0) {
			if (last)
				break;
			*slash = '/';
			p = slash + 1;
			continue;
		}
		/* the parent, resolved in the root; then one component made */
		if (p == buf) {
			parent = dup(r->fd);
		} else {
			p[-1] = '\0';
			parent = rt_in_root(r, buf, O_PATH | O_DIRECTORY);
			p[-1] = '/';
		}
		if (parent < 0)
			return nst_err_sys(err, parent == -1 ? errno : -parent, "/%s", rel);
		if (last && file) {
			int f = openat(parent, p, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
			rc = f < 0 ? -errno : 0;
			if (f >= 0)
				close(f);
			if (rc == -EEXIST)
				rc = 0;
		} else {
			rc = mkdirat(parent, p, 0755) < 0 && errno != EEXIST ? -errno : 0;
		}
		close(parent);
		if (rc < 0)
			return nst_err_sys(err, -rc, "making /%s", rel);
		if (last)
			break;
		*slash = '/';
		p = slash + 1;
	}
	fd = rt_in_root(r, rel, O_PATH);
	return fd < 0 ? nst_err_sys(err, -fd, "/%s", rel) : fd;
}

static int rt_mkpath(const struct rt_root *r, const char *rel, bool file,
		     struct nst_err *err)
{
	int fd = rt_mkpath_open(r, rel, file, err);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* mount(2) onto what fd (O_PATH, resolved in the root) is: rel inside. */
static int rt_mount_on(int fd, const char *rel, const char *src, const char *type,
		       unsigned long flags, const char *data, struct nst_err *err)
{
	char target[64];

	rt_fd_path(fd, target, sizeof(target));
	if (mount(src, target, type, flags, data) < 0)
		return nst_err_sys(err, errno, "mounting %s on /%s", type ? type : src, rel);
	return 0;
}

/* mount(2) onto rel inside the root. */
static int rt_mount_at(const struct rt_root *r, const char *rel, const char *src,
		       const char *type, unsigned long flags, const char *data,
		       struct nst_err *err)
{
	int fd = rt_in_root(r, rel, O_PATH);
	int rc;

	if (fd < 0)
		return nst_err_sys(err, -fd, "/%s", rel);
	rc = rt_mount_on(fd, rel, src, type, flags, data, err);
	close(fd);
	return rc;
}

/* The directory rel, made where missing, with a file system mounted on it. */
static int rt_mkpath_mount(const struct rt_root *r, const char *rel, const char *src,
			   const char *type, unsigned long flags, const char *data,
			   struct nst_err *err)
{
	int fd = rt_mkpath_open(r, rel, false, err), rc;

	if (fd < 0)
		return fd;
	rc = rt_mount_on(fd, rel, src, type, flags, data, err);
	close(fd);
	return rc;
}

/* Read-only, with everything mounted below (mount_setattr). */
static int rt_readonly_tree(int dirfd, const char *path, struct nst_err *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	unsigned flags = AT_RECURSIVE | (*path ? 0 : AT_EMPTY_PATH);

	if (syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof(attr)) < 0)
		return nst_err_sys(err, errno, "making %s read-only", *path ? path : "the root");
	return 0;
}

/*
 * Threat: mounts made inside propagating back to the host (or the host's
 * later mounts appearing inside) through shared peer groups.
 */
static int rt_make_private(struct nst_err *err)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return nst_err_sys(err, errno, "making the mounts private");
	return 0;
}

/* Attaches the detached tree fd over the init's working directory, which
 * the clone set to the state directory in the new mount namespace (a user
 * namespace's root could not walk there). Only the init's namespace sees
 * it there, and only until the pivot; from here on the root is reached by
 * its fd. No directory is made for it: on a host whose /run is a disk,
 * making and removing one was a tenth of a millisecond at each end of a
 * launch. */
static int rt_attach_root(struct rt_root *r, int tree, struct nst_err *err)
{
	if (move_mount(tree, "", AT_FDCWD, ".", MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		int e = errno;
		close(tree);
		return nst_err_sys(err, e, "attaching the root");
	}
	r->fd = tree;
	return 0;
}

/* The host's procfs, sysfs and devtmpfs: the container gets its own. */
static bool rt_host_skipped(const char *mount)
{
	return strcmp(mount, "/proc") == 0 || strcmp(mount, "/sys") == 0 ||
	       strcmp(mount, "/dev") == 0;
}

struct rt_host_walk {
	struct rt_root *r;
	int root_id;
	struct nst_err *err;
};

static int rt_find_root_mount(const struct mi_entry *e, void *arg)
{
	struct rt_host_walk *w = arg;

	/* the last mount on / is the one that is seen */
	if (strcmp(e->mount, "/") == 0)
		w->root_id = e->id;
	return 0;
}

/* One mount right below the host's /, with what is below it, copied into
 * the root at the same place. */
static int rt_copy_host_mount(const struct mi_entry *e, void *arg)
{
	struct rt_host_walk *w = arg;
	int tree, rc = 0;

	if (e->parent != w->root_id || e->id == w->root_id || rt_host_skipped(e->mount))
		return 0;
	tree = open_tree(AT_FDCWD, e->mount, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	/* an unbindable mount is not copied (as an rbind would skip it) */
	if (tree < 0 && errno == EINVAL)
		return 0;
	if (tree < 0)
		return nst_err_sys(w->err, errno, "copying the host's mount %s", e->mount);
	if (move_mount(tree, "", w->r->fd, e->mount + 1, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		rc = nst_err_sys(w->err, errno, "placing the host's mount %s", e->mount);
	close(tree);
	return rc;
}

/*
 * The sandbox's root: the host's / with everything below it, read-only all
 * the way down, so the payload reads the host's programs but changes
 * nothing. The host's /proc, /sys and /dev are not copied: fresh ones of
 * the container's own go there (copying them and unmounting them again would
 * cost an RCU grace period each). In a user namespace the host's mounts come
 * as one locked tree, so there they are copied and detached where allowed.
 * Threat: writes to the host's files; the host's procfs, sysfs (with its
 * cgroup mounts) and device nodes seen from inside.
 */
static int rt_root_host(struct rt_root *r, struct nst_err *err)
{
	struct rt_host_walk w = { .r = r, .root_id = -1, .err = err };
	char *mi = NULL;
	int tree, rc;

	if (r->l->spec->userns) {
		static const char *const cut[] = { "proc", "sys", "dev" };
		char p[64];

		tree = open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (tree < 0)
			return nst_err_sys(err, errno, "copying the host's mount tree");
		if ((rc = rt_attach_root(r, tree, err)) < 0)
			return rc;
		for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
			snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", r->fd, cut[i]);
			if (umount2(p, MNT_DETACH) < 0 && errno != EINVAL)
				return nst_err_sys(err, errno, "detaching the host's /%s", cut[i]);
		}
		return rt_readonly_tree(r->fd, "", err);
	}
	if (nst_slurp_at(AT_FDCWD, "/proc/self/mountinfo", &mi) < 0)
		return nst_err_sys(err, errno, "/proc/self/mountinfo");
	tree = open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0) {
		rc = nst_err_sys(err, errno, "copying the host's /");
		goto out;
	}
	if ((rc = rt_attach_root(r, tree, err)) < 0)
		goto out;
	/* mi_foreach cuts the buffer up: one pass to find /, one to copy */
	{
		long len = (long)strlen(mi);
		char *copy = malloc((size_t)len + 1);
		if (!copy) {
			rc = nst_err_set(err, ENOMEM, "out of memory");
			goto out;
		}
		memcpy(copy, mi, (size_t)len + 1);
		mi_foreach(copy, rt_find_root_mount, &w);
		free(copy);
	}
	rc = mi_foreach(mi, rt_copy_host_mount, &w);
	if (rc == 0)
		rc = rt_readonly_tree(r->fd, "", err);
out:
	free(mi);
	return rc;
}

/* --rootfs DIR: the directory itself, writable (the user's own tree). */
static int rt_root_dir(struct rt_root *r, struct nst_err *err)
{
	int tree = open_tree(AT_FDCWD, r->l->spec->rootfs,
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);

	if (tree < 0)
		return nst_err_sys(err, errno, "binding %s", r->l->spec->rootfs);
	return rt_attach_root(r, tree, err);
}

/* --overlay, or --rootfs A:B: the layers stacked (rt-layers.c), upper and
 * work in the state directory, so the container writes freely and the
 * layers stay as they were. */
static int rt_root_overlay(struct rt_root *r, struct nst_err *err)
{
	int tree, rc = rt_layers_fs(r->l, r->l->spec->overlay, &tree, err);

	if (rc < 0)
		return rc;
	return rt_attach_root(r, tree, err);
}

int rt_rootfs_prepare(const struct rt_launch *l, struct nst_err *err)
{
	const struct rt_spec *s = l->spec;
	static const char *const dirs[] = { "upper", "work" };
	char p[RT_PATH_MAX + 8];

	/* a user namespace's root may pass through, not list or read */
	if (s->userns && chmod(l->state_dir, 0711) < 0)
		return nst_err_sys(err, errno, "chmod %s", l->state_dir);
	for (size_t i = 0; s->overlay && i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s", l->state_dir, dirs[i]);
		if (mkdir(p, i == 1 ? 0700 : 0755) < 0 && errno != EEXIST)
			return nst_err_sys(err, errno, "making %s", p);
		/* the overlay's layers belong to the container's root */
		if (s->userns && chown(p, s->userns_uid, s->userns_gid) < 0)
			return nst_err_sys(err, errno, "chown %s", p);
	}
	if (s->rootfs && (s->overlay || strchr(s->rootfs, ':')))
		return rt_layers_prepare(l, err);
	return 0;
}

/*
 * A procfs of the container's pid namespace: only its own processes.
 * Threat: the host's processes, their environments and fds seen from inside.
 */
static int rt_mount_proc(struct rt_root *r, struct nst_err *err)
{
	return rt_mkpath_mount(r, "proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			       NULL, err);
}

/* One device node in the new /dev: made, or bound from the host's where a
 * user namespace may not mknod. */
static int rt_dev_node(int devfd, const struct rt_dev_node *n, bool userns,
		       struct nst_err *err)
{
	char target[64], src[32];
	int fd;

	if (!userns) {
		if (mknodat(devfd, n->name, S_IFCHR | 0666, makedev(n->major, n->minor)) < 0)
			return nst_err_sys(err, errno, "mknod /dev/%s", n->name);
		return 0;
	}
	fd = openat(devfd, n->name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return nst_err_sys(err, errno, "/dev/%s", n->name);
	rt_fd_path(fd, target, sizeof(target));
	snprintf(src, sizeof(src), "/dev/%s", n->name);
	if (mount(src, target, NULL, MS_BIND, NULL) < 0) {
		int e = errno;
		close(fd);
		return nst_err_sys(err, e, "binding /dev/%s", n->name);
	}
	close(fd);
	return 0;
}

/*
 * A /dev of a few harmless nodes on a tmpfs, a pts instance of its own, shm
 * and mqueue. Threat: raw disks, /dev/mem, /dev/kmsg and the host's ttys
 * reachable from inside (the v1 devices cgroup denies them too). The
 * caller's terminal is not bound here: /dev/console is the payload's own
 * pty (rt-tty.c), when it has one.
 */
static int rt_mount_dev(struct rt_root *r, struct nst_err *err)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	bool userns = r->l->spec->userns;
	int rc, devfd;

	if ((rc = rt_mkpath_mount(r, "dev", "tmpfs", "tmpfs", MS_NOSUID | MS_NOEXEC,
				  "mode=755,size=64k", err)) < 0)
		return rc;
	devfd = rt_in_root(r, "dev", O_PATH | O_DIRECTORY);
	if (devfd < 0)
		return nst_err_sys(err, -devfd, "/dev");
	for (size_t i = 0; i < sizeof(rt_dev_nodes) / sizeof(rt_dev_nodes[0]); i++)
		if ((rc = rt_dev_node(devfd, &rt_dev_nodes[i], userns, err)) < 0)
			goto out;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], devfd, links[i][0]) < 0) {
			rc = nst_err_sys(err, errno, "/dev/%s", links[i][0]);
			goto out;
		}
	if (mkdirat(devfd, "pts", 0755) < 0 || mkdirat(devfd, "shm", 01777) < 0 ||
	    mkdirat(devfd, "mqueue", 0755) < 0) {
		rc = nst_err_sys(err, errno, "making /dev's directories");
		goto out;
	}
	/* gid 5 (tty) exists only where it is mapped */
	if ((rc = rt_mount_at(r, "dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
			      userns ? "newinstance,ptmxmode=0666,mode=0620" :
				       "newinstance,ptmxmode=0666,mode=0620,gid=5", err)) < 0 ||
	    (rc = rt_mount_at(r, "dev/shm", "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			      "mode=1777,size=65536k", err)) < 0 ||
	    (rc = rt_mount_at(r, "dev/mqueue", "mqueue", "mqueue",
			      MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err)) < 0)
		goto out;
	rc = 0;
out:
	close(devfd);
	return rc;
}

static int rt_mount_tmp(struct rt_root *r, struct nst_err *err)
{
	return rt_mkpath_mount(r, "tmp", "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", err);
}

/*
 * A pure cgroup2 host's one hierarchy at /sys/fs/cgroup. Where /sys is the
 * host's own, bound (rt_mount_sys: a user namespace in a network namespace
 * it does not own, e.g. --userns with --net container:NAME), the host's
 * cgroup2 is already mounted there, and the kernel refuses the same
 * superblock on the same mount point again (EBUSY, do_add_mount). So, as
 * crun does, a tmpfs of nothing goes on top first and the container's
 * cgroup2 on that: the host's tree beneath stays covered, never shown.
 * Threat: falling back to the host's tree (runc binds /sys/fs/cgroup when
 * the mount fails) would show every cgroup of the host; nstop fails instead.
 */
static int rt_mount_cgroup2(struct rt_root *r, unsigned long ro, struct nst_err *err)
{
	int rc = rt_mount_at(r, "sys/fs/cgroup", "cgroup2", "cgroup2", ro, NULL, err);

	if (rc != -EBUSY)
		return rc;
	if ((rc = rt_mount_at(r, "sys/fs/cgroup", "cgroup", "tmpfs", ro,
			      "mode=755,nr_blocks=1,nr_inodes=1", err)) < 0)
		return rc;
	return rt_mount_at(r, "sys/fs/cgroup", "cgroup2", "cgroup2", ro, NULL, err);
}

/*
 * The cgroup hierarchies, each mounted from inside the cgroup namespace,
 * so its root is the container's own cgroup, read-only, at the places the
 * host has them. Threat: the host's cgroup tree (its other containers and
 * services, their limits) visible or writable from inside.
 */
static int rt_mount_cgroups(struct rt_root *r, struct nst_err *err)
{
	const struct cg_layout *lay = r->l->layout;
	const unsigned long ro = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY;
	char rel[600];
	int rc, fd;

	/* a pure cgroup2 host: the one hierarchy is /sys/fs/cgroup itself */
	if (lay && lay->n == 1 && lay->h[0].v2 && strcmp(lay->h[0].mount, NST_CGROUP_PATH) == 0) {
		if ((rc = rt_mkpath(r, "sys/fs/cgroup", false, err)) < 0)
			return rc;
		return rt_mount_cgroup2(r, ro, err);
	}
	if ((rc = rt_mkpath_mount(r, "sys/fs/cgroup", "cgroup", "tmpfs", MS_NOSUID | MS_NODEV |
				  MS_NOEXEC, "mode=755,size=64k", err)) < 0)
		return rc;
	fd = rt_in_root(r, "sys/fs/cgroup", O_PATH | O_DIRECTORY);
	if (fd < 0)
		return nst_err_sys(err, -fd, "/sys/fs/cgroup");
	for (int i = 0; lay && i < lay->n; i++) {
		const struct cg_hier *h = &lay->h[i];
		const char *base = strrchr(h->mount, '/');

		/* a hierarchy mounted where the host keeps them goes to the same
		 * place; one mounted elsewhere under its last component */
		if (strncmp(h->mount, NST_CGROUP_PATH "/", sizeof(NST_CGROUP_PATH)) == 0)
			snprintf(rel, sizeof(rel), "sys/fs/cgroup/%s",
				 h->mount + sizeof(NST_CGROUP_PATH));
		else if (strcmp(h->mount, NST_CGROUP_PATH) == 0)
			snprintf(rel, sizeof(rel), "sys/fs/cgroup");
		else
			snprintf(rel, sizeof(rel), "sys/fs/cgroup/%s", base ? base + 1 : "cgroup");
		if (strcmp(rel, "sys/fs/cgroup") != 0 && mkdirat(fd, rel + 14, 0755) < 0 &&
		    errno != EEXIST) {
			rc = nst_err_sys(err, errno, "making /%s", rel);
			goto out;
		}
		rc = h->v2 ? rt_mount_at(r, rel, "cgroup2", "cgroup2", ro, NULL, err) :
			     rt_mount_at(r, rel, "cgroup", "cgroup", ro, h->controllers, err);
		if (rc < 0)
			goto out;
	}
	rc = rt_readonly_tree(fd, "", err);
out:
	close(fd);
	return rc;
}

/*
 * A sysfs of the container's network namespace, read-only (the cgroup
 * hierarchies come later, once the cgroup namespace is there). Where the
 * network is the host's, sysfs may not be mounted from a user namespace:
 * the host's is bound instead, read-only too.
 * Threat: writes to kernel and device settings under /sys.
 */
static int rt_mount_sys(struct rt_root *r, struct nst_err *err)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY;
	int rc = rt_mkpath_mount(r, "sys", "sysfs", "sysfs", flags, NULL, err);

	if (rc == -EPERM) {
		rc = rt_mount_at(r, "sys", "/sys", NULL, MS_BIND | MS_REC, NULL, err);
		if (rc == 0) {
			int fd = rt_in_root(r, "sys", O_PATH | O_DIRECTORY);
			if (fd < 0)
				return nst_err_sys(err, -fd, "/sys");
			rc = rt_readonly_tree(fd, "", err);
			close(fd);
		}
	}
	return rc;
}

/*
 * A volume of nstop's store: its detached mount (made by nstop beneath the
 * store, nosuid, nodev, read-only for :ro) moved onto the target, which is
 * resolved in the root. Threat: the init walking to the volume by a path
 * a link could redirect; in a user namespace it could not walk there at all.
 */
static int rt_move_volume(struct rt_root *r, const struct rt_volume *v, int tree,
			  const char *dst, struct nst_err *err)
{
	int rc, fd;

	if ((rc = rt_mkpath(r, *dst ? dst : ".", false, err)) < 0)
		return rc;
	fd = rt_in_root(r, *dst ? dst : ".", O_PATH | O_DIRECTORY);
	if (fd < 0)
		return nst_err_sys(err, -fd, "volume target %s", v->dst);
	rc = move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	if (rc < 0)
		rc = nst_err_sys(err, errno, "mounting the volume on %s", v->dst);
	close(fd);
	return rc;
}

/* -v SRC:DST[:ro], bound with what is mounted below SRC; or a volume. */
static int rt_mount_volume(struct rt_root *r, const struct rt_volume *v, int tree,
			   struct nst_err *err)
{
	const char *dst = v->dst;
	struct stat st;
	int rc, fd;

	while (*dst == '/')
		dst++;
	if (v->kind != RT_VOL_BIND)
		return tree < 0 ? nst_err_set(err, EBADF, "volume %s: not opened", v->dst) :
		       rt_move_volume(r, v, tree, dst, err);
	if (stat(v->src, &st) < 0)
		return nst_err_sys(err, errno, "volume %s", v->src);
	if ((rc = rt_mkpath(r, *dst ? dst : ".", !S_ISDIR(st.st_mode), err)) < 0 ||
	    (rc = rt_mount_at(r, *dst ? dst : ".", v->src, NULL, MS_BIND | MS_REC, NULL, err)) < 0) {
		nst_err_prefix(err, "volume %s", v->src);
		return rc;
	}
	if (!v->ro)
		return 0;
	fd = rt_in_root(r, *dst ? dst : ".", O_PATH);
	if (fd < 0)
		return nst_err_sys(err, -fd, "volume %s", v->dst);
	rc = rt_readonly_tree(fd, "", err);
	close(fd);
	return rc;
}

/*
 * Threat: the files and directories in rt_masked read from inside (kernel
 * memory, keyrings, timer and scheduler internals, firmware tables).
 */
static int rt_mask_paths(struct rt_root *r, struct nst_err *err)
{
	for (size_t i = 0; i < sizeof(rt_masked) / sizeof(rt_masked[0]); i++) {
		struct stat st;
		int fd = rt_in_root(r, rt_masked[i], O_PATH | O_NOFOLLOW);
		int rc;

		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return nst_err_sys(err, -fd, "masking /%s", rt_masked[i]);
		if (fstat(fd, &st) < 0) {
			rc = nst_err_sys(err, errno, "masking /%s", rt_masked[i]);
		} else if (S_ISDIR(st.st_mode)) {
			rc = rt_mount_on(fd, rt_masked[i], "tmpfs", "tmpfs",
					 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
					 "size=0,mode=555", err);
		} else {
			rc = rt_mount_on(fd, rt_masked[i], "/dev/null", NULL, MS_BIND, NULL, err);
		}
		close(fd);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Threat: root inside changing host-wide kernel settings (/proc/sys), IRQ
 * affinities, or triggering sysrq (a host reboot from a container).
 */
static int rt_readonly_paths(struct rt_root *r, struct nst_err *err)
{
	for (size_t i = 0; i < sizeof(rt_readonly) / sizeof(rt_readonly[0]); i++) {
		int fd = rt_in_root(r, rt_readonly[i], O_PATH | O_NOFOLLOW);
		char target[64];
		int rc = 0;

		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return nst_err_sys(err, -fd, "/%s", rt_readonly[i]);
		rt_fd_path(fd, target, sizeof(target));
		if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
			rc = nst_err_sys(err, errno, "binding /%s", rt_readonly[i]);
		close(fd);
		if (rc == 0) {
			/* the bind is a new mount over the old: reopen to reach it */
			fd = rt_in_root(r, rt_readonly[i], O_PATH | O_NOFOLLOW);
			if (fd < 0)
				return nst_err_sys(err, -fd, "/%s", rt_readonly[i]);
			rc = rt_readonly_tree(fd, "", err);
			close(fd);
		}
		if (rc < 0) {
			nst_err_prefix(err, "read-only /%s", rt_readonly[i]);
			return rc;
		}
	}
	return 0;
}

/*
 * In the host's own root, /run (and an old-style /var/run that is not a
 * link to it) become empty tmpfs of the container's own. Threat: the
 * host's daemons' unix sockets there (docker.sock, containerd, the D-Bus
 * system bus, systemd's private socket, users' sessions): connect() needs
 * no write to the file system, so a read-only mount does not stop it, and
 * root inside (uid 0 to SO_PEERCRED) could have them run anything on the
 * host. Also hides RT_STATE_DIR, every container's state, layers and log.
 */
static int rt_mount_run(struct rt_root *r, struct nst_err *err)
{
	static const char *const dirs[] = { "run", "var/run" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct stat st;
		int fd = rt_in_root(r, dirs[i], O_PATH | O_NOFOLLOW);
		int rc;

		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return nst_err_sys(err, -fd, "/%s", dirs[i]);
		rc = fstat(fd, &st) < 0 ? nst_err_sys(err, errno, "/%s", dirs[i]) : 0;
		/* /var/run -> /run: covered */
		if (rc == 0 && S_ISDIR(st.st_mode))
			rc = rt_mount_on(fd, dirs[i], "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
					 "mode=755", err);
		close(fd);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Threat: the host's whole mount tree reachable through the old root (a
 * chroot can be left; a detached old root cannot).
 */
static int rt_pivot(struct rt_root *r, struct nst_err *err)
{
	if (fchdir(r->fd) < 0)
		return nst_err_sys(err, errno, "entering the root");
	/* the old root stacks under the new one at ".", then goes */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return nst_err_sys(err, errno, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return nst_err_sys(err, errno, "detaching the old root");
	if (chdir("/") < 0)
		return nst_err_sys(err, errno, "chdir /");
	return 0;
}

int rt_rootfs_setup(const struct rt_launch *l, struct nst_err *err)
{
	const struct rt_spec *spec = l->spec;
	struct rt_root r = { .l = l, .fd = -1 };
	mode_t mask = umask(0);
	int rc;

	if ((rc = rt_make_private(err)) < 0)
		goto out;
	rc = !spec->rootfs ? rt_root_host(&r, err) :
	     spec->overlay || strchr(spec->rootfs, ':') ? rt_root_overlay(&r, err) :
							  rt_root_dir(&r, err);
	if (rc < 0)
		goto out;
	if ((rc = rt_mount_proc(&r, err)) < 0 ||
	    (rc = rt_mount_dev(&r, err)) < 0 ||
	    (rc = rt_mount_tmp(&r, err)) < 0 ||
	    (rc = rt_mount_sys(&r, err)) < 0 ||
	    (rc = rt_join_late(l, err)) < 0 ||
	    (rc = rt_mount_cgroups(&r, err)) < 0)
		goto out;
	if (!spec->rootfs && (rc = rt_mount_run(&r, err)) < 0)
		goto out;
	for (size_t i = 0; i < spec->nvolumes; i++)
		if ((rc = rt_mount_volume(&r, &spec->volumes[i],
					  l->vol_tree ? l->vol_tree[i] : -1, err)) < 0)
			goto out;
	if ((rc = rt_mask_paths(&r, err)) < 0 ||
	    (rc = rt_readonly_paths(&r, err)) < 0 ||
	    (rc = rt_pivot(&r, err)) < 0)
		goto out;
	rc = 0;
out:
	if (r.fd >= 0)
		close(r.fd);
	umask(mask);
	return rc;
}

/* --net none: the loopback interface up, the only one there is. */
int rt_net_loopback_up(struct nst_err *err)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (s < 0)
		return nst_err_sys(err, errno, "lo: socket");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		rc = nst_err_sys(err, errno, "lo: reading its flags");
	} else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			rc = nst_err_sys(err, errno, "lo: bringing it up");
	}
	close(s);
	return rc;
}
