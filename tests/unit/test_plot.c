/* Plots: exact cells of small literal series in each style, the limit
 * line, gaps, scaling and sparklines. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nstop/plot.h"

static void ring_of(struct sample_ring *r, size_t cap, const double *v, size_t n)
{
	assert_int_equal(sample_ring_init(r, cap), 0);
	for (size_t i = 0; i < n; i++)
		sample_ring_push(r, v[i]);
}

#define RING(r, cap, ...) do { \
	const double v_[] = { __VA_ARGS__ }; \
	ring_of((r), (cap), v_, sizeof(v_) / sizeof(v_[0])); \
} while (0)

/* want: the cells row by row, each "char" then a kind letter
 * (e empty, d data, l limit, u unknown). */
static void expect_cells(const struct plot_cell *cells, int n,
			 const char *const *want_ch, const char *want_kind)
{
	static const char kinds[] = "edlu";

	for (int i = 0; i < n; i++) {
		if (strcmp(cells[i].ch, want_ch[i]) != 0 ||
		    kinds[cells[i].kind] != want_kind[i])
			fail_msg("cell %d: \"%s\" %c, want \"%s\" %c", i,
				 cells[i].ch, kinds[cells[i].kind], want_ch[i],
				 want_kind[i]);
	}
}

static void test_nice_max(void **state)
{
	static const double in[][2] = {
		{ 0, 1 }, { -3, 1 }, { 1, 1 }, { 1.5, 2 }, { 2, 2 }, { 3, 5 },
		{ 7, 10 }, { 10, 10 }, { 11, 20 }, { 0.03, 0.05 }, { 999, 1000 },
		{ 1000, 1000 }, { 123456, 200000 }, { 100, 100 },
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		if (fabs(plot_nice_max(in[i][0], false) - in[i][1]) > 1e-12)
			fail_msg("plot_nice_max(%g) = %g, want %g", in[i][0],
				 plot_nice_max(in[i][0], false), in[i][1]);
	assert_true(plot_nice_max(NAN, false) == 1);
	assert_true(plot_nice_max(1000, true) == 1024);
	assert_true(plot_nice_max(1024, true) == 1024);
	assert_true(plot_nice_max(3e9, true) == 4294967296.0);
	assert_true(plot_nice_max(600 << 20, true) == 1 << 30);
}

static void test_braille(void **state)
{
	struct sample_ring r;
	struct plot_cell c[2];
	struct plot_scale sc;
	struct plot_opts o = { .style = PLOT_BRAILLE, .min = 0, .max = 4 };
	static const char *const ch[] = { "\u28e0", "\u28fe" };

	RING(&r, 10, 1, 2, 3, 4);
	assert_int_equal(plot_render(&r, &o, 1, 2, c, &sc), 0);
	expect_cells(c, 2, ch, "dd");
	assert_true(sc.min == 0 && sc.max == 4);
	sample_ring_clear(&r);
}

/* A value just above the bottom still shows one dot; more history than
 * fits shows the newest, right-aligned. */
static void test_braille_small_and_newest(void **state)
{
	struct sample_ring r;
	struct plot_cell c[2];
	struct plot_opts o = { .style = PLOT_BRAILLE, .min = 0, .max = 4 };
	static const char *const ch[] = { " ", "\u2840" };

	RING(&r, 10, 4, 4, 4, 4, 4, 0, 0, 0, 0.01, 0);
	assert_int_equal(plot_render(&r, &o, 1, 2, c, NULL), 0);
	expect_cells(c, 2, ch, "dd");
	sample_ring_clear(&r);
}

static void test_block_two_rows(void **state)
{
	struct sample_ring r;
	struct plot_cell c[6];
	struct plot_opts o = { .style = PLOT_BLOCK, .min = 0, .max = 16 };
	static const char *const ch[] = {
		" ", " ", "\u2584",
		" ", "\u2584", "\u2588",
	};

	RING(&r, 10, 0, 4, 12);
	assert_int_equal(plot_render(&r, &o, 2, 3, c, NULL), 0);
	expect_cells(c, 6, ch, "dddddd");
	sample_ring_clear(&r);
}

static void test_ascii_gaps(void **state)
{
	struct sample_ring r;
	struct plot_cell c[8];
	struct plot_opts o = { .style = PLOT_ASCII, .min = 0, .max = 8 };
	/* Before the history, an unknown sample, 2 and 6 of 8 (4 sub-rows a
	 * cell: '.' one, ':' two, '|' three, '#' all four). */
	static const char *const ch[] = {
		" ", " ", " ", ":",
		" ", " ", ":", "#",
	};
	static const char *const ch2[] = { ".", ":", "|", "#" };

	RING(&r, 10, NAN, 2, 6);
	assert_int_equal(plot_render(&r, &o, 2, 4, c, NULL), 0);
	expect_cells(c, 8, ch, "eudd" "eudd");
	sample_ring_clear(&r);

	RING(&r, 10, 1, 2, 3, 4);
	o.max = 4;
	assert_int_equal(plot_render(&r, &o, 1, 4, c, NULL), 0);
	expect_cells(c, 4, ch2, "dddd");
	sample_ring_clear(&r);
}

static void test_block_limit(void **state)
{
	struct sample_ring r, l;
	struct plot_cell c[4];
	struct plot_opts o = { .style = PLOT_BLOCK, .min = 0, .max = 16, .limit = &l };
	static const char *const ch[] = {
		"\u2500", "\u2588",
		"\u2584", "\u2588",
	};

	RING(&r, 10, 4, 16);
	RING(&l, 10, 10, 10);
	assert_int_equal(plot_render(&r, &o, 2, 2, c, NULL), 0);
	expect_cells(c, 4, ch, "lldd");
	sample_ring_clear(&r);

	/* A limit above the axis is not drawn; ASCII draws '-'. */
	RING(&r, 10, 4, 16);
	o.style = PLOT_ASCII;
	o.max = 8;
	assert_int_equal(plot_render(&r, &o, 2, 2, c, NULL), 0);
	for (int i = 0; i < 4; i++)
		assert_int_not_equal(c[i].kind, PLOT_LIMIT);
	o.max = 20;
	assert_int_equal(plot_render(&r, &o, 2, 2, c, NULL), 0);
	/* 10 of 20 over 8 sub-rows: sub-row 3, the bottom row's top. */
	static const char *const ch2[] = { " ", ":", "-", "#" };
	expect_cells(c, 4, ch2, "ddll");
	sample_ring_clear(&r);
	sample_ring_clear(&l);
}

static void test_braille_limit(void **state)
{
	struct sample_ring r, l;
	struct plot_cell c[1];
	struct plot_opts o = { .style = PLOT_BRAILLE, .min = 0, .max = 4, .limit = &l };
	static const char *const ch[] = { "\u2849" };

	RING(&r, 10, 1, NAN);
	RING(&l, 10, 4, 4);
	assert_int_equal(plot_render(&r, &o, 1, 1, c, NULL), 0);
	expect_cells(c, 1, ch, "l");
	sample_ring_clear(&r);
	sample_ring_clear(&l);
}

static void test_auto_scale(void **state)
{
	struct sample_ring r, l;
	struct plot_cell c[10];
	struct plot_scale sc;
	struct plot_opts o = { .style = PLOT_BLOCK, .min = 0, .max = NAN };

	RING(&r, 10, 3, 7);
	assert_int_equal(plot_render(&r, &o, 1, 10, c, &sc), 0);
	assert_true(sc.min == 0 && sc.max == 10);
	/* The limit counts, so its line is always on the plot. */
	RING(&l, 10, 12, NAN);
	o.limit = &l;
	assert_int_equal(plot_render(&r, &o, 1, 10, c, &sc), 0);
	assert_true(sc.max == 20);
	/* Only what is shown counts: an old peak scrolled out does not. */
	o.limit = NULL;
	sample_ring_clear(&r);
	RING(&r, 20, 900, 1, 1, 1);
	assert_int_equal(plot_render(&r, &o, 1, 3, c, &sc), 0);
	assert_true(sc.max == 1);
	sample_ring_clear(&r);
	/* Bytes: a power of two. Nothing known: 0..1. */
	RING(&r, 20, 3e6, NAN);
	o.bytes = true;
	assert_int_equal(plot_render(&r, &o, 1, 3, c, &sc), 0);
	assert_true(sc.max == 4194304);
	sample_ring_clear(&r);
	RING(&r, 20, NAN);
	assert_int_equal(plot_render(&r, &o, 1, 3, c, &sc), 0);
	assert_true(sc.max == 1);
	sample_ring_clear(&r);
	sample_ring_clear(&l);
}

static void test_render_rejects(void **state)
{
	struct sample_ring r;
	struct plot_cell c[4];
	struct plot_opts o = { .style = PLOT_BLOCK, .min = 0, .max = 0 };

	RING(&r, 4, 1);
	assert_int_equal(plot_render(&r, &o, 1, 1, c, NULL), -EINVAL);
	o.max = 1;
	assert_int_equal(plot_render(&r, &o, 0, 1, c, NULL), -EINVAL);
	assert_int_equal(plot_render(&r, &o, 1, -1, c, NULL), -EINVAL);
	sample_ring_clear(&r);
}

static void test_sparkline(void **state)
{
	struct sample_ring r;
	char buf[64];

	RING(&r, 10, 0, 1, 2, NAN);
	assert_int_equal(plot_sparkline(&r, PLOT_BLOCK, 2, 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, " \u2581\u2585\u2588 ");
	assert_int_equal(plot_sparkline(&r, PLOT_BRAILLE, NAN, 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, " \u2581\u2585\u2588 ");
	assert_int_equal(plot_sparkline(&r, PLOT_ASCII, 2, 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, " .|# ");
	/* Only the newest fit; values over max are clipped. */
	assert_int_equal(plot_sparkline(&r, PLOT_ASCII, 1, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "# ");
	assert_int_equal(plot_sparkline(&r, PLOT_BLOCK, 2, 5, buf, 4), -ENOSPC);
	assert_int_equal(plot_sparkline(&r, PLOT_BLOCK, 2, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	sample_ring_clear(&r);
}

static void test_style_for_locale(void **state)
{
	if (setlocale(LC_ALL, "C"))
		assert_int_equal(plot_style_for_locale(), PLOT_ASCII);
	if (setlocale(LC_ALL, "C.UTF-8"))
		assert_int_equal(plot_style_for_locale(), PLOT_BRAILLE);
	setlocale(LC_ALL, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_max),
		cmocka_unit_test(test_braille),
		cmocka_unit_test(test_braille_small_and_newest),
		cmocka_unit_test(test_block_two_rows),
		cmocka_unit_test(test_ascii_gaps),
		cmocka_unit_test(test_block_limit),
		cmocka_unit_test(test_braille_limit),
		cmocka_unit_test(test_auto_scale),
		cmocka_unit_test(test_render_rejects),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_style_for_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
