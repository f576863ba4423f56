/* JSON documents: the host, and a whole snapshot written section by section
 * into one buffer, so no document is ever held as one tree of values. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nstop/iso.h"
#include "nstop/output.h"

json_t *out_host_json(const struct snapshot *s)
{
	json_t *hiers = json_array();
	json_t *host;

	for (int h = 0; h < s->layout.n; h++) {
		const struct cg_hier *ch = &s->layout.h[h];
		json_array_append_new(hiers, json_pack("{s:i,s:s,s:s,s:s,s:s}",
			"hierarchy", ch->id, "version", ch->v2 ? "v2" : "v1",
			"controllers", ch->controllers, "mount", ch->mount,
			"mount_root", ch->mnt_root));
	}
	host = json_pack("{s:s,s:s,s:I,s:[f,f,f],s:b,s:o}",
		"hostname", s->hostname, "cgroup_mode", cg_mode_name(s->layout.mode),
		"ncpu", (json_int_t)s->ncpu,
		"loadavg", s->loadavg[0], s->loadavg[1], s->loadavg[2],
		"privileged", s->privileged, "hierarchies", hiers);
	return host;
}

json_t *out_proc_json(const struct snapshot *s, const struct scan_proc *p)
{
	json_t *o = json_object(), *ns = json_object(), *cgs = json_array();

	for (size_t i = 0; i < out_proc_nfields; i++) {
		const struct out_proc_field *f = &out_proc_fields[i];
		if (f->json)
			json_object_set_new(o, f->json, f->value(s, p, f->arg));
	}
	for (int t = 0; t < NS_NTYPES; t++)
		json_object_set_new(ns, ns_type_name((enum ns_type)t),
				    p->ns[t] ? json_integer((json_int_t)p->ns[t]) : json_null());
	json_object_set_new(o, "ns", ns);
	for (int h = 0; h < s->layout.n; h++) {
		const struct scan_cgref *r = &p->cg[h];
		json_t *c = json_pack("{s:i,s:s}", "hierarchy", s->layout.h[h].id,
				      "controllers", s->layout.h[h].controllers);
		json_object_set_new(c, "path", r->path ? json_string(r->path) : json_null());
		json_object_set_new(c, "ns_path", r->ns_path ? json_string(r->ns_path) : json_null());
		if (s->view_from)
			json_object_set_new(c, "view_path",
					    r->view_path ? json_string(r->view_path) : json_null());
		json_array_append_new(cgs, c);
	}
	json_object_set_new(o, "cgroups", cgs);
	if (s->iso)
		json_object_set_new(o, "isolation", iso_json(iso_proc(s->iso, s, p)));
	return o;
}

json_t *out_ns_json(const struct snapshot *s, const struct scan_ns *ns)
{
	json_t *pids = json_array();
	json_t *o;

	for (size_t i = 0; i < ns->nprocs; i++)
		json_array_append_new(pids, json_integer(ns->pids[i]));
	o = json_pack("{s:s,s:I,s:I,s:o}", "type", ns_type_name(ns->type),
		      "inode", (json_int_t)ns->inode, "nprocs", (json_int_t)ns->nprocs,
		      "pids", pids);
	if (ns->type == NS_USER || ns->type == NS_PID)
		json_object_set_new(o, "parent", ns->parent ?
				    json_integer((json_int_t)ns->parent) : json_null());
	json_object_set_new(o, "owner", ns->owner ?
			    json_integer((json_int_t)ns->owner) : json_null());
	json_t *names = json_array();
	for (size_t i = 0; i < ns->nnames; i++)
		json_array_append_new(names, json_string(ns->names[i]));
	json_object_set_new(o, "names", names);
	if (ns->type == NS_NET)
		json_object_set_new(o, "netnsid", ns->netnsid >= 0 ?
				    json_integer(ns->netnsid) : json_null());
	return o;
}

json_t *out_cgroup_json(const struct snapshot *s, const struct scan_cgroup *c)
{
	json_t *o = json_object();

	for (size_t i = 0; i < out_cg_nfields; i++) {
		const struct out_cg_field *f = &out_cg_fields[i];
		if (strcmp(f->json, "view_path") == 0 && !s->view_from)
			continue;
		json_object_set_new(o, f->json, f->value(s, c));
	}
	return o;
}

static json_t *view_json(const struct snapshot *s)
{
	json_t *roots;

	if (!s->view_from)
		return json_null();
	roots = json_array();
	for (int h = 0; h < s->layout.n; h++) {
		json_t *r = json_pack("{s:i}", "hierarchy", s->layout.h[h].id);
		json_object_set_new(r, "root", s->view_root[h] ?
				    json_string(s->view_root[h]) : json_null());
		json_array_append_new(roots, r);
	}
	return json_pack("{s:i,s:I,s:o}", "pid", (int)s->view_from,
			 "cgroup_ns", (json_int_t)s->view_cgns, "roots", roots);
}

static void format_time(const struct timespec *ts, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&ts->tv_sec, &tm);
	size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%03ldZ", ts->tv_nsec / 1000000);
}

static json_t *time_json(const struct snapshot *s)
{
	char when[64];

	format_time(&s->time, when, sizeof(when));
	return json_string(when);
}

static size_t count_procs(const struct snapshot *s) { return s->nprocs; }
static size_t count_ns(const struct snapshot *s) { return s->nns; }
static size_t count_cgroups(const struct snapshot *s) { return s->ncgroups; }
/* Every engine's (src/engine); null when nothing could be known (not
 * root, and no cgroup names a container). */
static json_t *containers_json(const struct snapshot *s)
{
	json_t *a;

	if (!s->containers_known && !s->nctrs)
		return json_null();
	a = json_array();
	for (size_t i = 0; i < s->nctrs; i++) {
		json_t *c = out_ctr_json(s, &s->ctrs[i]);
		if (s->iso && c)
			json_object_set_new(c, "isolation",
					    iso_container_json(s->iso, s, s->ctrs[i].pids,
							       s->ctrs[i].nprocs));
		json_array_append_new(a, c);
	}
	return a;
}

static json_t *proc_item(const struct snapshot *s, size_t i)
{
	return out_proc_json(s, &s->procs[i]);
}

static json_t *ns_item(const struct snapshot *s, size_t i)
{
	return out_ns_json(s, &s->ns[i]);
}

static json_t *cgroup_item(const struct snapshot *s, size_t i)
{
	return out_cgroup_json(s, &s->cgroups[i]);
}

/* The document's keys, in order: a single value, or an array of items. */
static const struct {
	const char *key;
	json_t *(*single)(const struct snapshot *s);
	size_t (*count)(const struct snapshot *s);
	json_t *(*item)(const struct snapshot *s, size_t i);
} sections[] = {
	{ "time", time_json, NULL, NULL },
	{ "host", out_host_json, NULL, NULL },
	{ "view_from", view_json, NULL, NULL },
	{ "processes", NULL, count_procs, proc_item },
	{ "namespaces", NULL, count_ns, ns_item },
	{ "cgroups", NULL, count_cgroups, cgroup_item },
	{ "containers", containers_json, NULL, NULL },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* The document grows in one buffer and goes out in one write. */
struct out_buf {
	char *p;
	size_t len, cap;
};

static int buf_put(const char *data, size_t size, void *arg)
{
	struct out_buf *b = arg;

	if (b->len + size > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + size)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, size);
	b->len += size;
	return 0;
}

static int buf_puts(struct out_buf *b, const char *s)
{
	return buf_put(s, strlen(s), b);
}

/* Dumps v into b and lets go of it at once, so that the whole document
 * never exists as one tree of values. */
static int buf_value(struct out_buf *b, json_t *v)
{
	int rc = v ? json_dump_callback(v, buf_put, b, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6)) : -1;

	json_decref(v);
	return rc;
}

int out_snapshot_json_write(const struct snapshot *s, FILE *f)
{
	struct out_buf b = { NULL, 0, 0 };
	int rc = buf_puts(&b, "{");

	for (size_t k = 0; k < NSECTIONS && rc == 0; k++) {
		char key[32];
		snprintf(key, sizeof(key), "%s\"%s\":", k ? "," : "", sections[k].key);
		rc = buf_puts(&b, key);
		if (rc == 0 && sections[k].single) {
			rc = buf_value(&b, sections[k].single(s));
			continue;
		}
		rc = rc ? rc : buf_puts(&b, "[");
		for (size_t i = 0; i < sections[k].count(s) && rc == 0; i++) {
			if (i)
				rc = buf_puts(&b, ",");
			rc = rc ? rc : buf_value(&b, sections[k].item(s, i));
		}
		rc = rc ? rc : buf_puts(&b, "]");
	}
	rc = rc ? rc : buf_puts(&b, "}\n");
	if (rc == 0 && fwrite(b.p, 1, b.len, f) != b.len)
		rc = -1;
	free(b.p);
	return rc ? -EIO : 0;
}
