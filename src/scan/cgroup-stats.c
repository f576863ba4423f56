/* Per-cgroup statistics (memory, cpu, pids, frozen, limits) from the files of
 * v1 and v2 hierarchies, each read relative to the cgroup's directory fd. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/cgroup.h"

/* v1 reports "no limit" as the largest page-aligned counter value. */
#define CG_V1_NO_LIMIT 0x7FFFFFFFFFFFF000LL

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

static int parse_ll(const char *s, const char **end, long long *out)
{
	char *e;

	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (e == s || errno)
		return -EINVAL;
	*out = v;
	if (end)
		*end = e;
	return 0;
}

static bool only_space(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	return *s == '\0';
}

int cg_parse_limit(const char *buf, long long *out)
{
	const char *end;
	long long v;

	if (strncmp(buf, "max", 3) == 0 && only_space(buf + 3)) {
		*out = CG_UNLIMITED;
		return 0;
	}
	if (parse_ll(buf, &end, &v) < 0 || !only_space(end))
		return -EINVAL;
	/* cpu.cfs_quota_us says -1 for no limit. */
	*out = v >= CG_V1_NO_LIMIT || v == -1 ? CG_UNLIMITED : v;
	return 0;
}

int cg_parse_keyed(const char *buf, const char *key, long long *out)
{
	size_t klen = strlen(key);

	for (const char *line = buf; line && *line;) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
			return parse_ll(line + klen + 1, NULL, out);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -ENOENT;
}

int cg_parse_cpu_max(const char *buf, long long *quota, long long *period)
{
	const char *end;

	if (strncmp(buf, "max ", 4) == 0) {
		*quota = CG_UNLIMITED;
		end = buf + 4;
	} else if (parse_ll(buf, &end, quota) < 0 || *end != ' ') {
		return -EINVAL;
	}
	if (parse_ll(end, &end, period) < 0 || !only_space(end))
		return -EINVAL;
	return 0;
}

static int psi_avg10(const char *line, double *out)
{
	const char *p = strstr(line, "avg10=");
	char *e;

	if (!p)
		return -EINVAL;
	*out = strtod(p + 6, &e);
	return e == p + 6 ? -EINVAL : 0;
}

int cg_parse_psi(const char *buf, double *some, double *full)
{
	const char *s = strstr(buf, "some ");
	const char *f = strstr(buf, "full ");

	if (!s || psi_avg10(s, some) < 0)
		return -EINVAL;
	if (full && (!f || psi_avg10(f, full) < 0))
		return -EINVAL;
	return 0;
}

int cg_parse_freezer_state(const char *buf, int *frozen)
{
	if (strncmp(buf, "FROZEN", 6) == 0)
		*frozen = 1;
	else if (strncmp(buf, "THAWED", 6) == 0 || strncmp(buf, "FREEZING", 8) == 0)
		*frozen = 0;
	else
		return -EINVAL;
	return 0;
}

bool cg_file_read(struct cg_file_reader *r, const char *name)
{
	char path[CG_PATH_MAX + 64];

	if (strcmp(r->dir, ".") == 0)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	return nst_read_at(r->root->cg_fd, path, r->buf, sizeof(r->buf)) >= 0;
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

static bool has_controller(const struct cg_hier *h, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = h->controllers; *p;) {
		size_t len = strcspn(p, ", ");
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

static void read_v2(struct cg_file_reader *r, const struct cg_hier *h,
		    struct cg_stats *st)
{
	long long v;

	/* cpu.stat's usage is there whether or not the cpu controller is. */
	read_keyed(r, "cpu.stat", "usage_usec", &st->cpu_usage_usec);
	if (has_controller(h, "cpu")) {
		if (cg_file_read(r, "cpu.max"))
			cg_parse_cpu_max(r->buf, &st->cpu_quota_usec, &st->cpu_period_usec);
		read_value(r, "cpu.weight", &st->cpu_weight);
	}
	if (has_controller(h, "memory")) {
		read_value(r, "memory.current", &st->memory_bytes);
		read_value(r, "memory.max", &st->memory_limit_bytes);
		read_keyed(r, "memory.events", "oom_kill", &st->oom_kills);
	}
	if (has_controller(h, "pids")) {
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

	if (has_controller(h, "cpuacct") && cg_file_read(r, "cpuacct.usage") &&
	    cg_parse_limit(r->buf, &v) == 0 && v >= 0)
		st->cpu_usage_usec = v / 1000;
	if (has_controller(h, "cpu")) {
		read_value(r, "cpu.cfs_quota_us", &st->cpu_quota_usec);
		read_value(r, "cpu.cfs_period_us", &st->cpu_period_usec);
		read_value(r, "cpu.shares", &st->cpu_weight);
	}
	if (has_controller(h, "memory")) {
		read_value(r, "memory.usage_in_bytes", &st->memory_bytes);
		read_value(r, "memory.limit_in_bytes", &st->memory_limit_bytes);
		read_keyed(r, "memory.oom_control", "oom_kill", &st->oom_kills);
	}
	if (has_controller(h, "pids")) {
		read_value(r, "pids.current", &st->pids_current);
		read_value(r, "pids.max", &st->pids_limit);
	}
	if (has_controller(h, "freezer") && cg_file_read(r, "freezer.state")) {
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
