/* Theme files: the shipped ones against the built-ins, the parser's forms
 * and errors, the search order, and colour reduction. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/root.h"
#include "nstop/theme.h"

#define SENTINEL 77

static void fill_sentinel(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < THEME_NELEM; i++) {
		t->s[i].fg = SENTINEL;
		t->s[i].bg = SENTINEL;
		t->s[i].attrs = 0x80;
	}
}

/* Parses themes/NAME.theme of the source tree over sentinels: every
 * element must be set by the file itself. */
static void parse_shipped(const char *name, struct theme *t)
{
	char path[4096], *text;
	struct nst_err err = { 0 };
	long n;

	/* make check says where the tree's themes are (the binary does not) */
	const char *dir = getenv("NSTOP_THEMEDIR");
	snprintf(path, sizeof(path), "%s/%s.theme", dir && *dir ? dir : "themes", name);
	n = nst_slurp_at(AT_FDCWD, path, &text);
	if (n < 0)
		fail_msg("%s: %s", path, strerror((int)-n));
	fill_sentinel(t);
	if (theme_parse(text, path, t, &err) < 0)
		fail_msg("%s", err.msg);
	free(text);
	for (int i = 0; i < THEME_NELEM; i++)
		if (t->s[i].fg == SENTINEL || t->s[i].attrs == 0x80)
			fail_msg("%s does not set %s", path, theme_elem_name(i));
	assert_string_equal(t->name, name);
}

static void expect_same(const struct theme *a, const struct theme *b)
{
	assert_string_equal(a->name, b->name);
	for (int i = 0; i < THEME_NELEM; i++)
		if (a->s[i].fg != b->s[i].fg || a->s[i].bg != b->s[i].bg ||
		    a->s[i].attrs != b->s[i].attrs)
			fail_msg("%s: file %d on %d attrs %#x, built-in %d on %d attrs %#x",
				 theme_elem_name(i), a->s[i].fg, a->s[i].bg,
				 a->s[i].attrs, b->s[i].fg, b->s[i].bg,
				 b->s[i].attrs);
}

static void test_default_file_is_the_builtin(void **state)
{
	struct theme f, b;

	parse_shipped("default", &f);
	theme_default(&b);
	expect_same(&f, &b);
}

static void test_monochrome_file_is_the_builtin_and_colourless(void **state)
{
	struct theme f, b;

	parse_shipped("monochrome", &f);
	theme_monochrome(&b);
	expect_same(&f, &b);
	for (int i = 0; i < THEME_NELEM; i++) {
		assert_int_equal(b.s[i].fg, THEME_COLOR_DEFAULT);
		assert_int_equal(b.s[i].bg, THEME_COLOR_DEFAULT);
	}
	/* The cursor must still show without colour. */
	assert_true(b.s[THEME_SELECTED].attrs & THEME_A_REVERSE);
}

static void test_other_shipped_themes_parse_whole(void **state)
{
	struct theme t;

	parse_shipped("light", &t);
	/* Light backgrounds: no white or yellow text on the default background. */
	for (int i = 0; i < THEME_NELEM; i++)
		if (t.s[i].bg == THEME_COLOR_DEFAULT &&
		    (t.s[i].fg == 3 || t.s[i].fg == 7 || t.s[i].fg == 11 ||
		     t.s[i].fg == 15))
			fail_msg("light: %s is yellow or white on the background",
				 theme_elem_name(i));
	parse_shipped("solarized-dark", &t);
	assert_int_equal(t.s[THEME_NORMAL].bg, 234);
}

static void test_elem_names(void **state)
{
	for (int i = 0; i < THEME_NELEM; i++) {
		const char *n = theme_elem_name(i);

		assert_non_null(n);
		assert_int_equal(theme_elem_lookup(n), i);
	}
	assert_null(theme_elem_name(THEME_NELEM));
	assert_int_equal(theme_elem_lookup("plot.cpu"), THEME_PLOT_CPU);
	assert_int_equal(theme_elem_lookup("nope"), -1);
	assert_string_equal(theme_color_name(-1), "default");
	assert_string_equal(theme_color_name(12), "bright-blue");
	assert_null(theme_color_name(100));
}

static void test_parse_forms(void **state)
{
	struct theme t;
	struct nst_err err = { 0 };

	theme_default(&t);
	assert_int_equal(theme_parse(
		"# a comment\n"
		"\n"
		"  name = mine  \n"
		"normal = white on 17\n"
		"selected=black on bright-cyan bold underline # trailing\n"
		"tree = reverse italic\n"
		"error = 196 dim\n"
		"key = default on default none\n"
		"frozen = bright-white on blue",	/* no final newline */
		"t.theme", &t, &err), 0);
	assert_string_equal(t.name, "mine");
	assert_int_equal(t.s[THEME_NORMAL].fg, 7);
	assert_int_equal(t.s[THEME_NORMAL].bg, 17);
	assert_int_equal(t.s[THEME_NORMAL].attrs, 0);
	assert_int_equal(t.s[THEME_SELECTED].fg, 0);
	assert_int_equal(t.s[THEME_SELECTED].bg, 14);
	assert_int_equal(t.s[THEME_SELECTED].attrs,
			 THEME_A_BOLD | THEME_A_UNDERLINE);
	assert_int_equal(t.s[THEME_TREE].fg, THEME_COLOR_DEFAULT);
	assert_int_equal(t.s[THEME_TREE].attrs, THEME_A_REVERSE | THEME_A_ITALIC);
	assert_int_equal(t.s[THEME_ERROR].fg, 196);
	assert_int_equal(t.s[THEME_ERROR].attrs, THEME_A_DIM);
	assert_int_equal(t.s[THEME_KEY].fg, THEME_COLOR_DEFAULT);
	assert_int_equal(t.s[THEME_KEY].attrs, 0);
	assert_int_equal(t.s[THEME_FROZEN].fg, 15);
	assert_int_equal(t.s[THEME_FROZEN].bg, 4);
	/* What it did not name stays. */
	assert_int_equal(t.s[THEME_PLOT_CPU].fg, 2);
}

static void expect_error(const char *text, const char *want)
{
	struct theme t, before;
	struct nst_err err = { 0 };

	theme_default(&t);
	before = t;
	assert_int_equal(theme_parse(text, "x.theme", &t, &err), -EINVAL);
	assert_string_equal(err.msg, want);
	/* Nothing applied, not even the good lines before the bad one. */
	assert_memory_equal(&t, &before, sizeof(t));
}

static void test_parse_errors(void **state)
{
	expect_error("normal = red\nheader = purple\n",
		     "x.theme:2: unknown colour 'purple'");
	expect_error("normal = red\n\n# c\nheadr = red\n",
		     "x.theme:4: unknown element 'headr'");
	expect_error("selected = red blink\n",
		     "x.theme:1: unknown attribute 'blink'");
	expect_error("selected = 256\n", "x.theme:1: unknown colour '256'");
	expect_error("selected = red on\n", "x.theme:1: 'on' wants a colour");
	expect_error("selected = red on mauve\n", "x.theme:1: unknown colour 'mauve'");
	expect_error("selected = red on blue on green\n", "x.theme:1: two backgrounds");
	expect_error("selected = bold red\n",
		     "x.theme:1: colour 'red' out of place (FG [on BG] [ATTR]...)");
	expect_error("selected red\n", "x.theme:1: expected 'ELEMENT = STYLE'");
	expect_error("selected =\n", "x.theme:1: no style given");
	expect_error("name =\n", "x.theme:1: a name of 1 to 63 characters");
	expect_error("Normal = red\n", "x.theme:1: unknown element 'Normal'");
}

/* A scratch directory for files, removed by the test. */
static char scratch[64];

static int make_scratch(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/nstop-test-tuil-theme.XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_load_search_order(void **state)
{
	char dir[256], user[256], path[512];
	struct theme t, want;
	struct nst_err err = { 0 };

	snprintf(dir, sizeof(dir), "%s/themes", scratch);
	snprintf(user, sizeof(user), "%s/cfg/nstop/themes", scratch);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/cfg", scratch);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/cfg/nstop", scratch);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(mkdir(user, 0755), 0);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof(path), "%s/cfg", scratch);
	setenv("XDG_CONFIG_HOME", path, 1);

	/* In themedir: what it leaves out comes from the default; the name
	 * is the file's when it gives none. */
	snprintf(path, sizeof(path), "%s/mine.theme", dir);
	write_file(path, "normal = red\n");
	assert_int_equal(theme_load("mine", dir, &t, &err), 0);
	theme_default(&want);
	snprintf(want.name, sizeof(want.name), "mine");
	want.s[THEME_NORMAL].fg = 1;
	assert_memory_equal(&t, &want, sizeof(t));

	/* The user's own directory comes first. */
	snprintf(path, sizeof(path), "%s/mine.theme", user);
	write_file(path, "name = users\nnormal = green\n");
	assert_int_equal(theme_load("mine", dir, &t, &err), 0);
	assert_string_equal(t.name, "users");
	assert_int_equal(t.s[THEME_NORMAL].fg, 2);

	/* By path. */
	snprintf(path, sizeof(path), "%s/other.theme", dir);
	write_file(path, "normal = blue\n");
	assert_int_equal(theme_load(path, "/nonexistent", &t, &err), 0);
	assert_string_equal(t.name, "other");
	assert_int_equal(t.s[THEME_NORMAL].fg, 4);

	/* The built-ins need no file. */
	assert_int_equal(theme_load("monochrome", "/nonexistent", &t, &err), 0);
	theme_monochrome(&want);
	assert_memory_equal(&t, &want, sizeof(t));

	/* A broken file: file:line, t untouched. */
	snprintf(path, sizeof(path), "%s/broken.theme", dir);
	write_file(path, "normal = red\nheader = nocolour\n");
	want = t;
	assert_int_equal(theme_load("broken", dir, &t, &err), -EINVAL);
	char msg[600];
	snprintf(msg, sizeof(msg), "%s:2: unknown colour 'nocolour'", path);
	assert_string_equal(err.msg, msg);
	assert_memory_equal(&t, &want, sizeof(t));

	assert_int_equal(theme_load("nosuch", dir, &t, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "theme 'nosuch' not found in "));
	assert_non_null(strstr(err.msg, dir));
	snprintf(path, sizeof(path), "%s/nosuch.theme", dir);
	assert_int_equal(theme_load(path, dir, &t, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "No such file"));
	unsetenv("XDG_CONFIG_HOME");
}

/* With no themedir the uninstalled tree's themes are found. */
static void test_load_source_tree(void **state)
{
	struct theme t, want;
	struct nst_err err = { 0 };

	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	assert_int_equal(theme_load("light", NULL, &t, &err), 0);
	assert_string_equal(t.name, "light");
	assert_int_equal(theme_load("default", NULL, &t, &err), 0);
	theme_default(&want);
	assert_memory_equal(&t, &want, sizeof(t));
	unsetenv("XDG_CONFIG_HOME");
}

static void test_color_reduce(void **state)
{
	assert_int_equal(theme_color_reduce(5, 256), 5);
	assert_int_equal(theme_color_reduce(THEME_COLOR_DEFAULT, 8), THEME_COLOR_DEFAULT);
	assert_int_equal(theme_color_reduce(3, 2), THEME_COLOR_DEFAULT);
	assert_int_equal(theme_color_reduce(9, 8), 1);		/* bright-red */
	assert_int_equal(theme_color_reduce(196, 8), 1);	/* ff0000 */
	assert_int_equal(theme_color_reduce(196, 16), 9);
	assert_int_equal(theme_color_reduce(244, 8), 7);	/* grey 808080 */
	assert_int_equal(theme_color_reduce(244, 16), 8);
	assert_int_equal(theme_color_reduce(21, 8), 4);		/* 0000ff */
	assert_int_equal(theme_color_reduce(234, 8), 0);	/* near black */
	assert_int_equal(theme_color_reduce(234, 16), 0);
	/* Solarized's accents keep their hue. */
	assert_int_equal(theme_color_reduce(136, 8), 3);	/* af8700 yellow */
	assert_int_equal(theme_color_reduce(166, 8), 1);	/* d75f00 orange */
	assert_int_equal(theme_color_reduce(125, 8), 5);	/* af005f magenta */
	assert_int_equal(theme_color_reduce(61, 8), 4);		/* 5f5faf violet */
	assert_int_equal(theme_color_reduce(37, 8), 6);		/* 00afaf cyan */
	assert_int_equal(theme_color_reduce(64, 8), 3);		/* 5f8700 olive */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_file_is_the_builtin),
		cmocka_unit_test(test_monochrome_file_is_the_builtin_and_colourless),
		cmocka_unit_test(test_other_shipped_themes_parse_whole),
		cmocka_unit_test(test_elem_names),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test_setup_teardown(test_load_search_order,
						make_scratch, remove_scratch),
		cmocka_unit_test(test_load_source_tree),
		cmocka_unit_test(test_color_reduce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
