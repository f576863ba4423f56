/* The field tables, their lookups, and the formatting helpers of output. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/output.h"
#include "nstop/size.h"

/* ---- out_human_bytes, out_value_text ------------------------------------ */

static void expect_bytes(long long v, const char *want)
{
	char buf[32];

	nst_format_bytes(v, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("nst_format_bytes(%lld) = \"%s\", want \"%s\"", v, buf, want);
}

static void expect_duration(long long usec, const char *want)
{
	char buf[32];

	nst_format_duration(usec, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("nst_format_duration(%lld) = \"%s\", want \"%s\"", usec, buf, want);
}

/* cpu time as systemd-cgtop and ps show it, cpus as docker --cpus writes them */
static void test_human_duration(void **state)
{
	char buf[32];

	(void)state;
	expect_duration(0, "0.00s");
	expect_duration(350000, "0.35s");
	expect_duration(12345678, "12.3s");
	expect_duration(192000000, "3m12s");
	expect_duration(3720000000LL, "1h02m");
	expect_duration(273600000000LL, "3d04h");
	expect_duration(-1, "-");
	nst_format_cpus(50000, 100000, buf, sizeof(buf));
	assert_string_equal(buf, "0.50");
	nst_format_cpus(250000, 100000, buf, sizeof(buf));
	assert_string_equal(buf, "2.50");
	nst_format_cpus(-1, 100000, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	nst_format_cpus(50000, 0, buf, sizeof(buf));
	assert_string_equal(buf, "-");
}

/* nst_round_to is round(v * scale) / scale without libm: compared with
 * libm's own over halves, near-halves, negatives and the edges. */
static void test_round_to(void **state)
{
	static const double v[] = { 0, 0.04, 0.05, 0.15, 0.25, 1.449, 1.45, 2.5, 99.95,
				    123.456, -0.05, -0.15, -2.5, -1, 1e-9, 12345.678 };
	static const double scales[] = { 1, 10, 1000 };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (size_t k = 0; k < 3; k++) {
			double got = nst_round_to(v[i], scales[k]);
			double want = round(v[i] * scales[k]) / scales[k];

			if (got != want)
				fail_msg("nst_round_to(%.17g, %g) = %.17g, round gives %.17g", v[i],
					 scales[k], got, want);
		}
	assert_true(isnan(nst_round_to(NAN, 10)));
	assert_true(nst_round_to(1e300, 10) == 1e300);
	assert_true(nst_round_to(-INFINITY, 10) == -INFINITY);
}

static void test_human_bytes(void **state)
{
	expect_bytes(0, "0");
	expect_bytes(1023, "1023");
	expect_bytes(1024, "1.0K");
	expect_bytes(1536, "1.5K");
	expect_bytes(10LL << 20, "10M");
	expect_bytes(5LL << 30, "5.0G");
	expect_bytes(3LL << 40, "3.0T");
	expect_bytes(-1, "-");
}

static void test_value_text_integer(void **state)
{
	char buf[32];

	assert_true(out_value_text(json_integer(42), buf, sizeof(buf)));
	assert_string_equal(buf, "42");
	assert_true(out_value_text(json_integer(4026531840LL), buf, sizeof(buf)));
	assert_string_equal(buf, "4026531840");
}

static void test_value_text_real(void **state)
{
	char buf[32];

	assert_true(out_value_text(json_real(12.34), buf, sizeof(buf)));
	assert_string_equal(buf, "12.3");
}

static void test_value_text_string(void **state)
{
	char buf[32];

	assert_true(out_value_text(json_string("/a/b"), buf, sizeof(buf)));
	assert_string_equal(buf, "/a/b");
}

static void test_value_text_null(void **state)
{
	char buf[32] = "x";

	assert_false(out_value_text(json_null(), buf, sizeof(buf)));
	assert_string_equal(buf, "-");
	strcpy(buf, "x");
	assert_false(out_value_text(NULL, buf, sizeof(buf)));
	assert_string_equal(buf, "-");
}

static void test_value_text_bool(void **state)
{
	char buf[32];

	assert_true(out_value_text(json_true(), buf, sizeof(buf)));
	assert_string_equal(buf, "yes");
	assert_true(out_value_text(json_false(), buf, sizeof(buf)));
	assert_string_equal(buf, "no");
}

/* ---- lookups ------------------------------------------------------------ */

static void test_proc_field_find(void **state)
{
	const struct out_proc_field *f = out_proc_field_find("pid");

	assert_non_null(f);
	assert_string_equal(f->name, "pid");
	assert_ptr_equal(out_proc_field_find("PID"), f);
	assert_ptr_equal(out_proc_field_find("Pid"), f);
	assert_non_null(out_proc_field_find("netns"));
	assert_null(out_proc_field_find("bogus"));
	assert_null(out_proc_field_find(""));
	assert_null(out_proc_field_find("pi"));
}

static void test_ns_field_find(void **state)
{
	const struct out_ns_field *f = out_ns_field_find("NPROCS");

	assert_non_null(f);
	assert_string_equal(f->json, "nprocs");
	assert_ptr_equal(out_ns_field_find("nprocs"), f);
	assert_non_null(out_ns_field_find("type"));
	assert_null(out_ns_field_find("bogus"));
}

static void test_cg_field_find(void **state)
{
	const struct out_cg_field *f = out_cg_field_find("memlimit");

	assert_non_null(f);
	assert_string_equal(f->json, "memory_limit_bytes");
	assert_ptr_equal(out_cg_field_find("MEMLIMIT"), f);
	assert_null(out_cg_field_find("bogus"));
}

static void test_fields_parse_ok(void **state)
{
	const struct out_proc_field *cols[8];
	struct nst_err err = { 0 };

	assert_int_equal(out_proc_fields_parse("pid,user", cols, 8, &err), 2);
	assert_ptr_equal(cols[0], out_proc_field_find("pid"));
	assert_ptr_equal(cols[1], out_proc_field_find("user"));
	assert_int_equal(out_proc_fields_parse("COMM,netns,cgroup", cols, 8, &err), 3);
	assert_string_equal(cols[0]->name, "comm");
	assert_string_equal(cols[1]->name, "netns");
	assert_string_equal(cols[2]->name, "cgroup");
}

static void test_fields_parse_unknown_name(void **state)
{
	const struct out_proc_field *cols[8];
	struct nst_err err = { 0 };

	assert_int_equal(out_proc_fields_parse("pid,bogus", cols, 8, &err), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	assert_non_null(strstr(err.msg, "bogus"));
	assert_null(strchr(err.msg, '\n'));
}

static void test_fields_parse_empty(void **state)
{
	const struct out_proc_field *cols[8];
	struct nst_err err = { 0 };

	assert_int_equal(out_proc_fields_parse("", cols, 8, &err), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	assert_int_not_equal(err.msg[0], '\0');
	memset(&err, 0, sizeof(err));
	assert_int_equal(out_proc_fields_parse(",,", cols, 8, &err), -EINVAL);
}

static void test_fields_parse_too_many(void **state)
{
	const struct out_proc_field *cols[2];
	struct nst_err err = { 0 };

	assert_int_equal(out_proc_fields_parse("pid,ppid,user", cols, 2, &err), -EINVAL);
}

/* ---- out_primary_hier --------------------------------------------------- */

static void add_hier(struct cg_layout *L, bool v2, const char *controllers)
{
	struct cg_hier *h = &L->h[L->n++];

	memset(h, 0, sizeof(*h));
	h->v2 = v2;
	h->id = v2 ? 0 : L->n;
	snprintf(h->controllers, sizeof(h->controllers), "%s", controllers);
}

static void test_primary_hier(void **state)
{
	struct cg_layout L;

	memset(&L, 0, sizeof(L));
	L.mode = CG_MODE_V2;
	add_hier(&L, true, "cpu memory pids");
	assert_int_equal(out_primary_hier(&L), 0);

	/* Hybrid: the unified hierarchy holds no controller; memory's is shown. */
	memset(&L, 0, sizeof(L));
	L.mode = CG_MODE_HYBRID;
	add_hier(&L, false, "cpu");
	add_hier(&L, false, "name=systemd");
	add_hier(&L, false, "memory");
	add_hier(&L, true, "");
	assert_int_equal(out_primary_hier(&L), 2);

	/* v1 without memory: name=systemd. */
	memset(&L, 0, sizeof(L));
	L.mode = CG_MODE_V1;
	add_hier(&L, false, "cpu,cpuacct");
	add_hier(&L, false, "name=systemd");
	add_hier(&L, false, "pids");
	assert_int_equal(out_primary_hier(&L), 1);

	/* Neither: the first. */
	memset(&L, 0, sizeof(L));
	L.mode = CG_MODE_V1;
	add_hier(&L, false, "pids");
	add_hier(&L, false, "cpu");
	assert_int_equal(out_primary_hier(&L), 0);

	memset(&L, 0, sizeof(L));
	assert_int_equal(out_primary_hier(&L), -1);
}

/* ---- the JSON keys ------------------------------------------------------ */

static bool has_key(const char *const *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i] && strcmp(keys[i], key) == 0)
			return true;
	return false;
}

static void assert_unique(const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (keys[i] && keys[j] && strcmp(keys[i], keys[j]) == 0)
				fail_msg("JSON key \"%s\" appears twice", keys[i]);
}

static void test_proc_json_keys(void **state)
{
	static const char *const promised[] = {
		"pid", "ppid", "user", "comm", "cmdline", "state", "cpu_percent",
		"rss_bytes", "container",
	};
	const char *keys[128] = { 0 };
	size_t n = out_proc_nfields;

	assert_true(n <= 128);
	for (size_t i = 0; i < n; i++)
		keys[i] = out_proc_fields[i].json;
	assert_unique(keys, n);
	for (size_t i = 0; i < sizeof(promised) / sizeof(promised[0]); i++)
		if (!has_key(keys, n, promised[i]))
			fail_msg("processes[] lacks \"%s\"", promised[i]);
	/* "ns" and "cgroups" are objects of their own, added beside the table. */
	assert_false(has_key(keys, n, "ns"));
	assert_false(has_key(keys, n, "cgroups"));
}

static void test_proc_field_names_unique(void **state)
{
	const char *names[128] = { 0 };

	assert_true(out_proc_nfields <= 128);
	for (size_t i = 0; i < out_proc_nfields; i++)
		names[i] = out_proc_fields[i].name;
	assert_unique(names, out_proc_nfields);
}

static void test_cgroup_json_keys(void **state)
{
	static const char *const promised[] = {
		"hierarchy", "path", "nprocs", "cpu_usage_usec", "memory_bytes",
		"memory_limit_bytes", "pids_current", "pids_limit", "frozen",
	};
	const char *keys[128] = { 0 }, *names[128] = { 0 };
	size_t n = out_cg_nfields;

	assert_true(n <= 128);
	for (size_t i = 0; i < n; i++) {
		keys[i] = out_cg_fields[i].json;
		names[i] = out_cg_fields[i].name;
	}
	assert_unique(keys, n);
	assert_unique(names, n);
	for (size_t i = 0; i < sizeof(promised) / sizeof(promised[0]); i++)
		if (!has_key(keys, n, promised[i]))
			fail_msg("cgroups[] lacks \"%s\"", promised[i]);
}

/* The containers table: its columns first (the TUI and -o take the first
 * out_ctr_nfields), then keys only; each kind's keys at places 1..n with
 * no gap and no place taken twice, a writer for each, no key twice. */
static void test_ctr_table_places(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		unsigned seen[64] = { 0 }, max = 0, n = 0;

		for (size_t k = 0; k < out_ctr_nkeys; k++) {
			const struct out_ctr_field *f = &out_ctr_fields[k];
			unsigned at = kind ? f->at_other : f->at_own;

			assert_int_equal(k < out_ctr_nfields, !(f->flags & OUT_CTR_NOCOL));
			assert_int_equal(!f->value, !!(f->flags & OUT_CTR_NOKEY));
			if (!f->value)
				assert_int_equal(at, 0);
			if (!at)
				continue;
			assert_true(at < 64 && !seen[at]);
			seen[at] = 1;
			n++;
			max = at > max ? at : max;
			for (size_t j = 0; j < k; j++)
				assert_false(out_ctr_fields[j].value &&
					     strcmp(out_ctr_fields[j].json, f->json) == 0);
		}
		assert_int_equal(n, max);
	}
}

static void test_ns_json_keys(void **state)
{
	const char *keys[64] = { 0 };

	assert_true(out_ns_nfields <= 64);
	for (size_t i = 0; i < out_ns_nfields; i++)
		keys[i] = out_ns_fields[i].json;
	assert_unique(keys, out_ns_nfields);
	assert_true(has_key(keys, out_ns_nfields, "type"));
	assert_true(has_key(keys, out_ns_nfields, "nprocs"));
}

/* ---- what the kernel does not give is null ------------------------------ */

static void snapshot_v2(struct snapshot *s, struct scan_proc *p, struct scan_cgroup *c)
{
	memset(s, 0, sizeof(*s));
	s->layout.mode = CG_MODE_V2;
	add_hier(&s->layout, true, "memory pids");
	static struct scan_cgref cg[1];
	static ino_t ns[NS_NTYPES];

	memset(p, 0, sizeof(*p));
	memset(cg, 0, sizeof(cg));
	memset(ns, 0, sizeof(ns));
	p->cg = cg;
	p->ns = ns;
	p->pid = 7;
	p->ppid = -1;
	p->uid = (uid_t)-1;
	p->state = '?';
	p->rss_bytes = -1;
	p->cpu_percent = -1;
	snprintf(p->comm, sizeof(p->comm), "x");
	s->procs = p;
	s->nprocs = 1;
	memset(c, 0, sizeof(*c));
	c->path = "/a";
	c->cpu_percent = -1;
	cg_stats_clear(&c->st);
	s->cgroups = c;
	s->ncgroups = 1;
}

static void test_proc_json_unknowns_are_null(void **state)
{
	struct snapshot s;
	struct scan_proc p;
	struct scan_cgroup c;
	json_t *o;

	snapshot_v2(&s, &p, &c);
	o = out_proc_json(&s, &p);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), 7);
	assert_string_equal(json_string_value(json_object_get(o, "comm")), "x");
	static const char *const nulls[] = {
		"ppid", "user", "cmdline", "state", "cpu_percent", "rss_bytes", "container",
	};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!json_is_null(json_object_get(o, nulls[i])))
			fail_msg("processes[].%s is not null", nulls[i]);
	json_t *ns = json_object_get(o, "ns");
	assert_true(json_is_object(ns));
	assert_int_equal(json_object_size(ns), NS_NTYPES);
	assert_true(json_is_null(json_object_get(ns, "net")));
	json_t *cgs = json_object_get(o, "cgroups");
	assert_int_equal(json_array_size(cgs), 1);
	assert_true(json_is_null(json_object_get(json_array_get(cgs, 0), "path")));
	assert_true(json_is_null(json_object_get(json_array_get(cgs, 0), "ns_path")));
	assert_null(json_object_get(json_array_get(cgs, 0), "view_path"));
	json_decref(o);
}

static void test_cgroup_json_unknowns_are_null(void **state)
{
	struct snapshot s;
	struct scan_proc p;
	struct scan_cgroup c;
	json_t *o;
	char buf[32];

	snapshot_v2(&s, &p, &c);
	c.st.memory_limit_bytes = CG_UNLIMITED;
	c.st.pids_current = 3;
	o = out_cgroup_json(&s, &c);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "path")), "/a");
	assert_int_equal(json_integer_value(json_object_get(o, "hierarchy")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "pids_current")), 3);
	static const char *const nulls[] = {
		"cpu_usage_usec", "memory_bytes", "memory_limit_bytes", "pids_limit",
		"frozen",
	};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!json_is_null(json_object_get(o, nulls[i])))
			fail_msg("cgroups[].%s is not null", nulls[i]);
	assert_null(json_object_get(o, "view_path"));	/* only with --view-from */
	json_decref(o);

	/* Text tells "max" from unknown. */
	assert_true(out_cg_text(out_cg_field_find("memlimit"), &s, &c, buf, sizeof(buf)));
	assert_string_equal(buf, "max");
	assert_false(out_cg_text(out_cg_field_find("mem"), &s, &c, buf, sizeof(buf)));
	assert_string_equal(buf, "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_human_bytes),
		cmocka_unit_test(test_round_to),
		cmocka_unit_test(test_human_duration),
		cmocka_unit_test(test_value_text_integer),
		cmocka_unit_test(test_value_text_real),
		cmocka_unit_test(test_value_text_string),
		cmocka_unit_test(test_value_text_null),
		cmocka_unit_test(test_value_text_bool),
		cmocka_unit_test(test_proc_field_find),
		cmocka_unit_test(test_ns_field_find),
		cmocka_unit_test(test_cg_field_find),
		cmocka_unit_test(test_fields_parse_ok),
		cmocka_unit_test(test_fields_parse_unknown_name),
		cmocka_unit_test(test_fields_parse_empty),
		cmocka_unit_test(test_fields_parse_too_many),
		cmocka_unit_test(test_primary_hier),
		cmocka_unit_test(test_proc_json_keys),
		cmocka_unit_test(test_proc_field_names_unique),
		cmocka_unit_test(test_cgroup_json_keys),
		cmocka_unit_test(test_ns_json_keys),
		cmocka_unit_test(test_ctr_table_places),
		cmocka_unit_test(test_proc_json_unknowns_are_null),
		cmocka_unit_test(test_cgroup_json_unknowns_are_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
