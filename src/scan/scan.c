#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "nstop/cgns.h"
#include "nstop/engine-scan.h"
#include "nstop/scan.h"

/*
 * What the previous snapshot knew of a process. A process's namespaces, user
 * and command line change only when the process itself runs (setns, unshare,
 * setuid, exec), so for one that has not run since, they are taken from here
 * instead of being read again: at thousands of sleeping processes, the eight
 * ns links, status and cmdline are most of a scan's cost.
 */
struct prev_proc {
	pid_t pid;
	unsigned long long start_tics, tics;
	/* What stat said, for a process whose schedstat did not move. */
	char comm[64];
	char state;
	pid_t ppid;
	long long rss_bytes;
	long nthreads;
	unsigned long long run_ns;
	bool known;		/* the fields below were read */
	uid_t uid;
	char user[33];
	char *cmdline;
	ino_t ns[NS_NTYPES];
	char *cg[CG_MAX_HIER];	/* host paths, NULL unknown */
};

/* A process that ran for less than a clock tick shows no new tics: every
 * process is read in full at least once in this many snapshots anyway
 * (a different tenth of them each time). */
#define SCAN_FULL_EVERY 10
/* A single-threaded process whose schedstat did not move has not run at all:
 * nothing of this can have changed, and the periodic read is a safety net. */
#define SCAN_IDLE_EVERY 60
/* Another process can move a sleeping one to another cgroup: its cgroup file
 * is read at least once in this many snapshots (a third of them each time). */
#define SCAN_CG_EVERY 3

static void prev_clear(struct prev_proc *c)
{
	free(c->cmdline);
	for (int h = 0; h < CG_MAX_HIER; h++)
		free(c->cg[h]);
}

struct prev_cg {
	int hier;
	char *path;
	long long usage_usec;
};

/*
 * A process's stat, schedstat and cgroup files, kept open across incremental
 * snapshots (the fds are bounded by RLIMIT_NOFILE): a read at
 * offset 0 makes proc generate the file again, so each refresh costs one
 * pread instead of open, read and close. An fd stays with the process it was
 * opened for: once that one is gone, the read fails (ESRCH) and a process
 * that reused the pid is opened anew.
 */
struct proc_fds {
	pid_t pid;
	int stat_fd;		/* -1: not open */
	int cg_fd;
	int sched_fd;
};

/* A namespace's parent and owner do not change while it exists. */
struct ns_rel {
	enum ns_type type;
	ino_t inode, parent, owner;
};

/* A cgroup as the last walk of the hierarchies found it. */
struct tree_ent {
	int hier;
	int depth;
	char *path;
};

/* The hierarchies are walked at least once in this many incremental
 * snapshots when the cgroups' own files are not read. */
#define SCAN_TREE_EVERY 5
/* fds left to the rest of the program when the files above are kept open. */
#define SCAN_FD_RESERVE 256

struct scan_ctx {
	const struct nst_root *root;
	struct eng_state *eng;		/* every engine's containers, between snapshots */
	struct cg_layout layout;
	struct cgns_cache cgns;
	ino_t own_cgns;
	long hz;
	long pagesize;
	struct pids_info *pids;		/* libproc2, live roots only */
	unsigned long nsnap;		/* snapshots taken */

	bool have_prev;
	double prev_time;
	double prev_cg_time;		/* when prev_cg was read: stats may skip snapshots */
	struct prev_proc *prev;
	size_t nprev;
	struct prev_cg *prev_cg;
	size_t nprev_cg;

	bool incremental;		/* this snapshot's opts->incremental */
	struct proc_fds *fds;		/* ascending pid */
	size_t nfds, fds_cap;
	struct proc_fds *new_fds;	/* being filled by this snapshot */
	size_t nnew_fds, new_fds_cap;
	size_t nopen, max_open;		/* fds kept open, and the most that may be */
	bool fd_limit_set;
	struct ns_rel *nsrel;		/* by type, then inode */
	size_t nnsrel;
	struct tree_ent *tree;
	size_t ntree;
	unsigned long tree_snap;	/* nsnap of the walk tree[] came from */
};

/* What libproc2 is asked for; the enum order is the stack's order. */
enum proc_item {
	I_PID, I_PPID, I_EUID, I_EUSER, I_CMD, I_CMDLINE, I_STATE, I_TICS,
	I_BEGAN, I_RSS,
};
static enum pids_item proc_items[] = {
	[I_PID] = PIDS_ID_PID, [I_PPID] = PIDS_ID_PPID, [I_EUID] = PIDS_ID_EUID,
	[I_EUSER] = PIDS_ID_EUSER, [I_CMD] = PIDS_CMD, [I_CMDLINE] = PIDS_CMDLINE,
	[I_STATE] = PIDS_STATE, [I_TICS] = PIDS_TICS_ALL, [I_BEGAN] = PIDS_TICS_BEGAN,
	[I_RSS] = PIDS_RSS,
};
#define N_PROC_ITEMS ((int)(sizeof(proc_items) / sizeof(proc_items[0])))

static void tree_clear(struct scan_ctx *ctx);


int scan_ctx_new(const struct nst_root *root, struct scan_ctx **out,
		 struct nst_err *err)
{
	struct scan_ctx *ctx = calloc(1, sizeof(*ctx));
	int fd, rc;

	*out = NULL;
	if (!ctx)
		return nst_err_sys(err, ENOMEM, "scan");
	ctx->root = root;
	ctx->hz = sysconf(_SC_CLK_TCK);
	ctx->pagesize = sysconf(_SC_PAGESIZE);
	rc = cg_layout_discover(root, &ctx->layout, err);
	if (rc < 0)
		goto fail;
	fd = openat(root->proc_fd, "self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = nst_err_sys(err, errno, "opening self in the proc root");
		goto fail;
	}
	ctx->own_cgns = ns_read(fd, NS_CGROUP);
	close(fd);
	/* nstop's own namespace shows paths as they are: its root is "/". */
	if (ctx->own_cgns) {
		struct cgns_entry *e = cgns_cache_add(&ctx->cgns, ctx->own_cgns);
		if (!e) {
			rc = nst_err_sys(err, ENOMEM, "scan");
			goto fail;
		}
		for (int h = 0; h < ctx->layout.n; h++)
			if (!(e->root[h] = strdup("/"))) {
				rc = nst_err_sys(err, ENOMEM, "scan");
				goto fail;
			}
	}
	if (root->live) {
		rc = procps_pids_new(&ctx->pids, proc_items, N_PROC_ITEMS);
		if (rc < 0) {
			rc = nst_err_sys(err, -rc, "libproc2");
			goto fail;
		}
	}
	*out = ctx;
	return 0;
fail:
	scan_ctx_free(ctx);
	return rc;
}

void scan_ctx_free(struct scan_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->pids)
		procps_pids_unref(&ctx->pids);
	eng_state_free(ctx->eng);
	cgns_cache_clear(&ctx->cgns);
	for (size_t i = 0; i < ctx->nprev; i++)
		prev_clear(&ctx->prev[i]);
	free(ctx->prev);
	for (size_t i = 0; i < ctx->nprev_cg; i++)
		free(ctx->prev_cg[i].path);
	free(ctx->prev_cg);
	for (size_t i = 0; i < ctx->nfds; i++) {
		if (ctx->fds[i].stat_fd >= 0)
			close(ctx->fds[i].stat_fd);
		if (ctx->fds[i].cg_fd >= 0)
			close(ctx->fds[i].cg_fd);
		if (ctx->fds[i].sched_fd >= 0)
			close(ctx->fds[i].sched_fd);
	}
	free(ctx->fds);
	free(ctx->new_fds);
	free(ctx->nsrel);
	tree_clear(ctx);
	free(ctx);
}

const struct cg_layout *scan_ctx_layout(const struct scan_ctx *ctx)
{
	return &ctx->layout;
}

static void proc_clear(struct scan_proc *p)
{
	free(p->cmdline);
	for (int h = 0; h < CG_MAX_HIER; h++) {
		/* A path as a namespace rooted at "/" sees it is the path itself,
		 * shared (relative_dup()). */
		if (p->cg[h].view_path != p->cg[h].path)
			free(p->cg[h].view_path);
		if (p->cg[h].ns_path != p->cg[h].path)
			free(p->cg[h].ns_path);
		free(p->cg[h].path);
	}
}

void snapshot_free(struct snapshot *snap)
{
	if (!snap)
		return;
	for (size_t i = 0; i < snap->nprocs; i++)
		proc_clear(&snap->procs[i]);
	free(snap->procs);
	for (size_t i = 0; i < snap->nns; i++)
		free(snap->ns[i].pids);
	free(snap->ns);
	for (size_t i = 0; i < snap->ncgroups; i++) {
		free(snap->cgroups[i].path);
		if (snap->cgroups[i].view_path != snap->cgroups[i].path)
			free(snap->cgroups[i].view_path);
	}
	free(snap->cgroups);
	free(snap->containers);
	eng_ctrs_free(snap->ctrs, snap->nctrs);
	for (int h = 0; h < CG_MAX_HIER; h++)
		free(snap->view_root[h]);
	free(snap);
}

/* ---- processes ---------------------------------------------------------- */

/* Three fds a process are kept open: the soft limit goes up to the hard one,
 * once, and only for the incremental scan (a view that runs for long). */
static void fd_limit_raise(struct scan_ctx *ctx)
{
	struct rlimit rl;

	ctx->fd_limit_set = true;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit raised = { rl.rlim_max, rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			rl = raised;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1 << 20)
		rl.rlim_cur = 1 << 20;
	if (rl.rlim_cur > SCAN_FD_RESERVE)
		ctx->max_open = rl.rlim_cur - SCAN_FD_RESERVE;
}

static void fd_close(struct scan_ctx *ctx, int *fd)
{
	if (*fd < 0)
		return;
	close(*fd);
	*fd = -1;
	ctx->nopen--;
}

static int cmp_fds(const void *a, const void *b)
{
	const struct proc_fds *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The kept fds of pid, moved from the last snapshot's set to this one's. NULL
 * when not incremental or out of memory: files are then opened each time. */
static struct proc_fds *fds_take(struct scan_ctx *ctx, pid_t pid)
{
	struct proc_fds key = { .pid = pid }, *old, *e;

	if (!ctx->incremental)
		return NULL;
	if (ctx->nnew_fds == ctx->new_fds_cap) {
		size_t cap = ctx->new_fds_cap ? ctx->new_fds_cap * 2 : 1024;
		struct proc_fds *n = realloc(ctx->new_fds, cap * sizeof(*n));
		if (!n)
			return NULL;
		ctx->new_fds = n;
		ctx->new_fds_cap = cap;
	}
	e = &ctx->new_fds[ctx->nnew_fds++];
	old = ctx->nfds ? bsearch(&key, ctx->fds, ctx->nfds, sizeof(key), cmp_fds) : NULL;
	if (old) {
		*e = *old;
		old->stat_fd = old->cg_fd = old->sched_fd = -1;
	} else {
		*e = (struct proc_fds){ .pid = pid, .stat_fd = -1, .cg_fd = -1,
					.sched_fd = -1 };
	}
	return e;
}

/* The fds of processes gone since the last snapshot are closed; this one's
 * set becomes the one to take from. */
static void fds_commit(struct scan_ctx *ctx)
{
	struct proc_fds *t;
	size_t cap;

	for (size_t i = 0; i < ctx->nfds; i++) {
		fd_close(ctx, &ctx->fds[i].stat_fd);
		fd_close(ctx, &ctx->fds[i].cg_fd);
		fd_close(ctx, &ctx->fds[i].sched_fd);
	}
	/* /proc lists pids in ascending order; sorting is for the exception. */
	for (size_t i = 1; i < ctx->nnew_fds; i++)
		if (ctx->new_fds[i - 1].pid > ctx->new_fds[i].pid) {
			qsort(ctx->new_fds, ctx->nnew_fds, sizeof(*t), cmp_fds);
			break;
		}
	t = ctx->fds;
	cap = ctx->fds_cap;
	ctx->fds = ctx->new_fds;
	ctx->fds_cap = ctx->new_fds_cap;
	ctx->nfds = ctx->nnew_fds;
	ctx->new_fds = t;
	ctx->new_fds_cap = cap;
	ctx->nnew_fds = 0;
}

static struct proc_fds *fds_find(struct scan_ctx *ctx, pid_t pid)
{
	struct proc_fds key = { .pid = pid };

	if (!ctx->incremental || !ctx->nnew_fds)
		return NULL;
	return bsearch(&key, ctx->new_fds, ctx->nnew_fds, sizeof(key), cmp_fds);
}

/*
 * PID/file into buf, as nst_read_at() does; through *fdp when one is kept
 * (fdp NULL: none may be), which is opened when there is room for it.
 */
static long proc_read(struct scan_ctx *ctx, int *fdp, pid_t pid, const char *file,
		      char *buf, size_t size)
{
	char path[48];
	ssize_t n;
	int fd;

	if (fdp && *fdp >= 0) {
		do
			n = pread(*fdp, buf, size - 1, 0);
		while (n < 0 && errno == EINTR);
		if (n >= 0)
			goto got;
		/* Gone, or its pid reused: the new one, if any, by its path. */
		fd_close(ctx, fdp);
	}
	snprintf(path, sizeof(path), "%d/%s", (int)pid, file);
	if (!fdp || ctx->nopen >= ctx->max_open)
		return nst_read_at(ctx->root->proc_fd, path, buf, size);
	fd = openat(ctx->root->proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	*fdp = fd;
	ctx->nopen++;
got:
	if ((size_t)n == size - 1)
		return -EFBIG;
	buf[n] = '\0';
	return (long)n;
}

static int procs_reserve(struct snapshot *s, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need)
		ncap *= 2;
	struct scan_proc *np = realloc(s->procs, ncap * sizeof(*np));
	if (!np)
		return -ENOMEM;
	s->procs = np;
	*cap = ncap;
	return 0;
}

static void proc_init(struct scan_proc *p, pid_t pid)
{
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = -1;
	p->uid = (uid_t)-1;
	p->state = '?';
	p->rss_bytes = -1;
	p->cpu_percent = -1;
}

/* libproc2 fills an empty command line (kernel threads, zombies) with
 * "[comm]" or "-"; nstop keeps that unknown rather than invent one. */
static bool cmdline_is_placeholder(const char *cmdline, const char *comm)
{
	size_t n = strlen(comm);

	if (!cmdline || !*cmdline || strcmp(cmdline, "-") == 0)
		return true;
	return cmdline[0] == '[' && strncmp(cmdline + 1, comm, n) == 0 &&
	       cmdline[n + 1] == ']' && cmdline[n + 2] == '\0';
}

static bool is_pid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const struct prev_proc *prev_find(const struct scan_ctx *ctx, pid_t pid)
{
	size_t lo = 0, hi = ctx->nprev;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ctx->prev[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ctx->nprev && ctx->prev[lo].pid == pid ? &ctx->prev[lo] : NULL;
}

/* True when p's namespaces, user and command line may differ from what the
 * previous snapshot read: it is new, it ran, or its periodic turn came. */
static bool proc_needs_full(const struct scan_ctx *ctx, const struct scan_proc *p,
			    const struct prev_proc *c)
{
	bool idle = c && c->run_ns && c->run_ns == p->run_ns && c->nthreads == 1;

	return !ctx->incremental ||
	       !c || !c->known || c->start_tics != p->start_tics || c->tics != p->tics ||
	       p->state == 'R' || p->state == 'D' ||
	       ((unsigned long)p->pid + ctx->nsnap) %
			(idle ? SCAN_IDLE_EVERY : SCAN_FULL_EVERY) == 0;
}

/*
 * A process's stat changes only when it runs, but for what others change: its
 * parent when that one exits, its resident size when its pages are reclaimed.
 * Its schedstat (the ns its main thread ran) is much cheaper for the kernel
 * to make: when that did not move, a single-threaded process's stat is taken
 * from the last snapshot, and read again at the latest every
 * SCAN_FULL_EVERY snapshots. True when it was, with p filled.
 */
static bool stat_unchanged(const struct scan_ctx *ctx, struct scan_proc *p,
			   const struct prev_proc *c)
{
	if (!ctx->incremental || !c || !p->run_ns || c->run_ns != p->run_ns ||
	    c->nthreads != 1 || c->state == 'Z' ||
	    ((unsigned long)p->pid + ctx->nsnap) % SCAN_FULL_EVERY == 0)
		return false;
	memcpy(p->comm, c->comm, sizeof(p->comm));
	p->state = c->state;
	p->ppid = c->ppid;
	p->tics = c->tics;
	p->start_tics = c->start_tics;
	p->rss_bytes = c->rss_bytes;
	p->nthreads = c->nthreads;
	return true;
}

static int cmp_pid_index(const void *a, const void *b)
{
	const pid_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* libproc2 reuses its buffers: everything is copied out at once. */
static int full_from_libproc2(struct scan_ctx *ctx, struct snapshot *s,
			      unsigned *want, size_t nwant, bool *full,
			      struct nst_err *err)
{
	/* pid -> index, to find each selected stack's process */
	pid_t (*index)[2] = malloc((nwant ? nwant : 1) * sizeof(*index));
	size_t k = 0;

	if (!index)
		return nst_err_sys(err, ENOMEM, "scan");
	for (size_t i = 0; i < s->nprocs; i++)
		if (full[i]) {
			index[k][0] = s->procs[i].pid;
			index[k][1] = (pid_t)i;
			k++;
		}
	qsort(index, k, sizeof(*index), cmp_pid_index);
	/* libproc2 selects at most 255 pids at a time. */
	for (size_t off = 0; off < nwant; off += 255) {
		int n = nwant - off > 255 ? 255 : (int)(nwant - off);
		struct pids_fetch *f = procps_pids_select(ctx->pids, want + off, n,
							  PIDS_SELECT_PID);
		if (!f)
			continue;	/* they vanished meanwhile */
		for (int i = 0; i < f->counts->total; i++) {
			struct pids_stack *st = f->stacks[i];
			pid_t key = PIDS_VAL(I_PID, s_int, st, ctx->pids);
			pid_t (*hit)[2] = bsearch(&key, index, k, sizeof(*index), cmp_pid_index);
			struct scan_proc *p;
			const char *cmdline;

			if (!hit)
				continue;
			p = &s->procs[(*hit)[1]];
			p->uid = PIDS_VAL(I_EUID, u_int, st, ctx->pids);
			snprintf(p->user, sizeof(p->user), "%s",
				 PIDS_VAL(I_EUSER, str, st, ctx->pids));
			cmdline = PIDS_VAL(I_CMDLINE, str, st, ctx->pids);
			free(p->cmdline);
			p->cmdline = NULL;
			if (!cmdline_is_placeholder(cmdline, p->comm) &&
			    !(p->cmdline = strdup(cmdline))) {
				free(index);
				return nst_err_sys(err, ENOMEM, "scan");
			}
		}
	}
	free(index);
	return 0;
}

/*
 * One /proc/PID/stat, as libproc2 reads it: the command name (control
 * characters shown as '?'), state, ppid, utime + stime, start time and rss.
 * False when it is not one.
 */
bool scan_stat_parse(char *buf, struct scan_proc *p, long pagesize)
{
	char *open = strchr(buf, '('), *close = strrchr(buf, ')'), *f, *end;
	unsigned long long v[22];
	size_t n;

	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return false;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(p->comm))
		n = sizeof(p->comm) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)open[1 + i];
		p->comm[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	p->comm[n] = '\0';
	p->state = close[2];
	/* Fields 4 (ppid) to 24 (rss), numbered as proc(5) does. */
	f = close + 3;
	for (int i = 4; i <= 24; i++) {
		errno = 0;
		v[i - 4] = strtoull(f, &end, 10);
		if (end == f)
			return false;
		f = end;
	}
	p->ppid = (pid_t)v[4 - 4];
	p->nthreads = (long)v[20 - 4];
	p->tics = v[14 - 4] + v[15 - 4];
	p->start_tics = v[22 - 4];
	/* pages; a count no memory could hold is not made a wrapped number */
	p->rss_bytes = v[24 - 4] > (unsigned long long)(LLONG_MAX / pagesize) ? -1 :
		       (long long)v[24 - 4] * pagesize;
	return true;
}

/*
 * Every process's stat in one pass (one read each); the rest (status,
 * cmdline through libproc2 and, later, the ns links and cgroup file) only
 * for those proc_needs_full() names, the others' taken from the previous
 * snapshot. full[i] says which were read.
 */
static int procs_from_libproc2(struct scan_ctx *ctx, struct snapshot *s, bool **fullp,
			       struct nst_err *err)
{
	int fd = openat(ctx->root->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	unsigned *want = NULL;
	size_t cap = 0, nwant = 0, fcap = 0;
	bool *full = NULL;
	struct dirent *de;
	int rc = 0;

	*fullp = NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return nst_err_sys(err, errno, "reading the process table");
	}
	/* About as many as last time: no copies while the array grows. */
	if (procs_reserve(s, &cap, ctx->nprev + 64) < 0) {
		closedir(d);
		return nst_err_sys(err, ENOMEM, "scan");
	}
	while ((de = readdir(d))) {
		char buf[1024];
		struct scan_proc *p;
		const struct prev_proc *c;
		struct proc_fds *fds;
		long n;

		if (!is_pid_name(de->d_name))
			continue;
		if (procs_reserve(s, &cap, s->nprocs + 1) < 0) {
			rc = nst_err_sys(err, ENOMEM, "scan");
			goto out;
		}
		if (fcap < cap) {
			bool *nf = realloc(full, cap * sizeof(*nf));
			unsigned *nw;

			if (nf)
				full = nf;
			nw = nf ? realloc(want, cap * sizeof(*nw)) : NULL;
			if (!nw) {
				rc = nst_err_sys(err, ENOMEM, "scan");
				goto out;
			}
			want = nw;
			fcap = cap;
		}
		p = &s->procs[s->nprocs];
		proc_init(p, (pid_t)atoi(de->d_name));
		fds = fds_take(ctx, p->pid);
		c = prev_find(ctx, p->pid);
		if (fds) {
			n = proc_read(ctx, &fds->sched_fd, p->pid, "schedstat", buf,
				      sizeof(buf));
			if (n > 0)
				p->run_ns = strtoull(buf, NULL, 10);
		}
		if (!stat_unchanged(ctx, p, c)) {
			n = proc_read(ctx, fds ? &fds->stat_fd : NULL, p->pid, "stat",
				      buf, sizeof(buf));
			if (n <= 0 || !scan_stat_parse(buf, p, ctx->pagesize))
				continue;	/* vanished meanwhile */
		}
		full[s->nprocs] = proc_needs_full(ctx, p, c);
		if (full[s->nprocs]) {
			want[nwant++] = (unsigned)p->pid;
		} else {
			p->uid = c->uid;
			memcpy(p->user, c->user, sizeof(p->user));
			memcpy(p->ns, c->ns, sizeof(p->ns));
			if (c->cmdline && !(p->cmdline = strdup(c->cmdline))) {
				rc = nst_err_sys(err, ENOMEM, "scan");
				goto out;
			}
		}
		s->nprocs++;
	}
	if (nwant)
		rc = full_from_libproc2(ctx, s, want, nwant, full, err);
out:
	closedir(d);
	free(want);
	if (rc < 0) {
		free(full);
		return rc;
	}
	*fullp = full;
	return 0;
}


static int cmp_pid(const void *a, const void *b)
{
	const struct scan_proc *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A fixture tree has no libproc2: pids from the directory, and what its
 * stat and comm files say. */
static int procs_from_dir(struct scan_ctx *ctx, struct snapshot *s,
			  struct nst_err *err)
{
	int fd = openat(ctx->root->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	size_t cap = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return nst_err_sys(err, errno, "reading the proc root");
	}
	while ((de = readdir(d))) {
		char path[300], buf[1024];
		if (!is_pid_name(de->d_name))
			continue;
		if (procs_reserve(s, &cap, s->nprocs + 1) < 0) {
			closedir(d);
			return nst_err_sys(err, ENOMEM, "scan");
		}
		struct scan_proc *p = &s->procs[s->nprocs++];
		proc_init(p, (pid_t)atoi(de->d_name));
		snprintf(path, sizeof(path), "%s/comm", de->d_name);
		if (nst_read_at(ctx->root->proc_fd, path, buf, sizeof(buf)) > 0) {
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(p->comm, sizeof(p->comm), "%.63s", buf);
		}
		snprintf(path, sizeof(path), "%s/stat", de->d_name);
		char *close_paren;
		if (nst_read_at(ctx->root->proc_fd, path, buf, sizeof(buf)) > 0 &&
		    (close_paren = strrchr(buf, ')'))) {
			int ppid;
			char state;
			if (sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2) {
				p->state = state;
				p->ppid = ppid;
			}
		}
	}
	closedir(d);
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(s->procs[0]), cmp_pid);
	return 0;
}

struct cg_fill {
	const struct cg_layout *layout;
	struct scan_proc *p;
	bool nomem;
};

static int fill_cgroup(int id, const char *controllers, const char *path, void *arg)
{
	struct cg_fill *f = arg;
	int h = cg_layout_find(f->layout, id, controllers);

	if (h < 0 || f->p->cg[h].path)
		return 0;
	if (!(f->p->cg[h].path = strdup(path)))
		f->nomem = true;
	return 0;
}

/*
 * Reads the namespaces and cgroups of every process. Returns false for a
 * process that vanished meanwhile; it is dropped, not reported.
 */
static bool proc_read_links(struct scan_ctx *ctx, struct scan_proc *p, bool links,
			    bool *nomem)
{
	char path[48], buf[8192];
	struct proc_fds *fds;
	long n;

	if (ctx->incremental && !links && p->state != 'Z' &&
	    ((unsigned long)p->pid + ctx->nsnap) % SCAN_CG_EVERY != 0) {
		const struct prev_proc *c = prev_find(ctx, p->pid);
		/* It has not run, and it is not its turn: the cgroups it had. */
		if (c && c->known) {
			for (int h = 0; h < CG_MAX_HIER; h++)
				if (c->cg[h] && !(p->cg[h].path = strdup(c->cg[h])))
					*nomem = true;
			return true;
		}
	}
	/* A zombie has left its namespaces, and its cgroup shows as "/": both
	 * are unknown, not the root. */
	if (p->state == 'Z') {
		snprintf(path, sizeof(path), "%d", (int)p->pid);
		return faccessat(ctx->root->proc_fd, path, F_OK, 0) == 0;
	}
	/* The links through proc's root, not an fd of the process's directory:
	 * no open and close around them. */
	for (int t = 0; links && t < NS_NTYPES; t++) {
		char target[64];
		ssize_t len;

		snprintf(path, sizeof(path), "%d/ns/%s", (int)p->pid,
			 ns_type_name((enum ns_type)t));
		len = readlinkat(ctx->root->proc_fd, path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		p->ns[t] = ns_parse_link(target, (enum ns_type)t);
	}
	fds = fds_find(ctx, p->pid);
	n = proc_read(ctx, fds ? &fds->cg_fd : NULL, p->pid, "cgroup", buf, sizeof(buf));
	if (n == -ENOENT || n == -ESRCH)
		return false;
	if (n >= 0) {
		struct cg_fill f = { &ctx->layout, p, false };
		cg_parse_proc_cgroup(buf, fill_cgroup, &f);
		*nomem |= f.nomem;
	}
	return true;
}

static double cpu_percent(const struct scan_ctx *ctx, const struct scan_proc *p,
			  double now, double uptime)
{
	if (ctx->have_prev) {
		size_t lo = 0, hi = ctx->nprev;
		double dt = now - ctx->prev_time;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (ctx->prev[mid].pid < p->pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		unsigned long long before = 0;
		if (lo < ctx->nprev && ctx->prev[lo].pid == p->pid &&
		    ctx->prev[lo].start_tics == p->start_tics)
			before = ctx->prev[lo].tics;
		else if ((double)p->start_tics / (double)ctx->hz < uptime - dt)
			return -1;	/* pid reused in a way we cannot account */
		if (dt <= 0 || p->tics < before)
			return -1;
		return (double)(p->tics - before) / (double)ctx->hz / dt * 100.0;
	}
	double age = uptime - (double)p->start_tics / (double)ctx->hz;
	if (uptime <= 0 || age <= 0)
		return -1;
	return (double)p->tics / (double)ctx->hz / age * 100.0;
}


/* old's copy when it is the same string (moved out of old), else a new one. */
static char *keep_dup(char **old, const char *now)
{
	char *r;

	if (!now)
		return NULL;
	if (*old && strcmp(*old, now) == 0) {
		r = *old;
		*old = NULL;
		return r;
	}
	return strdup(now);
}

static void remember_procs(struct scan_ctx *ctx, const struct snapshot *s)
{
	struct prev_proc *np = malloc((s->nprocs ? s->nprocs : 1) * sizeof(*np));
	size_t j = 0;

	if (!np)
		return;
	/* Both are by pid: most strings are the ones remembered last time. */
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct scan_proc *p = &s->procs[i];
		struct prev_proc *o;

		while (j < ctx->nprev && ctx->prev[j].pid < p->pid)
			j++;
		o = j < ctx->nprev && ctx->prev[j].pid == p->pid ? &ctx->prev[j] : NULL;

		np[i].pid = p->pid;
		np[i].start_tics = p->start_tics;
		np[i].tics = p->tics;
		memcpy(np[i].comm, p->comm, sizeof(np[i].comm));
		np[i].state = p->state;
		np[i].ppid = p->ppid;
		np[i].rss_bytes = p->rss_bytes;
		np[i].nthreads = p->nthreads;
		np[i].run_ns = p->run_ns;
		np[i].uid = p->uid;
		memcpy(np[i].user, p->user, sizeof(np[i].user));
		memcpy(np[i].ns, p->ns, sizeof(np[i].ns));
		np[i].cmdline = o ? keep_dup(&o->cmdline, p->cmdline) :
			p->cmdline ? strdup(p->cmdline) : NULL;
		/* A zombie's links were not read; a copy that failed is unknown. */
		np[i].known = p->state != 'Z' && (!p->cmdline || np[i].cmdline);
		for (int h = 0; h < CG_MAX_HIER; h++) {
			np[i].cg[h] = o ? keep_dup(&o->cg[h], p->cg[h].path) :
				p->cg[h].path ? strdup(p->cg[h].path) : NULL;
			if (p->cg[h].path && !np[i].cg[h])
				np[i].known = false;
		}
	}
	for (size_t i = 0; i < ctx->nprev; i++)
		prev_clear(&ctx->prev[i]);
	free(ctx->prev);
	ctx->prev = np;
	ctx->nprev = s->nprocs;
}

/* ---- namespaces --------------------------------------------------------- */

struct ns_member {
	ino_t inode;
	pid_t pid;
};

static int cmp_member(const void *a, const void *b)
{
	const struct ns_member *x = a, *y = b;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_ns_rel(const void *a, const void *b)
{
	const struct ns_rel *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

static int group_namespaces(struct scan_ctx *ctx, struct snapshot *s)
{
	struct ns_member *m = malloc((s->nprocs ? s->nprocs : 1) * sizeof(*m));
	size_t cap = 0;

	if (!m)
		return -ENOMEM;
	for (int t = 0; t < NS_NTYPES; t++) {
		size_t n = 0;
		for (size_t i = 0; i < s->nprocs; i++)
			if (s->procs[i].ns[t]) {
				m[n].inode = s->procs[i].ns[t];
				m[n].pid = s->procs[i].pid;
				n++;
			}
		qsort(m, n, sizeof(*m), cmp_member);
		for (size_t i = 0; i < n;) {
			size_t j = i;
			while (j < n && m[j].inode == m[i].inode)
				j++;
			if (s->nns == cap) {
				cap = cap ? cap * 2 : 64;
				struct scan_ns *nn = realloc(s->ns, cap * sizeof(*nn));
				if (!nn)
					goto nomem;
				s->ns = nn;
			}
			struct scan_ns *ns = &s->ns[s->nns];
			memset(ns, 0, sizeof(*ns));
			ns->type = (enum ns_type)t;
			ns->inode = m[i].inode;
			ns->nprocs = j - i;
			ns->first = m[i].pid;
			ns->pids = malloc(ns->nprocs * sizeof(pid_t));
			if (!ns->pids)
				goto nomem;
			for (size_t k = i; k < j; k++)
				ns->pids[k - i] = m[k].pid;
			s->nns++;
			i = j;
		}
	}
	free(m);

	if (!ctx->root->live)
		return 0;
	/* Parents and owners are asked of the namespace itself, through one of
	 * its members; one that vanished meanwhile leaves them unknown. The
	 * incremental scan asks only of namespaces it has not seen before. */
	struct ns_rel *rel = ctx->incremental ?
		malloc((s->nns ? s->nns : 1) * sizeof(*rel)) : NULL;
	size_t nrel = 0;
	for (size_t i = 0; i < s->nns; i++) {
		struct scan_ns *ns = &s->ns[i];
		struct ns_rel key = { .type = ns->type, .inode = ns->inode }, *known;
		char path[32];

		known = rel && ctx->nnsrel ? bsearch(&key, ctx->nsrel, ctx->nnsrel, sizeof(key),
				      cmp_ns_rel) : NULL;
		if (known) {
			ns->parent = known->parent;
			ns->owner = known->owner;
			rel[nrel++] = *known;
			continue;
		}
		snprintf(path, sizeof(path), "%d", (int)ns->first);
		int fd = openat(ctx->root->proc_fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ns->parent = ns_parent(fd, ns->type);
		ns->owner = ns_owner(fd, ns->type);
		close(fd);
		if (rel) {
			key.parent = ns->parent;
			key.owner = ns->owner;
			rel[nrel++] = key;
		}
	}
	if (ctx->incremental || ctx->nsrel) {
		/* s->ns is by type, then inode: so is rel. */
		free(ctx->nsrel);
		ctx->nsrel = rel;
		ctx->nnsrel = nrel;
	}
	return 0;
nomem:
	free(m);
	return -ENOMEM;
}

const struct scan_ns *snapshot_find_ns(const struct snapshot *snap,
				       enum ns_type type, ino_t inode)
{
	for (size_t i = 0; i < snap->nns; i++)
		if (snap->ns[i].type == type && snap->ns[i].inode == inode)
			return &snap->ns[i];
	return NULL;
}

const struct scan_proc *snapshot_find_proc(const struct snapshot *snap, pid_t pid)
{
	struct scan_proc key = { .pid = pid };

	return bsearch(&key, snap->procs, snap->nprocs, sizeof(key), cmp_pid);
}

/* ---- cgroup namespaces -------------------------------------------------- */

static int resolve_cgns(struct scan_ctx *ctx, struct snapshot *s)
{
	struct cgns_query *q = NULL;
	size_t nq = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < s->nns; i++) {
		const struct scan_ns *ns = &s->ns[i];
		if (ns->type != NS_CGROUP)
			continue;
		struct cgns_entry *e = cgns_cache_get(&ctx->cgns, ns->inode);
		if (e) {
			e->seen = true;
			continue;
		}
		if (nq == cap) {
			cap = cap ? cap * 2 : 16;
			struct cgns_query *nqp = realloc(q, cap * sizeof(*q));
			if (!nqp) {
				free(q);
				return -ENOMEM;
			}
			q = nqp;
		}
		memset(&q[nq], 0, sizeof(q[nq]));
		q[nq].inode = ns->inode;
		for (size_t k = 0; k < ns->nprocs && q[nq].nmembers < CGNS_MAX_MEMBERS; k++) {
			const struct scan_proc *p = snapshot_find_proc(s, ns->pids[k]);
			int m = q[nq].nmembers++;
			q[nq].pid[m] = p->pid;
			for (int h = 0; h < CG_MAX_HIER; h++)
				q[nq].host[m][h] = p->cg[h].path;
		}
		nq++;
	}
	if (nq)
		rc = cgns_resolve(ctx->root, &ctx->layout, &ctx->cgns, q, nq);
	for (size_t i = 0; i < nq; i++) {
		struct cgns_entry *e = cgns_cache_get(&ctx->cgns, q[i].inode);
		if (e)
			e->seen = true;
	}
	struct cgns_entry *own = cgns_cache_get(&ctx->cgns, ctx->own_cgns);
	if (own)
		own->seen = true;
	cgns_cache_prune(&ctx->cgns);
	free(q);
	return rc;
}

/* path as a namespace rooted at root shows it; NULL when either is unknown. */
static int relative_dup(const char *path, const char *root, char **out)
{
	char buf[CG_PATH_MAX];

	size_t n;

	*out = NULL;
	if (!path || !root)
		return 0;
	/* Most processes are in nstop's own cgroup namespace: a root of "/"
	 * shows a clean path as it is, and the string is shared, not copied
	 * (thousands a refresh). proc_clear() and snapshot_free() know. */
	n = strlen(path);
	if (strcmp(root, "/") == 0 && path[0] == '/' && !strstr(path, "//") &&
	    (n == 1 || path[n - 1] != '/')) {
		*out = (char *)path;
		return 0;
	}
	if (cg_path_relative(path, root, buf, sizeof(buf)) < 0)
		return 0;
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

static int fill_relative_paths(struct scan_ctx *ctx, struct snapshot *s)
{
	const struct cgns_entry *view = NULL;

	if (s->view_from) {
		view = cgns_cache_get(&ctx->cgns, s->view_cgns);
		for (int h = 0; view && h < ctx->layout.n; h++)
			if (view->root[h] && !(s->view_root[h] = strdup(view->root[h])))
				return -ENOMEM;
	}
	for (size_t i = 0; i < s->nprocs; i++) {
		struct scan_proc *p = &s->procs[i];
		const struct cgns_entry *own = p->ns[NS_CGROUP] ?
			cgns_cache_get(&ctx->cgns, p->ns[NS_CGROUP]) : NULL;
		for (int h = 0; h < ctx->layout.n; h++) {
			if (own && relative_dup(p->cg[h].path, own->root[h], &p->cg[h].ns_path) < 0)
				return -ENOMEM;
			if (relative_dup(p->cg[h].path, s->view_root[h], &p->cg[h].view_path) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* ---- cgroup trees ------------------------------------------------------- */

struct cg_walk {
	struct snapshot *s;
	size_t cap;
	int hier;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cg_add(struct cg_walk *w, const char *path, int depth)
{
	struct snapshot *s = w->s;

	if (s->ncgroups == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct scan_cgroup *nc = realloc(s->cgroups, cap * sizeof(*nc));
		if (!nc)
			return -ENOMEM;
		s->cgroups = nc;
		w->cap = cap;
	}
	struct scan_cgroup *c = &s->cgroups[s->ncgroups];
	memset(c, 0, sizeof(*c));
	c->hier = w->hier;
	c->depth = depth;
	c->cpu_percent = -1;
	cg_stats_clear(&c->st);
	if (!(c->path = strdup(path)))
		return -ENOMEM;
	s->ncgroups++;
	return 0;
}

/* Depth first, children by name: the order the tree is shown in. A cgroup
 * removed while we walk is skipped. */
static int cg_walk_dir(struct cg_walk *w, int fd, const char *path, int depth)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = cg_add(w, path, depth);
	DIR *d;
	struct dirent *de;

	if (rc < 0 || depth > 64) {
		close(fd);
		return rc;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		n++;
	}
	if (rc == 0 && n > 1)
		qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char child[CG_PATH_MAX];
		int cfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cfd < 0)
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", path,
			     strcmp(path, "/") == 0 ? "" : "/", names[i]) >= (int)sizeof(child)) {
			close(cfd);
			continue;
		}
		rc = cg_walk_dir(w, cfd, child, depth + 1);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int cmp_cg_path(const void *a, const void *b)
{
	const struct scan_cgroup *x = *(const struct scan_cgroup *const *)a;
	const struct scan_cgroup *y = *(const struct scan_cgroup *const *)b;
	if (x->hier != y->hier)
		return x->hier - y->hier;
	return strcmp(x->path, y->path);
}

static struct scan_cgroup *cg_lookup(struct scan_cgroup **index, size_t n, int hier,
				     const char *path)
{
	struct scan_cgroup key = { .hier = hier, .path = (char *)path }, *kp = &key;
	struct scan_cgroup **hit = bsearch(&kp, index, n, sizeof(*index), cmp_cg_path);

	return hit ? *hit : NULL;
}

static int cmp_prev_cg(const void *a, const void *b)
{
	const struct prev_cg *x = a, *y = b;
	if (x->hier != y->hier)
		return x->hier - y->hier;
	return strcmp(x->path, y->path);
}

/* A snapshot without stats breaks the chain: the next cgroup cpu% would
 * span the gap, so it is unknown instead. */
static void remember_cgroups_none(struct scan_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nprev_cg; i++)
		free(ctx->prev_cg[i].path);
	free(ctx->prev_cg);
	ctx->prev_cg = NULL;
	ctx->nprev_cg = 0;
}

static void remember_cgroups(struct scan_ctx *ctx, const struct snapshot *s)
{
	struct prev_cg *p = malloc((s->ncgroups ? s->ncgroups : 1) * sizeof(*p));
	size_t n = 0;

	if (!p)
		return;
	for (size_t i = 0; i < s->ncgroups; i++) {
		if (s->cgroups[i].st.cpu_usage_usec < 0)
			continue;
		if (!(p[n].path = strdup(s->cgroups[i].path)))
			break;
		p[n].hier = s->cgroups[i].hier;
		p[n].usage_usec = s->cgroups[i].st.cpu_usage_usec;
		n++;
	}
	qsort(p, n, sizeof(*p), cmp_prev_cg);
	for (size_t i = 0; i < ctx->nprev_cg; i++)
		free(ctx->prev_cg[i].path);
	free(ctx->prev_cg);
	ctx->prev_cg = p;
	ctx->nprev_cg = n;
}

static void tree_clear(struct scan_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ntree; i++)
		free(ctx->tree[i].path);
	free(ctx->tree);
	ctx->tree = NULL;
	ctx->ntree = 0;
}

static void remember_tree(struct scan_ctx *ctx, const struct snapshot *s)
{
	tree_clear(ctx);
	if (!ctx->incremental || !s->ncgroups)
		return;
	ctx->tree = malloc(s->ncgroups * sizeof(*ctx->tree));
	if (!ctx->tree)
		return;
	for (size_t i = 0; i < s->ncgroups; i++) {
		struct tree_ent *t = &ctx->tree[i];
		t->hier = s->cgroups[i].hier;
		t->depth = s->cgroups[i].depth;
		if (!(t->path = strdup(s->cgroups[i].path))) {
			ctx->ntree = i;
			tree_clear(ctx);
			return;
		}
	}
	ctx->ntree = s->ncgroups;
	ctx->tree_snap = ctx->nsnap;
}

static int build_cgroups(struct scan_ctx *ctx, struct snapshot *s, bool stats)
{
	struct cg_walk w = { .s = s };
	struct scan_cgroup **index;
	double dt = s->monotonic - ctx->prev_cg_time;
	int rc = 0;

	/* Walking hundreds of cgroups in each of a dozen hierarchies costs as
	 * much as the processes do: the incremental scan reuses the last walk
	 * for a while when the cgroups' own files are not shown. */
	if (ctx->incremental && !stats && ctx->tree &&
	    ctx->nsnap - ctx->tree_snap < SCAN_TREE_EVERY) {
		for (size_t i = 0; i < ctx->ntree && rc == 0; i++) {
			w.hier = ctx->tree[i].hier;
			rc = cg_add(&w, ctx->tree[i].path, ctx->tree[i].depth);
		}
	} else {
		for (int h = 0; h < ctx->layout.n && rc == 0; h++) {
			int fd = openat(ctx->root->cg_fd, ctx->layout.h[h].dir,
					O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				continue;
			w.hier = h;
			rc = cg_walk_dir(&w, fd, ctx->layout.h[h].mnt_root, 0);
		}
		if (rc == 0)
			remember_tree(ctx, s);
	}
	if (rc < 0)
		return rc;
	index = malloc((s->ncgroups ? s->ncgroups : 1) * sizeof(*index));
	if (!index)
		return -ENOMEM;
	for (size_t i = 0; i < s->ncgroups; i++)
		index[i] = &s->cgroups[i];
	qsort(index, s->ncgroups, sizeof(*index), cmp_cg_path);
	/* Processes of one cgroup tend to have neighbouring pids: the last
	 * cgroup found in each hierarchy is tried first. */
	const char *last[CG_MAX_HIER] = { NULL };
	struct scan_cgroup *last_c[CG_MAX_HIER] = { NULL };
	for (size_t i = 0; i < s->nprocs; i++)
		for (int h = 0; h < ctx->layout.n; h++) {
			const char *path = s->procs[i].cg[h].path;
			struct scan_cgroup *c;

			if (!path)
				continue;
			if (last[h] && strcmp(last[h], path) == 0) {
				c = last_c[h];
			} else {
				c = cg_lookup(index, s->ncgroups, h, path);
				last[h] = path;
				last_c[h] = c;
			}
			if (c)
				c->nprocs++;
		}
	free(index);

	for (size_t i = 0; i < s->ncgroups; i++) {
		struct scan_cgroup *c = &s->cgroups[i];
		if (relative_dup(c->path, s->view_root[c->hier], &c->view_path) < 0)
			return -ENOMEM;
		if (!stats)
			continue;
		char dir[CG_PATH_MAX];
		if (cg_dir_of(&ctx->layout.h[c->hier], c->path, dir, sizeof(dir)) < 0)
			continue;
		cg_stats_read(ctx->root, &ctx->layout.h[c->hier], dir, &c->st);
		if (!ctx->have_prev || !ctx->nprev_cg || c->st.cpu_usage_usec < 0 || dt <= 0)
			continue;
		struct prev_cg key = { .hier = c->hier, .path = c->path };
		struct prev_cg *p = bsearch(&key, ctx->prev_cg, ctx->nprev_cg,
					    sizeof(key), cmp_prev_cg);
		if (p && c->st.cpu_usage_usec >= p->usage_usec)
			c->cpu_percent = (double)(c->st.cpu_usage_usec - p->usage_usec) /
					 1e6 / dt * 100.0;
	}
	return 0;
}

/* ---- the snapshot ------------------------------------------------------- */

static double read_uptime(const struct nst_root *root)
{
	char buf[128];

	if (nst_read_at(root->proc_fd, "uptime", buf, sizeof(buf)) <= 0)
		return -1;
	return strtod(buf, NULL);
}

static bool has_sys_admin(void)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!caps)
		return false;
	cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

static void read_host(const struct scan_ctx *ctx, struct snapshot *s)
{
	char buf[256];

	if (nst_read_at(ctx->root->proc_fd, "sys/kernel/hostname", buf, sizeof(buf)) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(s->hostname, sizeof(s->hostname), "%.64s", buf);
	}
	if (nst_read_at(ctx->root->proc_fd, "loadavg", buf, sizeof(buf)) > 0)
		sscanf(buf, "%lf %lf %lf", &s->loadavg[0], &s->loadavg[1], &s->loadavg[2]);
	s->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	s->privileged = geteuid() == 0 && has_sys_admin();
}

int scan_snapshot(struct scan_ctx *ctx, const struct scan_opts *opts,
		  struct snapshot **out, struct nst_err *err)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	struct timespec mono;
	double uptime;
	bool nomem = false, *full = NULL;
	int rc;

	*out = NULL;
	if (!s)
		return nst_err_sys(err, ENOMEM, "scan");
	clock_gettime(CLOCK_REALTIME, &s->time);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	s->monotonic = (double)mono.tv_sec + (double)mono.tv_nsec / 1e9;
	s->layout = ctx->layout;
	s->own_cgns = ctx->own_cgns;
	read_host(ctx, s);
	uptime = read_uptime(ctx->root);

	ctx->incremental = opts->incremental;
	if (ctx->incremental && !ctx->fd_limit_set)
		fd_limit_raise(ctx);
	if (!ctx->incremental && ctx->nfds)
		fds_commit(ctx);	/* none are kept */
	rc = ctx->pids ? procs_from_libproc2(ctx, s, &full, err) : procs_from_dir(ctx, s, err);
	if (rc < 0)
		goto fail;
	size_t keep = 0;
	for (size_t i = 0; i < s->nprocs; i++) {
		struct scan_proc *p = &s->procs[i];
		if (!proc_read_links(ctx, p, !full || full[i], &nomem)) {
			proc_clear(p);
			continue;
		}
		p->cpu_percent = cpu_percent(ctx, p, s->monotonic, uptime);
		s->procs[keep++] = *p;
	}
	s->nprocs = keep;
	free(full);
	full = NULL;
	if (ctx->incremental)
		fds_commit(ctx);
	if (nomem) {
		rc = nst_err_sys(err, ENOMEM, "scan");
		goto fail;
	}
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(s->procs[0]), cmp_pid);

	if (opts->view_from) {
		const struct scan_proc *v = snapshot_find_proc(s, opts->view_from);
		if (!v) {
			rc = nst_err_set(err, ESRCH, "--view-from %d: no such process",
					 (int)opts->view_from);
			goto fail;
		}
		if (!v->ns[NS_CGROUP]) {
			rc = nst_err_set(err, EACCES,
					 "--view-from %d: its cgroup namespace cannot be read",
					 (int)opts->view_from);
			goto fail;
		}
		s->view_from = v->pid;
		s->view_cgns = v->ns[NS_CGROUP];
	}
	if ((rc = group_namespaces(ctx, s)) < 0 ||
	    (opts->cgroup_ns_paths && (rc = resolve_cgns(ctx, s)) < 0) ||
	    (opts->cgroup_ns_paths && (rc = fill_relative_paths(ctx, s)) < 0) ||
	    (opts->cgroup_tree && (rc = build_cgroups(ctx, s, opts->cgroup_stats)) < 0)) {
		rc = nst_err_sys(err, -rc, "scan");
		goto fail;
	}
	if (ctx->root->live) {
		scan_containers(s);
		if (ctx->eng || (ctx->eng = eng_state_new()))
			eng_scan(ctx->root, ctx->eng, s);
	}
	remember_procs(ctx, s);
	if (opts->cgroup_stats)
		remember_cgroups(ctx, s);
	else
		remember_cgroups_none(ctx);
	if (opts->cgroup_stats)
		ctx->prev_cg_time = s->monotonic;
	ctx->prev_time = s->monotonic;
	ctx->have_prev = true;
	ctx->nsnap++;
	*out = s;
	return 0;
fail:
	if (ctx->nnew_fds)
		fds_commit(ctx);
	free(full);
	snapshot_free(s);
	return rc;
}
