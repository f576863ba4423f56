/*
 * Isolation: reading a process's facts from the kernel's files, and the
 * host's own namespaces and root to compare them with. Everything read
 * here about a container is its data, never trusted: paths inside it are
 * resolved inside its root (RESOLVE_IN_ROOT), never followed onto ours.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nstop/grow.h"
#include "nstop/iso.h"
#include "nstop/mountinfo.h"
#include "nstop/ns.h"
#include "nstop/procstat.h"
#include "nstop/scan.h"

struct iso_entry {
	pid_t pid;
	unsigned long long start_tics;
	unsigned long gen;
	bool ok;
	struct iso_facts f;
};

struct iso_mnt_entry {
	ino_t ino;
	unsigned long gen;
	struct iso_mnt m;
};

#define ISO_DEV_SLOTS 1024

struct iso_ctx {
	const struct nst_root *root;
	unsigned host_known;
	ino_t host_ino[NS_NTYPES];
	char host_dev[32];
	char host_root[256];
	unsigned long gen;
	unsigned max_age;
	struct iso_entry *e;	/* ascending pid */
	size_t n, cap;
	struct iso_mnt_entry *mnts;
	size_t nmnts, mntcap;
	/* Per cgroup directory, what its devices controller allows, for this
	 * generation: a cgroup's processes share it (open addressing). */
	struct iso_dev_slot {
		char *dir;
		enum iso_devices d;
	} devs[ISO_DEV_SLOTS];
	size_t ndevs;
	bool no_lsm;
	/* Per user namespace, for this generation: its uid_map's answer, which
	 * each of its processes would read again. */
	struct iso_uid_entry {
		ino_t ino;
		long long outside;
		bool unmapped;
	} *uids;
	size_t nuids, uidcap;
};

/*
 * The kernel's fixed inode numbers of the initial namespaces
 * (include/linux/proc_ns.h): ipc, uts, user, pid, cgroup and time have had
 * theirs for long; net and mnt only since 6.x, so they are used only when
 * kthreadd could not be read and then only as a fallback.
 */
static const ino_t fixed_ino[NS_NTYPES] = {
	[NS_IPC] = 0xEFFFFFFFU, [NS_UTS] = 0xEFFFFFFEU, [NS_USER] = 0xEFFFFFFDU,
	[NS_PID] = 0xEFFFFFFCU, [NS_CGROUP] = 0xEFFFFFFBU, [NS_TIME] = 0xEFFFFFFAU,
};

/* Is pid 2 in our view kthreadd, the kernel's thread that starts every
 * other (PF_KTHREAD set, parent 0)? In a pid namespace of our own it is
 * someone else's process, whose namespaces prove nothing. */
static bool is_kthreadd(int proc_fd)
{
	struct nst_stat st;

	return nst_stat_read(proc_fd, "2/stat", &st) >= 9 && strcmp(st.comm, "kthreadd") == 0 &&
	       st.ppid == 0 && nst_stat_kthread(&st);
}

/* The host's initial namespaces: kthreadd's, as every kernel thread lives
 * in the initial nsproxy; else the fixed numbers. */
static void host_namespaces(struct iso_ctx *ctx)
{
	int fd = -1;

	if (is_kthreadd(ctx->root->proc_fd))
		fd = openat(ctx->root->proc_fd, "2", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int t = 0; t < NS_NTYPES; t++) {
		ino_t ino = fd >= 0 ? ns_read(fd, (enum ns_type)t) : 0;
		if (!ino)
			ino = fixed_ino[t];
		if (ino) {
			ctx->host_ino[t] = ino;
			ctx->host_known |= 1u << t;
		}
	}
	if (fd >= 0)
		close(fd);
}

struct root_find {
	char *dev, *root;
	size_t dsize, rsize;
};

static int root_mount(const struct mi_entry *e, void *arg)
{
	struct root_find *r = arg;

	if (strcmp(e->mount, "/") == 0 && e->dev) {
		snprintf(r->dev, r->dsize, "%s", e->dev);
		snprintf(r->root, r->rsize, "%s", e->root);
	}
	return 0;
}

/* The host's / mount: the last one on "/" in the initial mount namespace
 * (kthreadd's mountinfo), else in our own. */
static int host_root(struct iso_ctx *ctx)
{
	static const char *const from[] = { "2/mountinfo", "self/mountinfo" };
	struct root_find r = { ctx->host_dev, ctx->host_root, sizeof(ctx->host_dev),
			       sizeof(ctx->host_root) };

	for (size_t i = 0; i < 2; i++) {
		char *buf = NULL;
		if (i == 0 && !is_kthreadd(ctx->root->proc_fd))
			continue;
		if (nst_slurp_at(ctx->root->proc_fd, from[i], &buf) < 0)
			continue;
		mi_foreach(buf, root_mount, &r);
		free(buf);
		if (ctx->host_dev[0])
			return 0;
	}
	return -ENOENT;
}

int iso_ctx_new(const struct nst_root *root, struct iso_ctx **out,
		struct nst_err *err)
{
	struct iso_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return nst_err_sys(err, ENOMEM, "isolation");
	ctx->root = root;
	host_namespaces(ctx);
	host_root(ctx);
	if (!ctx->host_known && !ctx->host_dev[0]) {
		free(ctx);
		return nst_err_set(err, ENOENT, "isolation: neither the host's namespaces nor its root can be read");
	}
	*out = ctx;
	return 0;
}

static void devs_forget(struct iso_ctx *ctx)
{
	for (size_t i = 0; ctx->ndevs && i < ISO_DEV_SLOTS; i++) {
		free(ctx->devs[i].dir);
		ctx->devs[i].dir = NULL;
	}
	ctx->ndevs = 0;
}

void iso_ctx_free(struct iso_ctx *ctx)
{
	if (!ctx)
		return;
	devs_forget(ctx);
	free(ctx->e);
	free(ctx->mnts);
	free(ctx->uids);
	free(ctx);
}

unsigned iso_ctx_host_ns(const struct iso_ctx *ctx, ino_t ino[8])
{
	memcpy(ino, ctx->host_ino, sizeof(ctx->host_ino));
	return ctx->host_known;
}

void iso_ctx_begin(struct iso_ctx *ctx, unsigned max_age)
{
	size_t k = 0;

	ctx->gen++;
	ctx->max_age = max_age;
	devs_forget(ctx);
	ctx->nuids = 0;
	/* Forget the processes not looked at lately. */
	for (size_t i = 0; i < ctx->n; i++)
		if (ctx->gen - ctx->e[i].gen <= 32)
			ctx->e[k++] = ctx->e[i];
	ctx->n = k;
	k = 0;
	for (size_t i = 0; i < ctx->nmnts; i++)
		if (ctx->gen - ctx->mnts[i].gen <= max_age)
			ctx->mnts[k++] = ctx->mnts[i];
	ctx->nmnts = k;
}

/* ---- one process -------------------------------------------------------- */

/* Opens path inside the process's root, resolved as the process would:
 * its symlinks cannot lead onto our own files. */
static int stat_in_root(int rootfd, const char *path, struct stat *st)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	int rc;

	if (fd < 0)
		return -errno;
	rc = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

/* Where engines put their API sockets. */
static const char *const socket_paths[] = {
	"/run/docker.sock", "/var/run/docker.sock",
	"/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
	"/run/podman/podman.sock", "/var/run/podman/podman.sock",
	"/run/crio/crio.sock", "/var/run/crio/crio.sock",
	"/run/cri-dockerd.sock", "/var/run/cri-dockerd.sock",
	"/run/dockershim.sock", "/run/k3s/containerd/containerd.sock",
};

/* A socket by name in mountinfo must be a socket; else one of the known
 * paths that is one. */
static void find_socket(int pid_fd, struct iso_mnt *m)
{
	struct stat st;
	int rootfd = openat(pid_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0) {
		m->socket[0] = '\0';
		return;
	}
	if (m->socket[0] && (stat_in_root(rootfd, m->socket, &st) < 0 || !S_ISSOCK(st.st_mode)))
		m->socket[0] = '\0';
	for (size_t i = 0; !m->socket[0] && i < sizeof(socket_paths) / sizeof(socket_paths[0]); i++)
		if (stat_in_root(rootfd, socket_paths[i], &st) == 0 && S_ISSOCK(st.st_mode))
			snprintf(m->socket, sizeof(m->socket), "%s", socket_paths[i]);
	close(rootfd);
}

static const struct iso_mnt *mnt_facts(struct iso_ctx *ctx, int pid_fd, ino_t ino)
{
	struct iso_mnt m;
	char *buf = NULL;

	for (size_t i = 0; ino && i < ctx->nmnts; i++)
		if (ctx->mnts[i].ino == ino)
			return &ctx->mnts[i].m;
	if (nst_slurp_at(pid_fd, "mountinfo", &buf) < 0)
		return NULL;
	iso_parse_mountinfo(buf, ctx->host_dev, ctx->host_root, &m);
	free(buf);
	find_socket(pid_fd, &m);
	struct iso_mnt_entry *v = nst_grow(ctx->mnts, ctx->nmnts, &ctx->mntcap, sizeof(*v), 16);
	if (!v)
		return NULL;
	ctx->mnts = v;
	ctx->mnts[ctx->nmnts] = (struct iso_mnt_entry){ ino, ctx->gen, m };
	/* A process whose namespace is unknown is not shared by a later one. */
	if (!ino)
		ctx->mnts[ctx->nmnts].ino = (ino_t)-1;
	return &ctx->mnts[ctx->nmnts++].m;
}

static int hier_with(const struct snapshot *s, const char *controller)
{
	for (int h = 0; h < s->layout.n; h++) {
		const char *c = s->layout.h[h].controllers;
		size_t n = strlen(controller);
		if (s->layout.h[h].v2)
			continue;
		for (const char *q = c; (q = strstr(q, controller)); q += n)
			if ((q == c || q[-1] == ',') && (q[n] == '\0' || q[n] == ','))
				return h;
	}
	return -1;
}

/* v2: does any device program act on the cgroup (its own or inherited)?
 * Needs CAP_SYS_ADMIN; the rules of a program are not read. */
static enum iso_devices devices_v2(int dirfd)
{
	union bpf_attr attr;
	__u32 ids[64];

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (__u32)dirfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.query_flags = BPF_F_QUERY_EFFECTIVE;
	attr.query.prog_ids = (__u64)(unsigned long)ids;
	attr.query.prog_cnt = 64;
	if (syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0)
		return errno == ENOSPC ? ISO_DEV_BPF : ISO_DEV_UNKNOWN;
	return attr.query.prog_cnt ? ISO_DEV_BPF : ISO_DEV_ALL;
}

/* v1: its devices.list; v2: the device programs on the directory. */
static enum iso_devices devices_read(const struct iso_ctx *ctx, bool v2, const char *dir)
{
	char path[CG_PATH_MAX + 32], buf[8192];
	enum iso_devices d = ISO_DEV_UNKNOWN;

	if (!v2) {
		if (snprintf(path, sizeof(path), "%s/devices.list", dir) >= (int)sizeof(path))
			return ISO_DEV_UNKNOWN;
		if (nst_read_at(ctx->root->cg_fd, path, buf, sizeof(buf)) < 0)
			return ISO_DEV_UNKNOWN;
		return iso_parse_devices_list(buf) ? ISO_DEV_ALL : ISO_DEV_LIST;
	}
	int fd = openat(ctx->root->cg_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		d = devices_v2(fd);
		close(fd);
	}
	return d;
}

static enum iso_devices devices_of(struct iso_ctx *ctx, const struct snapshot *s,
				   const struct scan_proc *p)
{
	char dir[CG_PATH_MAX + 32];
	int h = hier_with(s, "devices");
	uint64_t hash = 1469598103934665603ULL;
	size_t slot;
	enum iso_devices d;

	if (h >= 0) {
		if (!p->cg[h].path || cg_dir_of(&s->layout.h[h], p->cg[h].path, dir, sizeof(dir)) < 0)
			return ISO_DEV_UNKNOWN;
	} else {
		for (h = 0; h < s->layout.n; h++)
			if (s->layout.h[h].v2)
				break;
		if (h == s->layout.n || !ctx->root->live || !p->cg[h].path ||
		    cg_dir_of(&s->layout.h[h], p->cg[h].path, dir, sizeof(dir)) < 0)
			return ISO_DEV_UNKNOWN;
	}
	for (const char *c = dir; *c; c++)
		hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
	slot = (size_t)(hash % ISO_DEV_SLOTS);
	while (ctx->devs[slot].dir && strcmp(ctx->devs[slot].dir, dir) != 0)
		slot = (slot + 1) % ISO_DEV_SLOTS;
	if (ctx->devs[slot].dir)
		return ctx->devs[slot].d;
	d = devices_read(ctx, s->layout.h[h].v2, dir);
	/* three quarters full at most, so that a probe ends */
	if (ctx->ndevs < ISO_DEV_SLOTS / 4 * 3) {
		if ((ctx->devs[slot].dir = strdup(dir))) {
			ctx->devs[slot].d = d;
			ctx->ndevs++;
		}
	}
	return d;
}

static void read_lsm(struct iso_ctx *ctx, pid_t pid, struct iso_facts *f)
{
	char buf[sizeof(f->lsm)], path[48];
	long n;

	/* EINVAL: no LSM gives a label, to any process of this kernel; the
	 * other processes' files are not opened to be told so again. */
	if (ctx->no_lsm)
		return;
	snprintf(path, sizeof(path), "%d/attr/current", (int)pid);
	n = nst_read_at(ctx->root->proc_fd, path, buf, sizeof(buf));
	if (n == -EINVAL)
		ctx->no_lsm = true;
	if (n <= 0)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		buf[--n] = '\0';
	for (long i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	snprintf(f->lsm, sizeof(f->lsm), "%s", buf);
	f->lsm_known = n > 0;
}

/* The process's /proc directory, opened the first time a file needs it:
 * status and attr/current are read by path, and most processes need no
 * more (their namespaces known, their mount namespace's facts cached), so
 * the open and close of a directory per process are spared. */
static int pid_dir(const struct iso_ctx *ctx, pid_t pid, int *fd)
{
	char name[32];

	if (*fd < 0) {
		snprintf(name, sizeof(name), "%d", (int)pid);
		*fd = openat(ctx->root->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	return *fd;
}

/* Whom root inside p's user namespace is outside: read from the first of
 * its processes looked at in this generation, taken for the others. */
static void root_outside(struct iso_ctx *ctx, const struct scan_proc *p, int *fd,
			 struct iso_facts *f)
{
	ino_t ino = p->ns[NS_USER];
	struct iso_uid_entry *u;
	char buf[4096];
	long long outside;
	bool identity;

	for (size_t i = 0; ino && i < ctx->nuids; i++)
		if (ctx->uids[i].ino == ino) {
			f->root_outside = ctx->uids[i].unmapped ? -1 : ctx->uids[i].outside;
			f->root_unmapped = ctx->uids[i].unmapped;
			return;
		}
	if (pid_dir(ctx, p->pid, fd) < 0 || nst_read_at(*fd, "uid_map", buf, sizeof(buf)) < 0)
		return;
	if (iso_parse_uid_map(buf, &outside, &identity) == 0)
		f->root_outside = outside;
	else
		f->root_unmapped = true;
	if (!ino)
		return;
	if (ctx->nuids == ctx->uidcap) {
		size_t cap = ctx->uidcap ? ctx->uidcap * 2 : 16;
		u = realloc(ctx->uids, cap * sizeof(*u));
		if (!u)
			return;	/* read again for the next one */
		ctx->uids = u;
		ctx->uidcap = cap;
	}
	ctx->uids[ctx->nuids++] = (struct iso_uid_entry){ ino, f->root_outside, f->root_unmapped };
}

static const struct iso_mnt *mnt_cached(const struct iso_ctx *ctx, ino_t ino)
{
	for (size_t i = 0; ino && i < ctx->nmnts; i++)
		if (ctx->mnts[i].ino == ino)
			return &ctx->mnts[i].m;
	return NULL;
}

int iso_read(struct iso_ctx *ctx, const struct snapshot *s,
	     const struct scan_proc *p, struct iso_facts *f, struct nst_err *err)
{
	char path[48], buf[4096];
	const struct iso_mnt *m;
	int fd = -1;
	long n;

	memset(f, 0, sizeof(*f));
	f->pid = p->pid;
	snprintf(f->comm, sizeof(f->comm), "%s", p->comm);
	f->no_new_privs = f->seccomp = f->seccomp_filters = -1;
	f->root_outside = -1;
	if (p->status_known) {
		iso_status_set(f, &p->status);	/* the scan read status */
	} else {
		snprintf(path, sizeof(path), "%d/status", (int)p->pid);
		n = nst_read_at(ctx->root->proc_fd, path, buf, sizeof(buf));
		/* gone, when its directory cannot be opened either */
		if ((n == -ENOENT || n == -ESRCH) && pid_dir(ctx, p->pid, &fd) < 0)
			return nst_err_sys(err, errno, "/proc/%d", (int)p->pid);
		if (n > 0)
			iso_parse_status(buf, f);
	}
	read_lsm(ctx, p->pid, f);
	for (int t = 0; t < NS_NTYPES; t++) {
		ino_t ino = p->ns[t];
		if (!ino && pid_dir(ctx, p->pid, &fd) >= 0)
			ino = ns_read(fd, (enum ns_type)t);
		if (!ino || !(ctx->host_known & (1u << t)))
			continue;
		f->ns_known |= 1u << t;
		if (ino == ctx->host_ino[t])
			f->host_ns |= 1u << t;
	}
	if ((f->ns_known & (1u << NS_USER)) && !(f->host_ns & (1u << NS_USER)))
		root_outside(ctx, p, &fd, f);
	if (ctx->host_dev[0]) {
		m = mnt_cached(ctx, p->ns[NS_MNT]);
		if (!m && pid_dir(ctx, p->pid, &fd) >= 0)
			m = mnt_facts(ctx, fd, p->ns[NS_MNT]);
		if (m)
			f->mnt = *m;
	}
	f->devices = devices_of(ctx, s, p);
	if (fd >= 0)
		close(fd);
	if (!f->status_known && !f->ns_known)
		return nst_err_set(err, ESRCH, "/proc/%d: unreadable or gone", (int)p->pid);
	iso_expose(f);
	return 0;
}

static int cmp_pid(const void *key, const void *elem)
{
	pid_t a = *(const pid_t *)key, b = ((const struct iso_entry *)elem)->pid;
	return (a > b) - (a < b);
}

const struct iso_facts *iso_proc(struct iso_ctx *ctx, const struct snapshot *s,
				 const struct scan_proc *p)
{
	struct iso_entry *e = ctx->n ? bsearch(&p->pid, ctx->e, ctx->n, sizeof(*ctx->e), cmp_pid) : NULL;
	struct nst_err err;

	if (!e) {
		size_t at = 0, hi = ctx->n;
		/* where it goes: a scan asks in ascending pid order, so a walk
		 * from the start made a snapshot quadratic in its processes */
		while (at < hi) {
			size_t mid = at + (hi - at) / 2;
			if (ctx->e[mid].pid < p->pid)
				at = mid + 1;
			else
				hi = mid;
		}
		struct iso_entry *v = nst_grow(ctx->e, ctx->n, &ctx->cap, sizeof(*v), 256);
		if (!v)
			return NULL;
		ctx->e = v;
		memmove(&ctx->e[at + 1], &ctx->e[at], (ctx->n - at) * sizeof(*ctx->e));
		ctx->n++;
		e = &ctx->e[at];
		memset(e, 0, sizeof(*e));
		e->pid = p->pid;
		e->gen = ctx->gen - ctx->max_age - 1;
	}
	if (e->start_tics != p->start_tics || ctx->gen - e->gen > ctx->max_age) {
		e->start_tics = p->start_tics;
		e->gen = ctx->gen;
		e->ok = iso_read(ctx, s, p, &e->f, &err) == 0;
	}
	return e->ok ? &e->f : NULL;
}
