/*
 * What one container's cgroups say of its usage and limits, merged across
 * the hierarchies (on v1 and hybrid hosts each controller lives in one of
 * them), with the files cg_stats_read does not read: throttling, memory
 * peak, memory.high, swap, cpuset, and v1 shares kept apart from v2 weight.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/engine.h"

void eng_usage_clear(struct eng_usage *u)
{
	u->cpu_usage_usec = u->nr_periods = u->nr_throttled = u->throttled_usec = CG_UNKNOWN;
	u->memory_bytes = u->memory_peak_bytes = CG_UNKNOWN;
	u->memory_limit = u->memory_high = u->swap_limit = CG_UNKNOWN;
	u->cpu_quota_usec = u->cpu_period_usec = CG_UNKNOWN;
	u->cpu_weight = u->cpu_shares = CG_UNKNOWN;
	u->pids_current = u->pids_limit = CG_UNKNOWN;
	u->frozen = -1;
	u->cpuset[0] = '\0';
}

static void set(long long *field, long long v)
{
	if (*field == CG_UNKNOWN)
		*field = v;
}

void eng_parse_cpu_stat(const char *buf, bool v2, struct eng_usage *u)
{
	long long v;

	if (cg_parse_keyed(buf, "nr_periods", &v) == 0)
		set(&u->nr_periods, v);
	if (cg_parse_keyed(buf, "nr_throttled", &v) == 0)
		set(&u->nr_throttled, v);
	if (v2 && cg_parse_keyed(buf, "throttled_usec", &v) == 0)
		set(&u->throttled_usec, v);
	if (!v2 && cg_parse_keyed(buf, "throttled_time", &v) == 0)
		set(&u->throttled_usec, v / 1000);
	if (v2 && cg_parse_keyed(buf, "usage_usec", &v) == 0)
		set(&u->cpu_usage_usec, v);
}

static void rd_limit(struct cg_file_reader *r, const char *name, long long *field)
{
	long long v;

	if (*field == CG_UNKNOWN && cg_file_read(r, name) && cg_parse_limit(r->buf, &v) == 0)
		*field = v;
}

/* The cpus a cpuset file names, trimmed; "" when empty. */
static void rd_cpuset(struct cg_file_reader *r, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	if (cg_file_read(r, name)) {
		size_t n = strcspn(r->buf, "\n");
		if (n >= size)
			n = size - 1;
		memcpy(out, r->buf, n);
		out[n] = '\0';
	}
}

static void read_v2(struct cg_file_reader *r, struct eng_usage *u)
{
	long long v;

	if (cg_file_read(r, "cpu.stat"))
		eng_parse_cpu_stat(r->buf, true, u);
	if (u->cpu_quota_usec == CG_UNKNOWN && cg_file_read(r, "cpu.max"))
		cg_parse_cpu_max(r->buf, &u->cpu_quota_usec, &u->cpu_period_usec);
	rd_limit(r, "cpu.weight", &u->cpu_weight);
	rd_limit(r, "memory.current", &u->memory_bytes);
	rd_limit(r, "memory.peak", &u->memory_peak_bytes);
	rd_limit(r, "memory.max", &u->memory_limit);
	rd_limit(r, "memory.high", &u->memory_high);
	rd_limit(r, "memory.swap.max", &u->swap_limit);
	rd_limit(r, "pids.current", &u->pids_current);
	rd_limit(r, "pids.max", &u->pids_limit);
	if (!u->cpuset[0])
		rd_cpuset(r, "cpuset.cpus", u->cpuset, sizeof(u->cpuset));
	if (u->frozen < 0 && cg_file_read(r, "cgroup.events") &&
	    cg_parse_keyed(r->buf, "frozen", &v) == 0)
		u->frozen = v == 1;
}

static void read_v1(struct cg_file_reader *r, const struct cg_hier *h, struct eng_usage *u)
{
	long long v;

	if (cg_has_controller(h->controllers, "cpuacct") && u->cpu_usage_usec == CG_UNKNOWN &&
	    cg_file_read(r, "cpuacct.usage") && cg_parse_limit(r->buf, &v) == 0 && v >= 0)
		u->cpu_usage_usec = v / 1000;
	if (cg_has_controller(h->controllers, "cpu")) {
		/* cfs_quota_us says -1 for no quota. */
		if (u->cpu_quota_usec == CG_UNKNOWN && cg_file_read(r, "cpu.cfs_quota_us"))
			u->cpu_quota_usec = strtoll(r->buf, NULL, 10) < 0 ? CG_UNLIMITED
					    : strtoll(r->buf, NULL, 10);
		rd_limit(r, "cpu.cfs_period_us", &u->cpu_period_usec);
		rd_limit(r, "cpu.shares", &u->cpu_shares);
		if (cg_file_read(r, "cpu.stat"))
			eng_parse_cpu_stat(r->buf, false, u);
	}
	if (cg_has_controller(h->controllers, "memory")) {
		rd_limit(r, "memory.usage_in_bytes", &u->memory_bytes);
		rd_limit(r, "memory.max_usage_in_bytes", &u->memory_peak_bytes);
		rd_limit(r, "memory.limit_in_bytes", &u->memory_limit);
		rd_limit(r, "memory.memsw.limit_in_bytes", &u->swap_limit);
	}
	if (cg_has_controller(h->controllers, "pids")) {
		rd_limit(r, "pids.current", &u->pids_current);
		rd_limit(r, "pids.max", &u->pids_limit);
	}
	if (cg_has_controller(h->controllers, "cpuset") && !u->cpuset[0]) {
		char all[128];
		struct cg_file_reader top = { .root = r->root, .dir = h->dir[0] ? h->dir : "." };
		/* v1 copies the parent's cpus into every new cpuset: only cpus
		 * that differ from the hierarchy's root were set. */
		rd_cpuset(r, "cpuset.cpus", u->cpuset, sizeof(u->cpuset));
		rd_cpuset(&top, "cpuset.cpus", all, sizeof(all));
		if (strcmp(all, u->cpuset) == 0)
			u->cpuset[0] = '\0';
	}
	if (cg_has_controller(h->controllers, "freezer") && u->frozen < 0 && cg_file_read(r, "freezer.state"))
		cg_parse_freezer_state(r->buf, &u->frozen);
}

void eng_usage_read(const struct nst_root *root, const struct cg_hier *h,
		    const char *dir, struct eng_usage *u)
{
	struct cg_file_reader *r = malloc(sizeof(*r));

	if (!r)
		return;
	r->root = root;
	r->dir = dir;
	if (h->v2)
		read_v2(r, u);
	else
		read_v1(r, h, u);
	free(r);
}
