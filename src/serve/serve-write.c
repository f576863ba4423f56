/*
 * The metrics writer: a serve_model as the Prometheus text format 0.0.4 or
 * OpenMetrics 1.0. One table lists every family with its type, unit and
 * help, so both formats and nstop(1) list the same names.
 *
 * The formats differ in three places: OpenMetrics names a counter's family
 * without "_total" (its samples keep it), gives units in "# UNIT", and ends
 * with "# EOF". Samples of a family stay together, as both require.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nstop/iso.h"
#include "nstop/ns.h"
#include "nstop/serve.h"
#include "nstop/utf8.h"

const char *serve_content_type(enum serve_format fmt)
{
	return fmt == SERVE_OPENMETRICS ?
	       "application/openmetrics-text; version=1.0.0; charset=utf-8" :
	       "text/plain; version=0.0.4; charset=utf-8";
}

/* The q of one media range's parameters ("; version=1.0.0;q=0.5"): 1 when
 * none is given, 0 for a malformed one (RFC 9110: weight is 0..1). */
static double accept_q(const char *params, size_t len)
{
	for (const char *p = params; p < params + len; p++) {
		if (*p != ';')
			continue;
		p++;
		while (p < params + len && (*p == ' ' || *p == '\t'))
			p++;
		if (params + len - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			char num[16];
			size_t n = strcspn(p + 2, ";,");
			char *end;
			if (n == 0 || n >= sizeof(num))
				return 0;
			memcpy(num, p + 2, n);
			num[n] = '\0';
			double q = strtod(num, &end);
			while (*end == ' ' || *end == '\t')
				end++;
			return *end || !(q >= 0 && q <= 1) ? 0 : q;
		}
	}
	return 1;
}

enum serve_format serve_negotiate(const char *accept)
{
	double om = 0, text = 0;

	if (!accept)
		return SERVE_PROMETHEUS;
	for (const char *p = accept; *p;) {
		size_t len = strcspn(p, ",");
		const char *t = p;
		while (t < p + len && (*t == ' ' || *t == '\t'))
			t++;
		size_t tlen = strcspn(t, ";,");
		while (tlen && (t[tlen - 1] == ' ' || t[tlen - 1] == '\t'))
			tlen--;
		double q = accept_q(t, len - (size_t)(t - p));
		if (tlen == 28 && strncasecmp(t, "application/openmetrics-text", 28) == 0) {
			if (q > om)
				om = q;
		} else if ((tlen == 10 && strncasecmp(t, "text/plain", 10) == 0) ||
			   (tlen == 3 && strncmp(t, "*/*", 3) == 0) ||
			   (tlen == 6 && strncasecmp(t, "text/*", 6) == 0)) {
			if (q > text)
				text = q;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return om > 0 && om > text ? SERVE_OPENMETRICS : SERVE_PROMETHEUS;
}

void serve_label_value(const char *s, FILE *f)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = nst_utf8_len(p);
		if (n == 0) {
			fprintf(f, "\\\\x%02X", *p);
			p++;
			continue;
		}
		if (n == 1) {
			if (*p == '\\')
				fputs("\\\\", f);
			else if (*p == '"')
				fputs("\\\"", f);
			else if (*p == '\n')
				fputs("\\n", f);
			else if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\\\x%02X", *p);
			else
				fputc(*p, f);
		} else {
			fwrite(p, 1, n, f);
		}
		p += n;
	}
}

/* ---- the families --------------------------------------------------------- */

enum serve_type { T_GAUGE, T_COUNTER };

struct family {
	const char *name;	/* the sample name, "_total" included */
	enum serve_type type;
	const char *unit;	/* NULL: none */
	const char *help;
};

struct writer {
	const struct serve_model *m;
	enum serve_format fmt;
	FILE *f;
	const struct family *fam;
	bool header_done;
};

static void header(struct writer *w)
{
	const struct family *fam = w->fam;
	size_t n = strlen(fam->name);

	if (w->header_done)
		return;
	w->header_done = true;
	/* OpenMetrics names a counter's family without the suffix. */
	if (w->fmt == SERVE_OPENMETRICS && fam->type == T_COUNTER && n > 6 &&
	    strcmp(fam->name + n - 6, "_total") == 0)
		n -= 6;
	fprintf(w->f, "# HELP %.*s %s\n", (int)n, fam->name, fam->help);
	fprintf(w->f, "# TYPE %.*s %s\n", (int)n, fam->name,
		fam->type == T_COUNTER ? "counter" : "gauge");
	if (w->fmt == SERVE_OPENMETRICS && fam->unit)
		fprintf(w->f, "# UNIT %.*s %s\n", (int)n, fam->name, fam->unit);
}

static void begin(struct writer *w, const struct family *fam)
{
	w->fam = fam;
	w->header_done = false;
}

/* A sample's name and its first labels; the caller adds labels and value. */
static void sample_start(struct writer *w)
{
	header(w);
	fputs(w->fam->name, w->f);
	fputc('{', w->f);
}

static void label(struct writer *w, bool first, const char *key, const char *value)
{
	fprintf(w->f, "%s%s=\"", first ? "" : ",", key);
	serve_label_value(value, w->f);
	fputc('"', w->f);
}

static void value_ll(struct writer *w, long long v)
{
	fprintf(w->f, "} %lld\n", v);
}

/* Microseconds as seconds, exactly. */
static void value_usec(struct writer *w, long long usec)
{
	fprintf(w->f, "} %lld.%06lld\n", usec / 1000000, usec % 1000000);
}

static void cg_labels(struct writer *w, const struct serve_cg *c)
{
	label(w, true, "id", c->id);
	label(w, false, "name", c->name);
	label(w, false, "engine", c->engine);
}

/* ---- per exported cgroup -------------------------------------------------- */

/* v2's cpu.weight as v1 shares: the inverse of the conversion runc and the
 * kernel documentation use (shares 2..262144 onto weight 1..10000), so that
 * dashboards built on cAdvisor's shares read the same numbers on either. */
static long long weight_to_shares(long long w)
{
	return 2 + ((w - 1) * 262142) / 9999;
}

enum cg_value { V_USEC, V_LL };

struct cg_family {
	struct family fam;
	enum cg_value kind;
	/* The value, or false when it is not known (no sample then). */
	bool (*get)(const struct serve_cg *c, long long *out);
};

static bool known(long long v, long long *out)
{
	if (v < 0)
		return false;
	*out = v;
	return true;
}

static bool g_cpu(const struct serve_cg *c, long long *o) { return known(c->u.cpu_usage_usec, o); }
static bool g_periods(const struct serve_cg *c, long long *o) { return known(c->u.nr_periods, o); }
static bool g_thr_periods(const struct serve_cg *c, long long *o) { return known(c->u.nr_throttled, o); }
static bool g_thr_usec(const struct serve_cg *c, long long *o) { return known(c->u.throttled_usec, o); }
static bool g_mem(const struct serve_cg *c, long long *o) { return known(c->u.memory_bytes, o); }
static bool g_mem_peak(const struct serve_cg *c, long long *o) { return known(c->u.memory_peak_bytes, o); }
static bool g_oom(const struct serve_cg *c, long long *o) { return known(c->oom_kills, o); }
static bool g_nprocs(const struct serve_cg *c, long long *o) { return known(c->nprocs, o); }
static bool g_pids_limit(const struct serve_cg *c, long long *o) { return known(c->u.pids_limit, o); }

/* No limit is 0, as cAdvisor says it (alerts divide by it only when > 0). */
static bool g_mem_limit(const struct serve_cg *c, long long *o)
{
	if (c->u.memory_limit == CG_UNLIMITED) {
		*o = 0;
		return true;
	}
	return known(c->u.memory_limit, o);
}

/* Only a quota that is set, as cAdvisor. */
static bool g_quota(const struct serve_cg *c, long long *o)
{
	return c->u.cpu_quota_usec > 0 && known(c->u.cpu_quota_usec, o);
}

static bool g_period(const struct serve_cg *c, long long *o) { return known(c->u.cpu_period_usec, o); }

static bool g_shares(const struct serve_cg *c, long long *o)
{
	if (c->u.cpu_shares > 0)
		return known(c->u.cpu_shares, o);
	if (c->u.cpu_weight > 0) {
		*o = weight_to_shares(c->u.cpu_weight);
		return true;
	}
	return false;
}

static bool g_frozen(const struct serve_cg *c, long long *o)
{
	if (c->u.frozen < 0)
		return false;
	*o = c->u.frozen;
	return true;
}

static const struct cg_family cg_families[] = {
	{ { "container_cpu_usage_seconds_total", T_COUNTER, "seconds",
	    "Cumulative cpu time consumed, in seconds." }, V_USEC, g_cpu },
	{ { "container_cpu_cfs_periods_total", T_COUNTER, NULL,
	    "Number of elapsed enforcement period intervals." }, V_LL, g_periods },
	{ { "container_cpu_cfs_throttled_periods_total", T_COUNTER, NULL,
	    "Number of throttled period intervals." }, V_LL, g_thr_periods },
	{ { "container_cpu_cfs_throttled_seconds_total", T_COUNTER, "seconds",
	    "Total time duration the container has been throttled, in seconds." },
	  V_USEC, g_thr_usec },
	{ { "container_memory_usage_bytes", T_GAUGE, "bytes",
	    "Current memory usage in bytes, including all memory regardless of when it was accessed." },
	  V_LL, g_mem },
	{ { "container_memory_max_usage_bytes", T_GAUGE, "bytes",
	    "Maximum memory usage recorded in bytes." }, V_LL, g_mem_peak },
	{ { "container_spec_memory_limit_bytes", T_GAUGE, "bytes",
	    "Memory limit for the container, in bytes (0: no limit)." }, V_LL, g_mem_limit },
	{ { "container_spec_cpu_quota", T_GAUGE, NULL,
	    "CPU quota of the container, in microseconds per period (absent: none)." },
	  V_LL, g_quota },
	{ { "container_spec_cpu_period", T_GAUGE, NULL,
	    "CPU period of the container, in microseconds." }, V_LL, g_period },
	{ { "container_spec_cpu_shares", T_GAUGE, NULL,
	    "CPU share of the container (v2 cpu.weight converted to shares)." },
	  V_LL, g_shares },
	{ { "container_oom_events_total", T_COUNTER, NULL,
	    "Count of out of memory kills in the container's cgroup." }, V_LL, g_oom },
	{ { "container_processes", T_GAUGE, NULL,
	    "Number of processes running inside the container." }, V_LL, g_nprocs },
	{ { "nstop_cgroup_pids_limit", T_GAUGE, NULL,
	    "The cgroup's pids.max (absent: no limit or no pids controller)." },
	  V_LL, g_pids_limit },
	{ { "nstop_cgroup_frozen", T_GAUGE, NULL,
	    "1 while the cgroup is frozen (v2 cgroup.freeze, v1 freezer), else 0." },
	  V_LL, g_frozen },
};

static void write_cg_family(struct writer *w, const struct cg_family *cf)
{
	begin(w, &cf->fam);
	for (size_t i = 0; i < w->m->ncgs; i++) {
		const struct serve_cg *c = &w->m->cgs[i];
		long long v;
		if (!cf->get(c, &v))
			continue;
		if (cf->get == g_pids_limit && v == CG_UNLIMITED)
			continue;
		sample_start(w);
		cg_labels(w, c);
		if (cf->kind == V_USEC)
			value_usec(w, v);
		else
			value_ll(w, v);
	}
}

static const char *const psi_res_name[SERVE_PSI_NRES] = { "cpu", "memory", "io" };

static void write_psi(struct writer *w)
{
	static const struct family fam = {
		"nstop_cgroup_pressure_seconds_total", T_COUNTER, "seconds",
		"Time some (or all: kind=\"full\") of the cgroup's tasks stalled on a resource (PSI), in seconds."
	};

	begin(w, &fam);
	for (size_t i = 0; i < w->m->ncgs; i++) {
		const struct serve_cg *c = &w->m->cgs[i];
		for (int r = 0; r < SERVE_PSI_NRES; r++) {
			for (int full = 0; full < 2; full++) {
				long long v = full ? c->psi[r].full_usec : c->psi[r].some_usec;
				if (v < 0)
					continue;
				sample_start(w);
				cg_labels(w, c);
				label(w, false, "resource", psi_res_name[r]);
				label(w, false, "kind", full ? "full" : "some");
				value_usec(w, v);
			}
		}
	}
}

static void write_exposures(struct writer *w)
{
	static const struct family fam = {
		"nstop_container_exposure", T_GAUGE, NULL,
		"1 for each isolation exposure a process of the container holds (ids as nstop inspect names them)."
	};

	begin(w, &fam);
	for (size_t i = 0; i < w->m->ncgs; i++) {
		const struct serve_cg *c = &w->m->cgs[i];
		if (!c->x_known || !c->engine[0])
			continue;
		for (int e = 0; e < ISO_NX; e++) {
			if (!(c->x & (1u << e)))
				continue;
			sample_start(w);
			label(w, true, "name", c->name);
			label(w, false, "engine", c->engine);
			label(w, false, "exposure", iso_exposures[e].id);
			value_ll(w, 1);
		}
	}
}

static void write_namespaces(struct writer *w)
{
	static const struct family count = {
		"nstop_namespaces", T_GAUGE, NULL,
		"Number of namespaces of each type that hold a process."
	};
	static const struct family procs = {
		"nstop_namespace_processes", T_GAUGE, NULL,
		"Number of processes in the namespace (inode as lsns shows it)."
	};
	size_t n[NS_NTYPES] = { 0 };

	for (size_t i = 0; i < w->m->nns; i++)
		if (w->m->ns[i].type >= 0 && w->m->ns[i].type < NS_NTYPES)
			n[w->m->ns[i].type]++;
	begin(w, &count);
	for (int t = 0; t < NS_NTYPES; t++) {
		sample_start(w);
		label(w, true, "type", ns_type_name((enum ns_type)t));
		value_ll(w, (long long)n[t]);
	}
	begin(w, &procs);
	for (size_t i = 0; i < w->m->nns; i++) {
		const struct serve_ns *ns = &w->m->ns[i];
		char ino[24];
		if (ns->type < 0 || ns->type >= NS_NTYPES)
			continue;
		snprintf(ino, sizeof(ino), "%llu", ns->inode);
		sample_start(w);
		label(w, true, "type", ns_type_name((enum ns_type)ns->type));
		label(w, false, "inode", ino);
		value_ll(w, (long long)ns->nprocs);
	}
}

static void write_host(struct writer *w)
{
	static const struct family procs = {
		"nstop_processes", T_GAUGE, NULL, "Number of processes on the host."
	};
	static const struct family ctrs = {
		"nstop_containers", T_GAUGE, NULL,
		"Number of containers of every engine on the host."
	};

	/* No labels: the sample is the bare name. */
	begin(w, &procs);
	header(w);
	fprintf(w->f, "nstop_processes %zu\n", w->m->nprocs);
	begin(w, &ctrs);
	header(w);
	fprintf(w->f, "nstop_containers %zu\n", w->m->ncontainers);
}

static void write_procs(struct writer *w)
{
	static const struct family cpu = {
		"nstop_process_cpu_seconds_total", T_COUNTER, "seconds",
		"Cpu time the process consumed (user and system), in seconds."
	};
	static const struct family rss = {
		"nstop_process_resident_memory_bytes", T_GAUGE, "bytes",
		"Resident memory of the process, in bytes."
	};

	for (int k = 0; k < 2; k++) {
		begin(w, k ? &rss : &cpu);
		for (size_t i = 0; i < w->m->nproc; i++) {
			const struct serve_proc *p = &w->m->procs[i];
			long long v = k ? p->rss_bytes : p->cpu_usec;
			char pid[16];
			if (v < 0)
				continue;
			snprintf(pid, sizeof(pid), "%d", (int)p->pid);
			sample_start(w);
			label(w, true, "pid", pid);
			label(w, false, "comm", p->comm);
			label(w, false, "container", p->container ? p->container : "");
			if (k)
				value_ll(w, v);
			else
				value_usec(w, v);
		}
	}
}

int serve_write(const struct serve_model *m, enum serve_format fmt, FILE *f)
{
	struct writer w = { .m = m, .fmt = fmt, .f = f };

	for (size_t i = 0; i < sizeof(cg_families) / sizeof(cg_families[0]); i++)
		write_cg_family(&w, &cg_families[i]);
	write_psi(&w);
	write_exposures(&w);
	write_namespaces(&w);
	write_host(&w);
	if (m->per_process)
		write_procs(&w);
	if (fmt == SERVE_OPENMETRICS)
		fputs("# EOF\n", f);
	if (fflush(f) == EOF || ferror(f))
		return -(errno ? errno : EIO);
	return 0;
}
