/*
 * Isolation in the snapshot: a container is its member pids, whatever engine
 * made it, and its report is the union of theirs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "nstop/iso.h"
#include "nstop/scan.h"

/* ref is the whole of id, or a prefix of it of hex digits (as docker takes). */
static bool id_matches(const char *id, const char *ref)
{
	size_t n = strlen(ref);

	if (!id || !n || strncmp(id, ref, n) != 0)
		return false;
	return id[n] == '\0' || strspn(ref, "0123456789abcdef") == n;
}

/*
 * The snapshot's engine model names every engine's containers (nstop's own
 * among them) with their member pids. A name is untrusted text from an
 * engine's records: it is only compared here, never used as a path. Tried
 * in this order, the first that names exactly one container wins: its
 * engine:name label, an nstop container's name (nstop's own controls take
 * it so), another engine's name, its id or a unique hex prefix of it.
 */
const struct eng_ctr *iso_container_find(const struct snapshot *s, const char *ref)
{
	const struct eng_ctr *hit = NULL;
	char label[320];
	int pass, n;

	for (pass = 0; pass < 4; pass++) {
		n = 0;
		for (size_t i = 0; i < s->nctrs; i++) {
			const struct eng_ctr *c = &s->ctrs[i];
			bool m = false;

			switch (pass) {
			case 0:
				eng_ctr_label(c, label, sizeof(label));
				m = strcmp(label, ref) == 0;
				break;
			case 1:
				m = c->kind == ENG_NSTOP && c->name && strcmp(c->name, ref) == 0;
				break;
			case 2:
				m = c->kind != ENG_NSTOP && c->name && strcmp(c->name, ref) == 0;
				break;
			case 3:
				m = id_matches(c->id, ref);
				break;
			}
			if (m) {
				hit = c;
				n++;
			}
		}
		if (n == 1)
			return hit;
		if (n > 1)
			return NULL;	/* ambiguous: say none rather than guess */
	}
	return NULL;
}

size_t iso_container_pids(const struct snapshot *s, const char *name, pid_t **out)
{
	const struct eng_ctr *c = iso_container_find(s, name);
	size_t n = c ? c->nprocs : 0;

	*out = malloc((n + 1) * sizeof(pid_t));
	if (!*out)
		return 0;
	if (n)
		memcpy(*out, c->pids, n * sizeof(pid_t));
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
