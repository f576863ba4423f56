/*
 * The metrics writer on literal models: label values as the formats escape
 * them (a container's name is whatever its engine recorded), both formats'
 * family names, units and end, cAdvisor's conventions (no limit is 0, v2
 * weight as shares), the Accept negotiation and the PSI parser.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/iso.h"
#include "nstop/serve.h"

static char *label_text(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	serve_label_value(in, f);
	fclose(f);
	return buf;
}

static void test_label_escapes(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "web", "web" },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		{ "a\nb", "a\\nb" },
		{ "\"}\nevil{x=\"1", "\\\"}\\nevil{x=\\\"1" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },		/* valid UTF-8 stays */
		{ "bad\xff", "bad\\\\xFF" },			/* invalid byte as text */
		{ "over\xc0\xaf", "over\\\\xC0\\\\xAF" },	/* overlong '/' */
		{ "cr\rtab\t", "cr\\\\x0Dtab\\\\x09" },
		{ "", "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = label_text(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void test_negotiate(void **state)
{
	(void)state;
	/* What Prometheus 2.42 sends. */
	assert_int_equal(serve_negotiate("application/openmetrics-text;version=1.0.0,"
					 "application/openmetrics-text;version=0.0.1;q=0.75,"
					 "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
			 SERVE_OPENMETRICS);
	assert_int_equal(serve_negotiate(NULL), SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate("*/*"), SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate("text/plain;version=0.0.4"), SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate("text/plain, application/openmetrics-text;q=0.5"),
			 SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate("text/plain;q=0.2, Application/OpenMetrics-Text"),
			 SERVE_OPENMETRICS);
	assert_int_equal(serve_negotiate("application/openmetrics-text;q=0"), SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate("application/openmetrics-text;q=bogus"), SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate("application/openmetrics-textX"), SERVE_PROMETHEUS);
	assert_int_equal(serve_negotiate(",,;;q=,"), SERVE_PROMETHEUS);
}

static void test_psi(void **state)
{
	struct serve_psi p;
	(void)state;
	assert_int_equal(serve_parse_psi("some avg10=0.00 avg60=0.00 avg300=0.00 total=1234\n"
					 "full avg10=0.00 avg60=0.00 avg300=0.00 total=99\n", &p), 0);
	assert_int_equal(p.some_usec, 1234);
	assert_int_equal(p.full_usec, 99);
	/* cpu.pressure before 5.13 has no full line */
	assert_int_equal(serve_parse_psi("some avg10=1.00 avg60=0.00 avg300=0.00 total=5\n", &p), 0);
	assert_int_equal(p.full_usec, -1);
	assert_int_equal(serve_parse_psi("", &p), -EINVAL);
	assert_int_equal(serve_parse_psi("some total=-3\n", &p), -EINVAL);
	assert_int_equal(serve_parse_psi("some total=12x\n", &p), -EINVAL);
}

static void test_cgroup_ok(void **state)
{
	(void)state;
	assert_true(serve_cgroup_ok("/"));
	assert_true(serve_cgroup_ok("/system.slice"));
	assert_true(serve_cgroup_ok("/a/b.c/d"));
	assert_false(serve_cgroup_ok("system.slice"));
	assert_false(serve_cgroup_ok("/a/../b"));
	assert_false(serve_cgroup_ok("/a/./b"));
	assert_false(serve_cgroup_ok("/a//b"));
	assert_false(serve_cgroup_ok("/a/"));
	assert_false(serve_cgroup_ok("/.."));
	assert_false(serve_cgroup_ok("/a\nb"));
}

static struct serve_cg one_cg(const char *id, const char *name, const char *engine)
{
	struct serve_cg c;

	memset(&c, 0, sizeof(c));
	eng_usage_clear(&c.u);
	c.id = (char *)id;
	c.name = (char *)name;
	c.engine = engine;
	c.nprocs = c.oom_kills = -1;
	for (int k = 0; k < SERVE_PSI_NRES; k++)
		c.psi[k].some_usec = c.psi[k].full_usec = -1;
	return c;
}

static char *written(const struct serve_model *m, enum serve_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(serve_write(m, fmt, f), 0);
	fclose(f);
	return buf;
}

static void assert_has(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing: %s\nin:\n%s", line, text);
}

static void test_write(void **state)
{
	struct serve_cg cgs[2];
	struct serve_ns ns[2] = { { 3, 4026531840ULL, 7 }, { 3, 4026532001ULL, 1 } };
	struct serve_model m = { .ncgs = 2, .cgs = cgs, .nns = 2, .ns = ns, .nprocs = 8,
				 .ncontainers = 1 };
	char *t;
	(void)state;

	cgs[0] = one_cg("/nstop/web", "we\"b\n", "nstop");
	cgs[0].u.cpu_usage_usec = 1500001;
	cgs[0].u.memory_limit = CG_UNLIMITED;
	cgs[0].u.cpu_quota_usec = CG_UNLIMITED;
	cgs[0].u.cpu_period_usec = 100000;
	cgs[0].u.cpu_weight = 100;	/* v2's default: 2 + 99 * 262142 / 9999 */
	cgs[0].u.frozen = 1;
	cgs[0].nprocs = 3;
	cgs[0].oom_kills = 2;
	cgs[0].psi[SERVE_PSI_MEMORY].some_usec = 2500000;
	cgs[0].x_known = true;
	cgs[0].x = 1u << ISO_X_HOST_NET;
	cgs[1] = one_cg("/system.slice", "", "");
	cgs[1].u.memory_limit = 67108864;
	cgs[1].u.cpu_quota_usec = 50000;
	cgs[1].u.cpu_shares = 512;
	cgs[1].x_known = true;
	cgs[1].x = 1u << ISO_X_HOST_NET;	/* not a container: no exposure series */

	t = written(&m, SERVE_PROMETHEUS);
	assert_has(t, "# TYPE container_cpu_usage_seconds_total counter\n");
	assert_has(t, "container_cpu_usage_seconds_total{id=\"/nstop/web\",name=\"we\\\"b\\n\",engine=\"nstop\"} 1.500001\n");
	assert_has(t, "container_spec_memory_limit_bytes{id=\"/nstop/web\",name=\"we\\\"b\\n\",engine=\"nstop\"} 0\n");
	assert_has(t, "container_spec_memory_limit_bytes{id=\"/system.slice\",name=\"\",engine=\"\"} 67108864\n");
	assert_has(t, "container_spec_cpu_shares{id=\"/nstop/web\",name=\"we\\\"b\\n\",engine=\"nstop\"} 2597\n");
	assert_has(t, "container_spec_cpu_shares{id=\"/system.slice\",name=\"\",engine=\"\"} 512\n");
	assert_has(t, "container_spec_cpu_quota{id=\"/system.slice\",name=\"\",engine=\"\"} 50000\n");
	assert_null(strstr(t, "container_spec_cpu_quota{id=\"/nstop/web\""));
	assert_has(t, "container_oom_events_total{id=\"/nstop/web\",name=\"we\\\"b\\n\",engine=\"nstop\"} 2\n");
	assert_has(t, "nstop_cgroup_frozen{id=\"/nstop/web\",name=\"we\\\"b\\n\",engine=\"nstop\"} 1\n");
	assert_has(t, "nstop_cgroup_pressure_seconds_total{id=\"/nstop/web\",name=\"we\\\"b\\n\",engine=\"nstop\",resource=\"memory\",kind=\"some\"} 2.500000\n");
	assert_has(t, "nstop_container_exposure{name=\"we\\\"b\\n\",engine=\"nstop\",exposure=\"host-net\"} 1\n");
	assert_null(strstr(t, "nstop_container_exposure{name=\"\""));
	assert_has(t, "nstop_namespaces{type=\"net\"} 2\n");
	assert_has(t, "nstop_namespaces{type=\"user\"} 0\n");
	assert_has(t, "nstop_namespace_processes{type=\"net\",inode=\"4026531840\"} 7\n");
	assert_has(t, "nstop_processes 8\n");
	/* unknown values have no sample, and no family without samples */
	assert_null(strstr(t, "container_memory_usage_bytes"));
	assert_null(strstr(t, "# UNIT"));
	assert_null(strstr(t, "# EOF"));
	assert_null(strstr(t, "nstop_process_"));
	/* every line is a comment or a sample: nothing a name broke apart */
	for (char *l = t; *l; l = strchr(l, '\n') + 1)
		assert_true(l[0] == '#' || strncmp(l, "container_", 10) == 0 ||
			    strncmp(l, "nstop_", 6) == 0);
	free(t);

	t = written(&m, SERVE_OPENMETRICS);
	assert_has(t, "# TYPE container_cpu_usage_seconds counter\n# UNIT container_cpu_usage_seconds seconds\n");
	assert_has(t, "# TYPE container_oom_events counter\n");
	assert_has(t, "container_oom_events_total{");
	assert_has(t, "# TYPE container_spec_memory_limit_bytes gauge\n# UNIT container_spec_memory_limit_bytes bytes\n");
	assert_has(t, "# TYPE nstop_cgroup_pressure_seconds counter\n# UNIT nstop_cgroup_pressure_seconds seconds\n");
	assert_null(strstr(t, "# TYPE container_spec_cpu_quota gauge\n# UNIT"));
	size_t len = strlen(t);
	assert_true(len > 6 && strcmp(t + len - 6, "# EOF\n") == 0);
	free(t);
}

static void test_write_procs(void **state)
{
	struct serve_proc p[1] = { { .pid = 42, .comm = "x\"y", .container = NULL,
				     .cpu_usec = 2000000, .rss_bytes = 4096 } };
	struct serve_model m = { .per_process = true, .nproc = 1, .procs = p };
	char *t;
	(void)state;

	t = written(&m, SERVE_PROMETHEUS);
	assert_has(t, "nstop_process_cpu_seconds_total{pid=\"42\",comm=\"x\\\"y\",container=\"\"} 2.000000\n");
	assert_has(t, "nstop_process_resident_memory_bytes{pid=\"42\",comm=\"x\\\"y\",container=\"\"} 4096\n");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escapes),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_cgroup_ok),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_procs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
