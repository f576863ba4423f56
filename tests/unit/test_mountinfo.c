/* mi_parse_line and mi_foreach on literal /proc/PID/mountinfo lines. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nstop/mountinfo.h"

/* mi_parse_line writes into its line: every test parses a copy. */
static int parse(const char *text, struct mi_entry *e, char *buf, size_t size)
{
	snprintf(buf, size, "%s", text);
	return mi_parse_line(buf, e);
}

static void test_line_with_two_optional_fields(void **state)
{
	char buf[512];
	struct mi_entry e;

	assert_int_equal(parse("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:5 - ext3 /dev/root rw,errors=continue",
			       &e, buf, sizeof(buf)), 0);
	assert_int_equal(e.id, 36);
	assert_int_equal(e.parent, 35);
	assert_string_equal(e.root, "/mnt1");
	assert_string_equal(e.mount, "/mnt2");
	assert_string_equal(e.fstype, "ext3");
	assert_string_equal(e.source, "/dev/root");
	assert_string_equal(e.superopts, "rw,errors=continue");
}

static void test_line_without_optional_fields(void **state)
{
	char buf[512];
	struct mi_entry e;

	assert_int_equal(parse("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
			       &e, buf, sizeof(buf)), 0);
	assert_int_equal(e.id, 41);
	assert_int_equal(e.parent, 31);
	assert_string_equal(e.root, "/");
	assert_string_equal(e.mount, "/sys/fs/cgroup/unified");
	assert_string_equal(e.fstype, "cgroup2");
	assert_string_equal(e.source, "cgroup2");
	assert_string_equal(e.superopts, "rw");
}

static void test_octal_escapes_are_decoded(void **state)
{
	char buf[512];
	struct mi_entry e;

	assert_int_equal(parse("50 1 0:40 /with\\040space /mnt/my\\040disk\\011tab\\134back rw shared:9 - tmpfs none rw",
			       &e, buf, sizeof(buf)), 0);
	assert_string_equal(e.root, "/with space");
	assert_string_equal(e.mount, "/mnt/my disk\ttab\\back");
	assert_string_equal(e.fstype, "tmpfs");
}

static void test_backslash_without_octal_is_kept(void **state)
{
	char buf[512];
	struct mi_entry e;

	assert_int_equal(parse("50 1 0:40 / /mnt/a\\9b rw - tmpfs none rw", &e, buf, sizeof(buf)), 0);
	assert_string_equal(e.mount, "/mnt/a\\9b");
}

static void test_dash_inside_a_field_is_not_the_separator(void **state)
{
	char buf[512];
	struct mi_entry e;

	/* Only a lone "-" ends the optional fields. */
	assert_int_equal(parse("60 1 0:41 / /mnt/x-y rw,re-lat shared:3 - fuse.some-fs my-src rw,a-b",
			       &e, buf, sizeof(buf)), 0);
	assert_string_equal(e.mount, "/mnt/x-y");
	assert_string_equal(e.fstype, "fuse.some-fs");
	assert_string_equal(e.source, "my-src");
	assert_string_equal(e.superopts, "rw,a-b");
}

static void test_malformed_lines_are_rejected(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw",	/* no "-" */
		"36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root",			/* no superopts */
		"36 35 98:0 /mnt1 /mnt2 rw -",					/* nothing after "-" */
		"x6 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",		/* id not a number */
		"36 3y 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",		/* parent not a number */
		"36 35 98:0 /mnt1",						/* cut short */
	};
	char buf[512];
	struct mi_entry e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &e, buf, sizeof(buf)) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
}

struct seen {
	int n;
	int ids[16];
	char mounts[16][64];
	int stop_at;	/* return 7 at this id */
};

static int record(const struct mi_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 16) {
		s->ids[s->n] = e->id;
		snprintf(s->mounts[s->n], sizeof(s->mounts[0]), "%s", e->mount);
	}
	s->n++;
	return e->id == s->stop_at ? 7 : 0;
}

static void test_foreach_visits_records_in_order_and_skips_malformed(void **state)
{
	char buf[] =
		"1 0 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
		"this is not a mountinfo line\n"
		"22 1 0:21 / /proc rw shared:12 - proc proc rw\n"
		"23 1 0:22 / /sys rw - sysfs sysfs rw\n"
		"24 23 0:6 / /sys/kernel/a\\040b rw - securityfs securityfs rw\n";
	struct seen s = { .stop_at = -1 };

	assert_int_equal(mi_foreach(buf, record, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.ids[0], 1);
	assert_int_equal(s.ids[1], 22);
	assert_int_equal(s.ids[2], 23);
	assert_int_equal(s.ids[3], 24);
	assert_string_equal(s.mounts[3], "/sys/kernel/a b");
}

static void test_foreach_last_line_without_newline(void **state)
{
	char buf[] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
		     "2 1 8:1 / /boot rw - ext4 /dev/sda2 rw";
	struct seen s = { .stop_at = -1 };

	assert_int_equal(mi_foreach(buf, record, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.mounts[1], "/boot");
}

/* "Malformed lines are skipped": an empty line is one of them, and the
 * records after it must still be seen. */
static void test_foreach_skips_an_empty_line(void **state)
{
	char buf[] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
		     "\n"
		     "2 1 8:1 / /boot rw - ext4 /dev/sda2 rw\n";
	struct seen s = { .stop_at = -1 };

	assert_int_equal(mi_foreach(buf, record, &s), 0);
	assert_int_equal(s.n, 2);
}

static void test_foreach_stops_on_nonzero(void **state)
{
	char buf[] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
		     "2 1 8:1 / /boot rw - ext4 /dev/sda2 rw\n"
		     "3 1 8:1 / /home rw - ext4 /dev/sda3 rw\n";
	struct seen s = { .stop_at = 2 };

	assert_int_equal(mi_foreach(buf, record, &s), 7);
	assert_int_equal(s.n, 2);
}

static void test_foreach_empty_buffer(void **state)
{
	char buf[] = "";
	struct seen s = { .stop_at = -1 };

	assert_int_equal(mi_foreach(buf, record, &s), 0);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_with_two_optional_fields),
		cmocka_unit_test(test_line_without_optional_fields),
		cmocka_unit_test(test_octal_escapes_are_decoded),
		cmocka_unit_test(test_backslash_without_octal_is_kept),
		cmocka_unit_test(test_dash_inside_a_field_is_not_the_separator),
		cmocka_unit_test(test_malformed_lines_are_rejected),
		cmocka_unit_test(test_foreach_visits_records_in_order_and_skips_malformed),
		cmocka_unit_test(test_foreach_last_line_without_newline),
		cmocka_unit_test(test_foreach_skips_an_empty_line),
		cmocka_unit_test(test_foreach_stops_on_nonzero),
		cmocka_unit_test(test_foreach_empty_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
