/*
 * containers[]: every engine's containers (src/engine), one object each
 * with exact integers, and their figures as text in human units for the
 * views (1.2G, 0.50 cpus, 3m12s).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nstop/output.h"
#include "nstop/net.h"
#include "nstop/size.h"

static json_t *opt_ll(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* A limit: null when unknown or "max". */
static json_t *opt_limit(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *opt_pct(double v)
{
	return v < 0 ? json_null() : json_real(round(v * 10.0) / 10.0);
}

static json_t *limits_json(const struct eng_ctr *c)
{
	const struct eng_usage *u = &c->u;
	double cpus = eng_usage_cpus(u);
	json_t *l = json_object();

	json_object_set_new(l, "memory_bytes", opt_limit(u->memory_limit));
	json_object_set_new(l, "memory_high_bytes", opt_limit(u->memory_high));
	json_object_set_new(l, "swap_bytes", opt_limit(u->swap_limit));
	json_object_set_new(l, "cpus", cpus < 0 ? json_null() :
			    json_real(round(cpus * 1000.0) / 1000.0));
	json_object_set_new(l, "cpu_quota_usec", opt_limit(u->cpu_quota_usec));
	json_object_set_new(l, "cpu_period_usec", opt_limit(u->cpu_period_usec));
	json_object_set_new(l, "cpu_weight", opt_ll(u->cpu_weight));
	json_object_set_new(l, "cpu_shares", opt_ll(u->cpu_shares));
	json_object_set_new(l, "cpuset", u->cpuset[0] ? json_string(u->cpuset) : json_null());
	json_object_set_new(l, "pids", opt_limit(u->pids_limit));
	return l;
}

json_t *out_ctr_json(const struct snapshot *s, const struct eng_ctr *c)
{
	json_t *o = c->own ? rt_state_json(c->own) : json_object();

	if (c->own)
		json_object_set_new(o, "network", net_state_json(c->own));
	json_t *pids = json_array(), *cgs = json_array(), *lim = limits_json(c);
	json_t *own_lim = json_object_get(o, "limits");
	char short_id[16];

	for (size_t i = 0; i < c->nprocs; i++)
		json_array_append_new(pids, json_integer(c->pids[i]));
	for (int h = 0; h < s->layout.n; h++)
		if (c->cgroup[h])
			json_array_append_new(cgs, json_pack("{s:i,s:s,s:s}",
				"hierarchy", s->layout.h[h].id,
				"controllers", s->layout.h[h].controllers,
				"path", c->cgroup[h]));
	/* nstop's own keep the keys and values their state gives (the
	 * recorded limits of an exited one too); the kernel's add the rest. */
	if (json_is_object(own_lim)) {
		json_object_update_missing(own_lim, lim);
		json_decref(lim);
	} else {
		json_object_set_new(o, "limits", lim);
	}
	snprintf(short_id, sizeof(short_id), "%.12s", c->id);
	json_object_set_new(o, "engine", json_string(eng_kind_name(c->kind)));
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "short_id", json_string(short_id));
	json_object_set_new(o, "name", json_string(c->name ? c->name : c->id));
	json_object_set_new(o, "state", json_string(eng_ctr_state(c)));
	json_object_set_new(o, "paused", json_boolean(c->paused));
	if (!c->own)	/* nstop's own: the init its state records */
		json_object_set_new(o, "pid", c->init ? json_integer(c->init) : json_null());
	if (c->kind == ENG_KUBERNETES)
		json_object_set_new(o, "pod_uid", c->pod[0] ? json_string(c->pod) : json_null());
	json_object_set_new(o, "pids", pids);
	json_object_set_new(o, "nprocs", json_integer((json_int_t)c->nprocs));
	json_object_set_new(o, "cpu_percent", opt_pct(c->cpu_percent));
	json_object_set_new(o, "cpu_throttled_percent", opt_pct(c->throttled_percent));
	json_object_set_new(o, "cpu_usage_usec", opt_ll(c->u.cpu_usage_usec));
	json_object_set_new(o, "cpu_throttled_usec", opt_ll(c->u.throttled_usec));
	json_object_set_new(o, "memory_bytes", opt_ll(c->u.memory_bytes));
	json_object_set_new(o, "memory_peak_bytes", opt_ll(c->u.memory_peak_bytes));
	json_object_set_new(o, "pids_current", opt_ll(c->u.pids_current));
	json_object_set_new(o, "cgroups", cgs);
	return o;
}

/* ---- text ------------------------------------------------------------------ */

void out_human_limit(long long v, char *buf, size_t size)
{
	if (v == CG_UNLIMITED)
		snprintf(buf, size, "max");
	else
		nst_format_size(v, buf, size);
}

void out_human_cpus(const struct eng_usage *u, char *buf, size_t size)
{
	double cpus = eng_usage_cpus(u);

	if (cpus >= 0)
		snprintf(buf, size, "%.2f", cpus);
	else
		snprintf(buf, size, u->cpu_quota_usec == CG_UNLIMITED ? "max" : "-");
}

void out_human_usec(long long usec, char *buf, size_t size)
{
	long long s = usec / 1000000;

	if (usec < 0)
		snprintf(buf, size, "-");
	else if (s < 60)
		snprintf(buf, size, "%.1fs", (double)usec / 1e6);
	else if (s < 3600)
		snprintf(buf, size, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(buf, size, "%lldh%02lldm", s / 3600, (s / 60) % 60);
}

void out_ctr_weight_text(const struct eng_usage *u, char *buf, size_t size)
{
	if (u->cpu_weight >= 0)
		snprintf(buf, size, "%lld", u->cpu_weight);
	else if (u->cpu_shares >= 0)
		snprintf(buf, size, "%lldsh", u->cpu_shares);
	else
		snprintf(buf, size, "-");
}

/* ---- the fields of a container, for the TUI's Containers view ------------------- */

static bool ctr_name(const struct out_ctr_row *r, char *buf, size_t size)
{
	char ref[128];

	snprintf(buf, size, "%s", eng_ctr_ref(r->c, ref, sizeof(ref)));
	return true;
}

/* how it ended, as nstop list's EXIT */
static bool ctr_state(const struct out_ctr_row *r, char *buf, size_t size)
{
	int code = eng_ctr_exit_code(r->c);

	if (code >= 0)
		snprintf(buf, size, "%s %d", eng_ctr_state(r->c), code);
	else
		snprintf(buf, size, "%s", eng_ctr_state(r->c));
	return true;
}

static bool ctr_pid(const struct out_ctr_row *r, char *buf, size_t size)
{
	pid_t pid = eng_ctr_pid(r->c);

	return pid > 0 && snprintf(buf, size, "%d", (int)pid) > 0;
}

static bool ctr_memlimit(const struct out_ctr_row *r, char *buf, size_t size)
{
	long long limit = eng_ctr_memory_limit(r->c);

	if (limit < 0)
		snprintf(buf, size, "max");
	else
		nst_format_size(limit, buf, size);
	return true;
}

static bool ctr_cpus(const struct out_ctr_row *r, char *buf, size_t size)
{
	double cpus = eng_ctr_cpus(r->c);

	snprintf(buf, size, cpus > 0 ? "%.2f" : "max", cpus);
	return true;
}

static bool ctr_addresses(const struct out_ctr_row *r, char *buf, size_t size)
{
	return r->net && r->net->addrs[0] && snprintf(buf, size, "%s", r->net->addrs) > 0;
}

static bool ctr_veth(const struct out_ctr_row *r, char *buf, size_t size)
{
	return r->net && r->net->veth[0] && snprintf(buf, size, "%s", r->net->veth) > 0;
}

/* nstop's own without a process (exited, created) have none to count */
static bool ctr_nprocs(const struct out_ctr_row *r, char *buf, size_t size)
{
	return (r->c->nprocs || eng_ctr_pid(r->c) > 0) &&
	       snprintf(buf, size, "%zu", r->c->nprocs) > 0;
}

static bool ctr_cpu_percent(const struct out_ctr_row *r, char *buf, size_t size)
{
	return r->c->cpu_percent >= 0 && snprintf(buf, size, "%.1f", r->c->cpu_percent) > 0;
}

static bool ctr_throttled(const struct out_ctr_row *r, char *buf, size_t size)
{
	return r->c->throttled_percent >= 0 &&
	       snprintf(buf, size, "%.0f", r->c->throttled_percent) > 0;
}

static bool ctr_memory(const struct out_ctr_row *r, char *buf, size_t size)
{
	nst_format_bytes(r->c->u.memory_bytes, buf, size);
	return true;
}

static bool ctr_peak(const struct out_ctr_row *r, char *buf, size_t size)
{
	nst_format_bytes(r->c->u.memory_peak_bytes, buf, size);
	return true;
}

static bool ctr_cpuset(const struct out_ctr_row *r, char *buf, size_t size)
{
	return r->c->u.cpuset[0] && snprintf(buf, size, "%s", r->c->u.cpuset) > 0;
}

static bool ctr_weight(const struct out_ctr_row *r, char *buf, size_t size)
{
	out_ctr_weight_text(&r->c->u, buf, size);
	return true;
}

static bool ctr_pids_limit(const struct out_ctr_row *r, char *buf, size_t size)
{
	long long v = r->c->u.pids_limit;

	if (v == CG_UNLIMITED)
		snprintf(buf, size, "max");
	return v == CG_UNLIMITED || (v >= 0 && snprintf(buf, size, "%lld", v) > 0);
}

const struct out_ctr_field out_ctr_fields[] = {
	{ "NAME", "NAME", "name", 16, OUT_LEFT, OUT_CTR_FIT, "nstop's own by name, another engine's as ENGINE:NAME", ctr_name },
	{ "STATE", "STATE", "state", 10, OUT_LEFT, 0, "running, frozen, paused, exited N (its exit status), created, creating, broken", ctr_state },
	{ "PID", "PID", "pid", 7, OUT_RIGHT, 0, "its init's PID on the host", ctr_pid },
	{ "MEMLIMIT", "MEMLIMIT", "limits.memory_bytes", 8, OUT_RIGHT, 0, "memory limit", ctr_memlimit },
	{ "CPUS", "CPUS", "limits.cpus", 5, OUT_RIGHT, 0, "cpu limit, in cpus", ctr_cpus },
	{ "ISOLATION", "ISOLATION", "isolation", 20, OUT_LEFT, OUT_CTR_ISO, "exposures found (nstop inspect)", NULL },
	{ "ADDRESSES", "ADDRESSES", "network.addresses", 18, OUT_LEFT, OUT_CTR_NET, "nstop's own: its addresses but lo's and link-local ones", ctr_addresses },
	{ "VETH", "VETH", "network.host_veth", 15, OUT_LEFT, OUT_CTR_NET, "nstop's own with --net bridge: its host-side veth", ctr_veth },
	{ "NPROC", "NPROC", "nprocs", 5, OUT_RIGHT, 0, "processes in it", ctr_nprocs },
	{ "%CPU", "%CPU", "cpu_percent", 5, OUT_RIGHT, 0, "cpu used since the last refresh", ctr_cpu_percent },
	{ "%THR", "%THR", "cpu_throttled_percent", 5, OUT_RIGHT, 0, "time throttled by its cpu limit", ctr_throttled },
	{ "MEM", "MEM", "memory_bytes", 6, OUT_RIGHT, 0, "memory used", ctr_memory },
	{ "PEAK", "PEAK", "memory_peak_bytes", 6, OUT_RIGHT, 0, "memory used at the most", ctr_peak },
	{ "CPUSET", "CPUSET", "limits.cpuset", 8, OUT_LEFT, 0, "the cpus it may run on", ctr_cpuset },
	{ "WEIGHT", "WEIGHT", "limits.cpu_weight", 6, OUT_RIGHT, 0, "cpu weight (v1: shares, with sh)", ctr_weight },
	{ "PIDS", "PIDS", "limits.pids", 5, OUT_RIGHT, 0, "pids limit", ctr_pids_limit },
	{ "CPU%", "CPU%", NULL, 0, OUT_LEFT, OUT_CTR_PLOT, "its cpu use over the last refreshes, plotted", NULL },
};
const size_t out_ctr_nfields = sizeof(out_ctr_fields) / sizeof(out_ctr_fields[0]);

bool out_ctr_text(const struct out_ctr_field *f, const struct out_ctr_row *r, char *buf,
		  size_t size)
{
	if (f->text && f->text(r, buf, size))
		return true;
	snprintf(buf, size, "-");
	return false;
}
