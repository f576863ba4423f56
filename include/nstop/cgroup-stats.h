/*
 * What the scan reads for each cgroup (memory, cpu, pids, frozen, limits,
 * pressure) from the files of a v1 or v2 hierarchy; the files' formats and
 * the layout are cgroup.h's.
 */
#ifndef NSTOP_CGROUP_STATS_H
#define NSTOP_CGROUP_STATS_H

#include <stdbool.h>

#include "nstop/cgroup.h"
#include "nstop/root.h"

struct cg_psi {
	bool available;
	double cpu_some_avg10;
	double memory_some_avg10, memory_full_avg10;
	double io_some_avg10, io_full_avg10;
};

struct cg_stats {
	long long cpu_usage_usec;
	long long cpu_quota_usec;	/* CG_UNLIMITED for "max" */
	long long cpu_period_usec;
	long long cpu_weight;		/* v2 cpu.weight, or v1 cpu.shares */
	long long memory_bytes;
	long long memory_limit_bytes;
	long long oom_kills;
	long long pids_current;
	long long pids_limit;
	int frozen;			/* 1, 0, or -1 unknown */
	struct cg_psi psi;
};

void cg_stats_clear(struct cg_stats *st);
/* Reads what the hierarchy's controllers give for the cgroup directory dir
 * (relative to root->cg_fd). Missing files leave fields CG_UNKNOWN. */
void cg_stats_read(const struct nst_root *root, const struct cg_hier *h,
		   const char *dir, struct cg_stats *st);

#endif
