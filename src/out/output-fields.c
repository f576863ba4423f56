/* The field tables of output.h: per column, the value as JSON and its text, one
 * entry serving -o, --list-columns, the JSON keys and the TUI's columns. */
#include "config.h"

#include <math.h>
#include <pwd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "nstop/iso.h"
#include "nstop/output.h"
#include "nstop/size.h"
#include "output-json.h"

/* ---- helpers ------------------------------------------------------------ */

static json_t *known_ll(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *known_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *known_ino(ino_t ino)
{
	return ino ? json_integer((json_int_t)ino) : json_null();
}

json_t *out_ctr_ref_json(const struct eng_ctr *c)
{
	return json_pack("{s:s,s:s,s:s,s:b}", "engine", eng_kind_name(c->kind),
			 "id", c->id, "name", c->name ? c->name : c->id, "paused", c->paused);
}

bool out_value_text(json_t *v, char *buf, size_t size)
{
	bool ok = true;

	if (!v || json_is_null(v))
		ok = false;
	else if (json_is_object(v) && json_is_string(json_object_get(v, "engine")) &&
		 json_is_string(json_object_get(v, "name")))
		snprintf(buf, size, "%s:%s",
			 strcmp(json_string_value(json_object_get(v, "engine")), "kubernetes") == 0 ? "k8s" :
			 json_string_value(json_object_get(v, "engine")),
			 json_string_value(json_object_get(v, "name")));
	else if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%.1f", json_real_value(v));
	else if (json_is_string(v))
		snprintf(buf, size, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
	else
		ok = false;
	json_decref(v);
	if (!ok && size)
		snprintf(buf, size, "-");
	return ok;
}

int out_primary_hier(const struct cg_layout *L)
{
	int systemd = -1;

	for (int h = 0; h < L->n; h++)
		if (L->h[h].v2 && L->mode == CG_MODE_V2)
			return h;
	for (int h = 0; h < L->n; h++) {
		if (L->h[h].v2)
			continue;
		if (strstr(L->h[h].controllers, "memory"))
			return h;
		if (strcmp(L->h[h].controllers, "name=systemd") == 0 && systemd < 0)
			systemd = h;
	}
	if (systemd >= 0)
		return systemd;
	return L->n ? 0 : -1;
}

/* ---- processes ---------------------------------------------------------- */

static json_t *p_pid(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return json_integer(p->pid);
}

static json_t *p_ppid(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return p->ppid < 0 ? json_null() : json_integer(p->ppid);
}

static json_t *p_user(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return p->user[0] ? json_string(p->user) : json_null();
}

static json_t *p_uid(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return p->uid == (uid_t)-1 ? json_null() : json_integer(p->uid);
}

static json_t *p_state(const struct snapshot *s, const struct scan_proc *p, int a)
{
	char st[2] = { p->state, '\0' };
	return p->state == '?' ? json_null() : json_string(st);
}

static json_t *p_cpu(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return p->cpu_percent < 0 ? json_null() :
	       json_real(nst_round_to(p->cpu_percent, 10.0));
}

static json_t *p_rss(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return known_ll(p->rss_bytes);
}

static bool p_rss_text(const struct snapshot *s, const struct scan_proc *p, int a,
		       char *buf, size_t size)
{
	nst_format_bytes(p->rss_bytes, buf, size);
	return p->rss_bytes >= 0;
}

static json_t *p_comm(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return json_string(p->comm);
}

static json_t *p_cmdline(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return known_str(p->cmdline);
}

/* As top and ps show it: the command line, or [comm] when it has none. */
static bool p_command_text(const struct snapshot *s, const struct scan_proc *p,
			   int a, char *buf, size_t size)
{
	if (p->cmdline)
		snprintf(buf, size, "%s", p->cmdline);
	else
		snprintf(buf, size, "[%s]", p->comm);
	return true;
}

static json_t *p_ns(const struct snapshot *s, const struct scan_proc *p, int t)
{
	return known_ino(p->ns[t]);
}

static const char *proc_cg_path(const struct snapshot *s, const struct scan_proc *p,
				int form, int h)
{
	if (h < 0)
		return NULL;
	switch (form) {
	case OUT_CG_OWN: return p->cg[h].ns_path;
	case OUT_CG_VIEW: return p->cg[h].view_path;
	default: return p->cg[h].path;
	}
}

static json_t *p_cgroup(const struct snapshot *s, const struct scan_proc *p, int form)
{
	return known_str(proc_cg_path(s, p, form, out_primary_hier(&s->layout)));
}

/* {engine, id, name}: every engine's container (src/engine). */
static json_t *p_container(const struct snapshot *s, const struct scan_proc *p, int a)
{
	return p->ctr ? out_ctr_ref_json(p->ctr) : json_null();
}

/* engine:name ("docker:web"), as one sorts and filters by it; a paused
 * (frozen) container's processes say so, as their state letter cannot. */
static bool p_container_text(const struct snapshot *s, const struct scan_proc *p,
			     int a, char *buf, size_t size)
{
	if (!p->ctr) {
		snprintf(buf, size, "-");
		return false;
	}
	eng_ctr_label(p->ctr, buf, size);
	if (p->ctr->paused) {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, " (paused)");
	}
	return true;
}

/* The number of exposures and the worst, read only for the rows shown. */
static bool p_isolation_text(const struct snapshot *s, const struct scan_proc *p,
			     int a, char *buf, size_t size)
{
	const struct iso_facts *f = s->iso ? iso_proc(s->iso, s, p) : NULL;
	int sev;

	iso_summary(f ? f->x : 0, f != NULL, buf, size, &sev);
	return f != NULL;
}

static json_t *p_isolation(const struct snapshot *s, const struct scan_proc *p, int a)
{
	char buf[64];

	return p_isolation_text(s, p, a, buf, sizeof(buf)) ? json_string(buf) : json_null();
}

/* The fields every process writes into the document, straight to its
 * stream: the bytes of out_js_kv_json(js, key, value(...)), without a
 * jansson value made and freed for each (thousands a snapshot). */
static void s_pid(struct out_js *js, const char *key, const struct snapshot *s,
		  const struct scan_proc *p)
{
	out_js_kv_int(js, key, p->pid);
}

/* A count the kernel may not give (-1): null then. */
static void kv_known_int(struct out_js *js, const char *key, long long v)
{
	if (v < 0) {
		out_js_key(js, key);
		out_js_null(js);
	} else {
		out_js_kv_int(js, key, v);
	}
}

static void s_ppid(struct out_js *js, const char *key, const struct snapshot *s,
		   const struct scan_proc *p)
{
	kv_known_int(js, key, p->ppid);
}

static void s_user(struct out_js *js, const char *key, const struct snapshot *s,
		   const struct scan_proc *p)
{
	out_js_kv_str(js, key, p->user[0] ? p->user : NULL);
}

static void s_state(struct out_js *js, const char *key, const struct snapshot *s,
		    const struct scan_proc *p)
{
	char st[2] = { p->state, '\0' };

	out_js_kv_str(js, key, p->state == '?' ? NULL : st);
}

static void s_cpu(struct out_js *js, const char *key, const struct snapshot *s,
		  const struct scan_proc *p)
{
	double v = nst_round_to(p->cpu_percent, 10.0);

	if (p->cpu_percent < 0) {
		out_js_key(js, key);
		out_js_null(js);
	} else if (out_js_real_ok(v)) {	/* json_real refused the others */
		out_js_key(js, key);
		out_js_real(js, v);
	}
}

static void s_rss(struct out_js *js, const char *key, const struct snapshot *s,
		  const struct scan_proc *p)
{
	kv_known_int(js, key, p->rss_bytes);
}

static void s_comm(struct out_js *js, const char *key, const struct snapshot *s,
		   const struct scan_proc *p)
{
	out_js_kv_str(js, key, p->comm);	/* never NULL */
}

static void s_cmdline(struct out_js *js, const char *key, const struct snapshot *s,
		      const struct scan_proc *p)
{
	out_js_kv_str(js, key, p->cmdline);
}

#define NSCOL(n, H, T) { n "ns", H, NULL, 10, OUT_RIGHT, \
	"inode of the " n " namespace", T, p_ns, NULL, NULL }

const struct out_proc_field out_proc_fields[] = {
	{ "pid", "PID", "pid", 7, OUT_RIGHT, "process id", 0, p_pid, NULL, s_pid },
	{ "ppid", "PPID", "ppid", 7, OUT_RIGHT, "parent process id", 0, p_ppid, NULL, s_ppid },
	{ "user", "USER", "user", 9, OUT_LEFT, "effective user name", 0, p_user, NULL, s_user },
	{ "uid", "UID", NULL, 6, OUT_RIGHT, "effective user id", 0, p_uid, NULL, NULL },
	{ "state", "S", "state", 1, OUT_LEFT, "process state (R, S, D, Z, T, I)", 0, p_state, NULL, s_state },
	{ "cpu", "%CPU", "cpu_percent", 5, OUT_RIGHT, "cpu use in percent of one cpu", 0, p_cpu, NULL, s_cpu },
	{ "rss", "RES", "rss_bytes", 6, OUT_RIGHT, "resident memory", 0, p_rss, p_rss_text, s_rss },
	{ "comm", "COMM", "comm", 15, OUT_LEFT, "command name", 0, p_comm, NULL, s_comm },
	{ "cmdline", "COMMAND", "cmdline", 0, OUT_LEFT, "command line, or [comm]", 0, p_cmdline, p_command_text, s_cmdline },
	NSCOL("cgroup", "CGROUPNS", NS_CGROUP), NSCOL("ipc", "IPCNS", NS_IPC),
	NSCOL("mnt", "MNTNS", NS_MNT), NSCOL("net", "NETNS", NS_NET),
	NSCOL("pid", "PIDNS", NS_PID), NSCOL("time", "TIMENS", NS_TIME),
	NSCOL("user", "USERNS", NS_USER), NSCOL("uts", "UTSNS", NS_UTS),
	{ "cgroup", "CGROUP", NULL, 30, OUT_LEFT, "cgroup path as the host sees it", OUT_CG_HOST, p_cgroup, NULL, NULL },
	{ "nscgroup", "NSCGROUP", NULL, 24, OUT_LEFT, "cgroup path as the process's own cgroup namespace sees it", OUT_CG_OWN, p_cgroup, NULL, NULL },
	{ "viewcgroup", "VIEWCGROUP", NULL, 24, OUT_LEFT, "cgroup path as the --view-from process sees it", OUT_CG_VIEW, p_cgroup, NULL, NULL },
	{ "container", "CONTAINER", "container", 22, OUT_LEFT, "the container, as engine:name (docker:web, k8s:ns/pod/ctr, nstop:demo)", 0, p_container, p_container_text, NULL },
	{ "isolation", "ISOLATION", NULL, 22, OUT_LEFT, "exposures: their number and the worst (see nstop inspect)", 0, p_isolation, p_isolation_text, NULL },
};
const size_t out_proc_nfields = sizeof(out_proc_fields) / sizeof(out_proc_fields[0]);

const struct out_proc_field *out_proc_field_find(const char *name)
{
	for (size_t i = 0; i < out_proc_nfields; i++)
		if (strcasecmp(out_proc_fields[i].name, name) == 0)
			return &out_proc_fields[i];
	return NULL;
}

bool out_proc_text(const struct out_proc_field *f, const struct snapshot *s,
		   const struct scan_proc *p, char *buf, size_t size)
{
	if (f->text)
		return f->text(s, p, f->arg, buf, size);
	return out_value_text(f->value(s, p, f->arg), buf, size);
}

/* ---- namespaces: lsns's columns ----------------------------------------- */

static const struct scan_proc *ns_proc(const struct snapshot *s, const struct scan_ns *ns)
{
	return snapshot_find_proc(s, ns->first);
}

static json_t *n_ns(const struct snapshot *s, const struct scan_ns *ns)
{
	return json_integer((json_int_t)ns->inode);
}

static json_t *n_type(const struct snapshot *s, const struct scan_ns *ns)
{
	return json_string(ns_type_name(ns->type));
}

static json_t *n_path(const struct snapshot *s, const struct scan_ns *ns)
{
	char buf[64];
	if (!ns->nprocs)
		return json_null();
	snprintf(buf, sizeof(buf), "/proc/%d/ns/%s", (int)ns->first, ns_type_name(ns->type));
	return json_string(buf);
}

static json_t *n_nprocs(const struct snapshot *s, const struct scan_ns *ns)
{
	return json_integer((json_int_t)ns->nprocs);
}

static json_t *n_pid(const struct snapshot *s, const struct scan_ns *ns)
{
	return ns->nprocs ? json_integer(ns->first) : json_null();
}

static json_t *n_ppid(const struct snapshot *s, const struct scan_ns *ns)
{
	const struct scan_proc *p = ns_proc(s, ns);
	return p ? p_ppid(s, p, 0) : json_null();
}

/* lsns shows the command line, or the command name when there is none. */
static json_t *n_command(const struct snapshot *s, const struct scan_ns *ns)
{
	const struct scan_proc *p = ns_proc(s, ns);
	if (!p)
		return json_null();
	return json_string(p->cmdline ? p->cmdline : p->comm);
}

/* With no process in it, lsns shows who created its owning user namespace. */
static json_t *n_uid(const struct snapshot *s, const struct scan_ns *ns)
{
	const struct scan_proc *p = ns_proc(s, ns);
	if (p)
		return p_uid(s, p, 0);
	return ns->owner_uid == (uid_t)-1 ? json_null() : json_integer(ns->owner_uid);
}

static json_t *n_user(const struct snapshot *s, const struct scan_ns *ns)
{
	const struct scan_proc *p = ns_proc(s, ns);
	char buf[1024];
	struct passwd pw, *r = NULL;

	if (p)
		return p_user(s, p, 0);
	if (ns->owner_uid == (uid_t)-1)
		return json_null();
	if (getpwuid_r(ns->owner_uid, &pw, buf, sizeof(buf), &r) == 0 && r)
		return json_string(r->pw_name);
	return json_sprintf("%u", (unsigned)ns->owner_uid);
}

/* 0 where there is none (or the kernel will not say), as lsns prints it:
 * an empty cell would shift -r's fields. */
static json_t *n_pns(const struct snapshot *s, const struct scan_ns *ns)
{
	return json_integer((json_int_t)ns->parent);
}

static json_t *n_ons(const struct snapshot *s, const struct scan_ns *ns)
{
	return json_integer((json_int_t)ns->owner);
}

/* As lsns: the id, "unassigned", or empty (not a net namespace, unknown). */
static json_t *n_netnsid(const struct snapshot *s, const struct scan_ns *ns)
{
	if (ns->type != NS_NET || ns->netnsid == SCAN_NETNSID_UNKNOWN)
		return json_null();
	if (ns->netnsid == SCAN_NETNSID_UNASSIGNED)
		return json_string("unassigned");
	return json_sprintf("%d", ns->netnsid);
}

/* The bind mounts, one a line (lsns -W and -r join them with commas). */
static json_t *n_nsfs(const struct snapshot *s, const struct scan_ns *ns)
{
	size_t len = 0;

	if (!ns->nnames)
		return json_null();
	for (size_t i = 0; i < ns->nnames; i++)
		len += strlen(ns->names[i]) + 1;
	char *buf = malloc(len);
	if (!buf)
		return json_null();
	buf[0] = '\0';
	for (size_t i = 0; i < ns->nnames; i++) {
		if (i)
			strcat(buf, "\n");
		strcat(buf, ns->names[i]);
	}
	json_t *v = json_string(buf);
	free(buf);
	return v;
}

const struct out_ns_field out_ns_fields[] = {
	{ "NS", "ns", OUT_RIGHT, true, "namespace identifier (inode number)", n_ns },
	{ "TYPE", "type", OUT_LEFT, false, "kind of namespace", n_type },
	{ "PATH", "path", OUT_LEFT, false, "path to the namespace", n_path },
	{ "NPROCS", "nprocs", OUT_RIGHT, true, "number of processes in the namespace", n_nprocs },
	{ "PID", "pid", OUT_RIGHT, true, "lowest PID in the namespace", n_pid },
	{ "PPID", "ppid", OUT_RIGHT, true, "PPID of the PID", n_ppid },
	{ "COMMAND", "command", OUT_LEFT, false, "command line of the PID", n_command },
	{ "UID", "uid", OUT_RIGHT, true, "UID of the PID", n_uid },
	{ "USER", "user", OUT_LEFT, false, "username of the PID", n_user },
	{ "NETNSID", "netnsid", OUT_RIGHT, false, "namespace ID as used by network subsystem", n_netnsid },
	{ "NSFS", "nsfs", OUT_LEFT, false, "nsfs mountpoint (usually used network subsystem)", n_nsfs },
	{ "PNS", "pns", OUT_RIGHT, true, "parent namespace identifier (inode number)", n_pns },
	{ "ONS", "ons", OUT_RIGHT, true, "owner namespace identifier (inode number)", n_ons },
};
const size_t out_ns_nfields = sizeof(out_ns_fields) / sizeof(out_ns_fields[0]);

const struct out_ns_field *out_ns_field_find(const char *name)
{
	for (size_t i = 0; i < out_ns_nfields; i++)
		if (strcasecmp(out_ns_fields[i].name, name) == 0)
			return &out_ns_fields[i];
	return NULL;
}

bool out_ns_text(const struct out_ns_field *f, const struct snapshot *s,
		 const struct scan_ns *ns, char *buf, size_t size)
{
	return out_value_text(f->value(s, ns), buf, size);
}

/* ---- cgroups ------------------------------------------------------------ */

/* A limit: null in JSON both when unknown and when "max"; text tells. */
static json_t *limit_json(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static bool limit_text(long long v, bool bytes, char *buf, size_t size)
{
	if (v == CG_UNLIMITED)
		snprintf(buf, size, "max");
	else if (v < 0)
		snprintf(buf, size, "-");
	else if (bytes)
		nst_format_bytes(v, buf, size);
	else
		snprintf(buf, size, "%lld", v);
	return v != CG_UNKNOWN;
}

static json_t *c_hier(const struct snapshot *s, const struct scan_cgroup *c)
{
	return json_integer(s->layout.h[c->hier].id);
}

static json_t *c_controllers(const struct snapshot *s, const struct scan_cgroup *c)
{
	return json_string(s->layout.h[c->hier].controllers);
}

static json_t *c_path(const struct snapshot *s, const struct scan_cgroup *c)
{
	return json_string(c->path);
}

static json_t *c_view_path(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_str(c->view_path);
}

static json_t *c_nprocs(const struct snapshot *s, const struct scan_cgroup *c)
{
	return json_integer((json_int_t)c->nprocs);
}

static json_t *c_cpu_usage(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_ll(c->st.cpu_usage_usec);
}

static bool c_cpu_usage_text(const struct snapshot *s, const struct scan_cgroup *c,
			     char *buf, size_t size)
{
	nst_format_duration(c->st.cpu_usage_usec, buf, size);
	return c->st.cpu_usage_usec >= 0;
}

/* quota/period, as docker's --cpus: what a person compares with the cpus;
 * null for no quota, as the other limits in JSON. */
static json_t *c_cpus(const struct snapshot *s, const struct scan_cgroup *c)
{
	if (c->st.cpu_quota_usec < 0 || c->st.cpu_period_usec <= 0)
		return json_null();
	return json_real(nst_round_to((double)c->st.cpu_quota_usec * 1000.0 /
				      (double)c->st.cpu_period_usec, 1.0) / 1000.0);
}

static bool c_cpus_text(const struct snapshot *s, const struct scan_cgroup *c,
			char *buf, size_t size)
{
	if (c->st.cpu_quota_usec == CG_UNLIMITED) {
		snprintf(buf, size, "max");
		return true;
	}
	nst_format_cpus(c->st.cpu_quota_usec, c->st.cpu_period_usec, buf, size);
	return c->st.cpu_quota_usec >= 0;
}

static json_t *c_cpu_percent(const struct snapshot *s, const struct scan_cgroup *c)
{
	return c->cpu_percent < 0 ? json_null() :
	       json_real(nst_round_to(c->cpu_percent, 10.0));
}

static json_t *c_cpu_quota(const struct snapshot *s, const struct scan_cgroup *c)
{
	return limit_json(c->st.cpu_quota_usec);
}

static bool c_cpu_quota_text(const struct snapshot *s, const struct scan_cgroup *c,
			     char *buf, size_t size)
{
	return limit_text(c->st.cpu_quota_usec, false, buf, size);
}

static json_t *c_cpu_period(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_ll(c->st.cpu_period_usec);
}

static json_t *c_cpu_weight(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_ll(c->st.cpu_weight);
}

static json_t *c_mem(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_ll(c->st.memory_bytes);
}

static bool c_mem_text(const struct snapshot *s, const struct scan_cgroup *c,
		       char *buf, size_t size)
{
	return limit_text(c->st.memory_bytes, true, buf, size);
}

static json_t *c_mem_limit(const struct snapshot *s, const struct scan_cgroup *c)
{
	return limit_json(c->st.memory_limit_bytes);
}

static bool c_mem_limit_text(const struct snapshot *s, const struct scan_cgroup *c,
			     char *buf, size_t size)
{
	return limit_text(c->st.memory_limit_bytes, true, buf, size);
}

static json_t *c_oom(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_ll(c->st.oom_kills);
}

static json_t *c_pids(const struct snapshot *s, const struct scan_cgroup *c)
{
	return known_ll(c->st.pids_current);
}

static json_t *c_pids_limit(const struct snapshot *s, const struct scan_cgroup *c)
{
	return limit_json(c->st.pids_limit);
}

static bool c_pids_limit_text(const struct snapshot *s, const struct scan_cgroup *c,
			      char *buf, size_t size)
{
	return limit_text(c->st.pids_limit, false, buf, size);
}

static json_t *c_frozen(const struct snapshot *s, const struct scan_cgroup *c)
{
	return c->st.frozen < 0 ? json_null() : json_boolean(c->st.frozen);
}

static json_t *c_psi(const struct snapshot *s, const struct scan_cgroup *c)
{
	const struct cg_psi *p = &c->st.psi;

	if (!p->available)
		return json_null();
	return json_pack("{s:f,s:f,s:f,s:f,s:f}",
			 "cpu_some_avg10", p->cpu_some_avg10,
			 "memory_some_avg10", p->memory_some_avg10,
			 "memory_full_avg10", p->memory_full_avg10,
			 "io_some_avg10", p->io_some_avg10,
			 "io_full_avg10", p->io_full_avg10);
}

static bool c_psi_text(const struct snapshot *s, const struct scan_cgroup *c,
		       char *buf, size_t size)
{
	const struct cg_psi *p = &c->st.psi;

	if (!p->available) {
		snprintf(buf, size, "n/a");
		return false;
	}
	snprintf(buf, size, "cpu %.1f mem %.1f io %.1f", p->cpu_some_avg10,
		 p->memory_some_avg10, p->io_some_avg10);
	return true;
}

const struct out_cg_field out_cg_fields[] = {
	{ "PATH", "path", OUT_LEFT, false, "cgroup path as the host sees it", c_path, NULL },
	{ "VIEWPATH", "view_path", OUT_LEFT, false, "cgroup path as the --view-from process sees it", c_view_path, NULL },
	{ "HIERARCHY", "hierarchy", OUT_RIGHT, true, "hierarchy id (0 for cgroup2)", c_hier, NULL },
	{ "CONTROLLERS", "controllers", OUT_LEFT, false, "controllers of the hierarchy", c_controllers, NULL },
	{ "NPROCS", "nprocs", OUT_RIGHT, true, "processes directly in the cgroup", c_nprocs, NULL },
	{ "CPU", "cpu_usage_usec", OUT_RIGHT, true, "cpu time used (microseconds in JSON)", c_cpu_usage, c_cpu_usage_text },
	{ "CPU%", "cpu_percent", OUT_RIGHT, true, "cpu use since the last snapshot", c_cpu_percent, NULL },
	{ "CPUS", "cpus", OUT_RIGHT, true, "cpu quota over period, as docker --cpus", c_cpus, c_cpus_text },
	{ "CPUQUOTA", "cpu_quota_usec", OUT_RIGHT, true, "cpu quota per period, microseconds", c_cpu_quota, c_cpu_quota_text },
	{ "CPUPERIOD", "cpu_period_usec", OUT_RIGHT, true, "cpu quota period, microseconds", c_cpu_period, NULL },
	{ "WEIGHT", "cpu_weight", OUT_RIGHT, true, "cpu.weight (v2) or cpu.shares (v1)", c_cpu_weight, NULL },
	{ "MEM", "memory_bytes", OUT_RIGHT, true, "memory in use", c_mem, c_mem_text },
	{ "MEMLIMIT", "memory_limit_bytes", OUT_RIGHT, true, "memory limit", c_mem_limit, c_mem_limit_text },
	{ "OOMKILLS", "oom_kills", OUT_RIGHT, true, "processes killed by the OOM killer", c_oom, NULL },
	{ "PIDS", "pids_current", OUT_RIGHT, true, "tasks counted by the pids controller", c_pids, NULL },
	{ "PIDSLIMIT", "pids_limit", OUT_RIGHT, true, "pids limit", c_pids_limit, c_pids_limit_text },
	{ "FROZEN", "frozen", OUT_LEFT, false, "frozen by cgroup.freeze or freezer.state", c_frozen, NULL },
	{ "PSI", "psi", OUT_LEFT, false, "pressure stall averages over 10 s", c_psi, c_psi_text },
};
const size_t out_cg_nfields = sizeof(out_cg_fields) / sizeof(out_cg_fields[0]);

const struct out_cg_field *out_cg_field_find(const char *name)
{
	for (size_t i = 0; i < out_cg_nfields; i++)
		if (strcasecmp(out_cg_fields[i].name, name) == 0)
			return &out_cg_fields[i];
	return NULL;
}

bool out_cg_text(const struct out_cg_field *f, const struct snapshot *s,
		 const struct scan_cgroup *c, char *buf, size_t size)
{
	if (f->text)
		return f->text(s, c, buf, size);
	return out_value_text(f->value(s, c), buf, size);
}
