/*
 * Room for one more element at the end of an array that grows by doubling,
 * as git's ALLOC_GROW makes it, but failing instead of dying: every list
 * the library builds (states, mounts, hits, containers) grows this way.
 */
#ifndef NSTOP_GROW_H
#define NSTOP_GROW_H

#include <stdlib.h>

/* v with room for element n (*cap elements of elem bytes, first when
 * empty): v itself while n < *cap, else v reallocated and *cap doubled;
 * NULL when out of memory, v then untouched. */
static inline void *nst_grow(void *v, size_t n, size_t *cap, size_t elem, size_t first)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : first;
	nv = reallocarray(v, ncap, elem);
	if (nv)
		*cap = ncap;
	return nv;
}

#endif
