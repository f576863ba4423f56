/*
 * nstop enter's own logic, without the kernel: the list of types as the
 * command line gives it, and the refusals made before anything is opened.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "nstop/runtime.h"

static void test_names(void **state)
{
	static const char *const want[RT_NS_NTYPES] = {
		"mnt", "net", "pid", "uts", "ipc", "cgroup", "user", "time",
	};

	(void)state;
	for (int i = 0; i < RT_NS_NTYPES; i++)
		assert_string_equal(rt_ns_name(i), want[i]);
	assert_string_equal(rt_ns_name(-1), "?");
	assert_string_equal(rt_ns_name(RT_NS_NTYPES), "?");
	/* the bits and the names agree */
	assert_int_equal(RT_NS_MNT, 1 << 0);
	assert_int_equal(RT_NS_TIME, 1 << 7);
	assert_int_equal(RT_NS_ALL, (1 << RT_NS_NTYPES) - 1);
}

static void test_parse(void **state)
{
	static const struct {
		const char *s;
		unsigned want;
	} ok[] = {
		{ "all", RT_NS_ALL },
		{ "mnt", RT_NS_MNT },
		{ "uts,net", RT_NS_UTS | RT_NS_NET },
		{ "net,net", RT_NS_NET },
		{ "mnt,net,pid,uts,ipc,cgroup,user,time", RT_NS_ALL },
		{ "cgroup,time,user", RT_NS_CGROUP | RT_NS_TIME | RT_NS_USER },
	};
	struct nst_err err;
	unsigned t;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nst_err_clear(&err);
		assert_int_equal(rt_ns_parse(ok[i].s, &t, &err), 0);
		assert_int_equal(t, ok[i].want);
	}
}

static void test_parse_bad(void **state)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "", "unknown namespace type ''" },
		{ "bogus", "unknown namespace type 'bogus'" },
		{ "mnt,,net", "unknown namespace type ''" },
		{ "mnt,", "unknown namespace type ''" },
		{ "MNT", "unknown namespace type 'MNT'" },
		{ "mn", "unknown namespace type 'mn'" },
		{ "mount", "unknown namespace type 'mount'" },
		{ "net,all", "unknown namespace type 'all'" },
	};
	struct nst_err err;
	unsigned t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nst_err_clear(&err);
		assert_int_equal(rt_ns_parse(bad[i].s, &t, &err), -EINVAL);
		if (!strstr(err.msg, bad[i].msg) || strchr(err.msg, '\n'))
			fail_msg("'%s': message '%s', want '%s'", bad[i].s, err.msg, bad[i].msg);
	}
}

static void test_refusals(void **state)
{
	struct rt_ns_id ids[RT_NS_NTYPES];
	struct nst_err err;
	unsigned t;
	int status;

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(rt_nsenter(0, RT_NS_ALL, NULL, &status, &err), -EINVAL);
	assert_int_equal(status, 1);
	assert_int_equal(rt_nsenter(-4, RT_NS_ALL, NULL, &status, &err), -EINVAL);
	assert_int_equal(rt_nsenter(1, 1U << RT_NS_NTYPES, NULL, &status, &err), -EINVAL);
	assert_int_equal(rt_ns_differ(0, &t, &err), -EINVAL);
	assert_int_equal(rt_ns_ids(-1, ids, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
