/* The parsers of the cgroup stat files, and cg_stats_read on fixture trees. */
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

#include "fixture.h"
#include "nstop/cgroup-stats.h"
#include "nstop/root.h"

/* ---- cg_parse_limit ----------------------------------------------------- */

static long long limit_of(const char *text)
{
	long long v = 12345;

	if (cg_parse_limit(text, &v) != 0)
		fail_msg("cg_parse_limit(\"%s\") failed", text);
	return v;
}

static void test_limit_max(void **state)
{
	assert_int_equal(limit_of("max"), CG_UNLIMITED);
	assert_int_equal(limit_of("max\n"), CG_UNLIMITED);
}

static void test_limit_number(void **state)
{
	assert_int_equal(limit_of("123\n"), 123);
	assert_int_equal(limit_of("0"), 0);
	assert_int_equal(limit_of("536870912\n"), 536870912LL);
}

static void test_limit_v1_no_limit(void **state)
{
	assert_int_equal(limit_of("9223372036854771712\n"), CG_UNLIMITED);
	assert_int_equal(limit_of("9223372036854775807\n"), CG_UNLIMITED);
	/* One page below is a real (if absurd) limit. */
	assert_int_equal(limit_of("9223372036854767616\n"), 9223372036854767616LL);
}

static void test_limit_minus_one(void **state)
{
	assert_int_equal(limit_of("-1\n"), CG_UNLIMITED);
}

static void test_limit_garbage(void **state)
{
	static const char *const bad[] = {
		"", "\n", "abc", "12abc", "max2", "maximum", "1 2",
		"99999999999999999999999",
	};
	long long v = 777;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cg_parse_limit(bad[i], &v) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
	assert_int_equal(v, 777);
}

/* ---- cg_parse_keyed ----------------------------------------------------- */

static void test_keyed_cpu_stat(void **state)
{
	long long v = 0;

	assert_int_equal(cg_parse_keyed("usage_usec 123\nuser_usec 4\n", "usage_usec", &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(cg_parse_keyed("usage_usec 123\nuser_usec 4", "user_usec", &v), 0);
	assert_int_equal(v, 4);
}

static void test_keyed_key_that_prefixes_another(void **state)
{
	const char *oom = "oom_kill_disable 0\nunder_oom 1\noom_kill 3\n";
	const char *events = "oom 5\noom_kill 2\noom_group_kill 9\n";
	long long v = 0;

	assert_int_equal(cg_parse_keyed(oom, "oom_kill", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(cg_parse_keyed(events, "oom", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(cg_parse_keyed(events, "oom_kill", &v), 0);
	assert_int_equal(v, 2);
	/* A key is matched at the start of a line only. */
	assert_int_equal(cg_parse_keyed(oom, "oom", &v), -ENOENT);
	assert_int_equal(cg_parse_keyed(oom, "kill", &v), -ENOENT);
}

static void test_keyed_missing_key(void **state)
{
	long long v = 99;

	assert_int_equal(cg_parse_keyed("usage_usec 1\n", "nr_periods", &v), -ENOENT);
	assert_int_equal(cg_parse_keyed("", "usage_usec", &v), -ENOENT);
	assert_int_equal(v, 99);
}

static void test_keyed_value_not_a_number(void **state)
{
	long long v = 99;

	assert_int_equal(cg_parse_keyed("usage_usec x\n", "usage_usec", &v), -EINVAL);
	assert_int_equal(v, 99);
}

/* ---- cg_parse_cpu_max, cg_parse_psi, cg_parse_freezer_state -------------- */

static void test_cpu_max(void **state)
{
	long long q = 0, p = 0;

	assert_int_equal(cg_parse_cpu_max("max 100000\n", &q, &p), 0);
	assert_int_equal(q, CG_UNLIMITED);
	assert_int_equal(p, 100000);
	assert_int_equal(cg_parse_cpu_max("20000 100000\n", &q, &p), 0);
	assert_int_equal(q, 20000);
	assert_int_equal(p, 100000);
}

static void test_cpu_max_malformed(void **state)
{
	static const char *const bad[] = {
		"", "max", "max\n", "20000", "x 100000", "20000 x", "20000 100000 7",
	};
	long long q, p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cg_parse_cpu_max(bad[i], &q, &p) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
}

static const char psi_text[] =
	"some avg10=1.50 avg60=0.75 avg300=0.20 total=123456\n"
	"full avg10=0.25 avg60=0.10 avg300=0.05 total=2345\n";

static void test_psi_some_and_full(void **state)
{
	double some = -1, full = -1;

	assert_int_equal(cg_parse_psi(psi_text, &some, &full), 0);
	assert_float_equal(some, 1.50, 1e-9);
	assert_float_equal(full, 0.25, 1e-9);
}

static void test_psi_some_only(void **state)
{
	double some = -1;

	assert_int_equal(cg_parse_psi("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
				      &some, NULL), 0);
	assert_float_equal(some, 0.0, 1e-9);
	assert_int_equal(cg_parse_psi(psi_text, &some, NULL), 0);
	assert_float_equal(some, 1.50, 1e-9);
}

static void test_psi_malformed(void **state)
{
	double some, full;

	assert_int_equal(cg_parse_psi("", &some, NULL), -EINVAL);
	assert_int_equal(cg_parse_psi("some avg60=1.0\n", &some, NULL), -EINVAL);
	assert_int_equal(cg_parse_psi("some avg10=x\n", &some, NULL), -EINVAL);
	/* full asked for but absent */
	assert_int_equal(cg_parse_psi("some avg10=1.0 avg60=0 avg300=0 total=0\n",
				      &some, &full), -EINVAL);
}

static void test_freezer_state(void **state)
{
	int f = -1;

	assert_int_equal(cg_parse_freezer_state("FROZEN\n", &f), 0);
	assert_int_equal(f, 1);
	assert_int_equal(cg_parse_freezer_state("THAWED\n", &f), 0);
	assert_int_equal(f, 0);
	f = -1;
	assert_int_equal(cg_parse_freezer_state("FREEZING\n", &f), 0);
	assert_int_equal(f, 0);
	assert_int_equal(cg_parse_freezer_state("", &f), -EINVAL);
	assert_int_equal(cg_parse_freezer_state("frozen\n", &f), -EINVAL);
}

/* ---- cg_stats_read on fixture trees ------------------------------------- */

struct fixture {
	struct nst_root root;
	struct cg_layout layout;
};

static int fixture_open(void **state, const char *name)
{
	struct nst_err err = { 0 };
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || fixture_root_open(&f->root, name) < 0) {
		free(f);
		return -1;
	}
	if (cg_layout_discover(&f->root, &f->layout, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		nst_root_clear(&f->root);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup_v1(void **state) { return fixture_open(state, "v1"); }
static int setup_v2(void **state) { return fixture_open(state, "v2"); }
static int setup_hybrid(void **state) { return fixture_open(state, "hybrid"); }

static int teardown(void **state)
{
	struct fixture *f = *state;

	nst_root_clear(&f->root);
	free(f);
	return 0;
}

static const struct cg_hier *hier_at(const struct fixture *f, const char *mount)
{
	for (int i = 0; i < f->layout.n; i++)
		if (strcmp(f->layout.h[i].mount, mount) == 0)
			return &f->layout.h[i];
	fail_msg("no hierarchy mounted at %s", mount);
	return NULL;
}

/* Reads path (as the host sees it) of the hierarchy mounted at mount. */
static void stats_of(const struct fixture *f, const char *mount, const char *path,
		     struct cg_stats *st)
{
	const struct cg_hier *h = hier_at(f, mount);
	char dir[CG_PATH_MAX];

	assert_int_equal(cg_dir_of(h, path, dir, sizeof(dir)), 0);
	memset(st, 0x5a, sizeof(*st));	/* nothing may survive from before */
	cg_stats_read(&f->root, h, dir, st);
}

static void assert_all_unknown(const struct cg_stats *st)
{
	assert_int_equal(st->cpu_usage_usec, CG_UNKNOWN);
	assert_int_equal(st->cpu_quota_usec, CG_UNKNOWN);
	assert_int_equal(st->cpu_period_usec, CG_UNKNOWN);
	assert_int_equal(st->cpu_weight, CG_UNKNOWN);
	assert_int_equal(st->memory_bytes, CG_UNKNOWN);
	assert_int_equal(st->memory_limit_bytes, CG_UNKNOWN);
	assert_int_equal(st->oom_kills, CG_UNKNOWN);
	assert_int_equal(st->pids_current, CG_UNKNOWN);
	assert_int_equal(st->pids_limit, CG_UNKNOWN);
	assert_int_equal(st->frozen, -1);
	assert_false(st->psi.available);
}

static void test_clear_sets_everything_unknown(void **state)
{
	struct cg_stats st;

	memset(&st, 0, sizeof(st));
	cg_stats_clear(&st);
	assert_all_unknown(&st);
}

static void test_v2_full_set(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup", "/a/c", &st);
	assert_int_equal(st.cpu_usage_usec, 5000000);
	assert_int_equal(st.cpu_quota_usec, 50000);
	assert_int_equal(st.cpu_period_usec, 100000);
	assert_int_equal(st.cpu_weight, 100);
	assert_int_equal(st.memory_bytes, 10485760);
	assert_int_equal(st.memory_limit_bytes, CG_UNLIMITED);
	assert_int_equal(st.oom_kills, 1);
	assert_int_equal(st.pids_current, 2);
	assert_int_equal(st.pids_limit, 64);
	assert_int_equal(st.frozen, 1);
	assert_true(st.psi.available);
	assert_float_equal(st.psi.cpu_some_avg10, 1.50, 1e-9);
	assert_float_equal(st.psi.memory_some_avg10, 2.25, 1e-9);
	assert_float_equal(st.psi.memory_full_avg10, 0.25, 1e-9);
	assert_float_equal(st.psi.io_some_avg10, 3.00, 1e-9);
	assert_float_equal(st.psi.io_full_avg10, 0.50, 1e-9);
}

static void test_v2_missing_files_stay_unknown(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	/* /a/b has cpu.stat, memory.current, memory.max, cgroup.events only. */
	stats_of(f, "/sys/fs/cgroup", "/a/b", &st);
	assert_int_equal(st.cpu_usage_usec, 2000000);
	assert_int_equal(st.memory_bytes, 4096);
	assert_int_equal(st.memory_limit_bytes, 536870912);
	assert_int_equal(st.frozen, 0);
	assert_int_equal(st.cpu_quota_usec, CG_UNKNOWN);
	assert_int_equal(st.cpu_period_usec, CG_UNKNOWN);
	assert_int_equal(st.cpu_weight, CG_UNKNOWN);
	assert_int_equal(st.oom_kills, CG_UNKNOWN);
	assert_int_equal(st.pids_current, CG_UNKNOWN);
	assert_int_equal(st.pids_limit, CG_UNKNOWN);
	assert_false(st.psi.available);
}

static void test_v2_root_cgroup(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup", "/", &st);
	assert_int_equal(st.cpu_usage_usec, 90000000);
	assert_int_equal(st.memory_bytes, CG_UNKNOWN);
	assert_int_equal(st.frozen, -1);	/* the root has no cgroup.events */
	assert_false(st.psi.available);
}

static void test_v2_empty_cgroup_is_all_unknown(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup", "/z", &st);
	assert_all_unknown(&st);
}

static void test_v2_without_controllers_reads_only_what_is_always_there(void **state)
{
	struct fixture *f = *state;
	struct cg_hier h = *hier_at(f, "/sys/fs/cgroup");
	struct cg_stats st;

	h.controllers[0] = '\0';
	cg_stats_read(&f->root, &h, "a/c", &st);
	assert_int_equal(st.cpu_usage_usec, 5000000);
	assert_int_equal(st.frozen, 1);
	assert_int_equal(st.cpu_quota_usec, CG_UNKNOWN);
	assert_int_equal(st.memory_bytes, CG_UNKNOWN);
	assert_int_equal(st.pids_current, CG_UNKNOWN);
}

static void test_v1_cpu_cpuacct(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup/cpu,cpuacct", "/a/c", &st);
	assert_int_equal(st.cpu_usage_usec, 5000000);	/* cpuacct.usage is in ns */
	assert_int_equal(st.cpu_quota_usec, CG_UNLIMITED);
	assert_int_equal(st.cpu_period_usec, 100000);
	assert_int_equal(st.cpu_weight, 1024);
	assert_int_equal(st.memory_bytes, CG_UNKNOWN);
	assert_int_equal(st.frozen, -1);

	stats_of(f, "/sys/fs/cgroup/cpu,cpuacct", "/a/b", &st);
	assert_int_equal(st.cpu_usage_usec, 2000000);
	assert_int_equal(st.cpu_quota_usec, 20000);
	assert_int_equal(st.cpu_weight, CG_UNKNOWN);

	stats_of(f, "/sys/fs/cgroup/cpu,cpuacct", "/", &st);
	assert_int_equal(st.cpu_usage_usec, 90000000);
}

static void test_v1_memory(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup/memory", "/a/c", &st);
	assert_int_equal(st.memory_bytes, 10485760);
	assert_int_equal(st.memory_limit_bytes, CG_UNLIMITED);
	assert_int_equal(st.oom_kills, 3);
	assert_int_equal(st.cpu_usage_usec, CG_UNKNOWN);

	stats_of(f, "/sys/fs/cgroup/memory", "/a/b", &st);
	assert_int_equal(st.memory_bytes, 4096);
	assert_int_equal(st.memory_limit_bytes, 536870912);
	assert_int_equal(st.oom_kills, CG_UNKNOWN);
}

static void test_v1_pids_and_freezer(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup/pids", "/a/c", &st);
	assert_int_equal(st.pids_current, 2);
	assert_int_equal(st.pids_limit, CG_UNLIMITED);

	stats_of(f, "/sys/fs/cgroup/freezer", "/a/c", &st);
	assert_int_equal(st.frozen, 1);
	stats_of(f, "/sys/fs/cgroup/freezer", "/a/b", &st);
	assert_int_equal(st.frozen, 0);
	stats_of(f, "/sys/fs/cgroup/freezer", "/z", &st);
	assert_int_equal(st.frozen, -1);
}

static void test_v1_named_hierarchy_gives_nothing(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup/systemd", "/a/c", &st);
	assert_all_unknown(&st);
	stats_of(f, "/sys/fs/cgroup/net_cls,net_prio", "/a/c", &st);
	assert_all_unknown(&st);
}

static void test_v1_psi_is_never_available(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup/memory", "/a/c", &st);
	assert_false(st.psi.available);
}

static void test_hybrid_each_hierarchy_gives_its_own(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	stats_of(f, "/sys/fs/cgroup/cpuacct", "/a/c", &st);
	assert_int_equal(st.cpu_usage_usec, 6000000);
	assert_int_equal(st.cpu_quota_usec, CG_UNKNOWN);

	stats_of(f, "/sys/fs/cgroup/cpu", "/a/c", &st);
	assert_int_equal(st.cpu_usage_usec, CG_UNKNOWN);	/* cpuacct is elsewhere */
	assert_int_equal(st.cpu_quota_usec, 25000);
	assert_int_equal(st.cpu_period_usec, 100000);
	assert_int_equal(st.cpu_weight, 512);

	stats_of(f, "/sys/fs/cgroup/memory", "/a/c", &st);
	assert_int_equal(st.memory_bytes, 10485760);
	assert_int_equal(st.memory_limit_bytes, 268435456);
	assert_int_equal(st.oom_kills, 0);

	stats_of(f, "/sys/fs/cgroup/pids", "/a/c", &st);
	assert_int_equal(st.pids_current, 2);
	assert_int_equal(st.pids_limit, 100);

	stats_of(f, "/sys/fs/cgroup/freezer", "/a/c", &st);
	assert_int_equal(st.frozen, 0);
}

static void test_hybrid_unified_without_controllers(void **state)
{
	struct fixture *f = *state;
	struct cg_stats st;

	/* No controller is enabled in unified/, so its memory.current (there
	 * in the fixture) is not the memory controller's and is not read. */
	stats_of(f, "/sys/fs/cgroup/unified", "/a/c", &st);
	assert_int_equal(st.cpu_usage_usec, 5000000);
	assert_int_equal(st.frozen, 0);
	assert_int_equal(st.memory_bytes, CG_UNKNOWN);
	assert_false(st.psi.available);
}

/* The reader under every stat file reads it in one read: a file that fills
 * the buffer (leaving just the NUL) counts as too big, by design. */
static void test_read_at_whole_file_or_efbig(void **state)
{
	struct fixture *f = *state;
	char buf[8];

	/* a/c/pids.max is "64\n": three bytes. */
	assert_int_equal(nst_read_at(f->root.cg_fd, "a/c/pids.max", buf, 5), 3);
	assert_string_equal(buf, "64\n");
	assert_int_equal(nst_read_at(f->root.cg_fd, "a/c/pids.max", buf, 4), -EFBIG);
	assert_int_equal(nst_read_at(f->root.cg_fd, "a/c/pids.max", buf, 3), -EFBIG);
	assert_int_equal(nst_read_at(f->root.cg_fd, "a/c/none", buf, sizeof(buf)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest parsers[] = {
		cmocka_unit_test(test_limit_max),
		cmocka_unit_test(test_limit_number),
		cmocka_unit_test(test_limit_v1_no_limit),
		cmocka_unit_test(test_limit_minus_one),
		cmocka_unit_test(test_limit_garbage),
		cmocka_unit_test(test_keyed_cpu_stat),
		cmocka_unit_test(test_keyed_key_that_prefixes_another),
		cmocka_unit_test(test_keyed_missing_key),
		cmocka_unit_test(test_keyed_value_not_a_number),
		cmocka_unit_test(test_cpu_max),
		cmocka_unit_test(test_cpu_max_malformed),
		cmocka_unit_test(test_psi_some_and_full),
		cmocka_unit_test(test_psi_some_only),
		cmocka_unit_test(test_psi_malformed),
		cmocka_unit_test(test_freezer_state),
		cmocka_unit_test(test_clear_sets_everything_unknown),
		cmocka_unit_test_setup_teardown(test_v2_full_set, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_v2_missing_files_stay_unknown, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_v2_root_cgroup, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_v2_empty_cgroup_is_all_unknown, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_v2_without_controllers_reads_only_what_is_always_there,
						setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_read_at_whole_file_or_efbig, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_v1_cpu_cpuacct, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_v1_memory, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_v1_pids_and_freezer, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_v1_named_hierarchy_gives_nothing, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_v1_psi_is_never_available, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_hybrid_each_hierarchy_gives_its_own,
						setup_hybrid, teardown),
		cmocka_unit_test_setup_teardown(test_hybrid_unified_without_controllers,
						setup_hybrid, teardown),
	};

	return cmocka_run_group_tests(parsers, NULL, NULL);
}
