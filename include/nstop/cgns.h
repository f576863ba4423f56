/*
 * The roots of cgroup namespaces: per namespace and per hierarchy, the
 * cgroup its creator was in when it unshared (cgroup_namespaces(7)). Found
 * once per namespace and cached by inode.
 */
#ifndef NSTOP_CGNS_H
#define NSTOP_CGNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "nstop/cgroup.h"
#include "nstop/root.h"

#define CGNS_MAX_MEMBERS 4

struct cgns_entry {
	ino_t inode;
	bool seen;			/* in the latest scan */
	char *root[CG_MAX_HIER];	/* as the host sees it; NULL: unknown */
};

struct cgns_cache {
	size_t n, cap;
	struct cgns_entry *e;
};

/* A namespace to resolve, with a few of its members and their cgroup
 * paths as the host sees them (per hierarchy, NULL when unknown). */
struct cgns_query {
	ino_t inode;
	int nmembers;
	pid_t pid[CGNS_MAX_MEMBERS];
	const char *host[CGNS_MAX_MEMBERS][CG_MAX_HIER];
};

void cgns_cache_clear(struct cgns_cache *c);
struct cgns_entry *cgns_cache_get(struct cgns_cache *c, ino_t inode);
/* Adds an entry (roots unknown) or returns the one there; NULL on ENOMEM. */
struct cgns_entry *cgns_cache_add(struct cgns_cache *c, ino_t inode);
/* Drops the entries not marked seen, and clears the marks. */
void cgns_cache_prune(struct cgns_cache *c);

/*
 * Fills the cache for each query. One helper process setns()es into each
 * namespace in turn and reads its members' /proc/PID/cgroup, which the
 * kernel then prints relative to that namespace's root; a member that left
 * its root (its path climbs with "/..") gives way to the next one, and
 * after them to the root of a cgroup mount a member made inside the
 * namespace, matched by mount id between its mountinfo as the namespace and
 * as the host sees it. Needs a live root and CAP_SYS_ADMIN; without them the
 * roots stay unknown. Returns 0 or -errno for a failure of nstop itself.
 */
int cgns_resolve(const struct nst_root *root, const struct cg_layout *layout,
		 struct cgns_cache *c, const struct cgns_query *q, size_t nq);
/* The same in two halves: the helper works while the caller goes on (its
 * frames read by a thread); _finish waits for it and fills the cache. q
 * and what it points to stay the caller's, unchanged, until then. *job
 * NULL (nothing to ask) is finished at once. */
struct cgns_job;
int cgns_resolve_start(const struct nst_root *root, const struct cg_layout *layout,
		       struct cgns_cache *c, const struct cgns_query *q, size_t nq,
		       struct cgns_job **job);
int cgns_resolve_finish(struct cgns_job *job, const struct nst_root *root,
			const struct cg_layout *layout, struct cgns_cache *c,
			const struct cgns_query *q, size_t nq);

/* Applies what one member shows (its /proc/PID/cgroup as read inside the
 * namespace) to e: exposed so that tests can feed literal buffers. */
void cgns_learn_from_cgroup(struct cgns_entry *e, const struct cg_layout *layout,
			    char *inside, const char *const host[CG_MAX_HIER]);
/* The same from a member's mountinfo read inside and outside. */
void cgns_learn_from_mounts(struct cgns_entry *e, const struct cg_layout *layout,
			    char *inside, char *outside);

#endif
