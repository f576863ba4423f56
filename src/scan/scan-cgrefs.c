/*
 * The processes' cgroup entries (struct scan_cgref, one per hierarchy of the
 * host) and namespaces (NS_NTYPES inodes) in two blocks a snapshot, shared
 * between processes with the same ones. Processes of one cgroup in every
 * hierarchy and of the same namespaces (a container's, a service's, the
 * host's own) have identical entries: at 3,000 processes in 300 groups on ten
 * hierarchies, a vector each was 900 KB a snapshot, a vector a group 90.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan-internal.h"

static void cgref_clear(struct scan_cgref *r)
{
	/* A path as a namespace rooted at "/" sees it is the path itself,
	 * shared without a count of its own (scan-ns.c's shows_as_is). */
	if (r->view_path != r->path)
		scan_str_unref(r->view_path);
	if (r->ns_path != r->path)
		scan_str_unref(r->ns_path);
	scan_str_unref(r->path);
	*r = (struct scan_cgref){ NULL, NULL, NULL };
}

void scan_cgrefs_clear(struct scan_cgref *v, int nhier)
{
	for (int h = 0; v && h < nhier; h++)
		cgref_clear(&v[h]);
}

/*
 * A vector for each process, once the processes are listed (nothing fills a
 * cgroup entry before), so the block's size is known and it never moves
 * while procs[] grows, drops the vanished and is sorted. One allocation, not
 * one per process or an arena of chunks: the snapshot frees it whole.
 */
int scan_cgrefs_alloc(struct snapshot *s)
{
	size_t nh = (size_t)s->layout.n;

	if (!s->nprocs)
		return 0;
	s->nsrefs = calloc(s->nprocs * NS_NTYPES, sizeof(*s->nsrefs));
	if (!s->nsrefs)
		return -ENOMEM;
	if (nh && !(s->cgrefs = calloc(s->nprocs * nh, sizeof(*s->cgrefs))))
		return -ENOMEM;
	s->ncgvec = s->nprocs;
	for (size_t i = 0; i < s->nprocs; i++) {
		s->procs[i].ns = s->nsrefs + i * NS_NTYPES;
		s->procs[i].cg = s->cgrefs ? s->cgrefs + i * nh : NULL;
	}
	return 0;
}

static bool vec_same(const struct scan_proc *a, const struct scan_proc *b, int nh)
{
	return memcmp(a->ns, b->ns, NS_NTYPES * sizeof(*a->ns)) == 0 &&
	       (!nh || memcmp(a->cg, b->cg, nh * sizeof(*a->cg)) == 0);
}

static size_t vec_hash(const struct scan_proc *p, int nh)
{
	const struct scan_cgref *v = p->cg;
	uint64_t x = 1469598103934665603ULL;

	for (int t = 0; t < NS_NTYPES; t++)
		x = (x ^ p->ns[t]) * 1099511628211ULL;
	for (int h = 0; h < nh; h++) {
		x = (x ^ (uintptr_t)v[h].path) * 1099511628211ULL;
		x = (x ^ (uintptr_t)v[h].ns_path) * 1099511628211ULL;
		x = (x ^ (uintptr_t)v[h].view_path) * 1099511628211ULL;
	}
	return (size_t)(x ^ (x >> 29));
}

/*
 * Once every entry is filled (the paths as each namespace sees them too):
 * processes whose entries hold the same strings (the same pointers; equal
 * paths are most often one shared string, and two copies only cost a
 * vector) share one vector, in a block of the distinct ones. Nothing writes
 * a process's entries after this. Out of memory: each keeps its own.
 */
void scan_cgrefs_share(struct snapshot *s)
{
	int nh = s->layout.n;
	size_t cap = 64, nu = 0, next = 0;
	size_t *tab, *slot;
	struct scan_cgref *nb = NULL;
	ino_t *nn = NULL;

	if (!s->nsrefs || s->nprocs < 2)
		return;
	while (cap < 2 * s->nprocs)
		cap *= 2;
	tab = calloc(cap, sizeof(*tab));	/* a process's index + 1; 0 empty */
	slot = malloc(s->nprocs * sizeof(*slot));
	if (!tab || !slot)
		goto out;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct scan_proc *p = &s->procs[i];
		size_t k = vec_hash(p, nh) & (cap - 1);

		while (tab[k] && !vec_same(&s->procs[tab[k] - 1], p, nh))
			k = (k + 1) & (cap - 1);
		if (tab[k]) {
			slot[i] = slot[tab[k] - 1];
		} else {
			tab[k] = i + 1;
			slot[i] = nu++;
		}
	}
	nn = malloc(nu * NS_NTYPES * sizeof(*nn));
	if (!nn || (nh && !(nb = malloc(nu * nh * sizeof(*nb))))) {
		free(nn);
		goto out;
	}
	/* Slots were given in the order processes came: the first of each
	 * moves its strings over, the others drop their counts. */
	for (size_t i = 0; i < s->nprocs; i++) {
		struct scan_proc *p = &s->procs[i];

		if (slot[i] == next) {
			memcpy(nn + next * NS_NTYPES, p->ns, NS_NTYPES * sizeof(*nn));
			if (nh)
				memcpy(nb + next * nh, p->cg, nh * sizeof(*nb));
			next++;
		} else {
			scan_cgrefs_clear(p->cg, nh);
		}
		p->ns = nn + slot[i] * NS_NTYPES;
		p->cg = nb ? nb + slot[i] * nh : NULL;
	}
	free(s->nsrefs);
	free(s->cgrefs);
	s->nsrefs = nn;
	s->cgrefs = nb;
	s->ncgvec = nu;
out:
	free(tab);
	free(slot);
}

void scan_cgrefs_free(struct snapshot *s)
{
	for (size_t i = 0; s->cgrefs && i < s->ncgvec; i++)
		scan_cgrefs_clear(s->cgrefs + i * s->layout.n, s->layout.n);
	free(s->cgrefs);
	free(s->nsrefs);
	s->cgrefs = NULL;
	s->nsrefs = NULL;
	s->ncgvec = 0;
}
