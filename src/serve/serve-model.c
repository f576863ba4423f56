/*
 * The model the metrics are written from: every engine's containers as the
 * snapshot has them, the cgroups the user named, the namespaces, and what
 * the snapshot does not carry for an exported cgroup: its OOM kills and its
 * PSI counters (the snapshot keeps PSI's avg10 only, and only for the
 * tree), read from the cgroup's own files, a few small reads per cgroup.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/iso.h"
#include "nstop/output.h"
#include "nstop/serve.h"

void serve_model_free(struct serve_model *m)
{
	for (size_t i = 0; i < m->ncgs; i++) {
		free(m->cgs[i].id);
		free(m->cgs[i].name);
	}
	for (size_t i = 0; i < m->nproc; i++)
		free(m->procs[i].container);
	free(m->cgs);
	free(m->ns);
	free(m->procs);
	memset(m, 0, sizeof(*m));
}

static int psi_total(const char *line, long long *out)
{
	const char *t = strstr(line, "total=");
	char *end;

	if (!t)
		return -EINVAL;
	errno = 0;
	long long v = strtoll(t + 6, &end, 10);
	if (end == t + 6 || errno || v < 0 || (*end && *end != '\n' && *end != ' '))
		return -EINVAL;
	*out = v;
	return 0;
}

int serve_parse_psi(const char *buf, struct serve_psi *out)
{
	out->some_usec = out->full_usec = -1;
	for (const char *line = buf; line && *line;) {
		const char *nl = strchr(line, '\n');
		char one[256];
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		if (n < sizeof(one)) {
			memcpy(one, line, n);
			one[n] = '\0';
			if (strncmp(one, "some ", 5) == 0)
				psi_total(one, &out->some_usec);
			else if (strncmp(one, "full ", 5) == 0)
				psi_total(one, &out->full_usec);
		}
		line = nl ? nl + 1 : NULL;
	}
	return out->some_usec < 0 ? -EINVAL : 0;
}

bool serve_cgroup_ok(const char *path)
{
	if (path[0] != '/' || strlen(path) >= CG_PATH_MAX)
		return false;
	if (strcmp(path, "/") == 0)
		return true;
	for (const char *p = path + 1;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
				return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/* What the snapshot does not carry: OOM kills and PSI's totals, from the
 * cgroup's directory in one hierarchy. */
static void read_extra(const struct nst_root *root, const struct cg_hier *h,
		       const char *dir, struct serve_cg *c)
{
	struct cg_file_reader *r = malloc(sizeof(*r));
	static const char *const psi_file[SERVE_PSI_NRES] = {
		"cpu.pressure", "memory.pressure", "io.pressure"
	};
	long long v;

	if (!r)
		return;
	r->root = root;
	r->dir = dir;
	if (h->v2) {
		if (c->oom_kills < 0 && cg_file_read(r, "memory.events") &&
		    cg_parse_keyed(r->buf, "oom_kill", &v) == 0)
			c->oom_kills = v;
		for (int k = 0; k < SERVE_PSI_NRES; k++) {
			struct serve_psi p;
			if (c->psi[k].some_usec < 0 && cg_file_read(r, psi_file[k]) &&
			    serve_parse_psi(r->buf, &p) == 0)
				c->psi[k] = p;
		}
	} else if (strstr(h->controllers, "memory") && c->oom_kills < 0 &&
		   cg_file_read(r, "memory.oom_control") &&
		   cg_parse_keyed(r->buf, "oom_kill", &v) == 0) {
		c->oom_kills = v;
	}
	free(r);
}

static void cg_init(struct serve_cg *c)
{
	memset(c, 0, sizeof(*c));
	eng_usage_clear(&c->u);
	c->nprocs = c->oom_kills = -1;
	for (int k = 0; k < SERVE_PSI_NRES; k++)
		c->psi[k].some_usec = c->psi[k].full_usec = -1;
}

static int from_ctr(const struct nst_root *root, const struct snapshot *s,
		    const struct eng_ctr *e, int primary, struct serve_cg *c)
{
	const char *id = primary >= 0 ? e->cgroup[primary] : NULL;
	char dir[CG_PATH_MAX];

	cg_init(c);
	for (int h = 0; !id && h < s->layout.n; h++)
		id = e->cgroup[h];
	c->id = strdup(id ? id : "");
	c->name = strdup(e->name ? e->name : "");
	c->engine = eng_kind_name(e->kind);
	if (!c->id || !c->name)
		return -ENOMEM;
	c->u = e->u;
	c->nprocs = (long long)e->nprocs;
	for (int h = 0; h < s->layout.n; h++)
		if (e->cgroup[h] && cg_dir_of(&s->layout.h[h], e->cgroup[h], dir, sizeof(dir)) == 0)
			read_extra(root, &s->layout.h[h], dir, c);
	if (s->iso && e->nprocs) {
		const struct iso_facts **m;
		size_t k = iso_members(s->iso, s, e->pids, e->nprocs, &m);
		if (k) {
			struct iso_union un;
			iso_union_of(m, k, &un);
			c->x = un.x;
			c->x_known = true;
		}
		free(m);
	}
	return 0;
}

static bool path_within(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (strcmp(top, "/") == 0)
		return path[0] == '/';
	return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* A cgroup the user named; -ENOENT when no hierarchy has it. */
static int from_path(const struct nst_root *root, const struct snapshot *s,
		     const char *path, int primary, struct serve_cg *c)
{
	char dir[CG_PATH_MAX];
	bool found = false;
	struct stat st;

	cg_init(c);
	for (int h = 0; h < s->layout.n; h++) {
		const struct cg_hier *hier = &s->layout.h[h];
		if (cg_dir_of(hier, path, dir, sizeof(dir)) < 0 ||
		    fstatat(root->cg_fd, dir, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		found = true;
		eng_usage_read(root, hier, dir, &c->u);
		read_extra(root, hier, dir, c);
	}
	if (!found)
		return -ENOENT;
	c->id = strdup(path);
	c->name = strdup("");
	c->engine = "";
	if (!c->id || !c->name)
		return -ENOMEM;
	if (primary >= 0) {
		c->nprocs = 0;
		for (size_t i = 0; i < s->nprocs; i++) {
			const char *p = s->procs[i].cg[primary].path;
			if (p && path_within(p, path))
				c->nprocs++;
		}
	}
	return 0;
}

static int model_procs(const struct snapshot *s, struct serve_model *m)
{
	long tck = sysconf(_SC_CLK_TCK);

	m->procs = calloc(s->nprocs ? s->nprocs : 1, sizeof(*m->procs));
	if (!m->procs)
		return -ENOMEM;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct scan_proc *p = &s->procs[i];
		struct serve_proc *o = &m->procs[m->nproc++];
		o->pid = p->pid;
		snprintf(o->comm, sizeof(o->comm), "%s", p->comm);
		o->cpu_usec = tck > 0 ? (long long)(p->tics * 1000000ULL / (unsigned long long)tck) : -1;
		o->rss_bytes = p->rss_bytes;
		if (p->ctr) {
			char label[ENG_NAME_MAX + 32];
			eng_ctr_label(p->ctr, label, sizeof(label));
			if (!(o->container = strdup(label)))
				return -ENOMEM;
		}
	}
	return 0;
}

int serve_model_build(const struct nst_root *root, const struct snapshot *s,
		      const struct serve_opts *opts, struct serve_model *m,
		      struct nst_err *err)
{
	int primary = out_primary_hier(&s->layout);
	int rc = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->nprocs = s->nprocs;
	m->ncontainers = s->nctrs;
	m->cgs = calloc(s->nctrs + opts->ncgroups + 1, sizeof(*m->cgs));
	m->ns = calloc(s->nns + 1, sizeof(*m->ns));
	if (!m->cgs || !m->ns)
		goto fail;
	for (size_t i = 0; i < s->nctrs; i++) {
		if ((rc = from_ctr(root, s, &s->ctrs[i], primary, &m->cgs[m->ncgs])) < 0) {
			m->ncgs++;
			goto fail;
		}
		m->ncgs++;
	}
	for (size_t i = 0; i < opts->ncgroups; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || strcmp(opts->cgroups[k], opts->cgroups[i]) == 0;
		if (dup)
			continue;
		rc = from_path(root, s, opts->cgroups[i], primary, &m->cgs[m->ncgs]);
		if (rc == -ENOENT) {
			/* Gone since it was named: no series, as for a container. */
			free(m->cgs[m->ncgs].id);
			free(m->cgs[m->ncgs].name);
			continue;
		}
		m->ncgs++;
		if (rc < 0)
			goto fail;
	}
	for (size_t i = 0; i < s->nns; i++) {
		m->ns[i].type = (int)s->ns[i].type;
		m->ns[i].inode = (unsigned long long)s->ns[i].inode;
		m->ns[i].nprocs = s->ns[i].nprocs;
	}
	m->nns = s->nns;
	m->per_process = opts->per_process;
	if (opts->per_process && (rc = model_procs(s, m)) < 0)
		goto fail;
	return 0;
fail:
	serve_model_free(m);
	return nst_err_sys(err, -rc, "metrics");
}
