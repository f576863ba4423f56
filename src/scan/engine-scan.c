/*
 * Every engine's containers in the snapshot: each process is matched to the
 * innermost container its cgroup paths name (or, for runc and crun, whose
 * init process's cgroup it lies in), the processes are grouped into one
 * record per container across all hierarchies, each record is named from
 * its engine's records on disk and given its usage, limits and rates.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "nstop/engine.h"
#include "nstop/engine-scan.h"
#include "nstop/grow.h"
#include "nstop/runtime.h"

/* The previous snapshot's counters, for rates. */
struct eng_prev {
	enum eng_kind kind;
	char *id;
	long long usage_usec, nr_periods, nr_throttled;
};

struct eng_state {
	int host_fd;
	double time;
	size_t nprev;
	struct eng_prev *prev;
};

struct eng_state *eng_state_new(void)
{
	struct eng_state *e = calloc(1, sizeof(*e));

	if (e)
		e->host_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (e && e->host_fd < 0) {
		free(e);
		return NULL;
	}
	return e;
}

static void prev_clear(struct eng_state *e)
{
	for (size_t i = 0; i < e->nprev; i++)
		free(e->prev[i].id);
	free(e->prev);
	e->prev = NULL;
	e->nprev = 0;
}

void eng_state_free(struct eng_state *e)
{
	if (!e)
		return;
	prev_clear(e);
	close(e->host_fd);
	free(e);
}

void eng_ctrs_free(struct eng_ctr *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].pids);
		for (int h = 0; h < CG_MAX_HIER; h++)
			free(v[i].cgroup[h]);
	}
	free(v);
}

/* ---- docker's data roots --------------------------------------------------- */

static void add_root(struct eng_disk *d, const char *path, size_t len)
{
	if (len < 2 || len >= sizeof(d->docker_roots[0]) || path[0] != '/' ||
	    memmem(path, len, "..", 2) || d->ndocker_roots == 4)
		return;
	/* Relative to the host's "/", so that it is opened below host_fd. */
	memcpy(d->docker_roots[d->ndocker_roots], path + 1, len - 1);
	d->docker_roots[d->ndocker_roots][len - 1] = '\0';
	for (size_t i = 0; i < d->ndocker_roots; i++)
		if (strcmp(d->docker_roots[i], d->docker_roots[d->ndocker_roots]) == 0)
			return;
	d->ndocker_roots++;
}

/*
 * A dockerd run by root names its data root on its command line
 * (--data-root DIR, or the old -g/--graph) or in /etc/docker/daemon.json;
 * else it is /var/lib/docker. The path is root's own choice, read from
 * root's process; what is read below it is still checked as untrusted.
 */
void eng_docker_roots(const struct snapshot *s, struct eng_disk *d)
{
	char *buf;

	d->ndocker_roots = 0;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct scan_proc *p = &s->procs[i];
		const char *c = p->cmdline;
		if (p->uid != 0 || strcmp(p->comm, "dockerd") != 0 || !c)
			continue;
		while (*c) {
			size_t len = strcspn(c, " ");
			const char *arg = NULL;
			if (strncmp(c, "--data-root=", 12) == 0 && len > 12)
				arg = c + 12;
			else if ((len == 11 && strncmp(c, "--data-root", 11) == 0) ||
				 (len == 2 && strncmp(c, "-g", 2) == 0) ||
				 (len == 7 && strncmp(c, "--graph", 7) == 0))
				arg = c[len] ? c + len + 1 : NULL;
			if (arg) {
				add_root(d, arg, strcspn(arg, " "));
				break;
			}
			c += len;
			c += strspn(c, " ");
		}
	}
	if (eng_read_file(d->host_fd, "etc/docker/daemon.json", 1 << 16, &buf) >= 0) {
		json_t *j = json_loads(buf, 0, NULL);
		const char *r = json_string_value(json_object_get(j, "data-root"));
		if (r)
			add_root(d, r, strlen(r));
		json_decref(j);
		free(buf);
	}
	add_root(d, "/var/lib/docker", 15);
}

/* ---- grouping ---------------------------------------------------------------- */

struct hit {
	size_t proc;
	struct eng_match m;
	int h;
	const struct scan_proc *init;	/* runc, crun: the init its state names */
	bool by_cgroup;			/* runc, crun: the cgroup is the container's */
};

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int r = (int)x->m.kind - (int)y->m.kind;

	if (!r)
		r = strcmp(x->m.id, y->m.id);
	return r ? r : (x->proc > y->proc) - (x->proc < y->proc);
}

static const struct rt_state *own_state(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->ncontainers; i++)
		if (strcmp(s->containers[i].name, name) == 0)
			return &s->containers[i];
	return NULL;
}

/* A process's container by its cgroup paths, the first hierarchy that names
 * one deciding. nstop's own count only with a state to back them. */
static bool match_proc(const struct snapshot *s, const struct scan_proc *p,
		       struct hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	for (int h = 0; h < s->layout.n; h++) {
		if (!p->cg[h].path || !eng_match_cgroup(p->cg[h].path, &hit->m))
			continue;
		if (hit->m.kind == ENG_NSTOP && !own_state(s, hit->m.id))
			continue;
		hit->h = h;
		return true;
	}
	return false;
}

static struct hit *hit_push(struct hit **hits, size_t *nhits, size_t *cap)
{
	struct hit *nv = nst_grow(*hits, *nhits, cap, sizeof(*nv), 16);

	if (!nv)
		return NULL;
	*hits = nv;
	memset(&(*hits)[*nhits], 0, sizeof(**hits));
	return &(*hits)[(*nhits)++];
}

/* Whether p is the process anc or descends from it (ppid chain, bounded). */
static bool descends(const struct snapshot *s, const struct scan_proc *p, pid_t anc)
{
	for (int depth = 0; p && depth < 64; depth++) {
		if (p->pid == anc)
			return true;
		if (p->ppid <= 0 || p->ppid == p->pid)
			return false;
		p = snapshot_find_proc(s, p->ppid);
	}
	return false;
}

/*
 * runc and crun name no cgroup of their own: their state names the init
 * process (checked to be the one it started, by its start time, against a
 * reused pid). Its cgroup is the container's when it is named after the id
 * (runc's and crun's default /ID, runc-ID.scope, or an engine's ID-named
 * cgroup); otherwise (no cgroup made, --cgroup-manager=disabled, or a path
 * that does not say) only the init and its descendants are, and the
 * cgroup's figures are not the container's to show.
 */
static int match_state_dirs(const struct snapshot *s, int host_fd,
			    struct hit **hits, size_t *nhits, size_t *cap,
			    bool *taken)
{
	struct eng_state_ent *ent;
	size_t n;

	if (eng_state_dirs(host_fd, &ent, &n) < 0)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		const struct scan_proc *init = snapshot_find_proc(s, ent[k].pid);
		const char *top = NULL, *base;
		size_t tl = 0;
		int h = -1;
		if (!init || (ent[k].start_tics && init->start_tics != ent[k].start_tics) ||
		    taken[init - s->procs])
			continue;
		/* The unified hierarchy on v2, else the first v1 one in
		 * which the init is below the root. */
		for (int i = 0; i < s->layout.n && h < 0; i++)
			if (init->cg[i].path && strcmp(init->cg[i].path, "/") != 0 &&
			    (s->layout.mode != CG_MODE_HYBRID || !s->layout.h[i].v2))
				h = i;
		if (h >= 0) {
			top = init->cg[h].path;
			tl = strlen(top);
			base = strrchr(top, '/');
			if (!strstr(base ? base : top, ent[k].id))
				top = NULL;
		}
		for (size_t i = 0; i < s->nprocs; i++) {
			const char *pp = h >= 0 ? s->procs[i].cg[h].path : NULL;
			struct hit *x;
			if (taken[i])
				continue;
			if (top ? !pp || strncmp(pp, top, tl) != 0 || (pp[tl] != '\0' && pp[tl] != '/')
				: !descends(s, &s->procs[i], init->pid))
				continue;
			if (!(x = hit_push(hits, nhits, cap))) {
				free(ent);
				return -ENOMEM;
			}
			x->proc = i;
			x->h = h;
			x->init = init;
			x->by_cgroup = top != NULL;
			x->m.kind = ent[k].kind;
			snprintf(x->m.id, sizeof(x->m.id), "%s", ent[k].id);
			x->m.len = tl;
			taken[i] = true;
		}
	}
	free(ent);
	return 0;
}

static struct eng_ctr *ctr_push(struct eng_ctr **v, size_t *n, size_t *cap)
{
	struct eng_ctr *nv = nst_grow(*v, *n, cap, sizeof(*nv), 8);

	if (!nv)
		return NULL;
	*v = nv;
	memset(&(*v)[*n], 0, sizeof(**v));
	eng_usage_clear(&(*v)[*n].u);
	(*v)[*n].cpu_percent = (*v)[*n].throttled_percent = -1;
	return &(*v)[(*n)++];
}

/* The container's cgroup in every hierarchy, from its first member: the
 * part of each path that names the same container. */
static void ctr_cgroups(const struct snapshot *s, struct eng_ctr *c,
			const struct scan_proc *p, const struct hit *first)
{
	for (int h = 0; h < s->layout.n; h++) {
		struct eng_match m;
		const char *path = p->cg[h].path;
		if (first->init) {
			/* runc, crun: the init's cgroup in every hierarchy. */
			path = first->init->cg[h].path;
			if (first->by_cgroup && path && strcmp(path, "/") != 0)
				c->cgroup[h] = strdup(path);
			continue;
		}
		if (!path)
			continue;
		if (h == first->h)
			c->cgroup[h] = strndup(path, first->m.len);
		else if (eng_match_cgroup(path, &m) && m.kind == first->m.kind &&
			 strcmp(m.id, first->m.id) == 0)
			c->cgroup[h] = strndup(path, m.len);
	}
}

static void ctr_name(const struct eng_disk *d, struct eng_ctr *c)
{
	char name[ENG_NAME_MAX];

	if (!eng_disk_name(d, c->kind, c->id, name, sizeof(name)))
		snprintf(name, sizeof(name), "%.12s", c->id);
	c->name = strdup(name);
}

static void ctr_usage(const struct nst_root *root, const struct snapshot *s,
		      struct eng_ctr *c)
{
	char dir[CG_PATH_MAX];

	for (int h = 0; h < s->layout.n; h++)
		if (c->cgroup[h] &&
		    cg_dir_of(&s->layout.h[h], c->cgroup[h], dir, sizeof(dir)) == 0)
			eng_usage_read(root, &s->layout.h[h], dir, &c->u);
	c->paused = c->u.frozen == 1;
}

static void ctr_rates(const struct eng_state *e, double dt, struct eng_ctr *c)
{
	for (size_t i = 0; i < e->nprev && dt > 0; i++) {
		const struct eng_prev *p = &e->prev[i];
		if (p->kind != c->kind || strcmp(p->id, c->id) != 0)
			continue;
		if (c->u.cpu_usage_usec >= p->usage_usec && p->usage_usec >= 0)
			c->cpu_percent = (double)(c->u.cpu_usage_usec - p->usage_usec) /
					 (dt * 1e4);
		if (c->u.nr_periods >= p->nr_periods && p->nr_periods >= 0 &&
		    c->u.nr_throttled >= p->nr_throttled && p->nr_throttled >= 0) {
			long long dp = c->u.nr_periods - p->nr_periods;
			c->throttled_percent = dp ? 100.0 * (double)(c->u.nr_throttled -
						p->nr_throttled) / (double)dp : 0;
		}
		return;
	}
}

static void remember(struct eng_state *e, const struct snapshot *s, double now)
{
	struct eng_prev *v = calloc(s->nctrs ? s->nctrs : 1, sizeof(*v));

	prev_clear(e);
	if (!v)
		return;
	for (size_t i = 0; i < s->nctrs; i++) {
		v[i].kind = s->ctrs[i].kind;
		v[i].id = strdup(s->ctrs[i].id);
		v[i].usage_usec = s->ctrs[i].u.cpu_usage_usec;
		v[i].nr_periods = s->ctrs[i].u.nr_periods;
		v[i].nr_throttled = s->ctrs[i].u.nr_throttled;
	}
	e->prev = v;
	e->nprev = s->nctrs;
	e->time = now;
}

static int group(const struct snapshot *s, struct hit *hits, size_t nhits,
		 struct eng_ctr **out, size_t *nout)
{
	struct eng_ctr *v = NULL;
	size_t n = 0, cap = 0;

	qsort(hits, nhits, sizeof(*hits), cmp_hit);
	for (size_t i = 0; i < nhits;) {
		size_t j = i;
		struct eng_ctr *c;
		while (j < nhits && hits[j].m.kind == hits[i].m.kind &&
		       strcmp(hits[j].m.id, hits[i].m.id) == 0)
			j++;
		if (!(c = ctr_push(&v, &n, &cap)) || !(c->pids = malloc((j - i) * sizeof(pid_t))) ||
		    !(c->id = strdup(hits[i].m.id)))
			goto nomem;
		c->kind = hits[i].m.kind;
		snprintf(c->pod, sizeof(c->pod), "%s", hits[i].m.pod);
		for (size_t k = i; k < j; k++)
			c->pids[c->nprocs++] = s->procs[hits[k].proc].pid;
		ctr_cgroups(s, c, &s->procs[hits[i].proc], &hits[i]);
		if (c->kind == ENG_NSTOP)
			c->own = own_state(s, c->id);
		i = j;
	}
	/* nstop's own with no process left (exited, or made but not started)
	 * are still containers. */
	for (size_t i = 0; i < s->ncontainers; i++) {
		const struct rt_state *r = &s->containers[i];
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = v[k].own == r;
		if (seen)
			continue;
		struct eng_ctr *c = ctr_push(&v, &n, &cap);
		if (!c || !(c->id = strdup(r->name)))
			goto nomem;
		c->kind = ENG_NSTOP;
		c->own = r;
		for (int h = 0; h < s->layout.n; h++) {
			char path[RT_NAME_MAX + 16];
			snprintf(path, sizeof(path), "%s/%s", RT_CGROUP_PARENT, r->name);
			c->cgroup[h] = strdup(path);
		}
	}
	*out = v;
	*nout = n;
	return 0;
nomem:
	eng_ctrs_free(v, n);
	return -ENOMEM;
}

static bool ctr_has(const struct eng_ctr *c, pid_t pid)
{
	size_t lo = 0, hi = c->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->pids[mid] == pid)
			return true;
		if (c->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

pid_t eng_ctr_top(const struct snapshot *s, const struct eng_ctr *c)
{
	const struct scan_proc *best = NULL;

	for (size_t i = 0; i < c->nprocs; i++) {
		const struct scan_proc *p = snapshot_find_proc(s, c->pids[i]);
		if (!p || ctr_has(c, p->ppid))
			continue;
		if (!best || p->start_tics < best->start_tics)
			best = p;
	}
	return best ? best->pid : 0;
}

int eng_scan(const struct nst_root *root, struct eng_state *e, struct snapshot *s)
{
	struct eng_disk d = { .host_fd = e->host_fd };
	bool *taken = calloc(s->nprocs + 1, sizeof(bool));
	size_t nhits = 0, cap = s->nprocs + 16;
	struct hit *hits = malloc(cap * sizeof(*hits));
	int rc = -ENOMEM;

	if (!taken || !hits)
		goto out;
	for (size_t i = 0; i < s->nprocs; i++)
		if (match_proc(s, &s->procs[i], &hits[nhits])) {
			hits[nhits++].proc = i;
			taken[i] = true;
		}
	if ((rc = match_state_dirs(s, e->host_fd, &hits, &nhits, &cap, taken)) < 0 ||
	    (rc = group(s, hits, nhits, &s->ctrs, &s->nctrs)) < 0)
		goto out;
	eng_docker_roots(s, &d);
	for (size_t i = 0; i < s->nctrs; i++) {
		struct eng_ctr *c = &s->ctrs[i];
		ctr_name(&d, c);
		c->init = eng_ctr_top(s, c);
		ctr_usage(root, s, c);
		ctr_rates(e, s->monotonic - e->time, c);
		for (size_t k = 0; k < c->nprocs; k++) {
			struct scan_proc *p = (struct scan_proc *)snapshot_find_proc(s, c->pids[k]);
			if (p)
				p->ctr = c;
		}
	}
	remember(e, s, s->monotonic);
	rc = 0;
out:
	free(taken);
	free(hits);
	return rc;
}

void eng_ctr_label(const struct eng_ctr *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%s", eng_kind_label(c->kind), c->name ? c->name : c->id);
}

const char *eng_ctr_state(const struct eng_ctr *c)
{
	if (c->own)
		return rt_status_name(((const struct rt_state *)c->own)->status);
	return c->paused ? "paused" : "running";
}

void eng_ctr_hint(const struct eng_ctr *c, const char *verb, char *buf, size_t size)
{
	static const struct {
		enum eng_kind kind;
		const char *tool;
		const char *verbs[6][2];
	} tools[] = {
		{ ENG_DOCKER, "docker", { { "freeze", "pause" }, { "thaw", "unpause" },
			{ "update", "update" }, { "kill", "kill" }, { "rm", "rm -f" },
			{ "move", "exec" } } },
		{ ENG_PODMAN, "podman", { { "freeze", "pause" }, { "thaw", "unpause" },
			{ "update", "update" }, { "kill", "kill" }, { "rm", "rm -f" },
			{ "move", "exec" } } },
		{ ENG_CONTAINERD, "ctr task", { { "freeze", "pause" }, { "thaw", "resume" },
			{ "update", "update" }, { "kill", "kill" }, { "rm", "delete" },
			{ "move", "exec" } } },
		{ ENG_KUBERNETES, "kubectl", { { "freeze", "(none: pods are not paused)" },
			{ "thaw", "(none)" }, { "update", "edit pod" }, { "kill", "delete pod" },
			{ "rm", "delete pod" }, { "move", "exec" } } },
		{ ENG_LXC, "lxc", { { "freeze", "-freeze -n" }, { "thaw", "-unfreeze -n" },
			{ "update", "-cgroup -n" }, { "kill", "-stop -n" }, { "rm", "-destroy -f -n" },
			{ "move", "-attach -n" } } },
		{ ENG_NSPAWN, "machinectl", { { "freeze", "(none)" }, { "thaw", "(none)" },
			{ "update", "set-limit" }, { "kill", "kill" }, { "rm", "terminate" },
			{ "move", "shell" } } },
		{ ENG_RUNC, "runc", { { "freeze", "pause" }, { "thaw", "resume" },
			{ "update", "update" }, { "kill", "kill" }, { "rm", "delete -f" },
			{ "move", "exec" } } },
		{ ENG_CRUN, "crun", { { "freeze", "pause" }, { "thaw", "resume" },
			{ "update", "update" }, { "kill", "kill" }, { "rm", "delete -f" },
			{ "move", "exec" } } },
	};
	const char *name = c->kind == ENG_KUBERNETES || c->kind == ENG_CONTAINERD ||
			   c->kind == ENG_RUNC || c->kind == ENG_CRUN ? c->id : c->name;

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (tools[i].kind != c->kind)
			continue;
		for (int k = 0; k < 6; k++) {
			if (strcmp(tools[i].verbs[k][0], verb) != 0)
				continue;
			if (tools[i].verbs[k][1][0] == '(')
				snprintf(buf, size, "%s has no such command", tools[i].tool);
			else if (c->kind == ENG_LXC)
				snprintf(buf, size, "lxc%s %s", tools[i].verbs[k][1], name);
			else
				snprintf(buf, size, "%s %s %s", tools[i].tool,
					 tools[i].verbs[k][1], name);
			return;
		}
	}
	snprintf(buf, size, "use %s's own tools", eng_kind_name(c->kind));
}

const struct eng_ctr *eng_ctr_of(const struct snapshot *s, pid_t pid)
{
	const struct scan_proc *p = snapshot_find_proc(s, pid);

	return p ? p->ctr : NULL;
}
