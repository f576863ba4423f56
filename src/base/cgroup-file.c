/* One cgroup file read (cgroup.h) and the formats of the files the kernel
 * writes there, parsed on buffers: the scan's statistics, the engines' usage,
 * the metrics and the runtime's limits all read them here. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/cgroup.h"

/* v1 reports "no limit" as the largest page-aligned counter value. */
#define CG_V1_NO_LIMIT 0x7FFFFFFFFFFFF000LL

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
