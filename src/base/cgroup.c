/* The cgroup layout (cgroup.h): which hierarchies are mounted where, v1, v2 or
 * hybrid, from mountinfo and statfs; and /proc/PID/cgroup's lines. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nstop/cgroup.h"
#include "nstop/mountinfo.h"

const char *cg_mode_name(enum cg_mode mode)
{
	switch (mode) {
	case CG_MODE_V1: return "v1";
	case CG_MODE_V2: return "v2";
	case CG_MODE_HYBRID: return "hybrid";
	default: return "unknown";
	}
}

bool cg_is_controller_opt(const char *opt)
{
	static const char *const known[] = {
		"cpuset", "cpu", "cpuacct", "blkio", "io", "memory", "devices",
		"freezer", "net_cls", "net_prio", "perf_event", "hugetlb",
		"pids", "rdma", "misc", "debug",
	};

	if (strncmp(opt, "name=", 5) == 0)
		return opt[5] != '\0';
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(opt, known[i]) == 0)
			return true;
	return false;
}

/* The part of mount below base ("" when equal), or NULL when outside. */
bool cg_has_controller(const char *list, const char *ctl)
{
	size_t n = strlen(ctl);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ", \n");
		if (len == n && strncmp(p, ctl, n) == 0)
			return true;
		p += len;
		p += strspn(p, ", \n");
	}
	return false;
}

static const char *path_below(const char *mount, const char *base)
{
	size_t n = strlen(base);

	if (strcmp(base, "/") == 0)
		return mount[1] ? mount : "";
	if (strncmp(mount, base, n) != 0)
		return NULL;
	if (mount[n] == '\0')
		return "";
	return mount[n] == '/' ? mount + n : NULL;
}

static void layout_remove(struct cg_layout *L, int i)
{
	memmove(&L->h[i], &L->h[i + 1], sizeof(L->h[0]) * (size_t)(L->n - i - 1));
	L->n--;
}

void cg_v1_controllers(const char *superopts, char *out, size_t size)
{
	char opts[512], *save = NULL;
	size_t len = 0;

	snprintf(opts, sizeof(opts), "%s", superopts);
	out[0] = '\0';
	for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!cg_is_controller_opt(t))
			continue;
		int n = snprintf(out + len, size - len, "%s%s", len ? "," : "", t);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

struct mi_collect {
	const char *cg_path;
	struct cg_layout *layout;
};

static int collect_mount(const struct mi_entry *e, void *arg)
{
	struct mi_collect *c = arg;
	struct cg_layout *L = c->layout;
	const char *rel = path_below(e->mount, c->cg_path);
	bool is_cg = strcmp(e->fstype, "cgroup") == 0;
	bool is_cg2 = strcmp(e->fstype, "cgroup2") == 0;

	if (!rel) {
		/* A mount on an ancestor of the cgroup root hides all of it. */
		if (path_below(c->cg_path, e->mount))
			L->n = 0;
		return 0;
	}
	/* mountinfo still lists shadowed mounts: a later mount on the same
	 * point, or above it, hides what was recorded there. */
	for (int i = L->n - 1; i >= 0; i--) {
		const char *hr = path_below(L->h[i].mount, e->mount);
		if (hr)
			layout_remove(L, i);
	}
	if ((!is_cg && !is_cg2) || L->n >= CG_MAX_HIER)
		return 0;

	struct cg_hier *h = &L->h[L->n];
	memset(h, 0, sizeof(*h));
	h->id = -1;
	h->v2 = is_cg2;
	snprintf(h->mount, sizeof(h->mount), "%s", e->mount);
	snprintf(h->dir, sizeof(h->dir), "%s", rel[0] ? rel + 1 : ".");
	snprintf(h->mnt_root, sizeof(h->mnt_root), "%s", e->root);
	if (is_cg) {
		cg_v1_controllers(e->superopts, h->controllers, sizeof(h->controllers));
		if (!h->controllers[0])
			return 0;	/* a v1 mount with no controller is not usable */
	}
	L->n++;
	return 0;
}

int cg_layout_from_mountinfo(char *mountinfo, const char *cg_path,
			     struct cg_layout *layout)
{
	struct mi_collect c = { .cg_path = cg_path, .layout = layout };
	bool v1 = false, v2 = false;

	memset(layout, 0, sizeof(*layout));
	mi_foreach(mountinfo, collect_mount, &c);
	for (int i = 0; i < layout->n; i++) {
		if (layout->h[i].v2) {
			layout->h[i].id = 0;
			v2 = true;
		} else {
			v1 = true;
		}
	}
	layout->mode = v1 && v2 ? CG_MODE_HYBRID :
		       v1 ? CG_MODE_V1 : v2 ? CG_MODE_V2 : CG_MODE_UNKNOWN;
	return 0;
}

/* True when the comma-separated lists a and b hold the same names. */
static bool same_controller_set(const char *a, const char *b)
{
	int na = 1, nb = 1;

	for (const char *p = a; *p; p++)
		na += *p == ',';
	for (const char *p = b; *p; p++)
		nb += *p == ',';
	if (na != nb)
		return false;
	for (const char *p = a; *p;) {
		size_t len = strcspn(p, ",");
		const char *q = b;
		bool found = false;
		while (*q) {
			size_t ql = strcspn(q, ",");
			if (ql == len && strncmp(p, q, len) == 0)
				found = true;
			q += ql + (q[ql] == ',');
		}
		if (!found)
			return false;
		p += len + (p[len] == ',');
	}
	return true;
}

int cg_layout_find(const struct cg_layout *layout, int id,
		   const char *controllers)
{
	for (int i = 0; i < layout->n; i++) {
		const struct cg_hier *h = &layout->h[i];
		if (id == 0) {
			if (h->v2)
				return i;
		} else if (!h->v2) {
			/* A positive id names the hierarchy; -1 asks by controllers. */
			if (id > 0 && h->id == id)
				return i;
			if ((id < 0 || h->id < 0) &&
			    same_controller_set(h->controllers, controllers))
				return i;
		}
	}
	return -1;
}

static int assign_id(int id, const char *controllers, const char *path, void *arg)
{
	struct cg_layout *L = arg;

	(void)path;
	if (id == 0)
		return 0;
	for (int i = 0; i < L->n; i++)
		if (!L->h[i].v2 && same_controller_set(L->h[i].controllers, controllers))
			L->h[i].id = id;
	return 0;
}

/* What statfs() says of the cgroup root: a cgroup2 mount is v2; a tmpfs is
 * v1, or hybrid with a cgroup2 at unified/. Unknown on fixture trees. */
static enum cg_mode cg_mode_statfs(const struct nst_root *root)
{
	struct statfs sf;
	int fd;

	if (fstatfs(root->cg_fd, &sf) < 0)
		return CG_MODE_UNKNOWN;
	if (sf.f_type == CGROUP2_SUPER_MAGIC)
		return CG_MODE_V2;
	if (sf.f_type != TMPFS_MAGIC)
		return CG_MODE_UNKNOWN;
	fd = openat(root->cg_fd, "unified", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		bool v2 = fstatfs(fd, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
		close(fd);
		if (v2)
			return CG_MODE_HYBRID;
	}
	return CG_MODE_V1;
}

static void trim_newline(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int cg_layout_discover(const struct nst_root *root, struct cg_layout *layout,
		       struct nst_err *err)
{
	char *buf = NULL;
	char small[8192];
	long n;
	enum cg_mode by_statfs = root->live ? cg_mode_statfs(root) : CG_MODE_UNKNOWN;

	n = nst_slurp_at(root->proc_fd, "self/mountinfo", &buf);
	if (n < 0)
		return nst_err_sys(err, (int)-n, "reading self/mountinfo");
	cg_layout_from_mountinfo(buf, root->cg_path, layout);
	free(buf);
	if (layout->mode == CG_MODE_UNKNOWN)
		return nst_err_set(err, ENOENT, "no cgroup hierarchy is mounted at %s",
				   root->cg_path);
	/* statfs() alone cannot see a hierarchy mounted over another one, so
	 * when the two disagree the mount table, which can, decides. */
	if (by_statfs != CG_MODE_UNKNOWN && by_statfs != layout->mode &&
	    getenv("NSTOP_DEBUG"))
		fprintf(stderr, "nstop: statfs says %s, mountinfo says %s\n",
			cg_mode_name(by_statfs), cg_mode_name(layout->mode));

	n = nst_read_at(root->proc_fd, "self/cgroup", small, sizeof(small));
	if (n < 0)
		return nst_err_sys(err, (int)-n, "reading self/cgroup");
	cg_parse_proc_cgroup(small, assign_id, layout);

	for (int i = 0; i < layout->n; i++) {
		struct cg_hier *h = &layout->h[i];
		char path[600];
		if (!h->v2)
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.controllers", h->dir);
		if (nst_read_at(root->cg_fd, path, h->controllers,
				sizeof(h->controllers)) < 0)
			h->controllers[0] = '\0';
		trim_newline(h->controllers);
	}
	return 0;
}

int cg_parse_proc_cgroup(char *buf,
			 int (*fn)(int id, const char *controllers,
				   const char *path, void *arg),
			 void *arg)
{
	char *line = buf;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		char *c1, *c2, *end;
		long id;

		if (nl)
			*nl = '\0';
		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			return -EINVAL;
		*c1 = '\0';
		*c2 = '\0';
		id = strtol(line, &end, 10);
		if (*end || end == line || id < 0)
			return -EINVAL;
		int rc = fn((int)id, c1 + 1, c2 + 1, arg);
		if (rc)
			return rc;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

#define CG_MAX_DEPTH 256

struct comps {
	int n;
	const char *p[CG_MAX_DEPTH];
	size_t len[CG_MAX_DEPTH];
};

static int split_path(const char *path, struct comps *c)
{
	c->n = 0;
	for (const char *s = path; *s;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		size_t len = strcspn(s, "/");
		if (!(len == 1 && s[0] == '.')) {
			if (c->n == CG_MAX_DEPTH)
				return -ENAMETOOLONG;
			c->p[c->n] = s;
			c->len[c->n] = len;
			c->n++;
		}
		s += len;
	}
	return 0;
}

static bool comp_eq(const struct comps *a, int i, const struct comps *b, int j)
{
	return a->len[i] == b->len[j] && memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

static bool comp_is_dotdot(const struct comps *c, int i)
{
	return c->len[i] == 2 && c->p[i][0] == '.' && c->p[i][1] == '.';
}

/* Appends "/" and a component; returns false when out is full. */
static bool append(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 + n + 1 > size)
		return false;
	out[(*len)++] = '/';
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
	return true;
}

static int finish_path(char *out, size_t size, size_t len)
{
	if (len == 0) {
		if (size < 2)
			return -ENAMETOOLONG;
		strcpy(out, "/");
	}
	return 0;
}

int cg_path_relative(const char *path, const char *ns_root, char *out,
		     size_t size)
{
	struct comps pc, rc_;
	struct comps *p = &pc, *r = &rc_;
	size_t len = 0;
	int common = 0;

	if (split_path(path, p) < 0 || split_path(ns_root, r) < 0 || size == 0)
		return -ENAMETOOLONG;
	out[0] = '\0';
	while (common < p->n && common < r->n && comp_eq(p, common, r, common))
		common++;
	for (int i = common; i < r->n; i++)
		if (!append(out, size, &len, "..", 2))
			return -ENAMETOOLONG;
	for (int i = common; i < p->n; i++)
		if (!append(out, size, &len, p->p[i], p->len[i]))
			return -ENAMETOOLONG;
	return finish_path(out, size, len);
}

int cg_root_from_views(const char *host, const char *inside, char *out,
		       size_t size)
{
	struct comps hc, ic;
	struct comps *h = &hc, *in = &ic;
	size_t len = 0;

	if (split_path(host, h) < 0 || split_path(inside, in) < 0 || size == 0)
		return -ENAMETOOLONG;
	out[0] = '\0';
	for (int i = 0; i < in->n; i++)
		if (comp_is_dotdot(in, i))
			return -ENOENT;
	if (in->n > h->n)
		return -EINVAL;
	for (int i = 0; i < in->n; i++)
		if (!comp_eq(in, i, h, h->n - in->n + i))
			return -EINVAL;
	for (int i = 0; i < h->n - in->n; i++)
		if (!append(out, size, &len, h->p[i], h->len[i]))
			return -ENAMETOOLONG;
	return finish_path(out, size, len);
}

int cg_dir_of(const struct cg_hier *h, const char *path, char *out, size_t size)
{
	char rel[CG_PATH_MAX];
	int rc = cg_path_relative(path, h->mnt_root, rel, sizeof(rel));
	int n;

	if (rc < 0)
		return rc;
	if (strncmp(rel, "/..", 3) == 0 && (rel[3] == '\0' || rel[3] == '/'))
		return -ENOENT;
	if (strcmp(rel, "/") == 0)
		n = snprintf(out, size, "%s", h->dir);
	else if (strcmp(h->dir, ".") == 0)
		n = snprintf(out, size, "%s", rel + 1);
	else
		n = snprintf(out, size, "%s%s", h->dir, rel);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
