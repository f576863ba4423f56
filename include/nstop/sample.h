/*
 * Samples: the recent history of cpu% and memory of every cgroup and
 * process, taken from each snapshot, for the TUI's live plots and
 * sparklines. Fixed-size ring buffers; nothing here draws.
 */
#ifndef NSTOP_SAMPLE_H
#define NSTOP_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nstop/scan.h"

/*
 * NAN marks a sample the kernel did not give (unknown, never zero). The
 * storage grows up to cap as samples come, and a ring whose samples have all
 * been the same value (a sleeping process's 0% and unchanging memory, an
 * unlimited cgroup's NAN limit) holds only that value: thousands of idle
 * processes cost no history. Read it with sample_ring_at, not through v.
 */
/* Counts in 32 bits: the view keeps four rings for each of thousands of
 * processes and cgroups, and a ring of 2^32 samples is never asked for. */
struct sample_ring {
	float *v;		/* floats: half the memory, and plots need no more */
	uint32_t cap;
	uint32_t len;		/* <= cap */
	uint32_t head;		/* where the next value goes, in v */
	uint32_t alloc;		/* slots in v, <= cap; 0 while all are fill */
	float fill;		/* every sample's value while alloc is 0 */
};

int sample_ring_init(struct sample_ring *r, size_t cap);
void sample_ring_clear(struct sample_ring *r);
void sample_ring_push(struct sample_ring *r, double v);
/* i = 0 is the oldest kept value, len - 1 the newest. */
double sample_ring_at(const struct sample_ring *r, size_t i);
/* The newest value, NAN when empty. */
double sample_ring_last(const struct sample_ring *r);
/* The largest finite value, NAN when there is none. */
double sample_ring_max(const struct sample_ring *r);
/* The same over the newest n values only (what a plot n samples wide shows). */
double sample_ring_max_last(const struct sample_ring *r, size_t n);

/* One plotted thing: a cgroup (hier, path) or a process (pid). */
struct sample_series {
	struct sample_ring cpu_percent;		/* 100 = one cpu */
	struct sample_ring memory_bytes;
	/* The limit at each sample: its own memory limit, or NAN for none. */
	struct sample_ring memory_limit;
	/* The effective limit: the smallest over it and its ancestors (cgroups
	 * only), NAN for none. */
	struct sample_ring memory_limit_effective;
};

struct sample_store;

/* cap: how many samples each series keeps (e.g. 300: five minutes at 1 s). */
int sample_store_new(size_t cap, struct sample_store **out);
void sample_store_free(struct sample_store *st);
/*
 * Records one sample per cgroup and per process of snap. A series whose
 * cgroup or process is gone is dropped. Cheap enough to call every refresh
 * with thousands of processes (a hash, no rescan).
 */
int sample_store_add(struct sample_store *st, const struct snapshot *snap);
/* NULL when nothing was recorded for it. */
const struct sample_series *sample_store_cgroup(const struct sample_store *st,
						int hier, const char *path);
const struct sample_series *sample_store_proc(const struct sample_store *st,
					      pid_t pid);
/* How many samples have been added (the x axis's length, for labels). */
size_t sample_store_count(const struct sample_store *st);

#endif
