/*
 * Isolation in the snapshot: a container is its member pids, whatever engine
 * made it, and its report is the union of theirs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "nstop/iso.h"
#include "nstop/scan.h"

size_t iso_container_pids(const struct snapshot *s, const char *name, pid_t **out)
{
	size_t n = 0;

	*out = malloc((s->nprocs + 1) * sizeof(pid_t));
	if (!*out)
		return 0;
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].container && strcmp(s->procs[i].container, name) == 0)
			(*out)[n++] = s->procs[i].pid;
	return n;
}

size_t iso_members(struct iso_ctx *ctx, const struct snapshot *s, const pid_t *pids,
		   size_t n, const struct iso_facts ***out)
{
	size_t k = 0;

	*out = calloc(n + 1, sizeof(**out));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct scan_proc *p = snapshot_find_proc(s, pids[i]);
		const struct iso_facts *f = p ? iso_proc(ctx, s, p) : NULL;
		if (f)
			(*out)[k++] = f;
	}
	return k;
}

json_t *iso_container_json(struct iso_ctx *ctx, const struct snapshot *s,
			   const pid_t *pids, size_t n)
{
	const struct iso_facts **m;
	struct iso_union u;
	size_t k = iso_members(ctx, s, pids, n, &m);
	json_t *o;

	iso_union_of(m, k, &u);
	o = iso_union_json(&u);
	free(m);
	return o;
}

json_t *iso_container_name_json(struct iso_ctx *ctx, const struct snapshot *s,
				const char *name)
{
	pid_t *pids;
	size_t n = iso_container_pids(s, name, &pids);
	json_t *o = iso_container_json(ctx, s, pids, n);

	free(pids);
	return o;
}

bool iso_container_summary(struct iso_ctx *ctx, const struct snapshot *s,
			   const char *name, uint32_t *x)
{
	pid_t *pids;
	size_t n = iso_container_pids(s, name, &pids);
	const struct iso_facts **m;
	size_t k = n ? iso_members(ctx, s, pids, n, &m) : 0;
	struct iso_union u;

	*x = 0;
	if (n)
		{ iso_union_of(m, k, &u); *x = u.x; free(m); }
	free(pids);
	return k > 0;
}
