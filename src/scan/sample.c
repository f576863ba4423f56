/*
 * Samples: a ring of recent values per cgroup and per process, found
 * through one chained hash keyed by (hierarchy, path) or pid. Each add is
 * one pass over the snapshot and one sweep that drops what is gone.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/sample.h"

/* ---- rings --------------------------------------------------------------- */

int sample_ring_init(struct sample_ring *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	if (!cap || cap > UINT32_MAX)
		return -EINVAL;
	r->cap = (uint32_t)cap;
	return 0;
}

void sample_ring_clear(struct sample_ring *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Keeps the ring's cap and forgets its values (a reused pid). */
static void ring_reset(struct sample_ring *r)
{
	size_t cap = r->cap;

	sample_ring_clear(r);
	r->cap = cap;
}

/*
 * Grows v to n slots while the ring is not yet full: until then it is linear
 * (oldest at 0, head == len == alloc), so realloc keeps the order. Without
 * memory the ring keeps the size it has as its capacity.
 */
static void ring_grow(struct sample_ring *r, size_t n)
{
	float *nv;

	if (n > r->cap)
		n = r->cap;
	nv = realloc(r->v, n * sizeof(*nv));
	if (!nv) {
		if (r->alloc)
			r->cap = r->alloc;
		return;
	}
	r->v = nv;
	r->alloc = (uint32_t)n;
	r->head = r->len;
}

static bool same(float a, float b)
{
	return a == b || (isnan(a) && isnan(b));
}

void sample_ring_push(struct sample_ring *r, double v)
{
	float f = (float)v;

	if (!r->cap)
		return;
	if (!r->alloc) {
		size_t keep;

		if (!r->len)
			r->fill = f;
		if (same(f, r->fill) ||
		    (ring_grow(r, r->len + 1 < 16 ? 16 : r->len + 1), !r->alloc)) {
			/* Still one value throughout (or no memory to say
			 * otherwise): only the count grows. */
			if (r->len < r->cap)
				r->len++;
			return;
		}
		/* The history so far was fill; the oldest goes when full. */
		keep = r->len < r->alloc ? r->len : r->alloc - 1;
		for (size_t i = 0; i < keep; i++)
			r->v[i] = r->fill;
		r->len = keep;
		r->head = keep;
	} else if (r->len == r->alloc && r->alloc < r->cap) {
		ring_grow(r, r->alloc * 2);
	}
	r->v[r->head] = f;
	r->head = (r->head + 1) % r->alloc;
	if (r->len < r->alloc)
		r->len++;
}

double sample_ring_at(const struct sample_ring *r, size_t i)
{
	if (i >= r->len)
		return NAN;
	if (!r->alloc)
		return r->fill;
	return r->v[(r->head + r->alloc - r->len + i) % r->alloc];
}

double sample_ring_last(const struct sample_ring *r)
{
	return r->len ? sample_ring_at(r, r->len - 1) : NAN;
}

double sample_ring_max_last(const struct sample_ring *r, size_t n)
{
	double m = NAN;

	if (n > r->len)
		n = r->len;
	for (size_t i = r->len - n; i < r->len; i++) {
		double v = sample_ring_at(r, i);

		if (isfinite(v) && (isnan(m) || v > m))
			m = v;
	}
	return m;
}

double sample_ring_max(const struct sample_ring *r)
{
	return sample_ring_max_last(r, r->len);
}

/* ---- the store ----------------------------------------------------------- */

struct sample_entry {
	struct sample_entry *next;
	uint64_t hash;
	unsigned gen;			/* the add that last saw it */
	int hier;			/* -1: a process */
	pid_t pid;
	unsigned long long start_tics;	/* tells a reused pid apart */
	char *path;
	struct sample_series s;
};

struct sample_store {
	size_t cap;
	size_t count;
	unsigned gen;
	size_t nbuckets;		/* a power of two */
	size_t nentries;
	struct sample_entry **b;
};

static uint64_t hash_path(int hier, const char *path)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(hier + 1);

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t hash_pid(pid_t pid)
{
	uint64_t h = (uint64_t)(uint32_t)pid * 0x9e3779b97f4a7c15ULL;

	return h ^ (h >> 29);
}

static void series_init(struct sample_series *s, size_t cap)
{
	sample_ring_init(&s->cpu_percent, cap);
	sample_ring_init(&s->memory_bytes, cap);
	sample_ring_init(&s->memory_limit, cap);
	sample_ring_init(&s->memory_limit_effective, cap);
}

static void series_clear(struct sample_series *s)
{
	sample_ring_clear(&s->cpu_percent);
	sample_ring_clear(&s->memory_bytes);
	sample_ring_clear(&s->memory_limit);
	sample_ring_clear(&s->memory_limit_effective);
}

static void series_reset(struct sample_series *s)
{
	ring_reset(&s->cpu_percent);
	ring_reset(&s->memory_bytes);
	ring_reset(&s->memory_limit);
	ring_reset(&s->memory_limit_effective);
}

static void entry_free(struct sample_entry *e)
{
	series_clear(&e->s);
	free(e->path);
	free(e);
}

int sample_store_new(size_t cap, struct sample_store **out)
{
	struct sample_store *st;

	*out = NULL;
	if (!cap || cap > UINT32_MAX)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->cap = cap;
	st->nbuckets = 1024;
	st->b = calloc(st->nbuckets, sizeof(*st->b));
	if (!st->b) {
		free(st);
		return -ENOMEM;
	}
	*out = st;
	return 0;
}

void sample_store_free(struct sample_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nbuckets; i++) {
		struct sample_entry *e = st->b[i], *next;

		for (; e; e = next) {
			next = e->next;
			entry_free(e);
		}
	}
	free(st->b);
	free(st);
}

static struct sample_entry *find(const struct sample_store *st, uint64_t h,
				 int hier, const char *path, pid_t pid)
{
	struct sample_entry *e = st->b[h & (st->nbuckets - 1)];

	for (; e; e = e->next) {
		if (e->hash != h || e->hier != hier)
			continue;
		if (hier < 0 ? e->pid == pid : !strcmp(e->path, path))
			return e;
	}
	return NULL;
}

/* Doubles the table when the chains grow long; a failure only slows it. */
static void maybe_rehash(struct sample_store *st)
{
	size_t n = st->nbuckets * 2;
	struct sample_entry **nb;

	if (st->nentries < st->nbuckets)
		return;
	nb = calloc(n, sizeof(*nb));
	if (!nb)
		return;
	for (size_t i = 0; i < st->nbuckets; i++) {
		struct sample_entry *e = st->b[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(st->b);
	st->b = nb;
	st->nbuckets = n;
}

static struct sample_entry *get(struct sample_store *st, int hier,
				const char *path, pid_t pid)
{
	uint64_t h = hier < 0 ? hash_pid(pid) : hash_path(hier, path);
	struct sample_entry *e = find(st, h, hier, path, pid);

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	if (hier >= 0 && !(e->path = strdup(path))) {
		free(e);
		return NULL;
	}
	e->hash = h;
	e->hier = hier;
	e->pid = pid;
	series_init(&e->s, st->cap);
	e->next = st->b[h & (st->nbuckets - 1)];
	st->b[h & (st->nbuckets - 1)] = e;
	st->nentries++;
	return e;
}

static double known(long long v)
{
	return v < 0 ? NAN : (double)v;	/* CG_UNKNOWN, CG_UNLIMITED */
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (!p[n] || p[n] == ',' || p[n] == ' '))
			return true;
	return false;
}

/* The hierarchy that accounts memory: v1's memory one, else cgroup2's. */
static int memory_hier(const struct cg_layout *l)
{
	int v2 = -1;

	for (int i = 0; i < l->n; i++) {
		if (!has_word(l->h[i].controllers, "memory"))
			continue;
		if (!l->h[i].v2)
			return i;
		v2 = i;
	}
	return v2;
}

int sample_store_add(struct sample_store *st, const struct snapshot *snap)
{
	int mh = memory_hier(&snap->layout);

	st->gen++;
	for (size_t i = 0; i < snap->ncgroups; i++) {
		const struct scan_cgroup *c = &snap->cgroups[i];
		struct sample_entry *e;
		double lim = known(c->st.memory_limit_bytes);
		double eff = known(c->memory_limit_effective);

		if (!c->path)
			continue;
		/* Nothing of it was read: a cgroup met for the first time gets
		 * no series of unknowns (the view that plots cgroups reads their
		 * files), one that has a series keeps it. Thousands of cgroups
		 * in ten hierarchies were most of the store. */
		if (snap->cgroup_stats_unread) {
			e = find(st, hash_path(c->hier, c->path), c->hier, c->path, 0);
			if (!e)
				continue;
		} else if (!(e = get(st, c->hier, c->path, 0))) {
			return -ENOMEM;
		}
		e->gen = st->gen;
		sample_ring_push(&e->s.cpu_percent,
				 c->cpu_percent < 0 ? NAN : c->cpu_percent);
		sample_ring_push(&e->s.memory_bytes, known(c->st.memory_bytes));
		sample_ring_push(&e->s.memory_limit, lim);
		sample_ring_push(&e->s.memory_limit_effective, eff);
	}
	for (size_t i = 0; i < snap->nprocs; i++) {
		const struct scan_proc *p = &snap->procs[i];
		struct sample_entry *e = get(st, -1, NULL, p->pid), *cg = NULL;
		double lim = NAN, eff = NAN;

		if (!e)
			return -ENOMEM;
		if (e->gen && e->start_tics != p->start_tics)
			series_reset(&e->s);	/* the pid was reused */
		e->start_tics = p->start_tics;
		e->gen = st->gen;
		/* A process's limits are those of its memory cgroup. */
		if (mh >= 0 && p->cg[mh].path) {
			const char *path = p->cg[mh].path;

			cg = find(st, hash_path(mh, path), mh, path, 0);
		}
		if (cg && cg->gen == st->gen) {
			lim = sample_ring_last(&cg->s.memory_limit);
			eff = sample_ring_last(&cg->s.memory_limit_effective);
		}
		sample_ring_push(&e->s.cpu_percent,
				 p->cpu_percent < 0 ? NAN : p->cpu_percent);
		sample_ring_push(&e->s.memory_bytes, known(p->rss_bytes));
		sample_ring_push(&e->s.memory_limit, lim);
		sample_ring_push(&e->s.memory_limit_effective, eff);
	}
	/* Drop what this snapshot no longer has. */
	for (size_t i = 0; i < st->nbuckets; i++) {
		struct sample_entry **pp = &st->b[i];

		while (*pp) {
			struct sample_entry *e = *pp;

			if (e->gen == st->gen) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			entry_free(e);
			st->nentries--;
		}
	}
	maybe_rehash(st);
	st->count++;
	return 0;
}

const struct sample_series *sample_store_cgroup(const struct sample_store *st,
						int hier, const char *path)
{
	const struct sample_entry *e;

	if (!path || hier < 0)
		return NULL;
	e = find(st, hash_path(hier, path), hier, path, 0);
	return e ? &e->s : NULL;
}

const struct sample_series *sample_store_proc(const struct sample_store *st,
					      pid_t pid)
{
	const struct sample_entry *e = find(st, hash_pid(pid), -1, NULL, pid);

	return e ? &e->s : NULL;
}

size_t sample_store_count(const struct sample_store *st)
{
	return st->count;
}
