/* The namespaces of a snapshot, grouped from the processes' links with
 * their parents and owners (kept, since they never change), and the roots of
 * the cgroup namespaces, for every path as its namespace shows it */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nstop/grow.h"
#include "nstop/thread.h"
#include "scan-internal.h"

/* A run of processes (in pid order) in one namespace: the processes come
 * by pid, and neighbours mostly share their namespaces, so the runs are
 * sorted, not every process (a tenth of a snapshot's instructions). */
struct ns_run {
	ino_t inode;
	size_t start, len;	/* in the pid list of the type */
};

static int cmp_run(const void *a, const void *b)
{
	const struct ns_run *x = a, *y = b;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

static int cmp_ns_rel(const void *a, const void *b)
{
	const struct ns_rel *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* A namespace's parent and owner, asked of the namespace itself through one
 * of its members: 1, or 0 when that one vanished meanwhile (both unknown). */
static int ns_relation(const struct scan_ctx *ctx, struct scan_ns *ns)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "%d", (int)ns->first);
	fd = openat(ctx->root->proc_fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ns->parent = ns_parent(fd, ns->type);
	ns->owner = ns_owner(fd, ns->type);
	close(fd);
	return 1;
}

/* Half of a snapshot's namespaces asked in a thread (batch mode, hundreds of
 * them: five system calls each): asked[i] says which could be. */
struct rel_half {
	const struct scan_ctx *ctx;
	struct snapshot *s;
	unsigned char *asked;
	size_t from, to;
};

static void *ns_rel_half(void *arg)
{
	struct rel_half *h = arg;

	for (size_t i = h->from; i < h->to; i++)
		if (!h->asked[i])
			h->asked[i] = (unsigned char)ns_relation(h->ctx, &h->s->ns[i]);
	return NULL;
}

#define NS_REL_SPLIT 128

/*
 * Parents and owners: the incremental scan asks only of namespaces it has
 * not seen before (they do not change while a namespace exists) and keeps
 * what it knows; a snapshot that asks of all of them asks in two threads.
 */
static int ns_relations(struct scan_ctx *ctx, struct snapshot *s)
{
	unsigned char *asked = calloc(s->nns + 1, 1);	/* 1 asked, 2 known */
	struct ns_rel *rel = ctx->incremental ?
		malloc((s->nns ? s->nns : 1) * sizeof(*rel)) : NULL;
	struct rel_half first = { ctx, s, asked, 0, s->nns }, second = first;
	size_t nrel = 0, todo = 0;
	bool threaded = false;
	pthread_t thread;

	if (!asked || (ctx->incremental && !rel)) {
		free(asked);
		free(rel);
		return -ENOMEM;
	}
	for (size_t i = 0; rel && i < s->nns; i++) {
		struct scan_ns *ns = &s->ns[i];
		struct ns_rel key = { .type = ns->type, .inode = ns->inode }, *known;

		known = ctx->nnsrel ? bsearch(&key, ctx->nsrel, ctx->nnsrel, sizeof(key),
					      cmp_ns_rel) : NULL;
		if (known) {
			ns->parent = known->parent;
			ns->owner = known->owner;
			asked[i] = 2;
		}
	}
	for (size_t i = 0; i < s->nns; i++)
		todo += !asked[i];
	if (todo >= NS_REL_SPLIT) {
		second.from = first.to = s->nns / 2;
		threaded = nst_thread_start(&thread, ns_rel_half, &second);
		if (!threaded)
			first.to = s->nns;
	}
	ns_rel_half(&first);
	if (threaded)
		pthread_join(thread, NULL);
	for (size_t i = 0; rel && i < s->nns; i++)
		if (asked[i])
			rel[nrel++] = (struct ns_rel){ s->ns[i].type, s->ns[i].inode,
						       s->ns[i].parent, s->ns[i].owner };
	free(asked);
	if (ctx->incremental || ctx->nsrel) {
		/* s->ns is by type, then inode: so is rel. */
		free(ctx->nsrel);
		ctx->nsrel = rel;
		ctx->nnsrel = nrel;
	}
	return 0;
}

int scan_group_namespaces(struct scan_ctx *ctx, struct snapshot *s)
{
	size_t np = s->nprocs ? s->nprocs : 1;
	pid_t *m = malloc(np * sizeof(*m));
	struct ns_run *r = malloc(np * sizeof(*r));
	size_t cap = 0;

	if (!m || !r)
		goto nomem;
	for (int t = 0; t < NS_NTYPES; t++) {
		size_t n = 0, nr = 0;
		for (size_t i = 0; i < s->nprocs; i++) {
			ino_t ino = s->procs[i].ns[t];
			if (!ino)
				continue;
			if (nr && r[nr - 1].inode == ino && r[nr - 1].start + r[nr - 1].len == n)
				r[nr - 1].len++;
			else
				r[nr++] = (struct ns_run){ ino, n, 1 };
			m[n++] = s->procs[i].pid;
		}
		qsort(r, nr, sizeof(*r), cmp_run);
		for (size_t i = 0; i < nr;) {
			size_t j = i, count = 0, at = 0;
			while (j < nr && r[j].inode == r[i].inode)
				count += r[j++].len;
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
			ns->inode = r[i].inode;
			ns->nprocs = count;
			ns->first = m[r[i].start];
			ns->owner_uid = (uid_t)-1;
			ns->netnsid = SCAN_NETNSID_UNKNOWN;
			ns->pids = malloc(count * sizeof(pid_t));
			if (!ns->pids)
				goto nomem;
			/* the runs of one inode in pid order: their pids ascend */
			for (size_t k = i; k < j; k++) {
				memcpy(ns->pids + at, m + r[k].start, r[k].len * sizeof(pid_t));
				at += r[k].len;
			}
			s->nns++;
			i = j;
		}
	}
	free(m);
	free(r);

	if (!ctx->root->live)
		return 0;
	return ns_relations(ctx, s);
nomem:
	free(m);
	free(r);
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

	return bsearch(&key, snap->procs, snap->nprocs, sizeof(key), scan_cmp_pid);
}

/* ---- cgroup namespaces -------------------------------------------------- */

/* The cgroup namespaces asked of the helper (cgns.c) while the rest of the
 * snapshot is read. */
struct scan_cgns {
	struct cgns_query *q;
	size_t nq;
	struct cgns_job *job;
};

int scan_cgns_start(struct scan_ctx *ctx, struct snapshot *s, struct scan_cgns **out)
{
	struct scan_cgns *r = calloc(1, sizeof(*r));
	size_t cap = 0;
	int rc;

	*out = r;
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < s->nns; i++) {
		const struct scan_ns *ns = &s->ns[i];
		if (ns->type != NS_CGROUP)
			continue;
		struct cgns_entry *e = cgns_cache_get(&ctx->cgns, ns->inode);
		if (e) {
			e->seen = true;
			continue;
		}
		struct cgns_query *q = nst_grow(r->q, r->nq, &cap, sizeof(*q), 16);
		if (!q)
			return -ENOMEM;
		r->q = q;
		q = &r->q[r->nq];
		memset(q, 0, sizeof(*q));
		q->inode = ns->inode;
		for (size_t k = 0; k < ns->nprocs && q->nmembers < CGNS_MAX_MEMBERS; k++) {
			const struct scan_proc *p = snapshot_find_proc(s, ns->pids[k]);
			int m = q->nmembers++;
			q->pid[m] = p->pid;
			for (int h = 0; h < s->layout.n; h++)
				q->host[m][h] = p->cg[h].path;
		}
		r->nq++;
	}
	if (!r->nq)
		return 0;
	rc = cgns_resolve_start(ctx->root, &ctx->layout, &ctx->cgns, r->q, r->nq, &r->job);
	return rc;
}

int scan_cgns_finish(struct scan_ctx *ctx, struct scan_cgns **job)
{
	struct scan_cgns *r = *job;
	int rc;

	if (!r)
		return 0;
	*job = NULL;
	rc = cgns_resolve_finish(r->job, ctx->root, &ctx->layout, &ctx->cgns, r->q, r->nq);
	for (size_t i = 0; i < r->nq; i++) {
		struct cgns_entry *e = cgns_cache_get(&ctx->cgns, r->q[i].inode);
		if (e)
			e->seen = true;
	}
	struct cgns_entry *own = cgns_cache_get(&ctx->cgns, ctx->own_cgns);
	if (own)
		own->seen = true;
	cgns_cache_prune(&ctx->cgns);
	free(r->q);
	free(r);
	return rc;
}

/* Most processes are in nstop's own cgroup namespace: a root of "/" shows
 * a clean path as it is, and the string is shared, not copied (thousands a
 * refresh). scan_cgrefs_clear() (scan-cgrefs.c) knows. */
static bool shows_as_is(const char *path, const char *root)
{
	size_t n = strlen(path);

	return strcmp(root, "/") == 0 && path[0] == '/' && !strstr(path, "//") &&
	       (n == 1 || path[n - 1] != '/');
}

/* path as a namespace rooted at root shows it; NULL when either is unknown. */
int scan_relative_dup(const char *path, const char *root, char **out)
{
	char buf[CG_PATH_MAX];

	*out = NULL;
	if (!path || !root)
		return 0;
	if (shows_as_is(path, root)) {
		*out = (char *)path;
		return 0;
	}
	if (cg_path_relative(path, root, buf, sizeof(buf)) < 0)
		return 0;
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

/* As scan_relative_dup, for a process's path (a scan_str): a shared string,
 * the one made for the last process when path and root are the same. */
static int relative_share(struct scan_rel_memo *m, char *path, const char *root,
			  char **out)
{
	char buf[CG_PATH_MAX];
	char *rel;

	*out = NULL;
	if (!path || !root)
		return 0;
	if (shows_as_is(path, root)) {
		*out = path;
		return 0;
	}
	if (m->path && m->root && strcmp(m->path, path) == 0 && strcmp(m->root, root) == 0) {
		*out = scan_str_ref(m->rel);
		return 0;
	}
	if (cg_path_relative(path, root, buf, sizeof(buf)) < 0)
		return 0;
	if (!(rel = scan_str_new(buf)))
		return -ENOMEM;
	scan_str_unref(m->path);
	scan_str_unref(m->root);
	scan_str_unref(m->rel);
	m->path = scan_str_ref(path);
	m->root = scan_str_new(root);
	m->rel = scan_str_ref(rel);
	*out = rel;
	return 0;
}

int scan_relative_paths(struct scan_ctx *ctx, struct snapshot *s)
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
			if (own && relative_share(&ctx->last_rel[0][h], p->cg[h].path,
						  own->root[h], &p->cg[h].ns_path) < 0)
				return -ENOMEM;
			if (relative_share(&ctx->last_rel[1][h], p->cg[h].path, s->view_root[h],
					   &p->cg[h].view_path) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}
