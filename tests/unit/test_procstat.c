/* nst_stat_parse on literal /proc/PID/stat lines: the one parser the scan,
 * the runtime's liveness checks and the kernel-thread refusals share. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "nstop/procstat.h"

/* A real line of a kernel (6.1), kthreadd: flags 0x208040 has PF_KTHREAD. */
static const char kthreadd[] =
	"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 3 0 0 "
	"18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static void test_fields(void **state)
{
	struct nst_stat st;

	(void)state;
	assert_int_equal(nst_stat_parse("42 (my (odd) cmd) R 1 42 42 0 -1 4194560 7 0 0 0 "
					"11 13 0 0 20 0 3 0 100 4096 25 0\n", &st), 24);
	assert_string_equal(st.comm, "my (odd) cmd");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.utime, 11);
	assert_int_equal(st.stime, 13);
	assert_int_equal(st.nthreads, 3);
	assert_int_equal(st.starttime, 100);
	assert_int_equal(st.rss_pages, 25);
	assert_false(nst_stat_kthread(&st));
}

static void test_kthread(void **state)
{
	struct nst_stat st;

	(void)state;
	assert_int_equal(nst_stat_parse(kthreadd, &st), 24);
	assert_string_equal(st.comm, "kthreadd");
	assert_true(nst_stat_kthread(&st));
}

/* A name that ends in ") R 9 " must not be taken for the fields. */
static void test_comm_that_looks_like_fields(void **state)
{
	struct nst_stat st;

	(void)state;
	assert_int_equal(nst_stat_parse("7 (x) R 9 ) S 3 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0\n",
					&st), 24);
	assert_string_equal(st.comm, "x) R 9 ");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 3);
	assert_int_equal(st.starttime, 55);
}

/* Control characters in a name are shown as '?', never sent to a terminal. */
static void test_comm_control_characters(void **state)
{
	struct nst_stat st;

	(void)state;
	assert_int_equal(nst_stat_parse("5 (a\033[2Jb\x7f) S 1\n", &st), 4);
	assert_string_equal(st.comm, "a?[2Jb?");
}

/* A short line says how far it went; what it lacks stays 0. */
static void test_short_and_bad(void **state)
{
	struct nst_stat st;

	(void)state;
	assert_int_equal(nst_stat_parse("9 (sh) Z\n", &st), 3);
	assert_int_equal(nst_stat_parse("9 (sh) Z 1", &st), 4);
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.starttime, 0);
	assert_int_equal(nst_stat_parse("9 (sh) S 1 9 9 0 -1 2097152", &st), 9);
	assert_true(nst_stat_kthread(&st));
	assert_int_equal(nst_stat_parse("9 sh S 1", &st), -EINVAL);
	assert_int_equal(nst_stat_parse("", &st), -EINVAL);
	assert_int_equal(nst_stat_parse("9 (sh)", &st), -EINVAL);
}

/* status in one walk: each key's first line, whatever the order, a key
 * that only starts like one (Seccomp_filters, CapEffX) not taken for it. */
static void test_status_one_walk(void **state)
{
	struct nst_status st;

	(void)state;
	assert_int_equal(nst_status_parse("Name:\tx\nSeccomp_filters:\t3\nCapBnd:\t00000000000000ff\n"
					  "CapEffX:\t1\nCapEff:\t0000000000000010\nSeccomp:\t2\n"
					  "NoNewPrivs:\t1\nCapEff:\t0000000000000020\nSeccomp:\t0\n", &st), 0);
	assert_int_equal(st.cap_eff, 0x10);
	assert_int_equal(st.cap_bnd, 0xff);
	assert_int_equal(st.no_new_privs, 1);
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.seccomp_filters, 3);
	/* a line without a colon is passed over, not read into the next */
	assert_int_equal(nst_status_parse("odd line\nCapEff:\t1\nCapBnd:\t2\n", &st), 0);
	assert_int_equal(st.cap_eff, 1);
	assert_int_equal(st.no_new_privs, -1);
	assert_int_equal(nst_status_parse("CapEff:\t1\n", &st), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_kthread),
		cmocka_unit_test(test_comm_that_looks_like_fields),
		cmocka_unit_test(test_comm_control_characters),
		cmocka_unit_test(test_short_and_bad),
		cmocka_unit_test(test_status_one_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
