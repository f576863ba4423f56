/*
 * The common part of nstop's library loaders (include/nstop/dl.h): one
 * dlopen by soname, every symbol looked up, all or nothing. A loader keeps
 * its function pointers in a struct typed from the library's own header,
 * so a prototype that changes breaks the build, as a link would.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>

#include "nstop/dl.h"

/* The soname has no slash, so the search is the one a link's DT_NEEDED
 * gets (the system's library path, never the working directory).
 * RTLD_LOCAL keeps the library's symbols to these pointers; RTLD_NOW finds
 * a missing symbol here, not in the middle of an unpacking. The handle is
 * kept for the process's life, as a linked library would be. */
int nst_dl_load(const char *soname, const char *what, const struct nst_dl_sym *syms,
		size_t n, struct nst_err *err)
{
	const char *why;
	void *h;

	dlerror();
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		return nst_err_set(err, ENOENT, "cannot load %s (%s): %s", soname, what,
				   why ? why : "unknown error");
	}
	for (size_t i = 0; i < n; i++) {
		*syms[i].slot = dlsym(h, syms[i].name);
		if (*syms[i].slot)
			continue;
		for (size_t j = 0; j < n; j++)
			*syms[j].slot = NULL;
		dlclose(h);
		return nst_err_set(err, ENOSYS, "cannot load %s (%s): %s is missing", soname,
				   what, syms[i].name);
	}
	return 0;
}
