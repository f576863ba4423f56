/* Namespace types, link targets, and ns_read on fixture symlinks. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nstop/ns.h"

static void test_type_names_in_json_order(void **state)
{
	static const char *const names[NS_NTYPES] = {
		"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts",
	};

	for (int t = 0; t < NS_NTYPES; t++)
		assert_string_equal(ns_type_name((enum ns_type)t), names[t]);
}

static void test_type_parse_round_trip(void **state)
{
	for (int t = 0; t < NS_NTYPES; t++)
		assert_int_equal(ns_type_parse(ns_type_name((enum ns_type)t)), t);
}

static void test_type_parse_unknown(void **state)
{
	assert_int_equal(ns_type_parse(""), -1);
	assert_int_equal(ns_type_parse("network"), -1);
	assert_int_equal(ns_type_parse("NET"), -1);
	assert_int_equal(ns_type_parse("mount"), -1);
	assert_int_equal(ns_type_parse("pid_for_children"), -1);
}

static void test_parse_link(void **state)
{
	assert_int_equal(ns_parse_link("net:[4026531840]", NS_NET), 4026531840ULL);
	assert_int_equal(ns_parse_link("cgroup:[4026531835]", NS_CGROUP), 4026531835ULL);
	assert_int_equal(ns_parse_link("time:[1]", NS_TIME), 1);
	assert_int_equal(ns_parse_link("user:[18446744073709551615]", NS_USER),
			 18446744073709551615ULL);
}

static void test_parse_link_rejects(void **state)
{
	static const struct { const char *text; enum ns_type t; } bad[] = {
		{ "net:[4026531840]", NS_PID },		/* wrong type */
		{ "netns:[4026531840]", NS_NET },
		{ "ne:[4026531840]", NS_NET },
		{ "net:4026531840", NS_NET },		/* missing brackets */
		{ "net:[4026531840", NS_NET },
		{ "net[4026531840]", NS_NET },
		{ "net:[4026531840]x", NS_NET },	/* trailing junk */
		{ "net:[4026531840] ", NS_NET },
		{ "net:[40265x31840]", NS_NET },
		{ "net:[]", NS_NET },
		{ "net:", NS_NET },
		{ "", NS_NET },				/* empty */
		{ "net:[99999999999999999999999]", NS_NET },	/* overflow */
		{ "pid:[-5]", NS_PID },			/* no sign in an inode */
		{ "pid:[ 5]", NS_PID },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ns_parse_link(bad[i].text, bad[i].t) != 0)
			fail_msg("accepted \"%s\" as %s", bad[i].text, ns_type_name(bad[i].t));
}

static int open_fixture_pid(const char *tree, const char *pid)
{
	const char *base = getenv("NSTOP_FIXTURES");
	char path[PATH_MAX];
	int fd;

	if (!base)
		fail_msg("NSTOP_FIXTURES is not set");
	snprintf(path, sizeof(path), "%s/%s/proc/%s", base, tree, pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("cannot open %s", path);
	return fd;
}

static void test_read_fixture_links(void **state)
{
	static const ino_t host[NS_NTYPES] = {
		[NS_CGROUP] = 4026531835, [NS_IPC] = 4026531839, [NS_MNT] = 4026531841,
		[NS_NET] = 4026531840, [NS_PID] = 4026531836, [NS_TIME] = 4026531834,
		[NS_USER] = 4026531837, [NS_UTS] = 4026531838,
	};
	static const ino_t container[NS_NTYPES] = {
		[NS_CGROUP] = 4026532500, [NS_IPC] = 4026532501, [NS_MNT] = 4026532502,
		[NS_NET] = 4026532503, [NS_PID] = 4026532504, [NS_TIME] = 4026531834,
		[NS_USER] = 4026531837, [NS_UTS] = 4026532505,
	};
	int one = open_fixture_pid("v2", "1");
	int ct = open_fixture_pid("v2", "100");

	for (int t = 0; t < NS_NTYPES; t++) {
		assert_int_equal(ns_read(one, (enum ns_type)t), host[t]);
		assert_int_equal(ns_read(ct, (enum ns_type)t), container[t]);
	}
	close(one);
	close(ct);
}

static void test_read_missing_links_gives_zero(void **state)
{
	/* pid 300 of the fixture has vanished: no ns directory. */
	int fd = open_fixture_pid("v2", "300");

	for (int t = 0; t < NS_NTYPES; t++)
		assert_int_equal(ns_read(fd, (enum ns_type)t), 0);
	close(fd);
}

static void test_read_self_of_the_running_kernel(void **state)
{
	int fd = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char target[64];
	ssize_t n;

	assert_true(fd >= 0);
	n = readlink("/proc/self/ns/net", target, sizeof(target) - 1);
	if (n < 0) {
		close(fd);
		skip();
	}
	target[n] = '\0';
	assert_int_not_equal(ns_read(fd, NS_NET), 0);
	assert_int_equal(ns_read(fd, NS_NET), ns_parse_link(target, NS_NET));
	close(fd);
}

/* The one table: a distinct CLONE_NEW* flag per kind (the kernel's values),
 * and a setns order that holds every kind once, user first, mnt after pid
 * and net (nsenter's namespace_files[] order). */
static void test_kind_table_and_setns_order(void **state)
{
	static const struct { enum ns_type t; int flag; } want[] = {
		{ NS_CGROUP, 0x02000000 }, { NS_IPC, 0x08000000 }, { NS_MNT, 0x00020000 },
		{ NS_NET, 0x40000000 }, { NS_PID, 0x20000000 }, { NS_TIME, 0x00000080 },
		{ NS_USER, 0x10000000 }, { NS_UTS, 0x04000000 },
	};
	int seen = 0, pos[NS_NTYPES];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(ns_kind(want[i].t)->clone_flag, want[i].flag);
		assert_string_equal(ns_kind(want[i].t)->name, ns_type_name(want[i].t));
	}
	assert_string_equal(ns_kind(NS_NTYPES)->name, "?");
	for (int k = 0; k < NS_NTYPES; k++) {
		enum ns_type t = ns_setns_order[k];
		assert_true(t < NS_NTYPES);
		assert_false(seen & (1 << t));
		seen |= 1 << t;
		pos[t] = k;
	}
	assert_int_equal(seen, (1 << NS_NTYPES) - 1);
	assert_int_equal(pos[NS_USER], 0);
	assert_true(pos[NS_MNT] > pos[NS_PID] && pos[NS_MNT] > pos[NS_NET]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names_in_json_order),
		cmocka_unit_test(test_type_parse_round_trip),
		cmocka_unit_test(test_type_parse_unknown),
		cmocka_unit_test(test_kind_table_and_setns_order),
		cmocka_unit_test(test_parse_link),
		cmocka_unit_test(test_parse_link_rejects),
		cmocka_unit_test(test_read_fixture_links),
		cmocka_unit_test(test_read_missing_links_gives_zero),
		cmocka_unit_test(test_read_self_of_the_running_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
