/* Namespaces that outlive their processes: bind-mounted (ip netns add, in
 * any mount namespace) or held by an open file descriptor, as lsns's NSFS
 * column and lxkns find them; and each net namespace's id (lsns's NETNSID). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/mountinfo.h"
#include "scan-internal.h"

/* One place a namespace is held: a mount point in pid's mount namespace, or
 * pid's descriptor fd. */
struct ns_hold {
	enum ns_type type;
	ino_t inode;
	pid_t pid;
	char *path;	/* the mount point; NULL for a descriptor */
	int fd;
};

struct hold_list {
	struct ns_hold *h;
	size_t n, cap;
};

static int hold_add(struct hold_list *l, enum ns_type t, ino_t ino, pid_t pid,
		    const char *path, int fd)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct ns_hold *nh = realloc(l->h, cap * sizeof(*nh));
		if (!nh)
			return -ENOMEM;
		l->h = nh;
		l->cap = cap;
	}
	struct ns_hold *h = &l->h[l->n];
	h->type = t;
	h->inode = ino;
	h->pid = pid;
	h->fd = fd;
	h->path = NULL;
	if (path && !(h->path = strdup(path)))
		return -ENOMEM;
	l->n++;
	return 0;
}

/* "net:[4026532..]", as both an nsfs mount's root and a descriptor's link
 * read: the type and inode, or false. */
static bool nsfs_name_parse(const char *s, enum ns_type *t, ino_t *ino)
{
	for (int i = 0; i < NS_NTYPES; i++)
		if ((*ino = ns_parse_link(s, (enum ns_type)i))) {
			*t = (enum ns_type)i;
			return true;
		}
	return false;
}

struct mi_arg {
	struct hold_list *l;
	pid_t pid;
	int rc;
};

static int mi_hold(const struct mi_entry *e, void *arg)
{
	struct mi_arg *a = arg;
	enum ns_type t;
	ino_t ino;

	if (strcmp(e->fstype, "nsfs") != 0 || !nsfs_name_parse(e->root, &t, &ino))
		return 0;
	a->rc = hold_add(a->l, t, ino, a->pid, e->mount, -1);
	return a->rc;
}

static void holds_free(struct hold_list *l);

/*
 * A mount namespace's nsfs mounts as its mountinfo last showed them (pid 0:
 * the namespace's first member is put in when they are used). A mount is
 * made by a process in the namespace, which then runs: the incremental scan
 * reads a namespace's mountinfo again when one of its members was read in
 * full (it ran, or is new) and otherwise at the latest every
 * SCAN_FULL_EVERY snapshots, which bounds what a mount propagated from
 * another namespace waits. A view over dozens of containers read each one's
 * mountinfo every second: a twentieth of its cpu.
 */
struct mnt_holds {
	ino_t ino;
	bool seen;		/* in this snapshot */
	struct hold_list l;
};

void scan_mnt_holds_free(struct scan_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nmnt_holds; i++)
		holds_free(&ctx->mnt_holds[i].l);
	free(ctx->mnt_holds);
	ctx->mnt_holds = NULL;
	ctx->nmnt_holds = 0;
}

static struct mnt_holds *mnt_holds_find(struct scan_ctx *ctx, ino_t ino)
{
	for (size_t i = 0; ino && i < ctx->nmnt_holds; i++)
		if (ctx->mnt_holds[i].ino == ino)
			return &ctx->mnt_holds[i];
	return NULL;
}

/* The mount namespaces one of whose members was read in full are made
 * stale: no lookup finds them, and holds_from_mounts frees them. */
static void mnt_holds_mark_fresh(struct scan_ctx *ctx, const struct snapshot *s)
{
	for (size_t i = 0; i < ctx->nmnt_holds; i++)
		ctx->mnt_holds[i].seen = false;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct scan_proc *p = &s->procs[i];
		struct mnt_holds *m;

		if (p->fresh && p->ns && (m = mnt_holds_find(ctx, p->ns[NS_MNT])))
			m->ino = 0;
	}
}

/* ns's nsfs mounts, read from its first member's mountinfo into a new
 * entry of the context's. NULL when it cannot be read (gone, or not ours
 * to read) or out of memory (*rc then -ENOMEM). */
static struct mnt_holds *mnt_holds_read(struct scan_ctx *ctx, const struct scan_ns *ns, int *rc)
{
	char path[32], *buf = NULL;
	struct mnt_holds *m;

	snprintf(path, sizeof(path), "%d/mountinfo", (int)ns->first);
	if (nst_slurp_at(ctx->root->proc_fd, path, &buf) < 0)
		return NULL;
	m = realloc(ctx->mnt_holds, (ctx->nmnt_holds + 1) * sizeof(*m));
	if (!m) {
		free(buf);
		*rc = -ENOMEM;
		return NULL;
	}
	ctx->mnt_holds = m;
	m = &ctx->mnt_holds[ctx->nmnt_holds++];
	*m = (struct mnt_holds){ .ino = ns->inode };
	struct mi_arg a = { .l = &m->l, .pid = 0 };
	mi_foreach(buf, mi_hold, &a);
	free(buf);
	if (a.rc < 0) {
		holds_free(&m->l);
		ctx->nmnt_holds--;
		*rc = a.rc;
		return NULL;
	}
	return m;
}

/* Every mount namespace's nsfs mounts, read through one of its members (or
 * kept, above). */
static int holds_from_mounts(struct scan_ctx *ctx, const struct snapshot *s,
			     struct hold_list *l)
{
	int rc = 0;

	if (ctx->incremental)
		mnt_holds_mark_fresh(ctx, s);
	else
		scan_mnt_holds_free(ctx);
	for (size_t i = 0; i < s->nns; i++) {
		const struct scan_ns *ns = &s->ns[i];
		struct mnt_holds *m;

		if (ns->type != NS_MNT || !ns->nprocs)
			continue;
		m = mnt_holds_find(ctx, ns->inode);
		if (m && ((unsigned long)ns->inode + ctx->nsnap) % SCAN_FULL_EVERY == 0) {
			m->ino = 0;	/* its turn: read again */
			m = NULL;
		}
		if (!m && !(m = mnt_holds_read(ctx, ns, &rc))) {
			if (rc < 0)
				return rc;
			continue;
		}
		m->seen = true;
		for (size_t k = 0; k < m->l.n; k++)
			if ((rc = hold_add(l, m->l.h[k].type, m->l.h[k].inode, ns->first,
					   m->l.h[k].path, -1)) < 0)
				return rc;
	}
	/* the namespaces this snapshot did not show, and the stale ones */
	size_t k = 0;
	for (size_t i = 0; i < ctx->nmnt_holds; i++) {
		if (ctx->mnt_holds[i].seen && ctx->mnt_holds[i].ino)
			ctx->mnt_holds[k++] = ctx->mnt_holds[i];
		else
			holds_free(&ctx->mnt_holds[i].l);
	}
	ctx->nmnt_holds = k;
	if (!ctx->incremental)
		scan_mnt_holds_free(ctx);
	return 0;
}

/* One descriptor of pid's, named name in its fd directory dfd: added to l
 * when it is a namespace (on nsfs's device). 0, or -ENOMEM. */
static int hold_fd(struct hold_list *l, int dfd, const char *name, pid_t pid, dev_t nsfs)
{
	char target[64];
	struct stat st;
	enum ns_type t;
	ino_t ino;
	ssize_t n;

	if (name[0] < '0' || name[0] > '9')
		return 0;
	if (fstatat(dfd, name, &st, 0) < 0 || st.st_dev != nsfs)
		return 0;
	n = readlinkat(dfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	/* opened through a bind mount, the link reads as its path: the type
	 * is then the kernel's to say */
	if (!nsfs_name_parse(target, &t, &ino))
		t = NS_NTYPES;
	else if (ino != st.st_ino)
		return 0;
	return hold_add(l, t, st.st_ino, pid, NULL, atoi(name));
}

/* One process's descriptors that are namespaces. The directory is read with
 * getdents64 on the descriptor openat gave: readdir's fdopendir would add an
 * fstat and two fcntls a process. */
static int holds_of_pid(int proc_fd, pid_t pid, dev_t nsfs, struct hold_list *l)
{
	_Alignas(struct dirent64) char buf[8192];
	char path[32];
	ssize_t got;
	int dfd;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;	/* gone, or not ours to read */
	while ((got = getdents64(dfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < got;) {
			const struct dirent64 *d = (const struct dirent64 *)(buf + off);

			off += d->d_reclen;
			if (hold_fd(l, dfd, d->d_name, pid, nsfs) < 0) {
				close(dfd);
				return -ENOMEM;
			}
		}
	}
	close(dfd);
	return 0;
}

/*
 * Every descriptor of every process in /proc, a third of a snapshot's system
 * calls (a stat for each descriptor): each process's are read by the part of
 * the process scan that reads the process (scan_fd_walk_pid, scan-procs.c),
 * into a list of that part's, so the walk shares the cpus as the scan does.
 */
struct scan_fd_walk {
	int proc_fd;
	dev_t nsfs;
	struct hold_list l[SCAN_PARTS];
	int rc[SCAN_PARTS];
};

struct scan_fd_walk *scan_fd_walk_start(struct scan_ctx *ctx)
{
	struct scan_fd_walk *w;
	struct stat st;

	/* nsfs's device, from a namespace of our own */
	if (!ctx->root->live || fstatat(ctx->root->proc_fd, "self/ns/net", &st, 0) < 0 ||
	    !(w = calloc(1, sizeof(*w))))
		return NULL;
	w->proc_fd = ctx->root->proc_fd;
	w->nsfs = st.st_dev;
	return w;
}

void scan_fd_walk_pid(struct scan_fd_walk *w, int part, pid_t pid)
{
	if (w && part >= 0 && part < SCAN_PARTS && w->rc[part] == 0)
		w->rc[part] = holds_of_pid(w->proc_fd, pid, w->nsfs, &w->l[part]);
}

static void holds_free(struct hold_list *l);

static int cmp_fd_hold(const void *a, const void *b)
{
	const struct ns_hold *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* The parts' holds in one list, by pid and descriptor, as one walk of /proc
 * in order listed them. */
static int fd_walk_finish(struct scan_fd_walk *w, struct hold_list *l)
{
	int rc = 0;

	*l = (struct hold_list){ 0 };
	for (int k = 0; k < SCAN_PARTS; k++) {
		if (w->rc[k] < 0 && rc == 0)
			rc = w->rc[k];
		for (size_t i = 0; rc == 0 && i < w->l[k].n; i++) {
			const struct ns_hold *h = &w->l[k].h[i];
			if (hold_add(l, h->type, h->inode, h->pid, NULL, h->fd) < 0)
				rc = -ENOMEM;
		}
		holds_free(&w->l[k]);
		w->l[k] = (struct hold_list){ 0 };
	}
	if (l->n > 1)
		qsort(l->h, l->n, sizeof(*l->h), cmp_fd_hold);
	return rc;
}

/*
 * Opens what h holds, for the ioctls, as root. Threat: the mount point's
 * path is what another mount namespace (a container's) says; looked up
 * under its /proc/PID/root, a symbolic link on the way or a file mounted
 * over it could lead to any file, and opening a FIFO or device has effects.
 * So it is first opened O_PATH, and reopened for reading only when it is the
 * very namespace file the record names (nsfs's device, that inode).
 */
static void hold_where(const struct ns_hold *h, char *path, size_t size)
{
	if (h->path)
		snprintf(path, size, "%d/root%s", (int)h->pid, h->path);
	else
		snprintf(path, size, "%d/fd/%d", (int)h->pid, h->fd);
}

static int hold_open(const struct scan_ctx *ctx, const struct ns_hold *h, dev_t nsfs)
{
	char path[PATH_MAX + 64];
	struct stat st;
	int pfd, fd;

	hold_where(h, path, sizeof(path));
	pfd = openat(ctx->root->proc_fd, path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st) < 0 || st.st_dev != nsfs || st.st_ino != h->inode) {
		close(pfd);
		return -ESTALE;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	close(pfd);
	return fd < 0 ? -errno : fd;
}

static int clone_to_type(int clone)
{
	static const struct { int clone; enum ns_type t; } map[] = {
		{ CLONE_NEWCGROUP, NS_CGROUP }, { CLONE_NEWIPC, NS_IPC },
		{ CLONE_NEWNS, NS_MNT }, { CLONE_NEWNET, NS_NET },
		{ CLONE_NEWPID, NS_PID }, { CLONE_NEWTIME, NS_TIME },
		{ CLONE_NEWUSER, NS_USER }, { CLONE_NEWUTS, NS_UTS },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].clone == clone)
			return map[i].t;
	return -1;
}

/* The type of a hold whose link did not say (NS_GET_NSTYPE); false when it
 * cannot be told. */
static bool hold_type(const struct scan_ctx *ctx, struct ns_hold *h, dev_t nsfs)
{
	int fd, t = -1;

	if (h->type != NS_NTYPES)
		return true;
	if ((fd = hold_open(ctx, h, nsfs)) < 0)
		return false;
	t = clone_to_type(ioctl(fd, NS_GET_NSTYPE));
	close(fd);
	if (t < 0)
		return false;
	h->type = (enum ns_type)t;
	return true;
}

static ino_t rel_ino(int fd, unsigned long req, int *relfd)
{
	struct stat st;
	int rel = ioctl(fd, req);

	if (rel < 0)
		return 0;
	if (fstat(rel, &st) < 0) {
		close(rel);
		return 0;
	}
	if (relfd)
		*relfd = rel;
	else
		close(rel);
	return st.st_ino;
}

/* The uid that created the namespace's owner (the user namespace itself for
 * one); -1 when the kernel will not say. */
static uid_t owner_uid(int fd, enum ns_type t)
{
	uid_t uid;
	int own = -1;

	if (t == NS_USER)
		return ioctl(fd, NS_GET_OWNER_UID, &uid) == 0 ? uid : (uid_t)-1;
	if (!rel_ino(fd, NS_GET_USERNS, &own))
		return (uid_t)-1;
	if (ioctl(own, NS_GET_OWNER_UID, &uid) < 0)
		uid = (uid_t)-1;
	close(own);
	return uid;
}

/* Our net namespace's id for the one fd is (RTM_GETNSID), as ip link shows
 * link-netnsid; SCAN_NETNSID_UNKNOWN when netlink will not say. */
static int netnsid_of(int nl, int fd)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct rtattr a;
		int32_t fd;
	} req;
	char res[256];
	ssize_t n;

	if (nl < 0)
		return SCAN_NETNSID_UNKNOWN;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.g.rtgen_family = AF_UNSPEC;
	req.a.rta_type = NETNSA_FD;
	req.a.rta_len = RTA_LENGTH(sizeof(int32_t));
	req.fd = fd;
	if (send(nl, &req, sizeof(req), 0) < 0)
		return SCAN_NETNSID_UNKNOWN;
	n = recv(nl, res, sizeof(res), 0);
	struct nlmsghdr *nh = (struct nlmsghdr *)res;
	if (n < 0 || !NLMSG_OK(nh, (size_t)n) || nh->nlmsg_type != RTM_NEWNSID)
		return SCAN_NETNSID_UNKNOWN;
	int len = (int)NLMSG_PAYLOAD(nh, sizeof(struct rtgenmsg));
	for (struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(nh) +
						  NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == NETNSA_NSID && RTA_PAYLOAD(a) >= sizeof(int32_t))
			return *(int32_t *)RTA_DATA(a);
	return SCAN_NETNSID_UNKNOWN;
}

static int name_add(struct scan_ns *ns, const char *path)
{
	for (size_t i = 0; i < ns->nnames; i++)
		if (strcmp(ns->names[i], path) == 0)
			return 0;
	char **nn = realloc(ns->names, (ns->nnames + 1) * sizeof(*nn));
	if (!nn)
		return -ENOMEM;
	ns->names = nn;
	if (!(nn[ns->nnames] = strdup(path)))
		return -ENOMEM;
	ns->nnames++;
	return 0;
}

static int cmp_ns(const void *a, const void *b)
{
	const struct scan_ns *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* A namespace no process is in, from its first hold. */
static int add_held(struct scan_ctx *ctx, struct snapshot *s, const struct ns_hold *h,
		    dev_t nsfs)
{
	struct scan_ns *nn = realloc(s->ns, (s->nns + 1) * sizeof(*nn));
	if (!nn)
		return -ENOMEM;
	s->ns = nn;
	struct scan_ns *ns = &s->ns[s->nns++];
	memset(ns, 0, sizeof(*ns));
	ns->type = h->type;
	ns->inode = h->inode;
	ns->owner_uid = (uid_t)-1;
	ns->netnsid = SCAN_NETNSID_UNKNOWN;
	char at[PATH_MAX + 64];
	hold_where(h, at, sizeof(at));
	if (!(ns->held_at = strdup(at)))
		return -ENOMEM;
	int fd = hold_open(ctx, h, nsfs);
	if (fd >= 0) {
		if (h->type == NS_USER || h->type == NS_PID)
			ns->parent = rel_ino(fd, NS_GET_PARENT, NULL);
		ns->owner = rel_ino(fd, NS_GET_USERNS, NULL);
		ns->owner_uid = owner_uid(fd, h->type);
		close(fd);
	}
	return 0;
}

static void holds_free(struct hold_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->h[i].path);
	free(l->h);
}

void scan_fd_walk_free(struct scan_fd_walk *w)
{
	struct hold_list l;

	if (!w)
		return;
	fd_walk_finish(w, &l);
	holds_free(&l);
	free(w);
}

/* The walk's descriptors after the mounts (a namespace's first hold is the
 * place it is said to be held at): those of the snapshot's processes, the
 * walk having seen every process. */
static int holds_append_fds(struct hold_list *l, const struct hold_list *fdl,
			    const struct snapshot *s)
{
	for (size_t i = 0; i < fdl->n; i++) {
		const struct ns_hold *h = &fdl->h[i];

		if (snapshot_find_proc(s, h->pid) &&
		    hold_add(l, h->type, h->inode, h->pid, NULL, h->fd) < 0)
			return -ENOMEM;
	}
	return 0;
}

int scan_held_namespaces(struct scan_ctx *ctx, struct snapshot *s, struct scan_fd_walk **fds)
{
	struct hold_list l = { 0 }, fdl = { 0 };
	struct stat st;
	size_t nproc_ns = s->nns;
	int rc = 0, nl = -1;

	if (*fds) {
		rc = fd_walk_finish(*fds, &fdl);
		free(*fds);
		*fds = NULL;
		if (rc < 0)
			goto out;
	}
	if (!ctx->root->live)
		goto out;
	/* nsfs's device, from a namespace of our own */
	if (fstatat(ctx->root->proc_fd, "self/ns/net", &st, 0) < 0)
		goto out;
	dev_t nsfs = st.st_dev;
	if ((rc = holds_from_mounts(ctx, s, &l)) < 0 || (rc = holds_append_fds(&l, &fdl, s)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		struct ns_hold *h = &l.h[i];
		struct scan_ns *ns = NULL;

		if (!hold_type(ctx, h, nsfs))
			continue;

		/* s->ns is sorted up to nproc_ns; the ones added after are few */
		for (size_t k = nproc_ns; k < s->nns && !ns; k++)
			if (s->ns[k].type == h->type && s->ns[k].inode == h->inode)
				ns = &s->ns[k];
		if (!ns) {
			struct scan_ns key = { .type = h->type, .inode = h->inode };
			ns = nproc_ns ? bsearch(&key, s->ns, nproc_ns, sizeof(key), cmp_ns) : NULL;
		}
		if (!ns) {
			if ((rc = add_held(ctx, s, h, nsfs)) < 0)
				goto out;
			ns = &s->ns[s->nns - 1];
		}
		if (h->path)
			rc = name_add(ns, h->path);
		else
			ns->held_fd = true;
		if (rc < 0)
			goto out;
	}
	if (s->nns > nproc_ns)
		qsort(s->ns, s->nns, sizeof(*s->ns), cmp_ns);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	for (size_t i = 0; nl >= 0 && i < s->nns; i++) {
		struct scan_ns *ns = &s->ns[i];
		char path[32];
		int fd = -1;

		if (ns->type != NS_NET)
			continue;
		if (ns->nprocs) {
			snprintf(path, sizeof(path), "%d/ns/net", (int)ns->first);
			fd = openat(ctx->root->proc_fd, path, O_RDONLY | O_CLOEXEC);
		}
		for (size_t k = 0; fd < 0 && k < l.n; k++)
			if (l.h[k].type == NS_NET && l.h[k].inode == ns->inode)
				fd = hold_open(ctx, &l.h[k], nsfs);
		if (fd < 0)
			continue;
		ns->netnsid = netnsid_of(nl, fd);
		close(fd);
	}
	rc = 0;
out:
	if (nl >= 0)
		close(nl);
	holds_free(&fdl);
	holds_free(&l);
	return rc;
}
