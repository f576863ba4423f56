/*
 * The common part of nstop's library loaders (include/nstop/dl.h): one
 * dlopen by soname, every symbol looked up, all or nothing. A loader keeps
 * its function pointers in a struct typed from the library's own header,
 * so a prototype that changes breaks the build, as a link would.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <locale.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "nstop/dl.h"

/*
 * Threat: a library loaded from a container's files by a process that still
 * holds the host's privileges. dlopen reads /etc/ld.so.cache and the library
 * directories from the process's current root in its current mount
 * namespace; once a process of nstop has entered a container's (setns
 * CLONE_NEWNS, chroot, pivot_root: the runtime's init, exec's and enter's
 * helpers), whoever owns the container chooses the file and its
 * constructor runs as root with every capability, before any seccomp filter
 * (as docker cp's CVE-2019-14271 loaded the container's libnss). So a load
 * is refused, closed, unless "/" and the mount namespace are still the ones
 * the process started with: device and inode of both, taken by a
 * constructor (two stats), before main() can have moved anywhere. A process
 * that needs a library after such a switch loads it before. A start that
 * could not be read (no /proc) refuses every load: nstop cannot tell.
 */
static struct {
	bool known;
	dev_t root_dev, mnt_dev;
	ino_t root_ino, mnt_ino;
} nst_dl_start;

__attribute__((constructor)) static void nst_dl_record_start(void)
{
	struct stat root, mnt;

	if (stat("/", &root) < 0 || stat("/proc/thread-self/ns/mnt", &mnt) < 0)
		return;
	nst_dl_start.root_dev = root.st_dev;
	nst_dl_start.root_ino = root.st_ino;
	nst_dl_start.mnt_dev = mnt.st_dev;
	nst_dl_start.mnt_ino = mnt.st_ino;
	nst_dl_start.known = true;
}

int nst_dl_where_started(const char *soname, const char *what, struct nst_err *err)
{
	struct stat root, mnt;

	if (!nst_dl_start.known)
		return nst_err_set(err, EPERM,
				   "cannot load %s (%s): where this process started is not known (no /proc?)",
				   soname, what);
	if (stat("/", &root) < 0 || root.st_dev != nst_dl_start.root_dev ||
	    root.st_ino != nst_dl_start.root_ino)
		return nst_err_set(err, EPERM,
				   "cannot load %s (%s): this process has left the root it started in (a library there is not the host's)",
				   soname, what);
	if (stat("/proc/thread-self/ns/mnt", &mnt) < 0 || mnt.st_dev != nst_dl_start.mnt_dev ||
	    mnt.st_ino != nst_dl_start.mnt_ino)
		return nst_err_set(err, EPERM,
				   "cannot load %s (%s): this process has left the mount namespace it started in (a library there is not the host's)",
				   soname, what);
	return 0;
}

/*
 * Threat: glibc loading a container's files by itself after the switch.
 * strerror, strsignal and assert translate through gettext, which opens
 * /usr/share/locale/LANG/LC_MESSAGES/libc.mo from the current root (for
 * the operator's LANG or LANGUAGE) and, when its charset is not the
 * locale's, dlopens a gconv module named by the container's own
 * gconv-modules: the container's code in a process of the host. The C
 * locale translates nothing and converts nothing, and newlocale returns it
 * without reading a file; taken for this thread before the switch, it holds
 * until exec.
 */
int nst_dl_leave_host(struct nst_err *err)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);

	if (c == (locale_t)0 || uselocale(c) == (locale_t)0)
		return nst_err_sys(err, errno, "taking the C locale before entering a container");
	return 0;
}

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
	int rc;

	if ((rc = nst_dl_where_started(soname, what, err)) < 0)
		return rc;
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
