/*
 * Every engine's containers in the snapshot (scan_snapshot calls eng_scan on
 * a live root): snap->ctrs, one per container across all hierarchies, and
 * each member process's ctr.
 */
#ifndef NSTOP_ENGINE_SCAN_H
#define NSTOP_ENGINE_SCAN_H

#include "nstop/engine.h"
#include "nstop/scan.h"

/* What the scan context keeps between snapshots: the previous counters
 * (for cpu% and throttled%) and an fd of the host's "/". */
struct eng_state;
struct eng_state *eng_state_new(void);
void eng_state_free(struct eng_state *e);

/* Fills s->ctrs (after scan_containers) and every member's ctr. */
int eng_scan(const struct nst_root *root, struct eng_state *e, struct snapshot *s);
void eng_ctrs_free(struct eng_ctr *v, size_t n);

/* The data roots of the running dockerds, into d. */
void eng_docker_roots(const struct snapshot *s, struct eng_disk *d);

/*
 * The container's first process as the host sees it: of the members whose
 * parent is not a member (the engine's shim or monitor started them: the
 * init, and each `docker exec`), the one started first, the lower pid on a
 * tie. Not the lowest pid, which after a wrap can be an exec'd one. 0 when
 * no member is in the snapshot.
 */
pid_t eng_ctr_top(const struct snapshot *s, const struct eng_ctr *c);

/* The container of one process, or NULL. */
const struct eng_ctr *eng_ctr_of(const struct snapshot *s, pid_t pid);

#endif
