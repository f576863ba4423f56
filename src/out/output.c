/* JSON documents: the host, and a whole snapshot written as a stream
 * (output-json.h), so no document is ever held as one tree of values. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nstop/iso.h"
#include "nstop/net.h"
#include "nstop/output.h"
#include "nstop/size.h"
#include "nstop/thread.h"
#include "output-json.h"

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

/* Read through netlink inside the namespace, entered through a process in
 * it or, with none, its nsfs file: root only, and only for a live scan (a
 * fixture's pids are not this host's). */
json_t *out_ns_interfaces_json(const struct snapshot *s, const struct scan_ns *ns)
{
	struct net_topo_ns *all;
	size_t n = 0;
	json_t *j;

	if (!s->privileged || (!ns->first && !ns->held_at))
		return json_null();
	if (!(all = calloc(s->nns, sizeof(*all))))
		return json_null();
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].type == NS_NET && (s->ns[i].first || s->ns[i].held_at))
			all[n++] = (struct net_topo_ns){ s->ns[i].inode, s->ns[i].first,
							 s->ns[i].first ? NULL : s->ns[i].held_at };
	j = net_topo_json(&(struct net_topo_ns){ ns->inode, ns->first,
						 ns->first ? NULL : ns->held_at }, all, n);
	free(all);
	return j;
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
	if (ns->type == NS_NET) {
		json_object_set_new(o, "netnsid", ns->netnsid >= 0 ?
				    json_integer(ns->netnsid) : json_null());
		json_object_set_new(o, "interfaces", out_ns_interfaces_json(s, ns));
	}
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
	nst_format_utc(ts->tv_sec, (int)(ts->tv_nsec / 1000000), buf, size);
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
	for (size_t i = 0; i < s->nctrs; i++)
		json_array_append_new(a, out_ctr_json(s, &s->ctrs[i]));
	return a;
}

/*
 * A process's isolation is most of its bytes (capability names, the
 * sentences of its exposures) and most processes share theirs with many
 * others: each distinct one is made once per document and its text put in
 * again for the next process whose facts are the same, byte for byte (the
 * pid and comm aside, which the object does not show; iso_read zeroes the
 * facts before it fills them, so equal facts have equal bytes).
 */
#define ISO_MEMO_MAX 256

/*
 * The net namespaces' interfaces: each is a netlink conversation inside the
 * namespace (net-topo.c), a tenth of a millisecond or more, and a host with
 * a few dozen made them a tenth of the document's time, in line. They are
 * read in a thread of their own while the processes are written, and taken
 * when the namespaces' turn comes (the values are the same: the same
 * function reads them, only earlier). The thread enters each namespace
 * itself (setns moves the calling thread only) and comes back, or aborts.
 */
struct ifaces_job {
	const struct snapshot *s;
	json_t **j;			/* per s->ns[i]; NULL: read in line */
	pthread_t thread;
	bool threaded;
};

static void *ifaces_read(void *arg)
{
	struct ifaces_job *job = arg;

	for (size_t i = 0; i < job->s->nns; i++)
		if (job->s->ns[i].type == NS_NET)
			job->j[i] = out_ns_interfaces_json(job->s, &job->s->ns[i]);
	return NULL;
}

/* Started where there are interfaces to read (as root, on a live scan);
 * NULL otherwise, or when no thread could start: read in line then. */
static struct ifaces_job *ifaces_start(const struct snapshot *s)
{
	struct ifaces_job *job;
	size_t nnet = 0;

	if (!s->privileged)
		return NULL;
	for (size_t i = 0; i < s->nns; i++)
		nnet += s->ns[i].type == NS_NET && (s->ns[i].first || s->ns[i].held_at);
	if (nnet < 2 || !(job = calloc(1, sizeof(*job))))
		return NULL;
	job->s = s;
	if (!(job->j = calloc(s->nns, sizeof(*job->j))) ||
	    !(job->threaded = nst_thread_start(&job->thread, ifaces_read, job))) {
		free(job->j);
		free(job);
		return NULL;
	}
	return job;
}

/* Waits for the thread (once); what it read stays for ns_stream to take. */
static void ifaces_join(struct ifaces_job *job)
{
	if (job && job->threaded) {
		pthread_join(job->thread, NULL);
		job->threaded = false;
	}
}

static void ifaces_free(struct ifaces_job *job)
{
	if (!job)
		return;
	ifaces_join(job);
	for (size_t i = 0; i < job->s->nns; i++)
		json_decref(job->j[i]);
	free(job->j);
	free(job);
}

/*
 * A process's "ns" and "cgroups" are most of the rest, and processes with
 * the same namespaces or the same cgroups share one vector of them
 * (scan-cgrefs.c: a few hundred for thousands of processes): the text of
 * each is made once per document, by the vector's address.
 */
struct vec_memo {
	size_t n, cap;			/* cap: a power of two, or 0 */
	struct vec_text {
		const void *key;
		char *text;
		size_t len;
	} *e;
};

struct iso_memo {
	size_t n, last;			/* last: the entry put in last */
	struct {
		uint64_t hash;
		struct iso_facts key;
		char *text;
		size_t len;
	} e[ISO_MEMO_MAX];
	struct vec_memo ns, cg;
	struct out_js render;		/* makes their texts; .g NULL until then */
	struct ifaces_job *ifaces;	/* the net namespaces' interfaces, or NULL */
};

static uint64_t facts_hash(const struct iso_facts *f)
{
	const unsigned char *b = (const unsigned char *)f;
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < sizeof(*f); i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static void iso_memo_stream(struct out_js *js, struct iso_memo *memo,
			    const struct iso_facts *f)
{
	struct iso_facts key;
	uint64_t h;
	char *text;

	if (!f) {
		out_js_kv_json(js, "isolation", iso_json(NULL));
		return;
	}
	key = *f;
	key.pid = 0;
	memset(key.comm, 0, sizeof(key.comm));
	/* neighbours most often have the same facts: the last match first,
	 * without a hash of the whole struct */
	if (memo->last < memo->n &&
	    memcmp(&memo->e[memo->last].key, &key, sizeof(key)) == 0) {
		out_js_key(js, "isolation");
		out_js_raw(js, memo->e[memo->last].text, memo->e[memo->last].len);
		return;
	}
	h = facts_hash(&key);
	for (size_t k = 0; k < memo->n; k++)
		if (memo->e[k].hash == h && memcmp(&memo->e[k].key, &key, sizeof(key)) == 0) {
			memo->last = k;
			out_js_key(js, "isolation");
			out_js_raw(js, memo->e[k].text, memo->e[k].len);
			return;
		}
	text = out_js_dumps(iso_json(f));
	if (!text)
		return;		/* as json_object_set_new left a NULL out */
	out_js_key(js, "isolation");
	out_js_raw(js, text, strlen(text));
	if (memo->n == ISO_MEMO_MAX) {
		free(text);
		return;
	}
	memo->e[memo->n].hash = h;
	memo->e[memo->n].key = key;
	memo->e[memo->n].text = text;
	memo->e[memo->n].len = strlen(text);
	memo->last = memo->n++;
}

static void vec_memo_clear(struct vec_memo *m)
{
	for (size_t k = 0; k < m->cap; k++)
		free(m->e[k].text);
	free(m->e);
	*m = (struct vec_memo){ 0 };
}

static void iso_memo_clear(struct iso_memo *memo)
{
	for (size_t k = 0; k < memo->n; k++)
		free(memo->e[k].text);
	memo->n = 0;
	vec_memo_clear(&memo->ns);
	vec_memo_clear(&memo->cg);
	if (memo->render.g)
		out_js_end(&memo->render);
	memo->render.g = NULL;
}

/* The slot of key: its entry, or the empty one it goes in. */
static struct vec_text *vec_slot(struct vec_memo *m, const void *key)
{
	size_t i = ((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ULL >> 20;

	for (;; i++) {
		struct vec_text *e = &m->e[i & (m->cap - 1)];
		if (!e->key || e->key == key)
			return e;
	}
}

static bool vec_memo_grow(struct vec_memo *m)
{
	struct vec_memo n = { .cap = m->cap ? m->cap * 2 : 256 };

	if (!(n.e = calloc(n.cap, sizeof(*n.e))))
		return false;
	for (size_t k = 0; k < m->cap; k++)
		if (m->e[k].key)
			*vec_slot(&n, m->e[k].key) = m->e[k];
	n.n = m->n;
	free(m->e);
	*m = n;
	return true;
}

typedef void vec_write_fn(struct out_js *js, const struct snapshot *s,
			  const struct scan_proc *p);

/* write's text for p, from the memo when a process with the same vector
 * (key) was written before; made by the memo's own writer (render) and
 * kept; written as it goes where it cannot be kept. */
static void vec_stream(struct out_js *js, struct iso_memo *memo, struct vec_memo *m,
		       const void *key, vec_write_fn *write, const struct snapshot *s,
		       const struct scan_proc *p)
{
	struct vec_text *e = NULL;
	char *text;
	size_t len;

	if (key && (2 * (m->n + 1) <= m->cap || vec_memo_grow(m)))
		e = vec_slot(m, key);
	if (e && e->key) {
		out_js_raw(js, e->text, e->len);
		return;
	}
	if (e && !memo->render.g && out_js_begin(&memo->render, NULL) < 0)
		memo->render.g = NULL;
	if (!e || !memo->render.g) {
		write(js, s, p);
		return;
	}
	write(&memo->render, s, p);
	if (out_js_take(&memo->render, &text, &len) < 0) {
		/* its state is past saving: a new writer for the next one */
		out_js_end(&memo->render);
		memo->render.g = NULL;
		write(js, s, p);
		return;
	}
	*e = (struct vec_text){ key, text, len };
	m->n++;
	out_js_raw(js, text, len);
}

static void ns_write(struct out_js *js, const struct snapshot *s, const struct scan_proc *p)
{
	(void)s;
	out_js_map_open(js);
	for (int t = 0; t < NS_NTYPES; t++) {
		out_js_key(js, ns_type_name((enum ns_type)t));
		if (p->ns[t])
			out_js_int(js, (long long)p->ns[t]);
		else
			out_js_null(js);
	}
	out_js_map_close(js);
}

static void cgroups_write(struct out_js *js, const struct snapshot *s, const struct scan_proc *p)
{
	out_js_array_open(js);
	for (int h = 0; h < s->layout.n; h++) {
		const struct scan_cgref *r = &p->cg[h];
		/* json_pack refused the whole entry for such a name */
		if (!out_js_utf8_ok(s->layout.h[h].controllers))
			continue;
		out_js_map_open(js);
		out_js_kv_int(js, "hierarchy", s->layout.h[h].id);
		out_js_kv_str(js, "controllers", s->layout.h[h].controllers);
		out_js_kv_str(js, "path", r->path);
		out_js_kv_str(js, "ns_path", r->ns_path);
		if (s->view_from)
			out_js_kv_str(js, "view_path", r->view_path);
		out_js_map_close(js);
	}
	out_js_array_close(js);
}

/* A process as out_proc_json makes it, written as it goes: the fields of
 * the table, then "ns" and "cgroups" without a value object each. */
static void proc_stream(struct out_js *js, struct iso_memo *memo,
			const struct snapshot *s, size_t i)
{
	const struct scan_proc *p = &s->procs[i];

	out_js_map_open(js);
	for (size_t k = 0; k < out_proc_nfields; k++) {
		const struct out_proc_field *f = &out_proc_fields[k];
		if (f->json && f->stream)
			f->stream(js, f->json, s, p);
		else if (f->json)
			out_js_kv_json(js, f->json, f->value(s, p, f->arg));
	}
	out_js_key(js, "ns");
	vec_stream(js, memo, &memo->ns, p->ns, ns_write, s, p);
	out_js_key(js, "cgroups");
	vec_stream(js, memo, &memo->cg, p->cg, cgroups_write, s, p);
	if (s->iso)
		iso_memo_stream(js, memo, iso_proc(s->iso, s, p));
	out_js_map_close(js);
}

static void ns_stream(struct out_js *js, struct iso_memo *memo,
		      const struct snapshot *s, size_t i)
{
	const struct scan_ns *ns = &s->ns[i];

	out_js_map_open(js);
	out_js_kv_str(js, "type", ns_type_name(ns->type));
	out_js_kv_int(js, "inode", (long long)ns->inode);
	out_js_kv_int(js, "nprocs", (long long)ns->nprocs);
	out_js_key(js, "pids");
	out_js_array_open(js);
	for (size_t k = 0; k < ns->nprocs; k++)
		out_js_int(js, ns->pids[k]);
	out_js_array_close(js);
	if (ns->type == NS_USER || ns->type == NS_PID) {
		out_js_key(js, "parent");
		if (ns->parent)
			out_js_int(js, (long long)ns->parent);
		else
			out_js_null(js);
	}
	out_js_key(js, "owner");
	if (ns->owner)
		out_js_int(js, (long long)ns->owner);
	else
		out_js_null(js);
	/* as out_ns_json: where it is bind-mounted, its NETNSID, its links */
	out_js_key(js, "names");
	out_js_array_open(js);
	for (size_t k = 0; k < ns->nnames; k++)
		if (out_js_utf8_ok(ns->names[k]))	/* jansson left such out */
			out_js_str(js, ns->names[k]);
	out_js_array_close(js);
	if (ns->type == NS_NET) {
		out_js_key(js, "netnsid");
		if (ns->netnsid >= 0)
			out_js_int(js, ns->netnsid);
		else
			out_js_null(js);
		json_t *ifs = NULL;

		if (memo->ifaces) {
			ifaces_join(memo->ifaces);
			ifs = memo->ifaces->j[i];
			memo->ifaces->j[i] = NULL;
		}
		out_js_kv_json(js, "interfaces", ifs ? ifs : out_ns_interfaces_json(s, ns));
	}
	out_js_map_close(js);
}

static void cgroup_stream(struct out_js *js, struct iso_memo *memo,
			  const struct snapshot *s, size_t i)
{
	const struct scan_cgroup *c = &s->cgroups[i];

	out_js_map_open(js);
	for (size_t k = 0; k < out_cg_nfields; k++) {
		const struct out_cg_field *f = &out_cg_fields[k];
		if (strcmp(f->json, "view_path") == 0 && !s->view_from)
			continue;
		out_js_kv_json(js, f->json, f->value(s, c));
	}
	out_js_map_close(js);
}

/* The document's keys, in order: a single value, or an array of items. */
static const struct {
	const char *key;
	json_t *(*single)(const struct snapshot *s);
	size_t (*count)(const struct snapshot *s);
	void (*item)(struct out_js *js, struct iso_memo *memo,
		     const struct snapshot *s, size_t i);
} sections[] = {
	{ "time", time_json, NULL, NULL },
	{ "host", out_host_json, NULL, NULL },
	{ "view_from", view_json, NULL, NULL },
	{ "processes", NULL, count_procs, proc_stream },
	{ "namespaces", NULL, count_ns, ns_stream },
	{ "cgroups", NULL, count_cgroups, cgroup_stream },
	{ "containers", containers_json, NULL, NULL },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* The arrays are written item by item and handed to f in chunks, so the
 * document never exists as one tree of values, nor as one string. */
int out_snapshot_json_write(const struct snapshot *s, FILE *f)
{
	return out_snapshot_json_write_sel(s, NULL, f);
}

int out_snapshot_json_write_sel(const struct snapshot *s, const struct out_select *sel,
				FILE *f)
{
	struct iso_memo *memo = malloc(sizeof(*memo));
	struct out_js js;
	int rc = memo ? out_js_begin(&js, f) : -ENOMEM;

	if (rc < 0) {
		free(memo);
		return rc;
	}
	memo->n = memo->last = 0;
	memo->ns = memo->cg = (struct vec_memo){ 0 };
	memo->render.g = NULL;
	memo->ifaces = ifaces_start(s);
	out_js_map_open(&js);
	for (size_t k = 0; k < NSECTIONS && !js.err; k++) {
		out_js_key(&js, sections[k].key);
		if (sections[k].single) {
			out_js_json(&js, sections[k].single(s));
			continue;
		}
		out_js_array_open(&js);
		for (size_t i = 0; i < sections[k].count(s) && !js.err; i++) {
			if (sections[k].item == proc_stream &&
			    !out_proc_selected(sel, &s->procs[i]))
				continue;
			sections[k].item(&js, memo, s, i);
			out_js_flush(&js, false);
		}
		out_js_array_close(&js);
	}
	out_js_map_close(&js);
	out_js_flush(&js, true);
	if (!js.err && fputc('\n', f) == EOF)
		js.err = -EIO;
	rc = out_js_end(&js);
	ifaces_free(memo->ifaces);
	iso_memo_clear(memo);
	free(memo);
	return rc ? -EIO : 0;
}
