/*
 * rt-layers: --rootfs A:B:C, directories stacked as overlayfs lower layers
 * (the leftmost on top, as overlayfs's own lowerdir reads), with --overlay
 * a writable layer of the container's own above them. The image store
 * (src/image) hands its layers to the runtime the same way.
 *
 * Each layer is reached through a short link STATE_DIR/l/N, as Docker's
 * overlay2 driver does with its l/ directory: fsconfig takes at most 256
 * bytes per value on the kernels before lowerdir+ (6.8), and a colon-joined
 * list of long store paths is far longer than that.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt-launch.h"

/* One layer: a directory, resolved, with nothing in its path that the
 * overlay's option syntax would read as a separator. */
static int rt_layer_resolve(const char *dir, bool stacked, char *out,
			    struct nst_err *err)
{
	struct stat st;

	if (!dir[0])
		return nst_err_usage(err, EINVAL, "rootfs: an empty layer (two ':' in a row?)");
	if (stat(dir, &st) < 0)
		return nst_err_sys(err, errno, "rootfs %s", dir);
	if (!S_ISDIR(st.st_mode))
		return nst_err_set(err, ENOTDIR, "rootfs %s: not a directory", dir);
	if (!realpath(dir, out))
		return nst_err_sys(err, errno, "rootfs %s", dir);
	if (stacked && strpbrk(out, ",:\\"))
		return nst_err_usage(err, EINVAL,
				   "rootfs %s: ',', ':' or '\\' in the path of an overlay's layer",
				   out);
	if (strcmp(out, "/") == 0)
		return nst_err_usage(err, EINVAL,
				   "rootfs /: leave --rootfs out for the host's root (read-only)");
	return 0;
}

int rt_rootfs_resolve(const char *spec, bool overlay, char *out, size_t size,
		      struct nst_err *err)
{
	char buf[RT_PATH_MAX], real[PATH_MAX];
	bool stacked = overlay || strchr(spec, ':');
	size_t len = 0, n = 0;
	char *p, *next;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return nst_err_set(err, ENAMETOOLONG, "rootfs %s: too long", spec);
	out[0] = '\0';
	for (p = buf; p; p = next) {
		int rc;

		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		if (++n > RT_MAX_LAYERS)
			return nst_err_usage(err, E2BIG, "rootfs: more than %d layers", RT_MAX_LAYERS);
		if ((rc = rt_layer_resolve(p, stacked, real, err)) < 0)
			return rc;
		if (len + strlen(real) + 2 > size)
			return nst_err_set(err, ENAMETOOLONG, "rootfs %s: too long", spec);
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ":" : "", real);
	}
	return 0;
}

size_t rt_rootfs_nlayers(const char *rootfs)
{
	size_t n = 1;

	for (const char *p = rootfs; (p = strchr(p, ':')); p++)
		n++;
	return n;
}

int rt_layers_prepare(const struct rt_launch *l, struct nst_err *err)
{
	char dir[RT_PATH_MAX + 8], link[RT_PATH_MAX + 32], buf[RT_PATH_MAX];
	char *p, *next;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/l", l->state_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return nst_err_sys(err, errno, "making %s", dir);
	if (l->spec->userns && chmod(dir, 0711) < 0)
		return nst_err_sys(err, errno, "chmod %s", dir);
	snprintf(buf, sizeof(buf), "%s", l->spec->rootfs);
	for (p = buf; p; p = next, n++) {
		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		snprintf(link, sizeof(link), "%s/%d", dir, n);
		if (symlink(p, link) < 0)
			return nst_err_sys(err, errno, "linking %s", link);
	}
	return 0;
}

/*
 * The stacked layers, read-only, with the writable upper and work of the
 * state directory when overlay. The options name the links (relative: the
 * init's working directory is the state directory); with more layers than
 * one value holds, each goes as lowerdir+ (kernel 6.8 and later).
 */
int rt_layers_fs(const struct rt_launch *l, bool overlay, int *tree, struct nst_err *err)
{
	size_t n = rt_rootfs_nlayers(l->spec->rootfs);
	char lower[256];
	size_t len = 0;
	int fs, rc;

	fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return nst_err_sys(err, errno, "overlay");
	for (size_t i = 0; i < n && len < sizeof(lower); i++)
		len += (size_t)snprintf(lower + len, sizeof(lower) - len, "%sl/%zu",
					i ? ":" : "", i);
	if (len < sizeof(lower)) {
		rc = fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0);
	} else {
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			snprintf(lower, sizeof(lower), "l/%zu", i);
			rc = fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", lower, 0);
		}
	}
	if (rc < 0 ||
	    (overlay && (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", "upper", 0) < 0 ||
			 fsconfig(fs, FSCONFIG_SET_STRING, "workdir", "work", 0) < 0)) ||
	    (l->spec->userns && fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0) ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		rc = nst_err_sys(err, errno, "making the overlay over %s", l->spec->rootfs);
		close(fs);
		return rc;
	}
	*tree = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	rc = *tree < 0 ? nst_err_sys(err, errno, "mounting the overlay over %s",
				     l->spec->rootfs) : 0;
	close(fs);
	return rc;
}
