/*
 * libproc2, loaded when the first live scan starts (scan-proc2.h). Linking it
 * made every verb map it and what it needs (libsystemd and through it
 * libgcrypt, libgpg-error, liblzma, libzstd, liblz4): about half of what
 * `nstop run` spent starting, for a library only the scan calls. The soname
 * is the one configure read from the library pkg-config names
 * (NST_PROC2_SONAME), so the loader asks for the same ABI a link would have.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "nstop/dl.h"
#include "scan-proc2.h"

struct scan_proc2 scan_proc2;

/* Searched as a link's DT_NEEDED would be (the system's library path, never
 * the working directory: the soname has no slash). RTLD_LOCAL keeps its
 * symbols to these pointers; the handle is kept for the process's life,
 * as a linked library would be. */
int scan_proc2_load(struct nst_err *err)
{
	void *h;
	const char *why;
	int rc;

	if (scan_proc2.pids_new)
		return 0;
	/* never from a container's root (dl.c says why) */
	if ((rc = nst_dl_where_started(NST_PROC2_SONAME, "libproc2, the process table", err)) < 0)
		return rc;
	dlerror();
	h = dlopen(NST_PROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		return nst_err_set(err, ENOENT, "cannot load %s (libproc2, the process table): %s",
				   NST_PROC2_SONAME, why ? why : "unknown error");
	}
	*(void **)&scan_proc2.pids_select = dlsym(h, "procps_pids_select");
	*(void **)&scan_proc2.pids_unref = dlsym(h, "procps_pids_unref");
	*(void **)&scan_proc2.pids_new = dlsym(h, "procps_pids_new");
	if (!scan_proc2.pids_select || !scan_proc2.pids_unref || !scan_proc2.pids_new) {
		scan_proc2.pids_new = NULL;
		dlclose(h);
		return nst_err_set(err, ENOSYS, "cannot load %s (libproc2, the process table): "
				   "procps_pids_new, _select or _unref missing", NST_PROC2_SONAME);
	}
	return 0;
}
