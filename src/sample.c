/* sample: first cut (every function exists; the store comes next). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "nstop/sample.h"

int sample_ring_init(struct sample_ring *r, size_t cap)
{
	r->cap = cap;
	r->len = 0;
	r->head = 0;
	r->v = cap ? calloc(cap, sizeof(*r->v)) : NULL;
	return cap && !r->v ? -ENOMEM : 0;
}

void sample_ring_clear(struct sample_ring *r)
{
	free(r->v);
	r->v = NULL;
	r->cap = r->len = r->head = 0;
}

void sample_ring_push(struct sample_ring *r, double v)
{
	if (!r->cap)
		return;
	r->v[r->head] = v;
	r->head = (r->head + 1) % r->cap;
	if (r->len < r->cap)
		r->len++;
}

double sample_ring_at(const struct sample_ring *r, size_t i)
{
	if (i >= r->len)
		return NAN;
	return r->v[(r->head + r->cap - r->len + i) % r->cap];
}

double sample_ring_last(const struct sample_ring *r)
{
	return r->len ? sample_ring_at(r, r->len - 1) : NAN;
}

double sample_ring_max(const struct sample_ring *r)
{
	double m = NAN;

	for (size_t i = 0; i < r->len; i++) {
		double v = sample_ring_at(r, i);
		if (isfinite(v) && (isnan(m) || v > m))
			m = v;
	}
	return m;
}

struct sample_store {
	size_t cap;
	size_t count;
};

int sample_store_new(size_t cap, struct sample_store **out)
{
	struct sample_store *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->cap = cap;
	*out = st;
	return 0;
}

void sample_store_free(struct sample_store *st)
{
	free(st);
}

int sample_store_add(struct sample_store *st, const struct snapshot *snap)
{
	st->count++;
	return 0;
}

const struct sample_series *sample_store_cgroup(const struct sample_store *st,
						int hier, const char *path)
{
	return NULL;
}

const struct sample_series *sample_store_proc(const struct sample_store *st,
					      pid_t pid)
{
	return NULL;
}

size_t sample_store_count(const struct sample_store *st)
{
	return st->count;
}
