/*
 * A container's limits (memory, cpu quota and weight, cpuset, pids), each
 * written to whichever of its cgroups' hierarchies holds the controller,
 * after every value and a hierarchy for each were checked; v2's memory.max
 * is refused below the usage, as v1 refuses it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nstop/size.h"
#include "rt-internal.h"

static int need_controller(const struct rt_cg *cg, const char *ctl, const char *what,
			   struct nst_err *err)
{
	int i = rt_cg_find(cg, ctl);

	if (i < 0)
		return nst_err_set(err, ENOTSUP,
				   "%s: no hierarchy with the %s controller is mounted", what, ctl);
	return i;
}

static int write_limit(struct rt_cg *cg, int i, const char *file, const char *val,
		       struct nst_err *err)
{
	int rc = rt_cg_write(cg->dirfd[i], file, val);

	if (rc < 0)
		return nst_err_sys(err, -rc, "%s%s/%s: writing %s", cg->layout->h[i].mount,
				   cg->path, file, val);
	return 0;
}

static int memory_busy(struct rt_cg *cg, int i, int64_t limit, const char *usage_file,
		       struct nst_err *err)
{
	char buf[64], hl[16], hu[16];
	long long usage = -1;

	if (rt_cg_read(cg->dirfd[i], usage_file, buf, sizeof(buf)) > 0)
		usage = strtoll(buf, NULL, 10);
	/* bytes, as the kernel counts, and as a person reads them */
	nst_format_bytes(limit, hl, sizeof(hl));
	nst_format_bytes(usage, hu, sizeof(hu));
	return nst_err_set(err, EBUSY, "memory limit %" PRId64 " (%s) below current usage %lld (%s)",
			   limit, hl, usage, hu);
}

/*
 * v2 never refuses memory.max: below the usage it reclaims and, failing
 * that, OOM-kills. Refused here instead, as v1 does, when what is in use
 * beyond the page cache (which reclaim can drop) is above the limit.
 */
static bool v2_memory_busy(int fd, int64_t bytes)
{
	char cur[64], *stat = NULL;
	long long used, file = 0;

	if (rt_cg_read(fd, "memory.current", cur, sizeof(cur)) <= 0)
		return false;
	used = strtoll(cur, NULL, 10);
	if (used <= bytes)
		return false;
	if (nst_slurp_at(fd, "memory.stat", &stat) >= 0)
		cg_parse_keyed(stat, "file", &file);
	free(stat);
	return used - file > bytes;
}

/*
 * v1: memory.limit_in_bytes, and memory.memsw.limit_in_bytes (where swap
 * accounting is on) set to the same value, so the limit cannot be dodged by
 * swapping; memsw may never be below the memory limit, so it goes first
 * when the limit rises and last when it falls. v2: memory.max, and
 * memory.swap.max 0 for the same reason. A limit below the usage is -EBUSY
 * on both (v2 would otherwise reclaim and then OOM-kill instead).
 */
static int set_memory(struct rt_cg *cg, int i, int64_t bytes, struct nst_err *err)
{
	char val[32], cur[64];
	int fd = cg->dirfd[i], rc;

	snprintf(val, sizeof(val), "%" PRId64, bytes);
	if (cg->layout->h[i].v2) {
		if (v2_memory_busy(fd, bytes))
			return memory_busy(cg, i, bytes, "memory.current", err);
		rc = write_limit(cg, i, "memory.max", val, err);
		if (rc == 0 && faccessat(fd, "memory.swap.max", F_OK, 0) == 0)
			rc = write_limit(cg, i, "memory.swap.max", "0", err);
		return rc;
	}
	bool memsw = faccessat(fd, "memory.memsw.limit_in_bytes", F_OK, 0) == 0;
	bool rising = rt_cg_read(fd, "memory.limit_in_bytes", cur, sizeof(cur)) > 0 &&
		      strtoll(cur, NULL, 10) < bytes;
	if (memsw && rising) {
		rc = write_limit(cg, i, "memory.memsw.limit_in_bytes", val, err);
		if (rc < 0)
			return rc;
	}
	rc = rt_cg_write(fd, "memory.limit_in_bytes", val);
	if (rc == -EBUSY)
		return memory_busy(cg, i, bytes, "memory.usage_in_bytes", err);
	if (rc < 0)
		return nst_err_sys(err, -rc, "%s%s/memory.limit_in_bytes: writing %s",
				   cg->layout->h[i].mount, cg->path, val);
	if (memsw && !rising)
		rc = write_limit(cg, i, "memory.memsw.limit_in_bytes", val, err);
	return rc;
}

/* v1 cpu.shares from the v2 weight, scaled as systemd does so that the
 * defaults meet (100 <-> 1024). */
int64_t rt_weight_to_shares(int64_t weight)
{
	int64_t shares = weight * 1024 / 100;

	return shares < 2 ? 2 : shares > 262144 ? 262144 : shares;
}

/* Every value set in l, and a hierarchy for each, before anything is
 * written. */
static int limits_check(struct rt_cg *cg, const struct rt_limits *l, struct nst_err *err)
{
	char cpuset[sizeof(l->cpuset)];
	int rc;

	if (l->memory_bytes != -1) {
		if (l->memory_bytes <= 0)
			return nst_err_set(err, EINVAL, "memory limit %" PRId64 " is not more than 0",
					   l->memory_bytes);
		rc = need_controller(cg, "memory", "memory limit", err);
		if (rc < 0)
			return rc;
	}
	if (l->cpu_quota_us != -1 || l->cpu_period_us != -1) {
		if (l->cpu_period_us < 1000 || l->cpu_period_us > 1000000)
			return nst_err_set(err, EINVAL, "cpu period %" PRId64 " us is not in 1000..1000000",
					   l->cpu_period_us);
		if (l->cpu_quota_us < 1000)
			return nst_err_set(err, EINVAL, "cpu quota %" PRId64 " us is less than 1000",
					   l->cpu_quota_us);
		rc = need_controller(cg, "cpu", "cpu limit", err);
		if (rc < 0)
			return rc;
	}
	if (l->cpu_weight != -1) {
		if (l->cpu_weight < 1 || l->cpu_weight > 10000)
			return nst_err_set(err, EINVAL, "cpu weight %" PRId64 " is not in 1..10000",
					   l->cpu_weight);
		rc = need_controller(cg, "cpu", "cpu weight", err);
		if (rc < 0)
			return rc;
	}
	if (l->cpuset[0]) {
		rc = rt_parse_cpuset(l->cpuset, cpuset, sizeof(cpuset), err);
		if (rc < 0)
			return rc;
		rc = need_controller(cg, "cpuset", "cpuset", err);
		if (rc < 0)
			return rc;
	}
	if (l->pids_max != -1) {
		if (l->pids_max < 1 || l->pids_max > 4194304)
			return nst_err_set(err, EINVAL, "pid limit %" PRId64 " is not in 1..4194304",
					   l->pids_max);
		rc = need_controller(cg, "pids", "pid limit", err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int rt_cg_set_limits(struct rt_cg *cg, const struct rt_limits *l, struct nst_err *err)
{
	char val[64];
	int i, rc;

	rc = limits_check(cg, l, err);
	if (rc < 0)
		return rc;
	/* Memory first: it is the one the kernel may refuse (EBUSY), and then
	 * nothing else has changed yet. */
	if (l->memory_bytes != -1) {
		rc = set_memory(cg, rt_cg_find(cg, "memory"), l->memory_bytes, err);
		if (rc < 0)
			return rc;
	}
	if (l->cpuset[0]) {
		rc = write_limit(cg, rt_cg_find(cg, "cpuset"), "cpuset.cpus", l->cpuset, err);
		if (rc < 0)
			return rc;
	}
	if (l->cpu_quota_us != -1) {
		i = rt_cg_find(cg, "cpu");
		if (cg->layout->h[i].v2) {
			snprintf(val, sizeof(val), "%" PRId64 " %" PRId64, l->cpu_quota_us,
				 l->cpu_period_us);
			rc = write_limit(cg, i, "cpu.max", val, err);
		} else {
			snprintf(val, sizeof(val), "%" PRId64, l->cpu_period_us);
			rc = write_limit(cg, i, "cpu.cfs_period_us", val, err);
			snprintf(val, sizeof(val), "%" PRId64, l->cpu_quota_us);
			if (rc == 0)
				rc = write_limit(cg, i, "cpu.cfs_quota_us", val, err);
		}
		if (rc < 0)
			return rc;
	}
	if (l->cpu_weight != -1) {
		i = rt_cg_find(cg, "cpu");
		if (cg->layout->h[i].v2) {
			snprintf(val, sizeof(val), "%" PRId64, l->cpu_weight);
			rc = write_limit(cg, i, "cpu.weight", val, err);
		} else {
			snprintf(val, sizeof(val), "%" PRId64, rt_weight_to_shares(l->cpu_weight));
			rc = write_limit(cg, i, "cpu.shares", val, err);
		}
		if (rc < 0)
			return rc;
	}
	if (l->pids_max != -1) {
		snprintf(val, sizeof(val), "%" PRId64, l->pids_max);
		rc = write_limit(cg, rt_cg_find(cg, "pids"), "pids.max", val, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
