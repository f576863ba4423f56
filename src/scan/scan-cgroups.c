/* The cgroup trees of a snapshot: every hierarchy walked (or the last
 * walk reused), each cgroup's files read, and its cpu rate against the
 * previous snapshot */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/thread.h"
#include "scan-internal.h"

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
	c->memory_limit_effective = CG_UNKNOWN;
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
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (rc < 0 || depth > 64) {
		close(fd);
		return rc;
	}
	/* A directory's link count is 2 and one per subdirectory, as kernfs
	 * keeps it for cgroups (and ext4 or tmpfs for a fixture tree): a leaf,
	 * most cgroups, is not listed, which read its 30 to 60 files' names at
	 * each refresh. A count of 1 (a file system that does not keep it) is
	 * walked as before. */
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 2) {
		close(fd);
		return 0;
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
void scan_remember_cgroups_none(struct scan_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nprev_cg; i++)
		free(ctx->prev_cg[i].path);
	free(ctx->prev_cg);
	ctx->prev_cg = NULL;
	ctx->nprev_cg = 0;
}

void scan_remember_cgroups(struct scan_ctx *ctx, const struct snapshot *s)
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

void scan_tree_clear(struct scan_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ntree; i++)
		free(ctx->tree[i].path);
	free(ctx->tree);
	ctx->tree = NULL;
	ctx->ntree = 0;
}

static void remember_tree(struct scan_ctx *ctx, const struct snapshot *s)
{
	scan_tree_clear(ctx);
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
			scan_tree_clear(ctx);
			return;
		}
	}
	ctx->ntree = s->ncgroups;
	ctx->tree_snap = ctx->nsnap;
}


int scan_effective_limits(struct snapshot *snap)
{
	long long *eff = NULL;
	size_t neff = 0, top = 0;
	int hier = -1;

	for (size_t i = 0; i < snap->ncgroups; i++) {
		struct scan_cgroup *c = &snap->cgroups[i];
		size_t d = c->depth > 0 ? (size_t)c->depth : 0;
		long long lim = c->st.memory_limit_bytes < 0 ? CG_UNKNOWN : c->st.memory_limit_bytes;

		if (d >= neff) {
			long long *ne = realloc(eff, (d + 16) * sizeof(*ne));
			if (!ne) {
				free(eff);
				return -ENOMEM;
			}
			eff = ne;
			neff = d + 16;
		}
		if (c->hier != hier) {
			hier = c->hier;
			top = 0;
		}
		/* depth first: the parent's is at d - 1 */
		for (; top < d; top++)
			eff[top] = top ? eff[top - 1] : CG_UNKNOWN;
		if (d > 0 && eff[d - 1] >= 0 && (lim < 0 || eff[d - 1] < lim))
			lim = eff[d - 1];
		eff[d] = c->memory_limit_effective = lim;
		top = d + 1;
	}
	free(eff);
	return 0;
}
/* Each cgroup's path as the snapshot's viewer sees it, once its cgroup
 * namespace's roots are known (scan_relative_paths). */
int scan_cgroup_view_paths(struct snapshot *s)
{
	for (size_t i = 0; i < s->ncgroups; i++) {
		struct scan_cgroup *c = &s->cgroups[i];
		if (scan_relative_dup(c->path, s->view_root[c->hier], &c->view_path) < 0)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The trees are walked and the cgroups' own files read in a thread of their
 * own beside the process scan, which they need nothing of (hundreds of
 * directories and files a snapshot); scan_build_cgroups joins it and counts
 * each cgroup's processes. The thread has s->cgroups and ctx->tree to
 * itself until then. The incremental view has no such thread: its walk is
 * done where scan_build_cgroups would join it.
 */
struct scan_cgtree {
	struct scan_ctx *ctx;
	struct snapshot *s;
	bool stats;
	pthread_t thread;
	bool threaded;
	int rc;
};

static void *cg_tree_read(void *arg)
{
	struct scan_cgtree *t = arg;
	struct scan_ctx *ctx = t->ctx;
	struct snapshot *s = t->s;
	struct cg_walk w = { .s = s };
	double dt = s->monotonic - ctx->prev_cg_time;
	int rc = 0;

	/* Walking hundreds of cgroups in each of a dozen hierarchies costs as
	 * much as the processes do: the incremental scan reuses the last walk
	 * for a while when the cgroups' own files are not shown. */
	if (ctx->incremental && !t->stats && ctx->tree &&
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
	for (size_t i = 0; rc == 0 && t->stats && i < s->ncgroups; i++) {
		struct scan_cgroup *c = &s->cgroups[i];
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
	if (rc == 0 && t->stats)
		rc = scan_effective_limits(s);
	t->rc = rc;
	return NULL;
}

struct scan_cgtree *scan_cgtree_start(struct scan_ctx *ctx, struct snapshot *s, bool stats)
{
	struct scan_cgtree *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	*t = (struct scan_cgtree){ .ctx = ctx, .s = s, .stats = stats };
	/* The incremental view reuses the last walk most refreshes: no thread
	 * (nor its own malloc arena in a view that runs for days). */
	if (ctx->incremental)
		return t;
	t->threaded = nst_thread_start(&t->thread, cg_tree_read, t);
	return t;
}

/* The walk's result, once it ended (here, if no thread could start). */
static int cgtree_finish(struct scan_cgtree *t)
{
	int rc;

	if (t->threaded)
		pthread_join(t->thread, NULL);
	else
		cg_tree_read(t);
	rc = t->rc;
	free(t);
	return rc;
}

void scan_cgtree_free(struct scan_cgtree *t)
{
	if (t)
		cgtree_finish(t);
}

int scan_build_cgroups(struct scan_ctx *ctx, struct snapshot *s, struct scan_cgtree **tree)
{
	struct scan_cgroup **index;
	int rc;

	if (!*tree)
		return -ENOMEM;
	rc = cgtree_finish(*tree);
	*tree = NULL;
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
	return 0;
}
