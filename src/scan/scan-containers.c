/*
 * The containers nstop made, in the snapshot: each one's state as the
 * runtime core reads it, and every process inside named after its container.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "nstop/runtime.h"
#include "nstop/scan.h"

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rt_state *)elem)->name);
}

void scan_containers(struct rt_ctx *rt, struct snapshot *s)
{
	char name[RT_NAME_MAX + 1];
	struct nst_err err;

	/* Not root: the state directory is root's alone, and the snapshot's
	 * containers stay unknown. */
	if (rt_list(rt, &s->containers, &s->ncontainers, &err) < 0)
		return;
	s->containers_known = true;
	if (!s->ncontainers)
		return;
	/* Every hierarchy holds the container's cgroup: the first path that
	 * lies below RT_CGROUP_PARENT names it (a process moved out of some
	 * hierarchies is still inside). */
	for (size_t i = 0; i < s->nprocs; i++) {
		struct scan_proc *p = &s->procs[i];
		for (int h = 0; h < s->layout.n && !p->container; h++) {
			const struct rt_state *c;
			if (!p->cg[h].path || !rt_container_of_cgroup(p->cg[h].path, name))
				continue;
			c = bsearch(name, s->containers, s->ncontainers,
				    sizeof(s->containers[0]), cmp_name);
			if (c)
				p->container = c->name;
		}
	}
}
