/*
 * img-run: an image as a container's spec. The config's Entrypoint, Cmd,
 * Env, WorkingDir and User apply as Docker applies them; the command line
 * overrides Cmd (and adds to Env). A user name is looked up in the image's
 * own /etc/passwd and /etc/group, opened inside the layer that has them
 * with RESOLVE_IN_ROOT, so an image's symlink (etc -> /etc) cannot make
 * nstop read the host's.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "img-internal.h"

int img_check_path(const char *path, struct nst_err *err)
{
	struct stat st;
	char rel[PATH_MAX];

	if (!path || !path[0])
		return nst_err_set(err, EINVAL, "image: no path given");
	if (stat(path, &st) < 0)
		return nst_err_sys(err, errno, "image %s", path);
	if (S_ISREG(st.st_mode))
		return 0;
	if (!S_ISDIR(st.st_mode))
		return nst_err_set(err, EINVAL, "image %s: neither a directory nor an archive", path);
	snprintf(rel, sizeof(rel), "%s/index.json", path);
	if (access(rel, R_OK) == 0)
		return 0;
	snprintf(rel, sizeof(rel), "%s/manifest.json", path);
	if (access(rel, R_OK) == 0)
		return 0;
	return nst_err_set(err, EINVAL,
			   "image %s: a directory without index.json (OCI layout) or manifest.json (docker save)",
			   path);
}

/* A file of the image: the topmost layer that has rel, read inside it. */
static FILE *img_layers_open(const struct img_image *img, const char *rel)
{
	char buf[RT_PATH_MAX], *p, *next;

	snprintf(buf, sizeof(buf), "%s", img->rootfs);
	for (p = buf; p; p = next) {
		struct open_how how = {
			.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
		};
		struct stat st;
		long fd;
		int dir;

		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		dir = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			continue;
		fd = syscall(SYS_openat2, dir, rel, &how, sizeof(how));
		close(dir);
		if (fd < 0)
			continue;
		if (fstat((int)fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close((int)fd);
			continue;
		}
		return fdopen((int)fd, "r");
	}
	return NULL;
}

static bool img_numeric(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && errno == 0 && *v < 4294967295UL;
}

/* The entry of name (or of id, when name is NULL) in a passwd or group
 * file: field 3 is the id, field 4 (passwd) the primary group. */
static bool img_db_find(FILE *f, const char *name, unsigned long id, unsigned long *out_id,
			unsigned long *out_gid)
{
	char line[1024];

	while (f && fgets(line, sizeof(line), f)) {
		char *fields[4] = { NULL }, *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		while (n < 4 && p) {
			fields[n++] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		if (n < 3 || !fields[2])
			continue;
		if (name ? strcmp(fields[0], name) != 0 : strtoul(fields[2], NULL, 10) != id)
			continue;
		*out_id = strtoul(fields[2], NULL, 10);
		if (out_gid && fields[3])
			*out_gid = strtoul(fields[3], NULL, 10);
		return true;
	}
	return false;
}

/* "user[:group]", by name or number, into uid and gid. */
static int img_user(const struct img_image *img, const char *spec, uid_t *uid, gid_t *gid,
		    struct nst_err *err)
{
	char u[256], *g;
	unsigned long uv = 0, gv = 0, tmp;
	FILE *f;

	snprintf(u, sizeof(u), "%s", spec);
	g = strchr(u, ':');
	if (g)
		*g++ = '\0';
	f = img_layers_open(img, "etc/passwd");
	if (img_numeric(u, &uv)) {
		/* a number need not be in passwd; its group then is 0 */
		if (!img_db_find(f, NULL, uv, &tmp, &gv))
			gv = 0;
	} else if (!img_db_find(f, u, 0, &uv, &gv)) {
		if (f)
			fclose(f);
		return nst_err_set(err, EINVAL, "image user '%s': not in the image's /etc/passwd", u);
	}
	if (f)
		fclose(f);
	if (g && !img_numeric(g, &gv)) {
		f = img_layers_open(img, "etc/group");
		bool found = img_db_find(f, g, 0, &gv, NULL);
		if (f)
			fclose(f);
		if (!found)
			return nst_err_set(err, EINVAL, "image group '%s': not in the image's /etc/group",
					   g);
	}
	*uid = (uid_t)uv;
	*gid = (gid_t)gv;
	return 0;
}

static size_t img_strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

void img_run_free(struct img_run *keep)
{
	free(keep->argv);
	free(keep->env);
	memset(keep, 0, sizeof(*keep));
}

/* n pointers of src into dst; src may be NULL when n is 0 (memcpy's may
 * not, even for no bytes). */
static void strv_copy(char **dst, char *const *src, size_t n)
{
	if (n)
		memcpy(dst, src, n * sizeof(char *));
}

int img_apply(const struct img_image *img, struct rt_spec *spec, struct img_run *keep,
	      struct nst_err *err)
{
	const struct img_config *c = &img->config;
	char *const *args = spec->argv && spec->argv[0] ? spec->argv : c->cmd;
	size_t ne = img_strv_len(c->entrypoint), na = img_strv_len(args);
	size_t ie = img_strv_len(c->env), se = img_strv_len(spec->env);
	int rc;

	memset(keep, 0, sizeof(*keep));
	if (spec->userns)
		return nst_err_set(err, EINVAL,
				   "--image with --userns: the store's layers keep the image's own owners, which a user namespace would not map");
	if (spec->rootfs)
		return nst_err_set(err, EINVAL, "--image and --rootfs: one root, not both");
	keep->argv = calloc(ne + na + 1, sizeof(char *));
	keep->env = calloc(ie + se + 1, sizeof(char *));
	if (!keep->argv || !keep->env) {
		img_run_free(keep);
		return nst_err_set(err, ENOMEM, "out of memory");
	}
	strv_copy(keep->argv, c->entrypoint, ne);
	strv_copy(keep->argv + ne, args, na);
	/* the image's first, so the command line's -e win */
	strv_copy(keep->env, c->env, ie);
	strv_copy(keep->env + ie, spec->env, se);
	if (!keep->argv[0] && !spec->detach) {
		img_run_free(keep);
		return nst_err_set(err, EINVAL,
				   "the image has no Entrypoint or Cmd: give a command after --");
	}
	if (c->workdir && c->workdir[0] != '/') {
		img_run_free(keep);
		return nst_err_set(err, EINVAL, "image WorkingDir '%s': not an absolute path",
				   c->workdir);
	}
	if (c->user && (rc = img_user(img, c->user, &spec->uid, &spec->gid, err)) < 0) {
		img_run_free(keep);
		return rc;
	}
	spec->user_set = c->user != NULL;
	spec->rootfs = img->rootfs;
	spec->overlay = true;
	spec->argv = keep->argv[0] ? keep->argv : NULL;
	spec->env = keep->env;
	spec->workdir = c->workdir;
	return 0;
}
