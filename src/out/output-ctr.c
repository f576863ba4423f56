/*
 * containers[]: every engine's containers (src/engine), one object each
 * with exact integers, and their figures as text in human units for the
 * views (1.2G, 0.50 cpus, 3m12s).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nstop/iso.h"
#include "nstop/output.h"
#include "nstop/net.h"
#include "nstop/runtime.h"
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
	return v < 0 ? json_null() : json_real(nst_round_to(v, 10.0));
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
			    json_real(nst_round_to(cpus, 1000.0)));
	json_object_set_new(l, "cpu_quota_usec", opt_limit(u->cpu_quota_usec));
	json_object_set_new(l, "cpu_period_usec", opt_limit(u->cpu_period_usec));
	json_object_set_new(l, "cpu_weight", opt_ll(u->cpu_weight));
	json_object_set_new(l, "cpu_shares", opt_ll(u->cpu_shares));
	json_object_set_new(l, "cpuset", u->cpuset[0] ? json_string(u->cpuset) : json_null());
	json_object_set_new(l, "pids", opt_limit(u->pids_limit));
	return l;
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

/* ---- the same fields' values, for containers[] ---------------------------- */

static json_t *key_engine(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_string(eng_kind_name(r->c->kind));
}

static json_t *key_id(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_string(r->c->id);
}

static json_t *key_short_id(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	char short_id[16];

	snprintf(short_id, sizeof(short_id), "%.12s", r->c->id);
	return json_string(short_id);
}

static json_t *key_name(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_string(r->c->name ? r->c->name : r->c->id);
}

static json_t *key_state(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_string(eng_ctr_state(r->c));
}

static json_t *key_paused(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_boolean(r->c->paused);
}

/* nstop's own: the init its state records; another's: the one found */
static json_t *key_pid(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	if (r->c->own)
		return json_incref(json_object_get(r->state, f->json));
	return r->c->init ? json_integer(r->c->init) : json_null();
}

static json_t *key_pod_uid(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	if (r->c->kind != ENG_KUBERNETES)
		return NULL;
	return r->c->pod[0] ? json_string(r->c->pod) : json_null();
}

/* what nstop's own state records, under the same key */
static json_t *key_state_file(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_incref(json_object_get(r->state, f->json));
}

/* nstop's own keep the keys and values their state gives (the recorded
 * limits of an exited one too); the kernel's add the rest. */
static json_t *key_limits(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	json_t *lim = limits_json(r->c), *own = json_object_get(r->state, f->json);

	if (!json_is_object(own))
		return lim;
	json_object_update_missing(own, lim);
	json_decref(lim);
	return json_incref(own);
}

static json_t *key_network(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return net_state_json(r->c->own);
}

static json_t *key_pids(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	json_t *pids = json_array();

	for (size_t i = 0; i < r->c->nprocs; i++)
		json_array_append_new(pids, json_integer(r->c->pids[i]));
	return pids;
}

static json_t *key_nprocs(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return json_integer((json_int_t)r->c->nprocs);
}

static json_t *key_cpu_percent(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_pct(r->c->cpu_percent);
}

static json_t *key_throttled_percent(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_pct(r->c->throttled_percent);
}

static json_t *key_cpu_usage(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_ll(r->c->u.cpu_usage_usec);
}

static json_t *key_throttled_usec(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_ll(r->c->u.throttled_usec);
}

static json_t *key_memory(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_ll(r->c->u.memory_bytes);
}

static json_t *key_peak(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_ll(r->c->u.memory_peak_bytes);
}

static json_t *key_pids_current(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return opt_ll(r->c->u.pids_current);
}

static json_t *key_cgroups(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	const struct cg_layout *l = &r->s->layout;
	json_t *cgs = json_array();

	for (int h = 0; h < l->n; h++)
		if (r->c->cgroup[h])
			json_array_append_new(cgs, json_pack("{s:i,s:s,s:s}",
				"hierarchy", l->h[h].id, "controllers", l->h[h].controllers,
				"path", r->c->cgroup[h]));
	return cgs;
}

/* only when the snapshot read isolation (-b -J does, list does not) */
static json_t *key_isolation(const struct out_ctr_field *f, const struct out_ctr_row *r)
{
	return r->s->iso ? iso_container_json(r->s->iso, r->s, r->c->pids, r->c->nprocs) : NULL;
}

#define OWN_KEY(key, own) { NULL, NULL, key, 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, \
			    key_state_file, own, 0 }

const struct out_ctr_field out_ctr_fields[] = {
	{ "NAME", "NAME", "name", 16, OUT_LEFT, OUT_CTR_FIT, "nstop's own by name, another engine's as ENGINE:NAME", ctr_name, key_name, 1, 5 },
	{ "STATE", "STATE", "state", 10, OUT_LEFT, 0, "running, frozen, paused, exited N (its exit status), created, creating, broken", ctr_state, key_state, 2, 6 },
	{ "PID", "PID", "pid", 7, OUT_RIGHT, 0, "its init's PID on the host", ctr_pid, key_pid, 3, 8 },
	{ "MEMLIMIT", "MEMLIMIT", "limits.memory_bytes", 8, OUT_RIGHT, OUT_CTR_NOKEY, "memory limit", ctr_memlimit, NULL, 0, 0 },
	{ "CPUS", "CPUS", "limits.cpus", 5, OUT_RIGHT, OUT_CTR_NOKEY, "cpu limit, in cpus", ctr_cpus, NULL, 0, 0 },
	{ "ISOLATION", "ISOLATION", "isolation", 20, OUT_LEFT, OUT_CTR_ISO, "exposures found (nstop inspect)", NULL, key_isolation, 28, 20 },
	{ "ADDRESSES", "ADDRESSES", "network.addresses", 18, OUT_LEFT, OUT_CTR_NET | OUT_CTR_NOKEY, "nstop's own: its addresses but lo's and link-local ones", ctr_addresses, NULL, 0, 0 },
	{ "VETH", "VETH", "network.host_veth", 15, OUT_LEFT, OUT_CTR_NET | OUT_CTR_NOKEY, "nstop's own with --net bridge: its host-side veth", ctr_veth, NULL, 0, 0 },
	{ "NPROC", "NPROC", "nprocs", 5, OUT_RIGHT, 0, "processes in it", ctr_nprocs, key_nprocs, 19, 11 },
	{ "%CPU", "%CPU", "cpu_percent", 5, OUT_RIGHT, 0, "cpu used since the last refresh", ctr_cpu_percent, key_cpu_percent, 20, 12 },
	{ "%THR", "%THR", "cpu_throttled_percent", 5, OUT_RIGHT, 0, "time throttled by its cpu limit", ctr_throttled, key_throttled_percent, 21, 13 },
	{ "MEM", "MEM", "memory_bytes", 6, OUT_RIGHT, 0, "memory used", ctr_memory, key_memory, 24, 16 },
	{ "PEAK", "PEAK", "memory_peak_bytes", 6, OUT_RIGHT, 0, "memory used at the most", ctr_peak, key_peak, 25, 17 },
	{ "CPUSET", "CPUSET", "limits.cpuset", 8, OUT_LEFT, OUT_CTR_NOKEY, "the cpus it may run on", ctr_cpuset, NULL, 0, 0 },
	{ "WEIGHT", "WEIGHT", "limits.cpu_weight", 6, OUT_RIGHT, OUT_CTR_NOKEY, "cpu weight (v1: shares, with sh)", ctr_weight, NULL, 0, 0 },
	{ "PIDS", "PIDS", "limits.pids", 5, OUT_RIGHT, OUT_CTR_NOKEY, "pids limit", ctr_pids_limit, NULL, 0, 0 },
	{ "CPU%", "CPU%", NULL, 0, OUT_LEFT, OUT_CTR_PLOT | OUT_CTR_NOKEY, "its cpu use over the last refreshes, plotted", NULL, NULL, 0, 0 },
	/* keys without a column */
	OWN_KEY("created", 4),
	OWN_KEY("rootfs", 5),
	{ NULL, NULL, "limits", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_limits, 6, 1 },
	OWN_KEY("exit_code", 7),
	OWN_KEY("command", 8),
	OWN_KEY("hostname", 9),
	OWN_KEY("cgroup", 10),
	OWN_KEY("finished", 11),
	OWN_KEY("mounts", 12),
	{ NULL, NULL, "network", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_network, 13, 0 },
	{ NULL, NULL, "engine", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_engine, 14, 2 },
	{ NULL, NULL, "id", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_id, 15, 3 },
	{ NULL, NULL, "short_id", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_short_id, 16, 4 },
	{ NULL, NULL, "paused", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_paused, 17, 7 },
	{ NULL, NULL, "pod_uid", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_pod_uid, 0, 9 },
	{ NULL, NULL, "pids", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_pids, 18, 10 },
	{ NULL, NULL, "cpu_usage_usec", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_cpu_usage, 22, 14 },
	{ NULL, NULL, "cpu_throttled_usec", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_throttled_usec, 23, 15 },
	{ NULL, NULL, "pids_current", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_pids_current, 26, 18 },
	{ NULL, NULL, "cgroups", 0, OUT_LEFT, OUT_CTR_NOCOL, NULL, NULL, key_cgroups, 27, 19 },
};
/* the columns above "keys without a column" (test_output holds it to the flags) */
const size_t out_ctr_nfields = 17;
const size_t out_ctr_nkeys = sizeof(out_ctr_fields) / sizeof(out_ctr_fields[0]);

/* One object of containers[]: each field's key in its place for this kind
 * of container (a few dozen fields: a scan per place costs nothing). */
json_t *out_ctr_json(const struct snapshot *s, const struct eng_ctr *c)
{
	struct out_ctr_row r = { .c = c, .s = s, .state = c->own ? rt_state_json(c->own) : NULL };
	json_t *o = json_object();

	for (unsigned at = 1; at <= out_ctr_nkeys; at++)
		for (size_t k = 0; k < out_ctr_nkeys; k++) {
			const struct out_ctr_field *f = &out_ctr_fields[k];

			if ((c->own ? f->at_own : f->at_other) == at && f->value)
				json_object_set_new(o, f->json, f->value(f, &r));
		}
	json_decref(r.state);
	return o;
}

bool out_ctr_text(const struct out_ctr_field *f, const struct out_ctr_row *r, char *buf,
		  size_t size)
{
	if (f->text && f->text(r, buf, size))
		return true;
	snprintf(buf, size, "-");
	return false;
}
