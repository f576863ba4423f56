/* The settings file: its keys and errors, the atomic save and round trip,
 * and where it lives. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/settings.h"
#include "nstop/root.h"

static void test_defaults(void **state)
{
	struct nst_config c;

	nst_config_defaults(&c);
	assert_string_equal(c.theme, "default");
	assert_true(c.interval == 2.0);
	assert_string_equal(c.columns, "");
	assert_string_equal(c.sort, "cpu");
	assert_false(c.sort_reverse);
	assert_string_equal(c.view, "processes");
	assert_false(c.tree);
}

static void test_parse_every_key(void **state)
{
	struct nst_config c;
	struct nst_err err = { 0 };

	nst_config_defaults(&c);
	assert_int_equal(nst_config_parse(
		"# comment\n"
		"\n"
		"theme = /home/me/my#theme.theme\n"
		"  interval=0.5  \n"
		"columns = pid,user,cgroup.memory,+netns\n"
		"sort = mem\n"
		"sort_reverse = yes\n"
		"view = cgroups\n"
		"tree = On",
		"cfg", &c, &err), 0);
	assert_string_equal(c.theme, "/home/me/my#theme.theme");
	assert_true(c.interval == 0.5);
	assert_string_equal(c.columns, "pid,user,cgroup.memory,+netns");
	assert_string_equal(c.sort, "mem");
	assert_true(c.sort_reverse);
	assert_string_equal(c.view, "cgroups");
	assert_true(c.tree);

	assert_int_equal(nst_config_parse("tree = 0\nsort_reverse = false\ncolumns =\n",
					  "cfg", &c, &err), 0);
	assert_false(c.tree);
	assert_false(c.sort_reverse);
	assert_string_equal(c.columns, "");
}

static void expect_error(const char *text, const char *want)
{
	struct nst_config c, before;
	struct nst_err err = { 0 };

	nst_config_defaults(&c);
	before = c;
	assert_int_equal(nst_config_parse(text, "c", &c, &err), -EINVAL);
	assert_string_equal(err.msg, want);
	assert_memory_equal(&c, &before, sizeof(c));
}

static void test_parse_errors(void **state)
{
	char big[600];

	expect_error("theme = x\ncolour = red\n", "c:2: unknown key 'colour'");
	expect_error("interval = 0\n",
		     "c:1: interval: '0' is not seconds from 0.1 to 3600");
	expect_error("interval = 2s\n",
		     "c:1: interval: '2s' is not seconds from 0.1 to 3600");
	expect_error("interval = nan\n",
		     "c:1: interval: 'nan' is not seconds from 0.1 to 3600");
	expect_error("interval =\n",
		     "c:1: interval: '' is not seconds from 0.1 to 3600");
	expect_error("tree = maybe\n", "c:1: tree: 'maybe' is not yes or no");
	expect_error("sort_reverse = 2\n", "c:1: sort_reverse: '2' is not yes or no");
	expect_error("view = threads\n",
		     "c:1: view: 'threads' is not processes, namespaces, cgroups or containers");
	expect_error("sort = cpu time\n", "c:1: sort: 'cpu time' is not a column id");
	expect_error("theme =\n", "c:1: theme: empty");
	expect_error("just words\n", "c:1: expected 'key = value'");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char line[700];
	snprintf(line, sizeof(line), "columns = %s\n", big);
	expect_error(line, "c:1: columns: longer than 511 characters");
}

static char scratch[64];

static int make_scratch(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/nstop-test-tuil-config.XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_save_load_round_trip(void **state)
{
	char path[256], *text;
	struct nst_config c, back;
	struct nst_err err = { 0 };
	struct stat sb;
	DIR *d;
	struct dirent *de;
	int files = 0;

	/* The directories do not exist yet: save makes them. */
	snprintf(path, sizeof(path), "%s/a/b/nstop/config", scratch);
	nst_config_defaults(&c);
	snprintf(c.theme, sizeof(c.theme), "light");
	c.interval = 0.1 + 0.2;		/* not exact in decimal */
	snprintf(c.columns, sizeof(c.columns), "pid,comm,cgroup");
	snprintf(c.sort, sizeof(c.sort), "pid");
	c.sort_reverse = true;
	snprintf(c.view, sizeof(c.view), "containers");
	c.tree = true;
	assert_int_equal(nst_config_save(path, &c, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);

	nst_config_defaults(&back);
	assert_int_equal(nst_config_load(path, &back, &err), 0);
	assert_memory_equal(&back, &c, sizeof(c));

	/* Readable by a person, and nothing left beside it. */
	assert_true(nst_slurp_at(AT_FDCWD, path, &text) > 0);
	assert_non_null(strstr(text, "\ntheme = light\n"));
	assert_non_null(strstr(text, "\nsort_reverse = yes\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/a/b/nstop", scratch);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			files++;
	closedir(d);
	assert_int_equal(files, 1);

	/* Saving again replaces it. */
	snprintf(path, sizeof(path), "%s/a/b/nstop/config", scratch);
	c.tree = false;
	assert_int_equal(nst_config_save(path, &c, &err), 0);
	assert_int_equal(nst_config_load(path, &back, &err), 0);
	assert_false(back.tree);
}

static void test_load_missing_and_broken(void **state)
{
	char path[256], want[400];
	struct nst_config c, before;
	struct nst_err err = { 0 };
	FILE *f;

	nst_config_defaults(&c);
	snprintf(c.sort, sizeof(c.sort), "pid");
	before = c;
	snprintf(path, sizeof(path), "%s/none", scratch);
	assert_int_equal(nst_config_load(path, &c, &err), 0);
	assert_memory_equal(&c, &before, sizeof(c));

	snprintf(path, sizeof(path), "%s/broken", scratch);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("view = cgroups\n\nsort = \n", f);
	fclose(f);
	assert_int_equal(nst_config_load(path, &c, &err), -EINVAL);
	snprintf(want, sizeof(want), "%s:3: sort: empty", path);
	assert_string_equal(err.msg, want);
	assert_memory_equal(&c, &before, sizeof(c));

	/* A directory where the file should be is an error with the path. */
	assert_int_equal(nst_config_load(scratch, &c, &err), -EISDIR);
	assert_non_null(strstr(err.msg, scratch));
}

/* A FIFO or a symlink planted as the config is refused at once, naming it:
 * never a hang (the alarm fails the test where the open would block). */
static void test_load_not_regular(void **state)
{
	char path[256], target[256];
	struct nst_config c;
	struct nst_err err = { 0 };
	FILE *f;

	(void)state;
	nst_config_defaults(&c);
	snprintf(path, sizeof(path), "%s/fifo", scratch);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(5);
	assert_int_equal(nst_config_load(path, &c, &err), -EINVAL);
	alarm(0);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "FIFO"));

	snprintf(target, sizeof(target), "%s/real", scratch);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("view = cgroups\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/link", scratch);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(nst_config_load(path, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "symbolic link"));
}

static void test_save_errors(void **state)
{
	char path[256];
	struct nst_config c;
	struct nst_err err = { 0 };

	nst_config_defaults(&c);
	snprintf(c.columns, sizeof(c.columns), "pid\nview = x");
	snprintf(path, sizeof(path), "%s/cfg", scratch);
	assert_int_equal(nst_config_save(path, &c, &err), -EINVAL);
	assert_int_equal(access(path, F_OK), -1);

	/* A file where a directory must go. */
	nst_config_defaults(&c);
	snprintf(path, sizeof(path), "%s/file", scratch);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/file/nstop/config", scratch);
	assert_int_equal(nst_config_save(path, &c, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "/file/nstop"));
}

static void test_default_path(void **state)
{
	char buf[256];

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/u", 1);
	assert_string_equal(nst_config_default_path(buf, sizeof(buf)),
			    "/x/cfg/nstop/config");
	/* A relative one is ignored, as the XDG spec says. */
	setenv("XDG_CONFIG_HOME", "rel", 1);
	assert_string_equal(nst_config_default_path(buf, sizeof(buf)),
			    "/home/u/.config/nstop/config");
	unsetenv("XDG_CONFIG_HOME");
	assert_string_equal(nst_config_default_path(buf, sizeof(buf)),
			    "/home/u/.config/nstop/config");
	assert_null(nst_config_default_path(buf, 10));
	unsetenv("HOME");
	assert_null(nst_config_default_path(buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse_every_key),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test_setup_teardown(test_save_load_round_trip,
						make_scratch, remove_scratch),
		cmocka_unit_test_setup_teardown(test_load_missing_and_broken,
						make_scratch, remove_scratch),
		cmocka_unit_test_setup_teardown(test_load_not_regular,
						make_scratch, remove_scratch),
		cmocka_unit_test_setup_teardown(test_save_errors,
						make_scratch, remove_scratch),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
