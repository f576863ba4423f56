/* Per-cgroup statistics (memory, cpu, pids, frozen, limits) from the files of
 * v1 and v2 hierarchies, each read relative to the cgroup's directory fd. */
#include "config.h"

#include <string.h>

#include "nstop/cgroup-stats.h"

void cg_stats_clear(struct cg_stats *st)
{
	st->cpu_usage_usec = CG_UNKNOWN;
	st->cpu_quota_usec = CG_UNKNOWN;
	st->cpu_period_usec = CG_UNKNOWN;
	st->cpu_weight = CG_UNKNOWN;
	st->memory_bytes = CG_UNKNOWN;
	st->memory_limit_bytes = CG_UNKNOWN;
	st->oom_kills = CG_UNKNOWN;
	st->pids_current = CG_UNKNOWN;
	st->pids_limit = CG_UNKNOWN;
	st->frozen = -1;
	memset(&st->psi, 0, sizeof(st->psi));
}

static void read_value(struct cg_file_reader *r, const char *name, long long *out)
{
	long long v;

	if (cg_file_read(r, name) && cg_parse_limit(r->buf, &v) == 0)
		*out = v;
}

static void read_keyed(struct cg_file_reader *r, const char *name, const char *key,
		       long long *out)
{
	long long v;

	if (cg_file_read(r, name) && cg_parse_keyed(r->buf, key, &v) == 0)
		*out = v;
}

static void read_v2(struct cg_file_reader *r, const struct cg_hier *h,
		    struct cg_stats *st)
{
	long long v;

	/* cpu.stat's usage is there whether or not the cpu controller is. */
	read_keyed(r, "cpu.stat", "usage_usec", &st->cpu_usage_usec);
	if (cg_has_controller(h->controllers, "cpu")) {
		if (cg_file_read(r, "cpu.max"))
			cg_parse_cpu_max(r->buf, &st->cpu_quota_usec, &st->cpu_period_usec);
		read_value(r, "cpu.weight", &st->cpu_weight);
	}
	if (cg_has_controller(h->controllers, "memory")) {
		read_value(r, "memory.current", &st->memory_bytes);
		read_value(r, "memory.max", &st->memory_limit_bytes);
		read_keyed(r, "memory.events", "oom_kill", &st->oom_kills);
	}
	if (cg_has_controller(h->controllers, "pids")) {
		read_value(r, "pids.current", &st->pids_current);
		read_value(r, "pids.max", &st->pids_limit);
	}
	/* The root cgroup cannot be frozen and has no cgroup.events. */
	if (cg_file_read(r, "cgroup.events") &&
	    cg_parse_keyed(r->buf, "frozen", &v) == 0)
		st->frozen = v != 0;
	/* PSI files exist but fail to read (EOPNOTSUPP) when psi=0. */
	struct cg_psi *p = &st->psi;
	p->available = cg_file_read(r, "cpu.pressure") &&
		       cg_parse_psi(r->buf, &p->cpu_some_avg10, NULL) == 0 &&
		       cg_file_read(r, "memory.pressure") &&
		       cg_parse_psi(r->buf, &p->memory_some_avg10, &p->memory_full_avg10) == 0 &&
		       cg_file_read(r, "io.pressure") &&
		       cg_parse_psi(r->buf, &p->io_some_avg10, &p->io_full_avg10) == 0;
}

static void read_v1(struct cg_file_reader *r, const struct cg_hier *h,
		    struct cg_stats *st)
{
	long long v;

	if (cg_has_controller(h->controllers, "cpuacct") && cg_file_read(r, "cpuacct.usage") &&
	    cg_parse_limit(r->buf, &v) == 0 && v >= 0)
		st->cpu_usage_usec = v / 1000;
	if (cg_has_controller(h->controllers, "cpu")) {
		read_value(r, "cpu.cfs_quota_us", &st->cpu_quota_usec);
		read_value(r, "cpu.cfs_period_us", &st->cpu_period_usec);
		read_value(r, "cpu.shares", &st->cpu_weight);
	}
	if (cg_has_controller(h->controllers, "memory")) {
		read_value(r, "memory.usage_in_bytes", &st->memory_bytes);
		read_value(r, "memory.limit_in_bytes", &st->memory_limit_bytes);
		read_keyed(r, "memory.oom_control", "oom_kill", &st->oom_kills);
	}
	if (cg_has_controller(h->controllers, "pids")) {
		read_value(r, "pids.current", &st->pids_current);
		read_value(r, "pids.max", &st->pids_limit);
	}
	if (cg_has_controller(h->controllers, "freezer") && cg_file_read(r, "freezer.state")) {
		int frozen;
		if (cg_parse_freezer_state(r->buf, &frozen) == 0)
			st->frozen = frozen;
	}
}

void cg_stats_read(const struct nst_root *root, const struct cg_hier *h,
		   const char *dir, struct cg_stats *st)
{
	struct cg_file_reader r = { .root = root, .dir = dir };

	cg_stats_clear(st);
	if (h->v2)
		read_v2(&r, h, st);
	else
		read_v1(&r, h, st);
}
