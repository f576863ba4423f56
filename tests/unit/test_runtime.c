/*
 * The runtime's parsers and validators on literal strings, and the state
 * file's JSON round trip: everything of the runtime that lives in our code
 * rather than in the kernel.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nstop/procstat.h"
#include "nstop/size.h"
#include "rt-internal.h"

/* rc is -code and the one-line message holds want. */
static void assert_err(int rc, const struct nst_err *err, int code, const char *want)
{
	if (rc != -code || !strstr(err->msg, want) || strchr(err->msg, '\n'))
		fail_msg("rc %d (want %d), message '%s' (want '%s')", rc, -code, err->msg, want);
}

/* ---- names ---------------------------------------------------------------- */

static void test_name_valid(void **state)
{
	static const char *const ok[] = {
		"a", "web-1", "x.y_z", "A9", "nstop-test-rtb-x", "a.b-c_d.e",
		"012345678901234567890123456789012345678901234567890123456789012",
	};
	struct nst_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nst_err_clear(&err);
		if (rt_name_check(ok[i], &err) != 0)
			fail_msg("'%s' refused: %s", ok[i], err.msg);
	}
}

static void test_name_invalid(void **state)
{
	static const struct { const char *name, *why; } bad[] = {
		{ "", "empty" },
		{ "0123456789012345678901234567890123456789012345678901234567890123",
		  "64 characters long, at most 63" },
		{ "a\x01z", "non-printable" },
		{ "a\tb", "non-printable" },
		{ "caf\xc3\xa9", "non-printable" },
		{ "a/b", "contains '/'" },
		{ "/", "contains '/'" },
		{ "a..b", "contains '..'" },
		{ "..", "contains '..'" },
		{ "-a", "must not begin with '-'" },
		{ ".a", "must not begin with '.'" },
		{ "a b", "only letters, digits" },
		{ "a$b", "only letters, digits" },
		{ "a:b", "only letters, digits" },
	};
	struct nst_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nst_err_clear(&err);
		assert_err(rt_name_check(bad[i].name, &err), &err, EINVAL, bad[i].why);
	}
}

/* ---- sizes ---------------------------------------------------------------- */

static void test_size_valid(void **state)
{
	static const struct { const char *s; int64_t v; } ok[] = {
		{ "4096", 4096 }, { "1", 1 }, { "10B", 10 }, { "10b", 10 },
		{ "1K", 1024 }, { "1k", 1024 }, { "64M", 64LL << 20 }, { "64m", 64LL << 20 },
		{ "64MB", 64LL << 20 }, { "64MiB", 64LL << 20 }, { "64mib", 64LL << 20 },
		{ "1.5G", 1610612736 }, { "0.5K", 512 }, { "2T", 2LL << 40 },
		{ "1P", 1LL << 50 }, { "0.1K", 102 }, { "+8M", 8LL << 20 },
		{ "8191P", 8191LL << 50 },
	};
	struct nst_err err;
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nst_err_clear(&err);
		v = -7;
		if (nst_parse_size(ok[i].s, &v, &err) != 0 || v != ok[i].v)
			fail_msg("'%s': got %lld (%s), want %lld", ok[i].s, (long long)v,
				 err.msg, (long long)ok[i].v);
	}
}

static void test_size_invalid(void **state)
{
	static const struct { const char *s; int code; const char *why; } bad[] = {
		{ "", EINVAL, "not a number" },
		{ "-1", EINVAL, "negative" },
		{ "-64M", EINVAL, "negative" },
		{ "0", EINVAL, "not more than 0" },
		{ "0M", EINVAL, "not more than 0" },
		{ "0.0001K", EINVAL, "not more than 0" },
		{ "1.5", EINVAL, "fraction of a byte" },
		{ "abc", EINVAL, "not a number" },
		{ "M", EINVAL, "not a number" },
		{ ".5M", EINVAL, "not a number" },
		{ "1.M", EINVAL, "not a number" },
		{ "12Q", EINVAL, "'Q' after the number" },
		{ "1e6", EINVAL, "'e6' after the number" },
		{ "0x10", EINVAL, "'x10' after the number" },
		{ " 5", EINVAL, "not a number" },
		{ "5 ", EINVAL, "' ' after the number" },
		{ "64MBx", EINVAL, "after the number" },
		{ "64iB", EINVAL, "after the number" },
		{ "99999999999999999999", ERANGE, "too large" },
		{ "8192P", ERANGE, "too large" },
		{ "9223372036854775807K", ERANGE, "too large" },
	};
	struct nst_err err;
	int64_t v = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nst_err_clear(&err);
		assert_err(nst_parse_size(bad[i].s, &v, &err), &err, bad[i].code, bad[i].why);
		if (!strstr(err.msg, bad[i].s))
			fail_msg("'%s': the message does not name it: %s", bad[i].s, err.msg);
	}
	assert_int_equal(v, 42);
}

/* A limit is shown as its parser reads it back: the same bytes, never a
 * rounded neighbour (the TUI's limits dialog prefills it, nstop list and the
 * Containers view show it). */
static void test_size_format(void **state)
{
	static const struct { int64_t v; const char *want; } cases[] = {
		{ 4096, "4K" }, { 4097, "4097" }, { 512, "512" }, { 1536, "1.5K" },
		{ 64LL << 20, "64M" }, { 1610612736, "1.5G" }, { 1342177280, "1280M" },
		{ 1LL << 50, "1P" }, { 8191LL << 50, "8191P" }, { -1, "-" },
	};
	char buf[32];
	struct nst_err err;
	int64_t back;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nst_format_size(cases[i].v, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%lld: got '%s', want '%s'", (long long)cases[i].v, buf,
				 cases[i].want);
		if (cases[i].v > 0 &&
		    (nst_parse_size(buf, &back, &err) != 0 || back != cases[i].v))
			fail_msg("'%s' reads back as %lld, not %lld", buf, (long long)back,
				 (long long)cases[i].v);
	}
}

/* A time as the state files, image records and snapshots write it: what
 * glibc's gmtime_r() makes of it, from year 0000 to 9999
 * (leap days of 2000, not of 1900 or 2100; before 1970), and nothing
 * outside those years or where the buffer is short. */
static void test_format_utc(void **state)
{
	static const int64_t edges[] = {
		0, -1, 1, 86399, 86400, -86400, -86401, 951782400, 951868800,
		-2203891200, -2203977600, 4107456000, 4107542400, 1796500802,
		-62167219200, 253402300799,
	};
	char got[40], want[40], tail[8];
	unsigned seed = 20261205;
	struct tm tm;

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]) + 200000; i++) {
		int64_t t;
		int msec = (int)(i % 3) - 1;	/* -1 (none), 0, 1 */

		if (i < sizeof(edges) / sizeof(edges[0])) {
			t = edges[i];
		} else {
			seed = seed * 1103515245u + 12345u;
			t = -62167219200LL + (int64_t)(((uint64_t)seed << 20 ^ (uint64_t)rand()) %
						       (253402300800ULL + 62167219200ULL));
		}
		time_t tt = (time_t)t;
		assert_non_null(gmtime_r(&tt, &tm));
		/* (strftime's %Y does not pad a year below 1000 to four digits) */
		snprintf(want, sizeof(want), "%04d", tm.tm_year + 1900);
		assert_true(strftime(want + 4, sizeof(want) - 4, "-%m-%dT%H:%M:%S", &tm) > 0);
		if (msec >= 0)
			snprintf(tail, sizeof(tail), ".%03dZ", msec * 7);
		else
			snprintf(tail, sizeof(tail), "Z");
		strcat(want, tail);
		assert_int_equal(nst_format_utc(t, msec >= 0 ? msec * 7 : -1, got, sizeof(got)), 0);
		if (strcmp(got, want) != 0)
			fail_msg("%lld: got '%s', want '%s'", (long long)t, got, want);
	}
	assert_int_equal(nst_format_utc(-62167219201LL, -1, got, sizeof(got)), -1);
	assert_string_equal(got, "");
	assert_int_equal(nst_format_utc(253402300800LL, -1, got, sizeof(got)), -1);
	assert_string_equal(got, "");
	assert_int_equal(nst_format_utc(0, -1, got, 20), -1);	/* 20 bytes + the NUL */
	assert_string_equal(got, "");
	assert_int_equal(nst_format_utc(0, -1, got, 21), 0);
	assert_string_equal(got, "1970-01-01T00:00:00Z");
}

/* ---- cpus, weight, pids ------------------------------------------------------ */

static void test_cpus(void **state)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct nst_err err;
	int64_t q = -1, p = -1;
	char s[32];

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(rt_parse_cpus("0.5", &q, &p, &err), 0);
	assert_int_equal(q, 50000);
	assert_int_equal(p, 100000);
	assert_int_equal(rt_parse_cpus("0.2", &q, &p, &err), 0);
	assert_int_equal(q, 20000);
	assert_int_equal(rt_parse_cpus("0.01", &q, &p, &err), 0);
	assert_int_equal(q, 1000);
	assert_int_equal(rt_parse_cpus("1", &q, &p, &err), 0);
	assert_int_equal(q, 100000);
	snprintf(s, sizeof(s), "%ld", ncpu);
	assert_int_equal(rt_parse_cpus(s, &q, &p, &err), 0);
	assert_int_equal(q, ncpu * 100000);

	q = p = 7;
	assert_err(rt_parse_cpus("0", &q, &p, &err), &err, ERANGE, "smallest, 0.01");
	assert_err(rt_parse_cpus("0.009", &q, &p, &err), &err, ERANGE, "smallest");
	assert_err(rt_parse_cpus("-1", &q, &p, &err), &err, EINVAL, "negative");
	assert_err(rt_parse_cpus("", &q, &p, &err), &err, EINVAL, "not a decimal");
	assert_err(rt_parse_cpus("abc", &q, &p, &err), &err, EINVAL, "not a decimal");
	assert_err(rt_parse_cpus("1.", &q, &p, &err), &err, EINVAL, "not a decimal");
	assert_err(rt_parse_cpus("1e1", &q, &p, &err), &err, EINVAL, "not a decimal");
	assert_err(rt_parse_cpus("0x1", &q, &p, &err), &err, EINVAL, "not a decimal");
	assert_err(rt_parse_cpus("nan", &q, &p, &err), &err, EINVAL, "not a decimal");
	snprintf(s, sizeof(s), "%ld.5", ncpu);
	assert_err(rt_parse_cpus(s, &q, &p, &err), &err, ERANGE, "cpus online");
	snprintf(s, sizeof(s), "%ld", ncpu + 1);
	assert_err(rt_parse_cpus(s, &q, &p, &err), &err, ERANGE, "cpus online");
	assert_int_equal(q, 7);
	assert_int_equal(p, 7);
}

static void test_cpu_weight(void **state)
{
	static const char *const bad[] = { "0", "10001", "-5", "abc", "1.5", "", "50x", " 5" };
	struct nst_err err;
	int64_t w = -1;

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(rt_parse_cpu_weight("1", &w, &err), 0);
	assert_int_equal(w, 1);
	assert_int_equal(rt_parse_cpu_weight("10000", &w, &err), 0);
	assert_int_equal(w, 10000);
	assert_int_equal(rt_parse_cpu_weight("100", &w, &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = rt_parse_cpu_weight(bad[i], &w, &err);
		if (rc == 0 || !strstr(err.msg, "cpu weight"))
			fail_msg("'%s' accepted or unexplained: %s", bad[i], err.msg);
	}
	assert_err(rt_parse_cpu_weight("0", &w, &err), &err, ERANGE, "not in 1..10000");
	assert_int_equal(w, 100);
	/* The v1 scale meets v2's at the defaults. */
	assert_int_equal(rt_weight_to_shares(100), 1024);
	assert_int_equal(rt_weight_to_shares(1), 10);
	assert_int_equal(rt_weight_to_shares(10000), 102400);
}

static void test_pids(void **state)
{
	static const char *const bad[] = { "0", "-1", "4194305", "x", "", "1.5", "99999999999999999999" };
	struct nst_err err;
	int64_t n = -1;

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(rt_parse_pids("1", &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rt_parse_pids("4194304", &n, &err), 0);
	assert_int_equal(n, 4194304);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rt_parse_pids(bad[i], &n, &err) == 0 || !strstr(err.msg, "pid limit"))
			fail_msg("'%s' accepted or unexplained: %s", bad[i], err.msg);
	assert_err(rt_parse_pids("-1", &n, &err), &err, ERANGE, "not in 1..4194304");
	assert_err(rt_parse_pids("x", &n, &err), &err, EINVAL, "not a whole number");
	assert_int_equal(n, 4194304);
}

/* run's and update's limit options by name: each into its own field of l,
 * the others left unset; a name that is no limit is a usage error. */
static void test_limits_parse(void **state)
{
	struct rt_limits l;
	struct nst_err err;

	(void)state;
	rt_limits_init(&l);
	nst_err_clear(&err);
	assert_int_equal(rt_limits_parse(&l, "memory", "64M", &err), 0);
	assert_int_equal(l.memory_bytes, 64 << 20);
	assert_int_equal(rt_limits_parse(&l, "cpus", "0.5", &err), 0);
	assert_int_equal(l.cpu_quota_us * 2, l.cpu_period_us);
	assert_int_equal(rt_limits_parse(&l, "cpu-weight", "200", &err), 0);
	assert_int_equal(l.cpu_weight, 200);
	assert_int_equal(rt_limits_parse(&l, "cpuset", "0", &err), 0);
	assert_string_equal(l.cpuset, "0");
	assert_int_equal(l.pids_max, -1);
	assert_int_equal(rt_limits_parse(&l, "pids", "64", &err), 0);
	assert_int_equal(l.pids_max, 64);
	assert_err(rt_limits_parse(&l, "pids", "0", &err), &err, ERANGE, "pid limit");
	assert_int_equal(l.pids_max, 64);
	nst_err_clear(&err);
	assert_int_equal(rt_limits_parse(&l, "swap", "1G", &err), -EINVAL);
	assert_true(err.usage);
}

/* ---- cpusets ------------------------------------------------------------------ */

static void test_cpuset(void **state)
{
	static const char *const ok[] = { "0", "0-1,3", "0-3", "3,2,1", "1-1" };
	static const struct { const char *s, *why; } bad[] = {
		{ "4", "cpu 4 is not online" },
		{ "0,5-6", "cpu 5 is not online" },
		{ "3-1", "runs backwards" },
		{ "", "empty" },
		{ "a", "not a list of cpus" },
		{ "0,", "not a list of cpus" },
		{ ",0", "not a list of cpus" },
		{ "0--1", "not a list of cpus" },
		{ "1-", "not a list of cpus" },
		{ "0 1", "not a list of cpus" },
		{ "-1", "not a list of cpus" },
		{ "9000", "does not exist" },
	};
	struct nst_err err;
	char out[128];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nst_err_clear(&err);
		if (rt_parse_cpuset_in(ok[i], "0-3\n", out, sizeof(out), &err) != 0 ||
		    strcmp(out, ok[i]) != 0)
			fail_msg("'%s' refused: %s", ok[i], err.msg);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nst_err_clear(&err);
		if (rt_parse_cpuset_in(bad[i].s, "0-3\n", out, sizeof(out), &err) == 0 ||
		    !strstr(err.msg, bad[i].why))
			fail_msg("'%s' accepted or unexplained: %s", bad[i].s, err.msg);
	}
	/* A hole in the online cpus. */
	assert_int_equal(rt_parse_cpuset_in("0,2", "0,2-3", out, sizeof(out), &err), 0);
	assert_err(rt_parse_cpuset_in("1", "0,2-3", out, sizeof(out), &err), &err, EINVAL,
		   "cpu 1 is not online (online: 0,2-3)");
	/* And this machine's own: cpu 0 is always online. */
	assert_int_equal(rt_parse_cpuset("0", out, sizeof(out), &err), 0);
	assert_string_equal(out, "0");
	assert_err(rt_parse_cpuset("8191", out, sizeof(out), &err), &err, EINVAL, "not online");
}

/* ---- signals -------------------------------------------------------------------- */

static void test_signal(void **state)
{
	static const struct { const char *s; int sig; } ok[] = {
		{ "9", SIGKILL }, { "1", SIGHUP }, { "KILL", SIGKILL }, { "SIGKILL", SIGKILL },
		{ "sigterm", SIGTERM }, { "term", SIGTERM }, { "HUP", SIGHUP },
		{ "USR1", SIGUSR1 }, { "CHLD", SIGCHLD }, { "STOP", SIGSTOP },
	};
	static const char *const bad[] = {
		"0", "65", "-9", "FOO", "SIGFOO", "", "SIG", "9x", "RTMIN-1", "RTMAX+1",
		"RTMIN+99", "KILLX",
	};
	struct nst_err err;
	int sig = -1;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nst_err_clear(&err);
		if (rt_parse_signal(ok[i].s, &sig, &err) != 0 || sig != ok[i].sig)
			fail_msg("'%s': got %d (%s), want %d", ok[i].s, sig, err.msg, ok[i].sig);
	}
	assert_int_equal(rt_parse_signal("RTMIN", &sig, &err), 0);
	assert_int_equal(sig, SIGRTMIN);
	assert_int_equal(rt_parse_signal("SIGRTMIN+2", &sig, &err), 0);
	assert_int_equal(sig, SIGRTMIN + 2);
	assert_int_equal(rt_parse_signal("RTMAX-1", &sig, &err), 0);
	assert_int_equal(sig, SIGRTMAX - 1);
	assert_int_equal(rt_parse_signal("64", &sig, &err), 0);
	assert_int_equal(sig, 64);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nst_err_clear(&err);
		if (rt_parse_signal(bad[i], &sig, &err) == 0)
			fail_msg("'%s' accepted as %d", bad[i], sig);
		if (!strstr(err.msg, "signal"))
			fail_msg("'%s': unexplained: %s", bad[i], err.msg);
	}
}

/* ---- volumes -------------------------------------------------------------------- */

static void test_volume(void **state)
{
	static const struct { const char *s, *why; int code; } bad[] = {
		{ "tmp", "is not /DST, NAME:/DST[:ro] or /SRC:/DST[:ro]", EINVAL },
		{ "./tmp:/data", "volume name './tmp' has '.' at 0", EINVAL },
		{ "../x:/data", "volume name '../x' has '.' at 0", EINVAL },
		{ "a/b:/data", "volume name 'a/b' has '/' at 1", EINVAL },
		{ ".lock:/data", "has '.' at 0", EINVAL },
		{ "-x:/data", "has '-' at 0", EINVAL },
		{ ":/data", "volume name is empty", EINVAL },
		{ "v\x01:/data", "non-printable character (0x01)", EINVAL },
		{ "data:data", "destination 'data' is not an absolute path", EINVAL },
		{ "data:/a/../b", "contains '..'", EINVAL },
		{ "data:/", "is the container's root", EINVAL },
		{ "data:/d:rx", "mode 'rx' is neither ro nor rw", EINVAL },
		{ "/d/..", "contains '..'", EINVAL },
		{ "//", "is the container's root", EINVAL },
		{ "/d:rx", "'rx' is neither a mode (ro, rw) nor an absolute destination", EINVAL },
		{ "/tmp:data", "'data' is neither a mode (ro, rw) nor an absolute destination", EINVAL },
		{ "/tmp:", "'' is neither a mode (ro, rw) nor an absolute destination", EINVAL },
		{ "/tmp:/a/../b", "contains '..'", EINVAL },
		{ "/tmp:/..", "contains '..'", EINVAL },
		{ "/tmp:/a/..", "contains '..'", EINVAL },
		{ "/tmp:/", "is the container's root", EINVAL },
		{ "/tmp://", "is the container's root", EINVAL },
		{ "/tmp:/d:rx", "mode 'rx' is neither ro nor rw", EINVAL },
		{ "/tmp:/d:ro:x", "mode 'ro:x' is neither", EINVAL },
		{ "/nonexistent-nstop-test:/d", "volume source /nonexistent-nstop-test", ENOENT },
	};
	struct rt_volume v;
	struct nst_err err;
	char buf[128];

	(void)state;
	nst_err_clear(&err);
	snprintf(buf, sizeof(buf), "/tmp:/data");
	assert_int_equal(rt_parse_volume(buf, &v, &err), 0);
	assert_string_equal(v.src, "/tmp");
	assert_string_equal(v.dst, "/data");
	assert_false(v.ro);
	snprintf(buf, sizeof(buf), "/:/host:ro");
	assert_int_equal(rt_parse_volume(buf, &v, &err), 0);
	assert_string_equal(v.src, "/");
	assert_string_equal(v.dst, "/host");
	assert_true(v.ro);
	snprintf(buf, sizeof(buf), "/tmp:/a..b/c:rw");
	assert_int_equal(rt_parse_volume(buf, &v, &err), 0);
	assert_string_equal(v.dst, "/a..b/c");
	assert_false(v.ro);
	assert_int_equal(v.kind, RT_VOL_BIND);
	/* the seed article's -v /test: a volume of the container's own */
	snprintf(buf, sizeof(buf), "/test");
	assert_int_equal(rt_parse_volume(buf, &v, &err), 0);
	assert_int_equal(v.kind, RT_VOL_ANON);
	assert_null(v.src);
	assert_string_equal(v.dst, "/test");
	assert_false(v.ro);
	snprintf(buf, sizeof(buf), "/test:ro");
	assert_int_equal(rt_parse_volume(buf, &v, &err), 0);
	assert_int_equal(v.kind, RT_VOL_ANON);
	assert_string_equal(v.dst, "/test");
	assert_true(v.ro);
	snprintf(buf, sizeof(buf), "my-data_1.x:/data:ro");
	assert_int_equal(rt_parse_volume(buf, &v, &err), 0);
	assert_int_equal(v.kind, RT_VOL_NAMED);
	assert_string_equal(v.src, "my-data_1.x");
	assert_string_equal(v.dst, "/data");
	assert_true(v.ro);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nst_err_clear(&err);
		snprintf(buf, sizeof(buf), "%s", bad[i].s);
		assert_err(rt_parse_volume(buf, &v, &err), &err, bad[i].code, bad[i].why);
	}
}

static void test_volume_name(void **state)
{
	char longname[RT_VOLUME_NAME_MAX + 2];
	struct nst_err err;

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(rt_volume_name_check("a", &err), 0);
	assert_int_equal(rt_volume_name_check("0.data_x-y", &err), 0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_err(rt_volume_name_check(longname, &err), &err, EINVAL, "at most 128");
	longname[RT_VOLUME_NAME_MAX] = '\0';
	assert_int_equal(rt_volume_name_check(longname, &err), 0);
	assert_err(rt_volume_name_check("..", &err), &err, EINVAL, "has '.' at 0");
	assert_err(rt_volume_name_check("a/..", &err), &err, EINVAL, "has '/' at 1");
	assert_err(rt_volume_name_check("a b", &err), &err, EINVAL, "has ' ' at 1");
	assert_err(rt_volume_name_check("", &err), &err, EINVAL, "empty");
}

/* The target rule the runtime and the launch form share: with the host's
 * read-only root the target must be there, of the source's kind. */
static void test_volume_target(void **state)
{
	struct rt_volume v = { .kind = RT_VOL_BIND, .src = "/tmp", .dst = "/tmp", .ro = false };
	char resolved[RT_PATH_MAX];
	struct nst_err err;

	(void)state;
	nst_err_clear(&err);
	assert_int_equal(rt_check_volume(&v, NULL, resolved, &err), 0);
	v.dst = "/nonexistent-nstop-test";
	assert_err(rt_check_volume(&v, NULL, resolved, &err), &err, ENOENT, "in the host's read-only root");
	assert_int_equal(rt_check_volume(&v, "/some/rootfs", resolved, &err), 0);
	v.dst = "/tmp/new/dir";
	assert_int_equal(rt_check_volume(&v, NULL, resolved, &err), 0);
	/* a directory over a file: the kind differs */
	v.dst = "/proc/self/status";
	assert_err(rt_check_volume(&v, NULL, resolved, &err), &err, EINVAL, "is not a directory");
	v.kind = RT_VOL_NAMED;
	v.src = "data";
	assert_err(rt_check_volume(&v, NULL, resolved, &err), &err, EINVAL, "is not a directory");
	v.kind = RT_VOL_ANON;
	v.src = NULL;
	v.dst = "/proc";
	assert_int_equal(rt_check_volume(&v, NULL, resolved, &err), 0);
}

/* ---- state ------------------------------------------------------------------------ */

static void fill_state(struct rt_state *st)
{
	rt_state_init(st);
	snprintf(st->name, sizeof(st->name), "web-1");
	st->status = RT_RUNNING;
	st->pid = 4242;
	st->pid_start = 123456789ULL;
	st->monitor = 4241;
	st->monitor_start = 123456700ULL;
	st->created.tv_sec = 1795381525;	/* 2026-11-22T21:05:25Z */
	st->created.tv_nsec = 792151395;
	st->exit_code = -1;
	snprintf(st->rootfs, sizeof(st->rootfs), "/srv/root \"fs\"");
	st->overlay = true;
	st->detached = true;
	st->remove = false;
	st->userns = true;
	st->net = RT_NET_HOST;
	snprintf(st->hostname, sizeof(st->hostname), "web");
	snprintf(st->cgroup, sizeof(st->cgroup), "/nstop/web-1");
	snprintf(st->command, sizeof(st->command), "sh -c 'echo \\\"hi\\\"\n'");
	st->limits.memory_bytes = 64LL << 20;
	st->limits.cpu_quota_us = 20000;
	st->limits.cpu_period_us = 100000;
	st->limits.cpu_weight = -1;
	snprintf(st->limits.cpuset, sizeof(st->limits.cpuset), "0-1");
	st->limits.pids_max = 100;
	snprintf(st->mounts, sizeof(st->mounts), "%s",
		 "[{\"type\":\"bind\",\"name\":null,\"source\":\"/srv\",\"destination\":\"/d\",\"ro\":true},"
		 "{\"type\":\"volume\",\"name\":\"data\",\"source\":\"/var/lib/nstop/volumes/data/_data\",\"destination\":\"/v\",\"ro\":false}]");
}

static void test_state_round_trip(void **state)
{
	struct rt_state a, b;
	struct nst_err err;
	json_error_t jerr;
	json_t *doc;
	char *text;

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		fill_state(&a);
		if (pass == 1) {
			/* Exited, with the host's / and nothing limited. */
			a.status = RT_EXITED;
			a.pid = 0;
			a.exit_code = 137;
			a.finished.tv_sec = a.created.tv_sec + 5;
			a.finished.tv_nsec = 1;
			a.rootfs[0] = '\0';
			a.net = RT_NET_NONE;
			rt_limits_init(&a.limits);
			a.mounts[0] = '\0';
		}
		doc = rt_state_file_json(&a);
		assert_non_null(doc);
		text = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
		assert_non_null(text);
		doc = json_loads(text, 0, &jerr);
		free(text);
		assert_non_null(doc);
		nst_err_clear(&err);
		assert_int_equal(rt_state_from_json(doc, &b, &err), 0);
		json_decref(doc);
		assert_string_equal(b.name, a.name);
		assert_int_equal(b.status, a.status);
		assert_int_equal(b.pid, a.pid);
		assert_true(b.pid_start == a.pid_start);
		assert_int_equal(b.monitor, a.monitor);
		assert_true(b.monitor_start == a.monitor_start);
		assert_int_equal(b.created.tv_sec, a.created.tv_sec);
		assert_int_equal(b.created.tv_nsec, a.created.tv_nsec);
		assert_int_equal(b.finished.tv_sec, a.finished.tv_sec);
		assert_int_equal(b.finished.tv_nsec, a.finished.tv_nsec);
		assert_int_equal(b.exit_code, a.exit_code);
		assert_string_equal(b.rootfs, a.rootfs);
		assert_int_equal(b.overlay, a.overlay);
		assert_int_equal(b.detached, a.detached);
		assert_int_equal(b.remove, a.remove);
		assert_int_equal(b.userns, a.userns);
		assert_int_equal(b.net, a.net);
		assert_string_equal(b.hostname, a.hostname);
		assert_string_equal(b.cgroup, a.cgroup);
		assert_string_equal(b.command, a.command);
		assert_int_equal(b.limits.memory_bytes, a.limits.memory_bytes);
		assert_int_equal(b.limits.cpu_quota_us, a.limits.cpu_quota_us);
		assert_int_equal(b.limits.cpu_period_us, a.limits.cpu_period_us);
		assert_int_equal(b.limits.cpu_weight, a.limits.cpu_weight);
		assert_string_equal(b.limits.cpuset, a.limits.cpuset);
		assert_int_equal(b.limits.pids_max, a.limits.pids_max);
		assert_string_equal(b.mounts, a.mounts);
	}
}

static void test_state_json_keys(void **state)
{
	struct rt_state st;
	json_t *doc, *l;

	(void)state;
	fill_state(&st);
	st.limits.cpu_weight = -1;
	doc = rt_state_json(&st);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "name")), "web-1");
	assert_string_equal(json_string_value(json_object_get(doc, "state")), "running");
	assert_int_equal(json_integer_value(json_object_get(doc, "pid")), 4242);
	assert_string_equal(json_string_value(json_object_get(doc, "created")),
			    "2026-11-22T21:05:25Z");
	assert_string_equal(json_string_value(json_object_get(doc, "rootfs")), "/srv/root \"fs\"");
	assert_true(json_is_null(json_object_get(doc, "exit_code")));
	assert_true(json_is_null(json_object_get(doc, "finished")));
	assert_string_equal(json_string_value(json_object_get(doc, "cgroup")), "/nstop/web-1");
	l = json_object_get(doc, "limits");
	assert_int_equal(json_integer_value(json_object_get(l, "memory_bytes")), 64LL << 20);
	/* one spelling for one unit: as cgroups[] and containers[] */
	assert_int_equal(json_integer_value(json_object_get(l, "cpu_quota_usec")), 20000);
	assert_int_equal(json_integer_value(json_object_get(l, "cpu_period_usec")), 100000);
	assert_null(json_object_get(l, "cpu_quota_us"));
	assert_true(json_is_null(json_object_get(l, "cpu_weight")));
	assert_string_equal(json_string_value(json_object_get(l, "cpuset")), "0-1");
	assert_int_equal(json_integer_value(json_object_get(l, "pids_max")), 100);
	/* The listing keeps the monitor and raw times to the state file. */
	assert_null(json_object_get(doc, "monitor"));
	assert_null(json_object_get(doc, "pid_start"));
	json_decref(doc);

	st.status = RT_EXITED;
	st.pid = 0;
	st.exit_code = 0;
	st.rootfs[0] = '\0';
	rt_limits_init(&st.limits);
	doc = rt_state_json(&st);
	assert_string_equal(json_string_value(json_object_get(doc, "state")), "exited");
	assert_true(json_is_null(json_object_get(doc, "pid")));
	assert_true(json_is_null(json_object_get(doc, "rootfs")));
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")), 0);
	l = json_object_get(doc, "limits");
	assert_int_equal(json_object_size(l), 6);
	static const char *const keys[] = { "memory_bytes", "cpu_quota_usec", "cpu_period_usec",
					    "cpu_weight", "cpuset", "pids_max" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_is_null(json_object_get(l, keys[i])))
			fail_msg("limits.%s of an unlimited container is not null", keys[i]);
	json_decref(doc);
}

/* argv and paths are bytes: what is not UTF-8 becomes \xNN, valid UTF-8
 * (and control characters, escaped by JSON) stays as it is. */
static void test_state_json_bytes(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "printf %s caf\xe9", "printf %s caf\\xe9" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "a\x01" "b\tc", "a\x01" "b\tc" },
		{ "\xc0\xaf", "\\xc0\\xaf" },		/* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },	/* a surrogate */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },	/* past U+10FFFF */
		{ "x\xe2\x82", "x\\xe2\\x82" },		/* cut short */
	};
	struct rt_state st;
	json_t *doc;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fill_state(&st);
		snprintf(st.command, sizeof(st.command), "%s", cases[i].in);
		snprintf(st.rootfs, sizeof(st.rootfs), "/srv/%s", cases[i].in);
		doc = rt_state_json(&st);
		if (!doc)
			fail_msg("case %zu: no JSON", i);
		assert_string_equal(json_string_value(json_object_get(doc, "command")), cases[i].out);
		char want[128];
		snprintf(want, sizeof(want), "/srv/%s", cases[i].out);
		assert_string_equal(json_string_value(json_object_get(doc, "rootfs")), want);
		json_decref(doc);
		doc = rt_state_file_json(&st);
		assert_non_null(doc);
		json_decref(doc);
	}
}

static void test_state_from_bad_json(void **state)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "[]", "not a JSON object" },
		{ "{}", "no valid name" },
		{ "{\"name\":\"../x\",\"state\":\"running\"}", "no valid name" },
		{ "{\"name\":\"a\",\"state\":\"dancing\"}", "unknown status 'dancing'" },
		{ "{\"name\":\"a\"}", "unknown status" },
		/* mounts: a volume's name is never a path, types are known */
		{ "{\"name\":\"a\",\"state\":\"exited\",\"mounts\":{}}", "mounts that are not valid" },
		{ "{\"name\":\"a\",\"state\":\"exited\",\"mounts\":[{\"type\":\"anonymous\",\"name\":\"../../etc\",\"source\":\"/x\",\"destination\":\"/d\",\"ro\":false}]}",
		  "a mount that is not valid" },
		{ "{\"name\":\"a\",\"state\":\"exited\",\"mounts\":[{\"type\":\"tmpfs\",\"name\":null,\"source\":\"/x\",\"destination\":\"/d\",\"ro\":false}]}",
		  "a mount that is not valid" },
		{ "{\"name\":\"a\",\"state\":\"exited\",\"mounts\":[{\"type\":\"bind\",\"name\":\"x\",\"source\":\"/x\",\"destination\":\"/d\",\"ro\":false}]}",
		  "a mount that is not valid" },
	};
	struct rt_state st;
	struct nst_err err;
	json_error_t jerr;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *doc = json_loads(bad[i].text, 0, &jerr);
		assert_non_null(doc);
		nst_err_clear(&err);
		assert_err(rt_state_from_json(doc, &st, &err), &err, EINVAL, bad[i].why);
		json_decref(doc);
	}
}

/* A state file an nstop before the one spelling wrote (cpu_quota_us) still
 * reads, with its limits. */
static void test_state_old_quota_key(void **state)
{
	struct rt_state st;
	struct nst_err err;
	json_error_t jerr;
	json_t *doc = json_loads("{\"name\":\"a\",\"state\":\"running\",\"limits\":"
				 "{\"cpu_quota_us\":50000,\"cpu_period_us\":100000}}", 0, &jerr);

	(void)state;
	assert_non_null(doc);
	nst_err_clear(&err);
	assert_int_equal(rt_state_from_json(doc, &st, &err), 0);
	assert_int_equal(st.limits.cpu_quota_us, 50000);
	assert_int_equal(st.limits.cpu_period_us, 100000);
	json_decref(doc);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(rt_status_name(RT_CREATED), "created");
	assert_string_equal(rt_status_name(RT_RUNNING), "running");
	assert_string_equal(rt_status_name(RT_FROZEN), "frozen");
	assert_string_equal(rt_status_name(RT_EXITED), "exited");
}

static void test_container_of_cgroup(void **state)
{
	char name[RT_NAME_MAX + 1] = "";

	(void)state;
	assert_true(rt_container_of_cgroup("/nstop/web", name));
	assert_string_equal(name, "web");
	assert_true(rt_container_of_cgroup("/nstop/db-2/inner/deeper", name));
	assert_string_equal(name, "db-2");
	assert_false(rt_container_of_cgroup("/nstop", name));
	assert_false(rt_container_of_cgroup("/nstop/", name));
	assert_false(rt_container_of_cgroup("/nstopx/a", name));
	assert_false(rt_container_of_cgroup("/other/nstop/a", name));
	assert_false(rt_container_of_cgroup("/nstop/..", name));
	assert_false(rt_container_of_cgroup("/nstop/.hidden", name));
	assert_false(rt_container_of_cgroup("/", name));
	assert_false(rt_container_of_cgroup("", name));
	assert_string_equal(name, "db-2");
}

/*
 * /proc/PID/stat fields after the last ')', as the runtime reads them (start
 * time, flags) through nst_stat_parse. The fuzzer (tests/fuzz) found a
 * buffer ending at ')' read on past its NUL: here what lies beyond the NUL
 * is a whole stat line, which must not be taken for the fields.
 */
static void test_proc_stat_field(void **state)
{
	static const char line[] =
		"42 (a) (b c)) S 1 42 42 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 777 1000 25 0\n";
	static const char cut[] =
		"2 (kthreadd)\0 S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0 0\n";
	struct nst_stat st;

	(void)state;
	assert_true(nst_stat_parse(line, &st) >= 22);
	assert_int_equal(st.starttime, 777);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.ppid, 1);
	assert_int_equal(nst_stat_parse(cut, &st), -EINVAL);
	assert_true(nst_stat_parse("1 (x) S 1 2", &st) < 22);
	assert_int_equal(nst_stat_parse("no parenthesis", &st), -EINVAL);
}

static void test_limits_init(void **state)
{
	struct rt_limits l;

	(void)state;
	memset(&l, 0x55, sizeof(l));
	rt_limits_init(&l);
	assert_int_equal(l.memory_bytes, -1);
	assert_int_equal(l.cpu_quota_us, -1);
	assert_int_equal(l.cpu_period_us, -1);
	assert_int_equal(l.cpu_weight, -1);
	assert_string_equal(l.cpuset, "");
	assert_int_equal(l.pids_max, -1);
}

/* ---- the runtime context's state directory -------------------------------- */

/* The temporary state directory, removed whatever the test did. */
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static int ctx_teardown(void **state)
{
	struct rt_ctx *ctx = *state;

	nftw(ctx->state_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(ctx);
	return 0;
}

static int ctx_setup(void **state)
{
	struct rt_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return -1;
	ctx->root.proc_fd = ctx->root.cg_fd = -1;
	snprintf(ctx->state_dir, sizeof(ctx->state_dir), "/tmp/nstop-test-rtctx-XXXXXX");
	if (!mkdtemp(ctx->state_dir)) {
		free(ctx);
		return -1;
	}
	*state = ctx;
	return 0;
}

/* rt_list, rt_state_write and rt_state_remove go where the context says,
 * not to RT_STATE_DIR: a valid state and a directory without one (broken),
 * by name; nothing of the kernel's is needed for an exited one. */
static void test_ctx_state_dir(void **state)
{
	struct rt_ctx *ctx = *state;
	struct rt_state st, *list = NULL;
	struct nst_err err;
	char dir[RT_PATH_MAX];
	size_t n = 0;

	nst_err_clear(&err);
	rt_state_init(&st);
	snprintf(st.name, sizeof(st.name), "nstop-test-a");
	st.status = RT_EXITED;
	st.exit_code = 3;
	assert_int_equal(mkdir(rt_state_path(ctx, "nstop-test-a", NULL, dir, sizeof(dir)), 0700), 0);
	assert_int_equal(rt_state_write(ctx, &st, &err), 0);
	assert_int_equal(mkdir(rt_state_path(ctx, "nstop-test-b", NULL, dir, sizeof(dir)), 0700), 0);

	assert_int_equal(rt_list(ctx, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "nstop-test-a");
	assert_int_equal(list[0].status, RT_EXITED);
	assert_int_equal(list[0].exit_code, 3);
	assert_string_equal(list[1].name, "nstop-test-b");
	assert_int_equal(list[1].status, RT_BROKEN);
	free(list);

	assert_int_equal(rt_state_remove(ctx, "nstop-test-a", &err), 0);
	assert_int_equal(rt_state_remove(ctx, "nstop-test-b", &err), 0);
	assert_int_equal(rt_list(ctx, &list, &n, &err), 0);
	assert_int_equal(n, 0);
	free(list);
}

/* ---- the runtime's rules, as the front ends call them ---------------------- */

static void test_check_rules(void **state)
{
	char *const none[] = { NULL }, *const empty[] = { "", NULL }, *const cmd[] = { "true", NULL };
	char resolved[RT_PATH_MAX];
	struct rt_volume v;
	struct rt_state st;
	struct nst_err err;

	(void)state;
	/* what can never be right is a usage error; what the host lacks is not */
	assert_err(rt_check_command(none, false, &err), &err, EINVAL, "no command to run");
	assert_true(err.usage);
	assert_err(rt_check_command(empty, true, &err), &err, EINVAL, "no command to run");
	assert_int_equal(rt_check_command(none, true, &err), 0);
	assert_int_equal(rt_check_command(cmd, false, &err), 0);
	assert_err(rt_check_rootfs(NULL, true, resolved, &err), &err, EINVAL, "--overlay needs --rootfs");
	assert_true(err.usage);
	assert_err(rt_check_rootfs("/", false, resolved, &err), &err, EINVAL, "leave --rootfs out");
	assert_err(rt_check_rootfs("/nonexistent-nstop-rootfs", false, resolved, &err), &err,
		   ENOENT, "rootfs /nonexistent-nstop-rootfs");
	assert_false(err.usage);
	assert_err(rt_check_hostname("a b", &err), &err, EINVAL, "only letters");

	/* volumes: the target rule of the host's read-only root */
	v = (struct rt_volume){ .src = "/etc/passwd", .dst = "etc" };
	assert_err(rt_check_volume(&v, NULL, resolved, &err), &err, EINVAL, "absolute path");
	v.dst = "/nonexistent-nstop-target";
	assert_err(rt_check_volume(&v, NULL, resolved, &err), &err, ENOENT,
		   "is not in the host's read-only root");
	v.dst = "/tmp/nstop-anything";
	assert_int_equal(rt_check_volume(&v, NULL, resolved, &err), 0);
	v.dst = "/etc";		/* a file onto a directory */
	assert_err(rt_check_volume(&v, NULL, resolved, &err), &err, EINVAL, "is not a file");
	assert_int_equal(rt_check_volume(&v, "/some/rootfs", resolved, &err), 0);

	/* exec: running and not frozen */
	rt_state_init(&st);
	snprintf(st.name, sizeof(st.name), "nstop-test-x");
	st.status = RT_FROZEN;
	st.pid = 1;
	assert_err(rt_exec_check(&st, &err), &err, EBUSY, "frozen: thaw it first");
	st.status = RT_EXITED;
	assert_err(rt_exec_check(&st, &err), &err, ESRCH, "is not running (exited)");
	st.status = RT_RUNNING;
	assert_int_equal(rt_exec_check(&st, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_name_invalid),
		cmocka_unit_test(test_size_valid),
		cmocka_unit_test(test_size_invalid),
		cmocka_unit_test(test_size_format),
		cmocka_unit_test(test_format_utc),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_cpu_weight),
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_limits_parse),
		cmocka_unit_test(test_cpuset),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_volume),
		cmocka_unit_test(test_volume_name),
		cmocka_unit_test(test_volume_target),
		cmocka_unit_test(test_limits_init),
		cmocka_unit_test(test_proc_stat_field),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_json_keys),
		cmocka_unit_test(test_state_json_bytes),
		cmocka_unit_test(test_state_from_bad_json),
		cmocka_unit_test(test_state_old_quota_key),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_container_of_cgroup),
		cmocka_unit_test(test_check_rules),
		cmocka_unit_test_setup_teardown(test_ctx_state_dir, ctx_setup, ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
