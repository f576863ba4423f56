/* libproc2 through dlopen (scan-proc2.c): the three calls the scan makes. */
#ifndef NSTOP_SCAN_PROC2_H
#define NSTOP_SCAN_PROC2_H

#include <libproc2/pids.h>

#include "nstop/err.h"

/* Typed from the header itself, so a prototype that changes breaks the build. */
struct scan_proc2 {
	__typeof__(procps_pids_new) *pids_new;
	__typeof__(procps_pids_select) *pids_select;
	__typeof__(procps_pids_unref) *pids_unref;
};

/* Filled by scan_proc2_load; pids_new is NULL until it succeeded. */
extern struct scan_proc2 scan_proc2;

/* Loads the library once: 0, or -errno with err naming the soname and why. */
int scan_proc2_load(struct nst_err *err);

#endif
