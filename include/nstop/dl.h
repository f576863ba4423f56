/* Libraries loaded with dlopen where they are used (src/base/dl.c), so that
 * the verbs and the runtime's processes that never call them do not map
 * them: a container's launch starts nstop more than once, and each start
 * paid for every library linked (issue 20.3). */
#ifndef NSTOP_DL_H
#define NSTOP_DL_H

#include <stddef.h>

#include "nstop/err.h"

/* One function a loader wants: its name and where its address goes. */
struct nst_dl_sym {
	const char *name;
	void **slot;
};

/* Opens soname (what says what it is for, in the error) and fills every
 * slot: all of them, or none (and the handle closed). The soname is the one
 * configure read from a link against the library, so the ABI asked for is
 * the one a link would have recorded. 0, or -errno with err saying
 * "cannot load SONAME (WHAT): why". */
int nst_dl_load(const char *soname, const char *what, const struct nst_dl_sym *syms,
		size_t n, struct nst_err *err);

/* 0 while this process is in the root and mount namespace it started in,
 * else -EPERM, err saying "cannot load SONAME (WHAT): ...": every dlopen of
 * nstop asks it first (dl.c says why). */
int nst_dl_where_started(const char *soname, const char *what, struct nst_err *err);

/* Called by a process of the host just before it enters a container's root
 * or mount namespace: glibc's own loads (message catalogs, gconv modules)
 * find nothing to read from there. 0 or -errno. */
int nst_dl_leave_host(struct nst_err *err);

#endif
