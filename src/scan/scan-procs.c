/* The processes of a snapshot: each one's stat, command line, user,
 * namespace links and cgroup file, with the files of the ones that did not run
 * taken from the previous snapshot, and fds kept open across refreshes */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "scan-proc2.h"

#include "nstop/grow.h"
#include "nstop/procstat.h"
#include "nstop/thread.h"
#include "scan-internal.h"

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

/* libproc2, loaded and its process table opened the first time a process
 * is its to read (scan-own.c says which). */
static int procs_open(struct scan_ctx *ctx, struct nst_err *err)
{
	int rc;

	if (ctx->pids)
		return 0;
	if ((rc = scan_proc2_load(err)) < 0)
		return rc;
	if ((rc = scan_proc2.pids_new(&ctx->pids, proc_items, N_PROC_ITEMS)) < 0)
		return nst_err_sys(err, -rc, "libproc2");
	return 0;
}

/* Three fds a process are kept open: the soft limit goes up to the hard one,
 * once, and only for the incremental scan (a view that runs for long). */
void scan_fds_limit_raise(struct scan_ctx *ctx)
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
	e = nst_grow(ctx->new_fds, ctx->nnew_fds, &ctx->new_fds_cap, sizeof(*e), 1024);
	if (!e)
		return NULL;
	ctx->new_fds = e;
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

/* This snapshot's set in pid order, for fds_find: /proc lists pids in
 * ascending order; sorting is for the exception. */
static void fds_sort(struct scan_ctx *ctx)
{
	for (size_t i = 1; i < ctx->nnew_fds; i++)
		if (ctx->new_fds[i - 1].pid > ctx->new_fds[i].pid) {
			qsort(ctx->new_fds, ctx->nnew_fds, sizeof(*ctx->new_fds), cmp_fds);
			return;
		}
}

/* The fds of processes gone since the last snapshot are closed; this one's
 * set becomes the one to take from. */
void scan_fds_commit(struct scan_ctx *ctx)
{
	struct proc_fds *t;
	size_t cap;

	for (size_t i = 0; i < ctx->nfds; i++) {
		fd_close(ctx, &ctx->fds[i].stat_fd);
		fd_close(ctx, &ctx->fds[i].cg_fd);
		fd_close(ctx, &ctx->fds[i].sched_fd);
	}
	fds_sort(ctx);
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

bool scan_is_pid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const struct scan_proc *prev_find(const struct scan_ctx *ctx, pid_t pid)
{
	return ctx->last ? snapshot_find_proc(ctx->last, pid) : NULL;
}

/* Its links were read (a zombie's are not: it left its namespaces). */
static bool prev_known(const struct scan_proc *c)
{
	return c->state != 'Z';
}

/* True when p's namespaces, user and command line may differ from what the
 * previous snapshot read: it is new, it ran, or its periodic turn came. */
static bool proc_needs_full(const struct scan_ctx *ctx, const struct scan_proc *p,
			    const struct scan_proc *c)
{
	bool idle = c && c->run_ns && c->run_ns == p->run_ns && c->nthreads == 1;

	return !ctx->incremental ||
	       !c || !prev_known(c) || c->start_tics != p->start_tics || c->tics != p->tics ||
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
			   const struct scan_proc *c)
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
			      unsigned *want, const size_t *want_at, size_t nwant,
			      struct nst_err *err)
{
	/* pid -> index, to find each selected stack's process */
	pid_t (*index)[2];
	size_t k = 0;
	int rc;

	if ((rc = procs_open(ctx, err)) < 0)
		return rc;
	if (!(index = malloc((nwant ? nwant : 1) * sizeof(*index))))
		return nst_err_sys(err, ENOMEM, "scan");
	for (size_t j = 0; j < nwant; j++) {
		index[k][0] = s->procs[want_at[j]].pid;
		index[k][1] = (pid_t)want_at[j];
		k++;
	}
	qsort(index, k, sizeof(*index), cmp_pid_index);
	/* libproc2 selects at most 255 pids at a time. */
	for (size_t off = 0; off < nwant; off += 255) {
		int n = nwant - off > 255 ? 255 : (int)(nwant - off);
		struct pids_fetch *f = scan_proc2.pids_select(ctx->pids, want + off, n,
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
			if (!scan_cmdline_is_placeholder(cmdline, p->comm) &&
			    !(p->cmdline = strdup(cmdline))) {
				free(index);
				return nst_err_sys(err, ENOMEM, "scan");
			}
		}
	}
	free(index);
	return 0;
}

/* One /proc/PID/stat buffer, as libproc2 reads it (nst_stat_parse): false
 * when a field up to rss is missing. Public for the tests and the fuzzers. */
bool scan_stat_parse(char *buf, struct scan_proc *p, long pagesize)
{
	struct nst_stat st;

	if (nst_stat_parse(buf, &st) < 24)
		return false;
	memcpy(p->comm, st.comm, sizeof(p->comm));
	p->state = st.state;
	p->ppid = st.ppid;
	p->nthreads = st.nthreads;
	p->tics = st.utime + st.stime;
	p->start_tics = st.starttime;
	/* pages; a count no memory could hold is not made a wrapped number */
	p->rss_bytes = st.rss_pages > (unsigned long long)(LLONG_MAX / pagesize) ? -1 :
		       (long long)st.rss_pages * pagesize;
	return true;
}

struct cg_fill {
	struct scan_ctx *ctx;
	const struct scan_proc *c;	/* what the last snapshot read; NULL */
	struct scan_proc *p;
	char **last;			/* the paths of the process read before */
	bool nomem;
};

/* The path shared with the last snapshot's read of this process, else with
 * the process read just before (most often in the same cgroup). */
static int fill_cgroup(int id, const char *controllers, const char *path, void *arg)
{
	struct cg_fill *f = arg;
	int h = cg_layout_find(&f->ctx->layout, id, controllers);

	if (h < 0 || f->p->cg[h].path)
		return 0;
	if (f->c && f->c->cg[h].path && strcmp(f->c->cg[h].path, path) == 0)
		f->p->cg[h].path = scan_str_ref(f->c->cg[h].path);
	else if (!(f->p->cg[h].path = scan_str_share(&f->last[h], path)))
		f->nomem = true;
	return 0;
}

/*
 * Reads the namespaces and cgroups of a process. Returns false for a
 * process that vanished meanwhile; it is dropped, not reported. Its cgroup
 * paths are shared with the last snapshot's only where share_prev says it
 * may take references on them, else with last's (scan_part).
 */
static bool scan_proc_links(struct scan_ctx *ctx, struct scan_proc *p, bool links,
			    bool share_prev, char **last, bool *nomem)
{
	char path[48], buf[8192];
	struct proc_fds *fds;
	long n;

	/* Not read again: they are the last snapshot's (which it is in). */
	if (!links) {
		const struct scan_proc *c = prev_find(ctx, p->pid);
		if (c)
			memcpy(p->ns, c->ns, NS_NTYPES * sizeof(*p->ns));
	}
	if (ctx->incremental && !links && p->state != 'Z' &&
	    ((unsigned long)p->pid + ctx->nsnap) % SCAN_CG_EVERY != 0) {
		const struct scan_proc *c = prev_find(ctx, p->pid);
		/* It has not run, and it is not its turn: the cgroups it had. */
		if (c && prev_known(c)) {
			for (int h = 0; h < ctx->layout.n; h++)
				p->cg[h].path = scan_str_ref(c->cg[h].path);
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
		struct cg_fill f = { ctx, share_prev ? prev_find(ctx, p->pid) : NULL, p, last,
				     false };
		cg_parse_proc_cgroup(buf, fill_cgroup, &f);
		*nomem |= f.nomem;
	}
	return true;
}

/* What reading a process found, one byte each by its index. */
enum {
	PROC_GONE,	/* vanished meanwhile: dropped */
	PROC_KEPT,	/* not read in full: the last snapshot's user, command line, links */
	PROC_OWN,	/* read in full here */
	PROC_PROC2,	/* read here but for its user and command line: libproc2's */
};

/*
 * The reading of the processes' files is shared by up to SCAN_PARTS threads
 * when a snapshot reads every process (batch mode and the other commands:
 * nothing is kept from a last one). It is thousands of system calls of proc
 * that share nothing from one process to the next, and the cost of a
 * snapshot; on two cpus two threads halve its wall time. The incremental
 * view reads few processes a refresh through the fds it keeps (whose count
 * is the context's): one thread.
 *
 * What a part may touch: its processes' entries of s->procs, s->nsrefs and
 * s->cgrefs (allocated before), its byte of got[], and cgroup path strings
 * of its own making: a string's count of holders is not atomic, so a part
 * shares a path with the process it read last (its own last[]), never with
 * another part's or the last snapshot's strings (share_prev: one part only).
 * The user names' cache is behind a lock (scan-own.c).
 */
#define SCAN_PART_MIN 256	/* processes a thread takes to pay for itself */
#define SCAN_CHUNK 32		/* taken at a time, by the part that is free */

struct scan_part {
	struct scan_ctx *ctx;
	struct snapshot *s;
	unsigned char *got;
	atomic_size_t *next;
	struct scan_fd_walk *fds;	/* NULL: descriptors not read */
	bool walk_only;			/* only the descriptors of every process */
	int index;			/* the part's number */
	bool share_prev;
	char **last;			/* ctx->last_cg, or own_last */
	char *own_last[CG_MAX_HIER];
	pthread_t thread;
	bool threaded;
	bool nomem;
};

static unsigned char proc_read_one(struct scan_part *pt, struct scan_proc *p)
{
	struct scan_ctx *ctx = pt->ctx;
	const struct scan_proc *c = prev_find(ctx, p->pid);
	struct proc_fds *fds = fds_find(ctx, p->pid);
	unsigned char got = PROC_KEPT;
	char buf[1024];
	long n;
	bool full;

	if (fds) {
		n = proc_read(ctx, &fds->sched_fd, p->pid, "schedstat", buf, sizeof(buf));
		if (n > 0)
			p->run_ns = strtoull(buf, NULL, 10);
	}
	if (!stat_unchanged(ctx, p, c)) {
		n = proc_read(ctx, fds ? &fds->stat_fd : NULL, p->pid, "stat", buf, sizeof(buf));
		if (n <= 0 || !scan_stat_parse(buf, p, ctx->pagesize))
			return PROC_GONE;
	}
	full = proc_needs_full(ctx, p, c);
	p->fresh = full;
	if (full) {
		int own = scan_proc_own_full(ctx, p);
		if (own < 0) {
			pt->nomem = true;
			return PROC_GONE;
		}
		got = own > 0 ? PROC_PROC2 : PROC_OWN;
	} else {
		p->uid = c->uid;
		memcpy(p->user, c->user, sizeof(p->user));
		if (c->cmdline && !(p->cmdline = strdup(c->cmdline))) {
			pt->nomem = true;
			return PROC_GONE;
		}
	}
	if (!scan_proc_links(ctx, p, full, pt->share_prev, pt->last, &pt->nomem))
		return PROC_GONE;
	if (pt->fds && p->state != 'Z')
		scan_fd_walk_pid(pt->fds, pt->index, p->pid);
	return got;
}

static void *proc_read_part(void *arg)
{
	struct scan_part *pt = arg;
	size_t n = pt->s->nprocs;

	for (;;) {
		size_t from = atomic_fetch_add(pt->next, SCAN_CHUNK);

		if (from >= n)
			break;
		for (size_t i = from; i < n && i < from + SCAN_CHUNK; i++) {
			if (pt->walk_only)
				scan_fd_walk_pid(pt->fds, pt->index, pt->s->procs[i].pid);
			else
				pt->got[i] = proc_read_one(pt, &pt->s->procs[i]);
		}
	}
	return NULL;
}

static int read_parts_count(const struct scan_ctx *ctx, size_t nprocs)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = nprocs / SCAN_PART_MIN;

	if (ctx->incremental || ncpu < 2 || n < 2)
		return 1;
	if (n > (size_t)ncpu)
		n = (size_t)ncpu;
	return n > SCAN_PARTS ? SCAN_PARTS : (int)n;
}

/* Every listed process read, by parts (the first in this thread). False
 * when out of memory. */
static bool procs_read(struct scan_ctx *ctx, struct snapshot *s, unsigned char *got,
		       struct scan_fd_walk *fds)
{
	struct scan_part parts[SCAN_PARTS];
	atomic_size_t next = 0, walk_next = 0;
	int n = read_parts_count(ctx, s->nprocs), all_parts = n;
	bool nomem = false;

	memset(parts, 0, sizeof(parts));
	for (int k = 0; k < n; k++) {
		parts[k] = (struct scan_part){ .ctx = ctx, .s = s, .got = got, .next = &next,
					       .fds = fds, .index = k, .share_prev = n == 1 };
		parts[k].last = k == 0 ? ctx->last_cg : parts[k].own_last;
	}
	/* The incremental view reads in one thread (its kept fds are the
	 * context's): the descriptors, when its Namespaces view asks for them,
	 * are read beside it by a part of their own. */
	if (n == 1 && fds) {
		parts[0].fds = NULL;
		parts[1] = (struct scan_part){ .ctx = ctx, .s = s, .next = &walk_next,
					       .fds = fds, .walk_only = true, .index = 1 };
		all_parts = 2;
	}
	for (int k = 1; k < all_parts; k++)
		parts[k].threaded = nst_thread_start(&parts[k].thread, proc_read_part, &parts[k]);
	proc_read_part(&parts[0]);
	/* a part of its own that could not start is done here */
	for (int k = 1; k < all_parts; k++)
		if (parts[k].walk_only && !parts[k].threaded)
			proc_read_part(&parts[k]);
	for (int k = 0; k < all_parts; k++) {
		if (parts[k].threaded)
			pthread_join(parts[k].thread, NULL);
		nomem |= parts[k].nomem;
		if (k > 0 && !parts[k].walk_only)
			for (int h = 0; h < CG_MAX_HIER; h++)
				scan_str_unref(parts[k].own_last[h]);
	}
	return !nomem;
}

/* The pids of the proc root, each an entry of s->procs (with its kept fds
 * moved over), in the order /proc lists them: ascending. */
static int procs_list(struct scan_ctx *ctx, struct snapshot *s, struct nst_err *err)
{
	int fd = openat(ctx->root->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	size_t cap = 0;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return nst_err_sys(err, errno, "reading the process table");
	}
	/* About as many as last time: no copies while the array grows. */
	if (procs_reserve(s, &cap, (ctx->last ? ctx->last->nprocs : 0) + 64) < 0)
		goto nomem;
	while ((de = readdir(d))) {
		if (!scan_is_pid_name(de->d_name))
			continue;
		if (procs_reserve(s, &cap, s->nprocs + 1) < 0)
			goto nomem;
		proc_init(&s->procs[s->nprocs], (pid_t)atoi(de->d_name));
		fds_take(ctx, s->procs[s->nprocs].pid);
		s->nprocs++;
	}
	closedir(d);
	fds_sort(ctx);
	return 0;
nomem:
	closedir(d);
	return nst_err_sys(err, ENOMEM, "scan");
}

/*
 * Every process: listed, then its files read (by parts, above): its stat,
 * and only for those proc_needs_full() names its status, command line and
 * ns links, the others' taken from the previous snapshot; its cgroup file.
 * libproc2 reads the user and command line of those scan-own.c leaves it.
 */
static int procs_live(struct scan_ctx *ctx, struct snapshot *s, unsigned char **gotp,
		      struct scan_fd_walk *fds, struct nst_err *err)
{
	unsigned char *got;
	unsigned *want = NULL;
	size_t *want_at = NULL;		/* each wanted pid's index in s->procs */
	size_t nwant = 0;
	int rc;

	*gotp = NULL;
	if ((rc = procs_list(ctx, s, err)) < 0)
		return rc;
	if (scan_cgrefs_alloc(s) < 0 || !(got = calloc(s->nprocs + 1, 1)))
		return nst_err_sys(err, ENOMEM, "scan");
	*gotp = got;
	if (!procs_read(ctx, s, got, fds))
		return nst_err_sys(err, ENOMEM, "scan");
	for (size_t i = 0; i < s->nprocs; i++)
		nwant += got[i] == PROC_PROC2;
	if (!nwant)
		return 0;
	want = malloc(nwant * sizeof(*want));
	want_at = malloc(nwant * sizeof(*want_at));
	if (!want || !want_at) {
		free(want);
		free(want_at);
		return nst_err_sys(err, ENOMEM, "scan");
	}
	nwant = 0;
	for (size_t i = 0; i < s->nprocs; i++)
		if (got[i] == PROC_PROC2) {
			want_at[nwant] = i;
			want[nwant++] = (unsigned)s->procs[i].pid;
		}
	rc = full_from_libproc2(ctx, s, want, want_at, nwant, err);
	free(want);
	free(want_at);
	return rc;
}

int scan_cmp_pid(const void *a, const void *b)
{
	const struct scan_proc *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A fixture tree has no libproc2: pids from the directory, and what its
 * stat and comm files say; then the links and cgroups of each. */
static int procs_dir(struct scan_ctx *ctx, struct snapshot *s, unsigned char **gotp,
		     struct nst_err *err)
{
	int fd = openat(ctx->root->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	unsigned char *got;
	size_t cap = 0;
	bool nomem = false;

	*gotp = NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return nst_err_sys(err, errno, "reading the proc root");
	}
	while ((de = readdir(d))) {
		char path[300], buf[1024];
		if (!scan_is_pid_name(de->d_name))
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
		struct nst_stat st;
		if (nst_stat_read(ctx->root->proc_fd, path, &st) >= 4) {
			p->state = st.state;
			p->ppid = st.ppid;
		}
	}
	closedir(d);
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(s->procs[0]), scan_cmp_pid);
	if (scan_cgrefs_alloc(s) < 0 || !(got = calloc(s->nprocs + 1, 1)))
		return nst_err_sys(err, ENOMEM, "scan");
	*gotp = got;
	for (size_t i = 0; i < s->nprocs; i++)
		got[i] = scan_proc_links(ctx, &s->procs[i], true, true, ctx->last_cg, &nomem) ?
				 PROC_OWN : PROC_GONE;
	return nomem ? nst_err_sys(err, ENOMEM, "scan") : 0;
}

static double scan_cpu_percent(const struct scan_ctx *ctx, const struct scan_proc *p,
			       double now, double uptime)
{
	if (ctx->have_prev) {
		const struct scan_proc *c = prev_find(ctx, p->pid);
		double dt = now - ctx->prev_time;
		unsigned long long before = 0;
		if (c && c->start_tics == p->start_tics)
			before = c->tics;
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

/* A process dropped during the scan: its command line and its cgroup
 * entries (not yet shared: scan-cgrefs.c). */
static void proc_clear(struct scan_proc *p, int nhier)
{
	free(p->cmdline);
	scan_cgrefs_clear(p->cg, nhier);
}

int scan_procs(struct scan_ctx *ctx, struct snapshot *s, double uptime,
	       struct scan_fd_walk *fds, struct nst_err *err)
{
	unsigned char *got = NULL;
	size_t keep = 0;
	int rc = ctx->root->live ? procs_live(ctx, s, &got, fds, err) :
				   procs_dir(ctx, s, &got, err);

	for (size_t i = 0; i < s->nprocs; i++) {
		struct scan_proc *p = &s->procs[i];

		if (rc < 0 || !got || got[i] == PROC_GONE) {
			proc_clear(p, s->layout.n);
			continue;
		}
		p->cpu_percent = scan_cpu_percent(ctx, p, s->monotonic, uptime);
		s->procs[keep++] = *p;
	}
	s->nprocs = keep;
	free(got);
	if (ctx->incremental)
		scan_fds_commit(ctx);
	if (rc == 0 && s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(s->procs[0]), scan_cmp_pid);
	return rc;
}
