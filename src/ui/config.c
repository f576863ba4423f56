/*
 * The user's settings file: "key = value" lines, '#' comments. nstop
 * rewrites the whole file when the TUI saves, so comments in it do not
 * survive a save (nstop-theme(5) says so).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/settings.h"
#include "nstop/kvfile.h"
#include "nstop/root.h"

static const char *const views[] = {
	"processes", "namespaces", "cgroups", "containers",
};

void nst_config_defaults(struct nst_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->theme, sizeof(cfg->theme), "default");
	cfg->interval = 2.0;
	snprintf(cfg->sort, sizeof(cfg->sort), "cpu");
	cfg->sort_reverse = false;
	snprintf(cfg->view, sizeof(cfg->view), "processes");
	cfg->tree = false;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int set_string(char *dst, size_t size, const char *v, const char *fname,
		      int line, const char *key, struct nst_err *err)
{
	if (strlen(v) >= size)
		return nst_err_set(err, EINVAL, "%s:%d: %s: longer than %zu characters",
				   fname, line, key, size - 1);
	snprintf(dst, size, "%s", v);
	return 0;
}

static int set_key(struct nst_config *c, const char *key, const char *v,
		   const char *fname, int line, struct nst_err *err)
{
	if (!strcmp(key, "theme")) {
		if (!*v)
			return nst_err_set(err, EINVAL, "%s:%d: theme: empty",
					   fname, line);
		return set_string(c->theme, sizeof(c->theme), v, fname, line,
				  key, err);
	}
	if (!strcmp(key, "interval")) {
		char *end;
		double d;

		errno = 0;
		d = strtod(v, &end);
		if (!*v || *end || errno || !isfinite(d) || d < NST_INTERVAL_MIN ||
		    d > NST_INTERVAL_MAX)
			return nst_err_set(err, EINVAL,
					   "%s:%d: interval: '%s' is not seconds from %g to %g",
					   fname, line, v, NST_INTERVAL_MIN, NST_INTERVAL_MAX);
		c->interval = d;
		return 0;
	}
	if (!strcmp(key, "columns"))
		return set_string(c->columns, sizeof(c->columns), v, fname, line,
				  key, err);
	if (!strcmp(key, "sort")) {
		for (const char *p = v; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' &&
			    *p != '.')
				return nst_err_set(err, EINVAL,
						   "%s:%d: sort: '%s' is not a column id",
						   fname, line, v);
		if (!*v)
			return nst_err_set(err, EINVAL, "%s:%d: sort: empty",
					   fname, line);
		return set_string(c->sort, sizeof(c->sort), v, fname, line, key,
				  err);
	}
	if (!strcmp(key, "sort_reverse") || !strcmp(key, "tree")) {
		bool b;

		if (parse_bool(v, &b) < 0)
			return nst_err_set(err, EINVAL,
					   "%s:%d: %s: '%s' is not yes or no",
					   fname, line, key, v);
		if (key[0] == 't')
			c->tree = b;
		else
			c->sort_reverse = b;
		return 0;
	}
	if (!strcmp(key, "view")) {
		for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
			if (!strcmp(v, views[i]))
				return set_string(c->view, sizeof(c->view), v,
						  fname, line, key, err);
		return nst_err_set(err, EINVAL,
				   "%s:%d: view: '%s' is not processes, namespaces, cgroups or containers",
				   fname, line, v);
	}
	return nst_err_set(err, EINVAL, "%s:%d: unknown key '%s'", fname, line, key);
}

static int set_line(char *key, char *val, const char *fname, int line, void *arg,
		    struct nst_err *err)
{
	return set_key(arg, key, val, fname, line, err);
}

int nst_config_parse(const char *text, const char *fname, struct nst_config *cfg,
		     struct nst_err *err)
{
	struct nst_config nc = *cfg;

	/* Only whole-line comments: a value (a theme's path) may hold '#'. */
	if (nst_kv_parse(text, fname ? fname : "config", false, "key = value",
			 set_line, &nc, err) < 0)
		return -EINVAL;
	*cfg = nc;
	return 0;
}

int nst_config_load(const char *path, struct nst_config *cfg, struct nst_err *err)
{
	char *text;
	struct nst_err e;
	/* a FIFO or a device planted here must not hang the start: only a
	 * regular file, of a size a config has */
	long n = nst_slurp_regular(AT_FDCWD, path, 1 << 20, &text, &e);
	int rc;

	if (n == -ENOENT)
		return 0;
	if (n < 0) {
		if (err)
			*err = e;
		return (int)n;
	}
	rc = nst_config_parse(text, path, cfg, err);
	free(text);
	return rc;
}

/* mkdir -p of path's directory. */
static int make_parent(const char *path, struct nst_err *err)
{
	char dir[4096];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return nst_err_set(err, ENAMETOOLONG, "%s: path too long", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return nst_err_sys(err, errno, "%s", dir);
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

int nst_config_save(const char *path, const struct nst_config *cfg,
		    struct nst_err *err)
{
	char tmp[4096 + 32];
	FILE *f;
	int fd, rc;

	/* A newline in a value would read back as a line of its own. */
	if (strchr(cfg->theme, '\n') || strchr(cfg->columns, '\n') ||
	    strchr(cfg->sort, '\n') || strchr(cfg->view, '\n'))
		return nst_err_set(err, EINVAL, "%s: a value holds a newline", path);
	rc = make_parent(path, err);
	if (rc < 0)
		return rc;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
	    sizeof(tmp))
		return nst_err_set(err, ENAMETOOLONG, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s", tmp);
	f = fdopen(fd, "w");
	if (!f) {
		rc = nst_err_sys(err, errno, "%s", tmp);
		close(fd);
		unlink(tmp);
		return rc;
	}
	fprintf(f, "# nstop settings, rewritten when nstop saves them (see nstop-theme(5)).\n"
		"theme = %s\ninterval = %.17g\ncolumns = %s\nsort = %s\n"
		"sort_reverse = %s\nview = %s\ntree = %s\n",
		cfg->theme, cfg->interval, cfg->columns, cfg->sort,
		cfg->sort_reverse ? "yes" : "no", cfg->view,
		cfg->tree ? "yes" : "no");
	/* The rename must not publish a file whose data is not on disk yet. */
	if (fflush(f) != 0 || fsync(fileno(f)) < 0) {
		rc = nst_err_sys(err, errno, "%s", tmp);
		fclose(f);
		unlink(tmp);
		return rc;
	}
	if (fclose(f) != 0) {
		rc = nst_err_sys(err, errno, "%s", tmp);
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, path) < 0) {
		rc = nst_err_sys(err, errno, "%s", path);
		unlink(tmp);
		return rc;
	}
	return 0;
}

const char *nst_config_default_path(char *buf, size_t size)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *h = getenv("HOME");
	int n;

	/* The XDG spec: a relative $XDG_CONFIG_HOME is invalid and ignored. */
	if (x && *x == '/')
		n = snprintf(buf, size, "%s/nstop/config", x);
	else if (h && *h)
		n = snprintf(buf, size, "%s/.config/nstop/config", h);
	else
		return NULL;
	return n < 0 || (size_t)n >= size ? NULL : buf;
}
